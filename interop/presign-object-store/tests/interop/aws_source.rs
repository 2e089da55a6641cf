//! `ObjectStoreAwsSource`: object_store's own credential providers feeding presign-s3.

use std::sync::Arc;
use std::time::Duration;

use object_store::RetryConfig;
use object_store::aws::{AmazonS3Builder, AwsCredential};
use object_store::client::StaticCredentialProvider;
use presign_core::{CredentialSource, Method, ObjectKey, PresignRequest, Presigner, Timestamp};
use presign_credentials_testkit::server::{Request, Response, TestServer, closed_port_url};
use presign_object_store::{DEFAULT_VALID_FOR, ObjectStoreAwsSource};
use presign_policy::{Policy, PolicyLayer};
use presign_s3::{Addressing, S3Presigner};

use crate::{DAY, DOC_KEY_ID, DOC_SECRET, DOC_URL, doc_presigner};

const TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLETOKEN";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

#[tokio::test]
async fn a_static_object_store_provider_signs_the_documented_url() {
    let provider = Arc::new(StaticCredentialProvider::new(AwsCredential {
        key_id: DOC_KEY_ID.into(),
        secret_key: DOC_SECRET.into(),
        token: None,
    }));
    let source = ObjectStoreAwsSource::new(provider);
    // Long-term keys: no expiry.
    let c = source.fetch(Timestamp::now()).await.unwrap();
    assert_eq!(c.expires_at(), None);
    let s3 = doc_presigner(Arc::new(source));
    let req = PresignRequest::parse("GET", "test.txt")
        .unwrap()
        .with_ttl(DAY);
    assert_eq!(s3.presign(&req).await.unwrap().expose_url(), DOC_URL);
}

/// An IMDSv2 server as object_store's instance provider calls it: a session token, the
/// role's name, the role's temporary credentials.
async fn imds() -> TestServer {
    const IMDS_TOKEN: &str = "AQAEA-imds-session";
    let expires = Timestamp::from_unix(Timestamp::now().unix() + 6 * 3600).unwrap();
    TestServer::start(move |r: &Request| {
        if r.method == "PUT" && r.path() == "/latest/api/token" {
            return Response::text(200, IMDS_TOKEN);
        }
        if r.header("x-aws-ec2-metadata-token") != Some(IMDS_TOKEN) {
            return Response::text(401, "unauthorized");
        }
        match r.path() {
            "/latest/meta-data/iam/security-credentials/" => Response::text(200, "signer-role"),
            "/latest/meta-data/iam/security-credentials/signer-role" => Response::json(
                serde_json::json!({
                    "Code": "Success", "Type": "AWS-HMAC",
                    "LastUpdated": "2026-01-01T00:00:00Z",
                    "AccessKeyId": "ASIAOBJECTSTOREEXAMPLE",
                    "SecretAccessKey": SECRET,
                    "Token": TOKEN,
                    "Expiration": expires.to_rfc3339(),
                })
                .to_string(),
            ),
            _ => Response::text(404, "not found"),
        }
    })
    .await
    .unwrap()
}

fn store_at(metadata_endpoint: &str) -> object_store::aws::AmazonS3 {
    let retry = RetryConfig {
        max_retries: 0,
        retry_timeout: Duration::from_secs(5),
        ..Default::default()
    };
    // `new()` reads no environment: with no keys, object_store uses its instance provider.
    AmazonS3Builder::new()
        .with_bucket_name("media")
        .with_region("us-east-1")
        .with_metadata_endpoint(metadata_endpoint)
        .with_retry(retry)
        .build()
        .unwrap()
}

fn s3_over(source: ObjectStoreAwsSource) -> S3Presigner {
    S3Presigner::builder()
        .name("media")
        .bucket("media")
        .region("us-east-1")
        .endpoint("http://127.0.0.1:9")
        .addressing(Addressing::Path)
        .credential_source(Arc::new(source))
        .build()
        .unwrap()
}

fn param(url: &str, name: &str) -> Option<String> {
    url.split_once('?')?.1.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == name).then(|| v.to_owned())
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn object_stores_imds_credentials_sign_and_bound_the_url() {
    let server = imds().await;
    let store = store_at(&server.url());
    let source = ObjectStoreAwsSource::from_store(&store).with_name("media");
    let presigner = PolicyLayer::new(Policy::default().with_key_prefixes(["reports/"]))
        .unwrap()
        .layer(s3_over(source));
    let req = PresignRequest::new(Method::Get, ObjectKey::new("reports/q4.pdf").unwrap())
        .with_ttl(Duration::from_secs(900));
    let signed = presigner.presign(&req).await.unwrap();
    let url = signed.expose_url();
    assert!(
        param(url, "X-Amz-Credential").is_some_and(|c| c.starts_with("ASIAOBJECTSTOREEXAMPLE%2F")),
        "{url}"
    );
    assert_eq!(
        param(url, "X-Amz-Security-Token").as_deref(),
        Some(TOKEN),
        "{url}"
    );
    // Temporary credentials whose expiry object_store does not publish: the URL lives at most
    // DEFAULT_VALID_FOR (asked for 15 minutes).
    let granted: u64 = param(url, "X-Amz-Expires").unwrap().parse().unwrap();
    assert!(
        granted <= DEFAULT_VALID_FOR.as_secs() && granted + 10 >= DEFAULT_VALID_FOR.as_secs(),
        "{url}"
    );
    assert!(server.requests().iter().any(|r| r.method == "PUT"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_metadata_service_is_a_clean_credentials_error() {
    let store = store_at(&closed_port_url().unwrap());
    let source = ObjectStoreAwsSource::from_store(&store).with_name("media");
    let e = source.fetch(Timestamp::now()).await.unwrap_err();
    let text = e.to_string();
    assert_eq!(e.kind(), "credentials", "{text}");
    assert!(
        text.contains("media") && text.contains("object_store"),
        "{text}"
    );
    assert!(
        !text.contains("wJalrXUtnFEMI") && !text.contains("EXAMPLETOKEN"),
        "{text}"
    );
}

//! google-cloud-auth's sources against local servers speaking Google's protocols on 127.0.0.1
//! (metadata server, OAuth token endpoint, IAM generateAccessToken, STS token exchange), and
//! the metadata server's token and e-mail driving a GCS `signBlob` signature.
#![cfg(test)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use base64::Engine as _;
use presign_core::{CredentialSource, Method, ObjectKey, PresignRequest, Presigner, Timestamp};
use presign_credentials_gcp::{GoogleTokenSource, metadata_sign_blob, signer_email};
use presign_credentials_testkit::require::temp_dir;
use presign_credentials_testkit::server::{Request, Response, TestServer, closed_port_url};
use presign_gcs::{GcsPresigner, SignerKind};
use serde_json::json;

const EMAIL: &str = "signer@presign-test.iam.gserviceaccount.com";
const MDS: &str = "/computeMetadata/v1/instance/service-accounts/default";

/// A metadata server: token and e-mail, only with `Metadata-Flavor: Google`; the n-th token is
/// `ya29.mds-n`.
async fn metadata_server(token_status: u16) -> TestServer {
    let n = AtomicUsize::new(0);
    TestServer::start(move |r: &Request| {
        if r.header("metadata-flavor") != Some("Google") {
            return Response::text(403, "missing Metadata-Flavor");
        }
        match r.path() {
            p if p == format!("{MDS}/email") => Response::text(200, EMAIL),
            p if p == format!("{MDS}/token") && token_status != 200 => {
                Response::text(token_status, "metadata says no")
            }
            p if p == format!("{MDS}/token") => {
                let i = n.fetch_add(1, Ordering::SeqCst) + 1;
                Response::json(json!({"access_token": format!("ya29.mds-{i}"), "expires_in": 3599, "token_type": "Bearer"}).to_string())
            }
            _ => Response::text(404, "not found"),
        }
    })
    .await
    .unwrap()
}

async fn token(src: &GoogleTokenSource) -> Result<String, presign_core::Error> {
    let c = src.fetch(Timestamp::now()).await?;
    assert_eq!(
        c.expires_at(),
        None,
        "google-cloud-auth publishes no expiry"
    );
    Ok(c.value().expose_secret().to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metadata_server_token_is_fetched_once_and_reused() {
    let server = metadata_server(200).await;
    let src = GoogleTokenSource::metadata_server(Some(&server.url())).unwrap();
    assert_eq!(token(&src).await.unwrap(), "ya29.mds-1");
    // google-cloud-auth caches the token until shortly before its expiry.
    assert_eq!(token(&src).await.unwrap(), "ya29.mds-1");
    assert_eq!(server.count(&format!("{MDS}/token")), 1);
    assert!(
        src.describe()
            .contains("metadata server at http://127.0.0.1:")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metadata_errors_are_clean() {
    for status in [404, 500] {
        let server = metadata_server(status).await;
        let src = GoogleTokenSource::metadata_server(Some(&server.url()))
            .unwrap()
            .with_name("assets");
        let e = token(&src).await.unwrap_err();
        assert_eq!(e.kind(), "credentials", "{e}");
        assert!(
            e.to_string().contains("assets") && e.to_string().contains("metadata server"),
            "{e}"
        );
    }
    let down = closed_port_url().unwrap();
    let src = GoogleTokenSource::metadata_server(Some(&down)).unwrap();
    let e = token(&src).await.unwrap_err();
    assert_eq!(e.kind(), "credentials", "{e}");
}

/// An OAuth token endpoint (refresh-token grant), IAM generateAccessToken and an STS token
/// exchange, each checking what it must receive.
async fn google_apis() -> TestServer {
    TestServer::start(|r: &Request| match (r.method.as_str(), r.path()) {
        ("POST", "/token") => {
            let body = r.body_text();
            let form = body.contains("grant_type=refresh_token") && body.contains("refresh_token=1%2F%2Frefresh");
            let json = body.contains("\"refresh_token\"") && body.contains("\"1//refresh\"");
            if !form && !json {
                return Response::text(400, "bad grant");
            }
            Response::json(json!({"access_token": "ya29.user", "expires_in": 3599, "token_type": "Bearer"}).to_string())
        }
        ("POST", p) if p.ends_with(":generateAccessToken") => {
            if r.header("authorization") != Some("Bearer ya29.user") {
                return Response::text(401, "no source token");
            }
            Response::json(json!({"accessToken": "ya29.impersonated", "expireTime": "2030-01-01T00:00:00Z"}).to_string())
        }
        ("POST", "/v1/token") => {
            let body = r.body_text();
            if !body.contains("subject_token=eyJ.subject.token") {
                return Response::text(400, "bad subject token");
            }
            Response::json(json!({"access_token": "ya29.federated", "issued_token_type": "urn:ietf:params:oauth:token-type:access_token", "token_type": "Bearer", "expires_in": 3600}).to_string())
        }
        _ => Response::text(404, "not found"),
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authorized_user_impersonated_and_external_accounts() {
    let apis = google_apis().await;
    let base = apis.url();
    let user = json!({
        "type": "authorized_user", "client_id": "cid.apps.googleusercontent.com",
        "client_secret": "client-secret-value", "refresh_token": "1//refresh",
        "token_uri": format!("{base}/token"),
    });
    let src = GoogleTokenSource::from_json(user.clone()).unwrap();
    assert_eq!(token(&src).await.unwrap(), "ya29.user");
    assert_eq!(signer_email(&user), None);

    let imp = json!({
        "type": "impersonated_service_account",
        "service_account_impersonation_url": format!("{base}/v1/projects/-/serviceAccounts/{EMAIL}:generateAccessToken"),
        "source_credentials": user,
        "delegates": [],
    });
    let src = GoogleTokenSource::from_json(imp.clone()).unwrap();
    assert_eq!(token(&src).await.unwrap(), "ya29.impersonated");
    assert_eq!(signer_email(&imp).as_deref(), Some(EMAIL));

    let dir = temp_dir("external_account").unwrap();
    let subject = dir.join("subject");
    std::fs::write(&subject, "eyJ.subject.token").unwrap();
    let ext = json!({
        "type": "external_account",
        "audience": "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/k8s",
        "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
        "token_url": format!("{base}/v1/token"),
        "credential_source": {"file": subject.to_str().unwrap()},
    });
    let src = GoogleTokenSource::from_json(ext).unwrap();
    assert_eq!(token(&src).await.unwrap(), "ya29.federated");
    let _ = std::fs::remove_dir_all(dir);

    // A refused grant: a clean error without the client secret or refresh token.
    let bad = json!({
        "type": "authorized_user", "client_id": "c", "client_secret": "client-secret-value",
        "refresh_token": "wrong", "token_uri": format!("{base}/token"),
    });
    let e = token(&GoogleTokenSource::from_json(bad).unwrap())
        .await
        .unwrap_err();
    let m = e.to_string();
    assert_eq!(e.kind(), "credentials", "{m}");
    assert!(
        !m.contains("client-secret-value") && !m.contains("wrong"),
        "{m}"
    );
    let e = GoogleTokenSource::from_json(json!({"type": "gdch_service_account"})).unwrap_err();
    assert_eq!(e.kind(), "config");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metadata_token_and_email_sign_a_gcs_url_through_sign_blob() {
    let mds = metadata_server(200).await;
    const SIG: [u8; 4] = [0xde, 0xad, 0xbe, 0xef];
    let iam = TestServer::start(|r: &Request| {
        let want = format!("/v1/projects/-/serviceAccounts/{EMAIL}:signBlob");
        // A token the metadata server handed out (google-cloud-auth prefetches one per credential).
        let from_mds = r
            .header("authorization")
            .is_some_and(|a| a.starts_with("Bearer ya29.mds-"));
        if r.path() != want || !from_mds {
            return Response::text(403, "wrong account or token");
        }
        let sig = base64::engine::general_purpose::STANDARD.encode(SIG);
        Response::json(json!({"keyId": "k1", "signedBlob": sig}).to_string())
    })
    .await
    .unwrap();
    let signer = metadata_sign_blob("assets", Some(&mds.url()))
        .await
        .unwrap()
        .with_endpoint(&iam.url())
        .unwrap();
    let gcs = GcsPresigner::builder()
        .name("assets")
        .bucket("presign-test")
        .signer(SignerKind::SignBlob)
        .blob_signer(Arc::new(signer))
        .build()
        .unwrap();
    let req = PresignRequest::new(Method::Get, ObjectKey::new("a/b.txt").unwrap())
        .with_ttl(std::time::Duration::from_secs(300));
    let url = gcs.presign(&req).await.unwrap();
    let url = url.expose_url();
    assert!(
        url.contains("X-Goog-Credential=signer%40presign-test.iam.gserviceaccount.com%2F"),
        "{url}"
    );
    assert!(url.ends_with("X-Goog-Signature=deadbeef"), "{url}");
    // The blob signed is the V4 string to sign.
    let body: serde_json::Value = serde_json::from_str(&iam.requests()[0].body_text()).unwrap();
    let blob = base64::engine::general_purpose::STANDARD
        .decode(body["payload"].as_str().unwrap())
        .unwrap();
    assert!(
        String::from_utf8(blob)
            .unwrap()
            .starts_with("GOOG4-RSA-SHA256\n")
    );
}

/// Every URL of a credentials JSON that receives a secret is HTTPS or plain HTTP to a loopback
/// host (core's transport rule): refused before anything is built or sent, naming the field.
#[test]
fn secrets_go_only_over_https_or_to_loopback() {
    let user = |token_uri: &str| {
        json!({
            "type": "authorized_user", "client_id": "c", "client_secret": "client-secret-value",
            "refresh_token": "1//refresh", "token_uri": token_uri,
        })
    };
    for (json, field) in [
        (
            user("http://oauth2.example.invalid/token"),
            "credentials.token_uri",
        ),
        (
            json!({
                "type": "impersonated_service_account",
                "service_account_impersonation_url": format!("http://iam.example.invalid/v1/projects/-/serviceAccounts/{EMAIL}:generateAccessToken"),
                "source_credentials": user("https://oauth2.googleapis.com/token"),
            }),
            "credentials.service_account_impersonation_url",
        ),
        (
            json!({
                "type": "impersonated_service_account",
                "service_account_impersonation_url": format!("https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/{EMAIL}:generateAccessToken"),
                "source_credentials": user("http://10.0.0.1/token"),
            }),
            "credentials.source_credentials.token_uri",
        ),
        (
            json!({"type": "external_account", "token_url": "http://sts.example.invalid/v1/token"}),
            "credentials.token_url",
        ),
    ] {
        let e = GoogleTokenSource::from_json(json).unwrap_err();
        let m = e.to_string();
        assert!(
            m.contains(field) && m.contains("plain HTTP"),
            "{field}: {m}"
        );
        assert!(!m.contains("client-secret-value") && !m.contains("1//refresh"));
    }
}

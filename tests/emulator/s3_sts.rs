//! The round trip with temporary credentials: aws-config's `AssumeRoleProvider` asks
//! SeaweedFS's STS (AssumeRole, signed with the emulator's long-term key pair) for session
//! credentials, presign signs with them through core's credential cache and the policy layer,
//! and SeaweedFS accepts the URLs (PUT, then GET) — session token included — and refuses one
//! whose session token was changed.

use std::sync::Arc;
use std::time::Duration;

use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};
use presign_core::{Method, ObjectKey, PresignRequest, Presigner, Timestamp};
use presign_credentials_aws::AwsCredentialSource;
use presign_credentials_aws::aws_config::sts::AssumeRoleProvider;
use presign_credentials_aws::aws_config::{self, BehaviorVersion, Region};
use presign_policy::{Policy, PolicyLayer};
use presign_s3::{Addressing, S3Presigner};
use presign_tests::http;
use presign_tests::seaweedfs::{self, ACCESS_KEY, BUCKET, SECRET_KEY, STS_ROLE};

fn param<'a>(url: &'a str, name: &str) -> Option<&'a str> {
    url.split_once('?')?
        .1
        .split('&')
        .find_map(|p| p.strip_prefix(name)?.strip_prefix('='))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assumed_role_credentials_sign_urls_seaweedfs_accepts() {
    let Some(endpoint) = seaweedfs::endpoint() else {
        return;
    };
    // The long-term key pair authorizes AssumeRole at SeaweedFS's STS (same port).
    let base = aws_credential_types::Credentials::new(ACCESS_KEY, SECRET_KEY, None, None, "ci");
    // An empty profile instead of the user's ~/.aws files: the test reads nothing outside.
    let no_profiles = EnvConfigFiles::builder()
        .include_default_config_file(false)
        .include_default_credentials_file(false)
        .with_contents(EnvConfigFileKind::Config, "")
        .build();
    let sdk = aws_config::defaults(BehaviorVersion::latest())
        .profile_files(no_profiles)
        .region(Region::new("us-east-1"))
        .endpoint_url(&endpoint)
        .credentials_provider(base)
        .load()
        .await;
    let role = AssumeRoleProvider::builder(STS_ROLE)
        .session_name("presign-round-trip")
        .session_length(Duration::from_secs(900))
        .configure(&sdk)
        .build()
        .await;
    let source = AwsCredentialSource::from_provider(role, "aws-config AssumeRole (SeaweedFS STS)")
        .with_name("sts");
    let s3 = S3Presigner::builder()
        .name("sts")
        .bucket(BUCKET)
        .region("us-east-1")
        .endpoint(&endpoint)
        .addressing(Addressing::Path)
        .credential_source(Arc::new(source))
        .build()
        .unwrap();
    let presigner = PolicyLayer::new(Policy::default().with_key_prefixes(["sts/"]))
        .unwrap()
        .layer(s3);

    let key = format!("sts/{}/round-trip.txt", Timestamp::now().unix());
    let sign = |method| {
        PresignRequest::new(method, ObjectKey::new(&key).unwrap())
            .with_ttl(Duration::from_secs(900))
    };
    let put = presigner.presign(&sign(Method::Put)).await.unwrap();
    let url = put.expose_url().to_owned();
    assert!(
        param(&url, "X-Amz-Credential").is_some_and(|c| c.starts_with("ASIA")),
        "not a temporary key id: {}",
        put.redacted_url()
    );
    assert!(
        param(&url, "X-Amz-Security-Token").is_some(),
        "{}",
        put.redacted_url()
    );
    // The session lasts 15 minutes at most: the URL does not outlive it.
    let expires = presigner.inner().credentials_expire_at().await.unwrap();
    let expires = expires.expect("STS credentials carry an expiry");
    assert!(
        put.expires_at() <= expires,
        "{} > {expires}",
        put.expires_at()
    );

    let r = tokio::task::spawn_blocking(move || http::send("PUT", &url, &[], b"assumed role"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        r.status,
        200,
        "PUT with STS credentials: {}",
        r.body_snippet()
    );

    let get = presigner.presign(&sign(Method::Get)).await.unwrap();
    let url = get.expose_url().to_owned();
    let token = param(&url, "X-Amz-Security-Token").unwrap().to_owned();
    // The same URL with another session token (its last character changed).
    let mut forged = token.clone();
    let last = forged.pop().unwrap();
    forged.push(if last == 'A' { 'B' } else { 'A' });
    let forged_url = url.replace(&token, &forged);
    let (r, forged) = tokio::task::spawn_blocking(move || {
        (http::get(&url).unwrap(), http::get(&forged_url).unwrap())
    })
    .await
    .unwrap();
    assert_eq!(
        r.status,
        200,
        "GET with STS credentials: {}",
        r.body_snippet()
    );
    assert_eq!(r.body, b"assumed role");
    assert_eq!(
        forged.status,
        403,
        "a changed session token: {}",
        forged.body_snippet()
    );
}

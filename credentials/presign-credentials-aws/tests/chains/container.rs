//! ECS/EKS container credentials (`AWS_CONTAINER_CREDENTIALS_FULL_URI` + the authorization
//! token file) against our own server, in a child process with that environment.

use std::sync::Arc;
use std::time::Duration;

use presign_core::{Presigner, Timestamp};
use presign_credentials_aws::AwsCredentialSource;
use presign_credentials_testkit::child;
use presign_credentials_testkit::clock::StepClock;
use presign_credentials_testkit::require::temp_dir;
use presign_credentials_testkit::server::{Request, Response, TestServer};

use crate::support::{assert_clean_error, creds_json, get, now, presigner, report_fetch};

const AUTH: &str = "Bearer-test-token-for-the-agent";

async fn agent(expires: Timestamp) -> TestServer {
    TestServer::start(move |r: &Request| {
        if r.path() != "/v2/credentials/presign" {
            return Response::text(404, "not found");
        }
        if r.header("authorization") != Some(AUTH) {
            return Response::text(401, "missing token");
        }
        Response::json(creds_json("ASIACONTAINEREXAMPLE", expires))
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_uri_with_token_file() {
    const NAME: &str = "container::full_uri_with_token_file";
    if child::is_child(NAME) {
        report_fetch(AwsCredentialSource::container()).await;
        return;
    }
    let expires = now().checked_add(Duration::from_secs(3600)).unwrap();
    let server = agent(expires).await;
    let dir = temp_dir(NAME).unwrap();
    let token_file = dir.join("token");
    std::fs::write(&token_file, AUTH).unwrap();
    let uri = format!("{}/v2/credentials/presign", server.url());
    let out = child::run(
        NAME,
        &[
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri),
            (
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                token_file.to_str().unwrap(),
            ),
        ],
    )
    .unwrap();
    assert!(out.success, "{}", out.text);
    assert_eq!(out.value("error"), None, "{}", out.text);
    assert_eq!(
        out.value("key_id"),
        Some("ASIACONTAINEREXAMPLE"),
        "{}",
        out.text
    );
    assert_eq!(
        out.value("expires"),
        Some(expires.unix().to_string().as_str())
    );
    assert_eq!(out.value("describe"), Some("aws container credentials"));
    assert_eq!(server.count("/v2/credentials/presign"), 1);

    // Without the token file the agent refuses: a clean error, not the token.
    let out = child::run(NAME, &[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri)]).unwrap();
    let e = out.value("error").unwrap_or_else(|| panic!("{}", out.text));
    assert!(e.contains("container"), "{e}");
    assert!(!e.contains(AUTH), "{e}");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_credentials_from_the_agent_are_never_served() {
    const NAME: &str = "container::expired_credentials_from_the_agent_are_never_served";
    if child::is_child(NAME) {
        let s3 = presigner(
            Arc::new(AwsCredentialSource::container().with_name("prod")),
            Arc::new(StepClock::new(now())),
        );
        match s3.presign(&get(Duration::from_secs(60))).await {
            Ok(_) => child::report("signed", "yes"),
            Err(e) => {
                assert_clean_error(&e);
                child::report("error", &e.to_string());
            }
        }
        return;
    }
    let expired = now().checked_sub(Duration::from_secs(60)).unwrap();
    let server = agent(expired).await;
    let uri = format!("{}/v2/credentials/presign", server.url());
    let out = child::run(
        NAME,
        &[
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN", AUTH),
        ],
    )
    .unwrap();
    assert!(out.success, "{}", out.text);
    assert_eq!(out.value("signed"), None, "{}", out.text);
    assert!(
        out.value("error").unwrap_or("").contains("expired"),
        "{}",
        out.text
    );
}

//! IMDSv2 (session token, then the role's credentials) against our own server.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use presign_core::{Presigner, SyncPresigner};
use presign_credentials_aws::AwsCredentialSource;
use presign_credentials_testkit::clock::StepClock;
use presign_credentials_testkit::server::{Request, Response, TestServer, closed_port_url};

use crate::support::{assert_clean_error, creds_json, get, now, param, presigner};

const TOKEN: &str = "AQAEAIMDSv2-session-token";
const CREDS_PATH: &str = "/latest/meta-data/iam/security-credentials/";

/// An IMDSv2 server: `PUT /latest/api/token` hands out a session token, the metadata paths
/// require it; the role's credentials come from `creds(n)` for the n-th fetch (from 1).
pub(crate) async fn imds_server(
    creds: impl Fn(usize) -> Response + Send + Sync + 'static,
) -> TestServer {
    let n = AtomicUsize::new(0);
    TestServer::start(move |r: &Request| {
        if r.method == "PUT" && r.path() == "/latest/api/token" {
            return match r.header("x-aws-ec2-metadata-token-ttl-seconds") {
                Some(ttl) => Response::text(200, TOKEN)
                    .with_header("x-aws-ec2-metadata-token-ttl-seconds", ttl),
                None => Response::text(400, "missing ttl"),
            };
        }
        if r.header("x-aws-ec2-metadata-token") != Some(TOKEN) {
            return Response::text(401, "unauthorized");
        }
        match r.path() {
            CREDS_PATH => Response::text(200, "presign-role"),
            "/latest/meta-data/iam/security-credentials/presign-role" => {
                creds(n.fetch_add(1, Ordering::SeqCst) + 1)
            }
            _ => Response::text(404, "not found"),
        }
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn fetch_then_no_io_while_fresh_then_refresh_ahead_of_expiry() {
    let t0 = now();
    let expires = t0.checked_add(Duration::from_secs(3600)).unwrap();
    let server =
        imds_server(move |n| Response::json(creds_json(&format!("ASIAIMDSEXAMPLE{n}"), expires)))
            .await;
    let clock = Arc::new(StepClock::new(t0));
    let s3 = presigner(
        Arc::new(
            AwsCredentialSource::imds_at(&server.url())
                .unwrap()
                .with_name("prod"),
        ),
        clock.clone(),
    );
    // Nothing fetched yet: the synchronous path refuses rather than block.
    let e = s3.presign_sync(&get(Duration::from_secs(60))).unwrap_err();
    assert_eq!(e.kind(), "would_block", "{e}");

    let url = s3.presign(&get(Duration::from_secs(60))).await.unwrap();
    let url = url.expose_url().to_owned();
    assert!(
        param(&url, "X-Amz-Credential")
            .unwrap()
            .starts_with("ASIAIMDSEXAMPLE1%2F"),
        "{url}"
    );
    assert!(param(&url, "X-Amz-Security-Token").is_some(), "{url}");
    let fetches = server.count(CREDS_PATH);
    // A token PUT came first, and every metadata GET carried the token (or got a 401).
    assert!(server.requests().iter().any(|r| r.method == "PUT"));

    // Fresh: async and sync signing do no I/O.
    for _ in 0..3 {
        s3.presign(&get(Duration::from_secs(60))).await.unwrap();
        s3.presign_sync(&get(Duration::from_secs(60))).unwrap();
    }
    assert_eq!(server.count(CREDS_PATH), fetches);

    // 4 minutes before expiry (inside the 5-minute margin): the next signature refreshes.
    clock.advance(Duration::from_secs(56 * 60));
    assert_eq!(
        s3.presign_sync(&get(Duration::from_secs(60)))
            .unwrap_err()
            .kind(),
        "would_block"
    );
    let url = s3.presign(&get(Duration::from_secs(60))).await.unwrap();
    assert!(
        param(url.expose_url(), "X-Amz-Credential")
            .unwrap()
            .starts_with("ASIAIMDSEXAMPLE2%2F")
    );
    assert!(server.count(CREDS_PATH) > fetches);
    assert!(s3.credential_source_description().contains("IMDSv2"));
}

#[tokio::test]
async fn malformed_and_refused_responses_are_clear_errors() {
    let cases: Vec<(&str, Response)> = vec![
        ("not json", Response::json("{\"AccessKeyId\": \"ASIA")),
        (
            "code",
            Response::json(r#"{"Code":"AssumeRoleUnauthorizedAccess","Message":"denied"}"#),
        ),
        (
            "no secret",
            Response::json(
                r#"{"Code":"Success","AccessKeyId":"ASIAX","Token":"IQoJb3JpZ2luX2VjEXAMPLETOKEN","Expiration":"2030-01-01T00:00:00Z"}"#,
            ),
        ),
        ("500", Response::text(500, "wJalrXUtnFEMI internal")),
    ];
    for (what, resp) in cases {
        let server = imds_server(move |_| resp.clone()).await;
        let s3 = presigner(
            Arc::new(
                AwsCredentialSource::imds_at(&server.url())
                    .unwrap()
                    .with_name("prod"),
            ),
            Arc::new(StepClock::new(now())),
        );
        let e = s3.presign(&get(Duration::from_secs(60))).await.unwrap_err();
        assert_clean_error(&e);
        assert!(e.to_string().contains("IMDSv2"), "{what}: {e}");
    }
}

#[tokio::test]
async fn server_down_is_a_credentials_error() {
    let url = closed_port_url().unwrap();
    let s3 = presigner(
        Arc::new(
            AwsCredentialSource::imds_at(&url)
                .unwrap()
                .with_name("prod"),
        ),
        Arc::new(StepClock::new(now())),
    );
    let e = s3.presign(&get(Duration::from_secs(60))).await.unwrap_err();
    assert_clean_error(&e);
}

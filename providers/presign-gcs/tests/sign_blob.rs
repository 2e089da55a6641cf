#![cfg(test)] // all test code: clippy.toml's allow-*-in-tests cover its helpers too
//! Keyless signing through IAM `signBlob`, against a local HTTP server on 127.0.0.1 that checks
//! the request shape (path, bearer token, JSON body with the base64 string to sign), and the
//! errors when the call fails (Error::Provider naming the provider, never the token).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use base64::Engine as _;
use presign_core::{BearerToken, Credential, StaticCredential};
use presign_core::{FixedClock, PresignRequest, Presigner, Timestamp};
use presign_gcs::{GcsPresigner, IamSignBlob, SignerKind};

const EMAIL: &str = "signer@example-project.iam.gserviceaccount.com";
const TOKEN: &str = "ya29.TEST-ACCESS-TOKEN-never-printed";

/// What the fake IAM server saw.
#[derive(Debug, Default, Clone)]
struct Seen {
    request_line: String,
    authorization: String,
    content_type: String,
    body: String,
}

/// Serves exactly one request on 127.0.0.1 and answers `status` with `body`.
fn serve_once(status: u16, answer: String) -> (String, Arc<Mutex<Seen>>, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Seen::default()));
    let seen2 = Arc::clone(&seen);
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut s = Seen::default();
        reader.read_line(&mut s.request_line).unwrap();
        let mut len = 0usize;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').unwrap();
            let value = value.trim().to_owned();
            match name.to_ascii_lowercase().as_str() {
                "content-length" => len = value.parse().unwrap(),
                "authorization" => s.authorization = value,
                "content-type" => s.content_type = value,
                _ => {}
            }
        }
        let mut body = vec![0; len];
        reader.read_exact(&mut body).unwrap();
        s.body = String::from_utf8(body).unwrap();
        *seen2.lock().unwrap() = s;
        let mut stream = stream;
        write!(
            stream,
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
            answer.len()
        )
        .unwrap();
    });
    (format!("http://{addr}"), seen, handle)
}

fn keyless(endpoint: &str) -> GcsPresigner {
    let iam = IamSignBlob::new(
        "gcs-keyless",
        EMAIL,
        Arc::new(StaticCredential::new(Credential::new(BearerToken::new(
            TOKEN,
        )))),
    )
    .unwrap()
    .with_endpoint(endpoint)
    .unwrap();
    GcsPresigner::builder()
        .name("gcs-keyless")
        .bucket("test-bucket")
        .signer(SignerKind::SignBlob)
        .blob_signer(Arc::new(iam))
        .clock(Arc::new(FixedClock(
            Timestamp::parse_rfc3339("2019-02-01T09:00:00Z").unwrap(),
        )))
        .build()
        .unwrap()
}

#[tokio::test]
async fn sign_blob_request_shape_and_url() {
    let b64 = base64::engine::general_purpose::STANDARD;
    let fake_signature = [0xAB_u8, 0xCD, 0x01, 0x23];
    let (endpoint, seen, handle) = serve_once(
        200,
        format!(
            r#"{{"keyId":"k1","signedBlob":"{}"}}"#,
            b64.encode(fake_signature)
        ),
    );
    let gcs = keyless(&endpoint);
    assert_eq!(gcs.algorithm(), "GOOG4-RSA-SHA256");
    let request = PresignRequest::parse("GET", "a b/c.txt").unwrap();
    let signed = gcs.presign(&request).await.unwrap();
    handle.join().unwrap();
    let seen = seen.lock().unwrap().clone();

    assert_eq!(
        seen.request_line.trim_end(),
        format!("POST /v1/projects/-/serviceAccounts/{EMAIL}:signBlob HTTP/1.1")
    );
    assert_eq!(seen.authorization, format!("Bearer {TOKEN}"));
    assert!(seen.content_type.starts_with("application/json"));
    let body: serde_json::Value = serde_json::from_str(&seen.body).unwrap();
    let payload = b64.decode(body["payload"].as_str().unwrap()).unwrap();
    let explained = gcs.explain(&request).unwrap();
    assert_eq!(
        String::from_utf8(payload).unwrap(),
        explained.string_to_sign
    );

    let url = signed.expose_url();
    assert!(
        url.starts_with("https://storage.googleapis.com/test-bucket/a%20b/c.txt?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=signer%40example-project.iam.gserviceaccount.com%2F20190201%2Fauto%2Fstorage%2Fgoog4_request&"),
        "{url}"
    );
    assert!(url.ends_with("&X-Goog-Signature=abcd0123"), "{url}");
    assert!(!format!("{gcs:?} {signed:?}").contains(TOKEN));
}

#[tokio::test]
async fn sign_blob_failure_is_a_provider_error_without_the_token() {
    let answer = format!(
        r#"{{"error":{{"code":403,"message":"Permission 'iam.serviceAccounts.signBlob' denied for token {TOKEN}","status":"PERMISSION_DENIED"}}}}"#
    );
    let (endpoint, _, handle) = serve_once(403, answer);
    let gcs = keyless(&endpoint);
    let err = gcs
        .presign(&PresignRequest::parse("GET", "k").unwrap())
        .await
        .unwrap_err();
    handle.join().unwrap();
    assert_eq!(err.kind(), "provider", "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("gcs-keyless"), "{msg}");
    assert!(
        msg.contains("403") && msg.contains("PERMISSION_DENIED"),
        "{msg}"
    );
    assert!(msg.contains("serviceAccountTokenCreator"), "{msg}");
    assert!(
        !msg.contains(TOKEN) && !format!("{err:?}").contains(TOKEN),
        "{msg}"
    );
}

#[tokio::test]
async fn sign_blob_unreachable_and_bad_answers() {
    // Nothing listens: bind, learn the port, close.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let gcs = keyless(&format!("http://127.0.0.1:{port}"));
    let err = gcs
        .presign(&PresignRequest::parse("GET", "k").unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "provider");
    assert!(err.to_string().contains("gcs-keyless") && !err.to_string().contains(TOKEN));

    let (endpoint, _, handle) = serve_once(200, r#"{"keyId":"k1"}"#.into());
    let err = keyless(&endpoint)
        .presign(&PresignRequest::parse("GET", "k").unwrap())
        .await
        .unwrap_err();
    handle.join().unwrap();
    assert_eq!(err.kind(), "provider");
    assert!(err.to_string().contains("signedBlob"), "{err}");
}

#[test]
fn sign_blob_needs_a_blob_signer() {
    let err = GcsPresigner::builder()
        .bucket("test-bucket")
        .signer(SignerKind::SignBlob)
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), "credentials");
    assert!(err.to_string().contains("sign-blob"), "{err}");
    // A signBlob presigner cannot sign synchronously.
    let gcs = keyless("http://127.0.0.1:9");
    let req = presign_gcs::V4Request::new(
        presign_core::Method::Get,
        None,
        std::time::Duration::from_secs(10),
    );
    assert_eq!(gcs.presign_v4_sync(&req).unwrap_err().kind(), "would_block");
}

/// The bearer token only goes over HTTPS or to a loopback host: a plain-HTTP endpoint on a
/// remote host is refused when it is set, before any request (issue 9: GCS sent it anyway,
/// where Azure refused).
#[test]
fn sign_blob_refuses_plain_http_to_a_remote_host() {
    let iam = || {
        IamSignBlob::new(
            "gcs-keyless",
            EMAIL,
            Arc::new(StaticCredential::new(Credential::new(BearerToken::new(
                TOKEN,
            )))),
        )
        .unwrap()
    };
    for remote in [
        "http://iamcredentials.googleapis.com",
        "http://10.1.2.3:8080",
        "http://iam.internal.example/prefix",
    ] {
        let err = iam().with_endpoint(remote).unwrap_err();
        assert_eq!(err.kind(), "invalid_input", "{remote}");
        let msg = err.to_string();
        assert!(
            msg.contains("iam_endpoint") && msg.contains("plain HTTP"),
            "{remote}: {msg}"
        );
        assert!(!msg.contains(TOKEN));
    }
    for ok in [
        "https://iamcredentials.googleapis.com",
        "https://private.googleapis.com:8443",
        "http://127.0.0.1:9",
        "http://[::1]:9",
        "http://localhost:9",
    ] {
        assert!(iam().with_endpoint(ok).is_ok(), "{ok}");
    }
    for bad in ["http://127.0.0.1:99999", "https://u:p@h", "https://h/?x"] {
        assert!(iam().with_endpoint(bad).is_err(), "{bad}");
    }
}

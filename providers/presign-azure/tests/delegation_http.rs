#![cfg(feature = "user-delegation-http")]
#![cfg(test)] // all test code: clippy.toml's allow-*-in-tests cover its helpers too
//! `HttpDelegationKeySource` against a local HTTP server on 127.0.0.1 that checks the request
//! shape (method, path and query, bearer token, `x-ms-version`, XML body) and answers a fixed
//! `UserDelegationKey`; the SAS signed with it is verified independently (HMAC-SHA256 of the
//! documented user-delegation string-to-sign with the returned key). Also: the key is fetched
//! once for many URLs, and service errors and malformed answers are clear `Error::Provider`s
//! without the token.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use hmac::{Hmac, Mac};
use presign_azure::{AzurePresigner, Endpoint, HttpDelegationKeySource, SIGNED_VERSION};
use presign_core::{
    BearerToken, Credential, CredentialSource, Error, FixedClock, PresignRequest, Presigner,
    Timestamp,
};
use sha2::Sha256;

const TOKEN: &str = "eyJ0eXAi.TEST-ENTRA-TOKEN-never-printed";
const ACCOUNT: &str = "acct";
const CONTAINER: &str = "ctr";
const NOW: &str = "2026-03-01T10:00:00Z";
/// The key's bytes ("user delegation key bytes"), base64.
const KEY_B64: &str = "dXNlciBkZWxlZ2F0aW9uIGtleSBieXRlcw==";

fn key_xml() -> String {
    format!(
        "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?><UserDelegationKey>\
         <SignedOid>11111111-2222-3333-4444-555555555555</SignedOid>\
         <SignedTid>66666666-7777-8888-9999-000000000000</SignedTid>\
         <SignedStart>2026-03-01T10:00:00Z</SignedStart>\
         <SignedExpiry>2026-03-02T10:00:00Z</SignedExpiry>\
         <SignedService>b</SignedService>\
         <SignedVersion>{SIGNED_VERSION}</SignedVersion>\
         <Value>{KEY_B64}</Value></UserDelegationKey>"
    )
}

/// One request as the fake blob service saw it.
#[derive(Debug, Default, Clone)]
struct Seen {
    request_line: String,
    headers: HashMap<String, String>,
    body: String,
}

/// A fake blob service on 127.0.0.1 answering every request with `status` and `answer`.
struct Server {
    endpoint: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    count: Arc<AtomicUsize>,
}

fn serve(status: u16, answer: String) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let count = Arc::new(AtomicUsize::new(0));
    let (seen2, count2) = (Arc::clone(&seen), Arc::clone(&count));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            count2.fetch_add(1, Ordering::SeqCst);
            let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(10)));
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut s = Seen::default();
            if reader.read_line(&mut s.request_line).is_err() {
                continue;
            }
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    break;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    s.headers
                        .insert(name.to_ascii_lowercase(), value.trim().to_owned());
                }
            }
            let len: usize = s
                .headers
                .get("content-length")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            let mut body = vec![0; len];
            let _ = reader.read_exact(&mut body);
            s.body = String::from_utf8_lossy(&body).into_owned();
            seen2.lock().unwrap().push(s);
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\ncontent-type: application/xml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
    });
    Server {
        endpoint: format!("http://{addr}"),
        seen,
        count,
    }
}

/// A fixed Entra ID token.
#[derive(Debug)]
struct Fixed;

#[async_trait::async_trait]
impl CredentialSource<BearerToken> for Fixed {
    async fn fetch(&self, _now: Timestamp) -> Result<Credential<BearerToken>, Error> {
        Ok(Credential::expiring(
            BearerToken::new(TOKEN),
            Timestamp::MAX,
        ))
    }
    fn describe(&self) -> String {
        "fixed".into()
    }
}

fn presigner(endpoint: &str) -> AzurePresigner {
    let e = Endpoint::parse(ACCOUNT, endpoint).unwrap();
    let source = HttpDelegationKeySource::new("azure-ud", &e, Arc::new(Fixed)).unwrap();
    AzurePresigner::builder()
        .name("azure-ud")
        .account(ACCOUNT)
        .container(CONTAINER)
        .endpoint(endpoint)
        .user_delegation(Arc::new(source))
        .clock(Arc::new(FixedClock(Timestamp::parse_rfc3339(NOW).unwrap())))
        .build()
        .unwrap()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// The query of `url` as decoded name → value.
fn query(url: &str) -> HashMap<String, String> {
    let (_, q) = url.split_once('?').unwrap();
    q.split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (k.to_owned(), percent_decode(v))
        })
        .collect()
}

#[tokio::test]
async fn request_shape_sas_fields_and_independent_signature() {
    let server = serve(200, key_xml());
    let p = presigner(&server.endpoint);
    let request = PresignRequest::parse("GET", "dir/a b.txt").unwrap();
    let signed = p.presign(&request).await.unwrap();

    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    let s = &seen[0];
    assert_eq!(
        s.request_line.trim_end(),
        "POST /?restype=service&comp=userdelegationkey HTTP/1.1"
    );
    assert_eq!(s.headers["authorization"], format!("Bearer {TOKEN}"));
    assert_eq!(s.headers["x-ms-version"], SIGNED_VERSION);
    assert_eq!(s.headers["content-type"], "application/xml");
    assert_eq!(
        s.body,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><KeyInfo><Start>2026-03-01T10:00:00Z</Start><Expiry>2026-03-02T10:00:00Z</Expiry></KeyInfo>"
    );

    let url = signed.expose_url();
    assert!(
        url.starts_with(&format!("{}/{CONTAINER}/dir/a%20b.txt?", server.endpoint)),
        "{url}"
    );
    let q = query(url);
    assert_eq!(q["skoid"], "11111111-2222-3333-4444-555555555555");
    assert_eq!(q["sktid"], "66666666-7777-8888-9999-000000000000");
    assert_eq!(q["skt"], "2026-03-01T10:00:00Z");
    assert_eq!(q["ske"], "2026-03-02T10:00:00Z");
    assert_eq!(q["sks"], "b");
    assert_eq!(q["skv"], SIGNED_VERSION);
    assert_eq!(q["sv"], SIGNED_VERSION);
    assert!(!q.contains_key("skdutid"));
    assert!(!q.contains_key("si"));

    // The documented user-delegation string-to-sign (28 lines), computed here from the URL.
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    let resource = format!("/blob/{ACCOUNT}/{CONTAINER}/dir/a b.txt");
    let lines = [
        get("sp"),
        get("st"),
        get("se"),
        &resource,
        get("skoid"),
        get("sktid"),
        get("skt"),
        get("ske"),
        get("sks"),
        get("skv"),
        get("saoid"),
        get("suoid"),
        get("scid"),
        get("skdutid"),
        get("sduoid"),
        get("sip"),
        get("spr"),
        get("sv"),
        get("sr"),
        "", // snapshot or version id
        get("ses"),
        get("srh"),
        get("srq"),
        get("rscc"),
        get("rscd"),
        get("rsce"),
        get("rscl"),
        get("rsct"),
    ];
    let string_to_sign = lines.join("\n");
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut mac = Hmac::<Sha256>::new_from_slice(&b64.decode(KEY_B64).unwrap()).unwrap();
    mac.update(string_to_sign.as_bytes());
    assert_eq!(q["sig"], b64.encode(mac.finalize().into_bytes()));

    assert!(!format!("{p:?} {signed:?}").contains(TOKEN));
}

#[tokio::test]
async fn a_hundred_presigns_make_one_request() {
    let server = serve(200, key_xml());
    let p = presigner(&server.endpoint);
    for i in 0..100 {
        let request = PresignRequest::parse("PUT", &format!("k/{i}")).unwrap();
        let signed = p.presign(&request).await.unwrap();
        assert!(signed.expose_url().contains("&skoid="));
    }
    assert_eq!(server.count.load(Ordering::SeqCst), 1);
    assert_eq!(server.seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_403_is_a_provider_error_with_code_and_message_without_the_token() {
    let server = serve(
        403,
        "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthorizationPermissionMismatch</Code><Message>This request is not authorized to perform this operation using this permission.\nRequestId:abc\nTime:2026-03-01T10:00:00Z</Message></Error>".to_owned(),
    );
    let p = presigner(&server.endpoint);
    let err = p
        .presign(&PresignRequest::parse("GET", "k").unwrap())
        .await
        .unwrap_err();
    let Error::Provider { provider, reason } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(provider, "azure-ud");
    assert!(reason.contains("HTTP 403"), "{reason}");
    assert!(
        reason.contains("AuthorizationPermissionMismatch: This request is not authorized"),
        "{reason}"
    );
    assert!(!reason.contains('\n'), "{reason}");
    let all = format!("{err} {err:?}");
    assert!(!all.contains(TOKEN), "{all}");
}

#[tokio::test]
async fn a_malformed_answer_is_a_clear_error() {
    for (answer, expect) in [
        ("not xml at all".to_owned(), "no UserDelegationKey element"),
        (
            key_xml()
                .replace("<Value>", "<Nope>")
                .replace("</Value>", "</Nope>"),
            "has no Value",
        ),
        (
            key_xml().replace("2026-03-02T10:00:00Z", "tomorrow"),
            "SignedExpiry",
        ),
        (
            "<UserDelegationKey><SignedOid>".to_owned(),
            "UserDelegationKey element is not closed",
        ),
    ] {
        let server = serve(200, answer);
        let p = presigner(&server.endpoint);
        let err = p
            .presign(&PresignRequest::parse("GET", "k").unwrap())
            .await
            .unwrap_err();
        let Error::Provider { provider, reason } = &err else {
            panic!("{err:?}");
        };
        assert_eq!(provider, "azure-ud");
        assert!(reason.contains("Get User Delegation Key"), "{reason}");
        assert!(reason.contains(expect), "{expect}: {reason}");
        assert!(!format!("{err:?}").contains(TOKEN));
        assert!(!format!("{err:?}").contains(KEY_B64));
    }
}

#[test]
fn plain_http_to_a_remote_host_is_refused() {
    let e = Endpoint::parse(ACCOUNT, "http://azurite.example:10000/acct").unwrap();
    let err = HttpDelegationKeySource::new("azure-ud", &e, Arc::new(Fixed)).unwrap_err();
    assert!(err.to_string().contains("plain HTTP"), "{err}");
    let e = Endpoint::public(ACCOUNT).unwrap();
    let s = HttpDelegationKeySource::new("azure-ud", &e, Arc::new(Fixed)).unwrap();
    assert_eq!(
        s.url(),
        "https://acct.blob.core.windows.net/?restype=service&comp=userdelegationkey"
    );
}

//! The AWS SigV4 test suite (awslabs/aws-c-auth, `tests/aws-signing-test-suite/v4/`) in query
//! (presigned URL) mode, through `presign_v4` (the one V4 signer), and the S3 documentation's query-auth
//! example through `S3Presigner`.
//!
//! Every case folder is read at test time. A folder is either passed or listed in
//! [`NOT_APPLICABLE`] with its reason; anything else fails the test.
//!
//! Path encoding: aws-c-auth's generic-service mode ("normalize": true) double-encodes the
//! request-line path, and the vectors write that path unencoded (`/example space/`, `/ሴ`), so
//! the expected canonical URIs are the raw path encoded exactly once (`/example%20space/`), in
//! the normalized and the unnormalized cases alike. Our `sigv4` takes the raw path, so the
//! vectors are signed with `double_encode_path: false` and `normalize_path` from the case; no
//! vector path contains a `%`, so double encoding is checked by unit tests in presign-v4.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use presign_core::crypto::{hex, sha256};
use presign_core::encoding::decode_lossy;
use presign_core::{FixedClock, PresignRequest, Presigner, SecretString, Timestamp};
use presign_s3::{Addressing, Credentials, S3Presigner};
use presign_v4::{Dialect, PayloadHash, QueryRequest, SigningKey, SigningParams, sign_query};

/// Case folders this test does not apply, with the reason.
const NOT_APPLICABLE: &[(&str, &str)] = &[];

/// A raw HTTP request as written in `request.txt`.
struct RawRequest {
    method: String,
    /// The request target's path, as written.
    path: String,
    /// The request target's query, as written (without `?`), if any.
    query: Option<String>,
    /// Header lines as written (continuation lines included).
    header_lines: Vec<String>,
    /// Headers with folded values unfolded (`value1 value2`).
    headers: Vec<(String, String)>,
    body: String,
}

fn parse_request(text: &str) -> RawRequest {
    let (head, body) = match text.split_once("\n\n") {
        Some((h, b)) => (h, b.to_owned()),
        None => (text.trim_end_matches('\n'), String::new()),
    };
    let mut lines = head.split('\n');
    let request_line = lines.next().unwrap();
    let (method, rest) = request_line.split_once(' ').unwrap();
    let target = rest
        .strip_suffix(" HTTP/1.1")
        .expect("request line ends with HTTP/1.1");
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (target.to_owned(), None),
    };
    let header_lines: Vec<String> = lines.map(str::to_owned).collect();
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in &header_lines {
        if line.starts_with(' ') || line.starts_with('\t') {
            // obs-fold: the continuation joins the previous value with a space.
            let last = headers
                .last_mut()
                .expect("continuation line after a header");
            last.1.push(' ');
            last.1.push_str(line.trim());
        } else {
            let (name, value) = line.split_once(':').expect("header line has a colon");
            headers.push((name.to_owned(), value.to_owned()));
        }
    }
    RawRequest {
        method: method.to_owned(),
        path,
        query,
        header_lines,
        headers,
        body,
    }
}

/// `name=value` pairs of a query, decoded.
fn decoded_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (n, v) = p.split_once('=').unwrap_or((p, ""));
            (decode_lossy(n), decode_lossy(v))
        })
        .collect()
}

/// `name=value` pairs of a query, as written.
fn raw_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (n, v) = p.split_once('=').unwrap_or((p, ""));
            (n.to_owned(), v.to_owned())
        })
        .collect()
}

fn read(dir: &Path, name: &str) -> String {
    fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{}/{name}: {e}", dir.display()))
}

/// Signs one case; on mismatch returns what differs.
fn run_case(dir: &Path) -> Result<(), String> {
    let ctx: serde_json::Value = serde_json::from_str(&read(dir, "context.json")).unwrap();
    let creds = &ctx["credentials"];
    let access_key_id = creds["access_key_id"].as_str().unwrap();
    let secret = SecretString::new(creds["secret_access_key"].as_str().unwrap());
    let token = creds["token"].as_str();
    let region = ctx["region"].as_str().unwrap();
    let service = ctx["service"].as_str().unwrap();
    let normalize = ctx["normalize"].as_bool().unwrap();
    let sign_body = ctx["sign_body"].as_bool().unwrap_or(false);
    let omit_token = ctx["omit_session_token"].as_bool().unwrap_or(false);
    let expires = ctx["expiration_in_seconds"].as_u64().unwrap();
    let time = Timestamp::parse_rfc3339(ctx["timestamp"].as_str().unwrap()).unwrap();

    let req = parse_request(&read(dir, "request.txt"));
    let host = req
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("host"))
        .map(|(_, v)| v.clone())
        .expect("a Host header");
    let other_headers: Vec<(&str, &str)> = req
        .headers
        .iter()
        .filter(|(n, _)| !n.eq_ignore_ascii_case("host"))
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let query = req.query.as_deref().map(decoded_pairs).unwrap_or_default();
    let query_refs: Vec<(&str, &str)> = query
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let path = decode_lossy(&req.path);
    let body_hash = hex(&sha256(if sign_body { req.body.as_bytes() } else { b"" }));

    let params = SigningParams {
        dialect: &Dialect::AWS4_HMAC_SHA256,
        normalize_path: normalize,
        double_encode_path: false,
        payload_hash: PayloadHash::Hex(&body_hash),
        omit_session_token: omit_token,
    };
    let key = SigningKey::derive(
        &Dialect::AWS4_HMAC_SHA256,
        access_key_id,
        &secret,
        time,
        region,
        service,
    );
    let signed = sign_query(
        &params,
        &key,
        &QueryRequest {
            method: &req.method,
            host: &host,
            path: &path,
            query: &query_refs,
            headers: &other_headers,
            time,
            expires_in: expires,
            session_token: token,
        },
    )
    .map_err(|e| e.to_string())?;

    let mut diffs = Vec::new();
    let mut check = |what: &str, got: &str, want: &str| {
        if got != want {
            diffs.push(format!("{what}:\n--- got\n{got}\n--- want\n{want}"));
        }
    };
    check(
        "canonical request",
        &signed.canonical_request,
        &read(dir, "query-canonical-request.txt"),
    );
    check(
        "string to sign",
        &signed.string_to_sign,
        &read(dir, "query-string-to-sign.txt"),
    );
    check(
        "signature",
        &signed.signature,
        read(dir, "query-signature.txt").trim(),
    );

    // The signed request: the original request line's path and query as written, then the
    // authentication parameters in the order aws-c-auth writes them, then headers and body.
    let ours = raw_pairs(&signed.query);
    let param = |name: &str| ours.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let mut line = format!("{} {}?", req.method, req.path);
    if let Some(q) = &req.query {
        line.push_str(q);
        line.push('&');
    }
    let order = [
        "X-Amz-Algorithm",
        "X-Amz-Credential",
        "X-Amz-Date",
        "X-Amz-SignedHeaders",
        "X-Amz-Expires",
        "X-Amz-Security-Token",
        "X-Amz-Signature",
    ];
    let auth: Vec<String> = order
        .iter()
        .filter_map(|n| param(n).map(|v| format!("{n}={v}")))
        .collect();
    line.push_str(&auth.join("&"));
    line.push_str(" HTTP/1.1");
    let mut signed_request = line;
    signed_request.push('\n');
    for h in &req.header_lines {
        signed_request.push_str(h);
        signed_request.push('\n');
    }
    signed_request.push('\n');
    signed_request.push_str(&req.body);
    let want_request = read(dir, "query-signed-request.txt");
    check("signed request", &signed_request, &want_request);

    // And our own URL query (canonical order) carries exactly the vector's parameters.
    let want_line = want_request.lines().next().unwrap_or_default();
    let want_target = want_line
        .split_once(' ')
        .map(|(_, r)| r.trim_end_matches(" HTTP/1.1"))
        .unwrap_or_default();
    let want_set: BTreeSet<(String, String)> = want_target
        .split_once('?')
        .map(|(_, q)| decoded_pairs(q).into_iter().collect())
        .unwrap_or_default();
    let got_set: BTreeSet<(String, String)> = decoded_pairs(&signed.query).into_iter().collect();
    if got_set != want_set {
        diffs.push(format!(
            "URL query parameters:\n got  {got_set:?}\n want {want_set:?}"
        ));
    }

    if diffs.is_empty() {
        Ok(())
    } else {
        Err(diffs.join("\n"))
    }
}

#[test]
fn aws_sigv4_suite_query_mode() {
    let root = presign_tests::vectors_dir().join("aws-sigv4");
    let mut cases: Vec<_> = fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases in {}", root.display());

    let mut passed = 0;
    let mut not_applicable = Vec::new();
    let mut failed = Vec::new();
    for dir in &cases {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if let Some((_, reason)) = NOT_APPLICABLE.iter().find(|(n, _)| *n == name) {
            println!("n/a   {name}: {reason}");
            not_applicable.push(format!("{name}: {reason}"));
            continue;
        }
        match run_case(dir) {
            Ok(()) => {
                println!(
                    "ok    {name}: canonical request, string to sign, signature, signed request"
                );
                passed += 1;
            }
            Err(diff) => {
                println!("FAIL  {name}\n{diff}");
                failed.push(name);
            }
        }
    }
    for (name, _) in NOT_APPLICABLE {
        assert!(
            cases
                .iter()
                .any(|c| c.file_name().unwrap().to_string_lossy() == *name),
            "NOT_APPLICABLE lists {name}, which is not a case folder"
        );
    }
    println!(
        "aws-sigv4 query mode: {passed} passed, {} not applicable ({}), {} failed",
        not_applicable.len(),
        if not_applicable.is_empty() {
            "none".to_owned()
        } else {
            not_applicable.join("; ")
        },
        failed.len()
    );
    assert!(failed.is_empty(), "failed cases: {failed:?}");
    assert_eq!(passed + not_applicable.len(), cases.len());
}

/// "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)", S3 API
/// reference: GET examplebucket/test.txt, 2013-05-24T00:00:00Z, 86400 s, us-east-1.
#[test]
fn s3_documentation_example_through_s3_presigner() {
    let time = Timestamp::parse_rfc3339("2013-05-24T00:00:00Z").unwrap();
    let s3 = S3Presigner::builder()
        .bucket("examplebucket")
        .region("us-east-1")
        // The global endpoint plus virtual addressing gives the documented host.
        .endpoint("https://s3.amazonaws.com")
        .addressing(Addressing::Virtual)
        .credentials(Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ))
        .clock(std::sync::Arc::new(FixedClock(time)))
        .build()
        .unwrap();
    assert_eq!(s3.host(), "examplebucket.s3.amazonaws.com");
    let request = PresignRequest::parse("GET", "test.txt")
        .unwrap()
        .with_ttl(std::time::Duration::from_secs(86_400));
    let signed = futures_executor::block_on(s3.presign(&request)).unwrap();
    let explained = s3.explain(&request).unwrap();
    assert_eq!(
        explained.canonical_request,
        "GET\n/test.txt\n\
         X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\n\
         host:examplebucket.s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD"
    );
    assert_eq!(
        explained.string_to_sign,
        "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n\
         3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04"
    );
    assert_eq!(
        signed.expose_url(),
        "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256\
         &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
         &X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\
         &X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
    );
    assert!(signed.headers().is_empty());
    assert_eq!(signed.provider(), "s3");
    println!("ok    S3 documentation example: signature aeeed9bb...f604d404 through S3Presigner");
}

#![cfg(test)] // all test code: clippy.toml's allow-*-in-tests cover its helpers too
//! What an account-key presigner signs and refuses: permissions per method, constraints,
//! time-to-live, start times, endpoints, builder errors, redaction.

use std::sync::Arc;
use std::time::Duration;

use futures_executor::block_on;
use presign_azure::AzurePresigner;
use presign_core::{
    ClientIp, ConstraintKind, Constraints, ContentLength, FixedClock, Method, ObjectKey,
    PresignRequest, PresignedRequest, Presigner, SecretString, Timestamp,
};

const KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

fn now() -> Timestamp {
    Timestamp::parse_rfc3339("2026-03-04T05:06:07Z").unwrap()
}

fn presigner() -> AzurePresigner {
    AzurePresigner::builder()
        .account("devstoreaccount1")
        .container("presign-test")
        .account_key(SecretString::new(KEY))
        .endpoint("http://127.0.0.1:10000/devstoreaccount1")
        .clock(Arc::new(FixedClock(now())))
        .build()
        .unwrap()
}

fn sign(
    p: &AzurePresigner,
    method: Method,
    c: Constraints,
) -> Result<PresignedRequest, presign_core::Error> {
    let r =
        PresignRequest::new(method, ObjectKey::new("dir/file.txt").unwrap()).with_constraints(c);
    block_on(p.presign(&r))
}

fn query(url: &str) -> Vec<(String, String)> {
    url.split_once('?')
        .unwrap()
        .1
        .split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (k.to_owned(), presign_core::encoding::decode_lossy(v))
        })
        .collect()
}

fn get(url: &str, name: &str) -> Option<String> {
    query(url)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

#[test]
fn least_privilege_permissions_and_blob_type_header() {
    let p = presigner();
    for (method, create_only, sp) in [
        (Method::Get, false, "r"),
        (Method::Head, false, "r"),
        (Method::Put, false, "cw"),
        (Method::Put, true, "c"),
        (Method::Delete, false, "d"),
    ] {
        let mut c = Constraints::default();
        c.create_only = create_only;
        let s = sign(&p, method, c).unwrap();
        assert_eq!(get(s.expose_url(), "sp").as_deref(), Some(sp), "{method}");
        assert_eq!(get(s.expose_url(), "sr").as_deref(), Some("b"));
        let want: &[(String, String)] = if method == Method::Put {
            &[("x-ms-blob-type".to_owned(), "BlockBlob".to_owned())]
        } else {
            &[]
        };
        assert_eq!(s.headers(), want);
    }
    let e = sign(&p, Method::Post, Constraints::default()).unwrap_err();
    assert_eq!(e.kind(), "unsupported_method", "{e}");
}

#[test]
fn enforced_constraints_land_in_the_url() {
    let p = presigner();
    let mut c = Constraints::default();
    c.client_ip = Some(ClientIp::parse("10.0.0.0/30").unwrap());
    c.https_only = true;
    c.not_before = Some(now().saturating_sub(Duration::from_secs(60)));
    c.response.content_disposition = Some("attachment; filename=\"a b.txt\"".into());
    c.response.content_type = Some("text/plain".into());
    c.response.cache_control = Some("no-store".into());
    c.response.content_language = Some("de".into());
    c.response.content_encoding = Some("gzip".into());
    let s = sign(&p, Method::Get, c).unwrap();
    let u = s.expose_url();
    assert_eq!(get(u, "sip").as_deref(), Some("10.0.0.0-10.0.0.3"));
    assert_eq!(get(u, "spr").as_deref(), Some("https"));
    assert_eq!(get(u, "st").as_deref(), Some("2026-03-04T05:05:07Z"));
    assert_eq!(get(u, "se").as_deref(), Some("2026-03-04T05:11:07Z"));
    assert_eq!(
        get(u, "rscd").as_deref(),
        Some("attachment; filename=\"a b.txt\"")
    );
    assert_eq!(get(u, "rsct").as_deref(), Some("text/plain"));
    assert_eq!(get(u, "rscc").as_deref(), Some("no-store"));
    assert_eq!(get(u, "rscl").as_deref(), Some("de"));
    assert_eq!(get(u, "rsce").as_deref(), Some("gzip"));
    assert_eq!(
        s.expires_at(),
        Timestamp::parse_rfc3339("2026-03-04T05:11:07Z").unwrap()
    );
    assert_eq!(s.signed_at(), now());
    // Without https_only, both protocols.
    let s = sign(&p, Method::Get, Constraints::default()).unwrap();
    assert_eq!(get(s.expose_url(), "spr").as_deref(), Some("https,http"));
    assert_eq!(get(s.expose_url(), "st"), None);
}

#[test]
fn versions_sign_sr_bv() {
    let p = presigner();
    let mut c = Constraints::default();
    c.version = Some("2024-01-02T03:04:05.1234567Z".into());
    let s = sign(&p, Method::Get, c.clone()).unwrap();
    assert_eq!(get(s.expose_url(), "sr").as_deref(), Some("bv"));
    assert_eq!(
        get(s.expose_url(), "versionid").as_deref(),
        Some("2024-01-02T03:04:05.1234567Z")
    );
    let s = sign(&p, Method::Delete, c.clone()).unwrap();
    assert_eq!(get(s.expose_url(), "sp").as_deref(), Some("x"));
    assert_eq!(
        sign(&p, Method::Put, c).unwrap_err().kind(),
        "invalid_constraint"
    );
    let mut c = Constraints::default();
    c.version = Some("bad version".into());
    assert_eq!(
        sign(&p, Method::Get, c).unwrap_err().kind(),
        "invalid_constraint"
    );
}

#[test]
fn unenforceable_constraints_are_refused_by_name() {
    let p = presigner();
    type Setter = Box<dyn Fn(&mut Constraints)>;
    let cases: Vec<(ConstraintKind, Setter)> = vec![
        (
            ConstraintKind::ContentType,
            Box::new(|c| c.content_type = Some("image/png".into())),
        ),
        (
            ConstraintKind::ContentLengthExact,
            Box::new(|c| c.content_length = Some(ContentLength::Exact(5))),
        ),
        (
            ConstraintKind::ContentLengthRange,
            Box::new(|c| c.content_length = Some(ContentLength::Range { min: 1, max: 9 })),
        ),
        (
            ConstraintKind::ContentMd5,
            Box::new(|c| c.content_md5 = Some("1B2M2Y8AsgTpgAmY7PhCfg==".into())),
        ),
        (
            ConstraintKind::ClientIpV6,
            Box::new(|c| c.client_ip = Some(ClientIp::parse("2001:db8::/64").unwrap())),
        ),
        (
            ConstraintKind::ResponseExpires,
            Box::new(|c| c.response.expires = Some("0".into())),
        ),
        (
            ConstraintKind::Metadata,
            Box::new(|c| c.metadata.push(("a".into(), "b".into()))),
        ),
        (
            ConstraintKind::ExtraHeaders,
            Box::new(|c| c.headers.push(("x-ms-meta-a".into(), "b".into()))),
        ),
        (
            ConstraintKind::ExtraQuery,
            Box::new(|c| c.query.push(("a".into(), "b".into()))),
        ),
    ];
    for (kind, set) in cases {
        let mut c = Constraints::default();
        set(&mut c);
        let e = sign(&p, Method::Put, c).unwrap_err();
        assert_eq!(e.kind(), "constraint_not_enforced", "{kind}: {e}");
        assert!(e.to_string().contains(kind.as_str()), "{e}");
    }
    let mut c = Constraints::default();
    c.create_only = true;
    assert_eq!(
        sign(&p, Method::Get, c).unwrap_err().kind(),
        "invalid_constraint"
    );
    let mut c = Constraints::default();
    c.response.content_disposition = Some("a\nb".into());
    assert_eq!(
        sign(&p, Method::Get, c).unwrap_err().kind(),
        "invalid_constraint"
    );
    let mut c = Constraints::default();
    c.not_before = Some(now().checked_add(Duration::from_secs(3600)).unwrap());
    assert_eq!(
        sign(&p, Method::Get, c).unwrap_err().kind(),
        "invalid_constraint"
    );
}

#[test]
fn ttl_bounds_and_blob_name_limit() {
    let p = presigner();
    let r = |ttl: u64| {
        PresignRequest::parse("GET", "a")
            .unwrap()
            .with_ttl(Duration::from_secs(ttl))
    };
    assert!(block_on(p.presign(&r(7 * 24 * 3600))).is_ok());
    assert_eq!(
        block_on(p.presign(&r(7 * 24 * 3600 + 1)))
            .unwrap_err()
            .kind(),
        "invalid_ttl"
    );
    assert_eq!(
        block_on(p.presign(&r(0))).unwrap_err().kind(),
        "invalid_ttl"
    );
    let long = PresignRequest::parse("GET", &"ü".repeat(1025)).unwrap();
    let e = block_on(p.presign(&long)).unwrap_err();
    assert!(e.to_string().contains("1025 characters"), "{e}");
    assert!(block_on(p.presign(&PresignRequest::parse("GET", &"ü".repeat(1024)).unwrap())).is_ok());
}

#[test]
fn start_backdate_and_not_before() {
    let p = AzurePresigner::builder()
        .account("acct")
        .container("ctr")
        .account_key(SecretString::new(KEY))
        .start_backdate(Duration::from_secs(300))
        .clock(Arc::new(FixedClock(now())))
        .build()
        .unwrap();
    let s = sign(&p, Method::Get, Constraints::default()).unwrap();
    assert_eq!(
        get(s.expose_url(), "st").as_deref(),
        Some("2026-03-04T05:01:07Z")
    );
    assert!(
        s.expose_url()
            .starts_with("https://acct.blob.core.windows.net/ctr/dir/file.txt?")
    );
    let mut c = Constraints::default();
    c.not_before = Some(now());
    let s = sign(&p, Method::Get, c).unwrap();
    assert_eq!(
        get(s.expose_url(), "st").as_deref(),
        Some("2026-03-04T05:06:07Z")
    );
}

#[test]
fn stored_access_policy_is_signed_as_si() {
    let p = AzurePresigner::builder()
        .account("acct")
        .container("ctr")
        .account_key(SecretString::new(KEY))
        .stored_access_policy("presign-v1")
        .build()
        .unwrap();
    let s = sign(&p, Method::Get, Constraints::default()).unwrap();
    assert_eq!(get(s.expose_url(), "si").as_deref(), Some("presign-v1"));
}

#[test]
fn builder_errors_name_the_field() {
    let base = || AzurePresigner::builder().account("acct").container("ctr");
    let msg = |b: presign_azure::AzurePresignerBuilder| b.build().unwrap_err().to_string();
    assert!(
        msg(AzurePresigner::builder()
            .container("ctr")
            .account_key(KEY.into()))
        .contains("azure account")
    );
    assert!(
        msg(AzurePresigner::builder()
            .account("acct")
            .account_key(KEY.into()))
        .contains("azure container")
    );
    assert!(msg(base()).contains("no credentials"));
    assert!(msg(base().account_key("not base64!".into())).contains("not valid base64"));
    assert!(msg(base().account_key(KEY.into()).container("Bad_Name")).contains("azure container"));
    assert!(msg(base().account_key(KEY.into()).endpoint("ftp://x")).contains("azure endpoint"));
    assert!(
        msg(base().account_key(KEY.into()).stored_access_policy(""))
            .contains("stored_access_policy")
    );
    assert!(
        msg(base()
            .account_key(KEY.into())
            .start_backdate(Duration::from_secs(2 * 86400)))
        .contains("start_backdate")
    );
    // The key never shows up in errors or Debug output.
    let e = msg(base().account_key(SecretString::new("c2VjcmV0!!")));
    assert!(!e.contains("c2VjcmV0"), "{e}");
    let p = base().account_key(KEY.into()).build().unwrap();
    let d = format!("{p:?}");
    assert!(!d.contains("Eby8") && d.contains("REDACTED"), "{d}");
}

#[test]
fn endpoints() {
    let url = |endpoint: &str| {
        let p = AzurePresigner::builder()
            .account("acct")
            .container("ctr")
            .account_key(KEY.into())
            .endpoint(endpoint)
            .build()
            .unwrap();
        let s = sign(&p, Method::Get, Constraints::default()).unwrap();
        s.expose_url().split_once('?').unwrap().0.to_owned()
    };
    assert_eq!(
        url("core.chinacloudapi.cn"),
        "https://acct.blob.core.chinacloudapi.cn/ctr/dir/file.txt"
    );
    assert_eq!(
        url("core.usgovcloudapi.net"),
        "https://acct.blob.core.usgovcloudapi.net/ctr/dir/file.txt"
    );
    assert_eq!(
        url("https://files.example.com/"),
        "https://files.example.com/ctr/dir/file.txt"
    );
    assert_eq!(
        url("http://127.0.0.1:10000/acct"),
        "http://127.0.0.1:10000/acct/ctr/dir/file.txt"
    );
    assert_eq!(
        url("http://[::1]:10000/acct/"),
        "http://[::1]:10000/acct/ctr/dir/file.txt"
    );
}

/// Endpoints follow core's one base-URL parser (issue 9: the Azure endpoint's port, host and
/// path went unchecked); the error names the field and the rule.
#[test]
fn malformed_endpoints_are_refused() {
    for (endpoint, rule) in [
        ("http://127.0.0.1:99999/acct", "1 to 65535"),
        ("http://127.0.0.1:0/acct", "1 to 65535"),
        ("http://h:abc/acct", "port"),
        ("https://bad_host.example", "DNS name"),
        ("https://[::1/acct", "IPv6"),
        ("https://h/a b", "' '"),
        ("https://h/acct/../other", "segments"),
        ("https://h/a%2Fb", "path prefix"),
    ] {
        let e = AzurePresigner::builder()
            .account("acct")
            .container("ctr")
            .account_key(KEY.into())
            .endpoint(endpoint)
            .build()
            .unwrap_err();
        assert_eq!(e.kind(), "invalid_input", "{endpoint}");
        let msg = e.to_string();
        assert!(
            msg.contains("endpoint") && msg.contains(rule),
            "{endpoint}: {msg}"
        );
    }
}

#[test]
fn redacted_output_hides_the_signature() {
    let p = presigner();
    let s = sign(&p, Method::Get, Constraints::default()).unwrap();
    let sig = get(s.expose_url(), "sig").unwrap();
    let shown = format!("{s} {s:?} {}", s.redacted_url());
    assert!(
        !shown.contains(&sig)
            && !shown.contains(
                &presign_core::encoding::encode(&sig, presign_core::encoding::EncodeSet::Component)
                    .into_owned()
            )
    );
}

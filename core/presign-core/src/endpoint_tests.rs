#![allow(clippy::unwrap_used)]

use super::*;

#[test]
fn parses_base_urls() {
    let e = BaseUrl::parse("HTTPS://S3.Example.com:443", "endpoint").unwrap();
    assert_eq!(e.to_string(), "https://s3.example.com:443");
    assert_eq!(
        e.without_default_port().to_string(),
        "https://s3.example.com"
    );
    let e = BaseUrl::parse("http://localhost:80/", "endpoint")
        .unwrap()
        .without_default_port();
    assert_eq!(e.to_string(), "http://localhost");
    let e = BaseUrl::parse("http://localhost:443", "endpoint")
        .unwrap()
        .without_default_port();
    assert_eq!(e.authority(), "localhost:443");
    let e = BaseUrl::parse("https://[::1]:9000/a/b/", "endpoint").unwrap();
    assert_eq!(e.authority(), "[::1]:9000");
    assert_eq!(e.origin(), "https://[::1]:9000");
    assert_eq!(e.path_prefix(), "/a/b");
    assert!(e.host_is_ip() && e.is_loopback());
    let e = BaseUrl::parse("http://127.0.0.1:10000/devstoreaccount1", "endpoint").unwrap();
    assert_eq!(e.to_string(), "http://127.0.0.1:10000/devstoreaccount1");
    assert!(e.host_is_ip());
    assert!(
        !BaseUrl::parse("http://minio.local", "e")
            .unwrap()
            .host_is_ip()
    );
    let v = BaseUrl::parse("https://storage.example:8443", "e")
        .unwrap()
        .with_subdomain("bkt");
    assert_eq!(v.origin(), "https://bkt.storage.example:8443");
    assert_eq!(v.host(), "bkt.storage.example");
    assert_eq!(
        BaseUrl::parse(" https://h/p ", "e").unwrap().to_string(),
        "https://h/p"
    );
}

#[test]
fn origins_and_default_schemes() {
    let o = BaseUrl::parse_origin(
        "storage.googleapis.com:443",
        "endpoint",
        Some(Scheme::Https),
    )
    .unwrap();
    assert_eq!(o.origin(), "https://storage.googleapis.com:443");
    assert_eq!(o.host(), "storage.googleapis.com");
    let o = BaseUrl::parse_origin("HTTP://[::1]:4443/", "endpoint", Some(Scheme::Https)).unwrap();
    assert_eq!((o.scheme(), o.host()), (Scheme::Http, "[::1]"));
    let o = BaseUrl::parse_origin("localhost:9000", "emulator_host", Some(Scheme::Http)).unwrap();
    assert_eq!(o.origin(), "http://localhost:9000");
    let e = BaseUrl::parse_origin("h:9000", "endpoint", None).unwrap_err();
    assert!(e.to_string().contains("expected http://"), "{e}");
    let e = BaseUrl::parse_origin("https://h/a", "bucket_bound_hostname", Some(Scheme::Https))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("bucket_bound_hostname") && e.contains("path"),
        "{e}"
    );
}

#[test]
fn refuses_with_the_field_name_and_the_rule() {
    for (bad, why) in [
        ("s3.amazonaws.com", "expected"),
        ("ftp://h", "scheme"),
        ("https://u:p@h", "user info"),
        ("https://u@h", "user info"),
        ("https://h/?x=1", "query"),
        ("https://h?x=1", "query"),
        ("https://h/#f", "fragment"),
        ("https://", "empty"),
        ("https://:80", "empty"),
        ("https://h:0", "1 to 65535"),
        ("https://h:99999", "1 to 65535"),
        ("https://h:65536", "1 to 65535"),
        ("https://h:", "malformed port"),
        ("https://h:x", "malformed port"),
        ("https://h:-1", "malformed port"),
        ("https://h_h", "DNS"),
        ("https://999.1.1.1", "\"999.1.1.1\" looks like an IPv4"),
        ("https://1.2.3", "looks like an IPv4"),
        ("https://127.1", "looks like an IPv4"),
        ("https://0x7f.0.0.1", "looks like an IPv4"),
        ("https://010.0.0.1", "looks like an IPv4"),
        ("https://host.0x1f", "looks like an IPv4"),
        ("https://-h", "DNS"),
        ("https://h..example", "DNS"),
        ("https://[zz]", "IPv6"),
        ("https://[::1", "IPv6"),
        ("https://[::1]x", "malformed"),
        ("https://h/a b", "' '"),
        ("https://h/a\tb", "'\\t'"),
        ("https://h\\a", "'\\\\'"),
        ("https://h/a%20b", "path prefix contains '%'"),
        ("https://h/a/%2E%2e/b", "'.' or '..' segment"),
        ("https://h/a/../b", "segments"),
        ("https://h/a/./b", "segments"),
        ("https://h/a//b", "segments"),
        ("https://h//", "segments"),
    ] {
        let e = BaseUrl::parse(bad, "public_endpoint")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("public_endpoint") && e.contains(why),
            "{bad}: {e}"
        );
    }
    for secretive in [
        "https://user:pa55word@h",
        "https://h/?sig=pa55word",
        "https://h#pa55word",
    ] {
        let e = BaseUrl::parse(secretive, "endpoint")
            .unwrap_err()
            .to_string();
        assert!(!e.contains("pa55word"), "{e}");
    }
    for fine in [
        "https://1.2.3.4",
        "https://s3.1a",
        "https://0.example",
        "https://h.0xg",
    ] {
        assert!(BaseUrl::parse(fine, "e").is_ok(), "{fine}");
    }
    assert!(BaseUrl::parse(&format!("https://{}.com", "a".repeat(64)), "e").is_err());
    assert!(BaseUrl::parse(&format!("https://{}.com", "a".repeat(63)), "e").is_ok());
}

#[test]
fn the_transport_rule() {
    for ok in [
        "https://iam.example.com",
        "https://10.0.0.1:8443",
        "http://127.0.0.1:8080",
        "http://127.8.9.10",
        "http://localhost:10000/devstoreaccount1",
        "http://[::1]:4443",
    ] {
        let u = BaseUrl::parse(ok, "endpoint").unwrap();
        assert!(
            u.require_secure_transport("endpoint", "a token").is_ok(),
            "{ok}"
        );
    }
    for remote in [
        "http://iam.example.com",
        "http://10.0.0.1",
        "http://169.254.169.254",
        "http://[::2]",
        "http://localhost.example.com",
        "http://127.0.0.1.nip.io",
    ] {
        let e = BaseUrl::parse(remote, "endpoint")
            .unwrap()
            .require_secure_transport("endpoint", "a bearer token")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("endpoint") && e.contains("plain HTTP") && e.contains("a bearer token"),
            "{remote}: {e}"
        );
    }
    assert!(require_secure_url("http://[::1]:9/t?q#f", "token_uri", "t").is_ok());
    assert!(require_secure_url("http://u@127.0.0.1/t", "token_uri", "t").is_err());
    assert!(require_secure_url("http://h.example/t", "token_uri", "t").is_err());
    assert!(require_secure_url("token", "token_uri", "t").is_err());
}

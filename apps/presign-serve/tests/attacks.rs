#![cfg(test)] // all test code: clippy.toml's allow-*-in-tests cover its helpers too
//! The gateway attacked over real HTTP on 127.0.0.1 (keys and tokens made here): each
//! attempt gets 401 or 403 (or the limit's status) and its own audit line saying why; the
//! caller's answer never says why authentication failed.

mod support;

use presign_tests::gateway::{AUDIENCE, ISSUER, TestGateway, TestKeys, claims, now};
use presign_tests::http::Response;
use serde_json::json;
use support::{CI_KEY, bearer, call, config, json, request_id};

/// Checks `r`'s status and that its audit line denies with `reason`.
fn denied(gw: &TestGateway, what: &str, r: &Response, status: u16, reason: &str) {
    assert_eq!(
        r.status,
        status,
        "{what}: {} {}",
        r.status,
        r.body_snippet()
    );
    let line = gw.audit_line(&request_id(r));
    assert_eq!(line["decision"], "deny", "{what}: {line}");
    assert_eq!(line["reason"], reason, "{what}: {line}");
    assert_eq!(line["status"], status, "{what}: {line}");
    println!("ok   {what}: {status} ({reason})");
}

#[test]
fn authentication_attacks_get_401_and_an_audit_line_each() {
    let keys = TestKeys::generate();
    let gw = TestGateway::start(&config(""), &keys);
    let url = format!("{}/v1/media/users/alice/report.txt", gw.base);
    let get = |headers: &[(String, String)]| call("GET", &url, headers, &[]);

    let good = keys.es256(&claims("alice", 300));
    let r = get(&bearer(&good));
    assert_eq!(r.status, 303, "{}", r.body_snippet());

    denied(&gw, "missing token", &get(&[]), 401, "missing_credentials");
    let mut tampered = good.clone();
    let payload_at = tampered.find('.').unwrap() + 3;
    let c = tampered.as_bytes()[payload_at];
    tampered.replace_range(payload_at..=payload_at, if c == b'A' { "B" } else { "A" });
    denied(
        &gw,
        "tampered token",
        &get(&bearer(&tampered)),
        401,
        "bad_signature",
    );
    let mut c = claims("alice", 300);
    c["exp"] = json!(now() - 120);
    denied(
        &gw,
        "expired token (past the 30 s leeway)",
        &get(&bearer(&keys.es256(&c))),
        401,
        "token_expired",
    );
    let mut c = claims("alice", 300);
    c["nbf"] = json!(now() + 600);
    denied(
        &gw,
        "token not yet valid",
        &get(&bearer(&keys.es256(&c))),
        401,
        "token_not_yet_valid",
    );
    let mut c = claims("alice", 300);
    c["aud"] = json!("another-service");
    denied(
        &gw,
        "wrong audience",
        &get(&bearer(&keys.es256(&c))),
        401,
        "wrong_audience",
    );
    let mut c = claims("alice", 300);
    c["iss"] = json!("https://evil.example/");
    denied(
        &gw,
        "wrong issuer",
        &get(&bearer(&keys.es256(&c))),
        401,
        "wrong_issuer",
    );
    let mut c = claims("alice", 300);
    c.as_object_mut().unwrap().remove("aud");
    denied(
        &gw,
        "no audience",
        &get(&bearer(&keys.es256(&c))),
        401,
        "missing_claim",
    );
    let ok = claims("alice", 300);
    denied(
        &gw,
        "alg: none",
        &get(&bearer(&TestKeys::none(&ok))),
        401,
        "wrong_algorithm",
    );
    denied(
        &gw,
        "HS256 signed with the RSA public key (kid rs)",
        &get(&bearer(&TestKeys::hs256("rs", &keys.rsa_public_der, &ok))),
        401,
        "wrong_algorithm",
    );
    denied(
        &gw,
        "HS256 signed with the JWKS text",
        &get(&bearer(&TestKeys::hs256("es", keys.jwks.as_bytes(), &ok))),
        401,
        "wrong_algorithm",
    );
    denied(
        &gw,
        "HS256 with the symmetric key the JWKS carries (kid hs)",
        &get(&bearer(&TestKeys::hs256(
            "hs",
            b"a shared secret the gateway must ignore",
            &ok,
        ))),
        401,
        "wrong_algorithm",
    );
    denied(
        &gw,
        "ES256 by a key outside the JWKS, kid es",
        &get(&bearer(&keys.sign(
            json!({"alg": "ES256", "kid": "es", "rogue": true}),
            &ok,
        ))),
        401,
        "bad_signature",
    );
    denied(
        &gw,
        "RS256 header on the ES256 key's kid",
        &get(&bearer(
            &keys.sign(json!({"alg": "RS256", "kid": "es"}), &ok),
        )),
        401,
        "unknown_key",
    );
    denied(
        &gw,
        "token embedding its own key (jwk header)",
        &get(&bearer(&keys.sign(
            json!({"alg": "ES256", "kid": "es", "jwk": {"kty": "EC"}}),
            &ok,
        ))),
        401,
        "wrong_algorithm",
    );
    denied(
        &gw,
        "not a JWT",
        &get(&bearer("not.a.jwt")),
        401,
        "malformed_token",
    );
    denied(
        &gw,
        "Basic scheme",
        &get(&[("Authorization".into(), "Basic YWxpY2U6cHc=".into())]),
        401,
        "ambiguous_credentials",
    );
    denied(
        &gw,
        "wrong API key",
        &get(&[("X-Api-Key".into(), format!("{CI_KEY}x"))]),
        401,
        "bad_api_key",
    );
    denied(
        &gw,
        "token and API key together",
        &get(&[
            bearer(&good)[0].clone(),
            ("X-Api-Key".into(), CI_KEY.into()),
        ]),
        401,
        "ambiguous_credentials",
    );

    // Every 401 looks the same to the caller.
    let a = get(&[]);
    let b = get(&bearer(&tampered));
    let (ja, jb) = (json(&a), json(&b));
    assert_eq!(ja["error"], jb["error"]);
    assert_eq!(a.header("www-authenticate"), Some("Bearer"));

    // EdDSA and RS256 tokens from the JWKS work too; so does the API key.
    for alg in ["EdDSA", "RS256"] {
        let kid = if alg == "EdDSA" { "ed" } else { "rs" };
        let t = keys.sign(json!({"alg": alg, "kid": kid}), &ok);
        assert_eq!(get(&bearer(&t)).status, 303, "{alg}");
    }
    let r = call(
        "GET",
        &format!("{}/v1/media/shared/build.log", gw.base),
        &[("X-Api-Key".into(), CI_KEY.into())],
        &[],
    );
    assert_eq!(r.status, 303, "{}", r.body_snippet());
    let line = gw.audit_line(&request_id(&r));
    assert_eq!(
        (line["auth"].as_str(), line["principal"].as_str()),
        (Some("api_key"), Some("ci"))
    );

    // No audit line holds a token or a signature.
    let text = std::fs::read_to_string(&gw.audit).unwrap();
    let sig_of_good = good.rsplit('.').next().unwrap();
    assert!(!text.contains(sig_of_good));
    assert!(!text.contains(CI_KEY));
    for line in gw.audit_lines() {
        if let Some(url) = line["url"].as_str() {
            assert!(url.contains("X-Amz-Signature=REDACTED"), "{url}");
        }
    }
    let _ = (ISSUER, AUDIENCE);
    gw.stop();
}

#[test]
fn authorization_attacks_get_403_and_an_audit_line_each() {
    let keys = TestKeys::generate();
    let gw = TestGateway::start(&config(""), &keys);
    let alice = bearer(&keys.es256(&claims("alice", 300)));
    let mut admin_claims = claims("root", 300);
    admin_claims["role"] = json!("admin");
    let admin = bearer(&keys.es256(&admin_claims));
    let at =
        |path: &str, who: &[(String, String)]| call("GET", &format!("{}{path}", gw.base), who, &[]);

    let r = at("/v1/media/users/alice/report.txt", &alice);
    assert_eq!(r.status, 303);
    assert!(r.body.is_empty(), "a redirect carries no body");
    assert_eq!(r.header("cache-control"), Some("no-store"));
    assert_eq!(r.header("referrer-policy"), Some("no-referrer"));
    let location = r.header("location").unwrap();
    assert!(location.starts_with("http://127.0.0.1:8333/presign-test/users/alice/report.txt?"));
    assert!(location.contains("X-Amz-Signature="));
    let line = gw.audit_line(&request_id(&r));
    assert_eq!(line["decision"], "allow");
    assert_eq!(line["rule"], "own-files");
    assert_eq!(line["principal"], "alice");
    assert!(
        line["url"]
            .as_str()
            .unwrap()
            .ends_with("X-Amz-Signature=REDACTED")
    );
    assert!(line["expires_at"].is_string());

    let foreign = at("/v1/media/users/bob/report.txt", &alice);
    denied(
        &gw,
        "foreign prefix users/bob/",
        &foreign,
        403,
        "key_not_allowed",
    );
    denied(
        &gw,
        "prefix boundary users/alice2/",
        &at("/v1/media/users/alice2/x", &alice),
        403,
        "key_not_allowed",
    );
    denied(
        &gw,
        "../ traversal",
        &at("/v1/media/users/alice/../bob/report.txt", &alice),
        403,
        "key_not_allowed",
    );
    denied(
        &gw,
        "%2e%2e traversal",
        &at("/v1/media/users/alice/%2e%2e/bob/report.txt", &alice),
        403,
        "key_not_allowed",
    );
    denied(
        &gw,
        "%252e%252e traversal",
        &at("/v1/media/users/alice/%252e%252e/bob/x", &alice),
        403,
        "key_not_allowed",
    );
    denied(
        &gw,
        "%2F..%2F traversal",
        &at("/v1/media/users/alice%2F..%2Fbob/x", &alice),
        403,
        "key_not_allowed",
    );
    denied(
        &gw,
        "backslash traversal",
        &at("/v1/media/users/alice/..%5Cbob/x", &alice),
        403,
        "key_not_allowed",
    );
    denied(
        &gw,
        "./ segment",
        &at("/v1/media/users/alice/./x", &alice),
        403,
        "key_not_allowed",
    );
    for (sub, what) in [
        ("../bob", "sub claim ../bob"),
        ("alice/../bob", "sub claim with a slash"),
        ("..", "sub claim .."),
        ("a\u{0}b", "sub claim with NUL"),
        ("%2e%2e", "sub claim %2e%2e"),
        ("*", "sub claim *"),
    ] {
        let t = bearer(&keys.es256(&claims(sub, 300)));
        denied(
            &gw,
            what,
            &at("/v1/media/users/bob/x", &t),
            403,
            "claim_not_usable",
        );
    }
    // Existence is never looked at: the same refusal for a key that may exist and one that
    // cannot; an unknown provider looks like a provider without a rule.
    let other = at("/v1/media/users/bob/surely-not-there-12345", &alice);
    assert_eq!(
        json(&foreign)["error"]["kind"],
        json(&other)["error"]["kind"]
    );
    let unknown = at("/v1/secret-provider/users/alice/x", &alice);
    denied(&gw, "unknown provider", &unknown, 403, "no_rule");
    let api_on_users = call(
        "GET",
        &format!("{}/v1/media/users/alice/x", gw.base),
        &[("X-Api-Key".into(), CI_KEY.into())],
        &[],
    );
    denied(
        &gw,
        "API key outside its rule",
        &api_on_users,
        403,
        "key_not_allowed",
    );

    // DELETE: refused unless a rule names it (the provider allows it; the users' rule does
    // not name it, so it does not inherit it).
    let del = |who: &[(String, String)], key: &str| {
        call(
            "GET",
            &format!("{}/v1/media/{key}?method=DELETE&format=json", gw.base),
            who,
            &[],
        )
    };
    denied(
        &gw,
        "DELETE in own prefix",
        &del(&alice, "users/alice/x"),
        403,
        "method_not_allowed",
    );
    let r = del(&admin, "shared/old.bin");
    assert_eq!(r.status, 200, "{}", r.body_snippet());
    assert_eq!(json(&r)["method"], "DELETE");
    denied(
        &gw,
        "PUT by admin (not in the rule)",
        &call(
            "GET",
            &format!("{}/v1/media/shared/x?method=PUT&format=json", gw.base),
            &admin,
            &[],
        ),
        403,
        "method_not_allowed",
    );
    let put = |format: &str| {
        let url = format!("{}/v1/media/users/alice/x?method=PUT{format}", gw.base);
        call("GET", &url, &alice, &[])
    };
    denied(
        &gw,
        "PUT as a redirect",
        &put("&format=redirect"),
        400,
        "invalid_input",
    );
    let r = put("");
    assert_eq!(
        (r.status, json(&r)["method"].as_str()),
        (200, Some("PUT")),
        "PUT: JSON"
    );

    // No caller-chosen signing time, no unknown parameters.
    let r = at("/v1/media/users/alice/x?now=2036-01-01T00:00:00Z", &alice);
    denied(&gw, "now= in the query", &r, 400, "invalid_input");
    // A week-long TTL is clamped to the policy's 10 minutes.
    let r = at(
        "/v1/media/users/alice/x?expires_in=604800&format=json",
        &alice,
    );
    assert_eq!(r.status, 200);
    let expires: i64 =
        presign_core::Timestamp::parse_rfc3339(json(&r)["expires_at"].as_str().unwrap())
            .unwrap()
            .unix();
    assert!(expires <= now() + 600 + 2, "clamped to max_ttl");
    gw.stop();
}

#[test]
fn batch_and_post_policy_fields_stay_untrusted() {
    let keys = TestKeys::generate();
    let gw = TestGateway::start(&config(""), &keys);
    let alice = bearer(&keys.es256(&claims("alice", 300)));
    let mut headers = alice.clone();
    headers.push(("Content-Type".into(), "application/json".into()));
    let sign = |body: serde_json::Value| {
        call(
            "POST",
            &format!("{}/v1/sign", gw.base),
            &headers,
            body.to_string().as_bytes(),
        )
    };
    let r = sign(json!([
        {"id": 1, "provider": "media", "method": "GET", "key": "users/alice/a.txt"},
        {"id": 4, "provider": "media", "method": "PUT", "key": "users/alice/c.csv",
         "headers": {"x-amz-copy-source": "presign-test/users/bob/payroll.csv"}},
        {"id": 5, "provider": "media", "method": "PUT", "key": "users/alice/c.csv", "query": {"acl": ""}},
        {"id": 6, "provider": "media", "method": "GET", "key": "users/bob/a.txt"},
        {"id": 7, "provider": "media", "method": "PUT", "key": "users/alice/up.png", "content_type": "image/png", "content_length": 100}
    ]));
    assert_eq!(r.status, 200, "{}", r.body_snippet());
    let items = json(&r);
    let status: Vec<u64> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["status"].as_u64().unwrap())
        .collect();
    assert_eq!(status, [200, 403, 403, 403, 200], "{items}");
    assert_eq!(items[1]["error"]["kind"], "header_not_allowed");
    assert_eq!(items[2]["error"]["kind"], "query_not_allowed");
    assert_eq!(items[4]["headers"]["content-type"], "image/png");
    println!(
        "ok   /v1/sign: copy-source 403, ?acl 403, foreign key 403, each with its own audit line"
    );
    let sign_lines = gw
        .audit_lines()
        .into_iter()
        .filter(|l| l["endpoint"] == "sign")
        .count();
    assert_eq!(sign_lines, 5, "one audit line per item");
    let inline = sign(json!([
        {"provider": "media", "method": "GET", "key": "users/alice/a.txt"},
        {"provider": {"kind": "s3", "bucket": "prod", "region": "eu-west-1",
                      "access_key_id_env": "PROD", "secret_access_key_env": "PROD_SECRET",
                      "policy": {"any_key": true}},
         "method": "DELETE", "key": "secret/payroll.csv"}
    ]));
    denied(
        &gw,
        "inline provider in /v1/sign",
        &inline,
        400,
        "invalid_input",
    );
    assert!(
        json(&inline)["error"]["message"]
            .as_str()
            .unwrap()
            .contains("item 1: inline provider")
    );
    assert!(!inline.body_snippet().contains("PROD_SECRET"));
    let now = sign(
        json!([{"provider": "media", "method": "GET", "key": "users/alice/a.txt",
                           "now": "2036-01-01T00:00:00Z"}]),
    );
    denied(&gw, "now in /v1/sign", &now, 400, "invalid_input");
    assert!(
        json(&now)["error"]["message"]
            .as_str()
            .unwrap()
            .contains("now")
    );

    let r = sign(json!(vec![
        json!({"provider": "media", "method": "GET", "key": "users/alice/a"});
        21
    ]));
    denied(&gw, "21 items (max_batch 20)", &r, 413, "too_many_items");
    let big = format!("[{}]", " ".repeat(5000));
    let r = call(
        "POST",
        &format!("{}/v1/sign", gw.base),
        &headers,
        big.as_bytes(),
    );
    denied(
        &gw,
        "oversized body (5 KB over a 4 KiB limit)",
        &r,
        413,
        "body_too_large",
    );
    let r = call(
        "POST",
        &format!("{}/v1/sign", gw.base),
        &headers,
        b"{not json",
    );
    denied(&gw, "body not JSON", &r, 400, "invalid_input");
    // The cookie carries a token for redirects only.
    let cookie = vec![
        (
            "Cookie".to_owned(),
            format!("presign_token={}", keys.es256(&claims("alice", 300))),
        ),
        ("Content-Type".to_owned(), "application/json".to_owned()),
    ];
    let r = call("POST", &format!("{}/v1/sign", gw.base), &cookie, b"[]");
    denied(
        &gw,
        "cookie token on POST /v1/sign",
        &r,
        401,
        "cookie_not_allowed",
    );
    let r = call(
        "GET",
        &format!("{}/v1/media/users/alice/x", gw.base),
        &cookie,
        &[],
    );
    assert_eq!(r.status, 303, "cookie token on a GET redirect");

    // POST policies need a rule naming POST.
    let r = call(
        "POST",
        &format!("{}/v1/post-policy", gw.base),
        &headers,
        json!({"provider": "media", "key": "users/alice/", "prefix": true, "max_size": 1024})
            .to_string()
            .as_bytes(),
    );
    denied(
        &gw,
        "POST policy without a rule naming POST",
        &r,
        403,
        "method_not_allowed",
    );
    let r = call(
        "POST",
        &format!("{}/v1/post-policy", gw.base),
        &headers,
        json!({"provider": "media", "key": "users/alice/x", "acl": "public-read"})
            .to_string()
            .as_bytes(),
    );
    denied(
        &gw,
        "POST policy with a canned ACL",
        &r,
        400,
        "invalid_input",
    );
    gw.stop();
}

#[test]
fn limits_answer_429_413_414_431() {
    let keys = TestKeys::generate();
    let gw = TestGateway::start(&config("rate_per_second = 1.0\nburst = 20"), &keys);
    let t = bearer(&keys.es256(&claims("hammer", 300)));
    let url = format!("{}/v1/media/users/hammer/x", gw.base);
    let mut limited = None;
    for _ in 0..40 {
        let r = call("GET", &url, &t, &[]);
        if r.status == 429 {
            limited = Some(r);
            break;
        }
        assert_eq!(r.status, 303);
    }
    let r = limited.expect("no 429 within 40 requests at burst 20");
    let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=2).contains(&wait), "Retry-After {wait}");
    denied(&gw, "rate limit", &r, 429, "rate_limited");
    // Another principal is not affected.
    let other = bearer(&keys.es256(&claims("calm", 300)));
    assert_eq!(
        call(
            "GET",
            &format!("{}/v1/media/users/calm/x", gw.base),
            &other,
            &[]
        )
        .status,
        303
    );

    let alice = bearer(&keys.es256(&claims("alice", 300)));
    let long_key = format!("users/alice/{}", "k".repeat(1100));
    let r = call(
        "GET",
        &format!("{}/v1/media/{long_key}", gw.base),
        &alice,
        &[],
    );
    denied(&gw, "key over 1024 bytes", &r, 414, "key_too_long");
    let r = call(
        "GET",
        &format!("{}/v1/media/users/alice/{}", gw.base, "k".repeat(5000)),
        &alice,
        &[],
    );
    assert_eq!(r.status, 414, "request target over 4096 bytes");
    let mut fat = alice.clone();
    fat.push(("X-Padding".into(), "p".repeat(20_000)));
    let r = call(
        "GET",
        &format!("{}/v1/media/users/alice/x", gw.base),
        &fat,
        &[],
    );
    assert_eq!(r.status, 431, "headers over 16 KiB");
    println!("ok   429 with Retry-After {wait}, 414 (key, target), 431 (headers)");
    gw.stop();
}

#[test]
fn operations_endpoints() {
    let keys = TestKeys::generate();
    let gw = TestGateway::start(&config(""), &keys);
    let r = call("GET", &format!("{}/healthz", gw.base), &[], &[]);
    assert_eq!((r.status, json(&r)["status"].as_str()), (200, Some("ok")));
    let r = call("GET", &format!("{}/readyz", gw.base), &[], &[]);
    assert_eq!(r.status, 200, "{}", r.body_snippet());
    assert_eq!(json(&r)["providers"]["media"]["ready"], true);
    let r = call("GET", &format!("{}/openapi.json", gw.base), &[], &[]);
    let doc = json(&r);
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/v1/{provider}/{key}",
        "/v1/sign",
        "/v1/post-policy",
        "/readyz",
        "/metrics",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
    let alice = bearer(&keys.es256(&claims("alice", 300)));
    call(
        "GET",
        &format!("{}/v1/media/users/alice/x", gw.base),
        &alice,
        &[],
    );
    call(
        "GET",
        &format!("{}/v1/media/users/bob/x", gw.base),
        &alice,
        &[],
    );
    let r = call("GET", &format!("{}/metrics", gw.base), &[], &[]);
    let text = String::from_utf8(r.body.clone()).unwrap();
    for want in [
        "presign_decisions_total{decision=\"allow\",reason=\"signed\"} 1",
        "presign_decisions_total{decision=\"deny\",reason=\"key_not_allowed\"} 1",
        "presign_http_requests_total{endpoint=\"object\",status=\"303\"} 1",
        "presign_request_duration_seconds_count{endpoint=\"object\"} 2",
        "presign_credentials_ready{provider=\"media\"} 1",
    ] {
        assert!(text.contains(want), "{want} not in\n{text}");
    }
    gw.stop();
}

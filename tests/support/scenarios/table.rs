//! [`run_table`]: the scenarios of the table, run for one [`Column`].

use std::time::Duration;

use presign_core::{Constraints, Method, ObjectKey, PresignRequest, PresignedRequest, Presigner};

use super::{Column, Summary, Verdict, decoded_path, flip_char, tamper_param, tricky_keys};
use crate::http::{self, Response};

fn presign(p: &dyn Presigner, req: &PresignRequest) -> Result<PresignedRequest, String> {
    futures_executor::block_on(p.presign(req)).map_err(|e| e.to_string())
}

fn send(
    method: Method,
    signed: &PresignedRequest,
    url: &str,
    body: &[u8],
) -> Result<Response, String> {
    http::send(method.as_str(), url, signed.headers(), body)
}

fn request(method: Method, key: &str) -> PresignRequest {
    PresignRequest::new(method, ObjectKey::new(key).expect("valid test key"))
        .with_ttl(Duration::from_secs(300))
}

fn put_object(col: &dyn Column, key: &str, body: &[u8]) -> Result<Response, String> {
    let signed = presign(col.presigner(), &request(Method::Put, key))?;
    send(Method::Put, &signed, signed.expose_url(), body)
}

fn get_object(col: &dyn Column, key: &str) -> Result<(PresignedRequest, Response), String> {
    let signed = presign(col.presigner(), &request(Method::Get, key))?;
    let r = send(Method::Get, &signed, signed.expose_url(), &[])?;
    Ok((signed, r))
}

fn expect_status(r: &Response, want: u16, what: &str) -> Verdict {
    if r.status == want {
        Verdict::Passed
    } else {
        Verdict::Failed(format!(
            "{what}: expected {want}, got {} ({})",
            r.status,
            r.body_snippet()
        ))
    }
}

/// Rewrites a signed URL; `None` when the URL lacks what it changes.
type Tamper<'a> = Box<dyn Fn(&str) -> Option<String> + 'a>;

/// Runs every scenario of the table for one column, printing one line per scenario and a
/// summary line. `prefix` namespaces the keys (end it with `/`).
pub fn run_table(col: &dyn Column, prefix: &str) -> Summary {
    let mut summary = Summary {
        column: col.name(),
        outcomes: Vec::new(),
    };
    let mut record = |scenario: &str, verdict: Verdict, detail: String| {
        summary.record(scenario, verdict, detail)
    };
    let judge =
        |scenario: &str, f: &dyn Fn() -> Result<(Verdict, String), String>| -> (Verdict, String) {
            if let Some(why) = col.cannot_judge(scenario) {
                return (Verdict::NotJudged(why), "skipped".into());
            }
            match f() {
                Ok(v) => v,
                Err(e) => (Verdict::Failed(e.clone()), "error".into()),
            }
        };

    let base_key = format!("{prefix}hello.txt");
    let body = b"hello from the presign scenario table".to_vec();

    // valid GET
    let (v, d) = judge("valid GET returns the body", &|| {
        expect_ok(
            &put_object(col, &base_key, &body)?,
            "upload via presigned PUT",
        )?;
        let (_, r) = get_object(col, &base_key)?;
        let v = if r.status == 200 && r.body == body {
            Verdict::Passed
        } else {
            Verdict::Failed(format!("got {} with {:?}", r.status, r.body_snippet()))
        };
        Ok((v, format!("PUT then GET {base_key}: {}", r.status)))
    });
    record("valid GET returns the body", v, d);

    // Content-Type bound to a PUT
    let ct_key = format!("{prefix}typed.txt");
    let typed_put = || {
        let mut c = Constraints::default();
        c.content_type = Some("text/plain".into());
        presign(
            col.presigner(),
            &request(Method::Put, &ct_key).with_constraints(c),
        )
    };
    let (v, d) = judge("PUT with the signed Content-Type", &|| {
        let s = typed_put()?;
        let r = send(Method::Put, &s, s.expose_url(), b"typed")?;
        Ok((
            expect_2xx(&r, "PUT text/plain"),
            format!("sent {:?}: {}", s.headers(), r.status),
        ))
    });
    record("PUT with the signed Content-Type", v, d);
    let (v, d) = judge("PUT with another Content-Type", &|| {
        let s = typed_put()?;
        let headers: Vec<(String, String)> = s
            .headers()
            .iter()
            .map(|(n, v)| {
                if n == "content-type" {
                    (n.clone(), "image/png".to_owned())
                } else {
                    (n.clone(), v.clone())
                }
            })
            .collect();
        let r = http::send("PUT", s.expose_url(), &headers, b"typed")?;
        Ok((
            expect_status(&r, 403, "PUT image/png"),
            format!("signed text/plain, sent image/png: {}", r.status),
        ))
    });
    record("PUT with another Content-Type", v, d);

    // Tampered URLs of a valid GET.
    let tampers: Vec<(&str, Tamper<'_>)> = vec![
        (
            "changed signature",
            Box::new(|u: &str| tamper_param(u, col.signature_param(), flip_char)),
        ),
        (
            "changed expiry",
            Box::new(|u: &str| tamper_param(u, col.expiry_param(), |v| col.tamper_expiry(v))),
        ),
        (
            "changed key",
            Box::new(|u: &str| u.split_once('?').map(|(b, q)| format!("{b}x?{q}"))),
        ),
        (
            "unsigned extra query parameter",
            Box::new(|u: &str| Some(format!("{u}&foo=bar"))),
        ),
    ];
    for (name, tamper) in &tampers {
        let (v, d) = judge(name, &|| {
            let s = presign(col.presigner(), &request(Method::Get, &base_key))?;
            let url = tamper(s.expose_url()).ok_or("the URL has no such parameter")?;
            let r = send(Method::Get, &s, &url, &[])?;
            Ok((expect_status(&r, 403, name), format!("GET: {}", r.status)))
        });
        record(name, v, d);
    }

    let (v, d) = judge("GET URL used for PUT", &|| {
        let s = presign(col.presigner(), &request(Method::Get, &base_key))?;
        let r = http::send("PUT", s.expose_url(), s.headers(), b"overwrite")?;
        Ok((
            expect_status(&r, 403, "PUT with a GET URL"),
            format!("PUT: {}", r.status),
        ))
    });
    record("GET URL used for PUT", v, d);

    let (v, d) = judge("expired URL", &|| {
        let s = presign(
            col.presigner(),
            &request(Method::Get, &base_key).with_ttl(Duration::from_secs(1)),
        )?;
        std::thread::sleep(Duration::from_secs(2));
        let r = send(Method::Get, &s, s.expose_url(), &[])?;
        Ok((
            expect_status(&r, 403, "GET after expiry"),
            format!("TTL 1 s, slept 2 s, GET: {}", r.status),
        ))
    });
    record("expired URL", v, d);

    let (v, d) = judge("response-content-disposition comes back", &|| {
        let want = "attachment; filename=\"report 2026.txt\"";
        let mut c = Constraints::default();
        c.response.content_disposition = Some(want.into());
        let s = presign(
            col.presigner(),
            &request(Method::Get, &base_key).with_constraints(c),
        )?;
        let r = send(Method::Get, &s, s.expose_url(), &[])?;
        let got = r
            .header("content-disposition")
            .unwrap_or_default()
            .to_owned();
        let v = if r.status == 200 && got == want {
            Verdict::Passed
        } else {
            Verdict::Failed(format!("status {}, Content-Disposition {got:?}", r.status))
        };
        Ok((v, format!("GET: {}, Content-Disposition: {got}", r.status)))
    });
    record("response-content-disposition comes back", v, d);

    // Keys round-trip.
    for (label, key) in tricky_keys(prefix) {
        let name = format!("key round trip: {label}");
        let dot_segment = key.split('/').any(|s| s == "." || s == "..");
        let (v, d) = if dot_segment && !col.signs_dot_segments() {
            judge(&name, &|| refused_dot_segment(col, &key))
        } else {
            judge(&name, &|| round_trip(col, &key))
        };
        record(&name, v, d);
    }

    // Session tokens.
    let (v, d) = judge("wrong session token refused", &|| {
        let Some(bad) = col.presigner_with_wrong_token() else {
            return Ok((
                Verdict::NotJudged("the provider has no session tokens".into()),
                "skipped".into(),
            ));
        };
        let s = presign(bad, &request(Method::Get, &base_key))?;
        let r = send(Method::Get, &s, s.expose_url(), &[])?;
        let (_, control) = get_object(col, &base_key)?;
        let v = match (r.status, control.status) {
            (403, 200) => Verdict::Passed,
            (a, b) => Verdict::Failed(format!(
                "with token {a} (want 403), without token {b} (want 200)"
            )),
        };
        Ok((
            v,
            format!(
                "made-up token: {}, same credentials without token: {}",
                r.status, control.status
            ),
        ))
    });
    record("wrong session token refused", v, d);

    println!("{summary}");
    summary
}

fn expect_ok(r: &Response, what: &str) -> Result<(), String> {
    if (200..300).contains(&r.status) {
        Ok(())
    } else {
        Err(format!("{what}: {} ({})", r.status, r.body_snippet()))
    }
}

fn expect_2xx(r: &Response, what: &str) -> Verdict {
    match expect_ok(r, what) {
        Ok(()) => Verdict::Passed,
        Err(e) => Verdict::Failed(e),
    }
}

/// PUT then GET `key` through presigned URLs; for keys the emulator cannot store as they are,
/// judge the URL itself (decoded path ends with the key, signature verifies offline) and report
/// what the server said.
/// A key with a `.` or `..` segment on a provider that carries the key in the path as it is:
/// presign must refuse it (HTTP clients would remove the segment, so the URL could only 403).
fn refused_dot_segment(col: &dyn Column, key: &str) -> Result<(Verdict, String), String> {
    let req = request(Method::Put, key);
    match futures_executor::block_on(col.presigner().presign(&req)) {
        Err(e) if e.kind() == "invalid_key" && e.to_string().contains("segment") => {
            Ok((Verdict::Passed, format!("refused: {e}")))
        }
        Err(e) => Ok((
            Verdict::Failed(format!("refused for another reason: {e}")),
            String::new(),
        )),
        Ok(_) => Ok((
            Verdict::Failed("signed a URL that HTTP clients would rewrite".into()),
            String::new(),
        )),
    }
}

fn round_trip(col: &dyn Column, key: &str) -> Result<(Verdict, String), String> {
    let body = format!("body of {key}").into_bytes();
    let put_req = request(Method::Put, key);
    let put = presign(col.presigner(), &put_req)?;
    let put_r = send(Method::Put, &put, put.expose_url(), &body)?;
    let (get, get_r) = get_object(col, key)?;
    let server = format!(
        "PUT {} / GET {} ({} bytes)",
        put_r.status,
        get_r.status,
        get_r.body.len()
    );
    if let Some(quirk) = col.key_quirk(key) {
        let path = decoded_path(get.expose_url());
        let mut problems = Vec::new();
        if !path.ends_with(&format!("/{key}")) {
            problems.push(format!("decoded path {path:?} does not end with the key"));
        }
        for (req, signed) in [(&put_req, &put), (&request(Method::Get, key), &get)] {
            if let Err(e) = col.verify_offline(req, signed) {
                problems.push(e);
            }
        }
        let detail = format!(
            "judged on the URL (emulator quirk: {quirk}): decoded path ends with the key, signature re-verified; server said {server}"
        );
        return Ok(if problems.is_empty() {
            (Verdict::Passed, detail)
        } else {
            (Verdict::Failed(problems.join("; ")), detail)
        });
    }
    let v = if (200..300).contains(&put_r.status) && get_r.status == 200 && get_r.body == body {
        Verdict::Passed
    } else {
        Verdict::Failed(format!("{server}: {}", get_r.body_snippet()))
    };
    Ok((v, format!("{} bytes key: {server}", key.len())))
}

//! The browser-upload example (examples/browser-upload) end to end, in headless Debian
//! Chromium against SeaweedFS (`PRESIGN_S3_ENDPOINT`, default http://127.0.0.1:8333).
//!
//! The example's router runs in-process on 127.0.0.1:0 with a 1 KiB upload limit; then
//! `node tests/browser/upload.mjs` (playwright-core driving /usr/bin/chromium) signs in,
//! uploads a small file, downloads it through the redirect and compares the bytes, and
//! uploads a 4 KiB file, which the storage service refuses with EntityTooLarge shown on the
//! page. This test also checks the server side with a raw HTTP client: 401 without a session,
//! the policy's fields and limit, the object in the bucket under `uploads/demo/`, the big one
//! absent, and the redirect's `303` with `Referrer-Policy: no-referrer` and
//! `Cache-Control: no-store`.
//!
//! Needs node, /usr/bin/chromium (or `PRESIGN_CHROMIUM`) and `tests/browser/node_modules`
//! (`bash .ci/browser.sh install`). Missing any of them, or the emulator: a loud SKIPPED line
//! locally, a failure under `CI=true`.

use std::path::Path;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use presign_core::SyncPresigner;
use presign_core::{Method, ObjectKey, PresignRequest};
use presign_example_browser_upload::{Config, app, s3_presigner, serve};
use presign_tests::http::{Response, send};
use presign_tests::seaweedfs;

const MAX_BYTES: u64 = 1024;
const TOKEN: &str = "browser-test-token";

fn run_id() -> String {
    let d = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    format!("{}-{}", d.as_secs(), d.subsec_nanos())
}

fn bearer() -> Vec<(String, String)> {
    vec![("Authorization".to_owned(), format!("Bearer {TOKEN}"))]
}

fn show(what: &str, r: &Response) -> String {
    format!("{what}: {} {:?} {}", r.status, r.headers, r.body_snippet())
}

#[test]
fn browser_upload_in_headless_chromium() {
    let Some(endpoint) = seaweedfs::endpoint() else {
        return;
    };
    let Some(chromium) = presign_tests::browser::chromium("browser upload") else {
        return;
    };

    let config = Config {
        s3_endpoint: endpoint.clone(),
        max_upload_bytes: MAX_BYTES,
        demo_token: TOKEN.into(),
        ..Config::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let server = runtime.spawn(serve(listener, app(config.clone()).unwrap()));
    let base = format!("http://{addr}");

    // Server side, before the browser: nothing without a session; the policy's shape.
    for path in ["/policy", "/me", "/download/x.txt"] {
        let r = send("GET", &format!("{base}{path}"), &[], &[]).unwrap();
        assert_eq!(r.status, 401, "{}", show(path, &r));
    }
    let wrong = vec![("Cookie".to_owned(), "presign_demo_session=guess".to_owned())];
    let r = send("GET", &format!("{base}/policy"), &wrong, &[]).unwrap();
    assert_eq!(r.status, 401, "{}", show("wrong cookie", &r));
    let r = send("GET", &format!("{base}/policy"), &bearer(), &[]).unwrap();
    assert_eq!(r.status, 200, "{}", show("/policy", &r));
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let policy: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(policy["key_prefix"], "uploads/demo/");
    assert_eq!(policy["max_bytes"], MAX_BYTES);
    assert_eq!(policy["url"], format!("{endpoint}/presign-test/"));
    let fields: Vec<(String, String)> = serde_json::from_value(policy["fields"].clone()).unwrap();
    let field = |n: &str| fields.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
    assert_eq!(field("key"), Some("uploads/demo/${filename}"));
    assert_eq!(field("success_action_status"), Some("201"));
    assert!(field("x-amz-signature").is_some() && field("policy").is_some());
    for bad in ["..", "a%2Fb", "%2E%2E", "a%5Cb"] {
        let r = send("GET", &format!("{base}/download/{bad}"), &bearer(), &[]).unwrap();
        assert_eq!(r.status, 400, "{}", show(bad, &r));
    }
    let r = send(
        "POST",
        &format!("{base}/login"),
        &[(
            "Content-Type".to_owned(),
            "application/x-www-form-urlencoded".to_owned(),
        )],
        b"token=nope",
    )
    .unwrap();
    assert_eq!(r.status, 401, "{}", show("login with a wrong token", &r));
    println!(
        "ok   server side: 401 without a session, policy for uploads/demo/ up to {MAX_BYTES} bytes, bad names 400"
    );

    // The browser half.
    let id = run_id();
    let dir = std::env::temp_dir().join(format!("presign-browser-upload-{id}"));
    std::fs::create_dir_all(&dir).unwrap();
    let small_name = format!("small-{id}.txt");
    let big_name = format!("big-{id}.bin");
    let small: Vec<u8> = format!("hello from the browser-upload test, run {id}\n")
        .repeat(5)
        .into_bytes();
    assert!(small.len() < MAX_BYTES as usize);
    let big = vec![b'x'; 4 * MAX_BYTES as usize];
    std::fs::write(dir.join(&small_name), &small).unwrap();
    std::fs::write(dir.join(&big_name), &big).unwrap();

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("browser/upload.mjs");
    let started = std::time::Instant::now();
    let out = Command::new("node")
        .arg(&script)
        .args(["--url", &format!("{base}/")])
        .arg("--small")
        .arg(dir.join(&small_name))
        .arg("--big")
        .arg(dir.join(&big_name))
        .args(["--token", TOKEN])
        .arg("--chromium")
        .arg(&chromium)
        .current_dir(script.parent().unwrap())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!(
        "--- node upload.mjs ({:.1} s, {}) ---\n{stdout}{stderr}---",
        started.elapsed().as_secs_f64(),
        out.status
    );
    assert!(
        out.status.success(),
        "the browser run failed: {}",
        out.status
    );
    for want in [
        "browser-upload: all checks passed",
        &format!("ok   small file: Uploaded uploads/demo/{small_name}"),
        "identical to the",
        "ok   big file: Upload refused: EntityTooLarge",
        "ok   no request left 127.0.0.1",
    ] {
        assert!(stdout.contains(want), "node's output lacks {want:?}");
    }
    assert!(!stdout.contains("FAIL"), "node reported a failure");

    // Server side, after: the object is in the bucket under uploads/demo/, the big one is not.
    let s3 = s3_presigner(&config).unwrap();
    let get = |key: &str| {
        let signed = s3
            .presign_sync(&PresignRequest::new(
                Method::Get,
                ObjectKey::new(key).unwrap(),
            ))
            .unwrap();
        send("GET", signed.expose_url(), &[], &[]).unwrap()
    };
    let r = get(&format!("uploads/demo/{small_name}"));
    assert_eq!(r.status, 200, "{}", show("uploaded object", &r));
    assert_eq!(r.body, small, "the bucket holds other bytes");
    let r = get(&format!("uploads/demo/{big_name}"));
    assert_eq!(r.status, 404, "{}", show("refused object", &r));
    println!(
        "ok   bucket: uploads/demo/{small_name} holds the file, uploads/demo/{big_name} does not exist"
    );

    // The redirect: 303 to a presigned GET of that object, not cacheable, no referrer.
    let r = send(
        "GET",
        &format!("{base}/download/{small_name}"),
        &bearer(),
        &[],
    )
    .unwrap();
    assert_eq!(r.status, 303, "{}", show("/download", &r));
    assert_eq!(r.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let location = r.header("location").unwrap();
    let object_url = format!("{endpoint}/presign-test/uploads/demo/{small_name}?");
    assert!(location.starts_with(&object_url), "Location {location:.80}");
    assert!(location.contains("X-Amz-Signature="));
    let r = send("GET", location, &[], &[]).unwrap();
    assert_eq!(r.status, 200, "{}", show("redirect target", &r));
    assert_eq!(r.body, small);
    assert_eq!(
        r.header("content-disposition"),
        Some(format!("attachment; filename=\"{small_name}\"").as_str())
    );
    println!(
        "ok   /download/{small_name}: 303, Referrer-Policy: no-referrer, Cache-Control: no-store, target serves the file as an attachment"
    );

    server.abort();
    let _ = std::fs::remove_dir_all(&dir);
}

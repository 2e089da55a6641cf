#![cfg(test)] // all test code: clippy.toml's allow-*-in-tests cover its helpers too
//! Issue 8, item 4 (batch): bounded memory on any line, an `id` that cannot forge another
//! caller's answer, and refusals that name the rule, not the operator's configuration.

mod support;

use std::io::Write;
use std::process::{Command, Stdio};

use support::{attacked_config, run};

/// A 600 MB line under a 256 MiB address-space limit, then a good line. The old code read the
/// whole line before checking its length (a 1.5 GB line reached 1.47 GB RSS) and aborted; now
/// the line is refused while it is read and the next line is answered.
#[test]
fn an_overlong_line_is_refused_while_it_is_read() {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 262144 && exec \"$0\" batch")
        .arg(env!("CARGO_BIN_EXE_presign"))
        .env_remove("PRESIGN_CONFIG")
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let chunk = vec![b'a'; 1 << 20];
        // A reader that dies early closes the pipe: stop writing then.
        for _ in 0..600 {
            if stdin.write_all(&chunk).is_err() {
                return;
            }
        }
        let _ = stdin
            .write_all(b"\n{\"id\":2,\"provider\":\"dev\",\"method\":\"GET\",\"key\":\"a.txt\"}\n");
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert_eq!(lines[0]["error"]["kind"], "parse");
    assert!(
        lines[0]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("longer than 1048576 bytes")
    );
    assert_eq!(lines[1]["id"], 2);
    assert!(lines[1]["url"].is_string(), "{}", lines[1]);
}

/// Consumers that split on any line break see exactly one answer per request, each with the
/// id it was given: a `\r` (or any whitespace) inside an `id` never reaches the output.
#[test]
fn an_id_cannot_forge_another_answer() {
    let forged = "{\"id\":[1,\r{\"id\":\"victim\",\"url\":\"https://evil.example/\"}],\"provider\":\"dev\",\"method\":\"GET\",\"key\":\"a\"}\n\
                  {\"id\":{\"a\":\r\t1},\"provider\":\"dev\",\"method\":\"GET\",\"key\":\"b\"}\n\
                  {\"id\":\"victim\",\"provider\":\"dev\",\"method\":\"GET\",\"key\":\"c\"}\n";
    let out = run(&["batch"], &[], forged.as_bytes());
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stdout.contains('\r'), "{:?}", out.stdout);
    let records: Vec<serde_json::Value> = out
        .stdout
        .split(['\r', '\n'])
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}")))
        .collect();
    assert_eq!(records.len(), 3, "{}", out.stdout);
    assert_eq!(
        records[0]["id"],
        serde_json::json!([1, {"id": "victim", "url": "https://evil.example/"}])
    );
    assert_eq!(records[1]["id"], serde_json::json!({"a": 1}));
    assert_eq!(records[2]["id"], "victim");
    let victims = records.iter().filter(|r| r["id"] == "victim").count();
    assert_eq!(victims, 1);
}

/// A 5,000-deep `id` used to be echoed as is, which no JSON reader with a depth limit (most:
/// serde_json's is 128) can parse; a huge one doubled the output. Both are refused, and every
/// output line parses.
#[test]
fn an_id_is_bounded_in_depth_and_size() {
    let deep = format!("{}1{}", "[".repeat(5000), "]".repeat(5000));
    let nested = format!("{}1{}", "[{\"a\":".repeat(50), "}]".repeat(50));
    let long = format!("\"{}\"", "x".repeat(100_000));
    let ok = format!("{}1{}", "[".repeat(16), "]".repeat(16));
    let input = format!(
        "{{\"id\":{deep},\"provider\":\"dev\",\"method\":\"GET\",\"key\":\"a\"}}\n\
         {{\"id\":{long},\"provider\":\"dev\",\"method\":\"GET\",\"key\":\"a\"}}\n\
         {{\"id\":{ok},\"provider\":\"dev\",\"method\":\"GET\",\"key\":\"a\"}}\n\
         {{\"id\":{deep},\"provider\":\"dev\",\"method\":\"GET\"\n\
         {{\"id\":{nested},\"provider\":\"dev\",\"method\":\"GET\",\"key\":\"a\"}}\n"
    );
    let out = run(&["batch"], &[], input.as_bytes());
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.len() < 10_000, "{} bytes out", out.stdout.len());
    let lines = out.lines();
    assert_eq!(lines.len(), 5);
    for i in [0, 1, 3, 4] {
        assert_eq!(lines[i]["id"], serde_json::Value::Null, "{}", lines[i]);
        assert_eq!(lines[i]["error"]["kind"], "parse");
    }
    for i in [0, 1] {
        let m = lines[i]["error"]["message"].as_str().unwrap();
        assert!(m.contains("1024 bytes"), "{m}");
    }
    let m = lines[4]["error"]["message"].as_str().unwrap();
    assert!(m.contains("nested deeper than 16"), "{m}");
    assert!(lines[2]["url"].is_string(), "{}", lines[2]);
}

/// A refusal names the rule (`key_not_allowed`, no such provider, a misconfigured provider),
/// never the operator's prefixes, other providers' names or configuration details.
#[test]
fn refusals_do_not_show_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let broken = "[providers.broken]\nkind = \"s3\"\nbucket = \"b\"\nregion = \"eu-west-1\"\naccess_key_id = \"AKID\"\nsecret_access_key_env = \"OPERATOR_SECRET_VARIABLE\"\n";
    let config = attacked_config(dir.path(), broken);
    let input = "{\"id\":1,\"provider\":\"s3\",\"method\":\"GET\",\"key\":\"secret/payroll.csv\"}\n\
                 {\"id\":2,\"provider\":\"nope\",\"method\":\"GET\",\"key\":\"uploads/alice/a\"}\n\
                 {\"id\":3,\"provider\":\"broken\",\"method\":\"GET\",\"key\":\"uploads/alice/a\"}\n\
                 {\"id\":4,\"kind\":\"post\",\"provider\":\"s3post\",\"key_prefix\":\"uploads/\"}\n";
    let out = run(
        &["--config", config.to_str().unwrap(), "batch"],
        &[],
        input.as_bytes(),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines = out.lines();
    assert_eq!(lines[0]["error"]["kind"], "key_not_allowed");
    assert_eq!(lines[3]["error"]["kind"], "key_not_allowed");
    for line in &lines {
        let m = line["error"]["message"].as_str().unwrap();
        for configured in [
            "uploads/alice/",
            "s3post",
            "gcs",
            "azure",
            "broken",
            "OPERATOR_SECRET_VARIABLE",
            "providers.",
        ] {
            assert!(!m.contains(configured), "{configured:?} shown: {m}");
        }
    }
}

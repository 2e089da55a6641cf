//! No secret in any output: stdout and stderr of every subcommand, with secrets in the file,
//! inline in a batch line and in the dev profile.

use crate::{NOW, SECRET_KEY, run, run_env};

#[test]
fn no_secret_in_any_output() {
    let token = "SESSION-TOKEN-VALUE-123";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("presign.toml");
    std::fs::write(
        &file,
        format!(
            r#"
            [policy]
            any_key = true
            [providers.tmp]
            kind = "s3"
            bucket = "tmp-bkt"
            region = "us-east-1"
            access_key_id = "ASIAEXAMPLE"
            secret_access_key = "{SECRET_KEY}"
            session_token = "{token}"
            "#
        ),
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let batch_in = format!(
        "{}\n{{\"id\":2,\"provider\":{{\"kind\":\"s3\",\"bucket\":\"bkt\",\"secret_access_key\":\"{SECRET_KEY}\",\"session_token\":\"{token}\",\"access_key_id\":\"A\",\"bogus\":1}},\"method\":\"GET\",\"key\":\"k\"}}\n",
        r#"{"id":1,"provider":"tmp","method":"GET","key":"k"}"#,
    );
    let runs = [
        run(&["url", "GET", "k", "--now", NOW]),
        run(&["url", "GET", "k", "--json", "--explain"]),
        run(&["url", "GET", "k", "--explain", "--curl"]),
        run(&["url", "DELETE", "k"]),
        run(&["providers"]),
        run(&["providers", "--json"]),
        run_env(&["--config", path, "url", "GET", "k", "--explain"], &[], ""),
        run_env(
            &["--config", path, "url", "GET", "k", "--ip", "1.2.3.4"],
            &[],
            "",
        ),
        run_env(&["--config", path, "providers", "--json"], &[], ""),
        run_env(
            &["--config", path, "batch", "--allow-inline-providers"],
            &[],
            &batch_in,
        ),
    ];
    for (i, out) in runs.iter().enumerate() {
        let all = format!("{}\n{}", out.stdout, out.stderr);
        assert!(
            !all.contains(SECRET_KEY),
            "run {i} leaked the secret key: {all}"
        );
        assert!(
            !out.stderr.contains(token),
            "run {i} leaked the token on stderr: {}",
            out.stderr
        );
        // The token may only appear inside a signed URL the user asked for.
        for line in out.stdout.lines().filter(|l| l.contains(token)) {
            assert!(
                line.contains(&format!("X-Amz-Security-Token={token}"))
                    && !line.contains("string_to_sign"),
                "run {i}: token outside a URL: {line}"
            );
        }
    }
    // The batch's inline-provider error names the bad field, not the values.
    assert!(runs[9].stdout.contains("bogus"), "{}", runs[9].stdout);
}

//! moto's server (pinned by `.ci/servers/moto.sh`) as the STS endpoint on an ephemeral
//! 127.0.0.1 port, and the web identity source against it.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use presign_credentials_aws::AwsCredentialSource;
use presign_credentials_testkit::child;
use presign_credentials_testkit::require::{missing, temp_dir, workspace_root};
use presign_credentials_testkit::server::closed_port_url;

use crate::support::{now, report_fetch};

/// A running `moto_server`, stopped when dropped.
pub(crate) struct Moto {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub(crate) url: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts moto, or reports it missing for `test` (a failure under `CI=true`).
pub(crate) fn start(test: &str) -> Option<Moto> {
    let bin = std::env::var_os("PRESIGN_MOTO_SERVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            workspace_root(env!("CARGO_MANIFEST_DIR")).join(".emulators/moto-venv/bin/moto_server")
        });
    if !bin.exists() {
        missing(
            test,
            &format!(
                "moto_server at {} (bash .ci/servers/moto.sh install)",
                bin.display()
            ),
        );
        return None;
    }
    let url = closed_port_url().unwrap();
    let port = url.rsplit(':').next().unwrap().to_owned();
    let child = Command::new(&bin)
        .args(["-H", "127.0.0.1", "-p", &port])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let moto = Moto { child, url };
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::net::TcpStream::connect(format!("127.0.0.1:{port}")).is_err() {
        assert!(
            Instant::now() < deadline,
            "moto did not start on port {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Some(moto)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn web_identity_token_file_through_sts() {
    const NAME: &str = "moto::web_identity_token_file_through_sts";
    if child::is_child(NAME) {
        report_fetch(AwsCredentialSource::web_identity().await).await;
        return;
    }
    let Some(moto) = start(NAME) else { return };
    let dir = temp_dir(NAME).unwrap();
    let token = dir.join("token");
    std::fs::write(&token, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwcmVzaWduIn0.c2ln").unwrap();
    let t0 = now();
    let out = child::run(
        NAME,
        &[
            ("AWS_WEB_IDENTITY_TOKEN_FILE", token.to_str().unwrap()),
            (
                "AWS_ROLE_ARN",
                "arn:aws:iam::123456789012:role/presign-irsa",
            ),
            ("AWS_ROLE_SESSION_NAME", "presign-test"),
            ("AWS_REGION", "us-east-1"),
            ("AWS_ENDPOINT_URL_STS", &moto.url),
        ],
    )
    .unwrap();
    assert!(out.success, "{}", out.text);
    assert_eq!(out.value("error"), None, "{}", out.text);
    assert!(
        out.value("key_id").unwrap_or("").starts_with("ASIA"),
        "{}",
        out.text
    );
    // STS's default session: one hour.
    let expires: i64 = out.value("expires").unwrap().parse().unwrap();
    assert!(
        (t0.unix() + 3000..t0.unix() + 3700).contains(&expires),
        "{expires}"
    );

    // A token file that is not there: a clear error naming the source.
    let out = child::run(
        NAME,
        &[
            (
                "AWS_WEB_IDENTITY_TOKEN_FILE",
                dir.join("missing").to_str().unwrap(),
            ),
            (
                "AWS_ROLE_ARN",
                "arn:aws:iam::123456789012:role/presign-irsa",
            ),
            ("AWS_REGION", "us-east-1"),
            ("AWS_ENDPOINT_URL_STS", &moto.url),
        ],
    )
    .unwrap();
    let e = out.value("error").unwrap_or_else(|| panic!("{}", out.text));
    assert!(e.contains("web identity"), "{e}");
    let _ = std::fs::remove_dir_all(dir);
}

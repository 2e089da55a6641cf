//! Shared config profiles: `credential_process`, `role_arn` + `source_profile` (STS
//! `AssumeRole` at moto), and the default chain falling through to IMDSv2.

use std::time::Duration;

use presign_credentials_aws::AwsCredentialSource;
use presign_credentials_testkit::child;
use presign_credentials_testkit::require::temp_dir;
use presign_credentials_testkit::server::Response;

use crate::imds::imds_server;
use crate::support::{creds_json, now, report_fetch};

fn config(dir: &std::path::Path, expires: &str) -> String {
    let script = dir.join("creds.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho '{{\"Version\": 1, \"AccessKeyId\": \"ASIAPROCESSEXAMPLE\", \
             \"SecretAccessKey\": \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\", \
             \"SessionToken\": \"IQoJb3JpZ2luX2VjEXAMPLETOKEN\", \"Expiration\": \"{expires}\"}}'\n"
        ),
    )
    .unwrap();
    let file = dir.join("config");
    std::fs::write(
        &file,
        format!(
            "[profile base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n\
             aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n\n\
             [profile chained]\nrole_arn = arn:aws:iam::123456789012:role/presign-signer\n\
             source_profile = base\nrole_session_name = presign\n\n\
             [profile proc]\ncredential_process = /bin/sh {}\n\n\
             [profile broken]\ncredential_process = /bin/sh -c 'echo not-json'\n",
            script.display()
        ),
    )
    .unwrap();
    file.to_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credential_process_and_role_arn_with_source_profile() {
    const NAME: &str = "profile::credential_process_and_role_arn_with_source_profile";
    if child::is_child(NAME) {
        let profile = std::env::var("TEST_PROFILE").unwrap();
        report_fetch(AwsCredentialSource::profile(&profile).await).await;
        return;
    }
    let dir = temp_dir(NAME).unwrap();
    let expires = now().checked_add(Duration::from_secs(1800)).unwrap();
    let conf = config(&dir, &expires.to_rfc3339());
    let empty = dir.join("credentials");
    std::fs::write(&empty, "").unwrap();
    let env = |profile: &'static str, sts: &str| {
        vec![
            ("TEST_PROFILE", profile.to_owned()),
            ("AWS_CONFIG_FILE", conf.clone()),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                empty.to_str().unwrap().to_owned(),
            ),
            ("AWS_REGION", "us-east-1".to_owned()),
            ("AWS_ENDPOINT_URL_STS", sts.to_owned()),
        ]
    };
    let run = |vars: Vec<(&'static str, String)>| {
        let v: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
        child::run(NAME, &v).unwrap()
    };

    let out = run(env("proc", "http://127.0.0.1:9"));
    assert!(out.success, "{}", out.text);
    assert_eq!(
        out.value("key_id"),
        Some("ASIAPROCESSEXAMPLE"),
        "{}",
        out.text
    );
    assert_eq!(
        out.value("expires"),
        Some(expires.unix().to_string().as_str())
    );
    assert_eq!(out.value("describe"), Some("aws profile proc"));

    let out = run(env("broken", "http://127.0.0.1:9"));
    let e = out.value("error").unwrap_or_else(|| panic!("{}", out.text));
    assert!(e.contains("aws profile broken"), "{e}");

    if let Some(moto) = crate::moto::start(NAME) {
        let t0 = now();
        let out = run(env("chained", &moto.url));
        assert_eq!(out.value("error"), None, "{}", out.text);
        assert!(
            out.value("key_id").unwrap_or("").starts_with("ASIA"),
            "{}",
            out.text
        );
        let exp: i64 = out.value("expires").unwrap().parse().unwrap();
        assert!((t0.unix() + 600..t0.unix() + 3700).contains(&exp), "{exp}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn default_chain_reaches_imds_through_its_endpoint_variable() {
    const NAME: &str = "profile::default_chain_reaches_imds_through_its_endpoint_variable";
    if child::is_child(NAME) {
        report_fetch(AwsCredentialSource::default_chain().await).await;
        return;
    }
    let expires = now().checked_add(Duration::from_secs(3600)).unwrap();
    let server =
        imds_server(move |_| Response::json(creds_json("ASIACHAINIMDSEXAMPLE", expires))).await;
    let dir = temp_dir(NAME).unwrap();
    let out = child::run(
        NAME,
        &[
            ("HOME", dir.to_str().unwrap()),
            ("AWS_REGION", "us-east-1"),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url()),
        ],
    )
    .unwrap();
    assert!(out.success, "{}", out.text);
    assert_eq!(
        out.value("key_id"),
        Some("ASIACHAINIMDSEXAMPLE"),
        "{}",
        out.text
    );
    assert_eq!(out.value("describe"), Some("aws-config default chain"));
    let _ = std::fs::remove_dir_all(dir);
}

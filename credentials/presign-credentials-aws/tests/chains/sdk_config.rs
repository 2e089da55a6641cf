//! An S3 presigner from an `aws-config` `SdkConfig`: region, endpoint, credentials provider.

use std::time::{Duration, UNIX_EPOCH};

use presign_core::Presigner;
use presign_credentials_aws::aws_config::{Region, SdkConfig};
use presign_credentials_aws::s3_presigner_builder;
use presign_s3::Addressing;

use crate::support::{get, now, param};

#[tokio::test]
async fn sdk_config_gives_region_endpoint_and_expiring_credentials() {
    let expires = now().checked_add(Duration::from_secs(300)).unwrap();
    let creds = aws_credential_types::Credentials::new(
        "ASIASDKCONFIGEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        Some("IQoJb3JpZ2luX2VjEXAMPLETOKEN".into()),
        Some(UNIX_EPOCH + Duration::from_secs(expires.unix() as u64)),
        "test",
    );
    let sdk = SdkConfig::builder()
        .region(Region::new("eu-west-3"))
        .endpoint_url("http://127.0.0.1:8333")
        .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(creds))
        .build();
    let s3 = s3_presigner_builder(&sdk)
        .unwrap()
        .bucket("presign-test")
        .addressing(Addressing::Path)
        .build()
        .unwrap();
    // Without a policy layer the provider refuses a URL that outlives the credentials.
    let e = s3
        .presign(&get(Duration::from_secs(900)))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), "credentials_expire_first", "{e}");
    let signed = s3.presign(&get(Duration::from_secs(60))).await.unwrap();
    let url = signed.expose_url();
    assert!(
        url.starts_with("http://127.0.0.1:8333/presign-test/uploads/k?"),
        "{url}"
    );
    assert!(
        param(url, "X-Amz-Credential")
            .unwrap()
            .contains("%2Feu-west-3%2Fs3%2F"),
        "{url}"
    );
    assert_eq!(
        param(url, "X-Amz-Credential").map(|c| c.starts_with("ASIASDKCONFIGEXAMPLE")),
        Some(true)
    );

    let none = SdkConfig::builder().build();
    let e = s3_presigner_builder(&none).unwrap_err();
    assert_eq!(e.kind(), "credentials");
}

//! Where S3 requests go: the regional AWS endpoint of each partition, or a configured endpoint
//! (`endpoint`, `public_endpoint`, `served_through`) parsed by core's one base-URL parser
//! ([`presign_core::endpoint::BaseUrl`]: http/https, a DNS name, IPv4 or `[IPv6]` host, port 1 to
//! 65535, a path prefix of unreserved characters, no user info, query or fragment), with the
//! scheme's default port dropped (a client sends `Host: h`, not `h:443`).
//!
//! ```
//! use presign_s3::parse_endpoint as parse;
//! let e = parse("http://127.0.0.1:8333", "endpoint")?;
//! assert_eq!(e.authority(), "127.0.0.1:8333");
//! let e = parse("https://s3.example.com:443/storage/", "endpoint")?;
//! assert_eq!(e.authority(), "s3.example.com"); // default port dropped
//! assert_eq!(e.path_prefix(), "/storage");
//! assert!(parse("https://user:pw@host", "endpoint").is_err());
//! # Ok::<(), presign_core::Error>(())
//! ```

use presign_core::Error;
use presign_core::endpoint::BaseUrl;

/// Parses a configured endpoint; `field` names the input in errors (`endpoint`,
/// `public_endpoint`, `served_through`). The scheme's default port is dropped.
pub fn parse(input: &str, field: &str) -> Result<BaseUrl, Error> {
    Ok(BaseUrl::parse(input, field)?.without_default_port())
}

/// The DNS suffix of the AWS partition `region` belongs to (botocore's `partitions.json`:
/// `aws-cn`, `aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f`, `aws-eusc`; `aws` and
/// `aws-us-gov` use `amazonaws.com`).
pub fn partition_dns_suffix(region: &str) -> &'static str {
    const PARTITIONS: &[(&str, &str)] = &[
        ("cn-", "amazonaws.com.cn"),
        ("us-iso-", "c2s.ic.gov"),
        ("us-isob-", "sc2s.sgov.gov"),
        ("eu-isoe-", "cloud.adc-e.uk"),
        ("us-isof-", "csp.hci.ic.gov"),
        ("eusc-", "amazonaws.eu"),
    ];
    PARTITIONS
        .iter()
        .find(|(prefix, _)| region.starts_with(prefix))
        .map_or("amazonaws.com", |(_, suffix)| suffix)
}

/// The regional AWS endpoint: `https://s3.REGION.SUFFIX`, with the suffix of the region's
/// partition ([`partition_dns_suffix`]).
pub(crate) fn aws_regional_endpoint(region: &str) -> Result<BaseUrl, Error> {
    parse(
        &format!("https://s3.{region}.{}", partition_dns_suffix(region)),
        "region",
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn each_partition_has_its_suffix() {
        for (region, host) in [
            ("cn-north-1", "s3.cn-north-1.amazonaws.com.cn"),
            ("us-gov-west-1", "s3.us-gov-west-1.amazonaws.com"),
            ("us-iso-east-1", "s3.us-iso-east-1.c2s.ic.gov"),
            ("us-isob-east-1", "s3.us-isob-east-1.sc2s.sgov.gov"),
            ("eu-isoe-west-1", "s3.eu-isoe-west-1.cloud.adc-e.uk"),
            ("us-isof-south-1", "s3.us-isof-south-1.csp.hci.ic.gov"),
            ("eusc-de-east-1", "s3.eusc-de-east-1.amazonaws.eu"),
        ] {
            assert_eq!(aws_regional_endpoint(region).unwrap().host(), host);
        }
        assert!(aws_regional_endpoint("eu west").is_err());
    }

    #[test]
    fn default_ports_are_dropped_others_kept() {
        assert_eq!(
            parse("HTTPS://S3.Example.com:443", "endpoint")
                .unwrap()
                .to_string(),
            "https://s3.example.com"
        );
        assert_eq!(
            parse("http://localhost:80/", "endpoint")
                .unwrap()
                .to_string(),
            "http://localhost"
        );
        assert_eq!(
            parse("http://localhost:443", "endpoint")
                .unwrap()
                .authority(),
            "localhost:443"
        );
    }
}

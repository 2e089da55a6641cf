//! [`Addressing`] and the resolution of bucket, region and endpoints into the URL base and the
//! signed `Host`.

use presign_core::endpoint::{BaseUrl, Scheme};

use crate::names::is_dns_compatible;

/// Where the bucket goes in the URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Addressing {
    /// In the host: `https://bucket.s3.us-east-1.amazonaws.com/key` (the default). Falls back
    /// to [`Addressing::Path`] for buckets that are not DNS-compatible, buckets with dots over
    /// https (the wildcard certificate does not cover them), and endpoints that are IP
    /// addresses or `localhost`.
    #[default]
    Virtual,
    /// In the path: `https://s3.us-east-1.amazonaws.com/bucket/key`.
    Path,
}

/// The addressing actually used, after fallbacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResolvedAddressing {
    /// The bucket is in the host.
    Virtual,
    /// The bucket is in the path.
    Path,
    /// A public endpoint addresses the bucket itself (neither host nor path name it).
    PublicEndpoint,
}

/// The resolved URL pieces for one presigner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    /// `scheme://authority`.
    pub(crate) origin: String,
    /// The signed `Host` header (`host` or `host:port`).
    pub(crate) host: String,
    /// The path before the key, without a trailing `/` (`""`, `/bucket`, `/prefix/bucket`).
    /// Made only of unreserved characters and `/`, so raw and encoded forms are equal.
    pub(crate) path_prefix: String,
    /// The addressing used.
    pub(crate) addressing: ResolvedAddressing,
}

/// Resolves the URL base. `public` wins over `endpoint`: URLs are signed for the host the
/// client will call.
pub(crate) fn resolve(
    bucket: &str,
    endpoint: &BaseUrl,
    public: Option<&BaseUrl>,
    addressing: Addressing,
) -> Target {
    if let Some(p) = public {
        return Target {
            origin: p.origin().to_owned(),
            host: p.authority().to_owned(),
            path_prefix: p.path_prefix().to_owned(),
            addressing: ResolvedAddressing::PublicEndpoint,
        };
    }
    let virtual_ok = addressing == Addressing::Virtual
        && is_dns_compatible(bucket)
        && !(bucket.contains('.') && endpoint.scheme() == Scheme::Https)
        && !endpoint.host_is_ip()
        && endpoint.host() != "localhost";
    if virtual_ok {
        let virtual_host = endpoint.with_subdomain(bucket);
        Target {
            origin: virtual_host.origin().to_owned(),
            host: virtual_host.authority().to_owned(),
            path_prefix: endpoint.path_prefix().to_owned(),
            addressing: ResolvedAddressing::Virtual,
        }
    } else {
        Target {
            origin: endpoint.origin().to_owned(),
            host: endpoint.authority().to_owned(),
            path_prefix: format!("{}/{bucket}", endpoint.path_prefix()),
            addressing: ResolvedAddressing::Path,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::aws_regional_endpoint;

    fn ep(s: &str) -> BaseUrl {
        crate::endpoint::parse(s, "endpoint").unwrap()
    }

    #[test]
    fn regional_virtual_by_default() {
        let t = resolve(
            "my-bucket",
            &aws_regional_endpoint("eu-west-1").unwrap(),
            None,
            Addressing::default(),
        );
        assert_eq!(t.origin, "https://my-bucket.s3.eu-west-1.amazonaws.com");
        assert_eq!(t.host, "my-bucket.s3.eu-west-1.amazonaws.com");
        assert_eq!(t.path_prefix, "");
        assert_eq!(t.addressing, ResolvedAddressing::Virtual);
    }

    #[test]
    fn path_style_and_fallbacks() {
        let aws = aws_regional_endpoint("us-east-1").unwrap();
        let t = resolve("my-bucket", &aws, None, Addressing::Path);
        assert_eq!(
            (t.host.as_str(), t.path_prefix.as_str()),
            ("s3.us-east-1.amazonaws.com", "/my-bucket")
        );
        for b in ["my.bucket", "My_Legacy", "xn--bucket-"] {
            let t = resolve(b, &aws, None, Addressing::Virtual);
            assert_eq!(t.addressing, ResolvedAddressing::Path, "{b}");
            assert_eq!(t.path_prefix, format!("/{b}"));
        }
        // Dots are fine over http.
        let t = resolve(
            "my.bucket",
            &ep("http://minio.local:9000"),
            None,
            Addressing::Virtual,
        );
        assert_eq!(t.host, "my.bucket.minio.local:9000");
        // IP and localhost endpoints cannot carry a bucket in the host.
        for e in [
            "http://127.0.0.1:8333",
            "http://[::1]:9000",
            "http://localhost:9000",
        ] {
            let t = resolve("presign-test", &ep(e), None, Addressing::Virtual);
            assert_eq!(t.addressing, ResolvedAddressing::Path, "{e}");
        }
    }

    #[test]
    fn custom_endpoint_with_prefix_and_default_port() {
        let t = resolve(
            "b-1",
            &ep("https://gw.example.com:443/s3/"),
            None,
            Addressing::Path,
        );
        assert_eq!(t.origin, "https://gw.example.com");
        assert_eq!(t.path_prefix, "/s3/b-1");
        let t = resolve(
            "b-1",
            &ep("https://r2.example.com:8443"),
            None,
            Addressing::Virtual,
        );
        assert_eq!(t.host, "b-1.r2.example.com:8443");
    }

    #[test]
    fn public_endpoint_addresses_the_bucket() {
        let t = resolve(
            "b-1",
            &ep("http://minio:9000"),
            Some(&ep("https://cdn.example.com:443/files")),
            Addressing::Path,
        );
        assert_eq!(t.origin, "https://cdn.example.com");
        assert_eq!(t.host, "cdn.example.com");
        assert_eq!(t.path_prefix, "/files");
        assert_eq!(t.addressing, ResolvedAddressing::PublicEndpoint);
    }
}

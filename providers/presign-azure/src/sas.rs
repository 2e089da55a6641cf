//! The SAS fields of one URL, the string-to-sign and the query string.
//!
//! Service version [`SIGNED_VERSION`] (`sv=2026-10-06`). Its string-to-sign for a **service SAS**
//! signed with the account key has 16 lines:
//!
//! ```text
//! sp, st, se, /blob/ACCOUNT/CONTAINER/BLOB, si, sip, spr, sv, sr, snapshot-or-version,
//! ses, rscc, rscd, rsce, rscl, rsct
//! ```
//!
//! and for a **user-delegation SAS** 28 lines:
//!
//! ```text
//! sp, st, se, /blob/ACCOUNT/CONTAINER/BLOB, skoid, sktid, skt, ske, sks, skv, saoid, suoid,
//! scid, skdutid, sduoid, sip, spr, sv, sr, snapshot-or-version, ses, srh, srq,
//! rscc, rscd, rsce, rscl, rsct
//! ```
//!
//! joined with `\n`; absent fields are empty lines. The blob name in the canonicalized resource
//! is the raw (decoded) name. The signature is base64(HMAC-SHA256(key, string-to-sign)) with the
//! base64-decoded account key or user-delegation key.
//!
//! This crate never sets `ses`, `saoid`, `suoid`, `scid`, `sduoid`, `srh` or `srq` (their lines
//! stay empty), and signs `sr=b`, or `sr=bv` with the version id when a version is requested.

use std::ops::Range;

use base64::Engine as _;
use presign_core::crypto::hmac_sha256;
use presign_core::encoding::{EncodeSet, encode_into};
use presign_core::{ClientIp, Timestamp};

use crate::delegation::CachedKey;

/// The signed service version, `sv`: 2026-10-06, the newest version whose string-to-sign this
/// crate implements completely (service SAS and user-delegation SAS).
pub const SIGNED_VERSION: &str = "2026-10-06";

/// Everything that goes into one SAS except the key and the resource.
#[derive(Debug)]
pub(crate) struct Sas<'a> {
    /// `sp`, canonical order.
    pub(crate) permissions: &'a str,
    /// `st`.
    pub(crate) start: Option<Timestamp>,
    /// `se`.
    pub(crate) expiry: Timestamp,
    /// `si` (service SAS only).
    pub(crate) identifier: Option<&'a str>,
    /// `sip`, IPv4 only.
    pub(crate) ip: Option<ClientIp>,
    /// `spr=https` when true, else `spr=https,http`.
    pub(crate) https_only: bool,
    /// The blob version (`sr=bv`), signed in the snapshot-time line.
    pub(crate) version_id: Option<&'a str>,
    /// `rscc`, `rscd`, `rsce`, `rscl`, `rsct`, in that order.
    pub(crate) overrides: [Option<&'a str>; 5],
    /// The user-delegation key, for a user-delegation SAS.
    pub(crate) delegation: Option<&'a CachedKey>,
}

/// The query names of the five response overrides, in string-to-sign order.
const OVERRIDE_NAMES: [&str; 5] = ["rscc", "rscd", "rsce", "rscl", "rsct"];

/// Where the formatted time and IP fields sit in the string-to-sign, to copy them into the
/// query without formatting them twice.
#[derive(Debug, Default)]
pub(crate) struct Spans {
    start: Option<Range<usize>>,
    expiry: Range<usize>,
    ip: Option<Range<usize>>,
}

fn span(out: &mut String, write: impl FnOnce(&mut String)) -> Range<usize> {
    let from = out.len();
    write(out);
    from..out.len()
}

impl Sas<'_> {
    /// `sr`.
    pub(crate) fn resource(&self) -> &'static str {
        if self.version_id.is_some() { "bv" } else { "b" }
    }

    /// `spr`.
    pub(crate) fn protocol(&self) -> &'static str {
        if self.https_only {
            "https"
        } else {
            "https,http"
        }
    }

    /// Appends the string-to-sign: `resource_prefix` is `/blob/ACCOUNT/CONTAINER/`, `blob` the
    /// raw blob name.
    pub(crate) fn write_string_to_sign(
        &self,
        resource_prefix: &str,
        blob: &str,
        out: &mut String,
    ) -> Spans {
        let mut spans = Spans::default();
        out.push_str(self.permissions);
        out.push('\n');
        if let Some(st) = self.start {
            spans.start = Some(span(out, |o| st.write_rfc3339(o)));
        }
        out.push('\n');
        spans.expiry = span(out, |o| self.expiry.write_rfc3339(o));
        out.push('\n');
        out.push_str(resource_prefix);
        out.push_str(blob);
        out.push('\n');
        match self.delegation {
            None => {
                out.push_str(self.identifier.unwrap_or_default());
                out.push('\n');
            }
            Some(k) => {
                for v in [
                    k.signed_oid.as_str(),
                    &k.signed_tid,
                    &k.signed_start,
                    &k.signed_expiry,
                    &k.signed_service,
                    &k.signed_version,
                    "", // saoid
                    "", // suoid
                    "", // scid
                    k.signed_delegated_user_tid.as_deref().unwrap_or_default(),
                    "", // sduoid
                ] {
                    out.push_str(v);
                    out.push('\n');
                }
            }
        }
        if let Some(ip) = self.ip {
            spans.ip = Some(span(out, |o| {
                use std::fmt::Write as _;
                let _ = write!(o, "{ip}");
            }));
        }
        out.push('\n');
        out.push_str(self.protocol());
        out.push('\n');
        out.push_str(SIGNED_VERSION);
        out.push('\n');
        out.push_str(self.resource());
        out.push('\n');
        out.push_str(self.version_id.unwrap_or_default());
        out.push('\n');
        // ses
        out.push('\n');
        if self.delegation.is_some() {
            // srh, srq
            out.push_str("\n\n");
        }
        for (i, v) in self.overrides.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(v.unwrap_or_default());
        }
        spans
    }

    /// Appends the SAS query parameters (after the caller's `?`), `sig` last, every value
    /// percent-encoded.
    pub(crate) fn write_query(&self, sts: &str, spans: &Spans, key: &[u8], out: &mut String) {
        let param = |out: &mut String, name: &str, value: &str| {
            out.push('&');
            out.push_str(name);
            out.push('=');
            encode_into(out, value, EncodeSet::Component);
        };
        let slice = |r: &Range<usize>| sts.get(r.clone()).unwrap_or_default();
        // sv, sr, sp, spr and sip never need percent-encoding (letters, digits, '-', '.'),
        // except the comma of "https,http", written pre-encoded.
        out.push_str("sv=");
        out.push_str(SIGNED_VERSION);
        out.push_str("&sr=");
        out.push_str(self.resource());
        out.push_str("&sp=");
        out.push_str(self.permissions);
        if let Some(r) = &spans.start {
            param(out, "st", slice(r));
        }
        param(out, "se", slice(&spans.expiry));
        if let Some(r) = &spans.ip {
            out.push_str("&sip=");
            out.push_str(slice(r));
        }
        out.push_str(if self.https_only {
            "&spr=https"
        } else {
            "&spr=https%2Chttp"
        });
        if self.delegation.is_none()
            && let Some(si) = self.identifier
        {
            param(out, "si", si);
        }
        if let Some(k) = self.delegation {
            param(out, "skoid", &k.signed_oid);
            param(out, "sktid", &k.signed_tid);
            param(out, "skt", &k.signed_start);
            param(out, "ske", &k.signed_expiry);
            param(out, "sks", &k.signed_service);
            param(out, "skv", &k.signed_version);
            if let Some(t) = &k.signed_delegated_user_tid {
                param(out, "skdutid", t);
            }
        }
        for (name, v) in OVERRIDE_NAMES.iter().zip(self.overrides.iter()) {
            if let Some(v) = v {
                param(out, name, v);
            }
        }
        if let Some(v) = self.version_id {
            param(out, "versionid", v);
        }
        let mac = hmac_sha256(key, sts.as_bytes());
        let mut sig = [0u8; 44];
        let n = base64::engine::general_purpose::STANDARD
            .encode_slice(mac, &mut sig)
            .unwrap_or(0);
        param(
            out,
            "sig",
            std::str::from_utf8(sig.get(..n).unwrap_or_default()).unwrap_or_default(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        Timestamp::parse_rfc3339(s).unwrap()
    }

    #[test]
    fn service_sas_has_16_lines() {
        let sas = Sas {
            permissions: "r",
            start: Some(t("2024-01-01T00:00:00Z")),
            expiry: t("2024-01-01T01:00:00Z"),
            identifier: Some("policy1"),
            ip: Some(ClientIp::parse("10.0.0.0/24").unwrap()),
            https_only: true,
            version_id: None,
            overrides: [None, Some("attachment"), None, None, Some("text/plain")],
            delegation: None,
        };
        let mut sts = String::new();
        sas.write_string_to_sign("/blob/acct/ctr/", "a b/ü", &mut sts);
        assert_eq!(
            sts,
            "r\n2024-01-01T00:00:00Z\n2024-01-01T01:00:00Z\n/blob/acct/ctr/a b/ü\npolicy1\n\
             10.0.0.0-10.0.0.255\nhttps\n2026-10-06\nb\n\n\n\nattachment\n\n\ntext/plain"
        );
        assert_eq!(sts.split('\n').count(), 16);
    }

    #[test]
    fn query_encodes_values_and_ends_with_sig() {
        let sas = Sas {
            permissions: "cw",
            start: None,
            expiry: t("2024-01-01T01:00:00Z"),
            identifier: None,
            ip: None,
            https_only: false,
            version_id: None,
            overrides: [None; 5],
            delegation: None,
        };
        let mut sts = String::new();
        let spans = sas.write_string_to_sign("/blob/a/c/", "k", &mut sts);
        assert_eq!(sts.split('\n').count(), 16);
        let mut q = String::from("http://h/c/k?");
        sas.write_query(&sts, &spans, b"key", &mut q);
        assert!(
            q.starts_with(
                "http://h/c/k?sv=2026-10-06&sr=b&sp=cw&se=2024-01-01T01%3A00%3A00Z&spr=https%2Chttp&sig="
            ),
            "{q}"
        );
        let sig = q.rsplit("sig=").next().unwrap();
        assert_eq!(sig.len(), 44 + 2 * sig.matches('%').count());
    }
}

//! [`Verifier`] for S3: the signature of a SigV4 query URL recomputed with this provider's
//! credentials and the one SigV4 implementation (`presign_v4::sign_query`), compared in
//! constant time.

use presign_core::encoding::decode_lossy;
use presign_core::secret::constant_time_eq;
use presign_core::verify::{SignatureCheck, Verifier, VerifyRequest};
use presign_core::{Error, Timestamp};

use presign_v4::{Dialect, QueryRequest, SigningKey, SigningParams, sign_query};

use crate::presigner::S3Presigner;

/// The query parameter that carries a session token.
const SECURITY_TOKEN_PARAM: &str = Dialect::AWS4_HMAC_SHA256.query.security_token;

/// The parameters SigV4 itself adds (everything else in the query is signed as it is).
const OWN: [&str; 7] = [
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
    "X-Amz-Signature",
    SECURITY_TOKEN_PARAM,
];

fn invalid(field: &str, reason: impl Into<String>) -> Error {
    Error::invalid_input(field, reason)
}

impl Verifier for S3Presigner {
    fn key_ids(&self) -> Vec<String> {
        self.snapshot_now()
            .map(|c| vec![c.value().access_key_id().to_owned()])
            .unwrap_or_default()
    }

    fn check_signature(&self, r: &VerifyRequest<'_>) -> Result<SignatureCheck, Error> {
        let url = r.url;
        let get = |name: &str| {
            url.get(name)
                .ok_or_else(|| invalid(name, "missing: not a SigV4 query URL"))
        };
        let algorithm = get("X-Amz-Algorithm")?;
        if algorithm != "AWS4-HMAC-SHA256" {
            return Err(invalid(
                "X-Amz-Algorithm",
                format!("{algorithm:?}: only AWS4-HMAC-SHA256 URLs are verified"),
            ));
        }
        let date = get("X-Amz-Date")?;
        let time = Timestamp::parse_basic(date)
            .ok_or_else(|| invalid("X-Amz-Date", format!("{date:?} is not YYYYMMDDTHHMMSSZ")))?;
        let expires = get("X-Amz-Expires")?;
        let expires_in: u64 = expires
            .parse()
            .map_err(|_| invalid("X-Amz-Expires", format!("{expires:?} is not seconds")))?;
        let credential = get("X-Amz-Credential")?;
        let scope: Vec<&str> = credential.rsplitn(5, '/').collect();
        let [_, service, region, _, _] = scope.as_slice() else {
            return Err(invalid(
                "X-Amz-Credential",
                "not KEY/DATE/REGION/SERVICE/aws4_request",
            ));
        };
        let snapshot = self.snapshot_now()?;
        let creds = snapshot.value();
        let key = SigningKey::derive(
            &Dialect::AWS4_HMAC_SHA256,
            creds.access_key_id(),
            creds.secret_access_key(),
            time,
            region,
            service,
        );
        // The headers the URL was signed with, with the values the client will send.
        let headers = r.signed_header_values(get("X-Amz-SignedHeaders")?)?;
        let host = match url.port {
            Some(port) if url.host.contains(':') => format!("[{}]:{port}", url.host),
            Some(port)
                if !(url.scheme == "https" && port == 443
                    || url.scheme == "http" && port == 80) =>
            {
                format!("{}:{port}", url.host)
            }
            _ => url.host.clone(),
        };
        let query: Vec<(&str, &str)> = url
            .params
            .iter()
            .filter(|p| !OWN.contains(&p.name.as_str()))
            .map(|p| (p.name.as_str(), p.value.as_str()))
            .collect();
        let path = decode_lossy(&url.raw_path);
        let signed = sign_query(
            &SigningParams::s3(),
            &key,
            &QueryRequest {
                method: r.method.as_str(),
                host: &host,
                path: &path,
                query: &query,
                headers: &headers,
                time,
                expires_in,
                session_token: url.get(SECURITY_TOKEN_PARAM),
            },
        )?;
        let carried = get("X-Amz-Signature")?.to_ascii_lowercase();
        Ok(SignatureCheck {
            matches: constant_time_eq(signed.signature.as_bytes(), carried.as_bytes()),
            signed_text: Some(match url.get(SECURITY_TOKEN_PARAM) {
                Some(token) if !token.is_empty() => signed.canonical_request.replace(
                    &presign_core::encoding::encode(
                        token,
                        presign_core::encoding::EncodeSet::Component,
                    )
                    .into_owned(),
                    presign_core::redact::REDACTED,
                ),
                _ => signed.canonical_request,
            }),
        })
    }
}

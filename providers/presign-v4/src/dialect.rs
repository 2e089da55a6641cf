//! [`Dialect`]: the names that tell AWS SigV4 and GCS V4 apart. The algorithm is the same.

/// The names one member of the V4 family uses: the algorithm, the HMAC key derivation's prefix
/// and terminator, the query parameters of a presigned URL and the fields of a POST form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    /// `X-Amz-Algorithm` / `X-Goog-Algorithm` and the first line of the string to sign.
    pub algorithm: &'static str,
    /// What goes before the secret in the first HMAC of the key derivation (`AWS4`, `GOOG4`).
    pub key_prefix: &'static str,
    /// The last element of the credential scope (`aws4_request`, `goog4_request`).
    pub terminator: &'static str,
    /// The query parameters of a presigned URL.
    pub query: Names,
    /// The fields of a POST form (lower-case).
    pub form: Names,
}

/// The names of the authentication parameters (query) or fields (POST form).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Names {
    /// The algorithm.
    pub algorithm: &'static str,
    /// `ID/yyyymmdd/region/service/terminator`.
    pub credential: &'static str,
    /// `yyyymmddThhmmssZ`.
    pub date: &'static str,
    /// The lifetime in seconds (query only; a POST policy carries an expiration instead).
    pub expires: &'static str,
    /// The signed header names, `;`-separated (query only).
    pub signed_headers: &'static str,
    /// The session token of temporary credentials (AWS only; empty for GCS).
    pub security_token: &'static str,
    /// The signature, lower-case hex.
    pub signature: &'static str,
}

const AMZ_QUERY: Names = Names {
    algorithm: "X-Amz-Algorithm",
    credential: "X-Amz-Credential",
    date: "X-Amz-Date",
    expires: "X-Amz-Expires",
    signed_headers: "X-Amz-SignedHeaders",
    security_token: "X-Amz-Security-Token",
    signature: "X-Amz-Signature",
};

const AMZ_FORM: Names = Names {
    algorithm: "x-amz-algorithm",
    credential: "x-amz-credential",
    date: "x-amz-date",
    expires: "",
    signed_headers: "",
    security_token: "x-amz-security-token",
    signature: "x-amz-signature",
};

const GOOG_QUERY: Names = Names {
    algorithm: "X-Goog-Algorithm",
    credential: "X-Goog-Credential",
    date: "X-Goog-Date",
    expires: "X-Goog-Expires",
    signed_headers: "X-Goog-SignedHeaders",
    security_token: "",
    signature: "X-Goog-Signature",
};

const GOOG_FORM: Names = Names {
    algorithm: "x-goog-algorithm",
    credential: "x-goog-credential",
    date: "x-goog-date",
    expires: "",
    signed_headers: "",
    security_token: "",
    signature: "x-goog-signature",
};

impl Dialect {
    /// AWS Signature Version 4 (S3 and every other AWS service).
    pub const AWS4_HMAC_SHA256: Dialect = Dialect {
        algorithm: "AWS4-HMAC-SHA256",
        key_prefix: "AWS4",
        terminator: "aws4_request",
        query: AMZ_QUERY,
        form: AMZ_FORM,
    };

    /// GCS V4 signed with an RSA key (a service-account key or IAM `signBlob`).
    pub const GOOG4_RSA_SHA256: Dialect = Dialect {
        algorithm: "GOOG4-RSA-SHA256",
        key_prefix: "GOOG4",
        terminator: "goog4_request",
        query: GOOG_QUERY,
        form: GOOG_FORM,
    };

    /// GCS V4 signed with an HMAC key (derived the SigV4 way, with `GOOG4`).
    pub const GOOG4_HMAC_SHA256: Dialect = Dialect {
        algorithm: "GOOG4-HMAC-SHA256",
        key_prefix: "GOOG4",
        terminator: "goog4_request",
        query: GOOG_QUERY,
        form: GOOG_FORM,
    };

    /// The authentication parameters a caller must not set themselves (lower-case).
    pub fn is_reserved_query(&self, name: &str) -> bool {
        let q = &self.query;
        [
            q.algorithm,
            q.credential,
            q.date,
            q.expires,
            q.signed_headers,
            q.signature,
            q.security_token,
        ]
        .iter()
        .any(|r| !r.is_empty() && r.eq_ignore_ascii_case(name))
    }
}

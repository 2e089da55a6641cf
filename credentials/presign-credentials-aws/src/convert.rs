//! From `aws-credential-types` values and errors to presign's.

use std::time::{SystemTime, UNIX_EPOCH};

use aws_credential_types::provider::error::CredentialsError;
use presign_core::{Credential, Error, Timestamp};
use presign_s3::Credentials;

/// A snapshot of `c`, its expiry rounded down to the second (never later than the real one).
pub(crate) fn snapshot(
    c: &aws_credential_types::Credentials,
    provider: &str,
) -> Result<Credential<Credentials>, Error> {
    let mut out = Credentials::new(c.access_key_id(), c.secret_access_key());
    if let Some(token) = c.session_token() {
        out = out.with_session_token(token);
    }
    match c.expiry() {
        None => Ok(Credential::new(out)),
        Some(at) => {
            let ts = timestamp(at).map_err(|reason| Error::Credentials {
                provider: provider.to_owned(),
                reason,
            })?;
            Ok(Credential::expiring(out.with_expiry(ts), ts))
        }
    }
}

fn timestamp(at: SystemTime) -> Result<Timestamp, String> {
    let secs = match at.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).ok(),
        Err(e) => i64::try_from(e.duration().as_secs().saturating_add(1))
            .ok()
            .map(|s| -s),
    };
    secs.and_then(|s| Timestamp::from_unix(s).ok())
        .ok_or_else(|| "the credentials' expiry is out of range".to_owned())
}

/// `e` as presign's credentials error naming `provider` and `source` (the chain's
/// description). `aws-config`'s errors name files, profiles, endpoints and server messages,
/// never secrets.
pub(crate) fn error(e: &CredentialsError, provider: &str, source: &str) -> Error {
    Error::credentials_from(provider, source, e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn expiry_rounds_down_and_secrets_stay_out() {
        let at = UNIX_EPOCH + Duration::from_millis(1_800_000_000_900);
        let c = aws_credential_types::Credentials::new(
            "ASIAX",
            "wJalrSECRETVALUE",
            Some("IQoTOKENVALUE".into()),
            Some(at),
            "t",
        );
        let s = snapshot(&c, "p").unwrap();
        assert_eq!(
            s.expires_at(),
            Some(Timestamp::from_unix(1_800_000_000).unwrap())
        );
        assert_eq!(s.value().access_key_id(), "ASIAX");
        let dbg = format!("{s:?}");
        assert!(
            !dbg.contains("wJalrSECRETVALUE") && !dbg.contains("IQoTOKENVALUE"),
            "{dbg}"
        );
        let e = error(
            &CredentialsError::not_loaded("no credentials here"),
            "prod",
            "aws chain",
        );
        assert_eq!(e.kind(), "credentials");
        assert!(e.to_string().contains("aws chain: "), "{e}");
        let long = error(&CredentialsError::unhandled("x".repeat(1000)), "prod", "s");
        assert!(long.to_string().len() < 400);
    }
}

//! `presign url`: sign one request and print the URL, the JSON result or a curl command.

use std::io::Write;

use presign_config::Registry;
use presign_core::duration::parse_duration;
use presign_core::{Error, Explanation, Method, PresignedRequest, Timestamp};
use serde_json::{Map, Value, json};

use crate::args::UrlArgs;
use crate::request::split_pair;
use crate::shell::quote;
use crate::{EXIT_OK, Failure, runtime, warn};
use presign_config::fields::{UrlFields, parse_content_length};

pub(crate) fn run(
    registry: &Registry,
    a: &UrlArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<i32, Failure> {
    let entry = registry.resolve(a.provider.as_deref())?;
    // A CDN's keys are URL paths: `/videos/a.mp4` and `videos/a.mp4` name the same object.
    let key = if entry.cookies.is_some() {
        a.key.strip_prefix('/').unwrap_or(&a.key)
    } else {
        a.key.as_str()
    };
    let fields = UrlFields {
        method: &a.method,
        key,
        expires_in: a.expires_in.as_deref().map(parse_duration).transpose()?,
        now: a.now.as_deref(),
        content_type: a.content_type.as_deref(),
        content_length: a
            .content_length
            .as_deref()
            .map(parse_content_length)
            .transpose()?,
        content_md5: a.content_md5.as_deref(),
        response_content_disposition: a.response_content_disposition.as_deref(),
        response_content_type: a.response_content_type.as_deref(),
        headers: a
            .headers
            .iter()
            .map(|h| split_pair("header", h, ':'))
            .collect::<Result<_, _>>()?,
        query: a
            .query
            .iter()
            .map(|q| split_pair("query", q, '='))
            .collect::<Result<_, _>>()?,
        create_only: a.create_only,
        ip: a.ip.as_deref(),
        https_only: a.https_only,
        not_before: a.not_before.as_deref(),
    };
    let requested_ttl = fields.expires_in;
    let mut request = fields.build()?;
    // One signing instant for the URL and its explanation.
    if request.signing_time.is_none() {
        request = request.signed_at(Timestamp::now());
    }
    let rt = runtime()?;
    let (signed, explanation) = rt.block_on(async {
        let signed = entry.presigner.presign(&request).await?;
        let explanation = if a.explain {
            entry.presigner.explain(&request).await?
        } else {
            None
        };
        Ok::<_, Error>((signed, explanation))
    })?;
    let granted = warn::Granted::new(
        requested_ttl.unwrap_or(entry.policy.default_ttl()),
        signed.signed_at(),
        signed.expires_at(),
        entry.policy.max_ttl(),
        entry.presigner.capabilities().max_ttl(),
        Timestamp::now(),
    );
    warn::constraints(stderr, &entry.name, signed.dropped(), signed.advisory())?;
    warn::ttl(stderr, &granted)?;
    if a.json {
        let mut v = result_json(&signed);
        if let Value::Object(map) = &mut v {
            map.insert(
                "requested_ttl_secs".into(),
                granted.requested.as_secs().into(),
            );
            map.insert("granted_ttl_secs".into(), granted.granted.as_secs().into());
            if let Some(why) = granted.why {
                map.insert("ttl_shortened_by".into(), why.as_str().into());
            }
        }
        if a.explain
            && let Value::Object(map) = &mut v
        {
            map.insert(
                "explain".into(),
                explanation.as_ref().map_or(Value::Null, explain_json),
            );
        }
        let text = serde_json::to_string_pretty(&v).map_err(std::io::Error::other)?;
        writeln!(stdout, "{text}")?;
    } else {
        if a.curl {
            writeln!(stdout, "{}", curl_command(&signed, &a.key))?;
        } else {
            writeln!(stdout, "{}", signed.expose_url())?;
        }
        if a.explain {
            // The URL line is complete on stdout before the explanation starts on stderr, so
            // that the two never run together when both go to one terminal or file.
            stdout.flush()?;
            write_explanation(stderr, &entry.name, explanation.as_ref())?;
        }
    }
    Ok(EXIT_OK)
}

/// The whole result as JSON.
fn result_json(signed: &PresignedRequest) -> Value {
    let headers: Map<String, Value> = signed
        .headers()
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    let names = |kinds: &[presign_core::ConstraintKind]| -> Vec<&str> {
        kinds.iter().map(|k| k.as_str()).collect()
    };
    json!({
        "provider": signed.provider(),
        "method": signed.method().as_str(),
        "url": signed.expose_url(),
        "headers": headers,
        "signed_at": signed.signed_at().to_rfc3339(),
        "expires_at": signed.expires_at().to_rfc3339(),
        "dropped": names(signed.dropped()),
        "advisory": names(signed.advisory()),
    })
}

fn explain_json(e: &Explanation) -> Value {
    json!({
        "algorithm": e.algorithm,
        "canonical_request": e.canonical_request,
        "string_to_sign": e.string_to_sign,
    })
}

fn write_explanation(
    out: &mut dyn Write,
    provider: &str,
    e: Option<&Explanation>,
) -> std::io::Result<()> {
    let Some(e) = e else {
        return writeln!(
            out,
            "# provider {provider} does not offer an explanation of its signature"
        );
    };
    writeln!(out, "# algorithm: {}", e.algorithm)?;
    if let Some(c) = &e.canonical_request {
        writeln!(out, "# canonical request:\n{c}")?;
    }
    writeln!(out, "# string to sign:\n{}", e.string_to_sign)
}

/// A curl command that uses the URL with exactly the headers it needs; every word quoted.
fn curl_command(signed: &PresignedRequest, key: &str) -> String {
    let file = key.rsplit('/').find(|s| !s.is_empty()).unwrap_or("object");
    let mut words: Vec<String> = vec!["curl".into(), "--fail".into()];
    match signed.method() {
        Method::Get => words.extend(["--output".into(), quote(file)]),
        Method::Head => words.push("--head".into()),
        Method::Put => words.extend(["--upload-file".into(), quote(file)]),
        Method::Post | Method::Delete => {}
    }
    if !matches!(signed.method(), Method::Get | Method::Head) {
        words.extend(["--request".into(), signed.method().as_str().into()]);
    }
    for (k, v) in signed.headers() {
        words.extend(["--header".into(), quote(&format!("{k}: {v}"))]);
    }
    words.push(quote(signed.expose_url()));
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curl_quotes_everything() {
        let t = Timestamp::from_unix(0).unwrap();
        let p = PresignedRequest::new(
            Method::Put,
            "http://h/b/it's?X-Amz-Signature=abc&a=1".into(),
            vec![("content-type".into(), "text/plain; x='y'".into())],
            t,
            t,
            "dev",
        );
        let c = curl_command(&p, "dir/it's");
        assert_eq!(
            c,
            "curl --fail --upload-file 'it'\\''s' --request PUT --header 'content-type: text/plain; x='\\''y'\\''' 'http://h/b/it'\\''s?X-Amz-Signature=abc&a=1'"
        );
    }
}

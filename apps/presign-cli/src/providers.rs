//! `presign providers`: each provider's capabilities and effective policy.

use std::io::Write;

use presign_config::{ProviderEntry, Registry};
use presign_core::duration::format_duration;
use presign_core::{MethodSet, Support};
use presign_policy::{ConstraintMode, ExcessTtl};
use serde_json::{Map, Value, json};

use crate::args::ProvidersArgs;
use crate::{EXIT_CONFIG, EXIT_OK, Failure, runtime};

/// Where an entry's credentials come from and when the current ones expire (fetched as the
/// next signature would fetch them), for the kinds that report it.
struct CredentialLine {
    source: String,
    expires: Result<Option<presign_core::Timestamp>, presign_core::Error>,
}

fn credential_line(e: &ProviderEntry) -> Result<Option<CredentialLine>, Failure> {
    let Some(status) = &e.credentials else {
        return Ok(None);
    };
    let expires = runtime()?.block_on(status.expires_at());
    Ok(Some(CredentialLine {
        source: status.source(),
        expires,
    }))
}

pub(crate) fn run(
    registry: &Registry,
    a: &ProvidersArgs,
    stdout: &mut dyn Write,
) -> Result<i32, Failure> {
    let mut code = EXIT_OK;
    let mut all = Vec::new();
    for name in registry.names() {
        let default = registry.default_provider() == Some(name);
        let entry = registry.entry(name);
        if entry.is_err() {
            code = EXIT_CONFIG;
        }
        if a.json {
            all.push(match &entry {
                Ok(e) => entry_json(e, default, credential_line(e)?),
                Err(e) => json!({
                    "name": name,
                    "default": default,
                    "error": {"kind": e.kind(), "message": e.to_string()},
                }),
            });
        } else {
            match &entry {
                Ok(e) => write_entry(stdout, e, default, credential_line(e)?)?,
                Err(e) => writeln!(stdout, "{name}: error[{}]: {e}\n", e.kind())?,
            }
        }
    }
    if a.json {
        let text =
            serde_json::to_string_pretty(&Value::Array(all)).map_err(std::io::Error::other)?;
        writeln!(stdout, "{text}")?;
    } else if registry.names().next().is_none() {
        writeln!(stdout, "no providers configured")?;
    }
    Ok(code)
}

fn methods(set: MethodSet) -> String {
    let names: Vec<&str> = set.iter().map(|m| m.as_str()).collect();
    if names.is_empty() {
        "(none)".into()
    } else {
        names.join(", ")
    }
}

fn excess(e: ExcessTtl) -> &'static str {
    match e {
        ExcessTtl::Clamp => "clamp",
        ExcessTtl::Reject => "reject",
    }
}

fn mode(m: ConstraintMode) -> &'static str {
    match m {
        ConstraintMode::Strict => "strict",
        ConstraintMode::BestEffort => "best-effort",
    }
}

fn write_entry(
    out: &mut dyn Write,
    e: &ProviderEntry,
    default: bool,
    credentials: Option<CredentialLine>,
) -> std::io::Result<()> {
    let caps = e.presigner.capabilities();
    let p = &e.policy;
    writeln!(
        out,
        "{}{}  (kind {})",
        e.name,
        if default { " [default]" } else { "" },
        e.kind
    )?;
    writeln!(
        out,
        "  provider max TTL    {}",
        format_duration(caps.max_ttl())
    )?;
    writeln!(out, "  provider methods    {}", methods(caps.methods()))?;
    writeln!(
        out,
        "  post_policy         {}",
        if e.offers_post() { "yes" } else { "no" }
    )?;
    writeln!(
        out,
        "  signed_cookies      {}",
        if e.cookies.is_some() { "yes" } else { "no" }
    )?;
    if let Some(c) = credentials {
        let expiry = match c.expires {
            Ok(None) => "long-term (no expiry)".to_owned(),
            Ok(Some(t)) => format!("current ones expire at {t}"),
            Err(err) => format!("error[{}]: {err}", err.kind()),
        };
        writeln!(out, "  credentials         {}; {expiry}", c.source)?;
    }
    writeln!(out, "  policy:")?;
    writeln!(
        out,
        "    default_ttl       {}",
        format_duration(p.default_ttl())
    )?;
    writeln!(
        out,
        "    max_ttl           {} ({} longer requests)",
        format_duration(p.max_ttl()),
        excess(p.on_excess_ttl())
    )?;
    writeln!(out, "    allow_methods     {}", methods(p.allow_methods()))?;
    writeln!(
        out,
        "    key_prefixes      {}",
        if p.allows_any_key() {
            "(any key: any_key = true)".to_owned()
        } else {
            p.key_prefixes().join(", ")
        }
    )?;
    writeln!(out, "    constraints       {}", mode(p.constraint_mode()))?;
    writeln!(
        out,
        "    time_bucket       {}",
        p.time_bucket()
            .map_or_else(|| "(none)".to_owned(), format_duration)
    )?;
    writeln!(
        out,
        "    max_upload_size   {} bytes (POST policies)",
        p.max_upload_size()
    )?;
    writeln!(
        out,
        "    max_clock_skew    {} (signing times ahead of the clock)",
        format_duration(p.max_clock_skew())
    )?;
    writeln!(out, "  constraints:")?;
    for (kind, support) in caps.table() {
        let note = match (support, p.constraint_mode()) {
            (Support::Enforced, _) => "",
            (_, ConstraintMode::Strict) => "  (refused by the strict policy)",
            (_, ConstraintMode::BestEffort) => "  (dropped by the best-effort policy)",
        };
        writeln!(out, "    {:<28}  {}{note}", kind.as_str(), support.as_str())?;
    }
    writeln!(out)
}

fn entry_json(e: &ProviderEntry, default: bool, credentials: Option<CredentialLine>) -> Value {
    let caps = e.presigner.capabilities();
    let p = &e.policy;
    let support: Map<String, Value> = caps
        .table()
        .map(|(k, s)| (k.as_str().to_owned(), Value::String(s.as_str().to_owned())))
        .collect();
    let list = |set: MethodSet| -> Vec<&str> { set.iter().map(|m| m.as_str()).collect() };
    let mut v = json!({
        "name": e.name,
        "kind": e.kind,
        "default": default,
        "max_ttl_secs": caps.max_ttl().as_secs(),
        "methods": list(caps.methods()),
        "post_policy": e.offers_post(),
        "signed_cookies": e.cookies.is_some(),
        "constraints": support,
        "policy": {
            "default_ttl_secs": p.default_ttl().as_secs(),
            "max_ttl_secs": p.max_ttl().as_secs(),
            "on_excess_ttl": excess(p.on_excess_ttl()),
            "allow_methods": list(p.allow_methods()),
            "key_prefixes": p.key_prefixes(),
            "any_key": p.allows_any_key(),
            "max_clock_skew_secs": p.max_clock_skew().as_secs(),
            "allow_headers": p.allowed_headers(),
            "allow_query": p.allowed_query(),
            "constraints": mode(p.constraint_mode()),
            "time_bucket_secs": p.time_bucket().map(|d| d.as_secs()),
            "max_upload_size": p.max_upload_size(),
        },
    });
    if let (Some(c), Value::Object(map)) = (credentials, &mut v) {
        let cred = match c.expires {
            Ok(t) => json!({"source": c.source, "expires_at": t.map(|t| t.to_rfc3339())}),
            Err(err) => json!({
                "source": c.source,
                "error": {"kind": err.kind(), "message": err.to_string()},
            }),
        };
        map.insert("credentials".into(), cred);
    }
    v
}

//! [`render_text`]: a [`Report`] as aligned `name: value` lines for people.

use std::fmt::Write;
use std::time::Duration;

use presign_core::duration::format_duration;

use crate::GrantScope;
use crate::report::Report;

/// The report as `name: value` lines, findings last (`warning[code]: message`). Nothing in it
/// is secret: no signature, no token.
pub fn render_text(r: &Report) -> String {
    let mut out = String::new();
    let mut line = |name: &str, value: &str| {
        let _ = writeln!(out, "{name:<16}{value}");
    };
    let scheme = match &r.algorithm {
        Some(a) => format!("{} {} ({a})", r.provider, r.scheme),
        None => format!("{} {}", r.provider, r.scheme),
    };
    line("provider:", &scheme);
    line("host:", &format!("{}://{}", r.url_scheme, r.host));
    if let Some(a) = &r.account {
        line("account:", a);
    }
    if let Some(b) = &r.bucket {
        line("bucket:", b);
    }
    if let Some(o) = &r.object {
        line("object:", o);
    }
    if let Some(res) = &r.resource {
        line("resource:", res);
    }
    if r.grant != GrantScope::Object {
        line("grants:", &format!("{:?}", r.grant).to_lowercase());
    }
    match (&r.method, &r.operation) {
        (Some(m), Some(op)) => line("method:", &format!("{m} ({op})")),
        (Some(m), None) => line("method:", m),
        (None, Some(op)) => line("operation:", op),
        (None, None) => line(
            "method:",
            "not in the URL (signed; `presign verify` checks it)",
        ),
    }
    if !r.permissions.is_empty() {
        line("permissions:", &r.permissions.join(", "));
    }
    if let Some(t) = r.signed_at {
        line("signed at:", &t.to_string());
    }
    if let Some(t) = r.not_before.filter(|nb| Some(*nb) != r.signed_at) {
        line("not before:", &t.to_string());
    }
    if r.expiry_in_policy {
        line("expires:", "in the stored access policy");
    } else {
        let left = Duration::from_secs(r.remaining_secs.unsigned_abs());
        let remaining = if r.remaining_secs > 0 {
            format!("{} left", format_duration(left))
        } else {
            format!("expired {} ago", format_duration(left))
        };
        line("expires at:", &format!("{} ({remaining})", r.expires_at));
    }
    if let Some(l) = r.lifetime_secs {
        line("lifetime:", &format_duration(Duration::from_secs(l)));
    }
    if !r.signed_headers.is_empty() {
        line("must send:", &r.signed_headers.join(", "));
    }
    if !r.signed_params.is_empty() {
        line("signed params:", &r.signed_params.join(", "));
    }
    if let Some(ip) = &r.client_ip {
        line("client ip:", ip);
    }
    if let Some(p) = &r.protocol {
        line("protocol:", p);
    }
    let c = &r.credential;
    let kind = serde_json::to_value(c.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let mut cred = match &c.key_id {
        Some(id) => format!("{kind} {id}"),
        None => kind,
    };
    if let Some(scope) = &c.scope {
        let _ = write!(cred, " (scope {scope})");
    }
    if c.session_token {
        cred.push_str(", session token in the URL");
    }
    if let Some(si) = &c.stored_access_policy {
        let _ = write!(cred, ", stored access policy {si:?}");
    }
    if let Some(ske) = c.key_expires_at {
        let _ = write!(cred, ", key expires {ske}");
    }
    line("credential:", &cred);
    for f in &r.findings {
        let _ = writeln!(out, "{}[{}]: {}", f.severity.as_str(), f.code, f.message);
    }
    out
}

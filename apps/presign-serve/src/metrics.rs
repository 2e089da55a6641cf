//! Prometheus metrics (`GET /metrics`, text exposition format):
//!
//! | metric | labels | what |
//! |---|---|---|
//! | `presign_http_requests_total` | `endpoint`, `status` | requests answered |
//! | `presign_decisions_total` | `decision`, `reason` | signing decisions (`allow`/`deny` and why) |
//! | `presign_request_duration_seconds` | `endpoint` | latency histogram |
//! | `presign_credentials_expiry_timestamp_seconds` | `provider` | when the provider's credentials expire (absent: they do not) |
//! | `presign_credentials_ready` | `provider` | 1 when the provider can sign now |
//! | `presign_audit_refusals_total` | | decisions refused because the audit log could not keep up |
//!
//! Every label value comes from a fixed set (endpoint names, status codes, reason names,
//! configured provider names), so no request can grow the number of series.

use std::sync::atomic::AtomicI64;
use std::time::Duration;

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

type EndpointStatus = ([(&'static str, &'static str); 1], [(&'static str, u16); 1]);
type DecisionReason = [(&'static str, &'static str); 2];
type EndpointLabel = [(&'static str, &'static str); 1];
type ProviderLabel = [(&'static str, String); 1];

fn latency_histogram() -> Histogram {
    // 50 µs to about 3.3 s.
    Histogram::new(exponential_buckets(0.000_05, 2.0, 17))
}

/// The gateway's metrics.
pub struct Metrics {
    registry: Registry,
    requests: Family<EndpointStatus, Counter>,
    decisions: Family<DecisionReason, Counter>,
    latency: Family<EndpointLabel, Histogram, fn() -> Histogram>,
    expiry: Family<ProviderLabel, Gauge<i64, AtomicI64>>,
    ready: Family<ProviderLabel, Gauge<i64, AtomicI64>>,
    audit_refusals: Counter,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    /// Every metric, registered.
    pub fn new() -> Metrics {
        let mut registry = Registry::default();
        let requests = Family::<EndpointStatus, Counter>::default();
        let decisions = Family::<DecisionReason, Counter>::default();
        let latency: Family<EndpointLabel, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(latency_histogram);
        let expiry = Family::<ProviderLabel, Gauge<i64, AtomicI64>>::default();
        let ready = Family::<ProviderLabel, Gauge<i64, AtomicI64>>::default();
        let audit_refusals = Counter::default();
        registry.register(
            "presign_http_requests",
            "HTTP requests answered, by endpoint and status",
            requests.clone(),
        );
        registry.register(
            "presign_decisions",
            "Signing decisions, by decision (allow/deny) and reason",
            decisions.clone(),
        );
        registry.register(
            "presign_request_duration_seconds",
            "Time to answer a request, by endpoint",
            latency.clone(),
        );
        registry.register(
            "presign_credentials_expiry_timestamp_seconds",
            "When each provider's signing credentials expire (Unix seconds)",
            expiry.clone(),
        );
        registry.register(
            "presign_credentials_ready",
            "1 when the provider's credentials are at hand and unexpired, else 0",
            ready.clone(),
        );
        registry.register(
            "presign_audit_refusals",
            "Decisions refused because the audit log could not keep up",
            audit_refusals.clone(),
        );
        Metrics {
            registry,
            requests,
            decisions,
            latency,
            expiry,
            ready,
            audit_refusals,
        }
    }

    /// Counts a response.
    pub(crate) fn request(&self, endpoint: &'static str, status: u16, took: Duration) {
        self.requests
            .get_or_create(&([("endpoint", endpoint)], [("status", status)]))
            .inc();
        self.latency
            .get_or_create(&[("endpoint", endpoint)])
            .observe(took.as_secs_f64());
    }

    /// Counts a decision.
    pub(crate) fn decision(&self, allowed: bool, reason: &'static str) {
        let decision = if allowed { "allow" } else { "deny" };
        self.decisions
            .get_or_create(&[("decision", decision), ("reason", reason)])
            .inc();
    }

    /// Records a provider's credential state.
    pub(crate) fn credentials(&self, provider: &str, ready: bool, expires_at: Option<i64>) {
        let label = [("provider", provider.to_owned())];
        self.ready.get_or_create(&label).set(i64::from(ready));
        match expires_at {
            Some(t) => {
                self.expiry.get_or_create(&label).set(t);
            }
            None => {
                self.expiry.remove(&label);
            }
        }
    }

    /// Counts a decision refused because the audit log was full.
    pub(crate) fn audit_refused(&self) {
        self.audit_refusals.inc();
    }

    /// The text exposition.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(8192);
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_what_was_counted() {
        let m = Metrics::new();
        m.request("redirect", 303, Duration::from_micros(120));
        m.decision(false, "key_not_allowed");
        m.credentials("media", true, Some(2_000_000_000));
        let text = m.render();
        for want in [
            "presign_http_requests_total{endpoint=\"redirect\",status=\"303\"} 1",
            "presign_decisions_total{decision=\"deny\",reason=\"key_not_allowed\"} 1",
            "presign_request_duration_seconds_bucket{le=\"0.0002\",endpoint=\"redirect\"} 1",
            "presign_credentials_expiry_timestamp_seconds{provider=\"media\"} 2000000000",
            "presign_credentials_ready{provider=\"media\"} 1",
            "# EOF",
        ] {
            assert!(text.contains(want), "{want} missing in\n{text}");
        }
    }
}

//! Authorization: `[[serve.rules]]`. A rule names who (every JWT principal, JWT principals
//! with given claim values, or API keys by name), one provider, and a policy table over the
//! provider's effective policy. The rule's policy is checked at load to allow nothing the
//! provider's does not ([`Policy::check_within`]), and at run time it wraps the provider's
//! already policy-wrapped presigner, so both policies apply to every signature: a rule can
//! only tighten. A rule that names no `allow_methods` gets the provider's without DELETE and
//! POST: those are granted only by a rule that names them.

use std::borrow::Cow;

use presign_config::Config;
use presign_core::{Error, Method, MethodSet};
use presign_policy::Policy;
use serde_json::Value;

use crate::auth::{Principal, PrincipalKind};
use crate::config::{RuleConfig, config_error};
use crate::template::PrefixTemplate;

/// Who a rule is for.
#[derive(Debug, Clone)]
struct Who {
    all_users: bool,
    claims: Vec<(String, String)>,
    api_keys: Vec<String>,
}

impl Who {
    fn matches(&self, p: &Principal) -> bool {
        match p.kind {
            PrincipalKind::ApiKey => self.api_keys.iter().any(|k| **k == *p.name),
            PrincipalKind::Jwt => {
                self.all_users
                    || (!self.claims.is_empty()
                        && self
                            .claims
                            .iter()
                            .all(|(name, want)| claim_matches(p.claims.get(name), want)))
            }
        }
    }
}

/// A string claim equal to `want`, an array claim containing it, or a number or boolean
/// whose JSON text is `want`.
fn claim_matches(claim: Option<&Value>, want: &str) -> bool {
    match claim {
        Some(Value::String(s)) => s == want,
        Some(Value::Array(items)) => items.iter().any(|v| v.as_str() == Some(want)),
        Some(v @ (Value::Number(_) | Value::Bool(_))) => {
            serde_json::from_str::<Value>(want).is_ok_and(|w| w == *v)
        }
        _ => false,
    }
}

/// One key prefix of a rule: as written, or a template.
#[derive(Debug, Clone)]
enum Prefix {
    Text(String),
    Template(PrefixTemplate),
}

/// One loaded rule.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    /// Its name (`rules[N]` when the configuration gives none).
    pub(crate) name: String,
    /// The provider it grants.
    pub(crate) provider: String,
    who: Who,
    /// The rule's effective policy; template prefixes appear as written.
    policy: Policy,
    /// The key prefixes, when one of them is a template.
    templates: Option<Vec<Prefix>>,
}

/// Why a rule could not be applied to a principal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ClaimUnusable(pub(crate) String);

impl Rule {
    /// The rule's policy for `principal`: templates filled from its verified claims.
    pub(crate) fn policy_for(
        &self,
        principal: &Principal,
    ) -> Result<Cow<'_, Policy>, ClaimUnusable> {
        let Some(prefixes) = &self.templates else {
            return Ok(Cow::Borrowed(&self.policy));
        };
        let filled = prefixes
            .iter()
            .map(|p| match p {
                Prefix::Text(t) => Ok(t.clone()),
                Prefix::Template(t) => t.fill(&principal.claims).map_err(ClaimUnusable),
            })
            .collect::<Result<Vec<String>, ClaimUnusable>>()?;
        Ok(Cow::Owned(self.policy.clone().with_key_prefixes(filled)))
    }

    /// Whether the rule is for `principal`.
    pub(crate) fn matches(&self, principal: &Principal) -> bool {
        self.who.matches(principal)
    }

    /// Whether the policy is the same for every principal (no template).
    pub(crate) fn is_fixed(&self) -> bool {
        self.templates.is_none()
    }

    /// The rule's policy as written (template prefixes unfilled).
    pub(crate) fn policy(&self) -> &Policy {
        &self.policy
    }
}

/// Every rule, in configuration order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rules {
    rules: Vec<Rule>,
}

impl Rules {
    /// Loads `[[serve.rules]]` against the providers and policies of `config`.
    pub(crate) fn from_config(rules: &[RuleConfig], config: &Config) -> Result<Rules, Error> {
        let mut out = Vec::with_capacity(rules.len());
        for (i, r) in rules.iter().enumerate() {
            let path = format!("rules[{i}]");
            out.push(load(r, &path, config)?);
        }
        Ok(Rules { rules: out })
    }

    /// The rules for `principal` on `provider`, in order.
    #[cfg(test)]
    pub(crate) fn matching<'a>(
        &'a self,
        principal: &'a Principal,
        provider: &'a str,
    ) -> impl Iterator<Item = &'a Rule> + 'a {
        self.rules
            .iter()
            .filter(move |r| r.provider == provider && r.matches(principal))
    }

    /// Every rule.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Rule> {
        self.rules.iter()
    }
}

fn load(r: &RuleConfig, path: &str, config: &Config) -> Result<Rule, Error> {
    let name = r.name.clone().unwrap_or_else(|| path.to_owned());
    let Some(provider) = config.providers.get(&r.provider) else {
        return Err(config_error(
            &format!("{path}.provider"),
            format!("{:?} is not a configured provider", r.provider),
        ));
    };
    let has_claims = !r.claims.is_empty();
    if !(r.all_users || has_claims || !r.api_keys.is_empty()) {
        return Err(config_error(
            path,
            "names nobody: give all_users = true, claims = { ... } or api_keys = [...]",
        ));
    }
    if r.all_users && has_claims {
        return Err(config_error(
            path,
            "all_users = true and claims together: claims would be ignored; keep one",
        ));
    }
    let provider_table = provider.policy.or(&config.policy);
    let provider_policy = provider_table.to_policy(&format!("providers.{}.policy", r.provider))?;
    let mut table = r.policy.or(&provider_table);
    if r.policy.allow_methods.is_none() {
        // DELETE and POST (risky: a signed URL or form cannot be revoked) are granted only by
        // a rule that names them, even where the provider allows them.
        let safe: MethodSet = provider_policy
            .allow_methods()
            .iter()
            .filter(|m| !matches!(m, Method::Delete | Method::Post))
            .collect();
        table.allow_methods = Some(safe);
    }
    let policy_path = format!("serve.{path}.policy");
    let policy = table.to_policy(&policy_path)?;
    policy.check_within(&provider_policy).map_err(|e| match e {
        Error::InvalidInput { field, reason } => config_error(&format!("{path}.{field}"), reason),
        other => other,
    })?;
    let mut any_template = false;
    let mut prefixes = Vec::new();
    for (j, p) in policy.key_prefixes().iter().enumerate() {
        match PrefixTemplate::parse(p)
            .map_err(|e| config_error(&format!("{path}.policy.key_prefixes[{j}]"), e))?
        {
            Some(t) => {
                any_template = true;
                prefixes.push(Prefix::Template(t));
            }
            None => prefixes.push(Prefix::Text(p.clone())),
        }
    }
    Ok(Rule {
        name,
        provider: r.provider.clone(),
        who: Who {
            all_users: r.all_users,
            claims: r
                .claims
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            api_keys: r.api_keys.clone(),
        },
        policy,
        templates: any_template.then_some(prefixes),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Map, json};

    const PROVIDERS: &str = r#"
        [providers.media]
        kind = "s3"
        bucket = "media"
        region = "eu-west-1"
        access_key_id = "AKIAIOSFODNN7EXAMPLE"
        secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        [providers.media.policy]
        key_prefixes = ["users/", "public/"]
        max_ttl = "10m"
    "#;

    fn rules(json: serde_json::Value) -> Result<Rules, Error> {
        let config = Config::from_toml_str(PROVIDERS).unwrap();
        let rules: Vec<RuleConfig> = serde_json::from_value(json).unwrap();
        Rules::from_config(&rules, &config)
    }

    fn jwt(sub: &str, claims: serde_json::Value) -> Principal {
        let mut m: Map<String, Value> = serde_json::from_value(claims).unwrap();
        m.insert("sub".into(), sub.into());
        Principal::new(PrincipalKind::Jwt, sub, m, Some(i64::MAX))
    }

    #[test]
    fn who_and_templates() {
        let r = rules(json!([
            {"provider": "media", "all_users": true, "policy": {"key_prefixes": ["users/{sub}/"]}},
            {"provider": "media", "claims": {"groups": "staff"}, "policy": {"key_prefixes": ["public/"]}},
            {"provider": "media", "api_keys": ["ci"]}
        ]))
        .unwrap();
        let alice = jwt("alice", json!({"groups": ["staff", "x"]}));
        let names: Vec<&str> = r
            .matching(&alice, "media")
            .map(|r| r.name.as_str())
            .collect();
        assert_eq!(names, ["rules[0]", "rules[1]"]);
        let p = r
            .matching(&alice, "media")
            .next()
            .unwrap()
            .policy_for(&alice)
            .unwrap();
        assert_eq!(p.key_prefixes(), ["users/alice/"]);
        let bob = jwt("bob", json!({"groups": "other"}));
        assert_eq!(r.matching(&bob, "media").count(), 1);
        let evil = jwt("../bob", json!({}));
        let rule = r.matching(&evil, "media").next().unwrap();
        assert_eq!(
            rule.policy_for(&evil).unwrap_err(),
            ClaimUnusable("sub".into())
        );
        let ci = Principal::new(PrincipalKind::ApiKey, "ci", Map::new(), None);
        assert_eq!(r.matching(&ci, "media").count(), 1);
        assert_eq!(r.matching(&ci, "other").count(), 0);
        // A JWT whose sub is "ci" is not the API key "ci".
        assert_eq!(r.matching(&jwt("ci", json!({})), "media").count(), 1);
    }

    #[test]
    fn rules_only_tighten() {
        for (bad, field) in [
            (
                json!([{"provider": "nope", "all_users": true}]),
                "rules[0].provider",
            ),
            (json!([{"provider": "media"}]), "rules[0]"),
            (
                json!([{"provider": "media", "all_users": true, "policy": {"max_ttl": "1h"}}]),
                "policy.max_ttl",
            ),
            (
                json!([{"provider": "media", "all_users": true, "policy": {"key_prefixes": ["secret/"]}}]),
                "policy.key_prefixes",
            ),
            (
                json!([{"provider": "media", "all_users": true, "policy": {"key_prefixes": ["{sub}/"]}}]),
                "policy.key_prefixes",
            ),
            (
                json!([{"provider": "media", "all_users": true, "policy": {"any_key": true}}]),
                "any_key",
            ),
            (
                json!([{"provider": "media", "all_users": true, "policy": {"allow_methods": ["GET", "DELETE"]}}]),
                "allow_methods",
            ),
            (
                json!([{"provider": "media", "all_users": true, "policy": {"key_prefixes": ["users/{sub/"]}}]),
                "key_prefixes[0]",
            ),
        ] {
            let e = rules(bad).unwrap_err();
            assert!(e.to_string().contains(field), "{field}: {e}");
        }
    }
}

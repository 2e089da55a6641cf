//! The form fields and policy conditions of a POST policy request, before the signing fields:
//! what S3 and GCS share, named per provider ([`FieldStyle`]).

use presign_core::post_policy::{
    Condition, FILENAME_VARIABLE, KeyCondition, PostPolicyRequest, ValueCondition,
};

/// How a provider spells the form fields whose names differ between providers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldStyle {
    metadata_prefix: &'static str,
    lower_case_headers: bool,
}

impl FieldStyle {
    /// `metadata_prefix` goes before each metadata name (`x-amz-meta-`); with
    /// `lower_case_headers` the header fields are `cache-control`, `content-disposition`,
    /// `content-encoding`, `content-type`, otherwise `Cache-Control`, ... .
    pub const fn new(metadata_prefix: &'static str, lower_case_headers: bool) -> Self {
        FieldStyle {
            metadata_prefix,
            lower_case_headers,
        }
    }

    /// The metadata prefix.
    pub const fn metadata_prefix(&self) -> &'static str {
        self.metadata_prefix
    }

    fn header(&self, canonical: &'static str, lower: &'static str) -> &'static str {
        if self.lower_case_headers {
            lower
        } else {
            canonical
        }
    }
}

/// A request's form fields and policy conditions, before the signing fields: what S3 and GCS
/// share. Built by [`PostForm::build`]; each provider then adds its signing fields and orders
/// the conditions its way.
///
/// The conditions come in this order: `bucket`, the key (`{"key": ...}` or `starts-with`),
/// `acl`, Cache-Control, Content-Disposition, Content-Encoding, Content-Type (exact or
/// `starts-with`), `success_action_redirect`, `success_action_status`, the metadata in request
/// order, the extra conditions in request order, then the `content-length-range`. The fields
/// follow the same order (no `bucket`, no `starts-with` entries, no range); a key prefix gives
/// the field `key` = prefix + `${filename}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PostForm {
    /// The form fields, name and value.
    pub fields: Vec<(String, String)>,
    /// The policy conditions.
    pub conditions: Vec<Condition>,
    /// The `starts-with` conditions the form must satisfy with fields of its own.
    pub client_fields: Vec<Condition>,
}

impl PostForm {
    /// The fields and conditions of `request` for `bucket`, named per `style`. Does not
    /// validate: call [`PostPolicyRequest::validate`] first.
    pub fn build(bucket: &str, request: &PostPolicyRequest, style: FieldStyle) -> PostForm {
        let r = request;
        let n = 12 + r.metadata.len() + r.extra_conditions.len();
        let mut f = PostForm {
            fields: Vec::with_capacity(n),
            conditions: Vec::with_capacity(n),
            client_fields: Vec::new(),
        };
        f.conditions.push(Condition::eq("bucket", bucket));
        match &r.key {
            KeyCondition::Exact(k) => f.exact("key", k.as_str()),
            KeyCondition::StartsWith(prefix) => {
                f.fields
                    .push(("key".to_owned(), format!("{prefix}{FILENAME_VARIABLE}")));
                f.conditions
                    .push(Condition::starts_with("key", prefix.as_str()));
            }
        }
        for (name, value) in [
            ("acl", &r.acl),
            (
                style.header("Cache-Control", "cache-control"),
                &r.cache_control,
            ),
            (
                style.header("Content-Disposition", "content-disposition"),
                &r.content_disposition,
            ),
            (
                style.header("Content-Encoding", "content-encoding"),
                &r.content_encoding,
            ),
        ] {
            if let Some(v) = value {
                f.exact(name, v);
            }
        }
        let content_type = style.header("Content-Type", "content-type");
        match &r.content_type {
            Some(ValueCondition::Exact(v)) => f.exact(content_type, v),
            Some(ValueCondition::StartsWith(prefix)) => {
                f.client(Condition::starts_with(content_type, prefix.as_str()));
            }
            None => {}
        }
        if let Some(url) = &r.success_action_redirect {
            f.exact("success_action_redirect", url);
        }
        if let Some(status) = r.success_action_status {
            f.exact("success_action_status", &status.to_string());
        }
        for (name, value) in &r.metadata {
            f.exact(&format!("{}{name}", style.metadata_prefix), value);
        }
        for c in &r.extra_conditions {
            match c {
                Condition::Eq { field, value } => f.exact(field, value),
                other => f.client(other.clone()),
            }
        }
        if let Some((min, max)) = r.content_length_range {
            f.conditions
                .push(Condition::ContentLengthRange { min, max });
        }
        f
    }

    fn exact(&mut self, name: &str, value: &str) {
        self.fields.push((name.to_owned(), value.to_owned()));
        self.conditions.push(Condition::eq(name, value));
    }

    fn client(&mut self, condition: Condition) {
        self.conditions.push(condition.clone());
        self.client_fields.push(condition);
    }
}

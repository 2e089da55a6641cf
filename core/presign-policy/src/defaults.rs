//! Why each default of [`Policy`](crate::Policy) is what it is.
//!
//! A signed URL is a bearer token: whoever holds it can use it until it expires, S3 and GCS
//! cannot revoke it one by one, and it leaks through logs, `Referer` headers, proxy caches and
//! screenshots. Every default below follows from that, and from one rule: **operator
//! configuration and application code are trusted; every field of a request is not** (key,
//! method, time-to-live, signing time, headers, query, inline providers, ids, sizes). A
//! request field can narrow what the policy allows, never widen it.
//!
//! | setting | default | why |
//! |---|---|---|
//! | [`default_ttl`](crate::Policy::default_ttl) | 5 minutes | long enough for a redirect, a download start or an upload start over a slow link; a URL is usually used within seconds of being signed |
//! | [`max_ttl`](crate::Policy::max_ttl) | 15 minutes | bounds the damage of a leaked URL; the providers' own limit (7 days) is a ceiling, not a target. Longer lifetimes are a configuration decision |
//! | [`on_excess_ttl`](crate::Policy::on_excess_ttl) | clamp | a caller asking for too much still gets a working (shorter) URL, and the CLI says so on stderr and in `--json` (`requested_ttl`/`granted_ttl`); `reject` is for callers that must know |
//! | [`max_clock_skew`](crate::Policy::max_clock_skew) | 60 s | the clock is authoritative: a signing time in the future would make a URL valid, by the real clock, for longer than the maximum (an Azure SAS signed "in 2036" works from today until 2036). Earlier signing times only shorten validity and stay allowed, so reproducing published vectors keeps working; 60 s absorbs the clock differences between hosts that share a signing time |
//! | [`allow_methods`](crate::Policy::allow_methods) | GET, HEAD, PUT | the least privilege that serves downloads and uploads. DELETE destroys data and POST (form uploads) grants a reusable upload; neither can be revoked, so both are [`dangerous`](crate::Policy::dangerous) opt-ins |
//! | keys | none: a choice is required | "sign only keys the user may touch" cannot have a safe default: the policy refuses to be built until it names prefixes, or opts in to every key by name ([`allow_any_key`](crate::DangerousPolicy::allow_any_key)). An empty prefix list is refused rather than read as "everything" |
//! | key segments | `.`, `..`, empty refused under prefixes | clients, proxies and applications normalize paths (`a/../b`) and some decode `%2e`; a key that escapes its prefix after normalization must not be signed |
//! | [`constraint_mode`](crate::Policy::constraint_mode) | strict | a constraint the cloud cannot enforce (client IP on S3) would be silently dropped; strict refuses, so nobody relies on a restriction that does not exist. Best effort is an opt-in and reports what it dropped |
//! | extra headers and query parameters | the provider's declared safe list only | `x-amz-copy-source`, `x-amz-acl`, `?acl`, `?tagging`, `?retention` change the operation (copy any readable object under an allowed key, make it public, ...). Each provider declares the names that only describe the object; anything else needs the operator to name it ([`allow_headers`](crate::DangerousPolicy::allow_headers), [`allow_query`](crate::DangerousPolicy::allow_query)) |
//! | [`time_bucket`](crate::Policy::time_bucket) | none | sharing one URL between clients is a caching choice; when made, the bucket is counted against the maximum so it can never lengthen a URL's life beyond it |
//! | [`max_upload_size`](crate::Policy::max_upload_size) | 100 MiB | a POST policy without a size range lets a browser upload up to the cloud's 5 GB limit; every form carries a range no wider than this |
//! | temporary credentials | never outlived | a URL signed with a session token stops working when the token expires; the policy clamps (or refuses) rather than hand out a URL that fails early |
//!
//! The same rules apply to POST policies ([`post`](crate::post)) and, in `presign batch`,
//! to inline providers: off unless the operator enables them, secrets only inline (never
//! read from the server's environment or files), and an inline policy can only tighten the
//! operator's.

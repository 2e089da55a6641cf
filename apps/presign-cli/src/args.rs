//! The command line, parsed by clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

const EXIT_CODES: &str = "\
Exit codes:
  0  success (batch: the input was read completely, even if some lines carry errors)
  1  input/output error
  2  usage error (bad arguments)
  3  configuration error (bad file or environment value, unknown provider, missing secret)
  4  request refused by the policy, or invalid input
  5  provider or credentials failure
  6  a check said no (inspect: a finding at or above --fail-on)

Errors are printed to stderr as one line: presign: error[KIND]: MESSAGE

Configuration: --config PATH, else $PRESIGN_CONFIG, else ./presign.toml, else the embedded
`dev` profile (S3 on SeaweedFS at http://127.0.0.1:8333, bucket presign-test).
Environment overrides: PRESIGN_PROVIDERS__NAME__FIELD=value, PRESIGN_POLICY__MAX_TTL=10m, ...";

/// Short-lived signed URLs for S3, GCS and Azure, with safe defaults.
#[derive(Debug, Parser)]
#[command(name = "presign", version, after_help = EXIT_CODES)]
pub(crate) struct Cli {
    /// The configuration file (default: $PRESIGN_CONFIG, else ./presign.toml, else the
    /// embedded dev profile).
    #[arg(long, global = true, value_name = "PATH")]
    pub(crate) config: Option<PathBuf>,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Sign one request and print its URL.
    #[command(after_help = EXIT_CODES)]
    Url(Box<UrlArgs>),
    /// List the configured providers with their capabilities and effective policies.
    Providers(ProvidersArgs),
    /// Sign a POST policy (browser form upload) and print the form's URL and fields.
    #[command(after_help = POST_HELP)]
    Post(Box<PostArgs>),
    /// Sign JSON Lines from stdin, one JSON line out per line in, in order.
    #[command(after_help = BATCH_HELP)]
    Batch(BatchArgs),
    /// Sign a CDN cookie grant (CloudFront, Cloud CDN) for a path pattern and print Set-Cookie
    /// lines.
    #[command(after_help = COOKIES_HELP)]
    Cookies(Box<CookiesArgs>),
    /// Decode signed URLs (S3, GCS, Azure, CloudFront, Cloud CDN) without credentials and
    /// check them against the checklist.
    #[command(after_help = INSPECT_HELP)]
    Inspect(InspectArgs),
    /// Recompute a URL's signature offline with the configured provider's credentials: valid
    /// (until when, for which method and headers), or which part differs.
    #[command(after_help = VERIFY_HELP)]
    Verify(Box<VerifyArgs>),
    /// Copy stdin to stdout with every vendor's signatures and tokens replaced by REDACTED.
    #[command(after_help = REDACT_HELP)]
    Redact(RedactArgs),
    /// Run the signing gateway: authenticate callers (JWT, API keys), apply the [serve] rules,
    /// answer with redirects to short-lived signed URLs.
    #[command(after_help = SERVE_HELP)]
    Serve(ServeArgs),
}

const SERVE_HELP: &str = "\
Reads [serve] from the configuration (see the presign-serve crate): [serve.auth] (issuer,
audience, algorithms, jwks_file | jwks_url, api_keys as SHA-256 hashes), [[serve.rules]] (who,
provider, a policy table that may only tighten the provider's; key_prefixes may use {claim}
templates), [serve.limits], [serve.audit] (file; stdout by default), [serve.tls].
Endpoints: GET /v1/{provider}/{key} (303 to the signed URL; ?format=json), POST /v1/sign,
POST /v1/post-policy, GET /healthz, /readyz, /metrics, /openapi.json.
Stops on Ctrl-C or SIGTERM after in-flight requests finish.";

/// `presign serve`.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Listen here instead of [serve] listen (e.g. 127.0.0.1:8080).
    #[arg(long)]
    pub(crate) listen: Option<std::net::SocketAddr>,
    /// Check the configuration (rules within the providers' policies, providers buildable)
    /// and exit without serving.
    #[arg(long)]
    pub(crate) check: bool,
}

const INSPECT_HELP: &str = "\
Reads the URLs given, or one per line from stdin. Reports provider, bucket/container and
object, method or permissions, signed-at, expiry and remaining lifetime, the headers the
client must send, constraints, the credential's kind, and findings:
  error    lifetime-over-24h, over-provider-max, delete-permission, insecure-http
  warning  lifetime-over-15m, write-permission, http-allowed, account-sas, container-wide,
           prefix-wide, not-revocable, long-term-key-id, legacy-signature, expired,
           expires-after-key
  info     not-yet-valid, expiry-in-policy, signature-redacted
Signatures and tokens are never printed.

Exit codes: 0 decoded (findings below --fail-on), 4 an input is not a signed URL (the message
names the part), 6 a finding at or above --fail-on.";

const REDACT_HELP: &str = "\
Removes X-Amz-Signature, X-Amz-Security-Token, X-Goog-Signature, sig (Azure), Signature
(CloudFront, Cloud CDN, S3/GCS V2) and the CloudFront-Signature/-Policy cookies, raw,
percent-encoded once or twice, JSON-escaped or HTML-escaped. Key ids (X-Amz-Credential,
X-Goog-Credential) and expiry stay visible unless --key-ids. Every other byte is kept;
memory stays bounded on any input. Example: kubectl logs app | presign redact";

const COOKIES_HELP: &str = "\
PATTERN is a path on the CDN's domain, `*` matching any characters: '/videos/*' grants every
URL under /videos/ (HLS/DASH segments). Under the policy's key_prefixes, the part before the
first `*` must lie inside an allowed prefix (uploads/alice/* under uploads/alice/, never
uploads/*). CloudFront custom policies enforce --ip (IPv4 CIDR) and --not-before; Cloud CDN
cookies grant a URL prefix (the pattern must end with its only `*`) and enforce only expiry.
Cookies are printed as `Set-Cookie:` lines (Secure; HttpOnly unless --no-http-only;
SameSite=Lax unless --same-site), or with --json as an object.";

/// `presign cookies`.
#[derive(Debug, Args)]
pub(crate) struct CookiesArgs {
    /// The provider to sign with (default: default_provider).
    #[arg(long, value_name = "NAME")]
    pub(crate) provider: Option<String>,
    /// The path pattern the cookies grant (`/videos/*`).
    #[arg(value_name = "PATTERN")]
    pub(crate) pattern: String,
    /// How long the grant lasts: seconds or 90s, 5m, 1h (default: the policy's default_ttl).
    #[arg(long, value_name = "DURATION")]
    pub(crate) expires_in: Option<String>,
    /// Only for clients in this IPv4 address or CIDR block.
    #[arg(long, value_name = "ADDR_OR_CIDR")]
    pub(crate) ip: Option<String>,
    /// Not valid before this time (RFC 3339).
    #[arg(long, value_name = "RFC3339")]
    pub(crate) not_before: Option<String>,
    /// Sign as if it were this time (RFC 3339), for reproducible output.
    #[arg(long, value_name = "RFC3339")]
    pub(crate) now: Option<String>,
    /// SameSite: lax (default), strict or none.
    #[arg(long, value_name = "MODE")]
    pub(crate) same_site: Option<String>,
    /// Leave out HttpOnly (only if a page script must read the cookies).
    #[arg(long)]
    pub(crate) no_http_only: bool,
    /// The cookies' Domain (default: the CDN's host), e.g. a parent domain.
    #[arg(long, value_name = "DOMAIN")]
    pub(crate) cookie_domain: Option<String>,
    /// Print JSON instead of Set-Cookie lines.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `presign inspect`.
#[derive(Debug, Args)]
pub(crate) struct InspectArgs {
    /// The URLs (default: one per line from stdin).
    #[arg(value_name = "URL")]
    pub(crate) urls: Vec<String>,
    /// One JSON object per URL (JSON Lines).
    #[arg(long)]
    pub(crate) json: bool,
    /// Exit 6 when a finding is at least this severe: warning or error.
    #[arg(long, value_name = "SEVERITY")]
    pub(crate) fail_on: Option<String>,
    /// Judge expiry as of this time (RFC 3339) instead of now.
    #[arg(long, value_name = "RFC3339")]
    pub(crate) now: Option<String>,
}

const VERIFY_HELP: &str = "\
Recomputes the signature with the provider's own credential and canonicalization (nothing is
sent) and compares it in constant time. When it does not match, says which part differs: the
key (another key signed it), a signed header that is not sent, the method, the canonical path
(re-encoded on the way), a signed header's value, the time window (expired, not yet valid), or
the URL itself (changed after signing); and prints what the provider signed (the canonical
request or string to sign), to compare with the server's refusal.
Checked offline: S3 SigV4, GCS V4 (service-account key, HMAC), Azure blob SAS, CloudFront,
Cloud CDN.

Exit codes: 0 valid, 6 not valid (the message names the part), 4 not a signed URL,
3 configuration, 5 the credential is not at hand.";

/// `presign verify`.
#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// The signed URL.
    pub(crate) url: String,
    /// The provider whose credentials signed it (default: default_provider).
    #[arg(long, value_name = "NAME")]
    pub(crate) provider: Option<String>,
    /// The method the client will use.
    #[arg(long, default_value = "GET", value_name = "METHOD")]
    pub(crate) method: String,
    /// A header the client will send (repeatable): the values of signed headers count.
    #[arg(long = "header", value_name = "K:V")]
    pub(crate) headers: Vec<String>,
    /// Judge the time window as of this time (RFC 3339) instead of now.
    #[arg(long, value_name = "RFC3339")]
    pub(crate) now: Option<String>,
    /// Print one JSON object.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `presign redact`.
#[derive(Debug, Args)]
pub(crate) struct RedactArgs {
    /// Also replace key ids (X-Amz-Credential, X-Goog-Credential, AWSAccessKeyId, GoogleAccessId).
    #[arg(long)]
    pub(crate) key_ids: bool,
    /// Print the number of values replaced to stderr.
    #[arg(long)]
    pub(crate) count: bool,
}

const POST_HELP: &str = "\
The provider's policy must allow POST (a form-upload grant cannot be revoked), e.g.
  [providers.NAME.policy]
  allow_methods = [\"GET\", \"HEAD\", \"PUT\", \"POST\"]
Every policy carries a size range: --max-size (default and ceiling: the policy's
max_upload_size, 100 MiB unless configured). Sizes: bytes, or 5MiB (1024-based), 100MB (1000-based).
S3 and GCS providers sign POST policies; Azure has none (use `presign url PUT`).

Output: JSON {\"provider\", \"url\", \"fields\": {name: value, ...in order}, \"client_fields\",
\"signed_at\", \"expires_at\"}, or with --html a ready <form> (every value HTML-escaped).
Send the fields first and the file last, as the form does.";

const BATCH_HELP: &str = "\
URL line:    {\"id\": string|number|small array/object, \"provider\": \"NAME\" | {inline table, with
              --allow-inline-providers}, \"method\": \"GET\",
              \"key\": \"raw key\", \"expires_in\": 300 | \"5m\", \"now\": RFC3339, \"content_type\",
              \"content_length\", \"content_md5\", \"response_content_disposition\",
              \"response_content_type\", \"headers\": {..}, \"query\": {..}, \"create_only\": bool,
              \"ip\": ADDR_OR_CIDR, \"https_only\": bool, \"not_before\": RFC3339}
             answer: {\"id\", \"method\", \"url\", \"headers\": {..}, \"expires_at\"} (+ \"dropped\": [..])
POST line:   {\"id\", \"kind\": \"post\", \"provider\", \"key\" | \"key_prefix\", \"max_size\": 5242880 | \"5MiB\",
              \"min_size\", \"content_type\", \"content_type_prefix\": true | \"image/\",
              \"success_action_status\", \"success_action_redirect\", \"metadata\": {..},
              \"cache_control\", \"content_disposition\", \"acl\", \"expires_in\", \"now\"}
             answer: {\"id\", \"url\", \"fields\": {name: value, ...in order}, \"expires_at\"}
                     (+ \"client_fields\": [{\"field\", \"starts_with\"}] when the form must add one)
Errors:      {\"id\", \"error\": {\"kind\", \"message\"}}   (kind \"parse\" for a bad line)

Lines are untrusted: at most 1 MiB each (longer ones get an error line), a signing time
(\"now\") at most max_clock_skew ahead of the clock, and inline providers only with
--allow-inline-providers (secrets inline only; their policy may only tighten [policy]).

Exits 0 once the input is read completely, even when lines failed; 1 on an I/O error.";

/// `presign url`.
#[derive(Debug, Args)]
pub(crate) struct UrlArgs {
    /// The provider to sign with (default: default_provider).
    #[arg(long, value_name = "NAME")]
    pub(crate) provider: Option<String>,
    /// GET, HEAD, PUT, POST or DELETE (DELETE and POST are refused unless the policy allows them).
    pub(crate) method: String,
    /// The raw object key (never percent-encoded).
    pub(crate) key: String,
    /// How long the URL stays valid: seconds or 90s, 5m, 1h (default: the policy's default_ttl).
    #[arg(long, value_name = "DURATION")]
    pub(crate) expires_in: Option<String>,
    /// The exact Content-Type the upload must send.
    #[arg(long, value_name = "TYPE")]
    pub(crate) content_type: Option<String>,
    /// The exact Content-Length the upload must send (or MIN-MAX where the provider enforces a range).
    #[arg(long, value_name = "N")]
    pub(crate) content_length: Option<String>,
    /// The Content-MD5 (base64) the upload must send.
    #[arg(long, value_name = "B64")]
    pub(crate) content_md5: Option<String>,
    /// Content-Disposition of the response.
    #[arg(long, value_name = "VALUE")]
    pub(crate) response_content_disposition: Option<String>,
    /// Content-Type of the response.
    #[arg(long, value_name = "VALUE")]
    pub(crate) response_content_type: Option<String>,
    /// An extra signed header the client must send (repeatable).
    #[arg(long = "header", value_name = "K:V")]
    pub(crate) headers: Vec<String>,
    /// An extra signed query parameter (repeatable).
    #[arg(long = "query", value_name = "K=V")]
    pub(crate) query: Vec<String>,
    /// The upload must not overwrite an existing object.
    #[arg(long)]
    pub(crate) create_only: bool,
    /// Only this client address or CIDR range may use the URL.
    #[arg(long, value_name = "ADDR_OR_CIDR")]
    pub(crate) ip: Option<String>,
    /// The URL must only work over HTTPS.
    #[arg(long)]
    pub(crate) https_only: bool,
    /// The URL must not work before this time (RFC 3339).
    #[arg(long, value_name = "RFC3339")]
    pub(crate) not_before: Option<String>,
    /// Sign as if it were this time (RFC 3339), for reproducible URLs.
    #[arg(long, value_name = "RFC3339")]
    pub(crate) now: Option<String>,
    /// Print the whole result as JSON (method, url, headers, expires_at, dropped constraints).
    #[arg(long, conflicts_with = "curl")]
    pub(crate) json: bool,
    /// Print a ready curl command that sends the required headers.
    #[arg(long)]
    pub(crate) curl: bool,
    /// Also show the canonical request and string to sign (on stderr; in the JSON with --json),
    /// when the provider offers them.
    #[arg(long)]
    pub(crate) explain: bool,
}

/// `presign providers`.
#[derive(Debug, Args)]
pub(crate) struct ProvidersArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `presign batch`.
#[derive(Debug, Args)]
pub(crate) struct BatchArgs {
    /// Accept inline provider tables in lines. Only for trusted pipelines: a line's provider
    /// then carries its own credentials (inline values only, never *_env / *_file) and a
    /// policy that may only tighten the top-level [policy].
    #[arg(long)]
    pub(crate) allow_inline_providers: bool,
}

/// `presign post`.
#[derive(Debug, Args)]
pub(crate) struct PostArgs {
    /// The provider to sign with (default: default_provider).
    #[arg(long, value_name = "NAME")]
    pub(crate) provider: Option<String>,
    /// The exact key the upload is stored under, or with --prefix the prefix of the keys the
    /// uploader may choose (the form's key field is then PREFIX${filename}).
    #[arg(value_name = "KEY_OR_PREFIX")]
    pub(crate) key: String,
    /// KEY_OR_PREFIX is a prefix: any key starting with it is admitted.
    #[arg(long)]
    pub(crate) prefix: bool,
    /// The largest accepted file: bytes, or 5MiB, 100MB (default: the policy's max_upload_size).
    #[arg(long, value_name = "SIZE")]
    pub(crate) max_size: Option<String>,
    /// The least accepted file size (default 0).
    #[arg(long, value_name = "SIZE")]
    pub(crate) min_size: Option<String>,
    /// The Content-Type the upload must have; a trailing `/` (image/) means "starts with".
    #[arg(long, value_name = "TYPE")]
    pub(crate) content_type: Option<String>,
    /// --content-type is a prefix (the form must send a Content-Type starting with it).
    #[arg(long, requires = "content_type")]
    pub(crate) content_type_prefix: bool,
    /// How long the form stays valid: seconds or 90s, 5m, 1h (default: the policy's default_ttl).
    #[arg(long, value_name = "DURATION")]
    pub(crate) expires_in: Option<String>,
    /// The HTTP status of a successful upload: 200, 201 or 204.
    #[arg(long, value_name = "CODE")]
    pub(crate) success_action_status: Option<u16>,
    /// Where the browser is sent after a successful upload.
    #[arg(long, value_name = "URL")]
    pub(crate) success_action_redirect: Option<String>,
    /// User metadata stored with the object, name without the provider prefix (repeatable).
    #[arg(long = "meta", value_name = "K=V")]
    pub(crate) meta: Vec<String>,
    /// The object's Cache-Control.
    #[arg(long, value_name = "VALUE")]
    pub(crate) cache_control: Option<String>,
    /// The object's Content-Disposition.
    #[arg(long, value_name = "VALUE")]
    pub(crate) content_disposition: Option<String>,
    /// A canned ACL (private, public-read, ...).
    #[arg(long, value_name = "VALUE")]
    pub(crate) acl: Option<String>,
    /// Sign as if it were this time (RFC 3339), for reproducible output.
    #[arg(long, value_name = "RFC3339")]
    pub(crate) now: Option<String>,
    /// Print JSON (the default).
    #[arg(long, conflicts_with = "html")]
    pub(crate) json: bool,
    /// Print a ready HTML <form> instead of JSON.
    #[arg(long)]
    pub(crate) html: bool,
}

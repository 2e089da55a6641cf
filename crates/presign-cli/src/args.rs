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
    /// Sign JSON Lines from stdin, one JSON line out per line in, in order.
    #[command(after_help = BATCH_HELP)]
    Batch(BatchArgs),
}

const BATCH_HELP: &str = "\
Input line:  {\"id\": any, \"provider\": \"NAME\" | {inline provider table}, \"method\": \"GET\",
              \"key\": \"raw key\", \"expires_in\": 300 | \"5m\", \"now\": RFC3339, \"content_type\",
              \"content_length\", \"content_md5\", \"response_content_disposition\",
              \"response_content_type\", \"headers\": {..}, \"query\": {..}, \"create_only\": bool,
              \"ip\": ADDR_OR_CIDR, \"https_only\": bool, \"not_before\": RFC3339}
Output line: {\"id\", \"method\", \"url\", \"headers\": {..}, \"expires_at\"} (+ \"dropped\": [..])
          or {\"id\", \"error\": {\"kind\", \"message\"}}   (kind \"parse\" for a bad line)

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
pub(crate) struct BatchArgs {}

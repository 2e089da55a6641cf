//! Optional TLS with rustls (aws-lc-rs): a certificate chain and key from PEM files, checked
//! for changes every `reload_every` and swapped in without a restart (new connections get the
//! new certificate; a bad new pair is logged and the old one kept).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use presign_core::Error;
use rustls::ServerConfig;
use rustls::crypto::CryptoProvider;
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;

use crate::config::TlsConfig;

/// The largest PEM file read.
const MAX_PEM_BYTES: u64 = 1 << 20;

type Stamp = Option<(SystemTime, u64)>;

/// The current certificate, reloaded from its files when they change.
pub struct ReloadingCert {
    current: RwLock<Arc<CertifiedKey>>,
    cert_file: PathBuf,
    key_file: PathBuf,
    stamps: Mutex<(Stamp, Stamp)>,
    provider: Arc<CryptoProvider>,
}

impl std::fmt::Debug for ReloadingCert {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReloadingCert")
            .field("cert_file", &self.cert_file)
            .field("key_file", &self.key_file)
            .finish_non_exhaustive()
    }
}

impl ResolvesServerCert for ReloadingCert {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(Arc::clone(
            &self.current.read().unwrap_or_else(PoisonError::into_inner),
        ))
    }
}

fn stamp(path: &Path) -> Stamp {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}

fn read_pem(path: &Path, what: &str) -> Result<Vec<u8>, Error> {
    let bad = |reason: String| Error::Config {
        path: format!("serve.tls.{what}"),
        reason,
    };
    let meta = std::fs::metadata(path).map_err(|e| bad(format!("{}: {e}", path.display())))?;
    if !meta.is_file() || meta.len() > MAX_PEM_BYTES {
        return Err(bad(format!(
            "{}: not a regular file of at most 1 MiB",
            path.display()
        )));
    }
    std::fs::read(path).map_err(|e| bad(format!("{}: {e}", path.display())))
}

fn load(
    cert_file: &Path,
    key_file: &Path,
    provider: &CryptoProvider,
) -> Result<CertifiedKey, Error> {
    let bad = |what: &str, reason: String| Error::Config {
        path: format!("serve.tls.{what}"),
        reason,
    };
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_slice_iter(&read_pem(cert_file, "cert_file")?)
            .collect::<Result<_, _>>()
            .map_err(|e| bad("cert_file", format!("not PEM certificates: {e}")))?;
    if certs.is_empty() {
        return Err(bad("cert_file", "no certificate in the file".into()));
    }
    // The key's DER is zeroized by rustls when dropped.
    let key = PrivateKeyDer::from_pem_slice(&read_pem(key_file, "key_file")?)
        .map_err(|e| bad("key_file", format!("no PEM private key: {e}")))?;
    CertifiedKey::from_der(certs, key, provider).map_err(|e| {
        bad(
            "key_file",
            format!("the key does not fit the certificate: {e}"),
        )
    })
}

impl ReloadingCert {
    /// Loads the pair now (an error names the file).
    pub fn new(config: &TlsConfig) -> Result<ReloadingCert, Error> {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let key = load(&config.cert_file, &config.key_file, &provider)?;
        Ok(ReloadingCert {
            current: RwLock::new(Arc::new(key)),
            stamps: Mutex::new((stamp(&config.cert_file), stamp(&config.key_file))),
            cert_file: config.cert_file.clone(),
            key_file: config.key_file.clone(),
            provider,
        })
    }

    /// Reloads when either file changed; `Ok(true)` when a new pair is in use.
    pub fn reload_if_changed(&self) -> Result<bool, Error> {
        let now = (stamp(&self.cert_file), stamp(&self.key_file));
        let mut seen = self.stamps.lock().unwrap_or_else(PoisonError::into_inner);
        if *seen == now {
            return Ok(false);
        }
        let key = load(&self.cert_file, &self.key_file, &self.provider)?;
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(key);
        *seen = now;
        Ok(true)
    }

    /// The acceptor serving this certificate (TLS 1.2 and 1.3, HTTP/1.1).
    pub fn acceptor(self: &Arc<Self>) -> Result<TlsAcceptor, Error> {
        let mut config = ServerConfig::builder_with_provider(Arc::clone(&self.provider))
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::Config {
                path: "serve.tls".into(),
                reason: e.to_string(),
            })?
            .with_no_client_auth()
            .with_cert_resolver(Arc::clone(self) as Arc<dyn ResolvesServerCert>);
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(TlsAcceptor::from(Arc::new(config)))
    }

    /// Checks the files every `every`, forever.
    pub(crate) async fn reload_loop(self: Arc<Self>, every: Duration) {
        loop {
            tokio::time::sleep(every).await;
            match self.reload_if_changed() {
                Ok(true) => tracing::info!("presign serve: TLS certificate reloaded"),
                Ok(false) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "presign serve: TLS reload failed; keeping the previous certificate")
                }
            }
        }
    }
}

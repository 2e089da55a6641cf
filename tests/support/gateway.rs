//! The signing gateway (`presign serve`) under test: keys generated here (ES256, EdDSA,
//! RS256 with aws-lc-rs), a JWKS built from their public halves, tokens minted by hand
//! (header and claims base64url-encoded and signed here, not by the JWT library the gateway
//! uses), and a gateway served on 127.0.0.1:0 with its audit log in a temporary file.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, Ed25519KeyPair, KeyPair, RSA_PKCS1_SHA256,
    RsaKeyPair,
};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use hmac::{Hmac, Mac};
use presign_config::Config;
use presign_serve::{Gateway, GatewayOptions};
use serde_json::{Value, json};
use sha2::Sha256;

/// The issuer every test token carries.
pub const ISSUER: &str = "https://id.presign.test/";
/// The audience every test token carries.
pub const AUDIENCE: &str = "presign-gateway";

/// A `[providers.NAME]` table for the SeaweedFS S3 emulator at `endpoint` (path-style,
/// bucket `presign-test`, the published example key pair), with `policy` (TOML lines) as its
/// `[providers.NAME.policy]` table. Signing needs no server; using the URLs does.
pub fn s3_provider(name: &str, endpoint: &str, policy: &str) -> String {
    format!(
        r#"
[providers.{name}]
kind = "s3"
bucket = "{bucket}"
region = "us-east-1"
endpoint = "{endpoint}"
addressing = "path"
access_key_id = "{akid}"
secret_access_key = "{secret}"
[providers.{name}.policy]
{policy}
"#,
        bucket = crate::seaweedfs::BUCKET,
        akid = crate::seaweedfs::ACCESS_KEY,
        secret = crate::seaweedfs::SECRET_KEY,
    )
}

/// Unix seconds now.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Standard claims: the test issuer and audience, `sub`, valid for `ttl` seconds.
pub fn claims(sub: &str, ttl: i64) -> Value {
    let t = now();
    json!({"iss": ISSUER, "aud": AUDIENCE, "sub": sub, "iat": t, "nbf": t - 1, "exp": t + ttl})
}

fn b64json(v: &Value) -> String {
    B64.encode(serde_json::to_vec(v).unwrap())
}

/// The modulus and exponent of a PKCS#1 `RSAPublicKey` (`SEQUENCE { INTEGER n, INTEGER e }`).
fn rsa_components(der: &[u8]) -> (Vec<u8>, Vec<u8>) {
    fn read(input: &[u8]) -> (u8, &[u8], &[u8]) {
        let tag = input[0];
        let (len, start) = match input[1] {
            l if l < 0x80 => (l as usize, 2),
            0x81 => (input[2] as usize, 3),
            0x82 => (((input[2] as usize) << 8) | input[3] as usize, 4),
            other => panic!("unexpected DER length byte {other:#x}"),
        };
        (tag, &input[start..start + len], &input[start + len..])
    }
    let (tag, seq, _) = read(der);
    assert_eq!(tag, 0x30);
    let (_, n, rest) = read(seq);
    let (_, e, _) = read(rest);
    let strip = |b: &[u8]| b.iter().skip_while(|&&x| x == 0).copied().collect();
    (strip(n), strip(e))
}

/// Signing keys made for one test run, and their JWKS.
pub struct TestKeys {
    es256: EcdsaKeyPair,
    ed25519: Ed25519KeyPair,
    rsa: RsaKeyPair,
    /// An ES256 key that is NOT in the JWKS (an attacker's), signing with kid `es`.
    rogue: EcdsaKeyPair,
    /// The RSA public key as PKCS#1 DER (what an algorithm-confusion attacker would use as
    /// an HMAC secret).
    pub rsa_public_der: Vec<u8>,
    /// The JWKS: kids `es` (ES256), `ed` (EdDSA), `rs` (RS256).
    pub jwks: String,
}

impl TestKeys {
    /// Fresh keys.
    pub fn generate() -> TestKeys {
        let rng = SystemRandom::new();
        let es_doc = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        let es256 =
            EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, es_doc.as_ref()).unwrap();
        let rogue_doc =
            EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        let rogue =
            EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, rogue_doc.as_ref()).unwrap();
        let ed_doc = Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
        let ed25519 = Ed25519KeyPair::from_pkcs8(ed_doc.as_ref()).unwrap();
        let rsa = RsaKeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap();
        let rsa_public_der = rsa.public_key().as_ref().to_vec();
        let (n, e) = rsa_components(&rsa_public_der);
        let point = es256.public_key().as_ref();
        assert_eq!(point.len(), 65);
        let jwks = json!({"keys": [
            {"kty": "EC", "crv": "P-256", "kid": "es", "use": "sig", "alg": "ES256",
             "x": B64.encode(&point[1..33]), "y": B64.encode(&point[33..])},
            {"kty": "OKP", "crv": "Ed25519", "kid": "ed", "x": B64.encode(ed25519.public_key().as_ref())},
            {"kty": "RSA", "kid": "rs", "alg": "RS256", "n": B64.encode(&n), "e": B64.encode(&e)},
            // A symmetric key in the set must never be used for anything.
            {"kty": "oct", "kid": "hs", "k": B64.encode(b"a shared secret the gateway must ignore")}
        ]})
        .to_string();
        TestKeys {
            es256,
            ed25519,
            rsa,
            rogue,
            rsa_public_der,
            jwks,
        }
    }

    /// A token with `header` (as given) and `claims`, signed per its `alg`: ES256 with kid
    /// `es` (or the rogue key with `rogue: true` in the header), EdDSA, RS256.
    pub fn sign(&self, header: Value, claims: &Value) -> String {
        let rng = SystemRandom::new();
        let mut header = header;
        let rogue = header
            .as_object_mut()
            .and_then(|h| h.remove("rogue"))
            .is_some();
        let input = format!("{}.{}", b64json(&header), b64json(claims));
        let sig = match header["alg"].as_str().unwrap() {
            "ES256" if rogue => self
                .rogue
                .sign(&rng, input.as_bytes())
                .unwrap()
                .as_ref()
                .to_vec(),
            "ES256" => self
                .es256
                .sign(&rng, input.as_bytes())
                .unwrap()
                .as_ref()
                .to_vec(),
            "EdDSA" => self.ed25519.sign(input.as_bytes()).as_ref().to_vec(),
            "RS256" => {
                let mut sig = vec![0; self.rsa.public_modulus_len()];
                self.rsa
                    .sign(&RSA_PKCS1_SHA256, &rng, input.as_bytes(), &mut sig)
                    .unwrap();
                sig
            }
            other => panic!("TestKeys::sign: no key for {other}"),
        };
        format!("{input}.{}", B64.encode(sig))
    }

    /// An ES256 token (kid `es`) with `claims`.
    pub fn es256(&self, claims: &Value) -> String {
        self.sign(json!({"alg": "ES256", "typ": "JWT", "kid": "es"}), claims)
    }

    /// `alg: none`, no signature.
    pub fn none(claims: &Value) -> String {
        format!(
            "{}.{}.",
            b64json(&json!({"alg": "none", "typ": "JWT"})),
            b64json(claims)
        )
    }

    /// HS256 with `secret` as the HMAC key (algorithm confusion: a public key as the secret).
    pub fn hs256(kid: &str, secret: &[u8], claims: &Value) -> String {
        let input = format!(
            "{}.{}",
            b64json(&json!({"alg": "HS256", "typ": "JWT", "kid": kid})),
            b64json(claims)
        );
        let mut mac = Hmac::<Sha256>::new_from_slice(secret).unwrap();
        mac.update(input.as_bytes());
        format!("{input}.{}", B64.encode(mac.finalize().into_bytes()))
    }
}

/// A gateway served on 127.0.0.1:0 by its own runtime.
pub struct TestGateway {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The audit log file.
    pub audit: PathBuf,
    /// The gateway (for flushing the audit log).
    pub gateway: Arc<Gateway>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<Result<(), presign_core::Error>>>,
    runtime: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
}

impl TestGateway {
    /// Serves the gateway of `toml` (providers and a `[serve]` table) with `keys`' JWKS.
    pub fn start(toml: &str, keys: &TestKeys) -> TestGateway {
        let dir = tempfile::tempdir().unwrap();
        let audit = dir.path().join("audit.jsonl");
        let config = Config::from_toml_str(toml).unwrap();
        let options = GatewayOptions::default()
            .with_jwks_json(keys.jwks.clone())
            .with_audit_file(Some(audit.clone()));
        let gateway = Arc::new(Gateway::new(&config, options).unwrap());
        let router = presign_serve::api::router(Arc::clone(&gateway));
        TestGateway::serve(gateway, router, audit, dir)
    }

    /// Serves `router` (the gateway's routes, perhaps with an application's) for `gateway`,
    /// whose audit log is `audit` (inside `dir`, removed with the server).
    pub fn serve(
        gateway: Arc<Gateway>,
        router: axum::Router,
        audit: PathBuf,
        dir: tempfile::TempDir,
    ) -> TestGateway {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = runtime.spawn(presign_serve::serve_router(
            Arc::clone(&gateway),
            router,
            listener,
            None,
            async move {
                let _ = stopped.await;
            },
        ));
        // serve() loads the JWKS first; wait until callers can be authenticated.
        for _ in 0..200 {
            if gateway.auth_ready() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        TestGateway {
            base,
            audit,
            gateway,
            stop: Some(stop),
            task: Some(task),
            runtime,
            _dir: dir,
        }
    }

    /// Every audit line so far, parsed.
    pub fn audit_lines(&self) -> Vec<Value> {
        self.gateway.flush_audit().unwrap();
        std::fs::read_to_string(&self.audit)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// The audit line of request `id`.
    pub fn audit_line(&self, id: &str) -> Value {
        self.audit_lines()
            .into_iter()
            .find(|l| l["request_id"] == id)
            .unwrap_or_else(|| panic!("no audit line for request {id}"))
    }

    /// Stops the server (graceful shutdown) and waits for it.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            self.runtime.block_on(task).unwrap().unwrap();
        }
    }
}

impl Drop for TestGateway {
    fn drop(&mut self) {
        self.shutdown();
    }
}

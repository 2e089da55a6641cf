//! azure_identity's credentials against local servers speaking the Entra ID token, IMDS and
//! App Service protocols on 127.0.0.1, and a managed-identity token fetching a user-delegation
//! key that signs a SAS.
//!
//! The authority host must be HTTPS and IMDS is the constant 169.254.169.254 in azure_identity,
//! so those tests hand it `ClientOptions` with a transport of their own (azure_core's documented
//! hook) that sends each request, unchanged but for scheme, host and port, to the local server.
//! App Service (`IDENTITY_ENDPOINT`) and the Azure CLI run in a child process with their
//! environment.
#![cfg(test)]

use std::sync::Arc;
use std::time::Duration;

use azure_core::http::{
    AsyncRawResponse, ClientOptions, HttpClient, Request as AzRequest, Transport,
};
use presign_azure::{AzurePresigner, Endpoint, HttpDelegationKeySource, SIGNED_VERSION};
use presign_core::{
    CredentialSource, Method, ObjectKey, PresignRequest, Presigner, SecretString, Timestamp,
};
use presign_credentials_azure::AzureTokenSource;
use presign_credentials_testkit::child;
use presign_credentials_testkit::require::temp_dir;
use presign_credentials_testkit::server::{Request, Response, TestServer};
use serde_json::json;

const SECRET: &str = "client-secret-never-printed";
const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const KEY_VALUE: &str = "dXNlciBkZWxlZ2F0aW9uIGtleSBieXRlcw==";

/// Sends every request to `port` on 127.0.0.1 over plain HTTP.
#[derive(Debug)]
struct ToLocal {
    inner: Arc<dyn HttpClient>,
    port: u16,
}

#[async_trait::async_trait]
impl HttpClient for ToLocal {
    async fn execute_request(&self, request: &AzRequest) -> azure_core::Result<AsyncRawResponse> {
        let mut r = request.clone();
        let url = r.url_mut();
        url.set_scheme("http").unwrap();
        url.set_host(Some("127.0.0.1")).unwrap();
        url.set_port(Some(self.port)).unwrap();
        self.inner.execute_request(&r).await
    }
}

fn local(server: &TestServer) -> ClientOptions {
    let inner = azure_core::http::new_http_client(None);
    ClientOptions {
        transport: Some(Transport::new(Arc::new(ToLocal {
            inner,
            port: server.addr().port(),
        }))),
        ..Default::default()
    }
}

fn entra_token(access_token: &str) -> Response {
    Response::json(
        json!({"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": access_token})
            .to_string(),
    )
}

/// The Entra ID token endpoint: client credentials with a secret or a client assertion.
async fn entra() -> TestServer {
    TestServer::start(|r: &Request| {
        if r.method != "POST" || r.path() != format!("/{TENANT}/oauth2/v2.0/token") {
            return Response::text(404, "not found");
        }
        let body = r.body_text();
        if !body.contains("scope=https%3A%2F%2Fstorage.azure.com%2F.default") {
            return Response::text(400, "wrong scope");
        }
        if body.contains(&format!("client_secret={SECRET}")) {
            return entra_token("eyJ0.from-secret");
        }
        if body.contains("client_assertion=eyJ.federated.token") {
            return entra_token("eyJ0.from-federation");
        }
        let err = json!({"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided."});
        Response {
            status: 401,
            headers: vec![("content-type".into(), "application/json".into())],
            body: err.to_string().into_bytes(),
        }
    })
    .await
    .unwrap()
}

async fn fetch(src: &AzureTokenSource) -> Result<(String, Timestamp), presign_core::Error> {
    let c = src.fetch(Timestamp::now()).await?;
    Ok((
        c.value().expose_secret().to_owned(),
        c.expires_at().unwrap(),
    ))
}

/// In a child process: fetches a token and reports `token` and `expires`, or `error`.
async fn report(src: AzureTokenSource) {
    match fetch(&src).await {
        Ok((t, e)) => {
            child::report("token", &t);
            child::report("expires", &e.unix().to_string());
        }
        Err(e) => child::report("error", &e.to_string()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_secret_and_workload_identity() {
    let server = entra().await;
    let t0 = Timestamp::now();
    let secret = SecretString::from(SECRET);
    let src = AzureTokenSource::client_secret(TENANT, "app-id", &secret, local(&server)).unwrap();
    let (token, expires) = fetch(&src).await.unwrap();
    assert_eq!(token, "eyJ0.from-secret");
    assert!(
        (t0.unix() + 3500..=t0.unix() + 3700).contains(&expires.unix()),
        "{expires}"
    );

    let dir = temp_dir("workload_identity").unwrap();
    let file = dir.join("token");
    std::fs::write(&file, "eyJ.federated.token").unwrap();
    let src = AzureTokenSource::workload_identity(
        Some(TENANT),
        Some("app-id"),
        file.to_str(),
        local(&server),
    )
    .unwrap();
    assert_eq!(fetch(&src).await.unwrap().0, "eyJ0.from-federation");
    assert!(src.describe().contains("workload identity"));
    let _ = std::fs::remove_dir_all(dir);

    // A wrong secret: a clean error, without the secret.
    let wrong = SecretString::from("wrong-secret-value");
    let bad = AzureTokenSource::client_secret(TENANT, "app-id", &wrong, local(&server))
        .unwrap()
        .with_name("files");
    let e = fetch(&bad).await.unwrap_err();
    let m = e.to_string();
    assert_eq!(e.kind(), "credentials", "{m}");
    assert!(m.contains("files") && m.contains("client secret"), "{m}");
    assert!(!m.contains("wrong-secret-value"), "{m}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn managed_identity_on_imds_fetches_a_user_delegation_key() {
    let t0 = Timestamp::now();
    let expires_on = (t0.unix() + 3600).to_string();
    let imds = TestServer::start(move |r: &Request| {
        if r.path() != "/metadata/identity/oauth2/token" || r.header("metadata") != Some("true") {
            return Response::text(400, "not an IMDS token request");
        }
        if !r
            .query("resource")
            .is_some_and(|v| v.contains("storage.azure.com"))
        {
            return Response::text(400, "wrong resource");
        }
        Response::json(
            json!({"access_token": "eyJ0.from-imds", "expires_on": expires_on, "expires_in": "3600",
                   "resource": "https://storage.azure.com", "token_type": "Bearer"})
            .to_string(),
        )
    })
    .await
    .unwrap();
    let src = AzureTokenSource::managed_identity(None, local(&imds)).unwrap();
    let (token, expires) = fetch(&src).await.unwrap();
    assert_eq!(token, "eyJ0.from-imds");
    assert_eq!(expires.unix(), t0.unix() + 3600);

    // The token fetches a user-delegation key from the blob service; the key signs the SAS.
    let key_expiry = Timestamp::from_unix(t0.unix() + 7 * 3600).unwrap();
    let blob = TestServer::start(move |r: &Request| {
        if r.header("authorization") != Some("Bearer eyJ0.from-imds")
            || r.query("comp") != Some("userdelegationkey")
        {
            return Response::text(403, "AuthenticationFailed");
        }
        Response::text(
            200,
            format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><UserDelegationKey>\
                 <SignedOid>11111111-2222-3333-4444-555555555555</SignedOid>\
                 <SignedTid>{TENANT}</SignedTid><SignedStart>{}</SignedStart>\
                 <SignedExpiry>{}</SignedExpiry><SignedService>b</SignedService>\
                 <SignedVersion>{SIGNED_VERSION}</SignedVersion><Value>{KEY_VALUE}</Value></UserDelegationKey>",
                t0.to_rfc3339(),
                key_expiry.to_rfc3339()
            ),
        )
    })
    .await
    .unwrap();
    let base = format!("{}/acct", blob.url());
    let endpoint = Endpoint::parse("acct", &base).unwrap();
    let keys = HttpDelegationKeySource::new("files", &endpoint, Arc::new(src)).unwrap();
    let azure = AzurePresigner::builder()
        .name("files")
        .account("acct")
        .container("ctr")
        .endpoint(&base)
        .user_delegation(Arc::new(keys))
        .build()
        .unwrap();
    let req = PresignRequest::new(Method::Get, ObjectKey::new("a.txt").unwrap())
        .with_ttl(Duration::from_secs(600));
    let url = azure.presign(&req).await.unwrap();
    let url = url.expose_url();
    assert!(url.contains(&format!("sktid={TENANT}")), "{url}");
    assert!(
        url.contains("skoid=11111111-2222-3333-4444-555555555555"),
        "{url}"
    );
    assert_eq!(blob.requests().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn managed_identity_on_app_service() {
    const NAME: &str = "managed_identity_on_app_service";
    if child::is_child(NAME) {
        report(AzureTokenSource::managed_identity(None, ClientOptions::default()).unwrap()).await;
        return;
    }
    let expires_on = (Timestamp::now().unix() + 1800).to_string();
    let exp = expires_on.clone();
    let server = TestServer::start(move |r: &Request| {
        if r.path() != "/msi/token"
            || r.header("x-identity-header") != Some("identity-header-value")
        {
            return Response::text(401, "missing identity header");
        }
        Response::json(
            json!({"access_token": "eyJ0.from-app-service", "expires_on": exp,
                   "resource": "https://storage.azure.com", "token_type": "Bearer"})
            .to_string(),
        )
    })
    .await
    .unwrap();
    let url = format!("{}/msi/token", server.url());
    let env = [
        ("IDENTITY_ENDPOINT", url.as_str()),
        ("IDENTITY_HEADER", "identity-header-value"),
    ];
    let out = child::run(NAME, &env).unwrap();
    assert!(out.success, "{}", out.text);
    assert_eq!(
        out.value("token"),
        Some("eyJ0.from-app-service"),
        "{}",
        out.text
    );
    assert_eq!(out.value("expires"), Some(expires_on.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn azure_cli_account_token() {
    const NAME: &str = "azure_cli_account_token";
    if child::is_child(NAME) {
        report(AzureTokenSource::azure_cli().unwrap()).await;
        return;
    }
    let dir = temp_dir(NAME).unwrap();
    let az = dir.join("az");
    std::fs::write(
        &az,
        "#!/bin/sh\necho '{\"accessToken\": \"eyJ0.from-cli\", \"expiresOn\": \"2030-01-01 00:00:00.000000\", \
         \"expires_on\": 1893456000, \"subscription\": \"s\", \"tenant\": \"t\", \"tokenType\": \"Bearer\"}'\n",
    )
    .unwrap();
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&az)
        .status()
        .unwrap();
    let path = format!("{}:/usr/bin:/bin", dir.display());
    let out = child::run(NAME, &[("PATH", &path)]).unwrap();
    assert!(out.success, "{}", out.text);
    assert_eq!(out.value("token"), Some("eyJ0.from-cli"), "{}", out.text);
    assert_eq!(out.value("expires"), Some("1893456000"));
    let _ = std::fs::remove_dir_all(dir);
}

//! `credentials = "SOURCE"` on Azure user-delegation providers: parsed, refused where it does
//! not belong and for inline providers, and (with the `azure-credentials` feature) a managed
//! identity's token, served by an App Service identity endpoint on 127.0.0.1, fetching the
//! user-delegation key that signs the SAS; without the feature an error naming it.

use crate::*;

const BASE: &str = "[policy]\nany_key = true\n[providers.az]\nkind = \"azure\"\naccount = \"acct1\"\ncontainer = \"cont\"\n";
const UD: &str = "credential = \"user-delegation\"\n";

fn entry(extra: &str) -> Result<std::sync::Arc<ProviderEntry>, presign_core::Error> {
    let toml = format!("{BASE}{extra}");
    let env = Environment::from_pairs([("AZ_SECRET", "s3cr3t-from-env")]);
    let c = Config::from_toml_str_with_env(&toml, env)?;
    Registry::from_config(&c).entry("az")
}

fn error(extra: &str) -> String {
    entry(extra).unwrap_err().to_string()
}

#[test]
fn credentials_belong_to_user_delegation_and_exclude_a_token() {
    let e = error("account_key = \"a2V5\"\ncredentials = \"managed-identity\"\n");
    assert!(
        e.contains("providers.az.credentials") && e.contains("user-delegation"),
        "{e}"
    );
    let e = error(&format!(
        "{UD}credentials = \"managed-identity\"\naccess_token = \"tok-secret\"\n"
    ));
    assert!(
        e.contains("providers.az.credentials")
            && e.contains("not both")
            && !e.contains("tok-secret"),
        "{e}"
    );
    let e = error(&format!(
        "{UD}access_token = \"t\"\nclient_secret = \"s3cr3t-value\"\n"
    ));
    assert!(
        e.contains("providers.az.client_secret") && !e.contains("s3cr3t-value"),
        "{e}"
    );
    let e = error("account_key = \"a2V5\"\ntenant_id = \"t\"\n");
    assert!(e.contains("providers.az.tenant_id"), "{e}");
}

#[cfg(feature = "azure-credentials")]
#[test]
fn named_sources_build_lazily_and_check_their_settings() {
    use presign_core::SyncPresigner;
    for extra in [
        "credentials = \"managed-identity\"\n",
        "credentials = \"managed-identity\"\nclient_id = \"uami-client\"\n",
        "credentials = \"workload-identity\"\n",
        "credentials = \"client-secret\"\ntenant_id = \"t\"\nclient_id = \"c\"\nclient_secret_env = \"AZ_SECRET\"\n",
        "credentials = \"azure-cli\"\n",
    ] {
        // Nothing is fetched (no identity endpoint here) while configuring: the sync path
        // says to use the async one.
        let e = entry(&format!("{UD}{extra}")).unwrap();
        let req = presign_core::PresignRequest::new(
            presign_core::Method::Get,
            presign_core::ObjectKey::new("a").unwrap(),
        );
        assert_eq!(
            e.sync.presign_sync(&req).unwrap_err().kind(),
            "would_block",
            "{extra}"
        );
    }
    let e = error(&format!("{UD}credentials = \"environment\"\n"));
    assert!(
        e.contains("providers.az.credentials") && e.contains("workload-identity"),
        "{e}"
    );
    let e = error(&format!(
        "{UD}credentials = \"client-secret\"\nclient_id = \"c\"\nclient_secret = \"s3cr3t-value\"\n"
    ));
    assert!(
        e.contains("providers.az.credentials") && e.contains("tenant_id") && !e.contains("s3cr3t"),
        "{e}"
    );
    let e = error(&format!(
        "{UD}credentials = \"client-secret\"\ntenant_id = \"t\"\nclient_id = \"c\"\nclient_secret_env = \"UNSET\"\n"
    ));
    assert!(e.contains("providers.az.client_secret_env"), "{e}");
    let e = error(&format!(
        "{UD}credentials = \"azure-cli\"\nclient_id = \"c\"\n"
    ));
    assert!(e.contains("client_id") && e.contains("azure-cli"), "{e}");
}

#[cfg(not(feature = "azure-credentials"))]
#[test]
fn without_the_feature_the_error_names_it() {
    let e = error(&format!("{UD}credentials = \"managed-identity\"\n"));
    assert!(
        e.contains("providers.az.credential") && e.contains("azure-"),
        "{e}"
    );
}

#[test]
fn inline_providers_never_use_the_servers_identity() {
    let c = Config::from_toml_str_with_env(
        "[policy]\nany_key = true\n",
        Environment::from_pairs(Vec::<(String, String)>::new()),
    )
    .unwrap();
    let registry = Registry::from_config(&c);
    let table = serde_json::json!({
        "kind": "azure", "account": "acct1", "container": "cont",
        "credential": "user-delegation", "credentials": "managed-identity",
        "endpoint": "http://127.0.0.1:9/acct1",
    });
    let p = ProviderConfig::from_value(table, "provider").unwrap();
    let e = p
        .build_inline("inline", "provider", registry.context())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("provider.credentials") && e.contains("inline provider"),
        "{e}"
    );
}

/// The managed identity of App Service (`IDENTITY_ENDPOINT`, `IDENTITY_HEADER`, read by
/// azure_identity from the process environment) on 127.0.0.1; its token fetches a
/// user-delegation key from a blob service on 127.0.0.1, and the key signs the SAS.
#[cfg(feature = "azure-credentials")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn managed_identity_token_fetches_the_delegation_key_that_signs() {
    use presign_credentials_testkit::child;
    use presign_credentials_testkit::server::{Request, Response, TestServer};
    const NAME: &str =
        "azure_credentials_tests::managed_identity_token_fetches_the_delegation_key_that_signs";
    const OID: &str = "11111111-2222-3333-4444-555555555555";
    const TID: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    if child::is_child(NAME) {
        let blob = std::env::var("BLOB_ENDPOINT").unwrap();
        let e = entry(&format!(
            "{UD}credentials = \"managed-identity\"\nendpoint = \"{blob}\"\n"
        ))
        .unwrap();
        let req = presign_core::PresignRequest::new(
            presign_core::Method::Get,
            presign_core::ObjectKey::new("a.txt").unwrap(),
        );
        match e.presigner.presign(&req).await {
            Ok(url) => child::report("url", url.expose_url()),
            Err(e) => child::report("error", &e.to_string()),
        }
        return;
    }
    let now = presign_core::Timestamp::now();
    let expires_on = (now.unix() + 3600).to_string();
    let identity = TestServer::start(move |r: &Request| {
        if r.path() != "/msi/token" || r.header("x-identity-header") != Some("id-header-value") {
            return Response::text(401, "not an App Service identity request");
        }
        if !r
            .query("resource")
            .is_some_and(|v| v.contains("storage.azure.com"))
        {
            return Response::text(400, "wrong resource");
        }
        Response::json(
            serde_json::json!({"access_token": "eyJ0.from-app-service", "expires_on": expires_on,
                   "resource": "https://storage.azure.com", "token_type": "Bearer"})
            .to_string(),
        )
    })
    .await
    .unwrap();
    let key_expiry = presign_core::Timestamp::from_unix(now.unix() + 7 * 3600).unwrap();
    let blob = TestServer::start(move |r: &Request| {
        if r.header("authorization") != Some("Bearer eyJ0.from-app-service")
            || r.query("comp") != Some("userdelegationkey")
        {
            return Response::text(403, "AuthenticationFailed");
        }
        Response::text(
            200,
            format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><UserDelegationKey>\
                 <SignedOid>{OID}</SignedOid><SignedTid>{TID}</SignedTid>\
                 <SignedStart>{}</SignedStart><SignedExpiry>{}</SignedExpiry>\
                 <SignedService>b</SignedService><SignedVersion>{}</SignedVersion>\
                 <Value>dXNlciBkZWxlZ2F0aW9uIGtleSBieXRlcw==</Value></UserDelegationKey>",
                now.to_rfc3339(),
                key_expiry.to_rfc3339(),
                presign_azure::SIGNED_VERSION,
            ),
        )
    })
    .await
    .unwrap();
    let msi = format!("{}/msi/token", identity.url());
    let blob_endpoint = format!("{}/acct1", blob.url());
    let out = child::run(
        NAME,
        &[
            ("IDENTITY_ENDPOINT", msi.as_str()),
            ("IDENTITY_HEADER", "id-header-value"),
            ("BLOB_ENDPOINT", blob_endpoint.as_str()),
        ],
    )
    .unwrap();
    assert!(out.success, "{}", out.text);
    let url = out.value("url").unwrap_or_else(|| panic!("{}", out.text));
    assert!(
        url.starts_with(&format!("{blob_endpoint}/cont/a.txt?")),
        "{url}"
    );
    assert!(
        url.contains(&format!("skoid={OID}")) && url.contains(&format!("sktid={TID}")),
        "{url}"
    );
    assert_eq!(identity.requests().len(), 1);
    assert_eq!(blob.requests().len(), 1);
}

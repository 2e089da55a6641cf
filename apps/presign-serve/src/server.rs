//! Serving: the accept loop (bounded connections, header-read timeout, optional TLS), the
//! background tasks (JWKS refresh, certificate reload), and graceful shutdown — stop
//! accepting, let in-flight requests finish (up to `shutdown_grace`), write the audit log out.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use presign_core::Error;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio_rustls::TlsAcceptor;

use crate::api;
use crate::config::TlsConfig;
use crate::gateway::Gateway;
use crate::tls::ReloadingCert;

/// How long a TLS handshake may take.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves `gateway` on `listener` until `shutdown` completes, then finishes in-flight
/// requests (at most `limits.shutdown_grace`) and flushes the audit log. With `tls`, every
/// connection is TLS.
pub async fn serve(
    gateway: Arc<Gateway>,
    listener: TcpListener,
    tls: Option<&TlsConfig>,
    shutdown: impl Future<Output = ()>,
) -> Result<(), Error> {
    let router = api::router(Arc::clone(&gateway));
    serve_router(gateway, router, listener, tls, shutdown).await
}

/// Like [`serve`], with `router` (the gateway's [`api::router`] merged with an
/// application's own routes, say) instead of the gateway's routes alone.
pub async fn serve_router(
    gateway: Arc<Gateway>,
    router: axum::Router,
    listener: TcpListener,
    tls: Option<&TlsConfig>,
    shutdown: impl Future<Output = ()>,
) -> Result<(), Error> {
    let mut background = Vec::new();
    let acceptor = match tls {
        Some(config) => {
            let cert = Arc::new(ReloadingCert::new(config)?);
            background.push(tokio::spawn(
                Arc::clone(&cert).reload_loop(config.reload_every),
            ));
            Some(cert.acceptor()?)
        }
        None => None,
    };
    if let Some(jwt) = gateway.auth.jwt() {
        if let Err(e) = gateway.load_keys().await {
            tracing::warn!(error = %e, "presign serve: no JWKS yet; retrying in the background (not ready)");
        }
        background.push(tokio::spawn(
            Arc::clone(jwt).refresh_loop(gateway.http.clone()),
        ));
    }
    let service = TowerToHyperService::new(router);
    let limits = gateway.limits.clone();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size((limits.max_uri_bytes + limits.max_header_bytes + 1024).max(8192))
        .keep_alive(true);
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = Arc::clone(&slots).acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of descriptors and the like: wait a little rather than spin.
                    tracing::warn!(error = %e, "presign serve: accept failed");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let watcher = graceful.watcher();
        let builder = builder.clone();
        let service = service.clone();
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            connection(stream, acceptor, builder, service, watcher).await;
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.shutdown_grace) => {
            tracing::warn!("presign serve: shutdown grace over; closing the remaining connections");
        }
    }
    for task in background {
        task.abort();
    }
    gateway.audit.close();
    Ok(())
}

async fn connection(
    stream: TcpStream,
    acceptor: Option<TlsAcceptor>,
    builder: http1::Builder,
    service: TowerToHyperService<axum::Router>,
    watcher: hyper_util::server::graceful::Watcher,
) {
    match acceptor {
        None => {
            let conn = builder.serve_connection(TokioIo::new(stream), service);
            let _ = watcher.watch(conn).await;
        }
        Some(acceptor) => {
            let Ok(Ok(tls)) =
                tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await
            else {
                return;
            };
            let conn = builder.serve_connection(TokioIo::new(tls), service);
            let _ = watcher.watch(conn).await;
        }
    }
}

/// Waits for Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

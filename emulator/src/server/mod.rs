//! The HTTP server: one port for every service, graceful shutdown, and scenario reload.
//!
//! The world is held in an `ArcSwap`: each request takes a snapshot with one atomic load, and
//! a reload swaps in a fully validated new world, so a bad file never replaces a good one.

mod admin;
mod banner;
mod log;
mod router;
mod workers;

use crate::auth::sigv4::SigningKeyCache;
use crate::scenario;
use crate::services::decisions::DecisionLog;
use crate::world::clock::Clock;
use crate::world::sessions::SessionSigner;
use crate::world::World;
use arc_swap::ArcSwap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// What every request handler shares.
pub struct State {
    world: ArcSwap<World>,
    /// The file a reload reads again; None for the embedded default.
    scenario_path: Option<PathBuf>,
    scenario_name: String,
    signer: SessionSigner,
    /// Derived SigV4 signing keys, cleared on reload.
    signing_keys: SigningKeyCache,
    clock: Clock,
    /// Print one line per request.
    log_requests: bool,
    /// Recent authorization decisions, by request id.
    decisions: DecisionLog,
}

impl State {
    pub fn new(
        world: World,
        scenario_path: Option<PathBuf>,
        scenario_name: String,
        log_requests: bool,
    ) -> State {
        let clock = Clock::new(world.clock_start, world.clock_frozen);
        State {
            world: ArcSwap::from_pointee(world),
            scenario_path,
            scenario_name,
            signer: SessionSigner::random(),
            signing_keys: SigningKeyCache::default(),
            clock,
            log_requests,
            decisions: DecisionLog::default(),
        }
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The key sessions and encoded authorization messages are sealed with.
    pub fn signer(&self) -> &SessionSigner {
        &self.signer
    }

    /// Reads the scenario file again; on any problem keeps the current world and says why.
    pub fn reload(&self) -> Result<(), scenario::ScenarioError> {
        let Some(path) = &self.scenario_path else {
            return Ok(());
        };
        let world = scenario::load_file(path)?;
        self.world.store(Arc::new(world));
        // After the swap: a request still on the old world may add an entry, but its secret
        // is checked on every lookup, so only keys the new world holds can ever match.
        self.signing_keys.clear();
        Ok(())
    }
}

/// How long in-flight requests get to finish after a shutdown signal.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves until Ctrl-C or SIGTERM, then drains in-flight requests.
///
/// This task only accepts; the connections are served on [`workers::Workers`], one thread
/// per core, whichever runtime calls this.
pub async fn serve(listener: TcpListener, state: Arc<State>) -> std::io::Result<()> {
    let addr = listener.local_addr()?;
    let mut workers = workers::Workers::start(&state, DRAIN_TIMEOUT)?;
    banner::print(addr, &state);
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    spawn_reload_on_hangup(state.clone());
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                match accepted {
                    Ok((stream, peer)) => {
                        let _ = stream.set_nodelay(true);
                        workers.dispatch(stream, peer);
                    }
                    Err(e) => tracing::warn!("accept failed: {e}"),
                }
            }
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    workers.finish().await;
    Ok(())
}

/// Binds `addr` and serves `state` on it (the `serve` command's whole job).
pub async fn bind_and_serve(addr: SocketAddr, state: State) -> std::io::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    serve(listener, Arc::new(state)).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}

/// SIGHUP reloads the scenario file, the usual signal for "read your configuration again".
fn spawn_reload_on_hangup(state: Arc<State>) {
    #[cfg(unix)]
    tokio::spawn(async move {
        let Ok(mut hup) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
        else {
            return;
        };
        while hup.recv().await.is_some() {
            // Off this thread: it is the one that accepts connections.
            let reloading = state.clone();
            match tokio::task::spawn_blocking(move || reloading.reload()).await {
                Ok(Ok(())) => println!("rolecall reloaded {}", state.scenario_name),
                Ok(Err(e)) => {
                    eprintln!("rolecall kept the previous scenario; the file has problems:\n{e}")
                }
                Err(e) => eprintln!("rolecall kept the previous scenario; the reload failed: {e}"),
            }
        }
    });
    #[cfg(not(unix))]
    drop(state);
}

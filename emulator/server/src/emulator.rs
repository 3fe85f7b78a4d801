//! [`Emulator`]: one served scenario, its credential store, clock and recent decisions, and
//! every way to reach it (a listener, one connection at a time, or a request in hand).

use crate::auth::sessions::SessionSigner;
use crate::auth::sigv4::SigningKeyCache;
use crate::explain::{self, Answer, Question};
use crate::http::{self, ConnectionLimits, Connections, RequestRecord, Slots};
use crate::services::decisions::{DecisionLog, DecisionRecord};
use arc_swap::ArcSwap;
use bytes::Bytes;
use rolecall_model::clock::Clock;
use rolecall_model::scenario::{self, ScenarioError};
use rolecall_model::World;
use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;

/// Where a scenario came from, and so what a reload reads again.
#[derive(Debug, Clone)]
enum Source {
    /// The embedded default scenario; a reload keeps it.
    Default,
    /// A file, read again on every reload.
    File(PathBuf),
    /// Text given by the caller; a reload keeps the world it built.
    Text { name: String },
    /// A world built by the caller; a reload keeps it.
    World { name: String },
}

/// What receives one record per answered request (see [`Builder::on_request`]).
pub type RequestLog = Arc<dyn Fn(&RequestRecord<'_>) + Send + Sync>;

/// What every request handler shares. Read-mostly: the world is swapped whole on reload, the
/// clock is atomics, the caches are lock-free slot tables.
pub(crate) struct State {
    pub(crate) world: ArcSwap<World>,
    source: Source,
    /// What the scenario is reported as: its file, or the name it was given.
    scenario_name: String,
    pub(crate) signer: SessionSigner,
    /// Derived SigV4 signing keys, cleared on reload.
    pub(crate) signing_keys: SigningKeyCache,
    pub(crate) clock: Clock,
    /// Receives a record per request; None when nobody listens, and then no record is built.
    pub(crate) request_log: Option<RequestLog>,
    /// Recent authorization decisions, by request id.
    pub(crate) decisions: DecisionLog,
    /// How long in-flight requests get to finish once serving stops.
    pub(crate) drain_timeout: Duration,
    /// Timeouts and the most connections open at once.
    pub(crate) limits: ConnectionLimits,
    /// The connections open now, counted against `limits.max_connections`.
    pub(crate) slots: Slots,
    pub(crate) reloads: Reloads,
}

/// Reloads asked for, and the last one done: the number of requests it answered for and its
/// outcome. The lock is held while a reload reads the file, so reloads run one at a time.
#[derive(Default)]
pub(crate) struct Reloads {
    asked: AtomicU64,
    /// Times the file was read by a reload.
    reads: AtomicU64,
    done: Mutex<Option<(u64, Result<(), ScenarioError>)>>,
}

impl State {
    pub(crate) fn scenario_name(&self) -> &str {
        &self.scenario_name
    }

    /// Reads the scenario file again; on any problem keeps the current world and says why.
    ///
    /// One reload runs at a time. A reload asked for while another runs waits for it, then
    /// reads the file once more for every request that arrived meanwhile, so however many are
    /// asked for at once, at most two read the file, the newest file is what is served, and a
    /// slow read of an older file can never finish last and overwrite a newer one. (Forty at
    /// once each read a 9 MB file on a thread of its own before: 7.6 GB, and the old file won.)
    pub(crate) fn reload(&self) -> Result<(), ScenarioError> {
        let Source::File(path) = &self.source else {
            return Ok(());
        };
        let ticket = self.reloads.asked.fetch_add(1, Ordering::AcqRel) + 1;
        let mut done = self
            .reloads
            .done
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((covered, outcome)) = &*done {
            // A reload that began after this one was asked for has read the file.
            if *covered >= ticket {
                return outcome.clone();
            }
        }
        // Every reload asked for until now is answered by this read of the file.
        let covers = self.reloads.asked.load(Ordering::Acquire);
        self.reloads.reads.fetch_add(1, Ordering::Relaxed);
        let outcome = scenario::load_file(path).map(|world| {
            self.world.store(Arc::new(world));
            // After the swap: a request still on the old world may add an entry, but its
            // secret is checked on every lookup, so only keys the new world holds can match.
            self.signing_keys.clear();
        });
        *done = Some((covers, outcome.clone()));
        outcome
    }
}

/// A running rolecall: a scenario's world, the credentials issued in it, its clock and its
/// recent decisions.
///
/// Cloning is cheap and every clone is the same emulator. The library never owns the
/// process: it installs no signal handler, starts no thread of its own and prints nothing.
/// [`serve`](Emulator::serve) runs on the caller's tokio runtime until the caller's shutdown
/// future resolves, and [`handle`](Emulator::handle) answers a request with no socket at all.
#[derive(Clone)]
pub struct Emulator {
    pub(crate) state: Arc<State>,
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("scenario", &self.state.scenario_name())
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// How to build one: the scenario, the request log, the drain timeout.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// The embedded default scenario (an invited member account without
    /// OrganizationAccountAccessRole).
    pub fn with_default_scenario() -> Emulator {
        let world = scenario::default_world();
        Builder::default().finish(world, Source::Default)
    }

    /// Serves the scenario file at `path`; [`reload`](Emulator::reload) reads it again.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Emulator, ScenarioError> {
        Emulator::builder().scenario_file(path).build()
    }

    /// Serves scenario YAML given as text; `name` stands for it in problems and the log.
    pub fn from_yaml(text: &str, name: &str) -> Result<Emulator, ScenarioError> {
        Emulator::builder().scenario_text(text, name).build()
    }

    /// Serves every connection `listener` accepts, each as a task on the current tokio
    /// runtime, until `shutdown` resolves; then stops accepting and lets in-flight requests
    /// finish, for at most the drain timeout.
    pub async fn serve(
        &self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()>,
    ) -> std::io::Result<()> {
        http::serve(self, listener, shutdown).await
    }

    /// A set of connections served together and drained together, on the current runtime:
    /// for a caller that accepts connections itself (a thread per core, a custom listener).
    pub fn connections(&self) -> Connections {
        Connections::new(self.clone())
    }

    /// Answers one request without a socket, exactly as a connection would. The request
    /// counts as coming from 127.0.0.1 (the `aws:SourceIp` policies see, and a loopback
    /// caller for the `/_rolecall/` endpoints).
    pub fn handle(&self, request: ::http::Request<Bytes>) -> ::http::Response<Bytes> {
        http::handle_in_process(&self.state, request)
    }

    /// Evaluates one request offline against the current world, with the same engine and
    /// request context the server uses.
    pub fn explain(&self, question: &Question) -> Result<Answer, String> {
        explain::explain(&self.state.world.load(), question)
    }

    /// The authorization decisions recorded for a recent request, by its request id (empty
    /// when it needed none, failed before authorization, or is too old).
    pub fn decisions(&self, request_id: &str) -> Vec<DecisionRecord> {
        self.state.decisions.find(request_id)
    }

    /// The emulator's clock: it decides credential expiry, `aws:CurrentTime` and issue times,
    /// and can be advanced, set or frozen.
    pub fn clock(&self) -> &Clock {
        &self.state.clock
    }

    /// The world being served now.
    pub fn world(&self) -> Arc<World> {
        self.state.world.load_full()
    }

    /// The name the scenario is reported under: its file, or the name it was given.
    pub fn scenario_name(&self) -> &str {
        self.state.scenario_name()
    }

    /// The scenario file a reload reads, if the emulator serves one.
    pub fn scenario_file(&self) -> Option<&Path> {
        match &self.state.source {
            Source::File(path) => Some(path),
            _ => None,
        }
    }

    /// Reads the scenario file again and serves the new world if it is sound; on any problem
    /// keeps the current one and says why. Without a file there is nothing to read, and the
    /// world stays as it is.
    pub fn reload(&self) -> Result<(), ScenarioError> {
        self.state.reload()
    }

    /// How many times a reload has read the scenario file: reloads asked for while one runs
    /// share the next read.
    pub fn reload_reads(&self) -> u64 {
        self.state.reloads.reads.load(Ordering::Relaxed)
    }
}

/// How an [`Emulator`] is made.
pub struct Builder {
    scenario: Scenario,
    request_log: Option<RequestLog>,
    drain_timeout: Duration,
    session_key: Option<[u8; 32]>,
    limits: ConnectionLimits,
}

/// The scenario a builder was given.
#[derive(Debug)]
enum Scenario {
    Default,
    File(PathBuf),
    Text { text: String, name: String },
}

impl Default for Builder {
    fn default() -> Builder {
        Builder {
            scenario: Scenario::Default,
            request_log: None,
            drain_timeout: Duration::from_secs(10),
            session_key: None,
            limits: ConnectionLimits::default(),
        }
    }
}

impl fmt::Debug for Builder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Builder")
            .field("scenario", &self.scenario)
            .field("request_log", &self.request_log.is_some())
            .field("drain_timeout", &self.drain_timeout)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl Builder {
    /// Close a connection that has no request in flight and moves no byte for this long (60
    /// seconds unless set, as AWS's load balancers do).
    #[must_use]
    pub fn idle_timeout(mut self, timeout: Duration) -> Builder {
        self.limits.idle = timeout;
        self
    }

    /// Close a connection whose request head has not arrived whole this long after its first
    /// byte (20 seconds unless set): a head sent a byte at a time holds nothing for long.
    #[must_use]
    pub fn header_timeout(mut self, timeout: Duration) -> Builder {
        self.limits.head = timeout;
        self
    }

    /// Answer `408 Request Timeout` and close when a request body has not arrived whole this
    /// long after the request began to be served (30 seconds unless set).
    #[must_use]
    pub fn body_timeout(mut self, timeout: Duration) -> Builder {
        self.limits.body = timeout;
        self
    }

    /// Keep at most this many connections open at once (4096 unless set); one more is closed
    /// as soon as it is accepted.
    #[must_use]
    pub fn max_connections(mut self, max: usize) -> Builder {
        self.limits.max_connections = max;
        self
    }

    /// Serve the scenario file at `path` (read again on every reload).
    #[must_use]
    pub fn scenario_file(mut self, path: impl AsRef<Path>) -> Builder {
        self.scenario = Scenario::File(path.as_ref().to_path_buf());
        self
    }

    /// Serve scenario YAML given as text; `name` stands for it in problems and the log.
    #[must_use]
    pub fn scenario_text(mut self, text: &str, name: &str) -> Builder {
        self.scenario = Scenario::Text {
            text: text.to_string(),
            name: name.to_string(),
        };
        self
    }

    /// Call `log` once per answered request, with who called what and how it ended. Without
    /// it no record is built at all.
    #[must_use]
    pub fn on_request(
        mut self,
        log: impl Fn(&RequestRecord<'_>) + Send + Sync + 'static,
    ) -> Builder {
        self.request_log = Some(Arc::new(log));
        self
    }

    /// How long in-flight requests get to finish once serving stops (10 seconds unless set).
    #[must_use]
    pub fn drain_timeout(mut self, timeout: Duration) -> Builder {
        self.drain_timeout = timeout;
        self
    }

    /// Seal session tokens with this key instead of a random one, so that tokens survive a
    /// restart (tests and benchmarks that must repeat themselves).
    #[must_use]
    pub fn session_key(mut self, key: [u8; 32]) -> Builder {
        self.session_key = Some(key);
        self
    }

    /// Loads the scenario (the embedded default unless one was given) and makes the emulator.
    pub fn build(mut self) -> Result<Emulator, ScenarioError> {
        let (world, source) = match std::mem::replace(&mut self.scenario, Scenario::Default) {
            Scenario::Default => (scenario::default_world(), Source::Default),
            Scenario::File(path) => (scenario::load_file(&path)?, Source::File(path)),
            Scenario::Text { text, name } => {
                (scenario::load_str(&text, &name)?, Source::Text { name })
            }
        };
        Ok(self.finish(world, source))
    }

    /// Makes the emulator around a world built in code; `name` is what it is reported as.
    pub fn build_with_world(self, world: World, name: &str) -> Emulator {
        self.finish(
            world,
            Source::World {
                name: name.to_string(),
            },
        )
    }

    fn finish(self, world: World, source: Source) -> Emulator {
        let clock = Clock::new(world.clock_start, world.clock_frozen);
        let signer = match self.session_key {
            Some(key) => SessionSigner::with_key(key),
            None => SessionSigner::random(),
        };
        let scenario_name = match &source {
            Source::Default => scenario::DEFAULT_SCENARIO_NAME.to_string(),
            Source::File(path) => path.display().to_string(),
            Source::Text { name } | Source::World { name } => name.clone(),
        };
        Emulator {
            state: Arc::new(State {
                world: ArcSwap::from_pointee(world),
                source,
                scenario_name,
                signer,
                signing_keys: SigningKeyCache::default(),
                clock,
                request_log: self.request_log,
                decisions: DecisionLog::default(),
                drain_timeout: self.drain_timeout,
                slots: Slots::new(self.limits.max_connections),
                reloads: Reloads::default(),
                limits: self.limits,
            }),
        }
    }
}

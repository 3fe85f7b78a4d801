//! A one-line counter on standard error while accounts are walked, drawn only when standard
//! error is a terminal, so logs and pipes stay clean.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct Progress {
    enabled: bool,
    total: AtomicUsize,
    done: AtomicUsize,
}

impl Progress {
    /// Draws when standard error is a terminal.
    pub fn for_terminal() -> Progress {
        Progress::new(std::io::stderr().is_terminal())
    }

    /// Draws nothing (tests, `--json` into a pipe).
    pub fn silent() -> Progress {
        Progress::new(false)
    }

    fn new(enabled: bool) -> Progress {
        Progress {
            enabled,
            total: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
        }
    }

    /// A line of its own, before the counter starts.
    #[allow(
        clippy::print_stderr,
        reason = "progress goes to the terminal, when asked for"
    )]
    pub fn note(&self, text: &str) {
        if self.enabled {
            eprintln!("{text}");
        }
    }

    pub fn start(&self, total: usize) {
        self.total.store(total, Ordering::Relaxed);
        self.draw(0);
    }

    /// One more account walked.
    pub fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        self.draw(done);
    }

    /// Clears the counter line.
    pub fn finish(&self) {
        if self.enabled {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }

    fn draw(&self, done: usize) {
        if self.enabled {
            let total = self.total.load(Ordering::Relaxed);
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r{done}/{total} accounts walked");
            let _ = err.flush();
        }
    }
}

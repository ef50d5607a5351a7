//! `check --timings`: how long each phase of a run took, on standard error,
//! so that a slow run shows where its time goes (spec load, validator
//! compile, file reading, checks, output) without a profiler.

use std::time::{Duration, Instant};

use crate::output;

/// The phases measured so far; records nothing when off.
pub(crate) struct Timings {
    on: bool,
    started: Instant,
    last: Instant,
    phases: Vec<(&'static str, Duration)>,
}

impl Timings {
    /// Measures from now when `on`.
    pub(crate) fn new(on: bool) -> Self {
        let now = Instant::now();
        Self {
            on,
            started: now,
            last: now,
            phases: Vec::new(),
        }
    }

    /// Ends the phase called `name`, started when the one before ended.
    pub(crate) fn lap(&mut self, name: &'static str) {
        if self.on {
            let now = Instant::now();
            self.phases.push((name, now - self.last));
            self.last = now;
        }
    }

    /// Writes one `timings:` line per phase and the total to standard
    /// error, when on.
    pub(crate) fn report(&self, files: usize) {
        if !self.on {
            return;
        }
        for (name, took) in &self.phases {
            output::err(&format!("timings: {name:<22} {:>9.2} ms", millis(*took)));
        }
        let total = self.last - self.started;
        output::err(&format!(
            "timings: {:<22} {:>9.2} ms ({files} files)",
            "total",
            millis(total)
        ));
    }
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

//! Progress bar and end-of-run summary on stderr, shown only when stderr is a terminal.

use crate::cli::Stats;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The progress display; a no-op when hidden (stderr not a terminal, or `--quiet`).
pub struct Progress {
    bar: Option<ProgressBar>,
    bytes: Arc<AtomicU64>,
    started: Instant,
}

impl Progress {
    /// A bar in bytes when the total is known (with ETA), else a spinner. Sizes are in decimal
    /// megabytes, as the rates and the summary are.
    pub fn new(show: bool, total: Option<u64>, bytes: Arc<AtomicU64>) -> Progress {
        let bar = show.then(|| {
            let (bar, tpl) = match total {
                Some(t) => (ProgressBar::with_draw_target(Some(t), ProgressDrawTarget::stderr()), "{wide_bar} {decimal_bytes}/{decimal_total_bytes} {msg} ETA {eta}"),
                None => (ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()), "{spinner} {decimal_bytes} {msg} [{elapsed}]"),
            };
            bar.set_style(ProgressStyle::with_template(tpl).unwrap_or_else(|_| ProgressStyle::default_bar()));
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Progress { bar, bytes, started: Instant::now() }
    }

    /// Updates the counts after a batch was written.
    pub fn update(&self, articles: u64) {
        if let Some(bar) = &self.bar {
            let b = self.bytes.load(Ordering::Relaxed);
            bar.set_position(b);
            let secs = self.started.elapsed().as_secs_f64().max(1e-3);
            bar.set_message(format!("{articles} articles, {:.0} articles/s, {:.1} MB/s", articles as f64 / secs, b as f64 / 1e6 / secs));
        }
    }

    /// Prints a message on stderr without garbling the bar; never panics if stderr is closed.
    pub fn message(&self, m: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| {
                let _ = writeln!(std::io::stderr(), "{m}");
            }),
            None => {
                let _ = writeln!(std::io::stderr(), "{m}");
            }
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The end-of-run summary: articles, errors, entities and events by type, time, throughput.
pub fn summary(s: &Stats, elapsed: Duration, bytes: u64) {
    let secs = elapsed.as_secs_f64().max(1e-3);
    let mut t = format!(
        "gazette: {} articles, {} errors in {:.1} s ({:.1} MB, {:.1} MB/s, {:.0} articles/s)\n",
        s.records,
        s.errors,
        secs,
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / secs,
        s.records as f64 / secs
    );
    let line = |name: &str, m: &std::collections::BTreeMap<String, u64>| {
        let total: u64 = m.values().sum();
        let parts: Vec<String> = m.iter().map(|(k, v)| format!("{k} {v}")).collect();
        format!("  {name} {total}: {}\n", parts.join(", "))
    };
    t.push_str(&line("entities", &s.entities));
    t.push_str(&line("events", &s.events));
    let _ = std::io::stderr().write_all(t.as_bytes());
}

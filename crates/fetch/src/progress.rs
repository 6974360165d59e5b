//! Progress reporting on standard error: an indicatif bar, plain lines, or
//! nothing.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How a [`Fetcher`](crate::Fetcher) reports progress on standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// An animated progress bar (for an interactive terminal).
    Terminal,
    /// One line when a file starts and finishes, one about every 10% of
    /// the way, and one for each retry (for logs and CI).
    Plain,
    /// Nothing at all.
    Quiet,
}

impl Progress {
    /// [`Progress::Terminal`] when standard error is a terminal, else
    /// [`Progress::Plain`].
    pub fn auto() -> Progress {
        if std::io::stderr().is_terminal() {
            Progress::Terminal
        } else {
            Progress::Plain
        }
    }
}

/// Lines are printed in plain mode every this many bytes when the total
/// size is unknown.
const PLAIN_STEP_UNKNOWN: u64 = 64 * 1024 * 1024;

/// The progress display of one fetch.
pub(crate) struct Report {
    mode: Progress,
    url: String,
    bar: Option<ProgressBar>,
    total: Option<u64>,
    /// Plain mode: the last tenth (or step, when the total is unknown)
    /// that was printed.
    last_step: u64,
}

impl Report {
    /// Starts reporting on a download of `url`.
    pub(crate) fn start(mode: Progress, url: &str) -> Report {
        let mut report = Report {
            mode,
            url: url.to_owned(),
            bar: None,
            total: None,
            last_step: 0,
        };
        match mode {
            Progress::Terminal => {
                let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
                bar.set_style(spinner_style());
                bar.set_message(url.to_owned());
                bar.enable_steady_tick(Duration::from_millis(120));
                report.bar = Some(bar);
            }
            Progress::Plain => eprintln!("fetch {url}: starting"),
            Progress::Quiet => {}
        }
        report
    }

    /// Reports a file served from the cache (no download).
    pub(crate) fn cached(mode: Progress, url: &str, bytes: u64) {
        if mode != Progress::Quiet {
            eprintln!("fetch {url}: in cache ({})", human_bytes(bytes));
        }
    }

    /// A response arrived: the file will be `total` bytes (if known), of
    /// which `position` are already on disk.
    pub(crate) fn response(&mut self, total: Option<u64>, position: u64) {
        self.total = total;
        self.last_step = self.step_of(position);
        if let Some(bar) = &self.bar {
            match total {
                Some(len) => {
                    bar.set_style(bar_style());
                    bar.set_length(len);
                }
                None => bar.set_style(spinner_style()),
            }
            bar.set_position(position);
        }
    }

    /// `position` bytes of the file are now on disk.
    pub(crate) fn advance(&mut self, position: u64) {
        match self.mode {
            Progress::Terminal => {
                if let Some(bar) = &self.bar {
                    bar.set_position(position);
                }
            }
            Progress::Plain => {
                let step = self.step_of(position);
                if step > self.last_step {
                    self.last_step = step;
                    match self.total {
                        Some(total) => eprintln!(
                            "fetch {}: {}% ({} of {})",
                            self.url,
                            step * 10,
                            human_bytes(position),
                            human_bytes(total)
                        ),
                        None => eprintln!("fetch {}: {}", self.url, human_bytes(position)),
                    }
                }
            }
            Progress::Quiet => {}
        }
    }

    /// An attempt failed and another will follow after `delay`.
    pub(crate) fn retry(&self, attempt: u32, delay: Duration, reason: &str) {
        let line = format!(
            "fetch {}: attempt {attempt} failed ({reason}); retrying in {delay:?}",
            self.url
        );
        match (&self.bar, self.mode) {
            (Some(bar), _) => bar.println(line),
            (None, Progress::Plain) => eprintln!("{line}"),
            _ => {}
        }
    }

    /// The download finished and was published.
    pub(crate) fn finish(&mut self, bytes: u64) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        if self.mode != Progress::Quiet {
            eprintln!("fetch {}: done ({})", self.url, human_bytes(bytes));
        }
    }

    /// The fetch failed; the caller reports the error.
    pub(crate) fn abandon(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        if self.mode == Progress::Plain {
            eprintln!("fetch {}: failed", self.url);
        }
    }

    /// The tenth of the total (or step of [`PLAIN_STEP_UNKNOWN`] bytes)
    /// that `position` falls in.
    fn step_of(&self, position: u64) -> u64 {
        match self.total {
            Some(0) => 10,
            Some(total) => (position.min(total).saturating_mul(10)) / total,
            None => position / PLAIN_STEP_UNKNOWN,
        }
    }
}

impl Drop for Report {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template(
        "{spinner} {msg:.dim} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
    )
    .map(|s| s.progress_chars("=> "))
    .unwrap_or_else(|_| ProgressStyle::default_bar())
}

fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg:.dim} {bytes} {bytes_per_sec}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

/// `bytes` in a short human form (`512 B`, `1.5 MiB`).
pub(crate) fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    // Precision loss above 2^53 bytes is irrelevant for display.
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_bytes_formats() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(1023), "1023 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(3 * 1024 * 1024), "3.0 MiB");
    }

    #[test]
    fn plain_steps_are_tenths() {
        let mut report = Report::start(Progress::Quiet, "http://x/y");
        report.response(Some(1000), 0);
        assert_eq!(report.step_of(0), 0);
        assert_eq!(report.step_of(99), 0);
        assert_eq!(report.step_of(100), 1);
        assert_eq!(report.step_of(999), 9);
        assert_eq!(report.step_of(1000), 10);
        assert_eq!(report.step_of(5000), 10);
        report.response(Some(0), 0);
        assert_eq!(report.step_of(0), 10);
    }
}

//! Shared by the golden tests: the Advanced Guide's data and logs from the mirror, and the one
//! check that compares an estimate with the digits a Stata log prints.

#![allow(dead_code)]

use std::path::PathBuf;

use attache_trade::{Column, FittedPpml, Frame, dta, ppml};

/// The Advanced Guide's folder in the mirror.
pub fn guide() -> PathBuf {
    attache_testdata::mirror().join("trade/advanced-guide")
}

/// A `.dta` file of the Guide, read with the crate's reader.
pub fn load(name: &str) -> Frame {
    let path = guide().join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    dta::read(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The lines of a Guide log (1-based: `lines[0]` is empty so `lines[n]` is line n).
pub fn log(name: &str) -> Vec<String> {
    let path = guide().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = vec![String::new()];
    lines.extend(text.lines().map(str::to_string));
    lines
}

/// One unit in the last digit `printed` shows (`.055771` -> 1e-6, `-1379642.5` -> 0.1,
/// `-3.036e+08` -> 1e5).
pub fn last_digit(printed: &str) -> f64 {
    let (mantissa, exp) = match printed.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().expect("exponent")),
        None => (printed, 0),
    };
    let decimals = mantissa.split_once('.').map_or(0, |(_, d)| d.len()) as i32;
    10f64.powi(exp - decimals)
}

/// Collects comparisons of estimates with the digits a log prints, and fails listing every
/// one that is off by more than one unit in its last printed digit.
#[derive(Default)]
pub struct Checker {
    failures: Vec<String>,
    passed: usize,
}

impl Checker {
    /// Compares `got` with `printed`; `cite` names the log file and line.
    pub fn check(&mut self, what: &str, got: f64, printed: &str, cite: &str) {
        self.check_within(what, got, printed, cite, 1.0);
    }

    /// As [`Checker::check`], to `units` of the last printed digit (for the few values the
    /// tests name, with the reason, where Stata's own arithmetic is coarser than its print).
    pub fn check_within(&mut self, what: &str, got: f64, printed: &str, cite: &str, units: f64) {
        let want: f64 = printed
            .parse()
            .unwrap_or_else(|_| panic!("{cite}: `{printed}`"));
        let tol = last_digit(printed) * units;
        if (got - want).abs() <= tol * 1.000_001 {
            self.passed += 1;
        } else {
            self.failures.push(format!(
                "{what}: got {got:.9}, the log prints {printed} ({cite}), off by {:.3e} (tolerance {tol:e})",
                got - want
            ));
        }
    }

    /// Panics listing the failures; returns how many checks passed.
    pub fn finish(self) -> usize {
        assert!(
            self.failures.is_empty(),
            "{} of {} checks failed:\n{}",
            self.failures.len(),
            self.failures.len() + self.passed,
            self.failures.join("\n")
        );
        self.passed
    }
}

/// Checks one value (see [`Checker::check`]).
pub fn check(what: &str, got: f64, printed: &str, cite: &str) {
    let mut c = Checker::default();
    c.check(what, got, printed, cite);
    c.finish();
}

/// One row of a coefficient table in a log: name, coefficient, standard error (as printed).
#[derive(Debug, Clone)]
pub struct LogRow {
    pub line: usize,
    pub name: String,
    pub coef: String,
    pub se: String,
}

/// The coefficient rows of the table printed on lines `from..=to` of a log.
pub fn table(lines: &[String], from: usize, to: usize) -> Vec<LogRow> {
    (from..=to)
        .filter_map(|i| {
            let (name, rest) = lines[i].split_once('|')?;
            let cells: Vec<&str> = rest.split_whitespace().collect();
            if cells.len() != 6 {
                return None;
            }
            cells[0].parse::<f64>().ok()?;
            Some(LogRow {
                line: i,
                name: name.trim().to_string(),
                coef: cells[0].to_string(),
                se: cells[1].to_string(),
            })
        })
        .collect()
}

/// A text column's values.
pub fn text(frame: &Frame, name: &str) -> Vec<String> {
    frame.text(name).unwrap().to_vec()
}

/// Adds a numeric column computed row by row.
pub fn add(frame: &mut Frame, name: &str, f: impl Fn(usize) -> f64) {
    let v: Vec<f64> = (0..frame.rows()).map(f).collect();
    frame.set_num(name, v).unwrap();
}

/// Describes a frame's columns (for failure messages).
pub fn describe(frame: &Frame) -> String {
    frame
        .names()
        .iter()
        .map(|n| match frame.column(n).unwrap() {
            Column::Num(_) => format!("{n}:num"),
            Column::Text(_) => format!("{n}:text"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The log-likelihood and R-squared that Stata's `ppml` prints for a model with an offset: it
/// computes both from the fit *without* the offset (`exp(xb)`), unlike ppmlhdfe and this crate.
pub fn without_offset(fit: &FittedPpml, frame: &Frame, y: &str, offset: &str) -> (f64, f64) {
    let (y, off) = (frame.num(y).unwrap(), frame.num(offset).unwrap());
    let ys: Vec<f64> = fit.rows.iter().map(|&r| y[r]).collect();
    let mu: Vec<f64> = fit
        .rows
        .iter()
        .zip(&fit.fitted)
        .map(|(&r, m)| m / off[r].exp())
        .collect();
    (
        ppml::log_likelihood(&ys, &mu),
        ppml::squared_correlation(&ys, &mu),
    )
}

/// Checks GE iteration summaries against the `summarize dif_change_pi_*` rows a log prints
/// (`Obs Mean Std.Dev. Min Max`), one line per iteration.
pub fn check_iterations(
    c: &mut Checker,
    got: &[attache_trade::IterationSummary],
    lines: &[String],
    log_name: &str,
    at: &[usize],
) {
    assert_eq!(got.len(), at.len(), "iterations (as {log_name})");
    for (k, (&line, s)) in at.iter().zip(got).enumerate() {
        let (_, cells) = lines[line].split_once('|').unwrap();
        let cells: Vec<&str> = cells.split_whitespace().collect();
        let cite = format!("{log_name}:{line}");
        for (name, value, printed) in [
            ("mean", s.mean, cells[1]),
            ("sd", s.sd, cells[2]),
            ("min", s.min, cells[3]),
            ("max", s.max, cells[4]),
        ] {
            c.check(
                &format!("iteration {} {name}", k + 1),
                value,
                printed,
                &cite,
            );
        }
    }
}

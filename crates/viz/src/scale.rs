//! Value axes: linear and `log1p` scales, "nice" tick values, and number formatting for labels.
//!
//! Fatality counts are heavy-tailed (mostly 0, sometimes thousands), so charts can use
//! [`Scale::Log1p`], `y ↦ ln(1 + y)`: it keeps 0 on the axis (a log scale cannot) and spreads
//! 1, 10, 100, 1000 evenly. Its ticks are 0 and powers of ten (with 3, 30, … added when fewer
//! than four ticks would show), and its domain starts at 0: negative values are an error.
//!
//! Linear ticks follow the usual 1-2-5 rule (as d3's `ticks`), and the domain is widened to the
//! enclosing ticks so the top of the axis carries a label.

use std::fmt::Write as _;

/// How values map to positions on a value axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Scale {
    #[default]
    Linear,
    /// `ln(1 + y)`: for counts (values >= 0) spanning several orders of magnitude.
    Log1p,
}

/// A value axis: domain, scale and tick values.
#[derive(Clone, Debug, PartialEq)]
pub struct Ticks {
    pub scale: Scale,
    pub lo: f64,
    pub hi: f64,
    pub values: Vec<f64>,
    /// The spacing of linear ticks (sets the decimals of labels); 1 for log1p.
    pub step: f64,
}

impl Ticks {
    /// Ticks covering `lo..=hi` (data range, finite, `lo <= hi`). For `Log1p`, `lo` must be >= 0
    /// and the axis starts at 0.
    pub fn new(scale: Scale, lo: f64, hi: f64, target: usize) -> Self {
        match scale {
            Scale::Linear => linear(lo, hi, target),
            Scale::Log1p => log1p(hi),
        }
    }

    /// Position of `v` along the axis as a fraction (0 at `lo`, 1 at `hi`).
    pub fn frac(&self, v: f64) -> f64 {
        match self.scale {
            Scale::Linear => (v - self.lo) / (self.hi - self.lo),
            Scale::Log1p => v.max(0.0).ln_1p() / self.hi.ln_1p(),
        }
    }

    /// A tick label.
    pub fn label(&self, v: f64) -> String {
        fmt_number(v, decimals_for(self.step))
    }
}

fn step_for(span: f64, target: usize) -> f64 {
    let raw = span / target.max(1) as f64;
    let p = 10f64.powf(raw.log10().floor());
    let e = raw / p;
    let m = if e >= 50f64.sqrt() {
        10.0
    } else if e >= 10f64.sqrt() {
        5.0
    } else if e >= 2f64.sqrt() {
        2.0
    } else {
        1.0
    };
    m * p
}

fn linear(lo: f64, hi: f64, target: usize) -> Ticks {
    // Spans below 1e-9 (a flat series, or subnormal noise) get a band around the value, so
    // the tick arithmetic never divides by (almost) zero.
    let (lo, hi) = if hi - lo > 1e-9 {
        (lo, hi)
    } else if lo.abs() < 1e-9 && hi.abs() < 1e-9 {
        (0.0, 1.0)
    } else {
        let d = (lo.abs() * 0.1).max(1e-9);
        (lo - d, hi + d)
    };
    let step = step_for(hi - lo, target);
    let (a, b) = ((lo / step).floor(), (hi / step).ceil());
    let values: Vec<f64> = (0..=((b - a) as i64))
        .map(|i| clean((a + i as f64) * step, step))
        .collect();
    Ticks {
        scale: Scale::Linear,
        lo: clean(a * step, step),
        hi: clean(b * step, step),
        values,
        step,
    }
}

/// Rounds away float noise (0.30000000000000004) relative to the step.
fn clean(v: f64, step: f64) -> f64 {
    let d = decimals_for(step) as i32 + 1;
    let f = 10f64.powi(d);
    (v * f).round() / f
}

fn log1p(hi: f64) -> Ticks {
    let hi = hi.max(1.0);
    let decades = hi.log10().ceil().max(0.0) as i32;
    let top = 10f64.powi(decades);
    let mut values = vec![0.0];
    values.extend((0..=decades).map(|k| 10f64.powi(k)));
    if values.len() < 4 {
        values.extend((0..decades).map(|k| 3.0 * 10f64.powi(k)));
        values.sort_by(f64::total_cmp);
    }
    Ticks {
        scale: Scale::Log1p,
        lo: 0.0,
        hi: top,
        values,
        step: 1.0,
    }
}

/// Decimals needed to show multiples of `step` exactly (0 for steps >= 1).
pub fn decimals_for(step: f64) -> usize {
    if !(step.is_finite() && step > 0.0) || step >= 1.0 {
        0
    } else {
        (-step.log10().floor()) as usize
    }
}

/// A number with `decimals` decimals, thousands grouped with commas, a true minus sign (U+2212).
pub fn fmt_number(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s.as_str(), None),
    };
    let mut out = String::new();
    let rounds_to_zero = s.chars().all(|c| c == '0' || c == '.');
    if v < 0.0 && !rounds_to_zero {
        out.push('\u{2212}');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        let _ = write!(out, ".{f}");
    }
    out
}

/// How values are written in legends, labels and default tooltips.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueFormat {
    /// A fraction shown as a percentage: 0.42 → "42%".
    Percent { decimals: usize },
    /// A plain number with thousands separators.
    Number { decimals: usize },
}

impl ValueFormat {
    pub fn format(self, v: f64) -> String {
        match self {
            ValueFormat::Percent { decimals } => format!("{}%", fmt_number(v * 100.0, decimals)),
            ValueFormat::Number { decimals } => fmt_number(v, decimals),
        }
    }

    /// As [`format`](Self::format), with an explicit `+` on positive values (for signed bars).
    pub fn format_signed(self, v: f64) -> String {
        let s = self.format(v);
        if v > 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
            format!("+{s}")
        } else {
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(scale: Scale, lo: f64, hi: f64, expect: &[f64], expect_hi: f64) {
        let t = Ticks::new(scale, lo, hi, 5);
        assert_eq!(t.values, expect, "{scale:?} {lo}..{hi}");
        assert_eq!(t.hi, expect_hi);
    }

    #[test]
    fn ticks() {
        check(
            Scale::Linear,
            0.0,
            87.0,
            &[0.0, 20.0, 40.0, 60.0, 80.0, 100.0],
            100.0,
        );
        check(
            Scale::Linear,
            0.0,
            1.0,
            &[0.0, 0.2, 0.4, 0.6, 0.8, 1.0],
            1.0,
        );
        check(
            Scale::Linear,
            -0.3,
            1.2,
            &[-0.4, -0.2, 0.0, 0.2, 0.4, 0.6, 0.8, 1.0, 1.2],
            1.2,
        );
        check(
            Scale::Linear,
            0.0,
            0.0,
            &[0.0, 0.2, 0.4, 0.6, 0.8, 1.0],
            1.0,
        );
        check(
            Scale::Linear,
            0.0,
            2.2e-308,
            &[0.0, 0.2, 0.4, 0.6, 0.8, 1.0],
            1.0,
        );
        check(
            Scale::Linear,
            50.0,
            50.0,
            &[44.0, 46.0, 48.0, 50.0, 52.0, 54.0, 56.0],
            56.0,
        );
        check(
            Scale::Log1p,
            0.0,
            2500.0,
            &[0.0, 1.0, 10.0, 100.0, 1000.0, 10000.0],
            10000.0,
        );
        check(Scale::Log1p, 0.0, 7.0, &[0.0, 1.0, 3.0, 10.0], 10.0);
        check(Scale::Log1p, 0.0, 0.0, &[0.0, 1.0], 1.0);
    }

    #[test]
    fn numbers() {
        assert_eq!(fmt_number(1234567.0, 0), "1,234,567");
        assert_eq!(fmt_number(-0.25, 2), "\u{2212}0.25");
        assert_eq!(fmt_number(-0.001, 1), "0.0");
        assert_eq!(fmt_number(999.96, 1), "1,000.0");
        assert_eq!(ValueFormat::Percent { decimals: 0 }.format(0.42), "42%");
        assert_eq!(
            ValueFormat::Number { decimals: 2 }.format_signed(0.1),
            "+0.10"
        );
        assert_eq!(
            ValueFormat::Number { decimals: 2 }.format_signed(-0.1),
            "\u{2212}0.10"
        );
        assert_eq!(
            ValueFormat::Number { decimals: 2 }.format_signed(0.0),
            "0.00"
        );
    }
}

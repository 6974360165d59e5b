//! A shift of a series' recent mean against its own baseline: for the mean Goldstein score or
//! tone of a country's events (a fall means more hostile reporting) and the share of conflict
//! events (a rise).
//!
//! On each period `t`, the mean of the last `recent` values (`t` included) is compared with the
//! mean and standard deviation of the `baseline` values before them:
//!
//! ```text
//! z = (mean_recent − mean_base) / (sd_base / √n_recent)
//! ```
//!
//! and the rule fires when `z` passes `z` in the direction asked. Missing periods (no events)
//! are skipped; at least half of each window must be present. The standard error treats the
//! recent values as independent draws from the baseline's spread, a plain two-sample test on
//! period means.

/// Which way a shift matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// A fall (Goldstein, tone).
    Down,
    /// A rise (conflict share).
    Up,
}

/// The rule's parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShiftParams {
    /// Periods in the recent window (7 days).
    pub recent: usize,
    /// Periods in the baseline before it (90 days).
    pub baseline: usize,
    /// The z-score to pass (3).
    pub z: f64,
    pub direction: Direction,
}

impl Default for ShiftParams {
    fn default() -> ShiftParams {
        ShiftParams {
            recent: 7,
            baseline: 90,
            z: 3.0,
            direction: Direction::Down,
        }
    }
}

/// One period's test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShiftStep {
    pub recent_mean: f64,
    pub base_mean: f64,
    pub base_sd: f64,
    pub z: f64,
    pub alarm: bool,
}

/// Runs the test on every period with full windows.
pub fn run(values: &[Option<f64>], p: &ShiftParams) -> Vec<Option<ShiftStep>> {
    let need = p.recent + p.baseline;
    (0..values.len())
        .map(|t| {
            if t + 1 < need || p.recent == 0 || p.baseline < 2 {
                return None;
            }
            let recent: Vec<f64> = values[t + 1 - p.recent..=t]
                .iter()
                .flatten()
                .copied()
                .collect();
            let base: Vec<f64> = values[t + 1 - need..t + 1 - p.recent]
                .iter()
                .flatten()
                .copied()
                .collect();
            if recent.len() * 2 < p.recent || base.len() * 2 < p.baseline || base.len() < 2 {
                return None;
            }
            let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
            let (rm, bm) = (mean(&recent), mean(&base));
            let sd = (base.iter().map(|x| (x - bm).powi(2)).sum::<f64>()
                / (base.len() as f64 - 1.0))
                .sqrt();
            if sd <= 0.0 {
                return None;
            }
            let z = (rm - bm) / (sd / (recent.len() as f64).sqrt());
            let alarm = match p.direction {
                Direction::Down => z <= -p.z,
                Direction::Up => z >= p.z,
            };
            Some(ShiftStep {
                recent_mean: rm,
                base_mean: bm,
                base_sd: sd,
                z,
                alarm,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fall_in_goldstein_fires_down_only() {
        let mut v: Vec<Option<f64>> = (0..90)
            .map(|i| Some(if i % 2 == 0 { 1.0 } else { 2.0 }))
            .collect();
        v.extend([Some(-3.0); 7]);
        let p = ShiftParams::default();
        let r = run(&v, &p);
        assert!(r[..96].iter().all(Option::is_none));
        let last = r[96].unwrap();
        assert!(last.alarm && last.z < -10.0, "{last:?}");
        let up = run(
            &v,
            &ShiftParams {
                direction: Direction::Up,
                ..p
            },
        );
        assert!(!up[96].unwrap().alarm);
        // Too many gaps in the recent window: no test.
        let mut gappy = v.clone();
        for x in &mut gappy[90..94] {
            *x = None;
        }
        assert!(run(&gappy, &p)[96].is_none());
    }
}

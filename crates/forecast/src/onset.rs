//! The annual onset hazard: how likely a country is to have a conflict year (UCDP/PRIO ACD
//! conflict located there, or at least 25 battle deaths in the UCDP BRD series) in year `Y + 1`,
//! given its state in year `Y`. Learned from the long annual history the panel holds (ACD back
//! to 1946, battle deaths from 1989), so it knows about countries whose recent months were quiet:
//! the monthly models see its log-odds as the feature `ann_onset_logit`.
//!
//! The model is a ridge-penalised logistic regression (Newton–Raphson / IRLS, penalty
//! [`RIDGE`] on every coefficient but the intercept) over every country-year `Y` from 1989 to the
//! last year published by the panel's `as_of` minus one, with inputs at `Y`:
//!
//! | input | meaning |
//! |---|---|
//! | `conflict` | 1 if `Y` was a conflict year |
//! | `ln(1 + battle deaths)` | battle deaths located in the country in `Y` |
//! | `ln(1 + years since)` | years since the last conflict year (ACD from 1946; 60 if none) |
//! | `share10` | share of conflict years in `Y - 9 ..= Y` |
//! | `nb_conflict` | 1 if a land neighbour had a conflict year in `Y` |
//! | `ln(1 + neighbours' deaths)` | battle deaths located in land neighbours in `Y` |
//!
//! Everything is deterministic (fixed iteration count, no randomness) and uses only years the
//! caller pushed, which the CLI filters by publication lag.

use crate::panel::Panel;

/// Ridge penalty on the non-intercept coefficients.
pub const RIDGE: f64 = 1.0;
/// Years-since value for a country with no conflict year on record.
const NEVER: f64 = 60.0;
/// Number of inputs (without the intercept).
const K: usize = 6;
/// First year of the training rows (the battle-death series starts in 1989).
const FIRST_YEAR: i32 = 1989;

/// The fitted annual hazard.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnualOnset {
    /// Intercept, then one coefficient per input.
    pub beta: [f64; K + 1],
    /// Training country-years.
    pub n_rows: usize,
    /// Of which followed by a conflict year.
    pub n_events: usize,
}

fn inputs(panel: &Panel, id: u16, year: i32) -> [f64; K] {
    let iso = panel.iso3(id);
    let deaths = |iso: &str, y: i32| {
        panel
            .annual_of(iso)
            .and_then(|a| a.get(&y))
            .copied()
            .unwrap_or(0.0)
    };
    let conflict = f64::from(u8::from(panel.conflict_in(iso, year)));
    let since = (1946..=year)
        .rev()
        .find(|&y| panel.conflict_in(iso, y))
        .map_or(NEVER, |y| f64::from(year - y).min(NEVER));
    let share10 = (year - 9..=year)
        .filter(|&y| panel.conflict_in(iso, y))
        .count() as f64
        / 10.0;
    let (mut nb_any, mut nb_deaths) = (0.0, 0.0);
    for n in panel.neighbours_of(id).unwrap_or(&[]) {
        let niso = panel.iso3(*n);
        if panel.conflict_in(niso, year) {
            nb_any = 1.0;
        }
        nb_deaths += deaths(niso, year);
    }
    [
        conflict,
        libm::log1p(deaths(iso, year)),
        libm::log1p(since),
        share10,
        nb_any,
        libm::log1p(nb_deaths),
    ]
}

fn dot(beta: &[f64; K + 1], x: &[f64; K]) -> f64 {
    beta[0] + x.iter().zip(&beta[1..]).map(|(a, b)| a * b).sum::<f64>()
}

/// Solves `a x = b` for a symmetric positive definite `a` (Cholesky); `None` if not SPD.
fn solve_spd(mut a: [[f64; K + 1]; K + 1], mut b: [f64; K + 1]) -> Option<[f64; K + 1]> {
    let n = K + 1;
    for j in 0..n {
        let d = a[j][j] - a[j][..j].iter().map(|v| v * v).sum::<f64>();
        if d <= 0.0 {
            return None;
        }
        let d = libm::sqrt(d);
        a[j][j] = d;
        for i in j + 1..n {
            let s = a[i][j] - (0..j).map(|k| a[i][k] * a[j][k]).sum::<f64>();
            a[i][j] = s / d;
        }
    }
    for i in 0..n {
        let mut s = b[i];
        for k in 0..i {
            s -= a[i][k] * b[k];
        }
        b[i] = s / a[i][i];
    }
    for i in (0..n).rev() {
        let mut s = b[i];
        for k in i + 1..n {
            s -= a[k][i] * b[k];
        }
        b[i] = s / a[i][i];
    }
    Some(b)
}

impl AnnualOnset {
    /// Fits the hazard on the panel's annual history, `None` when it holds no annual data or
    /// too few events (fewer than 10) to fit.
    pub fn fit(panel: &Panel) -> Option<AnnualOnset> {
        let (_, last) = panel.annual_span()?;
        let mut xs = Vec::new();
        let mut ys = Vec::new();
        for id in panel.countries() {
            for year in FIRST_YEAR..last {
                xs.push(inputs(panel, id, year));
                ys.push(f64::from(u8::from(
                    panel.conflict_in(panel.iso3(id), year + 1),
                )));
            }
        }
        let n_events = ys.iter().filter(|y| **y > 0.0).count();
        if n_events < 10 || n_events == ys.len() {
            return None;
        }
        let mut beta = [0.0; K + 1];
        for _ in 0..30 {
            let mut h = [[0.0; K + 1]; K + 1];
            let mut g = [0.0; K + 1];
            for (x, y) in xs.iter().zip(&ys) {
                let p = 1.0 / (1.0 + libm::exp(-dot(&beta, x)));
                let w = (p * (1.0 - p)).max(1e-12);
                let row: [f64; K + 1] =
                    std::array::from_fn(|i| if i == 0 { 1.0 } else { x[i - 1] });
                for i in 0..=K {
                    g[i] += (y - p) * row[i];
                    for j in 0..=K {
                        h[i][j] += w * row[i] * row[j];
                    }
                }
            }
            for i in 1..=K {
                g[i] -= RIDGE * beta[i];
                h[i][i] += RIDGE;
            }
            let step = solve_spd(h, g)?;
            let mut size: f64 = 0.0;
            for i in 0..=K {
                beta[i] += step[i];
                size = size.max(step[i].abs());
            }
            if size < 1e-10 {
                break;
            }
        }
        Some(AnnualOnset {
            beta,
            n_rows: ys.len(),
            n_events,
        })
    }

    /// Log-odds of a conflict year in `year + 1` for country `id`, from its state in `year`.
    pub fn logit(&self, panel: &Panel, id: u16, year: i32) -> f64 {
        dot(&self.beta, &inputs(panel, id, year))
    }
}

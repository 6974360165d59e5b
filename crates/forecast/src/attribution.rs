//! Attribution: which inputs drive a country's forecast, and words for them.
//!
//! Contributions are perpetual's TreeSHAP-style contributions
//! ([`perpetual::ContributionsMethod::Average`]), computed for the country's present inputs at a
//! chosen horizon, of the **threshold classifier**: the log-odds of 25 or more deaths in a
//! month, which is the probability the pages and `forecast show` headline. For a quiet country
//! (worst recent month below 25) that classifier *is* the shown probability (the onset step of
//! [`crate::dist`]); for an active one the shown probability also takes the country's own recent
//! months, and [`Driver::explained`] says so ([`Explained::ModelShare`]). A positive contribution
//! raises the risk, relative to the average training situation. The horizon itself is never
//! reported. The words set each input's value beside its median among comparable training
//! cases (rows whose worst recent month fell in the same class: none, 1 to 24, 25 or more
//! deaths), so a reader sees "fewer deaths than in comparable cases; against the average training
//! case, this lowers the risk", each comparison with its reference named.

use perpetual::{ContributionsMethod, Matrix};

use crate::features::{self, Histories};
use crate::gbt::{FittedGbt, activity_class, column_major, origins};

/// Who the comparable cases of each activity class are.
const PEERS: [&str; 3] = [
    "countries with no state-based deaths in the last 12 months",
    "countries whose worst month of the last 12 had 1 to 24 deaths",
    "countries with 25 or more deaths in a month of the last 12",
];
use crate::{ForecastError, Panel};

/// What a driver's contribution is measured in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Explained {
    /// Log-odds of 25 or more deaths, which is the whole shown probability (a quiet country).
    WholeProbability,
    /// Log-odds of 25 or more deaths of the model part; the share `1 - w_emp` of the draws
    /// comes from the model, the rest from the country's own recent months.
    ModelShare {
        /// Share of the draws that follow the model.
        share: f64,
    },
}

/// One input's contribution to a forecast.
#[derive(Debug, Clone, PartialEq)]
pub struct Driver {
    /// Machine name of the engineered feature.
    pub feature: String,
    /// Words for it.
    pub label: String,
    /// Its present value in reader units (NaN = missing).
    pub value: f64,
    /// The median of the same input among comparable training cases (those whose worst
    /// recent month fell in the same class as this country's), in reader units (NaN: unknown).
    pub typical: f64,
    /// Who the comparable cases are, in words ("countries with no deaths in the last 12
    /// months").
    pub peers: &'static str,
    /// Signed contribution (positive pushes the forecast up).
    pub contribution: f64,
    /// What the contribution is measured in.
    pub explained: Explained,
}

impl FittedGbt {
    /// The `top_k` drivers (largest absolute contributions) of every country's forecast at
    /// `horizon` months after its last row, ascending country id.
    ///
    /// # Errors
    /// [`ForecastError::EmptyPanel`] for an empty panel.
    pub fn drivers(
        &self,
        panel: &Panel,
        horizon: i32,
        top_k: usize,
    ) -> Result<Vec<(u16, Vec<Driver>)>, ForecastError> {
        let hist = Histories::build(panel);
        let origins = origins(panel, &hist, self.params().empirical_months);
        if origins.is_empty() {
            return Err(ForecastError::EmptyPanel);
        }
        let cols = features::n_features();
        let rows: Vec<Vec<f64>> = origins
            .iter()
            .map(|o| {
                let mut r = o.base.clone();
                r.push(f64::from(horizon));
                r
            })
            .collect();
        let data = column_major(&rows, cols);
        let m = Matrix::new(&data, rows.len(), cols);
        let contrib =
            self.threshold()
                .predict_contributions(&m, ContributionsMethod::Average, false);
        let share = 1.0 - self.params().mixture.w_emp;
        let specs = features::feature_specs();
        let hz = features::horizon_index();
        let mut out = Vec::with_capacity(origins.len());
        for (i, o) in origins.iter().enumerate() {
            let worst = o.empirical.last().copied().unwrap_or(0.0);
            let explained = if worst < crate::EVENT_THRESHOLD {
                Explained::WholeProbability
            } else {
                Explained::ModelShare { share }
            };
            let class = activity_class(worst);
            let row = &contrib[i * (cols + 1)..(i + 1) * (cols + 1)];
            let mut ds: Vec<Driver> = (0..cols)
                .filter(|&j| j != hz && row[j].is_finite() && row[j] != 0.0)
                .map(|j| Driver {
                    feature: specs[j].name.to_string(),
                    label: specs[j].label.to_string(),
                    value: if rows[i][j].is_finite() {
                        specs[j].display_value(rows[i][j])
                    } else {
                        f64::NAN
                    },
                    typical: {
                        let t = self.typical(class, j);
                        if t.is_finite() {
                            specs[j].display_value(t)
                        } else {
                            f64::NAN
                        }
                    },
                    peers: PEERS[class],
                    contribution: row[j],
                    explained,
                })
                .collect();
            ds.sort_by(|a, b| {
                b.contribution
                    .abs()
                    .total_cmp(&a.contribution.abs())
                    .then(a.feature.cmp(&b.feature))
            });
            ds.truncate(top_k);
            out.push((o.id, ds));
        }
        Ok(out)
    }
}

/// A value as a reader reads it: large counts in millions or billions, whole numbers from 10
/// on, two decimals from 1, two significant digits below (recency and index values).
fn fmt_value(v: f64) -> String {
    let a = v.abs();
    if !v.is_finite() {
        "unknown".to_string()
    } else if a >= 1e9 {
        format!("{:.1} billion", v / 1e9)
    } else if a >= 1e6 {
        format!("{:.1} million", v / 1e6)
    } else if a >= 10.0 || (v - v.round()).abs() < 1e-6 {
        format!("{}", v.round() as i64)
    } else if a >= 1.0 {
        format!("{v:.2}")
    } else {
        let decimals = (1 - a.log10().floor() as i32).clamp(2, 6) as usize;
        format!("{v:.decimals$}")
    }
}

/// Whether a label counts things (deaths, events): "more"/"fewer" rather than
/// "higher"/"lower".
fn counts(label: &str) -> bool {
    ["fatalities", "deaths", "events", "months", "years"]
        .iter()
        .any(|w| label.contains(w))
}

/// One sentence per driver for a reader: the input, its value against comparable cases and
/// which way it moves the risk, e.g. "State-based fatalities in the last 24 months: 125, fewer
/// than in comparable cases (median 2031 among countries with 25 or more deaths in a month of
/// the last 12); against the average training case, this raises the risk of 25+ deaths in a
/// month". Both references are named because they differ: comparable cases are the training
/// rows of the same activity class, while a contribution is measured against the average over
/// all training rows (mostly quiet countries), so a value below its class's median can still
/// raise the risk (125 deaths is fewer than most countries at war see, and more than the
/// average country). For an active country a closing sentence says which share of the shown
/// probability the drivers explain.
pub fn describe_drivers(drivers: &[Driver]) -> Vec<String> {
    let mut out: Vec<String> = drivers
        .iter()
        .map(|d| {
            let dir = if d.contribution >= 0.0 {
                "raises"
            } else {
                "lowers"
            };
            let mut label = d.label.clone();
            if let Some(f) = label.get(..1) {
                label = f.to_uppercase() + &label[1..];
            }
            let versus = if !d.value.is_finite() || !d.typical.is_finite() {
                String::new()
            } else {
                let (more, less) = if counts(&d.label) {
                    ("more", "fewer")
                } else {
                    ("higher", "lower")
                };
                let cmp = if fmt_value(d.value) == fmt_value(d.typical) {
                    "about the same as".to_string()
                } else if d.value > d.typical {
                    format!("{more} than")
                } else {
                    format!("{less} than")
                };
                format!(
                    ", {cmp} in comparable cases (median {} among {})",
                    fmt_value(d.typical),
                    d.peers
                )
            };
            format!(
                "{label}: {}{versus}; against the average training case, this {dir} the risk of 25+ deaths in a month",
                fmt_value(d.value)
            )
        })
        .collect();
    if let Some(Explained::ModelShare { share }) = drivers.first().map(|d| d.explained) {
        out.push(format!(
            "these drivers explain the model's part ({:.0}% of the draws); the rest follows the country's own last 12 months",
            share * 100.0
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn driver(label: &str, value: f64, typical: f64, contribution: f64) -> Driver {
        Driver {
            feature: "f".into(),
            label: label.into(),
            value,
            typical,
            peers: PEERS[2],
            contribution,
            explained: Explained::WholeProbability,
        }
    }

    fn check(d: Driver, expect: &str) {
        assert_eq!(describe_drivers(&[d]), vec![expect.to_string()]);
    }

    /// The words a reader gets: the value against comparable cases, then the direction.
    #[test]
    fn drivers_read_against_comparable_cases() {
        check(
            driver(
                "state-based fatalities in the last 24 months",
                125.0,
                2031.0,
                -0.4,
            ),
            "State-based fatalities in the last 24 months: 125, fewer than in comparable cases (median 2031 among countries with 25 or more deaths in a month of the last 12); against the average training case, this lowers the risk of 25+ deaths in a month",
        );
        check(
            driver("liberal democracy index", 0.71, 0.23, -0.1),
            "Liberal democracy index: 0.71, higher than in comparable cases (median 0.23 among countries with 25 or more deaths in a month of the last 12); against the average training case, this lowers the risk of 25+ deaths in a month",
        );
        check(
            driver(
                "months since the last month with 5+ state-based fatalities",
                12.0,
                12.0,
                0.2,
            ),
            "Months since the last month with 5+ state-based fatalities: 12, about the same as in comparable cases (median 12 among countries with 25 or more deaths in a month of the last 12); against the average training case, this raises the risk of 25+ deaths in a month",
        );
        check(
            driver("liberal democracy index", 0.0012, 0.0049, -0.3),
            "Liberal democracy index: 0.0012, lower than in comparable cases (median 0.0049 among countries with 25 or more deaths in a month of the last 12); against the average training case, this lowers the risk of 25+ deaths in a month",
        );
        check(
            driver(
                "battle deaths in the worst year of the last ten",
                0.0,
                72.999999,
                -0.3,
            ),
            "Battle deaths in the worst year of the last ten: 0, fewer than in comparable cases (median 73 among countries with 25 or more deaths in a month of the last 12); against the average training case, this lowers the risk of 25+ deaths in a month",
        );
        check(
            driver("population", f64::NAN, 1e6, 0.2),
            "Population: unknown; against the average training case, this raises the risk of 25+ deaths in a month",
        );
    }
}

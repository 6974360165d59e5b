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
//! reported.

use perpetual::{ContributionsMethod, Matrix};

use crate::features::{self, Histories};
use crate::gbt::{FittedGbt, column_major, origins};
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

fn fmt_value(v: f64) -> String {
    if !v.is_finite() {
        "unknown".to_string()
    } else if v.abs() >= 1e9 {
        format!("{:.1} billion", v / 1e9)
    } else if v.abs() >= 1e6 {
        format!("{:.1} million", v / 1e6)
    } else if v.abs() >= 100.0 || (v.fract() == 0.0) {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.2}")
    }
}

/// One sentence per driver, e.g. "state-based fatalities in the last 3 months (412) raise the
/// risk of 25+ deaths", and for an active country a closing sentence on the share the drivers
/// explain.
pub fn describe_drivers(drivers: &[Driver]) -> Vec<String> {
    let mut out: Vec<String> = drivers
        .iter()
        .map(|d| {
            let dir = if d.contribution >= 0.0 {
                "raises"
            } else {
                "lowers"
            };
            format!(
                "{} ({}) {} the risk of 25+ deaths in a month, compared with the average case",
                d.label,
                fmt_value(d.value),
                dir
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

//! Attribution: which inputs drive a country's forecast, and words for them.
//!
//! Contributions are perpetual's TreeSHAP-style contributions
//! ([`perpetual::ContributionsMethod::Average`]), computed for the country's present inputs at a
//! chosen horizon. The model has two parts, so the explained quantity depends on the country:
//! where the classifier gives `P(fatalities) < 0.5`, the drivers explain the **log-odds of any
//! fatalities**; otherwise they explain the **expected log fatalities** of the regressor. Either
//! way a positive contribution pushes the forecast up. The horizon itself is never reported.

use perpetual::{ContributionsMethod, Matrix};

use crate::features::{self, Histories};
use crate::gbt::{FittedGbt, column_major, origins};
use crate::{ForecastError, Panel};

/// What a driver's contribution is measured in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Explained {
    /// Log-odds of at least one fatality.
    ChanceOfFatalities,
    /// `ln(1 + fatalities)` given fatalities.
    Magnitude,
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
        let p_logit = self.classifier().predict(&m, false);
        let c_occ =
            self.classifier()
                .predict_contributions(&m, ContributionsMethod::Average, false);
        let c_mag = self
            .regressor()
            .predict_contributions(&m, ContributionsMethod::Average, false);
        let specs = features::feature_specs();
        let hz = features::horizon_index();
        let mut out = Vec::with_capacity(origins.len());
        for (i, o) in origins.iter().enumerate() {
            let (contrib, explained) = if p_logit[i] < 0.0 {
                (&c_occ, Explained::ChanceOfFatalities)
            } else {
                (&c_mag, Explained::Magnitude)
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

/// One sentence per driver, e.g. "state-based fatalities in the last 3 months (412) push the
/// forecast up".
pub fn describe_drivers(drivers: &[Driver]) -> Vec<String> {
    drivers
        .iter()
        .map(|d| {
            let dir = if d.contribution >= 0.0 { "up" } else { "down" };
            let what = match d.explained {
                Explained::ChanceOfFatalities => "the chance of fatalities",
                Explained::Magnitude => "the forecast",
            };
            format!("{} ({}) push {} {}", d.label, fmt_value(d.value), what, dir)
        })
        .collect()
}

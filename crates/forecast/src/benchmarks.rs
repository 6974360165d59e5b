//! The ViEWS benchmarks as [`Forecaster`]s, wrapping `attache_scoring::benchmarks`.
//!
//! Each uses the countries' observed `ged_sb` months up to the panel's `as_of`:
//!
//! | forecaster | draws of every month of the window |
//! | --- | --- |
//! | [`Zero`] | all 0 |
//! | [`LastHistoricalPoisson`] | Poisson(λ = the country's last observed month) |
//! | [`GlobalBootstrap`] | resampled from all countries' last 12 observed months |
//! | [`Conflictology`] | the country's last 12 observed months: draw `i` = `last12[i % 12]` |
//!
//! Randomness is keyed on (seed, country id, month), so a country's draws do not depend on
//! which other countries are in the panel.

use std::ops::RangeInclusive;

use attache_core::MonthId;
use attache_scoring::benchmarks as bm;

use crate::{ForecastError, ForecastRow, Forecaster, Panel, check_request};

/// Observed history of every country with at least one observed month (ascending id).
fn histories(panel: &Panel) -> Vec<(u16, Vec<f64>)> {
    panel
        .countries()
        .into_iter()
        .map(|id| {
            (
                id,
                panel
                    .ged_sb_history(id)
                    .into_iter()
                    .map(|(_, v)| v)
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|(_, h)| !h.is_empty())
        .collect()
}

fn stream(id: u16, month: i32) -> u64 {
    (u64::from(id) << 32) | u64::from(month as u32)
}

fn run(
    panel: &Panel,
    months: RangeInclusive<MonthId>,
    n_draws: usize,
    mut f: impl FnMut(u16, i32, &[f64]) -> Result<Vec<f64>, bm::BenchmarkError>,
) -> Result<Vec<ForecastRow>, ForecastError> {
    check_request(panel, &months, n_draws)?;
    let mut out = Vec::new();
    for (id, h) in histories(panel) {
        for m in months.start().through(*months.end()) {
            let draws = f(id, m.0, &h).map_err(|e| ForecastError::Gbt(e.to_string()))?;
            out.push(ForecastRow {
                views_id: id,
                iso3: panel.iso3(id).to_string(),
                month_id: m,
                draws,
            });
        }
    }
    Ok(out)
}

/// All-zero draws.
#[derive(Debug, Clone, Copy, Default)]
pub struct Zero;

impl Forecaster for Zero {
    fn name(&self) -> &str {
        "zero"
    }
    fn forecast(
        &self,
        panel: &Panel,
        months: RangeInclusive<MonthId>,
        n: usize,
        _seed: u64,
    ) -> Result<Vec<ForecastRow>, ForecastError> {
        run(panel, months, n, |_, _, _| Ok(bm::zero(n)))
    }
}

/// Poisson draws around the last observed month.
#[derive(Debug, Clone, Copy, Default)]
pub struct LastHistoricalPoisson;

impl Forecaster for LastHistoricalPoisson {
    fn name(&self) -> &str {
        "last_historical_poisson"
    }
    fn forecast(
        &self,
        panel: &Panel,
        months: RangeInclusive<MonthId>,
        n: usize,
        seed: u64,
    ) -> Result<Vec<ForecastRow>, ForecastError> {
        run(panel, months, n, |id, m, h| {
            let mut rng = bm::seeded_rng(seed, stream(id, m));
            bm::last_historical_poisson(h, n, &mut rng)
        })
    }
}

/// Draws resampled from every country's last 12 observed months.
#[derive(Debug, Clone, Copy, Default)]
pub struct GlobalBootstrap;

impl Forecaster for GlobalBootstrap {
    fn name(&self) -> &str {
        "global_bootstrap"
    }
    fn forecast(
        &self,
        panel: &Panel,
        months: RangeInclusive<MonthId>,
        n: usize,
        seed: u64,
    ) -> Result<Vec<ForecastRow>, ForecastError> {
        let hs = histories(panel);
        let pool = bm::bootstrap_pool(hs.iter().map(|(_, h)| h.as_slice()), bm::HISTORY_MONTHS);
        run(panel, months, n, |id, m, _| {
            let mut rng = bm::seeded_rng(seed, stream(id, m));
            bm::global_bootstrap(&pool, n, &mut rng)
        })
    }
}

/// The country's last 12 observed months as its draws.
#[derive(Debug, Clone, Copy, Default)]
pub struct Conflictology;

impl Forecaster for Conflictology {
    fn name(&self) -> &str {
        "conflictology"
    }
    fn forecast(
        &self,
        panel: &Panel,
        months: RangeInclusive<MonthId>,
        n: usize,
        _seed: u64,
    ) -> Result<Vec<ForecastRow>, ForecastError> {
        run(panel, months, n, |_, _, h| bm::conflictology(h, n))
    }
}

/// The four benchmarks, boxed, in the ViEWS order.
pub fn all() -> Vec<Box<dyn Forecaster>> {
    vec![
        Box::new(Zero),
        Box::new(LastHistoricalPoisson),
        Box::new(GlobalBootstrap),
        Box::new(Conflictology),
    ]
}

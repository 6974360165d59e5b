//! Satellite signals for a country page (issue 15, "signals beyond events"): night lights
//! (`night_lights`, the country's near-nadir Black Marble sum and its `anomaly_log`) and gas
//! flaring (`gas_flaring`, the volume of every segment a release gives, summed per year, and its
//! change on the year before). Both are annual. Read once per vintage; a vintage without a table
//! simply has no rows of it (the section says so).

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow::array::{Array, Float64Array, Int64Array, StringArray};
use arrow::record_batch::RecordBatch;

use crate::AppState;
use crate::error::AppError;

/// The product a country page shows: near-nadir is the one Black Marble's country series use.
pub const NIGHT_LIGHTS_PRODUCT: &str = "VNP46A4_NearNadir_Composite_Snow_Free";

/// One year of a signal: the value, and its anomaly (night lights: log change against the
/// mean of the earlier years; gas flaring: change in BCM on the year before).
#[derive(Debug, Clone, PartialEq)]
pub struct SignalYear {
    pub year: i32,
    pub value: f64,
    pub change: Option<f64>,
}

/// Both signals of every country of a vintage, by ISO3, years ascending.
#[derive(Debug, Default)]
pub struct Signals {
    pub night_lights: BTreeMap<String, Vec<SignalYear>>,
    pub gas_flaring: BTreeMap<String, Vec<SignalYear>>,
}

impl Signals {
    /// The last `n` years of a country's night lights and gas flaring.
    pub fn of(&self, iso3: &str, n: usize) -> (Vec<SignalYear>, Vec<SignalYear>) {
        let last = |m: &BTreeMap<String, Vec<SignalYear>>| {
            m.get(iso3)
                .map(|v| v[v.len().saturating_sub(n)..].to_vec())
                .unwrap_or_default()
        };
        (last(&self.night_lights), last(&self.gas_flaring))
    }
}

/// One row of a signal query: ISO3, year, value, change.
type SignalRow = (String, i32, f64, Option<f64>);

fn rows(batches: &[RecordBatch]) -> Result<Vec<SignalRow>, AppError> {
    let mut out = Vec::new();
    for b in batches {
        let col = |i: usize| b.column(i).as_any();
        let iso = col(0)
            .downcast_ref::<StringArray>()
            .ok_or_else(|| AppError::internal("signal iso3 is not text"))?;
        let year = col(1)
            .downcast_ref::<Int64Array>()
            .ok_or_else(|| AppError::internal("signal year is not Int64"))?;
        let value = col(2)
            .downcast_ref::<Float64Array>()
            .ok_or_else(|| AppError::internal("signal value is not a number"))?;
        let change = col(3)
            .downcast_ref::<Float64Array>()
            .ok_or_else(|| AppError::internal("signal change is not a number"))?;
        for i in 0..b.num_rows() {
            if iso.is_null(i) || value.is_null(i) {
                continue;
            }
            out.push((
                iso.value(i).to_string(),
                year.value(i) as i32,
                value.value(i),
                (!change.is_null(i)).then(|| change.value(i)),
            ));
        }
    }
    Ok(out)
}

/// The signals of the current vintage (once per vintage).
pub async fn signals(state: &AppState) -> Result<Arc<Signals>, AppError> {
    let v = state.vintage()?;
    let id = v.id.clone();
    if let Some(d) = state
        .signals
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&id)
    {
        return Ok(d);
    }
    let tables = v.tables().map_err(AppError::internal)?;
    let has = |t: &str| tables.iter().any(|x| x == t);
    let lights = if has("night_lights") {
        rows(
            &v.sql(&format!(
                "select iso3, year, ntl_sum, anomaly_log from night_lights \
                 where level = 'adm0' and product = '{NIGHT_LIGHTS_PRODUCT}' and iso3 is not null \
                 order by iso3, year"
            ))
            .await
            .map_err(AppError::internal)?,
        )?
    } else {
        Vec::new()
    };
    let flaring = if has("gas_flaring") {
        rows(
            &v.sql(
                "select iso3, year, sum(bcm) as bcm, cast(null as double) as change from gas_flaring \
                 where iso3 is not null group by iso3, year order by iso3, year",
            )
            .await
            .map_err(AppError::internal)?,
        )?
    } else {
        Vec::new()
    };
    crate::climate::cached(&state.work, &state.signals, id, move || {
        let mut s = Signals::default();
        for (iso3, year, value, change) in lights {
            s.night_lights.entry(iso3).or_default().push(SignalYear {
                year,
                value,
                change,
            });
        }
        for (iso3, year, value, _) in flaring {
            let series = s.gas_flaring.entry(iso3).or_default();
            let change = series
                .last()
                .filter(|p| p.year == year - 1)
                .map(|p| value - p.value);
            series.push(SignalYear {
                year,
                value,
                change,
            });
        }
        Ok(s)
    })
    .await
}

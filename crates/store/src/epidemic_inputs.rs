//! The epidemic simulator's inputs read from a vintage: OpenFlights airports (with their
//! resolved `iso3`) and routes, and populations from the World Bank's WDI (`indicators`,
//! SP.POP.TOTL). [`AirRows::as_of`] keeps, per country, the latest population figure public
//! at a run's start (WDI's declared publication lag), so a run dated 2019-12-01 uses the 2018
//! figures. `attache epidemic`, `attache brief predict --model epidemic` and the server read
//! through here; `attache_epidemic::air` turns the rows into a network (no IO there).

use std::collections::BTreeMap;

use attache_core::{Date, SourceId};
use attache_epidemic::air::{AirInputs, Airport, Route};

use crate::cells::{floats, ints, need, require_tables, strings};
use crate::panel_inputs::year_public;
use crate::{Result, Vintage, query};

/// Tables the network needs, and the source that writes each.
pub const NEEDED: [(&str, SourceId); 3] = [
    ("airports", SourceId::OPENFLIGHTS),
    ("routes", SourceId::OPENFLIGHTS),
    ("indicators", SourceId::WORLDBANK_WDI),
];

/// Airports with a country and a location.
pub const SQL_AIRPORTS: &str = "SELECT airport_id, iso3, iata, icao, latitude, longitude \
     FROM airports WHERE iso3 IS NOT NULL AND latitude IS NOT NULL AND longitude IS NOT NULL \
     ORDER BY airport_id";
/// Routes between two known airport ids.
pub const SQL_ROUTES: &str = "SELECT source_airport_id, destination_airport_id FROM routes \
     WHERE source_airport_id IS NOT NULL AND destination_airport_id IS NOT NULL";
/// Population figures of every country and year.
pub const SQL_POPULATION: &str = "SELECT iso3, year, max(value) AS value FROM indicators \
     WHERE indicator = 'SP.POP.TOTL' AND iso3 IS NOT NULL AND value IS NOT NULL AND value > 0 \
     GROUP BY iso3, year ORDER BY iso3, year";

/// The rows of one vintage, before a run's date picks the population year.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AirRows {
    /// Airports with a resolved country.
    pub airports: Vec<Airport>,
    /// Routes.
    pub routes: Vec<Route>,
    /// (iso3, year, population).
    pub population: Vec<(String, i32, f64)>,
}

impl AirRows {
    /// The inputs for a run starting on `start`: per country the latest population figure
    /// public by then (WDI's lag, `attache_sources`); `None`: the latest figure of all.
    pub fn as_of(&self, start: Option<Date>) -> AirInputs {
        let mut population: BTreeMap<String, (u64, i32)> = BTreeMap::new();
        for (iso3, year, value) in &self.population {
            if let Some(s) = start
                && year_public(SourceId::WORLDBANK_WDI, *year) > s.month_id()
            {
                continue;
            }
            let e = population.entry(iso3.clone()).or_insert((0, i32::MIN));
            if *year > e.1 {
                *e = (value.round() as u64, *year);
            }
        }
        population.retain(|_, (p, _)| *p > 0);
        AirInputs {
            airports: self.airports.clone(),
            routes: self.routes.clone(),
            population,
        }
    }
}

/// Every row the network needs, from `v`; a missing table names the source that writes it.
pub async fn air_rows(v: &Vintage) -> Result<AirRows> {
    require_tables(v, &NEEDED)?;
    let ctx = v.session().await?;
    let mut rows = AirRows::default();

    let sql = SQL_AIRPORTS;
    let b = query(&ctx, sql).await?;
    let (id, iso, iata, icao, lat, lon) = (
        ints(&b, "airport_id", sql)?,
        strings(&b, "iso3", sql)?,
        strings(&b, "iata", sql)?,
        strings(&b, "icao", sql)?,
        floats(&b, "latitude", sql)?,
        floats(&b, "longitude", sql)?,
    );
    for i in 0..id.len() {
        rows.airports.push(Airport {
            id: need(id[i], "airport_id", sql, i)?,
            iso3: need(iso[i].clone(), "iso3", sql, i)?,
            iata: iata[i].clone(),
            icao: icao[i].clone(),
            latitude: need(lat[i], "latitude", sql, i)?,
            longitude: need(lon[i], "longitude", sql, i)?,
        });
    }

    let sql = SQL_ROUTES;
    let b = query(&ctx, sql).await?;
    let (from, to) = (
        ints(&b, "source_airport_id", sql)?,
        ints(&b, "destination_airport_id", sql)?,
    );
    for i in 0..from.len() {
        rows.routes.push(Route {
            from: need(from[i], "source_airport_id", sql, i)?,
            to: need(to[i], "destination_airport_id", sql, i)?,
        });
    }

    let sql = SQL_POPULATION;
    let b = query(&ctx, sql).await?;
    let (iso, year, value) = (
        strings(&b, "iso3", sql)?,
        ints(&b, "year", sql)?,
        floats(&b, "value", sql)?,
    );
    for i in 0..iso.len() {
        rows.population.push((
            need(iso[i].clone(), "iso3", sql, i)?,
            need(year[i], "year", sql, i)? as i32,
            need(value[i], "value", sql, i)?,
        ));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use arrow::array::{Array, ArrayRef, Float64Array, Int64Array, StringArray};
    use arrow::datatypes::{Field, Schema};
    use arrow::record_batch::RecordBatch;

    use crate::{Lockfile, Store};

    fn batch(cols: Vec<(&str, ArrayRef)>) -> RecordBatch {
        let fields: Vec<Field> = cols
            .iter()
            .map(|(n, a)| Field::new(*n, a.data_type().clone(), true))
            .collect();
        RecordBatch::try_new(
            Arc::new(Schema::new(fields)),
            cols.into_iter().map(|(_, a)| a).collect(),
        )
        .unwrap()
    }

    fn strs(v: &[Option<&str>]) -> ArrayRef {
        Arc::new(StringArray::from(v.to_vec()))
    }

    fn i64s(v: Vec<Option<i64>>) -> ArrayRef {
        Arc::new(Int64Array::from(v))
    }

    fn f64s(v: Vec<f64>) -> ArrayRef {
        Arc::new(Float64Array::from(v))
    }

    /// A vintage with three airports in two countries, four routes and populations of two
    /// years; which year a run sees follows WDI's lag (7 months after the year ends).
    #[test]
    fn rows_and_population_as_of() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut s = store.begin("v1").unwrap();
        s.write_table(
            "airports",
            &[batch(vec![
                ("airport_id", i64s(vec![Some(1), Some(2), Some(3), Some(4)])),
                ("iso3", strs(&[Some("FRA"), Some("FRA"), Some("DEU"), None])),
                ("iata", strs(&[Some("CDG"), None, Some("FRA"), Some("XXX")])),
                (
                    "icao",
                    strs(&[Some("LFPG"), Some("LFPO"), Some("EDDF"), None]),
                ),
                ("latitude", f64s(vec![49.0, 48.7, 50.0, 0.0])),
                ("longitude", f64s(vec![2.5, 2.4, 8.6, 0.0])),
            ])],
        )
        .unwrap();
        s.write_table(
            "routes",
            &[batch(vec![
                (
                    "source_airport_id",
                    i64s(vec![Some(1), Some(3), Some(1), None]),
                ),
                (
                    "destination_airport_id",
                    i64s(vec![Some(3), Some(1), Some(2), Some(1)]),
                ),
            ])],
        )
        .unwrap();
        s.write_table(
            "indicators",
            &[batch(vec![
                (
                    "iso3",
                    strs(&[Some("FRA"), Some("FRA"), Some("DEU"), Some("DEU")]),
                ),
                (
                    "indicator",
                    strs(&[
                        Some("SP.POP.TOTL"),
                        Some("SP.POP.TOTL"),
                        Some("SP.POP.TOTL"),
                        Some("NY.GDP.MKTP.CD"),
                    ]),
                ),
                (
                    "year",
                    i64s(vec![Some(2018), Some(2019), Some(2019), Some(2019)]),
                ),
                ("value", f64s(vec![66.9e6, 67.2e6, 83.1e6, 3.9e12])),
            ])],
        )
        .unwrap();
        let v = s.publish(&Lockfile::default()).unwrap();
        let rt = tokio::runtime::Runtime::new().unwrap();
        let rows = rt.block_on(air_rows(&v)).unwrap();
        assert_eq!(
            rows.airports.len(),
            3,
            "the airport without a country is left out"
        );
        assert_eq!(rows.airports[1].iata, None);
        assert_eq!(
            rows.routes.len(),
            3,
            "the route without an origin is left out"
        );
        assert_eq!(rows.population.len(), 3, "GDP is not a population");
        // WDI 2019 is public in July 2020: a run of 2020-03 sees 2018 for France, nothing
        // for Germany; a run of 2020-08 sees 2019 for both.
        let early = rows.as_of(Some("2020-03-01".parse().unwrap()));
        assert_eq!(early.population.get("FRA"), Some(&(66_900_000, 2018)));
        assert_eq!(early.population.get("DEU"), None);
        let late = rows.as_of(Some("2020-08-01".parse().unwrap()));
        assert_eq!(late.population.get("FRA"), Some(&(67_200_000, 2019)));
        assert_eq!(late.population.get("DEU"), Some(&(83_100_000, 2019)));
        assert_eq!(rows.as_of(None), late);
    }

    #[test]
    fn a_missing_table_names_its_source() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let s = store.begin("v1").unwrap();
        let v = s.publish(&Lockfile::default()).unwrap();
        let rt = tokio::runtime::Runtime::new().unwrap();
        let e = rt.block_on(air_rows(&v)).unwrap_err().to_string();
        assert!(e.contains("`airports`") && e.contains("openflights"), "{e}");
    }
}

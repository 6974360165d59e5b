//! OpenFlights airports and routes (`airports.dat`, `routes.dat`, and `countries.dat` for the
//! country names those use), comma-separated with no header and `\N` for null. Column names are
//! OpenFlights' own (https://openflights.org/data.php).

use std::collections::HashMap;

use attache_core::Scheme;

use crate::delimited::{Delimited, Layout, RowOutcome, to_table};
use crate::error::Result;
use crate::table::{ColType, FileStats, Value};
use crate::{FileSpec, Input, Lag, Loaded, Source, SourceMeta, input};

const NULLS: &[&str] = &["\\N", ""];

pub const AIRPORT_COLUMNS: &[&str] = &[
    "airport_id",
    "name",
    "city",
    "country",
    "iata",
    "icao",
    "latitude",
    "longitude",
    "altitude",
    "timezone",
    "dst",
    "tz_database_time_zone",
    "type",
    "source",
];
pub const ROUTE_COLUMNS: &[&str] = &[
    "airline",
    "airline_id",
    "source_airport",
    "source_airport_id",
    "destination_airport",
    "destination_airport_id",
    "codeshare",
    "stops",
    "equipment",
];
const COUNTRY_COLUMNS: &[&str] = &["name", "iso_code", "dafif_code"];

pub struct OpenFlights(SourceMeta);

impl OpenFlights {
    pub fn new() -> OpenFlights {
        OpenFlights(SourceMeta {
            id: attache_core::SourceId::OPENFLIGHTS,
            title: "OpenFlights airports and routes",
            publisher: "OpenFlights.org",
            licence: "Open Database License (ODbL) 1.0",
            citation: "OpenFlights (2017) Airport, airline and route data. https://openflights.org/data.php",
            homepage: "https://openflights.org/data.php",
            lag: Lag::Reference,
            files: vec![
                FileSpec::new("openflights/countries.dat", "https://raw.githubusercontent.com/jpatokal/openflights/master/data/countries.dat").at_least(200),
                FileSpec::new("openflights/airports.dat", "https://raw.githubusercontent.com/jpatokal/openflights/master/data/airports.dat").at_least(7000),
                FileSpec::new("openflights/routes.dat", "https://raw.githubusercontent.com/jpatokal/openflights/master/data/routes.dat").at_least(60_000),
            ],
            tables: &["airports", "routes"],
        })
    }
}

fn layout(cols: &[&str]) -> Layout {
    Layout {
        columns: Some(cols.iter().map(|c| c.to_string()).collect()),
        ..Layout::csv()
    }
}

impl Source for OpenFlights {
    fn meta(&self) -> &SourceMeta {
        &self.0
    }
    fn load(&self, inputs: &[Input]) -> Result<Loaded> {
        let mut out = Loaded::default();
        // Country name -> ISO alpha-2, from OpenFlights' own list.
        let mut names: HashMap<String, String> = HashMap::new();
        if let Some(inp) = input(inputs, "openflights/countries.dat") {
            let d = Delimited::parse(&inp.name, &inp.bytes, &layout(COUNTRY_COLUMNS))?;
            let mut stats = FileStats::default();
            for rec in &d.records {
                stats.rows_read += 1;
                if let (Some(n), Some(c)) = (rec.fields.get(0), rec.fields.get(1))
                    && !c.is_empty()
                    && c != "\\N"
                {
                    names.insert(n.to_string(), c.to_string());
                }
                stats.rows_loaded += 1;
            }
            out.file(&inp.name, stats);
        }
        if let Some(inp) = input(inputs, "openflights/airports.dat") {
            let d = Delimited::parse(&inp.name, &inp.bytes, &layout(AIRPORT_COLUMNS))?;
            let types = [
                ("airport_id", ColType::Int),
                ("latitude", ColType::Float),
                ("longitude", ColType::Float),
                ("altitude", ColType::Int),
                ("timezone", ColType::Float),
            ];
            let mut stats = FileStats::default();
            let mut unresolved = std::collections::BTreeSet::new();
            let tb = to_table(
                "airports",
                &d,
                &types,
                &[("iso3", ColType::Text)],
                NULLS,
                &mut stats,
                |row| {
                    let country = row.get("country")?;
                    let iso = names
                        .get(country)
                        .and_then(|a2| super::cw().lookup(Scheme::Iso2, a2).ok())
                        .or_else(|| super::cw().lookup(Scheme::Name, country).ok())
                        .map(|c| c.iso3.clone());
                    if iso.is_none() {
                        unresolved.insert(country.to_string());
                    }
                    Ok(RowOutcome::Keep(vec![Value::opt_text(iso)]))
                },
            )?;
            for u in unresolved {
                stats.adjust(format!(
                    "country name without ISO3 kept with iso3 null: {u}"
                ));
            }
            out.add("airports", tb.finish()?);
            out.file(&inp.name, stats);
        }
        if let Some(inp) = input(inputs, "openflights/routes.dat") {
            let d = Delimited::parse(&inp.name, &inp.bytes, &layout(ROUTE_COLUMNS))?;
            let types = [
                ("airline_id", ColType::Int),
                ("source_airport_id", ColType::Int),
                ("destination_airport_id", ColType::Int),
                ("stops", ColType::Int),
            ];
            let mut stats = FileStats::default();
            let tb = to_table("routes", &d, &types, &[], NULLS, &mut stats, |_| {
                Ok(RowOutcome::Keep(vec![]))
            })?;
            out.add("routes", tb.finish()?);
            out.file(&inp.name, stats);
        }
        Ok(out)
    }
}

//! Forced displacement: UNHCR's Refugee Population Statistics Database as published in its R
//! package `refugees` (PopulationStatistics/refugees on GitHub: `data/population.rda`,
//! `data/idmc.rda`, R data frames read by the strict reader in [`crate::rdata`]).
//!
//! - `displacement` (from `population.rda`): one row per year, country of origin and country of
//!   asylum, the stocks UNHCR reports (refugees, asylum-seekers, returned refugees, IDPs of
//!   concern to UNHCR, returned IDPs, stateless persons, others of concern, other people in need
//!   of international protection, host communities). `origin_iso3` and `asylum_iso3` are the
//!   crosswalk's ISO3 for the published `coo_iso` / `coa_iso`; UNHCR's own codes for no country
//!   (`UNK` unknown, `XXA` stateless) stay null and are counted.
//! - `idmc_idps` (from `idmc.rda`): the Internal Displacement Monitoring Centre's stock of
//!   people internally displaced by conflict and violence, per year and country, as UNHCR
//!   redistributes it.
//!
//! A warning signal with a lag: UNHCR's Global Trends appears in June for the year before.

use attache_core::Scheme;

use crate::error::{Result, SourceError};
use crate::rdata::{DataFrame, read_rdata};
use crate::table::{ColType, FileStats, TableBuilder, Value};
use crate::{FileSpec, Input, Lag, Loaded, Source, SourceMeta, input};

pub struct Displacement(SourceMeta);

const POPULATION: &str = "displacement/population.rda";
const IDMC: &str = "displacement/idmc.rda";

/// The stock columns of `population`, in order.
const STOCKS: [&str; 9] = [
    "refugees",
    "asylum_seekers",
    "returned_refugees",
    "idps",
    "returned_idps",
    "stateless",
    "ooc",
    "oip",
    "hst",
];

impl Displacement {
    pub fn new() -> Displacement {
        Displacement(SourceMeta {
            id: attache_core::SourceId::DISPLACEMENT,
            title: "UNHCR Refugee Population Statistics (refugees, asylum-seekers, IDPs, stateless) and IDMC conflict IDPs",
            publisher: "UNHCR, Refugee Population Statistics Database (R package `refugees`); IDMC via UNHCR",
            licence: "CC BY 4.0",
            citation: "UNHCR (2025) Refugee Population Statistics Database, R package `refugees` 2025.12.1, https://github.com/PopulationStatistics/refugees",
            homepage: "https://www.unhcr.org/refugee-statistics/",
            // Global Trends is released in June for the year before.
            lag: Lag::AfterYear { months: 6 },
            files: vec![
                FileSpec::new(
                    POPULATION,
                    "https://raw.githubusercontent.com/PopulationStatistics/refugees/main/data/population.rda",
                )
                .at_least(100_000),
                FileSpec::new(
                    IDMC,
                    "https://raw.githubusercontent.com/PopulationStatistics/refugees/main/data/idmc.rda",
                )
                .at_least(500),
            ],
            tables: &["displacement", "idmc_idps"],
        })
    }
}

fn format_err(file: &str, message: String) -> SourceError {
    SourceError::Format {
        file: file.to_string(),
        message,
    }
}

/// The one data frame of an `.rda` file.
fn frame(inp: &Input) -> Result<DataFrame> {
    let file = inp.name.as_str();
    let mut objs = read_rdata(&inp.bytes).map_err(|e| format_err(file, e.to_string()))?;
    if objs.len() != 1 {
        return Err(format_err(
            file,
            format!("expected one data frame, found {} objects", objs.len()),
        ));
    }
    let (_, obj) = objs.remove(0);
    DataFrame::from_object(obj).map_err(|e| format_err(file, e.to_string()))
}

/// Column `name` of `df` as whole numbers (NA → `None`); a fraction is an error naming the row.
fn ints(df: &DataFrame, file: &str, name: &str) -> Result<Vec<Option<i64>>> {
    df.whole_numbers(name).map_err(|m| format_err(file, m))
}

fn texts(df: &DataFrame, file: &str, name: &str) -> Result<Vec<Option<String>>> {
    let c = df
        .column(name)
        .map_err(|e| format_err(file, e.to_string()))?;
    Ok((0..df.rows).map(|i| c.text(i)).collect())
}

/// The crosswalk's ISO3 of a published ISO code; `None` (counted) for UNHCR's codes for no
/// country.
fn iso3(code: Option<&str>, stats: &mut FileStats, field: &str) -> Option<String> {
    let code = code?.trim();
    match super::cw().lookup(Scheme::Iso3, code) {
        Ok(c) => Some(c.iso3.clone()),
        Err(_) => {
            stats.adjust(format!(
                "{field} {code:?} is no country: {field} iso3 left null"
            ));
            None
        }
    }
}

fn load_population(inp: &Input, out: &mut Loaded) -> Result<()> {
    let file = inp.name.as_str();
    let df = frame(inp)?;
    let year = ints(&df, file, "year")?;
    let names = [
        texts(&df, file, "coo_name")?,
        texts(&df, file, "coo_iso")?,
        texts(&df, file, "coa_name")?,
        texts(&df, file, "coa_iso")?,
    ];
    let stocks: Vec<Vec<Option<i64>>> = STOCKS
        .iter()
        .map(|n| ints(&df, file, n))
        .collect::<Result<_>>()?;
    let mut cols: Vec<(String, ColType)> = vec![
        ("year".into(), ColType::Int),
        ("origin_name".into(), ColType::Text),
        ("origin_code".into(), ColType::Text),
        ("origin_iso3".into(), ColType::Text),
        ("asylum_name".into(), ColType::Text),
        ("asylum_code".into(), ColType::Text),
        ("asylum_iso3".into(), ColType::Text),
    ];
    cols.extend(STOCKS.iter().map(|n| (n.to_string(), ColType::Int)));
    let mut tb = TableBuilder::new("displacement", &cols);
    let mut stats = FileStats::default();
    for i in 0..df.rows {
        stats.rows_read += 1;
        let Some(y) = year[i] else {
            stats.exclude("no year");
            continue;
        };
        let origin = iso3(names[1][i].as_deref(), &mut stats, "origin");
        let asylum = iso3(names[3][i].as_deref(), &mut stats, "asylum");
        let mut row = vec![
            Value::Int(y),
            Value::opt_text(names[0][i].clone()),
            Value::opt_text(names[1][i].clone()),
            Value::opt_text(origin),
            Value::opt_text(names[2][i].clone()),
            Value::opt_text(names[3][i].clone()),
            Value::opt_text(asylum),
        ];
        row.extend(stocks.iter().map(|c| c[i].map_or(Value::Null, Value::Int)));
        tb.push(row)?;
        stats.rows_loaded += 1;
    }
    out.add("displacement", tb.finish()?);
    out.file(file, stats);
    Ok(())
}

fn load_idmc(inp: &Input, out: &mut Loaded) -> Result<()> {
    let file = inp.name.as_str();
    let df = frame(inp)?;
    let year = ints(&df, file, "year")?;
    let total = ints(&df, file, "total")?;
    let name = texts(&df, file, "coo_name")?;
    let code = texts(&df, file, "coo_iso")?;
    let cols: Vec<(String, ColType)> = vec![
        ("year".into(), ColType::Int),
        ("country_name".into(), ColType::Text),
        ("country_code".into(), ColType::Text),
        ("iso3".into(), ColType::Text),
        ("idps".into(), ColType::Int),
    ];
    let mut tb = TableBuilder::new("idmc_idps", &cols);
    let mut stats = FileStats::default();
    for i in 0..df.rows {
        stats.rows_read += 1;
        let Some(y) = year[i] else {
            stats.exclude("no year");
            continue;
        };
        let iso = iso3(code[i].as_deref(), &mut stats, "country");
        tb.push(vec![
            Value::Int(y),
            Value::opt_text(name[i].clone()),
            Value::opt_text(code[i].clone()),
            Value::opt_text(iso),
            total[i].map_or(Value::Null, Value::Int),
        ])?;
        stats.rows_loaded += 1;
    }
    out.add("idmc_idps", tb.finish()?);
    out.file(file, stats);
    Ok(())
}

impl Source for Displacement {
    fn meta(&self) -> &SourceMeta {
        &self.0
    }

    fn load(&self, inputs: &[Input]) -> Result<Loaded> {
        let mut out = Loaded::default();
        if let Some(inp) = input(inputs, POPULATION) {
            load_population(inp, &mut out)?;
        }
        if let Some(inp) = input(inputs, IDMC) {
            load_idmc(inp, &mut out)?;
        }
        Ok(out)
    }
}

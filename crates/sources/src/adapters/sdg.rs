//! The Sustainable Development Report of the UN Sustainable Development Solutions Network
//! (SDSN; Sachs, Lafortune, Fuller & Drumm 2023): the SDG Index and its 17 goal scores, 0-100.
//!
//! - `sdg_index` (from `sdg_index_2000-2022.csv`, the SDR 2023's back-cast series of the index):
//!   one row per country or aggregate and year, 2000-2022, every published column. The published
//!   header, `country_code,country,year,sdg_index_score,goal_1_score,...,goal_17_score`, is
//!   already snake_case: the columns keep its names. `year` is an integer, the scores floats.
//!   The series writes a goal without data as `0`, not empty (goal 14 of landlocked countries):
//!   kept as published (`attache_indices::sdg::zeros_as_missing` reads such zeros as missing).
//! - `sdr_2023` (from `sustainable_development_report_2023.csv`, the SDR 2023 country table):
//!   one row per country the report scores (166), every published column. Published header
//!   `country_code,country,region,overall_score,goal_1_score,...,goal_17_score` (names kept);
//!   `region` is the SDR's grouping of countries (seven: OECD, E. Europe & C. Asia, East & South
//!   Asia, LAC, MENA, Oceania, Sub-Saharan Africa), the one its missing goals are filled from; a
//!   goal without data is empty here, and null in the table. The SDR's rank, dashboard colours
//!   and trend arrows are not in this file (it is a redistribution of the scores only): the
//!   table has none (`attache_indices::sdg` computes ranks, ratings and trends).
//!
//! Both tables add `iso3` and `kind`. `country_code` is ISO alpha-3 for countries: `iso3` is the
//! crosswalk's key for it, `kind` is `country`. The 2000-2022 series also holds 14 aggregates,
//! coded with a leading underscore ([`SDR_AGGREGATES`]: the SDR's seven regions, four income
//! groups and low plus lower-middle income, small island developing states, the world): they are
//! kept, with a null `iso3` and `kind` `region`, `income group`, `group` or `world`, and
//! counted under `adjusted`. Any other code fails, naming file, line and code. A second row for
//! a country (and year) fails too.
//!
//! The publisher's downloads (<https://dashboards.sdgindex.org/downloads>) are workbooks; the
//! files read here are the CSV redistribution on Kaggle, as copied on GitHub
//! (thirza258/Country-SDG), which the URLs name. Both are fixed editions of the SDR 2023.
//!
//! Publication lag: the SDR comes out each June (the 2023 edition on 21 June 2023) with the
//! index series through the year before, so a year's scores are taken as public six months
//! after it ends.

use std::collections::HashMap;

use super::{check_unique, no_clash, resolve_iso3};
use crate::delimited::{Delimited, Layout, Row, RowOutcome, to_table};
use crate::error::Result;
use crate::table::{ColType, DEFAULT_NULLS, FileStats, Value};
use crate::{FileSpec, Input, Lag, Loaded, Source, SourceMeta, input};

pub struct Sdg(SourceMeta);

const INDEX: &str = "sdg/sdg_index_2000-2022.csv";
const SDR_2023: &str = "sdg/sustainable_development_report_2023.csv";

/// The SDR's codes for aggregates that are no country: (code, kind, the name the series gives).
/// The seven regions are those of the SDR 2023 table's `region` column.
pub const SDR_AGGREGATES: &[(&str, &str, &str)] = &[
    ("_Africa", "region", "Sub-Saharan Africa"),
    ("_E_Euro_Asia", "region", "Eastern Europe and Central Asia"),
    ("_E_S_Asia", "region", "East and South Asia"),
    ("_LAC", "region", "Latin America and the Caribbean"),
    ("_MENA", "region", "Middle East and North Africa"),
    ("_OECD", "region", "OECD members"),
    ("_Oceania", "region", "Oceania"),
    ("_HIC", "income group", "High-income Countries"),
    ("_UMIC", "income group", "Upper-middle-income Countries"),
    ("_LMIC", "income group", "Lower-middle-income Countries"),
    ("_LIC", "income group", "Low-income Countries"),
    ("_LIC_LMIC", "income group", "Lower & Lower-middle Income"),
    ("_SIDS", "group", "Small Island Developing States"),
    ("_World", "world", "World"),
];

/// The SDG Index has one score per goal.
pub const GOALS: usize = 17;

impl Sdg {
    pub fn new() -> Sdg {
        Sdg(SourceMeta {
            id: attache_core::SourceId::SDG,
            title: "Sustainable Development Report 2023: SDG Index and goal scores (2000-2022 series, 2023 table)",
            publisher: "UN Sustainable Development Solutions Network (SDSN), Sustainable Development Report",
            licence: "SDSN Sustainable Development Report data: published openly, use with citation (SDR terms); the Kaggle redistribution and its GitHub copy state no licence",
            citation: "Sachs, J. D., Lafortune, G., Fuller, G. & Drumm, E. (2023) Implementing the SDG Stimulus. Sustainable Development Report 2023. Paris: SDSN; Dublin: Dublin University Press. https://dashboards.sdgindex.org/",
            homepage: "https://dashboards.sdgindex.org/",
            // The SDR appears each June with the index through the year before (module doc).
            lag: Lag::AfterYear { months: 6 },
            files: vec![
                FileSpec::new(
                    INDEX,
                    "https://github.com/thirza258/Country-SDG/raw/6b7d3107457b/data/sdg_index_2000-2022.csv",
                )
                .via("a Kaggle redistribution of SDSN's SDR 2023 data, copied on GitHub (thirza258/Country-SDG)")
                .at_least(4_100)
                .release(),
                FileSpec::new(
                    SDR_2023,
                    "https://github.com/thirza258/Country-SDG/raw/6b7d3107457b/data/sustainable_development_report_2023.csv",
                )
                .via("a Kaggle redistribution of SDSN's SDR 2023 data, copied on GitHub (thirza258/Country-SDG)")
                .at_least(160)
                .release(),
            ],
            tables: &["sdg_index", "sdr_2023"],
        })
    }
}

/// `iso3` and `kind` of a row's `country_code`: a country, or one of [`SDR_AGGREGATES`] (counted).
fn country(row: &Row<'_>, notes: &mut FileStats) -> Result<[Value; 2]> {
    let code = row.get("country_code")?.trim();
    if let Some((_, kind, _)) = SDR_AGGREGATES.iter().find(|(c, _, _)| *c == code) {
        notes.adjust(format!(
            "country_code {code}: an SDR aggregate ({kind}), no country: iso3 null"
        ));
        return Ok([Value::Null, Value::text(*kind)]);
    }
    let iso3 = resolve_iso3(row, "country_code", notes)?;
    Ok([Value::text(iso3), Value::text("country")])
}

/// One SDR file into `table`: every published column (`year` and `score_columns` typed), plus
/// `iso3` and `kind`; one row per `country_code` (and `year`, where there is one).
fn load_file(
    inp: &Input,
    table: &str,
    required: &[&str],
    score_columns: &[String],
    out: &mut Loaded,
) -> Result<()> {
    let layout = Layout {
        required: required.iter().map(|c| c.to_string()).collect(),
        ..Layout::csv()
    };
    let d = Delimited::parse(&inp.name, &inp.bytes, &layout)?;
    no_clash(&d.file, &d.header, &["iso3", "kind"])?;
    let has_year = required.contains(&"year");
    let mut types: Vec<(&str, ColType)> = score_columns
        .iter()
        .map(|c| (c.as_str(), ColType::Float))
        .collect();
    if has_year {
        types.push(("year", ColType::Int));
    }
    let mut stats = FileStats::default();
    let mut notes = FileStats::default();
    let mut seen = HashMap::new();
    let tb = to_table(
        table,
        &d,
        &types,
        &[("iso3", ColType::Text), ("kind", ColType::Text)],
        DEFAULT_NULLS,
        &mut stats,
        |row| {
            let code = row.get("country_code")?.trim();
            let (key, per) = if has_year {
                let year = row.get("year")?.trim();
                (
                    format!("country_code {code}, year {year}"),
                    "country and year",
                )
            } else {
                (format!("country_code {code}"), "country")
            };
            check_unique(&mut seen, key, row, per)?;
            Ok(RowOutcome::Keep(country(row, &mut notes)?.to_vec()))
        },
    )?;
    stats.adjusted.extend(notes.adjusted);
    out.add(table, tb.finish()?);
    out.file(&inp.name, stats);
    Ok(())
}

/// `goal_1_score` .. `goal_17_score`.
fn goal_columns() -> Vec<String> {
    (1..=GOALS).map(|g| format!("goal_{g}_score")).collect()
}

impl Source for Sdg {
    fn meta(&self) -> &SourceMeta {
        &self.0
    }

    fn load(&self, inputs: &[Input]) -> Result<Loaded> {
        let mut out = Loaded::default();
        if let Some(inp) = input(inputs, INDEX) {
            let mut scores = vec!["sdg_index_score".to_string()];
            scores.extend(goal_columns());
            load_file(
                inp,
                "sdg_index",
                &["country_code", "country", "year", "sdg_index_score"],
                &scores,
                &mut out,
            )?;
        }
        if let Some(inp) = input(inputs, SDR_2023) {
            let mut scores = vec!["overall_score".to_string()];
            scores.extend(goal_columns());
            load_file(
                inp,
                "sdr_2023",
                &["country_code", "country", "region", "overall_score"],
                &scores,
                &mut out,
            )?;
        }
        Ok(out)
    }
}

//! Gas flaring: the World Bank Global Gas Flaring Reduction Partnership's (GGFR) estimates of
//! gas flared per country and year, from VIIRS Nightfire satellite detections by the Colorado
//! School of Mines' Earth Observation Group. A signal of oil and gas activity (and of its
//! disruption). The data are **annual**: the series are annual, not monthly.
//!
//! Files: the GGFR workbooks `satellite/gas_flaring/viirs_global_flaring_{2017..2021}.xlsx`, read
//! with the crate's strict workbook reader ([`crate::xlsx`]; errors name file, sheet, Excel row,
//! column and value). Their layouts differ by release; what is read:
//!
//! | release | sheets read | years | segments |
//! |---|---|---|---|
//! | 2017 | `iso_upstream`, `iso_downstream_oil`, `iso_downstream_gas` (wide: `ISO_Code, Country, FlareCount, sum_BCM_2012` … `sum_BCM_2017`; the gas sheet names its 2017 column `sum_bcm`) | 2012-2017 | `upstream`, `downstream_oil`, `downstream_gas` |
//! | 2018 | `countries upstream`, `countries oil downstream`, `countries gas downstream` (`Country, ISO Code, BCM 2018, Flare count 2018`) | 2018 | same |
//! | 2019 | `countries upstream`, `countries downstream` | 2019 | `upstream`, `downstream` |
//! | 2020 | `countries upstream`, `countries midstream`, `countries oil downstream`, `countries gas downstream` | 2020 | `upstream`, `midstream`, `downstream_oil`, `downstream_gas` |
//! | 2021 | `2021 Global Gas Flaring Volumes` (one row per flare site: `Country, ISO Code, ID 2021, Latitude, Longitude, BCM 2021, Type`), summed per country and segment | 2021 | by the ReadMe sheet's grouping ([`SEGMENT_OF_TYPE_2021`]): `upstream` (upstream oil, upstream gas), `midstream` (midstream, gpp, lng), `downstream` (opp, refinery); `Other ex LNG`, which the ReadMe does not list, is `other` |
//!
//! The segments are the publisher's, and its grouping changed between releases: the 2019
//! upstream sheet sums only the type `upstream` (oil fields; its gas-field flares are in its
//! downstream sheet), and 2021 counts gas processing plants and LNG terminals as midstream,
//! where 2017-2020 counted them as downstream gas. Compare a segment across those releases with
//! care. Not read: the per-site sheets of 2017-2020 (their country sheets are the publisher's
//! own sums), the 2017 `world_totals` sheet, 2019's `flare type definitions`, 2021's ReadMe.
//!
//! Table `gas_flaring`, long, one row per country (or published entity), year and segment:
//! `iso3` (the crosswalk's key for the published code; null for the Saudi-Kuwaiti Neutral Zone,
//! `SAUKWTNZ`, which no state holds alone, counted), `iso_code` and `country` as published,
//! `year`, `segment`, `bcm` (billion cubic metres flared), `flare_count` (flare sites, where the
//! release gives a count for the year: 2018-2020 sheets; 2021 the number of site rows summed,
//! zero-volume sites included; null for 2017, whose `FlareCount` is one number per country
//! for the whole 2012-2017 catalogue, counted), `release` (the workbook's year) and `sheet`, then
//! the year-on-year change within the same entity and segment: `bcm_change` = bcm_t − bcm_{t−1}
//! and `bcm_change_rel` = bcm_t / bcm_{t−1} − 1 (null without the previous year, or when it was
//! 0).
//!
//! Overlaps: when two releases give the same entity, year and segment, the newest release is
//! kept and the older value is counted under `adjusted` of its file (`superseded`); with the
//! current files no year is in two releases. Rows left out, counted under `excluded`: the
//! world `Total` rows of the 2017 sheets, and 2019's two rows with a value but neither a country
//! nor a code (the sheets' formula rows for sites without a code). A row with a country name but
//! no code, an unknown code, a number that does not parse (in the 2017 wide sheets an empty
//! year cell means no estimate that year: no row, counted under `adjusted`; Rwanda 2017), a negative volume, a flare type not
//! listed, or one entity twice in a sheet fails, naming file, sheet, row, column and value.
//!
//! Where from: the GGFR global gas flaring data page (the homepage) links each year's workbook;
//! the file URLs are the copies in R. Marty's `ntl-training` repository (World Bank DIME), the
//! same bytes as the mirror's. The mirror's CSV conversions (`..._2017_iso_upstream.csv`,
//! `..._2021.csv`) are not read: they hold the same cells as the workbooks' sheets (the tests
//! check that they agree).
//!
//! Publication lag: GGFR publishes a year's flaring estimates with its Global Gas Flaring
//! Tracker around the middle of the following year (April to July in recent years); we take a
//! year's values as public six months after it ends.

use std::collections::{BTreeMap, HashMap};

use attache_core::Scheme;

use super::{check_unique, cw};
use crate::delimited::{Delimited, Row};
use crate::error::{Result, SourceError};
use crate::table::{ColType, FileStats, TableBuilder, Value, parse_cell};
use crate::xlsx::Workbook;
use crate::{FileSpec, Input, Lag, Loaded, Source, SourceMeta, input};

pub struct GasFlaring(SourceMeta);

/// The workbooks (mirror path, release year).
pub const WORKBOOKS: [(&str, i32); 5] = [
    ("satellite/gas_flaring/viirs_global_flaring_2017.xlsx", 2017),
    ("satellite/gas_flaring/viirs_global_flaring_2018.xlsx", 2018),
    ("satellite/gas_flaring/viirs_global_flaring_2019.xlsx", 2019),
    ("satellite/gas_flaring/viirs_global_flaring_2020.xlsx", 2020),
    ("satellite/gas_flaring/viirs_global_flaring_2021.xlsx", 2021),
];

/// The country sheets read per release: (release, sheet, segment).
pub const COUNTRY_SHEETS: &[(i32, &str, &str)] = &[
    (2017, "iso_upstream", "upstream"),
    (2017, "iso_downstream_oil", "downstream_oil"),
    (2017, "iso_downstream_gas", "downstream_gas"),
    (2018, "countries upstream", "upstream"),
    (2018, "countries oil downstream", "downstream_oil"),
    (2018, "countries gas downstream", "downstream_gas"),
    (2019, "countries upstream", "upstream"),
    (2019, "countries downstream", "downstream"),
    (2020, "countries upstream", "upstream"),
    (2020, "countries midstream", "midstream"),
    (2020, "countries oil downstream", "downstream_oil"),
    (2020, "countries gas downstream", "downstream_gas"),
];

/// The 2021 release's per-site sheet.
pub const SITES_2021: &str = "2021 Global Gas Flaring Volumes";

/// The 2021 flare types and their segment (the workbook's ReadMe sheet; `Other ex LNG` is not in
/// it and is kept apart).
pub const SEGMENT_OF_TYPE_2021: &[(&str, &str)] = &[
    ("upstream oil", "upstream"),
    ("upstream gas", "upstream"),
    ("midstream", "midstream"),
    ("gpp", "midstream"),
    ("lng", "midstream"),
    ("opp", "downstream"),
    ("refinery", "downstream"),
    ("Other ex LNG", "other"),
];

/// Published codes of entities that are no single state: (code, what it is). `iso3` is null.
pub const NON_STATES: &[(&str, &str)] = &[(
    "SAUKWTNZ",
    "the Saudi-Kuwaiti Neutral Zone (shared by Saudi Arabia and Kuwait)",
)];

const VIA: &str =
    "copies of GGFR's workbooks in R. Marty's ntl-training repository (World Bank DIME) on GitHub";

impl GasFlaring {
    pub fn new() -> GasFlaring {
        GasFlaring(SourceMeta {
            id: attache_core::SourceId::GAS_FLARING,
            title: "Gas flaring: World Bank GGFR / VIIRS Nightfire flared-gas volumes per country, year and segment (annual series, 2012-2021)",
            publisher: "World Bank Global Gas Flaring Reduction Partnership (GGFR), with the Colorado School of Mines Earth Observation Group (VIIRS Nightfire)",
            licence: "World Bank data: CC BY 4.0 (the World Bank's terms of use for datasets); the copies' repository is MIT",
            citation: "World Bank Global Gas Flaring Reduction Partnership (GGFR) (2018-2022) Global gas flaring data, VIIRS estimates 2012-2021, https://www.worldbank.org/en/programs/gasflaringreduction/global-flaring-data. Elvidge, C.D. et al. (2016) Methods for global survey of natural gas flaring from Visible Infrared Imaging Radiometer Suite data. Energies 9(1), 14.",
            homepage: "https://www.worldbank.org/en/programs/gasflaringreduction/global-flaring-data",
            // Mid of the following year (module doc).
            lag: Lag::AfterYear { months: 6 },
            files: vec![
                FileSpec::new(WORKBOOKS[0].0, "https://github.com/ramarty/ntl-training/raw/422027fc5466/data/gas_flaring/rawdata/viirs_global_flaring_2017.xlsx").via(VIA).at_least(200).release(),
                FileSpec::new(WORKBOOKS[1].0, "https://github.com/ramarty/ntl-training/raw/422027fc5466/data/gas_flaring/rawdata/viirs_global_flaring_2018.xlsx").via(VIA).at_least(180).release(),
                FileSpec::new(WORKBOOKS[2].0, "https://github.com/ramarty/ntl-training/raw/422027fc5466/data/gas_flaring/rawdata/viirs_global_flaring_2019.xlsx").via(VIA).at_least(180).release(),
                FileSpec::new(WORKBOOKS[3].0, "https://github.com/ramarty/ntl-training/raw/422027fc5466/data/gas_flaring/rawdata/viirs_global_flaring_2020.xlsx").via(VIA).at_least(200).release(),
                FileSpec::new(WORKBOOKS[4].0, "https://github.com/ramarty/ntl-training/raw/422027fc5466/data/gas_flaring/rawdata/viirs_global_flaring_2021.xlsx").via(VIA).at_least(9000).release(),
            ],
            tables: &["gas_flaring"],
        })
    }
}

/// One value before the overlap rule and the year-on-year change.
#[derive(Debug, Clone)]
struct Val {
    iso3: Option<String>,
    iso_code: String,
    country: String,
    year: i32,
    segment: &'static str,
    bcm: f64,
    flare_count: Option<i64>,
    release: i32,
    sheet: String,
    /// Index of the workbook in [`WORKBOOKS`] (for the row accounting).
    file: usize,
}

/// A required number (BCM: 0 or more).
fn bcm(row: &Row<'_>, column: &str) -> Result<f64> {
    let raw = row.get(column)?;
    match parse_cell(raw, ColType::Float, &[], row.at(column))? {
        Value::Float(v) if v >= 0.0 => Ok(v),
        _ => Err(row
            .at(column)
            .bad(raw, "a volume in BCM (a number, 0 or more)")),
    }
}

/// A required count of flares.
fn flare_count(row: &Row<'_>, column: &str) -> Result<i64> {
    let raw = row.get(column)?;
    match parse_cell(raw, ColType::Int, &[], row.at(column))? {
        Value::Int(v) if v >= 0 => Ok(v),
        _ => Err(row
            .at(column)
            .bad(raw, "a count of flares (a whole number, 0 or more)")),
    }
}

/// The code of a row resolved: `(iso3, code)`; `None` for a row with neither a country nor a
/// code (excluded by the caller). A code that is no state ([`NON_STATES`]) has a null `iso3`.
fn entity(
    row: &Row<'_>,
    code_col: &str,
    stats: &mut FileStats,
) -> Result<Option<(Option<String>, String)>> {
    let code = row.get(code_col)?.trim();
    if code.is_empty() {
        if row.get("Country")?.trim().is_empty() {
            return Ok(None);
        }
        return Err(row
            .at(code_col)
            .bad(code, "an ISO alpha-3 code (the row names a country)"));
    }
    if let Some((_, what)) = NON_STATES.iter().find(|(c, _)| *c == code) {
        stats.adjust(format!(
            "{code_col} {code}: {what}, no state: iso3 left null"
        ));
        return Ok(Some((None, code.to_string())));
    }
    let c = cw()
        .lookup(Scheme::Iso3, code)
        .map_err(|error| SourceError::Country {
            file: row.d.file.clone(),
            line: row.line(),
            column: code_col.to_string(),
            error,
        })?;
    if c.iso3 != code {
        stats.adjust(format!(
            "{code_col} {code}: the crosswalk's ISO3 for it is {}",
            c.iso3
        ));
    }
    Ok(Some((Some(c.iso3.clone()), code.to_string())))
}

/// The years of a 2017 wide sheet's columns: `sum_BCM_<year>`, and `sum_bcm` for the release
/// year (the downstream gas sheet's name for its 2017 column).
fn wide_years(d: &Delimited, release: i32) -> Result<Vec<(String, i32)>> {
    let mut out = Vec::new();
    for h in &d.header {
        let h = h.trim();
        if ["ISO_Code", "Country", "FlareCount"].contains(&h) {
            continue;
        }
        let year = match h.strip_prefix("sum_BCM_") {
            Some(y) => y
                .parse::<i32>()
                .ok()
                .filter(|y| (2012..=release).contains(y)),
            None if h == "sum_bcm" => Some(release),
            None => None,
        };
        match year {
            Some(y) => out.push((h.to_string(), y)),
            None => {
                return Err(SourceError::Format {
                    file: d.file.clone(),
                    message: format!(
                        "column {h:?} is not sum_BCM_<year> (2012-{release}) or sum_bcm"
                    ),
                });
            }
        }
    }
    Ok(out)
}

fn read_country_sheet(
    d: &Delimited,
    release: i32,
    segment: &'static str,
    file: usize,
    stats: &mut FileStats,
    out: &mut Vec<Val>,
) -> Result<()> {
    let sheet = d
        .file
        .rsplit_once("[sheet ")
        .map_or("", |(_, s)| s.trim_end_matches(']'))
        .to_string();
    let wide = release == 2017;
    let code_col = if wide { "ISO_Code" } else { "ISO Code" };
    d.column(code_col)?;
    d.column("Country")?;
    let years = if wide {
        d.column("FlareCount")?;
        wide_years(d, release)?
    } else {
        d.column(&format!("BCM {release}"))?;
        d.column(&format!("Flare count {release}"))?;
        vec![(format!("BCM {release}"), release)]
    };
    let mut seen = HashMap::new();
    for rec in &d.records {
        stats.rows_read += 1;
        let row = Row { d, rec };
        if wide && row.get(code_col)?.trim() == "Total" && row.get("Country")?.trim().is_empty() {
            stats.exclude(format!(
                "{sheet}: the world Total row (the sum of the rows above)"
            ));
            continue;
        }
        let Some((iso3, code)) = entity(&row, code_col, stats)? else {
            stats.exclude(format!(
                "{sheet}: neither Country nor {code_col} (a formula row for sites without a code)"
            ));
            continue;
        };
        check_unique(&mut seen, format!("{code_col} {code}"), &row, "country")?;
        let count = if wide {
            stats.adjust(format!(
                "{sheet}: FlareCount is one count for the 2012-{release} catalogue, not a year's: flare_count left null"
            ));
            None
        } else {
            Some(flare_count(&row, &format!("Flare count {release}"))?)
        };
        for (col, year) in &years {
            if wide && row.get(col)?.trim().is_empty() {
                stats.adjust(format!(
                    "{sheet}: {col} empty (no estimate for {year}): no row for that year"
                ));
                continue;
            }
            out.push(Val {
                iso3: iso3.clone(),
                iso_code: code.clone(),
                country: row.get("Country")?.trim().to_string(),
                year: *year,
                segment,
                bcm: bcm(&row, col)?,
                flare_count: count,
                release,
                sheet: sheet.clone(),
                file,
            });
        }
        stats.rows_loaded += 1;
    }
    Ok(())
}

fn read_sites_2021(
    d: &Delimited,
    file: usize,
    stats: &mut FileStats,
    out: &mut Vec<Val>,
) -> Result<()> {
    for c in ["Country", "ISO Code", "BCM 2021", "Type"] {
        d.column(c)?;
    }
    // (code, segment) -> value, in the order first seen.
    let mut sums: BTreeMap<(String, &'static str), Val> = BTreeMap::new();
    for rec in &d.records {
        stats.rows_read += 1;
        let row = Row { d, rec };
        let Some((iso3, code)) = entity(&row, "ISO Code", stats)? else {
            return Err(row.at("ISO Code").bad("", "an ISO alpha-3 code"));
        };
        let ty = row.get("Type")?.trim();
        let segment = SEGMENT_OF_TYPE_2021
            .iter()
            .find(|(t, _)| *t == ty)
            .map(|(_, s)| *s)
            .ok_or_else(|| row.at("Type").bad(ty, "a flare type of the 2021 ReadMe (upstream oil, upstream gas, midstream, gpp, lng, opp, refinery) or Other ex LNG"))?;
        let v = bcm(&row, "BCM 2021")?;
        let e = sums.entry((code.clone(), segment)).or_insert_with(|| Val {
            iso3,
            iso_code: code,
            country: row.get("Country").unwrap_or_default().trim().to_string(),
            year: 2021,
            segment,
            bcm: 0.0,
            flare_count: Some(0),
            release: 2021,
            sheet: SITES_2021.to_string(),
            file,
        });
        e.bcm += v;
        e.flare_count = e.flare_count.map(|n| n + 1);
        stats.rows_loaded += 1;
    }
    out.extend(sums.into_values());
    Ok(())
}

impl Source for GasFlaring {
    fn meta(&self) -> &SourceMeta {
        &self.0
    }

    fn load(&self, inputs: &[Input]) -> Result<Loaded> {
        let mut out = Loaded::default();
        let mut vals = Vec::new();
        let mut stats: Vec<Option<FileStats>> = vec![None; WORKBOOKS.len()];
        for (i, (path, release)) in WORKBOOKS.iter().enumerate() {
            let Some(inp) = input(inputs, path) else {
                continue;
            };
            let mut st = FileStats::default();
            let mut wb = Workbook::open(&inp.name, &inp.bytes)?;
            if *release == 2021 {
                let d = wb.sheet(SITES_2021)?;
                read_sites_2021(&d, i, &mut st, &mut vals)?;
            } else {
                for (_, sheet, segment) in COUNTRY_SHEETS.iter().filter(|(r, _, _)| r == release) {
                    let d = wb.sheet(sheet)?;
                    read_country_sheet(&d, *release, segment, i, &mut st, &mut vals)?;
                }
            }
            stats[i] = Some(st);
        }
        if stats.iter().all(Option::is_none) {
            return Ok(out);
        }
        // Newest release wins per entity, year and segment.
        let mut newest: HashMap<(String, i32, &str), i32> = HashMap::new();
        for v in &vals {
            let r = newest
                .entry((v.iso_code.clone(), v.year, v.segment))
                .or_insert(v.release);
            *r = (*r).max(v.release);
        }
        vals.retain(|v| {
            let r = newest[&(v.iso_code.clone(), v.year, v.segment)];
            if r != v.release {
                if let Some(st) = stats[v.file].as_mut() {
                    st.adjust(format!(
                        "{} {} {}: superseded by the {r} release",
                        v.sheet, v.year, v.segment
                    ));
                }
                false
            } else {
                true
            }
        });
        vals.sort_by(|a, b| {
            (&a.iso_code, a.segment, a.year).cmp(&(&b.iso_code, b.segment, b.year))
        });
        let cols: Vec<(String, ColType)> = [
            ("iso3", ColType::Text),
            ("iso_code", ColType::Text),
            ("country", ColType::Text),
            ("year", ColType::Int),
            ("segment", ColType::Text),
            ("bcm", ColType::Float),
            ("flare_count", ColType::Int),
            ("release", ColType::Int),
            ("sheet", ColType::Text),
            ("bcm_change", ColType::Float),
            ("bcm_change_rel", ColType::Float),
        ]
        .map(|(n, t)| (n.to_string(), t))
        .to_vec();
        let mut tb = TableBuilder::with_capacity("gas_flaring", &cols, vals.len());
        for (i, v) in vals.iter().enumerate() {
            let prev = i.checked_sub(1).map(|p| &vals[p]).filter(|p| {
                p.iso_code == v.iso_code && p.segment == v.segment && p.year == v.year - 1
            });
            let change = prev.map(|p| v.bcm - p.bcm);
            let rel = prev.filter(|p| p.bcm > 0.0).map(|p| v.bcm / p.bcm - 1.0);
            tb.push(vec![
                Value::opt_text(v.iso3.clone()),
                Value::text(&v.iso_code),
                Value::text(&v.country),
                Value::Int(v.year as i64),
                Value::text(v.segment),
                Value::Float(v.bcm),
                v.flare_count.map_or(Value::Null, Value::Int),
                Value::Int(v.release as i64),
                Value::text(&v.sheet),
                change.map_or(Value::Null, Value::Float),
                rel.map_or(Value::Null, Value::Float),
            ])?;
        }
        out.add("gas_flaring", tb.finish()?);
        for (i, st) in stats.into_iter().enumerate() {
            if let Some(st) = st {
                out.file(WORKBOOKS[i].0, st);
            }
        }
        Ok(out)
    }
}

//! The INFORM Risk Index 2025 of the European Commission's Joint Research Centre (JRC, Disaster
//! Risk Management Knowledge Centre) for the INFORM partnership: the risk of a humanitarian
//! crisis per country, 0-10, from hazard & exposure, vulnerability and lack of coping capacity.
//!
//! - `inform_risk` (from `INFORM_Risk_2025_v070_main.csv`, the workbook's sheet "INFORM Risk 2025
//!   (a-z)"): one row per country (191), every published column. Published header:
//!   `COUNTRY,ISO3,INFORM RISK,RISK CLASS,Rank,Lack of Reliability (*),HAZARD & EXPOSURE,Natural,
//!   Earthquake,River Flood,Tsunami,Tropical Cyclone,Coastal flood,Drought,Epidemic,Human,
//!   Projected Conflict Probability,Current Conflict Intensity,VULNERABILITY,Socio-Economic
//!   Vulnerability,Development & Deprivation,Inequality,Economic Dependency,Vulnerable Groups,
//!   Uprooted people,Health Conditions,Children U5,Recent Shocks,Food Security,Other Vulnerable
//!   Groups,LACK OF COPING CAPACITY,Institutional,DRR,Governance,Infrastructure,Communication,
//!   Physical infrastructure,Access to health care,Number of Missing Indicators,% of Missing
//!   Indicators,Countries in HVC,Recentness data (average years)`, snake_cased as every raw table
//!   is (`inform_risk`, `risk_class`, `rank`, `lack_of_reliability`, `hazard_exposure`, ...,
//!   `socio_economic_vulnerability`, `development_deprivation`, `children_u5`,
//!   `lack_of_coping_capacity`, `drr`, `number_of_missing_indicators`, `of_missing_indicators`
//!   (the share of indicators missing, 0-1: the `%` has no letters to keep),
//!   `countries_in_hvc` (`YES` for countries in highly violent conflict, else null),
//!   `recentness_data_average_years`). The risk, its three dimensions, their categories and
//!   components and the lack of reliability are floats ([`MAIN_NUMBER_COLUMNS`]); `rank` and the
//!   number of missing indicators integers; `risk_class` one of INFORM's five classes
//!   ([`RISK_CLASSES`], anything else fails). INFORM marks a component it could not compute
//!   with `x`: null in the table, counted per column under `adjusted` (as
//!   `attache_indices::inform::Components::from_cells` reads it). This is the table the
//!   `attache-indices` INFORM golden test recomputes.
//! - `inform_regions` (from `INFORM_Risk_2025_v070_regions.csv`, the sheet "Regions"): one row
//!   per country (the same 191), its codes and the regions it belongs to in five
//!   classifications: a country-to-region membership table, kept whole. Published header
//!   `COUNTRY,ISO3,M49,FAOST_CODE,WB Region,WB IncomeGroup,UN-OCHA Region,EC-ECHO Region,UN
//!   Geographical Region,UN Geographical Sub-Region` (`country`, `iso3`, `m49`, `faost_code`,
//!   `wb_region`, `wb_income_group`, `un_ocha_region`, `ec_echo_region`,
//!   `un_geographical_region`, `un_geographical_sub_region`); `m49` and `faost_code` (FAOSTAT's
//!   country code, written `2.0`) integers. Empty cells are null (Liechtenstein has no FAOSTAT
//!   code, Venezuela no World Bank income group).
//!
//! In both tables `iso3` is the published `ISO3` resolved through the crosswalk: an unknown
//! code fails naming file, line and code; a code the crosswalk keys otherwise is written as its
//! key and counted. Every row is a country (Palestine's `PSE` included); there are no
//! aggregates. A country listed twice fails.
//!
//! The publisher's format is the Excel workbook `inform_risk_2025_v070.xlsx` (16 sheets); the
//! adapter reads the mirror's CSV conversions of its two sheets (pandas: first row the header,
//! empty rows dropped, floats in full precision), and the file URLs name the workbook, in a
//! copy on GitHub.
//!
//! Publication lag: an INFORM Risk edition is named for the year after its data. INFORM Risk
//! 2025 first appeared on 31 August 2024 (v0.6.9); this file is its second edition, v0.7.0 of
//! 31 March 2025 (the workbook's About sheet), whose values differ from the first. Counting a
//! year's data as edition year minus one (2024 here), the values read became public three
//! months after that year ended. INFORM updates twice a year (late summer, March).

use std::collections::HashMap;

use super::{check_unique, no_clash, resolve_iso3};
use crate::delimited::{Delimited, Layout, Row};
use crate::error::Result;
use crate::table::{
    CellAt, ColType, DEFAULT_NULLS, FileStats, TableBuilder, Value, parse_cell, snake_case,
};
use crate::{FileSpec, Input, Lag, Loaded, Source, SourceMeta, input};

pub struct Inform(SourceMeta);

const MAIN: &str = "inform/INFORM_Risk_2025_v070_main.csv";
const REGIONS: &str = "inform/INFORM_Risk_2025_v070_regions.csv";

/// The workbook the two CSVs are converted from, in a copy on GitHub.
const WORKBOOK_URL: &str = "https://github.com/imtiajiqbalmahfuj/imtiajiqbal-portfolio/raw/1a70aa201026/Projects/25021%20Risk%20Index%202025%20INFORM/Data/inform_risk_2025_v070.xlsx";
const WORKBOOK_VIA: &str = "a copy of the JRC's INFORM Risk 2025 v0.7.0 workbook on GitHub (imtiajiqbalmahfuj/imtiajiqbal-portfolio); the CSV conversion of its sheet is the mirror's";

/// The published columns of the main sheet that hold numbers: the risk, its dimensions,
/// categories and components (0-10), the lack of reliability, the share of missing indicators
/// and the data's average age in years.
pub const MAIN_NUMBER_COLUMNS: &[&str] = &[
    "INFORM RISK",
    "Lack of Reliability (*)",
    "HAZARD & EXPOSURE",
    "Natural",
    "Earthquake",
    "River Flood",
    "Tsunami",
    "Tropical Cyclone",
    "Coastal flood",
    "Drought",
    "Epidemic",
    "Human",
    "Projected Conflict Probability",
    "Current Conflict Intensity",
    "VULNERABILITY",
    "Socio-Economic Vulnerability",
    "Development & Deprivation",
    "Inequality",
    "Economic Dependency",
    "Vulnerable Groups",
    "Uprooted people",
    "Health Conditions",
    "Children U5",
    "Recent Shocks",
    "Food Security",
    "Other Vulnerable Groups",
    "LACK OF COPING CAPACITY",
    "Institutional",
    "DRR",
    "Governance",
    "Infrastructure",
    "Communication",
    "Physical infrastructure",
    "Access to health care",
    "% of Missing Indicators",
    "Recentness data (average years)",
];

/// The published columns of the main sheet that hold whole numbers.
pub const MAIN_INT_COLUMNS: &[&str] = &["Rank", "Number of Missing Indicators"];

/// The published text columns of the main sheet.
pub const MAIN_TEXT_COLUMNS: &[&str] = &["COUNTRY", "ISO3", "RISK CLASS", "Countries in HVC"];

/// INFORM's risk classes, as the main sheet writes them.
pub const RISK_CLASSES: [&str; 5] = ["Very Low", "Low", "Medium", "High", "Very High"];

/// The published columns of the regions sheet that hold whole numbers (codes).
pub const REGIONS_INT_COLUMNS: &[&str] = &["M49", "FAOST_CODE"];

/// The published text columns of the regions sheet.
pub const REGIONS_TEXT_COLUMNS: &[&str] = &[
    "COUNTRY",
    "ISO3",
    "WB Region",
    "WB IncomeGroup",
    "UN-OCHA Region",
    "EC-ECHO Region",
    "UN Geographical Region",
    "UN Geographical Sub-Region",
];

/// INFORM's mark for a value it could not compute.
const NO_DATA: &str = "x";

impl Inform {
    pub fn new() -> Inform {
        Inform(SourceMeta {
            id: attache_core::SourceId::INFORM,
            title: "INFORM Risk Index 2025, 2nd edition (v0.7.0): risk of humanitarian crisis and its components, per country",
            publisher: "European Commission Joint Research Centre (JRC), Disaster Risk Management Knowledge Centre, for the INFORM partnership",
            licence: "CC BY 4.0 (the workbook's About sheet: reuse authorised provided the source is acknowledged); the GitHub copy states none",
            citation: "INFORM (2025) INFORM Risk Index 2025, 2nd edition, v0.7.0 (31 March 2025). European Commission, Joint Research Centre. https://drmkc.jrc.ec.europa.eu/inform-index. INFORM is a collaboration of the Inter-Agency Standing Committee Reference Group on Risk, Early Warning and Preparedness and the European Commission; the JRC is its scientific lead.",
            homepage: "https://drmkc.jrc.ec.europa.eu/inform-index",
            // Edition 2025 (data through 2024), v0.7.0 of 31 March 2025: three months after the
            // data year ends (module doc).
            lag: Lag::AfterYear { months: 3 },
            files: vec![
                FileSpec::new(MAIN, WORKBOOK_URL)
                    .via(WORKBOOK_VIA)
                    .at_least(185)
                    .release(),
                FileSpec::new(REGIONS, WORKBOOK_URL)
                    .via(WORKBOOK_VIA)
                    .at_least(185)
                    .release(),
            ],
            tables: &["inform_risk", "inform_regions"],
        })
    }
}

/// The published columns of one sheet and their types.
struct Sheet<'a> {
    table: &'a str,
    required: &'a [&'a str],
    numbers: &'a [&'a str],
    ints: &'a [&'a str],
    texts: &'a [&'a str],
}

/// One sheet's CSV into its table: every published column under its snake_case name, `ISO3`
/// resolved in place (`iso3`), `x` in a number column null (counted); `check` sees each row.
fn load_sheet(
    inp: &Input,
    sheet: &Sheet<'_>,
    out: &mut Loaded,
    mut check: impl FnMut(&Row<'_>) -> Result<()>,
) -> Result<()> {
    let layout = Layout {
        required: sheet.required.iter().map(|c| c.to_string()).collect(),
        ..Layout::csv()
    };
    let d = Delimited::parse(&inp.name, &inp.bytes, &layout)?;
    for c in sheet.numbers.iter().chain(sheet.ints).chain(sheet.texts) {
        d.column(c)?;
    }
    let iso_at = d.column("ISO3")?;
    // Published columns other than `ISO3` must not take its snake_case name.
    let others: Vec<String> = d
        .header
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != iso_at)
        .map(|(_, h)| h.clone())
        .collect();
    no_clash(&d.file, &others, &["iso3"])?;
    let mut names = std::collections::HashSet::new();
    let cols: Vec<(String, ColType)> = d
        .header
        .iter()
        .map(|h| {
            let h = h.trim();
            let ty = if sheet.numbers.contains(&h) {
                ColType::Float
            } else if sheet.ints.contains(&h) {
                ColType::Int
            } else {
                ColType::Text
            };
            let mut name = snake_case(h);
            while !names.insert(name.clone()) {
                name.push('_');
            }
            (name, ty)
        })
        .collect();
    let mut tb = TableBuilder::new(sheet.table, &cols);
    let mut stats = FileStats::default();
    let mut seen = HashMap::new();
    for rec in &d.records {
        stats.rows_read += 1;
        let row = Row { d: &d, rec };
        check(&row)?;
        let mut vals = Vec::with_capacity(cols.len());
        for (i, (_, ty)) in cols.iter().enumerate() {
            if i == iso_at {
                let iso3 = resolve_iso3(&row, "ISO3", &mut stats)?;
                check_unique(&mut seen, format!("ISO3 {iso3}"), &row, "country")?;
                vals.push(Value::text(iso3));
                continue;
            }
            let raw = rec.fields.get(i).unwrap_or("");
            if *ty != ColType::Text && raw.trim().eq_ignore_ascii_case(NO_DATA) {
                stats.adjust(format!(
                    "{}: {NO_DATA} (INFORM: not computed) loaded as null",
                    d.header[i].trim()
                ));
                vals.push(Value::Null);
                continue;
            }
            let at = CellAt {
                file: &d.file,
                line: rec.line,
                column: &d.header[i],
            };
            vals.push(parse_cell(raw, *ty, DEFAULT_NULLS, at)?);
        }
        tb.push(vals)?;
        stats.rows_loaded += 1;
    }
    out.add(sheet.table, tb.finish()?);
    out.file(&inp.name, stats);
    Ok(())
}

impl Source for Inform {
    fn meta(&self) -> &SourceMeta {
        &self.0
    }

    fn load(&self, inputs: &[Input]) -> Result<Loaded> {
        let mut out = Loaded::default();
        if let Some(inp) = input(inputs, MAIN) {
            let sheet = Sheet {
                table: "inform_risk",
                required: &["COUNTRY", "ISO3", "INFORM RISK", "RISK CLASS"],
                numbers: MAIN_NUMBER_COLUMNS,
                ints: MAIN_INT_COLUMNS,
                texts: MAIN_TEXT_COLUMNS,
            };
            load_sheet(inp, &sheet, &mut out, |row| {
                let class = row.get("RISK CLASS")?;
                if RISK_CLASSES.contains(&class.trim()) {
                    Ok(())
                } else {
                    Err(row.at("RISK CLASS").bad(
                        class,
                        "an INFORM risk class (Very Low, Low, Medium, High, Very High)",
                    ))
                }
            })?;
        }
        if let Some(inp) = input(inputs, REGIONS) {
            let sheet = Sheet {
                table: "inform_regions",
                required: &["COUNTRY", "ISO3", "M49"],
                numbers: &[],
                ints: REGIONS_INT_COLUMNS,
                texts: REGIONS_TEXT_COLUMNS,
            };
            load_sheet(inp, &sheet, &mut out, |_| Ok(()))?;
        }
        Ok(out)
    }
}

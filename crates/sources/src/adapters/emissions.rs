//! National CO2 emissions from three publishers, normalised into one long `emissions` table
//! (`source, entity, entity_name, iso3, year, sector, unit, value`):
//! - Global Carbon Budget 2019 territorial emissions (`Code,Year,Emissions,Source`, MtC),
//! - EDGAR CO2 by sector (`Code,Name,Sector,Year,Emissions`, Mt CO2),
//! - CDIAC national fossil-fuel CO2 by fuel (`Year,Country,Total,...`, thousand t C; names, no codes).
//!
//! Regions and combined territories (GCB's "World", EDGAR's "SDN_SSD", bunkers) are kept with
//! `iso3` null; CDIAC names that do not resolve likewise, each counted in the lockfile.

use attache_core::Scheme;

use crate::delimited::{Delimited, Layout};
use crate::error::{Result, SourceError};
use crate::table::{CellAt, ColType, DEFAULT_NULLS, FileStats, TableBuilder, Value, parse_cell};
use crate::{FileSpec, Input, Lag, Loaded, Source, SourceMeta, input};

pub fn emissions_builder() -> TableBuilder {
    TableBuilder::new(
        "emissions",
        &[
            ("source".into(), ColType::Text),
            ("entity".into(), ColType::Text),
            ("entity_name".into(), ColType::Text),
            ("iso3".into(), ColType::Text),
            ("year".into(), ColType::Int),
            ("sector".into(), ColType::Text),
            ("unit".into(), ColType::Text),
            ("value".into(), ColType::Float),
        ],
    )
}

/// Resolves an ISO3-like code; known non-country codes give `None`, anything else unknown fails.
fn iso_or_aggregate(
    file: &str,
    line: u64,
    column: &str,
    code: &str,
    aggregates: &[&str],
    stats: &mut FileStats,
) -> Result<Option<String>> {
    if aggregates.contains(&code) {
        stats.adjust(format!(
            "region or combined territory kept with iso3 null: {code}"
        ));
        return Ok(None);
    }
    super::cw()
        .lookup(Scheme::Iso3, code)
        .map(|c| Some(c.iso3.clone()))
        .map_err(|e| SourceError::Country {
            file: file.into(),
            line,
            column: column.into(),
            error: e,
        })
}

pub struct Gcb(SourceMeta);

const GCB_AGGREGATES: &[&str] = &[
    "Africa",
    "Asia",
    "Bunkers",
    "Central America",
    "EUU",
    "Europe",
    "KP Annex B",
    "Middle East",
    "Non KP Annex B",
    "Non-OECD",
    "North America",
    "OECD",
    "Oceania",
    "South America",
    "Statistical Difference",
    "World",
];

impl Gcb {
    pub fn new() -> Gcb {
        Gcb(SourceMeta {
            id: attache_core::SourceId::GCB2019,
            title: "Global Carbon Budget 2019, national territorial emissions",
            publisher: "Global Carbon Project",
            licence: "Use conditional on citing the original sources (Global Carbon Project terms)",
            citation: "Friedlingstein, P. et al. (2019) Global Carbon Budget 2019. Earth System Science Data 11, 1783-1838.",
            homepage: "https://www.globalcarbonproject.org/carbonbudget/",
            lag: Lag::AfterYear { months: 11 },
            files: vec![FileSpec::new(
                "gcb2019/territorial-emissions.csv",
                "https://raw.githubusercontent.com/openclimatedata/global-carbon-budget/master/data/territorial-emissions.csv",
            )
            .at_least(10_000)
            .release()
            .via("openclimatedata/global-carbon-budget, a conversion of the GCB 2019 Excel release")],
            tables: &["emissions"],
        })
    }
}

impl Source for Gcb {
    fn meta(&self) -> &SourceMeta {
        &self.0
    }
    fn load(&self, inputs: &[Input]) -> Result<Loaded> {
        let mut out = Loaded::default();
        let Some(inp) = input(inputs, self.0.files[0].mirror_path) else {
            return Ok(out);
        };
        let d = Delimited::parse(&inp.name, &inp.bytes, &Layout::csv())?;
        let (ic, iy, ie, is) = (
            d.column("Code")?,
            d.column("Year")?,
            d.column("Emissions")?,
            d.column("Source")?,
        );
        let mut tb = emissions_builder();
        let mut stats = FileStats::default();
        for rec in &d.records {
            stats.rows_read += 1;
            let at = |c| CellAt {
                file: &d.file,
                line: rec.line,
                column: c,
            };
            let code = rec.fields.get(ic).unwrap_or("").trim();
            let iso =
                iso_or_aggregate(&d.file, rec.line, "Code", code, GCB_AGGREGATES, &mut stats)?;
            tb.push(vec![
                Value::text("gcb2019"),
                Value::text(code),
                Value::Null,
                Value::opt_text(iso),
                parse_cell(
                    rec.fields.get(iy).unwrap_or(""),
                    ColType::Int,
                    &[],
                    at("Year"),
                )?,
                Value::text(format!(
                    "territorial ({})",
                    rec.fields.get(is).unwrap_or("")
                )),
                Value::text("MtC"),
                parse_cell(
                    rec.fields.get(ie).unwrap_or(""),
                    ColType::Float,
                    DEFAULT_NULLS,
                    at("Emissions"),
                )?,
            ])?;
            stats.rows_loaded += 1;
        }
        out.add("emissions", tb.finish()?);
        out.file(&inp.name, stats);
        Ok(out)
    }
}

pub struct Edgar(SourceMeta);

const EDGAR_AGGREGATES: &[&str] = &[
    "AIR",
    "SEA",
    "CHE_LIE",
    "ESP_AND",
    "FRA_MCO",
    "ISR_PSE",
    "ITA_SMR_VAT",
    "SDN_SSD",
];

impl Edgar {
    pub fn new() -> Edgar {
        Edgar(SourceMeta {
            id: attache_core::SourceId::EDGAR_CO2,
            title: "EDGAR CO2 emissions from fossil fuel combustion by sector",
            publisher: "European Commission, Joint Research Centre (EDGAR)",
            licence: "EDGAR terms of use: free use with acknowledgement of the source",
            citation: "Crippa, M. et al. (2019) Fossil CO2 and GHG emissions of all world countries. Publications Office of the EU. EDGAR v5.0.",
            homepage: "https://edgar.jrc.ec.europa.eu/",
            lag: Lag::AfterYear { months: 11 },
            files: vec![FileSpec::new(
                "co2/edgar-co2-emissions.csv",
                "https://raw.githubusercontent.com/openclimatedata/edgar-co2-emissions/master/data/edgar-co2-emissions.csv",
            )
            .at_least(40_000)
            .via("openclimatedata/edgar-co2-emissions, a conversion of the JRC EDGAR release")],
            tables: &["emissions"],
        })
    }
}

impl Source for Edgar {
    fn meta(&self) -> &SourceMeta {
        &self.0
    }
    fn load(&self, inputs: &[Input]) -> Result<Loaded> {
        let mut out = Loaded::default();
        let Some(inp) = input(inputs, self.0.files[0].mirror_path) else {
            return Ok(out);
        };
        let d = Delimited::parse(&inp.name, &inp.bytes, &Layout::csv())?;
        let (ic, iname, isec, iy, ie) = (
            d.column("Code")?,
            d.column("Name")?,
            d.column("Sector")?,
            d.column("Year")?,
            d.column("Emissions")?,
        );
        let mut tb = emissions_builder();
        let mut stats = FileStats::default();
        for rec in &d.records {
            stats.rows_read += 1;
            let at = |c| CellAt {
                file: &d.file,
                line: rec.line,
                column: c,
            };
            let code = rec.fields.get(ic).unwrap_or("").trim();
            // EDGAR writes the former Serbia and Montenegro as CSXX (ISO 3166-3).
            let iso = if code == "CSXX" {
                Some("SCG".to_string())
            } else {
                iso_or_aggregate(
                    &d.file,
                    rec.line,
                    "Code",
                    code,
                    EDGAR_AGGREGATES,
                    &mut stats,
                )?
            };
            tb.push(vec![
                Value::text("edgar"),
                Value::text(code),
                Value::text(rec.fields.get(iname).unwrap_or("")),
                Value::opt_text(iso),
                parse_cell(
                    rec.fields.get(iy).unwrap_or(""),
                    ColType::Int,
                    &[],
                    at("Year"),
                )?,
                Value::text(rec.fields.get(isec).unwrap_or("")),
                Value::text("Mt CO2"),
                parse_cell(
                    rec.fields.get(ie).unwrap_or(""),
                    ColType::Float,
                    DEFAULT_NULLS,
                    at("Emissions"),
                )?,
            ])?;
            stats.rows_loaded += 1;
        }
        out.add("emissions", tb.finish()?);
        out.file(&inp.name, stats);
        Ok(out)
    }
}

pub struct Cdiac(SourceMeta);

const CDIAC_FUELS: &[&str] = &[
    "Total",
    "Solid Fuel",
    "Liquid Fuel",
    "Gas Fuel",
    "Cement",
    "Gas Flaring",
    "Bunker fuels (Not in Total)",
];

impl Cdiac {
    pub fn new() -> Cdiac {
        Cdiac(SourceMeta {
            id: attache_core::SourceId::CDIAC,
            title: "CDIAC national CO2 emissions from fossil fuels and cement",
            publisher: "Carbon Dioxide Information Analysis Center (CDIAC) / Appalachian State University RIEEE",
            licence: "Public domain (ODC-PDDL-1.0 repackaging)",
            citation: "Boden, T.A., G. Marland & R.J. Andres (2017) Global, Regional, and National Fossil-Fuel CO2 Emissions. CDIAC, Oak Ridge National Laboratory. doi:10.3334/CDIAC/00001_V2017",
            homepage: "https://energy.appstate.edu/CDIAC",
            lag: Lag::AfterYear { months: 24 },
            files: vec![FileSpec::new(
                "co2/fossil-fuel-co2-emissions-by-nation.csv",
                "https://raw.githubusercontent.com/datasets/co2-fossil-by-nation/main/data/fossil-fuel-co2-emissions-by-nation.csv",
            )
            .at_least(15_000)
            .via("DataHub core datasets (datasets/co2-fossil-by-nation), a conversion of CDIAC's national totals")],
            tables: &["emissions"],
        })
    }
}

impl Source for Cdiac {
    fn meta(&self) -> &SourceMeta {
        &self.0
    }
    fn load(&self, inputs: &[Input]) -> Result<Loaded> {
        let mut out = Loaded::default();
        let Some(inp) = input(inputs, self.0.files[0].mirror_path) else {
            return Ok(out);
        };
        let d = Delimited::parse(&inp.name, &inp.bytes, &Layout::csv())?;
        let (iy, ic) = (d.column("Year")?, d.column("Country")?);
        let fuels: Vec<(usize, &str)> = CDIAC_FUELS
            .iter()
            .map(|f| d.column(f).map(|i| (i, *f)))
            .collect::<Result<_>>()?;
        let mut tb = emissions_builder();
        let mut stats = FileStats::default();
        let mut unresolved = std::collections::BTreeSet::new();
        for rec in &d.records {
            stats.rows_read += 1;
            let at = |c| CellAt {
                file: &d.file,
                line: rec.line,
                column: c,
            };
            let name = rec.fields.get(ic).unwrap_or("").trim();
            let year = parse_cell(
                rec.fields.get(iy).unwrap_or(""),
                ColType::Int,
                &[],
                at("Year"),
            )?;
            let Value::Int(y) = year else {
                return Err(at("Year").bad("", "a year"));
            };
            let iso = super::cw()
                .lookup_year(Scheme::Name, name, y as i32)
                .or_else(|_| super::cw().lookup(Scheme::Name, name))
                .ok()
                .map(|c| c.iso3.clone());
            if iso.is_none() {
                unresolved.insert(name.to_string());
            }
            for (i, fuel) in &fuels {
                tb.push(vec![
                    Value::text("cdiac"),
                    Value::text(name),
                    Value::text(name),
                    Value::opt_text(iso.clone()),
                    year.clone(),
                    Value::text(*fuel),
                    Value::text("thousand t C"),
                    parse_cell(
                        rec.fields.get(*i).unwrap_or(""),
                        ColType::Float,
                        DEFAULT_NULLS,
                        at(fuel),
                    )?,
                ])?;
            }
            stats.rows_loaded += 1;
        }
        for u in unresolved {
            stats.adjust(format!("name without ISO3 kept with iso3 null: {u}"));
        }
        out.add("emissions", tb.finish()?);
        out.file(&inp.name, stats);
        Ok(out)
    }
}

//! Polity5 Annual Time-Series (p5v2018), Center for Systemic Peace, in its CSV conversion (UTF-8 BOM).
//!
//! `ccode` is the Polity country code, which follows Correlates of War numbering with Polity's own
//! codes for some state changes (e.g. 364 USSR, 342 Serbia, 348 Montenegro, 529 Ethiopia, 769 Pakistan
//! before 1971, 818 Vietnam). `iso3` is resolved from `ccode` as a COW code for the row's year, then
//! from the Polity country name; rows of states with no ISO3 (e.g. Prussia, 1800s) keep a null
//! `iso3` and are counted in the lockfile.

use attache_core::Scheme;

use super::year_of;
use crate::delimited::{Delimited, Layout, RowOutcome, to_table};
use crate::error::Result;
use crate::table::{ColType, FileStats, Value};
use crate::{FileSpec, Input, Lag, Loaded, Source, SourceMeta, input};

pub struct Polity5(SourceMeta);

const INT_COLUMNS: &[&str] = &[
    "p5", "cyear", "ccode", "year", "flag", "fragment", "democ", "autoc", "polity", "polity2",
    "durable", "xrreg", "xrcomp", "xropen", "xconst", "parreg", "parcomp", "exrec", "exconst",
    "polcomp", "prior", "emonth", "eday", "eyear", "eprec", "interim", "bmonth", "bday", "byear",
    "bprec", "post", "change", "d5", "sf", "regtrans",
];

/// Polity codes that differ from COW/GW for the same state.
const POLITY_CODES: &[(i64, &str)] = &[
    (364, "RUS"),
    (342, "SRB"),
    (348, "MNE"),
    (529, "ETH"),
    (769, "PAK"),
    (818, "VNM"),
    (525, "SSD"),
    (626, "SSD"),
];

impl Polity5 {
    pub fn new() -> Polity5 {
        Polity5(SourceMeta {
            id: attache_core::SourceId::POLITY5,
            title: "Polity5 Annual Time-Series 1946-2018 (p5v2018)",
            publisher: "Center for Systemic Peace",
            licence: "Free for non-commercial research use with citation (Center for Systemic Peace terms)",
            citation: "Marshall, Monty G. & Ted Robert Gurr (2020) Polity5: Political Regime Characteristics and Transitions, 1800-2018. Center for Systemic Peace.",
            homepage: "https://www.systemicpeace.org/inscrdata.html",
            lag: Lag::AfterYear { months: 12 },
            // The final Polity5 release (1800-2018).
            files: vec![
                FileSpec::new(
                    "polity5/p5v2018.csv",
                    "https://www.systemicpeace.org/inscr/p5v2018.xls",
                )
                .at_least(17_000)
                .release(),
            ],
            tables: &["polity"],
        })
    }
}

impl Source for Polity5 {
    fn meta(&self) -> &SourceMeta {
        &self.0
    }
    fn load(&self, inputs: &[Input]) -> Result<Loaded> {
        let mut out = Loaded::default();
        let Some(inp) = input(inputs, self.0.files[0].mirror_path) else {
            return Ok(out);
        };
        let d = Delimited::parse(&inp.name, &inp.bytes, &Layout::csv())?;
        let types: Vec<(&str, ColType)> = INT_COLUMNS.iter().map(|c| (*c, ColType::Int)).collect();
        let mut stats = FileStats::default();
        let mut unresolved = Vec::new();
        let tb = to_table(
            "polity",
            &d,
            &types,
            &[("iso3", ColType::Text)],
            crate::table::DEFAULT_NULLS,
            &mut stats,
            |row| {
                let year = year_of(row, "year")?;
                let code = row.int("ccode")?.unwrap_or(-1);
                let name = row.get("country")?;
                let iso = POLITY_CODES
                    .iter()
                    .find(|(c, _)| *c == code)
                    .map(|(_, i)| i.to_string())
                    .or_else(|| {
                        super::cw()
                            .lookup_year(Scheme::Cow, &code.to_string(), year)
                            .ok()
                            .map(|c| c.iso3.clone())
                    })
                    .or_else(|| {
                        super::cw()
                            .lookup(Scheme::Name, name)
                            .ok()
                            .map(|c| c.iso3.clone())
                    });
                if iso.is_none() {
                    unresolved.push(format!("{name} ({code})"));
                }
                Ok(RowOutcome::Keep(vec![Value::opt_text(iso)]))
            },
        )?;
        unresolved.sort();
        unresolved.dedup();
        for u in unresolved {
            stats.adjust(format!("state without ISO3 kept with iso3 null: {u}"));
        }
        out.add("polity", tb.finish()?);
        out.file(&inp.name, stats);
        Ok(out)
    }
}

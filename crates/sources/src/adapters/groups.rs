//! Country groups and negotiating blocs (openclimatedata/countrygroups): one CSV per group with
//! `Code,Name[,extra]` (ISO alpha-3 codes, plus `EUU` for the European Union as a party), and two
//! nested JSON lists (Montreal Protocol article-5 groups, UN statistical regions).
//!
//! Table `country_groups`: `group_id` (file stem), `subgroup` (a `Region` column or the JSON path),
//! `code`, `iso3` (null for `EUU` and other non-country parties), `name`, `detail` (other columns).

use serde_json::Value as Json;

use attache_core::Scheme;

use crate::delimited::{Delimited, Layout};
use crate::error::{Result, SourceError};
use crate::table::{ColType, FileStats, TableBuilder, Value};
use crate::{FileSpec, Input, Lag, Loaded, Source, SourceMeta};

pub const GROUP_FILES: &[&str] = &[
    "annex-one-kaz",
    "annex-one",
    "aosis",
    "ar5",
    "arab-group",
    "brics",
    "eig",
    "european-union",
    "g20",
    "g7",
    "g77",
    "graduated-ldcs",
    "imo",
    "ldc",
    "lldc",
    "montreal_protocol_high_ambient_temp",
    "non-annex-one",
    "oecd",
    "opec",
    "sids-non-un-or-regional-commissions-associates",
    "sids",
    "ssp",
    "umbrella",
    "un-regional-groups",
    "unfccc",
];
pub const GROUP_JSON: &[&str] = &[
    "montreal_protocol_countries",
    "unstats-geographical-regions",
];
/// Party codes that are not countries.
const NON_COUNTRY: &[&str] = &["EUU"];

pub struct CountryGroups(SourceMeta);

impl CountryGroups {
    pub fn new() -> CountryGroups {
        let mut files: Vec<FileSpec> = Vec::new();
        for g in GROUP_FILES {
            let p: &'static str = Box::leak(format!("countrygroups/{g}.csv").into_boxed_str());
            let u: &'static str = Box::leak(format!("https://raw.githubusercontent.com/openclimatedata/countrygroups/main/data/{g}.csv").into_boxed_str());
            files.push(FileSpec::new(p, u).optional());
        }
        for g in GROUP_JSON {
            let p: &'static str = Box::leak(format!("countrygroups/{g}.json").into_boxed_str());
            let u: &'static str = Box::leak(format!("https://raw.githubusercontent.com/openclimatedata/countrygroups/main/data/{g}.json").into_boxed_str());
            files.push(FileSpec::new(p, u).optional());
        }
        CountryGroups(SourceMeta {
            id: attache_core::SourceId::COUNTRYGROUPS,
            title: "Country groups and negotiating blocs",
            publisher: "openclimatedata/countrygroups (UNFCCC, UN, OECD and bloc sources)",
            licence: "CC0 1.0 (repository); underlying lists are public facts",
            citation: "Gieseke, Robert et al. countrygroups: Country groups and negotiating blocs. https://github.com/openclimatedata/countrygroups",
            homepage: "https://github.com/openclimatedata/countrygroups",
            lag: Lag::Reference,
            files,
            tables: &["country_groups"],
        })
    }
}

fn builder() -> TableBuilder {
    TableBuilder::new(
        "country_groups",
        &[
            ("group_id".into(), ColType::Text),
            ("subgroup".into(), ColType::Text),
            ("code".into(), ColType::Text),
            ("iso3".into(), ColType::Text),
            ("name".into(), ColType::Text),
            ("detail".into(), ColType::Text),
        ],
    )
}

fn resolve(file: &str, line: u64, code: &str) -> Result<Option<String>> {
    if NON_COUNTRY.contains(&code) {
        return Ok(None);
    }
    super::cw()
        .lookup(Scheme::Iso3, code)
        .map(|c| Some(c.iso3.clone()))
        .map_err(|e| SourceError::Country {
            file: file.into(),
            line,
            column: "Code".into(),
            error: e,
        })
}

fn walk(
    file: &str,
    group: &str,
    path: &mut Vec<String>,
    v: &Json,
    tb: &mut TableBuilder,
    stats: &mut FileStats,
) -> Result<()> {
    match v {
        Json::Object(m) => {
            for (k, v) in m {
                path.push(k.clone());
                walk(file, group, path, v, tb, stats)?;
                path.pop();
            }
        }
        Json::Array(a) => {
            for c in a {
                if c.is_object() {
                    // A nested subgroup inside a list (UN M49: Northern Europe > Channel Islands).
                    walk(file, group, path, c, tb, stats)?;
                    continue;
                }
                let code = c.as_str().ok_or_else(|| SourceError::Format {
                    file: file.into(),
                    message: format!("{}: expected code strings", path.join("/")),
                })?;
                stats.rows_read += 1;
                let iso = resolve(file, stats.rows_read, code)?;
                tb.push(vec![
                    Value::text(group),
                    Value::text(path.join("/")),
                    Value::text(code),
                    Value::opt_text(iso),
                    Value::Null,
                    Value::Null,
                ])?;
                stats.rows_loaded += 1;
            }
        }
        _ => {
            return Err(SourceError::Format {
                file: file.into(),
                message: format!("{}: unexpected value", path.join("/")),
            });
        }
    }
    Ok(())
}

impl Source for CountryGroups {
    fn meta(&self) -> &SourceMeta {
        &self.0
    }
    fn load(&self, inputs: &[Input]) -> Result<Loaded> {
        let mut out = Loaded::default();
        let mut tb = builder();
        let mut any = false;
        for inp in inputs {
            let Some(stem) = inp.name.strip_prefix("countrygroups/") else {
                continue;
            };
            any = true;
            let mut stats = FileStats::default();
            if let Some(group) = stem.strip_suffix(".json") {
                let v: Json =
                    serde_json::from_slice(&inp.bytes).map_err(|e| SourceError::Format {
                        file: inp.name.clone(),
                        message: format!("line {}: invalid JSON: {e}", e.line()),
                    })?;
                walk(&inp.name, group, &mut Vec::new(), &v, &mut tb, &mut stats)?;
            } else {
                let group = stem.trim_end_matches(".csv");
                let d = Delimited::parse(&inp.name, &inp.bytes, &Layout::csv())?;
                let ic = d.column("Code")?;
                let iname = d.header.iter().position(|h| h == "Name");
                let iregion = d.header.iter().position(|h| h == "Region");
                for rec in &d.records {
                    stats.rows_read += 1;
                    let code = rec.fields.get(ic).unwrap_or("").trim();
                    let iso = resolve(&d.file, rec.line, code)?;
                    let detail: Vec<String> = d
                        .header
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| *i != ic && Some(*i) != iname && Some(*i) != iregion)
                        .filter_map(|(i, h)| {
                            rec.fields
                                .get(i)
                                .filter(|v| !v.is_empty())
                                .map(|v| format!("{h}: {v}"))
                        })
                        .collect();
                    tb.push(vec![
                        Value::text(group),
                        Value::opt_text(iregion.and_then(|i| rec.fields.get(i))),
                        Value::text(code),
                        Value::opt_text(iso),
                        Value::opt_text(iname.and_then(|i| rec.fields.get(i))),
                        if detail.is_empty() {
                            Value::Null
                        } else {
                            Value::text(detail.join("; "))
                        },
                    ])?;
                    stats.rows_loaded += 1;
                }
            }
            out.file(&inp.name, stats);
        }
        if any {
            out.add("country_groups", tb.finish()?);
        }
        Ok(out)
    }
}

//! Nationally determined contributions and the Paris Agreement, as published by
//! openclimatedata:
//! - `ndc`: NDC content coded by WRI CAIT / Climate Watch (table `ndc_cait`, one row per party:
//!   target type, base and target years, the target in words, conditionality, ...) and by the
//!   Klimalog NDC Explorer of DIE/IDOS, ACTS and SEI (table `ndc_klimalog`, ~150 coded
//!   features with a `_class` code and a `_details` text each). The Klimalog file starts with
//!   `#` comment lines (copyright, update date); they are cut before parsing, and error
//!   messages say so in the file name.
//! - `unfccc`: the UNFCCC NDC registry listing (table `ndc_documents`, one row per document:
//!   party, version, status, submission date, URL) and Paris Agreement signature, ratification
//!   and entry-into-force emission shares (table `paris_agreement`).
//!
//! Publisher columns are kept (snake_case) with an added `iso3`; the European Union as a party
//! (`EU28`, `EU`, `EUU`) keeps `iso3` null and is counted under `adjusted`; any other code that
//! does not resolve is an error naming the file, line and code.

use attache_core::Scheme;

use crate::delimited::{Delimited, Layout, Row, RowOutcome, to_table};
use crate::error::{Result, SourceError};
use crate::table::{ColType, DEFAULT_NULLS, FileStats, Value};
use crate::{FileSpec, Input, Lag, Loaded, Source, SourceMeta, input};

/// Party codes of the European Union in these files.
const EU_CODES: &[&str] = &["EU28", "EU", "EUU"];

/// Resolves the party code in `column`; the EU gives null (counted), unknown codes fail.
fn party_iso3(row: &Row<'_>, column: &str, stats: &mut FileStats) -> Result<Value> {
    let code = row.get(column)?.trim();
    if EU_CODES.contains(&code) {
        stats.adjust(format!("European Union ({code}) kept with iso3 null"));
        return Ok(Value::Null);
    }
    super::cw()
        .lookup(Scheme::Iso3, code)
        .map(|c| Value::text(c.iso3.clone()))
        .map_err(|e| SourceError::Country {
            file: row.d.file.clone(),
            line: row.line(),
            column: column.into(),
            error: e,
        })
}

/// Adds the adjustment counts of `adj` to `stats`.
fn merge(stats: &mut FileStats, adj: FileStats) {
    for (reason, n) in adj.adjusted {
        *stats.adjusted.entry(reason).or_default() += n;
    }
}

/// Cuts leading lines that start with `#`; returns the rest and how many were cut.
fn strip_comment_lines(bytes: &[u8]) -> (&[u8], usize) {
    let mut rest = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut n = 0;
    while rest.first() == Some(&b'#') {
        match rest.iter().position(|b| *b == b'\n') {
            Some(i) => rest = &rest[i + 1..],
            None => rest = &[],
        }
        n += 1;
    }
    (rest, n)
}

/// Who converts the CAIT and Klimalog NDC content to the CSVs read here.
const OPENCLIMATEDATA_NDC: &str =
    "openclimatedata/ndc-assessments, CSV conversions of WRI CAIT and DIE Klimalog NDC content";

pub struct Ndc(SourceMeta);

const CAIT: &str = "ndc/ndc-content-cait.csv";
const KLIMALOG: &str = "ndc/ndc-content-klimalog-die-gdi.csv";

impl Ndc {
    pub fn new() -> Ndc {
        Ndc(SourceMeta {
            id: attache_core::SourceId::NDC,
            title: "NDC content: WRI CAIT / Climate Watch and Klimalog NDC Explorer (DIE/IDOS, ACTS, SEI)",
            publisher: "World Resources Institute (Climate Watch); German Development Institute / IDOS, ACTS, SEI; via openclimatedata/ndc-assessments",
            licence: "CC BY 4.0",
            citation: "WRI Climate Watch NDC Content (CAIT); Pauw, P. et al. (2022) NDC Explorer, DIE/IDOS, ACTS, SEI, doi:10.23661/ndc_explorer_2022_4.0",
            homepage: "https://github.com/openclimatedata/ndc-assessments",
            lag: Lag::Reference,
            files: vec![
                FileSpec::new(
                    CAIT,
                    "https://raw.githubusercontent.com/openclimatedata/ndc-assessments/main/data/ndc-content-cait.csv",
                )
                .at_least(150)
                .via(OPENCLIMATEDATA_NDC),
                FileSpec::new(
                    KLIMALOG,
                    "https://raw.githubusercontent.com/openclimatedata/ndc-assessments/main/data/ndc-content-klimalog-die-gdi.csv",
                )
                .at_least(150)
                .via(OPENCLIMATEDATA_NDC),
            ],
            tables: &["ndc_cait", "ndc_klimalog"],
        })
    }
}

impl Source for Ndc {
    fn meta(&self) -> &SourceMeta {
        &self.0
    }
    fn load(&self, inputs: &[Input]) -> Result<Loaded> {
        let mut out = Loaded::default();
        if let Some(inp) = input(inputs, CAIT) {
            let d = Delimited::parse(
                &inp.name,
                &inp.bytes,
                &Layout {
                    required: vec!["ISO".into()],
                    ..Layout::csv()
                },
            )?;
            let mut stats = FileStats::default();
            let mut adj = FileStats::default();
            let tb = to_table(
                "ndc_cait",
                &d,
                &[],
                &[("iso3", ColType::Text)],
                DEFAULT_NULLS,
                &mut stats,
                |row| Ok(RowOutcome::Keep(vec![party_iso3(row, "ISO", &mut adj)?])),
            )?;
            merge(&mut stats, adj);
            out.add("ndc_cait", tb.finish()?);
            out.file(&inp.name, stats);
        }
        if let Some(inp) = input(inputs, KLIMALOG) {
            let (body, cut) = strip_comment_lines(&inp.bytes);
            let label = format!(
                "{} (lines counted after its {cut} '#' comment lines)",
                inp.name
            );
            let d = Delimited::parse(
                &label,
                body,
                &Layout {
                    required: vec!["country_code".into()],
                    ..Layout::csv()
                },
            )?;
            let types: Vec<(&str, ColType)> = d
                .header
                .iter()
                .filter(|h| h.ends_with("_class") || h.as_str() == "region_id")
                .map(|h| (h.as_str(), ColType::Int))
                .collect();
            let mut stats = FileStats::default();
            let mut adj = FileStats::default();
            let tb = to_table(
                "ndc_klimalog",
                &d,
                &types,
                &[("iso3", ColType::Text)],
                DEFAULT_NULLS,
                &mut stats,
                |row| {
                    Ok(RowOutcome::Keep(vec![party_iso3(
                        row,
                        "country_code",
                        &mut adj,
                    )?]))
                },
            )?;
            merge(&mut stats, adj);
            out.add("ndc_klimalog", tb.finish()?);
            out.file(&inp.name, stats);
        }
        Ok(out)
    }
}

pub struct Unfccc(SourceMeta);

const NDC_DOCUMENTS: &str = "unfccc/ndcs.csv";
const PARIS: &str = "unfccc/paris-agreement-entry-into-force.csv";

impl Unfccc {
    pub fn new() -> Unfccc {
        Unfccc(SourceMeta {
            id: attache_core::SourceId::UNFCCC,
            title: "UNFCCC NDC registry listing and Paris Agreement entry into force",
            publisher: "UNFCCC NDC Registry; UN Treaty Collection; via openclimatedata",
            licence: "Official UN/UNFCCC public records; openclimatedata scripts CC0",
            citation: "UNFCCC NDC Registry (https://unfccc.int/NDCREG); UN Treaty Collection, Paris Agreement status; openclimatedata/ndcs and openclimatedata/paris-agreement-entry-into-force",
            homepage: "https://github.com/openclimatedata/ndcs",
            lag: Lag::Reference,
            files: vec![
                FileSpec::new(
                    NDC_DOCUMENTS,
                    "https://raw.githubusercontent.com/openclimatedata/ndcs/main/data/ndcs.csv",
                )
                .at_least(500)
                .via("openclimatedata/ndcs, a listing of the UNFCCC NDC registry"),
                FileSpec::new(
                    PARIS,
                    "https://raw.githubusercontent.com/openclimatedata/paris-agreement-entry-into-force/main/data/paris-agreement-entry-into-force.csv",
                )
                .at_least(190)
                .via("openclimatedata/paris-agreement-entry-into-force, from the UN Treaty Collection"),
            ],
            tables: &["ndc_documents", "paris_agreement"],
        })
    }
}

impl Source for Unfccc {
    fn meta(&self) -> &SourceMeta {
        &self.0
    }
    fn load(&self, inputs: &[Input]) -> Result<Loaded> {
        let mut out = Loaded::default();
        for (path, table, code_col, types) in [
            (NDC_DOCUMENTS, "ndc_documents", "code", &[][..]),
            (
                PARIS,
                "paris_agreement",
                "Code",
                &[
                    ("Emissions", ColType::Float),
                    ("Percentage", ColType::Float),
                    ("Year", ColType::Int),
                ][..],
            ),
        ] {
            let Some(inp) = input(inputs, path) else {
                continue;
            };
            let d = Delimited::parse(
                &inp.name,
                &inp.bytes,
                &Layout {
                    required: vec![code_col.into()],
                    ..Layout::csv()
                },
            )?;
            let mut stats = FileStats::default();
            let mut adj = FileStats::default();
            let tb = to_table(
                table,
                &d,
                types,
                &[("iso3", ColType::Text)],
                DEFAULT_NULLS,
                &mut stats,
                |row| Ok(RowOutcome::Keep(vec![party_iso3(row, code_col, &mut adj)?])),
            )?;
            merge(&mut stats, adj);
            out.add(table, tb.finish()?);
            out.file(&inp.name, stats);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(
        src: &dyn Source,
        name: &str,
        text: &str,
    ) -> std::result::Result<(usize, Vec<Option<String>>), String> {
        let inputs = [Input {
            name: name.to_string(),
            bytes: text.as_bytes().to_vec(),
        }];
        let loaded = src.load(&inputs).map_err(|e| e.to_string())?;
        let batch = &loaded.tables[0].batch;
        let col = batch.column_by_name("iso3").unwrap();
        use arrow::array::Array;
        let s = col
            .as_any()
            .downcast_ref::<arrow::array::StringArray>()
            .unwrap();
        Ok((
            batch.num_rows(),
            (0..s.len())
                .map(|i| (!s.is_null(i)).then(|| s.value(i).to_string()))
                .collect(),
        ))
    }

    fn check(
        src: &dyn Source,
        name: &str,
        text: &str,
        expect: std::result::Result<Vec<Option<&str>>, &str>,
    ) {
        let got = load(src, name, text);
        match expect {
            Ok(iso) => {
                let (rows, got) = got.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(rows, iso.len());
                assert_eq!(
                    got,
                    iso.iter()
                        .map(|s| s.map(str::to_string))
                        .collect::<Vec<_>>()
                );
            }
            Err(msg) => {
                let e = got
                    .err()
                    .unwrap_or_else(|| panic!("{name}: expected an error containing {msg:?}"));
                assert!(e.contains(msg), "{name}: {e:?} lacks {msg:?}");
            }
        }
    }

    /// Verbatim rows of the published files (first lines of each, shortened to the columns shown).
    #[test]
    fn parties_resolve_and_the_eu_stays_null() {
        let klimalog = "# Copyright: German Development Institute\n# Last updated 2022-02-04\ncountry_name,country_code,type_of_target_class,type_of_target_details\n\
            Albania,ALB,4,Reduction/limitation compared to business as usual (20.9% reduction in 2030)\n\
            European Union,EU,6,Absolute target (net domestic reduction of at least 55% in GHG emissions by 2030 compared to 1990)\n";
        check(&Ndc::new(), KLIMALOG, klimalog, Ok(vec![Some("ALB"), None]));
        let cait = "Country,ISO,ghg_target_type\nAfghanistan,AFG,Baseline scenario target\nEuropean Union (28),EU28,Base year target\n";
        check(&Ndc::new(), CAIT, cait, Ok(vec![Some("AFG"), None]));
        let docs = "code,party,title,fileType,language,version,status,submissionDate,encodedAbsUrl,originalFilename\n\
            AFG,Afghanistan,Afghanistan First NDC,NDC,English,1,Active,2016-11-23,https://unfccc.int/sites/default/files/NDC/2022-06/INDC_AFG_20150927_FINAL.pdf,INDC_AFG_20150927_FINAL.pdf\n";
        check(&Unfccc::new(), NDC_DOCUMENTS, docs, Ok(vec![Some("AFG")]));
        let paris = "Code,Name,Signature,Ratification,Kind,Date-Of-Effect,Emissions,Percentage,Year\nALB,Albania,2016-04-22,2016-09-21,Ratification,2016-11-04,6717,0.02,2000\n";
        check(&Unfccc::new(), PARIS, paris, Ok(vec![Some("ALB")]));
    }

    #[test]
    fn errors_name_file_line_and_value() {
        let bad = "Code,Name,Signature,Ratification,Kind,Date-Of-Effect,Emissions,Percentage,Year\nXXX,Nowhere,,,,,1,0.1,2000\n";
        check(
            &Unfccc::new(),
            PARIS,
            bad,
            Err("paris-agreement-entry-into-force.csv"),
        );
        check(&Unfccc::new(), PARIS, bad, Err("XXX"));
        let bad_number = "Code,Name,Signature,Ratification,Kind,Date-Of-Effect,Emissions,Percentage,Year\nALB,Albania,,,,,many,0.1,2000\n";
        check(&Unfccc::new(), PARIS, bad_number, Err("many"));
        let klimalog =
            "# c\n# d\ncountry_name,country_code,type_of_target_class\nAlbania,ALB,four\n";
        check(
            &Ndc::new(),
            KLIMALOG,
            klimalog,
            Err("after its 2 '#' comment lines"),
        );
    }

    /// The whole published files load; rows per file as in the mirror's MANIFEST.md.
    #[test]
    fn whole_published_files_load() {
        for (src, path, rows, eu) in [
            (&Ndc::new() as &dyn Source, CAIT, 197, 1),
            (&Ndc::new(), KLIMALOG, 170, 1),
            (&Unfccc::new(), NDC_DOCUMENTS, 741, 4),
            (&Unfccc::new(), PARIS, 198, 1),
        ] {
            let text = std::fs::read_to_string(attache_testdata::mirror().join(path)).unwrap();
            let (n, iso) = load(src, path, &text).unwrap_or_else(|e| panic!("{path}: {e}"));
            let nulls = iso.iter().filter(|i| i.is_none()).count();
            assert_eq!((n, nulls), (rows, eu), "{path}: rows, EU rows");
        }
    }
}

//! GDELT 2.0 Event Database: the 15-minute `*.export.CSV` files (tab-separated, no header, 61
//! fields, bare quotes inside text fields), and the CAMEO lookups (event codes, Goldstein scale,
//! actor types) that explain them.
//!
//! Geography codes are FIPS 10-4; `action_iso3`, `actor1_geo_iso3` and `actor2_geo_iso3` resolve
//! them. GDELT also uses FIPS codes for places that are not ISO countries (oceans `OS`, disputed
//! areas); those keep a null ISO3 and are counted. Any other unknown code fails the sync.

use attache_core::Scheme;

use crate::delimited::{Delimited, Layout, RowOutcome, to_table};
use crate::error::{Result, SourceError};
use crate::table::{ColType, FileStats, Value};
use crate::{FileSpec, Input, Lag, Loaded, Source, SourceMeta, input};

/// The 61 columns of a GDELT 2.0 event record, as named in the GDELT 2.0 codebook header row.
pub const EVENT_COLUMNS: &[(&str, ColType)] = &[
    ("GLOBALEVENTID", ColType::Int),
    ("SQLDATE", ColType::Int),
    ("MonthYear", ColType::Int),
    ("Year", ColType::Int),
    ("FractionDate", ColType::Float),
    ("Actor1Code", ColType::Text),
    ("Actor1Name", ColType::Text),
    ("Actor1CountryCode", ColType::Text),
    ("Actor1KnownGroupCode", ColType::Text),
    ("Actor1EthnicCode", ColType::Text),
    ("Actor1Religion1Code", ColType::Text),
    ("Actor1Religion2Code", ColType::Text),
    ("Actor1Type1Code", ColType::Text),
    ("Actor1Type2Code", ColType::Text),
    ("Actor1Type3Code", ColType::Text),
    ("Actor2Code", ColType::Text),
    ("Actor2Name", ColType::Text),
    ("Actor2CountryCode", ColType::Text),
    ("Actor2KnownGroupCode", ColType::Text),
    ("Actor2EthnicCode", ColType::Text),
    ("Actor2Religion1Code", ColType::Text),
    ("Actor2Religion2Code", ColType::Text),
    ("Actor2Type1Code", ColType::Text),
    ("Actor2Type2Code", ColType::Text),
    ("Actor2Type3Code", ColType::Text),
    ("IsRootEvent", ColType::Int),
    ("EventCode", ColType::Text),
    ("EventBaseCode", ColType::Text),
    ("EventRootCode", ColType::Text),
    ("QuadClass", ColType::Int),
    ("GoldsteinScale", ColType::Float),
    ("NumMentions", ColType::Int),
    ("NumSources", ColType::Int),
    ("NumArticles", ColType::Int),
    ("AvgTone", ColType::Float),
    ("Actor1Geo_Type", ColType::Int),
    ("Actor1Geo_FullName", ColType::Text),
    ("Actor1Geo_CountryCode", ColType::Text),
    ("Actor1Geo_ADM1Code", ColType::Text),
    ("Actor1Geo_ADM2Code", ColType::Text),
    ("Actor1Geo_Lat", ColType::Float),
    ("Actor1Geo_Long", ColType::Float),
    ("Actor1Geo_FeatureID", ColType::Text),
    ("Actor2Geo_Type", ColType::Int),
    ("Actor2Geo_FullName", ColType::Text),
    ("Actor2Geo_CountryCode", ColType::Text),
    ("Actor2Geo_ADM1Code", ColType::Text),
    ("Actor2Geo_ADM2Code", ColType::Text),
    ("Actor2Geo_Lat", ColType::Float),
    ("Actor2Geo_Long", ColType::Float),
    ("Actor2Geo_FeatureID", ColType::Text),
    ("ActionGeo_Type", ColType::Int),
    ("ActionGeo_FullName", ColType::Text),
    ("ActionGeo_CountryCode", ColType::Text),
    ("ActionGeo_ADM1Code", ColType::Text),
    ("ActionGeo_ADM2Code", ColType::Text),
    ("ActionGeo_Lat", ColType::Float),
    ("ActionGeo_Long", ColType::Float),
    ("ActionGeo_FeatureID", ColType::Text),
    ("DATEADDED", ColType::Int),
    ("SOURCEURL", ColType::Text),
];

/// FIPS-style codes GDELT uses for places that are not ISO 3166 countries.
pub const GDELT_NON_COUNTRY: &[&str] = &["OS", "OC", "PG", "PF", "GZ", "WE", "YI", "AY", "UV"];

pub struct Gdelt(SourceMeta);

impl Gdelt {
    pub const EXPORT: &'static str = "gdelt/20191024143000.export.CSV";

    pub fn new() -> Gdelt {
        Gdelt(SourceMeta {
            id: attache_core::SourceId::GDELT,
            title: "GDELT 2.0 Event Database (15-minute export files) and CAMEO lookups",
            publisher: "The GDELT Project",
            licence: "Free and open for any use with citation (GDELT terms)",
            citation: "Leetaru, Kalev & Philip A. Schrodt (2013) GDELT: Global Data on Events, Language, and Tone, 1979-2012. International Studies Association annual conference.",
            homepage: "https://www.gdeltproject.org/data.html",
            lag: Lag::Realtime,
            files: vec![
                // One fixed 15-minute export (its time is its name); the lookups are fixed code lists.
                FileSpec::zipped(
                    Self::EXPORT,
                    "http://data.gdeltproject.org/gdeltv2/20191024143000.export.CSV.zip",
                    "20191024143000.export.CSV",
                )
                .at_least(1000)
                .release(),
                FileSpec::new(
                    "gdelt/lookups/CAMEO.eventcodes.txt",
                    "https://www.gdeltproject.org/data/lookups/CAMEO.eventcodes.txt",
                )
                .at_least(300),
                FileSpec::new(
                    "gdelt/lookups/CAMEO.goldsteinscale.txt",
                    "https://www.gdeltproject.org/data/lookups/CAMEO.goldsteinscale.txt",
                )
                .at_least(300),
                FileSpec::new(
                    "gdelt/lookups/CAMEO.type.txt",
                    "https://www.gdeltproject.org/data/lookups/CAMEO.type.txt",
                )
                .at_least(30),
            ],
            tables: &[
                "gdelt_events",
                "cameo_event_codes",
                "cameo_goldstein",
                "cameo_types",
            ],
        })
    }
}

fn fips_iso(
    row: &crate::delimited::Row<'_>,
    column: &str,
    stats: &mut Vec<String>,
) -> Result<Value> {
    let code = row.get(column)?.trim();
    if code.is_empty() {
        return Ok(Value::Null);
    }
    if GDELT_NON_COUNTRY.contains(&code) {
        stats.push(code.to_string());
        return Ok(Value::Null);
    }
    super::cw()
        .lookup(Scheme::Fips, code)
        .map(|c| Value::text(&c.iso3))
        .map_err(|e| SourceError::Country {
            file: row.d.file.clone(),
            line: row.line(),
            column: column.into(),
            error: e,
        })
}

/// Parses one GDELT 2.0 export file into `gdelt_events` rows.
pub fn parse_export(
    file: &str,
    bytes: &[u8],
    stats: &mut FileStats,
) -> Result<arrow::record_batch::RecordBatch> {
    let layout = Layout {
        delimiter: b'\t',
        columns: Some(EVENT_COLUMNS.iter().map(|(c, _)| c.to_string()).collect()),
        quoting: false,
        allow_short_rows: false,
        required: vec!["GLOBALEVENTID".into()],
    };
    let d = Delimited::parse(file, bytes, &layout)?;
    let mut non_country = Vec::new();
    let extra = [
        ("actor1_geo_iso3", ColType::Text),
        ("actor2_geo_iso3", ColType::Text),
        ("action_geo_iso3", ColType::Text),
    ];
    let tb = to_table(
        "gdelt_events",
        &d,
        EVENT_COLUMNS,
        &extra,
        &[""],
        stats,
        |row| {
            Ok(RowOutcome::Keep(vec![
                fips_iso(row, "Actor1Geo_CountryCode", &mut non_country)?,
                fips_iso(row, "Actor2Geo_CountryCode", &mut non_country)?,
                fips_iso(row, "ActionGeo_CountryCode", &mut non_country)?,
            ]))
        },
    )?;
    for c in non_country {
        stats.adjust(format!(
            "GDELT non-country place code kept with iso3 null: {c}"
        ));
    }
    tb.finish()
}

fn lookup_table(name: &str, inp: &Input, cols: &[(&str, ColType)], out: &mut Loaded) -> Result<()> {
    let d = Delimited::parse(
        &inp.name,
        &inp.bytes,
        &Layout {
            quoting: false,
            ..Layout::tsv()
        },
    )?;
    let mut stats = FileStats::default();
    let tb = to_table(name, &d, cols, &[], &[""], &mut stats, |_| {
        Ok(RowOutcome::Keep(vec![]))
    })?;
    out.add(name, tb.finish()?);
    out.file(&inp.name, stats);
    Ok(())
}

impl Source for Gdelt {
    fn meta(&self) -> &SourceMeta {
        &self.0
    }
    fn load(&self, inputs: &[Input]) -> Result<Loaded> {
        let mut out = Loaded::default();
        if let Some(inp) = input(inputs, Self::EXPORT) {
            let mut stats = FileStats::default();
            let batch = parse_export(&inp.name, &inp.bytes, &mut stats)?;
            out.add("gdelt_events", batch);
            out.file(&inp.name, stats);
        }
        if let Some(inp) = input(inputs, "gdelt/lookups/CAMEO.eventcodes.txt") {
            lookup_table("cameo_event_codes", inp, &[], &mut out)?;
        }
        if let Some(inp) = input(inputs, "gdelt/lookups/CAMEO.goldsteinscale.txt") {
            lookup_table(
                "cameo_goldstein",
                inp,
                &[("GOLDSTEINSCALE", ColType::Float)],
                &mut out,
            )?;
        }
        if let Some(inp) = input(inputs, "gdelt/lookups/CAMEO.type.txt") {
            lookup_table("cameo_types", inp, &[], &mut out)?;
        }
        Ok(out)
    }
}

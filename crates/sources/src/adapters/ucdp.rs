//! UCDP (Uppsala Conflict Data Program): the UCDP/PRIO Armed Conflict Dataset, the dyadic Battle-
//! Related Deaths dataset, the Georeferenced Event Dataset (CSV as distributed, and the GeoJSON
//! layout of the mirror), and Our World in Data's country-year aggregate of UCDP deaths.
//!
//! Country codes are Gleditsch-Ward numbers, possibly several in one field ("365, 369"); they are
//! resolved for the row's year (see `attache_core::country` for the date rules). `acd_locations`
//! and `brd_locations` hold one row per (record, location) so no location is lost.

use attache_core::{Date, Scheme};
use serde_json::Value as Json;

use super::{resolve_year, year_of};
use crate::delimited::{Delimited, Layout, RowOutcome, to_table};
use crate::error::{Result, SourceError};
use crate::table::{CellAt, ColType, DEFAULT_NULLS, FileStats, TableBuilder, Value, parse_cell};
use crate::{FileSpec, Input, Lag, Loaded, Source, SourceMeta, input};

const UCDP_LICENCE: &str = "CC BY 4.0";

/// UCDP files always fill these: an empty one means a truncated row.
fn ucdp_layout() -> Layout {
    Layout {
        required: vec!["conflict_id".into(), "year".into(), "version".into()],
        ..Layout::csv()
    }
}

fn gw_columns(cols: &[&str]) -> Vec<(String, ColType)> {
    cols.iter()
        .map(|c| (c.replace("gwno", "iso3"), ColType::Text))
        .collect()
}

/// Adds one row per location code to a long locations table.
fn push_locations(
    loc: &mut TableBuilder,
    id: i64,
    year: i32,
    gw_field: &str,
    iso_field: &Value,
) -> Result<()> {
    let isos: Vec<&str> = match iso_field {
        Value::Text(s) => s.split(", ").collect(),
        _ => vec![],
    };
    for (gw, iso) in attache_core::country::split_codes(gw_field).zip(isos) {
        loc.push(vec![
            Value::Int(id),
            Value::Int(year as i64),
            Value::text(gw),
            Value::text(iso),
        ])?;
    }
    Ok(())
}

pub struct Acd(SourceMeta);

impl Acd {
    pub fn new() -> Acd {
        Acd(SourceMeta {
            id: attache_core::SourceId::UCDP_ACD,
            title: "UCDP/PRIO Armed Conflict Dataset v25.1",
            publisher: "Uppsala Conflict Data Program (UCDP) and PRIO",
            licence: UCDP_LICENCE,
            citation: "Davies, Shawn, Therése Pettersson, Margareta Sollenberg & Magnus Öberg (2025) Organized violence 1989-2024, and the challenges of identifying civilian victims. Journal of Peace Research 62(4). Gleditsch et al. (2002) Armed Conflict 1946-2001: A New Dataset. JPR 39(5).",
            homepage: "https://ucdp.uu.se/downloads/",
            lag: Lag::AfterYear { months: 6 },
            files: vec![
                FileSpec::zipped(
                    "ucdp/UcdpPrioConflict_v25_1.csv",
                    "https://ucdp.uu.se/downloads/ucdpprio/ucdp-prio-acd-251-csv.zip",
                    "UcdpPrioConflict_v25_1.csv",
                )
                .at_least(2500)
                .release(),
            ],
            tables: &["acd", "acd_locations"],
        })
    }
}

/// How one UCDP conflict-level file (ACD, BRD) becomes a table and its long locations table.
struct UcdpTable {
    table: &'static str,
    locations: &'static str,
    /// The record id kept in the locations table.
    id: &'static str,
    /// The multi-valued GW field the locations table unrolls.
    location_field: &'static str,
    ints: &'static [&'static str],
    gw: &'static [&'static str],
}

impl UcdpTable {
    fn load(&self, inp: &Input) -> Result<Loaded> {
        let mut out = Loaded::default();
        let d = Delimited::parse(&inp.name, &inp.bytes, &ucdp_layout())?;
        let ints: Vec<(&str, ColType)> = self.ints.iter().map(|c| (*c, ColType::Int)).collect();
        let extra = gw_columns(self.gw);
        let extra_ref: Vec<(&str, ColType)> = extra.iter().map(|(n, t)| (n.as_str(), *t)).collect();
        let loc_index = self
            .gw
            .iter()
            .position(|g| *g == self.location_field)
            .expect("location field is a GW field");
        let mut stats = FileStats::default();
        let mut loc = TableBuilder::new(
            self.locations,
            &[
                (self.id.into(), ColType::Int),
                ("year".into(), ColType::Int),
                ("gwno".into(), ColType::Text),
                ("iso3".into(), ColType::Text),
            ],
        );
        let mut notes = FileStats::default();
        let tb = to_table(
            self.table,
            &d,
            &ints,
            &extra_ref,
            DEFAULT_NULLS,
            &mut stats,
            |row| {
                let year = year_of(row, "year")?;
                let vals = self
                    .gw
                    .iter()
                    .map(|c| resolve_year(row, c, Scheme::Gw, year, &mut notes))
                    .collect::<Result<Vec<_>>>()?;
                let id = row.int(self.id)?.unwrap_or(0);
                push_locations(
                    &mut loc,
                    id,
                    year,
                    row.get(self.location_field)?,
                    &vals[loc_index],
                )?;
                Ok(RowOutcome::Keep(vals))
            },
        )?;
        stats.adjusted.extend(notes.adjusted);
        out.add(self.table, tb.finish()?);
        out.add(self.locations, loc.finish()?);
        out.file(&inp.name, stats);
        Ok(out)
    }
}

const ACD_TABLE: UcdpTable = UcdpTable {
    table: "acd",
    locations: "acd_locations",
    id: "conflict_id",
    location_field: "gwno_loc",
    ints: &[
        "conflict_id",
        "year",
        "incompatibility",
        "intensity_level",
        "cumulative_intensity",
        "type_of_conflict",
        "start_prec",
        "start_prec2",
        "ep_end",
    ],
    gw: &["gwno_a", "gwno_a_2nd", "gwno_b", "gwno_b_2nd", "gwno_loc"],
};

const BRD_TABLE: UcdpTable = UcdpTable {
    table: "brd",
    locations: "brd_locations",
    id: "dyad_id",
    location_field: "gwno_battle",
    ints: &[
        "conflict_id",
        "dyad_id",
        "year",
        "bd_best",
        "bd_low",
        "bd_high",
        "incompatibility",
        "type_of_conflict",
    ],
    gw: &[
        "gwno_a",
        "gwno_a_2nd",
        "gwno_b",
        "gwno_b_2nd",
        "gwno_loc",
        "gwno_battle",
    ],
};

impl Source for Acd {
    fn meta(&self) -> &SourceMeta {
        &self.0
    }
    fn load(&self, inputs: &[Input]) -> Result<Loaded> {
        match input(inputs, self.0.files[0].mirror_path) {
            Some(inp) => ACD_TABLE.load(inp),
            None => Ok(Loaded::default()),
        }
    }
}

pub struct Brd(SourceMeta);

impl Brd {
    pub fn new() -> Brd {
        Brd(SourceMeta {
            id: attache_core::SourceId::UCDP_BRD,
            title: "UCDP Battle-Related Deaths Dataset v24.1 (dyadic)",
            publisher: "Uppsala Conflict Data Program (UCDP)",
            licence: UCDP_LICENCE,
            citation: "Davies, Shawn, Therése Pettersson & Magnus Öberg (2024) Organized violence 1989-2023, and the prevalence of organized crime groups. Journal of Peace Research 61(4).",
            homepage: "https://ucdp.uu.se/downloads/",
            lag: Lag::AfterYear { months: 6 },
            files: vec![
                FileSpec::zipped(
                    "ucdp/BattleDeaths_v24_1.csv",
                    "https://ucdp.uu.se/downloads/brd/ucdp-brd-dyadic-241-csv.zip",
                    "BattleDeaths_v24_1.csv",
                )
                .at_least(1800)
                .release(),
            ],
            tables: &["brd", "brd_locations"],
        })
    }
}

impl Source for Brd {
    fn meta(&self) -> &SourceMeta {
        &self.0
    }
    fn load(&self, inputs: &[Input]) -> Result<Loaded> {
        match input(inputs, self.0.files[0].mirror_path) {
            Some(inp) => BRD_TABLE.load(inp),
            None => Ok(Loaded::default()),
        }
    }
}

/// GED columns as UCDP publishes them (CSV header order), with their types.
const GED_COLUMNS: &[(&str, ColType)] = &[
    ("id", ColType::Int),
    ("relid", ColType::Text),
    ("year", ColType::Int),
    ("active_year", ColType::Int),
    ("code_status", ColType::Text),
    ("type_of_violence", ColType::Int),
    ("conflict_dset_id", ColType::Text),
    ("conflict_new_id", ColType::Int),
    ("conflict_name", ColType::Text),
    ("dyad_dset_id", ColType::Text),
    ("dyad_new_id", ColType::Int),
    ("dyad_name", ColType::Text),
    ("side_a_dset_id", ColType::Text),
    ("side_a_new_id", ColType::Int),
    ("side_a", ColType::Text),
    ("side_b_dset_id", ColType::Text),
    ("side_b_new_id", ColType::Int),
    ("side_b", ColType::Text),
    ("number_of_sources", ColType::Int),
    ("source_article", ColType::Text),
    ("source_office", ColType::Text),
    ("source_date", ColType::Text),
    ("source_headline", ColType::Text),
    ("source_original", ColType::Text),
    ("where_prec", ColType::Int),
    ("where_coordinates", ColType::Text),
    ("where_description", ColType::Text),
    ("adm_1", ColType::Text),
    ("adm_2", ColType::Text),
    ("latitude", ColType::Float),
    ("longitude", ColType::Float),
    ("priogrid_gid", ColType::Int),
    ("country", ColType::Text),
    ("country_id", ColType::Int),
    ("region", ColType::Text),
    ("event_clarity", ColType::Int),
    ("date_prec", ColType::Int),
    ("date_start", ColType::Text),
    ("date_end", ColType::Text),
    ("deaths_a", ColType::Int),
    ("deaths_b", ColType::Int),
    ("deaths_civilians", ColType::Int),
    ("deaths_unknown", ColType::Int),
    ("best", ColType::Int),
    ("high", ColType::Int),
    ("low", ColType::Int),
    ("gwnoa", ColType::Text),
    ("gwnob", ColType::Text),
];

pub struct Ged(SourceMeta);

impl Ged {
    pub const CSV: &'static str = "ucdp/ged231.csv";
    pub const GEOJSON: &'static str = "ucdp/GEDEvent_v23_1_CAR482.geojson";

    pub fn new() -> Ged {
        Ged(SourceMeta {
            id: attache_core::SourceId::UCDP_GED,
            title: "UCDP Georeferenced Event Dataset (GED) Global v23.1",
            publisher: "Uppsala Conflict Data Program (UCDP)",
            licence: UCDP_LICENCE,
            citation: "Sundberg, Ralph & Erik Melander (2013) Introducing the UCDP Georeferenced Event Dataset. Journal of Peace Research 50(4). Davies, Pettersson & Öberg (2023) Organized violence 1989-2022. JPR 60(4).",
            homepage: "https://ucdp.uu.se/downloads/",
            lag: Lag::AfterYear { months: 6 },
            files: vec![
                // GED 23.1 has about 317,000 events; the GeoJSON layout holds one country's.
                FileSpec::zipped(
                    Self::CSV,
                    "https://ucdp.uu.se/downloads/ged/ged231-csv.zip",
                    "GEDEvent_v23_1.csv",
                )
                .optional()
                .at_least(250_000)
                .release(),
                // The mirror's GeoJSON layout (one country's events) has no official URL of its own.
                FileSpec::new(Self::GEOJSON, "").optional().release(),
            ],
            tables: &["ged"],
        })
    }
}

fn ged_builder() -> TableBuilder {
    let mut cols: Vec<(String, ColType)> = GED_COLUMNS
        .iter()
        .map(|(n, t)| (n.to_string(), *t))
        .collect();
    cols.push(("iso3".into(), ColType::Text));
    cols.push(("month_id".into(), ColType::Int));
    TableBuilder::new("ged", &cols)
}

/// Pushes one GED event given a getter of raw fields by column name.
fn push_ged<'a>(
    tb: &mut TableBuilder,
    file: &str,
    line: u64,
    get: impl Fn(&str) -> std::borrow::Cow<'a, str>,
) -> Result<()> {
    let mut vals = Vec::with_capacity(GED_COLUMNS.len() + 2);
    for (name, ty) in GED_COLUMNS {
        let raw = get(name);
        vals.push(parse_cell(
            &raw,
            *ty,
            DEFAULT_NULLS,
            CellAt {
                file,
                line,
                column: name,
            },
        )?);
    }
    let start = get("date_start");
    let date = Date::parse_lenient(start.get(..10).unwrap_or(&start)).map_err(|_| {
        CellAt {
            file,
            line,
            column: "date_start",
        }
        .bad(&start, "a date")
    })?;
    let gw = get("country_id");
    let iso = attache_core::Crosswalk::global()
        .lookup_on(Scheme::Gw, &gw, date)
        .or_else(|_| attache_core::Crosswalk::global().lookup_year(Scheme::Gw, &gw, date.year))
        .map_err(|e| SourceError::Country {
            file: file.to_string(),
            line,
            column: "country_id".into(),
            error: e,
        })?;
    vals.push(Value::text(&iso.iso3));
    vals.push(Value::Int(date.month_id().0 as i64));
    tb.push(vals)
}

fn json_field(v: Option<&Json>) -> std::borrow::Cow<'static, str> {
    match v {
        None | Some(Json::Null) => "".into(),
        Some(Json::String(s)) => s.clone().into(),
        Some(other) => other.to_string().into(),
    }
}

/// Parses the GeoJSON layout: a FeatureCollection of Points whose properties are GED columns.
pub fn parse_ged_geojson(
    file: &str,
    bytes: &[u8],
    tb: &mut TableBuilder,
    stats: &mut FileStats,
) -> Result<()> {
    let fmt = |m: String| SourceError::Format {
        file: file.to_string(),
        message: m,
    };
    let doc: Json = serde_json::from_slice(bytes)
        .map_err(|e| fmt(format!("line {}: invalid JSON: {e}", e.line())))?;
    let features = doc
        .get("features")
        .and_then(Json::as_array)
        .ok_or_else(|| fmt("no \"features\" array".into()))?;
    for (i, f) in features.iter().enumerate() {
        // GeoJSON has no lines per row worth naming: report the feature index (1-based) as the line.
        let n = i as u64 + 1;
        stats.rows_read += 1;
        let props = f
            .get("properties")
            .and_then(Json::as_object)
            .ok_or_else(|| fmt(format!("feature {n}: no properties")))?;
        let coords = f.pointer("/geometry/coordinates").and_then(Json::as_array);
        let lon = coords.and_then(|c| c.first()).cloned();
        let lat = coords.and_then(|c| c.get(1)).cloned();
        push_ged(tb, file, n, |name| match name {
            "latitude" => json_field(lat.as_ref()),
            "longitude" => json_field(lon.as_ref()),
            _ => json_field(props.get(name)),
        })?;
        stats.rows_loaded += 1;
    }
    Ok(())
}

impl Source for Ged {
    fn meta(&self) -> &SourceMeta {
        &self.0
    }
    fn load(&self, inputs: &[Input]) -> Result<Loaded> {
        let mut out = Loaded::default();
        let mut tb = ged_builder();
        let mut any = false;
        if let Some(inp) = input(inputs, Self::CSV) {
            any = true;
            let d = Delimited::parse(&inp.name, &inp.bytes, &Layout::csv())?;
            for (name, _) in GED_COLUMNS {
                d.column(name)?;
            }
            let mut stats = FileStats::default();
            for rec in &d.records {
                stats.rows_read += 1;
                let row = crate::delimited::Row { d: &d, rec };
                push_ged(&mut tb, &inp.name, rec.line, |n| {
                    row.get(n).unwrap_or("").to_string().into()
                })?;
                stats.rows_loaded += 1;
            }
            out.file(&inp.name, stats);
        } else if let Some(inp) = input(inputs, Self::GEOJSON) {
            // The GeoJSON holds a subset of the same events: used only when the CSV is absent.
            any = true;
            let mut stats = FileStats::default();
            parse_ged_geojson(&inp.name, &inp.bytes, &mut tb, &mut stats)?;
            out.file(&inp.name, stats);
        }
        if any {
            out.add("ged", tb.finish()?);
        }
        Ok(out)
    }
}

pub struct OwidDeaths(SourceMeta);

impl OwidDeaths {
    pub fn new() -> OwidDeaths {
        OwidDeaths(SourceMeta {
            id: attache_core::SourceId::OWID_CONFLICT_DEATHS,
            title: "Deaths in armed conflicts based on where they occurred (OWID, from UCDP)",
            publisher: "Our World in Data, based on UCDP",
            licence: "CC BY 4.0",
            citation: "Our World in Data (2024) Deaths in armed conflicts based on where they occurred, based on UCDP GED and BRD. https://ourworldindata.org/grapher/deaths-in-armed-conflicts-based-on-where-they-occurred",
            homepage: "https://ourworldindata.org/grapher/deaths-in-armed-conflicts-based-on-where-they-occurred",
            lag: Lag::AfterYear { months: 6 },
            files: vec![FileSpec::new(
                "ucdp/owid_deaths-in-armed-conflicts-based-on-where-they-occurred.csv",
                "https://ourworldindata.org/grapher/deaths-in-armed-conflicts-based-on-where-they-occurred.csv",
            )
            .at_least(6000)],
            tables: &["indicators"],
        })
    }
}

impl Source for OwidDeaths {
    fn meta(&self) -> &SourceMeta {
        &self.0
    }
    fn load(&self, inputs: &[Input]) -> Result<Loaded> {
        let mut out = Loaded::default();
        let Some(inp) = input(inputs, self.0.files[0].mirror_path) else {
            return Ok(out);
        };
        let d = Delimited::parse(&inp.name, &inp.bytes, &Layout::csv())?;
        let (ie, iy, iv) = (d.column("Entity")?, d.column("Year")?, d.column("Deaths")?);
        let mut tb = super::worldbank::indicators_builder();
        let mut stats = FileStats::default();
        for rec in &d.records {
            stats.rows_read += 1;
            let at = |c| CellAt {
                file: &d.file,
                line: rec.line,
                column: c,
            };
            let entity = rec.fields.get(ie).unwrap_or("");
            let year = parse_cell(
                rec.fields.get(iy).unwrap_or(""),
                ColType::Int,
                &[],
                at("Year"),
            )?;
            let value = parse_cell(
                rec.fields.get(iv).unwrap_or(""),
                ColType::Float,
                DEFAULT_NULLS,
                at("Deaths"),
            )?;
            let iso = super::cw()
                .lookup(attache_core::Scheme::Name, entity)
                .ok()
                .filter(|c| c.is_current());
            if iso.is_none() {
                stats.adjust(format!("entity without ISO3 kept with iso3 null: {entity}"));
            }
            tb.push(vec![
                Value::opt_text(iso.map(|c| c.iso3.clone())),
                Value::text(entity),
                year,
                Value::text("owid_conflict_deaths"),
                value,
                Value::text("owid-conflict-deaths"),
            ])?;
            stats.rows_loaded += 1;
        }
        out.add("indicators", tb.finish()?);
        out.file(&inp.name, stats);
        Ok(out)
    }
}

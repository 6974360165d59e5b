//! Natural Earth admin-0 countries as TopoJSON (the `world-atlas` packaging: 1:110m and 1:50m,
//! geometry ids are ISO 3166-1 numeric codes, `properties.name` the short name).
//!
//! The table `ne_countries` lists each geometry with its resolved ISO3; the TopoJSON itself is
//! kept byte-for-byte in the vintage (`Loaded::artifacts`) for the dashboard's maps.

use serde_json::Value as Json;

use attache_core::Scheme;

use crate::error::{Result, SourceError};
use crate::table::{ColType, FileStats, TableBuilder, Value};
use crate::{FileSpec, Input, Lag, Loaded, Source, SourceMeta, input};

pub struct NaturalEarth(SourceMeta);

/// Who converts Natural Earth to the TopoJSON read here.
const WORLD_ATLAS: &str =
    "the world-atlas npm package (topojson/world-atlas), a TopoJSON conversion of Natural Earth";

impl NaturalEarth {
    pub fn new() -> NaturalEarth {
        NaturalEarth(SourceMeta {
            id: attache_core::SourceId::NATURAL_EARTH,
            title: "Natural Earth admin-0 countries (TopoJSON, world-atlas)",
            publisher: "Natural Earth; TopoJSON packaging by Mike Bostock (world-atlas)",
            licence: "Public domain (Natural Earth); ISC (world-atlas)",
            citation: "Natural Earth. Free vector and raster map data @ naturalearthdata.com. world-atlas 2.0, https://github.com/topojson/world-atlas",
            homepage: "https://www.naturalearthdata.com/",
            lag: Lag::Reference,
            files: vec![
                FileSpec::new(
                    "natural-earth/countries-110m.json",
                    "https://cdn.jsdelivr.net/npm/world-atlas@2/countries-110m.json",
                )
                .at_least(170)
                .via(WORLD_ATLAS),
                FileSpec::new(
                    "natural-earth/countries-50m.json",
                    "https://cdn.jsdelivr.net/npm/world-atlas@2/countries-50m.json",
                )
                .optional()
                .at_least(230)
                .via(WORLD_ATLAS),
            ],
            tables: &["ne_countries"],
        })
    }
}

/// Parses a world-atlas TopoJSON into (scale, id, name, iso3) rows.
pub fn parse_topojson(
    file: &str,
    bytes: &[u8],
    scale: &str,
    tb: &mut TableBuilder,
    stats: &mut FileStats,
) -> Result<()> {
    let fmt = |m: String| SourceError::Format {
        file: file.to_string(),
        message: m,
    };
    let doc: Json = serde_json::from_slice(bytes)
        .map_err(|e| fmt(format!("line {}: invalid JSON: {e}", e.line())))?;
    if doc.get("type").and_then(Json::as_str) != Some("Topology") {
        return Err(fmt("not a TopoJSON Topology".into()));
    }
    let geoms = doc
        .pointer("/objects/countries/geometries")
        .and_then(Json::as_array)
        .ok_or_else(|| fmt("no objects.countries.geometries".into()))?;
    for g in geoms {
        stats.rows_read += 1;
        let id = g.get("id").and_then(Json::as_str).map(str::to_string);
        let name = g
            .pointer("/properties/name")
            .and_then(Json::as_str)
            .unwrap_or("")
            .to_string();
        let iso = id
            .as_deref()
            .and_then(|i| super::cw().lookup(Scheme::IsoNumeric, i).ok())
            .or_else(|| super::cw().lookup(Scheme::Name, &name).ok())
            .map(|c| c.iso3.clone());
        if iso.is_none() {
            stats.adjust(format!("geometry without ISO3 kept with iso3 null: {name}"));
        }
        tb.push(vec![
            Value::text(scale),
            Value::opt_text(id),
            Value::text(name),
            Value::opt_text(iso),
        ])?;
        stats.rows_loaded += 1;
    }
    Ok(())
}

impl Source for NaturalEarth {
    fn meta(&self) -> &SourceMeta {
        &self.0
    }
    fn load(&self, inputs: &[Input]) -> Result<Loaded> {
        let mut out = Loaded::default();
        let mut tb = TableBuilder::new(
            "ne_countries",
            &[
                ("scale".into(), ColType::Text),
                ("id".into(), ColType::Text),
                ("name".into(), ColType::Text),
                ("iso3".into(), ColType::Text),
            ],
        );
        let mut any = false;
        for (path, scale) in [
            ("natural-earth/countries-110m.json", "110m"),
            ("natural-earth/countries-50m.json", "50m"),
        ] {
            let Some(inp) = input(inputs, path) else {
                continue;
            };
            any = true;
            let mut stats = FileStats::default();
            parse_topojson(&inp.name, &inp.bytes, scale, &mut tb, &mut stats)?;
            out.artifacts.push((inp.name.clone(), inp.bytes.clone()));
            out.file(&inp.name, stats);
        }
        if any {
            out.add("ne_countries", tb.finish()?);
        }
        Ok(out)
    }
}

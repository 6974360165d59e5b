//! The crosswalk itself as tables (`country_codes`, `neighbours`), from the data embedded in
//! attache-core: no input file, so every vintage has them.

use crate::error::Result;
use crate::table::{ColType, FileStats, TableBuilder, Value};
use crate::{Input, Lag, Loaded, Source, SourceMeta};

pub struct Reference(SourceMeta);

impl Reference {
    pub fn new() -> Reference {
        Reference(SourceMeta {
            id: attache_core::SourceId::CROSSWALK,
            title: "Attaché country crosswalk and land borders (embedded)",
            publisher: "Attaché, from DataHub country-codes, countrycode, Gleditsch & Ward, Correlates of War, ViEWS and GeoDataSource",
            licence: "PDDL / CC BY 4.0 / CC BY-SA 4.0 components; see crates/core/data",
            citation: "Arel-Bundock, Enevoldsen & Yetman (2018) countrycode: An R package to convert country names and country codes. JOSS 3(28). Gleditsch & Ward (1999) International Interactions 25. Correlates of War Project, State System Membership v2016. GeoDataSource country borders.",
            homepage: "https://github.com/vincentarelbundock/countrycode",
            lag: Lag::Reference,
            files: vec![],
            tables: &["country_codes", "neighbours"],
        })
    }
}

impl Source for Reference {
    fn meta(&self) -> &SourceMeta {
        &self.0
    }
    fn load(&self, _inputs: &[Input]) -> Result<Loaded> {
        let cw = super::cw();
        let t = ColType::Text;
        let i = ColType::Int;
        let cols: Vec<(String, ColType)> = [
            ("iso3", t),
            ("iso2", t),
            ("iso_numeric", i),
            ("m49", i),
            ("fips", t),
            ("gwcode", i),
            ("gw_letters", t),
            ("cowcode", i),
            ("cow_letters", t),
            ("views_id", i),
            ("vdem_id", i),
            ("name", t),
            ("valid_from", t),
            ("valid_to", t),
            ("independent", t),
            ("region", t),
            ("subregion", t),
            ("aliases", t),
        ]
        .iter()
        .map(|(n, t)| (n.to_string(), *t))
        .collect();
        let mut tb = TableBuilder::new("country_codes", &cols);
        let int = |v: Option<u16>| v.map_or(Value::Null, |x| Value::Int(x as i64));
        for c in cw.countries() {
            tb.push(vec![
                Value::text(&c.iso3),
                Value::opt_text(c.iso2.clone()),
                int(c.iso_numeric),
                int(c.m49),
                Value::opt_text(c.fips.clone()),
                int(c.gw),
                Value::opt_text(c.gw_letters.clone()),
                int(c.cow),
                Value::opt_text(c.cow_letters.clone()),
                int(c.views_id),
                int(c.vdem_id),
                Value::text(&c.name),
                Value::opt_text(c.valid_from.map(|d| d.to_string())),
                Value::opt_text(c.valid_to.map(|d| d.to_string())),
                Value::text(&c.independent),
                Value::text(&c.region),
                Value::text(&c.subregion),
                Value::text(c.aliases.join("|")),
            ])?;
        }
        let mut nb = TableBuilder::new(
            "neighbours",
            &[
                ("iso3".into(), t),
                ("neighbour".into(), t),
                ("kind".into(), t),
            ],
        );
        for c in cw.countries() {
            for n in cw.neighbours(&c.iso3) {
                nb.push(vec![
                    Value::text(&c.iso3),
                    Value::text(n),
                    Value::text("land"),
                ])?;
            }
        }
        let mut out = Loaded::default();
        let stats = FileStats {
            rows_read: cw.countries().len() as u64,
            rows_loaded: cw.countries().len() as u64,
            ..Default::default()
        };
        out.add("country_codes", tb.finish()?);
        out.add("neighbours", nb.finish()?);
        out.file("(embedded crosswalk)", stats);
        Ok(out)
    }
}

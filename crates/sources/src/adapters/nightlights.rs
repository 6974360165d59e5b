//! Night lights: NASA's Black Marble VNP46A4 (VIIRS/Suomi-NPP annual night-time lights,
//! gap-filled, snow-free, quality-flag filtered composites; Román et al. 2018), summed over a
//! country and its first-level regions. A slow signal of economic activity, electrification and
//! of what conflict or disaster switch off. The product is **annual**, so the series are annual
//! (one value per year), not monthly.
//!
//! Files (the mirror's CSV conversions of the World Bank DIME extracts that R. Marty made with
//! the World Bank's `blackmarbler` R package, repository `ramarty/ntl-training`, one `.Rds` per
//! year and product):
//! - `satellite/blackmarble/kenya_blackmarble_ntl_adm0_2012-2023.csv`: Kenya, 2012-2023, both
//!   composites (`VNP46A4_NearNadir_Composite_Snow_Free`, `..._OffNadir_...`). Published header
//!   `product,GID_0,COUNTRY,ntl_sum,n_pixels,n_non_na_pixels,prop_non_na_pixels,year`.
//! - `satellite/blackmarble/kenya_blackmarble_ntl_adm1_2012-2023.csv`: Kenya's 47 counties
//!   (GADM `NAME_1`), 2012-2023, near-nadir only. Published header
//!   `product,NAME_1,ntl_sum,n_pixels,n_non_na_pixels,prop_non_na_pixels,year`. The file has no
//!   country column: its country is the one its name says, Kenya, stated here ([`ADM1_FILES`]).
//!
//! Table `night_lights`, long, one row per product, area and year: `product` (as published),
//! `iso3` (`GID_0` resolved through the crosswalk for the country file; the file's country for
//! the county file), `level` (`adm0` for the country, `adm1` for a region), `region` (`NAME_1`;
//! null for the country), `year`, `ntl_sum` (radiance in nW·cm⁻²·sr⁻¹ summed over the area's
//! pixels), `n_pixels`, `n_non_na_pixels`, `prop_non_na_pixels` (as published), and the anomaly:
//!
//! - `history_years`: how many earlier years of the same series (product, level, region) the
//!   file has;
//! - `anomaly_log` = ln(`ntl_sum`_t) − ln(mean of `ntl_sum`_s over every earlier year s < t of the
//!   same series): the log change against the mean of all previous years available (0.1 ≈ 10%
//!   brighter than the area's own past). Null for a series' first year (no history) and where the
//!   value or the mean is not positive. Only earlier years enter, so a year's anomaly uses
//!   nothing published after it.
//!
//! Parsing is strict: every number is required (`NA` or empty fails, naming file, line, column
//! and value), `year` is four digits, `prop_non_na_pixels` must lie in 0..=1, `n_non_na_pixels`
//! must not exceed `n_pixels`, a product other than the two composites fails, and a second row of
//! one product, area and year fails naming both lines.
//!
//! Left out: the GeoTIFF rasters in `satellite/blackmarble/kenya/` and `nigeria/` (per-pixel
//! radiance; this adapter reads the published sums, not pixels).
//!
//! Where from: NASA distributes VNP46A4 as HDF5 tiles on LAADS DAAC (the homepage); the
//! country and county sums are a derived product with no single download of this shape. The
//! file URLs name the extracts' folder on GitHub, an HTML page, which a web sync refuses
//! (`served an HTML page, not the text table`): the source is imported from a mirror.
//!
//! Publication lag: an annual composite needs the whole year's daily VNP46A2 granules processed;
//! LAADS posts VNP46A4 for a year some months after it ends, without a published calendar. We
//! assume six months (a year's value public by the end of June of the next), and the extracts
//! read here are later still (made in November 2024 for 2012-2023).

use std::collections::{BTreeMap, HashMap};

use attache_core::Scheme;

use super::{check_unique, cw, resolve_iso3, year_of};
use crate::delimited::{Delimited, Layout, Row};
use crate::error::Result;
use crate::table::{CellAt, ColType, FileStats, TableBuilder, Value, parse_cell};
use crate::{FileSpec, Input, Lag, Loaded, Source, SourceMeta, input};

pub struct NightLights(SourceMeta);

/// The country-level file (mirror path).
pub const ADM0: &str = "satellite/blackmarble/kenya_blackmarble_ntl_adm0_2012-2023.csv";
/// The county-level file (mirror path).
pub const ADM1: &str = "satellite/blackmarble/kenya_blackmarble_ntl_adm1_2012-2023.csv";

/// Region files and the country (ISO3) each covers: they have no country column.
pub const ADM1_FILES: &[(&str, &str)] = &[(ADM1, "KEN")];

/// The Black Marble products the files hold.
pub const PRODUCTS: [&str; 2] = [
    "VNP46A4_NearNadir_Composite_Snow_Free",
    "VNP46A4_OffNadir_Composite_Snow_Free",
];

const EXTRACTS_URL: &str =
    "https://github.com/ramarty/ntl-training/tree/422027fc5466/data/ntl_blackmarble/kenya/extracts";
const EXTRACTS_VIA: &str = "the World Bank DIME extracts (blackmarbler sums per country and county) in R. Marty's ntl-training repository on GitHub; the CSV conversion of its .Rds files is the mirror's";

impl NightLights {
    pub fn new() -> NightLights {
        NightLights(SourceMeta {
            id: attache_core::SourceId::NIGHT_LIGHTS,
            title: "Night lights: NASA Black Marble VNP46A4 annual composites summed per country and first-level region (annual series)",
            publisher: "NASA Goddard Space Flight Center, Black Marble (VNP46A4, LAADS DAAC); sums per area by the World Bank (blackmarbler, DIME)",
            licence: "NASA Earth science data: open, no restriction on reuse (cite the product); the extracts' repository is MIT",
            citation: "Román, M.O. et al. (2018) NASA's Black Marble nighttime lights product suite. Remote Sensing of Environment 210, 113-143. VNP46A4, doi:10.5067/VIIRS/VNP46A4.001. Area sums: Marty, R. & Stewart, B. (2023) blackmarbler, World Bank.",
            homepage: "https://ladsweb.modaps.eosdis.nasa.gov/missions-and-measurements/products/VNP46A4/",
            // Assumed, no published calendar (module doc).
            lag: Lag::AfterYear { months: 6 },
            files: vec![
                FileSpec::new(ADM0, EXTRACTS_URL)
                    .via(EXTRACTS_VIA)
                    .at_least(24),
                FileSpec::new(ADM1, EXTRACTS_URL)
                    .via(EXTRACTS_VIA)
                    .at_least(500),
            ],
            tables: &["night_lights"],
        })
    }
}

/// One parsed row before the anomaly.
struct Obs {
    product: String,
    iso3: String,
    level: &'static str,
    region: Option<String>,
    year: i32,
    ntl_sum: f64,
    n_pixels: i64,
    n_non_na: i64,
    prop: f64,
}

/// A required number of `row`.
fn number(row: &Row<'_>, column: &str) -> Result<f64> {
    let raw = row.get(column)?;
    match parse_cell(raw, ColType::Float, &[], at(row, column))? {
        Value::Float(v) => Ok(v),
        _ => Err(at(row, column).bad(raw, "a number")),
    }
}

/// A required whole number of `row`.
fn count(row: &Row<'_>, column: &str) -> Result<i64> {
    let raw = row.get(column)?;
    match parse_cell(raw, ColType::Int, &[], at(row, column))? {
        Value::Int(v) if v >= 0 => Ok(v),
        _ => Err(at(row, column).bad(raw, "a count (a whole number, 0 or more)")),
    }
}

fn at<'a>(row: &'a Row<'_>, column: &'a str) -> CellAt<'a> {
    row.at(column)
}

fn read_file(
    inp: &Input,
    level: &'static str,
    out: &mut Vec<Obs>,
    stats: &mut FileStats,
) -> Result<()> {
    let area = if level == "adm0" { "GID_0" } else { "NAME_1" };
    let layout = Layout {
        required: ["product", area, "ntl_sum", "n_pixels", "year"]
            .map(String::from)
            .to_vec(),
        ..Layout::csv()
    };
    let d = Delimited::parse(&inp.name, &inp.bytes, &layout)?;
    for c in [
        "ntl_sum",
        "n_pixels",
        "n_non_na_pixels",
        "prop_non_na_pixels",
    ] {
        d.column(c)?;
    }
    let file_iso3 = ADM1_FILES
        .iter()
        .find(|(f, _)| *f == inp.name)
        .map(|(_, i)| *i);
    let mut seen = HashMap::new();
    for rec in &d.records {
        stats.rows_read += 1;
        let row = Row { d: &d, rec };
        let product = row.get("product")?.trim();
        if !PRODUCTS.contains(&product) {
            return Err(row.at("product").bad(
                product,
                "a Black Marble VNP46A4 composite (NearNadir or OffNadir, snow-free)",
            ));
        }
        let year = year_of(&row, "year")?;
        let (iso3, region) = if level == "adm0" {
            (resolve_iso3(&row, "GID_0", stats)?, None)
        } else {
            let iso3 = match file_iso3 {
                Some(i) => cw()
                    .lookup(Scheme::Iso3, i)
                    .map(|c| c.iso3.clone())
                    .map_err(|error| crate::SourceError::Country {
                        file: d.file.clone(),
                        line: row.line(),
                        column: "(the file's country)".into(),
                        error,
                    })?,
                None => {
                    return Err(crate::SourceError::Format {
                        file: d.file.clone(),
                        message: "a region file the adapter does not know the country of".into(),
                    });
                }
            };
            (iso3, Some(row.get("NAME_1")?.trim().to_string()))
        };
        let ntl_sum = number(&row, "ntl_sum")?;
        if ntl_sum < 0.0 {
            return Err(row
                .at("ntl_sum")
                .bad(row.get("ntl_sum")?, "a sum of radiance (0 or more)"));
        }
        let n_pixels = count(&row, "n_pixels")?;
        let n_non_na = count(&row, "n_non_na_pixels")?;
        if n_non_na > n_pixels {
            return Err(row
                .at("n_non_na_pixels")
                .bad(row.get("n_non_na_pixels")?, "at most n_pixels"));
        }
        let prop = number(&row, "prop_non_na_pixels")?;
        if !(0.0..=1.0).contains(&prop) {
            return Err(row
                .at("prop_non_na_pixels")
                .bad(row.get("prop_non_na_pixels")?, "a share (0 to 1)"));
        }
        let key = format!(
            "{product} {iso3} {} {year}",
            region.as_deref().unwrap_or("(country)")
        );
        check_unique(&mut seen, key, &row, "product, area and year")?;
        out.push(Obs {
            product: product.to_string(),
            iso3,
            level,
            region,
            year,
            ntl_sum,
            n_pixels,
            n_non_na,
            prop,
        });
        stats.rows_loaded += 1;
    }
    Ok(())
}

/// `(history_years, anomaly_log)` of each observation, in the order given: the log change of
/// `ntl_sum` against the mean of the same series' earlier years (module doc).
pub fn anomalies(series: &[(i32, f64)]) -> Vec<(i64, Option<f64>)> {
    series
        .iter()
        .map(|&(year, v)| {
            let past: Vec<f64> = series
                .iter()
                .filter(|(y, _)| *y < year)
                .map(|(_, v)| *v)
                .collect();
            let n = past.len();
            let anomaly = (n > 0)
                .then(|| past.iter().sum::<f64>() / n as f64)
                .filter(|m| *m > 0.0 && v > 0.0)
                .map(|m| v.ln() - m.ln());
            (n as i64, anomaly)
        })
        .collect()
}

impl Source for NightLights {
    fn meta(&self) -> &SourceMeta {
        &self.0
    }

    fn load(&self, inputs: &[Input]) -> Result<Loaded> {
        let mut out = Loaded::default();
        let mut obs = Vec::new();
        for (file, level) in [(ADM0, "adm0"), (ADM1, "adm1")] {
            if let Some(inp) = input(inputs, file) {
                let mut stats = FileStats::default();
                read_file(inp, level, &mut obs, &mut stats)?;
                out.file(file, stats);
            }
        }
        if out.stats.is_empty() {
            return Ok(out);
        }
        // Series in a stable order: product, country, level, region, then year.
        obs.sort_by(|a, b| {
            (&a.product, &a.iso3, a.level, &a.region, a.year)
                .cmp(&(&b.product, &b.iso3, b.level, &b.region, b.year))
        });
        let mut by_series: BTreeMap<(String, String, &str, Option<String>), Vec<usize>> =
            BTreeMap::new();
        for (i, o) in obs.iter().enumerate() {
            by_series
                .entry((o.product.clone(), o.iso3.clone(), o.level, o.region.clone()))
                .or_default()
                .push(i);
        }
        let mut anomaly = vec![(0i64, None); obs.len()];
        for idx in by_series.values() {
            let s: Vec<(i32, f64)> = idx.iter().map(|&i| (obs[i].year, obs[i].ntl_sum)).collect();
            for (&i, a) in idx.iter().zip(anomalies(&s)) {
                anomaly[i] = a;
            }
        }
        let cols: Vec<(String, ColType)> = [
            ("product", ColType::Text),
            ("iso3", ColType::Text),
            ("level", ColType::Text),
            ("region", ColType::Text),
            ("year", ColType::Int),
            ("ntl_sum", ColType::Float),
            ("n_pixels", ColType::Int),
            ("n_non_na_pixels", ColType::Int),
            ("prop_non_na_pixels", ColType::Float),
            ("history_years", ColType::Int),
            ("anomaly_log", ColType::Float),
        ]
        .map(|(n, t)| (n.to_string(), t))
        .to_vec();
        let mut tb = TableBuilder::with_capacity("night_lights", &cols, obs.len());
        for (o, (hist, a)) in obs.into_iter().zip(anomaly) {
            tb.push(vec![
                Value::Text(o.product),
                Value::Text(o.iso3),
                Value::text(o.level),
                Value::opt_text(o.region),
                Value::Int(o.year as i64),
                Value::Float(o.ntl_sum),
                Value::Int(o.n_pixels),
                Value::Int(o.n_non_na),
                Value::Float(o.prop),
                Value::Int(hist),
                a.map_or(Value::Null, Value::Float),
            ])?;
        }
        out.add("night_lights", tb.finish()?);
        Ok(out)
    }
}

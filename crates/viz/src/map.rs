//! World choropleth: one value per country, coloured by a binned or continuous sequential
//! scale, in the Equal Earth projection ([`crate::project`]), so areas are honest.
//!
//! Input is a list of [`Region`]s (the caller turns TopoJSON features into regions, mapping raw
//! ISO-numeric ids to its own keys) and a map from key to value. A region is drawn as *no data*
//! (grey with hatching, so it differs from the palette's low end without relying on colour) when
//! it has no key, no value, or an unusable value (NaN, infinite, beyond ±1e15). Nothing is dropped silently: [`MapStats`]
//! counts every case, and lists values whose key matches no region.
//!
//! Classes and data attributes (in addition to those in [`crate::chart`]):
//!
//! | selector | element |
//! | --- | --- |
//! | `svg.viz-map` | the map |
//! | `path.sphere` | the globe's outline (ocean) |
//! | `path.region[data-key][data-value]` | a country, inside `<a href>` when linked; `.no-data` without a value (then no `data-value`); a country too small for the 0.1 px grid is a 3 px diamond |
//! | `g.legend-bin[data-lo][data-hi]` | a legend class (binned scale; the open ends have no `data-lo` / `data-hi`) |
//! | `g.legend-ramp[data-lo][data-hi]` | the legend gradient (continuous scale) |
//! | `g.legend-item[data-item="no-data"]` | the no-data swatch |
//!
//! Coordinates are rounded to 0.1 px and written as relative steps; the 110m world at 960 px
//! wide is about 120 KB.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use crate::chart::bar::check_href;
use crate::chart::{Frame, MAX_ABS, TITLE_H, caption, text_width, title};
use crate::error::VizError;
use crate::palette::{INK, Palette, Rgb};
use crate::project::{outline, project, x_max, y_max};
use crate::scale::ValueFormat;
use crate::topo::{Feature, MultiPolygon};
use crate::xml::{Close, PathData, data_num, esc, open_svg, px, text, url_segment};

/// One drawable area: the caller's key (e.g. ISO3), a display name and its polygons (borrowed,
/// typically from a [`crate::topo::Topology`] kept for the life of the server).
#[derive(Clone, Debug, PartialEq)]
pub struct Region<'a> {
    /// `None` for areas without a code (Kosovo, N. Cyprus, Somaliland in Natural Earth 110m):
    /// drawn as no data, without link.
    pub key: Option<String>,
    pub name: String,
    pub geometry: &'a MultiPolygon,
}

impl<'a> Region<'a> {
    /// A region from a TopoJSON feature and the key the caller resolved for its id. The name is
    /// the feature's name, else its id, else "Unnamed area".
    pub fn from_feature(f: &'a Feature, key: Option<String>) -> Self {
        let name = f
            .name
            .clone()
            .or_else(|| f.id.clone())
            .unwrap_or_else(|| "Unnamed area".into());
        Region {
            key,
            name,
            geometry: &f.geometry,
        }
    }
}

/// How values become colours.
#[derive(Clone, Debug, PartialEq)]
pub enum ColourScale {
    /// Classes split at `thresholds` (1 to 8, strictly increasing): class 0 is below the first,
    /// class i covers `[t_i, t_{i+1})`, the last is at or above the last threshold.
    Binned {
        thresholds: Vec<f64>,
        palette: Palette,
    },
    /// A continuous ramp over `lo..=hi` (e.g. 0..1 for probabilities); values outside are
    /// clamped, counted in [`MapStats::clamped`], and the legend ends then read "≤" / "≥".
    Continuous { lo: f64, hi: f64, palette: Palette },
    /// Named classes (1 to 8), each with its own colour: a region's value is its class index
    /// (0-based; rounded, and out-of-range indices are invalid values, drawn as no data).
    Categories { classes: Vec<(String, Rgb)> },
}

/// How a choropleth is titled, coloured and linked.
#[derive(Clone, Debug, PartialEq)]
pub struct ChoroplethSpec {
    pub frame: Frame,
    /// Legend heading with unit, e.g. "Probability of ≥ 25 battle deaths, next month".
    pub legend_title: String,
    pub colours: ColourScale,
    /// How values are written in the legend and default tooltips.
    pub value_format: ValueFormat,
    /// Base colour of no-data areas (hatched on top); [`NO_DATA`] is a light grey.
    pub no_data_colour: Rgb,
    /// Link for each region with a key, `{key}` replaced by the percent-encoded key, e.g.
    /// `"/country/{key}"`.
    pub link_template: Option<String>,
}

/// Default no-data grey.
pub const NO_DATA: Rgb = Rgb(0xd9, 0xd9, 0xd9);

/// What the map drew, for the caller to report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MapStats {
    pub regions: usize,
    /// Regions coloured by a value.
    pub with_value: usize,
    /// Regions drawn as no data (no key, no value, or a non-finite value).
    pub no_data: usize,
    pub without_key: usize,
    /// Regions whose value was NaN, infinite or beyond ±[`MAX_ABS`] (drawn as no data).
    pub invalid: usize,
    /// Regions with no polygons (nothing to draw; still counted in `regions`).
    pub without_geometry: usize,
    /// Names of regions too small to show at this size, drawn as a small diamond at their
    /// centre.
    pub tiny: Vec<String>,
    /// Values outside a continuous scale's domain (clamped to its ends).
    pub clamped: usize,
    /// Keys in the values that match no region, sorted.
    pub values_without_region: Vec<String>,
}

/// A drawn map.
#[derive(Clone, Debug, PartialEq)]
pub struct Choropleth {
    pub svg: String,
    pub stats: MapStats,
}

const LEGEND_H: f64 = 58.0;
/// Half-width of the diamond that stands for a region smaller than the drawing grid.
const TINY_RADIUS: f64 = 1.5;

/// Draws a world choropleth (at least 320 x 220).
pub fn choropleth(
    spec: &ChoroplethSpec,
    regions: &[Region],
    values: &HashMap<String, f64>,
    tooltips: &HashMap<String, String>,
) -> Result<Choropleth, VizError> {
    let f = &spec.frame;
    f.validate(320.0, 220.0)?;
    validate_scale(&spec.colours)?;
    if let Some(t) = &spec.link_template {
        check_href(&t.replace("{key}", "KEY"))?;
    }
    let fmt = |v: f64| spec.value_format.format(v);

    // Fit the projection into the space between the title and the legend.
    let bottom = LEGEND_H + if f.caption.is_some() { 18.0 } else { 4.0 };
    let (aw, ah) = (f.width - 16.0, f.height - TITLE_H - 6.0 - bottom);
    let s = (aw / (2.0 * x_max())).min(ah / (2.0 * y_max()));
    if s <= 0.0 {
        return Err(VizError::BadSize {
            width: f.width,
            height: f.height,
            min_width: 320.0,
            min_height: 220.0,
        });
    }
    let (cx, cy) = (f.width / 2.0, TITLE_H + 6.0 + ah / 2.0);
    let to_px = |p: &[f64; 2]| [cx + s * p[0], cy - s * p[1]];

    let mut stats = MapStats {
        regions: regions.len(),
        ..MapStats::default()
    };
    let mut clamped_low = false;
    let mut clamped_high = false;
    let mut body = String::new();
    let mut ranked: Vec<(&str, f64)> = Vec::new();
    for r in regions {
        let value = r.key.as_ref().and_then(|k| values.get(k)).copied();
        if r.key.is_none() {
            stats.without_key += 1;
        }
        let in_scale = |v: f64| match &spec.colours {
            ColourScale::Categories { classes } => v >= -0.5 && v.round() < classes.len() as f64,
            _ => true,
        };
        let value = match value {
            Some(v) if v.is_finite() && v.abs() <= MAX_ABS && in_scale(v) => Some(v),
            Some(_) => {
                stats.invalid += 1;
                None
            }
            None => None,
        };
        if let Some(v) = value {
            stats.with_value += 1;
            ranked.push((&r.name, v));
            if let ColourScale::Continuous { lo, hi, .. } = spec.colours {
                clamped_low |= v < lo;
                clamped_high |= v > hi;
                stats.clamped += usize::from(v < lo || v > hi);
            }
        } else {
            stats.no_data += 1;
        }
        let mut d = PathData::new();
        let (mut sum, mut n) = ([0.0, 0.0], 0usize);
        for ring in project(r.geometry) {
            let pts: Vec<[f64; 2]> = ring.iter().map(to_px).collect();
            for p in &pts {
                sum = [sum[0] + p[0], sum[1] + p[1]];
            }
            n += pts.len();
            d.polyline(&pts, Close::Yes);
        }
        if n == 0 {
            stats.without_geometry += 1;
            continue;
        }
        if d.is_empty() {
            // Smaller than the 0.1 px grid (Vatican at 960 px): a 3 px diamond at its centre,
            // so it can still be seen, hovered and followed.
            stats.tiny.push(r.name.clone());
            let c = [sum[0] / n as f64, sum[1] / n as f64];
            let r = TINY_RADIUS;
            d.polyline(
                &[
                    [c[0] - r, c[1]],
                    [c[0], c[1] - r],
                    [c[0] + r, c[1]],
                    [c[0], c[1] + r],
                ],
                Close::Yes,
            );
        }
        let tip = match (r.key.as_ref().and_then(|k| tooltips.get(k)), value) {
            (Some(t), _) => t.clone(),
            (None, Some(v)) => format!("{}: {}", r.name, fmt(v)),
            (None, None) => format!("{}: no data", r.name),
        };
        let link = match (&spec.link_template, &r.key) {
            (Some(t), Some(k)) => Some(t.replace("{key}", &url_segment(k))),
            _ => None,
        };
        if let Some(l) = &link {
            // Not a Tab stop: a keyboard reaches the countries through the page's search box
            // and table (a world map would be 170+ stops); a pointer still follows the link.
            let _ = write!(
                body,
                r#"<a href="{}" aria-label="{}" tabindex="-1">"#,
                esc(l),
                esc(&tip)
            );
        }
        let key_attr = r
            .key
            .as_ref()
            .map(|k| format!(r#" data-key="{}""#, esc(k)))
            .unwrap_or_default();
        match value {
            Some(v) => {
                let _ = write!(
                    body,
                    r#"<path class="region"{key_attr} data-value="{}" fill="{}" d="{}"><title>{}</title></path>"#,
                    data_num(v),
                    colour(&spec.colours, v),
                    d.finish(),
                    esc(&tip),
                );
            }
            None => {
                let _ = write!(
                    body,
                    r##"<path class="region no-data"{key_attr} fill="url(#{}-nodata)" d="{}"><title>{}</title></path>"##,
                    esc(&f.id),
                    d.finish(),
                    esc(&tip),
                );
            }
        }
        if link.is_some() {
            body.push_str("</a>");
        }
    }
    let keys: HashSet<&str> = regions.iter().filter_map(|r| r.key.as_deref()).collect();
    stats.values_without_region = values
        .keys()
        .filter(|k| !keys.contains(k.as_str()))
        .cloned()
        .collect();
    stats.values_without_region.sort();

    let mut out = String::new();
    open_svg(
        &mut out,
        &f.id,
        "viz-map",
        (f.width, f.height),
        (&f.title, &f.desc(describe(spec, &stats, &mut ranked))),
        spec.link_template.is_some(),
    );
    let _ = write!(
        out,
        r##"<defs><pattern id="{}-nodata" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="5" height="5" fill="{}"/><line x1="0" y1="0" x2="0" y2="5" stroke="#8c8c8c" stroke-width="1.2"/></pattern>"##,
        esc(&f.id),
        spec.no_data_colour,
    );
    if let ColourScale::Continuous { palette, .. } = spec.colours {
        let _ = write!(out, r#"<linearGradient id="{}-ramp">"#, esc(&f.id));
        for (i, c) in palette.stops().iter().enumerate() {
            let _ = write!(
                out,
                r#"<stop offset="{}" stop-color="{c}"/>"#,
                data_num(i as f64 / 8.0)
            );
        }
        out.push_str("</linearGradient>");
    }
    out.push_str("</defs>");
    title(&mut out, &f.title);
    let mut sphere = PathData::new();
    sphere.polyline(&outline().iter().map(to_px).collect::<Vec<_>>(), Close::Yes);
    let _ = write!(
        out,
        r##"<path class="sphere" d="{}" fill="#f3f6f9" stroke="#c8ced6"/>"##,
        sphere.finish()
    );
    let _ = write!(
        out,
        r##"<g class="regions" stroke="#ffffff" stroke-width=".4" stroke-linejoin="round" fill-rule="evenodd">{body}</g>"##
    );
    legend(
        &mut out,
        spec,
        f.height - bottom,
        (clamped_low, clamped_high),
    );
    caption(&mut out, f);
    out.push_str("</svg>");
    Ok(Choropleth { svg: out, stats })
}

fn validate_scale(c: &ColourScale) -> Result<(), VizError> {
    match c {
        ColourScale::Binned { thresholds, .. } => {
            if thresholds.is_empty() || thresholds.len() > 8 {
                return Err(VizError::ColourScale(format!(
                    "need 1 to 8 thresholds, got {}",
                    thresholds.len()
                )));
            }
            if let Some(t) = thresholds
                .iter()
                .find(|t| !(t.is_finite() && t.abs() <= MAX_ABS))
            {
                return Err(VizError::ColourScale(format!(
                    "threshold {t} is not a finite number within ±1e15"
                )));
            }
            if let Some(w) = thresholds.windows(2).find(|w| w[0] >= w[1]) {
                return Err(VizError::ColourScale(format!(
                    "thresholds must increase strictly: {} then {}",
                    w[0], w[1]
                )));
            }
        }
        ColourScale::Categories { classes } => {
            if classes.is_empty() || classes.len() > 8 {
                return Err(VizError::ColourScale(format!(
                    "need 1 to 8 classes, got {}",
                    classes.len()
                )));
            }
            if let Some((l, _)) = classes.iter().find(|(l, _)| l.trim().is_empty()) {
                return Err(VizError::ColourScale(format!("class label {l:?} is empty")));
            }
        }
        ColourScale::Continuous { lo, hi, .. } => {
            let ok = |v: &f64| v.is_finite() && v.abs() <= MAX_ABS;
            if !(ok(lo) && ok(hi) && lo < hi) {
                return Err(VizError::ColourScale(format!(
                    "domain {lo}..{hi} must be within ±1e15 with low < high"
                )));
            }
        }
    }
    Ok(())
}

/// The class (bin) index of `v`.
fn bin(thresholds: &[f64], v: f64) -> usize {
    thresholds.iter().filter(|&&t| t <= v).count()
}

fn colour(c: &ColourScale, v: f64) -> Rgb {
    match c {
        ColourScale::Binned {
            thresholds,
            palette,
        } => palette.classes(thresholds.len() + 1)[bin(thresholds, v)],
        ColourScale::Continuous { lo, hi, palette } => palette.at((v - lo) / (hi - lo)),
        ColourScale::Categories { classes } => classes[v.round() as usize].1,
    }
}

impl ChoroplethSpec {
    /// The legend's classes as (label, colour) in order, for a legend drawn outside the SVG
    /// (an HTML legend stays legible when a phone shrinks the map). A continuous ramp has
    /// its two ends and middle. The no-data swatch is not included.
    pub fn legend_entries(&self) -> Vec<(String, String)> {
        let fmt = |v: f64| self.value_format.format(v);
        match &self.colours {
            ColourScale::Binned {
                thresholds,
                palette,
            } => {
                let colours = palette.classes(thresholds.len() + 1);
                (0..colours.len())
                    .map(|i| {
                        let label =
                            match (i.checked_sub(1).map(|j| thresholds[j]), thresholds.get(i)) {
                                (None, Some(&t)) => format!("< {}", fmt(t)),
                                (Some(a), Some(&b)) => format!("{}–{}", fmt(a), fmt(b)),
                                (Some(a), None) => format!("≥ {}", fmt(a)),
                                (None, None) => String::new(),
                            };
                        (label, colours[i].to_string())
                    })
                    .collect()
            }
            ColourScale::Categories { classes } => classes
                .iter()
                .map(|(l, c)| (l.to_string(), c.to_string()))
                .collect(),
            ColourScale::Continuous { lo, hi, .. } => [*lo, (lo + hi) / 2.0, *hi]
                .into_iter()
                .map(|v| (fmt(v), colour(&self.colours, v).to_string()))
                .collect(),
        }
    }
}

fn legend(out: &mut String, spec: &ChoroplethSpec, top: f64, clamped: (bool, bool)) {
    let fmt = |v: f64| spec.value_format.format(v);
    let id = esc(&spec.frame.id);
    out.push_str(r#"<g class="legend">"#);
    text(
        out,
        8.0,
        top + 14.0,
        &format!(r#"class="legend-title" font-weight="600" fill="{INK}""#),
        &spec.legend_title,
    );
    let y = top + 22.0;
    let mut x = 8.0;
    match &spec.colours {
        ColourScale::Binned {
            thresholds,
            palette,
        } => {
            let colours = palette.classes(thresholds.len() + 1);
            let labels: Vec<String> = spec.legend_entries().into_iter().map(|e| e.0).collect();
            let w = labels
                .iter()
                .map(|l| text_width(l, 11.0) * 1.1)
                .fold(44.0, f64::max)
                + 10.0;
            for (i, (c, l)) in colours.iter().zip(&labels).enumerate() {
                let lo = i
                    .checked_sub(1)
                    .map(|j| format!(r#" data-lo="{}""#, data_num(thresholds[j])))
                    .unwrap_or_default();
                let hi = thresholds
                    .get(i)
                    .map(|t| format!(r#" data-hi="{}""#, data_num(*t)))
                    .unwrap_or_default();
                let _ = write!(
                    out,
                    r#"<g class="legend-bin"{lo}{hi}><rect x="{}" y="{}" width="{}" height="12" fill="{c}" stroke="{INK}" stroke-width=".3"/>"#,
                    px(x),
                    px(y),
                    px(w - 2.0),
                );
                text(
                    out,
                    x,
                    y + 26.0,
                    &format!(r#"font-size="11" fill="{INK}""#),
                    l,
                );
                out.push_str("</g>");
                x += w;
            }
        }
        ColourScale::Categories { classes } => {
            for (i, (l, c)) in classes.iter().enumerate() {
                let w = text_width(l, 11.0) * 1.1 + 26.0;
                let _ = write!(
                    out,
                    r#"<g class="legend-class" data-class="{i}"><rect x="{}" y="{}" width="12" height="12" fill="{c}" stroke="{INK}" stroke-width=".3"/>"#,
                    px(x),
                    px(y),
                );
                text(
                    out,
                    x + 16.0,
                    y + 10.0,
                    &format!(r#"font-size="11" fill="{INK}""#),
                    l,
                );
                out.push_str("</g>");
                x += w;
            }
        }
        ColourScale::Continuous { lo, hi, .. } => {
            let w = 220.0;
            let _ = write!(
                out,
                r##"<g class="legend-ramp" data-lo="{}" data-hi="{}"><rect x="{}" y="{}" width="{w}" height="12" fill="url(#{id}-ramp)" stroke="{INK}" stroke-width=".3"/>"##,
                data_num(*lo),
                data_num(*hi),
                px(x),
                px(y),
            );
            let lo_l = if clamped.0 {
                format!("≤ {}", fmt(*lo))
            } else {
                fmt(*lo)
            };
            let hi_l = if clamped.1 {
                format!("≥ {}", fmt(*hi))
            } else {
                fmt(*hi)
            };
            for (t, anchor, label) in [
                (0.0, "start", lo_l),
                (0.5, "middle", fmt((lo + hi) / 2.0)),
                (1.0, "end", hi_l),
            ] {
                let tx = x + t * w;
                let _ = write!(
                    out,
                    r#"<line x1="{tx}" y1="{}" x2="{tx}" y2="{}" stroke="{INK}"/>"#,
                    px(y + 12.0),
                    px(y + 15.0),
                    tx = px(tx),
                );
                text(
                    out,
                    tx,
                    y + 26.0,
                    &format!(r#"text-anchor="{anchor}" font-size="11" fill="{INK}""#),
                    &label,
                );
            }
            out.push_str("</g>");
            x += w + 16.0;
        }
    }
    let _ = write!(
        out,
        r##"<g class="legend-item" data-item="no-data"><rect x="{x}" y="{y}" width="24" height="12" fill="url(#{id}-nodata)" stroke="{INK}" stroke-width=".3"/>"##,
        x = px(x + 8.0),
        y = px(y),
    );
    text(
        out,
        x + 8.0,
        y + 26.0,
        &format!(r#"font-size="11" fill="{INK}""#),
        "No data",
    );
    out.push_str("</g></g>");
}

fn describe(spec: &ChoroplethSpec, stats: &MapStats, ranked: &mut [(&str, f64)]) -> String {
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    let top: Vec<String> = ranked
        .iter()
        .take(5)
        .map(|(n, v)| match &spec.colours {
            ColourScale::Categories { classes } => format!("{n} {}", classes[v.round() as usize].0),
            _ => format!("{n} {}", spec.value_format.format(*v)),
        })
        .collect();
    let mut s = format!(
        "World map of {}: {} of {} areas have a value, {} are shown as no data (hatched).",
        spec.legend_title, stats.with_value, stats.regions, stats.no_data
    );
    if !top.is_empty() {
        let _ = write!(s, " Highest: {}.", top.join(", "));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins() {
        let t = [0.1, 0.25, 0.5];
        for (v, b) in [
            (-1.0, 0),
            (0.0, 0),
            (0.1, 1),
            (0.2499, 1),
            (0.25, 2),
            (0.5, 3),
            (9.0, 3),
        ] {
            assert_eq!(bin(&t, v), b, "{v}");
        }
    }

    #[test]
    fn bad_scales() {
        let check = |c: ColourScale, want: &str| {
            let e = validate_scale(&c).unwrap_err().to_string();
            assert!(e.contains(want), "{e}");
        };
        let p = Palette::YlOrRd;
        check(
            ColourScale::Binned {
                thresholds: vec![],
                palette: p,
            },
            "need 1 to 8 thresholds, got 0",
        );
        check(
            ColourScale::Binned {
                thresholds: vec![0.5, 0.5],
                palette: p,
            },
            "increase strictly: 0.5 then 0.5",
        );
        check(
            ColourScale::Binned {
                thresholds: vec![f64::NAN],
                palette: p,
            },
            "threshold NaN is not a finite number",
        );
        check(
            ColourScale::Continuous {
                lo: 1.0,
                hi: 0.0,
                palette: p,
            },
            "domain 1..0",
        );
        check(
            ColourScale::Categories { classes: vec![] },
            "need 1 to 8 classes, got 0",
        );
        check(
            ColourScale::Categories {
                classes: vec![(" ".into(), INK)],
            },
            "class label \" \" is empty",
        );
    }
}

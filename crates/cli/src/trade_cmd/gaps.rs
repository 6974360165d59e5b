//! `attache trade gaps`: mirror statistics of a WITS reporter-partner file (`attache_trade::
//! mirror`): every flow as both sides reported it, the CIF/FOB-adjusted gap, flows only one
//! side reports, and the flagged pairs with the file lines they come from. What a gap can and
//! cannot mean is printed with the table: a flag is a question for an analyst, not a finding.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use attache_trade::mirror::{FlagRule, MirrorFlow, counts, gravity_check, mirror, parse_wits};
use clap::Args;

use super::Format;

use attache_trade::mirror::CAVEAT;

#[derive(Args)]
pub struct GapsArgs {
    /// The WITS extraction (semicolon-separated: ReporterISO3, PartnerISO3, TradeFlowName,
    /// "TradeValue in 1000 USD"), e.g. trade/WITS_trade2009.csv of the data mirror.
    #[arg(long)]
    input: PathBuf,
    /// Only flows to or from this country (ISO3 or any code or name `attache country` knows).
    #[arg(long)]
    country: Option<String>,
    /// Flag a two-sided flow when |gap| is at least this share of the larger figure.
    #[arg(long, default_value_t = 0.5)]
    relative: f64,
    /// ... and the larger figure is at least this many thousand USD (also the floor of the
    /// gravity check's outliers).
    #[arg(long, default_value_t = 10_000.0)]
    min_value: f64,
    /// CEPII GeoDist distances (`dist_cepii.csv`: iso_o;iso_d;...;dist): also fit the gravity
    /// model flow ~ log(DIST) | exporter + importer by PPML and mark flows far from their
    /// prediction.
    #[arg(long, value_name = "FILE")]
    distances: Option<PathBuf>,
    /// With --distances: an outlier is more than this many times above or below its prediction.
    #[arg(long, default_value_t = 10.0)]
    gravity_factor: f64,
    /// Rows of the table format (flagged flows, largest |gap| first); csv and json give all.
    #[arg(long, default_value_t = 20)]
    top: usize,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

fn num(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.3}")).unwrap_or_default()
}

pub fn gaps(a: GapsArgs) -> Result<ExitCode> {
    let bytes =
        std::fs::read(&a.input).with_context(|| format!("reading {}", a.input.display()))?;
    let name = a.input.display().to_string();
    let file = parse_wits(&name, &bytes)?;
    let rule = FlagRule {
        relative: a.relative,
        min_value: a.min_value,
    };
    let mut flows = mirror(&file, rule);
    let gravity = match &a.distances {
        None => None,
        Some(p) => {
            let d = read_distances(p)?;
            Some(
                gravity_check(&mut flows, &d, a.gravity_factor, a.min_value)
                    .context("fitting the gravity model to the flows")?,
            )
        }
    };
    if let Some(q) = &a.country {
        let iso3 = attache_core::Crosswalk::global().find(q)?.iso3.clone();
        flows.retain(|f| f.exporter == iso3 || f.importer == iso3);
    }
    let c = counts(&flows);
    let set_aside: usize = file.aggregates.values().sum();
    match a.format {
        Format::Table => {
            let mut out = String::new();
            out.push_str(&format!(
                "{} rows read: {} between countries, {} with an aggregate ({}) set aside, {} of a country with itself\n",
                file.rows.len() + set_aside + file.self_trade,
                file.rows.len(),
                set_aside,
                file.aggregates.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", "),
                file.self_trade
            ));
            out.push_str(&format!(
                "{} flows: {} reported by both sides, {} orphaned (importer only), {} lost (exporter only); {} flagged (|gap| >= {:.0}% of the larger figure, >= {} thousand USD)\n",
                c.flows, c.both, c.orphaned, c.lost, c.flagged, a.relative * 100.0, a.min_value
            ));
            if let Some(g) = &gravity {
                out.push_str(&format!(
                    "gravity check (PPML, flow ~ log(DIST) | exporter + importer): distance elasticity {:.3} ({:.3}), {} flows fitted, {} more than {}x above or below their prediction (of those reaching {} thousand USD)\n",
                    g.distance.0, g.distance.1, g.n, g.outliers, g.factor, g.min_value
                ));
            }
            out.push_str(CAVEAT);
            out.push_str(
                "\n\nexporter importer  exports_fob  imports_cif          gap  relative  lines\n",
            );
            let mut flagged: Vec<&MirrorFlow> = flows.iter().filter(|f| f.flagged).collect();
            flagged.sort_by(|x, y| {
                y.gap
                    .unwrap_or(0.0)
                    .abs()
                    .total_cmp(&x.gap.unwrap_or(0.0).abs())
            });
            for f in flagged.iter().take(a.top) {
                out.push_str(&format!(
                    "{:8} {:8} {:>12} {:>12} {:>12} {:>9} {}\n",
                    f.exporter,
                    f.importer,
                    num(f.exports),
                    num(f.imports),
                    num(f.gap),
                    f.relative_gap
                        .map(|r| format!("{r:+.2}"))
                        .unwrap_or_default(),
                    f.lines
                        .iter()
                        .map(|l| l.to_string())
                        .collect::<Vec<_>>()
                        .join(",")
                ));
            }
            crate::emit(&out);
        }
        Format::Csv => {
            let mut out = String::from(
                "exporter,importer,exports_fob_kusd,imports_cif_kusd,sides,gap_kusd,relative_gap,flagged,predicted_kusd,gravity_outlier,lines\n",
            );
            for f in &flows {
                out.push_str(&format!(
                    "{},{},{},{},{},{},{},{},{},{},{}\n",
                    f.exporter,
                    f.importer,
                    num(f.exports),
                    num(f.imports),
                    f.sides.as_str(),
                    num(f.gap),
                    f.relative_gap
                        .map(|r| format!("{r:.4}"))
                        .unwrap_or_default(),
                    f.flagged,
                    num(f.predicted),
                    f.gravity_outlier,
                    f.lines
                        .iter()
                        .map(|l| l.to_string())
                        .collect::<Vec<_>>()
                        .join(" ")
                ));
            }
            crate::emit(&out);
        }
        Format::Json => {
            let rows: Vec<serde_json::Value> = flows
                .iter()
                .map(|f| {
                    serde_json::json!({"exporter": f.exporter, "importer": f.importer,
                        "exports_fob_kusd": f.exports, "imports_cif_kusd": f.imports,
                        "sides": f.sides.as_str(), "gap_kusd": f.gap, "relative_gap": f.relative_gap,
                        "flagged": f.flagged, "predicted_kusd": f.predicted,
                        "gravity_outlier": f.gravity_outlier, "lines": f.lines})
                })
                .collect();
            let j = serde_json::json!({
                "input": name, "cif_fob": attache_trade::mirror::CIF_FOB,
                "rule": {"relative": a.relative, "min_value_kusd": a.min_value},
                "counts": {"flows": c.flows, "both": c.both, "orphaned": c.orphaned, "lost": c.lost, "flagged": c.flagged},
                "set_aside": file.aggregates, "aliased": file.aliased, "self_trade_rows": file.self_trade,
                "gravity": gravity.as_ref().map(|g| serde_json::json!({"distance_elasticity": g.distance.0,
                    "std_error": g.distance.1, "n": g.n, "outliers": g.outliers, "factor": g.factor, "min_value_kusd": g.min_value})),
                "caveat": CAVEAT, "flows": rows,
            });
            crate::emit(&format!("{j}\n"));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// CEPII GeoDist pairs: (iso_o, iso_d) -> dist in km; a bad number names file and line.
fn read_distances(
    path: &std::path::Path,
) -> Result<std::collections::BTreeMap<(String, String), f64>> {
    let text = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let text = String::from_utf8_lossy(&text);
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split(';').collect();
    let col = |n: &str| {
        header.iter().position(|h| h.trim() == n).with_context(|| {
            format!(
                "{}: no column {n} (found: {})",
                path.display(),
                header.join(";")
            )
        })
    };
    let (o, d, km) = (col("iso_o")?, col("iso_d")?, col("dist")?);
    let mut out = std::collections::BTreeMap::new();
    for (i, l) in lines.enumerate() {
        if l.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = l.split(';').collect();
        let get = |j: usize| f.get(j).map(|x| x.trim()).unwrap_or("");
        let v: f64 = get(km).parse().with_context(|| {
            format!(
                "{}:{}: dist {:?} is not a number",
                path.display(),
                i + 2,
                get(km)
            )
        })?;
        out.insert((get(o).to_string(), get(d).to_string()), v);
    }
    Ok(out)
}

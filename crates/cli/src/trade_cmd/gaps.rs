//! `attache trade gaps`: mirror statistics of a WITS reporter-partner file (`attache_trade::
//! mirror`): every flow as both sides reported it, the CIF/FOB-adjusted gap, flows only one
//! side reports, and the flagged pairs with the file lines they come from. What a gap can and
//! cannot mean is printed with the table: a flag is a question for an analyst, not a finding.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use attache_trade::mirror::{FlagRule, MirrorFlow, counts, mirror, parse_wits};
use clap::Args;

use super::Format;

/// What a reader must know before reading a gap.
pub const CAVEAT: &str = "A gap is imports/1.06 (CIF to FOB, GFI's flat margin) minus the partner's exports. It can come from misinvoicing, but as well from re-exports through a third country, timing, valuation, confidential trade or errors: a flag is a question for an analyst, not a finding.";

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
    /// ... and the larger figure is at least this many thousand USD.
    #[arg(long, default_value_t = 10_000.0)]
    min_value: f64,
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
                "exporter,importer,exports_fob_kusd,imports_cif_kusd,sides,gap_kusd,relative_gap,flagged,lines\n",
            );
            for f in &flows {
                out.push_str(&format!(
                    "{},{},{},{},{},{},{},{},{}\n",
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
                        "flagged": f.flagged, "lines": f.lines})
                })
                .collect();
            let j = serde_json::json!({
                "input": name, "cif_fob": attache_trade::mirror::CIF_FOB,
                "rule": {"relative": a.relative, "min_value_kusd": a.min_value},
                "counts": {"flows": c.flows, "both": c.both, "orphaned": c.orphaned, "lost": c.lost, "flagged": c.flagged},
                "set_aside": file.aggregates, "aliased": file.aliased, "self_trade_rows": file.self_trade,
                "caveat": CAVEAT, "flows": rows,
            });
            crate::emit(&format!("{j}\n"));
        }
    }
    Ok(ExitCode::SUCCESS)
}

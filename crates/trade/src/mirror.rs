//! Mirror statistics: every flow as reported by both sides (issue 16, item 4), after Global
//! Financial Integrity's trade-misinvoicing method.
//!
//! A flow from exporter A to importer B is reported twice: A's exports to B (valued FOB, at
//! A's border) and B's imports from A (valued CIF, with freight and insurance). GFI compares
//! the importer's figure less a flat 6% for freight and insurance ([`CIF_FOB`]) with the
//! exporter's: `gap = imports / 1.06 - exports`. A positive gap means more arrived than was
//! declared as leaving; a negative one, less.
//!
//! What a gap can mean: misinvoicing (to move money or dodge duties), but just as well
//! goods in transit re-exported through a third country, timing (shipped in December,
//! arrived in January), different valuation or classification, confidential trade, errors,
//! or a freight margin far from 6%. A flagged pair is a question for an analyst, never a
//! finding. Flows reported by one side only are kept and counted as *orphaned* (only the
//! importer reports: often a partner that reports nothing to anyone) or *lost* (only the
//! exporter reports), never dropped.
//!
//! The reader ([`parse_wits`]) takes the World Bank WITS extraction as published
//! (semicolon-separated, `TradeValue in 1000 USD`). Legacy WITS codes are mapped to current
//! ISO3 codes ([`WITS_ALIASES`]); WITS aggregates (world, EU, unspecified, other Asia) are set
//! aside and counted; any other code fails, naming file, line and code. No IO: bytes in.

use std::collections::BTreeMap;

use attache_core::{Crosswalk, Scheme};

/// GFI's flat freight-and-insurance margin: imports are valued CIF, exports FOB.
pub const CIF_FOB: f64 = 1.06;

/// Legacy codes WITS still uses, and the current ISO3 code of the same territory.
pub const WITS_ALIASES: &[(&str, &str)] = &[
    ("ROM", "ROU"),
    ("ZAR", "COD"),
    ("TMP", "TLS"),
    ("SER", "SRB"),
    ("MNT", "MNE"),
];

/// WITS partner aggregates: not countries, set aside and counted.
pub const WITS_AGGREGATES: &[(&str, &str)] = &[
    ("WLD", "World"),
    ("EUN", "European Union"),
    ("UNS", "Unspecified"),
    ("OAS", "Other Asia, not elsewhere specified"),
];

/// Why a WITS file cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MirrorError {
    #[error("{file}: no header line")]
    Empty { file: String },
    #[error("{file}: header lacks column {column:?} (found: {found})")]
    Header {
        file: String,
        column: String,
        found: String,
    },
    #[error("{file}:{line}: {column} {value:?}: {why}")]
    Cell {
        file: String,
        line: usize,
        column: String,
        value: String,
        why: String,
    },
}

/// What a reader must know before reading a gap (printed with every table of gaps).
pub const CAVEAT: &str = "A gap is imports/1.06 (CIF to FOB, GFI's flat margin) minus the partner's exports. It can come from misinvoicing, but as well from re-exports through a third country, timing, valuation, confidential trade or errors: a flag is a question for an analyst, not a finding.";

/// Export or import, as the reporter declared it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Export,
    Import,
}

/// One reported figure: `reporter` declared trade with `partner` in `direction`.
#[derive(Debug, Clone, PartialEq)]
pub struct Reported {
    pub reporter: String,
    pub partner: String,
    pub direction: Direction,
    /// Thousand US dollars.
    pub value: f64,
    /// Line in the file (1 = header).
    pub line: usize,
}

/// A WITS file read: the figures between countries and what was set aside.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WitsFile {
    pub rows: Vec<Reported>,
    /// Rows with an aggregate as reporter or partner, by aggregate code (the reporter's when
    /// both are), each row once.
    pub aggregates: BTreeMap<String, usize>,
    /// Rows whose legacy code was mapped, by `OLD->NEW`.
    pub aliased: BTreeMap<String, usize>,
    /// Rows of a country with itself.
    pub self_trade: usize,
}

fn cell(file: &str, line: usize, column: &str, value: &str, why: &str) -> MirrorError {
    MirrorError::Cell {
        file: file.into(),
        line,
        column: column.into(),
        value: value.into(),
        why: why.into(),
    }
}

/// A country code: current ISO3, a mapped legacy code, or an aggregate (`Ok(None)`).
fn code(
    file: &str,
    line: usize,
    column: &str,
    raw: &str,
    out: &mut WitsFile,
) -> Result<Option<String>, MirrorError> {
    let c = raw.trim();
    if WITS_AGGREGATES.iter().any(|(a, _)| *a == c) {
        return Ok(None);
    }
    if let Some((old, new)) = WITS_ALIASES.iter().find(|(a, _)| *a == c) {
        *out.aliased.entry(format!("{old}->{new}")).or_default() += 1;
        return Ok(Some(new.to_string()));
    }
    Crosswalk::global()
        .lookup(Scheme::Iso3, c)
        .map(|k| Some(k.iso3.clone()))
        .map_err(|e| {
            cell(
                file,
                line,
                column,
                raw,
                &format!("not a country code ({e})"),
            )
        })
}

/// Reads a WITS reporter-partner extraction (`;`-separated, Latin-1 or UTF-8 names).
pub fn parse_wits(file: &str, bytes: &[u8]) -> Result<WitsFile, MirrorError> {
    let text = String::from_utf8_lossy(bytes);
    let mut lines = text.lines().enumerate();
    let Some((_, header)) = lines.next() else {
        return Err(MirrorError::Empty { file: file.into() });
    };
    let header = header.trim_start_matches('\u{feff}');
    let names: Vec<&str> = header.split(';').map(str::trim).collect();
    let col = |name: &str| {
        names
            .iter()
            .position(|n| *n == name)
            .ok_or_else(|| MirrorError::Header {
                file: file.into(),
                column: name.into(),
                found: names.join(";"),
            })
    };
    let (rep, par, flow, val) = (
        col("ReporterISO3")?,
        col("PartnerISO3")?,
        col("TradeFlowName")?,
        col("TradeValue in 1000 USD")?,
    );
    let mut out = WitsFile::default();
    for (i, l) in lines {
        let line = i + 1;
        if l.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = l.split(';').collect();
        if f.len() != names.len() {
            return Err(cell(
                file,
                line,
                "row",
                l,
                &format!("{} fields for {} columns", f.len(), names.len()),
            ));
        }
        let direction = match f[flow].trim() {
            "Export" => Direction::Export,
            "Import" => Direction::Import,
            other => {
                return Err(cell(
                    file,
                    line,
                    "TradeFlowName",
                    other,
                    "expected Export or Import",
                ));
            }
        };
        let raw = f[val].trim();
        let value: f64 = raw
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v >= 0.0)
            .ok_or_else(|| {
                cell(
                    file,
                    line,
                    "TradeValue in 1000 USD",
                    raw,
                    "not a non-negative number",
                )
            })?;
        let r = code(file, line, "ReporterISO3", f[rep], &mut out)?;
        let p = code(file, line, "PartnerISO3", f[par], &mut out)?;
        let reporter_is_aggregate = r.is_none();
        let (Some(reporter), Some(partner)) = (r, p) else {
            // One row counted once, under the reporter's aggregate code if it is one.
            let agg = if reporter_is_aggregate {
                f[rep]
            } else {
                f[par]
            };
            *out.aggregates.entry(agg.trim().to_string()).or_default() += 1;
            continue;
        };
        if reporter == partner {
            out.self_trade += 1;
            continue;
        }
        out.rows.push(Reported {
            reporter,
            partner,
            direction,
            value,
            line,
        });
    }
    Ok(out)
}

/// Who reported a flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Sides {
    Both,
    /// Only the importer reports it.
    Orphaned,
    /// Only the exporter reports it.
    Lost,
}

impl Sides {
    pub fn as_str(self) -> &'static str {
        match self {
            Sides::Both => "both",
            Sides::Orphaned => "orphaned (importer only)",
            Sides::Lost => "lost (exporter only)",
        }
    }
}

/// One flow, exporter to importer, as both sides reported it.
#[derive(Debug, Clone, PartialEq)]
pub struct MirrorFlow {
    pub exporter: String,
    pub importer: String,
    /// The exporter's figure (FOB), thousand USD.
    pub exports: Option<f64>,
    /// The importer's figure (CIF), thousand USD.
    pub imports: Option<f64>,
    pub sides: Sides,
    /// The file lines the figures came from (the evidence rows).
    pub lines: Vec<usize>,
    /// `imports / 1.06 - exports` when both sides report.
    pub gap: Option<f64>,
    /// The gap over the larger of the two FOB-equivalent figures, in [-1, 1].
    pub relative_gap: Option<f64>,
    pub flagged: bool,
    /// The flow a gravity model predicts (thousand USD), after [`gravity_check`].
    pub predicted: Option<f64>,
    /// The reported flow is more than the check's factor above or below its prediction.
    pub gravity_outlier: bool,
}

/// When a two-sided flow is flagged.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlagRule {
    /// |relative gap| at least this (0.5: one side at most half the other).
    pub relative: f64,
    /// And the larger figure at least this many thousand USD (small flows are noise).
    pub min_value: f64,
}

impl Default for FlagRule {
    fn default() -> Self {
        FlagRule {
            relative: 0.5,
            min_value: 10_000.0,
        }
    }
}

/// One flow's figures while pairing: the exporter's, the importer's, and the lines they came from.
type Sided = (Option<f64>, Option<f64>, Vec<usize>);

/// Pairs every exporter-importer flow's two figures. Duplicate figures of one side are summed
/// (WITS lists one per flow; a repeat is kept, not lost).
pub fn mirror(file: &WitsFile, rule: FlagRule) -> Vec<MirrorFlow> {
    let mut m: BTreeMap<(String, String), Sided> = BTreeMap::new();
    for r in &file.rows {
        let (key, is_export) = match r.direction {
            Direction::Export => ((r.reporter.clone(), r.partner.clone()), true),
            Direction::Import => ((r.partner.clone(), r.reporter.clone()), false),
        };
        let e = m.entry(key).or_default();
        let slot = if is_export { &mut e.0 } else { &mut e.1 };
        *slot = Some(slot.unwrap_or(0.0) + r.value);
        e.2.push(r.line);
    }
    m.into_iter()
        .map(|((exporter, importer), (x, mm, mut lines))| {
            lines.sort_unstable();
            let sides = match (x, mm) {
                (Some(_), Some(_)) => Sides::Both,
                (None, Some(_)) => Sides::Orphaned,
                _ => Sides::Lost,
            };
            let (gap, relative_gap) = match (x, mm) {
                (Some(x), Some(mm)) => {
                    let fob = mm / CIF_FOB;
                    let g = fob - x;
                    let big = fob.max(x);
                    (Some(g), Some(if big > 0.0 { g / big } else { 0.0 }))
                }
                _ => (None, None),
            };
            let flagged = match (relative_gap, x, mm) {
                (Some(rg), Some(x), Some(mm)) => {
                    rg.abs() >= rule.relative && (mm / CIF_FOB).max(x) >= rule.min_value
                }
                _ => false,
            };
            MirrorFlow {
                exporter,
                importer,
                exports: x,
                imports: mm,
                sides,
                lines,
                gap,
                relative_gap,
                flagged,
                predicted: None,
                gravity_outlier: false,
            }
        })
        .collect()
}

/// What [`gravity_check`] fitted and found.
#[derive(Debug, Clone, PartialEq)]
pub struct GravityCheck {
    /// The elasticity of trade to distance (`log(DIST)`), and its robust standard error.
    pub distance: (f64, f64),
    /// Flows in the fit (a distance known and the flow not separated).
    pub n: usize,
    /// Flows more than `factor` times above or below their prediction (of at least
    /// `min_value`).
    pub outliers: usize,
    pub factor: f64,
    pub min_value: f64,
}

/// Fits the structural gravity model `flow ~ log(DIST) | exporter + importer` by PPML to every
/// flow whose distance `dist` (km, by exporter and importer ISO3) knows, the flow being the
/// exporter's figure or, when only the importer reports, its figure less the CIF margin; then
/// marks a flow whose reported value is more than `factor` times above or below its
/// prediction, where the report or the prediction is at least `min_value`. An outlier says the flow is unlike what size and distance lead one to expect
/// (a re-export hub, a commodity exporter, a misreport): a question, not a finding.
pub fn gravity_check(
    flows: &mut [MirrorFlow],
    dist: &BTreeMap<(String, String), f64>,
    factor: f64,
    min_value: f64,
) -> crate::Result<GravityCheck> {
    use crate::{Column, Fit, Frame, Ppml, Vcov};
    let mut idx = Vec::new();
    let (mut ex, mut im, mut d, mut y) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (i, f) in flows.iter().enumerate() {
        let value = f.exports.or(f.imports.map(|m| m / CIF_FOB));
        let km = dist.get(&(f.exporter.clone(), f.importer.clone())).copied();
        if let (Some(v), Some(km)) = (value, km)
            && km > 0.0
        {
            idx.push(i);
            ex.push(f.exporter.clone());
            im.push(f.importer.clone());
            d.push(km);
            y.push(v);
        }
    }
    let frame = Frame::new()
        .with("exporter", Column::Text(ex))?
        .with("importer", Column::Text(im))?
        .with("DIST", Column::Num(d))?
        .with("flow", Column::Num(y.clone()))?;
    let fit = Ppml::new("flow ~ log(DIST) | exporter + importer".parse()?)
        .vcov(Vcov::Robust)
        .fit(&frame)?;
    let c = fit
        .coef("log(DIST)")
        .ok_or_else(|| crate::Error::NoColumn("log(DIST)".into()))?;
    let mut outliers = 0;
    for (k, &row) in fit.rows.iter().enumerate() {
        let f = &mut flows[idx[row]];
        let mu = fit.fitted[k];
        f.predicted = Some(mu);
        let ratio = y[row] / mu;
        // Small flows wander far from any model: only flows where the report or the prediction
        // reaches `min_value` are judged.
        f.gravity_outlier =
            mu > 0.0 && y[row].max(mu) >= min_value && (ratio > factor || ratio < 1.0 / factor);
        outliers += usize::from(f.gravity_outlier);
    }
    Ok(GravityCheck {
        distance: (c.estimate, c.std_error),
        n: fit.n_obs,
        outliers,
        factor,
        min_value,
    })
}

/// Counts of a mirror table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MirrorCounts {
    pub flows: usize,
    pub both: usize,
    pub orphaned: usize,
    pub lost: usize,
    pub flagged: usize,
}

/// Counts of `flows` (a slice, or the references a filter keeps).
pub fn counts<'a>(flows: impl IntoIterator<Item = &'a MirrorFlow>) -> MirrorCounts {
    let mut c = MirrorCounts::default();
    for f in flows {
        c.flows += 1;
        match f.sides {
            Sides::Both => c.both += 1,
            Sides::Orphaned => c.orphaned += 1,
            Sides::Lost => c.lost += 1,
        }
        c.flagged += usize::from(f.flagged);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "Nomenclature;ReporterISO3;ProductCode;ReporterName;PartnerISO3;PartnerName;Year;TradeFlowName;TradeFlowCode;TradeValue in 1000 USD\n";

    fn read(body: &str) -> Result<WitsFile, MirrorError> {
        parse_wits("t.csv", format!("{HEAD}{body}").as_bytes())
    }

    #[test]
    fn both_sides_one_side_and_the_gap() {
        let f = read(
            "NC;FRA; Total;France;DEU;Germany;2009;Export;6;1000\n\
             NC;DEU; Total;Germany;FRA;France;2009;Import;5;1590\n\
             NC;DEU; Total;Germany;ITA;Italy;2009;Export;6;50000\n\
             NC;ESP; Total;Spain;ROM;Romania;2009;Import;5;20\n\
             NC;ESP; Total;Spain;WLD;World;2009;Import;5;99999\n",
        )
        .unwrap();
        assert_eq!(f.aggregates.get("WLD"), Some(&1));
        assert_eq!(f.aliased.get("ROM->ROU"), Some(&1));
        let m = mirror(
            &f,
            FlagRule {
                relative: 0.25,
                min_value: 1000.0,
            },
        );
        let fr = m.iter().find(|x| x.exporter == "FRA").unwrap();
        assert_eq!(fr.sides, Sides::Both);
        // 1590 / 1.06 = 1500: 500 more arrived than left; relative 500 / 1500.
        assert!((fr.gap.unwrap() - 500.0).abs() < 1e-9);
        assert!((fr.relative_gap.unwrap() - 1.0 / 3.0).abs() < 1e-12);
        assert!(fr.flagged);
        assert_eq!(fr.lines, vec![2, 3]);
        let it = m.iter().find(|x| x.importer == "ITA").unwrap();
        assert_eq!(it.sides, Sides::Lost);
        let ro = m.iter().find(|x| x.exporter == "ROU").unwrap();
        assert_eq!(ro.sides, Sides::Orphaned);
        assert_eq!(
            counts(&m),
            MirrorCounts {
                flows: 3,
                both: 1,
                orphaned: 1,
                lost: 1,
                flagged: 1
            }
        );
    }

    #[test]
    fn gravity_marks_the_flow_far_from_its_prediction() {
        // Ten countries trading as size / distance predicts, but one flow 200 times too small
        // (a too-big flow would pull the PPML fit, which weighs large flows most, towards it).
        let cs = [
            "DEU", "FRA", "ITA", "ESP", "POL", "NLD", "BEL", "AUT", "CZE", "PRT",
        ];
        let size = [9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.5, 1.0];
        let mut body = String::new();
        let mut dist = BTreeMap::new();
        for (i, a) in cs.iter().enumerate() {
            for (j, b) in cs.iter().enumerate() {
                if i == j {
                    continue;
                }
                let km = 300.0 * (1.0 + (i as f64 - j as f64).abs()) + 17.0 * (i + j) as f64;
                dist.insert((a.to_string(), b.to_string()), km);
                let mut v = 1e7 * size[i] * size[j] / km;
                if (*a, *b) == ("ESP", "POL") {
                    v /= 200.0;
                }
                body.push_str(&format!("NC;{a}; Total;x;{b};y;2009;Export;6;{v}\n"));
            }
        }
        let f = read(&body).unwrap();
        let mut m = mirror(&f, FlagRule::default());
        let g = gravity_check(&mut m, &dist, 10.0, 0.0).unwrap();
        assert_eq!(g.n, 90);
        let out: Vec<_> = m
            .iter()
            .filter(|x| x.gravity_outlier)
            .map(|x| (x.exporter.as_str(), x.importer.as_str()))
            .collect();
        assert_eq!(out, vec![("ESP", "POL")], "{g:?}");
        assert!(g.distance.0 < 0.0, "{g:?}");
    }

    #[test]
    fn bad_input_names_file_line_and_value() {
        let e = read("NC;XYZ; Total;Nowhere;DEU;Germany;2009;Export;6;1\n").unwrap_err();
        let s = e.to_string();
        assert!(s.starts_with("t.csv:2: ReporterISO3 \"XYZ\""), "{s}");
        let e = read("NC;FRA; Total;France;DEU;Germany;2009;Export;6;-3\n").unwrap_err();
        assert!(
            e.to_string()
                .contains("t.csv:2: TradeValue in 1000 USD \"-3\""),
            "{e}"
        );
        let e = read("NC;FRA; Total;France;DEU;Germany;2009;Transit;7;3\n").unwrap_err();
        assert!(e.to_string().contains("Transit"), "{e}");
        assert!(matches!(
            parse_wits("e.csv", b""),
            Err(MirrorError::Empty { .. })
        ));
        assert!(matches!(
            parse_wits("h.csv", b"a;b\n"),
            Err(MirrorError::Header { .. })
        ));
    }
}

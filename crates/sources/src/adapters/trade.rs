//! Trade: the structural gravity panel of the WTO/UNCTAD *Advanced Guide to Trade Policy
//! Analysis* (Yotov, Piermartini, Monteiro & Larch 2016), bilateral merchandise totals for 2009
//! as the World Bank's WITS reports them (UN Comtrade), and CEPII's GeoDist distances.
//!
//! - `gravity_panel` (from `Chapter2Application2.dta`, the Guide's RTA application, as the
//!   `tradepolicy` R package redistributes it byte for byte): one row per exporter, importer and
//!   year, 69 countries (domestic flows included) x 21 years, 1986-2006. Every variable of the
//!   file, read by `attache_trade::dta::read` (Stata 13 format), under its published name
//!   (`exporter`, `importer`, `pair_id`, `year`, `trade`, `DIST`, `CNTG`, `LANG`, `CLNY`,
//!   `RTA`: upper case kept, unlike other tables, so that the Guide's formulas and Stata
//!   programs, `trade ~ log(DIST) + RTA | ...`, name the same columns; quote them in SQL,
//!   `"DIST"`). Identifiers, years and dummies ([`PANEL_INT_COLUMNS`]) are integers, a fraction
//!   there fails naming the observation; other numbers are floats (`trade` in millions of
//!   current US dollars, `DIST` in km). `exporter_iso3`/`importer_iso3` are the crosswalk's ISO3
//!   of the codes (the Guide writes Romania `ROM`, [`LEGACY_ISO3`], counted).
//! - `wits_trade` (from `WITS_trade2009.csv`, semicolon-separated, as WITS exports it): one row
//!   per line that `attache_trade::mirror::parse_wits` accepts: `line` (as an editor counts it,
//!   the header is 1), `reporter_iso3`, `partner_iso3`, `year`, `direction` (`export` |
//!   `import`, as the reporter declared it) and `value_kusd` (thousand US dollars). The reader
//!   maps WITS's legacy codes (counted under `adjusted`) and sets aside rows with an aggregate
//!   (world, EU, unspecified, other Asia) as reporter or partner and rows of a country with
//!   itself: they are excluded and counted per aggregate code. An unknown code fails, naming
//!   file, line and code.
//! - `cepii_dist` (from `dist_cepii.csv`, the semicolon-separated conversion of CEPII's
//!   `dist_cepii.xls`): every published column (`iso_o`, `iso_d`, `contig`, `comlang_off`,
//!   `comlang_ethno`, `colony`, `comcol`, `curcol`, `col45`, `smctry`, `dist`, `distcap`,
//!   `distw`, `distwces`; distances in km, `.` is missing), plus `iso3_o`/`iso3_d` (CEPII's
//!   `ROM`, `ZAR`, `TMP` and `PAL` are today's `ROU`, `COD`, `TLS`, `PSE`, counted).
//!
//! All three are frozen releases: the Guide's panel stops in 2006 (published 2016), the WITS
//! extraction is of 2009, GeoDist is the 2011 release; no new data will come under these names.
//! The lag states when a year's merchandise trade is public: UN Comtrade's annual data for a
//! year are largely reported by the end of the next one.

use std::collections::HashMap;

use attache_core::Scheme;
use attache_trade::frame::Column;
use attache_trade::mirror::{Direction, MirrorError, parse_wits};

use crate::delimited::{Delimited, Layout, RowOutcome, to_table};
use crate::error::{Result, SourceError};
use crate::table::{ColType, DEFAULT_NULLS, FileStats, TableBuilder, Value};
use crate::{FileSpec, Input, Lag, Loaded, Source, SourceMeta, input};

pub struct Trade(SourceMeta);

const PANEL: &str = "trade/advanced-guide/Chapter2Application2.dta";
const WITS: &str = "trade/WITS_trade2009.csv";
const CEPII: &str = "trade/dist_cepii.csv";

/// Variables of the Guide's panel that hold whole numbers (stored by Stata as float or byte).
pub const PANEL_INT_COLUMNS: &[&str] = &["pair_id", "year", "CNTG", "LANG", "CLNY", "RTA"];

/// Codes these publishers use that are no longer ISO 3166-1, and the ISO3 of the same country.
pub const LEGACY_ISO3: &[(&str, &str)] = &[
    ("ROM", "ROU"),
    ("ZAR", "COD"),
    ("TMP", "TLS"),
    ("PAL", "PSE"),
];

impl Trade {
    pub fn new() -> Trade {
        Trade(SourceMeta {
            id: attache_core::SourceId::TRADE,
            title: "Trade: the Advanced Guide's structural gravity panel (1986-2006), WITS bilateral totals (2009), CEPII GeoDist distances",
            publisher: "WTO and UNCTAD (An Advanced Guide to Trade Policy Analysis, application files); World Bank WITS / UN Comtrade; CEPII",
            licence: "Advanced Guide files: CC BY 4.0; WITS / UN Comtrade: free for non-commercial use with citation; CEPII GeoDist: free with citation",
            citation: "Yotov, Y. V., Piermartini, R., Monteiro, J.-A. & Larch, M. (2016) An Advanced Guide to Trade Policy Analysis: The Structural Gravity Model. Geneva: WTO and UNCTAD (application files via the tradepolicy R package, M. Vargas Sepulveda). World Bank, World Integrated Trade Solution (WITS), UN Comtrade, total merchandise trade 2009. Mayer, T. & Zignago, S. (2011) Notes on CEPII's distances measures: the GeoDist database. CEPII Working Paper 2011-25.",
            homepage: "https://www.wto.org/english/res_e/publications_e/advancedwtounctad2016_e.htm",
            // Annual merchandise trade is largely reported to UN Comtrade by the end of the
            // following year. Every file here is a frozen release (see the module doc).
            lag: Lag::AfterYear { months: 12 },
            files: vec![
                FileSpec::new(
                    PANEL,
                    "https://github.com/pachadotdev/tradepolicy/raw/342a6553e67f/00-application-files/Chapter2Application2.dta",
                )
                .via("the tradepolicy R package on GitHub (pachadotdev/tradepolicy), which redistributes the Guide's application files byte for byte")
                .at_least(99_000)
                .release(),
                FileSpec::new(
                    WITS,
                    "https://github.com/ClaudeGrasland/trade/raw/0a6fc98496f3/data/WITS_trade2009.csv",
                )
                .via("a WITS extraction published on GitHub by Claude Grasland (ClaudeGrasland/trade)")
                .at_least(39_000)
                .release(),
                FileSpec::new(
                    CEPII,
                    "https://github.com/chrisssch/world-trade/raw/98bdac87c07a/data/dist_cepii.csv",
                )
                .via("a semicolon-separated conversion of CEPII's dist_cepii.xls on GitHub (chrisssch/world-trade)")
                .at_least(50_000)
                .release(),
            ],
            tables: &["gravity_panel", "wits_trade", "cepii_dist"],
        })
    }
}

fn format_err(file: &str, message: String) -> SourceError {
    SourceError::Format {
        file: file.to_string(),
        message,
    }
}

/// The ISO3 of a publisher's country code (legacy codes mapped and counted), memoised; an
/// unknown code fails with `at`'s file, line and column.
struct Codes {
    memo: HashMap<String, String>,
}

impl Codes {
    fn new() -> Codes {
        Codes {
            memo: HashMap::new(),
        }
    }

    fn iso3(&mut self, code: &str, at: (&str, u64, &str), stats: &mut FileStats) -> Result<String> {
        let (file, line, column) = at;
        let code = code.trim();
        if let Some((old, new)) = LEGACY_ISO3.iter().find(|(o, _)| *o == code) {
            stats.adjust(format!("{column} {old}: a legacy code, iso3 {new}"));
            return Ok(new.to_string());
        }
        if let Some(iso) = self.memo.get(code) {
            return Ok(iso.clone());
        }
        let c = super::cw()
            .lookup(Scheme::Iso3, code)
            .map_err(|error| SourceError::Country {
                file: file.to_string(),
                line,
                column: column.to_string(),
                error,
            })?;
        self.memo.insert(code.to_string(), c.iso3.clone());
        Ok(c.iso3.clone())
    }
}

fn load_panel(inp: &Input, out: &mut Loaded) -> Result<()> {
    let file = inp.name.as_str();
    let frame = attache_trade::dta::read(&inp.bytes)
        .map_err(|e| format_err(file, format!("not a readable Stata .dta file: {e}")))?;
    let header = frame.names().join(",");
    let missing = |column: &str| SourceError::MissingColumn {
        file: file.to_string(),
        column: column.to_string(),
        header: header.clone(),
    };
    for c in ["exporter", "importer", "year", "trade"]
        .iter()
        .chain(PANEL_INT_COLUMNS)
    {
        if !frame.names().iter().any(|n| n == c) {
            return Err(missing(c));
        }
    }
    let mut cols: Vec<(String, ColType)> = Vec::new();
    let mut data: Vec<&Column> = Vec::new();
    for name in frame.names() {
        let col = frame
            .column(name)
            .map_err(|e| format_err(file, e.to_string()))?;
        let ty = match col {
            Column::Text(_) => ColType::Text,
            Column::Num(_) if PANEL_INT_COLUMNS.contains(&name.as_str()) => ColType::Int,
            Column::Num(_) => ColType::Float,
        };
        cols.push((name.clone(), ty));
        data.push(col);
    }
    let text = |name: &str| match frame.column(name) {
        Ok(Column::Text(v)) => Ok(v),
        _ => Err(format_err(
            file,
            format!("variable {name:?} holds numbers where country codes belong"),
        )),
    };
    let (exporter, importer) = (text("exporter")?, text("importer")?);
    cols.push(("exporter_iso3".into(), ColType::Text));
    cols.push(("importer_iso3".into(), ColType::Text));
    let mut tb = TableBuilder::new("gravity_panel", &cols);
    let mut stats = FileStats::default();
    let mut codes = Codes::new();
    for i in 0..frame.rows() {
        stats.rows_read += 1;
        // Stata has no lines: an observation is named by its number (1-based, as `list` shows).
        let obs = i as u64 + 1;
        let mut row = Vec::with_capacity(cols.len());
        for ((name, ty), col) in cols.iter().zip(&data) {
            row.push(match col {
                Column::Text(v) => Value::text(&v[i]),
                Column::Num(v) if v[i].is_nan() => Value::Null,
                Column::Num(v) if *ty == ColType::Int => {
                    let x = v[i];
                    if x.fract() != 0.0 || x.abs() >= 9.0e15 {
                        return Err(SourceError::BadValue {
                            file: file.to_string(),
                            line: obs,
                            column: name.clone(),
                            value: x.to_string(),
                            expected: "a whole number (observation number given as the line)",
                        });
                    }
                    Value::Int(x as i64)
                }
                Column::Num(v) => Value::Float(v[i]),
            });
        }
        row.push(Value::text(codes.iso3(
            &exporter[i],
            (file, obs, "exporter"),
            &mut stats,
        )?));
        row.push(Value::text(codes.iso3(
            &importer[i],
            (file, obs, "importer"),
            &mut stats,
        )?));
        tb.push(row)?;
        stats.rows_loaded += 1;
    }
    out.add("gravity_panel", tb.finish()?);
    out.file(file, stats);
    Ok(())
}

fn wits_err(e: MirrorError) -> SourceError {
    match e {
        MirrorError::Empty { file } => format_err(&file, "no header line (empty file?)".into()),
        MirrorError::Header {
            file,
            column,
            found,
        } => SourceError::MissingColumn {
            file,
            column,
            header: found,
        },
        MirrorError::Cell {
            file,
            line,
            column,
            value,
            why,
        } => SourceError::Malformed {
            file,
            line: line as u64,
            message: format!("column {column:?}: {value:?}: {why}"),
        },
    }
}

fn load_wits(inp: &Input, out: &mut Loaded) -> Result<()> {
    let file = inp.name.as_str();
    let wits = parse_wits(file, &inp.bytes).map_err(wits_err)?;
    // `parse_wits` keeps no year: read it from the same lines, as the reader splits them.
    let text = String::from_utf8_lossy(&inp.bytes);
    let lines: Vec<&str> = text.lines().collect();
    let names: Vec<&str> = lines
        .first()
        .map(|h| {
            h.trim_start_matches('\u{feff}')
                .split(';')
                .map(str::trim)
                .collect()
        })
        .unwrap_or_default();
    let year_at =
        names
            .iter()
            .position(|n| *n == "Year")
            .ok_or_else(|| SourceError::MissingColumn {
                file: file.to_string(),
                column: "Year".into(),
                header: names.join(";"),
            })?;
    let cols: Vec<(String, ColType)> = [
        ("line", ColType::Int),
        ("reporter_iso3", ColType::Text),
        ("partner_iso3", ColType::Text),
        ("year", ColType::Int),
        ("direction", ColType::Text),
        ("value_kusd", ColType::Float),
    ]
    .map(|(n, t)| (n.to_string(), t))
    .to_vec();
    let mut tb = TableBuilder::new("wits_trade", &cols);
    let mut stats = FileStats::default();
    for r in &wits.rows {
        let raw = lines
            .get(r.line - 1)
            .and_then(|l| l.split(';').nth(year_at))
            .unwrap_or("")
            .trim();
        let year: i64 = raw.parse().map_err(|_| SourceError::BadValue {
            file: file.to_string(),
            line: r.line as u64,
            column: "Year".into(),
            value: raw.to_string(),
            expected: "a year",
        })?;
        tb.push(vec![
            Value::Int(r.line as i64),
            Value::text(&r.reporter),
            Value::text(&r.partner),
            Value::Int(year),
            Value::text(match r.direction {
                Direction::Export => "export",
                Direction::Import => "import",
            }),
            Value::Float(r.value),
        ])?;
    }
    let n = |x: usize| x as u64;
    stats.rows_loaded = n(wits.rows.len());
    for (code, rows) in &wits.aggregates {
        let name = attache_trade::mirror::WITS_AGGREGATES
            .iter()
            .find(|(c, _)| c == code)
            .map_or("an aggregate", |(_, name)| name);
        *stats
            .excluded
            .entry(format!(
                "{code} ({name}) as reporter or partner: not a country"
            ))
            .or_default() += n(*rows);
    }
    if wits.self_trade > 0 {
        *stats
            .excluded
            .entry("reporter and partner the same country".into())
            .or_default() += n(wits.self_trade);
    }
    for (mapping, rows) in &wits.aliased {
        *stats
            .adjusted
            .entry(format!("WITS legacy code {mapping}"))
            .or_default() += n(*rows);
    }
    stats.rows_read = stats.rows_loaded + stats.rows_excluded();
    out.add("wits_trade", tb.finish()?);
    out.file(file, stats);
    Ok(())
}

fn load_cepii(inp: &Input, out: &mut Loaded) -> Result<()> {
    let layout = Layout {
        delimiter: b';',
        required: ["iso_o", "iso_d", "dist"].map(String::from).to_vec(),
        ..Layout::csv()
    };
    let d = Delimited::parse(&inp.name, &inp.bytes, &layout)?;
    let mut types: Vec<(&str, ColType)> = [
        "contig",
        "comlang_off",
        "comlang_ethno",
        "colony",
        "comcol",
        "curcol",
        "col45",
        "smctry",
    ]
    .iter()
    .map(|c| (*c, ColType::Int))
    .collect();
    types.extend(
        ["dist", "distcap", "distw", "distwces"]
            .iter()
            .map(|c| (*c, ColType::Float)),
    );
    let mut nulls = DEFAULT_NULLS.to_vec();
    nulls.push(".");
    let mut stats = FileStats::default();
    let mut notes = FileStats::default();
    let mut codes = Codes::new();
    let tb = to_table(
        "cepii_dist",
        &d,
        &types,
        &[("iso3_o", ColType::Text), ("iso3_d", ColType::Text)],
        &nulls,
        &mut stats,
        |row| {
            let mut keep = Vec::with_capacity(2);
            for column in ["iso_o", "iso_d"] {
                let at = (row.d.file.as_str(), row.line(), column);
                keep.push(Value::text(codes.iso3(row.get(column)?, at, &mut notes)?));
            }
            Ok(RowOutcome::Keep(keep))
        },
    )?;
    stats.adjusted.extend(notes.adjusted);
    out.add("cepii_dist", tb.finish()?);
    out.file(&inp.name, stats);
    Ok(())
}

impl Source for Trade {
    fn meta(&self) -> &SourceMeta {
        &self.0
    }

    fn load(&self, inputs: &[Input]) -> Result<Loaded> {
        let mut out = Loaded::default();
        if let Some(inp) = input(inputs, PANEL) {
            load_panel(inp, &mut out)?;
        }
        if let Some(inp) = input(inputs, WITS) {
            load_wits(inp, &mut out)?;
        }
        if let Some(inp) = input(inputs, CEPII) {
            load_cepii(inp, &mut out)?;
        }
        Ok(out)
    }
}

//! Source adapters: one per publisher file format.
//!
//! Each adapter declares where its publisher puts the files (official URLs, and the path the same
//! file has in a data mirror such as `shared/data`), the licence and citation, and the publication
//! lag: how long after the end of a period its data became public. Forecasts rely on the lag to use
//! only what was published by their as-of date.
//!
//! Adapters parse bytes, never paths: fetching (web or mirror) is the caller's job, so the same
//! parser runs in sync, in tests and under the fuzzer. Parsing is strict: a malformed row is an
//! error naming the file, line and value; rows left out of a table on purpose (aggregates, say) are
//! counted under a reason in [`FileStats`].

// Adapters are built by `registry()`; errors carry file, line, column and value by design.
#![allow(clippy::new_without_default, clippy::result_large_err)]

pub mod adapters;
pub mod delimited;
pub mod error;
pub mod rdata;
pub mod table;
pub mod xlsx;

use arrow::record_batch::RecordBatch;

pub use error::{Result, SourceError};
pub use table::FileStats;

/// How long after the end of a period the publisher makes its data public.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lag {
    /// Data for a calendar year appear this many months after the year ends.
    AfterYear { months: u32 },
    /// Data for a calendar month appear this many months after the month ends.
    AfterMonth { months: u32 },
    /// Near real time (minutes to a day).
    Realtime,
    /// Reference data (codes, borders, airports): not tied to a period.
    Reference,
}

impl Lag {
    /// How often the publisher is expected to bring new data, in days (`None` for reference
    /// data): a vintage older than this holds a source that has likely moved on.
    pub fn update_every_days(self) -> Option<u32> {
        match self {
            Lag::AfterYear { .. } => Some(366),
            Lag::AfterMonth { .. } => Some(31),
            Lag::Realtime => Some(1),
            Lag::Reference => None,
        }
    }

    /// The month in which data for calendar year `year` became public (`None` for reference
    /// data). Monthly data count from the year's last month.
    pub fn public_month_for_year(self, year: i32) -> Option<attache_core::MonthId> {
        let december = attache_core::MonthId::from_year_month(year, 12)?;
        match self {
            Lag::AfterYear { months } | Lag::AfterMonth { months } => {
                Some(december.plus(months as i32))
            }
            Lag::Realtime => Some(december),
            Lag::Reference => None,
        }
    }
}

impl std::fmt::Display for Lag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Lag::AfterYear { months } => write!(f, "{months} months after the end of each year"),
            Lag::AfterMonth { months } => write!(f, "{months} months after the end of each month"),
            Lag::Realtime => f.write_str("real time (15 minutes)"),
            Lag::Reference => f.write_str("reference data (not period-bound)"),
        }
    }
}

/// One published file, and what a sound copy of it looks like.
#[derive(Debug, Clone)]
pub struct FileSpec {
    /// Path of this file in a mirror laid out like `shared/data` (relative, `/`-separated).
    pub mirror_path: &'static str,
    /// The download URL for this format (the publisher's own, unless [`FileSpec::via`] names
    /// the community mirror it is).
    pub url: &'static str,
    /// When the URL serves a zip archive: the member to read.
    pub zip_member: Option<&'static str>,
    /// Alternative mirror paths with the same content in another published layout (GED GeoJSON).
    pub optional: bool,
    /// Fewer loaded rows than this is not a whole copy (a truncated download, a wrong file):
    /// sync refuses it, on the first sync too. 0: only "not empty".
    pub min_rows: u64,
    /// A fixed, versioned release (the version is in its name): its bytes must never change
    /// under the same name, so sync refuses a copy whose checksum differs from the current
    /// vintage's.
    pub release: bool,
    /// When [`FileSpec::url`] is not the publisher's own: who keeps that copy (shown by
    /// `attache sources`).
    pub via: Option<&'static str>,
}

impl FileSpec {
    pub const fn new(mirror_path: &'static str, url: &'static str) -> FileSpec {
        FileSpec {
            mirror_path,
            url,
            zip_member: None,
            optional: false,
            min_rows: 0,
            release: false,
            via: None,
        }
    }
    pub const fn zipped(
        mirror_path: &'static str,
        url: &'static str,
        member: &'static str,
    ) -> FileSpec {
        FileSpec {
            zip_member: Some(member),
            ..FileSpec::new(mirror_path, url)
        }
    }
    pub const fn optional(mut self) -> FileSpec {
        self.optional = true;
        self
    }
    /// A whole copy loads at least `rows` rows.
    pub const fn at_least(mut self, rows: u64) -> FileSpec {
        self.min_rows = rows;
        self
    }
    /// A fixed, versioned release (see [`FileSpec::release`]).
    pub const fn release(mut self) -> FileSpec {
        self.release = true;
        self
    }
    /// The URL is a community mirror or conversion kept by `keeper`, not the publisher.
    pub const fn via(mut self, keeper: &'static str) -> FileSpec {
        self.via = Some(keeper);
        self
    }
}

/// What a source is and where it comes from.
#[derive(Debug, Clone)]
pub struct SourceMeta {
    pub id: attache_core::SourceId,
    pub title: &'static str,
    pub publisher: &'static str,
    pub licence: &'static str,
    pub citation: &'static str,
    /// The publisher's landing page.
    pub homepage: &'static str,
    pub lag: Lag,
    pub files: Vec<FileSpec>,
    /// Tables this source writes.
    pub tables: &'static [&'static str],
}

/// One input file's bytes, named by its mirror path.
pub struct Input {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// One table (or part of a table: several files may add to one table) produced from one file.
pub struct TableOut {
    pub table: String,
    pub batch: RecordBatch,
}

/// Everything a source produced.
#[derive(Default)]
pub struct Loaded {
    pub tables: Vec<TableOut>,
    /// Per input file (mirror path), its row accounting.
    pub stats: Vec<(String, FileStats)>,
    /// Files kept byte-for-byte in the vintage (relative name, bytes), e.g. map TopoJSON.
    pub artifacts: Vec<(String, Vec<u8>)>,
}

impl Loaded {
    pub fn add(&mut self, table: &str, batch: RecordBatch) {
        self.tables.push(TableOut {
            table: table.to_string(),
            batch,
        });
    }
    pub fn file(&mut self, name: &str, stats: FileStats) {
        self.stats.push((name.to_string(), stats));
    }
}

/// A source adapter: its metadata and a parser of its published files.
pub trait Source: Send + Sync {
    fn meta(&self) -> &SourceMeta;
    /// Parses the present input files (those of `meta().files` that were found).
    fn load(&self, inputs: &[Input]) -> Result<Loaded>;
}

/// Every source Attaché knows, in sync order (built once per process).
pub fn registry() -> &'static [Box<dyn Source>] {
    static REGISTRY: std::sync::OnceLock<Vec<Box<dyn Source>>> = std::sync::OnceLock::new();
    REGISTRY.get_or_init(adapters::all)
}

/// The publication lag source `id` declares, if there is such a source.
pub fn lag_of(id: &str) -> Option<Lag> {
    registry()
        .iter()
        .find(|s| s.meta().id == id)
        .map(|s| s.meta().lag)
}

/// Finds the input with this mirror path.
pub fn input<'a>(inputs: &'a [Input], mirror_path: &str) -> Option<&'a Input> {
    inputs.iter().find(|i| i.name == mirror_path)
}

/// What a download is when it is plainly not a text table: a publisher URL that serves a
/// workbook, an archive, a PDF or a web page (an error page, a moved file) must not reach a CSV
/// parser, which would fail on some line or, worse, load garbage.
pub fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(512)];
    let text = String::from_utf8_lossy(head)
        .trim_start_matches('\u{feff}')
        .trim_start()
        .to_ascii_lowercase();
    if head.starts_with(&[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) {
        Some("an Excel 97-2003 workbook (.xls)")
    } else if head.starts_with(b"PK\x03\x04") {
        Some("a zip archive (or an .xlsx workbook)")
    } else if head.starts_with(b"%PDF") {
        Some("a PDF document")
    } else if text.starts_with("<!doctype html") || text.starts_with("<html") {
        Some("an HTML page")
    } else {
        None
    }
}

/// Whether `file_name` is a text table this crate parses (CSV, TSV, fixed text).
pub fn is_text_table(file_name: &str) -> bool {
    let lower = file_name.to_ascii_lowercase();
    [".csv", ".tsv", ".txt", ".dat"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// Extracts one member from a zip archive (publishers such as UCDP serve zipped CSVs).
pub fn unzip_member(file: &str, bytes: &[u8], member: &str) -> Result<Vec<u8>> {
    use std::io::Read;
    let fmt = |m: String| SourceError::Format {
        file: file.to_string(),
        message: m,
    };
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| fmt(format!("not a zip archive: {e}")))?;
    let names: Vec<String> = z
        .file_names()
        .map(|n| n.map(|n| n.to_string()))
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| fmt(format!("bad zip directory: {e}")))?;
    let name = names
        .iter()
        .find(|n| n.as_str() == member || n.ends_with(&format!("/{member}")))
        .ok_or_else(|| {
            fmt(format!(
                "zip archive has no member {member:?} (has: {})",
                names.join(", ")
            ))
        })?
        .clone();
    let mut f = z.by_name(&name).map_err(|e| fmt(e.to_string()))?;
    let mut out = Vec::new();
    f.read_to_end(&mut out).map_err(|e| SourceError::Io {
        file: format!("{file}!{name}"),
        error: e,
    })?;
    Ok(out)
}

#[cfg(test)]
mod sniff_tests {
    use super::*;

    #[test]
    fn binary_downloads_are_recognised() {
        let xls = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0];
        assert_eq!(binary_kind(&xls), Some("an Excel 97-2003 workbook (.xls)"));
        assert_eq!(
            binary_kind(b"PK\x03\x04rest"),
            Some("a zip archive (or an .xlsx workbook)")
        );
        assert_eq!(binary_kind(b"%PDF-1.7"), Some("a PDF document"));
        assert_eq!(
            binary_kind(b"\n  <!DOCTYPE html><html>"),
            Some("an HTML page")
        );
        assert_eq!(
            binary_kind("\u{feff}country,year\nSDN,2020\n".as_bytes()),
            None
        );
        assert_eq!(binary_kind(b""), None);
        assert!(
            is_text_table("polity5/p5v2018.csv")
                && is_text_table("openflights/routes.dat")
                && !is_text_table("views/cm.parquet")
        );
    }
}

//! GDELT 2.0's file listings and the check of a downloaded file against them.
//!
//! `lastupdate.txt` (every 15 minutes) and `masterfilelist.txt` (every file since February
//! 2015) list one file a line as `SIZE MD5 URL`, separated by single spaces:
//!
//! ```text
//! 150383 297a16b493de7cf6ca809a7cc31d0b93 http://data.gdeltproject.org/gdeltv2/20150218230000.export.CSV.zip
//! ```
//!
//! The parsers are strict: a line that is not three fields, a size that is not a decimal
//! number, an MD5 that is not 32 hex digits or a URL whose file name is not a GDELT 2.0 file
//! fails with an error naming the line and the value. [`verify`] checks a download's size and
//! MD5 against its entry before anything is parsed.

use crate::slots::{GDELT2_BASE, Slot, SlotError};
use crate::text::{cut, lines};
use md5::{Digest, Md5};
use std::fmt;

/// What kind of GDELT 2.0 file a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    /// `*.export.CSV.zip`: the events.
    Export,
    /// `*.mentions.CSV.zip`: one row per article mentioning an event.
    Mentions,
    /// `*.gkg.csv.zip`: the Global Knowledge Graph.
    Gkg,
}

impl FileKind {
    pub const ALL: [FileKind; 3] = [FileKind::Export, FileKind::Mentions, FileKind::Gkg];

    /// The suffix after the time stamp, as GDELT spells it (the GKG's is lower case).
    pub fn suffix(self) -> &'static str {
        match self {
            FileKind::Export => ".export.CSV.zip",
            FileKind::Mentions => ".mentions.CSV.zip",
            FileKind::Gkg => ".gkg.csv.zip",
        }
    }

    /// The name of this kind of file for `slot` (English stream).
    pub fn file_name(self, slot: Slot) -> String {
        format!("{}{}", slot.stamp(), self.suffix())
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Export => "export",
            FileKind::Mentions => "mentions",
            FileKind::Gkg => "gkg",
        }
    }
}

/// A GDELT 2.0 file name taken apart: its slot, kind, and whether it is of the translated
/// stream (`*.translation.export.CSV.zip`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GdeltFile {
    pub slot: Slot,
    pub kind: FileKind,
    pub translation: bool,
}

impl GdeltFile {
    /// Parses a file name or URL (the part after the last `/`).
    pub fn parse(url: &str) -> Result<GdeltFile, NameError> {
        let name = url.rsplit('/').next().unwrap_or(url);
        let err = |why: &'static str| NameError {
            value: cut(name),
            why,
        };
        let (stamp, rest) = name
            .split_at_checked(14)
            .ok_or_else(|| err("too short for a GDELT 2.0 file name"))?;
        let slot = Slot::parse_stamp(stamp).map_err(|e| match e {
            SlotError::Unaligned { .. } => err("its time is not on a 15-minute boundary"),
            _ => err("it does not start with a YYYYMMDDHHMMSS time stamp"),
        })?;
        let (translation, rest) = match rest.strip_prefix(".translation") {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let kind = FileKind::ALL
            .into_iter()
            .find(|k| k.suffix() == rest)
            .ok_or_else(|| err("not an export, mentions or gkg zip"))?;
        Ok(GdeltFile {
            slot,
            kind,
            translation,
        })
    }

    /// The file's name.
    pub fn file_name(&self) -> String {
        let t = if self.translation { ".translation" } else { "" };
        format!("{}{t}{}", self.slot.stamp(), self.kind.suffix())
    }

    /// Its URL on GDELT's server.
    pub fn url(&self) -> String {
        format!("{GDELT2_BASE}{}", self.file_name())
    }
}

/// A name that is not a GDELT 2.0 file name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a GDELT 2.0 file name: {why}")]
pub struct NameError {
    pub value: String,
    pub why: &'static str,
}

/// One line of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingEntry {
    /// Bytes of the (zipped) file.
    pub size: u64,
    pub md5: [u8; 16],
    pub url: String,
    /// What the URL names.
    pub file: GdeltFile,
    /// The line it was on (1-based).
    pub line: usize,
}

impl ListingEntry {
    /// The MD5 as GDELT writes it: 32 lower-case hex digits.
    pub fn md5_hex(&self) -> String {
        hex(&self.md5)
    }
}

impl fmt::Display for ListingEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.size, self.md5_hex(), self.url)
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A listing that is not as GDELT writes it; names the line and the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ListingError {
    #[error("{file}: the listing is not UTF-8 text (at byte {byte})")]
    NotText { file: &'static str, byte: usize },
    #[error("{file} line {line}: {why}: {value:?}")]
    Line {
        file: &'static str,
        line: usize,
        value: String,
        why: String,
    },
    #[error("{file}: {why}")]
    Whole { file: &'static str, why: String },
}

fn parse_entries(file: &'static str, bytes: &[u8]) -> Result<Vec<ListingEntry>, ListingError> {
    let text = std::str::from_utf8(bytes).map_err(|e| ListingError::NotText {
        file,
        byte: e.valid_up_to(),
    })?;
    lines(text)
        .map(|(line, l)| parse_line(file, line, l))
        .collect()
}

/// One line of a listing (its line end already removed), as the `line`th.
fn parse_line(file: &'static str, line: usize, l: &str) -> Result<ListingEntry, ListingError> {
    let bad = |why: String, value: &str| ListingError::Line {
        file,
        line,
        value: cut(value),
        why,
    };
    let fields: Vec<&str> = l.split(' ').collect();
    if fields.len() != 3 {
        return Err(bad(
            format!(
                "expected 3 fields (size, MD5, URL) separated by single spaces, found {}",
                fields.len()
            ),
            l,
        ));
    }
    let (size, md5, url) = (fields[0], fields[1], fields[2]);
    if size.is_empty() || size.len() > 20 || !size.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(
            "the size is not a decimal number of bytes".into(),
            size,
        ));
    }
    let size: u64 = size
        .parse()
        .map_err(|_| bad("the size is out of range".into(), size))?;
    if md5.len() != 32 || !md5.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad("the MD5 is not 32 hex digits".into(), md5));
    }
    let mut digest = [0u8; 16];
    for (i, d) in digest.iter_mut().enumerate() {
        *d = u8::from_str_radix(&md5[2 * i..2 * i + 2], 16).expect("checked hex");
    }
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(bad("the URL is not http(s)".into(), url));
    }
    let gf = GdeltFile::parse(url).map_err(|e| bad(e.why.to_string(), url))?;
    Ok(ListingEntry {
        size,
        md5: digest,
        url: url.to_string(),
        file: gf,
        line,
    })
}

/// `lastupdate.txt`: the export, mentions and GKG files of the latest slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastUpdate {
    pub slot: Slot,
    pub export: ListingEntry,
    pub mentions: ListingEntry,
    pub gkg: ListingEntry,
}

impl LastUpdate {
    /// The entry of one kind.
    pub fn get(&self, kind: FileKind) -> &ListingEntry {
        match kind {
            FileKind::Export => &self.export,
            FileKind::Mentions => &self.mentions,
            FileKind::Gkg => &self.gkg,
        }
    }
}

/// Parses `lastupdate.txt` (or `lastupdate-translation.txt`): exactly one export, one mentions
/// and one GKG line, all of one slot.
pub fn parse_lastupdate(bytes: &[u8]) -> Result<LastUpdate, ListingError> {
    const F: &str = "lastupdate.txt";
    let entries = parse_entries(F, bytes)?;
    let whole = |why: String| ListingError::Whole { file: F, why };
    let mut by_kind: [Option<ListingEntry>; 3] = [None, None, None];
    for e in entries {
        let i = e.file.kind as usize;
        if let Some(prev) = &by_kind[i] {
            return Err(ListingError::Line {
                file: F,
                line: e.line,
                value: cut(&e.url),
                why: format!(
                    "a second {} file (the first is on line {})",
                    e.file.kind.as_str(),
                    prev.line
                ),
            });
        }
        by_kind[i] = Some(e);
    }
    let [export, mentions, gkg] = by_kind;
    let missing = |k: FileKind| whole(format!("no {} file listed", k.as_str()));
    let export = export.ok_or_else(|| missing(FileKind::Export))?;
    let mentions = mentions.ok_or_else(|| missing(FileKind::Mentions))?;
    let gkg = gkg.ok_or_else(|| missing(FileKind::Gkg))?;
    for e in [&mentions, &gkg] {
        if e.file.slot != export.file.slot {
            return Err(ListingError::Line {
                file: F,
                line: e.line,
                value: cut(&e.url),
                why: format!("its slot differs from the export's ({})", export.file.slot),
            });
        }
    }
    Ok(LastUpdate {
        slot: export.file.slot,
        export,
        mentions,
        gkg,
    })
}

/// Parses `masterfilelist.txt`: every line an entry; a URL listed twice is an error.
pub fn parse_masterfilelist(bytes: &[u8]) -> Result<Vec<ListingEntry>, ListingError> {
    const F: &str = "masterfilelist.txt";
    let entries = parse_entries(F, bytes)?;
    let mut seen = std::collections::HashMap::new();
    for e in &entries {
        if let Some(first) = seen.insert(e.file, e.line) {
            return Err(ListingError::Line {
                file: F,
                line: e.line,
                value: cut(&e.url),
                why: format!("the same file is listed on line {first}"),
            });
        }
    }
    Ok(entries)
}

/// Parses `masterfilelist.txt` keeping going past bad lines: the good entries, and every bad
/// line as an error naming it. For a backfill that records a broken line as a named problem
/// (and its slot as a gap) instead of stopping; [`parse_masterfilelist`] is the strict form.
pub fn parse_masterfilelist_lossy(bytes: &[u8]) -> (Vec<ListingEntry>, Vec<ListingError>) {
    const F: &str = "masterfilelist.txt";
    let text = String::from_utf8_lossy(bytes);
    let mut good = Vec::new();
    let mut bad = Vec::new();
    let mut seen = std::collections::HashMap::new();
    // Each line as the strict parser reads it: going through it again as a file of its own
    // dropped a second trailing `\r` (`URL\r\r\n` passed here and failed there).
    for (line, l) in lines(&text) {
        match parse_line(F, line, l) {
            Ok(e) => {
                if let Some(first) = seen.insert(e.file, line) {
                    bad.push(ListingError::Line {
                        file: F,
                        line,
                        value: cut(&e.url),
                        why: format!("the same file is listed on line {first}"),
                    });
                } else {
                    good.push(e);
                }
            }
            Err(e) => bad.push(e),
        }
    }
    (good, bad)
}

/// A download that is not the file its listing describes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("{url}: {got} bytes, but the listing says {want}")]
    Size { url: String, want: u64, got: u64 },
    #[error("{url}: MD5 {got}, but the listing says {want}")]
    Md5 {
        url: String,
        want: String,
        got: String,
    },
}

/// The MD5 of `bytes`.
pub fn md5(bytes: &[u8]) -> [u8; 16] {
    Md5::digest(bytes).into()
}

/// Checks a downloaded file against its listing: size first, then MD5.
pub fn verify(entry: &ListingEntry, bytes: &[u8]) -> Result<(), VerifyError> {
    check(&entry.url, entry.size, &entry.md5, bytes)
}

/// Checks `bytes` from `url` against a listed size and MD5: size first, then MD5.
pub fn check(url: &str, size: u64, want: &[u8; 16], bytes: &[u8]) -> Result<(), VerifyError> {
    if bytes.len() as u64 != size {
        return Err(VerifyError::Size {
            url: url.to_string(),
            want: size,
            got: bytes.len() as u64,
        });
    }
    let got = md5(bytes);
    if &got != want {
        return Err(VerifyError::Md5 {
            url: url.to_string(),
            want: hex(want),
            got: hex(&got),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAST: &str = "150383 297a16b493de7cf6ca809a7cc31d0b93 http://data.gdeltproject.org/gdeltv2/20150218230000.export.CSV.zip\n\
318084 bb27f78ba45f69a17ea6ed7755e9f8ff http://data.gdeltproject.org/gdeltv2/20150218230000.mentions.CSV.zip\n\
10768507 ea8dde0beb0ba98810a92db068c0ce99 http://data.gdeltproject.org/gdeltv2/20150218230000.gkg.csv.zip\n";

    #[test]
    fn lastupdate() {
        let l = parse_lastupdate(LAST.as_bytes()).unwrap();
        assert_eq!(l.slot.stamp(), "20150218230000");
        assert_eq!(l.export.size, 150383);
        assert_eq!(l.export.md5_hex(), "297a16b493de7cf6ca809a7cc31d0b93");
        assert_eq!(l.gkg.file.kind, FileKind::Gkg);
        assert_eq!(l.mentions.to_string(), LAST.lines().nth(1).unwrap());
        let crlf = LAST.replace('\n', "\r\n");
        assert_eq!(parse_lastupdate(crlf.as_bytes()).unwrap(), l);
    }

    #[test]
    fn lastupdate_errors_name_line_and_value() {
        let bad = LAST.replace("318084", "318O84");
        let e = parse_lastupdate(bad.as_bytes()).unwrap_err().to_string();
        assert!(e.contains("line 2") && e.contains("318O84"), "{e}");
        let bad = LAST.replace("ea8dde0beb0ba98810a92db068c0ce99", "ea8dde0b");
        let e = parse_lastupdate(bad.as_bytes()).unwrap_err().to_string();
        assert!(e.contains("line 3") && e.contains("ea8dde0b"), "{e}");
        let bad = LAST.replace("20150218230000.gkg", "20150218231500.gkg");
        let e = parse_lastupdate(bad.as_bytes()).unwrap_err().to_string();
        assert!(e.contains("line 3") && e.contains("slot"), "{e}");
        let bad: String = LAST.lines().take(2).map(|l| format!("{l}\n")).collect();
        let e = parse_lastupdate(bad.as_bytes()).unwrap_err().to_string();
        assert!(e.contains("no gkg"), "{e}");
        let bad = LAST.replace(" http", "  http");
        assert!(parse_lastupdate(bad.as_bytes()).is_err());
        let bad = LAST.replace("export.CSV.zip", "export.CSV");
        let e = parse_lastupdate(bad.as_bytes()).unwrap_err().to_string();
        assert!(
            e.contains("line 1") && e.contains("20150218230000.export.CSV"),
            "{e}"
        );
        assert!(parse_lastupdate(b"").is_err());
        assert!(parse_lastupdate(b"\xff\xfe").is_err());
    }

    #[test]
    fn masterfilelist() {
        let mut m = LAST.to_string();
        m.push_str("3 d41d8cd98f00b204e9800998ecf8427e http://data.gdeltproject.org/gdeltv2/20150218231500.translation.export.CSV.zip\n");
        let v = parse_masterfilelist(m.as_bytes()).unwrap();
        assert_eq!(v.len(), 4);
        assert!(v[3].file.translation);
        assert_eq!(v[3].file.url(), v[3].url);
        let dup = format!("{m}{}\n", LAST.lines().next().unwrap());
        let e = parse_masterfilelist(dup.as_bytes())
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 5") && e.contains("line 1"), "{e}");
    }

    #[test]
    fn lossy_masterfilelist_names_every_bad_line() {
        let m = format!(
            "{}\n  http://data.gdeltproject.org/gdeltv2/20150218231500.export.CSV.zip\n{}",
            LAST.lines().next().unwrap(),
            LAST.lines().skip(1).collect::<Vec<_>>().join("\n")
        );
        assert!(parse_masterfilelist(m.as_bytes()).is_err());
        let (good, bad) = parse_masterfilelist_lossy(m.as_bytes());
        assert_eq!(good.len(), 3);
        assert_eq!(good[1].line, 3);
        assert_eq!(bad.len(), 1);
        assert!(bad[0].to_string().contains("line 2"), "{}", bad[0]);
    }

    #[test]
    fn verify_size_and_md5() {
        let body = b"hello gdelt";
        let entry = ListingEntry {
            size: body.len() as u64,
            md5: md5(body),
            url: "http://x/20150218230000.export.CSV.zip".into(),
            file: GdeltFile::parse("20150218230000.export.CSV.zip").unwrap(),
            line: 1,
        };
        verify(&entry, body).unwrap();
        assert!(matches!(
            verify(&entry, b"hello gdelT"),
            Err(VerifyError::Md5 { .. })
        ));
        assert!(matches!(
            verify(&entry, b"hello"),
            Err(VerifyError::Size {
                want: 11,
                got: 5,
                ..
            })
        ));
        // RFC 1321 test vector.
        assert_eq!(hex(&md5(b"abc")), "900150983cd24fb0d6963f7d28e17f72");
    }
}

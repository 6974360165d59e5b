//! ICEWS on Harvard Dataverse: the dataset listing of Dataverse's native API, the ICEWS event
//! files in it, and the check of a download against the size and MD5 the listing gives.
//!
//! ICEWS Coded Event Data (Boschee et al. 2015) is published as two Dataverse datasets: the
//! yearly files (`doi:10.7910/DVN/28075`, labels `events.1995.20150313082510.tab`, some zipped
//! as `.tab.zip`) and the weekly updates (`doi:10.7910/DVN/QI2T9A`, labels such as
//! `20190309-icews-events.tab` or `.zip`). Production stopped on 11 April 2023 (POLECAT
//! succeeds it), so following it finds nothing new; the path exists to fetch, check and
//! re-check what was published, the same way as GDELT.
//!
//! `GET {server}/api/datasets/:persistentId/?persistentId={doi}` answers
//! `{"status": "OK", "data": {"latestVersion": {"files": [{"label": ..., "dataFile": {"id": ...,
//! "filesize": ..., "checksum": {"type": "MD5", "value": ...}, "originalFileSize": ...,
//! "originalFileFormat": ...}}]}}}`. A tabular file Dataverse ingested is served as its own
//! `.tab` rendering unless `?format=original` is asked for; the size and MD5 the listing gives
//! are the original's, so the original is what is downloaded ([`DataverseFile::download_path`])
//! and checked against them ([`crate::listing::check`], as GDELT's files are). A listing that is not this shape, or a file without an MD5, fails
//! naming the dataset and the file.

use attache_core::Date;
use serde_json::Value;

/// The yearly ICEWS files.
pub const ICEWS_HISTORIC_DOI: &str = "doi:10.7910/DVN/28075";
/// The weekly ICEWS updates.
pub const ICEWS_WEEKLY_DOI: &str = "doi:10.7910/DVN/QI2T9A";
/// Harvard's Dataverse.
pub const HARVARD_DATAVERSE: &str = "https://dataverse.harvard.edu";

/// A listing that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Dataverse listing of {dataset}: {why}")]
pub struct DataverseError {
    pub dataset: String,
    pub why: String,
}

/// One file of a dataset's latest version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataverseFile {
    /// Dataverse's file id (the download URL's key).
    pub id: u64,
    pub label: String,
    /// Bytes of the file as uploaded (the original of an ingested table).
    pub size: u64,
    pub md5: [u8; 16],
    /// Whether Dataverse ingested it (then `?format=original` serves the uploaded bytes).
    pub ingested: bool,
}

impl DataverseFile {
    /// The path (under the server) that serves the bytes the listing's size and MD5 describe.
    pub fn download_path(&self) -> String {
        if self.ingested {
            format!("api/access/datafile/{}?format=original", self.id)
        } else {
            format!("api/access/datafile/{}", self.id)
        }
    }
}

/// The listing's URL path (under the server) for dataset `doi`.
pub fn listing_path(doi: &str) -> String {
    format!("api/datasets/:persistentId/?persistentId={doi}")
}

fn parse_md5(hex: &str) -> Option<[u8; 16]> {
    if hex.len() != 32 {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// The files of dataset `dataset`'s latest version, from its listing's JSON.
pub fn parse_dataset(dataset: &str, json: &[u8]) -> Result<Vec<DataverseFile>, DataverseError> {
    let bad = |why: String| DataverseError {
        dataset: dataset.to_string(),
        why,
    };
    let v: Value = serde_json::from_slice(json).map_err(|e| bad(format!("not JSON ({e})")))?;
    if v["status"] != "OK" {
        return Err(bad(format!(
            "status {} ({})",
            v["status"],
            v["message"].as_str().unwrap_or("no message")
        )));
    }
    let files = v["data"]["latestVersion"]["files"]
        .as_array()
        .ok_or_else(|| bad("no data.latestVersion.files array".into()))?;
    let mut out = Vec::with_capacity(files.len());
    for (i, f) in files.iter().enumerate() {
        let label = f["label"]
            .as_str()
            .ok_or_else(|| bad(format!("file {i} has no label")))?
            .to_string();
        let d = &f["dataFile"];
        let named = |why: &str| bad(format!("file {label:?}: {why}"));
        let id = d["id"].as_u64().ok_or_else(|| named("no dataFile.id"))?;
        let ingested = d.get("originalFileFormat").is_some_and(|x| !x.is_null());
        let size = if ingested && d.get("originalFileSize").is_some() {
            d["originalFileSize"].as_u64()
        } else {
            d["filesize"].as_u64()
        }
        .ok_or_else(|| named("no file size"))?;
        let (kind, value) = match (
            d["checksum"]["type"].as_str(),
            d["checksum"]["value"].as_str(),
        ) {
            (Some(t), Some(v)) => (t, v),
            _ => (
                "MD5",
                d["md5"].as_str().ok_or_else(|| named("no checksum"))?,
            ),
        };
        if !kind.eq_ignore_ascii_case("MD5") {
            return Err(named(&format!(
                "checksum type {kind}, but only MD5 is checked"
            )));
        }
        let md5 = parse_md5(&value.to_ascii_lowercase())
            .ok_or_else(|| named(&format!("MD5 {value:?} is not 32 hex digits")))?;
        out.push(DataverseFile {
            id,
            label,
            size,
            md5,
            ingested,
        });
    }
    Ok(out)
}

/// An ICEWS event file of a listing: the name it is imported under (`.tab`, unique within the
/// listing) and the days it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcewsFile {
    pub file: DataverseFile,
    /// The label without `.zip` and ending `.tab`; a label two files share is prefixed with the
    /// file id (`dv3213171-20190309-icews-events.tab`), so neither is taken for the other.
    pub name: String,
    pub first: Date,
    pub last: Date,
}

impl IcewsFile {
    /// The member a zipped file holds: its name without the id prefix.
    pub fn member(&self) -> &str {
        let prefix = format!("dv{}-", self.file.id);
        self.name.strip_prefix(&prefix).unwrap_or(&self.name)
    }
}

/// The days an ICEWS label covers: a year (`events.1995.*`) or the week ending on the date of
/// a weekly file (`20190309-icews-events*`).
fn coverage(label: &str) -> Option<(Date, Date)> {
    if let Some(rest) = label.strip_prefix("events.") {
        let year: i32 = rest.get(..4)?.parse().ok()?;
        return Some((Date::new(year, 1, 1)?, Date::new(year, 12, 31)?));
    }
    let stamp = label.get(..8)?;
    if !stamp.bytes().all(|b| b.is_ascii_digit()) || !label[8..].starts_with("-icews-events") {
        return None;
    }
    let last = Date::new(
        stamp[..4].parse().ok()?,
        stamp[4..6].parse().ok()?,
        stamp[6..8].parse().ok()?,
    )?;
    Some((
        Date::from_days_since_epoch(last.days_since_epoch() - 6),
        last,
    ))
}

/// The ICEWS event files of a listing (documentation and other files are left out), each
/// named for import.
pub fn icews_files(files: &[DataverseFile]) -> Vec<IcewsFile> {
    let normal = |label: &str| -> Option<String> {
        let base = label
            .strip_suffix(".zip")
            .or_else(|| label.strip_suffix(".ZIP"))
            .unwrap_or(label);
        let base = base.strip_suffix(".tab").unwrap_or(base);
        Some(format!("{base}.tab"))
    };
    let mut out: Vec<IcewsFile> = files
        .iter()
        .filter_map(|f| {
            let (first, last) = coverage(&f.label)?;
            Some(IcewsFile {
                file: f.clone(),
                name: normal(&f.label)?,
                first,
                last,
            })
        })
        .collect();
    let shared: std::collections::BTreeSet<String> = out
        .iter()
        .enumerate()
        .filter(|(i, a)| {
            out.iter()
                .enumerate()
                .any(|(j, b)| *i != j && a.name == b.name)
        })
        .map(|(_, a)| a.name.clone())
        .collect();
    for f in &mut out {
        if shared.contains(&f.name) {
            f.name = format!("dv{}-{}", f.file.id, f.name);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(files: &str) -> String {
        format!(r#"{{"status": "OK", "data": {{"latestVersion": {{"files": [{files}]}}}}}}"#)
    }

    const YEAR: &str = r#"{"label": "events.1995.20150313082510.tab", "dataFile": {"id": 2711066, "filesize": 900, "originalFileFormat": "text/tab-separated-values", "originalFileSize": 1000, "checksum": {"type": "MD5", "value": "0123456789ABCDEF0123456789abcdef"}}}"#;
    const WEEK: &str = r#"{"label": "20190309-icews-events.zip", "dataFile": {"id": 7, "filesize": 55, "md5": "00000000000000000000000000000001"}}"#;
    const WEEK2: &str = r#"{"label": "20190309-icews-events.tab", "dataFile": {"id": 8, "filesize": 56, "md5": "00000000000000000000000000000002"}}"#;
    const DOC: &str = r#"{"label": "ICEWS Coded Event Data Read Me.pdf", "dataFile": {"id": 9, "filesize": 5, "md5": "00000000000000000000000000000003"}}"#;

    #[test]
    fn a_listing_gives_the_event_files_with_what_to_check() {
        let files =
            parse_dataset("d", listing(&[YEAR, WEEK, WEEK2, DOC].join(",")).as_bytes()).unwrap();
        assert_eq!(files.len(), 4);
        assert_eq!((files[0].size, files[0].ingested), (1000, true));
        assert_eq!(files[0].md5[0], 0x01);
        assert_eq!(
            files[0].download_path(),
            "api/access/datafile/2711066?format=original"
        );
        assert_eq!(files[1].download_path(), "api/access/datafile/7");
        let ev = icews_files(&files);
        let names: Vec<&str> = ev.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "events.1995.20150313082510.tab",
                "dv7-20190309-icews-events.tab",
                "dv8-20190309-icews-events.tab"
            ]
        );
        assert_eq!(ev[1].member(), "20190309-icews-events.tab");
        assert_eq!(ev[0].member(), "events.1995.20150313082510.tab");
        assert_eq!(ev[0].first.to_string(), "1995-01-01");
        assert_eq!(ev[0].last.to_string(), "1995-12-31");
        assert_eq!(ev[1].first.to_string(), "2019-03-03");
        assert_eq!(ev[1].last.to_string(), "2019-03-09");
    }

    #[test]
    fn bad_listings_fail_naming_the_dataset_and_file() {
        let check = |json: &str, want: &str| {
            let e = parse_dataset("doi:x", json.as_bytes())
                .unwrap_err()
                .to_string();
            assert!(e.contains("doi:x") && e.contains(want), "{e}");
        };
        check("<html>", "not JSON");
        check(
            r#"{"status": "ERROR", "message": "Dataset not found"}"#,
            "Dataset not found",
        );
        check(
            r#"{"status": "OK", "data": {}}"#,
            "no data.latestVersion.files",
        );
        check(
            &listing(r#"{"label": "a.tab", "dataFile": {"id": 1, "filesize": 2}}"#),
            "\"a.tab\": no checksum",
        );
        check(
            &listing(
                r#"{"label": "a.tab", "dataFile": {"id": 1, "filesize": 2, "checksum": {"type": "SHA-1", "value": "ab"}}}"#,
            ),
            "SHA-1",
        );
        check(
            &listing(r#"{"label": "a.tab", "dataFile": {"id": 1, "filesize": 2, "md5": "xyz"}}"#),
            "32 hex",
        );
        check(
            &listing(r#"{"label": "a.tab", "dataFile": {"filesize": 2, "md5": "xyz"}}"#),
            "no dataFile.id",
        );
    }

    #[test]
    fn a_download_is_checked_against_the_listing() {
        let bytes = b"abc";
        let f = DataverseFile {
            id: 1,
            label: "x".into(),
            size: 3,
            md5: crate::listing::md5(bytes),
            ingested: false,
        };
        let verify = |b: &[u8]| crate::listing::check("u", f.size, &f.md5, b);
        assert!(verify(bytes).is_ok());
        assert!(verify(b"abd").unwrap_err().to_string().contains("MD5"));
        assert!(verify(b"ab").unwrap_err().to_string().contains("2 bytes"));
    }
}

//! The vintage lockfile (`lock.json`): what went into a vintage, file by file, so every number
//! in the store can be traced to a URL, a checksum and a row count.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Lockfile {
    pub vintage: String,
    pub created_at: String,
    pub attache_version: String,
    /// "mirror" or "web".
    pub mode: String,
    /// The mirror directory imported, when mode = "mirror".
    pub mirror: Option<String>,
    pub sources: Vec<SourceEntry>,
    pub files: Vec<FileEntry>,
    pub tables: Vec<TableEntry>,
    /// Sources with no file present (skipped), with the reason.
    pub skipped: Vec<SkippedEntry>,
    /// Problems found against the previous vintage that the user accepted by name
    /// (`attache sync --accept`), in words.
    #[serde(default)]
    pub accepted: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct SourceEntry {
    pub id: String,
    pub title: String,
    pub publisher: String,
    pub licence: String,
    pub citation: String,
    pub homepage: String,
    pub publication_lag: String,
    pub tables: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct FileEntry {
    pub source: String,
    /// Path in the mirror layout.
    pub path: String,
    pub url: String,
    pub sha256: String,
    pub bytes: u64,
    pub rows_read: u64,
    pub rows_loaded: u64,
    pub rows_excluded: u64,
    /// Reason -> rows left out for it.
    pub excluded: BTreeMap<String, u64>,
    /// Reason -> values or rows changed or annotated on load.
    pub adjusted: BTreeMap<String, u64>,
    pub retrieved_at: String,
    pub licence: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct TableEntry {
    pub name: String,
    pub rows: u64,
    pub columns: usize,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct SkippedEntry {
    pub source: String,
    pub reason: String,
}

//! Refusing a vintage that is not whole: before a sync publishes, its lockfile is compared with
//! the current vintage's, and each problem below stops the publication unless the user accepts
//! it by name (`attache sync --accept NAME`, NAME being the file's mirror path or the table).
//!
//! | problem | rule |
//! |---|---|
//! | empty file | a file that yielded no row at all (`rows_read == 0`), or whose every row was excluded |
//! | lost rows | a file that the current vintage also holds and that loaded more than [`MAX_ROW_LOSS`] fewer rows |
//! | table gone | a table of the current vintage that the new one lacks (with `--only`: among the synced sources' tables) |
//!
//! A publisher's file grows or changes checksum as it is revised: that is not a problem. A file
//! that shrinks sharply, or vanishes with its table, is far more often a failed download, a
//! truncated copy or a wrong mirror directory than a real revision, so a person has to say so.

use std::fmt;

use crate::lockfile::Lockfile;

/// Largest share of a file's rows that may disappear between two vintages without `--accept`.
pub const MAX_ROW_LOSS: f64 = 0.10;

/// One reason not to publish.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// A file without any loaded row.
    EmptyFile {
        /// Mirror path of the file.
        path: String,
        /// Rows read from it.
        rows_read: u64,
    },
    /// A file that lost more than [`MAX_ROW_LOSS`] of its rows.
    LostRows {
        /// Mirror path of the file.
        path: String,
        /// Rows loaded in the current vintage.
        before: u64,
        /// Rows loaded now.
        after: u64,
    },
    /// A table of the current vintage that the new one lacks.
    TableGone {
        /// Table name.
        table: String,
        /// Its rows in the current vintage.
        rows: u64,
    },
}

impl Problem {
    /// The name `--accept` takes for it: the file's path or the table.
    pub fn key(&self) -> &str {
        match self {
            Problem::EmptyFile { path, .. } | Problem::LostRows { path, .. } => path,
            Problem::TableGone { table, .. } => table,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::EmptyFile { path, rows_read: 0 } => write!(f, "{path}: the file holds no row"),
            Problem::EmptyFile { path, rows_read } => {
                write!(f, "{path}: all {rows_read} rows were excluded, none loaded")
            }
            Problem::LostRows {
                path,
                before,
                after,
            } => write!(
                f,
                "{path}: {after} rows loaded, {before} in the current vintage ({:.0}% fewer; more than {:.0}% is refused)",
                100.0 * (*before - *after) as f64 / *before as f64,
                100.0 * MAX_ROW_LOSS
            ),
            Problem::TableGone { table, rows } => {
                write!(
                    f,
                    "table {table} ({rows} rows in the current vintage) would disappear"
                )
            }
        }
    }
}

/// The problems of publishing `next` over `current` (see the module documentation).
/// `synced_sources`: the source ids this sync imported when it was restricted with `--only`
/// (`None` for a full sync).
pub fn compare(
    current: Option<&Lockfile>,
    next: &Lockfile,
    synced_sources: Option<&[String]>,
) -> Vec<Problem> {
    let mut out = Vec::new();
    for f in &next.files {
        if f.rows_loaded == 0 {
            out.push(Problem::EmptyFile {
                path: f.path.clone(),
                rows_read: f.rows_read,
            });
        }
    }
    let Some(cur) = current else {
        return out;
    };
    for f in &next.files {
        if f.rows_loaded == 0 {
            continue;
        }
        if let Some(old) = cur
            .files
            .iter()
            .find(|o| o.path == f.path && o.source == f.source)
            && old.rows_loaded > 0
            && (f.rows_loaded as f64) < (1.0 - MAX_ROW_LOSS) * old.rows_loaded as f64
        {
            out.push(Problem::LostRows {
                path: f.path.clone(),
                before: old.rows_loaded,
                after: f.rows_loaded,
            });
        }
    }
    for t in &cur.tables {
        if next.tables.iter().any(|n| n.name == t.name) {
            continue;
        }
        let in_scope = synced_sources.is_none_or(|ids| t.sources.iter().any(|s| ids.contains(s)));
        if in_scope {
            out.push(Problem::TableGone {
                table: t.name.clone(),
                rows: t.rows,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lockfile::{FileEntry, TableEntry};

    fn lock(files: &[(&str, u64)], tables: &[&str]) -> Lockfile {
        Lockfile {
            files: files
                .iter()
                .map(|(p, n)| FileEntry {
                    source: "s".into(),
                    path: p.to_string(),
                    rows_read: *n,
                    rows_loaded: *n,
                    ..Default::default()
                })
                .collect(),
            tables: tables
                .iter()
                .map(|t| TableEntry {
                    name: t.to_string(),
                    rows: 10,
                    columns: 1,
                    sources: vec!["s".into()],
                })
                .collect(),
            ..Default::default()
        }
    }

    /// One check per rule, through one helper: (current, next, --only) -> the problem keys.
    fn check(cur: Option<Lockfile>, next: Lockfile, only: Option<&[String]>, expect: &[&str]) {
        let got: Vec<String> = compare(cur.as_ref(), &next, only)
            .iter()
            .map(|p| p.key().to_string())
            .collect();
        assert_eq!(got, expect);
    }

    #[test]
    fn rules() {
        // First vintage: only empty files count.
        check(
            None,
            lock(&[("a.csv", 0), ("b.csv", 5)], &["t"]),
            None,
            &["a.csv"],
        );
        // Growth and a 10% loss are fine; an 11% loss is not.
        check(
            Some(lock(&[("a.csv", 100)], &["t"])),
            lock(&[("a.csv", 90)], &["t"]),
            None,
            &[],
        );
        check(
            Some(lock(&[("a.csv", 100)], &["t"])),
            lock(&[("a.csv", 89)], &["t"]),
            None,
            &["a.csv"],
        );
        check(
            Some(lock(&[("a.csv", 100)], &["t"])),
            lock(&[("a.csv", 500)], &["t"]),
            None,
            &[],
        );
        // A table that disappears; with --only, only the synced sources' tables count.
        check(
            Some(lock(&[], &["t", "u"])),
            lock(&[], &["t"]),
            None,
            &["u"],
        );
        check(
            Some(lock(&[], &["t", "u"])),
            lock(&[], &["t"]),
            Some(&["other".to_string()]),
            &[],
        );
        check(
            Some(lock(&[], &["t", "u"])),
            lock(&[], &["t"]),
            Some(&["s".to_string()]),
            &["u"],
        );
    }

    #[test]
    fn messages_name_the_file_and_the_counts() {
        let p = Problem::LostRows {
            path: "gdelt/lookups/CAMEO.eventcodes.txt".into(),
            before: 314,
            after: 191,
        };
        assert_eq!(
            p.to_string(),
            "gdelt/lookups/CAMEO.eventcodes.txt: 191 rows loaded, 314 in the current vintage (39% fewer; more than 10% is refused)"
        );
    }
}

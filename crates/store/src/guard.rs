//! Refusing a vintage that is not whole: before a sync publishes, its lockfile is compared with
//! the current vintage's, and each problem below stops the publication unless the user accepts
//! it by name (`attache sync --accept NAME`, NAME being the file's mirror path or the table).
//!
//! | problem | rule |
//! |---|---|
//! | empty file | a file that yielded no row at all (`rows_read == 0`), or whose every row was excluded |
//! | lost rows | a file that the current vintage also holds and that loaded more than [`MAX_ROW_LOSS`] fewer rows |
//! | table gone | a table of the current vintage that the new one lacks (with `--only`: among the synced sources' tables) |
//! | too few rows | a file that loaded fewer rows than its source declares plausible ([`FileRule::min_rows`]); checked on every sync, the first one too |
//! | release changed | a file its source declares a fixed, versioned release ([`FileRule::release`]) whose checksum differs from the current vintage's copy |
//! | columns gone | a table that has fewer columns than in the current vintage |
//! | table missing | a table a synced source declares ([`Expectations::tables`]) that it did not write |
//!
//! A publisher's living file grows or changes checksum as it is revised: that is not a problem. A
//! file that shrinks sharply, vanishes with its table, loses columns, or changes although its
//! name says it is one fixed release, is far more often a failed download, a truncated or
//! corrupted copy or a wrong mirror directory than a real revision, so a person has to say so.
//! What is sound for each file is declared by its source (`attache_sources::FileSpec`); the
//! binary turns those declarations into [`Expectations`].

use std::fmt;

use crate::lockfile::Lockfile;

/// Largest share of a file's rows that may disappear between two vintages without `--accept`.
pub const MAX_ROW_LOSS: f64 = 0.10;

/// What a source declares about one of its files.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileRule {
    /// The source id.
    pub source: String,
    /// The file's mirror path.
    pub path: String,
    /// Fewer loaded rows than this is not a plausible copy (0: no floor beyond "not empty").
    pub min_rows: u64,
    /// A fixed, versioned release: the same name must always have the same bytes.
    pub release: bool,
}

/// Everything the sources declare about a sound vintage.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Expectations {
    /// Per-file rules.
    pub files: Vec<FileRule>,
    /// `(source, table)`: the tables each source writes whenever it is synced.
    pub tables: Vec<(String, String)>,
}

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
    /// A file with fewer rows than its source declares plausible.
    TooFewRows {
        /// Mirror path of the file.
        path: String,
        /// Rows loaded.
        rows: u64,
        /// The declared floor.
        min_rows: u64,
    },
    /// A declared fixed release whose bytes differ from the current vintage's copy.
    ReleaseChanged {
        /// Mirror path of the file.
        path: String,
        /// sha256 in the current vintage.
        before: String,
        /// sha256 now.
        after: String,
    },
    /// A table with fewer columns than in the current vintage.
    ColumnsGone {
        /// Table name.
        table: String,
        /// Columns in the current vintage.
        before: usize,
        /// Columns now.
        after: usize,
    },
    /// A table a synced source declares but did not write.
    TableMissing {
        /// Table name.
        table: String,
        /// The source that declares it.
        source: String,
    },
}

impl Problem {
    /// The name `--accept` takes for it: the file's path or the table.
    pub fn key(&self) -> &str {
        match self {
            Problem::EmptyFile { path, .. }
            | Problem::LostRows { path, .. }
            | Problem::TooFewRows { path, .. }
            | Problem::ReleaseChanged { path, .. } => path,
            Problem::TableGone { table, .. }
            | Problem::ColumnsGone { table, .. }
            | Problem::TableMissing { table, .. } => table,
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
            Problem::TooFewRows {
                path,
                rows,
                min_rows,
            } => write!(
                f,
                "{path}: {rows} rows loaded; its source declares at least {min_rows} for a whole copy"
            ),
            Problem::ReleaseChanged {
                path,
                before,
                after,
            } => write!(
                f,
                "{path}: a fixed release, but its sha256 is now {} (was {} in the current vintage): a corrupted or different copy",
                short(after),
                short(before)
            ),
            Problem::ColumnsGone {
                table,
                before,
                after,
            } => write!(
                f,
                "table {table}: {after} columns, {before} in the current vintage"
            ),
            Problem::TableMissing { table, source } => write!(
                f,
                "table {table}: source {source} was synced but did not write it"
            ),
        }
    }
}

/// The first 12 hex digits of a checksum (enough to tell two apart in a message).
fn short(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

/// The problems of publishing `next` over `current` (see the module documentation).
/// `synced_sources`: the source ids this sync imported when it was restricted with `--only`
/// (`None` for a full sync). `expect`: what the sources declare.
pub fn compare(
    current: Option<&Lockfile>,
    next: &Lockfile,
    synced_sources: Option<&[String]>,
    expect: &Expectations,
) -> Vec<Problem> {
    let mut out = Vec::new();
    let rule = |source: &str, path: &str| {
        expect
            .files
            .iter()
            .find(|r| r.source == source && r.path == path)
    };
    for f in &next.files {
        if f.rows_loaded == 0 {
            out.push(Problem::EmptyFile {
                path: f.path.clone(),
                rows_read: f.rows_read,
            });
        } else if let Some(r) = rule(&f.source, &f.path)
            && f.rows_loaded < r.min_rows
        {
            out.push(Problem::TooFewRows {
                path: f.path.clone(),
                rows: f.rows_loaded,
                min_rows: r.min_rows,
            });
        }
    }
    for (source, table) in &expect.tables {
        let synced = next.files.iter().any(|f| &f.source == source);
        if synced && !next.tables.iter().any(|t| &t.name == table) {
            out.push(Problem::TableMissing {
                table: table.clone(),
                source: source.clone(),
            });
        }
    }
    let Some(cur) = current else {
        return out;
    };
    for f in &next.files {
        if let Some(old) = cur
            .files
            .iter()
            .find(|o| o.path == f.path && o.source == f.source)
            && rule(&f.source, &f.path).is_some_and(|r| r.release)
            && !old.sha256.is_empty()
            && old.sha256 != f.sha256
        {
            out.push(Problem::ReleaseChanged {
                path: f.path.clone(),
                before: old.sha256.clone(),
                after: f.sha256.clone(),
            });
        }
    }
    for t in &next.tables {
        if let Some(old) = cur.tables.iter().find(|o| o.name == t.name)
            && t.columns < old.columns
        {
            out.push(Problem::ColumnsGone {
                table: t.name.clone(),
                before: old.columns,
                after: t.columns,
            });
        }
    }
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
        check_with(cur, next, only, &Expectations::default(), expect)
    }

    fn check_with(
        cur: Option<Lockfile>,
        next: Lockfile,
        only: Option<&[String]>,
        rules: &Expectations,
        expect: &[&str],
    ) {
        let got: Vec<String> = compare(cur.as_ref(), &next, only, rules)
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

    fn with_sha(mut l: Lockfile, sha: &str) -> Lockfile {
        for f in &mut l.files {
            f.sha256 = sha.to_string();
        }
        l
    }

    fn with_columns(mut l: Lockfile, n: usize) -> Lockfile {
        for t in &mut l.tables {
            t.columns = n;
        }
        l
    }

    #[test]
    fn declared_rules() {
        let rules = Expectations {
            files: vec![FileRule {
                source: "s".into(),
                path: "a.csv".into(),
                min_rows: 50,
                release: true,
            }],
            tables: vec![("s".into(), "t".into()), ("other".into(), "o".into())],
        };
        // A floor holds on the first sync too; at the floor is fine.
        check_with(
            None,
            lock(&[("a.csv", 49)], &["t"]),
            None,
            &rules,
            &["a.csv"],
        );
        check_with(None, lock(&[("a.csv", 50)], &["t"]), None, &rules, &[]);
        // A file without a rule has no floor.
        check_with(None, lock(&[("b.csv", 1)], &["t"]), None, &rules, &[]);
        // A synced source that did not write its table; an unsynced one is not asked.
        check_with(None, lock(&[("a.csv", 60)], &[]), None, &rules, &["t"]);
        // A release that changed bytes; a living file may.
        let before = with_sha(lock(&[("a.csv", 60), ("b.csv", 60)], &["t"]), "aa");
        check_with(
            Some(before.clone()),
            with_sha(lock(&[("a.csv", 60), ("b.csv", 60)], &["t"]), "bb"),
            None,
            &rules,
            &["a.csv"],
        );
        check_with(
            Some(before),
            with_sha(lock(&[("a.csv", 60), ("b.csv", 60)], &["t"]), "aa"),
            None,
            &rules,
            &[],
        );
        // Columns lost; columns gained is a revision.
        let cur = with_columns(lock(&[], &["t"]), 5);
        check(
            Some(cur.clone()),
            with_columns(lock(&[], &["t"]), 4),
            None,
            &["t"],
        );
        check(Some(cur), with_columns(lock(&[], &["t"]), 6), None, &[]);
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

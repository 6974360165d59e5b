//! The `ndc_imports` table: pledges a user imported (`attache climate import`, schema in
//! `attache_pledges::import`), kept in the vintage like any table so that every reader of the
//! policy side (`pledge_inputs`) sees them, and carried into later vintages by `sync`.
//!
//! An import publishes a **new vintage**: every table and artifact of the current one
//! (hard-linked), the merged `ndc_imports` table (the new file's rows replace earlier rows of
//! the same party), and the current lockfile with the imported file as one more file entry
//! (path, sha256, rows). Vintages stay immutable; `attache vintages use` rolls an import back.

use std::sync::Arc;

use arrow::array::{ArrayRef, Int64Array, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use attache_core::Date;
use attache_pledges::import::ImportedPledge;

use crate::cells::{ints, strings};
use crate::lockfile::{FileEntry, Lockfile, SourceEntry, TableEntry};
use crate::{Result, Store, StoreError, Vintage, query};

/// The table's name.
pub const TABLE: &str = "ndc_imports";
/// The lockfile's source id of imported files.
pub const SOURCE_ID: &str = "ndc-import";

const SQL: &str =
    "SELECT iso3, pledge, round, submitted, source, file, line FROM ndc_imports ORDER BY iso3";

/// The rows as one batch (`file` names where each row came from).
pub fn batch(rows: &[(ImportedPledge, String)]) -> Result<RecordBatch> {
    let text = |f: &dyn Fn(&(ImportedPledge, String)) -> String| -> ArrayRef {
        Arc::new(StringArray::from(rows.iter().map(f).collect::<Vec<_>>()))
    };
    let schema = Arc::new(Schema::new(
        ["iso3", "pledge", "round", "submitted", "source", "file"]
            .iter()
            .map(|n| Field::new(*n, DataType::Utf8, false))
            .chain(std::iter::once(Field::new("line", DataType::Int64, false)))
            .collect::<Vec<_>>(),
    ));
    RecordBatch::try_new(
        schema,
        vec![
            text(&|r| r.0.iso3.clone()),
            text(&|r| r.0.pledge.clone()),
            text(&|r| r.0.round.clone()),
            text(&|r| r.0.submitted.to_string()),
            text(&|r| r.0.source.clone()),
            text(&|r| r.1.clone()),
            Arc::new(Int64Array::from(
                rows.iter().map(|r| r.0.line as i64).collect::<Vec<_>>(),
            )),
        ],
    )
    .map_err(|e| StoreError::Internal {
        table: TABLE.into(),
        message: e.to_string(),
    })
}

/// The imported rows of `v` with the file each came from; empty when it has none.
pub async fn read(v: &Vintage) -> Result<Vec<(ImportedPledge, String)>> {
    if !v.tables()?.iter().any(|t| t == TABLE) {
        return Ok(Vec::new());
    }
    let ctx = v.session().await?;
    let b = query(&ctx, SQL).await?;
    let cols: Vec<Vec<Option<String>>> = ["iso3", "pledge", "round", "submitted", "source", "file"]
        .iter()
        .map(|c| strings(&b, c, SQL))
        .collect::<Result<_>>()?;
    let lines = ints(&b, "line", SQL)?;
    let corrupt = |i: usize, what: &str| StoreError::Corrupt {
        path: v.table_path(TABLE),
        message: format!("row {i}: {what}"),
    };
    let mut out = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let get = |k: usize| cols[k][i].clone().ok_or_else(|| corrupt(i, "a null cell"));
        let submitted: Date = get(3)?
            .parse()
            .map_err(|e: attache_core::DateError| corrupt(i, &e.to_string()))?;
        out.push((
            ImportedPledge {
                iso3: get(0)?,
                pledge: get(1)?,
                round: get(2)?,
                submitted,
                source: get(4)?,
                line: line.unwrap_or(0) as usize,
            },
            get(5)?,
        ));
    }
    Ok(out)
}

/// What an import did.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The new vintage.
    pub vintage: Vintage,
    /// Rows of the file.
    pub rows: usize,
    /// Parties whose earlier imported row was replaced.
    pub replaced: Vec<String>,
    /// Imported rows in the table after the merge.
    pub total: usize,
}

/// Publishes vintage `id`: everything of `from`, plus `rows` (read from `entry.path`) merged
/// into `ndc_imports`. `before_publish` runs once the vintage is staged and before it becomes
/// current (the caller writes the audit record there): if it fails, nothing is published.
pub async fn publish(
    store: &Store,
    from: &Vintage,
    id: &str,
    created_at: &str,
    rows: Vec<ImportedPledge>,
    entry: FileEntry,
    before_publish: impl FnOnce(&str) -> std::result::Result<(), String>,
) -> Result<Imported> {
    let mut merged = read(from).await?;
    let mut replaced = Vec::new();
    for r in &rows {
        if merged.iter().any(|m| m.0.iso3 == r.iso3) {
            replaced.push(r.iso3.clone());
        }
    }
    merged.retain(|m| !rows.iter().any(|r| r.iso3 == m.0.iso3));
    let n = rows.len();
    merged.extend(rows.into_iter().map(|r| (r, entry.path.clone())));
    merged.sort_by(|a, b| a.0.iso3.cmp(&b.0.iso3));
    let mut lock: Lockfile = from.lockfile()?;
    let mut staged = store.begin(id)?;
    staged.carry_from(from, &[TABLE])?;
    let b = batch(&merged)?;
    let (table_rows, columns) = staged.write_table(TABLE, &[b])?;
    lock.vintage = id.to_string();
    lock.created_at = created_at.to_string();
    lock.attache_version = env!("CARGO_PKG_VERSION").to_string();
    lock.tables.retain(|t| t.name != TABLE);
    lock.tables.push(TableEntry {
        name: TABLE.into(),
        rows: table_rows,
        columns,
        sources: vec![SOURCE_ID.into()],
    });
    lock.tables.sort_by(|a, b| a.name.cmp(&b.name));
    if !lock.sources.iter().any(|s| s.id == SOURCE_ID) {
        lock.sources.push(SourceEntry {
            id: SOURCE_ID.into(),
            title: "Imported NDC and net-zero pledges (attache climate import)".into(),
            publisher: "the deployment's users".into(),
            licence: entry.licence.clone(),
            citation: "each row names its source".into(),
            homepage: String::new(),
            publication_lag: "as imported".into(),
            tables: vec![TABLE.into()],
        });
    }
    lock.files.push(entry);
    before_publish(id).map_err(|message| StoreError::Internal {
        table: TABLE.into(),
        message: format!("not published: {message}"),
    })?;
    let vintage = staged.publish(&lock)?;
    Ok(Imported {
        vintage,
        rows: n,
        replaced,
        total: merged.len(),
    })
}

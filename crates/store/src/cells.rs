//! Typing the cells of a query result, shared by the store's input readers (`pledge_inputs`,
//! `epidemic_inputs`): a column cast to one type across all batches, nulls kept as `None`, and
//! errors naming the query, the column and the row; and the check that a vintage holds the
//! tables a reader needs, naming the source that writes a missing one.

use arrow::array::{Array, ArrayRef, AsArray};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Float64Type, Int64Type};
use arrow::record_batch::RecordBatch;
use attache_core::SourceId;

use crate::{Result, StoreError, Vintage};

/// An error in the result of `sql`.
fn bad(sql: &str, what: String) -> StoreError {
    StoreError::Query(format!("{what} (in the result of `{sql}`)"))
}

/// Column `name` of every batch, cast to `ty`.
fn column(batches: &[RecordBatch], name: &str, ty: &DataType, sql: &str) -> Result<Vec<ArrayRef>> {
    batches
        .iter()
        .map(|b| {
            let c = b
                .column_by_name(name)
                .ok_or_else(|| bad(sql, format!("column {name} missing")))?;
            cast(c, ty).map_err(|e| bad(sql, format!("casting column {name} to {ty}: {e}")))
        })
        .collect()
}

/// Column `name` as text.
pub(crate) fn strings(
    batches: &[RecordBatch],
    name: &str,
    sql: &str,
) -> Result<Vec<Option<String>>> {
    Ok(column(batches, name, &DataType::Utf8, sql)?
        .iter()
        .flat_map(|a| {
            let s = a.as_string::<i32>();
            (0..s.len())
                .map(|i| (!s.is_null(i)).then(|| s.value(i).to_string()))
                .collect::<Vec<_>>()
        })
        .collect())
}

/// Column `name` as integers.
pub(crate) fn ints(batches: &[RecordBatch], name: &str, sql: &str) -> Result<Vec<Option<i64>>> {
    Ok(column(batches, name, &DataType::Int64, sql)?
        .iter()
        .flat_map(|a| {
            let s = a.as_primitive::<Int64Type>();
            (0..s.len())
                .map(|i| (!s.is_null(i)).then(|| s.value(i)))
                .collect::<Vec<_>>()
        })
        .collect())
}

/// Column `name` as floats.
pub(crate) fn floats(batches: &[RecordBatch], name: &str, sql: &str) -> Result<Vec<Option<f64>>> {
    Ok(column(batches, name, &DataType::Float64, sql)?
        .iter()
        .flat_map(|a| {
            let s = a.as_primitive::<Float64Type>();
            (0..s.len())
                .map(|i| (!s.is_null(i)).then(|| s.value(i)))
                .collect::<Vec<_>>()
        })
        .collect())
}

/// A cell that must not be null.
pub(crate) fn need<T>(v: Option<T>, what: &str, sql: &str, row: usize) -> Result<T> {
    v.ok_or_else(|| bad(sql, format!("row {row}: {what} is null")))
}

/// Fails on the first of `needed` (table, the source that writes it) the vintage lacks.
pub(crate) fn require_tables(v: &Vintage, needed: &[(&'static str, SourceId)]) -> Result<()> {
    let tables = v.tables()?;
    match needed.iter().find(|(t, _)| !tables.iter().any(|x| x == t)) {
        None => Ok(()),
        Some(&(table, source_id)) => Err(StoreError::MissingTable {
            vintage: v.id.clone(),
            table,
            source_id,
        }),
    }
}

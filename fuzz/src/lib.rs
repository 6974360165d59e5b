//! Helpers shared by the fuzz targets: find the real adapter in `attache_sources::registry()`,
//! feed it fuzz bytes under one of its own mirror paths, and check the invariants every `Ok`
//! result must hold. Everything here panics only on a broken invariant (which the fuzzer reports
//! as a crash) or on a mistake in the fuzz targets themselves (an unknown source id or path).
//!
//! The target bodies are in [`targets`] (one `pub fn <target>(data: &[u8])` each, and
//! [`targets::ALL`] naming them), so that they run on stable Rust too: each
//! `fuzz_targets/<target>.rs` only hands libFuzzer's bytes to its function, and
//! `crates/cli/tests/fuzz_replay.rs` includes this file as a module (`#[path]`) and replays the
//! committed corpus (`fuzz/replay/`), the crash inputs (`fuzz/regressions/`) and a local
//! `fuzz/corpus/` through every function. So nothing here may use libfuzzer-sys, and modules
//! refer to each other by `super::`, never `crate::`.

pub mod targets;

use std::sync::OnceLock;

use arrow::array::Array;
use attache_sources::{Input, Loaded, Source};

/// `FUZZ_VERBOSE=1` prints each load's outcome (to check that seeds parse: run a target on its
/// corpus with `-runs=0`).
pub fn verbose() -> bool {
    static V: OnceLock<bool> = OnceLock::new();
    *V.get_or_init(|| std::env::var_os("FUZZ_VERBOSE").is_some_and(|v| v == "1"))
}

/// The adapter with this `meta().id`, from the registry (built once per process).
pub fn source(id: &str) -> &'static dyn Source {
    attache_sources::registry()
        .iter()
        .find(|s| s.meta().id == id)
        .map(|s| s.as_ref())
        .unwrap_or_else(|| panic!("fuzz target bug: no source {id:?} in the registry"))
}

/// The mirror path of `src` that ends with `suffix` (taken from `meta().files`, so the fuzz input
/// is found exactly where the adapter looks for it).
pub fn mirror_path(src: &dyn Source, suffix: &str) -> &'static str {
    src.meta()
        .files
        .iter()
        .map(|f| f.mirror_path)
        .find(|p| p.ends_with(suffix))
        .unwrap_or_else(|| {
            panic!(
                "fuzz target bug: source {} has no file ending with {suffix:?}",
                src.meta().id
            )
        })
}

/// One input file named `name` holding `data`.
pub fn one(name: &str, data: &[u8]) -> Vec<Input> {
    vec![Input {
        name: name.to_string(),
        bytes: data.to_vec(),
    }]
}

/// Runs `src.load(inputs)`. An `Err` is a fine outcome (and its message must render); an `Ok` is
/// checked with [`check_loaded`] and returned.
pub fn load(src: &dyn Source, inputs: &[Input]) -> Option<Loaded> {
    match src.load(inputs) {
        Ok(l) => {
            check_loaded(src, inputs, &l);
            if verbose() {
                eprintln!("{}: Ok: {:?}", src.meta().id, l.stats);
            }
            Some(l)
        }
        Err(e) => {
            // Formatting the error must not panic either (it quotes file, line, column and value).
            let msg = e.to_string();
            let _ = e.file();
            if verbose() {
                eprintln!("{}: Err: {msg}", src.meta().id);
            }
            None
        }
    }
}

/// Invariants of any `Ok` load:
/// - every table written is one the source declares in `meta().tables`;
/// - every stats entry names one of the inputs, and accounts for each row read:
///   `rows_read == rows_loaded + rows_excluded`.
pub fn check_loaded(src: &dyn Source, inputs: &[Input], l: &Loaded) {
    let meta = src.meta();
    for t in &l.tables {
        assert!(
            meta.tables.contains(&t.table.as_str()),
            "{}: wrote undeclared table {:?}",
            meta.id,
            t.table
        );
        assert_eq!(t.batch.num_columns(), t.batch.schema().fields().len());
    }
    for (name, st) in &l.stats {
        assert!(
            inputs.iter().any(|i| &i.name == name),
            "{}: stats for unknown input {name:?}",
            meta.id
        );
        assert_eq!(
            st.rows_read,
            st.rows_loaded + st.rows_excluded(),
            "{}: {name}: rows_read != rows_loaded + rows_excluded ({st:?})",
            meta.id
        );
    }
}

/// Rows in all batches written to `table`.
pub fn table_rows(l: &Loaded, table: &str) -> u64 {
    l.tables
        .iter()
        .filter(|t| t.table == table)
        .map(|t| t.batch.num_rows() as u64)
        .sum()
}

/// Rows loaded, summed over every input's stats.
pub fn rows_loaded(l: &Loaded) -> u64 {
    l.stats.iter().map(|(_, s)| s.rows_loaded).sum()
}

/// The common case: `table` holds exactly one row per row loaded (times `per_row`).
pub fn assert_table_matches_stats(l: &Loaded, table: &str, per_row: u64) {
    assert_eq!(
        table_rows(l, table),
        rows_loaded(l) * per_row,
        "table {table}: row count != {per_row} x sum of rows_loaded ({:?})",
        l.stats
    );
}

/// Nulls in `column` of every batch written to `table` (a table without the column counts as
/// a broken invariant: the adapters always add it).
pub fn column_nulls(l: &Loaded, table: &str, column: &str) -> u64 {
    l.tables
        .iter()
        .filter(|t| t.table == table)
        .map(|t| {
            let c = t
                .batch
                .column_by_name(column)
                .unwrap_or_else(|| panic!("table {table} has no column {column:?}"));
            c.null_count() as u64
        })
        .sum()
}

//! What the adapter tests on the mirror's real files share: reading a mirror file, loading
//! files through a source of the registry, and reading cells of the tables it builds.

#![allow(dead_code)]

use arrow::array::{Array, Float64Array, Int64Array, StringArray};
use arrow::record_batch::RecordBatch;
use attache_sources::{Input, Loaded, registry};

/// A file of the data mirror.
pub fn raw(file: &str) -> Vec<u8> {
    std::fs::read(attache_testdata::mirror().join(file)).unwrap()
}

/// `files` (name, bytes) through the registry's source `id`.
pub fn load_inputs(id: &str, files: Vec<(String, Vec<u8>)>) -> Result<Loaded, String> {
    let s = registry().iter().find(|s| s.meta().id == id).unwrap();
    let inputs: Vec<Input> = files
        .into_iter()
        .map(|(name, bytes)| Input { name, bytes })
        .collect();
    s.load(&inputs).map_err(|e| e.to_string())
}

/// Mirror files through the registry's source `id`; panics with the error.
pub fn load_mirror(id: &str, files: &[&str]) -> Loaded {
    load_inputs(id, files.iter().map(|f| (f.to_string(), raw(f))).collect())
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The one batch of table `name`.
pub fn table<'a>(l: &'a Loaded, name: &str) -> &'a RecordBatch {
    let mut t = l.tables.iter().filter(|t| t.table == name);
    let b = &t.next().unwrap_or_else(|| panic!("no table {name}")).batch;
    assert!(t.next().is_none(), "{name} in one batch");
    b
}

pub fn text(b: &RecordBatch, col: &str, i: usize) -> Option<String> {
    let a = b.column(b.schema().index_of(col).unwrap());
    let a = a.as_any().downcast_ref::<StringArray>().unwrap();
    (!a.is_null(i)).then(|| a.value(i).to_string())
}

pub fn int(b: &RecordBatch, col: &str, i: usize) -> Option<i64> {
    let a = b.column(b.schema().index_of(col).unwrap());
    let a = a.as_any().downcast_ref::<Int64Array>().unwrap();
    (!a.is_null(i)).then(|| a.value(i))
}

pub fn float(b: &RecordBatch, col: &str, i: usize) -> Option<f64> {
    let a = b.column(b.schema().index_of(col).unwrap());
    let a = a.as_any().downcast_ref::<Float64Array>().unwrap();
    (!a.is_null(i)).then(|| a.value(i))
}

/// The table's column names in order.
pub fn names(b: &RecordBatch) -> Vec<String> {
    b.schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect()
}

/// The file's header and records as the csv crate reads them (a byte-order mark removed).
pub fn csv_rows(file: &str) -> (Vec<String>, Vec<csv::StringRecord>) {
    let bytes = raw(file);
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut r = csv::Reader::from_reader(body);
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r.records().map(|r| r.unwrap()).collect();
    (header, rows)
}

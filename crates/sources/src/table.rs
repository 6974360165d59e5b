//! Typed, row-at-a-time building of Arrow record batches, with cell parsing that names the file,
//! line, column and value of anything that does not parse.

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow::array::{ArrayRef, Float64Builder, Int64Builder, StringBuilder};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;

use crate::error::{Result, SourceError};

/// The type of a column in a normalised table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    Int,
    Float,
    Text,
}

impl ColType {
    fn data_type(self) -> DataType {
        match self {
            ColType::Int => DataType::Int64,
            ColType::Float => DataType::Float64,
            ColType::Text => DataType::Utf8,
        }
    }
}

/// One cell of a row being built.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
}

impl Value {
    pub fn text(s: impl Into<String>) -> Value {
        Value::Text(s.into())
    }
    pub fn opt_text(s: Option<impl Into<String>>) -> Value {
        s.map_or(Value::Null, |s| Value::Text(s.into()))
    }
}

/// Where a cell came from, for error messages.
#[derive(Debug, Clone, Copy)]
pub struct CellAt<'a> {
    pub file: &'a str,
    pub line: u64,
    pub column: &'a str,
}

impl CellAt<'_> {
    pub fn bad(&self, value: &str, expected: &'static str) -> SourceError {
        SourceError::BadValue {
            file: self.file.to_string(),
            line: self.line,
            column: self.column.to_string(),
            value: value.to_string(),
            expected,
        }
    }
}

/// Tokens that mean "no value" in the published files (besides the empty string).
pub const DEFAULT_NULLS: &[&str] = &["", "NA", "N/A", "NaN", "nan", "NULL", "null", ".."];

/// Parses one published cell into `ty`, or explains which cell is wrong.
pub fn parse_cell(raw: &str, ty: ColType, nulls: &[&str], at: CellAt<'_>) -> Result<Value> {
    let s = raw.trim();
    if s.is_empty() || nulls.contains(&s) {
        return Ok(Value::Null);
    }
    match ty {
        ColType::Text => Ok(Value::Text(raw.to_string())),
        ColType::Int => {
            if let Ok(v) = s.parse::<i64>() {
                return Ok(Value::Int(v));
            }
            // Some publishers write integers as floats ("12.0"); accept only exact ones.
            match s.parse::<f64>() {
                Ok(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(Value::Int(f as i64)),
                _ => Err(at.bad(raw, "an integer")),
            }
        }
        ColType::Float => match s.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Value::Float(f)),
            _ => Err(at.bad(raw, "a number")),
        },
    }
}

enum ColData {
    Int(Int64Builder),
    Float(Float64Builder),
    Text(StringBuilder),
}

/// Builds one table; rows are pushed as `Value`s in schema order.
pub struct TableBuilder {
    table: String,
    schema: SchemaRef,
    cols: Vec<ColData>,
    rows: usize,
}

impl TableBuilder {
    pub fn new(table: &str, columns: &[(String, ColType)]) -> TableBuilder {
        TableBuilder::with_capacity(table, columns, 0)
    }

    /// A builder with room for `rows` rows (text columns: 8 bytes a value), for a source that
    /// knows its row count: the column buffers are allocated once, not grown by doubling,
    /// which for a million rows halves the peak memory of the build.
    pub fn with_capacity(table: &str, columns: &[(String, ColType)], rows: usize) -> TableBuilder {
        let fields: Vec<Field> = columns
            .iter()
            .map(|(n, t)| Field::new(n, t.data_type(), true))
            .collect();
        let cols = columns
            .iter()
            .map(|(_, t)| match t {
                ColType::Int => ColData::Int(Int64Builder::with_capacity(rows)),
                ColType::Float => ColData::Float(Float64Builder::with_capacity(rows)),
                ColType::Text => ColData::Text(StringBuilder::with_capacity(rows, rows * 8)),
            })
            .collect();
        TableBuilder {
            table: table.to_string(),
            schema: Arc::new(Schema::new(fields)),
            cols,
            rows: 0,
        }
    }

    pub fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Appends a row. A value of the wrong type for its column is a bug in the adapter.
    pub fn push(&mut self, row: Vec<Value>) -> Result<()> {
        if row.len() != self.cols.len() {
            return Err(self.internal(format!(
                "row of {} values for {} columns",
                row.len(),
                self.cols.len()
            )));
        }
        for (i, (col, v)) in self.cols.iter_mut().zip(row).enumerate() {
            match (col, v) {
                (ColData::Int(b), Value::Int(x)) => b.append_value(x),
                (ColData::Int(b), Value::Null) => b.append_null(),
                (ColData::Float(b), Value::Float(x)) => b.append_value(x),
                (ColData::Float(b), Value::Int(x)) => b.append_value(x as f64),
                (ColData::Float(b), Value::Null) => b.append_null(),
                (ColData::Text(b), Value::Text(x)) => b.append_value(x),
                (ColData::Text(b), Value::Null) => b.append_null(),
                (_, v) => {
                    let name = self.schema.field(i).name().clone();
                    return Err(SourceError::Internal {
                        table: self.table.clone(),
                        message: format!("column {name}: value {v:?} of the wrong type"),
                    });
                }
            }
        }
        self.rows += 1;
        Ok(())
    }

    fn internal(&self, message: String) -> SourceError {
        SourceError::Internal {
            table: self.table.clone(),
            message,
        }
    }

    pub fn finish(mut self) -> Result<RecordBatch> {
        let arrays: Vec<ArrayRef> = self
            .cols
            .iter_mut()
            .map(|c| -> ArrayRef {
                match c {
                    ColData::Int(b) => Arc::new(b.finish()),
                    ColData::Float(b) => Arc::new(b.finish()),
                    ColData::Text(b) => Arc::new(b.finish()),
                }
            })
            .collect();
        RecordBatch::try_new(self.schema.clone(), arrays).map_err(|e| self.internal(e.to_string()))
    }
}

/// Row accounting for one input file: nothing is dropped without a count and a reason.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileStats {
    pub rows_read: u64,
    pub rows_loaded: u64,
    /// Reason -> rows excluded for it.
    pub excluded: BTreeMap<String, u64>,
    /// Notes on values changed on load (reason -> count), e.g. snapped float noise.
    pub adjusted: BTreeMap<String, u64>,
}

impl FileStats {
    pub fn exclude(&mut self, reason: impl Into<String>) {
        *self.excluded.entry(reason.into()).or_default() += 1;
    }
    pub fn adjust(&mut self, reason: impl Into<String>) {
        *self.adjusted.entry(reason.into()).or_default() += 1;
    }
    pub fn rows_excluded(&self) -> u64 {
        self.excluded.values().sum()
    }
}

/// Publisher column name to the store's snake_case ("Country Code" -> "country_code",
/// "Bunker fuels (Not in Total)" -> "bunker_fuels_not_in_total", "gwno_a_2nd" unchanged).
pub fn snake_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_lower = false;
    for c in s.trim().trim_start_matches('\u{feff}').chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev_lower && !out.ends_with('_') {
                out.push('_');
            }
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            out.push(c.to_ascii_lowercase());
        } else {
            prev_lower = false;
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'c');
        if out.len() > 1 {
            out.insert(1, '_');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(input: &str, expect: &str) {
        assert_eq!(snake_case(input), expect, "{input}");
    }

    #[test]
    fn snake_case_of_publisher_headers() {
        check("Country Code", "country_code");
        check("Bunker fuels (Not in Total)", "bunker_fuels_not_in_total");
        check("gwno_a_2nd", "gwno_a_2nd");
        check("ISO3166-1-Alpha-3", "iso3166_1_alpha_3");
        check("GlobalEventID", "global_event_id");
        check("Actor1Code", "actor1_code");
        check("\u{feff}p5", "p5");
        check("", "c");
    }

    fn at() -> CellAt<'static> {
        CellAt {
            file: "f.csv",
            line: 7,
            column: "bd_best",
        }
    }

    #[test]
    fn cells_parse_or_name_the_value() {
        assert_eq!(
            parse_cell("12", ColType::Int, DEFAULT_NULLS, at()).unwrap(),
            Value::Int(12)
        );
        assert_eq!(
            parse_cell("12.0", ColType::Int, DEFAULT_NULLS, at()).unwrap(),
            Value::Int(12)
        );
        assert_eq!(
            parse_cell("", ColType::Int, DEFAULT_NULLS, at()).unwrap(),
            Value::Null
        );
        let e = parse_cell("12x", ColType::Int, DEFAULT_NULLS, at())
            .unwrap_err()
            .to_string();
        assert_eq!(e, "f.csv:7: column \"bd_best\": \"12x\" is not an integer");
        let e = parse_cell("inf", ColType::Float, DEFAULT_NULLS, at())
            .unwrap_err()
            .to_string();
        assert!(e.contains("\"inf\" is not a number"), "{e}");
    }

    proptest! {
        #[test]
        fn ints_round_trip(v in any::<i64>()) {
            prop_assert_eq!(parse_cell(&v.to_string(), ColType::Int, DEFAULT_NULLS, at()).unwrap(), Value::Int(v));
        }

        #[test]
        fn floats_round_trip(v in -1e300f64..1e300) {
            prop_assert_eq!(parse_cell(&v.to_string(), ColType::Float, DEFAULT_NULLS, at()).unwrap(), Value::Float(v));
        }

        #[test]
        fn any_cell_parses_or_errs(s in ".{0,20}") {
            for t in [ColType::Int, ColType::Float, ColType::Text] {
                let _ = parse_cell(&s, t, DEFAULT_NULLS, at());
            }
        }

        #[test]
        fn snake_case_is_identifier(s in ".{0,30}") {
            let o = snake_case(&s);
            prop_assert!(!o.is_empty());
            prop_assert!(o.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'));
        }
    }
}

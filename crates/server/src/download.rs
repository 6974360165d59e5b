//! Downloads of exactly what a view shows: every view builds one [`Table`] (named, typed
//! columns) that its HTML renders, and the same table is served as CSV, JSON or Parquet.

use std::sync::Arc;

use arrow::array::{ArrayRef, Float64Array, Int64Array, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::error::AppError;
use crate::params::Format;

/// One column of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    Text(Vec<Option<String>>),
    Int(Vec<Option<i64>>),
    Float(Vec<Option<f64>>),
}

impl Column {
    fn len(&self) -> usize {
        match self {
            Column::Text(v) => v.len(),
            Column::Int(v) => v.len(),
            Column::Float(v) => v.len(),
        }
    }

    fn json(&self, i: usize) -> Value {
        match self {
            Column::Text(v) => v[i]
                .as_ref()
                .map_or(Value::Null, |s| Value::String(s.clone())),
            Column::Int(v) => v[i].map_or(Value::Null, |x| json!(x)),
            Column::Float(v) => v[i]
                .filter(|x| x.is_finite())
                .map_or(Value::Null, |x| json!(x)),
        }
    }

    fn csv(&self, i: usize) -> String {
        match self {
            Column::Text(v) => v[i].as_deref().map(csv_field).unwrap_or_default(),
            Column::Int(v) => v[i].map(|x| x.to_string()).unwrap_or_default(),
            Column::Float(v) => v[i]
                .filter(|x| x.is_finite())
                .map(csv_number)
                .unwrap_or_default(),
        }
    }
}

/// `s` as a header value: printable ASCII only (other characters are left out).
pub(crate) fn header_text(s: &str) -> Option<HeaderValue> {
    let v: String = s
        .chars()
        .filter(|c| c.is_ascii() && !c.is_ascii_control())
        .collect();
    HeaderValue::from_str(&v).ok()
}

/// A float as CSV text without binary noise: at most 12 significant digits (`44.05`, not
/// `44.049999999999955`), which no view shows more of.
fn csv_number(x: f64) -> String {
    let s = x.to_string();
    if s.len() <= 14 {
        return s;
    }
    format!("{x:.11e}")
        .parse::<f64>()
        .map_or(s, |r| r.to_string())
}

/// Defuses spreadsheet formulas (a leading `=`, `+`, `-`, `@`) in text cells (OWASP CSV
/// injection); quoting is the CSV writer's.
fn csv_field(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// A view's data.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// File name stem of downloads.
    pub name: String,
    pub columns: Vec<(String, Column)>,
    /// Provenance carried into the JSON form (`meta`) and an HTTP header.
    pub meta: Value,
}

impl Table {
    pub fn new(name: impl Into<String>, meta: Value) -> Table {
        Table {
            name: name.into(),
            columns: Vec::new(),
            meta,
        }
    }

    pub fn with(mut self, name: &str, c: Column) -> Table {
        self.columns.push((name.to_string(), c));
        self
    }

    /// One page of the rows, with the same columns and meta.
    pub fn page(&self, page: crate::params::Page) -> Table {
        let columns = self
            .columns
            .iter()
            .map(|(n, c)| {
                let c = match c {
                    Column::Text(v) => Column::Text(page.slice(v).to_vec()),
                    Column::Int(v) => Column::Int(page.slice(v).to_vec()),
                    Column::Float(v) => Column::Float(page.slice(v).to_vec()),
                };
                (n.clone(), c)
            })
            .collect();
        Table {
            name: self.name.clone(),
            columns,
            meta: self.meta.clone(),
        }
    }

    /// The JSON schema of one row of the JSON form: each column's name and type (every value
    /// may be null). The OpenAPI document takes row schemas from here, so they are the
    /// answer's own columns.
    pub fn row_schema(&self) -> Value {
        let properties: Map<String, Value> = self
            .columns
            .iter()
            .map(|(n, c)| {
                let t = match c {
                    Column::Text(_) => "string",
                    Column::Int(_) => "integer",
                    Column::Float(_) => "number",
                };
                (n.clone(), json!({"type": [t, "null"]}))
            })
            .collect();
        json!({"type": "object", "properties": properties})
    }

    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |(_, c)| c.len())
    }

    /// The table as CSV, written by the `csv` crate (RFC 4180 quoting), as the CLI writes
    /// query results with Arrow's CSV writer; text cells are defused against formulas.
    pub fn to_csv(&self) -> String {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        let header: Vec<&str> = self.columns.iter().map(|(n, _)| n.as_str()).collect();
        // Writing into a Vec cannot fail.
        w.write_record(&header).expect("CSV into memory");
        for i in 0..self.rows() {
            w.write_record(self.columns.iter().map(|(_, c)| c.csv(i)))
                .expect("CSV into memory");
        }
        String::from_utf8(w.into_inner().expect("CSV into memory")).expect("CSV of UTF-8 cells")
    }

    pub fn to_json(&self) -> Value {
        let data: Vec<Value> = (0..self.rows())
            .map(|i| {
                Value::Object(
                    self.columns
                        .iter()
                        .map(|(n, c)| (n.clone(), c.json(i)))
                        .collect::<Map<_, _>>(),
                )
            })
            .collect();
        json!({"meta": self.meta, "data": data})
    }

    pub fn to_parquet(&self) -> Result<Vec<u8>, AppError> {
        let fields: Vec<Field> = self
            .columns
            .iter()
            .map(|(n, c)| {
                let t = match c {
                    Column::Text(_) => DataType::Utf8,
                    Column::Int(_) => DataType::Int64,
                    Column::Float(_) => DataType::Float64,
                };
                Field::new(n, t, true)
            })
            .collect();
        let arrays: Vec<ArrayRef> = self
            .columns
            .iter()
            .map(|(_, c)| match c {
                Column::Text(v) => Arc::new(StringArray::from(v.clone())) as ArrayRef,
                Column::Int(v) => Arc::new(Int64Array::from(v.clone())) as ArrayRef,
                Column::Float(v) => Arc::new(Float64Array::from(v.clone())) as ArrayRef,
            })
            .collect();
        let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
            .map_err(AppError::internal)?;
        let mut buf = Vec::new();
        // The provenance travels inside the file: key `attache.meta` holds the JSON `meta`.
        let props = parquet::file::properties::WriterProperties::builder()
            .set_key_value_metadata(Some(vec![parquet::file::metadata::KeyValue::new(
                "attache.meta".to_string(),
                self.meta.to_string(),
            )]))
            .build();
        let mut w = parquet::arrow::ArrowWriter::try_new(&mut buf, batch.schema(), Some(props))
            .map_err(AppError::internal)?;
        w.write(&batch).map_err(AppError::internal)?;
        w.close().map_err(AppError::internal)?;
        Ok(buf)
    }

    /// The table as a download response in `format` (not `Html`).
    pub fn respond(&self, format: Format) -> Result<Response, AppError> {
        let (ctype, ext, body): (&str, &str, Vec<u8>) = match format {
            Format::Csv => ("text/csv; charset=utf-8", "csv", self.to_csv().into_bytes()),
            Format::Json => (
                "application/json",
                "json",
                serde_json::to_vec_pretty(&self.to_json()).map_err(AppError::internal)?,
            ),
            Format::Parquet => (
                "application/vnd.apache.parquet",
                "parquet",
                self.to_parquet()?,
            ),
            Format::Html => return Err(AppError::internal("Table::respond called for HTML")),
        };
        let mut r = body.into_response();
        let h = r.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
        let fname: String = self
            .name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{fname}.{ext}\"")) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
        // Provenance of every download as headers too (CSV has no place for it in the file).
        for key in ["vintage", "as_of", "model", "licence", "label"] {
            let v = match &self.meta[key] {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => continue,
            };
            if let Some(v) = header_text(&v) {
                h.insert(
                    header::HeaderName::from_bytes(
                        format!("x-attache-{}", key.replace('_', "-")).as_bytes(),
                    )
                    .expect("a valid header name"),
                    v,
                );
            }
        }
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        Table::new("t", json!({"as_of": "2024-10"}))
            .with(
                "iso3",
                Column::Text(vec![
                    Some("SDN".into()),
                    Some("=HYPERLINK(\"x\")".into()),
                    None,
                ]),
            )
            .with("n", Column::Int(vec![Some(1), None, Some(3)]))
            .with("p", Column::Float(vec![Some(0.5), Some(f64::NAN), None]))
    }

    #[test]
    fn csv_quotes_and_defuses() {
        assert_eq!(
            sample().to_csv(),
            "iso3,n,p\nSDN,1,0.5\n\"'=HYPERLINK(\"\"x\"\")\",,\n,3,\n"
        );
    }

    /// What a CSV reader reads back is each cell as written (defused text, empty for missing).
    #[test]
    fn csv_reads_back() {
        let cells = [
            "a,b",
            "say \"hi\"",
            "two\nlines",
            "cr\rhere",
            "",
            "-1",
            "plain",
        ];
        let t = Table::new("t", json!({})).with(
            "x",
            Column::Text(cells.iter().map(|c| Some(c.to_string())).collect()),
        );
        let text = t.to_csv();
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let got: Vec<String> = r.records().map(|rec| rec.unwrap()[0].to_string()).collect();
        let want: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn csv_numbers_have_no_binary_noise() {
        for (x, want) in [
            (44.049999999999955, "44.05"),
            (0.1 + 0.2, "0.3"),
            (1.0, "1"),
            (-2.5, "-2.5"),
            (123456.789, "123456.789"),
            (1e-7, "0.0000001"),
            (0.001234567890123456, "0.00123456789012"),
        ] {
            assert_eq!(csv_number(x), want, "{x}");
        }
    }

    #[test]
    fn json_has_meta_and_nulls() {
        let j = sample().to_json();
        assert_eq!(j["meta"]["as_of"], "2024-10");
        assert_eq!(j["data"][0], json!({"iso3": "SDN", "n": 1, "p": 0.5}));
        assert_eq!(j["data"][1]["p"], Value::Null);
    }

    #[test]
    fn pages_keep_columns_and_meta() {
        let p = sample().page(crate::params::Page {
            page: 2,
            per_page: 2,
        });
        assert_eq!(p.rows(), 1);
        assert_eq!(p.to_csv(), "iso3,n,p\n,3,\n");
        assert_eq!(p.meta, sample().meta);
    }

    #[test]
    fn parquet_round_trip() {
        let bytes = sample().to_parquet().unwrap();
        let r = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
            bytes::Bytes::from(bytes),
        )
        .unwrap();
        let kv = r
            .metadata()
            .file_metadata()
            .key_value_metadata()
            .unwrap()
            .clone();
        let rows: usize = r.build().unwrap().map(|b| b.unwrap().num_rows()).sum();
        assert_eq!(rows, 3);
        let meta = kv.iter().find(|k| k.key == "attache.meta").unwrap();
        assert_eq!(meta.value.as_deref(), Some(r#"{"as_of":"2024-10"}"#));
    }
}

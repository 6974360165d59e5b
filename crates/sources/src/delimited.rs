//! Strict reading of delimited text (CSV, TSV): a row with the wrong number of fields, an
//! unbalanced quote or invalid UTF-8 is an error naming the file and line, never a silent skip.

use crate::error::{Result, SourceError};
use crate::table::{CellAt, ColType, FileStats, TableBuilder, Value, parse_cell, snake_case};

/// How a file is laid out.
#[derive(Debug, Clone)]
pub struct Layout {
    pub delimiter: u8,
    /// `None`: the first line is the header. `Some(names)`: no header line; these are the columns.
    pub columns: Option<Vec<String>>,
    /// Whether quotes are field delimiters (`false` for GDELT, whose text fields contain bare quotes).
    pub quoting: bool,
    /// Allow rows with fewer fields than the header; missing ones are null (GDELT 1.0 backfiles).
    pub allow_short_rows: bool,
    /// Columns the publisher always fills. A row cut at a field boundary keeps the right number
    /// of fields but ends in empty ones: an empty required cell is an error on that row's line.
    pub required: Vec<String>,
}

impl Layout {
    pub fn csv() -> Layout {
        Layout {
            delimiter: b',',
            columns: None,
            quoting: true,
            allow_short_rows: false,
            required: vec![],
        }
    }
    pub fn tsv() -> Layout {
        Layout {
            delimiter: b'\t',
            columns: None,
            quoting: true,
            allow_short_rows: false,
            required: vec![],
        }
    }
}

/// Longest field any publisher's table has a use for; a longer one is a corrupt file.
pub const MAX_FIELD_BYTES: usize = 1 << 20;

/// One parsed record and the line it starts on (1-based).
pub struct Record {
    pub line: u64,
    pub fields: csv::StringRecord,
}

/// A whole delimited file: its (raw) header and records.
pub struct Delimited {
    pub file: String,
    pub header: Vec<String>,
    pub records: Vec<Record>,
}

impl Delimited {
    pub fn parse(file: &str, bytes: &[u8], layout: &Layout) -> Result<Delimited> {
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        if layout.quoting {
            check_quotes_balanced(file, bytes)?;
        }
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(layout.delimiter)
            .has_headers(layout.columns.is_none())
            .quoting(layout.quoting)
            .flexible(true)
            .from_reader(bytes);
        let header: Vec<String> = match &layout.columns {
            Some(c) => c.clone(),
            None => rdr
                .headers()
                .map_err(|e| csv_error(file, e, &mut Lines::new(bytes)))?
                .iter()
                .map(str::to_string)
                .collect(),
        };
        if header.is_empty() || (header.len() == 1 && header[0].trim().is_empty()) {
            return Err(SourceError::Format {
                file: file.to_string(),
                message: "no header line (empty file?)".into(),
            });
        }
        let width = header.len();
        let required: Vec<(usize, &str)> = layout
            .required
            .iter()
            .map(|r| {
                header
                    .iter()
                    .position(|h| h.trim() == r)
                    .map(|i| (i, r.as_str()))
                    .ok_or_else(|| SourceError::MissingColumn {
                        file: file.to_string(),
                        column: r.clone(),
                        header: header.join(","),
                    })
            })
            .collect::<Result<_>>()?;
        let mut records = Vec::new();
        let mut lines = Lines::new(bytes);
        for rec in rdr.into_records() {
            let rec = rec.map_err(|e| csv_error(file, e, &mut lines))?;
            let line = rec.position().map_or(0, |p| lines.at(p.byte()));
            let n = rec.len();
            let blank = n == 1 && rec.get(0).is_some_and(|s| s.trim().is_empty());
            if blank {
                return Err(SourceError::Malformed {
                    file: file.to_string(),
                    line,
                    message: "blank line".into(),
                });
            }
            if let Some((i, v)) = rec
                .iter()
                .enumerate()
                .find(|(_, v)| v.len() > MAX_FIELD_BYTES)
            {
                return Err(SourceError::BadValue {
                    file: file.to_string(),
                    line,
                    column: header
                        .get(i)
                        .cloned()
                        .unwrap_or_else(|| format!("field {}", i + 1)),
                    value: v.to_string(),
                    expected: "a field of at most 1 MiB (a corrupt or concatenated file?)",
                });
            }
            if n != width && !(layout.allow_short_rows && n < width) {
                return Err(SourceError::FieldCount {
                    file: file.to_string(),
                    line,
                    expected: width,
                    found: n,
                });
            }
            for (i, name) in &required {
                if rec.get(*i).is_none_or(|v| v.trim().is_empty()) {
                    return Err(SourceError::BadValue {
                        file: file.to_string(),
                        line,
                        column: name.to_string(),
                        value: String::new(),
                        expected: "a value (this column is always filled: truncated row?)",
                    });
                }
            }
            records.push(Record { line, fields: rec });
        }
        Ok(Delimited {
            file: file.to_string(),
            header,
            records,
        })
    }

    pub fn column(&self, name: &str) -> Result<usize> {
        self.header
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| SourceError::MissingColumn {
                file: self.file.clone(),
                column: name.to_string(),
                header: self.header.join(","),
            })
    }
}

/// Line numbers from byte offsets, counting `\n` only, as an editor does. The csv crate ends a
/// record at the `\r` of a `\r\n` and starts the next one at its `\n`, so its own line count
/// runs one low in CRLF files; a record that starts at a `\n` here starts after it. Offsets only
/// grow while a file is read, so each byte is counted once.
struct Lines<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> Lines<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Lines {
            bytes,
            offset: 0,
            line: 1,
        }
    }

    /// The 1-based line of byte `offset`.
    fn at(&mut self, offset: u64) -> u64 {
        let mut offset = (offset as usize).min(self.bytes.len());
        if self.bytes.get(offset) == Some(&b'\n') {
            offset += 1;
        }
        if offset < self.offset {
            *self = Lines::new(self.bytes);
        }
        self.line += self.bytes[self.offset..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.offset = offset;
        self.line
    }
}

fn csv_error(file: &str, e: csv::Error, lines: &mut Lines<'_>) -> SourceError {
    let line = e.position().map_or(0, |p| lines.at(p.byte()));
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => SourceError::FieldCount {
            file: file.to_string(),
            line,
            expected: *expected_len as usize,
            found: *len as usize,
        },
        csv::ErrorKind::Utf8 { err, .. } => SourceError::Malformed {
            file: file.to_string(),
            line,
            message: format!("invalid UTF-8 in field {}", err.field() + 1),
        },
        _ => SourceError::Malformed {
            file: file.to_string(),
            line,
            message: e.to_string(),
        },
    }
}

/// A quoted field left open runs to the end of the file and would swallow every row after it:
/// find the line where the unterminated quote opens.
fn check_quotes_balanced(file: &str, bytes: &[u8]) -> Result<()> {
    let mut in_quotes = false;
    let mut line = 1u64;
    let mut open_line = 0u64;
    let mut at_field_start = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_quotes {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quotes = false;
                }
            } else if b == b'\n' {
                line += 1;
            }
        } else {
            match b {
                b'"' if at_field_start => {
                    in_quotes = true;
                    open_line = line;
                }
                b'\n' => {
                    line += 1;
                    at_field_start = true;
                    i += 1;
                    continue;
                }
                b',' | b'\t' | b';' => {
                    at_field_start = true;
                    i += 1;
                    continue;
                }
                b'\r' => {
                    i += 1;
                    continue;
                }
                _ => {}
            }
            at_field_start = false;
        }
        i += 1;
    }
    if in_quotes {
        return Err(SourceError::Malformed {
            file: file.to_string(),
            line: open_line,
            message: "quoted field is never closed (file truncated?)".into(),
        });
    }
    Ok(())
}

/// What to do with one row, decided by an adapter.
pub enum RowOutcome {
    /// Keep it, with these values for the adapter's extra columns.
    Keep(Vec<Value>),
    /// Leave it out of the table, counted under this reason.
    Exclude(String),
}

/// Converts a delimited file into one table: every publisher column, snake_cased, typed as
/// `types` says (others are text), plus the adapter's extra columns (`extra_cols`), computed per
/// row by `extra` (which may also exclude the row, with a reason).
pub fn to_table<F>(
    table: &str,
    d: &Delimited,
    types: &[(&str, ColType)],
    extra_cols: &[(&str, ColType)],
    nulls: &[&str],
    stats: &mut FileStats,
    mut extra: F,
) -> Result<TableBuilder>
where
    F: FnMut(&Row<'_>) -> Result<RowOutcome>,
{
    let mut seen = std::collections::HashSet::new();
    let mut cols: Vec<(String, ColType)> = Vec::new();
    let mut col_types = Vec::new();
    for h in &d.header {
        let ty = types
            .iter()
            .find(|(n, _)| *n == h.trim())
            .map_or(ColType::Text, |(_, t)| *t);
        let mut name = snake_case(h);
        while !seen.insert(name.clone()) {
            name.push('_');
        }
        cols.push((name, ty));
        col_types.push(ty);
    }
    for (n, _) in types {
        d.column(n)?;
    }
    for (n, t) in extra_cols {
        cols.push((n.to_string(), *t));
    }
    let mut tb = TableBuilder::new(table, &cols);
    for rec in &d.records {
        stats.rows_read += 1;
        let row = Row { d, rec };
        match extra(&row)? {
            RowOutcome::Exclude(reason) => stats.exclude(reason),
            RowOutcome::Keep(extra_vals) => {
                let mut vals = Vec::with_capacity(cols.len());
                for (i, ty) in col_types.iter().enumerate() {
                    let raw = rec.fields.get(i).unwrap_or("");
                    let at = CellAt {
                        file: &d.file,
                        line: rec.line,
                        column: &d.header[i],
                    };
                    vals.push(parse_cell(raw, *ty, nulls, at)?);
                }
                vals.extend(extra_vals);
                tb.push(vals)?;
                stats.rows_loaded += 1;
            }
        }
    }
    Ok(tb)
}

/// A row under conversion, with access by publisher column name.
pub struct Row<'a> {
    pub d: &'a Delimited,
    pub rec: &'a Record,
}

impl Row<'_> {
    pub fn line(&self) -> u64 {
        self.rec.line
    }
    /// The raw field under publisher column `name` ("" when the row is short).
    pub fn get(&self, name: &str) -> Result<&str> {
        let i = self.d.column(name)?;
        Ok(self.rec.fields.get(i).unwrap_or(""))
    }
    pub fn at<'b>(&'b self, column: &'b str) -> CellAt<'b> {
        CellAt {
            file: &self.d.file,
            line: self.rec.line,
            column,
        }
    }
    /// The field parsed as an integer (`None` when empty).
    pub fn int(&self, name: &str) -> Result<Option<i64>> {
        match parse_cell(
            self.get(name)?,
            ColType::Int,
            crate::table::DEFAULT_NULLS,
            self.at(name),
        )? {
            Value::Int(v) => Ok(Some(v)),
            _ => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: &str) {
        let got = match Delimited::parse("t.csv", input.as_bytes(), &Layout::csv()) {
            Ok(d) => format!("ok {} rows", d.records.len()),
            Err(e) => e.to_string(),
        };
        assert_eq!(got, expect, "{input:?}");
    }

    #[test]
    fn strict_rows() {
        check("a,b\n1,2\n3,4\n", "ok 2 rows");
        check("a,b\n1,2\n3,4", "ok 2 rows");
        check("a,b\r\n1,2\r\n", "ok 1 rows");
        check("a,b\n\"x\ny\",2\n", "ok 1 rows");
        check(
            "a,b\n1,2\n3\n",
            "t.csv:3: expected 2 fields, found 1 (truncated or unbalanced row?)",
        );
        check(
            "a,b\n1,2,3\n",
            "t.csv:2: expected 2 fields, found 3 (truncated or unbalanced row?)",
        );
        check(
            "a,b\n\"1\",\"2\n\"3\",\"4\"\n",
            "t.csv:2: expected 2 fields, found 3 (truncated or unbalanced row?)",
        );
        check(
            "a,b\n1,\"2\n3,4\n",
            "t.csv:2: malformed row: quoted field is never closed (file truncated?)",
        );
        check("a,b\n1,2\n\n3,4\n", "ok 2 rows");
        check("", "t.csv: no header line (empty file?)");
        let huge = format!("a,b\n1,{}\n", "x".repeat(MAX_FIELD_BYTES + 1));
        let e = Delimited::parse("t.csv", huge.as_bytes(), &Layout::csv())
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.starts_with("t.csv:2: column \"b\": \"xxx")
                && e.ends_with("is not a field of at most 1 MiB (a corrupt or concatenated file?)")
                && e.len() < 400,
            "{e}"
        );
    }

    /// Windows line ends give the same line numbers as Unix ones (an editor's count).
    #[test]
    fn crlf_line_numbers() {
        check(
            "a,b\r\n1,2\r\n3,4\r\n5\r\n",
            "t.csv:4: expected 2 fields, found 1 (truncated or unbalanced row?)",
        );
        check(
            "a,b\r\n1,2\r\n\"x\r\ny\",2\r\n5\r\n",
            "t.csv:5: expected 2 fields, found 1 (truncated or unbalanced row?)",
        );
        check(
            "a,b\r\n1,2\r\n3,\"4\r\n",
            "t.csv:3: malformed row: quoted field is never closed (file truncated?)",
        );
        check(
            "a,b\r\n1,,\r\n",
            "t.csv:2: expected 2 fields, found 3 (truncated or unbalanced row?)",
        );
    }

    proptest::proptest! {
        #[test]
        fn parser_never_panics(s in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200)) {
            let _ = Delimited::parse("p.csv", &s, &Layout::csv());
            let _ = Delimited::parse("p.tsv", &s, &Layout { quoting: false, ..Layout::tsv() });
        }
    }
}

//! Strict reading of one sheet of an Office Open XML workbook (`.xlsx`) into the same
//! [`Delimited`] shape the CSV reader gives, so adapters read workbook cells with the same typed,
//! located parsing (`Row::get`, `parse_cell`): an error names the file, the sheet, the row as
//! Excel numbers it, the column's header and the value.
//!
//! What is read: `xl/workbook.xml` (sheet names to relationship ids), its relationships
//! (`xl/_rels/workbook.xml.rels`, ids to sheet parts), the shared strings (`xl/sharedStrings.xml`,
//! rich-text runs joined, phonetic runs left out) and the sheet's `sheetData`. A cell's value is
//! the text of its `<v>` (numbers as written: Excel stores the shortest round-tripping digits,
//! so `3.1542980101023002` parses to the double the workbook holds), a shared string, an inline
//! string, or a formula's cached result; `TRUE`/`FALSE` for booleans. Formatting, styles and
//! formulas themselves are ignored (a formula's cached value is what the publisher saw).
//!
//! The first row that holds a value is the header; every later row that holds a value is a
//! record (a row Excel stores only for its formatting, with no value, is no row). Strictness:
//! a cell holding an Excel error (`#N/A`, `#DIV/0!`), a shared-string index out of range, a
//! value in a column right of the header's last one, a cell reference that is not `A1` style,
//! a row out of order, a part over [`MAX_PART_BYTES`] unpacked, or XML that does not parse fail
//! with an error naming the part or the cell.

use std::collections::HashMap;
use std::io::Read;

use crate::delimited::{Delimited, Record};
use crate::error::{Result, SourceError};

/// Largest part (sheet, shared strings) unpacked: the biggest sheet the adapters read is about
/// 3 MB; a part beyond this is a corrupt file or a zip bomb.
pub const MAX_PART_BYTES: u64 = 64 << 20;

/// The name errors and row accounting give a sheet of a workbook: `file [sheet NAME]`.
pub fn sheet_file(file: &str, sheet: &str) -> String {
    format!("{file} [sheet {sheet}]")
}

fn format_err(file: &str, message: impl Into<String>) -> SourceError {
    SourceError::Format {
        file: file.to_string(),
        message: message.into(),
    }
}

/// An opened workbook: the archive and its sheet names in workbook order with their parts.
pub struct Workbook<'a> {
    file: String,
    zip: zip::ZipArchive<std::io::Cursor<&'a [u8]>>,
    sheets: Vec<(String, String)>,
    shared: Option<Vec<String>>,
}

impl<'a> Workbook<'a> {
    /// Opens the workbook in `bytes` (named `file` in errors) and lists its sheets.
    pub fn open(file: &str, bytes: &'a [u8]) -> Result<Workbook<'a>> {
        let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .map_err(|e| format_err(file, format!("not an .xlsx workbook (zip): {e}")))?;
        let mut wb = Workbook {
            file: file.to_string(),
            zip,
            sheets: Vec::new(),
            shared: None,
        };
        let rels_xml = wb.part("xl/_rels/workbook.xml.rels")?;
        let rels = parse_xml(file, "xl/_rels/workbook.xml.rels", &rels_xml)?;
        let mut targets = HashMap::new();
        for r in rels
            .descendants()
            .filter(|n| n.has_tag_name_local("Relationship"))
        {
            if let (Some(id), Some(t)) = (r.attribute("Id"), r.attribute("Target")) {
                let part = match t.strip_prefix('/') {
                    Some(abs) => abs.to_string(),
                    None => format!("xl/{t}"),
                };
                targets.insert(id.to_string(), part);
            }
        }
        let wb_xml = wb.part("xl/workbook.xml")?;
        let doc = parse_xml(file, "xl/workbook.xml", &wb_xml)?;
        for s in doc.descendants().filter(|n| n.has_tag_name_local("sheet")) {
            let name = s.attribute("name").unwrap_or_default().to_string();
            let id = s
                .attributes()
                .find(|a| a.name() == "id" && a.namespace().is_some())
                .map(|a| a.value().to_string())
                .unwrap_or_default();
            let part = targets.get(&id).ok_or_else(|| {
                format_err(
                    file,
                    format!(
                        "sheet {name:?}: relationship {id:?} not in xl/_rels/workbook.xml.rels"
                    ),
                )
            })?;
            wb.sheets.push((name, part.clone()));
        }
        Ok(wb)
    }

    /// The sheet names, in workbook order.
    pub fn sheet_names(&self) -> Vec<&str> {
        self.sheets.iter().map(|(n, _)| n.as_str()).collect()
    }

    /// One part of the archive, unpacked (at most [`MAX_PART_BYTES`]).
    fn part(&mut self, name: &str) -> Result<Vec<u8>> {
        let file = self.file.clone();
        let mut f = self
            .zip
            .by_name(name)
            .map_err(|e| format_err(&file, format!("no part {name} in the workbook: {e}")))?;
        let mut out = Vec::new();
        (&mut f)
            .take(MAX_PART_BYTES + 1)
            .read_to_end(&mut out)
            .map_err(|e| format_err(&file, format!("part {name}: {e}")))?;
        if out.len() as u64 > MAX_PART_BYTES {
            return Err(format_err(
                &file,
                format!("part {name} unpacks to more than {MAX_PART_BYTES} bytes"),
            ));
        }
        Ok(out)
    }

    fn shared_strings(&mut self) -> Result<&[String]> {
        if self.shared.is_none() {
            let name = "xl/sharedStrings.xml";
            let list = if self.zip.index_for_name(name).is_some() {
                let xml = self.part(name)?;
                let doc = parse_xml(&self.file, name, &xml)?;
                doc.root_element()
                    .children()
                    .filter(|n| n.has_tag_name_local("si"))
                    .map(|si| text_of(si))
                    .collect()
            } else {
                Vec::new()
            };
            self.shared = Some(list);
        }
        Ok(self.shared.as_deref().unwrap_or_default())
    }

    /// Sheet `sheet` as a header and records (see the module doc); `file` of the result is
    /// [`sheet_file`], `line` of each record the Excel row number.
    pub fn sheet(&mut self, sheet: &str) -> Result<Delimited> {
        let part = self
            .sheets
            .iter()
            .find(|(n, _)| n == sheet)
            .map(|(_, p)| p.clone())
            .ok_or_else(|| {
                format_err(
                    &self.file,
                    format!(
                        "no sheet {sheet:?} (has: {})",
                        self.sheet_names().join(", ")
                    ),
                )
            })?;
        let xml = self.part(&part)?;
        let shared = self.shared_strings()?.to_vec();
        let name = sheet_file(&self.file, sheet);
        let doc = parse_xml(&name, &part, &xml)?;
        let data = doc
            .descendants()
            .find(|n| n.has_tag_name_local("sheetData"))
            .ok_or_else(|| format_err(&name, "no sheetData"))?;
        let mut header: Option<Vec<String>> = None;
        let mut records = Vec::new();
        let mut last_row = 0u64;
        for row in data.children().filter(|n| n.has_tag_name_local("row")) {
            let r = match row.attribute("r") {
                Some(r) => r
                    .parse::<u64>()
                    .ok()
                    .filter(|&r| r > last_row)
                    .ok_or_else(|| {
                        format_err(&name, format!("row number {r:?} after row {last_row}"))
                    })?,
                None => last_row + 1,
            };
            last_row = r;
            let mut cells: Vec<(usize, String)> = Vec::new();
            let mut last_col: Option<usize> = None;
            for c in row.children().filter(|n| n.has_tag_name_local("c")) {
                let col = match c.attribute("r") {
                    Some(at) => column_of(at, r).ok_or_else(|| {
                        format_err(
                            &name,
                            format!("row {r}: cell reference {at:?} is not in row {r}"),
                        )
                    })?,
                    None => last_col.map_or(0, |l| l + 1),
                };
                last_col = Some(col);
                let at = c
                    .attribute("r")
                    .map_or_else(|| format!("{}{r}", letters(col)), str::to_string);
                if let Some(v) = cell_value(&name, &at, c, &shared)? {
                    cells.push((col, v));
                }
            }
            if cells.is_empty() {
                continue;
            }
            match &header {
                None => {
                    let width = cells.iter().map(|(c, _)| c + 1).max().unwrap_or(0);
                    let mut h = vec![String::new(); width];
                    for (c, v) in cells {
                        h[c] = v;
                    }
                    header = Some(h);
                }
                Some(h) => {
                    let mut fields = vec![String::new(); h.len()];
                    for (c, v) in cells {
                        if c >= h.len() {
                            return Err(SourceError::Malformed {
                                file: name.clone(),
                                line: r,
                                message: format!(
                                    "cell {}{r} ({v:?}) is right of the header's last column {}",
                                    letters(c),
                                    letters(h.len() - 1)
                                ),
                            });
                        }
                        fields[c] = v;
                    }
                    records.push(Record {
                        line: r,
                        fields: csv::StringRecord::from(fields),
                    });
                }
            }
        }
        let header = header.ok_or_else(|| format_err(&name, "no header row (empty sheet?)"))?;
        Ok(Delimited {
            file: name,
            header,
            records,
        })
    }
}

trait LocalName {
    fn has_tag_name_local(&self, local: &str) -> bool;
}

impl LocalName for roxmltree::Node<'_, '_> {
    fn has_tag_name_local(&self, local: &str) -> bool {
        self.is_element() && self.tag_name().name() == local
    }
}

fn parse_xml<'x>(file: &str, part: &str, bytes: &'x [u8]) -> Result<roxmltree::Document<'x>> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| format_err(file, format!("part {part}: not UTF-8: {e}")))?;
    roxmltree::Document::parse(text).map_err(|e| format_err(file, format!("part {part}: {e}")))
}

/// The text of a string item (`<si>`, `<is>`): its `<t>` runs joined, phonetic runs left out.
fn text_of(n: roxmltree::Node<'_, '_>) -> String {
    n.descendants()
        .filter(|t| {
            t.has_tag_name_local("t") && !t.ancestors().any(|a| a.has_tag_name_local("rPh"))
        })
        .filter_map(|t| t.text())
        .collect()
}

/// The value of cell `c` at `at`, or `None` when it holds none.
fn cell_value(
    file: &str,
    at: &str,
    c: roxmltree::Node<'_, '_>,
    shared: &[String],
) -> Result<Option<String>> {
    let v = c
        .children()
        .find(|n| n.has_tag_name_local("v"))
        .map(|n| n.text().unwrap_or_default().to_string());
    let bad = |m: String| format_err(file, format!("cell {at}: {m}"));
    Ok(match c.attribute("t").unwrap_or("n") {
        "s" => match v {
            None => None,
            Some(i) => {
                let s = i
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| shared.get(i))
                    .ok_or_else(|| {
                        bad(format!(
                            "shared string {i:?} not among the {} in xl/sharedStrings.xml",
                            shared.len()
                        ))
                    })?;
                Some(s.clone())
            }
        },
        "inlineStr" => c
            .children()
            .find(|n| n.has_tag_name_local("is"))
            .map(text_of),
        "b" => match v.as_deref().map(str::trim) {
            None => None,
            Some("1") => Some("TRUE".into()),
            Some("0") => Some("FALSE".into()),
            Some(o) => return Err(bad(format!("boolean {o:?} is neither 0 nor 1"))),
        },
        "e" => {
            return Err(bad(format!(
                "holds the Excel error {}",
                v.as_deref().unwrap_or("(none)")
            )));
        }
        "n" | "str" | "d" => v,
        other => return Err(bad(format!("unknown cell type {other:?}"))),
    }
    .filter(|s| !s.is_empty()))
}

/// The 0-based column of an `A1`-style reference in row `row`, if it is one.
fn column_of(at: &str, row: u64) -> Option<usize> {
    let split = at.find(|c: char| c.is_ascii_digit())?;
    let (l, n) = at.split_at(split);
    if l.is_empty() || l.len() > 3 || n.parse::<u64>().ok()? != row {
        return None;
    }
    let mut col = 0usize;
    for b in l.bytes() {
        if !b.is_ascii_uppercase() {
            return None;
        }
        col = col * 26 + (b - b'A' + 1) as usize;
    }
    Some(col - 1)
}

/// The letters of 0-based column `col` (`0` is `A`, `26` is `AA`).
pub fn letters(col: usize) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Writes a minimal workbook (for tests and fuzz seeds): each sheet a name and rows of cells,
/// numbers where a cell parses as one, inline strings otherwise. Not a general writer.
pub fn write_minimal(sheets: &[(&str, Vec<Vec<&str>>)]) -> Vec<u8> {
    use std::io::Write;
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opt =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let mut wb = String::from(
        r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
    );
    let mut rels = String::from(
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (i, (name, rows)) in sheets.iter().enumerate() {
        let n = i + 1;
        wb.push_str(&format!(
            r#"<sheet name="{}" sheetId="{n}" r:id="rId{n}"/>"#,
            esc(name)
        ));
        rels.push_str(&format!(
            r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#
        ));
        let mut x = String::from(
            r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
        );
        for (r, row) in rows.iter().enumerate() {
            x.push_str(&format!(r#"<row r="{}">"#, r + 1));
            for (c, v) in row.iter().enumerate() {
                if v.is_empty() {
                    continue;
                }
                let at = format!("{}{}", letters(c), r + 1);
                if v.parse::<f64>().is_ok() {
                    x.push_str(&format!(r#"<c r="{at}"><v>{v}</v></c>"#));
                } else {
                    x.push_str(&format!(
                        r#"<c r="{at}" t="inlineStr"><is><t>{}</t></is></c>"#,
                        esc(v)
                    ));
                }
            }
            x.push_str("</row>");
        }
        x.push_str("</sheetData></worksheet>");
        let _ = z.start_file(format!("xl/worksheets/sheet{n}.xml"), opt);
        let _ = z.write_all(x.as_bytes());
    }
    wb.push_str("</sheets></workbook>");
    rels.push_str("</Relationships>");
    let _ = z.start_file("xl/workbook.xml", opt);
    let _ = z.write_all(wb.as_bytes());
    let _ = z.start_file("xl/_rels/workbook.xml.rels", opt);
    let _ = z.write_all(rels.as_bytes());
    z.finish().map(|c| c.into_inner()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(sheets: &[(&str, Vec<Vec<&str>>)], sheet: &str, expect: &str) {
        let bytes = write_minimal(sheets);
        let got = match Workbook::open("t.xlsx", &bytes).and_then(|mut w| w.sheet(sheet)) {
            Ok(d) => format!(
                "{} | {}",
                d.header.join(","),
                d.records
                    .iter()
                    .map(|r| format!(
                        "{}:{}",
                        r.line,
                        r.fields.iter().collect::<Vec<_>>().join(",")
                    ))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            Err(e) => e.to_string(),
        };
        assert_eq!(got, expect);
    }

    #[test]
    fn sheets_read_as_header_and_rows() {
        let s = vec![
            vec!["Country", "ISO Code", "BCM 2018"],
            vec!["Iraq", "IRQ", "17.8"],
            vec![],
            vec!["Iran", "", "1e-3"],
        ];
        check(
            &[("a", vec![vec!["x"]]), ("countries", s.clone())],
            "countries",
            "Country,ISO Code,BCM 2018 | 2:Iraq,IRQ,17.8 4:Iran,,1e-3",
        );
        check(
            &[("countries", s)],
            "nope",
            "t.xlsx: no sheet \"nope\" (has: countries)",
        );
        check(
            &[("s", vec![vec!["a"], vec!["1", "2"]])],
            "s",
            "t.xlsx [sheet s]:2: malformed row: cell B2 (\"2\") is right of the header's last column A",
        );
        check(
            &[("s", vec![])],
            "s",
            "t.xlsx [sheet s]: no header row (empty sheet?)",
        );
    }

    #[test]
    fn column_letters_round_trip() {
        for (c, l) in [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")] {
            assert_eq!(letters(c), l);
            assert_eq!(column_of(&format!("{l}7"), 7), Some(c));
        }
        assert_eq!(column_of("A8", 7), None);
        assert_eq!(column_of("a7", 7), None);
        assert_eq!(column_of("7", 7), None);
    }

    #[test]
    fn not_a_workbook_is_an_error() {
        let e = Workbook::open("t.xlsx", b"Country,ISO\n")
            .err()
            .unwrap()
            .to_string();
        assert!(e.starts_with("t.xlsx: not an .xlsx workbook (zip)"), "{e}");
    }
}

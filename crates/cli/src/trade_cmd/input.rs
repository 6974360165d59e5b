//! Reading a panel for `attache trade estimate` into an [`attache_trade::Frame`]: Stata `.dta`
//! (the trade crate's reader), CSV (numeric columns where every non-empty cell is a number,
//! text otherwise; an empty cell in a numeric column is missing) and Parquet (numeric and
//! string columns; nulls are missing). The file's kind comes from its extension.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use attache_trade::{Column, Frame};

/// A panel read from a file, and what the CLI needs to explain a problem with it.
pub struct Input {
    /// The file.
    pub path: PathBuf,
    /// Its columns.
    pub frame: Frame,
    /// For a CSV column typed as text: the first cell that is not a number (line, value), to
    /// name when the model needs the column as numbers.
    pub first_text: HashMap<String, (u64, String)>,
    /// Parquet columns of a type the estimators cannot use (name, type), left out of the frame.
    pub unsupported: Vec<(String, String)>,
}

/// Reads `path` by its extension (`.dta`, `.csv`, `.parquet`).
pub fn read(path: &Path) -> Result<Input> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let mut input = Input {
        path: path.to_path_buf(),
        frame: Frame::new(),
        first_text: HashMap::new(),
        unsupported: Vec::new(),
    };
    let what = || format!("reading {}", path.display());
    match ext.as_str() {
        "dta" => {
            let bytes = std::fs::read(path).with_context(what)?;
            input.frame = attache_trade::dta::read(&bytes).with_context(what)?;
        }
        "csv" => read_csv(path, &mut input).with_context(what)?,
        "parquet" => read_parquet(path, &mut input).with_context(what)?,
        _ => bail!(
            "{}: unknown kind of file (extension {:?}); give a Stata .dta, a .csv or a .parquet file",
            path.display(),
            ext
        ),
    }
    Ok(input)
}

/// A finite number, or None.
fn number(cell: &str) -> Option<f64> {
    cell.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

fn read_csv(path: &Path, input: &mut Input) -> Result<()> {
    let file = std::fs::File::open(path)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        // Field counts are checked below, naming the line as an editor counts it.
        .flexible(true)
        .from_reader(std::io::BufReader::new(file));
    let names: Vec<String> = reader
        .headers()
        .context("the header line")?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut cells: Vec<Vec<String>> = vec![Vec::new(); names.len()];
    let mut lines: Vec<u64> = Vec::new();
    for record in reader.records() {
        let record = record?;
        let line = record.position().map_or(0, |p| p.line());
        if record.len() != names.len() {
            bail!(
                "line {line}: {} fields where the header has {}",
                record.len(),
                names.len()
            );
        }
        for (col, cell) in cells.iter_mut().zip(record.iter()) {
            col.push(cell.to_string());
        }
        lines.push(line);
    }
    for (name, col) in names.iter().zip(cells) {
        let first_text = col
            .iter()
            .enumerate()
            .find(|(_, c)| !c.trim().is_empty() && number(c).is_none());
        let column = match first_text {
            None => Column::Num(col.iter().map(|c| number(c).unwrap_or(f64::NAN)).collect()),
            Some((row, value)) => {
                input
                    .first_text
                    .insert(name.clone(), (lines[row], value.clone()));
                Column::Text(col)
            }
        };
        input
            .frame
            .push(name, column)
            .with_context(|| format!("column {name:?}"))?;
    }
    Ok(())
}

fn read_parquet(path: &Path, input: &mut Input) -> Result<()> {
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let file = std::fs::File::open(path)?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file)?;
    // A file without rows still has its columns.
    let mut batches = vec![arrow::record_batch::RecordBatch::new_empty(
        builder.schema().clone(),
    )];
    for b in builder.build()? {
        batches.push(b?);
    }
    // The store's one conversion of Arrow columns into the trade crate's frame.
    (input.frame, input.unsupported) = attache_store::trade_inputs::frame(&batches)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_columns_are_numbers_only_when_every_cell_is_one() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.csv");
        std::fs::write(&p, "a,b,c\n1,x,\n2.5,3,4\n,y,5\n").unwrap();
        let input = read(&p).unwrap();
        let a = input.frame.num("a").unwrap();
        assert_eq!(a[..2], [1.0, 2.5]);
        assert!(a[2].is_nan());
        assert_eq!(input.frame.text("b").unwrap()[1], "3");
        assert_eq!(input.first_text["b"], (2, "x".to_string()));
        assert!(input.frame.num("c").unwrap()[0].is_nan());
    }

    #[test]
    fn a_short_csv_line_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.csv");
        std::fs::write(&p, "a,b\n1,2\n3\n").unwrap();
        let e = format!("{:#}", read(&p).err().unwrap());
        assert!(e.contains("t.csv") && e.contains("line 3"), "{e}");
    }
}

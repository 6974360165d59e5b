//! Writing query results as a table, CSV, JSON or Parquet.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use arrow::record_batch::RecordBatch;
use clap::{Args, ValueEnum};

#[derive(Clone, Copy, ValueEnum, Default)]
pub enum Format {
    #[default]
    Table,
    Csv,
    Json,
    Parquet,
}

#[derive(Args, Clone)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to this file instead of standard output (required for Parquet on a terminal).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn write(batches: &[RecordBatch], args: &OutputArgs) -> Result<()> {
    let mut sink: Box<dyn Write> = match &args.out {
        Some(p) => {
            Box::new(std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?)
        }
        None => {
            if matches!(args.format, Format::Parquet) && std::io::stdout().is_terminal() {
                bail!("Parquet is binary: give --out FILE or redirect standard output");
            }
            Box::new(std::io::stdout().lock())
        }
    };
    match args.format {
        Format::Table => {
            let t = arrow::util::pretty::pretty_format_batches(batches)
                .context("formatting the result")?;
            writeln!(sink, "{t}")?;
        }
        Format::Csv => {
            let mut w = arrow::csv::WriterBuilder::new()
                .with_header(true)
                .build(&mut sink);
            if batches.is_empty() {
                return Ok(());
            }
            for b in batches {
                w.write(b).context("writing CSV")?;
            }
        }
        Format::Json => {
            let mut w = arrow::json::ArrayWriter::new(&mut sink);
            let refs: Vec<&RecordBatch> = batches.iter().collect();
            w.write_batches(&refs).context("writing JSON")?;
            w.finish().context("writing JSON")?;
            drop(w);
            writeln!(sink)?;
        }
        Format::Parquet => {
            let Some(first) = batches.first() else {
                bail!("the query returned no batches to write as Parquet")
            };
            let mut buf = Vec::new();
            let mut w = parquet::arrow::ArrowWriter::try_new(&mut buf, first.schema(), None)
                .context("writing Parquet")?;
            for b in batches {
                w.write(b).context("writing Parquet")?;
            }
            w.close().context("writing Parquet")?;
            sink.write_all(&buf)?;
        }
    }
    match sink.flush() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("writing the result"),
    }
}

/// Named Arrow columns as one record batch (every column nullable), for the commands that
/// print computed tables through [`write`].
pub fn batch<N: AsRef<str>>(fields: Vec<(N, arrow::array::ArrayRef)>) -> Result<RecordBatch> {
    let schema = std::sync::Arc::new(arrow::datatypes::Schema::new(
        fields
            .iter()
            .map(|(n, a)| arrow::datatypes::Field::new(n.as_ref(), a.data_type().clone(), true))
            .collect::<Vec<_>>(),
    ));
    RecordBatch::try_new(schema, fields.into_iter().map(|(_, a)| a).collect())
        .context("building the result table")
}

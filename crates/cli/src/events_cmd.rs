//! `attache events import DIR`: GDELT 2.0 export and mentions files (plain or zipped, as GDELT
//! publishes them) and ICEWS `.tab` files from a directory (an air-gapped mirror, or the tests)
//! into the event store (`attache_store::events`): each file parsed by the strict readers of
//! `attache-events` (an error names the file, line and value, and that file is not imported),
//! its countries resolved through the crosswalk, de-duplicated on the publisher's key against
//! everything stored, written whole; then the missing 15-minute GDELT slots (`event_gaps`) and
//! the daily index (`event_index`) are rebuilt. Files already imported are skipped by name.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use attache_core::Crosswalk;
use attache_events::index::{self, Granularity};
use attache_events::{Dedup, Slot, Source, UtcTime, event, slots};
use attache_store::events::{EventStore, ImportedFile, classify};
use clap::{Args, Subcommand};

use crate::DataDir;

#[derive(Subcommand)]
pub enum EventsCommand {
    /// Import GDELT 2.0 exports and mentions (`*.export.CSV[.zip]`, `*.mentions.CSV[.zip]`) and
    /// ICEWS `.tab` files from a directory into the event store.
    Import(ImportArgs),
}

#[derive(Args)]
pub struct ImportArgs {
    /// Directory of publisher files (other files are listed and left alone).
    dir: PathBuf,
    /// Baseline periods of the index's z-scores.
    #[arg(long, default_value_t = 28)]
    baseline: usize,
    #[command(flatten)]
    data: DataDir,
}

pub fn run(cmd: EventsCommand) -> Result<ExitCode> {
    match cmd {
        EventsCommand::Import(a) => import(&a),
    }
}

/// The bytes of a publisher file, unzipped when GDELT zipped it (one member, the name without
/// `.zip`).
fn contents(path: &std::path::Path, name: &str) -> Result<Vec<u8>> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    if bytes.is_empty() {
        bail!("{}: the file is empty", path.display());
    }
    match name
        .strip_suffix(".zip")
        .or_else(|| name.strip_suffix(".ZIP"))
    {
        Some(member) => Ok(attache_sources::unzip_member(name, &bytes, member)?),
        None => Ok(bytes),
    }
}

fn import(a: &ImportArgs) -> Result<ExitCode> {
    let dir = &a.dir;
    if !dir.is_dir() {
        bail!("{} is not a directory", dir.display());
    }
    let store = EventStore::new(&a.data.path());
    let done: BTreeSet<String> = store.imported()?.into_iter().map(|f| f.name).collect();
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .with_context(|| format!("listing {}", dir.display()))?
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut dedup = Dedup::with_known(store.known_keys()?);
    let cw = Crosswalk::global();
    let (mut files, mut kept_all, mut dropped_all, mut unresolved_all) =
        (0, 0usize, 0usize, 0usize);
    let mut skipped = Vec::new();
    for name in &names {
        let Some((source, kind)) = classify(name) else {
            skipped.push(name.clone());
            continue;
        };
        if done.contains(name) {
            continue;
        }
        let path = dir.join(name);
        let bytes = contents(&path, name)?;
        let stem = name.replace('.', "_");
        let kept = match kind {
            "mentions" => {
                let m = event::parse_gdelt_mentions(&bytes)
                    .with_context(|| format!("{}", path.display()))?;
                store.append_mentions(&stem, &m)?;
                m.len()
            }
            _ => {
                let mut evs = match source {
                    Source::Gdelt => event::parse_gdelt_export(&bytes),
                    Source::Icews => event::parse_icews(&bytes),
                }
                .with_context(|| format!("{}", path.display()))?;
                let unresolved = event::resolve(&mut evs, cw);
                unresolved_all += unresolved.total();
                let (evs, report) = dedup.filter(evs);
                dropped_all += report.dropped();
                store.append_events(&stem, &evs)?;
                evs.len()
            }
        };
        store.mark_imported(&ImportedFile {
            name: name.clone(),
            kind: kind.to_string(),
            kept: kept as u64,
        })?;
        files += 1;
        kept_all += kept;
    }
    // The 15-minute slots between the first and the last imported GDELT export that have no
    // file: recorded, never skipped silently.
    let slots_present: Vec<Slot> = store
        .imported()?
        .iter()
        .filter(|f| f.kind == "export")
        .filter_map(|f| Slot::parse_stamp(&f.name[..14.min(f.name.len())]).ok())
        .collect();
    let gaps = match (slots_present.iter().min(), slots_present.iter().max()) {
        (Some(first), Some(last)) => slots::gaps(
            first.start(),
            UtcTime(last.start().0 + 1),
            slots_present.iter().copied(),
        ),
        _ => Vec::new(),
    };
    store.write_gaps(&gaps)?;
    let events = store.events()?;
    let mentions = store.mentions()?;
    let mut rows = index::build(&events, &mentions, Granularity::Day);
    index::add_zscores(&mut rows, a.baseline);
    store.write_index(&rows)?;
    let missing: i64 = gaps.iter().map(|g| g.len()).sum();
    println!(
        "imported {files} file(s) from {}: {kept_all} new rows, {dropped_all} duplicate event(s) dropped, {unresolved_all} country code(s) unresolved; {} events stored; index {} rows; {missing} missing 15-minute slot(s) in {} gap(s)",
        dir.display(),
        events.len(),
        rows.len(),
        gaps.len()
    );
    for g in &gaps {
        println!(
            "  gap: {} to {} ({} slots)",
            g.first.stamp(),
            g.last.stamp(),
            g.len()
        );
    }
    if !skipped.is_empty() {
        println!("  not event files, left alone: {}", skipped.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

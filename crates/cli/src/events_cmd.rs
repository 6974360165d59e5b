//! `attache events import|follow|backfill`: event feeds into the event store
//! (`attache_store::events`).
//!
//! - `import DIR`: GDELT 2.0 export and mentions files (plain or zipped, as GDELT publishes
//!   them) and ICEWS `.tab` files from a directory (an air-gapped mirror, or the tests).
//! - `follow [--once]`: polls GDELT's `lastupdate.txt` every 15 minutes (UTC) and imports the
//!   new export and mentions files; `backfill --from --to` walks `masterfilelist.txt`. Each
//!   download is checked against the size and MD5 the listing gives; a file that fails is named
//!   and left out (its slot stays a gap, retried next time), and the run exits 1 after the
//!   others are imported. One connection, retries with backoff (`attache-fetch`), and the same
//!   `--rewrite-url FROM=TO` as `sync` (a ministry's internal mirror of GDELT).
//! - `follow --source icews` and `backfill --source icews --from --to`: the same path for ICEWS
//!   on Harvard Dataverse (`attache_events::dataverse`): the two datasets' listings (yearly
//!   files and weekly updates) give each file's id, size and MD5; the event files not yet
//!   imported (of the period, for a backfill) are downloaded as uploaded, checked, parsed and
//!   de-duplicated on ICEWS's `(Event ID, Event Date)`. ICEWS stopped in April 2023, so
//!   following it polls once a day and finds nothing new; there are no 15-minute slots, so no
//!   gaps.
//!
//! Every file is parsed by the strict readers of `attache-events` (an error names the file,
//! line and value, and that file is not imported), its countries resolved through the
//! crosswalk, de-duplicated on the publisher's key against everything stored and written
//! whole; then the missing 15-minute GDELT slots (`event_gaps`) and the daily index
//! (`event_index`) are rebuilt. Files already imported are skipped by name.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use attache_core::Crosswalk;
use attache_events::alerts::monitor::{self, MonitorParams};
use attache_events::dataverse::{self, ICEWS_HISTORIC_DOI, ICEWS_WEEKLY_DOI};
use attache_events::index::{self, Granularity};
use attache_events::listing::{self, FileKind, ListingEntry};
use attache_events::{Dedup, Slot, Source, UtcTime, event, slots};
use attache_fetch::Fetcher;
use attache_store::events::{EventStore, ImportedFile, classify};
use clap::{Args, Subcommand, ValueEnum};

use crate::DataDir;

#[derive(Subcommand)]
pub enum EventsCommand {
    /// Import GDELT 2.0 exports and mentions (`*.export.CSV[.zip]`, `*.mentions.CSV[.zip]`) and
    /// ICEWS `.tab` files from a directory into the event store.
    Import(ImportArgs),
    /// Follow GDELT 2.0: poll lastupdate.txt every 15 minutes (UTC) and import the new export
    /// and mentions files, checked against the listed size and MD5. With --source icews: poll
    /// ICEWS's Dataverse listings once a day and import the event files not yet imported.
    Follow(FollowArgs),
    /// Import GDELT 2.0 files of a period from masterfilelist.txt; every 15-minute slot of the
    /// period without a good file is recorded as a gap. With --source icews: the ICEWS files
    /// (yearly and weekly) that cover days of the period.
    Backfill(BackfillArgs),
}

/// The feeds `follow` and `backfill` know.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FeedSource {
    /// GDELT 2.0 (lastupdate.txt, masterfilelist.txt).
    Gdelt,
    /// ICEWS on Harvard Dataverse (the yearly and weekly datasets).
    Icews,
}

/// Where a feed is fetched from.
#[derive(Args, Clone)]
pub struct Feed {
    /// The feed.
    #[arg(long, value_enum, default_value = "gdelt")]
    source: FeedSource,
    /// The feed's base URL: GDELT 2.0's folder (lastupdate.txt and masterfilelist.txt are under
    /// it; default http://data.gdeltproject.org/gdeltv2/) or the Dataverse server (default
    /// https://dataverse.harvard.edu).
    #[arg(long)]
    base: Option<String>,
    /// Fetch from another server: replace the URL prefix FROM with TO (repeatable).
    #[arg(long = "rewrite-url", value_name = "FROM=TO", value_parser = crate::sync::parse_rewrite)]
    rewrite_url: Vec<(String, String)>,
    /// Download cache. Defaults to $ATTACHE_CACHE_DIR or ~/.cache/attache.
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// Baseline periods of the index's z-scores.
    #[arg(long, default_value_t = 28)]
    baseline: usize,
    #[command(flatten)]
    data: DataDir,
}

#[derive(Args)]
pub struct FollowArgs {
    #[command(flatten)]
    feed: Feed,
    /// Poll once and exit (exit 1 when a file failed its check).
    #[arg(long)]
    once: bool,
}

#[derive(Args)]
pub struct BackfillArgs {
    #[command(flatten)]
    feed: Feed,
    /// First slot, YYYYMMDDHHMMSS (UTC) or YYYY-MM-DD (its first slot).
    #[arg(long, value_parser = parse_slot)]
    from: Slot,
    /// Last slot, YYYYMMDDHHMMSS (UTC) or YYYY-MM-DD (its last slot).
    #[arg(long, value_parser = parse_slot_end)]
    to: Slot,
}

/// GDELT 2.0's published files.
pub const GDELT_BASE: &str = "http://data.gdeltproject.org/gdeltv2/";

fn parse_slot(s: &str) -> Result<Slot, String> {
    if let Ok(d) = s.parse::<attache_core::Date>() {
        return Ok(Slot::of(UtcTime::midnight(d)));
    }
    Slot::parse_stamp(s).map_err(|e| e.to_string())
}

fn parse_slot_end(s: &str) -> Result<Slot, String> {
    if let Ok(d) = s.parse::<attache_core::Date>() {
        return Ok(Slot::of(UtcTime::midnight(d)).plus(95));
    }
    Slot::parse_stamp(s).map_err(|e| e.to_string())
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
        EventsCommand::Follow(a) => follow(&a),
        EventsCommand::Backfill(a) => backfill(&a),
    }
}

/// One publisher file parsed and its countries resolved, not yet de-duplicated or stored.
struct Parsed {
    /// The file's kind, as [`classify`] names it (recorded in the import log).
    kind: &'static str,
    rows: Rows,
}

enum Rows {
    Mentions(Vec<event::Mention>),
    Events {
        events: Vec<event::Event>,
        unresolved: usize,
    },
}

/// The name of a file's parts in the store (dots would read as extensions).
fn part_stem(name: &str) -> String {
    name.replace('.', "_")
}

/// Parses one file's bytes (the name decides its kind) and resolves its country codes. Needs
/// nothing from the store, so files are parsed on every core.
fn parse_one(name: &str, bytes: &[u8], resolutions: &mut event::Resolutions) -> Result<Parsed> {
    let Some((source, kind)) = classify(name) else {
        bail!("{name}: not an event file");
    };
    let rows = match kind {
        "mentions" => {
            Rows::Mentions(event::parse_gdelt_mentions(bytes).with_context(|| name.to_string())?)
        }
        _ => {
            let mut events = match source {
                Source::Gdelt => event::parse_gdelt_export(bytes),
                Source::Icews => event::parse_icews(bytes),
            }
            .with_context(|| name.to_string())?;
            let unresolved =
                event::resolve_with(&mut events, Crosswalk::global(), resolutions).total();
            Rows::Events { events, unresolved }
        }
    };
    Ok(Parsed { kind, rows })
}

/// Parsed and de-duplicated files not yet written: their rows are written together, one part
/// per day for the whole batch, and then the files are recorded as imported in one step. A
/// killed run loses only the batch in hand (nothing of it was recorded, so the next run
/// imports those files again and de-duplicates against what was written).
#[derive(Default)]
struct Batch {
    events: Vec<event::Event>,
    /// Mentions stay one part per file (they are not de-duplicated, so a file imported again
    /// must replace its own part).
    mentions: Vec<(String, Vec<event::Mention>)>,
    files: Vec<ImportedFile>,
}

/// A directory import writes a batch when it holds this many rows: bounds memory, and while a
/// batch is written the workers parse the next few files (one day of GDELT exports is about
/// 200,000 events, so about four batches).
const BATCH_ROWS: usize = 50_000;

impl Batch {
    fn rows(&self) -> usize {
        self.events.len() + self.mentions.iter().map(|(_, m)| m.len()).sum::<usize>()
    }

    /// De-duplicates a parsed file against everything stored and staged before it and adds
    /// it to the batch.
    fn stage(
        &mut self,
        dedup: &mut Dedup,
        name: &str,
        parsed: Parsed,
        counts: &mut Counts,
    ) -> Result<()> {
        let kept = match parsed.rows {
            Rows::Mentions(m) => {
                let n = m.len();
                self.mentions.push((part_stem(name), m));
                n
            }
            Rows::Events { events, unresolved } => {
                counts.unresolved += unresolved;
                let (evs, report) = dedup.filter(events);
                counts.dropped += report.dropped();
                let n = evs.len();
                self.events.extend(evs);
                n
            }
        };
        self.files.push(ImportedFile {
            name: name.to_string(),
            kind: parsed.kind.to_string(),
            kept: kept as u64,
        });
        counts.files += 1;
        counts.kept += kept;
        Ok(())
    }

    /// Writes the batch's events (parts named after its first and last file, so a batch of
    /// other files never replaces them) and each file's mentions, then records its files as
    /// imported.
    fn flush(&mut self, store: &EventStore, counts: &mut Counts) -> Result<()> {
        let parts = std::mem::take(self).write(store)?;
        counts.written.extend(parts);
        Ok(())
    }

    /// Writes the batch and records its files; returns the event parts written.
    fn write(self, store: &EventStore) -> Result<Vec<attache_store::events::EventPart>> {
        let (Some(first), Some(last)) = (self.files.first(), self.files.last()) else {
            return Ok(Vec::new());
        };
        let stem = if self.files.len() == 1 {
            part_stem(&first.name)
        } else {
            part_stem(&format!("{}__{}", first.name, last.name))
        };
        let parts = store.append_events(&stem, self.events)?;
        for (file_stem, m) in &self.mentions {
            store.append_mentions(file_stem, m)?;
        }
        store.mark_all_imported(&self.files)?;
        Ok(parts)
    }
}

/// Imports one file's bytes on its own: [`parse_one`], de-duplicated, written and recorded.
fn import_one(
    store: &EventStore,
    dedup: &mut Dedup,
    name: &str,
    bytes: &[u8],
    counts: &mut Counts,
) -> Result<()> {
    let parsed = parse_one(name, bytes, &mut counts.resolutions)?;
    let mut batch = Batch::default();
    batch.stage(dedup, name, parsed, counts)?;
    batch.flush(store, counts)
}

/// What a run did (and the code resolutions it keeps across files).
#[derive(Default)]
struct Counts {
    resolutions: event::Resolutions,
    files: usize,
    kept: usize,
    dropped: usize,
    unresolved: usize,
    /// The event parts written by this run (read by the rebuild from memory).
    written: Vec<attache_store::events::EventPart>,
}

/// Rebuilds the gaps (from the first imported export's slot to `until`, or to the last
/// imported one) and the index; prints the summary.
fn rebuild(
    store: &EventStore,
    until: Option<Slot>,
    baseline: usize,
    what: &str,
    c: &mut Counts,
) -> Result<()> {
    let slots_present: Vec<Slot> = store
        .imported()?
        .iter()
        .filter(|f| f.kind == "export")
        .filter_map(|f| Slot::parse_stamp(&f.name[..14.min(f.name.len())]).ok())
        .collect();
    let last = slots_present.iter().copied().chain(until).max();
    let gaps = match (slots_present.iter().min(), last) {
        (Some(first), Some(last)) => slots::gaps(
            first.start(),
            UtcTime(last.start().0 + 1),
            slots_present.iter().copied(),
        ),
        _ => Vec::new(),
    };
    store.write_gaps(&gaps)?;
    // This run's parts come from memory, the rest from the store.
    // The parts as they are (no 80 MB copy into one vector): the readers only iterate.
    let parts = store.parts_with(std::mem::take(&mut c.written))?;
    let events: Vec<&event::Event> = parts.iter().flat_map(|p| p.events()).collect();
    let mentions = store.mentions()?;
    let mut rows = index::build(events.iter().copied(), &mentions, Granularity::Day);
    index::add_zscores(&mut rows, baseline);
    store.write_index(&rows)?;
    // The rules of attache_events::alerts::monitor over every stored day.
    let alerts = match (
        events.iter().map(|e| e.date).min(),
        events.iter().map(|e| e.date).max(),
    ) {
        (Some(first), Some(last)) => monitor::events(
            &rows,
            events.iter().copied(),
            first,
            last,
            &MonitorParams::default(),
        ),
        _ => Vec::new(),
    };
    store.write_alerts(&alerts)?;
    let missing: i64 = gaps.iter().map(|g| g.len()).sum();
    println!(
        "imported {} file(s) from {what}: {} new rows, {} duplicate event(s) dropped, {} country code(s) unresolved; {} events stored; index {} rows; {} alert(s); {missing} missing 15-minute slot(s) in {} gap(s)",
        c.files,
        c.kept,
        c.dropped,
        c.unresolved,
        events.len(),
        rows.len(),
        alerts.len(),
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
    Ok(())
}

impl Feed {
    fn fetcher(&self) -> Fetcher {
        Fetcher::new(
            self.cache_dir
                .clone()
                .unwrap_or_else(attache_fetch::default_cache_dir),
        )
        .with_revalidation(true)
    }

    fn url(&self, url: &str) -> String {
        crate::sync::rewrite(&self.rewrite_url, url)
    }

    fn get(&self, fetcher: &Fetcher, url: &str) -> Result<Vec<u8>> {
        let u = self.url(url);
        let f = fetcher
            .fetch(&u, None)
            .with_context(|| format!("downloading {u}"))?;
        std::fs::read(&f.path).with_context(|| format!("reading {}", f.path.display()))
    }

    fn base(&self) -> &str {
        self.base.as_deref().unwrap_or(match self.source {
            FeedSource::Gdelt => GDELT_BASE,
            FeedSource::Icews => dataverse::HARVARD_DATAVERSE,
        })
    }

    fn listing_url(&self, file: &str) -> String {
        format!("{}/{file}", self.base().trim_end_matches('/'))
    }

    /// Downloads, checks and imports the export and mentions files of `entries` not yet
    /// imported; returns the files that failed their check (named, with why).
    fn pull(
        &self,
        store: &EventStore,
        entries: &[&ListingEntry],
        counts: &mut Counts,
    ) -> Result<Vec<String>> {
        let downloads = entries
            .iter()
            .filter(|e| matches!(e.file.kind, FileKind::Export | FileKind::Mentions))
            .map(|e| {
                let name = e.file.file_name();
                Download {
                    label: name.clone(),
                    member: name.strip_suffix(".zip").unwrap_or(&name).to_string(),
                    name,
                    url: e.url.clone(),
                    size: e.size,
                    md5: e.md5,
                }
            });
        self.fetch_and_import(store, downloads, counts)
    }

    /// The steps every feed shares: for each download not yet imported, fetch it (through
    /// the cache and `--rewrite-url`), check it against its listed size and MD5, unzip it when
    /// it is a zip, and import it. A file that fails to download or to match is named in the
    /// returned list and left for the next run; anything else that fails stops the pull.
    fn fetch_and_import(
        &self,
        store: &EventStore,
        downloads: impl Iterator<Item = Download>,
        counts: &mut Counts,
    ) -> Result<Vec<String>> {
        let fetcher = self.fetcher();
        let done: BTreeSet<String> = store.imported()?.into_iter().map(|f| f.name).collect();
        let mut dedup = Dedup::with_known(store.known_keys()?);
        let mut bad = Vec::new();
        for d in downloads {
            if done.contains(&d.name) {
                continue;
            }
            let raw = match self.get(&fetcher, &d.url) {
                Ok(r) => r,
                Err(err) => {
                    bad.push(format!("{}: {err:#}", d.label));
                    continue;
                }
            };
            if let Err(err) = listing::check(&self.url(&d.url), d.size, &d.md5, &raw) {
                bad.push(format!("{}: {err}", d.label));
                continue;
            }
            let bytes = if raw.starts_with(b"PK\x03\x04") {
                attache_sources::unzip_member(&d.label, &raw, &d.member)?
            } else {
                raw
            };
            import_one(store, &mut dedup, &d.name, &bytes, counts)?;
        }
        Ok(bad)
    }
}

/// One publisher file a feed pulls: the name it is imported under, how a failure names it, its
/// URL (before `--rewrite-url`), listed size and MD5, and the member to read when it is a zip.
struct Download {
    name: String,
    label: String,
    url: String,
    size: u64,
    md5: [u8; 16],
    member: String,
}

fn report_bad(bad: &[String]) -> ExitCode {
    if bad.is_empty() {
        return ExitCode::SUCCESS;
    }
    for b in bad {
        eprintln!("bad file, not imported (its slot stays a gap and is retried): {b}");
    }
    ExitCode::from(1)
}

fn poll(a: &FollowArgs) -> Result<ExitCode> {
    let feed = &a.feed;
    if feed.source == FeedSource::Icews {
        return pull_icews(feed, None);
    }
    let store = EventStore::new(&feed.data.path());
    let fetcher = feed.fetcher();
    let lu_url = feed.listing_url("lastupdate.txt");
    let lu = listing::parse_lastupdate(&feed.get(&fetcher, &lu_url)?)
        .with_context(|| feed.url(&lu_url))?;
    let mut counts = Counts::default();
    let bad = feed.pull(&store, &[&lu.export, &lu.mentions], &mut counts)?;
    rebuild(
        &store,
        Some(lu.slot),
        feed.baseline,
        &feed.url(&lu_url),
        &mut counts,
    )?;
    Ok(report_bad(&bad))
}

/// One poll of GDELT as `attache up` runs it every 15 minutes when it downloads from the web:
/// the default base URL, the sync's `--rewrite-url` and cache; a file that fails its check is
/// an error (on the job record), the good ones are imported.
pub fn poll_for_up(
    data: DataDir,
    rewrite_url: Vec<(String, String)>,
    cache_dir: Option<PathBuf>,
) -> Result<()> {
    let a = FollowArgs {
        feed: Feed {
            source: FeedSource::Gdelt,
            base: None,
            rewrite_url,
            cache_dir,
            baseline: 28,
            data,
        },
        once: true,
    };
    if poll(&a)? != ExitCode::SUCCESS {
        bail!("a GDELT file failed its size or MD5 check (named above); its slot stays a gap");
    }
    Ok(())
}

fn follow(a: &FollowArgs) -> Result<ExitCode> {
    if a.once {
        return poll(a);
    }
    loop {
        match poll(a) {
            Ok(_) => {}
            Err(e) => eprintln!("error: {e:#} (next poll in 15 minutes)"),
        }
        // GDELT publishes every 15 minutes; poll a minute after each slot. ICEWS published
        // weekly until April 2023: once a day is plenty.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let period = match a.feed.source {
            FeedSource::Gdelt => 900,
            FeedSource::Icews => 86_400,
        };
        let wait = period - now % period + 60;
        std::thread::sleep(Duration::from_secs(wait));
    }
}

fn backfill(a: &BackfillArgs) -> Result<ExitCode> {
    if a.to < a.from {
        bail!("--to {} is before --from {}", a.to.stamp(), a.from.stamp());
    }
    let feed = &a.feed;
    if feed.source == FeedSource::Icews {
        let day = |s: Slot| s.start().date();
        return pull_icews(feed, Some((day(a.from), day(a.to))));
    }
    let store = EventStore::new(&feed.data.path());
    let fetcher = feed.fetcher();
    let url = feed.listing_url("masterfilelist.txt");
    let (entries, problems) = listing::parse_masterfilelist_lossy(&feed.get(&fetcher, &url)?);
    for p in &problems {
        eprintln!("warning: masterfilelist.txt: {p}");
    }
    let wanted: Vec<&ListingEntry> = entries
        .iter()
        .filter(|e| e.file.slot >= a.from && e.file.slot <= a.to && !e.file.translation)
        .collect();
    let mut counts = Counts::default();
    let bad = feed.pull(&store, &wanted, &mut counts)?;
    rebuild(
        &store,
        Some(a.to),
        feed.baseline,
        &feed.url(&url),
        &mut counts,
    )?;
    Ok(report_bad(&bad))
}

/// ICEWS from Dataverse: both datasets' listings, then every event file not yet imported
/// (covering a day of `period`, when given) downloaded as uploaded, checked against the listed
/// size and MD5, unzipped when zipped, and imported; a file that fails is named and left for
/// the next run.
fn pull_icews(
    feed: &Feed,
    period: Option<(attache_core::Date, attache_core::Date)>,
) -> Result<ExitCode> {
    let store = EventStore::new(&feed.data.path());
    let fetcher = feed.fetcher();
    let mut files = Vec::new();
    let mut listed = Vec::new();
    for doi in [ICEWS_HISTORIC_DOI, ICEWS_WEEKLY_DOI] {
        let url = feed.listing_url(&dataverse::listing_path(doi));
        let json = feed.get(&fetcher, &url)?;
        files.extend(dataverse::parse_dataset(doi, &json).with_context(|| feed.url(&url))?);
        listed.push(feed.url(&url));
    }
    let mut counts = Counts::default();
    let downloads = dataverse::icews_files(&files)
        .into_iter()
        .filter(|f| !period.is_some_and(|(a, b)| f.last < a || f.first > b))
        .map(|f| Download {
            label: format!("{} ({})", f.name, f.file.label),
            url: feed.listing_url(&f.file.download_path()),
            size: f.file.size,
            md5: f.file.md5,
            member: f.member().to_string(),
            name: f.name.clone(),
        });
    let bad = feed.fetch_and_import(&store, downloads, &mut counts)?;
    rebuild(
        &store,
        None,
        feed.baseline,
        &listed.join(" and "),
        &mut counts,
    )?;
    Ok(report_bad(&bad))
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
    let mut counts = Counts::default();
    let mut skipped = Vec::new();
    let mut batch = Batch::default();
    let mut todo = Vec::new();
    for name in names {
        if classify(&name).is_none() {
            skipped.push(name);
        } else if !done.contains(&name) {
            todo.push(name);
        }
    }
    // Files are read and parsed on every core, de-duplicated on this thread in name order (the
    // de-duplication keeps the first copy of an event, so the order is part of the result),
    // and each full batch is written by one writer thread, in order, while the next is staged.
    // A batch's files are recorded as imported only after its rows are written, as before.
    let (to_writer, batches) = std::sync::mpsc::sync_channel::<Batch>(1);
    let written = std::thread::scope(|scope| -> Result<Vec<attache_store::events::EventPart>> {
        let writer = scope.spawn(|| -> Result<Vec<attache_store::events::EventPart>> {
            let mut parts = Vec::new();
            for b in batches {
                parts.extend(b.write(&store)?);
            }
            Ok(parts)
        });
        let staged = crate::parallel::for_each_ordered(
            &todo,
            crate::parallel::cores(),
            |_, name| {
                let path = dir.join(name);
                let bytes = contents(&path, name)?;
                parse_one(name, &bytes, &mut event::Resolutions::default())
                    .with_context(|| format!("importing {}", path.display()))
            },
            |i, parsed| {
                batch
                    .stage(&mut dedup, &todo[i], parsed, &mut counts)
                    .with_context(|| format!("importing {}", dir.join(&todo[i]).display()))?;
                if batch.rows() >= BATCH_ROWS && to_writer.send(std::mem::take(&mut batch)).is_err()
                {
                    bail!("the event writer stopped (its error follows)");
                }
                Ok(())
            },
        )
        .and_then(|()| {
            to_writer
                .send(std::mem::take(&mut batch))
                .map_err(|_| anyhow::anyhow!("the event writer stopped (its error follows)"))
        });
        drop(to_writer);
        let written = writer
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        // The writer's own error says more than "it stopped".
        let written = written?;
        staged?;
        Ok(written)
    })?;
    counts.written.extend(written);
    rebuild(
        &store,
        None,
        a.baseline,
        &dir.display().to_string(),
        &mut counts,
    )?;
    if !skipped.is_empty() {
        println!("  not event files, left alone: {}", skipped.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

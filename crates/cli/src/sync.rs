//! `attache sync`: fetch every source (web or mirror), parse it, and publish one new vintage.
//!
//! All or nothing: any error (a malformed file, an unknown country code, a failed download of a
//! required file) aborts the sync with a non-zero exit, and the staged vintage is deleted; the
//! previous vintage stays current.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Instant, SystemTime};

use anyhow::{Context, Result, bail};
use arrow::record_batch::RecordBatch;
use attache_fetch::{Fetcher, Progress};
use attache_sources::{Input, Source};
use attache_store::lockfile::{SkippedEntry, SourceEntry};
use attache_store::{FileEntry, Lockfile, TableEntry};
use clap::Args;
use sha2::{Digest, Sha256};

use crate::DataDir;
use crate::timefmt;

#[derive(Args, Clone)]
pub struct SyncArgs {
    /// Import from a local directory laid out like the data mirror (air-gapped use) instead of
    /// downloading from the publishers.
    #[arg(long, value_name = "DIR")]
    mirror: Option<PathBuf>,
    /// Only these sources (comma-separated ids, see `attache sources`); the embedded country
    /// crosswalk is always included.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Download cache (web mode). Defaults to $ATTACHE_CACHE_DIR or ~/.cache/attache.
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// Fetch from another server: replace the URL prefix FROM with TO (repeatable), e.g. a
    /// ministry's internal HTTP mirror of the publishers' files.
    #[arg(long = "rewrite-url", value_name = "FROM=TO", value_parser = parse_rewrite)]
    rewrite_url: Vec<(String, String)>,
    /// Publish even though this file (mirror path) or table fails the comparison with the current
    /// vintage (empty, more than 10% of its rows lost, or gone); repeatable. Recorded in lock.json.
    #[arg(long, value_name = "FILE|TABLE")]
    accept: Vec<String>,
    /// How many published vintages to keep (older ones are deleted after a successful sync).
    #[arg(long, default_value_t = 3)]
    keep: usize,
    #[command(flatten)]
    data: DataDir,
}

impl SyncArgs {
    pub fn data_dir(&self) -> PathBuf {
        self.data.path()
    }

    /// Syncing from a local mirror directory (not the web).
    pub fn uses_mirror(&self) -> bool {
        self.mirror.is_some()
    }

    /// The `--rewrite-url` pairs (the event follower of `attache up` uses them too).
    pub fn rewrites(&self) -> Vec<(String, String)> {
        self.rewrite_url.clone()
    }

    /// The `--cache-dir`, if given.
    pub fn cache_dir(&self) -> Option<PathBuf> {
        self.cache_dir.clone()
    }
}

/// `FROM=TO` of `--rewrite-url` (also `attache events follow|backfill`).
pub(crate) fn parse_rewrite(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .ok_or_else(|| format!("{s:?} is not FROM=TO"))
}

/// `url` with the first matching `--rewrite-url` prefix replaced (unchanged when none matches).
pub(crate) fn rewrite(rewrites: &[(String, String)], url: &str) -> String {
    rewrites
        .iter()
        .find_map(|(from, to)| {
            url.strip_prefix(from.as_str())
                .map(|rest| format!("{to}{rest}"))
        })
        .unwrap_or_else(|| url.to_string())
}

/// Where files come from.
enum Origin {
    Mirror(PathBuf),
    Web(Fetcher, Vec<(String, String)>),
}

struct Got {
    input: Input,
    url: String,
    sha256: String,
    bytes: u64,
    retrieved_at: SystemTime,
}

impl Origin {
    /// The file's bytes, or `None` when the mirror does not have it.
    fn get(&self, spec: &attache_sources::FileSpec) -> Result<Option<Got>> {
        match self {
            Origin::Mirror(dir) => {
                let p = dir.join(spec.mirror_path);
                if !p.exists() {
                    return Ok(None);
                }
                let bytes =
                    std::fs::read(&p).with_context(|| format!("reading {}", p.display()))?;
                let sha = hex::encode(Sha256::digest(&bytes));
                let n = bytes.len() as u64;
                let retrieved_at = std::fs::metadata(&p)
                    .and_then(|m| m.modified())
                    .unwrap_or_else(|_| SystemTime::now());
                Ok(Some(Got {
                    input: Input {
                        name: spec.mirror_path.to_string(),
                        bytes,
                    },
                    url: spec.url.to_string(),
                    sha256: sha,
                    bytes: n,
                    retrieved_at,
                }))
            }
            Origin::Web(fetcher, rewrites) => {
                if spec.url.is_empty() {
                    return Ok(None);
                }
                let url = rewrite(rewrites, spec.url);
                let f = match fetcher.fetch(&url, None) {
                    Ok(f) => f,
                    Err(e) if spec.optional => {
                        eprintln!("warning: optional file {} skipped: {e}", spec.mirror_path);
                        return Ok(None);
                    }
                    Err(e) => {
                        return Err(e).with_context(|| format!("downloading {}", spec.mirror_path));
                    }
                };
                let raw = std::fs::read(&f.path)
                    .with_context(|| format!("reading {}", f.path.display()))?;
                let bytes = match spec.zip_member {
                    Some(m) => attache_sources::unzip_member(&url, &raw, m)?,
                    None => raw,
                };
                if attache_sources::is_text_table(spec.mirror_path)
                    && let Some(kind) = attache_sources::binary_kind(&bytes)
                {
                    bail!(
                        "{url} served {kind}, not the text table {} that Attaché reads; the publisher \
                         offers no such file there, so import this source from a mirror (--mirror DIR)",
                        spec.mirror_path
                    );
                }
                Ok(Some(Got {
                    input: Input {
                        name: spec.mirror_path.to_string(),
                        bytes,
                    },
                    url: f.url,
                    sha256: f.sha256,
                    bytes: f.bytes,
                    retrieved_at: f.retrieved_at,
                }))
            }
        }
    }
}

pub fn run(args: SyncArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let store = args.data.store()?;
    let now = SystemTime::now();
    let id = timefmt::vintage_id(now);
    let origin = match &args.mirror {
        Some(dir) => {
            if !dir.is_dir() {
                bail!("mirror {} is not a directory", dir.display());
            }
            Origin::Mirror(dir.clone())
        }
        None => {
            let cache = args
                .cache_dir
                .clone()
                .unwrap_or_else(attache_fetch::default_cache_dir);
            // Every cached file is checked with its publisher (ETag / Last-Modified) before use.
            Origin::Web(
                Fetcher::new(cache)
                    .with_progress(Progress::auto())
                    .with_revalidation(true),
                args.rewrite_url.clone(),
            )
        }
    };
    let mut staged = store
        .begin(&id)
        .with_context(|| format!("starting vintage {id} in {}", store.root().display()))?;
    let mut lock = Lockfile {
        vintage: id.clone(),
        created_at: timefmt::rfc3339(now),
        attache_version: env!("CARGO_PKG_VERSION").to_string(),
        mode: if args.mirror.is_some() {
            "mirror".into()
        } else {
            "web".into()
        },
        mirror: args.mirror.as_ref().map(|p| p.display().to_string()),
        ..Default::default()
    };
    let mut tables: BTreeMap<String, (Vec<RecordBatch>, Vec<String>)> = BTreeMap::new();
    let sources = attache_sources::registry();
    for id in &args.only {
        if !sources.iter().any(|s| s.meta().id == **id) {
            bail!("unknown source {id:?} in --only (see `attache sources`)");
        }
    }
    // The embedded crosswalk (country_codes, neighbours) is always part of a vintage.
    let chosen: Vec<&dyn Source> = sources
        .iter()
        .filter(|s| {
            args.only.is_empty()
                || s.meta().id == "crosswalk"
                || args.only.iter().any(|o| o == s.meta().id)
        })
        .map(|s| s.as_ref())
        .collect();
    // Sources are independent: from a mirror they are read and parsed on every core, and
    // recorded here one by one in registry order, so the lock file and the output do not
    // depend on which finished first. Downloads stay one at a time (one progress bar, and
    // polite to the publishers).
    let threads = match origin {
        Origin::Mirror(_) => crate::parallel::cores(),
        Origin::Web(..) => 1,
    };
    crate::parallel::for_each_ordered(
        &chosen,
        threads,
        |_, source| fetch_and_load(*source, &origin),
        |i, fetched| record(chosen[i], fetched, &mut lock, &mut tables, &mut staged),
    )?;
    for (name, (batches, srcs)) in &tables {
        let (rows, columns) = staged
            .write_table(name, batches)
            .with_context(|| format!("writing table {name}"))?;
        lock.tables.push(TableEntry {
            name: name.clone(),
            rows,
            columns,
            sources: srcs.clone(),
        });
    }
    // Imported pledges (`attache climate import`) are the deployment's own data, not a
    // publisher's: they travel into every new vintage with their file entries.
    let current_vintage = store.current()?;
    if let Some(cv) = &current_vintage
        && cv
            .tables()?
            .iter()
            .any(|t| t == attache_store::ndc_imports::TABLE)
    {
        let table = attache_store::ndc_imports::TABLE;
        staged
            .carry_table(cv, table)
            .with_context(|| format!("carrying {table} from vintage {}", cv.id))?;
        let cl = cv.lockfile()?;
        let src = attache_store::ndc_imports::SOURCE_ID;
        lock.tables
            .extend(cl.tables.iter().filter(|t| t.name == table).cloned());
        lock.sources
            .extend(cl.sources.iter().filter(|x| x.id == src).cloned());
        lock.files
            .extend(cl.files.iter().filter(|f| f.source == src).cloned());
    }
    // Refuse what is not whole, unless accepted by name (attache_store::guard).
    let current = current_vintage
        .map(|v| v.lockfile())
        .transpose()
        .context("reading the current vintage's lock.json")?;
    let only = (!args.only.is_empty()).then_some(args.only.as_slice());
    let mut refused = Vec::new();
    let expect = expectations(sources);
    for p in attache_store::guard::compare(current.as_ref(), &lock, only, &expect) {
        if args.accept.iter().any(|a| a == p.key()) {
            eprintln!("warning: accepted: {p}");
            lock.accepted.push(p.to_string());
        } else {
            refused.push(p);
        }
    }
    if !refused.is_empty() {
        let list: Vec<String> = refused.iter().map(|p| format!("  {p}")).collect();
        let names: Vec<&str> = refused.iter().map(|p| p.key()).collect();
        bail!(
            "vintage {id} not published; the current one stays:\n{}\nIf this is right, sync again with --accept {}",
            list.join("\n"),
            names.join(" --accept ")
        );
    }
    let v = staged.publish(&lock).context("publishing the vintage")?;
    let pruned = store
        .prune(args.keep.max(1))
        .context("pruning old vintages")?;
    println!(
        "published vintage {} ({} tables, {} files) in {:.1} s{}",
        v.id,
        lock.tables.len(),
        lock.files.len(),
        started.elapsed().as_secs_f64(),
        if pruned.is_empty() {
            String::new()
        } else {
            format!("; pruned {}", pruned.join(", "))
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// What the registry's sources declare about sound files and tables ([`attache_sources::FileSpec`]).
fn expectations(sources: &[Box<dyn Source>]) -> attache_store::guard::Expectations {
    use attache_store::guard::{Expectations, FileRule};
    let mut e = Expectations::default();
    for s in sources {
        let m = s.meta();
        for f in &m.files {
            e.files.push(FileRule {
                source: m.id.into(),
                path: f.mirror_path.into(),
                min_rows: f.min_rows,
                release: f.release,
            });
        }
        e.tables
            .extend(m.tables.iter().map(|t| (m.id.to_string(), t.to_string())));
    }
    e
}

/// One source's files and what its parser made of them (`loaded` is `None` when none of its
/// files was found, and the source is skipped).
struct Fetched {
    got: Vec<Got>,
    loaded: Option<attache_sources::Loaded>,
}

/// Fetches a source's files and parses them. Touches nothing shared: safe on any thread.
fn fetch_and_load(source: &dyn Source, origin: &Origin) -> Result<Fetched> {
    let m = source.meta();
    let mut got = Vec::new();
    for spec in &m.files {
        if let Some(g) = origin.get(spec)? {
            got.push(g);
        }
    }
    if got.is_empty() && !m.files.is_empty() {
        return Ok(Fetched { got, loaded: None });
    }
    // The bytes move to the parser's inputs (no copy) and are freed once it has parsed them.
    let inputs: Vec<Input> = got
        .iter_mut()
        .map(|g| Input {
            name: g.input.name.clone(),
            bytes: std::mem::take(&mut g.input.bytes),
        })
        .collect();
    let loaded = source
        .load(&inputs)
        .with_context(|| format!("source {} ({})", m.id, m.title))?;
    Ok(Fetched {
        got,
        loaded: Some(loaded),
    })
}

/// Records a fetched source in the vintage being staged: its tables, artifacts, files and
/// source entries in the lock, and one line of output.
fn record(
    source: &dyn Source,
    fetched: Fetched,
    lock: &mut Lockfile,
    tables: &mut BTreeMap<String, (Vec<RecordBatch>, Vec<String>)>,
    staged: &mut attache_store::StagedVintage,
) -> Result<()> {
    let m = source.meta();
    let Fetched { got, loaded } = fetched;
    let Some(loaded) = loaded else {
        // The lockfile names the mirror once (`mirror`); the reason, shown on the public
        // /sources page, names no path on this machine.
        let reason = if lock.mirror.is_some() {
            "none of its files is in the mirror"
        } else {
            "no downloadable file"
        };
        let place = lock
            .mirror
            .as_ref()
            .map_or(String::new(), |d| format!(" {d}"));
        println!("{:<22} skipped: {reason}{place}", m.id);
        lock.skipped.push(SkippedEntry {
            source: m.id.into(),
            reason: reason.to_string(),
        });
        return Ok(());
    };
    let mut rows_by_table: BTreeMap<String, u64> = BTreeMap::new();
    for t in loaded.tables {
        *rows_by_table.entry(t.table.clone()).or_default() += t.batch.num_rows() as u64;
        let e = tables.entry(t.table).or_default();
        e.0.push(t.batch);
        if !e.1.iter().any(|s| s == m.id) {
            e.1.push(m.id.to_string());
        }
    }
    for (name, bytes) in &loaded.artifacts {
        staged
            .write_artifact(name, bytes)
            .with_context(|| format!("keeping {name}"))?;
    }
    let mut excluded = 0;
    for (file, stats) in loaded.stats {
        let g = got.iter().find(|g| g.input.name == file);
        excluded += stats.rows_excluded();
        lock.files.push(FileEntry {
            source: m.id.into(),
            path: file.clone(),
            url: g.map(|g| g.url.clone()).unwrap_or_default(),
            sha256: g.map(|g| g.sha256.clone()).unwrap_or_default(),
            bytes: g.map_or(0, |g| g.bytes),
            rows_read: stats.rows_read,
            rows_loaded: stats.rows_loaded,
            rows_excluded: stats.rows_excluded(),
            excluded: stats.excluded,
            adjusted: stats.adjusted,
            retrieved_at: g
                .map(|g| timefmt::rfc3339(g.retrieved_at))
                .unwrap_or_default(),
            licence: m.licence.into(),
        });
    }
    lock.sources.push(SourceEntry {
        id: m.id.into(),
        title: m.title.into(),
        publisher: m.publisher.into(),
        licence: m.licence.into(),
        citation: m.citation.into(),
        homepage: m.homepage.into(),
        publication_lag: m.lag.to_string(),
        tables: m.tables.iter().map(|s| s.to_string()).collect(),
    });
    let summary: Vec<String> = rows_by_table
        .iter()
        .map(|(t, n)| format!("{t} {n}"))
        .collect();
    println!(
        "{:<22} {} file(s): {} rows{}",
        m.id,
        got.len().max(usize::from(m.files.is_empty())),
        summary.join(", "),
        if excluded > 0 {
            format!(" ({excluded} excluded, see lock.json)")
        } else {
            String::new()
        }
    );
    Ok(())
}

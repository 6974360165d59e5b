//! The event store: GDELT and ICEWS events appended as they arrive (`attache events import`),
//! beside the vintages rather than inside one, because event feeds grow every 15 minutes
//! while a vintage is immutable. Layout under `<data-dir>/events/`:
//!
//! - `events/day=YYYY-MM-DD/<file>.parquet`: one part per imported file and day (the
//!   publisher's fields kept, plus the ISO3 codes resolved through the crosswalk);
//! - `event_mentions/<file>.parquet`: GDELT mentions;
//! - `event_gaps/gaps.parquet`: the 15-minute GDELT slots that should exist between the first
//!   and the last imported one and were not imported (never skipped silently);
//! - `event_index/index.parquet`: per country and dyad and day, the counts of
//!   `attache_events::index` (QuadClass, CAMEO root, Goldstein, tone, sources, articles,
//!   share of the day's volume, z-scores), rebuilt from every stored event;
//! - `alerts/alerts.parquet`: the alerts the rules of `attache_events::alerts::monitor` raise
//!   on the daily country index (negative-binomial CUSUM on material-conflict counts, shifts
//!   of Goldstein, tone and conflict share), each with its value, threshold, explanation and
//!   evidence (the events and their source URLs, as JSON), rebuilt with the index;
//! - `imported.txt`: the files imported, one per line (name, kind, events kept).
//!
//! **Whole or nothing, per file.** Every part is written to a temporary name, fsynced and
//! renamed; a file counts as imported only once its line is in `imported.txt`, written last.
//! A run killed at any instant leaves the parts of whole files, possibly one file's parts
//! without its line: the next run imports that file again and de-duplicates on the
//! publisher's key (`attache_events::Dedup`), so nothing is lost or counted twice. Every
//! vintage's SQL session registers these tables (`Vintage::session`).

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, Float64Array, Int64Array, StringArray, UInt64Array};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use attache_core::Date;
use attache_events::index::{IndexRow, Scope};
use attache_events::slots::Gap;
use attache_events::{Event, EventKey, Mention, Source};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::{Result, StoreError, io};

/// The event tables, as registered in SQL sessions.
pub const TABLES: [&str; 5] = [
    "events",
    "event_mentions",
    "event_gaps",
    "event_index",
    "alerts",
];

fn internal(table: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Internal {
        table: table.to_string(),
        message: e.to_string(),
    }
}

/// The event store of a data dir.
#[derive(Debug, Clone)]
pub struct EventStore {
    root: PathBuf,
}

/// A file the store has imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedFile {
    pub name: String,
    pub kind: String,
    pub kept: u64,
}

impl EventStore {
    /// The store under `<data_dir>/events` (created on the first write).
    pub fn new(data_dir: &Path) -> EventStore {
        EventStore {
            root: data_dir.join("events"),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The directory of `table` (one of [`TABLES`]).
    pub fn table_dir(&self, table: &str) -> PathBuf {
        self.root.join(table)
    }

    /// Whether `table` holds at least one Parquet file.
    pub fn has(&self, table: &str) -> bool {
        parquet_files(&self.table_dir(table)).is_ok_and(|f| !f.is_empty())
    }

    /// The files imported so far, in order.
    pub fn imported(&self) -> Result<Vec<ImportedFile>> {
        let p = self.root.join("imported.txt");
        let text = match fs::read_to_string(&p) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io(&p)(e)),
        };
        text.lines()
            .filter(|l| !l.is_empty())
            .map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                match f.as_slice() {
                    [name, kind, kept] => Ok(ImportedFile {
                        name: name.to_string(),
                        kind: kind.to_string(),
                        kept: kept.parse().map_err(|_| StoreError::Corrupt {
                            path: p.clone(),
                            message: format!("bad count in {l:?}"),
                        })?,
                    }),
                    _ => Err(StoreError::Corrupt {
                        path: p.clone(),
                        message: format!("bad line {l:?}"),
                    }),
                }
            })
            .collect()
    }

    /// Records `file` as imported (appended and fsynced: the last step of a file's import).
    pub fn mark_imported(&self, file: &ImportedFile) -> Result<()> {
        self.mark_all_imported(std::slice::from_ref(file))
    }

    /// Records `files` as imported in one append and one fsync (the last step of importing a
    /// batch of files whose rows were written together).
    pub fn mark_all_imported(&self, files: &[ImportedFile]) -> Result<()> {
        if files.is_empty() {
            return Ok(());
        }
        fs::create_dir_all(&self.root).map_err(io(&self.root))?;
        let p = self.root.join("imported.txt");
        let mut text = String::new();
        for file in files {
            text.push_str(&format!("{}\t{}\t{}\n", file.name, file.kind, file.kept));
        }
        let mut f = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&p)
            .map_err(io(&p))?;
        f.write_all(text.as_bytes()).map_err(io(&p))?;
        f.sync_all().map_err(io(&p))
    }

    /// Every stored event's key (to de-duplicate new files against).
    pub fn known_keys(&self) -> Result<Vec<EventKey>> {
        let mut out = Vec::new();
        for p in parquet_files(&self.table_dir("events"))? {
            for b in read_parquet(&p)? {
                let src = col_str(&b, "source", &p)?;
                let id = col_u64(&b, "event_id", &p)?;
                let date = col_str(&b, "date", &p)?;
                for i in 0..b.num_rows() {
                    let key = match src.value(i) {
                        "gdelt" => EventKey::Gdelt(id.value(i)),
                        _ => EventKey::Icews {
                            event_id: id.value(i),
                            date: date
                                .value(i)
                                .parse()
                                .map_err(|e: attache_core::DateError| StoreError::Corrupt {
                                    path: p.clone(),
                                    message: e.to_string(),
                                })?,
                        },
                    };
                    out.push(key);
                }
            }
        }
        Ok(out)
    }

    /// Every stored event.
    pub fn events(&self) -> Result<Vec<Event>> {
        self.events_with(Vec::new())
    }

    /// Every stored event, in the store's order (by day, then part), taking the parts in
    /// `in_hand` (just written by this process, see [`EventStore::append_events`]) from memory
    /// instead of reading them back: the same rows in the same order as [`EventStore::events`].
    pub fn events_with(&self, in_hand: Vec<EventPart>) -> Result<Vec<Event>> {
        let parts = self.parts_with(in_hand)?;
        let mut out = Vec::with_capacity(parts.iter().map(|p| p.events.len()).sum());
        for p in parts {
            out.extend(p.events);
        }
        Ok(out)
    }

    /// [`EventStore::events_with`] as the parts, in the store's order, not joined into one
    /// vector (a day of GDELT is 80 MB of events: a reader that only iterates needs no copy).
    pub fn parts_with(&self, in_hand: Vec<EventPart>) -> Result<Vec<EventPart>> {
        let dir = self.table_dir("events");
        let known: BTreeSet<(String, String)> = in_hand.iter().map(|p| p.key.clone()).collect();
        let mut to_read = Vec::new();
        for p in parquet_files(&dir)? {
            let key = part_key(&p);
            if !known.contains(&key) {
                to_read.push((key, p));
            }
        }
        let read = |files: &[((String, String), PathBuf)]| -> Result<Vec<EventPart>> {
            let mut out = Vec::new();
            for (key, p) in files {
                let mut events = Vec::new();
                for b in read_parquet(p)? {
                    events.extend(events_from_batch(&b, p)?);
                }
                out.push(EventPart {
                    key: key.clone(),
                    events,
                });
            }
            Ok(out)
        };
        // The parts are read by two threads, each a contiguous half.
        let (a, b) = to_read.split_at(to_read.len() / 2);
        let (first, second) = std::thread::scope(|s| {
            let h = s.spawn(|| read(a));
            let second = read(b);
            // A panic in the reader is a bug: carried on as one.
            let first = h.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
            (first, second)
        });
        let mut parts = first?;
        parts.extend(second?);
        parts.extend(in_hand);
        // The order of the files on disk (their paths sort by day directory, then file name).
        parts.sort_by(|x, y| x.key.cmp(&y.key));
        Ok(parts)
    }

    /// Every stored mention.
    pub fn mentions(&self) -> Result<Vec<Mention>> {
        let mut out = Vec::new();
        for p in parquet_files(&self.table_dir("event_mentions"))? {
            for b in read_parquet(&p)? {
                let id = col_u64(&b, "event_id", &p)?;
                let time = col_i64(&b, "time_unix", &p)?;
                let src = col_str(&b, "source_name", &p)?;
                let ident = col_str(&b, "identifier", &p)?;
                let tone = col_f64(&b, "doc_tone", &p)?;
                for i in 0..b.num_rows() {
                    out.push(Mention {
                        event_id: id.value(i),
                        time: attache_events::UtcTime(time.value(i)),
                        source_name: src.value(i).to_string(),
                        identifier: ident.value(i).to_string(),
                        doc_tone: tone.value(i),
                    });
                }
            }
        }
        Ok(out)
    }

    /// Writes `events` (from the file or batch of files named `stem`) as one part per day, and
    /// hands the parts back (for [`EventStore::events_with`]).
    pub fn append_events(&self, stem: &str, events: Vec<Event>) -> Result<Vec<EventPart>> {
        let mut by_day: BTreeMap<Date, Vec<Event>> = BTreeMap::new();
        for e in events {
            by_day.entry(e.date).or_default().push(e);
        }
        let mut parts = Vec::with_capacity(by_day.len());
        for (day, evs) in by_day {
            let day_dir = format!("day={day}");
            let file = format!("{stem}.parquet");
            let refs: Vec<&Event> = evs.iter().collect();
            write_parquet(
                &self.table_dir("events").join(&day_dir),
                &file,
                &events_batch(&refs)?,
            )?;
            parts.push(EventPart {
                key: (day_dir, file),
                events: evs,
            });
        }
        Ok(parts)
    }

    /// Writes `mentions` (from the file or batch of files named `stem`).
    pub fn append_mentions(&self, stem: &str, mentions: &[Mention]) -> Result<()> {
        if mentions.is_empty() {
            return Ok(());
        }
        write_parquet(
            &self.table_dir("event_mentions"),
            &format!("{stem}.parquet"),
            &mentions_batch(mentions)?,
        )
    }

    /// Replaces the gaps table.
    pub fn write_gaps(&self, gaps: &[Gap]) -> Result<()> {
        let schema = Arc::new(Schema::new(vec![
            Field::new("first_slot", DataType::Utf8, false),
            Field::new("last_slot", DataType::Utf8, false),
            Field::new("missing", DataType::Int64, false),
        ]));
        let b = RecordBatch::try_new(
            schema,
            vec![
                Arc::new(StringArray::from(
                    gaps.iter().map(|g| g.first.stamp()).collect::<Vec<_>>(),
                )),
                Arc::new(StringArray::from(
                    gaps.iter().map(|g| g.last.stamp()).collect::<Vec<_>>(),
                )),
                Arc::new(Int64Array::from(
                    gaps.iter().map(|g| g.len()).collect::<Vec<_>>(),
                )),
            ],
        )
        .map_err(|e| internal("event_gaps", e))?;
        write_parquet(&self.table_dir("event_gaps"), "gaps.parquet", &b)
    }

    /// Replaces the alerts table.
    pub fn write_alerts(&self, alerts: &[attache_events::alerts::Alert]) -> Result<()> {
        let s = |f: &dyn Fn(&attache_events::alerts::Alert) -> String| -> ArrayRef {
            Arc::new(StringArray::from(alerts.iter().map(f).collect::<Vec<_>>()))
        };
        let fl = |f: &dyn Fn(&attache_events::alerts::Alert) -> f64| -> ArrayRef {
            Arc::new(Float64Array::from(alerts.iter().map(f).collect::<Vec<_>>()))
        };
        let evidence = |a: &attache_events::alerts::Alert| {
            serde_json::Value::Array(
                a.evidence
                    .iter()
                    .map(|e| {
                        serde_json::json!({"id": e.id, "date": e.date.to_string(), "value": e.value, "url": e.url, "note": e.note})
                    })
                    .collect(),
            )
            .to_string()
        };
        let fields = vec![
            Field::new("id", DataType::Utf8, false),
            Field::new("rule", DataType::Utf8, false),
            Field::new("iso3", DataType::Utf8, false),
            Field::new("raised_on", DataType::Utf8, false),
            Field::new("level", DataType::Utf8, false),
            Field::new("value", DataType::Float64, false),
            Field::new("threshold", DataType::Float64, false),
            Field::new("explanation", DataType::Utf8, false),
            Field::new("evidence_rows", DataType::UInt64, false),
            Field::new("evidence", DataType::Utf8, false),
        ];
        let cols: Vec<ArrayRef> = vec![
            s(&|a| a.id()),
            s(&|a| a.rule.as_str().to_string()),
            s(&|a| a.country.clone()),
            s(&|a| a.raised_on.to_string()),
            s(&|a| format!("{:?}", a.level).to_lowercase()),
            fl(&|a| a.value),
            fl(&|a| a.threshold),
            s(&|a| a.explanation.clone()),
            Arc::new(UInt64Array::from(
                alerts
                    .iter()
                    .map(|a| a.evidence.len() as u64)
                    .collect::<Vec<_>>(),
            )),
            s(&evidence),
        ];
        let b = RecordBatch::try_new(Arc::new(Schema::new(fields)), cols)
            .map_err(|e| internal("alerts", e))?;
        write_parquet(&self.table_dir("alerts"), "alerts.parquet", &b)
    }

    /// Replaces the index table.
    pub fn write_index(&self, rows: &[IndexRow]) -> Result<()> {
        write_parquet(
            &self.table_dir("event_index"),
            "index.parquet",
            &index_batch(rows)?,
        )
    }
}

/// One written part of the `events` table: its day directory and file name, and its rows.
#[derive(Debug, Clone)]
pub struct EventPart {
    key: (String, String),
    events: Vec<Event>,
}

impl EventPart {
    /// The part's rows.
    pub fn events(&self) -> &[Event] {
        &self.events
    }
}

/// A part's day directory and file name (what its path sorts by under the table).
fn part_key(p: &Path) -> (String, String) {
    let name = |p: Option<&Path>| {
        p.and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    (name(p.parent()), name(Some(p)))
}

/// Parquet files under `dir`, sorted (none when it does not exist).
fn parquet_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let Ok(rd) = fs::read_dir(dir) else {
        return Ok(out);
    };
    for e in rd {
        let e = e.map_err(io(dir))?;
        let p = e.path();
        if p.is_dir() {
            out.extend(parquet_files(&p)?);
        } else if p.extension().is_some_and(|x| x == "parquet") {
            out.push(p);
        }
    }
    out.sort();
    Ok(out)
}

fn read_parquet(p: &Path) -> Result<Vec<RecordBatch>> {
    // Read whole, then decoded from memory: the reader over a `File` duplicates and seeks the
    // descriptor for every column chunk (61 columns x each day part).
    let f = bytes::Bytes::from(fs::read(p).map_err(io(p))?);
    let corrupt = |e: &dyn std::fmt::Display| StoreError::Corrupt {
        path: p.to_path_buf(),
        message: e.to_string(),
    };
    let r = ParquetRecordBatchReaderBuilder::try_new(f)
        .map_err(|e| corrupt(&e))?
        .build()
        .map_err(|e| corrupt(&e))?;
    r.collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| corrupt(&e))
}

/// Writes `b` as `dir/name` through a temporary file, fsynced, then renamed.
fn write_parquet(dir: &Path, name: &str, b: &RecordBatch) -> Result<()> {
    fs::create_dir_all(dir).map_err(io(dir))?;
    let tmp = dir.join(format!(".{name}.tmp"));
    let f = File::create(&tmp).map_err(io(&tmp))?;
    // Statistics per column chunk, not per page as well: pages of a day's part are never
    // pruned one by one, and page statistics of the text columns were a tenth of the write.
    let props = parquet::file::properties::WriterProperties::builder()
        .set_statistics_enabled(parquet::file::properties::EnabledStatistics::Chunk)
        .build();
    let mut w = ArrowWriter::try_new(f, b.schema(), Some(props)).map_err(|e| internal(name, e))?;
    w.write(b).map_err(|e| internal(name, e))?;
    let f = w.into_inner().map_err(|e| internal(name, e))?;
    f.sync_all().map_err(io(&tmp))?;
    let dst = dir.join(name);
    fs::rename(&tmp, &dst).map_err(io(&dst))?;
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

macro_rules! col {
    ($name:ident, $ty:ty) => {
        fn $name<'a>(b: &'a RecordBatch, c: &str, p: &Path) -> Result<&'a $ty> {
            b.column_by_name(c)
                .and_then(|a| a.as_any().downcast_ref::<$ty>())
                .ok_or_else(|| StoreError::Corrupt {
                    path: p.to_path_buf(),
                    message: format!("column {c} missing or of another type"),
                })
        }
    };
}
col!(col_str, StringArray);
col!(col_u64, UInt64Array);
col!(col_i64, Int64Array);
col!(col_f64, Float64Array);

fn opt_str(a: &StringArray, i: usize) -> Option<String> {
    (!a.is_null(i)).then(|| a.value(i).to_string())
}

fn opt_f64(a: &Float64Array, i: usize) -> Option<f64> {
    (!a.is_null(i)).then(|| a.value(i))
}

fn events_batch(evs: &[&Event]) -> Result<RecordBatch> {
    // Text columns are built from borrowed strings (no copy per cell before Arrow's own).
    let s = |f: &dyn Fn(&Event) -> &str| -> ArrayRef {
        Arc::new(StringArray::from_iter_values(evs.iter().map(|e| f(e))))
    };
    let o = |f: &dyn Fn(&Event) -> Option<&str>| -> ArrayRef {
        Arc::new(evs.iter().map(|e| f(e)).collect::<StringArray>())
    };
    let fl = |f: &dyn Fn(&Event) -> Option<f64>| -> ArrayRef {
        Arc::new(evs.iter().map(|e| f(e)).collect::<Float64Array>())
    };
    let u = |f: &dyn Fn(&Event) -> u64| -> ArrayRef {
        Arc::new(UInt64Array::from_iter_values(evs.iter().map(|e| f(e))))
    };
    // Dates and time stamps repeat (a part holds one day; a file one 15-minute slot).
    let mut dates: BTreeMap<Date, String> = BTreeMap::new();
    let mut added: BTreeMap<i64, String> = BTreeMap::new();
    for e in evs {
        dates.entry(e.date).or_insert_with(|| e.date.to_string());
        if let Some(t) = e.added {
            added.entry(t.0).or_insert_with(|| t.compact());
        }
    }
    let fields = vec![
        Field::new("source", DataType::Utf8, false),
        Field::new("event_id", DataType::UInt64, false),
        Field::new("date", DataType::Utf8, false),
        Field::new("cameo", DataType::Utf8, false),
        Field::new("root", DataType::UInt64, false),
        Field::new("quad_class", DataType::UInt64, false),
        Field::new("goldstein", DataType::Float64, true),
        Field::new("tone", DataType::Float64, true),
        Field::new("actor1_country", DataType::Utf8, false),
        Field::new("actor2_country", DataType::Utf8, false),
        Field::new("place", DataType::Utf8, false),
        Field::new("num_mentions", DataType::UInt64, false),
        Field::new("num_sources", DataType::UInt64, false),
        Field::new("num_articles", DataType::UInt64, false),
        Field::new("outlet", DataType::Utf8, false),
        Field::new("article", DataType::Utf8, false),
        Field::new("added", DataType::Utf8, true),
        Field::new("iso3", DataType::Utf8, true),
        Field::new("actor1_iso3", DataType::Utf8, true),
        Field::new("actor2_iso3", DataType::Utf8, true),
    ];
    let cols: Vec<ArrayRef> = vec![
        s(&|e| e.source().as_str()),
        u(&|e| match e.key {
            EventKey::Gdelt(id) => id,
            EventKey::Icews { event_id, .. } => event_id,
        }),
        Arc::new(StringArray::from_iter_values(
            evs.iter().map(|e| dates[&e.date].as_str()),
        )),
        s(&|e| &e.cameo),
        u(&|e| u64::from(e.root)),
        u(&|e| u64::from(e.quad_class.number())),
        fl(&|e| e.goldstein),
        fl(&|e| e.tone),
        s(&|e| &e.actor1_country),
        s(&|e| &e.actor2_country),
        s(&|e| &e.place),
        u(&|e| u64::from(e.num_mentions)),
        u(&|e| u64::from(e.num_sources)),
        u(&|e| u64::from(e.num_articles)),
        s(&|e| &e.outlet),
        s(&|e| &e.article),
        Arc::new(
            evs.iter()
                .map(|e| e.added.map(|t| added[&t.0].as_str()))
                .collect::<StringArray>(),
        ),
        o(&|e| e.iso3.as_deref()),
        o(&|e| e.actor1_iso3.as_deref()),
        o(&|e| e.actor2_iso3.as_deref()),
    ];
    RecordBatch::try_new(Arc::new(Schema::new(fields)), cols).map_err(|e| internal("events", e))
}

fn events_from_batch(b: &RecordBatch, p: &Path) -> Result<Vec<Event>> {
    let corrupt = |m: String| StoreError::Corrupt {
        path: p.to_path_buf(),
        message: m,
    };
    let (src, id, date, cameo) = (
        col_str(b, "source", p)?,
        col_u64(b, "event_id", p)?,
        col_str(b, "date", p)?,
        col_str(b, "cameo", p)?,
    );
    let (root, quad, gold, tone) = (
        col_u64(b, "root", p)?,
        col_u64(b, "quad_class", p)?,
        col_f64(b, "goldstein", p)?,
        col_f64(b, "tone", p)?,
    );
    let (a1, a2, place, outlet, article, added) = (
        col_str(b, "actor1_country", p)?,
        col_str(b, "actor2_country", p)?,
        col_str(b, "place", p)?,
        col_str(b, "outlet", p)?,
        col_str(b, "article", p)?,
        col_str(b, "added", p)?,
    );
    let (nm, ns, na) = (
        col_u64(b, "num_mentions", p)?,
        col_u64(b, "num_sources", p)?,
        col_u64(b, "num_articles", p)?,
    );
    let (iso, i1, i2) = (
        col_str(b, "iso3", p)?,
        col_str(b, "actor1_iso3", p)?,
        col_str(b, "actor2_iso3", p)?,
    );
    let mut out = Vec::with_capacity(b.num_rows());
    for i in 0..b.num_rows() {
        let d: Date = date
            .value(i)
            .parse()
            .map_err(|e: attache_core::DateError| corrupt(e.to_string()))?;
        let key = match src.value(i) {
            "gdelt" => EventKey::Gdelt(id.value(i)),
            "icews" => EventKey::Icews {
                event_id: id.value(i),
                date: d,
            },
            other => return Err(corrupt(format!("unknown source {other:?}"))),
        };
        let q = attache_events::QuadClass::from_number(quad.value(i) as u8)
            .ok_or_else(|| corrupt(format!("quad class {}", quad.value(i))))?;
        out.push(Event {
            key,
            date: d,
            cameo: cameo.value(i).to_string(),
            root: root.value(i) as u8,
            quad_class: q,
            goldstein: opt_f64(gold, i),
            tone: opt_f64(tone, i),
            actor1_country: a1.value(i).to_string(),
            actor2_country: a2.value(i).to_string(),
            place: place.value(i).to_string(),
            num_mentions: nm.value(i) as u32,
            num_sources: ns.value(i) as u32,
            num_articles: na.value(i) as u32,
            outlet: outlet.value(i).to_string(),
            article: article.value(i).to_string(),
            added: match opt_str(added, i) {
                Some(t) => Some(
                    attache_events::UtcTime::parse_compact(&t)
                        .map_err(|e| corrupt(e.to_string()))?,
                ),
                None => None,
            },
            iso3: opt_str(iso, i),
            actor1_iso3: opt_str(i1, i),
            actor2_iso3: opt_str(i2, i),
        });
    }
    Ok(out)
}

fn mentions_batch(ms: &[Mention]) -> Result<RecordBatch> {
    let schema = Arc::new(Schema::new(vec![
        Field::new("event_id", DataType::UInt64, false),
        Field::new("time_unix", DataType::Int64, false),
        Field::new("time", DataType::Utf8, false),
        Field::new("source_name", DataType::Utf8, false),
        Field::new("identifier", DataType::Utf8, false),
        Field::new("doc_tone", DataType::Float64, false),
    ]));
    RecordBatch::try_new(
        schema,
        vec![
            Arc::new(UInt64Array::from(
                ms.iter().map(|m| m.event_id).collect::<Vec<_>>(),
            )),
            Arc::new(Int64Array::from(
                ms.iter().map(|m| m.time.0).collect::<Vec<_>>(),
            )),
            Arc::new(StringArray::from(
                ms.iter().map(|m| m.time.compact()).collect::<Vec<_>>(),
            )),
            Arc::new(StringArray::from(
                ms.iter().map(|m| m.source_name.clone()).collect::<Vec<_>>(),
            )),
            Arc::new(StringArray::from(
                ms.iter().map(|m| m.identifier.clone()).collect::<Vec<_>>(),
            )),
            Arc::new(Float64Array::from(
                ms.iter().map(|m| m.doc_tone).collect::<Vec<_>>(),
            )),
        ],
    )
    .map_err(|e| internal("event_mentions", e))
}

fn index_batch(rows: &[IndexRow]) -> Result<RecordBatch> {
    let mut fields = vec![
        Field::new("source", DataType::Utf8, false),
        Field::new("scope", DataType::Utf8, false),
        Field::new("iso3", DataType::Utf8, true),
        Field::new("actor1_iso3", DataType::Utf8, true),
        Field::new("actor2_iso3", DataType::Utf8, true),
        Field::new("granularity", DataType::Utf8, false),
        Field::new("period", DataType::Utf8, false),
        Field::new("events", DataType::UInt64, false),
    ];
    let mut cols: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from(
            rows.iter().map(|r| r.source.as_str()).collect::<Vec<_>>(),
        )),
        Arc::new(StringArray::from(
            rows.iter()
                .map(|r| match r.scope {
                    Scope::Country(_) => "country",
                    Scope::Dyad(..) => "dyad",
                })
                .collect::<Vec<_>>(),
        )),
        Arc::new(StringArray::from(
            rows.iter()
                .map(|r| match &r.scope {
                    Scope::Country(c) => Some(c.clone()),
                    Scope::Dyad(..) => None,
                })
                .collect::<Vec<_>>(),
        )),
        Arc::new(StringArray::from(
            rows.iter()
                .map(|r| match &r.scope {
                    Scope::Dyad(a, _) => Some(a.clone()),
                    Scope::Country(_) => None,
                })
                .collect::<Vec<_>>(),
        )),
        Arc::new(StringArray::from(
            rows.iter()
                .map(|r| match &r.scope {
                    Scope::Dyad(_, b) => Some(b.clone()),
                    Scope::Country(_) => None,
                })
                .collect::<Vec<_>>(),
        )),
        Arc::new(StringArray::from(
            rows.iter()
                .map(|r| r.period.granularity.as_str())
                .collect::<Vec<_>>(),
        )),
        Arc::new(StringArray::from(
            rows.iter()
                .map(|r| r.period.start.to_string())
                .collect::<Vec<_>>(),
        )),
        Arc::new(UInt64Array::from(
            rows.iter().map(|r| r.events).collect::<Vec<_>>(),
        )),
    ];
    for q in 0..4 {
        fields.push(Field::new(
            format!("quad{}", q + 1),
            DataType::UInt64,
            false,
        ));
        cols.push(Arc::new(UInt64Array::from(
            rows.iter().map(|r| r.by_quad[q]).collect::<Vec<_>>(),
        )));
    }
    for k in 0..20 {
        fields.push(Field::new(
            format!("root{:02}", k + 1),
            DataType::UInt64,
            false,
        ));
        cols.push(Arc::new(UInt64Array::from(
            rows.iter().map(|r| r.by_root[k]).collect::<Vec<_>>(),
        )));
    }
    let f = |name: &str, v: Vec<Option<f64>>, fields: &mut Vec<Field>, cols: &mut Vec<ArrayRef>| {
        fields.push(Field::new(name, DataType::Float64, true));
        cols.push(Arc::new(Float64Array::from(v)));
    };
    f(
        "goldstein_sum",
        rows.iter().map(|r| Some(r.goldstein_sum)).collect(),
        &mut fields,
        &mut cols,
    );
    f(
        "goldstein_mean",
        rows.iter().map(|r| r.goldstein_mean).collect(),
        &mut fields,
        &mut cols,
    );
    f(
        "tone_mean",
        rows.iter().map(|r| r.tone_mean).collect(),
        &mut fields,
        &mut cols,
    );
    fields.push(Field::new("distinct_sources", DataType::UInt64, false));
    cols.push(Arc::new(UInt64Array::from(
        rows.iter().map(|r| r.distinct_sources).collect::<Vec<_>>(),
    )));
    fields.push(Field::new("distinct_articles", DataType::UInt64, false));
    cols.push(Arc::new(UInt64Array::from(
        rows.iter().map(|r| r.distinct_articles).collect::<Vec<_>>(),
    )));
    fields.push(Field::new("volume", DataType::UInt64, false));
    cols.push(Arc::new(UInt64Array::from(
        rows.iter().map(|r| r.volume).collect::<Vec<_>>(),
    )));
    f(
        "share",
        rows.iter().map(|r| Some(r.share)).collect(),
        &mut fields,
        &mut cols,
    );
    f(
        "z_events",
        rows.iter().map(|r| r.z_events).collect(),
        &mut fields,
        &mut cols,
    );
    f(
        "z_share",
        rows.iter().map(|r| r.z_share).collect(),
        &mut fields,
        &mut cols,
    );
    RecordBatch::try_new(Arc::new(Schema::new(fields)), cols)
        .map_err(|e| internal("event_index", e))
}

/// Which source an imported file belongs to, from its name: GDELT 2.0 exports and mentions
/// (`YYYYMMDDHHMMSS.export.CSV[.zip]`, `...mentions.CSV[.zip]`) and ICEWS (`*.tab`).
pub fn classify(name: &str) -> Option<(Source, &'static str)> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".export.csv") || lower.ends_with(".export.csv.zip") {
        Some((Source::Gdelt, "export"))
    } else if lower.ends_with(".mentions.csv") || lower.ends_with(".mentions.csv.zip") {
        Some((Source::Gdelt, "mentions"))
    } else if lower.ends_with(".tab") {
        Some((Source::Icews, "icews"))
    } else {
        None
    }
}

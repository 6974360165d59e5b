//! The vintaged Parquet store, queried with Apache DataFusion.
//!
//! Layout under the data dir:
//!
//! ```text
//! vintages/<id>/tables/<table>/data.parquet   one file per normalised table
//! vintages/<id>/artifacts/<mirror path>        files kept byte-for-byte (map TopoJSON)
//! vintages/<id>/lock.json                      what went in: per file url, sha256, rows read/loaded/excluded
//! vintages/.staging-<id>/                      a vintage being written (never read)
//! CURRENT                                      the id of the published vintage
//! sync.lock                                    held (flock) while a sync runs
//! ```
//!
//! Publication is write-then-rename twice: the staging dir is renamed to its final name, then
//! `CURRENT.tmp` is renamed over `CURRENT`. A sync that fails or is killed at any point leaves
//! `CURRENT` naming the previous vintage, which stays complete and queryable.

mod cells;
pub mod engine;
pub mod epidemic_inputs;
pub mod events;
pub mod forecasts;
pub mod freshness;
pub mod guard;
pub mod index_inputs;
pub mod lockfile;
pub mod ndc_imports;
pub mod ndc_registry;
pub mod panel_inputs;
pub mod pledge_inputs;
pub mod predictors;
pub mod signals;
pub mod speech_inputs;
pub mod trackers;
pub mod trade_inputs;
pub mod votes_inputs;

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::arrow::record_batch::RecordBatch;
use datafusion::execution::context::SQLOptions;
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

pub use engine::{Embedded, Engine};
pub use forecasts::{
    CountryOutlook, DriverRecord, ForecastRun, ForecastStore, MonthOutlook, NoveltyRecord, RunMeta,
};
pub use lockfile::{FileEntry, Lockfile, TableEntry};

/// Store errors, classified by who is to blame: the user's input or environment, or us.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("no data yet in {0}: run `attache sync` first")]
    Empty(PathBuf),
    #[error("{dir}: another sync is running (lock {lock} is held)")]
    Busy { dir: PathBuf, lock: PathBuf },
    /// The user named a vintage the data dir does not hold.
    #[error("{dir} has no published vintage {id:?} (see `attache vintages list`)")]
    NoVintage { dir: PathBuf, id: String },
    #[error("{path}: corrupt store metadata: {message}")]
    Corrupt { path: PathBuf, message: String },
    #[error("SQL: {0}")]
    Query(String),
    /// A statement that would change something (DDL, DML, COPY, SET, ...): the store's SQL
    /// only reads.
    #[error(
        "SQL: {statement} is refused: SQL over a vintage is read-only (a vintage is immutable; `attache sync` publishes new data); use SELECT, EXPLAIN or SHOW"
    )]
    ReadOnly { statement: String },
    /// A vintage that cannot give the forecaster's as-of panel (see `panel_inputs`).
    #[error("as-of panel: {0}")]
    Panel(String),
    /// The engine SQL runs on could not give a context (a cluster's address or settings).
    #[error("SQL engine: {0}")]
    Engine(String),
    /// A table a reader needs is not in the vintage: the operator's to fix by syncing.
    #[error(
        "vintage {vintage} has no table `{table}` (source `{source_id}`): run `attache sync` first"
    )]
    MissingTable {
        vintage: String,
        table: &'static str,
        source_id: attache_core::SourceId,
    },
    #[error("internal error writing table {table}: {message}")]
    Internal { table: String, message: String },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |error| StoreError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// A data dir, and the engine its SQL runs on.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
    engine: Arc<dyn Engine>,
}

/// A published, immutable vintage.
#[derive(Debug, Clone)]
pub struct Vintage {
    pub id: String,
    pub dir: PathBuf,
    engine: Arc<dyn Engine>,
}

impl Vintage {
    pub fn lockfile(&self) -> Result<Lockfile> {
        let p = self.dir.join("lock.json");
        let text = fs::read_to_string(&p).map_err(io(&p))?;
        serde_json::from_str(&text).map_err(|e| StoreError::Corrupt {
            path: p,
            message: e.to_string(),
        })
    }

    pub fn table_path(&self, table: &str) -> PathBuf {
        self.dir.join("tables").join(table)
    }

    pub fn artifact_path(&self, name: &str) -> PathBuf {
        self.dir.join("artifacts").join(name)
    }

    /// Table names present in this vintage, sorted.
    pub fn tables(&self) -> Result<Vec<String>> {
        let d = self.dir.join("tables");
        let mut out = Vec::new();
        for e in fs::read_dir(&d).map_err(io(&d))? {
            let e = e.map_err(io(&d))?;
            out.push(e.file_name().to_string_lossy().into_owned());
        }
        out.sort();
        Ok(out)
    }

    /// A DataFusion session with every table of this vintage registered under its name. Files
    /// can be queried by path too (`select * from 'out/cm/window=Y2021/forecasts.parquet'`).
    pub async fn session(&self) -> Result<SessionContext> {
        // Plain Utf8 strings (not Utf8View) so readers downstream see the types the store wrote.
        let config = SessionConfig::new().set_bool(
            "datafusion.execution.parquet.schema_force_view_types",
            false,
        );
        let ctx = self.engine.context(config)?.enable_url_table();
        for t in self.tables()? {
            // Absolute, so a cluster's executors (started elsewhere) open the same files.
            let p = self.table_path(&t);
            let p = std::path::absolute(&p).map_err(io(&p))?;
            ctx.register_parquet(
                &t,
                p.to_string_lossy().as_ref(),
                ParquetReadOptions::default(),
            )
            .await
            .map_err(|e| StoreError::Corrupt {
                path: p.clone(),
                message: e.to_string(),
            })?;
        }
        // The event store beside the vintages (appended as feeds arrive, not part of one).
        if let Some(root) = self.dir.parent().and_then(Path::parent) {
            let es = events::EventStore::new(root);
            for t in events::TABLES {
                if es.has(t) {
                    let p = std::path::absolute(es.table_dir(t)).map_err(io(root))?;
                    ctx.register_parquet(
                        t,
                        p.to_string_lossy().as_ref(),
                        ParquetReadOptions::default(),
                    )
                    .await
                    .map_err(|e| StoreError::Corrupt {
                        path: p.clone(),
                        message: e.to_string(),
                    })?;
                }
            }
        }
        Ok(ctx)
    }

    /// Runs one SQL statement against this vintage.
    pub async fn sql(&self, sql: &str) -> Result<Vec<RecordBatch>> {
        query(&self.session().await?, sql).await
    }
}

/// Runs one SQL statement in a session of [`Vintage::session`] (readers with several queries
/// open the session once). Read-only on every engine: a statement that is not a query is
/// refused by its kind before it is planned, and the plan is checked again with DataFusion's
/// [`SQLOptions`] (no DDL, no DML or COPY, no SET or transactions) before it runs, here or on a
/// cluster.
pub async fn query(ctx: &SessionContext, sql: &str) -> Result<Vec<RecordBatch>> {
    let q = |e: datafusion::error::DataFusionError| StoreError::Query(e.to_string());
    let state = ctx.state();
    let dialect = state.config().options().sql_parser.dialect;
    let statement = state.sql_to_statement(sql, &dialect).map_err(q)?;
    if let Some(kind) = writes(&statement) {
        return Err(StoreError::ReadOnly { statement: kind });
    }
    let plan = state.statement_to_plan(statement).await.map_err(q)?;
    read_only()
        .verify_plan(&plan)
        .map_err(|e| StoreError::ReadOnly {
            statement: plan_writes(&plan).unwrap_or_else(|| e.strip_backtrace()),
        })?;
    let df = ctx.execute_logical_plan(plan).await.map_err(q)?;
    df.collect().await.map_err(q)
}

/// What the store's SQL may do: read.
fn read_only() -> SQLOptions {
    SQLOptions::new()
        .with_allow_ddl(false)
        .with_allow_dml(false)
        .with_allow_statements(false)
}

/// The first node of `plan` that would change something (`SELECT ... INTO` plans a
/// `CreateMemoryTable`), by name.
fn plan_writes(plan: &datafusion::logical_expr::LogicalPlan) -> Option<String> {
    use datafusion::common::tree_node::TreeNodeRecursion;
    use datafusion::logical_expr::LogicalPlan;
    let mut kind = None;
    let _ = plan.apply_with_subqueries(|node| {
        kind = match node {
            LogicalPlan::Ddl(d) => Some(d.name().to_string()),
            LogicalPlan::Dml(d) => Some(d.op.to_string()),
            LogicalPlan::Copy(_) => Some("COPY".to_string()),
            LogicalPlan::Statement(s) => Some(s.name().to_string()),
            _ => None,
        };
        Ok(if kind.is_some() {
            TreeNodeRecursion::Stop
        } else {
            TreeNodeRecursion::Continue
        })
    });
    kind
}

/// The kind of a statement that is not a read (`DROP`, `INSERT`, `COPY`, `SET`, ...), by its
/// first keyword; `None` for queries, `EXPLAIN` of a query and `SHOW`.
fn writes(statement: &datafusion::sql::parser::Statement) -> Option<String> {
    use datafusion::sql::parser::Statement as Df;
    use datafusion::sql::sqlparser::ast::Statement as Sql;
    let first_word = |s: String| {
        s.split_whitespace()
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase()
    };
    match statement {
        Df::Statement(s) => match s.as_ref() {
            Sql::Query(_)
            | Sql::ShowTables { .. }
            | Sql::ShowColumns { .. }
            | Sql::ShowVariable { .. }
            | Sql::ShowFunctions { .. }
            | Sql::ExplainTable { .. } => None,
            Sql::Explain { statement, .. } => {
                writes(&Df::Statement(statement.clone())).map(|k| format!("EXPLAIN {k}"))
            }
            other => Some(first_word(other.to_string())),
        },
        Df::Explain(e) => writes(&e.statement).map(|k| format!("EXPLAIN {k}")),
        Df::CreateExternalTable(_) => Some("CREATE EXTERNAL TABLE".into()),
        Df::CopyTo(_) => Some("COPY".into()),
        Df::Reset(_) => Some("RESET".into()),
    }
}

impl Store {
    /// Opens (creating if needed) a data dir.
    pub fn open(root: impl Into<PathBuf>) -> Result<Store> {
        let root = root.into();
        let v = root.join("vintages");
        fs::create_dir_all(&v).map_err(io(&v))?;
        Ok(Store {
            root,
            engine: Arc::new(Embedded),
        })
    }

    /// The same data dir with its SQL run on `engine` (a cluster, see [`engine`]).
    pub fn with_engine(mut self, engine: Arc<dyn Engine>) -> Store {
        self.engine = engine;
        self
    }

    /// The engine SQL over this store's vintages runs on.
    pub fn engine(&self) -> &Arc<dyn Engine> {
        &self.engine
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The published vintage, if any.
    pub fn current(&self) -> Result<Option<Vintage>> {
        let p = self.root.join("CURRENT");
        let id = match fs::read_to_string(&p) {
            Ok(s) => s.trim().to_string(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(StoreError::Io { path: p, error: e }),
        };
        let dir = self.root.join("vintages").join(&id);
        if id.is_empty() || id.contains(['/', '\\']) || !dir.is_dir() {
            return Err(StoreError::Corrupt {
                path: p,
                message: format!("names vintage {id:?}, which does not exist"),
            });
        }
        Ok(Some(Vintage {
            id,
            dir,
            engine: self.engine.clone(),
        }))
    }

    /// The published vintage, or an error telling the user to sync.
    pub fn require_current(&self) -> Result<Vintage> {
        self.current()?
            .ok_or_else(|| StoreError::Empty(self.root.clone()))
    }

    /// Takes the sync lock (one sync or roll-back at a time), or says who holds it.
    fn sync_lock(&self) -> Result<File> {
        let lock_path = self.root.join("sync.lock");
        let lock = File::create(&lock_path).map_err(io(&lock_path))?;
        match lock.try_lock() {
            Ok(()) => Ok(lock),
            Err(fs::TryLockError::WouldBlock) => Err(StoreError::Busy {
                dir: self.root.clone(),
                lock: lock_path,
            }),
            Err(fs::TryLockError::Error(e)) => Err(StoreError::Io {
                path: lock_path,
                error: e,
            }),
        }
    }

    /// Names `id` in `CURRENT`: written as `CURRENT.tmp`, fsynced, renamed over it.
    fn write_current(&self, id: &str) -> Result<()> {
        let cur_tmp = self.root.join("CURRENT.tmp");
        let mut f = File::create(&cur_tmp).map_err(io(&cur_tmp))?;
        f.write_all(id.as_bytes()).map_err(io(&cur_tmp))?;
        f.sync_all().map_err(io(&cur_tmp))?;
        let cur = self.root.join("CURRENT");
        fs::rename(&cur_tmp, &cur).map_err(io(&cur))?;
        sync_dir(&self.root);
        Ok(())
    }

    /// Starts a new vintage. Holds the sync lock until the staged vintage is published or dropped.
    pub fn begin(&self, id: &str) -> Result<StagedVintage> {
        let lock = self.sync_lock()?;
        // Leftovers of killed syncs are never published: clear them.
        let vdir = self.root.join("vintages");
        for e in fs::read_dir(&vdir).map_err(io(&vdir))?.flatten() {
            if e.file_name().to_string_lossy().starts_with(".staging-") {
                let _ = fs::remove_dir_all(e.path());
            }
        }
        let dir = vdir.join(format!(".staging-{id}"));
        fs::create_dir_all(dir.join("tables")).map_err(io(&dir))?;
        Ok(StagedVintage {
            store: self.clone(),
            id: id.to_string(),
            dir,
            published: false,
            _lock: lock,
            tables: BTreeMap::new(),
        })
    }

    /// The published vintages, oldest first (ids sort by creation time).
    pub fn vintages(&self) -> Result<Vec<Vintage>> {
        let vdir = self.root.join("vintages");
        let mut ids: Vec<String> = fs::read_dir(&vdir)
            .map_err(io(&vdir))?
            .flatten()
            .filter(|e| e.path().join("lock.json").is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        ids.sort();
        Ok(ids
            .into_iter()
            .map(|id| Vintage {
                dir: vdir.join(&id),
                id,
                engine: self.engine.clone(),
            })
            .collect())
    }

    /// Makes a published vintage current again (a roll-back, or forward): `CURRENT` is written
    /// as `CURRENT.tmp` and renamed, under the sync lock, so a sync cannot interleave.
    pub fn use_vintage(&self, id: &str) -> Result<Vintage> {
        let lock = self.sync_lock()?;
        let Some(v) = self.vintages()?.into_iter().find(|v| v.id == id) else {
            return Err(StoreError::NoVintage {
                dir: self.root.clone(),
                id: id.to_string(),
            });
        };
        self.write_current(&v.id)?;
        drop(lock);
        Ok(v)
    }

    /// Removes published vintages beyond the newest `keep` (never the current one).
    pub fn prune(&self, keep: usize) -> Result<Vec<String>> {
        let current = self.current()?.map(|v| v.id);
        let vdir = self.root.join("vintages");
        let mut ids: Vec<String> = fs::read_dir(&vdir)
            .map_err(io(&vdir))?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        ids.sort();
        let mut removed = Vec::new();
        let n = ids.len();
        for id in ids.into_iter().take(n.saturating_sub(keep)) {
            if Some(&id) != current.as_ref() {
                let p = vdir.join(&id);
                fs::remove_dir_all(&p).map_err(io(&p))?;
                removed.push(id);
            }
        }
        Ok(removed)
    }
}

/// Hard-links (or copies) every file under `src` to the same place under `dst`.
fn link_tree(src: &Path, dst: &Path) -> Result<()> {
    fs::create_dir_all(dst).map_err(io(dst))?;
    for e in fs::read_dir(src).map_err(io(src))? {
        let e = e.map_err(io(src))?;
        let (s, d) = (e.path(), dst.join(e.file_name()));
        if e.file_type().map_err(io(&s))?.is_dir() {
            link_tree(&s, &d)?;
        } else if fs::hard_link(&s, &d).is_err() {
            fs::copy(&s, &d).map_err(io(&d))?;
        }
    }
    Ok(())
}

/// A vintage being written. Dropping it unpublished deletes it.
pub struct StagedVintage {
    store: Store,
    id: String,
    dir: PathBuf,
    published: bool,
    _lock: File,
    tables: BTreeMap<String, (u64, usize)>,
}

impl StagedVintage {
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Writes a whole table (all batches must share one schema). Returns (rows, columns).
    pub fn write_table(&mut self, table: &str, batches: &[RecordBatch]) -> Result<(u64, usize)> {
        let internal = |m: String| StoreError::Internal {
            table: table.to_string(),
            message: m,
        };
        let Some(first) = batches.first() else {
            return Err(internal("no data".into()));
        };
        let schema = first.schema();
        let dir = self.dir.join("tables").join(table);
        fs::create_dir_all(&dir).map_err(io(&dir))?;
        let path = dir.join("data.parquet");
        let file = File::create(&path).map_err(io(&path))?;
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build();
        let mut w = ArrowWriter::try_new(file, schema.clone(), Some(props))
            .map_err(|e| internal(e.to_string()))?;
        let mut rows = 0u64;
        for b in batches {
            if b.schema().fields() != schema.fields() {
                return Err(internal(format!(
                    "parts disagree on the schema: {:?} vs {:?}",
                    b.schema(),
                    schema
                )));
            }
            w.write(b).map_err(|e| internal(e.to_string()))?;
            rows += b.num_rows() as u64;
        }
        let f = w.into_inner().map_err(|e| internal(e.to_string()))?;
        f.sync_all().map_err(io(&path))?;
        let cols = schema.fields().len();
        self.tables.insert(table.to_string(), (rows, cols));
        Ok((rows, cols))
    }

    /// Carries tables (all but those in `except`) and every artifact of `from` into this vintage
    /// unchanged (see [`StagedVintage::carry_table`]). Returns the names of the tables carried.
    pub fn carry_from(&mut self, from: &Vintage, except: &[&str]) -> Result<Vec<String>> {
        let lock = from.lockfile()?;
        let mut carried = Vec::new();
        for t in from.tables()? {
            if !except.contains(&t.as_str()) {
                self.carry_with(from, &lock, &t)?;
                carried.push(t);
            }
        }
        let arts = from.dir.join("artifacts");
        if arts.is_dir() {
            link_tree(&arts, &self.dir.join("artifacts"))?;
        }
        Ok(carried)
    }

    /// Carries table `table` of `from` into this vintage unchanged: each file is hard-linked
    /// (vintages are immutable, so sharing is safe), or copied where the file system cannot
    /// link; its rows and columns are those `from`'s lockfile records.
    pub fn carry_table(&mut self, from: &Vintage, table: &str) -> Result<()> {
        self.carry_with(from, &from.lockfile()?, table)
    }

    fn carry_with(&mut self, from: &Vintage, lock: &Lockfile, table: &str) -> Result<()> {
        link_tree(
            &from.table_path(table),
            &self.dir.join("tables").join(table),
        )?;
        let (rows, cols) = lock
            .tables
            .iter()
            .find(|e| e.name == table)
            .map_or((0, 0), |e| (e.rows, e.columns));
        self.tables.insert(table.to_string(), (rows, cols));
        Ok(())
    }

    /// Keeps a file byte-for-byte under `artifacts/`.
    pub fn write_artifact(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        let path = self.dir.join("artifacts").join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io(parent))?;
        }
        let mut f = File::create(&path).map_err(io(&path))?;
        f.write_all(bytes).map_err(io(&path))?;
        f.sync_all().map_err(io(&path))
    }

    /// Rows and columns of each table written so far.
    pub fn tables(&self) -> &BTreeMap<String, (u64, usize)> {
        &self.tables
    }

    /// Writes the lockfile and publishes the vintage atomically.
    pub fn publish(mut self, lock: &Lockfile) -> Result<Vintage> {
        let lp = self.dir.join("lock.json");
        let text = serde_json::to_string_pretty(lock).map_err(|e| StoreError::Internal {
            table: "lock.json".into(),
            message: e.to_string(),
        })?;
        let mut f = File::create(&lp).map_err(io(&lp))?;
        f.write_all(text.as_bytes()).map_err(io(&lp))?;
        f.sync_all().map_err(io(&lp))?;
        let vdir = self.store.root.join("vintages");
        let final_dir = vdir.join(&self.id);
        fs::rename(&self.dir, &final_dir).map_err(io(&final_dir))?;
        self.published = true;
        sync_dir(&vdir);
        self.store.write_current(&self.id)?;
        Ok(Vintage {
            id: self.id.clone(),
            dir: final_dir,
            engine: self.store.engine.clone(),
        })
    }
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

impl Drop for StagedVintage {
    fn drop(&mut self) {
        if !self.published {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::Int64Array;
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    use std::sync::Arc;

    fn batch(vals: &[i64]) -> RecordBatch {
        let schema = Arc::new(Schema::new(vec![Field::new("x", DataType::Int64, true)]));
        RecordBatch::try_new(schema, vec![Arc::new(Int64Array::from(vals.to_vec()))]).unwrap()
    }

    fn count(v: &Vintage) -> i64 {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let b = rt.block_on(v.sql("select sum(x) as s from t")).unwrap();
        b[0].column(0)
            .as_any()
            .downcast_ref::<Int64Array>()
            .unwrap()
            .value(0)
    }

    /// One case of the read-only rule: `Ok(rows)` for a statement that reads, `Err(kind)` for
    /// one refused as that kind; the table is unchanged after every case.
    fn check_read_only(v: &Vintage, sql: &str, expect: std::result::Result<usize, &str>) {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let got = rt.block_on(v.sql(sql));
        match (got, expect) {
            (Ok(b), Ok(rows)) => {
                assert_eq!(b.iter().map(|b| b.num_rows()).sum::<usize>(), rows, "{sql}")
            }
            (Err(StoreError::ReadOnly { statement }), Err(kind)) => {
                assert!(
                    statement.starts_with(kind),
                    "{sql}: refused as {statement:?}"
                );
                let msg = StoreError::ReadOnly { statement }.to_string();
                assert!(msg.contains("read-only"), "{msg}");
            }
            (got, expect) => panic!("{sql}: expected {expect:?}, got {got:?}"),
        }
        assert_eq!(count(v), 6, "{sql} changed the table");
    }

    #[test]
    fn sql_is_read_only() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut s = store.begin("v1").unwrap();
        s.write_table("t", &[batch(&[1, 2, 3])]).unwrap();
        let v = s.publish(&Lockfile::default()).unwrap();
        let out = dir.path().join("copy.parquet");
        for (sql, expect) in [
            ("select x from t", Ok(3)),
            ("SELECT count(*) FROM t WHERE x > 1", Ok(1)),
            ("explain select x from t", Ok(2)),
            ("with a as (select x from t) select * from a", Ok(3)),
            ("drop table t", Err("DROP")),
            ("DROP VIEW v", Err("DROP")),
            ("create table u as select * from t", Err("CREATE")),
            ("create view w as select * from t", Err("CREATE")),
            (
                "create external table e stored as parquet location '/tmp/x'",
                Err("CREATE EXTERNAL TABLE"),
            ),
            ("insert into t values (4)", Err("INSERT")),
            ("update t set x = 0", Err("UPDATE")),
            ("delete from t", Err("DELETE")),
            ("truncate table t", Err("TRUNCATE")),
            ("set datafusion.execution.batch_size = 1", Err("SET")),
            ("reset datafusion.execution.batch_size", Err("RESET")),
            ("begin transaction", Err("BEGIN")),
            ("explain insert into t values (4)", Err("EXPLAIN INSERT")),
            ("select x into u from t", Err("CreateMemoryTable")),
        ] {
            check_read_only(&v, sql, expect);
        }
        let copy = format!("copy t to '{}'", out.display());
        check_read_only(&v, &copy, Err("COPY"));
        assert!(!out.exists(), "COPY wrote {}", out.display());
    }

    #[test]
    fn failed_sync_keeps_previous_vintage() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert!(store.current().unwrap().is_none());
        let mut s = store.begin("v1").unwrap();
        s.write_table("t", &[batch(&[1, 2]), batch(&[3])]).unwrap();
        let v1 = s.publish(&Lockfile::default()).unwrap();
        assert_eq!(count(&v1), 6);

        // A second sync writes, then fails (dropped unpublished): v1 stays current and whole.
        let mut s = store.begin("v2").unwrap();
        s.write_table("t", &[batch(&[100])]).unwrap();
        assert!(matches!(store.begin("v3"), Err(StoreError::Busy { .. })));
        drop(s);
        let cur = store.require_current().unwrap();
        assert_eq!(cur.id, "v1");
        assert_eq!(count(&cur), 6);
        assert!(!dir.path().join("vintages/.staging-v2").exists());
    }

    #[test]
    fn killed_sync_leftovers_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut s = store.begin("v1").unwrap();
        s.write_table("t", &[batch(&[5])]).unwrap();
        s.publish(&Lockfile::default()).unwrap();
        // What a kill -9 mid-sync leaves: a staging dir and a CURRENT.tmp never renamed.
        fs::create_dir_all(dir.path().join("vintages/.staging-v2/tables/t")).unwrap();
        fs::write(dir.path().join("CURRENT.tmp"), "v2").unwrap();
        assert_eq!(count(&store.require_current().unwrap()), 5);
        // The next sync clears the leftovers.
        let s = store.begin("v3").unwrap();
        assert!(!dir.path().join("vintages/.staging-v2").exists());
        drop(s);
    }

    #[test]
    fn prune_keeps_current() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        for id in ["v1", "v2", "v3"] {
            let mut s = store.begin(id).unwrap();
            s.write_table("t", &[batch(&[1])]).unwrap();
            s.publish(&Lockfile::default()).unwrap();
        }
        assert_eq!(store.prune(2).unwrap(), vec!["v1".to_string()]);
        assert_eq!(store.require_current().unwrap().id, "v3");
    }

    #[test]
    fn empty_store_says_sync() {
        let dir = tempfile::tempdir().unwrap();
        let e = Store::open(dir.path())
            .unwrap()
            .require_current()
            .unwrap_err()
            .to_string();
        assert!(e.contains("attache sync"), "{e}");
    }
}

//! The one `AppState`: the data dir, accounts, and read caches of what the pages show (forecast
//! runs, the observed history, the map geometry), each keyed by what it was read from so that a
//! new sync or a new forecast run is picked up without a restart.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use crate::charts::MapRegions;
use crate::climate::{ClimateData, RunCache};
use crate::climate::{ExplorerRun, WarmingRun};
use arrow::array::{Array, Float64Array, Int64Array, StringArray};
use attache_accounts::Accounts;
use attache_audit::{AuditEvent, AuditLog, Signer, TrustedKeys};
use attache_briefs::Briefs;
use attache_briefs::audit::SignedAuditLog;
use attache_core::MonthId;
use attache_store::{ForecastRun, ForecastStore, Lockfile, Store, Vintage};
use attache_vault::Secrets;

use crate::Config;
use crate::csrf::LoginTokens;
use crate::error::{AppError, ServerError};
use crate::work::WorkPool;

/// The TopoJSON drawn on the home map (an artifact of the `natural-earth` source).
pub const MAP_ARTIFACT: &str = "natural-earth/countries-110m.json";

/// Observed state-based fatalities per country: month → deaths (UCDP GED via ViEWS `cm`).
pub type History = HashMap<String, Vec<(MonthId, f64)>>;

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Store,
    pub forecasts: ForecastStore,
    /// The deployment's keys and what needs them (briefs, the audit log, accounts whose changes
    /// go on the record), picked up once they appear.
    keys: Arc<Keys>,
    /// The published statement keys `/verify` trusts.
    pub statement_keys: Arc<Vec<ed25519_dalek::VerifyingKey>>,
    cache: Arc<Mutex<Cache>>,
    /// Scenario explorer runs by vintage and canonical query.
    pub explorer_runs: Arc<Mutex<RunCache<ExplorerRun>>>,
    /// Emulator runs of built-in scenarios by canonical query.
    pub warming_runs: Arc<Mutex<RunCache<WarmingRun>>>,
    /// Epidemic scenario runs by vintage and canonical query.
    pub epidemic_runs: Arc<Mutex<RunCache<crate::views::epidemic::EpidemicRun>>>,
    /// The trade simulator's baseline per vintage.
    pub trade_baselines: Arc<Mutex<RunCache<attache_trade::FittedGravity>>>,
    /// Trade scenarios by vintage and canonical scenario.
    pub trade_runs: Arc<Mutex<RunCache<crate::views::trade::TradeRun>>>,
    /// Mirror statistics per vintage.
    pub trade_gaps: Arc<Mutex<RunCache<crate::views::trade::Gaps>>>,
    /// The SDG Index and INFORM Risk per vintage.
    pub sdg_data: Arc<Mutex<RunCache<crate::views::indices::SdgData>>>,
    pub risk_data: Arc<Mutex<RunCache<crate::views::indices::RiskData>>>,
    /// Night lights and gas flaring per country, per vintage (`views::signals`).
    pub signals: Arc<Mutex<RunCache<crate::views::signals::Signals>>>,
    /// One year's UN votes per (vintage, year) (`views::negotiation::agreement`).
    pub vote_years: Arc<Mutex<RunCache<crate::views::negotiation::YearVotes>>>,
    /// The one limit on simulations started by requests.
    pub work: WorkPool,
    /// Issues and checks the login form's CSRF tokens.
    pub login_tokens: Arc<LoginTokens>,
}

#[derive(Default)]
struct Cache {
    runs: HashMap<MonthId, (SystemTime, Arc<ForecastRun>)>,
    history: Option<(String, Arc<History>)>,
    map: Option<(String, Arc<MapRegions>)>,
    /// The drawn risk map per run (as-of month): (vintage, the run it shows, the SVG).
    risk_maps: HashMap<String, (String, Arc<ForecastRun>, Arc<String>)>,
    lock: Option<(String, Arc<Lockfile>)>,
    climate: Option<(String, Arc<ClimateData>)>,
    /// The air network's rows (airports, routes, populations) of the current vintage.
    air: Option<(String, Arc<attache_store::epidemic_inputs::AirRows>)>,
    /// The UNFCCC registry's newest NDC per party (`None` inside: the vintage has no listing).
    ndc_filings: Option<(String, Arc<Option<NdcFilings>>)>,
}

/// The newest NDC each party filed, by ISO3 (`attache_store::ndc_registry`).
pub type NdcFilings = std::collections::BTreeMap<String, attache_store::ndc_registry::Filed>;

/// What the deployment's keys unlock: the briefs, the signed audit log, and the accounts store
/// whose changes (logins, logouts) commit with their audit entries.
struct Keyed {
    briefs: Briefs,
    audit: SignedAuditLog,
    accounts: Accounts,
}

/// The deployment's keys, read at start and, while any is missing, looked for again when a
/// request needs them: `attache keys init` on a running server takes effect without a restart.
/// The check is cheap (a `stat` of each key file, compared with the last look); the keys are
/// read only when a file changed. Once loaded they stay (rotation still needs a restart).
struct Keys {
    secrets: Secrets,
    data_dir: std::path::PathBuf,
    /// The accounts store without a record, until the keys are loaded.
    accounts: Accounts,
    loaded: OnceLock<Keyed>,
    /// The keys audit tree heads must be signed with (for the admin view's verification).
    trusted: OnceLock<Arc<TrustedKeys>>,
    /// Why the keys are not loaded (for the server log, never a client: it names paths) and the
    /// key files' metadata when that was found.
    missing: Mutex<(String, Option<Stamp>)>,
}

/// Size and modification time of each key file (`None`: absent).
type Stamp = Vec<Option<(u64, Option<SystemTime>)>>;

/// Why loading the keys failed: they are not (all) there, or they are and opening what needs
/// them failed (a server error at start).
enum KeysProblem {
    Missing(String),
    Broken(ServerError),
}

impl Keys {
    fn stamp(&self) -> Stamp {
        let s = &self.secrets;
        [
            Some(s.dir().to_path_buf()),
            s.keyring_path(),
            s.audit_key_path(),
            Some(s.audit_public_keys_path()),
        ]
        .into_iter()
        .map(|p| {
            let md = std::fs::metadata(p?).ok()?;
            Some((md.len(), md.modified().ok()))
        })
        .collect()
    }

    fn load(&self) -> Result<Keyed, KeysProblem> {
        let (ring, _) = self.secrets.keyring().map_err(|e| {
            KeysProblem::Missing(format!(
                "decision briefs need the vault keyring ({e}); run `attache keys init`"
            ))
        })?;
        let (key, _) = self.secrets.audit_signing_key().map_err(|e| {
            KeysProblem::Missing(format!(
                "decision briefs need the audit signing key ({e}); run `attache keys init`"
            ))
        })?;
        let log = AuditLog::open(&self.data_dir).map_err(|e| {
            KeysProblem::Missing(format!("decision briefs need the audit log ({e})"))
        })?;
        let sink = SignedAuditLog::new(log, Signer::new(key));
        let db = self.data_dir.join("attache.db");
        let briefs = Briefs::open(&db, ring, Arc::new(sink.clone()))
            .map_err(|e| KeysProblem::Broken(ServerError::Briefs(e)))?;
        Ok(Keyed {
            briefs,
            // Logins and logouts commit with their audit entries.
            accounts: self.accounts.clone().with_record(Arc::new(sink.clone())),
            audit: sink,
        })
    }

    /// Looks for the keys again if any is missing and a key file changed since the last look.
    /// A failure is logged (once per change), never sent: it names the secrets dir.
    fn refresh(&self) -> Result<(), ServerError> {
        if self.loaded.get().is_some() && self.trusted.get().is_some() {
            return Ok(());
        }
        let mut missing = self.missing.lock().unwrap_or_else(|p| p.into_inner());
        let stamp = self.stamp();
        if missing.1.as_ref() == Some(&stamp) {
            return Ok(());
        }
        missing.1 = Some(stamp);
        if self.loaded.get().is_none() {
            match self.load() {
                Ok(k) => {
                    let _ = self.loaded.set(k);
                    if !missing.0.is_empty() {
                        eprintln!("attache serve: the deployment's keys are loaded");
                    }
                    missing.0.clear();
                }
                Err(KeysProblem::Missing(why)) => {
                    if why != missing.0 {
                        eprintln!("attache serve: {why}");
                    }
                    missing.0 = why;
                }
                Err(KeysProblem::Broken(e)) => return Err(e),
            }
        }
        if self.trusted.get().is_none()
            && let Ok(k) = self.secrets.audit_trusted_keys()
        {
            let _ = self.trusted.set(Arc::new(TrustedKeys::new(k)));
        }
        Ok(())
    }

    /// The keyed parts, after a look for keys that appeared since the last one.
    fn get(&self) -> Option<&Keyed> {
        if let Err(e) = self.refresh() {
            // Keys that appeared while running but cannot be used: the operator's to fix, in
            // the log; the client sees the briefs unavailable, as before.
            eprintln!("attache serve: {e}");
        }
        self.loaded.get()
    }
}

/// What an anonymous caller may read about missing keys: no path, no key file name.
const KEYS_MISSING: &str = "decision briefs are not available yet: this deployment has no keys (its operator runs `attache keys init`; no restart is needed)";

impl AppState {
    pub fn open(config: Config) -> Result<AppState, ServerError> {
        let mut store = Store::open(&config.data_dir).map_err(ServerError::Store)?;
        if let Some(engine) = &config.engine {
            store = store.with_engine(engine.clone());
        }
        let db = config.data_dir.join("attache.db");
        let accounts = Accounts::open(&db).map_err(ServerError::Accounts)?;
        let secrets = Secrets::from_env(
            config
                .secrets_dir
                .clone()
                .unwrap_or_else(|| config.data_dir.join("secrets")),
        );
        let keys = Keys {
            secrets,
            data_dir: config.data_dir.clone(),
            accounts,
            loaded: OnceLock::new(),
            trusted: OnceLock::new(),
            missing: Mutex::new((String::new(), None)),
        };
        // At start, keys that are there but cannot be used stop the server.
        keys.refresh()?;
        let mut statement_keys = Vec::new();
        for p in &config.statement_keys {
            statement_keys.extend(attache_provenance::read_public_keys(p).map_err(|e| {
                ServerError::StatementKey {
                    path: p.clone(),
                    message: e.to_string(),
                }
            })?);
        }
        let config_work = config.work;
        Ok(AppState {
            keys: Arc::new(keys),
            statement_keys: Arc::new(statement_keys),
            forecasts: ForecastStore::new(&config.data_dir),
            config: Arc::new(config),
            store,
            cache: Arc::new(Mutex::new(Cache::default())),
            explorer_runs: Arc::default(),
            warming_runs: Arc::default(),
            epidemic_runs: Arc::default(),
            trade_baselines: Arc::default(),
            trade_runs: Arc::default(),
            trade_gaps: Arc::default(),
            sdg_data: Arc::default(),
            risk_data: Arc::default(),
            vote_years: Arc::default(),
            signals: Arc::default(),
            work: WorkPool::new(config_work),
            login_tokens: Arc::new(
                LoginTokens::new().map_err(|e| ServerError::Random(e.to_string()))?,
            ),
        })
    }

    /// Drops computed pages unused for [`crate::climate::RUN_TTL`] and hands the freed heap
    /// back to the system, so memory returns to idle after a burst (run every few seconds by
    /// [`crate::serve`]).
    pub fn sweep(&self) {
        let now = std::time::Instant::now();
        let ttl = crate::climate::RUN_TTL;
        let swept = self
            .explorer_runs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .sweep(now, ttl)
            + self
                .warming_runs
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .sweep(now, ttl)
            + self
                .epidemic_runs
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .sweep(now, ttl)
            + self
                .trade_runs
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .sweep(now, ttl)
            + self
                .trade_gaps
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .sweep(now, ttl)
            + self
                .trade_baselines
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .sweep(now, ttl)
            + self
                .vote_years
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .sweep(now, ttl);
        if swept > 0 {
            crate::work::trim_heap();
        }
    }

    /// The briefs store, or a 503 saying the deployment has no keys yet (the server log says
    /// which key is missing, and where it was looked for).
    pub fn briefs(&self) -> Result<&Briefs, AppError> {
        self.keys
            .get()
            .map(|k| &k.briefs)
            .ok_or_else(|| AppError::NoData(KEYS_MISSING.into()))
    }

    /// The accounts store; once the keys are loaded, every change to it (logins, logouts) goes
    /// on the audit record.
    pub fn accounts(&self) -> Accounts {
        match self.keys.get() {
            Some(k) => k.accounts.clone(),
            None => self.keys.accounts.clone(),
        }
    }

    /// The audit log, when keys are configured.
    pub fn audit_log(&self) -> Option<(SignedAuditLog, Arc<TrustedKeys>)> {
        let audit = self.keys.get()?.audit.clone();
        Some((audit, self.keys.trusted.get()?.clone()))
    }

    /// Appends `event` to the audit log when one is configured (off the async threads). A
    /// failure is an error: nothing that must be on the record happens without it.
    pub async fn record(&self, event: AuditEvent) -> Result<(), AppError> {
        let Some(log) = self.keys.get().map(|k| k.audit.clone()) else {
            return Ok(());
        };
        tokio::task::spawn_blocking(move || attache_briefs::audit::AuditSink::append(&log, &event))
            .await
            .map_err(AppError::internal)?
            .map_err(|e| AppError::internal(format!("audit log: {e}")))
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The published vintage, or a 503 telling the operator to sync.
    pub fn vintage(&self) -> Result<Vintage, AppError> {
        match self.store.current() {
            Ok(Some(v)) => Ok(v),
            Ok(None) => Err(AppError::NoData(
                "no data has been synced yet: run `attache sync`".into(),
            )),
            Err(e) => Err(AppError::internal(e)),
        }
    }

    /// The as-of months with a stored forecast run.
    pub fn runs(&self) -> Result<Vec<MonthId>, AppError> {
        self.forecasts.list().map_err(AppError::internal)
    }

    /// The forecast run as of `as_of` (default: the latest).
    pub fn run(&self, as_of: Option<MonthId>) -> Result<Arc<ForecastRun>, AppError> {
        let m = match as_of {
            Some(m) => m,
            None => self
                .forecasts
                .latest()
                .map_err(AppError::internal)?
                .ok_or_else(|| {
                    AppError::NoData(
                        "no forecast has been run yet: run `attache forecast run`".into(),
                    )
                })?,
        };
        let stamp = std::fs::metadata(self.forecasts.dir(m).join("countries.json"))
            .and_then(|md| md.modified())
            .ok();
        let Some(stamp) = stamp else {
            return Err(AppError::NotFound(format!(
                "no forecast as of {m}; runs: {}",
                self.run_list_text()
            )));
        };
        if let Some((t, r)) = self.cache().runs.get(&m)
            && *t == stamp
        {
            return Ok(r.clone());
        }
        let run = self
            .forecasts
            .load(m)
            .map_err(AppError::internal)?
            .ok_or_else(|| AppError::NotFound(format!("no forecast as of {m}")))?;
        let run = Arc::new(run);
        self.cache().runs.insert(m, (stamp, run.clone()));
        Ok(run)
    }

    fn run_list_text(&self) -> String {
        let l = self.runs().unwrap_or_default();
        if l.is_empty() {
            "none".into()
        } else {
            l.iter()
                .map(|m| m.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        }
    }

    /// The lockfile of the current vintage.
    pub fn lockfile(&self) -> Result<Arc<Lockfile>, AppError> {
        let v = self.vintage()?;
        if let Some((id, l)) = &self.cache().lock
            && *id == v.id
        {
            return Ok(l.clone());
        }
        let l = Arc::new(v.lockfile().map_err(AppError::internal)?);
        self.cache().lock = Some((v.id.clone(), l.clone()));
        Ok(l)
    }

    /// The newest NDC each party filed in the UNFCCC registry listing of the current vintage,
    /// once per vintage; `None` when the vintage has no listing (the pages then say so).
    pub async fn ndc_filings(&self) -> Result<Arc<Option<NdcFilings>>, AppError> {
        let v = self.vintage()?;
        if let Some((id, f)) = &self.cache().ndc_filings
            && *id == v.id
        {
            return Ok(f.clone());
        }
        let has = v
            .tables()
            .map_err(AppError::internal)?
            .iter()
            .any(|t| t == "ndc_documents");
        let f = if has {
            Some(
                attache_store::ndc_registry::latest_ndcs(&v)
                    .await
                    .map_err(AppError::internal)?,
            )
        } else {
            None
        };
        let f = Arc::new(f);
        self.cache().ndc_filings = Some((v.id.clone(), f.clone()));
        Ok(f)
    }

    /// Observed monthly state-based fatalities per country, from the current vintage.
    pub async fn history(&self) -> Result<Arc<History>, AppError> {
        let v = self.vintage()?;
        if let Some((id, h)) = &self.cache().history
            && *id == v.id
        {
            return Ok(h.clone());
        }
        let batches = v
            .sql("select iso3, month_id, cast(ged_sb as double) as ged_sb from cm where iso3 is not null and ged_sb is not null order by iso3, month_id")
            .await
            .map_err(AppError::internal)?;
        let mut h: History = HashMap::new();
        for b in &batches {
            let iso = b
                .column(0)
                .as_any()
                .downcast_ref::<StringArray>()
                .ok_or_else(|| AppError::internal("cm.iso3 is not text"))?;
            let m = b
                .column(1)
                .as_any()
                .downcast_ref::<Int64Array>()
                .ok_or_else(|| AppError::internal("cm.month_id is not Int64"))?;
            let y = b
                .column(2)
                .as_any()
                .downcast_ref::<Float64Array>()
                .ok_or_else(|| AppError::internal("cm.ged_sb is not a number"))?;
            for i in 0..b.num_rows() {
                h.entry(iso.value(i).to_string())
                    .or_default()
                    .push((MonthId(m.value(i) as i32), y.value(i)));
            }
        }
        let h = Arc::new(h);
        self.cache().history = Some((v.id.clone(), h.clone()));
        Ok(h)
    }

    /// The air network's rows of the current vintage (read once per vintage, the reader
    /// `attache epidemic` uses) and the vintage's id; a vintage without the routes or
    /// populations is "no data" naming the source to sync.
    pub async fn air_rows(
        &self,
    ) -> Result<(Arc<attache_store::epidemic_inputs::AirRows>, String), AppError> {
        let v = self.vintage()?;
        if let Some((id, r)) = &self.cache().air
            && *id == v.id
        {
            return Ok((r.clone(), id.clone()));
        }
        let rows = attache_store::epidemic_inputs::air_rows(&v)
            .await
            .map_err(|e| match e {
                e @ attache_store::StoreError::MissingTable { .. } => {
                    AppError::NoData(e.to_string())
                }
                e => AppError::internal(e),
            })?;
        let rows = Arc::new(rows);
        self.cache().air = Some((v.id.clone(), rows.clone()));
        Ok((rows, v.id.clone()))
    }

    /// The climate views of the current vintage (the policy world, every country's report,
    /// fair shares, blocs), computed once per vintage.
    pub async fn climate(&self) -> Result<Arc<ClimateData>, AppError> {
        let v = self.vintage()?;
        if let Some((id, c)) = &self.cache().climate
            && *id == v.id
        {
            return Ok(c.clone());
        }
        let world = attache_store::pledge_inputs::pledge_world(&v)
            .await
            .map_err(|e| match e {
                e @ attache_store::StoreError::MissingTable { .. } => {
                    AppError::NoData(e.to_string())
                }
                e => AppError::internal(e),
            })?;
        let id = v.id.clone();
        let data = Arc::new(
            tokio::task::spawn_blocking(move || ClimateData::build(id, world))
                .await
                .map_err(AppError::internal)??,
        );
        self.cache().climate = Some((v.id.clone(), data.clone()));
        Ok(data)
    }

    /// The world map geometry of the current vintage.
    pub fn map(&self) -> Result<Arc<MapRegions>, AppError> {
        let v = self.vintage()?;
        if let Some((id, t)) = &self.cache().map
            && *id == v.id
        {
            return Ok(t.clone());
        }
        let p = v.artifact_path(MAP_ARTIFACT);
        let bytes = read(&p)?;
        let t = Arc::new(
            MapRegions::from_topojson(&bytes)
                .map_err(|e| AppError::internal(format!("{}: {e}", p.display())))?,
        );
        self.cache().map = Some((v.id.clone(), t.clone()));
        Ok(t)
    }
}

impl AppState {
    /// The home page's world map for `run`, drawn by `draw` once per (vintage, run) and then
    /// served from memory: projecting the world on every request was most of the page's time.
    pub fn risk_map(
        &self,
        run: &Arc<ForecastRun>,
        draw: impl FnOnce(&MapRegions) -> Result<String, AppError>,
    ) -> Result<Arc<String>, AppError> {
        let regions = self.map()?;
        let vintage = self.vintage()?.id;
        if let Some((v, r, svg)) = self.cache().risk_maps.get(&run.meta.as_of)
            && *v == vintage
            && Arc::ptr_eq(r, run)
        {
            return Ok(svg.clone());
        }
        let svg = Arc::new(draw(&regions)?);
        self.cache()
            .risk_maps
            .insert(run.meta.as_of.clone(), (vintage, run.clone(), svg.clone()));
        Ok(svg)
    }
}

/// Reads a vintage's artifact; a missing one is the operator's to fix (503), named by its
/// path only in the server log (a client never sees a path on the server's disk).
fn read(p: &Path) -> Result<Vec<u8>, AppError> {
    std::fs::read(p).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            eprintln!("attache serve: {} is missing", p.display());
            AppError::NoData(
                "the world map is missing from this vintage: sync the natural-earth source".into(),
            )
        }
        _ => AppError::internal(format!("{}: {e}", p.display())),
    })
}

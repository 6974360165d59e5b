//! The one `AppState`: the data dir, accounts, and read caches of what the pages show (forecast
//! runs, the observed history, the map geometry), each keyed by what it was read from so that a
//! new sync or a new forecast run is picked up without a restart.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
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
    pub accounts: Accounts,
    /// The decision briefs, or why they are unavailable (no keys configured).
    briefs: Result<Briefs, String>,
    /// The signed audit log (logins and logouts are recorded here; briefs record their own).
    audit: Option<SignedAuditLog>,
    /// The keys audit tree heads must be signed with (for the admin view's verification).
    audit_trusted: Option<Arc<TrustedKeys>>,
    /// The published statement keys `/verify` trusts.
    pub statement_keys: Arc<Vec<ed25519_dalek::VerifyingKey>>,
    cache: Arc<Mutex<Cache>>,
    /// Scenario explorer runs by vintage and canonical query.
    pub explorer_runs: Arc<Mutex<RunCache<ExplorerRun>>>,
    /// Emulator runs of built-in scenarios by canonical query.
    pub warming_runs: Arc<Mutex<RunCache<WarmingRun>>>,
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
    lock: Option<(String, Arc<Lockfile>)>,
    climate: Option<(String, Arc<ClimateData>)>,
}

impl AppState {
    pub fn open(config: Config) -> Result<AppState, ServerError> {
        let mut store = Store::open(&config.data_dir).map_err(ServerError::Store)?;
        if let Some(engine) = &config.engine {
            store = store.with_engine(engine.clone());
        }
        let db = config.data_dir.join("attache.db");
        let mut accounts = Accounts::open(&db).map_err(ServerError::Accounts)?;
        let secrets = Secrets::from_env(
            config
                .secrets_dir
                .clone()
                .unwrap_or_else(|| config.data_dir.join("secrets")),
        );
        let mut audit = None;
        let briefs = match (
            secrets.keyring(),
            secrets.audit_signing_key(),
            AuditLog::open(&config.data_dir),
        ) {
            (Ok((ring, _)), Ok((key, _)), Ok(log)) => {
                let sink = SignedAuditLog::new(log, Signer::new(key));
                audit = Some(sink.clone());
                // Logins and logouts commit with their audit entries.
                accounts = accounts.with_record(Arc::new(sink.clone()));
                Ok(Briefs::open(&db, ring, Arc::new(sink)).map_err(ServerError::Briefs)?)
            }
            (Err(e), _, _) => Err(format!(
                "decision briefs need the vault keyring ({e}); run `attache keys init`"
            )),
            (_, Err(e), _) => Err(format!(
                "decision briefs need the audit signing key ({e}); run `attache keys init`"
            )),
            (_, _, Err(e)) => Err(format!("decision briefs need the audit log ({e})")),
        };
        let mut statement_keys = Vec::new();
        for p in &config.statement_keys {
            statement_keys.extend(attache_provenance::read_public_keys(p).map_err(|e| {
                ServerError::StatementKey {
                    path: p.clone(),
                    message: e.to_string(),
                }
            })?);
        }
        let audit_trusted = secrets
            .audit_trusted_keys()
            .ok()
            .map(|k| Arc::new(TrustedKeys::new(k)));
        if let Err(why) = &briefs {
            eprintln!("attache serve: {why}");
        }
        let config_work = config.work;
        Ok(AppState {
            briefs,
            audit,
            audit_trusted,
            statement_keys: Arc::new(statement_keys),
            forecasts: ForecastStore::new(&config.data_dir),
            config: Arc::new(config),
            store,
            accounts,
            cache: Arc::new(Mutex::new(Cache::default())),
            explorer_runs: Arc::default(),
            warming_runs: Arc::default(),
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
                .sweep(now, ttl);
        if swept > 0 {
            crate::work::trim_heap();
        }
    }

    /// The briefs store, or a 503 saying which key is missing.
    pub fn briefs(&self) -> Result<&Briefs, AppError> {
        self.briefs
            .as_ref()
            .map_err(|why| AppError::NoData(why.clone()))
    }

    /// The audit log, when keys are configured.
    pub fn audit_log(&self) -> Option<(SignedAuditLog, Arc<TrustedKeys>)> {
        Some((self.audit.clone()?, self.audit_trusted.clone()?))
    }

    /// Appends `event` to the audit log when one is configured (off the async threads). A
    /// failure is an error: nothing that must be on the record happens without it.
    pub async fn record(&self, event: AuditEvent) -> Result<(), AppError> {
        let Some(log) = self.audit.clone() else {
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

fn read(p: &Path) -> Result<Vec<u8>, AppError> {
    std::fs::read(p).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => AppError::NoData(format!(
            "{} is missing: sync the natural-earth source",
            p.display()
        )),
        _ => AppError::internal(format!("{}: {e}", p.display())),
    })
}

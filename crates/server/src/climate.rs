//! The climate views' data: the policy world of the current vintage (read once per vintage
//! through `attache_store::pledge_inputs`, the reader `attache climate` uses too), every
//! country's report and the fair shares computed once from it, and the emulator runs the
//! scenario pages ask for, cached by their canonical query. Every number comes from
//! `attache-pledges` and `attache-climate`; nothing is modelled here.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use attache_pledges::PledgeError;
use attache_pledges::World;
use attache_pledges::aggregate::{BUNKERS, current_jump_off, latest_jump_off};
use attache_pledges::monitor::BlocProgress;
use attache_pledges::pathway::Settings;
use attache_pledges::report::{
    CountryReport, bloc_report, country_report, fair_shares, largest_emitters,
};
use attache_pledges::sharing::FairShares;

use crate::error::AppError;
use crate::work::WorkPool;

/// How many computed scenario pages are kept (by canonical query).
const RUN_CACHE: usize = 48;
/// A kept page unused this long is dropped by [`RunCache::sweep`], so that the memory of a
/// burst of distinct queries returns once the burst is over.
pub const RUN_TTL: Duration = Duration::from_secs(30);

/// What an unquantified or failing country report shows instead.
pub type Report = Result<CountryReport, String>;

/// The climate views of one vintage.
pub struct ClimateData {
    /// The vintage it was read from.
    pub vintage: String,
    pub world: World,
    /// Pathway settings of the default views (as `attache climate country` without flags).
    pub settings: Settings,
    pub shares: FairShares,
    /// Every country with emissions history, by ISO3, under `settings` with its NDC.
    pub reports: BTreeMap<String, Report>,
    /// Blocs of `country_groups`.
    pub blocs: BTreeMap<String, Result<BlocProgress, String>>,
    /// The ten largest emitters in the jump-off year, largest first.
    pub largest: Vec<(String, f64)>,
}

impl ClimateData {
    /// Computes the default views of `world` (pure; called off the async threads).
    pub fn build(vintage: String, world: World) -> Result<ClimateData, AppError> {
        let settings = Settings::default();
        let shares = fair_shares(&world, &settings)
            .map_err(|e| AppError::internal(format!("fair shares: {e}")))?;
        // Dissolved states (the USSR, Yugoslavia: no data in the years before the latest
        // jump-off) are reported as such, as the aggregator leaves them out.
        let latest = latest_jump_off(&world.countries, &settings);
        let reports = world
            .countries
            .iter()
            .filter(|c| c.iso3 != BUNKERS)
            .map(|c| {
                let r = current_jump_off(c, &settings, latest).and_then(|_| {
                    country_report(&world, &c.iso3, None, &settings, &shares)
                        .map_err(|e| e.to_string())
                });
                (c.iso3.clone(), r)
            })
            .collect();
        let blocs = world
            .groups
            .keys()
            .map(|id| {
                (
                    id.clone(),
                    bloc_report(&world, id, &settings).map_err(|e| e.to_string()),
                )
            })
            .collect();
        let largest = largest_emitters(&world, &settings, 10);
        Ok(ClimateData {
            vintage,
            world,
            settings,
            shares,
            reports,
            blocs,
            largest,
        })
    }

    /// A country's display name.
    pub fn name(&self, iso3: &str) -> String {
        self.world
            .country(iso3)
            .map_or_else(|| iso3.to_string(), |c| c.name.clone())
    }
}

/// A small cache of computed views keyed by vintage and canonical query (oldest evicted, and
/// any unused for [`RUN_TTL`] swept), with the queries being computed right now (single
/// flight: one job per distinct query).
pub struct RunCache<T> {
    order: VecDeque<String>,
    items: HashMap<String, (Arc<T>, Instant)>,
    inflight: HashMap<String, Arc<tokio::sync::OnceCell<Arc<T>>>>,
}

impl<T> Default for RunCache<T> {
    fn default() -> Self {
        RunCache {
            order: VecDeque::new(),
            items: HashMap::new(),
            inflight: HashMap::new(),
        }
    }
}

impl<T> RunCache<T> {
    pub fn get(&mut self, key: &str) -> Option<Arc<T>> {
        self.items.get_mut(key).map(|(v, used)| {
            *used = Instant::now();
            v.clone()
        })
    }

    pub fn put(&mut self, key: String, v: Arc<T>) {
        if self
            .items
            .insert(key.clone(), (v, Instant::now()))
            .is_none()
        {
            self.order.push_back(key);
        }
        while self.order.len() > RUN_CACHE {
            if let Some(k) = self.order.pop_front() {
                self.items.remove(&k);
            }
        }
    }

    /// Drops the pages unused for `ttl` at `now`; returns how many.
    pub fn sweep(&mut self, now: Instant, ttl: Duration) -> usize {
        let before = self.items.len();
        self.items
            .retain(|_, (_, used)| now.saturating_duration_since(*used) < ttl);
        let items = &self.items;
        self.order.retain(|k| items.contains_key(k));
        before - self.items.len()
    }
}

/// Runs `f` through `cache` under `key` on the shared [`WorkPool`]: computed once; a caller
/// that asks while the same key is being computed waits for that job instead of starting
/// another. If the computing caller goes away (its job is cancelled), a waiting caller
/// computes in its place.
pub async fn cached<T: Send + Sync + 'static>(
    pool: &WorkPool,
    cache: &Arc<Mutex<RunCache<T>>>,
    key: String,
    f: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<Arc<T>, AppError> {
    let lock = || cache.lock().unwrap_or_else(|p| p.into_inner());
    let cell = {
        let mut c = lock();
        if let Some(v) = c.get(&key) {
            return Ok(v);
        }
        c.inflight.entry(key.clone()).or_default().clone()
    };
    let r = cell
        .get_or_try_init(|| async { pool.run(f).await.map(Arc::new) })
        .await
        .cloned();
    let mut c = lock();
    if let Ok(v) = &r {
        c.put(key.clone(), v.clone());
    }
    // The cell is done with (a value is in the cache; an error is each caller's own to retry).
    if c.inflight.get(&key).is_some_and(|x| Arc::ptr_eq(x, &cell))
        && (r.is_ok() || Arc::strong_count(&cell) <= 2)
    {
        c.inflight.remove(&key);
    }
    r
}

/// A policy-side error as a request error: bad edits are the request's fault, unknown names
/// are not found, anything else is ours.
pub fn pledge_error(e: PledgeError) -> AppError {
    match e {
        PledgeError::BadEdit { .. } => AppError::BadRequest(e.to_string()),
        PledgeError::Unknown { .. } | PledgeError::NoHistory { .. } => {
            AppError::NotFound(e.to_string())
        }
        PledgeError::Missing { .. } => AppError::Unprocessable(e.to_string()),
        PledgeError::Climate(_) => AppError::internal(e),
    }
}

/// Mt to Gt with one decimal, as `attache climate pledges` prints.
pub fn gt(mt: f64) -> String {
    format!("{:.1}", mt / 1000.0)
}

/// A year or "–".
pub fn opt_year(y: Option<i32>) -> String {
    y.map_or_else(|| "–".into(), |y| y.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_cache_evicts_the_oldest() {
        let mut c: RunCache<usize> = RunCache::default();
        for i in 0..RUN_CACHE + 3 {
            c.put(format!("k{i}"), Arc::new(i));
        }
        assert!(c.get("k0").is_none() && c.get("k2").is_none());
        assert_eq!(c.get("k3").as_deref(), Some(&3));
        c.put("k3".into(), Arc::new(30));
        assert_eq!(c.get("k3").as_deref(), Some(&30));
        assert_eq!(c.order.len(), RUN_CACHE);
    }

    #[test]
    fn run_cache_sweeps_what_is_not_used() {
        let mut c: RunCache<usize> = RunCache::default();
        c.put("old".into(), Arc::new(1));
        c.put("used".into(), Arc::new(2));
        let later = Instant::now() + RUN_TTL + Duration::from_secs(1);
        assert_eq!(c.sweep(Instant::now(), RUN_TTL), 0);
        // "used" is read just before the sweep: it stays.
        c.items.get_mut("used").unwrap().1 = later;
        assert_eq!(c.sweep(later, RUN_TTL), 1);
        assert!(c.get("old").is_none() && c.get("used").is_some());
        assert_eq!(c.order.len(), 1);
    }
}

// What the climate views computed, kept in the state's run caches (the views in
// `views::climate` make them; pages and the API render them).

/// One slider group's state in a run.
#[derive(Debug, Clone)]
pub struct GroupState {
    pub key: &'static str,
    pub label: &'static str,
    pub members: Vec<String>,
    /// Members' fossil CO2 in the jump-off year, Mt.
    pub jump_off: f64,
    /// Members' NDC pathways in 2030, Mt.
    pub ndc_2030: f64,
    /// Where the 2030 slider starts: the NDCs' 2030 level as a whole percent of `jump_off`.
    pub default_pct: i32,
    pub pct: i32,
    /// `None`: as pledged.
    pub net_zero: Option<i32>,
    /// The members' own net-zero pledges, in words.
    pub pledged_nz: String,
}

impl GroupState {
    pub(crate) fn changed(&self) -> bool {
        self.pct != self.default_pct || self.net_zero.is_some()
    }
}

/// What the explorer computed for one query.
pub struct ExplorerRun {
    pub vintage: String,
    pub report: attache_pledges::report::PledgesReport,
    pub groups: Vec<GroupState>,
    /// The user scenario's edits as `ISO3=spec`, in the order applied.
    pub specs: Vec<String>,
    /// Global fossil CO2 history (every country's CDIAC total plus bunkers), Mt.
    pub history: attache_pledges::Series,
    pub climate: attache_pledges::aggregate::ClimateSettings,
    pub conditional: bool,
    /// The `edit` parameter as given.
    pub advanced: Option<String>,
    pub permalink: String,
}

/// One scenario's run.
pub struct ScenarioRun {
    pub scenario: attache_climate::Scenario,
    pub years: Vec<i32>,
    pub temperature: Vec<f64>,
    pub co2_ppm: Vec<f64>,
    /// Per year, at the quantile levels of `views::climate::warming` (empty without an ensemble).
    pub quantiles: Vec<Vec<f64>>,
    /// 2081–2100 mean of the deterministic run.
    pub mean_2081_2100: Option<f64>,
    /// Quantiles of the members' 2081–2100 means at the quantile levels of `views::climate::warming`.
    pub mean_quantiles: Option<Vec<f64>>,
}

/// What the page computed.
pub struct WarmingRun {
    pub scenarios: Vec<ScenarioRun>,
    pub params: attache_climate::calibration::ParamSet,
    pub ensemble: usize,
    pub seed: u64,
    pub to: i32,
    pub permalink: String,
}

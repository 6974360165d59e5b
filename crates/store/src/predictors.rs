//! The predictor sources that read the store (see `attache_core::outcome::registry`): the
//! conflict forecast answers from the latest stored run; the climate emulator runs its
//! ensemble, with the current vintage's national emissions and NDCs when the scenario needs
//! them; the epidemic simulator runs its ensemble on the vintage's country air network; the
//! trade simulator solves the general equilibrium of a policy scenario on the vintage's
//! gravity panel; the allocation optimises a budget over the vintage's SDG goal scores; the
//! negotiation proposes a package from a tracker's coded positions. [`registry`] is the one registry of the deployment: the binary builds it (for
//! `brief predict`, `brief models` and the server's pages and API); a new simulator plugs in
//! with one `.with(...)` line there.

use std::path::Path;
use std::sync::{Arc, Mutex};

use attache_core::outcome::{
    OutcomeError, OutcomePredictor, PredictorKind, PredictorSource, QuantitySpec, Registry,
    SettingSpec, Settings,
};
use attache_forecast::ConflictForecastPredictor;
use attache_pledges::aggregate::ClimateSettings;
use attache_pledges::{ClimatePredictor, ClimateScenario, World};

use crate::epidemic_inputs::AirRows;
use crate::{ForecastStore, Store};

/// Every predictor of the deployment whose store is `store`.
pub fn registry(store: &Store) -> Registry {
    Registry::new()
        .with(ConflictSource::new(store.root()))
        .with(ClimateSource::new(store.clone()))
        .with(EpidemicSource::new(store.clone()))
        .with(TradeSource::new(store.clone()))
        .with(AllocationSource::new(store.clone()))
        .with(NegotiationSource::new(store.root()))
}

/// `conflict`: the conflict forecast of the latest stored run (`attache forecast run`).
#[derive(Debug, Clone)]
pub struct ConflictSource {
    forecasts: ForecastStore,
}

impl ConflictSource {
    pub fn new(data_dir: &Path) -> Self {
        ConflictSource {
            forecasts: ForecastStore::new(data_dir),
        }
    }
}

fn no_data(reason: String) -> OutcomeError {
    OutcomeError::NoData { reason }
}

/// A value read from the current vintage once and kept until the vintage changes: the one
/// cache every store-reading source uses. The read runs on its own thread with its own
/// runtime, so a source can be opened from any thread (the CLI's or the server's).
struct PerVintage<T>(Arc<Mutex<Option<Kept<T>>>>);

/// A vintage id and what was read from it.
type Kept<T> = (String, Arc<T>);

impl<T> Clone for PerVintage<T> {
    fn clone(&self) -> Self {
        PerVintage(self.0.clone())
    }
}

impl<T> Default for PerVintage<T> {
    fn default() -> Self {
        PerVintage(Arc::default())
    }
}

impl<T> std::fmt::Debug for PerVintage<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PerVintage")
    }
}

impl<T: Send + Sync + 'static> PerVintage<T> {
    /// The current vintage's value, read by `read` the first time. `needs` says what the
    /// reader needs (for the error when nothing is synced), `what` what is read.
    fn get<F, Fut>(
        &self,
        store: &Store,
        needs: &str,
        what: &str,
        read: F,
    ) -> Result<(Arc<T>, String), OutcomeError>
    where
        F: FnOnce(crate::Vintage) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = Result<T, String>>,
    {
        let v = store
            .require_current()
            .map_err(|e| no_data(format!("{needs}: {e}")))?;
        let mut cache = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((id, x)) = cache.as_ref()
            && *id == v.id
        {
            return Ok((x.clone(), id.clone()));
        }
        let id = v.id.clone();
        let value = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            rt.block_on(read(v))
        })
        .join()
        .map_err(|_| no_data(format!("reading {what} panicked")))?
        .map_err(|e| no_data(format!("reading {what} of vintage {id}: {e}")))?;
        let value = Arc::new(value);
        *cache = Some((id.clone(), value.clone()));
        Ok((value, id))
    }
}

impl PredictorSource for ConflictSource {
    fn name(&self) -> &'static str {
        "conflict"
    }

    fn description(&self) -> &'static str {
        "the conflict early-warning forecast (ViEWS-style, 1-14 months ahead) of the latest stored run"
    }

    fn kind(&self) -> PredictorKind {
        PredictorKind::Forecast
    }

    fn quantities(&self) -> Vec<QuantitySpec> {
        attache_forecast::predictor::quantities()
    }

    fn open(&self, _: &Settings) -> Result<Box<dyn OutcomePredictor + Send>, OutcomeError> {
        let m = self
            .forecasts
            .latest()
            .map_err(|e| no_data(e.to_string()))?
            .ok_or_else(|| {
                no_data(format!(
                    "no forecast run in {}: run `attache forecast run` first",
                    self.forecasts.root().display()
                ))
            })?;
        let run = self
            .forecasts
            .load(m)
            .map_err(|e| no_data(e.to_string()))?
            .ok_or_else(|| no_data(format!("the forecast run as of {m} is gone")))?;
        Ok(Box::new(ConflictForecastPredictor::new(run)?))
    }
}

/// `climate`: the climate emulator (FaIR ensemble) under a built-in or policy scenario. The
/// policy world (national emissions and NDCs) is read once per vintage and kept.
#[derive(Debug, Clone)]
pub struct ClimateSource {
    store: Store,
    world: PerVintage<World>,
}

impl ClimateSource {
    pub fn new(store: Store) -> Self {
        ClimateSource {
            store,
            world: PerVintage::default(),
        }
    }

    /// The current vintage's policy world (read on its own thread: callable from any thread).
    fn world(&self) -> Result<(World, String), OutcomeError> {
        let (w, id) = self.world.get(
            &self.store,
            "this scenario needs the national emissions and NDCs of a synced store",
            "the climate-policy inputs",
            |v| async move {
                crate::pledge_inputs::pledge_world(&v)
                    .await
                    .map_err(|e| e.to_string())
            },
        )?;
        Ok(((*w).clone(), id))
    }
}

const CLIMATE_SETTINGS: &[SettingSpec] = &[
    SettingSpec {
        name: "scenario",
        description: "the scenario to be asked (a policy scenario loads the vintage's emissions and NDCs)",
    },
    SettingSpec {
        name: "members",
        description: "ensemble members",
    },
    SettingSpec {
        name: "seed",
        description: "ensemble seed",
    },
    SettingSpec {
        name: "params",
        description: "parameter set (e.g. calibrated-hist)",
    },
    SettingSpec {
        name: "reference",
        description: "the SSP supplying land-use CO2 and the other gases (default ssp245)",
    },
    SettingSpec {
        name: "conditional",
        description: "true: pledges at their conditional end (default false)",
    },
];

fn setting<T: std::str::FromStr>(s: &Settings, name: &str) -> Result<Option<T>, OutcomeError>
where
    T::Err: std::fmt::Display,
{
    s.get(name)
        .map(|v| {
            v.parse().map_err(|e: T::Err| OutcomeError::BadSetting {
                model: "climate".into(),
                setting: name.into(),
                value: v.into(),
                reason: e.to_string(),
            })
        })
        .transpose()
}

impl PredictorSource for ClimateSource {
    fn name(&self) -> &'static str {
        "climate"
    }

    fn description(&self) -> &'static str {
        "the climate emulator (FaIR 1.6 port, seeded ensemble) under a built-in or policy scenario"
    }

    fn kind(&self) -> PredictorKind {
        PredictorKind::Simulation
    }

    fn quantities(&self) -> Vec<QuantitySpec> {
        ClimatePredictor::new().quantities()
    }

    fn settings(&self) -> &'static [SettingSpec] {
        CLIMATE_SETTINGS
    }

    /// Loading the policy world runs SQL on its own thread, so this may be called from any
    /// thread (it blocks until the inputs are read, the first time per vintage).
    fn open(&self, s: &Settings) -> Result<Box<dyn OutcomePredictor + Send>, OutcomeError> {
        let d = ClimateSettings::default();
        let climate = ClimateSettings {
            params: setting(s, "params")?.unwrap_or(d.params),
            ensemble: setting(s, "members")?.unwrap_or(d.ensemble),
            seed: setting(s, "seed")?.unwrap_or(d.seed),
            reference: setting(s, "reference")?.unwrap_or(d.reference),
        };
        let pathway = attache_pledges::pathway::Settings {
            conditional: setting(s, "conditional")?.unwrap_or(false),
            ..Default::default()
        };
        let mut p = ClimatePredictor::new()
            .with_climate(climate)
            .with_pathway(pathway);
        let needs_world = match s.get("scenario") {
            Some(sc) => ClimateScenario::parse(sc)?.needs_world(),
            None => false,
        };
        if needs_world {
            let (world, id) = self.world()?;
            p = p.with_world(world, id);
        }
        Ok(Box::new(p))
    }
}

/// `epidemic`: the epidemic simulator (seeded chain-binomial ensemble) on the current
/// vintage's country air network (OpenFlights routes, WDI populations as public at the run's
/// start). The vintage's rows are read once per vintage and kept.
#[derive(Debug, Clone)]
pub struct EpidemicSource {
    store: Store,
    rows: PerVintage<AirRows>,
}

impl EpidemicSource {
    pub fn new(store: Store) -> Self {
        EpidemicSource {
            store,
            rows: PerVintage::default(),
        }
    }

    /// The current vintage's rows (read on their own thread: callable from any thread).
    fn rows(&self) -> Result<(Arc<AirRows>, String), OutcomeError> {
        self.rows.get(
            &self.store,
            "the epidemic simulator needs the air routes and populations of a synced store",
            "the epidemic inputs",
            |v| async move {
                crate::epidemic_inputs::air_rows(&v)
                    .await
                    .map_err(|e| e.to_string())
            },
        )
    }
}

impl PredictorSource for EpidemicSource {
    fn name(&self) -> &'static str {
        "epidemic"
    }

    fn description(&self) -> &'static str {
        "the cross-border epidemic simulator (SIR/SEIR chain-binomial ensemble on the country air network): arrival days, attack rates, and what an option's travel levers buy"
    }

    fn kind(&self) -> PredictorKind {
        PredictorKind::Simulation
    }

    fn quantities(&self) -> Vec<QuantitySpec> {
        attache_epidemic::predictor::quantities()
    }

    fn settings(&self) -> &'static [SettingSpec] {
        attache_epidemic::predictor::SETTINGS
    }

    fn open(&self, s: &Settings) -> Result<Box<dyn OutcomePredictor + Send>, OutcomeError> {
        use attache_epidemic::air::{Level, build};
        use attache_epidemic::predictor::{EpidemicPredictor, EpidemicSettings};
        let settings = EpidemicSettings::parse(s)?;
        let (rows, id) = self.rows()?;
        let network = build(&rows.as_of(settings.start()), Level::Countries, None)
            .map_err(|e| no_data(format!("building the country network of vintage {id}: {e}")))?;
        Ok(Box::new(EpidemicPredictor::new(
            Arc::new(network),
            &id,
            settings,
        )))
    }
}

/// `trade`: the trade-policy simulator (structural gravity, GE-PPML) on the current vintage's
/// gravity panel and sanction years. The baseline is estimated once per vintage and kept.
#[derive(Clone)]
pub struct TradeSource {
    store: Store,
    fitted: PerVintage<attache_trade::FittedGravity>,
}

impl TradeSource {
    pub fn new(store: Store) -> Self {
        TradeSource {
            store,
            fitted: PerVintage::default(),
        }
    }

    /// The current vintage's fitted baseline (estimated on its own thread the first time).
    pub fn fitted(&self) -> Result<(Arc<attache_trade::FittedGravity>, String), OutcomeError> {
        use attache_trade::{Fit, Gravity};
        self.fitted.get(
            &self.store,
            "the trade simulator needs the gravity panel of a synced store",
            "the gravity baseline",
            |v| async move {
                let panel = crate::trade_inputs::gravity_panel(&v)
                    .await
                    .map_err(|e| e.to_string())?;
                Gravity::new().fit(&panel).map_err(|e| e.to_string())
            },
        )
    }
}

/// The current calendar year (UTC), for the stale-baseline flag.
fn this_year() -> i32 {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    attache_core::Date::from_days_since_epoch(days).year
}

impl PredictorSource for TradeSource {
    fn name(&self) -> &'static str {
        "trade"
    }

    fn description(&self) -> &'static str {
        "the trade-policy simulator (structural gravity, GE-PPML on the Advanced Guide's 69-country panel): what a tariff, a trade agreement or a sanction does to each country's real GDP and exports"
    }

    fn kind(&self) -> PredictorKind {
        PredictorKind::Simulation
    }

    fn quantities(&self) -> Vec<QuantitySpec> {
        attache_trade::predictor::quantities()
    }

    fn open(&self, _: &Settings) -> Result<Box<dyn OutcomePredictor + Send>, OutcomeError> {
        let (fitted, id) = self.fitted()?;
        Ok(Box::new(attache_trade::predictor::TradePredictor::new(
            fitted,
            &id,
            this_year(),
        )))
    }
}

/// `allocation`: a budget allocated across countries and goals by linear programming on the
/// current vintage's SDR 2023 goal scores (`attache_indices::plan`); the scores are read once
/// per vintage.
#[derive(Clone)]
pub struct AllocationSource {
    store: Store,
    scores: PerVintage<std::collections::BTreeMap<String, attache_indices::sdg::Goals>>,
}

impl AllocationSource {
    pub fn new(store: Store) -> Self {
        AllocationSource {
            store,
            scores: PerVintage::default(),
        }
    }

    /// The current vintage's SDR 2023 goal scores (read on their own thread the first time).
    pub fn scores(
        &self,
    ) -> Result<
        (
            Arc<std::collections::BTreeMap<String, attache_indices::sdg::Goals>>,
            String,
        ),
        OutcomeError,
    > {
        self.scores.get(
            &self.store,
            "the allocation needs the SDG goal scores of a synced store",
            "the SDG goal scores",
            |v| async move {
                let rows = crate::index_inputs::sdr_2023(&v)
                    .await
                    .map_err(|e| e.to_string())?;
                Ok(rows.into_iter().map(|r| (r.iso3, r.goals)).collect())
            },
        )
    }
}

impl PredictorSource for AllocationSource {
    fn name(&self) -> &'static str {
        "allocation"
    }

    fn description(&self) -> &'static str {
        "a budget allocated across countries and SDG goals by linear programming (the weakest goals first, diminishing returns the user states), with what binds"
    }

    fn kind(&self) -> PredictorKind {
        PredictorKind::Simulation
    }

    fn quantities(&self) -> Vec<QuantitySpec> {
        attache_indices::plan::quantities()
    }

    fn open(&self, _: &Settings) -> Result<Box<dyn OutcomePredictor + Send>, OutcomeError> {
        let (scores, id) = self.scores()?;
        Ok(Box::new(attache_indices::plan::AllocationPredictor::new(
            (*scores).clone(),
            &id,
            2023,
        )))
    }
}

/// The `negotiation` source's settings.
const NEGOTIATION_SETTINGS: &[SettingSpec] = &[SettingSpec {
    name: "tracker",
    description: "the negotiation tracker (default laws-ccw)",
}];

/// `negotiation`: a settlement proposal from a positions tracker as it stands (analysts'
/// latest edit, or the seed), with its predicted acceptability
/// (`attache_negotiation::predictor`). The tracker is read afresh at every open: it lives in
/// the operational database, not in a vintage.
#[derive(Debug, Clone)]
pub struct NegotiationSource {
    data_dir: std::path::PathBuf,
}

impl NegotiationSource {
    pub fn new(data_dir: &Path) -> Self {
        NegotiationSource {
            data_dir: data_dir.to_path_buf(),
        }
    }
}

impl PredictorSource for NegotiationSource {
    fn name(&self) -> &'static str {
        "negotiation"
    }

    fn description(&self) -> &'static str {
        "a settlement proposal (the package that maximises the minimum gain) from a negotiation's coded positions, with its predicted acceptability"
    }

    fn kind(&self) -> PredictorKind {
        PredictorKind::Simulation
    }

    fn quantities(&self) -> Vec<QuantitySpec> {
        attache_negotiation::predictor::quantities()
    }

    fn settings(&self) -> &'static [SettingSpec] {
        NEGOTIATION_SETTINGS
    }

    fn open(&self, s: &Settings) -> Result<Box<dyn OutcomePredictor + Send>, OutcomeError> {
        let id: String = setting(s, "tracker")?.unwrap_or_else(|| "laws-ccw".to_string());
        let c = crate::trackers::current(&self.data_dir, &id).map_err(|e| match e {
            e @ crate::trackers::TrackerReadError::Unknown(..) => OutcomeError::BadSetting {
                model: "negotiation".into(),
                setting: "tracker".into(),
                value: id.clone(),
                reason: e.to_string(),
            },
            e => no_data(e.to_string()),
        })?;
        let version = c
            .version
            .as_ref()
            .map_or_else(|| "seed".to_string(), |v| format!("version {}", v.seq));
        Ok(Box::new(
            attache_negotiation::predictor::ProposalPredictor::new(
                c.tracker,
                &version,
                this_year(),
            ),
        ))
    }
}

//! The one place where predictors live: a [`Registry`] of [`PredictorSource`]s, built once by
//! the binary and handed to the CLI, the server's pages and its API, so every reader sees every
//! predictor the same way. A new simulator plugs in with one `.with(...)` line where the
//! registry is built (`attache_store::predictors::registry`).
//!
//! A source names a predictor (`conflict`, `climate`), says what it is and which settings it
//! takes (ensemble members, seed, ...), and opens a ready [`OutcomePredictor`] for one request:
//! reading a stored run, or loading the inputs a simulation needs. The source may do IO (it
//! lives in the store-side crate that reads the capability's data); this module does none.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{OutcomeError, OutcomePredictor, QuantitySpec};

/// What kind of evidence a predictor's outcomes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PredictorKind {
    /// A statistical forecast from data up to an as-of date.
    Forecast,
    /// A simulation of a scenario (a policy option, an emissions pathway).
    Simulation,
}

impl PredictorKind {
    /// In words, as listings and the API show it.
    pub fn as_str(self) -> &'static str {
        match self {
            PredictorKind::Forecast => "forecast",
            PredictorKind::Simulation => "simulation",
        }
    }
}

/// One setting a source accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettingSpec {
    pub name: &'static str,
    pub description: &'static str,
}

/// The settings of one request, by name (values as the user gave them; the source parses them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings(BTreeMap<String, String>);

impl Settings {
    pub fn new() -> Self {
        Settings::default()
    }

    /// The same settings with `name = value`.
    pub fn set(mut self, name: &str, value: impl ToString) -> Self {
        self.0.insert(name.to_string(), value.to_string());
        self
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// These settings, plus the query's `scenario` as the `scenario` setting when `source`
    /// takes its scenario that way (the climate emulator) and no `scenario` setting is given:
    /// a setting named explicitly wins. `brief predict` and the brief page both open
    /// predictors through this.
    pub fn with_scenario(self, source: &dyn PredictorSource, scenario: &str) -> Self {
        let takes = source.settings().iter().any(|s| s.name == "scenario");
        if takes && !scenario.trim().is_empty() && self.get("scenario").is_none() {
            self.set("scenario", scenario)
        } else {
            self
        }
    }
}

/// A predictor the deployment offers, and how to open it for a request.
pub trait PredictorSource: Send + Sync {
    /// The stable name (`attache brief predict --model NAME`, the API's `model`).
    fn name(&self) -> &'static str;
    /// What it predicts, in words.
    fn description(&self) -> &'static str;
    fn kind(&self) -> PredictorKind;
    /// The quantities its predictors answer (without opening one).
    fn quantities(&self) -> Vec<QuantitySpec>;
    /// The settings [`PredictorSource::open`] accepts; the registry refuses any other.
    fn settings(&self) -> &'static [SettingSpec] {
        &[]
    }
    /// A predictor for one request.
    fn open(&self, settings: &Settings) -> Result<Box<dyn OutcomePredictor + Send>, OutcomeError>;
}

/// Every predictor of the deployment, by name, in the order added.
#[derive(Clone, Default)]
pub struct Registry {
    sources: Vec<Arc<dyn PredictorSource>>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.names()).finish()
    }
}

impl Registry {
    pub fn new() -> Self {
        Registry::default()
    }

    /// The registry with `source` added. Two sources of one name are a wiring bug: it panics.
    pub fn with(mut self, source: impl PredictorSource + 'static) -> Self {
        assert!(
            self.find(source.name()).is_none(),
            "two predictors named {:?}",
            source.name()
        );
        self.sources.push(Arc::new(source));
        self
    }

    pub fn names(&self) -> Vec<&'static str> {
        self.sources.iter().map(|s| s.name()).collect()
    }

    pub fn iter(&self) -> impl Iterator<Item = &dyn PredictorSource> {
        self.sources.iter().map(|s| s.as_ref())
    }

    fn find(&self, name: &str) -> Option<&dyn PredictorSource> {
        self.iter().find(|s| s.name() == name)
    }

    /// The source named `name`, or an error listing the names there are.
    pub fn get(&self, name: &str) -> Result<&dyn PredictorSource, OutcomeError> {
        self.find(name).ok_or_else(|| OutcomeError::UnknownModel {
            model: name.to_string(),
            known: self.names().join(", "),
        })
    }

    /// Opens predictor `name` with `settings`, refusing settings it does not declare.
    pub fn open(
        &self,
        name: &str,
        settings: &Settings,
    ) -> Result<Box<dyn OutcomePredictor + Send>, OutcomeError> {
        let source = self.get(name)?;
        let known = source.settings();
        if let Some(bad) = settings
            .names()
            .find(|n| !known.iter().any(|k| k.name == *n))
        {
            return Err(OutcomeError::UnknownSetting {
                model: name.to_string(),
                setting: bad.to_string(),
                known: known.iter().map(|k| k.name).collect::<Vec<_>>().join(", "),
            });
        }
        source.open(settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::{ModelRef, OutcomeQuery, PredictedOutcome};

    struct Fixed(&'static str);

    impl OutcomePredictor for Fixed {
        fn model(&self) -> ModelRef {
            ModelRef {
                name: self.0.into(),
                version: "1".into(),
            }
        }
        fn data_vintage(&self) -> String {
            "test".into()
        }
        fn quantities(&self) -> Vec<QuantitySpec> {
            Vec::new()
        }
        fn predict(&self, q: &OutcomeQuery) -> Result<PredictedOutcome, OutcomeError> {
            Err(OutcomeError::NoData {
                reason: format!("{} has no data for {}", self.0, q.quantity),
            })
        }
    }

    impl PredictorSource for Fixed {
        fn name(&self) -> &'static str {
            self.0
        }
        fn description(&self) -> &'static str {
            "a test predictor"
        }
        fn kind(&self) -> PredictorKind {
            PredictorKind::Simulation
        }
        fn quantities(&self) -> Vec<QuantitySpec> {
            Vec::new()
        }
        fn settings(&self) -> &'static [SettingSpec] {
            &[SettingSpec {
                name: "seed",
                description: "random seed",
            }]
        }
        fn open(&self, _: &Settings) -> Result<Box<dyn OutcomePredictor + Send>, OutcomeError> {
            Ok(Box::new(Fixed(self.0)))
        }
    }

    fn check(r: &Registry, name: &str, settings: Settings, expect: Result<&str, &str>) {
        match (r.open(name, &settings), expect) {
            (Ok(p), Ok(model)) => assert_eq!(p.model().name, model),
            (Err(e), Err(msg)) => assert!(e.to_string().contains(msg), "{e}"),
            (Ok(p), Err(msg)) => panic!("opened {} but expected {msg}", p.model()),
            (Err(e), Ok(_)) => panic!("{e}"),
        }
    }

    #[test]
    fn names_settings_and_errors() {
        let r = Registry::new().with(Fixed("a")).with(Fixed("b"));
        assert_eq!(r.names(), ["a", "b"]);
        check(&r, "a", Settings::new(), Ok("a"));
        check(&r, "b", Settings::new().set("seed", 7), Ok("b"));
        check(
            &r,
            "c",
            Settings::new(),
            Err("unknown model \"c\" (known: a, b)"),
        );
        check(&r, "a", Settings::new().set("members", 9), Err("members"));
    }

    #[test]
    #[should_panic(expected = "two predictors named")]
    fn one_name_once() {
        let _ = Registry::new().with(Fixed("a")).with(Fixed("a"));
    }
}

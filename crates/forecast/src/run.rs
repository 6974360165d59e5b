//! What a published forecast run is: its provenance and labels ([`RunMeta`]), each country's
//! outlook (P(>= 25) in any of the next 12 months, novelty, drivers in words) and each
//! country-month's quantiles. `attache forecast run` makes one; `attache-store` keeps it
//! (`ForecastStore`); the CLI, the dashboard, the API and the conflict predictor
//! ([`crate::predictor`]) read the same values. No IO here.

use attache_core::MonthId;
use serde::{Deserialize, Serialize};

/// JSON has no NaN: a missing value (NaN) is written as `null` and read back as NaN.
mod nan_null {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        if v.is_finite() {
            s.serialize_f64(*v)
        } else {
            s.serialize_none()
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
    }
}

/// Provenance of a run and the labels every view must show with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunMeta {
    /// "Reference forecast: ..." — shown next to every number from this run.
    pub label: String,
    /// The last month of data used (YYYY-MM).
    pub as_of: String,
    /// First and last forecast month (YYYY-MM).
    pub months: [String; 2],
    pub vintage: String,
    pub model: String,
    pub model_version: String,
    pub seed: u64,
    pub draws: usize,
    pub novelty_label: String,
}

/// The novelty of a country's inputs against the training data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoveltyRecord {
    #[serde(with = "nan_null")]
    pub score: f64,
    #[serde(with = "nan_null")]
    pub percentile: f64,
    pub flagged: bool,
    pub label: Option<String>,
}

/// One driver of a country's forecast, with its text for a reader.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriverRecord {
    pub feature: String,
    pub label: String,
    /// The input's value (NaN when missing).
    #[serde(with = "nan_null")]
    pub value: f64,
    #[serde(with = "nan_null")]
    pub contribution: f64,
    pub text: String,
}

/// A country's outlook over the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountryOutlook {
    pub iso3: String,
    pub views_id: i64,
    pub name: String,
    /// P(>= 25 state-based deaths in at least one of the next 12 months).
    pub p_any_ge25_next12: Option<f64>,
    /// State-based deaths in the country's worst month of the 12 up to the as-of month (runs
    /// stored before this field existed read as `None`).
    #[serde(default)]
    pub worst_recent_month: Option<f64>,
    pub novelty: Option<NoveltyRecord>,
    pub drivers: Vec<DriverRecord>,
}

/// One country-month of a run: median, 50% and 90% intervals, P(>= 25).
#[derive(Debug, Clone, PartialEq)]
pub struct MonthOutlook {
    pub iso3: String,
    pub views_id: i64,
    pub month_id: MonthId,
    pub median: f64,
    pub q05: f64,
    pub q25: f64,
    pub q75: f64,
    pub q95: f64,
    pub p_ge_25: f64,
}

/// A whole stored run.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastRun {
    pub meta: RunMeta,
    pub countries: Vec<CountryOutlook>,
    pub months: Vec<MonthOutlook>,
}

impl ForecastRun {
    pub fn country(&self, iso3: &str) -> Option<&CountryOutlook> {
        self.countries.iter().find(|c| c.iso3 == iso3)
    }

    /// The watch list: countries quiet for a year (worst recent month below 25 deaths) ranked by
    /// their risk of 25+ deaths in a month of the next 12, highest first (ties by name).
    pub fn watch_list(&self) -> Vec<&CountryOutlook> {
        let mut v: Vec<&CountryOutlook> = self
            .countries
            .iter()
            .filter(|c| {
                c.worst_recent_month.is_some_and(|w| w < 25.0) && c.p_any_ge25_next12.is_some()
            })
            .collect();
        v.sort_by(|a, b| {
            b.p_any_ge25_next12
                .unwrap_or(0.0)
                .total_cmp(&a.p_any_ge25_next12.unwrap_or(0.0))
                .then(a.name.cmp(&b.name))
        });
        v
    }

    /// The country's months in month order.
    pub fn months_of<'a>(&'a self, iso3: &'a str) -> impl Iterator<Item = &'a MonthOutlook> + 'a {
        self.months.iter().filter(move |m| m.iso3 == iso3)
    }
}

//! Signals beyond events for the country pages and `GET /api/v1/speeches` (issue 15, item 4):
//! night lights and gas flaring (annual satellite series) and the tone and topic shares of a
//! state's UN General Debate speeches. The store reads them (`attache_store::signals`); this
//! view keeps them per vintage and builds the speeches' one [`Table`], which the country page
//! renders in part and the API serves whole.

use std::collections::BTreeMap;
use std::sync::Arc;

use attache_store::signals::{self as store_signals, AnnualValue, SpeechTone};
use attache_text::TOPICS;
use serde_json::json;

use crate::AppState;
use crate::download::{Column, Table};
use crate::error::AppError;
use crate::params::Params;

/// One year of a satellite signal: the value, and its change (night lights: log change
/// against the mean of the earlier years; gas flaring: change in BCM on the year before).
#[derive(Debug, Clone, PartialEq)]
pub struct SignalYear {
    pub year: i32,
    pub value: f64,
    pub change: Option<f64>,
}

/// Every country's signals in a vintage, by ISO3, years ascending.
#[derive(Debug, Default)]
pub struct Signals {
    pub night_lights: BTreeMap<String, Vec<SignalYear>>,
    pub gas_flaring: BTreeMap<String, Vec<SignalYear>>,
    pub speeches: BTreeMap<String, Vec<SpeechTone>>,
    /// The tone dictionary scored on the vintage's labelled headlines (`None` without them).
    pub tone_check: Option<attache_text::ToneCheck>,
}

impl Signals {
    /// The last `n` years of a country's night lights and gas flaring.
    pub fn of(&self, iso3: &str, n: usize) -> (Vec<SignalYear>, Vec<SignalYear>) {
        let last = |m: &BTreeMap<String, Vec<SignalYear>>| {
            m.get(iso3)
                .map(|v| v[v.len().saturating_sub(n)..].to_vec())
                .unwrap_or_default()
        };
        (last(&self.night_lights), last(&self.gas_flaring))
    }

    /// A state's speeches, years ascending.
    pub fn speeches_of(&self, iso3: &str) -> &[SpeechTone] {
        self.speeches.get(iso3).map_or(&[], Vec::as_slice)
    }
}

fn by_country(rows: Vec<AnnualValue>) -> BTreeMap<String, Vec<SignalYear>> {
    let mut out: BTreeMap<String, Vec<SignalYear>> = BTreeMap::new();
    for r in rows {
        out.entry(r.iso3).or_default().push(SignalYear {
            year: r.year,
            value: r.value,
            change: r.change,
        });
    }
    out
}

/// The signals of the current vintage (read once per vintage).
pub async fn signals(state: &AppState) -> Result<Arc<Signals>, AppError> {
    let v = state.vintage()?;
    let id = v.id.clone();
    if let Some(d) = state
        .signals
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&id)
    {
        return Ok(d);
    }
    let lights = store_signals::night_lights(&v)
        .await
        .map_err(AppError::internal)?;
    let flaring = store_signals::gas_flaring(&v)
        .await
        .map_err(AppError::internal)?;
    let speeches = store_signals::speech_tone(&v)
        .await
        .map_err(AppError::internal)?;
    let headlines = store_signals::labelled_headlines(&v)
        .await
        .map_err(AppError::internal)?;
    crate::climate::cached(&state.work, &state.signals, id, move || {
        let mut by_state: BTreeMap<String, Vec<SpeechTone>> = BTreeMap::new();
        for s in speeches {
            if let Some(k) = s.iso3.clone() {
                by_state.entry(k).or_default().push(s);
            }
        }
        let tone_check = (!headlines.is_empty())
            .then(|| attache_text::check::check(headlines.iter().map(|(h, v)| (h.as_str(), *v))));
        Ok(Signals {
            night_lights: by_country(lights),
            gas_flaring: by_country(flaring),
            speeches: by_state,
            tone_check,
        })
    })
    .await
}

/// A state's General Debate speeches.
#[derive(Debug, Clone)]
pub struct CountrySpeeches {
    pub iso3: String,
    pub name: String,
    pub speeches: Vec<SpeechTone>,
    pub permalink: String,
}

/// The parameters the view takes (the API documents the same).
pub const KNOWN: [&str; 2] = ["country", "format"];

/// The view for `params` (`country` required: any code or name the crosswalk knows).
pub async fn speeches(state: &AppState, params: &Params) -> Result<CountrySpeeches, AppError> {
    params.only(&KNOWN)?;
    let country = super::country_param(params)?;
    let s = signals(state).await?;
    Ok(CountrySpeeches {
        iso3: country.iso3.clone(),
        name: country.name.clone(),
        speeches: s.speeches_of(&country.iso3).to_vec(),
        permalink: format!("/api/v1/speeches?country={}", country.iso3),
    })
}

/// What the tone figure is, for captions and the table's meta.
pub const TONE_LABEL: &str = "Tone of the speech: ln((positive words + 0.5) / (negative words + 0.5)) over stated word lists (0 balanced, +1 about 2.7 times as many positive words). A dictionary count, not a reading of intent; checked against 4,999 labelled news headlines (see the methodology page).";

/// The view's table: one row per speech.
pub fn table(v: &CountrySpeeches) -> Table {
    let s = &v.speeches;
    let mut t = Table::new(
        format!("attache-speeches-{}", v.iso3),
        json!({"view": "speeches", "country": v.iso3, "permalink": v.permalink,
            "label": TONE_LABEL,
            "source": "United Nations General Debate Corpus 1946-2024 (Jankin, Baturo & Dasandi), table ungdc_tone; a year's speeches are taken as public six months after it ends",
            "method": "attache_text: words are lowercased letter runs; tone = ln((positive + 0.5) / (negative + 0.5)) (Lowe et al. 2011) over attache_text::tone::{POSITIVE, NEGATIVE}; topic_* = share of the speech's sentences holding one of the topic's keywords (attache_text::TOPICS)"}),
    )
    .with("year", Column::Int(s.iter().map(|x| Some(i64::from(x.year))).collect()))
    .with("session", Column::Int(s.iter().map(|x| Some(x.session)).collect()))
    .with("code", Column::Text(s.iter().map(|x| Some(x.code.clone())).collect()))
    .with("words", Column::Int(s.iter().map(|x| Some(x.words)).collect()))
    .with("sentences", Column::Int(s.iter().map(|x| Some(x.sentences)).collect()))
    .with("positive", Column::Int(s.iter().map(|x| Some(x.positive)).collect()))
    .with("negative", Column::Int(s.iter().map(|x| Some(x.negative)).collect()))
    .with("tone", Column::Float(s.iter().map(|x| Some(x.tone)).collect()));
    for (i, topic) in TOPICS.iter().enumerate() {
        t = t.with(
            &topic.column(),
            Column::Float(s.iter().map(|x| x.topics[i]).collect()),
        );
    }
    t
}

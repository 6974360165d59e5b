//! `/events`: a country's daily event index over time (events, material conflict, conflict
//! share, mean Goldstein and tone, the share of the feed's volume and its z-score) from the
//! event store's `event_index`, and its most reported events. The page, its downloads and the
//! API (`/api/v1/events`) share the one table.

use serde_json::json;

use crate::AppState;
use crate::download::{Column, Table};
use crate::error::AppError;
use crate::params::Params;

/// Parameters this view takes.
pub(crate) const KNOWN: [&str; 3] = ["country", "source", "format"];

/// One day of a country's index.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    pub source: String,
    pub day: String,
    pub events: i64,
    pub material_conflict: i64,
    pub conflict_share: f64,
    pub goldstein_mean: Option<f64>,
    pub tone_mean: Option<f64>,
    pub share: f64,
    pub z_events: Option<f64>,
}

/// One of the most reported events.
#[derive(Debug, Clone, PartialEq)]
pub struct TopEvent {
    pub source: String,
    pub event_id: i64,
    pub date: String,
    pub cameo: String,
    pub goldstein: Option<f64>,
    pub articles: i64,
    pub article: String,
}

/// What the view shows.
#[derive(Debug, Clone)]
pub struct CountryEvents {
    pub iso3: String,
    pub name: String,
    pub source: Option<String>,
    pub days: Vec<Day>,
    pub top: Vec<TopEvent>,
    pub permalink: String,
}

/// Whether the event store holds an index (nothing imported yet otherwise).
pub fn available(state: &AppState) -> bool {
    attache_store::events::EventStore::new(state.store.root()).has("event_index")
}

use arrow::array::{Array, Float64Array, Int64Array, StringArray};
use arrow::record_batch::RecordBatch;

fn bad() -> AppError {
    AppError::internal("event store: a column of an unexpected type")
}

fn text(b: &RecordBatch, i: usize) -> Result<&StringArray, AppError> {
    b.column(i).as_any().downcast_ref().ok_or_else(bad)
}

fn int(b: &RecordBatch, i: usize) -> Result<&Int64Array, AppError> {
    b.column(i).as_any().downcast_ref().ok_or_else(bad)
}

fn float(b: &RecordBatch, i: usize) -> Result<&Float64Array, AppError> {
    b.column(i).as_any().downcast_ref().ok_or_else(bad)
}

fn opt(a: &Float64Array, i: usize) -> Option<f64> {
    (!a.is_null(i)).then(|| a.value(i))
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The view for `params` (`country` required: any code or name the crosswalk knows).
pub async fn view(state: &AppState, params: &Params) -> Result<CountryEvents, AppError> {
    params.only(&KNOWN)?;
    let country = super::country_param(params)?;
    let source = match params
        .get("source")
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s @ ("gdelt" | "icews")) => Some(s.to_string()),
        Some(s) => {
            return Err(AppError::BadRequest(format!(
                "source={s:?}: gdelt or icews"
            )));
        }
    };
    let iso3 = country.iso3.clone();
    let mut permalink = format!("/events?country={iso3}");
    if let Some(s) = &source {
        permalink.push_str(&format!("&source={s}"));
    }
    let mut out = CountryEvents {
        iso3: iso3.clone(),
        name: country.name.clone(),
        source: source.clone(),
        days: Vec::new(),
        top: Vec::new(),
        permalink,
    };
    if !available(state) {
        return Ok(out);
    }
    let v = state.vintage()?;
    let src = source
        .as_ref()
        .map_or(String::new(), |s| format!(" and source = {}", quote(s)));
    let sql = format!(
        "select source, period, cast(events as bigint) as n, cast(quad4 + quad3 as bigint) as conflict, cast(quad4 as bigint) as material, goldstein_mean, tone_mean, share, z_events \
         from event_index where scope = 'country' and granularity = 'day' and iso3 = {}{src} order by source, period",
        quote(&iso3)
    );
    let batches = v.sql(&sql).await.map_err(AppError::internal)?;
    for b in &batches {
        let (source, day, events, conflict, quad4) =
            (text(b, 0)?, text(b, 1)?, int(b, 2)?, int(b, 3)?, int(b, 4)?);
        let (gold, tone, share, z) = (float(b, 5)?, float(b, 6)?, float(b, 7)?, float(b, 8)?);
        for i in 0..b.num_rows() {
            let e = events.value(i);
            out.days.push(Day {
                source: source.value(i).to_string(),
                day: day.value(i).to_string(),
                events: e,
                material_conflict: quad4.value(i),
                conflict_share: if e > 0 {
                    conflict.value(i) as f64 / e as f64
                } else {
                    0.0
                },
                goldstein_mean: opt(gold, i),
                tone_mean: opt(tone, i),
                share: share.value(i),
                z_events: opt(z, i),
            });
        }
    }
    let sql = format!(
        "select source, cast(event_id as bigint) as id, date, cameo, goldstein, cast(num_articles as bigint) as articles, article from events \
         where iso3 = {}{src} order by articles desc, date desc, id limit 20",
        quote(&iso3)
    );
    for b in &v.sql(&sql).await.map_err(AppError::internal)? {
        let (source, id, date, cameo) = (text(b, 0)?, int(b, 1)?, text(b, 2)?, text(b, 3)?);
        let (gold, arts, article) = (float(b, 4)?, int(b, 5)?, text(b, 6)?);
        for i in 0..b.num_rows() {
            out.top.push(TopEvent {
                source: source.value(i).to_string(),
                event_id: id.value(i),
                date: date.value(i).to_string(),
                cameo: cameo.value(i).to_string(),
                goldstein: opt(gold, i),
                articles: arts.value(i),
                article: article.value(i).to_string(),
            });
        }
    }
    Ok(out)
}

/// The view's table: one row per source and day.
pub fn table(v: &CountryEvents) -> Table {
    let d = &v.days;
    Table::new(
        format!("attache-events-{}", v.iso3),
        json!({"view": "events", "country": v.iso3, "source": v.source, "permalink": v.permalink,
            "label": "Counts of reported events (GDELT, ICEWS): what the news reported, not what happened; volume drifts, so read share and z-scores.",
            "method": "attache_events::index: per country and day, events by CAMEO QuadClass, conflict share = QuadClass 3-4 / events, Goldstein and tone means, share of the feed's daily volume, z-score of events against the country's previous 28 days"}),
    )
    .with("source", Column::Text(d.iter().map(|x| Some(x.source.clone())).collect()))
    .with("day", Column::Text(d.iter().map(|x| Some(x.day.clone())).collect()))
    .with("events", Column::Int(d.iter().map(|x| Some(x.events)).collect()))
    .with(
        "material_conflict",
        Column::Int(d.iter().map(|x| Some(x.material_conflict)).collect()),
    )
    .with(
        "conflict_share",
        Column::Float(d.iter().map(|x| Some(x.conflict_share)).collect()),
    )
    .with(
        "goldstein_mean",
        Column::Float(d.iter().map(|x| x.goldstein_mean).collect()),
    )
    .with("tone_mean", Column::Float(d.iter().map(|x| x.tone_mean).collect()))
    .with("share_of_volume", Column::Float(d.iter().map(|x| Some(x.share)).collect()))
    .with("z_events", Column::Float(d.iter().map(|x| x.z_events).collect()))
}

//! `/alerts`: the alerts the event rules raised on the imported feeds (`attache events
//! import|follow|backfill` writes the `alerts` table of the event store, `attache_store::events`),
//! newest first, filtered by country and rule; each with its value, threshold, explanation and
//! evidence (the events and their source URLs). The page, its downloads, the API
//! (`/api/v1/alerts`) and the Atom feed (`/alerts.atom`) read this one table.

use serde_json::{Value, json};

use crate::AppState;
use crate::download::{Column, Table};
use crate::error::AppError;
use crate::params::Params;

/// Parameters this view takes.
pub(crate) const KNOWN: [&str; 3] = ["country", "rule", "format"];

/// The rules an alert may carry (`attache_events::alerts::Rule`).
pub const RULES: [&str; 5] = [
    "nb_cusum",
    "goldstein_shift",
    "tone_shift",
    "conflict_share_shift",
    "hdx_surge",
];

/// One alert.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertRow {
    pub id: String,
    pub rule: String,
    pub iso3: String,
    pub raised_on: String,
    pub level: String,
    pub value: f64,
    pub threshold: f64,
    pub explanation: String,
    /// The evidence as stored (a JSON array of `{id, date, value, url, note}`).
    pub evidence: Vec<Value>,
}

/// Filters of the list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub country: Option<String>,
    pub rule: Option<String>,
}

/// Parses the filters (a country by any code or name the crosswalk knows; a known rule).
pub fn filter(params: &Params) -> Result<Filter, AppError> {
    params.only(&KNOWN)?;
    let country = match params
        .get("country")
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        None => None,
        Some(c) => Some(
            attache_core::Crosswalk::global()
                .find(c)
                .map(|x| x.iso3.clone())
                .map_err(|e| AppError::BadRequest(format!("country={c:?}: {e}")))?,
        ),
    };
    let rule = match params.get("rule").map(str::trim).filter(|r| !r.is_empty()) {
        None => None,
        Some(r) if RULES.contains(&r) => Some(r.to_string()),
        Some(r) => {
            return Err(AppError::BadRequest(format!(
                "rule={r:?}: one of {}",
                RULES.join(", ")
            )));
        }
    };
    Ok(Filter { country, rule })
}

/// Every stored alert, newest first (none when no events were imported).
pub async fn all(state: &AppState) -> Result<Vec<AlertRow>, AppError> {
    let v = state.vintage()?;
    let es = attache_store::events::EventStore::new(state.store.root());
    if !es.has("alerts") {
        return Ok(Vec::new());
    }
    let sql = "select id, rule, iso3, raised_on, level, value, threshold, explanation, evidence from alerts order by raised_on desc, id";
    let batches = v.sql(sql).await.map_err(AppError::internal)?;
    let mut out = Vec::new();
    for b in &batches {
        let s = |i: usize| {
            b.column(i)
                .as_any()
                .downcast_ref::<arrow::array::StringArray>()
                .ok_or_else(|| AppError::internal("alerts: a text column is not text"))
        };
        let f = |i: usize| {
            b.column(i)
                .as_any()
                .downcast_ref::<arrow::array::Float64Array>()
                .ok_or_else(|| AppError::internal("alerts: a number column is not a number"))
        };
        let (id, rule, iso3, day, level) = (s(0)?, s(1)?, s(2)?, s(3)?, s(4)?);
        let (value, threshold, expl, ev) = (f(5)?, f(6)?, s(7)?, s(8)?);
        for i in 0..b.num_rows() {
            let evidence = match serde_json::from_str::<Value>(ev.value(i)) {
                Ok(Value::Array(a)) => a,
                _ => return Err(AppError::internal("alerts: evidence is not a JSON array")),
            };
            out.push(AlertRow {
                id: id.value(i).to_string(),
                rule: rule.value(i).to_string(),
                iso3: iso3.value(i).to_string(),
                raised_on: day.value(i).to_string(),
                level: level.value(i).to_string(),
                value: value.value(i),
                threshold: threshold.value(i),
                explanation: expl.value(i).to_string(),
                evidence,
            });
        }
    }
    Ok(out)
}

/// The alerts `f` selects.
pub fn select(rows: Vec<AlertRow>, f: &Filter) -> Vec<AlertRow> {
    rows.into_iter()
        .filter(|r| f.country.as_ref().is_none_or(|c| *c == r.iso3))
        .filter(|r| f.rule.as_ref().is_none_or(|x| *x == r.rule))
        .collect()
}

/// An alert's permalink path.
pub fn path(id: &str) -> String {
    format!("/alerts/{}", crate::views::enc(id))
}

/// The view's table: one row per alert, newest first.
pub fn table(rows: &[AlertRow], f: &Filter) -> Table {
    let text =
        |g: &dyn Fn(&AlertRow) -> String| Column::Text(rows.iter().map(|r| Some(g(r))).collect());
    let num =
        |g: &dyn Fn(&AlertRow) -> f64| Column::Float(rows.iter().map(|r| Some(g(r))).collect());
    let meta = json!({
        "view": "alerts", "country": f.country, "rule": f.rule,
        "label": "Warning signs from event feeds, raised by stated rules: a reference for an analyst, not a finding. Each alert lists the events behind it.",
        "rules": {
            "nb_cusum": "negative-binomial CUSUM on daily material-conflict events (Hawkins & Olwell 1998): 28-day baseline, doubling, h = 4, at least 5 events",
            "goldstein_shift": "mean Goldstein of the last 7 days against the 90 days before, |z| >= 3",
            "tone_shift": "mean tone of the last 7 days against the 90 days before, |z| >= 3",
            "conflict_share_shift": "share of conflict events (QuadClass 3-4) of the last 7 days against the 90 days before, z >= 3",
        },
    });
    Table::new("attache-alerts".to_string(), meta)
        .with("id", text(&|r| r.id.clone()))
        .with("rule", text(&|r| r.rule.clone()))
        .with("iso3", text(&|r| r.iso3.clone()))
        .with("raised_on", text(&|r| r.raised_on.clone()))
        .with("level", text(&|r| r.level.clone()))
        .with("value", num(&|r| r.value))
        .with("threshold", num(&|r| r.threshold))
        .with("explanation", text(&|r| r.explanation.clone()))
        .with(
            "evidence_rows",
            Column::Int(rows.iter().map(|r| Some(r.evidence.len() as i64)).collect()),
        )
        .with("permalink", text(&|r| path(&r.id)))
}

/// The newest `max` alerts as an Atom 1.0 feed (RFC 4287); `base` is the site's origin as
/// the request named it (links are made absolute with it).
pub fn atom(rows: &[AlertRow], base: &str, max: usize) -> String {
    use attache_viz::xml::esc as xml;
    let updated = rows
        .first()
        .map_or_else(|| "1970-01-01".to_string(), |r| r.raised_on.clone());
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Attaché alerts</title><id>{b}/alerts</id><link rel=\"self\" href=\"{b}/alerts.atom\"/><link href=\"{b}/alerts\"/><updated>{updated}T00:00:00Z</updated><author><name>Attaché</name></author>",
        b = xml(base)
    );
    for r in rows.iter().take(max) {
        s.push_str(&format!(
            "<entry><title>{} {} ({})</title><id>{b}{p}</id><link href=\"{b}{p}\"/><updated>{}T00:00:00Z</updated><summary>{}</summary></entry>",
            xml(&r.iso3),
            xml(&r.rule),
            xml(&r.raised_on),
            xml(&r.raised_on),
            xml(&r.explanation),
            b = xml(base),
            p = xml(&path(&r.id)),
        ));
    }
    s.push_str("</feed>\n");
    s
}

//! `/alerts` (newest first, filters by country and rule, downloads), `/alerts/{id}` (one alert
//! with its evidence: the events and the articles behind it) and `/alerts.atom` (an Atom feed
//! of the newest 50). The view is `views::alerts`.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use maud::html;

use crate::AppState;
use crate::auth::Viewer;
use crate::error::AppError;
use crate::html::{how_to_read, page as layout, scrolling, view_links};
use crate::params::{Format, Params};
use crate::views::alerts::{RULES, all, atom as atom_feed, filter, path, select, table};

/// Alerts shown on the list page (the download has them all).
const SHOWN: usize = 200;

pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    params: Params,
) -> Result<Response, AppError> {
    let format = params.format(
        Format::Html,
        &[Format::Html, Format::Csv, Format::Json, Format::Parquet],
    )?;
    let f = filter(&params)?;
    let rows = select(all(&state).await?, &f);
    if format != Format::Html {
        return table(&rows, &f).respond(format);
    }
    let mut permalink = "/alerts".to_string();
    let mut q = Vec::new();
    if let Some(c) = &f.country {
        q.push(format!("country={c}"));
    }
    if let Some(r) = &f.rule {
        q.push(format!("rule={r}"));
    }
    if !q.is_empty() {
        permalink = format!("{permalink}?{}", q.join("&"));
    }
    let body = html! {
        h1 { "Alerts from event feeds" }
        (how_to_read(&[
            "Each alert is a rule firing on the daily event counts of one country: a surge of material-conflict events, or a fall in Goldstein score or tone, or a rise in the share of conflict events.",
            "Open an alert to see the events and articles behind it. An alert is a warning sign for an analyst to check, not a finding.",
        ]))
        p.reference role="note" { "Warning signs raised by stated rules on imported feeds (GDELT, ICEWS): a reference for an analyst, not a finding." }
        form method="get" action="/alerts" {
            label { "Country " input type="text" name="country" size="12" value=(f.country.clone().unwrap_or_default()) placeholder="e.g. IND"; }
            " "
            label { "Rule " select name="rule" {
                option value="" selected[f.rule.is_none()] { "any" }
                @for r in RULES { option value=(r) selected[f.rule.as_deref() == Some(r)] { (r) } }
            } }
            " " button type="submit" { "Filter" }
        }
        @if rows.is_empty() {
            p #no-alerts { "No alerts. Alerts appear once event files are imported ("
                code { "attache events import DIR" } ", " code { "attache events follow" } ") and a rule fires." }
        } @else {
            p { (rows.len()) " alert(s), newest first" @if rows.len() > SHOWN { "; the first " (SHOWN) " are shown, the download has all" } "." }
            (scrolling("Alerts", html! { table #alerts {
                thead { tr { th { "Raised on" } th { "Country" } th { "Rule" } th { "Why" } th { "Evidence" } } }
                tbody {
                    @for r in rows.iter().take(SHOWN) {
                        tr data-id=(r.id) {
                            td { a href=(path(&r.id)) { (r.raised_on) } }
                            td { a href={"/country/" (r.iso3)} { (r.iso3) } }
                            td { (r.rule) }
                            td { (r.explanation) }
                            td.num { (r.evidence.len()) }
                        }
                    }
                }
            } }))
        }
        (view_links(&permalink))
        p { a href="/alerts.atom" { "Atom feed of the newest alerts" } }
    };
    Ok(Html(layout("Alerts", &viewer, body).into_string()).into_response())
}

pub async fn one(
    State(state): State<AppState>,
    viewer: Viewer,
    params: Params,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    params.only(&[])?;
    let rows = all(&state).await?;
    let Some(r) = rows.iter().find(|r| r.id == id) else {
        return Err(AppError::NotFound(format!("no alert {id:?}")));
    };
    let body = html! {
        h1 #alert-title { "Alert: " (r.rule) " in " (r.iso3) ", " (r.raised_on) }
        p.reference role="note" { "A warning sign raised by a stated rule: a reference for an analyst, not a finding." }
        p #why { (r.explanation) }
        p { "Measure " strong { (format!("{:.2}", r.value)) } " against the threshold " (format!("{:.2}", r.threshold)) "; level " (r.level) "." }
        h2 { "Evidence" }
        @if r.evidence.is_empty() {
            p { "The rule fired on counts; no single event is listed." }
        } @else {
            (scrolling("Evidence", html! { table #evidence {
                thead { tr { th { "Event" } th { "Date" } th { "Value" } th { "What" } th { "Source" } } }
                tbody {
                    @for e in &r.evidence {
                        tr {
                            td { (e["id"].as_str().unwrap_or("")) }
                            td { (e["date"].as_str().unwrap_or("")) }
                            td.num { (e["value"].as_f64().map_or(String::new(), |v| format!("{v:.1}"))) }
                            td { (e["note"].as_str().unwrap_or("")) }
                            td { @if let Some(u) = e["url"].as_str() { a href=(u) rel="noopener noreferrer nofollow" { "article" } } }
                        }
                    }
                }
            } }))
        }
        p { a href="/alerts" { "All alerts" } " · " a href={"/alerts?country=" (r.iso3)} { "Alerts for " (r.iso3) } }
    };
    Ok(Html(layout("Alert", &viewer, body).into_string()).into_response())
}

pub async fn atom(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Params,
) -> Result<Response, AppError> {
    params.only(&[])?;
    let rows = all(&state).await?;
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    let scheme = if state.config.tls { "https" } else { "http" };
    let mut r = atom_feed(&rows, &format!("{scheme}://{host}"), 50).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/atom+xml; charset=utf-8"),
    );
    Ok(r)
}

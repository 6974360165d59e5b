//! `/events?country=ISO3[&source=gdelt|icews]`: a country's daily event index over time (a
//! chart of events and material conflict, the table of days) and its most reported events,
//! with downloads. The view is `views::events`.

use attache_viz::chart::Frame;
use attache_viz::chart::line::{LineSpec, Series, YZero, line_chart};
use attache_viz::scale::{Scale, ValueFormat};
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use maud::html;

use crate::AppState;
use crate::auth::Viewer;
use crate::error::AppError;
use crate::html::{how_to_read, page as layout, scrolling, view_links};
use crate::params::{Format, Params};
use crate::views::events::{CountryEvents, table, view};

/// Days after the first day of `v` of each day, per source.
fn chart(v: &CountryEvents) -> Result<Option<String>, AppError> {
    let Some(first) = v.days.iter().map(|d| d.day.as_str()).min() else {
        return Ok(None);
    };
    let d0: attache_core::Date = first.parse().map_err(AppError::internal)?;
    let off = |s: &str| -> f64 {
        s.parse::<attache_core::Date>().map_or(f64::NAN, |d| {
            (d.days_since_epoch() - d0.days_since_epoch()) as f64
        })
    };
    let mut series = Vec::new();
    for src in ["gdelt", "icews"] {
        let days: Vec<_> = v.days.iter().filter(|d| d.source == src).collect();
        if days.is_empty() {
            continue;
        }
        series.push(Series::new(
            &format!("{src}: events"),
            days.iter()
                .map(|d| (off(&d.day), Some(d.events as f64)))
                .collect(),
        ));
        series.push(Series::new(
            &format!("{src}: material conflict"),
            days.iter()
                .map(|d| (off(&d.day), Some(d.material_conflict as f64)))
                .collect(),
        ));
    }
    let mut frame = Frame::new(
        "event-index",
        &format!("Reported events a day, {}", v.name),
        760.0,
        340.0,
    );
    frame.caption =
        Some("Counts of reported events, not of what happened; the feeds' volume drifts.".into());
    let spec = LineSpec {
        frame,
        x_label: format!("Days after {first}"),
        y_label: "Events a day".into(),
        scale: Scale::Linear,
        value_format: ValueFormat::Number { decimals: 0 },
        y_zero: YZero::Include,
    };
    line_chart(&spec, &series, &[])
        .map(Some)
        .map_err(AppError::internal)
}

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    params: Params,
) -> Result<Response, AppError> {
    let format = params.format(Format::Html, &Format::TABLE)?;
    if params.get("country").is_none() && format == Format::Html {
        let body = html! {
            h1 { "Event feeds" }
            form method="get" action="/events" {
                label { "Country " input type="text" name="country" size="16" placeholder="e.g. India or IND" required; }
                " " button type="submit" { "Show" }
            }
            p { "Daily counts of reported events per country from the imported feeds ("
                code { "attache events import" } ", " code { "attache events follow" } "); " a href="/alerts" { "alerts" } " raised on them." }
        };
        return Ok(Html(layout("Event feeds", &viewer, body).into_string()).into_response());
    }
    let v = view(&state, &params).await?;
    if format != Format::Html {
        return table(&v).respond(format);
    }
    let svg = chart(&v)?;
    let body = html! {
        h1 #events-title { "Reported events: " (v.name) }
        (how_to_read(&[
            "The lines count the events the news feeds reported each day in this country, and those of material conflict (fighting, attacks).",
            "Feeds grow and shrink over time, so a rise may be more coverage, not more violence; the table gives each day's share of the feed and a z-score against the previous four weeks.",
        ]))
        p.reference role="note" { "What the news reported, not what happened: a reference for an analyst." }
        @if v.days.is_empty() {
            p #no-events { "No events for " (v.iso3) " in the event store." }
        } @else {
            @if let Some(s) = &svg { figure.chart { (maud::PreEscaped(s)) } }
            p { a href={"/alerts?country=" (v.iso3)} { "Alerts for " (v.name) } }
            (scrolling("Days", html! { table #event-days {
                thead { tr { th { "Feed" } th { "Day" } th { "Events" } th { "Material conflict" } th { "Conflict share" } th { "Goldstein (mean)" } th { "Share of the feed" } th { "z (events)" } } }
                tbody { @for d in v.days.iter().rev().take(120) {
                    tr { td { (d.source) } td { (d.day) } td.num { (d.events) } td.num { (d.material_conflict) }
                        td.num data-value=(d.conflict_share) { (format!("{:.0}%", d.conflict_share * 100.0)) }
                        td.num { (d.goldstein_mean.map_or("–".to_string(), |g| format!("{g:.1}"))) }
                        td.num data-value=(d.share) { (format!("{:.2}%", d.share * 100.0)) }
                        td.num { (d.z_events.map_or("–".to_string(), |z| format!("{z:.1}"))) } }
                } }
            } }))
            h2 { "Most reported events" }
            (scrolling("Most reported events", html! { table #top-events {
                thead { tr { th { "Feed" } th { "Event" } th { "Date" } th { "CAMEO" } th { "Goldstein" } th { "Articles" } th { "Source" } } }
                tbody { @for e in &v.top {
                    tr { td { (e.source) } td { (e.event_id) } td { (e.date) } td { (e.cameo) }
                        td.num { (e.goldstein.map_or("–".to_string(), |g| format!("{g:.1}"))) } td.num { (e.articles) }
                        td { @if e.article.starts_with("http") { a href=(e.article) rel="noopener noreferrer nofollow" { "article" } } @else { (e.article) } } }
                } }
            } }))
        }
        (view_links(&v.permalink))
    };
    Ok(Html(layout("Event feeds", &viewer, body).into_string()).into_response())
}

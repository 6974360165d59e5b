//! `/`: the world risk map (P(>= 25 state-based deaths in any of the next 12 months) per
//! country) and the top-risk table. Permalink: `/?as_of=YYYY-MM&model=NAME@VERSION&top=N`.

use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use maud::html;
use serde_json::json;

use super::{check_model, enc, model_tag};
use crate::AppState;
use crate::auth::Viewer;
use crate::charts;
use crate::download::{Column, Table};
use crate::error::AppError;
use crate::html::{page as layout, percent, reference_banner, scrolling, view_links};
use crate::params::{Format, Params};

const DEFAULT_TOP: usize = 20;
/// Rows of the watch list on the home page.
const WATCH_ROWS: usize = 10;

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    params: Params,
) -> Result<Response, AppError> {
    let format = params.view(&["as_of", "model", "top", "format"])?;
    let top = params.number("top", DEFAULT_TOP, 1..=300)?;
    let run = state.run(params.as_of()?)?;
    check_model(&params, &run)?;

    // Every country of the run, highest risk first (ties by name): the map shows them all,
    // the table the first `top`.
    let mut ranked: Vec<_> = run.countries.iter().collect();
    ranked.sort_by(|a, b| {
        b.p_any_ge25_next12
            .unwrap_or(-1.0)
            .total_cmp(&a.p_any_ge25_next12.unwrap_or(-1.0))
            .then(a.name.cmp(&b.name))
    });
    let first_month = run.meta.months[0].clone();
    // Each country's first forecast month, in one pass over the run's rows.
    let mut firsts: std::collections::HashMap<&str, &attache_store::MonthOutlook> =
        std::collections::HashMap::with_capacity(run.countries.len());
    for m in &run.months {
        firsts.entry(m.iso3.as_str()).or_insert(m);
    }
    let first = |iso3: &str| firsts.get(iso3).copied();
    let permalink = format!(
        "/?as_of={}&model={}&top={top}",
        enc(&run.meta.as_of),
        enc(&model_tag(&run))
    );
    let table = Table::new(
        format!("attache-risk-{}", run.meta.as_of),
        json!({"view": "risk map", "permalink": permalink, "label": run.meta.label, "as_of": run.meta.as_of,
               "vintage": run.meta.vintage, "model": model_tag(&run), "seed": run.meta.seed, "draws": run.meta.draws,
               "outcome": "P(>= 25 state-based deaths in at least one of the next 12 months)", "first_month": first_month}),
    )
    .with("rank", Column::Int((1..=ranked.len() as i64).map(Some).collect()))
    .with("iso3", Column::Text(ranked.iter().map(|c| Some(c.iso3.clone())).collect()))
    .with("name", Column::Text(ranked.iter().map(|c| Some(c.name.clone())).collect()))
    .with("p_any_ge25_next12", Column::Float(ranked.iter().map(|c| c.p_any_ge25_next12).collect()))
    .with("next_month_median", Column::Float(ranked.iter().map(|c| first(&c.iso3).map(|m| m.median)).collect()))
    .with("next_month_q05", Column::Float(ranked.iter().map(|c| first(&c.iso3).map(|m| m.q05)).collect()))
    .with("next_month_q95", Column::Float(ranked.iter().map(|c| first(&c.iso3).map(|m| m.q95)).collect()))
    .with("novelty_flagged", Column::Int(ranked.iter().map(|c| c.novelty.as_ref().map(|n| n.flagged as i64)).collect()));
    if format != Format::Html {
        return table.respond(format);
    }

    let regions = state.map()?;
    let map = state.risk_map(&run, |regions| {
        let values: Vec<(String, String, Option<f64>)> = ranked
            .iter()
            .map(|c| (c.iso3.clone(), c.name.clone(), c.p_any_ge25_next12))
            .collect();
        charts::world_map(regions, &values, &run.meta.as_of)
    })?;
    let runs = state.runs()?;
    let body = html! {
        h1 { "Where is conflict likely?" }
        (crate::html::how_to_read(&["Each country's colour is the probability of at least 25 state-based battle deaths in at least one of the next 12 months, from the forecast run named above; grey means no forecast.", "A probability is not a prediction that something will happen: 10% means that in ten situations like this one, about one saw such violence.", "The forecast uses only data published by its as-of month; the banner says how old that is. Onsets in quiet countries are the hardest to foresee.", "Countries marked \u{201c}unprecedented inputs\u{201d} are unlike anything the model learned from: treat their numbers with extra care.", "Press a column header to sort the table; every chart downloads as SVG or PNG."]))
        p.lede {
            "Probability of at least one month with 25 or more state-based battle deaths (UCDP GED) in the 12 months after "
            strong #as-of { (run.meta.as_of) } ", per country."
        }
        (reference_banner())
        figure.map { (maud::PreEscaped(map.as_str())) figcaption #map-hover aria-live="polite" {} }
        h2 { "Highest risk" }
        (scrolling("Highest risk", html! { table #top-risk {
            thead { tr { th { "#" } th { "Country" } th { "P(≥ 25 deaths, next 12 months)" } th { "Next month: median (90% interval)" } th { "Note" } } }
            tbody {
                @for (i, c) in ranked.iter().take(top).enumerate() {
                    tr data-iso3=(c.iso3) {
                        td { (i + 1) }
                        td { a href={"/country/" (c.iso3) "?as_of=" (enc(&run.meta.as_of))} { (c.name) } }
                        td.prob data-value=(c.p_any_ge25_next12.map(|p| p.to_string()).unwrap_or_default()) { (c.p_any_ge25_next12.map(percent).unwrap_or("n/a".into())) }
                        td { @if let Some(m) = first(&c.iso3) { (format!("{:.0} ({:.0}–{:.0})", m.median, m.q05, m.q95)) } }
                        td { @if c.novelty.as_ref().is_some_and(|n| n.flagged) { span.novel { "unprecedented inputs" } } }
                    }
                }
            }
        } }))
        h2 #watch { "Watch list: quiet countries with the highest onset risk" }
        p.small { "Countries with no month of 25 or more state-based deaths in the 12 months to " (run.meta.as_of) ", ranked by the chance that one comes in the next 12. Onsets are rare and hard to foresee: read these as reasons to look closer, not as predictions of war." }
        (scrolling("Watch list", html! { table #watch-list {
            thead { tr { th { "#" } th { "Country" } th { "P(≥ 25 deaths, next 12 months)" } th { "Worst recent month" } th { "Main driver" } } }
            tbody {
                @for (i, c) in run.watch_list().iter().take(WATCH_ROWS).enumerate() {
                    tr data-iso3=(c.iso3) {
                        td { (i + 1) }
                        td { a href={"/country/" (c.iso3) "?as_of=" (enc(&run.meta.as_of))} { (c.name) } }
                        td.prob data-value=(c.p_any_ge25_next12.map(|p| p.to_string()).unwrap_or_default()) { (c.p_any_ge25_next12.map(percent).unwrap_or("n/a".into())) }
                        td { (c.worst_recent_month.map(|w| format!("{w:.0}")).unwrap_or_default()) }
                        td { (c.drivers.first().map(|d| d.text.as_str()).unwrap_or("")) }
                    }
                }
            }
        } }))
        details #all-countries {
            summary { "All " (ranked.len()) " countries (the map as a table)" }
            (scrolling("All countries", html! { table {
                thead { tr { th { "#" } th { "Country" } th { "P(≥ 25 deaths, next 12 months)" } } }
                tbody {
                    @for (i, c) in ranked.iter().enumerate() {
                        tr { td { (i + 1) } td { a href={"/country/" (c.iso3) "?as_of=" (enc(&run.meta.as_of))} { (c.name) } } td { (c.p_any_ge25_next12.map(percent).unwrap_or("n/a".into())) } }
                    }
                }
            } }))
        }
        @if !regions.unplaced.is_empty() {
            p.small #unplaced { (regions.unplaced.len()) " map areas have no country code in the map data and are drawn as no data: " (regions.unplaced.join(", ")) "." }
        }
        (view_links(&permalink))
        p.provenance {
            "Data vintage " code { (run.meta.vintage) } ", model " code { (model_tag(&run)) } ", seed " (run.meta.seed) ", " (run.meta.draws) " draws. "
            @if runs.len() > 1 {
                "Other runs: "
                @for m in runs.iter().rev() { a href={"/?as_of=" (m)} { (m) } " " }
            }
        }
    };
    Ok(Html(layout("Risk map", &viewer, body).into_string()).into_response())
}

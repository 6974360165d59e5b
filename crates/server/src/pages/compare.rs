//! `/compare?countries=A,B,C[&as_of=YYYY-MM][&model=..][&format=..]`: up to five countries'
//! conflict forecasts side by side: one table (the 12-month probability, the first month's
//! median and 90% interval, the worst recent month, novelty, the strongest driver; the same
//! table downloads as CSV, JSON or Parquet) and each country's fan chart.

use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use maud::html;

use super::{check_model, enc, model_tag, run_month};
use crate::AppState;
use crate::auth::Viewer;
use crate::charts;
use crate::error::AppError;
use crate::html::{how_to_read, page as layout, percent, reference_banner, scrolling, view_links};
use crate::params::{Format, Params};
use crate::views::forecasts::{COMPARE_MAX, compare_list, compare_table};

/// Months of history each small fan chart shows.
const HISTORY: usize = 24;

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    params: Params,
) -> Result<Response, AppError> {
    let format = params.view(&["countries", "as_of", "model", "format"])?;
    let run = state.run(params.as_of()?)?;
    check_model(&params, &run)?;
    let iso3s = compare_list(params.get("countries").unwrap_or_default(), &run)?;
    let table = compare_table(&run, &iso3s);
    if format != Format::Html {
        return table.respond(format);
    }
    let as_of = run_month(&run)?;
    let hist = state.history().await?;
    let mut fans = Vec::new();
    for iso3 in &iso3s {
        let c = run
            .country(iso3)
            .expect("compare_list keeps countries of the run");
        let months: Vec<_> = run.months_of(iso3).cloned().collect();
        let (observed, outcome) = super::country::series(&hist, iso3, as_of, HISTORY, &months);
        let svg = charts::fan_chart(
            &format!("fan-{iso3}"),
            &observed,
            &months,
            &outcome,
            as_of,
            &c.name,
        )?;
        fans.push((c, svg));
    }
    let list = iso3s.join(",");
    let permalink = format!(
        "/compare?countries={}&as_of={}&model={}",
        enc(&list),
        enc(&run.meta.as_of),
        enc(&model_tag(&run))
    );
    let body = html! {
        h1 { "Countries compared" }
        (how_to_read(&[
            "One row per country: the probability of at least 25 state-based battle deaths in at least one of the next 12 months, and the first forecast month's median deaths with its 90% interval.",
            "The charts share the forecast's as-of month; each has its own scale (log), so compare the numbers in the table, not the heights of the bands.",
            "Press a column header to sort.",
        ]))
        p.lede { "Conflict forecast as of " strong { (run.meta.as_of) } ", " (iso3s.len()) " of at most " (COMPARE_MAX) " countries." }
        (reference_banner())
        form.compare method="get" action="/compare" {
            label { "Countries (codes or names, separated by commas) " input name="countries" value=(list) required; }
            input type="hidden" name="as_of" value=(run.meta.as_of);
            " " button type="submit" { "Compare" }
        }
        (scrolling("Countries compared", html! { table #compare {
            thead { tr { th { "Country" } th { "P(≥ 25 deaths, next 12 months)" } th { "First month: median (90% interval)" } th { "Worst recent month" } th { "Strongest driver" } } }
            tbody {
                @for (c, _) in &fans {
                    tr data-iso3=(c.iso3) {
                        td { a href={"/country/" (c.iso3) "?as_of=" (enc(&run.meta.as_of))} { (c.name) }
                            @if c.novelty.as_ref().is_some_and(|n| n.flagged) { " " span.novel { "unprecedented inputs" } } }
                        td.prob data-value=(c.p_any_ge25_next12.map(|p| p.to_string()).unwrap_or_default()) { (c.p_any_ge25_next12.map(percent).unwrap_or("n/a".into())) }
                        td { @if let Some(m) = run.months_of(&c.iso3).next() { (format!("{:.0} ({:.0}–{:.0})", m.median, m.q05, m.q95)) } }
                        td data-value=(c.worst_recent_month.map(|w| w.to_string()).unwrap_or_default()) { (c.worst_recent_month.map(|w| format!("{w:.0}")).unwrap_or("n/a".into())) }
                        td { (c.drivers.first().map(|d| d.text.as_str()).unwrap_or("")) }
                    }
                }
            }
        } }))
        div.compare-grid {
            @for (c, svg) in &fans {
                figure.fan.small-multiple data-iso3=(c.iso3) { (maud::PreEscaped(svg)) figcaption { (c.name) ": forecast median with 50% and 90% intervals; reference only." } }
            }
        }
        (view_links(&permalink))
        p.provenance { "Model " code { (model_tag(&run)) } ", seed " (run.meta.seed) ", " (run.meta.draws) " draws, data vintage " code { (run.meta.vintage) } "." }
    };
    Ok(Html(layout("Countries compared", &viewer, body).into_string()).into_response())
}

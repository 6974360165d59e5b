//! `/climate/blocs`: negotiating blocs side by side (members from `country_groups`: the EU, G20,
//! G7, AOSIS, LDCs, BRICS, ...): summed fossil CO2, its trend arrow, the members' pledges summed
//! for 2030 against their summed trend projections, and the gap; the numbers of `attache
//! climate bloc ID`. `ids=a,b,c` picks blocs (default: [`DEFAULT_BLOCS`]; `ids=all`: every
//! group). Permalink: `/climate/blocs?ids=...`.
//!
//! The page; the view (query, run, table) is `views::climate::blocs`.

use attache_pledges::monitor::BLOC_YEAR;
use attache_viz::chart::bar::Bar;
use attache_viz::chart::line::YZero;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use maud::html;

use super::{POLICY_SOURCES, climate_banner, mt, signed_mt, sources_table, tabs};
use crate::AppState;
use crate::auth::Viewer;
use crate::charts::climate::{Line, YearChart, bars, years};
use crate::error::AppError;
use crate::html::{page as layout, scrolling, view_links};
use crate::params::{Format, Params};

use crate::views::climate::blocs::*;

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    params: Params,
) -> Result<Response, AppError> {
    let format = params.view(&["ids", "format"])?;
    let data = state.climate().await?;
    let ids = selected(&data, &params)?;
    let t = table(&data, &ids);
    if format != Format::Html {
        return t.respond(format);
    }
    let ok: Vec<_> = ids
        .iter()
        .filter_map(|id| data.blocs.get(id).and_then(|r| r.as_ref().ok()))
        .collect();
    let lines: Vec<Line> = ok
        .iter()
        .filter_map(|b| {
            let base = b.history.get(INDEX_YEAR).filter(|v| *v > 0.0)?;
            Some(Line::new(
                &b.id,
                b.history
                    .0
                    .range(1990..)
                    .map(|(y, v)| (*y, 100.0 * v / base)),
            ))
        })
        .collect();
    let history = if lines.is_empty() {
        None
    } else {
        Some(years(
            &YearChart {
                id: "bloc-history",
                title: &format!("Fossil CO₂ of the blocs, {INDEX_YEAR} = 100"),
                y_label: &format!("Index, {INDEX_YEAR} = 100"),
                caption: "Members' CDIAC totals summed over the years every member reports.",
                decimals: 0,
                y_zero: YZero::Fit,
            },
            lines,
            vec![],
        )?)
    };
    let gaps: Vec<Bar> = ok
        .iter()
        .filter(|b| b.target > 0.0)
        .map(|b| {
            let mut bar = Bar::new(&b.id, 100.0 * b.gap() / b.target);
            bar.tooltip = Some(format!(
                "{}: trend {} Mt against pledges {} Mt in {BLOC_YEAR} ({:+.0}%)",
                b.id,
                mt(b.projected),
                mt(b.target),
                100.0 * b.gap() / b.target
            ));
            bar
        })
        .collect();
    let gap_chart = if gaps.is_empty() {
        None
    } else {
        Some(bars(
            "bloc-gaps",
            &format!("Gap in {BLOC_YEAR}: trend against summed pledges"),
            "Percent of the pledged level",
            gaps,
            Some((
                "Off track: the trend is above the pledges",
                "The trend meets the pledges",
            )),
        )?)
    };
    let lock = state.lockfile().ok();
    let body = html! {
        h1 { "Blocs compared" }
        (crate::html::how_to_read(&["Each bloc's numbers are sums or population-weighted means of its members' numbers in the synced data."]))
        (tabs("/climate/blocs"))
        p.lede { "Negotiating groups' fossil CO₂, the direction of its trend, and where their members' pledges and their trend put them in " (BLOC_YEAR) "." }
        (climate_banner())
        form.inline method="get" action="/climate/blocs" {
            label { "Blocs (comma-separated ids) " input type="text" name="ids" size="50" value=(ids.join(",")); }
            " " button type="submit" { "Compare" } " " a href="/climate/blocs" { "Main blocs" } " · " a href="/climate/blocs?ids=all" { "All groups" }
        }
        (scrolling("Blocs", html! { table #blocs {
            thead { tr { th { "Bloc" } th { "Members" } th { "Fossil CO₂" } th { "Trend" } th { "Pledges " (BLOC_YEAR) } th { "Trend " (BLOC_YEAR) } th { "Gap" } } }
            tbody {
                @for id in &ids {
                    @match data.blocs.get(id) {
                        Some(Ok(b)) => tr data-bloc=(id) {
                            td { code { (id) } }
                            td.num { (b.members.len())
                                @if !b.missing.is_empty() { span.small { " (" (b.missing.len()) " without data)" } } }
                            td.num { @if let Some((y, v)) = b.history.last() { (mt(v)) " Mt (" (y) ")" } }
                            td.num { (format!("{:+.1}%/yr", b.trend * 100.0)) " " (b.arrow.glyph()) }
                            td.num.target data-value=(b.target) { (mt(b.target)) " Mt" }
                            td.num { (mt(b.projected)) " Mt" }
                            td.num.gap data-value=(b.gap()) { (signed_mt(b.gap())) " Mt" }
                        },
                        Some(Err(e)) => tr data-bloc=(id) { td { code { (id) } } td.small colspan="6" { (e) } },
                        None => {},
                    }
                }
            }
        } }))
        p.small { "Members without a quantified pledge count at current policies. Mt CO₂ per year (CDIAC, fossil fuels and cement). Gap: trend minus pledges; positive is off track." }
        @if let Some(svg) = &history { figure.chart { (maud::PreEscaped(svg)) } }
        @if let Some(svg) = &gap_chart { figure.chart { (maud::PreEscaped(svg)) } }
        details {
            summary { "Members" }
            dl { @for b in &ok { dt { code { (b.id) } } dd.small { (b.members.join(", "))
                @if !b.unpledged.is_empty() { br; "without a quantified pledge: " (b.unpledged.join(", ")) }
                @for (c, why) in &b.not_applied { br; (c) ": pledge not applied (" (why) "), at current policies" } } } }
        }
        (view_links(&permalink(&ids)))
        p.provenance { "Data vintage " code #vintage { (data.vintage) } ". The same numbers: " code { "attache climate bloc ID" } "." }
        (sources_table(lock.as_deref(), POLICY_SOURCES))
    };
    Ok(Html(layout("Blocs compared", &viewer, body).into_string()).into_response())
}

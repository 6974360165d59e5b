//! `/climate/countries`: the Paris progress monitor for every country with fossil-CO2 history:
//! a world map of rating bands and a table (emissions, trend arrow, NDC target, gap at the
//! current trend, band), largest emitters first, each linked to its page. Permalink:
//! `/climate/countries` (the view has no settings; `format=` downloads the table).
//!
//! The page; the view (query, run, table) is `views::climate::countries`.

use attache_pledges::rating::Band;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use maud::html;

use super::{POLICY_SOURCES, climate_banner, mt, signed_mt, sources_table, tabs};
use crate::AppState;
use crate::auth::Viewer;
use crate::charts::climate::band_map;
use crate::error::AppError;
use crate::html::{page as layout, scrolling, view_links};
use crate::params::{Format, Params};

use crate::views::climate::countries::*;

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    params: Params,
) -> Result<Response, AppError> {
    let format = params.view(&["format"])?;
    let data = state.climate().await?;
    let t = table(&data);
    if format != Format::Html {
        return t.respond(format);
    }
    let values: Vec<(String, String, Option<Band>)> = data
        .reports
        .iter()
        .map(|(k, r)| {
            (
                k.clone(),
                data.name(k),
                r.as_ref()
                    .ok()
                    .and_then(|r| r.rating.as_ref().map(|x| x.overall)),
            )
        })
        .collect();
    let map = match state.map() {
        Ok(regions) => Some(band_map(&regions, &values)?),
        Err(_) => None,
    };
    let rows = ranked(&data);
    let lock = state.lockfile().ok();
    let body = html! {
        h1 { "Paris progress by country" }
        (crate::html::how_to_read(&["Each country's NDC is rated by what its 2030 emissions would be against fair-share and domestic benchmarks; the method page lists where our ratings differ from published ones.", "The NDC tables are those in the synced data, with their round and date; a newer pledge may exist."]))
        (tabs("/climate/countries"))
        p.lede { "Each country's fossil CO₂ against its NDC: the target, the gap in the target year if the recent trend continues, the trend's direction, and a CAT-style rating of the pledge." }
        (climate_banner())
        @if let Some(m) = &map { figure.map { (maud::PreEscaped(m)) p #map-hover.small aria-live="polite" {} } }
        (scrolling("Countries rated", html! { table #countries {
            thead { tr { th { "#" } th { "Country" } th { "Fossil CO₂" } th { "Trend" } th { "NDC" } th { "Target" } th { "Gap at trend" } th { "Rating" } } }
            tbody {
                @for (i, (k, r)) in rows.iter().enumerate() {
                    @match r {
                        Ok(r) => {
                            @let p = &r.progress;
                            tr.top[data.largest.iter().any(|x| &x.0 == *k)] data-iso3=(k) {
                                td.num { (i + 1) }
                                td { a href={"/climate/country/" (k)} { (p.name) } }
                                td.num { (mt(p.jump_off.1)) " Mt (" (p.jump_off.0) ")" }
                                td.num { (format!("{:+.1}%/yr", p.trend * 100.0)) " " (p.arrow.glyph()) }
                                td.small { (p.pledge.as_ref().map_or("none".to_string(), |x| x.describe())) }
                                td.num { @if let Some((ty, tv)) = p.target { (mt(tv)) " Mt (" (ty) ")" } @else { "–" } }
                                td.num.gap { @if let Some(g) = p.gap { (signed_mt(g)) " Mt" } @else { "–" } }
                                td.band { (r.rating.as_ref().map_or("not rated", |x| x.overall.label())) }
                            }
                        }
                        Err(e) => tr data-iso3=(k) { td.num { (i + 1) } td { (data.name(k)) } td.small colspan="6" { (e) } }
                    }
                }
            }
        } }))
        p.small { "Mt CO₂ per year (CDIAC, fossil fuels and cement). Gap: projected minus target; positive is off track. The rating compares the NDC pathway's 2030 emissions with fair-share and domestic-pathway benchmarks (our reconstruction of the Climate Action Tracker's approach, CO₂ only). "
            a href="/methodology#climate" { "Method" } "." }
        (view_links(PERMALINK))
        p.provenance { "Data vintage " code #vintage { (data.vintage) } "." }
        (sources_table(lock.as_deref(), POLICY_SOURCES))
    };
    Ok(Html(layout("Paris progress by country", &viewer, body).into_string()).into_response())
}

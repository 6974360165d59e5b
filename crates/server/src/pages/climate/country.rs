//! `/climate/country/{iso3}`: one country's Paris progress, the numbers of `attache climate
//! country ISO3`: fossil-CO2 history against its NDC target path, the gap in the target year at
//! the current trend and the trend arrow, the pledge and current-policies pathways, its
//! fair-share range from four effort-sharing rules and the CAT-style rating band. `edit=SPEC`
//! changes the pledge as `--edit` does, `pledges=conditional` as `--conditional`. Any code or
//! name the crosswalk knows is redirected to the ISO3 URL. Permalink:
//! `/climate/country/CHN?from=1990&to=2060[&edit=...][&pledges=conditional]`.
//!
//! The page; the view (query, run, table) is `views::climate::country`.

use attache_core::Crosswalk;
use attache_pledges::report::RATING_YEAR;
use attache_pledges::sharing::LEVELS;
use attache_viz::chart::bar::Bar;
use attache_viz::chart::line::{LineStyle, YZero};
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::html;

use super::{POLICY_SOURCES, climate_banner, mt, signed_mt, sources_table, tabs};
use crate::AppState;
use crate::auth::Viewer;
use crate::charts::climate::{Line, YearChart, bars, years};
use crate::error::AppError;
use crate::html::{page as layout, scrolling, view_links};
use crate::params::{Format, Params};
use crate::views::enc;

use crate::views::climate::country::*;

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    params: Params,
) -> Result<Response, AppError> {
    let format = params.view(&["edit", "pledges", "from", "to", "format"])?;
    let data = state.climate().await?;
    let iso3 = code.trim().to_ascii_uppercase();
    if data.world.country(&iso3).is_none() {
        // The one resolver of every command and route, with "did you mean" when nothing matches.
        let c = Crosswalk::global()
            .find(&code)
            .map_err(|e| AppError::NotFound(e.to_string()))?;
        if c.iso3 == iso3 {
            return Err(no_history(&data, &iso3));
        }
        let q: Vec<String> = params
            .0
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect();
        let sep = if q.is_empty() { "" } else { "?" };
        return Ok(Redirect::permanent(&format!(
            "/climate/country/{}{sep}{}",
            c.iso3,
            q.join("&")
        ))
        .into_response());
    }
    let v = view(&data, &iso3, &params)?;
    if format != Format::Html {
        return table(&v).respond(format);
    }
    let r = &v.report;
    let p = &r.progress;
    let (y0, e0) = p.jump_off;
    let lines = vec![
        Line::new(
            "History (CDIAC)",
            p.history.0.range(v.from..=y0).map(|(y, x)| (*y, *x)),
        )
        .styled(LineStyle::Solid),
        Line::new(
            "Current policies (trend, fading)",
            r.current_policies
                .series
                .0
                .range(y0..=v.to)
                .map(|(y, x)| (*y, *x)),
        )
        .styled(LineStyle::Dashed),
        Line::new(
            "NDC pathway",
            r.pledge_pathway
                .iter()
                .flat_map(|x| x.series.0.range(y0..=v.to).map(|(y, x)| (*y, *x))),
        )
        .styled(LineStyle::Solid),
        Line::new(
            "Target path (straight to the target)",
            p.target_path.0.iter().map(|(y, x)| (*y, *x)),
        )
        .styled(LineStyle::Dotted),
    ];
    let chart = years(
        &YearChart {
            id: "progress",
            title: &format!("{}: fossil CO₂ emissions", p.name),
            y_label: "Mt CO₂ per year",
            caption: "History (CDIAC), the NDC target path and pathways. Reference projection — not a decision.",
            decimals: 0,
            y_zero: YZero::Include,
        },
        lines,
        vec![],
    )?;
    let thresholds = match &r.rating {
        Some(x) => {
            let mut b = vec![Bar::new(&format!("NDC pathway {RATING_YEAR}"), x.assessed)];
            for (i, l) in LEVELS.iter().enumerate() {
                b.push(Bar::new(
                    &format!("Fair share, {} (upper end)", l.label),
                    x.fair_thresholds[i],
                ));
            }
            for (i, l) in LEVELS.iter().enumerate() {
                b.push(Bar::new(
                    &format!("Domestic pathway, {}", l.label),
                    x.domestic_thresholds[i],
                ));
            }
            Some(bars(
                "thresholds",
                &format!("{RATING_YEAR}: the NDC pathway against the benchmarks"),
                "Mt CO₂ in 2030",
                b,
                None,
            )?)
        }
        None => None,
    };
    let data_lock = state.lockfile().ok();
    let filings = state.ndc_filings().await?;
    let filed = filings.as_ref().as_ref().map(|m| m.get(&p.iso3));
    let body = html! {
        h1 #country-name data-iso3=(p.iso3) { (p.name) ": Paris progress" }
        (crate::html::how_to_read(&["The bars compare the emissions the country's pledge implies with the benchmarks behind the rating.", "The pledge shown is the one in the NDC content tables (first NDCs); the line below it names the newest NDC the party filed with the UNFCCC and says when the rating does not reflect it."]))
        (tabs(""))
        (climate_banner())
        @if let Some(e) = &v.edit { p.edited role="note" { "Pledge edited for this view: " code { (e) } " — " a href={"/climate/country/" (p.iso3)} { "the NDC as published" } } }
        div.headline {
            p #trend { "Fossil CO₂ in " (y0) ": " strong { (mt(e0)) " Mt" } ". Trend to " (y0) ": " strong data-value=(p.trend) { (format!("{:+.1}%/yr", p.trend * 100.0)) } " " span.arrow { (p.arrow.glyph()) } }
            @match &p.pledge {
                Some(x) => p #ndc { "NDC: " strong { (x.describe()) } br; span.small { "read from " (x.source) } },
                None => p #ndc { "NDC: none in the NDC tables" },
            }
            // Which NDC the rating reads, and which the party has filed since (issue 14).
            p #ndc-round.small {
                @match p.pledge.as_ref().map(|x| x.source.as_str()).filter(|s| s.starts_with("import:")) {
                    Some(src) => { "Rated: an imported pledge (" span #ndc-imported { (src.trim_start_matches("import: ")) } "), amending the NDC content coded by WRI CAIT / Climate Watch (first NDCs). " }
                    None => { "Rated: the NDC content coded by WRI CAIT / Climate Watch (first NDCs; the file was last changed in February 2019) and the Klimalog NDC Explorer (as of February 2022). " }
                }
                @match filed {
                    Some(Some(f)) if !f.latest_date.is_empty() => {
                        "Newest in the UNFCCC registry: " strong #ndc-latest data-date=(f.latest_date) { (f.latest_title) } ", submitted " (f.latest_date)
                        " (" (f.documents) " NDC documents listed)"
                        @if f.latest_date.as_str() > "2019-02-21" { ". " strong.warn { "Filed after the rated content: the rating does not reflect it." } }
                    }
                    Some(_) => "The UNFCCC registry listing has no active NDC for this party.",
                    None => "This data vintage has no UNFCCC registry listing (source unfccc), so newer NDCs cannot be checked.",
                }
            }
            @match (p.target, p.projected, p.gap) {
                (Some((ty, tv)), Some(pr), Some(g)) => {
                    p #target { "Target " (ty) ": " strong data-value=(tv) { (mt(tv)) " Mt CO₂" } " (pledge applied to fossil CO₂)" }
                    p #gap { "At the current trend " (ty) ": " (mt(pr)) " Mt CO₂; gap " strong data-value=(g) { (signed_mt(g)) " Mt" }
                        " (" (format!("{:+.0}%", p.gap_share().unwrap_or(f64::NAN) * 100.0)) "): " strong.track { (if g <= 0.0 { "on track" } else { "off track" }) } }
                }
                _ => p #target { "Target: no quantified target; gap not defined" },
            }
            @match &r.rating {
                Some(x) => p #band { "Rating of the NDC (" (RATING_YEAR) " emissions " (mt(x.assessed)) " Mt): " strong data-band=(x.overall.label()) { (x.overall.label()) }
                    span.small { " (against fair share: " (x.fair.label()) "; against domestic pathways: " (x.domestic.label()) ")" } },
                None => p #band { "Rating: not available (population or GDP per capita missing)" },
            }
        }
        figure.chart { (maud::PreEscaped(chart)) }
        @if let Some(pp) = &r.pledge_pathway {
            h2 { "Pledge pathway" }
            p.small { (pp.note.trim_start_matches("pledge: ")) }
            (scrolling("Pledge pathway", html! { table #pathway { thead { tr { @for y in PATHWAY_YEARS { th { (y) } } } } tbody { tr { @for y in PATHWAY_YEARS { td.num { (pp.at(y).map_or("–".into(), mt)) } } } } } }))
        }
        p #current-policies { "Current policies: " (r.current_policies.note.trim_start_matches("current policies: ")) }
        @if let Some(fs) = &r.fair_shares {
            h2 { "Fair share in " (RATING_YEAR) }
            p.small { "Mt CO₂: allocations of the global benchmark emissions of each warming level by four effort-sharing rules; the range is the smallest to the largest." }
            (scrolling("Fair shares", html! { table #fair-shares {
                thead { tr { th { "Level" } @for (m, _) in &fs[0].by_method { th { (m.label()) } } th { "Range" } } }
                tbody {
                    @for f in fs {
                        tr data-level=(f.level.label) { td { (f.level.label) } @for (_, x) in &f.by_method { td.num { (mt(*x)) } } td.num { (mt(f.range.0)) " to " (mt(f.range.1)) } }
                    }
                }
            } }))
        }
        @if let Some(svg) = &thresholds { figure.chart { (maud::PreEscaped(svg)) } }
        form.inline method="get" action={"/climate/country/" (p.iso3)} {
            label { "Try another pledge: " input type="text" name="edit" value=(v.edit.clone().unwrap_or_default()) placeholder="base:2005,cut:50,by:2030,netzero:2050"; }
            " " label { "Which pledges: " select name="pledges" { option value="unconditional" selected[!v.conditional] { "unconditional" } option value="conditional" selected[v.conditional] { "conditional" } } }
            input type="hidden" name="from" value=(v.from);
            input type="hidden" name="to" value=(v.to);
            " " button type="submit" { "Show" }
        }
        (view_links(&v.permalink))
        p { a href={"/country/" (p.iso3)} { "Conflict outlook for " (p.name) } " · " a href="/climate/countries" { "All countries" } }
        h2 { "Data and method" }
        p.provenance { "Data vintage " code #vintage { (v.vintage) } ". The same numbers: " code { "attache climate country " (p.iso3) } "." }
        (sources_table(data_lock.as_deref(), POLICY_SOURCES))
    };
    Ok(
        Html(layout(&format!("{}: Paris progress", p.name), &viewer, body).into_string())
            .into_response(),
    )
}

//! `/climate/country/{iso3}`: one country's Paris progress, the numbers of `attache climate
//! country ISO3`: fossil-CO2 history against its NDC target path, the gap in the target year at
//! the current trend and the trend arrow, the pledge and current-policies pathways, its
//! fair-share range from four effort-sharing rules and the CAT-style rating band. `edit=SPEC`
//! changes the pledge as `--edit` does, `pledges=conditional` as `--conditional`. Any code or
//! name the crosswalk knows is redirected to the ISO3 URL. Permalink:
//! `/climate/country/CHN?from=1990&to=2060[&edit=...][&pledges=conditional]`.

use std::borrow::Cow;

use attache_core::Crosswalk;
use attache_pledges::ndc::apply_edit;
use attache_pledges::pathway::Settings;
use attache_pledges::report::{CountryReport, RATING_YEAR, country_report};
use attache_pledges::sharing::LEVELS;
use attache_viz::chart::bar::Bar;
use attache_viz::chart::line::{LineStyle, YZero};
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::html;
use serde_json::{Value, json};

use super::{POLICY_SOURCES, climate_banner, conditional, mt, signed_mt, sources_table, tabs};
use crate::AppState;
use crate::auth::Viewer;
use crate::charts::climate::{Line, YearChart, bars, years};
use crate::climate::{ClimateData, pledge_error};
use crate::download::{Column, Table};
use crate::error::AppError;
use crate::html::{page as layout, view_links};
use crate::pages::enc;
use crate::params::{Format, Params};

/// Years the pledge pathway is printed for (as `attache climate country`).
pub const PATHWAY_YEARS: [i32; 5] = [2030, 2040, 2050, 2070, 2100];

/// One country's view.
pub struct CountryView<'a> {
    pub iso3: String,
    pub report: Cow<'a, CountryReport>,
    pub edit: Option<String>,
    pub conditional: bool,
    pub from: i32,
    pub to: i32,
    pub permalink: String,
    pub vintage: String,
}

/// The report for `iso3` under the query's edit and settings (the stored one without them).
pub fn view<'a>(
    data: &'a ClimateData,
    iso3: &str,
    params: &Params,
) -> Result<CountryView<'a>, AppError> {
    let edit = params.get("edit").map(str::to_string);
    let conditional = conditional(params)?;
    let from = params.number("from", 1990, 1750..=2019)? as i32;
    let to = params.number("to", 2060, 2030..=2100)? as i32;
    let report = match (&edit, conditional) {
        (None, false) => match data.reports.get(iso3) {
            Some(Ok(r)) => Cow::Borrowed(r),
            Some(Err(e)) => {
                return Err(AppError::Unprocessable(format!("{}: {e}", data.name(iso3))));
            }
            None => return Err(no_history(data, iso3)),
        },
        _ => {
            let s = Settings {
                conditional,
                ..data.settings.clone()
            };
            let c = data
                .world
                .country(iso3)
                .ok_or_else(|| no_history(data, iso3))?;
            let pledge = match &edit {
                Some(spec) => Some(apply_edit(c.pledge.as_ref(), spec).map_err(pledge_error)?),
                None => None,
            };
            Cow::Owned(
                country_report(&data.world, iso3, pledge.as_ref(), &s, &data.shares)
                    .map_err(pledge_error)?,
            )
        }
    };
    let mut permalink = format!("/climate/country/{iso3}?from={from}&to={to}");
    if let Some(e) = &edit {
        permalink.push_str(&format!("&edit={}", enc(e)));
    }
    if conditional {
        permalink.push_str("&pledges=conditional");
    }
    Ok(CountryView {
        iso3: iso3.to_string(),
        report,
        edit,
        conditional,
        from,
        to,
        permalink,
        vintage: data.vintage.clone(),
    })
}

fn no_history(data: &ClimateData, iso3: &str) -> AppError {
    let top: Vec<&str> = data.largest.iter().map(|x| x.0.as_str()).collect();
    AppError::NotFound(format!(
        "no fossil-CO2 history for {iso3} in the CDIAC data (largest emitters: {})",
        top.join(", ")
    ))
}

fn series_json(s: &attache_pledges::Series) -> Value {
    json!({"year": s.0.keys().collect::<Vec<_>>(), "mt_co2": s.0.values().collect::<Vec<_>>()})
}

/// The country's numbers, with the field names of `attache climate country --format json`.
pub fn numbers(v: &CountryView) -> Value {
    let r = &v.report;
    let p = &r.progress;
    json!({
        "iso3": p.iso3, "name": p.name,
        "unit": "Mt CO2 per year, fossil fuels and cement (CDIAC)",
        "jump_off": {"year": p.jump_off.0, "mt_co2": p.jump_off.1},
        "trend_per_year": p.trend, "arrow": p.arrow.glyph(),
        "pledge": p.pledge.as_ref().map(|x| json!({"text": x.describe(), "source": x.source})),
        "target": p.target.map(|(y, v)| json!({"year": y, "mt_co2": v})),
        "projected_at_target_year": p.projected, "gap_mt_co2": p.gap, "gap_share": p.gap_share(), "on_track": p.on_track(),
        "current_policies_note": r.current_policies.note,
        "pledge_pathway": r.pledge_pathway.as_ref().map(|x| json!({"note": x.note, "at": PATHWAY_YEARS.iter().map(|y| json!({"year": y, "mt_co2": x.at(*y)})).collect::<Vec<_>>()})),
        "rating_year": RATING_YEAR,
        "fair_shares": r.fair_shares.as_ref().map(|fs| fs.iter().map(|f| json!({
            "level": f.level.label, "benchmark": f.level.scenario.label(), "global_mt_co2": f.global,
            "by_method": f.by_method.iter().map(|(m, v)| json!({"method": m.label(), "mt_co2": v})).collect::<Vec<_>>(),
            "range": [f.range.0, f.range.1],
        })).collect::<Vec<_>>()),
        "rating": r.rating.as_ref().map(|x| json!({
            "assessed_mt_co2": x.assessed, "fair_share_thresholds": x.fair_thresholds, "domestic_thresholds": x.domestic_thresholds,
            "fair_share": x.fair.label(), "domestic": x.domestic.label(), "overall": x.overall.label(),
        })),
        "history": series_json(&p.history),
        "target_path": series_json(&p.target_path),
    })
}

/// The view's table: one row per year from `from` to `to`.
pub fn table(v: &CountryView) -> Table {
    let r = &v.report;
    let p = &r.progress;
    let ys: Vec<i32> = (v.from..=v.to).collect();
    let col = |f: &dyn Fn(i32) -> Option<f64>| Column::Float(ys.iter().map(|y| f(*y)).collect());
    let mut meta = numbers(v);
    meta["view"] = json!("climate country");
    meta["permalink"] = json!(v.permalink);
    meta["vintage"] = json!(v.vintage);
    meta["edit"] = json!(v.edit);
    meta["pledges"] = json!(if v.conditional {
        "conditional"
    } else {
        "unconditional"
    });
    meta["label"] = json!(super::CLIMATE_NOTE);
    Table::new(format!("attache-climate-{}", p.iso3), meta)
        .with(
            "year",
            Column::Int(ys.iter().map(|y| Some(i64::from(*y))).collect()),
        )
        .with("history_mt", col(&|y| p.history.get(y)))
        .with(
            "current_policies_mt",
            col(&|y| r.current_policies.at(y).filter(|_| y >= p.jump_off.0)),
        )
        .with(
            "pledge_pathway_mt",
            col(&|y| {
                r.pledge_pathway
                    .as_ref()
                    .and_then(|x| x.at(y))
                    .filter(|_| y >= p.jump_off.0)
            }),
        )
        .with("target_path_mt", col(&|y| p.target_path.get(y)))
}

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    params: Params,
) -> Result<Response, AppError> {
    params.only(&["edit", "pledges", "from", "to", "format"])?;
    let format = params.format(
        Format::Html,
        &[Format::Html, Format::Csv, Format::Json, Format::Parquet],
    )?;
    let data = state.climate().await?;
    let iso3 = code.trim().to_ascii_uppercase();
    if data.world.country(&iso3).is_none()
        && let Ok(c) = Crosswalk::global().find(&code)
        && c.iso3 != iso3
    {
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
    let body = html! {
        h1 #country-name data-iso3=(p.iso3) { (p.name) ": Paris progress" }
        (tabs(""))
        (climate_banner())
        @if let Some(e) = &v.edit { p.edited role="note" { "Pledge edited for this view: " code { (e) } " — " a href={"/climate/country/" (p.iso3)} { "the NDC as published" } } }
        div.headline {
            p #trend { "Fossil CO₂ in " (y0) ": " strong { (mt(e0)) " Mt" } ". Trend to " (y0) ": " strong data-value=(p.trend) { (format!("{:+.1}%/yr", p.trend * 100.0)) } " " span.arrow { (p.arrow.glyph()) } }
            @match &p.pledge {
                Some(x) => p #ndc { "NDC: " strong { (x.describe()) } br; span.small { "read from " (x.source) } },
                None => p #ndc { "NDC: none in the NDC tables" },
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
            table #pathway { thead { tr { @for y in PATHWAY_YEARS { th { (y) } } } } tbody { tr { @for y in PATHWAY_YEARS { td.num { (pp.at(y).map_or("–".into(), mt)) } } } } }
        }
        p #current-policies { "Current policies: " (r.current_policies.note.trim_start_matches("current policies: ")) }
        @if let Some(fs) = &r.fair_shares {
            h2 { "Fair share in " (RATING_YEAR) }
            p.small { "Mt CO₂: allocations of the global benchmark emissions of each warming level by four effort-sharing rules; the range is the smallest to the largest." }
            table #fair-shares {
                thead { tr { th { "Level" } @for (m, _) in &fs[0].by_method { th { (m.label()) } } th { "Range" } } }
                tbody {
                    @for f in fs {
                        tr data-level=(f.level.label) { td { (f.level.label) } @for (_, x) in &f.by_method { td.num { (mt(*x)) } } td.num { (mt(f.range.0)) " to " (mt(f.range.1)) } }
                    }
                }
            }
        }
        @if let Some(svg) = &thresholds { figure.chart { (maud::PreEscaped(svg)) } }
        form.inline method="get" action={"/climate/country/" (p.iso3)} {
            label { "Try another pledge: " input type="text" name="edit" size="40" value=(v.edit.clone().unwrap_or_default()) placeholder="base:2005,cut:50,by:2030,netzero:2050"; }
            " " label { select name="pledges" { option value="unconditional" selected[!v.conditional] { "unconditional" } option value="conditional" selected[v.conditional] { "conditional" } } }
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

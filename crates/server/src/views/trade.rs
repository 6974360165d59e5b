//! `/trade` and `/trade/gaps`: the trade-policy simulator and mirror statistics on the current
//! vintage.
//!
//! - **Scenario** (`/trade?scenario=...`): the general equilibrium of a policy scenario
//!   (`attache_trade::simulate`) on the vintage's gravity panel with GSDB's complete trade
//!   sanctions (`attache_store::trade_inputs`), per country the change in real GDP and exports
//!   with their intervals: the numbers of `attache trade simulate` and of the `trade` predictor a
//!   brief's option carries. The baseline is estimated once per vintage and each scenario once
//!   (cached by vintage and canonical scenario), on the shared work pool.
//! - **Gaps** (`/trade/gaps?country=...`): every flow of the WITS 2009 file as both sides
//!   reported it (`attache_trade::mirror`, GFI's 1.06 CIF/FOB margin), flags, one-sided flows,
//!   and a gravity check with CEPII distances: the numbers of `attache trade gaps`.
//!
//! This module is the view: query, computation and the one table per view that its page,
//! downloads and API share; `pages::trade` renders them.

use std::sync::Arc;

use attache_core::Crosswalk;
use attache_core::outcome::REFERENCE_LABEL;
use attache_trade::mirror::{FlagRule, GravityCheck, MirrorCounts, MirrorFlow, counts};
use attache_trade::{FittedGravity, Scenario, SimRow, Simulation};
use serde_json::json;

use crate::AppState;
use crate::climate::cached;
use crate::download::{Column, Table};
use crate::error::AppError;
use crate::params::Params;

/// Parameters of the scenario view (the API documents the same, a test checks).
pub(crate) const KNOWN: [&str; 2] = ["scenario", "format"];
/// Parameters of the country view.
pub(crate) const KNOWN_COUNTRY: [&str; 1] = ["format"];
/// Parameters of the gaps view.
pub(crate) const KNOWN_GAPS: [&str; 3] = ["country", "flagged", "format"];

pub use attache_trade::mirror::CAVEAT;

/// Example scenarios for the form.
pub const EXAMPLES: [(&str, &str); 6] = [
    (
        "tariff USA on CHN 25%",
        "the United States raises a 25% tariff on goods from China",
    ),
    (
        "tariff USA on CHN 25%; tariff CHN on USA 25%",
        "and China answers in kind",
    ),
    (
        "rta-add CHN,JPN,KOR",
        "a trade agreement among China, Japan and Korea",
    ),
    ("rta-remove CAN,MEX,USA", "NAFTA ends"),
    (
        "border-remove AUT,BEL,DEU,DNK,ESP,FIN,FRA,GBR,GRC,IRL,ITA,NLD,PRT,SWE",
        "the 2006 EU members (those in the panel) trade as within one country",
    ),
    (
        "sanction-lift USA on IRN",
        "the United States lifts its trade sanctions on Iran",
    ),
];

/// A simulated scenario, as every view shows it.
pub struct TradeRun {
    pub vintage: String,
    pub fitted: Arc<FittedGravity>,
    pub sim: Simulation,
    pub rows: Vec<SimRow>,
    pub permalink: String,
}

/// The scenario of `params`, if any (`None`: the form alone).
pub(crate) fn parse(params: &Params) -> Result<Option<Scenario>, AppError> {
    params.only(&KNOWN)?;
    match params.get("scenario").map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|e| AppError::BadRequest(format!("scenario={s:?}: {e}"))),
    }
}

/// The permalink of a scenario.
pub fn permalink(s: &Scenario) -> String {
    format!("/trade?scenario={}", crate::views::enc(&s.to_string()))
}

/// The gravity baseline of the current vintage (estimated once per vintage, on the pool).
pub async fn baseline(state: &AppState) -> Result<(Arc<FittedGravity>, String), AppError> {
    use attache_trade::{Fit, Gravity};
    let v = state.vintage()?;
    let id = v.id.clone();
    let lock = || {
        state
            .trade_baselines
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    };
    if let Some(f) = lock().get(&id) {
        return Ok((f, id));
    }
    let panel = attache_store::trade_inputs::gravity_panel(&v)
        .await
        .map_err(|e| match e {
            e @ attache_store::StoreError::MissingTable { .. } => AppError::NoData(e.to_string()),
            e => AppError::internal(e),
        })?;
    let f = cached(&state.work, &state.trade_baselines, id.clone(), move || {
        Gravity::new()
            .fit(&panel)
            .map_err(|e| AppError::internal(format!("the gravity baseline: {e}")))
    })
    .await?;
    Ok((f, id))
}

/// The run of `scenario` (cached by vintage and canonical scenario, on the work pool).
pub async fn run(state: &AppState, scenario: Scenario) -> Result<Arc<TradeRun>, AppError> {
    let (fitted, vintage) = baseline(state).await?;
    let key = format!("{vintage} {scenario}");
    cached(&state.work, &state.trade_runs, key, move || {
        let sim = fitted.simulate(&scenario).map_err(|e| match e {
            e @ attache_trade::Error::Scenario { .. } => AppError::BadRequest(e.to_string()),
            e => AppError::internal(format!("the simulation: {e}")),
        })?;
        Ok(TradeRun {
            permalink: permalink(&scenario),
            rows: sim.rows(),
            sim,
            fitted,
            vintage,
        })
    })
    .await
}

/// A country's name (its code when the crosswalk does not know it).
pub fn name(iso3: &str) -> String {
    Crosswalk::global().name_or_code(iso3)
}

/// The scenario view's table: one row per country, the largest change in real GDP first
/// (the columns of `attache trade simulate --format csv`).
pub fn table(r: &TradeRun) -> Table {
    let rows = &r.rows;
    let num = |f: &dyn Fn(&SimRow) -> f64| Column::Float(rows.iter().map(|x| Some(f(x))).collect());
    let f = &r.fitted;
    let meta = json!({
        "view": "trade scenario", "permalink": r.permalink, "label": REFERENCE_LABEL,
        "scenario": r.sim.scenario.to_string(), "vintage": r.vintage,
        "baseline_year": r.sim.year, "countries": f.countries.len(), "flows_changed": r.sim.pairs_changed,
        "rta_effect": {"estimate": f.rta.estimate, "std_error": f.rta.std_error},
        "sanction_effect": f.sanction.as_ref().map(|s| json!({"estimate": s.estimate, "std_error": s.std_error})),
        "border_effect": f.border.as_ref().map(|s| json!({"estimate": s.estimate, "std_error": s.std_error})),
        "intervals": "the equilibrium re-solved with the estimated effects at their 5th and 95th percentiles (and sigma 5 and 9 for tariffs); taken as monotone in them",
        "units": "percent change from the baseline year, once the economy has fully adjusted",
    });
    Table::new("attache-trade".to_string(), meta)
        .with(
            "iso3",
            Column::Text(rows.iter().map(|x| Some(x.country.clone())).collect()),
        )
        .with(
            "country",
            Column::Text(rows.iter().map(|x| Some(name(&x.country))).collect()),
        )
        .with("real_gdp_change", num(&|x| x.real_gdp.central))
        .with("real_gdp_p05", num(&|x| x.real_gdp.low))
        .with("real_gdp_p95", num(&|x| x.real_gdp.high))
        .with("exports_change", num(&|x| x.exports.central))
        .with("exports_p05", num(&|x| x.exports.low))
        .with("exports_p95", num(&|x| x.exports.high))
        .with("exports_conditional", num(&|x| x.exports_conditional))
        .with("price_change", num(&|x| x.price))
        .with("imr_change", num(&|x| x.imr))
        .with("omr_change", num(&|x| x.omr))
}

/// The vintage's mirror statistics (computed once per vintage).
pub struct Gaps {
    pub vintage: String,
    pub flows: Vec<MirrorFlow>,
    pub gravity: Option<GravityCheck>,
    pub rule: FlagRule,
}

/// One query of the gaps view.
pub struct GapsQuery {
    /// ISO3 of the country asked about.
    pub country: Option<String>,
    /// Only flagged flows (gap or gravity outlier).
    pub flagged: bool,
}

pub(crate) fn parse_gaps(params: &Params) -> Result<GapsQuery, AppError> {
    params.only(&KNOWN_GAPS)?;
    let country = match params.get("country").map(str::trim) {
        None | Some("") => None,
        Some(q) => Some(
            Crosswalk::global()
                .find(q)
                .map_err(|e| AppError::BadRequest(format!("country={q:?}: {e}")))?
                .iso3
                .clone(),
        ),
    };
    let flagged = match params.get("flagged") {
        None | Some("") | Some("false") | Some("0") => false,
        Some("true") | Some("1") => true,
        Some(v) => {
            return Err(AppError::BadRequest(format!(
                "flagged={v:?}: give true or false"
            )));
        }
    };
    Ok(GapsQuery { country, flagged })
}

impl GapsQuery {
    pub fn permalink(&self) -> String {
        let mut p = "/trade/gaps".to_string();
        let mut sep = '?';
        if let Some(c) = &self.country {
            p.push_str(&format!("{sep}country={c}"));
            sep = '&';
        }
        if self.flagged {
            p.push_str(&format!("{sep}flagged=true"));
        }
        p
    }
}

/// The mirror statistics of the current vintage.
pub async fn gaps(state: &AppState) -> Result<Arc<Gaps>, AppError> {
    let v = state.vintage()?;
    let id = v.id.clone();
    if let Some(g) = state
        .trade_gaps
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&id)
    {
        return Ok(g);
    }
    let no_data = |e: attache_store::StoreError| match e {
        e @ attache_store::StoreError::MissingTable { .. } => AppError::NoData(e.to_string()),
        e => AppError::internal(e),
    };
    let file = attache_store::trade_inputs::wits_file(&v)
        .await
        .map_err(no_data)?;
    let dist = attache_store::trade_inputs::distances(&v)
        .await
        .map_err(no_data)?;
    let vintage = id.clone();
    cached(&state.work, &state.trade_gaps, id, move || {
        let rule = FlagRule::default();
        let mut flows = attache_trade::mirror::mirror(&file, rule);
        let gravity = match dist {
            Some(d) => Some(
                attache_trade::mirror::gravity_check(&mut flows, &d, 10.0, rule.min_value)
                    .map_err(|e| AppError::internal(format!("the gravity check: {e}")))?,
            ),
            None => None,
        };
        Ok(Gaps {
            vintage,
            flows,
            gravity,
            rule,
        })
    })
    .await
}

/// The flows a query selects, largest |gap| (then largest flow) first, and their counts.
pub fn select<'a>(g: &'a Gaps, q: &GapsQuery) -> (Vec<&'a MirrorFlow>, MirrorCounts) {
    let mut v: Vec<&MirrorFlow> = g
        .flows
        .iter()
        .filter(|f| {
            q.country
                .as_ref()
                .is_none_or(|c| &f.exporter == c || &f.importer == c)
        })
        .collect();
    let c = counts(v.iter().copied());
    if q.flagged {
        v.retain(|f| f.flagged || f.gravity_outlier);
    }
    let size = |f: &MirrorFlow| f.exports.unwrap_or(0.0).max(f.imports.unwrap_or(0.0));
    v.sort_by(|a, b| {
        b.gap
            .unwrap_or(0.0)
            .abs()
            .total_cmp(&a.gap.unwrap_or(0.0).abs())
            .then(size(b).total_cmp(&size(a)))
            .then(a.exporter.cmp(&b.exporter))
            .then(a.importer.cmp(&b.importer))
    });
    (v, c)
}

/// The gaps view's table (the columns of `attache trade gaps --format csv`).
pub fn gaps_table(g: &Gaps, q: &GapsQuery) -> Table {
    let (flows, c) = select(g, q);
    let text = |f: &dyn Fn(&MirrorFlow) -> String| {
        Column::Text(flows.iter().map(|x| Some(f(x))).collect())
    };
    let num = |f: &dyn Fn(&MirrorFlow) -> Option<f64>| {
        Column::Float(flows.iter().map(|x| f(x)).collect())
    };
    let meta = json!({
        "view": "trade mirror gaps", "permalink": q.permalink(), "vintage": g.vintage,
        "cif_fob": attache_trade::mirror::CIF_FOB,
        "rule": {"relative": g.rule.relative, "min_value_kusd": g.rule.min_value},
        "counts": {"flows": c.flows, "both": c.both, "orphaned": c.orphaned, "lost": c.lost, "flagged": c.flagged},
        "gravity": g.gravity.as_ref().map(|x| json!({"distance_elasticity": x.distance.0, "std_error": x.distance.1, "n": x.n, "outliers": x.outliers, "factor": x.factor})),
        "caveat": CAVEAT, "units": "thousand US dollars, 2009",
    });
    Table::new("attache-trade-gaps".to_string(), meta)
        .with("exporter", text(&|f| f.exporter.clone()))
        .with("importer", text(&|f| f.importer.clone()))
        .with("exports_fob_kusd", num(&|f| f.exports))
        .with("imports_cif_kusd", num(&|f| f.imports))
        .with("sides", text(&|f| f.sides.as_str().to_string()))
        .with("gap_kusd", num(&|f| f.gap))
        .with("relative_gap", num(&|f| f.relative_gap))
        .with(
            "flagged",
            Column::Int(flows.iter().map(|f| Some(i64::from(f.flagged))).collect()),
        )
        .with("predicted_kusd", num(&|f| f.predicted))
        .with(
            "gravity_outlier",
            Column::Int(
                flows
                    .iter()
                    .map(|f| Some(i64::from(f.gravity_outlier)))
                    .collect(),
            ),
        )
        .with(
            "lines",
            text(&|f| {
                f.lines
                    .iter()
                    .map(|l| l.to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
            }),
        )
}

/// One partner of a country: the gravity panel's baseline-year flows (million USD) and status,
/// and the WITS 2009 figures (thousand USD) as each side reported them.
pub struct Partner {
    pub iso3: String,
    pub exports_baseline: Option<f64>,
    pub imports_baseline: Option<f64>,
    pub rta: Option<bool>,
    pub sanction: Option<bool>,
    /// The country's exports to the partner as it reported them, and as the partner reported
    /// its imports (CIF).
    pub exports_2009: (Option<f64>, Option<f64>),
    /// The country's imports from the partner as it reported them (CIF), and as the partner
    /// reported its exports.
    pub imports_2009: (Option<f64>, Option<f64>),
    /// A gap flag on either flow.
    pub flagged: bool,
}

/// A country's trade: its partners, largest baseline trade (then 2009 trade) first.
pub struct CountryTrade {
    pub iso3: String,
    pub name: String,
    /// The baseline year, when the country is in the gravity panel.
    pub baseline_year: Option<i64>,
    pub partners: Vec<Partner>,
    pub vintage: String,
}

/// The trade of `iso3` from the baseline and the mirror statistics (either may be absent;
/// a country in neither is not found).
pub async fn country(state: &AppState, iso3: &str) -> Result<CountryTrade, AppError> {
    let (fitted, vintage) = baseline(state).await?;
    let g = gaps(state).await?;
    let mut by: std::collections::BTreeMap<String, Partner> = std::collections::BTreeMap::new();
    let entry = |m: &mut std::collections::BTreeMap<String, Partner>, p: &str| {
        m.entry(p.to_string()).or_insert_with(|| Partner {
            iso3: p.to_string(),
            exports_baseline: None,
            imports_baseline: None,
            rta: None,
            sanction: None,
            exports_2009: (None, None),
            imports_2009: (None, None),
            flagged: false,
        });
    };
    let in_panel = fitted.countries.iter().any(|c| c == iso3);
    if in_panel {
        for (e, i, trade, rta, sanction) in fitted.baseline_flows() {
            if e == i || (e != iso3 && i != iso3) {
                continue;
            }
            let other = if e == iso3 { i } else { e };
            entry(&mut by, other);
            let p = by.get_mut(other).expect("just inserted");
            if e == iso3 {
                p.exports_baseline = Some(trade);
            } else {
                p.imports_baseline = Some(trade);
            }
            p.rta = Some(rta);
            p.sanction = Some(sanction);
        }
    }
    let mut in_wits = false;
    for f in &g.flows {
        if f.exporter != iso3 && f.importer != iso3 {
            continue;
        }
        in_wits = true;
        let other = if f.exporter == iso3 {
            &f.importer
        } else {
            &f.exporter
        };
        entry(&mut by, other);
        let p = by.get_mut(other.as_str()).expect("just inserted");
        if f.exporter == iso3 {
            p.exports_2009 = (f.exports, f.imports);
        } else {
            p.imports_2009 = (f.imports, f.exports);
        }
        p.flagged |= f.flagged;
    }
    if !in_panel && !in_wits {
        return Err(AppError::NotFound(format!(
            "{iso3}: no flows in the gravity panel ({} countries) nor in the WITS 2009 file",
            fitted.countries.len()
        )));
    }
    let size = |p: &Partner| p.exports_baseline.unwrap_or(0.0) + p.imports_baseline.unwrap_or(0.0);
    let size09 = |p: &Partner| {
        p.exports_2009.0.or(p.exports_2009.1).unwrap_or(0.0)
            + p.imports_2009.0.or(p.imports_2009.1).unwrap_or(0.0)
    };
    let mut partners: Vec<Partner> = by.into_values().collect();
    partners.sort_by(|a, b| {
        size(b)
            .total_cmp(&size(a))
            .then(size09(b).total_cmp(&size09(a)))
            .then(a.iso3.cmp(&b.iso3))
    });
    Ok(CountryTrade {
        iso3: iso3.to_string(),
        name: name(iso3),
        baseline_year: in_panel.then_some(fitted.year),
        partners,
        vintage,
    })
}

/// The country view's table: one row per partner.
pub fn country_table(c: &CountryTrade) -> Table {
    let p = &c.partners;
    let num = |f: &dyn Fn(&Partner) -> Option<f64>| Column::Float(p.iter().map(f).collect());
    let flag = |f: &dyn Fn(&Partner) -> Option<bool>| {
        Column::Int(p.iter().map(|x| f(x).map(i64::from)).collect())
    };
    let meta = json!({
        "view": "trade of a country", "permalink": format!("/trade/country/{}", c.iso3),
        "iso3": c.iso3, "country": c.name, "vintage": c.vintage, "baseline_year": c.baseline_year,
        "units": {"*_baseline": "million US dollars (the gravity panel, nominal)", "*_2009": "thousand US dollars (WITS)"},
        "caveat": CAVEAT,
    });
    Table::new("attache-trade-country".to_string(), meta)
        .with(
            "partner",
            Column::Text(p.iter().map(|x| Some(x.iso3.clone())).collect()),
        )
        .with(
            "partner_name",
            Column::Text(p.iter().map(|x| Some(name(&x.iso3))).collect()),
        )
        .with("exports_baseline", num(&|x| x.exports_baseline))
        .with("imports_baseline", num(&|x| x.imports_baseline))
        .with("rta_baseline", flag(&|x| x.rta))
        .with("sanction_baseline", flag(&|x| x.sanction))
        .with("exports_2009_reported", num(&|x| x.exports_2009.0))
        .with("exports_2009_partner", num(&|x| x.exports_2009.1))
        .with("imports_2009_reported", num(&|x| x.imports_2009.0))
        .with("imports_2009_partner", num(&|x| x.imports_2009.1))
        .with("flagged_2009", flag(&|x| Some(x.flagged)))
}

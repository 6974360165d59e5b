//! `/briefs`: decision briefs in the browser. The list and each brief show only what the viewer
//! may read (the briefs crate filters by role and clearance; a brief above the viewer is not
//! found); analysts and diplomats create briefs with a form; a diplomat decides with a form that
//! requires a written rationale; `/briefs/{id}/export` is the printable page; `POST
//! /briefs/predict` adds a climate outcome (the emulator under a scenario) to a draft's options.
//! Forms carry the session's CSRF token. Machine-written text is labelled as such.

use attache_accounts::{Clearance, Role};
use attache_briefs::model::{
    Author, Decision, ListFilter, NewBrief, NewOption, State as BriefState,
};
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;

use crate::AppState;
use crate::auth::Viewer;
use crate::error::AppError;
use crate::html::{page as layout, scrolling};
use crate::params::Params;
use crate::views::briefs::{blocking as run, parse_id};
use attache_briefs::export::{evidence as evidence_item, prediction as prediction_table};
use attache_core::outcome::REFERENCE_LABEL;

pub fn can_author(v: &Viewer) -> bool {
    v.is_signed_in() && matches!(v.principal.role, Role::Analyst | Role::Diplomat)
}

pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    params: Params,
) -> Result<Response, AppError> {
    params.only(&["page", "q"])?;
    let page = params.page(50)?;
    let filter = ListFilter {
        state: None,
        classification: None,
        text: params.get("q").map(str::to_string),
        offset: page.offset() as u64,
        limit: 50,
    };
    let p = viewer.principal.clone();
    let res = run(&state, move |b| b.list(&p, &filter)).await?;
    let body = html! {
        h1 { "Decision briefs" }
        p.small { "The system proposes options with predicted outcomes; a person decides, on the record. You see the briefs your clearance allows." }
        @if can_author(&viewer) { p { a #new-brief href="/briefs/new" { "New brief" } } }
        (scrolling("Briefs", html! { table #briefs {
            thead { tr { th { "#" } th { "Title" } th { "Classification" } th { "State" } th { "By" } } }
            tbody { @for s in &res.items {
                tr data-id=(s.id) { td { (s.id) } td { a href={"/briefs/" (s.id)} { (s.title) } } td { (s.classification.to_string()) } td { (s.state.to_string()) } td { (s.created_by) } }
            } }
        } }))
        p.small { (res.total) " briefs visible to you." }
    };
    Ok(Html(layout("Briefs", &viewer, body).into_string()).into_response())
}

pub async fn new_form(viewer: Viewer) -> Result<Response, AppError> {
    viewer.require(&[Role::Analyst, Role::Diplomat])?;
    let levels: Vec<Clearance> = [
        Clearance::Public,
        Clearance::Restricted,
        Clearance::Confidential,
        Clearance::Secret,
    ]
    .into_iter()
    .filter(|c| *c <= viewer.principal.clearance)
    .collect();
    let body = html! {
        h1 { "New brief" }
        form #brief-form method="post" action="/briefs" {
            input type="hidden" name="csrf" value=(viewer.csrf_token().unwrap_or(""));
            label { "Title " input name="title" required maxlength="200"; } br;
            label { "Question " textarea name="question" required rows="3" cols="70" {} } br;
            label { "Classification " select name="classification" required {
                option value="" { "— choose —" }
                @for c in &levels { option value=(c.to_string()) { (c.to_string()) } } } } br;
            @for i in 1..=3 {
                fieldset { legend { "Option " (i) @if i == 3 { " (optional)" } }
                    label { "Title " input name={"option" (i) "_title"} required[i < 3]; } br;
                    label { "Summary " textarea name={"option" (i) "_summary"} rows="2" cols="70" required[i < 3] {} } }
            }
            button type="submit" { "Create draft" }
        }
    };
    Ok(Html(layout("New brief", &viewer, body).into_string()).into_response())
}

#[derive(Deserialize)]
pub struct NewBriefForm {
    csrf: String,
    title: String,
    question: String,
    classification: String,
    option1_title: String,
    option1_summary: String,
    option2_title: String,
    option2_summary: String,
    #[serde(default)]
    option3_title: String,
    #[serde(default)]
    option3_summary: String,
}

pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    form: Result<Form<NewBriefForm>, FormRejection>,
) -> Result<Response, AppError> {
    let Form(f) = form.map_err(|e| AppError::from_body(e.status(), e.body_text()))?;
    viewer.check_csrf(&f.csrf)?;
    if f.classification.trim().is_empty() {
        return Err(AppError::Unprocessable(
            "choose a classification: a brief has no default level".into(),
        ));
    }
    let classification: Clearance = f.classification.parse().map_err(|_| {
        AppError::Unprocessable(format!(
            "classification {:?} (public, restricted, confidential, secret)",
            f.classification
        ))
    })?;
    let mut options = vec![
        NewOption {
            title: f.option1_title,
            summary: f.option1_summary,
        },
        NewOption {
            title: f.option2_title,
            summary: f.option2_summary,
        },
    ];
    if !f.option3_title.trim().is_empty() {
        options.push(NewOption {
            title: f.option3_title,
            summary: f.option3_summary,
        });
    }
    let nb = NewBrief {
        title: f.title,
        question: f.question,
        classification,
        options,
    };
    let p = viewer.principal.clone();
    let id = run(&state, move |b| b.create(&p, &nb)).await?;
    Ok(Redirect::to(&format!("/briefs/{id}")).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let p = viewer.principal.clone();
    let b = run(&state, move |br| br.get(&p, id)).await?;
    let csrf = viewer.csrf_token().unwrap_or("").to_string();
    let is_diplomat = viewer.is_signed_in() && viewer.principal.role == Role::Diplomat;
    let flagged: Vec<(usize, &attache_core::outcome::PredictedOutcome)> = b
        .options
        .iter()
        .enumerate()
        .flat_map(|(i, o)| o.predictions.iter().map(move |p| (i + 1, p)))
        .filter(|(_, p)| p.novelty.is_flagged())
        .collect();
    let body = html! {
        p.classification-banner { "Classification: " strong #classification { (b.classification.to_string().to_uppercase()) } }
        h1 #brief-title { (b.title) }
        (crate::html::how_to_read(&["Options carry predicted outcomes from the models (marked machine-written, for reference), each with its uncertainty, model and the age of its data.", "A warning box means a prediction was made for a situation unlike the model's training data.", "Only a diplomat decides, with a written rationale; every step goes on the tamper-evident record."]))
        p { "State: " strong #brief-state { (b.state.to_string()) } " · created by " (b.created_by) " · " (b.created_at.to_string()) }
        h2 { "Question" }
        p #question { (b.question) }
        @if !flagged.is_empty() {
            div.novelty-warning role="note" {
                strong { "Unlike the models' training data: " }
                "treat these predictions with extra care. "
                ul { @for (n, pr) in &flagged { li { "Option " (n) ", " (pr.description) ": " (pr.novelty.note) } } }
            }
        }
        h2 #options-heading { "Options" }
        p.small { "Predictions are for reference (" (REFERENCE_LABEL) "): each shows its uncertainty, the model and the age of its data." }
        ol #options {
            @for o in &b.options {
                li.option {
                    h3 { (o.title) }
                    p { (o.summary.body) @if let Author::Machine(m) = &o.summary.author { " " small.machine { "(machine-written by " (m) ")" } } }
                    @if o.predictions.is_empty() { p.small { "No predicted outcomes attached." } }
                    @for pr in &o.predictions {
                        (scrolling(&format!("Predicted outcome: {}", pr.description), prediction_table(pr)))
                    }
                }
            }
        }
        h2 #evidence-heading { "Evidence" }
        section #evidence aria-labelledby="evidence-heading" {
            @if b.evidence.is_empty() { p { "No evidence attached." } }
            @for e in &b.evidence { div.evidence { (evidence_item(e, "h3")) } }
        }
        @if let Some(d) = &b.decision {
            h2 { "Decision" }
            p #decision { (match d.decision { Decision::Choose { option_index } => format!("Option {} chosen", option_index + 1), Decision::RejectAll => "All options rejected".into() })
                " by " (d.decided_by) " on " (d.decided_at.to_string()) "." }
            blockquote #rationale { (d.rationale) }
        }
        @if b.state == BriefState::Draft && can_author(&viewer) {
            details #add-outcome open[b.options.iter().all(|o| o.predictions.is_empty())] {
                summary { "Add a predicted outcome to an option" }
                (crate::pages::brief_outcomes::form(b.id, b.options.len(), &csrf, &state.config.predictors))
            }
            details #climate-predict {
                summary { "Add a climate outcome to an option" }
                (climate_form(b.id, b.options.len(), &csrf, "ndcs", &[]))
                p.small { "Scenarios: ssp119 … ssp585, rcp26 … rcp85, current-policies, ndcs, or ndcs+ISO3=spec;ISO3=spec (the edits of "
                    a href="/climate" { "the scenario explorer" } ", which builds them)." }
            }
            form method="post" action={"/briefs/" (b.id) "/submit"} { input type="hidden" name="csrf" value=(csrf); button type="submit" { "Send to review" } }
        }
        @if b.state == BriefState::Review && is_diplomat {
            h2 { "Decide" }
            p { "The system advises; you decide. The options' predicted outcomes, with their uncertainty, models and data vintages, and the evidence are above; your rationale goes on the record." }
            form #decide method="post" action={"/briefs/" (b.id) "/decision"} {
                input type="hidden" name="csrf" value=(csrf);
                @for (i, o) in b.options.iter().enumerate() { label { input type="radio" name="choice" value=(i) required; " " (o.title) } br; }
                label { input type="radio" name="choice" value="reject"; " Reject all options" } br;
                label { "Rationale (required) " textarea name="rationale" required rows="4" cols="70" {} } br;
                button type="submit" { "Record decision" }
            }
        }
        p { a #export href={"/briefs/" (b.id) "/export"} { "Printable version" } }
        p.classification-banner { "Classification: " (b.classification.to_string().to_uppercase()) }
    };
    Ok(Html(layout(&b.title, &viewer, body).into_string()).into_response())
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

pub async fn submit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Result<Response, AppError> {
    let Form(f) = form.map_err(|e| AppError::from_body(e.status(), e.body_text()))?;
    viewer.check_csrf(&f.csrf)?;
    let id = parse_id(&id)?;
    let p = viewer.principal.clone();
    run(&state, move |b| b.submit_for_review(&p, id)).await?;
    Ok(Redirect::to(&format!("/briefs/{id}")).into_response())
}

#[derive(Deserialize)]
pub struct DecisionForm {
    csrf: String,
    choice: String,
    #[serde(default)]
    rationale: String,
}

pub async fn decide(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: Result<Form<DecisionForm>, FormRejection>,
) -> Result<Response, AppError> {
    let Form(f) = form.map_err(|e| AppError::from_body(e.status(), e.body_text()))?;
    viewer.check_csrf(&f.csrf)?;
    let id = parse_id(&id)?;
    let decision = if f.choice == "reject" {
        Decision::RejectAll
    } else {
        Decision::Choose {
            option_index: f
                .choice
                .parse()
                .map_err(|_| AppError::Unprocessable(format!("choice {:?}", f.choice)))?,
        }
    };
    let p = viewer.principal.clone();
    run(&state, move |b| b.decide(&p, id, decision, &f.rationale)).await?;
    Ok(Redirect::to(&format!("/briefs/{id}")).into_response())
}

pub async fn export(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let p = viewer.principal.clone();
    let page = run(&state, move |b| b.export_html(&p, id)).await?;
    Ok(Html(page).into_response())
}

/// The climate-outcome form: from a draft brief's page or from the scenario explorer.
#[derive(Deserialize)]
pub struct ClimatePredictForm {
    csrf: String,
    brief: String,
    /// An option number from 1, or `all`.
    option: String,
    scenario: String,
    #[serde(default)]
    quantity: Option<String>,
    #[serde(default)]
    year: Option<String>,
    #[serde(default)]
    params: Option<String>,
    #[serde(default)]
    reference: Option<String>,
    #[serde(default)]
    pledges: Option<String>,
    /// The ensemble the page ran (members, seed), so the brief's median is the page's.
    #[serde(default)]
    members: Option<String>,
    #[serde(default)]
    seed: Option<String>,
}

/// `POST /briefs/predict`: runs the climate emulator under the form's scenario and adds the
/// outcome as evidence and as the predicted outcome of the chosen option(s) of a draft, as
/// `attache brief predict --model climate` does. Authors only; the briefs crate checks the
/// brief's state and the viewer's clearance, and records the change.
pub async fn climate_predict(
    State(state): State<AppState>,
    viewer: Viewer,
    form: Result<Form<ClimatePredictForm>, FormRejection>,
) -> Result<Response, AppError> {
    use attache_core::outcome::{Horizon, OutcomeQuery, Settings};
    use attache_pledges::predictor::{ClimateScenario, WARMING, WORLD};

    let Form(f) = form.map_err(|e| AppError::from_body(e.status(), e.body_text()))?;
    viewer.check_csrf(&f.csrf)?;
    let id = parse_id(f.brief.trim())?;
    let quantity = f
        .quantity
        .clone()
        .filter(|q| !q.is_empty())
        .unwrap_or_else(|| WARMING.to_string());
    let year: i32 = match f.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        None => 2100,
        Some(y) => y
            .parse()
            .map_err(|_| AppError::Unprocessable(format!("year {y:?} is not a year")))?,
    };
    let scenario = f.scenario.trim().to_string();
    ClimateScenario::parse(&scenario).map_err(|e| AppError::Unprocessable(e.to_string()))?;
    let mut params = Params::default();
    for (k, v) in [
        ("params", &f.params),
        ("reference", &f.reference),
        ("pledges", &f.pledges),
    ] {
        if let Some(v) = v {
            params.0.insert(k.to_string(), v.clone());
        }
    }
    // The page's settings, checked here (400s name the bad value), then handed to the climate
    // predictor of the one registry.
    let param_set = crate::views::climate::param_set(
        &params,
        attache_climate::calibration::ParamSet::CalibratedHist,
    )?;
    let reference = crate::views::climate::scenario(
        &params,
        "reference",
        attache_climate::Scenario::Ssp245,
        &attache_climate::Scenario::SSPS,
    )?;
    let conditional = crate::views::climate::conditional(&params)?;
    let mut settings = Settings::new()
        .set("scenario", &scenario)
        .set("params", param_set.id())
        .set("reference", reference.id())
        .set("conditional", conditional);
    for (k, v) in [("members", &f.members), ("seed", &f.seed)] {
        if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            settings = settings.set(k, v);
        }
    }
    let query = OutcomeQuery::new(&quantity, WORLD)
        .scenario(&scenario)
        .horizon(Horizon::Year(year));
    crate::pages::brief_outcomes::attach(
        &state,
        &viewer,
        id,
        &f.option,
        "climate".to_string(),
        settings,
        query,
    )
    .await?;
    Ok(Redirect::to(&format!("/briefs/{id}")).into_response())
}

/// The climate-outcome form for brief `id` (0: the reader types the brief number); `hidden`
/// fields carry the emulator settings of the page it is on.
pub fn climate_form(
    id: i64,
    options: usize,
    csrf: &str,
    scenario: &str,
    hidden: &[(&str, String)],
) -> maud::Markup {
    html! {
        form.climate-predict method="post" action="/briefs/predict" {
            input type="hidden" name="csrf" value=(csrf);
            @for (k, v) in hidden { input type="hidden" name=(k) value=(v); }
            @if id > 0 { input type="hidden" name="brief" value=(id); } @else { label { "Brief number " input type="number" name="brief" min="1" required; } " " }
            label { "Option " @if options > 0 {
                select name="option" { @for i in 1..=options { option value=(i) { (i) } } option value="all" { "all" } }
            } @else { input type="text" name="option" size="3" value="1" required; } } " "
            label { "Quantity " select name="quantity" {
                option value="warming" { "warming" } option value="peak_warming" { "peak warming" } option value="co2_ppm" { "CO₂ concentration" } } } " "
            label { "Year " input type="number" name="year" min="1850" max="2500" value="2100"; } " "
            @if id > 0 { label { "Scenario " input type="text" name="scenario" size="50" value=(scenario) required; } }
            @else { input type="hidden" name="scenario" value=(scenario); }
            " " button type="submit" { "Add the reference outcome" }
        }
    }
}

//! Predicted outcomes on a draft brief, from the browser: `POST /briefs/{id}/predict` runs any
//! model of the deployment's one registry (conflict forecast, climate emulator, epidemic
//! simulator, ...) with the form's quantity, subject, scenario, horizon and settings, and adds
//! the outcome as evidence and as the predicted outcome of the chosen option(s), as `attache
//! brief predict` does from the command line. [`attach`] is the one tail every such form
//! (this one and the climate explorer's) goes through: the brief must be a draft the viewer
//! can read, the option must exist, the model runs on the bounded work pool, and the briefs
//! crate records evidence and predictions with their audit entries.

use attache_briefs::model::{EvidenceKind, NewEvidence, State as BriefState};
use attache_core::outcome::{
    Horizon, OutcomeQuery, PredictorKind, Registry, SettingSpec, Settings,
};
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

use crate::AppState;
use crate::auth::Viewer;
use crate::error::AppError;
use crate::pages::briefs::can_author;
use crate::views::briefs::{blocking as run, parse_id};

/// The subject of global models.
const WORLD: &str = "world";

/// Adds `query` as answered by `model` (opened with `settings`) to option `option` (a number
/// from 1, or `all`) of draft `id`, and as evidence. Checks everything it can before the model
/// runs.
pub async fn attach(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    option: &str,
    model: String,
    settings: Settings,
    query: OutcomeQuery,
) -> Result<(), AppError> {
    if !viewer.is_signed_in() {
        return Err(AppError::Unauthorized);
    }
    if !can_author(viewer) {
        return Err(AppError::Forbidden(
            "only analysts and diplomats add predictions to briefs".into(),
        ));
    }
    // The brief must be one the viewer sees, a draft, with that option, before anything runs.
    let p = viewer.principal.clone();
    let brief = run(state, move |b| b.get(&p, id)).await?;
    if brief.state != BriefState::Draft {
        return Err(AppError::Conflict(format!(
            "brief {id} is {}: only drafts take new predictions",
            brief.state
        )));
    }
    let indices: Vec<usize> = match option.trim() {
        "all" => (0..brief.options.len()).collect(),
        n => match n.parse::<usize>() {
            Ok(n) if (1..=brief.options.len()).contains(&n) => vec![n - 1],
            _ => {
                return Err(AppError::Unprocessable(format!(
                    "option {n:?}: brief {id} has options 1 to {}",
                    brief.options.len()
                )));
            }
        },
    };
    let predictors = state.config.predictors.clone();
    let (outcome, source, kind) = state
        .work
        .run(move || {
            let kind = predictors
                .get(&model)
                .map_err(|e| AppError::Unprocessable(e.to_string()))?
                .kind();
            let predictor = predictors
                .open(&model, &settings)
                .map_err(|e| AppError::Unprocessable(e.to_string()))?;
            predictor
                .predict(&query)
                .map(|o| (o, predictor.evidence_source(&query), kind))
                .map_err(|e| AppError::Unprocessable(e.to_string()))
        })
        .await?;
    let kind = match kind {
        PredictorKind::Forecast => EvidenceKind::Forecast,
        PredictorKind::Simulation => EvidenceKind::Simulation,
    };
    let p = viewer.principal.clone();
    run(state, move |b| {
        let evidence = NewEvidence::from_outcome(kind, &source, &outcome);
        b.add_evidence(&p, id, &evidence)?;
        for i in indices {
            b.add_prediction(&p, id, i, outcome.clone())?;
        }
        Ok(())
    })
    .await
}

/// The generic form's fields. Empty fields take the model's defaults.
#[derive(Deserialize)]
pub struct PredictForm {
    csrf: String,
    /// An option number from 1, or `all`.
    option: String,
    /// `MODEL/QUANTITY`, as the form's select offers them.
    target: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    scenario: String,
    #[serde(default)]
    horizon: String,
    /// `NAME=VALUE` pairs separated by `;` or new lines.
    #[serde(default)]
    settings: String,
}

/// `POST /briefs/{id}/predict`.
pub async fn predict(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: Result<Form<PredictForm>, FormRejection>,
) -> Result<Response, AppError> {
    let Form(f) = form.map_err(|e| AppError::from_body(e.status(), e.body_text()))?;
    viewer.check_csrf(&f.csrf)?;
    let id = parse_id(&id)?;
    let (model, quantity) = f.target.split_once('/').ok_or_else(|| {
        AppError::Unprocessable(format!(
            "target {:?}: expected MODEL/QUANTITY as the form offers them",
            f.target
        ))
    })?;
    let subject = subject(&f.subject)?;
    let mut query = OutcomeQuery::new(quantity.trim(), &subject);
    let scenario = f.scenario.trim();
    if !scenario.is_empty() {
        query = query.scenario(scenario);
    }
    let horizon = f.horizon.trim();
    if !horizon.is_empty() {
        let h: Horizon = horizon.parse().map_err(AppError::Unprocessable)?;
        query = query.horizon(h);
    }
    let mut settings = parse_settings(&f.settings)?;
    // Models that take their scenario as a setting (the climate emulator) get the field too.
    if let Ok(source) = state.config.predictors.get(model.trim()) {
        settings = settings.with_scenario(source, scenario);
    }
    attach(
        &state,
        &viewer,
        id,
        &f.option,
        model.trim().to_string(),
        settings,
        query,
    )
    .await?;
    Ok(Redirect::to(&format!("/briefs/{id}#options")).into_response())
}

/// `world`, or a country by any code or name the crosswalk knows (as its ISO3 code).
fn subject(s: &str) -> Result<String, AppError> {
    let s = s.trim();
    if s.is_empty() || s.eq_ignore_ascii_case(WORLD) {
        return Ok(WORLD.to_string());
    }
    attache_core::Crosswalk::global()
        .find(s)
        .map(|c| c.iso3.clone())
        .map_err(|e| AppError::Unprocessable(format!("subject {s:?}: {e}")))
}

/// `name=value; name=value` (or one per line) into settings; a pair without `=` is an error.
fn parse_settings(s: &str) -> Result<Settings, AppError> {
    let mut out = Settings::new();
    for pair in s
        .split([';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (k, v) = pair
            .split_once('=')
            .filter(|(k, _)| !k.trim().is_empty())
            .ok_or_else(|| {
                AppError::Unprocessable(format!("setting {pair:?}: expected NAME=VALUE"))
            })?;
        out = out.set(k.trim(), v.trim());
    }
    Ok(out)
}

fn setting_names(s: &[SettingSpec]) -> String {
    s.iter().map(|x| x.name).collect::<Vec<_>>().join(", ")
}

/// The form on a draft's page: every quantity of every registered model.
pub fn form(id: i64, options: usize, csrf: &str, registry: &Registry) -> Markup {
    html! {
        form #predict-form method="post" action={"/briefs/" (id) "/predict"} {
            input type="hidden" name="csrf" value=(csrf);
            label { "Option " select name="option" {
                @for i in 1..=options { option value=(i) { (i) } } option value="all" { "all" } } } br;
            label { "Model and quantity " select name="target" required {
                @for s in registry.iter() {
                    optgroup label={(s.name()) " (" (s.kind().as_str()) ")"} {
                        @for q in s.quantities() {
                            option value={(s.name()) "/" (q.id)} { (s.name()) ": " (q.description) " (" (q.unit) ")" }
                        }
                    }
                }
            } } br;
            label { "Subject " input name="subject" placeholder="world, or a country: Sudan, SDN"; } br;
            label { "Scenario " input name="scenario" placeholder="the model's default"; } br;
            label { "Horizon " input name="horizon" placeholder="2100, 2081-2100, 2021-03"; } br;
            label { "Settings " input name="settings" placeholder="name=value; name=value"; } br;
            button type="submit" { "Add the reference outcome" }
        }
        details { summary { "What each model takes" }
            ul { @for s in registry.iter() {
                li { strong { (s.name()) } ": " (s.description())
                    @let quantities = s.quantities();
                    @if let Some(q) = quantities.first() {
                        " Subjects: " (q.subjects) ". Scenarios: " (q.scenarios.join(", ")) "."
                    }
                    @if !s.settings().is_empty() { " Settings: " (setting_names(s.settings())) "." }
                }
            } }
            p { "The same list as data: " a href="/api/v1/predictors" { "/api/v1/predictors" } "." }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_parse_or_name_the_bad_pair() {
        let s = parse_settings("r0=2.5; seed = CHN:10@2019-12-01\nmembers=50").unwrap();
        assert_eq!(s.get("r0"), Some("2.5"));
        assert_eq!(s.get("seed"), Some("CHN:10@2019-12-01"));
        assert_eq!(s.get("members"), Some("50"));
        assert!(parse_settings("").unwrap().names().next().is_none());
        let e = parse_settings("r0").unwrap_err().to_string();
        assert!(e.contains("\"r0\""), "{e}");
        assert!(parse_settings("=3").is_err());
    }

    #[test]
    fn subjects_resolve_through_the_crosswalk() {
        assert_eq!(subject("").unwrap(), "world");
        assert_eq!(subject("World").unwrap(), "world");
        assert_eq!(subject("Sudan").unwrap(), "SDN");
        assert_eq!(subject("sdn").unwrap(), "SDN");
        assert!(subject("Atlantis").is_err());
    }
}

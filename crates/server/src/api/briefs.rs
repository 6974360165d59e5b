//! Decision briefs over the API: `POST /api/v1/briefs` (analysts and diplomats; JSON title,
//! question, classification, options [{title, summary}]) answers 201 `{"id": ...}`;
//! `GET /api/v1/briefs` lists what the caller may read; `GET /api/v1/briefs/{id}` shows one (a
//! brief above the caller's clearance is *not found*); `POST /api/v1/briefs/{id}/decision`
//! (diplomats only; JSON `{"option": N}` or `{"reject_all": true}` with a non-empty
//! `rationale`). Every rule is the briefs crate's: this module only translates.

use attache_accounts::Clearance;
use attache_briefs::model::{Brief, Decision, ListFilter, NewBrief, NewOption};
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{ApiResult, pagination};
use crate::AppState;
use crate::auth::ApiViewer;
use crate::error::{ApiError, AppError};
use crate::params::ApiParams;
use crate::views::briefs::{blocking, parse_id};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionIn {
    title: String,
    summary: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BriefIn {
    title: String,
    question: String,
    classification: String,
    options: Vec<OptionIn>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionIn {
    #[serde(default)]
    option: Option<usize>,
    #[serde(default)]
    reject_all: bool,
    #[serde(default)]
    rationale: String,
}

fn json_body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, AppError> {
    body.map(|Json(t)| t)
        .map_err(|e| AppError::from_body(e.status(), e.body_text()))
}

pub async fn create(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    body: Result<Json<BriefIn>, JsonRejection>,
) -> ApiResult {
    if !viewer.is_signed_in() {
        return Err(ApiError(AppError::Unauthorized));
    }
    let b = json_body(body)?;
    let classification: Clearance = b.classification.parse().map_err(|_| {
        AppError::Unprocessable(format!(
            "classification {:?}: expected public, restricted, confidential or secret",
            b.classification
        ))
    })?;
    let nb = NewBrief {
        title: b.title,
        question: b.question,
        classification,
        options: b
            .options
            .into_iter()
            .map(|o| NewOption {
                title: o.title,
                summary: o.summary,
            })
            .collect(),
    };
    let p = viewer.principal.clone();
    let id = blocking(&state, move |br| br.create(&p, &nb)).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": id, "href": format!("/api/v1/briefs/{id}")})),
    )
        .into_response())
}

fn brief_json(b: &Brief) -> Value {
    json!({
        "id": b.id, "classification": b.classification.to_string(), "state": b.state.to_string(),
        "title": b.title, "question": b.question,
        "options": b.options.iter().enumerate().map(|(i, o)| json!({
            "index": i, "title": o.title, "summary": o.summary.body,
            "predictions": o.predictions.iter().map(|p| format!("{p:?}")).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "decision": b.decision.as_ref().map(|d| json!({
            "decision": match d.decision { Decision::Choose { option_index } => json!({"option": option_index}), Decision::RejectAll => json!("reject_all") },
            "rationale": d.rationale, "decided_by": d.decided_by, "decided_at": d.decided_at.to_string(),
        })),
        "created_by": b.created_by, "created_at": b.created_at.to_string(), "updated_at": b.updated_at.to_string(),
        "amends": b.amends, "amended_by": b.amended_by, "revision": b.revision,
        "label": "Options and predictions are machine-assisted reference material; a person decides.",
    })
}

pub async fn list(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiParams(params): ApiParams,
) -> ApiResult {
    params.only(&["page", "per_page", "q"])?;
    let page = params.page(50)?;
    let filter = ListFilter {
        state: None,
        classification: None,
        text: params.get("q").map(str::to_string),
        offset: page.offset() as u64,
        limit: page.per_page.min(100) as u64,
    };
    let p = viewer.principal.clone();
    let res = blocking(&state, move |br| br.list(&p, &filter)).await?;
    let data: Vec<Value> = res
        .items
        .iter()
        .map(|s| json!({"id": s.id, "title": s.title, "classification": s.classification.to_string(), "state": s.state.to_string(),
                        "created_by": s.created_by, "created_at": s.created_at.to_string(), "amends": s.amends}))
        .collect();
    Ok(
        Json(json!({"data": data, "pagination": pagination(page, res.total as usize)}))
            .into_response(),
    )
}

pub async fn one(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<String>,
) -> ApiResult {
    let id = parse_id(&id)?;
    let p = viewer.principal.clone();
    let b = blocking(&state, move |br| br.get(&p, id)).await?;
    Ok(Json(json!({"data": brief_json(&b)})).into_response())
}

pub async fn decide(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<String>,
    body: Result<Json<DecisionIn>, JsonRejection>,
) -> ApiResult {
    if !viewer.is_signed_in() {
        return Err(ApiError(AppError::Unauthorized));
    }
    let id = parse_id(&id)?;
    let d = json_body(body)?;
    let decision = match (d.option, d.reject_all) {
        (Some(i), false) => Decision::Choose { option_index: i },
        (None, true) => Decision::RejectAll,
        _ => {
            return Err(ApiError(AppError::Unprocessable(
                "give either \"option\": N or \"reject_all\": true".into(),
            )));
        }
    };
    let p = viewer.principal.clone();
    let rationale = d.rationale;
    blocking(&state, move |br| br.decide(&p, id, decision, &rationale)).await?;
    Ok(Json(json!({"id": id, "state": "decided"})).into_response())
}

/// `POST /api/v1/briefs/{id}/submit`: a draft goes to review (its author or a diplomat).
pub async fn submit(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<String>,
) -> ApiResult {
    if !viewer.is_signed_in() {
        return Err(ApiError(AppError::Unauthorized));
    }
    let id = parse_id(&id)?;
    let p = viewer.principal.clone();
    blocking(&state, move |br| br.submit_for_review(&p, id)).await?;
    Ok(Json(json!({"id": id, "state": "review"})).into_response())
}

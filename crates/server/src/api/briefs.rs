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

use super::{ApiResult, ItemAnswer, Pagination, pagination};
use crate::AppState;
use crate::auth::ApiViewer;
use crate::error::{ApiError, AppError, ErrorBody};
use crate::params::{ApiParams, Page};
use crate::views::briefs::{blocking, parse_id};

/// One option of a new brief.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionIn {
    title: String,
    /// What the option is, in a few sentences.
    summary: String,
}

/// A new decision brief.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BriefIn {
    title: String,
    /// The question a person will decide.
    question: String,
    /// public, restricted, confidential or secret: chosen, never defaulted.
    #[schema(pattern = "^(public|restricted|confidential|secret)$")]
    classification: String,
    /// At least two options.
    #[schema(min_items = 2)]
    options: Vec<OptionIn>,
}

/// A decision: either `option` (0-based) or `reject_all`, with a written rationale.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionIn {
    /// The chosen option, 0-based.
    #[serde(default)]
    option: Option<usize>,
    /// Reject every option instead.
    #[serde(default)]
    reject_all: bool,
    /// Why; must not be empty.
    #[serde(default)]
    #[schema(min_length = 1)]
    rationale: String,
}

/// The answer to a change: the brief's number and, where it moved, its state.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ChangeAnswer {
    pub id: i64,
    /// The state after the change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Where to read it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
}

/// The briefs a caller may read, one page.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct BriefList {
    #[schema(value_type = Vec<Object>)]
    pub data: Vec<Value>,
    pub pagination: Pagination,
}

fn json_body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, AppError> {
    body.map(|Json(t)| t)
        .map_err(|e| AppError::from_body(e.status(), e.body_text()))
}

#[utoipa::path(post, path = "/briefs", tag = "briefs",
    summary = "Create a brief (analysts and diplomats)",
    request_body = BriefIn,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 201, description = "Created", body = ChangeAnswer),
        (status = 400, description = "Malformed JSON body", body = ErrorBody),
        (status = 401, description = "Sign-in or bearer token required", body = ErrorBody),
        (status = 403, description = "The caller's role may not do this", body = ErrorBody),
        (status = 422, description = "Well-formed but invalid content (e.g. fewer than two options)", body = ErrorBody),
        (status = 503, description = "No keys configured for briefs (`attache keys init`)", body = ErrorBody)))]
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
        Json(ChangeAnswer {
            id,
            state: None,
            href: Some(format!("/api/v1/briefs/{id}")),
        }),
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

#[utoipa::path(get, path = "/briefs", tag = "briefs",
    summary = "Decision briefs the caller may read (above-clearance briefs are invisible)",
    params(("q" = Option<String>, Query, description = "Text search in titles and questions."), Page),
    responses((status = 200, description = "Briefs (default 50 a page, at most 100)", body = BriefList), (status = 400, description = "Malformed or unknown parameter", body = ErrorBody), (status = 503, description = "No keys configured for briefs (`attache keys init`)", body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiParams(params): ApiParams,
) -> ApiResult {
    params.only_documented::<__path_list>()?;
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
    Ok(Json(BriefList {
        data,
        pagination: pagination(page, res.total as usize),
    })
    .into_response())
}

#[utoipa::path(get, path = "/briefs/{id}", tag = "briefs",
    summary = "One brief (404 when above the caller's clearance)",
    params(("id" = u64, Path, description = "The brief's number.")),
    responses((status = 200, description = "Brief", body = ItemAnswer), (status = 400, description = "Malformed or unknown parameter", body = ErrorBody),
        (status = 404, description = "No such brief the caller may read", body = ErrorBody), (status = 503, description = "No keys configured for briefs (`attache keys init`)", body = ErrorBody)))]
pub async fn one(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<String>,
) -> ApiResult {
    let id = parse_id(&id)?;
    let p = viewer.principal.clone();
    let b = blocking(&state, move |br| br.get(&p, id)).await?;
    ItemAnswer::ok(brief_json(&b))
}

#[utoipa::path(post, path = "/briefs/{id}/decision", tag = "briefs",
    summary = "Decide a brief in review (diplomats only; a written rationale is required)",
    params(("id" = u64, Path, description = "The brief's number.")),
    request_body = DecisionIn,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Decided", body = ChangeAnswer), (status = 400, description = "Malformed or unknown parameter", body = ErrorBody), (status = 401, description = "Sign-in or bearer token required", body = ErrorBody),
        (status = 403, description = "The caller's role may not do this", body = ErrorBody),
        (status = 404, description = "No such brief the caller may read", body = ErrorBody),
        (status = 409, description = "Not in review", body = ErrorBody),
        (status = 422, description = "Neither or both of option and reject_all, or an empty rationale", body = ErrorBody),
        (status = 503, description = "No keys configured for briefs (`attache keys init`)", body = ErrorBody)))]
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
    Ok(Json(ChangeAnswer {
        id,
        state: Some("decided".into()),
        href: None,
    })
    .into_response())
}

/// `POST /api/v1/briefs/{id}/submit`: a draft goes to review (its author or a diplomat).
#[utoipa::path(post, path = "/briefs/{id}/submit", tag = "briefs",
    summary = "Send a draft to review",
    params(("id" = u64, Path, description = "The brief's number.")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "In review", body = ChangeAnswer), (status = 400, description = "Malformed or unknown parameter", body = ErrorBody), (status = 401, description = "Sign-in or bearer token required", body = ErrorBody),
        (status = 403, description = "The caller's role may not do this", body = ErrorBody),
        (status = 404, description = "No such brief the caller may read", body = ErrorBody),
        (status = 409, description = "Not a draft", body = ErrorBody),
        (status = 503, description = "No keys configured for briefs (`attache keys init`)", body = ErrorBody)))]
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
    Ok(Json(ChangeAnswer {
        id,
        state: Some("review".into()),
        href: None,
    })
    .into_response())
}

//! `GET /api/v1/users` (admins only: 401 anonymous, 403 other roles) and `GET /api/v1/me` (who
//! the caller is, and a cookie session's CSRF token; public).

use attache_accounts::Role;
use axum::Json;
use axum::extract::State;
use axum::response::IntoResponse;
use serde_json::json;

use super::{ApiResult, DATA_FORMATS, pagination, respond};
use crate::AppState;
use crate::auth::ApiViewer;
use crate::params::{ApiParams, Format};

pub async fn list(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiParams(params): ApiParams,
) -> ApiResult {
    viewer.require(&[Role::Admin])?;
    params.only(&["format", "page", "per_page"])?;
    let format = params.format(Format::Json, DATA_FORMATS)?;
    let page = params.page(100)?;
    let t = crate::views::users::users_table(&state).await?;
    let total = t.rows();
    respond(t.page(page), format, Some(pagination(page, total)))
}

pub async fn me(ApiViewer(viewer): ApiViewer, ApiParams(params): ApiParams) -> ApiResult {
    params.only(&[])?;
    let p = &viewer.principal;
    // A page signed in by the cookie reads its CSRF token here (the `X-CSRF-Token` of its calls).
    let csrf = viewer.csrf_token();
    Ok(Json(json!({"data": {"name": p.name, "role": p.role.to_string(), "clearance": p.clearance.to_string(), "signed_in": viewer.is_signed_in(), "csrf_token": csrf}})).into_response())
}

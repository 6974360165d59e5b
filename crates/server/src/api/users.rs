//! `GET /api/v1/users` (admins only: 401 anonymous, 403 other roles) and `GET /api/v1/me` (who
//! the caller is, and a cookie session's CSRF token; public).

use attache_accounts::Role;
use axum::extract::{OriginalUri, State};
use serde_json::json;

use super::{ApiResult, FormatArg, ItemAnswer, TableAnswer, respond_list};
use crate::AppState;
use crate::auth::ApiViewer;
use crate::error::ErrorBody;
use crate::params::{ApiParams, Page};

#[utoipa::path(get, path = "/users", tag = "users",
    summary = "Accounts (admins only)",
    params(FormatArg, Page),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, description = "Users (default 100 a page)", content(
            (TableAnswer = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.apache.parquet"))), (status = 400, description = "Malformed or unknown parameter", body = ErrorBody),
        (status = 401, description = "Sign-in or bearer token required", body = ErrorBody),
        (status = 403, description = "Admins only", body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    OriginalUri(uri): OriginalUri,
    ApiParams(params): ApiParams,
) -> ApiResult {
    viewer.require(&[Role::Admin])?;
    params.only_documented::<__path_list>()?;
    let FormatArg { format } = FormatArg::parse(&params)?;
    let t = crate::views::users::users_table(&state).await?;
    respond_list(t, format, &params, 100, &uri)
}

#[utoipa::path(get, path = "/me", tag = "users",
    summary = "Who the caller is (anonymous when not signed in); signed in by the session cookie, also `csrf_token`, the `X-CSRF-Token` its POSTs must carry",
    responses((status = 200, description = "Principal", body = ItemAnswer), (status = 400, description = "Malformed or unknown parameter", body = ErrorBody),
        (status = 401, description = "A bearer token that is not valid", body = ErrorBody)))]
pub async fn me(ApiViewer(viewer): ApiViewer, ApiParams(params): ApiParams) -> ApiResult {
    params.only_documented::<__path_me>()?;
    let p = &viewer.principal;
    // A page signed in by the cookie reads its CSRF token here (the `X-CSRF-Token` of its calls).
    let csrf = viewer.csrf_token();
    ItemAnswer::ok(
        json!({"name": p.name, "role": p.role.to_string(), "clearance": p.clearance.to_string(), "signed_in": viewer.is_signed_in(), "csrf_token": csrf}),
    )
}

//! `/admin/users`: the accounts (admins only). Download: the same list.

use attache_accounts::Role;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use maud::html;
use serde_json::json;

use crate::AppState;
use crate::auth::Viewer;
use crate::download::{Column, Table};
use crate::error::AppError;
use crate::html::{page as layout, scrolling, view_links};
use crate::params::{Format, Params};
use crate::views::users::users_table;

pub async fn users(
    State(state): State<AppState>,
    viewer: Viewer,
    params: Params,
) -> Result<Response, AppError> {
    viewer.require(&[Role::Admin])?;
    let format = params.view(&["format"])?;
    let t = users_table(&state).await?;
    if format != Format::Html {
        return t.respond(format);
    }
    let j = t.to_json();
    let body = html! {
        h1 { "Users" }
        (scrolling("Users", html! { table #users {
            thead { tr { th { "Name" } th { "Role" } th { "Clearance" } th { "Created" } } }
            tbody { @for u in j["data"].as_array().into_iter().flatten() {
                tr { td { (u["name"].as_str().unwrap_or("")) } td { (u["role"].as_str().unwrap_or("")) } td { (u["clearance"].as_str().unwrap_or("")) } td { (u["created_at"].as_str().unwrap_or("")) } }
            } }
        } }))
        p.small { "Add users with " code { "attache user add NAME --role R --clearance C" } "." }
        (view_links("/admin/users"))
    };
    Ok(Html(layout("Users", &viewer, body).into_string()).into_response())
}

/// `/admin/audit`: the newest audit entries (admins only), with the log's verification state.
/// Download: the same entries.
pub async fn audit(
    State(state): State<AppState>,
    viewer: Viewer,
    params: Params,
) -> Result<Response, AppError> {
    viewer.require(&[Role::Admin])?;
    let format = params.view(&["format", "page", "per_page"])?;
    let page = params.page(100)?;
    let (log, trusted) = state.audit_log().ok_or_else(|| {
        AppError::NoData("no audit log is configured: run `attache keys init`".into())
    })?;
    let (total, records, verified) =
        tokio::task::spawn_blocking(move || -> Result<_, attache_audit::AuditError> {
            let total = log.log().len()?;
            let records = log.log().list(page.offset() as u64, page.per_page as u64)?;
            let verified = log
                .log()
                .verify(&trusted)
                .map(|_| ())
                .map_err(|e| e.to_string());
            Ok((total, records, verified))
        })
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    let t = Table::new(
        "attache-audit",
        json!({"view": "audit", "entries": total, "verified": verified.is_ok()}),
    )
    .with(
        "index",
        Column::Int(records.iter().map(|r| Some(r.index as i64)).collect()),
    )
    .with(
        "time",
        Column::Text(records.iter().map(|r| Some(r.time.to_string())).collect()),
    )
    .with(
        "actor",
        Column::Text(
            records
                .iter()
                .map(|r| Some(r.event.actor.clone()))
                .collect(),
        ),
    )
    .with(
        "action",
        Column::Text(
            records
                .iter()
                .map(|r| Some(r.event.action.to_string()))
                .collect(),
        ),
    )
    .with(
        "object",
        Column::Text(
            records
                .iter()
                .map(|r| Some(r.event.object.clone()))
                .collect(),
        ),
    )
    .with(
        "classification",
        Column::Text(
            records
                .iter()
                .map(|r| Some(r.event.classification.to_string()))
                .collect(),
        ),
    );
    if format != Format::Html {
        return t.respond(format);
    }
    let body = html! {
        h1 { "Audit log" }
        @match &verified {
            Ok(_) => p #audit-status .ok { "Verified: all " (total) " entries match the signed tree heads." },
            Err(e) => p #audit-status .novelty-warning role="alert" { "Verification FAILED: " (e) },
        }
        (scrolling("Audit record", html! { table #audit {
            thead { tr { th { "#" } th { "Time" } th { "Actor" } th { "Action" } th { "Object" } th { "Level" } } }
            tbody { @for r in &records {
                tr { td { (r.index) } td { (r.time.to_string()) } td { (r.event.actor) } td { (r.event.action.to_string()) } td { (r.event.object) } td { (r.event.classification.to_string()) } }
            } }
        } }))
        (view_links("/admin/audit"))
    };
    Ok(Html(layout("Audit log", &viewer, body).into_string()).into_response())
}

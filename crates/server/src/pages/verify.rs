//! `/verify`: anyone uploads a file and its statement manifest and sees whether the file is
//! exactly the one the ministry signed, with a key it publishes (`attache serve
//! --statement-pubkey FILE`). Nothing is stored; the check is `attache_provenance::verify`.

use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::{Markup, html};

use crate::AppState;
use crate::auth::Viewer;
use crate::error::AppError;
use crate::html::page as layout;

/// Largest upload (file and manifest together).
pub const UPLOAD_LIMIT: usize = 20 << 20;

fn form(state: &AppState) -> Markup {
    html! {
        h1 { "Verify a statement" }
        p { "Check that a document is exactly the one the ministry signed. Upload the document and its signed manifest (" code { ".json" } ")." }
        @if state.statement_keys.is_empty() {
            p.error-message { "This server publishes no statement key, so no statement can be verified here." }
        } @else {
            p.small { "Published signing keys: " @for k in state.statement_keys.iter() { code.key-id { (attache_vault::ed25519::key_id(k)) } " " } }
        }
        form #verify method="post" action="/verify" enctype="multipart/form-data" {
            label { "Document " input type="file" name="file" required; } br;
            label { "Manifest " input type="file" name="manifest" required; } br;
            button type="submit" { "Verify" }
        }
    }
}

pub async fn page(State(state): State<AppState>, viewer: Viewer) -> Response {
    Html(layout("Verify a statement", &viewer, form(&state)).into_string()).into_response()
}

pub async fn check(
    State(state): State<AppState>,
    viewer: Viewer,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let mut mp = mp.map_err(|e| AppError::from_body(e.status(), e.body_text()))?;
    let (mut file, mut manifest): (Option<Bytes>, Option<Bytes>) = (None, None);
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|e| AppError::from_body(e.status(), e.body_text()))?
    {
        let name = field.name().unwrap_or("").to_string();
        let bytes = field
            .bytes()
            .await
            .map_err(|e| AppError::from_body(e.status(), e.body_text()))?;
        match name.as_str() {
            "file" => file = Some(bytes),
            "manifest" => manifest = Some(bytes),
            other => {
                return Err(AppError::BadRequest(format!(
                    "unexpected form field {other:?}; expected file and manifest"
                )));
            }
        }
    }
    let (Some(file), Some(manifest)) = (file, manifest) else {
        return Err(AppError::BadRequest(
            "upload both the document (file) and its manifest (manifest)".into(),
        ));
    };
    let verdict = attache_provenance::verify(&file, &manifest, &state.statement_keys);
    let valid = verdict.is_valid();
    let body = html! {
        @if valid {
            p #verdict .verdict-valid role="status" data-valid="true" { "✔ Authentic: " (verdict.to_string()) }
        } @else {
            p #verdict .novelty-warning role="alert" data-valid="false" { "✘ Not verified: " (verdict.to_string()) }
        }
        (form(&state))
    };
    let status = if valid {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((
        status,
        Html(layout("Verify a statement", &viewer, body).into_string()),
    )
        .into_response())
}

//! The JSON API under `/api/v1`, one module per resource; `openapi` describes them all. Errors
//! are JSON (`{"error": {"status", "code", "message"}}`); lists are paginated (`page`,
//! `per_page`, with `pagination` in the answer); data answers can also be CSV or Parquet.

pub mod briefs;
pub mod climate;
pub mod countries;
pub mod forecasts;
pub mod openapi;
pub mod predictors;
pub mod sources;
pub mod users;

use axum::Json;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::download::Table;
use crate::error::{ApiError, AppError};
use crate::params::{Format, Page};

pub type ApiResult = Result<Response, ApiError>;

/// The pagination block of a list answer.
pub fn pagination(page: Page, total: usize) -> Value {
    json!({"page": page.page, "per_page": page.per_page, "total": total, "pages": total.div_ceil(page.per_page)})
}

/// A table in the requested format; JSON gets `pagination` when given.
pub fn respond(table: Table, format: Format, pagination: Option<Value>) -> ApiResult {
    match format {
        Format::Json | Format::Html => {
            let mut j = table.to_json();
            if let Some(p) = pagination {
                j["pagination"] = p;
            }
            Ok(Json(j).into_response())
        }
        f => table.respond(f).map_err(ApiError),
    }
}

pub const DATA_FORMATS: &[Format] = &[Format::Json, Format::Csv, Format::Parquet];

pub fn bad(e: AppError) -> ApiError {
    ApiError(e)
}

//! The JSON API under `/api/v1`, one module per resource. Errors are JSON (`{"error": {"status",
//! "code", "message"}}`); lists are paginated (`page`, `per_page`, with `pagination` in the
//! answer); data answers can also be CSV or Parquet.
//!
//! Each handler carries its `#[utoipa::path(...)]` declaration: the OpenAPI document
//! ([`openapi`]) is derived from those declarations and from the request and answer types
//! (`ToSchema`), the API's routes ([`routes`]) take their path and method from the same
//! declarations, and a handler refuses every query parameter its declaration does not list
//! ([`crate::params::Params::only_documented`]). Documentation and behaviour cannot drift apart.

pub mod alerts;
pub mod briefs;
pub mod climate;
pub mod countries;
pub mod epidemic;
pub mod events;
pub mod forecasts;
pub mod indices;
pub mod negotiation;
pub mod openapi;
pub mod predictors;
pub mod sources;
pub mod speeches;
pub mod trade;
pub mod users;

use axum::Json;
use axum::handler::Handler;
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use serde::Serialize;
use serde_json::Value;
use utoipa::openapi::path::HttpMethod;

use crate::AppState;
use crate::download::Table;
use crate::error::{ApiError, AppError};
use crate::params::{Format, Page, Params};

pub type ApiResult = Result<Response, ApiError>;

/// The API's prefix; operation paths are relative to it (the document's `servers`).
pub const PREFIX: &str = "/api/v1";

/// The pagination block of a list answer.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct Pagination {
    /// This page, from 1.
    pub page: usize,
    /// Items per page.
    pub per_page: usize,
    /// Items in the whole list.
    pub total: usize,
    /// Pages in the whole list.
    pub pages: usize,
}

/// The pagination block of a list answer.
pub fn pagination(page: Page, total: usize) -> Pagination {
    Pagination {
        page: page.page,
        per_page: page.per_page,
        total,
        pages: total.div_ceil(page.per_page),
    }
}

/// A table as JSON: `meta` (provenance: vintage, model, as-of, labels) and one object per row,
/// the rows of the page's table, CSV and Parquet downloads.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TableAnswer {
    /// Provenance and labels of the table.
    #[schema(value_type = Object)]
    pub meta: Value,
    /// One object per row, column name to value.
    #[schema(value_type = Vec<Object>)]
    pub data: Vec<Value>,
    /// Present on paginated lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
}

/// One object answer: `{"data": {...}}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ItemAnswer {
    /// The resource.
    #[schema(value_type = Object)]
    pub data: Value,
}

impl ItemAnswer {
    pub fn ok(data: Value) -> ApiResult {
        Ok(Json(ItemAnswer { data }).into_response())
    }
}

/// `format=`: the answer's format on data routes.
#[derive(Debug, Clone, Copy, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FormatArg {
    /// Answer format: json (the default), csv or parquet.
    #[param(value_type = Option<String>, pattern = "^(json|csv|parquet)$")]
    pub format: Format,
}

impl FormatArg {
    pub fn parse(params: &Params) -> Result<FormatArg, AppError> {
        Ok(FormatArg {
            format: params.format(Format::Json, DATA_FORMATS)?,
        })
    }
}

/// A table in the requested format; JSON gets `pagination` when given.
pub fn respond(table: Table, format: Format, pagination: Option<Pagination>) -> ApiResult {
    match format {
        Format::Json | Format::Html => {
            let mut j = table.to_json();
            let data = match j["data"].take() {
                Value::Array(rows) => rows,
                _ => Vec::new(),
            };
            Ok(Json(TableAnswer {
                meta: j["meta"].take(),
                data,
                pagination,
            })
            .into_response())
        }
        f => table.respond(f).map_err(ApiError),
    }
}

pub const DATA_FORMATS: &[Format] = &[Format::Json, Format::Csv, Format::Parquet];

/// A list answer. JSON, and any format asked with `page` or `per_page`, is one page with
/// `X-Total-Count` and RFC 8288 `Link` headers (first, prev, next, last); a CSV or Parquet
/// download asked without them holds every row (a download is the whole table, never silently
/// cut at a page), with `X-Total-Count`.
pub fn respond_list(
    table: Table,
    format: Format,
    params: &Params,
    default_per_page: usize,
    uri: &Uri,
) -> ApiResult {
    let total = table.rows();
    let explicit = params.get("page").is_some() || params.get("per_page").is_some();
    let page = params.page(default_per_page)?;
    let whole = !explicit && matches!(format, Format::Csv | Format::Parquet);
    let mut r = if whole {
        respond(table, format, None)?
    } else {
        respond(table.page(page), format, Some(pagination(page, total)))?
    };
    let h = r.headers_mut();
    h.insert("x-total-count", HeaderValue::from(total));
    if !whole && let Ok(v) = HeaderValue::from_str(&link_header(uri.path(), params, page, total)) {
        h.insert(header::LINK, v);
    }
    Ok(r)
}

/// `Link` to the first, previous, next and last pages, keeping the other parameters.
fn link_header(path: &str, params: &Params, page: Page, total: usize) -> String {
    let mut keep: Vec<(&String, &String)> = params
        .0
        .iter()
        .filter(|(k, _)| *k != "page" && *k != "per_page")
        .collect();
    keep.sort();
    let base: String = keep
        .iter()
        .map(|(k, v)| format!("{}={}&", pct(k), pct(v)))
        .collect();
    let last = total.div_ceil(page.per_page).max(1);
    let url = |n: usize| format!("<{path}?{base}page={n}&per_page={}>", page.per_page);
    let mut links = vec![format!("{}; rel=\"first\"", url(1))];
    if page.page > 1 {
        links.push(format!("{}; rel=\"prev\"", url((page.page - 1).min(last))));
    }
    if page.page < last {
        links.push(format!("{}; rel=\"next\"", url(page.page + 1)));
    }
    links.push(format!("{}; rel=\"last\"", url(last)));
    links.join(", ")
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn pct(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

pub fn bad(e: AppError) -> ApiError {
    ApiError(e)
}

/// The route of the operation `P`: its path (under [`PREFIX`]) and methods come from the
/// handler's `#[utoipa::path]` declaration.
fn op<P: utoipa::Path, H, T>(handler: H) -> (String, MethodRouter<AppState>)
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = P::methods()
        .into_iter()
        .map(|m| match m {
            HttpMethod::Get => MethodFilter::GET,
            HttpMethod::Post => MethodFilter::POST,
            HttpMethod::Put => MethodFilter::PUT,
            HttpMethod::Delete => MethodFilter::DELETE,
            HttpMethod::Patch => MethodFilter::PATCH,
            HttpMethod::Head => MethodFilter::HEAD,
            HttpMethod::Options => MethodFilter::OPTIONS,
            HttpMethod::Trace => MethodFilter::TRACE,
        })
        .reduce(MethodFilter::or)
        .expect("an operation has a method");
    (format!("{PREFIX}{}", P::path()), on(filter, handler))
}

/// Every API route, as the handlers declare them (the route table in `lib.rs` adds them).
pub fn routes() -> Vec<(String, MethodRouter<AppState>)> {
    vec![
        op::<openapi::__path_document, _, _>(openapi::document),
        op::<forecasts::__path_list, _, _>(forecasts::list),
        op::<forecasts::__path_runs, _, _>(forecasts::runs),
        op::<forecasts::__path_watchlist, _, _>(forecasts::watchlist),
        op::<countries::__path_list, _, _>(countries::list),
        op::<countries::__path_one, _, _>(countries::one),
        op::<sources::__path_list, _, _>(sources::list),
        op::<predictors::__path_list, _, _>(predictors::list),
        op::<climate::__path_scenarios, _, _>(climate::scenarios),
        op::<climate::__path_warming, _, _>(climate::warming),
        op::<climate::__path_countries, _, _>(climate::countries),
        op::<climate::__path_country, _, _>(climate::country),
        op::<climate::__path_blocs, _, _>(climate::blocs),
        op::<epidemic::__path_scenario, _, _>(epidemic::scenario),
        op::<trade::__path_simulate, _, _>(trade::simulate),
        op::<trade::__path_gaps, _, _>(trade::gaps),
        op::<trade::__path_country, _, _>(trade::country),
        op::<indices::__path_sdg, _, _>(indices::sdg),
        op::<indices::__path_risk, _, _>(indices::risk),
        op::<negotiation::__path_positions, _, _>(negotiation::positions),
        op::<negotiation::__path_proposal, _, _>(negotiation::proposal),
        op::<negotiation::__path_power, _, _>(negotiation::power),
        op::<negotiation::__path_agreement, _, _>(negotiation::agreement),
        op::<alerts::__path_list, _, _>(alerts::list),
        op::<events::__path_list, _, _>(events::list),
        op::<speeches::__path_list, _, _>(speeches::list),
        op::<briefs::__path_list, _, _>(briefs::list),
        op::<briefs::__path_create, _, _>(briefs::create),
        op::<briefs::__path_one, _, _>(briefs::one),
        op::<briefs::__path_submit, _, _>(briefs::submit),
        op::<briefs::__path_decide, _, _>(briefs::decide),
        op::<users::__path_list, _, _>(users::list),
        op::<users::__path_me, _, _>(users::me),
    ]
}

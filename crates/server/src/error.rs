//! Errors: [`ServerError`] for starting the server, [`AppError`] for a request. A request error
//! says who is to blame by its status (4xx: the request; 503: the operator has not synced;
//! 500: us) and has one stable JSON shape on the API:
//!
//! ```json
//! {"error": {"status": 404, "code": "not_found", "message": "unknown country code XYZ"}}
//! ```
//!
//! Pages get the same message as HTML. Internal errors are logged to stderr and answered with
//! a generic message: no internals leak to the client.

use std::net::SocketAddr;

use axum::Json;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("opening the data dir: {0}")]
    Store(#[source] attache_store::StoreError),
    #[error("opening the accounts database: {0}")]
    Accounts(#[source] attache_accounts::AccountsError),
    #[error("opening the decision briefs: {0}")]
    Briefs(#[source] attache_briefs::BriefsError),
    #[error("reading the statement key {path}: {message}")]
    StatementKey {
        path: std::path::PathBuf,
        message: String,
    },
    #[error("listening on {addr}: {error}")]
    Bind {
        addr: SocketAddr,
        error: std::io::Error,
    },
    #[error("the system's random number generator failed: {0}")]
    Random(String),
}

/// What went wrong with one request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A malformed parameter or body (400).
    #[error("{0}")]
    BadRequest(String),
    /// A request body over the limit (413).
    #[error("the request body is too large")]
    TooLarge,
    /// Not signed in where that is required (401).
    #[error("sign in required")]
    Unauthorized,
    /// Signed in, but not allowed (403).
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    /// The resource is not in a state that allows this (409).
    #[error("{0}")]
    Conflict(String),
    /// Well-formed but invalid content (422), e.g. an empty rationale.
    #[error("{0}")]
    Unprocessable(String),
    /// A form failed its CSRF check (403).
    #[error("the form has expired or did not come from this site; reload the page and try again")]
    Csrf,
    /// Too many login attempts (429).
    #[error("too many attempts; try again in {0} s")]
    RateLimited(u64),
    /// The computation pool and its queue are full (503 with `Retry-After`): try again later.
    #[error("the server is busy with other computations; try again in {0} s")]
    Busy(u64),
    /// Nothing synced or forecast yet (503): the operator's to fix.
    #[error("{0}")]
    NoData(String),
    /// Our bug or the environment's (500); the message is logged, not sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn internal(e: impl std::fmt::Display) -> AppError {
        AppError::Internal(e.to_string())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::NoData(_) | AppError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest(_) => "bad_request",
            AppError::TooLarge => "too_large",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::Conflict(_) => "conflict",
            AppError::Unprocessable(_) => "unprocessable",
            AppError::Csrf => "csrf",
            AppError::RateLimited(_) => "rate_limited",
            AppError::Busy(_) => "busy",
            AppError::NoData(_) => "no_data",
            AppError::Internal(_) => "internal",
        }
    }

    /// Seconds to wait before asking again (sent as `Retry-After` on every 429 and busy 503).
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            AppError::RateLimited(s) | AppError::Busy(s) => Some(*s),
            _ => None,
        }
    }

    /// The headers both forms of this error carry.
    fn add_headers(&self, r: &mut Response) {
        if let Some(s) = self.retry_after() {
            r.headers_mut().insert(header::RETRY_AFTER, s.into());
        }
    }

    /// The message a client may see.
    pub fn public_message(&self) -> String {
        match self {
            AppError::Internal(m) => {
                eprintln!("attache serve: internal error: {m}");
                "internal error; the server log has the details".into()
            }
            e => e.to_string(),
        }
    }

    /// The JSON form (API routes).
    pub fn into_json(self) -> Response {
        let status = self.status();
        let body = ErrorBody {
            error: ErrorDetail {
                status: status.as_u16(),
                code: self.code().to_string(),
                message: self.public_message(),
            },
        };
        let mut r = (status, Json(body)).into_response();
        self.add_headers(&mut r);
        if status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        r
    }

    /// The HTML form (pages).
    pub fn into_html(self) -> Response {
        let status = self.status();
        let title = match status {
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::UNAUTHORIZED => "Sign in required",
            StatusCode::FORBIDDEN => "Not allowed",
            StatusCode::SERVICE_UNAVAILABLE if matches!(self, AppError::Busy(_)) => "Busy",
            StatusCode::TOO_MANY_REQUESTS => "Too many attempts",
            StatusCode::SERVICE_UNAVAILABLE => "No data yet",
            s if s.is_client_error() => "Bad request",
            _ => "Something went wrong",
        };
        let login = status == StatusCode::UNAUTHORIZED;
        let msg = self.public_message();
        let body = crate::html::bare(
            title,
            maud::html! {
                h1 { (title) }
                p.error-message { (msg) }
                @if login { p { a href="/login" { "Sign in" } } }
                p { a href="/" { "Back to the risk map" } }
            },
        );
        let mut r = (status, axum::response::Html(body.into_string())).into_response();
        self.add_headers(&mut r);
        r
    }
}

impl AppError {
    /// A form or JSON body that could not be read: too large (413) or malformed (400).
    pub fn from_body(status: StatusCode, text: String) -> AppError {
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge
        } else {
            AppError::BadRequest(format!("malformed body: {text}"))
        }
    }
}

/// Page handlers return HTML errors.
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.into_html()
    }
}

/// The JSON shape of every API error.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong: the HTTP status, a stable code and a message for a person.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// The HTTP status again.
    pub status: u16,
    /// A stable, machine-readable code (e.g. `not_found`, `bad_request`, `csrf`).
    pub code: String,
    /// What happened, for a person; never internals.
    pub message: String,
}

/// An error on an API route: always JSON.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.into_json()
    }
}

/// Unknown routes: JSON under `/api/`, HTML elsewhere.
pub async fn fallback(uri: Uri) -> Response {
    let e = AppError::NotFound(format!("no such page: {}", uri.path()));
    if uri.path().starts_with("/api/") {
        e.into_json()
    } else {
        e.into_html()
    }
}

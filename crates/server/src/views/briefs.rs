//! What the briefs page and API share: running a briefs operation off the async threads, the
//! HTTP meaning of each briefs error, and the id in a path.

use attache_briefs::BriefsError;

use crate::AppState;
use crate::error::AppError;

/// A briefs error as an HTTP error (the crate documents the mapping).
pub fn app_error(e: BriefsError) -> AppError {
    match e {
        BriefsError::NotFound { .. } | BriefsError::DocumentNotFound { .. } => {
            AppError::NotFound(e.to_string())
        }
        BriefsError::Forbidden { .. } | BriefsError::AboveClearance { .. } => {
            AppError::Forbidden(e.to_string())
        }
        BriefsError::InvalidTransition { .. }
        | BriefsError::Immutable { .. }
        | BriefsError::Conflict { .. } => AppError::Conflict(e.to_string()),
        BriefsError::EmptyRationale
        | BriefsError::BadOption { .. }
        | BriefsError::Invalid { .. }
        | BriefsError::Prediction(_) => AppError::Unprocessable(e.to_string()),
        e => AppError::internal(e),
    }
}

/// Runs a briefs operation off the async threads (pages and API alike).
pub async fn blocking<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&attache_briefs::Briefs) -> Result<T, BriefsError> + Send + 'static,
) -> Result<T, AppError> {
    let briefs = state.briefs()?.clone();
    tokio::task::spawn_blocking(move || f(&briefs))
        .await
        .map_err(AppError::internal)?
        .map_err(app_error)
}

/// A brief id from the path; anything else names no brief (404).
pub fn parse_id(id: &str) -> Result<i64, AppError> {
    id.parse()
        .map_err(|_| AppError::NotFound(format!("no brief {id:?}")))
}

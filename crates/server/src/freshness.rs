//! The age of what the deployment serves (see `attache_store::freshness`): judged on each
//! request from the cached lockfile and latest run, so a sync or a new forecast run shows at once.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use attache_core::Date;
use attache_store::freshness::{Freshness, assess};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;

/// Today (UTC) by the system clock.
pub fn today() -> Date {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Date::from_days_since_epoch((secs / 86_400) as i64)
}

/// The freshness of the current vintage and latest forecast run; `None` before any sync.
pub fn of(state: &AppState) -> Option<Arc<Freshness>> {
    let lock = state.lockfile().ok()?;
    let as_of = state.run(None).ok().map(|r| r.meta.as_of.clone());
    let as_of = as_of.and_then(|m| attache_core::MonthId::parse_ym(&m).ok());
    Some(Arc::new(assess(&lock, as_of, today())))
}

/// Judges the freshness once per request (not for static files) and hands it on: the
/// [`crate::auth::Viewer`] extractor takes it from the request's extensions for the page
/// layout, and every API answer states it in headers: `X-Attache-Data-Synced` (the vintage's
/// sync day), `X-Attache-Forecast-As-Of` (the latest run's last month of data),
/// `X-Attache-Stale` (`yes`/`no`) and `X-Attache-Freshness` (the sentence, or the warning when
/// stale).
pub async fn headers(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if path.starts_with("/static/") {
        return next.run(req).await;
    }
    let api = path.starts_with("/api/");
    let fresh = of(&state);
    if let Some(f) = &fresh {
        req.extensions_mut().insert(f.clone());
    }
    let mut res = next.run(req).await;
    let (true, Some(f)) = (api, fresh) else {
        return res;
    };
    let h = res.headers_mut();
    let mut put = |name: &'static str, value: String| {
        if let Some(v) = crate::download::header_text(&value) {
            h.insert(name, v);
        }
    };
    if let Some(d) = f.synced_on {
        put("x-attache-data-synced", d.to_string());
    }
    if let Some((m, _)) = f.forecast {
        put("x-attache-forecast-as-of", m.to_string());
    }
    put(
        "x-attache-stale",
        if f.is_stale() { "yes" } else { "no" }.into(),
    );
    put(
        "x-attache-freshness",
        f.warning().unwrap_or_else(|| f.summary()),
    );
    res
}

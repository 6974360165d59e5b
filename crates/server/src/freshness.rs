//! The age of what the deployment serves (see `attache_store::freshness`): judged on each
//! request from the cached lockfile and latest run, so a sync or a new forecast run shows at once.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use attache_core::Date;
use attache_store::freshness::{Freshness, assess};

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

//! A test-only pause at the instants a crash matters most, so that kill tests can land a SIGKILL
//! inside them: `after-append` (the entry is written but its transaction has not committed) and
//! `before-publish` (the transaction committed, the external head not yet written).
//!
//! In debug builds only, `ATTACHE_TEST_AUDIT_PAUSE_MS=<milliseconds>` makes the process sleep
//! that long at each of these points (`crates/cli/tests/kill.rs` uses it). Release builds
//! compile the pause away and never read the variable.

/// The environment variable that sets the pause (debug builds only).
pub const PAUSE_VAR: &str = "ATTACHE_TEST_AUDIT_PAUSE_MS";

/// Sleeps at the named point if the test variable asks for it (debug builds only).
#[cfg(debug_assertions)]
pub(crate) fn pause(_point: &'static str) {
    use std::sync::OnceLock;
    static MS: OnceLock<u64> = OnceLock::new();
    let ms = *MS.get_or_init(|| {
        std::env::var(PAUSE_VAR)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    });
    if ms > 0 {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// Release builds: nothing.
#[cfg(not(debug_assertions))]
#[inline(always)]
pub(crate) fn pause(_point: &'static str) {}

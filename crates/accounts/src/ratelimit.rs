//! Login rate limiting, persisted in `acct_login_failures` so a restart does not reset it.
//!
//! Two keys are counted for every attempt: the client (an IP address or whatever the server
//! passes) and the user name. When either has [`MAX_FAILURES`] failures within the last
//! [`WINDOW_SECS`], logins for it are refused without checking the password until the oldest
//! of those failures leaves the window. Names that do not exist are counted like real ones, so
//! the lockout does not reveal which names exist.
//!
//! An attempt is recorded as a failure *before* its password is checked (and removed if it
//! succeeds), so parallel attempts cannot slip past the limit while Argon2 runs, and an attempt
//! cut short by a crash counts against the attacker. A success clears the user's failures but not
//! the client's: logging into one's own account must not reset a guessing client's count.
//! A refused attempt is not recorded, so hammering a locked key does not extend the lock.
//!
//! The per-user limit lets anyone lock a user out for up to 15 minutes by failing on purpose;
//! that is the price of stopping slow distributed guessing of one account.

use rusqlite::{OptionalExtension, Transaction};

use crate::AccountsError;
use crate::db::DbResult;

/// Failures of one key within [`WINDOW_SECS`] that lock it.
pub const MAX_FAILURES: i64 = 5;
/// The sliding window over which failures are counted: 15 minutes.
pub const WINDOW_SECS: i64 = 15 * 60;

/// Longest key text stored (longer client strings or names are cut; they cannot be user names).
const MAX_KEY_CHARS: usize = 128;

pub(crate) fn client_key(client: &str) -> String {
    format!(
        "client:{}",
        client.chars().take(MAX_KEY_CHARS).collect::<String>()
    )
}

pub(crate) fn user_key(name: &str) -> String {
    format!(
        "user:{}",
        name.chars().take(MAX_KEY_CHARS).collect::<String>()
    )
}

/// Forgets failures that have left the window.
pub(crate) fn forget_old(
    tx: &Transaction<'_>,
    now: i64,
    path: &std::path::Path,
) -> Result<(), AccountsError> {
    tx.execute(
        "DELETE FROM acct_login_failures WHERE at <= ?1",
        [now - WINDOW_SECS],
    )
    .db(path, "forgetting old login failures")
    .map(|_| ())
}

/// Seconds until `key` may try again, or `None` if it is not locked.
pub(crate) fn locked_for(
    tx: &Transaction<'_>,
    key: &str,
    now: i64,
    path: &std::path::Path,
) -> Result<Option<u64>, AccountsError> {
    // The MAX_FAILURES-th most recent failure in the window: once it leaves, fewer remain.
    let nth: Option<i64> = tx
        .query_row(
            "SELECT at FROM acct_login_failures WHERE key = ?1 AND at > ?2 ORDER BY at DESC LIMIT 1 OFFSET ?3",
            rusqlite::params![key, now - WINDOW_SECS, MAX_FAILURES - 1],
            |r| r.get(0),
        )
        .optional()
        .db(path, "counting login failures")?;
    Ok(nth.map(|at| (at + WINDOW_SECS - now).max(1) as u64))
}

/// Records a failure of `key` now; returns its row id (removed again if the attempt succeeds).
pub(crate) fn record(
    tx: &Transaction<'_>,
    key: &str,
    now: i64,
    path: &std::path::Path,
) -> Result<i64, AccountsError> {
    tx.execute(
        "INSERT INTO acct_login_failures (key, at) VALUES (?1, ?2)",
        rusqlite::params![key, now],
    )
    .db(path, "recording a login attempt")?;
    Ok(tx.last_insert_rowid())
}

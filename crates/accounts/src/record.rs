//! Where account changes go on the record: a [`ChangeRecord`], normally the deployment's signed
//! audit log (the binary adapts `attache-audit` to this trait; this crate does not depend on it).
//!
//! Every change of an account (add, password, role, disable, enable, token issued, tokens
//! revoked) and every session opened or ended ([`SIGNED_IN`], [`SIGNED_OUT`]) runs in one
//! immediate SQLite transaction, and the recorder writes its entry inside
//! that same transaction ([`ChangeRecord::record_in`]) before it commits: the change and its
//! entry commit together or neither does, so a crash at any instant never leaves a changed
//! account without its record, or a record of a change that did not happen. After the commit
//! [`ChangeRecord::committed`] runs (the audit log publishes its external head there).
//!
//! Entries carry the user name, what changed and non-secret details (role, clearance, a count);
//! never a password, hash or token.

/// The change of a login: a session opened (detail `client`).
pub const SIGNED_IN: &str = "signed in";
/// The change of a logout: a session ended.
pub const SIGNED_OUT: &str = "signed out";

/// The transaction a recorder writes in (re-exported so implementors need not name rusqlite).
pub use rusqlite::Transaction;

/// An error of the recorder, boxed (its own type lives in the crate that implements it).
pub type RecordFailure = Box<dyn std::error::Error + Send + Sync>;

/// One account change, as the record sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountChange {
    /// The account changed.
    pub user: String,
    /// What changed, in words: `added`, `password changed`, `role changed`, `disabled`,
    /// `enabled`, `token issued`, `tokens revoked`.
    pub change: &'static str,
    /// Non-secret details (`role`, `clearance`, `count`).
    pub detail: Vec<(&'static str, String)>,
}

impl AccountChange {
    /// A change without details.
    pub fn new(user: &str, change: &'static str) -> Self {
        AccountChange {
            user: user.to_string(),
            change,
            detail: Vec::new(),
        }
    }
}

/// Receives account changes inside their transaction (see the module documentation).
pub trait ChangeRecord: Send + Sync {
    /// Writes the change's entry inside `tx`, the change's own transaction on the accounts
    /// database. An error rolls the change back.
    fn record_in(&self, tx: &Transaction<'_>, change: &AccountChange) -> Result<(), RecordFailure>;

    /// Called after the transaction that used [`ChangeRecord::record_in`] committed.
    fn committed(&self) -> Result<(), RecordFailure> {
        Ok(())
    }
}

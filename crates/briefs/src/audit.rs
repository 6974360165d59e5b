//! Where briefs report what happens to them: an [`AuditSink`], normally the deployment's
//! tamper-evident log ([`SignedAuditLog`], the `attache-audit` Merkle log with its Ed25519
//! signer).
//!
//! A change's event is appended inside the change's own SQLite transaction
//! ([`AuditSink::append_in`]): the brief and its entry commit together or not at all, so a crash
//! never leaves a change without its record or a record without its change.
//!
//! Events carry identifiers only (`brief:42`, `brief:42/document:7`), the classification, the
//! actor, and details such as the operation, states and option index; never a title, question,
//! option text, rationale or document content.
//!
//! | action | when |
//! |---|---|
//! | `brief.change` | create, edit, submit, send back, archive, amend, evidence, document, prediction (`op` says which) |
//! | `decision` | a diplomat decides (`decision` = `choose` with `option`, or `reject-all`) |
//! | `read` | a brief, listing or document of level restricted or above is read (`op` = `get`, `list`, `document`) |
//! | `read.denied` | the first read in a minute, per actor, of a brief or document the principal may not see or that does not exist (`found: no`); `unlogged_before` counts the ones not logged in the previous window ([`crate::denied`]) |
//! | `export` | any export (all levels) |
//! | `key.change` | ciphertexts rewrapped after a key rotation |

use std::sync::Arc;

use attache_accounts::Clearance;
use attache_audit::{Action, AuditEvent, AuditLog, Classification, Signer};
use rusqlite::Transaction;

use crate::error::AuditFailure;

/// Receives the audit events of the briefs store. Appending must be durable before it returns;
/// an error makes the operation fail (nothing is read or changed without a record).
pub trait AuditSink: Send + Sync {
    /// Records an event on its own (reads, denied reads, exports, rewraps).
    fn append(&self, event: &AuditEvent) -> Result<(), AuditFailure>;

    /// Records the event of a change inside `tx`, the change's own transaction on the briefs
    /// database, so that the two commit together or not at all. The default, for sinks that
    /// live outside the database (tests), appends on its own; [`SignedAuditLog`] joins `tx`.
    fn append_in(&self, tx: &Transaction<'_>, event: &AuditEvent) -> Result<(), AuditFailure> {
        let _ = tx;
        self.append(event)
    }

    /// Called after a transaction that used [`AuditSink::append_in`] committed (the signed log
    /// publishes its external head here).
    fn committed(&self) -> Result<(), AuditFailure> {
        Ok(())
    }
}

/// The deployment's audit log with the key that signs its tree heads.
#[derive(Clone)]
pub struct SignedAuditLog {
    log: AuditLog,
    signer: Arc<Signer>,
}

impl std::fmt::Debug for SignedAuditLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedAuditLog")
            .field("log", &self.log)
            .field("signer", &self.signer)
            .finish()
    }
}

impl SignedAuditLog {
    pub fn new(log: AuditLog, signer: Signer) -> Self {
        SignedAuditLog {
            log,
            signer: Arc::new(signer),
        }
    }

    pub fn log(&self) -> &AuditLog {
        &self.log
    }
}

impl AuditSink for SignedAuditLog {
    fn append(&self, event: &AuditEvent) -> Result<(), AuditFailure> {
        self.log
            .append(&self.signer, event)
            .map(|_| ())
            .map_err(|e| Box::new(e) as AuditFailure)
    }

    fn append_in(&self, tx: &Transaction<'_>, event: &AuditEvent) -> Result<(), AuditFailure> {
        self.log
            .append_in(tx, &self.signer, event)
            .map(|_| ())
            .map_err(|e| Box::new(e) as AuditFailure)
    }

    fn committed(&self) -> Result<(), AuditFailure> {
        self.log
            .publish_head()
            .map_err(|e| Box::new(e) as AuditFailure)
    }
}

/// The audit log's name for a level.
pub(crate) fn classification(level: Clearance) -> Classification {
    match level {
        Clearance::Public => Classification::Public,
        Clearance::Restricted => Classification::Restricted,
        Clearance::Confidential => Classification::Confidential,
        Clearance::Secret => Classification::Secret,
    }
}

/// The object name of a brief.
pub(crate) fn brief_object(id: i64) -> String {
    format!("brief:{id}")
}

/// The object name of a document of a brief.
pub(crate) fn document_object(brief: i64, document: i64) -> String {
    format!("brief:{brief}/document:{document}")
}

/// The server's sessions on the record: a login's session and its `login` entry (a logout's
/// and its `logout` entry) commit in one transaction (`attache_accounts::record`). Other
/// account changes the server might make are recorded as `user.change` by `server`.
impl attache_accounts::ChangeRecord for SignedAuditLog {
    fn record_in(
        &self,
        tx: &Transaction<'_>,
        c: &attache_accounts::AccountChange,
    ) -> Result<(), attache_accounts::RecordFailure> {
        let user = attache_audit::user_actor(&c.user);
        let event = match c.change {
            attache_accounts::SIGNED_IN => {
                AuditEvent::new(&user, Action::LOGIN).detail("result", "ok")
            }
            attache_accounts::SIGNED_OUT => {
                AuditEvent::new(&user, Action::LOGOUT).detail("result", "ok")
            }
            other => AuditEvent::new("server", Action::USER_CHANGE)
                .on(&user, Classification::Public)
                .detail("change", other),
        };
        let event = c
            .detail
            .iter()
            .fold(event, |e, (k, v)| e.detail(k, v.clone()));
        self.log.append_in(tx, &self.signer, &event)?;
        Ok(())
    }

    fn committed(&self) -> Result<(), attache_accounts::RecordFailure> {
        Ok(self.log.publish_head()?)
    }
}

//! `attache-briefs`: decision briefs where a person decides.
//!
//! A brief asks a question, cites evidence pinned to a data vintage and model version, and sets
//! out two or more options, each with outcomes predicted through the
//! [`attache_core::outcome::OutcomePredictor`] seam (machine-written, labelled as such, with
//! uncertainty and assumptions). It moves draft -> review -> decided -> archived
//! ([`State::can_become`]); only a diplomat decides (choose an option or reject all, with a written
//! rationale); a decided brief never changes again, and amendments are new briefs linked to it.
//!
//! # Security
//!
//! - **Every read filters by role and clearance** ([`access`]): a brief (or document) above the
//!   reader is *not found*, never *forbidden*, so its id and title do not leak; the public role
//!   (the anonymous visitor) reads public briefs only. Listings filter in SQL before paging.
//! - **Classified content is sealed at rest.** Title, question, options, predictions, evidence,
//!   rationale, document names and contents of restricted-and-above material are stored only as
//!   XChaCha20-Poly1305 ciphertexts under the vault keyring, bound to the brief id and field
//!   ([`codec`]). Public briefs are stored in clear. Metadata stays in clear: ids, classification,
//!   state, authors, times, the amended brief's id, and the chosen option's *index*.
//! - **Everything is audited** ([`audit`]): changes, decisions, reads of classified material,
//!   denied reads of it, and every export. Audit events carry ids, never content.
//!   Reads append their event *first*: if the log refuses (say, it was tampered with), nothing
//!   is read. Every change (create, edit, submit, return, decide, archive, amend, evidence,
//!   documents, predictions) appends its event inside its own SQLite transaction
//!   ([`AuditSink::append_in`]), so the change and its entry commit together or neither does,
//!   whatever instant a crash strikes; [`audit_check`] finds briefs whose state lacks its entries.
//!
//! # API (synchronous; [`Briefs`] is `Clone + Send + Sync`; call from `spawn_blocking`)
//!
//! ```text
//! Briefs::open(db_path: &Path, keyring: Keyring, audit: Arc<dyn AuditSink>) -> Result<Briefs>
//! create(&Principal, &NewBrief) -> Result<i64>                                analyst, diplomat
//! get(&Principal, id) -> Result<Brief>                                        any reader
//! list(&Principal, &ListFilter) -> Result<Page>                               any reader
//! edit(&Principal, id, &BriefEdit) -> Result<()>                              drafts only
//! submit_for_review / return_to_draft(&Principal, id) -> Result<()>
//! decide(&Principal, id, Decision, rationale: &str) -> Result<()>             diplomat, in review
//! submit_and_decide(&Principal, id, Decision, rationale) -> Result<()>       diplomat, draft or review
//! archive(&Principal, id) -> Result<()>                                       diplomat, admin
//! amend(&Principal, id, &NewBrief) -> Result<i64>                             decided/archived only
//! add_evidence(&Principal, id, &NewEvidence) -> Result<i64>                   drafts only
//! attach_document(&Principal, id, &NewDocument) -> Result<i64>                drafts only
//! document(&Principal, brief, doc) -> Result<Document>
//! add_prediction(&Principal, id, option, PredictedOutcome) -> Result<()>      drafts only
//! predict_option(&Principal, id, option, &dyn OutcomePredictor, &OutcomeQuery) -> Result<PredictedOutcome>
//! export_html(&Principal, id) -> Result<String>                               any reader
//! rewrap_all(&Principal) -> Result<RewrapReport>                              admin
//! key_usage() -> Result<Vec<(KeyId, u64)>>
//! ```
//!
//! Errors ([`BriefsError`]) map to HTTP: `NotFound`/`DocumentNotFound` 404, `Forbidden` and
//! `AboveClearance` 403, `InvalidTransition`/`Immutable`/`Conflict` 409, `EmptyRationale`,
//! `BadOption`, `Invalid`, `Prediction` 422, the rest 500.
//!
//! # Key rotation
//!
//! Rotate the vault keyring (the new key active, the old one decrypt-only), hand it to the store
//! ([`Briefs::set_keyring`], or reopen), run [`Briefs::rewrap_all`] (`attache brief rewrap`),
//! check [`Briefs::key_usage`] shows only the active key, then retire the old key.
//!
//! Modules: [`model`] (the types), [`access`] (who may do what), [`validate`] (input rules),
//! [`codec`] (stored encoding and sealing), [`audit`] (the sink), [`audit_check`] (briefs
//! against their audit entries), [`export`] (printable HTML),
//! `db` (tables), `read` and
//! `write` (the operations), `keys` (rewrap).

pub mod access;
pub mod audit;
pub mod audit_check;
pub mod codec;
mod db;
pub mod denied;
pub mod error;
pub mod export;
mod keys;
pub mod model;
mod read;
pub mod validate;
mod write;

use std::path::Path;
use std::sync::{Arc, RwLock, RwLockReadGuard};

use attache_accounts::Principal;
use attache_audit::AuditEvent;
use attache_vault::Keyring;
use jiff::Timestamp;

pub use audit::{AuditSink, SignedAuditLog};
pub use db::{BUSY_TIMEOUT, SCHEMA_VERSION};
pub use error::{AuditFailure, BriefsError};
pub use model::{
    Author, Brief, BriefEdit, BriefOption, BriefSummary, Decision, DecisionRecord, Document,
    DocumentInfo, Evidence, EvidenceKind, ListFilter, MAX_PAGE, NewBrief, NewDocument, NewEvidence,
    NewOption, Page, RewrapReport, State, Text, Transition,
};

/// The source of "now".
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// The briefs of one deployment: a handle on the SQLite file, the vault keyring and the audit
/// sink. Cheap to clone; clones share the connection, the keyring and the sink.
#[derive(Clone)]
pub struct Briefs {
    db: Arc<db::Db>,
    ring: Arc<RwLock<Keyring>>,
    audit: Arc<dyn AuditSink>,
    clock: Clock,
    /// Denied reads by actor (one audit entry per actor and window).
    denied: Arc<std::sync::Mutex<denied::DeniedReads>>,
}

impl std::fmt::Debug for Briefs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Briefs")
            .field("path", &self.db.path)
            .finish_non_exhaustive()
    }
}

impl Briefs {
    /// Opens (creating if missing, owner-only permissions) the database at `db_path` (normally
    /// `<data-dir>/attache.db`) and brings its `brief_*` tables to [`SCHEMA_VERSION`].
    pub fn open(
        db_path: &Path,
        keyring: Keyring,
        audit: Arc<dyn AuditSink>,
    ) -> Result<Self, BriefsError> {
        Ok(Briefs {
            db: Arc::new(db::Db::open(db_path)?),
            ring: Arc::new(RwLock::new(keyring)),
            audit,
            clock: Arc::new(Timestamp::now),
            denied: Arc::default(),
        })
    }

    /// The same store with another clock (tests; servers that want one clock everywhere).
    pub fn with_clock(mut self, clock: impl Fn() -> Timestamp + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Replaces the keyring of this handle and all its clones (after a rotation).
    pub fn set_keyring(&self, keyring: Keyring) {
        *self.ring.write().unwrap_or_else(|e| e.into_inner()) = keyring;
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.db.path
    }

    fn ring(&self) -> RwLockReadGuard<'_, Keyring> {
        self.ring.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Now, in Unix seconds.
    fn now(&self) -> i64 {
        (self.clock)().as_second()
    }

    /// Appends an event; `committed` says whether the change it records is already stored.
    fn audit(
        &self,
        event: &AuditEvent,
        op: &'static str,
        committed: bool,
    ) -> Result<(), BriefsError> {
        self.audit
            .append(event)
            .map_err(|source| BriefsError::Audit {
                op,
                committed,
                source,
            })
    }

    /// Appends the event of a change inside the change's transaction.
    fn audit_in(
        &self,
        tx: &rusqlite::Transaction<'_>,
        event: &AuditEvent,
        op: &'static str,
    ) -> Result<(), BriefsError> {
        self.audit
            .append_in(tx, event)
            .map_err(|source| BriefsError::Audit {
                op,
                committed: false,
                source,
            })
    }

    /// After a change and its entry committed: lets the sink publish (the external head). A
    /// failure here is reported with `committed: true`: the change and its entry are stored,
    /// the external head lags by one until the next append.
    fn audit_committed(&self, op: &'static str) -> Result<(), BriefsError> {
        self.audit.committed().map_err(|source| BriefsError::Audit {
            op,
            committed: true,
            source,
        })
    }
}

/// A principal's name as the audit log records it.
fn actor(p: &Principal) -> &str {
    if p.name.is_empty() {
        "anonymous"
    } else {
        &p.name
    }
}

/// A Unix time in seconds as a [`Timestamp`] (clamped to jiff's range).
fn timestamp(secs: i64) -> Timestamp {
    Timestamp::from_second(secs.clamp(Timestamp::MIN.as_second(), Timestamp::MAX.as_second()))
        .unwrap_or(Timestamp::MAX)
}

#[cfg(test)]
mod tests {
    /// The server shares one handle across threads.
    #[test]
    fn handle_is_clone_send_sync() {
        fn check<T: Clone + Send + Sync + 'static>() {}
        check::<super::Briefs>();
    }
}

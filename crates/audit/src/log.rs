//! [`AuditLog`]: appending events (one signed tree head per entry), reading them back for the
//! admin view, and inclusion and consistency proofs against signed heads.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

use crate::db::DbResult;
use crate::event::{
    AuditEvent, AuditRecord, Classification, StoredEntry, canonical_entry, format_time,
};
use crate::head::{self, HeadSignature, SignedTreeHead, Signer, TrustedKeys};
use crate::hooks;
use crate::merkle::{self, Frontier, Hash, Subtrees};
use crate::{Action, AuditError};

/// The database file in a data dir (shared with the other crates).
pub const DB_FILE: &str = "attache.db";
/// The external copy of the latest signed tree head, beside the database.
pub const HEAD_FILE: &str = "audit-head.json";

/// The source of "now".
pub type Clock = Arc<dyn Fn() -> jiff::Timestamp + Send + Sync>;

/// The audit log of one deployment. Cheap to clone; clones share one connection.
#[derive(Clone)]
pub struct AuditLog {
    pub(crate) db_path: PathBuf,
    pub(crate) head_path: PathBuf,
    conn: Arc<Mutex<Connection>>,
    clock: Clock,
}

impl std::fmt::Debug for AuditLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditLog")
            .field("db", &self.db_path)
            .field("head", &self.head_path)
            .finish_non_exhaustive()
    }
}

/// An inclusion proof of one entry in the tree of a signed head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InclusionProof {
    pub index: u64,
    /// The leaf hash, recomputed from the stored entry.
    pub leaf_hash: Hash,
    /// Sibling subtree hashes, leaf to root (RFC 9162 `PATH`).
    pub path: Vec<Hash>,
    pub head: SignedTreeHead,
}

/// A consistency proof between two signed heads of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsistencyProof {
    pub first: SignedTreeHead,
    pub second: SignedTreeHead,
    /// RFC 9162 `PROOF(first.tree_size, D[second.tree_size])`.
    pub path: Vec<Hash>,
}

impl InclusionProof {
    /// Checks the head's signature and the path from the leaf to its root.
    pub fn verify(&self, trusted: &TrustedKeys) -> Result<(), String> {
        check_head(trusted, &self.head)?;
        merkle::verify_inclusion(
            self.index,
            self.head.tree_size,
            &self.leaf_hash,
            &self.path,
            &self.head.root,
        )
        .map_err(|e| e.to_string())
    }
}

impl ConsistencyProof {
    /// Checks both heads' signatures and that the second tree extends the first.
    pub fn verify(&self, trusted: &TrustedKeys) -> Result<(), String> {
        check_head(trusted, &self.first)?;
        check_head(trusted, &self.second)?;
        merkle::verify_consistency(
            self.first.tree_size,
            self.second.tree_size,
            &self.first.root,
            &self.second.root,
            &self.path,
        )
        .map_err(|e| e.to_string())
    }
}

fn check_head(trusted: &TrustedKeys, h: &SignedTreeHead) -> Result<(), String> {
    match trusted.check(h) {
        HeadSignature::Valid => Ok(()),
        HeadSignature::UnknownKey => Err(format!(
            "tree head {} is signed by untrusted key {}",
            h.tree_size, h.key_id
        )),
        HeadSignature::Invalid => Err(format!(
            "tree head {} has an invalid signature",
            h.tree_size
        )),
    }
}

impl AuditLog {
    /// The log in a data dir: `<dir>/attache.db` and `<dir>/audit-head.json`.
    pub fn open(data_dir: &Path) -> Result<Self, AuditError> {
        AuditLog::open_at(&data_dir.join(DB_FILE), &data_dir.join(HEAD_FILE))
    }

    /// The log in database `db` with its external head at `head_file`.
    pub fn open_at(db: &Path, head_file: &Path) -> Result<Self, AuditError> {
        let conn = crate::db::open(db)?;
        Ok(AuditLog {
            db_path: db.to_path_buf(),
            head_path: head_file.to_path_buf(),
            conn: Arc::new(Mutex::new(conn)),
            clock: Arc::new(jiff::Timestamp::now),
        })
    }

    /// The same log with another clock (tests; servers that want one clock everywhere).
    pub fn with_clock(
        mut self,
        clock: impl Fn() -> jiff::Timestamp + Send + Sync + 'static,
    ) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    pub fn db_path(&self) -> &Path {
        &self.db_path
    }

    pub fn head_path(&self) -> &Path {
        &self.head_path
    }

    /// The connection. A panic elsewhere while it was held leaves it usable (an unfinished
    /// transaction rolls back when dropped), so poisoning is ignored.
    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Appends an event on its own: one immediate transaction holding the entry and its signed
    /// tree head, then the external head ([`AuditLog::publish_head`]). Refuses (fails closed) if
    /// the log does not match its external head or its own latest head: a tampered log gets no
    /// new entries until an operator has looked.
    pub fn append(&self, signer: &Signer, event: &AuditEvent) -> Result<AuditRecord, AuditError> {
        let record = {
            let mut conn = self.conn();
            let p = &self.db_path;
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .db(p, "starting the append")?;
            let record = self.append_in(&tx, signer, event)?;
            tx.commit().db(p, "committing the append")?;
            record
        };
        self.publish_head()?;
        Ok(record)
    }

    /// Appends an event inside `tx`, a transaction the caller opened on its own connection to
    /// the same database file, so that a change and its audit entry commit together or not at
    /// all. The entry, its tree nodes and its signed head are written in `tx`; nothing outside
    /// the database is changed except to bring a lagging external head up to the committed
    /// log (see the crate docs for the protocol). After committing `tx`, call
    /// [`AuditLog::publish_head`]; if `tx` rolls back, the entry never existed.
    ///
    /// `tx` should be an immediate transaction (it must hold or obtain the write lock; a
    /// deferred one that read an older snapshot fails here with SQLite's busy error rather than
    /// appending out of order). Do not call this while holding another transaction on the
    /// log's own connection.
    pub fn append_in(
        &self,
        tx: &Transaction<'_>,
        signer: &Signer,
        event: &AuditEvent,
    ) -> Result<AuditRecord, AuditError> {
        event.validate()?;
        let p = &self.db_path;
        let n = entry_count(tx, p)?;
        let latest = latest_head(tx, p)?;
        let time = (self.clock)();
        let time_text = format_time(time);
        let detail = event.detail_json();
        let class = event.classification.as_str();
        // Inserting first takes the write lock (if `tx` did not hold it yet), so the checks
        // and the catch-up of the external head below run with no other writer in between.
        tx.execute(
            "INSERT INTO audit_entries (idx, time, actor, action, object, classification, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![n as i64, time_text, event.actor, event.action.as_str(), event.object, class, detail],
        )
        .db(p, "inserting the entry")?;
        self.check_before_append(tx, n, latest.as_ref())?;
        let mut frontier = load_frontier(tx, p, n)?;
        if let Some(h) = &latest
            && frontier.root() != h.root
        {
            return Err(self.refused(format!(
                "the node cache disagrees with the signed tree head for size {n}"
            )));
        }
        let stored = StoredEntry {
            time: time_text.as_bytes(),
            actor: event.actor.as_bytes(),
            action: event.action.as_str().as_bytes(),
            object: event.object.as_bytes(),
            classification: class.as_bytes(),
            detail: detail.as_bytes(),
        };
        let leaf = merkle::leaf_hash(&canonical_entry(n, &stored));
        for node in frontier.push(leaf) {
            tx.execute(
                "INSERT OR REPLACE INTO audit_nodes (level, idx, hash) VALUES (?1, ?2, ?3)",
                params![node.level, node.index as i64, &node.hash[..]],
            )
            .db(p, "caching a tree node")?;
        }
        let head = signer.sign(n + 1, frontier.root(), time_text);
        insert_head(tx, p, &head)?;
        hooks::pause("after-append");
        Ok(AuditRecord {
            index: n,
            time,
            event: event.clone(),
        })
    }

    /// Writes the database's latest committed signed head to the external head file, unless the
    /// file already holds it. Runs under the database's write lock (an immediate transaction
    /// that writes nothing), so every writer of the file writes the head that was latest at that
    /// moment and the file never goes back to an older head. Call it after committing a
    /// transaction that used [`AuditLog::append_in`]; [`AuditLog::append`] calls it itself.
    /// If it fails (or the process dies first), the file is one head behind, which
    /// verification accepts and the next append repairs.
    pub fn publish_head(&self) -> Result<(), AuditError> {
        hooks::pause("before-publish");
        let mut conn = self.conn();
        let p = &self.db_path;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .db(p, "locking to publish the tree head")?;
        if let Some(latest) = latest_head(&tx, p)? {
            let current = head::read_external(&self.head_path)?;
            if current.as_ref() != Some(&latest) {
                if let Some(c) = &current
                    && c.tree_size > latest.tree_size
                {
                    return Err(self.refused(format!(
                        "the external head covers {} entries, the database only {} (replaced by an older copy?)",
                        c.tree_size, latest.tree_size
                    )));
                }
                head::write_external(&self.head_path, &latest)?;
            }
        }
        tx.commit().db(p, "ending the head publication")
    }

    fn refused(&self, reason: String) -> AuditError {
        AuditError::Refused {
            path: self.db_path.clone(),
            reason,
        }
    }

    /// The cheap pre-append checks, run under the write lock: heads cover exactly the `n`
    /// committed entries, and the external head is a head of this log, either the latest (size
    /// `n`) or the one before it (size `n - 1`: the process that committed entry `n - 1` died, or
    /// failed, before publishing its head). In the second case the external head is brought up
    /// to size `n` here, before the new entry can commit, so it never falls two behind.
    fn check_before_append(
        &self,
        tx: &Transaction<'_>,
        n: u64,
        latest: Option<&SignedTreeHead>,
    ) -> Result<(), AuditError> {
        let covered = latest.map_or(0, |h| h.tree_size);
        if covered != n {
            return Err(self.refused(format!(
                "the database holds {n} entries but its latest signed tree head covers {covered}"
            )));
        }
        let ext = head::read_external(&self.head_path)?;
        let ext_size = ext.as_ref().map_or(0, |h| h.tree_size);
        if ext_size > n {
            return Err(self.refused(format!(
                "the external head covers {ext_size} entries, the database only {n} (replaced by an older copy?)"
            )));
        }
        if ext_size + 1 < n {
            return Err(self.refused(match ext {
                None => format!("the external head {} is missing", self.head_path.display()),
                Some(_) => format!(
                    "the external head covers {ext_size} entries, {} fewer than the database's {n}",
                    n - ext_size
                ),
            }));
        }
        if let Some(e) = &ext {
            match head_at(tx, &self.db_path, e.tree_size)? {
                Some(h) if h == *e => {}
                _ => {
                    return Err(self.refused(format!(
                        "the external head for size {} is not the database's",
                        e.tree_size
                    )));
                }
            }
        }
        if ext_size + 1 == n
            && let Some(h) = latest
        {
            head::write_external(&self.head_path, h)?;
        }
        Ok(())
    }

    /// Makes the external head the database's latest signed head again (after an operator has
    /// restored a backup, say), and records that as an `audit.reanchor` event carrying the
    /// replaced head's size and root. The binary runs this only when verification found nothing
    /// wrong but the external head.
    pub fn reanchor(&self, signer: &Signer, actor: &str) -> Result<AuditRecord, AuditError> {
        let previous = {
            let mut conn = self.conn();
            let p = &self.db_path;
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .db(p, "starting the reanchor")?;
            let previous = head::read_external(&self.head_path);
            match latest_head(&tx, p)? {
                Some(h) => head::write_external(&self.head_path, &h)?,
                None => head::remove_external(&self.head_path)?,
            }
            tx.commit().db(p, "ending the reanchor")?;
            previous
        };
        let mut event = AuditEvent::new(actor, Action::AUDIT_REANCHOR);
        event = match previous {
            Ok(Some(h)) => event
                .detail("previous_tree_size", h.tree_size.to_string())
                .detail("previous_root", hex::encode(h.root)),
            Ok(None) => event.detail("previous_tree_size", "none"),
            Err(e) => event.detail(
                "previous_head_error",
                e.to_string().chars().take(500).collect::<String>(),
            ),
        };
        self.append(signer, &event)
    }

    /// The number of entries.
    pub fn len(&self) -> Result<u64, AuditError> {
        entry_count(&self.conn(), &self.db_path)
    }

    pub fn is_empty(&self) -> Result<bool, AuditError> {
        Ok(self.len()? == 0)
    }

    /// Up to `limit` entries, newest first, skipping the `offset` newest (for the admin view).
    pub fn list(&self, offset: u64, limit: u64) -> Result<Vec<AuditRecord>, AuditError> {
        let conn = self.conn();
        let p = &self.db_path;
        let mut stmt = conn
            .prepare("SELECT idx, time, actor, action, object, classification, detail FROM audit_entries ORDER BY idx DESC LIMIT ?1 OFFSET ?2")
            .db(p, "listing entries")?;
        let rows = stmt
            .query_map(
                params![
                    limit.min(i64::MAX as u64) as i64,
                    offset.min(i64::MAX as u64) as i64
                ],
                raw_row,
            )
            .db(p, "listing entries")?;
        let mut out = Vec::new();
        for r in rows {
            out.push(self.record(r.db(p, "reading an entry")?)?);
        }
        Ok(out)
    }

    /// Entry `index`, if stored.
    pub fn get(&self, index: u64) -> Result<Option<AuditRecord>, AuditError> {
        let conn = self.conn();
        let raw = conn
            .query_row(
                "SELECT idx, time, actor, action, object, classification, detail FROM audit_entries WHERE idx = ?1",
                [index as i64],
                raw_row,
            )
            .optional()
            .db(&self.db_path, "reading an entry")?;
        raw.map(|r| self.record(r)).transpose()
    }

    fn record(&self, r: RawRow) -> Result<AuditRecord, AuditError> {
        let index = r.idx as u64;
        let corrupt = |column, value: &str| AuditError::Corrupt {
            path: self.db_path.clone(),
            index,
            column,
            value: value.to_string(),
        };
        let time = r
            .time
            .parse::<jiff::Timestamp>()
            .map_err(|_| corrupt("time", &r.time))?;
        let action = Action::new(&r.action).map_err(|_| corrupt("action", &r.action))?;
        let classification = Classification::parse(&r.classification)
            .ok_or_else(|| corrupt("classification", &r.classification))?;
        let detail = serde_json::from_str(&r.detail).map_err(|_| corrupt("detail", &r.detail))?;
        Ok(AuditRecord {
            index,
            time,
            event: AuditEvent {
                actor: r.actor,
                action,
                object: r.object,
                classification,
                detail,
            },
        })
    }

    /// The latest signed tree head, if any entry was appended.
    pub fn latest_head(&self) -> Result<Option<SignedTreeHead>, AuditError> {
        latest_head(&self.conn(), &self.db_path)
    }

    /// An inclusion proof of entry `index` in the tree of the latest signed head. The leaf is
    /// recomputed from the stored entry and the proof checked against the head (signature and
    /// root) before it is returned.
    pub fn inclusion_proof(
        &self,
        index: u64,
        trusted: &TrustedKeys,
    ) -> Result<InclusionProof, AuditError> {
        let mut conn = self.conn();
        let p = &self.db_path;
        let tx = conn.transaction().db(p, "starting a read")?;
        let head = latest_head(&tx, p)?.ok_or_else(|| AuditError::NoSuchEntry {
            path: p.clone(),
            index,
            size: 0,
        })?;
        if index >= head.tree_size {
            return Err(AuditError::NoSuchEntry {
                path: p.clone(),
                index,
                size: head.tree_size,
            });
        }
        let leaf_hash = stored_leaf(&tx, p, index)?;
        let path = merkle::inclusion_path(
            index,
            head.tree_size,
            &mut CachedSubtrees { tx: &tx, path: p },
        )?;
        let proof = InclusionProof {
            index,
            leaf_hash,
            path,
            head,
        };
        proof
            .verify(trusted)
            .map_err(|reason| AuditError::BadProof {
                path: p.clone(),
                what: "inclusion",
                reason,
            })?;
        Ok(proof)
    }

    /// A consistency proof from the signed head of size `first` to that of size `second`
    /// (the latest when `None`), checked before it is returned.
    pub fn consistency_proof(
        &self,
        first: u64,
        second: Option<u64>,
        trusted: &TrustedKeys,
    ) -> Result<ConsistencyProof, AuditError> {
        let mut conn = self.conn();
        let p = &self.db_path;
        let tx = conn.transaction().db(p, "starting a read")?;
        let second = match second {
            Some(n) => head_at(&tx, p, n)?.ok_or_else(|| AuditError::NoSuchHead {
                path: p.clone(),
                tree_size: n,
            })?,
            None => latest_head(&tx, p)?.ok_or_else(|| AuditError::NoSuchHead {
                path: p.clone(),
                tree_size: first,
            })?,
        };
        let first = head_at(&tx, p, first)?.ok_or_else(|| AuditError::NoSuchHead {
            path: p.clone(),
            tree_size: first,
        })?;
        if first.tree_size > second.tree_size {
            return Err(AuditError::NoSuchHead {
                path: p.clone(),
                tree_size: first.tree_size,
            });
        }
        let path = merkle::consistency_path(
            first.tree_size,
            second.tree_size,
            &mut CachedSubtrees { tx: &tx, path: p },
        )?;
        let proof = ConsistencyProof {
            first,
            second,
            path,
        };
        proof
            .verify(trusted)
            .map_err(|reason| AuditError::BadProof {
                path: p.clone(),
                what: "consistency",
                reason,
            })?;
        Ok(proof)
    }
}

/// One row of `audit_entries` as text.
struct RawRow {
    idx: i64,
    time: String,
    actor: String,
    action: String,
    object: String,
    classification: String,
    detail: String,
}

fn raw_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawRow> {
    Ok(RawRow {
        idx: r.get(0)?,
        time: r.get(1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        object: r.get(4)?,
        classification: r.get(5)?,
        detail: r.get(6)?,
    })
}

/// The leaf hash of a stored entry, recomputed from its columns.
fn stored_leaf(conn: &Connection, p: &Path, index: u64) -> Result<Hash, AuditError> {
    let r = conn
        .query_row(
            "SELECT idx, time, actor, action, object, classification, detail FROM audit_entries WHERE idx = ?1",
            [index as i64],
            raw_row,
        )
        .optional()
        .db(p, "reading an entry")?
        .ok_or_else(|| AuditError::NoSuchEntry { path: p.to_path_buf(), index, size: 0 })?;
    let stored = StoredEntry {
        time: r.time.as_bytes(),
        actor: r.actor.as_bytes(),
        action: r.action.as_bytes(),
        object: r.object.as_bytes(),
        classification: r.classification.as_bytes(),
        detail: r.detail.as_bytes(),
    };
    Ok(merkle::leaf_hash(&canonical_entry(index, &stored)))
}

/// `MAX(idx) + 1`: the index the next entry gets.
fn entry_count(conn: &Connection, p: &Path) -> Result<u64, AuditError> {
    let n: i64 = conn
        .query_row(
            "SELECT COALESCE(MAX(idx) + 1, 0) FROM audit_entries",
            [],
            |r| r.get(0),
        )
        .db(p, "counting entries")?;
    Ok(n.max(0) as u64)
}

const HEAD_COLUMNS: &str = "tree_size, root, time, key_id, signature";

/// A `audit_heads` row as stored: tree size, root, time, key id, signature.
type RawHead = (i64, Vec<u8>, String, String, Vec<u8>);

fn head_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawHead> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

fn to_head(
    p: &Path,
    (size, root, time, key_id, sig): RawHead,
) -> Result<SignedTreeHead, AuditError> {
    let corrupt = |column, value: String| AuditError::Corrupt {
        path: p.to_path_buf(),
        index: size.max(1) as u64 - 1,
        column,
        value,
    };
    let root: Hash = root
        .clone()
        .try_into()
        .map_err(|_| corrupt("tree head root", hex::encode(&root)))?;
    let signature: [u8; 64] = sig
        .clone()
        .try_into()
        .map_err(|_| corrupt("tree head signature", hex::encode(&sig)))?;
    Ok(SignedTreeHead {
        tree_size: size.max(0) as u64,
        root,
        time,
        key_id,
        signature,
    })
}

pub(crate) fn latest_head(
    conn: &Connection,
    p: &Path,
) -> Result<Option<SignedTreeHead>, AuditError> {
    let row = conn
        .query_row(
            &format!("SELECT {HEAD_COLUMNS} FROM audit_heads ORDER BY tree_size DESC LIMIT 1"),
            [],
            head_row,
        )
        .optional()
        .db(p, "reading the latest tree head")?;
    row.map(|r| to_head(p, r)).transpose()
}

pub(crate) fn head_at(
    conn: &Connection,
    p: &Path,
    tree_size: u64,
) -> Result<Option<SignedTreeHead>, AuditError> {
    let row = conn
        .query_row(
            &format!("SELECT {HEAD_COLUMNS} FROM audit_heads WHERE tree_size = ?1"),
            [tree_size as i64],
            head_row,
        )
        .optional()
        .db(p, "reading a tree head")?;
    row.map(|r| to_head(p, r)).transpose()
}

fn insert_head(conn: &Connection, p: &Path, h: &SignedTreeHead) -> Result<(), AuditError> {
    conn.execute(
        "INSERT INTO audit_heads (tree_size, root, time, key_id, signature) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![h.tree_size as i64, &h.root[..], h.time, h.key_id, &h.signature[..]],
    )
    .db(p, "inserting the tree head")?;
    Ok(())
}

fn cached_node(conn: &Connection, p: &Path, level: u32, index: u64) -> Result<Hash, AuditError> {
    let h: Option<Vec<u8>> = conn
        .query_row(
            "SELECT hash FROM audit_nodes WHERE level = ?1 AND idx = ?2",
            params![level, index as i64],
            |r| r.get(0),
        )
        .optional()
        .db(p, "reading the node cache")?;
    h.and_then(|h| Hash::try_from(h).ok())
        .ok_or_else(|| AuditError::Refused {
            path: p.to_path_buf(),
            reason: format!("the node cache has no valid hash for level {level} index {index}"),
        })
}

/// The frontier of the first `n` leaves, from the node cache.
fn load_frontier(conn: &Connection, p: &Path, n: u64) -> Result<Frontier, AuditError> {
    let mut roots = Vec::new();
    for (level, index) in Frontier::positions(n) {
        roots.push(cached_node(conn, p, level, index)?);
    }
    Ok(Frontier::from_roots(n, roots).expect("one root per position"))
}

/// Subtree hashes from the node cache: perfect aligned subtrees are looked up, others split.
struct CachedSubtrees<'a> {
    tx: &'a Transaction<'a>,
    path: &'a Path,
}

impl Subtrees for CachedSubtrees<'_> {
    type Error = AuditError;
    fn subtree(&mut self, start: u64, size: u64) -> Result<Hash, AuditError> {
        if size.is_power_of_two() && start.is_multiple_of(size) {
            return cached_node(self.tx, self.path, size.trailing_zeros(), start / size);
        }
        let k = 1u64 << (63 - (size - 1).leading_zeros());
        let left = self.subtree(start, k)?;
        let right = self.subtree(start + k, size - k)?;
        Ok(merkle::node_hash(&left, &right))
    }
}

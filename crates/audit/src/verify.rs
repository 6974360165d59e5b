//! Verification: recompute every leaf from the stored rows, check every signed tree head against
//! the recomputed tree and the trusted keys, and check the external head; report the first bad
//! entry.
//!
//! Because every append signs a head, the tree head for size `i + 1` fixes entries `0..=i`: the
//! first head whose root differs from the recomputed one names the first altered entry. Each
//! kind of tampering therefore lands on the right entry:
//!
//! | tampering | finding |
//! |---|---|
//! | a stored entry edited (any column) | that entry: altered |
//! | two entries swapped, or entries renumbered to insert one | the first moved entry: altered |
//! | an entry deleted from the middle | that index: missing |
//! | the last entries deleted (with or without their heads) | the first deleted: missing |
//! | an entry appended without the signing key | that entry: not covered by a signed head |
//! | a tree head edited, or its signature forged | the entry it closes: bad signature |
//! | a tree head deleted | the entry it closes: no signed head |
//! | the database swapped for an older copy | the first entry the copy lacks: missing (external head) |
//!
//! Successive tree heads are consistent by construction: each head's root is compared with the
//! root recomputed over exactly its first `tree_size` leaves, which is stronger than checking an
//! RFC 9162 consistency proof between neighbours (a proof only relates two roots; here every root
//! is tied to the stored rows). Consistency proofs serve those who hold an *old* head and not the
//! rows: witnesses, via [`AuditLog::consistency_proof`] and `attache audit consistency`.
//!
//! What verification cannot see: someone holding the signing key *and* write access to the
//! database and the external head can rewrite history consistently. Keep the signing key out of
//! the data dir, and copy signed heads elsewhere (`attache audit head`) to witness them.

use std::fmt;
use std::path::Path;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, TransactionBehavior};

use crate::AuditError;
use crate::db::DbResult;
use crate::event::{StoredEntry, canonical_entry};
use crate::head::{self, HeadSignature, SignedTreeHead, TrustedKeys};
use crate::log::AuditLog;
use crate::merkle::{self, Frontier, Hash};

/// What is wrong with the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The stored entry does not match the signed tree head over it (edited, moved or replaced).
    Altered,
    /// The entry is absent; the next stored entry has index `next`.
    Missing { next: u64 },
    /// The entry is absent: signed tree heads cover `head_size` entries.
    Truncated { head_size: u64 },
    /// No signed tree head covers the entry: the latest covers `covered`.
    Unsigned { covered: u64 },
    /// A column holds a value of the wrong type (an entry cannot be re-encoded).
    WrongType { column: &'static str },
    /// The tree head that closes the entry is missing.
    HeadMissing,
    /// The tree head that closes the entry does not verify.
    HeadBadSignature,
    /// The tree head that closes the entry names a key that is not trusted.
    HeadUnknownKey { key_id: String },
    /// The tree head that closes the entry has a malformed column.
    HeadMalformed { column: &'static str },
    /// A stored row whose index is below zero or a head for a size below one.
    StrayRow { table: &'static str, key: i64 },
    /// The database holds fewer entries than its external head records: it was replaced by an
    /// older copy, or truncated along with its heads.
    ExternalAhead { external_size: u64 },
    /// The external head's root is not the database's root at that size.
    ExternalMismatch { external_size: u64 },
    /// The external head does not verify.
    ExternalBadSignature { external_size: u64 },
    /// The external head file is missing although the log has two or more entries.
    ExternalMissing,
    /// The external head is two or more heads behind the database (it may lag by one: a process
    /// killed between its commit and publishing its head). Someone put back an old head file.
    ExternalBehind { external_size: u64, entries: u64 },
}

impl Problem {
    /// Whether the problem lies only with the external head (which `reanchor` may reset).
    pub fn is_external(&self) -> bool {
        matches!(
            self,
            Problem::ExternalAhead { .. }
                | Problem::ExternalMismatch { .. }
                | Problem::ExternalBadSignature { .. }
                | Problem::ExternalMissing
                | Problem::ExternalBehind { .. }
        )
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Altered => {
                f.write_str("altered: it does not match the signed tree head over it")
            }
            Problem::Missing { next } => write!(f, "missing (the next stored entry is {next})"),
            Problem::Truncated { head_size } => {
                write!(f, "missing (signed tree heads cover {head_size} entries)")
            }
            Problem::Unsigned { covered } => {
                write!(
                    f,
                    "not covered by any signed tree head (the latest covers {covered} entries): inserted"
                )
            }
            Problem::WrongType { column } => {
                write!(f, "column {column} holds a value of the wrong type")
            }
            Problem::HeadMissing => f.write_str("its signed tree head is missing"),
            Problem::HeadBadSignature => {
                f.write_str("its signed tree head has an invalid signature (edited or forged)")
            }
            Problem::HeadUnknownKey { key_id } => write!(
                f,
                "its signed tree head is signed by untrusted key {key_id}"
            ),
            Problem::HeadMalformed { column } => {
                write!(f, "its signed tree head has a malformed {column}")
            }
            Problem::StrayRow { table, key } => {
                write!(f, "{table} holds a row with impossible key {key}")
            }
            Problem::ExternalAhead { external_size } => write!(
                f,
                "missing: the external head covers {external_size} entries (database replaced by an older copy, or truncated)"
            ),
            Problem::ExternalMismatch { external_size } => {
                write!(
                    f,
                    "the tree of the first {external_size} entries differs from the external head's"
                )
            }
            Problem::ExternalBadSignature { external_size } => {
                write!(
                    f,
                    "the external head (size {external_size}) has an invalid or untrusted signature"
                )
            }
            Problem::ExternalBehind {
                external_size,
                entries,
            } => write!(
                f,
                "the external head covers {external_size} entries, the database {entries}: more than the one head a crash may leave unpublished (an old head file put back?)"
            ),
            Problem::ExternalMissing => {
                f.write_str("the external head file is missing although the log has entries")
            }
        }
    }
}

/// The first thing wrong with the log: the entry it concerns, if any, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub entry: Option<u64>,
    pub problem: Problem,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.entry {
            Some(i) => write!(f, "entry {i}: {}", self.problem),
            None => write!(f, "{}", self.problem),
        }
    }
}

/// What a successful verification checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// Entries whose leaves were recomputed.
    pub entries: u64,
    /// Signed tree heads whose signatures and roots were checked (one per entry).
    pub heads: u64,
    /// The root of the whole log (`SHA-256("")` when empty).
    pub root: Hash,
    pub latest: Option<SignedTreeHead>,
    /// The size the external head records (`None` for an empty log without one).
    pub external_size: Option<u64>,
}

impl AuditLog {
    /// Verifies the whole log against the trusted keys and the external head. `Ok` only if
    /// nothing is wrong; otherwise [`AuditError::Tampered`] with the first bad entry.
    pub fn verify(&self, trusted: &TrustedKeys) -> Result<VerifyReport, AuditError> {
        self.verify_with(trusted, External::Check)
    }

    /// Verifies the entries and signed tree heads only, ignoring the external head: what an
    /// operator checks before [`AuditLog::reanchor`] (when [`AuditLog::verify`] found a problem
    /// with the external head alone).
    pub fn verify_ignoring_external(
        &self,
        trusted: &TrustedKeys,
    ) -> Result<VerifyReport, AuditError> {
        self.verify_with(trusted, External::Ignore)
    }

    fn verify_with(
        &self,
        trusted: &TrustedKeys,
        mode: External,
    ) -> Result<VerifyReport, AuditError> {
        // The database snapshot is taken first, then the external head read. Heads are
        // published after their commit and never go back, and no entry commits while the head
        // is two behind (see the crate docs), so the file read now is at most one behind the
        // snapshot; it may be ahead of it by appends committed since, a case re-checked under
        // the write lock (and verification retried) rather than reported.
        for _ in 0..3 {
            let mut conn = self.conn();
            let tx = conn
                .transaction()
                .db(&self.db_path, "starting verification")?;
            latest_entry_count(&tx, &self.db_path)?;
            let external = match mode {
                External::Check => head::read_external(&self.head_path)?,
                External::Ignore => None,
            };
            match scan(&tx, &self.db_path, trusted, external.as_ref(), mode)? {
                Scan::Done(result) => {
                    return (*result).map_err(|finding| AuditError::Tampered {
                        path: self.db_path.clone(),
                        finding,
                    });
                }
                Scan::ExternalAhead => {
                    drop(tx);
                    let tx = conn
                        .transaction_with_behavior(TransactionBehavior::Immediate)
                        .db(&self.db_path, "locking for a re-check")?;
                    let n = latest_entry_count(&tx, &self.db_path)?;
                    let ext = head::read_external(&self.head_path)?.map_or(0, |h| h.tree_size);
                    drop(tx);
                    if ext > n {
                        return Err(AuditError::Tampered {
                            path: self.db_path.clone(),
                            finding: Finding {
                                entry: Some(n),
                                problem: Problem::ExternalAhead { external_size: ext },
                            },
                        });
                    }
                }
            }
        }
        Err(AuditError::Refused {
            path: self.db_path.clone(),
            reason: "the log kept changing during verification".into(),
        })
    }
}

fn latest_entry_count(conn: &Connection, p: &Path) -> Result<u64, AuditError> {
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM audit_entries", [], |r| r.get(0))
        .db(p, "counting entries")?;
    Ok(n as u64)
}

/// Whether verification checks the external head.
#[derive(Clone, Copy, PartialEq, Eq)]
enum External {
    Check,
    Ignore,
}

enum Scan {
    Done(Box<Result<VerifyReport, Finding>>),
    /// The external head is ahead of the snapshot: re-check under the write lock.
    ExternalAhead,
}

impl Scan {
    fn bad(finding: Finding) -> Scan {
        Scan::Done(Box::new(Err(finding)))
    }
}

/// One stored head row, or the problem with it.
type HeadRow = (i64, Result<SignedTreeHead, &'static str>);

fn read_head_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<HeadRow> {
    let size: i64 = r.get(0)?;
    let (root, time, key_id, sig) = (r.get_ref(1)?, r.get_ref(2)?, r.get_ref(3)?, r.get_ref(4)?);
    let parsed = (|| {
        let root: Hash = blob(root).and_then(|b| b.try_into().ok()).ok_or("root")?;
        let time = text(time).ok_or("time")?.to_string();
        let key_id = text(key_id).ok_or("key_id")?.to_string();
        let signature: [u8; 64] = blob(sig)
            .and_then(|b| b.try_into().ok())
            .ok_or("signature")?;
        Ok::<_, &'static str>(SignedTreeHead {
            tree_size: size.max(0) as u64,
            root,
            time,
            key_id,
            signature,
        })
    })();
    Ok((size, parsed))
}

fn blob<'a>(v: ValueRef<'a>) -> Option<&'a [u8]> {
    match v {
        ValueRef::Blob(b) => Some(b),
        _ => None,
    }
}

fn text<'a>(v: ValueRef<'a>) -> Option<&'a str> {
    match v {
        ValueRef::Text(t) => std::str::from_utf8(t).ok(),
        _ => None,
    }
}

fn scan(
    conn: &Connection,
    p: &Path,
    trusted: &TrustedKeys,
    external: Option<&SignedTreeHead>,
    mode: External,
) -> Result<Scan, AuditError> {
    let found = |entry: u64, problem| {
        Ok(Scan::bad(Finding {
            entry: Some(entry),
            problem,
        }))
    };

    let mut heads_stmt = conn
        .prepare(
            "SELECT tree_size, root, time, key_id, signature FROM audit_heads ORDER BY tree_size",
        )
        .db(p, "reading tree heads")?;
    let mut heads = heads_stmt
        .query_map([], read_head_row)
        .db(p, "reading tree heads")?
        .peekable();
    let mut entries_stmt = conn
        .prepare("SELECT idx, time, actor, action, object, classification, detail FROM audit_entries ORDER BY idx")
        .db(p, "reading entries")?;
    let mut rows = entries_stmt.query([]).db(p, "reading entries")?;

    // Heads for sizes below one cannot come from an append.
    if let Some(Ok((size, _))) = heads.peek()
        && *size < 1
    {
        return Ok(Scan::bad(Finding {
            entry: None,
            problem: Problem::StrayRow {
                table: "audit_heads",
                key: *size,
            },
        }));
    }

    let ext_signed = match external {
        Some(e) if trusted.check(e) != HeadSignature::Valid => {
            // A bad external head is reported unless the scan finds an earlier problem.
            Some(Err(Finding {
                entry: Some(e.tree_size.saturating_sub(1)),
                problem: Problem::ExternalBadSignature {
                    external_size: e.tree_size,
                },
            }))
        }
        Some(e) => Some(Ok(e)),
        None => None,
    };

    let mut frontier = Frontier::new();
    let mut latest: Option<SignedTreeHead> = None;
    let mut ext_checked = false;
    let mut n: u64 = 0;
    while let Some(row) = rows.next().db(p, "reading entries")? {
        let idx: i64 = row.get(0).db(p, "reading an entry index")?;
        if idx < n as i64 {
            return Ok(Scan::bad(Finding {
                entry: None,
                problem: Problem::StrayRow {
                    table: "audit_entries",
                    key: idx,
                },
            }));
        }
        if idx as u64 != n {
            return found(n, Problem::Missing { next: idx as u64 });
        }
        let mut cols: [&[u8]; 6] = [&[]; 6];
        for (i, (c, name)) in cols
            .iter_mut()
            .zip([
                "time",
                "actor",
                "action",
                "object",
                "classification",
                "detail",
            ])
            .enumerate()
        {
            match row.get_ref(i + 1).db(p, "reading an entry")? {
                ValueRef::Text(t) => *c = t,
                _ => return found(n, Problem::WrongType { column: name }),
            }
        }
        let [time, actor, action, object, classification, detail] = cols;
        let stored = StoredEntry {
            time,
            actor,
            action,
            object,
            classification,
            detail,
        };
        frontier.push(merkle::leaf_hash(&canonical_entry(n, &stored)));
        n += 1;

        // The head closing this entry.
        let head = match heads.peek() {
            None => {
                return found(
                    n - 1,
                    Problem::Unsigned {
                        covered: latest.as_ref().map_or(0, |h| h.tree_size),
                    },
                );
            }
            Some(Err(_)) => {
                let e = heads.next().expect("peeked").unwrap_err();
                return Err(AuditError::Db {
                    path: p.to_path_buf(),
                    op: "reading tree heads",
                    source: e,
                });
            }
            Some(Ok((size, _))) if *size as u64 > n => return found(n - 1, Problem::HeadMissing),
            Some(Ok(_)) => heads.next().expect("peeked").db(p, "reading tree heads")?,
        };
        let head = match head.1 {
            Ok(h) => h,
            Err(column) => return found(n - 1, Problem::HeadMalformed { column }),
        };
        match trusted.check(&head) {
            HeadSignature::Valid => {}
            HeadSignature::UnknownKey => {
                return found(
                    n - 1,
                    Problem::HeadUnknownKey {
                        key_id: head.key_id,
                    },
                );
            }
            HeadSignature::Invalid => return found(n - 1, Problem::HeadBadSignature),
        }
        if head.root != frontier.root() {
            return found(n - 1, Problem::Altered);
        }
        if let Some(Ok(e)) = &ext_signed
            && e.tree_size == n
        {
            ext_checked = true;
            if **e != head {
                return found(
                    n - 1,
                    Problem::ExternalMismatch {
                        external_size: e.tree_size,
                    },
                );
            }
        }
        latest = Some(head);
    }
    // Heads beyond the last entry: entries were deleted from the end.
    if let Some(r) = heads.next() {
        let (size, _) = r.db(p, "reading tree heads")?;
        let mut max = size;
        for r in heads {
            max = max.max(r.db(p, "reading tree heads")?.0);
        }
        return found(
            n,
            Problem::Truncated {
                head_size: max as u64,
            },
        );
    }
    match ext_signed {
        Some(Err(finding)) => return Ok(Scan::bad(finding)),
        Some(Ok(e)) if e.tree_size > n => return Ok(Scan::ExternalAhead),
        Some(Ok(e)) if e.tree_size + 1 < n => {
            return found(
                e.tree_size,
                Problem::ExternalBehind {
                    external_size: e.tree_size,
                    entries: n,
                },
            );
        }
        Some(Ok(e)) if !ext_checked => {
            // Size 0 (never written by an append) or otherwise unmatched.
            return found(
                e.tree_size.saturating_sub(1),
                Problem::ExternalMismatch {
                    external_size: e.tree_size,
                },
            );
        }
        None if n > 1 && mode == External::Check => {
            return Ok(Scan::bad(Finding {
                entry: None,
                problem: Problem::ExternalMissing,
            }));
        }
        _ => {}
    }
    Ok(Scan::Done(Box::new(Ok(VerifyReport {
        entries: n,
        heads: n,
        root: frontier.root(),
        latest,
        external_size: external.map(|e| e.tree_size),
    }))))
}

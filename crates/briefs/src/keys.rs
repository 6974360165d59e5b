//! Key rotation for brief content: [`Briefs::rewrap_all`] reseals every ciphertext under the
//! keyring's active key in one transaction; [`Briefs::key_usage`] says which keys stored
//! ciphertexts still need, so a key is retired only when nothing needs it.

use std::collections::BTreeMap;

use attache_accounts::{Clearance, Principal};
use attache_audit::{Action, AuditEvent, Classification};
use attache_vault::{KeyId, key_id_of};
use rusqlite::{Transaction, params};

use crate::access::{self, KEY_ADMINS};
use crate::codec::{self, Field};
use crate::db::DbResult;
use crate::model::RewrapReport;
use crate::{Briefs, BriefsError, actor};

/// One stored blob: table, row id, column, brief id, its level, and the field it belongs to.
struct Blob {
    table: &'static str,
    column: &'static str,
    row: i64,
    brief: i64,
    level: Clearance,
    field: Field,
    bytes: Vec<u8>,
}

impl Briefs {
    /// Every sealed blob (public ones are in clear and have no key).
    fn sealed_blobs(&self, tx: &Transaction<'_>) -> Result<Vec<Blob>, BriefsError> {
        let path = &self.db.path;
        let mut out = Vec::new();
        let mut stmt = tx
            .prepare("SELECT id, classification, body, rationale FROM brief_briefs")
            .db(path, "reading briefs to rewrap")?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                    r.get::<_, Option<Vec<u8>>>(3)?,
                ))
            })
            .db(path, "reading briefs to rewrap")?
            .collect::<Result<Vec<_>, _>>()
            .db(path, "reading briefs to rewrap")?;
        let mut levels = BTreeMap::new();
        for (id, level, body, rationale) in rows {
            let level = self.parse_level(id, &level)?;
            levels.insert(id, level);
            let blob = |column, field, bytes| Blob {
                table: "brief_briefs",
                column,
                row: id,
                brief: id,
                level,
                field,
                bytes,
            };
            out.push(blob("body", Field::Body, body));
            if let Some(r) = rationale {
                out.push(blob("rationale", Field::Rationale, r));
            }
        }
        let mut stmt = tx
            .prepare("SELECT id, brief_id, body FROM brief_evidence")
            .db(path, "reading evidence to rewrap")?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                ))
            })
            .db(path, "reading evidence to rewrap")?
            .collect::<Result<Vec<_>, _>>()
            .db(path, "reading evidence to rewrap")?;
        for (eid, brief, bytes) in rows {
            let level = *levels
                .get(&brief)
                .ok_or_else(|| self.corrupt(brief, "evidence", "belongs to no brief"))?;
            out.push(Blob {
                table: "brief_evidence",
                column: "body",
                row: eid,
                brief,
                level,
                field: Field::Evidence(eid),
                bytes,
            });
        }
        let mut stmt = tx
            .prepare("SELECT id, brief_id, classification, meta, content FROM brief_documents")
            .db(path, "reading documents to rewrap")?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Vec<u8>>(3)?,
                    r.get::<_, Vec<u8>>(4)?,
                ))
            })
            .db(path, "reading documents to rewrap")?
            .collect::<Result<Vec<_>, _>>()
            .db(path, "reading documents to rewrap")?;
        for (did, brief, level, meta, content) in rows {
            let own = self.parse_level(brief, &level)?;
            let level = own.max(
                *levels
                    .get(&brief)
                    .ok_or_else(|| self.corrupt(brief, "document", "belongs to no brief"))?,
            );
            let blob = |column, field, bytes| Blob {
                table: "brief_documents",
                column,
                row: did,
                brief,
                level,
                field,
                bytes,
            };
            out.push(blob("meta", Field::DocumentMeta(did), meta));
            out.push(blob("content", Field::DocumentContent(did), content));
        }
        out.retain(|b| codec::sealed_level(b.level));
        Ok(out)
    }

    /// How many stored ciphertexts each key seals (public content is not counted). After
    /// [`Briefs::rewrap_all`] only the active key appears.
    pub fn key_usage(&self) -> Result<Vec<(KeyId, u64)>, BriefsError> {
        let mut conn = self.db.conn();
        let tx = conn.transaction().db(&self.db.path, "counting key usage")?;
        let mut counts: BTreeMap<KeyId, u64> = BTreeMap::new();
        for b in self.sealed_blobs(&tx)? {
            let id = key_id_of(&b.bytes).map_err(|source| BriefsError::Crypto {
                id: b.brief,
                what: format!(
                    "reading the key id of {}.{} row {}",
                    b.table, b.column, b.row
                ),
                source,
            })?;
            *counts.entry(id).or_default() += 1;
        }
        Ok(counts.into_iter().collect())
    }

    /// Reseals every ciphertext not under the active key (admins only), in one transaction: a
    /// ciphertext that does not open (altered, or its key already retired) aborts the whole
    /// rewrap and is named in the error. Recorded as a `key.change` audit event in the same
    /// transaction.
    pub fn rewrap_all(&self, p: &Principal) -> Result<RewrapReport, BriefsError> {
        access::require(p, "rewrapping brief ciphertexts", KEY_ADMINS)?;
        let active = self.ring().active_id();
        let event = AuditEvent::new(actor(p), Action::KEY_CHANGE)
            .on("brief:*", Classification::Secret)
            .detail("op", "rewrap")
            .detail("key", active.to_string());
        let report = {
            let ring = self.ring();
            let mut conn = self.db.conn();
            let tx = conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .db(&self.db.path, "rewrapping")?;
            let mut report = RewrapReport::default();
            for b in self.sealed_blobs(&tx)? {
                match codec::rewrap(&ring, b.level, b.brief, b.field, &b.bytes)? {
                    None => report.unchanged += 1,
                    Some(new) => {
                        let sql = format!("UPDATE {} SET {} = ?2 WHERE id = ?1", b.table, b.column);
                        tx.execute(&sql, params![b.row, new])
                            .db(&self.db.path, "rewrapping")?;
                        report.resealed += 1;
                    }
                }
            }
            // The event commits with the rewrap, or neither does.
            self.audit_in(&tx, &event, "recording a rewrap")?;
            tx.commit().db(&self.db.path, "rewrapping")?;
            report
        };
        self.audit_committed("recording a rewrap")?;
        Ok(report)
    }
}

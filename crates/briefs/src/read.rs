//! The read paths: [`Briefs::get`], [`Briefs::list`], [`Briefs::document`] (and the loading that
//! export and the write paths share). Each one filters by role and clearance before anything is
//! decrypted, and records reads of classified material in the audit log before returning it.

use attache_accounts::{Clearance, Principal};
use attache_audit::{Action, AuditEvent, Classification};
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::access::{can_read, readable_levels};
use crate::audit::{brief_object, classification, document_object};
use crate::codec::{self, Field};
use crate::db::DbResult;
use crate::denied::{Verdict, WINDOW_SECS};
use crate::model::{
    Brief, BriefSummary, Decision, DecisionRecord, Document, DocumentInfo, Evidence, ListFilter,
    MAX_PAGE, Page, State, Transition,
};
use crate::{Briefs, BriefsError, actor, timestamp};

/// Longest text query of [`Briefs::list`].
pub const MAX_SEARCH_CHARS: usize = 200;

/// A `brief_briefs` row as stored.
pub(crate) struct BriefRow {
    pub id: i64,
    pub classification: Clearance,
    pub state: State,
    pub revision: i64,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub amends: Option<i64>,
    pub body: Vec<u8>,
    pub decision: Option<String>,
    pub decision_option: Option<i64>,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    pub rationale: Option<Vec<u8>>,
}

pub(crate) const BRIEF_COLUMNS: &str = "id, classification, state, revision, created_by, created_at, updated_at, amends, body, \
     decision, decision_option, decided_by, decided_at, rationale";

/// Raw columns, before the level and state are parsed.
type RawRow = (BriefRow, String, String);

fn raw_row(r: &Row<'_>) -> rusqlite::Result<RawRow> {
    Ok((
        BriefRow {
            id: r.get(0)?,
            classification: Clearance::Public,
            state: State::Draft,
            revision: r.get(3)?,
            created_by: r.get(4)?,
            created_at: r.get(5)?,
            updated_at: r.get(6)?,
            amends: r.get(7)?,
            body: r.get(8)?,
            decision: r.get(9)?,
            decision_option: r.get(10)?,
            decided_by: r.get(11)?,
            decided_at: r.get(12)?,
            rationale: r.get(13)?,
        },
        r.get(1)?,
        r.get(2)?,
    ))
}

impl Briefs {
    pub(crate) fn corrupt(
        &self,
        id: i64,
        column: &'static str,
        reason: impl Into<String>,
    ) -> BriefsError {
        BriefsError::Corrupt {
            path: self.db.path.clone(),
            id,
            column,
            reason: reason.into(),
        }
    }

    pub(crate) fn parse_level(&self, id: i64, s: &str) -> Result<Clearance, BriefsError> {
        s.parse::<Clearance>()
            .map_err(|_| self.corrupt(id, "classification", format!("{s:?}")))
    }

    fn finish_row(&self, (mut row, level, state): RawRow) -> Result<BriefRow, BriefsError> {
        row.classification = self.parse_level(row.id, &level)?;
        row.state = State::parse(&state)
            .ok_or_else(|| self.corrupt(row.id, "state", format!("{state:?}")))?;
        Ok(row)
    }

    /// The row of brief `id`, whoever may read it.
    pub(crate) fn load_row(
        &self,
        conn: &Connection,
        id: i64,
    ) -> Result<Option<BriefRow>, BriefsError> {
        let raw = conn
            .query_row(
                &format!("SELECT {BRIEF_COLUMNS} FROM brief_briefs WHERE id = ?1"),
                [id],
                raw_row,
            )
            .optional()
            .db(&self.db.path, "reading a brief")?;
        raw.map(|r| self.finish_row(r)).transpose()
    }

    /// The row of brief `id` if `p` may read it; otherwise `NotFound`, whether it does not
    /// exist or is above `p` (both counted as a denied read, see [`crate::denied`]).
    pub(crate) fn visible_row(
        &self,
        p: &Principal,
        id: i64,
        op: &'static str,
    ) -> Result<BriefRow, BriefsError> {
        let row = {
            let conn = self.db.conn();
            self.load_row(&conn, id)?
        };
        match row {
            Some(row) if can_read(p, row.classification) => Ok(row),
            row => {
                self.deny(p, &brief_object(id), row.map(|r| r.classification), op)?;
                Err(BriefsError::NotFound { id })
            }
        }
    }

    /// Counts a read `p` may not make (`level` is `None` when the object does not exist), and
    /// writes a `read.denied` entry for the first of each actor's window. Both cases take the
    /// same path, so the time of the answer does not tell whether the id exists.
    pub(crate) fn deny(
        &self,
        p: &Principal,
        object: &str,
        level: Option<Clearance>,
        op: &'static str,
    ) -> Result<(), BriefsError> {
        let verdict = self
            .denied
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .note(actor(p), self.now());
        let Verdict::Log { unlogged_before } = verdict else {
            return Ok(());
        };
        let mut e = AuditEvent::new(actor(p), Action::new("read.denied").expect("valid action"))
            .on(object, level.map_or(Classification::Public, classification))
            .detail("op", op)
            .detail("window_secs", WINDOW_SECS.to_string());
        if level.is_none() {
            e = e.detail("found", "no");
        }
        if unlogged_before > 0 {
            e = e.detail("unlogged_before", unlogged_before.to_string());
        }
        self.audit(&e, "recording a denied read", false)
    }

    pub(crate) fn open_body(&self, row: &BriefRow) -> Result<codec::Body, BriefsError> {
        let plain = codec::open(
            &self.ring(),
            &self.db.path,
            row.classification,
            row.id,
            Field::Body,
            &row.body,
        )?;
        codec::body_from_bytes(&plain).map_err(|r| self.corrupt(row.id, "body", r))
    }

    /// The whole brief as `p` sees it (no audit: callers record the read or export).
    pub(crate) fn assemble(&self, p: &Principal, row: &BriefRow) -> Result<Brief, BriefsError> {
        let body = self.open_body(row)?;
        let path = &self.db.path;
        let ring = self.ring();
        let conn = self.db.conn();
        let id = row.id;

        let mut evidence = Vec::new();
        let mut stmt = conn
            .prepare("SELECT id, added_by, added_at, body FROM brief_evidence WHERE brief_id = ?1 ORDER BY id")
            .db(path, "reading evidence")?;
        let rows = stmt
            .query_map([id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, Vec<u8>>(3)?,
                ))
            })
            .db(path, "reading evidence")?;
        for r in rows {
            let (eid, added_by, added_at, blob) = r.db(path, "reading evidence")?;
            let plain = codec::open(
                &ring,
                path,
                row.classification,
                id,
                Field::Evidence(eid),
                &blob,
            )?;
            let item =
                codec::evidence_from_bytes(&plain).map_err(|r| self.corrupt(id, "evidence", r))?;
            evidence.push(Evidence {
                id: eid,
                item,
                added_by,
                added_at: timestamp(added_at),
            });
        }

        let mut documents = Vec::new();
        for d in self.document_rows(&conn, id)? {
            let level = row.classification.max(d.classification);
            if !can_read(p, level) {
                continue;
            }
            documents.push(self.document_info(&ring, row, &d)?);
        }

        let decision = match (
            &row.decision,
            &row.decided_by,
            row.decided_at,
            &row.rationale,
        ) {
            (Some(kind), Some(by), Some(at), Some(blob)) => {
                let decision = match (kind.as_str(), row.decision_option) {
                    ("choose", Some(i)) if i >= 0 && (i as usize) < body.options.len() => {
                        Decision::Choose {
                            option_index: i as usize,
                        }
                    }
                    ("reject-all", None) => Decision::RejectAll,
                    _ => {
                        return Err(self.corrupt(
                            id,
                            "decision",
                            format!("{kind:?} with option {:?}", row.decision_option),
                        ));
                    }
                };
                let plain =
                    codec::open(&ring, path, row.classification, id, Field::Rationale, blob)?;
                let rationale = String::from_utf8(plain)
                    .map_err(|_| self.corrupt(id, "rationale", "not UTF-8"))?;
                Some(DecisionRecord {
                    decision,
                    rationale,
                    decided_by: by.clone(),
                    decided_at: timestamp(at),
                })
            }
            (None, None, None, None) => None,
            _ => return Err(self.corrupt(id, "decision", "partly recorded")),
        };

        let mut amended_by = Vec::new();
        let mut stmt = conn
            .prepare("SELECT id, classification FROM brief_briefs WHERE amends = ?1 ORDER BY id")
            .db(path, "reading amendments")?;
        let rows = stmt
            .query_map([id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
            .db(path, "reading amendments")?;
        for r in rows {
            let (aid, level) = r.db(path, "reading amendments")?;
            if can_read(p, self.parse_level(aid, &level)?) {
                amended_by.push(aid);
            }
        }

        let mut history = Vec::new();
        let mut stmt = conn
            .prepare("SELECT from_state, to_state, actor, at FROM brief_transitions WHERE brief_id = ?1 ORDER BY id")
            .db(path, "reading the history")?;
        let rows = stmt
            .query_map([id], |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                ))
            })
            .db(path, "reading the history")?;
        for r in rows {
            let (from, to, by, at) = r.db(path, "reading the history")?;
            let state = |s: &str| {
                State::parse(s).ok_or_else(|| self.corrupt(id, "history", format!("state {s:?}")))
            };
            history.push(Transition {
                from: from.as_deref().map(state).transpose()?,
                to: state(&to)?,
                by,
                at: timestamp(at),
            });
        }

        Ok(Brief {
            id,
            classification: row.classification,
            state: row.state,
            title: body.title,
            question: body.question,
            options: body.options,
            evidence,
            documents,
            decision,
            created_by: row.created_by.clone(),
            created_at: timestamp(row.created_at),
            updated_at: timestamp(row.updated_at),
            amends: row.amends,
            amended_by,
            history,
            revision: row.revision,
        })
    }

    /// Brief `id` as `p` may see it. `NotFound` when it does not exist *or* `p` may not read it.
    /// A read of a restricted-or-above brief is recorded in the audit log before it is returned.
    pub fn get(&self, p: &Principal, id: i64) -> Result<Brief, BriefsError> {
        let row = self.visible_row(p, id, "get")?;
        let brief = self.assemble(p, &row)?;
        if codec::sealed_level(row.classification) {
            let e = AuditEvent::new(actor(p), Action::READ)
                .on(&brief_object(id), classification(row.classification))
                .detail("op", "get");
            self.audit(&e, "recording a read", false)?;
        }
        Ok(brief)
    }

    /// One page of the briefs `p` may read, newest first, optionally only those whose title or
    /// question contains `filter.text` (case-insensitive). Briefs above `p` are filtered out in
    /// the query, before paging. Listing classified briefs (their titles) is recorded as one
    /// `read` event naming their ids.
    pub fn list(&self, p: &Principal, filter: &ListFilter) -> Result<Page, BriefsError> {
        if filter.limit == 0 || filter.limit > MAX_PAGE {
            return Err(BriefsError::Invalid {
                field: "limit",
                reason: format!("{} (1 to {MAX_PAGE})", filter.limit),
            });
        }
        let query = match &filter.text {
            Some(t) if t.chars().count() > MAX_SEARCH_CHARS => {
                return Err(BriefsError::Invalid {
                    field: "text",
                    reason: format!("at most {MAX_SEARCH_CHARS} characters"),
                });
            }
            Some(t) if !t.trim().is_empty() => Some(t.trim().to_lowercase()),
            _ => None,
        };
        let levels: Vec<&str> = readable_levels(p)
            .into_iter()
            .filter(|l| filter.classification.is_none_or(|c| c == *l))
            .map(|l| l.as_str())
            .collect();
        let levels_json = serde_json::to_string(&levels).expect("strings serialise");
        let state = filter.state.map(|s| s.as_str());
        let where_ =
            "classification IN (SELECT value FROM json_each(?1)) AND (?2 IS NULL OR state = ?2)";
        let path = &self.db.path;
        // Without a text query the database pages; with one, every visible brief is opened and
        // matched here (titles and questions are sealed, so SQL cannot search them).
        let (limit, offset) = match query {
            None => (
                filter.limit as i64,
                i64::try_from(filter.offset).unwrap_or(i64::MAX),
            ),
            Some(_) => (-1, 0),
        };
        let (mut total, raws) = {
            let conn = self.db.conn();
            let total: i64 = conn
                .query_row(
                    &format!("SELECT count(*) FROM brief_briefs WHERE {where_}"),
                    params![levels_json, state],
                    |r| r.get(0),
                )
                .db(path, "counting briefs")?;
            let mut stmt = conn
                .prepare(&format!("SELECT {BRIEF_COLUMNS} FROM brief_briefs WHERE {where_} ORDER BY id DESC LIMIT ?3 OFFSET ?4"))
                .db(path, "listing briefs")?;
            let raws = stmt
                .query_map(params![levels_json, state, limit, offset], raw_row)
                .db(path, "listing briefs")?
                .collect::<Result<Vec<_>, _>>()
                .db(path, "listing briefs")?;
            (total as u64, raws)
        };
        let mut matches = Vec::with_capacity(raws.len());
        for raw in raws {
            let row = self.finish_row(raw)?;
            // Belt and braces: the query filtered already.
            if !can_read(p, row.classification) {
                continue;
            }
            let body = self.open_body(&row)?;
            if let Some(q) = &query
                && !body.title.to_lowercase().contains(q.as_str())
                && !body.question.to_lowercase().contains(q.as_str())
            {
                continue;
            }
            matches.push((row, body.title));
        }
        if query.is_some() {
            total = matches.len() as u64;
            let start = usize::try_from(filter.offset)
                .unwrap_or(usize::MAX)
                .min(matches.len());
            matches.drain(..start);
            matches.truncate(filter.limit as usize);
        }
        let mut items = Vec::with_capacity(matches.len());
        let mut classified = Vec::new();
        let mut top = Clearance::Public;
        for (row, title) in matches {
            if codec::sealed_level(row.classification) {
                classified.push(row.id.to_string());
                top = top.max(row.classification);
            }
            items.push(BriefSummary {
                id: row.id,
                title,
                classification: row.classification,
                state: row.state,
                created_by: row.created_by,
                created_at: timestamp(row.created_at),
                updated_at: timestamp(row.updated_at),
                amends: row.amends,
            });
        }
        if !classified.is_empty() {
            let e = AuditEvent::new(actor(p), Action::READ)
                .on("brief:list", classification(top))
                .detail("op", "list")
                .detail("ids", classified.join(","));
            self.audit(&e, "recording a listing", false)?;
        }
        Ok(Page {
            items,
            total,
            offset: filter.offset,
        })
    }

    /// A document with its content. `DocumentNotFound` when it does not exist, belongs to another
    /// brief, or is above `p` (the brief's level and the document's own, whichever is higher).
    pub fn document(
        &self,
        p: &Principal,
        brief: i64,
        document: i64,
    ) -> Result<Document, BriefsError> {
        let row = self.visible_row(p, brief, "document")?;
        let d = {
            let conn = self.db.conn();
            self.document_rows(&conn, brief)?
                .into_iter()
                .find(|d| d.id == document)
        };
        let object = document_object(brief, document);
        let level = d.as_ref().map(|d| row.classification.max(d.classification));
        let (Some(d), Some(level)) = (d, level.filter(|l| can_read(p, *l))) else {
            self.deny(p, &object, level, "document")?;
            return Err(BriefsError::DocumentNotFound { brief, document });
        };
        let ring = self.ring();
        let info = self.document_info(&ring, &row, &d)?;
        let content = codec::open(
            &ring,
            &self.db.path,
            level,
            brief,
            Field::DocumentContent(d.id),
            &d.content,
        )?;
        if codec::sealed_level(level) {
            let e = AuditEvent::new(actor(p), Action::READ)
                .on(&object, classification(level))
                .detail("op", "document");
            self.audit(&e, "recording a read", false)?;
        }
        Ok(Document { info, content })
    }

    pub(crate) fn document_rows(
        &self,
        conn: &Connection,
        brief: i64,
    ) -> Result<Vec<DocRow>, BriefsError> {
        let path = &self.db.path;
        let mut stmt = conn
            .prepare(
                "SELECT id, classification, size, added_by, added_at, meta, content FROM brief_documents \
                 WHERE brief_id = ?1 ORDER BY id",
            )
            .db(path, "reading documents")?;
        let raws = stmt
            .query_map([brief], |r| {
                Ok((
                    r.get::<_, String>(1)?,
                    DocRow {
                        id: r.get(0)?,
                        classification: Clearance::Public,
                        size: r.get(2)?,
                        added_by: r.get(3)?,
                        added_at: r.get(4)?,
                        meta: r.get(5)?,
                        content: r.get(6)?,
                    },
                ))
            })
            .db(path, "reading documents")?
            .collect::<Result<Vec<_>, _>>()
            .db(path, "reading documents")?;
        raws.into_iter()
            .map(|(level, mut d)| {
                d.classification = self.parse_level(brief, &level)?;
                Ok(d)
            })
            .collect()
    }

    fn document_info(
        &self,
        ring: &attache_vault::Keyring,
        row: &BriefRow,
        d: &DocRow,
    ) -> Result<DocumentInfo, BriefsError> {
        let level = row.classification.max(d.classification);
        let plain = codec::open(
            ring,
            &self.db.path,
            level,
            row.id,
            Field::DocumentMeta(d.id),
            &d.meta,
        )?;
        let meta = codec::doc_meta_from_bytes(&plain)
            .map_err(|r| self.corrupt(row.id, "document meta", r))?;
        Ok(DocumentInfo {
            id: d.id,
            name: meta.name,
            media_type: meta.media_type,
            classification: d.classification,
            size: d.size.max(0) as u64,
            added_by: d.added_by.clone(),
            added_at: timestamp(d.added_at),
        })
    }
}

/// A `brief_documents` row as stored.
pub(crate) struct DocRow {
    pub id: i64,
    pub classification: Clearance,
    pub size: i64,
    pub added_by: String,
    pub added_at: i64,
    pub meta: Vec<u8>,
    pub content: Vec<u8>,
}

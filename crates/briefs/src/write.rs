//! The write paths: creating and amending briefs, editing drafts, evidence, documents and
//! predictions, the workflow transitions and the decision. Every path first checks that the
//! principal may *read* the brief (else `NotFound`), then the role, then the state, then the
//! input; and every change is audited (see the crate docs for the order).

use attache_accounts::{Clearance, Principal};
use attache_audit::{Action, AuditEvent};
use attache_core::outcome::{OutcomePredictor, OutcomeQuery, PredictedOutcome};
use rusqlite::{Connection, Transaction, TransactionBehavior, params};

use crate::access::{self, ARCHIVERS, AUTHORS, DECIDERS};
use crate::audit::{brief_object, classification};
use crate::codec::{self, Body, DocMeta, Field};
use crate::db::DbResult;
use crate::model::{
    Author, BriefEdit, BriefOption, Decision, NewBrief, NewDocument, NewEvidence, NewOption, State,
    Text,
};
use crate::read::BriefRow;
use crate::{Briefs, BriefsError, actor, validate};

fn options_of(author: &str, opts: &[NewOption]) -> Vec<BriefOption> {
    opts.iter()
        .map(|o| BriefOption {
            title: o.title.clone(),
            summary: Text {
                body: o.summary.clone(),
                author: Author::Person(author.to_string()),
            },
            predictions: Vec::new(),
        })
        .collect()
}

fn change_event(p: &Principal, row_id: i64, level: Clearance, op: &str) -> AuditEvent {
    AuditEvent::new(actor(p), Action::BRIEF_CHANGE)
        .on(&brief_object(row_id), classification(level))
        .detail("op", op)
}

impl Briefs {
    fn begin<'c>(
        &self,
        conn: &'c mut Connection,
        op: &'static str,
    ) -> Result<Transaction<'c>, BriefsError> {
        conn.transaction_with_behavior(TransactionBehavior::Immediate)
            .db(&self.db.path, op)
    }

    /// Bumps the revision of brief `id` if it is still at `revision` (else `Conflict`).
    fn bump(
        &self,
        tx: &Transaction<'_>,
        id: i64,
        revision: i64,
        now: i64,
    ) -> Result<(), BriefsError> {
        let n = tx
            .execute(
                "UPDATE brief_briefs SET revision = revision + 1, updated_at = ?3 WHERE id = ?1 AND revision = ?2",
                params![id, revision, now],
            )
            .db(&self.db.path, "updating a brief")?;
        if n == 0 {
            Err(BriefsError::Conflict { id })
        } else {
            Ok(())
        }
    }

    fn record_transition(
        &self,
        tx: &Transaction<'_>,
        id: i64,
        from: Option<State>,
        to: State,
        by: &str,
        at: i64,
    ) -> Result<(), BriefsError> {
        tx.execute(
            "INSERT INTO brief_transitions (brief_id, from_state, to_state, actor, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, from.map(|s| s.as_str()), to.as_str(), by, at],
        )
        .db(&self.db.path, "recording a transition")?;
        Ok(())
    }

    /// Runs `write` and appends `event` in one immediate transaction: both commit or neither.
    fn audited_update<T>(
        &self,
        event: &AuditEvent,
        op: &'static str,
        write: impl FnOnce(&Transaction<'_>) -> Result<T, BriefsError>,
    ) -> Result<T, BriefsError> {
        let out = {
            let mut conn = self.db.conn();
            let tx = self.begin(&mut conn, op)?;
            let out = write(&tx)?;
            self.audit_in(&tx, event, op)?;
            tx.commit().db(&self.db.path, op)?;
            out
        };
        self.audit_committed(op)?;
        Ok(out)
    }

    /// Runs `insert` and appends the event it returns (which names the new id) in one
    /// immediate transaction: both commit or neither.
    fn audited_insert(
        &self,
        op: &'static str,
        insert: impl FnOnce(&Transaction<'_>) -> Result<(i64, AuditEvent), BriefsError>,
    ) -> Result<i64, BriefsError> {
        let new_id = {
            let mut conn = self.db.conn();
            let tx = self.begin(&mut conn, op)?;
            let (new_id, event) = insert(&tx)?;
            self.audit_in(&tx, &event, op)?;
            tx.commit().db(&self.db.path, op)?;
            new_id
        };
        self.audit_committed(op)?;
        Ok(new_id)
    }

    /// A writable draft: readable by `p`, `p` an author, the brief in `draft`.
    fn draft_row(
        &self,
        p: &Principal,
        id: i64,
        action: &'static str,
    ) -> Result<BriefRow, BriefsError> {
        let row = self.visible_row(p, id, action)?;
        access::require(p, action, AUTHORS)?;
        if row.state != State::Draft {
            return Err(BriefsError::Immutable {
                id,
                state: row.state,
            });
        }
        Ok(row)
    }

    /// Creates a draft brief and returns its id. Analysts and diplomats create; the
    /// classification may not exceed the author's clearance.
    pub fn create(&self, p: &Principal, new: &NewBrief) -> Result<i64, BriefsError> {
        access::require(p, "creating a brief", AUTHORS)?;
        self.create_inner(p, new, None)
    }

    fn create_inner(
        &self,
        p: &Principal,
        new: &NewBrief,
        amends: Option<i64>,
    ) -> Result<i64, BriefsError> {
        access::may_mark(p, new.classification)?;
        validate::new_brief(new)?;
        let body = Body {
            title: new.title.clone(),
            question: new.question.clone(),
            options: options_of(actor(p), &new.options),
        };
        let plain = codec::body_to_bytes(&body);
        let now = self.now();
        let level = new.classification;
        let op = if amends.is_some() {
            "amending a brief"
        } else {
            "creating a brief"
        };
        self.audited_insert(
            op,
            |tx| {
                tx.execute(
                    "INSERT INTO brief_briefs (classification, state, created_by, created_at, updated_at, amends, body) \
                     VALUES (?1, 'draft', ?2, ?3, ?3, ?4, x'')",
                    params![level.as_str(), actor(p), now, amends],
                )
                .db(&self.db.path, op)?;
                let id = tx.last_insert_rowid();
                let stored = codec::seal(&self.ring(), level, id, Field::Body, &plain)?;
                tx.execute("UPDATE brief_briefs SET body = ?2 WHERE id = ?1", params![id, stored]).db(&self.db.path, op)?;
                self.record_transition(tx, id, None, State::Draft, actor(p), now)?;
                let mut e = change_event(p, id, level, if amends.is_some() { "amend" } else { "create" })
                    .detail("options", new.options.len().to_string());
                if let Some(a) = amends {
                    e = e.detail("amends", a.to_string());
                }
                Ok((id, e))
            },
        )
    }

    /// Changes the title, question or options of a draft.
    pub fn edit(&self, p: &Principal, id: i64, edit: &BriefEdit) -> Result<(), BriefsError> {
        let row = self.draft_row(p, id, "editing a brief")?;
        let mut body = self.open_body(&row)?;
        if let Some(t) = &edit.title {
            validate::title(t)?;
            body.title = t.clone();
        }
        if let Some(q) = &edit.question {
            validate::question(q)?;
            body.question = q.clone();
        }
        if let Some(o) = &edit.options {
            validate::options(o)?;
            body.options = options_of(actor(p), o);
        }
        self.replace_body(p, &row, &body, "edit")
    }

    fn replace_body(
        &self,
        p: &Principal,
        row: &BriefRow,
        body: &Body,
        op: &'static str,
    ) -> Result<(), BriefsError> {
        let stored = codec::seal(
            &self.ring(),
            row.classification,
            row.id,
            Field::Body,
            &codec::body_to_bytes(body),
        )?;
        let now = self.now();
        let event = change_event(p, row.id, row.classification, op);
        self.audited_update(&event, "changing a brief", |tx| {
            self.bump(tx, row.id, row.revision, now)?;
            tx.execute(
                "UPDATE brief_briefs SET body = ?2 WHERE id = ?1",
                params![row.id, stored],
            )
            .db(&self.db.path, "changing a brief")?;
            Ok(())
        })
    }

    fn transition(
        &self,
        p: &Principal,
        id: i64,
        to: State,
        action: &'static str,
        roles: &'static [attache_accounts::Role],
    ) -> Result<(), BriefsError> {
        let row = self.visible_row(p, id, action)?;
        access::require(p, action, roles)?;
        if !row.state.can_become(to) {
            return Err(BriefsError::InvalidTransition {
                id,
                from: row.state,
                to,
            });
        }
        let now = self.now();
        let event = change_event(p, id, row.classification, action_op(to))
            .detail("from", row.state.as_str())
            .detail("to", to.as_str());
        self.audited_update(&event, action, |tx| {
            self.bump(tx, id, row.revision, now)?;
            tx.execute(
                "UPDATE brief_briefs SET state = ?2 WHERE id = ?1",
                params![id, to.as_str()],
            )
            .db(&self.db.path, action)?;
            self.record_transition(tx, id, Some(row.state), to, actor(p), now)
        })
    }

    /// Draft -> review (analysts and diplomats).
    pub fn submit_for_review(&self, p: &Principal, id: i64) -> Result<(), BriefsError> {
        self.transition(
            p,
            id,
            State::Review,
            "submitting a brief for review",
            AUTHORS,
        )
    }

    /// Review -> draft, for more work (analysts and diplomats).
    pub fn return_to_draft(&self, p: &Principal, id: i64) -> Result<(), BriefsError> {
        self.transition(p, id, State::Draft, "returning a brief to draft", AUTHORS)
    }

    /// Draft or decided -> archived (diplomats and admins).
    pub fn archive(&self, p: &Principal, id: i64) -> Result<(), BriefsError> {
        self.transition(p, id, State::Archived, "archiving a brief", ARCHIVERS)
    }

    /// Records a diplomat's decision on a brief in review: an option (0-based) or none of them,
    /// with a written rationale (required). The brief is immutable afterwards.
    ///
    /// Checked in this order: readable (`NotFound`), diplomat (`Forbidden`), rationale
    /// (`EmptyRationale`), in review (`InvalidTransition`), option exists (`BadOption`).
    pub fn decide(
        &self,
        p: &Principal,
        id: i64,
        decision: Decision,
        rationale: &str,
    ) -> Result<(), BriefsError> {
        let row = self.visible_row(p, id, "deciding")?;
        access::require(p, "deciding a brief", DECIDERS)?;
        validate::rationale(rationale)?;
        if !row.state.can_become(State::Decided) {
            return Err(BriefsError::InvalidTransition {
                id,
                from: row.state,
                to: State::Decided,
            });
        }
        let body = self.open_body(&row)?;
        let (kind, option) = match decision {
            Decision::Choose { option_index } if option_index < body.options.len() => {
                ("choose", Some(option_index as i64))
            }
            Decision::Choose { option_index } => {
                return Err(BriefsError::BadOption {
                    index: option_index,
                    options: body.options.len(),
                });
            }
            Decision::RejectAll => ("reject-all", None),
        };
        let sealed = codec::seal(
            &self.ring(),
            row.classification,
            id,
            Field::Rationale,
            rationale.as_bytes(),
        )?;
        let now = self.now();
        let mut event = AuditEvent::new(actor(p), Action::DECISION)
            .on(&brief_object(id), classification(row.classification))
            .detail("decision", kind);
        if let Some(i) = option {
            event = event.detail("option", i.to_string());
        }
        self.audited_update(&event, "recording a decision", |tx| {
            self.bump(tx, id, row.revision, now)?;
            tx.execute(
                "UPDATE brief_briefs SET state = 'decided', decision = ?2, decision_option = ?3, decided_by = ?4, \
                 decided_at = ?5, rationale = ?6 WHERE id = ?1",
                params![id, kind, option, actor(p), now, sealed],
            )
            .db(&self.db.path, "recording a decision")?;
            self.record_transition(tx, id, Some(row.state), State::Decided, actor(p), now)
        })
    }

    /// Like [`Briefs::decide`], but a draft is accepted too: every check of `decide` runs first
    /// (readable, diplomat, rationale, option), and only then is a draft submitted for review
    /// by the deciding diplomat and decided. Both steps are recorded (history and audit log).
    /// For API clients that create and decide in one go; nothing changes when a check fails.
    pub fn submit_and_decide(
        &self,
        p: &Principal,
        id: i64,
        decision: Decision,
        rationale: &str,
    ) -> Result<(), BriefsError> {
        let row = self.visible_row(p, id, "deciding")?;
        access::require(p, "deciding a brief", DECIDERS)?;
        validate::rationale(rationale)?;
        if row.state != State::Draft {
            return self.decide(p, id, decision, rationale);
        }
        if let Decision::Choose { option_index } = decision {
            let n = self.open_body(&row)?.options.len();
            if option_index >= n {
                return Err(BriefsError::BadOption {
                    index: option_index,
                    options: n,
                });
            }
        }
        self.transition(
            p,
            id,
            State::Review,
            "submitting a brief for review",
            DECIDERS,
        )?;
        self.decide(p, id, decision, rationale)
    }

    /// A new draft amending a decided or archived brief, linked to it. The amendment is at
    /// least as classified as the original.
    pub fn amend(&self, p: &Principal, id: i64, new: &NewBrief) -> Result<i64, BriefsError> {
        let row = self.visible_row(p, id, "amending")?;
        access::require(p, "amending a brief", AUTHORS)?;
        if !matches!(row.state, State::Decided | State::Archived) {
            return Err(BriefsError::Invalid {
                field: "amends",
                reason: format!(
                    "brief {id} is {}: only decided or archived briefs are amended (edit a draft instead)",
                    row.state
                ),
            });
        }
        if new.classification < row.classification {
            return Err(BriefsError::Invalid {
                field: "classification",
                reason: format!(
                    "an amendment of a {} brief must be {} or above",
                    row.classification, row.classification
                ),
            });
        }
        self.create_inner(p, new, Some(id))
    }

    /// Adds an evidence item to a draft; returns its id.
    pub fn add_evidence(
        &self,
        p: &Principal,
        id: i64,
        evidence: &NewEvidence,
    ) -> Result<i64, BriefsError> {
        let row = self.draft_row(p, id, "adding evidence")?;
        validate::evidence(evidence)?;
        let plain = codec::evidence_to_bytes(evidence);
        let now = self.now();
        self.audited_insert(
            "adding evidence",
            |tx| {
                self.bump(tx, id, row.revision, now)?;
                tx.execute(
                    "INSERT INTO brief_evidence (brief_id, added_by, added_at, body) VALUES (?1, ?2, ?3, x'')",
                    params![id, actor(p), now],
                )
                .db(&self.db.path, "adding evidence")?;
                let eid = tx.last_insert_rowid();
                let stored = codec::seal(&self.ring(), row.classification, id, Field::Evidence(eid), &plain)?;
                tx.execute("UPDATE brief_evidence SET body = ?2 WHERE id = ?1", params![eid, stored])
                    .db(&self.db.path, "adding evidence")?;
                let e = change_event(p, id, row.classification, "evidence")
                    .detail("evidence", eid.to_string())
                    .detail("kind", evidence.kind.as_str());
                Ok((eid, e))
            },
        )
    }

    /// Attaches a document to a draft; returns its id. Its classification may be above the
    /// brief's (never above the author's clearance); it is sealed unless both are public.
    pub fn attach_document(
        &self,
        p: &Principal,
        id: i64,
        doc: &NewDocument,
    ) -> Result<i64, BriefsError> {
        let row = self.draft_row(p, id, "attaching a document")?;
        access::may_mark(p, doc.classification)?;
        validate::document(doc)?;
        let level = row.classification.max(doc.classification);
        let meta = codec::doc_meta_to_bytes(&DocMeta {
            name: doc.name.clone(),
            media_type: doc.media_type.clone(),
        });
        let now = self.now();
        self.audited_insert(
            "attaching a document",
            |tx| {
                self.bump(tx, id, row.revision, now)?;
                tx.execute(
                    "INSERT INTO brief_documents (brief_id, classification, size, added_by, added_at, meta, content) \
                     VALUES (?1, ?2, ?3, ?4, ?5, x'', x'')",
                    params![id, doc.classification.as_str(), doc.content.len() as i64, actor(p), now],
                )
                .db(&self.db.path, "attaching a document")?;
                let did = tx.last_insert_rowid();
                let ring = self.ring();
                let m = codec::seal(&ring, level, id, Field::DocumentMeta(did), &meta)?;
                let c = codec::seal(&ring, level, id, Field::DocumentContent(did), &doc.content)?;
                tx.execute("UPDATE brief_documents SET meta = ?2, content = ?3 WHERE id = ?1", params![did, m, c])
                    .db(&self.db.path, "attaching a document")?;
                let e = AuditEvent::new(actor(p), Action::BRIEF_CHANGE)
                    .on(&crate::audit::document_object(id, did), classification(level))
                    .detail("op", "document");
                Ok((did, e))
            },
        )
    }

    /// Adds a predicted outcome to option `option_index` (0-based) of a draft. The outcome must
    /// meet the predictor contract ([`PredictedOutcome::validate`]).
    pub fn add_prediction(
        &self,
        p: &Principal,
        id: i64,
        option_index: usize,
        outcome: PredictedOutcome,
    ) -> Result<(), BriefsError> {
        outcome.validate()?;
        let row = self.draft_row(p, id, "adding a prediction")?;
        let mut body = self.open_body(&row)?;
        let n = body.options.len();
        let option = body
            .options
            .get_mut(option_index)
            .ok_or(BriefsError::BadOption {
                index: option_index,
                options: n,
            })?;
        option.predictions.push(outcome);
        self.replace_body(p, &row, &body, "prediction")
    }

    /// Asks `predictor` and adds its outcome to option `option_index`; returns the outcome.
    pub fn predict_option(
        &self,
        p: &Principal,
        id: i64,
        option_index: usize,
        predictor: &dyn OutcomePredictor,
        query: &OutcomeQuery,
    ) -> Result<PredictedOutcome, BriefsError> {
        let outcome = predictor.predict(query)?;
        self.add_prediction(p, id, option_index, outcome.clone())?;
        Ok(outcome)
    }
}

fn action_op(to: State) -> &'static str {
    match to {
        State::Draft => "return",
        State::Review => "submit",
        State::Decided => "decide",
        State::Archived => "archive",
    }
}

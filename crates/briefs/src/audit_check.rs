//! Whether every brief's state has its audit entries: the check `attache audit verify` runs after
//! the log itself verifies.
//!
//! For each brief, its recorded history (`brief_transitions`, oldest first) must match the
//! state-changing entries on `brief:<id>` in the audit log, in order: `create` (or `amend`) for
//! the first state, then `submit`, `return`, `archive` (`brief.change` with that `op`) or a
//! `decision` for each later one; and the brief's current state must be its last transition's.
//! A brief without its `create` entry, a state without its transition entry, or an entry whose
//! change is not stored are all reported. Entries followed by a `brief.abort` (written by builds
//! before changes and entries shared one transaction) do not count.
//!
//! Both tables are read in one read transaction, so a change committing meanwhile (with its
//! entry) is seen whole or not at all. This reads the `audit_entries` table directly; the
//! entries' integrity is `attache_audit::AuditLog::verify`'s job.

use std::collections::BTreeMap;
use std::path::Path;

use crate::BriefsError;
use crate::db::DbResult;

/// A brief whose state does not match its audit entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub brief: i64,
    pub problem: String,
}

impl std::fmt::Display for Gap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "brief {}: {}", self.brief, self.problem)
    }
}

/// The audit entry a transition to `to` needs (`first`: the brief's first transition).
fn needed(to: &str, first: bool, amends: bool) -> &'static str {
    match (first, to) {
        (true, _) if amends => "amend",
        (true, _) => "create",
        (false, "review") => "submit",
        (false, "draft") => "return",
        (false, "decided") => "decision",
        (false, "archived") => "archive",
        _ => "unknown",
    }
}

/// Checks every brief in the database at `db_path` against the audit entries in the same file.
/// An empty list means every brief's state has its entries (and no database or no briefs table
/// means there is nothing to check).
pub fn check(db_path: &Path) -> Result<Vec<Gap>, BriefsError> {
    if !db_path.exists() {
        return Ok(Vec::new());
    }
    let p = db_path;
    let mut conn = attache_opsdb::open_read_only(p)?;
    let tx = conn.transaction().db(p, "starting the check")?;
    let tables: i64 = tx
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('brief_briefs', 'audit_entries')",
            [],
            |r| r.get(0),
        )
        .db(p, "looking for the tables")?;
    if tables < 2 {
        return Ok(Vec::new());
    }

    // What the audit log says happened to each brief, in order.
    let mut audited: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    {
        let mut stmt = tx
            .prepare("SELECT action, object, detail FROM audit_entries WHERE object LIKE 'brief:%' ORDER BY idx")
            .db(p, "reading audit entries")?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .db(p, "reading audit entries")?;
        for row in rows {
            let (action, object, detail) = row.db(p, "reading an audit entry")?;
            let Some(id) = object
                .strip_prefix("brief:")
                .and_then(|s| s.parse::<i64>().ok())
            else {
                continue; // documents (`brief:1/document:2`) and `brief:*`
            };
            let detail: BTreeMap<String, String> =
                serde_json::from_str(&detail).unwrap_or_default();
            let op = detail.get("op").map(String::as_str);
            let seq = audited.entry(id).or_default();
            match (action.as_str(), op) {
                (
                    "brief.change",
                    Some(op @ ("create" | "amend" | "submit" | "return" | "archive")),
                ) => seq.push(op.to_string()),
                ("decision", _) => seq.push("decision".into()),
                ("brief.abort", _) => {
                    let aborted = match (detail.get("aborted").map(String::as_str), op) {
                        (Some("decision"), _) => Some("decision"),
                        (Some("brief.change"), Some(op)) => Some(op),
                        _ => None,
                    };
                    if let Some(a) = aborted
                        && let Some(i) = seq.iter().rposition(|s| s == a)
                    {
                        seq.remove(i);
                    }
                }
                _ => {}
            }
        }
    }

    // What the briefs tables hold.
    let mut history: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    {
        let mut stmt = tx
            .prepare("SELECT brief_id, to_state FROM brief_transitions ORDER BY id")
            .db(p, "reading transitions")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
            .db(p, "reading transitions")?;
        for row in rows {
            let (id, to) = row.db(p, "reading a transition")?;
            history.entry(id).or_default().push(to);
        }
    }
    let mut gaps = Vec::new();
    let mut stmt = tx
        .prepare("SELECT id, state, amends IS NOT NULL FROM brief_briefs ORDER BY id")
        .db(p, "reading briefs")?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })
        .db(p, "reading briefs")?;
    let mut seen = std::collections::BTreeSet::new();
    for row in rows {
        let (id, state, amends) = row.db(p, "reading a brief")?;
        seen.insert(id);
        let gap = |problem: String| Gap { brief: id, problem };
        let states = history.get(&id).cloned().unwrap_or_default();
        if states.last() != Some(&state) {
            gaps.push(gap(format!(
                "its state is {state} but its recorded history ends in {}",
                states.last().map_or("nothing", String::as_str)
            )));
            continue;
        }
        let want: Vec<&str> = states
            .iter()
            .enumerate()
            .map(|(i, to)| needed(to, i == 0, amends))
            .collect();
        let got: Vec<&str> = audited
            .get(&id)
            .map(|v| v.iter().map(String::as_str).collect())
            .unwrap_or_default();
        if want != got {
            let at = want.iter().zip(&got).take_while(|(a, b)| a == b).count();
            gaps.push(gap(match (want.get(at), got.get(at)) {
                (Some(w), None) => format!(
                    "its state {} has no `{w}` audit entry (the entries stop after {at} of {} changes)",
                    states[at],
                    want.len()
                ),
                (None, Some(g)) => format!(
                    "the audit log records a `{g}` that its stored history lacks (after {at} changes)"
                ),
                (Some(w), Some(g)) => format!(
                    "change {} is `{w}` in its history but `{g}` in the audit log",
                    at + 1
                ),
                (None, None) => unreachable!("the sequences differ"),
            }));
        }
    }
    for id in audited.keys().filter(|id| !seen.contains(id)) {
        if !audited[id].is_empty() {
            gaps.push(Gap {
                brief: *id,
                problem: "the audit log records changes of a brief that is not stored".into(),
            });
        }
    }
    Ok(gaps)
}

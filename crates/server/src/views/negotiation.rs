//! `/negotiate/{id}` and `/negotiate/{id}/proposal`: a negotiation's positions tracker
//! (`attache_negotiation::tracker`) as analysts last left it, and the settlement proposals it
//! supports. A tracker's current state is its latest stored version
//! (`attache_opsdb::negotiations`, in `<data-dir>/attache.db`), or its built-in seed if it was
//! never edited. An edit is the whole document rewritten with one position changed, stored
//! with its audit entry in one transaction.
//!
//! This module is the view: reading, editing and the one table per view its pages, downloads
//! and API share; `pages::negotiation` renders them.

use std::path::PathBuf;

use attache_negotiation::tracker::{Position, Proposals, SensitivityPoint, Tracker};
use attache_opsdb::negotiations::{Negotiations, SaveError, Version};
use serde_json::json;

use crate::AppState;
use crate::download::{Column, Table};
use crate::error::AppError;
use crate::params::Params;

/// Parameters of the tracker view.
pub const KNOWN_TRACKER: [&str; 1] = ["format"];
/// Parameters of the proposal view.
pub const KNOWN_PROPOSAL: [&str; 3] = ["parties", "vary", "format"];

pub use attache_negotiation::tracker::seeds;
pub use attache_store::trackers::CurrentTracker as Current;

fn db(state: &AppState) -> PathBuf {
    state.config.data_dir.join("attache.db")
}

/// The tracker `id` as it stands (`attache_store::trackers`), read on a blocking thread.
pub async fn current(state: &AppState, id: &str) -> Result<Current, AppError> {
    let (dir, key) = (state.config.data_dir.clone(), id.to_string());
    tokio::task::spawn_blocking(move || attache_store::trackers::current(&dir, &key))
        .await
        .map_err(AppError::internal)?
        .map_err(|e| match e {
            e @ attache_store::trackers::TrackerReadError::Unknown(..) => {
                AppError::NotFound(e.to_string())
            }
            e => AppError::internal(e),
        })
}

/// An analyst's edit of one position, as the form sends it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct PositionEdit {
    pub actor: String,
    pub issue: String,
    /// Support per option, comma-separated, 0 to 1.
    pub support: String,
    pub weight: String,
    /// Option numbers (1-based) the actor rejects outright, comma-separated; may be empty.
    #[serde(default)]
    pub red_lines: String,
    pub source: String,
    pub date: String,
    #[serde(default)]
    pub note: String,
}

fn number(what: &str, s: &str) -> Result<f64, AppError> {
    s.trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| AppError::Unprocessable(format!("{what} {:?} is not a number", s.trim())))
}

impl PositionEdit {
    /// The position this edit states (checked against the tracker when applied).
    pub fn position(&self) -> Result<Position, AppError> {
        let support = self
            .support
            .split(',')
            .map(|s| number("support", s))
            .collect::<Result<Vec<_>, _>>()?;
        let red_lines = self
            .red_lines
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<usize>()
                    .ok()
                    .filter(|n| *n >= 1)
                    .map(|n| n - 1)
                    .ok_or_else(|| {
                        AppError::Unprocessable(format!(
                            "red line {s:?} is not an option number (1, 2, ...)"
                        ))
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Position {
            actor: self.actor.trim().to_string(),
            issue: self.issue.trim().to_string(),
            support,
            weight: number("weight", &self.weight)?,
            red_lines,
            source: self.source.trim().to_string(),
            date: self.date.trim().to_string(),
        })
    }
}

/// What an edit changed, in words.
fn describe(before: Option<&Position>, after: &Position) -> String {
    let fmt = |p: &Position| {
        format!(
            "support {}, weight {}, red lines [{}], source {:?} ({})",
            p.support
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join("/"),
            p.weight,
            p.red_lines
                .iter()
                .map(|r| (r + 1).to_string())
                .collect::<Vec<_>>()
                .join(","),
            p.source,
            p.date
        )
    };
    match before {
        Some(b) => format!(
            "{} on {}: {} -> {}",
            after.actor,
            after.issue,
            fmt(b),
            fmt(after)
        ),
        None => format!("{} on {}: new, {}", after.actor, after.issue, fmt(after)),
    }
}

/// Applies `edit` to tracker `id` as `who`, storing the new version and its audit entry
/// together. Returns the stored version.
pub async fn edit(
    state: &AppState,
    id: &str,
    who: &str,
    at: &str,
    edit: PositionEdit,
) -> Result<Version, AppError> {
    let Some((log, _)) = state.audit_log() else {
        return Err(AppError::NoData(
            "the deployment has no audit keys yet (attache keys init): a tracker edit must be on the record".into(),
        ));
    };
    let mut c = current(state, id).await?;
    let position = edit.position()?;
    let before = c
        .tracker
        .set_position(position.clone())
        .map_err(|e| AppError::Unprocessable(e.to_string()))?;
    let change = describe(before.as_ref(), &position);
    let doc = c.tracker.to_json();
    let (p, key, who, at, note) = (
        db(state),
        id.to_string(),
        who.to_string(),
        at.to_string(),
        edit.note.clone(),
    );
    tokio::task::spawn_blocking(move || -> Result<Version, AppError> {
        let mut n = Negotiations::open(&p).map_err(AppError::internal)?;
        let audit_change = change.clone();
        let v = n
            .save(&key, &doc, &change, &who, &at, &note, |tx, seq| {
                let action = attache_audit::Action::new("negotiation.position")
                    .map_err(|e| e.to_string())?;
                let event =
                    attache_audit::AuditEvent::new(&attache_audit::user_actor(&who), action)
                        .on(
                            &format!("negotiation:{key}"),
                            attache_audit::Classification::Public,
                        )
                        .detail("version", seq.to_string())
                        .detail("change", &audit_change)
                        .detail("note", note.trim());
                attache_briefs::audit::AuditSink::append_in(&log, tx, &event)
                    .map_err(|e| e.to_string())
            })
            .map_err(|e| match e {
                SaveError::NoteRequired | SaveError::NoteTooLong | SaveError::TooLarge => {
                    AppError::Unprocessable(e.to_string())
                }
                e => AppError::internal(e),
            })?;
        attache_briefs::audit::AuditSink::committed(&log)
            .map_err(|e| AppError::internal(format!("audit log: {e}")))?;
        Ok(v)
    })
    .await
    .map_err(AppError::internal)?
}

/// The tracker view's table: one row per stated position.
pub fn positions_table(t: &Tracker, version: Option<&Version>) -> Table {
    let meta = json!({
        "view": "negotiation positions", "permalink": format!("/negotiate/{}", t.id),
        "negotiation": t.title, "description": t.description,
        "version": version.map(|v| v.seq), "edited_at": version.map(|v| v.at.clone()),
        "support": "0 (opposes) to 1 (preferred), per option in the issue's order; an analyst's coding of the cited source",
        "issues": t.issues.iter().map(|i| json!({"key": i.key, "name": i.name, "options": i.options, "status_quo": i.options[i.status_quo]})).collect::<Vec<_>>(),
    });
    let rows: Vec<(
        &Position,
        &attache_negotiation::tracker::Actor,
        &attache_negotiation::tracker::Issue,
    )> = t
        .actors
        .iter()
        .flat_map(|a| {
            t.issues
                .iter()
                .filter_map(move |i| t.position(&a.key, &i.key).map(|p| (p, a, i)))
        })
        .collect();
    let text = |f: &dyn Fn(
        &(
            &Position,
            &attache_negotiation::tracker::Actor,
            &attache_negotiation::tracker::Issue,
        ),
    ) -> String| { Column::Text(rows.iter().map(|r| Some(f(r))).collect()) };
    Table::new(format!("attache-negotiation-{}", t.id), meta)
        .with("actor", text(&|(_, a, _)| a.key.clone()))
        .with("actor_name", text(&|(_, a, _)| a.name.clone()))
        .with("kind", text(&|(_, a, _)| a.kind.label().to_string()))
        .with("party", text(&|(_, a, _)| a.party.to_string()))
        .with("issue", text(&|(_, _, i)| i.key.clone()))
        .with("preferred", text(&|(p, _, i)| preferred(p, i)))
        .with(
            "support",
            text(&|(p, _, _)| {
                p.support
                    .iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>()
                    .join("/")
            }),
        )
        .with(
            "weight",
            Column::Float(rows.iter().map(|(p, _, _)| Some(p.weight)).collect()),
        )
        .with(
            "red_lines",
            text(&|(p, _, i)| {
                p.red_lines
                    .iter()
                    .map(|r| i.options[*r].clone())
                    .collect::<Vec<_>>()
                    .join("; ")
            }),
        )
        .with("source", text(&|(p, _, _)| p.source.clone()))
        .with("date", text(&|(p, _, _)| p.date.clone()))
}

/// The option(s) an actor supports most on an issue.
pub fn preferred(p: &Position, i: &attache_negotiation::tracker::Issue) -> String {
    let top = p.support.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    i.options
        .iter()
        .zip(&p.support)
        .filter(|(_, s)| **s == top)
        .map(|(o, _)| o.clone())
        .collect::<Vec<_>>()
        .join(" or ")
}

/// The proposal view's query.
#[derive(Debug, Clone)]
pub struct ProposalQuery {
    pub parties: Vec<String>,
    /// The actor and issue whose weight the sensitivity sweep varies.
    pub vary: (String, String),
}

impl ProposalQuery {
    pub fn parse(params: &Params, t: &Tracker) -> Result<ProposalQuery, AppError> {
        let parties: Vec<String> = match params.get("parties") {
            Some(s) => s
                .split(',')
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty())
                .collect(),
            None => t.default_parties(),
        };
        for p in &parties {
            t.actor(p)
                .map_err(|e| AppError::BadRequest(format!("parties={p}: {e}")))?;
        }
        let vary = match params.get("vary") {
            Some(v) => {
                let (a, i) = v
                    .split_once(':')
                    .ok_or_else(|| AppError::BadRequest(format!("vary={v}: write ACTOR:ISSUE")))?;
                if t.position(a, i).is_none() {
                    return Err(AppError::BadRequest(format!(
                        "vary={v}: {a} has no stated position on {i}"
                    )));
                }
                (a.to_string(), i.to_string())
            }
            None => {
                let first = parties
                    .iter()
                    .find_map(|a| t.issues.iter().find_map(|i| t.position(a, &i.key)))
                    .ok_or_else(|| AppError::BadRequest("no party has a stated position".into()))?;
                (first.actor.clone(), first.issue.clone())
            }
        };
        Ok(ProposalQuery { parties, vary })
    }

    pub fn permalink(&self, id: &str) -> String {
        format!(
            "/negotiate/{id}/proposal?parties={}&vary={}:{}",
            self.parties.join(","),
            self.vary.0,
            self.vary.1
        )
    }
}

/// The weights the sensitivity sweep tries.
pub const SWEEP: [f64; 11] = [
    0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0,
];

/// The proposals and the sensitivity sweep for a query.
pub fn proposals(
    t: &Tracker,
    q: &ProposalQuery,
) -> Result<(Proposals, Vec<SensitivityPoint>), AppError> {
    let p = t
        .proposals(&q.parties)
        .map_err(|e| AppError::Unprocessable(e.to_string()))?;
    let s = t
        .sensitivity(&q.parties, &q.vary.0, &q.vary.1, &SWEEP)
        .map_err(|e| AppError::Unprocessable(e.to_string()))?;
    Ok((p, s))
}

/// The proposal view's table: one row per package that respects the parties' red lines.
pub fn proposal_table(t: &Tracker, q: &ProposalQuery, p: &Proposals) -> Table {
    let chosen = p.max_min.as_ref().map(|m| m.package);
    let meta = json!({
        "view": "negotiation proposals", "permalink": q.permalink(&t.id),
        "negotiation": t.title, "parties": p.parties, "holdouts": p.holdouts,
        "excluded_by_red_lines": p.excluded.len(),
        "proposal": p.max_min.as_ref().map(|m| m.package_name.clone()),
        "criterion": "maximise the minimum normalised gain: each party's gain over the status quo as a share of its best possible gain; the package whose worst-off party gains most",
        "acceptability": p.acceptability(),
        "reading": "utilities are computed from coded positions; a reference for negotiators, not a prediction of any vote",
    });
    let n = p.packages.len();
    let on_pareto: Vec<bool> = (0..n).map(|k| p.pareto.packages.contains(&k)).collect();
    let mut table = Table::new(format!("attache-proposals-{}", t.id), meta)
        .with(
            "package",
            Column::Text(p.packages.iter().map(|k| Some(k.name.clone())).collect()),
        )
        .with(
            "proposed",
            Column::Text(
                (0..n)
                    .map(|k| Some((Some(k) == chosen).to_string()))
                    .collect(),
            ),
        )
        .with(
            "pareto_optimal",
            Column::Text(on_pareto.iter().map(|b| Some(b.to_string())).collect()),
        );
    if let Some(m) = &p.max_min {
        table = table.with(
            "min_gain",
            Column::Float(m.min_gain_by_package.iter().map(|g| Some(*g)).collect()),
        );
    }
    for (j, party) in p.parties.iter().enumerate() {
        table = table.with(
            &format!("utility_{party}"),
            Column::Float(p.utility[j].iter().map(|u| Some(*u)).collect()),
        );
    }
    table
}

/// Parameters of the voting-power view.
pub const KNOWN_POWER: [&str; 7] = [
    "game",
    "quota",
    "weights",
    "names",
    "without",
    "coalition",
    "format",
];

/// The voting-power calculator: a game, its exact power, and optionally a member leaving
/// and the smallest winning coalitions with a member.
pub struct PowerView {
    pub game: attache_negotiation::Game,
    /// The weights as written, when decimals were scaled.
    pub shown: Option<Vec<f64>>,
    pub power: attache_negotiation::Power,
    pub without: Option<(String, attache_negotiation::WhatIf)>,
    pub coalitions: Option<attache_negotiation::CoalitionSearch>,
    pub permalink: String,
}

/// Coalitions listed at most, and the search's node budget (bounds one request's work).
const COALITIONS: usize = 10;
const NODE_BUDGET: u64 = 2_000_000;

/// Reads the game from the query (`game=unsc|eu-council`, or `quota` and `weights` with
/// optional `names`; the UN Security Council when none is given) and computes on the work
/// pool.
pub async fn power(state: &AppState, params: &Params) -> Result<PowerView, AppError> {
    use attache_negotiation::{Game, presets};
    let get = |k: &str| params.get(k).map(str::to_string);
    let (game_name, quota, weights, names, without, coalition) = (
        get("game"),
        get("quota"),
        get("weights"),
        get("names"),
        get("without"),
        get("coalition"),
    );
    let mut q: Vec<String> = Vec::new();
    let (game, shown) = match (&game_name, &quota, &weights) {
        (Some(g), None, None) => {
            q.push(format!("game={g}"));
            match g.as_str() {
                "unsc" => (Game::un_security_council(), None),
                "eu-council" => (presets::eu_council_2024(), None),
                other => {
                    return Err(AppError::BadRequest(format!(
                        "game={other}: unsc or eu-council"
                    )));
                }
            }
        }
        (None, Some(qu), Some(w)) => {
            q.push(format!(
                "quota={}&weights={}",
                super::enc(qu),
                super::enc(w)
            ));
            if let Some(n) = &names {
                q.push(format!("names={}", super::enc(n)));
            }
            presets::weighted_from_text(qu, w, names.as_deref())
                .map_err(|e| AppError::BadRequest(e.to_string()))?
        }
        (None, None, None) => {
            q.push("game=unsc".into());
            (Game::un_security_council(), None)
        }
        _ => {
            return Err(AppError::BadRequest(
                "give game=unsc|eu-council, or quota and weights (with optional names), not both"
                    .into(),
            ));
        }
    };
    let index = |who: &str, what: &str| {
        game.members()
            .iter()
            .position(|m| m == who)
            .ok_or_else(|| AppError::BadRequest(format!("{what}={who}: not a member")))
    };
    let leaving = match &without {
        Some(w) => {
            q.push(format!("without={}", super::enc(w)));
            Some((w.clone(), index(w, "without")?))
        }
        None => None,
    };
    let with = match &coalition {
        Some(c) => {
            q.push(format!("coalition={}", super::enc(c)));
            Some(index(c, "coalition")?)
        }
        None => None,
    };
    let permalink = format!("/votes/power?{}", q.join("&"));
    state
        .work
        .run(move || {
            let refuse =
                |e: attache_negotiation::PowerError| AppError::Unprocessable(e.to_string());
            let power = attache_negotiation::exact_power(&game).map_err(refuse)?;
            let without = match leaving {
                Some((name, i)) => {
                    let after = game
                        .without_member(i)
                        .map_err(|e| AppError::Unprocessable(format!("without={name}: {e}")))?;
                    let w = attache_negotiation::what_if(&game, &after, &format!("{name} leaves"))
                        .map_err(refuse)?;
                    Some((name, w))
                }
                None => None,
            };
            let coalitions = match with {
                Some(i) => Some(
                    attache_negotiation::smallest_winning_coalitions(
                        &game,
                        i,
                        attache_negotiation::SearchOptions {
                            limit: COALITIONS,
                            require_actor_critical: false,
                            node_budget: NODE_BUDGET,
                        },
                    )
                    .map_err(refuse)?,
                ),
                None => None,
            };
            Ok(PowerView {
                game,
                shown,
                power,
                without,
                coalitions,
                permalink,
            })
        })
        .await
}

/// The voting-power view's table: the columns of `attache votes power` (member, weight,
/// shapley_shubik, banzhaf), and the power after a member leaves when one does.
pub fn power_table(v: &PowerView) -> Table {
    let rows = v.power.rows();
    let meta = json!({
        "view": "voting power", "permalink": v.permalink, "game": v.game.describe(),
        "method": v.power.method,
        "shapley_shubik": "the share of orderings in which the member's vote turns a losing coalition into a winning one",
        "banzhaf": "normalised: the member's swings over all members' swings",
        "what_if": v.without.as_ref().map(|(n, _)| format!("{n} leaves")),
    });
    let weight = match &v.shown {
        Some(w) => Column::Float(w.iter().map(|x| Some(*x)).collect()),
        None => Column::Int(rows.iter().map(|r| Some(r.weight as i64)).collect()),
    };
    let mut t = Table::new("attache-voting-power".to_string(), meta)
        .with(
            "member",
            Column::Text(rows.iter().map(|r| Some(r.member.to_string())).collect()),
        )
        .with("weight", weight)
        .with(
            "shapley_shubik",
            Column::Float(rows.iter().map(|r| Some(r.shapley_shubik)).collect()),
        )
        .with(
            "banzhaf",
            Column::Float(rows.iter().map(|r| Some(r.banzhaf)).collect()),
        );
    if let Some((_, w)) = &v.without {
        let after =
            |m: &str, f: &dyn Fn(&attache_negotiation::whatif::PowerChange) -> Option<f64>| {
                w.changes.iter().find(|c| c.member == m).and_then(f)
            };
        t = t
            .with(
                "shapley_shubik_after",
                Column::Float(
                    rows.iter()
                        .map(|r| after(r.member, &|c| c.shapley_shubik_after))
                        .collect(),
                ),
            )
            .with(
                "banzhaf_after",
                Column::Float(
                    rows.iter()
                        .map(|r| after(r.member, &|c| c.banzhaf_after))
                        .collect(),
                ),
            );
    }
    t
}

/// Parameters of the agreement view.
pub const KNOWN_AGREEMENT: [&str; 3] = ["with", "year", "format"];

/// One year's UN General Assembly votes, and the span of years the record covers.
pub struct YearVotes {
    pub span: (i32, i32),
    pub year: i32,
    pub votes: Vec<attache_negotiation::Vote>,
}

/// The coalition map: agreement of every state with one state in one year.
pub struct AgreementView {
    pub with: String,
    pub year: i32,
    pub span: (i32, i32),
    /// Highest agreement first.
    pub rows: Vec<attache_negotiation::Agreement>,
    pub permalink: String,
}

/// Reads `with` (any code or name; default USA) and `year` (default the last year of the
/// record); the year's votes are read once per vintage and year.
pub async fn agreement(state: &AppState, params: &Params) -> Result<AgreementView, AppError> {
    let with_q = params.get("with").unwrap_or("USA");
    let cw = attache_core::Crosswalk::global();
    let with = match cw.get(&with_q.to_ascii_uppercase()) {
        Some(_) => with_q.to_ascii_uppercase(),
        None => cw
            .find(with_q)
            .map_err(|e| AppError::BadRequest(format!("with={with_q}: {e}")))?
            .iso3
            .clone(),
    };
    let year: Option<i32> = match params.get("year") {
        Some(y) => Some(
            y.parse()
                .map_err(|_| AppError::BadRequest(format!("year={y}: not a year")))?,
        ),
        None => None,
    };
    let v = state.vintage()?;
    let key = format!("{}/{}", v.id, year.map_or("last".into(), |y| y.to_string()));
    let hit = state
        .vote_years
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&key);
    let votes = match hit {
        Some(v) => v,
        None => {
            let span = attache_store::votes_inputs::vote_years(&v)
                .await
                .map_err(|e| AppError::NoData(e.to_string()))?;
            let year = year.unwrap_or(span.1);
            if !(span.0..=span.1).contains(&year) {
                return Err(AppError::BadRequest(format!(
                    "year={year}: the UN votes cover {} to {}",
                    span.0, span.1
                )));
            }
            let mut by = attache_store::votes_inputs::votes_by_year(&v, Some(year))
                .await
                .map_err(AppError::internal)?;
            let votes = by.remove(&year).unwrap_or_default();
            crate::climate::cached(&state.work, &state.vote_years, key, move || {
                Ok(YearVotes { span, year, votes })
            })
            .await?
        }
    };
    let rows = attache_negotiation::agreement_with(&votes.votes, &with);
    if rows.is_empty() {
        return Err(AppError::NotFound(format!(
            "{with} cast no vote in {} (the USSR is SUN before 1992, Yugoslavia YUG)",
            votes.year
        )));
    }
    Ok(AgreementView {
        permalink: format!("/votes/agreement?with={with}&year={}", votes.year),
        with,
        year: votes.year,
        span: votes.span,
        rows,
    })
}

/// The agreement view's table: the columns of `attache votes agreement`.
pub fn agreement_table(a: &AgreementView) -> Table {
    let meta = json!({
        "view": "agreement in UN General Assembly votes", "permalink": a.permalink,
        "with": a.with, "year": a.year,
        "formula": "mean over the roll calls both states took part in of 1 - |x - y|, with yes = 1, abstain = 0.5, no = 0; absences and non-membership are not votes",
    });
    let n = a.rows.len();
    Table::new("attache-agreement".to_string(), meta)
        .with("iso3", Column::Text(vec![Some(a.with.clone()); n]))
        .with("year", Column::Int(vec![Some(i64::from(a.year)); n]))
        .with(
            "other",
            Column::Text(a.rows.iter().map(|r| Some(r.b.clone())).collect()),
        )
        .with(
            "agreement",
            Column::Float(a.rows.iter().map(|r| Some(r.score)).collect()),
        )
        .with(
            "roll_calls",
            Column::Int(a.rows.iter().map(|r| Some(r.roll_calls as i64)).collect()),
        )
}

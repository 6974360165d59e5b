//! A positions tracker for one negotiation, and the settlement proposals it supports.
//!
//! A [`Tracker`] holds the issues on the table (each with its options, one of them the status
//! quo: what holds if there is no agreement), the actors of every kind (states, blocs,
//! international organisations, companies, NGOs, academia), and each actor's stated position
//! on each issue: a support score from 0 to 1 for every option, a priority weight, the options
//! it rejects outright (red lines), and the public source and date the coding rests on.
//! Support scores and weights are an analyst's *coding* of a statement: a starting point to
//! argue over and edit, never a fact.
//!
//! **From positions to proposals** ([`Tracker::proposals`]). A package picks one option per
//! issue; every combination is a candidate (at most [`MAX_PACKAGES`]). An actor's utility for a
//! package is additive: its weights, normalised to add up to 1, times its support for the
//! options picked (an issue it has stated nothing on weighs 0). Its disagreement value is its
//! utility for the status-quo package. Then, among the chosen parties:
//!
//! - packages crossing any party's red line are set aside, each with the party it crosses;
//! - a party for which no remaining package beats the status quo cannot gain from any deal:
//!   it is named as a *holdout* and left out of the fairness criteria (no proposal can give it a
//!   gain; the others' proposal still shows what it would get);
//! - the **maximum-minimum-gain** package among the rest ([`settle::packages`]), the
//!   **Pareto frontier** of the remaining packages, and for exactly two parties the **Nash**
//!   and **Kalai-Smorodinsky** points over the packages' utility pairs and **Adjusted Winner**
//!   over the issues taken as divisible (each party's weights as 100 points);
//! - the proposal's **acceptability**: the actors (all of them, parties or not) whose utility
//!   for it is at least their status-quo utility. A reference figure from the coded positions,
//!   not a forecast of how anyone will vote.
//!
//! **Sensitivity** ([`Tracker::sensitivity`]): the proposal recomputed as one actor's weight on
//! one issue runs from 0 to 100, so a reader sees where it would change.

use serde::{Deserialize, Serialize};

use crate::error::SettleError;
use crate::settle::adjusted_winner::{AdjustedWinner, adjusted_winner};
use crate::settle::bargaining::{BargainingProblem, BargainingSolution, Point2};
use crate::settle::packages::{AdditiveValuation, MaxMinGain, PackageTable, max_min_gain};
use crate::settle::pareto::{ParetoFrontier, pareto_frontier};

/// The most candidate packages a tracker may generate (the product of its issues' options).
pub const MAX_PACKAGES: usize = 4096;

/// What kind of actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    State,
    Bloc,
    InternationalOrganisation,
    Company,
    Ngo,
    Academia,
}

impl ActorKind {
    /// Every kind, in display order.
    pub const ALL: [ActorKind; 6] = [
        ActorKind::State,
        ActorKind::Bloc,
        ActorKind::InternationalOrganisation,
        ActorKind::Company,
        ActorKind::Ngo,
        ActorKind::Academia,
    ];

    /// The kind in words.
    pub fn label(self) -> &'static str {
        match self {
            ActorKind::State => "state",
            ActorKind::Bloc => "bloc",
            ActorKind::InternationalOrganisation => "international organisation",
            ActorKind::Company => "company",
            ActorKind::Ngo => "NGO",
            ActorKind::Academia => "academia",
        }
    }
}

/// One issue on the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    /// Short identifier (letters, digits, `-`, `_`).
    pub key: String,
    pub name: String,
    pub options: Vec<String>,
    /// The option that holds without agreement.
    pub status_quo: usize,
}

/// One actor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Actor {
    /// Short identifier (an ISO3 code for a state).
    pub key: String,
    pub name: String,
    pub kind: ActorKind,
    /// A party at the table (its consent is needed), as opposed to a stakeholder who is heard.
    pub party: bool,
}

/// An actor's stated position on one issue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Position {
    pub actor: String,
    pub issue: String,
    /// Support for each option, 0 (opposes) to 1 (its preferred outcome).
    pub support: Vec<f64>,
    /// Priority weight, 0 to 100 (normalised over the actor's issues).
    pub weight: f64,
    /// Options the actor rejects outright.
    pub red_lines: Vec<usize>,
    /// The public record the coding rests on.
    pub source: String,
    /// The date of that record, `YYYY-MM-DD`.
    pub date: String,
}

/// A negotiation's issues, actors and positions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tracker {
    /// Short identifier, used in permalinks.
    pub id: String,
    pub title: String,
    pub description: String,
    pub issues: Vec<Issue>,
    pub actors: Vec<Actor>,
    pub positions: Vec<Position>,
}

/// Why a tracker or an edit was refused; each names what is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TrackerError {
    #[error("{what} {key:?}: a key is 1-40 letters, digits, '-' or '_', and unique")]
    BadKey { what: &'static str, key: String },
    #[error("issue {issue:?}: {why}")]
    BadIssue { issue: String, why: String },
    #[error("no actor {0:?}")]
    UnknownActor(String),
    #[error("no issue {0:?}")]
    UnknownIssue(String),
    #[error("{actor:?} on {issue:?}: {why}")]
    BadPosition {
        actor: String,
        issue: String,
        why: String,
    },
    #[error("{actor:?} has two positions on {issue:?}")]
    DuplicatePosition { actor: String, issue: String },
    #[error("the issues' options make {0} packages, more than the {MAX_PACKAGES} compared")]
    TooManyPackages(usize),
    #[error("{0}: name at least two parties, each with a stated position")]
    TooFewParties(String),
    #[error("no package is left once the parties' red lines are respected: {0}")]
    AllCrossRedLines(String),
    #[error(transparent)]
    Settle(#[from] SettleError),
}

fn key_ok(k: &str) -> bool {
    !k.is_empty()
        && k.len() <= 40
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn date_ok(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// The built-in trackers (seeds), each a tracker's state before any edit.
pub fn seeds() -> Vec<Tracker> {
    vec![Tracker::laws_ccw()]
}

/// A candidate package: one option per issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// `issue name: option` for every issue, joined by `; `.
    pub name: String,
    pub picks: Vec<usize>,
}

/// A package set aside because it crosses a party's red line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excluded {
    pub package: String,
    /// The parties whose red line it crosses.
    pub crosses: Vec<String>,
}

/// What the proposal means for one actor.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    pub actor: String,
    pub party: bool,
    /// Its utility for the proposal and for the status quo (0 to 1).
    pub utility: f64,
    pub status_quo: f64,
    /// Utility at least the status quo's, and no red line crossed.
    pub accepts: bool,
}

/// The settlement proposals for a set of parties, each with its criterion.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposals {
    pub parties: Vec<String>,
    /// Every candidate package that respects the parties' red lines, in generation order.
    pub packages: Vec<Package>,
    /// `utility[party][package]`, parties in [`Proposals::parties`] order.
    pub utility: Vec<Vec<f64>>,
    /// Each party's status-quo utility.
    pub status_quo: Vec<f64>,
    pub excluded: Vec<Excluded>,
    /// Parties no remaining package moves above the status quo.
    pub holdouts: Vec<String>,
    /// The maximum-minimum-gain package among the parties that can gain (`None` if fewer than
    /// one can).
    pub max_min: Option<MaxMinGain>,
    pub pareto: ParetoFrontier,
    /// For exactly two parties that can gain: Nash, Kalai-Smorodinsky, Adjusted Winner.
    pub nash: Option<BargainingSolution>,
    pub kalai_smorodinsky: Option<BargainingSolution>,
    pub adjusted_winner: Option<AdjustedWinner>,
    /// Every actor's standing under the max-min proposal (empty without one).
    pub standings: Vec<Standing>,
}

impl Proposals {
    /// The share of actors (parties and stakeholders) who accept the max-min proposal.
    pub fn acceptability(&self) -> Option<f64> {
        if self.standings.is_empty() {
            return None;
        }
        let n = self.standings.iter().filter(|s| s.accepts).count();
        Some(n as f64 / self.standings.len() as f64)
    }
}

/// The proposal at one weight of the sensitivity sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct SensitivityPoint {
    pub weight: f64,
    /// The max-min package, or `None` if there is none at this weight.
    pub package: Option<String>,
    pub min_gain: Option<f64>,
}

impl Tracker {
    /// Reads a tracker from its JSON form and checks it.
    pub fn from_json(text: &str) -> Result<Tracker, String> {
        let t: Tracker = serde_json::from_str(text).map_err(|e| e.to_string())?;
        t.validate().map_err(|e| e.to_string())?;
        Ok(t)
    }

    /// The JSON form.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a tracker always serialises")
    }

    /// The seeded example: the talks on lethal autonomous weapon systems under the CCW, from
    /// public UN and stakeholder records (each position cites its source).
    pub fn laws_ccw() -> Tracker {
        Tracker::from_json(include_str!("../data/laws_ccw.json"))
            .expect("the seeded tracker is valid (checked by a test)")
    }

    /// Checks keys, options, positions and the package count.
    pub fn validate(&self) -> Result<(), TrackerError> {
        if !key_ok(&self.id) {
            return Err(TrackerError::BadKey {
                what: "tracker",
                key: self.id.clone(),
            });
        }
        let mut seen = std::collections::HashSet::new();
        for i in &self.issues {
            if !key_ok(&i.key) || !seen.insert(("issue", i.key.as_str())) {
                return Err(TrackerError::BadKey {
                    what: "issue",
                    key: i.key.clone(),
                });
            }
            if i.options.len() < 2 {
                return Err(TrackerError::BadIssue {
                    issue: i.key.clone(),
                    why: "needs at least two options".into(),
                });
            }
            if i.status_quo >= i.options.len() {
                return Err(TrackerError::BadIssue {
                    issue: i.key.clone(),
                    why: format!(
                        "status quo {} is not one of its {} options",
                        i.status_quo,
                        i.options.len()
                    ),
                });
            }
            if i.options.iter().any(|o| o.trim().is_empty()) {
                return Err(TrackerError::BadIssue {
                    issue: i.key.clone(),
                    why: "an option has no name".into(),
                });
            }
        }
        for a in &self.actors {
            if !key_ok(&a.key) || !seen.insert(("actor", a.key.as_str())) {
                return Err(TrackerError::BadKey {
                    what: "actor",
                    key: a.key.clone(),
                });
            }
        }
        let mut pairs = std::collections::HashSet::new();
        for p in &self.positions {
            self.check_position(p)?;
            if !pairs.insert((p.actor.as_str(), p.issue.as_str())) {
                return Err(TrackerError::DuplicatePosition {
                    actor: p.actor.clone(),
                    issue: p.issue.clone(),
                });
            }
        }
        self.package_count()?;
        Ok(())
    }

    fn issue(&self, key: &str) -> Result<(usize, &Issue), TrackerError> {
        self.issues
            .iter()
            .enumerate()
            .find(|(_, i)| i.key == key)
            .ok_or_else(|| TrackerError::UnknownIssue(key.to_string()))
    }

    /// The actor with `key`.
    pub fn actor(&self, key: &str) -> Result<&Actor, TrackerError> {
        self.actors
            .iter()
            .find(|a| a.key == key)
            .ok_or_else(|| TrackerError::UnknownActor(key.to_string()))
    }

    /// `actor`'s position on `issue`, if stated.
    pub fn position(&self, actor: &str, issue: &str) -> Option<&Position> {
        self.positions
            .iter()
            .find(|p| p.actor == actor && p.issue == issue)
    }

    fn check_position(&self, p: &Position) -> Result<(), TrackerError> {
        self.actor(&p.actor)?;
        let (_, issue) = self.issue(&p.issue)?;
        let bad = |why: String| TrackerError::BadPosition {
            actor: p.actor.clone(),
            issue: p.issue.clone(),
            why,
        };
        if p.support.len() != issue.options.len() {
            return Err(bad(format!(
                "{} support scores for {} options",
                p.support.len(),
                issue.options.len()
            )));
        }
        for (o, s) in p.support.iter().enumerate() {
            if !(s.is_finite() && (0.0..=1.0).contains(s)) {
                return Err(bad(format!(
                    "support {s} for {:?} is not between 0 and 1",
                    issue.options[o]
                )));
            }
        }
        if !(p.weight.is_finite() && (0.0..=100.0).contains(&p.weight)) {
            return Err(bad(format!("weight {} is not between 0 and 100", p.weight)));
        }
        if let Some(r) = p.red_lines.iter().find(|r| **r >= issue.options.len()) {
            return Err(bad(format!("red line {r} is not one of the options")));
        }
        if p.source.trim().is_empty() {
            return Err(bad("a position needs its source".into()));
        }
        if !date_ok(&p.date) {
            return Err(bad(format!("date {:?} is not YYYY-MM-DD", p.date)));
        }
        Ok(())
    }

    /// Sets (adds or replaces) a position, returning the one it replaced. The tracker is
    /// unchanged on error.
    pub fn set_position(&mut self, p: Position) -> Result<Option<Position>, TrackerError> {
        self.check_position(&p)?;
        match self
            .positions
            .iter_mut()
            .find(|q| q.actor == p.actor && q.issue == p.issue)
        {
            Some(q) => Ok(Some(std::mem::replace(q, p))),
            None => {
                self.positions.push(p);
                Ok(None)
            }
        }
    }

    fn package_count(&self) -> Result<usize, TrackerError> {
        let mut n: usize = 1;
        for i in &self.issues {
            n = n.saturating_mul(i.options.len());
            if n > MAX_PACKAGES {
                return Err(TrackerError::TooManyPackages(n));
            }
        }
        Ok(n)
    }

    /// Every package, the first issue's option varying slowest.
    pub fn packages(&self) -> Result<Vec<Package>, TrackerError> {
        let n = self.package_count()?;
        let mut out = Vec::with_capacity(n);
        for mut k in 0..n {
            let mut picks = vec![0; self.issues.len()];
            for (i, issue) in self.issues.iter().enumerate().rev() {
                picks[i] = k % issue.options.len();
                k /= issue.options.len();
            }
            out.push(self.package(picks));
        }
        Ok(out)
    }

    fn package(&self, picks: Vec<usize>) -> Package {
        let name = self
            .issues
            .iter()
            .zip(&picks)
            .map(|(i, &o)| format!("{}: {}", i.name, i.options[o]))
            .collect::<Vec<_>>()
            .join("; ");
        Package { name, picks }
    }

    /// The status-quo package.
    pub fn status_quo(&self) -> Package {
        self.package(self.issues.iter().map(|i| i.status_quo).collect())
    }

    /// `actor`'s additive valuation: its weights (0 where it has stated nothing) and support.
    fn valuation(&self, actor: &str) -> Result<AdditiveValuation, TrackerError> {
        let mut weights = Vec::with_capacity(self.issues.len());
        let mut scores = Vec::with_capacity(self.issues.len());
        for i in &self.issues {
            match self.position(actor, &i.key) {
                Some(p) => {
                    weights.push(p.weight);
                    scores.push(p.support.clone());
                }
                None => {
                    weights.push(0.0);
                    scores.push(vec![0.0; i.options.len()]);
                }
            }
        }
        if weights.iter().all(|w| *w == 0.0) {
            return Err(TrackerError::TooFewParties(format!(
                "{actor} has no position with a weight above 0"
            )));
        }
        Ok(AdditiveValuation::new(actor, weights, scores)?)
    }

    fn crosses(&self, actor: &str, picks: &[usize]) -> bool {
        self.issues.iter().zip(picks).any(|(i, o)| {
            self.position(actor, &i.key)
                .is_some_and(|p| p.red_lines.contains(o))
        })
    }

    /// The parties marked as such, in actor order.
    pub fn default_parties(&self) -> Vec<String> {
        self.actors
            .iter()
            .filter(|a| a.party && self.positions.iter().any(|p| p.actor == a.key))
            .map(|a| a.key.clone())
            .collect()
    }

    /// The proposals for `parties` (see the module docs).
    pub fn proposals(&self, parties: &[String]) -> Result<Proposals, TrackerError> {
        let mut uniq = parties.to_vec();
        uniq.sort();
        uniq.dedup();
        if uniq.len() != parties.len() || parties.len() < 2 {
            return Err(TrackerError::TooFewParties(format!(
                "{} given ({})",
                parties.len(),
                parties.join(", ")
            )));
        }
        let valuations = parties
            .iter()
            .map(|a| {
                self.actor(a)?;
                self.valuation(a)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let all = self.packages()?;
        let mut packages = Vec::new();
        let mut excluded = Vec::new();
        for p in all {
            let crosses: Vec<String> = parties
                .iter()
                .filter(|a| self.crosses(a, &p.picks))
                .cloned()
                .collect();
            if crosses.is_empty() {
                packages.push(p);
            } else {
                excluded.push(Excluded {
                    package: p.name,
                    crosses,
                });
            }
        }
        if packages.is_empty() {
            return Err(TrackerError::AllCrossRedLines(format!(
                "all {} packages cross a red line",
                excluded.len()
            )));
        }
        let sq = self.status_quo();
        let status_quo: Vec<f64> = valuations
            .iter()
            .map(|v| v.utility(&sq.name, &sq.picks))
            .collect::<Result<_, _>>()?;
        let utility: Vec<Vec<f64>> = valuations
            .iter()
            .map(|v| {
                packages
                    .iter()
                    .map(|p| v.utility(&p.name, &p.picks))
                    .collect::<Result<Vec<_>, _>>()
            })
            .collect::<Result<_, _>>()?;
        let names: Vec<String> = packages.iter().map(|p| p.name.clone()).collect();
        let full = PackageTable::new(
            parties.to_vec(),
            names.clone(),
            utility.clone(),
            status_quo.clone(),
        )?;
        let pareto = pareto_frontier(&full);
        // Parties that can gain: some package above their status quo.
        let gainers: Vec<usize> = (0..parties.len())
            .filter(|&j| utility[j].iter().any(|u| *u > status_quo[j] + 1e-12))
            .collect();
        let holdouts: Vec<String> = (0..parties.len())
            .filter(|j| !gainers.contains(j))
            .map(|j| parties[j].clone())
            .collect();
        let (mut max_min, mut nash, mut ks, mut aw) = (None, None, None, None);
        if !gainers.is_empty() {
            let table = PackageTable::new(
                gainers.iter().map(|&j| parties[j].clone()).collect(),
                names.clone(),
                gainers.iter().map(|&j| utility[j].clone()).collect(),
                gainers.iter().map(|&j| status_quo[j]).collect(),
            )?;
            max_min = Some(max_min_gain(&table)?);
        }
        if gainers.len() == 2 {
            let (a, b) = (gainers[0], gainers[1]);
            let pair = [parties[a].clone(), parties[b].clone()];
            let points: Vec<Point2> = (0..packages.len())
                .map(|p| Point2::new(utility[a][p], utility[b][p]))
                .collect();
            let problem = BargainingProblem::new(
                pair.clone(),
                &points,
                Point2::new(status_quo[a], status_quo[b]),
            )?;
            // No mutual gain is a finding, not a failure: the solutions are then absent.
            nash = problem.nash().ok();
            ks = problem.kalai_smorodinsky().ok();
            let points_of = |j: usize| hundred(valuations[j].weights());
            aw = Some(adjusted_winner(
                pair,
                self.issues.iter().map(|i| i.name.clone()).collect(),
                [points_of(a), points_of(b)],
            )?);
        }
        let standings = match &max_min {
            Some(m) => self.standings(&packages[m.package].picks, parties)?,
            None => Vec::new(),
        };
        Ok(Proposals {
            parties: parties.to_vec(),
            packages,
            utility,
            status_quo,
            excluded,
            holdouts,
            max_min,
            pareto,
            nash,
            kalai_smorodinsky: ks,
            adjusted_winner: aw,
            standings,
        })
    }

    /// Every actor with a stated position, and whether it accepts the package `picks`: its
    /// utility at least its status-quo utility, and none of its red lines crossed.
    pub fn standings(
        &self,
        picks: &[usize],
        parties: &[String],
    ) -> Result<Vec<Standing>, TrackerError> {
        let chosen = self.package(picks.to_vec());
        let sq = self.status_quo();
        self.actors
            .iter()
            .filter(|a| self.positions.iter().any(|p| p.actor == a.key))
            .map(|a| {
                let v = self.valuation(&a.key)?;
                let u = v.utility(&chosen.name, &chosen.picks)?;
                let d = v.utility(&sq.name, &sq.picks)?;
                Ok(Standing {
                    actor: a.key.clone(),
                    party: parties.contains(&a.key),
                    utility: u,
                    status_quo: d,
                    accepts: u >= d - 1e-12 && !self.crosses(&a.key, &chosen.picks),
                })
            })
            .collect()
    }

    /// The max-min proposal for `parties` as `actor`'s weight on `issue` runs over `weights`
    /// (its other positions unchanged).
    pub fn sensitivity(
        &self,
        parties: &[String],
        actor: &str,
        issue: &str,
        weights: &[f64],
    ) -> Result<Vec<SensitivityPoint>, TrackerError> {
        let base =
            self.position(actor, issue)
                .cloned()
                .ok_or_else(|| TrackerError::BadPosition {
                    actor: actor.to_string(),
                    issue: issue.to_string(),
                    why: "no stated position to vary".into(),
                })?;
        weights
            .iter()
            .map(|&w| {
                let mut t = self.clone();
                t.set_position(Position {
                    weight: w,
                    ..base.clone()
                })?;
                let point = match t.proposals(parties) {
                    Ok(p) => SensitivityPoint {
                        weight: w,
                        package: p.max_min.as_ref().map(|m| m.package_name.clone()),
                        min_gain: p.max_min.as_ref().map(|m| m.min_gain),
                    },
                    Err(TrackerError::TooFewParties(_)) | Err(TrackerError::Settle(_)) => {
                        SensitivityPoint {
                            weight: w,
                            package: None,
                            min_gain: None,
                        }
                    }
                    Err(e) => return Err(e),
                };
                Ok(point)
            })
            .collect()
    }
}

/// Weights (normalised to add up to 1) as integer points adding up to exactly 100, by the
/// largest-remainder method.
fn hundred(weights: &[f64]) -> Vec<u32> {
    let raw: Vec<f64> = weights.iter().map(|w| w * 100.0).collect();
    let mut pts: Vec<u32> = raw.iter().map(|x| x.floor() as u32).collect();
    let short = 100u32.saturating_sub(pts.iter().sum());
    let mut order: Vec<usize> = (0..raw.len()).collect();
    order.sort_by(|&a, &b| {
        (raw[b] - raw[b].floor())
            .total_cmp(&(raw[a] - raw[a].floor()))
            .then(a.cmp(&b))
    });
    for &i in order.iter().take(short as usize) {
        pts[i] += 1;
    }
    pts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two parties, two issues, by hand. A weighs money 70 and time 30; B the reverse. Each
    /// prefers its own option (support 1) over the other's (0); the status quo is "none"
    /// (support 0 for both).
    fn two() -> Tracker {
        let issue = |k: &str| Issue {
            key: k.into(),
            name: k.into(),
            options: vec!["none".into(), "A's way".into(), "B's way".into()],
            status_quo: 0,
        };
        let actor = |k: &str, party| Actor {
            key: k.into(),
            name: k.into(),
            kind: ActorKind::State,
            party,
        };
        let pos = |a: &str, i: &str, support: [f64; 3], weight| Position {
            actor: a.into(),
            issue: i.into(),
            support: support.to_vec(),
            weight,
            red_lines: vec![],
            source: "hand-made".into(),
            date: "2024-01-01".into(),
        };
        Tracker {
            id: "two".into(),
            title: "two".into(),
            description: String::new(),
            issues: vec![issue("money"), issue("time")],
            actors: vec![actor("A", true), actor("B", true), actor("C", false)],
            positions: vec![
                pos("A", "money", [0.0, 1.0, 0.2], 70.0),
                pos("A", "time", [0.0, 1.0, 0.2], 30.0),
                pos("B", "money", [0.0, 0.2, 1.0], 30.0),
                pos("B", "time", [0.0, 0.2, 1.0], 70.0),
                pos("C", "money", [1.0, 0.0, 0.0], 50.0),
            ],
        }
    }

    fn parties(t: &Tracker) -> Vec<String> {
        t.default_parties()
    }

    #[test]
    fn the_max_min_package_gives_each_party_its_priority() {
        let t = two();
        let p = t.proposals(&parties(&t)).unwrap();
        assert_eq!(p.packages.len(), 9);
        let m = p.max_min.as_ref().unwrap();
        // A gets money its way (0.7 + 0.3 x 0.2 = 0.76), B time its way (0.7 + 0.3 x 0.2).
        assert_eq!(m.package_name, "money: A's way; time: B's way");
        assert!((m.min_gain - 0.76).abs() < 1e-12, "{}", m.min_gain);
        // Nash and KS agree with it here (a symmetric problem).
        let nash = p.nash.as_ref().unwrap();
        assert!((nash.point.x - 0.76).abs() < 1e-12 && (nash.point.y - 0.76).abs() < 1e-12);
        // Adjusted Winner: 70/30 against 30/70, each wins its priority; 70 points each.
        let aw = p.adjusted_winner.as_ref().unwrap();
        assert_eq!(aw.final_points, [70.0, 70.0]);
        assert!(p.holdouts.is_empty());
        // C (a stakeholder) wants no money at all: it does not accept.
        let c = p.standings.iter().find(|s| s.actor == "C").unwrap();
        assert!(!c.accepts && !c.party);
        assert_eq!(p.acceptability(), Some(2.0 / 3.0));
    }

    #[test]
    fn a_red_line_sets_packages_aside_and_a_holdout_is_named() {
        let mut t = two();
        let mut p = t.position("B", "money").unwrap().clone();
        p.red_lines = vec![1];
        t.set_position(p).unwrap();
        let r = t.proposals(&parties(&t)).unwrap();
        assert_eq!(r.packages.len(), 6);
        assert_eq!(r.excluded.len(), 3);
        assert!(r.excluded.iter().all(|e| e.crosses == ["B"]));
        assert_ne!(
            r.max_min.as_ref().unwrap().package_name,
            "money: A's way; time: B's way"
        );
        // With C as a party: the status quo is C's best, so C is a holdout.
        let r = t.proposals(&["A".into(), "B".into(), "C".into()]).unwrap();
        assert_eq!(r.holdouts, ["C"]);
    }

    #[test]
    fn sensitivity_shows_where_the_proposal_turns() {
        let t = two();
        let s = t
            .sensitivity(&parties(&t), "A", "money", &[0.0, 70.0, 100.0])
            .unwrap();
        assert_eq!(s.len(), 3);
        assert_eq!(
            s[1].package.as_deref(),
            Some("money: A's way; time: B's way")
        );
        // A caring only about time: the package moves.
        assert_ne!(s[0].package, s[1].package);
    }

    #[test]
    fn bad_edits_are_refused_and_change_nothing() {
        let mut t = two();
        let before = t.clone();
        let base = t.position("A", "money").unwrap().clone();
        for (p, says) in [
            (
                Position {
                    support: vec![0.0, 1.5, 0.0],
                    ..base.clone()
                },
                "support 1.5",
            ),
            (
                Position {
                    support: vec![0.0, 1.0],
                    ..base.clone()
                },
                "2 support scores for 3 options",
            ),
            (
                Position {
                    weight: -1.0,
                    ..base.clone()
                },
                "weight -1",
            ),
            (
                Position {
                    red_lines: vec![7],
                    ..base.clone()
                },
                "red line 7",
            ),
            (
                Position {
                    date: "yesterday".into(),
                    ..base.clone()
                },
                "date \"yesterday\"",
            ),
            (
                Position {
                    source: " ".into(),
                    ..base.clone()
                },
                "source",
            ),
            (
                Position {
                    actor: "Z".into(),
                    ..base.clone()
                },
                "no actor \"Z\"",
            ),
        ] {
            let e = t.set_position(p).unwrap_err().to_string();
            assert!(e.contains(says), "{e} should say {says}");
        }
        assert_eq!(t, before);
        assert!(matches!(
            t.proposals(&["A".into()]),
            Err(TrackerError::TooFewParties(_))
        ));
    }

    #[test]
    fn points_add_to_one_hundred() {
        assert_eq!(hundred(&[1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0]), [34, 33, 33]);
        assert_eq!(hundred(&[0.7, 0.3]), [70, 30]);
    }

    #[test]
    fn the_seeded_example_is_valid_and_cited() {
        let t = Tracker::laws_ccw();
        assert!(t.actors.len() >= 10);
        assert!(
            ActorKind::ALL
                .iter()
                .filter(|k| t.actors.iter().any(|a| a.kind == **k))
                .count()
                >= 4
        );
        assert!(t.positions.iter().all(|p| p.source.len() > 20));
        let p = t.proposals(&t.default_parties()).unwrap();
        assert!(p.max_min.is_some());
        assert_eq!(Tracker::from_json(&t.to_json()).unwrap(), t);
    }
}

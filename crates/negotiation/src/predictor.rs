//! A settlement proposal as a brief's option: [`ProposalPredictor`] implements
//! `attache_core::outcome::OutcomePredictor` over one tracker, so a brief can carry "propose
//! package X" with its predicted acceptability beside the other options' outcomes.
//!
//! **Scenario**: the parties at the table, `parties AUT,USA,...` (empty: the tracker's parties).
//! The proposal is the maximum-minimum-gain package for those parties ([`crate::tracker`]).
//!
//! **Quantities**:
//! - `acceptability` (subject `all` or `world`): the share of actors with stated positions who would be at
//!   least as well off under the proposal as under the status quo, with none of their red lines
//!   crossed;
//! - `utility_gain` (subject: an actor's key): that actor's utility under the proposal minus its
//!   status-quo utility (0 to 1 scale).
//!
//! **Uncertainty** is that of the coding, not of strategy: the positions are an analyst's
//! reading of public statements. [`DRAWS`] seeded draws move every support score by up to
//! ±[`SUPPORT_NOISE`] (clamped to 0-1) and scale every weight by a factor in
//! 1 ± [`WEIGHT_NOISE`]; the proposal stays fixed and the quantity is recomputed. The point is
//! the unperturbed value; the quantiles (5%, 50%, 95%) are those of the draws.

use attache_core::outcome::{
    Horizon, ModelRef, Novelty, NoveltyStatus, OutcomeError, OutcomePredictor, OutcomeQuery,
    PointKind, PredictedOutcome, Quantile, QuantitySpec, REFERENCE_LABEL,
};
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

use crate::tracker::{Tracker, TrackerError};

/// Quantity ids.
pub const ACCEPTABILITY: &str = "acceptability";
pub const UTILITY_GAIN: &str = "utility_gain";
/// Draws of the coding uncertainty.
pub const DRAWS: usize = 1000;
/// Largest change of a support score in a draw.
pub const SUPPORT_NOISE: f64 = 0.15;
/// Largest relative change of a weight in a draw.
pub const WEIGHT_NOISE: f64 = 0.25;
/// The draws' seed (fixed: the same tracker gives the same outcome).
pub const SEED: u64 = 20_231_222;

/// The scenario grammar, for errors and the registry.
pub const SYNTAX: &str =
    "parties KEY,KEY,... (the actors at the table; empty: the tracker's parties)";

/// The quantities the predictor answers.
pub fn quantities() -> Vec<QuantitySpec> {
    vec![
        QuantitySpec {
            id: ACCEPTABILITY.into(),
            description: "share of actors with stated positions at least as well off under the proposed package as without agreement, no red line crossed".into(),
            unit: "share of actors".into(),
            subjects: "all (or world)".into(),
            scenarios: vec![SYNTAX.into()],
        },
        QuantitySpec {
            id: UTILITY_GAIN.into(),
            description: "an actor's utility under the proposed package minus its utility without agreement (coded positions, 0-1 scale)".into(),
            unit: "utility (0-1)".into(),
            subjects: "an actor's key in the tracker".into(),
            scenarios: vec![SYNTAX.into()],
        },
    ]
}

/// Reads `parties A,B,...` (or nothing).
fn parse_scenario(t: &Tracker, text: &str) -> Result<Vec<String>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(t.default_parties());
    }
    let rest = text
        .strip_prefix("parties")
        .ok_or_else(|| format!("expected {SYNTAX}"))?;
    let parties: Vec<String> = rest
        .split(',')
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    for p in &parties {
        t.actor(p).map_err(|e| e.to_string())?;
    }
    Ok(parties)
}

/// One tracker as a predictor.
pub struct ProposalPredictor {
    tracker: Tracker,
    /// Which version of the tracker (`seed`, or `version N`).
    version: String,
    year: i32,
}

impl ProposalPredictor {
    /// `version` names the tracker's state (shown as the data vintage); `year` is the horizon.
    pub fn new(tracker: Tracker, version: &str, year: i32) -> Self {
        ProposalPredictor {
            tracker,
            version: version.to_string(),
            year,
        }
    }

    /// The tracker with every position's coding perturbed by one draw.
    fn perturbed(&self, rng: &mut ChaCha8Rng) -> Tracker {
        let mut u = || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let mut t = self.tracker.clone();
        for p in &mut t.positions {
            for s in &mut p.support {
                *s = (*s + SUPPORT_NOISE * (2.0 * u() - 1.0)).clamp(0.0, 1.0);
            }
            p.weight = (p.weight * (1.0 + WEIGHT_NOISE * (2.0 * u() - 1.0))).clamp(0.0, 100.0);
        }
        t
    }
}

fn quantile(sorted: &[f64], level: f64) -> f64 {
    let pos = level * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

impl OutcomePredictor for ProposalPredictor {
    fn model(&self) -> ModelRef {
        ModelRef {
            name: "negotiation-proposal".into(),
            version: format!(
                "{} (max-min gain, coded positions)",
                env!("CARGO_PKG_VERSION")
            ),
        }
    }

    fn data_vintage(&self) -> String {
        format!("tracker {} ({})", self.tracker.id, self.version)
    }

    fn quantities(&self) -> Vec<QuantitySpec> {
        quantities()
    }

    fn predict(&self, query: &OutcomeQuery) -> Result<PredictedOutcome, OutcomeError> {
        let text = query.scenario.as_deref().unwrap_or("");
        let unsupported = |why: String| OutcomeError::UnsupportedScenario {
            scenario: text.to_string(),
            supported: why,
        };
        let parties = parse_scenario(&self.tracker, text).map_err(unsupported)?;
        let subject = query.subject.trim().to_string();
        match query.quantity.as_str() {
            ACCEPTABILITY if subject != "all" && subject != "world" => {
                return Err(OutcomeError::UnknownSubject {
                    quantity: query.quantity.clone(),
                    subject,
                    reason: "acceptability is about all actors: use the subject `all` (or `world`)"
                        .into(),
                });
            }
            ACCEPTABILITY => {}
            UTILITY_GAIN => {
                self.tracker
                    .actor(&subject)
                    .map_err(|e| OutcomeError::UnknownSubject {
                        quantity: query.quantity.clone(),
                        subject: subject.clone(),
                        reason: e.to_string(),
                    })?;
            }
            _ => {
                return Err(OutcomeError::UnknownQuantity {
                    quantity: query.quantity.clone(),
                    known: format!("{ACCEPTABILITY}, {UTILITY_GAIN}"),
                });
            }
        }
        if let Some(h) = query.horizon
            && h != Horizon::Year(self.year)
        {
            return Err(OutcomeError::UnsupportedHorizon {
                horizon: h,
                reason: format!(
                    "a proposal is read on the positions as they stand ({})",
                    self.year
                ),
            });
        }
        let fail = |e: TrackerError| unsupported(e.to_string());
        let p = self.tracker.proposals(&parties).map_err(fail)?;
        let Some(m) = &p.max_min else {
            return Err(unsupported(
                "no party can gain over the status quo: there is no proposal".into(),
            ));
        };
        let picks = p.packages[m.package].picks.clone();
        let value = |t: &Tracker| -> Result<f64, TrackerError> {
            let st = t.standings(&picks, &parties)?;
            Ok(if query.quantity == ACCEPTABILITY {
                st.iter().filter(|s| s.accepts).count() as f64 / st.len().max(1) as f64
            } else {
                st.iter()
                    .find(|s| s.actor == subject)
                    .map_or(0.0, |s| s.utility - s.status_quo)
            })
        };
        let point = value(&self.tracker).map_err(fail)?;
        let mut rng = ChaCha8Rng::seed_from_u64(SEED);
        let mut draws = (0..DRAWS)
            .map(|_| value(&self.perturbed(&mut rng)))
            .collect::<Result<Vec<f64>, _>>()
            .map_err(fail)?;
        draws.sort_by(f64::total_cmp);
        let quantiles = [0.05, 0.5, 0.95]
            .into_iter()
            .map(|level| Quantile {
                level,
                value: quantile(&draws, level),
            })
            .collect();
        let (description, unit) = if query.quantity == ACCEPTABILITY {
            (
                format!(
                    "share of actors in {} at least as well off as without agreement under the proposal: {}",
                    self.tracker.id, m.package_name
                ),
                "share of actors",
            )
        } else {
            (
                format!(
                    "utility gain of {subject} over no agreement under the proposal: {}",
                    m.package_name
                ),
                "utility (0-1)",
            )
        };
        let out = PredictedOutcome {
            quantity: query.quantity.clone(),
            description,
            subject: subject.clone(),
            scenario: format!("parties {}", parties.join(",")),
            point,
            point_kind: PointKind::Mean,
            quantiles,
            unit: unit.into(),
            horizon: Horizon::Year(self.year),
            assumptions: vec![
                "positions are an analyst's coding of the cited public statements (support per option, priority weights, red lines), not what the actors will do".into(),
                "an actor accepts a package when its additive utility is at least its status-quo utility and none of its red lines is crossed".into(),
                format!(
                    "the interval reflects coding uncertainty only ({DRAWS} draws: support ±{SUPPORT_NOISE}, weights ±{:.0}%), not strategy, linkage to other talks or domestic politics",
                    WEIGHT_NOISE * 100.0
                ),
                format!("the proposal maximises the minimum normalised gain among {}", parties.join(", ")),
            ],
            model: self.model(),
            data_vintage: self.data_vintage(),
            label: REFERENCE_LABEL.into(),
            novelty: Novelty {
                status: NoveltyStatus::NotAssessed,
                note: "computed from coded positions, not learnt from past negotiations".into(),
            },
        };
        out.validate()?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn laws() -> ProposalPredictor {
        ProposalPredictor::new(Tracker::laws_ccw(), "seed", 2026)
    }

    #[test]
    fn acceptability_with_an_interval_and_reproducible() {
        let p = laws();
        let q = OutcomeQuery::new(ACCEPTABILITY, "all").scenario("parties AUT,USA");
        let a = p.predict(&q).unwrap();
        assert!((0.0..=1.0).contains(&a.point));
        assert_eq!(a.quantiles.len(), 3);
        assert!(a.quantiles[0].value <= a.quantiles[2].value);
        assert_eq!(a.label, REFERENCE_LABEL);
        assert_eq!(p.predict(&q).unwrap(), a, "seeded: the same outcome twice");
        // The point is the share the proposal page's standings give.
        let t = Tracker::laws_ccw();
        let pr = t.proposals(&["AUT".into(), "USA".into()]).unwrap();
        assert_eq!(Some(a.point), pr.acceptability());
    }

    #[test]
    fn a_gain_per_actor_and_refusals_that_name_the_problem() {
        let p = laws();
        let g = p
            .predict(&OutcomeQuery::new(UTILITY_GAIN, "AUT").scenario("parties AUT,USA"))
            .unwrap();
        assert!(
            g.point > 0.0,
            "Austria gains from the proposal between Austria and the US"
        );
        for (q, says) in [
            (OutcomeQuery::new(UTILITY_GAIN, "XYZ"), "no actor \"XYZ\""),
            (OutcomeQuery::new(ACCEPTABILITY, "AUT"), "subject `all`"),
            (OutcomeQuery::new("votes", "all"), "acceptability"),
            (
                OutcomeQuery::new(ACCEPTABILITY, "all").scenario("everyone"),
                "parties KEY",
            ),
            (
                OutcomeQuery::new(ACCEPTABILITY, "all").scenario("parties AUT"),
                "name at least two parties",
            ),
        ] {
            let e = p.predict(&q).unwrap_err().to_string();
            assert!(e.contains(says), "{e} should say {says}");
        }
    }
}

//! What if a member leaves, or a weight or quota changes: power before and after, member by
//! member. The games are ordinary [`Game`]s (build the changed one with
//! [`Game::without_member`], [`Game::with_weight`] or [`Game::with_threshold`]); this module
//! lines the two power tables up by member name.

use crate::error::PowerError;
use crate::explain::{Explain, pct};
use crate::game::Game;
use crate::power::{Power, exact_power};

/// One member's power before and after a change (None: not a member then).
#[derive(Debug, Clone, PartialEq)]
pub struct PowerChange {
    /// Member name.
    pub member: String,
    /// Shapley-Shubik before.
    pub shapley_shubik_before: Option<f64>,
    /// Shapley-Shubik after.
    pub shapley_shubik_after: Option<f64>,
    /// Normalised Banzhaf before.
    pub banzhaf_before: Option<f64>,
    /// Normalised Banzhaf after.
    pub banzhaf_after: Option<f64>,
}

impl PowerChange {
    /// Change in Shapley-Shubik (after minus before), when a member both times.
    pub fn shapley_shubik_delta(&self) -> Option<f64> {
        Some(self.shapley_shubik_after? - self.shapley_shubik_before?)
    }
}

/// Power before and after a change to the game.
#[derive(Debug, Clone, PartialEq)]
pub struct WhatIf {
    /// What changed, in words (given by the caller).
    pub change: String,
    /// Power before.
    pub before: Power,
    /// Power after.
    pub after: Power,
    /// Per member, in the order of the game before, then members only in the game after.
    pub changes: Vec<PowerChange>,
}

/// Exact power of `before` and `after`, lined up by member name. `change` says what changed
/// ("Malta leaves").
pub fn what_if(before: &Game, after: &Game, change: &str) -> Result<WhatIf, PowerError> {
    let b = exact_power(before)?;
    let a = exact_power(after)?;
    Ok(compare(change, b, a))
}

/// Lines up two power tables by member name.
pub fn compare(change: &str, before: Power, after: Power) -> WhatIf {
    let mut changes: Vec<PowerChange> = before
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let j = after.members.iter().position(|x| x == m);
            PowerChange {
                member: m.clone(),
                shapley_shubik_before: Some(before.shapley_shubik[i]),
                shapley_shubik_after: j.map(|j| after.shapley_shubik[j]),
                banzhaf_before: Some(before.banzhaf[i]),
                banzhaf_after: j.map(|j| after.banzhaf[j]),
            }
        })
        .collect();
    for (j, m) in after.members.iter().enumerate() {
        if !before.members.contains(m) {
            changes.push(PowerChange {
                member: m.clone(),
                shapley_shubik_before: None,
                shapley_shubik_after: Some(after.shapley_shubik[j]),
                banzhaf_before: None,
                banzhaf_after: Some(after.banzhaf[j]),
            });
        }
    }
    WhatIf {
        change: change.to_string(),
        before,
        after,
        changes,
    }
}

impl Explain for WhatIf {
    fn explain(&self) -> String {
        let moved: Vec<(&PowerChange, f64)> = self
            .changes
            .iter()
            .filter_map(|c| c.shapley_shubik_delta().map(|d| (c, d)))
            .collect();
        let gain = moved.iter().max_by(|a, b| a.1.total_cmp(&b.1));
        let loss = moved.iter().min_by(|a, b| a.1.total_cmp(&b.1));
        match (gain, loss) {
            (Some(g), Some(l)) if g.1 > 1e-12 || l.1 < -1e-12 => format!(
                "If {}, {} gains the most Shapley-Shubik power ({} to {}) and {} loses the most ({} to {}).",
                self.change,
                g.0.member,
                pct(g.0.shapley_shubik_before.unwrap_or(0.0)),
                pct(g.0.shapley_shubik_after.unwrap_or(0.0)),
                l.0.member,
                pct(l.0.shapley_shubik_before.unwrap_or(0.0)),
                pct(l.0.shapley_shubik_after.unwrap_or(0.0)),
            ),
            _ => format!(
                "If {}, no remaining member's Shapley-Shubik power changes.",
                self.change
            ),
        }
    }
}

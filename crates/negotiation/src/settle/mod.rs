//! Settlement proposals, each with its criterion in words. The system proposes; people
//! negotiate.
//!
//! - [`bargaining`]: the Nash (1950) and Kalai-Smorodinsky (1975) solutions for two parties
//!   over a feasible set given as a finite set of utility pairs;
//! - [`pareto`]: the packages no other package beats for every party;
//! - [`adjusted_winner`]: Brams & Taylor's Adjusted Winner for two parties over divisible
//!   issues;
//! - [`packages`]: a table of packages valued by many parties, additive valuations with
//!   normalised priority weights, and the package that maximises the minimum normalised gain
//!   (Smartsettle's "maximise the minimum gain").

pub mod adjusted_winner;
pub mod bargaining;
pub mod packages;
pub mod pareto;

use crate::error::SettleError;

pub(crate) fn finite(what: impl FnOnce() -> String, value: f64) -> Result<f64, SettleError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(SettleError::NotFinite {
            what: what(),
            value,
        })
    }
}

pub(crate) fn check_names(names: &[String]) -> Result<(), SettleError> {
    let mut seen = std::collections::HashSet::new();
    for n in names {
        if n.trim().is_empty() || !seen.insert(n.as_str()) {
            return Err(SettleError::BadName { name: n.clone() });
        }
    }
    Ok(())
}

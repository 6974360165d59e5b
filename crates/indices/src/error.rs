//! The errors of this crate: every one names the input that caused it.

use thiserror::Error;

/// Why an index, a projection or an allocation could not be computed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum IndexError {
    /// A score outside its scale (INFORM 0-10, SDG 0-100) or not finite.
    #[error("{what} = {value} is outside {lo}..={hi}")]
    OutOfRange {
        what: String,
        value: f64,
        lo: f64,
        hi: f64,
    },
    /// Every input of an aggregate is missing, so the aggregate cannot be formed.
    #[error("{0}: every component is missing")]
    Missing(String),
    /// Inputs that do not fit together (lengths, bounds, years).
    #[error("{0}")]
    Invalid(String),
    /// The allocation has no feasible plan (floors above the budget or the caps).
    #[error("allocation infeasible: {0}")]
    Infeasible(String),
    /// The solver failed for a reason other than infeasibility.
    #[error("allocation solver failed: {0}")]
    Solver(String),
}

/// Checks that `value` is finite and within `lo..=hi`.
pub(crate) fn check_range(what: &str, value: f64, lo: f64, hi: f64) -> Result<f64, IndexError> {
    if value.is_finite() && (lo..=hi).contains(&value) {
        Ok(value)
    } else {
        Err(IndexError::OutOfRange {
            what: what.to_string(),
            value,
            lo,
            hi,
        })
    }
}

//! Errors of the checked entry points ([`crate::SortedDraws::new`], [`crate::Scorecard`]).

/// Why a forecast, an observation or a scoring configuration was rejected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScoreError {
    /// A forecast must have at least one draw.
    #[error("a forecast needs at least one draw")]
    EmptyDraws,
    /// Draws must be finite numbers (no NaN, no infinities).
    #[error("draw {index} is not finite ({value})")]
    NonFiniteDraw {
        /// Position of the offending draw in the input slice.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// The observed value must be finite.
    #[error("observed value is not finite ({0})")]
    NonFiniteObservation(f64),
    /// The interval level of the interval score must lie strictly between 0 and 1.
    #[error("interval level must lie strictly between 0 and 1, got {0}")]
    InvalidIntervalLevel(f64),
    /// Ignorance bin edges must be non-empty, finite and strictly increasing.
    #[error("ignorance bin edges must be non-empty, finite and strictly increasing")]
    InvalidBinEdges,
    /// Histogram and reliability tables need at least one bin.
    #[error("a histogram needs at least one bin")]
    ZeroBins,
    /// The event threshold must be finite.
    #[error("event threshold is not finite ({0})")]
    NonFiniteThreshold(f64),
}

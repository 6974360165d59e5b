//! Typed errors of the policy crate.

/// What can go wrong building pathways and reports.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PledgeError {
    /// A user edit of a pledge does not parse.
    #[error("pledge edit `{edit}`: {reason}")]
    BadEdit {
        /// The edit as given.
        edit: String,
        /// What is wrong.
        reason: String,
    },
    /// A country has no emissions history to build on.
    #[error("{iso3}: no emissions history{detail}")]
    NoHistory {
        /// Country.
        iso3: String,
        /// Extra context (years asked for).
        detail: String,
    },
    /// A value needed for a method is missing (population, GDP, base-year emissions).
    #[error("{iso3}: {what} is missing for {year}")]
    Missing {
        /// Country or bloc.
        iso3: String,
        /// What is missing.
        what: &'static str,
        /// Year asked for.
        year: i32,
    },
    /// An unknown country, bloc or scenario name.
    #[error("unknown {kind} `{name}`")]
    Unknown {
        /// What kind of name.
        kind: &'static str,
        /// The name.
        name: String,
    },
    /// The climate model failed.
    #[error("climate model: {0}")]
    Climate(#[from] attache_climate::ClimateError),
}

//! The crate's typed errors: what went wrong and with which column, term or byte offset.

use thiserror::Error;

/// Everything the estimators, the formula parser, the frame and the `.dta` reader can refuse.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum Error {
    /// The formula text does not parse; `at` is the character offset.
    #[error("formula: {message} at character {at} in `{formula}`")]
    Formula {
        formula: String,
        at: usize,
        message: String,
    },
    /// A column the model needs is not in the frame.
    #[error("no column named `{0}` in the data")]
    NoColumn(String),
    /// A numeric column was expected (regressor, dependent variable, offset).
    #[error("column `{0}` holds text where a number is needed")]
    NotNumeric(String),
    /// A text column was expected (country codes, categories).
    #[error("column `{0}` holds numbers where text is needed")]
    NotText(String),
    /// A general-equilibrium panel that is not one flow for every exporter-importer pair, or a
    /// reference country not in it.
    #[error("general equilibrium: {0}")]
    Ge(String),
    /// Columns of a frame must all have the same length.
    #[error("column `{name}` has {len} rows, the frame has {rows}")]
    Length {
        name: String,
        len: usize,
        rows: usize,
    },
    /// Two columns with the same name.
    #[error("column `{0}` appears twice")]
    Duplicate(String),
    /// A value the model cannot use: negative or missing dependent variable, log of a
    /// non-positive number, a missing regressor.
    #[error("column `{column}`, row {row}: {message} (value {value})")]
    BadValue {
        column: String,
        row: usize,
        value: f64,
        message: String,
    },
    /// Nothing left to estimate.
    #[error("no observations left to estimate ({0})")]
    NoObservations(String),
    /// A regressor is collinear with the others or with the fixed effects.
    #[error("regressor `{0}` is collinear with the fixed effects or the other regressors")]
    Collinear(String),
    /// IRLS did not converge within the iteration cap.
    #[error(
        "did not converge in {iterations} iterations (last relative deviance change {change:e})"
    )]
    NoConvergence { iterations: usize, change: f64 },
    /// IRLS overflowed even with halved steps: some observations are perfectly predicted by
    /// the regressors (a separation no fixed effect explains).
    #[error(
        "PPML diverged at iteration {iteration}: the regressors separate some observations (perfect prediction of zeros)"
    )]
    Diverged { iteration: usize },
    /// A scenario text that does not parse, or names what the panel lacks.
    #[error("scenario `{scenario}`: {message}")]
    Scenario { scenario: String, message: String },
    /// A Stata `.dta` file that cannot be read; `offset` is the byte offset of the problem.
    #[error("dta: {message} at byte {offset}")]
    Dta { offset: usize, message: String },
}

/// The crate's result type.
pub type Result<T> = std::result::Result<T, Error>;

//! Typed errors of the climate crate.

/// Everything that can go wrong when parsing emissions or running the model.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClimateError {
    /// The `v YEARS/GAS >` header line that precedes the data block was not found.
    #[error("RCP emissions table: no `v YEARS/GAS >` header line found")]
    MissingHeader,
    /// The header does not list the 39 RCP species in FaIR's order.
    #[error(
        "RCP emissions table line {line}, column {column}: expected species `{expected}`, found `{found}`"
    )]
    UnexpectedSpecies {
        /// 1-based line number in the input text.
        line: usize,
        /// 1-based column (cell) number.
        column: usize,
        /// Species name FaIR expects at this column.
        expected: &'static str,
        /// Name found in the table.
        found: String,
    },
    /// A data row does not have 40 cells (year + 39 species).
    #[error("RCP emissions table line {line}: expected {expected} cells, found {found}")]
    WrongCellCount {
        /// 1-based line number.
        line: usize,
        /// Required number of cells.
        expected: usize,
        /// Number of cells found.
        found: usize,
    },
    /// A cell could not be parsed as a finite number.
    #[error("RCP emissions table line {line}, column {column}: cannot parse `{text}` as a number")]
    BadNumber {
        /// 1-based line number.
        line: usize,
        /// 1-based column (cell) number.
        column: usize,
        /// Offending cell text.
        text: String,
    },
    /// Years are not consecutive annual steps.
    #[error("RCP emissions table line {line}: year {found} does not follow {previous} by one year")]
    NonConsecutiveYear {
        /// 1-based line number.
        line: usize,
        /// Year on the previous data row.
        previous: f64,
        /// Year on this row.
        found: f64,
    },
    /// No data rows.
    #[error("emissions table has no data rows")]
    Empty,
    /// A row passed to [`crate::Emissions::from_rows`] is malformed.
    #[error("emissions row {row}: {reason}")]
    BadRow {
        /// 0-based row index.
        row: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// The alpha root finder of the carbon cycle did not converge.
    #[error("carbon cycle: no alpha scaling factor reproduces iIRF100 = {iirf} in year {year}")]
    AlphaRootNotFound {
        /// Model year.
        year: f64,
        /// Target time-integrated impulse response (yr).
        iirf: f64,
    },
    /// The rebasing period contains no model years.
    #[error("rebasing period {start}..={end} contains no model years")]
    EmptyBaseline {
        /// First year of the period.
        start: i32,
        /// Last year of the period.
        end: i32,
    },
    /// An RCMIP table line does not have the expected shape or content.
    #[error("RCMIP emissions table line {line}: {reason}")]
    Rcmip {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// A variable FaIR needs is missing for a scenario.
    #[error("RCMIP emissions table: no World row for scenario `{scenario}`, variable `{variable}`")]
    RcmipMissing {
        /// Scenario asked for.
        scenario: String,
        /// Missing variable.
        variable: String,
    },
    /// A model parameter is outside its domain.
    #[error("parameter {name} = {value}: {reason}")]
    BadParameter {
        /// Parameter name.
        name: &'static str,
        /// Offending value.
        value: f64,
        /// Why it is rejected.
        reason: &'static str,
    },
    /// The emissions do not reach the last year an observational constraint needs.
    #[error("the constraint needs emissions up to {year}, but they cover {first}..={last}")]
    ConstraintOutsideRun {
        /// Last year the constraint reads.
        year: i32,
        /// First year of the emissions.
        first: i32,
        /// Last year of the emissions.
        last: i32,
    },
    /// Too few candidates were consistent with the observations.
    #[error(
        "observational constraint: only {accepted} of {wanted} members accepted after {candidates} candidates"
    )]
    ConstraintTooTight {
        /// Members accepted.
        accepted: usize,
        /// Members asked for.
        wanted: usize,
        /// Candidates drawn.
        candidates: usize,
    },
    /// The run was cancelled by its caller (the request went away or timed out); see
    /// `attache_core::cancel`.
    #[error("the run was cancelled")]
    Cancelled,
}

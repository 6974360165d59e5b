//! Typed errors of the source adapters. Every variant names the file; row-level ones name the
//! line (1-based, as an editor shows it), the column and the offending value.

use attache_core::LookupError;

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{file}:{line}: expected {expected} fields, found {found} (truncated or unbalanced row?)")]
    FieldCount { file: String, line: u64, expected: usize, found: usize },
    #[error("{file}:{line}: column {column:?}: {value:?} is not {expected}")]
    BadValue { file: String, line: u64, column: String, value: String, expected: &'static str },
    #[error("{file}:{line}: column {column:?}: {error}")]
    Country { file: String, line: u64, column: String, error: LookupError },
    #[error("{file}:{line}: malformed row: {message}")]
    Malformed { file: String, line: u64, message: String },
    #[error("{file}: missing column {column:?} (header has: {header})")]
    MissingColumn { file: String, column: String, header: String },
    #[error("{file}: {message}")]
    Format { file: String, message: String },
    #[error("{file}: {error}")]
    Io { file: String, error: std::io::Error },
    #[error("source {source_id}: no input file matches {pattern:?}")]
    NoInput { source_id: String, pattern: String },
    #[error("internal error building table {table}: {message}")]
    Internal { table: String, message: String },
}

impl SourceError {
    /// The file the error is about, if any.
    pub fn file(&self) -> Option<&str> {
        match self {
            SourceError::FieldCount { file, .. }
            | SourceError::BadValue { file, .. }
            | SourceError::Country { file, .. }
            | SourceError::Malformed { file, .. }
            | SourceError::MissingColumn { file, .. }
            | SourceError::Format { file, .. }
            | SourceError::Io { file, .. } => Some(file),
            SourceError::NoInput { .. } | SourceError::Internal { .. } => None,
        }
    }
}

pub type Result<T, E = SourceError> = std::result::Result<T, E>;

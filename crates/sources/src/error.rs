//! Typed errors of the source adapters. Every variant names the file; row-level ones name the
//! line (1-based, as an editor shows it), the column and the offending value, cut to
//! [`SHOWN_CHARS`] characters (a 10 MB cell must not become a 10 MB message).

use attache_core::LookupError;

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error(
        "{file}:{line}: expected {expected} fields, found {found} (truncated or unbalanced row?)"
    )]
    FieldCount {
        file: String,
        line: u64,
        expected: usize,
        found: usize,
    },
    #[error("{file}:{line}: column {}: {} is not {expected}", quoted(.column), quoted(.value))]
    BadValue {
        file: String,
        line: u64,
        column: String,
        value: String,
        expected: &'static str,
    },
    #[error("{file}:{line}: column {}: {}", quoted(.column), cut(&.error.to_string()))]
    Country {
        file: String,
        line: u64,
        column: String,
        error: LookupError,
    },
    #[error("{file}:{line}: malformed row: {}", cut(.message))]
    Malformed {
        file: String,
        line: u64,
        message: String,
    },
    #[error("{file}: missing column {} (header has: {})", quoted(.column), cut(.header))]
    MissingColumn {
        file: String,
        column: String,
        header: String,
    },
    #[error("{file}: {}", cut(.message))]
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

/// Longest text of an outside file shown in an error, in characters.
pub const SHOWN_CHARS: usize = 120;

/// `text`, or its first [`SHOWN_CHARS`] characters and how long it was.
pub fn cut(text: &str) -> String {
    match text.char_indices().nth(SHOWN_CHARS) {
        None => text.to_string(),
        Some((end, _)) => format!("{}… ({} bytes in all)", &text[..end], text.len()),
    }
}

/// `value` quoted as Rust debug-prints it (control characters escaped), cut like [`cut`].
pub fn quoted(value: &str) -> String {
    match value.char_indices().nth(SHOWN_CHARS) {
        None => format!("{value:?}"),
        Some((end, _)) => format!("{:?}… ({} bytes in all)", &value[..end], value.len()),
    }
}

pub type Result<T, E = SourceError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_cut() {
        let big = "x".repeat(10 << 20);
        let e = SourceError::BadValue {
            file: "f.csv".into(),
            line: 3,
            column: "year".into(),
            value: big.clone(),
            expected: "a year",
        };
        let m = e.to_string();
        assert!(m.len() < 300, "{} bytes", m.len());
        assert!(
            m.starts_with("f.csv:3: column \"year\": \"xxx")
                && m.ends_with(&format!("… ({} bytes in all) is not a year", big.len())),
            "{m}"
        );
        let e = SourceError::MissingColumn {
            file: "f.csv".into(),
            column: "iso3".into(),
            header: big,
        };
        assert!(e.to_string().len() < 300);
        // Short values are shown whole, multi-byte characters are not split.
        assert_eq!(quoted("Côte d'Ivoire"), "\"Côte d'Ivoire\"");
        let accents = "é".repeat(200);
        assert!(cut(&accents).starts_with(&"é".repeat(SHOWN_CHARS)));
    }
}

//! The error type of this crate: every variant names the URL or the path it
//! concerns, so a message can be shown to a user as is.

use std::io;
use std::path::PathBuf;

/// Why a [`Fetcher::fetch`](crate::Fetcher::fetch) failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The URL is not an `http://` or `https://` URL this crate can fetch.
    #[error("cannot fetch {url}: {reason}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },

    /// The expected SHA-256 given by the caller is not 64 hexadecimal digits.
    #[error("cannot fetch {url}: expected sha256 {value:?} is not 64 hexadecimal digits")]
    InvalidSha256 {
        /// The URL being fetched.
        url: String,
        /// The value given as the expected digest.
        value: String,
    },

    /// The server answered with an HTTP status that is not worth retrying
    /// (a 4xx other than 416 and 429, a redirect that was not followed, ...).
    #[error("fetching {url} failed: server answered HTTP {status}")]
    Http {
        /// The URL being fetched.
        url: String,
        /// The HTTP status code.
        status: u16,
    },

    /// The download did not complete within the allowed number of attempts
    /// (network errors, dropped connections, HTTP 429 or 5xx), or hit a
    /// network error that retrying cannot fix.
    #[error("fetching {url} failed after {attempts} attempt(s): {message}")]
    Network {
        /// The URL being fetched.
        url: String,
        /// How many requests were made.
        attempts: u32,
        /// What went wrong on the last attempt.
        message: String,
    },

    /// The downloaded file does not have the expected SHA-256. The partial
    /// file is deleted and nothing is published under the final name.
    #[error("checksum mismatch for {url}: expected sha256 {expected}, got {actual}")]
    Checksum {
        /// The URL being fetched.
        url: String,
        /// The expected digest (lowercase hex).
        expected: String,
        /// The digest of what was downloaded (lowercase hex).
        actual: String,
    },

    /// Reading or writing a local file failed.
    #[error("I/O error on {path}")]
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
}

impl FetchError {
    /// Builds a closure that wraps an [`io::Error`] for `path`, for use with
    /// `map_err`.
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> FetchError {
        let path = path.into();
        move |source| FetchError::Io { path, source }
    }
}

//! Robust downloads from official publisher URLs into a per-user cache.
//!
//! [`Fetcher`] downloads a URL into
//! `<cache_dir>/<first 16 hex digits of sha256(url)>/<file name>`, where the
//! file name is the last segment of the URL path (or `download`). A file that
//! is already in the cache (and matches the expected SHA-256 when one is
//! given) is returned without any network request.
//!
//! Downloads go to `<final>.part` first. Interrupted transfers are resumed
//! with an HTTP `Range` request; network errors, truncated bodies, HTTP 429
//! and 5xx answers are retried with exponential backoff. Once the body is
//! complete its SHA-256 is computed over the whole file, checked against the
//! expected digest, and the part file is synced and atomically renamed into
//! place, so a file under its final name is always complete.
//!
//! ```no_run
//! use attache_fetch::{Fetcher, Progress, default_cache_dir};
//!
//! let fetcher = Fetcher::new(default_cache_dir()).with_progress(Progress::auto());
//! let fetched = fetcher.fetch("https://example.org/data/table.csv", None)?;
//! println!("{} ({} bytes, sha256 {})", fetched.path.display(), fetched.bytes, fetched.sha256);
//! # Ok::<(), attache_fetch::FetchError>(())
//! ```

mod cache;
mod error;
mod fetcher;
mod progress;

pub use cache::{cache_path, default_cache_dir};
pub use error::FetchError;
pub use fetcher::{Fetched, Fetcher};
pub use progress::Progress;

//! Event feeds for the early-warning side of Attaché (issue 15), with no IO.
//!
//! The store and the CLI fetch and write; this crate takes bytes or parsed rows and returns
//! values:
//!
//! - [`event`]: one event row of GDELT 2.0 or ICEWS, its de-duplication key (GLOBALEVENTID, or
//!   ICEWS's `(Event ID, Event Date)`), strict byte parsers of the export, mentions and `.tab`
//!   files, and the resolution of publisher country codes to ISO3;
//! - [`dedup`]: de-duplication on the key, across files and runs;
//! - [`slots`]: GDELT's 15-minute slots in UTC (never local time: gdeltPyR#65), the slots that
//!   should exist between two instants and the gaps among those present (gdeltPyR#79);
//! - [`listing`]: `lastupdate.txt` and `masterfilelist.txt` (size, MD5, URL), and the check of
//!   a downloaded file against its listing;
//! - [`dataverse`]: ICEWS's Harvard Dataverse listings (file ids, sizes, MD5s), the event files
//!   in them named for import, and the check of a download;
//! - [`index`]: counts per country, dyad and day/week/month by QuadClass and CAMEO root,
//!   Goldstein, tone, distinct sources and articles, share of the feed's volume, z-scores;
//! - [`alerts`]: the HDX Signals conflict rule, a negative-binomial CUSUM, a shift rule on
//!   Goldstein and tone, alerts with evidence and a life cycle, episodes;
//! - [`backtest`]: the rules against a real fatality series: lead times and false alarms.
//!
//! Every parser of outside input is a `parse_*(&[u8])` function, so the same code runs in the
//! store, the tests and a fuzz target, and fails with an error naming the line and the value.

pub mod alerts;
pub mod backtest;
pub mod dataverse;
pub mod dedup;
pub mod event;
pub mod index;
pub mod listing;
pub mod slots;
mod text;

pub use dedup::Dedup;
pub use event::{Event, EventKey, Mention, QuadClass, Source};
pub use listing::{FileKind, GdeltFile, LastUpdate, ListingEntry};
pub use slots::{Slot, UtcTime};

//! Attaché domain types: countries and the code crosswalk, calendar months, code lists.
//!
//! This crate does no IO. Reference tables (the country crosswalk and land borders) are embedded
//! at compile time from `data/`, which `tools/gen_crosswalk.py` regenerates from a data mirror.

pub mod cancel;
pub mod country;
pub mod outcome;
pub mod source;
pub mod suggest;
pub mod time;

pub use country::{Country, Crosswalk, LookupError, Scheme};
pub use source::SourceId;
pub use time::{Date, DateError, MonthId};

//! The SDG Index of the SDSN *Sustainable Development Report* (SDR; Sachs, Lafortune, Fuller
//! et al.), recomputed from its parts.
//!
//! The SDR scores each indicator 0-100 between published bounds ([`normalise`]), scores a
//! goal as the arithmetic mean of its indicators, and the index as the arithmetic mean of the
//! 17 goal scores ([`index`]). A country missing more than 20% of the indicators is not
//! ranked. In the SDR 2023 table, a country without a score on some goal still has an overall
//! score: the missing goal is filled with the mean score of that goal over the countries of its
//! SDR region, which reproduces every published overall score ([`index::impute_regional`]).
//! Dashboards colour each indicator green, yellow, orange or red against thresholds and each
//! goal by its two worst indicators ([`rating`]); trend arrows compare the annual progress
//! since 2015 with the progress needed to reach the target by 2030 ([`mod@trend`]).
//!
//! **Data caveat (the 2000-2022 series).** In the SDR's time series as redistributed
//! (`sdg_index_2000-2022.csv`), a goal without data is written as `0`, not left empty: goal 14
//! (life below water) is 0 in every year for all 41 landlocked countries, goal 10 for 17
//! countries and goal 1 for 16. The published index of those rows is the mean of the *non-zero*
//! goals (3,921 of 4,140 rows within 0.1 of it, against 2,759 for the mean of all 17), so a
//! 0 there must be read as missing ([`index::zeros_as_missing`]); the remaining rows (61 of
//! them in 2022, and all years of a few countries such as South Sudan, Qatar and Burundi) differ
//! by more than the goal scores' rounding and are shown as published beside our mean.

pub mod index;
pub mod indicators;
pub mod normalise;
pub mod rating;
pub mod trend;

pub use index::{
    GOALS, Goals, Imputed, goal_score, impute_regional, index_of_complete, is_ranked,
    mean_of_present, rank, regional_means, zeros_as_missing,
};
pub use normalise::{Better, Bounds, percentile};
pub use rating::{Rating, ScoreBands, Thresholds, goal_rating};
pub use trend::{Arrow, TrendRule, trend};

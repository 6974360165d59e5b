//! Attaché pledges: the climate-policy side of negotiation support. No IO.
//!
//! - [`ndc`]: what each party pledged, read from the coded NDC texts (Klimalog NDC Explorer,
//!   WRI CAIT) or written as a user edit (`ISO3=base:2005,cut:50,by:2030,netzero:2050`).
//! - [`pathway`]: national fossil-CO2 pathways: current policies (recent trend, fading) and
//!   the pathway a pledge implies (base-year, BAU, intensity, peak, level, net zero).
//! - [`aggregate`]: the C-ROADS-style aggregator: national pathways to a global path,
//!   spliced into a reference SSP and run through the calibrated emulator
//!   (`attache-climate`) for warming, CO2 and the AR6 remaining carbon budgets.
//! - [`sharing`]: effort sharing (equal per capita, contraction and convergence, ability to
//!   pay, greenhouse development rights) and fair-share ranges per warming level.
//! - [`rating`]: CAT-style bands against fair shares and modelled domestic pathways.
//! - [`monitor`]: Paris progress: history against the NDC target, gap at the current trend,
//!   trend arrow, blocs aggregated.
//! - [`input`]: the store queries and their assembly into [`input::World`]; [`report`]: the
//!   plain data functions the CLI and the dashboard call.
//! - [`predictor`]: the emulator as an `attache_core::outcome::OutcomePredictor`, so a brief
//!   option can carry a built-in or policy scenario's warming, peak warming or CO2 as its
//!   predicted outcome (seeded ensemble quantiles, assumptions, novelty against the SSPs).
//!
//! The method, its approximations and its sources: docs/CLIMATE_METHOD.md.

pub mod aggregate;
pub mod error;
pub mod import;
pub mod input;
pub mod monitor;
pub mod ndc;
pub mod pathway;
pub mod predictor;
pub mod rating;
pub mod report;
pub mod series;
pub mod sharing;

pub use error::PledgeError;
pub use input::{Rows, World};
pub use predictor::{ClimatePredictor, ClimateScenario};
pub use series::Series;

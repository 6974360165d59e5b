//! Structural gravity estimation for Attaché (issue 16), with no IO.
//!
//! - [`formula`]: fixest-style formulas, `trade ~ log(DIST) + CNTG + RTA | exporter^year +
//!   importer^year + pair_id`.
//! - [`frame`]: the small data frame the estimators take.
//! - [`dta`]: Stata `.dta` files from bytes.
//! - [`ppml`]: Poisson pseudo-maximum likelihood with absorbed fixed effects (IRLS with
//!   alternating projections, separation detection, robust and clustered standard errors,
//!   log-likelihood and pseudo-R2, recovered fixed effects), as ppmlhdfe.
//! - [`ols`]: least squares with the same absorbed fixed effects, for comparison.
//! - [`ge`]: general-equilibrium counterfactuals by GE-PPML (the Guide's chapter 2).
//! - [`scenario`]: policy scenarios as a reader writes them (`tariff USA on CHN 25%`).
//! - [`simulate`]: the trade-policy simulator: a gravity baseline from a panel and the GE
//!   counterfactual of a scenario, with an interval for the estimated effects.
//! - [`predictor`]: the simulator behind `attache_core::outcome::OutcomePredictor`.
//! - [`mirror`]: mirror statistics (each flow as both sides report it, CIF/FOB-adjusted gaps,
//!   one-sided flows, flags) from the WITS reporter-partner file.
//! - [`model`]: what they share: [`Fit`] (unfitted → fitted), [`Vcov`], the coefficient table.
//!
//! Golden tests check the estimates against the Stata logs of the WTO/UNCTAD *Advanced Guide
//! to Trade Policy Analysis* (Yotov et al. 2016) to the printed digits.
//!
//! ```
//! use attache_trade::{Column, Fit, Frame, Ppml, Vcov};
//!
//! let frame = Frame::new()
//!     .with("exporter", Column::Text(["A", "A", "B", "B", "C", "C"].map(String::from).to_vec()))?
//!     .with("importer", Column::Text(["B", "C", "A", "C", "A", "B"].map(String::from).to_vec()))?
//!     .with("DIST", Column::Num(vec![1.0, 2.0, 1.0, 3.0, 2.0, 3.0]))?
//!     .with("trade", Column::Num(vec![10.0, 4.0, 9.0, 2.0, 5.0, 0.0]))?;
//! let fit = Ppml::new("trade ~ log(DIST) | exporter + importer".parse()?)
//!     .vcov(Vcov::Robust)
//!     .fit(&frame)?;
//! let dist = fit.coef("log(DIST)").unwrap();
//! assert!(dist.estimate < 0.0);
//! println!("{fit}");
//! # Ok::<(), attache_trade::Error>(())
//! ```

pub mod demean;
mod design;
pub mod dta;
pub mod error;
pub mod formula;
pub mod frame;
pub mod ge;
mod linalg;
pub mod mirror;
pub mod model;
pub mod ols;
pub mod ppml;
pub mod predictor;
pub mod scenario;
pub mod simulate;

pub use error::{Error, Result};
pub use formula::{Cmp, FixedEffect, Formula, Operand, Term};
pub use frame::{Column, Frame};
pub use ge::{CountryChange, GePpml, GeResult, IterationSummary};
pub use model::{Coef, Fit, FixedEffectValues, SmallSample, Vcov};
pub use ols::{FittedOls, Ols};
pub use ppml::{FittedPpml, Ppml};
pub use scenario::{Scenario, Shock};
pub use simulate::{FittedGravity, Gravity, Params, Ranged, SimRow, Simulation};

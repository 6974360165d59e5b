//! Attaché climate: a port of the FaIR 1.6.4 simple climate model (Smith et al. 2018,
//! Millar et al. 2017) forward run, `fair.forward.fair_scm(emissions=...)` with default
//! parameters: four-box carbon cycle with state-dependent iIRF100, Etminan (or Myhre)
//! CO2/CH4/N2O forcing, minor GHGs, ozone, aerosols, BC on snow, land use, volcanic and
//! solar forcing, and the two-timescale temperature response. No IO: emissions come in as
//! text ([`parse_rcp_csv`]) or rows ([`Emissions::from_rows`]); FaIR's ancillary series are
//! embedded at compile time.

pub mod ancil;
pub mod carbon;
pub mod constants;
pub mod emissions;
pub mod error;
pub mod forcing;
pub mod model;
pub mod params;
pub mod thermal;

pub use emissions::{Emissions, NCOLS, SPECIES, parse_rcp_csv};
pub use error::ClimateError;
pub use model::{Output, run};
pub use params::{FORCING_NAMES, Fair16Params, GhgForcing};

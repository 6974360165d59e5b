//! Attaché climate: a port of the FaIR 1.6.4 simple climate model (Smith et al. 2018,
//! Millar et al. 2017) forward run, `fair.forward.fair_scm(emissions=...)` with default
//! parameters: four-box carbon cycle with state-dependent iIRF100, Etminan (or Myhre)
//! CO2/CH4/N2O forcing, minor GHGs, ozone, aerosols, BC on snow, land use, volcanic and
//! solar forcing, and the two-timescale temperature response. No IO: emissions come in as
//! text ([`parse_rcp_csv`], [`parse_rcmip_csv`]) or rows ([`Emissions::from_rows`]); FaIR's
//! ancillary series and the built-in scenarios ([`Scenario`]) are embedded at compile time.
//!
//! Beyond FaIR 1.6.4: a three-layer energy balance ([`thermal3`], FaIR 2 style) as a second
//! temperature model, parameter sets calibrated to IPCC AR6 ([`calibration`]), and seeded
//! parameter-uncertainty ensembles with quantiles ([`ensemble`]), optionally constrained by
//! observed warming and CO2 ([`constraint`]).

pub mod ancil;
pub mod calibration;
pub mod carbon;
pub mod constants;
pub mod constraint;
pub mod emissions;
pub mod ensemble;
pub mod error;
pub mod forcing;
pub mod model;
pub mod params;
pub mod rcmip;
pub mod scenarios;
pub mod thermal;
pub mod thermal3;

pub use emissions::{Emissions, NCOLS, SPECIES, parse_rcp_csv};
pub use error::ClimateError;
pub use model::{Output, run};
pub use params::{FORCING_NAMES, Fair16Params, GhgForcing, TemperatureModel};
pub use rcmip::{RcmipTable, parse_rcmip_csv};
pub use scenarios::Scenario;
pub use thermal3::ThreeLayerParams;

//! Default parameter set of `fair.forward.fair_scm` in FaIR 1.6.4 (multigas,
//! emissions-driven, `ghg_forcing="Etminan"`, `tropO3_forcing="stevenson"`,
//! `aerosol_forcing="aerocom+ghan"`, Millar temperature function, FaIR 1.0 carbon cycle).

use crate::carbon::CarbonParams;
use crate::constants::NGAS;
use crate::thermal::ThermalParams;
use crate::thermal3::ThreeLayerParams;

/// CO2/CH4/N2O forcing relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GhgForcing {
    /// Etminan et al. (2016), FaIR 1.6 default; stratospheric H2O ratio 0.12.
    Etminan,
    /// Myhre et al. (1998) / AR5; stratospheric H2O ratio 0.15.
    Myhre,
}

/// Which energy balance turns effective forcing into temperature.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TemperatureModel {
    /// FaIR 1.6's two-timescale response, parameterised by `thermal` (TCR, ECS, d).
    TwoBox,
    /// The three-layer energy balance of FaIR 2 (`thermal.f2x` still scales CO2 forcing).
    ThreeLayer(ThreeLayerParams),
}

/// Number of forcing agents in the output (FaIR non-AR6 diagnostics layout).
pub const NFORC: usize = 13;
/// Names of the 13 forcing columns, in FaIR order.
pub const FORCING_NAMES: [&str; NFORC] = [
    "CO2",
    "CH4",
    "N2O",
    "minor GHGs",
    "tropospheric O3",
    "stratospheric O3",
    "stratospheric H2O from CH4",
    "contrails",
    "aerosols",
    "BC on snow",
    "land use",
    "volcanic",
    "solar",
];

/// All parameters of the FaIR 1.6.4 forward model; `Default` gives FaIR 1.6.4 defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Fair16Params {
    /// Carbon cycle.
    pub carbon: CarbonParams,
    /// Two-box temperature response and the doubling forcing F2x.
    pub thermal: ThermalParams,
    /// Energy balance used for temperature (FaIR 1.6: two-box).
    pub temperature_model: TemperatureModel,
    /// Pre-industrial concentrations (CO2 ppm, CH4/N2O ppb, others ppt).
    pub c_pi: [f64; NGAS],
    /// Pre-industrial/reference emissions (40-column row; year cell unused).
    pub e_pi: [f64; 40],
    /// Gas lifetimes, yr (index 0 unused).
    pub lifetimes: [f64; NGAS],
    /// CO2/CH4/N2O forcing relationship.
    pub ghg_forcing: GhgForcing,
    /// Rescale the Etminan CO2 term to give `thermal.f2x` at doubling.
    pub scale_f2x: bool,
    /// Stratospheric H2O / CH4 forcing ratio; `None` = 0.12 (Etminan) or 0.15 (Myhre).
    pub stwv_from_ch4: Option<f64>,
    /// Efficacies of the 13 forcing agents (BC on snow = 3).
    pub efficacy: [f64; NFORC],
    /// Multiplicative scale factors of the 13 forcing agents.
    pub scale: [f64; NFORC],
    /// Fraction of oxidised methane that becomes CO2.
    pub ox_ch4_frac: f64,
    /// Fossil fraction of methane emissions (constant).
    pub fossil_ch4_frac: f64,
    /// Aviation fraction of NOx emissions (constant; default 0 = no contrails).
    pub avi_nox_frac: f64,
    /// Contrail reference forcing, W m-2.
    pub f_ref_avi_nox: f64,
    /// Contrail reference aviation NOx, Mt NO2/yr.
    pub e_ref_avi_nox: f64,
    /// BC-on-snow reference forcing, W m-2.
    pub f_ref_bc: f64,
    /// BC-on-snow reference emissions, Mt/yr.
    pub e_ref_bc: f64,
    /// Aerocom direct-aerosol efficiencies (SOx, CO, NMVOC, NOx, BC, OC, NH3).
    pub b_aero: [f64; 7],
    /// Ghan indirect-aerosol emulator parameters.
    pub ghan_params: [f64; 3],
    /// Rescale Ghan ERFaci to the AR5 best estimate.
    pub scale_aerosol_ar5: bool,
    /// Stevenson ozone pre-industrial `[CH4 ppb, CO, NMVOC, NOx]`.
    pub pi_tro3: [f64; 4],
    /// Apply the pre-1850 RCP fixes to ozone and aerosols.
    pub fix_pre1850_rcp: bool,
    /// Include the temperature feedback on tropospheric ozone.
    pub trop_o3_t_feedback: bool,
    /// Land-use forcing per cumulative land-use CO2, W m-2 / GtC.
    pub a_co2_land: f64,
    /// Add the CMIP6 volcanic ERF series (FaIR default).
    pub volcanic: bool,
    /// Add the CMIP6 solar ERF series (FaIR default).
    pub solar: bool,
    /// Add FaIR's natural CH4/N2O emissions series (FaIR default).
    pub natural_emissions: bool,
}

impl Default for Fair16Params {
    fn default() -> Self {
        let mut c_pi = [0.0; NGAS];
        c_pi[..4].copy_from_slice(&[278., 722., 273., 34.497]);
        c_pi[29] = 13.0975;
        c_pi[30] = 547.996;
        let mut efficacy = [1.0; NFORC];
        efficacy[9] = 3.0;
        Self {
            carbon: CarbonParams::default(),
            thermal: ThermalParams::default(),
            temperature_model: TemperatureModel::TwoBox,
            c_pi,
            e_pi: [0.0; 40],
            lifetimes: crate::constants::LIFETIME,
            ghg_forcing: GhgForcing::Etminan,
            scale_f2x: true,
            stwv_from_ch4: None,
            efficacy,
            scale: [1.0; NFORC],
            ox_ch4_frac: 0.61,
            fossil_ch4_frac: 0.0,
            avi_nox_frac: 0.0,
            f_ref_avi_nox: 0.0448,
            e_ref_avi_nox: 2.946,
            f_ref_bc: 0.04,
            e_ref_bc: 8.09,
            b_aero: [
                -6.2227e-3,
                0.0,
                -3.8392e-4,
                -1.16551e-3,
                1.601537e-2,
                -1.45339e-3,
                -1.55605e-3,
            ],
            ghan_params: [-1.95011431, 0.01107147, 0.01387492],
            scale_aerosol_ar5: true,
            pi_tro3: [722., 170., 10., 4.29],
            fix_pre1850_rcp: true,
            trop_o3_t_feedback: true,
            a_co2_land: -0.00113789,
            volcanic: true,
            solar: true,
            natural_emissions: true,
        }
    }
}

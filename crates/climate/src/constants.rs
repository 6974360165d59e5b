//! Physical constants and per-gas tables of FaIR 1.6.4 (`fair/constants/*.py`).
//!
//! The 31 greenhouse gases are in the RCP/AR5/CMIP5 order of FaIR's `aslist`: CO2, CH4,
//! N2O, then the 28 minor gases matching emissions columns 12..=39.

/// Number of greenhouse gases in the concentration vector.
pub const NGAS: usize = 31;

/// Gas names, concentration-vector order (CO2 ppm, CH4/N2O ppb, others ppt).
pub const GAS_NAMES: [&str; NGAS] = [
    "CO2",
    "CH4",
    "N2O",
    "CF4",
    "C2F6",
    "C6F14",
    "HFC23",
    "HFC32",
    "HFC43_10",
    "HFC125",
    "HFC134A",
    "HFC143A",
    "HFC227EA",
    "HFC245FA",
    "SF6",
    "CFC11",
    "CFC12",
    "CFC113",
    "CFC114",
    "CFC115",
    "CARB_TET",
    "MCF",
    "HCFC22",
    "HCFC141B",
    "HCFC142B",
    "HALON1211",
    "HALON1202",
    "HALON1301",
    "HALON2402",
    "CH3BR",
    "CH3CL",
];

/// Mass of the atmosphere, kg (`constants/general.py`).
pub const M_ATMOS: f64 = 5.1352e18;
/// Molecular weight of air, g/mol.
pub const MW_AIR: f64 = 28.97;
/// Molecular weight of carbon, g/mol.
pub const MW_C: f64 = 12.01;
/// Molecular weight of CH4, g/mol.
pub const MW_CH4: f64 = 16.04;
/// Molecular weight of N2O, g/mol.
pub const MW_N2O: f64 = 44.013;
/// Molecular weight of N2, g/mol.
pub const MW_N2: f64 = 28.013;
/// Atomic weight of N, g/mol.
pub const MW_N: f64 = 14.0067;
/// Molecular weight of NO, g/mol.
pub const MW_NO: f64 = 30.01;

/// GtC per ppm CO2: `M_ATMOS/1e18 * C/AIR` (~2.1289).
pub const PPM_GTC: f64 = M_ATMOS / 1e18 * MW_C / MW_AIR;

/// Molecular weights, g/mol (`molwt.aslist`).
pub const MOLWT: [f64; NGAS] = [
    44.01, 16.04, 44.013, 88.0043, 138.01, 338.041845, 70.01, 52.02, 252.055, 120.02, 102.03,
    84.04, 170.03, 134.05, 146.06, 137.37, 120.91, 187.376, 170.92, 154.466, 153.81, 133.4, 86.47,
    116.94, 100.49, 165.36, 209.82, 148.91, 259.823, 94.94, 50.49,
];

/// Atmospheric lifetimes, yr (`lifetime.aslist`; CO2 is a NaN placeholder in FaIR).
pub const LIFETIME: [f64; NGAS] = [
    f64::NAN,
    9.3,
    121.,
    50000.,
    10000.,
    3100.,
    222.,
    5.2,
    16.1,
    28.2,
    13.4,
    47.1,
    38.9,
    7.7,
    3200.,
    45.,
    100.,
    85.,
    190.,
    1020.,
    26.,
    5.,
    11.9,
    9.2,
    17.2,
    16.,
    2.9,
    65.,
    20.,
    0.8,
    1.,
];

/// Radiative efficiencies, W m-2 ppb-1 (`radeff.aslist`, AR5 WG1 Ch8 SM).
pub const RADEFF: [f64; NGAS] = [
    1.37e-5, 3.63e-4, 3.00e-3, 0.09, 0.25, 0.44, 0.18, 0.11, 0.42, 0.23, 0.16, 0.16, 0.26, 0.24,
    0.57, 0.26, 0.32, 0.30, 0.31, 0.20, 0.17, 0.07, 0.21, 0.16, 0.19, 0.29, 0.27, 0.30, 0.31,
    0.004, 0.01,
];

/// Chlorine atoms of the 16 ozone-depleting substances (gases 15..=30).
pub const CL_ATOMS: [f64; 16] = [
    3., 2., 3., 2., 1., 4., 3., 1., 2., 1., 1., 0., 0., 0., 0., 1.,
];
/// Bromine atoms of the 16 ozone-depleting substances.
pub const BR_ATOMS: [f64; 16] = [
    0., 0., 0., 0., 0., 0., 0., 0., 0., 0., 1., 2., 1., 2., 1., 0.,
];
/// Fractional stratospheric release of the 16 ozone-depleting substances.
pub const FRACREL: [f64; 16] = [
    0.47, 0.23, 0.29, 0.12, 0.04, 0.56, 0.67, 0.13, 0.34, 0.17, 0.62, 0.62, 0.28, 0.65, 0.60, 0.44,
];

/// Conversion factors emissions -> concentration as in `fair_scm`:
/// `M_ATMOS/1e18 * molwt/AIR`, with N2O divided by `N2O/N2` (emissions are Mt N2O-N).
/// FaIR divides emissions by this (Mt -> ppb, kt -> ppt).
pub fn emis2conc() -> [f64; NGAS] {
    let mut e = [0.0; NGAS];
    for (k, mw) in MOLWT.iter().enumerate() {
        e[k] = M_ATMOS / 1e18 * mw / MW_AIR;
    }
    e[2] /= MW_N2O / MW_N2;
    e
}

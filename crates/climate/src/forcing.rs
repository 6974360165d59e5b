//! Effective radiative forcing relationships of FaIR 1.6.4 (`fair/forcing/*.py`).
//!
//! Every function mirrors one FaIR function; the docs name it.

use crate::constants::{BR_ATOMS, CL_ATOMS, FRACREL, MW_N, MW_NO, RADEFF};

/// CO2, CH4, N2O forcing of Etminan et al. (2016) with band overlaps (`ghg.etminan`).
/// `c`, `cpi` are `[CO2 ppm, CH4 ppb, N2O ppb]`. With `scale_f2x` the CO2 term is rescaled
/// so that a doubling from `cpi` gives `f2x`.
pub fn etminan(c: [f64; 3], cpi: [f64; 3], f2x: f64, scale_f2x: bool) -> [f64; 3] {
    let cbar = 0.5 * (c[0] + cpi[0]);
    let mbar = 0.5 * (c[1] + cpi[1]);
    let nbar = 0.5 * (c[2] + cpi[2]);
    let scale_co2 = if scale_f2x {
        let f2x_etminan =
            (-2.4e-7 * cpi[0].powi(2) + 7.2e-4 * cpi[0] - 2.1e-4 * cpi[2] + 5.36) * 2f64.ln();
        f2x / f2x_etminan
    } else {
        1.0
    };
    let d = c[0] - cpi[0];
    [
        (-2.4e-7 * d * d + 7.2e-4 * d.abs() - 2.1e-4 * nbar + 5.36)
            * (c[0] / cpi[0]).ln()
            * scale_co2,
        (-1.3e-6 * mbar - 8.2e-6 * nbar + 0.043) * (c[1].sqrt() - cpi[1].sqrt()),
        (-8.0e-6 * cbar + 4.2e-6 * nbar - 4.9e-6 * mbar + 0.117) * (c[2].sqrt() - cpi[2].sqrt()),
    ]
}

/// Logarithmic CO2 forcing `F2x/ln 2 * ln(C/Cpi)` (`ghg.co2_log`).
pub fn co2_log(c: f64, cpi: f64, f2x: f64) -> f64 {
    f2x / 2f64.ln() * (c / cpi).ln()
}

fn mn(m: f64, n: f64) -> f64 {
    0.47 * (1.0 + 2.01e-5 * (m * n).powf(0.75) + 5.31e-15 * m * (m * n).powf(1.52)).ln()
}

/// Myhre et al. (1998) / AR5 CO2, CH4, N2O forcing (`ghg.myhre`).
pub fn myhre(c: [f64; 3], cpi: [f64; 3], f2x: f64) -> [f64; 3] {
    [
        co2_log(c[0], cpi[0], f2x),
        0.036 * (c[1].sqrt() - cpi[1].sqrt()) - (mn(c[1], cpi[2]) - mn(cpi[1], cpi[2])),
        0.12 * (c[2].sqrt() - cpi[2].sqrt()) - (mn(cpi[1], c[2]) - mn(cpi[1], cpi[2])),
    ]
}

/// Summed forcing of the 28 minor gases (indices 3..31, ppt): `sum((C-Cpi)*radeff*1e-3)`
/// (`ghg.minor_gases`).
pub fn minor_gases(c: &[f64], cpi: &[f64]) -> f64 {
    c.iter()
        .zip(cpi)
        .zip(&RADEFF[3..])
        .map(|((c, p), r)| (c - p) * r * 0.001)
        .sum()
}

/// Stratospheric ozone from EESC of the 16 ODSs (gases 15..31, ppt) (`ozone_st.magicc`).
pub fn strat_ozone_magicc(c_ods: &[f64], c0: &[f64]) -> f64 {
    const ETA1: f64 = -1.46030698e-5;
    const ETA2: f64 = 2.05401270e-3;
    const ETA3: f64 = 1.03143308;
    let mut cl = 0.0;
    let mut br = 0.0;
    for k in 0..16 {
        let x = 1000. * (c_ods[k] - c0[k]) * FRACREL[k] / FRACREL[0];
        cl += CL_ATOMS[k] * x;
        br += BR_ATOMS[k] * x;
    }
    let eesc = ((cl + 45.0 * br) * FRACREL[0]).max(0.0);
    ETA1 * (ETA2 * eesc).powf(ETA3)
}

/// Tropospheric ozone after Stevenson et al. (2013) (`ozone_tr.stevenson`). `row` is one
/// 40-column emissions row, `c_ch4` the methane concentration (ppb), `temp` the temperature
/// used for the climate feedback. `pi` = pre-industrial `[CH4 ppb, CO, NMVOC, NOx(as NO)]`.
pub fn trop_ozone_stevenson(
    row: &[f64; 40],
    c_ch4: f64,
    temp: f64,
    feedback: bool,
    fix_pre1850_rcp: bool,
    pi: [f64; 4],
) -> f64 {
    let f = trop_ozone_stevenson_emissions(row, c_ch4, fix_pre1850_rcp, pi);
    if feedback {
        f + trop_ozone_temperature_feedback(temp)
    } else {
        f
    }
}

/// [`trop_ozone_stevenson`] without the temperature feedback: the part set by emissions and
/// methane.
pub fn trop_ozone_stevenson_emissions(
    row: &[f64; 40],
    c_ch4: f64,
    fix_pre1850_rcp: bool,
    pi: [f64; 4],
) -> f64 {
    let (year, co, nmvoc, nox) = (row[0], row[6], row[7], row[8]);
    if year >= 1850.0 || !fix_pre1850_rcp {
        0.166 / 960. * (c_ch4 - pi[0])
            + 0.058 / 681.8 * (co - pi[1])
            + 0.035 / 155.84 * (nmvoc - pi[2])
            + 0.119 / 61.16 * (nox * MW_NO / MW_N - pi[3])
    } else {
        0.166 / 960. * (c_ch4 - 722.)
            + 0.058 / 681.8 * 215.59 * co / 385.59
            + 0.035 / 155.84 * 51.97 * nmvoc / 61.97
            + 0.119 / 61.16 * 7.31 * (nox * MW_NO / MW_N) / 11.6
    }
}

/// The temperature feedback on tropospheric ozone added by [`trop_ozone_stevenson`], W m-2
/// (zero at or below 0 K).
pub fn trop_ozone_temperature_feedback(temp: f64) -> f64 {
    if temp <= 0.0 {
        0.0
    } else {
        0.03189267 * (-1.34966941 * temp).exp() - 0.03214807
    }
}

/// Aerosol-radiation interaction forcing, linear in emissions minus `e_pi`
/// (`aerosols.aerocom_direct`); `beta` for SOx, CO, NMVOC, NOx, BC, OC, NH3.
pub fn aerocom_direct(row: &[f64; 40], e_pi: &[f64; 40], beta: [f64; 7]) -> f64 {
    (0..7).map(|k| beta[k] * (row[5 + k] - e_pi[5 + k])).sum()
}

/// RCP4.5 1850 emissions of SOx (Mt S) and BC+OC (Mt) used by FaIR's pre-1850 Ghan
/// interpolation (`r45e.sox[85]`, `r45e.bc[85] + r45e.oc[85]`).
const GHAN_E1850: [f64; 2] = [2.3458644, 3.0985525 + 22.041414];
/// Skeie et al. (2011) 1765 emissions used by the same interpolation.
const GHAN_E1765: [f64; 2] = [1.0, 11.2];
/// Ghan emulator forcing at 1765 and 2011 with default parameters (hard-coded in FaIR).
const GHAN_F1765: f64 = -0.3002836449793625;
const GHAN_F2011: f64 = -1.5236182344467388;

/// Aerosol-cloud interaction forcing, emulator of Ghan et al. (2013)
/// (`aerosols.ghan_indirect`). `params` = `[scale, b_SOx, b_POM]`.
pub fn ghan_indirect(
    row: &[f64; 40],
    fix_pre1850_rcp: bool,
    scale_ar5: bool,
    params: [f64; 3],
) -> f64 {
    let erfaci = |sox: f64, pom: f64| params[0] * (1.0 + params[1] * sox + params[2] * pom).ln();
    let year = row[0];
    let f_pd = if year >= 1850.0 || !fix_pre1850_rcp {
        erfaci(row[5], row[9] + row[10])
    } else {
        let w1850 = (year - 1765.) / 85.;
        let w1765 = (1850. - year) / 85.;
        erfaci(
            w1850 * GHAN_E1850[0] + w1765 * GHAN_E1765[0],
            w1850 * GHAN_E1850[1] + w1765 * GHAN_E1765[1],
        )
    };
    let scale = if scale_ar5 {
        -0.45 / (GHAN_F2011 - GHAN_F1765)
    } else {
        1.0
    };
    (f_pd - GHAN_F1765) * scale
}

/// Contrail forcing from aviation NOx (`contrails.from_aviNOx`, reference in NO2 units).
pub fn contrails_from_avinox(nox: f64, frac: f64, e_ref: f64, f_ref: f64) -> f64 {
    const MW_NO2: f64 = 46.0055;
    nox * frac * f_ref / e_ref * (MW_NO2 / MW_N)
}

//! The emissions-driven multigas forward model (`fair.forward.fair_scm` of FaIR 1.6.4 with
//! `emissions_driven=True, useMultigas=True`, no restart) and its output.
//!
//! Ancillary series (natural emissions, volcanic, solar) are looked up by calendar year
//! (FaIR indexes them by time step and so only accepts runs of exactly 1765..=2500):
//! volcanic/solar are zero outside 1765..=2500, natural emissions hold their end values.

use std::ops::RangeInclusive;

use crate::ClimateError;
use crate::ancil;
use crate::carbon::{self, CarbonState};
use crate::constants::{MW_C, MW_CH4, NGAS, PPM_GTC, emis2conc};
use crate::emissions::Emissions;
use crate::forcing;
use crate::params::{Fair16Params, GhgForcing, NFORC, TemperatureModel};
use crate::thermal;
use crate::thermal3::ThreeLayer;

/// Model output, one entry per emissions year.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// Years.
    pub years: Vec<f64>,
    /// Concentrations of the 31 gases (CO2 ppm, CH4/N2O ppb, others ppt).
    pub concentrations: Vec<[f64; NGAS]>,
    /// CO2 concentration, ppm.
    pub concentration_co2_ppm: Vec<f64>,
    /// Forcing by agent (see [`crate::params::FORCING_NAMES`]), W m-2.
    pub forcing: Vec<[f64; NFORC]>,
    /// Total forcing (unweighted sum, as `F.sum(axis=1)` in FaIR), W m-2.
    pub forcing_total: Vec<f64>,
    /// Temperature anomaly, K: relative to the pre-industrial state of the run (as FaIR),
    /// or to a baseline period after [`Output::rebased`].
    pub temperature: Vec<f64>,
}

impl Output {
    /// Subtracts the mean temperature over `period` (inclusive calendar years).
    pub fn rebased(&self, period: RangeInclusive<i32>) -> Result<Output, ClimateError> {
        let (s, e) = (f64::from(*period.start()), f64::from(*period.end()));
        let sel: Vec<f64> = self
            .years
            .iter()
            .zip(&self.temperature)
            .filter(|(y, _)| **y >= s && **y <= e)
            .map(|(_, t)| *t)
            .collect();
        if sel.is_empty() {
            return Err(ClimateError::EmptyBaseline {
                start: *period.start(),
                end: *period.end(),
            });
        }
        let base = sel.iter().sum::<f64>() / sel.len() as f64;
        let mut out = self.clone();
        out.temperature.iter_mut().for_each(|t| *t -= base);
        Ok(out)
    }

    /// Index of `year`, if in the run.
    pub fn index_of(&self, year: i32) -> Option<usize> {
        self.years.iter().position(|y| *y == f64::from(year))
    }

    /// Mean temperature over the inclusive year range (None if empty).
    pub fn mean_temperature(&self, period: RangeInclusive<i32>) -> Option<f64> {
        let (s, e) = (f64::from(*period.start()), f64::from(*period.end()));
        let v: Vec<f64> = self
            .years
            .iter()
            .zip(&self.temperature)
            .filter(|(y, _)| **y >= s && **y <= e)
            .map(|(_, t)| *t)
            .collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    }
}

fn natural_at(year: f64) -> [f64; 2] {
    let s = ancil::natural();
    ancil::at(s, year).unwrap_or(if year < ancil::FIRST_YEAR {
        s[0]
    } else {
        s[s.len() - 1]
    })
}

/// `emis_to_conc`: one-box gas cycle step; `decay` is `1 - exp(-1 / lifetime)`, the share
/// of the anomaly removed in a year (constant for a run, so computed once per gas).
fn emis_to_conc(c0: f64, e0: f64, e1: f64, decay: f64, vm: f64) -> f64 {
    c0 - c0 * decay + 0.5 * (e1 + e0) * vm
}

/// Runs FaIR 1.6.4's forward model on `emissions` (first row taken as pre-industrial
/// start, as FaIR does with the RCP tables starting in 1765).
pub fn run(emissions: &Emissions, p: &Fair16Params) -> Result<Output, ClimateError> {
    let rows = emissions.rows();
    let nt = rows.len();
    let e2c = emis2conc();
    let cpi = p.c_pi;
    let q = p.thermal.q();
    let d = p.thermal.d;
    let stwv = p.stwv_from_ch4.unwrap_or(match p.ghg_forcing {
        GhgForcing::Etminan => 0.12,
        GhgForcing::Myhre => 0.15,
    });
    let ghg = |c: [f64; 3]| match p.ghg_forcing {
        GhgForcing::Etminan => {
            forcing::etminan(c, [cpi[0], cpi[1], cpi[2]], p.thermal.f2x, p.scale_f2x)
        }
        GhgForcing::Myhre => forcing::myhre(c, [cpi[0], cpi[1], cpi[2]], p.thermal.f2x),
    };
    let natural = |year: f64| {
        if p.natural_emissions {
            natural_at(year)
        } else {
            [0.0, 0.0]
        }
    };

    let fossil_ch4 = |t: usize| {
        emissions
            .fossil_ch4_frac()
            .map_or(p.fossil_ch4_frac, |s| s[t])
    };

    let mut conc = vec![[0.0; NGAS]; nt];
    let mut forc = vec![[0.0; NFORC]; nt];
    let mut temp = vec![0.0; nt];

    // Emissions-only agents, computed for all years up front as FaIR does.
    let mut cum_land = 0.0;
    for (t, row) in rows.iter().enumerate() {
        let f = &mut forc[t];
        f[7] = forcing::contrails_from_avinox(
            row[8],
            emissions.avi_nox_frac().map_or(p.avi_nox_frac, |s| s[t]),
            p.e_ref_avi_nox,
            p.f_ref_avi_nox,
        );
        f[8] = forcing::aerocom_direct(row, &p.e_pi, p.b_aero)
            + forcing::ghan_indirect(row, p.fix_pre1850_rcp, p.scale_aerosol_ar5, p.ghan_params);
        f[9] = (row[9] - p.e_pi[9]) * p.f_ref_bc / p.e_ref_bc;
        cum_land += row[2] - p.e_pi[2];
        f[10] = cum_land * p.a_co2_land;
        if p.volcanic {
            f[11] = ancil::at(ancil::volcanic(), row[0]).unwrap_or(0.0);
        }
        if p.solar {
            f[12] = ancil::at(ancil::solar(), row[0]).unwrap_or(0.0);
        }
    }

    // Concentration-dependent agents for year index t (tropospheric O3 uses `t_prev`).
    let gas_forcing = |c: &[f64; NGAS], row: &[f64; 40], t_prev: f64, f: &mut [f64; NFORC]| {
        let g = ghg([c[0], c[1], c[2]]);
        f[..3].copy_from_slice(&g);
        f[3] = forcing::minor_gases(&c[3..], &cpi[3..]);
        f[4] = forcing::trop_ozone_stevenson(
            row,
            c[1],
            t_prev,
            p.trop_o3_t_feedback,
            p.fix_pre1850_rcp,
            p.pi_tro3,
        );
        f[5] = forcing::strat_ozone_magicc(&c[15..], &cpi[15..]);
        f[6] = stwv * f[1];
        for (x, s) in f[..7].iter_mut().zip(&p.scale[..7]) {
            *x *= s;
        }
    };

    // First time step.
    let e_co2 = |t: usize| rows[t][1] + rows[t][2];
    let boxes0 = p.carbon.a.map(|a| a * e_co2(0) / PPM_GTC);
    conc[0] = cpi;
    conc[0][0] = boxes0.iter().sum::<f64>() + cpi[0];
    gas_forcing(&conc[0], &rows[0], 0.0, &mut forc[0]);
    let f0: f64 = forc[0].iter().sum();
    let ebm = match &p.temperature_model {
        TemperatureModel::TwoBox => None,
        TemperatureModel::ThreeLayer(tp) => Some(ThreeLayer::new(tp)?),
    };
    // Two-box state (FaIR 1.6 starts it at q/d * F0) or three-layer state [F', T1, T2, T3].
    let mut tj = [q[0] / d[0] * f0, q[1] / d[1] * f0];
    let mut x3 = [0.0; 4];
    temp[0] = match &ebm {
        None => tj[0] + tj[1],
        Some(m) => {
            x3 = m.step(x3, f0);
            x3[1]
        }
    };

    let mut cs = CarbonState {
        boxes: boxes0,
        c_acc: 0.0,
        c: conc[0][0],
        alpha: 0.16,
    };
    let alpha_table = carbon::AlphaTable::shared(&p.carbon);
    let decay: [f64; NGAS] = std::array::from_fn(|g| 1.0 - (-1.0 / p.lifetimes[g]).exp());
    for t in 1..nt {
        let (row0, row1) = (&rows[t - 1], &rows[t]);
        // a. CO2, with oxidised fossil methane added to the boxes.
        let ox = ((conc[t - 1][1] - cpi[1])
            * decay[1]
            * (MW_C / MW_CH4 * 0.001 * p.ox_ch4_frac * fossil_ch4(t)))
        .max(0.0);
        let boxes_in = cs.boxes.map(|b| b + ox);
        cs = carbon::step(
            e_co2(t - 1),
            e_co2(t),
            temp[t - 1],
            &cs,
            boxes_in,
            cpi[0],
            &p.carbon,
            &alpha_table,
            row1[0],
        )?;
        let mut c = [0.0; NGAS];
        c[0] = cs.c;
        // b, c. CH4 and N2O with natural emissions of the current year.
        let nat = natural(row1[0]);
        for (g, col, n) in [(1usize, 3usize, nat[0]), (2, 4, nat[1])] {
            c[g] = emis_to_conc(
                conc[t - 1][g],
                row0[col] + n,
                row1[col] + n,
                decay[g],
                1.0 / e2c[g],
            );
        }
        // d. minor gases.
        for g in 3..NGAS {
            c[g] = emis_to_conc(
                conc[t - 1][g],
                row0[g + 9],
                row1[g + 9],
                decay[g],
                1.0 / e2c[g],
            );
        }
        conc[t] = c;
        gas_forcing(&conc[t], row1, temp[t - 1], &mut forc[t]);
        let f_eff: f64 = forc[t].iter().zip(&p.efficacy).map(|(f, e)| f * e).sum();
        temp[t] = match &ebm {
            None => {
                tj = thermal::step(tj, q, d, f_eff);
                tj[0] + tj[1]
            }
            Some(m) => {
                x3 = m.step(x3, f_eff);
                x3[1]
            }
        };
    }

    // FaIR multiplies the up-front agents of year 0 by the scale too; for t >= 1 it does so
    // only for the whole row inside the loop, which includes them. Apply to agents 7..13.
    for f in forc.iter_mut() {
        for (x, s) in f[7..].iter_mut().zip(&p.scale[7..]) {
            *x *= s;
        }
    }

    Ok(Output {
        years: emissions.years().to_vec(),
        concentration_co2_ppm: conc.iter().map(|c| c[0]).collect(),
        forcing_total: forc.iter().map(|f| f.iter().sum()).collect(),
        concentrations: conc,
        forcing: forc,
        temperature: temp,
    })
}

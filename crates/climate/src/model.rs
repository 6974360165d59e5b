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
        let mut out = self.clone();
        rebase(&out.years, &mut out.temperature, period)?;
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

/// Subtracts from `temperature` (one value per entry of `years`) its mean over `period`
/// (inclusive calendar years), in place: [`Output::rebased`] without the copy.
pub fn rebase(
    years: &[f64],
    temperature: &mut [f64],
    period: RangeInclusive<i32>,
) -> Result<(), ClimateError> {
    let (s, e) = (f64::from(*period.start()), f64::from(*period.end()));
    let in_period = || {
        years
            .iter()
            .zip(temperature.iter())
            .filter(|(y, _)| **y >= s && **y <= e)
            .map(|(_, t)| *t)
    };
    let n = in_period().count();
    if n == 0 {
        return Err(ClimateError::EmptyBaseline {
            start: *period.start(),
            end: *period.end(),
        });
    }
    let base = in_period().sum::<f64>() / n as f64;
    temperature.iter_mut().for_each(|t| *t -= base);
    Ok(())
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

/// The part of a run that the parameters an ensemble perturbs (carbon cycle, energy
/// balance, forcing scales and efficacies, the CO2/CH4/N2O forcing relationship) do not
/// touch, for every year: the concentrations of every gas but CO2, the oxidised fossil
/// methane added to the carbon boxes, the (unscaled) forcing of the minor gases, of
/// stratospheric ozone, of tropospheric ozone without its temperature feedback, and of the
/// emissions-only and prescribed agents. [`run`] prepares it for its one parameter set; an
/// ensemble prepares it once and runs every member it [`fits`](Prepared::fits) from it,
/// with the same arithmetic in the same order, so the results are the same to the bit.
#[derive(Debug, Clone)]
pub struct Prepared<'e> {
    emissions: &'e Emissions,
    /// The parameters it was prepared from, with those a member may change reset.
    key: Fair16Params,
    /// Concentrations; CO2 (index 0) stays pre-industrial here, each run sets its own.
    conc: Vec<[f64; NGAS]>,
    /// Oxidised fossil methane added to every CO2 box in year t (0 for t = 0), ppm.
    ox: Vec<f64>,
    /// Forcing of the minor gases, W m-2, unscaled.
    minor: Vec<f64>,
    /// Stratospheric ozone forcing, W m-2, unscaled.
    strat_o3: Vec<f64>,
    /// Tropospheric ozone forcing without the temperature feedback, W m-2, unscaled.
    trop_o3: Vec<f64>,
    /// Agents 7..13 (contrails, aerosols, BC on snow, land use, volcanic, solar), unscaled.
    rest: Vec<[f64; NFORC - 7]>,
}

/// `p` with the parameters a member may change without changing its [`Prepared`] reset to
/// the defaults: two parameter sets that agree here share one preparation. Anything not
/// named here (including fields added later) counts, which is always safe (a NaN anywhere
/// only makes the sets differ). CO2's lifetime, unused, is NaN by default: set to 0.
fn shared_part(p: &Fair16Params) -> Fair16Params {
    let d = Fair16Params::default();
    let mut lifetimes = p.lifetimes;
    lifetimes[0] = 0.0;
    Fair16Params {
        lifetimes,
        carbon: d.carbon,
        thermal: d.thermal,
        temperature_model: d.temperature_model,
        ghg_forcing: d.ghg_forcing,
        scale_f2x: d.scale_f2x,
        stwv_from_ch4: d.stwv_from_ch4,
        efficacy: d.efficacy,
        scale: d.scale,
        trop_o3_t_feedback: d.trop_o3_t_feedback,
        ..p.clone()
    }
}

impl<'e> Prepared<'e> {
    /// Computes the shared part of a run of `p` on `emissions`.
    pub fn new(emissions: &'e Emissions, p: &Fair16Params) -> Self {
        let rows = emissions.rows();
        let nt = rows.len();
        let e2c = emis2conc();
        let cpi = p.c_pi;
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

        // Emissions-only agents, computed for all years up front as FaIR does.
        let mut rest = vec![[0.0; NFORC - 7]; nt];
        let mut cum_land = 0.0;
        for (t, row) in rows.iter().enumerate() {
            let f = &mut rest[t];
            f[0] = forcing::contrails_from_avinox(
                row[8],
                emissions.avi_nox_frac().map_or(p.avi_nox_frac, |s| s[t]),
                p.e_ref_avi_nox,
                p.f_ref_avi_nox,
            );
            f[1] = forcing::aerocom_direct(row, &p.e_pi, p.b_aero)
                + forcing::ghan_indirect(
                    row,
                    p.fix_pre1850_rcp,
                    p.scale_aerosol_ar5,
                    p.ghan_params,
                );
            f[2] = (row[9] - p.e_pi[9]) * p.f_ref_bc / p.e_ref_bc;
            cum_land += row[2] - p.e_pi[2];
            f[3] = cum_land * p.a_co2_land;
            if p.volcanic {
                f[4] = ancil::at(ancil::volcanic(), row[0]).unwrap_or(0.0);
            }
            if p.solar {
                f[5] = ancil::at(ancil::solar(), row[0]).unwrap_or(0.0);
            }
        }

        let mut conc = vec![cpi; nt];
        let mut ox = vec![0.0; nt];
        let decay: [f64; NGAS] = std::array::from_fn(|g| 1.0 - (-1.0 / p.lifetimes[g]).exp());
        for t in 1..nt {
            let (row0, row1) = (&rows[t - 1], &rows[t]);
            // a. The oxidised fossil methane that the carbon cycle adds to its boxes.
            ox[t] = ((conc[t - 1][1] - cpi[1])
                * decay[1]
                * (MW_C / MW_CH4 * 0.001 * p.ox_ch4_frac * fossil_ch4(t)))
            .max(0.0);
            let mut c = cpi;
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
        }
        let minor = conc
            .iter()
            .map(|c| forcing::minor_gases(&c[3..], &cpi[3..]))
            .collect();
        let strat_o3 = conc
            .iter()
            .map(|c| forcing::strat_ozone_magicc(&c[15..], &cpi[15..]))
            .collect();
        let trop_o3 = conc
            .iter()
            .zip(rows)
            .map(|(c, row)| {
                forcing::trop_ozone_stevenson_emissions(row, c[1], p.fix_pre1850_rcp, p.pi_tro3)
            })
            .collect();
        Self {
            emissions,
            key: shared_part(p),
            conc,
            ox,
            minor,
            strat_o3,
            trop_o3,
            rest,
        }
    }

    /// Whether a run of `p` on these emissions can start from this preparation.
    pub fn fits(&self, p: &Fair16Params) -> bool {
        shared_part(p) == self.key
    }

    /// Runs `p` from this preparation (which must [fit](Prepared::fits) it), calling
    /// `record(t, co2 ppm, forcing, temperature)` for every year in order, with the forcing
    /// of every agent scaled as the temperature saw it.
    fn simulate(
        &self,
        p: &Fair16Params,
        mut record: impl FnMut(usize, f64, &[f64; NFORC], f64),
    ) -> Result<(), ClimateError> {
        debug_assert!(self.fits(p));
        let rows = self.emissions.rows();
        let nt = rows.len();
        if nt == 0 {
            return Ok(());
        }
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
        // Forcing of year t for CO2 at `co2` ppm (tropospheric O3 uses `t_prev`), every
        // agent scaled: FaIR multiplies the whole row `F[t,:] * scale[t,:]`, the agents it
        // computed up front included, before the row drives the temperature.
        let forcing_at = |t: usize, co2: f64, t_prev: f64| {
            let c = &self.conc[t];
            let mut f = [0.0; NFORC];
            let g = ghg([co2, c[1], c[2]]);
            f[..3].copy_from_slice(&g);
            f[3] = self.minor[t];
            f[4] = if p.trop_o3_t_feedback {
                self.trop_o3[t] + forcing::trop_ozone_temperature_feedback(t_prev)
            } else {
                self.trop_o3[t]
            };
            f[5] = self.strat_o3[t];
            f[6] = stwv * f[1];
            f[7..].copy_from_slice(&self.rest[t]);
            for (x, s) in f.iter_mut().zip(&p.scale) {
                *x *= s;
            }
            f
        };

        // First time step.
        let e_co2 = |t: usize| rows[t][1] + rows[t][2];
        let boxes0 = p.carbon.a.map(|a| a * e_co2(0) / PPM_GTC);
        let c0 = boxes0.iter().sum::<f64>() + cpi[0];
        let f = forcing_at(0, c0, 0.0);
        let f0: f64 = f.iter().sum();
        let ebm = match &p.temperature_model {
            TemperatureModel::TwoBox => None,
            TemperatureModel::ThreeLayer(tp) => Some(ThreeLayer::new(tp)?),
        };
        // Two-box state (FaIR 1.6 starts it at q/d * F0) or three-layer state [F', T1, T2, T3].
        let mut tj = [q[0] / d[0] * f0, q[1] / d[1] * f0];
        let mut x3 = [0.0; 4];
        let mut temp = match &ebm {
            None => tj[0] + tj[1],
            Some(m) => {
                x3 = m.step(x3, f0);
                x3[1]
            }
        };
        record(0, c0, &f, temp);

        let mut cs = CarbonState {
            boxes: boxes0,
            c_acc: 0.0,
            c: c0,
            alpha: 0.16,
        };
        let alpha_table = carbon::AlphaTable::shared(&p.carbon);
        for (t, row) in rows.iter().enumerate().skip(1) {
            // a. CO2, with oxidised fossil methane added to the boxes.
            let ox = self.ox[t];
            let boxes_in = cs.boxes.map(|b| b + ox);
            cs = carbon::step(
                e_co2(t - 1),
                e_co2(t),
                temp,
                &cs,
                boxes_in,
                cpi[0],
                &p.carbon,
                &alpha_table,
                row[0],
            )?;
            let f = forcing_at(t, cs.c, temp);
            let f_eff: f64 = f.iter().zip(&p.efficacy).map(|(f, e)| f * e).sum();
            temp = match &ebm {
                None => {
                    tj = thermal::step(tj, q, d, f_eff);
                    tj[0] + tj[1]
                }
                Some(m) => {
                    x3 = m.step(x3, f_eff);
                    x3[1]
                }
            };
            record(t, cs.c, &f, temp);
        }
        Ok(())
    }

    /// A run of `p` from this preparation, keeping temperature and CO2 only: `(temperature,
    /// CO2 ppm)`, the same as [`run`]'s.
    pub fn temperature_and_co2(
        &self,
        p: &Fair16Params,
    ) -> Result<(Vec<f64>, Vec<f64>), ClimateError> {
        let nt = self.emissions.len();
        let mut temp = Vec::with_capacity(nt);
        let mut co2 = Vec::with_capacity(nt);
        self.simulate(p, |_, c, _, t| {
            co2.push(c);
            temp.push(t);
        })?;
        Ok((temp, co2))
    }

    /// The full output of a run of `p` from this preparation, as [`run`].
    pub fn run(&self, p: &Fair16Params) -> Result<Output, ClimateError> {
        let nt = self.emissions.len();
        let mut conc = Vec::with_capacity(nt);
        let mut forc = Vec::with_capacity(nt);
        let mut temp = Vec::with_capacity(nt);
        self.simulate(p, |t, c, f, tt| {
            let mut row = self.conc[t];
            row[0] = c;
            conc.push(row);
            forc.push(*f);
            temp.push(tt);
        })?;
        Ok(Output {
            years: self.emissions.years().to_vec(),
            concentration_co2_ppm: conc.iter().map(|c| c[0]).collect(),
            forcing_total: forc.iter().map(|f| f.iter().sum()).collect(),
            concentrations: conc,
            forcing: forc,
            temperature: temp,
        })
    }
}

/// Runs FaIR 1.6.4's forward model on `emissions` (first row taken as pre-industrial
/// start, as FaIR does with the RCP tables starting in 1765).
pub fn run(emissions: &Emissions, p: &Fair16Params) -> Result<Output, ClimateError> {
    Prepared::new(emissions, p).run(p)
}

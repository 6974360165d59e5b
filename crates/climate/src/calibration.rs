//! Calibration of model parameters to assessed warming, and the calibrated sets.
//!
//! Targets are IPCC AR6 WG1 SPM Table SPM.1 (long term, 2081–2100 relative to
//! 1850–1900): best estimates and very likely (5–95%) ranges of global surface air
//! temperature change for the five core SSPs. A fit chooses the free parameters
//! ([`Knob`]) that minimise the sum of squared differences between the model's 2081–2100
//! mean warming (rebased to its own 1850–1900 mean) and the targets, by Nelder–Mead.
//!
//! The calibrated sets ([`calibrated`], [`calibrated_three_layer`]) are the output of
//! [`fit`] on all five SSPs, rounded to four significant digits; the crate's tests refit
//! them from scratch and check the constants, and check an out-of-sample fit (three SSPs
//! in, two out). See docs/CLIMATE_METHOD.md.

use crate::ClimateError;
use crate::emissions::Emissions;
use crate::model::run;
use crate::params::{Fair16Params, TemperatureModel};
use crate::scenarios::Scenario;
use crate::thermal3::ThreeLayerParams;

/// AR6 WG1 SPM Table SPM.1, 2081–2100 vs 1850–1900: `(scenario, best, very likely low,
/// very likely high)`, K.
pub const AR6_SPM1: [(Scenario, f64, f64, f64); 5] = [
    (Scenario::Ssp119, 1.4, 1.0, 1.8),
    (Scenario::Ssp126, 1.8, 1.3, 2.4),
    (Scenario::Ssp245, 2.7, 2.1, 3.5),
    (Scenario::Ssp370, 3.6, 2.8, 4.6),
    (Scenario::Ssp585, 4.4, 3.3, 5.7),
];

/// The period the targets refer to.
pub const TARGET_PERIOD: (i32, i32) = (2081, 2100);
/// The reference period temperatures are rebased to.
pub const BASE_PERIOD: (i32, i32) = (1850, 1900);

/// A free parameter of a fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Knob {
    /// Two-box transient climate response, K.
    Tcr,
    /// Two-box equilibrium climate sensitivity, K.
    Ecs,
    /// Three-layer feedback parameter κ1, W m-2 K-1.
    Kappa1,
    /// Three-layer deep-ocean heat uptake efficacy ε.
    Efficacy,
    /// Scale factor of aerosol forcing (ERFari + ERFaci).
    AerosolScale,
    /// Pre-industrial iIRF100 of the carbon cycle `r0`, yr.
    CarbonR0,
}

impl Knob {
    /// Name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Knob::Tcr => "TCR",
            Knob::Ecs => "ECS",
            Knob::Kappa1 => "kappa1",
            Knob::Efficacy => "efficacy",
            Knob::AerosolScale => "aerosol scale",
            Knob::CarbonR0 => "r0",
        }
    }

    fn get(self, p: &Fair16Params) -> f64 {
        match (self, &p.temperature_model) {
            (Knob::AerosolScale, _) => p.scale[8],
            (Knob::CarbonR0, _) => p.carbon.r0,
            (Knob::Tcr, _) => p.thermal.tcr,
            (Knob::Ecs, _) => p.thermal.ecs,
            (Knob::Kappa1, TemperatureModel::ThreeLayer(t)) => t.heat_transfer[0],
            (Knob::Efficacy, TemperatureModel::ThreeLayer(t)) => t.deep_ocean_efficacy,
            (_, TemperatureModel::TwoBox) => f64::NAN,
        }
    }

    fn set(self, p: &mut Fair16Params, v: f64) {
        match (self, &mut p.temperature_model) {
            (Knob::AerosolScale, _) => p.scale[8] = v,
            (Knob::CarbonR0, _) => p.carbon.r0 = v,
            (Knob::Tcr, _) => p.thermal.tcr = v,
            (Knob::Ecs, _) => p.thermal.ecs = v,
            (Knob::Kappa1, TemperatureModel::ThreeLayer(t)) => t.heat_transfer[0] = v,
            (Knob::Efficacy, TemperatureModel::ThreeLayer(t)) => t.deep_ocean_efficacy = v,
            (_, TemperatureModel::TwoBox) => {}
        }
    }
}

/// What a target measures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Metric {
    /// Mean warming over the inclusive years, relative to [`BASE_PERIOD`], K.
    Warming(i32, i32),
    /// CO2 concentration in a year, ppm.
    Co2(i32),
}

/// One calibration target.
#[derive(Debug, Clone)]
pub struct Target {
    /// Label for reports.
    pub label: String,
    /// Emissions to run.
    pub emissions: Emissions,
    /// What is compared.
    pub metric: Metric,
    /// Target value.
    pub value: f64,
    /// Scale of the residual in the objective (residuals are divided by it).
    pub sigma: f64,
}

/// AR6 WG1 SPM A.1.2: observed warming 2011–2020 vs 1850–1900, best estimate, K.
pub const AR6_OBSERVED_2011_2020: f64 = 1.09;
/// NOAA GML global mean surface CO2, annual mean 2014, ppm (Lan, Tans & Thoning,
/// NOAA Global Monitoring Laboratory, `co2_annmean_gl.txt`).
pub const NOAA_CO2_2014: f64 = 397.15;

impl Target {
    /// The AR6 SPM.1 best estimate for `s` (2081–2100), residual scale 0.1 K.
    pub fn ar6(s: Scenario) -> Result<Self, ClimateError> {
        let value =
            AR6_SPM1
                .iter()
                .find(|t| t.0 == s)
                .map(|t| t.1)
                .ok_or(ClimateError::BadParameter {
                    name: "scenario",
                    value: f64::NAN,
                    reason: "no AR6 SPM.1 target for this scenario",
                })?;
        Ok(Self {
            label: format!("{} 2081-2100", s.label()),
            emissions: s.emissions()?,
            metric: Metric::Warming(TARGET_PERIOD.0, TARGET_PERIOD.1),
            value,
            sigma: 0.1,
        })
    }

    /// Observed warming 2011–2020 (AR6), on the SSP2-4.5 history, residual scale 0.05 K.
    pub fn observed_warming() -> Result<Self, ClimateError> {
        Ok(Self {
            label: "observed 2011-2020".into(),
            emissions: Scenario::Ssp245.emissions()?,
            metric: Metric::Warming(2011, 2020),
            value: AR6_OBSERVED_2011_2020,
            sigma: 0.05,
        })
    }

    /// Observed CO2 in 2014 (NOAA), on the SSP2-4.5 history, residual scale 2 ppm.
    pub fn observed_co2() -> Result<Self, ClimateError> {
        Ok(Self {
            label: "CO2 2014".into(),
            emissions: Scenario::Ssp245.emissions()?,
            metric: Metric::Co2(2014),
            value: NOAA_CO2_2014,
            sigma: 2.0,
        })
    }

    /// The model's value of this target's metric under `p`.
    pub fn model_value(&self, p: &Fair16Params) -> Result<f64, ClimateError> {
        let out = run(&self.emissions, p)?;
        match self.metric {
            Metric::Warming(a, b) => out
                .rebased(BASE_PERIOD.0..=BASE_PERIOD.1)?
                .mean_temperature(a..=b)
                .ok_or(ClimateError::EmptyBaseline { start: a, end: b }),
            Metric::Co2(y) => out
                .index_of(y)
                .map(|i| out.concentration_co2_ppm[i])
                .ok_or(ClimateError::EmptyBaseline { start: y, end: y }),
        }
    }
}

/// Result of a fit.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// Fitted parameter set.
    pub params: Fair16Params,
    /// Fitted values of the knobs, in the order given.
    pub values: Vec<f64>,
    /// Model minus target for each target (K or ppm).
    pub residuals: Vec<f64>,
    /// Objective evaluations used.
    pub evaluations: usize,
}

/// Fits `knobs` of `base` to `targets` by Nelder–Mead on the sum of squared residuals,
/// starting from the base values. Parameter combinations the model rejects (e.g. ECS
/// below TCR) count as infinitely bad.
pub fn fit(base: &Fair16Params, knobs: &[Knob], targets: &[Target]) -> Result<Fit, ClimateError> {
    let x0: Vec<f64> = knobs.iter().map(|k| k.get(base)).collect();
    if let Some(i) = x0.iter().position(|v| !v.is_finite()) {
        return Err(ClimateError::BadParameter {
            name: knobs[i].name(),
            value: x0[i],
            reason: "knob does not apply to this temperature model",
        });
    }
    let with = |x: &[f64]| {
        let mut p = base.clone();
        for (k, v) in knobs.iter().zip(x) {
            k.set(&mut p, *v);
        }
        p
    };
    let residuals = |x: &[f64]| -> Option<Vec<f64>> {
        if x.iter().any(|v| *v <= 0.0) {
            return None;
        }
        let p = with(x);
        if p.thermal.ecs <= p.thermal.tcr {
            return None;
        }
        targets
            .iter()
            .map(|t| t.model_value(&p).ok().map(|w| w - t.value))
            .collect()
    };
    let objective = |x: &[f64]| {
        residuals(x).map_or(f64::INFINITY, |r| {
            r.iter()
                .zip(targets)
                .map(|(e, t)| (e / t.sigma).powi(2))
                .sum()
        })
    };
    let (x, evaluations) = nelder_mead(objective, &x0, 0.05, 1e-12, 2000);
    let r = residuals(&x).ok_or(ClimateError::BadParameter {
        name: "fit",
        value: f64::NAN,
        reason: "the optimum is outside the model's domain",
    })?;
    Ok(Fit {
        params: with(&x),
        values: x,
        residuals: r,
        evaluations,
    })
}

/// Minimises `f` from `x0` with initial simplex steps of `step` (relative); stops when
/// the spread of objective values falls below `ftol` or after `max_eval` evaluations.
/// Returns the best point and the number of evaluations.
pub fn nelder_mead(
    f: impl Fn(&[f64]) -> f64,
    x0: &[f64],
    step: f64,
    ftol: f64,
    max_eval: usize,
) -> (Vec<f64>, usize) {
    let n = x0.len();
    let mut simplex: Vec<Vec<f64>> = vec![x0.to_vec()];
    for i in 0..n {
        let mut x = x0.to_vec();
        x[i] = if x[i] == 0.0 {
            step
        } else {
            x[i] * (1.0 + step)
        };
        simplex.push(x);
    }
    let mut fx: Vec<f64> = simplex.iter().map(|x| f(x)).collect();
    let mut evals = n + 1;
    while evals < max_eval {
        let mut order: Vec<usize> = (0..=n).collect();
        order.sort_by(|a, b| fx[*a].total_cmp(&fx[*b]));
        simplex = order.iter().map(|i| simplex[*i].clone()).collect();
        fx = order.iter().map(|i| fx[*i]).collect();
        if (fx[n] - fx[0]).abs() <= ftol {
            break;
        }
        let centroid: Vec<f64> = (0..n)
            .map(|j| simplex[..n].iter().map(|x| x[j]).sum::<f64>() / n as f64)
            .collect();
        let along = |t: f64| -> Vec<f64> {
            (0..n)
                .map(|j| centroid[j] + t * (simplex[n][j] - centroid[j]))
                .collect()
        };
        let xr = along(-1.0);
        let fr = f(&xr);
        evals += 1;
        if fr < fx[0] {
            let xe = along(-2.0);
            let fe = f(&xe);
            evals += 1;
            if fe < fr {
                simplex[n] = xe;
                fx[n] = fe;
            } else {
                simplex[n] = xr;
                fx[n] = fr;
            }
        } else if fr < fx[n - 1] {
            simplex[n] = xr;
            fx[n] = fr;
        } else {
            let (xc, fc) = if fr < fx[n] {
                let xc = along(-0.5);
                let fc = f(&xc);
                (xc, fc)
            } else {
                let xc = along(0.5);
                let fc = f(&xc);
                (xc, fc)
            };
            evals += 1;
            if fc < fx[n].min(fr) {
                simplex[n] = xc;
                fx[n] = fc;
            } else {
                let best = simplex[0].clone();
                for i in 1..=n {
                    for (x, b) in simplex[i].iter_mut().zip(&best) {
                        *x = b + 0.5 * (*x - b);
                    }
                    fx[i] = f(&simplex[i]);
                }
                evals += n;
            }
        }
    }
    let best = (0..=n)
        .min_by(|a, b| fx[*a].total_cmp(&fx[*b]))
        .unwrap_or(0);
    (simplex[best].clone(), evals)
}

/// A named parameter set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamSet {
    /// FaIR 1.6.4 defaults.
    Fair16,
    /// TCR and ECS fitted to the five AR6 SPM.1 best estimates.
    Calibrated,
    /// TCR, ECS, aerosol scale and r0 fitted to the five AR6 best estimates, observed
    /// warming 2011–2020 and observed CO2 in 2014.
    CalibratedHist,
    /// Three-layer energy balance, κ1 and ε fitted to the five AR6 best estimates.
    ThreeLayer,
}

impl ParamSet {
    /// All sets.
    pub const ALL: [ParamSet; 4] = [
        ParamSet::Fair16,
        ParamSet::Calibrated,
        ParamSet::CalibratedHist,
        ParamSet::ThreeLayer,
    ];

    /// Command-line id.
    pub fn id(self) -> &'static str {
        match self {
            ParamSet::Fair16 => "fair16",
            ParamSet::Calibrated => "calibrated",
            ParamSet::CalibratedHist => "calibrated-hist",
            ParamSet::ThreeLayer => "three-layer",
        }
    }

    /// The parameters.
    pub fn params(self) -> Fair16Params {
        match self {
            ParamSet::Fair16 => Fair16Params::default(),
            ParamSet::Calibrated => calibrated(),
            ParamSet::CalibratedHist => calibrated_hist(),
            ParamSet::ThreeLayer => calibrated_three_layer(),
        }
    }

    /// The knobs that were fitted, and the targets they were fitted to (see the tests).
    pub fn fitted(self) -> (&'static [Knob], &'static str) {
        match self {
            ParamSet::Fair16 => (&[], "none (FaIR 1.6.4 defaults)"),
            ParamSet::Calibrated => (
                &[Knob::Tcr, Knob::Ecs],
                "AR6 SPM.1 best estimates for SSP1-1.9, SSP1-2.6, SSP2-4.5, SSP3-7.0, SSP5-8.5",
            ),
            ParamSet::CalibratedHist => (
                &[Knob::Tcr, Knob::Ecs, Knob::AerosolScale, Knob::CarbonR0],
                "the five AR6 SPM.1 best estimates, AR6 observed warming 2011-2020 and NOAA CO2 2014",
            ),
            ParamSet::ThreeLayer => (
                &[Knob::Kappa1, Knob::Efficacy],
                "AR6 SPM.1 best estimates for SSP1-1.9, SSP1-2.6, SSP2-4.5, SSP3-7.0, SSP5-8.5",
            ),
        }
    }
}

impl std::str::FromStr for ParamSet {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ParamSet::ALL
            .into_iter()
            .find(|p| p.id() == s)
            .ok_or_else(|| {
                let ids: Vec<&str> = ParamSet::ALL.iter().map(|p| p.id()).collect();
                format!("unknown parameter set `{s}` (one of {})", ids.join(", "))
            })
    }
}

/// FaIR 1.6.4 defaults with TCR and ECS fitted to the five AR6 SPM.1 best estimates
/// (the SSPs run with their fossil-CH4 and aviation-NOx fractions).
pub fn calibrated() -> Fair16Params {
    let mut p = Fair16Params::default();
    p.thermal.tcr = CALIBRATED_TCR;
    p.thermal.ecs = CALIBRATED_ECS;
    p
}

/// Fitted two-box TCR, K (see [`calibrated`]).
pub const CALIBRATED_TCR: f64 = 1.655;
/// Fitted two-box ECS, K (see [`calibrated`]).
pub const CALIBRATED_ECS: f64 = 2.810;

/// FaIR 1.6.4 defaults with TCR, ECS, the aerosol forcing scale and r0 fitted to the five
/// AR6 best estimates (residual scale 0.1 K), AR6 observed warming 2011–2020 (0.05 K) and
/// NOAA CO2 in 2014 (2 ppm).
pub fn calibrated_hist() -> Fair16Params {
    let mut p = Fair16Params::default();
    p.thermal.tcr = HIST_TCR;
    p.thermal.ecs = HIST_ECS;
    p.scale[8] = HIST_AEROSOL_SCALE;
    p.carbon.r0 = HIST_R0;
    p
}

/// Fitted TCR of [`calibrated_hist`], K.
pub const HIST_TCR: f64 = 1.738;
/// Fitted ECS of [`calibrated_hist`], K.
pub const HIST_ECS: f64 = 3.320;
/// Fitted aerosol forcing scale of [`calibrated_hist`].
pub const HIST_AEROSOL_SCALE: f64 = 1.436;
/// Fitted r0 of [`calibrated_hist`], yr.
pub const HIST_R0: f64 = 31.56;

/// FaIR 1.6.4 forcing and carbon cycle with the three-layer energy balance: heat
/// capacities and κ2, κ3, γ of Cummins et al. (2020) for HadGEM2-ES, with κ1 and ε fitted
/// to the five AR6 SPM.1 best estimates.
pub fn calibrated_three_layer() -> Fair16Params {
    let mut tp = ThreeLayerParams::cummins_hadgem2_es();
    tp.heat_transfer[0] = CALIBRATED_KAPPA1;
    tp.deep_ocean_efficacy = CALIBRATED_EFFICACY;
    Fair16Params {
        temperature_model: TemperatureModel::ThreeLayer(tp),
        ..Fair16Params::default()
    }
}

/// Fitted three-layer feedback parameter κ1, W m-2 K-1.
pub const CALIBRATED_KAPPA1: f64 = 1.263;
/// Fitted three-layer deep-ocean efficacy ε.
pub const CALIBRATED_EFFICACY: f64 = 2.138;

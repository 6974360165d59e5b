//! Three-layer energy balance model (Held et al. 2010; Geoffroy et al. 2013; Cummins,
//! Stephenson & Stott 2020), in the deterministic form used by FaIR 2
//! (`fair/energy_balance_model.py`, Leach et al. 2021; Smith et al. 2024):
//!
//! ```text
//! dF'/dt   = γ (F − F')                                   forcing seen by the surface
//! C1 dT1/dt = F' − κ1 T1 − κ2 (T1 − T2)                   surface / mixed layer
//! C2 dT2/dt = κ2 (T1 − T2) − ε κ3 (T2 − T3)               thermocline
//! C3 dT3/dt = κ3 (T2 − T3)                                 deep ocean
//! ```
//!
//! `κ1` is the climate feedback parameter (stabilising positive), `ε` the efficacy of
//! deep-ocean heat uptake, `γ` the continuous-time autocorrelation of the forcing (FaIR 2
//! keeps it in the deterministic run, where it acts as a short lag). The system
//! `dx/dt = A x + b F` is integrated exactly over each year for forcing held constant
//! through the year: `x[t] = e^A x[t-1] + A^-1 (e^A − I) b F[t]`. Both terms come from one
//! matrix exponential of the augmented matrix `[[A, b], [0, 0]]` (scaling and squaring of
//! a Taylor series; the matrices are 5×5).
//!
//! Emergent properties: ECS = F2x / κ1 exactly (all layers equal at equilibrium), TCR the
//! surface temperature after 69.661 years of a linear forcing ramp reaching F2x (1%/yr
//! CO2), computed with the same exact exponential of a ramp-augmented system.

use crate::ClimateError;

/// Parameters of the three-layer model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThreeLayerParams {
    /// Heat capacities of the three layers, top first, W yr m-2 K-1.
    pub heat_capacity: [f64; 3],
    /// `[κ1, κ2, κ3]`: feedback parameter and the two inter-layer heat transfer
    /// coefficients, W m-2 K-1.
    pub heat_transfer: [f64; 3],
    /// Efficacy of deep-ocean heat uptake `ε`.
    pub deep_ocean_efficacy: f64,
    /// Forcing autocorrelation `γ`, yr-1.
    pub gamma: f64,
}

impl ThreeLayerParams {
    /// Maximum-likelihood estimates for HadGEM2-ES of Cummins et al. (2020), J. Climate
    /// 33, 7909, as used in FaIR 2's `n-layer-ebm` example: C = 3.62, 9.47, 98.66;
    /// κ = 0.54, 2.39, 0.63; ε = 1.59; γ = 1.73.
    pub fn cummins_hadgem2_es() -> Self {
        Self {
            heat_capacity: [3.62, 9.47, 98.66],
            heat_transfer: [0.54, 2.39, 0.63],
            deep_ocean_efficacy: 1.59,
            gamma: 1.73,
        }
    }

    fn validate(&self) -> Result<(), ClimateError> {
        let checks: [(&'static str, f64); 8] = [
            ("heat_capacity[0]", self.heat_capacity[0]),
            ("heat_capacity[1]", self.heat_capacity[1]),
            ("heat_capacity[2]", self.heat_capacity[2]),
            ("heat_transfer[0]", self.heat_transfer[0]),
            ("heat_transfer[1]", self.heat_transfer[1]),
            ("heat_transfer[2]", self.heat_transfer[2]),
            ("deep_ocean_efficacy", self.deep_ocean_efficacy),
            ("gamma", self.gamma),
        ];
        for (name, value) in checks {
            if !(value.is_finite() && value > 0.0) {
                return Err(ClimateError::BadParameter {
                    name,
                    value,
                    reason: "must be finite and positive",
                });
            }
        }
        Ok(())
    }

    /// The 4×4 system matrix over the state `[F', T1, T2, T3]` and its forcing vector.
    fn system(&self) -> ([[f64; 4]; 4], [f64; 4]) {
        let [c1, c2, c3] = self.heat_capacity;
        let [k1, k2, k3] = self.heat_transfer;
        let e = self.deep_ocean_efficacy;
        let g = self.gamma;
        let a = [
            [-g, 0.0, 0.0, 0.0],
            [1.0 / c1, -(k1 + k2) / c1, k2 / c1, 0.0],
            [0.0, k2 / c2, -(k2 + e * k3) / c2, e * k3 / c2],
            [0.0, 0.0, k3 / c3, -k3 / c3],
        ];
        (a, [g, 0.0, 0.0, 0.0])
    }

    /// Equilibrium climate sensitivity for a doubling forcing `f2x`, K.
    pub fn ecs(&self, f2x: f64) -> f64 {
        f2x / self.heat_transfer[0]
    }

    /// Transient climate response for a doubling forcing `f2x`: surface temperature at
    /// `t_dbl` years (69.661 for 1%/yr) of a linear forcing ramp reaching `f2x` then, K.
    pub fn tcr(&self, f2x: f64, t_dbl: f64) -> Result<f64, ClimateError> {
        self.validate()?;
        let (a, b) = self.system();
        // State [F', T1, T2, T3, F, 1]: dF/dt = f2x / t_dbl.
        let mut m = vec![vec![0.0; 6]; 6];
        for i in 0..4 {
            m[i][..4].copy_from_slice(&a[i]);
            m[i][4] = b[i];
        }
        m[4][5] = f2x / t_dbl;
        for row in m.iter_mut() {
            for x in row.iter_mut() {
                *x *= t_dbl;
            }
        }
        let e = expm(&m);
        Ok(e[1][5])
    }
}

/// Exactly discretised one-year step of the model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThreeLayer {
    ad: [[f64; 4]; 4],
    bd: [f64; 4],
}

impl ThreeLayer {
    /// Discretises `p` for a one-year step.
    pub fn new(p: &ThreeLayerParams) -> Result<Self, ClimateError> {
        p.validate()?;
        let (a, b) = p.system();
        let mut m = vec![vec![0.0; 5]; 5];
        for i in 0..4 {
            m[i][..4].copy_from_slice(&a[i]);
            m[i][4] = b[i];
        }
        let e = expm(&m);
        let mut ad = [[0.0; 4]; 4];
        let mut bd = [0.0; 4];
        for i in 0..4 {
            ad[i].copy_from_slice(&e[i][..4]);
            bd[i] = e[i][4];
        }
        Ok(Self { ad, bd })
    }

    /// One year: state `[F', T1, T2, T3]` under effective forcing `f` (W m-2).
    pub fn step(&self, x: [f64; 4], f: f64) -> [f64; 4] {
        let mut out = [0.0; 4];
        for (i, o) in out.iter_mut().enumerate() {
            *o = self.ad[i][0] * x[0]
                + self.ad[i][1] * x[1]
                + self.ad[i][2] * x[2]
                + self.ad[i][3] * x[3]
                + self.bd[i] * f;
        }
        out
    }
}

fn matmul(a: &[Vec<f64>], b: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let n = a.len();
    let mut c = vec![vec![0.0; n]; n];
    for i in 0..n {
        for k in 0..n {
            let aik = a[i][k];
            if aik != 0.0 {
                for j in 0..n {
                    c[i][j] += aik * b[k][j];
                }
            }
        }
    }
    c
}

/// Matrix exponential of a small square matrix by scaling and squaring of the Taylor
/// series (scaled to max-row-sum norm below 1/8, 18 terms: truncation below 1e-20).
pub fn expm(m: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let n = m.len();
    let norm = m
        .iter()
        .map(|r| r.iter().map(|x| x.abs()).sum::<f64>())
        .fold(0.0, f64::max);
    let mut s = 0u32;
    while norm * 0.5f64.powi(s as i32) > 0.125 && s < 1000 {
        s += 1;
    }
    let scale = 0.5f64.powi(s as i32);
    let a: Vec<Vec<f64>> = m
        .iter()
        .map(|r| r.iter().map(|x| x * scale).collect())
        .collect();
    let mut result: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
        .collect();
    let mut term = result.clone();
    for k in 1..=18 {
        term = matmul(&term, &a);
        let inv = 1.0 / f64::from(k);
        for row in term.iter_mut() {
            for x in row.iter_mut() {
                *x *= inv;
            }
        }
        for i in 0..n {
            for j in 0..n {
                result[i][j] += term[i][j];
            }
        }
    }
    for _ in 0..s {
        result = matmul(&result, &result);
    }
    result
}

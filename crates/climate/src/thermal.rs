//! Two-timescale temperature response of FaIR 1.6 (`fair/temperature/millar.py`,
//! Millar et al. 2015, 2017): two boxes with time constants `d` whose equilibrium
//! sensitivities `q` follow from TCR and ECS.

/// Thermal parameters (`fair/defaults/thermal.py`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThermalParams {
    /// Transient climate response, K.
    pub tcr: f64,
    /// Equilibrium climate sensitivity, K.
    pub ecs: f64,
    /// Slow and fast response time constants, yr.
    pub d: [f64; 2],
    /// Forcing of a CO2 doubling, W m-2.
    pub f2x: f64,
    /// Years to doubling at 1%/yr CO2 growth.
    pub tcr_dbl: f64,
}

impl Default for ThermalParams {
    fn default() -> Self {
        Self {
            tcr: 1.6,
            ecs: 2.75,
            d: [239.0, 4.1],
            f2x: 3.71,
            tcr_dbl: 69.661,
        }
    }
}

impl ThermalParams {
    /// `calculate_q`: box sensitivities (K per W m-2) from TCR and ECS.
    pub fn q(&self) -> [f64; 2] {
        let k = self
            .d
            .map(|d| 1.0 - (d / self.tcr_dbl) * (1.0 - (-self.tcr_dbl / d).exp()));
        let s = 1.0 / self.f2x / (k[0] - k[1]);
        [
            s * (self.tcr - self.ecs * k[1]),
            s * (self.ecs * k[0] - self.tcr),
        ]
    }
}

/// `forcing_to_temperature`: one annual step of the two boxes under effective forcing
/// `f_eff` (forcing already weighted by efficacies).
pub fn step(t0: [f64; 2], q: [f64; 2], d: [f64; 2], f_eff: f64) -> [f64; 2] {
    [0, 1].map(|j| t0[j] * (-1.0 / d[j]).exp() + q[j] * (1.0 - (-1.0 / d[j]).exp()) * f_eff)
}

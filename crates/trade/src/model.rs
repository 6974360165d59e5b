//! What every estimator shares: the [`Fit`] trait (an unfitted specification fits a frame and
//! gives a fitted model), the choice of variance estimator ([`Vcov`]) and its small-sample
//! adjustment, the coefficient table, and the recovered fixed effects.

use crate::demean::Factor;
use crate::error::Result;
use crate::frame::Frame;
use crate::linalg::Sym;

/// An unfitted model: fitting it to a frame gives its fitted counterpart.
pub trait Fit {
    /// The fitted model.
    type Fitted;
    /// Estimates the model on `frame`.
    fn fit(&self, frame: &Frame) -> Result<Self::Fitted>;
}

/// The variance estimator of the coefficients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Vcov {
    /// The model's own (Poisson: the inverse information; OLS: homoskedastic errors).
    Iid,
    /// Heteroskedasticity-robust (the sandwich, HC1-like with the adjustment below).
    Robust,
    /// Cluster-robust by the given column (e.g. `pair_id`).
    Cluster(String),
}

/// The small-sample adjustment applied to robust and clustered variances.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SmallSample {
    /// As Stata's `ppml`, `poisson` and `glm` print: robust `N/(N-1)`, clustered `G/(G-1)`.
    #[default]
    Stata,
    /// As reghdfe and ppmlhdfe print: robust `N/(N-K)`, clustered `G/(G-1) (N-1)/(N-K)`, with
    /// `K` the regressors plus the degrees of freedom of the absorbed fixed effects.
    Hdfe,
    /// None: the plain sandwich.
    None,
}

/// One row of the coefficient table.
#[derive(Debug, Clone, PartialEq)]
pub struct Coef {
    /// The term as the formula writes it (`log(DIST)`, `_cons`).
    pub term: String,
    /// The estimate (NaN when omitted as collinear).
    pub estimate: f64,
    /// Its standard error.
    pub std_error: f64,
    /// estimate / std_error.
    pub z: f64,
    /// Two-sided p-value under the normal distribution.
    pub p: f64,
    /// Set aside as collinear with the fixed effects or the other regressors.
    pub omitted: bool,
}

/// The estimated values of one absorbed fixed effect, one per group. Only sums over the fixed
/// effects are identified: the split between them is normalised by the caller (see
/// [`FixedEffectValues::shift`]).
#[derive(Debug, Clone, PartialEq)]
pub struct FixedEffectValues {
    /// The fixed effect as the formula writes it (`exporter^year`).
    pub name: String,
    /// Group labels (values of the interacted columns joined by `^`).
    pub labels: Vec<String>,
    /// The value of each group.
    pub values: Vec<f64>,
}

impl FixedEffectValues {
    /// The value of the group labelled `label`.
    pub fn get(&self, label: &str) -> Option<f64> {
        self.labels
            .iter()
            .position(|l| l == label)
            .map(|i| self.values[i])
    }

    /// Adds `by(label)` to each group's value: the tool for normalisations (a reference
    /// country's effect set to zero, the difference moved to another fixed effect).
    pub fn shift(&mut self, by: impl Fn(&str) -> f64) {
        for (v, l) in self.values.iter_mut().zip(&self.labels) {
            *v += by(l);
        }
    }
}

/// Writes the coefficient table: one row per term (term, estimate, std_error, z, p).
pub(crate) fn write_table(f: &mut std::fmt::Formatter<'_>, coefs: &[Coef]) -> std::fmt::Result {
    let width = coefs.iter().map(|c| c.term.len()).max().unwrap_or(4).max(4);
    writeln!(
        f,
        "{:<width$}  {:>12}  {:>12}  {:>8}  {:>6}",
        "term", "estimate", "std_error", "z", "p"
    )?;
    for c in coefs {
        if c.omitted {
            writeln!(f, "{:<width$}  (omitted: collinear)", c.term)?;
        } else {
            writeln!(
                f,
                "{:<width$}  {:>12.7}  {:>12.7}  {:>8.2}  {:>6.3}",
                c.term, c.estimate, c.std_error, c.z, c.p
            )?;
        }
    }
    Ok(())
}

pub(crate) fn normal_p(z: f64) -> f64 {
    libm::erfc(z.abs() / std::f64::consts::SQRT_2)
}

/// The coefficient table from estimates and their variance matrix.
pub(crate) fn table(names: &[String], beta: &[f64], v: &Sym, omitted: &[bool]) -> Vec<Coef> {
    names
        .iter()
        .enumerate()
        .map(|(j, name)| {
            if omitted[j] {
                return Coef {
                    term: name.clone(),
                    estimate: f64::NAN,
                    std_error: f64::NAN,
                    z: f64::NAN,
                    p: f64::NAN,
                    omitted: true,
                };
            }
            let se = v.at(j, j).sqrt();
            let z = beta[j] / se;
            Coef {
                term: name.clone(),
                estimate: beta[j],
                std_error: se,
                z,
                p: normal_p(z),
                omitted: false,
            }
        })
        .collect()
}

/// The sandwich `B M B` with `M` the outer products of the scores `x_i * u_i` (summed within
/// clusters when given), times `scale`.
pub(crate) fn sandwich(
    xt: &[Vec<f64>],
    u: &[f64],
    bread: &Sym,
    cluster: Option<&(Vec<u32>, usize)>,
    scale: f64,
) -> Sym {
    let k = xt.len();
    let mut meat = Sym::zeros(k);
    let mut add = |s: &[f64]| {
        for i in 0..k {
            for j in 0..k {
                meat.add(i, j, s[i] * s[j]);
            }
        }
    };
    match cluster {
        None => {
            let mut s = vec![0.0; k];
            for (r, &ur) in u.iter().enumerate() {
                for j in 0..k {
                    s[j] = xt[j][r] * ur;
                }
                add(&s);
            }
        }
        Some((ids, g)) => {
            let mut sums = vec![vec![0.0; k]; *g];
            for (r, &ur) in u.iter().enumerate() {
                let c = &mut sums[ids[r] as usize];
                for j in 0..k {
                    c[j] += xt[j][r] * ur;
                }
            }
            for s in &sums {
                add(s);
            }
        }
    }
    let mut out = Sym::zeros(k);
    for i in 0..k {
        for j in 0..k {
            let mut v = 0.0;
            for a in 0..k {
                let ba = bread.at(i, a);
                if ba == 0.0 {
                    continue;
                }
                for b in 0..k {
                    v += ba * meat.at(a, b) * bread.at(b, j);
                }
            }
            out.a[i * k + j] = v * scale;
        }
    }
    out
}

/// The adjustment factor for a robust or clustered variance.
pub(crate) fn adjustment(how: SmallSample, n: usize, k_all: usize, clusters: Option<usize>) -> f64 {
    let n = n as f64;
    let k = k_all as f64;
    match (how, clusters) {
        (SmallSample::None, _) => 1.0,
        (SmallSample::Stata, None) => n / (n - 1.0),
        (SmallSample::Stata, Some(g)) => g as f64 / (g as f64 - 1.0),
        (SmallSample::Hdfe, None) => n / (n - k),
        (SmallSample::Hdfe, Some(g)) => g as f64 / (g as f64 - 1.0) * (n - 1.0) / (n - k),
    }
}

/// The fixed effects' values from their coefficients (one vector per factor).
pub(crate) fn fixed_effect_values(
    factors: &[Factor],
    coef: Vec<Vec<f64>>,
) -> Vec<FixedEffectValues> {
    factors
        .iter()
        .zip(coef)
        .map(|(f, values)| FixedEffectValues {
            name: f.name.clone(),
            labels: f.labels.clone(),
            values,
        })
        .collect()
}

/// `a - sum_j b_j c_j` over per-factor coefficient vectors.
pub(crate) fn combine(a: &[Vec<f64>], b: &[f64], c: &[Vec<Vec<f64>>]) -> Vec<Vec<f64>> {
    let mut out = a.to_vec();
    for (bj, cj) in b.iter().zip(c) {
        if *bj == 0.0 {
            continue;
        }
        for (og, cg) in out.iter_mut().zip(cj) {
            for (o, v) in og.iter_mut().zip(cg) {
                *o -= bj * v;
            }
        }
    }
    out
}

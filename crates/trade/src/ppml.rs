//! Poisson pseudo-maximum likelihood with any number of absorbed fixed effects, as ppmlhdfe
//! estimates it: observations separated by a fixed effect (a group whose dependent variable is
//! all zero) are dropped and counted; then iteratively reweighted least squares, each step
//! demeaning the working variable and the regressors within the fixed effects (alternating
//! projections accelerated by conjugate gradient, warm-started from the previous step), until
//! the relative change in deviance is below the tolerance (1e-8 by default, as ppmlhdfe).

use crate::demean::Demeaner;
use crate::design::Design;
use crate::error::{Error, Result};
use crate::formula::Formula;
use crate::frame::Frame;
use crate::linalg::{Sym, cholesky};
use crate::model::{
    Coef, Fit, FixedEffectValues, SmallSample, Vcov, adjustment, combine, fixed_effect_values,
    sandwich, table,
};

/// An unfitted PPML model.
#[derive(Debug, Clone)]
pub struct Ppml {
    formula: Formula,
    vcov: Vcov,
    small_sample: SmallSample,
    offset: Option<String>,
    tolerance: f64,
    max_iterations: usize,
    fixed_effects: bool,
    exact_iterations: Option<usize>,
    drop_singletons: bool,
}

impl Ppml {
    /// PPML of `formula` with robust standard errors and Stata's adjustment.
    pub fn new(formula: Formula) -> Ppml {
        Ppml {
            formula,
            vcov: Vcov::Robust,
            small_sample: SmallSample::Stata,
            offset: None,
            tolerance: 1e-8,
            max_iterations: 1000,
            fixed_effects: true,
            exact_iterations: None,
            drop_singletons: false,
        }
    }

    /// The variance estimator.
    pub fn vcov(mut self, vcov: Vcov) -> Ppml {
        self.vcov = vcov;
        self
    }

    /// The small-sample adjustment of robust and clustered variances.
    pub fn small_sample(mut self, how: SmallSample) -> Ppml {
        self.small_sample = how;
        self
    }

    /// A column entering the linear predictor with coefficient 1.
    pub fn offset(mut self, column: &str) -> Ppml {
        self.offset = Some(column.to_string());
        self
    }

    /// Convergence tolerance on the relative change in deviance (default 1e-8).
    pub fn tolerance(mut self, tol: f64) -> Ppml {
        self.tolerance = tol;
        self
    }

    /// Drops singletons, observations alone in a fixed-effect group (which the group's effect
    /// fits exactly), as ppmlhdfe and fixest do by default; they change no estimate but N and
    /// the small-sample adjustments. Default no, as Stata's `ppml`.
    pub fn drop_singletons(mut self, yes: bool) -> Ppml {
        self.drop_singletons = yes;
        self
    }

    /// Runs exactly `n` IRLS steps whatever the deviance does: to reproduce a program that
    /// stopped there (Stata's `ppml` and `glm` start from the same point as this crate, so the
    /// same number of steps gives the same iterate).
    pub fn exact_iterations(mut self, n: usize) -> Ppml {
        self.exact_iterations = Some(n);
        self
    }

    /// Whether to recover the fixed effects' values after fitting (default yes).
    pub fn recover_fixed_effects(mut self, yes: bool) -> Ppml {
        self.fixed_effects = yes;
        self
    }
}

/// A fitted PPML model.
#[derive(Debug, Clone)]
pub struct FittedPpml {
    /// One row per regressor, in formula order.
    pub coefficients: Vec<Coef>,
    /// Observations used.
    pub n_obs: usize,
    /// Rows dropped for a missing value.
    pub dropped_missing: usize,
    /// Rows dropped as separated: in a fixed-effect group whose dependent variable is all zero,
    /// or (counted in [`FittedPpml::separated_by_regressors`] too) zeros that a combination of
    /// regressors and fixed effects predicts perfectly.
    pub separated: usize,
    /// Of `separated`, the rows the ReLU check found (separation the regressors cause).
    pub separated_by_regressors: usize,
    /// Rows dropped as singletons (when asked).
    pub singletons: usize,
    /// Clusters, when clustered.
    pub clusters: Option<usize>,
    /// Poisson log-likelihood at the estimates.
    pub log_likelihood: f64,
    /// Log-likelihood of the constant-only model on the same rows.
    pub log_likelihood_null: f64,
    /// McFadden's pseudo-R2: 1 - ll / ll_null.
    pub pseudo_r2: f64,
    /// Squared correlation of the dependent variable with its fit (Stata `ppml`'s R-squared).
    pub r2: f64,
    /// Poisson deviance at the estimates.
    pub deviance: f64,
    /// IRLS iterations.
    pub iterations: usize,
    /// The deviance after each IRLS step (Stata's "Iteration k: deviance = ...").
    pub deviance_path: Vec<f64>,
    /// Degrees of freedom used by the absorbed fixed effects.
    pub fe_dof: usize,
    /// The variance matrix of the coefficients, row-major.
    pub vcov: Vec<f64>,
    /// The fixed effects' values (when recovered).
    pub fixed_effects: Vec<FixedEffectValues>,
    /// For each observation used, its row in the frame.
    pub rows: Vec<usize>,
    /// The fitted mean of each observation used.
    pub fitted: Vec<f64>,
}

impl FittedPpml {
    /// The coefficient row of `term` (as the formula writes it).
    pub fn coef(&self, term: &str) -> Option<&Coef> {
        self.coefficients.iter().find(|c| c.term == term)
    }

    /// The fixed effect named `name` (as the formula writes it).
    pub fn fixed_effect(&self, name: &str) -> Option<&FixedEffectValues> {
        self.fixed_effects.iter().find(|f| f.name == name)
    }
}

impl std::fmt::Display for FittedPpml {
    /// The coefficient table, then N (with the rows dropped and why), the log-likelihood and
    /// the pseudo-R2.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        crate::model::write_table(f, &self.coefficients)?;
        write!(
            f,
            "N = {} ({} separated, {} of them by the regressors; {} with a missing value dropped)",
            self.n_obs, self.separated, self.separated_by_regressors, self.dropped_missing
        )?;
        if let Some(g) = self.clusters {
            write!(f, ", {g} clusters")?;
        }
        write!(
            f,
            "\nlog-likelihood = {:.4}, pseudo-R2 = {:.6}, {} iterations",
            self.log_likelihood, self.pseudo_r2, self.iterations
        )
    }
}

/// Drops rows in fixed-effect groups with an all-zero dependent variable and, when asked,
/// rows alone in a group, repeatedly until none is left (dropping one can make another).
/// Returns the counts dropped: (separated, singletons).
fn drop_separated(d: &mut Design, singletons: bool) -> (usize, usize) {
    let (mut separated, mut single) = (0, 0);
    loop {
        let n = d.y.len();
        // 0: keep, 1: separated, 2: singleton.
        let mut why = vec![0u8; n];
        for f in &d.factors {
            let mut sums = vec![0.0; f.groups()];
            let mut counts = vec![0usize; f.groups()];
            for (&g, &y) in f.ids.iter().zip(&d.y) {
                sums[g as usize] += y;
                counts[g as usize] += 1;
            }
            for (r, &g) in f.ids.iter().enumerate() {
                if sums[g as usize] <= 0.0 {
                    why[r] = 1;
                } else if singletons && counts[g as usize] == 1 && why[r] == 0 {
                    why[r] = 2;
                }
            }
        }
        let keep: Vec<usize> = (0..n).filter(|&r| why[r] == 0).collect();
        if keep.len() == n {
            return (separated, single);
        }
        separated += why.iter().filter(|w| **w == 1).count();
        single += why.iter().filter(|w| **w == 2).count();
        d.keep(&keep);
    }
}

/// Zeros of the dependent variable that the regressors and fixed effects predict perfectly
/// (their maximum-likelihood fit is mu = 0, a coefficient at infinity), by the ReLU method of
/// Correia, Guimarães and Zylkin (2021, "Verifying the existence of maximum likelihood
/// estimates for generalized linear models", section 4; ppmlhdfe's `separation(relu)`): find
/// `z = X g + D a` with `z = 0` where `y > 0` and `z >= 0` where `y = 0`; the zeros with
/// `z > 0` are separated. Iterates a weighted least squares of `u` on the regressors and fixed
/// effects (weight `M` where `y > 0`, 1 elsewhere), setting `u = max(fit, 0)` on the zeros,
/// until `u` settles; the zeros where it stays positive are separated. Returns their rows
/// (indices into `d`), sorted.
fn relu_separated(d: &Design) -> Vec<usize> {
    let n = d.y.len();
    let zeros: Vec<usize> = (0..n).filter(|&i| d.y[i] == 0.0).collect();
    if zeros.is_empty() {
        return Vec::new();
    }
    // Weight of the positives (held at zero), the change in `u` that counts as converged, and
    // the level above which a converged zero is separated (`u` starts at 1 on every zero; the
    // zeros no combination separates decay towards 0, the separated ones keep a share of it).
    const M: f64 = 1e4;
    const CONVERGED: f64 = 1e-7;
    const SEPARATED: f64 = 1e-3;
    let w: Vec<f64> = d.y.iter().map(|&y| if y > 0.0 { M } else { 1.0 }).collect();
    let dm = Demeaner::new(&d.factors, &w, 1e-10);
    let mut xt = d.x.clone();
    for col in xt.iter_mut() {
        dm.demean(col);
    }
    let mut u: Vec<f64> =
        d.y.iter()
            .map(|&y| if y > 0.0 { 0.0 } else { 1.0 })
            .collect();
    for _ in 0..1000 {
        let mut ut = u.clone();
        dm.demean(&mut ut);
        let (beta, _, omitted) = wls(&xt, &ut, &w);
        let mut change: f64 = 0.0;
        let mut largest: f64 = 0.0;
        for &i in &zeros {
            let xb: f64 = (0..xt.len())
                .filter(|&j| !omitted[j])
                .map(|j| xt[j][i] * beta[j])
                .sum();
            let fit = u[i] - (ut[i] - xb);
            let v = fit.max(0.0);
            change = change.max((v - u[i]).abs());
            largest = largest.max(v);
            u[i] = v;
        }
        if largest < SEPARATED {
            return Vec::new();
        }
        if change < CONVERGED {
            return zeros.into_iter().filter(|&i| u[i] > SEPARATED).collect();
        }
    }
    // Not settled: report nothing rather than guess (IRLS then says if it diverges).
    Vec::new()
}

/// The rounding of the deviance, a sum of terms of the size of y and mu: changes below a few
/// ulps of that sum are noise.
fn noise(y: &[f64], mu: &[f64]) -> f64 {
    64.0 * f64::EPSILON * y.iter().zip(mu).map(|(y, m)| y + m).sum::<f64>()
}

fn deviance(y: &[f64], mu: &[f64]) -> f64 {
    2.0 * y
        .iter()
        .zip(mu)
        .map(|(&y, &m)| {
            if y > 0.0 {
                y * (y / m).ln() - (y - m)
            } else {
                m
            }
        })
        .sum::<f64>()
}

/// The Poisson log-likelihood of `y` at means `mu`: sum of `y ln mu - mu - ln Gamma(y + 1)`.
pub fn log_likelihood(y: &[f64], mu: &[f64]) -> f64 {
    y.iter()
        .zip(mu)
        .map(|(&y, &m)| {
            let ylogm = if y > 0.0 { y * m.ln() } else { 0.0 };
            ylogm - m - libm::lgamma(y + 1.0)
        })
        .sum()
}

/// The squared correlation of `a` and `b` (Stata `ppml`'s R-squared of `y` and its fit).
pub fn squared_correlation(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let ma = a.iter().sum::<f64>() / n;
    let mb = b.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (&x, &y) in a.iter().zip(b) {
        sxy += (x - ma) * (y - mb);
        sxx += (x - ma) * (x - ma);
        syy += (y - mb) * (y - mb);
    }
    sxy * sxy / (sxx * syy)
}

/// Weighted least squares of `z` on the columns `x` (both already demeaned).
pub(crate) fn wls(x: &[Vec<f64>], z: &[f64], w: &[f64]) -> (Vec<f64>, Sym, Vec<bool>) {
    let k = x.len();
    let mut xwx = Sym::zeros(k);
    let mut xwz = vec![0.0; k];
    for i in 0..k {
        for j in 0..=i {
            let s: f64 = x[i]
                .iter()
                .zip(&x[j])
                .zip(w)
                .map(|((a, b), w)| a * b * w)
                .sum();
            xwx.a[i * k + j] = s;
            xwx.a[j * k + i] = s;
        }
        xwz[i] = x[i].iter().zip(z).zip(w).map(|((a, b), w)| a * b * w).sum();
    }
    let chol = cholesky(&xwx);
    let beta = chol.solve(&xwz);
    let inv = chol.inverse();
    (beta, inv, chol.omitted)
}

impl Fit for Ppml {
    type Fitted = FittedPpml;

    fn fit(&self, frame: &Frame) -> Result<FittedPpml> {
        let cluster = match &self.vcov {
            Vcov::Cluster(c) => Some(c.as_str()),
            _ => None,
        };
        let mut d = Design::build(frame, &self.formula, self.offset.as_deref(), cluster)?;
        let lhs = self.formula.lhs.to_string();
        if let Some((r, &y)) = d.y.iter().enumerate().find(|(_, y)| **y < 0.0) {
            return Err(Error::BadValue {
                column: lhs,
                row: d.rows[r],
                value: y,
                message: "PPML needs a dependent variable that is not negative".into(),
            });
        }
        let (mut separated, mut singletons) = drop_separated(&mut d, self.drop_singletons);
        // Separation the regressors cause (with the fixed effects), found by the ReLU method;
        // dropping those zeros can leave a fixed-effect group all zero, so check both again.
        let mut separated_by_regressors = 0;
        if !d.x.is_empty() {
            loop {
                let found = relu_separated(&d);
                if found.is_empty() {
                    break;
                }
                separated_by_regressors += found.len();
                separated += found.len();
                let keep: Vec<usize> = (0..d.y.len()).filter(|i| !found.contains(i)).collect();
                d.keep(&keep);
                let (s, g) = drop_separated(&mut d, self.drop_singletons);
                separated += s;
                singletons += g;
            }
        }
        let n = d.y.len();
        if n == 0 {
            return Err(Error::NoObservations(format!(
                "{} dropped for missing values, {separated} separated",
                d.dropped_missing
            )));
        }
        if d.y.iter().all(|&y| y == 0.0) {
            return Err(Error::NoObservations(format!("`{lhs}` is zero everywhere")));
        }
        let k = d.x.len();
        let mean_y = d.y.iter().sum::<f64>() / n as f64;
        let mut mu: Vec<f64> = d.y.iter().map(|&y| (y + mean_y) / 2.0).collect();
        let mut eta: Vec<f64> = mu.iter().map(|m| m.ln()).collect();
        let mut dev_old = deviance(&d.y, &mu);
        // Demeaned regressors and working variable, kept between steps as warm starts.
        let mut xt: Vec<Vec<f64>> = d.x.clone();
        let mut z_prev: Vec<f64> = vec![0.0; n];
        let mut zt_prev: Vec<f64> = vec![0.0; n];
        // What demeaning removed so far, as fixed-effect coefficients: zt = z - D az and
        // xt_j = x_j - D ax_j, so the fitted fixed effects are az - sum_j beta_j ax_j.
        let zero_coef: Vec<Vec<f64>> = d.factors.iter().map(|f| vec![0.0; f.groups()]).collect();
        let mut az = zero_coef.clone();
        let mut ax = vec![zero_coef; k];
        let mut beta = vec![0.0; k];
        let mut omitted = vec![false; k];
        let mut iterations = 0;
        let mut deviance_path = Vec::new();
        let demean_tol = 1e-11;
        let mut change = f64::NAN;
        // Set once IRLS has converged on loosely demeaned steps: one more, demeaned tightly.
        let mut tight = false;
        // The last accepted iterate: coefficients, fixed effects, linear predictor, deviance.
        type Iterate = (Vec<f64>, Vec<Vec<f64>>, Vec<f64>, f64);
        let mut last: Option<Iterate> = None;
        let dev = loop {
            iterations += 1;
            if iterations > self.max_iterations {
                return Err(Error::NoConvergence {
                    iterations: self.max_iterations,
                    change,
                });
            }
            let z: Vec<f64> = (0..n)
                .map(|i| eta[i] - d.offset[i] + (d.y[i] - mu[i]) / mu[i])
                .collect();
            let w = &mu;
            // As ppmlhdfe: demean loosely while IRLS is far from converged (a tenth of the last
            // relative change in deviance), to 1e-11 at the end. Loose steps leave no error
            // behind: demeaned vectors stay exactly `v - D coef`, so each later solve goes on
            // from where the last one stopped. A fixed iteration count (a path to reproduce)
            // demeans tightly throughout.
            let tol = if self.exact_iterations.is_some() || iterations == 1 || tight {
                demean_tol
            } else {
                (0.1 * change).clamp(demean_tol, 1e-4)
            };
            let dm = Demeaner::new(&d.factors, w, tol);
            let mut zt: Vec<f64> = (0..n).map(|i| zt_prev[i] + z[i] - z_prev[i]).collect();
            dm.demean_tracked(&mut zt, &mut az);
            for (col, a) in xt.iter_mut().zip(ax.iter_mut()) {
                dm.demean_tracked(col, a);
            }
            let (b, _, om) = wls(&xt, &zt, w);
            beta = b;
            omitted = om;
            for i in 0..n {
                let mut xb = 0.0;
                for j in 0..k {
                    xb += xt[j][i] * beta[j];
                }
                let resid = zt[i] - xb;
                eta[i] = z[i] - resid + d.offset[i];
                mu[i] = eta[i].exp();
            }
            z_prev = z;
            zt_prev = zt;
            let mut alpha = combine(&az, &beta, &ax);
            let mut dev = deviance(&d.y, &mu);
            // Step-halving (as R's glm): a step that raises the deviance, or overflows, is
            // halved towards the last iterate. Stata's paths in the golden tests never rise.
            if let Some((b_prev, a_prev, e_prev, d_prev)) = &last {
                let mut halvings = 0;
                while !dev.is_finite() || dev > d_prev + noise(&d.y, &mu) {
                    halvings += 1;
                    if halvings > 40 {
                        return Err(Error::Diverged {
                            iteration: iterations,
                        });
                    }
                    for (b, bp) in beta.iter_mut().zip(b_prev) {
                        *b = (*b + bp) / 2.0;
                    }
                    for (ag, pg) in alpha.iter_mut().zip(a_prev) {
                        for (a, p) in ag.iter_mut().zip(pg) {
                            *a = (*a + p) / 2.0;
                        }
                    }
                    for i in 0..n {
                        eta[i] = (eta[i] + e_prev[i]) / 2.0;
                        mu[i] = eta[i].exp();
                    }
                    dev = deviance(&d.y, &mu);
                }
            } else if !dev.is_finite() {
                return Err(Error::Diverged {
                    iteration: iterations,
                });
            }
            last = Some((beta.clone(), alpha, eta.clone(), dev));
            deviance_path.push(dev);
            change = (dev - dev_old).abs() / dev.min(dev_old).max(0.1);
            // The deviance is a sum of terms of the size of y and mu: changes below its
            // rounding (a few ulps of that sum) are noise, and count as converged.
            let at_floor = (dev - dev_old).abs() <= noise(&d.y, &mu);
            dev_old = dev;
            match self.exact_iterations {
                Some(n) if iterations >= n => break dev,
                Some(_) => {}
                None if (change < self.tolerance || at_floor) && (tight || tol <= demean_tol) => {
                    break dev;
                }
                None if change < self.tolerance || at_floor => tight = true,
                None => {}
            }
        };
        // Variance at the final weights.
        let dm = Demeaner::new(&d.factors, &mu, demean_tol);
        for col in xt.iter_mut() {
            dm.demean(col);
        }
        let zeros = vec![0.0; n];
        let (_, bread, _) = wls(&xt, &zeros, &mu);
        let fe_dof = d.fe_dof();
        let k_kept = omitted.iter().filter(|o| !**o).count();
        let v = match &self.vcov {
            Vcov::Iid => bread.clone(),
            Vcov::Robust | Vcov::Cluster(_) => {
                let u: Vec<f64> = d.y.iter().zip(&mu).map(|(y, m)| y - m).collect();
                let scale = adjustment(
                    self.small_sample,
                    n,
                    k_kept + fe_dof,
                    d.cluster.as_ref().map(|c| c.1),
                );
                sandwich(&xt, &u, &bread, d.cluster.as_ref(), scale)
            }
        };
        let coefficients = table(&d.names, &beta, &v, &omitted);
        let ll = log_likelihood(&d.y, &mu);
        let ll0 = log_likelihood(&d.y, &vec![mean_y; n]);
        let r2 = squared_correlation(&d.y, &mu);
        let fixed_effects = if self.fixed_effects && !d.factors.is_empty() {
            let alpha = last.map(|l| l.1).unwrap_or_default();
            fixed_effect_values(&d.factors, alpha)
        } else {
            Vec::new()
        };
        Ok(FittedPpml {
            coefficients,
            n_obs: n,
            dropped_missing: d.dropped_missing,
            separated,
            separated_by_regressors,
            singletons,
            clusters: d.cluster.as_ref().map(|c| c.1),
            log_likelihood: ll,
            log_likelihood_null: ll0,
            pseudo_r2: 1.0 - ll / ll0,
            r2,
            deviance: dev,
            iterations,
            deviance_path,
            fe_dof,
            vcov: v.a,
            fixed_effects,
            rows: d.rows,
            fitted: mu,
        })
    }
}

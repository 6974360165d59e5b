//! Least squares with the same absorbed fixed effects as [`crate::ppml`], for comparison (the
//! log-linear gravity model): the dependent variable and the regressors are demeaned within the
//! fixed effects, then regressed. Variances as Stata's `regress`/reghdfe print them: the
//! homoskedastic one on `N - K` residual degrees of freedom (fixed effects counted), robust
//! with `N/(N-K)`, clustered with `G/(G-1) (N-1)/(N-K)`.

use crate::demean::Demeaner;
use crate::design::Design;
use crate::error::{Error, Result};
use crate::formula::Formula;
use crate::frame::Frame;
use crate::model::{
    Coef, Fit, FixedEffectValues, SmallSample, Vcov, adjustment, combine, fixed_effect_values,
    sandwich, table,
};
use crate::ppml::wls;

/// An unfitted OLS model.
#[derive(Debug, Clone)]
pub struct Ols {
    formula: Formula,
    vcov: Vcov,
    small_sample: SmallSample,
}

impl Ols {
    /// OLS of `formula` with robust standard errors.
    pub fn new(formula: Formula) -> Ols {
        Ols {
            formula,
            vcov: Vcov::Robust,
            small_sample: SmallSample::Hdfe,
        }
    }

    /// The variance estimator.
    pub fn vcov(mut self, vcov: Vcov) -> Ols {
        self.vcov = vcov;
        self
    }

    /// The small-sample adjustment (default: Stata's `regress`, i.e. [`SmallSample::Hdfe`]).
    pub fn small_sample(mut self, how: SmallSample) -> Ols {
        self.small_sample = how;
        self
    }
}

/// A fitted OLS model.
#[derive(Debug, Clone)]
pub struct FittedOls {
    /// One row per regressor.
    pub coefficients: Vec<Coef>,
    /// Observations used.
    pub n_obs: usize,
    /// Rows dropped for a missing value.
    pub dropped_missing: usize,
    /// Clusters, when clustered.
    pub clusters: Option<usize>,
    /// R-squared of the full model (fixed effects included).
    pub r2: f64,
    /// Within R-squared (after the fixed effects).
    pub r2_within: f64,
    /// Root mean squared error on the residual degrees of freedom.
    pub rmse: f64,
    /// Degrees of freedom used by the absorbed fixed effects.
    pub fe_dof: usize,
    /// The fixed effects' values.
    pub fixed_effects: Vec<FixedEffectValues>,
}

impl FittedOls {
    /// The coefficient row of `term`.
    pub fn coef(&self, term: &str) -> Option<&Coef> {
        self.coefficients.iter().find(|c| c.term == term)
    }
}

impl std::fmt::Display for FittedOls {
    /// The coefficient table, then N, R2 and within R2.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        crate::model::write_table(f, &self.coefficients)?;
        write!(
            f,
            "N = {} ({} with a missing value dropped), R2 = {:.6}, within R2 = {:.6}",
            self.n_obs, self.dropped_missing, self.r2, self.r2_within
        )
    }
}

impl Fit for Ols {
    type Fitted = FittedOls;

    fn fit(&self, frame: &Frame) -> Result<FittedOls> {
        let cluster = match &self.vcov {
            Vcov::Cluster(c) => Some(c.as_str()),
            _ => None,
        };
        let d = Design::build(frame, &self.formula, None, cluster)?;
        let n = d.y.len();
        if n == 0 {
            return Err(Error::NoObservations(format!(
                "{} dropped for missing values",
                d.dropped_missing
            )));
        }
        let k = d.x.len();
        let w = vec![1.0; n];
        let dm = Demeaner::new(&d.factors, &w, 1e-12);
        let zero_coef: Vec<Vec<f64>> = d.factors.iter().map(|f| vec![0.0; f.groups()]).collect();
        let mut ay = zero_coef.clone();
        let mut ax = vec![zero_coef; k];
        let mut yt = d.y.clone();
        dm.demean_tracked(&mut yt, &mut ay);
        let mut xt = d.x.clone();
        for (col, a) in xt.iter_mut().zip(ax.iter_mut()) {
            dm.demean_tracked(col, a);
        }
        let (beta, bread, omitted) = wls(&xt, &yt, &w);
        let resid: Vec<f64> = (0..n)
            .map(|i| yt[i] - (0..k).map(|j| xt[j][i] * beta[j]).sum::<f64>())
            .collect();
        let ssr: f64 = resid.iter().map(|e| e * e).sum();
        let fe_dof = d.fe_dof();
        let k_all = omitted.iter().filter(|o| !**o).count() + fe_dof;
        let dof = n.saturating_sub(k_all).max(1) as f64;
        let v = match &self.vcov {
            Vcov::Iid => {
                let mut v = bread.clone();
                v.a.iter_mut().for_each(|x| *x *= ssr / dof);
                v
            }
            _ => {
                let scale =
                    adjustment(self.small_sample, n, k_all, d.cluster.as_ref().map(|c| c.1));
                sandwich(&xt, &resid, &bread, d.cluster.as_ref(), scale)
            }
        };
        let my = d.y.iter().sum::<f64>() / n as f64;
        let tss: f64 = d.y.iter().map(|y| (y - my) * (y - my)).sum();
        let tss_within: f64 = yt.iter().map(|y| y * y).sum();
        let fixed_effects = fixed_effect_values(&d.factors, combine(&ay, &beta, &ax));
        Ok(FittedOls {
            coefficients: table(&d.names, &beta, &v, &omitted),
            n_obs: n,
            dropped_missing: d.dropped_missing,
            clusters: d.cluster.as_ref().map(|c| c.1),
            r2: 1.0 - ssr / tss,
            r2_within: 1.0 - ssr / tss_within,
            rmse: (ssr / dof).sqrt(),
            fe_dof,
            fixed_effects,
        })
    }
}

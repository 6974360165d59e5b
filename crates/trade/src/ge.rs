//! General-equilibrium counterfactuals by GE-PPML, the procedure of the Advanced Guide's
//! chapter 2 (Yotov et al. 2016; Anderson, Larch and Yotov 2018): from a square cross-section
//! of trade flows (every exporter to every importer, domestic flows included) and two sets of
//! bilateral trade costs in logs, the baseline and the counterfactual (a border removed, an
//! agreement added or taken away, a tariff or sanction shock), it estimates
//!
//! - the baseline: PPML of trade on exporter and importer effects with the baseline costs as
//!   offset; outward and inward multilateral resistances from the effects, normalised by a
//!   reference country's inward resistance;
//! - the conditional equilibrium: the same with the counterfactual costs, output and
//!   expenditure held fixed;
//! - the full-endowment equilibrium: factory-gate prices, output, expenditure (at the baseline
//!   ratio of expenditure to output) and resistances updated in turn, re-estimating each time,
//!   until the change in prices moves by at most the tolerance (0.01, as the Guide).
//!
//! and reports per country the percentage changes in exports, factory-gate prices, outward and
//! inward multilateral resistances and real GDP, and per iteration the summary Stata prints.

use crate::error::{Error, Result};
use crate::frame::{Column, Frame};
use crate::model::Fit;
use crate::ppml::Ppml;

/// A GE-PPML counterfactual: which columns hold what, the elasticity of substitution and the
/// reference country.
#[derive(Debug, Clone)]
pub struct GePpml {
    exporter: String,
    importer: String,
    trade: String,
    baseline: String,
    counterfactual: String,
    sigma: f64,
    reference: String,
    tolerance: f64,
    max_iterations: usize,
}

/// Summary of one full-endowment iteration: the change in factory-gate prices since the last
/// one, over the rows of the panel, as Stata's `summarize` prints it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IterationSummary {
    /// Mean over rows.
    pub mean: f64,
    /// Standard deviation over rows (denominator rows - 1).
    pub sd: f64,
    /// Smallest.
    pub min: f64,
    /// Largest.
    pub max: f64,
}

/// One country's predicted changes, in percent of the baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct CountryChange {
    /// The country's code.
    pub country: String,
    /// Baseline output (sum of its exports, domestic sales included).
    pub output: f64,
    /// International exports, conditional equilibrium.
    pub exports_conditional: f64,
    /// International exports, full endowment.
    pub exports_full: f64,
    /// Factory-gate price, full endowment.
    pub price_full: f64,
    /// Outward multilateral resistance, conditional.
    pub omr_conditional: f64,
    /// Outward multilateral resistance, full endowment.
    pub omr_full: f64,
    /// Inward multilateral resistance, conditional.
    pub imr_conditional: f64,
    /// Inward multilateral resistance, full endowment.
    pub imr_full: f64,
    /// Real GDP (output over the inward resistance's price index), full endowment.
    pub real_gdp_full: f64,
}

/// The outcome of a counterfactual.
#[derive(Debug, Clone, PartialEq)]
pub struct GeResult {
    /// One row per country, in alphabetical order.
    pub countries: Vec<CountryChange>,
    /// One summary per full-endowment iteration.
    pub iterations: Vec<IterationSummary>,
}

impl GeResult {
    /// The row of `country`.
    pub fn country(&self, country: &str) -> Option<&CountryChange> {
        self.countries.iter().find(|c| c.country == country)
    }
}

/// One equilibrium's effects: fitted flows and, per country, exp(exporter effect) and
/// exp(importer effect) with the reference's importer effect 1.
struct Effects {
    fitted: Vec<f64>,
    pi: Vec<f64>,
    chi: Vec<f64>,
}

impl GePpml {
    /// A counterfactual over the columns `exporter`, `importer` and `trade`, with baseline and
    /// counterfactual log trade costs in `baseline` and `counterfactual`; sigma 7 and the
    /// Guide's tolerance 0.01 unless set.
    pub fn new(
        exporter: &str,
        importer: &str,
        trade: &str,
        baseline: &str,
        counterfactual: &str,
        reference: &str,
    ) -> GePpml {
        GePpml {
            exporter: exporter.into(),
            importer: importer.into(),
            trade: trade.into(),
            baseline: baseline.into(),
            counterfactual: counterfactual.into(),
            sigma: 7.0,
            reference: reference.into(),
            tolerance: 0.01,
            max_iterations: 100,
        }
    }

    /// The elasticity of substitution (default 7, as the Guide).
    pub fn sigma(mut self, sigma: f64) -> GePpml {
        self.sigma = sigma;
        self
    }

    /// Stop when the standard deviation and the largest change in prices between iterations
    /// are both at most `tol` (default 0.01, as the Guide).
    pub fn tolerance(mut self, tol: f64) -> GePpml {
        self.tolerance = tol;
        self
    }

    /// Solves the baseline, the conditional and the full-endowment equilibria.
    pub fn solve(&self, frame: &Frame) -> Result<GeResult> {
        let exp = frame.text(&self.exporter)?;
        let imp = frame.text(&self.importer)?;
        let trade = frame.num(&self.trade)?;
        let ln_bln = frame.num(&self.baseline)?;
        let ln_cfl = frame.num(&self.counterfactual)?;
        let mut countries: Vec<String> = exp.to_vec();
        countries.sort();
        countries.dedup();
        let n = countries.len();
        let index = |c: &str| countries.binary_search_by(|x| x.as_str().cmp(c)).ok();
        let rows = frame.rows();
        let mut ii = Vec::with_capacity(rows);
        let mut jj = Vec::with_capacity(rows);
        let mut seen = vec![false; n * n];
        for r in 0..rows {
            let (i, j) = match (index(&exp[r]), index(&imp[r])) {
                (Some(i), Some(j)) => (i, j),
                _ => {
                    return Err(Error::Ge(format!(
                        "row {r}: importer `{}` never exports",
                        imp[r]
                    )));
                }
            };
            if seen[i * n + j] {
                return Err(Error::Ge(format!(
                    "row {r}: a second flow {} -> {}",
                    exp[r], imp[r]
                )));
            }
            seen[i * n + j] = true;
            ii.push(i);
            jj.push(j);
        }
        if rows != n * n {
            return Err(Error::Ge(format!(
                "needs every flow between {n} countries ({} rows), the data have {rows}",
                n * n
            )));
        }
        let r_ref = index(&self.reference).ok_or_else(|| {
            Error::Ge(format!(
                "reference country `{}` not in the data",
                self.reference
            ))
        })?;
        let inv = 1.0 / (1.0 - self.sigma);
        let by_exporter = |v: &[f64]| {
            let mut s = vec![0.0; n];
            for r in 0..rows {
                s[ii[r]] += v[r];
            }
            s
        };
        let international = |v: &[f64]| {
            let mut s = vec![0.0; n];
            for r in 0..rows {
                if ii[r] != jj[r] {
                    s[ii[r]] += v[r];
                }
            }
            s
        };
        let fit = |y: &[f64], offset: &[f64]| -> Result<Effects> {
            let f = Frame::new()
                .with("exporter", Column::Text(exp.to_vec()))?
                .with("importer", Column::Text(imp.to_vec()))?
                .with("y", Column::Num(y.to_vec()))?
                .with("offset", Column::Num(offset.to_vec()))?;
            let formula = "y ~ 0 | exporter + importer".parse()?;
            let fit = Ppml::new(formula)
                .offset("offset")
                .tolerance(1e-12)
                .fit(&f)?;
            if fit.n_obs != rows {
                return Err(Error::Ge(format!(
                    "{} flows separated: a country that neither exports nor imports",
                    rows - fit.n_obs
                )));
            }
            let ex = &fit.fixed_effects[0];
            let im = &fit.fixed_effects[1];
            let chi_ref = im.get(&self.reference).unwrap_or(0.0);
            let mut fitted = vec![0.0; rows];
            for (k, &r) in fit.rows.iter().enumerate() {
                fitted[r] = fit.fitted[k];
            }
            let pi = countries
                .iter()
                .map(|c| ex.get(c).map_or(f64::NAN, |a| (a + chi_ref).exp()))
                .collect();
            let chi = countries
                .iter()
                .map(|c| im.get(c).map_or(f64::NAN, |a| (a - chi_ref).exp()))
                .collect();
            Ok(Effects { fitted, pi, chi })
        };
        // Observed output, expenditure, and their ratio.
        let y_obs = by_exporter(trade);
        let mut e_obs = vec![0.0; n];
        for r in 0..rows {
            e_obs[jj[r]] += trade[r];
        }
        let phi: Vec<f64> = (0..n).map(|c| e_obs[c] / y_obs[c]).collect();
        let er0 = e_obs[r_ref];
        let bln = fit(trade, ln_bln)?;
        let cdl = fit(trade, ln_cfl)?;
        let omr = |y: &[f64], er: f64, pi: &[f64]| -> Vec<f64> {
            (0..n).map(|c| y[c] * er / pi[c]).collect()
        };
        let imr = |e: &[f64], er: f64, chi: &[f64]| -> Vec<f64> {
            (0..n).map(|c| e[c] / (chi[c] * er)).collect()
        };
        let omr_bln = omr(&y_obs, er0, &bln.pi);
        let imr_bln = imr(&e_obs, er0, &bln.chi);
        let omr_cdl = omr(&y_obs, er0, &cdl.pi);
        let imr_cdl = imr(&e_obs, er0, &cdl.chi);
        let xi_bln = international(&bln.fitted);
        let xi_cdl = international(&cdl.fitted);
        // Full endowment: state k-2 (`cp_old`), k-1 (the rest).
        let mut cp_old = vec![0.0; n];
        let mut cp: Vec<f64> = (0..n).map(|c| (cdl.pi[c] / bln.pi[c]).powf(inv)).collect();
        let mut tradehat = cdl.fitted.clone();
        let mut pi = cdl.pi.clone();
        let mut chi: Vec<f64>;
        let mut er = er0;
        let mut e_k: Vec<f64>;
        let mut omr_k = omr(&y_obs, er0, &cdl.pi);
        let mut imr_k = imr(&e_obs, er0, &cdl.chi);
        let mut c_omr = vec![1.0; n];
        let mut c_imr = vec![1.0; n];
        let mut iterations = Vec::new();
        loop {
            if iterations.len() >= self.max_iterations {
                return Err(Error::NoConvergence {
                    iterations: self.max_iterations,
                    change: iterations
                        .last()
                        .map_or(f64::NAN, |s: &IterationSummary| s.sd),
                });
            }
            let y_new: Vec<f64> = (0..rows)
                .map(|r| {
                    let (i, j) = (ii[r], jj[r]);
                    tradehat[r] * cp[i] * cp[j] / (c_omr[i] * c_imr[j])
                })
                .collect();
            let eff = fit(&y_new, ln_cfl)?;
            let y_k = by_exporter(&eff.fitted);
            let e_new: Vec<f64> = (0..n).map(|c| phi[c] * y_k[c]).collect();
            let er_new = e_new[r_ref];
            let cp_new: Vec<f64> = (0..n)
                .map(|c| ((eff.pi[c] / pi[c]) / (er_new / er)).powf(inv))
                .collect();
            let omr_new = omr(&y_k, er_new, &eff.pi);
            let imr_new = imr(&e_new, er_new, &eff.chi);
            c_omr = (0..n).map(|c| omr_new[c] / omr_k[c]).collect();
            c_imr = (0..n).map(|c| imr_new[c] / imr_k[c]).collect();
            // The change in prices of the previous step, over the panel's rows.
            let dif: Vec<f64> = (0..rows).map(|r| cp[ii[r]] - cp_old[ii[r]]).collect();
            let summary = summarize(&dif);
            iterations.push(summary);
            cp_old = std::mem::replace(&mut cp, cp_new);
            tradehat = eff.fitted;
            pi = eff.pi;
            chi = eff.chi;
            er = er_new;
            e_k = e_new;
            omr_k = omr_new;
            imr_k = imr_new;
            if summary.sd <= self.tolerance && summary.max.abs() <= self.tolerance {
                break;
            }
        }
        let cp_full: Vec<f64> = (0..n)
            .map(|c| ((pi[c] / bln.pi[c]) / (er / er0)).powf(inv))
            .collect();
        let y_full: Vec<f64> = (0..n).map(|c| cp_full[c] * y_obs[c]).collect();
        let e_full: Vec<f64> = (0..n).map(|c| phi[c] * y_full[c]).collect();
        let omr_full: Vec<f64> = (0..n).map(|c| y_full[c] * er / pi[c]).collect();
        let imr_full = imr(&e_k, er, &chi);
        let x_full: Vec<f64> = (0..rows)
            .map(|r| {
                let (i, j) = (ii[r], jj[r]);
                y_full[i] * e_full[j] * ln_cfl[r].exp() / (imr_full[j] * omr_full[i])
            })
            .collect();
        let xi_full = international(&x_full);
        let pct = |new: f64, old: f64| (new - old) / old * 100.0;
        let index_pct = |new: f64, old: f64| pct(new.powf(inv), old.powf(inv));
        let countries = countries
            .iter()
            .enumerate()
            .map(|(c, name)| CountryChange {
                country: name.clone(),
                output: y_obs[c],
                exports_conditional: pct(xi_cdl[c], xi_bln[c]),
                exports_full: pct(xi_full[c], xi_bln[c]),
                price_full: (cp_full[c] - 1.0) * 100.0,
                omr_conditional: index_pct(omr_cdl[c], omr_bln[c]),
                omr_full: index_pct(omr_full[c], omr_bln[c]),
                imr_conditional: index_pct(imr_cdl[c], imr_bln[c]),
                imr_full: index_pct(imr_full[c], imr_bln[c]),
                real_gdp_full: pct(
                    y_full[c] / imr_full[c].powf(inv),
                    y_obs[c] / imr_bln[c].powf(inv),
                ),
            })
            .collect();
        Ok(GeResult {
            countries,
            iterations,
        })
    }
}

fn summarize(v: &[f64]) -> IterationSummary {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0);
    IterationSummary {
        mean,
        sd: var.sqrt(),
        min: v.iter().copied().fold(f64::INFINITY, f64::min),
        max: v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    }
}

//! The trade-policy simulator: a structural gravity baseline estimated from a panel, and
//! general-equilibrium counterfactuals of [`Scenario`]s on it, following the Advanced Guide's
//! RTA application (Yotov et al. 2016, chapter 2, application 2) step by step:
//!
//! 1. **First stage.** PPML of `trade ~ RTA [+ SANCTION] | pair + exporter^year +
//!    importer^year` on every `interval`-th year counted from the baseline year, before and
//!    after it (the Guide uses every fourth year of 1986-2006 with 1994 as its baseline; by
//!    default the baseline is the panel's last year), errors clustered by pair. The pair effects
//!    (one per unordered pair, as the Guide's `pair_id`) are the time-invariant bilateral trade
//!    costs; `RTA`'s coefficient the effect of an agreement and `SANCTION`'s (when the
//!    panel has sanction years, e.g. from GSDB) the effect of trade sanctions.
//! 2. **Second stage.** Pairs without a pair effect (never traded) take the prediction of
//!    `tij ~ log(DIST) + CNTG + LANG + CLNY | exporter + importer` (those covariates the panel
//!    has) fitted on the baseline year's pair effects.
//! 3. **Baseline.** The baseline year's flows with log costs `gamma_ij + b_RTA RTA_ij +
//!    b_S SANCTION_ij` (domestic flows 0).
//! 4. **Counterfactual.** The scenario changes the agreement and sanction status of pairs,
//!    adds `(1 - sigma) ln(1 + tariff)` to taxed flows and takes the border effect off pairs
//!    whose border is removed (estimated as the Guide's trade-without-borders regression,
//!    `trade ~ log(DIST) + CNTG + I(exporter != importer) | exporter + importer`, on the
//!    baseline year, robust errors); [`crate::GePpml`] solves the
//!    conditional and full-endowment equilibria, the latter exactly ([`GePpml::exact`]:
//!    relative excess demand below 1e-10) unless [`FittedGravity::guide_loop`] asks for the
//!    Guide's own loop and its 0.01 tolerance.
//!
//! **Uncertainty.** The counterfactual is solved three times: at the estimates, and with every
//! effect the scenario uses at its 5th and at its 95th percentile (normal, clustered standard
//! error), sigma 7 then 5 and 9 for tariffs (sigma is not estimated here; 5 to 9 is an assumed
//! range around the Guide's 7). A country's interval is the least and largest of the three
//! answers: a 90% interval for coefficient uncertainty if its answer is monotone in the effects,
//! and nothing more. It leaves out the baseline costs' own uncertainty.
//!
//! A tariff's revenue is not modelled (the Guide's model has none): the tariff acts as an
//! iceberg cost, which overstates the loss of the country that levies it.

use crate::error::{Error, Result};
use crate::frame::{Column, Frame};
use crate::ge::{CountryChange, GePpml, GeResult};
use crate::model::{Coef, Fit, Vcov};
use crate::ppml::Ppml;
use crate::scenario::{Scenario, Shock};

/// The normal quantile of 0.95: the bounds are a central 90% interval.
const Z90: f64 = 1.644_853_626_951_472_2;

/// The simulator's settings (unfitted): which years, sigma and the reference country.
#[derive(Debug, Clone)]
pub struct Gravity {
    interval: i64,
    baseline_year: Option<i64>,
    sigma: f64,
    reference: Option<String>,
}

impl Default for Gravity {
    fn default() -> Self {
        Gravity {
            interval: 4,
            baseline_year: None,
            sigma: 7.0,
            reference: None,
        }
    }
}

impl Gravity {
    /// Every fourth year up to the panel's last; sigma 7; Germany the reference when present.
    pub fn new() -> Gravity {
        Gravity::default()
    }

    /// Years used by the first stage: the baseline year and every `years`-th year from it.
    pub fn interval(mut self, years: i64) -> Gravity {
        self.interval = years.max(1);
        self
    }

    /// The baseline year (default: the panel's last).
    pub fn baseline_year(mut self, year: i64) -> Gravity {
        self.baseline_year = Some(year);
        self
    }

    /// The elasticity of substitution (default 7, as the Guide).
    pub fn sigma(mut self, sigma: f64) -> Gravity {
        self.sigma = sigma;
        self
    }

    /// The country whose inward resistance is the numeraire (default DEU, else the first).
    pub fn reference(mut self, iso3: &str) -> Gravity {
        self.reference = Some(iso3.to_string());
        self
    }
}

/// The fitted baseline, ready to simulate scenarios.
#[derive(Debug, Clone)]
pub struct FittedGravity {
    /// The baseline year.
    pub year: i64,
    /// The first-stage years.
    pub years: Vec<i64>,
    /// The panel's countries, sorted.
    pub countries: Vec<String>,
    /// The effect of a regional trade agreement.
    pub rta: Coef,
    /// The effect of trade sanctions, when the panel has sanction years.
    pub sanction: Option<Coef>,
    /// The effect of an international border (the Guide's `INTL_BRDR`), from the baseline
    /// year's cross-section, when the panel has `DIST` and `CNTG`.
    pub border: Option<Coef>,
    /// First-stage observations used, and those dropped as separated.
    pub n_obs: usize,
    pub separated: usize,
    /// Baseline pairs whose costs came from the second stage.
    pub imputed_pairs: usize,
    sigma: f64,
    reference: String,
    /// Baseline year, one row per flow.
    exporter: Vec<String>,
    importer: Vec<String>,
    trade: Vec<f64>,
    rta_status: Vec<f64>,
    sanction_status: Vec<f64>,
    gamma: Vec<f64>,
    exact: bool,
}

/// The effects a counterfactual is solved at.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    pub rta: f64,
    pub sanction: f64,
    pub border: f64,
    pub sigma: f64,
}

/// A scenario's answer: the equilibrium at the estimates and at the two ends of the effects.
#[derive(Debug, Clone)]
pub struct Simulation {
    pub scenario: Scenario,
    /// The baseline year.
    pub year: i64,
    /// Flows (exporter, importer) whose trade costs the scenario changes.
    pub pairs_changed: usize,
    /// Estimates, then the 5th- and 95th-percentile effects.
    pub params: [Params; 3],
    /// The equilibria at `params`.
    pub runs: [GeResult; 3],
}

/// One number of a country's answer with its interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranged {
    pub central: f64,
    pub low: f64,
    pub high: f64,
}

/// One country's answer, as every view shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct SimRow {
    /// ISO3.
    pub country: String,
    /// Real GDP, percent change (full endowment), with its interval.
    pub real_gdp: Ranged,
    /// International exports, percent change (full endowment), with its interval.
    pub exports: Ranged,
    /// International exports, percent change with output and spending held (conditional).
    pub exports_conditional: f64,
    /// Factory-gate price, percent change.
    pub price: f64,
    /// Inward multilateral resistance (the consumer price index), percent change.
    pub imr: f64,
    /// Outward multilateral resistance, percent change.
    pub omr: f64,
}

impl Simulation {
    /// One row per country, the largest change in real GDP (either way) first.
    pub fn rows(&self) -> Vec<SimRow> {
        let mut rows: Vec<SimRow> = self
            .central()
            .countries
            .iter()
            .filter_map(|c| {
                Some(SimRow {
                    country: c.country.clone(),
                    real_gdp: self.ranged(&c.country, |x| x.real_gdp_full)?,
                    exports: self.ranged(&c.country, |x| x.exports_full)?,
                    exports_conditional: c.exports_conditional,
                    price: c.price_full,
                    imr: c.imr_full,
                    omr: c.omr_full,
                })
            })
            .collect();
        rows.sort_by(|a, b| {
            b.real_gdp
                .central
                .abs()
                .total_cmp(&a.real_gdp.central.abs())
                .then_with(|| a.country.cmp(&b.country))
        });
        rows
    }

    /// The answer at the estimates.
    pub fn central(&self) -> &GeResult {
        &self.runs[0]
    }

    /// `field` of `country` at the estimates, with the least and largest of the three runs.
    pub fn ranged(&self, country: &str, field: impl Fn(&CountryChange) -> f64) -> Option<Ranged> {
        let v: Vec<f64> = self
            .runs
            .iter()
            .map(|r| r.country(country).map(&field))
            .collect::<Option<_>>()?;
        Some(Ranged {
            central: v[0],
            low: v.iter().copied().fold(f64::INFINITY, f64::min),
            high: v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        })
    }
}

fn bad(message: String) -> Error {
    Error::Ge(message)
}

impl Fit for Gravity {
    type Fitted = FittedGravity;

    /// Estimates the baseline from a panel with columns `exporter`, `importer` (text), `year`,
    /// `trade`, `RTA`, optionally `SANCTION` (0/1 per pair and year), and for the second stage
    /// `DIST` and any of `CNTG`, `LANG`, `CLNY`.
    fn fit(&self, panel: &Frame) -> Result<FittedGravity> {
        let year = panel.num("year")?;
        let mut all_years: Vec<i64> = year.iter().map(|y| *y as i64).collect();
        all_years.sort_unstable();
        all_years.dedup();
        let last = *all_years
            .last()
            .ok_or_else(|| Error::NoObservations("an empty panel".into()))?;
        let base = self.baseline_year.unwrap_or(last);
        if !all_years.contains(&base) {
            return Err(bad(format!(
                "baseline year {base} is not in the panel ({}-{last})",
                all_years[0]
            )));
        }
        let years: Vec<i64> = all_years
            .iter()
            .copied()
            .filter(|y| (base - y) % self.interval == 0)
            .collect();
        let mut f = panel.filter(|i| years.contains(&(year[i] as i64)));
        let (exp, imp) = (f.text("exporter")?.to_vec(), f.text("importer")?.to_vec());
        let pair: Vec<String> = (0..f.rows())
            .map(|i| {
                if exp[i] == imp[i] {
                    "domestic".to_string()
                } else if exp[i] < imp[i] {
                    format!("{}-{}", exp[i], imp[i])
                } else {
                    format!("{}-{}", imp[i], exp[i])
                }
            })
            .collect();
        f.push("pair", Column::Text(pair.clone()))?;
        let has_sanction = f.num("SANCTION").map(|s| s.contains(&1.0)).unwrap_or(false);
        let formula = if has_sanction {
            "trade ~ RTA + SANCTION | pair + exporter^year + importer^year"
        } else {
            "trade ~ RTA | pair + exporter^year + importer^year"
        };
        let first = Ppml::new(formula.parse()?)
            .vcov(Vcov::Cluster("pair".into()))
            .fit(&f)?;
        let coef = |t: &str| {
            first
                .coef(t)
                .filter(|c| !c.omitted)
                .cloned()
                .ok_or_else(|| Error::Collinear(t.into()))
        };
        let rta = coef("RTA")?;
        let sanction = if has_sanction {
            Some(coef("SANCTION")?)
        } else {
            None
        };
        let pair_fe = first
            .fixed_effect("pair")
            .ok_or_else(|| bad("no pair effects recovered".into()))?;
        let dom = pair_fe
            .get("domestic")
            .ok_or_else(|| bad("no domestic flows: the panel needs them".into()))?;

        // The baseline year.
        let fy = f.num("year")?.to_vec();
        let rows: Vec<usize> = (0..f.rows()).filter(|&i| fy[i] as i64 == base).collect();
        let b = f.take(&rows);
        let (exporter, importer) = (b.text("exporter")?.to_vec(), b.text("importer")?.to_vec());
        let bpair = b.text("pair")?;
        let mut gamma: Vec<f64> = (0..b.rows())
            .map(|i| {
                if exporter[i] == importer[i] {
                    0.0
                } else {
                    pair_fe.get(&bpair[i]).map_or(f64::NAN, |g| g - dom)
                }
            })
            .collect();
        let missing: Vec<usize> = (0..b.rows()).filter(|&i| gamma[i].is_nan()).collect();
        if !missing.is_empty() {
            impute(&b, &mut gamma, &missing)?;
        }
        // The border effect: the Guide's trade-without-borders regression on the baseline year.
        let border = if b.num("DIST").is_ok() && b.num("CNTG").is_ok() {
            let fit = Ppml::new(
                "trade ~ log(DIST) + CNTG + I(exporter != importer) | exporter + importer"
                    .parse()?,
            )
            .vcov(Vcov::Robust)
            .fit(&b)?;
            fit.coef("I(exporter != importer)")
                .filter(|c| !c.omitted)
                .cloned()
        } else {
            None
        };
        let mut countries = exporter.clone();
        countries.sort();
        countries.dedup();
        let reference = match &self.reference {
            Some(r) => r.clone(),
            None if countries.iter().any(|c| c == "DEU") => "DEU".into(),
            None => countries[0].clone(),
        };
        let sanction_status = match b.num("SANCTION") {
            Ok(s) => s
                .iter()
                .map(|v| if *v == 1.0 { 1.0 } else { 0.0 })
                .collect(),
            Err(_) => vec![0.0; b.rows()],
        };
        Ok(FittedGravity {
            year: base,
            years,
            countries,
            rta,
            sanction,
            border,
            n_obs: first.n_obs,
            separated: first.separated,
            imputed_pairs: missing.len(),
            sigma: self.sigma,
            reference,
            trade: b.num("trade")?.to_vec(),
            rta_status: b.num("RTA")?.to_vec(),
            sanction_status,
            exporter,
            importer,
            gamma,
            exact: true,
        })
    }
}

/// The second stage: pair costs of never-trading pairs from gravity covariates.
fn impute(b: &Frame, gamma: &mut [f64], missing: &[usize]) -> Result<()> {
    let (exp, imp) = (b.text("exporter")?, b.text("importer")?);
    let covariates: Vec<&str> = ["CNTG", "LANG", "CLNY"]
        .into_iter()
        .filter(|c| b.num(c).is_ok())
        .collect();
    let dist = b.num("DIST").map_err(|_| {
        bad(format!(
            "{} baseline pairs never traded and the panel has no DIST to predict their costs",
            missing.len()
        ))
    })?;
    let known: Vec<usize> = (0..b.rows())
        .filter(|&i| exp[i] != imp[i] && !gamma[i].is_nan())
        .collect();
    let mut s = b.take(&known);
    s.push(
        "tij",
        Column::Num(known.iter().map(|&i| gamma[i].exp()).collect()),
    )?;
    let mut formula = "tij ~ log(DIST)".to_string();
    for c in &covariates {
        formula.push_str(" + ");
        formula.push_str(c);
    }
    formula.push_str(" | exporter + importer");
    let fit = Ppml::new(formula.parse()?).fit(&s)?;
    let ex = fit
        .fixed_effect("exporter")
        .ok_or_else(|| bad("second stage: no exporter effects".into()))?;
    let im = fit
        .fixed_effect("importer")
        .ok_or_else(|| bad("second stage: no importer effects".into()))?;
    let slope = |t: &str| fit.coef(t).map_or(0.0, |c| c.estimate);
    let b_dist = slope("log(DIST)");
    for &i in missing {
        let (Some(a), Some(c)) = (ex.get(&exp[i]), im.get(&imp[i])) else {
            return Err(bad(format!(
                "no trade cost for {} -> {}: the country has no traded pair to predict from",
                exp[i], imp[i]
            )));
        };
        let mut xb = a + c + b_dist * dist[i].ln();
        for t in &covariates {
            xb += slope(t) * b.num(t)?[i];
        }
        gamma[i] = xb;
    }
    Ok(())
}

impl FittedGravity {
    /// The effects at the estimates.
    pub fn estimates(&self) -> Params {
        Params {
            rta: self.rta.estimate,
            sanction: self.sanction.as_ref().map_or(f64::NAN, |c| c.estimate),
            border: self.border.as_ref().map_or(f64::NAN, |c| c.estimate),
            sigma: self.sigma,
        }
    }

    /// Solve the full endowment by the Guide's loop and tolerance (0.01) instead of exactly:
    /// for checking against the Guide's logs.
    pub fn guide_loop(mut self) -> FittedGravity {
        self.exact = false;
        self
    }

    /// The baseline year's flows: (exporter, importer, trade, agreement in force, sanction in
    /// force), domestic flows included.
    pub fn baseline_flows(&self) -> impl Iterator<Item = (&str, &str, f64, bool, bool)> {
        (0..self.trade.len()).map(|r| {
            (
                self.exporter[r].as_str(),
                self.importer[r].as_str(),
                self.trade[r],
                self.rta_status[r] == 1.0,
                self.sanction_status[r] == 1.0,
            )
        })
    }

    /// The sigma the baseline was set up with.
    pub fn sigma(&self) -> f64 {
        self.sigma
    }

    /// The log trade costs of the baseline and of `scenario` at `p`, and the flows changed.
    fn costs(&self, scenario: &Scenario, p: Params) -> Result<(Vec<f64>, Vec<f64>, usize)> {
        let text = scenario.to_string();
        for c in scenario.countries() {
            if self
                .countries
                .binary_search_by(|x| x.as_str().cmp(c))
                .is_err()
            {
                return Err(Error::Scenario {
                    scenario: text,
                    message: format!(
                        "{c} is not among the panel's {} countries",
                        self.countries.len()
                    ),
                });
            }
        }
        if scenario.has_border() && self.border.is_none() {
            return Err(Error::Scenario {
                scenario: text,
                message: "the panel has no DIST and CNTG to estimate a border's effect from".into(),
            });
        }
        if scenario.has_sanction() && self.sanction.is_none() {
            return Err(Error::Scenario {
                scenario: text,
                message: "the panel has no sanction years (column SANCTION) to estimate a sanction's effect from".into(),
            });
        }
        let est = self.estimates();
        let n = self.trade.len();
        let mut rta = self.rta_status.clone();
        let mut sanct = self.sanction_status.clone();
        let mut tariff = vec![0.0; n];
        let mut borderless = vec![0.0; n];
        let within = |list: &[String], c: &str| list.iter().any(|x| x == c);
        for shock in &scenario.0 {
            for r in 0..n {
                let (e, i) = (self.exporter[r].as_str(), self.importer[r].as_str());
                if e == i {
                    continue;
                }
                match shock {
                    Shock::RtaAdd(m) if within(m, e) && within(m, i) => rta[r] = 1.0,
                    Shock::RtaRemove(m) if within(m, e) && within(m, i) => rta[r] = 0.0,
                    Shock::BorderRemove(m) if within(m, e) && within(m, i) => borderless[r] = 1.0,
                    Shock::Tariff {
                        importers,
                        exporters,
                        percent,
                    } if within(exporters, e) && within(importers, i) => {
                        tariff[r] += (1.0 + percent / 100.0).ln();
                    }
                    Shock::Sanction { senders, targets }
                    | Shock::SanctionLift { senders, targets }
                        if (within(senders, e) && within(targets, i))
                            || (within(targets, e) && within(senders, i)) =>
                    {
                        sanct[r] = if matches!(shock, Shock::Sanction { .. }) {
                            1.0
                        } else {
                            0.0
                        }
                    }
                    _ => {}
                }
            }
        }
        let s_est = if est.sanction.is_nan() {
            0.0
        } else {
            est.sanction
        };
        let s_p = if p.sanction.is_nan() { 0.0 } else { p.sanction };
        let mut changed = 0;
        let mut bln = vec![0.0; n];
        let mut cfl = vec![0.0; n];
        for r in 0..n {
            if self.exporter[r] == self.importer[r] {
                continue;
            }
            bln[r] = self.gamma[r] + est.rta * self.rta_status[r] + s_est * self.sanction_status[r];
            let d_rta = rta[r] - self.rta_status[r];
            let d_s = sanct[r] - self.sanction_status[r];
            if d_rta != 0.0 || d_s != 0.0 || tariff[r] != 0.0 || borderless[r] != 0.0 {
                changed += 1;
            }
            let b_p = if p.border.is_nan() { 0.0 } else { p.border };
            cfl[r] = bln[r] + p.rta * d_rta + s_p * d_s + (1.0 - p.sigma) * tariff[r]
                - b_p * borderless[r];
        }
        if changed == 0 {
            return Err(Error::Scenario {
                scenario: text,
                message: format!(
                    "changes no flow's trade costs in {} (agreements or sanctions already in place as asked)",
                    self.year
                ),
            });
        }
        Ok((bln, cfl, changed))
    }

    /// The counterfactual of `scenario` with the effects at `p`.
    pub fn solve(&self, scenario: &Scenario, p: Params) -> Result<(GeResult, usize)> {
        let (bln, cfl, changed) = self.costs(scenario, p)?;
        let frame = Frame::new()
            .with("exporter", Column::Text(self.exporter.clone()))?
            .with("importer", Column::Text(self.importer.clone()))?
            .with("trade", Column::Num(self.trade.clone()))?
            .with("ln_bln", Column::Num(bln))?
            .with("ln_cfl", Column::Num(cfl))?;
        let ge = GePpml::new(
            "exporter",
            "importer",
            "trade",
            "ln_bln",
            "ln_cfl",
            &self.reference,
        )
        .sigma(p.sigma)
        .exact(self.exact)
        .tolerance(if self.exact { 1e-10 } else { 0.01 })
        .solve(&frame)?;
        Ok((ge, changed))
    }

    /// The scenario at the estimates and at both ends of its effects (see the module docs).
    pub fn simulate(&self, scenario: &Scenario) -> Result<Simulation> {
        let est = self.estimates();
        let end = |sign: f64| {
            let sanction = match &self.sanction {
                Some(c) => c.estimate + sign * Z90 * c.std_error,
                None => f64::NAN,
            };
            let border = match &self.border {
                Some(c) => c.estimate + sign * Z90 * c.std_error,
                None => f64::NAN,
            };
            Params {
                rta: self.rta.estimate + sign * Z90 * self.rta.std_error,
                sanction,
                border,
                sigma: if scenario.has_tariff() {
                    self.sigma + sign * 2.0
                } else {
                    self.sigma
                },
            }
        };
        let params = [est, end(-1.0), end(1.0)];
        let (central, changed) = self.solve(scenario, params[0])?;
        let (low, _) = self.solve(scenario, params[1])?;
        let (high, _) = self.solve(scenario, params[2])?;
        Ok(Simulation {
            scenario: scenario.clone(),
            year: self.year,
            pairs_changed: changed,
            params,
            runs: [central, low, high],
        })
    }
}

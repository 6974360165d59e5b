//! THE model: a gradient-boosted hurdle model of `ged_sb` (perpetual's self-generalising GBM),
//! with the empirical distributional layer of [`crate::dist`].
//!
//! * [`GbtModel`] (unfitted, holds [`GbtParams`]) — [`GbtModel::fit`] →
//! * [`FittedGbt`] (two boosters, residual pools, novelty reference) — implements [`Predict`],
//!   plus [`FittedGbt::drivers`] (attribution) and [`FittedGbt::novelty`].
//! * [`GbtForecaster`] — the thin [`Forecaster`]: fit on the panel, then predict.
//!
//! Training pairs are (features of country `c` at month `t`, outcome `ged_sb` at `t + h`) for
//! every row month `t` and every `h` in `1..=max_horizon` with `t + h <= as_of`; the horizon is
//! a feature, so short horizons (plentiful) and long ones (scarce in a 12-month panel) are
//! pooled. The classifier models `P(y > 0)`; the regressor models `ln(1 + y)` given `y > 0`;
//! the threshold classifier models `P(y >= 25)`, recalibrated by Platt scaling fitted on its
//! out-of-fold predictions (two folds of countries), with an intercept per class of the worst
//! recent month ([`tune::Calibration`]). Residuals of the regressor are computed
//! out of fold too, so the predictive spread is honest, and pooled by quartile of the predicted
//! `mu`. The escalation and onset tails of [`crate::dist`] are learned from the same pairs, and
//! the mixture weights are chosen by rolling-origin validation inside the panel
//! ([`crate::tune`]).

use std::ops::RangeInclusive;

use perpetual::objective::Objective;
use perpetual::{Matrix, PerpetualBooster};

use crate::dist::{self, MixtureParams, MonthModel, Tail};
use crate::features::{self, Histories};
use crate::novelty::{Novelty, NoveltyRef};
use crate::tune::{self, Validation};
use attache_core::MonthId;

use crate::{ForecastError, ForecastRow, Forecaster, Panel, check_request};

/// Hyper-parameters of [`GbtModel`].
#[derive(Debug, Clone, PartialEq)]
pub struct GbtParams {
    /// perpetual's complexity budget (higher = more trees).
    pub budget: f32,
    /// Longest horizon used in training pairs.
    pub max_horizon: i32,
    /// The distributional layer.
    pub mixture: MixtureParams,
    /// Months of a country's history in its empirical distribution.
    pub empirical_months: i32,
    /// Number of `mu`-buckets of the residual pool.
    pub residual_buckets: usize,
    /// Seed of the boosters (their own column sampling); the draws use the forecast's seed.
    pub fit_seed: u64,
    /// Choose the mixture by rolling-origin validation inside the panel ([`crate::tune`]);
    /// when off (or the panel is too short), `mixture` is used as given.
    pub validate: bool,
}

impl Default for GbtParams {
    fn default() -> Self {
        GbtParams {
            budget: 0.5,
            max_horizon: 14,
            mixture: MixtureParams::default(),
            empirical_months: 12,
            residual_buckets: 4,
            fit_seed: 0,
            validate: true,
        }
    }
}

/// Something fitted that produces draws from a panel.
pub trait Predict {
    /// Draws for every country of `panel` and month of `months` (see [`Forecaster::forecast`]).
    fn predict(
        &self,
        panel: &Panel,
        months: RangeInclusive<MonthId>,
        n_draws: usize,
        seed: u64,
    ) -> Result<Vec<ForecastRow>, ForecastError>;
}

/// The unfitted model.
#[derive(Debug, Clone, Default)]
pub struct GbtModel {
    params: GbtParams,
}

/// The fitted model.
#[derive(Clone)]
pub struct FittedGbt {
    params: GbtParams,
    as_of: MonthId,
    classifier: PerpetualBooster,
    regressor: PerpetualBooster,
    /// P(y >= 25) before calibration.
    threshold: PerpetualBooster,
    /// Platt scaling of the threshold classifier, with an intercept per activity class.
    platt: tune::Calibration,
    /// Escalation and onset statistics.
    tails: TailStats,
    /// The rolling-origin validation that chose the mixture, if it ran.
    validation: Option<Validation>,
    /// (upper `mu` bound, sorted residuals) per bucket, ascending bounds.
    residuals: Vec<(f64, Vec<f64>)>,
    novelty: NoveltyRef,
    /// Per activity class of the worst recent month ([`activity_class`]) and base feature,
    /// the median over the training rows of that class (stored units; NaN: none known): the
    /// "comparable cases" drivers are worded against.
    typical: [Vec<f64>; 3],
    n_train: usize,
}

/// Activity class of a worst recent month: 0 deaths, 1 to 24, 25 or more (the classes of
/// the learned tails, the calibration's offsets and the drivers' comparable cases).
pub(crate) fn activity_class(worst: f64) -> usize {
    if worst < 0.5 {
        0
    } else if worst < crate::EVENT_THRESHOLD {
        1
    } else {
        2
    }
}

/// Activity class of a row of base features (its worst month of the previous 12).
fn base_class(base: &[f64]) -> usize {
    activity_class(libm::expm1(base[features::WORST12_INDEX]))
}

/// Per activity class, the median of every base feature over the rows of that class.
fn typical_by_class(rows: &[(u16, Vec<f64>)]) -> [Vec<f64>; 3] {
    let d = rows.first().map_or(0, |r| r.1.len());
    let mut out: [Vec<f64>; 3] = Default::default();
    for (class, medians) in out.iter_mut().enumerate() {
        let of_class: Vec<&Vec<f64>> = rows
            .iter()
            .map(|r| &r.1)
            .filter(|b| base_class(b) == class)
            .collect();
        *medians = (0..d)
            .map(|j| {
                let mut v: Vec<f64> = of_class
                    .iter()
                    .map(|b| b[j])
                    .filter(|x| x.is_finite())
                    .collect();
                if v.is_empty() {
                    return f64::NAN;
                }
                v.sort_by(f64::total_cmp);
                let n = v.len();
                if n % 2 == 1 {
                    v[n / 2]
                } else {
                    0.5 * (v[n / 2 - 1] + v[n / 2])
                }
            })
            .collect();
    }
    out
}

fn booster(objective: Objective, budget: f32, seed: u64) -> PerpetualBooster {
    PerpetualBooster::default()
        .set_objective(objective)
        .set_budget(budget)
        // Two threads: perpetual builds each feature's histogram on one thread, so the trees,
        // and the forecasts, do not depend on the thread count (the three backtest windows
        // were checked byte for byte against one thread).
        .set_num_threads(Some(2))
        // A fixed memory budget: without one perpetual sizes its node arena from the free memory
        // of the machine (4 GB per fit here), which also makes runs machine-dependent. The arena
        // is allocated and zeroed for every fit, and it caps a tree's nodes: at 1 GB a backtest
        // window peaked at 762 MB, a third of its time in page faults; at 0.5 GB it peaks at
        // 453 MB and the three windows' forecasts are byte-identical (no tree reaches the cap);
        // at 0.25 GB trees are cut and the forecasts change.
        .set_memory_limit(Some(0.5))
        .set_seed(seed)
}

/// Column-major matrix buffer of rows.
pub(crate) fn column_major(rows: &[Vec<f64>], cols: usize) -> Vec<f64> {
    let n = rows.len();
    let mut data = vec![0.0; n * cols];
    for (i, r) in rows.iter().enumerate() {
        for (j, v) in r.iter().enumerate() {
            data[j * n + i] = *v;
        }
    }
    data
}

fn fit_booster(
    objective: Objective,
    budget: f32,
    seed: u64,
    rows: &[Vec<f64>],
    y: &[f64],
) -> Result<PerpetualBooster, ForecastError> {
    let cols = features::n_features();
    let data = column_major(rows, cols);
    let m = Matrix::new(&data, rows.len(), cols);
    let mut b = booster(objective, budget, seed);
    b.fit(&m, y, None, None)
        .map_err(|e| ForecastError::Gbt(e.to_string()))?;
    Ok(b)
}

fn predict_raw(b: &PerpetualBooster, rows: &[Vec<f64>]) -> Vec<f64> {
    if rows.is_empty() {
        return Vec::new();
    }
    let cols = features::n_features();
    let data = column_major(rows, cols);
    let m = Matrix::new(&data, rows.len(), cols);
    b.predict(&m, false)
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + libm::exp(-x))
}

impl std::fmt::Debug for FittedGbt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FittedGbt")
            .field("params", &self.params)
            .field("as_of", &self.as_of)
            .field(
                "trees",
                &(
                    self.classifier.get_prediction_trees().len(),
                    self.regressor.get_prediction_trees().len(),
                ),
            )
            .field("n_train", &self.n_train)
            .finish_non_exhaustive()
    }
}

impl GbtModel {
    /// An unfitted model.
    pub fn new(params: GbtParams) -> GbtModel {
        GbtModel { params }
    }

    /// Its parameters.
    pub fn params(&self) -> &GbtParams {
        &self.params
    }

    /// Fit on every training pair of the panel (see the module documentation).
    ///
    /// # Errors
    /// [`ForecastError::EmptyPanel`], [`ForecastError::TooLittleData`] with fewer than 100
    /// pairs or 20 positive outcomes, [`ForecastError::Gbt`] if boosting fails.
    pub fn fit(&self, panel: &Panel) -> Result<FittedGbt, ForecastError> {
        let p = &self.params;
        if panel.countries().is_empty() {
            return Err(ForecastError::EmptyPanel);
        }
        check_columns(panel)?;
        let hist = Histories::build(panel);
        let mut x: Vec<Vec<f64>> = Vec::new();
        let mut y: Vec<f64> = Vec::new();
        let mut fold: Vec<usize> = Vec::new();
        let mut worst: Vec<f64> = Vec::new();
        let mut share12: Vec<f64> = Vec::new();
        let mut base_rows: Vec<(u16, Vec<f64>)> = Vec::new();
        for (ci, (id, h)) in hist.hists.iter().enumerate() {
            for &t in &h.row_months {
                let Some(base) = hist.base_features(panel, *id, t) else {
                    continue;
                };
                for hz in 1..=p.max_horizon {
                    let m = t + hz;
                    if m > panel.as_of().0 {
                        break;
                    }
                    let v = h.sb_at(m);
                    if !v.is_finite() {
                        continue;
                    }
                    let mut r = base.clone();
                    r.push(f64::from(hz));
                    x.push(r);
                    y.push(v);
                    fold.push(ci % 2);
                    worst.push(libm::expm1(base[features::WORST12_INDEX]));
                    share12.push(base[features::SHARE12_INDEX]);
                }
                base_rows.push((*id, base));
            }
        }
        let n_pos = y.iter().filter(|v| **v > 0.0).count();
        if x.len() < 100 || n_pos < 20 {
            return Err(ForecastError::TooLittleData(x.len()));
        }
        let occ: Vec<f64> = y.iter().map(|v| f64::from(u8::from(*v > 0.0))).collect();
        let classifier = fit_booster(Objective::LogLoss, p.budget, p.fit_seed, &x, &occ)?;
        let (xp, yp, fp): (Vec<Vec<f64>>, Vec<f64>, Vec<usize>) = {
            let mut a = Vec::new();
            let mut b = Vec::new();
            let mut c = Vec::new();
            for i in 0..x.len() {
                if y[i] > 0.0 {
                    a.push(x[i].clone());
                    b.push(libm::log1p(y[i]));
                    c.push(fold[i]);
                }
            }
            (a, b, c)
        };
        let regressor = fit_booster(Objective::SquaredLoss, p.budget, p.fit_seed, &xp, &yp)?;
        // Out-of-fold residuals ((0, 0) where a fold had too little to fit on).
        let pred = out_of_fold(Objective::SquaredLoss, p, &xp, &yp, &fp, |tr| {
            tr.len() >= 10
        })?;
        let oof: Vec<(f64, f64)> = pred
            .iter()
            .zip(&yp)
            .map(|(m, y)| if m.is_nan() { (0.0, 0.0) } else { (*m, y - m) })
            .collect();
        let residuals = bucket_residuals(oof, p.residual_buckets.max(1));
        // The threshold classifier and its calibration on out-of-fold predictions.
        let ge25: Vec<f64> = y.iter().map(|v| f64::from(u8::from(*v >= 25.0))).collect();
        let threshold = fit_booster(Objective::LogLoss, p.budget, p.fit_seed, &x, &ge25)?;
        let oof_logit = out_of_fold(Objective::LogLoss, p, &x, &ge25, &fold, |tr| {
            tr.iter().filter(|&&i| ge25[i] > 0.0).count() >= 5
        })?;
        let classes: Vec<usize> = worst.iter().map(|&m| activity_class(m)).collect();
        let platt = tune::platt(&oof_logit, &ge25, &classes);
        let tails = TailStats::learn(&y, &worst, &share12);
        let novelty = NoveltyRef::build(&base_rows);
        let typical = typical_by_class(&base_rows);
        let mut fitted = FittedGbt {
            params: p.clone(),
            as_of: panel.as_of(),
            classifier,
            regressor,
            threshold,
            platt,
            tails,
            validation: None,
            residuals,
            novelty,
            typical,
            n_train: x.len(),
        };
        if p.validate
            && let Some(v) = tune::validate(self, panel, &hist)?
        {
            fitted.params.mixture = v.chosen;
            fitted.validation = Some(v);
        }
        Ok(fitted)
    }
}

/// Out-of-fold predictions over the two country folds: for each fold `k`, a booster fitted on
/// the other fold (when `enough` says its training indices suffice) predicts the rows of `k`;
/// NaN for rows whose fold was skipped.
fn out_of_fold(
    objective: Objective,
    p: &GbtParams,
    x: &[Vec<f64>],
    y: &[f64],
    fold: &[usize],
    enough: impl Fn(&[usize]) -> bool,
) -> Result<Vec<f64>, ForecastError> {
    let mut out = vec![f64::NAN; x.len()];
    for k in 0..2 {
        let tr: Vec<usize> = (0..x.len()).filter(|&i| fold[i] != k).collect();
        let te: Vec<usize> = (0..x.len()).filter(|&i| fold[i] == k).collect();
        if !enough(&tr) || te.is_empty() {
            continue;
        }
        let xtr: Vec<Vec<f64>> = tr.iter().map(|&i| x[i].clone()).collect();
        let ytr: Vec<f64> = tr.iter().map(|&i| y[i]).collect();
        let b = fit_booster(objective.clone(), p.budget, p.fit_seed, &xtr, &ytr)?;
        let xte: Vec<Vec<f64>> = te.iter().map(|&i| x[i].clone()).collect();
        for (j, v) in predict_raw(&b, &xte).into_iter().enumerate() {
            out[te[j]] = v;
        }
    }
    Ok(out)
}

/// Refuses a panel that lacks a column the model reads.
fn check_columns(panel: &Panel) -> Result<(), ForecastError> {
    let missing = features::missing_columns(panel);
    if missing.is_empty() {
        Ok(())
    } else {
        Err(ForecastError::MissingColumns(missing))
    }
}

/// Sort (mu, residual) by mu and cut into `k` equal-count buckets.
fn bucket_residuals(mut oof: Vec<(f64, f64)>, k: usize) -> Vec<(f64, Vec<f64>)> {
    oof.retain(|(m, r)| m.is_finite() && r.is_finite());
    oof.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let n = oof.len();
    let mut out = Vec::new();
    for b in 0..k {
        let lo = b * n / k;
        let hi = (b + 1) * n / k;
        if hi <= lo {
            continue;
        }
        let bound = if b + 1 == k {
            f64::INFINITY
        } else {
            oof[hi - 1].0
        };
        let mut r: Vec<f64> = oof[lo..hi].iter().map(|x| x.1).collect();
        r.sort_by(f64::total_cmp);
        out.push((bound, r));
    }
    if out.is_empty() {
        out.push((f64::INFINITY, vec![0.0]));
    }
    out
}

/// Whether a country had deaths in every one of its previous 12 months (`sb_share12` = 1):
/// its own recent months then hold no zero, and the model's draws none either.
fn active_every_month(share12: f64) -> bool {
    share12.is_finite() && share12 >= 0.999
}

/// What the training pairs say about exceeding the recent maximum, about falling silent, and
/// about onsets.
#[derive(Debug, Clone, PartialEq)]
pub struct TailStats {
    /// Per class of the worst recent month (0, 1-24, 25+): (pairs, share that exceeded it,
    /// sorted exceedance ratios `(1 + y) / (1 + M)`).
    pub exceed: [(usize, f64, Vec<f64>); 3],
    /// Pairs whose previous 12 months all had deaths: (pairs, share whose outcome was 0).
    /// Even a country at war every month of a year has months without a recorded death later
    /// on; this is how often. (Countries with a silent month in their last 12 already carry
    /// zeros in their own months and the model's.)
    pub zero: (usize, f64),
    /// Sorted outcomes `>= 25` of pairs whose worst recent month was below 25 (onsets); when
    /// fewer than 10 exist, every outcome `>= 25` of pairs whose worst month was below 100.
    pub onset: Vec<f64>,
}

impl TailStats {
    fn learn(y: &[f64], worst: &[f64], share12: &[f64]) -> TailStats {
        let (mut pairs, mut silent) = (0usize, 0usize);
        for (&v, &s) in y.iter().zip(share12) {
            if active_every_month(s) {
                pairs += 1;
                silent += usize::from(v < 0.5);
            }
        }
        let zero = (
            pairs,
            if pairs == 0 {
                0.0
            } else {
                silent as f64 / pairs as f64
            },
        );
        let mut exceed: [(usize, f64, Vec<f64>); 3] = Default::default();
        let mut hits = [0usize; 3];
        for (&v, &m) in y.iter().zip(worst) {
            if !m.is_finite() {
                continue;
            }
            let c = activity_class(m);
            exceed[c].0 += 1;
            if v > m {
                hits[c] += 1;
                exceed[c].2.push((1.0 + v) / (1.0 + m));
            }
        }
        for (c, e) in exceed.iter_mut().enumerate() {
            e.1 = if e.0 == 0 {
                0.0
            } else {
                hits[c] as f64 / e.0 as f64
            };
            e.2.sort_by(f64::total_cmp);
        }
        let pool = |limit: f64| -> Vec<f64> {
            let mut v: Vec<f64> = y
                .iter()
                .zip(worst)
                .filter(|(v, m)| **v >= 25.0 && **m < limit)
                .map(|(v, _)| *v)
                .collect();
            v.sort_by(f64::total_cmp);
            v
        };
        let mut onset = pool(25.0);
        if onset.len() < 10 {
            onset = pool(100.0);
        }
        TailStats {
            exceed,
            zero,
            onset,
        }
    }

    fn tail_for(&self, worst: f64, share12: f64) -> Tail<'_> {
        let e = &self.exceed[activity_class(worst)];
        Tail {
            zero: if active_every_month(share12) {
                self.zero.1
            } else {
                0.0
            },
            exceed: e.1,
            ratios: &e.2,
            onset: &self.onset,
        }
    }
}

/// Per country: (id, last row month t, base features at t, sorted empirical values).
pub(crate) struct Origin {
    pub id: u16,
    pub t: i32,
    pub base: Vec<f64>,
    pub empirical: Vec<f64>,
}

pub(crate) fn origins(panel: &Panel, hist: &Histories, empirical_months: i32) -> Vec<Origin> {
    let mut out = Vec::new();
    for (id, h) in &hist.hists {
        let Some(&t) = h.row_months.last() else {
            continue;
        };
        let Some(base) = hist.base_features(panel, *id, t) else {
            continue;
        };
        let last = h.last_known(t).unwrap_or(t);
        let mut empirical: Vec<f64> = (last - empirical_months + 1..=last)
            .map(|m| h.sb_at(m))
            .filter(|v| v.is_finite())
            .collect();
        empirical.sort_by(f64::total_cmp);
        out.push(Origin {
            id: *id,
            t,
            base,
            empirical,
        });
    }
    out
}

impl FittedGbt {
    /// The parameters it was fitted with.
    pub fn params(&self) -> &GbtParams {
        &self.params
    }

    /// The `as_of` of the panel it was fitted on.
    pub fn as_of(&self) -> MonthId {
        self.as_of
    }

    /// Number of training pairs.
    pub fn n_train(&self) -> usize {
        self.n_train
    }

    /// Use different mixture parameters with the same fitted boosters.
    pub fn with_mixture(mut self, mixture: MixtureParams) -> FittedGbt {
        self.params.mixture = mixture;
        self
    }

    /// The rolling-origin validation that chose the mixture (`None` when it did not run).
    pub fn validation(&self) -> Option<&Validation> {
        self.validation.as_ref()
    }

    /// The learned escalation and onset statistics.
    pub fn tail_stats(&self) -> &TailStats {
        &self.tails
    }

    /// Platt scaling of the threshold classifier.
    pub fn platt(&self) -> tune::Calibration {
        self.platt
    }

    /// The training median of base feature `j` among rows of activity class `class`.
    pub(crate) fn typical(&self, class: usize, j: usize) -> f64 {
        self.typical
            .get(class)
            .and_then(|v| v.get(j))
            .copied()
            .unwrap_or(f64::NAN)
    }

    pub(crate) fn threshold(&self) -> &PerpetualBooster {
        &self.threshold
    }

    fn residual_pool(&self, mu: f64) -> &[f64] {
        self.residuals
            .iter()
            .find(|(b, _)| mu <= *b)
            .or(self.residuals.last())
            .map(|(_, r)| r.as_slice())
            .unwrap_or(&[])
    }

    /// P(y > 0), E[ln(1 + y) | y > 0] and calibrated P(y >= 25) of every country (rows of
    /// `origins`) and month.
    pub(crate) fn point_predictions(
        &self,
        origins: &[Origin],
        months: &RangeInclusive<i32>,
    ) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let mut rows = Vec::new();
        let mut classes = Vec::new();
        for o in origins {
            let class = base_class(&o.base);
            for m in months.clone() {
                let mut r = o.base.clone();
                r.push(f64::from(m - o.t));
                rows.push(r);
                classes.push(class);
            }
        }
        let p: Vec<f64> = predict_raw(&self.classifier, &rows)
            .into_iter()
            .map(sigmoid)
            .collect();
        let mu = predict_raw(&self.regressor, &rows);
        let p25 = predict_raw(&self.threshold, &rows)
            .into_iter()
            .zip(&classes)
            .map(|(l, &c)| self.platt.apply(l, c))
            .collect();
        (p, mu, p25)
    }

    /// Novelty of every country's present inputs (see [`crate::novelty`]).
    pub fn novelty(&self, panel: &Panel) -> Vec<Novelty> {
        let hist = Histories::build(panel);
        origins(panel, &hist, self.params.empirical_months)
            .iter()
            .map(|o| self.novelty.score(o.id, &o.base))
            .collect()
    }
}

impl Predict for FittedGbt {
    fn predict(
        &self,
        panel: &Panel,
        months: RangeInclusive<MonthId>,
        n_draws: usize,
        seed: u64,
    ) -> Result<Vec<ForecastRow>, ForecastError> {
        check_request(panel, &months, n_draws)?;
        check_columns(panel)?;
        // Index arithmetic on raw month numbers from here on.
        let months = months.start().0..=months.end().0;
        let hist = Histories::build(panel);
        let origins = origins(panel, &hist, self.params.empirical_months);
        let (p, mu, p25) = self.point_predictions(&origins, &months);
        let n_m = months.clone().count();
        let mut out = Vec::with_capacity(origins.len() * n_m);
        for (ci, o) in origins.iter().enumerate() {
            let mm: Vec<MonthModel<'_>> = (0..n_m)
                .map(|k| {
                    let i = ci * n_m + k;
                    MonthModel {
                        p: p[i],
                        mu: mu[i],
                        p25: p25[i],
                        residuals: self.residual_pool(mu[i]),
                    }
                })
                .collect();
            let mut rng = dist::rng_for(seed, u64::from(o.id));
            let worst = o.empirical.last().copied().unwrap_or(0.0);
            let tail = self.tails.tail_for(worst, o.base[features::SHARE12_INDEX]);
            let draws = dist::sample_country(
                &mm,
                &o.empirical,
                &tail,
                &self.params.mixture,
                n_draws,
                &mut rng,
            );
            for (m, d) in months.clone().zip(draws) {
                out.push(ForecastRow {
                    views_id: o.id,
                    iso3: panel.iso3(o.id).to_string(),
                    month_id: MonthId(m),
                    draws: d,
                });
            }
        }
        Ok(out)
    }
}

/// The model as a [`Forecaster`]: fit on the panel, then predict.
#[derive(Debug, Clone, Default)]
pub struct GbtForecaster {
    /// The unfitted model.
    pub model: GbtModel,
}

impl GbtForecaster {
    /// With the given parameters.
    pub fn new(params: GbtParams) -> GbtForecaster {
        GbtForecaster {
            model: GbtModel::new(params),
        }
    }
}

impl Forecaster for GbtForecaster {
    fn name(&self) -> &str {
        "gbt_hurdle_mixture"
    }

    fn forecast(
        &self,
        panel: &Panel,
        months: RangeInclusive<MonthId>,
        n_draws: usize,
        seed: u64,
    ) -> Result<Vec<ForecastRow>, ForecastError> {
        check_request(panel, &months, n_draws)?;
        self.model.fit(panel)?.predict(panel, months, n_draws, seed)
    }
}

//! Scores for the binary threshold event (the challenge's `ged_sb >= 25`): the event probability
//! implied by the draws, the Brier score, and average precision over many forecasts.

use crate::SortedDraws;

/// Share of `draws` that are `>= threshold`: the forecast probability of the event
/// "`ged_sb >= threshold`". One linear pass; NaN for empty draws or non-finite input.
///
/// ```
/// use attache_scoring::prob_at_least;
/// assert_eq!(prob_at_least(&[0.0, 10.0, 25.0, 300.0], 25.0), 0.5);
/// ```
pub fn prob_at_least(draws: &[f64], threshold: f64) -> f64 {
    if draws.is_empty() || threshold.is_nan() || draws.iter().any(|d| !d.is_finite()) {
        return f64::NAN;
    }
    let hits = draws.iter().filter(|&&d| d >= threshold).count();
    hits as f64 / draws.len() as f64
}

/// Brier score `(p - 1{event})^2` of one probability forecast.
///
/// ```
/// use attache_scoring::brier;
/// assert!((brier(0.7, true) - 0.09).abs() < 1e-15);
/// ```
pub fn brier(p: f64, event: bool) -> f64 {
    let outcome = if event { 1.0 } else { 0.0 };
    (p - outcome) * (p - outcome)
}

/// Average precision of `scores` for the positives in `labels`, as
/// `sklearn.metrics.average_precision_score`: `AP = sum_k (R_k - R_{k-1}) P_k` over the
/// *distinct* score thresholds in decreasing order (tied scores enter together), with recall
/// `R` and precision `P` at each threshold and `R_0 = 0`; step-wise, no interpolation.
///
/// With no positive label sklearn warns and returns 0; so does this. Returns NaN for empty or
/// unequal-length inputs or a NaN score.
///
/// ```
/// use attache_scoring::average_precision;
/// // sklearn's documentation example.
/// let ap = average_precision(&[0.1, 0.4, 0.35, 0.8], &[false, false, true, true]);
/// assert!((ap - 0.8333333333333333).abs() < 1e-15);
/// ```
pub fn average_precision(scores: &[f64], labels: &[bool]) -> f64 {
    if scores.is_empty() || scores.len() != labels.len() || scores.iter().any(|s| s.is_nan()) {
        return f64::NAN;
    }
    let positives = labels.iter().filter(|&&l| l).count();
    if positives == 0 {
        return 0.0;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_unstable_by(|&a, &b| scores[b].total_cmp(&scores[a]));

    let (mut tp, mut fp) = (0usize, 0usize);
    let mut previous_recall = 0.0;
    let mut ap = 0.0;
    let mut i = 0;
    while i < order.len() {
        let threshold = scores[order[i]];
        // Take every item tied with this threshold (== also joins -0.0 and 0.0).
        while i < order.len() && scores[order[i]] == threshold {
            if labels[order[i]] {
                tp += 1;
            } else {
                fp += 1;
            }
            i += 1;
        }
        let recall = tp as f64 / positives as f64;
        let precision = tp as f64 / (tp + fp) as f64;
        ap += (recall - previous_recall) * precision;
        previous_recall = recall;
        if tp == positives {
            // sklearn stops at full recall; later thresholds add no recall.
            break;
        }
    }
    ap
}

impl SortedDraws {
    /// Brier score of the event "draw `>= threshold`" against the observed value.
    pub fn brier_at_least(&self, observed: f64, threshold: f64) -> f64 {
        brier(self.prob_at_least(threshold), observed >= threshold)
    }
}

/// Area under the ROC curve of `scores` for the positives in `labels`, as
/// `sklearn.metrics.roc_auc_score`: the Mann–Whitney statistic with tied scores counted as one
/// half (mid-ranks), i.e. the probability that a random positive scores above a random negative.
///
/// NaN for empty or unequal-length inputs, a NaN score, or labels that are all one class
/// (sklearn raises there).
///
/// ```
/// use attache_scoring::roc_auc;
/// // sklearn's documentation example: roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.75.
/// assert_eq!(roc_auc(&[0.1, 0.4, 0.35, 0.8], &[false, false, true, true]), 0.75);
/// ```
pub fn roc_auc(scores: &[f64], labels: &[bool]) -> f64 {
    if scores.is_empty() || scores.len() != labels.len() || scores.iter().any(|s| s.is_nan()) {
        return f64::NAN;
    }
    let positives = labels.iter().filter(|&&l| l).count();
    let negatives = labels.len() - positives;
    if positives == 0 || negatives == 0 {
        return f64::NAN;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_unstable_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    // Sum of the positives' mid-ranks (1-based).
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j < order.len() && scores[order[j]] == scores[order[i]] {
            j += 1;
        }
        let mid = (i + 1 + j) as f64 / 2.0;
        rank_sum += mid * order[i..j].iter().filter(|&&k| labels[k]).count() as f64;
        i = j;
    }
    let p = positives as f64;
    (rank_sum - p * (p + 1.0) / 2.0) / (p * negatives as f64)
}

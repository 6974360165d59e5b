//! Novelty: how unlike the training data a country's present situation is.
//!
//! Inputs (the engineered features without the horizon) are standardised with the training
//! means and standard deviations (missing → the mean). A situation's score is the mean
//! Euclidean distance to its [`K`] nearest training rows **of other countries** (a country's
//! own past would always look familiar). The same leave-country-out score is computed for a
//! reference sample of training rows; a country's percentile is its score's rank among those,
//! and scores above the reference 99th percentile are flagged with [`NOVELTY_LABEL`].

/// Neighbours averaged in the score.
pub const K: usize = 5;

/// Label of a flagged forecast.
pub const NOVELTY_LABEL: &str = "reference only: situation without precedent in the data";

/// Most training rows kept as neighbour candidates (deterministic stride sample).
const MAX_POOL: usize = 3000;
/// Most training rows whose own score forms the reference distribution.
const MAX_REF: usize = 500;

/// Novelty of one country's present inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Novelty {
    /// ViEWS country id.
    pub views_id: u16,
    /// Mean distance to the K nearest training rows of other countries (standardised units).
    pub score: f64,
    /// Percentile (0–100) of `score` among training rows' own scores.
    pub percentile: f64,
    /// Above the 99th percentile.
    pub flagged: bool,
    /// [`NOVELTY_LABEL`] when flagged.
    pub label: Option<&'static str>,
}

/// The fitted reference.
#[derive(Debug, Clone)]
pub(crate) struct NoveltyRef {
    mean: Vec<f64>,
    sd: Vec<f64>,
    pool: Vec<(u16, Vec<f64>)>,
    /// Sorted reference scores.
    reference: Vec<f64>,
}

fn stride_sample<T: Clone>(v: &[T], max: usize) -> Vec<T> {
    if v.len() <= max {
        return v.to_vec();
    }
    (0..max).map(|i| v[i * v.len() / max].clone()).collect()
}

impl NoveltyRef {
    pub fn build(rows: &[(u16, Vec<f64>)]) -> NoveltyRef {
        let d = rows.first().map(|r| r.1.len()).unwrap_or(0);
        let mut mean = vec![0.0; d];
        let mut sd = vec![1.0; d];
        for j in 0..d {
            let vals: Vec<f64> = rows
                .iter()
                .map(|r| r.1[j])
                .filter(|v| v.is_finite())
                .collect();
            if vals.is_empty() {
                continue;
            }
            let m = vals.iter().sum::<f64>() / vals.len() as f64;
            let var = vals.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / vals.len() as f64;
            mean[j] = m;
            sd[j] = if var > 1e-12 { libm::sqrt(var) } else { 1.0 };
        }
        let mut r = NoveltyRef {
            mean,
            sd,
            pool: Vec::new(),
            reference: Vec::new(),
        };
        let std_rows: Vec<(u16, Vec<f64>)> =
            rows.iter().map(|(id, x)| (*id, r.standardise(x))).collect();
        r.pool = stride_sample(&std_rows, MAX_POOL);
        let refs = stride_sample(&std_rows, MAX_REF);
        let mut reference: Vec<f64> = refs.iter().map(|(id, x)| r.knn(*id, x)).collect();
        reference.retain(|v| v.is_finite());
        reference.sort_by(f64::total_cmp);
        r.reference = reference;
        r
    }

    fn standardise(&self, x: &[f64]) -> Vec<f64> {
        x.iter()
            .enumerate()
            .map(|(j, v)| {
                if v.is_finite() {
                    (v - self.mean[j]) / self.sd[j]
                } else {
                    0.0
                }
            })
            .collect()
    }

    fn knn(&self, id: u16, z: &[f64]) -> f64 {
        let mut best = [f64::INFINITY; K];
        for (pid, p) in &self.pool {
            if *pid == id {
                continue;
            }
            let mut d2 = 0.0;
            for (a, b) in z.iter().zip(p) {
                d2 += (a - b) * (a - b);
                if d2 >= best[K - 1] {
                    break;
                }
            }
            if d2 < best[K - 1] {
                let mut i = K - 1;
                while i > 0 && best[i - 1] > d2 {
                    best[i] = best[i - 1];
                    i -= 1;
                }
                best[i] = d2;
            }
        }
        let found: Vec<f64> = best
            .iter()
            .filter(|v| v.is_finite())
            .map(|v| libm::sqrt(*v))
            .collect();
        if found.is_empty() {
            return f64::NAN;
        }
        found.iter().sum::<f64>() / found.len() as f64
    }

    pub fn score(&self, id: u16, x: &[f64]) -> Novelty {
        let score = self.knn(id, &self.standardise(x));
        let n = self.reference.len();
        let below = self.reference.partition_point(|v| *v < score);
        let percentile = if n == 0 {
            f64::NAN
        } else {
            100.0 * below as f64 / n as f64
        };
        let p99 = if n == 0 {
            f64::INFINITY
        } else {
            self.reference[((n as f64 * 0.99) as usize).min(n - 1)]
        };
        let flagged = score.is_finite() && score > p99;
        Novelty {
            views_id: id,
            score,
            percentile,
            flagged,
            label: flagged.then_some(NOVELTY_LABEL),
        }
    }
}

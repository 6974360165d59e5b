//! Goal scores, the index, the coverage rule and ranks.

use std::collections::BTreeMap;

use crate::IndexError;
use crate::error::check_range;

/// The number of goals.
pub const GOALS: usize = 17;

/// One country's 17 goal scores (0-100), `None` where a goal has no score. Index `0` is
/// goal 1.
pub type Goals = [Option<f64>; GOALS];

/// The mean of the values present; `None` if none is.
pub fn mean_of_present(values: &[Option<f64>]) -> Option<f64> {
    let (sum, n) = values
        .iter()
        .flatten()
        .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// A goal's score: the arithmetic mean of its indicators' 0-100 scores, missing ones left
/// out (the SDR's rule). Fails on a score outside 0-100.
pub fn goal_score(indicators: &[Option<f64>]) -> Result<Option<f64>, IndexError> {
    for v in indicators.iter().flatten() {
        check_range("indicator score", *v, 0.0, 100.0)?;
    }
    Ok(mean_of_present(indicators))
}

/// The index of a country with all 17 goal scores: their mean. `None` if any is missing.
pub fn index_of_complete(goals: &Goals) -> Option<f64> {
    if goals.iter().all(Option::is_some) {
        mean_of_present(goals)
    } else {
        None
    }
}

/// The SDR's coverage rule: a country is ranked only if it has data for at least 80% of the
/// indicators (more than 20% missing means not ranked).
pub fn is_ranked(available: usize, total: usize) -> bool {
    total > 0 && available <= total && (total - available) * 5 <= total
}

/// The 2000-2022 series writes a missing goal as `0`: this reads a `0` as missing. Use it only
/// on that series (a true score of 0 would be lost; the SDR's bounds make one rare, and in that
/// series the index agrees with the mean of the non-zero goals, see [`crate::sdg`]).
pub fn zeros_as_missing(goals: &Goals) -> Goals {
    goals.map(|g| g.filter(|v| *v != 0.0))
}

/// Each region's mean score per goal over its countries with that goal: the SDR's fill-in
/// for a missing goal. `rows` are (region, goals).
pub fn regional_means<'a>(
    rows: impl IntoIterator<Item = (&'a str, &'a Goals)>,
) -> BTreeMap<String, Goals> {
    let mut acc: BTreeMap<String, [(f64, usize); GOALS]> = BTreeMap::new();
    for (region, goals) in rows {
        let a = acc.entry(region.to_string()).or_insert([(0.0, 0); GOALS]);
        for (slot, g) in a.iter_mut().zip(goals) {
            if let Some(v) = g {
                slot.0 += v;
                slot.1 += 1;
            }
        }
    }
    acc.into_iter()
        .map(|(r, a)| (r, a.map(|(s, n)| (n > 0).then(|| s / n as f64))))
        .collect()
}

/// An index computed with regional fill-ins.
#[derive(Debug, Clone, PartialEq)]
pub struct Imputed {
    /// The mean of the 17 goals after filling.
    pub index: f64,
    /// The goals, filled.
    pub goals: [f64; GOALS],
    /// Which goals (1-based) were filled from the regional mean.
    pub imputed: Vec<usize>,
}

/// The index with each missing goal filled by its regional mean (see [`regional_means`]).
/// Fails if a goal is missing for the country and for its whole region, or a score is
/// outside 0-100.
pub fn impute_regional(goals: &Goals, regional: &Goals) -> Result<Imputed, IndexError> {
    let mut filled = [0.0; GOALS];
    let mut imputed = Vec::new();
    for (i, (g, r)) in goals.iter().zip(regional).enumerate() {
        filled[i] = match (g, r) {
            (Some(v), _) => check_range(&format!("goal {}", i + 1), *v, 0.0, 100.0)?,
            (None, Some(v)) => {
                imputed.push(i + 1);
                *v
            }
            (None, None) => {
                return Err(IndexError::Missing(format!(
                    "goal {} (no country of the region has it)",
                    i + 1
                )));
            }
        };
    }
    Ok(Imputed {
        index: filled.iter().sum::<f64>() / GOALS as f64,
        goals: filled,
        imputed,
    })
}

/// Ranks by score, 1 = highest; equal scores share a rank and the next rank skips
/// (1, 2, 2, 4). `None` scores (not ranked) get no rank. The result is in input order.
pub fn rank(scores: &[Option<f64>]) -> Vec<Option<usize>> {
    scores
        .iter()
        .map(|s| {
            s.map(|v| {
                1 + scores
                    .iter()
                    .flatten()
                    .filter(|o| o.total_cmp(&v).is_gt())
                    .count()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn goals(v: f64) -> Goals {
        [Some(v); GOALS]
    }

    #[test]
    fn complete_mean_and_coverage() {
        assert_eq!(index_of_complete(&goals(50.0)), Some(50.0));
        let mut g = goals(50.0);
        g[13] = None;
        assert_eq!(index_of_complete(&g), None);
        assert!(is_ranked(80, 100));
        assert!(!is_ranked(79, 100));
        assert!(!is_ranked(0, 0));
        assert_eq!(
            goal_score(&[Some(40.0), None, Some(60.0)]).unwrap(),
            Some(50.0)
        );
        assert!(goal_score(&[Some(101.0)]).is_err());
    }

    #[test]
    fn regional_fill_in() {
        let mut a = goals(60.0);
        a[13] = None;
        let b = goals(40.0);
        let mut c = goals(80.0);
        c[13] = Some(20.0);
        let means = regional_means([("X", &a), ("X", &b), ("X", &c)]);
        let x = &means["X"];
        assert_eq!(x[13], Some(30.0));
        assert_eq!(x[0], Some(60.0));
        let out = impute_regional(&a, x).unwrap();
        assert_eq!(out.imputed, vec![14]);
        assert!((out.index - (16.0 * 60.0 + 30.0) / 17.0).abs() < 1e-12);
        let none = [None; GOALS];
        assert!(impute_regional(&none, &none).is_err());
    }

    #[test]
    fn zeros_and_ranks() {
        let mut g = goals(10.0);
        g[13] = Some(0.0);
        assert_eq!(zeros_as_missing(&g)[13], None);
        assert_eq!(
            rank(&[Some(3.0), None, Some(5.0), Some(3.0), Some(1.0)]),
            vec![Some(2), None, Some(1), Some(2), Some(4)]
        );
    }
}

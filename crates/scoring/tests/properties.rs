//! Property tests of the metrics' invariants over random forecasts.

use attache_scoring::{
    SortedDraws, VIEWS_IGN_EDGES, average_precision, crps_ensemble, ignorance, interval_score,
    pit_value, prob_at_least, quantile, roc_auc,
};
use proptest::prelude::*;

/// Fatality-like draws: mostly small counts, some large, some non-integer.
fn draw() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => Just(0.0),
        3 => (0u32..30).prop_map(f64::from),
        2 => (0u32..5000).prop_map(f64::from),
        2 => 0.0..2000.0f64,
    ]
}

fn draws() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(draw(), 1..200)
}

/// Naive O(n^2) CRPS: E|X - y| - 1/(2 n^2) sum_{i,j} |x_i - x_j|.
fn crps_naive(x: &[f64], y: f64) -> f64 {
    let n = x.len() as f64;
    let first: f64 = x.iter().map(|v| (v - y).abs()).sum::<f64>() / n;
    let pairs: f64 = x
        .iter()
        .flat_map(|a| x.iter().map(move |b| (a - b).abs()))
        .sum();
    first - pairs / (2.0 * n * n)
}

proptest! {
    #[test]
    fn crps_is_non_negative(x in draws(), y in draw()) {
        prop_assert!(crps_ensemble(&x, y) >= 0.0);
    }

    #[test]
    fn crps_of_point_mass_at_y_is_zero(y in draw(), n in 1usize..100) {
        prop_assert_eq!(crps_ensemble(&vec![y; n], y), 0.0);
    }

    #[test]
    fn crps_is_invariant_to_draw_order(
        (x, shuffled) in draws().prop_flat_map(|x| (Just(x.clone()), Just(x).prop_shuffle())),
        y in draw(),
    ) {
        prop_assert_eq!(crps_ensemble(&x, y), crps_ensemble(&shuffled, y));
    }

    #[test]
    fn crps_matches_the_pairwise_definition(x in draws(), y in draw()) {
        let want = crps_naive(&x, y);
        let got = crps_ensemble(&x, y);
        let scale = x.iter().fold(y.abs(), |m, v| m.max(v.abs())).max(1.0);
        prop_assert!((got - want).abs() <= 1e-9 * scale, "{} vs {}", got, want);
    }

    #[test]
    fn ign_is_between_zero_and_log2_n_plus_bins(x in draws(), y in draw()) {
        let ign = ignorance(&x, y, &VIEWS_IGN_EDGES);
        prop_assert!(ign >= 0.0);
        prop_assert!(ign <= ((x.len() + VIEWS_IGN_EDGES.len()) as f64).log2() + 1e-12);
    }

    #[test]
    fn interval_score_is_at_least_the_width(x in draws(), y in draw(), alpha in 0.01..0.99f64) {
        let width = quantile(&x, 1.0 - alpha / 2.0) - quantile(&x, alpha / 2.0);
        prop_assert!(width >= 0.0);
        prop_assert!(interval_score(&x, y, alpha) >= width);
    }

    #[test]
    fn quantile_is_monotone_and_within_range(x in draws(), q1 in 0.0..=1.0f64, q2 in 0.0..=1.0f64) {
        let (lo, hi) = if q1 <= q2 { (q1, q2) } else { (q2, q1) };
        let sorted = SortedDraws::new(&x).expect("generated draws are valid");
        let (min, max) = (sorted.as_slice()[0], sorted.as_slice()[x.len() - 1]);
        prop_assert!(sorted.quantile(lo) <= sorted.quantile(hi));
        prop_assert!(min <= sorted.quantile(lo) && sorted.quantile(hi) <= max);
    }

    #[test]
    fn pit_is_in_unit_interval(x in draws(), y in draw(), u in 0.0..=1.0f64) {
        let pit = pit_value(&x, y, u);
        prop_assert!((0.0..=1.0).contains(&pit), "pit = {}", pit);
    }

    #[test]
    fn average_precision_is_in_unit_interval(
        pairs in prop::collection::vec((0.0..=1.0f64, any::<bool>()), 1..300),
    ) {
        let (scores, labels): (Vec<f64>, Vec<bool>) = pairs.into_iter().unzip();
        let ap = average_precision(&scores, &labels);
        prop_assert!((0.0..=1.0).contains(&ap), "ap = {}", ap);
    }

    #[test]
    fn sorted_and_linear_paths_agree(x in draws(), y in draw(), u in 0.0..=1.0f64) {
        let sorted = SortedDraws::new(&x).expect("generated draws are valid");
        prop_assert_eq!(sorted.ignorance(y, &VIEWS_IGN_EDGES), ignorance(&x, y, &VIEWS_IGN_EDGES));
        prop_assert_eq!(sorted.prob_at_least(25.0), prob_at_least(&x, 25.0));
        prop_assert_eq!(sorted.pit(y, u), pit_value(&x, y, u));
    }
}

/// Naive O(n^2) AUC: share of (positive, negative) pairs ordered right, ties one half.
fn auc_naive(s: &[f64], l: &[bool]) -> f64 {
    let (mut num, mut den) = (0.0, 0.0);
    for (i, &li) in l.iter().enumerate() {
        for (j, &lj) in l.iter().enumerate() {
            if li && !lj {
                den += 1.0;
                num += if s[i] > s[j] {
                    1.0
                } else if s[i] == s[j] {
                    0.5
                } else {
                    0.0
                };
            }
        }
    }
    num / den
}

proptest! {
    #[test]
    fn auc_matches_pair_counting(pairs in prop::collection::vec(((0u32..20).prop_map(|v| f64::from(v) / 20.0), any::<bool>()), 2..80)) {
        let (s, l): (Vec<f64>, Vec<bool>) = pairs.into_iter().unzip();
        let got = roc_auc(&s, &l);
        if l.iter().all(|&x| x) || l.iter().all(|&x| !x) {
            prop_assert!(got.is_nan());
        } else {
            let want = auc_naive(&s, &l);
            prop_assert!((got - want).abs() < 1e-12, "{got} vs {want}");
            prop_assert!((0.0..=1.0).contains(&got));
        }
    }
}

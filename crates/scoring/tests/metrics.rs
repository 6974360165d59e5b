//! Hand-computed cases for every metric, each through one `check_*` helper that also runs the
//! sorted ([`SortedDraws`]) path, so the linear and the binary-search implementations are held
//! to the same numbers.

use attache_scoring::{
    SortedDraws, VIEWS_IGN_BIN_LABELS, VIEWS_IGN_EDGES, average_precision, brier, crps_ensemble,
    ign_bin, ignorance, interval_score, pit_histogram, pit_value, prob_at_least, quantile,
    reliability_table,
};

fn close(got: f64, want: f64) -> bool {
    (got - want).abs() <= 1e-12 * want.abs().max(1.0)
}

fn sorted(draws: &[f64]) -> SortedDraws {
    SortedDraws::new(draws).expect("test draws are valid")
}

fn check_crps(draws: &[f64], y: f64, want: f64) {
    let got = crps_ensemble(draws, y);
    assert!(
        close(got, want),
        "crps({draws:?}, {y}) = {got}, want {want}"
    );
    let got_sorted = sorted(draws).crps(y);
    assert!(
        close(got_sorted, want),
        "sorted crps({draws:?}, {y}) = {got_sorted}, want {want}"
    );
}

#[test]
fn crps_hand_cases() {
    // All-zero forecast: F = 1 on [0, y), so the integral of (F - H)^2 is y.
    check_crps(&[0.0; 5], 7.0, 7.0);
    check_crps(&[0.0; 1000], 0.0, 0.0);
    // One draw: E|X - y| = |x - y| and the pair term is 0.
    check_crps(&[3.0], 10.0, 7.0);
    check_crps(&[3.0], -1.5, 4.5);
    // Point mass at y.
    check_crps(&[4.0, 4.0, 4.0], 4.0, 0.0);
    // [1,2,3,4], y = 2.5: E|X-y| = (1.5+0.5+0.5+1.5)/4 = 1; sum_{i,j}|xi-xj| = 2*(1+2+3+1+2+1)
    // = 20, /(2*16) = 0.625; CRPS = 0.375.
    check_crps(&[1.0, 2.0, 3.0, 4.0], 2.5, 0.375);
    // [0,0,10], y = 0: E|X-y| = 10/3; pairs: |0-10| four times = 40, /(2*9) = 20/9;
    // CRPS = 30/9 - 20/9 = 10/9.
    check_crps(&[0.0, 10.0, 0.0], 0.0, 10.0 / 9.0);
    // y below all draws: [2,4], y = 0: E|X-y| = 3; pairs 2*2 = 4, /(2*4) = 0.5; CRPS = 2.5.
    check_crps(&[4.0, 2.0], 0.0, 2.5);
    // Negative draws: [-1,1], y = 0: E|X-y| = 1; pairs 4/8 = 0.5; CRPS = 0.5.
    check_crps(&[-1.0, 1.0], 0.0, 0.5);
    // y exactly on a draw: [0,1,2], y = 1: E|X-y| = 2/3; pairs 2*(1+2+1) = 8, /18 = 4/9;
    // CRPS = 6/9 - 4/9 = 2/9.
    check_crps(&[2.0, 1.0, 0.0], 1.0, 2.0 / 9.0);
}

#[test]
fn crps_rejects_bad_input() {
    assert!(crps_ensemble(&[], 1.0).is_nan());
    assert!(crps_ensemble(&[1.0, f64::NAN], 1.0).is_nan());
    assert!(crps_ensemble(&[1.0], f64::INFINITY).is_nan());
}

fn check_ign(draws: &[f64], y: f64, want: f64) {
    let got = ignorance(draws, y, &VIEWS_IGN_EDGES);
    assert!(close(got, want), "ign({draws:?}, {y}) = {got}, want {want}");
    let got_sorted = sorted(draws).ignorance(y, &VIEWS_IGN_EDGES);
    assert!(
        close(got_sorted, want),
        "sorted ign({draws:?}, {y}) = {got_sorted}, want {want}"
    );
}

#[test]
fn ign_bin_edges() {
    // (value, expected bin): integer counts at and around every class boundary, then the
    // half-integer edges themselves (lower-inclusive, as np.digitize), then out-of-range values.
    let cases: [(f64, usize); 31] = [
        (0.0, 0),
        (1.0, 1),
        (2.0, 1),
        (3.0, 2),
        (5.0, 2),
        (6.0, 3),
        (10.0, 3),
        (11.0, 4),
        (25.0, 4),
        (26.0, 5),
        (50.0, 5),
        (51.0, 6),
        (100.0, 6),
        (101.0, 7),
        (250.0, 7),
        (251.0, 8),
        (500.0, 8),
        (501.0, 9),
        (1000.0, 9),
        (1001.0, 10),
        (0.3, 0),
        (0.5, 1),
        (2.4, 1),
        (2.5, 2),
        (5.5, 3),
        (25.5, 5),
        (1000.4, 9),
        (1000.5, 10),
        (1e9, 10),
        (-3.0, 0),
        (-0.0, 0),
    ];
    for (v, want) in cases {
        assert_eq!(ign_bin(v, &VIEWS_IGN_EDGES), Some(want), "bin of {v}");
    }
    assert_eq!(VIEWS_IGN_BIN_LABELS[1], "1-2");
    assert_eq!(VIEWS_IGN_BIN_LABELS[10], ">1000");
    assert_eq!(ign_bin(f64::NAN, &VIEWS_IGN_EDGES), None);
    assert_eq!(ign_bin(1.0, &[1.0, 1.0]), None);
    assert_eq!(ign_bin(1.0, &[]), None);
}

#[test]
fn ign_hand_cases() {
    // 10 zero draws, y = 0: p = (10 + 1) / (10 + 11).
    check_ign(&[0.0; 10], 0.0, -(11.0f64 / 21.0).log2());
    // Same draws, y = 3 (bin "3-5", empty): p = 1/21.
    check_ign(&[0.0; 10], 3.0, 21.0f64.log2());
    // One draw per boundary value: bins 0:{0} 1:{1,2} 2:{3,5} 3:{6,10} 4:{11,25} 5:{26}
    // 9:{1000} 10:{1001}; n = 12, so p = (count + 1) / 23.
    let draws = [
        0.0, 1.0, 2.0, 3.0, 5.0, 6.0, 10.0, 11.0, 25.0, 26.0, 1000.0, 1001.0,
    ];
    check_ign(&draws, 2.0, -(3.0f64 / 23.0).log2());
    check_ign(&draws, 0.0, -(2.0f64 / 23.0).log2());
    check_ign(&draws, 250.0, 23.0f64.log2());
    check_ign(&draws, 1000.0, -(2.0f64 / 23.0).log2());
    check_ign(&draws, 5000.0, -(2.0f64 / 23.0).log2());
    // Negative draws count in bin 0: 2 of 4 draws, p = 3/15.
    check_ign(&[-1.0, 0.0, 7.0, 7.0], 0.0, -(3.0f64 / 15.0).log2());
}

#[test]
fn ign_rejects_bad_input() {
    assert!(ignorance(&[], 0.0, &VIEWS_IGN_EDGES).is_nan());
    assert!(ignorance(&[f64::NAN], 0.0, &VIEWS_IGN_EDGES).is_nan());
    assert!(ignorance(&[1.0], 0.0, &[2.0, 1.0]).is_nan());
}

fn check_mis(draws: &[f64], y: f64, alpha: f64, want: f64) {
    let got = interval_score(draws, y, alpha);
    assert!(
        close(got, want),
        "mis({y}, alpha {alpha}) = {got}, want {want}"
    );
    let got_sorted = sorted(draws).interval_score(y, alpha);
    assert!(
        close(got_sorted, want),
        "sorted mis({y}, alpha {alpha}) = {got_sorted}, want {want}"
    );
}

#[test]
fn interval_score_hand_cases() {
    // Draws 0..=100: h = 100 * 0.05 = 5 and 100 * 0.95 = 95, so [l, u] = [5, 95], width 90.
    let draws: Vec<f64> = (0..=100).map(f64::from).collect();
    check_mis(&draws, 50.0, 0.1, 90.0); // inside: the width
    check_mis(&draws, 5.0, 0.1, 90.0); // on the lower limit: still inside
    check_mis(&draws, 0.0, 0.1, 190.0); // below: 90 + (2/0.1) * (5 - 0)
    check_mis(&draws, 100.0, 0.1, 190.0); // above: 90 + 20 * (100 - 95)
    // Interpolated limits: [0, 10] at alpha 0.5: h = 0.25 -> 2.5, h = 0.75 -> 7.5; y = 0 is
    // below: 5 + (2/0.5) * 2.5 = 15.
    check_mis(&[10.0, 0.0], 0.0, 0.5, 15.0);
    // Point forecast: width 0, y above by 3: 20 * 3.
    check_mis(&[4.0; 7], 7.0, 0.1, 60.0);
}

#[test]
fn quantile_hand_cases() {
    // numpy 'linear': h = (n - 1) q.
    assert_eq!(quantile(&[0.0, 10.0], 0.25), 2.5);
    assert_eq!(quantile(&[3.0, 1.0, 2.0], 0.5), 2.0);
    assert_eq!(quantile(&[3.0, 1.0, 2.0], 0.0), 1.0);
    assert_eq!(quantile(&[3.0, 1.0, 2.0], 1.0), 3.0);
    assert!(quantile(&[1.0], 1.5).is_nan());
    assert!(interval_score(&[1.0], 1.0, 0.0).is_nan());
    assert!(interval_score(&[1.0], 1.0, 1.0).is_nan());
}

fn check_brier(p: f64, event: bool, want: f64) {
    let got = brier(p, event);
    assert!(close(got, want), "brier({p}, {event}) = {got}, want {want}");
}

#[test]
fn brier_hand_cases() {
    check_brier(0.7, true, 0.09); // (0.7 - 1)^2
    check_brier(0.7, false, 0.49); // 0.7^2
    check_brier(0.0, false, 0.0);
    check_brier(1.0, false, 1.0);
    // The challenge event from draws: 1 of 4 draws >= 25, event happened: (0.25 - 1)^2.
    check_brier(prob_at_least(&[0.0, 3.0, 24.0, 25.0], 25.0), true, 0.5625);
}

fn check_prob_at_least(draws: &[f64], threshold: f64, want: f64) {
    let got = prob_at_least(draws, threshold);
    assert!(
        close(got, want),
        "prob_at_least({draws:?}, {threshold}) = {got}, want {want}"
    );
    assert!(close(sorted(draws).prob_at_least(threshold), want));
}

#[test]
fn prob_at_least_hand_cases() {
    // 25, 26 and 1000 of six draws are >= 25.
    check_prob_at_least(&[0.0, 10.0, 24.0, 25.0, 26.0, 1000.0], 25.0, 0.5);
    check_prob_at_least(&[24.999], 25.0, 0.0);
    check_prob_at_least(&[25.0], 25.0, 1.0);
    assert!(prob_at_least(&[], 25.0).is_nan());
}

fn check_ap(scores: &[f64], labels: &[bool], want: f64) {
    let got = average_precision(scores, labels);
    assert!(
        close(got, want),
        "ap({scores:?}, {labels:?}) = {got}, want {want}"
    );
}

#[test]
fn average_precision_hand_cases() {
    // sklearn docs example: thresholds 0.8 (P 1, R .5), 0.4 (P .5, R .5), 0.35 (P 2/3, R 1):
    // AP = .5 * 1 + 0 + .5 * 2/3 = 5/6.
    check_ap(
        &[0.1, 0.4, 0.35, 0.8],
        &[false, false, true, true],
        5.0 / 6.0,
    );
    // All tied: one threshold, P = 0.5, R = 1.
    check_ap(&[0.5; 4], &[true, false, true, false], 0.5);
    // Tie in the middle: 0.9 (P 1, R .5), then 0.8 takes both tied items (P 2/3, R 1).
    check_ap(
        &[0.9, 0.8, 0.8, 0.1],
        &[true, false, true, false],
        5.0 / 6.0,
    );
    // Perfect ranking.
    check_ap(&[0.9, 0.1], &[true, false], 1.0);
    // No positives: sklearn warns and returns 0.
    check_ap(&[0.1, 0.4], &[false, false], 0.0);
    assert!(average_precision(&[0.1], &[true, false]).is_nan());
    assert!(average_precision(&[], &[]).is_nan());
    assert!(average_precision(&[f64::NAN], &[true]).is_nan());
}

fn check_pit(draws: &[f64], y: f64, u: f64, want: f64) {
    let got = pit_value(draws, y, u);
    assert!(
        close(got, want),
        "pit({draws:?}, {y}, {u}) = {got}, want {want}"
    );
    assert!(close(sorted(draws).pit(y, u), want));
}

#[test]
fn pit_hand_cases() {
    let draws = [0.0, 0.0, 1.0, 1.0, 2.0];
    // y = 1: F(0) = 2/5, F(1) = 4/5.
    check_pit(&draws, 1.0, 0.5, 0.6);
    check_pit(&draws, 1.0, 0.0, 0.4);
    check_pit(&draws, 1.0, 1.0, 0.8);
    // y = 0: F(-1) = 0, F(0) = 2/5.
    check_pit(&draws, 0.0, 0.5, 0.2);
    // y = 5 beyond every draw: F(4) = F(5) = 1.
    check_pit(&draws, 5.0, 0.3, 1.0);
    assert!(pit_value(&draws, 1.0, 1.5).is_nan());
    assert!(pit_value(&[], 1.0, 0.5).is_nan());
}

#[test]
fn pit_histogram_hand_cases() {
    // 0 and 0.05 in bin 0, 0.1 in bin 1, 0.5 in bin 5, 0.999 and 1.0 in bin 9; NaN skipped.
    let values = [0.0, 0.05, 0.1, 0.999, 1.0, 0.5, f64::NAN];
    assert_eq!(
        pit_histogram(&values, 10),
        vec![2, 1, 0, 0, 0, 1, 0, 0, 0, 2]
    );
    assert!(pit_histogram(&values, 0).is_empty());
}

#[test]
fn reliability_hand_cases() {
    let pairs = [
        (0.05, false),
        (0.05, true),
        (0.95, true),
        (1.0, true),
        (0.5, false),
    ];
    let table = reliability_table(&pairs, 10);
    assert_eq!(table.len(), 10);
    // Bin 0: two forecasts of 0.05, one event.
    assert_eq!((table[0].count, table[0].mean_predicted), (2, Some(0.05)));
    assert_eq!(table[0].observed_frequency, Some(0.5));
    // Bin 5: 0.5 * 10 = 5 exactly.
    assert_eq!(
        (table[5].count, table[5].observed_frequency),
        (1, Some(0.0))
    );
    // Bin 9: 0.95 and 1.0 (1.0 folds into the last bin), both events; mean (0.95 + 1) / 2.
    assert_eq!(table[9].count, 2);
    assert!(close(table[9].mean_predicted.unwrap_or(f64::NAN), 0.975));
    assert_eq!(table[9].observed_frequency, Some(1.0));
    // Empty bins have no means.
    assert_eq!((table[3].count, table[3].mean_predicted), (0, None));
    assert!(close(table[3].lower, 0.3) && close(table[3].upper, 0.4));
}

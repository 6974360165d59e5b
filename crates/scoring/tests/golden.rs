//! Golden values from the Python peers the challenge used, computed once on deterministic
//! inputs that both languages generate exactly (integer arithmetic and one division):
//!
//! - CRPS: `properscoring.crps_ensemble(y, draws)`, properscoring 0.1 (its numpy path).
//! - quantiles and MIS: `np.quantile(draws, q)` (default `method='linear'`), numpy 2.4.6, in the
//!   formula of the challenge's `IntervalScore.py`, both with `alpha = 0.1` and with the
//!   challenge's `alpha = 1 - 0.9`.
//! - IGN: the challenge's `IgnoranceScore.ensemble_ignorance_score` logic
//!   (`np.digitize(x, [0, 0.5, 2.5, ..., 1000.5]) - 1`, one pseudo-draw per bin), numpy 2.4.6.
//! - AP: `sklearn.metrics.average_precision_score(labels, scores)`, scikit-learn 1.9.1.
//! - AUC: `sklearn.metrics.roc_auc_score(labels, scores)`, scikit-learn 1.9.1.
//!
//! Python was used only to produce these numbers; it is not a test dependency.

use attache_scoring::{
    SortedDraws, VIEWS_IGN_EDGES, average_precision, crps_ensemble, ignorance, interval_score,
    quantile, roc_auc,
};

fn close(got: f64, want: f64, rel: f64) -> bool {
    (got - want).abs() <= rel * want.abs().max(1.0)
}

/// Case A: heavy right tail, 1000 draws, x_i = ((7919 i + 13) mod 1009)^2 / 97.
fn case_a() -> Vec<f64> {
    (0..1000u64)
        .map(|i| ((i * 7919 + 13) % 1009).pow(2) as f64 / 97.0)
        .collect()
}

/// Case B: 12 hand-picked counts.
fn case_b() -> Vec<f64> {
    vec![
        0.0, 0.0, 0.0, 1.0, 3.0, 3.0, 7.0, 12.0, 40.0, 40.0, 400.0, 2500.0,
    ]
}

/// Case C: zero-inflated, 1000 draws: 0 if (31 i mod 10) < 7, else (17 i mod 61).
fn case_c() -> Vec<f64> {
    (0..1000u64)
        .map(|i| {
            if (i * 31) % 10 < 7 {
                0.0
            } else {
                ((i * 17) % 61) as f64
            }
        })
        .collect()
}

/// Case D: non-integer draws at and next to the IGN edges.
fn case_d() -> Vec<f64> {
    vec![0.3, 2.4, 2.5, 5.49, 10.5, 25.5, 1000.5]
}

struct Golden {
    y: f64,
    crps: f64,
    ign: f64,
    /// MIS with alpha = 0.1.
    mis_alpha_01: f64,
    /// MIS with alpha = 1 - 0.9 (the challenge's arithmetic).
    mis_level_09: f64,
}

const fn g(y: f64, crps: f64, ign: f64, mis_alpha_01: f64, mis_level_09: f64) -> Golden {
    Golden {
        y,
        crps,
        ign,
        mis_alpha_01,
        mis_level_09,
    }
}

fn check_golden(name: &str, draws: &[f64], cases: &[Golden]) {
    let sorted = SortedDraws::new(draws).expect("golden draws are valid");
    for c in cases {
        let crps = crps_ensemble(draws, c.y);
        // properscoring sums in a different order: allow a few ulps of the result.
        assert!(
            close(crps, c.crps, 1e-13),
            "{name} crps y={}: {crps} vs {}",
            c.y,
            c.crps
        );
        assert_eq!(sorted.crps(c.y), crps);
        let ign = ignorance(draws, c.y, &VIEWS_IGN_EDGES);
        assert!(
            close(ign, c.ign, 1e-14),
            "{name} ign y={}: {ign} vs {}",
            c.y,
            c.ign
        );
        let mis = interval_score(draws, c.y, 0.1);
        assert!(
            close(mis, c.mis_alpha_01, 1e-14),
            "{name} mis y={}: {mis} vs {}",
            c.y,
            c.mis_alpha_01
        );
        let mis = interval_score(draws, c.y, 1.0 - 0.9);
        assert!(
            close(mis, c.mis_level_09, 1e-14),
            "{name} mis09 y={}: {mis} vs {}",
            c.y,
            c.mis_level_09
        );
    }
}

#[test]
fn golden_case_a() {
    let draws = case_a();
    // np.quantile is reproduced bit for bit.
    assert_eq!(quantile(&draws, 0.05), 25.722164948453614);
    assert_eq!(quantile(&draws, 0.95), 9462.472680412371);
    assert_eq!(quantile(&draws, (1.0 - 0.9) / 2.0), 25.722164948453596);
    check_golden(
        "A",
        &draws,
        &[
            g(
                0.0,
                1751.0179207113401,
                6.981567281903015,
                9951.193814432989,
                9951.19381443299,
            ),
            g(
                3.0,
                1748.0891165876287,
                6.811642280460703,
                9891.193814432989,
                9891.19381443299,
            ),
            g(
                250.5,
                1552.4470444226804,
                3.9591994688745604,
                9436.750515463917,
                9436.750515463918,
            ),
            g(
                5000.0,
                1348.3098794742268,
                0.54693905426629,
                9436.750515463917,
                9436.750515463918,
            ),
            g(
                20000.0,
                14751.261982567012,
                0.54693905426629,
                220187.29690721649,
                220187.2969072165,
            ),
        ],
    );
}

#[test]
fn golden_case_b() {
    let draws = case_b();
    assert_eq!(quantile(&draws, 0.05), 0.0);
    assert_eq!(quantile(&draws, 0.95), 1344.9999999999986);
    check_golden(
        "B",
        &draws,
        &[
            g(
                0.0,
                31.013888888888886,
                2.523561956057013,
                1344.9999999999986,
                1344.9999999999986,
            ),
            g(
                5.0,
                29.84722222222223,
                2.9385994553358565,
                1344.9999999999986,
                1344.9999999999986,
            ),
            g(
                40.0,
                40.013888888888886,
                2.9385994553358565,
                1344.9999999999986,
                1344.9999999999986,
            ),
            g(
                3000.0,
                2530.0138888888887,
                3.523561956057013,
                34445.00000000003,
                34445.00000000004,
            ),
        ],
    );
}

#[test]
fn golden_case_c() {
    let draws = case_c();
    assert_eq!(quantile(&draws, 0.95), 50.049999999999955);
    check_golden(
        "C",
        &draws,
        &[
            g(
                0.0,
                1.7952000000000004,
                0.5221356632657174,
                50.049999999999955,
                50.049999999999955,
            ),
            g(
                1.0,
                2.201199999999999,
                6.396604781181859,
                50.049999999999955,
                50.049999999999955,
            ),
            g(
                30.0,
                18.3372,
                3.0508299443401286,
                50.049999999999955,
                50.049999999999955,
            ),
            g(
                60.0,
                43.7272,
                4.309141939931519,
                249.05000000000086,
                249.0500000000009,
            ),
            g(
                200.0,
                183.7272,
                9.981567281903015,
                3049.050000000001,
                3049.050000000001,
            ),
        ],
    );
}

#[test]
fn golden_case_d() {
    let draws = case_d();
    assert_eq!(quantile(&draws, 0.05), 0.9300000000000002);
    assert_eq!(quantile(&draws, 0.95), 707.9999999999993);
    assert_eq!(quantile(&draws, (1.0 - 0.9) / 2.0), 0.9299999999999999);
    check_golden(
        "D",
        &draws,
        &[
            g(
                0.0,
                24.912857142857135,
                3.1699250014423126,
                725.6699999999994,
                725.6699999999994,
            ),
            g(
                2.0,
                23.3985714285714,
                3.1699250014423126,
                707.0699999999994,
                707.0699999999994,
            ),
            g(
                3.0,
                22.998571428571424,
                2.584962500721156,
                707.0699999999994,
                707.0699999999994,
            ),
            g(
                1001.0,
                726.7157142857143,
                3.1699250014423126,
                6567.070000000013,
                6567.070000000014,
            ),
        ],
    );
}

#[test]
fn golden_average_precision() {
    // 300 scores ((53 i) mod 97) / 97 (heavy ties), labels (29 i mod 7) < 2.
    let scores: Vec<f64> = (0..300u64).map(|i| ((i * 53) % 97) as f64 / 97.0).collect();
    let labels: Vec<bool> = (0..300u64).map(|i| (i * 29) % 7 < 2).collect();
    assert!(close(
        average_precision(&scores, &labels),
        0.308955064647888,
        1e-14
    ));
    // 50 scores ((i^2) mod 11) / 10, labels i mod 3 == 0.
    let scores: Vec<f64> = (0..50u64).map(|i| ((i * i) % 11) as f64 / 10.0).collect();
    let labels: Vec<bool> = (0..50u64).map(|i| i % 3 == 0).collect();
    assert!(close(
        average_precision(&scores, &labels),
        0.3341176470588235,
        1e-14
    ));
}

#[test]
fn golden_roc_auc() {
    // The same two heavily tied cases as average precision above.
    let scores: Vec<f64> = (0..300u64).map(|i| ((i * 53) % 97) as f64 / 97.0).collect();
    let labels: Vec<bool> = (0..300u64).map(|i| (i * 29) % 7 < 2).collect();
    assert!(close(roc_auc(&scores, &labels), 0.5105140186915887, 1e-14));
    let scores: Vec<f64> = (0..50u64).map(|i| ((i * i) % 11) as f64 / 10.0).collect();
    let labels: Vec<bool> = (0..50u64).map(|i| i % 3 == 0).collect();
    assert!(close(roc_auc(&scores, &labels), 0.4866310160427808, 1e-14));
    // One class only: undefined, as sklearn (which raises).
    assert!(roc_auc(&[0.1, 0.2], &[true, true]).is_nan());
}

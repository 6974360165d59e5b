//! Properties of the settlement solutions over random inputs: Adjusted Winner is equitable,
//! envy-free and ratio-ordered (efficient) with at most one split issue; the Nash point's
//! product is at least that of every feasible point tried; the Kalai-Smorodinsky point gives
//! both parties the same share of their ideal gain and lies on the boundary.

use attache_negotiation::settle::adjusted_winner::adjusted_winner;
use attache_negotiation::settle::bargaining::{BargainingProblem, Point2};
use proptest::prelude::*;

/// Points on 100 spread over `n` issues.
fn hundred(n: usize) -> impl Strategy<Value = Vec<u32>> {
    proptest::collection::vec(0u32..=100, n).prop_filter_map("positive", |v| {
        let s: u32 = v.iter().sum();
        if s == 0 {
            return None;
        }
        let mut out: Vec<u32> = v.iter().map(|x| x * 100 / s).collect();
        let short = 100 - out.iter().sum::<u32>();
        out[0] += short;
        Some(out)
    })
}

/// The case proptest found: an issue worth 0 to both (item 2) made the ratio sort no order,
/// and a 6/0 issue was passed to the party that values it at 0 before a 25/25 one.
#[test]
fn an_issue_worth_nothing_to_either_does_not_break_the_order() {
    let (a, b) = (
        vec![18, 18, 0, 12, 25, 21, 6],
        vec![15, 13, 0, 25, 25, 22, 0],
    );
    let r = adjusted_winner(
        ["A".into(), "B".into()],
        (0..7).map(|i| format!("issue {i}")).collect(),
        [a, b],
    )
    .unwrap();
    assert!(r.ratio_ordered && r.envy_free, "{r:?}");
    assert_eq!(r.share_first[6], 1.0, "A keeps the issue B values at 0");
    // Winning phase: A 18 + 18 + 6 and both ties (0 and 25: A trails 42 to 47) = 67, B 47.
    // Passing the 0/0 issue changes nothing; the 25/25 issue is split: 20/50 of it to B.
    assert!((r.final_points[0] - 57.0).abs() < 1e-9 && (r.final_points[1] - 57.0).abs() < 1e-9);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn adjusted_winner_is_fair((a, b) in (1usize..8).prop_flat_map(|n| (hundred(n), hundred(n)))) {
        let n = a.len();
        let r = adjusted_winner(
            ["A".into(), "B".into()],
            (0..n).map(|i| format!("issue {i}")).collect(),
            [a.clone(), b.clone()],
        )
        .unwrap();
        prop_assert!((r.final_points[0] - r.final_points[1]).abs() < 1e-9, "{:?}", r.final_points);
        prop_assert!(r.final_points[0] >= 50.0 - 1e-9);
        prop_assert!(r.envy_free);
        prop_assert!(r.ratio_ordered);
        let partial = r.share_first.iter().filter(|&&s| s > 0.0 && s < 1.0).count();
        prop_assert!(partial <= 1);
        prop_assert_eq!(partial == 1, r.split.is_some());
    }

    #[test]
    fn nash_and_ks_are_what_they_claim(
        raw in proptest::collection::vec((0.0f64..10.0, 0.0f64..10.0), 1..12),
        d in (0.0f64..3.0, 0.0f64..3.0),
        mix in proptest::collection::vec((0usize..12, 0usize..12, 0.0f64..1.0), 20),
    ) {
        let points: Vec<Point2> = raw.iter().map(|&(x, y)| Point2::new(x, y)).collect();
        let d = Point2::new(d.0, d.1);
        let p = BargainingProblem::new(["A".into(), "B".into()], &points, d).unwrap();
        let gain = |q: Point2| (q.x - d.x).max(0.0) * (q.y - d.y).max(0.0);
        match p.nash() {
            Err(_) => {
                // No point strictly better for both.
                prop_assert!(points.iter().all(|q| !(q.x > d.x && q.y > d.y)));
                prop_assert!(p.kalai_smorodinsky().is_err());
            }
            Ok(n) => {
                let best = gain(n.point);
                let tol = 1e-9 * (1.0 + best);
                for q in &points {
                    prop_assert!(gain(*q) <= best + tol);
                }
                for &(i, j, t) in &mix {
                    let (a, b) = (points[i % points.len()], points[j % points.len()]);
                    let q = Point2::new(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y));
                    prop_assert!(gain(q) <= best + tol, "{q:?} beats {:?}", n.point);
                }
                let k = p.kalai_smorodinsky().unwrap();
                let ideal = k.ideal;
                let sx = (k.point.x - d.x) / (ideal.x - d.x);
                let sy = (k.point.y - d.y) / (ideal.y - d.y);
                prop_assert!((sx - sy).abs() < 1e-9, "shares {sx} {sy}");
                prop_assert!(sx > 0.0 && sx <= 1.0 + 1e-12);
                // On the boundary: no input point strictly dominates it.
                for q in &points {
                    prop_assert!(!(q.x > k.point.x + 1e-9 && q.y > k.point.y + 1e-9));
                }
            }
        }
    }
}

//! Settlement solutions against published worked examples and hand computations:
//!
//! - Kalai & Smorodinsky (1975), "Other Solutions to Nash's Bargaining Problem",
//!   Econometrica 43(3), 513-518: the pair of feasible sets showing that the Nash solution is
//!   not monotone. `conv{(0,0), (1,0), (0,1), (0.75,0.75)}` with `d = (0,0)` gives
//!   Nash = KS = (0.75, 0.75); adding `(1, 0.7)` gives Nash `(1, 0.7)` and KS `(0.769, 0.769)`.
//!   From the geometry: the new frontier is the segment `(0,1)-(1,0.7)`, i.e. `0.3 x + y = 1`;
//!   the product `x (1 - 0.3 x)` increases up to `x = 5/3`, so it is maximal at the end
//!   `(1, 0.7)` (product 0.7 > 0.5625); the ideal point is `(1, 1)` and the diagonal meets the
//!   frontier at `x = y = 1/1.3 = 10/13 = 0.769231`.
//! - Adjusted Winner, Brams & Taylor's divorce example (Bob and Carol; the opening example of
//!   Brams & Taylor's Adjusted Winner site at NYU, which takes its examples from "Fair
//!   Division" (1996) and "The Win-Win Solution" (1999); the page number in the books is not
//!   checked here): Carol puts 50, 20, 15, 10, 5 and Bob 40, 30, 10, 10, 10 points on the
//!   retirement account, home, summer cottage, investments and other. Carol gets the cottage
//!   and 5/6 of the retirement account, Bob the home, the investments, the other items and
//!   1/6 of the retirement account; each ends with 56 2/3 of its points.

use attache_negotiation::Explain;
use attache_negotiation::settle::adjusted_winner::adjusted_winner;
use attache_negotiation::settle::bargaining::{BargainingProblem, Point2};
use attache_negotiation::settle::packages::{AdditiveValuation, PackageTable, max_min_gain};
use attache_negotiation::settle::pareto::pareto_frontier;

fn pts(v: &[(f64, f64)]) -> Vec<Point2> {
    v.iter().map(|&(x, y)| Point2::new(x, y)).collect()
}

fn check_bargaining(points: &[(f64, f64)], d: (f64, f64), nash: (f64, f64), ks: (f64, f64)) {
    let p = BargainingProblem::new(
        ["A".into(), "B".into()],
        &pts(points),
        Point2::new(d.0, d.1),
    )
    .unwrap();
    let n = p.nash().unwrap();
    let k = p.kalai_smorodinsky().unwrap();
    let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
    assert!(
        close(n.point.x, nash.0) && close(n.point.y, nash.1),
        "Nash {:?}, want {nash:?}",
        n.point
    );
    assert!(
        close(k.point.x, ks.0) && close(k.point.y, ks.1),
        "KS {:?}, want {ks:?}",
        k.point
    );
    assert!(!n.explain().is_empty() && !k.explain().is_empty());
}

#[test]
fn kalai_smorodinsky_1975() {
    let base = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (0.75, 0.75)];
    check_bargaining(&base, (0.0, 0.0), (0.75, 0.75), (0.75, 0.75));
    let mut wider = base.to_vec();
    wider.push((1.0, 0.7));
    check_bargaining(&wider, (0.0, 0.0), (1.0, 0.7), (10.0 / 13.0, 10.0 / 13.0));
    let p = BargainingProblem::new(
        ["A".into(), "B".into()],
        &pts(&wider),
        Point2::new(0.0, 0.0),
    )
    .unwrap();
    assert_eq!(p.frontier(), &pts(&[(0.0, 1.0), (1.0, 0.7)])[..]);
    let ks = p.kalai_smorodinsky().unwrap();
    assert_eq!(format!("{:.3}", ks.point.x), "0.769");
    assert!(
        ks.explain().contains("same share (76.9% and 76.9%)"),
        "{}",
        ks.explain()
    );
}

#[test]
fn bargaining_by_hand() {
    // One segment (0,4)-(4,0), d = (0,0): Nash and KS at (2,2).
    check_bargaining(
        &[(0.0, 4.0), (4.0, 0.0)],
        (0.0, 0.0),
        (2.0, 2.0),
        (2.0, 2.0),
    );
    // Same set, d = (1,0): Nash maximises (x-1) y on x + y = 4: x = 2.5; ideal (4, 3), KS on
    // the ray (1,0) + l (3,3): 1 + 6 l = 4, l = 1/2: (2.5, 1.5).
    check_bargaining(
        &[(0.0, 4.0), (4.0, 0.0)],
        (1.0, 0.0),
        (2.5, 1.5),
        (2.5, 1.5),
    );
    // A dominated disagreement point outside any gain: refused.
    let p = BargainingProblem::new(
        ["A".into(), "B".into()],
        &pts(&[(1.0, 1.0)]),
        Point2::new(1.0, 2.0),
    )
    .unwrap();
    assert!(p.nash().is_err());
    assert!(p.kalai_smorodinsky().is_err());
}

fn check_aw(
    parties: [&str; 2],
    items: &[&str],
    points: [Vec<u32>; 2],
    whole: [&[&str]; 2],
    split: Option<(&str, usize, (u64, u64))>,
    final_points: (u64, u64),
) {
    let r = adjusted_winner(
        [parties[0].into(), parties[1].into()],
        items.iter().map(|s| s.to_string()).collect(),
        points,
    )
    .unwrap();
    for p in 0..2 {
        let got: Vec<&str> = items
            .iter()
            .zip(&r.share_first)
            .filter(|(_, s)| if p == 0 { **s == 1.0 } else { **s == 0.0 })
            .map(|(n, _)| *n)
            .collect();
        assert_eq!(got, whole[p], "{} gets whole", parties[p]);
    }
    assert_eq!(
        r.split
            .as_ref()
            .map(|s| (s.name.as_str(), s.kept_by, s.passed)),
        split,
        "split"
    );
    assert_eq!(r.final_points_exact, final_points);
    let f = final_points.0 as f64 / final_points.1 as f64;
    assert!((r.final_points[0] - f).abs() < 1e-9 && (r.final_points[1] - f).abs() < 1e-9);
    assert!(r.envy_free && r.ratio_ordered);
}

#[test]
fn adjusted_winner_brams_taylor_divorce() {
    let items = [
        "Retirement account",
        "Home",
        "Summer cottage",
        "Investments",
        "Other",
    ];
    check_aw(
        ["Carol", "Bob"],
        &items,
        [vec![50, 20, 15, 10, 5], vec![40, 30, 10, 10, 10]],
        [&["Summer cottage"], &["Home", "Investments", "Other"]],
        Some(("Retirement account", 0, (1, 6))),
        (170, 3),
    );
    let r = adjusted_winner(
        ["Carol".into(), "Bob".into()],
        items.iter().map(|s| s.to_string()).collect(),
        [vec![50, 20, 15, 10, 5], vec![40, 30, 10, 10, 10]],
    )
    .unwrap();
    assert_eq!(
        r.explain(),
        "Adjusted Winner gives Carol Summer cottage and Bob Home, Investments and Other, and Retirement account is split, 16.7% of it to Bob, so each ends with 56.667 of its own 100 points and neither envies the other."
    );
}

#[test]
fn adjusted_winner_by_hand() {
    // No split needed: A wins x (60 vs 40) and B wins y (60 vs 40): 60 each.
    check_aw(
        ["A", "B"],
        &["x", "y"],
        [vec![60, 40], vec![40, 60]],
        [&["x"], &["y"]],
        None,
        (60, 1),
    );
    // A wins everything it values more: x 70/30, y 30/70? no: A 70, 30; B 20, 80. A gets x
    // (70), B gets y (80). B leads; B holds y, ratio 80/30; pass (80 - 70) / (80 + 30) = 1/11
    // of y to A: A 70 + 30/11 = 800/11, B 80 - 80/11 = 800/11.
    check_aw(
        ["A", "B"],
        &["x", "y"],
        [vec![70, 30], vec![20, 80]],
        [&["x"], &[]],
        Some(("y", 1, (1, 11))),
        (800, 11),
    );
    // Refusals.
    assert!(
        adjusted_winner(
            ["A".into(), "B".into()],
            vec!["x".into()],
            [vec![99], vec![100]]
        )
        .is_err()
    );
    assert!(
        adjusted_winner(
            ["A".into(), "A".into()],
            vec!["x".into()],
            [vec![100], vec![100]]
        )
        .is_err()
    );
}

#[test]
fn max_min_gain_by_hand() {
    // Three parties, four packages, every disagreement value 2; utilities by party:
    //        P1   P2   P3   P4  | best
    // A:     10    2    6    6  | 10
    // B:      6    8    6    6  |  8
    // C:      4    8    8    7  |  8
    // Normalised gains (u - 2) / (best - 2):
    //  P1: 1, 2/3, 1/3;  P2: 0, 1, 1;  P3: 1/2, 2/3, 1;  P4: 1/2, 2/3, 5/6.
    // Minima: 1/3, 0, 1/2, 1/2; P3 and P4 tie, and leximin prefers P3 (1 > 5/6).
    let t = PackageTable::new(
        vec!["A".into(), "B".into(), "C".into()],
        vec!["P1".into(), "P2".into(), "P3".into(), "P4".into()],
        vec![
            vec![10.0, 2.0, 6.0, 6.0],
            vec![6.0, 8.0, 6.0, 6.0],
            vec![4.0, 8.0, 8.0, 7.0],
        ],
        vec![2.0, 2.0, 2.0],
    )
    .unwrap();
    let r = max_min_gain(&t).unwrap();
    assert_eq!(r.package_name, "P3");
    assert_eq!(r.worst_off, vec!["A".to_string()]);
    assert!((r.min_gain - 0.5).abs() < 1e-12);
    assert!(r.acceptable_to_all);
    let want = [1.0 / 3.0, 0.0, 0.5, 0.5];
    for (g, w) in r.min_gain_by_package.iter().zip(want) {
        assert!((g - w).abs() < 1e-12);
    }
    assert_eq!(
        r.explain(),
        "Package P3 is proposed because its worst-off party (A) still gets 50.0% of the way from no agreement to its own best package, more than any other package guarantees everyone."
    );
    // The Pareto frontier: P4 is dominated by P3 (equal for A and B, better for C).
    let f = pareto_frontier(&t);
    assert_eq!(f.packages, vec![0, 1, 2]);
    assert_eq!(f.dominated_by, vec![(3, 2)]);
    // A party that no package helps cannot be normalised.
    let stuck = PackageTable::new(
        vec!["A".into(), "B".into()],
        vec!["P".into()],
        vec![vec![1.0], vec![5.0]],
        vec![1.0, 0.0],
    )
    .unwrap();
    assert!(max_min_gain(&stuck).is_err());
}

#[test]
fn additive_valuations_normalise_weights() {
    // Two issues, two options each; weights 3 and 1 become 0.75 and 0.25.
    let v = AdditiveValuation::new(
        "A",
        vec![3.0, 1.0],
        vec![vec![0.0, 100.0], vec![100.0, 0.0]],
    )
    .unwrap();
    assert_eq!(v.weights(), &[0.75, 0.25]);
    assert_eq!(v.utility("p", &[1, 1]).unwrap(), 75.0);
    assert_eq!(v.utility("p", &[0, 0]).unwrap(), 25.0);
    assert!(v.utility("p", &[2, 0]).is_err());
    assert!(AdditiveValuation::new("A", vec![0.0, 0.0], vec![vec![1.0], vec![1.0]]).is_err());
    let w = AdditiveValuation::new(
        "B",
        vec![1.0, 1.0],
        vec![vec![100.0, 0.0], vec![0.0, 100.0]],
    )
    .unwrap();
    let t = PackageTable::from_additive(
        vec!["A".into(), "B".into()],
        &[v, w],
        vec![0.0, 0.0],
        vec![
            ("x".into(), vec![1, 0]),
            ("y".into(), vec![0, 1]),
            ("z".into(), vec![1, 1]),
        ],
    )
    .unwrap();
    // A: x 100, y 0, z 75; B: x 0, y 100, z 50. Max-min: z (0.75, 0.5).
    let r = max_min_gain(&t).unwrap();
    assert_eq!(r.package_name, "z");
}

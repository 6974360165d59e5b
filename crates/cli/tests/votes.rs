//! `attache votes` through the binary.
//!
//! Golden values for voting power: the UN Security Council since 1965, `[39; 7 x 5, 1 x 10]`:
//! Shapley-Shubik 0.19627 for a permanent member and 0.00186 (= 4/2145) for an elected one;
//! normalised Banzhaf 0.16693 and 0.01654 (Felsenthal & Machover 1998, "The Measurement of
//! Voting Power", Edward Elgar, where the Security Council is their running example). The EEC
//! Council of 1958 (quota 12; 4, 4, 4, 2, 2, 1): normalised Banzhaf 0.2381, 0.1429, 0 and
//! Shapley-Shubik 0.2333, 0.15, 0 (same book).

mod common;

use common::*;

/// One row of `votes power --format csv`.
#[derive(Debug)]
struct Row {
    member: String,
    weight: String,
    shapley_shubik: f64,
    banzhaf: f64,
}

fn power_csv(args: &[&str]) -> Vec<Row> {
    let mut all = vec!["votes", "power"];
    all.extend_from_slice(args);
    all.extend(["--format", "csv"]);
    let o = attache(&all);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    let text = stdout(&o);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("member,weight,shapley_shubik,banzhaf"),
        "{text}"
    );
    lines
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            assert_eq!(c.len(), 4, "{l}");
            Row {
                member: c[0].to_string(),
                weight: c[1].to_string(),
                shapley_shubik: c[2].parse().unwrap(),
                banzhaf: c[3].parse().unwrap(),
            }
        })
        .collect()
}

/// Checks (member index, weight, Shapley-Shubik, Banzhaf) to five decimals.
fn check(rows: &[Row], expect: &[(usize, &str, f64, f64)]) {
    for &(i, w, ss, bz) in expect {
        let r = &rows[i];
        assert_eq!(r.weight, w, "{r:?}");
        assert!(
            (r.shapley_shubik - ss).abs() < 5e-6 && (r.banzhaf - bz).abs() < 5e-6,
            "{r:?}: want SS {ss}, Banzhaf {bz}"
        );
    }
}

#[test]
fn security_council_power_through_the_binary() {
    let weights = "7,7,7,7,7,1,1,1,1,1,1,1,1,1,1";
    let rows = power_csv(&["--quota", "39", "--weights", weights]);
    assert_eq!(rows.len(), 15);
    assert_eq!(rows[0].member, "member 1");
    let expect = [
        (0, "7", 0.19627, 0.16693),
        (4, "7", 0.19627, 0.16693),
        (5, "1", 0.00186, 0.01654),
        (14, "1", 0.00186, 0.01654),
    ];
    check(&rows, &expect);

    let preset = power_csv(&["--game", "unsc"]);
    check(&preset, &expect);
    assert_eq!(preset[4].member, "United States");

    // The same game with decimal weights scaled by 10 (quota 3.9, weights 0.7 and 0.1).
    let decimals = power_csv(&[
        "--quota",
        "3.9",
        "--weights",
        "0.7,0.7,0.7,0.7,0.7,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1",
    ]);
    check(
        &decimals,
        &[(0, "0.7", 0.19627, 0.16693), (14, "0.1", 0.00186, 0.01654)],
    );
}

#[test]
fn eec_1958_with_names() {
    let rows = power_csv(&[
        "--quota",
        "12",
        "--weights",
        "4,4,4,2,2,1",
        "--names",
        "France,Germany,Italy,Belgium,Netherlands,Luxembourg",
    ]);
    assert_eq!(rows[5].member, "Luxembourg");
    check(
        &rows,
        &[
            (0, "4", 0.23333, 0.23810),
            (3, "2", 0.15, 0.14286),
            (5, "1", 0.0, 0.0),
        ],
    );
}

#[test]
fn eu_council_preset_sums_to_one() {
    let rows = power_csv(&["--game", "eu-council"]);
    assert_eq!(rows.len(), 27);
    let ss: f64 = rows.iter().map(|r| r.shapley_shubik).sum();
    let bz: f64 = rows.iter().map(|r| r.banzhaf).sum();
    assert!(
        (ss - 1.0).abs() < 1e-9 && (bz - 1.0).abs() < 1e-9,
        "{ss} {bz}"
    );
    let de = rows
        .iter()
        .find(|r| r.member == "Germany")
        .expect("Germany");
    let mt = rows.iter().find(|r| r.member == "Malta").expect("Malta");
    assert!(de.shapley_shubik > mt.shapley_shubik);
}

#[test]
fn bad_power_input_fails_with_a_clear_error() {
    for (args, want) in [
        (
            vec!["--quota", "3", "--weights", "1,x"],
            "weight \"x\" is not a non-negative number",
        ),
        (
            vec!["--quota", "3", "--weights", "1,2", "--names", "a"],
            "1 names given for 2 members",
        ),
        (
            vec!["--quota", "10", "--weights", "1,2"],
            "even all members together lose",
        ),
        (vec!["--quota", "3"], "--weights"),
    ] {
        let mut all = vec!["votes", "power"];
        all.extend_from_slice(&args);
        let o = attache(&all);
        assert!(!o.status.success(), "{args:?} succeeded");
        assert!(stderr(&o).contains(want), "{args:?}: {}", stderr(&o));
    }
}

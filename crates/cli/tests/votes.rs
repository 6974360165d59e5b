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

/// A data dir with the UN votes and the published ideal points (and the crosswalk), synced
/// once per test binary from the mirror.
fn un_data() -> &'static std::path::Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| removed_at_exit(synced_only("unvotes,un-ideal-points")))
        .path()
}

fn votes_csv(args: &[&str]) -> Vec<std::collections::HashMap<String, String>> {
    let mut all = vec!["votes"];
    all.extend_from_slice(args);
    all.extend(["--format", "csv", "--data-dir", un_data().to_str().unwrap()]);
    let o = attache(&all);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    let mut r = csv::Reader::from_reader(o.stdout.as_slice());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect()
}

/// The ten years sampled for the acceptance check (every seventh year from 1951, chosen before
/// any fit was run).
const SAMPLED: [i64; 10] = [1951, 1958, 1965, 1972, 1979, 1986, 1993, 2000, 2007, 2014];

/// Each year's correlation with a published estimate (and the identification checks).
fn correlations(published: &str) -> std::collections::BTreeMap<i64, f64> {
    let t = std::time::Instant::now();
    let rows = votes_csv(&["ideal-points", "--compare", "--published", published]);
    eprintln!(
        "ideal points of every year with --compare --published {published}: {:?}",
        t.elapsed()
    );
    let mut by_year: std::collections::BTreeMap<i64, (f64, Vec<f64>, f64)> = Default::default();
    for r in &rows {
        let y: i64 = r["year"].parse().unwrap();
        let x: f64 = r["ideal_point"].parse().unwrap();
        let e = by_year.entry(y).or_insert((
            r["correlation"].parse().unwrap_or(f64::NAN),
            Vec::new(),
            0.0,
        ));
        e.1.push(x);
        if r["iso3"] == "USA" {
            e.2 = x;
        }
    }
    for (y, (_, xs, usa)) in &by_year {
        // Identification: mean 0, sd 1, the United States positive.
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt();
        assert!(
            mean.abs() < 1e-6 && (sd - 1.0).abs() < 1e-6,
            "{y}: mean {mean}, sd {sd}"
        );
        assert!(*usa > 0.0, "{y}: USA at {usa}");
    }
    SAMPLED
        .iter()
        .map(|y| {
            let r = by_year[y].0;
            eprintln!(
                "{published} {y}: correlation {r:.4} ({} states fitted)",
                by_year[y].1.len()
            );
            (*y, r)
        })
        .collect()
}

/// Our years are General Assembly sessions (the votes file's `year` is session + 1945), so the
/// like-for-like published estimate is Voeten's per-session `idealpointlegacy`: at least 0.95
/// in every sampled year. Beside the calendar-year `idealpointall` the same target holds except
/// in 1951, held to the 0.90 floor measured when the comparison was first run (0.910): our 1951
/// is session 6, 21 of whose 25 roll calls are dated 1952, while calendar 1951 has 7 roll
/// calls. (1993 was 0.947 until the source's exchanged Monaco and Mongolia rows of session 48
/// were put back: 0.983.)
#[test]
fn our_ideal_points_correlate_with_the_published_ones() {
    for (y, r) in correlations("session") {
        assert!(
            r >= 0.95,
            "session {y}: correlation {r} below the 0.95 target"
        );
    }
    for (y, r) in correlations("all") {
        let floor = if y == 1951 { 0.90 } else { 0.95 };
        assert!(r >= floor, "calendar {y}: correlation {r} below {floor}");
    }
}

#[test]
fn ideal_points_of_one_year() {
    let rows = votes_csv(&["ideal-points", "--year", "2000"]);
    assert!(rows.len() > 150, "{} states", rows.len());
    assert_eq!(
        rows[0]
            .keys()
            .map(String::as_str)
            .collect::<std::collections::BTreeSet<_>>(),
        ["iso3", "ideal_point", "year"].into_iter().collect()
    );
    let of = |s: &str| -> f64 {
        rows.iter().find(|r| r["iso3"] == s).unwrap()["ideal_point"]
            .parse()
            .unwrap()
    };
    // On the published scale ("higher = closer to the United States"): Israel and the
    // United Kingdom above Cuba and Iran.
    assert!(of("ISR") > of("CUB") && of("GBR") > of("IRN"));
}

#[test]
fn agreement_matches_the_formula_over_the_raw_votes() {
    let rows = votes_csv(&["agreement", "--with", "United States", "--year", "2014"]);
    let isr = rows.iter().find(|r| r["other"] == "ISR").expect("Israel");
    // The same figure straight from the table: yes 1, abstain 0.5, no 0 over the roll calls
    // both voted on, 1 - mean |a - b|.
    let q = "select a.rcid, a.vote as va, b.vote as vb from un_votes a join un_votes b \
             on a.rcid = b.rcid where a.year = 2014 and a.iso3 = 'USA' and b.iso3 = 'ISR' \
             and a.vote in (1, 2, 3) and b.vote in (1, 2, 3)";
    let text = sql(un_data(), q);
    let score = |v: &str| -> f64 {
        match v {
            "1" => 1.0,
            "2" => 0.5,
            _ => 0.0,
        }
    };
    let diffs: Vec<f64> = text
        .lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            (score(c[1]) - score(c[2])).abs()
        })
        .collect();
    let want = 1.0 - diffs.iter().sum::<f64>() / diffs.len() as f64;
    assert_eq!(isr["roll_calls"], diffs.len().to_string());
    let got: f64 = isr["agreement"].parse().unwrap();
    assert!((got - want).abs() < 1e-12, "{got} vs {want}");
    assert_eq!(isr["iso3"], "USA");
    // Most in agreement first.
    let scores: Vec<f64> = rows
        .iter()
        .map(|r| r["agreement"].parse().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]));

    let o = attache(&[
        "votes",
        "agreement",
        "--with",
        "Atlantis",
        "--data-dir",
        un_data().to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("no state \"Atlantis\""),
        "{}",
        stderr(&o)
    );
}

#[test]
fn blocs_of_a_year() {
    let rows = votes_csv(&["blocs", "--year", "2014", "--k", "4"]);
    let bloc = |s: &str| rows.iter().find(|r| r["iso3"] == s).unwrap()["bloc"].clone();
    assert_eq!(bloc("USA"), bloc("ISR"));
    assert_eq!(bloc("CHN"), bloc("RUS"));
    assert_ne!(bloc("USA"), bloc("RUS"));
}

/// A data dir with the General Debate speeches and the published ideal points, synced once per
/// test binary from the mirror.
fn speech_data() -> &'static std::path::Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let t = std::time::Instant::now();
        let d = removed_at_exit(synced_only("ungdc,un-ideal-points"));
        eprintln!("sync --only ungdc,un-ideal-points: {:?}", t.elapsed());
        d
    })
    .path()
}

fn speeches_csv(args: &[&str]) -> (Vec<std::collections::HashMap<String, String>>, String) {
    let mut all = vec!["votes", "speeches"];
    all.extend_from_slice(args);
    all.extend([
        "--format",
        "csv",
        "--data-dir",
        speech_data().to_str().unwrap(),
    ]);
    let o = attache(&all);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    let mut r = csv::Reader::from_reader(o.stdout.as_slice());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect();
    (rows, stderr(&o))
}

/// Years compared with the published ideal points (every fifteenth from 1970, chosen before
/// any fit was run), and the correlation across states measured when the comparison was first
/// run (1970: 0.683 over 70 states, 1985: 0.532 over 137, 2000: 0.287 over 171, 2015: -0.182
/// over 190). The test holds each to that figure less 0.05, so that a regression fails.
/// Wordfish places speeches on the dimension along which their words differ most, which in the
/// General Debate is largely regional and topical (Latin America against the Middle East in
/// 1985; small island states and climate against Israel and Palestine in 2015), not the
/// alignment with the United States that the votes measure: these figures are what it gives,
/// not a target.
const SPEECH_YEARS: [(&str, f64); 4] = [
    ("1970", 0.683),
    ("1985", 0.532),
    ("2000", 0.287),
    ("2015", -0.182),
];

#[test]
fn speech_positions_of_a_year_and_their_correlation_with_the_ideal_points() {
    for (year, measured) in SPEECH_YEARS {
        let t = std::time::Instant::now();
        let (rows, err) = speeches_csv(&["--year", year, "--compare"]);
        eprintln!(
            "{year}: {} speeches scaled in {:?}",
            rows.len(),
            t.elapsed()
        );
        // The corpus holds 70 speeches of 1970, about 190 a year lately.
        assert!(rows.len() > 60, "{year}: {} rows", rows.len());
        let theta: Vec<f64> = rows.iter().map(|r| r["theta"].parse().unwrap()).collect();
        let n = theta.len() as f64;
        let mean = theta.iter().sum::<f64>() / n;
        let sd = (theta.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt();
        assert!(
            mean.abs() < 1e-9 && (sd - 1.0).abs() < 1e-9,
            "{year}: mean {mean}, sd {sd}"
        );
        let of = |s: &str| -> f64 {
            rows.iter()
                .find(|r| r["iso3"] == s)
                .unwrap_or_else(|| panic!("{year}: no {s}"))["theta"]
                .parse()
                .unwrap()
        };
        // The default anchors: the United States above the Soviet Union or Russia (Cuba in
        // 1970, where the corpus has no speech of the Soviet Union).
        let other = match year {
            "1970" => "CUB",
            "1985" => "SUN",
            _ => "RUS",
        };
        assert!(of("USA") > of(other), "{year}: the anchors' order");
        assert!(
            err.contains(&format!("direction: USA above {other}")),
            "{err}"
        );
        assert!(
            rows.iter()
                .all(|r| r["year"] == year && r["words"].parse::<i64>().unwrap() >= 50)
        );
        let r: f64 = rows[0]["correlation"].parse().unwrap();
        eprintln!("{year}: correlation with idealpointall {r:.3}; {err}");
        assert!(
            r >= measured - 0.05,
            "{year}: correlation {r}, measured {measured}"
        );
    }
}

#[test]
fn speech_positions_on_a_topic_and_refusals() {
    let (rows, err) = speeches_csv(&["--year", "1985", "--topic", "disarmament"]);
    assert!(rows.len() > 50, "{} rows; {err}", rows.len());
    assert_eq!(
        rows[0]
            .keys()
            .map(String::as_str)
            .collect::<std::collections::BTreeSet<_>>(),
        ["iso3", "theta", "words", "year"].into_iter().collect()
    );
    let data = speech_data().to_str().unwrap();
    for (args, want) in [
        (
            vec!["--year", "1985", "--topic", "fishing"],
            "no topic \"fishing\"",
        ),
        (vec!["--year", "1930"], "no General Debate speeches in 1930"),
        (
            vec!["--year", "1985", "--positive", "ATL"],
            "no speech of ATL in 1985",
        ),
    ] {
        let mut all = vec!["votes", "speeches", "--data-dir", data];
        all.extend(args.iter().copied());
        let o = attache(&all);
        assert!(!o.status.success(), "{args:?} succeeded");
        assert!(stderr(&o).contains(want), "{args:?}: {}", stderr(&o));
    }
}

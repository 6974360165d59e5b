//! `attache indices inform` end to end on the published INFORM Risk 2025 table in the data
//! mirror: Afghanistan's risk recomputed equals the published 7.8 (JRC, INFORM Risk 2025
//! v0.7.0, "INFORM Risk 2025 (a-z)" sheet), its top driver is projected conflict probability,
//! and improving lack of coping capacity by one point takes it to 7.4 (the crate's golden test
//! recomputes every country); bad input fails naming it.

mod common;

use common::{attache, mirror, stderr, stdout};

#[test]
fn inform_risk_drivers_and_what_if() {
    let table = mirror().join("inform/INFORM_Risk_2025_v070_main.csv");
    let t = table.to_str().unwrap();
    let o = attache(&[
        "indices",
        "inform",
        "--input",
        t,
        "--country",
        "Afghanistan",
        "--what-if",
        "coping=-1",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("AFG: INFORM risk 7.8 (Very High)"), "{out}");
    assert!(out.contains("published 7.8"), "{out}");
    assert!(
        out.contains("projected conflict probability (9.7)"),
        "{out}"
    );
    assert!(out.contains("to 7.4"), "{out}");
    for (args, says) in [
        (vec!["--country", "Atlantis"], "Atlantis"),
        (vec!["--country", "AFG", "--what-if", "luck=-1"], "luck"),
        (
            vec!["--country", "AFG", "--what-if", "coping"],
            "DIMENSION=DELTA",
        ),
    ] {
        let mut all = vec!["indices", "inform", "--input", t];
        all.extend(args);
        let o = attache(&all);
        assert!(!o.status.success(), "{all:?}");
        assert!(stderr(&o).contains(says), "{all:?}: {}", stderr(&o));
    }
}

/// CSV text into rows of (column -> cell).
fn rows(text: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let head: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|x| {
            head.iter()
                .cloned()
                .zip(x.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

fn num(r: &std::collections::BTreeMap<String, String>, c: &str) -> Option<f64> {
    r[c].parse().ok()
}

/// `attache sdg index` and `attache risk inform` on a store synced from the mirror: our SDG
/// Index equals the SDR 2023 overall score for every country (the mean of the 17 goals where
/// all are present, filled by the regional mean elsewhere), the series' 2022 index is the mean
/// of its non-zero goals for most rows and shown beside the published one for the others, and
/// INFORM Risk recomputed from the components equals the published risk, its three dimensions
/// and class for all 191 countries (JRC, INFORM Risk 2025 v0.7.0).
#[test]
fn sdg_index_and_inform_risk_from_the_store() {
    let d = common::synced_only("sdg,inform");
    let run = |args: &[&str]| {
        let o = common::isolated(d.path(), args).output().unwrap();
        assert!(o.status.success(), "attache {args:?}: {}", stderr(&o));
        stdout(&o)
    };
    let sdr = rows(&run(&[
        "sdg", "index", "--report", "sdr2023", "--format", "csv",
    ]));
    assert_eq!(sdr.len(), 166);
    let complete = sdr
        .iter()
        .filter(|r| (1..=17).all(|g| !r[&format!("goal_{g}")].is_empty()))
        .count();
    for r in &sdr {
        let (ours, theirs) = (num(r, "index").unwrap(), num(r, "published_index").unwrap());
        assert!(
            (ours - theirs).abs() < 1e-6,
            "{}: {ours} vs {theirs}",
            r["iso3"]
        );
    }
    eprintln!(
        "SDR 2023: {} countries, {complete} with all 17 goals; every index equals the published score",
        sdr.len()
    );
    assert_eq!(sdr[0]["iso3"], "FIN", "Finland first in the SDR 2023");
    assert_eq!(sdr[0]["rank"], "1");

    let series = rows(&run(&["sdg", "index", "--year", "2022", "--format", "csv"]));
    let close = series
        .iter()
        .filter(|r| match (num(r, "index"), num(r, "published_index")) {
            (Some(a), Some(b)) => (a - b).abs() <= 0.1,
            _ => false,
        })
        .count();
    eprintln!(
        "series 2022: {} countries, {close} within 0.1 of the published index",
        series.len()
    );
    assert_eq!(series.len(), 166);
    assert!(close >= 100, "{close}");

    let inform = rows(&run(&["risk", "inform", "--format", "csv"]));
    assert_eq!(inform.len(), 191);
    let mut equal = 0;
    for r in &inform {
        let same = [
            "risk",
            "hazard_exposure",
            "vulnerability",
            "lack_of_coping_capacity",
        ]
        .iter()
        .all(|c| (num(r, c).unwrap() - num(r, &format!("published_{c}")).unwrap()).abs() < 0.05)
            && r["class"] == r["published_class"];
        equal += usize::from(same);
    }
    assert_eq!(
        equal, 191,
        "every country's risk, dimensions and class as published"
    );
    let afg = run(&[
        "risk",
        "inform",
        "--country",
        "Afghanistan",
        "--format",
        "csv",
    ]);
    assert!(
        afg.contains("AFG,7.8,7.6,8.3,7.4,Very High,7.8,7.6,8.3,7.4,Very High"),
        "{afg}"
    );
    let o = common::isolated(d.path(), &["sdg", "index", "--year", "1990"])
        .output()
        .unwrap();
    assert!(
        !o.status.success() && stderr(&o).contains("no row for it"),
        "{}",
        stderr(&o)
    );
}

/// `attache sdg allocate` and the `allocation` model a brief's option carries: a budget over
/// three countries' SDR 2023 goal scores, every unit spent, no country above its cap, the
/// binding constraints said in words; the same plan's amount for a country in a brief.
#[test]
fn an_allocation_plan_and_a_brief_option_carrying_it() {
    let d = common::synced_only("sdg");
    let plan = "budget 100; countries TCD,NER,MLI; returns 0.5x10,0.25x10; cap 40";
    let run = |args: &[&str], input: &str| {
        use std::io::Write;
        let mut c = common::isolated(d.path(), args).spawn().unwrap();
        c.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        let o = c.wait_with_output().unwrap();
        assert!(o.status.success(), "attache {args:?}: {}", stderr(&o));
        stdout(&o)
    };
    let csv = rows(&run(
        &["sdg", "allocate", "--plan", plan, "--format", "csv"],
        "",
    ));
    assert_eq!(csv.len(), 3);
    let total: f64 = csv.iter().map(|r| num(r, "amount").unwrap()).sum();
    assert!((total - 100.0).abs() < 1e-6, "{total}");
    assert!(csv.iter().all(|r| num(r, "amount").unwrap() <= 40.0 + 1e-9));
    let table = run(&["sdg", "allocate", "--plan", plan], "");
    assert!(
        table.contains("The whole budget of 100.00 is used"),
        "{table}"
    );
    run(&["keys", "init"], "");
    run(
        &[
            "user",
            "add",
            "sam",
            "--role",
            "analyst",
            "--clearance",
            "restricted",
        ],
        "a long enough password\n",
    );
    assert!(run(&["brief", "models"], "").contains("allocation  (simulation)"));
    let id = run(
        &[
            "brief",
            "create",
            "--as",
            "sam",
            "--title",
            "Where to spend a development budget",
            "--question",
            "How should 100 units be split across the Sahel?",
            "--classification",
            "restricted",
            "--option",
            "Spend by the plan",
            "--option",
            "Split the budget equally",
        ],
        "",
    );
    let chad = csv.iter().find(|r| r["iso3"] == "TCD").unwrap();
    run(
        &[
            "brief",
            "predict",
            id.trim(),
            "--as",
            "sam",
            "--model",
            "allocation",
            "--country",
            "TCD",
            "--quantity",
            "allocation_amount",
            "--scenario",
            plan,
            "--option",
            "1",
        ],
        "",
    );
    let show = run(&["brief", "show", id.trim(), "--as", "sam"], "");
    assert!(show.contains("sdg-allocation"), "{show}");
    let lines: Vec<&str> = show.lines().filter(|l| l.contains("predicted: ")).collect();
    assert_eq!(lines.len(), 1, "{show}");
    assert!(
        lines[0].contains("money the allocation gives TCD") && lines[0].contains("money units"),
        "{show}"
    );
    assert_eq!(num(chad, "amount"), Some(40.0), "Chad gets its cap");
    // A negotiation proposal as an option: its predicted acceptability, with an interval.
    run(
        &[
            "brief",
            "predict",
            id.trim(),
            "--as",
            "sam",
            "--model",
            "negotiation",
            "--quantity",
            "acceptability",
            "--scenario",
            "parties AUT,USA",
            "--option",
            "2",
        ],
        "",
    );
    let show = run(&["brief", "show", id.trim(), "--as", "sam"], "");
    let line = show
        .lines()
        .find(|l| l.contains("predicted: ") && l.contains("share of actors in laws-ccw"))
        .unwrap_or_else(|| panic!("{show}"));
    assert!(show.contains("negotiation-proposal"), "{show}");
    assert!(line.contains("share of actors"), "{line}");
}

//! `attache climate`: the emulator without a store, and the policy reports on a synced mirror.

mod common;

use common::{attache, mirror, stderr, stdout, synced};

fn run_ok(args: &[&str]) -> String {
    let o = attache(args);
    assert!(o.status.success(), "{args:?} failed:\n{}", stderr(&o));
    stdout(&o)
}

/// `year,temperature_c,co2_ppm[,quantiles]` rows of a CSV output.
fn csv_rows(text: &str) -> (Vec<String>, Vec<Vec<f64>>) {
    let mut lines = text.lines();
    let header = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    let rows = lines
        .map(|l| l.split(',').map(|c| c.parse::<f64>().unwrap()).collect())
        .collect();
    (header, rows)
}

fn row(rows: &[Vec<f64>], year: f64) -> &Vec<f64> {
    rows.iter().find(|r| r[0] == year).unwrap()
}

/// Golden values of FaIR 1.6.4 (crates/climate/tests/golden.rs) through the CLI.
fn check_warming(scenario: &str, params: &str, year: f64, temp: f64, co2: f64) {
    let out = run_ok(&[
        "climate",
        "warming",
        "--scenario",
        scenario,
        "--params",
        params,
        "--format",
        "csv",
    ]);
    let (header, rows) = csv_rows(&out);
    assert_eq!(header, ["year", "temperature_c", "co2_ppm"]);
    assert_eq!(rows.first().unwrap()[0], 1850.0);
    assert_eq!(rows.last().unwrap()[0], 2100.0);
    let r = row(&rows, year);
    assert!(
        (r[1] - temp).abs() < 0.001,
        "{scenario} {params} {year}: T {} vs {temp}",
        r[1]
    );
    assert!(
        (r[2] - co2).abs() < 0.01,
        "{scenario} {params} {year}: CO2 {} vs {co2}",
        r[2]
    );
}

#[test]
fn warming_needs_no_store() {
    check_warming("rcp26", "fair16", 2100.0, 1.452444, 427.408894);
    check_warming("rcp45", "fair16", 2100.0, 2.291492, 551.223934);
    check_warming("rcp85", "fair16", 2100.0, 4.305027, 977.856420);
    check_warming("ssp245", "fair16", 2100.0, 2.686556, 596.035670);
}

#[test]
fn calibrated_ssps_in_json() {
    for (ssp, ar6) in [("ssp119", 1.4), ("ssp245", 2.7), ("ssp585", 4.4)] {
        let out = run_ok(&[
            "climate",
            "warming",
            "--scenario",
            ssp,
            "--params",
            "calibrated",
            "--format",
            "json",
        ]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let w = v["warming_2081_2100"].as_f64().unwrap();
        assert!((w - ar6).abs() <= 0.15, "{ssp}: {w} vs AR6 {ar6}");
        assert_eq!(v["year"].as_array().unwrap().len(), 251);
    }
}

#[test]
fn ensemble_quantile_columns() {
    let out = run_ok(&[
        "climate",
        "warming",
        "--scenario",
        "rcp45",
        "--ensemble",
        "40",
        "--seed",
        "3",
        "--format",
        "csv",
        "--from",
        "2090",
    ]);
    let (header, rows) = csv_rows(&out);
    assert_eq!(
        header,
        [
            "year",
            "temperature_c",
            "co2_ppm",
            "temperature_p05",
            "temperature_p17",
            "temperature_p50",
            "temperature_p83",
            "temperature_p95"
        ]
    );
    assert_eq!(rows.len(), 11);
    for r in &rows {
        assert!(
            r[3..].windows(2).all(|w| w[0] <= w[1]),
            "quantiles out of order: {r:?}"
        );
    }
    let again = run_ok(&[
        "climate",
        "warming",
        "--scenario",
        "rcp45",
        "--ensemble",
        "40",
        "--seed",
        "3",
        "--format",
        "csv",
        "--from",
        "2090",
    ]);
    assert_eq!(out, again, "same seed, same bytes");
}

#[test]
fn scenario_files() {
    let m = mirror();
    let rcp = m.join("rcp-fair/RCP45_EMISSIONS.csv");
    let from_file = run_ok(&[
        "climate",
        "warming",
        "--scenario",
        rcp.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    let builtin = run_ok(&[
        "climate",
        "warming",
        "--scenario",
        "rcp45",
        "--format",
        "csv",
    ]);
    assert_eq!(from_file, builtin);
    let rcmip = m.join("rcp-fair/rcmip-emissions-annual-means-5-1-0-ssp-only.csv");
    let o = attache(&["climate", "warming", "--scenario", rcmip.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("--rcmip-scenario"), "{}", stderr(&o));
    let ssp = run_ok(&[
        "climate",
        "warming",
        "--scenario",
        rcmip.to_str().unwrap(),
        "--rcmip-scenario",
        "ssp245",
        "--format",
        "csv",
    ]);
    assert_eq!(
        ssp,
        run_ok(&[
            "climate",
            "warming",
            "--scenario",
            "ssp245",
            "--format",
            "csv"
        ])
    );
    let o = attache(&["climate", "warming", "--scenario", "rcp99"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("neither a built-in scenario"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn pledges_compare_three_scenarios() {
    let d = synced().to_str().unwrap();
    let out = run_ok(&[
        "climate",
        "pledges",
        "--data-dir",
        d,
        "--ensemble",
        "20",
        "--format",
        "json",
        "--edit",
        "CHN=peak:2025,decline:4,netzero:2060",
        "--edit",
        "USA=netzero:2050",
        "--edit",
        "IND=netzero:2070",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let sc = v["scenarios"].as_array().unwrap();
    assert_eq!(sc.len(), 3);
    let w: Vec<f64> = sc
        .iter()
        .map(|s| s["outcome"]["warming_end"].as_f64().unwrap())
        .collect();
    assert!(
        w[0] > w[1] && w[1] > w[2],
        "current policies > NDCs > user: {w:?}"
    );
    for s in sc {
        let o = &s["outcome"];
        assert!((1.0..5.0).contains(&o["warming_end"].as_f64().unwrap()));
        assert_eq!(o["budgets"].as_array().unwrap().len(), 4);
        assert!(
            o["co2_ppm"]
                .as_array()
                .unwrap()
                .last()
                .unwrap()
                .as_f64()
                .unwrap()
                > 400.0
        );
    }
    let text = run_ok(&["climate", "pledges", "--data-dir", d, "--ensemble", "0"]);
    assert!(
        text.contains("current policies") && text.contains("NDCs"),
        "{text}"
    );
    let o = attache(&[
        "climate",
        "pledges",
        "--data-dir",
        d,
        "--edit",
        "CHN=speed:3",
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("unknown key `speed`"), "{}", stderr(&o));
}

/// The ten largest emitters: history, target, gap and band, and the JSON carries the same
/// numbers as the text.
#[test]
fn country_reports_for_the_largest_emitters() {
    let d = synced().to_str().unwrap();
    let top = common::sql(
        synced(),
        "select iso3 from emissions where source = 'cdiac' and sector = 'Total' and year = 2019 and iso3 is not null order by value desc limit 10",
    );
    let top: Vec<&str> = top.lines().skip(1).collect();
    assert_eq!(top.len(), 10);
    assert_eq!(&top[..3], ["CHN", "USA", "IND"]);
    for iso3 in top {
        let text = run_ok(&["climate", "country", iso3, "--data-dir", d]);
        for want in [
            "Fossil CO2, Mt/yr",
            "Trend to 2019",
            "NDC:",
            "Fair share in 2030",
            "overall:",
        ] {
            assert!(text.contains(want), "{iso3}: no {want:?} in\n{text}");
        }
        let v: serde_json::Value = serde_json::from_str(&run_ok(&[
            "climate",
            "country",
            iso3,
            "--data-dir",
            d,
            "--format",
            "json",
        ]))
        .unwrap();
        let band = v["rating"]["overall"].as_str().unwrap();
        assert!(
            text.contains(&format!("overall:                    {band}")),
            "{iso3}"
        );
        match v["target"]["mt_co2"].as_f64() {
            Some(t) => {
                let gap = v["gap_mt_co2"].as_f64().unwrap();
                assert!(
                    text.contains(&format!(": {t:.0} Mt CO2")),
                    "{iso3}: target {t:.0} not in\n{text}"
                );
                assert!(
                    text.contains(&format!("gap {gap:+.0} Mt")),
                    "{iso3}: gap {gap:+.0} not in\n{text}"
                );
            }
            None => assert!(text.contains("no quantified target"), "{iso3}"),
        }
    }
    // Russia's inventory starts in 1992: the 1990 base year moves and says so.
    let rus = run_ok(&["climate", "country", "RUS", "--data-dir", d]);
    assert!(rus.contains("base taken from 1992"), "{rus}");
    let edited = run_ok(&[
        "climate",
        "country",
        "SAU",
        "--data-dir",
        d,
        "--edit",
        "base:2019,cut:30,by:2030",
    ]);
    assert!(edited.contains("30% below 2019 by 2030"), "{edited}");
}

#[test]
fn blocs() {
    let d = synced().to_str().unwrap();
    let list = run_ok(&["climate", "bloc", "list", "--data-dir", d]);
    assert!(
        list.contains("european-union") && list.contains("aosis"),
        "{list}"
    );
    for id in ["european-union", "g20", "aosis", "ldc"] {
        let v: serde_json::Value = serde_json::from_str(&run_ok(&[
            "climate",
            "bloc",
            id,
            "--data-dir",
            d,
            "--format",
            "json",
        ]))
        .unwrap();
        assert!(v["members"].as_array().unwrap().len() >= 5, "{id}");
        assert!(v["target_mt_co2"].as_f64().unwrap() > 0.0, "{id}");
    }
    let o = attache(&["climate", "bloc", "no-such-bloc", "--data-dir", d]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("unknown bloc"), "{}", stderr(&o));
}

#[test]
fn policy_commands_need_a_store() {
    let empty = tempfile::tempdir().unwrap();
    let o = attache(&[
        "climate",
        "country",
        "CHN",
        "--data-dir",
        empty.path().to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("sync"), "{}", stderr(&o));
}

/// `--constraint observed`: members consistent with AR6's observed 2011–2020 warming; the
/// constrained 2011–2020 range is narrower than the unconstrained one and holds 1.09 K, and the
/// flag needs an ensemble.
#[test]
fn constrained_ensembles() {
    let q = |constraint: &str| -> (f64, f64) {
        let out = run_ok(&[
            "climate",
            "warming",
            "--scenario",
            "ssp245",
            "--params",
            "calibrated",
            "--ensemble",
            "200",
            "--seed",
            "1",
            "--constraint",
            constraint,
            "--format",
            "json",
            "--from",
            "2011",
            "--to",
            "2020",
        ]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["ensemble"]["constraint"], constraint);
        let qs = v["ensemble"]["temperature_quantiles"].as_array().unwrap();
        let mean =
            |k: usize| qs.iter().map(|r| r[k].as_f64().unwrap()).sum::<f64>() / qs.len() as f64;
        (mean(0), mean(4))
    };
    let (lo, hi) = q("none");
    let (clo, chi) = q("observed");
    assert!(
        chi - clo < 0.6 * (hi - lo),
        "constrained 5–95% {clo:.3}–{chi:.3} vs prior {lo:.3}–{hi:.3}"
    );
    assert!(
        clo < 1.09 && 1.09 < chi,
        "constrained range {clo:.3}–{chi:.3} misses AR6's 1.09 K"
    );
    let text = run_ok(&[
        "climate",
        "warming",
        "--scenario",
        "ssp245",
        "--ensemble",
        "50",
        "--constraint",
        "observed",
        "--from",
        "2100",
    ]);
    assert!(
        text.contains("ensemble constrained by") && text.contains("candidates kept"),
        "{text}"
    );
    let o = attache(&[
        "climate",
        "warming",
        "--scenario",
        "ssp245",
        "--constraint",
        "observed",
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("needs --ensemble N"), "{}", stderr(&o));
}

/// The rating method's disagreements with published Climate Action Tracker ratings, as listed
/// in docs/CLIMATE_METHOD.md (section 4, between the `ratings` markers; the method page renders
/// it): every row of `docs/data/published_ratings.csv` (the published rating, its date, what
/// was rated and the source) beside our overall band for the same country, computed here from
/// the mirror. The document must equal what this computes (regenerate with UPDATE_DOCS=1), so
/// the list cannot go stale silently.
#[test]
fn rating_disagreements_are_listed_in_the_method() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let csv = std::fs::read_to_string(root.join("docs/data/published_ratings.csv")).unwrap();
    let d = synced().to_str().unwrap();
    let order = [
        "1.5°C compatible",
        "Almost sufficient",
        "Insufficient",
        "Highly insufficient",
        "Critically insufficient",
    ];
    let rank = |b: &str| {
        order
            .iter()
            .position(|x| *x == b)
            .unwrap_or_else(|| panic!("band {b:?}"))
    };
    let mut rows = Vec::new();
    let (mut same, mut kinder, mut harsher) = (0, 0, 0);
    for line in csv.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.splitn(5, ',').collect();
        assert_eq!(f.len(), 5, "published_ratings.csv: {line}");
        let (iso3, published, assessed, what, source) = (f[0], f[1], f[2], f[3], f[4]);
        let out = run_ok(&[
            "climate",
            "country",
            iso3,
            "--format",
            "json",
            "--data-dir",
            d,
        ]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let ours = v["rating"]["overall"]
            .as_str()
            .unwrap_or("not rated")
            .to_string();
        let name = v["name"].as_str().unwrap_or(iso3).to_string();
        let verdict = if ours == "not rated" {
            "not rated by us".to_string()
        } else {
            match rank(&ours).cmp(&rank(published)) {
                std::cmp::Ordering::Equal => {
                    same += 1;
                    "same band".to_string()
                }
                std::cmp::Ordering::Less => {
                    kinder += 1;
                    format!("ours {} band(s) kinder", rank(published) - rank(&ours))
                }
                std::cmp::Ordering::Greater => {
                    harsher += 1;
                    format!("ours {} band(s) harsher", rank(&ours) - rank(published))
                }
            }
        };
        rows.push(format!(
            "| {name} | {ours} | {published} | {assessed}, {what} | {verdict} | [source]({source}) |"
        ));
    }
    let table = format!(
        "Of {} published ratings, ours puts {same} in the same band, {kinder} in a kinder band and {harsher} in a harsher one.\n\n| country | ours (first-NDC CO2 content) | published | date, what was rated | agreement | source |\n|---|---|---|---|---|---|\n{}\n",
        rows.len(),
        rows.join("\n")
    );
    let doc_path = root.join("docs/CLIMATE_METHOD.md");
    let doc = std::fs::read_to_string(&doc_path).unwrap();
    let (start, end) = ("<!-- ratings:start -->\n", "<!-- ratings:end -->");
    let a = doc
        .find(start)
        .expect("the ratings markers in docs/CLIMATE_METHOD.md")
        + start.len();
    let b = doc.find(end).unwrap();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&doc_path, format!("{}{table}{}", &doc[..a], &doc[b..])).unwrap();
    } else {
        assert_eq!(
            doc[a..b],
            table,
            "docs/CLIMATE_METHOD.md's rating list is stale (run with UPDATE_DOCS=1)"
        );
    }
}

/// `attache climate import`: a newer NDC table in the documented schema changes the rated
/// pledge, names its round and date, publishes a new vintage on the audit record, survives a
/// later sync, and bad input names file, line and value without publishing anything.
#[test]
fn imported_pledges_are_checked_recorded_and_kept() {
    let dir = common::synced_only("cdiac,worldbank-wdi,ndc,countrygroups");
    let d = dir.path().to_str().unwrap();
    let csv = dir.path().join("ndc3.csv");
    let run = |args: &[&str]| {
        let mut a = args.to_vec();
        a.extend(["--data-dir", d]);
        attache(&a)
    };
    let vintages = || stdout(&run(&["vintages", "list"])).lines().count();
    std::fs::write(
        &csv,
        "iso3,pledge,round,submitted,source\nCanada,\"base:2005,cut:45,by:2035,netzero:2050\",NDC 3.0,2025-02-12,https://unfccc.int/NDCREG\n",
    )
    .unwrap();
    // Without keys an import cannot be on the record: refused, nothing published.
    let before = vintages();
    let o = run(&["climate", "import", csv.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("attache keys init"), "{}", stderr(&o));
    assert_eq!(vintages(), before);
    assert!(run(&["keys", "init"]).status.success());
    let was = stdout(&run(&["climate", "country", "CAN"]));
    assert!(!was.contains("import:"), "{was}");
    let o = run(&["climate", "import", csv.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("imported 1 pledge(s)"),
        "{}",
        stdout(&o)
    );
    assert_eq!(vintages(), before + 1, "a new vintage");
    let now = stdout(&run(&["climate", "country", "CAN"]));
    assert!(
        now.contains("NDC: 45% below 2005 by 2035, net zero 2050")
            && now.contains(
                "read from import: NDC 3.0, submitted 2025-02-12 (https://unfccc.int/NDCREG)"
            ),
        "{now}"
    );
    let log = stdout(&run(&["audit", "log"]));
    assert!(
        log.contains("pledges.import") && log.contains("parties=CAN"),
        "{log}"
    );
    assert!(run(&["audit", "verify"]).status.success());
    // A later sync keeps the import (the deployment's own data, not a publisher's).
    let m = mirror();
    let o = run(&[
        "sync",
        "--mirror",
        m.to_str().unwrap(),
        "--only",
        "cdiac,worldbank-wdi,ndc,countrygroups",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&run(&["climate", "country", "CAN"])).contains("import: NDC 3.0"));
    let shown = stdout(&run(&["vintages", "show"]));
    assert!(
        shown.contains("ndc-import"),
        "the lockfile names the imported file: {shown}"
    );
    // Bad input: file, line, column and value; nothing published.
    let before = vintages();
    for (text, says) in [
        ("", "the file is empty"),
        (
            "iso3,pledge,round,submitted,source\nQQQ,peak:2030,x,2025-01-01,y\n",
            "ndc3.csv:2: iso3 \"QQQ\"",
        ),
        (
            "iso3,pledge,round,submitted,source\nCAN,speed:9,x,2025-01-01,y\n",
            "ndc3.csv:2: pledge \"speed:9\"",
        ),
        (
            "iso3,pledge,round,submitted,source\nATA,netzero:2050,x,2025-01-01,y\n",
            "no fossil-CO2 history",
        ),
    ] {
        std::fs::write(&csv, text).unwrap();
        let o = run(&["climate", "import", csv.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{text}");
        assert!(stderr(&o).contains(says), "{text}: {}", stderr(&o));
    }
    assert_eq!(vintages(), before);
}

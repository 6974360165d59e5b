//! `attache brief` end to end, the scripted workflow of issue 5 through the binary: an analyst
//! creates a confidential brief with two options; a restricted-clearance user and the anonymous
//! visitor cannot read it; the analyst cannot decide; a diplomat cannot decide without the
//! password or without a rationale, and can with both; the decided brief is immutable and
//! amendments are new entries; no text of the brief is in clear in any file under the data dir;
//! `attache audit verify` passes, and fails after one audit row is edited. Also: key rotation
//! with `attache keys rotate`, `attache brief rewrap`, `attache keys retire`. And predicted
//! outcomes: the conflict forecast from a stored run, and climate scenarios (the NDCs, and the
//! NDCs with edits) from the emulator on a store synced from the mirror.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::isolated;

const PASSWORD: &str = "correct horse battery staple";

/// Runs `attache ARGS --data-dir DATA` with `input` on standard input, without any secrets
/// variables of the calling environment.
fn run(data: &Path, args: &[&str], input: &str) -> Output {
    let mut child = isolated(data, args).spawn().expect("running attache");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Runs a command and checks the outcome: `Ok(needle)` = success with `needle` in the output,
/// `Err(needle)` = failure with `needle` in the output. Returns standard output.
fn check(data: &Path, args: &[&str], input: &str, expect: Result<&str, &str>) -> String {
    let o = run(data, args, input);
    let all = text(&o);
    match expect {
        Ok(needle) => assert!(
            o.status.success() && all.contains(needle),
            "attache {args:?}: want success with {needle:?}:\n{all}"
        ),
        Err(needle) => assert!(
            !o.status.success() && all.contains(needle),
            "attache {args:?}: want failure with {needle:?}:\n{all}"
        ),
    }
    assert!(
        !all.contains(PASSWORD),
        "attache {args:?} echoed a password"
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn add_user(data: &Path, name: &str, role: &str, clearance: &str) {
    check(
        data,
        &[
            "user",
            "add",
            name,
            "--role",
            role,
            "--clearance",
            clearance,
        ],
        &format!("{PASSWORD}\n"),
        Ok("added user"),
    );
}

/// A data dir with keys and the users of the script.
fn setup() -> (tempfile::TempDir, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let data = d.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    check(&data, &["keys", "init"], "", Ok("vault keyring"));
    add_user(&data, "ana", "analyst", "confidential");
    add_user(&data, "rita", "analyst", "restricted");
    add_user(&data, "dora", "diplomat", "confidential");
    add_user(&data, "adam", "admin", "secret");
    (d, data)
}

const TITLE: &str = "Embassy posture after the Bluefin incident";
const QUESTION: &str = "Should the ministry recall its ambassador from Arcadia?";
const OPTION_A: &str = "Recall the ambassador: for consultations, signalling displeasure";
const OPTION_B: &str = "Keep the embassy open: quiet diplomacy through the envoy";
const RATIONALE: &str = "Quiet diplomacy keeps the channel to Arcadia open at lower risk.";

fn create(data: &Path, who: &str, level: &str) -> String {
    let out = check(
        data,
        &[
            "brief",
            "create",
            "--as",
            who,
            "--title",
            TITLE,
            "--question",
            QUESTION,
            "--classification",
            level,
            "--option",
            OPTION_A,
            "--option",
            OPTION_B,
        ],
        "",
        Ok(""),
    );
    out.trim().to_string()
}

/// Every file under `dir` whose bytes contain one of `needles`.
fn scan(dir: &Path, needles: &[&str]) -> Vec<String> {
    let mut hits = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let bytes = std::fs::read(&p).unwrap();
            for n in needles {
                if bytes.windows(n.len()).any(|w| w == n.as_bytes()) {
                    hits.push(format!("{}: {n}", p.display()));
                }
            }
        }
    }
    hits
}

#[test]
fn scripted_workflow_through_the_cli() {
    let (d, data) = setup();
    let id = create(&data, "ana", "confidential");
    assert_eq!(id, "1");

    // A restricted user and the anonymous visitor: not listed, not found, not exportable.
    let out = check(
        &data,
        &["brief", "list", "--as", "rita"],
        "",
        Ok("0 of 0 brief(s)"),
    );
    assert!(!out.contains("Bluefin"), "{out}");
    check(&data, &["brief", "list"], "", Ok("0 of 0 brief(s)"));
    check(
        &data,
        &["brief", "show", &id, "--as", "rita"],
        "",
        Err("brief 1 not found"),
    );
    check(&data, &["brief", "show", &id], "", Err("brief 1 not found"));
    let html = d.path().join("brief-1.html");
    check(
        &data,
        &[
            "brief",
            "export",
            &id,
            "--as",
            "rita",
            "--out",
            html.to_str().unwrap(),
        ],
        "",
        Err("brief 1 not found"),
    );
    assert!(!html.exists());
    check(
        &data,
        &["brief", "show", &id, "--as", "nobody"],
        "",
        Err("no user named \"nobody\""),
    );
    let out = check(
        &data,
        &["brief", "list", "--as", "ana"],
        "",
        Ok("1 of 1 brief(s)"),
    );
    assert!(out.contains(TITLE), "{out}");

    // A draft is not decided: the error says how to get it to review.
    check(
        &data,
        &[
            "brief",
            "decide",
            &id,
            "--as",
            "dora",
            "--option",
            "1",
            "--rationale",
            RATIONALE,
        ],
        &format!("{PASSWORD}\n"),
        Err(&format!(
            "brief {id} cannot go from draft to decided: submit it first: attache brief submit {id} --as NAME"
        )),
    );

    // The analyst cannot decide, even with the right password.
    check(
        &data,
        &["brief", "submit", &id, "--as", "ana"],
        "",
        Ok("in review"),
    );
    let decide = |who: &str, option: &str, rationale: &str, input: &str, expect| {
        check(
            &data,
            &[
                "brief",
                "decide",
                &id,
                "--as",
                who,
                "--option",
                option,
                "--rationale",
                rationale,
            ],
            input,
            expect,
        )
    };
    let pw = format!("{PASSWORD}\n");
    decide("ana", "2", RATIONALE, &pw, Err("needs the role diplomat"));
    // The diplomat: not without the password, not without a rationale.
    decide(
        "dora",
        "2",
        RATIONALE,
        "wrong password entirely\n",
        Err("wrong password for \"dora\""),
    );
    decide(
        "dora",
        "2",
        RATIONALE,
        "",
        Err("no password on standard input"),
    );
    decide(
        "dora",
        "2",
        "",
        &pw,
        Err("a decision needs a written rationale"),
    );
    decide(
        "dora",
        "2",
        "   ",
        &pw,
        Err("a decision needs a written rationale"),
    );
    decide(
        "dora",
        "3",
        RATIONALE,
        &pw,
        Err("option index 2 does not exist"),
    );
    decide("dora", "0", RATIONALE, &pw, Err("numbered from 1"));
    check(
        &data,
        &["brief", "decide", &id, "--rationale", RATIONALE],
        &pw,
        Err("--option"),
    );
    let out = check(
        &data,
        &["brief", "show", &id, "--as", "dora"],
        "",
        Ok("review"),
    );
    assert!(out.contains("Decision:\n  none recorded"), "{out}");
    decide("dora", "2", RATIONALE, &pw, Ok("brief 1 decided: option 2"));

    let out = check(
        &data,
        &["brief", "show", &id, "--as", "ana"],
        "",
        Ok("decided"),
    );
    assert!(
        out.starts_with("==== CONFIDENTIAL ====\n") && out.ends_with("==== CONFIDENTIAL ====\n"),
        "{out}"
    );
    assert!(out.contains("2. Keep the embassy open  <- chosen"), "{out}");
    assert!(out.contains(&format!("rationale: {RATIONALE}")), "{out}");

    // Immutable: no second decision, no way back; amendments are new, linked briefs.
    decide(
        "dora",
        "1",
        "Changed my mind.",
        &pw,
        Err("cannot go from decided to decided"),
    );
    check(
        &data,
        &["brief", "submit", &id, "--as", "ana"],
        "",
        Err("cannot go from decided to review"),
    );
    let amended = check(
        &data,
        &[
            "brief",
            "amend",
            &id,
            "--as",
            "ana",
            "--title",
            "Amended posture",
            "--question",
            QUESTION,
            "--classification",
            "confidential",
            "--option",
            "A",
            "--option",
            "B",
        ],
        "",
        Ok("2"),
    );
    assert_eq!(amended.trim(), "2");
    check(
        &data,
        &["brief", "show", "2", "--as", "ana"],
        "",
        Ok("Amends brief 1"),
    );
    check(
        &data,
        &["brief", "show", "1", "--as", "ana"],
        "",
        Ok("Amended by brief(s) 2"),
    );

    // Export: outside the data dir only; banners top and bottom.
    check(
        &data,
        &[
            "brief",
            "export",
            &id,
            "--as",
            "dora",
            "--out",
            data.join("x.html").to_str().unwrap(),
        ],
        "",
        Err("inside the data dir"),
    );
    check(
        &data,
        &[
            "brief",
            "export",
            &id,
            "--as",
            "dora",
            "--out",
            html.to_str().unwrap(),
        ],
        "",
        Ok("wrote"),
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert_eq!(page.matches(">CONFIDENTIAL</div>").count(), 2, "{page}");
    assert!(page.contains(RATIONALE) && !page.contains("<script"));

    // Nothing of the brief in clear under the data dir (database, WAL, keys, logs).
    let needles = [
        TITLE,
        QUESTION,
        "Recall the ambassador",
        "for consultations, signalling",
        "Keep the embassy open",
        "quiet diplomacy through",
        RATIONALE,
        "Amended posture",
        "Bluefin",
    ];
    assert_eq!(scan(&data, &needles), Vec::<String>::new());
    // (The scan does find what is there: the export outside the data dir has it all.)
    assert_eq!(scan(d.path(), &[TITLE]).len(), 1);

    // The audit log verifies, and fails after one row is edited.
    check(&data, &["audit", "verify"], "", Ok("verified"));
    let c = rusqlite::Connection::open(data.join("attache.db")).unwrap();
    let decision_idx: i64 = c
        .query_row(
            "SELECT idx FROM audit_entries WHERE action = 'decision'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    c.execute(
        "UPDATE audit_entries SET actor = 'ana' WHERE idx = ?1",
        [decision_idx],
    )
    .unwrap();
    drop(c);
    check(
        &data,
        &["audit", "verify"],
        "",
        Err(&format!("entry {decision_idx}: altered")),
    );
}

#[test]
fn key_rotation_through_the_cli() {
    let (d, data) = setup();
    let id = create(&data, "ana", "confidential");
    let keys = check(&data, &["keys", "list"], "", Ok("active"));
    let old = keys
        .lines()
        .find(|l| l.contains("active"))
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    check(&data, &["keys", "rotate"], "", Ok("decrypt-only"));
    check(
        &data,
        &["brief", "rewrap", "--as", "ana"],
        "",
        Err("needs the role admin"),
    );
    let out = check(
        &data,
        &["brief", "rewrap", "--as", "adam"],
        "",
        Ok("resealed 1 ciphertext(s)"),
    );
    assert!(!out.contains(&old), "{out}");
    check(&data, &["keys", "retire", &old], "", Ok("retired"));
    check(&data, &["brief", "show", &id, "--as", "ana"], "", Ok(TITLE));
    check(&data, &["audit", "verify"], "", Ok("verified"));
    drop(d);
}

#[test]
fn predictions_from_a_stored_forecast_run() {
    use attache_core::MonthId;
    use attache_store::{CountryOutlook, ForecastRun, ForecastStore, MonthOutlook, RunMeta};
    let (d, data) = setup();
    let id = create(&data, "ana", "restricted");
    // No run stored yet: a clear error.
    check(
        &data,
        &["brief", "predict", &id, "--as", "ana", "--country", "SDN"],
        "",
        Err("run `attache forecast run` first"),
    );
    // A run in the layout `attache forecast run` writes (crates/cli/src/forecast_cmd/live.rs).
    let months = (539..=552)
        .map(|m| MonthOutlook {
            iso3: "SDN".into(),
            views_id: 245,
            month_id: MonthId(m),
            median: 150.0,
            q05: 3.0,
            q25: 40.0,
            q75: 420.0,
            q95: 1500.0,
            p_ge_25: 0.81,
        })
        .collect();
    let run = ForecastRun {
        meta: RunMeta {
            label: "Reference forecast".into(),
            as_of: "2024-10".into(),
            months: ["2024-11".into(), "2025-12".into()],
            vintage: "20250101T000000Z-abcd".into(),
            model: "attache-gbt-hurdle".into(),
            model_version: "0.1.0".into(),
            seed: 7,
            draws: 1000,
            novelty_label: "reference only".into(),
        },
        countries: vec![CountryOutlook {
            iso3: "SDN".into(),
            views_id: 245,
            name: "Sudan".into(),
            p_any_ge25_next12: Some(0.97),
            worst_recent_month: None,
            novelty: None,
            drivers: vec![],
        }],
        months,
    };
    ForecastStore::new(&data).save(&run).unwrap();
    check(
        &data,
        &["brief", "predict", &id, "--as", "ana", "--country", "SDN"],
        "",
        Ok("probability 97.0%"),
    );
    check(
        &data,
        &[
            "brief",
            "predict",
            &id,
            "--as",
            "ana",
            "--country",
            "SDN",
            "--quantity",
            "deaths_month",
            "--month",
            "2024-12",
            "--option",
            "2",
        ],
        "",
        Ok("90% interval 3.00 to 1500"),
    );
    let out = check(
        &data,
        &["brief", "show", &id, "--as", "ana"],
        "",
        Ok("machine-written"),
    );
    assert_eq!(out.matches("predicted: ").count(), 3, "{out}");
    assert!(
        out.contains("[forecast] P(>= 25 state-based battle deaths"),
        "{out}"
    );
    assert!(
        out.contains("assumes: The forecast does not model the effect of any option"),
        "{out}"
    );
    check(
        &data,
        &["brief", "predict", &id, "--as", "ana", "--country", "FRA"],
        "",
        Err("not in the forecast run"),
    );
    drop(d);
}

/// The median in a `predicted:` line of `brief show` ("...: median 2.65 K (°C) ...").
fn median_of(line: &str) -> f64 {
    let rest = line
        .split_once(": median ")
        .unwrap_or_else(|| panic!("no median in {line:?}"))
        .1;
    rest.split_whitespace().next().unwrap().parse().unwrap()
}

/// Issue 6: two options carrying climate scenarios (the NDCs; the NDCs with China and the
/// United States at net zero by 2050), warming in 2100 from a small seeded ensemble on the
/// synced mirror; the edited option warms less; bad scenarios and flags fail clearly.
#[test]
fn climate_scenarios_as_predicted_outcomes() {
    let (d, data) = setup();
    let mirror = common::mirror();
    check(
        &data,
        &["sync", "--mirror", mirror.to_str().unwrap()],
        "",
        Ok(""),
    );
    let id = create(&data, "ana", "restricted");
    let predict = |scenario: &str, option: &str, expect| {
        check(
            &data,
            &[
                "brief",
                "predict",
                &id,
                "--as",
                "ana",
                "--model",
                "climate",
                "--scenario",
                scenario,
                "--quantity",
                "warming",
                "--year",
                "2100",
                "--members",
                "50",
                "--option",
                option,
            ],
            "",
            expect,
        )
    };
    let edited = "ndcs+CHN=netzero:2050;USA=netzero:2050";
    predict("ndcs", "1", Ok("NDCs: every country meets its NDC"));
    predict(
        edited,
        "2",
        Ok("NDCs with edits (CHN=netzero:2050; USA=netzero:2050)"),
    );

    let out = check(
        &data,
        &["brief", "show", &id, "--as", "ana"],
        "",
        Ok("machine-written"),
    );
    let predicted: Vec<&str> = out.lines().filter(|l| l.contains("predicted: ")).collect();
    assert_eq!(predicted.len(), 2, "{out}");
    for line in &predicted {
        assert!(
            line.contains("global warming (global surface air temperature vs 1850–1900) in 2100")
                && line.contains("K (°C) above 1850–1900 (90% interval")
                && line.contains("model attache-climate (FaIR 1.6.4 port)"),
            "{line}"
        );
    }
    let (ndcs, net_zero) = (median_of(predicted[0]), median_of(predicted[1]));
    eprintln!("2100 warming medians: ndcs {ndcs}, {edited} {net_zero}");
    assert!(
        predicted[0].contains("(NDCs: every country meets its NDC)"),
        "{out}"
    );
    assert!(predicted[1].contains("(NDCs with edits"), "{out}");
    assert!(net_zero < ndcs, "net zero {net_zero} vs NDCs {ndcs}\n{out}");
    assert!((1.0..5.0).contains(&ndcs), "{ndcs}");
    for want in [
        "[simulation] global warming",
        "(source attache-climate ensemble: scenario ndcs (reference ssp245), params calibrated-hist, 50 members, seed 20151212, store vintage ",
        "assumes: National fossil CO2 only",
        "assumes: Pledges as edited: CHN: ",
        "net zero 2050; USA: ",
        "not constrained by observed warming",
    ] {
        assert!(out.contains(want), "no {want:?} in\n{out}");
    }

    // Bad scenarios and flags: non-zero, saying why, and nothing added.
    predict("ndcs+CHN=speed:3", "1", Err("unknown key `speed`"));
    predict(
        "ndcs+XYZ=netzero:2050",
        "1",
        Err("unknown country (no emissions history) `XYZ`"),
    );
    predict(
        "ssp999",
        "1",
        Err("scenario \"ssp999\" is not modelled (supported: ssp119"),
    );
    let brief = ["brief", "predict", id.as_str(), "--as", "ana"];
    for (extra, needle) in [
        (
            &["--model", "climate"][..],
            "--model climate needs --scenario",
        ),
        (
            &[
                "--model",
                "climate",
                "--scenario",
                "ssp245",
                "--country",
                "CHN",
            ],
            "--country is for --model conflict",
        ),
        (
            &[
                "--model",
                "climate",
                "--scenario",
                "ssp245",
                "--years",
                "2100-2081",
            ],
            "the first year 2100 is after the last 2081",
        ),
        (
            &[
                "--model",
                "climate",
                "--scenario",
                "ssp245",
                "--year",
                "2600",
            ],
            "the model years are 1850 to 2500",
        ),
        (
            &["--scenario", "ssp245", "--country", "SDN"],
            "--scenario is for --model climate",
        ),
        (&[], "--model conflict needs --country"),
    ] {
        let args: Vec<&str> = brief.iter().chain(extra).copied().collect();
        check(&data, &args, "", Err(needle));
    }
    let out = check(&data, &["brief", "show", &id, "--as", "ana"], "", Ok(""));
    assert_eq!(out.matches("predicted: ").count(), 2, "{out}");
    drop(d);
}

//! `attache epidemic run|compare|distance` through the binary on a store synced from the
//! mirror (OpenFlights and WDI only), a brief option carrying an epidemic outcome, and the
//! COVID-19 arrival check of issue 17 (printed figures; see docs/EPIDEMIC_METHOD.md).

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use attache_core::{Crosswalk, Date};
use attache_epidemic::air::{Level, build};
use attache_epidemic::{Metapop, Model, Scenario, Seed, Setup, run_deterministic};
use common::{attache, isolated, mirror, removed_at_exit, stderr, stdout, synced_only};

/// A data dir synced from the mirror with the air network's sources only.
fn data() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| removed_at_exit(synced_only("openflights,worldbank-wdi")))
        .path()
}

/// Runs `attache ARGS` on the synced store: `Ok(needle)` = success with `needle` in standard
/// output, `Err(needle)` = failure with `needle` in standard error. Returns standard output.
fn check(args: &[&str], expect: Result<&str, &str>) -> String {
    let o = isolated(data(), args).output().unwrap();
    let (out, err) = (stdout(&o), stderr(&o));
    match expect {
        Ok(needle) => assert!(
            o.status.success() && out.contains(needle),
            "attache {args:?}: want success with {needle:?}:\n{out}\n{err}"
        ),
        Err(needle) => assert!(
            !o.status.success() && err.contains(needle),
            "attache {args:?}: want failure with {needle:?}:\n{out}\n{err}"
        ),
    }
    out
}

/// CSV text into rows of (column -> cell).
fn csv_rows(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .map(|l| {
            head.iter()
                .zip(l.split(','))
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

const SIR: [&str; 8] = [
    "--model",
    "sir",
    "--r0",
    "2",
    "--infectious-days",
    "5",
    "--network",
    "none",
];

#[test]
fn one_well_mixed_population_matches_the_final_size() {
    // SIR final size z = 1 - exp(-R0 z): R0 2 -> 0.7968 (Keeling & Rohani 2008, "Modeling
    // Infectious Diseases", eq. 2.6; the crate's golden tests check the library itself).
    let mut args = vec!["epidemic", "run"];
    args.extend(SIR);
    args.extend([
        "--days",
        "400",
        "--population",
        "1000000",
        "--format",
        "csv",
    ]);
    let out = check(&args, Ok("day,date,subpop,S,I,R"));
    let rows = csv_rows(&out);
    assert_eq!(rows.len(), 401, "one row a day, days 0..=400");
    let last = rows.last().unwrap();
    let s: f64 = last["S"].parse().unwrap();
    let z = 1.0 - s / 1e6;
    assert!((z - 0.7968).abs() < 1e-3, "final size {z}");
    assert_eq!(rows[0]["I"], "10.000", "the default seed: 10 on day 0");
    // The default integrator (adaptive Dormand-Prince) and --integrator rk4 agree to a
    // hundredth of a person on every day and compartment.
    args.extend(["--integrator", "rk4"]);
    let rk4 = csv_rows(&check(&args, Ok("day,date,subpop,S,I,R")));
    for (a, b) in rows.iter().zip(&rk4) {
        for c in ["S", "I", "R"] {
            let (x, y): (f64, f64) = (a[c].parse().unwrap(), b[c].parse().unwrap());
            assert!((x - y).abs() < 0.01, "day {} {c}: {x} vs {y}", a["day"]);
        }
    }
    // Dates from --start; a dated seed later than day 0.
    let mut args = vec!["epidemic", "run"];
    args.extend(SIR);
    args.extend([
        "--days",
        "3",
        "--start",
        "2020-02-27",
        "--seed",
        "population:5@2020-02-29",
        "--format",
        "json",
    ]);
    let out = check(&args, Ok("\"rows\""));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = doc["rows"].as_array().unwrap();
    assert_eq!(rows[3]["date"], "2020-03-01");
    assert_eq!(rows[3]["day"], 3);
    assert_eq!(rows[1]["I"], 0.0);
    assert!(rows[2]["I"] == 5.0, "{}", rows[2]);
}

#[test]
fn errors_name_the_flag_and_value() {
    let run = |extra: &[&str], needle: &str| {
        let mut args = vec!["epidemic", "run"];
        args.extend(SIR.iter().filter(|_| !extra.contains(&"--r0")));
        if extra.contains(&"--r0") {
            args.extend([
                "--model",
                "sir",
                "--infectious-days",
                "5",
                "--network",
                "none",
            ]);
        }
        args.extend(["--days", "5"]);
        args.extend(extra);
        check(&args, Err(needle));
    };
    run(&["--r0", "-1"], "r0 = -1 is out of range");
    run(
        &["--lever", "travel:population*2@3"],
        "--lever \"travel:population*2@3\"",
    );
    run(&["--lever", "fly:population*0.5"], "unknown lever");
    run(&["--seed", "population:x@0"], "--seed \"population:x@0\"");
    run(&["--seed", "CHN:3@0"], "unknown subpopulation \"CHN\"");
    run(&["--start", "2020-13-01"], "2020-13-01");
    run(
        &[
            "--start",
            "2020-03-01",
            "--lever",
            "distancing:population*0.5@2020-02-01",
        ],
        "2020-02-01 is before day 0 (2020-03-01)",
    );
    run(&["--latent-days", "3"], "--latent-days is for --model seir");
    run(&["--population", "0"], "--population 0");
    check(
        &[
            "epidemic",
            "run",
            "--r0",
            "2",
            "--infectious-days",
            "4",
            "--network",
            "none",
        ],
        Err("--model seir needs --latent-days"),
    );
}

const SEIR: [&str; 8] = [
    "--r0",
    "2.2",
    "--latent-days",
    "3",
    "--infectious-days",
    "5",
    "--seed",
    "CHN:10@2019-12-01",
];

#[test]
fn the_country_network_from_the_store() {
    let mut args = vec!["epidemic", "run"];
    args.extend(SEIR);
    args.extend(["--days", "90", "--show", "CHN,USA,Italy", "--format", "csv"]);
    let out = check(&args, Ok("day,date,subpop,S,E,I,R"));
    let rows = csv_rows(&out);
    assert_eq!(rows.len(), 91 * 3);
    assert_eq!(rows[0]["subpop"], "CHN");
    assert_eq!(
        rows[2]["subpop"], "ITA",
        "a country name resolves to its ISO3"
    );
    assert_eq!(rows[90 * 3 + 1]["date"], "2020-02-29");
    // WDI 2018 (public July 2019) is the population of a run starting 2019-12-01.
    let pop: f64 = ["S", "E", "I", "R"]
        .iter()
        .map(|c| rows[1][*c].parse::<f64>().unwrap())
        .sum();
    // 328,529,577: the mirror's worldbank/population.csv, United States 2018.
    assert!((pop - 328_529_577.0).abs() < 1.0, "USA 2018: {pop}");
    // Table output carries the route proxy and its source.
    let mut args = vec!["epidemic", "run"];
    args.extend(SEIR);
    args.extend(["--days", "2", "--show", "FRA"]);
    check(&args, Ok("ICAO 2014: 3.3 billion passengers"));
    // Unknown places are named.
    let mut args = vec!["epidemic", "run"];
    args.extend(SEIR);
    args.extend(["--days", "2", "--lever", "travel:XYZ*0.5@2020-01-23"]);
    check(&args, Err("unknown subpopulation \"XYZ\""));
}

#[test]
fn effective_distance_from_china() {
    let out = check(
        &["epidemic", "distance", "--from", "China", "--format", "csv"],
        Ok("subpop,effective_distance,hops,via,path,km"),
    );
    let rows = csv_rows(&out);
    assert_eq!(rows[0]["subpop"], "CHN");
    assert_eq!(rows[0]["effective_distance"], "0.000");
    let d = |c: &str| -> f64 {
        rows.iter().find(|r| r["subpop"] == c).unwrap()["effective_distance"]
            .parse()
            .unwrap()
    };
    // Every link is at least 1 long (d = 1 - ln P, P <= 1), and neighbours with many
    // routes to China are nearer than far, thinly linked places.
    assert!(
        d("KOR") >= 1.0 && d("KOR") < d("BRA"),
        "{} {}",
        d("KOR"),
        d("BRA")
    );
    let out = check(
        &[
            "epidemic",
            "distance",
            "--from",
            "PEK",
            "--network",
            "airports",
        ],
        Ok("PVG"),
    );
    assert!(out.lines().nth(3).unwrap().starts_with("PEK"), "{out}");
    check(
        &["epidemic", "distance", "--from", "Atlantis"],
        Err("--from Atlantis"),
    );
}

#[test]
fn a_passenger_matrix_replaces_the_routes() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        "origin_iso3,destination_iso3,daily_passengers\nCHN,USA,20000\nUSA,CHN,20000\nUSA,ITA,5000\n",
    )
    .unwrap();
    let out = check(
        &[
            "epidemic",
            "distance",
            "--from",
            "CHN",
            "--passengers",
            good.to_str().unwrap(),
            "--format",
            "csv",
        ],
        Ok("ITA"),
    );
    let rows = csv_rows(&out);
    let ita = rows.iter().find(|r| r["subpop"] == "ITA").unwrap();
    assert_eq!(ita["path"], "CHN>USA>ITA");
    assert_eq!(
        rows.iter().find(|r| r["subpop"] == "FRA").unwrap()["effective_distance"],
        "-",
        "no flow: unreachable"
    );
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "origin_iso3,destination_iso3,daily_passengers\nCHN,USA,20000\nUSA,CHN,many\n",
    )
    .unwrap();
    check(
        &[
            "epidemic",
            "distance",
            "--from",
            "CHN",
            "--passengers",
            bad.to_str().unwrap(),
        ],
        Err("passenger matrix line 3: daily_passengers is not a number (value \"many\")"),
    );
}

#[test]
fn a_lever_against_the_baseline() {
    let mut args = vec!["epidemic", "compare"];
    args.extend(SEIR);
    args.extend([
        "--days",
        "120",
        "--ensemble",
        "8",
        "--lever",
        "travel:CHN*0.01@2019-12-01",
        "--show",
        "JPN,KOR,USA",
        "--format",
        "csv",
    ]);
    let out = check(
        &args,
        Ok("subpop,baseline_arrival_median,lever_arrival_median"),
    );
    let rows = csv_rows(&out);
    assert_eq!(rows.len(), 3);
    for r in &rows {
        // Cutting 99% of China's air travel from day 0 delays every arrival.
        let base: f64 = r["baseline_arrival_median"].parse().unwrap();
        let lever = r["lever_arrival_median"]
            .parse::<f64>()
            .unwrap_or(f64::INFINITY);
        assert!(lever > base, "{r:?}");
    }
    check(
        &[
            "epidemic",
            "compare",
            "--r0",
            "2",
            "--infectious-days",
            "4",
            "--model",
            "sir",
        ],
        Err("compare needs at least one --lever"),
    );
}

#[test]
fn an_ensemble_run_and_the_airport_network() {
    let mut args = vec!["epidemic", "run"];
    args.extend(SEIR);
    args.extend([
        "--days",
        "100",
        "--ensemble",
        "6",
        "--show",
        "CHN,JPN",
        "--format",
        "json",
    ]);
    let out = check(&args, Ok("arrival_median"));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["rows"][0]["subpop"], "CHN");
    assert_eq!(doc["rows"][0]["arrival_median"], 0.0);
    let mut args = vec!["epidemic", "run"];
    args.extend(SEIR);
    args.extend([
        "--days",
        "3",
        "--network",
        "airports",
        "--lever",
        "travel:CHN*0.5@2019-12-02",
        "--show",
        "PEK",
        "--format",
        "csv",
    ]);
    let out = check(&args, Ok("PEK"));
    let rows = csv_rows(&out);
    // The country seed goes to China's busiest airport.
    assert_eq!(rows[0]["I"], "10.000", "{out}");
}

#[test]
fn a_brief_option_carries_an_epidemic_outcome() {
    let d = tempfile::tempdir().unwrap();
    let data = d.path();
    let m = mirror();
    let o = attache(&[
        "sync",
        "--mirror",
        m.to_str().unwrap(),
        "--only",
        "openflights,worldbank-wdi",
        "--data-dir",
        data.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let run = |args: &[&str], input: &str| {
        use std::io::Write;
        let mut c = isolated(data, args).spawn().unwrap();
        c.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        let o = c.wait_with_output().unwrap();
        (o.status.success(), stdout(&o), stderr(&o))
    };
    let ok = |args: &[&str], input: &str| {
        let (s, out, err) = run(args, input);
        assert!(s, "attache {args:?}:\n{out}\n{err}");
        out
    };
    ok(&["keys", "init"], "");
    ok(
        &[
            "user",
            "add",
            "ana",
            "--role",
            "analyst",
            "--clearance",
            "restricted",
        ],
        "a long enough password\n",
    );
    let models = ok(&["brief", "models"], "");
    assert!(
        models.contains("epidemic  (simulation)") && models.contains("quantity arrival_delay"),
        "{models}"
    );
    let id = ok(
        &[
            "brief",
            "create",
            "--as",
            "ana",
            "--title",
            "Travel measures against an outbreak in China",
            "--question",
            "Should the ministry back a suspension of flights from China?",
            "--classification",
            "restricted",
            "--option",
            "Suspend flights from China from 23 January",
            "--option",
            "Keep flights open; screen arriving passengers",
        ],
        "",
    );
    let id = id.trim();
    let predict = |option: &str, scenario: &str| {
        ok(
            &[
                "brief",
                "predict",
                id,
                "--as",
                "ana",
                "--model",
                "epidemic",
                "--country",
                "USA",
                "--quantity",
                "arrival_delay",
                "--scenario",
                scenario,
                "--setting",
                "ensemble=12",
                "--setting",
                "days=150",
                "--setting",
                "seed=CHN:10@2019-12-01",
                "--option",
                option,
            ],
            "",
        )
    };
    predict("1", "travel:CHN*0.1@2020-01-23");
    predict("2", "screen:entry:USA=0.3@2020-01-23");
    let show = ok(&["brief", "show", id, "--as", "ana"], "");
    let lines: Vec<&str> = show.lines().filter(|l| l.contains("predicted: ")).collect();
    assert_eq!(lines.len(), 2, "{show}");
    assert!(
        lines[0].contains("Delay in the first infection in USA")
            && lines[0].contains("90% interval")
            && lines[0].contains("levers: travel:CHN*0.1@2020-01-23"),
        "{show}"
    );
    assert!(show.contains("attache-epidemic"), "{show}");
    // Settings the model does not take, and values it cannot use, are refused by name.
    let (s, _, err) = run(
        &[
            "brief",
            "predict",
            id,
            "--as",
            "ana",
            "--model",
            "epidemic",
            "--country",
            "USA",
            "--setting",
            "ensemble=5000",
        ],
        "",
    );
    assert!(
        !s && err.contains("ensemble") && err.contains("at most")
            || err.contains("between 1 and 1000"),
        "{err}"
    );
    let (s, _, err) = run(
        &[
            "brief",
            "predict",
            id,
            "--as",
            "ana",
            "--model",
            "epidemic",
            "--country",
            "USA",
            "--setting",
            "speed=3",
        ],
        "",
    );
    assert!(!s && err.contains("\"speed\""), "{err}");
}

/// Spearman's rank correlation (average ranks for ties).
fn spearman(x: &[f64], y: &[f64]) -> f64 {
    fn ranks(v: &[f64]) -> Vec<f64> {
        let mut idx: Vec<usize> = (0..v.len()).collect();
        idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
        let mut r = vec![0.0; v.len()];
        let mut i = 0;
        while i < idx.len() {
            let mut j = i;
            while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
                j += 1;
            }
            let avg = (i + j) as f64 / 2.0 + 1.0;
            for &k in &idx[i..=j] {
                r[k] = avg;
            }
            i = j + 1;
        }
        r
    }
    pearson(&ranks(x), &ranks(y))
}

fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx).powi(2);
        syy += (b - my).powi(2);
    }
    sxy / (sxx * syy).sqrt()
}

#[test]
fn spearman_matches_a_textbook_example() {
    // Wikipedia's "Spearman's rank correlation coefficient" worked example (IQ against hours
    // of TV a week, n = 10): rho = -29/165 = -0.175757...
    let iq = [
        106.0, 100.0, 86.0, 101.0, 99.0, 103.0, 97.0, 113.0, 112.0, 110.0,
    ];
    let tv = [7.0, 27.0, 2.0, 50.0, 28.0, 29.0, 20.0, 12.0, 6.0, 17.0];
    assert!((spearman(&iq, &tv) - (-29.0 / 165.0)).abs() < 1e-12);
}

/// Day of the first confirmed case per country in the JHU CSSE global series (from
/// 2020-01-22), countries by the crosswalk; a province that is itself a country or territory
/// (Hong Kong, Bermuda, Greenland) counts as that one. Returns the unresolved names too.
fn first_cases(text: &str) -> (BTreeMap<String, Date>, Vec<String>) {
    let cw = Crosswalk::global();
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let dates: Vec<Date> = head[4..]
        .iter()
        .map(|d| {
            let p: Vec<i32> = d.split('/').map(|x| x.parse().unwrap()).collect();
            Date::new(p[2], p[0] as u8, p[1] as u8).unwrap()
        })
        .collect();
    let mut first: BTreeMap<String, Date> = BTreeMap::new();
    let mut unresolved = Vec::new();
    for line in lines {
        // Names with commas are quoted ("Korea, South"): split off the quoted fields first.
        let mut fields: Vec<String> = Vec::new();
        let mut cur = String::new();
        let mut quoted = false;
        for ch in line.chars() {
            match ch {
                '"' => quoted = !quoted,
                ',' if !quoted => fields.push(std::mem::take(&mut cur)),
                c => cur.push(c),
            }
        }
        fields.push(cur);
        let (province, country) = (fields[0].as_str(), fields[1].as_str());
        // Only a current entity with an ISO code (Tibet, a province, is not the historical
        // state GW711).
        let by_province = (!province.is_empty())
            .then(|| cw.find(province).ok())
            .flatten()
            .filter(|c| c.is_current() && c.iso3.len() == 3 && !c.iso3.starts_with("GW"));
        let iso3 = match by_province.or_else(|| cw.find(country).ok()) {
            Some(c) => c.iso3.clone(),
            None => {
                unresolved.push(format!("{country}/{province}"));
                continue;
            }
        };
        let day = fields[4..]
            .iter()
            .position(|v| v.parse::<f64>().is_ok_and(|x| x > 0.0));
        if let Some(i) = day {
            let e = first.entry(iso3).or_insert(dates[i]);
            *e = (*e).min(dates[i]);
        }
    }
    (first, unresolved)
}

/// Issue 17's validation: COVID-19 seeded in China (Hubei) late in 2019 on the country air
/// network; predicted arrival order against the first reported case per country (JHU CSSE),
/// and observed arrival against effective distance and against geographic distance
/// (Brockmann & Helbing 2013, Science 342:1337, Fig. 4 and its text: effective distance
/// predicts arrival far better than geographic distance). Prints the figures; asserts only
/// what is robust. See docs/EPIDEMIC_METHOD.md for the discussion.
#[test]
fn covid19_arrival_order() {
    let m = mirror();
    let jhu =
        std::fs::read_to_string(m.join("covid19-jhu/time_series_covid19_confirmed_global.csv"))
            .unwrap();
    let (observed, unresolved) = first_cases(&jhu);
    let store = attache_store::Store::open(data()).unwrap();
    let v = store.require_current().unwrap();
    let rows = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(attache_store::epidemic_inputs::air_rows(&v))
        .unwrap();
    let start: Date = "2019-12-01".parse().unwrap();
    let net = build(&rows.as_of(Some(start)), Level::Countries, None).unwrap();
    let world: &Metapop = &net.world;
    let chn = world.index("CHN").unwrap();
    // SEIR R0 2.2 (Li et al. 2020, NEJM 382:1199: 2.2 in Wuhan to January 2020), latent 3
    // days, infectious 5; 10 infectious people in China on 1 December 2019.
    let seeds = [Seed {
        place: "CHN".into(),
        count: 10,
        day: 0,
        compartment: None,
    }];
    let days = 240;
    let setup = Setup::new(
        Model::seir(2.2, 3.0, 5.0).unwrap(),
        world.clone(),
        &seeds,
        &Scenario::baseline(),
        days,
    )
    .unwrap();
    let t = run_deterministic(&setup, 10).unwrap();
    let tree = world.mobility().effective_network().tree(chn).unwrap();
    let jhu_start = "2020-01-22"
        .parse::<attache_core::Date>()
        .unwrap()
        .days_since_epoch()
        - start.days_since_epoch();
    let (mut obs, mut pred, mut eff, mut geo) = (vec![], vec![], vec![], vec![]);
    let mut not_in_network = Vec::new();
    let mut unreached = 0;
    for (iso3, date) in &observed {
        if iso3 == "CHN" {
            continue;
        }
        let Some(i) = world.index(iso3) else {
            not_in_network.push(iso3.as_str());
            continue;
        };
        let (Some(d), Some(here), Some(there)) = (
            tree.distance(i),
            net.places[chn].location,
            net.places[i].location,
        ) else {
            not_in_network.push(iso3.as_str());
            continue;
        };
        let o = (date.days_since_epoch() - start.days_since_epoch()) as f64;
        let p = match t.arrival(i, 1.0) {
            Some(a) => f64::from(a),
            None => {
                unreached += 1;
                f64::from(days + 1)
            }
        };
        obs.push(o);
        pred.push(p);
        eff.push(d);
        geo.push(attache_epidemic::air::great_circle_km(here, there));
    }
    let n = obs.len();
    let censored = obs.iter().filter(|&&o| o <= jhu_start as f64).count();
    let rho_pred = spearman(&pred, &obs);
    let rho_eff = spearman(&eff, &obs);
    let rho_geo = spearman(&geo, &obs);
    let r_eff = pearson(&eff, &obs);
    let r_geo = pearson(&geo, &obs);
    // The same for first cases up to 2020-03-30 only (day 120; most countries' first case
    // was imported, before local spread and testing delays blur the picture).
    let early: Vec<usize> = (0..n).filter(|&k| obs[k] <= 120.0).collect();
    let pick = |v: &[f64]| early.iter().map(|&k| v[k]).collect::<Vec<_>>();
    let (oe, pe, ee, ge) = (pick(&obs), pick(&pred), pick(&eff), pick(&geo));
    println!("COVID-19 arrival check (issue 17)");
    println!(
        "countries with a first case in JHU and a place in the network: {n} \
         ({censored} already reporting on 2020-01-22, tied; {unreached} not reached by the model in {days} days)"
    );
    println!("not in the network or unreachable: {not_in_network:?}");
    println!("JHU names not resolved: {unresolved:?}");
    println!("Spearman(predicted arrival, observed first case) = {rho_pred:.3}");
    println!(
        "Spearman(effective distance, observed first case) = {rho_eff:.3}; Pearson = {r_eff:.3}"
    );
    println!(
        "Spearman(geographic distance, observed first case) = {rho_geo:.3}; Pearson = {r_geo:.3}"
    );
    println!(
        "first cases up to 2020-03-30 ({} countries): Spearman predicted {:.3}, effective {:.3}, geographic {:.3}",
        early.len(),
        spearman(&pe, &oe),
        spearman(&ee, &oe),
        spearman(&ge, &oe)
    );
    assert!(n >= 150, "too few countries matched: {n}");
    assert!(
        rho_pred > 0.3,
        "predicted order does not follow observed order: {rho_pred}"
    );
    assert!(rho_eff > 0.3, "{rho_eff}");
    assert!(
        rho_eff > rho_geo,
        "effective {rho_eff} vs geographic {rho_geo}"
    );
}

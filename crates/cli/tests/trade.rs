//! `attache trade estimate` end to end: the binary on the Advanced Guide's `.dta` files and on
//! a CSV made from them, against the figures Stata printed (cited by log file and line) and
//! the book's; the three output formats agree; missing values are counted; a missing column, a
//! bad formula, a bad `--where` and an unreadable CSV cell fail naming the problem.

mod common;

use std::path::{Path, PathBuf};

use attache_trade::{Column, Frame};
use common::{attache, mirror, stderr, stdout};

fn guide(name: &str) -> PathBuf {
    mirror().join("trade/advanced-guide").join(name)
}

/// Runs `attache trade estimate ARGS`; panics with the output unless it succeeds.
fn estimate(args: &[&str]) -> String {
    let mut all = vec!["trade", "estimate"];
    all.extend_from_slice(args);
    let o = attache(&all);
    assert!(
        o.status.success(),
        "attache {all:?} failed:\n{}\n{}",
        stdout(&o),
        stderr(&o)
    );
    stdout(&o)
}

/// Runs `attache trade estimate ARGS`, expects failure, returns standard error.
fn failure(args: &[&str]) -> String {
    let mut all = vec!["trade", "estimate"];
    all.extend_from_slice(args);
    let o = attache(&all);
    assert!(
        !o.status.success(),
        "attache {all:?} should fail:\n{}",
        stdout(&o)
    );
    stderr(&o)
}

/// A CSV's rows as maps from header to cell.
fn csv_rows(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let head: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            head.iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect()
}

/// One unit in the last digit `printed` shows (`.0501494` -> 1e-7).
fn last_digit(printed: &str) -> f64 {
    let decimals = printed.split_once('.').map_or(0, |(_, d)| d.len()) as i32;
    10f64.powi(-decimals)
}

/// `got` agrees with `printed` to its last printed digit.
fn agrees(what: &str, got: f64, printed: &str, cite: &str) {
    let want: f64 = printed.parse().unwrap();
    let tol = last_digit(printed) * 1.000_001;
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got:.9}, {cite} prints {printed}"
    );
}

fn cell(row: &std::collections::HashMap<String, String>, col: &str) -> f64 {
    row[col]
        .parse()
        .unwrap_or_else(|_| panic!("{col}: {:?}", row[col]))
}

/// Every fourth year 1986-2006, international flows: the traditional gravity sample.
const TRADITIONAL_WHERE: &str = "exporter != importer && (year == 1986 || year == 1990 || year == 1994 || year == 1998 || year == 2002 || year == 2006)";
const TRADITIONAL_FORMULA: &str =
    "trade ~ log(DIST) + CNTG + LANG + CLNY | exporter^year + importer^year";

/// The book's traditional gravity PPML (`TraditionalGravity.do` line 190: `ppml trade ln_DIST
/// CNTG LANG CLNY exp_time* imp_time* if exporter != importer, cluster(pair_id)` on every
/// fourth year). The mirror has no Stata log of this application: the figures are the book's
/// (Yotov et al. 2016, table 1, column "PPML") as the `tradepolicy` package prints them. The
/// do-file's `ln_DIST` is `log(DIST)` in the formula, its year filter the `--where`. Also:
/// the table, CSV and JSON outputs carry the same numbers.
#[test]
fn traditional_gravity_from_the_dta_in_three_formats() {
    let dta = guide("Chapter1Application1.dta");
    let dta = dta.to_str().unwrap();
    let base = [
        "--input",
        dta,
        "--formula",
        TRADITIONAL_FORMULA,
        "--where",
        TRADITIONAL_WHERE,
        "--vcov",
        "cluster:pair_id",
    ];
    let run = |format: &str| {
        let mut a = base.to_vec();
        a.extend(["--format", format]);
        estimate(&a)
    };
    let rows = csv_rows(&run("csv"));
    assert_eq!(rows.len(), 4);
    let cite = "Yotov et al. 2016, table 1, PPML (tradepolicy)";
    for (row, (term, value)) in rows.iter().zip([
        ("log(DIST)", "-0.840927"),
        ("CNTG", "0.437443"),
        ("LANG", "0.247477"),
        ("CLNY", "-0.222490"),
    ]) {
        assert_eq!(row["term"], term);
        agrees(term, cell(row, "estimate"), value, cite);
        assert_eq!(row["n"], "28152", "{cite}: N = 28,152");
        assert_eq!(row["converged"], "true");
        assert_eq!(row["separated"], "0");
        assert_eq!(row["clusters"], "2346");
    }

    // JSON: the same numbers, exactly.
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let coefs = json["coefficients"].as_array().unwrap();
    assert_eq!(coefs.len(), rows.len());
    for (c, row) in coefs.iter().zip(&rows) {
        assert_eq!(c["term"].as_str().unwrap(), row["term"]);
        for col in ["estimate", "std_error", "z", "p"] {
            assert_eq!(c[col].as_f64().unwrap(), cell(row, col), "{col}");
        }
    }
    for col in [
        "n",
        "log_likelihood",
        "pseudo_r2",
        "separated",
        "separated_by_regressors",
        "iterations",
    ] {
        assert_eq!(json[col].as_f64().unwrap(), cell(&rows[0], col), "{col}");
    }
    assert_eq!(json["rows_read"], 99_981);
    assert_eq!(json["rows_excluded_by_where"], 99_981 - 28_152);

    // The table: the same numbers to the digits it prints.
    let table = run("table");
    assert!(
        table.contains("99981 rows read, 71829 excluded by --where, 0 dropped"),
        "{table}"
    );
    for row in &rows {
        let line = table
            .lines()
            .find(|l| l.split_whitespace().next() == Some(row["term"].as_str()))
            .unwrap_or_else(|| panic!("{} not in\n{table}", row["term"]));
        let cells: Vec<&str> = line.split_whitespace().collect();
        for (k, col) in ["estimate", "std_error", "z", "p"].iter().enumerate() {
            agrees(col, cell(row, col), cells[k + 1], "the table");
        }
    }
    for (name, col) in [
        ("n", "n"),
        ("log_likelihood", "log_likelihood"),
        ("pseudo_r2", "pseudo_r2"),
    ] {
        let line = table
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("{name} not in\n{table}"));
        let shown = line.split_whitespace().nth(1).unwrap();
        agrees(name, cell(&rows[0], col), shown, "the table");
    }
}

/// The RTA application (`RTAsEffects.do`): PPML of trade on RTA with pair, exporter-year and
/// importer-year effects on every fourth year 1986-2006, straight from the `.dta` with the
/// file's own `pair_id` (the do-file's recoding of domestic and never-trading pairs changes no
/// printed figure): RTAsEffects.log:3347 prints `.5571853 (.055771)`, line 150 the 84
/// separated observations, 178 N, 179 the log-likelihood.
#[test]
fn rta_effect_with_pair_fixed_effects_from_the_dta() {
    let dta = guide("Chapter2Application2.dta");
    let rows = csv_rows(&estimate(&[
        "--input",
        dta.to_str().unwrap(),
        "--formula",
        "trade ~ RTA | exporter^year + importer^year + pair_id",
        "--where",
        "year == 1986 || year == 1990 || year == 1994 || year == 1998 || year == 2002 || year == 2006",
        "--format",
        "csv",
    ]));
    let cite = |line: usize| format!("RTAsEffects.log:{line}");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["term"], "RTA");
    agrees("RTA", cell(&rows[0], "estimate"), ".5571853", &cite(3347));
    agrees(
        "se(RTA)",
        cell(&rows[0], "std_error"),
        ".055771",
        &cite(3347),
    );
    assert_eq!(rows[0]["separated"], "84", "{}", cite(150));
    assert_eq!(rows[0]["n"], "28482", "{}", cite(178));
    agrees(
        "log-likelihood",
        cell(&rows[0], "log_likelihood"),
        "-1379642.5",
        &cite(179),
    );
}

/// `--method ols` on log trade, positive flows only (`--where 'trade > 0 && ...'`): the book's
/// "FES" column of table 1 (printed by esttab to three decimals), N = 25,689.
#[test]
fn traditional_gravity_by_ols_on_positive_flows() {
    let dta = guide("Chapter1Application1.dta");
    let filter = format!("trade > 0 && {TRADITIONAL_WHERE}");
    let rows = csv_rows(&estimate(&[
        "--input",
        dta.to_str().unwrap(),
        "--method",
        "ols",
        "--formula",
        &TRADITIONAL_FORMULA.replacen("trade", "log(trade)", 1),
        "--where",
        &filter,
        "--vcov",
        "cluster:pair_id",
        "--format",
        "csv",
    ]));
    let cite = "Yotov et al. 2016, table 1, FES";
    for (row, (term, value)) in rows.iter().zip([
        ("log(DIST)", "-1.216"),
        ("CNTG", "0.223"),
        ("LANG", "0.661"),
        ("CLNY", "0.670"),
    ]) {
        assert_eq!(row["term"], term);
        agrees(term, cell(row, "estimate"), value, cite);
        assert_eq!(row["n"], "25689", "{cite}: N = 25,689");
    }
    agrees("se(log(DIST))", cell(&rows[0], "std_error"), "0.038", cite);
}

/// Writes `frame` as CSV (numbers as Rust prints them, which read back exactly; NaN empty).
fn write_csv(frame: &Frame, path: &Path) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(frame.names()).unwrap();
    for i in 0..frame.rows() {
        let rec: Vec<String> = frame
            .names()
            .iter()
            .map(|n| match frame.column(n).unwrap() {
                Column::Num(v) if v[i].is_nan() => String::new(),
                Column::Num(v) => format!("{:?}", v[i]),
                Column::Text(v) => v[i].clone(),
            })
            .collect();
        w.write_record(&rec).unwrap();
    }
    w.flush().unwrap();
}

/// The trade-without-borders application (`TradeWithoutBorder.do`): the 2006 cross-section with
/// `INTL_BRDR`, the dummy the do-file generates (`generate INTL_BRDR = 1; replace INTL_BRDR =
/// 0 if exporter == importer`, TradeWithoutBorder.log:56-60). This test writes the panel to
/// CSV with the column added, as a user might prepare it, and the binary reproduces the log's estimates (TradeWithoutBorder.log:346-348, N and
/// log-likelihood at 201-202). The same model without `INTL_BRDR` gives identical numbers
/// from the CSV and from the `.dta` (with `--where 'year == 2006'`), and from the `.dta` alone
/// with the dummy generated by the formula (`I(exporter != importer)`).
#[test]
fn border_application_from_a_csv_and_csv_equals_dta() {
    let dta = guide("Chapter2Application1.dta");
    let all = attache_trade::dta::read(&std::fs::read(&dta).unwrap()).unwrap();
    let year = all.num("year").unwrap().to_vec();
    let mut f = all.filter(|i| year[i] == 2006.0);
    let (exp, imp) = (
        f.text("exporter").unwrap().to_vec(),
        f.text("importer").unwrap().to_vec(),
    );
    f.set_num(
        "INTL_BRDR",
        (0..f.rows())
            .map(|i| f64::from(u8::from(exp[i] != imp[i])))
            .collect(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("border2006.csv");
    write_csv(&f, &csv_path);
    let csv_file = csv_path.to_str().unwrap();

    let rows = csv_rows(&estimate(&[
        "--input",
        csv_file,
        "--formula",
        "trade ~ log(DIST) + CNTG + INTL_BRDR | exporter + importer",
        "--format",
        "csv",
    ]));
    let cite = |line: usize| format!("TradeWithoutBorder.log:{line}");
    for (row, (term, b, se, line)) in rows.iter().zip([
        ("log(DIST)", "-.7912879", ".0501494", 346),
        ("CNTG", ".6736456", ".1073719", 347),
        ("INTL_BRDR", "-2.47445", ".1193816", 348),
    ]) {
        assert_eq!(row["term"], term);
        agrees(term, cell(row, "estimate"), b, &cite(line));
        agrees(term, cell(row, "std_error"), se, &cite(line));
    }
    assert_eq!(rows[0]["n"], "4761", "{}", cite(201));
    agrees(
        "log-likelihood",
        cell(&rows[0], "log_likelihood"),
        "-2284121.5",
        &cite(202),
    );

    // CSV and .dta: the same estimates, to the last bit.
    let same = |input: &str, filter: Option<&str>| {
        let mut a = vec![
            "--input",
            input,
            "--formula",
            "trade ~ log(DIST) + CNTG + LANG | exporter + importer",
            "--format",
            "csv",
        ];
        if let Some(w) = filter {
            a.extend(["--where", w]);
        }
        estimate(&a)
    };
    assert_eq!(
        same(csv_file, None),
        same(dta.to_str().unwrap(), Some("year == 2006"))
    );

    // Straight from the .dta: the formula generates the border dummy, `I(exporter !=
    // importer)`, and gives the log's figures again.
    let rows = csv_rows(&estimate(&[
        "--input",
        dta.to_str().unwrap(),
        "--where",
        "year == 2006",
        "--formula",
        "trade ~ log(DIST) + CNTG + I(exporter != importer) | exporter + importer",
        "--format",
        "csv",
    ]));
    for (row, (term, b, se, line)) in rows.iter().zip([
        ("log(DIST)", "-.7912879", ".0501494", 346),
        ("CNTG", ".6736456", ".1073719", 347),
        ("I(exporter != importer)", "-2.47445", ".1193816", 348),
    ]) {
        assert_eq!(row["term"], term);
        agrees(term, cell(row, "estimate"), b, &cite(line));
        agrees(term, cell(row, "std_error"), se, &cite(line));
    }
}

/// Missing values are dropped and counted by column; the problems a user makes are named.
#[test]
fn missing_values_are_counted_and_errors_name_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("small.csv");
    std::fs::write(
        &path,
        "exporter,importer,year,trade,DIST\n\
         A,B,2000,10,1\nA,C,2000,4,2\nB,A,2000,9,1\nB,C,2000,2,3\nC,A,2000,5,2\nC,B,2000,0,3\n\
         A,B,2001,,1\nA,C,2001,4,\nB,A,2001,8,1\n",
    )
    .unwrap();
    let p = path.to_str().unwrap();
    let f = "trade ~ log(DIST) | exporter + importer";
    let out = estimate(&["--input", p, "--formula", f]);
    assert!(
        out.contains("9 rows read, 2 dropped: missing trade (1), DIST (1)"),
        "{out}"
    );
    let out = estimate(&["--input", p, "--formula", f, "--where", "year == 2000"]);
    assert!(
        out.contains("9 rows read, 3 excluded by --where, 0 dropped"),
        "{out}"
    );

    let e = failure(&[
        "--input",
        p,
        "--formula",
        "trade ~ log(DISTANCE) | exporter",
    ]);
    assert!(
        e.contains("DISTANCE") && e.contains("exporter, importer, year, trade, DIST"),
        "{e}"
    );
    let e = failure(&["--input", p, "--formula", "trade ~ log(DIST) +"]);
    assert!(e.contains("--formula") && e.contains("character 19"), "{e}");
    let e = failure(&["--input", p, "--formula", f, "--where", "year = 2000"]);
    assert!(e.contains("--where") && e.contains("character 5"), "{e}");
    let e = failure(&["--input", p, "--formula", f, "--where", "yr == 2000"]);
    assert!(
        e.contains("`yr`") && e.contains("exporter, importer"),
        "{e}"
    );
    let e = failure(&["--input", p, "--formula", f, "--vcov", "cluster:pairs"]);
    assert!(e.contains("pairs") && e.contains("--vcov"), "{e}");
    let e = failure(&["--input", "nowhere.dta", "--formula", f]);
    assert!(e.contains("reading nowhere.dta"), "{e}");

    let zero = dir.path().join("zero.csv");
    std::fs::write(
        &zero,
        "exporter,importer,trade,DIST\nA,B,10,1\nA,C,3,0\nB,A,9,1\n",
    )
    .unwrap();
    let e = failure(&["--input", zero.to_str().unwrap(), "--formula", f]);
    assert!(
        e.contains("log(DIST)") && e.contains("1 of the 3 rows") && e.contains("DIST > 0"),
        "{e}"
    );

    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "exporter,importer,trade,DIST\nA,B,10,1\nA,C,n/a,2\nB,A,9,1\n",
    )
    .unwrap();
    let e = failure(&["--input", bad.to_str().unwrap(), "--formula", f]);
    assert!(
        e.contains("bad.csv") && e.contains("line 3") && e.contains("\"n/a\""),
        "{e}"
    );
}

/// A Parquet file (integers, doubles with nulls, strings) gives the same result as the CSV of
/// the same table.
#[test]
fn parquet_input_equals_csv() {
    use std::sync::Arc;

    use arrow::array::{ArrayRef, Float64Array, Int32Array, StringArray};
    use arrow::record_batch::RecordBatch;

    let exporter = ["A", "A", "B", "B", "C", "C", "A", "A", "B", "B", "C", "C"];
    let importer = ["B", "C", "A", "C", "A", "B", "B", "C", "A", "C", "A", "B"];
    let year = [
        2000, 2000, 2000, 2000, 2000, 2000, 2001, 2001, 2001, 2001, 2001, 2001,
    ];
    let trade = [
        Some(10.0),
        Some(4.0),
        Some(9.0),
        Some(2.0),
        Some(5.0),
        Some(1.0),
        Some(11.0),
        None,
        Some(8.0),
        Some(3.0),
        Some(6.0),
        Some(0.5),
    ];
    let dist = [1.0, 2.0, 1.0, 3.0, 2.0, 3.0, 1.0, 2.0, 1.0, 3.0, 2.0, 3.0];
    let batch = RecordBatch::try_from_iter([
        (
            "exporter",
            Arc::new(StringArray::from(exporter.to_vec())) as ArrayRef,
        ),
        (
            "importer",
            Arc::new(StringArray::from(importer.to_vec())) as ArrayRef,
        ),
        (
            "year",
            Arc::new(Int32Array::from(year.to_vec())) as ArrayRef,
        ),
        (
            "trade",
            Arc::new(Float64Array::from(trade.to_vec())) as ArrayRef,
        ),
        (
            "DIST",
            Arc::new(Float64Array::from(dist.to_vec())) as ArrayRef,
        ),
    ])
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let pq = dir.path().join("panel.parquet");
    let mut w = parquet::arrow::ArrowWriter::try_new(
        std::fs::File::create(&pq).unwrap(),
        batch.schema(),
        None,
    )
    .unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    let csv_path = dir.path().join("panel.csv");
    let mut text = String::from("exporter,importer,year,trade,DIST\n");
    for i in 0..exporter.len() {
        let t = trade[i].map_or(String::new(), |v| v.to_string());
        text.push_str(&format!(
            "{},{},{},{t},{}\n",
            exporter[i], importer[i], year[i], dist[i]
        ));
    }
    std::fs::write(&csv_path, text).unwrap();
    let run = |p: &Path| {
        estimate(&[
            "--input",
            p.to_str().unwrap(),
            "--formula",
            "trade ~ log(DIST) | exporter^year + importer",
            "--where",
            "year >= 2000 && exporter != 'Z'",
            "--format",
            "json",
        ])
    };
    let (a, b): (serde_json::Value, serde_json::Value) = (
        serde_json::from_str(&run(&pq)).unwrap(),
        serde_json::from_str(&run(&csv_path)).unwrap(),
    );
    assert_eq!(a["coefficients"], b["coefficients"]);
    assert_eq!(a["n"], 11);
    assert_eq!(a["rows_dropped_missing"]["trade"], 1);
}

/// `attache trade gaps` on the WITS 2009 file: the counts the crate's golden test pins (from an
/// independent pass in Python, see crates/trade/tests/mirror_wits.rs), the same in JSON, one
/// country's flows, and an unknown reporter code failing with file and line.
#[test]
fn gaps_of_the_wits_2009_file() {
    let wits = mirror().join("trade/WITS_trade2009.csv");
    let w = wits.to_str().unwrap();
    let o = attache(&["trade", "gaps", "--input", w]);
    assert!(o.status.success(), "{}", stderr(&o));
    let table = stdout(&o);
    assert!(
        table.contains("25305 flows: 14113 reported by both sides, 7082 orphaned (importer only), 4110 lost (exporter only); 2275 flagged"),
        "{table}"
    );
    assert!(table.contains("not a finding"), "the caveat is printed");
    let o = attache(&[
        "trade",
        "gaps",
        "--input",
        w,
        "--format",
        "json",
        "--country",
        "Switzerland",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let flows = j["flows"].as_array().unwrap();
    assert!(!flows.is_empty());
    assert!(
        flows
            .iter()
            .all(|f| f["exporter"] == "CHE" || f["importer"] == "CHE")
    );
    assert_eq!(j["counts"]["flows"].as_u64().unwrap() as usize, flows.len());
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "Nomenclature;ReporterISO3;ProductCode;ReporterName;PartnerISO3;PartnerName;Year;TradeFlowName;TradeFlowCode;TradeValue in 1000 USD\n\
         NC;FRA; Total;France;DEU;Germany;2009;Export;6;1\n\
         NC;QQQ; Total;Nowhere;DEU;Germany;2009;Export;6;1\n",
    )
    .unwrap();
    let o = attache(&["trade", "gaps", "--input", bad.to_str().unwrap()]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("bad.csv:3: ReporterISO3 \"QQQ\""), "{e}");
}

/// `trade gaps --distances`: the gravity model fitted to the 2009 flows with CEPII distances
/// gives a negative distance elasticity and marks the flows far from their prediction.
#[test]
fn gaps_with_a_gravity_check() {
    let wits = mirror().join("trade/WITS_trade2009.csv");
    let dist = mirror().join("trade/dist_cepii.csv");
    let o = attache(&[
        "trade",
        "gaps",
        "--input",
        wits.to_str().unwrap(),
        "--distances",
        dist.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let g = &j["gravity"];
    println!("{g}");
    let e = g["distance_elasticity"].as_f64().unwrap();
    assert!((-2.0..-0.3).contains(&e), "distance elasticity {e}");
    let n = g["n"].as_u64().unwrap();
    let outliers = g["outliers"].as_u64().unwrap();
    assert!(n > 20_000, "{g}");
    assert!(outliers > 0 && outliers < n / 4, "{g}");
    let marked = j["flows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["gravity_outlier"] == true)
        .count();
    assert_eq!(marked as u64, outliers);
}

/// A data dir synced from the mirror with the trade and sanctions sources only.
fn trade_store() -> &'static Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| common::removed_at_exit(common::synced_only("trade,sanctions")))
        .path()
}

/// Runs `attache trade simulate ARGS` on the synced store; `Err` is standard error.
fn simulate(args: &[&str]) -> Result<String, String> {
    let mut all = vec!["trade", "simulate"];
    all.extend_from_slice(args);
    let o = common::isolated(trade_store(), &all).output().unwrap();
    if o.status.success() {
        Ok(stdout(&o))
    } else {
        Err(stderr(&o))
    }
}

#[test]
fn simulate_on_the_synced_panel_with_gsdb_sanctions() {
    // Lifting the United States' sanctions on Iran (complete trade sanctions in force in
    // 2006 by GSDB) raises Iran's real GDP and exports, in every format alike.
    let json = simulate(&["--scenario", "sanction-lift USA on IRN", "--format", "json"]).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["baseline_year"], 2006);
    assert_eq!(v["countries"], 69);
    let s = v["sanction_effect"]["estimate"].as_f64().unwrap();
    assert!(s < -0.5, "complete trade sanctions cut trade: {s}");
    let csv = simulate(&["--scenario", "sanction-lift USA on IRN", "--format", "csv"]).unwrap();
    let rows = csv_rows(&csv);
    assert_eq!(rows.len(), 69);
    let irn = rows.iter().find(|r| r["iso3"] == "IRN").unwrap();
    let gdp = cell(irn, "real_gdp_change");
    assert!(gdp > 0.0, "{irn:?}");
    assert!(cell(irn, "real_gdp_p05") <= gdp && gdp <= cell(irn, "real_gdp_p95"));
    let j = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["iso3"] == "IRN")
        .unwrap();
    assert!((j["real_gdp_change"].as_f64().unwrap() - gdp).abs() < 1e-6);
    // One country's row, as a table.
    let t = simulate(&["--scenario", "tariff USA on CHN 25%", "--country", "China"]).unwrap();
    assert!(
        t.contains("scenario: tariff USA on CHN 25%") && t.contains("CHN"),
        "{t}"
    );
    assert!(t.contains("reference: the system advises"), "{t}");
    // What it cannot do, it says.
    for (scenario, needle) in [
        ("sanction USA on IRN", "changes no flow"),
        (
            "tariff USA on XKX 5%",
            "XKX is not among the panel's 69 countries",
        ),
        ("embargo USA on IRN", "is not a shock"),
    ] {
        let err = simulate(&["--scenario", scenario]).unwrap_err();
        assert!(err.contains(needle), "{scenario}: {err}");
    }
}

#[test]
fn a_brief_option_carries_a_trade_outcome() {
    let data = trade_store();
    let run = |args: &[&str], input: &str| {
        use std::io::Write;
        let mut c = common::isolated(data, args).spawn().unwrap();
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
            "tara",
            "--role",
            "analyst",
            "--clearance",
            "restricted",
        ],
        "a long enough password\n",
    );
    let models = ok(&["brief", "models"], "");
    assert!(
        models.contains("trade  (simulation)") && models.contains("trade_real_gdp_change"),
        "{models}"
    );
    let id = ok(
        &[
            "brief",
            "create",
            "--as",
            "tara",
            "--title",
            "Answering a tariff",
            "--question",
            "Should we retaliate against a 25% tariff?",
            "--classification",
            "restricted",
            "--option",
            "Match the tariff",
            "--option",
            "Negotiate a trade agreement",
        ],
        "",
    );
    let id = id.trim();
    for (option, scenario) in [
        ("1", "tariff USA on CHN 25%; tariff CHN on USA 25%"),
        ("2", "rta-add CHN,USA"),
    ] {
        ok(
            &[
                "brief",
                "predict",
                id,
                "--as",
                "tara",
                "--model",
                "trade",
                "--country",
                "CHN",
                "--quantity",
                "trade_real_gdp_change",
                "--scenario",
                scenario,
                "--option",
                option,
            ],
            "",
        );
    }
    let show = ok(&["brief", "show", id, "--as", "tara"], "");
    let lines: Vec<&str> = show.lines().filter(|l| l.contains("predicted: ")).collect();
    assert_eq!(lines.len(), 2, "{show}");
    assert!(show.contains("trade-gravity-ge"), "{show}");
    assert!(show.contains("2006"), "the baseline's age is said: {show}");
}

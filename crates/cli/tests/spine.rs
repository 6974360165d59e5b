//! The data spine end to end: sync from the mirror, the tables, SQL answers equal to the raw
//! files, the country lookup, and a corrupt file that must fail loudly and lose nothing.

mod common;

use common::*;

/// Runs every `tests/sql/*.slt` file (see [`common::sql_cases`]). Expected values are counted
/// from the raw files (see the comments in each file for how). `cluster.rs` runs the same files
/// on a Ballista cluster.
#[test]
fn sql_files() {
    let cases = sql_cases();
    for c in &cases {
        let got = sql(synced(), &c.sql);
        assert_eq!(got, c.expected, "{}: query {}", c.file.display(), c.name);
    }
    assert!(cases.len() >= 10, "only {} SQL cases found", cases.len());
}

#[test]
fn tables_lists_every_required_table() {
    let o = attache(&["tables", "--data-dir", synced().to_str().unwrap()]);
    assert!(o.status.success());
    let out = stdout(&o);
    for t in [
        "acd",
        "brd",
        "ged",
        "cm",
        "indicators",
        "emissions",
        "polity",
        "airports",
        "routes",
        "gdelt_events",
        "country_codes",
        "neighbours",
        "country_groups",
    ] {
        assert!(
            out.lines().any(|l| l.split_whitespace().next() == Some(t)),
            "table {t} missing:\n{out}"
        );
    }
}

#[test]
fn lockfile_accounts_for_every_row() {
    let data = synced();
    let cur = std::fs::read_to_string(data.join("CURRENT")).unwrap();
    let lock: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(data.join("vintages").join(cur.trim()).join("lock.json")).unwrap(),
    )
    .unwrap();
    let files = lock["files"].as_array().unwrap();
    assert!(files.len() >= 80, "{} files", files.len());
    for f in files {
        let (read, loaded, excluded) = (
            f["rows_read"].as_u64().unwrap(),
            f["rows_loaded"].as_u64().unwrap(),
            f["rows_excluded"].as_u64().unwrap(),
        );
        assert_eq!(read, loaded + excluded, "{}", f["path"]);
        if f["path"] != "(embedded crosswalk)" {
            assert_eq!(f["sha256"].as_str().unwrap().len(), 64, "{}", f["path"]);
            assert!(f["licence"].as_str().unwrap().len() > 3);
        }
    }
    let brd = files
        .iter()
        .find(|f| f["path"] == "ucdp/BattleDeaths_v24_1.csv")
        .unwrap();
    assert_eq!(brd["rows_read"], 1920);
    assert!(
        brd["url"]
            .as_str()
            .unwrap()
            .starts_with("https://ucdp.uu.se/")
    );
}

fn check_country(args: &[&str], expect_first_line: &str) {
    let o = attache(&[&["country"], args].concat());
    let out = stdout(&o);
    if expect_first_line.is_empty() {
        assert_eq!(o.status.code(), Some(1), "{args:?} should fail: {out}");
        assert!(stderr(&o).contains("no match"));
    } else {
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert_eq!(
            out.lines().next().unwrap().split('\t').next().unwrap(),
            expect_first_line,
            "{args:?}"
        );
    }
}

#[test]
fn country_lookups() {
    check_country(&["UP", "--scheme", "fips"], "UKR");
    check_country(&["365", "--scheme", "gw"], "RUS");
    check_country(&["365", "--scheme", "gw", "--on", "1985"], "SUN");
    check_country(&["Zaire"], "COD");
    check_country(&["Burma"], "MMR");
    check_country(&["Ivory Coast"], "CIV");
    check_country(&["167", "--scheme", "views"], "COD");
    check_country(&["Atlantis"], "");
    check_country(&["XX", "--scheme", "iso2"], "");
    let out = stdout(&attache(&["country", "UKR"]));
    assert!(out.contains("fips    UP"), "{out}");
    assert!(
        out.contains("RUS") && out.contains("POL"),
        "neighbours: {out}"
    );
}

#[test]
fn corrupt_file_fails_loudly_and_keeps_the_last_vintage() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path().to_str().unwrap();
    let m = mirror();
    let o = attache(&[
        "sync",
        "--mirror",
        m.to_str().unwrap(),
        "--only",
        "ucdp-brd",
        "--data-dir",
        d,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        sql(data.path(), "select count(*) as n from brd"),
        "n\n1920\n"
    );

    // A mirror whose BattleDeaths file is cut mid-row and followed by a garbage row.
    let bad = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(bad.path().join("ucdp")).unwrap();
    let text = std::fs::read_to_string(m.join("ucdp/BattleDeaths_v24_1.csv")).unwrap();
    let cut = text.len() / 2;
    let cut = (cut..text.len())
        .find(|&i| text.as_bytes()[i] == b',')
        .unwrap()
        + 5;
    let line = text[..cut].matches('\n').count() + 1;
    let corrupt = format!("{}\nthis,is,garbage\n", &text[..cut]);
    std::fs::write(bad.path().join("ucdp/BattleDeaths_v24_1.csv"), corrupt).unwrap();

    let o = attache(&[
        "sync",
        "--mirror",
        bad.path().to_str().unwrap(),
        "--only",
        "ucdp-brd",
        "--data-dir",
        d,
    ]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("ucdp/BattleDeaths_v24_1.csv"), "{err}");
    assert!(
        err.contains(&format!(":{line}:")),
        "expected line {line}: {err}"
    );
    assert_eq!(
        sql(data.path(), "select count(*) as n from brd"),
        "n\n1920\n"
    );

    // A non-number where a number belongs names the value.
    let bad_value = text.replacen(",\"27\",\"23\",\"27\",", ",\"27\",\"2x3\",\"27\",", 1);
    std::fs::write(bad.path().join("ucdp/BattleDeaths_v24_1.csv"), bad_value).unwrap();
    let o = attache(&[
        "sync",
        "--mirror",
        bad.path().to_str().unwrap(),
        "--only",
        "ucdp-brd",
        "--data-dir",
        d,
    ]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("\"2x3\" is not an integer"),
        "{}",
        stderr(&o)
    );

    // An unknown country code names the code and the line.
    let bad_code = text.replacen("\"750\",\"750\",\"3\"", "\"999\",\"750\",\"3\"", 1);
    std::fs::write(bad.path().join("ucdp/BattleDeaths_v24_1.csv"), bad_code).unwrap();
    let o = attache(&[
        "sync",
        "--mirror",
        bad.path().to_str().unwrap(),
        "--only",
        "ucdp-brd",
        "--data-dir",
        d,
    ]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains(
            "BattleDeaths_v24_1.csv:2: column \"gwno_loc\": unknown gw country code \"999\""
        ),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        sql(data.path(), "select count(*) as n from brd"),
        "n\n1920\n"
    );
}

#[test]
fn absent_sources_are_reported_and_skipped() {
    let data = tempfile::tempdir().unwrap();
    let empty = tempfile::tempdir().unwrap();
    let o = attache(&[
        "sync",
        "--mirror",
        empty.path().to_str().unwrap(),
        "--data-dir",
        data.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("ucdp-acd") && out.contains("skipped"), "{out}");
    // The embedded crosswalk still gives the reference tables.
    assert_eq!(
        sql(data.path(), "select count(*) as n from neighbours"),
        "n\n642\n"
    );
}

/// A sync whose files are not whole compared with the current vintage is refused, naming the
/// file, and the current vintage stays; `--accept NAME` publishes it on the record of lock.json;
/// `attache vintages use` rolls back. Cases: an empty file, a truncated file (rows lost), a wrong
/// mirror directory (tables gone).
#[test]
fn sync_refuses_what_is_not_whole() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path().to_str().unwrap();
    let m = mirror();
    let only = "openflights,gdelt";
    let o = attache(&[
        "sync",
        "--mirror",
        m.to_str().unwrap(),
        "--only",
        only,
        "--data-dir",
        d,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let first = std::fs::read_to_string(data.path().join("CURRENT")).unwrap();
    let copy = tempfile::tempdir().unwrap();
    for dir in ["openflights", "gdelt/lookups", "gdelt/schema"] {
        std::fs::create_dir_all(copy.path().join(dir)).unwrap();
        for e in std::fs::read_dir(m.join(dir)).unwrap().flatten() {
            if e.path().is_file() {
                std::fs::copy(e.path(), copy.path().join(dir).join(e.file_name())).unwrap();
            }
        }
    }
    for e in std::fs::read_dir(m.join("gdelt")).unwrap().flatten() {
        if e.path().is_file() {
            std::fs::copy(e.path(), copy.path().join("gdelt").join(e.file_name())).unwrap();
        }
    }
    let c = copy.path().to_str().unwrap();
    let sync = |extra: &[&str]| {
        let mut args = vec!["sync", "--mirror", c, "--only", only, "--data-dir", d];
        args.extend_from_slice(extra);
        attache(&args)
    };
    let current = || std::fs::read_to_string(data.path().join("CURRENT")).unwrap();
    // The unchanged copy publishes.
    assert!(sync(&[]).status.success());
    let whole = current();

    // Empty file.
    let airports = copy.path().join("openflights/airports.dat");
    let original = std::fs::read(&airports).unwrap();
    std::fs::write(&airports, b"").unwrap();
    let o = sync(&[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("openflights/airports.dat: the file holds no row"),
        "{}",
        stderr(&o)
    );
    assert_eq!(current(), whole);
    std::fs::write(&airports, &original).unwrap();

    // Truncated lookup: 190 of 314 CAMEO codes.
    let cameo = copy.path().join("gdelt/lookups/CAMEO.eventcodes.txt");
    let text = std::fs::read_to_string(&cameo).unwrap();
    let cut: String = text.lines().take(191).map(|l| format!("{l}\n")).collect();
    std::fs::write(&cameo, cut).unwrap();
    let o = sync(&[]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains(
            "gdelt/lookups/CAMEO.eventcodes.txt: 190 rows loaded, 314 in the current vintage"
        ),
        "{err}"
    );
    assert!(
        err.contains("--accept gdelt/lookups/CAMEO.eventcodes.txt"),
        "{err}"
    );
    assert_eq!(current(), whole);
    // Accepted by name: published, and the acceptance is in lock.json.
    let o = sync(&["--accept", "gdelt/lookups/CAMEO.eventcodes.txt"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let accepted = current();
    assert_ne!(accepted, whole);
    let lock = std::fs::read_to_string(
        data.path()
            .join("vintages")
            .join(accepted.trim())
            .join("lock.json"),
    )
    .unwrap();
    assert!(
        lock.contains("\"accepted\"") && lock.contains("190 rows loaded"),
        "{lock}"
    );

    // A wrong mirror directory would drop every table of the synced sources.
    let empty = tempfile::tempdir().unwrap();
    let o = attache(&[
        "sync",
        "--mirror",
        empty.path().to_str().unwrap(),
        "--only",
        only,
        "--data-dir",
        d,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("table airports (7698 rows in the current vintage) would disappear"),
        "{}",
        stderr(&o)
    );
    assert_eq!(current(), accepted);

    // Roll back to the whole vintage.
    let o = attache(&["vintages", "use", whole.trim(), "--data-dir", d]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(current(), whole);
    let o = attache(&["vintages", "list", "--data-dir", d]);
    let out = stdout(&o);
    assert!(
        out.lines()
            .any(|l| l.starts_with('*') && l.contains(whole.trim())),
        "{out}"
    );
    assert!(out.contains(first.trim()));
    let o = attache(&["vintages", "use", "no-such-vintage", "--data-dir", d]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("no published vintage \"no-such-vintage\""),
        "{}",
        stderr(&o)
    );
}

/// `attache sources | head -1`: a reader that closes the pipe gets no panic (exit 101) and no
/// error, whatever the command and however it writes (`println!`, a table, a CSV, JSON or
/// Parquet writer). The read end is closed before the command writes, so its first write meets
/// the closed pipe: the command ends quietly, by SIGPIPE as `cat` does, or with exit 0.
#[test]
fn closed_pipe_is_not_a_panic() {
    use std::os::unix::process::ExitStatusExt;
    use std::process::{Command, Stdio};
    /// SIGPIPE on Linux and the BSDs.
    const SIGPIPE: i32 = 13;
    let d = synced();
    let check = |args: &[&str]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_attache"))
            .args(args)
            .env("ATTACHE_DATA_DIR", d)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?} complained: {err}");
        assert!(
            out.status.code() == Some(0) || out.status.signal() == Some(SIGPIPE),
            "{args:?}: {} {err}",
            out.status
        );
    };
    for args in [
        &["sources"][..],
        &["country", "Sudan"],
        &["tables"],
        &["vintages", "list"],
        &["sql", "select * from brd"],
        &["sql", "select * from brd", "--format", "csv"],
        &["sql", "select * from brd", "--format", "json"],
        &["sql", "select * from brd", "--format", "parquet"],
        &["climate", "bloc", "list"],
    ] {
        check(args);
    }
}

//! The data spine end to end: sync from the mirror, the tables, SQL answers equal to the raw
//! files, the country lookup, and a corrupt file that must fail loudly and lose nothing.

mod common;

use common::*;

/// Runs every `tests/sql/*.slt` file: blocks of `query <name>`, the SQL, `----`, the expected
/// CSV output (header included). Expected values are counted from the raw files (see the
/// comments in each file for how).
#[test]
fn sql_files() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sql");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "slt") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for block in text.split("\nquery ").skip(1) {
            let (head, expected) = block.split_once("\n----\n").unwrap_or_else(|| panic!("{}: block without ----", path.display()));
            let (name, q) = head.split_once('\n').unwrap();
            let expected: String = expected.lines().take_while(|l| !l.trim().is_empty()).map(|l| format!("{l}\n")).collect();
            let got = sql(synced(), q.trim());
            assert_eq!(got, expected, "{}: query {name}", path.display());
            n += 1;
        }
    }
    assert!(n >= 10, "only {n} SQL cases found");
}

#[test]
fn tables_lists_every_required_table() {
    let o = attache(&["tables", "--data-dir", synced().to_str().unwrap()]);
    assert!(o.status.success());
    let out = stdout(&o);
    for t in [
        "acd", "brd", "ged", "cm", "indicators", "emissions", "polity", "airports", "routes", "gdelt_events",
        "country_codes", "neighbours", "country_groups",
    ] {
        assert!(out.lines().any(|l| l.split_whitespace().next() == Some(t)), "table {t} missing:\n{out}");
    }
}

#[test]
fn lockfile_accounts_for_every_row() {
    let data = synced();
    let cur = std::fs::read_to_string(data.join("CURRENT")).unwrap();
    let lock: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(data.join("vintages").join(cur.trim()).join("lock.json")).unwrap()).unwrap();
    let files = lock["files"].as_array().unwrap();
    assert!(files.len() >= 80, "{} files", files.len());
    for f in files {
        let (read, loaded, excluded) = (f["rows_read"].as_u64().unwrap(), f["rows_loaded"].as_u64().unwrap(), f["rows_excluded"].as_u64().unwrap());
        assert_eq!(read, loaded + excluded, "{}", f["path"]);
        if f["path"] != "(embedded crosswalk)" {
            assert_eq!(f["sha256"].as_str().unwrap().len(), 64, "{}", f["path"]);
            assert!(f["licence"].as_str().unwrap().len() > 3);
        }
    }
    let brd = files.iter().find(|f| f["path"] == "ucdp/BattleDeaths_v24_1.csv").unwrap();
    assert_eq!(brd["rows_read"], 1920);
    assert!(brd["url"].as_str().unwrap().starts_with("https://ucdp.uu.se/"));
}

fn check_country(args: &[&str], expect_first_line: &str) {
    let o = attache(&[&["country"], args].concat());
    let out = stdout(&o);
    if expect_first_line.is_empty() {
        assert_eq!(o.status.code(), Some(1), "{args:?} should fail: {out}");
        assert!(stderr(&o).contains("no match"));
    } else {
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert_eq!(out.lines().next().unwrap().split('\t').next().unwrap(), expect_first_line, "{args:?}");
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
    assert!(out.contains("RUS") && out.contains("POL"), "neighbours: {out}");
}

#[test]
fn corrupt_file_fails_loudly_and_keeps_the_last_vintage() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path().to_str().unwrap();
    let m = mirror();
    let o = attache(&["sync", "--mirror", m.to_str().unwrap(), "--only", "ucdp-brd", "--data-dir", d]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(sql(data.path(), "select count(*) as n from brd"), "n\n1920\n");

    // A mirror whose BattleDeaths file is cut mid-row and followed by a garbage row.
    let bad = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(bad.path().join("ucdp")).unwrap();
    let text = std::fs::read_to_string(m.join("ucdp/BattleDeaths_v24_1.csv")).unwrap();
    let cut = text.len() / 2;
    let cut = (cut..text.len()).find(|&i| text.as_bytes()[i] == b',').unwrap() + 5;
    let line = text[..cut].matches('\n').count() + 1;
    let corrupt = format!("{}\nthis,is,garbage\n", &text[..cut]);
    std::fs::write(bad.path().join("ucdp/BattleDeaths_v24_1.csv"), corrupt).unwrap();

    let o = attache(&["sync", "--mirror", bad.path().to_str().unwrap(), "--only", "ucdp-brd", "--data-dir", d]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("ucdp/BattleDeaths_v24_1.csv"), "{err}");
    assert!(err.contains(&format!(":{line}:")), "expected line {line}: {err}");
    assert_eq!(sql(data.path(), "select count(*) as n from brd"), "n\n1920\n");

    // A non-number where a number belongs names the value.
    let bad_value = text.replacen(",\"27\",\"23\",\"27\",", ",\"27\",\"2x3\",\"27\",", 1);
    std::fs::write(bad.path().join("ucdp/BattleDeaths_v24_1.csv"), bad_value).unwrap();
    let o = attache(&["sync", "--mirror", bad.path().to_str().unwrap(), "--only", "ucdp-brd", "--data-dir", d]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("\"2x3\" is not an integer"), "{}", stderr(&o));

    // An unknown country code names the code and the line.
    let bad_code = text.replacen("\"750\",\"750\",\"3\"", "\"999\",\"750\",\"3\"", 1);
    std::fs::write(bad.path().join("ucdp/BattleDeaths_v24_1.csv"), bad_code).unwrap();
    let o = attache(&["sync", "--mirror", bad.path().to_str().unwrap(), "--only", "ucdp-brd", "--data-dir", d]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("BattleDeaths_v24_1.csv:2: column \"gwno_loc\": unknown gw country code \"999\""), "{}", stderr(&o));
    assert_eq!(sql(data.path(), "select count(*) as n from brd"), "n\n1920\n");
}

#[test]
fn absent_sources_are_reported_and_skipped() {
    let data = tempfile::tempdir().unwrap();
    let empty = tempfile::tempdir().unwrap();
    let o = attache(&["sync", "--mirror", empty.path().to_str().unwrap(), "--data-dir", data.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("ucdp-acd") && out.contains("skipped"), "{out}");
    // The embedded crosswalk still gives the reference tables.
    assert_eq!(sql(data.path(), "select count(*) as n from neighbours"), "n\n642\n");
}

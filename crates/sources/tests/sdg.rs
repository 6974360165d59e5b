//! The SDG adapter on the mirror's real files: `sdg/sdg_index_2000-2022.csv` (the SDR 2023's SDG
//! Index series) and `sdg/sustainable_development_report_2023.csv` (the SDR 2023 table), both
//! with a UTF-8 byte-order mark. Row counts and every cell are checked against the files as the
//! csv crate reads them, apart from the adapter's code; the hand-checked rows were read off the
//! raw lines (line numbers as an editor counts them, the header is line 1).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use arrow::record_batch::RecordBatch;
use attache_sources::Loaded;
use attache_sources::adapters::sdg::SDR_AGGREGATES;
use common::{csv_rows, float, int, names, raw, table, text};

const INDEX: &str = "sdg/sdg_index_2000-2022.csv";
const SDR: &str = "sdg/sustainable_development_report_2023.csv";

fn load_bytes(file: &str, bytes: Vec<u8>) -> Result<Loaded, String> {
    common::load_inputs("sdg", vec![(file.to_string(), bytes)])
}

fn load(file: &str) -> Loaded {
    load_bytes(file, raw(file)).unwrap_or_else(|e| panic!("{e}"))
}

/// Every published cell is in the table under the published column name: numbers as the file
/// writes them (empty: null), text as written.
fn table_is_the_file(b: &RecordBatch, file: &str) {
    let (header, rows) = csv_rows(file);
    assert_eq!(b.num_rows(), rows.len(), "{file}");
    let mut expected = header.clone();
    expected.extend(["iso3".to_string(), "kind".to_string()]);
    assert_eq!(names(b), expected, "{file}");
    for (i, rec) in rows.iter().enumerate() {
        for (c, name) in header.iter().enumerate() {
            let cell = &rec[c];
            match name.as_str() {
                "country_code" | "country" | "region" => {
                    assert_eq!(
                        text(b, name, i).as_deref(),
                        Some(cell),
                        "{file} row {i} {name}"
                    )
                }
                "year" => assert_eq!(
                    int(b, name, i),
                    Some(cell.parse().unwrap()),
                    "{file} row {i}"
                ),
                _ => assert_eq!(
                    float(b, name, i),
                    (!cell.is_empty()).then(|| cell.parse::<f64>().unwrap()),
                    "{file} row {i} {name}"
                ),
            }
        }
    }
}

#[test]
fn sdg_index_every_country_and_aggregate_year() {
    let l = load(INDEX);
    let t = table(&l, "sdg_index");
    let (_, rows) = csv_rows(INDEX);
    assert_eq!(rows.len(), 4_140);
    table_is_the_file(t, INDEX);

    // 166 countries and 14 aggregates, each with the 23 years 2000-2022.
    let mut years: BTreeMap<String, BTreeSet<i64>> = BTreeMap::new();
    for i in 0..t.num_rows() {
        years
            .entry(text(t, "country_code", i).unwrap())
            .or_default()
            .insert(int(t, "year", i).unwrap());
    }
    assert_eq!(years.len(), 180);
    assert!(years.values().all(|y| y.iter().copied().eq(2000..=2022)));

    // Aggregates: null iso3, their kind, counted; their codes and names as the file gives them.
    let file_names: BTreeMap<&str, &str> = rows.iter().map(|r| (&r[0], &r[1])).collect();
    for (code, kind, name) in SDR_AGGREGATES {
        assert_eq!(file_names.get(code), Some(name), "{code}");
        let at: Vec<usize> = (0..t.num_rows())
            .filter(|&i| text(t, "country_code", i).as_deref() == Some(*code))
            .collect();
        assert_eq!(at.len(), 23, "{code}");
        for i in at {
            assert_eq!(text(t, "iso3", i), None);
            assert_eq!(text(t, "kind", i).as_deref(), Some(*kind));
        }
    }
    let countries = (0..t.num_rows())
        .filter(|&i| text(t, "kind", i).as_deref() == Some("country"))
        .count();
    assert_eq!(countries, 166 * 23);
    assert!(
        (0..t.num_rows())
            .filter(|&i| text(t, "kind", i).as_deref() == Some("country"))
            .all(|i| text(t, "iso3", i) == text(t, "country_code", i))
    );
    let st = &l.stats.iter().find(|(f, _)| f == INDEX).unwrap().1;
    assert_eq!((st.rows_read, st.rows_loaded), (4_140, 4_140));
    assert!(st.excluded.is_empty());
    assert_eq!(st.adjusted.len(), 14);
    assert_eq!(
        st.adjusted["country_code _World: an SDR aggregate (world), no country: iso3 null"],
        23
    );
    assert_eq!(st.adjusted.values().sum::<u64>(), 14 * 23);

    // Line 2: `AFG,Afghanistan,2000,36,28.8,27.3,...,0,25.8,94.7,99.4,0,51.9,39.2,34.2`: goals
    // 10 and 14 are written as 0 (no data), kept as published.
    assert_eq!(text(t, "iso3", 0).as_deref(), Some("AFG"));
    assert_eq!(int(t, "year", 0), Some(2000));
    assert_eq!(float(t, "sdg_index_score", 0), Some(36.0));
    assert_eq!(float(t, "goal_1_score", 0), Some(28.8));
    assert_eq!(float(t, "goal_10_score", 0), Some(0.0));
    assert_eq!(float(t, "goal_14_score", 0), Some(0.0));
    assert_eq!(float(t, "goal_17_score", 0), Some(34.2));
    // Line 1956: `KOR,"Korea, Rep.",2022,78.1,99.5,82.9,...,64.1` (a quoted name).
    let i = 1956 - 2;
    assert_eq!(text(t, "country", i).as_deref(), Some("Korea, Rep."));
    assert_eq!(text(t, "iso3", i).as_deref(), Some("KOR"));
    assert_eq!(float(t, "sdg_index_score", i), Some(78.1));
    assert_eq!(float(t, "goal_17_score", i), Some(64.1));
    // Line 4072: `_World,World,2022,66.7,79.8,...,57.6`.
    let i = 4072 - 2;
    assert_eq!(text(t, "country_code", i).as_deref(), Some("_World"));
    assert_eq!(int(t, "year", i), Some(2022));
    assert_eq!(float(t, "sdg_index_score", i), Some(66.7));
    assert_eq!(text(t, "kind", i).as_deref(), Some("world"));
    // Line 4141, the last: `ZWE,Zimbabwe,2022,55.6,...,47.8`.
    let i = 4141 - 2;
    assert_eq!(text(t, "iso3", i).as_deref(), Some("ZWE"));
    assert_eq!(float(t, "sdg_index_score", i), Some(55.6));
}

#[test]
fn sdr_2023_every_country_of_the_report() {
    let l = load(SDR);
    let t = table(&l, "sdr_2023");
    let (header, rows) = csv_rows(SDR);
    assert_eq!(rows.len(), 166);
    table_is_the_file(t, SDR);
    assert!((0..t.num_rows()).all(|i| text(t, "kind", i).as_deref() == Some("country")));
    let regions: BTreeSet<String> = (0..t.num_rows())
        .map(|i| text(t, "region", i).unwrap())
        .collect();
    assert_eq!(regions.len(), 7);
    // Goals without data are empty in this file: null. Goals 1, 10 and 14 have empty cells (15,
    // 17 and 40, counted with the csv crate); the others none.
    let mut empty = BTreeMap::new();
    for (c, name) in header.iter().enumerate() {
        let n = rows.iter().filter(|r| r[c].is_empty()).count();
        if n > 0 {
            empty.insert(name.as_str(), n);
        }
        if name.starts_with("goal_") {
            let nulls = (0..t.num_rows())
                .filter(|&i| float(t, name, i).is_none())
                .count();
            assert_eq!(nulls, n, "{name}");
        }
    }
    assert_eq!(
        empty,
        BTreeMap::from([
            ("goal_1_score", 15),
            ("goal_10_score", 17),
            ("goal_14_score", 40)
        ])
    );
    let st = &l.stats.iter().find(|(f, _)| f == SDR).unwrap().1;
    assert_eq!((st.rows_read, st.rows_loaded), (166, 166));
    assert!(st.adjusted.is_empty() && st.excluded.is_empty());

    // Line 2: `FIN,Finland,OECD,86.76059478,99.575,60.88675,...,75.601`.
    assert_eq!(text(t, "iso3", 0).as_deref(), Some("FIN"));
    assert_eq!(text(t, "region", 0).as_deref(), Some("OECD"));
    assert_eq!(float(t, "overall_score", 0), Some(86.76059478));
    assert_eq!(float(t, "goal_1_score", 0), Some(99.575));
    assert_eq!(float(t, "goal_17_score", 0), Some(75.601));
    // Line 125: `BHS,"Bahamas, The",LAC,60.8605604,,63.44728571,...`: goals 1 and 10 empty.
    let i = 125 - 2;
    assert_eq!(text(t, "country", i).as_deref(), Some("Bahamas, The"));
    assert_eq!(float(t, "overall_score", i), Some(60.8605604));
    assert_eq!(float(t, "goal_1_score", i), None);
    assert_eq!(float(t, "goal_10_score", i), None);
    assert_eq!(float(t, "goal_2_score", i), Some(63.44728571));
    // Line 167, the last: `SSD,South Sudan,Sub-Saharan Africa,38.67608607,0,...`: goal 1 is a
    // published 0, goal 14 empty.
    let i = 167 - 2;
    assert_eq!(text(t, "iso3", i).as_deref(), Some("SSD"));
    assert_eq!(float(t, "goal_1_score", i), Some(0.0));
    assert_eq!(float(t, "goal_14_score", i), None);
}

#[test]
fn an_unknown_code_fails_naming_file_line_and_code() {
    let bytes = String::from_utf8(raw(INDEX)).unwrap();
    let bad = bytes.replacen(
        "\nKOR,\"Korea, Rep.\",2022,",
        "\nZZZ,\"Korea, Rep.\",2022,",
        1,
    );
    let e = load_bytes(INDEX, bad.into_bytes()).err().unwrap();
    assert!(
        e.starts_with("sdg/sdg_index_2000-2022.csv:1956: column \"country_code\":")
            && e.contains("\"ZZZ\""),
        "{e}"
    );
    // An aggregate code the adapter does not list is unknown too.
    let bad = bytes.replacen("\n_World,World,2000,", "\n_Earth,World,2000,", 1);
    let e = load_bytes(INDEX, bad.into_bytes()).err().unwrap();
    assert!(
        e.starts_with("sdg/sdg_index_2000-2022.csv:4050: column \"country_code\":")
            && e.contains("\"_Earth\""),
        "{e}"
    );
    let bytes = String::from_utf8(raw(SDR)).unwrap();
    let bad = bytes.replacen("\nKOR,", "\nZZZ,", 1);
    let e = load_bytes(SDR, bad.into_bytes()).err().unwrap();
    assert!(
        e.starts_with("sdg/sustainable_development_report_2023.csv:32: column \"country_code\":")
            && e.contains("\"ZZZ\""),
        "{e}"
    );
}

#[test]
fn a_country_year_twice_fails() {
    let bytes = String::from_utf8(raw(INDEX)).unwrap();
    // Line 3 (AFG 2001) written as 2000, the year of line 2.
    let bad = bytes.replacen("\nAFG,Afghanistan,2001,", "\nAFG,Afghanistan,2000,", 1);
    let e = load_bytes(INDEX, bad.into_bytes()).err().unwrap();
    assert_eq!(
        e,
        "sdg/sdg_index_2000-2022.csv:3: malformed row: country_code AFG, year 2000 again (first on line 2): one row per country and year"
    );
}

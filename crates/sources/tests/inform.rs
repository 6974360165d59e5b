//! The INFORM adapter on the mirror's real files: `inform/INFORM_Risk_2025_v070_main.csv` and
//! `inform/INFORM_Risk_2025_v070_regions.csv`, the mirror's CSV conversions of two sheets of the
//! JRC's workbook `inform_risk_2025_v070.xlsx` (the main one is the file `attache-indices`
//! recomputes in `crates/indices/tests/inform_golden.rs`). Row counts and every cell are checked
//! against the files as the csv crate reads them, apart from the adapter's code; the
//! hand-checked rows were read off the raw lines (line numbers as an editor counts them, the
//! header is line 1).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use arrow::record_batch::RecordBatch;
use attache_sources::Loaded;
use attache_sources::adapters::inform::{MAIN_INT_COLUMNS, MAIN_NUMBER_COLUMNS, RISK_CLASSES};
use attache_sources::table::snake_case;
use common::{csv_rows, float, int, names, raw, table, text};

const MAIN: &str = "inform/INFORM_Risk_2025_v070_main.csv";
const REGIONS: &str = "inform/INFORM_Risk_2025_v070_regions.csv";

fn load_bytes(file: &str, bytes: Vec<u8>) -> Result<Loaded, String> {
    common::load_inputs("inform", vec![(file.to_string(), bytes)])
}

fn load(file: &str) -> Loaded {
    load_bytes(file, raw(file)).unwrap_or_else(|e| panic!("{e}"))
}

/// Every published cell is in the table under its snake_case name: a number column holds the
/// number written (`x` and empty: null), an integer column the integer (`2.0` is 2), a text
/// column the text (empty: null).
fn table_is_the_file(b: &RecordBatch, file: &str, ints: &[&str]) {
    let (header, rows) = csv_rows(file);
    assert_eq!(b.num_rows(), rows.len(), "{file}");
    let cols: Vec<String> = header.iter().map(|h| snake_case(h)).collect();
    assert_eq!(names(b), cols, "{file}");
    for (i, rec) in rows.iter().enumerate() {
        for (c, h) in header.iter().enumerate() {
            let (name, cell) = (&cols[c], &rec[c]);
            if MAIN_NUMBER_COLUMNS.contains(&h.as_str()) {
                let want = (!cell.is_empty() && cell != "x").then(|| cell.parse::<f64>().unwrap());
                assert_eq!(float(b, name, i), want, "{file} row {i} {h}");
            } else if ints.contains(&h.as_str()) {
                let want = (!cell.is_empty()).then(|| cell.parse::<f64>().unwrap() as i64);
                assert_eq!(int(b, name, i), want, "{file} row {i} {h}");
            } else {
                let want = (!cell.is_empty()).then(|| cell.to_string());
                assert_eq!(text(b, name, i), want, "{file} row {i} {h}");
            }
        }
    }
}

#[test]
fn inform_risk_every_country_every_column() {
    let l = load(MAIN);
    let t = table(&l, "inform_risk");
    let (header, rows) = csv_rows(MAIN);
    assert_eq!(rows.len(), 191);
    assert_eq!(header.len(), 42);
    table_is_the_file(t, MAIN, MAIN_INT_COLUMNS);
    assert_eq!(
        &names(t)[..6],
        [
            "country",
            "iso3",
            "inform_risk",
            "risk_class",
            "rank",
            "lack_of_reliability"
        ]
    );
    assert!(
        (0..t.num_rows())
            .all(|i| RISK_CLASSES.contains(&text(t, "risk_class", i).unwrap().as_str()))
    );

    // `x` (not computed) per column, counted with the csv crate: null and counted.
    let mut xs: BTreeMap<String, u64> = BTreeMap::new();
    for rec in &rows {
        for (c, h) in header.iter().enumerate() {
            if &rec[c] == "x" {
                *xs.entry(h.clone()).or_default() += 1;
            }
        }
    }
    assert_eq!(
        xs,
        BTreeMap::from(
            [
                ("DRR", 64),
                ("Inequality", 8),
                ("Health Conditions", 1),
                ("Children U5", 1),
                ("Access to health care", 1)
            ]
            .map(|(c, n)| (c.to_string(), n))
        )
    );
    let st = &l.stats.iter().find(|(f, _)| f == MAIN).unwrap().1;
    assert_eq!((st.rows_read, st.rows_loaded), (191, 191));
    assert!(st.excluded.is_empty());
    let counted: BTreeMap<String, u64> = st
        .adjusted
        .iter()
        .map(|(k, n)| (k.split(':').next().unwrap().to_string(), *n))
        .collect();
    assert_eq!(counted, xs);

    // Line 2: `Afghanistan,AFG,7.8,Very High,7,4.019900497512438,7.6,...,4,0.0784313725490196,
    // YES,0.40298507462686567`.
    assert_eq!(text(t, "country", 0).as_deref(), Some("Afghanistan"));
    assert_eq!(text(t, "iso3", 0).as_deref(), Some("AFG"));
    assert_eq!(float(t, "inform_risk", 0), Some(7.8));
    assert_eq!(text(t, "risk_class", 0).as_deref(), Some("Very High"));
    assert_eq!(int(t, "rank", 0), Some(7));
    assert_eq!(float(t, "lack_of_reliability", 0), Some(4.019900497512438));
    assert_eq!(float(t, "hazard_exposure", 0), Some(7.6));
    assert_eq!(float(t, "uprooted_people", 0), Some(10.0));
    assert_eq!(float(t, "lack_of_coping_capacity", 0), Some(7.4));
    assert_eq!(int(t, "number_of_missing_indicators", 0), Some(4));
    assert_eq!(
        float(t, "of_missing_indicators", 0),
        Some(0.0784313725490196)
    );
    assert_eq!(text(t, "countries_in_hvc", 0).as_deref(), Some("YES"));
    assert_eq!(
        float(t, "recentness_data_average_years", 0),
        Some(0.40298507462686567)
    );
    // Line 6: `Antigua and Barbuda,ATG,2.0,Very Low,174,...,1.5,x,0.3,...`: Inequality is `x`;
    // `Countries in HVC` is empty.
    let i = 6 - 2;
    assert_eq!(text(t, "iso3", i).as_deref(), Some("ATG"));
    assert_eq!(float(t, "inform_risk", i), Some(2.0));
    assert_eq!(float(t, "development_deprivation", i), Some(1.5));
    assert_eq!(float(t, "inequality", i), None);
    assert_eq!(float(t, "economic_dependency", i), Some(0.3));
    assert_eq!(text(t, "countries_in_hvc", i), None);
    // Line 192, the last: `Zimbabwe,ZWE,5.0,Medium,44,1.3913043478260878,...`.
    let i = 192 - 2;
    assert_eq!(text(t, "iso3", i).as_deref(), Some("ZWE"));
    assert_eq!(float(t, "inform_risk", i), Some(5.0));
    assert_eq!(text(t, "risk_class", i).as_deref(), Some("Medium"));
    assert_eq!(int(t, "rank", i), Some(44));
    assert_eq!(float(t, "drought", i), Some(9.7));
}

#[test]
fn inform_regions_every_country_and_its_regions() {
    let l = load(REGIONS);
    let t = table(&l, "inform_regions");
    let (_, rows) = csv_rows(REGIONS);
    assert_eq!(rows.len(), 191);
    table_is_the_file(t, REGIONS, &["M49", "FAOST_CODE"]);
    assert_eq!(
        names(t),
        [
            "country",
            "iso3",
            "m49",
            "faost_code",
            "wb_region",
            "wb_income_group",
            "un_ocha_region",
            "ec_echo_region",
            "un_geographical_region",
            "un_geographical_sub_region"
        ]
    );
    // The same 191 countries as the main sheet.
    let main = load(MAIN);
    let m = table(&main, "inform_risk");
    let isos = |b: &RecordBatch| -> BTreeSet<String> {
        (0..b.num_rows())
            .map(|i| text(b, "iso3", i).unwrap())
            .collect()
    };
    assert_eq!(isos(t).len(), 191);
    assert_eq!(isos(t), isos(m));
    // Each M49 code is the crosswalk's for the country.
    let cw = attache_core::Crosswalk::global();
    for i in 0..t.num_rows() {
        let iso3 = text(t, "iso3", i).unwrap();
        let c = cw.lookup(attache_core::Scheme::Iso3, &iso3).unwrap();
        assert_eq!(c.m49.map(i64::from), int(t, "m49", i), "{iso3}");
    }
    let st = &l.stats.iter().find(|(f, _)| f == REGIONS).unwrap().1;
    assert_eq!((st.rows_read, st.rows_loaded), (191, 191));
    assert!(st.adjusted.is_empty() && st.excluded.is_empty());

    // Line 2: `Afghanistan,AFG,4,2.0,South Asia,Low income,ROMENA,South Asia,Asia,Southern Asia`.
    assert_eq!(int(t, "m49", 0), Some(4));
    assert_eq!(int(t, "faost_code", 0), Some(2));
    assert_eq!(text(t, "wb_income_group", 0).as_deref(), Some("Low income"));
    assert_eq!(text(t, "un_ocha_region", 0).as_deref(), Some("ROMENA"));
    assert_eq!(
        text(t, "un_geographical_sub_region", 0).as_deref(),
        Some("Southern Asia")
    );
    // Line 99: `Liechtenstein,LIE,438,,Europe & Central Asia,...`: no FAOSTAT code.
    let i = 99 - 2;
    assert_eq!(text(t, "iso3", i).as_deref(), Some("LIE"));
    assert_eq!(int(t, "faost_code", i), None);
    // Line 132: `Palestine,PSE,275,299.0,Middle East & North Africa,Lower middle income,...`.
    let i = 132 - 2;
    assert_eq!(text(t, "iso3", i).as_deref(), Some("PSE"));
    assert_eq!(int(t, "faost_code", i), Some(299));
    // Line 188: `Venezuela,VEN,862,236.0,Latin America & Caribbean,,ROLAC,...`: no income group.
    let i = 188 - 2;
    assert_eq!(text(t, "iso3", i).as_deref(), Some("VEN"));
    assert_eq!(text(t, "wb_income_group", i), None);
    assert_eq!(
        text(t, "ec_echo_region", i).as_deref(),
        Some("Latin America")
    );
}

#[test]
fn an_unknown_code_fails_naming_file_line_and_code() {
    let bytes = String::from_utf8(raw(MAIN)).unwrap();
    let bad = bytes.replacen("\nAlbania,ALB,", "\nAlbania,XYZ,", 1);
    let e = load_bytes(MAIN, bad.into_bytes()).err().unwrap();
    assert!(
        e.starts_with("inform/INFORM_Risk_2025_v070_main.csv:3: column \"ISO3\":")
            && e.contains("\"XYZ\""),
        "{e}"
    );
    let bytes = String::from_utf8(raw(REGIONS)).unwrap();
    let bad = bytes.replacen("\nZimbabwe,ZWE,", "\nZimbabwe,ZWX,", 1);
    let e = load_bytes(REGIONS, bad.into_bytes()).err().unwrap();
    assert!(
        e.starts_with("inform/INFORM_Risk_2025_v070_regions.csv:192: column \"ISO3\":")
            && e.contains("\"ZWX\""),
        "{e}"
    );
}

#[test]
fn a_bad_class_a_bad_number_or_a_country_twice_fails() {
    let bytes = String::from_utf8(raw(MAIN)).unwrap();
    let bad = bytes.replacen(
        "\nAfghanistan,AFG,7.8,Very High,",
        "\nAfghanistan,AFG,7.8,Extreme,",
        1,
    );
    assert_eq!(
        load_bytes(MAIN, bad.into_bytes()).err().unwrap(),
        "inform/INFORM_Risk_2025_v070_main.csv:2: column \"RISK CLASS\": \"Extreme\" is not an INFORM risk class (Very Low, Low, Medium, High, Very High)"
    );
    let bad = bytes.replacen("\nAfghanistan,AFG,7.8,", "\nAfghanistan,AFG,7.8x,", 1);
    assert_eq!(
        load_bytes(MAIN, bad.into_bytes()).err().unwrap(),
        "inform/INFORM_Risk_2025_v070_main.csv:2: column \"INFORM RISK\": \"7.8x\" is not a number"
    );
    let bad = bytes.replacen("\nAlbania,ALB,", "\nAlbania,AFG,", 1);
    assert_eq!(
        load_bytes(MAIN, bad.into_bytes()).err().unwrap(),
        "inform/INFORM_Risk_2025_v070_main.csv:3: malformed row: ISO3 AFG again (first on line 2): one row per country"
    );
}

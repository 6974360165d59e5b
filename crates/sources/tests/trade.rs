//! The trade adapter on the mirror's real files.
//!
//! - `trade/advanced-guide/Chapter2Application2.dta`: counts, and rows checked against an
//!   independent reader, pandas 3.1.1 `read_stata` (`python3 -m venv /tmp/vs && /tmp/vs/bin/pip
//!   install pandas`, then `pd.read_stata(path)`; values as Python's `repr` prints them):
//!
//!   ```text
//!   shape (99981, 10); 69 exporters; years 1986..2006, 4761 rows each
//!   row     0  ARG ARG pair 12339 1986 trade  61288.59026286057  DIST   533.908239819169  0 0 0 RTA 0
//!   row     1  ARG AUS pair     1 1986 trade  27.76487390676141  DIST 12044.574133735276  0 0 0 RTA 0
//!   row  1056  DEU FRA pair   507 1986 trade  25316.47516796875  DIST  789.5814627586365  1 0 0 RTA 0
//!   row 70602  ROM DEU pair  1216 2000 trade  1378.6875          DIST 1341.0962154971123  0 0 0 RTA 1
//!   row 99850  USA CAN pair   950 2006 trade 176540.59027734376  DIST 2079.2967191096304  1 1 0 RTA 1
//!   row 99980  ZAF ZAF pair 12415 2006 trade  150850.5045546135  DIST  585.4579368426561  0 0 0 RTA 0
//!   df[df.year == 2006].trade.sum() = 26248052.968600594; df.RTA.sum() = 11650
//!   ```
//! - `trade/WITS_trade2009.csv`: the counts that `crates/trade/tests/mirror_wits.rs` establishes
//!   against an independent Python pass (40,618 rows, 1,181 with an aggregate, 19 of a country
//!   with itself), and lines 2 and 32,024 read off the file.
//! - `trade/dist_cepii.csv`: 50,176 rows (224 x 224 codes, counted here with the csv crate),
//!   lines 2, 36 (`.` for missing) and 37,909 read off the file.

mod common;

use attache_sources::{Input, Loaded, registry};
use common::{float, int, raw, table, text};

const PANEL: &str = "trade/advanced-guide/Chapter2Application2.dta";
const WITS: &str = "trade/WITS_trade2009.csv";
const CEPII: &str = "trade/dist_cepii.csv";

fn load(files: &[&str]) -> Loaded {
    common::load_mirror("trade", files)
}

fn stats<'a>(l: &'a Loaded, file: &str) -> &'a attache_sources::FileStats {
    &l.stats.iter().find(|(f, _)| f == file).unwrap().1
}

#[test]
fn gravity_panel_is_the_guides_panel_as_pandas_reads_it() {
    let l = load(&[PANEL]);
    let p = table(&l, "gravity_panel");
    assert_eq!(p.num_rows(), 99_981);
    let cols: Vec<String> = p
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    assert_eq!(
        cols,
        [
            "exporter",
            "importer",
            "pair_id",
            "year",
            "trade",
            "DIST",
            "CNTG",
            "LANG",
            "CLNY",
            "RTA",
            "exporter_iso3",
            "importer_iso3"
        ]
    );
    let exporters: std::collections::BTreeSet<String> = (0..p.num_rows())
        .map(|i| text(p, "exporter", i).unwrap())
        .collect();
    assert_eq!(exporters.len(), 69);
    let mut per_year = std::collections::BTreeMap::new();
    for i in 0..p.num_rows() {
        *per_year.entry(int(p, "year", i).unwrap()).or_insert(0) += 1;
    }
    assert_eq!(per_year.len(), 21);
    assert_eq!(
        per_year.keys().copied().collect::<Vec<_>>(),
        (1986..=2006).collect::<Vec<_>>()
    );
    assert!(per_year.values().all(|&n| n == 4761));

    // (row, exporter, importer, pair_id, year, trade, DIST, CNTG, LANG, CLNY, RTA), from pandas.
    type Obs = (
        usize,
        &'static str,
        &'static str,
        i64,
        i64,
        f64,
        f64,
        [i64; 4],
    );
    let rows: [Obs; 6] = [
        (
            0,
            "ARG",
            "ARG",
            12339,
            1986,
            61288.59026286057,
            533.908239819169,
            [0, 0, 0, 0],
        ),
        (
            1,
            "ARG",
            "AUS",
            1,
            1986,
            27.76487390676141,
            12044.574133735276,
            [0, 0, 0, 0],
        ),
        (
            1056,
            "DEU",
            "FRA",
            507,
            1986,
            25316.47516796875,
            789.5814627586365,
            [1, 0, 0, 0],
        ),
        (
            70602,
            "ROM",
            "DEU",
            1216,
            2000,
            1378.6875,
            1341.0962154971123,
            [0, 0, 0, 1],
        ),
        (
            99850,
            "USA",
            "CAN",
            950,
            2006,
            176540.59027734376,
            2079.2967191096304,
            [1, 1, 0, 1],
        ),
        (
            99980,
            "ZAF",
            "ZAF",
            12415,
            2006,
            150850.5045546135,
            585.4579368426561,
            [0, 0, 0, 0],
        ),
    ];
    for (i, ex, im, pair, year, trade, dist, dummies) in rows {
        assert_eq!(text(p, "exporter", i).as_deref(), Some(ex), "row {i}");
        assert_eq!(text(p, "importer", i).as_deref(), Some(im), "row {i}");
        assert_eq!(int(p, "pair_id", i), Some(pair), "row {i}");
        assert_eq!(int(p, "year", i), Some(year), "row {i}");
        assert_eq!(float(p, "trade", i), Some(trade), "row {i}");
        assert_eq!(float(p, "DIST", i), Some(dist), "row {i}");
        let got: Vec<Option<i64>> = ["CNTG", "LANG", "CLNY", "RTA"]
            .iter()
            .map(|c| int(p, c, i))
            .collect();
        assert_eq!(got, dummies.map(Some), "row {i}");
    }
    // The Guide writes Romania ROM; its ISO3 is ROU.
    assert_eq!(text(p, "exporter_iso3", 70602).as_deref(), Some("ROU"));
    assert_eq!(text(p, "importer_iso3", 70602).as_deref(), Some("DEU"));

    let sum_2006: f64 = (0..p.num_rows())
        .filter(|&i| int(p, "year", i) == Some(2006))
        .map(|i| float(p, "trade", i).unwrap())
        .sum();
    let pandas = 26248052.968600594;
    assert!(((sum_2006 - pandas) / pandas).abs() < 1e-12, "{sum_2006}");
    let rta: i64 = (0..p.num_rows()).map(|i| int(p, "RTA", i).unwrap()).sum();
    assert_eq!(rta, 11650);

    let st = stats(&l, PANEL);
    assert_eq!((st.rows_read, st.rows_loaded), (99_981, 99_981));
    assert_eq!(
        st.adjusted["exporter ROM: a legacy code, iso3 ROU"],
        69 * 21
    );
}

#[test]
fn wits_trade_keeps_what_the_mirror_reader_accepts_and_counts_the_rest() {
    let l = load(&[WITS]);
    let w = table(&l, "wits_trade");
    let st = stats(&l, WITS);
    // The file's data lines, counted with the csv crate.
    let bytes = raw(WITS);
    let lines = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&bytes[..])
        .records()
        .count();
    assert_eq!(lines, 40_618);
    assert_eq!(st.rows_read, 40_618);
    let aggregates: u64 = st
        .excluded
        .iter()
        .filter(|(k, _)| k.contains("as reporter or partner"))
        .map(|(_, n)| n)
        .sum();
    assert_eq!(aggregates, 1_181);
    assert_eq!(st.excluded["reporter and partner the same country"], 19);
    assert_eq!(st.rows_loaded, 40_618 - 1_181 - 19);
    assert_eq!(w.num_rows() as u64, st.rows_loaded);
    assert!((0..w.num_rows()).all(|i| int(w, "year", i) == Some(2009)));

    let at = |line: i64| {
        (0..w.num_rows())
            .find(|&i| int(w, "line", i) == Some(line))
            .unwrap_or_else(|| panic!("no line {line}"))
    };
    // Line 2: `NC;ABW; Total;Aruba;ARG;Argentina;2009;Export;6;.067`.
    let i = at(2);
    assert_eq!(text(w, "reporter_iso3", i).as_deref(), Some("ABW"));
    assert_eq!(text(w, "partner_iso3", i).as_deref(), Some("ARG"));
    assert_eq!(text(w, "direction", i).as_deref(), Some("export"));
    assert_eq!(float(w, "value_kusd", i), Some(0.067));
    // Line 32,024: `NC;ROM; Total;Romania;AFG;Afghanistan;2009;Import;5;1.688`: WITS's legacy
    // code for Romania.
    let i = at(32_024);
    assert_eq!(text(w, "reporter_iso3", i).as_deref(), Some("ROU"));
    assert_eq!(text(w, "direction", i).as_deref(), Some("import"));
    assert_eq!(float(w, "value_kusd", i), Some(1.688));
    assert!(st.adjusted["WITS legacy code ROM->ROU"] > 0);
}

#[test]
fn cepii_distances_every_pair() {
    let l = load(&[CEPII]);
    let c = table(&l, "cepii_dist");
    let bytes = raw(CEPII);
    let n = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&bytes[..])
        .records()
        .count();
    assert_eq!(n, 50_176);
    assert_eq!(c.num_rows(), n);
    let cols: Vec<String> = c
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    assert_eq!(
        cols,
        [
            "iso_o",
            "iso_d",
            "contig",
            "comlang_off",
            "comlang_ethno",
            "colony",
            "comcol",
            "curcol",
            "col45",
            "smctry",
            "dist",
            "distcap",
            "distw",
            "distwces",
            "iso3_o",
            "iso3_d"
        ]
    );
    // Line 2: `ABW;ABW;0;0;0;0;0;0;0;0;5.225315;5.225315;25.09354;23.04723`.
    assert_eq!(float(c, "dist", 0), Some(5.225315));
    assert_eq!(float(c, "distw", 0), Some(25.09354));
    // Line 36: `ABW;CCK;0;0;1;0;0;0;0;0;18614.29;18614.29;.;.`: `.` is missing.
    assert_eq!(text(c, "iso_d", 34).as_deref(), Some("CCK"));
    assert_eq!(int(c, "comlang_ethno", 34), Some(1));
    assert_eq!(float(c, "distw", 34), None);
    // Line 37,909: `ROM;DEU;0;0;0;0;0;0;0;0;1621.217;1298.071;1341.096;1300.491`.
    let i = 37_909 - 2;
    assert_eq!(text(c, "iso_o", i).as_deref(), Some("ROM"));
    assert_eq!(text(c, "iso3_o", i).as_deref(), Some("ROU"));
    assert_eq!(text(c, "iso3_d", i).as_deref(), Some("DEU"));
    assert_eq!(float(c, "dist", i), Some(1621.217));
    let st = stats(&l, CEPII);
    assert_eq!((st.rows_read, st.rows_loaded), (50_176, 50_176));
    let missing = (0..c.num_rows())
        .filter(|&i| float(c, "distw", i).is_none())
        .count();
    assert_eq!(missing, 2_215);
}

#[test]
fn an_unknown_code_fails_naming_file_line_and_code() {
    let s = registry().iter().find(|s| s.meta().id == "trade").unwrap();
    let bytes = String::from_utf8(raw(CEPII)).unwrap();
    let bad = bytes.replacen("\nROM;DEU;", "\nXYZ;DEU;", 1);
    let e = s
        .load(&[Input {
            name: CEPII.into(),
            bytes: bad.into_bytes(),
        }])
        .err()
        .unwrap()
        .to_string();
    assert!(
        e.starts_with("trade/dist_cepii.csv:37909: column \"iso_o\":") && e.contains("\"XYZ\""),
        "{e}"
    );
    let bytes = String::from_utf8(raw(WITS)).unwrap();
    let bad = bytes.replacen("NC;ABW; Total;Aruba;ARG;", "NC;ABW; Total;Aruba;XYZ;", 1);
    let e = s
        .load(&[Input {
            name: WITS.into(),
            bytes: bad.into_bytes(),
        }])
        .err()
        .unwrap()
        .to_string();
    assert!(
        e.starts_with("trade/WITS_trade2009.csv:2:") && e.contains("\"XYZ\""),
        "{e}"
    );
}

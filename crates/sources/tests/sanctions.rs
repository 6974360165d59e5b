//! The sanctions adapter on the mirror's real files: `sanctions/GSDB_V3.csv` (Global Sanctions
//! Data Base, release 3) and `sanctions/TIESv4.1.raw.csv` (the mirror's CSV conversion of the
//! TIES 4.1 workbook). Row counts are the files' own (1,325 GSDB cases, the last line without a
//! newline; 1,412 TIES cases); the hand-checked rows were read off the raw lines of those files
//! (line numbers below, as an editor counts them); the dyad-year count is recomputed here from
//! the raw CSV with the csv crate, apart from the adapter's code.

mod common;

use std::collections::BTreeSet;

use arrow::record_batch::RecordBatch;
use attache_sources::{Input, Loaded};
use common::{int, raw, text};

const GSDB: &str = "sanctions/GSDB_V3.csv";
const TIES: &str = "sanctions/TIESv4.1.raw.csv";

fn load(inputs: Vec<Input>) -> Result<Loaded, String> {
    common::load_inputs(
        "sanctions",
        inputs.into_iter().map(|i| (i.name, i.bytes)).collect(),
    )
}

fn load_mirror() -> Loaded {
    load(
        [GSDB, TIES]
            .iter()
            .map(|f| Input {
                name: f.to_string(),
                bytes: raw(f),
            })
            .collect(),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn batches<'a>(l: &'a Loaded, table: &str) -> Vec<&'a RecordBatch> {
    l.tables
        .iter()
        .filter(|t| t.table == table)
        .map(|t| &t.batch)
        .collect()
}

/// The row whose integer column `col` is `value`.
fn row_where(b: &RecordBatch, col: &str, value: i64) -> usize {
    (0..b.num_rows())
        .find(|&i| int(b, col, i) == Some(value))
        .unwrap_or_else(|| panic!("no row with {col} = {value}"))
}

#[test]
fn gsdb_every_case_with_its_parties_resolved() {
    let bytes = raw(GSDB);
    assert!(
        !bytes.ends_with(b"\n"),
        "the mirror's GSDB ends without a newline"
    );
    let l = load_mirror();
    let g = batches(&l, "sanctions_gsdb");
    assert_eq!(g.len(), 1);
    let g = g[0];
    let file_rows = csv::Reader::from_reader(&bytes[..]).records().count();
    assert_eq!(file_rows, 1325);
    assert_eq!(
        g.num_rows(),
        file_rows,
        "every case, the unterminated last one too"
    );
    let cols: Vec<String> = g
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    assert_eq!(
        cols,
        [
            "case_id",
            "sanctioned_state",
            "sanctioning_state",
            "begin",
            "end",
            "trade",
            "descr_trade",
            "arms",
            "military",
            "financial",
            "travel",
            "other",
            "target_mult",
            "sender_mult",
            "objective",
            "success",
            "target_iso3",
            "target_kind",
            "sender_iso3",
            "sender_kind",
        ]
    );

    // Line 1326, the last: `1325,United States,Russia,2022,2022,1,"exp_part, imp_part",0,0,1,1,1,0,0,policy_change,ongoing`.
    let i = g.num_rows() - 1;
    assert_eq!(int(g, "case_id", i), Some(1325));
    assert_eq!(
        text(g, "sanctioned_state", i).as_deref(),
        Some("United States")
    );
    assert_eq!(text(g, "target_iso3", i).as_deref(), Some("USA"));
    assert_eq!(text(g, "sender_iso3", i).as_deref(), Some("RUS"));
    assert_eq!(text(g, "sender_kind", i).as_deref(), Some("state"));
    let flags: Vec<Option<i64>> = ["trade", "arms", "military", "financial", "travel", "other"]
        .iter()
        .map(|c| int(g, c, i))
        .collect();
    assert_eq!(flags, [1, 0, 0, 1, 1, 1].map(Some));
    assert_eq!(
        text(g, "descr_trade", i).as_deref(),
        Some("exp_part, imp_part")
    );
    assert_eq!(text(g, "success", i).as_deref(), Some("ongoing"));

    // Line 2: `1,German Democratic Republic,Germany,1949,1973,...,territorial_conflict,success_total`.
    let i = row_where(g, "case_id", 1);
    assert_eq!(text(g, "target_iso3", i).as_deref(), Some("DDR"));
    assert_eq!(text(g, "sender_iso3", i).as_deref(), Some("DEU"));
    assert_eq!(
        (int(g, "begin", i), int(g, "end", i)),
        (Some(1949), Some(1973))
    );

    // Line 44: `43,"Egypt, Arab Rep.","United States, United Kingdom, France",1956,1957,...`.
    let i = row_where(g, "case_id", 43);
    assert_eq!(text(g, "target_iso3", i).as_deref(), Some("EGY"));
    assert_eq!(text(g, "target_kind", i).as_deref(), Some("state"));
    assert_eq!(text(g, "sender_iso3", i).as_deref(), Some("USA, GBR, FRA"));
    assert_eq!(text(g, "sender_kind", i).as_deref(), Some("states"));

    // Line 375: `374,Iraq,EU,1990,2003,...`: an organisation has no ISO3.
    let i = row_where(g, "case_id", 374);
    assert_eq!(text(g, "sender_iso3", i), None);
    assert_eq!(text(g, "sender_kind", i).as_deref(), Some("organisation"));

    // Line 521: `520,Sudan,"EU, Turkey, Croatia, Macedonia, Montenegro, Iceland, Albania,
    // Serbia, Liechtenstein, Norway, Armenia",1994,2004,...`: the EU and the states aligned with
    // it; "Serbia" in 1994 is the Federal Republic of Yugoslavia (COW 345), Montenegro is
    // itself before its years.
    let i = row_where(g, "case_id", 520);
    assert_eq!(text(g, "sender_kind", i).as_deref(), Some("mixed"));
    assert_eq!(
        text(g, "sender_iso3", i).as_deref(),
        Some("TUR, HRV, MKD, MNE, ISL, ALB, SCG, LIE, NOR, ARM")
    );

    // Line 620: `619,Yugoslavia,UN,1998,2001,...`: Yugoslavia in 1998 is Serbia and Montenegro.
    let i = row_where(g, "case_id", 619);
    assert_eq!(text(g, "target_iso3", i).as_deref(), Some("SCG"));

    // Line 807: `806,South Vietnam,United States,2007,2016,...`: the GSDB's name for Vietnam.
    let i = row_where(g, "case_id", 806);
    assert_eq!(text(g, "target_iso3", i).as_deref(), Some("VNM"));

    // Nothing dropped, and what has no ISO3 is counted per kind.
    let (_, st) = l.stats.iter().find(|(f, _)| f == GSDB).unwrap();
    assert_eq!((st.rows_read, st.rows_loaded), (1325, 1325));
    let count = |key: &str| st.adjusted.get(key).copied().unwrap_or(0);
    assert_eq!(
        count("sender_kind organisation: sender_iso3 holds no ISO3 for what is not a state"),
        (0..g.num_rows())
            .filter(|&i| text(g, "sender_kind", i).as_deref() == Some("organisation"))
            .count() as u64
    );
}

#[test]
fn ties_every_case_with_cow_codes_resolved_for_its_start_year() {
    let bytes = raw(TIES);
    let l = load_mirror();
    let t = batches(&l, "sanctions_ties")[0];
    let mut r = csv::Reader::from_reader(&bytes[..]);
    assert_eq!(r.headers().unwrap().len(), 66);
    assert_eq!(r.records().count(), 1412);
    assert_eq!(t.num_rows(), 1412);
    assert_eq!(t.num_columns(), 66 + 4);

    // Line 2: caseid 1945121601, sender1 2, primarysender 2, targetstate 710, imposition 1,
    // sancimpositionstartyear 1946, sanctiontype "2 7", finaloutcome 8.
    let i = row_where(t, "caseid", 1945121601);
    assert_eq!(text(t, "primarysender_iso3", i).as_deref(), Some("USA"));
    assert_eq!(text(t, "target_iso3", i).as_deref(), Some("CHN"));
    assert_eq!(text(t, "sanctiontype", i).as_deref(), Some("2 7"));
    assert_eq!(text(t, "institutionid", i).as_deref(), Some("4400"));
    assert_eq!(int(t, "finaloutcome", i), Some(8));
    // Line 3: COW 365 in 1946 is the Soviet Union; 305 Austria.
    let i = row_where(t, "caseid", 1946020801);
    assert_eq!(text(t, "primarysender_iso3", i).as_deref(), Some("SUN"));
    assert_eq!(text(t, "target_iso3", i).as_deref(), Some("AUT"));
    // Line 46: the imposition year written with a note, kept as published.
    let i = row_where(t, "caseid", 1949122401);
    assert_eq!(
        text(t, "sancimpositionstartyear", i).as_deref(),
        Some("1949, sometime before this date.")
    );
    // Line 330: Canada against the EEC, TIES's code 1000.
    let i = row_where(t, "caseid", 1977010101);
    assert_eq!(text(t, "primarysender_iso3", i).as_deref(), Some("CAN"));
    assert_eq!(text(t, "target_iso3", i), None);
    assert_eq!(text(t, "target_kind", i).as_deref(), Some("organisation"));

    let (_, st) = l.stats.iter().find(|(f, _)| f == TIES).unwrap();
    assert_eq!((st.rows_read, st.rows_loaded), (1412, 1412));
    assert_eq!(
        st.adjusted.get(
            "targetstate 1000 (TIES's code for the EEC, EC and EU) is no state: ISO3 left null"
        ),
        Some(&44)
    );
}

/// The dyad-years, recounted from the raw files: GSDB, senders x targets x (end - begin + 1),
/// a list's names counted at its commas less the second halves of the World Bank's inverted
/// names ("Korea, North"); TIES, imposed cases with an imposition year, distinct sender codes
/// (or the institution codes when there is none) x (end, else ongoing-as-of, else 2005, less
/// the imposition year, plus one).
fn independent_dyad_years() -> (usize, usize) {
    let tails = [
        "Democratic Republic of the",
        "Arab Rep.",
        "The",
        "North",
        "South",
    ];
    let names = |s: &str| s.split(',').filter(|p| !tails.contains(&p.trim())).count();
    let mut gsdb = 0;
    let bytes = raw(GSDB);
    let mut r = csv::Reader::from_reader(&bytes[..]);
    for rec in r.deserialize::<std::collections::HashMap<String, String>>() {
        let rec = rec.unwrap();
        let years: usize =
            rec["end"].parse::<usize>().unwrap() - rec["begin"].parse::<usize>().unwrap() + 1;
        gsdb += names(&rec["sanctioning_state"]) * names(&rec["sanctioned_state"]) * years;
    }
    let mut ties = 0;
    let bytes = raw(TIES);
    let mut r = csv::Reader::from_reader(&bytes[..]);
    for rec in r.deserialize::<std::collections::HashMap<String, String>>() {
        let rec = rec.unwrap();
        if rec["imposition"] != "1" || rec["sancimpositionstartyear"].is_empty() {
            continue;
        }
        let first: usize = rec["sancimpositionstartyear"][..4].parse().unwrap();
        let last: usize = [&rec["endyear"], &rec["ongoingasofyear"]]
            .iter()
            .find(|y| !y.is_empty())
            .map_or(2005, |y| y.parse().unwrap());
        let senders: BTreeSet<&str> = [
            "sender1",
            "sender2",
            "sender3",
            "sender4",
            "sender5",
            "primarysender",
        ]
        .iter()
        .map(|c| rec[*c].as_str())
        .filter(|v| !v.is_empty())
        // COW 260 (the FRG) and 255 (Germany) are one state, DEU, in the crosswalk.
        .map(|v| if v == "260" { "255" } else { v })
        .collect();
        let n = if senders.is_empty() {
            rec["institutionid"].split_whitespace().count()
        } else {
            senders.len()
        };
        ties += n * (last - first + 1);
    }
    (gsdb, ties)
}

#[test]
fn dyad_years_equal_an_independent_count() {
    let l = load_mirror();
    let d = batches(&l, "sanction_dyad_years");
    let (gsdb, ties) = independent_dyad_years();
    assert_eq!((gsdb, ties), (13_866, 9_355), "the recount itself");
    let mut by_source = std::collections::BTreeMap::new();
    let mut keys = BTreeSet::new();
    for b in &d {
        for i in 0..b.num_rows() {
            *by_source.entry(text(b, "source", i).unwrap()).or_insert(0) += 1;
            let key = (
                text(b, "source", i),
                int(b, "case_id", i),
                text(b, "sender_name", i),
                text(b, "target_name", i),
                int(b, "year", i),
            );
            assert!(keys.insert(key.clone()), "twice: {key:?}");
        }
    }
    assert_eq!(by_source["gsdb"], gsdb);
    assert_eq!(by_source["ties"], ties);

    let find = |source: &str, case: i64, year: i64| -> Vec<(usize, usize)> {
        d.iter()
            .enumerate()
            .flat_map(|(k, b)| {
                (0..b.num_rows())
                    .filter(move |&i| {
                        text(b, "source", i).as_deref() == Some(source)
                            && int(b, "case_id", i) == Some(case)
                            && int(b, "year", i) == Some(year)
                    })
                    .map(move |i| (k, i))
            })
            .collect()
    };
    // GSDB 1325, Russia against the United States in 2022.
    let rows = find("gsdb", 1325, 2022);
    assert_eq!(rows.len(), 1);
    let (b, i) = (d[rows[0].0], rows[0].1);
    assert_eq!(text(b, "sender_iso3", i).as_deref(), Some("RUS"));
    assert_eq!(text(b, "target_iso3", i).as_deref(), Some("USA"));
    let flags: Vec<Option<i64>> = ["trade", "arms", "military", "financial", "travel", "other"]
        .iter()
        .map(|c| int(b, c, i))
        .collect();
    assert_eq!(flags, [1, 0, 0, 1, 1, 1].map(Some));
    assert_eq!(int(b, "multilateral", i), Some(0));
    assert_eq!(text(b, "sanctiontype", i), None);
    // GSDB 374, the EU against Iraq 1990-2003: one organisation sender, not its members.
    let rows = find("gsdb", 374, 1995);
    assert_eq!(rows.len(), 1);
    let (b, i) = (d[rows[0].0], rows[0].1);
    assert_eq!(text(b, "sender_name", i).as_deref(), Some("EU"));
    assert_eq!(text(b, "sender_iso3", i), None);
    assert_eq!(text(b, "sender_kind", i).as_deref(), Some("organisation"));
    assert_eq!(text(b, "target_iso3", i).as_deref(), Some("IRQ"));
    assert!(find("gsdb", 374, 2004).is_empty());
    // GSDB 43: three senders, one row each.
    assert_eq!(find("gsdb", 43, 1956).len(), 3);
    // TIES 1945121601: imposed 1946, ended 1947.
    assert!(find("ties", 1945121601, 1945).is_empty());
    assert_eq!(find("ties", 1945121601, 1947).len(), 1);
    let (b, i) = {
        let r = find("ties", 1945121601, 1946)[0];
        (d[r.0], r.1)
    };
    assert_eq!(text(b, "sanctiontype", i).as_deref(), Some("2 7"));
    assert_eq!(int(b, "trade", i), None);
    assert_eq!(int(b, "multilateral", i), Some(1), "institution = 1");
    // TIES 1981012901 (line 400): institutions 3450 and 3850 against Israel from 1981, with no
    // end date: in force through 2005, one row per institution.
    assert_eq!(find("ties", 1981012901, 2005).len(), 2);
    assert!(find("ties", 1981012901, 2006).is_empty());
    let (b, i) = {
        let r = find("ties", 1981012901, 1981)[0];
        (d[r.0], r.1)
    };
    assert_eq!(
        text(b, "sender_name", i).as_deref(),
        Some("institution 3450")
    );
    assert_eq!(text(b, "sender_iso3", i), None);
    assert_eq!(text(b, "target_iso3", i).as_deref(), Some("ISR"));
}

#[test]
fn an_unknown_name_or_code_fails_naming_file_line_and_value() {
    // Line 5 of the GSDB is `4,Bulgaria,United States,1950,1959,...`.
    let bytes = String::from_utf8(raw(GSDB)).unwrap();
    let bad = bytes.replacen("\n4,Bulgaria,", "\n4,Atlantis,", 1);
    assert_ne!(bad, bytes);
    let e = load(vec![Input {
        name: GSDB.into(),
        bytes: bad.into_bytes(),
    }])
    .err()
    .unwrap();
    assert!(
        e.starts_with(
            "sanctions/GSDB_V3.csv:5: column \"sanctioned_state\": no country or code matches \"Atlantis\""
        ),
        "{e}"
    );
    // Inside a list, the name that does not resolve is the one named.
    let bad = bytes.replacen(
        "\"United States, United Kingdom, France\"",
        "\"United States, Narnia, France\"",
        1,
    );
    let e = load(vec![Input {
        name: GSDB.into(),
        bytes: bad.into_bytes(),
    }])
    .err()
    .unwrap();
    assert!(
        e.starts_with("sanctions/GSDB_V3.csv:44: column \"sanctioning_state\": no country or code matches \"Narnia\""),
        "{e}"
    );
    // TIES line 2's target, COW 710, made 999.
    let bytes = String::from_utf8(raw(TIES)).unwrap();
    let bad = bytes.replacen(
        "\n1945121601,12,16,1945,5,27,1947,,,,2,,,,,2,710,",
        "\n1945121601,12,16,1945,5,27,1947,,,,2,,,,,2,999,",
        1,
    );
    assert_ne!(bad, bytes);
    let e = load(vec![Input {
        name: TIES.into(),
        bytes: bad.into_bytes(),
    }])
    .err()
    .unwrap();
    assert!(
        e.starts_with("sanctions/TIESv4.1.raw.csv:2: column \"targetstate\":")
            && e.contains("\"999\""),
        "{e}"
    );
}

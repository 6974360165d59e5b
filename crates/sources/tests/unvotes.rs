//! The UN General Assembly adapters on the mirror's real files: every row loaded, absences and
//! non-membership kept, country codes resolved on the vote's date. Expected counts are read off
//! the files (MANIFEST.md: 1,066,613 country-votes in the 2016 raw file, 6,203 roll calls,
//! 5,745 issue tags, 11,440 ideal-point rows); expected cells are rows of the files read by
//! hand (the first row of the raw file is roll call 3 of 1 January 1946, the United States
//! voting yes).

use arrow::array::{Array, Int64Array, StringArray};
use attache_sources::{Input, Loaded, registry};

fn load(source: &str, files: &[&str]) -> Loaded {
    let m = attache_testdata::mirror();
    let inputs: Vec<Input> = files
        .iter()
        .map(|f| Input {
            name: f.to_string(),
            bytes: std::fs::read(m.join(f)).unwrap(),
        })
        .collect();
    let s = registry().iter().find(|s| s.meta().id == source).unwrap();
    s.load(&inputs).unwrap_or_else(|e| panic!("{source}: {e}"))
}

fn table<'a>(l: &'a Loaded, name: &str) -> &'a arrow::record_batch::RecordBatch {
    &l.tables.iter().find(|t| t.table == name).unwrap().batch
}

fn text(b: &arrow::record_batch::RecordBatch, col: &str, row: usize) -> String {
    let a = b.column(b.schema().index_of(col).unwrap());
    if a.is_null(row) {
        return "null".into();
    }
    if let Some(x) = a.as_any().downcast_ref::<Int64Array>() {
        return x.value(row).to_string();
    }
    a.as_any()
        .downcast_ref::<StringArray>()
        .unwrap()
        .value(row)
        .to_string()
}

/// (table, rows, cells (column, row, value)).
fn check(l: &Loaded, name: &str, rows: usize, cells: &[(&str, usize, &str)]) {
    let b = table(l, name);
    assert_eq!(b.num_rows(), rows, "{name}");
    for (c, r, want) in cells {
        assert_eq!(&text(b, c, *r), want, "{name}.{c}[{r}]");
    }
}

#[test]
fn votes_roll_calls_and_issues_load_whole() {
    let t = std::time::Instant::now();
    let l = load(
        "unvotes",
        &[
            "unvotes/UNVotesPublished.RData",
            "unvotes/un_roll_calls.csv",
            "unvotes/un_roll_call_issues.csv",
        ],
    );
    eprintln!("loaded in {:?}", t.elapsed());
    check(
        &l,
        "un_votes",
        1_066_613,
        &[
            ("rcid", 0, "3"),
            ("vote", 0, "1"),
            ("ccode", 0, "2"),
            ("iso3", 0, "USA"),
            ("date", 0, "1946-01-01"),
            ("unres", 0, "R/1/66"),
            ("year", 0, "1946"),
            ("rcid", 1_066_612, "5466"),
            ("date", 1_066_612, "2015-12-23"),
            ("vote", 1_066_612, "8"),
        ],
    );
    check(
        &l,
        "un_roll_calls",
        6_203,
        &[("rcid", 0, "3"), ("unres", 0, "R/1/66")],
    );
    check(
        &l,
        "un_roll_call_issues",
        5_745,
        &[("rcid", 0, "77"), ("short_name", 0, "me")],
    );
    for (file, st) in &l.stats {
        assert_eq!(st.rows_read, st.rows_loaded + st.rows_excluded(), "{file}");
        assert_eq!(st.rows_excluded(), 0, "{file}: {:?}", st.excluded);
        eprintln!("{file}: adjusted {:?}", st.adjusted);
    }
    // Absences and non-membership are kept.
    let b = table(&l, "un_votes");
    let votes = b.column(b.schema().index_of("vote").unwrap());
    let votes = votes.as_any().downcast_ref::<Int64Array>().unwrap();
    let count = |v: i64| votes.iter().filter(|x| *x == Some(v)).count();
    assert!(
        count(8) > 50_000 && count(9) > 100_000,
        "{} {}",
        count(8),
        count(9)
    );
    // COW 365 is the USSR before 1991-12-26 and Russia after.
    let iso = b.column(b.schema().index_of("iso3").unwrap());
    let iso = iso.as_any().downcast_ref::<StringArray>().unwrap();
    let ccode = b.column(b.schema().index_of("ccode").unwrap());
    let ccode = ccode.as_any().downcast_ref::<Int64Array>().unwrap();
    let year = b.column(b.schema().index_of("year").unwrap());
    let year = year.as_any().downcast_ref::<Int64Array>().unwrap();
    let of = |code: i64, y: i64| {
        (0..b.num_rows())
            .find(|&i| ccode.value(i) == code && year.value(i) == y)
            .map(|i| iso.value(i).to_string())
    };
    assert_eq!(of(365, 1980).as_deref(), Some("SUN"));
    assert_eq!(of(365, 2000).as_deref(), Some("RUS"));
    assert_eq!(iso.null_count(), 0);
    // Session 48: Monaco's and Mongolia's rows put back (65 roll calls each). Mongolia votes
    // 61 times (59 yes), Monaco 37 times with 28 absences, as in the 2025 release's counts.
    let session = b.column(b.schema().index_of("session").unwrap());
    let session = session.as_any().downcast_ref::<Int64Array>().unwrap();
    let tally = |state: &str, v: i64| {
        (0..b.num_rows())
            .filter(|&i| session.value(i) == 48 && iso.value(i) == state && votes.value(i) == v)
            .count()
    };
    assert_eq!(
        [1, 2, 3, 8].map(|v| tally("MNG", v)),
        [59, 2, 0, 4],
        "Mongolia in session 48"
    );
    assert_eq!(
        [1, 2, 3, 8].map(|v| tally("MCO", v)),
        [20, 7, 10, 28],
        "Monaco in session 48"
    );
    let swapped = l
        .stats
        .iter()
        .map(|(_, st)| {
            st.adjusted
                .iter()
                .filter(|(r, _)| r.starts_with("session 48"))
                .map(|(_, n)| *n)
                .sum::<u64>()
        })
        .sum::<u64>();
    assert_eq!(swapped, 130);
}

#[test]
fn ideal_points_load_whole() {
    let l = load("un-ideal-points", &["unvotes/IdealpointsJuly2025.csv"]);
    check(
        &l,
        "un_ideal_points",
        11_440,
        &[("iso3", 0, "USA"), ("iso3c", 0, "USA"), ("year", 0, "1946")],
    );
    let b = table(&l, "un_ideal_points");
    let ip = b.column(b.schema().index_of("idealpointfp").unwrap());
    let ip = ip
        .as_any()
        .downcast_ref::<arrow::array::Float64Array>()
        .unwrap();
    assert!((ip.value(0) - 1.663375).abs() < 1e-9);
}

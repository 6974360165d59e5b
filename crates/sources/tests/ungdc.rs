//! The UN General Debate Corpus adapter on the mirror's real files. Expected counts are the
//! MANIFEST's (10,952 archive members, 10,944 speaker rows); every speech's code, session,
//! year and word count is checked against the mirror's `ungdc/ungdc_index.csv` (a listing of the
//! archive written by the mirror with Python: `len(text.split())` words), and the first
//! speech's text against the member read by hand (`tar -xOf ... 'TXT/Session 01 -
//! 1946/ARG_01_1946.txt'`). Damaged archives (a member renamed, a year that disagrees with its
//! folder, bad UTF-8, a second speech) are built here with the same `tar` and `liblzma`
//! crates and must fail naming the member and the value.

mod common;

use std::collections::HashMap;

use attache_sources::adapters::ungdc::{ARCHIVE, SPEAKERS};
use common::{int, load_inputs, raw, table, text};

fn speeches_and_speakers() -> attache_sources::Loaded {
    let t = std::time::Instant::now();
    let l = common::load_mirror("ungdc", &[ARCHIVE, SPEAKERS]);
    eprintln!("ungdc loaded in {:?}", t.elapsed());
    l
}

#[test]
fn every_speech_and_speaker_loads_and_matches_the_index() {
    let l = speeches_and_speakers();
    let b = table(&l, "ungdc_speeches");
    assert_eq!(b.num_rows(), 10_952);
    // The index: iso3,session,year,path,bytes,words.
    let index = String::from_utf8(raw("ungdc/ungdc_index.csv")).unwrap();
    let mut want: HashMap<(String, i64), (i64, i64)> = HashMap::new();
    for line in index.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        want.insert(
            (f[0].to_string(), f[1].parse().unwrap()),
            (f[2].parse().unwrap(), f[5].parse().unwrap()),
        );
    }
    assert_eq!(want.len(), 10_952);
    let mut total_words = 0;
    for i in 0..b.num_rows() {
        let code = text(b, "code", i).unwrap();
        let session = int(b, "session", i).unwrap();
        let (year, words) = want[&(code.clone(), session)];
        assert_eq!(int(b, "year", i), Some(year), "{code} {session}");
        assert_eq!(int(b, "words", i), Some(words), "{code} {session}");
        total_words += words;
    }
    eprintln!("{total_words} words in all");
    // The first member, read by hand.
    assert_eq!(text(b, "code", 0).as_deref(), Some("ARG"));
    assert_eq!(text(b, "iso3", 0).as_deref(), Some("ARG"));
    assert_eq!(int(b, "session", 0), Some(1));
    assert_eq!(int(b, "year", 0), Some(1946));
    assert_eq!(int(b, "words", 0), Some(3364));
    let t0 = text(b, "text", 0).unwrap();
    assert_eq!(t0.len(), 19_939);
    assert!(
        t0.starts_with("At the resumption of the first session of the General Assembly"),
        "{}",
        &t0[..80]
    );
    // The Soviet Union is RUS in the corpus, SUN in the store before 1992; the EU is no state.
    let mut by_key = HashMap::new();
    for i in 0..b.num_rows() {
        by_key.insert(
            (text(b, "code", i).unwrap(), int(b, "year", i).unwrap()),
            text(b, "iso3", i),
        );
    }
    assert_eq!(by_key[&("RUS".into(), 1960)].as_deref(), Some("SUN"));
    assert_eq!(by_key[&("RUS".into(), 2000)].as_deref(), Some("RUS"));
    assert_eq!(by_key[&("EU".into(), 2011)], None);
    let st = &l.stats.iter().find(|(f, _)| f == ARCHIVE).unwrap().1;
    assert_eq!((st.rows_read, st.rows_loaded), (10_952, 10_952));
    assert_eq!(
        st.adjusted["EU is the European Union, an organisation: iso3 null"],
        14
    );
    eprintln!("{:#?}", st.adjusted);

    let s = table(&l, "ungdc_speakers");
    assert_eq!(s.num_rows(), 10_944);
    let names: Vec<String> = s
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    assert_eq!(
        names,
        [
            "year",
            "session",
            "iso_code",
            "country",
            "name_of_person_speaking",
            "post",
            "note",
            "iso3"
        ]
    );
    // Line 2 of the file: 2024,79,BRA,Brazil ,Lula da Silva,President,
    assert_eq!(int(s, "year", 0), Some(2024));
    assert_eq!(text(s, "iso_code", 0).as_deref(), Some("BRA"));
    assert_eq!(text(s, "country", 0).as_deref(), Some("Brazil "));
    assert_eq!(
        text(s, "name_of_person_speaking", 0).as_deref(),
        Some("Lula da Silva")
    );
    assert_eq!(text(s, "iso3", 0).as_deref(), Some("BRA"));
    let st = &l.stats.iter().find(|(f, _)| f == SPEAKERS).unwrap().1;
    assert_eq!((st.rows_read, st.rows_loaded), (10_944, 10_944));
    assert_eq!(
        st.adjusted["ISO Code POR misprinted for PRT (Country says so)"],
        4
    );
    assert_eq!(st.adjusted["ISO Code with spaces around it: trimmed"], 7);
    let nulls = (0..s.num_rows())
        .filter(|&i| text(s, "iso3", i).is_none())
        .count();
    // EU (European Union and Council) rows and the League of Arab States.
    eprintln!("{nulls} speaker rows without an iso3; {:#?}", st.adjusted);
}

/// The stated tone rule, implemented naively and independently of `attache_text`'s compiled
/// patterns: split on non-letters, lowercase, first match of the positive list then the
/// negative one (the lists do not overlap), `*` a prefix.
fn naive_tone(text: &str) -> (i64, i64) {
    use attache_text::tone::{NEGATIVE, POSITIVE};
    let on = |list: &[&str], w: &str| {
        list.iter().any(|p| match p.strip_suffix('*') {
            Some(stem) => w.starts_with(stem),
            None => w == *p,
        })
    };
    let (mut pos, mut neg) = (0, 0);
    for w in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        let w = w.to_lowercase();
        if on(POSITIVE, &w) {
            pos += 1;
        } else if on(NEGATIVE, &w) {
            neg += 1;
        }
    }
    (pos, neg)
}

#[test]
fn tone_and_topic_shares_are_counted_for_every_speech() {
    let l = speeches_and_speakers();
    let s = table(&l, "ungdc_speeches");
    let t = table(&l, "ungdc_tone");
    assert_eq!(t.num_rows(), 10_952);
    let tone = |i: usize| {
        t.column_by_name("tone")
            .unwrap()
            .as_any()
            .downcast_ref::<arrow::array::Float64Array>()
            .unwrap()
            .value(i)
    };
    // Row for row with the speeches; every 100th speech's counts against the naive rule.
    for i in 0..t.num_rows() {
        assert_eq!(text(t, "code", i), text(s, "code", i));
        assert_eq!(int(t, "session", i), int(s, "session", i));
        if i % 100 == 0 {
            let (pos, neg) = naive_tone(&text(s, "text", i).unwrap());
            assert_eq!(
                (int(t, "positive", i), int(t, "negative", i)),
                (Some(pos), Some(neg)),
                "{:?} {:?}",
                text(s, "code", i),
                int(s, "year", i)
            );
            let want = ((pos as f64 + 0.5) / (neg as f64 + 0.5)).ln();
            assert!((tone(i) - want).abs() < 1e-12);
        }
    }
    // Face validity on a case nobody disputes: Syria's speeches after its civil war began
    // (2012-2016) are darker than in the decade before it (2000-2010), and speak more of
    // conflict.
    let mean = |col: &str, from: i64, to: i64| {
        let v: Vec<f64> = (0..t.num_rows())
            .filter(|&i| {
                text(t, "iso3", i).as_deref() == Some("SYR")
                    && (from..=to).contains(&int(t, "year", i).unwrap())
            })
            .map(|i| {
                t.column_by_name(col)
                    .unwrap()
                    .as_any()
                    .downcast_ref::<arrow::array::Float64Array>()
                    .unwrap()
                    .value(i)
            })
            .collect();
        assert!(!v.is_empty());
        v.iter().sum::<f64>() / v.len() as f64
    };
    let (before, during) = (mean("tone", 2000, 2010), mean("tone", 2012, 2016));
    eprintln!("Syria tone 2000-2010 {before:.3}, 2012-2016 {during:.3}");
    assert!(during < before - 0.5, "{before} {during}");
    assert!(mean("topic_conflict", 2012, 2016) > mean("topic_conflict", 2000, 2010));
}

/// Archive members: (name, bytes).
type Members<'a> = &'a [(&'a str, &'a [u8])];

/// A tar.xz of (member name, bytes).
fn archive(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, bytes) in members {
        let mut h = tar::Header::new_gnu();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, name, *bytes).unwrap();
    }
    let tar = b.into_inner().unwrap();
    let mut out = Vec::new();
    let mut xz = liblzma::write::XzEncoder::new(&mut out, 6);
    std::io::Write::write_all(&mut xz, &tar).unwrap();
    xz.finish().unwrap();
    out
}

fn load_archive(members: &[(&str, &[u8])]) -> Result<attache_sources::Loaded, String> {
    load_inputs("ungdc", vec![(ARCHIVE.to_string(), archive(members))])
}

#[test]
fn a_small_archive_loads_and_damage_fails_naming_member_and_value() {
    let ok = load_archive(&[
        (
            "TXT/Session 01 - 1946/ARG_01_1946.txt",
            b"We speak.\r\nOf peace.",
        ),
        ("TXT/Session 66 - 2011/EU_66_2011.txt", b"Union"),
    ])
    .unwrap();
    let b = table(&ok, "ungdc_speeches");
    assert_eq!(b.num_rows(), 2);
    assert_eq!(int(b, "words", 0), Some(4));
    assert_eq!(
        text(b, "text", 0).as_deref(),
        Some("We speak.\r\nOf peace.")
    );
    assert_eq!(text(b, "iso3", 1), None);

    let cases: [(Members, &[&str]); 6] = [
        (
            &[("TXT/Session 01 - 1946/ARG-01-1946.txt", b"x")],
            &[
                "\"TXT/Session 01 - 1946/ARG-01-1946.txt\"",
                "is not CODE_NN_YYYY.txt",
            ],
        ),
        (
            &[("TXT/Session 01 - 1946/ARG_01_1947.txt", b"x")],
            &[
                "ARG_01_1947.txt",
                "year \"1947\" in the file name, 1946 in the folder",
            ],
        ),
        (
            &[("TXT/Session 02 - 1946/ARG_02_1946.txt", b"x")],
            &["Session 02 - 1946", "session 2 was held in 1947"],
        ),
        (
            &[("TXT/Session 01 - 1946/ARG_01_1946.txt", b"ok \xff\xfe bad")],
            &["ARG_01_1946.txt", "not UTF-8 at byte 3", "[ff, fe"],
        ),
        (
            &[
                ("TXT/Session 01 - 1946/ARG_01_1946.txt", b"x"),
                ("TXT/Session 01 - 1946/ARG_01_1946.txt", b"y"),
            ],
            &["a second speech of ARG in session 1"],
        ),
        (
            &[("TXT/Session 01 - 1946/XXQ_01_1946.txt", b"x")],
            &["XXQ_01_1946.txt", "code \"XXQ\""],
        ),
    ];
    for (members, wants) in cases {
        let e = load_archive(members)
            .err()
            .expect("damaged archive refused");
        assert!(e.starts_with(ARCHIVE), "{e}");
        for w in wants {
            assert!(e.contains(w), "{w:?} not in {e}");
        }
    }
    // Not xz at all; xz cut short.
    let e = load_inputs("ungdc", vec![(ARCHIVE.into(), b"TXT/...".to_vec())])
        .err()
        .unwrap();
    assert!(e.contains("not an xz stream"), "{e}");
    let mut cut = archive(&[("TXT/Session 01 - 1946/ARG_01_1946.txt", &[b'a'; 5000])]);
    cut.truncate(cut.len() / 2);
    assert!(load_inputs("ungdc", vec![(ARCHIVE.into(), cut)]).is_err());
}

#[test]
fn speakers_with_a_year_off_its_session_or_an_unknown_code_fail_naming_the_line() {
    let head = "Year,Session,ISO Code,Country,Name of Person Speaking,Post,note\n";
    let load = |body: &str| {
        load_inputs(
            "ungdc",
            vec![(SPEAKERS.into(), format!("{head}{body}").into_bytes())],
        )
    };
    let ok =
        load("2024,79,BRA,Brazil ,Lula da Silva,President,\n1969,24,DKN,Denmark,Mr. HARTLING,,\n")
            .unwrap();
    let s = table(&ok, "ungdc_speakers");
    assert_eq!(text(s, "iso3", 1).as_deref(), Some("DNK"));
    let e = load("2024,78,BRA,Brazil,X,President,\n")
        .err()
        .expect("refused");
    assert!(
        e.contains(":2:") && e.contains("session 78 was held in 2023"),
        "{e}"
    );
    let e = load("2024,79,BRA,Brazil,X,President,\n2024,79,QQQ,Nowhere,Y,King,\n")
        .err()
        .expect("refused");
    assert!(e.contains(":3:") && e.contains("\"QQQ\""), "{e}");
    let e = load("1987,42,,Some Group,Z,,\n").err().expect("refused");
    assert!(e.contains(":2:"), "{e}");
}

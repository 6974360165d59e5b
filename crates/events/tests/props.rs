//! Property tests of the parsers of outside input (no panic on any bytes; what is written the
//! way the publisher writes it parses back) and of the slot arithmetic.

use attache_core::Date;
use attache_events::event::{self, EventKey};
use attache_events::listing::{self, FileKind, GdeltFile, ListingEntry};
use attache_events::slots::{self, SLOT_SECONDS, SLOTS_PER_DAY, Slot, UtcTime};
use proptest::prelude::*;

/// 1970 to 2100, in seconds.
fn instant() -> impl Strategy<Value = UtcTime> {
    (0i64..4_102_444_800).prop_map(UtcTime)
}

fn date() -> impl Strategy<Value = Date> {
    (0i64..47_000).prop_map(Date::from_days_since_epoch)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn slot_holds_its_instant(t in instant()) {
        let s = Slot::of(t);
        prop_assert!(s.start() <= t && t.0 < s.start().0 + SLOT_SECONDS);
        let a = Slot::at_or_after(t);
        prop_assert!(a.start() >= t && a.start().0 - t.0 < SLOT_SECONDS);
        prop_assert_eq!(Slot::parse_stamp(&s.stamp()).unwrap(), s);
        prop_assert_eq!(UtcTime::parse_compact(&t.compact()).unwrap(), t);
    }

    #[test]
    fn every_utc_day_has_96_slots(d in date()) {
        let next = Date::from_days_since_epoch(d.days_since_epoch() + 1);
        let v: Vec<Slot> = slots::expected_slots(UtcTime::midnight(d), UtcTime::midnight(next)).collect();
        prop_assert_eq!(v.len() as i64, SLOTS_PER_DAY);
        prop_assert_eq!(v[0].start().date(), d);
        prop_assert_eq!(v[95].start().date(), d);
        prop_assert!(v[0].stamp().ends_with("000000"));
    }

    #[test]
    fn gaps_and_present_partition_the_range(
        from in instant(),
        len in 0i64..(3 * 86_400),
        keep in proptest::collection::vec(any::<bool>(), 0..300),
        outside in proptest::collection::vec(-50i64..50, 0..5),
    ) {
        let to = UtcTime(from.0 + len);
        let expected: Vec<Slot> = slots::expected_slots(from, to).collect();
        for s in &expected {
            prop_assert!(s.start() >= from && s.start() < to);
        }
        let present: Vec<Slot> = expected
            .iter()
            .zip(keep.iter().cycle())
            .filter(|(_, k)| **k)
            .map(|(s, _)| *s)
            .chain(outside.iter().map(|o| {
                let base = if *o < 0 { Slot::at_or_after(from) } else { Slot::at_or_after(to) };
                base.plus(*o)
            }))
            .collect();
        let g = slots::gaps(from, to, present.iter().copied());
        let mut missing: Vec<Slot> = g.iter().flat_map(|x| x.slots()).collect();
        for w in g.windows(2) {
            prop_assert!(w[0].last.0 + 1 < w[1].first.0, "gaps are maximal runs");
        }
        let mut all: Vec<Slot> = present
            .iter()
            .copied()
            .filter(|s| expected.contains(s))
            .collect();
        all.append(&mut missing);
        all.sort_unstable();
        all.dedup();
        prop_assert_eq!(all, expected);
    }

    #[test]
    fn listings_round_trip(
        entries in proptest::collection::vec(
            (any::<u64>(), any::<[u8; 16]>(), 0i64..10_000, 0usize..3, any::<bool>()),
            1..20,
        ),
        crlf in any::<bool>(),
    ) {
        let base = Slot::parse_stamp("20150218230000").unwrap();
        let mut text = String::new();
        let mut want = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (size, md5, off, kind, tr) in entries {
            let file = GdeltFile { slot: base.plus(off), kind: FileKind::ALL[kind], translation: tr };
            if !seen.insert(file) {
                continue;
            }
            let line = format!("{size} {} {}", hexs(&md5), file.url());
            text.push_str(&line);
            text.push_str(if crlf { "\r\n" } else { "\n" });
            want.push((size, md5, file));
        }
        let got = listing::parse_masterfilelist(text.as_bytes()).unwrap();
        prop_assert_eq!(got.len(), want.len());
        for (i, (g, (size, md5, file))) in got.iter().zip(&want).enumerate() {
            prop_assert_eq!(g.size, *size);
            prop_assert_eq!(g.md5, *md5);
            prop_assert_eq!(g.file, *file);
            prop_assert_eq!(g.line, i + 1);
        }
    }

    #[test]
    fn verify_takes_exactly_the_listed_bytes(body in proptest::collection::vec(any::<u8>(), 1..2000), at in any::<usize>(), flip in 1u8..=255) {
        let e = ListingEntry {
            size: body.len() as u64,
            md5: listing::md5(&body),
            url: "http://x/20150218230000.export.CSV.zip".into(),
            file: GdeltFile::parse("20150218230000.export.CSV.zip").unwrap(),
            line: 1,
        };
        prop_assert!(listing::verify(&e, &body).is_ok());
        let mut bad = body.clone();
        let i = at % bad.len();
        bad[i] ^= flip;
        prop_assert!(listing::verify(&e, &bad).is_err());
        prop_assert!(listing::verify(&e, &body[1..]).is_err());
    }

    #[test]
    fn parsers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = listing::parse_lastupdate(&bytes);
        let _ = listing::parse_masterfilelist(&bytes);
        let _ = listing::parse_masterfilelist_lossy(&bytes);
        let _ = event::parse_gdelt_export(&bytes);
        let _ = event::parse_gdelt_mentions(&bytes);
        let _ = event::parse_icews(&bytes);
        let mut with_header = event::ICEWS_COLUMNS.join("\t").into_bytes();
        with_header.push(b'\n');
        with_header.extend(&bytes);
        let _ = event::parse_icews(&with_header);
    }

    #[test]
    fn text_like_input_never_panics(s in "[0-9a-f \t\n\r.:/-]{0,400}") {
        let _ = listing::parse_lastupdate(s.as_bytes());
        let _ = listing::parse_masterfilelist(s.as_bytes());
        let _ = event::parse_gdelt_export(s.as_bytes());
        let _ = event::parse_gdelt_mentions(s.as_bytes());
    }

    #[test]
    fn gdelt_rows_round_trip_and_bad_cells_name_their_line(
        rows in proptest::collection::vec(
            (1u64..u64::MAX / 2, date(), 1u8..=20, 0u8..=9, -100i32..=100, 1u32..1000, -2000i32..2000),
            1..30,
        ),
        bad_row in any::<usize>(),
    ) {
        let mut text = String::new();
        for (id, d, root, sub, gold, n, tone) in &rows {
            let mut f = vec![String::new(); 61];
            f[0] = id.to_string();
            f[1] = format!("{:04}{:02}{:02}", d.year, d.month, d.day);
            let code = format!("{root:02}{sub}");
            f[26] = code.clone();
            f[27] = code;
            f[28] = format!("{root:02}");
            f[29] = event::QuadClass::of_root(*root).unwrap().number().to_string();
            f[30] = format!("{}", f64::from(*gold) / 10.0);
            f[31] = n.to_string();
            f[32] = n.to_string();
            f[33] = n.to_string();
            f[34] = format!("{}", f64::from(*tone) / 100.0);
            f[59] = "20191024143000".into();
            f[60] = "https://example.org/x".into();
            text.push_str(&f.join("\t"));
            text.push('\n');
        }
        let ev = event::parse_gdelt_export(text.as_bytes()).unwrap();
        prop_assert_eq!(ev.len(), rows.len());
        for (e, (id, d, root, _, gold, n, _)) in ev.iter().zip(&rows) {
            prop_assert_eq!(e.key, EventKey::Gdelt(*id));
            prop_assert_eq!(e.date, *d);
            prop_assert_eq!(e.root, *root);
            prop_assert_eq!(e.goldstein, Some(f64::from(*gold) / 10.0));
            prop_assert_eq!(e.num_articles, *n);
        }
        // Break one row's NumArticles: the error names its line and value.
        let i = bad_row % rows.len();
        let broken: Vec<String> = text
            .lines()
            .enumerate()
            .map(|(j, l)| {
                if j == i {
                    let mut f: Vec<&str> = l.split('\t').collect();
                    f[33] = "12x";
                    f.join("\t")
                } else {
                    l.to_string()
                }
            })
            .collect();
        let err = event::parse_gdelt_export(broken.join("\n").as_bytes()).unwrap_err().to_string();
        let line_tag = format!("line {}", i + 1);
        prop_assert!(err.contains(&line_tag) && err.contains("12x") && err.contains("NumArticles"), "{}", err);
    }
}

fn hexs(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

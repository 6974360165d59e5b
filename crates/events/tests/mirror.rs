//! The parsers and indices on the mirror's real files: the GDELT 2.0 export of 2019-10-24 14:30
//! UTC and the ICEWS sample of 1-2 June 2018.
//!
//! Golden counts are computed independently of the crate: straight from the raw lines with
//! `str::split('\t')` and the column positions of the codebooks (GDELT 2.0 Event Codebook:
//! QuadClass is field 30, GoldsteinScale 31, ActionGeo_CountryCode 54, 1-based; ICEWS: `CAMEO
//! Code` is field 7 and `Country` field 18 of its header), then compared with the index cells.

use attache_core::{Crosswalk, Date};
use attache_events::event::{self, Event, EventKey, QuadClass, Source};
use attache_events::index::{self, Granularity, Scope};
use attache_events::{Dedup, dedup};
use std::collections::BTreeMap;

fn read(rel: &str) -> Vec<u8> {
    let p = attache_testdata::mirror().join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn gdelt() -> (Vec<u8>, Vec<Event>) {
    let bytes = read("gdelt/20191024143000.export.CSV");
    let mut ev = event::parse_gdelt_export(&bytes).unwrap();
    let un = event::resolve(&mut ev, Crosswalk::global());
    println!(
        "GDELT: {} events, {} codes unresolved: {:?}",
        ev.len(),
        un.total(),
        un.codes
    );
    (bytes, ev)
}

fn icews() -> (Vec<u8>, Vec<Event>) {
    let bytes = read("icews/events.2018.sample.tab");
    let mut ev = event::parse_icews(&bytes).unwrap();
    let un = event::resolve(&mut ev, Crosswalk::global());
    println!(
        "ICEWS: {} events, unresolved: {:?}",
        ev.len(),
        un.codes
            .iter()
            .filter(|(k, _)| k.0 == "place")
            .collect::<Vec<_>>()
    );
    (bytes, ev)
}

#[test]
fn gdelt_export_parses_whole_and_dedups() {
    let (bytes, ev) = gdelt();
    assert_eq!(ev.len(), 2111, "MANIFEST: 2,111 rows");
    assert!(
        ev.iter()
            .all(|e| e.added.unwrap().compact() == "20191024143000")
    );
    let (kept, rep) = dedup::dedup(ev.clone());
    assert_eq!(kept.len() + rep.dropped(), 2111);
    // Feeding the same file again (a repeated slot, or a backfill over follow) adds nothing.
    let mut d = Dedup::new();
    let (first, _) = d.filter(ev.clone());
    let (again, rep2) = d.filter(ev);
    assert_eq!(first.len(), kept.len());
    assert!(again.is_empty());
    assert_eq!(rep2.already_known, kept.len() + rep.repeats);
    // A repeated event inside one batch is dropped once and counted.
    let mut twice = first.clone();
    twice.push(first[7].clone());
    let (k, r) = dedup::dedup(twice);
    assert_eq!((k.len(), r.repeats), (first.len(), 1));
    // Every resolved place is an ISO3 code of the crosswalk.
    let cw = Crosswalk::global();
    assert!(
        first
            .iter()
            .filter_map(|e| e.iso3.as_deref())
            .all(|c| cw.get(c).is_some())
    );
    assert!(!bytes.is_empty());
}

#[test]
fn gdelt_index_equals_counts_from_the_raw_file() {
    let (bytes, ev) = gdelt();
    let text = std::str::from_utf8(&bytes).unwrap();
    // Independent counts by FIPS place code: events, QuadClass 4, Goldstein sum.
    let mut raw: BTreeMap<&str, (u64, u64, f64, f64)> = BTreeMap::new();
    for l in text.lines() {
        let f: Vec<&str> = l.split('\t').collect();
        let e = raw.entry(f[53]).or_default();
        e.0 += 1;
        e.1 += u64::from(f[29] == "4");
        e.2 += f[30].parse::<f64>().unwrap();
        e.3 += f[34].parse::<f64>().unwrap();
    }
    let rows = index::build(&ev, &[], Granularity::Month);
    let cw = Crosswalk::global();
    let mut checked = 0;
    for (fips, (n, q4, gold, tone)) in &raw {
        if fips.is_empty() || event::GDELT_NON_COUNTRY.contains(fips) {
            continue;
        }
        let iso3 = cw
            .lookup(attache_core::Scheme::Fips, fips)
            .unwrap()
            .iso3
            .clone();
        // Several FIPS codes can map to one ISO3; add all of them up.
        let fips_same: Vec<&&str> = raw
            .keys()
            .filter(|k| {
                !k.is_empty()
                    && cw
                        .lookup(attache_core::Scheme::Fips, k)
                        .is_ok_and(|c| c.iso3 == iso3)
            })
            .collect();
        if fips_same.len() > 1 {
            continue;
        }
        // The export's events span several event months; the index splits them, the raw
        // count does not: sum the cells.
        let cells: Vec<_> = rows
            .iter()
            .filter(|r| r.scope == Scope::Country(iso3.clone()))
            .collect();
        assert_eq!(cells.iter().map(|r| r.events).sum::<u64>(), *n, "{fips}");
        assert_eq!(
            cells
                .iter()
                .map(|r| r.quad(QuadClass::MaterialConflict))
                .sum::<u64>(),
            *q4
        );
        let g: f64 = cells.iter().map(|r| r.goldstein_sum).sum();
        assert!((g - gold).abs() < 1e-6, "{fips}: {g} vs {gold}");
        let t: f64 = cells
            .iter()
            .map(|r| r.tone_mean.unwrap() * r.events as f64)
            .sum();
        assert!((t - tone).abs() < 1e-6, "{fips}: {t} vs {tone}");
        checked += 1;
    }
    assert!(checked > 50, "{checked} countries checked");
    // Shares add up to the resolved fraction of each period's volume.
    for r in &rows {
        assert!(r.share > 0.0 && r.share <= 1.0);
        assert!(r.distinct_articles >= 1 && r.distinct_sources >= 1);
        assert_eq!(r.by_quad.iter().sum::<u64>(), r.events);
        assert_eq!(r.by_root.iter().sum::<u64>(), r.events);
    }
}

#[test]
fn icews_parses_and_indexes_by_day() {
    let (bytes, ev) = icews();
    assert_eq!(ev.len(), 3705, "MANIFEST: 3,705 rows");
    assert!(ev.iter().all(|e| e.source() == Source::Icews));
    let days: Vec<Date> = ["2018-06-01", "2018-06-02"]
        .map(|d| d.parse().unwrap())
        .to_vec();
    assert!(ev.iter().all(|e| days.contains(&e.date)));
    let (kept, rep) = dedup::dedup(ev.clone());
    assert_eq!(rep.dropped(), 0, "ICEWS keys are unique with their date");
    // Independent: events by (Country, Event Date) and root code 19 (fight) from the raw file.
    let text = std::str::from_utf8(&bytes).unwrap();
    let mut raw: BTreeMap<(&str, &str), (u64, u64)> = BTreeMap::new();
    for l in text.lines().skip(1) {
        let f: Vec<&str> = l.split('\t').collect();
        let e = raw.entry((f[17], f[1])).or_default();
        e.0 += 1;
        e.1 += u64::from(f[6].starts_with("19"));
    }
    let rows = index::build(&kept, &[], Granularity::Day);
    let by_name: BTreeMap<&str, &str> = kept
        .iter()
        .filter_map(|e| Some((e.place.as_str(), e.iso3.as_deref()?)))
        .collect();
    let mut per_iso: BTreeMap<(String, String), (u64, u64)> = BTreeMap::new();
    for ((name, day), (n, f19)) in &raw {
        if let Some(iso) = by_name.get(name) {
            let e = per_iso
                .entry((iso.to_string(), day.to_string()))
                .or_default();
            e.0 += n;
            e.1 += f19;
        }
    }
    assert!(per_iso.len() > 150, "{} country-days", per_iso.len());
    for ((iso, day), (n, f19)) in &per_iso {
        let r = rows
            .iter()
            .find(|r| r.scope == Scope::Country(iso.clone()) && r.period.start.to_string() == *day)
            .unwrap_or_else(|| panic!("no cell for {iso} {day}"));
        assert_eq!(r.events, *n, "{iso} {day}");
        assert_eq!(r.by_root[18], *f19, "{iso} {day}");
        assert_eq!(r.tone_mean, None, "ICEWS has no tone");
    }
    // The key is (Event ID, Event Date).
    assert!(matches!(
        kept[0].key,
        EventKey::Icews {
            event_id: 32889836,
            ..
        }
    ));
    // Dyads exist and have both sides resolved.
    assert!(rows.iter().any(|r| matches!(r.scope, Scope::Dyad(..))));
}

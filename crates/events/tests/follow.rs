//! The pure half of `attache events follow`, on the mirror's real export file: a played feed
//! with one slot missing, one file whose MD5 is wrong and one event repeated across files. The
//! store and CLI do the downloading and writing; this checks that the pieces they will call name
//! the bad file and the missing slot and import each event once.

use attache_events::listing::{self, FileKind, GdeltFile, ListingEntry};
use attache_events::slots::{self, Slot, UtcTime};
use attache_events::{Dedup, event};

fn export_bytes() -> Vec<u8> {
    let p = attache_testdata::mirror().join("gdelt/20191024143000.export.CSV");
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn entry(slot: Slot, body: &[u8]) -> String {
    let f = GdeltFile {
        slot,
        kind: FileKind::Export,
        translation: false,
    };
    let md5: String = listing::md5(body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{} {md5} {}", body.len(), f.url())
}

#[test]
fn a_played_feed_names_the_bad_file_and_the_missing_slot() {
    let raw = export_bytes();
    let lines: Vec<&[u8]> = raw.split_inclusive(|b| *b == b'\n').collect();
    let first = Slot::parse_stamp("20191024140000").unwrap();
    // Four slots' worth of files cut from the one real export: slot 2 is never published,
    // slot 3's bytes differ from what the listing says, and slot 1 repeats slot 0's last row.
    let mut files: Vec<(Slot, Vec<u8>, String)> = Vec::new();
    let chunk = lines.len() / 4;
    for i in 0..4i64 {
        let slot = first.plus(i);
        let mut body: Vec<u8> = lines[i as usize * chunk..(i as usize + 1) * chunk].concat();
        if i == 1 {
            body.extend_from_slice(lines[chunk - 1]);
        }
        let listed = entry(slot, &body);
        if i == 3 {
            body[10] ^= 1;
        }
        if i != 2 {
            files.push((slot, body, listed));
        }
    }
    let master: String = files.iter().map(|f| format!("{}\n", f.2)).collect();
    let listing = listing::parse_masterfilelist(master.as_bytes()).unwrap();
    assert_eq!(listing.len(), 3);

    let mut dedup = Dedup::new();
    let mut imported = Vec::new();
    let mut bad = Vec::new();
    let mut present = Vec::new();
    for (e, (slot, body, _)) in listing.iter().zip(&files) {
        assert_eq!(e.file.slot, *slot);
        if let Err(err) = listing::verify(e, body) {
            bad.push(err.to_string());
            continue;
        }
        present.push(e.file.slot);
        let (kept, report) = dedup.filter(event::parse_gdelt_export(body).unwrap());
        imported.extend(kept);
        if e.file.slot == first.plus(1) {
            assert_eq!(
                report.already_known, 1,
                "the repeated event is dropped once"
            );
        }
    }
    assert_eq!(bad.len(), 1);
    assert!(
        bad[0].contains("20191024144500.export.CSV.zip") && bad[0].contains("MD5"),
        "{}",
        bad[0]
    );
    assert_eq!(imported.len(), 2 * chunk);
    // The range asked for runs to the end of the last slot; the slot never published and the
    // slot whose file failed its check are both gaps (the bad file is retried next time).
    let gaps = slots::gaps(first.start(), first.plus(4).start(), present);
    let names: Vec<String> = gaps
        .iter()
        .flat_map(|g| g.slots())
        .map(|s| s.stamp())
        .collect();
    assert_eq!(names, ["20191024143000", "20191024144500"]);
    // Again, as a restarted run would: nothing new.
    let (again, _) = dedup.filter(event::parse_gdelt_export(&files[0].1).unwrap());
    assert!(again.is_empty());
    // lastupdate.txt of the last slot, with its three files, parses and points at the slot.
    let lu = format!(
        "{}\n{}\n{}\n",
        entry(first.plus(3), b"e"),
        entry(first.plus(3), b"m").replace(".export.CSV.zip", ".mentions.CSV.zip"),
        entry(first.plus(3), b"g").replace(".export.CSV.zip", ".gkg.csv.zip"),
    );
    let lu = listing::parse_lastupdate(lu.as_bytes()).unwrap();
    assert_eq!(
        lu.slot.start(),
        UtcTime::parse_compact("20191024144500").unwrap()
    );
    let _: &ListingEntry = lu.get(FileKind::Mentions);
}

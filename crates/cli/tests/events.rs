//! `attache events import DIR` through the binary: the mirror's GDELT export played as three
//! 15-minute slots (one zipped, one slot left out) and the ICEWS sample, imported into the event
//! store and queried in SQL; counts checked against the raw files, duplicates dropped on the
//! publisher's key, the missing slot recorded, a second run importing nothing, a file whose
//! import was cut short imported again without double counting, and a bad file named with its
//! line.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{attache, mirror, stderr, stdout};

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(mirror().join(rel)).unwrap()
}

/// Distinct keys of the raw files, counted here without the crate's parser: GDELT's
/// GLOBALEVENTID is the first tab-separated field of each line; ICEWS's key is
/// (Event ID, Event Date), the first two fields after the header.
fn raw_keys() -> (usize, usize) {
    let g = read("gdelt/20191024143000.export.CSV");
    let gdelt: BTreeSet<&[u8]> = g
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| l.split(|b| *b == b'\t').next().unwrap())
        .collect();
    let i = String::from_utf8(read("icews/events.2018.sample.tab")).unwrap();
    let icews: BTreeSet<(String, String)> = i
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut f = l.split('\t');
            (f.next().unwrap().to_string(), f.next().unwrap().to_string())
        })
        .collect();
    (gdelt.len(), icews.len())
}

fn zip_one(dst: &Path, member: &str, bytes: &[u8]) {
    use std::io::Write;
    let f = std::fs::File::create(dst).unwrap();
    let mut z = zip::ZipWriter::new(f);
    z.start_file(member, zip::write::SimpleFileOptions::default())
        .unwrap();
    z.write_all(bytes).unwrap();
    z.finish().unwrap();
}

fn sql_rows(data: &Path, q: &str) -> Vec<String> {
    let o = attache(&[
        "sql",
        q,
        "--format",
        "csv",
        "--data-dir",
        data.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{q}: {}", stderr(&o));
    stdout(&o).lines().skip(1).map(String::from).collect()
}

#[test]
fn import_dedups_records_gaps_and_resumes() {
    let (gdelt_ids, icews_keys) = raw_keys();
    assert!(
        gdelt_ids > 1000 && icews_keys > 1000,
        "{gdelt_ids} {icews_keys}"
    );
    let data = tempfile::tempdir().unwrap();
    let feed = tempfile::tempdir().unwrap();
    let d = data.path().to_str().unwrap();
    // A vintage for the SQL sessions (the event store lives beside the vintages).
    let m = mirror();
    let o = attache(&[
        "sync",
        "--mirror",
        m.to_str().unwrap(),
        "--only",
        "natural-earth",
        "--data-dir",
        d,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let export = read("gdelt/20191024143000.export.CSV");
    let f = feed.path();
    std::fs::write(f.join("20191024143000.export.CSV"), &export).unwrap();
    std::fs::write(f.join("20191024150000.export.CSV"), &export).unwrap();
    zip_one(
        &f.join("20191024151500.export.CSV.zip"),
        "20191024151500.export.CSV",
        &export,
    );
    std::fs::write(
        f.join("events.2018.sample.tab"),
        read("icews/events.2018.sample.tab"),
    )
    .unwrap();
    std::fs::write(f.join("README.txt"), "not an event file").unwrap();
    let import = || attache(&["events", "import", f.to_str().unwrap(), "--data-dir", d]);
    let o = import();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("imported 4 file(s)"), "{out}");
    assert!(
        out.contains(&format!("{} duplicate event(s) dropped", 2 * gdelt_ids)),
        "the same export in three slots: {out}"
    );
    assert!(
        out.contains("gap: 20191024144500 to 20191024144500 (1 slots)"),
        "{out}"
    );
    assert!(
        out.contains("not event files, left alone: README.txt"),
        "{out}"
    );
    let counts = || {
        sql_rows(
            data.path(),
            "select source, count(*) from events group by source order by source",
        )
    };
    assert_eq!(
        counts(),
        [format!("gdelt,{gdelt_ids}"), format!("icews,{icews_keys}")]
    );
    assert_eq!(
        sql_rows(data.path(), "select first_slot, missing from event_gaps"),
        ["20191024144500,1"]
    );
    // The index adds up: every event with a resolved place is in one country-day cell.
    assert_eq!(
        sql_rows(
            data.path(),
            "select sum(events) from event_index where scope = 'country'"
        ),
        sql_rows(
            data.path(),
            "select count(*) from events where iso3 is not null"
        ),
    );
    // A second run imports nothing.
    let o = import();
    assert!(stdout(&o).contains("imported 0 file(s)"), "{}", stdout(&o));
    assert_eq!(counts()[0], format!("gdelt,{gdelt_ids}"));
    // A run killed after writing a file's parts but before recording it: the file is
    // imported again and de-duplicated, nothing counted twice.
    let log = data.path().join("events/imported.txt");
    let text = std::fs::read_to_string(&log).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("events.2018"))
        .collect();
    std::fs::write(&log, kept.join("\n") + "\n").unwrap();
    let o = import();
    assert!(stdout(&o).contains("imported 1 file(s)"), "{}", stdout(&o));
    assert_eq!(
        counts(),
        [format!("gdelt,{gdelt_ids}"), format!("icews,{icews_keys}")]
    );
    // A bad file: named with its line; nothing of it stored, the rest intact.
    let mut bad = export[..export.len() / 2].to_vec();
    bad.extend_from_slice(b"\n12345\tnot a row\n");
    std::fs::write(f.join("20191024153000.export.CSV"), &bad).unwrap();
    let o = import();
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("20191024153000.export.CSV") && err.contains("line"),
        "{err}"
    );
    assert_eq!(counts()[0], format!("gdelt,{gdelt_ids}"));
    std::fs::write(f.join("20191024153000.export.CSV"), b"").unwrap();
    let o = import();
    assert!(stderr(&o).contains("the file is empty"), "{}", stderr(&o));
}

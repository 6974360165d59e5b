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
    // A vintage for the SQL sessions (the event store lives beside the vintages).
    let data = common::synced_only("natural-earth");
    let feed = tempfile::tempdir().unwrap();
    let d = data.path().to_str().unwrap();
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
    // The index and alerts as the first run built them (its own parts taken from memory).
    let derived = || {
        ["event_index", "alerts"].map(|t| {
            let mut rows = sql_rows(data.path(), &format!("select * from {t}"));
            rows.sort();
            rows
        })
    };
    let first = derived();
    assert!(!first[0].is_empty());
    // A second run imports nothing, and rebuilds from the store alone: the same tables.
    let o = import();
    assert!(stdout(&o).contains("imported 0 file(s)"), "{}", stdout(&o));
    assert_eq!(counts()[0], format!("gdelt,{gdelt_ids}"));
    assert_eq!(derived(), first, "rebuilt from the store alone");
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

/// A loopback server playing GDELT 2.0: files by path, one of them sent slowly (so a run can be
/// killed mid-download), the served bytes of another replaceable (a file whose MD5 is wrong).
struct Played {
    base: String,
    files: std::sync::Arc<std::sync::Mutex<std::collections::BTreeMap<String, Vec<u8>>>>,
    slow_started: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

fn play(slow: &'static str) -> Played {
    use std::io::{BufRead, BufReader, Write};
    use std::sync::atomic::Ordering;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let files: std::sync::Arc<std::sync::Mutex<std::collections::BTreeMap<String, Vec<u8>>>> =
        Default::default();
    let slow_started = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (f2, s2) = (files.clone(), slow_started.clone());
    std::thread::spawn(move || {
        let mut slow_served = false;
        for stream in listener.incoming().take(200) {
            let Ok(mut s) = stream else { continue };
            s.set_read_timeout(Some(std::time::Duration::from_secs(5)))
                .ok();
            let mut r = BufReader::new(s.try_clone().unwrap());
            let mut line = String::new();
            if r.read_line(&mut line).is_err() {
                continue;
            }
            loop {
                let mut l = String::new();
                if r.read_line(&mut l).map_or(true, |n| n == 0) || l == "\r\n" {
                    break;
                }
            }
            let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
            let body = f2.lock().unwrap().get(&path).cloned();
            match body {
                Some(b) => {
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        b.len()
                    );
                    if s.write_all(head.as_bytes()).is_err() {
                        continue;
                    }
                    if path.ends_with(slow) && !slow_served {
                        // The first time: a trickle, long enough to be killed in the middle.
                        slow_served = true;
                        for chunk in b.chunks(512) {
                            s2.store(true, Ordering::SeqCst);
                            if s.write_all(chunk).is_err() {
                                break;
                            }
                            std::thread::sleep(std::time::Duration::from_millis(40));
                        }
                    } else {
                        let _ = s.write_all(&b);
                    }
                }
                None => {
                    let _ = s.write_all(
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    );
                }
            }
        }
    });
    Played {
        base,
        files,
        slow_started,
    }
}

fn zipped(member: &str, bytes: &[u8]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("z.zip");
    zip_one(&p, member, bytes);
    std::fs::read(&p).unwrap()
}

fn listed(body: &[u8], name: &str) -> String {
    let md5 = md5_hex(body);
    format!(
        "{} {md5} http://data.gdeltproject.org/gdeltv2/{name}",
        body.len()
    )
}

fn md5_hex(b: &[u8]) -> String {
    attache_events::listing::md5(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

/// `events follow --once` and `events backfill` against the played feed: four slots cut from
/// the mirror's export, slot 2 never published, slot 3 served with bytes that do not match its
/// listed MD5, slot 1 repeating slot 0's last event; a backfill killed (SIGKILL) while a zip is
/// downloading leaves the store whole, and the next run finishes the work.
#[test]
fn follow_and_backfill_a_played_feed() {
    let raw = read("gdelt/20191024143000.export.CSV");
    let lines: Vec<&[u8]> = raw.split_inclusive(|b| *b == b'\n').collect();
    let chunk = lines.len() / 4;
    let stamps = [
        "20191024140000",
        "20191024141500",
        "20191024143000",
        "20191024144500",
    ];
    let played = play("20191024140000.export.CSV.zip");
    let mut master = String::new();
    let mut good_s3 = Vec::new();
    for (i, stamp) in stamps.iter().enumerate() {
        let mut body: Vec<u8> = lines[i * chunk..(i + 1) * chunk].concat();
        if i == 1 {
            body.extend_from_slice(lines[chunk - 1]);
        }
        let name = format!("{stamp}.export.CSV.zip");
        let z = zipped(&format!("{stamp}.export.CSV"), &body);
        if i == 2 {
            continue; // never published
        }
        master.push_str(&listed(&z, &name));
        master.push('\n');
        let mut served = z.clone();
        if i == 3 {
            good_s3 = z.clone();
            let n = served.len() / 2;
            served[n] ^= 0xff;
        }
        played
            .files
            .lock()
            .unwrap()
            .insert(format!("/gdeltv2/{name}"), served);
    }
    // Slot 1's mentions: three articles about its first events.
    let ids: Vec<String> = lines[chunk..chunk + 3]
        .iter()
        .map(|l| String::from_utf8_lossy(l.split(|b| *b == b'\t').next().unwrap()).into_owned())
        .collect();
    let mentions: String = ids
        .iter()
        .enumerate()
        .map(|(k, id)| {
            format!("{id}\t20191024141500\t20191024141500\t1\texample.org\thttps://example.org/{k}\t1\t0\t0\t0\t1\t100\t500\t-2.5\t\t\n")
        })
        .collect();
    let mz = zipped("20191024141500.mentions.CSV", mentions.as_bytes());
    played.files.lock().unwrap().insert(
        "/gdeltv2/20191024141500.mentions.CSV.zip".into(),
        mz.clone(),
    );
    let s1 = played.files.lock().unwrap()["/gdeltv2/20191024141500.export.CSV.zip"].clone();
    let lastupdate = format!(
        "{}\n{}\n{}\n",
        listed(&s1, "20191024141500.export.CSV.zip"),
        listed(&mz, "20191024141500.mentions.CSV.zip"),
        listed(b"g", "20191024141500.gkg.csv.zip"),
    );
    master.push_str(&listed(&mz, "20191024141500.mentions.CSV.zip"));
    master.push('\n');
    played
        .files
        .lock()
        .unwrap()
        .insert("/gdeltv2/lastupdate.txt".into(), lastupdate.into_bytes());
    played
        .files
        .lock()
        .unwrap()
        .insert("/gdeltv2/masterfilelist.txt".into(), master.into_bytes());

    // A vintage for the SQL sessions (the event store lives beside the vintages).
    let data = common::synced_only("natural-earth");
    let cache = tempfile::tempdir().unwrap();
    let d = data.path().to_str().unwrap().to_string();
    let rewrite = format!(
        "http://data.gdeltproject.org/gdeltv2/={}/gdeltv2/",
        played.base
    );
    let feed_args = |cmd: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = ["events"]
            .iter()
            .chain(cmd)
            .map(|s| s.to_string())
            .collect();
        v.extend([
            "--rewrite-url".into(),
            rewrite.clone(),
            "--cache-dir".into(),
            cache.path().to_str().unwrap().into(),
            "--data-dir".into(),
            d.clone(),
        ]);
        v
    };
    let run = |cmd: &[&str]| {
        let a = feed_args(cmd);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        attache(&a)
    };
    let count = || {
        sql_rows(data.path(), "select count(*) from events")[0]
            .parse::<usize>()
            .unwrap()
    };
    // follow --once: the latest slot's export and mentions.
    let o = run(&["follow", "--once"]);
    assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("imported 2 file(s)"), "{}", stdout(&o));
    assert_eq!(count(), chunk + 1);
    assert_eq!(
        sql_rows(data.path(), "select count(*) from event_mentions"),
        ["3"]
    );
    // A backfill killed while slot 0's zip trickles in: the store is as it was.
    let a = feed_args(&[
        "backfill",
        "--from",
        "20191024140000",
        "--to",
        "20191024144500",
    ]);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_attache"))
        .args(&a)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let t0 = std::time::Instant::now();
    while !played
        .slow_started
        .load(std::sync::atomic::Ordering::SeqCst)
    {
        assert!(
            t0.elapsed() < std::time::Duration::from_secs(60),
            "the slow download never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(100));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert_eq!(count(), chunk + 1, "a killed download changes nothing");
    // The next run finishes: slot 0 imported, slot 1's repeated event dropped, slot 3 named as
    // bad (exit 1), and slots 2 and 3 are the gap.
    let o = run(&[
        "backfill",
        "--from",
        "20191024140000",
        "--to",
        "20191024144500",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}\n{}", stdout(&o), stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("20191024144500.export.CSV.zip") && err.contains("MD5"),
        "{err}"
    );
    let out = stdout(&o);
    assert!(out.contains("imported 1 file(s)"), "{out}");
    assert!(
        out.contains("gap: 20191024143000 to 20191024144500 (2 slots)"),
        "{out}"
    );
    assert_eq!(
        count(),
        2 * chunk,
        "slot 0 and slot 1, the repeated event once"
    );
    // The publisher fixes slot 3: the next run takes it, and only the unpublished slot is a gap.
    played
        .files
        .lock()
        .unwrap()
        .insert("/gdeltv2/20191024144500.export.CSV.zip".into(), good_s3);
    let o = run(&["backfill", "--from", "2019-10-24", "--to", "20191024144500"]);
    assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("gap: 20191024143000 to 20191024143000 (1 slots)"),
        "{}",
        stdout(&o)
    );
    assert_eq!(count(), 3 * chunk);
}

/// A surge of material-conflict events in ICEWS rows (one a day for 50 days, then 20 a day)
/// raises a negative-binomial CUSUM alert for the country; the alerts table, the `/alerts`
/// page, an alert's evidence page, the API and the Atom feed all show it.
#[test]
fn a_surge_raises_an_alert_shown_with_its_evidence() {
    let text = common::surge_tab();
    // A vintage for the SQL sessions (the event store lives beside the vintages).
    let data = common::synced_only("natural-earth");
    let feed = tempfile::tempdir().unwrap();
    let d = data.path().to_str().unwrap();
    std::fs::write(feed.path().join("events.surge.tab"), text).unwrap();
    let o = attache(&[
        "events",
        "import",
        feed.path().to_str().unwrap(),
        "--data-dir",
        d,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let surge = attache_core::Date::from_days_since_epoch(
        attache_core::Date::new(2018, 5, 1)
            .unwrap()
            .days_since_epoch()
            + 50,
    )
    .to_string();
    let rows = sql_rows(
        data.path(),
        "select rule, iso3, raised_on from alerts where rule = 'nb_cusum' order by raised_on",
    );
    assert!(
        rows.first()
            .is_some_and(|r| *r == format!("nb_cusum,IND,{surge}")),
        "the first surge day raises the CUSUM alert: {rows:?}"
    );
    let addr = common::serve_in_process(attache_server::Config::new(data.path().to_path_buf()));
    let get = |p: &str| common::http(addr, "GET", p, &[], b"");
    let page = get("/alerts?country=India");
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.text().contains("nb_cusum") && page.text().contains(&surge));
    let csv = get("/api/v1/alerts?country=IND&rule=nb_cusum&format=csv").text();
    let first = csv.lines().nth(1).unwrap();
    let link = first.rsplit(',').next().unwrap();
    assert!(link.starts_with("/alerts/"), "{first}");
    let one = get(link);
    assert_eq!(one.status, 200, "{link}: {}", one.text());
    assert!(
        one.text().contains("id=\"evidence\"") && one.text().contains("CAMEO 190"),
        "the evidence lists the events"
    );
    let feed_xml = get("/alerts.atom");
    assert_eq!(
        feed_xml.header("content-type"),
        Some("application/atom+xml; charset=utf-8")
    );
    assert!(
        feed_xml
            .text()
            .contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">")
            && feed_xml.text().contains("<entry>")
    );
    assert_eq!(get("/alerts?rule=bogus").status, 400);
    assert_eq!(get("/alerts/nb_cusum:XXX:2000-01-01").status, 404);
}

/// `events follow --source icews --once` and `events backfill --source icews` against a
/// loopback server playing Harvard Dataverse: the yearly dataset lists an ingested 2018 file
/// (served as uploaded only with `?format=original`), the weekly one a zipped week that repeats
/// one event of the yearly file and a week whose served bytes do not match the listed MD5, plus
/// a PDF that is no event file. Rows are the mirror's ICEWS sample cut in three.
#[test]
fn follow_and_backfill_icews_from_a_played_dataverse() {
    let raw = String::from_utf8(read("icews/events.2018.sample.tab")).unwrap();
    let mut lines = raw.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.filter(|l| !l.trim().is_empty()).collect();
    let third = rows.len() / 3;
    let tab = |part: &[&str]| format!("{header}\n{}\n", part.join("\n")).into_bytes();
    let year = tab(&rows[..third]);
    let mut week1_rows = rows[third..2 * third].to_vec();
    week1_rows.push(rows[0]); // already in the yearly file
    let week1 = zipped("20180602-icews-events.tab", &tab(&week1_rows));
    let week2 = tab(&rows[2 * third..]);
    let played = play("never-slow");
    let entry = |label: &str, id: u64, body: &[u8], ingested: bool| {
        let extra = if ingested {
            format!(
                r#", "filesize": {}, "originalFileFormat": "text/tab-separated-values", "originalFileSize": {}"#,
                body.len() + 17,
                body.len()
            )
        } else {
            format!(r#", "filesize": {}"#, body.len())
        };
        format!(
            r#"{{"label": "{label}", "dataFile": {{"id": {id}{extra}, "checksum": {{"type": "MD5", "value": "{}"}}}}}}"#,
            md5_hex(body)
        )
    };
    let dataset = |files: &[String]| {
        format!(
            r#"{{"status": "OK", "data": {{"latestVersion": {{"files": [{}]}}}}}}"#,
            files.join(", ")
        )
        .into_bytes()
    };
    {
        let mut f = played.files.lock().unwrap();
        f.insert(
            "/api/datasets/:persistentId/?persistentId=doi:10.7910/DVN/28075".into(),
            dataset(&[
                entry("events.2018.20200101000000.tab", 101, &year, true),
                entry("ICEWS Coded Event Data Read Me.pdf", 102, b"%PDF", false),
            ]),
        );
        f.insert(
            "/api/datasets/:persistentId/?persistentId=doi:10.7910/DVN/QI2T9A".into(),
            dataset(&[
                entry("20180602-icews-events.zip", 202, &week1, false),
                entry("20180609-icews-events.tab", 303, &week2, false),
            ]),
        );
        f.insert(
            "/api/access/datafile/101?format=original".into(),
            year.clone(),
        );
        f.insert("/api/access/datafile/202".into(), week1.clone());
        let mut damaged = week2.clone();
        damaged[40] ^= 0x20;
        f.insert("/api/access/datafile/303".into(), damaged);
    }
    let data = common::synced_only("natural-earth");
    let cache = tempfile::tempdir().unwrap();
    let rewrite = format!("https://dataverse.harvard.edu={}", played.base);
    let run = |data: &Path, cmd: &[&str]| {
        let mut a: Vec<&str> = vec!["events"];
        a.extend(cmd);
        a.extend([
            "--source",
            "icews",
            "--rewrite-url",
            &rewrite,
            "--cache-dir",
            cache.path().to_str().unwrap(),
            "--data-dir",
            data.to_str().unwrap(),
        ]);
        attache(&a)
    };
    let count = |data: &Path| {
        sql_rows(data, "select count(*) from events where source = 'icews'")[0]
            .parse::<usize>()
            .unwrap()
    };
    let o = run(data.path(), &["follow", "--once"]);
    let (out, err) = (stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(1), "{out}\n{err}");
    assert!(out.contains("imported 2 file(s)"), "{out}");
    assert!(out.contains("1 duplicate event(s) dropped"), "{out}");
    assert!(
        err.contains("20180609-icews-events.tab") && err.contains("MD5"),
        "the damaged week is named: {err}"
    );
    assert_eq!(count(data.path()), 2 * third);
    // The week is served whole again: the next poll imports it and nothing else.
    played
        .files
        .lock()
        .unwrap()
        .insert("/api/access/datafile/303".into(), week2.clone());
    let o = run(data.path(), &["follow", "--once"]);
    assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("imported 1 file(s)"), "{}", stdout(&o));
    assert_eq!(count(data.path()), rows.len());
    // A backfill of 3-9 June 2018 into an empty store: the yearly file and the week ending on
    // the 9th, not the week ending on the 2nd.
    let fresh = common::synced_only("natural-earth");
    let o = run(
        fresh.path(),
        &["backfill", "--from", "2018-06-03", "--to", "2018-06-09"],
    );
    assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("imported 2 file(s)"), "{}", stdout(&o));
    assert_eq!(count(fresh.path()), rows.len() - third);
    // The files are recorded by the names they were imported under (the import log).
    let log = std::fs::read_to_string(data.path().join("events/imported.txt")).unwrap();
    for name in [
        "events.2018.20200101000000.tab",
        "20180602-icews-events.tab",
        "20180609-icews-events.tab",
    ] {
        assert!(
            log.lines().any(|l| l.starts_with(&format!("{name}\t"))),
            "{log}"
        );
    }
}

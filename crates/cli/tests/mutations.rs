//! The mutated-file matrix of issue 12: twelve publisher files from three sources, each damaged
//! eight ways (empty, truncated, a garbage line, flipped bytes, a byte-order mark, the other
//! line ends, a wrong header, a 10 MB field), each synced from a copy of the mirror. For every
//! case: no panic, a short error, and either a refusal that names the file and leaves the
//! previous vintage current, or a publication whose tables are byte-for-byte the ones before
//! (a BOM or CRLF changes no datum). Never an exit-0 publication of changed data.

mod common;

use std::path::Path;

use common::*;

/// The damaged files: (source, mirror path).
const FILES: [(&str, &str); 12] = [
    ("openflights", "openflights/airports.dat"),
    ("openflights", "openflights/routes.dat"),
    ("openflights", "openflights/countries.dat"),
    ("gdelt", "gdelt/20191024143000.export.CSV"),
    ("gdelt", "gdelt/lookups/CAMEO.eventcodes.txt"),
    ("gdelt", "gdelt/lookups/CAMEO.goldsteinscale.txt"),
    ("gdelt", "gdelt/lookups/CAMEO.type.txt"),
    ("countrygroups", "countrygroups/g20.csv"),
    ("countrygroups", "countrygroups/european-union.csv"),
    ("countrygroups", "countrygroups/ldc.csv"),
    ("countrygroups", "countrygroups/g77.csv"),
    ("countrygroups", "countrygroups/aosis.csv"),
];

type Mutation = fn(&[u8]) -> Vec<u8>;

fn lines(b: &[u8]) -> Vec<&[u8]> {
    b.split_inclusive(|&c| c == b'\n').collect()
}

const MUTATIONS: [(&str, Mutation); 8] = [
    ("empty", |_| Vec::new()),
    ("truncated", |b| b[..b.len() * 2 / 5].to_vec()),
    ("garbage line", |b| {
        let l = lines(b);
        let mid = l.len() / 2;
        [
            l[..mid].concat(),
            b"this is not a record\n".to_vec(),
            l[mid..].concat(),
        ]
        .concat()
    }),
    ("flipped bytes", |b| {
        let mut v = b.to_vec();
        for k in 1..=8 {
            let i = v.len() * k / 9;
            v[i] ^= 0x80;
        }
        v
    }),
    ("BOM", |b| [b"\xef\xbb\xbf".as_slice(), b].concat()),
    ("line ends", |b| {
        let text = String::from_utf8_lossy(b);
        if text.contains("\r\n") {
            text.replace("\r\n", "\n")
        } else {
            text.replace('\n', "\r\n")
        }
        .into_bytes()
    }),
    ("wrong header", |b| {
        let l = lines(b);
        [b"alpha,beta,gamma\n".to_vec(), l[1..].concat()].concat()
    }),
    ("10 MB field", |b| {
        let l = lines(b);
        let last = l[l.len() - 1];
        let sep = last
            .iter()
            .position(|&c| c == b',' || c == b'\t')
            .unwrap_or(last.len());
        let mut big = vec![b'9'; 10 << 20];
        big.extend_from_slice(&last[sep..]);
        [l[..l.len() - 1].concat(), big].concat()
    }),
];

/// The Parquet bytes of every table the vintage's lockfile says `source` feeds.
fn tables_of(data: &Path, source: &str) -> Vec<(String, Vec<u8>)> {
    let current = std::fs::read_to_string(data.join("CURRENT")).unwrap();
    let dir = data.join("vintages").join(current.trim());
    let lock: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("lock.json")).unwrap()).unwrap();
    let mut out: Vec<(String, Vec<u8>)> = lock["tables"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["sources"].as_array().unwrap().iter().any(|s| s == source))
        .map(|t| {
            let name = t["name"].as_str().unwrap().to_string();
            let bytes = std::fs::read(dir.join("tables").join(&name).join("data.parquet")).unwrap();
            (name, bytes)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn damaged_files_are_refused_or_change_nothing() {
    let m = mirror();
    let copy = tempfile::tempdir().unwrap();
    for (_, path) in FILES {
        let dir = Path::new(path).parent().unwrap();
        std::fs::create_dir_all(copy.path().join(dir)).unwrap();
        for e in std::fs::read_dir(m.join(dir)).unwrap().flatten() {
            if e.path().is_file() {
                std::fs::copy(e.path(), copy.path().join(dir).join(e.file_name())).unwrap();
            }
        }
    }
    let data = tempfile::tempdir().unwrap();
    let d = data.path().to_str().unwrap();
    let c = copy.path().to_str().unwrap();
    let sync = |only: &str| attache(&["sync", "--mirror", c, "--only", only, "--data-dir", d]);
    let o = sync("openflights,gdelt,countrygroups");
    assert!(o.status.success(), "{}", stderr(&o));
    let mut outcomes = Vec::new();
    let mut synced = "";
    for (source, path) in FILES {
        // `--only` publishes that source's tables: start each source from its whole files.
        if source != synced {
            let o = sync(source);
            assert!(o.status.success(), "{source}: {}", stderr(&o));
            synced = source;
        }
        let file = copy.path().join(path);
        let original = std::fs::read(&file).unwrap();
        let before = tables_of(data.path(), source);
        assert!(!before.is_empty(), "{source} feeds no table");
        for (name, mutate) in MUTATIONS {
            std::fs::write(&file, mutate(&original)).unwrap();
            let current = std::fs::read_to_string(data.path().join("CURRENT")).unwrap();
            let o = sync(source);
            let err = stderr(&o);
            let case = format!("{path}, {name}");
            assert!(
                !err.contains("panicked") && o.status.code() != Some(101),
                "{case}: a panic:\n{err}"
            );
            assert!(err.len() < 4096, "{case}: a {} byte error", err.len());
            if o.status.success() {
                assert!(
                    tables_of(data.path(), source) == before,
                    "{case}: exit 0 published changed data:\n{}",
                    stdout(&o)
                );
                outcomes.push(format!("{case}: published, unchanged"));
            } else {
                let file_name = Path::new(path).file_name().unwrap().to_str().unwrap();
                assert!(
                    err.contains(file_name),
                    "{case}: the error does not name the file:\n{err}"
                );
                assert_eq!(
                    std::fs::read_to_string(data.path().join("CURRENT")).unwrap(),
                    current,
                    "{case}: CURRENT moved"
                );
                outcomes.push(format!("{case}: refused"));
            }
        }
        std::fs::write(&file, &original).unwrap();
    }
    let refused = outcomes.iter().filter(|o| o.ends_with("refused")).count();
    println!(
        "{}\n{refused} of {} refused, the rest published unchanged",
        outcomes.join("\n"),
        outcomes.len()
    );
    // Empty, truncated, garbage, wrong header and 10 MB field can never leave the data as it was.
    assert!(refused >= 12 * 5, "{refused}");
}

/// What a source declares about a sound file holds on the first sync too: a CAMEO code list
/// cut to 191 of its 314 rows is refused on an empty data dir (the floor is 300), unless
/// accepted by name; and a fixed release (the GDELT export named by its 15-minute time) whose
/// bytes change under the same name is refused even when it gains rows.
#[test]
fn declared_floors_and_fixed_releases_hold() {
    let m = mirror();
    let copy = tempfile::tempdir().unwrap();
    let lookups = copy.path().join("gdelt/lookups");
    std::fs::create_dir_all(&lookups).unwrap();
    for e in std::fs::read_dir(m.join("gdelt/lookups"))
        .unwrap()
        .flatten()
    {
        std::fs::copy(e.path(), lookups.join(e.file_name())).unwrap();
    }
    let export = copy.path().join("gdelt/20191024143000.export.CSV");
    std::fs::copy(m.join("gdelt/20191024143000.export.CSV"), &export).unwrap();
    let codes = lookups.join("CAMEO.eventcodes.txt");
    let original = std::fs::read(&codes).unwrap();
    let cut: Vec<&[u8]> = lines(&original).into_iter().take(192).collect();
    std::fs::write(&codes, cut.concat()).unwrap();
    let data = tempfile::tempdir().unwrap();
    let (c, d) = (copy.path().to_str().unwrap(), data.path().to_str().unwrap());
    let sync = |extra: &[&str]| {
        let mut args = vec!["sync", "--mirror", c, "--only", "gdelt", "--data-dir", d];
        args.extend_from_slice(extra);
        attache(&args)
    };
    let o = sync(&[]);
    let err = stderr(&o);
    assert!(!o.status.success(), "a partial first sync was published");
    assert!(
        err.contains(
            "gdelt/lookups/CAMEO.eventcodes.txt: 191 rows loaded; its source declares at least 300"
        ),
        "{err}"
    );
    assert!(
        !data.path().join("CURRENT").exists(),
        "a vintage became current"
    );
    let o = sync(&["--accept", "gdelt/lookups/CAMEO.eventcodes.txt"]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::write(&codes, &original).unwrap();
    let o = sync(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The same export, one event repeated: more rows, other bytes.
    let before = std::fs::read_to_string(data.path().join("CURRENT")).unwrap();
    let events = std::fs::read(&export).unwrap();
    let last = *lines(&events).last().unwrap();
    std::fs::write(&export, [events.as_slice(), last].concat()).unwrap();
    let o = sync(&[]);
    let err = stderr(&o);
    assert!(!o.status.success(), "a changed release was published");
    assert!(
        err.contains("gdelt/20191024143000.export.CSV: a fixed release, but its sha256 is now"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(data.path().join("CURRENT")).unwrap(),
        before
    );
}

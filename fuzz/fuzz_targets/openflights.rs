//! OpenFlights `countries.dat`, `airports.dat` and `routes.dat` (CSV, no header, `\N` nulls)
//! through `openflights::OpenFlights::load`, the bytes given as each file in turn, then as
//! `airports.dat` beside the real-shaped seed `countries.dat` line (so the name map is used).
//! `airports` and `routes` hold one row per row loaded.
#![no_main]

use attache_sources::Input;
use fuzz_common::{load, mirror_path, one, source, table_rows};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let src = source("openflights");
    for (file, table) in [("countries.dat", None), ("airports.dat", Some("airports")), ("routes.dat", Some("routes"))] {
        let path = mirror_path(src, file);
        if let Some(l) = load(src, &one(path, data)) {
            let loaded: u64 = l.stats.iter().map(|(_, s)| s.rows_loaded).sum();
            if let Some(t) = table {
                assert_eq!(table_rows(&l, t), loaded, "{t}: rows != rows_loaded");
            }
        }
    }
    let inputs = vec![
        Input { name: mirror_path(src, "countries.dat").into(), bytes: b"\"Papua New Guinea\",\"PG\",\"PP\"\n".to_vec() },
        Input { name: mirror_path(src, "airports.dat").into(), bytes: data.to_vec() },
    ];
    if let Some(l) = load(src, &inputs) {
        let airports = l.stats.iter().find(|(n, _)| n.ends_with("airports.dat")).map_or(0, |(_, s)| s.rows_loaded);
        assert_eq!(table_rows(&l, "airports"), airports);
    }
});

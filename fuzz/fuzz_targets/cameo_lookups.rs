//! GDELT's CAMEO lookups (tab-separated with a header, no quoting): `CAMEO.eventcodes.txt`,
//! `CAMEO.goldsteinscale.txt` (a float column) and `CAMEO.type.txt`, the bytes given as each file
//! in turn to `gdelt::Gdelt::load`: each table holds one row per row loaded.
#![no_main]

use fuzz_common::{assert_table_matches_stats, load, mirror_path, one, source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let src = source("gdelt");
    for (file, table) in [
        ("CAMEO.eventcodes.txt", "cameo_event_codes"),
        ("CAMEO.goldsteinscale.txt", "cameo_goldstein"),
        ("CAMEO.type.txt", "cameo_types"),
    ] {
        if let Some(l) = load(src, &one(mirror_path(src, file), data)) {
            assert_table_matches_stats(&l, table, 1);
        }
    }
});

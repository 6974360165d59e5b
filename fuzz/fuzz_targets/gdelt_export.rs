//! GDELT 2.0 15-minute export (tab-separated, no header, 61 fields, bare quotes) through `gdelt::Gdelt::load` (which calls `gdelt::parse_export`): one `gdelt_events` row per row loaded.
#![no_main]

use fuzz_common::{assert_table_matches_stats, load, mirror_path, one, source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let src = source("gdelt");
    let inputs = one(mirror_path(src, ".export.CSV"), data);
    if let Some(l) = load(src, &inputs) {
        assert_table_matches_stats(&l, "gdelt_events", 1);
    }
});

//! Polity5 p5v2018 CSV (UTF-8 BOM) through `polity::Polity5::load`: one `polity` row per row loaded.
#![no_main]

use fuzz_common::{assert_table_matches_stats, load, mirror_path, one, source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let src = source("polity5");
    let inputs = one(mirror_path(src, "p5v2018.csv"), data);
    if let Some(l) = load(src, &inputs) {
        assert_table_matches_stats(&l, "polity", 1);
    }
});

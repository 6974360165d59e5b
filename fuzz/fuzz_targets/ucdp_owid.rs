//! Our World in Data's country-year aggregate of UCDP deaths (CSV) through `ucdp::OwidDeaths::load`: one `indicators` row per row loaded.
#![no_main]

use fuzz_common::{assert_table_matches_stats, load, mirror_path, one, source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let src = source("owid-conflict-deaths");
    let inputs = one(mirror_path(src, ".csv"), data);
    if let Some(l) = load(src, &inputs) {
        assert_table_matches_stats(&l, "indicators", 1);
    }
});

//! UCDP GED in its published CSV layout through `ucdp::Ged::load`: one `ged` row per row loaded.
#![no_main]

use fuzz_common::{assert_table_matches_stats, load, mirror_path, one, source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let src = source("ucdp-ged");
    let inputs = one(mirror_path(src, "ged231.csv"), data);
    if let Some(l) = load(src, &inputs) {
        assert_table_matches_stats(&l, "ged", 1);
    }
});

//! UCDP/PRIO Armed Conflict Dataset CSV through the real adapter (`ucdp::Acd::load`): one `acd` row per row loaded.
#![no_main]

use fuzz_common::{assert_table_matches_stats, load, mirror_path, one, source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let src = source("ucdp-acd");
    let inputs = one(mirror_path(src, "UcdpPrioConflict_v25_1.csv"), data);
    if let Some(l) = load(src, &inputs) {
        assert_table_matches_stats(&l, "acd", 1);
    }
});

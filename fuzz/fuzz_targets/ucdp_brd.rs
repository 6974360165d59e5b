//! UCDP Battle-Related Deaths (dyadic) CSV through the real adapter (`ucdp::Brd::load`): one `brd` row per row loaded.
#![no_main]

use fuzz_common::{assert_table_matches_stats, load, mirror_path, one, source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let src = source("ucdp-brd");
    let inputs = one(mirror_path(src, "BattleDeaths_v24_1.csv"), data);
    if let Some(l) = load(src, &inputs) {
        assert_table_matches_stats(&l, "brd", 1);
    }
});

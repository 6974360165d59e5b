//! The three CO2 emissions publishers, each through its real adapter with the fuzz bytes as its
//! file: Global Carbon Budget 2019 (`emissions::Gcb`), EDGAR (`emissions::Edgar`) and CDIAC
//! (`emissions::Cdiac`). GCB and EDGAR write one `emissions` row per row loaded; CDIAC one per fuel
//! column (7) per row loaded.
#![no_main]

use fuzz_common::{assert_table_matches_stats, load, mirror_path, one, source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for (id, suffix, per_row) in [
        ("gcb2019", "territorial-emissions.csv", 1),
        ("edgar-co2", "edgar-co2-emissions.csv", 1),
        ("cdiac", "fossil-fuel-co2-emissions-by-nation.csv", 7),
    ] {
        let src = source(id);
        let inputs = one(mirror_path(src, suffix), data);
        if let Some(l) = load(src, &inputs) {
            assert_table_matches_stats(&l, "emissions", per_row);
        }
    }
});

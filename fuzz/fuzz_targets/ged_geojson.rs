//! UCDP GED in the mirror's GeoJSON layout through `ucdp::Ged::load` (which calls `ucdp::parse_ged_geojson`): one `ged` row per feature loaded.
#![no_main]

use fuzz_common::{assert_table_matches_stats, load, mirror_path, one, source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let src = source("ucdp-ged");
    let inputs = one(mirror_path(src, ".geojson"), data);
    if let Some(l) = load(src, &inputs) {
        assert_table_matches_stats(&l, "ged", 1);
    }
});

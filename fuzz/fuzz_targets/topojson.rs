//! Natural Earth world-atlas TopoJSON through `naturalearth::NaturalEarth::load` (which calls
//! `naturalearth::parse_topojson`): one `ne_countries` row per geometry loaded, and the file kept
//! byte-for-byte as an artifact.
#![no_main]

use fuzz_common::{assert_table_matches_stats, load, mirror_path, one, source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let src = source("natural-earth");
    let inputs = one(mirror_path(src, "countries-110m.json"), data);
    if let Some(l) = load(src, &inputs) {
        assert_table_matches_stats(&l, "ne_countries", 1);
        assert_eq!(l.artifacts.len(), 1);
        assert_eq!(l.artifacts[0].1, data, "artifact differs from the input bytes");
    }
});

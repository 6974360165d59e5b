//! openclimatedata/countrygroups through `groups::CountryGroups::load`: the bytes as a group CSV
//! (`Code,Name[,Region,...]`) and as a nested JSON list; `country_groups` holds one row per row
//! (code) loaded.
#![no_main]

use fuzz_common::{assert_table_matches_stats, load, mirror_path, one, source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let src = source("countrygroups");
    for file in ["un-regional-groups.csv", "unstats-geographical-regions.json"] {
        if let Some(l) = load(src, &one(mirror_path(src, file), data)) {
            assert_table_matches_stats(&l, "country_groups", 1);
        }
    }
});

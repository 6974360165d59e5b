//! World Bank WDI long CSV (`Country Name,Country Code,Year,Value`) through `worldbank::WorldBank::load`: one `indicators` row per row loaded.
#![no_main]

use fuzz_common::{assert_table_matches_stats, load, mirror_path, one, source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let src = source("worldbank-wdi");
    let inputs = one(mirror_path(src, "worldbank/gdp.csv"), data);
    if let Some(l) = load(src, &inputs) {
        assert_table_matches_stats(&l, "indicators", 1);
    }
});

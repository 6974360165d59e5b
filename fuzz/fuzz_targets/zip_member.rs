//! `attache_sources::unzip_member`, which opens the zip archives publishers serve (UCDP, GDELT),
//! asked for the member the ACD spec names; an extracted member then goes through the real ACD
//! adapter, as a sync would.
#![no_main]

use fuzz_common::{assert_table_matches_stats, load, one, source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let src = source("ucdp-acd");
    let spec = &src.meta().files[0];
    let member = spec.zip_member.expect("the ACD spec names a zip member");
    match attache_sources::unzip_member("fuzz.zip", data, member) {
        Ok(bytes) => {
            if let Some(l) = load(src, &one(spec.mirror_path, &bytes)) {
                assert_table_matches_stats(&l, "acd", 1);
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});

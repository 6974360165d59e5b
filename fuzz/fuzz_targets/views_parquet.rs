//! ViEWS country-month Parquet: `views::read_views_parquet` directly (every row carries one value
//! per value column), then the real adapter `views::ViewsCm::load` with the bytes as an actuals
//! file: the `cm` panel has at most one row per row loaded (rows with the same month and country
//! merge), and at least one when any was loaded.
#![no_main]

use attache_sources::adapters::views::read_views_parquet;
use fuzz_common::{load, mirror_path, one, rows_loaded, source, table_rows};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok((names, rows)) = read_views_parquet("fuzz.parquet", data) {
        for (_, _, vals) in &rows {
            assert_eq!(vals.len(), names.len(), "row has {} values for {} columns", vals.len(), names.len());
        }
    }
    let src = source("views-cm");
    let inputs = one(mirror_path(src, "cm_actuals_2018.parquet"), data);
    if let Some(l) = load(src, &inputs) {
        let (cm, loaded) = (table_rows(&l, "cm"), rows_loaded(&l));
        assert!(cm <= loaded, "cm has {cm} rows from {loaded} rows loaded");
        assert_eq!(cm == 0, loaded == 0, "cm has {cm} rows from {loaded} rows loaded");
    }
});

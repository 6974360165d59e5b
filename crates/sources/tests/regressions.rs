//! Inputs the fuzzer found crashing (fuzz/regressions/): each must now be a clean error.

use attache_sources::adapters::views::read_views_parquet;

fn check(file: &str, expect: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions")
        .join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let err = read_views_parquet(file, &bytes)
        .expect_err("a corrupt Parquet file must be an error")
        .to_string();
    assert!(err.contains(expect), "{file}: {err}");
}

#[test]
fn views_parquet_with_invalid_embedded_arrow_schema() {
    check("views_parquet-1.bin", "views_parquet-1.bin");
    check("views_parquet-2.bin", "views_parquet-2.bin");
}

//! `attache_sources::delimited::Delimited::parse`, the strict CSV/TSV reader every tabular adapter
//! uses, under each layout the adapters use: CSV and TSV with a header, TSV without quoting
//! (GDELT lookups), CSV with fixed columns (OpenFlights), and TSV without quoting, fixed columns and
//! short rows allowed (GDELT 1.0 backfiles).
#![no_main]

use attache_sources::delimited::{Delimited, Layout};
use libfuzzer_sys::fuzz_target;

fn check(data: &[u8], layout: &Layout) {
    match Delimited::parse("fuzz.csv", data, layout) {
        Ok(d) => {
            if let Some(cols) = &layout.columns {
                assert_eq!(&d.header, cols);
            }
            let width = d.header.len();
            let mut last = 0;
            for r in &d.records {
                let n = r.fields.len();
                if layout.allow_short_rows {
                    assert!(n <= width, "row of {n} fields for {width} columns");
                } else {
                    assert_eq!(n, width, "row of {n} fields for {width} columns");
                }
                assert!(r.line >= last, "record lines go backwards: {} after {last}", r.line);
                last = r.line;
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let cols = |n: usize| Some((0..n).map(|i| format!("c{i}")).collect::<Vec<_>>());
    check(data, &Layout::csv());
    check(data, &Layout::tsv());
    check(data, &Layout { quoting: false, ..Layout::tsv() });
    check(data, &Layout { columns: cols(4), ..Layout::csv() });
    check(data, &Layout { columns: cols(6), quoting: false, allow_short_rows: true, ..Layout::tsv() });
});

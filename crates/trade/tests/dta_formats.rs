//! The `.dta` reader on files written by another implementation (pandas 3 `to_stata`, formats
//! 114, 117, 118 and 119, the last two with `strL` text), committed under `tests/data/`: the
//! first 60 rows of the gegravity sample, with one trade value set missing. Every value must
//! equal the CSV's (floats as stored).

use attache_trade::dta;

#[test]
fn pandas_files_of_every_format_read_as_the_csv() {
    let path = attache_testdata::mirror().join("trade/gegravity_sample_data_set.dlm");
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().take(60).map(Result::unwrap).collect();
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    for format in [114, 117, 118, 119] {
        let file = format!(
            "{}/tests/data/gegravity_head_{format}.dta",
            env!("CARGO_MANIFEST_DIR")
        );
        let frame =
            dta::read(&std::fs::read(&file).unwrap()).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(frame.rows(), 60, "{file}");
        let exporters = frame.text("exporter").unwrap();
        let importers = frame.text("importer").unwrap();
        for (r, row) in rows.iter().enumerate() {
            assert_eq!(exporters[r], row[col("exporter")], "{file} row {r}");
            assert_eq!(importers[r], row[col("importer")], "{file} row {r}");
            for name in ["year", "trade", "Y", "E", "pta", "contiguity", "lndist"] {
                let got = frame.num(name).unwrap()[r];
                let want: f64 = row[col(name)].parse().unwrap();
                if name == "trade" && r == 3 {
                    assert!(got.is_nan(), "{file}: a missing value reads as NaN");
                } else if name == "lndist" {
                    assert_eq!(got, f64::from(want as f32), "{file} row {r} {name}");
                } else {
                    assert_eq!(got, want, "{file} row {r} {name}");
                }
            }
        }
    }
}

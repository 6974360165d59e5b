//! The displacement adapter on the mirror's real files: UNHCR's `population.rda` and
//! `idmc.rda` (bzip2-compressed R data, as the `refugees` package ships them) read by our
//! strict R-data reader, checked against the mirror's CSV conversions of the same files, made
//! independently with pyreadr and pandas (MANIFEST.md): every row, and per-year sums of every
//! stock column equal.

use std::collections::BTreeMap;

use arrow::array::{Array, Int64Array};
use attache_sources::{Input, registry};

fn load(files: &[&str]) -> attache_sources::Loaded {
    let m = attache_testdata::mirror();
    let inputs: Vec<Input> = files
        .iter()
        .map(|f| Input {
            name: f.to_string(),
            bytes: std::fs::read(m.join(f)).unwrap(),
        })
        .collect();
    let s = registry()
        .iter()
        .find(|s| s.meta().id == "displacement")
        .unwrap();
    s.load(&inputs).unwrap_or_else(|e| panic!("{e}"))
}

/// Per year, the sums of `cols` in the CSV conversion.
fn csv_sums(file: &str, cols: &[&str]) -> (usize, BTreeMap<i64, Vec<i64>>) {
    let m = attache_testdata::mirror();
    let mut r = csv::Reader::from_path(m.join(file)).unwrap();
    let head = r.headers().unwrap().clone();
    let at = |c: &str| head.iter().position(|h| h == c).unwrap();
    let (y, idx): (usize, Vec<usize>) = (at("year"), cols.iter().map(|c| at(c)).collect());
    let mut out: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    let mut n = 0;
    for rec in r.records() {
        let rec = rec.unwrap();
        n += 1;
        let e = out
            .entry(rec[y].parse().unwrap())
            .or_insert_with(|| vec![0; cols.len()]);
        for (k, i) in idx.iter().enumerate() {
            e[k] += rec[*i].parse::<i64>().unwrap_or(0);
        }
    }
    (n, out)
}

fn table_sums(b: &arrow::record_batch::RecordBatch, cols: &[&str]) -> BTreeMap<i64, Vec<i64>> {
    let col = |c: &str| {
        b.column(b.schema().index_of(c).unwrap())
            .as_any()
            .downcast_ref::<Int64Array>()
            .unwrap()
            .clone()
    };
    let year = col("year");
    let cs: Vec<Int64Array> = cols.iter().map(|c| col(c)).collect();
    let mut out: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for i in 0..b.num_rows() {
        let e = out
            .entry(year.value(i))
            .or_insert_with(|| vec![0; cols.len()]);
        for (k, c) in cs.iter().enumerate() {
            if !c.is_null(i) {
                e[k] += c.value(i);
            }
        }
    }
    out
}

#[test]
fn unhcr_population_and_idmc_equal_their_csv_conversions() {
    let l = load(&["displacement/population.rda", "displacement/idmc.rda"]);
    let get = |t: &str| &l.tables.iter().find(|x| x.table == t).unwrap().batch;
    let stocks = [
        "refugees",
        "asylum_seekers",
        "returned_refugees",
        "idps",
        "returned_idps",
        "stateless",
        "ooc",
        "oip",
        "hst",
    ];
    let (rows, sums) = csv_sums("displacement/population.csv", &stocks);
    let pop = get("displacement");
    assert_eq!(pop.num_rows(), rows, "every row");
    assert_eq!(rows, 138_893);
    assert_eq!(table_sums(pop, &stocks), sums, "every year's stocks");
    let (rows, sums) = csv_sums("displacement/idmc.csv", &["total"]);
    let idmc = get("idmc_idps");
    assert_eq!(idmc.num_rows(), rows);
    assert_eq!(table_sums(idmc, &["idps"]), sums);
    // Nothing dropped: every row read was loaded.
    for (name, stats) in &l.stats {
        assert_eq!(stats.rows_read, stats.rows_loaded, "{name}");
    }
}

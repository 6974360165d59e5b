//! The satellite signals on the mirror's real files: night lights (`night-lights`, NASA Black
//! Marble VNP46A4 sums for Kenya) and gas flaring (`gas-flaring`, the World Bank GGFR workbooks
//! 2017-2021). Golden values were read off the raw files by hand (file and line cited; line 1 is
//! the header, workbook rows as Excel numbers them); the workbooks' sheets are checked against
//! the mirror's CSV conversions of them, read by the csv crate.

mod common;

use attache_sources::Loaded;
use attache_sources::adapters::flaring::{SEGMENT_OF_TYPE_2021, WORKBOOKS};
use attache_sources::adapters::nightlights::{ADM0, ADM1};
use attache_sources::xlsx::write_minimal;
use common::{csv_rows, float, int, load_inputs, load_mirror, raw, table, text};

fn night_lights() -> Loaded {
    load_mirror("night-lights", &[ADM0, ADM1])
}

fn flaring() -> Loaded {
    let files: Vec<&str> = WORKBOOKS.iter().map(|(f, _)| *f).collect();
    load_mirror("gas-flaring", &files)
}

/// The index of the row whose text columns have these values.
fn find(b: &arrow::record_batch::RecordBatch, keys: &[(&str, Option<&str>)], year: i64) -> usize {
    (0..b.num_rows())
        .find(|&i| {
            int(b, "year", i) == Some(year)
                && keys.iter().all(|(c, v)| text(b, c, i).as_deref() == *v)
        })
        .unwrap_or_else(|| panic!("no row {keys:?} {year}"))
}

#[test]
fn night_lights_every_row_with_its_anomaly() {
    let l = night_lights();
    let t = table(&l, "night_lights");
    assert_eq!(t.num_rows(), 24 + 564);
    for (f, n) in [(ADM0, 24), (ADM1, 564)] {
        let st = &l.stats.iter().find(|(p, _)| p == f).unwrap().1;
        assert_eq!((st.rows_read, st.rows_loaded), (n, n), "{f}");
        assert!(st.excluded.is_empty() && st.adjusted.is_empty(), "{f}");
    }
    let near = Some("VNP46A4_NearNadir_Composite_Snow_Free");
    let kenya = [
        ("product", near),
        ("level", Some("adm0")),
        ("iso3", Some("KEN")),
    ];
    // kenya_blackmarble_ntl_adm0_2012-2023.csv line 2:
    // `VNP46A4_NearNadir_Composite_Snow_Free,KEN,Kenya,48405.41796875,2750403,2750340,0.9999770942658222,2012`
    let i = find(t, &kenya, 2012);
    assert_eq!(float(t, "ntl_sum", i), Some(48405.41796875));
    assert_eq!(int(t, "n_pixels", i), Some(2750403));
    assert_eq!(int(t, "n_non_na_pixels", i), Some(2750340));
    assert_eq!(float(t, "prop_non_na_pixels", i), Some(0.9999770942658222));
    assert_eq!(text(t, "region", i), None);
    assert_eq!(
        (int(t, "history_years", i), float(t, "anomaly_log", i)),
        (Some(0), None)
    );
    // Lines 3 and 4: 55385.48046875 (2013), 62889.328125 (2014). The anomaly is the log change
    // against the mean of the earlier years: ln(55385.48 / 48405.42) = 0.134706 and
    // ln(62889.33 / mean(48405.42, 55385.48)) = 0.192145 (python3 math.log).
    let i = find(t, &kenya, 2013);
    assert_eq!(int(t, "history_years", i), Some(1));
    assert!((float(t, "anomaly_log", i).unwrap() - 0.13470572504053102).abs() < 1e-12);
    let i = find(t, &kenya, 2014);
    assert_eq!(int(t, "history_years", i), Some(2));
    assert!((float(t, "anomaly_log", i).unwrap() - 0.1921453824813888).abs() < 1e-12);
    // Line 14, the off-nadir series is its own: `VNP46A4_OffNadir_Composite_Snow_Free,KEN,Kenya,84144.8125,...,2012`.
    let off = [
        ("product", Some("VNP46A4_OffNadir_Composite_Snow_Free")),
        ("level", Some("adm0")),
    ];
    let i = find(t, &off, 2012);
    assert_eq!(float(t, "ntl_sum", i), Some(84144.8125));
    assert_eq!(float(t, "anomaly_log", i), None);
    // kenya_blackmarble_ntl_adm1_2012-2023.csv line 31:
    // `VNP46A4_NearNadir_Composite_Snow_Free,Nairobi,21156.384765625,3581,3581,1.0,2012`.
    let nairobi = [("level", Some("adm1")), ("region", Some("Nairobi"))];
    let i = find(t, &nairobi, 2012);
    assert_eq!(text(t, "iso3", i).as_deref(), Some("KEN"));
    assert_eq!(float(t, "ntl_sum", i), Some(21156.384765625));
    assert_eq!(int(t, "n_pixels", i), Some(3581));
    // Line 78: 23980.23046875 in 2013.
    let i = find(t, &nairobi, 2013);
    let want = (23980.23046875f64 / 21156.384765625).ln();
    assert!((float(t, "anomaly_log", i).unwrap() - want).abs() < 1e-12);
    // Every county has its 12 years.
    let regions: std::collections::BTreeSet<String> = (0..t.num_rows())
        .filter_map(|i| text(t, "region", i))
        .collect();
    assert_eq!(regions.len(), 47);
}

#[test]
fn gas_flaring_every_release() {
    let l = flaring();
    let t = table(&l, "gas_flaring");
    // 2017: 101 + 98 + 32 countries x 6 years, less Rwanda's empty 2017 upstream cell
    // (viirs_global_flaring_2017_iso_upstream.csv line 80: `RWA,Rwanda,1.0,0.0,...,0.0008954778416,`); 2018: 85 + 91 + 27; 2019: 100 + 100; 2020:
    // 90 + 1 + 87 + 46; 2021: 210 country-segments of the 10,395 sites (python3 csv over
    // viirs_global_flaring_2021.csv).
    assert_eq!(t.num_rows(), 1386 - 1 + 203 + 200 + 224 + 210);
    let stats = |f: &str| l.stats.iter().find(|(p, _)| p == f).unwrap().1.clone();
    let s17 = stats(WORKBOOKS[0].0);
    assert_eq!(
        (s17.rows_read, s17.rows_loaded),
        (102 + 99 + 33, 101 + 98 + 32)
    );
    assert_eq!(s17.rows_excluded(), 3, "{:?}", s17.excluded);
    assert!(s17.excluded.keys().all(|k| k.contains("world Total row")));
    let s19 = stats(WORKBOOKS[2].0);
    assert_eq!((s19.rows_read, s19.rows_loaded), (202, 200));
    assert!(
        s19.excluded
            .keys()
            .all(|k| k.contains("neither Country nor ISO Code"))
    );
    let s21 = stats(WORKBOOKS[4].0);
    assert_eq!((s21.rows_read, s21.rows_loaded), (10395, 10395));
    assert_eq!(
        s21.adjusted.values().sum::<u64>(),
        19,
        "SAUKWTNZ sites: {:?}",
        s21.adjusted
    );

    // viirs_global_flaring_2017_iso_upstream.csv line 3 (the sheet iso_upstream, row 3):
    // `AGO,Angola,68.0,3.1542980101023,2.9773255883018,...`.
    let ago = [("iso3", Some("AGO")), ("segment", Some("upstream"))];
    let i = find(t, &ago, 2012);
    assert_eq!(float(t, "bcm", i), Some(3.1542980101023));
    assert_eq!(int(t, "release", i), Some(2017));
    assert_eq!(int(t, "flare_count", i), None);
    assert_eq!(float(t, "bcm_change", i), None);
    let i = find(t, &ago, 2013);
    assert_eq!(float(t, "bcm", i), Some(2.9773255883018));
    assert_eq!(
        float(t, "bcm_change", i),
        Some(2.9773255883018 - 3.1542980101023)
    );
    // viirs_global_flaring_2018.xlsx, sheet `countries upstream`, row 2:
    // `Russian Federation | RUS | 20.392391133649799 | 1246`.
    let i = find(
        t,
        &[("iso3", Some("RUS")), ("segment", Some("upstream"))],
        2018,
    );
    assert_eq!(
        float(t, "bcm", i),
        Some("20.392391133649799".parse::<f64>().unwrap())
    );
    assert_eq!(int(t, "flare_count", i), Some(1246));
    assert_eq!(text(t, "sheet", i).as_deref(), Some("countries upstream"));
    // viirs_global_flaring_2020.xlsx, sheet `countries upstream`, row 2: `Angola | AGO |
    // 1.8206777760408399 | 57`.
    let i = find(t, &ago, 2020);
    assert_eq!(
        float(t, "bcm", i),
        Some("1.8206777760408399".parse::<f64>().unwrap())
    );
    assert_eq!(int(t, "flare_count", i), Some(57));
    // 2021: the per-site rows summed (python3 csv, in file order: IRQ upstream 199 sites,
    // 17.800343391718776 BCM).
    let i = find(
        t,
        &[("iso3", Some("IRQ")), ("segment", Some("upstream"))],
        2021,
    );
    assert!((float(t, "bcm", i).unwrap() - 17.800343391718776).abs() < 1e-12);
    assert_eq!(int(t, "flare_count", i), Some(199));
    // The Neutral Zone has no state: iso3 null, its code kept.
    let i = find(
        t,
        &[
            ("iso_code", Some("SAUKWTNZ")),
            ("segment", Some("upstream")),
        ],
        2021,
    );
    assert_eq!(text(t, "iso3", i), None);
    assert!((float(t, "bcm", i).unwrap() - 0.25269668418046).abs() < 1e-12);
}

/// The workbooks' sheets agree with the mirror's CSV conversions of them: the 2017 upstream
/// sheet cell by cell, the 2021 sites summed per country and segment.
#[test]
fn gas_flaring_agrees_with_the_csv_conversions() {
    let l = flaring();
    let t = table(&l, "gas_flaring");
    let (header, rows) =
        csv_rows("satellite/gas_flaring/viirs_global_flaring_2017_iso_upstream.csv");
    let mut checked = 0;
    for r in rows.iter().filter(|r| &r[0] != "Total") {
        for (c, h) in header.iter().enumerate().skip(3) {
            if r[c].is_empty() {
                continue;
            }
            let year: i64 = h.trim_start_matches("sum_BCM_").parse().unwrap();
            let i = find(
                t,
                &[("iso_code", Some(&r[0])), ("segment", Some("upstream"))],
                year,
            );
            assert_eq!(
                float(t, "bcm", i),
                Some(r[c].parse::<f64>().unwrap()),
                "{} {year}",
                &r[0]
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 101 * 6 - 1);
    let (_, rows) = csv_rows("satellite/gas_flaring/viirs_global_flaring_2021.csv");
    let mut sums: std::collections::BTreeMap<(String, &str), (f64, i64)> = Default::default();
    for r in &rows {
        let seg = SEGMENT_OF_TYPE_2021
            .iter()
            .find(|(ty, _)| *ty == &r[6])
            .unwrap()
            .1;
        let e = sums.entry((r[1].to_string(), seg)).or_default();
        e.0 += r[5].parse::<f64>().unwrap();
        e.1 += 1;
    }
    for ((code, seg), (bcm, n)) in &sums {
        let i = find(t, &[("iso_code", Some(code)), ("segment", Some(seg))], 2021);
        assert!(
            (float(t, "bcm", i).unwrap() - bcm).abs() <= 1e-12 * bcm.max(1.0),
            "{code} {seg}"
        );
        assert_eq!(int(t, "flare_count", i), Some(*n));
    }
    assert_eq!(sums.len(), 210);
}

fn check_night(file: &str, body: &str, expect: &str) {
    let got = match load_inputs(
        "night-lights",
        vec![(file.to_string(), body.as_bytes().to_vec())],
    ) {
        Ok(l) => format!("ok {}", table(&l, "night_lights").num_rows()),
        Err(e) => e,
    };
    assert_eq!(got, expect, "{body}");
}

#[test]
fn night_lights_fails_loudly() {
    let h = "product,GID_0,COUNTRY,ntl_sum,n_pixels,n_non_na_pixels,prop_non_na_pixels,year\n";
    let p = "VNP46A4_NearNadir_Composite_Snow_Free";
    check_night(
        ADM0,
        &format!("{h}{p},KEN,Kenya,1.5,10,10,1.0,2012\n"),
        "ok 1",
    );
    check_night(
        ADM0,
        &format!("{h}{p},KEN,Kenya,NA,10,10,1.0,2012\n"),
        &format!("{ADM0}:2: column \"ntl_sum\": \"NA\" is not a number"),
    );
    check_night(
        ADM0,
        &format!("{h}{p},KEN,Kenya,1.5,10,11,1.0,2012\n"),
        &format!("{ADM0}:2: column \"n_non_na_pixels\": \"11\" is not at most n_pixels"),
    );
    check_night(
        ADM0,
        &format!("{h}{p},KEN,Kenya,1.5,10,10,1.0,2012\n{p},KEN,Kenya,2,10,10,1.0,2012\n"),
        &format!(
            "{ADM0}:3: malformed row: {p} KEN (country) 2012 again (first on line 2): one row per product, area and year"
        ),
    );
    check_night(
        ADM0,
        &format!("{h}VNP46A3_Monthly,KEN,Kenya,1.5,10,10,1.0,2012\n"),
        &format!(
            "{ADM0}:2: column \"product\": \"VNP46A3_Monthly\" is not a Black Marble VNP46A4 composite (NearNadir or OffNadir, snow-free)"
        ),
    );
    let e = load_inputs(
        "night-lights",
        vec![(
            ADM0.into(),
            format!("{h}{p},XXY,Nowhere,1,1,1,1,2012\n").into_bytes(),
        )],
    )
    .err()
    .unwrap();
    assert!(e.starts_with(&format!("{ADM0}:2: column \"GID_0\"")), "{e}");
}

#[test]
fn gas_flaring_fails_loudly_naming_sheet_row_column_and_value() {
    let path = WORKBOOKS[1].0;
    let head = vec!["Country", "ISO Code", "BCM 2018", "Flare count 2018"];
    let sheet = |rows: Vec<Vec<&'static str>>| {
        let mut all = vec![head.clone()];
        all.extend(rows);
        all
    };
    let book = |up: Vec<Vec<&'static str>>| {
        write_minimal(&[
            ("countries upstream", sheet(up)),
            ("countries oil downstream", sheet(vec![])),
            (
                "countries gas downstream",
                sheet(vec![vec!["Iran", "IRN", "0.5", "3"]]),
            ),
        ])
    };
    let run = |bytes: Vec<u8>| match load_inputs("gas-flaring", vec![(path.to_string(), bytes)]) {
        Ok(l) => format!("ok {}", table(&l, "gas_flaring").num_rows()),
        Err(e) => e,
    };
    assert_eq!(run(book(vec![vec!["Iraq", "IRQ", "17.8", "191"]])), "ok 2");
    assert_eq!(
        run(book(vec![
            vec!["Iraq", "IRQ", "17.8", "191"],
            vec!["Iran", "IRN", "abc", "3"]
        ])),
        format!(
            "{path} [sheet countries upstream]:3: column \"BCM 2018\": \"abc\" is not a number"
        )
    );
    assert_eq!(
        run(book(vec![vec!["Iraq", "IRQ", "-1", "191"]])),
        format!(
            "{path} [sheet countries upstream]:2: column \"BCM 2018\": \"-1\" is not a volume in BCM (a number, 0 or more)"
        )
    );
    assert_eq!(
        run(book(vec![vec!["Iraq", "IRQ", "1", "2.5"]])),
        format!(
            "{path} [sheet countries upstream]:2: column \"Flare count 2018\": \"2.5\" is not an integer"
        )
    );
    assert_eq!(
        run(book(vec![vec!["Iraq", "", "1", "2"]])),
        format!(
            "{path} [sheet countries upstream]:2: column \"ISO Code\": \"\" is not an ISO alpha-3 code (the row names a country)"
        )
    );
    assert_eq!(
        run(book(vec![
            vec!["Iraq", "IRQ", "1", "2"],
            vec!["Iraq", "IRQ", "1", "2"]
        ])),
        format!(
            "{path} [sheet countries upstream]:3: malformed row: ISO Code IRQ again (first on line 2): one row per country"
        )
    );
    let e = run(write_minimal(&[("countries upstream", sheet(vec![]))]));
    assert!(
        e.starts_with(&format!("{path}: no sheet \"countries oil downstream\"")),
        "{e}"
    );
    let e = run(b"Country,ISO Code\n".to_vec());
    assert!(
        e.starts_with(&format!("{path}: not an .xlsx workbook")),
        "{e}"
    );
    // A 2021 flare type the ReadMe does not list.
    let path21 = WORKBOOKS[4].0;
    let sites = write_minimal(&[(
        "2021 Global Gas Flaring Volumes",
        vec![
            vec![
                "Country",
                "ISO Code",
                "ID 2021",
                "Latitude",
                "Longitude",
                "BCM 2021",
                "Type",
            ],
            vec!["Iraq", "IRQ", "1", "31", "47", "1.25", "upstream oil"],
            vec!["Iraq", "IRQ", "2", "31", "47", "0.5", "volcano"],
        ],
    )]);
    let e = load_inputs("gas-flaring", vec![(path21.to_string(), sites)])
        .err()
        .unwrap();
    assert!(
        e.starts_with(&format!("{path21} [sheet 2021 Global Gas Flaring Volumes]:3: column \"Type\": \"volcano\" is not a flare type")),
        "{e}"
    );
    let _ = raw;
}

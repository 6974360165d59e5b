//! Golden tests of the adapters on small slices of the real published files (rows copied
//! verbatim from the data mirror; the expected values are read off those rows by hand).
//! Tests are data-driven through one `check` helper and do not depend on adapter internals.

use arrow::array::{Array, Float64Array, Int64Array, StringArray};
use attache_sources::{Input, Loaded, registry};

/// Loads `inputs` with the adapter `source` and checks, per table, the row count and some cells
/// (`column`, row index, expected value rendered as text; "null" for null).
/// (table, rows, cells as (column, row, value)).
type Expect<'a> = (&'a str, usize, &'a [(&'a str, usize, &'a str)]);

fn check(source: &str, inputs: &[(&str, &str)], expect: &[Expect<'_>]) {
    let reg = registry();
    let s = reg
        .iter()
        .find(|s| s.meta().id == source)
        .unwrap_or_else(|| panic!("no source {source}"));
    let inputs: Vec<Input> = inputs
        .iter()
        .map(|(n, t)| Input {
            name: n.to_string(),
            bytes: t.as_bytes().to_vec(),
        })
        .collect();
    let loaded: Loaded = s.load(&inputs).unwrap_or_else(|e| panic!("{source}: {e}"));
    for (table, rows, cells) in expect {
        let batches: Vec<_> = loaded
            .tables
            .iter()
            .filter(|t| t.table == *table)
            .map(|t| &t.batch)
            .collect();
        assert!(!batches.is_empty(), "{source}: no table {table}");
        let b = batches[0];
        assert_eq!(b.num_rows(), *rows, "{source}/{table} rows");
        for (col, row, want) in *cells {
            let i = b
                .schema()
                .index_of(col)
                .unwrap_or_else(|_| panic!("{table}: no column {col}"));
            let a = b.column(i);
            let got = if a.is_null(*row) {
                "null".to_string()
            } else if let Some(x) = a.as_any().downcast_ref::<Int64Array>() {
                x.value(*row).to_string()
            } else if let Some(x) = a.as_any().downcast_ref::<Float64Array>() {
                x.value(*row).to_string()
            } else {
                a.as_any()
                    .downcast_ref::<StringArray>()
                    .unwrap()
                    .value(*row)
                    .to_string()
            };
            assert_eq!(&got, want, "{source}/{table}.{col}[{row}]");
        }
    }
    for (file, st) in &loaded.stats {
        assert_eq!(st.rows_read, st.rows_loaded + st.rows_excluded(), "{file}");
    }
}

fn check_err(source: &str, inputs: &[(&str, &str)], expect: &str) {
    let reg = registry();
    let s = reg.iter().find(|s| s.meta().id == source).unwrap();
    let inputs: Vec<Input> = inputs
        .iter()
        .map(|(n, t)| Input {
            name: n.to_string(),
            bytes: t.as_bytes().to_vec(),
        })
        .collect();
    match s.load(&inputs) {
        Ok(_) => panic!("{source}: expected error {expect:?}"),
        Err(e) => assert_eq!(e.to_string(), expect, "{source}"),
    }
}

const ACD_HEAD: &str = "conflict_id,location,side_a,side_a_id,side_a_2nd,side_b,side_b_id,side_b_2nd,incompatibility,territory_name,year,intensity_level,cumulative_intensity,type_of_conflict,start_date,start_prec,start_date2,start_prec2,ep_end,ep_end_date,ep_end_prec,gwno_a,gwno_a_2nd,gwno_b,gwno_b_2nd,gwno_loc,region,version\n";

#[test]
fn ucdp_acd() {
    let text = format!(
        "{ACD_HEAD}11342,India,Government of India,141,\"\",GNLA,1163,\"\",1,Garoland,2012,1,0,3,1997-05-29,1,2012-11-15,1,1,2012-12-21,\"\",750,\"\",\"\",\"\",750,3,25.1\n\
         200,\"Russia (Soviet Union), Ukraine\",Government of Russia (Soviet Union),57,\"\",Government of Ukraine,58,\"\",1,Crimea,2014,1,0,2,2014-03-01,1,2014-03-01,1,1,2014-03-21,\"\",365,\"\",369,\"\",\"365, 369\",1,25.1\n"
    );
    check(
        "ucdp-acd",
        &[("ucdp/UcdpPrioConflict_v25_1.csv", &text)],
        &[
            (
                "acd",
                2,
                &[
                    ("conflict_id", 0, "11342"),
                    ("iso3_loc", 0, "IND"),
                    ("side_a_2nd", 0, "null"),
                    ("iso3_loc", 1, "RUS, UKR"),
                    ("iso3_b", 1, "UKR"),
                ],
            ),
            (
                "acd_locations",
                3,
                &[("iso3", 1, "RUS"), ("iso3", 2, "UKR"), ("gwno", 2, "369")],
            ),
        ],
    );
    check_err(
        "ucdp-acd",
        &[(
            "ucdp/UcdpPrioConflict_v25_1.csv",
            &format!(
                "{ACD_HEAD}11342,India,x,141,\"\",GNLA,1163,\"\",1,G,20x2,1,0,3,,1,,1,1,,\"\",750,\"\",\"\",\"\",750,3,25.1\n"
            ),
        )],
        "ucdp/UcdpPrioConflict_v25_1.csv:2: column \"year\": \"20x2\" is not an integer",
    );
}

#[test]
fn polity5_with_bom() {
    let text = "\u{feff}p5,cyear,ccode,scode,country,year,flag,fragment,democ,autoc,polity,polity2,durable,xrreg,xrcomp,xropen,xconst,parreg,parcomp,exrec,exconst,polcomp,prior,emonth,eday,eyear,eprec,interim,bmonth,bday,byear,bprec,post,change,d5,sf,regtrans\n\
        0,7001800,700,AFG,Afghanistan,1800,0,,1,7,-6,-6,,3,1,1,1,3,3,1,1,6,,,,,,,1,1,1800,1,-6,88,1,,\n";
    check(
        "polity5",
        &[("polity5/p5v2018.csv", text)],
        &[(
            "polity",
            1,
            &[
                ("p5", 0, "0"),
                ("polity2", 0, "-6"),
                ("iso3", 0, "AFG"),
                ("durable", 0, "null"),
            ],
        )],
    );
}

#[test]
fn worldbank_keeps_aggregates_without_iso3() {
    let text = "Country Name,Country Code,Year,Value\nAfrica Eastern and Southern,AFE,1990,100.49864327792\nAfghanistan,AFG,1990,120.4\n";
    check(
        "worldbank-wdi",
        &[("worldbank/wdi/sp.dyn.imrt.in.csv", text)],
        &[(
            "indicators",
            2,
            &[
                ("iso3", 0, "null"),
                ("entity", 0, "AFE"),
                ("indicator", 0, "SP.DYN.IMRT.IN"),
                ("value", 0, "100.49864327792"),
                ("iso3", 1, "AFG"),
            ],
        )],
    );
    check_err(
        "worldbank-wdi",
        &[(
            "worldbank/wdi/sp.dyn.imrt.in.csv",
            "Country Name,Country Code,Year,Value\nAtlantis,ATL,1990,1\n",
        )],
        "worldbank/wdi/sp.dyn.imrt.in.csv:2: column \"Country Code\": unknown iso3 country code \"ATL\"",
    );
}

#[test]
fn gdelt_export_fips_to_iso3() {
    // 2019-10-24 14:30 export, first record (61 tab-separated fields, no header).
    let fields = [
        "881990832",
        "20181024",
        "201810",
        "2018",
        "2018.8055",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "AUS",
        "VICTORIA",
        "AUS",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "0",
        "139",
        "139",
        "13",
        "3",
        "-7.0",
        "3",
        "1",
        "3",
        "2.02774813233724",
        "0",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "4",
        "Vancouver, British Columbia, Canada",
        "CA",
        "CA02",
        "12552",
        "49.25",
        "-123.133",
        "-575268",
        "4",
        "Vancouver, British Columbia, Canada",
        "CA",
        "CA02",
        "12552",
        "49.25",
        "-123.133",
        "-575268",
        "20191024143000",
        "https://www.timescolonist.com/x",
    ];
    let line = fields.join("\t") + "\n";
    check(
        "gdelt",
        &[("gdelt/20191024143000.export.CSV", &line)],
        &[(
            "gdelt_events",
            1,
            &[
                ("globaleventid", 0, "881990832"),
                ("action_geo_iso3", 0, "CAN"),
                ("actor1_geo_iso3", 0, "null"),
                ("goldstein_scale", 0, "-7"),
            ],
        )],
    );
    let short = fields[..60].join("\t") + "\n";
    check_err(
        "gdelt",
        &[("gdelt/20191024143000.export.CSV", &short)],
        "gdelt/20191024143000.export.CSV:1: expected 61 fields, found 60 (truncated or unbalanced row?)",
    );
}

#[test]
fn openflights_null_marker() {
    let airports = "1,\"Goroka Airport\",\"Goroka\",\"Papua New Guinea\",\"GKA\",\"AYGA\",-6.081689834590001,145.391998291,5282,10,\"U\",\"Pacific/Port_Moresby\",\"airport\",\"OurAirports\"\n";
    let routes = "2B,410,AER,2965,KZN,2990,,0,CR2\n2B,410,ASF,2966,KZN,\\N,,0,CR2\n";
    check(
        "openflights",
        &[
            (
                "openflights/countries.dat",
                "\"Papua New Guinea\",\"PG\",\"PP\"\n",
            ),
            ("openflights/airports.dat", airports),
            ("openflights/routes.dat", routes),
        ],
        &[
            (
                "airports",
                1,
                &[
                    ("airport_id", 0, "1"),
                    ("iso3", 0, "PNG"),
                    ("latitude", 0, "-6.081689834590001"),
                ],
            ),
            (
                "routes",
                2,
                &[
                    ("source_airport", 0, "AER"),
                    ("destination_airport_id", 1, "null"),
                    ("stops", 1, "0"),
                ],
            ),
        ],
    );
}

#[test]
fn country_groups_csv_and_nested_json() {
    check(
        "countrygroups",
        &[
            (
                "countrygroups/g7.csv",
                "Code,Name\nCAN,Canada\nEUU,European Union\n",
            ),
            (
                "countrygroups/unstats-geographical-regions.json",
                "{\"EUROPE\": {\"NORTHERN_EUROPE\": [\"ALA\", {\"CHANNEL_ISLANDS\": [\"GGY\"]}]}}",
            ),
        ],
        &[(
            "country_groups",
            4,
            &[
                ("iso3", 0, "CAN"),
                ("iso3", 1, "null"),
                ("subgroup", 3, "EUROPE/NORTHERN_EUROPE/CHANNEL_ISLANDS"),
            ],
        )],
    );
}

#[test]
fn emissions_three_publishers() {
    check(
        "gcb2019",
        &[(
            "gcb2019/territorial-emissions.csv",
            "Code,Year,Emissions,Source\nABW,1959,0.196,CDIAC\nWorld,1959,2.4,CDIAC\n",
        )],
        &[(
            "emissions",
            2,
            &[
                ("iso3", 0, "ABW"),
                ("iso3", 1, "null"),
                ("unit", 0, "MtC"),
                ("value", 0, "0.196"),
            ],
        )],
    );
    check(
        "cdiac",
        &[(
            "co2/fossil-fuel-co2-emissions-by-nation.csv",
            "Year,Country,Total,Solid Fuel,Liquid Fuel,Gas Fuel,Cement,Gas Flaring,Per Capita,Bunker fuels (Not in Total)\n1751,UNITED KINGDOM,2552,2552,0,0,0,,,0\n",
        )],
        &[(
            "emissions",
            7,
            &[
                ("iso3", 0, "GBR"),
                ("sector", 0, "Total"),
                ("value", 0, "2552"),
                ("value", 5, "null"),
            ],
        )],
    );
}

#[test]
fn ged_csv_as_distributed() {
    // GED 23.1 CSV header (ged231.csv) and one event, as in the GeoJSON's first feature.
    let header = "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,conflict_name,dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,side_b_dset_id,side_b_new_id,side_b,number_of_sources,source_article,source_office,source_date,source_headline,source_original,where_prec,where_coordinates,where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,high,low,gwnoa,gwnob";
    let row = "36210,0,2009,1,Clear,1,314,314,Uganda: Government,688,688,Government of Uganda - LRA,90,90,Government of Uganda,488,488,LRA,-1,Reuters  25/2-09,,,,anonymous CAR army colonel,5,Southeast Central African Republic,Central African Republic remote southeast,,,5.399784,26.486881,POINT (26.486881 5.399784),137213,Central African Republic,482,Africa,1,1,2009-02-20 00:00:00.000,2009-02-20 00:00:00.000,0,3,0,0,3,3,3,500,";
    check(
        "ucdp-ged",
        &[("ucdp/ged231.csv", &format!("{header}\n{row}\n"))],
        &[(
            "ged",
            1,
            &[
                ("id", 0, "36210"),
                ("iso3", 0, "CAF"),
                ("month_id", 0, "350"),
                ("best", 0, "3"),
                ("latitude", 0, "5.399784"),
                ("gwnob", 0, "null"),
            ],
        )],
    );
}

/// Parquet page checksums are verified where a file carries them (issue 12). The fixture is
/// written by pyarrow with `write_page_checksum=True` (tools/gen_parquet_crc.py; parquet-rs
/// cannot write CRCs): read whole it gives the values written; with one byte flipped inside the
/// `ged_sb` data page (offset 1255, 417 bytes, per pyarrow's column metadata) it is refused
/// naming the file, where without the check it would read as other numbers.
#[test]
fn parquet_page_checksums_are_verified() {
    use attache_sources::adapters::views::read_views_parquet;
    let bytes = include_bytes!("fixtures/views-crc.parquet");
    let (names, rows) = read_views_parquet("views/cm_crc.parquet", bytes).unwrap();
    assert_eq!(names, ["gleditsch_ward", "ged_sb", "ged_ns", "ged_os"]);
    assert_eq!(rows.len(), 48);
    let sb: Vec<f64> = rows.iter().map(|r| r.2[1].unwrap()).collect();
    let want: Vec<f64> = (0..48).map(|i| f64::from(i * 3 % 17)).collect();
    assert_eq!(sb, want);
    let mut bad = bytes.to_vec();
    bad[1255 + 417 - 9] ^= 0x40;
    let err = read_views_parquet("views/cm_crc.parquet", &bad)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("views/cm_crc.parquet") && err.contains("CRC checksum mismatch"),
        "{err}"
    );
}

/// Every typed source id names a registered adapter, and every adapter has a typed id: a
/// reader that names a table's source by constant cannot name one that does not exist.
#[test]
fn every_source_id_is_a_registered_adapter() {
    let registered: Vec<attache_core::SourceId> = attache_sources::registry()
        .iter()
        .map(|s| s.meta().id)
        .collect();
    let mut all = attache_core::SourceId::ALL.to_vec();
    let mut reg = registered.clone();
    all.sort();
    reg.sort();
    assert_eq!(all, reg);
    assert_eq!(reg.len(), registered.len(), "an adapter id twice");
}

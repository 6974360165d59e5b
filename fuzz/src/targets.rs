//! The body of every fuzz target, one `pub fn <target>(data: &[u8])` each, and [`ALL`], the table
//! naming them. `fuzz_targets/<target>.rs` hands libFuzzer's bytes to the function of the same
//! name; `crates/cli/tests/fuzz_replay.rs` calls every entry of [`ALL`] on the committed replay
//! corpus (`fuzz/replay/<target>/`) on stable Rust.
//!
//! A target passes when the parser returns `Ok` or `Err` without panicking, every `Err` renders,
//! and every `Ok` holds the invariants checked here and in the parent module.

use std::collections::HashSet;
use std::ops::RangeInclusive;

use arrow::array::{Array, ArrayRef, Int64Array, StringArray};
use arrow::record_batch::RecordBatch;
use attache_climate::{Emissions, Fair16Params, parse_rcmip_csv, parse_rcp_csv};
use attache_pledges::ndc::{
    NdcTexts, Pct, Pledge, Target, apply_edit, read_pledge, read_target, split_edit,
};
use attache_provenance::{MAX_MANIFEST_BYTES, Manifest, Verdict, verify};
use attache_sources::adapters::views::read_views_parquet;
use attache_sources::delimited::{Delimited, Layout};
use attache_sources::{Input, Loaded};

use super::{
    assert_table_matches_stats, column_nulls, load, mirror_path, one, rows_loaded, source,
    table_rows, verbose,
};

/// A target's body: the fuzz input in, a panic out when an invariant breaks.
pub type TargetFn = fn(&[u8]);

/// Every target: its name (the `[[bin]]` in `fuzz/Cargo.toml`, the folder under `fuzz/replay/`
/// and the prefix of its files under `fuzz/regressions/`) and its body.
pub const ALL: &[(&str, TargetFn)] = &[
    ("delimited_csv", delimited_csv),
    ("ucdp_acd", ucdp_acd),
    ("ucdp_brd", ucdp_brd),
    ("ucdp_owid", ucdp_owid),
    ("ged_csv", ged_csv),
    ("ged_geojson", ged_geojson),
    ("views_parquet", views_parquet),
    ("worldbank_csv", worldbank_csv),
    ("polity_csv", polity_csv),
    ("emissions", emissions),
    ("openflights", openflights),
    ("topojson", topojson),
    ("gdelt_export", gdelt_export),
    ("cameo_lookups", cameo_lookups),
    ("country_groups", country_groups),
    ("zip_member", zip_member),
    ("ndc_cait", ndc_cait),
    ("ndc_klimalog", ndc_klimalog),
    ("unfccc_ndcs", unfccc_ndcs),
    ("unfccc_paris", unfccc_paris),
    ("rcmip_csv", rcmip_csv),
    ("rcp_csv", rcp_csv),
    ("ndc_target_text", ndc_target_text),
    ("pledge_edit", pledge_edit),
    ("pledge_import", pledge_import),
    ("statement_manifest", statement_manifest),
    ("unvotes_rdata", unvotes_rdata),
    ("unvotes_csv", unvotes_csv),
    ("un_ideal_points", un_ideal_points),
    ("events_gdelt_export", events_gdelt_export),
    ("events_gdelt_mentions", events_gdelt_mentions),
    ("events_icews", events_icews),
    ("events_lastupdate", events_lastupdate),
    ("events_masterfilelist", events_masterfilelist),
    ("trade_dta", trade_dta),
    ("trade_formula", trade_formula),
    ("trade_wits", trade_wits),
    ("trade_scenario", trade_scenario),
    ("sanctions_gsdb", sanctions_gsdb),
    ("sanctions_ties", sanctions_ties),
    ("trade_panel_dta", trade_panel_dta),
    ("trade_wits_table", trade_wits_table),
    ("cepii_dist", cepii_dist),
    ("sdg_index", sdg_index),
    ("sdr_2023", sdr_2023),
    ("inform_risk", inform_risk),
    ("inform_regions", inform_regions),
    ("ungdc_member", ungdc_member),
    ("ungdc_speakers", ungdc_speakers),
    ("night_lights", night_lights),
    ("gas_flaring", gas_flaring),
    ("gne_headlines", gne_headlines),
    ("events_dataverse", events_dataverse),
];

// ---------------------------------------------------------------------------------------------
// attache-sources: the strict delimited reader and the zip reader

/// `attache_sources::delimited::Delimited::parse`, the strict CSV/TSV reader every tabular adapter
/// uses, under each layout the adapters use: CSV and TSV with a header, TSV without quoting
/// (GDELT lookups), CSV with fixed columns (OpenFlights), and TSV without quoting, fixed columns and
/// short rows allowed (GDELT 1.0 backfiles).
pub fn delimited_csv(data: &[u8]) {
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
                    assert!(
                        r.line >= last,
                        "record lines go backwards: {} after {last}",
                        r.line
                    );
                    last = r.line;
                }
            }
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
    let cols = |n: usize| Some((0..n).map(|i| format!("c{i}")).collect::<Vec<_>>());
    check(data, &Layout::csv());
    check(data, &Layout::tsv());
    check(
        data,
        &Layout {
            quoting: false,
            ..Layout::tsv()
        },
    );
    check(
        data,
        &Layout {
            columns: cols(4),
            ..Layout::csv()
        },
    );
    check(
        data,
        &Layout {
            columns: cols(6),
            quoting: false,
            allow_short_rows: true,
            ..Layout::tsv()
        },
    );
}

/// `attache_sources::unzip_member`, which opens the zip archives publishers serve (UCDP, GDELT),
/// asked for the member the ACD spec names (its mirror file name); an extracted member then goes
/// through the real ACD adapter, as a sync would.
pub fn zip_member(data: &[u8]) {
    let src = source("ucdp-acd");
    let path = mirror_path(src, "UcdpPrioConflict_v25_1.csv");
    let member = path.rsplit('/').next().unwrap_or(path);
    match attache_sources::unzip_member("fuzz.zip", data, member) {
        Ok(bytes) => {
            if let Some(l) = load(src, &one(path, &bytes)) {
                assert_table_matches_stats(&l, "acd", 1);
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// attache-sources: one adapter (or a few of one format) per target, through `registry()`

/// Feeds `data` to source `id` as its file ending with `suffix`; on `Ok`, `table` holds one row
/// per row loaded.
fn one_table(id: &str, suffix: &str, table: &str) -> impl Fn(&[u8]) {
    move |data| {
        let src = source(id);
        if let Some(l) = load(src, &one(mirror_path(src, suffix), data)) {
            assert_table_matches_stats(&l, table, 1);
        }
    }
}

/// UCDP/PRIO Armed Conflict Dataset CSV through the real adapter (`ucdp::Acd::load`): one `acd`
/// row per row loaded.
pub fn ucdp_acd(data: &[u8]) {
    one_table("ucdp-acd", "UcdpPrioConflict_v25_1.csv", "acd")(data)
}

/// UCDP Battle-Related Deaths (dyadic) CSV through the real adapter (`ucdp::Brd::load`): one `brd`
/// row per row loaded.
pub fn ucdp_brd(data: &[u8]) {
    one_table("ucdp-brd", "BattleDeaths_v24_1.csv", "brd")(data)
}

/// Our World in Data's country-year aggregate of UCDP deaths (CSV) through
/// `ucdp::OwidDeaths::load`: one `indicators` row per row loaded.
pub fn ucdp_owid(data: &[u8]) {
    one_table("owid-conflict-deaths", ".csv", "indicators")(data)
}

/// UCDP GED in its published CSV layout through `ucdp::Ged::load`: one `ged` row per row loaded.
pub fn ged_csv(data: &[u8]) {
    one_table("ucdp-ged", "ged231.csv", "ged")(data)
}

/// UCDP GED in the mirror's GeoJSON layout through `ucdp::Ged::load` (which calls
/// `ucdp::parse_ged_geojson`): one `ged` row per feature loaded.
pub fn ged_geojson(data: &[u8]) {
    one_table("ucdp-ged", ".geojson", "ged")(data)
}

/// ViEWS country-month Parquet: `views::read_views_parquet` directly (every row carries one value
/// per value column), then the real adapter `views::ViewsCm::load` with the bytes as an actuals
/// file: the `cm` panel has at most one row per row loaded (rows with the same month and country
/// merge), and at least one when any was loaded.
pub fn views_parquet(data: &[u8]) {
    if let Ok((names, rows)) = read_views_parquet("fuzz.parquet", data) {
        for (_, _, vals) in &rows {
            assert_eq!(
                vals.len(),
                names.len(),
                "row has {} values for {} columns",
                vals.len(),
                names.len()
            );
        }
    }
    let src = source("views-cm");
    let inputs = one(mirror_path(src, "cm_actuals_2018.parquet"), data);
    if let Some(l) = load(src, &inputs) {
        let (cm, loaded) = (table_rows(&l, "cm"), rows_loaded(&l));
        assert!(cm <= loaded, "cm has {cm} rows from {loaded} rows loaded");
        assert_eq!(
            cm == 0,
            loaded == 0,
            "cm has {cm} rows from {loaded} rows loaded"
        );
    }
}

/// World Bank WDI long CSV (`Country Name,Country Code,Year,Value`) through
/// `worldbank::WorldBank::load`: one `indicators` row per row loaded.
pub fn worldbank_csv(data: &[u8]) {
    one_table("worldbank-wdi", "worldbank/gdp.csv", "indicators")(data)
}

/// Polity5 p5v2018 CSV (UTF-8 BOM) through `polity::Polity5::load`: one `polity` row per row
/// loaded.
pub fn polity_csv(data: &[u8]) {
    one_table("polity5", "p5v2018.csv", "polity")(data)
}

/// The UN General Assembly votes file (an R data frame in R's XDR serialization, gzip or not)
/// through the real adapter (`unvotes::UnVotes::load`, the strict reader `rdata`): one
/// `un_votes` row per row loaded, and every row has its `iso3` (codes resolve or fail).
pub fn unvotes_rdata(data: &[u8]) {
    let src = source("unvotes");
    if let Some(l) = load(src, &one(mirror_path(src, "UNVotesPublished.RData"), data)) {
        assert_table_matches_stats(&l, "un_votes", 1);
        assert_eq!(
            column_nulls(&l, "un_votes", "iso3"),
            0,
            "un_votes row without iso3"
        );
    }
    // The reader alone, on any bytes: Ok or a typed error that renders.
    match attache_sources::rdata::read_rdata(data) {
        Ok(objs) => {
            for (_, o) in objs {
                let _ =
                    attache_sources::rdata::DataFrame::from_object(o).map_err(|e| e.to_string());
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

/// The `unvotes` package's roll calls and issue tags (CSV conversions) through the real
/// adapter: one row per row loaded, for each file.
pub fn unvotes_csv(data: &[u8]) {
    one_table("unvotes", "un_roll_calls.csv", "un_roll_calls")(data);
    one_table("unvotes", "un_roll_call_issues.csv", "un_roll_call_issues")(data);
}

/// Voeten's ideal points (CSV conversion of the July 2025 release) through the real adapter.
pub fn un_ideal_points(data: &[u8]) {
    one_table(
        "un-ideal-points",
        "IdealpointsJuly2025.csv",
        "un_ideal_points",
    )(data)
}

/// The three CO2 emissions publishers, each through its real adapter with the fuzz bytes as its
/// file: Global Carbon Budget 2019 (`emissions::Gcb`), EDGAR (`emissions::Edgar`) and CDIAC
/// (`emissions::Cdiac`). GCB and EDGAR write one `emissions` row per row loaded; CDIAC one per fuel
/// column (7) per row loaded.
pub fn emissions(data: &[u8]) {
    for (id, suffix, per_row) in [
        ("gcb2019", "territorial-emissions.csv", 1),
        ("edgar-co2", "edgar-co2-emissions.csv", 1),
        ("cdiac", "fossil-fuel-co2-emissions-by-nation.csv", 7),
    ] {
        let src = source(id);
        let inputs = one(mirror_path(src, suffix), data);
        if let Some(l) = load(src, &inputs) {
            assert_table_matches_stats(&l, "emissions", per_row);
        }
    }
}

/// OpenFlights `countries.dat`, `airports.dat` and `routes.dat` (CSV, no header, `\N` nulls)
/// through `openflights::OpenFlights::load`, the bytes given as each file in turn, then as
/// `airports.dat` beside the real-shaped seed `countries.dat` line (so the name map is used).
/// `airports` and `routes` hold one row per row loaded.
pub fn openflights(data: &[u8]) {
    let src = source("openflights");
    for (file, table) in [
        ("countries.dat", None),
        ("airports.dat", Some("airports")),
        ("routes.dat", Some("routes")),
    ] {
        let path = mirror_path(src, file);
        if let Some(l) = load(src, &one(path, data))
            && let Some(t) = table
        {
            assert_eq!(
                table_rows(&l, t),
                rows_loaded(&l),
                "{t}: rows != rows_loaded"
            );
        }
    }
    let inputs = vec![
        Input {
            name: mirror_path(src, "countries.dat").into(),
            bytes: b"\"Papua New Guinea\",\"PG\",\"PP\"\n".to_vec(),
        },
        Input {
            name: mirror_path(src, "airports.dat").into(),
            bytes: data.to_vec(),
        },
    ];
    if let Some(l) = load(src, &inputs) {
        let airports = l
            .stats
            .iter()
            .find(|(n, _)| n.ends_with("airports.dat"))
            .map_or(0, |(_, s)| s.rows_loaded);
        assert_eq!(table_rows(&l, "airports"), airports);
    }
}

/// Natural Earth world-atlas TopoJSON through `naturalearth::NaturalEarth::load` (which calls
/// `naturalearth::parse_topojson`): one `ne_countries` row per geometry loaded, and the file kept
/// byte-for-byte as an artifact.
pub fn topojson(data: &[u8]) {
    let src = source("natural-earth");
    let inputs = one(mirror_path(src, "countries-110m.json"), data);
    if let Some(l) = load(src, &inputs) {
        assert_table_matches_stats(&l, "ne_countries", 1);
        assert_eq!(l.artifacts.len(), 1);
        assert_eq!(
            l.artifacts[0].1, data,
            "artifact differs from the input bytes"
        );
    }
}

/// GDELT 2.0 15-minute export (tab-separated, no header, 61 fields, bare quotes) through
/// `gdelt::Gdelt::load` (which calls `gdelt::parse_export`): one `gdelt_events` row per row loaded.
pub fn gdelt_export(data: &[u8]) {
    one_table("gdelt", ".export.CSV", "gdelt_events")(data)
}

/// GDELT's CAMEO lookups (tab-separated with a header, no quoting): `CAMEO.eventcodes.txt`,
/// `CAMEO.goldsteinscale.txt` (a float column) and `CAMEO.type.txt`, the bytes given as each file
/// in turn to `gdelt::Gdelt::load`: each table holds one row per row loaded.
pub fn cameo_lookups(data: &[u8]) {
    for (file, table) in [
        ("CAMEO.eventcodes.txt", "cameo_event_codes"),
        ("CAMEO.goldsteinscale.txt", "cameo_goldstein"),
        ("CAMEO.type.txt", "cameo_types"),
    ] {
        one_table("gdelt", file, table)(data);
    }
}

/// openclimatedata/countrygroups through `groups::CountryGroups::load`: the bytes as a group CSV
/// (`Code,Name[,Region,...]`) and as a nested JSON list; `country_groups` holds one row per row
/// (code) loaded.
pub fn country_groups(data: &[u8]) {
    for file in [
        "un-regional-groups.csv",
        "unstats-geographical-regions.json",
    ] {
        one_table("countrygroups", file, "country_groups")(data);
    }
}

// ---------------------------------------------------------------------------------------------
// attache-sources: NDC content and the UNFCCC listings (`adapters/ndc.rs`)

/// Checks an `Ok` load of the `ndc` or `unfccc` source into `table`: one row per row loaded, and
/// a null `iso3` only for a European Union row, each counted under `adjusted` (every other party
/// code resolves, or the load fails).
fn check_party_table(l: &Loaded, table: &str) {
    assert_table_matches_stats(l, table, 1);
    let eu: u64 = l
        .stats
        .iter()
        .flat_map(|(_, s)| &s.adjusted)
        .filter(|(reason, _)| reason.starts_with("European Union ("))
        .map(|(_, n)| n)
        .sum();
    assert_eq!(
        column_nulls(l, table, "iso3"),
        eu,
        "{table}: null iso3 cells != European Union rows counted ({:?})",
        l.stats
    );
}

/// WRI CAIT / Climate Watch NDC content (`ndc/ndc-content-cait.csv`: CSV, 123 columns, long quoted
/// free text) through `ndc::Ndc::load`: `ndc_cait` holds one row per row loaded, `iso3` null only
/// for the EU.
pub fn ndc_cait(data: &[u8]) {
    let src = source("ndc");
    if let Some(l) = load(src, &one(mirror_path(src, "ndc-content-cait.csv"), data)) {
        check_party_table(&l, "ndc_cait");
    }
}

/// Klimalog NDC Explorer (`ndc/ndc-content-klimalog-die-gdi.csv`: `#` comment lines, then CSV with
/// ~150 `_class` integer and `_details` text columns) through `ndc::Ndc::load`: `ndc_klimalog`
/// holds one row per row loaded, `iso3` null only for the EU. One more leading `#` line changes
/// nothing but the line numbers in messages: the same outcome, the same stats (checked unless the
/// bytes start with a BOM, which the reader strips only before the first comment line).
pub fn ndc_klimalog(data: &[u8]) {
    let src = source("ndc");
    let path = mirror_path(src, "ndc-content-klimalog-die-gdi.csv");
    let first = load(src, &one(path, data));
    if let Some(l) = &first {
        check_party_table(l, "ndc_klimalog");
    }
    if data.starts_with(b"\xef\xbb\xbf") {
        return;
    }
    let mut more = b"# one more comment line\n".to_vec();
    more.extend_from_slice(data);
    let second = load(src, &one(path, &more));
    match (&first, &second) {
        (Some(a), Some(b)) => {
            assert_eq!(a.stats, b.stats, "a leading '#' line changed the stats");
            assert_eq!(table_rows(a, "ndc_klimalog"), table_rows(b, "ndc_klimalog"));
        }
        (None, None) => {}
        (a, b) => panic!(
            "a leading '#' line changed the outcome: Ok {} without it, Ok {} with it",
            a.is_some(),
            b.is_some()
        ),
    }
}

/// The UNFCCC NDC registry listing (`unfccc/ndcs.csv`: one row per document) through
/// `ndc::Unfccc::load`: `ndc_documents` holds one row per row loaded, `iso3` null only for the EU.
pub fn unfccc_ndcs(data: &[u8]) {
    let src = source("unfccc");
    if let Some(l) = load(src, &one(mirror_path(src, "ndcs.csv"), data)) {
        check_party_table(&l, "ndc_documents");
    }
}

/// Paris Agreement entry into force (`unfccc/paris-agreement-entry-into-force.csv`: float and
/// integer columns) through `ndc::Unfccc::load`: `paris_agreement` holds one row per row loaded,
/// `iso3` null only for the EU.
pub fn unfccc_paris(data: &[u8]) {
    let src = source("unfccc");
    if let Some(l) = load(
        src,
        &one(
            mirror_path(src, "paris-agreement-entry-into-force.csv"),
            data,
        ),
    ) {
        check_party_table(&l, "paris_agreement");
    }
}

// ---------------------------------------------------------------------------------------------
// attache-climate: the scenario files `attache climate warming --scenario FILE` reads

/// The model runs on parsed emissions of at most this many years (bounds the time per input).
const MAX_MODEL_YEARS: usize = 300;

/// Invariants of an `Emissions` value: one year per row, stepping by one, every cell finite, the
/// fraction series (when present) one finite value per year; `start`, when given, is the first
/// year.
fn check_emissions(e: &Emissions, start: Option<i32>) {
    assert!(!e.is_empty(), "Ok emissions without a year");
    assert_eq!(e.len(), e.rows().len());
    assert_eq!(e.years().len(), e.len());
    for (i, (y, r)) in e.years().iter().zip(e.rows()).enumerate() {
        assert_eq!(*y, r[0], "year column differs from years()");
        assert!(
            r.iter().all(|v| v.is_finite()),
            "non-finite cell in year {y}"
        );
        if i > 0 {
            assert_eq!(
                *y - e.years()[i - 1],
                1.0,
                "years do not step by one at {y}"
            );
        }
    }
    if let Some(s) = start {
        assert_eq!(
            e.years()[0],
            f64::from(s),
            "first year is not the start year"
        );
    }
    for f in [e.fossil_ch4_frac(), e.avi_nox_frac()]
        .into_iter()
        .flatten()
    {
        assert_eq!(
            f.len(),
            e.len(),
            "fraction series of {} values for {} years",
            f.len(),
            e.len()
        );
        assert!(f.iter().all(|v| v.is_finite()), "non-finite fraction");
    }
}

/// What the CLI does next with a scenario file: run the emulator with the default parameters and
/// rebase to 1850-1900. Either may fail (and must render); neither may panic.
fn run_model(e: &Emissions) {
    if e.len() > MAX_MODEL_YEARS {
        return;
    }
    match attache_climate::run(e, &Fair16Params::default()) {
        Ok(out) => {
            assert_eq!(
                out.years.len(),
                e.len(),
                "model output years != emissions years"
            );
            assert_eq!(out.temperature.len(), e.len());
            if let Err(err) = out.rebased(1850..=1900) {
                let _ = err.to_string();
            }
        }
        Err(err) => {
            let _ = err.to_string();
        }
    }
}

/// An RCMIP emissions table (IAMC wide CSV: `Model,Scenario,Region,Variable,Unit,Mip_Era,
/// Activity_Id` then one column per year) through `attache_climate::parse_rcmip_csv`, as the CLI
/// reads `--scenario FILE` (the file as UTF-8 text). On `Ok`: consecutive years, one value or gap
/// per year in every row, rows in line order, every value finite. Each scenario (up to three) is
/// then converted to FaIR's layout from the CLI's start year (`RcmipTable::emissions`) and, on
/// `Ok`, checked as `Emissions` and run through the model.
pub fn rcmip_csv(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let table = match parse_rcmip_csv(text) {
        Ok(t) => t,
        Err(e) => {
            let msg = e.to_string();
            if verbose() {
                eprintln!("rcmip_csv: Err: {msg}");
            }
            return;
        }
    };
    let years = table.years();
    assert!(!years.is_empty(), "Ok table without a year column");
    assert!(
        years.windows(2).all(|w| w[1] == w[0] + 1),
        "years not consecutive: {years:?}"
    );
    assert!(!table.rows().is_empty(), "Ok table without a row");
    let mut last_line = 1;
    for r in table.rows() {
        assert_eq!(
            r.values.len(),
            years.len(),
            "line {}: {} values for {} years",
            r.line,
            r.values.len(),
            years.len()
        );
        assert!(
            r.line > last_line,
            "row lines go backwards: {} after {last_line}",
            r.line
        );
        last_line = r.line;
        assert!(
            r.values.iter().flatten().all(|v| v.is_finite()),
            "line {}: non-finite value",
            r.line
        );
    }
    let scenarios = table.scenarios();
    assert!(!scenarios.is_empty());
    let start = years[0].max(1765);
    for name in scenarios.into_iter().take(3) {
        match table.emissions(name, start) {
            Ok(e) => {
                check_emissions(&e, Some(start));
                run_model(&e);
                if verbose() {
                    eprintln!("rcmip_csv: {name}: Ok: {} years from {start}", e.len());
                }
            }
            Err(e) => {
                let msg = e.to_string();
                if verbose() {
                    eprintln!("rcmip_csv: {name}: Err: {msg}");
                }
            }
        }
    }
    if verbose() {
        eprintln!(
            "rcmip_csv: Ok: {} rows, years {}..={}",
            table.rows().len(),
            years[0],
            years[years.len() - 1]
        );
    }
}

/// An RCP `*_EMISSIONS.csv` table (MAGICC preamble, the `v YEARS/GAS >` header, 40 numeric
/// columns; `\r\n`, `\n` or classic-Mac `\r` line ends) through `attache_climate::parse_rcp_csv`,
/// as the CLI reads `--scenario FILE`. On `Ok`: checked as `Emissions`, then run through the
/// model.
pub fn rcp_csv(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_rcp_csv(text) {
        Ok(e) => {
            check_emissions(&e, None);
            run_model(&e);
            if verbose() {
                eprintln!("rcp_csv: Ok: {} years from {}", e.len(), e.years()[0]);
            }
        }
        Err(e) => {
            let msg = e.to_string();
            if verbose() {
                eprintln!("rcp_csv: Err: {msg}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// attache-pledges: the NDC target texts and the pledge edits

/// Checks a percentage range: finite, `0 <= low <= high <= 100`.
fn check_pct(what: &str, p: &Pct, pledge: &Pledge) {
    assert!(
        p.low.is_finite()
            && p.high.is_finite()
            && 0.0 <= p.low
            && p.low <= p.high
            && p.high <= 100.0,
        "{what} {p:?} is not a range within 0..=100: {pledge:?}"
    );
}

/// Year ranges a pledge's years must fall in.
struct YearRules {
    base: RangeInclusive<i32>,
    target: RangeInclusive<i32>,
    net_zero: RangeInclusive<i32>,
}

/// What `read_target` / `read_pledge` may read from a text (module doc of `attache_pledges::ndc`):
/// a base year 1990-2019, a target or peak year from 2020, a net-zero year from 2030.
const FROM_TEXT: YearRules = YearRules {
    base: 1990..=2019,
    target: 2020..=2100,
    net_zero: 2030..=2100,
};
/// What an edit may say: any year 1990-2100.
const FROM_EDIT: YearRules = YearRules {
    base: 1990..=2100,
    target: 1990..=2100,
    net_zero: 1990..=2100,
};

/// Invariants of any pledge: percentages within 0..=100, finite non-negative levels (the less
/// ambitious level `low` the higher one), years within the rules, a decline within 0..=1, a
/// reason for an unquantified target, and a description that renders.
fn check_pledge(p: &Pledge, rules: &YearRules) {
    let year = |what: &str, y: i32, r: &RangeInclusive<i32>| {
        assert!(r.contains(&y), "{what} {y} outside {r:?}: {p:?}");
    };
    match &p.target {
        Target::BaseYear { base_year, cut } | Target::Intensity { base_year, cut } => {
            year("base year", *base_year, &rules.base);
            check_pct("cut", cut, p);
        }
        Target::Bau { cut } => check_pct("cut", cut, p),
        Target::Peak { year: y } => year("peak year", *y, &rules.target),
        Target::GhgLevel { mt_co2e } => assert!(
            mt_co2e.low.is_finite()
                && mt_co2e.high.is_finite()
                && 0.0 <= mt_co2e.high
                && mt_co2e.high <= mt_co2e.low,
            "GHG level {mt_co2e:?} is not a finite non-negative range (low = the higher level): {p:?}"
        ),
        Target::Level { mt_co2 } => assert!(
            mt_co2.is_finite() && *mt_co2 >= 0.0,
            "level {mt_co2} Mt CO2: {p:?}"
        ),
        Target::Unquantified { reason } => {
            assert!(!reason.is_empty(), "unquantified without a reason: {p:?}")
        }
    }
    if let Some(y) = p.target_year {
        year("target year", y, &rules.target);
    }
    if let Some(y) = p.peak_year {
        year("peak year", y, &rules.target);
    }
    if let Some(y) = p.net_zero_year {
        year("net-zero year", y, &rules.net_zero);
    }
    if let Some(d) = p.decline {
        assert!((0.0..=1.0).contains(&d), "decline {d} outside 0..=1: {p:?}");
    }
    let _ = p.describe();
}

/// The NDC target-text reader `attache_pledges::ndc::read_target` on free text (the bytes as
/// UTF-8, invalid sequences replaced, as Arrow string cells always are), without and with CAIT's
/// year hints; then `read_pledge` with the text split at tabs into the `NdcTexts` fields in order
/// (Klimalog details, CAIT target, type, base year, target year, long-term target). Every pledge
/// read holds the pledge invariants with the years a text may give; a quantified one keeps the text
/// as its source.
pub fn ndc_target_text(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for (base, target) in [(None, None), (Some(2005), Some(2030))] {
        let p = read_target(&text, base, target);
        check_pledge(&p, &FROM_TEXT);
        if p.is_quantified() {
            assert_eq!(
                p.source, text,
                "a quantified pledge's source is not its text"
            );
        }
        if verbose() {
            eprintln!("ndc_target_text: {}", p.describe());
        }
    }
    let mut f = text.split('\t').map(str::to_string);
    let mut next = || f.next().unwrap_or_default();
    let texts = NdcTexts {
        klimalog: next(),
        cait_target: next(),
        cait_type: next(),
        cait_base_year: next(),
        cait_target_year: next(),
        cait_long_term: next(),
    };
    check_pledge(&read_pledge(&texts), &FROM_TEXT);
}

/// `attache_pledges::import::parse_imports`, the checked reader of `attache climate import`'s
/// CSV: never panics; on `Ok` every row has a known party (once), a pledge the edit grammar
/// accepts, a round and source within their lengths and a date from 2015 to "today"; on `Err`
/// the line is within the file.
pub fn pledge_import(data: &[u8]) {
    let today = attache_core::Date::new(2026, 12, 6).expect("a date");
    match attache_pledges::import::parse_imports(data, "fuzz.csv", today) {
        Ok(rows) => {
            assert!(!rows.is_empty());
            let mut seen = std::collections::BTreeSet::new();
            for r in &rows {
                assert!(seen.insert(r.iso3.clone()), "{} twice", r.iso3);
                assert!(apply_edit(None, &r.pledge).is_ok(), "{:?}", r.pledge);
                assert!(!r.round.is_empty() && r.round.chars().count() <= 64);
                assert!(!r.source.is_empty() && r.source.chars().count() <= 500);
                assert!(r.submitted <= today && r.submitted.year >= 2015);
                assert!(r.line >= 2);
            }
        }
        Err(e) => {
            let lines = data.iter().filter(|b| **b == b'\n').count() + 1;
            assert!(e.line >= 1 && e.line <= lines, "line {} of {lines}", e.line);
            let _ = e.to_string();
        }
    }
}

/// The pledge edit grammar (`ISO3=spec`, from `attache climate pledges --edit`, the explorer
/// page's query string and the API): `split_edit`, then `apply_edit` of the spec (or of the whole
/// text when it has no `=`) to no pledge, to a base-year NDC pledge and to a peak pledge. On `Ok`:
/// the pledge invariants, the edit as its source, and applying the same edit again changes
/// nothing.
pub fn pledge_edit(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let spec = match split_edit(text) {
        Ok((code, spec)) => {
            assert!(
                !code.is_empty() && code == code.to_ascii_uppercase() && code == code.trim(),
                "country code {code:?}"
            );
            spec
        }
        Err(e) => {
            let _ = e.to_string();
            text.to_string()
        }
    };
    let ndc = read_target(
        "Reduce GHG emissions by 40% by 2030 compared to 1990",
        None,
        None,
    );
    let peak = read_target("CO2 emissions to peak by 2030", None, None);
    assert!(
        matches!(ndc.target, Target::BaseYear { .. }) && matches!(peak.target, Target::Peak { .. })
    );
    for current in [None, Some(&ndc), Some(&peak)] {
        match apply_edit(current, &spec) {
            Ok(p) => {
                check_pledge(&p, &FROM_EDIT);
                assert_eq!(p.source, format!("edit: {spec}"));
                match apply_edit(Some(&p), &spec) {
                    Ok(again) => assert_eq!(again, p, "applying {spec:?} twice differs from once"),
                    Err(e) => panic!("{spec:?} applied once, but not to its own result: {e}"),
                }
            }
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// attache-provenance: detached statement manifests (uploaded to the public /verify page)

/// A statement manifest (JSON) through `Manifest::parse` and `attache_provenance::verify` against
/// the empty file. `verify` with no trusted key says `Malformed` exactly when `parse` fails, and
/// `UnknownKey` otherwise; a parsed manifest survives `to_json` and `parse` unchanged; verified
/// under its own key it is never `Malformed` or `UnknownKey`, and when `Valid` (a real signature
/// over the empty file) it vouches for no other bytes. Every verdict renders.
pub fn statement_manifest(data: &[u8]) {
    let parsed = Manifest::parse(data);
    let untrusted = verify(b"", data, &[]);
    let _ = untrusted.to_string();
    let m = match parsed {
        Ok(m) => m,
        Err(reason) => {
            assert!(
                matches!(untrusted, Verdict::Malformed { .. }),
                "parse failed ({reason}) but verify says {untrusted:?}"
            );
            return;
        }
    };
    assert!(
        matches!(untrusted, Verdict::UnknownKey { .. }),
        "no trusted key, but verify says {untrusted:?}"
    );
    let json = m.to_json();
    if json.len() <= MAX_MANIFEST_BYTES {
        let again = Manifest::parse(json.as_bytes())
            .unwrap_or_else(|e| panic!("to_json of a parsed manifest does not parse: {e}"));
        assert_eq!(again, m, "to_json then parse changed the manifest");
    }
    let v = verify(b"", data, &[m.public_key]);
    let _ = v.to_string();
    assert!(
        !matches!(v, Verdict::Malformed { .. } | Verdict::UnknownKey { .. }),
        "own key, but verify says {v:?}"
    );
    if let Verdict::Valid {
        signer, file_name, ..
    } = &v
    {
        assert_eq!((signer, file_name, m.size), (&m.signer, &m.file_name, 0));
        let other = verify(b"x", data, &[m.public_key]);
        assert!(
            matches!(other, Verdict::DigestMismatch { .. }),
            "valid for the empty file and for b\"x\": {other:?}"
        );
    }
    if verbose() {
        eprintln!("statement_manifest: {v}");
    }
}

// ---------------------------------------------------------------------------------------------
// attache-events: GDELT 2.0 and ICEWS event files, GDELT's listings

/// Lines as `attache-events` counts them: split at `\n`, the file's last newline ends the last
/// line (it does not start an empty one), an empty file has none.
fn event_lines(data: &[u8]) -> usize {
    if data.is_empty() {
        return 0;
    }
    let body = data.strip_suffix(b"\n").unwrap_or(data);
    body.split(|b| *b == b'\n').count()
}

/// The same bytes with every `\n` written as `\r\n`, when that is a plain change of line ends
/// (no `\r` in the input already).
fn as_crlf(data: &[u8]) -> Option<Vec<u8>> {
    if data.contains(&b'\r') {
        return None;
    }
    let mut out = Vec::with_capacity(data.len() * 2);
    for &b in data {
        if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    Some(out)
}

/// Invariants of one parsed event of either feed: root 1-20 and the CAMEO code's first two
/// digits, the QuadClass of the root, finite Goldstein and tone, the ISO3 fields unset (the
/// parser resolves nothing).
fn check_event(e: &attache_events::Event) {
    assert!((1..=20).contains(&e.root), "root {} outside 1-20", e.root);
    assert!(
        (2..=4).contains(&e.cameo.len()) && e.cameo.bytes().all(|b| b.is_ascii_digit()),
        "CAMEO code {:?}",
        e.cameo
    );
    assert_eq!(e.cameo[..2].parse::<u8>().ok(), Some(e.root));
    assert_eq!(
        attache_events::QuadClass::of_root(e.root),
        Some(e.quad_class)
    );
    assert!(e.goldstein.is_none_or(f64::is_finite) && e.tone.is_none_or(f64::is_finite));
    assert!(e.iso3.is_none() && e.actor1_iso3.is_none() && e.actor2_iso3.is_none());
    let _ = e.key.to_string();
}

/// `resolve` on parsed events: every non-empty place or actor code either resolves to an ISO3
/// code or is counted as unresolved, never both; an empty one does neither.
fn check_resolve(events: &[attache_events::Event]) {
    let mut ev = events.to_vec();
    let un = attache_events::event::resolve(&mut ev, attache_core::Crosswalk::global());
    let mut codes = 0;
    let mut resolved = 0;
    for e in &ev {
        for (code, iso3) in [
            (&e.place, &e.iso3),
            (&e.actor1_country, &e.actor1_iso3),
            (&e.actor2_country, &e.actor2_iso3),
        ] {
            codes += usize::from(!code.is_empty());
            resolved += usize::from(iso3.is_some());
            assert!(code.is_empty() <= iso3.is_none(), "empty code resolved");
            if let Some(i) = iso3 {
                assert_eq!(i.len(), 3, "ISO3 {i:?}");
            }
        }
    }
    assert_eq!(
        resolved + un.total(),
        codes,
        "codes resolved + unresolved != non-empty codes"
    );
}

/// `attache_events::event::parse_gdelt_export` on an unzipped GDELT 2.0 export (61
/// tab-separated fields, no header). On `Ok`: one event per line, each keyed by its
/// `GLOBALEVENTID` with its `DATEADDED`, and its outlet taken from its article URL; the same file
/// with CRLF line ends parses to the same events; `resolve` accounts for every code.
pub fn events_gdelt_export(data: &[u8]) {
    match attache_events::event::parse_gdelt_export(data) {
        Ok(events) => {
            assert_eq!(events.len(), event_lines(data), "events != lines");
            for e in &events {
                check_event(e);
                assert!(matches!(e.key, attache_events::EventKey::Gdelt(_)));
                let added = e.added.expect("a GDELT event has its DATEADDED");
                assert_eq!(
                    attache_events::UtcTime::parse_compact(&added.compact()),
                    Ok(added)
                );
                assert!(e.article.contains(&e.outlet), "outlet not in the URL");
            }
            if let Some(crlf) = as_crlf(data) {
                let again = attache_events::event::parse_gdelt_export(&crlf);
                assert_eq!(
                    again.as_ref(),
                    Ok(&events),
                    "CRLF line ends changed the events"
                );
            }
            check_resolve(&events);
            if verbose() {
                eprintln!("events_gdelt_export: Ok: {} events", events.len());
            }
        }
        Err(e) => {
            let msg = e.to_string();
            if verbose() {
                eprintln!("events_gdelt_export: Err: {msg}");
            }
        }
    }
}

/// `attache_events::event::parse_gdelt_mentions` on an unzipped GDELT 2.0 mentions file (16
/// fields). On `Ok`: one mention per line, a named source, a finite tone, a time that writes
/// back as read; CRLF line ends change nothing.
pub fn events_gdelt_mentions(data: &[u8]) {
    match attache_events::event::parse_gdelt_mentions(data) {
        Ok(mentions) => {
            assert_eq!(mentions.len(), event_lines(data), "mentions != lines");
            for m in &mentions {
                assert!(!m.source_name.is_empty(), "mention without a source");
                assert!(m.doc_tone.is_finite(), "tone {}", m.doc_tone);
                assert_eq!(
                    attache_events::UtcTime::parse_compact(&m.time.compact()),
                    Ok(m.time)
                );
            }
            if let Some(crlf) = as_crlf(data) {
                let again = attache_events::event::parse_gdelt_mentions(&crlf);
                assert_eq!(
                    again.as_ref(),
                    Ok(&mentions),
                    "CRLF line ends changed the mentions"
                );
            }
        }
        Err(e) => {
            let msg = e.to_string();
            if verbose() {
                eprintln!("events_gdelt_mentions: Err: {msg}");
            }
        }
    }
}

/// `attache_events::event::parse_icews` on an ICEWS `.tab` file (the 20-column header, then
/// tab-separated rows with `NA` for missing). On `Ok`: one event per line after the header, each
/// keyed by `(Event ID, Event Date)` with the event's date, one mention, source and article, no
/// tone, an intensity within -10..10 and no `NA` left in any text field; CRLF line ends change
/// nothing; `resolve` accounts for every name.
pub fn events_icews(data: &[u8]) {
    match attache_events::event::parse_icews(data) {
        Ok(events) => {
            assert_eq!(
                events.len() + 1,
                event_lines(data),
                "events != lines - header"
            );
            for e in &events {
                check_event(e);
                match e.key {
                    attache_events::EventKey::Icews { date, .. } => assert_eq!(date, e.date),
                    k => panic!("ICEWS event keyed {k}"),
                }
                assert_eq!((e.num_mentions, e.num_sources, e.num_articles), (1, 1, 1));
                assert!(e.tone.is_none() && e.added.is_none());
                assert!(e.goldstein.is_none_or(|g| (-10.0..=10.0).contains(&g)));
                for s in [
                    &e.actor1_country,
                    &e.actor2_country,
                    &e.place,
                    &e.outlet,
                    &e.article,
                ] {
                    assert_ne!(s, "NA", "NA kept as a value");
                }
            }
            if let Some(crlf) = as_crlf(data) {
                let again = attache_events::event::parse_icews(&crlf);
                assert_eq!(
                    again.as_ref(),
                    Ok(&events),
                    "CRLF line ends changed the events"
                );
            }
            check_resolve(&events);
            if verbose() {
                eprintln!("events_icews: Ok: {} events", events.len());
            }
        }
        Err(e) => {
            let msg = e.to_string();
            if verbose() {
                eprintln!("events_icews: Err: {msg}");
            }
        }
    }
}

/// Invariants of a listing entry: a 32-hex lower-case MD5, a line number, an http(s) URL whose
/// last part is the file's own name, and its `SIZE MD5 URL` line re-parses to the same entry.
fn check_listing_entry(e: &attache_events::ListingEntry, lines: usize) {
    let hex = e.md5_hex();
    assert!(
        hex.len() == 32
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "MD5 {hex:?}"
    );
    assert!((1..=lines).contains(&e.line), "line {} of {lines}", e.line);
    assert!(e.url.starts_with("http://") || e.url.starts_with("https://"));
    assert!(
        e.url.ends_with(&format!("/{}", e.file.file_name())),
        "{} does not end with its file name {}",
        e.url,
        e.file.file_name()
    );
    assert_eq!(
        attache_events::GdeltFile::parse(&e.file.file_name()),
        Ok(e.file)
    );
    let line = format!("{e}\n");
    let again = attache_events::listing::parse_masterfilelist(line.as_bytes())
        .unwrap_or_else(|err| panic!("{line:?} written from an entry does not parse: {err}"));
    assert_eq!(again.len(), 1);
    assert_eq!(
        (again[0].size, again[0].md5, &again[0].url, again[0].file),
        (e.size, e.md5, &e.url, e.file)
    );
}

/// `attache_events::listing::parse_lastupdate` on `lastupdate.txt`. On `Ok`: one export, one
/// mentions and one GKG entry, of that kind each, all of the listing's slot, each a sound entry.
pub fn events_lastupdate(data: &[u8]) {
    use attache_events::FileKind;
    match attache_events::listing::parse_lastupdate(data) {
        Ok(l) => {
            let lines = event_lines(data);
            for kind in FileKind::ALL {
                let e = l.get(kind);
                assert_eq!(e.file.kind, kind);
                assert_eq!(e.file.slot, l.slot, "an entry of another slot");
                check_listing_entry(e, lines);
            }
            let mut at = [l.export.line, l.mentions.line, l.gkg.line];
            at.sort_unstable();
            assert!(at[0] < at[1] && at[1] < at[2], "two entries on one line");
            if verbose() {
                eprintln!("events_lastupdate: Ok: slot {}", l.slot);
            }
        }
        Err(e) => {
            let msg = e.to_string();
            if verbose() {
                eprintln!("events_lastupdate: Err: {msg}");
            }
        }
    }
}

/// `attache_events::listing::parse_masterfilelist` (strict) and `parse_masterfilelist_lossy`
/// on `masterfilelist.txt`. Strict `Ok`: one sound entry per line, in line order, no file twice.
/// Lossy: every line is a good entry or a reported bad one (`good + bad = lines`, an empty line
/// counting as bad), each naming its own line, no file twice among the good; on UTF-8 text the
/// strict parser succeeds exactly when nothing is bad, with the same entries.
pub fn events_masterfilelist(data: &[u8]) {
    use attache_events::listing::{ListingError, parse_masterfilelist, parse_masterfilelist_lossy};
    let lines = event_lines(data);
    let strict = parse_masterfilelist(data);
    match &strict {
        Ok(entries) => {
            assert_eq!(entries.len(), lines, "entries != lines");
            let mut files = std::collections::HashSet::new();
            for (i, e) in entries.iter().enumerate() {
                assert_eq!(e.line, i + 1, "entries out of line order");
                assert!(files.insert(e.file), "{} listed twice", e.file.file_name());
                check_listing_entry(e, lines);
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
    let (good, bad) = parse_masterfilelist_lossy(data);
    let text_lines = event_lines(String::from_utf8_lossy(data).as_bytes());
    assert_eq!(
        good.len() + bad.len(),
        text_lines,
        "good {} + bad {} != lines {text_lines}",
        good.len(),
        bad.len()
    );
    let mut files = std::collections::HashSet::new();
    let mut last = 0;
    for e in &good {
        assert!(e.line > last, "good entries out of line order");
        last = e.line;
        assert!(files.insert(e.file), "{} kept twice", e.file.file_name());
        check_listing_entry(e, text_lines);
    }
    let mut bad_lines = std::collections::HashSet::new();
    for b in &bad {
        let msg = b.to_string();
        match b {
            ListingError::Line { line, .. } => {
                assert!((1..=text_lines).contains(line), "bad line {line}: {msg}");
                assert!(
                    !good.iter().any(|g| g.line == *line),
                    "line {line} good and bad"
                );
                assert!(bad_lines.insert(*line), "line {line} reported twice");
            }
            other => panic!("lossy parser reports no line: {other}"),
        }
    }
    if std::str::from_utf8(data).is_ok() {
        match &strict {
            Ok(entries) => {
                assert!(
                    bad.is_empty(),
                    "strict Ok, lossy reports {:?}",
                    bad[0].to_string()
                );
                assert_eq!(entries, &good, "strict and lossy entries differ");
            }
            Err(e) => assert!(!bad.is_empty(), "strict fails ({e}), lossy reports nothing"),
        }
    }
    if verbose() {
        eprintln!(
            "events_masterfilelist: strict {}, lossy {} good {} bad",
            if strict.is_ok() { "Ok" } else { "Err" },
            good.len(),
            bad.len()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// attache-trade: Stata .dta files and model formulas

/// `attache_trade::dta::read` on a Stata `.dta` file (formats 113-115 and 117-119). On `Ok`:
/// every column has the frame's row count, names are unique, and the frame's typed accessors
/// agree with the columns. `Err` renders and names a byte offset within the file.
pub fn trade_dta(data: &[u8]) {
    use attache_trade::{Column, Error};
    match attache_trade::dta::read(data) {
        Ok(frame) => {
            let rows = frame.rows();
            let mut names = std::collections::HashSet::new();
            for name in frame.names() {
                assert!(names.insert(name.clone()), "column {name:?} twice");
                let col = frame.column(name).expect("a named column exists");
                assert_eq!(
                    col.len(),
                    rows,
                    "column {name:?} of {} rows, frame {rows}",
                    col.len()
                );
                match col {
                    Column::Num(v) => {
                        assert_eq!(frame.num(name).map(<[f64]>::len), Ok(v.len()));
                        // Stata's missing values become NaN; nothing infinite gets through.
                        assert!(v.iter().all(|x| !x.is_infinite()), "{name}: infinite value");
                    }
                    Column::Text(v) => {
                        assert_eq!(frame.text(name).map(<[String]>::len), Ok(v.len()))
                    }
                }
            }
            if verbose() {
                eprintln!(
                    "trade_dta: Ok: {} columns, {rows} rows",
                    frame.names().len()
                );
            }
        }
        Err(e) => {
            let msg = e.to_string();
            match &e {
                Error::Dta { offset, .. } => {
                    assert!(
                        *offset <= data.len(),
                        "offset {offset} past {} bytes",
                        data.len()
                    )
                }
                Error::Duplicate(_) => {}
                other => panic!("dta::read failed with a non-dta error: {other}"),
            }
            if verbose() {
                eprintln!("trade_dta: Err: {msg}");
            }
        }
    }
}

/// `attache_trade::Formula`'s `FromStr` on a formula (the bytes as UTF-8). On `Ok`: the formula
/// displays as text that parses back to the same formula (and displays the same again), has no
/// term or fixed effect twice, and names only non-empty columns. `Err` is a formula error naming
/// a character boundary within the text.
pub fn trade_formula(data: &[u8]) {
    use attache_trade::{Error, Formula};
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match text.parse::<Formula>() {
        Ok(f) => {
            let shown = f.to_string();
            let again: Formula = shown
                .parse()
                .unwrap_or_else(|e| panic!("{text:?} displays as {shown:?}, which fails: {e}"));
            assert_eq!(
                again, f,
                "{text:?} displays as {shown:?}, which parses differently"
            );
            assert_eq!(again.to_string(), shown);
            for (i, t) in f.rhs.iter().enumerate() {
                assert!(!t.column().is_empty());
                assert!(!f.rhs[..i].contains(t), "term {t} twice");
            }
            for (i, fe) in f.fixed_effects.iter().enumerate() {
                assert!(!fe.0.is_empty() && fe.0.iter().all(|c| !c.is_empty()));
                assert!(
                    !f.fixed_effects[..i].contains(fe),
                    "fixed effect {fe} twice"
                );
            }
            assert!(!f.lhs.column().is_empty());
        }
        Err(e) => {
            let _ = e.to_string();
            match e {
                Error::Formula { formula, at, .. } => {
                    assert_eq!(formula, text);
                    assert!(
                        at <= text.len() && text.is_char_boundary(at),
                        "at {at} in {text:?}"
                    );
                }
                other => panic!("formula parse failed with a non-formula error: {other}"),
            }
        }
    }
}

/// `attache_trade::mirror::parse_wits`, the WITS reporter-partner reader of `attache trade
/// gaps`: on `Ok`, every row is between two different countries with a finite non-negative
/// value and a line inside the file, and the mirror table pairs them into flows whose counts
/// add up; every `Err` renders.
pub fn trade_wits(data: &[u8]) {
    use attache_trade::mirror::{FlagRule, counts, mirror, parse_wits};
    match parse_wits("fuzz.csv", data) {
        Ok(f) => {
            let lines = data.split(|b| *b == b'\n').count();
            for r in &f.rows {
                assert_ne!(r.reporter, r.partner);
                assert!(r.value.is_finite() && r.value >= 0.0, "{}", r.value);
                assert!(r.line >= 2 && r.line <= lines, "line {} of {lines}", r.line);
            }
            let m = mirror(&f, FlagRule::default());
            let c = counts(&m);
            assert_eq!(c.both + c.orphaned + c.lost, c.flows);
            assert!(c.flagged <= c.both);
            let evidence: usize = m.iter().map(|x| x.lines.len()).sum();
            assert_eq!(evidence, f.rows.len(), "every row is evidence of one flow");
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

/// `attache_trade::Scenario`'s `FromStr` on a policy scenario (`tariff USA on CHN 25%;
/// rta-add CHN,JPN`, from `attache trade simulate`, the `/trade` page and the API), the bytes as
/// UTF-8 text (invalid sequences replaced). On `Ok`: at least one shock; `to_string()` parses back
/// to an equal scenario (and displays the same again); `countries()` are three upper-case ASCII
/// letters each, once each; an RTA has two members or more, a tariff or sanction no country on
/// both sides, a tariff rate above -100% and at most 1000%. `Err` is a scenario error quoting
/// the whole text.
pub fn trade_scenario(data: &[u8]) {
    use attache_trade::{Error, Scenario, Shock};
    let text = String::from_utf8_lossy(data);
    match text.parse::<Scenario>() {
        Ok(s) => {
            assert!(!s.0.is_empty(), "{text:?}: Ok without a shock");
            let shown = s.to_string();
            let again: Scenario = shown
                .parse()
                .unwrap_or_else(|e| panic!("{text:?} displays as {shown:?}, which fails: {e}"));
            assert_eq!(
                again, s,
                "{text:?} displays as {shown:?}, which parses differently"
            );
            assert_eq!(again.to_string(), shown);
            let countries = s.countries();
            assert!(!countries.is_empty());
            for (i, c) in countries.iter().enumerate() {
                assert!(
                    c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()),
                    "{text:?}: country {c:?}"
                );
                assert!(
                    !countries[..i].contains(c),
                    "{c} listed twice by countries()"
                );
            }
            for shock in &s.0 {
                let sides = match shock {
                    Shock::RtaAdd(m) | Shock::RtaRemove(m) | Shock::BorderRemove(m) => {
                        assert!(m.len() >= 2, "{shock}: fewer than two members");
                        None
                    }
                    Shock::Tariff {
                        importers,
                        exporters,
                        percent,
                    } => {
                        assert!(
                            percent.is_finite() && *percent > -100.0 && *percent <= 1000.0,
                            "{shock}: rate {percent}"
                        );
                        Some((importers, exporters))
                    }
                    Shock::Sanction { senders, targets }
                    | Shock::SanctionLift { senders, targets } => Some((senders, targets)),
                };
                if let Some((a, b)) = sides {
                    assert!(!a.is_empty() && !b.is_empty());
                    assert!(
                        !a.iter().any(|c| b.contains(c)),
                        "{shock}: a country on both sides"
                    );
                }
            }
            assert_eq!(
                s.has_tariff(),
                s.0.iter().any(|x| matches!(x, Shock::Tariff { .. }))
            );
            if verbose() {
                eprintln!("trade_scenario: Ok: {shown}");
            }
        }
        Err(e) => {
            let msg = e.to_string();
            match e {
                Error::Scenario { scenario, .. } => assert_eq!(scenario, text),
                other => panic!("scenario parse failed with a non-scenario error: {other}"),
            }
            if verbose() {
                eprintln!("trade_scenario: Err: {msg}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// attache-sources: sanctions (GSDB, TIES), trade (the Guide's panel, WITS, CEPII), the SDSN SDG
// Index and INFORM Risk (`adapters/sanctions.rs`, `trade.rs`, `sdg.rs`, `inform.rs`)

/// The column of `batch` that the adapter's column `name` became, when that is certain: `None`
/// when another column has the same name up to trailing `_` (a header naming one column twice,
/// up to case or spaces, gets `name_`; an adapter's added column may repeat a published one), as
/// then which of them the adapter read is not known here.
fn sole_column<'a>(batch: &'a RecordBatch, name: &str) -> Option<&'a ArrayRef> {
    let schema = batch.schema_ref();
    let same = schema
        .fields()
        .iter()
        .filter(|f| f.name().trim_end_matches('_') == name)
        .count();
    if same == 1 {
        batch.column_by_name(name)
    } else {
        None
    }
}

fn as_ints<'a>(c: &'a ArrayRef, name: &str) -> &'a Int64Array {
    c.as_any()
        .downcast_ref::<Int64Array>()
        .unwrap_or_else(|| panic!("column {name} is not Int64: {:?}", c.data_type()))
}

fn as_texts<'a>(c: &'a ArrayRef, name: &str) -> &'a StringArray {
    c.as_any()
        .downcast_ref::<StringArray>()
        .unwrap_or_else(|| panic!("column {name} is not Utf8: {:?}", c.data_type()))
}

/// The batches written to `table`.
fn batches<'a>(l: &'a Loaded, table: &'a str) -> impl Iterator<Item = &'a RecordBatch> {
    l.tables
        .iter()
        .filter(move |t| t.table == table)
        .map(|t| &t.batch)
}

/// `sanction_dyad_years` rows: all of `source`; a year, names and kinds in every row; an ISO3
/// exactly for a state or territory (an organisation, group or non-state party has none, never
/// expanded into members); `multilateral` set; returns each row's `(case_id, year)`.
fn check_dyads(l: &Loaded, source: &str) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    for b in batches(l, "sanction_dyad_years") {
        let col = |n: &str| {
            b.column_by_name(n)
                .unwrap_or_else(|| panic!("sanction_dyad_years has no {n}"))
        };
        let src = as_texts(col("source"), "source");
        let case = as_ints(col("case_id"), "case_id");
        let year = as_ints(col("year"), "year");
        let multi = as_ints(col("multilateral"), "multilateral");
        for i in 0..b.num_rows() {
            assert_eq!(src.value(i), source, "dyad row of another source");
            assert!(!case.is_null(i) && !year.is_null(i) && !multi.is_null(i));
            for side in ["sender", "target"] {
                let name = as_texts(col(&format!("{side}_name")), "name");
                let iso = as_texts(col(&format!("{side}_iso3")), "iso3");
                let kind = as_texts(col(&format!("{side}_kind")), "kind");
                assert!(
                    !name.is_null(i) && !kind.is_null(i),
                    "{side} without name or kind"
                );
                let state = matches!(kind.value(i), "state" | "territory");
                assert_eq!(
                    !iso.is_null(i),
                    state,
                    "{side} {:?} of kind {:?}: an ISO3 exactly for a state or territory",
                    name.value(i),
                    kind.value(i)
                );
                // (The crosswalk's key: ISO3, or a `GW...` key for a historic state.)
                if state {
                    assert!(!iso.value(i).is_empty(), "{side}_iso3 empty");
                }
            }
            out.push((case.value(i), year.value(i)));
        }
    }
    out
}

/// The Global Sanctions Data Base release 3 (`sanctions/GSDB_V3.csv`: one row per case, parties
/// named in words, lists in one cell) through `sanctions::Sanctions::load`: `sanctions_gsdb` holds
/// one row per row loaded, and the `sanction_dyad_years` derived from it one row per year from
/// `begin` to `end`, per sender and per target the case's cells name (`split_gsdb_names`; an
/// organisation is one sender), nothing else.
pub fn sanctions_gsdb(data: &[u8]) {
    use attache_sources::adapters::sanctions::split_gsdb_names;
    let src = source("sanctions");
    let Some(l) = load(src, &one(mirror_path(src, "GSDB_V3.csv"), data)) else {
        return;
    };
    assert_table_matches_stats(&l, "sanctions_gsdb", 1);
    let mut expected: i128 = 0;
    for b in batches(&l, "sanctions_gsdb") {
        let (Some(begin), Some(end), Some(targets), Some(senders)) = (
            sole_column(b, "begin"),
            sole_column(b, "end"),
            sole_column(b, "sanctioned_state"),
            sole_column(b, "sanctioning_state"),
        ) else {
            return;
        };
        let (begin, end) = (as_ints(begin, "begin"), as_ints(end, "end"));
        let (targets, senders) = (
            as_texts(targets, "sanctioned_state"),
            as_texts(senders, "sanctioning_state"),
        );
        // A null name cell is one of the null markers ("NA"): one name to the adapter.
        let parties = |c: &StringArray, i: usize| {
            if c.is_null(i) {
                1
            } else {
                split_gsdb_names(c.value(i)).len() as i128
            }
        };
        for i in 0..b.num_rows() {
            assert!(!begin.is_null(i) && !end.is_null(i), "a case without years");
            let years = i128::from(end.value(i)) - i128::from(begin.value(i)) + 1;
            assert!(
                years >= 1,
                "row {i}: begin {} after end {}",
                begin.value(i),
                end.value(i)
            );
            expected += years * parties(senders, i) * parties(targets, i);
        }
    }
    let dyads = check_dyads(&l, "gsdb");
    assert_eq!(
        dyads.len() as i128,
        expected,
        "sanction_dyad_years rows != years x senders x targets of the cases"
    );
}

/// TIES 4.1 (`sanctions/TIESv4.1.raw.csv`: the mirror's CSV of the workbook's raw sheet, 66
/// columns, COW codes) through `sanctions::Sanctions::load`: `sanctions_ties` holds one row per
/// row loaded; every `sanction_dyad_years` row derived from it is of a case TIES marks imposed
/// (`imposition` = 1), threats alone have none.
pub fn sanctions_ties(data: &[u8]) {
    let src = source("sanctions");
    let Some(l) = load(src, &one(mirror_path(src, "TIESv4.1.raw.csv"), data)) else {
        return;
    };
    assert_table_matches_stats(&l, "sanctions_ties", 1);
    let mut imposed = HashSet::new();
    let mut known = true;
    for b in batches(&l, "sanctions_ties") {
        let (Some(case), Some(imposition)) =
            (sole_column(b, "caseid"), sole_column(b, "imposition"))
        else {
            known = false;
            continue;
        };
        let (case, imposition) = (as_ints(case, "caseid"), as_ints(imposition, "imposition"));
        for i in 0..b.num_rows() {
            assert!(!imposition.is_null(i) && !case.is_null(i));
            if imposition.value(i) == 1 {
                imposed.insert(case.value(i));
            }
        }
    }
    for (case, year) in check_dyads(&l, "ties") {
        assert!(
            !known || imposed.contains(&case),
            "case {case} in force in {year}, but no row of it is imposed"
        );
    }
}

/// The Advanced Guide's gravity panel (`trade/advanced-guide/Chapter2Application2.dta`, Stata
/// format 113) through `trade::Trade::load` (the `.dta` reader, then typing and ISO3 codes):
/// `gravity_panel` holds one row per row loaded, as many as the file's observations, each with
/// its exporter's and importer's ISO3. (`trade_dta` fuzzes the reader alone.)
pub fn trade_panel_dta(data: &[u8]) {
    let src = source("trade");
    let Some(l) = load(
        src,
        &one(mirror_path(src, "Chapter2Application2.dta"), data),
    ) else {
        return;
    };
    assert_table_matches_stats(&l, "gravity_panel", 1);
    let frame = attache_trade::dta::read(data).expect("the adapter read this .dta");
    assert_eq!(
        table_rows(&l, "gravity_panel"),
        frame.rows() as u64,
        "gravity_panel rows != observations"
    );
    for b in batches(&l, "gravity_panel") {
        for c in ["exporter_iso3", "importer_iso3"] {
            if let Some(col) = sole_column(b, c) {
                assert_eq!(col.null_count(), 0, "{c}: a row without its ISO3");
            }
        }
    }
}

/// WITS bilateral totals (`trade/WITS_trade2009.csv`, semicolon-separated) through
/// `trade::Trade::load`: `wits_trade` holds one row per row loaded, one per row
/// `attache_trade::mirror::parse_wits` keeps from the same bytes; aggregates and self-trade are
/// excluded, not loaded. (`trade_wits` fuzzes the reader and the mirror table alone.)
pub fn trade_wits_table(data: &[u8]) {
    let src = source("trade");
    let path = mirror_path(src, "WITS_trade2009.csv");
    let Some(l) = load(src, &one(path, data)) else {
        return;
    };
    assert_table_matches_stats(&l, "wits_trade", 1);
    let w = attache_trade::mirror::parse_wits(path, data).expect("the adapter read this file");
    assert_eq!(
        table_rows(&l, "wits_trade"),
        w.rows.len() as u64,
        "wits_trade rows != rows parse_wits keeps"
    );
    let excluded: u64 = l.stats.iter().map(|(_, s)| s.rows_excluded()).sum();
    let set_aside: usize = w.aggregates.values().sum::<usize>() + w.self_trade;
    assert_eq!(
        excluded, set_aside as u64,
        "excluded != aggregates + self-trade"
    );
}

/// CEPII GeoDist distances (`trade/dist_cepii.csv`, semicolon-separated, `.` missing) through
/// `trade::Trade::load`: `cepii_dist` holds one row per row loaded, each with both ISO3 codes.
pub fn cepii_dist(data: &[u8]) {
    let src = source("trade");
    let Some(l) = load(src, &one(mirror_path(src, "dist_cepii.csv"), data)) else {
        return;
    };
    assert_table_matches_stats(&l, "cepii_dist", 1);
    for b in batches(&l, "cepii_dist") {
        for c in ["iso3_o", "iso3_d"] {
            if let Some(col) = sole_column(b, c) {
                assert_eq!(col.null_count(), 0, "{c}: a row without its ISO3");
            }
        }
    }
}

/// Checks an `Ok` load of the `sdg` source into `table`: one row per row loaded, a `kind` in
/// every row, and a null `iso3` exactly for the SDR aggregates counted under `adjusted`.
fn check_sdg_table(l: &Loaded, table: &str) {
    assert_table_matches_stats(l, table, 1);
    assert_eq!(
        column_nulls(l, table, "kind"),
        0,
        "{table}: a row without kind"
    );
    let aggregates: u64 = l
        .stats
        .iter()
        .flat_map(|(_, s)| &s.adjusted)
        .filter(|(reason, _)| reason.contains(": an SDR aggregate ("))
        .map(|(_, n)| n)
        .sum();
    assert_eq!(
        column_nulls(l, table, "iso3"),
        aggregates,
        "{table}: null iso3 cells != SDR aggregate rows counted ({:?})",
        l.stats
    );
}

/// The SDSN SDG Index series 2000-2022 (`sdg/sdg_index_2000-2022.csv`) through `sdg::Sdg::load`:
/// `sdg_index` holds one row per row loaded; `iso3` null only for the aggregates.
pub fn sdg_index(data: &[u8]) {
    let src = source("sdg");
    if let Some(l) = load(src, &one(mirror_path(src, "sdg_index_2000-2022.csv"), data)) {
        check_sdg_table(&l, "sdg_index");
    }
}

/// The SDR 2023 country table (`sdg/sustainable_development_report_2023.csv`) through
/// `sdg::Sdg::load`: `sdr_2023` holds one row per row loaded; `iso3` null only for aggregates.
pub fn sdr_2023(data: &[u8]) {
    let src = source("sdg");
    if let Some(l) = load(
        src,
        &one(
            mirror_path(src, "sustainable_development_report_2023.csv"),
            data,
        ),
    ) {
        check_sdg_table(&l, "sdr_2023");
    }
}

/// INFORM Risk 2025 v0.7.0, main sheet (`inform/INFORM_Risk_2025_v070_main.csv`) through
/// `inform::Inform::load`: `inform_risk` holds one row per row loaded, each with its `iso3` and
/// one of INFORM's five risk classes.
pub fn inform_risk(data: &[u8]) {
    use attache_sources::adapters::inform::RISK_CLASSES;
    let src = source("inform");
    let Some(l) = load(src, &one(mirror_path(src, "v070_main.csv"), data)) else {
        return;
    };
    assert_table_matches_stats(&l, "inform_risk", 1);
    assert_eq!(
        column_nulls(&l, "inform_risk", "iso3"),
        0,
        "a row without iso3"
    );
    for b in batches(&l, "inform_risk") {
        if let Some(c) = sole_column(b, "risk_class") {
            let c = as_texts(c, "risk_class");
            for i in 0..b.num_rows() {
                assert!(
                    !c.is_null(i) && RISK_CLASSES.contains(&c.value(i).trim()),
                    "risk class {:?}",
                    (!c.is_null(i)).then(|| c.value(i))
                );
            }
        }
    }
}

/// INFORM Risk 2025 v0.7.0, regions sheet (`inform/INFORM_Risk_2025_v070_regions.csv`) through
/// `inform::Inform::load`: `inform_regions` holds one row per row loaded, each with its `iso3`.
pub fn inform_regions(data: &[u8]) {
    let src = source("inform");
    if let Some(l) = load(src, &one(mirror_path(src, "v070_regions.csv"), data)) {
        assert_table_matches_stats(&l, "inform_regions", 1);
        assert_eq!(
            column_nulls(&l, "inform_regions", "iso3"),
            0,
            "a row without iso3"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// attache-sources: the UN General Debate Corpus (`ungdc`)

/// `ungdc::parse_member` on the bytes as a member name, and the `ungdc` adapter on the same
/// bytes as the corpus's tar.xz. A name it accepts has a session held in its year
/// (`1945 + session`) and a code of two or three capital letters; a name it refuses is quoted
/// in the error. A loaded archive holds one `ungdc_speeches` row per speech file read.
pub fn ungdc_member(data: &[u8]) {
    use attache_sources::adapters::ungdc::{parse_member, session_year};
    let name = String::from_utf8_lossy(data);
    match parse_member(&name) {
        Ok(Some(m)) => {
            assert_eq!(
                session_year(m.session),
                i64::from(m.year),
                "{name:?}: {m:?}"
            );
            assert!(
                (2..=3).contains(&m.code.len()) && m.code.bytes().all(|b| b.is_ascii_uppercase()),
                "{name:?}: code {:?}",
                m.code
            );
            assert!(
                name.starts_with("TXT/Session ") && name.ends_with(".txt"),
                "{name:?}"
            );
        }
        Ok(None) => assert!(name.starts_with("TXT/") && name.ends_with('/'), "{name:?}"),
        Err(e) => assert!(e.contains(&format!("{name:?}")), "{name:?}: {e}"),
    }
    let src = source("ungdc");
    if let Some(l) = load(
        src,
        &one(mirror_path(src, "UNGDC_1946-2024_TXT.tar.xz"), data),
    ) {
        assert_table_matches_stats(&l, "ungdc_speeches", 1);
    }
}

/// The speakers sheet (the CSV conversion of `Speakers_by_session.xlsx`) through the `ungdc`
/// adapter: one `ungdc_speakers` row per row loaded, and `iso3` null only for the rows the
/// adapter names as organisations.
pub fn ungdc_speakers(data: &[u8]) {
    use attache_sources::adapters::ungdc::SPEAKER_ORGANISATIONS;
    let src = source("ungdc");
    if let Some(l) = load(src, &one(mirror_path(src, "Speakers_by_session.csv"), data)) {
        assert_table_matches_stats(&l, "ungdc_speakers", 1);
        let nulls = column_nulls(&l, "ungdc_speakers", "iso3");
        let organisations: u64 = l
            .stats
            .iter()
            .flat_map(|(_, s)| s.adjusted.iter())
            .filter(|(reason, _)| {
                SPEAKER_ORGANISATIONS
                    .iter()
                    .any(|(_, _, what)| reason.contains(what))
                    || reason.contains("the European Union, an organisation")
            })
            .map(|(_, n)| *n)
            .sum();
        assert_eq!(
            nulls, organisations,
            "rows without iso3 that are no organisation"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// attache-sources: satellite signals (`adapters/nightlights.rs`, `adapters/flaring.rs`, `xlsx.rs`)

/// Black Marble country sums (`satellite/blackmarble/kenya_blackmarble_ntl_adm0_2012-2023.csv`)
/// through `nightlights::NightLights::load`: one `night_lights` row per row loaded, and a series'
/// first year (no history) has no anomaly.
pub fn night_lights(data: &[u8]) {
    let src = source("night-lights");
    let Some(l) = load(src, &one(mirror_path(src, "adm0_2012-2023.csv"), data)) else {
        return;
    };
    assert_table_matches_stats(&l, "night_lights", 1);
    for b in batches(&l, "night_lights") {
        let (Some(h), Some(a)) = (
            sole_column(b, "history_years"),
            sole_column(b, "anomaly_log"),
        ) else {
            panic!("night_lights without history_years or anomaly_log");
        };
        let h = as_ints(h, "history_years");
        for i in 0..b.num_rows() {
            assert!(h.value(i) > 0 || a.is_null(i), "an anomaly without history");
        }
    }
}

/// The GGFR gas-flaring workbooks through the crate's `.xlsx` reader and
/// `flaring::GasFlaring::load`, the bytes given as the 2018 release (country sheets: one
/// `gas_flaring` row per sheet row loaded) and as the 2021 release (flare sites summed per
/// country and segment: at most one row per site, the flare counts adding up to the sites).
pub fn gas_flaring(data: &[u8]) {
    let src = source("gas-flaring");
    if let Some(l) = load(src, &one(mirror_path(src, "flaring_2018.xlsx"), data)) {
        assert_table_matches_stats(&l, "gas_flaring", 1);
    }
    if let Some(l) = load(src, &one(mirror_path(src, "flaring_2021.xlsx"), data)) {
        assert!(table_rows(&l, "gas_flaring") <= rows_loaded(&l));
        let counted: i64 = batches(&l, "gas_flaring")
            .filter_map(|b| sole_column(b, "flare_count"))
            .map(|c| as_ints(c, "flare_count").iter().flatten().sum::<i64>())
            .sum();
        assert_eq!(
            counted as u64,
            rows_loaded(&l),
            "flare counts against sites read"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// attache-sources: the labelled headlines the speech tone is checked against
// (`adapters/sentiment.rs`)

/// GoodNewsEveryone's TSV (`sentiment/gne-release-v1.0.tsv`) through
/// `sentiment::GoodNewsEveryone::load`: one `gne_headlines` row per row loaded, each with a
/// valence of `positive` or `negative`.
pub fn gne_headlines(data: &[u8]) {
    let src = source("good-news-everyone");
    let Some(l) = load(src, &one(mirror_path(src, "gne-release-v1.0.tsv"), data)) else {
        return;
    };
    assert_table_matches_stats(&l, "gne_headlines", 1);
    for b in batches(&l, "gne_headlines") {
        let Some(v) = sole_column(b, "valence") else {
            panic!("gne_headlines without valence");
        };
        let v = v
            .as_any()
            .downcast_ref::<arrow::array::StringArray>()
            .expect("valence is text");
        for i in 0..b.num_rows() {
            assert!(
                matches!(v.value(i), "positive" | "negative") && !v.is_null(i),
                "valence {:?}",
                v.value(i)
            );
        }
    }
}

/// `attache_events::dataverse::parse_dataset` on a Dataverse dataset listing (ICEWS), then
/// `icews_files`. On `Ok`: the event files have unique import names ending `.tab`, each covers
/// days in order, and its download path names its id.
pub fn events_dataverse(data: &[u8]) {
    use attache_events::dataverse::{icews_files, parse_dataset};
    match parse_dataset("doi:fuzz", data) {
        Ok(files) => {
            let ev = icews_files(&files);
            let mut names = std::collections::BTreeSet::new();
            for f in &ev {
                assert!(f.name.ends_with(".tab"), "import name {:?}", f.name);
                assert!(names.insert(f.name.clone()), "two files named {:?}", f.name);
                assert!(
                    f.first <= f.last,
                    "{:?} covers {} to {}",
                    f.name,
                    f.first,
                    f.last
                );
                assert!(f.file.download_path().contains(&f.file.id.to_string()));
                assert!(f.name.ends_with(f.member()));
            }
        }
        Err(e) => {
            assert!(
                e.to_string().contains("doi:fuzz"),
                "an error without the dataset: {e}"
            );
        }
    }
}

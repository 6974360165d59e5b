//! Golden tests against FaIR 1.6.4.
//!
//! Reference values from FaIR 1.6.4 (pip `fair==1.6.4`, numpy 1.24.4, scipy 1.11):
//! `C, F, T = fair.forward.fair_scm(emissions=fair.RCPs.<rcp>.Emissions.emissions)` with
//! all defaults; T rebased to its own 1850-1900 mean (base = 0.026413 K in every RCP).
//! The RCP tables here are byte-identical to `fair/RCPs/data/*_EMISSIONS.csv`.

use attache_climate::scenarios::embedded_text;
use attache_climate::{Fair16Params, Scenario, parse_rcmip_csv, parse_rcp_csv, run};

use attache_testdata::mirror;

fn rcp_table(file: &str) -> String {
    let p = mirror().join("rcp-fair").join(file);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

const RCP26: &str = "RCP3PD_EMISSIONS.csv";
const RCP45: &str = "RCP45_EMISSIONS.csv";
const RCP60: &str = "RCP6_EMISSIONS.csv";
const RCP85: &str = "RCP85_EMISSIONS.csv";

struct Golden {
    t2100: f64,
    t2081_2100: f64,
    co2_2100: f64,
}

fn check(name: &str, file: &str, fair: Golden, issue: Golden) {
    let e = parse_rcp_csv(&rcp_table(file)).unwrap();
    assert_eq!(e.len(), 736, "{name}: 1765..=2500");
    let out = run(&e, &Fair16Params::default())
        .unwrap()
        .rebased(1850..=1900)
        .unwrap();
    let i = out.index_of(2100).unwrap();
    let t = out.temperature[i];
    let m = out.mean_temperature(2081..=2100).unwrap();
    let c = out.concentration_co2_ppm[i];
    eprintln!(
        "{name}: T2100 {t:.6} (FaIR {}), T2081-2100 {m:.6} (FaIR {}), CO2 {c:.6} (FaIR {})",
        fair.t2100, fair.t2081_2100, fair.co2_2100
    );
    // Against the Python package: a faithful port should agree to well under 1e-3.
    assert!(
        (t - fair.t2100).abs() < 1e-3,
        "{name} T2100 {t} vs FaIR {}",
        fair.t2100
    );
    assert!(
        (m - fair.t2081_2100).abs() < 1e-3,
        "{name} mean {m} vs FaIR {}",
        fair.t2081_2100
    );
    assert!(
        (c - fair.co2_2100).abs() < 1e-2,
        "{name} CO2 {c} vs FaIR {}",
        fair.co2_2100
    );
    // Acceptance targets of the issue: 0.02 K and 2 ppm.
    assert!(
        (t - issue.t2100).abs() <= 0.02,
        "{name} T2100 {t} vs issue {}",
        issue.t2100
    );
    assert!(
        (m - issue.t2081_2100).abs() <= 0.02,
        "{name} mean {m} vs issue {}",
        issue.t2081_2100
    );
    assert!(
        (c - issue.co2_2100).abs() <= 2.0,
        "{name} CO2 {c} vs issue {}",
        issue.co2_2100
    );
}

#[test]
fn rcp26() {
    check(
        "RCP2.6",
        RCP26,
        Golden {
            t2100: 1.452444,
            t2081_2100: 1.466488,
            co2_2100: 427.408894,
        },
        Golden {
            t2100: 1.45,
            t2081_2100: 1.47,
            co2_2100: 427.0,
        },
    );
}

#[test]
fn rcp45() {
    check(
        "RCP4.5",
        RCP45,
        Golden {
            t2100: 2.291492,
            t2081_2100: 2.236281,
            co2_2100: 551.223934,
        },
        Golden {
            t2100: 2.29,
            t2081_2100: 2.24,
            co2_2100: 551.0,
        },
    );
}

#[test]
fn rcp60() {
    check(
        "RCP6.0",
        RCP60,
        Golden {
            t2100: 2.834018,
            t2081_2100: 2.667124,
            co2_2100: 694.882120,
        },
        Golden {
            t2100: 2.83,
            t2081_2100: 2.67,
            co2_2100: 695.0,
        },
    );
}

#[test]
fn rcp85() {
    check(
        "RCP8.5",
        RCP85,
        Golden {
            t2100: 4.305027,
            t2081_2100: 3.918733,
            co2_2100: 977.856420,
        },
        Golden {
            t2100: 4.31,
            t2081_2100: 3.92,
            co2_2100: 978.0,
        },
    );
}

/// The embedded copies (used by the CLI) are the mirror's files: RCPs byte for byte, the SSP
/// subset line for line.
#[test]
fn embedded_tables_are_the_mirror_files() {
    for (s, file) in [
        (Scenario::Rcp26, RCP26),
        (Scenario::Rcp45, RCP45),
        (Scenario::Rcp60, RCP60),
        (Scenario::Rcp85, RCP85),
    ] {
        assert!(
            embedded_text(s) == rcp_table(file),
            "{file} differs from the mirror"
        );
    }
    let rcmip = rcp_table(RCMIP);
    let lines: std::collections::HashSet<&str> = rcmip.lines().collect();
    let sub = embedded_text(Scenario::Ssp245);
    assert_eq!(sub.lines().count(), 206);
    for (i, l) in sub.lines().enumerate() {
        assert!(
            lines.contains(l),
            "subset line {} is not in the mirror file",
            i + 1
        );
    }
}

const RCMIP: &str = "rcmip-emissions-annual-means-5-1-0-ssp-only.csv";

/// FaIR 1.6.4 with default parameters on its own SSP helper, i.e.
/// `fair_scm(emissions=ssp.Emissions.emissions, fossilCH4_frac=ssp.fossilCH4_frac,
/// aviNOx_frac=ssp.aviNOx_frac)` for `from fair.SSPs import ssp245` etc., T rebased to
/// 1850-1900 (base 0.022147 K). Run with fair 1.6.4, numpy 1.24.4, scipy 1.11.4.
fn check_ssp(id: &str, t2100: f64, mean: f64, co2: f64) {
    let table = parse_rcmip_csv(&rcp_table(RCMIP)).unwrap();
    let e = table.emissions(id, 1765).unwrap();
    assert_eq!(e.len(), 736, "{id}: 1765..=2500");
    let out = run(&e, &Fair16Params::default())
        .unwrap()
        .rebased(1850..=1900)
        .unwrap();
    let i = out.index_of(2100).unwrap();
    let (t, m, c) = (
        out.temperature[i],
        out.mean_temperature(2081..=2100).unwrap(),
        out.concentration_co2_ppm[i],
    );
    eprintln!("{id}: T2100 {t:.6} ({t2100}), mean {m:.6} ({mean}), CO2 {c:.6} ({co2})");
    assert!((t - t2100).abs() < 1e-3, "{id} T2100 {t} vs FaIR {t2100}");
    assert!((m - mean).abs() < 1e-3, "{id} mean {m} vs FaIR {mean}");
    assert!((c - co2).abs() < 1e-2, "{id} CO2 {c} vs FaIR {co2}");
    // The embedded subset gives the same matrix as the full mirror file.
    let builtin: Scenario = id.parse().unwrap();
    assert!(
        builtin.emissions().unwrap() == e,
        "{id}: embedded subset differs"
    );
}

#[test]
fn ssps_match_fair_164_defaults() {
    check_ssp("ssp119", 1.321697, 1.370834, 392.966257);
    check_ssp("ssp126", 1.677828, 1.719366, 444.739546);
    check_ssp("ssp245", 2.686556, 2.608187, 596.035670);
    check_ssp("ssp370", 3.866693, 3.538974, 855.069516);
    check_ssp("ssp585", 4.599964, 4.210419, 1117.181782);
}

/// FaIR 1.6.4 with non-default forcing scale factors, i.e. `fair_scm(emissions=...,
/// scale=s)` with `s = np.ones(13)` and the entries below changed (the SSP with its
/// `fossilCH4_frac` and `aviNOx_frac` as above), T rebased to 1850-1900; fair 1.6.4,
/// numpy 1.24.4, scipy 1.11.4. FaIR multiplies the whole forcing row by `scale` before it
/// drives the temperature, the agents computed before its time loop (contrails, aerosols,
/// BC on snow, land use, volcanic, solar) included, so every factor reaches the warming,
/// the carbon cycle (through temperature) and the baseline. Columns: T2100, T2081-2100,
/// CO2 2100 (ppm), aerosol forcing 2100 and volcanic forcing 1992 (W m-2).
fn check_scaled(
    name: &str,
    e: &attache_climate::Emissions,
    scale: &[(usize, f64)],
    fair: [f64; 5],
) {
    let mut p = Fair16Params::default();
    for (k, s) in scale {
        p.scale[*k] = *s;
    }
    let out = run(e, &p).unwrap().rebased(1850..=1900).unwrap();
    let i = out.index_of(2100).unwrap();
    let got = [
        out.temperature[i],
        out.mean_temperature(2081..=2100).unwrap(),
        out.concentration_co2_ppm[i],
        out.forcing[i][8],
        out.forcing[out.index_of(1992).unwrap()][11],
    ];
    eprintln!("{name} {scale:?}: ours {got:.6?}, FaIR {fair:?}");
    // The tolerances of the default-parameter goldens above.
    for (k, tol) in [(0, 1e-3), (1, 1e-3), (2, 1e-2), (3, 1e-6), (4, 1e-6)] {
        assert!(
            (got[k] - fair[k]).abs() < tol,
            "{name} {scale:?} column {k}: ours {} vs FaIR {}",
            got[k],
            fair[k]
        );
    }
}

#[test]
fn forcing_scale_factors_match_fair_164() {
    let rcp45 = parse_rcp_csv(&rcp_table(RCP45)).unwrap();
    let ssp245 = parse_rcmip_csv(&rcp_table(RCMIP))
        .unwrap()
        .emissions("ssp245", 1765)
        .unwrap();
    let all = [
        (7, 1.2),
        (8, 0.6),
        (9, 0.8),
        (10, 1.3),
        (11, 1.4),
        (12, 0.7),
    ];
    check_scaled(
        "RCP4.5",
        &rcp45,
        &[(8, 1.5)],
        [2.187085, 2.128223, 547.619292, -0.500624, -1.696495],
    );
    check_scaled(
        "RCP4.5",
        &rcp45,
        &[(8, 1.5), (11, 0.5)],
        [2.183257, 2.124630, 547.803751, -0.500624, -0.848247],
    );
    check_scaled(
        "RCP4.5",
        &rcp45,
        &all,
        [2.337682, 2.284829, 553.021229, -0.200250, -2.375093],
    );
    check_scaled(
        "SSP2-4.5",
        &ssp245,
        &[(8, 1.5)],
        [2.560583, 2.474533, 591.708348, -0.578941, -1.696495],
    );
    check_scaled(
        "SSP2-4.5",
        &ssp245,
        &[(8, 1.5), (11, 0.5)],
        [2.556778, 2.470959, 591.915073, -0.578941, -0.848247],
    );
    check_scaled(
        "SSP2-4.5",
        &ssp245,
        &all,
        [2.767721, 2.690908, 598.420718, -0.231577, -2.375093],
    );
}

//! Unit tests: parser errors, line endings, forcing and thermal building blocks.

use attache_climate::carbon::{CarbonParams, solve_alpha};
use attache_climate::thermal::ThermalParams;
use attache_climate::{ClimateError, Emissions, Fair16Params, forcing, parse_rcp_csv, run};

fn header() -> String {
    format!(
        "preamble,\"quoted, with comma\"\nv YEARS/GAS >,{}\n",
        attache_climate::SPECIES.join(",")
    )
}

fn row(year: u32) -> String {
    let mut cells = vec![year.to_string()];
    cells.extend((0..39).map(|k| format!("{}", k as f64 * 0.5)));
    cells.join(",")
}

#[test]
fn parses_all_line_endings() {
    for sep in ["\n", "\r\n", "\r"] {
        let text = format!(
            "{}{}{sep}{}{sep}",
            header().replace('\n', sep),
            row(1765),
            row(1766)
        );
        let e = parse_rcp_csv(&text).unwrap();
        assert_eq!(e.years(), &[1765.0, 1766.0]);
        assert_eq!(e.rows()[1][39], 19.0);
    }
}

#[test]
fn bad_cell_names_line_and_column() {
    let text = format!(
        "{}{}\n{}\n",
        header(),
        row(1765),
        row(1766).replacen(",0.5,", ",x1,", 1)
    );
    match parse_rcp_csv(&text) {
        Err(ClimateError::BadNumber { line, column, text }) => {
            assert_eq!((line, column, text.as_str()), (4, 3, "x1"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn wrong_species_and_missing_header_and_gaps() {
    let bad = header().replace("CH4,", "CH5,");
    assert!(matches!(
        parse_rcp_csv(&bad),
        Err(ClimateError::UnexpectedSpecies {
            line: 2,
            column: 4,
            ..
        })
    ));
    assert_eq!(
        parse_rcp_csv("a,b\n1,2\n"),
        Err(ClimateError::MissingHeader)
    );
    let gap = format!("{}{}\n{}\n", header(), row(1765), row(1767));
    assert!(matches!(
        parse_rcp_csv(&gap),
        Err(ClimateError::NonConsecutiveYear { line: 4, .. })
    ));
    let short = format!("{}1765,1,2\n", header());
    assert!(matches!(
        parse_rcp_csv(&short),
        Err(ClimateError::WrongCellCount {
            line: 3,
            found: 3,
            ..
        })
    ));
}

#[test]
fn etminan_doubling_gives_f2x() {
    let f = forcing::etminan([556.0, 722.0, 273.0], [278.0, 722.0, 273.0], 3.71, true);
    // Nbar = Cpi N2O, so the scaled doubling forcing equals F2x up to the (C-Cpi) terms.
    assert!(f[0] > 3.5 && f[0] < 4.2, "{f:?}");
    assert_eq!(f[1], 0.0);
    assert_eq!(f[2], 0.0);
    assert!((forcing::co2_log(556.0, 278.0, 3.71) - 3.71).abs() < 1e-12);
}

#[test]
fn q_reproduces_tcr_and_ecs() {
    let p = ThermalParams::default();
    let q = p.q();
    // ECS = F2x * (q1 + q2).
    assert!((p.f2x * (q[0] + q[1]) - p.ecs).abs() < 1e-12);
}

#[test]
fn alpha_solver_hits_target() {
    let p = CarbonParams::default();
    for target in [20.0, 35.0, 60.0, 97.0] {
        let a = solve_alpha(target, 0.16, &p).unwrap();
        let g: f64 =
            p.a.iter()
                .zip(&p.tau)
                .map(|(a_i, t)| a_i * t * (1.0 - (-p.iirf_h / (t * a)).exp()))
                .sum();
        assert!((a * g - target).abs() < 1e-9, "{target}");
    }
    assert!(solve_alpha(150.0, 0.16, &p).is_none());
}

#[test]
fn zero_emissions_stay_near_preindustrial_and_rebase_errors() {
    let rows: Vec<[f64; 40]> = (0..50)
        .map(|i| {
            let mut r = [0.0; 40];
            r[0] = 1765.0 + i as f64;
            r
        })
        .collect();
    let e = Emissions::from_rows(rows).unwrap();
    let p = Fair16Params {
        volcanic: false,
        solar: false,
        ..Fair16Params::default()
    };
    let out = run(&e, &p).unwrap();
    assert!(
        out.concentration_co2_ppm
            .iter()
            .all(|c| (c - 278.0).abs() < 1e-9)
    );
    assert!(matches!(
        out.rebased(1900..=1950),
        Err(ClimateError::EmptyBaseline { .. })
    ));
}

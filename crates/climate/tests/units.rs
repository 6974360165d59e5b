//! Unit tests: parser errors, line endings, forcing and thermal building blocks.

use attache_climate::carbon::{AlphaTable, CarbonParams, solve_alpha};
use attache_climate::scenarios::{START_YEAR, embedded_text};
use attache_climate::thermal::ThermalParams;
use attache_climate::{
    ClimateError, Emissions, Fair16Params, Scenario, forcing, parse_rcmip_csv, parse_rcp_csv, run,
};

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

#[test]
fn alpha_table_agrees_with_the_iteration() {
    let p = CarbonParams::default();
    let table = AlphaTable::new(&p);
    assert!(table.inverts(&p));
    let mut other = p;
    other.tau[3] = 4.0;
    assert!(!table.inverts(&other));
    let g = |alpha: f64| -> f64 {
        alpha
            * p.a
                .iter()
                .zip(&p.tau)
                .map(|(a_i, t)| -a_i * t * (-p.iirf_h / (t * alpha)).exp_m1())
                .sum::<f64>()
    };
    let (mut worst_guess, mut worst_alpha, mut worst_residual): (f64, f64, f64) = (0.0, 0.0, 0.0);
    for i in 0..=40_000 {
        let target = 15.0 + 85.0 * f64::from(i) / 40_000.0;
        match (solve_alpha(target, 0.16, &p), table.solve(target, 0.16)) {
            (Some(x), Some(y)) => {
                worst_residual = worst_residual.max((g(y) - target).abs() / target);
                worst_alpha = worst_alpha.max((x - y).abs() / x);
                if let Some(guess) = table.guess(target) {
                    worst_guess = worst_guess.max((guess - x).abs() / x);
                }
            }
            (None, None) => {}
            other => panic!("{target}: iteration and table disagree on the root: {other:?}"),
        }
    }
    // The interpolation alone is as good as the iteration on most of the table (no residual
    // evaluated there), and within 1e-12 everywhere, so one Newton step is final elsewhere;
    // the answers have the iteration's residual, at rounding level (it stops within 16
    // ulp), and its alpha to 1e-13 (where the iIRF flattens, 16 ulp of residual are 1e-13
    // of alpha).
    assert!(table.exact_share() > 0.95, "{}", table.exact_share());
    assert!(worst_guess < 1e-12, "interpolation error {worst_guess:e}");
    assert!(
        worst_residual < 16.0 * f64::EPSILON,
        "residual {worst_residual:e}"
    );
    assert!(worst_alpha < 1e-12, "table vs iteration {worst_alpha:e}");
    assert!(table.guess(20.0).is_none() && table.guess(99.0).is_none());
    assert!(table.solve(150.0, 0.16).is_none());
    assert!(table.guess(f64::NAN).is_none());
    // Partition fractions without a positive limit give an empty table that still solves
    // (or refuses) through the iteration.
    let mut zero = p;
    zero.a = [0.0; 4];
    let empty = AlphaTable::new(&zero);
    assert!(empty.guess(35.0).is_none());
    assert_eq!(empty.solve(35.0, 0.16), solve_alpha(35.0, 0.16, &zero));
}

#[test]
fn ssp_scenarios_parse_their_own_rows_as_the_whole_table_gives_them() {
    for s in Scenario::ALL {
        if s.id().starts_with("ssp") {
            let whole = parse_rcmip_csv(embedded_text(s)).unwrap();
            assert_eq!(
                s.emissions().unwrap(),
                whole.emissions(s.id(), START_YEAR).unwrap()
            );
        }
    }
}

//! Separation caused by the regressors (pyfixest#457; Correia, Guimarães and Zylkin 2021):
//! zeros that a regressor predicts perfectly are found by the ReLU check, dropped and counted,
//! as ppmlhdfe does, instead of sending a coefficient to infinity; data without such zeros lose
//! nothing (the Guide's golden tests, which run through the same check, keep every row).

use attache_trade::{Column, Fit, Frame, Ppml};

fn frame(g: &[&str], y: &[f64], x: &[f64], w: &[f64]) -> Frame {
    Frame::new()
        .with("g", Column::Text(g.iter().map(|s| s.to_string()).collect()))
        .unwrap()
        .with("y", Column::Num(y.to_vec()))
        .unwrap()
        .with("x", Column::Num(x.to_vec()))
        .unwrap()
        .with("w", Column::Num(w.to_vec()))
        .unwrap()
}

#[test]
fn zeros_a_regressor_predicts_are_dropped_and_counted() {
    // x = 1 only where y = 0 (rows 0, 1 and 6): as x's coefficient goes to minus infinity
    // those means go to zero.
    let g = ["a", "a", "a", "a", "b", "b", "b", "b", "c", "c", "c", "c"];
    let y = [0.0, 0.0, 3.0, 5.0, 2.0, 0.0, 0.0, 1.0, 4.0, 2.0, 6.0, 3.0];
    let x = [1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0];
    let w = [0.3, 1.2, 0.5, 2.0, 1.1, 0.4, 0.9, 0.2, 1.5, 0.7, 1.9, 0.6];
    let fit = Ppml::new("y ~ x + w | g".parse().unwrap())
        .fit(&frame(&g, &y, &x, &w))
        .unwrap();
    assert_eq!(fit.separated_by_regressors, 3, "rows 0, 1 and 6");
    assert_eq!(fit.separated, 3);
    assert_eq!(fit.n_obs, 9);
    assert!(!fit.rows.contains(&0) && !fit.rows.contains(&1) && !fit.rows.contains(&6));
    // With those rows gone x is zero everywhere: omitted, as ppmlhdfe omits it.
    assert!(fit.coef("x").unwrap().omitted);
    assert!(fit.coef("w").unwrap().estimate.is_finite());
    // Row 5 (a zero x does not predict) stays.
    assert!(fit.rows.contains(&5));
}

#[test]
fn a_combination_of_regressors_and_effects_that_separates_is_found() {
    // x1 - x2 = 1 exactly on the zeros of group b, 0 elsewhere (a combination, not one column).
    let g = ["a", "a", "a", "b", "b", "b", "c", "c", "c"];
    let y = [1.0, 2.0, 3.0, 0.0, 0.0, 4.0, 2.0, 5.0, 1.0];
    let x1 = [0.5, 1.0, 2.0, 2.0, 3.0, 1.0, 0.3, 0.8, 1.1];
    let x2 = [0.5, 1.0, 2.0, 1.0, 2.0, 1.0, 0.3, 0.8, 1.1];
    let f = Frame::new()
        .with("g", Column::Text(g.iter().map(|s| s.to_string()).collect()))
        .unwrap()
        .with("y", Column::Num(y.to_vec()))
        .unwrap()
        .with("x1", Column::Num(x1.to_vec()))
        .unwrap()
        .with("x2", Column::Num(x2.to_vec()))
        .unwrap();
    let fit = Ppml::new("y ~ x1 + x2 | g".parse().unwrap())
        .fit(&f)
        .unwrap();
    assert_eq!(fit.separated_by_regressors, 2, "rows 3 and 4");
    assert_eq!(fit.n_obs, 7);
}

#[test]
fn zeros_no_regressor_predicts_are_kept() {
    let g = ["a", "a", "a", "b", "b", "b"];
    let y = [0.0, 2.0, 3.0, 1.0, 0.0, 4.0];
    let x = [1.0, 2.0, 0.5, 1.5, 0.2, 3.0];
    let w = [1.0; 6];
    let fit = Ppml::new("y ~ x | g".parse().unwrap())
        .fit(&frame(&g, &y, &x, &w))
        .unwrap();
    assert_eq!(fit.separated_by_regressors, 0);
    assert_eq!(fit.n_obs, 6);
}

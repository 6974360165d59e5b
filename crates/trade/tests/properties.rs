//! Properties of the estimators on small generated panels: absorbing fixed effects gives the
//! same slopes, standard errors and fit as putting their dummies among the regressors (PPML and
//! OLS, robust and clustered); separated observations are dropped and counted; the `.dta`
//! reader and the formula parser fail with typed errors, never a panic, on damaged input.

use attache_trade::{Column, Error, Fit, Formula, Frame, Ols, Ppml, SmallSample, Vcov, dta};
use proptest::prelude::*;

/// A panel of `n_i` exporters x `n_j` importers x 2 years with two regressors, Poisson-like
/// counts from a fixed seed sequence, and the exporter and importer dummies as columns
/// (the last of each left out, plus a constant: the dummy model's reference).
fn panel(n_i: usize, n_j: usize, seed: u64) -> Frame {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 11) as f64) / ((1u64 << 53) as f64)
    };
    let (mut exp, mut imp, mut pair) = (vec![], vec![], vec![]);
    let (mut x1, mut x2, mut y) = (vec![], vec![], vec![]);
    for t in 0..2 {
        for i in 0..n_i {
            for j in 0..n_j {
                let a = next() * 2.0 - 1.0;
                let b = if next() < 0.4 { 1.0 } else { 0.0 };
                let mu = (0.5 + 0.3 * a - 0.4 * b + 0.2 * i as f64 - 0.1 * j as f64).exp();
                // A skewed positive outcome with some zeros.
                let u = next();
                let v = if u < 0.15 {
                    0.0
                } else {
                    mu * (-(1.0 - u).ln()) * 1.3
                };
                exp.push(format!("E{i}"));
                imp.push(format!("I{j}"));
                pair.push((i * 100 + j) as f64);
                x1.push(a);
                x2.push(b + 0.01 * t as f64);
                y.push(v);
            }
        }
    }
    let rows = y.len();
    let mut f = Frame::new()
        .with("exporter", Column::Text(exp.clone()))
        .unwrap()
        .with("importer", Column::Text(imp.clone()))
        .unwrap()
        .with("pair", Column::Num(pair))
        .unwrap()
        .with("x1", Column::Num(x1))
        .unwrap()
        .with("x2", Column::Num(x2))
        .unwrap()
        .with("y", Column::Num(y))
        .unwrap();
    for i in 0..n_i - 1 {
        let d = (0..rows)
            .map(|r| f64::from(u8::from(exp[r] == format!("E{i}"))))
            .collect();
        f.push(&format!("dE{i}"), Column::Num(d)).unwrap();
    }
    for j in 0..n_j - 1 {
        let d = (0..rows)
            .map(|r| f64::from(u8::from(imp[r] == format!("I{j}"))))
            .collect();
        f.push(&format!("dI{j}"), Column::Num(d)).unwrap();
    }
    f
}

fn dummies(n_i: usize, n_j: usize) -> String {
    let mut terms: Vec<String> = (0..n_i - 1).map(|i| format!("dE{i}")).collect();
    terms.extend((0..n_j - 1).map(|j| format!("dI{j}")));
    terms.join(" + ")
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + a.abs().max(b.abs()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn absorbed_ppml_equals_the_dummy_regression(
        n_i in 3usize..6, n_j in 3usize..6, seed in any::<u64>(), cluster in any::<bool>()
    ) {
        let f = panel(n_i, n_j, seed);
        let vcov = if cluster { Vcov::Cluster("pair".into()) } else { Vcov::Robust };
        let absorbed: Formula = "y ~ x1 + x2 | exporter + importer".parse().unwrap();
        let explicit: Formula = format!("y ~ x1 + x2 + {}", dummies(n_i, n_j)).parse().unwrap();
        let fit = |formula: Formula| Ppml::new(formula)
            .vcov(vcov.clone())
            .small_sample(SmallSample::Hdfe)
            .tolerance(1e-13)
            .fit(&f);
        let (a, b) = match (fit(absorbed), fit(explicit)) {
            (Ok(a), Ok(b)) => (a, b),
            // An exporter or importer with no trade at all: the dummy model cannot be
            // estimated as it stands, the absorbed one drops the group.
            (Ok(a), Err(_)) => { prop_assert!(a.separated > 0); return Ok(()); }
            (Err(e), _) => return Err(TestCaseError::fail(format!("{e}"))),
        };
        prop_assume!(a.separated == 0);
        for t in ["x1", "x2"] {
            let (ca, cb) = (a.coef(t).unwrap(), b.coef(t).unwrap());
            prop_assert!(close(ca.estimate, cb.estimate, 1e-7), "{t}: {} vs {}", ca.estimate, cb.estimate);
            prop_assert!(close(ca.std_error, cb.std_error, 1e-6), "se {t}: {} vs {}", ca.std_error, cb.std_error);
        }
        prop_assert!(close(a.log_likelihood, b.log_likelihood, 1e-9));
        prop_assert_eq!(a.n_obs, b.n_obs);
        // The recovered effects reproduce the fit.
        let ex = &a.fixed_effects[0];
        let im = &a.fixed_effects[1];
        let exp = f.text("exporter").unwrap();
        let imp = f.text("importer").unwrap();
        let (x1, x2) = (f.num("x1").unwrap(), f.num("x2").unwrap());
        let (b1, b2) = (a.coef("x1").unwrap().estimate, a.coef("x2").unwrap().estimate);
        for (k, &r) in a.rows.iter().enumerate() {
            let eta = ex.get(&exp[r]).unwrap() + im.get(&imp[r]).unwrap() + b1 * x1[r] + b2 * x2[r];
            prop_assert!(close(eta.exp(), a.fitted[k], 1e-8));
        }
    }

    #[test]
    fn absorbed_ols_equals_the_dummy_regression(
        n_i in 3usize..6, n_j in 3usize..6, seed in any::<u64>(), vcov in 0u8..3
    ) {
        let f = panel(n_i, n_j, seed);
        let vcov = match vcov { 0 => Vcov::Iid, 1 => Vcov::Robust, _ => Vcov::Cluster("pair".into()) };
        let absorbed: Formula = "y ~ x1 + x2 | exporter + importer".parse().unwrap();
        let explicit: Formula = format!("y ~ x1 + x2 + {}", dummies(n_i, n_j)).parse().unwrap();
        let a = Ols::new(absorbed).vcov(vcov.clone()).fit(&f).unwrap();
        let b = Ols::new(explicit).vcov(vcov).fit(&f).unwrap();
        for t in ["x1", "x2"] {
            let (ca, cb) = (a.coef(t).unwrap(), b.coef(t).unwrap());
            prop_assert!(close(ca.estimate, cb.estimate, 1e-9));
            prop_assert!(close(ca.std_error, cb.std_error, 1e-8), "se {t}: {} vs {}", ca.std_error, cb.std_error);
        }
        prop_assert!(close(a.r2, b.r2, 1e-9));
    }

    #[test]
    fn damaged_dta_fails_with_a_typed_error(cut in 0usize..2000, flip in 0usize..2000, byte in any::<u8>()) {
        let path = attache_testdata::mirror().join("trade/advanced-guide/Chapter2Application1.dta");
        let bytes = std::fs::read(path).unwrap();
        let mut head = bytes[..cut.min(bytes.len())].to_vec();
        if let Some(b) = head.get_mut(flip) {
            *b = byte;
        }
        match dta::read(&head) {
            Ok(_) | Err(Error::Dta { .. }) => {}
            Err(e) => prop_assert!(false, "{e}"),
        }
    }

    #[test]
    fn formula_parser_never_panics(text in "[a-z()~+|^ 01]{0,30}") {
        let _ = text.parse::<Formula>();
    }
}

#[test]
fn separated_groups_are_dropped_and_counted_in_cascade() {
    // Exporter A never ships; dropping it leaves importer Z with only zeros: both go.
    let rows = [
        ("A", "X", 0.0),
        ("A", "Y", 0.0),
        ("A", "Z", 0.0),
        ("B", "X", 3.0),
        ("B", "Y", 1.0),
        ("B", "Z", 0.0),
        ("C", "X", 2.0),
        ("C", "Y", 5.0),
        ("C", "Z", 0.0),
        ("D", "X", 4.0),
        ("D", "Y", 2.0),
    ];
    let f = Frame::new()
        .with(
            "e",
            Column::Text(rows.iter().map(|r| r.0.to_string()).collect()),
        )
        .unwrap()
        .with(
            "i",
            Column::Text(rows.iter().map(|r| r.1.to_string()).collect()),
        )
        .unwrap()
        .with(
            "x",
            Column::Num((0..rows.len()).map(|k| (k as f64 * 0.7).sin()).collect()),
        )
        .unwrap()
        .with("y", Column::Num(rows.iter().map(|r| r.2).collect()))
        .unwrap();
    let fit = Ppml::new("y ~ x | e + i".parse().unwrap()).fit(&f).unwrap();
    assert_eq!(fit.separated, 5, "A's three flows and B-Z, C-Z");
    assert_eq!(fit.n_obs, 6);
    assert!(fit.fixed_effect("e").unwrap().get("A").is_none());
}

#[test]
fn singletons_are_dropped_when_asked_and_change_no_estimate() {
    // Pair effects with one flow each in year 2 for pairs seen once: singletons.
    let mut e = vec![];
    let mut i = vec![];
    let mut p = vec![];
    let mut x = vec![];
    let mut y = vec![];
    for k in 0..40usize {
        let (a, b) = (k % 5, (k / 5) % 4);
        e.push(format!("E{a}"));
        i.push(format!("I{b}"));
        p.push(if k < 30 {
            (k % 15) as f64
        } else {
            100.0 + k as f64
        });
        x.push((k as f64 * 0.37).sin());
        y.push(1.0 + ((k * 7) % 5) as f64 + (k as f64 * 0.37).sin().exp());
    }
    let f = Frame::new()
        .with("e", Column::Text(e))
        .unwrap()
        .with("i", Column::Text(i))
        .unwrap()
        .with("p", Column::Num(p))
        .unwrap()
        .with("x", Column::Num(x))
        .unwrap()
        .with("y", Column::Num(y))
        .unwrap();
    let formula: Formula = "y ~ x | e + i + p".parse().unwrap();
    let all = Ppml::new(formula.clone()).tolerance(1e-12).fit(&f).unwrap();
    let dropped = Ppml::new(formula)
        .drop_singletons(true)
        .tolerance(1e-12)
        .fit(&f)
        .unwrap();
    assert_eq!(dropped.singletons, 10);
    assert_eq!(dropped.n_obs, all.n_obs - 10);
    let (a, b) = (
        all.coef("x").unwrap().estimate,
        dropped.coef("x").unwrap().estimate,
    );
    assert!((a - b).abs() < 1e-8, "{a} vs {b}");
}

#[test]
fn bad_inputs_are_refused_with_the_row() {
    let f = Frame::new()
        .with("y", Column::Num(vec![1.0, -2.0, 3.0]))
        .unwrap()
        .with("x", Column::Num(vec![1.0, 2.0, 0.0]))
        .unwrap();
    match Ppml::new("y ~ x".parse().unwrap()).fit(&f) {
        Err(Error::BadValue { row: 1, .. }) => {}
        other => panic!("{other:?}"),
    }
    let g = f.filter(|i| i != 1);
    match Ppml::new("y ~ log(x)".parse().unwrap()).fit(&g) {
        Err(Error::BadValue { row: 1, column, .. }) => assert_eq!(column, "x"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        Ppml::new("y ~ nope".parse().unwrap()).fit(&g),
        Err(Error::NoColumn(_))
    ));
}

#[test]
fn ge_refuses_a_panel_that_is_not_square() {
    let f = Frame::new()
        .with(
            "e",
            Column::Text(["A", "A", "B"].map(String::from).to_vec()),
        )
        .unwrap()
        .with(
            "i",
            Column::Text(["A", "B", "A"].map(String::from).to_vec()),
        )
        .unwrap()
        .with("x", Column::Num(vec![5.0, 1.0, 2.0]))
        .unwrap()
        .with("t", Column::Num(vec![0.0, -1.0, -1.0]))
        .unwrap();
    let ge = attache_trade::GePpml::new("e", "i", "x", "t", "t", "A");
    assert!(matches!(ge.solve(&f), Err(Error::Ge(_))));
    let ge = attache_trade::GePpml::new("e", "i", "x", "t", "t", "ZZZ");
    assert!(matches!(ge.solve(&f), Err(Error::Ge(_))));
}

#[test]
fn without_fixed_effects_ppml_has_an_intercept_and_group_means() {
    // With a binary regressor the Poisson fit is each group's mean.
    let y = vec![1.0, 3.0, 2.0, 0.0, 7.0, 5.0];
    let d = vec![0.0, 0.0, 0.0, 1.0, 1.0, 1.0];
    let f = Frame::new()
        .with("y", Column::Num(y))
        .unwrap()
        .with("d", Column::Num(d))
        .unwrap();
    let fit = Ppml::new("y ~ d".parse().unwrap())
        .tolerance(1e-14)
        .fit(&f)
        .unwrap();
    let b0 = fit.coef("_cons").unwrap().estimate;
    let b1 = fit.coef("d").unwrap().estimate;
    assert!((b0 - 2f64.ln()).abs() < 1e-10, "{b0}");
    assert!((b0 + b1 - 4f64.ln()).abs() < 1e-10, "{b1}");
    let ols = Ols::new("y ~ d".parse().unwrap()).fit(&f).unwrap();
    assert!((ols.coef("_cons").unwrap().estimate - 2.0).abs() < 1e-12);
    assert!((ols.coef("d").unwrap().estimate - 2.0).abs() < 1e-12);
}

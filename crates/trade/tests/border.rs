//! Golden test: the Advanced Guide's "trade without borders" application (chapter 2,
//! application 1), `TradeWithoutBorder.do`, against Stata's own log `TradeWithoutBorder.log`
//! beside the data, to the digits it prints.

mod common;

use attache_trade::{Fit, FittedPpml, Formula, Frame, GePpml, Ppml, Vcov};
use common::{Checker, add, load, log, table, text};

/// The 2006 cross-section as the do-file prepares it (lines 30-100 of the log): `ln_DIST`,
/// `INTL_BRDR`, and Germany renamed `ZZZ` so that its importer effect is the one left out.
///
/// This log was made in 2026 with doubles for generated variables (`set type double`): with
/// `ln_DIST` rounded to a float, as Stata's default `generate` stores it, two importer effects
/// (IND, JPN) and the log-likelihood miss by a fraction of their last printed digit; with
/// doubles every printed value matches. (The RTA log, from 2016, used floats.)
fn data() -> Frame {
    let all = load("Chapter2Application1.dta");
    let year = all.num("year").unwrap().to_vec();
    let mut f = all.filter(|i| year[i] == 2006.0);
    assert_eq!(
        f.rows(),
        4761,
        "TradeWithoutBorder.log:38 keeps 4761 of 99981 rows"
    );
    let dist = f.num("DIST").unwrap().to_vec();
    add(&mut f, "ln_DIST", |i| dist[i].ln());
    let (exp, imp) = (text(&f, "exporter"), text(&f, "importer"));
    add(&mut f, "INTL_BRDR", |i| {
        f64::from(u8::from(exp[i] != imp[i]))
    });
    f
}

/// Sets Germany's importer effect to zero (Stata drops `IMPORTER_FE69`, Germany as `ZZZ`) and
/// moves the difference to the exporter effects, which `noconst` leaves as levels.
fn normalise(fit: &mut FittedPpml) {
    let deu = fit.fixed_effect("importer").unwrap().get("DEU").unwrap();
    for fe in &mut fit.fixed_effects {
        match fe.name.as_str() {
            "importer" => fe.shift(|_| -deu),
            "exporter" => fe.shift(|_| deu),
            _ => unreachable!(),
        }
    }
}

/// Stata's `tabulate, gen()` numbers the countries alphabetically, with DEU renamed ZZZ last.
fn stata_order(labels: &[String]) -> Vec<String> {
    let mut v: Vec<String> = labels.to_vec();
    v.sort_by_key(|c| {
        if c == "DEU" {
            "ZZZ".to_string()
        } else {
            c.clone()
        }
    });
    v
}

/// Checks every fixed effect a table prints (`EXPORTER_FE1` ... `IMPORTER_FE68`).
fn check_fixed_effects(
    c: &mut Checker,
    fit: &FittedPpml,
    lines: &[String],
    from: usize,
    to: usize,
) {
    let exporters = fit.fixed_effect("exporter").unwrap();
    let importers = fit.fixed_effect("importer").unwrap();
    let ex_order = stata_order(&exporters.labels);
    let im_order = stata_order(&importers.labels);
    let mut seen = 0;
    for row in table(lines, from, to) {
        let (fe, order, k) = if let Some(k) = row.name.strip_prefix("EXPORTER_FE") {
            (exporters, &ex_order, k)
        } else if let Some(k) = row.name.strip_prefix("IMPORTER_FE") {
            (importers, &im_order, k)
        } else {
            continue;
        };
        let k: usize = k.parse().unwrap();
        let country = &order[k - 1];
        c.check(
            &format!("{} ({country})", row.name),
            fe.get(country).unwrap(),
            &row.coef,
            &format!("TradeWithoutBorder.log:{}", row.line),
        );
        seen += 1;
    }
    assert_eq!(seen, 69 + 68, "every fixed effect of lines {from}-{to}");
}

fn baseline(f: &Frame) -> FittedPpml {
    let formula: Formula = "trade ~ ln_DIST + CNTG + INTL_BRDR | exporter + importer"
        .parse()
        .unwrap();
    Ppml::new(formula)
        .vcov(Vcov::Robust)
        .tolerance(1e-14)
        .fit(f)
        .unwrap()
}

#[test]
fn baseline_gravity_with_an_international_border() {
    let f = data();
    let mut fit = baseline(&f);
    let lines = log("TradeWithoutBorder.log");
    let cite = |line: usize| format!("TradeWithoutBorder.log:{line}");
    let mut c = Checker::default();
    assert_eq!(fit.n_obs, 4761, "{}", cite(201));
    assert_eq!(fit.fe_dof + 3, 140, "parameters, {}", cite(200));
    assert_eq!(fit.separated, 0, "{}", cite(183));
    c.check("R-squared", fit.r2, ".99450921", &cite(203));
    for (term, line) in [("ln_DIST", 346), ("CNTG", 347), ("INTL_BRDR", 348)] {
        let row = &table(&lines, line, line)[0];
        assert_eq!(row.name, term, "{}", cite(line));
        let coef = fit.coef(term).unwrap();
        c.check(term, coef.estimate, &row.coef, &cite(line));
        c.check(&format!("se({term})"), coef.std_error, &row.se, &cite(line));
    }
    normalise(&mut fit);
    check_fixed_effects(&mut c, &fit, &lines, 209, 345);
    c.check(
        "log-likelihood",
        fit.log_likelihood,
        "-2284121.5",
        &cite(202),
    );
    c.finish();
}

/// Step III.a of the do-file (log line 561): the border removed, the other trade costs fixed
/// at their baseline estimates as an offset, only the country effects estimated.
#[test]
fn conditional_counterfactual_without_borders() {
    let mut f = data();
    let base = baseline(&f);
    let b_dist = base.coef("ln_DIST").unwrap().estimate;
    let b_cntg = base.coef("CNTG").unwrap().estimate;
    let (ln_dist, cntg) = (
        f.num("ln_DIST").unwrap().to_vec(),
        f.num("CNTG").unwrap().to_vec(),
    );
    // tij_CFL = exp(b_DIST ln_DIST + b_CNTG CNTG + b_BRDR * 0); ln_tij_CFL = log(tij_CFL).
    add(&mut f, "ln_tij_CFL", |i| {
        (b_dist * ln_dist[i] + b_cntg * cntg[i]).exp().ln()
    });
    let formula: Formula = "trade ~ 0 | exporter + importer".parse().unwrap();
    let mut fit = Ppml::new(formula)
        .offset("ln_tij_CFL")
        .tolerance(1e-14)
        .fit(&f)
        .unwrap();
    let lines = log("TradeWithoutBorder.log");
    let cite = |line: usize| format!("TradeWithoutBorder.log:{line}");
    let mut c = Checker::default();
    assert_eq!(fit.n_obs, 4761, "{}", cite(586));
    assert_eq!(fit.fe_dof, 137, "parameters, {}", cite(585));
    // Stata's `ppml` prints both from the fit without the offset (`predict, xb nooffset`).
    let (ll, r2) = common::without_offset(&fit, &f, "trade", "ln_tij_CFL");
    c.check(
        "log-likelihood (ppml, no offset)",
        ll,
        "-1.679e+10",
        &cite(587),
    );
    c.check("R-squared (ppml, no offset)", r2, ".3698923", &cite(588));
    normalise(&mut fit);
    check_fixed_effects(&mut c, &fit, &lines, 594, 730);
    c.finish();
}

/// Step III.b (log lines 800-1180): the full-endowment equilibrium without borders by
/// GE-PPML, sigma 7, Germany the reference; the log prints each iteration's change in
/// factory-gate prices (lines 1146-1174).
#[test]
fn general_equilibrium_without_borders() {
    let mut f = data();
    let base = baseline(&f);
    let b = |t: &str| base.coef(t).unwrap().estimate;
    let (b_dist, b_cntg, b_brdr) = (b("ln_DIST"), b("CNTG"), b("INTL_BRDR"));
    let col = |name: &str| f.num(name).unwrap().to_vec();
    let (ln_dist, cntg, brdr) = (col("ln_DIST"), col("CNTG"), col("INTL_BRDR"));
    add(&mut f, "ln_tij_BLN", |i| {
        b_dist * ln_dist[i] + b_cntg * cntg[i] + b_brdr * brdr[i]
    });
    add(&mut f, "ln_tij_CFL", |i| {
        (b_dist * ln_dist[i] + b_cntg * cntg[i]).exp().ln()
    });
    let ge = GePpml::new(
        "exporter",
        "importer",
        "trade",
        "ln_tij_BLN",
        "ln_tij_CFL",
        "DEU",
    )
    .solve(&f)
    .unwrap();
    let lines = log("TradeWithoutBorder.log");
    let mut c = Checker::default();
    common::check_iterations(
        &mut c,
        &ge.iterations,
        &lines,
        "TradeWithoutBorder.log",
        &[1146, 1153, 1160, 1167, 1174],
    );
    c.finish();
    // Without borders every country trades more with the others, conditionally and in full.
    for country in &ge.countries {
        assert!(country.exports_conditional > 0.0, "{country:?}");
        assert!(country.real_gdp_full > 0.0, "{country:?}");
    }
}

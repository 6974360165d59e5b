//! Golden test: the Advanced Guide's traditional gravity estimates (chapter 1, application 1,
//! `TraditionalGravity.do` line 190), PPML on international flows 1986-2006 (every fourth
//! year) with exporter-year and importer-year fixed effects, clustered by pair. The mirror has
//! no Stata log for this application: the figures are the book's (Yotov et al. 2016, table 1,
//! column "PPML") as the `tradepolicy` package reproduces them to six decimals.

mod common;

use attache_trade::{Fit, Formula, Ols, Ppml, Vcov};
use common::{Checker, add, load, text};

#[test]
fn ppml_with_exporter_year_and_importer_year_effects() {
    let all = load("Chapter1Application1.dta");
    let year = all.num("year").unwrap().to_vec();
    let (exp, imp) = (text(&all, "exporter"), text(&all, "importer"));
    let mut f = all.filter(|i| (year[i] as i64 - 1986) % 4 == 0 && exp[i] != imp[i]);
    let dist = f.num("DIST").unwrap().to_vec();
    add(&mut f, "ln_DIST", |i| dist[i].ln());
    let formula: Formula = "trade ~ ln_DIST + CNTG + LANG + CLNY | exporter^year + importer^year"
        .parse()
        .unwrap();
    let fit = Ppml::new(formula.clone())
        .vcov(Vcov::Cluster("pair_id".into()))
        .tolerance(1e-12)
        .fit(&f)
        .unwrap();
    assert_eq!(fit.n_obs, 28_152, "book table 1: N = 28,152");
    let shown = fit.to_string();
    assert!(
        shown.contains("ln_DIST") && shown.contains("N = 28152"),
        "{shown}"
    );
    let mut c = Checker::default();
    let cite = "Yotov et al. 2016, table 1, PPML (tradepolicy)";
    for (term, value) in [
        ("ln_DIST", "-0.840927"),
        ("CNTG", "0.437443"),
        ("LANG", "0.247477"),
        ("CLNY", "-0.222490"),
    ] {
        c.check(term, fit.coef(term).unwrap().estimate, value, cite);
    }
    c.finish();
    // The same fixed effects by OLS on log trade (the do-file's "FES" column), for comparison:
    // positive flows only, and a larger distance elasticity than PPML's, as the book reports.
    let trade = f.num("trade").unwrap().to_vec();
    add(&mut f, "ln_trade", |i| {
        if trade[i] > 0.0 {
            trade[i].ln()
        } else {
            f64::NAN
        }
    });
    let ols_formula: Formula =
        "ln_trade ~ ln_DIST + CNTG + LANG + CLNY | exporter^year + importer^year"
            .parse()
            .unwrap();
    let ols = Ols::new(ols_formula)
        .vcov(Vcov::Cluster("pair_id".into()))
        .fit(&f)
        .unwrap();
    // Book table 1, column "FES" (printed by esttab to three decimals, b(3) se(3)).
    let cite = "Yotov et al. 2016, table 1, FES";
    assert_eq!(ols.n_obs, 25_689, "{cite}: N = 25,689 (positive flows)");
    let mut c = Checker::default();
    for (term, value, se) in [
        ("ln_DIST", "-1.216", Some("0.038")),
        ("CNTG", "0.223", None),
        ("LANG", "0.661", None),
        ("CLNY", "0.670", None),
    ] {
        let coef = ols.coef(term).unwrap();
        c.check(term, coef.estimate, value, cite);
        if let Some(se) = se {
            c.check(&format!("se({term})"), coef.std_error, se, cite);
        }
    }
    c.finish();
    let (d_ols, d_ppml) = (
        ols.coef("ln_DIST").unwrap().estimate,
        fit.coef("ln_DIST").unwrap().estimate,
    );
    assert!(d_ols < d_ppml, "OLS {d_ols} PPML {d_ppml}");
}

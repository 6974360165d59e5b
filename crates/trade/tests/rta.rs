//! Golden test: the Advanced Guide's "effects of regional trade agreements" application
//! (chapter 2, application 2), `RTAsEffects.do`, against Stata's own log `RTAsEffects.log`
//! beside the data, to the digits it prints: the three-way fixed-effects PPML (pair,
//! exporter-year, importer-year) with its 2,339 pair, 414 exporter-year and 408 importer-year
//! effects; the second stage on the pair effects; the constrained baseline and the
//! counterfactual without NAFTA.

mod common;

use std::collections::HashMap;
use std::sync::OnceLock;

use attache_trade::{Fit, FittedPpml, Formula, Frame, Ppml, Vcov};
use common::{Checker, add, load, log, table, text};

/// Stata's `generate` stores a float: the do-file's constructed variables are rounded so.
fn float(v: f64) -> f64 {
    f64::from(v as f32)
}

fn cite(line: usize) -> String {
    format!("RTAsEffects.log:{line}")
}

fn lines() -> &'static [String] {
    static LINES: OnceLock<Vec<String>> = OnceLock::new();
    LINES.get_or_init(|| log("RTAsEffects.log"))
}

/// The panel as the do-file prepares it (log lines 18-110): every fourth year from 1986,
/// `ln_DIST`, and one pair for all domestic flows (`pair`, the do-file's recoded `pair_id`).
fn data() -> Frame {
    let all = load("Chapter2Application2.dta");
    let year = all.num("year").unwrap().to_vec();
    let mut f = all.filter(|i| (year[i] as i64 - 1986) % 4 == 0);
    assert_eq!(f.rows(), 99_981 - 71_415, "{}", cite(24));
    let dist = f.num("DIST").unwrap().to_vec();
    add(&mut f, "ln_DIST", |i| float(dist[i].ln()));
    let (exp, imp) = (text(&f, "exporter"), text(&f, "importer"));
    let pair_id = f.num("pair_id").unwrap().to_vec();
    add(&mut f, "pair", |i| {
        if exp[i] == imp[i] { -1.0 } else { pair_id[i] }
    });
    f
}

struct Stage1 {
    frame: Frame,
    fit: FittedPpml,
}

/// The first stage (log line 141), normalised as Stata's dummies leave it: the domestic pair's
/// effect and Germany's (`ZZZ`) importer-year effects are zero.
fn stage1() -> &'static Stage1 {
    static S: OnceLock<Stage1> = OnceLock::new();
    S.get_or_init(|| {
        let frame = data();
        let formula: Formula = "trade ~ RTA | pair + exporter^year + importer^year"
            .parse()
            .unwrap();
        let mut fit = Ppml::new(formula)
            .vcov(Vcov::Robust)
            .tolerance(1e-14)
            .fit(&frame)
            .unwrap();
        let dom = fit.fixed_effect("pair").unwrap().get("-1").unwrap();
        let years = ["1986", "1990", "1994", "1998", "2002", "2006"];
        let imp = fit.fixed_effect("importer^year").unwrap().clone();
        let deu: HashMap<&str, f64> = years
            .iter()
            .map(|y| (*y, imp.get(&format!("DEU^{y}")).unwrap() + dom))
            .collect();
        let year_of = |label: &str| label.rsplit('^').next().unwrap().to_string();
        for fe in &mut fit.fixed_effects {
            match fe.name.as_str() {
                "pair" => fe.shift(|_| -dom),
                "importer^year" => fe.shift(|l| dom - deu[year_of(l).as_str()]),
                "exporter^year" => fe.shift(|l| deu[year_of(l).as_str()]),
                _ => unreachable!(),
            }
        }
        Stage1 { frame, fit }
    })
}

/// Stata's `egen group()` / `tabulate, gen()` order: alphabetical with DEU renamed ZZZ.
fn stata_key(label: &str) -> String {
    label.replace("DEU", "ZZZ")
}

fn sorted(labels: &[String], key: impl Fn(&String) -> String) -> Vec<String> {
    let mut v = labels.to_vec();
    v.sort_by_key(key);
    v
}

#[test]
fn three_way_ppml_rta_effect_and_every_fixed_effect() {
    let s = stage1();
    let fit = &s.fit;
    let mut c = Checker::default();
    assert_eq!(fit.separated, 84, "{}", cite(150));
    assert_eq!(fit.n_obs, 28_482, "{}", cite(178));
    c.check("R-squared", fit.r2, ".99877503", &cite(180));
    let rta = fit.coef("RTA").unwrap();
    c.check("RTA", rta.estimate, ".5571853", &cite(3347));
    c.check("se(RTA)", rta.std_error, ".055771", &cite(3347));
    // Every fixed effect the table prints, numbered as the do-file's dummies.
    let pair = fit.fixed_effect("pair").unwrap();
    let mut pairs: Vec<String> = pair.labels.iter().filter(|l| *l != "-1").cloned().collect();
    pairs.sort_by(|a, b| {
        a.parse::<f64>()
            .unwrap()
            .total_cmp(&b.parse::<f64>().unwrap())
    });
    let ex = fit.fixed_effect("exporter^year").unwrap();
    let im = fit.fixed_effect("importer^year").unwrap();
    let ex_order = sorted(&ex.labels, |l| stata_key(l));
    let im_order = sorted(&im.labels, |l| stata_key(l));
    let mut counts = [0usize; 3];
    for row in table(lines(), 186, 3346) {
        let digits: String = row
            .name
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect();
        let k: usize = digits.chars().rev().collect::<String>().parse().unwrap();
        let (fe, label, n) = if row.name.starts_with("PAIR_FE") {
            (pair, &pairs[k - 1], 0)
        } else if row.name.starts_with("EXPORTER_T") {
            (ex, &ex_order[k - 1], 1)
        } else if row.name.starts_with("IMPORTER_T") {
            (im, &im_order[k - 1], 2)
        } else {
            panic!("{}: {}", cite(row.line), row.name)
        };
        c.check(
            &format!("{} ({label})", row.name),
            fe.get(label).unwrap(),
            &row.coef,
            &cite(row.line),
        );
        counts[n] += 1;
    }
    assert_eq!(counts, [2339, 414, 408], "{}", cite(141));
    c.check(
        "log-likelihood",
        fit.log_likelihood,
        "-1379642.5",
        &cite(179),
    );
    let n = c.finish();
    eprintln!("{n} values match RTAsEffects.log");
}

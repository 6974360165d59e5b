//! Times the three-way fixed-effects PPML on the Advanced Guide's full panel (99,981 rows,
//! 1986-2006): `cargo run --release -p attache-trade --example three_way [-- PATH.dta]`.
//! Not a test: prints the estimate, the iterations and the wall time of each phase.

use std::time::Instant;

use attache_trade::{Fit, Formula, Ppml, Vcov, dta};

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/trade/advanced-guide/Chapter2Application2.dta"
        )
        .to_string()
    });
    let t = Instant::now();
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let frame = dta::read(&bytes).expect("dta");
    println!(
        "read {} rows in {:.3} s",
        frame.rows(),
        t.elapsed().as_secs_f64()
    );
    let formula: Formula = "trade ~ RTA | exporter^year + importer^year + pair_id"
        .parse()
        .unwrap();
    for recover in [false, true] {
        let t = Instant::now();
        let fit = Ppml::new(formula.clone())
            .vcov(Vcov::Cluster("pair_id".into()))
            .recover_fixed_effects(recover)
            .fit(&frame)
            .expect("fit");
        let rta = fit.coef("RTA").unwrap();
        println!(
            "PPML{}: RTA {:.7} ({:.7}), N {}, separated {}, {} iterations, {:.3} s",
            if recover { " + fixed effects" } else { "" },
            rta.estimate,
            rta.std_error,
            fit.n_obs,
            fit.separated,
            fit.iterations,
            t.elapsed().as_secs_f64()
        );
    }
}

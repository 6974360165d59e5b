//! Backtest of the model and the ViEWS benchmarks on windows Y2019 and Y2020 of the mirror,
//! with timings (run with `--release`).
#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use attache_forecast::benchmarks;
use attache_forecast::gbt::{GbtModel, GbtParams, Predict};

fn main() {
    // The production settings: the mixture is chosen inside each fit by rolling-origin
    // validation on months before the window's cut-off (attache_forecast::tune), never here.
    let params = GbtParams::default();
    for (year, as_of, files, act_file) in common::WINDOWS {
        let panel = common::panel(as_of, files);
        let act = common::actuals(act_file);
        let months = attache_core::MonthId(as_of + 3)..=attache_core::MonthId(as_of + 14);
        for b in benchmarks::all() {
            let rows = b.forecast(&panel, months.clone(), 1000, 1).unwrap();
            let s = common::score(&rows, &act);
            println!(
                "Y{year} {:<26} CRPS {:8.3} IGN {:6.3} MIS {:8.2}",
                b.name(),
                s[0],
                s[1],
                s[2]
            );
        }
        let t0 = Instant::now();
        let fitted = GbtModel::new(params.clone()).fit(&panel).unwrap();
        let t1 = Instant::now();
        let rows = fitted.predict(&panel, months.clone(), 1000, 1).unwrap();
        let t2 = Instant::now();
        let s = common::score(&rows, &act);
        println!(
            "Y{year} {:<26} CRPS {:8.3} IGN {:6.3} MIS {:8.2}   fit {:.2}s predict {:.2}s ({} pairs)",
            "gbt",
            s[0],
            s[1],
            s[2],
            (t1 - t0).as_secs_f64(),
            (t2 - t1).as_secs_f64(),
            fitted.n_train()
        );
        if year == 2020 {
            let drivers = fitted.drivers(&panel, 6, 3).unwrap();
            let nov = fitted.novelty(&panel);
            for (id, d) in drivers
                .iter()
                .filter(|(id, _)| [133u16, 220, 47].contains(id))
            {
                println!(
                    "  country {id}: {:?}",
                    attache_forecast::describe_drivers(d)
                );
            }
            let flagged: Vec<u16> = nov
                .iter()
                .filter(|n| n.flagged)
                .map(|n| n.views_id)
                .collect();
            println!("  novelty flagged: {flagged:?}");
            let any = attache_forecast::summary::prob_any_month_by_country(&rows);
            println!(
                "  P(>=25 any month) for 133/220/47: {:?}",
                any.iter()
                    .filter(|x| [133u16, 220, 47].contains(&x.0))
                    .collect::<Vec<_>>()
            );
        }
    }
}

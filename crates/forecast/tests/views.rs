//! Out-of-sample backtest on the real ViEWS mirror (../shared/data/views/csv): windows Y2019
//! and Y2020, forecast from October of the year before (horizons 3..=14), scored against the
//! window's actuals. The model must beat the conflictology benchmark on CRPS, IGN and MIS in
//! both windows. A missing mirror is a failure.

mod common;

use attache_core::MonthId;
use attache_forecast::{Forecaster, GbtForecaster, benchmarks};

#[test]
fn beats_conflictology_out_of_sample() {
    for (year, as_of, files, act_file) in common::WINDOWS {
        let panel = common::panel(as_of, files);
        let act = common::actuals(act_file);
        let months = MonthId(as_of + 3)..=MonthId(as_of + 14);
        assert_eq!(panel.countries().len(), 191);
        let conf = benchmarks::Conflictology
            .forecast(&panel, months.clone(), 1000, 1)
            .unwrap();
        let ours = GbtForecaster::default()
            .forecast(&panel, months.clone(), 1000, 1)
            .unwrap();
        assert_eq!(ours.len(), 191 * 12);
        assert!(
            ours.iter()
                .all(|r| r.draws.len() == 1000 && r.draws.iter().all(|d| *d >= 0.0))
        );
        let c = common::score(&conf, &act);
        let o = common::score(&ours, &act);
        eprintln!(
            "Y{year}: ours CRPS {:.3} IGN {:.3} MIS {:.2} | conflictology CRPS {:.3} IGN {:.3} MIS {:.2}",
            o[0], o[1], o[2], c[0], c[1], c[2]
        );
        for (k, name) in ["CRPS", "IGN", "MIS"].iter().enumerate() {
            assert!(
                o[k] < c[k],
                "Y{year} {name}: ours {} !< conflictology {}",
                o[k],
                c[k]
            );
        }
    }
}

#[test]
fn window_2021_runs_without_actuals() {
    let (_, as_of, files) = common::WINDOW_2021;
    let panel = common::panel(as_of, files);
    let rows = GbtForecaster::default()
        .forecast(&panel, MonthId(as_of + 3)..=MonthId(as_of + 14), 1000, 1)
        .unwrap();
    assert_eq!(rows.len(), 191 * 12);
    assert_eq!(rows.first().map(|r| r.month_id), Some(MonthId(493)));
}

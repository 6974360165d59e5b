//! Travel conserves every subpopulation (flux model with symmetric counts), while a naive
//! matrix of per-capita travel rates does not.

use attache_epidemic::{
    Metapop, Mobility, Model, Scenario, Seed, Setup, run_deterministic, run_stochastic,
};

/// A deliberately asymmetric passenger matrix (travellers a day, row -> column).
fn passengers() -> Vec<Vec<f64>> {
    vec![
        vec![0.0, 9_000.0, 1_000.0, 0.0],
        vec![2_000.0, 0.0, 4_000.0, 500.0],
        vec![6_000.0, 1_000.0, 0.0, 3_000.0],
        vec![0.0, 4_000.0, 200.0, 0.0],
    ]
}

const POP: [u64; 4] = [2_000_000, 500_000, 1_000_000, 300_000];

fn setup(scenario: &str) -> Setup {
    let world = Metapop::new(
        ["A", "B", "C", "D"].map(String::from).to_vec(),
        POP.to_vec(),
        Mobility::symmetrized(&passengers()).unwrap(),
    )
    .unwrap();
    let seeds = [Seed {
        place: "A".into(),
        count: 100,
        day: 0,
        compartment: None,
    }];
    Setup::new(
        Model::seir(3.0, 3.0, 4.0).unwrap(),
        world,
        &seeds,
        &Scenario::parse(scenario).unwrap(),
        200,
    )
    .unwrap()
}

/// Every subpopulation keeps its size every day: to `tol` relative.
fn check(traj: &attache_epidemic::Trajectory, tol: f64) {
    for d in 0..=traj.days() {
        for (i, &p) in POP.iter().enumerate() {
            let size: f64 = traj.record(d, i).iter().sum();
            assert!(
                (size - p as f64).abs() <= tol * p as f64,
                "day {d} subpopulation {i}: {size} vs {p}"
            );
        }
        let total: f64 = POP.iter().map(|&p| p as f64).sum();
        assert!((traj.total_population(d) - total).abs() <= tol * total);
    }
}

#[test]
fn deterministic_travel_conserves_each_subpopulation() {
    for scenario in [
        "",
        "travel:A*0.3@20; screen:exit:A=0.5@10; screen:entry:D=0.9; vaccinate:C=0.02/day@30",
    ] {
        check(&run_deterministic(&setup(scenario), 10).unwrap(), 1e-9);
    }
}

#[test]
fn stochastic_travel_conserves_each_subpopulation_exactly() {
    for scenario in [
        "",
        "travel:A*0.3@20; screen:exit:A=0.5@10; screen:entry:D=0.9; vaccinate:C=0.3@40",
    ] {
        for run in 0..5 {
            check(&run_stochastic(&setup(scenario), 42, run).unwrap(), 0.0);
        }
    }
}

#[test]
fn naive_asymmetric_rates_do_not_conserve() {
    // The naive model: everyone travels at the same per-capita rate tau a day, split over
    // destinations by the passenger matrix's row shares: dN_i/dt = sum_j (r_ji N_j - r_ij N_i)
    // with r_ij = tau * P_ij. Sizes drift towards the rates' stationary distribution.
    let m = passengers();
    let tau = 0.005;
    let mut n: Vec<f64> = POP.iter().map(|&p| p as f64).collect();
    let rate = |i: usize, j: usize| tau * m[i][j] / m[i].iter().sum::<f64>();
    for _ in 0..200 * 10 {
        let dn: Vec<f64> = (0..4)
            .map(|i| {
                (0..4)
                    .map(|j| rate(j, i) * n[j] - rate(i, j) * n[i])
                    .sum::<f64>()
            })
            .collect();
        for i in 0..4 {
            n[i] += 0.1 * dn[i];
        }
    }
    let total: f64 = POP.iter().map(|&p| p as f64).sum();
    assert!(
        (n.iter().sum::<f64>() - total).abs() < 1e-6 * total,
        "total is kept"
    );
    let worst = (0..4)
        .map(|i| (n[i] - POP[i] as f64).abs() / POP[i] as f64)
        .fold(0.0, f64::max);
    assert!(
        worst > 0.1,
        "the naive model moved at most {worst} of a subpopulation"
    );
    // Ours, on the same data, keeps every subpopulation to 1e-9 (test above).
}

#[test]
fn asymmetric_matrix_is_refused_where_symmetry_is_required() {
    let err = Mobility::from_symmetric_matrix(&passengers()).unwrap_err();
    assert!(err.to_string().contains("0->1 = 9000"), "{err}");
}

#[test]
fn stationary_compartments_do_not_travel() {
    // SEIRD's dead stay where they died: 500 dead placed in A stay in A, none reach B,
    // under heavy travel, in both dynamics.
    let world = || {
        Metapop::new(
            vec!["A".into(), "B".into()],
            vec![100_000, 100_000],
            Mobility::from_links(2, &[(0, 1, 5_000.0)]).unwrap(),
        )
        .unwrap()
    };
    let dead = [Seed {
        place: "A".into(),
        count: 500,
        day: 0,
        compartment: Some("D".into()),
    }];
    let model = Model::seird(2.0, 3.0, 4.0, 0.01).unwrap();
    assert!(!model.travels(4) && model.travels(0));
    let setup = Setup::new(model, world(), &dead, &Scenario::baseline(), 60).unwrap();
    let det = run_deterministic(&setup, 10).unwrap();
    let sto = run_stochastic(&setup, 1, 0).unwrap();
    for t in [&det, &sto] {
        for d in 0..=60 {
            assert_eq!(t.count(d, 0, 4), 500.0, "day {d}");
            assert_eq!(t.count(d, 1, 4), 0.0, "day {d}");
            for i in 0..2 {
                let size: f64 = t.record(d, i).iter().sum();
                assert!(
                    (size - 1e5).abs() < 1e-9 * 1e5,
                    "day {d} subpop {i}: {size}"
                );
            }
        }
    }
    // R, which travels, is exchanged: put 500 recovered in A instead.
    let recovered = [Seed {
        compartment: Some("R".into()),
        ..dead[0].clone()
    }];
    let setup = Setup::new(
        Model::seird(2.0, 3.0, 4.0, 0.01).unwrap(),
        world(),
        &recovered,
        &Scenario::baseline(),
        60,
    )
    .unwrap();
    assert!(run_deterministic(&setup, 10).unwrap().count(60, 1, 3) > 100.0);
}

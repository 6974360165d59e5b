//! The full-size allocation problem (190 countries x 17 goals, three segments of diminishing
//! returns each, per-country caps on every third country, floors on goal 1 of every tenth),
//! shared by the correctness test (`tests/allocate_scale.rs`) and the benchmark
//! (`examples/allocate_scale.rs`, run by `bench/allocate.sh`).

use attache_indices::allocate::{Cell, Objective, Problem, Segment};

/// A deterministic problem: scores and returns from a small linear congruential generator.
pub fn problem() -> Problem {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let countries: Vec<String> = (0..190).map(|i| format!("C{i:03}")).collect();
    let mut cells = Vec::new();
    for c in 0..190 {
        for g in 1..=17 {
            let score = 20.0 + 75.0 * next();
            let r = 0.2 + 0.8 * next();
            cells.push(Cell {
                country: c,
                goal: g,
                score,
                segments: vec![
                    Segment {
                        width: 1.0,
                        gain_per_unit: r,
                    },
                    Segment {
                        width: 2.0,
                        gain_per_unit: r / 2.0,
                    },
                    Segment {
                        width: 4.0,
                        gain_per_unit: r / 4.0,
                    },
                ],
                floor: if g == 1 && c % 10 == 0 { 0.5 } else { 0.0 },
                ceiling: f64::INFINITY,
            });
        }
    }
    Problem {
        countries,
        cells,
        budget: 2_000.0,
        country_caps: (0..190).map(|c| (c % 3 == 0).then_some(8.0)).collect(),
        objective: Objective::GapWeighted,
    }
}

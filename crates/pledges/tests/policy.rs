//! Pathways, effort sharing, ratings, the progress monitor and the aggregator on small
//! synthetic worlds whose answers can be worked out by hand.

use std::collections::BTreeMap;

use attache_climate::Scenario;
use attache_pledges::Series;
use attache_pledges::aggregate::{
    ClimateSettings, Policy, climate_outcome, global_path, national_paths,
};
use attache_pledges::monitor::{Arrow, bloc_progress, progress};
use attache_pledges::ndc::{Pct, Pledge, Target, apply_edit};
use attache_pledges::pathway::{
    Country, Settings, current_policies, gdp_ratio, pledge_pathway, target_level, trend,
};
use attache_pledges::rating::{Band, band};
use attache_pledges::sharing::{Method, Universe};

/// Emissions growing by `g` per year from `e2010` in 2010 to 2020 (2020 is excluded by default).
fn country(iso3: &str, e2010: f64, g: f64, pop: f64, gdp_pc: f64) -> Country {
    Country {
        iso3: iso3.into(),
        name: iso3.into(),
        co2: Series::from_pairs((1990..=2020).map(|y| (y, e2010 * (1.0 + g).powi(y - 2010)))),
        population: Series::from_pairs([(2019, pop)]),
        gdp_ppp_pc: Series::from_pairs([(2019, gdp_pc)]),
        gdp_growth: Series::from_pairs((1991..=2019).map(|y| (y, 3.0))),
        ghg: Series::from_pairs([(2012, 2000.0e3)]),
        pledge: None,
    }
}

fn pledge(target: Target, year: Option<i32>) -> Pledge {
    Pledge {
        target,
        target_year: year,
        peak_year: None,
        decline: None,
        net_zero_year: None,
        source: "test".into(),
    }
}

fn close(a: f64, b: f64, tol: f64, what: &str) {
    assert!((a - b).abs() <= tol, "{what}: {a} vs {b}");
}

#[test]
fn trend_and_current_policies() {
    let s = Settings::default();
    let c = country("AAA", 100.0, 0.02, 1e6, 10_000.0);
    close(trend(&c, &s).unwrap(), 0.02, 1e-12, "trend");
    let cp = current_policies(&c, &s).unwrap();
    assert_eq!(cp.jump_off.0, 2019, "2020 is excluded");
    let e2019 = 100.0 * 1.02f64.powi(9);
    // Growth fades linearly over 30 years: 2020 grows by 2% * 29/30.
    close(
        cp.at(2020).unwrap(),
        e2019 * (1.0 + 0.02 * 29.0 / 30.0),
        1e-9,
        "2020",
    );
    let e2049 = cp.at(2049).unwrap();
    close(cp.at(2060).unwrap(), e2049, 1e-9, "flat after the fade");
}

#[test]
fn target_levels_by_kind() {
    let s = Settings::default();
    let c = country("AAA", 100.0, 0.02, 1e6, 10_000.0);
    let e = |y: i32| 100.0 * 1.02f64.powi(y - 2010);
    let level = |t: Target| {
        target_level(&c, &pledge(t, Some(2030)), &s)
            .unwrap()
            .unwrap()
            .1
    };
    close(
        level(Target::BaseYear {
            base_year: 2005,
            cut: Pct {
                low: 40.0,
                high: 50.0,
            },
        }),
        e(2005) * 0.6,
        1e-9,
        "base year, unconditional end",
    );
    close(
        level(Target::Bau {
            cut: Pct::single(30.0),
        }),
        e(2019) * 1.02f64.powi(11) * 0.7,
        1e-9,
        "BAU = unfaded trend",
    );
    close(
        gdp_ratio(&c, 2005, 2030).unwrap(),
        1.03f64.powi(25),
        1e-9,
        "GDP ratio",
    );
    close(
        level(Target::Intensity {
            base_year: 2005,
            cut: Pct::single(60.0),
        }),
        e(2005) * 0.4 * 1.03f64.powi(25),
        1e-9,
        "intensity",
    );
    // GHG level: CO2 in 2012 times level / GHG 2012 (2000 Mt CO2e).
    close(
        level(Target::GhgLevel {
            mt_co2e: Pct {
                low: 1500.0,
                high: 1000.0,
            },
        }),
        e(2012) * 0.75,
        1e-9,
        "GHG level",
    );
    close(
        level(Target::Level { mt_co2: 42.0 }),
        42.0,
        0.0,
        "CO2 level",
    );
    let cond = Settings {
        conditional: true,
        ..Settings::default()
    };
    let p = pledge(
        Target::BaseYear {
            base_year: 2005,
            cut: Pct {
                low: 40.0,
                high: 50.0,
            },
        },
        Some(2030),
    );
    close(
        target_level(&c, &p, &cond).unwrap().unwrap().1,
        e(2005) * 0.5,
        1e-9,
        "conditional end",
    );
    // A base year before the inventory starts moves to the first year with data (<= 5 years).
    let mut late = c.clone();
    late.co2.0.retain(|y, _| *y >= 1992);
    let p = pledge(
        Target::BaseYear {
            base_year: 1990,
            cut: Pct::single(25.0),
        },
        Some(2030),
    );
    close(
        target_level(&late, &p, &s).unwrap().unwrap().1,
        e(1992) * 0.75,
        1e-9,
        "base 1990 -> 1992",
    );
    let p = pledge(
        Target::BaseYear {
            base_year: 1980,
            cut: Pct::single(25.0),
        },
        Some(2030),
    );
    assert!(target_level(&late, &p, &s).is_err());
}

#[test]
fn pledge_pathways() {
    let s = Settings::default();
    let c = country("AAA", 100.0, 0.0, 1e6, 10_000.0);
    // Flat at 100: 50% below 2010 by 2030, then net zero in 2050.
    let mut p = pledge(
        Target::BaseYear {
            base_year: 2010,
            cut: Pct::single(50.0),
        },
        Some(2030),
    );
    p.net_zero_year = Some(2050);
    let path = pledge_pathway(&c, &p, &s).unwrap();
    close(path.at(2019).unwrap(), 100.0, 1e-9, "jump-off");
    close(path.at(2030).unwrap(), 50.0, 1e-9, "target");
    close(path.at(2040).unwrap(), 25.0, 1e-9, "half way to net zero");
    close(path.at(2050).unwrap(), 0.0, 0.0, "net zero");
    close(path.at(2100).unwrap(), 0.0, 0.0, "stays at zero");
    // A target above current policies does not raise emissions.
    let up = pledge_pathway(&c, &pledge(Target::Level { mt_co2: 200.0 }, Some(2030)), &s).unwrap();
    close(
        up.at(2030).unwrap(),
        100.0,
        1e-9,
        "capped at current policies",
    );
    // Peak in 2025 then 3%/yr decline.
    let grow = country("BBB", 100.0, 0.02, 1e6, 10_000.0);
    let peak = apply_edit(None, "peak:2025,decline:3").unwrap();
    let path = pledge_pathway(&grow, &peak, &s).unwrap();
    let cp = current_policies(&grow, &s).unwrap();
    close(
        path.at(2025).unwrap(),
        cp.at(2025).unwrap(),
        1e-9,
        "current policies to the peak",
    );
    close(
        path.at(2026).unwrap(),
        cp.at(2025).unwrap() * 0.97,
        1e-9,
        "decline after",
    );
    // China-like: a target and a peak in the same year decline afterwards.
    let mut both = pledge(Target::Level { mt_co2: 120.0 }, Some(2030));
    both.peak_year = Some(2030);
    let path = pledge_pathway(&grow, &both, &s).unwrap();
    close(
        path.at(2031).unwrap(),
        120.0 * (1.0 - s.default_decline),
        1e-9,
        "decline after a stated peak",
    );
}

#[test]
fn effort_sharing_allocates_the_global_level() {
    let s = Settings::default();
    let cs = [
        country("RICH", 1000.0, -0.01, 50e6, 50_000.0),
        country("MID", 800.0, 0.02, 200e6, 12_000.0),
        country("POOR", 50.0, 0.05, 300e6, 2_000.0),
    ];
    let bau: BTreeMap<_, _> = cs
        .iter()
        .map(|c| (c.iso3.clone(), current_policies(c, &s).unwrap()))
        .collect();
    let u = Universe::new(&cs, &bau, 2019, 2030);
    assert!(u.excluded.is_empty());
    let g = 0.6 * u.total_y0();
    for m in Method::ALL {
        let a = u.allocate(m, g);
        close(a.values().sum::<f64>(), g, 1e-6, m.label());
    }
    let epc = u.allocate(Method::EqualPerCapita, g);
    close(
        epc["POOR"] / epc["RICH"],
        6.0,
        1e-9,
        "EPC follows population",
    );
    // Richer and more responsible countries get less under AP and GDR than their BAU share.
    for m in [Method::AbilityToPay, Method::Gdr] {
        let a = u.allocate(m, g);
        assert!(
            a["RICH"] / bau["RICH"].at(2030).unwrap() < a["POOR"] / bau["POOR"].at(2030).unwrap(),
            "{}",
            m.label()
        );
    }
    // GDR: below the development threshold no capacity and no responsibility: POOR keeps BAU.
    close(
        u.allocate(Method::Gdr, g)["POOR"],
        bau["POOR"].at(2030).unwrap(),
        1e-6,
        "GDR threshold",
    );
    let mut missing = cs.to_vec();
    missing[2].population = Series::default();
    let u = Universe::new(&missing, &bau, 2019, 2030);
    assert_eq!(u.excluded.len(), 1);
    assert!(u.excluded[0].1.contains("population"));
}

#[test]
fn bands() {
    let t = [10.0, 20.0, 30.0, 40.0];
    for (v, b) in [
        (5.0, Band::OnePointFive),
        (10.0, Band::OnePointFive),
        (15.0, Band::AlmostSufficient),
        (25.0, Band::Insufficient),
        (35.0, Band::HighlyInsufficient),
        (45.0, Band::CriticallyInsufficient),
    ] {
        assert_eq!(band(v, t), b, "{v}");
    }
    // Non-monotone thresholds are made monotone.
    assert_eq!(band(15.0, [10.0, 5.0, 30.0, 40.0]), Band::Insufficient);
}

#[test]
fn progress_gap_and_blocs() {
    let s = Settings::default();
    let mut a = country("AAA", 100.0, 0.02, 1e6, 10_000.0);
    a.pledge = Some(pledge(
        Target::BaseYear {
            base_year: 2010,
            cut: Pct::single(20.0),
        },
        Some(2030),
    ));
    let p = progress(&a, a.pledge.as_ref(), &s).unwrap();
    assert_eq!(p.arrow, Arrow::Up);
    let projected = 100.0 * 1.02f64.powi(20);
    close(p.projected.unwrap(), projected, 1e-9, "projection");
    close(p.gap.unwrap(), projected - 80.0, 1e-9, "gap");
    assert_eq!(p.on_track(), Some(false));
    close(
        p.target_path.get(2030).unwrap(),
        80.0,
        1e-9,
        "target path end",
    );
    let b = country("BBB", 50.0, -0.03, 1e6, 10_000.0);
    assert_eq!(progress(&b, None, &s).unwrap().arrow, Arrow::Down);
    let bloc = bloc_progress(
        "test-bloc",
        &["AAA".into(), "BBB".into(), "ZZZ".into()],
        &[a.clone(), b.clone()],
        &s,
    )
    .unwrap();
    assert_eq!(bloc.missing, vec!["ZZZ".to_string()]);
    assert_eq!(bloc.unpledged, vec!["BBB".to_string()]);
    close(
        bloc.history.get(2015).unwrap(),
        a.co2.get(2015).unwrap() + b.co2.get(2015).unwrap(),
        1e-9,
        "summed history",
    );
    let b2030 = current_policies(&b, &s).unwrap().at(2030).unwrap();
    close(bloc.target, 80.0 + b2030, 1e-9, "bloc target");
}

/// When the global path moves exactly like the reference scenario's fossil CO2, the splice
/// reproduces the reference run; a net-zero world warms less and keeps budgets longer.
#[test]
fn aggregator_splice_and_outcomes() {
    let cs = ClimateSettings {
        ensemble: 0,
        ..ClimateSettings::default()
    };
    let e = Scenario::Ssp245.emissions().unwrap();
    let fossil: BTreeMap<i32, f64> = e.rows().iter().map(|r| (r[0] as i32, r[1])).collect();
    let same = Series::from_pairs((2019..=2100).map(|y| (y, 1000.0 * fossil[&y] / fossil[&2019])));
    let o = climate_outcome(&same, 2100, &cs).unwrap();
    let reference = attache_climate::run(&e.slice_years(1765, 2100).unwrap(), &cs.params.params())
        .unwrap()
        .rebased(1850..=1900)
        .unwrap();
    close(
        o.warming_end,
        *reference.temperature.last().unwrap(),
        1e-9,
        "splice of the reference itself",
    );

    let s = Settings::default();
    let mut world = vec![country("AAA", 30_000.0, 0.01, 7e9, 15_000.0)];
    let flat = national_paths(&world, Policy::CurrentPolicies, &BTreeMap::new(), &s);
    world[0].pledge = Some(apply_edit(None, "base:2010,cut:40,by:2030,netzero:2050").unwrap());
    let nz = national_paths(&world, Policy::Ndcs, &BTreeMap::new(), &s);
    let (a, b) = (
        climate_outcome(&global_path(&flat, &s).unwrap(), 2100, &cs).unwrap(),
        climate_outcome(&global_path(&nz, &s).unwrap(), 2100, &cs).unwrap(),
    );
    assert!(
        b.warming_end < a.warming_end - 0.5,
        "{} vs {}",
        b.warming_end,
        a.warming_end
    );
    assert!(b.peak.1 < a.warming_end);
    assert!(b.cumulative_from_2020 < a.cumulative_from_2020);
    let gone = |o: &attache_pledges::aggregate::Outcome, lim: f64| {
        o.budgets
            .iter()
            .find(|x| x.limit == lim && x.likelihood == 0.5)
            .unwrap()
            .exhausted_in
    };
    assert!(gone(&a, 2.0).is_some());
    assert!(gone(&b, 2.0).is_none_or(|y| y > gone(&a, 2.0).unwrap()));
}

//! The [`Scorecard`]: per-forecast scores agree with the free functions, summaries average them,
//! grouping by tag, validation, and determinism of the PIT randomisation.

use attache_scoring::benchmarks::{conflictology, last_historical_poisson, seeded_rng, zero};
use attache_scoring::{
    ScoreError, Scorecard, ScorecardConfig, Tag, VIEWS_IGN_EDGES, average_precision, brier,
    crps_ensemble, ignorance, interval_score, prob_at_least,
};

/// A small window: 3 months x 4 countries, conflictology and Poisson forecasts.
fn window() -> Vec<(Tag, Vec<f64>, f64)> {
    let mut out = Vec::new();
    for month_id in 529..532 {
        for country_id in 1..5 {
            let history: Vec<f64> = (0..24)
                .map(|m| f64::from((m * country_id * 7 + month_id) % 60))
                .collect();
            let draws = if country_id % 2 == 0 {
                conflictology(&history, 1000).expect("valid")
            } else {
                let stream = u64::try_from(month_id * 1000 + country_id).expect("positive");
                last_historical_poisson(&history, 1000, &mut seeded_rng(1, stream)).expect("valid")
            };
            let observed = f64::from((month_id + country_id * 13) % 50);
            out.push((
                Tag {
                    month_id,
                    country_id,
                },
                draws,
                observed,
            ));
        }
    }
    out
}

#[test]
fn observation_scores_match_the_free_functions() {
    let mut card = Scorecard::new();
    for (tag, draws, y) in window() {
        let s = card
            .add_tagged(tag, &draws, y)
            .expect("valid forecast")
            .clone();
        assert_eq!(s.tag, Some(tag));
        assert_eq!(s.crps, crps_ensemble(&draws, y));
        assert_eq!(s.ign, ignorance(&draws, y, &VIEWS_IGN_EDGES));
        // The challenge's alpha: 1 - 0.9.
        assert_eq!(s.mis, interval_score(&draws, y, 1.0 - 0.9));
        assert_eq!(s.prob_event, prob_at_least(&draws, 25.0));
        assert_eq!(s.event, y >= 25.0);
        assert_eq!(s.brier, brier(s.prob_event, s.event));
        assert!((0.0..=1.0).contains(&s.pit));
    }
    assert_eq!(card.len(), 12);
}

#[test]
fn summary_averages_the_observations() {
    let mut card = Scorecard::new();
    for (tag, draws, y) in window() {
        card.add_tagged(tag, &draws, y).expect("valid forecast");
    }
    let obs = card.observations();
    let mean = |f: fn(&attache_scoring::ObservationScores) -> f64| {
        obs.iter().map(f).sum::<f64>() / obs.len() as f64
    };
    let s = card.summary();
    assert_eq!(s.count, 12);
    assert_eq!(s.crps, mean(|o| o.crps));
    assert_eq!(s.ign, mean(|o| o.ign));
    assert_eq!(s.mis, mean(|o| o.mis));
    assert_eq!(s.brier, mean(|o| o.brier));
    let probs: Vec<f64> = obs.iter().map(|o| o.prob_event).collect();
    let events: Vec<bool> = obs.iter().map(|o| o.event).collect();
    assert_eq!(s.average_precision, average_precision(&probs, &events));
    assert_eq!(s.events, events.iter().filter(|&&e| e).count());
    assert_eq!(s.pit_histogram.len(), 10);
    assert_eq!(s.pit_histogram.iter().sum::<u64>(), 12);
    assert_eq!(s.reliability.len(), 10);
    assert_eq!(s.reliability.iter().map(|b| b.count).sum::<u64>(), 12);
}

#[test]
fn summary_by_groups_tagged_forecasts() {
    let mut card = Scorecard::new();
    for (tag, draws, y) in window() {
        card.add_tagged(tag, &draws, y).expect("valid forecast");
    }
    card.add(&zero(1000), 3.0).expect("valid forecast"); // untagged: left out of groups
    let by_month = card.summary_by(|t| t.month_id);
    assert_eq!(
        by_month.keys().copied().collect::<Vec<_>>(),
        vec![529, 530, 531]
    );
    assert!(by_month.values().all(|s| s.count == 4));
    let by_country = card.summary_by(|t| t.country_id);
    assert_eq!(by_country.len(), 4);
    // The group means recombine to the overall mean of the tagged forecasts.
    let tagged_crps: f64 = card.observations()[..12].iter().map(|o| o.crps).sum();
    let grouped: f64 = by_month.values().map(|s| s.crps * s.count as f64).sum();
    assert!((tagged_crps - grouped).abs() < 1e-9 * tagged_crps.max(1.0));
    assert_eq!(card.summary().count, 13);
}

#[test]
fn pit_randomisation_is_seeded() {
    let run = |seed: u64| {
        let mut card = Scorecard::with_config(ScorecardConfig {
            pit_seed: seed,
            ..Default::default()
        })
        .expect("valid config");
        for (tag, draws, y) in window() {
            card.add_tagged(tag, &draws, y).expect("valid forecast");
        }
        card.observations()
            .iter()
            .map(|o| o.pit)
            .collect::<Vec<_>>()
    };
    assert_eq!(run(4), run(4));
    assert_ne!(run(4), run(5));
}

#[test]
fn invalid_input_is_rejected_and_not_recorded() {
    let mut card = Scorecard::new();
    assert_eq!(card.add(&[], 1.0).err(), Some(ScoreError::EmptyDraws));
    assert!(matches!(
        card.add(&[1.0, f64::NAN], 1.0),
        Err(ScoreError::NonFiniteDraw { index: 1, .. })
    ));
    assert!(matches!(
        card.add(&[1.0], f64::NAN),
        Err(ScoreError::NonFiniteObservation(_))
    ));
    assert!(card.is_empty());
    let empty = card.summary();
    assert_eq!(empty.count, 0);
    assert!(empty.crps.is_nan() && empty.average_precision.is_nan());

    let bad = |config: ScorecardConfig| Scorecard::with_config(config).err();
    let base = ScorecardConfig::default;
    assert_eq!(
        bad(ScorecardConfig {
            interval_level: 1.0,
            ..base()
        }),
        Some(ScoreError::InvalidIntervalLevel(1.0))
    );
    assert_eq!(
        bad(ScorecardConfig {
            ign_edges: vec![],
            ..base()
        }),
        Some(ScoreError::InvalidBinEdges)
    );
    assert_eq!(
        bad(ScorecardConfig {
            pit_bins: 0,
            ..base()
        }),
        Some(ScoreError::ZeroBins)
    );
    assert!(matches!(
        bad(ScorecardConfig {
            event_threshold: f64::NAN,
            ..base()
        }),
        Some(ScoreError::NonFiniteThreshold(_))
    ));
}

//! Predictions through the outcome predictor seam (the conflict forecast over a stored run) and
//! the printable export.

mod common;

use attache_accounts::Clearance;
use attache_briefs::{BriefsError, Decision, EvidenceKind, NewEvidence};
use attache_core::MonthId;
use attache_core::outcome::{OutcomeQuery, PredictorSource, REFERENCE_LABEL, Settings};
use attache_forecast::predictor::{DEATHS_MONTH, P_ANY_NEXT12};
use attache_store::{
    CountryOutlook, ForecastRun, ForecastStore, MonthOutlook, NoveltyRecord, RunMeta,
};
use common::*;

/// A run with the layout `attache forecast run` stores (crates/cli/src/forecast_cmd/live.rs):
/// as-of 2024-10, months 2024-11..2025-12, one country.
fn store_run(data: &std::path::Path) {
    let months = (539..=552)
        .map(|m| MonthOutlook {
            iso3: "SDN".into(),
            views_id: 245,
            month_id: MonthId(m),
            median: 150.0,
            q05: 3.0,
            q25: 40.0,
            q75: 420.0,
            q95: 1500.0,
            p_ge_25: 0.81,
        })
        .collect();
    let run = ForecastRun {
        meta: RunMeta {
            label: "Reference forecast".into(),
            as_of: "2024-10".into(),
            months: ["2024-11".into(), "2025-12".into()],
            vintage: "20250101T000000Z-abcd".into(),
            model: "attache-gbt-hurdle".into(),
            model_version: "0.1.0".into(),
            seed: 7,
            draws: 1000,
            novelty_label: "reference only: situation without precedent in the data".into(),
        },
        countries: vec![CountryOutlook {
            iso3: "SDN".into(),
            views_id: 245,
            name: "Sudan".into(),
            p_any_ge25_next12: Some(0.97),
            worst_recent_month: None,
            novelty: Some(NoveltyRecord {
                score: 1.0,
                percentile: 40.0,
                flagged: false,
                label: None,
            }),
            drivers: vec![],
        }],
        months,
    };
    ForecastStore::new(data).save(&run).unwrap();
}

#[test]
fn predictions_evidence_decision_and_export() {
    let f = fixture();
    let b = &f.briefs;
    store_run(f.data());
    // The predictor as the registry opens it (the binary's `conflict` source).
    let predictor = attache_store::predictors::ConflictSource::new(f.data())
        .open(&Settings::new())
        .unwrap();

    let mut new = new_brief("x", Clearance::Confidential);
    new.title = "Sudan <b>envoy</b> & \"mediation\"".into();
    let id = b.create(&analyst(), &new).unwrap();
    let p_any = predictor
        .predict(&OutcomeQuery::new(P_ANY_NEXT12, "SDN"))
        .unwrap();
    b.add_evidence(
        &analyst(),
        id,
        &NewEvidence::from_outcome(
            EvidenceKind::Forecast,
            &predictor.evidence_source(&OutcomeQuery::new(P_ANY_NEXT12, "SDN")),
            &p_any,
        ),
    )
    .unwrap();
    for option in 0..2 {
        b.predict_option(
            &analyst(),
            id,
            option,
            &*predictor,
            &OutcomeQuery::new(P_ANY_NEXT12, "SDN"),
        )
        .unwrap();
        b.predict_option(
            &analyst(),
            id,
            option,
            &*predictor,
            &OutcomeQuery::new(DEATHS_MONTH, "SDN"),
        )
        .unwrap();
    }
    // What the predictor cannot answer, or no such option, changes nothing.
    let e = b
        .predict_option(
            &analyst(),
            id,
            0,
            &*predictor,
            &OutcomeQuery::new(P_ANY_NEXT12, "ATA"),
        )
        .unwrap_err();
    assert!(matches!(e, BriefsError::Prediction(_)), "{e}");
    let e = b
        .predict_option(
            &analyst(),
            id,
            5,
            &*predictor,
            &OutcomeQuery::new(P_ANY_NEXT12, "SDN"),
        )
        .unwrap_err();
    assert!(
        matches!(
            e,
            BriefsError::BadOption {
                index: 5,
                options: 2
            }
        ),
        "{e}"
    );
    let mut broken = p_any.clone();
    broken.label = "trust me".into();
    assert!(matches!(
        b.add_prediction(&analyst(), id, 0, broken),
        Err(BriefsError::Prediction(_))
    ));

    let got = b.get(&analyst(), id).unwrap();
    assert_eq!(got.options[0].predictions.len(), 2);
    assert_eq!(got.options[1].predictions[0], p_any);
    assert_eq!(got.evidence[0].item.data_vintage, "20250101T000000Z-abcd");
    assert_eq!(
        got.evidence[0].item.model.as_ref().unwrap().to_string(),
        "attache-gbt-hurdle 0.1.0"
    );
    assert!(got.evidence[0].item.summary.author.is_machine());

    let draft_html = b.export_html(&analyst(), id).unwrap();
    assert!(draft_html.contains("No decision recorded (state: draft)."));

    b.submit_for_review(&analyst(), id).unwrap();
    let rationale = "Mediation first: <script>alert(1)</script> the risk stays high either way.";
    b.decide(
        &diplomat(),
        id,
        Decision::Choose { option_index: 1 },
        rationale,
    )
    .unwrap();
    let html = b.export_html(&diplomat(), id).unwrap();

    // Banners at the top and the bottom, nothing active or external.
    assert_eq!(
        html.matches(r#"<div class="banner top confidential" role="note">CONFIDENTIAL</div>"#)
            .count(),
        1
    );
    assert_eq!(
        html.matches(r#"<div class="banner bottom confidential" role="note">CONFIDENTIAL</div>"#)
            .count(),
        1
    );
    assert!(html.find("banner top").unwrap() < html.find("<h1>").unwrap());
    assert!(html.rfind("banner bottom").unwrap() > html.find("Rationale").unwrap());
    for forbidden in ["<script", "src=", "href=", "@import", "url("] {
        assert!(!html.contains(forbidden), "export contains {forbidden:?}");
    }
    // Escaped text, the decision, the predictions labelled machine-written.
    assert!(
        html.contains("<h1>Sudan &lt;b&gt;envoy&lt;/b&gt; &amp; &quot;mediation&quot;</h1>"),
        "{html}"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("Option 2 chosen: OptionB-x stay"));
    assert!(html.contains("<h3>Option 2: OptionB-x stay — chosen</h3>"));
    assert!(html.contains(&format!("Machine-written; {REFERENCE_LABEL}")));
    assert!(html.contains("machine-written (attache-gbt-hurdle 0.1.0)"));
    assert!(html.contains("97.0%"));
    assert!(html.contains(
        "<th>Unit</th><td>state-based battle-related deaths (UCDP GED best estimate)</td>"
    ));
    assert!(html.contains("<th>90% interval</th><td>3.00 to 1500</td>"));
    assert!(html.contains("does not model the effect of any option"));
    assert!(html.contains("Decided by dora"));

    // Evidence and predictions of a classified brief are sealed too.
    let db_files: Vec<_> = std::fs::read_dir(f.data())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("attache.db")
        })
        .collect();
    assert!(db_files.len() >= 2, "{db_files:?}");
    for p in db_files {
        let bytes = std::fs::read(&p).unwrap();
        for needle in ["Sudan", "P(>= 25", "mediation", "does not model the effect"] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "{needle:?} in {}",
                p.display()
            );
        }
    }
    f.log.verify(&f.trusted).unwrap();
    let exports = f
        .log
        .list(0, 1000)
        .unwrap()
        .into_iter()
        .filter(|r| r.event.action.as_str() == "export")
        .count();
    assert_eq!(exports, 2);
}

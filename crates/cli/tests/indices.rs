//! `attache indices inform` end to end on the published INFORM Risk 2025 table in the data
//! mirror: Afghanistan's risk recomputed equals the published 7.8 (JRC, INFORM Risk 2025
//! v0.7.0, "INFORM Risk 2025 (a-z)" sheet), its top driver is projected conflict probability,
//! and improving lack of coping capacity by one point takes it to 7.4 (the crate's golden test
//! recomputes every country); bad input fails naming it.

mod common;

use common::{attache, mirror, stderr, stdout};

#[test]
fn inform_risk_drivers_and_what_if() {
    let table = mirror().join("inform/INFORM_Risk_2025_v070_main.csv");
    let t = table.to_str().unwrap();
    let o = attache(&[
        "indices",
        "inform",
        "--input",
        t,
        "--country",
        "Afghanistan",
        "--what-if",
        "coping=-1",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("AFG: INFORM risk 7.8 (Very High)"), "{out}");
    assert!(out.contains("published 7.8"), "{out}");
    assert!(
        out.contains("projected conflict probability (9.7)"),
        "{out}"
    );
    assert!(out.contains("to 7.4"), "{out}");
    for (args, says) in [
        (vec!["--country", "Atlantis"], "Atlantis"),
        (vec!["--country", "AFG", "--what-if", "luck=-1"], "luck"),
        (
            vec!["--country", "AFG", "--what-if", "coping"],
            "DIMENSION=DELTA",
        ),
    ] {
        let mut all = vec!["indices", "inform", "--input", t];
        all.extend(args);
        let o = attache(&all);
        assert!(!o.status.success(), "{all:?}");
        assert!(stderr(&o).contains(says), "{all:?}: {}", stderr(&o));
    }
}

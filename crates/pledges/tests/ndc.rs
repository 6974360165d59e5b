//! Reading NDC targets from the coded texts, and the edit grammar.
//!
//! The texts are verbatim cells of the mirror's `ndc/ndc-content-klimalog-die-gdi.csv`
//! (`type_of_target_details`) and `ndc/ndc-content-cait.csv` (`ghg_target`,
//! `ghg_target_type`, `reference_base_year`, `time_target_year`).

use attache_pledges::PledgeError;
use attache_pledges::ndc::{NdcTexts, apply_edit, read_pledge, read_target};

fn check(klimalog: &str, cait: [&str; 4], expect: &str) {
    let t = NdcTexts {
        klimalog: klimalog.into(),
        cait_target: cait[0].into(),
        cait_type: cait[1].into(),
        cait_base_year: cait[2].into(),
        cait_target_year: cait[3].into(),
        cait_long_term: String::new(),
    };
    let p = read_pledge(&t);
    assert_eq!(p.describe(), expect, "{klimalog:?} / {cait:?}");
}

const NONE: [&str; 4] = ["", "", "", ""];

#[test]
fn the_largest_emitters_pledges() {
    check(
        "Peaking target (before 2030) and intensity target (>65% GHG intensity reduction per unit of GDP compared to 2005)",
        NONE,
        "emissions intensity 65% below 2005 by 2030, peak by 2030",
    );
    check(
        "Absolute target: Target to reduce emissions by 50 to 52% by 2030 compared to 2005",
        NONE,
        "50-52% below 2005 by 2030",
    );
    // India and Russia are not coded in Klimalog: CAIT's first NDC is read.
    check(
        "(I)NDC not submitted or not yet included in analysis",
        [
            "33% to 35% reduction in the emissions intensity of its GDP by 2030 compared to 2005 level",
            "Intensity target",
            "2005",
            "2030",
        ],
        "emissions intensity 33-35% below 2005 by 2030",
    );
    check(
        "(I)NDC not submitted or not yet included in analysis",
        [
            "Limit GHG emissions to 70-75% of 1990 levels by 2030",
            "Base year target",
            "1990",
            "1 January 2020 &mdash; 31 December 2030",
        ],
        "25-30% below 1990 by 2030",
    );
    // Japan: Klimalog gives no base year; CAIT's reference_base_year does.
    check(
        "Absolute target: Reduction of emissions by 46% until 2030",
        [
            "26% reduction in GHG emissions by fiscal year (FY) 2030 compared to FY 2013",
            "Base year target",
            "FY 2013 and FY 2005",
            "Target year: Japan&rsquo;s FY 2030",
        ],
        "46% below 2013 by 2030",
    );
    check(
        "(I)NDC not submitted or not yet included in analysis",
        [
            "4% (unconditional) up to 12% (conditional) reduction in GHG emissions by 2030 compared to the BAU scenario",
            "Baseline scenario target",
            "",
            "Target year: 2030",
        ],
        "4% below business as usual by 2030",
    );
    check(
        "Reduction/limitation compared to business as usual (29% GHG unconditional emissions reduction by 2030)",
        NONE,
        "29% below business as usual by 2030",
    );
    check(
        "Policies and Actions",
        NONE,
        "no quantified target (no quantified economy-wide target in the text)",
    );
    check(
        "Absolute target: 40-45% GHG emission reduction in 2030 compared to 2005 (net zero by 2050)",
        NONE,
        "40-45% below 2005 by 2030, net zero 2050",
    );
    check(
        "Absolute target (net domestic reduction of at least 55% in GHG emissions by 2030 compared to 1990)",
        NONE,
        "55% below 1990 by 2030",
    );
}

#[test]
fn levels_periods_and_typos() {
    check(
        "Absolute target (annual GHG emissions ranging from 398-510 Mt CO2 by 2025 and from 350-420 MtCO2-eq by 2030)",
        NONE,
        "350-420 Mt CO2e by 2030",
    );
    check(
        "Absolute target (not exceed net emissions of 349 MtCO2eq in 2030)",
        NONE,
        "349 Mt CO2e by 2030",
    );
    check(
        "Reduction/limitation compared to business as usual (20.15% emissions reduction in the period 2021-2030)",
        NONE,
        "20.15% below business as usual by 2030",
    );
    check("Peaking target (2025)", NONE, "peak by 2025");
    // "usul": the publisher's typo still reads as business as usual (no percentage here).
    check(
        "Reduction/limitation compared to business as usul (143 MtCO2e by 2030)",
        NONE,
        "no quantified target (BAU target without a percentage)",
    );
    assert!(!read_target("", None, None).is_quantified());
}

fn edit(prev: Option<&str>, spec: &str, expect: Result<&str, &str>) {
    let prev = prev.map(|t| read_target(t, None, None));
    match (apply_edit(prev.as_ref(), spec), expect) {
        (Ok(p), Ok(want)) => assert_eq!(p.describe(), want, "{spec}"),
        (Err(PledgeError::BadEdit { reason, .. }), Err(want)) => {
            assert!(reason.contains(want), "{spec}: {reason:?} lacks {want:?}")
        }
        (got, want) => panic!("{spec}: got {got:?}, expected {want:?}"),
    }
}

#[test]
fn edits() {
    let usa =
        Some("Absolute target: Target to reduce emissions by 50 to 52% by 2030 compared to 2005");
    edit(
        usa,
        "netzero:2050",
        Ok("50-52% below 2005 by 2030, net zero 2050"),
    );
    edit(
        usa,
        "base:2005,cut:60,by:2030",
        Ok("60% below 2005 by 2030"),
    );
    edit(
        None,
        "peak:2025,decline:3,netzero:2060",
        Ok("peak by 2025, then -3.0%/yr, net zero 2060"),
    );
    edit(
        None,
        "bau:37,by:2030",
        Ok("37% below business as usual by 2030"),
    );
    edit(
        None,
        "intensity:45,base:2005,by:2030",
        Ok("emissions intensity 45% below 2005 by 2030"),
    );
    edit(None, "level:900,by:2035", Ok("900 Mt CO2 by 2035"));
    edit(
        usa,
        "none",
        Ok("no quantified target (set to none by edit)"),
    );
    edit(None, "cut:50,by:2030", Err("cut needs base:YEAR"));
    edit(None, "bau:20", Err("a target needs by:YEAR"));
    edit(None, "cut:150,base:2005,by:2030", Err("outside 0..100"));
    edit(None, "peak:1850", Err("outside 1990..2100"));
    edit(None, "speed:3", Err("unknown key `speed`"));
}

//! World Bank WDI series that sit behind an SDG goal, with what they say since 2015.
//!
//! The SDR scores a goal from its own indicator set, which the published tables do not
//! include; these WDI series are shown beside a goal's score as context a reader can check,
//! not as the inputs of that score. Each is tied to the UN global indicator framework
//! (A/RES/71/313, as revised) where it measures an official indicator (`1.1.1` and so on), or
//! marked as context where it does not.
//!
//! **Arrows only where the target is a number.** Where the SDG target states one (extreme
//! poverty eradicated, hunger ended, under-5 mortality at most 25 per 1,000 live births,
//! universal access to electricity) the SDR's trend rule ([`super::trend`]) is applied to the
//! series with that target for 2030. Elsewhere only the direction since 2015 is stated
//! (improving or worsening by the series' own "better" direction), with no judgement of pace.

use super::normalise::Better;
use super::trend::{Arrow, TrendRule, trend};
use crate::IndexError;

/// One WDI series and the goal it informs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WdiIndicator {
    pub goal: usize,
    /// The WDI code, as stored in the `indicators` table.
    pub code: &'static str,
    /// The UN SDG indicator it measures, or "context".
    pub sdg: &'static str,
    pub name: &'static str,
    pub better: Better,
    /// The 2030 value the SDG target states, if it states one.
    pub target: Option<f64>,
    /// Why this target (the target's wording and any reading of the data it needs).
    pub target_note: &'static str,
}

/// The WDI series the store holds that inform a goal.
pub const BEHIND_GOALS: &[WdiIndicator] = &[
    WdiIndicator {
        goal: 1,
        code: "SI.POV.DDAY",
        sdg: "1.1.1",
        name: "Poverty headcount ratio at $2.15 a day (2017 PPP), % of population",
        better: Better::Lower,
        target: Some(0.0),
        target_note: "Target 1.1: eradicate extreme poverty by 2030",
    },
    WdiIndicator {
        goal: 2,
        code: "SN.ITK.DEFC.ZS",
        sdg: "2.1.1",
        name: "Prevalence of undernourishment, % of population",
        better: Better::Lower,
        target: Some(2.5),
        target_note: "Target 2.1: end hunger by 2030; FAO reports any rate below 2.5% as 2.5, so 2.5 is the lowest value the series can show",
    },
    WdiIndicator {
        goal: 3,
        code: "SH.DYN.MORT",
        sdg: "3.2.1",
        name: "Under-5 mortality rate, per 1,000 live births",
        better: Better::Lower,
        target: Some(25.0),
        target_note: "Target 3.2: under-5 mortality at least as low as 25 per 1,000 live births by 2030",
    },
    WdiIndicator {
        goal: 3,
        code: "SP.DYN.IMRT.IN",
        sdg: "context",
        name: "Infant mortality rate, per 1,000 live births",
        better: Better::Lower,
        target: None,
        target_note: "",
    },
    WdiIndicator {
        goal: 3,
        code: "SP.DYN.LE00.IN",
        sdg: "context",
        name: "Life expectancy at birth, years",
        better: Better::Higher,
        target: None,
        target_note: "",
    },
    WdiIndicator {
        goal: 7,
        code: "EG.ELC.ACCS.ZS",
        sdg: "7.1.1",
        name: "Access to electricity, % of population",
        better: Better::Higher,
        target: Some(100.0),
        target_note: "Target 7.1: universal access to modern energy services by 2030",
    },
    WdiIndicator {
        goal: 7,
        code: "EG.FEC.RNEW.ZS",
        sdg: "7.2.1",
        name: "Renewable energy share of total final energy consumption, %",
        better: Better::Higher,
        target: None,
        target_note: "",
    },
    WdiIndicator {
        goal: 8,
        code: "SL.UEM.TOTL.ZS",
        sdg: "8.5.2",
        name: "Unemployment, % of labour force (ILO modelled estimate)",
        better: Better::Lower,
        target: None,
        target_note: "",
    },
    WdiIndicator {
        goal: 10,
        code: "SI.POV.GINI",
        sdg: "context",
        name: "Gini index",
        better: Better::Lower,
        target: None,
        target_note: "",
    },
    WdiIndicator {
        goal: 10,
        code: "SM.POP.REFG.OR",
        sdg: "10.7.4 (a count, not the share of population)",
        name: "Refugee population by country or territory of origin",
        better: Better::Lower,
        target: None,
        target_note: "",
    },
    WdiIndicator {
        goal: 13,
        code: "EN.ATM.GHGT.KT.CE",
        sdg: "13.2.2",
        name: "Total greenhouse gas emissions, kt of CO2 equivalent",
        better: Better::Lower,
        target: None,
        target_note: "",
    },
    WdiIndicator {
        goal: 13,
        code: "EN.ATM.CO2E.PC",
        sdg: "context",
        name: "CO2 emissions, metric tons per capita",
        better: Better::Lower,
        target: None,
        target_note: "",
    },
];

/// What one series says since 2015.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndicatorStatus {
    /// The latest (year, value).
    pub latest: Option<(i32, f64)>,
    /// The first (year, value) from 2015 on.
    pub base: Option<(i32, f64)>,
    /// Change per year from `base` to `latest`.
    pub per_year: Option<f64>,
    /// Whether that change goes the series' better way (`None`: no change measurable).
    pub improving: Option<bool>,
    /// The SDR trend arrow against the stated target (only where the target is a number).
    pub arrow: Option<Arrow>,
}

impl IndicatorStatus {
    /// The direction since 2015 in words.
    pub fn direction(&self) -> &'static str {
        match (self.base, self.per_year, self.improving) {
            (None, _, _) => "no value since 2015",
            (Some(_), None, _) => "one value since 2015",
            (_, _, Some(true)) => "improving",
            (_, _, Some(false)) => "worsening",
            (_, Some(_), None) => "unchanged",
        }
    }
}

/// The status of `ind` from its (year, value) series (any order). Fails on a non-finite value.
pub fn status(ind: &WdiIndicator, series: &[(i32, f64)]) -> Result<IndicatorStatus, IndexError> {
    if let Some((y, v)) = series.iter().find(|(_, v)| !v.is_finite()) {
        return Err(IndexError::Invalid(format!(
            "{} in {y}: {v} is not a finite number",
            ind.code
        )));
    }
    let latest = series.iter().copied().max_by_key(|(y, _)| *y);
    let base = series
        .iter()
        .copied()
        .filter(|(y, _)| *y >= 2015)
        .min_by_key(|(y, _)| *y);
    let per_year = match (base, latest) {
        (Some((y0, v0)), Some((y1, v1))) if y1 > y0 => Some((v1 - v0) / f64::from(y1 - y0)),
        _ => None,
    };
    let improving = per_year.filter(|r| *r != 0.0).map(|r| match ind.better {
        Better::Higher => r > 0.0,
        Better::Lower => r < 0.0,
    });
    let arrow = match ind.target {
        Some(target) => Some(trend(
            series,
            &TrendRule {
                base_year: 2015,
                target_year: 2030,
                target,
                better: ind.better,
            },
        )?),
        None => None,
    };
    Ok(IndicatorStatus {
        latest,
        base,
        per_year,
        improving,
        arrow,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by(code: &str) -> &'static WdiIndicator {
        BEHIND_GOALS.iter().find(|i| i.code == code).unwrap()
    }

    /// One helper per feature: a series in, the status's (per_year, improving, arrow) out.
    fn check(
        code: &str,
        series: &[(i32, f64)],
        expect: (Option<f64>, Option<bool>, Option<Arrow>),
    ) {
        let s = status(by(code), series).unwrap();
        assert_eq!(
            (s.per_year, s.improving, s.arrow),
            expect,
            "{code} {series:?}"
        );
        let words = match (series.iter().filter(|(y, _)| *y >= 2015).count(), expect.1) {
            (0, _) => "no value since 2015",
            (1, _) => "one value since 2015",
            (_, Some(true)) => "improving",
            (_, Some(false)) => "worsening",
            (_, None) => "unchanged",
        };
        assert_eq!(s.direction(), words, "{code} {series:?}");
    }

    #[test]
    fn statuses() {
        // Under-5 mortality 60 -> 48 from 2015 to 2021: 2 a year down; 25 by 2030 needs
        // 35/15 = 2.33 a year, so more than half the pace: moderately improving.
        check(
            "SH.DYN.MORT",
            &[(2010, 70.0), (2015, 60.0), (2021, 48.0)],
            (Some(-2.0), Some(true), Some(Arrow::ModeratelyImproving)),
        );
        // Already below the target: on track (maintaining).
        check(
            "SH.DYN.MORT",
            &[(2015, 5.0), (2020, 4.0)],
            (Some(-0.2), Some(true), Some(Arrow::OnTrack)),
        );
        // Electricity access falling: decreasing.
        check(
            "EG.ELC.ACCS.ZS",
            &[(2015, 50.0), (2020, 45.0)],
            (Some(-1.0), Some(false), Some(Arrow::Decreasing)),
        );
        // No numeric target: direction only.
        check(
            "SI.POV.GINI",
            &[(2016, 40.0), (2020, 38.0)],
            (Some(-0.5), Some(true), None),
        );
        // One year since 2015: no rate, and the arrow says so.
        check(
            "SI.POV.DDAY",
            &[(2012, 10.0), (2019, 8.0)],
            (None, None, Some(Arrow::InsufficientData)),
        );
        check("EN.ATM.CO2E.PC", &[], (None, None, None));
    }

    #[test]
    fn a_non_finite_value_is_named() {
        let e = status(by("SP.DYN.LE00.IN"), &[(2016, f64::NAN)]).unwrap_err();
        assert!(e.to_string().contains("SP.DYN.LE00.IN in 2016"), "{e}");
    }

    #[test]
    fn every_goal_is_a_goal_and_every_code_is_unique() {
        let mut codes: Vec<_> = BEHIND_GOALS.iter().map(|i| i.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), BEHIND_GOALS.len());
        assert!(BEHIND_GOALS.iter().all(|i| (1..=17).contains(&i.goal)));
    }
}

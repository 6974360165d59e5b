//! Policy scenarios for the gravity simulator ([`crate::simulate`]), written the way a reader
//! says them, so that one string names a scenario on the command line, in a URL and in a
//! decision brief:
//!
//! | text | meaning |
//! |---|---|
//! | `rta-add CAN,MEX,USA` | every pair of distinct members gets a regional trade agreement |
//! | `rta-remove CAN,MEX,USA` | agreements between the members end |
//! | `border-remove DEU,FRA` | the border between members costs no more than trade within a country |
//! | `tariff USA on CHN 25%` | the importers (USA) raise an ad valorem tariff on goods from the exporters (CHN); a negative rate is a cut |
//! | `sanction USA,GBR on IRN` | complete trade sanctions: trade both ways between senders and targets bears the panel's estimated sanction effect |
//! | `sanction-lift USA on IRN` | sanctions in force between them in the baseline year end |
//!
//! Shocks combine with `;` (`rta-remove CAN,MEX,USA; tariff USA on MEX 25%`). Codes are
//! ISO 3166 alpha-3, any case; the simulator checks that each is in its panel. [`Scenario`]'s
//! `Display` writes the canonical form, which parses back to the same scenario.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

/// One policy change.
#[derive(Debug, Clone, PartialEq)]
pub enum Shock {
    /// Every pair of distinct members gets a regional trade agreement (those with one keep it).
    RtaAdd(Vec<String>),
    /// Every agreement between two distinct members ends.
    RtaRemove(Vec<String>),
    /// The border between any two members stops costing more than trade within a country
    /// (the Guide's "trade without borders", for a group).
    BorderRemove(Vec<String>),
    /// The importers raise an ad valorem tariff of `percent` on goods from the exporters.
    Tariff {
        importers: Vec<String>,
        exporters: Vec<String>,
        percent: f64,
    },
    /// Trade sanctions of the senders on the targets (both directions of their trade).
    Sanction {
        senders: Vec<String>,
        targets: Vec<String>,
    },
    /// The senders lift their trade sanctions on the targets.
    SanctionLift {
        senders: Vec<String>,
        targets: Vec<String>,
    },
}

/// A scenario: one or more shocks, applied together.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario(pub Vec<Shock>);

impl Scenario {
    /// Every country code the scenario names, once each, in order of appearance.
    pub fn countries(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for s in &self.0 {
            let lists: Vec<&Vec<String>> = match s {
                Shock::RtaAdd(m) | Shock::RtaRemove(m) | Shock::BorderRemove(m) => vec![m],
                Shock::Tariff {
                    importers,
                    exporters,
                    ..
                } => vec![importers, exporters],
                Shock::Sanction { senders, targets } | Shock::SanctionLift { senders, targets } => {
                    vec![senders, targets]
                }
            };
            for c in lists.into_iter().flatten() {
                if !out.contains(&c.as_str()) {
                    out.push(c);
                }
            }
        }
        out
    }

    /// True when a shock is a tariff (its size depends on the elasticity of substitution).
    pub fn has_tariff(&self) -> bool {
        self.0.iter().any(|s| matches!(s, Shock::Tariff { .. }))
    }

    /// True when a shock removes a border (it needs the estimated border effect).
    pub fn has_border(&self) -> bool {
        self.0.iter().any(|s| matches!(s, Shock::BorderRemove(_)))
    }

    /// True when a shock imposes or lifts a sanction (it needs the estimated sanction effect).
    pub fn has_sanction(&self) -> bool {
        self.0
            .iter()
            .any(|s| matches!(s, Shock::Sanction { .. } | Shock::SanctionLift { .. }))
    }
}

fn join(codes: &[String]) -> String {
    codes.join(",")
}

impl fmt::Display for Shock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shock::RtaAdd(m) => write!(f, "rta-add {}", join(m)),
            Shock::RtaRemove(m) => write!(f, "rta-remove {}", join(m)),
            Shock::BorderRemove(m) => write!(f, "border-remove {}", join(m)),
            Shock::Tariff {
                importers,
                exporters,
                percent,
            } => write!(
                f,
                "tariff {} on {} {percent}%",
                join(importers),
                join(exporters)
            ),
            Shock::Sanction { senders, targets } => {
                write!(f, "sanction {} on {}", join(senders), join(targets))
            }
            Shock::SanctionLift { senders, targets } => {
                write!(f, "sanction-lift {} on {}", join(senders), join(targets))
            }
        }
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, s) in self.0.iter().enumerate() {
            if k > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{s}")?;
        }
        Ok(())
    }
}

/// The forms the module docs list.
pub const SYNTAX: &str = "rta-add A,B,..; rta-remove A,B,..; border-remove A,B,..; tariff IMPORTERS on EXPORTERS RATE%; sanction SENDERS on TARGETS; sanction-lift SENDERS on TARGETS (shocks joined by ';')";

fn codes(scenario: &str, field: &str) -> Result<Vec<String>> {
    let bad = |m: String| Error::Scenario {
        scenario: scenario.to_string(),
        message: m,
    };
    let mut out: Vec<String> = Vec::new();
    for c in field.split(',') {
        let c = c.trim().to_ascii_uppercase();
        if c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(bad(format!(
                "{c:?} is not an ISO 3166 alpha-3 country code"
            )));
        }
        if out.contains(&c) {
            return Err(bad(format!("{c} is named twice in {field:?}")));
        }
        out.push(c);
    }
    Ok(out)
}

fn shock(scenario: &str, text: &str) -> Result<Shock> {
    let bad = |m: String| Error::Scenario {
        scenario: scenario.to_string(),
        message: m,
    };
    let words: Vec<&str> = text.split_whitespace().collect();
    let disjoint = |a: &[String], b: &[String]| -> Result<()> {
        match a.iter().find(|c| b.contains(c)) {
            Some(c) => Err(bad(format!("{c} is on both sides of {text:?}"))),
            None => Ok(()),
        }
    };
    match words.as_slice() {
        [kind @ ("rta-add" | "rta-remove" | "border-remove"), members] => {
            let m = codes(scenario, members)?;
            if m.len() < 2 {
                return Err(bad(format!(
                    "{kind} needs at least two members, got {members:?}"
                )));
            }
            Ok(match *kind {
                "rta-add" => Shock::RtaAdd(m),
                "rta-remove" => Shock::RtaRemove(m),
                _ => Shock::BorderRemove(m),
            })
        }
        ["tariff", importers, "on", exporters, rate] => {
            let (importers, exporters) = (codes(scenario, importers)?, codes(scenario, exporters)?);
            disjoint(&importers, &exporters)?;
            let r = rate
                .strip_suffix('%')
                .ok_or_else(|| bad(format!("tariff rate {rate:?} must end with % (e.g. 25%)")))?;
            let percent: f64 = r
                .parse()
                .map_err(|_| bad(format!("tariff rate {rate:?} is not a number")))?;
            if !percent.is_finite() || percent <= -100.0 || percent > 1000.0 {
                return Err(bad(format!(
                    "tariff rate {rate} must be above -100% and at most 1000%"
                )));
            }
            Ok(Shock::Tariff {
                importers,
                exporters,
                percent,
            })
        }
        [
            kind @ ("sanction" | "sanction-lift"),
            senders,
            "on",
            targets,
        ] => {
            let (senders, targets) = (codes(scenario, senders)?, codes(scenario, targets)?);
            disjoint(&senders, &targets)?;
            Ok(if *kind == "sanction" {
                Shock::Sanction { senders, targets }
            } else {
                Shock::SanctionLift { senders, targets }
            })
        }
        _ => Err(bad(format!(
            "{text:?} is not a shock; the forms are: {SYNTAX}"
        ))),
    }
}

impl FromStr for Scenario {
    type Err = Error;

    fn from_str(s: &str) -> Result<Scenario> {
        let shocks = s
            .split(';')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| shock(s, t))
            .collect::<Result<Vec<_>>>()?;
        if shocks.is_empty() {
            return Err(Error::Scenario {
                scenario: s.to_string(),
                message: format!("no shock; the forms are: {SYNTAX}"),
            });
        }
        Ok(Scenario(shocks))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `expect`: the canonical form, or `err: <part of the message>`.
    fn check(input: &str, expect: &str) {
        let got = match input.parse::<Scenario>() {
            Ok(s) => {
                let back: Scenario = s.to_string().parse().unwrap();
                assert_eq!(back, s, "round trip of {input:?}");
                s.to_string()
            }
            Err(e) => format!("err: {e}"),
        };
        if let Some(part) = expect.strip_prefix("err: ") {
            assert!(got.contains(part), "{input:?}: {got:?} lacks {part:?}");
        } else {
            assert_eq!(got, expect, "{input:?}");
        }
    }

    #[test]
    fn scenarios() {
        check("rta-add can,mex,usa", "rta-add CAN,MEX,USA");
        check("  rta-remove CAN,MEX ", "rta-remove CAN,MEX");
        check("border-remove deu,fra", "border-remove DEU,FRA");
        check("tariff USA on CHN 25%", "tariff USA on CHN 25%");
        check("tariff USA,CAN on CHN -2.5%", "tariff USA,CAN on CHN -2.5%");
        check("sanction USA,GBR on IRN", "sanction USA,GBR on IRN");
        check("sanction-lift usa on irn", "sanction-lift USA on IRN");
        check(
            "rta-remove CAN,MEX,USA; tariff USA on MEX 25%",
            "rta-remove CAN,MEX,USA; tariff USA on MEX 25%",
        );
        check("rta-add USA", "err: at least two members");
        check("rta-add USA,USA", "err: named twice");
        check("tariff USA on CHN 25", "err: must end with %");
        check("tariff USA on CHN -100%", "err: above -100%");
        check("tariff USA on USA 5%", "err: on both sides");
        check("sanction US on IRN", "err: not an ISO 3166");
        check("embargo USA on IRN", "err: is not a shock");
        check(" ; ", "err: no shock");
    }

    #[test]
    fn countries_once_in_order() {
        let s: Scenario = "sanction USA on IRN; tariff IRN,CHN on USA 5%"
            .parse()
            .unwrap();
        assert_eq!(s.countries(), ["USA", "IRN", "CHN"]);
        assert!(s.has_tariff() && s.has_sanction());
    }
}

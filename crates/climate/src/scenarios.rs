//! Built-in emission scenarios, embedded at compile time (no IO): the four RCPs as
//! shipped with FaIR 1.6.4 and the five AR6 SSPs (RCMIP v5.1.0 rows), see
//! `data/scenarios/README.md` for provenance and licences.

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use crate::ClimateError;
use crate::emissions::{Emissions, parse_rcp_csv};
use crate::rcmip::parse_rcmip_csv;

const RCP26: &str = include_str!("../data/scenarios/RCP3PD_EMISSIONS.csv");
const RCP45: &str = include_str!("../data/scenarios/RCP45_EMISSIONS.csv");
const RCP60: &str = include_str!("../data/scenarios/RCP6_EMISSIONS.csv");
const RCP85: &str = include_str!("../data/scenarios/RCP85_EMISSIONS.csv");
const RCMIP_SSP: &str = include_str!("../data/scenarios/rcmip-emissions-ssp-subset.csv");

/// First year of every built-in run (FaIR's pre-industrial start).
pub const START_YEAR: i32 = 1765;

/// A built-in scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scenario {
    /// RCP2.6 (RCP3-PD).
    Rcp26,
    /// RCP4.5.
    Rcp45,
    /// RCP6.0.
    Rcp60,
    /// RCP8.5.
    Rcp85,
    /// SSP1-1.9.
    Ssp119,
    /// SSP1-2.6.
    Ssp126,
    /// SSP2-4.5.
    Ssp245,
    /// SSP3-7.0.
    Ssp370,
    /// SSP5-8.5.
    Ssp585,
}

impl Scenario {
    /// All built-in scenarios.
    pub const ALL: [Scenario; 9] = [
        Scenario::Rcp26,
        Scenario::Rcp45,
        Scenario::Rcp60,
        Scenario::Rcp85,
        Scenario::Ssp119,
        Scenario::Ssp126,
        Scenario::Ssp245,
        Scenario::Ssp370,
        Scenario::Ssp585,
    ];

    /// The five SSPs of IPCC AR6 WG1 SPM.1.
    pub const SSPS: [Scenario; 5] = [
        Scenario::Ssp119,
        Scenario::Ssp126,
        Scenario::Ssp245,
        Scenario::Ssp370,
        Scenario::Ssp585,
    ];

    /// Short id as used on the command line (`rcp45`, `ssp245`).
    pub fn id(self) -> &'static str {
        match self {
            Scenario::Rcp26 => "rcp26",
            Scenario::Rcp45 => "rcp45",
            Scenario::Rcp60 => "rcp60",
            Scenario::Rcp85 => "rcp85",
            Scenario::Ssp119 => "ssp119",
            Scenario::Ssp126 => "ssp126",
            Scenario::Ssp245 => "ssp245",
            Scenario::Ssp370 => "ssp370",
            Scenario::Ssp585 => "ssp585",
        }
    }

    /// Display name (`SSP2-4.5`).
    pub fn label(self) -> &'static str {
        match self {
            Scenario::Rcp26 => "RCP2.6",
            Scenario::Rcp45 => "RCP4.5",
            Scenario::Rcp60 => "RCP6.0",
            Scenario::Rcp85 => "RCP8.5",
            Scenario::Ssp119 => "SSP1-1.9",
            Scenario::Ssp126 => "SSP1-2.6",
            Scenario::Ssp245 => "SSP2-4.5",
            Scenario::Ssp370 => "SSP3-7.0",
            Scenario::Ssp585 => "SSP5-8.5",
        }
    }

    /// The scenario's emissions, 1765..=2500, in FaIR's layout (SSPs with their fossil
    /// CH4 and aviation NOx fractions, as `fair.SSPs` provides them). Each table is parsed
    /// once per process (the rating of every country asks for the benchmarks' many times).
    pub fn emissions(self) -> Result<Emissions, ClimateError> {
        static PARSED: [OnceLock<Result<Emissions, ClimateError>>; 9] =
            [const { OnceLock::new() }; 9];
        let i = Scenario::ALL.iter().position(|s| *s == self).unwrap_or(0);
        PARSED[i].get_or_init(|| self.parse()).clone()
    }

    fn parse(self) -> Result<Emissions, ClimateError> {
        match self {
            Scenario::Rcp26 => parse_rcp_csv(RCP26),
            Scenario::Rcp45 => parse_rcp_csv(RCP45),
            Scenario::Rcp60 => parse_rcp_csv(RCP60),
            Scenario::Rcp85 => parse_rcp_csv(RCP85),
            _ => {
                // The header and this scenario's rows only: the table holds five scenarios,
                // and parsing every number of all of them was most of the time.
                let mut text = String::with_capacity(RCMIP_SSP.len() / 4);
                for (i, line) in RCMIP_SSP.lines().enumerate() {
                    if i == 0 || line.split(',').nth(1) == Some(self.id()) {
                        text.push_str(line);
                        text.push('\n');
                    }
                }
                parse_rcmip_csv(&text)?.emissions(self.id(), START_YEAR)
            }
        }
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Scenario {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm: String = s
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        Scenario::ALL
            .into_iter()
            .find(|sc| sc.id() == norm || (norm == "rcp3pd" && *sc == Scenario::Rcp26))
            .ok_or_else(|| {
                let ids: Vec<&str> = Scenario::ALL.iter().map(|s| s.id()).collect();
                format!("unknown scenario `{s}` (built-in: {})", ids.join(", "))
            })
    }
}

/// The embedded RCP table text of an RCP scenario (for checks against the mirror).
pub fn embedded_text(s: Scenario) -> &'static str {
    match s {
        Scenario::Rcp26 => RCP26,
        Scenario::Rcp45 => RCP45,
        Scenario::Rcp60 => RCP60,
        Scenario::Rcp85 => RCP85,
        _ => RCMIP_SSP,
    }
}

//! Effort sharing: four ways of dividing a global fossil-CO2 level in a year among
//! countries, and each country's fair-share range across them, for global benchmark
//! pathways of four warming levels.
//!
//! Universe: countries with fossil CO2 in the jump-off year `Y0`, a population and a GDP
//! per person (PPP) — others are listed as excluded. `G` is the universe's `Y0` emissions
//! times the benchmark's relative change from `Y0` to the year (global fossil CO2 of the
//! RCMIP SSP that stands for the level). `BAU` is each country's current-policies pathway.
//!
//! - Equal per capita (EPC): `A = G * pop / Σpop`.
//! - Contraction and convergence (C&C, Meyer 2000): shares move linearly from today's
//!   emission shares to population shares by [`CONVERGENCE_YEAR`]: `A = G * share(t)`.
//! - Ability to pay (AP): the reduction below BAU, `R = ΣBAU - G`, is shared in proportion to
//!   `BAU * (GDPpc / GDPpc_world)^(1/3)` (richer countries cut a larger fraction; the cube
//!   root follows the AP studies reviewed by Höhne, den Elzen & Escalante 2014).
//! - Greenhouse Development Rights (GDR, Baer et al. 2008): `R` is shared by the
//!   Responsibility-Capacity Index `RCI = 0.5 * C/ΣC + 0.5 * Resp/ΣResp`, with capacity
//!   `C = pop * max(0, GDPpc - 7500)` and responsibility the cumulative emissions since 1990
//!   times the share of income above the $7,500 development threshold. (Baer et al. use
//!   intra-national income distributions; we have national means only.)

use std::collections::BTreeMap;

use attache_climate::Scenario;

use crate::PledgeError;
use crate::pathway::{Country, Pathway};

/// Year by which C&C shares reach population shares.
pub const CONVERGENCE_YEAR: i32 = 2050;
/// GDR development threshold, $ PPP per person per year.
pub const GDR_THRESHOLD: f64 = 7500.0;

/// An effort-sharing method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// Equal per capita.
    EqualPerCapita,
    /// Contraction and convergence.
    ContractionConvergence,
    /// Ability to pay.
    AbilityToPay,
    /// Greenhouse Development Rights.
    Gdr,
}

impl Method {
    /// All methods.
    pub const ALL: [Method; 4] = [
        Method::EqualPerCapita,
        Method::ContractionConvergence,
        Method::AbilityToPay,
        Method::Gdr,
    ];

    /// Short label.
    pub fn label(self) -> &'static str {
        match self {
            Method::EqualPerCapita => "equal per capita",
            Method::ContractionConvergence => "contraction & convergence",
            Method::AbilityToPay => "ability to pay",
            Method::Gdr => "greenhouse development rights",
        }
    }
}

/// A warming level and the SSP whose global fossil CO2 stands for it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Level {
    /// Label, e.g. "1.5°C".
    pub label: &'static str,
    /// Warming limit, K.
    pub limit: f64,
    /// Benchmark scenario.
    pub scenario: Scenario,
}

/// The four levels of the rating bands (AR6 SPM.1 best estimates of the scenarios: 1.4,
/// 1.8, 2.7, 3.6 K).
pub const LEVELS: [Level; 4] = [
    Level {
        label: "1.5°C",
        limit: 1.5,
        scenario: Scenario::Ssp119,
    },
    Level {
        label: "2°C",
        limit: 2.0,
        scenario: Scenario::Ssp126,
    },
    Level {
        label: "3°C",
        limit: 3.0,
        scenario: Scenario::Ssp245,
    },
    Level {
        label: "4°C",
        limit: 4.0,
        scenario: Scenario::Ssp370,
    },
];

/// Global fossil CO2 of the level's scenario in `year` relative to `y0`.
pub fn benchmark_ratio(level: &Level, y0: i32, year: i32) -> Result<f64, PledgeError> {
    let e = level.scenario.emissions()?;
    let at = |y: i32| {
        e.rows()
            .iter()
            .find(|r| r[0] == f64::from(y))
            .map(|r| r[1])
            .ok_or(PledgeError::Missing {
                iso3: "world".into(),
                what: "benchmark fossil CO2",
                year: y,
            })
    };
    Ok(at(year)? / at(y0)?)
}

/// Latest value at or before `year`.
fn latest(s: &crate::series::Series, year: i32) -> Option<f64> {
    s.0.range(..=year).next_back().map(|(_, v)| *v)
}

/// What the methods need of one country.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Member {
    /// Fossil CO2 in the jump-off year, Mt CO2.
    pub e0: f64,
    /// Population (latest up to the allocation year).
    pub pop: f64,
    /// GDP per person, PPP (latest up to the allocation year).
    pub gdp_pc: f64,
    /// Current-policies emissions in the allocation year, Mt CO2.
    pub bau: f64,
    /// Cumulative fossil CO2 1990..=jump-off, Mt CO2.
    pub cumulative: f64,
}

/// Allocations by country code, Mt CO2.
pub type Allocations = BTreeMap<String, f64>;

/// The countries sharing, with what each method needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Universe {
    /// Jump-off year.
    pub y0: i32,
    /// Allocation year.
    pub year: i32,
    /// Per country.
    pub rows: BTreeMap<String, Member>,
    /// Countries left out and why.
    pub excluded: Vec<(String, String)>,
}

impl Universe {
    /// Builds the universe for allocations in `year` from countries and their
    /// current-policies pathways (BAU).
    pub fn new(countries: &[Country], bau: &BTreeMap<String, Pathway>, y0: i32, year: i32) -> Self {
        let mut rows = BTreeMap::new();
        let mut excluded = Vec::new();
        for c in countries {
            let e0 = c.co2.get(y0);
            let pop = latest(&c.population, year);
            let gdp = latest(&c.gdp_ppp_pc, year);
            let b = bau.get(&c.iso3).and_then(|p| p.at(year));
            match (e0, pop, gdp, b) {
                (Some(e0), Some(pop), Some(gdp), Some(b)) if pop > 0.0 && gdp > 0.0 => {
                    let cumulative = c.co2.sum(1990, y0);
                    rows.insert(
                        c.iso3.clone(),
                        Member {
                            e0,
                            pop,
                            gdp_pc: gdp,
                            bau: b,
                            cumulative,
                        },
                    );
                }
                _ => {
                    let mut miss = Vec::new();
                    if e0.is_none() {
                        miss.push(format!("CO2 {y0}"));
                    }
                    if pop.is_none() {
                        miss.push("population".to_string());
                    }
                    if gdp.is_none() {
                        miss.push("GDP per capita PPP".to_string());
                    }
                    if b.is_none() {
                        miss.push("pathway".to_string());
                    }
                    excluded.push((c.iso3.clone(), format!("missing {}", miss.join(", "))));
                }
            }
        }
        Universe {
            y0,
            year,
            rows,
            excluded,
        }
    }

    /// Emissions of the universe in `y0`.
    pub fn total_y0(&self) -> f64 {
        self.rows.values().map(|r| r.e0).sum()
    }

    /// Allocations (Mt CO2 in `year`) of `global` among the universe by `method`.
    pub fn allocate(&self, method: Method, global: f64) -> Allocations {
        let sum = |f: fn(&Member) -> f64| self.rows.values().map(f).sum::<f64>();
        let pop = sum(|r| r.pop);
        let e0 = sum(|r| r.e0);
        let bau = sum(|r| r.bau);
        let reduction = bau - global;
        let gdp_world = self.rows.values().map(|r| r.pop * r.gdp_pc).sum::<f64>() / pop;
        let t = f64::from(self.year - self.y0) / f64::from((CONVERGENCE_YEAR - self.y0).max(1));
        let t = t.clamp(0.0, 1.0);
        let each = |f: &dyn Fn(&Member) -> f64| -> Allocations {
            self.rows.iter().map(|(k, r)| (k.clone(), f(r))).collect()
        };
        match method {
            Method::EqualPerCapita => each(&|r| global * r.pop / pop),
            Method::ContractionConvergence => each(&|r| {
                let (s, p) = (r.e0 / e0, r.pop / pop);
                global * (s + (p - s) * t)
            }),
            Method::AbilityToPay => {
                let w = |r: &Member| r.bau * (r.gdp_pc / gdp_world).cbrt();
                let wsum: f64 = self.rows.values().map(w).sum();
                each(&|r| r.bau - reduction * w(r) / wsum)
            }
            Method::Gdr => {
                let above = |r: &Member| (r.gdp_pc - GDR_THRESHOLD).max(0.0);
                let cap = |r: &Member| r.pop * above(r);
                let resp = |r: &Member| r.cumulative * above(r) / r.gdp_pc;
                let csum: f64 = self.rows.values().map(cap).sum();
                let rsum: f64 = self.rows.values().map(resp).sum();
                each(&|r| r.bau - reduction * (0.5 * cap(r) / csum + 0.5 * resp(r) / rsum))
            }
        }
    }
}

/// A country's allocations at one warming level.
#[derive(Debug, Clone, PartialEq)]
pub struct FairShare {
    /// The level.
    pub level: Level,
    /// Global level allocated, Mt CO2.
    pub global: f64,
    /// Allocation by method, Mt CO2.
    pub by_method: Vec<(Method, f64)>,
    /// Smallest and largest allocation.
    pub range: (f64, f64),
}

/// One level's allocations by every method.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelAllocations {
    /// The level.
    pub level: Level,
    /// Global emissions allocated, Mt CO2.
    pub global: f64,
    /// Allocations per method.
    pub by_method: Vec<(Method, Allocations)>,
}

/// Every level's allocations, computed once for all countries.
#[derive(Debug, Clone, PartialEq)]
pub struct FairShares {
    /// The universe.
    pub universe: Universe,
    /// Per level.
    pub levels: Vec<LevelAllocations>,
}

impl FairShares {
    /// Allocations for every level and method.
    pub fn compute(universe: Universe) -> Result<Self, PledgeError> {
        let mut levels = Vec::new();
        for level in LEVELS {
            let g = universe.total_y0() * benchmark_ratio(&level, universe.y0, universe.year)?;
            let by_method = Method::ALL
                .iter()
                .map(|m| (*m, universe.allocate(*m, g)))
                .collect();
            levels.push(LevelAllocations {
                level,
                global: g,
                by_method,
            });
        }
        Ok(FairShares { universe, levels })
    }

    /// One country's fair shares (None if outside the universe).
    pub fn of(&self, iso3: &str) -> Option<Vec<FairShare>> {
        self.universe.rows.get(iso3)?;
        Some(
            self.levels
                .iter()
                .map(|la| {
                    let by_method: Vec<(Method, f64)> = la
                        .by_method
                        .iter()
                        .map(|(meth, a)| (*meth, a.get(iso3).copied().unwrap_or(f64::NAN)))
                        .collect();
                    let lo = by_method.iter().map(|x| x.1).fold(f64::INFINITY, f64::min);
                    let hi = by_method
                        .iter()
                        .map(|x| x.1)
                        .fold(f64::NEG_INFINITY, f64::max);
                    FairShare {
                        level: la.level,
                        global: la.global,
                        by_method,
                        range: (lo, hi),
                    }
                })
                .collect(),
        )
    }
}

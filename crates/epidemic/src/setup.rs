//! A run's inputs checked and resolved once: the model, the subpopulations and their
//! network, the seeds (initial infections) and the scenario's levers turned into
//! per-day factors, shared by the deterministic and the stochastic dynamics.
//!
//! Timing: the state recorded as day d is taken at the start of day d, after that day's
//! seeds and one-off vaccinations; the levers active on day d govern the step from d to
//! d + 1.

use std::fmt;
use std::str::FromStr;

use crate::EpidemicError;
use crate::model::Model;
use crate::network::Metapop;
use crate::scenario::{Action, Scenario, Side};

/// Initial infections: `count` people of `place` moved from the susceptible compartment
/// to `compartment` (default: the model's first infectious compartment) at the start of
/// `day`. Text form `PLACE:COUNT[@DAY]`, e.g. `CHN:10@0`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seed {
    /// Subpopulation name.
    pub place: String,
    /// Number of people.
    pub count: u64,
    /// Day offset.
    pub day: u32,
    /// Compartment name; `None` = the first infectious compartment.
    pub compartment: Option<String>,
}

impl FromStr for Seed {
    type Err = EpidemicError;
    fn from_str(text: &str) -> Result<Seed, EpidemicError> {
        let text = text.trim();
        let err = |token: &str, reason: &str| EpidemicError::Seed {
            seed: text.to_string(),
            token: token.to_string(),
            reason: reason.to_string(),
        };
        let (body, day) = match text.split_once('@') {
            Some((b, d)) => (
                b,
                d.parse()
                    .map_err(|_| err(d, "a day is a non-negative whole number"))?,
            ),
            None => (text, 0),
        };
        let (place, count) = body
            .split_once(':')
            .ok_or_else(|| err(body, "expected PLACE:COUNT"))?;
        if place.is_empty()
            || !place
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        {
            return Err(err(place, "a place is letters, digits, _ or ."));
        }
        let count: u64 = count
            .parse()
            .ok()
            .filter(|&c| c > 0)
            .ok_or_else(|| err(count, "a count is a positive whole number"))?;
        Ok(Seed {
            place: place.to_string(),
            count,
            day,
            compartment: None,
        })
    }
}

impl fmt::Display for Seed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}@{}", self.place, self.count, self.day)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Resolved {
    Travel(usize, f64),
    Route(usize, f64),
    Distancing(usize, f64),
    Screen(Side, usize, f64),
    VaccinateDaily(usize, f64),
    VaccinateOnce(usize, f64),
}

/// Lever factors in force on one day.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Active {
    /// Per subpopulation: multiplier of infection rates.
    pub beta: Vec<f64>,
    /// Per subpopulation: vaccination hazard per susceptible per day.
    pub vaccinate: Vec<f64>,
    /// Per link: multiplier of travellers.
    pub link: Vec<f64>,
    /// Per subpopulation: exit and entry detection probabilities.
    pub exit: Vec<f64>,
    pub entry: Vec<f64>,
    pub any_screen: bool,
}

impl Active {
    /// Detection probability of an infectious traveller from `i` to `j`.
    #[inline]
    pub fn screen(&self, i: usize, j: usize) -> f64 {
        1.0 - (1.0 - self.exit[i]) * (1.0 - self.entry[j])
    }
}

/// A validated run: model, network, seeds, levers and horizon.
#[derive(Debug, Clone)]
pub struct Setup {
    pub(crate) model: Model,
    pub(crate) world: Metapop,
    pub(crate) days: u32,
    /// (day, subpopulation, compartment, count), sorted by day.
    pub(crate) seeds: Vec<(u32, usize, usize, u64)>,
    pub(crate) levers: Vec<(Resolved, u32, Option<u32>)>,
    /// Days on which the set of active levers can change (starts and ends), sorted.
    pub(crate) change_days: Vec<u32>,
    /// CSR adjacency: node i's (neighbour, link) in adj[adj_start[i]..adj_start[i+1]],
    /// heaviest link first.
    pub(crate) adj_start: Vec<usize>,
    pub(crate) adj: Vec<(usize, usize)>,
}

impl Setup {
    /// Check and resolve everything a run needs; `days` is the horizon (days 0..=days are
    /// recorded).
    pub fn new(
        model: Model,
        world: Metapop,
        seeds: &[Seed],
        scenario: &Scenario,
        days: u32,
    ) -> Result<Setup, EpidemicError> {
        if days == 0 {
            return Err(EpidemicError::BadOption {
                what: "days",
                value: 0,
                expected: "at least 1",
            });
        }
        let place = |name: &str, context: &dyn fmt::Display| {
            world
                .index(name)
                .ok_or_else(|| EpidemicError::UnknownPlace {
                    context: context.to_string(),
                    place: name.to_string(),
                })
        };
        let mut resolved_seeds = Vec::with_capacity(seeds.len());
        for s in seeds {
            let i = place(&s.place, &format!("seed {s}"))?;
            let c = match &s.compartment {
                Some(name) => {
                    model
                        .index(name)
                        .ok_or_else(|| EpidemicError::UnknownCompartment {
                            context: format!("seed {s}"),
                            name: name.clone(),
                        })?
                }
                None => model.seed_compartment(),
            };
            resolved_seeds.push((s.day, i, c, s.count));
        }
        resolved_seeds.sort_by_key(|s| s.0);

        let mut levers = Vec::with_capacity(scenario.levers.len());
        let mut change_days = vec![0];
        for lever in &scenario.levers {
            let ctx = format!("lever {lever}");
            let needs_removed = || {
                model.removed().map(|_| ()).ok_or(EpidemicError::NoRemoved {
                    lever: lever.to_string(),
                })
            };
            let r = match &lever.action {
                Action::Travel { place: p, factor } => Resolved::Travel(place(p, &ctx)?, *factor),
                Action::Route { a, b, factor } => {
                    let (ia, ib) = (place(a, &ctx)?, place(b, &ctx)?);
                    let link =
                        world
                            .mobility()
                            .link(ia, ib)
                            .ok_or_else(|| EpidemicError::NoRoute {
                                lever: lever.to_string(),
                                a: a.clone(),
                                b: b.clone(),
                            })?;
                    Resolved::Route(link, *factor)
                }
                Action::Distancing { place: p, factor } => {
                    Resolved::Distancing(place(p, &ctx)?, *factor)
                }
                Action::Screen {
                    side,
                    place: p,
                    fraction,
                } => {
                    needs_removed()?;
                    Resolved::Screen(*side, place(p, &ctx)?, *fraction)
                }
                Action::Vaccinate {
                    place: p,
                    fraction,
                    daily,
                } => {
                    needs_removed()?;
                    let i = place(p, &ctx)?;
                    if *daily {
                        Resolved::VaccinateDaily(i, -(1.0 - fraction).ln())
                    } else {
                        Resolved::VaccinateOnce(i, *fraction)
                    }
                }
            };
            change_days.push(lever.start);
            if let Some(e) = lever.end {
                change_days.push(e);
            }
            levers.push((r, lever.start, lever.end));
        }
        change_days.sort_unstable();
        change_days.dedup();

        let n = world.len();
        let links = world.mobility().links();
        let mut per_node: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
        for (l, &(a, b, _)) in links.iter().enumerate() {
            per_node[a].push((b, l));
            per_node[b].push((a, l));
        }
        let mut adj_start = Vec::with_capacity(n + 1);
        let mut adj = Vec::with_capacity(2 * links.len());
        adj_start.push(0);
        for mut list in per_node {
            list.sort_by(|x, y| links[y.1].2.total_cmp(&links[x.1].2).then(x.0.cmp(&y.0)));
            adj.extend(list);
            adj_start.push(adj.len());
        }
        Ok(Setup {
            model,
            world,
            days,
            seeds: resolved_seeds,
            levers,
            change_days,
            adj_start,
            adj,
        })
    }

    /// The model.
    pub fn model(&self) -> &Model {
        &self.model
    }
    /// The subpopulations and network.
    pub fn world(&self) -> &Metapop {
        &self.world
    }
    /// The horizon in days.
    pub fn days(&self) -> u32 {
        self.days
    }

    pub(crate) fn new_active(&self) -> Active {
        let n = self.world.len();
        Active {
            beta: vec![1.0; n],
            vaccinate: vec![0.0; n],
            link: vec![1.0; self.world.mobility().links().len()],
            exit: vec![0.0; n],
            entry: vec![0.0; n],
            any_screen: false,
        }
    }

    /// Whether the active levers can differ between day - 1 and day.
    pub(crate) fn changes_on(&self, day: u32) -> bool {
        self.change_days.binary_search(&day).is_ok()
    }

    /// The first day after `day` at whose start something can change (a seed lands, a
    /// lever starts or ends, a one-off vaccination), or the horizon if none comes before it:
    /// over the days in between, the state follows the ODE with `day`'s levers.
    pub(crate) fn next_change(&self, day: u32) -> u32 {
        let seed = self.seeds[self.seeds.partition_point(|s| s.0 <= day)..]
            .first()
            .map(|s| s.0);
        let lever = self.change_days[self.change_days.partition_point(|&c| c <= day)..]
            .first()
            .copied();
        [seed, lever]
            .into_iter()
            .flatten()
            .fold(self.days, u32::min)
    }

    /// Fill `a` with the factors in force on `day` (no allocation).
    pub(crate) fn fill_active(&self, day: u32, a: &mut Active) {
        a.beta.fill(1.0);
        a.vaccinate.fill(0.0);
        a.link.fill(1.0);
        a.exit.fill(0.0);
        a.entry.fill(0.0);
        a.any_screen = false;
        let links = self.world.mobility().links();
        for &(r, start, end) in &self.levers {
            if day < start || end.is_some_and(|e| day >= e) {
                continue;
            }
            match r {
                Resolved::Travel(i, f) => {
                    for k in self.adj_start[i]..self.adj_start[i + 1] {
                        a.link[self.adj[k].1] *= f;
                    }
                }
                Resolved::Route(l, f) => a.link[l] *= f,
                Resolved::Distancing(i, f) => a.beta[i] *= f,
                Resolved::Screen(side, i, f) => {
                    let s = match side {
                        Side::Exit => &mut a.exit[i],
                        Side::Entry => &mut a.entry[i],
                    };
                    *s = 1.0 - (1.0 - *s) * (1.0 - f);
                    a.any_screen |= f > 0.0;
                }
                Resolved::VaccinateDaily(i, h) => a.vaccinate[i] += h,
                Resolved::VaccinateOnce(..) => {}
            }
        }
        debug_assert_eq!(a.link.len(), links.len());
    }

    /// One-off vaccinations on `day`: (subpopulation, fraction of susceptibles).
    pub(crate) fn once_on(&self, day: u32) -> impl Iterator<Item = (usize, f64)> + '_ {
        self.levers
            .iter()
            .filter_map(move |&(r, start, _)| match r {
                Resolved::VaccinateOnce(i, f) if start == day => Some((i, f)),
                _ => None,
            })
    }

    /// Seeds on `day`.
    pub(crate) fn seeds_on(&self, day: u32) -> impl Iterator<Item = (usize, usize, u64)> + '_ {
        let lo = self.seeds.partition_point(|s| s.0 < day);
        self.seeds[lo..]
            .iter()
            .take_while(move |s| s.0 == day)
            .map(|&(_, i, c, n)| (i, c, n))
    }
}

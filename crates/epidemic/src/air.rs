//! The mobility network from the world's air routes: OpenFlights airports and routes
//! grouped into countries (or kept as airports), populations from the World Bank (WDI
//! SP.POP.TOTL), or a passenger matrix a user supplies. No IO: the store reads the rows
//! (`attache_store::epidemic_inputs`) and passes them here.
//!
//! **Route weights.** OpenFlights lists routes (one row per airline, origin and destination
//! airport, as of June 2014), not seats or passengers. The proxy: every route carries the same
//! number of passengers a day, calibrated so all routes together carry the world's scheduled
//! passengers of 2014, 3.3 billion a year (ICAO, "Continuing Traffic Growth and Record Airline
//! Profits Highlight 2014 Air Transport Results", press release of 22 December 2014):
//! [`WORLD_PASSENGERS_2014`] / 365 / (routes with both airports known), about 133 passengers a
//! route a day. A pair of places served by more airlines thus carries more. A country pair's
//! daily travellers are the international routes between them times that constant; the flux
//! model needs the same count both ways, so the two directions are averaged
//! ([`crate::Mobility`]). Domestic routes join airports of one country (airport level only).
//!
//! **Subpopulations.** Countries: every country with a population, keyed by ISO3 (those
//! without an airport in the data are isolated). Airports: every airport with a route, its
//! population a catchment proxy: its country's population shared among the country's airports
//! in proportion to their route ends.
//!
//! **A cap.** No subpopulation may send more than [`MAX_DAILY_SHARE`] of its people a day
//! (small territories with large hubs would otherwise send more than they have); the links of
//! one that would are scaled down, and the network's notes say which.

use std::collections::{BTreeMap, BTreeSet};

use attache_core::{Crosswalk, Scheme};

use crate::EpidemicError;
use crate::network::{Metapop, Mobility};
use crate::scenario::{Action, Lever};

/// Scheduled passengers worldwide in 2014 (ICAO press release, 22 December 2014: "3.3
/// billion"), the year OpenFlights' routes were frozen.
pub const WORLD_PASSENGERS_2014: f64 = 3.3e9;

/// The largest share of a subpopulation that may travel on one day.
pub const MAX_DAILY_SHARE: f64 = 0.05;

/// One airport row.
#[derive(Debug, Clone, PartialEq)]
pub struct Airport {
    /// OpenFlights airport id.
    pub id: i64,
    /// Resolved ISO3 country (rows without one are not used).
    pub iso3: String,
    /// IATA code (`None` when OpenFlights has none).
    pub iata: Option<String>,
    /// ICAO code.
    pub icao: Option<String>,
    /// Degrees north.
    pub latitude: f64,
    /// Degrees east.
    pub longitude: f64,
}

/// One route row: airline route from one airport to another (OpenFlights ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    /// Origin airport id.
    pub from: i64,
    /// Destination airport id.
    pub to: i64,
}

/// What the store reads for a network.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AirInputs {
    /// Airports with a resolved country.
    pub airports: Vec<Airport>,
    /// Routes.
    pub routes: Vec<Route>,
    /// ISO3 -> (population, year of the figure).
    pub population: BTreeMap<String, (u64, i32)>,
}

/// Countries or airports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// One subpopulation per country (ISO3).
    Countries,
    /// One subpopulation per airport with a route (IATA, else ICAO, else `AP<id>`).
    Airports,
}

/// Where a subpopulation is.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Its name in the network (ISO3 or airport code).
    pub name: String,
    /// Its country.
    pub iso3: String,
    /// Location: the airport, or a country's busiest airport (`None`: no airport).
    pub location: Option<(f64, f64)>,
}

/// A network built from data, with what a reader should know about it.
#[derive(Debug, Clone)]
pub struct AirNetwork {
    /// Subpopulations, populations and mobility.
    pub world: Metapop,
    /// One per subpopulation, in network order.
    pub places: Vec<Place>,
    /// Passengers a route carries a day (0 for a passenger matrix).
    pub per_route: f64,
    /// What was dropped, capped or assumed, in words.
    pub notes: Vec<String>,
}

impl AirNetwork {
    /// The subpopulations of a country: itself at country level, its airports at airport
    /// level (busiest first).
    pub fn of_country(&self, iso3: &str) -> Vec<usize> {
        let mut v: Vec<usize> = (0..self.places.len())
            .filter(|&i| self.places[i].iso3 == iso3)
            .collect();
        let out = self.world.mobility().outflow();
        v.sort_by(|&a, &b| out[b].total_cmp(&out[a]).then(a.cmp(&b)));
        v
    }

    /// A name as the network knows it: a subpopulation name as is; at airport level an
    /// ISO3 country stands for its airports (busiest first). Empty when unknown.
    pub fn resolve(&self, name: &str) -> Vec<usize> {
        match self.world.index(name) {
            Some(i) => vec![i],
            None => self.of_country(name),
        }
    }

    /// A lever as the network needs it: at airport level a country becomes each of its
    /// airports (a route between two countries, every link between their airports). Names
    /// the network does not know are left as they are (the setup then names them).
    pub fn expand(&self, lever: &Lever) -> Vec<Lever> {
        let names = |p: &str| -> Vec<String> {
            if self.world.index(p).is_some() {
                return vec![p.to_string()];
            }
            let v = self.of_country(p);
            if v.is_empty() {
                vec![p.to_string()]
            } else {
                v.iter().map(|&i| self.world.names()[i].clone()).collect()
            }
        };
        let with = |action: Action| Lever {
            action,
            start: lever.start,
            end: lever.end,
        };
        match &lever.action {
            Action::Travel { place, factor } => names(place)
                .into_iter()
                .map(|place| {
                    with(Action::Travel {
                        place,
                        factor: *factor,
                    })
                })
                .collect(),
            Action::Distancing { place, factor } => names(place)
                .into_iter()
                .map(|place| {
                    with(Action::Distancing {
                        place,
                        factor: *factor,
                    })
                })
                .collect(),
            Action::Screen {
                side,
                place,
                fraction,
            } => names(place)
                .into_iter()
                .map(|place| {
                    with(Action::Screen {
                        side: *side,
                        place,
                        fraction: *fraction,
                    })
                })
                .collect(),
            Action::Vaccinate {
                place,
                fraction,
                daily,
            } => names(place)
                .into_iter()
                .map(|place| {
                    with(Action::Vaccinate {
                        place,
                        fraction: *fraction,
                        daily: *daily,
                    })
                })
                .collect(),
            Action::Route { a, b, factor } => {
                let (na, nb) = (names(a), names(b));
                let mob = self.world.mobility();
                let mut out = Vec::new();
                for x in &na {
                    for y in &nb {
                        let linked = match (self.world.index(x), self.world.index(y)) {
                            (Some(i), Some(j)) => mob.link(i, j).is_some(),
                            _ => false,
                        };
                        if linked {
                            out.push(with(Action::Route {
                                a: x.clone(),
                                b: y.clone(),
                                factor: *factor,
                            }));
                        }
                    }
                }
                if out.is_empty() {
                    // No link: let the setup say so about the names the user gave.
                    out.push(lever.clone());
                }
                out
            }
        }
    }
}

/// One `origin_iso3,destination_iso3,daily_passengers` row of a passenger matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    /// Origin ISO3.
    pub origin: String,
    /// Destination ISO3.
    pub destination: String,
    /// Travellers a day.
    pub daily: f64,
}

/// Parses a passenger matrix: the header `origin_iso3,destination_iso3,daily_passengers`,
/// then one row per directed country pair. Codes resolve through the crosswalk (ISO3);
/// passengers are finite and non-negative; a pair appears once; origin and destination
/// differ. Errors name the line and the value.
pub fn parse_passengers(bytes: &[u8]) -> Result<Vec<Flow>, EpidemicError> {
    let err = |line: usize, value: &str, reason: &str| EpidemicError::Passengers {
        line,
        value: value.to_string(),
        reason: reason.to_string(),
    };
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        err(line, "", "not UTF-8 text")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines().enumerate();
    let header = loop {
        match lines.next() {
            Some((_, l)) if l.trim().is_empty() => continue,
            Some((i, l)) => break (i + 1, l),
            None => return Err(err(1, "", "empty file: expected the header line")),
        }
    };
    let cols: Vec<&str> = header.1.split(',').map(str::trim).collect();
    if cols != ["origin_iso3", "destination_iso3", "daily_passengers"] {
        return Err(err(
            header.0,
            header.1,
            "the header must be origin_iso3,destination_iso3,daily_passengers",
        ));
    }
    let cw = Crosswalk::global();
    let code = |line: usize, s: &str| -> Result<String, EpidemicError> {
        let s = s.trim();
        if s.len() != 3 || !s.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(err(line, s, "not an ISO 3166 alpha-3 code"));
        }
        cw.lookup(Scheme::Iso3, &s.to_ascii_uppercase())
            .map(|c| c.iso3.clone())
            .map_err(|_| err(line, s, "unknown ISO3 country code"))
    };
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (i, l) in lines {
        let line = i + 1;
        if l.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = l.split(',').collect();
        if f.len() != 3 {
            return Err(err(line, l, "expected 3 comma-separated fields"));
        }
        let (o, d) = (code(line, f[0])?, code(line, f[1])?);
        if o == d {
            return Err(err(line, l, "origin and destination are the same country"));
        }
        let v = f[2].trim();
        let daily: f64 = v
            .parse()
            .map_err(|_| err(line, v, "daily_passengers is not a number"))?;
        if !daily.is_finite() || daily < 0.0 {
            return Err(err(
                line,
                v,
                "daily_passengers must be finite and non-negative",
            ));
        }
        if !seen.insert((o.clone(), d.clone())) {
            return Err(err(line, l, "this origin-destination pair is given twice"));
        }
        out.push(Flow {
            origin: o,
            destination: d,
            daily,
        });
    }
    Ok(out)
}

fn airport_name(a: &Airport) -> String {
    a.iata
        .clone()
        .filter(|s| !s.is_empty())
        .or_else(|| a.icao.clone().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| format!("AP{}", a.id))
}

/// Builds the network at `level` from `inputs`, or at country level from a passenger
/// matrix (`flows`, which replaces the routes).
pub fn build(
    inputs: &AirInputs,
    level: Level,
    flows: Option<&[Flow]>,
) -> Result<AirNetwork, EpidemicError> {
    if inputs.population.is_empty() {
        return Err(EpidemicError::NoData(
            "no population figures (WDI SP.POP.TOTL)".into(),
        ));
    }
    let mut notes = Vec::new();
    let airports: BTreeMap<i64, &Airport> = inputs.airports.iter().map(|a| (a.id, a)).collect();
    // Routes whose two airports are known, and those usable (both countries have people).
    let known: Vec<(&Airport, &Airport)> = inputs
        .routes
        .iter()
        .filter_map(|r| Some((*airports.get(&r.from)?, *airports.get(&r.to)?)))
        .filter(|(a, b)| a.id != b.id)
        .collect();
    let dropped_unknown = inputs.routes.len() - known.len();
    let usable: Vec<(&Airport, &Airport)> = known
        .iter()
        .copied()
        .filter(|(a, b)| {
            inputs.population.contains_key(&a.iso3) && inputs.population.contains_key(&b.iso3)
        })
        .collect();
    if dropped_unknown > 0 {
        notes.push(format!(
            "{dropped_unknown} of {} routes name an airport without a known country and are not used",
            inputs.routes.len()
        ));
    }
    if usable.len() < known.len() {
        let missing: BTreeSet<&str> = known
            .iter()
            .flat_map(|(a, b)| [a.iso3.as_str(), b.iso3.as_str()])
            .filter(|c| !inputs.population.contains_key(*c))
            .collect();
        notes.push(format!(
            "{} routes touch places without a WDI population and are not used: {}",
            known.len() - usable.len(),
            missing.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    let per_route = if known.is_empty() {
        0.0
    } else {
        WORLD_PASSENGERS_2014 / 365.0 / known.len() as f64
    };
    // Route ends per airport (busiest airport of a country; catchment shares).
    let mut ends: BTreeMap<i64, u64> = BTreeMap::new();
    for (a, b) in &usable {
        *ends.entry(a.id).or_default() += 1;
        *ends.entry(b.id).or_default() += 1;
    }
    let busiest: BTreeMap<&str, &Airport> = {
        let mut m: BTreeMap<&str, (&Airport, u64)> = BTreeMap::new();
        for (&id, &e) in &ends {
            let a = airports[&id];
            let cur = m.entry(a.iso3.as_str()).or_insert((a, e));
            if e > cur.1 || (e == cur.1 && a.id < cur.0.id) {
                *cur = (a, e);
            }
        }
        m.into_iter().map(|(k, (a, _))| (k, a)).collect()
    };

    let (names, population, places, directed): (Vec<String>, Vec<u64>, Vec<Place>, _) = match level
    {
        Level::Countries => {
            let names: Vec<String> = inputs.population.keys().cloned().collect();
            let index: BTreeMap<&str, usize> = names
                .iter()
                .enumerate()
                .map(|(i, n)| (n.as_str(), i))
                .collect();
            let mut directed: BTreeMap<(usize, usize), f64> = BTreeMap::new();
            match flows {
                Some(flows) => {
                    for f in flows {
                        let get = |c: &str| {
                            index.get(c).copied().ok_or_else(|| {
                                EpidemicError::NoData(format!(
                                    "the passenger matrix names {c}, which has no WDI population"
                                ))
                            })
                        };
                        let (o, d) = (get(&f.origin)?, get(&f.destination)?);
                        *directed.entry((o, d)).or_default() += f.daily;
                    }
                }
                None => {
                    for (a, b) in &usable {
                        if a.iso3 != b.iso3 {
                            *directed
                                .entry((index[a.iso3.as_str()], index[b.iso3.as_str()]))
                                .or_default() += per_route;
                        }
                    }
                }
            }
            let places = names
                .iter()
                .map(|n| Place {
                    name: n.clone(),
                    iso3: n.clone(),
                    location: busiest.get(n.as_str()).map(|a| (a.latitude, a.longitude)),
                })
                .collect();
            let pop = names.iter().map(|n| inputs.population[n].0).collect();
            (names, pop, places, directed)
        }
        Level::Airports => {
            if flows.is_some() {
                return Err(EpidemicError::NoData(
                    "a passenger matrix is between countries: use it with the country network"
                        .into(),
                ));
            }
            let ids: Vec<i64> = ends.keys().copied().collect();
            let index: BTreeMap<i64, usize> =
                ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
            let mut country_ends: BTreeMap<&str, u64> = BTreeMap::new();
            for (&id, &e) in &ends {
                *country_ends.entry(airports[&id].iso3.as_str()).or_default() += e;
            }
            let mut names: Vec<String> = Vec::with_capacity(ids.len());
            let mut seen = BTreeSet::new();
            for &id in &ids {
                let a = airports[&id];
                let mut n = airport_name(a);
                if !seen.insert(n.clone()) {
                    n = format!("AP{id}");
                    seen.insert(n.clone());
                }
                names.push(n);
            }
            let pop: Vec<u64> = ids
                .iter()
                .map(|id| {
                    let a = airports[id];
                    let share = ends[id] as f64 / country_ends[a.iso3.as_str()] as f64;
                    ((inputs.population[&a.iso3].0 as f64 * share).round() as u64).max(1)
                })
                .collect();
            let mut directed: BTreeMap<(usize, usize), f64> = BTreeMap::new();
            for (a, b) in &usable {
                *directed.entry((index[&a.id], index[&b.id])).or_default() += per_route;
            }
            let places = ids
                .iter()
                .zip(&names)
                .map(|(id, n)| {
                    let a = airports[id];
                    Place {
                        name: n.clone(),
                        iso3: a.iso3.clone(),
                        location: Some((a.latitude, a.longitude)),
                    }
                })
                .collect();
            (names, pop, places, directed)
        }
    };
    // Both directions averaged: w_ab = (f_ab + f_ba) / 2.
    let mut links: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for (&(a, b), &f) in &directed {
        *links.entry((a.min(b), a.max(b))).or_default() += 0.5 * f;
    }
    // The cap, applied per link by its tighter end.
    let n = names.len();
    let mut out = vec![0.0; n];
    for (&(a, b), &w) in &links {
        out[a] += w.ceil();
        out[b] += w.ceil();
    }
    let scale: Vec<f64> = (0..n)
        .map(|i| {
            let cap = MAX_DAILY_SHARE * population[i] as f64;
            if out[i] > cap { cap / out[i] } else { 1.0 }
        })
        .collect();
    let capped: Vec<&str> = (0..n)
        .filter(|&i| scale[i] < 1.0)
        .map(|i| names[i].as_str())
        .collect();
    if !capped.is_empty() {
        notes.push(format!(
            "travel capped at {}% of the population a day in {}: {}",
            MAX_DAILY_SHARE * 100.0,
            capped.len(),
            capped.join(", ")
        ));
    }
    let link_list: Vec<(usize, usize, f64)> = links
        .into_iter()
        .map(|((a, b), w)| (a, b, w * scale[a].min(scale[b])))
        .collect();
    let mobility = Mobility::from_links(n, &link_list)?;
    let world = Metapop::new(names, population, mobility)?;
    Ok(AirNetwork {
        world,
        places,
        per_route: if flows.is_some() { 0.0 } else { per_route },
        notes,
    })
}

/// Great-circle distance in km between two (latitude, longitude) points (haversine, mean
/// Earth radius 6,371 km).
pub fn great_circle_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1) = (a.0.to_radians(), a.1.to_radians());
    let (la2, lo2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}

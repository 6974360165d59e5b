//! `attache epidemic`: the cross-border epidemic simulator (`attache-epidemic`) from the command
//! line. `run` prints per day and subpopulation the compartment counts of the deterministic
//! model (or, with `--ensemble N`, per subpopulation the stochastic ensemble's arrival, peak and
//! attack rate); `compare` runs a lever against its baseline (days of delay and cases avoided,
//! 90% intervals); `distance` prints effective distances and the shortest-path tree from an
//! origin. The network is one well-mixed population (`--network none`, no store needed) or the
//! current vintage's air network (`attache_store::epidemic_inputs`, `attache_epidemic::air`).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use attache_core::{Crosswalk, Date};
use attache_epidemic::air::{self, AirNetwork, Level};
use attache_epidemic::calendar::Calendar;
use attache_epidemic::{
    DEFAULT_ATOL, DEFAULT_RTOL, DEFAULT_STEPS_PER_DAY, EnsembleOptions, Integrator, Metapop, Model,
    Quantiles, Scenario, Seed, Setup, When, WhenSummary, integrate, run_ensemble,
};
use clap::{Args, Subcommand, ValueEnum};

use crate::DataDir;

/// Output format.
#[derive(Clone, Copy, Debug, ValueEnum, Default, PartialEq, Eq)]
pub enum Format {
    /// Aligned text for a terminal.
    #[default]
    Table,
    /// Comma-separated values with a header line.
    Csv,
    /// One JSON document.
    Json,
}

#[derive(Subcommand)]
pub enum EpidemicCommand {
    /// Simulate an outbreak: per day and subpopulation the compartment counts (deterministic:
    /// adaptive Dormand-Prince 5(4), or RK4 with 10 steps a day), or with --ensemble N the
    /// stochastic ensemble's arrival day, peak day and attack rate per subpopulation (median
    /// and 90% interval).
    Run(RunArgs),
    /// A lever against the baseline, run by run on the same random streams: per country the
    /// days of delay in arrival and the cases avoided (median and 90% interval).
    Compare(CompareArgs),
    /// Effective distance (Brockmann & Helbing 2013, d = 1 - ln P along each link) and the
    /// shortest-path tree from an origin over the air network.
    Distance(DistanceArgs),
}

/// Which network.
#[derive(Clone, Copy, Debug, ValueEnum, Default, PartialEq, Eq)]
pub enum NetworkKind {
    /// One well-mixed population of --population people (no store needed).
    None,
    /// One subpopulation per country (ISO3) from the store: OpenFlights routes between
    /// countries, WDI populations (or a --passengers matrix).
    #[default]
    Countries,
    /// One subpopulation per airport with a route; its population a share of its country's.
    Airports,
}

/// How the deterministic model is integrated.
#[derive(Clone, Copy, Debug, ValueEnum, Default, PartialEq, Eq)]
pub enum IntegratorKind {
    /// Adaptive Dormand-Prince 5(4), relative tolerance 1e-8, absolute 1e-6 people, dense
    /// output between the days on which levers or seeds change.
    #[default]
    Dopri,
    /// Classical fourth-order Runge-Kutta at 10 fixed steps a day.
    Rk4,
}

/// SIR or SEIR.
#[derive(Clone, Copy, Debug, ValueEnum, Default, PartialEq, Eq)]
pub enum ModelKind {
    Sir,
    #[default]
    Seir,
}

/// The disease, the horizon, the seeding and the levers: shared by `run` and `compare`.
#[derive(Args, Clone)]
pub struct Sim {
    /// Compartmental model.
    #[arg(long, value_enum, default_value_t = ModelKind::Seir)]
    model: ModelKind,
    /// Basic reproduction number R0.
    #[arg(long, allow_negative_numbers = true)]
    r0: f64,
    /// Mean infectious period in days.
    #[arg(long, allow_negative_numbers = true)]
    infectious_days: f64,
    /// Mean latent period in days (SEIR; required there).
    #[arg(long, allow_negative_numbers = true)]
    latent_days: Option<f64>,
    /// Days to simulate (days 0..=N are printed).
    #[arg(long, default_value_t = 365)]
    days: u32,
    /// Network: none (one well-mixed population of --population), countries or airports (from
    /// the synced store).
    #[arg(long, value_enum, default_value_t = NetworkKind::Countries)]
    network: NetworkKind,
    /// Initial infections ISO3:COUNT@YYYY-MM-DD (repeatable; a whole number after @ is a day
    /// offset). Day 0 is --start, else the earliest seed date. Default: 10 infectious people on
    /// day 0 in China (CHN:10@0), or in the one population with --network none
    /// (population:10@0). At airport level a country's seed goes to its busiest airport.
    #[arg(long = "seed", value_name = "ISO3:COUNT@DATE")]
    seeds: Vec<String>,
    /// A lever (repeatable), dates YYYY-MM-DD or day offsets after @: travel:ISO3*FACTOR@DATE,
    /// route:ISO3-ISO3*FACTOR@DATE, distancing:ISO3*FACTOR@DATE..DATE,
    /// screen:exit|entry:ISO3=FRACTION, vaccinate:ISO3=FRACTION[/day]@DATE.
    #[arg(long = "lever", value_name = "SPEC")]
    levers: Vec<String>,
    /// Day 0's date (default: the earliest seed date).
    #[arg(long, value_parser = |s: &str| s.parse::<Date>())]
    start: Option<Date>,
    /// Population of the one well-mixed population (--network none).
    #[arg(long, default_value_t = 1_000_000)]
    population: u64,
    /// A passenger matrix replacing the route proxy (country network): CSV with the header
    /// origin_iso3,destination_iso3,daily_passengers.
    #[arg(long, value_name = "FILE")]
    passengers: Option<PathBuf>,
    #[command(flatten)]
    data: DataDir,
}

#[derive(Args)]
pub struct RunArgs {
    #[command(flatten)]
    sim: Sim,
    /// Stochastic ensemble of N chain-binomial runs: prints per subpopulation the arrival day,
    /// peak day and attack rate (median, 5% and 95%) instead of daily counts.
    #[arg(long, value_name = "N")]
    ensemble: Option<u32>,
    /// Seed of the ensemble's random streams (the same seed gives the same numbers).
    #[arg(long, default_value_t = 1)]
    rng_seed: u64,
    /// Integrator of the deterministic run (without --ensemble).
    #[arg(long, value_enum, default_value_t = IntegratorKind::Dopri)]
    integrator: IntegratorKind,
    /// Print only these subpopulations (comma-separated names or countries).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    show: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Args)]
pub struct CompareArgs {
    #[command(flatten)]
    sim: Sim,
    /// Runs of each ensemble (the lever's and the baseline's).
    #[arg(long, value_name = "N", default_value_t = 200)]
    ensemble: u32,
    /// Seed of the random streams.
    #[arg(long, default_value_t = 1)]
    rng_seed: u64,
    /// Print only these subpopulations (comma-separated names or countries).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    show: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Args)]
pub struct DistanceArgs {
    /// The origin: a country (ISO3 or any code or name `attache country` knows) or, at airport
    /// level, an airport code.
    #[arg(long)]
    from: String,
    /// countries or airports.
    #[arg(long, value_enum, default_value_t = NetworkKind::Countries)]
    network: NetworkKind,
    /// A passenger matrix replacing the route proxy (see `run --passengers`).
    #[arg(long, value_name = "FILE")]
    passengers: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    #[command(flatten)]
    data: DataDir,
}

pub fn run(cmd: EpidemicCommand) -> Result<ExitCode> {
    let out = match cmd {
        EpidemicCommand::Run(a) => run_cmd(&a)?,
        EpidemicCommand::Compare(a) => compare_cmd(&a)?,
        EpidemicCommand::Distance(a) => distance_cmd(&a)?,
    };
    crate::emit(&out);
    Ok(ExitCode::SUCCESS)
}

fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The air network of the current vintage (populations as public on `start`).
fn air_network(
    data: &DataDir,
    level: Level,
    passengers: Option<&PathBuf>,
    start: Option<Date>,
) -> Result<(AirNetwork, String)> {
    let store = data.store()?;
    let v = store.require_current()?;
    let rows = crate::runtime()?
        .block_on(attache_store::epidemic_inputs::air_rows(&v))
        .with_context(|| format!("reading the air network of vintage {}", v.id))?;
    let flows = match passengers {
        Some(p) => {
            let bytes = std::fs::read(p).with_context(|| format!("reading {}", p.display()))?;
            Some(
                air::parse_passengers(&bytes)
                    .with_context(|| format!("--passengers {}", p.display()))?,
            )
        }
        None => None,
    };
    let net = air::build(&rows.as_of(start), level, flows.as_deref())
        .with_context(|| format!("building the network from vintage {}", v.id))?;
    Ok((net, v.id.clone()))
}

/// A name as the network knows it: a subpopulation, else a country code or name through the
/// crosswalk (at airport level: the country's busiest airport). Unknown names stay as given so
/// the setup names them.
fn canon(net: Option<&AirNetwork>, name: &str) -> String {
    let Some(net) = net else {
        return name.to_string();
    };
    if net.world.index(name).is_some() {
        return name.to_string();
    }
    let iso3 = Crosswalk::global()
        .find(name)
        .map(|c| c.iso3.clone())
        .unwrap_or_else(|_| name.to_string());
    match net.world.index(&iso3) {
        Some(_) => iso3,
        None => net
            .of_country(&iso3)
            .first()
            .map_or(name.to_string(), |&i| net.world.names()[i].clone()),
    }
}

fn canon_lever(net: Option<&AirNetwork>, l: &mut attache_epidemic::Lever) {
    use attache_epidemic::Action;
    // At airport level a country stays a country: `expand` makes it its airports.
    let c = |s: &mut String| {
        let iso = canon(net, s);
        if net.is_some_and(|n| n.world.index(&iso).is_some()) {
            *s = iso;
        } else if let Ok(c) = Crosswalk::global().find(s) {
            *s = c.iso3.clone();
        }
    };
    match &mut l.action {
        Action::Travel { place, .. }
        | Action::Distancing { place, .. }
        | Action::Screen { place, .. }
        | Action::Vaccinate { place, .. } => c(place),
        Action::Route { a, b, .. } => {
            c(a);
            c(b);
        }
    }
}

/// Everything a run needs.
struct Prepared {
    setup: Setup,
    baseline: Option<Setup>,
    calendar: Calendar,
    net: Option<AirNetwork>,
    vintage: Option<String>,
}

fn prepare(sim: &Sim, with_baseline: bool) -> Result<Prepared> {
    let model = match sim.model {
        ModelKind::Sir => {
            if sim.latent_days.is_some() {
                bail!("--latent-days is for --model seir (SIR has no latent period)");
            }
            Model::sir(sim.r0, sim.infectious_days)
        }
        ModelKind::Seir => {
            let Some(l) = sim.latent_days else {
                bail!("--model seir needs --latent-days L (or use --model sir)");
            };
            Model::seir(sim.r0, l, sim.infectious_days)
        }
    }
    .context("--r0, --infectious-days or --latent-days")?;
    let calendar = Calendar::from_seeds(sim.start, &sim.seeds).context("--seed")?;
    let (world, net, vintage) = match sim.network {
        NetworkKind::None => {
            if sim.passengers.is_some() {
                bail!("--passengers needs --network countries (a matrix between countries)");
            }
            let w = Metapop::single("population", sim.population)
                .with_context(|| format!("--population {}", sim.population))?;
            (w, None, None)
        }
        kind => {
            let level = if kind == NetworkKind::Airports {
                Level::Airports
            } else {
                Level::Countries
            };
            let (net, id) =
                air_network(&sim.data, level, sim.passengers.as_ref(), calendar.start())?;
            (net.world.clone(), Some(net), Some(id))
        }
    };
    let default_seed = if net.is_some() {
        "CHN:10@0"
    } else {
        "population:10@0"
    };
    let seed_texts: Vec<String> = if sim.seeds.is_empty() {
        vec![default_seed.to_string()]
    } else {
        sim.seeds.clone()
    };
    let mut seeds: Vec<Seed> = Vec::new();
    for t in &seed_texts {
        let mut s = calendar.seed(t).with_context(|| format!("--seed {t:?}"))?;
        s.place = canon(net.as_ref(), &s.place);
        seeds.push(s);
    }
    let mut levers = Vec::new();
    for t in &sim.levers {
        let mut l = calendar
            .lever(t)
            .with_context(|| format!("--lever {t:?}"))?;
        canon_lever(net.as_ref(), &mut l);
        match &net {
            Some(n) => levers.extend(n.expand(&l)),
            None => levers.push(l),
        }
    }
    let none_hint = if net.is_none() {
        " (with --network none the one subpopulation is named `population`)"
    } else {
        ""
    };
    let make = |levers: Vec<attache_epidemic::Lever>| {
        Setup::new(
            model.clone(),
            world.clone(),
            &seeds,
            &Scenario { levers },
            sim.days,
        )
        .with_context(|| format!("setting up the run{none_hint}"))
    };
    let setup = make(levers)?;
    let baseline = if with_baseline {
        Some(make(Vec::new())?)
    } else {
        None
    };
    Ok(Prepared {
        setup,
        baseline,
        calendar,
        net,
        vintage,
    })
}

/// Indices of `--show` names (all when empty).
fn shown(p: &Prepared, show: &[String]) -> Result<Vec<usize>> {
    let world = p.setup.world();
    if show.is_empty() {
        return Ok((0..world.len()).collect());
    }
    let mut out = Vec::new();
    for s in show {
        let idx = match &p.net {
            Some(n) => {
                let c = canon(Some(n), s);
                let mut v = n.resolve(&c);
                if v.is_empty()
                    && let Ok(country) = Crosswalk::global().find(s)
                {
                    v = n.of_country(&country.iso3);
                }
                v
            }
            None => world.index(s).into_iter().collect(),
        };
        if idx.is_empty() {
            bail!("--show {s}: not a subpopulation of this network");
        }
        out.extend(idx);
    }
    Ok(out)
}

fn date_of(cal: &Calendar, day: u32) -> String {
    cal.date(day).map(|d| d.to_string()).unwrap_or_default()
}

fn header_notes(p: &Prepared) -> Vec<String> {
    let mut notes = Vec::new();
    if let (Some(n), Some(v)) = (&p.net, &p.vintage) {
        if n.per_route > 0.0 {
            notes.push(format!(
                "network: {} subpopulations, {} links from store vintage {v}; each OpenFlights route carries {:.1} passengers a day (ICAO 2014: 3.3 billion passengers a year over all routes)",
                n.world.len(),
                n.world.mobility().links().len(),
                n.per_route
            ));
        } else {
            notes.push(format!(
                "network: {} subpopulations, {} links from the passenger matrix; populations from store vintage {v}",
                n.world.len(),
                n.world.mobility().links().len()
            ));
        }
        notes.extend(n.notes.iter().cloned());
    }
    if let Some(s) = p.calendar.start() {
        notes.push(format!("day 0 = {s}"));
    }
    notes
}

fn run_cmd(a: &RunArgs) -> Result<String> {
    let p = prepare(&a.sim, false)?;
    let show = shown(&p, &a.show)?;
    if let Some(n) = a.ensemble {
        if n == 0 {
            bail!("--ensemble 0: an ensemble needs at least one run");
        }
        let e = run_ensemble(
            &p.setup,
            &EnsembleOptions {
                runs: n,
                seed: a.rng_seed,
                threads: threads(),
                track: Vec::new(),
            },
        )
        .context("running the ensemble")?;
        let names = e.names();
        let rows: Vec<Vec<String>> = show
            .iter()
            .map(|&i| {
                let arr = e.arrival(i);
                let peak = e.peak_day(i);
                let ar = e.attack_rate(i);
                vec![
                    names[i].clone(),
                    when(arr.median),
                    when(arr.q05),
                    when(arr.q95),
                    format!("{:.3}", arr.reached),
                    when(peak.median),
                    format!("{:.4}", ar.q50),
                    format!("{:.4}", ar.q05),
                    format!("{:.4}", ar.q95),
                ]
            })
            .collect();
        let cols = [
            "subpop",
            "arrival_median",
            "arrival_p05",
            "arrival_p95",
            "arrival_reached",
            "peak_median",
            "attack_rate_median",
            "attack_rate_p05",
            "attack_rate_p95",
        ];
        let mut notes = header_notes(&p);
        notes.push(format!(
            "stochastic ensemble of {n} runs (rng seed {}); days counted from day 0; `-` = not within {} days",
            a.rng_seed,
            p.setup.days()
        ));
        return render(a.format, &cols, &rows, &notes);
    }
    let (integrator, how) = match a.integrator {
        IntegratorKind::Dopri => (
            Integrator::dormand_prince(),
            format!(
                "adaptive Dormand-Prince 5(4), rtol {DEFAULT_RTOL:e}, atol {DEFAULT_ATOL:e} people"
            ),
        ),
        IntegratorKind::Rk4 => (
            Integrator::rk4(),
            format!("RK4, {DEFAULT_STEPS_PER_DAY} steps a day"),
        ),
    };
    let t = integrate(&p.setup, integrator).context("running the model")?;
    let comps = t.compartments().to_vec();
    let mut cols: Vec<&str> = vec!["day", "date", "subpop"];
    cols.extend(comps.iter().map(String::as_str));
    let mut rows = Vec::with_capacity((t.days() as usize + 1) * show.len());
    for d in 0..=t.days() {
        for &i in &show {
            let mut r = vec![
                d.to_string(),
                date_of(&p.calendar, d),
                t.subpops()[i].clone(),
            ];
            r.extend(t.record(d, i).iter().map(|v| format!("{v:.3}")));
            rows.push(r);
        }
    }
    let mut notes = header_notes(&p);
    notes.push(format!(
        "deterministic ({} model, {how}); counts of people at the start of each day",
        comps.join("")
    ));
    render(a.format, &cols, &rows, &notes)
}

fn when(w: When) -> String {
    match w {
        When::Day(d) => format!("{d:.1}"),
        When::NotReached => "-".into(),
    }
}

fn interval(w: &WhenSummary) -> (String, String, String) {
    (when(w.median), when(w.q05), when(w.q95))
}

fn q3(q: &Quantiles) -> [String; 3] {
    [
        format!("{:.0}", q.q50),
        format!("{:.0}", q.q05),
        format!("{:.0}", q.q95),
    ]
}

fn compare_cmd(a: &CompareArgs) -> Result<String> {
    if a.sim.levers.is_empty() {
        bail!("compare needs at least one --lever SPEC (the baseline is the same run without it)");
    }
    if a.ensemble == 0 {
        bail!("--ensemble 0: an ensemble needs at least one run");
    }
    let p = prepare(&a.sim, true)?;
    let show = shown(&p, &a.show)?;
    let opts = EnsembleOptions {
        runs: a.ensemble,
        seed: a.rng_seed,
        threads: threads(),
        track: Vec::new(),
    };
    let lever = run_ensemble(&p.setup, &opts).context("running the lever's ensemble")?;
    let base = run_ensemble(p.baseline.as_ref().expect("asked for"), &opts)
        .context("running the baseline ensemble")?;
    let cmp = lever.compare(&base).context("comparing")?;
    let names = lever.names();
    let mut order = show.clone();
    let key = |i: usize| match base.arrival(i).median {
        When::Day(d) => d,
        When::NotReached => f64::INFINITY,
    };
    order.sort_by(|&x, &y| key(x).total_cmp(&key(y)).then(x.cmp(&y)));
    let rows: Vec<Vec<String>> = order
        .iter()
        .map(|&i| {
            let e = &cmp.effects[i];
            let (dm, d05, d95) = interval(&e.delay);
            let [cm, c05, c95] = q3(&e.cases_avoided);
            vec![
                names[i].clone(),
                when(base.arrival(i).median),
                when(lever.arrival(i).median),
                dm,
                d05,
                d95,
                e.runs_with_arrival.to_string(),
                format!("{:.3}", e.delay.reached),
                cm,
                c05,
                c95,
            ]
        })
        .collect();
    let cols = [
        "subpop",
        "baseline_arrival_median",
        "lever_arrival_median",
        "delay_median",
        "delay_p05",
        "delay_p95",
        "runs_with_arrival",
        "still_arrives",
        "cases_avoided_median",
        "cases_avoided_p05",
        "cases_avoided_p95",
    ];
    let mut notes = header_notes(&p);
    let [tm, t05, t95] = q3(&cmp.total_cases_avoided);
    notes.push(format!(
        "levers: {}; {} runs each (rng seed {}), run r of the lever against run r of the baseline",
        a.sim.levers.join("; "),
        a.ensemble,
        a.rng_seed
    ));
    notes.push(format!(
        "delay in days over the runs where the baseline arrived (`-`: the lever keeps it out within {} days); still_arrives = share of those runs where it arrives under the lever",
        p.setup.days()
    ));
    notes.push(format!(
        "cases avoided in all subpopulations: median {tm}, 90% interval {t05} to {t95}"
    ));
    render(a.format, &cols, &rows, &notes)
}

fn distance_cmd(a: &DistanceArgs) -> Result<String> {
    let level = match a.network {
        NetworkKind::None => bail!("--network none has one population: no distances to compute"),
        NetworkKind::Countries => Level::Countries,
        NetworkKind::Airports => Level::Airports,
    };
    let (net, vintage) = air_network(&a.data, level, a.passengers.as_ref(), None)?;
    let name = canon(Some(&net), &a.from);
    let origin = net.world.index(&name).with_context(|| {
        format!(
            "--from {}: not a subpopulation of the {} network",
            a.from,
            match level {
                Level::Countries => "country",
                Level::Airports => "airport",
            }
        )
    })?;
    let tree = net.world.mobility().effective_network().tree(origin)?;
    let names = net.world.names();
    let mut order: Vec<usize> = (0..names.len()).collect();
    let key = |i: usize| tree.distance(i).unwrap_or(f64::INFINITY);
    order.sort_by(|&x, &y| key(x).total_cmp(&key(y)).then(x.cmp(&y)));
    let here = net.places[origin].location;
    let rows: Vec<Vec<String>> = order
        .iter()
        .map(|&i| {
            let path = tree.path(i);
            let km = match (here, net.places[i].location) {
                (Some(x), Some(y)) => format!("{:.0}", air::great_circle_km(x, y)),
                _ => String::new(),
            };
            vec![
                names[i].clone(),
                tree.distance(i).map_or("-".into(), |d| format!("{d:.3}")),
                path.as_ref()
                    .map_or("-".into(), |p| (p.len() - 1).to_string()),
                tree.parent(i).map_or(String::new(), |j| names[j].clone()),
                path.map_or(String::new(), |p| {
                    p.iter()
                        .map(|&k| names[k].as_str())
                        .collect::<Vec<_>>()
                        .join(">")
                }),
                km,
            ]
        })
        .collect();
    let cols = ["subpop", "effective_distance", "hops", "via", "path", "km"];
    let notes = vec![
        format!(
            "effective distance from {name} (Brockmann & Helbing 2013, Science 342:1337: d = 1 - ln P_mn along each link, shortest path), store vintage {vintage}; `-` = unreachable"
        ),
        "km: great-circle distance between the places' (busiest) airports".into(),
    ];
    render(a.format, &cols, &rows, &notes)
}

/// Notes and rows as a table (notes as `#` lines above), CSV (no notes) or JSON (`notes` and
/// `rows`, numbers as numbers).
fn render(format: Format, cols: &[&str], rows: &[Vec<String>], notes: &[String]) -> Result<String> {
    let mut s = String::new();
    match format {
        Format::Table => {
            for n in notes {
                let _ = writeln!(s, "# {n}");
            }
            let mut w: Vec<usize> = cols.iter().map(|c| c.len()).collect();
            for r in rows {
                for (k, v) in r.iter().enumerate() {
                    w[k] = w[k].max(v.len());
                }
            }
            let line = |s: &mut String, cells: &mut dyn Iterator<Item = &str>| {
                let parts: Vec<String> = cells
                    .enumerate()
                    .map(|(k, v)| {
                        if k == 0 || v.parse::<f64>().is_err() && v != "-" {
                            format!("{v:<width$}", width = w[k])
                        } else {
                            format!("{v:>width$}", width = w[k])
                        }
                    })
                    .collect();
                let _ = writeln!(s, "{}", parts.join("  ").trim_end());
            };
            line(&mut s, &mut cols.iter().copied());
            for r in rows {
                line(&mut s, &mut r.iter().map(String::as_str));
            }
        }
        Format::Csv => {
            let _ = writeln!(s, "{}", cols.join(","));
            for r in rows {
                let cells: Vec<String> = r
                    .iter()
                    .map(|v| {
                        if v.contains([',', '"', '\n']) {
                            format!("\"{}\"", v.replace('"', "\"\""))
                        } else {
                            v.clone()
                        }
                    })
                    .collect();
                let _ = writeln!(s, "{}", cells.join(","));
            }
        }
        Format::Json => {
            let rows: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    let mut o = serde_json::Map::new();
                    for (c, v) in cols.iter().zip(r) {
                        let text = matches!(*c, "subpop" | "date" | "via" | "path");
                        let val = if v == "-" || v.is_empty() {
                            serde_json::Value::Null
                        } else if text {
                            serde_json::json!(v)
                        } else if let Ok(x) = v.parse::<i64>() {
                            serde_json::json!(x)
                        } else {
                            match v.parse::<f64>() {
                                Ok(x) if x.is_finite() => serde_json::json!(x),
                                _ => serde_json::json!(v),
                            }
                        };
                        o.insert((*c).to_string(), val);
                    }
                    serde_json::Value::Object(o)
                })
                .collect();
            let doc = serde_json::json!({ "notes": notes, "rows": rows });
            s = serde_json::to_string(&doc)?;
            s.push('\n');
        }
    }
    Ok(s)
}

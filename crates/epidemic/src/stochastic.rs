//! Stochastic dynamics: a chain-binomial model in whole people with a step of one day,
//! seeded, with one ChaCha8 stream per (run, subpopulation) ([`crate::sample::stream`]).
//!
//! Each day, in every subpopulation, in this order:
//!
//! 1. *Local transitions.* Everyone in compartment X leaves with probability
//!    1 - exp(-h), h the sum of X's hazards (spontaneous rates; infection hazards
//!    beta·m·Σ I·e_I / N; vaccination), and the leavers are split among the transitions in
//!    proportion to their hazards (a multinomial drawn as sequential binomials). All
//!    hazards use the state at the start of the day. e_I = (1 - exp(-g_I)) / g_I, g_I the
//!    exit rate of I, is the expected fraction of the day an infectious person present at
//!    its start stays infectious; with it, a person's expected number of infections is
//!    beta / g_I, the ODE's R0, despite the one-day step (without it a one-day step would
//!    inflate R0 by g / (1 - exp(-g)), 18% for a 3-day infectious period).
//! 2. *Travel.* Each link carries c travellers each way that day: with C(d) the link's
//!    cumulative flow (daily flow times lever factors, summed from 0.5), c is
//!    floor(C(d + 1)) minus floor(C(d)), so the long-run mean is exact and both
//!    directions carry the same whole number (computed once per ensemble: the lever
//!    schedule is the same in every run). Who travels: of the subpopulation's T daily
//!    travellers, drawn from the compartments that travel (not D), the number in each
//!    infected compartment (E, I) is binomial (sequential binomials of the remaining
//!    seats, a with-replacement approximation of the hypergeometric that is exact to
//!    O(T/N)); in each uninfected one other than the susceptibles (R) it is the
//!    expectation rounded up or down at random (unbiased; their noise does not change who
//!    gets infected, and skipping a binomial there saves about 7% of the run time); all
//!    clamped to what each compartment holds. Then each
//!    compartment's travellers are spread over the links, exactly multinomially when at
//!    most 16 people, by systematic sampling (unbiased, each link within one person of
//!    its share) above; susceptibles fill each link's remaining seats, so every link
//!    carries exactly c. Detected infectious travellers arrive as removed. Every
//!    subpopulation therefore sends and receives the same number of people each day: its
//!    size never changes.
//!
//! The stream of subpopulation i draws its local transitions and its travellers' moves,
//! in a fixed order, so a run depends only on (seed, run) and never on which thread
//! runs it. The inner loop allocates nothing: its scratch is reused across runs.

use rand_chacha::ChaCha8Rng;

use crate::EpidemicError;
use crate::model::Transition;
use crate::output::Trajectory;
use crate::sample::{binomial, one_minus_exp, stream, uniform};
use crate::setup::{Active, Setup};

/// Up to this many travellers of one compartment, links are drawn person by person.
const SMALL: u64 = 16;

/// Draw the numbers of travelling people in uninfected compartments (R) by unbiased
/// rounding rather than binomially (see the module doc).
const ROUND_UNINFECTED: bool = true;

/// Compartments spread by systematic sampling in the fast path.
const LANES: usize = 4;

/// 1 - exp(-h) for a hazard h >= 0, within an ulp of `-expm1(-h)`
/// ([`crate::sample::one_minus_exp`]: a series for small h, which most hazards are, and a
/// table exp above, either a fraction of the library call).
#[inline]
fn leave_probability(h: f64) -> f64 {
    one_minus_exp(h)
}

/// Systematic sampling of `kc` travellers over a subpopulation's links: up to link r (of
/// cumulative seats `cumf[r]`), floor(cumf[r] · scale + shift) of them, all by the last;
/// each link takes what it still has seats for (`rem`), the rest is returned as excess.
/// `arr[at[r]]` counts the arrivals at link r's far end. Kept out of line so that its
/// state stays in registers.
#[inline(never)]
fn spread(
    cumf: &[f64],
    rem: &mut [u64],
    at: &[usize],
    arr: &mut [u64],
    kc: u64,
    scale: f64,
    shift: f64,
) -> u64 {
    let last = cumf.len() - 1;
    let (mut prev, mut excess) = (0u64, 0u64);
    for ((&cf, rm), &to) in cumf[..last].iter().zip(&mut rem[..last]).zip(&at[..last]) {
        // Non-negative and below 2^53: the i64 conversion floors.
        let upto = (((cf * scale + shift) as i64) as u64).min(kc);
        let a = upto - prev;
        prev = upto;
        let give = a.min(*rm);
        *rm -= give;
        excess += a - give;
        arr[to] += give;
    }
    let a = kc - prev;
    let give = a.min(rem[last]);
    rem[last] -= give;
    excess += a - give;
    arr[at[last]] += give;
    excess
}

/// How many of the cumulative seat counts `cumf` are at most `x`: the index of the link
/// holding seat `x`. Counted over all links without branching (the compiler vectorises it).
#[inline]
fn links_ending_by(cumf: &[f64], x: f64) -> usize {
    cumf.iter().map(|&c| usize::from(c <= x)).sum()
}

/// [`spread`] for the first compartment, laying out the seats as it goes: link r of the
/// departing subpopulation (`links[r]`, its seats `caps[links[r].1]`) gets its cumulative
/// seats in `cumf[r]` and its seats left in `rem[r]`. One pass instead of two.
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn spread_first(
    links: &[(usize, usize)],
    caps: &[u32],
    cumf: &mut [f64],
    rem: &mut [u64],
    at: &[usize],
    arr: &mut [u64],
    kc: u64,
    scale: f64,
    shift: f64,
) -> u64 {
    let last = links.len() - 1;
    let (mut cum, mut prev, mut excess) = (0u64, 0u64, 0u64);
    for (((&(_, l), cf), rm), &to) in links[..last]
        .iter()
        .zip(&mut cumf[..last])
        .zip(&mut rem[..last])
        .zip(&at[..last])
    {
        let seats = u64::from(caps[l]);
        cum += seats;
        let c = cum as i64 as f64; // exact: below 2^53
        *cf = c;
        let upto = (((c * scale + shift) as i64) as u64).min(kc);
        let a = upto - prev;
        prev = upto;
        let give = a.min(seats);
        *rm = seats - give;
        excess += a - give;
        arr[to] += give;
    }
    let seats = u64::from(caps[links[last].1]);
    cumf[last] = (cum + seats) as i64 as f64;
    let a = kc - prev;
    let give = a.min(seats);
    rem[last] = seats - give;
    excess += a - give;
    arr[at[last]] += give;
    excess
}

/// What a run reports each day.
pub(crate) trait Observer {
    /// `x[i * k + c]` counts and `inc[i]` new local infections on `day`.
    fn day(&mut self, day: u32, x: &[u64], inc: &[u64]);
    /// Whether every count matters. An observer that reads only infected counts and
    /// incidence answers false: once nobody anywhere can become or make anyone infected
    /// again, the run reports the remaining days with the same counts and no incidence
    /// instead of simulating them (what it then sees is identical: zeros).
    fn needs_every_count(&self) -> bool {
        true
    }
}

#[derive(Debug, Clone, Copy)]
struct Out {
    to: usize,
    rate: f64,
    infector: Option<usize>,
}

/// Per-run scratch: reused across runs so the daily loop allocates nothing.
pub(crate) struct Work {
    x: Vec<u64>,
    inc: Vec<u64>,
    delta: Vec<i64>,
    hz: Vec<f64>,
    kd: Vec<u64>,
    rem: Vec<u64>,
    dep: Vec<u64>,
    arr: Vec<u64>,
    rngs: Vec<ChaCha8Rng>,
    active: Active,
    /// Per link of the departing subpopulation: cumulative seats (whole numbers, as
    /// doubles), seats left.
    cumf: Vec<f64>,
    /// Compartments spread by systematic sampling, with their shift, share, progress.
    large: Vec<usize>,
    shift: Vec<f64>,
    scale: Vec<f64>,
    prev: Vec<u64>,
    excess: Vec<u64>,
}

/// The model and network laid out for the daily loop.
pub(crate) struct Engine<'a> {
    setup: &'a Setup,
    n: usize,
    k: usize,
    pop: Vec<u64>,
    outs: Vec<Out>,
    out_start: Vec<usize>,
    infection_out: Vec<bool>,
    expo: Vec<f64>,
    /// Per compartment: 1 - exp(-exit rate) when its hazards never change (only
    /// spontaneous exits, not the susceptible compartment), else NaN.
    leave: Vec<f64>,
    infectious: Vec<bool>,
    infected: Vec<bool>,
    /// Whether each compartment travels, and those that do not.
    travels: Vec<bool>,
    stationary: Vec<usize>,
    /// Compartments with a spontaneous exit, and infectors: while all are empty (and
    /// nobody is vaccinated) a subpopulation's day has no local transitions.
    movers: Vec<usize>,
    /// Whole travellers on each link each day, [day * n_links + link], the same every
    /// run (the lever schedule is fixed), and their totals per subpopulation.
    caps: Vec<u32>,
    tot: Vec<u64>,
    n_links: usize,
    sus: usize,
    removed: usize,
    max_degree: usize,
    /// Per adjacency entry (as `setup.adj`): where the neighbour's counts start in `x`
    /// (neighbour · compartments).
    adj_at: Vec<usize>,
    /// Compartments from which an infected or infectious one can be reached by spontaneous
    /// transitions: while all are empty everywhere and no seed is due, no infection can
    /// ever happen again.
    watch: Vec<usize>,
    /// Whether a run may stop early for an observer that allows it (not when vaccination
    /// moves people into a watched compartment).
    can_stop: bool,
    last_seed_day: u32,
}

impl<'a> Engine<'a> {
    pub(crate) fn new(setup: &'a Setup) -> Engine<'a> {
        let model = &setup.model;
        let k = model.len();
        let mut outs = Vec::new();
        let mut infection_out = Vec::new();
        let mut out_start = vec![0];
        for c in 0..k {
            for t in model.transitions() {
                match *t {
                    Transition::Spontaneous { from, to, rate } if from == c => {
                        outs.push(Out {
                            to,
                            rate,
                            infector: None,
                        });
                        infection_out.push(false);
                    }
                    Transition::Infection {
                        from,
                        infector,
                        to,
                        rate,
                    } if from == c => {
                        outs.push(Out {
                            to,
                            rate,
                            infector: Some(infector),
                        });
                        infection_out.push(true);
                    }
                    _ => {}
                }
            }
            out_start.push(outs.len());
        }
        let expo = (0..k)
            .map(|c| {
                let g = model.exit_rate(c);
                if g > 0.0 { -libm::expm1(-g) / g } else { 1.0 }
            })
            .collect();
        let leave = (0..k)
            .map(|c| {
                let fixed = c != model.susceptible()
                    && outs[out_start[c]..out_start[c + 1]]
                        .iter()
                        .all(|o: &Out| o.infector.is_none());
                if fixed {
                    -libm::expm1(-model.exit_rate(c))
                } else {
                    f64::NAN
                }
            })
            .collect();
        let n = setup.world.len();
        // Daily whole travellers per link: C(d) = 0.5 + sum of earlier days' flows times
        // lever factors; c(d) = floor(C(d + 1)) - floor(C(d)).
        let links = setup.world.mobility().links();
        let days = setup.days as usize;
        let mut caps = Vec::with_capacity(days * links.len());
        let mut tot = vec![0u64; days * n];
        let mut active = setup.new_active();
        let mut acc: Vec<f64> = vec![0.5; links.len()];
        for d in 0..days {
            if setup.changes_on(d as u32) {
                setup.fill_active(d as u32, &mut active);
            }
            for (l, &(a, b, wt)) in links.iter().enumerate() {
                let next = acc[l] + wt * active.link[l];
                // Non-negative and below 2^53 (Metapop caps a link's flow): floors.
                let c = (next as i64 - acc[l] as i64) as u32;
                acc[l] = next;
                caps.push(c);
                tot[d * n + a] += u64::from(c);
                tot[d * n + b] += u64::from(c);
            }
        }
        let max_degree = (0..n)
            .map(|i| setup.adj_start[i + 1] - setup.adj_start[i])
            .max()
            .unwrap_or(0);
        let mut watch: Vec<bool> = (0..k)
            .map(|c| model.is_infected(c) || model.is_infectious(c))
            .collect();
        loop {
            let mut changed = false;
            for t in model.transitions() {
                if let Transition::Spontaneous { from, to, .. } = *t
                    && watch[to]
                    && !watch[from]
                {
                    watch[from] = true;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        let vaccinates = setup.levers.iter().any(|(r, _, _)| {
            matches!(
                r,
                crate::setup::Resolved::VaccinateDaily(..)
                    | crate::setup::Resolved::VaccinateOnce(..)
            )
        });
        let can_stop = !(watch[model.susceptible()]
            || vaccinates && model.removed().is_some_and(|r| watch[r]));
        let last_seed_day = setup.seeds.last().map_or(0, |s| s.0);
        Engine {
            watch: (0..k).filter(|&c| watch[c]).collect(),
            can_stop,
            last_seed_day,
            setup,
            n,
            k,
            pop: setup.world.population().to_vec(),
            outs,
            out_start,
            infection_out,
            expo,
            leave,
            infectious: (0..k).map(|c| model.is_infectious(c)).collect(),
            infected: (0..k).map(|c| model.is_infected(c)).collect(),
            travels: (0..k).map(|c| model.travels(c)).collect(),
            stationary: (0..k).filter(|&c| !model.travels(c)).collect(),
            movers: (0..k)
                .filter(|&c| model.is_infectious(c) || model.exit_rate(c) > 0.0)
                .collect(),
            caps,
            tot,
            n_links: links.len(),
            sus: model.susceptible(),
            // Only screening and vaccination use it, and Setup refuses them without one.
            removed: model.removed().unwrap_or(model.susceptible()),
            max_degree,
            adj_at: setup.adj.iter().map(|&(j, _)| j * k).collect(),
        }
    }

    pub(crate) fn work(&self) -> Work {
        let (n, k) = (self.n, self.k);
        let max_outs = (0..k)
            .map(|c| self.out_start[c + 1] - self.out_start[c])
            .max()
            .unwrap_or(0);
        Work {
            x: vec![0; n * k],
            inc: vec![0; n],
            delta: vec![0; k],
            hz: vec![0.0; max_outs + 1],
            kd: vec![0; k],
            rem: vec![0; self.max_degree],
            dep: vec![0; n * k],
            arr: vec![0; n * k],
            rngs: (0..n).map(|i| stream(0, 0, i as u64)).collect(),
            active: self.setup.new_active(),
            cumf: vec![0.0; self.max_degree],
            large: vec![0; k],
            shift: vec![0.0; k],
            scale: vec![0.0; k],
            prev: vec![0; k],
            excess: vec![0; k],
        }
    }

    /// One run with `seed` and run index `run`, reporting each day to `obs`.
    pub(crate) fn run(&self, w: &mut Work, seed: u64, run: u64, obs: &mut impl Observer) {
        let (n, k) = (self.n, self.k);
        let setup = self.setup;
        w.x.fill(0);
        for i in 0..n {
            w.x[i * k + self.sus] = self.pop[i];
            w.rngs[i] = stream(seed, run, i as u64);
        }
        w.inc.fill(0);
        for d in 0..=setup.days {
            for (i, c, count) in setup.seeds_on(d) {
                let moved = count.min(w.x[i * k + self.sus]);
                w.x[i * k + self.sus] -= moved;
                w.x[i * k + c] += moved;
            }
            for (i, f) in setup.once_on(d) {
                let moved = binomial(&mut w.rngs[i], w.x[i * k + self.sus], f);
                w.x[i * k + self.sus] -= moved;
                w.x[i * k + self.removed] += moved;
            }
            obs.day(d, &w.x, &w.inc);
            if d == setup.days {
                break;
            }
            if self.can_stop
                && d >= self.last_seed_day
                && !obs.needs_every_count()
                && (0..n).all(|i| self.watch.iter().all(|&c| w.x[i * k + c] == 0))
            {
                w.inc.fill(0);
                for rest in d + 1..=setup.days {
                    obs.day(rest, &w.x, &w.inc);
                }
                return;
            }
            if setup.changes_on(d) {
                setup.fill_active(d, &mut w.active);
            }
            for i in 0..n {
                self.local(w, i);
            }
            self.travel(w, d);
        }
    }

    /// The hazard of one way out of a compartment for a subpopulation with counts `x`: its
    /// rate, or for an infection beta · rate · I · e_I / N (see the module doc).
    #[inline(always)]
    fn hazard(&self, o: &Out, x: &[u64], beta: f64, inv_pop: f64) -> f64 {
        match o.infector {
            Some(j) => o.rate * beta * x[j] as f64 * self.expo[j] * inv_pop,
            None => o.rate,
        }
    }

    fn local(&self, w: &mut Work, i: usize) {
        let k = self.k;
        let base = i * k;
        // Computed while the counts load, off the path to the draws.
        let inv_pop = 1.0 / self.pop[i] as f64;
        let beta = w.active.beta[i];
        let vac = w.active.vaccinate[i];
        if vac <= 0.0 && self.movers.iter().all(|&c| w.x[base + c] == 0) {
            w.inc[i] = 0; // nobody can move: no infectors, nobody with a spontaneous exit
            return;
        }
        let rng = &mut w.rngs[i];
        w.delta.fill(0);
        let mut new_inf = 0u64;
        for c in 0..k {
            let xc = w.x[base + c];
            if xc == 0 {
                continue;
            }
            let outs = &self.outs[self.out_start[c]..self.out_start[c + 1]];
            let infection = &self.infection_out[self.out_start[c]..self.out_start[c + 1]];
            let v = if c == self.sus { vac } else { 0.0 };
            if let [o] = outs
                && v <= 0.0
            {
                // One way out (every compartment of SIR and SEIR): the general path below
                // with nothing to split, the same draw.
                let h = self.hazard(o, &w.x[base..base + k], beta, inv_pop);
                if h <= 0.0 {
                    continue;
                }
                let p = if self.leave[c].is_nan() {
                    leave_probability(h)
                } else {
                    self.leave[c]
                };
                let leave = binomial(rng, xc, p);
                w.delta[c] -= leave as i64;
                w.delta[o.to] += leave as i64;
                if infection[0] {
                    new_inf += leave;
                }
                continue;
            }
            let mut total = 0.0;
            for (m, o) in outs.iter().enumerate() {
                let h = self.hazard(o, &w.x[base..base + k], beta, inv_pop);
                w.hz[m] = h;
                total += h;
            }
            w.hz[outs.len()] = v;
            total += v;
            if total <= 0.0 {
                continue;
            }
            let p = if self.leave[c].is_nan() {
                leave_probability(total)
            } else {
                self.leave[c]
            };
            let leave = binomial(rng, xc, p);
            if leave == 0 {
                continue;
            }
            w.delta[c] -= leave as i64;
            let mut left = leave;
            let mut h_left = total;
            for m in 0..=outs.len() {
                let h = w.hz[m];
                if h <= 0.0 {
                    continue;
                }
                let last = m == outs.len() || (m + 1..=outs.len()).all(|q| w.hz[q] <= 0.0);
                let f = if last {
                    left
                } else {
                    binomial(rng, left, h / h_left)
                };
                h_left -= h;
                left -= f;
                let to = if m == outs.len() {
                    self.removed
                } else {
                    outs[m].to
                };
                w.delta[to] += f as i64;
                if m < outs.len() && infection[m] {
                    new_inf += f;
                }
                if left == 0 {
                    break;
                }
            }
        }
        for c in 0..k {
            w.x[base + c] = (w.x[base + c] as i64 + w.delta[c]) as u64;
        }
        w.inc[i] = new_inf;
    }

    fn travel(&self, w: &mut Work, day: u32) {
        if self.setup.world.mobility().links().is_empty() {
            return;
        }
        let (n, k) = (self.n, self.k);
        for i in 0..n {
            self.depart(w, i, day);
        }
        // Arrivals in, departures out. Susceptibles have neither (they fill the seats the
        // others leave), so their count takes the balance; no branches per compartment.
        let sus = self.sus;
        for ((x, a), d) in
            w.x.chunks_exact_mut(k)
                .zip(w.arr.chunks_exact(k))
                .zip(w.dep.chunks_exact(k))
        {
            let mut s_adj: i64 = 0;
            for ((xc, &ac), &dc) in x.iter_mut().zip(a).zip(d) {
                *xc = *xc + ac - dc;
                s_adj += dc as i64 - ac as i64;
            }
            let s = x[sus] as i64 + s_adj;
            debug_assert!(s >= 0, "susceptibles went negative in travel");
            x[sus] = s.max(0) as u64;
        }
        w.arr.fill(0);
        w.dep.fill(0);
    }

    /// Deliver `count` travellers of compartment `c` from `i` to `j`.
    #[inline(always)]
    fn deliver(&self, w: &mut Work, i: usize, j: usize, c: usize, count: u64) {
        if count == 0 {
            return;
        }
        let mut count = count;
        if w.active.any_screen && self.infectious[c] {
            let s = w.active.screen(i, j);
            if s > 0.0 {
                let det = binomial(&mut w.rngs[i], count, s);
                w.arr[j * self.k + self.removed] += det;
                count -= det;
            }
        }
        if c != self.sus {
            w.arr[j * self.k + c] += count;
        }
    }

    fn depart(&self, w: &mut Work, i: usize, day: u32) {
        let setup = self.setup;
        let (a0, a1) = (setup.adj_start[i], setup.adj_start[i + 1]);
        let deg = a1 - a0;
        let k = self.k;
        let base = i * k;
        // Susceptibles fill the seats the others leave: they need no draws per link.
        let f = self.sus;
        let xf = w.x[base + f];
        let t = self.tot[day as usize * self.n + i];
        if xf == self.pop[i] || t == 0 {
            return; // only susceptibles travel, or nobody: nothing changes anywhere
        }
        let caps = &self.caps[day as usize * self.n_links..(day as usize + 1) * self.n_links];
        // Who travels: T seats split among compartments.
        let mut seats = t;
        let mut pool: u64 =
            self.pop[i] - self.stationary.iter().map(|&c| w.x[base + c]).sum::<u64>();
        for c in 0..k {
            w.kd[c] = 0;
            let xc = w.x[base + c];
            if c == f || xc == 0 || !self.travels[c] {
                continue;
            }
            let kc = if seats == 0 {
                0
            } else if ROUND_UNINFECTED && !self.infected[c] {
                let mean = seats as f64 * (xc as f64 / pool as f64);
                (((mean + uniform(&mut w.rngs[i])) as i64) as u64)
                    .min(xc)
                    .min(seats)
            } else {
                binomial(&mut w.rngs[i], seats, xc as f64 / pool as f64).min(xc)
            };
            w.kd[c] = kc;
            seats -= kc;
            pool -= xc;
        }
        w.kd[f] = seats;
        if seats > xf {
            // Too few susceptibles left to fill the seats: others fill them, stationary
            // compartments only when nobody else is left (the route's count is kept).
            let mut deficit = seats - xf;
            w.kd[f] = xf;
            for pass in [true, false] {
                for c in 0..k {
                    if self.travels[c] == pass {
                        let spare = w.x[base + c] - w.kd[c];
                        let take = spare.min(deficit);
                        w.kd[c] += take;
                        deficit -= take;
                    }
                }
            }
        }
        if (0..k).all(|c| c == f || w.kd[c] == 0) && !(w.active.any_screen && self.infectious[f]) {
            return; // only susceptibles travel today: nothing changes anywhere
        }
        let mut n_large = 0;
        let inv_t = 1.0 / t as f64;
        for c in 0..k {
            let kc = w.kd[c];
            if c != self.sus {
                w.dep[base + c] += kc;
            }
            if c != f && kc > SMALL {
                w.large[n_large] = c;
                w.shift[n_large] = uniform(&mut w.rngs[i]);
                w.scale[n_large] = kc as f64 * inv_t;
                w.prev[n_large] = 0;
                w.excess[n_large] = 0;
                n_large += 1;
            }
        }
        // Many travellers of a compartment: systematic sampling over the links, all such
        // compartments in one pass that also totals the seats. The allocation up to link
        // r, floor(kc · cum_r / T + shift), never decreases along r.
        let mut cum = 0u64;
        let screening = w.active.any_screen;
        if !screening && n_large <= LANES {
            // The common case. The first compartment's pass also lays out the seats:
            // cumulative (as doubles, for the allocations and the few below) and left per
            // link; then one compartment at a time over the links, its state in registers.
            // The same arithmetic, and the same order per link, as the general path below:
            // compartment m at link r sees the seats compartments before it left there.
            let (cumf, rem_s) = (&mut w.cumf[..deg], &mut w.rem[..deg]);
            let at = &self.adj_at[a0..a1];
            if n_large == 0 {
                for ((&(_, l), cf), rm) in setup.adj[a0..a1]
                    .iter()
                    .zip(cumf.iter_mut())
                    .zip(rem_s.iter_mut())
                {
                    let seats = u64::from(caps[l]);
                    cum += seats;
                    *cf = cum as i64 as f64; // exact: below 2^53
                    *rm = seats;
                }
            } else {
                let c = w.large[0];
                let (kc, scale, shift) = (w.kd[c], w.scale[0], w.shift[0]);
                let links = &setup.adj[a0..a1];
                let excess = spread_first(
                    links,
                    caps,
                    cumf,
                    rem_s,
                    at,
                    &mut w.arr[c..],
                    kc,
                    scale,
                    shift,
                );
                w.excess[0] = excess;
                cum = cumf[deg - 1] as u64;
            }
            for m in 1..n_large {
                let c = w.large[m];
                let (kc, scale, shift) = (w.kd[c], w.scale[m], w.shift[m]);
                let excess = spread(cumf, rem_s, at, &mut w.arr[c..], kc, scale, shift);
                w.excess[m] = excess;
            }
        } else {
            for r in 0..deg {
                let (j, l) = setup.adj[a0 + r];
                let mut left = u64::from(caps[l]);
                cum += left;
                w.cumf[r] = cum as i64 as f64; // exact: below 2^53
                let last = r + 1 == deg;
                for m in 0..n_large {
                    let c = w.large[m];
                    let kc = w.kd[c];
                    let upto = if last {
                        kc
                    } else {
                        (((cum as f64 * w.scale[m] + w.shift[m]) as i64) as u64).min(kc)
                    };
                    let a = upto - w.prev[m];
                    w.prev[m] = upto;
                    let give = a.min(left);
                    w.excess[m] += a - give;
                    left -= give;
                    self.deliver(w, i, j, c, give);
                }
                w.rem[r] = left;
            }
        }
        debug_assert_eq!(cum, t);
        for m in 0..n_large {
            let c = w.large[m];
            let mut r = 0;
            while w.excess[m] > 0 {
                let give = w.rem[r].min(w.excess[m]);
                w.rem[r] -= give;
                w.excess[m] -= give;
                self.deliver(w, i, setup.adj[a0 + r].0, c, give);
                r += 1;
            }
        }
        // Few: each picks a link in proportion to its seats (exactly multinomial): seat
        // floor(u·T) is on the first link whose cumulative seats exceed it, found by counting
        // the links that end at or before it (no branches to mispredict, unlike a binary
        // search over 16 links; cumulative seats are whole, so comparing with u·T itself is
        // the same; at most T - 1/2, as floor(u·T) is at most T - 1).
        let last_seat = t as f64 - 0.5;
        for c in 0..k {
            let kc = w.kd[c];
            if c == f || kc == 0 || kc > SMALL {
                continue;
            }
            for _ in 0..kc {
                let x = (uniform(&mut w.rngs[i]) * t as f64).min(last_seat);
                let mut r = links_ending_by(&w.cumf[..deg], x);
                while w.rem[r] == 0 {
                    r = (r + 1) % deg;
                }
                w.rem[r] -= 1;
                self.deliver(w, i, setup.adj[a0 + r].0, c, 1);
            }
        }
        if w.active.any_screen && self.infectious[f] {
            for r in 0..deg {
                let seats = w.rem[r];
                self.deliver(w, i, setup.adj[a0 + r].0, f, seats);
            }
        }
    }
}

struct Collect<'a>(&'a mut Trajectory);

impl Observer for Collect<'_> {
    fn day(&mut self, _day: u32, x: &[u64], inc: &[u64]) {
        self.0
            .push_day(x.iter().map(|&v| v as f64), inc.iter().map(|&v| v as f64));
    }
}

/// One chain-binomial run (`run` indexes the streams, as in an ensemble), every count
/// kept.
pub fn run_stochastic(setup: &Setup, seed: u64, run: u64) -> Result<Trajectory, EpidemicError> {
    let engine = Engine::new(setup);
    let mut work = engine.work();
    let model = &setup.model;
    let mut traj = Trajectory::new(
        model.compartments().to_vec(),
        setup.world.names().to_vec(),
        setup.world.population().iter().map(|&p| p as f64).collect(),
        (0..model.len()).map(|c| model.is_infected(c)).collect(),
        setup.days,
    );
    engine.run(&mut work, seed, run, &mut Collect(&mut traj));
    Ok(traj)
}

#[cfg(test)]
mod tests {
    use super::leave_probability;

    /// The leave probability agrees with expm1 to within one ulp.
    #[test]
    fn leave_probability_is_expm1() {
        let mut h = 1e-300;
        while h < 1.0 {
            let (a, b) = (leave_probability(h), -libm::expm1(-h));
            assert!((a - b).abs() <= f64::EPSILON * b, "h = {h}: {a} vs {b}");
            h *= 1.07;
        }
    }
}

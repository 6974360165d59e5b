//! Deterministic dynamics: the model's mean-field ODE for one population or a
//! metapopulation, integrated over the horizon with a choice of [`Integrator`]:
//!
//! - [`Integrator::Rk4`]: the classical fourth-order Runge-Kutta method at a fixed step of
//!   1/`steps_per_day` day. [`run_deterministic`] and `attache epidemic run` use it at
//!   [`DEFAULT_STEPS_PER_DAY`] (10, dt = 0.1 day); the golden tests pin it.
//! - [`Integrator::DormandPrince`]: the embedded Dormand-Prince 5(4) pair (seven stages,
//!   first same as last, so six evaluations of the right-hand side per accepted step),
//!   propagating the fifth-order solution. A step is accepted when the root mean square,
//!   over every compartment and cumulative incidence, of the embedded error estimate
//!   divided by `atol + rtol * max(|x|, |x_new|)` is at most 1; the next step comes from a
//!   PI controller (err^-0.17 · err_prev^0.04 · 0.9, between 0.2x and 10x; after a
//!   rejection the step does not grow). Defaults [`DEFAULT_RTOL`] = 1e-8 and
//!   [`DEFAULT_ATOL`] = 1e-6 people: within 3e-9 (one population) and 8e-9 (three patches)
//!   of the population of RK4 at 100 steps a day on the bench's SEIR cases (`tests/dopri.rs`
//!   holds them to 1e-8); on a faster epidemic (SIR, R0 3, growing 0.5 a day) 2e-8.
//!
//! Levers, seeds and one-off vaccinations change only at the start of a day, and each
//! day's record is the state at its start. RK4 steps day by day, its steps dividing each
//! day. Dormand-Prince steps freely between consecutive days on which something can change
//! (day 0, a seed's day, a lever's start or end, the horizon: `Setup::next_change`): the
//! levers are those of the stretch's first day throughout, the last step is cut to end
//! exactly on the next change day (stretched to it when within 10%), and the days in
//! between are read off the step that passes them with DOPRI5's continuous extension
//! (Hairer, Norsett & Wanner's `CONTD5`, after Shampine: a quartic that matches both ends
//! and both end slopes, fourth-order accurate between). Cumulative incidence is part of the
//! state, so each day's incidence is the difference of two such values. The step suggestion
//! and controller memory carry over from one stretch to the next, and k1 = f(x) is
//! evaluated afresh at each stretch's start. On the bench's year-long SEIR it takes about
//! 315 steps (1,885 right-hand sides) at rtol 1e-8 and 160 (961) at rtol 1e-6, with steps
//! of half a day in the growing epidemic and up to two weeks in its tail; before, when no
//! step crossed a day, it took about 570. Both integrators, and the dense output, advance
//! the state by combinations of right-hand sides, each of which conserves every
//! subpopulation, so sizes are kept up to rounding (about 1e-15 of the population).
//!
//! Side by side with epidemik's LSODA (`bench/epidemic.sh`, SEIR over 365 days; largest
//! difference as a share of the population, and epidemik's CPU time per run over ours, two
//! runs on a shared 2-core machine with another build running; docs/EPIDEMIC_METHOD.md
//! section 6):
//!
//! | integrator | one population | three patches |
//! |---|---|---|
//! | RK4, 10 steps a day | 4.3e-9, 24-25x | 4.2e-9, 28x |
//! | RK4, 3 steps a day | 4.1e-8, 71-72x | 7.3e-8, 88-93x |
//! | Dormand-Prince, rtol 1e-8, atol 1e-6 (default) | 4.8e-9, 105-106x | 1.1e-8, 153-157x |
//! | Dormand-Prince, rtol 1e-6, atol 1e-6 | 1.8e-7, 174-180x | 2.4e-7, 262-285x |
//!
//! So the 100x is met on both cases at the default tolerances, the one population
//! by a thin margin (5-6%, less than the 10-20% the ratios move with the machine's load):
//! the step count is now set by the tolerance, and the generic right-hand side (about 20 ns
//! for SEIR) is most of the time.
//!
//! Per subpopulation i (population N_i): spontaneous flows r·X, infection flows
//! beta·m_i·S·I/N_i (m_i the distancing factor), vaccination v_i·S. Travel on a link of w
//! travellers a day each way moves w·X_a/P_a of compartment X from a to b and w·X_b/P_b
//! back, P the subpopulation's current travelling total (all but stationary compartments
//! such as D); each subpopulation sends and receives w, so its size is constant up to
//! rounding. Screened infectious travellers (probability s)
//! arrive in the removed compartment. Levers are piecewise constant: those active on day
//! d apply over [d, d + 1).

use crate::EpidemicError;
use crate::model::Transition;
use crate::output::Trajectory;
use crate::setup::{Active, Setup};

/// The default number of RK4 steps a day (dt = 0.1 day).
pub const DEFAULT_STEPS_PER_DAY: u32 = 10;

struct Ode<'a> {
    setup: &'a Setup,
    n: usize,
    k: usize,
    /// 1 / population of each subpopulation.
    inv_pop: Vec<f64>,
    /// 1 / travelling people of each subpopulation (scratch).
    inv_sums: Vec<f64>,
    /// Compartments whose people travel.
    travel: Vec<usize>,
    /// The transitions laid out for the inner loop.
    flows: Vec<Flow>,
    /// Scratch: each transition's flow in one subpopulation.
    f: Vec<f64>,
    /// Per compartment c, in terms[term_start[c]..term_start[c + 1]]: the transitions that
    /// enter (true) or leave (false) it, in transition order.
    terms: Vec<(usize, bool)>,
    term_start: Vec<usize>,
}

/// One transition: `rate * x[from]` (times `beta_i * x[infector] / N_i` for an infection).
#[derive(Debug, Clone, Copy)]
struct Flow {
    from: usize,
    to: usize,
    rate: f64,
    infector: Option<usize>,
}

impl<'a> Ode<'a> {
    /// The ODE of `setup`, whose subpopulations hold `pop` people.
    fn new(setup: &'a Setup, pop: &[f64]) -> Self {
        let model = &setup.model;
        let (n, k) = (setup.world.len(), model.len());
        let flows: Vec<Flow> = model
            .transitions()
            .iter()
            .map(|t| match *t {
                Transition::Spontaneous { from, to, rate } => Flow {
                    from,
                    to,
                    rate,
                    infector: None,
                },
                Transition::Infection {
                    from,
                    infector,
                    to,
                    rate,
                } => Flow {
                    from,
                    to,
                    rate,
                    infector: Some(infector),
                },
            })
            .collect();
        Ode {
            setup,
            n,
            k,
            inv_pop: pop.iter().map(|p| 1.0 / p).collect(),
            inv_sums: vec![0.0; n],
            travel: (0..k).filter(|&c| model.travels(c)).collect(),
            f: vec![0.0; flows.len()],
            terms: (0..k)
                .flat_map(|c| {
                    flows.iter().enumerate().filter_map(move |(t, f)| {
                        (f.to == c || f.from == c).then_some((t, f.to == c))
                    })
                })
                .collect(),
            term_start: std::iter::once(0)
                .chain((0..k).scan(0, |acc, c| {
                    *acc += flows.iter().filter(|f| f.to == c || f.from == c).count();
                    Some(*acc)
                }))
                .collect(),
            flows,
        }
    }

    /// dx/dt into `dx` (n·k compartments, then n cumulative incidences). Each
    /// subpopulation's flows are computed first and then summed per compartment, so the
    /// sums do not wait on one another through memory.
    fn deriv(&mut self, x: &[f64], act: &Active, dx: &mut [f64]) {
        let (n, k) = (self.n, self.k);
        let model = &self.setup.model;
        let sus = model.susceptible();
        let removed = model.removed();
        let (dxs, dinc) = dx.split_at_mut(n * k);
        for (i, (xi, di)) in x[..n * k]
            .chunks_exact(k)
            .zip(dxs.chunks_exact_mut(k))
            .enumerate()
        {
            let scale = act.beta[i] * self.inv_pop[i];
            let mut new_inf = 0.0;
            for (f, t) in self.f.iter_mut().zip(&self.flows) {
                *f = match t.infector {
                    None => t.rate * xi[t.from],
                    Some(j) => {
                        let v = t.rate * scale * xi[t.from] * xi[j];
                        new_inf += v;
                        v
                    }
                };
            }
            // d_c = the flows into c minus those out of it, in transition order: each
            // compartment's sum is its own short chain (no read-modify-write through
            // memory), and the result is the one the transitions give one by one.
            for (c, d) in di.iter_mut().enumerate() {
                let terms = &self.terms[self.term_start[c]..self.term_start[c + 1]];
                *d = terms.iter().fold(0.0, |acc, &(t, into)| {
                    if into {
                        acc + self.f[t]
                    } else {
                        acc - self.f[t]
                    }
                });
            }
            if let Some(r) = removed {
                let v = act.vaccinate[i];
                if v > 0.0 {
                    let flow = v * xi[sus];
                    di[sus] -= flow;
                    di[r] += flow;
                }
            }
            dinc[i] = new_inf;
        }
        let links = self.setup.world.mobility().links();
        if links.is_empty() {
            return;
        }
        for (i, xi) in x[..n * k].chunks_exact(k).enumerate() {
            let total: f64 = self.travel.iter().map(|&c| xi[c]).sum();
            self.inv_sums[i] = 1.0 / total;
        }
        let screening = act.any_screen && removed.is_some();
        for (l, &(a, b, w)) in links.iter().enumerate() {
            let w = w * act.link[l];
            if w == 0.0 {
                continue;
            }
            let (wa, wb) = (w * self.inv_sums[a], w * self.inv_sums[b]);
            let (xa, xb) = (a * k, b * k);
            for &c in &self.travel {
                let fab = wa * x[xa + c];
                let fba = wb * x[xb + c];
                dx[xa + c] += fba - fab;
                dx[xb + c] += fab - fba;
            }
            if let (true, Some(r)) = (screening, removed) {
                let (sab, sba) = (act.screen(a, b), act.screen(b, a));
                for &c in self.travel.iter().filter(|&&c| model.is_infectious(c)) {
                    let fab = wa * x[xa + c];
                    let fba = wb * x[xb + c];
                    dx[xb + c] -= sab * fab;
                    dx[xb + r] += sab * fab;
                    dx[xa + c] -= sba * fba;
                    dx[xa + r] += sba * fba;
                }
            }
        }
    }
}

/// How the ODE is integrated.
///
/// Levers, seeds and one-off vaccinations change only at day boundaries, and each day's
/// record is the state at its start. RK4 steps within each day; Dormand-Prince steps across
/// days on which nothing changes, ends a step exactly on each day on which something does,
/// and reads the days between off its dense output.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Integrator {
    /// Classical RK4 at a fixed step of 1/`steps_per_day` day (1 to 10,000 steps a day).
    Rk4 {
        /// Steps a day.
        steps_per_day: u32,
    },
    /// Dormand-Prince 5(4) (`DOPRI5`: seven stages, first same as last) with adaptive
    /// steps: a step is accepted when its embedded error estimate, scaled component by
    /// component by `atol + rtol * |x|`, has root mean square at most 1.
    DormandPrince {
        /// Relative tolerance (1e-14 to 1e-2).
        rtol: f64,
        /// Absolute tolerance, in people (positive, at most 1).
        atol: f64,
    },
}

/// The default relative tolerance of [`Integrator::DormandPrince`].
pub const DEFAULT_RTOL: f64 = 1e-8;
/// The default absolute tolerance of [`Integrator::DormandPrince`], in people.
pub const DEFAULT_ATOL: f64 = 1e-6;

impl Integrator {
    /// RK4 at [`DEFAULT_STEPS_PER_DAY`] steps a day, the integrator of
    /// [`run_deterministic`].
    pub const fn rk4() -> Self {
        Integrator::Rk4 {
            steps_per_day: DEFAULT_STEPS_PER_DAY,
        }
    }

    /// Dormand-Prince at [`DEFAULT_RTOL`] and [`DEFAULT_ATOL`].
    pub const fn dormand_prince() -> Self {
        Integrator::DormandPrince {
            rtol: DEFAULT_RTOL,
            atol: DEFAULT_ATOL,
        }
    }

    fn check(&self) -> Result<(), EpidemicError> {
        match *self {
            Integrator::Rk4 { steps_per_day } => {
                if steps_per_day == 0 || steps_per_day > 10_000 {
                    return Err(EpidemicError::BadOption {
                        what: "steps_per_day",
                        value: u64::from(steps_per_day),
                        expected: "1 to 10000",
                    });
                }
            }
            Integrator::DormandPrince { rtol, atol } => {
                if !(1e-14..=1e-2).contains(&rtol) {
                    return Err(EpidemicError::BadParameter {
                        name: "rtol",
                        value: rtol,
                        expected: "1e-14 to 1e-2",
                    });
                }
                if !(atol > 0.0 && atol <= 1.0) {
                    return Err(EpidemicError::BadParameter {
                        name: "atol",
                        value: atol,
                        expected: "above 0 and at most 1 person",
                    });
                }
            }
        }
        Ok(())
    }
}

impl Default for Integrator {
    /// [`Integrator::rk4`]: the integrator of existing outputs.
    fn default() -> Self {
        Integrator::rk4()
    }
}

/// Integrate the ODE over the setup's horizon with `steps_per_day` RK4 steps a day
/// (`integrate(setup, Integrator::Rk4 { steps_per_day })`).
pub fn run_deterministic(setup: &Setup, steps_per_day: u32) -> Result<Trajectory, EpidemicError> {
    integrate(setup, Integrator::Rk4 { steps_per_day })
}

/// Integrate the ODE over the setup's horizon with `integrator`.
pub fn integrate(setup: &Setup, integrator: Integrator) -> Result<Trajectory, EpidemicError> {
    integrator.check()?;
    let model = &setup.model;
    let (n, k) = (setup.world.len(), model.len());
    let pop: Vec<f64> = setup.world.population().iter().map(|&p| p as f64).collect();
    let mut traj = Trajectory::new(
        model.compartments().to_vec(),
        setup.world.names().to_vec(),
        pop.clone(),
        (0..k).map(|c| model.is_infected(c)).collect(),
        setup.days,
    );
    let sus = model.susceptible();
    let size = n * k + n;
    let mut x = vec![0.0; size];
    for i in 0..n {
        x[i * k + sus] = pop[i];
    }
    let mut ode = Ode::new(setup, &pop);
    let mut act = setup.new_active();
    let mut last_cum = vec![0.0; n];
    match integrator {
        Integrator::Rk4 { steps_per_day } => {
            let mut rk4 = Rk4::new(size, steps_per_day);
            for d in 0..=setup.days {
                start_of_day(setup, d, &mut x);
                record(&mut traj, &x, &mut last_cum);
                if d == setup.days {
                    break;
                }
                if setup.changes_on(d) {
                    setup.fill_active(d, &mut act);
                }
                rk4.day(&mut ode, &mut x, &act);
            }
        }
        Integrator::DormandPrince { rtol, atol } => {
            let mut dopri = Dopri::new(size, rtol, atol);
            let mut d = 0;
            loop {
                start_of_day(setup, d, &mut x);
                record(&mut traj, &x, &mut last_cum);
                if d == setup.days {
                    break;
                }
                // Nothing changes before `end`: one stretch of free steps, the days in
                // between read off the dense output.
                setup.fill_active(d, &mut act);
                let end = setup.next_change(d);
                dopri.stretch(&mut ode, &mut x, &act, d, end, &mut |state: &[f64]| {
                    record(&mut traj, state, &mut last_cum)
                })?;
                d = end;
            }
        }
    }
    Ok(traj)
}

/// The seeds and one-off vaccinations of day `d`, applied to the state at its start.
fn start_of_day(setup: &Setup, d: u32, x: &mut [f64]) {
    let model = &setup.model;
    let k = model.len();
    let sus = model.susceptible();
    for (i, c, count) in setup.seeds_on(d) {
        let moved = (count as f64).min(x[i * k + sus]);
        x[i * k + sus] -= moved;
        x[i * k + c] += moved;
    }
    if let Some(r) = model.removed() {
        for (i, f) in setup.once_on(d) {
            let moved = f * x[i * k + sus];
            x[i * k + sus] -= moved;
            x[i * k + r] += moved;
        }
    }
}

/// Push the day whose start state is `x` (compartments, then cumulative incidences); its
/// incidence is the cumulative incidence since the previous day's record.
fn record(traj: &mut Trajectory, x: &[f64], last_cum: &mut [f64]) {
    let nk = x.len() - last_cum.len();
    traj.push_day(
        x[..nk].iter().copied(),
        x[nk..].iter().zip(&*last_cum).map(|(c, l)| c - l),
    );
    last_cum.copy_from_slice(&x[nk..]);
}

/// Fixed-step RK4 scratch.
struct Rk4 {
    steps_per_day: u32,
    k1: Vec<f64>,
    k2: Vec<f64>,
    k3: Vec<f64>,
    k4: Vec<f64>,
    tmp: Vec<f64>,
}

impl Rk4 {
    fn new(size: usize, steps_per_day: u32) -> Self {
        Rk4 {
            steps_per_day,
            k1: vec![0.0; size],
            k2: vec![0.0; size],
            k3: vec![0.0; size],
            k4: vec![0.0; size],
            tmp: vec![0.0; size],
        }
    }

    /// One day in `steps_per_day` steps.
    fn day(&mut self, ode: &mut Ode, x: &mut [f64], act: &Active) {
        let h = 1.0 / f64::from(self.steps_per_day);
        let Rk4 {
            k1,
            k2,
            k3,
            k4,
            tmp,
            ..
        } = self;
        for _ in 0..self.steps_per_day {
            ode.deriv(x, act, k1);
            axpy(tmp, x, 0.5 * h, k1);
            ode.deriv(tmp, act, k2);
            axpy(tmp, x, 0.5 * h, k2);
            ode.deriv(tmp, act, k3);
            axpy(tmp, x, h, k3);
            ode.deriv(tmp, act, k4);
            let h6 = h / 6.0;
            for ((((xj, a), b), c), d) in x.iter_mut().zip(&*k1).zip(&*k2).zip(&*k3).zip(&*k4) {
                *xj += h6 * (a + 2.0 * b + 2.0 * c + d);
            }
        }
    }
}

// The Dormand-Prince 5(4) tableau (J. R. Dormand & P. J. Prince 1980, "A family of embedded
// Runge-Kutta formulae", J. Comput. Appl. Math. 6:19-26; E. Hairer, S. P. Norsett &
// G. Wanner, "Solving Ordinary Differential Equations I", 2nd ed., table II.5.2). The ODE is
// autonomous within a day, so the nodes c_i are not needed. The fifth-order weights are the
// last stage's row (A7j), which makes k7 = f(x_new) the next step's k1.
const A21: f64 = 1.0 / 5.0;
const A31: f64 = 3.0 / 40.0;
const A32: f64 = 9.0 / 40.0;
const A41: f64 = 44.0 / 45.0;
const A42: f64 = -56.0 / 15.0;
const A43: f64 = 32.0 / 9.0;
const A51: f64 = 19372.0 / 6561.0;
const A52: f64 = -25360.0 / 2187.0;
const A53: f64 = 64448.0 / 6561.0;
const A54: f64 = -212.0 / 729.0;
const A61: f64 = 9017.0 / 3168.0;
const A62: f64 = -355.0 / 33.0;
const A63: f64 = 46732.0 / 5247.0;
const A64: f64 = 49.0 / 176.0;
const A65: f64 = -5103.0 / 18656.0;
const A71: f64 = 35.0 / 384.0;
const A73: f64 = 500.0 / 1113.0;
const A74: f64 = 125.0 / 192.0;
const A75: f64 = -2187.0 / 6784.0;
const A76: f64 = 11.0 / 84.0;
// Fifth- minus fourth-order weights: the error estimate is h * sum E_j k_j.
const E1: f64 = 71.0 / 57600.0;
const E3: f64 = -71.0 / 16695.0;
const E4: f64 = 71.0 / 1920.0;
const E5: f64 = -17253.0 / 339200.0;
const E6: f64 = 22.0 / 525.0;
const E7: f64 = -1.0 / 40.0;

// The dense-output weights of DOPRI5 (Hairer, Norsett & Wanner, `CONTD5`; Shampine 1986).
const D1: f64 = -12715105075.0 / 11282082432.0;
const D3: f64 = 87487479700.0 / 32700410799.0;
const D4: f64 = -10690763975.0 / 1880347072.0;
const D5: f64 = 701980252875.0 / 199316789632.0;
const D6: f64 = -1453857185.0 / 822651844.0;
const D7: f64 = 69997945.0 / 29380423.0;

// Step-size control: Gustafsson's PI controller with Hairer's DOPRI5 constants.
/// Integral exponent (1/5 - 0.75 BETA).
const PI_ALPHA: f64 = 0.2 - 0.75 * PI_BETA;
/// Proportional exponent on the previous accepted error.
const PI_BETA: f64 = 0.04;
/// Safety factor.
const SAFETY: f64 = 0.9;
/// A step grows at most 10x and shrinks at most 5x at a time.
const GROW_MAX: f64 = 10.0;
const SHRINK_MAX: f64 = 0.2;
/// ln 1e-4: the error remembered is at least 1e-4 (so one tiny error cannot hold the step
/// back next time).
const LN_ERR_FLOOR: f64 = -9.210_340_371_976_184;
/// The first step of a run, in days (the controller adjusts it after one trial).
const H_FIRST: f64 = 0.1;
/// Steps shorter than this (days) mean the ODE cannot be followed at the tolerances.
const H_MIN: f64 = 1e-10;

/// Adaptive Dormand-Prince state and scratch; the step suggestion and the controller's
/// memory carry over from one day to the next.
struct Dopri {
    rtol: f64,
    atol: f64,
    /// The next step to try, in days.
    h: f64,
    /// ln of the previous accepted step's scaled error (PI memory).
    ln_err_old: f64,
    k: [Vec<f64>; 7],
    y: Vec<f64>,
    tmp: Vec<f64>,
}

impl Dopri {
    fn new(size: usize, rtol: f64, atol: f64) -> Self {
        Dopri {
            rtol,
            atol,
            h: H_FIRST,
            ln_err_old: LN_ERR_FLOOR,
            k: std::array::from_fn(|_| vec![0.0; size]),
            y: vec![0.0; size],
            tmp: vec![0.0; size],
        }
    }

    /// Advance `x` from the start of day `from` to the start of day `to` with the levers
    /// `act`, in free steps of which the last ends exactly at `to`, and hand `emit` the
    /// state at the start of each day strictly between, in order, from the step's dense
    /// output. k1 = f(x) is evaluated afresh: the state or the levers may have changed at
    /// `from`.
    fn stretch(
        &mut self,
        ode: &mut Ode,
        x: &mut [f64],
        act: &Active,
        from: u32,
        to: u32,
        emit: &mut dyn FnMut(&[f64]),
    ) -> Result<(), EpidemicError> {
        let Dopri {
            rtol,
            atol,
            h,
            ln_err_old,
            k,
            y,
            tmp,
        } = self;
        let (rtol, atol) = (*rtol, *atol);
        ode.deriv(x, act, &mut k[0]);
        // Time from the start of day `from`, in days; the next day to emit, as an offset.
        let span = f64::from(to - from);
        let mut t = 0.0;
        let mut next_out = 1u32;
        let mut rejected = false;
        while t < span {
            let left = span - t;
            // Never past the stretch's end; a step within 10% of it is stretched to it
            // rather than leaving a sliver.
            let last = *h * 1.1 >= left;
            let hs = if last { left } else { *h };
            if hs < H_MIN {
                return Err(EpidemicError::StepTooSmall {
                    day: from + t as u32,
                    step: hs,
                });
            }
            let m = x.len();
            let [k1, k2, k3, k4, k5, k6, k7] = k;
            // Every slice cut to m, so the indexed loops below run without bounds checks.
            let (x0, tmp) = (&x[..m], &mut tmp[..m]);
            axpy(tmp, x0, hs * A21, k1);
            ode.deriv(tmp, act, k2);
            let (k1, k2) = (&k1[..m], &k2[..m]);
            for i in 0..m {
                tmp[i] = x0[i] + hs * (A31 * k1[i] + A32 * k2[i]);
            }
            ode.deriv(tmp, act, k3);
            let k3 = &k3[..m];
            for i in 0..m {
                tmp[i] = x0[i] + hs * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
            }
            ode.deriv(tmp, act, k4);
            let k4 = &k4[..m];
            for i in 0..m {
                tmp[i] = x0[i] + hs * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
            }
            ode.deriv(tmp, act, k5);
            let k5 = &k5[..m];
            for i in 0..m {
                tmp[i] = x0[i]
                    + hs * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
            }
            ode.deriv(tmp, act, k6);
            let (k6, y) = (&k6[..m], &mut y[..m]);
            for i in 0..m {
                y[i] = x0[i]
                    + hs * (A71 * k1[i] + A73 * k3[i] + A74 * k4[i] + A75 * k5[i] + A76 * k6[i]);
            }
            ode.deriv(y, act, k7);
            let k7s = &k7[..m];
            let mut sum = 0.0;
            for i in 0..m {
                let e = hs
                    * (E1 * k1[i]
                        + E3 * k3[i]
                        + E4 * k4[i]
                        + E5 * k5[i]
                        + E6 * k6[i]
                        + E7 * k7s[i]);
                let scale = atol + rtol * x0[i].abs().max(y[i].abs());
                sum += (e / scale) * (e / scale);
            }
            let err = (sum / m as f64).sqrt();
            let ln_err = err.ln();
            if err <= 1.0 {
                // err^-alpha * err_old^beta, the factor by which the step may change.
                let fac = (PI_BETA * *ln_err_old - PI_ALPHA * ln_err).exp() * SAFETY;
                let mut next = hs * fac.clamp(SHRINK_MAX, GROW_MAX);
                if rejected {
                    next = next.min(hs);
                }
                // A step cut short by the day's end says little about the next one.
                *h = if last && hs < *h { next.max(*h) } else { next };
                *ln_err_old = ln_err.max(LN_ERR_FLOOR);
                rejected = false;
                let t_new = if last { span } else { t + hs };
                // The days the step passed (the stretch's end is the step's own end).
                let k7 = &k7[..m];
                while next_out < to - from && f64::from(next_out) < t_new {
                    let theta = (f64::from(next_out) - t) / hs;
                    dense(tmp, theta, hs, x0, y, [k1, k3, k4, k5, k6, k7]);
                    emit(tmp);
                    next_out += 1;
                }
                t = t_new;
                x.copy_from_slice(y);
                k.swap(0, 6);
            } else {
                // A NaN error lands here too and shrinks the step 5x, until the step is too
                // small and the run fails (err > 1 keeps the factor below SAFETY).
                let shrink = (-PI_ALPHA * ln_err).exp() * SAFETY;
                *h = hs
                    * if shrink.is_nan() {
                        SHRINK_MAX
                    } else {
                        shrink.max(SHRINK_MAX)
                    };
                rejected = true;
            }
        }
        Ok(())
    }
}

/// The Dormand-Prince continuous extension (Hairer, Norsett & Wanner's DOPRI5 `CONTD5`,
/// after Shampine 1986): the state a fraction `theta` through a step of `h` days from `x0`
/// to `x1`, from the stages `[k1, k3, k4, k5, k6, k7]`, written into `out`. A quartic in
/// theta that matches x0, x1 and both end slopes and is fourth-order accurate in between;
/// a combination of x0 and right-hand sides like the step itself, so it conserves what they
/// conserve.
fn dense(out: &mut [f64], theta: f64, h: f64, x0: &[f64], x1: &[f64], k: [&[f64]; 6]) {
    let [k1, k3, k4, k5, k6, k7] = k;
    let m = out.len();
    let (x0, x1) = (&x0[..m], &x1[..m]);
    let (k1, k3, k4, k5, k6, k7) = (&k1[..m], &k3[..m], &k4[..m], &k5[..m], &k6[..m], &k7[..m]);
    let theta1 = 1.0 - theta;
    for i in 0..m {
        let diff = x1[i] - x0[i];
        let bspl = h * k1[i] - diff;
        let c4 = diff - h * k7[i] - bspl;
        let c5 = h * (D1 * k1[i] + D3 * k3[i] + D4 * k4[i] + D5 * k5[i] + D6 * k6[i] + D7 * k7[i]);
        out[i] = x0[i] + theta * (diff + theta1 * (bspl + theta * (c4 + theta1 * c5)));
    }
}

fn axpy(out: &mut [f64], x: &[f64], a: f64, y: &[f64]) {
    for ((o, &xv), &yv) in out.iter_mut().zip(x).zip(y) {
        *o = xv + a * yv;
    }
}

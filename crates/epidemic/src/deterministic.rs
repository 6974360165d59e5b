//! Deterministic dynamics: the model's mean-field ODE, integrated with the classical
//! fourth-order Runge-Kutta method (RK4) at a fixed step of 1/`steps_per_day` days
//! (default 10 steps a day, dt = 0.1 day), for one population or a metapopulation.
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
    pop: Vec<f64>,
    sums: Vec<f64>,
}

impl Ode<'_> {
    /// dx/dt into `dx` (n·k compartments, then n cumulative incidences).
    fn deriv(&mut self, x: &[f64], act: &Active, dx: &mut [f64]) {
        let (n, k) = (self.n, self.k);
        let model = &self.setup.model;
        let sus = model.susceptible();
        let removed = model.removed();
        dx.fill(0.0);
        for i in 0..n {
            let xi = &x[i * k..(i + 1) * k];
            let base = i * k;
            let mut new_inf = 0.0;
            for t in model.transitions() {
                let (from, to, flow, inf) = match *t {
                    Transition::Spontaneous { from, to, rate } => {
                        (from, to, rate * xi[from], false)
                    }
                    Transition::Infection {
                        from,
                        infector,
                        to,
                        rate,
                    } => (
                        from,
                        to,
                        rate * act.beta[i] * xi[from] * xi[infector] / self.pop[i],
                        true,
                    ),
                };
                dx[base + from] -= flow;
                dx[base + to] += flow;
                if inf {
                    new_inf += flow;
                }
            }
            if let Some(r) = removed {
                let v = act.vaccinate[i];
                if v > 0.0 {
                    let flow = v * xi[sus];
                    dx[base + sus] -= flow;
                    dx[base + r] += flow;
                }
            }
            dx[n * k + i] = new_inf;
        }
        let links = self.setup.world.mobility().links();
        if links.is_empty() {
            return;
        }
        for i in 0..n {
            self.sums[i] = (0..k)
                .filter(|&c| model.travels(c))
                .map(|c| x[i * k + c])
                .sum();
        }
        for (l, &(a, b, w)) in links.iter().enumerate() {
            let w = w * act.link[l];
            if w == 0.0 {
                continue;
            }
            let (wa, wb) = (w / self.sums[a], w / self.sums[b]);
            let (sab, sba) = if act.any_screen {
                (act.screen(a, b), act.screen(b, a))
            } else {
                (0.0, 0.0)
            };
            for c in (0..k).filter(|&c| model.travels(c)) {
                let fab = wa * x[a * k + c];
                let fba = wb * x[b * k + c];
                dx[a * k + c] += fba - fab;
                dx[b * k + c] += fab - fba;
                if let (Some(r), true) = (removed, act.any_screen && model.is_infectious(c)) {
                    dx[b * k + c] -= sab * fab;
                    dx[b * k + r] += sab * fab;
                    dx[a * k + c] -= sba * fba;
                    dx[a * k + r] += sba * fba;
                }
            }
        }
    }
}

/// Integrate the ODE over the setup's horizon with `steps_per_day` RK4 steps a day.
pub fn run_deterministic(setup: &Setup, steps_per_day: u32) -> Result<Trajectory, EpidemicError> {
    if steps_per_day == 0 || steps_per_day > 10_000 {
        return Err(EpidemicError::BadOption {
            what: "steps_per_day",
            value: u64::from(steps_per_day),
            expected: "1 to 10000",
        });
    }
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
    let mut ode = Ode {
        setup,
        n,
        k,
        pop,
        sums: vec![0.0; n],
    };
    let (mut k1, mut k2, mut k3, mut k4, mut tmp) = (
        vec![0.0; size],
        vec![0.0; size],
        vec![0.0; size],
        vec![0.0; size],
        vec![0.0; size],
    );
    let mut act = setup.new_active();
    let mut last_cum = vec![0.0; n];
    let h = 1.0 / f64::from(steps_per_day);
    for d in 0..=setup.days {
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
        traj.push_day(
            x[..n * k].iter().copied(),
            (0..n).map(|i| x[n * k + i] - last_cum[i]),
        );
        last_cum.copy_from_slice(&x[n * k..]);
        if d == setup.days {
            break;
        }
        if setup.changes_on(d) {
            setup.fill_active(d, &mut act);
        }
        for _ in 0..steps_per_day {
            ode.deriv(&x, &act, &mut k1);
            axpy(&mut tmp, &x, 0.5 * h, &k1);
            ode.deriv(&tmp, &act, &mut k2);
            axpy(&mut tmp, &x, 0.5 * h, &k2);
            ode.deriv(&tmp, &act, &mut k3);
            axpy(&mut tmp, &x, h, &k3);
            ode.deriv(&tmp, &act, &mut k4);
            for j in 0..size {
                x[j] += h / 6.0 * (k1[j] + 2.0 * k2[j] + 2.0 * k3[j] + k4[j]);
            }
        }
    }
    Ok(traj)
}

fn axpy(out: &mut [f64], x: &[f64], a: f64, y: &[f64]) {
    for ((o, &xv), &yv) in out.iter_mut().zip(x).zip(y) {
        *o = xv + a * yv;
    }
}

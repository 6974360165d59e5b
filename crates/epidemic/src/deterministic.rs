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

impl Ode<'_> {
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
    let mut ode = Ode {
        setup,
        n,
        k,
        inv_pop: pop.iter().map(|p| 1.0 / p).collect(),
        inv_sums: vec![0.0; n],
        travel: (0..k).filter(|&c| model.travels(c)).collect(),
        f: vec![0.0; flows.len()],
        terms: (0..k)
            .flat_map(|c| {
                flows
                    .iter()
                    .enumerate()
                    .filter_map(move |(t, f)| (f.to == c || f.from == c).then_some((t, f.to == c)))
            })
            .collect(),
        term_start: std::iter::once(0)
            .chain((0..k).scan(0, |acc, c| {
                *acc += flows.iter().filter(|f| f.to == c || f.from == c).count();
                Some(*acc)
            }))
            .collect(),
        flows,
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
            let h6 = h / 6.0;
            for ((((xj, a), b), c), d) in x.iter_mut().zip(&k1).zip(&k2).zip(&k3).zip(&k4) {
                *xj += h6 * (a + 2.0 * b + 2.0 * c + d);
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

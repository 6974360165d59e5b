//! Absorbing fixed effects: weighted demeaning by alternating projections (symmetric Kaczmarz
//! sweeps accelerated by conjugate gradient, as reghdfe and ppmlhdfe do), and the recovery of
//! the fixed effects' values from the part of the linear predictor they explain.

/// One fixed effect over the estimation rows: each row's group, and each group's label.
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    /// The fixed effect's name as in the formula (`exporter^year`).
    pub name: String,
    /// The group of each row, `0..labels.len()`.
    pub ids: Vec<u32>,
    /// Each group's label (the interacted columns' values joined by `^`).
    pub labels: Vec<String>,
}

impl Factor {
    /// The number of groups.
    pub fn groups(&self) -> usize {
        self.labels.len()
    }

    /// The same factor over a subset of rows, groups renumbered and empty ones dropped.
    pub fn take(&self, rows: &[usize]) -> Factor {
        let mut map = vec![u32::MAX; self.groups()];
        let mut labels = Vec::new();
        let mut ids = Vec::with_capacity(rows.len());
        for &r in rows {
            let g = self.ids[r] as usize;
            if map[g] == u32::MAX {
                map[g] = labels.len() as u32;
                labels.push(self.labels[g].clone());
            }
            ids.push(map[g]);
        }
        Factor {
            name: self.name.clone(),
            ids,
            labels,
        }
    }
}

/// Demeans vectors within the groups of several factors under given weights.
pub(crate) struct Demeaner<'a> {
    factors: &'a [Factor],
    weights: &'a [f64],
    /// Per factor, 1 / (sum of weights) of each group.
    inv_sums: Vec<Vec<f64>>,
    /// Relative tolerance of the conjugate-gradient solve.
    pub tol: f64,
    pub max_iter: usize,
}

impl<'a> Demeaner<'a> {
    pub fn new(factors: &'a [Factor], weights: &'a [f64], tol: f64) -> Demeaner<'a> {
        let inv_sums = factors
            .iter()
            .map(|f| {
                let mut s = vec![0.0; f.groups()];
                for (&g, &w) in f.ids.iter().zip(weights) {
                    s[g as usize] += w;
                }
                s.into_iter()
                    .map(|v| if v > 0.0 { 1.0 / v } else { 0.0 })
                    .collect()
            })
            .collect();
        Demeaner {
            factors,
            weights,
            inv_sums,
            tol,
            max_iter: 100_000,
        }
    }

    fn project_out(&self, g: usize, x: &mut [f64], sums: &mut [f64]) {
        let f = &self.factors[g];
        sums.iter_mut().for_each(|s| *s = 0.0);
        for ((&id, &w), &v) in f.ids.iter().zip(self.weights).zip(x.iter()) {
            sums[id as usize] += w * v;
        }
        for (s, &inv) in sums.iter_mut().zip(&self.inv_sums[g]) {
            *s *= inv;
        }
        for (&id, v) in f.ids.iter().zip(x.iter_mut()) {
            *v -= sums[id as usize];
        }
    }

    /// One symmetric sweep: project out factors 1..G, then G-1..1. The group means removed
    /// are added to `rep` (per factor), so that `x_before - x_after = D rep`.
    fn sweep(&self, x: &mut [f64], scratch: &mut [Vec<f64>], rep: &mut [Vec<f64>]) {
        let n = self.factors.len();
        let order = (0..n).chain((0..n.saturating_sub(1)).rev());
        for g in order {
            self.project_out(g, x, &mut scratch[g]);
            for (r, m) in rep[g].iter_mut().zip(&scratch[g]) {
                *r += m;
            }
        }
    }

    fn dot(&self, a: &[f64], b: &[f64]) -> f64 {
        a.iter()
            .zip(b)
            .zip(self.weights)
            .map(|((x, y), w)| x * y * w)
            .sum()
    }

    fn zeros(&self) -> Vec<Vec<f64>> {
        self.factors.iter().map(|f| vec![0.0; f.groups()]).collect()
    }

    /// Replaces `x` by its residual from the fixed effects. Returns the sweeps used.
    pub fn demean(&self, x: &mut [f64]) -> usize {
        let mut rep = self.zeros();
        self.demean_tracked(x, &mut rep)
    }

    /// As [`Demeaner::demean`], adding to `coef` (one vector per factor, one value per group)
    /// the fixed effects' coefficients of what was removed: `x_before - x_after = D coef`.
    pub fn demean_tracked(&self, x: &mut [f64], coef: &mut [Vec<f64>]) -> usize {
        let mut scratch = self.zeros();
        match self.factors.len() {
            0 => return 0,
            1 => {
                self.project_out(0, x, &mut scratch[0]);
                for (c, m) in coef[0].iter_mut().zip(&scratch[0]) {
                    *c += m;
                }
                return 1;
            }
            _ => {}
        }
        // Conjugate gradient on A = I - T (T the symmetric sweep), which is symmetric and
        // positive semi-definite in the weighted inner product; x moves only within the span
        // of the fixed effects and stops where A x = 0, i.e. at the residual. Every vector
        // but x lies in that span and carries its coefficients (`*_rep`).
        let mut r = x.to_vec();
        let mut r_rep = self.zeros();
        self.sweep(&mut r, &mut scratch, &mut r_rep);
        for (ri, &xi) in r.iter_mut().zip(x.iter()) {
            *ri = xi - *ri;
        }
        let mut u = r.clone();
        let mut u_rep = r_rep.clone();
        let mut v = vec![0.0; x.len()];
        let mut v_rep = self.zeros();
        let mut ssr = self.dot(&r, &r);
        let norm0 = self.dot(x, x);
        let mut potential = norm0;
        // Below this the residual is rounding: going on would divide noise by noise.
        let floor = 1e-28 * norm0;
        let mut iter = 0;
        let axpy = |y: &mut [Vec<f64>], a: f64, x: &[Vec<f64>]| {
            for (yg, xg) in y.iter_mut().zip(x) {
                for (yi, xi) in yg.iter_mut().zip(xg) {
                    *yi += a * xi;
                }
            }
        };
        while iter < self.max_iter && ssr > floor {
            iter += 1;
            v.copy_from_slice(&u);
            v_rep
                .iter_mut()
                .for_each(|g| g.iter_mut().for_each(|c| *c = 0.0));
            self.sweep(&mut v, &mut scratch, &mut v_rep);
            // v = u - T u, whose coefficients are those the sweep removed.
            for (vi, &ui) in v.iter_mut().zip(&u) {
                *vi = ui - *vi;
            }
            let uv = self.dot(&u, &v);
            let alpha = ssr / uv;
            if !(uv > 0.0 && alpha.is_finite()) {
                break;
            }
            for ((xi, ri), (&ui, &vi)) in x.iter_mut().zip(r.iter_mut()).zip(u.iter().zip(&v)) {
                *xi -= alpha * ui;
                *ri -= alpha * vi;
            }
            axpy(coef, alpha, &u_rep);
            axpy(&mut r_rep, -alpha, &v_rep);
            let gain = alpha * ssr;
            potential -= gain;
            // Hestenes-Stiefel: the step's gain against what is left to gain (which rounding
            // can leave tiny or negative once x is almost all fixed effects).
            if gain <= self.tol * self.tol * potential.max(4.0 * f64::EPSILON * norm0) {
                break;
            }
            let ssr_old = ssr;
            ssr = self.dot(&r, &r);
            let beta = ssr / ssr_old;
            for (ui, &ri) in u.iter_mut().zip(&r) {
                *ui = ri + beta * *ui;
            }
            for (ug, rg) in u_rep.iter_mut().zip(&r_rep) {
                for (ui, ri) in ug.iter_mut().zip(rg) {
                    *ui = ri + beta * *ui;
                }
            }
        }
        iter
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn factor(ids: &[u32]) -> Factor {
        let groups = ids.iter().max().map_or(0, |m| *m as usize + 1);
        Factor {
            name: "f".into(),
            ids: ids.to_vec(),
            labels: (0..groups).map(|g| g.to_string()).collect(),
        }
    }

    #[test]
    fn two_way_demeaning_leaves_a_residual_orthogonal_to_both() {
        let a = factor(&[0, 0, 1, 1, 2, 2, 0, 1]);
        let b = factor(&[0, 1, 0, 1, 0, 1, 1, 0]);
        let w = [1.0, 2.0, 0.5, 1.5, 1.0, 3.0, 2.0, 1.0];
        let fs = [a, b];
        let d = Demeaner::new(&fs, &w, 1e-14);
        let mut x = vec![3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0];
        d.demean(&mut x);
        for f in &fs {
            let mut s = vec![0.0; f.groups()];
            for ((&g, &wi), &xi) in f.ids.iter().zip(&w).zip(&x) {
                s[g as usize] += wi * xi;
            }
            for v in s {
                assert!(v.abs() < 1e-10, "{v}");
            }
        }
    }

    #[test]
    fn tracked_demeaning_knows_what_it_removed() {
        let a = factor(&[0, 0, 1, 1, 2, 2, 0, 1]);
        let b = factor(&[0, 1, 0, 1, 0, 1, 1, 0]);
        let c = factor(&[0, 0, 0, 1, 1, 1, 1, 0]);
        let w = [1.0, 2.0, 0.5, 1.5, 1.0, 3.0, 2.0, 1.0];
        let fs = [a, b, c];
        let d = Demeaner::new(&fs, &w, 1e-15);
        let x0 = vec![3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0];
        let mut x = x0.clone();
        let mut coef: Vec<Vec<f64>> = fs.iter().map(|f| vec![0.0; f.groups()]).collect();
        d.demean_tracked(&mut x, &mut coef);
        for r in 0..x0.len() {
            let removed: f64 = fs
                .iter()
                .zip(&coef)
                .map(|(f, c)| c[f.ids[r] as usize])
                .sum();
            assert!((x0[r] - x[r] - removed).abs() < 1e-12, "row {r}");
        }
    }
}

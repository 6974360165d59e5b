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

    /// One symmetric sweep: project out factors 1..G, then G-1..1.
    fn sweep(&self, x: &mut [f64], scratch: &mut [Vec<f64>]) {
        let n = self.factors.len();
        for g in 0..n {
            self.project_out(g, x, &mut scratch[g]);
        }
        for g in (0..n.saturating_sub(1)).rev() {
            self.project_out(g, x, &mut scratch[g]);
        }
    }

    fn dot(&self, a: &[f64], b: &[f64]) -> f64 {
        a.iter()
            .zip(b)
            .zip(self.weights)
            .map(|((x, y), w)| x * y * w)
            .sum()
    }

    /// Replaces `x` by its residual from the fixed effects. Returns the sweeps used.
    pub fn demean(&self, x: &mut [f64]) -> usize {
        let mut scratch: Vec<Vec<f64>> =
            self.factors.iter().map(|f| vec![0.0; f.groups()]).collect();
        match self.factors.len() {
            0 => return 0,
            1 => {
                self.project_out(0, x, &mut scratch[0]);
                return 1;
            }
            _ => {}
        }
        // Conjugate gradient on A = I - T (T the symmetric sweep), which is symmetric and
        // positive semi-definite in the weighted inner product; x moves only within the span
        // of the fixed effects and stops where A x = 0, i.e. at the residual.
        let mut r = x.to_vec();
        self.sweep(&mut r, &mut scratch);
        for (ri, &xi) in r.iter_mut().zip(x.iter()) {
            *ri = xi - *ri;
        }
        let mut u = r.clone();
        let mut v = vec![0.0; x.len()];
        let mut ssr = self.dot(&r, &r);
        let mut potential = self.dot(x, x);
        let mut iter = 0;
        while iter < self.max_iter && ssr > 0.0 {
            iter += 1;
            v.copy_from_slice(&u);
            self.sweep(&mut v, &mut scratch);
            for (vi, &ui) in v.iter_mut().zip(&u) {
                *vi = ui - *vi;
            }
            let uv = self.dot(&u, &v);
            if uv <= 0.0 {
                break;
            }
            let alpha = ssr / uv;
            for ((xi, ri), (&ui, &vi)) in x.iter_mut().zip(r.iter_mut()).zip(u.iter().zip(&v)) {
                *xi -= alpha * ui;
                *ri -= alpha * vi;
            }
            let gain = alpha * ssr;
            potential -= gain;
            if gain <= self.tol * self.tol * potential.max(f64::MIN_POSITIVE) {
                break;
            }
            let ssr_old = ssr;
            ssr = self.dot(&r, &r);
            let beta = ssr / ssr_old;
            for (ui, &ri) in u.iter_mut().zip(&r) {
                *ui = ri + beta * *ui;
            }
        }
        iter
    }
}

/// Splits `part` (the fixed effects' share of the linear predictor, one value per row) into
/// one value per group of each factor, by Gauss-Seidel over the factors until the largest
/// row misfit is below `tol` times the largest |part|. The split is unique only up to the
/// fixed effects' redundancies (a constant moved between two factors, for example): callers
/// normalise as they need.
pub(crate) fn recover(
    factors: &[Factor],
    part: &[f64],
    tol: f64,
    max_iter: usize,
) -> Vec<Vec<f64>> {
    let n = part.len();
    let mut alpha: Vec<Vec<f64>> = factors.iter().map(|f| vec![0.0; f.groups()]).collect();
    let counts: Vec<Vec<f64>> = factors
        .iter()
        .map(|f| {
            let mut c = vec![0.0; f.groups()];
            for &g in &f.ids {
                c[g as usize] += 1.0;
            }
            c
        })
        .collect();
    let scale = part.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(1.0);
    // resid = part - sum of current effects
    let mut resid = part.to_vec();
    for _ in 0..max_iter {
        for (g, f) in factors.iter().enumerate() {
            let mut s = vec![0.0; f.groups()];
            for (&id, &r) in f.ids.iter().zip(&resid) {
                s[id as usize] += r;
            }
            for (sg, &c) in s.iter_mut().zip(&counts[g]) {
                *sg /= c;
            }
            for (&id, r) in f.ids.iter().zip(resid.iter_mut()) {
                *r -= s[id as usize];
            }
            for (a, d) in alpha[g].iter_mut().zip(&s) {
                *a += d;
            }
        }
        let worst = resid.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if worst <= tol * scale || n == 0 {
            break;
        }
    }
    alpha
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
    fn recovery_reproduces_the_part() {
        let a = factor(&[0, 0, 1, 1, 2, 2, 0, 1]);
        let b = factor(&[0, 1, 0, 1, 0, 1, 1, 0]);
        let part: Vec<f64> = a
            .ids
            .iter()
            .zip(&b.ids)
            .map(|(&i, &j)| [1.0, -2.0, 0.5][i as usize] + [3.0, 7.0][j as usize])
            .collect();
        let fs = [a, b];
        let alpha = recover(&fs, &part, 1e-14, 10_000);
        for (r, p) in part.iter().enumerate() {
            let fit = alpha[0][fs[0].ids[r] as usize] + alpha[1][fs[1].ids[r] as usize];
            assert!((fit - p).abs() < 1e-12);
        }
    }
}

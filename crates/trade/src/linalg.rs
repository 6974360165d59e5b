//! Small dense linear algebra for the normal equations: a Cholesky factorisation that sets
//! aside regressors collinear with the others, and the inverse it gives.

// Matrix code reads best with explicit row and column indices.
#![allow(clippy::needless_range_loop)]

/// A symmetric matrix stored row-major, `k x k`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sym {
    pub k: usize,
    pub a: Vec<f64>,
}

impl Sym {
    pub fn zeros(k: usize) -> Sym {
        Sym {
            k,
            a: vec![0.0; k * k],
        }
    }

    pub fn at(&self, i: usize, j: usize) -> f64 {
        self.a[i * self.k + j]
    }

    pub fn add(&mut self, i: usize, j: usize, v: f64) {
        self.a[i * self.k + j] += v;
    }
}

/// The Cholesky factor of the kept rows and columns, and which were set aside as collinear.
pub(crate) struct Chol {
    k: usize,
    l: Vec<f64>,
    pub omitted: Vec<bool>,
}

/// Factorises `a`; a column whose pivot falls below `1e-10` of its diagonal (collinear with
/// earlier ones) is omitted.
pub(crate) fn cholesky(a: &Sym) -> Chol {
    let k = a.k;
    let mut l = vec![0.0; k * k];
    let mut omitted = vec![false; k];
    for j in 0..k {
        let mut d = a.at(j, j);
        for p in 0..j {
            d -= l[j * k + p] * l[j * k + p];
        }
        if d.is_nan() || d <= 1e-10 * a.at(j, j).abs() || a.at(j, j) == 0.0 {
            omitted[j] = true;
            continue;
        }
        let d = d.sqrt();
        l[j * k + j] = d;
        for i in j + 1..k {
            let mut s = a.at(i, j);
            for p in 0..j {
                s -= l[i * k + p] * l[j * k + p];
            }
            l[i * k + j] = s / d;
        }
    }
    Chol { k, l, omitted }
}

impl Chol {
    /// Solves `A x = b` over the kept columns; omitted ones get 0.
    pub fn solve(&self, b: &[f64]) -> Vec<f64> {
        let k = self.k;
        let mut y = vec![0.0; k];
        for i in 0..k {
            if self.omitted[i] {
                continue;
            }
            let mut s = b[i];
            for p in 0..i {
                s -= self.l[i * k + p] * y[p];
            }
            y[i] = s / self.l[i * k + i];
        }
        let mut x = vec![0.0; k];
        for i in (0..k).rev() {
            if self.omitted[i] {
                continue;
            }
            let mut s = y[i];
            for p in i + 1..k {
                s -= self.l[p * k + i] * x[p];
            }
            x[i] = s / self.l[i * k + i];
        }
        x
    }

    /// The inverse over the kept columns (zeros in omitted rows and columns).
    pub fn inverse(&self) -> Sym {
        let k = self.k;
        let mut inv = Sym::zeros(k);
        for j in 0..k {
            let mut e = vec![0.0; k];
            e[j] = 1.0;
            let col = self.solve(&e);
            for i in 0..k {
                inv.a[i * k + j] = if self.omitted[j] { 0.0 } else { col[i] };
            }
        }
        inv
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_and_omits_a_collinear_column() {
        // Columns: x, 2x, z: the second is collinear with the first.
        let a = Sym {
            k: 3,
            a: vec![4.0, 8.0, 1.0, 8.0, 16.0, 2.0, 1.0, 2.0, 3.0],
        };
        let c = cholesky(&a);
        assert_eq!(c.omitted, vec![false, true, false]);
        let x = c.solve(&[5.0, 10.0, 4.0]);
        assert!((4.0 * x[0] + x[2] - 5.0).abs() < 1e-12);
        assert!((x[0] + 3.0 * x[2] - 4.0).abs() < 1e-12);
        let inv = c.inverse();
        assert!((inv.at(0, 0) - 3.0 / 11.0).abs() < 1e-12);
    }
}

//! From a frame and a formula to the numbers an estimator works on: the dependent variable,
//! the regressors' columns, the offset, the fixed effects as factors and the clusters, over the
//! rows with nothing missing (rows dropped for a missing value are counted).

use std::collections::HashMap;

use crate::demean::Factor;
use crate::error::Result;
use crate::formula::{FixedEffect, Formula};
use crate::frame::{Column, Frame};

/// The estimation data.
pub(crate) struct Design {
    pub y: Vec<f64>,
    /// Regressor columns.
    pub x: Vec<Vec<f64>>,
    pub names: Vec<String>,
    pub offset: Vec<f64>,
    pub factors: Vec<Factor>,
    /// Cluster id of each row and the number of clusters.
    pub cluster: Option<(Vec<u32>, usize)>,
    /// Each estimation row's row in the frame.
    pub rows: Vec<usize>,
    /// Rows dropped because a value the model needs is missing.
    pub dropped_missing: usize,
}

fn missing_key(col: &Column, i: usize) -> bool {
    match col {
        Column::Num(v) => v[i].is_nan(),
        Column::Text(v) => v[i].is_empty(),
    }
}

/// Groups rows by the joint values of `cols`; labels join the values with `^`.
pub(crate) fn factor(frame: &Frame, name: &str, cols: &[String], rows: &[usize]) -> Result<Factor> {
    let columns: Vec<&Column> = cols
        .iter()
        .map(|c| frame.column(c))
        .collect::<Result<_>>()?;
    let mut index: HashMap<String, u32> = HashMap::new();
    let mut labels = Vec::new();
    let mut ids = Vec::with_capacity(rows.len());
    let mut key = String::new();
    for &r in rows {
        key.clear();
        for (k, c) in columns.iter().enumerate() {
            if k > 0 {
                key.push('^');
            }
            key.push_str(&c.key(r));
        }
        let id = match index.get(&key) {
            Some(&id) => id,
            None => {
                let id = labels.len() as u32;
                index.insert(key.clone(), id);
                labels.push(key.clone());
                id
            }
        };
        ids.push(id);
    }
    Ok(Factor {
        name: name.to_string(),
        ids,
        labels,
    })
}

impl Design {
    pub fn build(
        frame: &Frame,
        formula: &Formula,
        offset: Option<&str>,
        cluster: Option<&str>,
    ) -> Result<Design> {
        let n = frame.rows();
        let y_all = formula.lhs.values(frame)?;
        let intercept = formula.intercept && formula.fixed_effects.is_empty();
        let x_all: Vec<Vec<f64>> = formula
            .rhs
            .iter()
            .map(|t| t.values(frame))
            .collect::<Result<_>>()?;
        let off_all = match offset {
            Some(name) => Some(frame.num(name)?),
            None => None,
        };
        let mut key_cols: Vec<&Column> = Vec::new();
        for FixedEffect(cols) in &formula.fixed_effects {
            for c in cols {
                key_cols.push(frame.column(c)?);
            }
        }
        if let Some(c) = cluster {
            key_cols.push(frame.column(c)?);
        }
        let rows: Vec<usize> = (0..n)
            .filter(|&i| {
                !y_all[i].is_nan()
                    && x_all.iter().all(|x| !x[i].is_nan())
                    && off_all.is_none_or(|o| !o[i].is_nan())
                    && key_cols.iter().all(|c| !missing_key(c, i))
            })
            .collect();
        let dropped_missing = n - rows.len();
        let y: Vec<f64> = rows.iter().map(|&i| y_all[i]).collect();
        let mut x: Vec<Vec<f64>> = x_all
            .iter()
            .map(|col| rows.iter().map(|&i| col[i]).collect())
            .collect();
        let mut names: Vec<String> = formula.rhs.iter().map(ToString::to_string).collect();
        if intercept {
            x.push(vec![1.0; rows.len()]);
            names.push("_cons".into());
        }
        let offset = match off_all {
            Some(o) => rows.iter().map(|&i| o[i]).collect(),
            None => vec![0.0; rows.len()],
        };
        let factors = formula
            .fixed_effects
            .iter()
            .map(|fe| factor(frame, &fe.to_string(), &fe.0, &rows))
            .collect::<Result<Vec<_>>>()?;
        let cluster = match cluster {
            Some(c) => {
                let f = factor(frame, c, &[c.to_string()], &rows)?;
                let g = f.groups();
                Some((f.ids, g))
            }
            None => None,
        };
        Ok(Design {
            y,
            x,
            names,
            offset,
            factors,
            cluster,
            rows,
            dropped_missing,
        })
    }

    /// Keeps the given estimation rows (indices into the current rows).
    pub fn keep(&mut self, keep: &[usize]) {
        self.y = keep.iter().map(|&i| self.y[i]).collect();
        for col in &mut self.x {
            *col = keep.iter().map(|&i| col[i]).collect();
        }
        self.offset = keep.iter().map(|&i| self.offset[i]).collect();
        self.factors = self.factors.iter().map(|f| f.take(keep)).collect();
        if let Some((ids, _)) = &self.cluster {
            let f = Factor {
                name: String::new(),
                ids: ids.clone(),
                labels: vec![String::new(); ids.iter().max().map_or(0, |m| *m as usize + 1)],
            }
            .take(keep);
            let g = f.groups();
            self.cluster = Some((f.ids, g));
        }
        self.rows = keep.iter().map(|&i| self.rows[i]).collect();
    }

    /// The degrees of freedom the fixed effects use: all groups of the first, and of each
    /// further one its groups less one (for the second, less its connected components with
    /// the first, found exactly). With clusters, fixed effects nested in them (every group
    /// inside one cluster, as pair effects in pair clusters) count for nothing, as reghdfe and
    /// fixest count them.
    pub fn fe_dof(&self) -> usize {
        let nested = |f: &Factor| match &self.cluster {
            Some((ids, _)) => {
                let mut of = vec![u32::MAX; f.groups()];
                f.ids.iter().zip(ids).all(|(&g, &c)| {
                    let slot = &mut of[g as usize];
                    if *slot == u32::MAX {
                        *slot = c;
                    }
                    *slot == c
                })
            }
            None => false,
        };
        let f: Vec<&Factor> = self.factors.iter().filter(|f| !nested(f)).collect();
        match f.len() {
            0 => 0,
            1 => f[0].groups(),
            _ => {
                let a = f[0].groups();
                let b = f[1].groups();
                let mut parent: Vec<usize> = (0..a + b).collect();
                fn find(p: &mut [usize], mut i: usize) -> usize {
                    while p[i] != i {
                        p[i] = p[p[i]];
                        i = p[i];
                    }
                    i
                }
                for (&i, &j) in f[0].ids.iter().zip(&f[1].ids) {
                    let (ri, rj) = (
                        find(&mut parent, i as usize),
                        find(&mut parent, a + j as usize),
                    );
                    if ri != rj {
                        parent[ri] = rj;
                    }
                }
                let components = (0..a + b).filter(|&i| find(&mut parent, i) == i).count();
                let mut dof = a + b - components;
                for g in &f[2..] {
                    dof += g.groups().saturating_sub(1);
                }
                dof
            }
        }
    }
}

//! The Pareto frontier of a finite set of packages: those that no other package makes at least
//! as good for every party and better for one. `O(P^2 n)` for `P` packages and `n` parties.

use crate::explain::{Explain, join_names};
use crate::settle::packages::PackageTable;

/// The undominated packages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParetoFrontier {
    /// Indices of the undominated packages, in table order.
    pub packages: Vec<usize>,
    /// Their names.
    pub names: Vec<String>,
    /// For every dominated package, one package that dominates it: `(dominated, by)`.
    pub dominated_by: Vec<(usize, usize)>,
}

impl Explain for ParetoFrontier {
    fn explain(&self) -> String {
        let k = self.packages.len();
        let total = k + self.dominated_by.len();
        format!(
            "{k} of {total} packages are Pareto-optimal ({}): for each of the other {}, another package is at least as good for every party and better for one.",
            join_names(&self.names),
            total - k
        )
    }
}

/// Whether package `a` dominates package `b`.
fn dominates(t: &PackageTable, a: usize, b: usize) -> bool {
    let n = t.parties().len();
    let mut strictly = false;
    for j in 0..n {
        let (ua, ub) = (t.utility(j, a), t.utility(j, b));
        if ua < ub {
            return false;
        }
        strictly |= ua > ub;
    }
    strictly
}

/// The Pareto frontier of a package table.
pub fn pareto_frontier(table: &PackageTable) -> ParetoFrontier {
    let np = table.packages().len();
    let mut packages = Vec::new();
    let mut dominated_by = Vec::new();
    for b in 0..np {
        match (0..np).find(|&a| a != b && dominates(table, a, b)) {
            Some(a) => dominated_by.push((b, a)),
            None => packages.push(b),
        }
    }
    ParetoFrontier {
        names: packages
            .iter()
            .map(|&p| table.packages()[p].clone())
            .collect(),
        packages,
        dominated_by,
    }
}

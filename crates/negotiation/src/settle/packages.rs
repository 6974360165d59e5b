//! Packages valued by many parties, and the package that maximises the minimum gain.
//!
//! A [`PackageTable`] holds, for every party, its utility for every candidate package and its
//! disagreement value (what it gets with no agreement: its BATNA). Utilities can be given
//! directly or built from an [`AdditiveValuation`]: per-issue priority weights, normalised to
//! add up to 1, times the party's score for the option the package picks on each issue.
//!
//! **Maximise the minimum gain** (the criterion of Smartsettle, Thiessen & McMahon 2000,
//! "Beyond win-win in cyberspace", Ohio State Journal on Dispute Resolution 15(3)): each party's
//! gain from package `p` is normalised to its own scale,
//! `g_j(p) = (u_j(p) - d_j) / (max_p' u_j(p') - d_j)`, so 0 is no better than no agreement and
//! 1 is the best package for that party; the proposal is the package whose smallest
//! normalised gain is largest. Ties are broken leximin (then the second smallest gain, and so
//! on), then by listing order.

use crate::error::SettleError;
use crate::explain::{Explain, join_names, pct};
use crate::settle::{check_names, finite};

/// Every party's utility for every package, and every party's disagreement value.
#[derive(Debug, Clone, PartialEq)]
pub struct PackageTable {
    parties: Vec<String>,
    packages: Vec<String>,
    /// `utility[party][package]`.
    utility: Vec<Vec<f64>>,
    disagreement: Vec<f64>,
}

impl PackageTable {
    /// A table from utilities `utility[party][package]` and disagreement values per party.
    pub fn new(
        parties: Vec<String>,
        packages: Vec<String>,
        utility: Vec<Vec<f64>>,
        disagreement: Vec<f64>,
    ) -> Result<PackageTable, SettleError> {
        if parties.is_empty() {
            return Err(SettleError::Empty {
                what: "parties".into(),
            });
        }
        if packages.is_empty() {
            return Err(SettleError::Empty {
                what: "packages".into(),
            });
        }
        check_names(&parties)?;
        check_names(&packages)?;
        let length = |what: &str, expected: usize, got: usize| {
            if expected == got {
                Ok(())
            } else {
                Err(SettleError::Length {
                    what: what.into(),
                    expected,
                    got,
                })
            }
        };
        length("utility rows (one per party)", parties.len(), utility.len())?;
        length("disagreement values", parties.len(), disagreement.len())?;
        for (j, row) in utility.iter().enumerate() {
            length(
                &format!("{}'s utilities (one per package)", parties[j]),
                packages.len(),
                row.len(),
            )?;
            for (p, &u) in row.iter().enumerate() {
                finite(
                    || format!("{}'s utility for {}", parties[j], packages[p]),
                    u,
                )?;
            }
            finite(
                || format!("{}'s disagreement value", parties[j]),
                disagreement[j],
            )?;
        }
        Ok(PackageTable {
            parties,
            packages,
            utility,
            disagreement,
        })
    }

    /// A table whose utilities come from additive valuations: package `p` picks option
    /// `packages[p].1[i]` on issue `i`.
    pub fn from_additive(
        parties: Vec<String>,
        valuations: &[AdditiveValuation],
        disagreement: Vec<f64>,
        packages: Vec<(String, Vec<usize>)>,
    ) -> Result<PackageTable, SettleError> {
        if valuations.len() != parties.len() {
            return Err(SettleError::Length {
                what: "valuations (one per party)".into(),
                expected: parties.len(),
                got: valuations.len(),
            });
        }
        let mut utility = Vec::with_capacity(parties.len());
        for v in valuations {
            let row = packages
                .iter()
                .map(|(name, picks)| v.utility(name, picks))
                .collect::<Result<Vec<f64>, _>>()?;
            utility.push(row);
        }
        let names = packages.into_iter().map(|(n, _)| n).collect();
        PackageTable::new(parties, names, utility, disagreement)
    }

    /// Party names.
    pub fn parties(&self) -> &[String] {
        &self.parties
    }

    /// Package names.
    pub fn packages(&self) -> &[String] {
        &self.packages
    }

    /// Party `j`'s utility for package `p`.
    pub fn utility(&self, party: usize, package: usize) -> f64 {
        self.utility[party][package]
    }

    /// Party `j`'s disagreement value.
    pub fn disagreement(&self, party: usize) -> f64 {
        self.disagreement[party]
    }
}

/// A party's additive valuation over issues: priority weights (normalised to add up to 1) and
/// a score for every option of every issue.
#[derive(Debug, Clone, PartialEq)]
pub struct AdditiveValuation {
    party: String,
    weights: Vec<f64>,
    scores: Vec<Vec<f64>>,
}

impl AdditiveValuation {
    /// `weights[i]` is how much issue `i` matters (non-negative, not all zero; normalised
    /// here); `scores[i][o]` is the party's satisfaction with option `o` of issue `i` (any
    /// finite scale, e.g. 0 to 100, the same for every issue).
    pub fn new(
        party: &str,
        weights: Vec<f64>,
        scores: Vec<Vec<f64>>,
    ) -> Result<AdditiveValuation, SettleError> {
        if weights.len() != scores.len() {
            return Err(SettleError::Length {
                what: format!("{party}'s option scores (one list per issue)"),
                expected: weights.len(),
                got: scores.len(),
            });
        }
        let sum: f64 = weights.iter().sum();
        if weights.iter().any(|w| !w.is_finite() || *w < 0.0) || sum <= 0.0 || !sum.is_finite() {
            return Err(SettleError::BadWeights {
                party: party.into(),
            });
        }
        for (i, s) in scores.iter().enumerate() {
            for (o, &x) in s.iter().enumerate() {
                finite(|| format!("{party}'s score for option {o} of issue {i}"), x)?;
            }
        }
        Ok(AdditiveValuation {
            party: party.into(),
            weights: weights.iter().map(|w| w / sum).collect(),
            scores,
        })
    }

    /// The party.
    pub fn party(&self) -> &str {
        &self.party
    }

    /// The normalised priority weights (they add up to 1).
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// The utility of a package picking option `picks[i]` on issue `i`.
    pub fn utility(&self, package: &str, picks: &[usize]) -> Result<f64, SettleError> {
        if picks.len() != self.weights.len() {
            return Err(SettleError::Length {
                what: format!("options picked by package {package:?} (one per issue)"),
                expected: self.weights.len(),
                got: picks.len(),
            });
        }
        let mut u = 0.0;
        for (i, &o) in picks.iter().enumerate() {
            let s = self.scores[i].get(o).ok_or(SettleError::NoSuchOption {
                package: package.into(),
                issue: i,
                option: o,
                options: self.scores[i].len(),
            })?;
            u += self.weights[i] * s;
        }
        Ok(u)
    }
}

/// The package that maximises the minimum normalised gain.
#[derive(Debug, Clone, PartialEq)]
pub struct MaxMinGain {
    /// The chosen package's index.
    pub package: usize,
    /// Its name.
    pub package_name: String,
    /// Every party's normalised gain from it (0 = no better than no agreement, 1 = its best
    /// package).
    pub gains: Vec<f64>,
    /// The smallest of those gains.
    pub min_gain: f64,
    /// The parties with the smallest gain.
    pub worst_off: Vec<String>,
    /// Whether every party does at least as well as with no agreement.
    pub acceptable_to_all: bool,
    /// Every package's smallest normalised gain, in package order.
    pub min_gain_by_package: Vec<f64>,
}

impl Explain for MaxMinGain {
    fn explain(&self) -> String {
        if self.acceptable_to_all {
            format!(
                "Package {} is proposed because its worst-off party ({}) still gets {} of the way from no agreement to its own best package, more than any other package guarantees everyone.",
                self.package_name,
                join_names(&self.worst_off),
                pct(self.min_gain),
            )
        } else {
            format!(
                "No package leaves every party at least as well off as no agreement; the least bad, {}, still leaves {} worse off than without a deal.",
                self.package_name,
                join_names(&self.worst_off),
            )
        }
    }
}

/// The package that maximises the minimum normalised gain (see the module docs).
pub fn max_min_gain(table: &PackageTable) -> Result<MaxMinGain, SettleError> {
    let np = table.packages.len();
    let gains: Vec<Vec<f64>> = (0..table.parties.len())
        .map(|j| {
            let d = table.disagreement[j];
            let best = table.utility[j]
                .iter()
                .fold(f64::NEG_INFINITY, |a, &b| a.max(b));
            if best <= d {
                return Err(SettleError::NoRoomToGain {
                    party: table.parties[j].clone(),
                });
            }
            Ok(table.utility[j]
                .iter()
                .map(|u| (u - d) / (best - d))
                .collect())
        })
        .collect::<Result<_, _>>()?;
    let sorted_gains = |p: usize| {
        let mut g: Vec<f64> = gains.iter().map(|row| row[p]).collect();
        g.sort_by(f64::total_cmp);
        g
    };
    let mut best = 0usize;
    let mut best_sorted = sorted_gains(0);
    for p in 1..np {
        let s = sorted_gains(p);
        let better = s
            .iter()
            .zip(&best_sorted)
            .map(|(a, b)| a.total_cmp(b))
            .find(|o| o.is_ne())
            .is_some_and(|o| o.is_gt());
        if better {
            best = p;
            best_sorted = s;
        }
    }
    let chosen: Vec<f64> = gains.iter().map(|row| row[best]).collect();
    let min_gain = best_sorted[0];
    Ok(MaxMinGain {
        package: best,
        package_name: table.packages[best].clone(),
        worst_off: (0..chosen.len())
            .filter(|&j| chosen[j] == min_gain)
            .map(|j| table.parties[j].clone())
            .collect(),
        acceptable_to_all: min_gain >= 0.0,
        min_gain,
        gains: chosen,
        min_gain_by_package: (0..np).map(|p| sorted_gains(p)[0]).collect(),
    })
}

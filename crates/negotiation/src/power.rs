//! Exact Shapley-Shubik and Banzhaf power by generating functions.
//!
//! # What is computed
//!
//! For member `i` and a coalition `S` of the *other* members, `i` is a **swing** (critical) in
//! `S` when `S` loses and `S ∪ {i}` wins. With `c_k` the number of such `S` of size `k`:
//!
//! - raw Banzhaf swings `η_i = Σ_k c_k`; absolute Banzhaf `η_i / 2^(n-1)`; normalised Banzhaf
//!   `η_i / Σ_j η_j` (Banzhaf 1965; Felsenthal & Machover 1998, ch. 3);
//! - Shapley-Shubik `φ_i = Σ_k c_k k! (n-1-k)! / n!`, the share of the `n!` orders of joining in
//!   which `i` turns a losing coalition into a winning one (Shapley & Shubik 1954). For
//!   `n <= 34` it is also given exactly as a fraction over `n!` ([`ExactShapley`]).
//!
//! # Algorithm
//!
//! The game may have one weighted criterion (weights `w`, quota `q`, total `W`), member-count
//! thresholds (at least `m` members) and a blocking-minority clause (any coalition of at least
//! `B` members wins). Whether a coalition wins depends only on its size `k` and weight `w`, so
//! everything follows from the counts `C[k][w]` = number of coalitions of size `k` and weight
//! `w`: the coefficients of the generating function `Π_j (1 + x y^{w_j})` (Brams & Affuso 1976;
//! Bilbao, Fernández, Jiménez Losada & López 2000, "Generating functions for computing power
//! indices efficiently", TOP 8(2)). Steps:
//!
//! 1. **Build** `C` by adding members one at a time (`C[k][w] += C[k-1][w - w_j]`, sizes
//!    descending), keeping only the weights that matter (below).
//! 2. **Remove** each member with the removal trick: the counts without member `i` are
//!    `C_{-i}[k][w] = C[k][w] - C_{-i}[k-1][w - w_i]`, one row at a time, so no member is
//!    added twice. Members with equal weights share one pass (they are symmetric).
//! 3. For each size `k`, the swing coalitions of `i` are a weight *interval* (`[q - w_i, q)`,
//!    or everything below `q`, or everything above `q - w_i`, or all, depending on `k`, `m` and
//!    `B`), counted from two partial sums of row `k` of `C_{-i}`.
//!
//! Only weights below `q` are needed (direct mode), or, by complementation (`S` has weight `w`
//! iff its complement among the others has `W - w_i - w`), only weights up to `W - q`
//! (complement mode): the smaller range is used, `L = min(q, W - q + 1)` columns.
//!
//! Counts are `u64` with wrapping arithmetic: every true count is below `2^(n-1)`, so for
//! `n <= 64` the result modulo `2^64` is exact even though the removal subtracts.
//!
//! **Complexity**: time `O(n^2 L)` (building `n` members into `n` rows of `L` cells, then one
//! `n x L` removal pass per distinct weight), memory `n L` counts of 8 bytes. The table is
//! refused above [`MAX_TABLE_CELLS`] cells ([`PowerError::TableTooLarge`]) rather than run
//! out of memory; 27 EU members with populations in thousands need `L` of about 157,000 (34 MB).
//! Games with two or more weighted criteria are refused ([`PowerError::ExactNeedsOneWeight`]):
//! use [`crate::montecarlo`] or, for small games, [`crate::enumerate`].

use std::collections::BTreeMap;

use crate::error::PowerError;
use crate::explain::{Explain, pct};
use crate::game::Game;

/// The most members the exact computation accepts (its coalition counts are 64-bit).
pub const MAX_EXACT_MEMBERS: usize = 64;

/// The most cells (members x weight columns) of the dense table: 2^25 cells of 8 bytes, 256 MiB.
pub const MAX_TABLE_CELLS: u128 = 1 << 25;

/// The most members for which Shapley-Shubik values are also given as exact fractions over
/// `n!` (34! < 2^128).
pub const MAX_EXACT_FRACTION_MEMBERS: usize = 34;

/// Shapley-Shubik values as exact fractions `numerators[i] / denominator`, `denominator = n!`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExactShapley {
    /// One numerator per member; they add up to `denominator`.
    pub numerators: Vec<u128>,
    /// `n!`.
    pub denominator: u128,
}

impl ExactShapley {
    /// Member `i`'s value as a fraction in lowest terms `(numerator, denominator)`.
    pub fn reduced(&self, i: usize) -> (u128, u128) {
        let (a, b) = (self.numerators[i], self.denominator);
        let g = gcd(a, b);
        (a / g, b / g)
    }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Voting power of every member of a game.
#[derive(Debug, Clone, PartialEq)]
pub struct Power {
    /// Member names, in game order.
    pub members: Vec<String>,
    /// The weight shown beside each member (the game's first criterion).
    pub weights: Vec<u64>,
    /// Shapley-Shubik index per member; they add up to 1.
    pub shapley_shubik: Vec<f64>,
    /// Shapley-Shubik as exact fractions (games of at most [`MAX_EXACT_FRACTION_MEMBERS`]).
    pub shapley_shubik_exact: Option<ExactShapley>,
    /// Raw Banzhaf swing counts per member.
    pub banzhaf_swings: Vec<u128>,
    /// Normalised Banzhaf index (swings over all swings); they add up to 1.
    pub banzhaf: Vec<f64>,
    /// Absolute Banzhaf index (swings over the `2^(n-1)` coalitions of the others): the
    /// probability of being decisive when every other member votes yes or no at random.
    pub banzhaf_absolute: Vec<f64>,
    /// Swing counts by coalition size: `swings_by_size[i][k]` = coalitions of `k` others in
    /// which member `i` is a swing.
    pub swings_by_size: Vec<Vec<u64>>,
    /// How the figures were obtained ("exact (generating function)", "enumeration").
    pub method: &'static str,
}

/// One row of a power table, as `attache votes power` prints it.
#[derive(Debug, Clone, PartialEq)]
pub struct PowerRow<'a> {
    /// Member name.
    pub member: &'a str,
    /// The member's weight (first criterion).
    pub weight: u64,
    /// Shapley-Shubik index.
    pub shapley_shubik: f64,
    /// Normalised Banzhaf index.
    pub banzhaf: f64,
}

impl Power {
    /// Rows (member, weight, Shapley-Shubik, normalised Banzhaf) in member order.
    pub fn rows(&self) -> Vec<PowerRow<'_>> {
        (0..self.members.len())
            .map(|i| PowerRow {
                member: &self.members[i],
                weight: self.weights[i],
                shapley_shubik: self.shapley_shubik[i],
                banzhaf: self.banzhaf[i],
            })
            .collect()
    }

    /// One sentence on member `i`'s power.
    pub fn explain_member(&self, i: usize) -> String {
        let name = &self.members[i];
        if self.banzhaf_swings[i] == 0 {
            return format!(
                "{name} is a dummy: no coalition ever needs its vote to win, so its power is zero whatever its weight ({}).",
                self.weights[i]
            );
        }
        format!(
            "{name} turns a losing coalition into a winning one in {} of the orders in which members could join (Shapley-Shubik) and casts {} of all decisive votes (normalised Banzhaf); it is decisive for {} of the possible coalitions of the others.",
            pct(self.shapley_shubik[i]),
            pct(self.banzhaf[i]),
            pct(self.banzhaf_absolute[i]),
        )
    }

    fn from_swings(game: &Game, swings_by_size: Vec<Vec<u64>>, method: &'static str) -> Power {
        let n = game.len();
        let binom = binomials(n - 1);
        let shapley_shubik: Vec<f64> = swings_by_size
            .iter()
            .map(|c| {
                c.iter()
                    .zip(&binom)
                    .map(|(&ck, &b)| ck as f64 / b as f64)
                    .sum::<f64>()
                    / n as f64
            })
            .collect();
        let shapley_shubik_exact = (n <= MAX_EXACT_FRACTION_MEMBERS).then(|| {
            let mut fact = vec![1u128; n + 1];
            for k in 1..=n {
                fact[k] = fact[k - 1] * k as u128;
            }
            ExactShapley {
                numerators: swings_by_size
                    .iter()
                    .map(|c| {
                        c.iter()
                            .enumerate()
                            .map(|(k, &ck)| ck as u128 * fact[k] * fact[n - 1 - k])
                            .sum()
                    })
                    .collect(),
                denominator: fact[n],
            }
        });
        let banzhaf_swings: Vec<u128> = swings_by_size
            .iter()
            .map(|c| c.iter().map(|&x| x as u128).sum())
            .collect();
        let all: u128 = banzhaf_swings.iter().sum();
        let half = 2f64.powi(n as i32 - 1);
        Power {
            members: game.members().to_vec(),
            weights: game.display_weights(),
            shapley_shubik,
            shapley_shubik_exact,
            banzhaf: banzhaf_swings
                .iter()
                .map(|&s| s as f64 / all as f64)
                .collect(),
            banzhaf_absolute: banzhaf_swings.iter().map(|&s| s as f64 / half).collect(),
            banzhaf_swings,
            swings_by_size,
            method,
        }
    }

    pub(crate) fn from_enumeration(game: &Game, swings_by_size: Vec<Vec<u64>>) -> Power {
        Power::from_swings(game, swings_by_size, "enumeration of all coalitions")
    }
}

impl Explain for Power {
    fn explain(&self) -> String {
        let top = (0..self.members.len())
            .max_by(|&a, &b| self.shapley_shubik[a].total_cmp(&self.shapley_shubik[b]))
            .unwrap_or(0);
        let dummies = self.banzhaf_swings.iter().filter(|&&s| s == 0).count();
        let dummy_words = match dummies {
            0 => String::new(),
            1 => "; one member is a dummy with no power at all".into(),
            d => format!("; {d} members are dummies with no power at all"),
        };
        format!(
            "Of {} members, {} has the most power ({} by Shapley-Shubik, {} by normalised Banzhaf), computed by {}{}.",
            self.members.len(),
            self.members[top],
            pct(self.shapley_shubik[top]),
            pct(self.banzhaf[top]),
            self.method,
            dummy_words,
        )
    }
}

/// `C(n, k)` for `k = 0..=n`, as `u64` (`n <= 63`).
pub(crate) fn binomials(n: usize) -> Vec<u64> {
    let mut b = vec![1u64; n + 1];
    for k in 1..=n {
        b[k] = (b[k - 1] as u128 * (n + 1 - k) as u128 / k as u128) as u64;
    }
    b
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Columns are weights `0..L`, `L = min(q, W + 1)`.
    Direct,
    /// Columns are weights `0..=W - q`.
    Complement,
}

/// Exact Shapley-Shubik and Banzhaf power by generating functions (see the module docs).
pub fn exact_power(game: &Game) -> Result<Power, PowerError> {
    let n = game.len();
    if n > MAX_EXACT_MEMBERS {
        return Err(PowerError::TooManyForExact {
            members: n,
            limit: MAX_EXACT_MEMBERS,
        });
    }
    let (weights, q, total) = match game.criteria().len() {
        0 => (vec![0u64; n], 0u64, 0u64),
        1 => (
            game.criteria()[0].weights.clone(),
            game.quota(0),
            game.total(0),
        ),
        k => return Err(PowerError::ExactNeedsOneWeight { criteria: k }),
    };
    let m = game.min_members();
    let big_b = game.wins_with_members().unwrap_or(usize::MAX);

    let direct_len = q.min(total.saturating_add(1));
    let comp_len = if q <= total { total - q + 1 } else { u64::MAX };
    let (mode, len) = if direct_len <= comp_len {
        (Mode::Direct, direct_len)
    } else {
        (Mode::Complement, comp_len)
    };
    let cells = n as u128 * len as u128;
    if cells > MAX_TABLE_CELLS {
        return Err(PowerError::TableTooLarge {
            cells,
            limit: MAX_TABLE_CELLS,
        });
    }
    let len = len as usize;

    // Step 1: C[k][w] for sizes k < n and weights w < len, row-major.
    let mut table = vec![0u64; n * len];
    if len > 0 {
        table[0] = 1;
    }
    for (added, &wj) in weights.iter().enumerate() {
        let wj = usize::try_from(wj).unwrap_or(usize::MAX);
        add_member(&mut table, len, n, added, wj);
    }

    let binom = binomials(n - 1);
    let mut by_weight: BTreeMap<u64, Vec<u64>> = BTreeMap::new();
    let mut prev = vec![0u64; len];
    let mut cur = vec![0u64; len];
    let mut swings_by_size = Vec::with_capacity(n);
    for &wi in &weights {
        if let Some(c) = by_weight.get(&wi) {
            swings_by_size.push(c.clone());
            continue;
        }
        // Step 2: rows of C_{-i}, with the two partial sums each row needs.
        let mut lo = vec![0u64; n]; // direct: Σ_{w < q - wi}; complement: Σ_{w <= W - q}
        let mut hi = vec![0u64; n]; // direct: Σ_{w < q};      complement: Σ_{w <= W - wi - q}
        let (cut_lo, cut_hi) = match mode {
            Mode::Direct => (
                (q.saturating_sub(wi) as usize).min(len),
                (q as usize).min(len),
            ),
            Mode::Complement => (
                len,
                match total.checked_sub(wi).and_then(|x| x.checked_sub(q)) {
                    Some(t) => (t as usize + 1).min(len),
                    None => 0,
                },
            ),
        };
        let wiu = usize::try_from(wi).unwrap_or(usize::MAX);
        for k in 0..n {
            let row = &table[k * len..(k + 1) * len];
            let split = if k == 0 { len } else { wiu.min(len) };
            cur[..split].copy_from_slice(&row[..split]);
            for ((c, &r), &p) in cur[split..].iter_mut().zip(&row[split..]).zip(&prev) {
                *c = r.wrapping_sub(p);
            }
            lo[k] = wrapping_sum(&cur[..cut_lo]);
            hi[k] = wrapping_sum(&cur[..cut_hi]);
            std::mem::swap(&mut prev, &mut cur);
        }
        // below(k, t): coalitions of k others with weight < t, for t in {q - wi, q}.
        let below = |k: usize, t: u64| -> u64 {
            if t == 0 {
                return 0;
            }
            let at_q = t == q;
            match mode {
                Mode::Direct => {
                    if at_q {
                        hi[k]
                    } else {
                        lo[k]
                    }
                }
                Mode::Complement => {
                    let j = n - 1 - k;
                    let above = if at_q { hi[j] } else { lo[j] };
                    binom[k].wrapping_sub(above)
                }
            }
        };
        // Step 3: swings by size.
        let t_lo = q.saturating_sub(wi);
        let counts: Vec<u64> = (0..n)
            .map(|k| {
                let all = binom[k];
                if k >= big_b {
                    0
                } else if k + 1 >= big_b {
                    if k >= m { below(k, q) } else { all }
                } else if k + 1 < m {
                    0
                } else if k < m {
                    all.wrapping_sub(below(k, t_lo))
                } else {
                    below(k, q).wrapping_sub(below(k, t_lo))
                }
            })
            .collect();
        by_weight.insert(wi, counts.clone());
        swings_by_size.push(counts);
    }
    Ok(Power::from_swings(
        game,
        swings_by_size,
        "exact generating function",
    ))
}

/// Adds one member of weight `wj` to the table, which so far holds `added` members.
fn add_member(table: &mut [u64], len: usize, n: usize, added: usize, wj: usize) {
    if wj >= len {
        return; // joining pushes every coalition beyond the stored weights
    }
    let top = (added + 1).min(n - 1);
    for k in (1..=top).rev() {
        let (lower, upper) = table.split_at_mut(k * len);
        let from = &lower[(k - 1) * len..k * len - wj];
        let to = &mut upper[wj..len];
        for (t, &f) in to.iter_mut().zip(from) {
            *t = t.wrapping_add(f);
        }
    }
}

fn wrapping_sum(xs: &[u64]) -> u64 {
    xs.iter().fold(0u64, |a, &x| a.wrapping_add(x))
}

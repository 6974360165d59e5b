//! Coalition search: the smallest winning coalitions that contain a given member.
//!
//! 1. **Greedy bound.** With the other members sorted by weight, the smallest size `k` at which
//!    the actor plus the `k - 1` heaviest others (on each criterion separately) could meet every
//!    criterion, or the size from which the blocking-minority clause makes every coalition win,
//!    is a lower bound on the answer; with one weighted criterion it is the answer.
//! 2. **Exact search with pruning.** From that size up, a depth-first search chooses the other
//!    members in weight order and abandons a branch as soon as even the heaviest remaining
//!    members could not reach a quota (and, when the actor must be critical, as soon as the
//!    others alone already win). The first size with a solution is the minimum; its coalitions
//!    are listed up to a limit.
//!
//! The search is exponential in the worst case, so it stops after a budget of visited nodes and
//! says so ([`SearchStatus::BudgetExhausted`]) rather than run for ever.

use crate::error::PowerError;
use crate::explain::{Explain, join_names};
use crate::game::Game;
use crate::power::exact_power;

/// The most members coalition search accepts.
pub const MAX_SEARCH_MEMBERS: usize = 512;

/// What to look for and how hard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchOptions {
    /// List at most this many coalitions (0 still finds the minimum size).
    pub limit: usize,
    /// Only coalitions in which the actor is critical (without it they lose).
    pub require_actor_critical: bool,
    /// Stop after visiting this many search nodes.
    pub node_budget: u64,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 20,
            require_actor_critical: false,
            node_budget: 20_000_000,
        }
    }
}

/// Whether the listing is complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchStatus {
    /// Every coalition of the minimum size is listed (or, with no minimum, none exists).
    Complete,
    /// The minimum size is known but there are more coalitions of that size than the limit.
    Truncated,
    /// The node budget ran out; what is listed is true but the minimum may be unproven.
    BudgetExhausted,
}

/// The smallest winning coalitions containing an actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoalitionSearch {
    /// The actor's name.
    pub actor: String,
    /// Whether the actor had to be critical.
    pub require_actor_critical: bool,
    /// The greedy lower bound on the size.
    pub greedy_bound: usize,
    /// The minimum size found (None: no such coalition, or the budget ran out first).
    pub min_size: Option<usize>,
    /// Coalitions of that size, as member indices in game order (the actor included).
    pub coalitions: Vec<Vec<usize>>,
    /// The same coalitions by member name.
    pub names: Vec<Vec<String>>,
    /// Whether the listing is complete.
    pub status: SearchStatus,
    /// Search nodes visited.
    pub nodes: u64,
}

impl Explain for CoalitionSearch {
    fn explain(&self) -> String {
        let role = if self.require_actor_critical {
            " in which its vote is needed"
        } else {
            ""
        };
        match (self.min_size, self.status) {
            (None, SearchStatus::BudgetExhausted) => format!(
                "The search for winning coalitions containing {}{role} stopped after {} steps without an answer; at least {} members would be needed.",
                self.actor, self.nodes, self.greedy_bound
            ),
            (None, _) => format!(
                "There is no winning coalition containing {}{role}.",
                self.actor
            ),
            (Some(k), status) => {
                let how_many = match status {
                    SearchStatus::Complete => format!("there are {}", self.coalitions.len()),
                    SearchStatus::Truncated => {
                        format!("{} are listed and there are more", self.coalitions.len())
                    }
                    SearchStatus::BudgetExhausted => format!(
                        "{} were found before the search budget ran out and there may be more",
                        self.coalitions.len()
                    ),
                };
                let example = self
                    .names
                    .first()
                    .map(|c| format!(", for example {}", join_names(c)))
                    .unwrap_or_default();
                format!(
                    "The smallest winning coalitions containing {}{role} have {k} members; {how_many}{example}.",
                    self.actor,
                )
            }
        }
    }
}

struct Search<'a> {
    game: &'a Game,
    others: Vec<usize>,
    actor: usize,
    /// `best[c][pos][r]`: the sum of the `r` largest criterion-`c` weights among `others[pos..]`.
    best: Vec<Vec<Vec<u64>>>,
    size: usize,
    require_critical: bool,
    want: usize,
    budget: u64,
    nodes: u64,
    chosen: Vec<usize>,
    found: Vec<Vec<usize>>,
}

impl Search<'_> {
    fn quotas_reachable(&self, sums: &[u64], pos: usize, r: usize) -> bool {
        (0..sums.len()).all(|c| sums[c] + self.best[c][pos][r] >= self.game.quota(c))
    }

    /// Depth-first over `others[pos..]`, `r` more to choose; `sums` include the actor.
    fn dfs(&mut self, pos: usize, r: usize, sums: &mut Vec<u64>) -> bool {
        self.nodes += 1;
        if self.nodes > self.budget {
            return false;
        }
        let game = self.game;
        let crits = game.criteria();
        let by_clause = game.wins_with_members().is_some_and(|b| self.size >= b);
        if r == 0 {
            if !game.wins_by(self.size, sums) {
                return true;
            }
            if self.require_critical {
                let without: Vec<u64> = (0..sums.len())
                    .map(|c| sums[c] - crits[c].weights[self.actor])
                    .collect();
                if game.wins_by(self.size - 1, &without) {
                    return true;
                }
            }
            let mut coalition = self.chosen.clone();
            coalition.push(self.actor);
            coalition.sort_unstable();
            self.found.push(coalition);
            return self.found.len() < self.want;
        }
        if self.others.len() - pos < r {
            return true;
        }
        if !by_clause && !self.quotas_reachable(sums, pos, r) {
            return true;
        }
        if self.require_critical && self.size > game.min_members() {
            // The others alone already meet every quota: the actor cannot be critical.
            let others_win =
                (0..sums.len()).all(|c| sums[c] - crits[c].weights[self.actor] >= game.quota(c));
            if others_win && !sums.is_empty() {
                return true;
            }
        }
        for next in pos..self.others.len() {
            if self.others.len() - next < r {
                break;
            }
            let p = self.others[next];
            for (s, c) in sums.iter_mut().zip(crits) {
                *s += c.weights[p];
            }
            self.chosen.push(p);
            let go_on = self.dfs(next + 1, r - 1, sums);
            self.chosen.pop();
            for (s, c) in sums.iter_mut().zip(crits) {
                *s -= c.weights[p];
            }
            if !go_on {
                return false;
            }
        }
        true
    }
}

/// The smallest winning coalitions containing `actor`; see the module docs.
pub fn smallest_winning_coalitions(
    game: &Game,
    actor: usize,
    options: SearchOptions,
) -> Result<CoalitionSearch, PowerError> {
    let n = game.len();
    if actor >= n {
        return Err(PowerError::NoSuchMember {
            index: actor,
            members: n,
        });
    }
    if n > MAX_SEARCH_MEMBERS {
        return Err(PowerError::TooManyToSearch {
            members: n,
            limit: MAX_SEARCH_MEMBERS,
        });
    }
    let crits = game.criteria();
    let mut others: Vec<usize> = (0..n).filter(|&i| i != actor).collect();
    if let Some(c) = crits.first() {
        others.sort_by(|&a, &b| c.weights[b].cmp(&c.weights[a]).then(a.cmp(&b)));
    }
    let best: Vec<Vec<Vec<u64>>> = crits
        .iter()
        .map(|c| {
            (0..=others.len())
                .map(|pos| {
                    let mut w: Vec<u64> = others[pos..].iter().map(|&i| c.weights[i]).collect();
                    w.sort_unstable_by(|a, b| b.cmp(a));
                    let mut acc = vec![0u64; w.len() + 1];
                    for (j, x) in w.iter().enumerate() {
                        acc[j + 1] = acc[j] + x;
                    }
                    acc
                })
                .collect()
        })
        .collect();
    let actor_sums: Vec<u64> = crits.iter().map(|c| c.weights[actor]).collect();
    let greedy_bound = (1..=n)
        .find(|&k| {
            game.wins_with_members().is_some_and(|b| k >= b)
                || (k >= game.min_members()
                    && (0..crits.len()).all(|c| actor_sums[c] + best[c][0][k - 1] >= game.quota(c)))
        })
        .unwrap_or(n);
    let mut result = CoalitionSearch {
        actor: game.members()[actor].clone(),
        require_actor_critical: options.require_actor_critical,
        greedy_bound,
        min_size: None,
        coalitions: Vec::new(),
        names: Vec::new(),
        status: SearchStatus::Complete,
        nodes: 0,
    };
    if options.require_actor_critical
        && exact_power(game).is_ok_and(|p| p.banzhaf_swings[actor] == 0)
    {
        return Ok(result); // a dummy is never critical
    }
    let mut search = Search {
        game,
        others,
        actor,
        best,
        size: 0,
        require_critical: options.require_actor_critical,
        want: options.limit.saturating_add(1),
        budget: options.node_budget,
        nodes: 0,
        chosen: Vec::new(),
        found: Vec::new(),
    };
    for k in greedy_bound..=n {
        search.size = k;
        let mut sums = actor_sums.clone();
        search.dfs(0, k - 1, &mut sums);
        if search.nodes > search.budget {
            result.status = SearchStatus::BudgetExhausted;
        }
        if !search.found.is_empty() {
            result.min_size = Some(k);
            if search.found.len() > options.limit {
                search.found.truncate(options.limit);
                if result.status == SearchStatus::Complete {
                    result.status = SearchStatus::Truncated;
                }
            }
            break;
        }
        if result.status == SearchStatus::BudgetExhausted {
            break;
        }
    }
    result.nodes = search.nodes.min(search.budget);
    result.names = search
        .found
        .iter()
        .map(|c| c.iter().map(|&i| game.members()[i].clone()).collect())
        .collect();
    result.coalitions = search.found;
    Ok(result)
}

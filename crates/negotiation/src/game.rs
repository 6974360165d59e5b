//! Simple voting games: a rule that says, for any set of members (a *coalition*), whether it
//! wins.
//!
//! A [`Game`] has members and up to three kinds of rule, all monotone:
//!
//! - weighted criteria ([`Criterion`]): each member has a weight (votes, population, shares) and
//!   a coalition meets the criterion when its weights add up to at least the criterion's quota;
//! - member-count thresholds: the coalition must have at least so many members;
//! - a blocking-minority clause: a blocking minority must have at least `b` members, so any
//!   coalition that leaves out fewer than `b` members wins whatever its weight (the EU Council's
//!   clause, TEU Art. 16(4) second subparagraph: "A blocking minority must include at least four
//!   Council members, failing which the qualified majority shall be deemed attained").
//!
//! A coalition wins when it meets *every* weighted criterion and every member-count threshold,
//! or when the blocking-minority clause makes it win.
//!
//! Thresholds may be absolute ([`Threshold::AtLeast`]) or shares of the total
//! ([`Threshold::AtLeastShare`], [`Threshold::MoreThanShare`]); shares are resolved with exact
//! integer arithmetic (`w(S) >= 65% of W` is `100 w(S) >= 65 W`, i.e. `w(S) >= ceil(65 W / 100)`)
//! and re-resolved whenever the game changes ([`Game::without_member`], [`Game::with_weight`]),
//! so "a member leaves" recomputes the quota the way the treaty does.

use crate::error::PowerError;

/// The most members any game may have (exact power has a lower limit, see
/// [`crate::power::MAX_EXACT_MEMBERS`]).
pub const MAX_MEMBERS: usize = 100_000;

/// How much of a total a coalition needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Threshold {
    /// At least this much.
    AtLeast(u64),
    /// At least `num/den` of the total (e.g. 65/100 of the population).
    AtLeastShare {
        /// Numerator.
        num: u64,
        /// Denominator.
        den: u64,
    },
    /// Strictly more than `num/den` of the total (e.g. a simple majority, more than 1/2).
    MoreThanShare {
        /// Numerator.
        num: u64,
        /// Denominator.
        den: u64,
    },
}

impl Threshold {
    /// The smallest integer amount that meets the threshold out of `total`.
    pub fn resolve(self, total: u64) -> Result<u64, PowerError> {
        match self {
            Threshold::AtLeast(q) => Ok(q),
            Threshold::AtLeastShare { num, den } => {
                check_share(num, den)?;
                let x = total as u128 * num as u128;
                Ok(x.div_ceil(den as u128) as u64)
            }
            Threshold::MoreThanShare { num, den } => {
                check_share(num, den)?;
                let x = total as u128 * num as u128;
                Ok((x / den as u128 + 1) as u64)
            }
        }
    }

    fn describe(self, unit: &str) -> String {
        match self {
            Threshold::AtLeast(q) => format!("at least {q} {unit}"),
            Threshold::AtLeastShare { num, den } => {
                format!("at least {} of {unit}", share_words(num, den))
            }
            Threshold::MoreThanShare { num, den } => {
                format!("more than {} of {unit}", share_words(num, den))
            }
        }
    }
}

fn share_words(num: u64, den: u64) -> String {
    if den == 100 {
        format!("{num}%")
    } else {
        format!("{num}/{den}")
    }
}

fn check_share(num: u64, den: u64) -> Result<(), PowerError> {
    if den == 0 || num > den {
        return Err(PowerError::BadShare { num, den });
    }
    Ok(())
}

/// One weighted criterion: every member's weight and the threshold the coalition's total must
/// meet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    /// What the weight is, in words ("votes", "population (thousands)").
    pub label: String,
    /// One weight per member, in member order.
    pub weights: Vec<u64>,
    /// What a coalition needs.
    pub threshold: Threshold,
}

/// A simple voting game; see the module documentation for the winning rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Game {
    members: Vec<String>,
    criteria: Vec<Criterion>,
    member_thresholds: Vec<Threshold>,
    blocking_minority: Option<usize>,
    // Resolved from the rules above.
    quotas: Vec<u64>,
    totals: Vec<u64>,
    min_members: usize,
    wins_with: Option<usize>,
}

impl Game {
    /// A game from its rules. Members are named; `criteria` are the weighted criteria (all must
    /// be met), `member_thresholds` the member-count thresholds (all must be met), and
    /// `blocking_minority` the smallest blocking minority, if the rule has such a clause.
    pub fn new(
        members: Vec<String>,
        criteria: Vec<Criterion>,
        member_thresholds: Vec<Threshold>,
        blocking_minority: Option<usize>,
    ) -> Result<Game, PowerError> {
        let mut game = Game {
            members,
            criteria,
            member_thresholds,
            blocking_minority,
            quotas: Vec::new(),
            totals: Vec::new(),
            min_members: 0,
            wins_with: None,
        };
        game.resolve()?;
        Ok(game)
    }

    /// The weighted majority game `[quota; w1, ..., wn]`: a coalition wins when its weights add
    /// up to at least `quota`. Members are named "member 1", "member 2", ...; see
    /// [`Game::with_names`].
    pub fn weighted(quota: u64, weights: Vec<u64>) -> Result<Game, PowerError> {
        let members = (1..=weights.len()).map(|i| format!("member {i}")).collect();
        Game::new(
            members,
            vec![Criterion {
                label: "weight".into(),
                weights,
                threshold: Threshold::AtLeast(quota),
            }],
            Vec::new(),
            None,
        )
    }

    /// The same game with these member names (one per member, non-empty, distinct).
    pub fn with_names(mut self, names: Vec<String>) -> Result<Game, PowerError> {
        if names.len() != self.members.len() {
            return Err(PowerError::NameCount {
                names: names.len(),
                members: self.members.len(),
            });
        }
        self.members = names;
        self.resolve()?;
        Ok(self)
    }

    /// The EU Council's qualified majority (TEU Art. 16(4)): at least 55% of the members,
    /// comprising at least fifteen of them, representing at least 65% of the population; a
    /// blocking minority must include at least four members, failing which the qualified
    /// majority is deemed attained. `populations` in any unit (the exact computation wants
    /// thousands: see [`crate::power::MAX_TABLE_CELLS`]).
    pub fn eu_council(members: Vec<String>, populations: Vec<u64>) -> Result<Game, PowerError> {
        Game::new(
            members,
            vec![Criterion {
                label: "population".into(),
                weights: populations,
                threshold: Threshold::AtLeastShare { num: 65, den: 100 },
            }],
            vec![
                Threshold::AtLeastShare { num: 55, den: 100 },
                Threshold::AtLeast(15),
            ],
            Some(4),
        )
    }

    /// The UN Security Council on non-procedural matters (UN Charter Art. 27(3)): nine votes
    /// including those of all five permanent members, i.e. the weighted game
    /// `[39; 7, 7, 7, 7, 7, 1 x 10]` (abstention by a permanent member, which in practice does
    /// not veto, is not modelled). The permanent members come first.
    pub fn un_security_council() -> Game {
        let mut names: Vec<String> = [
            "China",
            "France",
            "Russia",
            "United Kingdom",
            "United States",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        names.extend((1..=10).map(|i| format!("elected member {i}")));
        let mut weights = vec![7; 5];
        weights.extend([1; 10]);
        Game::weighted(39, weights)
            .and_then(|g| g.with_names(names))
            .expect("the Security Council game is valid")
    }

    fn resolve(&mut self) -> Result<(), PowerError> {
        let n = self.members.len();
        if n == 0 {
            return Err(PowerError::NoMembers);
        }
        if n > MAX_MEMBERS {
            return Err(PowerError::TooManyMembers {
                members: n,
                limit: MAX_MEMBERS,
            });
        }
        let mut seen = std::collections::HashSet::new();
        for name in &self.members {
            if name.trim().is_empty() || !seen.insert(name.as_str()) {
                return Err(PowerError::BadMemberName { name: name.clone() });
            }
        }
        self.quotas.clear();
        self.totals.clear();
        for c in &self.criteria {
            if c.weights.len() != n {
                return Err(PowerError::WeightCount {
                    criterion: c.label.clone(),
                    weights: c.weights.len(),
                    members: n,
                });
            }
            let total = c
                .weights
                .iter()
                .try_fold(0u64, |a, &w| a.checked_add(w))
                .ok_or_else(|| PowerError::WeightOverflow {
                    criterion: c.label.clone(),
                })?;
            self.totals.push(total);
            self.quotas.push(c.threshold.resolve(total)?);
        }
        let mut min_members = 0usize;
        for t in &self.member_thresholds {
            let k = t.resolve(n as u64)?;
            min_members = min_members.max(usize::try_from(k).unwrap_or(usize::MAX));
        }
        self.min_members = min_members;
        self.wins_with = match self.blocking_minority {
            None => None,
            Some(b) if b == 0 || b > n => {
                return Err(PowerError::BadBlockingMinority { members: b, n });
            }
            Some(b) => Some(n + 1 - b),
        };
        let zero = vec![0u64; self.criteria.len()];
        if self.wins_by(0, &zero) {
            return Err(PowerError::EmptyCoalitionWins);
        }
        if !self.wins_by(n, &self.totals) {
            return Err(PowerError::GrandCoalitionLoses);
        }
        Ok(())
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Always false: a game has at least one member.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Member names, in order.
    pub fn members(&self) -> &[String] {
        &self.members
    }

    /// The weighted criteria.
    pub fn criteria(&self) -> &[Criterion] {
        &self.criteria
    }

    /// The member-count thresholds.
    pub fn member_thresholds(&self) -> &[Threshold] {
        &self.member_thresholds
    }

    /// The smallest blocking minority, if the rule has that clause.
    pub fn blocking_minority(&self) -> Option<usize> {
        self.blocking_minority
    }

    /// The resolved quota of criterion `c` (the least total weight that meets it).
    pub fn quota(&self, c: usize) -> u64 {
        self.quotas[c]
    }

    /// The total weight of criterion `c` over all members.
    pub fn total(&self, c: usize) -> u64 {
        self.totals[c]
    }

    /// The fewest members a coalition needs under the member-count thresholds (0 if none).
    pub fn min_members(&self) -> usize {
        self.min_members
    }

    /// The coalition size from which every coalition wins by the blocking-minority clause.
    pub fn wins_with_members(&self) -> Option<usize> {
        self.wins_with
    }

    /// The first criterion's weights (what a table of power shows beside each member), or all
    /// ones for a game with no weighted criterion.
    pub fn display_weights(&self) -> Vec<u64> {
        match self.criteria.first() {
            Some(c) => c.weights.clone(),
            None => vec![1; self.len()],
        }
    }

    /// Whether a coalition of `size` members with criterion totals `sums` wins.
    pub fn wins_by(&self, size: usize, sums: &[u64]) -> bool {
        if self.wins_with.is_some_and(|b| size >= b) {
            return true;
        }
        size >= self.min_members && sums.iter().zip(&self.quotas).all(|(s, q)| s >= q)
    }

    /// Whether the coalition of these members (indices, repeats ignored) wins.
    pub fn wins(&self, coalition: &[usize]) -> Result<bool, PowerError> {
        let mut inside = vec![false; self.len()];
        for &i in coalition {
            if i >= self.len() {
                return Err(PowerError::NoSuchMember {
                    index: i,
                    members: self.len(),
                });
            }
            inside[i] = true;
        }
        let size = inside.iter().filter(|&&b| b).count();
        let sums: Vec<u64> = self
            .criteria
            .iter()
            .map(|c| {
                c.weights
                    .iter()
                    .zip(&inside)
                    .filter(|(_, b)| **b)
                    .map(|(w, _)| *w)
                    .sum()
            })
            .collect();
        Ok(self.wins_by(size, &sums))
    }

    /// The index of the member with this name.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.members.iter().position(|m| m == name)
    }

    /// What if this member left: the same rules over the others (share thresholds and the
    /// blocking clause re-resolved over the smaller membership; absolute quotas kept).
    pub fn without_member(&self, member: usize) -> Result<Game, PowerError> {
        self.check_member(member)?;
        if self.len() == 1 {
            return Err(PowerError::LastMember);
        }
        let mut members = self.members.clone();
        members.remove(member);
        let criteria = self
            .criteria
            .iter()
            .map(|c| {
                let mut weights = c.weights.clone();
                weights.remove(member);
                Criterion {
                    label: c.label.clone(),
                    weights,
                    threshold: c.threshold,
                }
            })
            .collect();
        Game::new(
            members,
            criteria,
            self.member_thresholds.clone(),
            self.blocking_minority,
        )
    }

    /// What if a member's weight on criterion `criterion` changed.
    pub fn with_weight(
        &self,
        criterion: usize,
        member: usize,
        weight: u64,
    ) -> Result<Game, PowerError> {
        self.check_member(member)?;
        self.check_criterion(criterion)?;
        let mut g = self.clone();
        g.criteria[criterion].weights[member] = weight;
        g.resolve()?;
        Ok(g)
    }

    /// What if criterion `criterion` had another threshold.
    pub fn with_threshold(
        &self,
        criterion: usize,
        threshold: Threshold,
    ) -> Result<Game, PowerError> {
        self.check_criterion(criterion)?;
        let mut g = self.clone();
        g.criteria[criterion].threshold = threshold;
        g.resolve()?;
        Ok(g)
    }

    fn check_member(&self, member: usize) -> Result<(), PowerError> {
        if member >= self.len() {
            return Err(PowerError::NoSuchMember {
                index: member,
                members: self.len(),
            });
        }
        Ok(())
    }

    fn check_criterion(&self, criterion: usize) -> Result<(), PowerError> {
        if criterion >= self.criteria.len() {
            return Err(PowerError::NoSuchCriterion {
                index: criterion,
                criteria: self.criteria.len(),
            });
        }
        Ok(())
    }

    /// The winning rule in words, e.g. "a coalition wins with at least 39 of 45 weight".
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        for (i, c) in self.criteria.iter().enumerate() {
            parts.push(format!(
                "{} ({} of {})",
                c.threshold.describe(&c.label),
                self.quotas[i],
                self.totals[i],
            ));
        }
        if !self.member_thresholds.is_empty() {
            parts.push(format!("at least {} members", self.min_members));
        }
        let mut s = format!(
            "a coalition of the {} members wins with {}",
            self.len(),
            parts.join(" and ")
        );
        if let (Some(b), Some(k)) = (self.blocking_minority, self.wins_with) {
            s.push_str(&format!(
                ", or with any {k} or more members (a blocking minority needs at least {b})"
            ));
        }
        s
    }
}

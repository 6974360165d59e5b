//! Typed errors: why a game, a power computation or a settlement problem was refused.

/// Why a voting game or a power computation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PowerError {
    /// A game needs at least one member.
    #[error("a voting game needs at least one member")]
    NoMembers,
    /// A quota or weight written as text is not a usable number.
    #[error("{what} {value:?} {why}")]
    BadNumber {
        /// Which number (weight, quota).
        what: String,
        /// As written.
        value: String,
        /// What is wrong with it.
        why: String,
    },
    /// More members than this crate accepts for any game.
    #[error("{members} members is more than the {limit} a game may have")]
    TooManyMembers {
        /// Members given.
        members: usize,
        /// The limit.
        limit: usize,
    },
    /// A member name is empty or repeated.
    #[error("member name {name:?} is empty or repeated")]
    BadMemberName {
        /// The offending name.
        name: String,
    },
    /// The number of names differs from the number of members.
    #[error("{names} names given for {members} members")]
    NameCount {
        /// Names given.
        names: usize,
        /// Members in the game.
        members: usize,
    },
    /// A criterion's weight list has the wrong length.
    #[error("criterion {criterion:?} has {weights} weights for {members} members")]
    WeightCount {
        /// Criterion label.
        criterion: String,
        /// Weights given.
        weights: usize,
        /// Members in the game.
        members: usize,
    },
    /// The weights of a criterion add up to more than 2^64 - 1.
    #[error("the weights of criterion {criterion:?} add up to more than 2^64 - 1")]
    WeightOverflow {
        /// Criterion label.
        criterion: String,
    },
    /// A share threshold must be num/den with 0 < den and num <= den.
    #[error("a share threshold must be num/den with den > 0 and num <= den, got {num}/{den}")]
    BadShare {
        /// Numerator.
        num: u64,
        /// Denominator.
        den: u64,
    },
    /// A blocking-minority clause needs between 1 and n members.
    #[error("a blocking minority of {members} members is impossible in a game of {n}")]
    BadBlockingMinority {
        /// Members the clause asks for.
        members: usize,
        /// Members in the game.
        n: usize,
    },
    /// The empty coalition already wins: the rule decides nothing.
    #[error("the empty coalition wins under this rule (quota 0?), so no member has any power")]
    EmptyCoalitionWins,
    /// Even all members together lose: nothing can pass.
    #[error("even all members together lose under this rule (quota above the total?)")]
    GrandCoalitionLoses,
    /// A member index is out of range.
    #[error("member {index} does not exist (the game has {members})")]
    NoSuchMember {
        /// The index asked for.
        index: usize,
        /// Members in the game.
        members: usize,
    },
    /// A criterion index is out of range.
    #[error("criterion {index} does not exist (the game has {criteria})")]
    NoSuchCriterion {
        /// The index asked for.
        index: usize,
        /// Criteria in the game.
        criteria: usize,
    },
    /// Removing the last member leaves no game.
    #[error("removing the only member leaves no game")]
    LastMember,
    /// The exact computation handles at most one weighted criterion besides member counts.
    #[error(
        "exact power handles one weighted criterion (plus member counts); this game has {criteria}: use the Monte Carlo estimate"
    )]
    ExactNeedsOneWeight {
        /// Weighted criteria in the game.
        criteria: usize,
    },
    /// Too many members for exact integer counts.
    #[error(
        "exact power handles at most {limit} members (coalition counts must fit 64 bits); this game has {members}: use the Monte Carlo estimate"
    )]
    TooManyForExact {
        /// Members in the game.
        members: usize,
        /// The limit.
        limit: usize,
    },
    /// The dense table over (size, weight) would be too large.
    #[error(
        "exact power needs a table of {cells} cells (members x weight range), above the limit of {limit}: express the weights in coarser units (e.g. thousands) or use the Monte Carlo estimate"
    )]
    TableTooLarge {
        /// Cells the table would need.
        cells: u128,
        /// The limit.
        limit: u128,
    },
    /// Too many members for brute-force enumeration.
    #[error(
        "enumeration of all coalitions handles at most {limit} members; this game has {members}"
    )]
    TooManyToEnumerate {
        /// Members in the game.
        members: usize,
        /// The limit.
        limit: usize,
    },
    /// Monte Carlo needs at least one sample.
    #[error("Monte Carlo needs at least one sample")]
    NoSamples,
    /// Coalition search has more members than it accepts.
    #[error("coalition search handles at most {limit} members; this game has {members}")]
    TooManyToSearch {
        /// Members in the game.
        members: usize,
        /// The limit.
        limit: usize,
    },
}

/// Why a settlement problem was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SettleError {
    /// A value is NaN or infinite.
    #[error("{what} is not a finite number ({value})")]
    NotFinite {
        /// Which value.
        what: String,
        /// The value.
        value: f64,
    },
    /// A feasible set needs at least one point.
    #[error("the feasible set has no points")]
    NoPoints,
    /// No feasible point gives both parties more than their disagreement value.
    #[error(
        "no feasible point gives both parties more than the disagreement point: there is nothing to bargain over"
    )]
    NoMutualGain,
    /// A party's points must add up to 100 (Adjusted Winner).
    #[error("{party}'s points add up to {sum}, not 100")]
    PointsNot100 {
        /// The party.
        party: String,
        /// Their sum.
        sum: u64,
    },
    /// Lists that must have the same length do not.
    #[error("{what}: expected {expected} entries, got {got}")]
    Length {
        /// Which list.
        what: String,
        /// Expected length.
        expected: usize,
        /// Given length.
        got: usize,
    },
    /// A name is empty or repeated.
    #[error("name {name:?} is empty or repeated")]
    BadName {
        /// The offending name.
        name: String,
    },
    /// Nothing to choose from.
    #[error("there are no {what}")]
    Empty {
        /// What is missing (items, packages, parties).
        what: String,
    },
    /// No package gives a party more than its disagreement value.
    #[error(
        "no package gives {party} more than its disagreement value, so its gain cannot be normalised"
    )]
    NoRoomToGain {
        /// The party.
        party: String,
    },
    /// A weight is negative or all of a party's weights are zero.
    #[error("{party}'s priority weights must be non-negative and not all zero")]
    BadWeights {
        /// The party.
        party: String,
    },
    /// A package names an option that does not exist.
    #[error(
        "package {package:?} picks option {option} on issue {issue}, which has {options} options"
    )]
    NoSuchOption {
        /// The package.
        package: String,
        /// The issue index.
        issue: usize,
        /// The option index.
        option: usize,
        /// Options on that issue.
        options: usize,
    },
}

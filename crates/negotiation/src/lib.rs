//! Negotiation support: how much each vote weighs, who could win together, and which packages
//! are fair by stated criteria. The system proposes; people negotiate. Nothing here does IO.
//!
//! **Voting power** ([`game`], [`power`], [`enumerate`], [`montecarlo`], [`coalition`],
//! [`whatif`]):
//!
//! | what | function | method |
//! | --- | --- | --- |
//! | a voting rule | [`Game`] ([`Game::weighted`], [`Game::eu_council`], [`Game::un_security_council`]) | weighted criteria, member counts, the EU blocking-minority clause |
//! | exact Shapley-Shubik and Banzhaf | [`exact_power`] | generating functions over (size, weight), removal trick |
//! | brute force (check, several criteria) | [`enumerate_power`] | all `2^n` coalitions, `n <= 27` |
//! | Monte Carlo estimate | [`monte_carlo_power`] | seeded ChaCha8 orders and coalitions |
//! | smallest winning coalitions with an actor | [`smallest_winning_coalitions`] | greedy bound, pruned search |
//! | a member leaves, a weight changes | [`what_if`] with [`Game::without_member`], [`Game::with_weight`] | re-evaluation |
//!
//! **Positions from the record** ([`positions`]): agreement of states in UN General Assembly
//! votes (yes 1, abstain 0.5, no 0), one-dimensional ideal points per year (a two-parameter
//! item-response model, [`IdealPointModel`] → [`FittedIdealPoints`]) and voting blocs
//! (average-linkage clustering).
//!
//! **Positions from speeches** ([`wordfish`]): Slapin & Proksch's Wordfish, a Poisson scaling
//! model of word counts ([`Wordfish`] → [`FittedWordfish`]), on whole texts or on the sentences
//! that mention a stated topic ([`Topic`]).
//!
//! **Settlement** ([`settle`]): Nash and Kalai-Smorodinsky bargaining solutions over the
//! comprehensive convex hull of a finite set, the Pareto frontier of packages, Brams &
//! Taylor's Adjusted Winner, and the maximum-minimum-gain package.
//!
//! **Positions tracker** ([`tracker`]): a negotiation's issues, options, actors of every kind
//! and their cited positions (support, priority, red lines), the settlement proposals they
//! support and a sensitivity sweep; seeded with the talks on lethal autonomous weapons.
//!
//! Every result type implements [`Explain`]: one plain sentence for a reader.
//!
//! ```
//! use attache_negotiation::{Explain, Game, exact_power};
//!
//! // The UN Security Council: [39; 7 x 5, 1 x 10].
//! let power = exact_power(&Game::un_security_council()).unwrap();
//! assert_eq!(power.shapley_shubik_exact.as_ref().unwrap().reduced(5), (4, 2145));
//! println!("{}", power.explain());
//! ```

pub mod coalition;
pub mod enumerate;
pub mod error;
pub mod explain;
pub mod game;
pub mod montecarlo;
pub mod positions;
pub mod power;
pub mod predictor;
pub mod presets;
pub mod settle;
pub mod tracker;
pub mod whatif;
pub mod wordfish;

pub use coalition::{CoalitionSearch, SearchOptions, SearchStatus, smallest_winning_coalitions};
pub use enumerate::enumerate_power;
pub use error::{PowerError, SettleError};
pub use explain::Explain;
pub use game::{Criterion, Game, Threshold};
pub use montecarlo::{MonteCarloPower, monte_carlo_power};
pub use positions::{
    Agreement, Blocs, Choice, FittedIdealPoints, IdealPointModel, PositionsError, Response, Vote,
    agreement, agreement_with, blocs, correlation,
};
pub use power::{ExactShapley, Power, PowerRow, exact_power};
pub use whatif::{WhatIf, what_if};
pub use wordfish::{
    Anchors, Document, Dtm, DtmOptions, FittedWordfish, TOPICS, Topic, Wordfish, WordfishError,
};

//! Attaché epidemic: compartmental epidemic models on a mobility network, the
//! computational core of the cross-border epidemic simulator (issue 17). No IO.
//!
//! - [`model`]: compartments and transitions as data; SIR, SEIR, SEIRD and user models.
//! - [`network`]: subpopulations, the conserving flux network, effective distance and
//!   shortest-path trees.
//! - [`scenario`]: levers (travel, routes, screening, distancing, vaccination) as text.
//! - [`setup`]: a run's inputs checked and resolved once; seeds.
//! - [`deterministic`]: the ODE with fixed-step RK4 or adaptive Dormand-Prince 5(4).
//! - [`stochastic`]: the seeded chain-binomial model.
//! - [`ensemble`]: stochastic ensembles, arrival-time distributions, fan charts, lever
//!   against baseline.
//! - [`output`]: trajectories and quantile summaries.
//! - [`calendar`]: dates in seeds and levers turned into day offsets.
//! - [`air`]: the network from air routes (countries or airports), passenger matrices.
//! - [`predictor`]: the simulator as an `OutcomePredictor` for briefs.
//!
//! The simplest run, one well-mixed population (`--network none`):
//!
//! ```
//! use attache_epidemic::{Metapop, Model, Scenario, Seed, Setup, run_deterministic};
//! let model = Model::sir(2.0, 5.0).unwrap();
//! let world = Metapop::single("population", 1_000_000).unwrap();
//! let seeds = [Seed { place: "population".into(), count: 10, day: 0, compartment: None }];
//! let setup = Setup::new(model, world, &seeds, &Scenario::baseline(), 365).unwrap();
//! let run = run_deterministic(&setup, 10).unwrap();
//! assert!((run.attack_rate(0) - 0.7968).abs() < 1e-3);
//! ```

pub mod air;
pub mod calendar;
pub mod deterministic;
pub mod ensemble;
pub mod error;
pub mod model;
pub mod network;
pub mod output;
pub mod predictor;
pub mod sample;
pub mod scenario;
pub mod setup;
pub mod stochastic;

pub use deterministic::{
    DEFAULT_ATOL, DEFAULT_RTOL, DEFAULT_STEPS_PER_DAY, Integrator, integrate, run_deterministic,
};
pub use ensemble::{Comparison, Ensemble, EnsembleOptions, LeverEffect, Track, run_ensemble};
pub use error::EpidemicError;
pub use model::{Model, ModelBuilder, Transition};
pub use network::{EffectiveNetwork, Metapop, Mobility, PathTree};
pub use output::{Quantiles, Trajectory, When, WhenSummary};
pub use scenario::{Action, Lever, Scenario, Side};
pub use setup::{Seed, Setup};
pub use stochastic::run_stochastic;

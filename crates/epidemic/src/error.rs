//! The crate's one error type: every variant names what is wrong (the compartment, the
//! transition, the subpopulation, the lever token) so a caller can show it as is.

use thiserror::Error;

/// What went wrong building a model, a network, a scenario or a run.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum EpidemicError {
    // --- models ---
    /// A model needs at least one compartment.
    #[error("the model has no compartments")]
    NoCompartments,
    /// Compartment names are letters, digits and `_`, starting with a letter.
    #[error(
        "compartment name {0:?} is not valid: use letters, digits and _, starting with a letter"
    )]
    BadCompartmentName(String),
    /// Two compartments with one name.
    #[error("compartment {0:?} is defined twice")]
    DuplicateCompartment(String),
    /// A transition, seed or option names a compartment the model does not have.
    #[error("{context} names unknown compartment {name:?}")]
    UnknownCompartment {
        /// Where the name was used, e.g. `transition S + I -> E`.
        context: String,
        /// The unknown name.
        name: String,
    },
    /// A rate that is negative, NaN or infinite.
    #[error("transition {transition} has rate {rate}: rates must be finite and non-negative")]
    BadRate {
        /// The transition, e.g. `I -> R`.
        transition: String,
        /// The offending rate.
        rate: f64,
    },
    /// A transition from a compartment to itself.
    #[error("transition {0} goes from a compartment to itself")]
    SelfTransition(String),
    /// The susceptible compartment fills the seats of travel: it must travel.
    #[error("compartment {0:?} is susceptible and must travel: it fills the seats others leave")]
    StationarySusceptible(String),
    /// Without an infection transition no compartment is infectious.
    #[error("the model has no infection transition (S + I -> E), so no infectious compartment")]
    NoInfectious,
    /// A scalar parameter outside its range.
    #[error("{name} = {value} is out of range: {expected}")]
    BadParameter {
        /// Parameter name, e.g. `r0`.
        name: &'static str,
        /// The value given.
        value: f64,
        /// The allowed range, in words.
        expected: &'static str,
    },

    // --- networks ---
    /// Per-subpopulation vectors of different lengths.
    #[error("{what}: {got} values for {expected} subpopulations")]
    LengthMismatch {
        /// Which input.
        what: &'static str,
        /// Its length.
        got: usize,
        /// The number of subpopulations.
        expected: usize,
    },
    /// An empty or repeated subpopulation name.
    #[error("subpopulation name {0:?} is empty or used twice")]
    BadSubpopName(String),
    /// A population that is zero.
    #[error("subpopulation {name:?} has population 0: populations must be positive")]
    EmptyPopulation {
        /// The subpopulation.
        name: String,
    },
    /// A travel matrix whose counts are not symmetric (a flux model needs i->j == j->i).
    #[error(
        "travel is not symmetric: {from}->{to} = {forward} but {to}->{from} = {backward}; \
         use Mobility::symmetrized to average the two directions"
    )]
    Asymmetric {
        /// Row index.
        from: usize,
        /// Column index.
        to: usize,
        /// Flow from -> to.
        forward: f64,
        /// Flow to -> from.
        backward: f64,
    },
    /// A negative, NaN or infinite flow, or a link to itself or out of range.
    #[error("travel {from}->{to} = {value}: {reason}")]
    BadFlow {
        /// Origin index.
        from: usize,
        /// Destination index.
        to: usize,
        /// The flow given.
        value: f64,
        /// Why it is refused.
        reason: &'static str,
    },
    /// A subpopulation that would send more people a day than it has.
    #[error(
        "subpopulation {name:?} sends {outflow} travellers a day (rounded up per route) \
         but has only {population} people"
    )]
    TooMuchTravel {
        /// The subpopulation.
        name: String,
        /// Its daily outflow, each route rounded up.
        outflow: f64,
        /// Its population.
        population: u64,
    },
    /// An index outside the network.
    #[error("subpopulation index {index} is out of range (the network has {n})")]
    IndexOutOfRange {
        /// The index given.
        index: usize,
        /// The number of subpopulations.
        n: usize,
    },

    // --- scenarios and seeds ---
    /// A lever that does not parse; `token` is the part that is wrong.
    #[error("lever {lever:?}: {reason} (at {token:?})")]
    Lever {
        /// The whole lever text.
        lever: String,
        /// The bad token.
        token: String,
        /// What was expected.
        reason: String,
    },
    /// A lever or seed naming a subpopulation the network does not have.
    #[error("{context}: unknown subpopulation {place:?}")]
    UnknownPlace {
        /// The lever or seed text.
        context: String,
        /// The unknown name.
        place: String,
    },
    /// A route lever for a pair with no route.
    #[error("lever {lever:?}: there is no route between {a:?} and {b:?}")]
    NoRoute {
        /// The lever text.
        lever: String,
        /// One end.
        a: String,
        /// The other end.
        b: String,
    },
    /// Screening and vaccination move people to the model's removed compartment.
    #[error("lever {lever:?} moves people to a removed compartment, and the model declares none")]
    NoRemoved {
        /// The lever text.
        lever: String,
    },
    /// A seed that does not parse.
    #[error("seed {seed:?}: {reason} (at {token:?})")]
    Seed {
        /// The whole seed text.
        seed: String,
        /// The bad token.
        token: String,
        /// What was expected.
        reason: String,
    },

    // --- runs and outputs ---
    /// The party that started the ensemble cancelled it (`attache_core::cancel`: a server
    /// request that went away or timed out).
    #[error("the simulation was cancelled")]
    Cancelled,
    /// A run option out of range.
    #[error("{what} = {value} is out of range: {expected}")]
    BadOption {
        /// The option.
        what: &'static str,
        /// The value given.
        value: u64,
        /// The allowed range.
        expected: &'static str,
    },
    /// The adaptive integrator's step fell below its floor: the ODE cannot be followed at
    /// the tolerances asked (or its right-hand side is not finite).
    #[error(
        "on day {day} the adaptive integrator's step fell to {step:e} day: the tolerances \
         cannot be met (try larger rtol/atol, or RK4)"
    )]
    StepTooSmall {
        /// The day being integrated.
        day: u32,
        /// The step, in days.
        step: f64,
    },
    /// A fan chart was asked of a series the ensemble did not track.
    #[error("subpopulation {0} was not tracked in this ensemble; add it to EnsembleOptions::track")]
    NotTracked(usize),
    /// A passenger matrix row that is wrong: its line (from 1) and value.
    #[error("passenger matrix line {line}: {reason} (value {value:?})")]
    Passengers {
        /// Line number, from 1.
        line: usize,
        /// The offending text.
        value: String,
        /// What is wrong.
        reason: String,
    },
    /// Inputs a network needs that the data do not give.
    #[error("network data: {0}")]
    NoData(String),
    /// Two ensembles that cannot be compared run by run.
    #[error(
        "ensembles differ in {0}; a lever is compared with a baseline of the same runs, days and network"
    )]
    Incomparable(&'static str),
}

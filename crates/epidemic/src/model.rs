//! Compartmental models as data: named compartments and transitions, one representation
//! for SIR, SEIR, SEIRD and models a user builds (as GLEAMviz's compartment builder does).
//!
//! Two kinds of transition, both with rates per day:
//! - *spontaneous* `X -> Y` at rate `r`: each person in X moves at hazard `r`;
//! - *infection* `S + I -> E` at rate `beta`: each person in S moves at hazard
//!   `beta * I / N`, with `N` the subpopulation's whole population (frequency-dependent
//!   mixing, as in GLEaM and epidemik).
//!
//! The *susceptible* compartment is the source of the first infection transition
//! (vaccination draws from it); the *infectious* compartments are the infectors; the
//! *infected* compartments (prevalence, arrival) default to the infection targets and the
//! compartments through which they become infectious (E and I in SEIR) and can be set
//! explicitly. The *removed* compartment, where vaccinated and screened-out people go, is
//! declared with [`ModelBuilder::removed`] (R in the built-in models). Every compartment
//! travels unless declared [`ModelBuilder::stationary`] (D in SEIRD).

use crate::EpidemicError;

/// One transition of a model.
#[derive(Debug, Clone, PartialEq)]
pub enum Transition {
    /// `from -> to` at `rate` per day.
    Spontaneous {
        /// Source compartment index.
        from: usize,
        /// Target compartment index.
        to: usize,
        /// Hazard per person per day.
        rate: f64,
    },
    /// `from + infector -> to` at `rate` (transmission rate beta, per day).
    Infection {
        /// Susceptible compartment index.
        from: usize,
        /// Infectious compartment index.
        infector: usize,
        /// Target compartment index.
        to: usize,
        /// Transmission rate per day.
        rate: f64,
    },
}

impl Transition {
    /// Source compartment.
    pub fn from(&self) -> usize {
        match *self {
            Transition::Spontaneous { from, .. } | Transition::Infection { from, .. } => from,
        }
    }
    /// Target compartment.
    pub fn to(&self) -> usize {
        match *self {
            Transition::Spontaneous { to, .. } | Transition::Infection { to, .. } => to,
        }
    }
    /// The rate (per day).
    pub fn rate(&self) -> f64 {
        match *self {
            Transition::Spontaneous { rate, .. } | Transition::Infection { rate, .. } => rate,
        }
    }
}

/// A validated compartmental model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    names: Vec<String>,
    transitions: Vec<Transition>,
    susceptible: usize,
    removed: Option<usize>,
    infected: Vec<bool>,
    infectious: Vec<bool>,
    travels: Vec<bool>,
}

impl Model {
    /// A builder for a user-defined model.
    pub fn builder() -> ModelBuilder {
        ModelBuilder::default()
    }

    /// SIR with basic reproduction number `r0` and mean infectious period
    /// `infectious_days`: beta = r0 / D, gamma = 1 / D.
    pub fn sir(r0: f64, infectious_days: f64) -> Result<Model, EpidemicError> {
        check_r0(r0)?;
        check_days("infectious_days", infectious_days)?;
        Model::builder()
            .compartments(&["S", "I", "R"])
            .infection("S", "I", "I", r0 / infectious_days)
            .spontaneous("I", "R", 1.0 / infectious_days)
            .removed("R")
            .build()
    }

    /// SEIR: as [`Model::sir`] with a latent compartment E of mean `latent_days`
    /// (sigma = 1 / L). R0 = beta / gamma does not depend on L.
    pub fn seir(r0: f64, latent_days: f64, infectious_days: f64) -> Result<Model, EpidemicError> {
        check_r0(r0)?;
        check_days("latent_days", latent_days)?;
        check_days("infectious_days", infectious_days)?;
        Model::builder()
            .compartments(&["S", "E", "I", "R"])
            .infection("S", "I", "E", r0 / infectious_days)
            .spontaneous("E", "I", 1.0 / latent_days)
            .spontaneous("I", "R", 1.0 / infectious_days)
            .removed("R")
            .build()
    }

    /// SEIRD: SEIR where a fraction `ifr` of those leaving I die (compartment D).
    pub fn seird(
        r0: f64,
        latent_days: f64,
        infectious_days: f64,
        ifr: f64,
    ) -> Result<Model, EpidemicError> {
        check_r0(r0)?;
        check_days("latent_days", latent_days)?;
        check_days("infectious_days", infectious_days)?;
        if !(0.0..=1.0).contains(&ifr) {
            return Err(EpidemicError::BadParameter {
                name: "ifr",
                value: ifr,
                expected: "a fraction in [0, 1]",
            });
        }
        Model::builder()
            .compartments(&["S", "E", "I", "R", "D"])
            .infection("S", "I", "E", r0 / infectious_days)
            .spontaneous("E", "I", 1.0 / latent_days)
            .spontaneous("I", "R", (1.0 - ifr) / infectious_days)
            .spontaneous("I", "D", ifr / infectious_days)
            .removed("R")
            .stationary(&["D"])
            .build()
    }

    /// Compartment names, in order.
    pub fn compartments(&self) -> &[String] {
        &self.names
    }
    /// Number of compartments.
    pub fn len(&self) -> usize {
        self.names.len()
    }
    /// Never true for a built model (kept for clippy's `len_without_is_empty`).
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
    /// The transitions, in the order given.
    pub fn transitions(&self) -> &[Transition] {
        &self.transitions
    }
    /// Index of a compartment by name.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }
    /// The susceptible compartment (source of the first infection transition).
    pub fn susceptible(&self) -> usize {
        self.susceptible
    }
    /// Where vaccinated and screened-out people go, if declared.
    pub fn removed(&self) -> Option<usize> {
        self.removed
    }
    /// Whether a compartment counts as infected (prevalence, arrival).
    pub fn is_infected(&self, c: usize) -> bool {
        self.infected[c]
    }
    /// Whether a compartment is infectious (an infector of some infection transition).
    pub fn is_infectious(&self, c: usize) -> bool {
        self.infectious[c]
    }
    /// Whether people in a compartment travel (the dead do not).
    pub fn travels(&self, c: usize) -> bool {
        self.travels[c]
    }
    /// The first infectious compartment: where seeds go unless told otherwise.
    pub fn seed_compartment(&self) -> usize {
        self.infectious.iter().position(|&b| b).unwrap_or(0)
    }
    /// Total spontaneous exit rate of a compartment (per day).
    pub fn exit_rate(&self, c: usize) -> f64 {
        self.transitions
            .iter()
            .filter_map(|t| match *t {
                Transition::Spontaneous { from, rate, .. } if from == c => Some(rate),
                _ => None,
            })
            .sum()
    }
    /// Basic reproduction number of a model with one infection transition and one
    /// infectious compartment left at a constant rate: beta / (exit rate). `None` for
    /// other structures (use a next-generation matrix for those).
    pub fn r0(&self) -> Option<f64> {
        let infections: Vec<&Transition> = self
            .transitions
            .iter()
            .filter(|t| matches!(t, Transition::Infection { .. }))
            .collect();
        match infections.as_slice() {
            [Transition::Infection { infector, rate, .. }] => {
                let exit = self.exit_rate(*infector);
                (self.infectious.iter().filter(|&&b| b).count() == 1 && exit > 0.0)
                    .then(|| rate / exit)
            }
            _ => None,
        }
    }
}

fn check_r0(r0: f64) -> Result<(), EpidemicError> {
    if r0.is_finite() && r0 > 0.0 {
        Ok(())
    } else {
        Err(EpidemicError::BadParameter {
            name: "r0",
            value: r0,
            expected: "a positive finite number",
        })
    }
}

fn check_days(name: &'static str, days: f64) -> Result<(), EpidemicError> {
    if days.is_finite() && days > 0.0 {
        Ok(())
    } else {
        Err(EpidemicError::BadParameter {
            name,
            value: days,
            expected: "a positive finite number of days",
        })
    }
}

#[derive(Debug, Clone)]
enum Spec {
    Spontaneous(String, String, f64),
    Infection(String, String, String, f64),
}

impl Spec {
    fn describe(&self) -> String {
        match self {
            Spec::Spontaneous(f, t, _) => format!("{f} -> {t}"),
            Spec::Infection(f, i, t, _) => format!("{f} + {i} -> {t}"),
        }
    }
}

/// Builds a [`Model`]; errors come from [`ModelBuilder::build`].
#[derive(Debug, Clone, Default)]
pub struct ModelBuilder {
    names: Vec<String>,
    specs: Vec<Spec>,
    infected: Option<Vec<String>>,
    removed: Option<String>,
    stationary: Vec<String>,
}

impl ModelBuilder {
    /// Add one compartment.
    pub fn compartment(mut self, name: &str) -> Self {
        self.names.push(name.to_string());
        self
    }
    /// Add compartments in order.
    pub fn compartments(mut self, names: &[&str]) -> Self {
        self.names.extend(names.iter().map(|s| s.to_string()));
        self
    }
    /// `from -> to` at `rate` per day.
    pub fn spontaneous(mut self, from: &str, to: &str, rate: f64) -> Self {
        self.specs
            .push(Spec::Spontaneous(from.into(), to.into(), rate));
        self
    }
    /// `from + infector -> to` at transmission rate `rate` per day.
    pub fn infection(mut self, from: &str, infector: &str, to: &str, rate: f64) -> Self {
        self.specs.push(Spec::Infection(
            from.into(),
            infector.into(),
            to.into(),
            rate,
        ));
        self
    }
    /// Set the infected compartments explicitly (prevalence and arrival count them).
    pub fn infected(mut self, names: &[&str]) -> Self {
        self.infected = Some(names.iter().map(|s| s.to_string()).collect());
        self
    }
    /// The compartment vaccinated and screened-out people move to.
    pub fn removed(mut self, name: &str) -> Self {
        self.removed = Some(name.to_string());
        self
    }

    /// Compartments whose people do not travel (e.g. D). The susceptible compartment
    /// must travel: it fills the seats the others leave.
    pub fn stationary(mut self, names: &[&str]) -> Self {
        self.stationary.extend(names.iter().map(|s| s.to_string()));
        self
    }

    /// Validate and build.
    pub fn build(self) -> Result<Model, EpidemicError> {
        if self.names.is_empty() {
            return Err(EpidemicError::NoCompartments);
        }
        for (i, n) in self.names.iter().enumerate() {
            let ok = n.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !ok {
                return Err(EpidemicError::BadCompartmentName(n.clone()));
            }
            if self.names[..i].contains(n) {
                return Err(EpidemicError::DuplicateCompartment(n.clone()));
            }
        }
        let idx = |name: &str, context: &str| {
            self.names.iter().position(|n| n == name).ok_or_else(|| {
                EpidemicError::UnknownCompartment {
                    context: context.to_string(),
                    name: name.to_string(),
                }
            })
        };
        let mut transitions = Vec::with_capacity(self.specs.len());
        for spec in &self.specs {
            let what = spec.describe();
            let context = format!("transition {what}");
            let t = match spec {
                Spec::Spontaneous(f, t, rate) => Transition::Spontaneous {
                    from: idx(f, &context)?,
                    to: idx(t, &context)?,
                    rate: *rate,
                },
                Spec::Infection(f, i, t, rate) => Transition::Infection {
                    from: idx(f, &context)?,
                    infector: idx(i, &context)?,
                    to: idx(t, &context)?,
                    rate: *rate,
                },
            };
            if !(t.rate().is_finite() && t.rate() >= 0.0) {
                return Err(EpidemicError::BadRate {
                    transition: what,
                    rate: t.rate(),
                });
            }
            if t.from() == t.to() {
                return Err(EpidemicError::SelfTransition(what));
            }
            transitions.push(t);
        }
        let k = self.names.len();
        let mut infectious = vec![false; k];
        let mut targets = vec![false; k];
        let mut susceptible = None;
        for t in &transitions {
            if let Transition::Infection {
                from, infector, to, ..
            } = *t
            {
                infectious[infector] = true;
                targets[to] = true;
                susceptible.get_or_insert(from);
            }
        }
        let Some(susceptible) = susceptible else {
            return Err(EpidemicError::NoInfectious);
        };
        let infected = match &self.infected {
            Some(names) => {
                let mut v = vec![false; k];
                for n in names {
                    v[idx(n, "the infected list")?] = true;
                }
                v
            }
            None => infer_infected(k, &transitions, &targets, &infectious),
        };
        let removed = match &self.removed {
            Some(n) => Some(idx(n, "the removed compartment")?),
            None => None,
        };
        let mut travels = vec![true; k];
        for n in &self.stationary {
            let c = idx(n, "the stationary list")?;
            if c == susceptible {
                return Err(EpidemicError::StationarySusceptible(n.clone()));
            }
            travels[c] = false;
        }
        Ok(Model {
            names: self.names,
            transitions,
            susceptible,
            removed,
            infected,
            infectious,
            travels,
        })
    }
}

/// Infected = infectors, plus compartments reachable from an infection target through
/// spontaneous transitions that can still reach an infector (E before I).
fn infer_infected(
    k: usize,
    transitions: &[Transition],
    targets: &[bool],
    infectious: &[bool],
) -> Vec<bool> {
    let spont: Vec<(usize, usize)> = transitions
        .iter()
        .filter_map(|t| match *t {
            Transition::Spontaneous { from, to, .. } => Some((from, to)),
            Transition::Infection { .. } => None,
        })
        .collect();
    let closure = |start: &[bool], forward: bool| {
        let mut seen = start.to_vec();
        loop {
            let mut changed = false;
            for &(f, t) in &spont {
                let (a, b) = if forward { (f, t) } else { (t, f) };
                if seen[a] && !seen[b] {
                    seen[b] = true;
                    changed = true;
                }
            }
            if !changed {
                return seen;
            }
        }
    };
    let from_targets = closure(targets, true);
    let to_infectors = closure(infectious, false);
    (0..k)
        .map(|c| infectious[c] || (from_targets[c] && to_infectors[c]))
        .collect()
}

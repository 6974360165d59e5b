//! What a brief is: its [`State`] in the workflow, the input types (`New*`), and what readers get
//! back ([`Brief`], [`BriefSummary`], [`Evidence`], [`DocumentInfo`]). Plain data, no IO, no serde
//! (wire formats live in the server and the CLI).

use std::fmt;

use attache_accounts::Clearance;
use attache_core::outcome::{ModelRef, PredictedOutcome};
use jiff::Timestamp;

/// A brief's place in the workflow: draft -> review -> decided -> archived.
///
/// Allowed moves: draft -> review (submit), review -> draft (send back), review -> decided
/// (a diplomat decides), draft -> archived (abandon), decided -> archived. Nothing leaves
/// `archived`; nothing returns to `draft` or `review` from `decided`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    Draft,
    Review,
    Decided,
    Archived,
}

impl State {
    pub const ALL: [State; 4] = [State::Draft, State::Review, State::Decided, State::Archived];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Review => "review",
            State::Decided => "decided",
            State::Archived => "archived",
        }
    }

    /// The inverse of [`State::as_str`].
    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Whether the workflow allows moving from `self` to `to`.
    pub fn can_become(self, to: State) -> bool {
        use State::*;
        matches!(
            (self, to),
            (Draft, Review)
                | (Review, Draft)
                | (Review, Decided)
                | (Draft, Archived)
                | (Decided, Archived)
        )
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who wrote a piece of text. Machine-written text is always shown labelled as such.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Author {
    /// A user, by account name.
    Person(String),
    /// A model or program ("gbt-hurdle 0.3.0").
    Machine(String),
}

impl Author {
    /// "written by alice" or "machine-written (gbt-hurdle 0.3.0)".
    pub fn label(&self) -> String {
        match self {
            Author::Person(n) => format!("written by {n}"),
            Author::Machine(g) => format!("machine-written ({g})"),
        }
    }

    pub fn is_machine(&self) -> bool {
        matches!(self, Author::Machine(_))
    }
}

/// Text with its author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub body: String,
    pub author: Author,
}

/// One option as the author gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOption {
    pub title: String,
    pub summary: String,
}

/// A new brief: a question and two or more options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBrief {
    pub title: String,
    pub question: String,
    pub classification: Clearance,
    pub options: Vec<NewOption>,
}

/// Changes to a draft; `None` leaves a field as it is. Replacing the options drops their
/// predictions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BriefEdit {
    pub title: Option<String>,
    pub question: Option<String>,
    pub options: Option<Vec<NewOption>>,
}

/// An option of a stored brief, with the outcomes predicted for it.
#[derive(Debug, Clone, PartialEq)]
pub struct BriefOption {
    pub title: String,
    /// Written by the brief's author.
    pub summary: Text,
    /// Machine-made, through an [`attache_core::outcome::OutcomePredictor`]; each carries its
    /// uncertainty, assumptions, model version and data vintage.
    pub predictions: Vec<PredictedOutcome>,
}

/// The kinds of evidence a brief can cite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceKind {
    Forecast,
    Indicator,
    Event,
    Simulation,
}

impl EvidenceKind {
    pub const ALL: [EvidenceKind; 4] = [
        EvidenceKind::Forecast,
        EvidenceKind::Indicator,
        EvidenceKind::Event,
        EvidenceKind::Simulation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Forecast => "forecast",
            EvidenceKind::Indicator => "indicator",
            EvidenceKind::Event => "event",
            EvidenceKind::Simulation => "simulation",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        EvidenceKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Forecasts and simulations come from a model, whose version must be pinned.
    pub fn needs_model(self) -> bool {
        matches!(self, EvidenceKind::Forecast | EvidenceKind::Simulation)
    }
}

impl fmt::Display for EvidenceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An evidence item, pinned to the data vintage (and model version) it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvidence {
    pub kind: EvidenceKind,
    pub title: String,
    pub summary: Text,
    /// Where it comes from: a table and indicator code, a source id, a forecast run.
    pub source: String,
    pub data_vintage: String,
    /// Required for forecasts and simulations.
    pub model: Option<ModelRef>,
    /// The outcome itself, when the evidence is a prediction.
    pub outcome: Option<PredictedOutcome>,
}

impl NewEvidence {
    /// A predicted outcome as evidence (machine-written summary, model and vintage pinned).
    pub fn from_outcome(kind: EvidenceKind, source: &str, outcome: &PredictedOutcome) -> Self {
        NewEvidence {
            kind,
            title: outcome.description.clone(),
            summary: Text {
                body: outcome.describe(),
                author: Author::Machine(outcome.model.to_string()),
            },
            source: source.to_string(),
            data_vintage: outcome.data_vintage.clone(),
            model: Some(outcome.model.clone()),
            outcome: Some(outcome.clone()),
        }
    }
}

/// A stored evidence item.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub id: i64,
    pub item: NewEvidence,
    pub added_by: String,
    pub added_at: Timestamp,
}

/// A document to attach. Its own classification may be above the brief's: readers below it do
/// not see that the document exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    pub name: String,
    /// A MIME type (`application/pdf`).
    pub media_type: String,
    pub classification: Clearance,
    pub content: Vec<u8>,
}

/// A stored document, without its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentInfo {
    pub id: i64,
    pub name: String,
    pub media_type: String,
    /// Its own marking; readers need `max(brief, document)`.
    pub classification: Clearance,
    pub size: u64,
    pub added_by: String,
    pub added_at: Timestamp,
}

/// A document with its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub info: DocumentInfo,
    pub content: Vec<u8>,
}

/// What a diplomat decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Option `option_index` (0-based) is chosen.
    Choose { option_index: usize },
    /// None of the options is taken.
    RejectAll,
}

/// A recorded decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRecord {
    pub decision: Decision,
    pub rationale: String,
    pub decided_by: String,
    pub decided_at: Timestamp,
}

/// One change of state, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// `None` for creation.
    pub from: Option<State>,
    pub to: State,
    pub by: String,
    pub at: Timestamp,
}

/// A whole brief as one principal may see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Brief {
    pub id: i64,
    pub classification: Clearance,
    pub state: State,
    pub title: String,
    pub question: String,
    pub options: Vec<BriefOption>,
    pub evidence: Vec<Evidence>,
    /// Only the documents the principal may read.
    pub documents: Vec<DocumentInfo>,
    pub decision: Option<DecisionRecord>,
    pub created_by: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// The brief this one amends.
    pub amends: Option<i64>,
    /// Amendments of this brief the principal may see.
    pub amended_by: Vec<i64>,
    pub history: Vec<Transition>,
    /// Increases with every change (for optimistic concurrency in forms).
    pub revision: i64,
}

/// A brief in a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BriefSummary {
    pub id: i64,
    pub title: String,
    pub classification: Clearance,
    pub state: State,
    pub created_by: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub amends: Option<i64>,
}

/// Most briefs one page lists.
pub const MAX_PAGE: u64 = 200;

/// Which briefs to list, newest first. Anything the principal may not read is left out before
/// paging, so `total` counts only visible briefs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListFilter {
    pub state: Option<State>,
    pub classification: Option<Clearance>,
    /// Only briefs whose title or question contains this (case-insensitive; at most 200
    /// characters). Searches only what the principal may read.
    pub text: Option<String>,
    pub offset: u64,
    /// At most [`MAX_PAGE`].
    pub limit: u64,
}

impl Default for ListFilter {
    fn default() -> Self {
        ListFilter {
            state: None,
            classification: None,
            text: None,
            offset: 0,
            limit: 50,
        }
    }
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub items: Vec<BriefSummary>,
    /// Visible briefs matching the filter, on all pages.
    pub total: u64,
    pub offset: u64,
}

/// What [`crate::Briefs::rewrap_all`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RewrapReport {
    /// Ciphertexts resealed under the active key.
    pub resealed: u64,
    /// Ciphertexts already under the active key.
    pub unchanged: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions_table() {
        use State::*;
        let allowed = [
            (Draft, Review),
            (Review, Draft),
            (Review, Decided),
            (Draft, Archived),
            (Decided, Archived),
        ];
        for from in State::ALL {
            for to in State::ALL {
                assert_eq!(
                    from.can_become(to),
                    allowed.contains(&(from, to)),
                    "{from} -> {to}"
                );
            }
        }
        for s in State::ALL {
            assert_eq!(State::parse(s.as_str()), Some(s));
        }
        assert_eq!(State::parse("Draft"), None);
    }
}

//! Text signals of speeches (issue 15, "signals beyond events": the UN General Debate), with no
//! IO: a reader hands text in and gets counts back.
//!
//! - [`words`]: sentences and lowercased letter runs, as every count here sees a text.
//! - [`topics`]: stated keyword lists ([`Topic`], [`TOPICS`]); a speech's share of sentences
//!   that mention each, and the excerpt Wordfish scales by topic.
//! - [`tone`]: dictionary tone: stated positive and negative word lists, counted, and put on
//!   the logit scale of Lowe, Benoit, Mikhaylov & Laver (2011), `ln((pos + 0.5) / (neg + 0.5))`.
//! - [`profile`]: one pass over a speech giving both ([`Profile`]).
//! - [`check`]: the tone dictionary scored against human labels (the GoodNewsEveryone
//!   headlines' dominant emotions, as valence): area under the ROC curve and coverage.
//!
//! Keyword and dictionary entries are lowercase letters, with `*` at the end for a prefix
//! (`disarm*` matches `disarmament`) and a space between the words of a phrase (`arms control`);
//! [`patterns`] compiles them once.

pub mod check;
pub mod patterns;
pub mod profile;
pub mod tone;
pub mod topics;
pub mod words;

pub use check::ToneCheck;
pub use patterns::PatternError;
pub use profile::Profile;
pub use tone::{Tone, Valence};
pub use topics::{TOPICS, Topic, UnknownTopic};
pub use words::sentences;

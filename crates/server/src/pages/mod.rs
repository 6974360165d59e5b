//! HTML pages, one module per resource. Each page builds its data as a
//! [`Table`](crate::download::Table) first; the HTML renders it and `?format=` downloads it.

pub mod admin;
pub mod alerts;
pub mod assets;
pub mod brief_outcomes;
pub mod briefs;
pub mod climate;
pub mod compare;
pub mod country;
pub mod epidemic;
pub mod events;
pub mod home;
pub mod indices;
pub mod login;
pub mod methodology;
pub mod negotiation;
pub mod sources;
pub mod trade;
pub mod verify;

pub use crate::views::{check_model, enc, model_tag, run_month};

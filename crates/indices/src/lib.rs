//! Composite indices recomputed from their parts, with no IO: callers pass parsed tables.
//!
//! | module | what |
//! | --- | --- |
//! | [`inform`] | INFORM Risk 2025 from its 22 components (JRC aggregation, Excel rounding), risk class, drivers, what-ifs, indicator scaling |
//! | [`sdg`] | the SDSN SDG Index: 0-100 normalisation, goal scores, index, the 80% coverage rule, regional imputation, colour ratings, trend arrows |
//! | [`projection`] | an indicator's linear trend projected to 2030, with a prediction interval |
//! | [`allocate`] | a budget across countries x goals by linear programming, with its binding constraints |
//! | [`plan`] | an allocation plan written as one line, and the allocation as a brief's option |
//! | [`excel`] | Excel's `ROUND`, which the published INFORM figures depend on |
//!
//! Every function here is deterministic and documented with its source; nothing reads files.
//!
//! ```
//! use attache_indices::inform::{Change, Component, Components, Dimension, what_if};
//!
//! // Afghanistan's 22 published component scores (INFORM Risk 2025), in column order.
//! let published = [
//!     8.8, 7.3, 0.0, 0.0, 0.0, 8.7, 6.1, 9.7, 7.5, 8.9, 8.9, 5.7, 10.0, 1.9, 4.3, 2.7, 7.3,
//!     7.1, 8.7, 6.7, 5.8, 7.9,
//! ];
//! let mut c = Components::new();
//! for (k, v) in Component::ALL.into_iter().zip(published) {
//!     c.set(k, Some(v));
//! }
//! let w = what_if(&c, &[Change::Dimension(Dimension::LackOfCopingCapacity, -1.0)]).unwrap();
//! assert_eq!((w.before.risk, w.risk), (7.8, 7.4));
//! println!("{}", w.explain());
//! ```

pub mod allocate;
pub mod error;
pub mod excel;
pub mod inform;
pub mod plan;
pub mod projection;
pub mod sdg;

pub use error::IndexError;

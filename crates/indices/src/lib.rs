//! Composite indices recomputed from their parts, with no IO: callers pass parsed tables.
//!
//! | module | what |
//! | --- | --- |
//! | [`inform`] | INFORM Risk 2025 from its 22 components (JRC aggregation, Excel rounding), risk class, drivers, what-ifs, indicator scaling |
//! | [`sdg`] | the SDSN SDG Index: 0-100 normalisation, goal scores, index, the 80% coverage rule, regional imputation, colour ratings, trend arrows |
//! | [`projection`] | an indicator's linear trend projected to 2030, with a prediction interval |
//! | [`allocate`] | a budget across countries x goals by linear programming, with its binding constraints |
//! | [`excel`] | Excel's `ROUND`, which the published INFORM figures depend on |
//!
//! Every function here is deterministic and documented with its source; nothing reads files.

pub mod allocate;
pub mod error;
pub mod excel;
pub mod inform;
pub mod projection;
pub mod sdg;

pub use error::IndexError;

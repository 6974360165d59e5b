//! SVG charts and maps for the Attaché dashboard, drawn in Rust. No IO: inputs are bytes and
//! structs, outputs are SVG strings to embed in server-rendered HTML (no JavaScript needed).
//!
//! - [`topo`]: TopoJSON parsing (Natural Earth world atlas) with errors that say where.
//! - [`project`]: the Equal Earth projection and antimeridian cutting.
//! - [`map`]: a world choropleth with legend, no-data hatching and per-country links.
//! - [`chart`]: fan chart of a forecast, line chart, horizontal bar chart.
//!
//! Honesty and accessibility rules every drawing follows: a title, labelled axes with units,
//! a legend for every colour or pattern, `<title>` tooltips on data marks, `role="img"` with
//! `aria-label` and a generated `<desc>`, colour-blind-safe palettes ([`palette`]), colour never
//! the only cue (dash patterns, hatching, signed labels), every text escaped for XML, and no
//! `NaN` or infinity ever written: charts refuse non-finite input ([`VizError`]), maps show it
//! as no data and count it.
//!
//! ```
//! use attache_viz::chart::{Frame, bar::{bar_chart, Bar, BarSpec}};
//! use attache_viz::scale::ValueFormat;
//!
//! let spec = BarSpec {
//!     frame: Frame::new("top-risk", "Highest risk next month", 480.0, 160.0),
//!     value_label: "Probability of ≥ 25 deaths".into(),
//!     value_format: ValueFormat::Percent { decimals: 0 },
//!     sign_labels: None,
//! };
//! let svg = bar_chart(&spec, &[Bar::new("Sudan", 0.91), Bar::new("Côte d'Ivoire", 0.05)]).unwrap();
//! assert!(svg.contains("Côte d&#39;Ivoire"));
//! ```

pub mod chart;
pub mod error;
pub mod map;
pub mod palette;
pub mod project;
pub mod scale;
pub mod topo;
pub mod xml;

pub use error::VizError;

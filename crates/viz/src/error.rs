//! Errors for chart and map inputs: each names the series, month or setting that is wrong.
//! (TopoJSON errors are [`crate::topo::TopoError`].)

/// An input a chart or map refuses to draw, rather than draw a misleading picture.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum VizError {
    #[error(
        "element id {0:?} must start with an ASCII letter and contain only ASCII letters, digits, '-' and '_'"
    )]
    BadId(String),
    #[error(
        "size {width} x {height} is not drawable (need finite sizes from {min_width} x {min_height} to 10000 x 10000)"
    )]
    BadSize {
        width: f64,
        height: f64,
        min_width: f64,
        min_height: f64,
    },
    #[error("{series}: value at {at} is not finite ({value})")]
    NonFinite {
        series: String,
        at: String,
        value: f64,
    },
    #[error("{series}: value {value} at {at} is beyond ±1e15, too large to draw")]
    TooLarge {
        series: String,
        at: String,
        value: f64,
    },
    #[error("{series}: value {value} at {at} is negative, but a log1p scale needs values >= 0")]
    Negative {
        series: String,
        at: String,
        value: f64,
    },
    #[error(
        "{series}: {at} does not come after {prev}; points must be in strictly increasing order"
    )]
    Order {
        series: String,
        at: String,
        prev: String,
    },
    #[error("{series}: at {at} the low value {lo} is above the high value {hi}")]
    Range {
        series: String,
        at: String,
        lo: f64,
        hi: f64,
    },
    #[error(
        "forecast {month}: quantiles out of order: need 90% low <= 50% low <= median <= 50% high <= 90% high, got {q:?}"
    )]
    Quantiles { month: String, q: [f64; 5] },
    #[error("nothing to draw: {0}")]
    Empty(&'static str),
    #[error("colour scale: {0}")]
    ColourScale(String),
    #[error("{0:?} is not a month: expected YYYY-MM with a month from 01 to 12")]
    Month(String),
    #[error("link {0:?} is not a path, #fragment, ?query or http(s) URL")]
    BadHref(String),
    #[error("band {band:?} refers to series {index}, but there are only {count} series")]
    BandSeries {
        band: String,
        index: usize,
        count: usize,
    },
}

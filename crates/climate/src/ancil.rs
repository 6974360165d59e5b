//! Ancillary default time series shipped with FaIR 1.6.4 (`fair/ancil/`), embedded at
//! compile time (no IO): natural CH4/N2O emissions, CMIP6 volcanic and solar ERF, all for
//! 1765..=2500. The CSV files in `data/` are verbatim copies from the FaIR 1.6.4 wheel
//! (Apache-2.0).

use std::sync::OnceLock;

/// First year of the ancillary series.
pub const FIRST_YEAR: f64 = 1765.0;

const NATURAL: &str = include_str!("../data/natural.csv");
const VOLCANIC: &str = include_str!("../data/cmip6_volcanic.csv");
const SOLAR: &str = include_str!("../data/cmip6_solar.csv");

fn numeric_rows(text: &str, sep: char) -> Vec<Vec<f64>> {
    text.lines()
        .filter_map(|l| {
            let v: Option<Vec<f64>> = l
                .split(sep)
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(|c| c.parse::<f64>().ok())
                .collect();
            v.filter(|v| !v.is_empty())
        })
        .collect()
}

/// Natural emissions `[CH4 Mt/yr, N2O Mt N/yr]` per year from 1765 (`ancil/natural.csv`).
pub fn natural() -> &'static [[f64; 2]] {
    static S: OnceLock<Vec<[f64; 2]>> = OnceLock::new();
    S.get_or_init(|| {
        numeric_rows(NATURAL, ' ')
            .into_iter()
            .map(|r| [r[1], r[2]])
            .collect()
    })
}

fn two_col(text: &'static str, cell: &'static OnceLock<Vec<f64>>) -> &'static [f64] {
    cell.get_or_init(|| numeric_rows(text, ',').into_iter().map(|r| r[1]).collect())
}

/// CMIP6 volcanic ERF (W m-2) per year from 1765 (`ancil/cmip6_volcanic.csv`).
pub fn volcanic() -> &'static [f64] {
    static S: OnceLock<Vec<f64>> = OnceLock::new();
    two_col(VOLCANIC, &S)
}

/// CMIP6 solar ERF (W m-2) per year from 1765 (`ancil/cmip6_solar.csv`).
pub fn solar() -> &'static [f64] {
    static S: OnceLock<Vec<f64>> = OnceLock::new();
    two_col(SOLAR, &S)
}

/// Value for `year`, or `None` outside the series.
pub fn at<T: Copy>(series: &[T], year: f64) -> Option<T> {
    let i = year - FIRST_YEAR;
    if i < 0.0 || i.fract() != 0.0 {
        return None;
    }
    series.get(i as usize).copied()
}

//! CAT-style rating bands.
//!
//! A country's emissions in the assessment year under its NDC (its pledge pathway) are
//! compared with two sets of thresholds, one per warming level of
//! [`crate::sharing::LEVELS`] (1.5, 2, 3, 4 °C):
//! - fair share: the most lenient of the four effort-sharing allocations at that level (the
//!   upper end of the fair-share range: benefit of the doubt, as the Climate Action Tracker
//!   draws its fair-share boundaries at the least stringent end of the literature range);
//! - modelled domestic pathway: the country's jump-off emissions scaled by the global
//!   benchmark's relative change (every country moves like the world does).
//!
//! At or below the 1.5 °C threshold: "1.5°C compatible"; below 2 °C: "almost sufficient";
//! below 3 °C: "insufficient"; below 4 °C: "highly insufficient"; above: "critically
//! insufficient". The overall band is the worse of the two (a pledge earns a band only by
//! meeting both benchmarks), and both are always shown.

/// A rating band, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Band {
    /// At or below the 1.5 °C threshold.
    OnePointFive,
    /// Below the 2 °C threshold.
    AlmostSufficient,
    /// Below the 3 °C threshold.
    Insufficient,
    /// Below the 4 °C threshold.
    HighlyInsufficient,
    /// Above the 4 °C threshold.
    CriticallyInsufficient,
}

impl Band {
    /// CAT's wording.
    pub fn label(self) -> &'static str {
        match self {
            Band::OnePointFive => "1.5°C compatible",
            Band::AlmostSufficient => "Almost sufficient",
            Band::Insufficient => "Insufficient",
            Band::HighlyInsufficient => "Highly insufficient",
            Band::CriticallyInsufficient => "Critically insufficient",
        }
    }
}

/// The band of `value` against ascending thresholds for 1.5, 2, 3 and 4 °C (made monotone
/// by a running maximum).
pub fn band(value: f64, thresholds: [f64; 4]) -> Band {
    let mut t = thresholds;
    for i in 1..4 {
        t[i] = t[i].max(t[i - 1]);
    }
    const BANDS: [Band; 4] = [
        Band::OnePointFive,
        Band::AlmostSufficient,
        Band::Insufficient,
        Band::HighlyInsufficient,
    ];
    for (b, th) in BANDS.iter().zip(t) {
        if value <= th {
            return *b;
        }
    }
    Band::CriticallyInsufficient
}

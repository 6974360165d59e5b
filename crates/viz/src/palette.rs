//! Colours: sequential palettes for the choropleth and a categorical palette for series.
//!
//! Sequential palettes are defined by nine published stops and interpolated linearly in sRGB
//! between them:
//!
//! - [`Palette::Viridis`]: matplotlib's viridis (van der Walt & Smith), perceptually uniform,
//!   readable with the common colour-vision deficiencies and in greyscale. Stops at 0, 1/8, …, 1:
//!   `#440154 #472d7b #3b528b #2c728e #21918c #28ae80 #5ec962 #addc30 #fde725` (checked against
//!   matplotlib 3.11.2 `colormaps["viridis"](i / 8)`).
//! - [`Palette::YlOrRd`]: ColorBrewer 9-class YlOrRd (Brewer, colorbrewer2.org, marked
//!   colour-blind safe there): `#ffffcc #ffeda0 #fed976 #feb24c #fd8d3c #fc4e2a #e31a1c #bd0026
//!   #800026`. Light = low, dark red = high: the natural reading for risk.
//!
//! The categorical palette for line series is Okabe & Ito's "Color Universal Design" set (2008),
//! with yellow left out (too faint on white); lines also differ by dash pattern, so colour is
//! never the only cue.

use std::fmt;

/// An sRGB colour, written as `#rrggbb`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// A sequential palette (low to high).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Palette {
    Viridis,
    YlOrRd,
    RdBu,
}

const VIRIDIS: [Rgb; 9] = [
    Rgb(0x44, 0x01, 0x54),
    Rgb(0x47, 0x2d, 0x7b),
    Rgb(0x3b, 0x52, 0x8b),
    Rgb(0x2c, 0x72, 0x8e),
    Rgb(0x21, 0x91, 0x8c),
    Rgb(0x28, 0xae, 0x80),
    Rgb(0x5e, 0xc9, 0x62),
    Rgb(0xad, 0xdc, 0x30),
    Rgb(0xfd, 0xe7, 0x25),
];

const YLORRD: [Rgb; 9] = [
    Rgb(0xff, 0xff, 0xcc),
    Rgb(0xff, 0xed, 0xa0),
    Rgb(0xfe, 0xd9, 0x76),
    Rgb(0xfe, 0xb2, 0x4c),
    Rgb(0xfd, 0x8d, 0x3c),
    Rgb(0xfc, 0x4e, 0x2a),
    Rgb(0xe3, 0x1a, 0x1c),
    Rgb(0xbd, 0x00, 0x26),
    Rgb(0x80, 0x00, 0x26),
];

const RDBU: [Rgb; 9] = [
    Rgb(0xb2, 0x18, 0x2b),
    Rgb(0xd6, 0x60, 0x4d),
    Rgb(0xf4, 0xa5, 0x82),
    Rgb(0xfd, 0xdb, 0xc7),
    Rgb(0xf7, 0xf7, 0xf7),
    Rgb(0xd1, 0xe5, 0xf0),
    Rgb(0x92, 0xc5, 0xde),
    Rgb(0x43, 0x93, 0xc3),
    Rgb(0x21, 0x66, 0xac),
];

impl Palette {
    /// The nine defining stops, evenly spaced over 0..1.
    pub fn stops(self) -> &'static [Rgb; 9] {
        match self {
            Palette::Viridis => &VIRIDIS,
            Palette::YlOrRd => &YLORRD,
            Palette::RdBu => &RDBU,
        }
    }

    /// The colour at `t` in 0..1 (clamped; a non-finite `t` gives the low end).
    pub fn at(self, t: f64) -> Rgb {
        let t = if t.is_finite() {
            t.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let s = self.stops();
        let x = t * 8.0;
        let i = (x.floor() as usize).min(7);
        let f = x - i as f64;
        let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * f).round() as u8;
        Rgb(
            mix(s[i].0, s[i + 1].0),
            mix(s[i].1, s[i + 1].1),
            mix(s[i].2, s[i + 1].2),
        )
    }

    /// `n` colours for `n` ordered classes, from the low end to the high end.
    pub fn classes(self, n: usize) -> Vec<Rgb> {
        match n {
            0 => Vec::new(),
            1 => vec![self.at(0.5)],
            _ => (0..n).map(|i| self.at(i as f64 / (n - 1) as f64)).collect(),
        }
    }
}

/// Okabe–Ito colours for series, in order of use: blue, vermillion, bluish green, reddish
/// purple, orange, sky blue, black.
pub const SERIES: [Rgb; 7] = [
    Rgb(0x00, 0x72, 0xb2),
    Rgb(0xd5, 0x5e, 0x00),
    Rgb(0x00, 0x9e, 0x73),
    Rgb(0xcc, 0x79, 0xa7),
    Rgb(0xe6, 0x9f, 0x00),
    Rgb(0x56, 0xb4, 0xe9),
    Rgb(0x00, 0x00, 0x00),
];

/// Text and axis grey (contrast 10:1 on white).
pub const INK: Rgb = Rgb(0x33, 0x33, 0x33);
/// Grid lines.
pub const GRID: Rgb = Rgb(0xe0, 0xe0, 0xe0);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stops_are_hit_exactly() {
        for p in [Palette::Viridis, Palette::YlOrRd, Palette::RdBu] {
            for (i, s) in p.stops().iter().enumerate() {
                assert_eq!(p.at(i as f64 / 8.0), *s);
            }
        }
        assert_eq!(Palette::Viridis.at(f64::NAN), VIRIDIS[0]);
        assert_eq!(
            Palette::YlOrRd.classes(3),
            vec![YLORRD[0], YLORRD[4], YLORRD[8]]
        );
        assert_eq!(Rgb(0, 0x72, 0xb2).to_string(), "#0072b2");
    }
}

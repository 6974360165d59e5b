//! Rounding as the published workbooks round: Excel's `ROUND`.
//!
//! The INFORM workbook rounds every aggregate to one decimal with Excel's `ROUND`, and the
//! next level is computed from the rounded value. Excel first takes a number to 15
//! significant digits (what it stores and shows), then rounds half away from zero. Rounding
//! the binary value directly differs: Algeria's socio-economic vulnerability,
//! `AVERAGE(2.9, 2.9, 3.4, 0.2)`, is `2.3499999999999996` in `f64`, which Excel rounds to 2.4
//! (as published) and a plain `round` to 2.3. Three published INFORM
//! values (Algeria's and Burkina Faso's socio-economic vulnerability, Iraq's institutional
//! coping capacity) depend on this.

/// Excel's `ROUND(x, digits)`: `x` taken to 15 significant digits, then rounded half away
/// from zero. Non-finite values are returned unchanged.
pub fn round(x: f64, digits: i32) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    let scale = 10f64.powi(digits);
    let scaled = to_15_significant(x * scale);
    scaled.round() / scale
}

/// `x` rounded to 15 significant digits, as Excel holds numbers.
fn to_15_significant(x: f64) -> f64 {
    // `{:.14e}` prints 15 significant digits; parsing it back is exact to the nearest f64.
    format!("{x:.14e}").parse().unwrap_or(x)
}

/// Excel's `ROUND(x, 1)`, the precision of every INFORM score.
pub fn round1(x: f64) -> f64 {
    round(x, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_away_from_zero_after_15_digits() {
        // Algeria's socio-economic vulnerability in INFORM 2025: published 2.4.
        let x = (2.9 + 2.9 + 3.4 + 0.2) / 4.0;
        assert!(x < 2.35, "the f64 value is just below the half");
        assert_eq!(round1(x), 2.4);
        assert_eq!((x * 10.0).round() / 10.0, 2.3, "what a plain round gives");
        assert_eq!(round1(0.25), 0.3);
        assert_eq!(round1(-0.25), -0.3);
        assert_eq!(round1(0.24), 0.2);
        assert_eq!(round(86.760594, 2), 86.76);
        assert_eq!(round1(0.0), 0.0);
        assert!(round1(f64::NAN).is_nan());
    }
}

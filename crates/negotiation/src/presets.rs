//! Games as people write them: a quota and weights typed as text (decimals allowed), and the
//! preset games (the UN Security Council, the EU Council over Eurostat's populations of
//! 1 January 2024). The command line (`attache votes power`) and the voting-power page read
//! games through here, so both accept and refuse the same input with the same words.

use crate::error::PowerError;
use crate::game::Game;

/// Most decimal places accepted in a weight or quota.
pub const MAX_PLACES: usize = 6;

/// Parses non-negative decimals ("7", "2.5") and scales them all by the same power of ten into
/// integers (power is unchanged by a common scale). `what[i]` names `values[i]` in errors.
/// Returns the integers and the number of decimal places used.
pub fn scale_decimals(values: &[&str], what: &[&str]) -> Result<(Vec<u64>, u32), PowerError> {
    let bad = |w: &str, v: &str, why: String| PowerError::BadNumber {
        what: w.to_string(),
        value: v.to_string(),
        why,
    };
    let mut places = 0usize;
    for (v, w) in values.iter().zip(what) {
        let v = v.trim();
        let ok = !v.is_empty()
            && v.chars().all(|c| c.is_ascii_digit() || c == '.')
            && v.matches('.').count() <= 1
            && !v.starts_with('.')
            && !v.ends_with('.');
        if !ok {
            return Err(bad(
                w,
                v,
                "is not a non-negative number (digits, optionally one decimal point)".into(),
            ));
        }
        if let Some((_, frac)) = v.split_once('.') {
            if frac.len() > MAX_PLACES {
                return Err(bad(
                    w,
                    v,
                    format!(
                        "has {} decimal places; at most {MAX_PLACES} are accepted",
                        frac.len()
                    ),
                ));
            }
            places = places.max(frac.len());
        }
    }
    let mut out = Vec::with_capacity(values.len());
    for (v, w) in values.iter().zip(what) {
        let v = v.trim();
        let (int, frac) = v.split_once('.').unwrap_or((v, ""));
        let digits = format!("{int}{frac:0<places$}");
        let n: u64 = digits.parse().map_err(|_| {
            bad(
                w,
                v,
                "is too large (scaled, it must fit 64 bits)".to_string(),
            )
        })?;
        out.push(n);
    }
    Ok((out, places as u32))
}

/// A comma-separated list, each item trimmed.
pub fn split_list(s: &str) -> Vec<&str> {
    s.split(',').map(str::trim).collect()
}

/// A weighted game from text: `quota`, comma-separated `weights` and optional comma-separated
/// `names`. Returns the game and, when decimals were scaled, the weights as written (for
/// display; the game holds the scaled integers).
pub fn weighted_from_text(
    quota: &str,
    weights: &str,
    names: Option<&str>,
) -> Result<(Game, Option<Vec<f64>>), PowerError> {
    let ws = split_list(weights);
    let mut all = ws.clone();
    all.push(quota);
    let mut what = vec!["weight"; ws.len()];
    what.push("quota");
    let (mut ints, places) = scale_decimals(&all, &what)?;
    let q = ints.pop().expect("the quota was pushed");
    let shown = (places > 0).then(|| {
        ws.iter()
            .map(|w| w.parse::<f64>().unwrap_or(f64::NAN))
            .collect()
    });
    let mut game = Game::weighted(q, ints)?;
    if let Some(names) = names.filter(|n| !n.trim().is_empty()) {
        game = game.with_names(split_list(names).into_iter().map(String::from).collect())?;
    }
    Ok((game, shown))
}

/// Eurostat's EU-27 populations on 1 January 2024, thousands: (code, population) in the
/// table's order (see the header of `data/eu27_population_2024.csv` for the source).
pub fn eu27_population_2024() -> Vec<(String, u64)> {
    include_str!("../data/eu27_population_2024.csv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|line| {
            let cols: Vec<&str> = line.split(',').collect();
            let pop = cols
                .get(2)
                .and_then(|p| p.parse::<u64>().ok())
                .unwrap_or_else(|| panic!("embedded EU table, line {line:?}"));
            (cols[1].to_string(), pop)
        })
        .collect()
}

/// The EU Council's qualified majority (TEU Art. 16(4)) over [`eu27_population_2024`].
pub fn eu_council_2024() -> Game {
    let (names, pops) = eu27_population_2024().into_iter().unzip();
    Game::eu_council(names, pops).expect("the embedded EU table makes a valid game (tested)")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One helper: text in, (scaled quota, scaled weights, shown weights) or the error's words.
    fn check(quota: &str, weights: &str, expect: Result<(u64, Vec<u64>, bool), &str>) {
        match (weighted_from_text(quota, weights, None), expect) {
            (Ok((g, shown)), Ok((q, w, decimals))) => {
                let c = &g.criteria()[0];
                assert_eq!(c.weights, w, "{weights}");
                assert_eq!(c.threshold, crate::game::Threshold::AtLeast(q));
                assert_eq!(shown.is_some(), decimals);
            }
            (Err(e), Err(says)) => assert!(e.to_string().contains(says), "{e}"),
            (got, want) => panic!("{quota} / {weights}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn text_games() {
        check(
            "25",
            "7,7,7,7,7,1,1",
            Ok((25, vec![7, 7, 7, 7, 7, 1, 1], false)),
        );
        check("2.5", "1.25, 2, 0.5", Ok((250, vec![125, 200, 50], true)));
        check("3", "1,x", Err("weight \"x\" is not a non-negative number"));
        check("3", "1,-2", Err("weight \"-2\""));
        check("1.1234567", "1", Err("at most 6 are accepted"));
        check("3", "99999999999999999999", Err("too large"));
    }

    fn scaled(values: &[&str], expect: Result<(Vec<u64>, u32), &str>) {
        let what = vec!["weight"; values.len()];
        match (scale_decimals(values, &what), expect) {
            (Ok(got), Ok(want)) => assert_eq!(got, want, "{values:?}"),
            (Err(e), Err(want)) => assert!(e.to_string().contains(want), "{values:?}: {e}"),
            (got, want) => panic!("{values:?}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn decimal_weights_scale_to_integers() {
        scaled(&["7", "1", "39"], Ok((vec![7, 1, 39], 0)));
        scaled(&["2.5", "1", "3.25"], Ok((vec![250, 100, 325], 2)));
        scaled(&["0.000001", "1"], Ok((vec![1, 1_000_000], 6)));
        scaled(&["0.0000001"], Err("at most 6"));
        scaled(&["-1"], Err("not a non-negative number"));
        scaled(&["1e3"], Err("not a non-negative number"));
        scaled(&["1..2"], Err("not a non-negative number"));
        scaled(&[""], Err("not a non-negative number"));
        scaled(&["99999999999999999999"], Err("too large"));
    }

    #[test]
    fn the_eu_table_has_27_members() {
        let t = eu27_population_2024();
        assert_eq!(t.len(), 27);
        assert_eq!(eu_council_2024().members().len(), 27);
    }
}

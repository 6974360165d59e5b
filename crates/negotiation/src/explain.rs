//! Plain-words explanations: every result type says what it found in one sentence for a
//! reader who is not a game theorist.

/// A result that can explain itself in one sentence.
pub trait Explain {
    /// One sentence, in plain words, saying what the result is and what it means.
    fn explain(&self) -> String;
}

/// A share as a percentage with one decimal ("19.6%"), or two below 1%.
pub(crate) fn pct(x: f64) -> String {
    let p = 100.0 * x;
    if p != 0.0 && p.abs() < 1.0 {
        format!("{p:.2}%")
    } else {
        format!("{p:.1}%")
    }
}

/// A number with up to three decimals, trailing zeros trimmed.
pub(crate) fn num(x: f64) -> String {
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// Names joined as "A, B and C".
pub(crate) fn join_names<S: AsRef<str>>(names: &[S]) -> String {
    match names.len() {
        0 => String::new(),
        1 => names[0].as_ref().to_string(),
        k => {
            let head: Vec<&str> = names[..k - 1].iter().map(|s| s.as_ref()).collect();
            format!("{} and {}", head.join(", "), names[k - 1].as_ref())
        }
    }
}

//! "Did you mean": the edit distance behind the suggestions a failed lookup offers
//! ([`crate::Crosswalk::suggest`]). No dependency: short strings, a few thousand comparisons per
//! failed query.

/// The optimal string alignment distance between `a` and `b`, counted in characters: the number
/// of insertions, deletions, substitutions and transpositions of two adjacent characters that
/// turn one into the other ("sudn" -> "sudan" is 1, "sduan" -> "sudan" is 1).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.is_empty() || b.is_empty() {
        return a.len().max(b.len());
    }
    // Three rows: the one before last (for transpositions), the last, the current.
    let width = b.len() + 1;
    let mut before: Vec<usize> = vec![0; width];
    let mut last: Vec<usize> = (0..width).collect();
    let mut row: Vec<usize> = vec![0; width];
    for i in 1..=a.len() {
        row[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (last[j] + 1).min(row[j - 1] + 1).min(last[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            row[j] = d;
        }
        std::mem::swap(&mut before, &mut last);
        std::mem::swap(&mut last, &mut row);
    }
    last[b.len()]
}

/// How far a query may be from a name to be suggested: one edit for up to four characters, two
/// up to eight, three beyond.
pub fn tolerance(query_chars: usize) -> usize {
    match query_chars {
        0..=4 => 1,
        5..=8 => 2,
        _ => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: (&str, &str), expect: usize) {
        assert_eq!(edit_distance(input.0, input.1), expect, "{input:?}");
    }

    #[test]
    fn distances() {
        // Textbook cases (Levenshtein 1966; "kitten"/"sitting" = 3 as in every reference).
        check(("kitten", "sitting"), 3);
        check(("", ""), 0);
        check(("", "abc"), 3);
        check(("abc", ""), 3);
        check(("sudn", "sudan"), 1);
        check(("sduan", "sudan"), 1);
        check(("ca", "abc"), 3);
        check(("côte", "cote"), 1);
        check(("india", "india"), 0);
    }

    #[test]
    fn tolerance_grows_with_length() {
        assert_eq!(tolerance(3), 1);
        assert_eq!(tolerance(6), 2);
        assert_eq!(tolerance(12), 3);
    }

    proptest::proptest! {
        #[test]
        fn a_distance(a in "[a-d]{0,7}", b in "[a-d]{0,7}", c in "[a-d]{0,7}") {
            let d = edit_distance(&a, &b);
            proptest::prop_assert_eq!(d, edit_distance(&b, &a));
            proptest::prop_assert_eq!(d == 0, a == b);
            proptest::prop_assert!(d <= a.chars().count().max(b.chars().count()));
            proptest::prop_assert!(d >= a.chars().count().abs_diff(b.chars().count()));
            // Optimal string alignment is not a metric in general (no triangle inequality
            // through transpositions), but appending the same text never changes it.
            let (ac, bc) = (a.clone() + &c, b.clone() + &c);
            proptest::prop_assert!(edit_distance(&ac, &bc) <= d);
        }
    }
}

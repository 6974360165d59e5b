//! Keyword patterns compiled once: `word` matches the whole word, `word*` every word starting
//! with `word`, and `two words` two consecutive words (each matched the same way).
//!
//! A [`PatternSet`] maps each pattern to a label (a topic, a tone class) and finds, at a
//! position of a [`Words`], the patterns that start there. The first words of all patterns are
//! in one byte trie: a word is walked down it once, collecting the prefix patterns met on the
//! way and the whole-word ones where it ends (about 30 million words of the General Debate go
//! through it at every sync, so no hashing per word); the rest of a phrase is checked word by
//! word.

use std::collections::HashSet;

use crate::words::Words;

/// A pattern that is not lowercase letters (with an optional final `*` per word).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("pattern {pattern:?}: {why}")]
pub struct PatternError {
    pub pattern: String,
    pub why: &'static str,
}

/// One word of a pattern.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Part {
    Whole(String),
    Prefix(String),
}

impl Part {
    fn matches(&self, word: &str) -> bool {
        match self {
            Part::Whole(w) => word == w,
            Part::Prefix(p) => word.starts_with(p.as_str()),
        }
    }

    fn stem(&self) -> &str {
        match self {
            Part::Whole(w) | Part::Prefix(w) => w,
        }
    }
}

/// A node of the trie of first words.
#[derive(Debug, Clone, Default)]
struct Node {
    /// (byte, child node), few per node: searched in order.
    children: Vec<(u8, u32)>,
    /// Patterns whose first word is exactly the path to here.
    whole: Vec<u32>,
    /// Patterns whose first word is a prefix ending here.
    prefix: Vec<u32>,
}

/// Patterns with their labels.
#[derive(Debug, Clone)]
pub struct PatternSet<L> {
    patterns: Vec<(Vec<Part>, L)>,
    nodes: Vec<Node>,
}

fn part(word: &str, pattern: &str) -> Result<Part, PatternError> {
    let bad = |why| PatternError {
        pattern: pattern.to_string(),
        why,
    };
    let (stem, prefix) = match word.strip_suffix('*') {
        Some(s) => (s, true),
        None => (word, false),
    };
    if stem.is_empty() {
        return Err(bad("an empty word"));
    }
    if !stem.chars().all(|c| c.is_alphabetic() && !c.is_uppercase()) {
        return Err(bad(
            "a word must be lowercase letters, with `*` only at its end",
        ));
    }
    Ok(if prefix {
        Part::Prefix(stem.to_string())
    } else {
        Part::Whole(stem.to_string())
    })
}

impl<L: Copy> PatternSet<L> {
    /// Compiles `(pattern, label)` pairs. A pattern written twice fails.
    pub fn new<'a>(
        patterns: impl IntoIterator<Item = (&'a str, L)>,
    ) -> Result<PatternSet<L>, PatternError> {
        let mut set = PatternSet {
            patterns: Vec::new(),
            nodes: vec![Node::default()],
        };
        let mut seen: HashSet<Vec<Part>> = HashSet::new();
        for (pattern, label) in patterns {
            let parts = pattern
                .split(' ')
                .map(|w| part(w, pattern))
                .collect::<Result<Vec<_>, _>>()?;
            if !seen.insert(parts.clone()) {
                return Err(PatternError {
                    pattern: pattern.to_string(),
                    why: "written twice",
                });
            }
            let id = u32::try_from(set.patterns.len()).expect("fewer than 2^32 patterns");
            let mut at = 0usize;
            for &b in parts[0].stem().as_bytes() {
                at = match set.nodes[at].children.iter().find(|(c, _)| *c == b) {
                    Some(&(_, child)) => child as usize,
                    None => {
                        let child = set.nodes.len();
                        set.nodes.push(Node::default());
                        set.nodes[at].children.push((b, child as u32));
                        child
                    }
                };
            }
            match parts[0] {
                Part::Whole(_) => set.nodes[at].whole.push(id),
                Part::Prefix(_) => set.nodes[at].prefix.push(id),
            }
            set.patterns.push((parts, label));
        }
        Ok(set)
    }

    /// Calls `f` with the label of each pattern that matches at word `i` of `words`, until `f`
    /// returns false: whole-word first patterns before prefix ones, longer prefixes before
    /// shorter, in the order written within each.
    pub fn each_at(&self, words: &Words, i: usize, mut f: impl FnMut(L) -> bool) {
        let first = words.get(i).as_bytes();
        // Nodes passed that hold prefix patterns, shallowest first (a word is short).
        let mut passed: [u32; 64] = [0; 64];
        let mut n_passed = 0;
        let mut at = 0usize;
        let mut whole_end = None;
        for (depth, &b) in first.iter().enumerate() {
            if !self.nodes[at].prefix.is_empty() && n_passed < passed.len() {
                passed[n_passed] = at as u32;
                n_passed += 1;
            }
            match self.nodes[at].children.iter().find(|(c, _)| *c == b) {
                Some(&(_, child)) => at = child as usize,
                None => break,
            }
            if depth + 1 == first.len() {
                whole_end = Some(at);
                if !self.nodes[at].prefix.is_empty() && n_passed < passed.len() {
                    passed[n_passed] = at as u32;
                    n_passed += 1;
                }
            }
        }
        let fits = |id: u32| {
            let parts = &self.patterns[id as usize].0;
            i + parts.len() <= words.len()
                && parts[1..]
                    .iter()
                    .enumerate()
                    .all(|(k, p)| p.matches(words.get(i + 1 + k)))
        };
        let whole = whole_end.map_or(&[][..], |n| &self.nodes[n].whole[..]);
        let prefixed = passed[..n_passed]
            .iter()
            .rev()
            .flat_map(|&n| self.nodes[n as usize].prefix.iter());
        for &id in whole.iter().chain(prefixed) {
            if fits(id) && !f(self.patterns[id as usize].1) {
                return;
            }
        }
    }

    /// The label of the first pattern that matches at word `i` (the order of
    /// [`PatternSet::each_at`]).
    pub fn first_at(&self, words: &Words, i: usize) -> Option<L> {
        let mut out = None;
        self.each_at(words, i, |l| {
            out = Some(l);
            false
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(patterns: &[(&str, u8)], text: &str, expect: &[(usize, Vec<u8>)]) {
        let set = PatternSet::new(patterns.iter().copied()).unwrap();
        let mut w = Words::default();
        w.fill(text);
        let got: Vec<(usize, Vec<u8>)> = (0..w.len())
            .map(|i| {
                let mut l = Vec::new();
                set.each_at(&w, i, |x| {
                    l.push(x);
                    true
                });
                (i, l)
            })
            .filter(|(_, l)| !l.is_empty())
            .collect();
        assert_eq!(got, expect, "{text:?}");
    }

    #[test]
    fn whole_words_prefixes_and_phrases() {
        let p = [
            ("war", 1),
            ("disarm*", 2),
            ("arms control", 3),
            ("human right*", 4),
        ];
        check(
            &p,
            "War, warfare; disarmament",
            &[(0, vec![1]), (2, vec![2])],
        );
        check(&p, "arms control and arms", &[(0, vec![3])]);
        check(&p, "Human Rights, human", &[(0, vec![4])]);
        check(&p, "humanity rights", &[]);
    }

    #[test]
    fn whole_before_longer_prefix_before_shorter() {
        let p = [("st*", 1), ("stabil*", 2), ("stable", 3)];
        check(&p, "stable stability", &[(0, vec![3, 1]), (1, vec![2, 1])]);
    }

    #[test]
    fn bad_patterns_are_named() {
        for (p, why) in [
            ("War", "lowercase"),
            ("*", "empty"),
            ("a*b", "lowercase"),
            ("two  spaces", "empty"),
            ("cease-fire", "lowercase"),
        ] {
            let e = PatternSet::new([(p, 0u8)]).unwrap_err();
            assert!(e.to_string().contains(why) && e.pattern == p, "{p}: {e}");
        }
        let e = PatternSet::new([("peace", 0u8), ("peace", 1)]).unwrap_err();
        assert_eq!(e.why, "written twice");
    }
}

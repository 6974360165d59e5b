//! Sentences and words as the text signals count them.
//!
//! A sentence ends after `.`, `!` or `?` followed by white space, and at a blank line. A word is
//! a run of letters (`char::is_alphabetic`), lowercased: digits, hyphens and apostrophes split
//! words (`cease-fire` is `cease` `fire`, `don't` is `don` `t`).

/// Sentences of `text`: split after `.`, `!` or `?` followed by white space, and at blank
/// lines. Pieces that are only white space are left out; the others keep their white space.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    let mut after_newline = false;
    while let Some((i, c)) = chars.next() {
        let space_follows = chars.peek().is_some_and(|(_, n)| n.is_whitespace());
        let end = if matches!(c, '.' | '!' | '?') && space_follows {
            Some(i + c.len_utf8())
        } else if c == '\n' && after_newline {
            Some(i)
        } else {
            None
        };
        if c == '\n' {
            after_newline = true;
        } else if c != '\r' && !c.is_whitespace() {
            after_newline = false;
        }
        if let Some(e) = end {
            if !text[start..e].trim().is_empty() {
                out.push(&text[start..e]);
            }
            start = e;
        }
    }
    if !text[start..].trim().is_empty() {
        out.push(&text[start..]);
    }
    out
}

/// The lowercased words of one piece of text, kept in one buffer (no allocation per word once
/// the buffer has grown).
#[derive(Debug, Default)]
pub struct Words {
    buf: String,
    ends: Vec<usize>,
}

impl Words {
    /// Replaces the words held with those of `text`.
    pub fn fill(&mut self, text: &str) {
        self.buf.clear();
        self.ends.clear();
        for run in text.split(|c: char| !c.is_alphabetic()) {
            if run.is_empty() {
                continue;
            }
            if run.is_ascii() {
                self.buf
                    .extend(run.bytes().map(|b| char::from(b.to_ascii_lowercase())));
            } else {
                self.buf.push_str(&run.to_lowercase());
            }
            self.ends.push(self.buf.len());
        }
    }

    /// How many words.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The `i`th word.
    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.buf[start..self.ends[i]]
    }

    /// The words in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|i| self.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expect: &[&str]) {
        let mut w = Words::default();
        w.fill(text);
        assert_eq!(w.iter().collect::<Vec<_>>(), expect, "{text:?}");
    }

    #[test]
    fn words_are_lowercased_letter_runs() {
        check("", &[]);
        check("  12 -- ", &[]);
        check("Cease-fire, don't!", &["cease", "fire", "don", "t"]);
        check("ÉTATS-UNIS 1945 Ῥώμη", &["états", "unis", "ῥώμη"]);
        check("ΟΔΟΣ", &["οδος"]);
    }

    #[test]
    fn sentences_split_at_stops_and_blank_lines() {
        assert_eq!(
            sentences("One. Two!\n\nThree"),
            ["One.", " Two!", "\nThree"]
        );
        assert_eq!(
            sentences("U.N. peace.\r\n\r\nNext"),
            ["U.N.", " peace.", "\nNext"]
        );
        assert_eq!(sentences("  \n\n "), Vec::<&str>::new());
        assert_eq!(sentences("No stop at all"), ["No stop at all"]);
    }
}

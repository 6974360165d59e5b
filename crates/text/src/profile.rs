//! One pass over a speech: its words, sentences, tone counts and the number of sentences on
//! each topic.

use crate::tone::Tone;
use crate::topics::{TOPICS, topics_of};
use crate::words::{Words, sentences};

/// What the text signals count in one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// Words (lowercased letter runs, [`crate::words`]).
    pub words: u64,
    /// Sentences ([`crate::sentences`]).
    pub sentences: u64,
    pub tone: Tone,
    /// Sentences on each topic, in the order of [`TOPICS`].
    pub on_topic: Vec<u64>,
}

impl Profile {
    /// Counts `text`.
    pub fn of(text: &str) -> Profile {
        let mut words = Words::default();
        let mut p = Profile {
            words: 0,
            sentences: 0,
            tone: Tone::default(),
            on_topic: vec![0; TOPICS.len()],
        };
        for s in sentences(text) {
            words.fill(s);
            p.sentences += 1;
            p.words += words.len() as u64;
            p.tone.add(&words);
            let on = topics_of(&words);
            for (i, n) in p.on_topic.iter_mut().enumerate() {
                *n += (on >> i) & 1;
            }
        }
        p
    }

    /// The share of sentences on topic `i` of [`TOPICS`]; `None` for a text without sentences.
    pub fn share(&self, i: usize) -> Option<f64> {
        (self.sentences > 0).then(|| self.on_topic[i] as f64 / self.sentences as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_words_sentences_tone_and_topics() {
        let p = Profile::of(
            "We welcome the ceasefire. Nuclear weapons remain a threat!\n\nPoverty and debt persist",
        );
        assert_eq!(p.words, 13);
        assert_eq!(p.sentences, 3);
        assert_eq!(
            p.tone,
            Tone {
                positive: 1,
                negative: 2
            }
        );
        let on = |name: &str| p.on_topic[TOPICS.iter().position(|t| t.name == name).unwrap()];
        assert_eq!(on("conflict"), 1);
        assert_eq!(on("disarmament"), 1);
        assert_eq!(on("development"), 1);
        assert_eq!(on("climate"), 0);
        assert_eq!(
            p.share(TOPICS.iter().position(|t| t.name == "development").unwrap()),
            Some(1.0 / 3.0)
        );
        let empty = Profile::of("  ");
        assert_eq!((empty.words, empty.sentences, empty.share(0)), (0, 0, None));
    }
}

//! Topics: stated keyword lists. A sentence is on a topic when it holds one of its keywords;
//! a speech's share of a topic is the share of its sentences on it ([`crate::Profile`]).
//!
//! The lists are short and written out so a reader can judge them: they find sentences on a
//! subject, they do not weigh them. Keywords are matched on every word, stop words included
//! ("rule of law").

use std::sync::OnceLock;

use crate::patterns::PatternSet;
use crate::words::{Words, sentences};

/// A topic: a stated list of keywords.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Topic {
    pub name: &'static str,
    /// `word*` matches words starting with `word`; `word` the whole word; `two words` two
    /// consecutive words (each matched the same way).
    pub keywords: &'static [&'static str],
}

/// A topic name that is not one of [`TOPICS`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no topic {name:?} (topics: {known})")]
pub struct UnknownTopic {
    pub name: String,
    pub known: String,
}

/// The topics, with their keyword lists.
pub const TOPICS: &[Topic] = &[
    Topic {
        name: "disarmament",
        keywords: &[
            "disarm*",
            "nuclear",
            "weapon*",
            "arms control",
            "arms race",
            "armament*",
            "proliferat*",
            "warhead*",
            "missile*",
            "test ban",
        ],
    },
    Topic {
        name: "climate",
        keywords: &[
            "climat*",
            "warming",
            "greenhouse",
            "emission*",
            "carbon",
            "sea level",
            "paris agreement",
            "kyoto",
        ],
    },
    Topic {
        name: "human-rights",
        keywords: &[
            "human right*",
            "torture",
            "democra*",
            "rule of law",
            "freedom*",
            "civil liberties",
        ],
    },
    Topic {
        name: "development",
        keywords: &[
            "poverty",
            "sustainable development",
            "development assistance",
            "debt*",
            "millennium development",
            "least developed",
            "economic development",
        ],
    },
    Topic {
        name: "palestine",
        keywords: &[
            "palestin*",
            "israel*",
            "gaza",
            "west bank",
            "jerusalem",
            "zionis*",
        ],
    },
    Topic {
        name: "conflict",
        keywords: &[
            "war",
            "wars",
            "warfare",
            "armed conflict*",
            "civil war*",
            "terroris*",
            "insurgen*",
            "militia*",
            "ceasefire*",
            "cease fire",
            "peacekeep*",
            "invasion*",
            "aggression",
            "hostilities",
        ],
    },
];

/// Every topic's keywords, labelled with the topic's index in [`TOPICS`].
pub(crate) fn all_keywords() -> &'static PatternSet<usize> {
    static SET: OnceLock<PatternSet<usize>> = OnceLock::new();
    SET.get_or_init(|| {
        PatternSet::new(
            TOPICS
                .iter()
                .enumerate()
                .flat_map(|(i, t)| t.keywords.iter().map(move |k| (*k, i))),
        )
        .expect("the stated topic keywords compile (tested)")
    })
}

/// Which topics the sentence in `words` is on, one bit per index of [`TOPICS`].
pub(crate) fn topics_of(words: &Words) -> u64 {
    let set = all_keywords();
    let mut on = 0u64;
    for i in 0..words.len() {
        set.each_at(words, i, |t| {
            on |= 1 << t;
            true
        });
    }
    on
}

impl Topic {
    /// The topic named `name` (case and surrounding space ignored).
    pub fn find(name: &str) -> Result<&'static Topic, UnknownTopic> {
        TOPICS
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| UnknownTopic {
                name: name.to_string(),
                known: TOPICS.iter().map(|t| t.name).collect::<Vec<_>>().join(", "),
            })
    }

    /// This topic's index in [`TOPICS`].
    pub fn index(&self) -> usize {
        TOPICS
            .iter()
            .position(|t| t.name == self.name)
            .expect("a Topic is one of TOPICS")
    }

    /// A column name for this topic's share: `topic_` and the name with `-` as `_`.
    pub fn column(&self) -> String {
        format!("topic_{}", self.name.replace('-', "_"))
    }

    /// The sentences of `text` that mention the topic, trimmed and joined by newlines (empty
    /// when none).
    pub fn excerpt(&self, text: &str) -> String {
        let bit = 1u64 << self.index();
        let mut words = Words::default();
        let mut out = String::new();
        for s in sentences(text) {
            words.fill(s);
            if topics_of(&words) & bit != 0 {
                if !out.is_empty() {
                    out.push('\n');
                }
                out.push_str(s.trim());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stated_keywords_compile_and_fit_the_bitmask() {
        assert!(TOPICS.len() <= 64);
        let _ = all_keywords();
    }

    fn check(text: &str, expect: &[&str]) {
        let mut w = Words::default();
        w.fill(text);
        let on = topics_of(&w);
        let names: Vec<&str> = TOPICS
            .iter()
            .enumerate()
            .filter(|(i, _)| on & (1 << i) != 0)
            .map(|(_, t)| t.name)
            .collect();
        assert_eq!(names, expect, "{text:?}");
    }

    #[test]
    fn sentences_are_put_on_topics() {
        check(
            "The arms race and the cease-fire in Gaza",
            &["disarmament", "palestine", "conflict"],
        );
        check("sea level", &["climate"]);
        check("the rule of law", &["human-rights"]);
        check("Warsaw welcomes warmer weather", &[]);
        check("", &[]);
    }

    #[test]
    fn excerpts_keep_the_sentences_on_the_topic() {
        let text = "Mr. President, we congratulate you.\r\nNuclear disarmament matters. Trade too!\n\n\
                    Arms control treaties hold\nthe peace. The armed forces rest.";
        let d = Topic::find("disarmament").unwrap();
        assert_eq!(
            d.excerpt(text),
            "Nuclear disarmament matters.\nArms control treaties hold\nthe peace."
        );
        assert_eq!(Topic::find(" Climate ").unwrap().excerpt(text), "");
        let e = Topic::find("fishing").unwrap_err();
        assert!(e.to_string().contains("disarmament, climate"), "{e}");
        assert_eq!(
            Topic::find("human-rights").unwrap().column(),
            "topic_human_rights"
        );
    }
}

//! Dictionary tone: the positive and negative words of a text counted from two stated lists,
//! and put on the logit scale `ln((positive + 0.5) / (negative + 0.5))` (Lowe, Benoit,
//! Mikhaylov & Laver 2011, "Scaling policy preferences from coded political texts",
//! Legislative Studies Quarterly 36(1); used for parliamentary speech tone by Proksch, Lowe,
//! Wäckerle & Soroka 2019, Legislative Studies Quarterly 44(1)). 0 is balanced (and a text with
//! no listed word), +1 about e times as many positive words as negative.
//!
//! The lists ([`POSITIVE`], [`NEGATIVE`]) are the project's, written for the language of
//! diplomacy in the manner of the Lexicoder Sentiment Dictionary (Young & Soroka 2012): words
//! whose valence does not depend on the subject. Left out on purpose: the formulas every General
//! Debate speech has (thanking and congratulating the President, "I have the honour"), words
//! with a neutral diplomatic use ("with respect to", "of any kind", "great Powers", "health
//! care", "the solution lies in", "Trust Territories") and subject words (`security`,
//! `weapons`, `refugees`: the topics count those). No negation handling: "not peaceful" counts
//! as positive, as in the published dictionary tone measures this follows.
//!
//! The lists were not fitted to any labelled set; [`crate::check`] scores them against the
//! GoodNewsEveryone headlines, and the figure is on the methodology page.

use std::sync::OnceLock;

use crate::patterns::PatternSet;
use crate::words::Words;

/// Words of positive valence.
pub const POSITIVE: &[&str] = &[
    "peace",
    "peaceful",
    "peacefully",
    "cooperat*",
    "progress*",
    "success*",
    "welcome*",
    "hope",
    "hopes",
    "hoped",
    "hopeful*",
    "friend*",
    "prosper*",
    "achiev*",
    "agree",
    "agreed",
    "agrees",
    "support*",
    "benefit*",
    "improv*",
    "opportunit*",
    "confiden*",
    "trust",
    "trusted",
    "trustworthy",
    "solidarity",
    "partner*",
    "harmon*",
    "stabil*",
    "justice",
    "freedom*",
    "dignity",
    "respectful",
    "celebrat*",
    "commend*",
    "appreciat*",
    "grateful",
    "gratitude",
    "prais*",
    "pleas*",
    "happy",
    "happi*",
    "joy*",
    "love",
    "loved",
    "lovely",
    "loving",
    "glad",
    "proud",
    "pride",
    "win",
    "wins",
    "winning",
    "winner*",
    "won",
    "victor*",
    "triumph*",
    "good",
    "better",
    "best",
    "excellen*",
    "positive*",
    "fortunate*",
    "correct",
    "superior",
    "nice",
    "promis*",
    "encourag*",
    "optimis*",
    "reconcil*",
    "recover*",
    "growth",
    "constructive",
    "fruitful",
    "effective*",
    "generous*",
    "generosity",
    "help",
    "helped",
    "helping",
    "helps",
    "helpful",
    "heal*",
    "save",
    "saved",
    "saves",
    "saving",
    "rescu*",
    "safe",
    "safety",
    "reward*",
    "award*",
    "gain",
    "gains",
    "gained",
    "innovat*",
    "breakthrough*",
    "inspir*",
    "admir*",
    "wonderful",
    "kindness",
    "caring",
    "compassion*",
    "bless*",
    "strength*",
    "strong",
    "stronger",
    "fair",
    "fairness",
];

/// Words of negative valence.
pub const NEGATIVE: &[&str] = &[
    "war",
    "wars",
    "warfare",
    "conflict*",
    "violen*",
    "kill*",
    "attack*",
    "threat*",
    "crisis",
    "crises",
    "aggress*",
    "terror*",
    "destroy*",
    "destruct*",
    "suffer*",
    "death*",
    "dead",
    "die",
    "died",
    "dies",
    "dying",
    "famine",
    "hunger",
    "starv*",
    "disaster*",
    "catastroph*",
    "trag*",
    "danger*",
    "fear*",
    "hostil*",
    "invad*",
    "invasion*",
    "oppress*",
    "genocid*",
    "massacre*",
    "atrocit*",
    "brutal*",
    "murder*",
    "bomb*",
    "abuse*",
    "accus*",
    "condemn*",
    "deplor*",
    "regret*",
    "fail*",
    "worse",
    "worst",
    "bad",
    "negative*",
    "unfortunate*",
    "wrong*",
    "injustice*",
    "unjust",
    "illegal*",
    "crime*",
    "criminal*",
    "corrupt*",
    "collapse*",
    "instabil*",
    "unrest",
    "tension*",
    "clash*",
    "fight*",
    "battle*",
    "casualt*",
    "wound*",
    "injur*",
    "victim*",
    "pain*",
    "grief",
    "sorrow*",
    "anger",
    "angry",
    "outrage*",
    "shock*",
    "alarm*",
    "worr*",
    "anxi*",
    "despair*",
    "hopeless*",
    "lose",
    "loses",
    "losing",
    "loss",
    "losses",
    "lost",
    "deterior*",
    "setback*",
    "obstacle*",
    "violat*",
    "repress*",
    "persecut*",
    "discriminat*",
    "racis*",
    "exploit*",
    "punish*",
    "jail*",
    "prison*",
    "arrest*",
    "detain*",
    "detention",
    "torture*",
    "blame*",
    "false*",
    "deny",
    "denied",
    "denies",
    "reject*",
    "refus*",
    "insult*",
    "harm*",
    "damag*",
    "hurt*",
    "risk*",
    "vulnerab*",
    "emergenc*",
    "protest*",
    "riot*",
    "crash*",
    "scandal*",
    "fraud*",
    "poverty",
    "miser*",
    "hatred",
    "hate",
    "hates",
    "hated",
    "cruel*",
    "horror*",
    "horrif*",
    "terribl*",
    "awful",
    "evil*",
    "sad",
    "sadly",
    "sadness",
    "shame*",
    "guilt*",
    "disgust*",
    "chaos",
    "chaotic",
    "turmoil",
    "plight",
    "grave",
];

/// Which list a word is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Valence {
    Positive,
    Negative,
}

/// Both lists compiled: a word takes the first match (whole word, then the longest prefix).
pub(crate) fn dictionary() -> &'static PatternSet<Valence> {
    static SET: OnceLock<PatternSet<Valence>> = OnceLock::new();
    SET.get_or_init(|| {
        PatternSet::new(
            POSITIVE
                .iter()
                .map(|w| (*w, Valence::Positive))
                .chain(NEGATIVE.iter().map(|w| (*w, Valence::Negative))),
        )
        .expect("the stated tone lists compile (tested)")
    })
}

/// Counts of listed words in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tone {
    pub positive: u64,
    pub negative: u64,
}

impl Tone {
    /// The tone of `text`.
    pub fn of(text: &str) -> Tone {
        let mut w = Words::default();
        w.fill(text);
        let mut t = Tone::default();
        t.add(&w);
        t
    }

    /// Adds the listed words of `words`.
    pub(crate) fn add(&mut self, words: &Words) {
        let dict = dictionary();
        for i in 0..words.len() {
            match dict.first_at(words, i) {
                Some(Valence::Positive) => self.positive += 1,
                Some(Valence::Negative) => self.negative += 1,
                None => {}
            }
        }
    }

    /// `ln((positive + 0.5) / (negative + 0.5))`.
    pub fn score(&self) -> f64 {
        ((self.positive as f64 + 0.5) / (self.negative as f64 + 0.5)).ln()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, positive: u64, negative: u64) {
        assert_eq!(Tone::of(text), Tone { positive, negative }, "{text:?}");
    }

    #[test]
    fn listed_words_are_counted() {
        check("", 0, 0);
        check(
            "Peace, cooperation and hope; war, terrorism, poverty.",
            3,
            3,
        );
        check("Instability is not stability", 1, 1);
        check("With respect to the great Powers, I have the honour", 0, 0);
        check("Wars and warfare, not Warsaw", 0, 2);
    }

    #[test]
    fn score_is_the_smoothed_log_ratio() {
        assert_eq!(Tone::default().score(), 0.0);
        let t = Tone {
            positive: 3,
            negative: 1,
        };
        assert!((t.score() - (3.5f64 / 1.5).ln()).abs() < 1e-15);
    }

    #[test]
    fn the_lists_compile_and_do_not_overlap() {
        let _ = dictionary();
        for w in POSITIVE {
            assert!(!NEGATIVE.contains(w), "{w} on both lists");
        }
    }
}

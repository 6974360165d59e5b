//! The tone dictionary scored against human labels: the GoodNewsEveryone corpus (Bostan, Kim &
//! Klinger 2020, "GoodNewsEveryone: A Corpus of News Headlines Annotated with Emotions,
//! Semantic Roles, and Reader Perception", LREC 2020), 5,000 English headlines of 2019 whose
//! annotators chose one dominant emotion each out of 15.
//!
//! An emotion is read as a valence ([`valence`]): anger, annoyance, disgust, fear, guilt,
//! sadness, shame, negative surprise and negative anticipation are negative; joy, love, pride,
//! trust, positive surprise and positive anticipation positive. The check is the area under the
//! ROC curve of the headlines' tone scores for the positive ones (0.5 is chance; ties, such as
//! headlines with no listed word, count one half), with the share of headlines that hold a
//! listed word. The dictionary was not fitted on these headlines, so the whole set is out of
//! sample; headlines are short and American, speeches long and diplomatic, so the figure says
//! the lists carry valence, not how well they read a speech.

use crate::tone::{Tone, Valence};

/// The valence of a GoodNewsEveryone dominant emotion as published (`negative_surprise`);
/// `None` for a name the corpus does not use.
pub fn valence(emotion: &str) -> Option<Valence> {
    Some(match emotion {
        "anger"
        | "annoyance"
        | "disgust"
        | "fear"
        | "guilt"
        | "sadness"
        | "shame"
        | "negative_surprise"
        | "negative_anticipation_including_pessimism" => Valence::Negative,
        "joy"
        | "love_including_like"
        | "pride"
        | "trust"
        | "positive_surprise"
        | "positive_anticipation_including_optimism" => Valence::Positive,
        _ => return None,
    })
}

/// The figures of the check.
#[derive(Debug, Clone, PartialEq)]
pub struct ToneCheck {
    pub headlines: usize,
    pub positive: usize,
    pub negative: usize,
    /// Headlines holding at least one listed word.
    pub with_listed_word: usize,
    /// Area under the ROC curve of the tone scores for the positive headlines.
    pub auc: f64,
    /// Of the headlines whose score is not 0, the share whose sign agrees with the label.
    pub sign_agreement: f64,
}

/// Scores the dictionary on labelled texts.
pub fn check<'a>(labelled: impl IntoIterator<Item = (&'a str, Valence)>) -> ToneCheck {
    let mut scores = Vec::new();
    let mut labels = Vec::new();
    let (mut with_word, mut signed, mut agree) = (0, 0, 0);
    for (text, v) in labelled {
        let t = Tone::of(text);
        let s = t.score();
        let positive = v == Valence::Positive;
        with_word += usize::from(t.positive + t.negative > 0);
        if s != 0.0 {
            signed += 1;
            agree += usize::from((s > 0.0) == positive);
        }
        scores.push(s);
        labels.push(positive);
    }
    let positive = labels.iter().filter(|&&l| l).count();
    ToneCheck {
        headlines: labels.len(),
        positive,
        negative: labels.len() - positive,
        with_listed_word: with_word,
        auc: attache_scoring::roc_auc(&scores, &labels),
        sign_agreement: if signed == 0 {
            f64::NAN
        } else {
            agree as f64 / signed as f64
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_published_emotion_has_a_valence() {
        for e in [
            "anger",
            "annoyance",
            "disgust",
            "fear",
            "guilt",
            "joy",
            "love_including_like",
            "negative_anticipation_including_pessimism",
            "negative_surprise",
            "positive_anticipation_including_optimism",
            "positive_surprise",
            "pride",
            "sadness",
            "shame",
            "trust",
        ] {
            assert!(valence(e).is_some(), "{e}");
        }
        assert_eq!(valence("Anger"), None);
        assert_eq!(valence(""), None);
    }

    #[test]
    fn check_counts_and_ranks() {
        let c = check([
            ("Peace deal brings hope", Valence::Positive),
            ("Bombing kills ten", Valence::Negative),
            ("Minister visits Paris", Valence::Negative),
            ("Team wins, fans proud", Valence::Positive),
        ]);
        assert_eq!(
            (c.headlines, c.positive, c.negative, c.with_listed_word),
            (4, 2, 2, 3)
        );
        assert_eq!(c.auc, 1.0);
        assert_eq!(c.sign_agreement, 1.0);
        let flipped = check([
            ("Peace deal brings hope", Valence::Negative),
            ("Bombing kills ten", Valence::Positive),
        ]);
        assert_eq!((flipped.auc, flipped.sign_agreement), (0.0, 0.0));
    }
}

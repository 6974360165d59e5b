//! GoodNewsEveryone on the mirror's file, and the speech-tone dictionary checked against it.
//!
//! Expected counts are the MANIFEST's (4,999 data rows) and the dominant emotions counted from
//! the raw file with `cut -f8 gne-release-v1.0.tsv | sort | uniq -c` (892 negative_surprise,
//! 582 positive_surprise, ...: 1,417 positive and 3,582 negative by the valence of
//! `attache_text::check`). The first row is read by hand.

mod common;

use attache_sources::adapters::sentiment::HEADLINES;
use attache_text::Valence;
use common::{int, load_inputs, names, table, text};

#[test]
fn every_headline_loads_with_its_valence() {
    let l = common::load_mirror("good-news-everyone", &[HEADLINES]);
    let t = table(&l, "gne_headlines");
    assert_eq!(t.num_rows(), 4_999);
    assert_eq!(
        names(t),
        [
            "id",
            "headline",
            "url",
            "bias_horizontal",
            "bias_vertical",
            "country",
            "source",
            "dominant_emotion",
            "intensity",
            "cause",
            "experiencer",
            "target",
            "cue",
            "other_emotions",
            "reader_emotions",
            "valence"
        ]
    );
    // Line 2: 7d3fe468, "Cops in One Village ...", ProPublica, -5, 46, anger.
    assert_eq!(text(t, "id", 0).as_deref(), Some("7d3fe468"));
    assert!(
        text(t, "headline", 0)
            .unwrap()
            .starts_with("Cops in One Village Have Been Convicted")
    );
    assert_eq!(int(t, "bias_horizontal", 0), Some(-5));
    assert_eq!(int(t, "bias_vertical", 0), Some(46));
    assert_eq!(text(t, "cue", 0).as_deref(), Some("[[\"convicted\"]]"));
    assert_eq!(text(t, "valence", 0).as_deref(), Some("negative"));
    // Line 3 has no bias scores.
    assert_eq!(int(t, "bias_horizontal", 1), None);
    let count = |emotion: &str| {
        (0..t.num_rows())
            .filter(|&i| text(t, "dominant_emotion", i).as_deref() == Some(emotion))
            .count()
    };
    assert_eq!(count("negative_surprise"), 892);
    assert_eq!(count("positive_surprise"), 582);
    assert_eq!(count("love_including_like"), 63);
    let positive = (0..t.num_rows())
        .filter(|&i| text(t, "valence", i).as_deref() == Some("positive"))
        .count();
    assert_eq!(positive, 1_417);
}

/// The check the methodology page reports: the dictionary was written for speeches and never
/// fitted on these headlines. Chance is 0.5; a lexicon learned from the headlines themselves
/// (Monroe, Colaresi & Quinn's log-odds with an informative Dirichlet prior, 10-fold
/// cross-validated: `bench/tone_ceiling.py`) reaches 0.729, a ceiling for a bag of words on this
/// set. The bar below is well above chance and below that ceiling.
#[test]
fn the_tone_dictionary_ranks_positive_headlines_above_negative_ones() {
    let l = common::load_mirror("good-news-everyone", &[HEADLINES]);
    let t = table(&l, "gne_headlines");
    let labelled: Vec<(String, Valence)> = (0..t.num_rows())
        .map(|i| {
            let v = match text(t, "valence", i).as_deref() {
                Some("positive") => Valence::Positive,
                _ => Valence::Negative,
            };
            (text(t, "headline", i).unwrap(), v)
        })
        .collect();
    let c = attache_text::check::check(labelled.iter().map(|(h, v)| (h.as_str(), *v)));
    eprintln!("{c:?}");
    assert_eq!((c.headlines, c.positive, c.negative), (4_999, 1_417, 3_582));
    assert!(c.auc > 0.66, "AUC {}", c.auc);
    assert!(
        c.sign_agreement > 0.65,
        "sign agreement {}",
        c.sign_agreement
    );
    assert!(c.with_listed_word > 2_000, "{}", c.with_listed_word);
}

fn check(body: &str, expect: &str) {
    let got = match load_inputs(
        "good-news-everyone",
        vec![(HEADLINES.to_string(), body.as_bytes().to_vec())],
    ) {
        Ok(l) => format!("ok {}", table(&l, "gne_headlines").num_rows()),
        Err(e) => e,
    };
    assert!(got.contains(expect), "{body:?}: {got}");
}

#[test]
fn bad_rows_fail_naming_line_and_value() {
    let h = "id\theadline\turl\tbias_horizontal\tbias_vertical\tcountry\tsource\tdominant_emotion\tintensity\tcause\texperiencer\ttarget\tcue\tother_emotions\treader_emotions\n";
    let row = |head: &str, bias: &str, emotion: &str| {
        format!(
            "a1\t{head}\thttp://x\t{bias}\t4\tUS\tX\t{emotion}\tmedium\t[[]]\t[[]]\t[[]]\t[[]]\tjoy\tjoy\n"
        )
    };
    check(&format!("{h}{}", row("Peace at last", "-3", "joy")), "ok 1");
    check(&format!("{h}{}", row("Peace at last", "", "trust")), "ok 1");
    check(
        &format!("{h}{}{}", row("A", "1", "joy"), row("B", "1", "Joy")),
        ".tsv:3:",
    );
    check(&format!("{h}{}", row("A", "1", "Joy")), "\"Joy\"");
    check(&format!("{h}{}", row("  ", "1", "fear")), "headline");
    check(&format!("{h}{}", row("A", "left", "fear")), "left");
    check("", "empty");
    check(h, "ok 0");
}

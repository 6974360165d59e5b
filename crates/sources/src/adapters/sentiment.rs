//! GoodNewsEveryone (Bostan, Kim & Klinger 2020, LREC): 5,000 English news headlines of 2019
//! from US and UK outlets, each annotated by crowd workers with its dominant emotion (one of
//! 15), intensity, the emotion's cause, experiencer, target and cue, and the readers' emotion.
//! Attaché reads it as the labelled set its speech tone is checked against
//! (`attache_text::check`; the figure is on the methodology page), not as a signal.
//!
//! File: `sentiment/gne-release-v1.0.tsv`, tab-separated with a header, fields quoted where
//! they hold quotes (the span columns are JSON-like lists: `"[[""cops""]]"`). Published header
//! `id, headline, url, bias_horizontal, bias_vertical, country, source, dominant_emotion,
//! intensity, cause, experiencer, target, cue, other_emotions, reader_emotions`.
//!
//! Table `gne_headlines`: every published column as published (`bias_horizontal` and
//! `bias_vertical`, the outlet's media-bias scores, as whole numbers, null where empty), plus
//! `valence` (`positive` or `negative`, [`attache_text::check::valence`] of the dominant
//! emotion). Strict: an empty headline, a dominant emotion the corpus does not use, or a bias
//! score that is not a whole number fails, naming file, line and value. `id` is not a key: it is
//! a hash of the feed URL, and the release has 54 rows under 19 ids (different headlines from
//! one feed), all kept.
//!
//! Where from: the authors' release, a zip with the TSV and a JSON-lines copy, on the
//! corpus's homepage. The mirror holds the TSV alone (a copy from GitHub, byte for byte the
//! release's file). Reference data: no publication lag.

use attache_text::check::valence;

use crate::delimited::{Delimited, Layout, RowOutcome, to_table};
use crate::error::{Result, SourceError};
use crate::table::{ColType, FileStats, Value};
use crate::{FileSpec, Input, Lag, Loaded, Source, SourceMeta, input};

/// The headlines (mirror path).
pub const HEADLINES: &str = "sentiment/gne-release-v1.0.tsv";

/// GoodNewsEveryone.
pub struct GoodNewsEveryone(SourceMeta);

impl GoodNewsEveryone {
    pub fn new() -> GoodNewsEveryone {
        GoodNewsEveryone(SourceMeta {
            id: attache_core::SourceId::GOOD_NEWS_EVERYONE,
            title: "GoodNewsEveryone: 5,000 news headlines annotated with emotions (the check of speech tone)",
            publisher: "Institut für Maschinelle Sprachverarbeitung, University of Stuttgart (Bostan, Kim & Klinger)",
            licence: "Research corpus released by its authors (terms on the homepage); the redistributing copy states none",
            citation: "Bostan, L.A.M., Kim, E. & Klinger, R. (2020) GoodNewsEveryone: A Corpus of News Headlines Annotated with Emotions, Semantic Roles, and Reader Perception. Proceedings of LREC 2020, 1554-1566.",
            homepage: "https://www.ims.uni-stuttgart.de/en/research/resources/corpora/goodnewseveryone/",
            lag: Lag::Reference,
            files: vec![
                FileSpec::zipped(
                    HEADLINES,
                    "https://www.romanklinger.de/data-sets/GoodNewsEveryone.zip",
                    "gne-release-v1.0.tsv",
                )
                .at_least(4_900)
                .release(),
            ],
            tables: &["gne_headlines"],
        })
    }
}

impl Default for GoodNewsEveryone {
    fn default() -> Self {
        Self::new()
    }
}

fn read(inp: &Input, out: &mut Loaded) -> Result<()> {
    if let Some(kind) = crate::binary_kind(&inp.bytes) {
        return Err(SourceError::Malformed {
            file: inp.name.clone(),
            line: 1,
            message: format!("{kind}, not the tab-separated headlines"),
        });
    }
    let layout = Layout {
        required: ["id", "headline", "dominant_emotion"]
            .map(String::from)
            .to_vec(),
        ..Layout::tsv()
    };
    let d = Delimited::parse(&inp.name, &inp.bytes, &layout)?;
    super::no_clash(&inp.name, &d.header, &["valence"])?;
    let mut stats = FileStats::default();
    let tb = to_table(
        "gne_headlines",
        &d,
        &[
            ("bias_horizontal", ColType::Int),
            ("bias_vertical", ColType::Int),
        ],
        &[("valence", ColType::Text)],
        &[""],
        &mut stats,
        |row| {
            if row.get("headline")?.trim().is_empty() {
                return Err(row.at("headline").bad("", "a headline"));
            }
            let emotion = row.get("dominant_emotion")?;
            let v = valence(emotion).ok_or_else(|| {
                row.at("dominant_emotion").bad(
                    emotion,
                    "one of the corpus's 15 emotions (anger, annoyance, disgust, fear, guilt, joy, love_including_like, negative_anticipation_including_pessimism, negative_surprise, positive_anticipation_including_optimism, positive_surprise, pride, sadness, shame, trust)",
                )
            })?;
            let v = match v {
                attache_text::Valence::Positive => "positive",
                attache_text::Valence::Negative => "negative",
            };
            Ok(RowOutcome::Keep(vec![Value::text(v)]))
        },
    )?;
    out.add("gne_headlines", tb.finish()?);
    out.file(&inp.name, stats);
    Ok(())
}

impl Source for GoodNewsEveryone {
    fn meta(&self) -> &SourceMeta {
        &self.0
    }

    fn load(&self, inputs: &[Input]) -> Result<Loaded> {
        let mut out = Loaded::default();
        if let Some(inp) = input(inputs, HEADLINES) {
            read(inp, &mut out)?;
        }
        Ok(out)
    }
}

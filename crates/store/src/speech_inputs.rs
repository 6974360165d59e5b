//! UN General Debate speeches read from a vintage (`ungdc_speeches` of the `ungdc` source) and
//! handed to `attache_negotiation::wordfish` as plain [`Speech`]es (no IO there): the speeches
//! of a range of years, whole or cut to the sentences that mention a topic's keywords
//! ([`attache_negotiation::Topic::excerpt`]; the keyword lists are stated there).
//!
//! A speech's `iso3` is the state that gave it, resolved for its year at sync (the corpus's
//! `RUS` before 1992 is `SUN`); the European Union's speeches have none and keep their corpus
//! code `EU` as [`Speech::id`].

use attache_core::SourceId;
use attache_negotiation::{Document, Topic};

use crate::cells::{ints, need, require_tables, strings};
use crate::{Result, StoreError, Vintage, query};

/// Tables the speeches need, and the source that writes each.
pub const NEEDED: [(&str, SourceId); 1] = [("ungdc_speeches", SourceId::UNGDC)];

/// One speech of the General Debate.
#[derive(Debug, Clone, PartialEq)]
pub struct Speech {
    /// The corpus's code (`RUS`, `EU`).
    pub code: String,
    /// The state's ISO3 key for the year (`None` for the European Union).
    pub iso3: Option<String>,
    pub session: i64,
    pub year: i32,
    /// Words of the whole speech (whitespace-separated, as published).
    pub words: i64,
    /// The text, or the topic's sentences of it.
    pub text: String,
}

impl Speech {
    /// The id a speech is scaled under: its ISO3 key, else the corpus code.
    pub fn id(&self) -> &str {
        self.iso3.as_deref().unwrap_or(&self.code)
    }

    /// As a document to scale, named by [`Speech::id`] (with the year when `with_year`, for a
    /// range of several years).
    pub fn document(&self, with_year: bool) -> Document {
        Document {
            id: if with_year {
                format!("{} {}", self.id(), self.year)
            } else {
                self.id().to_string()
            },
            text: self.text.clone(),
        }
    }
}

/// The speeches of the years `from..=to` in (year, id) order, whole, or with only the sentences
/// that mention `topic` (a speech that never mentions it comes back with an empty text, so the
/// caller sees and counts it).
pub async fn speeches(
    v: &Vintage,
    from: i32,
    to: i32,
    topic: Option<&Topic>,
) -> Result<Vec<Speech>> {
    if from > to {
        return Err(StoreError::Query(format!(
            "the year range {from}-{to} is empty (the first year is after the last)"
        )));
    }
    require_tables(v, &NEEDED)?;
    let ctx = v.session().await?;
    let sql = format!(
        "SELECT code, iso3, session, year, words, text FROM ungdc_speeches \
         WHERE year BETWEEN {from} AND {to} ORDER BY year, COALESCE(iso3, code)"
    );
    let b = query(&ctx, &sql).await?;
    let (code, iso3, text) = (
        strings(&b, "code", &sql)?,
        strings(&b, "iso3", &sql)?,
        strings(&b, "text", &sql)?,
    );
    let (session, year, words) = (
        ints(&b, "session", &sql)?,
        ints(&b, "year", &sql)?,
        ints(&b, "words", &sql)?,
    );
    let mut out = Vec::with_capacity(code.len());
    for i in 0..code.len() {
        let whole = need(text[i].clone(), "text", &sql, i)?;
        out.push(Speech {
            code: need(code[i].clone(), "code", &sql, i)?,
            iso3: iso3[i].clone(),
            session: need(session[i], "session", &sql, i)?,
            year: need(year[i], "year", &sql, i)? as i32,
            words: need(words[i], "words", &sql, i)?,
            text: match topic {
                Some(t) => t.excerpt(&whole),
                None => whole,
            },
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow::array::{Int64Array, StringArray};
    use arrow::datatypes::{DataType, Field, Schema};
    use arrow::record_batch::RecordBatch;

    use super::*;
    use crate::{Lockfile, Store};

    fn table() -> RecordBatch {
        let text = |n| Field::new(n, DataType::Utf8, true);
        let int = |n| Field::new(n, DataType::Int64, true);
        let schema = Arc::new(Schema::new(vec![
            text("code"),
            text("iso3"),
            int("session"),
            int("year"),
            int("words"),
            text("text"),
        ]));
        RecordBatch::try_new(
            schema,
            vec![
                Arc::new(StringArray::from(vec!["RUS", "USA", "EU", "USA"])),
                Arc::new(StringArray::from(vec![
                    Some("SUN"),
                    Some("USA"),
                    None,
                    Some("USA"),
                ])),
                Arc::new(Int64Array::from(vec![15, 15, 66, 66])),
                Arc::new(Int64Array::from(vec![1960, 1960, 2011, 2011])),
                Arc::new(Int64Array::from(vec![6, 5, 3, 4])),
                Arc::new(StringArray::from(vec![
                    "Peace is ours. Nuclear weapons must go.",
                    "We trade. We grow.",
                    "Climate first. Union.",
                    "Arms control now. Jobs.",
                ])),
            ],
        )
        .unwrap()
    }

    #[test]
    fn speeches_of_a_range_whole_or_on_a_topic() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut s = store.begin("v1").unwrap();
        s.write_table("ungdc_speeches", &[table()]).unwrap();
        let v = s.publish(&Lockfile::default()).unwrap();
        let rt = tokio::runtime::Runtime::new().unwrap();
        let all = rt.block_on(speeches(&v, 1960, 2011, None)).unwrap();
        let ids: Vec<(i32, &str)> = all.iter().map(|s| (s.year, s.id())).collect();
        assert_eq!(
            ids,
            [(1960, "SUN"), (1960, "USA"), (2011, "EU"), (2011, "USA")]
        );
        assert_eq!(all[0].code, "RUS");
        assert_eq!(all[0].document(true).id, "SUN 1960");
        let topic = Topic::find("disarmament").unwrap();
        let on = rt.block_on(speeches(&v, 1960, 1960, Some(topic))).unwrap();
        assert_eq!(on.len(), 2);
        assert_eq!(on[0].text, "Nuclear weapons must go.");
        assert_eq!(on[1].text, "");
        assert_eq!(on[0].words, 6);
        let e = rt.block_on(speeches(&v, 2011, 1960, None)).unwrap_err();
        assert!(e.to_string().contains("2011-1960"), "{e}");
    }

    #[test]
    fn a_vintage_without_speeches_names_the_source() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut s = store.begin("v1").unwrap();
        s.write_table("other", &[table()]).unwrap();
        let v = s.publish(&Lockfile::default()).unwrap();
        let rt = tokio::runtime::Runtime::new().unwrap();
        let e = rt.block_on(speeches(&v, 1960, 1960, None)).unwrap_err();
        assert!(e.to_string().contains("ungdc"), "{e}");
    }
}

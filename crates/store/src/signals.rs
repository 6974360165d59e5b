//! Signals beyond events read from a vintage (issue 15, item 4), for the country pages, the API
//! and the forecast alike: the satellite series (night lights, gas flaring; annual) and the
//! tone and topic shares of a state's General Debate speeches (`ungdc_tone`, counted at sync
//! by `attache_text`). A vintage without a table has no rows of it: the readers return empty,
//! and the caller says so.

use attache_text::{TOPICS, Valence};

use crate::cells::{floats, ints, need, strings};
use crate::{Result, Vintage, query};

/// The Black Marble product a country series uses (near-nadir, as Black Marble's own country
/// series do).
pub const NIGHT_LIGHTS_PRODUCT: &str = "VNP46A4_NearNadir_Composite_Snow_Free";

/// One year of an annual signal of a country.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnualValue {
    pub iso3: String,
    pub year: i32,
    pub value: f64,
    /// Night lights: the log change against the mean of the earlier years (`anomaly_log`);
    /// gas flaring: the change on the year before, when the year before is there.
    pub change: Option<f64>,
}

fn has(v: &Vintage, table: &str) -> Result<bool> {
    Ok(v.tables()?.iter().any(|t| t == table))
}

/// Reads (iso3, year, value, change) rows of `sql`; rows without a value are not signal years.
async fn annual(v: &Vintage, sql: &str) -> Result<Vec<AnnualValue>> {
    let ctx = v.session().await?;
    let b = query(&ctx, sql).await?;
    let (iso3, year) = (strings(&b, "iso3", sql)?, ints(&b, "year", sql)?);
    let (value, change) = (floats(&b, "value", sql)?, floats(&b, "change", sql)?);
    let mut out = Vec::with_capacity(iso3.len());
    for i in 0..iso3.len() {
        if let (Some(iso3), Some(value)) = (iso3[i].clone(), value[i]) {
            out.push(AnnualValue {
                iso3,
                year: need(year[i], "year", sql, i)? as i32,
                value,
                change: change[i],
            });
        }
    }
    Ok(out)
}

/// Every country's night lights (radiance summed over the country), by country and year.
pub async fn night_lights(v: &Vintage) -> Result<Vec<AnnualValue>> {
    if !has(v, "night_lights")? {
        return Ok(Vec::new());
    }
    annual(
        v,
        &format!(
            "SELECT iso3, year, ntl_sum AS value, anomaly_log AS change FROM night_lights \
             WHERE level = 'adm0' AND product = '{NIGHT_LIGHTS_PRODUCT}' AND iso3 IS NOT NULL \
             ORDER BY iso3, year"
        ),
    )
    .await
}

/// Every country's flared gas (BCM, every segment a release gives, summed), by country and
/// year, with the change on the year before.
pub async fn gas_flaring(v: &Vintage) -> Result<Vec<AnnualValue>> {
    if !has(v, "gas_flaring")? {
        return Ok(Vec::new());
    }
    let mut rows = annual(
        v,
        "SELECT iso3, year, sum(bcm) AS value, CAST(NULL AS DOUBLE) AS change FROM gas_flaring \
         WHERE iso3 IS NOT NULL GROUP BY iso3, year ORDER BY iso3, year",
    )
    .await?;
    for i in 1..rows.len() {
        let (prev, cur) = (&rows[i - 1], &rows[i]);
        if prev.iso3 == cur.iso3 && prev.year == cur.year - 1 {
            rows[i].change = Some(rows[i].value - rows[i - 1].value);
        }
    }
    Ok(rows)
}

/// One General Debate speech's tone and topic shares (a row of `ungdc_tone`).
#[derive(Debug, Clone, PartialEq)]
pub struct SpeechTone {
    /// The corpus's code (`RUS`, `EU`).
    pub code: String,
    /// The state, resolved for the year (`None` for the European Union).
    pub iso3: Option<String>,
    pub session: i64,
    pub year: i32,
    pub words: i64,
    pub sentences: i64,
    pub positive: i64,
    pub negative: i64,
    /// ln((positive + 0.5) / (negative + 0.5)).
    pub tone: f64,
    /// Share of sentences on each topic of [`TOPICS`], in its order (`None`: no sentences).
    pub topics: Vec<Option<f64>>,
}

/// Every speech's tone and topic shares, in (year, state) order; empty when the vintage has
/// no `ungdc_tone`. (The server keeps them per vintage and picks a state's from memory.)
pub async fn speech_tone(v: &Vintage) -> Result<Vec<SpeechTone>> {
    if !has(v, "ungdc_tone")? {
        return Ok(Vec::new());
    }
    let topic_cols: Vec<String> = TOPICS.iter().map(|t| t.column()).collect();
    let sql = format!(
        "SELECT code, iso3, session, year, words, sentences, positive, negative, tone, {} \
         FROM ungdc_tone ORDER BY year, COALESCE(iso3, code)",
        topic_cols.join(", ")
    );
    let ctx = v.session().await?;
    let b = query(&ctx, &sql).await?;
    let (code, iso) = (strings(&b, "code", &sql)?, strings(&b, "iso3", &sql)?);
    let int_cols = [
        "session",
        "year",
        "words",
        "sentences",
        "positive",
        "negative",
    ]
    .iter()
    .map(|c| ints(&b, c, &sql))
    .collect::<Result<Vec<_>>>()?;
    let tone = floats(&b, "tone", &sql)?;
    let topics = topic_cols
        .iter()
        .map(|c| floats(&b, c, &sql))
        .collect::<Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(code.len());
    for i in 0..code.len() {
        let int = |k: usize, what: &str| need(int_cols[k][i], what, &sql, i);
        out.push(SpeechTone {
            code: need(code[i].clone(), "code", &sql, i)?,
            iso3: iso[i].clone(),
            session: int(0, "session")?,
            year: int(1, "year")? as i32,
            words: int(2, "words")?,
            sentences: int(3, "sentences")?,
            positive: int(4, "positive")?,
            negative: int(5, "negative")?,
            tone: need(tone[i], "tone", &sql, i)?,
            topics: topics.iter().map(|t| t[i]).collect(),
        });
    }
    Ok(out)
}

/// GoodNewsEveryone's headlines with the valence of their dominant emotion (`gne_headlines`),
/// the labelled set the speech tone is checked against; empty when the vintage lacks it.
pub async fn labelled_headlines(v: &Vintage) -> Result<Vec<(String, Valence)>> {
    if !has(v, "gne_headlines")? {
        return Ok(Vec::new());
    }
    let sql = "SELECT headline, valence FROM gne_headlines";
    let ctx = v.session().await?;
    let b = query(&ctx, sql).await?;
    let (headline, valence) = (strings(&b, "headline", sql)?, strings(&b, "valence", sql)?);
    let mut out = Vec::with_capacity(headline.len());
    for i in 0..headline.len() {
        let v = match need(valence[i].as_deref(), "valence", sql, i)? {
            "positive" => Valence::Positive,
            "negative" => Valence::Negative,
            other => {
                return Err(crate::StoreError::Query(format!(
                    "row {i}: valence {other:?} is neither positive nor negative (in the result of `{sql}`)"
                )));
            }
        };
        out.push((need(headline[i].clone(), "headline", sql, i)?, v));
    }
    Ok(out)
}

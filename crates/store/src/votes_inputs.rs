//! UN General Assembly votes and the published ideal points read from a vintage, handed to
//! `attache_negotiation::positions` as plain vectors (no IO there): one calendar year's votes
//! (`un_votes`, absences and non-membership included, so the caller sees them as such) and
//! Voeten's published ideal points of the same year (`un_ideal_points`).
//!
//! Years are `un_votes.year` as the 2016 raw file publishes it: session + 1945 on every row,
//! so a year is a session (September to the next spring: 21 of the 25 roll calls of 1951,
//! session 6, are dated 1952). The published `idealpointlegacy` is per session on the same
//! years, the like-for-like comparison ([`Published::Session`]); `idealpointall` and
//! `idealpointfp` are per calendar year (the July 2025 release is the first on a calendar-year
//! basis), so comparing with them sets a session beside the calendar year it opens in: in most
//! years the two share most roll calls, not in 1951 (calendar 1951 has 7 roll calls).

use std::collections::BTreeMap;

use arrow::array::{Array, AsArray};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Float64Type, Int64Type};
use arrow::record_batch::RecordBatch;
use attache_core::SourceId;
use attache_negotiation::{Choice, Vote};

use crate::{Result, StoreError, Vintage, query};

/// Tables the positions need, and the source that writes each.
pub const NEEDED: [(&str, SourceId); 2] = [
    ("un_votes", SourceId::UNVOTES),
    ("un_ideal_points", SourceId::UN_IDEAL_POINTS),
];

/// Which published ideal point to compare with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Published {
    /// `idealpointlegacy`: per session, year = session + 1945, as `un_votes.year` is: the same
    /// roll calls in the same year as ours, so the comparison of like with like.
    Session,
    /// `idealpointall`: all roll calls (amendments and paragraph votes included), calendar
    /// years: a session is set beside the calendar year it opens in.
    All,
    /// `idealpointfp`: final-passage votes only, calendar years.
    FinalPassage,
}

impl Published {
    /// The column of `un_ideal_points`.
    pub fn column(self) -> &'static str {
        match self {
            Published::Session => "idealpointlegacy",
            Published::All => "idealpointall",
            Published::FinalPassage => "idealpointfp",
        }
    }
}

async fn require(v: &Vintage, table: &'static str) -> Result<()> {
    let (_, source_id) = NEEDED
        .iter()
        .find(|(t, _)| *t == table)
        .copied()
        .expect("a needed table");
    if v.tables()?.iter().any(|t| t == table) {
        Ok(())
    } else {
        Err(StoreError::MissingTable {
            vintage: v.id.clone(),
            table,
            source_id,
        })
    }
}

fn column<'a>(b: &'a RecordBatch, name: &str) -> Result<&'a arrow::array::ArrayRef> {
    b.column_by_name(name)
        .ok_or_else(|| StoreError::Query(format!("the query result has no column {name}")))
}

fn ints(b: &RecordBatch, name: &str) -> Result<Vec<Option<i64>>> {
    let c =
        cast(column(b, name)?, &DataType::Int64).map_err(|e| StoreError::Query(e.to_string()))?;
    let a = c.as_primitive::<Int64Type>();
    Ok((0..a.len())
        .map(|i| (!a.is_null(i)).then(|| a.value(i)))
        .collect())
}

fn texts(b: &RecordBatch, name: &str) -> Result<Vec<Option<String>>> {
    let c =
        cast(column(b, name)?, &DataType::Utf8).map_err(|e| StoreError::Query(e.to_string()))?;
    let a = c.as_string::<i32>();
    Ok((0..a.len())
        .map(|i| (!a.is_null(i)).then(|| a.value(i).to_string()))
        .collect())
}

fn floats(b: &RecordBatch, name: &str) -> Result<Vec<Option<f64>>> {
    let c =
        cast(column(b, name)?, &DataType::Float64).map_err(|e| StoreError::Query(e.to_string()))?;
    let a = c.as_primitive::<Float64Type>();
    Ok((0..a.len())
        .map(|i| (!a.is_null(i)).then(|| a.value(i)))
        .collect())
}

fn year_filter(year: Option<i32>) -> String {
    year.map_or(String::new(), |y| format!("WHERE year = {y}"))
}

/// Every vote of calendar year `year` (every year without one), by year, absences and
/// non-membership included.
pub async fn votes_by_year(v: &Vintage, year: Option<i32>) -> Result<BTreeMap<i32, Vec<Vote>>> {
    require(v, "un_votes").await?;
    let ctx = v.session().await?;
    let batches = query(
        &ctx,
        &format!(
            "SELECT year, rcid, iso3, vote FROM un_votes {} ORDER BY year, rcid, iso3",
            year_filter(year)
        ),
    )
    .await?;
    let mut out: BTreeMap<i32, Vec<Vote>> = BTreeMap::new();
    for b in &batches {
        let (years, rcid, iso3, vote) = (
            ints(b, "year")?,
            ints(b, "rcid")?,
            texts(b, "iso3")?,
            ints(b, "vote")?,
        );
        for i in 0..b.num_rows() {
            let (Some(y), Some(r), Some(s), Some(c)) =
                (years[i], rcid[i], iso3[i].clone(), vote[i])
            else {
                return Err(StoreError::Query(
                    "un_votes: a row without year, roll call, iso3 or vote".into(),
                ));
            };
            let choice =
                Choice::from_code(c).map_err(|e| StoreError::Query(format!("un_votes: {e}")))?;
            out.entry(y as i32).or_default().push(Vote {
                roll_call: r,
                state: s,
                choice,
            });
        }
    }
    Ok(out)
}

/// Voeten's published ideal points of `year` (every year without one), by year: (iso3,
/// value) for the states with a value.
pub async fn published_ideal_points(
    v: &Vintage,
    year: Option<i32>,
    which: Published,
) -> Result<BTreeMap<i32, Vec<(String, f64)>>> {
    require(v, "un_ideal_points").await?;
    let ctx = v.session().await?;
    let col = which.column();
    let filter = year.map_or(String::new(), |y| format!("AND year = {y}"));
    let batches = query(
        &ctx,
        &format!(
            "SELECT year, iso3, {col} AS value FROM un_ideal_points \
             WHERE {col} IS NOT NULL AND iso3 IS NOT NULL {filter} ORDER BY year, iso3"
        ),
    )
    .await?;
    let mut out: BTreeMap<i32, Vec<(String, f64)>> = BTreeMap::new();
    for b in &batches {
        let (years, iso3, value) = (ints(b, "year")?, texts(b, "iso3")?, floats(b, "value")?);
        for i in 0..b.num_rows() {
            if let (Some(y), Some(s), Some(x)) = (years[i], iso3[i].clone(), value[i]) {
                out.entry(y as i32).or_default().push((s, x));
            }
        }
    }
    Ok(out)
}

/// The first and last calendar year of the UN votes.
pub async fn vote_years(v: &Vintage) -> Result<(i32, i32)> {
    require(v, "un_votes").await?;
    let ctx = v.session().await?;
    let b = query(
        &ctx,
        "SELECT min(year) AS first, max(year) AS last FROM un_votes",
    )
    .await?;
    let one = |c: &str| -> Result<i32> {
        b.first()
            .map(|b| ints(b, c))
            .transpose()?
            .and_then(|v| v.first().copied().flatten())
            .map(|y| y as i32)
            .ok_or_else(|| StoreError::Query("un_votes: no votes".into()))
    };
    Ok((one("first")?, one("last")?))
}

//! United Nations General Assembly roll-call votes (Voeten, Strezhnev & Bailey) and the
//! published ideal points (Bailey, Strezhnev & Voeten).
//!
//! - `UNVotesPublished.RData`: the raw country-vote file as published on Harvard Dataverse
//!   (hdl:1902.1/12379, download of 2016-07-07, sessions 1-70), an R data frame `x` read by the
//!   strict reader in [`crate::rdata`]. Table `un_votes`, one row per roll call and state, with
//!   **absences (8) and non-membership (9) kept** (the `unvotes` R package drops them). `iso3`
//!   is resolved from `ccode` (Correlates of War) through the crosswalk *on the vote's date*, so
//!   COW 365 is SUN before 1991-12-26 and RUS after, COW 345 YUG, then SCG. The file lists every
//!   state for every roll call, members or not: a code dated outside its state's years (a
//!   state's `9` rows before it existed) resolves to the nearest state and is counted under
//!   `adjusted`. In session 48 the file has Monaco's and Mongolia's rows exchanged; the
//!   loader puts them back (`ccode` as corrected) and counts them under `adjusted`. `date` is written as ISO `YYYY-MM-DD` (published as `M/D/YYYY`); `ec` stays text as
//!   published (some rows hold stray characters, `0\"`).
//! - `un_roll_calls.csv`, `un_roll_call_issues.csv`: roll-call descriptions and issue tags
//!   of the `unvotes` R package (its 2021-02-21 download; CSV conversions of the package's
//!   bzip2-compressed `.rda` files, kept by the mirror).
//! - `IdealpointsJuly2025.csv` (source `un-ideal-points`): Voeten's ideal points, version of
//!   July 28, 2025, country-years 1946-2024 (a CSV conversion of the Stata file). `iso3` is
//!   resolved from `ccode` (COW) for the year; the published `iso3c` is kept beside it.

use std::collections::HashMap;

use attache_core::{Date, Scheme};

use crate::delimited::{Delimited, Layout, RowOutcome, to_table};
use crate::error::{Result, SourceError};
use crate::rdata::{DataFrame, read_rdata};
use crate::table::{ColType, FileStats, TableBuilder, Value};
use crate::{FileSpec, Input, Lag, Loaded, Source, SourceMeta, input};

/// The UN General Assembly voting data.
pub struct UnVotes(SourceMeta);

const VOTES_RDATA: &str = "unvotes/UNVotesPublished.RData";
const ROLL_CALLS: &str = "unvotes/un_roll_calls.csv";
const ISSUES: &str = "unvotes/un_roll_call_issues.csv";
const IDEAL_POINTS: &str = "unvotes/IdealpointsJuly2025.csv";

/// Session 48 (1993-94) of `UNVotesPublished.RData` has the rows of Monaco (COW 221) and
/// Mongolia (COW 712) exchanged: the rows coded 221 vote as Mongolia does in sessions 47 and 49
/// (agreement 0.93 with India, 0.65 with France), those coded 712 agree with France on every one
/// of their 37 votes (as Monaco does in session 49) and are absent 28 times where the others are
/// absent 4; and the July 2025 ideal-point release counts 71 votes for Mongolia and 43 for
/// Monaco (admitted on 28 May 1993) in 1993, not the 37 and 61 of this file. The loader
/// exchanges the two codes in that session and counts the rows under `adjusted`.
const SWAPPED_SESSION: i64 = 48;
const SWAPPED: [(i32, i32); 2] = [(221, 712), (712, 221)];
const SWAP_REASON: &str =
    "session 48: COW 221 (Monaco) and 712 (Mongolia) exchanged, as published in error";

impl UnVotes {
    pub fn new() -> UnVotes {
        UnVotes(SourceMeta {
            id: attache_core::SourceId::UNVOTES,
            title: "United Nations General Assembly Voting Data (roll calls, votes with absences, issues)",
            publisher: "Erik Voeten, Anton Strezhnev, Michael Bailey (Georgetown University), Harvard Dataverse",
            licence: "CC0 1.0 (Harvard Dataverse); the unvotes R package conversion: MIT",
            citation: "Voeten, Erik; Strezhnev, Anton; Bailey, Michael (2009) United Nations General Assembly Voting Data. Harvard Dataverse, hdl:1902.1/12379. Robinson, David & Goguen-Compagnoni, Nicholas: unvotes, R package (roll calls and issues).",
            homepage: "https://dataverse.harvard.edu/dataset.xhtml?persistentId=hdl:1902.1/12379",
            // A General Assembly session ends in December; the data set is updated in the
            // following year, about six months later.
            lag: Lag::AfterYear { months: 6 },
            files: vec![
                FileSpec::new(
                    VOTES_RDATA,
                    "https://raw.githubusercontent.com/dgrtwo/unvotes/master/data-raw/UNVotesPublished.RData",
                )
                .via("the unvotes R package on GitHub (dgrtwo/unvotes), a copy of the 2016 Dataverse file")
                .at_least(1_066_000)
                .release(),
                FileSpec::new(
                    ROLL_CALLS,
                    "https://raw.githubusercontent.com/dgrtwo/unvotes/master/data/un_roll_calls.rda",
                )
                .via("the unvotes R package on GitHub (dgrtwo/unvotes); the CSV conversion is the mirror's")
                .at_least(6_200)
                .release(),
                FileSpec::new(
                    ISSUES,
                    "https://raw.githubusercontent.com/dgrtwo/unvotes/master/data/un_roll_call_issues.rda",
                )
                .via("the unvotes R package on GitHub (dgrtwo/unvotes); the CSV conversion is the mirror's")
                .at_least(5_700)
                .release(),
            ],
            tables: &["un_votes", "un_roll_calls", "un_roll_call_issues"],
        })
    }
}

/// Voeten's published ideal points.
pub struct UnIdealPoints(SourceMeta);

impl UnIdealPoints {
    pub fn new() -> UnIdealPoints {
        UnIdealPoints(SourceMeta {
            id: attache_core::SourceId::UN_IDEAL_POINTS,
            title: "United Nations General Assembly Ideal Points (version of July 28, 2025)",
            publisher: "Erik Voeten (Georgetown University), Harvard Dataverse",
            licence: "CC0 1.0 (Harvard Dataverse)",
            citation: "Bailey, Michael A., Anton Strezhnev & Erik Voeten (2017) Estimating Dynamic State Preferences from United Nations Voting Data. Journal of Conflict Resolution 61(2): 430-456. Data: Voeten, Strezhnev & Bailey, United Nations General Assembly Voting Data, hdl:1902.1/12379, ideal points of July 28, 2025.",
            homepage: "https://dataverse.harvard.edu/dataset.xhtml?persistentId=hdl:1902.1/12379",
            // The 2024 estimates were released in July 2025.
            lag: Lag::AfterYear { months: 7 },
            files: vec![
                FileSpec::new(
                    IDEAL_POINTS,
                    "https://github.com/lucasbuildsapps/Masterthesis/raw/5298218d5b57/IdealpointsJuly2025.dta",
                )
                .via("a copy of Voeten's Stata file on GitHub (lucasbuildsapps/Masterthesis); the CSV conversion is the mirror's")
                .at_least(11_400)
                .release(),
            ],
            tables: &["un_ideal_points"],
        })
    }
}

fn format_err(file: &str, message: String) -> SourceError {
    SourceError::Format {
        file: file.to_string(),
        message,
    }
}

/// A CSV of the mirror, or a clear error when the bytes are the package's compressed `.rda`.
fn parse_csv(inp: &Input) -> Result<Delimited> {
    if inp.bytes.starts_with(b"BZh") {
        return Err(format_err(
            &inp.name,
            "bzip2-compressed R data (the package's .rda): this adapter reads its CSV conversion"
                .into(),
        ));
    }
    Delimited::parse(&inp.name, &inp.bytes, &Layout::csv())
}

/// `M/D/YYYY` as a date.
fn us_date(s: &str) -> Option<Date> {
    let mut it = s.trim().split('/');
    let m = it.next()?.parse().ok()?;
    let d = it.next()?.parse().ok()?;
    let y = it.next()?.parse().ok()?;
    if it.next().is_some() {
        return None;
    }
    Date::new(y, m, d)
}

/// Resolves COW codes on dates, remembering each (code, date) answer and the note of each
/// code resolved outside its state's years.
struct CowOnDate {
    cache: HashMap<(i32, Date, Date), (String, bool)>,
}

impl CowOnDate {
    fn resolve(
        &mut self,
        code: i32,
        from: Date,
        to: Date,
    ) -> std::result::Result<(&str, bool), String> {
        let key = (code, from, to);
        let (iso, fb) = match self.cache.entry(key) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let (c, fallback) = super::cw()
                    .lookup_nearest(Scheme::Cow, &code.to_string(), from, to)
                    .map_err(|e| e.to_string())?;
                e.insert((c.iso3.clone(), fallback))
            }
        };
        Ok((iso.as_str(), *fb))
    }
}

/// Reads the votes data frame into `un_votes`.
fn load_votes(inp: &Input, out: &mut Loaded) -> Result<()> {
    let file = inp.name.as_str();
    let objs = read_rdata(&inp.bytes).map_err(|e| format_err(file, e.to_string()))?;
    let (_, obj) = objs
        .into_iter()
        .find(|(n, _)| n == "x")
        .ok_or_else(|| format_err(file, "no object named x (the votes data frame)".into()))?;
    let df = DataFrame::from_object(obj).map_err(|e| format_err(file, e.to_string()))?;
    let col = |n: &str| df.column(n).map_err(|e| format_err(file, e.to_string()));
    let ints = [
        "rcid",
        "session",
        "vote",
        "ccode",
        "member",
        "importantvote",
        "me",
        "nu",
        "di",
        "hr",
        "co",
        "year",
    ];
    // The integer columns are read cell by cell from the data frame: a converted copy of
    // twelve columns of a million rows was most of the sync's peak memory.
    let int_cols: Vec<&crate::rdata::Column> =
        ints.iter().map(|n| col(n)).collect::<Result<_>>()?;
    let at = |n: &str| ints.iter().position(|x| *x == n).expect("listed");
    let cell = |n: &str, i: usize| -> Result<Option<i64>> {
        let k = at(n);
        int_cols[k]
            .whole_number(ints[k], i)
            .map_err(|m| format_err(file, m))
    };
    let date_col = col("date")?;
    let unres = col("unres")?;
    let ec = col("ec")?;

    let mut cols: Vec<(String, ColType)> = Vec::new();
    for n in ["rcid", "session", "vote", "ccode"] {
        cols.push((n.into(), ColType::Int));
    }
    cols.push(("iso3".into(), ColType::Text));
    for n in ["member", "importantvote"] {
        cols.push((n.into(), ColType::Int));
    }
    cols.push(("date".into(), ColType::Text));
    cols.push(("unres".into(), ColType::Text));
    for n in ["me", "nu", "di", "hr", "co"] {
        cols.push((n.into(), ColType::Int));
    }
    // Published as text, with stray characters in some rows (`0\"`): kept as published.
    cols.push(("ec".into(), ColType::Text));
    cols.push(("year".into(), ColType::Int));
    let mut tb = TableBuilder::with_capacity("un_votes", &cols, df.rows);
    let mut stats = FileStats::default();
    let mut cow = CowOnDate {
        cache: HashMap::new(),
    };
    let mut fallbacks: HashMap<(i32, String, i64), u64> = HashMap::new();
    let int = |v: Option<i64>| v.map_or(Value::Null, Value::Int);
    for i in 0..df.rows {
        stats.rows_read += 1;
        let row_err = |column: &str, m: String| {
            format_err(file, format!("row {}, column {column:?}: {m}", i + 1))
        };
        if cell("rcid", i)?.is_none() {
            return Err(row_err(
                "rcid",
                "missing (every vote belongs to a roll call)".into(),
            ));
        }
        let vote = cell("vote", i)?;
        match vote {
            Some(1 | 2 | 3 | 8 | 9) => {}
            v => {
                return Err(row_err(
                    "vote",
                    format!(
                        "{} is not a vote code (1 yes, 2 abstain, 3 no, 8 absent, 9 not a member)",
                        v.map_or("NA".into(), |x| x.to_string())
                    ),
                ));
            }
        }
        let raw_date = date_col.text(i).unwrap_or_default();
        let date =
            if raw_date.trim().is_empty() {
                None
            } else {
                Some(us_date(&raw_date).ok_or_else(|| {
                    row_err("date", format!("{raw_date:?} is not a date M/D/YYYY"))
                })?)
            };
        let mut code = cell("ccode", i)?
            .and_then(|c| i32::try_from(c).ok())
            .ok_or_else(|| row_err("ccode", "missing or out of range".into()))?;
        if cell("session", i)? == Some(SWAPPED_SESSION)
            && let Some(&(_, other)) = SWAPPED.iter().find(|(c, _)| *c == code)
        {
            code = other;
            stats.adjust(SWAP_REASON);
        }
        let (iso, fallback) = match date {
            Some(d) => cow.resolve(code, d, d),
            None => {
                // No date: the state valid at the end of the row's year.
                let y = cell("year", i)?
                    .and_then(|y| i32::try_from(y).ok())
                    .ok_or_else(|| {
                        row_err("year", "missing where the date is missing too".into())
                    })?;
                stats.adjust("date missing: country resolved for the row's year");
                cow.resolve(code, Date::start_of_year(y), Date::end_of_year(y))
            }
        }
        .map_err(|e| row_err("ccode", e))?;
        if fallback {
            let v = vote.unwrap_or(0);
            *fallbacks.entry((code, iso.to_string(), v)).or_default() += 1;
        }
        let mut row = Vec::with_capacity(cols.len());
        for n in ["rcid", "session", "vote"] {
            row.push(int(cell(n, i)?));
        }
        row.push(Value::Int(i64::from(code)));
        row.push(Value::text(iso));
        for n in ["member", "importantvote"] {
            row.push(int(cell(n, i)?));
        }
        row.push(Value::opt_text(date.map(|d| d.to_string())));
        row.push(Value::opt_text(unres.text(i)));
        for n in ["me", "nu", "di", "hr", "co"] {
            row.push(int(cell(n, i)?));
        }
        row.push(Value::opt_text(ec.text(i)));
        row.push(int(cell("year", i)?));
        tb.push(row)?;
        stats.rows_loaded += 1;
    }
    let mut notes: Vec<_> = fallbacks.into_iter().collect();
    notes.sort();
    for ((code, iso, v), n) in notes {
        let reason = format!(
            "COW {code} dated outside its state's years (vote code {v}): resolved to {iso}"
        );
        *stats.adjusted.entry(reason).or_default() += n;
    }
    out.add("un_votes", tb.finish()?);
    out.file(file, stats);
    Ok(())
}

impl Source for UnVotes {
    fn meta(&self) -> &SourceMeta {
        &self.0
    }
    fn load(&self, inputs: &[Input]) -> Result<Loaded> {
        let mut out = Loaded::default();
        if let Some(inp) = input(inputs, VOTES_RDATA) {
            load_votes(inp, &mut out)?;
        }
        if let Some(inp) = input(inputs, ROLL_CALLS) {
            let d = parse_csv(inp)?;
            let mut stats = FileStats::default();
            let types = [
                ("rcid", ColType::Int),
                ("session", ColType::Int),
                ("importantvote", ColType::Int),
                ("amend", ColType::Int),
                ("para", ColType::Int),
            ];
            let tb = to_table(
                "un_roll_calls",
                &d,
                &types,
                &[],
                crate::table::DEFAULT_NULLS,
                &mut stats,
                |row| {
                    if row.int("rcid")?.is_none() {
                        return Err(row.at("rcid").bad("", "a roll-call id"));
                    }
                    Ok(RowOutcome::Keep(vec![]))
                },
            )?;
            out.add("un_roll_calls", tb.finish()?);
            out.file(&inp.name, stats);
        }
        if let Some(inp) = input(inputs, ISSUES) {
            let d = parse_csv(inp)?;
            let mut stats = FileStats::default();
            let tb = to_table(
                "un_roll_call_issues",
                &d,
                &[("rcid", ColType::Int)],
                &[],
                crate::table::DEFAULT_NULLS,
                &mut stats,
                |row| {
                    if row.int("rcid")?.is_none() {
                        return Err(row.at("rcid").bad("", "a roll-call id"));
                    }
                    Ok(RowOutcome::Keep(vec![]))
                },
            )?;
            out.add("un_roll_call_issues", tb.finish()?);
            out.file(&inp.name, stats);
        }
        Ok(out)
    }
}

impl Source for UnIdealPoints {
    fn meta(&self) -> &SourceMeta {
        &self.0
    }
    fn load(&self, inputs: &[Input]) -> Result<Loaded> {
        let mut out = Loaded::default();
        let Some(inp) = input(inputs, IDEAL_POINTS) else {
            return Ok(out);
        };
        let d = Delimited::parse(&inp.name, &inp.bytes, &Layout::csv())?;
        let mut types: Vec<(&str, ColType)> = vec![("ccode", ColType::Int), ("year", ColType::Int)];
        for h in &d.header {
            let h = h.trim();
            if h.starts_with("nvotes") {
                types.push((h, ColType::Int));
            } else if h.starts_with("idealpoint") || h.starts_with('q') {
                types.push((h, ColType::Float));
            }
        }
        let mut stats = FileStats::default();
        let mut fallbacks: HashMap<String, u64> = HashMap::new();
        let tb = to_table(
            "un_ideal_points",
            &d,
            &types,
            &[("iso3", ColType::Text)],
            crate::table::DEFAULT_NULLS,
            &mut stats,
            |row| {
                let year = super::year_of(row, "year")?;
                let code = row
                    .int("ccode")?
                    .ok_or_else(|| row.at("ccode").bad("", "a COW country code"))?;
                let (c, fallback) = super::cw()
                    .lookup_nearest(
                        Scheme::Cow,
                        &code.to_string(),
                        Date::start_of_year(year),
                        Date::end_of_year(year),
                    )
                    .map_err(|e| SourceError::Country {
                        file: row.d.file.clone(),
                        line: row.line(),
                        column: "ccode".into(),
                        error: e,
                    })?;
                if fallback {
                    *fallbacks
                        .entry(format!(
                            "COW {code} used in {year}, outside its state's years: resolved to {}",
                            c.iso3
                        ))
                        .or_default() += 1;
                }
                Ok(RowOutcome::Keep(vec![Value::text(c.iso3.clone())]))
            },
        )?;
        for (reason, n) in fallbacks {
            *stats.adjusted.entry(reason).or_default() += n;
        }
        out.add("un_ideal_points", tb.finish()?);
        out.file(&inp.name, stats);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn us_dates() {
        assert_eq!(us_date("1/1/1946"), Date::new(1946, 1, 1));
        assert_eq!(us_date("12/23/2015"), Date::new(2015, 12, 23));
        assert_eq!(us_date("2/30/2015"), None);
        assert_eq!(us_date("2015-12-23"), None);
        assert_eq!(us_date("1/1/1946/1"), None);
    }
}

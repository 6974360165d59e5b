//! Indices of event feeds: per country and per dyad, per day, week or month.
//!
//! A cell is one (feed, scope, period): the events of a country (where they happened, the
//! resolved `iso3`) or of a dyad (the resolved countries of actor 1 and actor 2) in one day,
//! ISO week (starting Monday) or calendar month. Each cell holds:
//!
//! - the event count, by QuadClass (1-4) and by CAMEO root code (01-20);
//! - the Goldstein sum and mean (over the events that have one) and the mean tone;
//! - distinct outlets and articles: from the mentions of the cell's events where mentions are
//!   given (GDELT's mentions file), else from each event's own outlet and article;
//! - the feed's volume in the period (all its events, resolved or not) and the cell's share of
//!   it, since GDELT's volume drifts over the years.
//!
//! [`add_zscores`] sets each cell's z-scores (events and share) against the same scope's own
//! trailing baseline; [`zscores`] does it for any series. Events without the key a scope needs (no resolved place, a dyad with an unknown
//! side) are not in that scope's cells but are in the volume.

use crate::event::{Event, EventKey, Mention, QuadClass, Source};
use attache_core::{Date, MonthId};
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// Day, ISO week or calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Granularity {
    Day,
    Week,
    Month,
}

impl Granularity {
    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Day => "day",
            Granularity::Week => "week",
            Granularity::Month => "month",
        }
    }
}

/// One period, named by its first day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub granularity: Granularity,
    pub start: Date,
}

impl Period {
    /// The period of `granularity` that holds `date`.
    pub fn of(granularity: Granularity, date: Date) -> Period {
        let start = match granularity {
            Granularity::Day => date,
            Granularity::Week => {
                // 1970-01-01 was a Thursday: Monday-based weekday is (days + 3) mod 7.
                let d = date.days_since_epoch();
                Date::from_days_since_epoch(d - (d + 3).rem_euclid(7))
            }
            Granularity::Month => MonthId::from_year_month(date.year, date.month)
                .expect("a date's month")
                .first_day(),
        };
        Period { granularity, start }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.granularity {
            Granularity::Day => write!(f, "{}", self.start),
            Granularity::Week => write!(f, "week of {}", self.start),
            Granularity::Month => write!(f, "{:04}-{:02}", self.start.year, self.start.month),
        }
    }
}

/// What a cell counts over.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// Events that happened in a country (ISO3).
    Country(String),
    /// Events from actor 1's country to actor 2's (ISO3, ISO3).
    Dyad(String, String),
}

/// One index cell.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexRow {
    pub source: Source,
    pub scope: Scope,
    pub period: Period,
    pub events: u64,
    /// Events by QuadClass 1-4 (index 0 = QuadClass 1).
    pub by_quad: [u64; 4],
    /// Events by CAMEO root code 01-20 (index 0 = root 01).
    pub by_root: [u64; 20],
    pub goldstein_sum: f64,
    /// Mean over the events with a Goldstein value; `None` if none has one.
    pub goldstein_mean: Option<f64>,
    /// Mean `AvgTone`; `None` for ICEWS (no tone) or no event with one.
    pub tone_mean: Option<f64>,
    pub distinct_sources: u64,
    pub distinct_articles: u64,
    /// All events of the feed in the period.
    pub volume: u64,
    /// `events / volume`.
    pub share: f64,
    /// z-score of `events` against the scope's own previous periods; set by [`add_zscores`].
    pub z_events: Option<f64>,
    /// z-score of `share`, likewise.
    pub z_share: Option<f64>,
}

impl IndexRow {
    /// Share of the cell's events that are conflict (QuadClass 3 or 4).
    pub fn conflict_share(&self) -> f64 {
        if self.events == 0 {
            0.0
        } else {
            (self.by_quad[2] + self.by_quad[3]) as f64 / self.events as f64
        }
    }

    /// Events of one QuadClass.
    pub fn quad(&self, q: QuadClass) -> u64 {
        self.by_quad[usize::from(q.number() - 1)]
    }
}

/// A hash map with foldhash's fast, per-process seeded hasher.
type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// A [`Scope`] borrowing the event's codes, for the cell map's keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum ScopeRef<'a> {
    Country(&'a str),
    Dyad(&'a str, &'a str),
}

impl ScopeRef<'_> {
    fn owned(self) -> Scope {
        match self {
            ScopeRef::Country(c) => Scope::Country(c.to_string()),
            ScopeRef::Dyad(a, b) => Scope::Dyad(a.to_string(), b.to_string()),
        }
    }
}

#[derive(Default)]
struct Acc<'a> {
    events: u64,
    by_quad: [u64; 4],
    by_root: [u64; 20],
    gold_sum: f64,
    gold_n: u64,
    tone_sum: f64,
    tone_n: u64,
    sources: std::collections::HashSet<&'a str, foldhash::fast::RandomState>,
    articles: std::collections::HashSet<&'a str, foldhash::fast::RandomState>,
}

/// Builds every country and dyad cell of `granularity` from `events` (de-duplicated first) and
/// the `mentions` of GDELT events (may be empty).
pub fn build<'a>(
    events: impl IntoIterator<Item = &'a Event>,
    mentions: &'a [Mention],
    granularity: Granularity,
) -> Vec<IndexRow> {
    // Keys borrow the events' strings and hash with foldhash (randomly seeded per process):
    // about 400,000 cell lookups and a million set inserts for a day of GDELT, where owned
    // keys in a B-tree and SipHash were most of the time. The rows are sorted at the end, so
    // the output is in (source, scope, period) order as before.
    let mut by_event: FastMap<u64, Vec<&'a Mention>> = FastMap::default();
    for m in mentions {
        by_event.entry(m.event_id).or_default().push(m);
    }
    let mut volume: FastMap<(Source, Period), u64> = FastMap::default();
    let mut cells: FastMap<(Source, ScopeRef<'a>, Period), Acc<'a>> = FastMap::default();
    for e in events {
        let period = Period::of(granularity, e.date);
        *volume.entry((e.source(), period)).or_default() += 1;
        let country = e.iso3.as_deref().map(ScopeRef::Country);
        let dyad = match (&e.actor1_iso3, &e.actor2_iso3) {
            (Some(a), Some(b)) => Some(ScopeRef::Dyad(a, b)),
            _ => None,
        };
        let ms = match e.key {
            EventKey::Gdelt(id) => by_event.get(&id).map(Vec::as_slice).unwrap_or(&[]),
            EventKey::Icews { .. } => &[],
        };
        for scope in country.into_iter().chain(dyad) {
            let a = cells.entry((e.source(), scope, period)).or_default();
            a.events += 1;
            a.by_quad[usize::from(e.quad_class.number() - 1)] += 1;
            a.by_root[usize::from(e.root - 1)] += 1;
            if let Some(g) = e.goldstein {
                a.gold_sum += g;
                a.gold_n += 1;
            }
            if let Some(t) = e.tone {
                a.tone_sum += t;
                a.tone_n += 1;
            }
            if ms.is_empty() {
                if !e.outlet.is_empty() {
                    a.sources.insert(&e.outlet);
                }
                if !e.article.is_empty() {
                    a.articles.insert(&e.article);
                }
            } else {
                for m in ms {
                    a.sources.insert(&m.source_name);
                    if !m.identifier.is_empty() {
                        a.articles.insert(&m.identifier);
                    }
                }
            }
        }
    }
    let mut rows: Vec<IndexRow> = cells
        .into_iter()
        .map(|((source, scope, period), a)| {
            let vol = volume[&(source, period)];
            IndexRow {
                source,
                scope: scope.owned(),
                period,
                events: a.events,
                by_quad: a.by_quad,
                by_root: a.by_root,
                goldstein_sum: a.gold_sum,
                goldstein_mean: (a.gold_n > 0).then(|| a.gold_sum / a.gold_n as f64),
                tone_mean: (a.tone_n > 0).then(|| a.tone_sum / a.tone_n as f64),
                distinct_sources: a.sources.len() as u64,
                distinct_articles: a.articles.len() as u64,
                volume: vol,
                share: a.events as f64 / vol as f64,
                z_events: None,
                z_share: None,
            }
        })
        .collect();
    rows.sort_unstable_by(|a, b| {
        (a.source, &a.scope, a.period).cmp(&(b.source, &b.scope, b.period))
    });
    rows
}

/// Sets `z_events` and `z_share` of every row against the `baseline` periods before it of the
/// same feed, scope and granularity; a period without a row counts as zero events (share 0).
pub fn add_zscores(rows: &mut [IndexRow], baseline: usize) {
    let mut groups: BTreeMap<(Source, Scope, Granularity), Vec<usize>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        groups
            .entry((r.source, r.scope.clone(), r.period.granularity))
            .or_default()
            .push(i);
    }
    for ((_, _, g), mut ix) in groups {
        ix.sort_by_key(|&i| rows[i].period.start);
        let (first, last) = (
            rows[ix[0]].period.start,
            rows[*ix.last().unwrap()].period.start,
        );
        let mut at: HashMap<Date, usize> = ix.iter().map(|&i| (rows[i].period.start, i)).collect();
        let mut periods = Vec::new();
        let mut p = Period::of(g, first);
        while p.start <= last {
            periods.push(at.remove(&p.start));
            p = Period::of(g, next_start(p));
        }
        let ev: Vec<Option<f64>> = periods
            .iter()
            .map(|i| Some(i.map_or(0.0, |i| rows[i].events as f64)))
            .collect();
        let sh: Vec<Option<f64>> = periods
            .iter()
            .map(|i| Some(i.map_or(0.0, |i| rows[i].share)))
            .collect();
        let (ze, zs) = (zscores(&ev, baseline), zscores(&sh, baseline));
        for (k, i) in periods.iter().enumerate() {
            if let Some(i) = i {
                rows[*i].z_events = ze[k];
                rows[*i].z_share = zs[k];
            }
        }
    }
}

fn next_start(p: Period) -> Date {
    match p.granularity {
        Granularity::Day => Date::from_days_since_epoch(p.start.days_since_epoch() + 1),
        Granularity::Week => Date::from_days_since_epoch(p.start.days_since_epoch() + 7),
        Granularity::Month => p.start.month_id().plus(1).first_day(),
    }
}

/// z-scores of each value against the `baseline` values before it (mean and sample standard
/// deviation); `None` until a full baseline exists, for missing values, and where the baseline
/// does not vary.
pub fn zscores(values: &[Option<f64>], baseline: usize) -> Vec<Option<f64>> {
    (0..values.len())
        .map(|i| {
            let x = values[i]?;
            if i < baseline || baseline < 2 {
                return None;
            }
            let base: Vec<f64> = values[i - baseline..i].iter().flatten().copied().collect();
            if base.len() < 2 {
                return None;
            }
            let n = base.len() as f64;
            let mean = base.iter().sum::<f64>() / n;
            let var = base.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
            (var > 0.0).then(|| (x - mean) / var.sqrt())
        })
        .collect()
}

/// A dense series of one scope's cells over consecutive periods from `first` to `last`
/// (inclusive); a period without a cell (no event of that scope) comes with `None`.
pub fn series<'a>(
    rows: &'a [IndexRow],
    source: Source,
    scope: &Scope,
    granularity: Granularity,
    first: Date,
    last: Date,
) -> Vec<(Period, Option<&'a IndexRow>)> {
    let map: HashMap<Period, &IndexRow> = rows
        .iter()
        .filter(|r| r.source == source && &r.scope == scope && r.period.granularity == granularity)
        .map(|r| (r.period, r))
        .collect();
    let mut out = Vec::new();
    let mut p = Period::of(granularity, first);
    let end = Period::of(granularity, last);
    while p <= end {
        out.push((p, map.get(&p).copied()));
        p = Period::of(granularity, next_start(p));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        // 2019-10-24 was a Thursday.
        assert_eq!(
            Period::of(Granularity::Week, d("2019-10-24")).start,
            d("2019-10-21")
        );
        assert_eq!(
            Period::of(Granularity::Week, d("2019-10-21")).start,
            d("2019-10-21")
        );
        assert_eq!(
            Period::of(Granularity::Week, d("2019-10-20")).start,
            d("2019-10-14")
        );
        assert_eq!(
            Period::of(Granularity::Month, d("2019-10-24")).start,
            d("2019-10-01")
        );
    }

    #[test]
    fn zscores_of_cells_count_missing_periods_as_zero() {
        use crate::event::{EventKey, QuadClass};
        let mk = |id: u64, day: &str| Event {
            key: EventKey::Gdelt(id),
            date: day.parse().unwrap(),
            cameo: "190".into(),
            root: 19,
            quad_class: QuadClass::MaterialConflict,
            goldstein: Some(-10.0),
            tone: Some(-5.0),
            actor1_country: String::new(),
            actor2_country: String::new(),
            place: "CT".into(),
            num_mentions: 1,
            num_sources: 1,
            num_articles: 1,
            outlet: "a.org".into(),
            article: format!("https://a.org/{id}"),
            added: None,
            iso3: Some("CAF".into()),
            actor1_iso3: None,
            actor2_iso3: None,
        };
        // One event on days 1, 2 and 4 (none on day 3), five on day 5.
        let mut ev = vec![
            mk(1, "2020-01-01"),
            mk(2, "2020-01-02"),
            mk(3, "2020-01-04"),
        ];
        ev.extend((10..15).map(|i| mk(i, "2020-01-05")));
        let mut rows = build(&ev, &[], Granularity::Day);
        add_zscores(&mut rows, 4);
        assert_eq!(rows.len(), 4);
        // Baseline of day 5: 1, 1, 0, 1 (mean 0.75, sd 0.5): z = (5 - 0.75) / 0.5.
        assert!(
            (rows[3].z_events.unwrap() - 8.5).abs() < 1e-9,
            "{:?}",
            rows[3].z_events
        );
        assert_eq!(rows[0].z_events, None);
        // Shares: 1, 1, 0 (no row), 1, then 1: z = (1 - 0.75) / 0.5.
        assert!((rows[3].z_share.unwrap() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn zscores_need_a_baseline() {
        let v: Vec<Option<f64>> = [1.0, 2.0, 3.0, 2.0, 10.0].map(Some).to_vec();
        let z = zscores(&v, 4);
        assert_eq!(&z[..4], &[None; 4]);
        let sd = (2.0f64 / 3.0).sqrt();
        assert!((z[4].unwrap() - 8.0 / sd).abs() < 1e-9);
        assert_eq!(zscores(&[Some(1.0), Some(1.0), Some(1.0)], 2)[2], None);
    }
}

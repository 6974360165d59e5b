//! How old the data and the forecast are, in words a reader cannot miss (issue 14: pages said
//! "forecast as of 2020-10" on a machine dated 2026 and nothing said the data was six years old).
//!
//! Two ages are judged against what the publishers declare ([`attache_sources::Lag`]):
//! - the **vintage**: days since it was synced; stale for each source whose expected update
//!   interval ([`attache_sources::Lag::update_every_days`]: monthly 31 days, yearly 366,
//!   real time 1) has passed since;
//! - the **forecast**: months from its as-of month (its last month of data) to today; stale past
//!   [`FORECAST_STALE_MONTHS`] (ViEWS publishes monthly, a month or two after the month).
//!
//! No IO: the caller passes the lockfile, the forecast's as-of month and today's date.

use attache_core::{Date, MonthId};

use crate::lockfile::Lockfile;

/// A forecast whose data end more than this many months before today is stale.
pub const FORECAST_STALE_MONTHS: i32 = 3;

/// A source whose expected update interval has passed since the vintage was synced.
#[derive(Debug, Clone, PartialEq)]
pub struct Overdue {
    pub source: String,
    pub title: String,
    pub every_days: u32,
}

/// The ages of what a page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Freshness {
    pub vintage: String,
    /// The day the vintage was synced (`None` when its lockfile's date is unreadable).
    pub synced_on: Option<Date>,
    /// Whole days from the sync to today.
    pub age_days: Option<i64>,
    /// Sources past their update interval, shortest interval first.
    pub overdue: Vec<Overdue>,
    /// The latest forecast's last month of data, and how many months before today's month.
    pub forecast: Option<(MonthId, i32)>,
}

/// Judges the vintage of `lock` and a forecast as of `forecast_as_of` on `today`.
pub fn assess(lock: &Lockfile, forecast_as_of: Option<MonthId>, today: Date) -> Freshness {
    let synced_on = lock
        .created_at
        .get(..10)
        .and_then(|d| Date::parse_lenient(d).ok());
    let age_days = synced_on.map(|d| today.days_since_epoch() - d.days_since_epoch());
    let mut overdue: Vec<Overdue> = match age_days {
        None => Vec::new(),
        Some(age) => lock
            .sources
            .iter()
            .filter_map(|s| {
                let every = attache_sources::lag_of(&s.id)?.update_every_days()?;
                (age > i64::from(every)).then(|| Overdue {
                    source: s.id.clone(),
                    title: s.title.clone(),
                    every_days: every,
                })
            })
            .collect(),
    };
    overdue.sort_by(|a, b| {
        a.every_days
            .cmp(&b.every_days)
            .then(a.source.cmp(&b.source))
    });
    Freshness {
        vintage: lock.vintage.clone(),
        synced_on,
        age_days,
        overdue,
        forecast: forecast_as_of.map(|m| (m, today.month_id().months_since(m))),
    }
}

impl Freshness {
    /// Whether a reader must be warned: a source is overdue or the forecast is old.
    pub fn is_stale(&self) -> bool {
        !self.overdue.is_empty() || self.forecast_is_stale()
    }

    pub fn forecast_is_stale(&self) -> bool {
        self.forecast
            .is_some_and(|(_, months)| months > FORECAST_STALE_MONTHS)
    }

    /// One line that always says the ages ("Data: vintage V, synced 2026-12-06 (today).
    /// Forecast as of 2020-10, 74 months ago.").
    pub fn summary(&self) -> String {
        let synced = match (self.synced_on, self.age_days) {
            (Some(d), Some(0)) => format!("synced {d} (today)"),
            (Some(d), Some(1)) => format!("synced {d} (yesterday)"),
            (Some(d), Some(n)) => format!("synced {d} ({n} days ago)"),
            _ => "sync date unknown".to_string(),
        };
        let mut s = format!("Data: vintage {}, {synced}.", self.vintage);
        if let Some((m, months)) = self.forecast {
            s.push_str(&format!(" Forecast as of {m} ({}).", months_ago(months)));
        }
        s
    }

    /// The warning, when stale: what is old and what to do.
    pub fn warning(&self) -> Option<String> {
        if !self.is_stale() {
            return None;
        }
        let mut parts = Vec::new();
        if self.forecast_is_stale()
            && let Some((m, months)) = self.forecast
        {
            parts.push(format!(
                "the forecast uses data up to {m}, {}: it cannot know anything that happened since",
                months_ago(months)
            ));
        }
        if !self.overdue.is_empty() {
            let names: Vec<String> = self
                .overdue
                .iter()
                .take(4)
                .map(|o| format!("{} ({})", o.title, cadence(o.every_days)))
                .collect();
            let more = self.overdue.len().saturating_sub(4);
            parts.push(format!(
                "the data were synced {} days ago, and {}{} will likely have published new data since",
                self.age_days.unwrap_or_default(),
                names.join(", "),
                if more > 0 {
                    format!(" and {more} more sources")
                } else {
                    String::new()
                }
            ));
        }
        Some(format!(
            "Stale: {}. Sync for newer data (`attache sync`, or `attache up` without --mirror keeps it current).",
            parts.join("; ")
        ))
    }
}

fn cadence(days: u32) -> String {
    match days {
        1 => "daily".into(),
        31 => "monthly".into(),
        366 => "yearly".into(),
        d => format!("every {d} days"),
    }
}

fn months_ago(months: i32) -> String {
    match months {
        i32::MIN..=0 => "this month".to_string(),
        1 => "1 month ago".to_string(),
        2..=23 => format!("{months} months ago"),
        _ => format!(
            "{months} months ago, about {} years",
            (f64::from(months) / 12.0).round()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lockfile::SourceEntry;

    fn lock(created_at: &str, sources: &[&str]) -> Lockfile {
        Lockfile {
            vintage: "v1".into(),
            created_at: created_at.into(),
            sources: sources
                .iter()
                .map(|id| SourceEntry {
                    id: id.to_string(),
                    title: format!("title of {id}"),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    /// (synced, forecast as of, today) -> stale?, warning or summary.
    fn check(created: &str, as_of: Option<&str>, today: &str, expect: &str) {
        let sources = ["views-cm", "ucdp-brd", "crosswalk"];
        let f = assess(
            &lock(created, &sources),
            as_of.map(|m| MonthId::parse_ym(m).unwrap()),
            day(today),
        );
        let got = f.warning().unwrap_or_else(|| f.summary());
        assert_eq!(got, expect);
    }

    #[test]
    fn ages_in_words() {
        check(
            "2026-12-06T03:10:00Z",
            Some("2026-10"),
            "2026-12-06",
            "Data: vintage v1, synced 2026-12-06 (today). Forecast as of 2026-10 (2 months ago).",
        );
        check(
            "2026-12-06T03:10:00Z",
            Some("2020-10"),
            "2026-12-06",
            "Stale: the forecast uses data up to 2020-10, 74 months ago, about 6 years: it cannot know anything that happened since. Sync for newer data (`attache sync`, or `attache up` without --mirror keeps it current).",
        );
        check(
            "2026-09-01T00:00:00Z",
            None,
            "2026-12-06",
            "Stale: the data were synced 96 days ago, and title of views-cm (monthly) will likely have published new data since. Sync for newer data (`attache sync`, or `attache up` without --mirror keeps it current).",
        );
        check(
            "2024-01-01T00:00:00Z",
            None,
            "2026-12-06",
            "Stale: the data were synced 1070 days ago, and title of views-cm (monthly), title of ucdp-brd (yearly) will likely have published new data since. Sync for newer data (`attache sync`, or `attache up` without --mirror keeps it current).",
        );
        check(
            "garbage",
            None,
            "2026-12-06",
            "Data: vintage v1, sync date unknown.",
        );
    }
}

//! Calendar dates and months as the sources use them.
//!
//! `MonthId` follows the ViEWS convention: 1 = January 1980, 12 = December 1980, 13 = January 1981.
//! `Date` is a plain proleptic-Gregorian calendar date; it carries no time zone.

use std::fmt;
use std::str::FromStr;

/// A calendar date (year, month 1-12, day 1-31), ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("{value:?} is not a date (expected YYYY-MM-DD, YYYY-MM or YYYY)")]
    Syntax { value: String },
    #[error("{value:?} is out of range: {why}")]
    Range { value: String, why: &'static str },
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl Date {
    /// A checked date.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        (1..=12)
            .contains(&month)
            .then_some(())
            .filter(|_| day >= 1 && day <= days_in_month(year, month))
            .map(|_| Date { year, month, day })
    }

    /// First day of a year.
    pub fn start_of_year(year: i32) -> Date {
        Date {
            year,
            month: 1,
            day: 1,
        }
    }

    /// Last day of a year.
    pub fn end_of_year(year: i32) -> Date {
        Date {
            year,
            month: 12,
            day: 31,
        }
    }

    /// Parses `YYYY-MM-DD`; `YYYY-MM` and `YYYY` mean the first day of that month or year.
    pub fn parse_lenient(s: &str) -> Result<Date, DateError> {
        let syntax = || DateError::Syntax {
            value: s.to_string(),
        };
        let parts: Vec<&str> = s.trim().split('-').collect();
        if parts.is_empty() || parts.len() > 3 || parts[0].len() != 4 {
            return Err(syntax());
        }
        let num = |p: &str| -> Result<u32, DateError> {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) || p.len() > 4 {
                return Err(syntax());
            }
            p.parse().map_err(|_| syntax())
        };
        let year = num(parts[0])? as i32;
        let month = parts.get(1).map(|p| num(p)).transpose()?.unwrap_or(1);
        let day = parts.get(2).map(|p| num(p)).transpose()?.unwrap_or(1);
        if !(1..=12).contains(&month) {
            return Err(DateError::Range {
                value: s.to_string(),
                why: "month must be 1-12",
            });
        }
        Date::new(year, month as u8, day.min(255) as u8).ok_or(DateError::Range {
            value: s.to_string(),
            why: "no such day in that month",
        })
    }

    /// The month this date falls in.
    /// Days since 1970-01-01 (negative before), proleptic Gregorian.
    pub fn days_since_epoch(self) -> i64 {
        // H. Hinnant's days_from_civil.
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (the inverse of [`Date::days_since_epoch`]).
    pub fn from_days_since_epoch(days: i64) -> Date {
        // H. Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    pub fn month_id(self) -> MonthId {
        MonthId::from_year_month(self.year, self.month).expect("checked date")
    }
}

impl FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Date, DateError> {
        let d = Date::parse_lenient(s)?;
        if s.trim().len() != 10 {
            return Err(DateError::Syntax {
                value: s.to_string(),
            });
        }
        Ok(d)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A calendar month numbered as ViEWS does: 1 = January 1980.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MonthId(pub i32);

impl MonthId {
    pub const EPOCH_YEAR: i32 = 1980;

    /// `None` for a month outside 1-12.
    pub fn from_year_month(year: i32, month: u8) -> Option<MonthId> {
        (1..=12)
            .contains(&month)
            .then(|| MonthId((year - Self::EPOCH_YEAR) * 12 + month as i32))
    }

    pub fn year(self) -> i32 {
        Self::EPOCH_YEAR + (self.0 - 1).div_euclid(12)
    }

    /// 1-12.
    pub fn month(self) -> u8 {
        ((self.0 - 1).rem_euclid(12) + 1) as u8
    }

    pub fn first_day(self) -> Date {
        Date {
            year: self.year(),
            month: self.month(),
            day: 1,
        }
    }

    pub fn plus(self, months: i32) -> MonthId {
        MonthId(self.0 + months)
    }

    /// Months from `earlier` to `self` (negative when `earlier` is later): the offset to index
    /// a dense monthly series that starts at `earlier`.
    pub fn months_since(self, earlier: MonthId) -> i32 {
        self.0 - earlier.0
    }

    /// Every month from `self` to `last`, inclusive (empty when `last` is earlier).
    pub fn through(self, last: MonthId) -> impl DoubleEndedIterator<Item = MonthId> + Clone {
        (self.0..=last.0).map(MonthId)
    }

    /// The month that publishes year `year`'s annual data under a lag of `months_after` months
    /// after the year's end (UCDP's annual releases: June of the next year = 6).
    pub fn after_year(year: i32, months_after: i32) -> MonthId {
        MonthId((year + 1 - Self::EPOCH_YEAR) * 12 + months_after)
    }

    /// Parses `YYYY-MM`.
    pub fn parse_ym(s: &str) -> Result<MonthId, DateError> {
        let t = s.trim();
        if t.len() != 7 {
            return Err(DateError::Syntax {
                value: s.to_string(),
            });
        }
        Ok(Date::parse_lenient(t)?.month_id())
    }
}

impl fmt::Display for MonthId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check_month(ym: &str, id: i32) {
        let m = MonthId::parse_ym(ym).unwrap();
        assert_eq!(m, MonthId(id), "{ym}");
        assert_eq!(m.to_string(), ym);
    }

    #[test]
    fn views_month_ids() {
        // ViEWS challenge files: 457 = January 2018, 490 = October 2020, 492 = December 2020.
        check_month("1980-01", 1);
        check_month("1980-12", 12);
        check_month("2018-01", 457);
        check_month("2020-10", 490);
        check_month("2020-12", 492);
        check_month("1979-12", 0);
    }

    #[test]
    fn epoch_days() {
        let check = |ymd: &str, days: i64| {
            let d: Date = ymd.parse().unwrap();
            assert_eq!(d.days_since_epoch(), days, "{ymd}");
            assert_eq!(Date::from_days_since_epoch(days), d, "{days}");
        };
        // `date -d YYYY-MM-DD +%s` / 86400.
        check("1970-01-01", 0);
        check("2000-03-01", 11_017);
        check("2026-12-06", 20_793);
        check("1969-12-31", -1);
        check("1900-02-28", -25_509);
    }

    proptest! {
        #[test]
        fn epoch_days_round_trip(days in -1_000_000i64..1_000_000) {
            let d = Date::from_days_since_epoch(days);
            prop_assert_eq!(d.days_since_epoch(), days);
            prop_assert!(Date::new(d.year, d.month, d.day).is_some());
        }
    }

    #[test]
    fn month_arithmetic() {
        let oct20 = MonthId(490);
        assert_eq!(oct20.months_since(MonthId(457)), 33);
        assert_eq!(
            MonthId(457).through(MonthId(459)).collect::<Vec<_>>(),
            [MonthId(457), MonthId(458), MonthId(459)]
        );
        assert_eq!(MonthId(459).through(MonthId(457)).count(), 0);
        // UCDP's 2019 annual data is public from June 2020.
        assert_eq!(MonthId::after_year(2019, 6).to_string(), "2020-06");
    }

    #[test]
    fn bad_dates_are_named() {
        for bad in ["2020-13", "20-01", "2020-02-30", "abcd", "2020-1x", ""] {
            let e = Date::parse_lenient(bad).unwrap_err();
            assert!(e.to_string().contains(bad), "{e}");
        }
    }

    proptest! {
        #[test]
        fn month_round_trip(id in -2000i32..4000) {
            let m = MonthId(id);
            prop_assert_eq!(MonthId::from_year_month(m.year(), m.month()), Some(m));
            prop_assert_eq!(MonthId::parse_ym(&m.to_string()).ok(), if m.year() >= 1000 && m.year() <= 9999 { Some(m) } else { MonthId::parse_ym(&m.to_string()).ok() });
        }

        #[test]
        fn date_parse_never_panics(s in ".{0,12}") {
            let _ = Date::parse_lenient(&s);
        }
    }
}

//! GDELT 2.0's 15-minute slots, in UTC.
//!
//! GDELT 2.0 publishes an export, a mentions and a GKG file every 15 minutes, each named by the
//! UTC time of its slot (`20191024143000.export.CSV.zip`). A slot here is the number of
//! 15-minute steps since 1970-01-01T00:00:00Z, so every UTC day has exactly 96 slots, also on
//! the days a local clock jumps: gdeltPyR#65 built the URLs from local time and asked for files
//! that do not exist (and skipped some that do) around daylight-saving changes.
//!
//! [`expected_slots`] lists the slots that should exist between two instants and [`gaps`] the
//! runs of those that are missing from a set of slots present, so a missing file is recorded and
//! shown (gdeltPyR#79 skipped them silently).

use attache_core::Date;
use std::fmt;

/// Seconds in one GDELT 2.0 slot.
pub const SLOT_SECONDS: i64 = 15 * 60;

/// Slots in one UTC day.
pub const SLOTS_PER_DAY: i64 = 96;

/// Where GDELT 2.0 files are published.
pub const GDELT2_BASE: &str = "http://data.gdeltproject.org/gdeltv2/";

/// A time stamp that is not a valid UTC time or slot.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlotError {
    #[error("{value:?} is not a time stamp (expected 14 digits, YYYYMMDDHHMMSS)")]
    Syntax { value: String },
    #[error("{value:?} is not a valid time: {why}")]
    Range { value: String, why: &'static str },
    #[error(
        "{value:?} is not on a 15-minute boundary (GDELT 2.0 slots start at :00, :15, :30, :45)"
    )]
    Unaligned { value: String },
}

/// An instant in UTC, to the second (seconds since 1970-01-01T00:00:00Z).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UtcTime(pub i64);

impl UtcTime {
    /// The instant `date` at `hour:minute:second` UTC, if those are in range.
    pub fn from_parts(date: Date, hour: u8, minute: u8, second: u8) -> Option<UtcTime> {
        (hour < 24 && minute < 60 && second < 60).then(|| {
            UtcTime(
                date.days_since_epoch() * 86_400
                    + i64::from(hour) * 3600
                    + i64::from(minute) * 60
                    + i64::from(second),
            )
        })
    }

    /// Midnight UTC at the start of `date`.
    pub fn midnight(date: Date) -> UtcTime {
        UtcTime(date.days_since_epoch() * 86_400)
    }

    /// The UTC calendar date of this instant.
    pub fn date(self) -> Date {
        Date::from_days_since_epoch(self.0.div_euclid(86_400))
    }

    /// Hour, minute and second of the day, UTC.
    pub fn hms(self) -> (u8, u8, u8) {
        let s = self.0.rem_euclid(86_400);
        ((s / 3600) as u8, (s / 60 % 60) as u8, (s % 60) as u8)
    }

    /// Parses GDELT's `YYYYMMDDHHMMSS` (UTC), strictly: 14 ASCII digits, a real date and time.
    pub fn parse_compact(s: &str) -> Result<UtcTime, SlotError> {
        let syntax = || SlotError::Syntax {
            value: crate::text::cut(s),
        };
        if s.len() != 14 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(syntax());
        }
        let n = |a: usize, b: usize| s[a..b].parse::<u32>().map_err(|_| syntax());
        let range = |why| SlotError::Range {
            value: s.to_string(),
            why,
        };
        let (y, mo, d) = (n(0, 4)?, n(4, 6)?, n(6, 8)?);
        let (h, mi, se) = (n(8, 10)?, n(10, 12)?, n(12, 14)?);
        let date = Date::new(y as i32, mo.min(99) as u8, d.min(99) as u8)
            .ok_or_else(|| range("no such day"))?;
        UtcTime::from_parts(date, h.min(99) as u8, mi.min(99) as u8, se.min(99) as u8)
            .ok_or_else(|| range("hour must be 0-23, minutes and seconds 0-59"))
    }

    /// `YYYYMMDDHHMMSS`, as GDELT names its files.
    pub fn compact(self) -> String {
        let d = self.date();
        let (h, m, s) = self.hms();
        format!("{:04}{:02}{:02}{h:02}{m:02}{s:02}", d.year, d.month, d.day)
    }
}

impl fmt::Display for UtcTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (h, m, s) = self.hms();
        write!(f, "{}T{h:02}:{m:02}:{s:02}Z", self.date())
    }
}

/// One 15-minute slot: the number of whole slots since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slot(pub i64);

impl Slot {
    /// The slot an instant falls in (the one that starts at or before it).
    pub fn of(t: UtcTime) -> Slot {
        Slot(t.0.div_euclid(SLOT_SECONDS))
    }

    /// The first slot that starts at or after `t`.
    pub fn at_or_after(t: UtcTime) -> Slot {
        Slot(t.0.div_euclid(SLOT_SECONDS) + i64::from(t.0.rem_euclid(SLOT_SECONDS) != 0))
    }

    /// When the slot starts.
    pub fn start(self) -> UtcTime {
        UtcTime(self.0 * SLOT_SECONDS)
    }

    /// The slot `n` steps later (earlier if negative).
    pub fn plus(self, n: i64) -> Slot {
        Slot(self.0 + n)
    }

    /// A slot from GDELT's file time stamp; it must lie on a 15-minute boundary.
    pub fn parse_stamp(s: &str) -> Result<Slot, SlotError> {
        let t = UtcTime::parse_compact(s)?;
        if t.0.rem_euclid(SLOT_SECONDS) != 0 {
            return Err(SlotError::Unaligned {
                value: s.to_string(),
            });
        }
        Ok(Slot::of(t))
    }

    /// GDELT's file time stamp of this slot, `YYYYMMDDHHMMSS` in UTC.
    pub fn stamp(self) -> String {
        self.start().compact()
    }

    /// The URL of a file of this slot on GDELT's server (or under `base`, a mirror).
    pub fn url(self, base: &str, kind: crate::listing::FileKind) -> String {
        format!("{base}{}", kind.file_name(self))
    }
}

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.start().fmt(f)
    }
}

/// The slots that should exist from `from` (inclusive) to `to` (exclusive): every slot whose
/// start lies in `[from, to)`. Empty when `to <= from`.
pub fn expected_slots(from: UtcTime, to: UtcTime) -> impl DoubleEndedIterator<Item = Slot> + Clone {
    let first = Slot::at_or_after(from).0;
    let end = Slot::at_or_after(to).0;
    (first..end.max(first)).map(Slot)
}

/// A run of consecutive missing slots, `first..=last`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gap {
    pub first: Slot,
    pub last: Slot,
}

impl Gap {
    /// How many slots are missing.
    pub fn len(&self) -> i64 {
        self.last.0 - self.first.0 + 1
    }

    /// Never: a gap holds at least one slot.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The missing slots.
    pub fn slots(&self) -> impl Iterator<Item = Slot> {
        (self.first.0..=self.last.0).map(Slot)
    }
}

impl fmt::Display for Gap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            write!(f, "slot {} missing", self.first)
        } else {
            write!(
                f,
                "{} slots missing, {} to {}",
                self.len(),
                self.first,
                self.last
            )
        }
    }
}

/// The runs of slots in `[from, to)` that are not in `present`, oldest first. Slots present
/// outside the range, and repeats, are ignored.
pub fn gaps(from: UtcTime, to: UtcTime, present: impl IntoIterator<Item = Slot>) -> Vec<Gap> {
    let first = Slot::at_or_after(from);
    let end = Slot::at_or_after(to);
    let mut have: Vec<Slot> = present
        .into_iter()
        .filter(|s| *s >= first && *s < end)
        .collect();
    have.sort_unstable();
    have.dedup();
    let mut out = Vec::new();
    let mut next = first;
    for s in have.into_iter().chain(std::iter::once(end)) {
        if s > next {
            out.push(Gap {
                first: next,
                last: s.plus(-1),
            });
        }
        next = s.plus(1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> UtcTime {
        UtcTime::parse_compact(s).unwrap()
    }

    #[test]
    fn stamps_round_trip() {
        let s = Slot::parse_stamp("20191024143000").unwrap();
        assert_eq!(s.stamp(), "20191024143000");
        assert_eq!(s.start().to_string(), "2019-10-24T14:30:00Z");
        assert_eq!(Slot::of(t("20191024144459")), s);
        assert_eq!(Slot::of(t("20191024144500")), s.plus(1));
    }

    #[test]
    fn bad_stamps_name_the_value() {
        let e = Slot::parse_stamp("20191024143100").unwrap_err();
        assert!(e.to_string().contains("20191024143100"), "{e}");
        assert!(matches!(e, SlotError::Unaligned { .. }));
        assert!(matches!(
            UtcTime::parse_compact("20190230000000"),
            Err(SlotError::Range { .. })
        ));
        assert!(matches!(
            UtcTime::parse_compact("20190101240000"),
            Err(SlotError::Range { .. })
        ));
        assert!(matches!(
            UtcTime::parse_compact("2019010100000"),
            Err(SlotError::Syntax { .. })
        ));
        assert!(matches!(
            UtcTime::parse_compact("2019010100000+"),
            Err(SlotError::Syntax { .. })
        ));
    }

    /// gdeltPyR#65: in local time (US Eastern) 2019-03-10 has 23 hours and 2019-11-03 has 25,
    /// so a local-time walk asks for 92 or 100 files. In UTC every day has 96 slots, the
    /// 02:00-03:00 hour that US clocks skip exists, and no slot is listed twice.
    #[test]
    fn dst_crossing_ranges_have_96_slots_a_day() {
        for (from, to, days) in [
            ("20190309000000", "20190312000000", 3), // US spring forward, 2019-03-10
            ("20190330000000", "20190401000000", 2), // EU spring forward, 2019-03-31
            ("20191026000000", "20191028000000", 2), // EU fall back, 2019-10-27
            ("20191102000000", "20191105000000", 3), // US fall back, 2019-11-03
        ] {
            let slots: Vec<Slot> = expected_slots(t(from), t(to)).collect();
            assert_eq!(slots.len() as i64, days * SLOTS_PER_DAY, "{from}..{to}");
            for w in slots.windows(2) {
                assert_eq!(w[1].start().0 - w[0].start().0, SLOT_SECONDS);
            }
        }
        let spring: Vec<String> = expected_slots(t("20190310020000"), t("20190310030000"))
            .map(Slot::stamp)
            .collect();
        assert_eq!(
            spring,
            [
                "20190310020000",
                "20190310021500",
                "20190310023000",
                "20190310024500"
            ]
        );
        let fall: Vec<String> = expected_slots(t("20191103010000"), t("20191103020000"))
            .map(Slot::stamp)
            .collect();
        assert_eq!(fall.len(), 4, "the repeated local hour is one UTC hour");
    }

    #[test]
    fn gaps_across_a_dst_change_are_named() {
        let from = t("20190310000000");
        let to = t("20190311000000");
        let missing = [
            Slot::parse_stamp("20190310021500").unwrap(),
            Slot::parse_stamp("20190310023000").unwrap(),
            Slot::parse_stamp("20190310234500").unwrap(),
        ];
        let present: Vec<Slot> = expected_slots(from, to)
            .filter(|s| !missing.contains(s))
            .collect();
        let g = gaps(from, to, present);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].first.stamp(), "20190310021500");
        assert_eq!(g[0].len(), 2);
        assert_eq!(g[1].first.stamp(), "20190310234500");
        assert_eq!(g[1].len(), 1);
        assert_eq!(g[1].to_string(), "slot 2019-03-10T23:45:00Z missing");
        assert_eq!(gaps(from, to, []).len(), 1);
        assert_eq!(gaps(from, to, [])[0].len(), SLOTS_PER_DAY);
        assert!(gaps(from, from, []).is_empty());
    }

    #[test]
    fn unaligned_range_ends() {
        // 14:07 to 14:52: the slots starting at 14:15, 14:30, 14:45.
        let v: Vec<String> = expected_slots(t("20191024140700"), t("20191024145200"))
            .map(Slot::stamp)
            .collect();
        assert_eq!(v, ["20191024141500", "20191024143000", "20191024144500"]);
    }
}

//! UTC timestamps for vintage ids and lockfiles, from the system clock (no time-zone database).

use std::time::{SystemTime, UNIX_EPOCH};

/// (year, month, day, hour, minute, second) in UTC.
fn civil(t: SystemTime) -> (i64, u32, u32, u32, u32, u32) {
    let secs = t
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let date = attache_core::Date::from_days_since_epoch(days);
    (
        i64::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
        (rem / 3600) as u32,
        (rem % 3600 / 60) as u32,
        (rem % 60) as u32,
    )
}

/// The UTC date of `t`.
pub fn date(t: SystemTime) -> attache_core::Date {
    let secs = t
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    attache_core::Date::from_days_since_epoch(secs.div_euclid(86_400))
}

/// RFC 3339, e.g. `2026-11-28T05:12:00Z`.
pub fn rfc3339(t: SystemTime) -> String {
    let (y, mo, d, h, mi, s) = civil(t);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// A sortable vintage id, e.g. `20261128T051200Z-123456789` (nanoseconds keep ids unique).
pub fn vintage_id(t: SystemTime) -> String {
    let (y, mo, d, h, mi, s) = civil(t);
    let nanos = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    format!("{y:04}{mo:02}{d:02}T{h:02}{mi:02}{s:02}Z-{nanos:09}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn known_instants() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        // 2020-02-29T12:34:56Z
        assert_eq!(
            rfc3339(UNIX_EPOCH + Duration::from_secs(1_582_979_696)),
            "2020-02-29T12:34:56Z"
        );
        assert_eq!(
            vintage_id(UNIX_EPOCH + Duration::from_secs(1_582_979_696)),
            "20200229T123456Z-000000000"
        );
    }
}

//! Data jobs on the record (`attache_opsdb::jobs`): every `sync` and the forecast that `up`
//! runs leave a row with start, end, success and message, which `/sources` and `/healthz`
//! show; and the refresh schedule of `attache up` (`--refresh-every`), which keeps a
//! deployment's data current without a person re-running the set-up.

use std::path::Path;
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result, bail};
use attache_opsdb::jobs::Jobs;

use crate::timefmt::rfc3339;

/// Runs `f` as job `job` of the data dir `data` and records how it ended. A failure to record
/// is reported on standard error and does not hide the job's own result.
pub fn recorded<T>(
    data: &Path,
    job: &str,
    f: impl FnOnce() -> Result<T>,
    describe: impl FnOnce(&T) -> String,
) -> Result<T> {
    let started = SystemTime::now();
    let out = f();
    let (ok, message) = match &out {
        Ok(v) => (true, describe(v)),
        Err(e) => (
            false,
            e.chain()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(": "),
        ),
    };
    let db = data.join("attache.db");
    let rec = Jobs::open(&db)
        .with_context(|| format!("opening the job record in {}", db.display()))
        .and_then(|mut j| {
            j.record(
                job,
                &rfc3339(started),
                &rfc3339(SystemTime::now()),
                ok,
                &message,
            )
            .context("recording the job run")
        });
    if let Err(e) = rec {
        eprintln!("warning: the {job} run was not recorded: {e:#}");
    }
    out
}

/// A refresh interval, or none (`off`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Every(pub Option<Duration>);

/// `6h`, `30m`, `1d`, `90s`, or `off`.
pub fn parse_every(s: &str) -> Result<Every, String> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("off") {
        return Ok(Every(None));
    }
    let bad = || format!("{s:?}: expected a duration such as 6h, 30m, 1d or 90s, or off");
    let (num, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?);
    let n: u64 = num.parse().map_err(|_| bad())?;
    let secs = match unit {
        "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        _ => return Err(bad()),
    };
    if secs < 60 {
        return Err(format!(
            "{s:?}: refreshing more often than once a minute would hammer the publishers"
        ));
    }
    Ok(Every(Some(Duration::from_secs(secs))))
}

/// Calls `refresh` every `every`, for ever, on its own thread; each run's failure is printed
/// (the job record holds it too) and the schedule goes on.
pub fn schedule(every: Duration, refresh: impl Fn() -> Result<()> + Send + 'static) -> Result<()> {
    if every.is_zero() {
        bail!("a refresh interval of zero");
    }
    std::thread::Builder::new()
        .name("refresh".into())
        .spawn(move || {
            loop {
                std::thread::sleep(every);
                eprintln!("refresh: starting (every {} s)", every.as_secs());
                match refresh() {
                    Ok(()) => eprintln!("refresh: done"),
                    Err(e) => eprintln!("refresh failed (the last good data stays): {e:#}"),
                }
            }
        })
        .context("starting the refresh thread")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_parse_or_say_why_not() {
        let ok = |s: &str, secs: u64| {
            assert_eq!(
                parse_every(s),
                Ok(Every(Some(Duration::from_secs(secs)))),
                "{s}"
            )
        };
        ok("6h", 21_600);
        ok("30m", 1800);
        ok("1d", 86_400);
        ok("90s", 90);
        assert_eq!(parse_every("off"), Ok(Every(None)));
        for bad in ["", "6", "h", "6w", "-1h", "10s", "1.5h"] {
            assert!(parse_every(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn runs_are_recorded_with_their_outcome() {
        let d = tempfile::tempdir().unwrap();
        let v = recorded(d.path(), "sync", || Ok(7), |v| format!("published {v}")).unwrap();
        assert_eq!(v, 7);
        let e = recorded::<()>(
            d.path(),
            "sync",
            || Err(anyhow::anyhow!("no route").context("downloading ucdp")),
            |_| String::new(),
        );
        assert!(e.is_err());
        let j = Jobs::open(&d.path().join("attache.db")).unwrap();
        let s = j.status("sync").unwrap();
        assert_eq!(s.last_success.unwrap().message, "published 7");
        assert_eq!(
            s.last_failure.unwrap().message,
            "downloading ucdp: no route"
        );
    }
}

//! Denied reads are counted, not logged one entry each.
//!
//! A read of a brief or document the principal may not see (or that does not exist: the two
//! must look the same from outside) is recorded as a `read.denied` audit entry only for the
//! first such read of each actor in a [`WINDOW_SECS`] window; the later ones in that window are
//! counted, and the count is written as `unlogged_before` on the actor's next entry. So 2,000
//! anonymous probes of classified ids add one entry a minute, not 2,000, and every probe does
//! the same work whether its id exists.
//!
//! Memory is bounded: at most [`MAX_ACTORS`] windows are kept, plus one shared overflow
//! window; when full, expired windows are dropped, and if none has expired the read is counted
//! under the overflow actor.

use std::collections::HashMap;

/// The length of one counting window.
pub const WINDOW_SECS: i64 = 60;
/// Actors tracked at once.
pub const MAX_ACTORS: usize = 4096;
/// Where reads are counted when the table is full of live windows.
pub const OVERFLOW: &str = "*";

#[derive(Debug, Clone, Copy)]
struct Window {
    start: i64,
    /// Denied reads in this window after the logged one.
    unlogged: u64,
}

/// Per-actor windows of denied reads.
#[derive(Debug, Default)]
pub struct DeniedReads {
    windows: HashMap<String, Window>,
}

/// What to do with one denied read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Write an entry; `unlogged_before` reads of this actor's previous window were not logged.
    Log { unlogged_before: u64 },
    /// Counted only.
    Count,
}

impl DeniedReads {
    /// Notes a denied read by `actor` at `now` (Unix seconds).
    pub fn note(&mut self, actor: &str, now: i64) -> Verdict {
        let key = if self.windows.contains_key(actor) || self.make_room(now) {
            actor
        } else {
            OVERFLOW
        };
        match self.windows.get_mut(key) {
            Some(w) if now - w.start < WINDOW_SECS && now >= w.start => {
                w.unlogged += 1;
                Verdict::Count
            }
            Some(w) => {
                let unlogged_before = w.unlogged;
                *w = Window {
                    start: now,
                    unlogged: 0,
                };
                Verdict::Log { unlogged_before }
            }
            None => {
                self.windows.insert(
                    key.to_string(),
                    Window {
                        start: now,
                        unlogged: 0,
                    },
                );
                Verdict::Log { unlogged_before: 0 }
            }
        }
    }

    /// Whether a new actor fits, after dropping windows that have expired with nothing
    /// uncounted. (A window with unlogged reads is kept so its count is not lost; the overflow
    /// actor's window is always kept.)
    fn make_room(&mut self, now: i64) -> bool {
        if self.windows.len() < MAX_ACTORS {
            return true;
        }
        self.windows
            .retain(|k, w| k == OVERFLOW || now - w.start < WINDOW_SECS || w.unlogged > 0);
        self.windows.len() < MAX_ACTORS
    }

    /// Actors tracked (tests).
    pub fn len(&self) -> usize {
        self.windows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.windows.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_entry_per_actor_and_window() {
        let mut d = DeniedReads::default();
        let logged = |d: &mut DeniedReads, actor: &str, from: i64, n: i64| {
            (0..n)
                .filter(|i| matches!(d.note(actor, from + i / 100), Verdict::Log { .. }))
                .count()
        };
        // 2,000 reads within 20 s: one entry.
        assert_eq!(logged(&mut d, "anonymous", 1000, 2000), 1);
        // Another actor has its own window.
        assert_eq!(logged(&mut d, "rita", 1000, 5), 1);
        // The next window's first entry carries the count.
        assert_eq!(
            d.note("anonymous", 1000 + WINDOW_SECS),
            Verdict::Log {
                unlogged_before: 1999
            }
        );
        assert_eq!(d.note("anonymous", 1000 + WINDOW_SECS + 1), Verdict::Count);
        // A clock that steps back starts a new window rather than counting forever.
        assert_eq!(d.note("rita", 10), Verdict::Log { unlogged_before: 4 });
    }

    #[test]
    fn bounded_by_actors() {
        let mut d = DeniedReads::default();
        for i in 0..(MAX_ACTORS + 500) {
            d.note(&format!("user{i}"), 0);
        }
        assert!(d.len() <= MAX_ACTORS + 1, "{}", d.len());
        // Later, expired windows make room again.
        assert_eq!(
            d.note("newcomer", WINDOW_SECS * 2),
            Verdict::Log { unlogged_before: 0 }
        );
        assert!(d.len() < MAX_ACTORS);
    }
}

//! De-duplication of events on their publisher's key.
//!
//! GDELT repeats events: an update can carry a `GLOBALEVENTID` already published, and a
//! backfill overlaps what `follow` already imported. [`Dedup`] remembers the keys seen (seed it
//! with the keys already in the store) and keeps the first row of each key; every repeat is
//! counted, and a repeat whose content differs from the kept row is reported as such, since that
//! is a publisher's correction rather than a plain repeat.

use crate::event::{Event, EventKey};
use std::collections::{HashMap, HashSet};

/// Keys hash with foldhash (seeded per process): SipHash was a tenth of an import's main thread.
type Fast = foldhash::fast::RandomState;

/// The keys seen so far.
#[derive(Debug, Clone, Default)]
pub struct Dedup {
    seen: HashSet<EventKey, Fast>,
}

/// What [`Dedup::filter`] dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DedupReport {
    /// Rows kept.
    pub kept: usize,
    /// Repeats of a key with the same content as the row kept (in this batch).
    pub repeats: usize,
    /// Repeats within this batch whose content differs from the row kept (a publisher's
    /// correction, not a plain repeat), by key; the first row is kept.
    pub conflicting: Vec<EventKey>,
    /// Rows whose key was seen in an earlier batch or seeded from the store (their content is
    /// not kept here, so they are not compared).
    pub already_known: usize,
}

impl DedupReport {
    /// Rows dropped.
    pub fn dropped(&self) -> usize {
        self.repeats + self.conflicting.len() + self.already_known
    }
}

/// Whether two rows say the same thing: every field equal, floats by their bits (the content,
/// not a formatting of it).
fn same_content(a: &Event, b: &Event) -> bool {
    let bits = |x: Option<f64>| x.map(f64::to_bits);
    a.key == b.key
        && a.date == b.date
        && (&a.cameo, a.root, a.quad_class) == (&b.cameo, b.root, b.quad_class)
        && bits(a.goldstein) == bits(b.goldstein)
        && bits(a.tone) == bits(b.tone)
        && (&a.actor1_country, &a.actor2_country, &a.place)
            == (&b.actor1_country, &b.actor2_country, &b.place)
        && (a.num_mentions, a.num_sources, a.num_articles)
            == (b.num_mentions, b.num_sources, b.num_articles)
        && (&a.outlet, &a.article, a.added) == (&b.outlet, &b.article, b.added)
        && (&a.iso3, &a.actor1_iso3, &a.actor2_iso3) == (&b.iso3, &b.actor1_iso3, &b.actor2_iso3)
}

impl Dedup {
    pub fn new() -> Dedup {
        Dedup::default()
    }

    /// Starts from keys already stored.
    pub fn with_known(keys: impl IntoIterator<Item = EventKey>) -> Dedup {
        Dedup {
            seen: keys.into_iter().collect(),
        }
    }

    /// Whether a key has been seen.
    pub fn contains(&self, key: &EventKey) -> bool {
        self.seen.contains(key)
    }

    /// Keys seen.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }

    /// Records a key; true if it is new.
    pub fn insert(&mut self, key: EventKey) -> bool {
        self.seen.insert(key)
    }

    /// Keeps the first row of every key not seen before, in order, and says what it dropped.
    pub fn filter(&mut self, mut events: Vec<Event>) -> (Vec<Event>, DedupReport) {
        let mut report = DedupReport::default();
        // Where each key of this batch was first kept (its index in `events`); the events are
        // filtered in place afterwards, so no second vector of them is allocated.
        let mut batch: HashMap<EventKey, usize, Fast> =
            HashMap::with_capacity_and_hasher(events.len(), Fast::default());
        let mut keep = vec![false; events.len()];
        for (i, e) in events.iter().enumerate() {
            if let Some(&first) = batch.get(&e.key) {
                if same_content(&events[first], e) {
                    report.repeats += 1;
                } else {
                    report.conflicting.push(e.key);
                }
                continue;
            }
            if !self.seen.insert(e.key) {
                report.already_known += 1;
                continue;
            }
            batch.insert(e.key, i);
            keep[i] = true;
        }
        let mut flags = keep.into_iter();
        events.retain(|_| flags.next().unwrap_or(false));
        report.kept = events.len();
        (events, report)
    }
}

/// De-duplicates one batch on its own.
pub fn dedup(events: Vec<Event>) -> (Vec<Event>, DedupReport) {
    Dedup::new().filter(events)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::parse_icews;

    #[test]
    fn repeats_corrections_and_known_keys() {
        let mut text = crate::event::ICEWS_COLUMNS.join("\t");
        text.push('\n');
        let row = |id: &str, day: &str, cameo: &str| {
            format!(
                "{id}\t{day}\tA\tNA\tFrance\tConsult\t{cameo}\t1\tB\tNA\tMali\t1\t1\tAFP\tNA\tNA\tNA\tMali\t0\t0\n"
            )
        };
        text.push_str(&row("1", "2018-06-01", "040"));
        text.push_str(&row("1", "2018-06-01", "040")); // plain repeat
        text.push_str(&row("1", "2018-06-02", "040")); // same id, other day: another event
        text.push_str(&row("2", "2018-06-01", "040"));
        text.push_str(&row("2", "2018-06-01", "190")); // correction
        let ev = parse_icews(text.as_bytes()).unwrap();
        let known = EventKey::Icews {
            event_id: 2,
            date: "2018-06-01".parse().unwrap(),
        };
        let (kept, r) = dedup(ev.clone());
        assert_eq!(kept.len(), 3);
        assert_eq!(r.repeats, 1);
        assert_eq!(r.conflicting, vec![known]);
        assert_eq!(kept[2].cameo, "040", "the first row is kept");
        let mut d = Dedup::with_known([known]);
        let (kept, r) = d.filter(ev);
        assert_eq!(kept.len(), 2);
        assert_eq!(r.already_known, 2);
        assert_eq!(r.dropped() + r.kept, 5);
        assert!(d.contains(&known) && d.len() == 3 && !d.is_empty());
    }
}

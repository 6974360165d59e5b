//! De-duplication of events on their publisher's key.
//!
//! GDELT repeats events: an update can carry a `GLOBALEVENTID` already published, and a
//! backfill overlaps what `follow` already imported. [`Dedup`] remembers the keys seen (seed it
//! with the keys already in the store) and keeps the first row of each key; every repeat is
//! counted, and a repeat whose content differs from the kept row is reported as such, since that
//! is a publisher's correction rather than a plain repeat.

use crate::event::{Event, EventKey};
use std::collections::HashMap;

/// The keys seen so far.
#[derive(Debug, Clone, Default)]
pub struct Dedup {
    seen: HashMap<EventKey, u64>,
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

fn fingerprint(e: &Event) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    // Every field, floats by their bits (the content, not a formatting of it).
    e.key.hash(&mut h);
    e.date.days_since_epoch().hash(&mut h);
    (&e.cameo, e.root, e.quad_class.number()).hash(&mut h);
    e.goldstein.map(f64::to_bits).hash(&mut h);
    e.tone.map(f64::to_bits).hash(&mut h);
    (&e.actor1_country, &e.actor2_country, &e.place).hash(&mut h);
    (e.num_mentions, e.num_sources, e.num_articles).hash(&mut h);
    (&e.outlet, &e.article, e.added.map(|t| t.0)).hash(&mut h);
    (&e.iso3, &e.actor1_iso3, &e.actor2_iso3).hash(&mut h);
    h.finish()
}

impl Dedup {
    pub fn new() -> Dedup {
        Dedup::default()
    }

    /// Starts from keys already stored.
    pub fn with_known(keys: impl IntoIterator<Item = EventKey>) -> Dedup {
        Dedup {
            seen: keys.into_iter().map(|k| (k, 0)).collect(),
        }
    }

    /// Whether a key has been seen.
    pub fn contains(&self, key: &EventKey) -> bool {
        self.seen.contains_key(key)
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
        use std::collections::hash_map::Entry;
        match self.seen.entry(key) {
            Entry::Occupied(_) => false,
            Entry::Vacant(v) => {
                v.insert(0);
                true
            }
        }
    }

    /// Keeps the first row of every key not seen before, in order, and says what it dropped.
    pub fn filter(&mut self, events: Vec<Event>) -> (Vec<Event>, DedupReport) {
        let mut report = DedupReport::default();
        let mut batch: HashMap<EventKey, u64> = HashMap::new();
        let mut out = Vec::with_capacity(events.len());
        for e in events {
            if let Some(first) = batch.get(&e.key) {
                if *first == fingerprint(&e) {
                    report.repeats += 1;
                } else {
                    report.conflicting.push(e.key);
                }
                continue;
            }
            if self.seen.contains_key(&e.key) {
                report.already_known += 1;
                continue;
            }
            let fp = fingerprint(&e);
            batch.insert(e.key, fp);
            self.seen.insert(e.key, fp);
            out.push(e);
        }
        report.kept = out.len();
        (out, report)
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

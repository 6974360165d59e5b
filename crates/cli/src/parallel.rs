//! Independent jobs on a bounded set of threads, their results handed back in job order.
//!
//! Used where a command's units of work do not depend on each other (the sources of a sync, the
//! submissions of an evaluation) and the output must not depend on which thread finished first.
//! At most `threads` jobs run at once; results are given to the caller's `consume` on the
//! calling thread, in job order, as soon as every earlier job's result has been consumed. A job
//! starts only when it is fewer than `2 x threads` items ahead of the next result to consume, so
//! when `consume` is the slower side the jobs wait for it: at most that many results are ever
//! held. After the first error (from a job or from `consume`) no new job starts, and that error
//! is returned.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};

/// One thread per core (at least one).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Runs `job(i, &items[i])` for every item on up to `threads` threads and calls
/// `consume(i, result)` on this thread in order of `i`. Stops at the first error; the error
/// returned is that of the earliest failing item (items are taken in order, so every item
/// before a failing one has started and is seen).
pub fn for_each_ordered<T, R, E, F, C>(
    items: &[T],
    threads: usize,
    job: F,
    mut consume: C,
) -> Result<(), E>
where
    T: Sync,
    R: Send,
    E: Send,
    F: Fn(usize, &T) -> Result<R, E> + Sync,
    C: FnMut(usize, R) -> Result<(), E>,
{
    let threads = threads.clamp(1, items.len().max(1));
    let window = 2 * threads;
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    // How many results `consume` has taken; a job waits until it is within `window` of it.
    let consumed = (Mutex::new(0usize), Condvar::new());
    let wake = |n: Option<usize>| {
        let mut c = consumed.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = n {
            *c = n;
        }
        consumed.1.notify_all();
    };
    std::thread::scope(|s| {
        let (tx, rx) = mpsc::channel::<(usize, Result<R, E>)>();
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, stop, job, consumed) = (&next, &stop, &job, &consumed);
            s.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    {
                        // The job `consume` waits for is never held back (i < consumed + 1).
                        let mut c = consumed.0.lock().unwrap_or_else(|p| p.into_inner());
                        while i >= *c + window && !stop.load(Ordering::Relaxed) {
                            c = consumed.1.wait(c).unwrap_or_else(|p| p.into_inner());
                        }
                    }
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let r = job(i, item);
                    // Every earlier item was taken before this one, so stopping new jobs
                    // here still lets the errors of earlier items arrive first.
                    if r.is_err() {
                        stop.store(true, Ordering::Relaxed);
                    }
                    if tx.send((i, r)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut waiting: BTreeMap<usize, Result<R, E>> = BTreeMap::new();
        let mut due = 0;
        let mut outcome = Ok(());
        for (i, r) in rx {
            if outcome.is_err() {
                continue; // drain what the running jobs still send
            }
            waiting.insert(i, r);
            while let Some(r) = waiting.remove(&due) {
                let step = r.and_then(|r| consume(due, r));
                due += 1;
                if let Err(e) = step {
                    stop.store(true, Ordering::Relaxed);
                    outcome = Err(e);
                    waiting.clear();
                    break;
                }
            }
            wake(Some(due));
        }
        wake(None);
        outcome
    })
}

/// Maps every item on up to `threads` threads; the results in item order, or the first error.
pub fn map_ordered<T, R, E, F>(items: &[T], threads: usize, job: F) -> Result<Vec<R>, E>
where
    T: Sync,
    R: Send,
    E: Send,
    F: Fn(usize, &T) -> Result<R, E> + Sync,
{
    let mut out = Vec::with_capacity(items.len());
    for_each_ordered(items, threads, job, |_, r| {
        out.push(r);
        Ok(())
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_order_whatever_finishes_first() {
        let items: Vec<u64> = (0..40).collect();
        let out: Vec<u64> = map_ordered(&items, 4, |i, &x| {
            // Later items finish sooner.
            std::thread::sleep(std::time::Duration::from_micros(40 - i as u64));
            Ok::<_, String>(x * x)
        })
        .unwrap();
        assert_eq!(out, items.iter().map(|x| x * x).collect::<Vec<_>>());
        let none: Vec<u64> = map_ordered(&[] as &[u64], 3, |_, &x| Ok::<_, ()>(x)).unwrap();
        assert!(none.is_empty());
    }

    #[test]
    fn jobs_wait_for_a_slow_consumer() {
        // Jobs are instant and the consumer slow: no job may run more than 2 x threads
        // items ahead of what was consumed.
        let consumed = AtomicUsize::new(0);
        let ahead = AtomicUsize::new(0);
        let items: Vec<usize> = (0..60).collect();
        for_each_ordered(
            &items,
            3,
            |i, &x| {
                let lead = i - consumed.load(Ordering::SeqCst).min(i);
                ahead.fetch_max(lead, Ordering::SeqCst);
                Ok::<_, String>(x)
            },
            |i, x| {
                assert_eq!(i, x);
                std::thread::sleep(std::time::Duration::from_millis(1));
                consumed.store(i + 1, Ordering::SeqCst);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(consumed.load(Ordering::SeqCst), 60);
        let lead = ahead.load(Ordering::SeqCst);
        assert!((1..=6).contains(&lead), "{lead}");
    }

    #[test]
    fn the_first_error_in_order_is_returned_and_stops_new_jobs() {
        let started = AtomicUsize::new(0);
        let items: Vec<usize> = (0..1000).collect();
        let r = map_ordered(&items, 2, |_, &x| {
            started.fetch_add(1, Ordering::Relaxed);
            if x == 3 {
                Err(format!("item {x}"))
            } else {
                Ok(x)
            }
        });
        assert_eq!(r, Err("item 3".to_string()));
        assert!(started.load(Ordering::Relaxed) < 1000);
        // An error from the consumer also stops it.
        let mut seen = Vec::new();
        let r = for_each_ordered(
            &items,
            2,
            |_, &x| Ok::<_, String>(x),
            |i, x| {
                seen.push(x);
                if i == 5 { Err("enough".into()) } else { Ok(()) }
            },
        );
        assert_eq!(r, Err("enough".to_string()));
        assert_eq!(seen, (0..=5).collect::<Vec<_>>());
    }
}

//! The one limit on computations started by requests (climate ensembles now; epidemic and trade
//! simulations later): a [`WorkPool`] of a few running jobs and a capped queue.
//!
//! - **Bounded pool.** At most `running` jobs compute at once, each on a blocking thread; the
//!   rest wait in a queue of at most `queue` requests. Beyond that the request is refused at
//!   once with 503 and a `Retry-After` estimated from the recent job time ([`AppError::Busy`]),
//!   so a burst never grows threads or memory without limit.
//! - **Cancellation.** A job runs under an `attache_core::cancel` token. When the request's
//!   future is dropped (the client went away, or the request timeout fired) the token is
//!   cancelled: a queued job never starts, a running one stops at its next checkpoint. The slot
//!   is freed only when the thread has actually stopped.
//! - **Single flight** for identical queries lives with the caches ([`crate::climate::cached`]):
//!   the second caller of a query waits for the first one's job rather than starting its own.
//!
//! Jobs run at a lower CPU priority than the request threads (Linux `nice`), so pages that
//! compute nothing stay fast while the pool is busy.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use attache_core::cancel::{self, CancelToken};
use tokio::sync::Semaphore;

use crate::error::AppError;

/// Sizes of the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkLimits {
    /// Jobs computing at once.
    pub running: usize,
    /// Requests waiting for a slot; one more is answered 503.
    pub queue: usize,
}

impl Default for WorkLimits {
    /// One job per two cores (each job's ensemble uses every core), a queue of 16.
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        WorkLimits {
            running: (cores / 2).max(1),
            queue: 16,
        }
    }
}

/// Counters for tests and the operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WorkStats {
    pub started: u64,
    pub finished: u64,
    pub cancelled: u64,
    pub refused: u64,
}

#[derive(Clone)]
pub struct WorkPool {
    inner: Arc<Inner>,
}

struct Inner {
    limits: WorkLimits,
    slots: Arc<Semaphore>,
    /// Requests holding or waiting for a slot.
    admitted: AtomicUsize,
    /// Exponentially weighted mean job time, in ms (for Retry-After).
    mean_ms: AtomicU64,
    started: AtomicU64,
    finished: AtomicU64,
    cancelled: AtomicU64,
    refused: AtomicU64,
}

impl WorkPool {
    pub fn new(limits: WorkLimits) -> WorkPool {
        let limits = WorkLimits {
            running: limits.running.max(1),
            queue: limits.queue,
        };
        WorkPool {
            inner: Arc::new(Inner {
                limits,
                slots: Arc::new(Semaphore::new(limits.running)),
                admitted: AtomicUsize::new(0),
                mean_ms: AtomicU64::new(1000),
                started: AtomicU64::new(0),
                finished: AtomicU64::new(0),
                cancelled: AtomicU64::new(0),
                refused: AtomicU64::new(0),
            }),
        }
    }

    pub fn limits(&self) -> WorkLimits {
        self.inner.limits
    }

    pub fn stats(&self) -> WorkStats {
        let i = &self.inner;
        WorkStats {
            started: i.started.load(Ordering::Relaxed),
            finished: i.finished.load(Ordering::Relaxed),
            cancelled: i.cancelled.load(Ordering::Relaxed),
            refused: i.refused.load(Ordering::Relaxed),
        }
    }

    /// Seconds a refused client should wait: the queue ahead of it, at the recent job time.
    fn retry_after(&self) -> u64 {
        let i = &self.inner;
        let ahead = i.admitted.load(Ordering::Relaxed) as u64;
        let per_slot = ahead.div_ceil(i.limits.running as u64).max(1);
        (per_slot * i.mean_ms.load(Ordering::Relaxed))
            .div_ceil(1000)
            .clamp(1, 120)
    }

    /// Runs `f` on the pool: waits for a slot (or is refused with [`AppError::Busy`] when the
    /// queue is full), then computes on a blocking thread under a cancellation token that is
    /// cancelled if this future is dropped.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let i = &self.inner;
        let cap = i.limits.running + i.limits.queue;
        if i.admitted.fetch_add(1, Ordering::AcqRel) >= cap {
            i.admitted.fetch_sub(1, Ordering::AcqRel);
            i.refused.fetch_add(1, Ordering::Relaxed);
            return Err(AppError::Busy(self.retry_after()));
        }
        let _admitted = Admitted(self.inner.clone());
        // Dropping this future while it waits here leaves the queue: nothing ran.
        let slot = i
            .slots
            .clone()
            .acquire_owned()
            .await
            .map_err(AppError::internal)?;
        let token = CancelToken::new();
        let guard = CancelOnDrop(token.clone());
        let pool = self.inner.clone();
        i.started.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = tokio::sync::oneshot::channel();
        // A thread of its own (not tokio's blocking pool, which serves the requests' own short
        // blocking calls): its lowered priority, inherited by the ensemble's workers, dies with it.
        std::thread::Builder::new()
            .name("attache-work".into())
            .spawn(move || {
                let _slot = slot;
                lower_priority();
                let t0 = Instant::now();
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    cancel::with_token(&token, f)
                }))
                .unwrap_or_else(|_| Err(AppError::internal("a computation panicked")));
                let ms = t0.elapsed().as_millis().min(u64::MAX as u128) as u64;
                if token.is_cancelled() {
                    pool.cancelled.fetch_add(1, Ordering::Relaxed);
                } else {
                    pool.finished.fetch_add(1, Ordering::Relaxed);
                    let old = pool.mean_ms.load(Ordering::Relaxed);
                    pool.mean_ms.store((old * 3 + ms) / 4, Ordering::Relaxed);
                }
                let _ = tx.send(r);
                trim_heap();
            })
            .map_err(AppError::internal)?;
        let r = rx
            .await
            .map_err(|_| AppError::internal("a computation ended without an answer"))?;
        drop(guard);
        r
    }
}

impl Default for WorkPool {
    fn default() -> Self {
        WorkPool::new(WorkLimits::default())
    }
}

struct Admitted(Arc<Inner>);

impl Drop for Admitted {
    fn drop(&mut self) {
        self.0.admitted.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Cancels its token when dropped: on every exit of [`WorkPool::run`], including the future
/// being dropped mid-job (a finished job ignores it).
struct CancelOnDrop(CancelToken);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// Lowers this thread's CPU priority (nice 10; on Linux the nice value is per thread and new
/// threads inherit it). A failure leaves the priority as it was.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority with who = 0 changes the calling thread only; no memory is touched.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}

/// How long a test may wait for the pool to settle.
#[doc(hidden)]
pub const SETTLE: Duration = Duration::from_secs(10);

/// Caps glibc's malloc arenas at two. Every thread that allocates may otherwise get an arena
/// of its own (up to 8 per core), and simulations run on short-lived job threads: after a
/// burst, memory freed in many half-used arenas is not returned even by [`trim_heap`]. Call
/// it before the runtime starts its threads (`attache serve` does).
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt changes an allocator setting; it takes no pointers.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Returns freed heap pages to the system (glibc keeps them otherwise, and a burst of large
/// ensembles would leave the process at its peak size).
pub fn trim_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory of the allocator; it takes no pointers.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;

    fn pool(running: usize, queue: usize) -> WorkPool {
        WorkPool::new(WorkLimits { running, queue })
    }

    #[tokio::test]
    async fn beyond_the_queue_is_refused_with_a_retry_after() {
        let p = pool(1, 1);
        let release = Arc::new(AtomicBool::new(false));
        let hold = |r: Arc<AtomicBool>| {
            move || {
                while !r.load(Ordering::Acquire) && !cancel::cancelled() {
                    std::thread::sleep(Duration::from_millis(2));
                }
                Ok(())
            }
        };
        let a = tokio::spawn({
            let (p, r) = (p.clone(), release.clone());
            async move { p.run(hold(r)).await }
        });
        let b = tokio::spawn({
            let (p, r) = (p.clone(), release.clone());
            async move { p.run(hold(r)).await }
        });
        while p.inner.admitted.load(Ordering::Acquire) < 2 {
            tokio::task::yield_now().await;
        }
        match p.run(|| Ok(())).await {
            Err(AppError::Busy(s)) => assert!(s >= 1),
            other => panic!("expected Busy, got {:?}", other.err()),
        }
        release.store(true, Ordering::Release);
        a.await.unwrap().unwrap();
        b.await.unwrap().unwrap();
        assert_eq!(
            p.stats(),
            WorkStats {
                started: 2,
                finished: 2,
                cancelled: 0,
                refused: 1
            }
        );
        assert_eq!(p.inner.admitted.load(Ordering::Acquire), 0);
    }

    #[tokio::test]
    async fn a_dropped_request_cancels_its_running_job() {
        let p = pool(1, 4);
        let saw_cancel = Arc::new(AtomicBool::new(false));
        let s = saw_cancel.clone();
        let fut = p.run(move || {
            let t0 = Instant::now();
            while t0.elapsed() < SETTLE {
                if cancel::cancelled() {
                    s.store(true, Ordering::Release);
                    return Err(AppError::internal("cancelled"));
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            Ok(())
        });
        // The request gives up after 50 ms, as the timeout layer does.
        assert!(
            tokio::time::timeout(Duration::from_millis(50), fut)
                .await
                .is_err()
        );
        let t0 = Instant::now();
        while !saw_cancel.load(Ordering::Acquire) && t0.elapsed() < SETTLE {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert!(
            saw_cancel.load(Ordering::Acquire),
            "the job saw its cancellation"
        );
        // The slot comes back: the next job runs.
        assert_eq!(
            tokio::time::timeout(SETTLE, p.run(|| Ok(7)))
                .await
                .unwrap()
                .unwrap(),
            7
        );
        assert_eq!(p.stats().cancelled, 1);
    }

    #[tokio::test]
    async fn a_queued_request_that_goes_away_never_runs() {
        let p = pool(1, 4);
        let release = Arc::new(AtomicBool::new(false));
        let r = release.clone();
        let first = tokio::spawn({
            let p = p.clone();
            async move {
                p.run(move || {
                    while !r.load(Ordering::Acquire) {
                        std::thread::sleep(Duration::from_millis(2));
                    }
                    Ok(())
                })
                .await
            }
        });
        while p.stats().started < 1 {
            tokio::task::yield_now().await;
        }
        let ran = Arc::new(AtomicBool::new(false));
        let r2 = ran.clone();
        let queued = p.run(move || {
            r2.store(true, Ordering::Release);
            Ok(())
        });
        assert!(
            tokio::time::timeout(Duration::from_millis(30), queued)
                .await
                .is_err()
        );
        release.store(true, Ordering::Release);
        first.await.unwrap().unwrap();
        assert!(!ran.load(Ordering::Acquire));
        assert_eq!(p.stats().started, 1);
        assert_eq!(p.inner.admitted.load(Ordering::Acquire), 0);
    }
}

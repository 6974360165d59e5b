//! Cooperative cancellation for long computations (ensembles, simulations) started by a request.
//!
//! The party that starts the work (the server's work pool) makes a [`CancelToken`] and runs the
//! computation inside [`with_token`]; the computation asks [`cancelled`] at natural checkpoints
//! (between ensemble members, between simulated days) and stops early with its own "cancelled"
//! error. A library never needs a token in its signatures: the token travels with the thread,
//! and a computation that fans out to worker threads takes [`current`] along.
//!
//! Without a token (the CLI, tests) nothing is ever cancelled.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A shared flag: once cancelled, always cancelled.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn new() -> CancelToken {
        CancelToken::default()
    }

    /// Asks every computation running under this token to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Release);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

thread_local! {
    static CURRENT: RefCell<Option<CancelToken>> = const { RefCell::new(None) };
}

/// Runs `f` with `token` as this thread's current token (the previous one is restored after,
/// also when `f` panics).
pub fn with_token<R>(token: &CancelToken, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<CancelToken>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let prev = self.0.take();
            CURRENT.with(|c| *c.borrow_mut() = prev);
        }
    }
    let prev = CURRENT.with(|c| c.borrow_mut().replace(token.clone()));
    let _restore = Restore(prev);
    f()
}

/// This thread's current token, to hand to worker threads a computation spawns.
pub fn current() -> Option<CancelToken> {
    CURRENT.with(|c| c.borrow().clone())
}

/// Whether the work running on this thread has been asked to stop.
pub fn cancelled() -> bool {
    CURRENT.with(|c| c.borrow().as_ref().is_some_and(CancelToken::is_cancelled))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_travels_with_the_thread_and_is_restored() {
        assert!(!cancelled() && current().is_none());
        let t = CancelToken::new();
        with_token(&t, || {
            assert!(!cancelled());
            t.cancel();
            assert!(cancelled());
            let inner = CancelToken::new();
            with_token(&inner, || assert!(!cancelled()));
            assert!(cancelled(), "the outer token is back after the inner scope");
        });
        assert!(!cancelled() && current().is_none());
    }

    #[test]
    fn restored_after_a_panic() {
        let t = CancelToken::new();
        t.cancel();
        let r = std::panic::catch_unwind(|| with_token(&t, || panic!("boom")));
        assert!(r.is_err());
        assert!(!cancelled());
    }
}

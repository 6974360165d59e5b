//! For tests only (a dev-dependency; the product never reads the mirror at run time): where the
//! data mirror is.
//!
//! Tests and CI may read `shared/data` beside the checkout, laid out as a mirror of the
//! publishers' files (see its MANIFEST.md). `$ATTACHE_MIRROR` points elsewhere. A missing
//! mirror is a failure, not a skip: a test that cannot see its data must not pass.

use std::path::{Path, PathBuf};

/// The data mirror: `$ATTACHE_MIRROR`, or `shared/data` beside the checkout (canonical path).
pub fn mirror() -> PathBuf {
    if let Some(p) = std::env::var_os("ATTACHE_MIRROR") {
        return PathBuf::from(p);
    }
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    assert!(
        p.join("MANIFEST.md").exists(),
        "data mirror not found at {} (set ATTACHE_MIRROR)",
        p.display()
    );
    p.canonicalize()
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

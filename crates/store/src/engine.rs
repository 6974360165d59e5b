//! Where the store's SQL runs: in this process ([`Embedded`], Apache DataFusion), or on a
//! cluster (the `attache-cluster` crate implements [`Engine`] for Apache DataFusion Ballista).
//!
//! A [`Vintage`](crate::Vintage) registers its tables by path in whatever context its store's
//! engine gives, so the same SQL runs either way. On a cluster the executors open those paths
//! themselves: they must see the data dir at the same path (a shared file system) or the tables
//! must live in an object store they can reach.

use std::fmt::Debug;

use datafusion::prelude::{SessionConfig, SessionContext};

use crate::Result;

/// Gives the DataFusion context a vintage registers its tables in.
pub trait Engine: Send + Sync + Debug {
    /// A new context with `config` (the store's settings, e.g. plain Utf8 strings).
    fn context(&self, config: SessionConfig) -> Result<SessionContext>;

    /// In words, for logs and `attache sql --explain`-like output: `embedded` or the cluster.
    fn describe(&self) -> String;
}

/// DataFusion in this process: the default.
#[derive(Debug, Default, Clone, Copy)]
pub struct Embedded;

impl Engine for Embedded {
    fn context(&self, config: SessionConfig) -> Result<SessionContext> {
        Ok(SessionContext::new_with_config(config))
    }

    fn describe(&self) -> String {
        "embedded DataFusion".into()
    }
}

//! The store's SQL beyond one machine, on Apache DataFusion Ballista 55 (which matches our
//! DataFusion 55).
//!
//! Three parts:
//! - [`run_scheduler`]: Ballista's scheduler, embedded (`attache cluster scheduler`);
//! - [`run_executor`]: Ballista's executor, embedded (`attache cluster executor`);
//! - [`Cluster`]: an [`attache_store::Engine`] whose contexts plan locally and run on a
//!   scheduler at `df://HOST:PORT` (`attache sql --cluster`, `attache serve --cluster`).
//!
//! What a user must know (Ballista's own limits, from its tracker):
//! - **Paths are opened by the executors.** A vintage registers its Parquet files by absolute
//!   path; every executor must see the data dir at that same path (a shared file system), or
//!   the tables must be in an object store the executors reach.
//! - **Results come back from the executors** over Arrow Flight: the client must reach every
//!   executor's `--bind-port` (or the scheduler's embedded Flight proxy). There is no Flight SQL.
//! - Scalar subqueries and some broadcast joins have had wrong answers in Ballista 54.x; the
//!   SQL logic tests (`crates/cli/tests/sql/*.slt`) are run on both engines and must agree.
//!
//! This crate does network IO only through Ballista; it holds no domain logic.

use std::path::PathBuf;
use std::sync::Arc;

use attache_store::{Engine, StoreError};
use ballista_core::extension::SessionStateExt;
use ballista_executor::executor_process::{ExecutorProcessConfig, start_executor_process};
use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::config::SchedulerConfig;
use ballista_scheduler::scheduler_process::start_server;
use datafusion::execution::SessionStateBuilder;
use datafusion::prelude::{SessionConfig, SessionContext};

/// Errors of the cluster commands and engine, by who is to blame.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// The user gave a cluster address we cannot use.
    #[error("cluster address {url:?}: {why} (expected df://HOST:PORT)")]
    BadUrl { url: String, why: &'static str },
    /// A bind address that does not parse.
    #[error("bind address {addr:?}: {why}")]
    BadAddr { addr: String, why: String },
    /// Ballista refused its configuration or stopped with an error.
    #[error("ballista {role}: {source}")]
    Ballista {
        role: &'static str,
        #[source]
        source: ballista_core::error::BallistaError,
    },
}

/// The scheduler's settings, named as Ballista's `ballista-scheduler` binary names its flags.
#[derive(Debug, Clone)]
pub struct SchedulerSettings {
    /// `--bind-host`: the address the gRPC service listens on.
    pub bind_host: String,
    /// `--bind-port`: the port the gRPC service listens on (Ballista's default 50050).
    pub bind_port: u16,
    /// `--external-host`: the host name executors and clients reach the scheduler by.
    pub external_host: String,
}

/// Runs a Ballista scheduler until it fails (or the process ends).
pub async fn run_scheduler(s: SchedulerSettings) -> Result<(), ClusterError> {
    let addr = format!("{}:{}", s.bind_host, s.bind_port);
    let addr = addr
        .parse()
        .map_err(|e: std::net::AddrParseError| ClusterError::BadAddr {
            addr: addr.clone(),
            why: e.to_string(),
        })?;
    let config = SchedulerConfig {
        bind_host: s.bind_host,
        bind_port: s.bind_port,
        external_host: s.external_host,
        ..SchedulerConfig::default()
    };
    let ballista = |source| ClusterError::Ballista {
        role: "scheduler",
        source,
    };
    let cluster = BallistaCluster::new_from_config(&config)
        .await
        .map_err(ballista)?;
    start_server(cluster, addr, Arc::new(config))
        .await
        .map_err(ballista)
}

/// An executor's settings, named as Ballista's `ballista-executor` binary names its flags.
#[derive(Debug, Clone)]
pub struct ExecutorSettings {
    /// `--bind-host`.
    pub bind_host: String,
    /// `--external-host`: the host name the scheduler and clients reach this executor by.
    pub external_host: Option<String>,
    /// `--bind-port`: Arrow Flight (results and shuffle reads).
    pub bind_port: u16,
    /// `--bind-grpc-port`: the executor's gRPC service.
    pub bind_grpc_port: u16,
    /// `--scheduler-host`.
    pub scheduler_host: String,
    /// `--scheduler-port`.
    pub scheduler_port: u16,
    /// `--scheduler-connect-timeout-seconds`: how long to keep trying to reach the scheduler.
    pub scheduler_connect_timeout_seconds: u16,
    /// `--concurrent-tasks` (Ballista 55 also calls it `--vcores`): task slots.
    pub concurrent_tasks: usize,
    /// `--work-dir`: where shuffle files go (a temporary directory when not given).
    pub work_dir: Option<PathBuf>,
}

/// Runs a Ballista executor until it fails (or the process ends).
pub async fn run_executor(s: ExecutorSettings) -> Result<(), ClusterError> {
    let config = ExecutorProcessConfig {
        bind_host: s.bind_host,
        external_host: s.external_host,
        port: s.bind_port,
        grpc_port: s.bind_grpc_port,
        scheduler_host: s.scheduler_host,
        scheduler_port: s.scheduler_port,
        scheduler_connect_timeout_seconds: s.scheduler_connect_timeout_seconds,
        vcores: s.concurrent_tasks.max(1),
        work_dir: s.work_dir.map(|p| p.to_string_lossy().into_owned()),
        ..ExecutorProcessConfig::default()
    };
    start_executor_process(Arc::new(config))
        .await
        .map_err(|source| ClusterError::Ballista {
            role: "executor",
            source,
        })
}

/// A Ballista scheduler as the store's engine: SQL is planned here and run on the cluster.
#[derive(Debug, Clone)]
pub struct Cluster {
    /// As the user wrote it (`df://HOST:PORT`).
    shown: String,
    /// The scheduler's gRPC endpoint (`http://HOST:PORT`).
    endpoint: String,
}

impl Cluster {
    /// Parses `df://HOST:PORT` (the port is required: no silent default).
    pub fn parse(url: &str) -> Result<Cluster, ClusterError> {
        let bad = |why| ClusterError::BadUrl {
            url: url.to_string(),
            why,
        };
        let rest = url
            .strip_prefix("df://")
            .ok_or_else(|| bad("the scheme must be df://"))?;
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        let (host, port) = rest.rsplit_once(':').ok_or_else(|| bad("no port"))?;
        if host.is_empty() || host.contains(['/', '@', '?', '#', ' ']) {
            return Err(bad("no usable host"));
        }
        let port: u16 = port.parse().map_err(|_| bad("the port is not a number"))?;
        if port == 0 {
            return Err(bad("port 0"));
        }
        Ok(Cluster {
            shown: url.to_string(),
            endpoint: format!("http://{host}:{port}"),
        })
    }

    /// The scheduler's gRPC endpoint.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }
}

impl Engine for Cluster {
    fn context(&self, config: SessionConfig) -> Result<SessionContext, StoreError> {
        let state = SessionStateBuilder::new()
            .with_default_features()
            .with_config(config)
            .build()
            .upgrade_for_ballista(self.endpoint.clone())
            .map_err(|e| StoreError::Engine(format!("cluster {}: {e}", self.shown)))?;
        Ok(SessionContext::new_with_state(state))
    }

    fn describe(&self) -> String {
        format!("Ballista cluster {}", self.shown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: &str, expect: Result<&str, &str>) {
        match (Cluster::parse(url), expect) {
            (Ok(c), Ok(e)) => assert_eq!(c.endpoint(), e, "{url}"),
            (Err(err), Err(e)) => assert!(err.to_string().contains(e), "{url}: {err}"),
            (got, want) => panic!("{url}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn cluster_addresses() {
        check("df://localhost:50050", Ok("http://localhost:50050"));
        check("df://127.0.0.1:9000/", Ok("http://127.0.0.1:9000"));
        check("http://localhost:50050", Err("scheme must be df://"));
        check("df://localhost", Err("no port"));
        check("df://:50050", Err("no usable host"));
        check("df://localhost:http", Err("not a number"));
        check("df://localhost:0", Err("port 0"));
        check("df://user@host:1", Err("no usable host"));
    }
}

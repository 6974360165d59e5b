//! `attache cluster scheduler|executor`: Apache DataFusion Ballista's scheduler and executor,
//! embedded, with the flags Ballista's own binaries use; and `--cluster df://HOST:PORT`, which
//! runs the store's SQL (`attache sql`, the server's read paths) on such a cluster.
//!
//! Executors open the vintage's Parquet files by absolute path: they must see the data dir at
//! the same path as the client (shared storage), see `attache_cluster`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};

/// Where the store's SQL runs.
#[derive(Args, Clone, Debug, Default)]
pub struct EngineArgs {
    /// Run the SQL on a Ballista cluster (its scheduler's address, `df://HOST:PORT`) instead of
    /// in this process. Executors must see the data dir at the same path.
    #[arg(long, env = "ATTACHE_CLUSTER", value_name = "df://HOST:PORT")]
    pub cluster: Option<String>,
}

impl EngineArgs {
    /// The engine to give the store, if not the embedded one.
    pub fn engine(&self) -> Result<Option<Arc<dyn attache_store::Engine>>> {
        let Some(url) = &self.cluster else {
            return Ok(None);
        };
        let c = attache_cluster::Cluster::parse(url).context("--cluster")?;
        Ok(Some(Arc::new(c)))
    }

    /// `store` with its SQL on this engine.
    pub fn apply(&self, store: attache_store::Store) -> Result<attache_store::Store> {
        Ok(match self.engine()? {
            Some(e) => store.with_engine(e),
            None => store,
        })
    }
}

#[derive(Subcommand)]
pub enum ClusterCommand {
    /// Run a Ballista scheduler (clients and executors connect to it).
    Scheduler(SchedulerArgs),
    /// Run a Ballista executor (it registers with a scheduler and runs tasks).
    Executor(ExecutorArgs),
}

#[derive(Args)]
pub struct SchedulerArgs {
    /// Address the scheduler listens on.
    #[arg(long, default_value = "0.0.0.0")]
    bind_host: String,
    /// Port the scheduler listens on.
    #[arg(long, default_value_t = 50050)]
    bind_port: u16,
    /// Host name executors and clients reach the scheduler by.
    #[arg(long, default_value = "localhost")]
    external_host: String,
}

#[derive(Args)]
pub struct ExecutorArgs {
    /// Address the executor listens on.
    #[arg(long, default_value = "0.0.0.0")]
    bind_host: String,
    /// Host name the scheduler and clients reach this executor by (default: the bind host).
    #[arg(long)]
    external_host: Option<String>,
    /// Arrow Flight port (results, shuffle reads).
    #[arg(long, default_value_t = 50051)]
    bind_port: u16,
    /// gRPC port of the executor's own service.
    #[arg(long, default_value_t = 50052)]
    bind_grpc_port: u16,
    /// The scheduler's host.
    #[arg(long, default_value = "localhost")]
    scheduler_host: String,
    /// The scheduler's port.
    #[arg(long, default_value_t = 50050)]
    scheduler_port: u16,
    /// How long to keep trying to reach the scheduler before failing.
    #[arg(long, default_value_t = 30)]
    scheduler_connect_timeout_seconds: u16,
    /// Task slots (tasks run at once); Ballista 55 also calls this --vcores.
    #[arg(long, alias = "vcores", default_value_t = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1))]
    concurrent_tasks: usize,
    /// Directory for shuffle files (default: a temporary directory).
    #[arg(long)]
    work_dir: Option<PathBuf>,
}

pub fn run(cmd: ClusterCommand) -> Result<ExitCode> {
    let rt = crate::runtime()?;
    match cmd {
        ClusterCommand::Scheduler(a) => {
            let what = format!("the Ballista scheduler on {}:{}", a.bind_host, a.bind_port);
            println!("starting {what} (Ctrl-C stops)");
            rt.block_on(attache_cluster::run_scheduler(
                attache_cluster::SchedulerSettings {
                    bind_host: a.bind_host,
                    bind_port: a.bind_port,
                    external_host: a.external_host,
                },
            ))
            .with_context(|| format!("running {what}"))?;
        }
        ClusterCommand::Executor(a) => {
            let what = format!(
                "the Ballista executor on {}:{} (scheduler {}:{})",
                a.bind_host, a.bind_port, a.scheduler_host, a.scheduler_port
            );
            println!("starting {what} (Ctrl-C stops)");
            rt.block_on(attache_cluster::run_executor(
                attache_cluster::ExecutorSettings {
                    bind_host: a.bind_host,
                    external_host: a.external_host,
                    bind_port: a.bind_port,
                    bind_grpc_port: a.bind_grpc_port,
                    scheduler_host: a.scheduler_host,
                    scheduler_port: a.scheduler_port,
                    scheduler_connect_timeout_seconds: a.scheduler_connect_timeout_seconds,
                    concurrent_tasks: a.concurrent_tasks,
                    work_dir: a.work_dir,
                },
            ))
            .with_context(|| format!("running {what}"))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

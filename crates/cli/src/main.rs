//! `attache`: the one binary. It only wires the libraries together: argument parsing (each flag
//! defined once, with its docs), context on every IO step, and the whole error chain on failure.

mod audit_cmd;
mod brief_cmd;
mod climate_cmd;
mod cluster_cmd;
mod country_cmd;
mod epidemic_cmd;
mod events_cmd;
mod forecast_cmd;
mod indices_cmd;
mod jobs;
mod keys_cmd;
mod output;
mod parallel;
mod predictors;
mod sdg_cmd;
mod serve_cmd;
mod statement_cmd;
mod sync;
mod timefmt;
mod trade_cmd;
mod user_cmd;
mod vintages_cmd;
mod votes_cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "attache",
    version,
    about = "Attaché: data-driven diplomacy. The system advises; a person decides."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the store lives.
#[derive(Args, Clone)]
pub struct DataDir {
    /// Data directory (vintages of Parquet tables, lockfiles, operational state).
    /// Defaults to $XDG_DATA_HOME/attache or ~/.local/share/attache.
    #[arg(long, env = "ATTACHE_DATA_DIR", global = true)]
    data_dir: Option<PathBuf>,
}

impl DataDir {
    pub fn path(&self) -> PathBuf {
        if let Some(p) = &self.data_dir {
            return p.clone();
        }
        let base = std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
            .unwrap_or_else(|| PathBuf::from("."));
        base.join("attache")
    }

    pub fn store(&self) -> Result<attache_store::Store> {
        let p = self.path();
        attache_store::Store::open(&p).with_context(|| format!("opening data dir {}", p.display()))
    }
}

#[derive(Subcommand)]
enum Command {
    /// Download every source from its publisher (or import a mirror) into a new vintage.
    Sync(sync::SyncArgs),
    /// The main job: sync (from the mirror, or the web without --mirror), the conflict forecast
    /// from the latest data, then serve the dashboard.
    Up(UpArgs),
    /// Serve the dashboard and the JSON API (`/api/v1`).
    Serve(serve_cmd::ServeArgs),
    /// The published vintages: list, show what went into one, use one (roll back).
    Vintages(vintages_cmd::VintagesArgs),
    /// List the tables of the current vintage: name, rows, columns, source.
    Tables {
        #[command(flatten)]
        data: DataDir,
    },
    /// Run SQL (Apache DataFusion dialect) over the current vintage.
    Sql {
        /// The SQL statement.
        sql: String,
        #[command(flatten)]
        out: output::OutputArgs,
        #[command(flatten)]
        data: DataDir,
        #[command(flatten)]
        engine: cluster_cmd::EngineArgs,
    },
    /// Run the store's SQL beyond one machine: Apache DataFusion Ballista scheduler and executor.
    #[command(subcommand)]
    Cluster(cluster_cmd::ClusterCommand),
    /// Look a country up by any code or name; prints every code and its land neighbours.
    Country(country_cmd::CountryArgs),
    /// List the sources: publisher, licence, publication lag, official URLs.
    Sources,
    /// Conflict early warning: backtests, evaluation, forecasts (reference only; a person decides).
    #[command(subcommand)]
    Forecast(forecast_cmd::ForecastCommand),
    /// Climate negotiation support: emulator, pledge aggregator, country progress and ratings.
    #[command(subcommand)]
    Climate(climate_cmd::ClimateCommand),
    /// The tamper-evident audit log: verify, prove (RFC 9162 proofs), log, head, reanchor.
    Audit(audit_cmd::AuditArgs),
    /// The deployment's secrets: vault keyring and audit signing key (init, list, rotate, retire).
    Keys(keys_cmd::KeysArgs),
    /// Signed statements: keygen, sign (detached manifest), verify.
    #[command(subcommand)]
    Statement(statement_cmd::StatementCommand),
    /// User accounts of the dashboard and API: add, passwd, role, token, disable, list.
    User(user_cmd::UserArgs),
    /// Decision briefs: create, list, show, submit, decide (diplomats), archive, amend, predict, export.
    Brief(brief_cmd::BriefArgs),
    /// Cross-border epidemic simulator: run (SIR/SEIR on the air network), compare (a lever
    /// against the baseline), distance (effective distance from an origin).
    #[command(subcommand)]
    Epidemic(epidemic_cmd::EpidemicCommand),
    /// UN votes and voting power: power of a weighted game, ideal points, agreement.
    #[command(subcommand)]
    Votes(votes_cmd::VotesCommand),
    /// Structural gravity: estimate (PPML or OLS with absorbed fixed effects) on a panel from
    /// a .dta, .csv or .parquet file.
    #[command(subcommand)]
    Trade(trade_cmd::TradeCommand),
    /// Composite indices from their published parts: INFORM Risk (drivers, what-ifs).
    #[command(subcommand)]
    Indices(indices_cmd::IndicesCommand),
    /// The SDG Index of the synced store, recomputed from its goal scores and ranked.
    #[command(subcommand)]
    Sdg(sdg_cmd::SdgCommand),
    /// Disaster risk of the synced store: INFORM Risk recomputed from its components.
    #[command(subcommand)]
    Risk(sdg_cmd::RiskCommand),
    /// Event feeds (GDELT 2.0, ICEWS): import publisher files into the event store, with the
    /// missing 15-minute slots and the daily index.
    #[command(subcommand)]
    Events(events_cmd::EventsCommand),
}

/// `attache up`: sync, forecast, serve.
#[derive(Args)]
struct UpArgs {
    #[command(flatten)]
    sync: sync::SyncArgs,
    #[command(flatten)]
    listen: serve_cmd::ListenArgs,
    /// Stop after the sync and the forecast (do not serve).
    #[arg(long)]
    no_serve: bool,
    /// While serving, sync and re-forecast this often (6h, 30m, 1d, or off). Default: 6h when
    /// syncing from the web, off with --mirror (a mirror changes when someone imports one).
    /// Each run's start, end and outcome is on `/sources` and `/healthz`; a failed run keeps
    /// the last good data.
    #[arg(long, value_name = "INTERVAL", value_parser = jobs::parse_every)]
    refresh_every: Option<jobs::Every>,
}

/// A reader that closes the pipe early (`attache sources | head -1`) is not an error. Commands
/// that print and end get the default action of SIGPIPE back (Rust ignores it, so every write
/// to a closed pipe would fail and `println!` panic): the process ends at once and quietly, as
/// `cat` or `grep` do, whatever writes (`println!`, a CSV or Parquet writer, another thread).
/// The long-running servers keep SIGPIPE ignored (a client that goes away must not end them).
#[cfg(unix)]
fn default_sigpipe() {
    // SAFETY: setting a signal's disposition to SIG_DFL at start-up, before any thread exists,
    // installs no handler and touches no memory.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Where SIGPIPE stays ignored (non-Unix systems, the servers): `println!` panics on a closed
/// standard output, so that one panic ends the process quietly with exit 0, as `emit` does.
/// Every other panic keeps the default report.
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let msg = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if msg.contains("failed printing to stdout") && msg.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    let cli = Cli::parse();
    #[cfg(unix)]
    if !matches!(
        cli.command,
        Command::Serve(_) | Command::Up(_) | Command::Cluster(_)
    ) {
        default_sigpipe();
    }
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(2)
        }
    }
}

/// Writes to standard output; a closed pipe (`attache ... | head`) ends the program quietly.
pub fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: writing to standard output: {e}");
        std::process::exit(2);
    }
}

pub fn data_dir(p: &std::path::Path) -> DataDir {
    DataDir {
        data_dir: Some(p.to_path_buf()),
    }
}

pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// What a sync left current, for the job record.
fn published(data: &std::path::Path) -> String {
    match data_dir(data)
        .store()
        .and_then(|s| Ok(s.require_current()?))
    {
        Ok(v) => format!("vintage {} is current", v.id),
        Err(e) => format!("no current vintage: {e}"),
    }
}

/// One refresh: sync, then the latest forecast when the vintage has ViEWS data; both on the
/// job record.
fn refresh(args: &sync::SyncArgs) -> Result<()> {
    let data = args.data_dir();
    let a = args.clone();
    jobs::recorded(&data, "sync", || sync::run(a), |_| published(&data))?;
    let has_cm = data_dir(&data)
        .store()?
        .require_current()?
        .tables()?
        .iter()
        .any(|t| t == "cm");
    if has_cm {
        jobs::recorded(
            &data,
            "forecast",
            || forecast_cmd::live::run_latest(data_dir(&data)),
            |_| "latest forecast run written".to_string(),
        )?;
    } else {
        println!("no ViEWS data in this vintage: forecasts skipped");
    }
    Ok(())
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Sync(args) => {
            let data = args.data_dir();
            jobs::recorded(&data, "sync", || sync::run(args), |_| published(&data))
        }
        Command::Up(UpArgs {
            sync: args,
            listen,
            no_serve,
            refresh_every,
        }) => {
            let data = args.data_dir();
            let every = match refresh_every {
                Some(jobs::Every(e)) => e,
                None => (!args.uses_mirror()).then(|| std::time::Duration::from_secs(6 * 3600)),
            };
            refresh(&args)?;
            println!(
                "data ready in {}; query it with `attache sql`, forecasts with `attache forecast show ISO3`",
                data.display()
            );
            if no_serve {
                return Ok(ExitCode::SUCCESS);
            }
            if !args.uses_mirror() {
                // The event follower: GDELT publishes every 15 minutes.
                println!("following GDELT's event feed every 15 minutes");
                let (d, rewrites, cache) = (data.clone(), args.rewrites(), args.cache_dir());
                jobs::schedule(std::time::Duration::from_secs(900), move || {
                    jobs::recorded(
                        &d,
                        "events",
                        || events_cmd::poll_for_up(data_dir(&d), rewrites.clone(), cache.clone()),
                        |_| "event feed polled".to_string(),
                    )
                })?;
            }
            if let Some(every) = every {
                println!("refreshing the data every {} s", every.as_secs());
                jobs::schedule(every, move || refresh(&args))?;
            }
            serve_cmd::serve(data, &listen)
        }
        Command::Serve(args) => serve_cmd::run(args),
        Command::Tables { data } => {
            let store = data.store()?;
            let v = store.require_current()?;
            let lock = v
                .lockfile()
                .with_context(|| format!("reading the lockfile of vintage {}", v.id))?;
            println!("vintage {}", v.id);
            let width = lock
                .tables
                .iter()
                .map(|t| t.name.len())
                .max()
                .unwrap_or(5)
                .max(5);
            println!(
                "{:width$}  {:>9}  {:>7}  source",
                "table", "rows", "columns"
            );
            for t in &lock.tables {
                println!(
                    "{:width$}  {:>9}  {:>7}  {}",
                    t.name,
                    t.rows,
                    t.columns,
                    t.sources.join(", ")
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Sql {
            sql,
            out,
            data,
            engine,
        } => {
            let store = engine.apply(data.store()?)?;
            let v = store.require_current()?;
            let batches = runtime()?.block_on(v.sql(&sql))?;
            output::write(&batches, &out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Cluster(cmd) => cluster_cmd::run(cmd),
        Command::Country(args) => country_cmd::run(args),
        Command::Forecast(cmd) => forecast_cmd::run(cmd),
        Command::Climate(cmd) => climate_cmd::run(cmd),
        Command::Audit(args) => audit_cmd::run(args),
        Command::Keys(args) => keys_cmd::run(args),
        Command::Statement(cmd) => statement_cmd::run(cmd),
        Command::User(args) => user_cmd::run(args),
        Command::Vintages(args) => vintages_cmd::run(args),
        Command::Brief(args) => brief_cmd::run(args),
        Command::Epidemic(cmd) => epidemic_cmd::run(cmd),
        Command::Votes(cmd) => votes_cmd::run(cmd),
        Command::Trade(cmd) => trade_cmd::run(cmd),
        Command::Indices(cmd) => indices_cmd::run(cmd),
        Command::Sdg(cmd) => sdg_cmd::run_sdg(cmd),
        Command::Risk(cmd) => sdg_cmd::run_risk(cmd),
        Command::Events(cmd) => events_cmd::run(cmd),
        Command::Sources => {
            for s in attache_sources::registry() {
                let m = s.meta();
                println!("{}  {}", m.id, m.title);
                println!("  publisher: {}", m.publisher);
                println!("  licence:   {}", m.licence);
                println!("  lag:       {}", m.lag);
                println!("  tables:    {}", m.tables.join(", "));
                for f in &m.files {
                    let url = if f.url.is_empty() {
                        "(mirror layout only)"
                    } else {
                        f.url
                    };
                    // A publisher URL in another format than the file read: only a mirror holds it.
                    let ext = |p: &str| {
                        p.rsplit_once('.')
                            .map(|(_, e)| e.to_ascii_lowercase())
                            .unwrap_or_default()
                    };
                    let note = if !f.url.is_empty()
                        && f.zip_member.is_none()
                        && attache_sources::is_text_table(f.mirror_path)
                        && ext(f.url) != ext(f.mirror_path)
                        && ["xls", "xlsx", "sav", "dta", "pdf"].contains(&ext(f.url).as_str())
                    {
                        format!(
                            "  (the publisher serves .{}; the .{} conversion is mirror-only)",
                            ext(f.url),
                            ext(f.mirror_path)
                        )
                    } else {
                        String::new()
                    };
                    println!("  file:      {}  <- {}{note}", f.mirror_path, url);
                    if let Some(keeper) = f.via {
                        println!("             (not the publisher's own copy: kept by {keeper})");
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

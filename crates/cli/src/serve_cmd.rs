//! `attache serve`: the dashboard and JSON API (the `attache-server` library) on a local address;
//! `attache up` ends with it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

use crate::DataDir;
use crate::keys_cmd::SecretsDir;

/// How the web server listens.
#[derive(Args, Clone)]
pub struct ListenArgs {
    /// Address to listen on, HOST:PORT: an IP address or a host name (`localhost:8080`; the
    /// first address it resolves to is used). Port 0 picks a free port; the address is printed.
    #[arg(long, env = "ATTACHE_ADDR", default_value = "127.0.0.1:8080", value_parser = parse_addr)]
    pub addr: SocketAddr,
    /// The server is reached over TLS (directly or through a TLS-terminating proxy): cookies get
    /// the `Secure` flag and responses carry HSTS.
    #[arg(long, env = "ATTACHE_TLS")]
    pub tls: bool,
    /// The public `/verify` page checks uploads against these keys.
    #[command(flatten)]
    pub statement: crate::statement_cmd::StatementKeys,
    /// Where the briefs' vault keyring and audit signing key are (as for `attache keys`).
    #[command(flatten)]
    pub secrets: SecretsDir,
    /// Where the read paths' SQL runs (embedded, or a Ballista cluster).
    #[command(flatten)]
    pub engine: crate::cluster_cmd::EngineArgs,
}

/// `HOST:PORT` as the address to bind: an IP address as it is, a host name resolved with the
/// system's resolver (`ToSocketAddrs`), its first address taken.
pub fn parse_addr(s: &str) -> Result<SocketAddr, String> {
    use std::net::ToSocketAddrs;
    if let Ok(a) = s.parse() {
        return Ok(a);
    }
    let Some((host, port)) = s.rsplit_once(':') else {
        return Err("expected HOST:PORT, e.g. localhost:8080 or 127.0.0.1:8080".into());
    };
    if host.is_empty() || port.parse::<u16>().is_err() {
        return Err(format!(
            "expected HOST:PORT with a port from 0 to 65535, e.g. localhost:8080 (host {host:?}, port {port:?})"
        ));
    }
    match s.to_socket_addrs() {
        Ok(mut addrs) => addrs
            .next()
            .ok_or_else(|| format!("host {host:?} resolves to no address")),
        Err(e) => Err(format!("host {host:?} does not resolve: {e}")),
    }
}

#[derive(Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub listen: ListenArgs,
    #[command(flatten)]
    pub data: DataDir,
}

pub fn run(a: ServeArgs) -> Result<ExitCode> {
    serve(a.data.path(), &a.listen)
}

pub fn serve(data: PathBuf, listen: &ListenArgs) -> Result<ExitCode> {
    let mut config = attache_server::Config::new(data.clone());
    config.tls = listen.tls;
    config.statement_keys = listen.statement.keys.clone();
    config.secrets_dir = listen.secrets.dir();
    config.engine = listen.engine.engine()?;
    config.predictors = crate::predictors::registry(&crate::data_dir(&data))?;
    attache_server::work::limit_arenas();
    let rt = crate::runtime()?;
    rt.block_on(attache_server::serve(config, listen.addr, |a| {
        // Tests and scripts read this line to learn the port.
        println!(
            "listening on http://{a}/ (data dir {}); Ctrl-C stops",
            data.display()
        );
        use std::io::Write;
        let _ = std::io::stdout().flush();
    }))
    .with_context(|| format!("serving the dashboard on {}", listen.addr))?;
    Ok(ExitCode::SUCCESS)
}

//! `attache vintages list|show|use ID`: the published vintages of a data dir, what went into
//! one, and rolling back (or forward) to one. `use` goes on the audit record when the deployment
//! has an audit key.

use std::fmt::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};

use crate::DataDir;

#[derive(Args)]
pub struct VintagesArgs {
    #[command(subcommand)]
    cmd: VintagesCommand,
    #[command(flatten)]
    data: DataDir,
}

#[derive(Subcommand)]
enum VintagesCommand {
    /// Every published vintage, oldest first, the current one marked.
    List,
    /// One vintage's files: source, rows read, loaded and excluded, sha256; accepted problems.
    Show {
        /// The vintage id (default: the current one).
        id: Option<String>,
    },
    /// Make a published vintage current again (e.g. roll back after a bad sync).
    Use {
        /// The vintage id.
        id: String,
    },
}

pub fn run(a: VintagesArgs) -> Result<ExitCode> {
    let store = a.data.store()?;
    let current = store.current()?.map(|v| v.id);
    match a.cmd {
        VintagesCommand::List => {
            let mut o = String::new();
            writeln!(
                o,
                "{:<2}{:<30} {:<22} {:<7} {:>6} {:>6}",
                "", "vintage", "created", "mode", "tables", "files"
            )?;
            for v in store.vintages()? {
                let l = v.lockfile()?;
                let mark = if current.as_deref() == Some(v.id.as_str()) {
                    "*"
                } else {
                    ""
                };
                writeln!(
                    o,
                    "{mark:<2}{:<30} {:<22} {:<7} {:>6} {:>6}",
                    v.id,
                    l.created_at,
                    l.mode,
                    l.tables.len(),
                    l.files.len()
                )?;
            }
            crate::emit(&o);
        }
        VintagesCommand::Show { id } => {
            let id = match id.or(current) {
                Some(id) => id,
                None => store.require_current()?.id,
            };
            let v = store
                .vintages()?
                .into_iter()
                .find(|v| v.id == id)
                .ok_or_else(|| attache_store::StoreError::NoVintage {
                    dir: store.root().to_path_buf(),
                    id: id.clone(),
                })?;
            let l = v.lockfile()?;
            let mut o = format!(
                "vintage {} ({} sync, created {})\n",
                l.vintage, l.mode, l.created_at
            );
            writeln!(
                o,
                "{:<16} {:<52} {:>9} {:>9} {:>8}  sha256",
                "source", "file", "read", "loaded", "excluded"
            )?;
            for f in &l.files {
                writeln!(
                    o,
                    "{:<16} {:<52} {:>9} {:>9} {:>8}  {}",
                    f.source,
                    f.path,
                    f.rows_read,
                    f.rows_loaded,
                    f.rows_excluded,
                    f.sha256.get(..16).unwrap_or("-")
                )?;
            }
            for p in &l.accepted {
                writeln!(o, "accepted: {p}")?;
            }
            crate::emit(&o);
        }
        VintagesCommand::Use { id } => {
            let from = current.clone().unwrap_or_else(|| "none".into());
            let v = store.use_vintage(&id)?;
            on_record(&a.data.path(), &from, &v.id).with_context(|| {
                format!(
                    "vintage {} is current, but recording the change failed",
                    v.id
                )
            })?;
            println!("vintage {} is current (was {from})", v.id);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn on_record(data: &std::path::Path, from: &str, to: &str) -> Result<()> {
    let dir = std::env::var_os("ATTACHE_SECRETS_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| data.join("secrets"));
    let secrets = attache_vault::Secrets::from_env(dir);
    if secrets.audit_signing_key().is_err() {
        eprintln!(
            "note: no audit signing key (run `attache keys init`): this change is not on the audit record"
        );
        return Ok(());
    }
    let actor = format!(
        "cli:{}",
        std::env::var("USER").unwrap_or_else(|_| "unknown".into())
    );
    let event = attache_audit::AuditEvent {
        actor,
        action: attache_audit::Action::new("vintage.use")?,
        object: format!("vintage:{to}"),
        classification: attache_audit::Classification::Public,
        detail: [("from".to_string(), from.to_string())]
            .into_iter()
            .collect(),
    };
    crate::audit_cmd::record(data, &secrets, &event)
}

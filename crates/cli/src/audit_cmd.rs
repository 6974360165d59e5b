//! `attache audit`: verify the audit log (exit 1 naming the first bad entry, or a brief whose
//! state lacks its audit entries), print inclusion
//! and consistency proofs, list entries, print the latest signed tree head for witnesses, and
//! reanchor the external head after a restore. [`record`] is how other commands append events.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use attache_audit::{AuditError, AuditEvent, AuditLog, Signer, TrustedKeys};
use attache_vault::Secrets;
use clap::{Args, Subcommand};

use crate::DataDir;
use crate::keys_cmd::SecretsDir;

#[derive(Args)]
pub struct AuditArgs {
    #[command(subcommand)]
    command: AuditCommand,
    #[command(flatten)]
    data: DataDir,
    #[command(flatten)]
    secrets: SecretsDir,
}

/// Which public keys tree heads may be signed with.
#[derive(Args)]
struct Trust {
    /// A public key file (SPKI PEM, one or more keys) to trust instead of the secrets
    /// directory's `audit-signing.pub` and signing key. Repeatable.
    #[arg(long = "trusted-key", value_name = "PUB")]
    keys: Vec<PathBuf>,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check every entry against the signed tree heads and the external head; exits 1 naming the
    /// first bad entry.
    Verify {
        #[command(flatten)]
        trust: Trust,
    },
    /// Print the inclusion proof of entry N in the latest signed tree (RFC 9162).
    Prove {
        /// The entry's index (0 is the first).
        index: u64,
        #[command(flatten)]
        trust: Trust,
    },
    /// Print the consistency proof from the signed tree of size M to a later one (RFC 9162).
    Consistency {
        /// The earlier tree size.
        first: u64,
        /// The later tree size (default: the latest).
        #[arg(long)]
        to: Option<u64>,
        #[command(flatten)]
        trust: Trust,
    },
    /// List entries, newest first.
    Log {
        #[arg(long, default_value_t = 50)]
        limit: u64,
        /// Skip this many of the newest entries.
        #[arg(long, default_value_t = 0)]
        offset: u64,
    },
    /// Print the latest signed tree head as JSON; keep copies elsewhere to witness the log.
    Head,
    /// After restoring the database from a backup: make the external head match it again, once
    /// the entries and tree heads verify. The reanchor itself is logged.
    Reanchor,
}

/// Who the CLI acts as in the audit log: `cli:<login name>`.
pub fn cli_actor() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_default();
    let user: String = user.chars().filter(|c| !c.is_control()).take(64).collect();
    if user.is_empty() {
        "cli".to_string()
    } else {
        format!("cli:{user}")
    }
}

/// Opens the audit log of a data dir, which must exist.
pub fn open_log(data: &Path) -> Result<AuditLog> {
    if !data.is_dir() {
        bail!("data dir {} does not exist", data.display());
    }
    AuditLog::open(data).with_context(|| format!("opening the audit log in {}", data.display()))
}

/// Appends `event` to the data dir's audit log, signed with the deployment's audit key.
pub fn record(data: &Path, secrets: &Secrets, event: &AuditEvent) -> Result<()> {
    let (key, _) = secrets
        .audit_signing_key()
        .context("loading the audit signing key")?;
    let log = open_log(data)?;
    log.append(&Signer::new(key), event)
        .with_context(|| format!("recording {} in the audit log", event.action))?;
    Ok(())
}

fn trusted(trust: &Trust, secrets: &Secrets) -> Result<TrustedKeys> {
    if trust.keys.is_empty() {
        let keys = secrets
            .audit_trusted_keys()
            .context("loading the trusted audit keys")?;
        return Ok(TrustedKeys::new(keys));
    }
    let mut keys = Vec::new();
    for p in &trust.keys {
        keys.extend(attache_vault::ed25519::read_public_keys(p)?);
    }
    Ok(TrustedKeys::new(keys))
}

/// Prints a tampering finding and returns exit code 1; passes other errors on.
fn tampered(e: AuditError) -> Result<ExitCode> {
    match e {
        AuditError::Tampered { path, finding } => {
            eprintln!("FAILED: audit log {}: {finding}", path.display());
            Ok(ExitCode::from(1))
        }
        other => Err(other.into()),
    }
}

pub fn run(args: AuditArgs) -> Result<ExitCode> {
    let data = args.data.path();
    let secrets = args.secrets.secrets(&data);
    let log = open_log(&data)?;
    match args.command {
        AuditCommand::Verify { trust } => {
            let keys = trusted(&trust, &secrets)?;
            let r = match log.verify(&keys) {
                Ok(r) => r,
                Err(e) => return tampered(e),
            };
            println!(
                "audit log {}: {} entries verified against {} signed tree heads",
                log.db_path().display(),
                r.entries,
                r.heads
            );
            println!("root      {}", hex::encode(r.root));
            match r.external_size {
                Some(n) if n + 1 == r.entries => println!(
                    "external  {} matches (tree size {n}, one behind: the last append's head was not published; the next append writes it)",
                    log.head_path().display()
                ),
                Some(n) => println!(
                    "external  {} matches (tree size {n})",
                    log.head_path().display()
                ),
                None if r.entries == 1 => println!(
                    "external  none yet (the first entry's head was not published; the next append writes it)"
                ),
                None => println!("external  none (empty log)"),
            }
            println!("keys      {}", keys.ids().join(", "));
            let gaps = attache_briefs::audit_check::check(log.db_path())
                .context("checking briefs against their audit entries")?;
            if !gaps.is_empty() {
                for g in &gaps {
                    eprintln!("FAILED: {g}");
                }
                return Ok(ExitCode::from(1));
            }
            println!("briefs    every brief's state has its audit entries");
        }
        AuditCommand::Prove { index, trust } => {
            let keys = trusted(&trust, &secrets)?;
            let p = match log.inclusion_proof(index, &keys) {
                Ok(p) => p,
                Err(e @ AuditError::BadProof { .. }) => {
                    eprintln!("FAILED: {e}");
                    return Ok(ExitCode::from(1));
                }
                Err(e) => return Err(e.into()),
            };
            println!("entry      {}", p.index);
            println!("tree size  {}", p.head.tree_size);
            println!("leaf hash  {}", hex::encode(p.leaf_hash));
            println!("root       {}", hex::encode(p.head.root));
            println!("signed     {} by {}", p.head.time, p.head.key_id);
            println!("signature  {}", hex::encode(p.head.signature));
            println!("path       {} hashes, leaf to root", p.path.len());
            for (i, h) in p.path.iter().enumerate() {
                println!("  {i:>2}  {}", hex::encode(h));
            }
            println!("verified   signature and path (RFC 9162 section 2.1.3.2)");
        }
        AuditCommand::Consistency { first, to, trust } => {
            let keys = trusted(&trust, &secrets)?;
            let p = log.consistency_proof(first, to, &keys)?;
            println!(
                "from       tree size {} root {}",
                p.first.tree_size,
                hex::encode(p.first.root)
            );
            println!(
                "to         tree size {} root {}",
                p.second.tree_size,
                hex::encode(p.second.root)
            );
            println!("path       {} hashes", p.path.len());
            for (i, h) in p.path.iter().enumerate() {
                println!("  {i:>2}  {}", hex::encode(h));
            }
            println!("verified   signatures and path (RFC 9162 section 2.1.4.2)");
        }
        AuditCommand::Log { limit, offset } => {
            let rows = log.list(offset, limit)?;
            println!(
                "{:>7}  {:<27}  {:<16}  {:<13}  {:<20}  {:<12}  detail",
                "index", "time", "actor", "action", "object", "class"
            );
            for r in rows {
                let detail: Vec<String> = r
                    .event
                    .detail
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                println!(
                    "{:>7}  {:<27}  {:<16}  {:<13}  {:<20}  {:<12}  {}",
                    r.index,
                    r.time.to_string(),
                    r.event.actor,
                    r.event.action.as_str(),
                    r.event.object,
                    r.event.classification.as_str(),
                    detail.join(" ")
                );
            }
        }
        AuditCommand::Head => match log.latest_head()? {
            Some(h) => print!("{}", attache_audit::head::to_json(&h)),
            None => bail!(
                "the audit log in {} is empty: no tree head yet",
                data.display()
            ),
        },
        AuditCommand::Reanchor => {
            let keys = TrustedKeys::new(
                secrets
                    .audit_trusted_keys()
                    .context("loading the trusted audit keys")?,
            );
            match log.verify(&keys) {
                Ok(r) => {
                    println!(
                        "the audit log verifies ({} entries); nothing to reanchor",
                        r.entries
                    );
                    return Ok(ExitCode::SUCCESS);
                }
                Err(AuditError::Tampered { finding, .. }) if finding.problem.is_external() => {
                    println!("external head: {finding}");
                }
                Err(e) => return tampered(e),
            }
            if let Err(e) = log.verify_ignoring_external(&keys) {
                return tampered(e);
            }
            let (key, _) = secrets
                .audit_signing_key()
                .context("loading the audit signing key")?;
            let r = log.reanchor(&Signer::new(key), &cli_actor())?;
            println!(
                "reanchored: the external head now matches; recorded as entry {}",
                r.index
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

//! `attache keys`: the deployment's secrets. `init` creates the secrets directory (default
//! `<data-dir>/secrets`, mode 0700) with the vault keyring and the audit signing key; `list`
//! shows key ids (never key material); `rotate` and `retire` rotate the vault key; `rotate-audit`
//! rotates the audit signing key. Every change is recorded in the audit log.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use attache_audit::{Action, AuditEvent};
use attache_vault::{KeyId, Secrets};
use clap::{Args, Subcommand};

use crate::DataDir;

/// Where the secrets are.
#[derive(Args, Clone)]
pub struct SecretsDir {
    /// Directory of the deployment's secrets (vault keyring, audit signing key), mode 0700.
    /// Defaults to <data-dir>/secrets. ATTACHE_VAULT_KEY[_FILE] and
    /// ATTACHE_AUDIT_SIGNING_KEY[_FILE] override the files in it.
    #[arg(long, env = "ATTACHE_SECRETS_DIR", global = true)]
    secrets_dir: Option<PathBuf>,
}

impl SecretsDir {
    /// The directory given on the command line or in the environment, if any.
    pub fn dir(&self) -> Option<PathBuf> {
        self.secrets_dir.clone()
    }

    /// The secrets of the data dir `data`, with the environment's overrides.
    pub fn secrets(&self, data: &Path) -> Secrets {
        Secrets::from_env(
            self.secrets_dir
                .clone()
                .unwrap_or_else(|| data.join("secrets")),
        )
    }
}

#[derive(Args)]
pub struct KeysArgs {
    #[command(subcommand)]
    command: KeysCommand,
    #[command(flatten)]
    data: DataDir,
    #[command(flatten)]
    secrets: SecretsDir,
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Create the secrets directory, a vault keyring and an audit signing key (never overwrites).
    Init,
    /// Show the key ids: the vault keyring (active, decrypt-only) and the audit keys.
    List,
    /// Make a fresh vault key active; the current one stays, decrypt-only, until retired.
    Rotate,
    /// Remove a decrypt-only vault key (after rewrapping everything sealed under it).
    Retire {
        /// The key id, as `attache keys list` prints it.
        key_id: KeyId,
    },
    /// Replace the audit signing key; its public key stays trusted, so old tree heads verify.
    RotateAudit,
}

pub fn run(args: KeysArgs) -> Result<ExitCode> {
    let data = args.data.path();
    let secrets = args.secrets.secrets(&data);
    match args.command {
        KeysCommand::Init => {
            std::fs::create_dir_all(&data)
                .with_context(|| format!("creating data dir {}", data.display()))?;
            let c = secrets
                .init()
                .with_context(|| format!("creating secrets in {}", secrets.dir().display()))?;
            println!(
                "vault keyring        {} (active key {})",
                c.keyring.display(),
                c.vault_key_id
            );
            println!(
                "audit signing key    {} ({})",
                c.audit_key.display(),
                c.audit_key_id
            );
            println!("audit public keys    {}", c.audit_public_keys.display());
            println!(
                "Back these up apart from the data dir: without the keyring, encrypted content is lost."
            );
            let event = AuditEvent::new(&crate::audit_cmd::cli_actor(), Action::KEY_CHANGE)
                .on(
                    &format!("vault-key:{}", c.vault_key_id),
                    attache_audit::Classification::Public,
                )
                .detail("operation", "init")
                .detail("vault_key_id", c.vault_key_id.to_string())
                .detail("audit_key_id", c.audit_key_id);
            crate::audit_cmd::record(&data, &secrets, &event)?;
        }
        KeysCommand::List => {
            let (ring, origin) = secrets.keyring().context("loading the vault keyring")?;
            println!("vault keyring ({origin}):");
            for (key, status) in ring.keys() {
                println!("  {}  {}", key.id(), status.as_str());
            }
            match secrets.audit_signing_key() {
                Ok((k, origin)) => println!(
                    "audit signing key ({origin}): {}",
                    attache_vault::ed25519::key_id(&k.verifying_key())
                ),
                Err(e) => println!("audit signing key: {e}"),
            }
            let trusted = secrets
                .audit_trusted_keys()
                .context("loading the trusted audit keys")?;
            for k in trusted {
                println!("  trusted  {}", attache_vault::ed25519::key_id(&k));
            }
        }
        KeysCommand::Rotate => {
            let (mut ring, _) = secrets.keyring().context("loading the vault keyring")?;
            let previous = ring.active_id();
            let new = ring.rotate()?;
            let path = secrets
                .save_keyring(&ring)
                .context("saving the rotated keyring")?;
            println!(
                "{}: active key {new}; {previous} is now decrypt-only",
                path.display()
            );
            println!(
                "Rewrap what is sealed under {previous}, then run `attache keys retire {previous}`."
            );
            let event = AuditEvent::new(&crate::audit_cmd::cli_actor(), Action::KEY_CHANGE)
                .on(
                    &format!("vault-key:{new}"),
                    attache_audit::Classification::Public,
                )
                .detail("operation", "rotate")
                .detail("previous_key_id", previous.to_string());
            crate::audit_cmd::record(&data, &secrets, &event)?;
        }
        KeysCommand::Retire { key_id } => {
            let (mut ring, _) = secrets.keyring().context("loading the vault keyring")?;
            ring.retire(key_id)?;
            let path = secrets.save_keyring(&ring).context("saving the keyring")?;
            println!("{}: key {key_id} retired", path.display());
            let event = AuditEvent::new(&crate::audit_cmd::cli_actor(), Action::KEY_CHANGE)
                .on(
                    &format!("vault-key:{key_id}"),
                    attache_audit::Classification::Public,
                )
                .detail("operation", "retire");
            crate::audit_cmd::record(&data, &secrets, &event)?;
        }
        KeysCommand::RotateAudit => {
            let (old, _) = secrets
                .audit_signing_key()
                .context("loading the audit signing key")?;
            let old_id = attache_vault::ed25519::key_id(&old.verifying_key());
            let new_id = secrets
                .rotate_audit_key()
                .context("rotating the audit signing key")?;
            println!("audit signing key {new_id}; {old_id} stays trusted for older tree heads");
            let event = AuditEvent::new(&crate::audit_cmd::cli_actor(), Action::KEY_CHANGE)
                .on(
                    &format!("audit-key:{new_id}"),
                    attache_audit::Classification::Public,
                )
                .detail("operation", "rotate-audit")
                .detail("previous_key_id", old_id);
            crate::audit_cmd::record(&data, &secrets, &event)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

//! `attache user`: manage the accounts of the dashboard and API (`<data-dir>/attache.db`).
//! Passwords are read from the first line of standard input (so they never appear in the
//! process list or shell history); API tokens are printed once, as the last line of output.

use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use attache_accounts::{
    AccountChange, Accounts, ChangeRecord, Clearance, RecordFailure, Role, Transaction,
};
use attache_audit::{Action, AuditEvent, AuditLog, Classification, Signer};
use clap::{Args, Subcommand};

use crate::DataDir;

/// The accounts database inside a data dir.
pub fn db_path(data: &DataDir) -> PathBuf {
    data.path().join("attache.db")
}

#[derive(Args)]
pub struct UserArgs {
    #[command(subcommand)]
    command: UserCommand,
    #[command(flatten)]
    data: DataDir,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user; the password is the first line of standard input (at least 12 characters).
    Add {
        name: String,
        #[command(flatten)]
        grant: Grant,
    },
    /// Change a user's password (read from standard input); ends all their sessions.
    Passwd { name: String },
    /// Change a user's role and clearance.
    Role {
        name: String,
        #[command(flatten)]
        grant: Grant,
    },
    /// Issue an API token for a user; it is printed once, as the last line.
    Token { name: String },
    /// Revoke every API token of a user.
    RevokeTokens { name: String },
    /// Disable a user: logins fail, sessions end, tokens stop working.
    Disable { name: String },
    /// Enable a disabled user.
    Enable { name: String },
    /// List the users: name, role, clearance, created, status.
    List,
}

/// A role and a clearance.
#[derive(Args)]
struct Grant {
    /// What the user may do: analyst, diplomat or admin.
    #[arg(long)]
    role: Role,
    /// The most sensitive material the user may read: public, restricted, confidential or secret.
    #[arg(long, default_value = "public")]
    clearance: Clearance,
}

pub fn run(args: UserArgs) -> Result<ExitCode> {
    let dir = args.data.path();
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("creating data dir {}", dir.display()))?;
    let path = db_path(&args.data);
    let acc = open_accounts(&dir, &path)?;
    if !acc.has_record() && !matches!(args.command, UserCommand::List) {
        eprintln!(
            "note: no audit signing key (run `attache keys init`): this change is not on the audit record"
        );
    }
    match args.command {
        UserCommand::Add { name, grant } => {
            let password = read_password()?;
            let u = acc
                .add_user(&name, grant.role, grant.clearance, &password)
                .with_context(|| format!("adding user {name:?}"))?;
            println!(
                "added user {} (role {}, clearance {})",
                u.name, u.role, u.clearance
            );
        }
        UserCommand::Passwd { name } => {
            let password = read_password()?;
            acc.set_password(&name, &password)
                .with_context(|| format!("changing the password of {name:?}"))?;
            println!("password of {name} changed; their sessions are ended");
        }
        UserCommand::Role { name, grant } => {
            acc.set_role(&name, grant.role, grant.clearance)
                .with_context(|| format!("changing the role of {name:?}"))?;
            println!(
                "{name} is now {} with clearance {}",
                grant.role, grant.clearance
            );
        }
        UserCommand::Token { name } => {
            let token = acc
                .issue_token(&name)
                .with_context(|| format!("issuing a token for {name:?}"))?;
            println!(
                "API token for {name} (shown once; send it as `Authorization: Bearer <token>`):"
            );
            println!("{token}");
        }
        UserCommand::RevokeTokens { name } => {
            let n = acc
                .revoke_tokens(&name)
                .with_context(|| format!("revoking the tokens of {name:?}"))?;
            println!("revoked {n} token(s) of {name}");
        }
        UserCommand::Disable { name } => {
            acc.disable_user(&name)
                .with_context(|| format!("disabling {name:?}"))?;
            println!("disabled {name}");
        }
        UserCommand::Enable { name } => {
            acc.enable_user(&name)
                .with_context(|| format!("enabling {name:?}"))?;
            println!("enabled {name}");
        }
        UserCommand::List => {
            let users = acc.list_users().context("listing users")?;
            let width = users.iter().map(|u| u.name.len()).max().unwrap_or(4).max(4);
            let mut out = format!(
                "{:width$}  {:8}  {:12}  {:20}  status\n",
                "name", "role", "clearance", "created"
            );
            for u in &users {
                let status = if u.disabled { "disabled" } else { "active" };
                out += &format!(
                    "{:width$}  {:8}  {:12}  {:20}  {status}\n",
                    u.name, u.role, u.clearance, u.created_at
                );
            }
            crate::emit(&out);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The first line of standard input, without its line ending (nothing else is trimmed).
/// Puts account changes on the deployment's signed audit log, inside the change's own
/// transaction (both live in `attache.db`): the change and its `user.change` entry commit
/// together or neither does.
struct AuditRecord {
    log: AuditLog,
    signer: Signer,
    actor: String,
}

impl ChangeRecord for AuditRecord {
    fn record_in(&self, tx: &Transaction<'_>, c: &AccountChange) -> Result<(), RecordFailure> {
        let mut event = AuditEvent::new(&self.actor, Action::USER_CHANGE)
            .on(&format!("user:{}", c.user), Classification::Public)
            .detail("change", c.change);
        for (k, v) in &c.detail {
            event = event.detail(k, v.clone());
        }
        self.log.append_in(tx, &self.signer, &event)?;
        Ok(())
    }

    fn committed(&self) -> Result<(), RecordFailure> {
        Ok(self.log.publish_head()?)
    }
}

/// The accounts database, with changes recorded on the audit log when the deployment has its
/// audit signing key. Without keys (`attache keys init` not run) changes are made with a note
/// that they are not on the record.
fn open_accounts(dir: &Path, path: &Path) -> Result<Accounts> {
    let acc = Accounts::open(path)
        .with_context(|| format!("opening the accounts database {}", path.display()))?;
    let secrets_dir = std::env::var_os("ATTACHE_SECRETS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| dir.join("secrets"));
    let secrets = attache_vault::Secrets::from_env(secrets_dir);
    let Ok((key, _)) = secrets.audit_signing_key() else {
        return Ok(acc);
    };
    let log = crate::audit_cmd::open_log(dir)?;
    Ok(acc.with_record(Arc::new(AuditRecord {
        log,
        signer: Signer::new(key),
        actor: crate::audit_cmd::cli_actor(),
    })))
}

fn read_password() -> Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("password (it will be shown as you type; pipe it in to avoid that): ");
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let password = line
        .strip_suffix('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .unwrap_or(&line);
    if password.is_empty() {
        bail!("no password on standard input (give it as the first line)");
    }
    Ok(password.to_string())
}

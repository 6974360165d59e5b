//! `attache user`: manage the accounts of the dashboard and API (`<data-dir>/attache.db`).
//! Passwords are read from the first line of standard input (so they never appear in the
//! process list or shell history); API tokens are printed once, as the last line of output.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use attache_accounts::{Accounts, Clearance, Role};
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
    let acc = Accounts::open(&path)
        .with_context(|| format!("opening the accounts database {}", path.display()))?;
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
            on_record(&dir, &name, "added", &[("role", u.role.to_string()), ("clearance", u.clearance.to_string())])?;
        }
        UserCommand::Passwd { name } => {
            let password = read_password()?;
            acc.set_password(&name, &password)
                .with_context(|| format!("changing the password of {name:?}"))?;
            println!("password of {name} changed; their sessions are ended");
            on_record(&dir, &name, "password changed", &[])?;
        }
        UserCommand::Role { name, grant } => {
            acc.set_role(&name, grant.role, grant.clearance)
                .with_context(|| format!("changing the role of {name:?}"))?;
            println!(
                "{name} is now {} with clearance {}",
                grant.role, grant.clearance
            );
            on_record(&dir, &name, "role changed", &[("role", grant.role.to_string()), ("clearance", grant.clearance.to_string())])?;
        }
        UserCommand::Token { name } => {
            let token = acc
                .issue_token(&name)
                .with_context(|| format!("issuing a token for {name:?}"))?;
            println!(
                "API token for {name} (shown once; send it as `Authorization: Bearer <token>`):"
            );
            on_record(&dir, &name, "token issued", &[])?;
            println!("{token}");
        }
        UserCommand::RevokeTokens { name } => {
            let n = acc
                .revoke_tokens(&name)
                .with_context(|| format!("revoking the tokens of {name:?}"))?;
            println!("revoked {n} token(s) of {name}");
            on_record(&dir, &name, "tokens revoked", &[("count", n.to_string())])?;
        }
        UserCommand::Disable { name } => {
            acc.disable_user(&name)
                .with_context(|| format!("disabling {name:?}"))?;
            println!("disabled {name}");
            on_record(&dir, &name, "disabled", &[])?;
        }
        UserCommand::Enable { name } => {
            acc.enable_user(&name)
                .with_context(|| format!("enabling {name:?}"))?;
            println!("enabled {name}");
            on_record(&dir, &name, "enabled", &[])?;
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
/// Puts a change of an account on the audit record (signed with the deployment's audit key).
/// Without keys (`attache keys init` not run) the change is made but says it is not on the
/// record; with keys, a failure to record is an error.
fn on_record(data: &std::path::Path, user: &str, change: &str, detail: &[(&str, String)]) -> Result<()> {
    let dir = std::env::var_os("ATTACHE_SECRETS_DIR").map(PathBuf::from).unwrap_or_else(|| data.join("secrets"));
    let secrets = attache_vault::Secrets::from_env(dir);
    if secrets.audit_signing_key().is_err() {
        eprintln!("note: no audit signing key (run `attache keys init`): this change is not on the audit record");
        return Ok(());
    }
    let mut d: std::collections::BTreeMap<String, String> = detail.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
    d.insert("change".into(), change.into());
    let actor = format!("cli:{}", std::env::var("USER").unwrap_or_else(|_| "unknown".into()));
    let event = attache_audit::AuditEvent {
        actor,
        action: attache_audit::Action::USER_CHANGE,
        object: format!("user:{user}"),
        classification: attache_audit::Classification::Public,
        detail: d,
    };
    crate::audit_cmd::record(data, &secrets, &event).with_context(|| format!("the change to {user:?} was made, but recording it failed"))
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

//! `attache statement`: sign published statements and check them. `keygen` makes the ministry's
//! key pair, `sign` writes a detached manifest, `verify` exits 0 only for an unaltered file with
//! a valid signature (under `--pubkey` when given: the ministry's published key).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use attache_provenance::{Manifest, Statement, Verdict};
use clap::{Args, Subcommand};

#[derive(Subcommand)]
pub enum StatementCommand {
    /// Create an Ed25519 key pair: KEY (private, mode 0600) and KEY.pub (publish this one).
    Keygen {
        /// Where to write the private key; refuses to overwrite.
        #[arg(long)]
        out: PathBuf,
    },
    /// Sign FILE: write a detached manifest (sha256, size, signer, time, claims, signature).
    Sign {
        file: PathBuf,
        /// The private key file (from `attache statement keygen`).
        #[arg(long)]
        key: PathBuf,
        /// Where to write the manifest (JSON).
        #[arg(long)]
        out: PathBuf,
        /// Who signs (default: the key id).
        #[arg(long)]
        signer: Option<String>,
        /// A claim as NAME=VALUE (title, language, reference...). Repeatable.
        #[arg(long = "claim", value_name = "NAME=VALUE", value_parser = parse_claim)]
        claims: Vec<(String, String)>,
    },
    /// Check FILE against MANIFEST: exit 0 only if the file is unaltered and the signature valid.
    Verify {
        file: PathBuf,
        manifest: PathBuf,
        /// Without a trusted key the manifest's own key is used: that proves the file is
        /// unaltered, not who signed it.
        #[command(flatten)]
        trusted: StatementKeys,
    },
}

/// The ministry's published statement keys (trusted public key files), defined once for
/// `statement verify` and for `serve`/`up` (whose public `/verify` page checks against them).
#[derive(Args, Clone, Debug, Default)]
pub struct StatementKeys {
    /// A trusted statement public key (`attache statement keygen` writes KEY.pub). Repeat, or
    /// give several comma-separated in ATTACHE_STATEMENT_PUBKEY.
    #[arg(
        long = "statement-pubkey",
        visible_alias = "pubkey",
        value_name = "PUB",
        env = "ATTACHE_STATEMENT_PUBKEY",
        value_delimiter = ','
    )]
    pub keys: Vec<PathBuf>,
}

fn parse_claim(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("{s:?} is not NAME=VALUE")),
    }
}

fn read(path: &PathBuf, what: &str) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("reading the {what} {}", path.display()))
}

pub fn run(cmd: StatementCommand) -> Result<ExitCode> {
    match cmd {
        StatementCommand::Keygen { out } => {
            let (pub_path, id) = attache_provenance::keygen(&out)
                .with_context(|| format!("creating key {}", out.display()))?;
            println!("private key  {} (keep secret)", out.display());
            println!("public key   {} (publish this)", pub_path.display());
            println!("key id       {id}");
        }
        StatementCommand::Sign {
            file,
            key,
            out,
            signer,
            claims,
        } => {
            let bytes = read(&file, "file")?;
            let sk = attache_provenance::read_key(&key)
                .with_context(|| format!("reading key {}", key.display()))?;
            let mut map = BTreeMap::new();
            for (k, v) in claims {
                if map.insert(k.clone(), v).is_some() {
                    bail!("claim {k:?} given twice");
                }
            }
            let file_name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .with_context(|| format!("{} has no file name", file.display()))?;
            let signer =
                signer.unwrap_or_else(|| attache_vault::ed25519::key_id(&sk.verifying_key()));
            let statement = Statement {
                file_name,
                signer,
                claims: map,
            };
            let m = attache_provenance::sign(&bytes, &statement, &sk, jiff::Timestamp::now())
                .with_context(|| format!("signing {}", file.display()))?;
            attache_vault::files::replace(
                &out,
                m.to_json().as_bytes(),
                attache_vault::files::PUBLIC_MODE,
            )
            .with_context(|| format!("writing the manifest {}", out.display()))?;
            println!(
                "signed {} (sha256 {}, {} bytes)",
                file.display(),
                hex::encode(m.sha256),
                m.size
            );
            println!(
                "manifest {} by {:?} with key {}",
                out.display(),
                m.signer,
                m.key_id
            );
        }
        StatementCommand::Verify {
            file,
            manifest,
            trusted: StatementKeys { keys: pubkeys },
        } => {
            let bytes = read(&file, "file")?;
            let mbytes = read(&manifest, "manifest")?;
            let (trusted, identity_checked) = if pubkeys.is_empty() {
                match Manifest::parse(&mbytes) {
                    Ok(m) => (vec![m.public_key], false),
                    Err(_) => (Vec::new(), false),
                }
            } else {
                let mut keys = Vec::new();
                for p in &pubkeys {
                    keys.extend(
                        attache_provenance::read_public_keys(p)
                            .with_context(|| format!("reading public key {}", p.display()))?,
                    );
                }
                (keys, true)
            };
            let verdict = attache_provenance::verify(&bytes, &mbytes, &trusted);
            if let Verdict::Valid { claims, .. } = &verdict {
                println!("{}: {verdict}", file.display());
                for (k, v) in claims {
                    println!("  claim {k} = {v}");
                }
                if !identity_checked {
                    println!(
                        "note: checked against the key in the manifest; pass --pubkey with the published key to check who signed"
                    );
                }
                return Ok(ExitCode::SUCCESS);
            }
            eprintln!("FAILED: {}: {verdict}", file.display());
            return Ok(ExitCode::from(1));
        }
    }
    Ok(ExitCode::SUCCESS)
}

//! `attache climate import FILE`: newer NDC or net-zero pledges from a CSV in the documented
//! schema (`attache_pledges::import`; docs/CLIMATE_METHOD.md section 4), checked line by line,
//! published as a new vintage (`attache_store::ndc_imports`) and put on the audit record before
//! that vintage becomes current. Every later `sync` carries the imported pledges forward;
//! `attache vintages use ID` rolls an import back.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::SystemTime;

use anyhow::{Context, Result, bail};
use attache_store::lockfile::FileEntry;
use attache_store::ndc_imports;
use clap::Args;
use sha2::{Digest, Sha256};

use crate::{DataDir, timefmt};

#[derive(Args)]
pub struct ImportArgs {
    /// The CSV: header `iso3,pledge,round,submitted,source`; `pledge` in the grammar of
    /// `attache climate pledges --edit` (quoted when it holds commas), amending the coded NDC.
    file: PathBuf,
    /// Licence of the imported table, recorded in the vintage's lockfile.
    #[arg(long, default_value = "as stated by each row's source")]
    licence: String,
    #[command(flatten)]
    data: DataDir,
}

pub fn run(a: ImportArgs) -> Result<ExitCode> {
    let name = a.file.display().to_string();
    let bytes = std::fs::read(&a.file).with_context(|| format!("reading {name}"))?;
    let now = SystemTime::now();
    let rows = attache_pledges::import::parse_imports(&bytes, &name, timefmt::date(now))?;
    let data = a.data.path();
    let secrets = attache_vault::Secrets::from_env(
        std::env::var_os("ATTACHE_SECRETS_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| data.join("secrets")),
    );
    if secrets.audit_signing_key().is_err() {
        bail!(
            "an import changes the rated pledges and must go on the audit record: run `attache keys init` first"
        );
    }
    let store = a.data.store()?;
    let from = store.require_current()?;
    let rt = crate::runtime()?;
    let world = rt
        .block_on(attache_store::pledge_inputs::pledge_world(&from))
        .with_context(|| format!("reading the pledges of vintage {}", from.id))?;
    // A party without fossil-CO2 history has no pathway: its import would change nothing.
    for r in &rows {
        if world.country(&r.iso3).is_none() {
            bail!(
                "{name}:{}: iso3 {:?}: no fossil-CO2 history in vintage {}, so the pledge would change nothing",
                r.line,
                r.iso3,
                from.id
            );
        }
    }
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let parties: Vec<String> = rows.iter().map(|r| r.iso3.clone()).collect();
    let path =
        std::fs::canonicalize(&a.file).map_or_else(|_| name.clone(), |p| p.display().to_string());
    let entry = FileEntry {
        source: ndc_imports::SOURCE_ID.into(),
        path: path.clone(),
        url: String::new(),
        sha256: sha256.clone(),
        bytes: bytes.len() as u64,
        rows_read: rows.len() as u64,
        rows_loaded: rows.len() as u64,
        retrieved_at: timefmt::rfc3339(now),
        licence: a.licence.clone(),
        ..FileEntry::default()
    };
    let id = timefmt::vintage_id(now);
    let actor = format!(
        "cli:{}",
        std::env::var("USER").unwrap_or_else(|_| "unknown".into())
    );
    let imported = rt
        .block_on(ndc_imports::publish(
            &store,
            &from,
            &id,
            &timefmt::rfc3339(now),
            rows,
            entry,
            |vintage| {
                let event = attache_audit::AuditEvent {
                    actor: actor.clone(),
                    action: attache_audit::Action::new("pledges.import")
                        .map_err(|e| e.to_string())?,
                    object: format!("vintage:{vintage}"),
                    classification: attache_audit::Classification::Public,
                    detail: [
                        ("file".to_string(), path.clone()),
                        ("sha256".to_string(), sha256.clone()),
                        ("parties".to_string(), parties.join(",")),
                        ("from".to_string(), from.id.clone()),
                    ]
                    .into_iter()
                    .collect(),
                };
                crate::audit_cmd::record(data.as_path(), &secrets, &event)
                    .map_err(|e| format!("{e:#}"))
            },
        ))
        .context("publishing the import")?;
    println!(
        "imported {} pledge(s) from {name} (sha256 {}) into vintage {} (from {}); {} imported in all{}",
        imported.rows,
        &sha256[..12],
        imported.vintage.id,
        from.id,
        imported.total,
        if imported.replaced.is_empty() {
            String::new()
        } else {
            format!(
                "; replaced earlier imports of {}",
                imported.replaced.join(", ")
            )
        }
    );
    Ok(ExitCode::SUCCESS)
}

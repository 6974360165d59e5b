//! The sources view's table: every file of the current vintage with its URL, sha256 and row
//! accounting (`/sources` renders it, `/api/v1/sources` serves it).

use serde_json::json;

use crate::AppState;
use crate::download::{Column, Table};
use crate::error::AppError;

/// The files of the current vintage as a table (also the API's `/api/v1/sources` data).
pub fn files_table(state: &AppState) -> Result<Table, AppError> {
    let l = state.lockfile()?;
    let f = &l.files;
    let text = |g: fn(&attache_store::FileEntry) -> &str| {
        Column::Text(f.iter().map(|e| Some(g(e).to_string())).collect())
    };
    let int = |g: fn(&attache_store::FileEntry) -> u64| {
        Column::Int(f.iter().map(|e| Some(g(e) as i64)).collect())
    };
    Ok(Table::new(
        format!("attache-sources-{}", l.vintage),
        json!({"view": "sources", "vintage": l.vintage, "created_at": l.created_at, "mode": l.mode, "attache_version": l.attache_version,
               "sources": l.sources.iter().map(|s| json!({"id": s.id, "title": s.title, "publisher": s.publisher, "licence": s.licence,
                   "citation": s.citation, "homepage": s.homepage, "publication_lag": s.publication_lag, "tables": s.tables})).collect::<Vec<_>>(),
               "skipped": skipped(&l).iter().map(|(source, reason)| json!({"source": source, "reason": reason})).collect::<Vec<_>>()}),
    )
    .with("source", text(|e| &e.source))
    .with("path", text(|e| &e.path))
    .with("url", text(|e| &e.url))
    .with("sha256", text(|e| &e.sha256))
    .with("bytes", int(|e| e.bytes))
    .with("rows_read", int(|e| e.rows_read))
    .with("rows_loaded", int(|e| e.rows_loaded))
    .with("rows_excluded", int(|e| e.rows_excluded))
    .with("retrieved_at", text(|e| &e.retrieved_at))
    .with("licence", text(|e| &e.licence)))
}

/// The sources a sync skipped, with why, as a client may read it: older lockfiles name the
/// mirror's path on the server's disk in the reason; it is cut out.
pub fn skipped(l: &attache_store::Lockfile) -> Vec<(String, String)> {
    l.skipped
        .iter()
        .map(|s| {
            let reason = match &l.mirror {
                Some(m) if !m.is_empty() => s.reason.replace(&format!(" {m}"), "").replace(m, ""),
                _ => s.reason.clone(),
            };
            (s.source.clone(), reason)
        })
        .collect()
}

//! `/sources`: the current data vintage: every source with its publisher, licence, citation and
//! publication lag, and every file with its URL, sha256 and row accounting (read = loaded +
//! excluded). Download: the files table.

use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use maud::html;
use serde_json::json;

use crate::AppState;
use crate::auth::Viewer;
use crate::download::{Column, Table};
use crate::error::AppError;
use crate::html::{page as layout, view_links};
use crate::params::{Format, Params};

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
               "skipped": l.skipped.iter().map(|s| json!({"source": s.source, "reason": s.reason})).collect::<Vec<_>>()}),
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

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    params: Params,
) -> Result<Response, AppError> {
    params.only(&["format"])?;
    let format = params.format(
        Format::Html,
        &[Format::Html, Format::Csv, Format::Json, Format::Parquet],
    )?;
    let table = files_table(&state)?;
    if format != Format::Html {
        return table.respond(format);
    }
    let l = state.lockfile()?;
    let body = html! {
        h1 { "Sources" }
        p { "Data vintage " code #vintage { (l.vintage) } ", created " (l.created_at) " by attache " (l.attache_version) " (" (l.mode)
            @if let Some(m) = &l.mirror { " from the mirror " code { (m) } } ")." }
        @for s in &l.sources {
            section.source id={"source-" (s.id)} {
                h2 { (s.title) }
                dl {
                    dt { "Publisher" } dd { (s.publisher) }
                    dt { "Licence" } dd.licence { (s.licence) }
                    dt { "Cite as" } dd { (s.citation) }
                    dt { "Home page" } dd { a href=(s.homepage) rel="noopener noreferrer" { (s.homepage) } }
                    dt { "Publication lag" } dd { (s.publication_lag) }
                    dt { "Tables" } dd { (s.tables.join(", ")) }
                }
            }
        }
        @if !l.skipped.is_empty() {
            h2 { "Skipped" }
            ul { @for s in &l.skipped { li { (s.source) ": " (s.reason) } } }
        }
        h2 { "Files" }
        table #files {
            thead { tr { th { "Source" } th { "File" } th { "sha256" } th { "Bytes" } th { "Rows read" } th { "loaded" } th { "excluded" } } }
            tbody {
                @for f in &l.files {
                    tr {
                        td { (f.source) } td { a href=(f.url) rel="noopener noreferrer" { (f.path) } } td { code title=(f.sha256) { (f.sha256.get(..12).unwrap_or(&f.sha256)) } }
                        td { (f.bytes) } td { (f.rows_read) } td { (f.rows_loaded) }
                        td { (f.rows_excluded) @for (why, n) in &f.excluded { br; small { (why) ": " (n) } } }
                    }
                }
            }
        }
        (view_links("/sources"))
    };
    Ok(Html(layout("Sources", &viewer, body).into_string()).into_response())
}

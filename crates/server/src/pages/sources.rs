//! `/sources`: the current data vintage: every source with its publisher, licence, citation and
//! publication lag, and every file with its URL, sha256 and row accounting (read = loaded +
//! excluded). Download: the files table.

use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use maud::html;

use crate::AppState;
use crate::auth::Viewer;
use crate::error::AppError;
use crate::html::{page as layout, view_links};
use crate::params::{Format, Params};
use crate::views::sources::{files_table, skipped};

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
    // Where the mirror is on the server's disk is the operator's business: admins see it.
    let mirror_path = l
        .mirror
        .as_ref()
        .filter(|_| viewer.require(&[attache_accounts::Role::Admin]).is_ok());
    let body = html! {
        h1 { "Sources" }
        p { "Data vintage " code #vintage { (l.vintage) } ", created " (l.created_at) " by attache " (l.attache_version) " (" (l.mode)
            @if let Some(m) = mirror_path { " from the mirror " code { (m) } } @else if l.mirror.is_some() { " from a mirror of the publishers' files" } ")." }
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
            ul { @for (source, reason) in skipped(&l) { li { (source) ": " (reason) } } }
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

//! `/sources`: the current data vintage: every source with its publisher, licence, citation and
//! publication lag, and every file with its URL, sha256 and row accounting (read = loaded +
//! excluded), and the refreshes: each job's last success and failure and the recent runs
//! (messages for admins only). Download: the files table.

use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use maud::html;

use crate::AppState;
use crate::auth::Viewer;
use crate::error::AppError;
use crate::html::{page as layout, scrolling, view_links};
use crate::params::{Format, Params};
use crate::views::sources::{files_table, skipped};

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    params: Params,
) -> Result<Response, AppError> {
    let format = params.view(&["format"])?;
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
    let is_admin = viewer.require(&[attache_accounts::Role::Admin]).is_ok();
    let record = crate::views::jobs::open(&state)?;
    let jobs = crate::views::jobs::status(record.as_ref())?;
    let runs = crate::views::jobs::recent(record.as_ref())?;
    let body = html! {
        h1 { "Sources" }
        (crate::html::how_to_read(&["Every number on this site comes from one of these publishers' files, downloaded or imported on the date shown, with its checksum.", "Rows read = rows loaded + rows excluded; an excluded row is counted with its reason, never dropped silently.", "Refreshes lists when the data were last synced and forecast, and whether the newest attempt failed."]))
        p { "Data vintage " code #vintage { (l.vintage) } ", created " (l.created_at) " by attache " (l.attache_version) " (" (l.mode)
            @if let Some(m) = mirror_path { " from the mirror " code { (m) } } @else if l.mirror.is_some() { " from a mirror of the publishers' files" } ")." }
        h2 #refresh { "Refreshes" }
        p { "Every sync and forecast run is recorded; "
            code { "attache up" } " repeats them on a schedule (" code { "--refresh-every" } "). A failed run keeps the last good data." }
        ul #job-status {
            @for (job, s) in &jobs {
                li data-job=(job) data-failing=(s.failing()) {
                    strong { (job) } ": last success "
                    @match &s.last_success { Some(r) => { time { (r.finished_at) } }, None => "never recorded" }
                    "; last failure "
                    @match &s.last_failure { Some(r) => { time { (r.finished_at) } }, None => "none recorded" }
                    @if s.failing() { " " strong.warn { "(the newest run failed)" } }
                }
            }
        }
        @if !runs.is_empty() {
            (scrolling("Recent runs", html! { table #job-runs {
                thead { tr { th { "Job" } th { "Started" } th { "Finished" } th { "Result" } @if is_admin { th { "Message" } } } }
                tbody { @for r in &runs {
                    tr { td { (r.job) } td { (r.started_at) } td { (r.finished_at) } td { @if r.ok { "ok" } @else { "failed" } }
                        @if is_admin { td { (r.message) } } }
                } }
            } }))
        }
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
        (scrolling("Files of this vintage", html! { table #files {
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
        } }))
        (view_links("/sources"))
    };
    Ok(Html(layout("Sources", &viewer, body).into_string()).into_response())
}

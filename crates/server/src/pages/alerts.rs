//! `/alerts` (newest first, filters by country and rule, downloads), `/alerts/{id}` (one alert
//! with its evidence: the events and the articles behind it, its life cycle and, for analysts
//! and diplomats, the form that moves it: seen, dismissed or escalated with a note),
//! `POST /alerts/{id}/state` (the step and its audit entry commit together:
//! `attache_opsdb::alert_states`) and `/alerts.atom` (an Atom feed of the newest 50). The view
//! is `views::alerts`.

use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;

use attache_opsdb::alert_states::{AlertStates, NOTE_MAX, TransitionError};

use crate::AppState;
use crate::auth::Viewer;
use crate::error::AppError;
use crate::html::{how_to_read, page as layout, scrolling, view_links};
use crate::params::{Format, Params};
use crate::views::alerts::{RULES, all, atom as atom_feed, filter, path, select, table};

/// Alerts shown on the list page (the download has them all).
const SHOWN: usize = 200;

pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    params: Params,
) -> Result<Response, AppError> {
    let format = params.format(Format::Html, &Format::TABLE)?;
    let f = filter(&params)?;
    let rows = select(all(&state).await?, &f);
    let states = states(&state).await?;
    if format != Format::Html {
        return table(&rows, &f).respond(format);
    }
    let mut permalink = "/alerts".to_string();
    let mut q = Vec::new();
    if let Some(c) = &f.country {
        q.push(format!("country={c}"));
    }
    if let Some(r) = &f.rule {
        q.push(format!("rule={r}"));
    }
    if !q.is_empty() {
        permalink = format!("{permalink}?{}", q.join("&"));
    }
    let body = html! {
        h1 { "Alerts from event feeds" }
        (how_to_read(&[
            "Each alert is a rule firing on the daily event counts of one country: a surge of material-conflict events, or a fall in Goldstein score or tone, or a rise in the share of conflict events.",
            "Open an alert to see the events and articles behind it. An alert is a warning sign for an analyst to check, not a finding.",
        ]))
        p.reference role="note" { "Warning signs raised by stated rules on imported feeds (GDELT, ICEWS): a reference for an analyst, not a finding." }
        form method="get" action="/alerts" {
            label { "Country " input type="text" name="country" size="12" value=(f.country.clone().unwrap_or_default()) placeholder="e.g. IND"; }
            " "
            label { "Rule " select name="rule" {
                option value="" selected[f.rule.is_none()] { "any" }
                @for r in RULES { option value=(r) selected[f.rule.as_deref() == Some(r)] { (r) } }
            } }
            " " button type="submit" { "Filter" }
        }
        @if rows.is_empty() {
            p #no-alerts { "No alerts. Alerts appear once event files are imported ("
                code { "attache events import DIR" } ", " code { "attache events follow" } ") and a rule fires." }
        } @else {
            p { (rows.len()) " alert(s), newest first" @if rows.len() > SHOWN { "; the first " (SHOWN) " are shown, the download has all" } "." }
            (scrolling("Alerts", html! { table #alerts {
                thead { tr { th { "Raised on" } th { "Country" } th { "Rule" } th { "Why" } th { "Evidence" } th { "State" } } }
                tbody {
                    @for r in rows.iter().take(SHOWN) {
                        tr data-id=(r.id) {
                            td { a href=(path(&r.id)) { (r.raised_on) } }
                            td { a href={"/country/" (r.iso3)} { (r.iso3) } }
                            td { (r.rule) }
                            td { (r.explanation) }
                            td.num { (r.evidence.len()) }
                            td.state { (states.get(&r.id).map_or("new", String::as_str)) }
                        }
                    }
                }
            } }))
        }
        (view_links(&permalink))
        p { a href="/alerts.atom" { "Atom feed of the newest alerts" } }
    };
    Ok(Html(layout("Alerts", &viewer, body).into_string()).into_response())
}

pub async fn one(
    State(state): State<AppState>,
    viewer: Viewer,
    params: Params,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    params.only(&[])?;
    let rows = all(&state).await?;
    let Some(r) = rows.iter().find(|r| r.id == id) else {
        return Err(AppError::NotFound(format!("no alert {id:?}")));
    };
    let history = history(&state, &id).await?;
    let current = history.last().map_or("new", |s| s.to.as_str()).to_string();
    let closed = current == "dismissed" || current == "escalated";
    let may_act = can_act(&viewer) && !closed;
    let body = html! {
        h1 #alert-title { "Alert: " (r.rule) " in " (r.iso3) ", " (r.raised_on) }
        p.reference role="note" { "A warning sign raised by a stated rule: a reference for an analyst, not a finding." }
        p #why { (r.explanation) }
        p { "Measure " strong { (format!("{:.2}", r.value)) } " against the threshold " (format!("{:.2}", r.threshold)) "; level " (r.level) "." }
        h2 { "Evidence" }
        @if r.evidence.is_empty() {
            p { "The rule fired on counts; no single event is listed." }
        } @else {
            (scrolling("Evidence", html! { table #evidence {
                thead { tr { th { "Event" } th { "Date" } th { "Value" } th { "What" } th { "Source" } } }
                tbody {
                    @for e in &r.evidence {
                        tr {
                            td { (e["id"].as_str().unwrap_or("")) }
                            td { (e["date"].as_str().unwrap_or("")) }
                            td.num { (e["value"].as_f64().map_or(String::new(), |v| format!("{v:.1}"))) }
                            td { (e["note"].as_str().unwrap_or("")) }
                            td { @if let Some(u) = e["url"].as_str() { a href=(u) rel="noopener noreferrer nofollow" { "article" } } }
                        }
                    }
                }
            } }))
        }
        h2 { "Life cycle" }
        p #alert-state { "State: " strong { (current) } }
        @if !history.is_empty() {
            (scrolling("Life cycle", html! { table #alert-history {
                thead { tr { th { "When" } th { "Who" } th { "From" } th { "To" } th { "Note" } } }
                tbody { @for h in &history { tr { td { (h.at) } td { (h.by) } td { (h.from) } td { (h.to) } td { (h.note) } } } }
            } }))
        }
        @if may_act {
            form #alert-form method="post" action={(path(&r.id)) "/state"} {
                input type="hidden" name="csrf" value=(viewer.csrf_token().unwrap_or(""));
                label for="alert-note" { "Note (why; required to dismiss or escalate)" } br;
                textarea #alert-note name="note" rows="3" cols="60" maxlength=(NOTE_MAX) {}
                br;
                button type="submit" name="state" value="seen" { "Mark seen" } " "
                button type="submit" name="state" value="dismissed" { "Dismiss" } " "
                button type="submit" name="state" value="escalated" { "Escalate" }
                p.small { "Each step goes on the audit record with your name and note." }
            }
        } @else if !closed {
            p.small { a href={"/login?next=" (crate::views::enc(&path(&r.id)))} { "Sign in" } " as an analyst or diplomat to mark, dismiss or escalate this alert." }
        }
        p { a href="/alerts" { "All alerts" } " · " a href={"/alerts?country=" (r.iso3)} { "Alerts for " (r.iso3) } }
    };
    Ok(Html(layout("Alert", &viewer, body).into_string()).into_response())
}

pub async fn atom(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Params,
) -> Result<Response, AppError> {
    params.only(&[])?;
    let rows = all(&state).await?;
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    let scheme = if state.config.tls { "https" } else { "http" };
    let mut r = atom_feed(&rows, &format!("{scheme}://{host}"), 50).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/atom+xml; charset=utf-8"),
    );
    Ok(r)
}

/// Who may move an alert: analysts, diplomats and admins, signed in.
fn can_act(v: &Viewer) -> bool {
    crate::pages::briefs::can_author(v) || (v.is_signed_in() && v.principal.is_admin())
}

fn db(state: &AppState) -> std::path::PathBuf {
    state.config.data_dir.join("attache.db")
}

/// The current state of every alert that has left `new` (none before any step).
async fn states(state: &AppState) -> Result<std::collections::BTreeMap<String, String>, AppError> {
    let p = db(state);
    if !p.exists() {
        return Ok(Default::default());
    }
    tokio::task::spawn_blocking(move || AlertStates::open(&p).and_then(|s| s.states()))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)
}

async fn history(
    state: &AppState,
    id: &str,
) -> Result<Vec<attache_opsdb::alert_states::Step>, AppError> {
    let p = db(state);
    if !p.exists() {
        return Ok(Vec::new());
    }
    let id = id.to_string();
    tokio::task::spawn_blocking(move || AlertStates::open(&p).and_then(|s| s.history(&id)))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)
}

/// The form of `POST /alerts/{id}/state`.
#[derive(Deserialize)]
pub struct StateForm {
    csrf: String,
    state: String,
    #[serde(default)]
    note: String,
}

pub async fn change(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: Result<Form<StateForm>, FormRejection>,
) -> Result<Response, AppError> {
    let Form(f) = form.map_err(|e| AppError::from_body(e.status(), e.body_text()))?;
    viewer.check_csrf(&f.csrf)?;
    if !viewer.is_signed_in() {
        return Err(AppError::Unauthorized);
    }
    if !can_act(&viewer) {
        return Err(AppError::Forbidden(
            "only analysts, diplomats and admins move alerts".into(),
        ));
    }
    if !all(&state).await?.iter().any(|r| r.id == id) {
        return Err(AppError::NotFound(format!("no alert {id:?}")));
    }
    let Some((log, _)) = state.audit_log() else {
        return Err(AppError::NoData(
            "the deployment has no audit keys yet (attache keys init): an alert's life cycle must be on the record".into(),
        ));
    };
    let p = db(&state);
    let who = viewer.principal.name.clone();
    let at = crate::views::now_utc();
    let key = id.clone();
    let done = tokio::task::spawn_blocking(move || -> Result<(), AppError> {
        let mut s = AlertStates::open(&p).map_err(AppError::internal)?;
        let note = f.note.clone();
        s.transition(&key, &f.state, &who, &at, &f.note, |tx, from, to| {
            let action =
                attache_audit::Action::new(&format!("alert.{to}")).map_err(|e| e.to_string())?;
            let event = attache_audit::AuditEvent::new(&attache_audit::user_actor(&who), action)
                .on(
                    &format!("alert:{key}"),
                    attache_audit::Classification::Public,
                )
                .detail("from", from)
                .detail("note", note.trim());
            attache_briefs::audit::AuditSink::append_in(&log, tx, &event).map_err(|e| e.to_string())
        })
        .map_err(|e| match e {
            TransitionError::BadState(_)
            | TransitionError::NoteRequired(_)
            | TransitionError::NoteTooLong => AppError::Unprocessable(e.to_string()),
            TransitionError::Closed(_) => AppError::Conflict(e.to_string()),
            e => AppError::internal(e),
        })?;
        attache_briefs::audit::AuditSink::committed(&log)
            .map_err(|e| AppError::internal(format!("audit log: {e}")))
    })
    .await
    .map_err(AppError::internal)?;
    done?;
    Ok(Redirect::to(&path(&id)).into_response())
}

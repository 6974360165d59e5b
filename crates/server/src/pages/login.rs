//! `/login` and `/logout`. The login form is protected by a server-signed token, also set as a
//! cookie (there is no session yet; see [`crate::csrf`]); `next` must be a path on this site
//! (anything else is a 400, before any password is checked); failures are rate-limited per client address and per account name by the
//! accounts crate, and all say the same thing (no account enumeration).

use std::net::SocketAddr;

use std::collections::BTreeMap;

use attache_accounts::LoginOutcome;
use attache_accounts::secret::ct_eq;
use attache_audit::{Action, AuditEvent, Classification};
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;

use crate::AppState;
use crate::auth::{LOGIN_CSRF_COOKIE, SESSION_COOKIE, Viewer, cookie, set_cookie};
use crate::error::AppError;
use crate::html::page as layout;
use crate::params::Params;

/// How long a session cookie lives in the browser (the server expires sessions on its own too).
const SESSION_COOKIE_MAX_AGE: u64 = 12 * 3600;

#[derive(Deserialize)]
pub struct LoginForm {
    name: String,
    password: String,
    csrf: String,
    #[serde(default)]
    next: String,
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// Where to go after signing in: a path on this site (no open redirect, nothing that could
/// split or bend a `Location` header), or `/` when none is given.
fn next_path(next: &str) -> Result<&str, AppError> {
    if next.is_empty() {
        return Ok("/");
    }
    let printable = next.bytes().all(|b| (0x21..=0x7e).contains(&b));
    if next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && printable
        && next.len() <= 2048
    {
        return Ok(next);
    }
    let shown: String = next
        .chars()
        .take(80)
        .flat_map(char::escape_default)
        .collect();
    Err(AppError::BadRequest(format!(
        "next=\"{shown}\": after signing in Attaché only goes to a path on this site, such as /briefs"
    )))
}

fn form_page(viewer: &Viewer, csrf: &str, next: &str, message: Option<&str>) -> String {
    let body = html! {
        h1 { "Sign in" }
        @if let Some(m) = message { p.error-message role="alert" { (m) } }
        form #login method="post" action="/login" {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="next" value=(next);
            label { "Name " input name="name" autocomplete="username" required; }
            label { "Password " input name="password" type="password" autocomplete="current-password" required; }
            button type="submit" { "Sign in" }
        }
        p.small { "Accounts are created by an administrator (" code { "attache user add" } ")." }
    };
    layout("Sign in", viewer, body).into_string()
}

fn with_login_cookie(state: &AppState, status: StatusCode, html: String, csrf: &str) -> Response {
    let mut r = (status, Html(html)).into_response();
    if let Ok(v) = HeaderValue::from_str(&set_cookie(
        LOGIN_CSRF_COOKIE,
        csrf,
        Some(3600),
        state.config.tls,
    )) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

pub async fn form(
    State(state): State<AppState>,
    viewer: Viewer,
    params: Params,
) -> Result<Response, AppError> {
    params.only(&["next"])?;
    let next = next_path(params.get("next").unwrap_or(""))?.to_string();
    let csrf = state.login_tokens.issue(crate::csrf::now_secs())?;
    Ok(with_login_cookie(
        &state,
        StatusCode::OK,
        form_page(&viewer, &csrf, &next, None),
        &csrf,
    ))
}

pub async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Result<Response, AppError> {
    let Form(f) = form.map_err(|e| AppError::from_body(e.status(), e.body_text()))?;
    // The token must be this server's, unexpired, and equal to the cookie (double submit).
    match cookie(&headers, LOGIN_CSRF_COOKIE) {
        Some(c)
            if ct_eq(c.as_bytes(), f.csrf.as_bytes())
                && state.login_tokens.check(&f.csrf, crate::csrf::now_secs()) => {}
        _ => return Err(AppError::Csrf),
    }
    let next = next_path(&f.next)?.to_string();
    let client = peer.ip().to_string();
    let accounts = state.accounts();
    let recorded = accounts.has_record();
    let ip = client.clone();
    let (name, password) = (f.name.clone(), f.password);
    let outcome = tokio::task::spawn_blocking(move || accounts.login(&name, &password, &client))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    let (action, result) = match &outcome {
        LoginOutcome::Ok(_) => (Action::LOGIN, "ok"),
        LoginOutcome::BadCredentials => (Action::LOGIN_FAILED, "bad credentials"),
        LoginOutcome::RateLimited { .. } => (Action::LOGIN_FAILED, "rate limited"),
    };
    // A session opened is on the record already (with its session, in one transaction) when
    // the deployment has an audit log; failures change no account and are appended here.
    if !(matches!(outcome, LoginOutcome::Ok(_)) && recorded) {
        state.record(event(&f.name, action, &ip, result)).await?;
    }
    match outcome {
        LoginOutcome::Ok(session) => {
            let mut r = Redirect::to(&next).into_response();
            let v = set_cookie(
                SESSION_COOKIE,
                &session.id,
                Some(SESSION_COOKIE_MAX_AGE),
                state.config.tls,
            );
            r.headers_mut().append(
                header::SET_COOKIE,
                HeaderValue::from_str(&v).map_err(AppError::internal)?,
            );
            r.headers_mut().append(
                header::SET_COOKIE,
                HeaderValue::from_str(&set_cookie(
                    LOGIN_CSRF_COOKIE,
                    "",
                    Some(0),
                    state.config.tls,
                ))
                .map_err(AppError::internal)?,
            );
            Ok(r)
        }
        LoginOutcome::BadCredentials => {
            let csrf = state.login_tokens.issue(crate::csrf::now_secs())?;
            let page = form_page(
                &Viewer::anonymous(),
                &csrf,
                &next,
                Some("Wrong name or password."),
            );
            Ok(with_login_cookie(
                &state,
                StatusCode::UNAUTHORIZED,
                page,
                &csrf,
            ))
        }
        LoginOutcome::RateLimited { retry_after_secs } => {
            Err(AppError::RateLimited(retry_after_secs))
        }
    }
}

pub async fn logout(
    State(state): State<AppState>,
    viewer: Viewer,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Result<Response, AppError> {
    let Form(f) = form.map_err(|e| AppError::from_body(e.status(), e.body_text()))?;
    let Some(session) = viewer.session.clone() else {
        return Ok(Redirect::to("/").into_response());
    };
    viewer.check_csrf(&f.csrf)?;
    let accounts = state.accounts();
    let recorded = accounts.has_record();
    tokio::task::spawn_blocking(move || accounts.logout(&session.id))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    if !recorded {
        state
            .record(event(&viewer.principal.name, Action::LOGOUT, "", "ok"))
            .await?;
    }
    let mut r = Redirect::to("/").into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(&set_cookie(SESSION_COOKIE, "", Some(0), state.config.tls))
            .map_err(AppError::internal)?,
    );
    Ok(r)
}

/// A login or logout record: who, from where, the outcome; never the password.
fn event(actor: &str, action: Action, client: &str, result: &str) -> AuditEvent {
    let mut detail = BTreeMap::new();
    if !client.is_empty() {
        detail.insert("client".to_string(), client.to_string());
    }
    detail.insert("result".to_string(), result.to_string());
    AuditEvent {
        actor: attache_audit::user_actor(actor),
        action,
        object: String::new(),
        classification: Classification::Public,
        detail,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_is_a_path_on_this_site() {
        for (n, want) in [
            ("/country/SDN", "/country/SDN"),
            ("/briefs?x=1&y=%20", "/briefs?x=1&y=%20"),
            ("", "/"),
        ] {
            assert_eq!(super::next_path(n).unwrap(), want, "{n}");
        }
        let long = format!("/{}", "a".repeat(3000));
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil",
            "/a\nSet-Cookie: x=1",
            "/a\tb",
            "/a b",
            "/\u{7f}",
            "/é",
            "briefs",
            &long,
        ] {
            assert!(super::next_path(bad).is_err(), "{bad:?}");
        }
    }
}

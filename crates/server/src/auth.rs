//! Who is asking: the [`Viewer`] extractor resolves a bearer token (`Authorization: Bearer ...`,
//! for scripts) or a session cookie (for browsers) to a [`Principal`]; neither means anonymous
//! (role public, clearance public). A bearer token or cookie that does not resolve is refused
//! (401) rather than quietly treated as anonymous, so a script learns its token is wrong.
//!
//! Cookies: the session cookie is `HttpOnly; SameSite=Strict; Path=/` (+ `Secure` under TLS).
//! A state-changing request with a session cookie must pass [`crate::csrf::check_same_origin`]
//! (checked here, for every route); forms also carry the session's CSRF token and API calls
//! carry it in `X-CSRF-Token` ([`ApiViewer`]). See [`crate::csrf`] for the login form.

use attache_accounts::{Principal, Role, Session};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};

use crate::AppState;
use crate::error::{ApiError, AppError};

pub const SESSION_COOKIE: &str = "attache_session";
pub const LOGIN_CSRF_COOKIE: &str = "attache_login_csrf";

/// The person (or script) behind a request.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub principal: Principal,
    /// The browser session, when signed in with a cookie (its CSRF token guards forms).
    pub session: Option<Session>,
    /// How old the data and the forecast are, for the page layout to say (every page does).
    pub freshness: Option<std::sync::Arc<attache_store::freshness::Freshness>>,
}

impl Viewer {
    pub fn anonymous() -> Viewer {
        Viewer {
            principal: Principal::anonymous(),
            session: None,
            freshness: None,
        }
    }

    pub fn is_signed_in(&self) -> bool {
        self.principal.user_id.is_some()
    }

    /// Requires one of `roles`: 401 when anonymous, 403 when signed in with another role.
    pub fn require(&self, roles: &[Role]) -> Result<(), AppError> {
        if roles.contains(&self.principal.role) {
            return Ok(());
        }
        if !self.is_signed_in() {
            return Err(AppError::Unauthorized);
        }
        Err(AppError::Forbidden(format!(
            "this needs the role {}; you are signed in as {} ({})",
            roles
                .iter()
                .map(|r| r.to_string())
                .collect::<Vec<_>>()
                .join(" or "),
            self.principal.name,
            self.principal.role
        )))
    }

    /// Checks a form's CSRF token against the session's.
    pub fn check_csrf(&self, token: &str) -> Result<(), AppError> {
        match &self.session {
            Some(s) if s.check_csrf(token) => Ok(()),
            _ => Err(AppError::Csrf),
        }
    }

    pub fn csrf_token(&self) -> Option<&str> {
        self.session.as_ref().map(|s| s.csrf_token.as_str())
    }
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let mut viewer = resolve(parts, state).await?;
        // Judged once per request by `freshness::headers`.
        viewer.freshness = parts
            .extensions
            .get::<std::sync::Arc<attache_store::freshness::Freshness>>()
            .cloned();
        Ok(viewer)
    }
}

/// Who is asking (see the module documentation).
async fn resolve(parts: &mut Parts, state: &AppState) -> Result<Viewer, AppError> {
    {
        let bearer = match parts.headers.get(header::AUTHORIZATION) {
            None => None,
            Some(v) => {
                let v = v.to_str().map_err(|_| AppError::Unauthorized)?;
                let t = v.strip_prefix("Bearer ").ok_or(AppError::Unauthorized)?;
                Some(t.trim().to_string())
            }
        };
        let accounts = state.accounts();
        if let Some(token) = bearer {
            let p = tokio::task::spawn_blocking(move || accounts.authenticate_token(&token))
                .await
                .map_err(AppError::internal)?
                .map_err(AppError::internal)?;
            return p
                .map(|principal| Viewer {
                    principal,
                    session: None,
                    freshness: None,
                })
                .ok_or(AppError::Unauthorized);
        }
        let Some(sid) = cookie(&parts.headers, SESSION_COOKIE).map(str::to_string) else {
            return Ok(Viewer::anonymous());
        };
        let s = tokio::task::spawn_blocking(move || accounts.session(&sid))
            .await
            .map_err(AppError::internal)?
            .map_err(AppError::internal)?;
        // An expired or unknown session cookie: browse on as anonymous (the login page says so).
        let Some(s) = s else {
            return Ok(Viewer::anonymous());
        };
        if crate::csrf::is_unsafe(&parts.method) {
            crate::csrf::check_same_origin(&parts.headers)?;
        }
        Ok(Viewer {
            principal: s.principal.clone(),
            session: Some(s),
            freshness: None,
        })
    }
}

/// [`Viewer`] on an API route (errors as JSON).
#[derive(Debug, Clone)]
pub struct ApiViewer(pub Viewer);

impl FromRequestParts<AppState> for ApiViewer {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let viewer = Viewer::from_request_parts(parts, state)
            .await
            .map_err(ApiError)?;
        // Signed in by the cookie: a state-changing call also shows the session's token.
        if viewer.session.is_some() && crate::csrf::is_unsafe(&parts.method) {
            let token = parts
                .headers
                .get(crate::csrf::CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            viewer.check_csrf(token).map_err(ApiError)?;
        }
        Ok(ApiViewer(viewer))
    }
}

/// A `Set-Cookie` value with the attributes every cookie of ours carries.
pub fn set_cookie(name: &str, value: &str, max_age_secs: Option<u64>, tls: bool) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
    if let Some(a) = max_age_secs {
        c.push_str(&format!("; Max-Age={a}"));
    }
    if tls {
        c.push_str("; Secure");
    }
    c
}

//! Password login and browser sessions.
//!
//! A session id is 256 random bits in hex, given to the browser once (in a cookie) and stored
//! only as its SHA-256 digest. A session ends after [`SESSION_IDLE_SECS`] without a request or
//! [`SESSION_ABSOLUTE_SECS`] after login, whichever comes first (OWASP Session Management Cheat
//! Sheet: 15-30 minutes idle for sensitive applications; an absolute limit of a working day).
//! Each session has a CSRF token derived from its id (so it is never stored either), compared in
//! constant time by [`Session::check_csrf`].
//!
//! [`Accounts::login`] always spends one Argon2 verification, whether the name exists or not,
//! unless the attempt is refused by the rate limiter ([`crate::ratelimit`]).

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use crate::db::DbResult;
use crate::record::{AccountChange, SIGNED_IN, SIGNED_OUT};
use crate::secret::{ct_eq, derive, digest, is_hex_secret, random_hex};
use crate::{Accounts, AccountsError, Principal, Timestamp, password, ratelimit, timestamp};

/// A session ends after this long without a request: 30 minutes.
pub const SESSION_IDLE_SECS: i64 = 30 * 60;
/// A session ends this long after login, however active: 12 hours.
pub const SESSION_ABSOLUTE_SECS: i64 = 12 * 60 * 60;
/// A session's last-seen time is rewritten at most this often (one write a minute, not one
/// per request); idle expiry is therefore exact to within this.
pub const TOUCH_INTERVAL_SECS: i64 = 60;

const CSRF_DOMAIN: &str = "attache-csrf-v1";

/// A live login session.
#[derive(Clone)]
pub struct Session {
    /// The session id (the cookie value). Stored only hashed.
    pub id: String,
    /// The token forms must echo; check it with [`Session::check_csrf`].
    pub csrf_token: String,
    /// Who the session acts as, with their current role and clearance.
    pub principal: Principal,
    /// When the session ends unless used again before (never later than the absolute limit).
    pub expires_at: Timestamp,
}

impl Session {
    /// Whether `token` is this session's CSRF token (constant-time comparison).
    pub fn check_csrf(&self, token: &str) -> bool {
        ct_eq(self.csrf_token.as_bytes(), token.as_bytes())
    }
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("id", &"<redacted>")
            .field("csrf_token", &"<redacted>")
            .field("principal", &self.principal)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// The result of a login attempt.
#[derive(Debug, Clone)]
pub enum LoginOutcome {
    Ok(Session),
    /// Wrong password, unknown name or disabled user: deliberately indistinguishable.
    BadCredentials,
    /// Too many recent failures for this client or this name.
    RateLimited {
        retry_after_secs: u64,
    },
}

fn expiry(created_at: i64, last_seen: i64) -> i64 {
    (last_seen + SESSION_IDLE_SECS).min(created_at + SESSION_ABSOLUTE_SECS)
}

/// A user row as login needs it.
struct Candidate {
    id: i64,
    name: String,
    role: String,
    clearance: String,
    phc: String,
    disabled: bool,
}

/// A session row joined with its user.
struct SessionRow {
    id_sha256: Vec<u8>,
    created_at: i64,
    last_seen: i64,
    user_id: i64,
    name: String,
    role: String,
    clearance: String,
    disabled: bool,
}

impl Accounts {
    /// Checks a password and opens a session. `client` identifies the caller for rate limiting
    /// (the server passes the peer IP address).
    pub fn login(
        &self,
        name: &str,
        password: &str,
        client: &str,
    ) -> Result<LoginOutcome, AccountsError> {
        let now = self.now();
        let path = &self.db.path;
        let keys = [ratelimit::client_key(client), ratelimit::user_key(name)];

        // Check the limits and reserve this attempt as a failure, in one write transaction.
        let (reserved, candidate) = {
            let mut conn = self.db.conn();
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .db(path, "starting a login")?;
            ratelimit::forget_old(&tx, now, path)?;
            let mut wait = None;
            for key in &keys {
                wait = wait.max(ratelimit::locked_for(&tx, key, now, path)?);
            }
            if let Some(retry_after_secs) = wait {
                tx.commit().db(path, "starting a login")?;
                return Ok(LoginOutcome::RateLimited { retry_after_secs });
            }
            let mut reserved = Vec::with_capacity(keys.len());
            for key in &keys {
                reserved.push(ratelimit::record(&tx, key, now, path)?);
            }
            let candidate = tx
                .query_row(
                    "SELECT id, name, role, clearance, password_phc, disabled FROM acct_users WHERE name = ?1",
                    [name],
                    |r| {
                        Ok(Candidate {
                            id: r.get(0)?,
                            name: r.get(1)?,
                            role: r.get(2)?,
                            clearance: r.get(3)?,
                            phc: r.get(4)?,
                            disabled: r.get(5)?,
                        })
                    },
                )
                .optional()
                .db(path, "looking up a user")?;
            tx.commit().db(path, "starting a login")?;
            (reserved, candidate)
        };

        // Argon2 runs without the connection lock held.
        let user = match candidate {
            Some(c) => {
                let matches = password::verify(password, &c.phc)?;
                Some(c).filter(|c| matches && !c.disabled)
            }
            None => {
                password::spend_verify_time(password)?;
                None
            }
        };
        let Some(user) = user else {
            return Ok(LoginOutcome::BadCredentials);
        };
        let (role, clearance) = self.parse_grant(user.id, &user.role, &user.clearance)?;

        let id = random_hex()?;
        let mut conn = self.db.conn();
        let tx = conn.transaction().db(path, "opening a session")?;
        for row in reserved {
            tx.execute("DELETE FROM acct_login_failures WHERE id = ?1", [row])
                .db(path, "clearing login failures")?;
        }
        tx.execute("DELETE FROM acct_login_failures WHERE key = ?1", [&keys[1]])
            .db(path, "clearing login failures")?;
        tx.execute(
            "DELETE FROM acct_sessions WHERE last_seen <= ?1 OR created_at <= ?2",
            [now - SESSION_IDLE_SECS, now - SESSION_ABSOLUTE_SECS],
        )
        .db(path, "removing expired sessions")?;
        tx.execute(
            "INSERT INTO acct_sessions (id_sha256, user_id, created_at, last_seen) VALUES (?1, ?2, ?3, ?3)",
            params![digest(&id).as_slice(), user.id, now],
        )
        .db(path, "opening a session")?;
        // The session and its login entry commit together (see `record`).
        let change = AccountChange {
            user: user.name.clone(),
            change: SIGNED_IN,
            detail: vec![("client", client.to_string())],
        };
        self.record_in(&tx, "opening a session", &change)?;
        tx.commit().db(path, "opening a session")?;
        drop(conn);
        self.record_committed("opening a session")?;
        Ok(LoginOutcome::Ok(Session {
            csrf_token: derive(CSRF_DOMAIN, &id),
            id,
            principal: Principal {
                user_id: Some(user.id),
                name: user.name,
                role,
                clearance,
            },
            expires_at: timestamp(expiry(now, now)),
        }))
    }

    /// The live session with this id, its idle timer restarted; `None` if the id is unknown,
    /// malformed, logged out, expired, or its user disabled. Expired sessions are deleted.
    pub fn session(&self, session_id: &str) -> Result<Option<Session>, AccountsError> {
        if !is_hex_secret(session_id) {
            return Ok(None);
        }
        let now = self.now();
        let path = &self.db.path;
        let want = digest(session_id);
        let conn = self.db.conn();
        let row = conn
            .query_row(
                "SELECT s.id_sha256, s.created_at, s.last_seen, u.id, u.name, u.role, u.clearance, u.disabled
                 FROM acct_sessions s JOIN acct_users u ON u.id = s.user_id
                 WHERE s.id_sha256 = ?1",
                [want.as_slice()],
                |r| {
                    Ok(SessionRow {
                        id_sha256: r.get(0)?,
                        created_at: r.get(1)?,
                        last_seen: r.get(2)?,
                        user_id: r.get(3)?,
                        name: r.get(4)?,
                        role: r.get(5)?,
                        clearance: r.get(6)?,
                        disabled: r.get(7)?,
                    })
                },
            )
            .optional()
            .db(path, "reading a session")?;
        // The lookup compares digests; the constant-time check keeps the decision independent
        // of where two digests first differ.
        let Some(SessionRow {
            created_at,
            last_seen,
            user_id,
            name,
            role,
            clearance,
            disabled,
            ..
        }) = row.filter(|r| ct_eq(&r.id_sha256, &want))
        else {
            return Ok(None);
        };
        if disabled || now >= expiry(created_at, last_seen) {
            conn.execute(
                "DELETE FROM acct_sessions WHERE id_sha256 = ?1",
                [want.as_slice()],
            )
            .db(path, "removing an expired session")?;
            return Ok(None);
        }
        let last_seen = if now - last_seen >= TOUCH_INTERVAL_SECS {
            conn.execute(
                "UPDATE acct_sessions SET last_seen = ?1 WHERE id_sha256 = ?2",
                params![now, want.as_slice()],
            )
            .db(path, "touching a session")?;
            now
        } else {
            last_seen
        };
        drop(conn);
        let (role, clearance) = self.parse_grant(user_id, &role, &clearance)?;
        Ok(Some(Session {
            id: session_id.to_string(),
            csrf_token: derive(CSRF_DOMAIN, session_id),
            principal: Principal {
                user_id: Some(user_id),
                name,
                role,
                clearance,
            },
            expires_at: timestamp(expiry(created_at, last_seen)),
        }))
    }

    /// Ends a session (unknown ids are ignored: logging out twice is fine). An ended session
    /// and its logout entry commit together (see `record`).
    pub fn logout(&self, session_id: &str) -> Result<(), AccountsError> {
        let path = &self.db.path;
        let op = "ending a session";
        let mut conn = self.db.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .db(path, op)?;
        let name: Option<String> = tx
            .query_row(
                "SELECT u.name FROM acct_sessions s JOIN acct_users u ON u.id = s.user_id WHERE s.id_sha256 = ?1",
                [digest(session_id).as_slice()],
                |r| r.get(0),
            )
            .optional()
            .db(path, op)?;
        let Some(name) = name else {
            return Ok(());
        };
        tx.execute(
            "DELETE FROM acct_sessions WHERE id_sha256 = ?1",
            [digest(session_id).as_slice()],
        )
        .db(path, op)?;
        self.record_in(&tx, op, &AccountChange::new(&name, SIGNED_OUT))?;
        tx.commit().db(path, op)?;
        drop(conn);
        self.record_committed(op)
    }

    /// Ends every session of `name`; returns how many there were.
    pub fn revoke_sessions(&self, name: &str) -> Result<usize, AccountsError> {
        let user = self.require_user(name)?;
        self.db
            .conn()
            .execute("DELETE FROM acct_sessions WHERE user_id = ?1", [user.id])
            .db(&self.db.path, "revoking sessions")
    }
}

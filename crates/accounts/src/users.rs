//! Stored accounts: adding users, changing passwords and roles, disabling, listing. User names
//! are 1 to 64 characters of `a-z 0-9 . _ - @`, starting with a letter or digit, so a name looks
//! the same in every log, URL and terminal. Role `public` is the anonymous visitor and is never
//! stored.

use rusqlite::{OptionalExtension, Row, params};

use crate::db::{DbResult, is_constraint};
use crate::{
    AccountChange, Accounts, AccountsError, Clearance, Role, UserInfo, password, ratelimit, rfc3339,
};

/// Longest user name, in characters.
pub const MAX_NAME_CHARS: usize = 64;

/// Checks a new user name (see the module docs).
pub fn check_name(name: &str) -> Result<(), AccountsError> {
    let bad = |reason| {
        Err(AccountsError::InvalidName {
            name: name.to_string(),
            reason,
        })
    };
    let Some(first) = name.chars().next() else {
        return bad("it is empty");
    };
    if name.chars().count() > MAX_NAME_CHARS {
        return bad("it is longer than 64 characters");
    }
    if !(first.is_ascii_lowercase() || first.is_ascii_digit()) {
        return bad("it must start with a lowercase letter or a digit");
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-' | '@'))
    {
        return bad("only a-z, 0-9, '.', '_', '-' and '@' are allowed");
    }
    Ok(())
}

fn storable(name: &str, role: Role) -> Result<(), AccountsError> {
    if role == Role::Public {
        return Err(AccountsError::PublicRole {
            name: name.to_string(),
        });
    }
    Ok(())
}

/// The columns [`user_info`] reads, in order.
pub(crate) const USER_COLUMNS: &str = "id, name, role, clearance, created_at, disabled";

impl Accounts {
    /// Adds a user. The password must meet the policy ([`password::check_policy`]); it is stored
    /// only as an Argon2id hash.
    pub fn add_user(
        &self,
        name: &str,
        role: Role,
        clearance: Clearance,
        password: &str,
    ) -> Result<UserInfo, AccountsError> {
        check_name(name)?;
        storable(name, role)?;
        password::check_policy(password)?;
        let phc = password::hash(password)?;
        let now = self.now();
        let path = &self.db.path;
        self.change("adding a user", |tx| {
            let inserted = tx.execute(
                "INSERT INTO acct_users (name, role, clearance, password_phc, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![name, role.as_str(), clearance.as_str(), phc, now],
            );
            match inserted {
                Ok(_) => {}
                Err(e) if is_constraint(&e) => {
                    return Err(AccountsError::DuplicateUser {
                        name: name.to_string(),
                    });
                }
                Err(e) => return Err(e).db(path, "adding a user"),
            }
            let info = UserInfo {
                id: tx.last_insert_rowid(),
                name: name.to_string(),
                role,
                clearance,
                created_at: rfc3339(now),
                disabled: false,
            };
            let change = AccountChange {
                user: name.to_string(),
                change: "added",
                detail: vec![("role", role.to_string()), ("clearance", clearance.to_string())],
            };
            Ok((info, change))
        })
    }

    /// Replaces a user's password, ends all their sessions and clears their login failures.
    /// API tokens stay valid (revoke them with [`Accounts::revoke_tokens`]).
    pub fn set_password(&self, name: &str, password: &str) -> Result<(), AccountsError> {
        password::check_policy(password)?;
        self.require_user(name)?;
        let phc = password::hash(password)?;
        let path = &self.db.path;
        self.change("changing a password", |tx| {
            let n = tx
                .execute(
                    "UPDATE acct_users SET password_phc = ?1 WHERE name = ?2",
                    params![phc, name],
                )
                .db(path, "changing a password")?;
            if n == 0 {
                return Err(AccountsError::UnknownUser {
                    name: name.to_string(),
                });
            }
            tx.execute(
                "DELETE FROM acct_sessions WHERE user_id = (SELECT id FROM acct_users WHERE name = ?1)",
                [name],
            )
            .db(path, "revoking sessions")?;
            tx.execute(
                "DELETE FROM acct_login_failures WHERE key = ?1",
                [ratelimit::user_key(name)],
            )
            .db(path, "clearing login failures")?;
            Ok(((), AccountChange::new(name, "password changed")))
        })
    }

    /// Changes a user's role and clearance. Sessions and tokens see the change on their next
    /// request (they read the role from the user, not from a copy).
    pub fn set_role(
        &self,
        name: &str,
        role: Role,
        clearance: Clearance,
    ) -> Result<(), AccountsError> {
        storable(name, role)?;
        let path = &self.db.path;
        self.change("changing a role", |tx| {
            let n = tx
                .execute(
                    "UPDATE acct_users SET role = ?1, clearance = ?2 WHERE name = ?3",
                    params![role.as_str(), clearance.as_str(), name],
                )
                .db(path, "changing a role")?;
            if n == 0 {
                return Err(AccountsError::UnknownUser {
                    name: name.to_string(),
                });
            }
            let change = AccountChange {
                user: name.to_string(),
                change: "role changed",
                detail: vec![
                    ("role", role.to_string()),
                    ("clearance", clearance.to_string()),
                ],
            };
            Ok(((), change))
        })
    }

    /// Disables a user: logins fail (after the usual Argon2 time), sessions end, tokens stop
    /// authenticating. Nothing is deleted.
    pub fn disable_user(&self, name: &str) -> Result<(), AccountsError> {
        self.set_disabled(name, true)
    }

    /// Enables a disabled user again (their old tokens authenticate again).
    pub fn enable_user(&self, name: &str) -> Result<(), AccountsError> {
        self.set_disabled(name, false)
    }

    /// Disabling also ends the user's sessions, in the same transaction.
    fn set_disabled(&self, name: &str, disabled: bool) -> Result<(), AccountsError> {
        let path = &self.db.path;
        self.change("disabling or enabling a user", |tx| {
            let n = tx
                .execute(
                    "UPDATE acct_users SET disabled = ?1 WHERE name = ?2",
                    params![i64::from(disabled), name],
                )
                .db(path, "disabling or enabling a user")?;
            if n == 0 {
                return Err(AccountsError::UnknownUser {
                    name: name.to_string(),
                });
            }
            if disabled {
                tx.execute(
                    "DELETE FROM acct_sessions WHERE user_id = (SELECT id FROM acct_users WHERE name = ?1)",
                    [name],
                )
                .db(path, "revoking sessions")?;
            }
            let what = if disabled { "disabled" } else { "enabled" };
            Ok(((), AccountChange::new(name, what)))
        })
    }

    /// Every user, by name.
    pub fn list_users(&self) -> Result<Vec<UserInfo>, AccountsError> {
        let path = &self.db.path;
        let conn = self.db.conn();
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {USER_COLUMNS} FROM acct_users ORDER BY name"
            ))
            .db(path, "listing users")?;
        let rows = stmt.query_map([], raw_user).db(path, "listing users")?;
        rows.map(|r| {
            r.db(path, "listing users")
                .and_then(|raw| self.user_info(raw))
        })
        .collect()
    }

    /// One user by name, if it exists.
    pub fn find_user(&self, name: &str) -> Result<Option<UserInfo>, AccountsError> {
        let raw = self
            .db
            .conn()
            .query_row(
                &format!("SELECT {USER_COLUMNS} FROM acct_users WHERE name = ?1"),
                [name],
                raw_user,
            )
            .optional()
            .db(&self.db.path, "reading a user")?;
        raw.map(|r| self.user_info(r)).transpose()
    }

    /// The user named `name`, or [`AccountsError::UnknownUser`].
    pub(crate) fn require_user(&self, name: &str) -> Result<UserInfo, AccountsError> {
        self.find_user(name)?
            .ok_or_else(|| AccountsError::UnknownUser {
                name: name.to_string(),
            })
    }

    /// Parses a stored role and clearance; a value this build does not know is an error naming
    /// the row.
    pub(crate) fn parse_grant(
        &self,
        user_id: i64,
        role: &str,
        clearance: &str,
    ) -> Result<(Role, Clearance), AccountsError> {
        let corrupt = |column, value: &str| AccountsError::Corrupt {
            path: self.db.path.clone(),
            user_id,
            column,
            value: value.to_string(),
        };
        let r = role
            .parse::<Role>()
            .ok()
            .filter(|r| *r != Role::Public)
            .ok_or_else(|| corrupt("role", role))?;
        let c = clearance
            .parse::<Clearance>()
            .map_err(|_| corrupt("clearance", clearance))?;
        Ok((r, c))
    }

    fn user_info(&self, raw: RawUser) -> Result<UserInfo, AccountsError> {
        let (role, clearance) = self.parse_grant(raw.id, &raw.role, &raw.clearance)?;
        Ok(UserInfo {
            id: raw.id,
            name: raw.name,
            role,
            clearance,
            created_at: rfc3339(raw.created_at),
            disabled: raw.disabled,
        })
    }
}

/// A user row as stored, before its role and clearance are parsed.
pub(crate) struct RawUser {
    id: i64,
    name: String,
    role: String,
    clearance: String,
    created_at: i64,
    disabled: bool,
}

fn raw_user(r: &Row<'_>) -> rusqlite::Result<RawUser> {
    Ok(RawUser {
        id: r.get(0)?,
        name: r.get(1)?,
        role: r.get(2)?,
        clearance: r.get(3)?,
        created_at: r.get(4)?,
        disabled: r.get(5)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, expect: Result<(), &str>) {
        match (check_name(name), expect) {
            (Ok(()), Ok(())) => {}
            (Err(e), Err(want)) => {
                assert!(e.to_string().contains(want), "{name:?}: {e} lacks {want:?}")
            }
            (got, want) => panic!("{name:?}: got {got:?}, expected {want:?}"),
        }
    }

    #[test]
    fn names() {
        check("alice", Ok(()));
        check("a.smith-2@mfa", Ok(()));
        check("007", Ok(()));
        check(&"a".repeat(64), Ok(()));
        check(&"a".repeat(65), Err("longer than 64"));
        check("", Err("empty"));
        check("Alice", Err("start with a lowercase"));
        check("_svc", Err("start with a lowercase"));
        check("al ice", Err("only a-z"));
        check("alicé", Err("only a-z"));
        check("bob\n", Err("only a-z"));
    }
}

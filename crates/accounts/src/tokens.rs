//! API tokens: `att_` followed by 256 random bits in hex, shown once when issued and stored only
//! as their SHA-256 digest. A token acts as its user with the user's current role and clearance,
//! until revoked or the user is disabled. Tokens do not expire.

use rusqlite::{OptionalExtension, params};

use crate::db::DbResult;
use crate::secret::{ct_eq, digest, is_hex_secret, random_hex};
use crate::{AccountChange, Accounts, AccountsError, Principal};

/// The prefix of every API token (it lets secret scanners recognise a leaked one).
pub const TOKEN_PREFIX: &str = "att_";

impl Accounts {
    /// Issues a new API token for `name` and returns it; it cannot be shown again.
    pub fn issue_token(&self, name: &str) -> Result<String, AccountsError> {
        let user = self.require_user(name)?;
        if user.disabled {
            return Err(AccountsError::Disabled {
                name: name.to_string(),
            });
        }
        let token = format!("{TOKEN_PREFIX}{}", random_hex()?);
        let path = &self.db.path;
        let now = self.now();
        self.change("storing a token", |tx| {
            tx.execute(
                "INSERT INTO acct_tokens (user_id, token_sha256, created_at) VALUES (?1, ?2, ?3)",
                params![user.id, digest(&token).as_slice(), now],
            )
            .db(path, "storing a token")?;
            Ok(((), AccountChange::new(name, "token issued")))
        })?;
        Ok(token)
    }

    /// The principal a token acts as; `None` for a malformed, unknown or revoked token or a
    /// disabled user.
    pub fn authenticate_token(&self, token: &str) -> Result<Option<Principal>, AccountsError> {
        let Some(body) = token.strip_prefix(TOKEN_PREFIX) else {
            return Ok(None);
        };
        if !is_hex_secret(body) {
            return Ok(None);
        }
        let want = digest(token);
        let row: Option<(Vec<u8>, i64, String, String, String)> = self
            .db
            .conn()
            .query_row(
                "SELECT t.token_sha256, u.id, u.name, u.role, u.clearance
                 FROM acct_tokens t JOIN acct_users u ON u.id = t.user_id
                 WHERE t.token_sha256 = ?1 AND u.disabled = 0",
                [want.as_slice()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()
            .db(&self.db.path, "checking a token")?;
        // The index lookup compares digests, not tokens; the constant-time check on the digest
        // keeps the final decision independent of where two digests first differ.
        let Some((_, id, name, role, clearance)) = row.filter(|r| ct_eq(&r.0, &want)) else {
            return Ok(None);
        };
        let (role, clearance) = self.parse_grant(id, &role, &clearance)?;
        Ok(Some(Principal {
            user_id: Some(id),
            name,
            role,
            clearance,
        }))
    }

    /// Revokes every API token of `name`; returns how many there were.
    pub fn revoke_tokens(&self, name: &str) -> Result<usize, AccountsError> {
        let user = self.require_user(name)?;
        let path = &self.db.path;
        self.change("revoking tokens", |tx| {
            let n = tx
                .execute("DELETE FROM acct_tokens WHERE user_id = ?1", [user.id])
                .db(path, "revoking tokens")?;
            let change = AccountChange {
                user: name.to_string(),
                change: "tokens revoked",
                detail: vec![("count", n.to_string())],
            };
            Ok((n, change))
        })
    }
}

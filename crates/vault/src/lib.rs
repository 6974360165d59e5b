//! `attache-vault`: a deployment's secrets. The keyring that encrypts classified content at rest
//! (XChaCha20-Poly1305), the Ed25519 key files that sign the audit log and ministry statements,
//! and where all of them live. Keys come from key files or environment variables, never from the
//! database, and never appear in errors, logs or `Debug` output (only their ids do); key bytes
//! are zeroed when dropped.
//!
//! Modules: [`keyring`] (keys, ids, the key-file format, rotation), [`aead`] (seal, open, rewrap;
//! the ciphertext layout), [`secrets`] (the secrets directory and environment variables),
//! [`ed25519`] (PEM key files and key ids), [`files`] (private, atomically written files).
//!
//! # Where the keys live
//!
//! By default in `<data-dir>/secrets/` (mode 0700): `vault.keys` and `audit-signing.key` (0600),
//! `audit-signing.pub` (0644); `attache keys init` creates them. Keeping them in the data dir is
//! acceptable for the issue's rule ("no plaintext of classified items anywhere under the data
//! dir": the keyring is not plaintext of an item), but whoever can read the data dir *and* the
//! secrets can read everything, so the recommended deployment puts the secrets directory on
//! another path (`--secrets-dir` / `ATTACHE_SECRETS_DIR`) or injects the keys through
//! `ATTACHE_VAULT_KEY` and `ATTACHE_AUDIT_SIGNING_KEY` (see [`secrets`]). Files readable or
//! writable by group or others are refused, as ssh does.
//!
//! # Rotating the vault key
//!
//! 1. `attache keys rotate`: a new random key becomes *active* (it seals everything written from
//!    now on); the previous key stays in the keyring as *decrypt-only*, so existing data still
//!    opens. Nothing is unreadable at any point.
//! 2. Rewrap existing ciphertexts: each owner of encrypted records passes them through
//!    [`Keyring::rewrap`], which opens under the old key and reseals under the active one
//!    ([`Keyring::needs_rewrap`] finds the ones left).
//! 3. `attache keys retire KEY_ID` removes the old key once nothing needs it. Ciphertexts still
//!    sealed under a retired key fail with [`VaultError::UnknownKey`] naming that key, never
//!    silently.
//!
//! With `ATTACHE_VAULT_KEY`, rotation is the same done by hand: put the new key first in the
//! comma-separated list, rewrap, then drop the old key from the list. The audit signing key
//! rotates with `attache keys rotate-audit`: the old public key stays in `audit-signing.pub`, so
//! tree heads signed before the rotation still verify.

pub mod aead;
pub mod ed25519;
pub mod error;
pub mod files;
pub mod keyring;
pub mod secrets;

pub use aead::{Rewrapped, is_sealed, key_id_of};
pub use error::{Origin, VaultError};
pub use keyring::{KEY_BYTES, KeyId, KeyStatus, Keyring, VaultKey};
pub use secrets::Secrets;

/// Fills `buf` from the operating system's random number generator.
pub(crate) fn random_fill(buf: &mut [u8]) -> Result<(), VaultError> {
    getrandom::fill(buf).map_err(|e| VaultError::Random {
        detail: e.to_string(),
    })
}

//! The one error type of the vault. Variants name the file or environment variable at fault and
//! the key id involved; none ever carries key material or plaintext.

use std::fmt;
use std::path::PathBuf;

use crate::keyring::KeyId;

/// Where a key came from, named in errors and reports (never the key itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A key file.
    File(PathBuf),
    /// An environment variable (its name).
    Env(&'static str),
    /// Bytes handed to a constructor (tests, embedding programs).
    Memory,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File(p) => write!(f, "key file {}", p.display()),
            Origin::Env(var) => write!(f, "environment variable {var}"),
            Origin::Memory => f.write_str("in-memory key"),
        }
    }
}

/// What went wrong in the vault.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("{path}: {op}")]
    Io {
        path: PathBuf,
        op: &'static str,
        #[source]
        source: std::io::Error,
    },
    /// A secret file or directory others may read or write (like ssh, the vault refuses it).
    #[error(
        "{path} has mode {mode:o}: secrets must be private to their owner (chmod {want:o} {path})"
    )]
    InsecurePermissions { path: PathBuf, mode: u32, want: u32 },
    /// A key file or variable that does not parse; `line` is 1-based (0 for a variable).
    #[error("{origin}, line {line}: {reason}")]
    BadKeyring {
        origin: Origin,
        line: usize,
        reason: String,
    },
    /// An Ed25519 key file (PKCS#8 / SPKI PEM) that does not parse.
    #[error("{origin}: {reason}")]
    BadPem { origin: Origin, reason: String },
    /// No key was configured where one was looked for.
    #[error("no {what} configured: {hint}")]
    NotConfigured { what: &'static str, hint: String },
    /// `create` refuses to replace an existing secret.
    #[error("{path} already exists; refusing to overwrite a secret")]
    AlreadyExists { path: PathBuf },
    #[error("the operating system's random number generator failed: {detail}")]
    Random { detail: String },
    /// Bytes that are not a vault ciphertext (wrong magic, or shorter than a header and tag).
    #[error("not a vault ciphertext: {reason}")]
    NotCiphertext { reason: &'static str },
    /// The ciphertext names a key the keyring does not hold (retired too early, or another
    /// deployment's data).
    #[error("ciphertext was sealed with key {key_id}, which is not in the keyring (keys: {known})")]
    UnknownKey { key_id: KeyId, known: String },
    /// Authentication failed: the ciphertext or its associated data was altered.
    #[error(
        "ciphertext under key {key_id} failed authentication: altered, or opened with the wrong associated data"
    )]
    Tampered { key_id: KeyId },
    #[error("encryption failed under key {key_id}")]
    Encrypt { key_id: KeyId },
    /// Rotation and retirement edit a keyring; these are refused for invalid requests.
    #[error("keyring: {reason}")]
    Keyring { reason: String },
}

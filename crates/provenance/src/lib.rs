//! `attache-provenance`: proof that a published statement is the ministry's, unaltered.
//!
//! [`keygen`] makes an Ed25519 key pair (private key PKCS#8 PEM, mode 0600; public key SPKI PEM
//! beside it, the one to publish). [`sign`] makes a detached [`Manifest`]: the file's SHA-256 and
//! size, the signer, the time, free-form claims, the public key and its id, and a signature over
//! all of them ([`manifest`] documents the layout and the signed bytes). [`verify`] checks a file
//! against a manifest and a set of trusted public keys and says exactly what is wrong
//! ([`Verdict`]); the public `/verify` page calls it with the ministry's published key.
//!
//! A manifest carries its public key, so [`verify`] with the manifest's own key
//! ([`Manifest::public_key`]) proves the file is unaltered since *someone* signed it; only a
//! trusted, published key proves *who* signed it. The binary says which of the two it checked.

pub mod manifest;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

pub use attache_vault::VaultError;
pub use manifest::{MAX_MANIFEST_BYTES, Manifest};

/// What went wrong making keys or signing.
#[derive(Debug, thiserror::Error)]
pub enum ProvenanceError {
    #[error(transparent)]
    Key(#[from] VaultError),
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
}

/// Longest signer name or claim key, in bytes.
pub const MAX_NAME_BYTES: usize = 256;
/// Longest claim value, in bytes.
pub const MAX_CLAIM_BYTES: usize = 4096;

/// Creates a key pair: the private key at `key_path` (0600; refuses to overwrite) and the public
/// key at `<key_path>.pub`. Returns the public key's path and the key id.
pub fn keygen(key_path: &Path) -> Result<(PathBuf, String), ProvenanceError> {
    let key = attache_vault::ed25519::generate()?;
    let pub_path = attache_vault::ed25519::write_new_keypair(key_path, &key)?;
    Ok((
        pub_path,
        attache_vault::ed25519::key_id(&key.verifying_key()),
    ))
}

/// Reads a private key file (which must be private to its owner).
pub fn read_key(path: &Path) -> Result<SigningKey, ProvenanceError> {
    Ok(attache_vault::ed25519::read_signing_key(path)?)
}

/// Reads a public key file (one or more keys).
pub fn read_public_keys(path: &Path) -> Result<Vec<VerifyingKey>, ProvenanceError> {
    Ok(attache_vault::ed25519::read_public_keys(path)?)
}

/// What is signed besides the file itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The file's name as published (no directories).
    pub file_name: String,
    /// Who signs (an office, a person).
    pub signer: String,
    /// Free-form claims: `title`, `language`, `reference`...
    pub claims: BTreeMap<String, String>,
}

fn check_text(
    field: &'static str,
    s: &str,
    max: usize,
    allow_empty: bool,
) -> Result<(), ProvenanceError> {
    let bad = |reason: String| Err(ProvenanceError::Invalid { field, reason });
    if s.is_empty() && !allow_empty {
        return bad("empty".into());
    }
    if s.len() > max {
        return bad(format!("{} bytes (at most {max})", s.len()));
    }
    if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return bad(format!("{s:?} contains a control character"));
    }
    Ok(())
}

/// Signs `file` (its bytes) as `statement` at `signed_at`.
pub fn sign(
    file: &[u8],
    statement: &Statement,
    key: &SigningKey,
    signed_at: jiff::Timestamp,
) -> Result<Manifest, ProvenanceError> {
    check_text("file name", &statement.file_name, MAX_NAME_BYTES, false)?;
    if statement.file_name.contains(['/', '\\']) {
        return Err(ProvenanceError::Invalid {
            field: "file name",
            reason: format!("{:?} has a directory part", statement.file_name),
        });
    }
    check_text("signer", &statement.signer, MAX_NAME_BYTES, false)?;
    for (k, v) in &statement.claims {
        check_text("claim name", k, MAX_NAME_BYTES, false)?;
        check_text("claim value", v, MAX_CLAIM_BYTES, true)?;
    }
    let public_key = key.verifying_key();
    let mut m = Manifest {
        file_name: statement.file_name.clone(),
        size: file.len() as u64,
        sha256: Sha256::digest(file).into(),
        signer: statement.signer.clone(),
        signed_at: format!(
            "{:.0}",
            signed_at.round(jiff::Unit::Second).unwrap_or(signed_at)
        ),
        claims: statement.claims.clone(),
        key_id: attache_vault::ed25519::key_id(&public_key),
        public_key,
        signature: [0; 64],
    };
    m.signature = key.sign(&m.signed_bytes()).to_bytes();
    Ok(m)
}

/// The outcome of checking a file against a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The file is the one signed, and the signature is by a trusted key.
    Valid {
        signer: String,
        signed_at: String,
        key_id: String,
        file_name: String,
        claims: BTreeMap<String, String>,
    },
    /// The manifest is authentic but the file is not the one signed.
    DigestMismatch {
        expected: String,
        actual: String,
        expected_size: u64,
        actual_size: u64,
    },
    /// The manifest's signature does not verify: the manifest was altered or forged.
    BadSignature { key_id: String },
    /// The manifest is signed with a key that is not among the trusted ones.
    UnknownKey { key_id: String },
    /// The manifest cannot be read.
    Malformed { reason: String },
}

impl Verdict {
    pub fn is_valid(&self) -> bool {
        matches!(self, Verdict::Valid { .. })
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Verdict::Valid {
                signer,
                signed_at,
                key_id,
                file_name,
                ..
            } => {
                write!(
                    f,
                    "valid: {file_name:?} signed by {signer:?} at {signed_at} with key {key_id}"
                )
            }
            Verdict::DigestMismatch {
                expected,
                actual,
                expected_size,
                actual_size,
            } => write!(
                f,
                "the file is not the one signed: sha256 {actual} ({actual_size} bytes), the manifest signs sha256 {expected} ({expected_size} bytes)"
            ),
            Verdict::BadSignature { key_id } => {
                write!(
                    f,
                    "the manifest's signature does not verify under key {key_id}: the manifest was altered or forged"
                )
            }
            Verdict::UnknownKey { key_id } => write!(
                f,
                "the manifest is signed with key {key_id}, which is not a trusted key"
            ),
            Verdict::Malformed { reason } => write!(f, "malformed manifest: {reason}"),
        }
    }
}

/// Checks `file` against the manifest bytes under the `trusted` public keys.
pub fn verify(file: &[u8], manifest: &[u8], trusted: &[VerifyingKey]) -> Verdict {
    let m = match Manifest::parse(manifest) {
        Ok(m) => m,
        Err(reason) => return Verdict::Malformed { reason },
    };
    if !trusted.contains(&m.public_key) {
        return Verdict::UnknownKey { key_id: m.key_id };
    }
    if m.public_key
        .verify_strict(&m.signed_bytes(), &Signature::from_bytes(&m.signature))
        .is_err()
    {
        return Verdict::BadSignature { key_id: m.key_id };
    }
    let actual: [u8; 32] = Sha256::digest(file).into();
    if actual != m.sha256 || file.len() as u64 != m.size {
        return Verdict::DigestMismatch {
            expected: hex::encode(m.sha256),
            actual: hex::encode(actual),
            expected_size: m.size,
            actual_size: file.len() as u64,
        };
    }
    Verdict::Valid {
        signer: m.signer,
        signed_at: m.signed_at,
        key_id: m.key_id,
        file_name: m.file_name,
        claims: m.claims,
    }
}

#[cfg(test)]
mod tests;

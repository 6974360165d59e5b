//! Signed tree heads: the log's size and root at one moment, signed with the deployment's
//! Ed25519 audit key, and the copy of the latest one kept outside the database.
//!
//! The signed message (version 1) is
//!
//! ```text
//! "attache-audit-sth-v1" 0x00 || u64 big-endian tree size || root (32 bytes)
//!   || u32 big-endian byte length of time || time (RFC 3339, as stored)
//! ```
//!
//! The external head (`audit-head.json` beside the database) is the latest head as JSON,
//! replaced atomically (temporary file, fsync, rename) *after* the database transaction that
//! added its entry commits, and never by an older head; it is at most one head behind the
//! database (see the crate docs for the protocol). A database swapped for an older copy is then
//! shorter than its external head, and verification names the first missing entry.

use std::path::Path;

use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};

use crate::AuditError;
use crate::merkle::Hash;

/// A tree head: `tree_size` entries with Merkle root `root`, signed at `time` by `key_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedTreeHead {
    pub tree_size: u64,
    pub root: Hash,
    /// RFC 3339 UTC, as stored and signed.
    pub time: String,
    pub key_id: String,
    pub signature: [u8; 64],
}

const STH_DOMAIN: &[u8] = b"attache-audit-sth-v1\0";

/// The bytes a tree head's signature covers.
pub fn signed_message(tree_size: u64, root: &Hash, time: &str) -> Vec<u8> {
    let mut m = Vec::with_capacity(STH_DOMAIN.len() + 8 + 32 + 4 + time.len());
    m.extend_from_slice(STH_DOMAIN);
    m.extend_from_slice(&tree_size.to_be_bytes());
    m.extend_from_slice(root);
    m.extend_from_slice(&(time.len() as u32).to_be_bytes());
    m.extend_from_slice(time.as_bytes());
    m
}

/// The audit signing key and its id.
pub struct Signer {
    key: SigningKey,
    key_id: String,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signer({})", self.key_id)
    }
}

impl Signer {
    pub fn new(key: SigningKey) -> Self {
        let key_id = attache_vault::ed25519::key_id(&key.verifying_key());
        Signer { key, key_id }
    }

    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    pub fn verifying_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    /// Signs the head of a tree of `tree_size` entries with `root` at `time`.
    pub fn sign(&self, tree_size: u64, root: Hash, time: String) -> SignedTreeHead {
        let signature = self
            .key
            .sign(&signed_message(tree_size, &root, &time))
            .to_bytes();
        SignedTreeHead {
            tree_size,
            root,
            time,
            key_id: self.key_id.clone(),
            signature,
        }
    }
}

/// The public keys tree heads may be signed with.
#[derive(Debug, Clone)]
pub struct TrustedKeys {
    keys: Vec<(String, VerifyingKey)>,
}

/// Why a tree head's signature was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeadSignature {
    Valid,
    UnknownKey,
    Invalid,
}

impl TrustedKeys {
    pub fn new(keys: impl IntoIterator<Item = VerifyingKey>) -> Self {
        TrustedKeys {
            keys: keys
                .into_iter()
                .map(|k| (attache_vault::ed25519::key_id(&k), k))
                .collect(),
        }
    }

    /// The ids of the trusted keys.
    pub fn ids(&self) -> Vec<&str> {
        self.keys.iter().map(|(id, _)| id.as_str()).collect()
    }

    /// Checks a head's signature under the key its `key_id` names (strict Ed25519 verification).
    pub fn check(&self, head: &SignedTreeHead) -> HeadSignature {
        let Some((_, key)) = self.keys.iter().find(|(id, _)| *id == head.key_id) else {
            return HeadSignature::UnknownKey;
        };
        let msg = signed_message(head.tree_size, &head.root, &head.time);
        let sig = Signature::from_bytes(&head.signature);
        match key.verify_strict(&msg, &sig) {
            Ok(()) => HeadSignature::Valid,
            Err(_) => HeadSignature::Invalid,
        }
    }
}

/// The external head file's JSON layout.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct HeadFile {
    format: String,
    version: u32,
    tree_size: u64,
    root: String,
    time: String,
    key_id: String,
    signature: String,
}

const HEAD_FORMAT: &str = "attache-audit-head";

/// Reads the external head; `None` if the file does not exist.
pub fn read_external(path: &Path) -> Result<Option<SignedTreeHead>, AuditError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(AuditError::Io {
                path: path.to_path_buf(),
                op: "reading the external head",
                source,
            });
        }
    };
    let bad = |reason: String| AuditError::HeadFile {
        path: path.to_path_buf(),
        reason,
    };
    let f: HeadFile = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    if f.format != HEAD_FORMAT || f.version != 1 {
        return Err(bad(format!(
            "format {:?} version {}, expected {HEAD_FORMAT:?} version 1",
            f.format, f.version
        )));
    }
    let root = hex::decode(&f.root)
        .ok()
        .and_then(|v| <Hash>::try_from(v).ok())
        .ok_or_else(|| bad("root is not 64 hex digits".into()))?;
    let signature = hex::decode(&f.signature)
        .ok()
        .and_then(|v| <[u8; 64]>::try_from(v).ok())
        .ok_or_else(|| bad("signature is not 128 hex digits".into()))?;
    Ok(Some(SignedTreeHead {
        tree_size: f.tree_size,
        root,
        time: f.time,
        key_id: f.key_id,
        signature,
    }))
}

/// The head as the JSON of the external head file (also what `attache audit head` prints).
pub fn to_json(head: &SignedTreeHead) -> String {
    let f = HeadFile {
        format: HEAD_FORMAT.into(),
        version: 1,
        tree_size: head.tree_size,
        root: hex::encode(head.root),
        time: head.time.clone(),
        key_id: head.key_id.clone(),
        signature: hex::encode(head.signature),
    };
    let mut text = serde_json::to_string_pretty(&f).expect("a head serialises");
    text.push('\n');
    text
}

/// Replaces the external head atomically (temporary file, fsync, rename).
pub fn write_external(path: &Path, head: &SignedTreeHead) -> Result<(), AuditError> {
    attache_vault::files::replace(path, to_json(head).as_bytes(), 0o644).map_err(|e| {
        AuditError::HeadFile {
            path: path.to_path_buf(),
            reason: format!("writing: {e}"),
        }
    })
}

/// Removes the external head (a reanchor of a log that has no entries).
pub(crate) fn remove_external(path: &Path) -> Result<(), AuditError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(AuditError::Io {
            path: path.to_path_buf(),
            op: "removing the external head",
            source,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer(b: u8) -> Signer {
        Signer::new(SigningKey::from_bytes(&[b; 32]))
    }

    #[test]
    fn signatures_check_against_the_named_key_only() {
        let s = signer(1);
        let trusted = TrustedKeys::new([s.verifying_key()]);
        let head = s.sign(5, [9; 32], "2025-01-01T00:00:00.000000Z".into());
        assert_eq!(trusted.check(&head), HeadSignature::Valid);
        for alter in [
            |h: &mut SignedTreeHead| h.tree_size += 1,
            |h: &mut SignedTreeHead| h.root[0] ^= 1,
            |h: &mut SignedTreeHead| h.time.push(' '),
            |h: &mut SignedTreeHead| h.signature[10] ^= 1,
        ] {
            let mut h = head.clone();
            alter(&mut h);
            assert_eq!(trusted.check(&h), HeadSignature::Invalid);
        }
        let forged = signer(2).sign(5, [9; 32], head.time.clone());
        assert_eq!(trusted.check(&forged), HeadSignature::UnknownKey);
        let mut lying = forged.clone();
        lying.key_id = head.key_id.clone();
        assert_eq!(trusted.check(&lying), HeadSignature::Invalid);
    }

    #[test]
    fn external_head_round_trips() {
        let t = tempfile::tempdir().unwrap();
        let p = t.path().join("audit-head.json");
        assert_eq!(read_external(&p).unwrap(), None);
        let head = signer(1).sign(3, [7; 32], "2025-01-01T00:00:00.000000Z".into());
        write_external(&p, &head).unwrap();
        assert_eq!(read_external(&p).unwrap(), Some(head));
        std::fs::write(&p, "{\"format\":\"x\"}").unwrap();
        let e = read_external(&p).unwrap_err().to_string();
        assert!(e.contains("audit-head.json"), "{e}");
    }
}

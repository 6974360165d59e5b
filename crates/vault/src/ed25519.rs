//! Ed25519 key files: the audit log's signing key and the ministry's statement key.
//!
//! Private keys are PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`, the format `openssl genpkey
//! -algorithm ed25519` writes), mode 0600; public keys are SPKI PEM (`-----BEGIN PUBLIC KEY-----`),
//! and a public key file may hold several (a list of trusted keys, e.g. across a rotation).
//! A key id is `ed25519:` and the first 16 hex digits of SHA-256 of the 32-byte public key.

use std::path::{Path, PathBuf};

use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{Origin, VaultError};
use crate::files;

pub use ed25519_dalek;

/// The id of an Ed25519 public key, e.g. `ed25519:3f1c0a9be2d47715`.
pub fn key_id(key: &VerifyingKey) -> String {
    let d = Sha256::digest(key.as_bytes());
    format!("ed25519:{}", hex::encode(&d[..8]))
}

/// A fresh signing key from the operating system's random number generator.
pub fn generate() -> Result<SigningKey, VaultError> {
    let mut seed = Zeroizing::new([0u8; 32]);
    crate::random_fill(seed.as_mut_slice())?;
    Ok(SigningKey::from_bytes(&seed))
}

/// A signing key from its 32-byte seed in standard base64 (the environment-variable form).
pub fn signing_key_from_base64(text: &str, origin: &Origin) -> Result<SigningKey, VaultError> {
    use base64::Engine;
    let bad = |reason: String| VaultError::BadPem {
        origin: origin.clone(),
        reason,
    };
    let raw = Zeroizing::new(
        base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map_err(|e| bad(format!("not base64 ({e})")))?,
    );
    let seed: [u8; 32] = raw.as_slice().try_into().map_err(|_| {
        bad(format!(
            "an Ed25519 seed is 32 bytes, this is {}",
            raw.len()
        ))
    })?;
    Ok(SigningKey::from_bytes(&seed))
}

/// PKCS#8 PEM text of a signing key (secret).
pub fn signing_key_to_pem(key: &SigningKey) -> Result<Zeroizing<String>, VaultError> {
    key.to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| VaultError::BadPem {
            origin: Origin::Memory,
            reason: format!("encoding PKCS#8: {e}"),
        })
}

/// A signing key from PKCS#8 PEM text.
pub fn signing_key_from_pem(text: &str, origin: &Origin) -> Result<SigningKey, VaultError> {
    SigningKey::from_pkcs8_pem(text.trim()).map_err(|e| VaultError::BadPem {
        origin: origin.clone(),
        reason: format!("not an Ed25519 PKCS#8 private key in PEM ({e})"),
    })
}

/// SPKI PEM text of a public key.
pub fn public_key_to_pem(key: &VerifyingKey) -> String {
    // Encoding 32 bytes into a fixed structure cannot fail.
    key.to_public_key_pem(LineEnding::LF)
        .expect("encoding an Ed25519 public key as SPKI PEM")
}

/// Every public key in a PEM text of one or more `PUBLIC KEY` blocks (at least one).
pub fn public_keys_from_pem(text: &str, origin: &Origin) -> Result<Vec<VerifyingKey>, VaultError> {
    const BEGIN: &str = "-----BEGIN PUBLIC KEY-----";
    const END: &str = "-----END PUBLIC KEY-----";
    let bad = |reason: String| VaultError::BadPem {
        origin: origin.clone(),
        reason,
    };
    let mut keys = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(BEGIN) {
        let end = rest[start..]
            .find(END)
            .ok_or_else(|| bad(format!("block {} has no END line", keys.len() + 1)))?;
        let block = &rest[start..start + end + END.len()];
        keys.push(VerifyingKey::from_public_key_pem(block).map_err(|e| {
            bad(format!(
                "block {}: not an Ed25519 public key ({e})",
                keys.len() + 1
            ))
        })?);
        rest = &rest[start + end + END.len()..];
    }
    if keys.is_empty() {
        return Err(bad("no -----BEGIN PUBLIC KEY----- block".into()));
    }
    Ok(keys)
}

/// The public key file that goes with a private key file: the same path with `.pub` appended.
pub fn public_path(key_path: &Path) -> PathBuf {
    let mut s = key_path.as_os_str().to_os_string();
    s.push(".pub");
    PathBuf::from(s)
}

/// Writes a new key pair: the private key at `key_path` (0600, refusing to overwrite) and the
/// public key at [`public_path`] (0644). Returns the public key's path.
pub fn write_new_keypair(key_path: &Path, key: &SigningKey) -> Result<PathBuf, VaultError> {
    let pub_path = public_path(key_path);
    if pub_path.exists() {
        return Err(VaultError::AlreadyExists { path: pub_path });
    }
    files::create_new(
        key_path,
        signing_key_to_pem(key)?.as_bytes(),
        files::FILE_MODE,
    )?;
    files::create_new(
        &pub_path,
        public_key_to_pem(&key.verifying_key()).as_bytes(),
        files::PUBLIC_MODE,
    )?;
    Ok(pub_path)
}

/// Reads a private key file (which must be private to its owner).
pub fn read_signing_key(path: &Path) -> Result<SigningKey, VaultError> {
    let bytes = files::read_private(path)?;
    let origin = Origin::File(path.to_path_buf());
    let text = std::str::from_utf8(&bytes).map_err(|_| VaultError::BadPem {
        origin: origin.clone(),
        reason: "not UTF-8".into(),
    })?;
    signing_key_from_pem(text, &origin)
}

/// Reads a public key file of one or more keys.
pub fn read_public_keys(path: &Path) -> Result<Vec<VerifyingKey>, VaultError> {
    let text = std::fs::read_to_string(path).map_err(|source| VaultError::Io {
        path: path.to_path_buf(),
        op: "reading the public key file",
        source,
    })?;
    public_keys_from_pem(&text, &Origin::File(path.to_path_buf()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, Verifier};

    #[test]
    fn pem_round_trips_and_ids() {
        let k = SigningKey::from_bytes(&[7u8; 32]);
        let pem = signing_key_to_pem(&k).unwrap();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
        let back = signing_key_from_pem(&pem, &Origin::Memory).unwrap();
        assert_eq!(back.to_bytes(), k.to_bytes());
        let pubs = format!(
            "{}\n{}",
            public_key_to_pem(&k.verifying_key()),
            public_key_to_pem(&generate().unwrap().verifying_key())
        );
        let keys = public_keys_from_pem(&pubs, &Origin::Memory).unwrap();
        assert_eq!(keys.len(), 2);
        assert_eq!(keys[0], k.verifying_key());
        let id = key_id(&k.verifying_key());
        assert!(id.starts_with("ed25519:") && id.len() == 8 + 16, "{id}");
        assert_ne!(id, key_id(&keys[1]));
        let sig = back.sign(b"m");
        assert!(keys[0].verify(b"m", &sig).is_ok());
    }

    #[test]
    fn rfc8410_test_key_parses() {
        // RFC 8410 section 10.3: an Ed25519 private key in PKCS#8 PEM, and section 10.1: its
        // public key (as printed there) in SPKI PEM.
        let private = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----\n";
        let public = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n";
        let k = signing_key_from_pem(private, &Origin::Memory).unwrap();
        let p = public_keys_from_pem(public, &Origin::Memory).unwrap();
        assert_eq!(k.verifying_key(), p[0]);
        assert_eq!(
            hex::encode(k.to_bytes()),
            "d4ee72dbf913584ad5b6d8f1f769f8ad3afe7c28cbf1d4fbe097a88f44755842"
        );
    }

    fn check_bad_pem(text: &str, needle: &str) {
        let e = public_keys_from_pem(text, &Origin::Env("X"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains(needle) && e.contains("environment variable X"),
            "{text:?}: {e}"
        );
    }

    #[test]
    fn bad_public_keys() {
        check_bad_pem("", "no -----BEGIN PUBLIC KEY----- block");
        check_bad_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n", "no END line");
        check_bad_pem(
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
            "block 1: not an Ed25519 public key",
        );
        assert!(signing_key_from_pem("junk", &Origin::Memory).is_err());
        assert!(
            signing_key_from_base64("AAAA", &Origin::Memory)
                .unwrap_err()
                .to_string()
                .contains("32 bytes, this is 3")
        );
    }

    #[cfg(unix)]
    #[test]
    fn keypair_files() {
        let t = tempfile::tempdir().unwrap();
        let p = t.path().join("statement.key");
        let k = generate().unwrap();
        let pubp = write_new_keypair(&p, &k).unwrap();
        assert_eq!(pubp, t.path().join("statement.key.pub"));
        assert_eq!(read_signing_key(&p).unwrap().to_bytes(), k.to_bytes());
        assert_eq!(read_public_keys(&pubp).unwrap(), vec![k.verifying_key()]);
        assert!(matches!(
            write_new_keypair(&p, &k),
            Err(VaultError::AlreadyExists { .. })
        ));
    }
}

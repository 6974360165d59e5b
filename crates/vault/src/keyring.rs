//! The vault keyring: one active 256-bit key that seals, older keys that only open, and the
//! text key-file format.
//!
//! Key file format (UTF-8, one key a line; `#` comments and blank lines ignored):
//!
//! ```text
//! # Attaché vault keyring
//! active <base64 of 32 bytes>
//! decrypt-only <base64 of 32 bytes>
//! ```
//!
//! Exactly one `active` line; any number of `decrypt-only` lines; no key twice. The environment
//! form (`ATTACHE_VAULT_KEY`) is a comma-separated list of base64 keys, the first active.
//!
//! A [`KeyId`] is the first 8 bytes of SHA-256(`"attache-vault-key-id\0"` || key): it names a
//! key in ciphertexts, errors and listings without revealing it.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{Origin, VaultError};

/// Bytes in a vault key (256 bits).
pub const KEY_BYTES: usize = 32;

/// The public name of a vault key: 8 bytes of a domain-separated SHA-256 of the key.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(pub [u8; 8]);

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({self})")
    }
}

impl std::str::FromStr for KeyId {
    type Err = VaultError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut id = [0u8; 8];
        hex::decode_to_slice(s, &mut id).map_err(|_| VaultError::Keyring {
            reason: format!("{s:?} is not a key id (16 hex digits)"),
        })?;
        Ok(KeyId(id))
    }
}

/// One 256-bit key, zeroed when dropped. `Debug` shows the id only.
#[derive(Clone)]
pub struct VaultKey {
    id: KeyId,
    bytes: Zeroizing<[u8; KEY_BYTES]>,
}

impl fmt::Debug for VaultKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VaultKey({})", self.id)
    }
}

impl VaultKey {
    /// The key made of these bytes (the pure constructor; loaders and tests use it).
    pub fn from_bytes(bytes: [u8; KEY_BYTES]) -> Self {
        let bytes = Zeroizing::new(bytes);
        let mut h = Sha256::new();
        h.update(b"attache-vault-key-id\0");
        h.update(bytes.as_slice());
        let digest = h.finalize();
        let mut id = [0u8; 8];
        id.copy_from_slice(&digest[..8]);
        VaultKey {
            id: KeyId(id),
            bytes,
        }
    }

    /// A fresh key from the operating system's random number generator.
    pub fn generate() -> Result<Self, VaultError> {
        let mut bytes = Zeroizing::new([0u8; KEY_BYTES]);
        crate::random_fill(bytes.as_mut_slice())?;
        Ok(VaultKey::from_bytes(*bytes))
    }

    /// A key from standard base64 (padded) of exactly 32 bytes. The error says why, never what.
    pub fn from_base64(text: &str) -> Result<Self, String> {
        let raw = Zeroizing::new(
            B64.decode(text.trim())
                .map_err(|e| format!("not base64 ({e})"))?,
        );
        let bytes: [u8; KEY_BYTES] = raw
            .as_slice()
            .try_into()
            .map_err(|_| format!("a key is {KEY_BYTES} bytes, this is {}", raw.len()))?;
        Ok(VaultKey::from_bytes(bytes))
    }

    /// The key as standard base64 (for writing a key file).
    fn to_base64(&self) -> Zeroizing<String> {
        Zeroizing::new(B64.encode(self.bytes.as_slice()))
    }

    pub fn id(&self) -> KeyId {
        self.id
    }

    pub(crate) fn bytes(&self) -> &[u8; KEY_BYTES] {
        &self.bytes
    }
}

/// Whether a key in a keyring seals new data or only opens old data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStatus {
    Active,
    DecryptOnly,
}

impl KeyStatus {
    /// The word used in key files and listings.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyStatus::Active => "active",
            KeyStatus::DecryptOnly => "decrypt-only",
        }
    }
}

/// One active key and any number of decrypt-only keys, all distinct.
#[derive(Clone, Debug)]
pub struct Keyring {
    active: VaultKey,
    older: Vec<VaultKey>,
}

impl Keyring {
    /// A keyring of one key.
    pub fn new(active: VaultKey) -> Self {
        Keyring {
            active,
            older: Vec::new(),
        }
    }

    /// A keyring with decrypt-only keys (newest first, by convention). Refuses duplicates.
    pub fn with_older(active: VaultKey, older: Vec<VaultKey>) -> Result<Self, VaultError> {
        let ring = Keyring { active, older };
        let mut ids: Vec<KeyId> = ring.keys().map(|(k, _)| k.id).collect();
        ids.sort();
        if let Some(w) = ids.windows(2).find(|w| w[0] == w[1]) {
            return Err(VaultError::Keyring {
                reason: format!("key {} appears twice", w[0]),
            });
        }
        Ok(ring)
    }

    /// A keyring of one fresh random key.
    pub fn generate() -> Result<Self, VaultError> {
        Ok(Keyring::new(VaultKey::generate()?))
    }

    /// Parses the key-file format (see the module docs). `origin` is named in errors.
    pub fn parse_keyfile(text: &str, origin: &Origin) -> Result<Self, VaultError> {
        let bad = |line: usize, reason: String| VaultError::BadKeyring {
            origin: origin.clone(),
            line,
            reason,
        };
        let mut active: Option<VaultKey> = None;
        let mut older = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (word, b64) = line.split_once(char::is_whitespace).ok_or_else(|| {
                bad(
                    i + 1,
                    "expected `active <base64>` or `decrypt-only <base64>`".into(),
                )
            })?;
            let key = VaultKey::from_base64(b64).map_err(|r| bad(i + 1, r))?;
            match word {
                "active" if active.is_some() => {
                    return Err(bad(i + 1, "a second `active` key".into()));
                }
                "active" => active = Some(key),
                "decrypt-only" => older.push(key),
                other => {
                    return Err(bad(
                        i + 1,
                        format!("unknown key status {other:?} (active or decrypt-only)"),
                    ));
                }
            }
        }
        let active = active.ok_or_else(|| bad(0, "no `active` key".into()))?;
        Keyring::with_older(active, older).map_err(|e| bad(0, e.to_string()))
    }

    /// Parses the environment form: comma-separated base64 keys, the first active.
    pub fn parse_env(value: &str, origin: &Origin) -> Result<Self, VaultError> {
        let bad = |reason: String| VaultError::BadKeyring {
            origin: origin.clone(),
            line: 0,
            reason,
        };
        let mut keys = Vec::new();
        for (n, part) in value.split(',').enumerate() {
            keys.push(VaultKey::from_base64(part).map_err(|r| bad(format!("key {}: {r}", n + 1)))?);
        }
        let active = keys.remove(0);
        Keyring::with_older(active, keys).map_err(|e| bad(e.to_string()))
    }

    /// The key-file text of this keyring (secret: write it with [`crate::files`]).
    pub fn to_keyfile(&self) -> Zeroizing<String> {
        let mut out = Zeroizing::new(String::from(
            "# Attaché vault keyring. The active key seals; decrypt-only keys open older data.\n\
             # Secret: never copy this into the database, logs or version control.\n",
        ));
        for (key, status) in self.keys() {
            out.push_str(status.as_str());
            out.push(' ');
            out.push_str(&key.to_base64());
            out.push('\n');
        }
        out
    }

    /// The active key's id.
    pub fn active_id(&self) -> KeyId {
        self.active.id
    }

    pub(crate) fn active(&self) -> &VaultKey {
        &self.active
    }

    /// Every key with its status, the active one first.
    pub fn keys(&self) -> impl Iterator<Item = (&VaultKey, KeyStatus)> {
        std::iter::once((&self.active, KeyStatus::Active))
            .chain(self.older.iter().map(|k| (k, KeyStatus::DecryptOnly)))
    }

    /// The key with this id, if held.
    pub(crate) fn get(&self, id: KeyId) -> Option<&VaultKey> {
        self.keys().map(|(k, _)| k).find(|k| k.id == id)
    }

    /// The ids of all keys, comma-separated (for errors).
    pub(crate) fn id_list(&self) -> String {
        self.keys()
            .map(|(k, _)| k.id.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Makes `key` the active key; the previous active key becomes decrypt-only (first among
    /// the older keys). Refuses a key already in the ring.
    pub fn rotate_to(&mut self, key: VaultKey) -> Result<(), VaultError> {
        if self.get(key.id).is_some() {
            return Err(VaultError::Keyring {
                reason: format!("key {} is already in the keyring", key.id),
            });
        }
        let previous = std::mem::replace(&mut self.active, key);
        self.older.insert(0, previous);
        Ok(())
    }

    /// Rotates to a fresh random key and returns its id.
    pub fn rotate(&mut self) -> Result<KeyId, VaultError> {
        let key = VaultKey::generate()?;
        let id = key.id;
        self.rotate_to(key)?;
        Ok(id)
    }

    /// Drops a decrypt-only key. Anything still sealed under it becomes unreadable, so rewrap
    /// first. The active key cannot be retired.
    pub fn retire(&mut self, id: KeyId) -> Result<(), VaultError> {
        if self.active.id == id {
            return Err(VaultError::Keyring {
                reason: format!("key {id} is the active key; rotate before retiring it"),
            });
        }
        let before = self.older.len();
        self.older.retain(|k| k.id != id);
        if self.older.len() == before {
            return Err(VaultError::Keyring {
                reason: format!("key {id} is not in the keyring (keys: {})", self.id_list()),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(b: u8) -> VaultKey {
        VaultKey::from_bytes([b; KEY_BYTES])
    }

    fn check_keyfile(text: &str, expect: Result<(KeyId, usize), &str>) {
        let got = Keyring::parse_keyfile(text, &Origin::Memory);
        match (got, expect) {
            (Ok(ring), Ok((active, n))) => {
                assert_eq!(ring.active_id(), active, "{text:?}");
                assert_eq!(ring.keys().count(), n, "{text:?}");
            }
            (Err(e), Err(needle)) => assert!(e.to_string().contains(needle), "{text:?}: {e}"),
            (got, expect) => panic!("{text:?}: got {got:?}, expected {expect:?}"),
        }
    }

    #[test]
    fn keyfile_format() {
        let a = B64.encode([1u8; 32]);
        let b = B64.encode([2u8; 32]);
        check_keyfile(&format!("active {a}\n"), Ok((key(1).id(), 1)));
        check_keyfile(
            &format!("# c\n\n  active   {a}  \ndecrypt-only {b}\n"),
            Ok((key(1).id(), 2)),
        );
        check_keyfile(
            &format!("decrypt-only {b}\nactive {a}\n"),
            Ok((key(1).id(), 2)),
        );
        check_keyfile(&format!("decrypt-only {b}\n"), Err("no `active` key"));
        check_keyfile(
            &format!("active {a}\nactive {b}\n"),
            Err("line 2: a second `active` key"),
        );
        check_keyfile(
            &format!("active {a}\ndecrypt-only {a}\n"),
            Err("appears twice"),
        );
        check_keyfile(
            &format!("current {a}\n"),
            Err("line 1: unknown key status \"current\""),
        );
        check_keyfile("active AAAA\n", Err("a key is 32 bytes, this is 3"));
        check_keyfile("active !!!\n", Err("not base64"));
        check_keyfile(&a, Err("line 1: expected `active <base64>`"));
    }

    #[test]
    fn keyfile_round_trip_and_errors_never_show_the_key() {
        let mut ring = Keyring::new(key(1));
        ring.rotate_to(key(2)).unwrap();
        ring.rotate_to(key(3)).unwrap();
        let text = ring.to_keyfile();
        let back = Keyring::parse_keyfile(&text, &Origin::Memory).unwrap();
        let ids: Vec<_> = back.keys().map(|(k, s)| (k.id(), s)).collect();
        assert_eq!(
            ids,
            vec![
                (key(3).id(), KeyStatus::Active),
                (key(2).id(), KeyStatus::DecryptOnly),
                (key(1).id(), KeyStatus::DecryptOnly)
            ]
        );
        let a = B64.encode([7u8; 32]);
        let e = Keyring::parse_keyfile(&format!("active {a}\nactive {a}\n"), &Origin::Memory)
            .unwrap_err();
        assert!(!e.to_string().contains(&a), "{e}");
        assert!(!format!("{:?}", key(7)).contains(&a));
    }

    #[test]
    fn env_form_first_is_active() {
        let v = format!("{},{}", B64.encode([5u8; 32]), B64.encode([6u8; 32]));
        let ring = Keyring::parse_env(&v, &Origin::Env("ATTACHE_VAULT_KEY")).unwrap();
        assert_eq!(ring.active_id(), key(5).id());
        assert_eq!(ring.keys().count(), 2);
        let e = Keyring::parse_env("", &Origin::Env("ATTACHE_VAULT_KEY")).unwrap_err();
        assert!(
            e.to_string()
                .contains("environment variable ATTACHE_VAULT_KEY"),
            "{e}"
        );
    }

    #[test]
    fn rotate_and_retire() {
        let mut ring = Keyring::new(key(1));
        assert!(ring.rotate_to(key(1)).is_err());
        ring.rotate_to(key(2)).unwrap();
        assert_eq!(ring.active_id(), key(2).id());
        assert!(
            ring.retire(key(2).id())
                .unwrap_err()
                .to_string()
                .contains("active key")
        );
        ring.retire(key(1).id()).unwrap();
        assert!(
            ring.retire(key(1).id())
                .unwrap_err()
                .to_string()
                .contains("not in the keyring")
        );
        assert_eq!(ring.keys().count(), 1);
        let fresh = ring.rotate().unwrap();
        assert_eq!(ring.active_id(), fresh);
        assert_ne!(fresh, key(2).id());
    }

    #[test]
    fn key_ids_are_stable_and_distinct() {
        // Pinned: the id scheme is part of every stored ciphertext. Computed independently:
        // python3 -c "import hashlib; print(hashlib.sha256(b'attache-vault-key-id\0' + bytes(32)).hexdigest()[:16])"
        assert_eq!(key(0).id().to_string(), "538a31ecf6643d97");
        assert_ne!(key(0).id(), key(1).id());
        assert_eq!(key(9).id(), VaultKey::from_bytes([9; 32]).id());
        assert_eq!(
            "0011223344556677".parse::<KeyId>().unwrap().to_string(),
            "0011223344556677"
        );
        assert!("xyz".parse::<KeyId>().is_err());
    }
}

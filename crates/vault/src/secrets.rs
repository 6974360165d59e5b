//! Where a deployment's secrets live, and loading them.
//!
//! One *secrets directory* (mode 0700) holds:
//!
//! | file | what | mode |
//! |---|---|---|
//! | `vault.keys` | the vault keyring (see [`crate::keyring`]) | 0600 |
//! | `audit-signing.key` | the audit log's Ed25519 signing key (PKCS#8 PEM) | 0600 |
//! | `audit-signing.pub` | public keys that audit tree heads may be signed with (SPKI PEM, one or more) | 0644 |
//!
//! Environment variables take precedence over the files, for deployments that inject secrets
//! (systemd credentials, container secrets):
//!
//! - `ATTACHE_VAULT_KEY`: the keyring inline, comma-separated base64 keys, the first active;
//! - `ATTACHE_VAULT_KEY_FILE`: a keyring file elsewhere;
//! - `ATTACHE_AUDIT_SIGNING_KEY`: the audit signing key inline, base64 of its 32-byte seed;
//! - `ATTACHE_AUDIT_SIGNING_KEY_FILE`: an audit signing key file elsewhere.
//!
//! The directory itself is chosen by the binary (`--secrets-dir`, `ATTACHE_SECRETS_DIR`,
//! default `<data-dir>/secrets`). Nothing here is ever written to the database or a log; the
//! database only ever sees key *ids*.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ed25519_dalek::{SigningKey, VerifyingKey};
use zeroize::Zeroizing;

use crate::error::{Origin, VaultError};
use crate::keyring::Keyring;
use crate::{ed25519, files};

pub const ENV_VAULT_KEY: &str = "ATTACHE_VAULT_KEY";
pub const ENV_VAULT_KEY_FILE: &str = "ATTACHE_VAULT_KEY_FILE";
pub const ENV_AUDIT_SIGNING_KEY: &str = "ATTACHE_AUDIT_SIGNING_KEY";
pub const ENV_AUDIT_SIGNING_KEY_FILE: &str = "ATTACHE_AUDIT_SIGNING_KEY_FILE";
/// Every variable [`Secrets::from_env`] reads.
pub const ENV_VARS: [&str; 4] = [
    ENV_VAULT_KEY,
    ENV_VAULT_KEY_FILE,
    ENV_AUDIT_SIGNING_KEY,
    ENV_AUDIT_SIGNING_KEY_FILE,
];

pub const VAULT_KEYRING_FILE: &str = "vault.keys";
pub const AUDIT_SIGNING_KEY_FILE: &str = "audit-signing.key";
pub const AUDIT_PUBLIC_KEYS_FILE: &str = "audit-signing.pub";

/// A secrets directory plus the environment variables that override it.
#[derive(Clone)]
pub struct Secrets {
    dir: PathBuf,
    env: BTreeMap<&'static str, Zeroizing<String>>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Secrets")
            .field("dir", &self.dir)
            .field("env", &self.env.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// What [`Secrets::init`] created.
#[derive(Debug)]
pub struct Created {
    pub keyring: PathBuf,
    pub vault_key_id: crate::KeyId,
    pub audit_key: PathBuf,
    pub audit_public_keys: PathBuf,
    pub audit_key_id: String,
}

impl Secrets {
    /// Secrets in `dir`, ignoring the environment.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Secrets {
            dir: dir.into(),
            env: BTreeMap::new(),
        }
    }

    /// Secrets in `dir`, overridden by the variables in [`ENV_VARS`] that are set and non-empty.
    pub fn from_env(dir: impl Into<PathBuf>) -> Self {
        let mut s = Secrets::new(dir);
        for var in ENV_VARS {
            if let Some(v) = std::env::var(var).ok().filter(|v| !v.is_empty()) {
                s.env.insert(var, Zeroizing::new(v));
            }
        }
        s
    }

    /// The same, with one variable set (tests; programs that receive secrets another way).
    pub fn with_var(mut self, var: &'static str, value: &str) -> Self {
        self.env.insert(var, Zeroizing::new(value.to_string()));
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn var(&self, var: &str) -> Option<&str> {
        self.env.get(var).map(|v| v.as_str())
    }

    /// Where the keyring is, if it is in a file (`None` when `ATTACHE_VAULT_KEY` holds it).
    pub fn keyring_path(&self) -> Option<PathBuf> {
        if self.var(ENV_VAULT_KEY).is_some() {
            return None;
        }
        Some(
            self.var(ENV_VAULT_KEY_FILE)
                .map(PathBuf::from)
                .unwrap_or_else(|| self.dir.join(VAULT_KEYRING_FILE)),
        )
    }

    /// Where the audit signing key is, if it is in a file.
    pub fn audit_key_path(&self) -> Option<PathBuf> {
        if self.var(ENV_AUDIT_SIGNING_KEY).is_some() {
            return None;
        }
        Some(
            self.var(ENV_AUDIT_SIGNING_KEY_FILE)
                .map(PathBuf::from)
                .unwrap_or_else(|| self.dir.join(AUDIT_SIGNING_KEY_FILE)),
        )
    }

    /// The trusted audit public keys file.
    pub fn audit_public_keys_path(&self) -> PathBuf {
        self.dir.join(AUDIT_PUBLIC_KEYS_FILE)
    }

    /// Loads the vault keyring and says where it came from.
    pub fn keyring(&self) -> Result<(Keyring, Origin), VaultError> {
        if let Some(v) = self.var(ENV_VAULT_KEY) {
            let origin = Origin::Env(ENV_VAULT_KEY);
            return Ok((Keyring::parse_env(v, &origin)?, origin));
        }
        let path = self
            .keyring_path()
            .expect("a file when the variable is unset");
        if !path.exists() {
            return Err(VaultError::NotConfigured {
                what: "vault key",
                hint: format!(
                    "{} does not exist; run `attache keys init`, or set {ENV_VAULT_KEY} or {ENV_VAULT_KEY_FILE}",
                    path.display()
                ),
            });
        }
        let bytes = files::read_private(&path)?;
        let origin = Origin::File(path.clone());
        let text = std::str::from_utf8(&bytes).map_err(|_| VaultError::BadKeyring {
            origin: origin.clone(),
            line: 0,
            reason: "not UTF-8".into(),
        })?;
        Ok((Keyring::parse_keyfile(text, &origin)?, origin))
    }

    /// Replaces the keyring file with `ring` (atomically, 0600). Refused when the keyring comes
    /// from `ATTACHE_VAULT_KEY`: the operator changes that variable instead.
    pub fn save_keyring(&self, ring: &Keyring) -> Result<PathBuf, VaultError> {
        let path = self.keyring_path().ok_or_else(|| VaultError::Keyring {
            reason: format!("the keyring comes from {ENV_VAULT_KEY}; change that variable to rotate (new key first)"),
        })?;
        files::replace(&path, ring.to_keyfile().as_bytes(), files::FILE_MODE)?;
        Ok(path)
    }

    /// Loads the audit signing key and says where it came from.
    pub fn audit_signing_key(&self) -> Result<(SigningKey, Origin), VaultError> {
        if let Some(v) = self.var(ENV_AUDIT_SIGNING_KEY) {
            let origin = Origin::Env(ENV_AUDIT_SIGNING_KEY);
            return Ok((ed25519::signing_key_from_base64(v, &origin)?, origin));
        }
        let path = self
            .audit_key_path()
            .expect("a file when the variable is unset");
        if !path.exists() {
            return Err(VaultError::NotConfigured {
                what: "audit signing key",
                hint: format!(
                    "{} does not exist; run `attache keys init`, or set {ENV_AUDIT_SIGNING_KEY} or {ENV_AUDIT_SIGNING_KEY_FILE}",
                    path.display()
                ),
            });
        }
        Ok((ed25519::read_signing_key(&path)?, Origin::File(path)))
    }

    /// The public keys audit tree heads may be signed with: those in `audit-signing.pub` (if
    /// present) and the current signing key's (if configured). An error if there are none.
    pub fn audit_trusted_keys(&self) -> Result<Vec<VerifyingKey>, VaultError> {
        let mut keys = Vec::new();
        let pub_path = self.audit_public_keys_path();
        if pub_path.exists() {
            keys = ed25519::read_public_keys(&pub_path)?;
        }
        match self.audit_signing_key() {
            Ok((k, _)) => {
                let vk = k.verifying_key();
                if !keys.contains(&vk) {
                    keys.push(vk);
                }
            }
            Err(VaultError::NotConfigured { .. }) if !keys.is_empty() => {}
            Err(e) => return Err(e),
        }
        Ok(keys)
    }

    /// Creates the secrets directory (0700), a fresh vault keyring and a fresh audit signing key
    /// with its public key file. Refuses to overwrite anything that exists; keys supplied by
    /// environment variables are left alone (and no file is made for them).
    pub fn init(&self) -> Result<Created, VaultError> {
        files::ensure_private_dir(&self.dir)?;
        let keyring_path = self.keyring_path();
        let audit_path = self.audit_key_path();
        for p in keyring_path.iter().chain(audit_path.iter()) {
            if p.exists() {
                return Err(VaultError::AlreadyExists { path: p.clone() });
            }
        }
        let (ring, keyring) = match keyring_path {
            Some(p) => {
                let ring = Keyring::generate()?;
                files::create_new(&p, ring.to_keyfile().as_bytes(), files::FILE_MODE)?;
                (ring, p)
            }
            None => (
                self.keyring()?.0,
                PathBuf::from(format!("${ENV_VAULT_KEY}")),
            ),
        };
        let (audit_key, audit_key_path) = match audit_path {
            Some(p) => {
                let k = ed25519::generate()?;
                files::create_new(
                    &p,
                    ed25519::signing_key_to_pem(&k)?.as_bytes(),
                    files::FILE_MODE,
                )?;
                (k, p)
            }
            None => (
                self.audit_signing_key()?.0,
                PathBuf::from(format!("${ENV_AUDIT_SIGNING_KEY}")),
            ),
        };
        let pub_path = self.audit_public_keys_path();
        let vk = audit_key.verifying_key();
        self.trust_audit_key(&vk)?;
        Ok(Created {
            keyring,
            vault_key_id: ring.active_id(),
            audit_key: audit_key_path,
            audit_public_keys: pub_path,
            audit_key_id: ed25519::key_id(&vk),
        })
    }

    /// Adds a public key to `audit-signing.pub` (creating it) unless it is already there.
    pub fn trust_audit_key(&self, key: &VerifyingKey) -> Result<(), VaultError> {
        let path = self.audit_public_keys_path();
        let mut text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(source) => {
                return Err(VaultError::Io {
                    path,
                    op: "reading the public key file",
                    source,
                });
            }
        };
        if !text.is_empty()
            && ed25519::public_keys_from_pem(&text, &Origin::File(path.clone()))?.contains(key)
        {
            return Ok(());
        }
        text.push_str(&ed25519::public_key_to_pem(key));
        files::replace(&path, text.as_bytes(), files::PUBLIC_MODE)
    }

    /// Replaces the audit signing key with a fresh one (the old public key stays trusted, so
    /// old tree heads still verify) and returns the new key's id. Refused when the key comes from
    /// `ATTACHE_AUDIT_SIGNING_KEY`.
    pub fn rotate_audit_key(&self) -> Result<String, VaultError> {
        let path = self.audit_key_path().ok_or_else(|| VaultError::Keyring {
            reason: format!("the audit signing key comes from {ENV_AUDIT_SIGNING_KEY}; change that variable to rotate"),
        })?;
        let (old, _) = self.audit_signing_key()?;
        self.trust_audit_key(&old.verifying_key())?;
        let new = ed25519::generate()?;
        self.trust_audit_key(&new.verifying_key())?;
        files::replace(
            &path,
            ed25519::signing_key_to_pem(&new)?.as_bytes(),
            files::FILE_MODE,
        )?;
        Ok(ed25519::key_id(&new.verifying_key()))
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use base64::Engine;

    #[test]
    fn init_creates_private_files_and_refuses_twice() {
        use std::os::unix::fs::PermissionsExt;
        let t = tempfile::tempdir().unwrap();
        let s = Secrets::new(t.path().join("secrets"));
        let c = s.init().unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(s.dir()), 0o700);
        assert_eq!(mode(&c.keyring), 0o600);
        assert_eq!(mode(&c.audit_key), 0o600);
        assert_eq!(mode(&c.audit_public_keys), 0o644);
        let (ring, origin) = s.keyring().unwrap();
        assert_eq!(ring.active_id(), c.vault_key_id);
        assert_eq!(origin, Origin::File(c.keyring.clone()));
        let (k, _) = s.audit_signing_key().unwrap();
        assert_eq!(s.audit_trusted_keys().unwrap(), vec![k.verifying_key()]);
        assert!(matches!(s.init(), Err(VaultError::AlreadyExists { .. })));
    }

    #[test]
    fn environment_wins_and_missing_keys_say_how_to_fix() {
        let t = tempfile::tempdir().unwrap();
        let s = Secrets::new(t.path().join("s"));
        let e = s.keyring().unwrap_err().to_string();
        assert!(
            e.contains("attache keys init") && e.contains("ATTACHE_VAULT_KEY"),
            "{e}"
        );
        let e = s.audit_signing_key().unwrap_err().to_string();
        assert!(e.contains("audit signing key"), "{e}");
        let b64 = base64::engine::general_purpose::STANDARD.encode([4u8; 32]);
        let s = s
            .with_var(ENV_VAULT_KEY, &b64)
            .with_var(ENV_AUDIT_SIGNING_KEY, &b64);
        let (ring, origin) = s.keyring().unwrap();
        assert_eq!(ring.active_id(), crate::VaultKey::from_bytes([4; 32]).id());
        assert_eq!(origin, Origin::Env(ENV_VAULT_KEY));
        assert!(
            s.save_keyring(&ring)
                .unwrap_err()
                .to_string()
                .contains("change that variable")
        );
        assert_eq!(s.audit_signing_key().unwrap().0.to_bytes(), [4u8; 32]);
        assert!(!format!("{s:?}").contains(&b64));
        // With both keys from the environment, init writes only the public key file.
        let c = s.init().unwrap();
        assert!(!t.path().join("s").join(VAULT_KEYRING_FILE).exists());
        assert!(c.audit_public_keys.exists());
    }

    #[test]
    fn keyring_file_variable_and_rotation_persist() {
        let t = tempfile::tempdir().unwrap();
        let elsewhere = t.path().join("elsewhere.keys");
        let s = Secrets::new(t.path().join("secrets"))
            .with_var(ENV_VAULT_KEY_FILE, elsewhere.to_str().unwrap());
        s.init().unwrap();
        assert!(elsewhere.exists() && !s.dir().join(VAULT_KEYRING_FILE).exists());
        let (mut ring, _) = s.keyring().unwrap();
        let first = ring.active_id();
        let sealed = ring.seal(b"x", b"a").unwrap();
        let second = ring.rotate().unwrap();
        s.save_keyring(&ring).unwrap();
        let (back, _) = s.keyring().unwrap();
        assert_eq!(back.active_id(), second);
        assert_eq!(back.keys().nth(1).unwrap().0.id(), first);
        assert_eq!(&back.open(&sealed, b"a").unwrap()[..], b"x");
    }

    #[test]
    fn audit_key_rotation_keeps_old_key_trusted() {
        let t = tempfile::tempdir().unwrap();
        let s = Secrets::new(t.path().join("secrets"));
        s.init().unwrap();
        let (old, _) = s.audit_signing_key().unwrap();
        let new_id = s.rotate_audit_key().unwrap();
        let (new, _) = s.audit_signing_key().unwrap();
        assert_eq!(ed25519::key_id(&new.verifying_key()), new_id);
        let trusted = s.audit_trusted_keys().unwrap();
        assert!(trusted.contains(&old.verifying_key()) && trusted.contains(&new.verifying_key()));
        assert_eq!(trusted.len(), 2);
    }
}

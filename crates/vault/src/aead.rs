//! Sealing and opening with XChaCha20-Poly1305 under the keyring's keys.
//!
//! Ciphertext layout (all lengths fixed, so the header is unambiguous):
//!
//! ```text
//! "atv1" (4 bytes) | key id (8) | nonce (24, random) | ciphertext | Poly1305 tag (16)
//! ```
//!
//! The AEAD's associated data is the 12-byte header (magic and key id) followed by the caller's
//! `aad`, so neither the key id nor the context (say, `brief:42:body`) can be swapped without the
//! tag failing. Nonces are 192 random bits from the operating system: with XChaCha20 random nonces
//! are safe for any number of messages a deployment will ever seal.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

use crate::VaultError;
use crate::keyring::{KeyId, Keyring, VaultKey};

/// The first bytes of every vault ciphertext (format version 1).
pub const MAGIC: &[u8; 4] = b"atv1";
const ID_LEN: usize = 8;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
const HEADER_LEN: usize = MAGIC.len() + ID_LEN;
/// Bytes a ciphertext adds to its plaintext.
pub const OVERHEAD: usize = HEADER_LEN + NONCE_LEN + TAG_LEN;

/// The result of [`Keyring::rewrap`].
#[derive(Debug, PartialEq, Eq)]
pub enum Rewrapped {
    /// Already sealed under the active key: nothing to write.
    Unchanged,
    /// The same plaintext sealed under the active key with a fresh nonce.
    Resealed(Vec<u8>),
}

/// Whether `bytes` start like a vault ciphertext (a cheap check, not an authentication).
pub fn is_sealed(bytes: &[u8]) -> bool {
    bytes.len() >= OVERHEAD && bytes.starts_with(MAGIC)
}

/// The id of the key a ciphertext was sealed under.
pub fn key_id_of(ciphertext: &[u8]) -> Result<KeyId, VaultError> {
    if !ciphertext.starts_with(MAGIC) {
        return Err(VaultError::NotCiphertext {
            reason: "no \"atv1\" header",
        });
    }
    if ciphertext.len() < OVERHEAD {
        return Err(VaultError::NotCiphertext {
            reason: "shorter than a header, nonce and tag",
        });
    }
    let mut id = [0u8; ID_LEN];
    id.copy_from_slice(&ciphertext[MAGIC.len()..HEADER_LEN]);
    Ok(KeyId(id))
}

fn cipher(key: &VaultKey) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(&(*key.bytes()).into())
}

fn full_aad(header: &[u8], aad: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(header.len() + aad.len());
    v.extend_from_slice(header);
    v.extend_from_slice(aad);
    v
}

impl Keyring {
    /// Encrypts `plaintext` under the active key, binding `aad` (say, the record's id and field:
    /// a ciphertext moved to another record will not open).
    pub fn seal(&self, plaintext: &[u8], aad: &[u8]) -> Result<Vec<u8>, VaultError> {
        let key = self.active();
        let mut out = Vec::with_capacity(plaintext.len() + OVERHEAD);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&key.id().0);
        let mut nonce = [0u8; NONCE_LEN];
        crate::random_fill(&mut nonce)?;
        out.extend_from_slice(&nonce);
        let aad = full_aad(&out[..HEADER_LEN], aad);
        let body = cipher(key)
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: plaintext,
                    aad: &aad,
                },
            )
            .map_err(|_| VaultError::Encrypt { key_id: key.id() })?;
        out.extend_from_slice(&body);
        Ok(out)
    }

    /// Decrypts a ciphertext sealed under any key of the ring with the same `aad`. The plaintext
    /// is zeroed when dropped.
    pub fn open(&self, ciphertext: &[u8], aad: &[u8]) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        let id = key_id_of(ciphertext)?;
        let key = self.get(id).ok_or_else(|| VaultError::UnknownKey {
            key_id: id,
            known: self.id_list(),
        })?;
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&ciphertext[HEADER_LEN..HEADER_LEN + NONCE_LEN]);
        let aad = full_aad(&ciphertext[..HEADER_LEN], aad);
        cipher(key)
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: &ciphertext[HEADER_LEN + NONCE_LEN..],
                    aad: &aad,
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| VaultError::Tampered { key_id: id })
    }

    /// Re-encrypts a ciphertext under the active key (after [`Keyring::rotate`]); opening it
    /// first, so a ciphertext that does not authenticate is an error, never resealed.
    pub fn rewrap(&self, ciphertext: &[u8], aad: &[u8]) -> Result<Rewrapped, VaultError> {
        let plain = self.open(ciphertext, aad)?;
        if key_id_of(ciphertext)? == self.active_id() {
            return Ok(Rewrapped::Unchanged);
        }
        Ok(Rewrapped::Resealed(self.seal(&plain, aad)?))
    }

    /// Whether a ciphertext is sealed under a key other than the active one.
    pub fn needs_rewrap(&self, ciphertext: &[u8]) -> Result<bool, VaultError> {
        Ok(key_id_of(ciphertext)? != self.active_id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keyring::KEY_BYTES;
    use proptest::prelude::*;

    fn key(b: u8) -> VaultKey {
        VaultKey::from_bytes([b; KEY_BYTES])
    }

    #[test]
    fn round_trip_and_layout() {
        let ring = Keyring::new(key(1));
        let ct = ring
            .seal(b"the minister will decline", b"brief:7:body")
            .unwrap();
        assert_eq!(ct.len(), 25 + OVERHEAD);
        assert!(is_sealed(&ct));
        assert_eq!(key_id_of(&ct).unwrap(), key(1).id());
        assert!(
            !ct.windows(7).any(|w| w == b"decline"),
            "plaintext visible in ciphertext"
        );
        assert_eq!(
            &ring.open(&ct, b"brief:7:body").unwrap()[..],
            b"the minister will decline"
        );
        // Fresh nonce each time.
        assert_ne!(
            ct,
            ring.seal(b"the minister will decline", b"brief:7:body")
                .unwrap()
        );
        assert_eq!(
            &ring.open(&ring.seal(b"", b"").unwrap(), b"").unwrap()[..],
            b""
        );
    }

    /// What opening a ciphertext must say: `Ok(plaintext)` or an error containing a needle.
    fn check_open(ring: &Keyring, ct: &[u8], aad: &[u8], expect: Result<&[u8], &str>) {
        match (ring.open(ct, aad), expect) {
            (Ok(p), Ok(want)) => assert_eq!(&p[..], want),
            (Err(e), Err(needle)) => assert!(e.to_string().contains(needle), "{e}"),
            (got, expect) => panic!("got {got:?}, expected {expect:?}"),
        }
    }

    #[test]
    fn wrong_key_wrong_aad_and_tampering_fail() {
        let ring = Keyring::new(key(1));
        let ct = ring.seal(b"secret text", b"brief:1").unwrap();
        check_open(&ring, &ct, b"brief:1", Ok(b"secret text"));
        check_open(&ring, &ct, b"brief:2", Err("failed authentication"));
        check_open(
            &Keyring::new(key(2)),
            &ct,
            b"brief:1",
            Err("not in the keyring"),
        );
        // Same id bytes but another key: forge the header to name key 2's id.
        let other = Keyring::new(key(2));
        let mut forged = ct.clone();
        forged[4..12].copy_from_slice(&key(2).id().0);
        check_open(&other, &forged, b"brief:1", Err("failed authentication"));
        for i in 12..ct.len() {
            let mut bad = ct.clone();
            bad[i] ^= 0x01;
            check_open(&ring, &bad, b"brief:1", Err("failed authentication"));
        }
        check_open(
            &ring,
            &ct[..ct.len() - 1],
            b"brief:1",
            Err("failed authentication"),
        );
        check_open(&ring, &ct[..OVERHEAD - 1], b"brief:1", Err("shorter than"));
        check_open(
            &ring,
            b"plain text that is long enough to be mistaken for a ciphertext",
            b"",
            Err("no \"atv1\" header"),
        );
    }

    #[test]
    fn rotation_then_rewrap() {
        let mut ring = Keyring::new(key(1));
        let old = ring.seal(b"cable 1987", b"doc:3").unwrap();
        ring.rotate_to(key(2)).unwrap();
        // Old data still opens; new data is sealed under the new key.
        check_open(&ring, &old, b"doc:3", Ok(b"cable 1987"));
        assert_eq!(
            key_id_of(&ring.seal(b"x", b"").unwrap()).unwrap(),
            key(2).id()
        );
        assert!(ring.needs_rewrap(&old).unwrap());
        let Rewrapped::Resealed(new) = ring.rewrap(&old, b"doc:3").unwrap() else {
            panic!("expected a reseal")
        };
        assert_eq!(key_id_of(&new).unwrap(), key(2).id());
        assert!(!ring.needs_rewrap(&new).unwrap());
        assert_eq!(ring.rewrap(&new, b"doc:3").unwrap(), Rewrapped::Unchanged);
        // A rewrap with the wrong context is refused, not resealed.
        assert!(ring.rewrap(&old, b"doc:4").is_err());
        // After retiring the old key, old ciphertexts no longer open but rewrapped ones do.
        ring.retire(key(1).id()).unwrap();
        check_open(&ring, &old, b"doc:3", Err("not in the keyring"));
        check_open(&ring, &new, b"doc:3", Ok(b"cable 1987"));
    }

    proptest! {
        #[test]
        fn any_plaintext_round_trips_and_any_bit_flip_fails(
            plain in proptest::collection::vec(any::<u8>(), 0..512),
            aad in proptest::collection::vec(any::<u8>(), 0..64),
            flip in any::<prop::sample::Index>(),
            bit in 0u8..8,
        ) {
            let ring = Keyring::new(key(3));
            let ct = ring.seal(&plain, &aad).unwrap();
            prop_assert_eq!(&ring.open(&ct, &aad).unwrap()[..], &plain[..]);
            let mut bad = ct.clone();
            let i = flip.index(bad.len());
            bad[i] ^= 1 << bit;
            prop_assert!(ring.open(&bad, &aad).is_err());
        }
    }
}

//! The detached manifest: its JSON layout (the file format; serde stays in this module) and the
//! canonical bytes its signature covers.
//!
//! ```json
//! {
//!   "format": "attache-statement-manifest",
//!   "version": 1,
//!   "file_name": "statement-2025-03-01.txt",
//!   "size": 1834,
//!   "sha256": "<64 hex digits>",
//!   "signer": "Ministry of Foreign Affairs, press office",
//!   "signed_at": "2025-03-01T09:30:00Z",
//!   "claims": { "language": "en", "title": "..." },
//!   "public_key": "<base64 of the 32-byte Ed25519 public key>",
//!   "key_id": "ed25519:<16 hex digits>",
//!   "signature": "<base64 of the 64-byte Ed25519 signature>"
//! }
//! ```
//!
//! The signature covers (version 1):
//!
//! ```text
//! "attache-statement-v1" 0x00
//! field(format) u32be(version) field(file_name) u64be(size) sha256 (32 raw bytes)
//! field(signer) field(signed_at) u32be(number of claims) { field(key) field(value) } in key order
//! field(key_id) public key (32 raw bytes)
//! field(s) = u32be(byte length of s) || UTF-8 bytes of s
//! ```
//!
//! Every field but the signature is covered, so changing any of them (the digest, the signer,
//! a claim, the key) breaks the signature.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::VerifyingKey;

/// The `format` value of a manifest.
pub const FORMAT: &str = "attache-statement-manifest";
/// The manifest version this build writes and reads.
pub const VERSION: u32 = 1;
/// Largest manifest accepted (bytes), so an uploaded manifest cannot exhaust memory.
pub const MAX_MANIFEST_BYTES: usize = 256 * 1024;

/// A parsed manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub file_name: String,
    pub size: u64,
    pub sha256: [u8; 32],
    pub signer: String,
    /// RFC 3339 UTC, as signed.
    pub signed_at: String,
    pub claims: BTreeMap<String, String>,
    pub public_key: VerifyingKey,
    pub key_id: String,
    pub signature: [u8; 64],
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    format: String,
    version: u32,
    file_name: String,
    size: u64,
    sha256: String,
    signer: String,
    signed_at: String,
    claims: BTreeMap<String, String>,
    public_key: String,
    key_id: String,
    signature: String,
}

const DOMAIN: &[u8] = b"attache-statement-v1\0";

fn field(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_be_bytes());
    out.extend_from_slice(s.as_bytes());
}

impl Manifest {
    /// The bytes the signature covers.
    pub fn signed_bytes(&self) -> Vec<u8> {
        let mut out = DOMAIN.to_vec();
        field(&mut out, FORMAT);
        out.extend_from_slice(&VERSION.to_be_bytes());
        field(&mut out, &self.file_name);
        out.extend_from_slice(&self.size.to_be_bytes());
        out.extend_from_slice(&self.sha256);
        field(&mut out, &self.signer);
        field(&mut out, &self.signed_at);
        out.extend_from_slice(&(self.claims.len() as u32).to_be_bytes());
        for (k, v) in &self.claims {
            field(&mut out, k);
            field(&mut out, v);
        }
        field(&mut out, &self.key_id);
        out.extend_from_slice(self.public_key.as_bytes());
        out
    }

    /// The manifest as pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        let w = Wire {
            format: FORMAT.into(),
            version: VERSION,
            file_name: self.file_name.clone(),
            size: self.size,
            sha256: hex::encode(self.sha256),
            signer: self.signer.clone(),
            signed_at: self.signed_at.clone(),
            claims: self.claims.clone(),
            public_key: B64.encode(self.public_key.as_bytes()),
            key_id: self.key_id.clone(),
            signature: B64.encode(self.signature),
        };
        let mut s = serde_json::to_string_pretty(&w).expect("a manifest serialises");
        s.push('\n');
        s
    }

    /// Parses a manifest, checking its shape (not its signature): the reason names the field.
    pub fn parse(bytes: &[u8]) -> Result<Manifest, String> {
        if bytes.len() > MAX_MANIFEST_BYTES {
            return Err(format!(
                "manifest is {} bytes, at most {MAX_MANIFEST_BYTES} are accepted",
                bytes.len()
            ));
        }
        let w: Wire =
            serde_json::from_slice(bytes).map_err(|e| format!("not a statement manifest: {e}"))?;
        if w.format != FORMAT {
            return Err(format!("format is {:?}, expected {FORMAT:?}", w.format));
        }
        if w.version != VERSION {
            return Err(format!(
                "version {} is not supported (this build reads version {VERSION})",
                w.version
            ));
        }
        let sha256 = hex::decode(&w.sha256)
            .ok()
            .and_then(|v| <[u8; 32]>::try_from(v).ok())
            .ok_or_else(|| format!("sha256 {:?} is not 64 hex digits", w.sha256))?;
        let pk: [u8; 32] = B64
            .decode(&w.public_key)
            .ok()
            .and_then(|v| v.try_into().ok())
            .ok_or_else(|| "public_key is not base64 of 32 bytes".to_string())?;
        let public_key = VerifyingKey::from_bytes(&pk)
            .map_err(|_| "public_key is not an Ed25519 point".to_string())?;
        let signature: [u8; 64] = B64
            .decode(&w.signature)
            .ok()
            .and_then(|v| v.try_into().ok())
            .ok_or_else(|| "signature is not base64 of 64 bytes".to_string())?;
        let want_id = attache_vault::ed25519::key_id(&public_key);
        if w.key_id != want_id {
            return Err(format!(
                "key_id {:?} does not belong to public_key (which is {want_id})",
                w.key_id
            ));
        }
        if w.signed_at.parse::<jiff::Timestamp>().is_err() {
            return Err(format!(
                "signed_at {:?} is not an RFC 3339 time",
                w.signed_at
            ));
        }
        Ok(Manifest {
            file_name: w.file_name,
            size: w.size,
            sha256,
            signer: w.signer,
            signed_at: w.signed_at,
            claims: w.claims,
            public_key,
            key_id: w.key_id,
            signature,
        })
    }
}

//! What the audit log records: an [`AuditEvent`] (who did what to which object, at what
//! classification, with details) and, once appended, an [`AuditRecord`] (its index and time).
//!
//! # Canonical entry encoding (version 1)
//!
//! The Merkle leaf of entry `i` is `SHA-256(0x00 || entry)`, where `entry` is
//!
//! ```text
//! "attache-audit-entry-v1" 0x00
//! u64 big-endian: index
//! field(time) field(actor) field(action) field(object) field(classification) field(detail)
//! field(s) = u32 big-endian byte length of s || the UTF-8 bytes of s
//! ```
//!
//! exactly as the columns are stored: `time` is RFC 3339 UTC with microseconds
//! (`2025-03-01T09:30:00.000000Z`), `classification` one of `public`, `restricted`,
//! `confidential`, `secret`, and `detail` the JSON object of string values with keys sorted and no
//! whitespace (`{"ip":"10.0.0.1","method":"password"}`). Length prefixes make the encoding
//! injective: no two different rows share bytes.
//!
//! The log records identifiers, never content: `object` names a brief as `brief:42`, not by its
//! title, and `detail` must carry no secret and no plaintext of a classified item.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use crate::AuditError;

/// The classification of the object an event concerns (`Public` when it concerns none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Classification {
    Public,
    Restricted,
    Confidential,
    Secret,
}

impl Classification {
    pub const ALL: [Classification; 4] = [
        Classification::Public,
        Classification::Restricted,
        Classification::Confidential,
        Classification::Secret,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Classification::Public => "public",
            Classification::Restricted => "restricted",
            Classification::Confidential => "confidential",
            Classification::Secret => "secret",
        }
    }

    /// The level of a stored value (exactly the [`Classification::as_str`] words).
    pub fn parse(s: &str) -> Option<Self> {
        Classification::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

impl fmt::Display for Classification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What happened: a dotted lowercase name (`login`, `brief.change`). The constants are the kinds
/// the issue requires; others may be made with [`Action::new`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Action(Cow<'static, str>);

impl Action {
    pub const LOGIN: Action = Action(Cow::Borrowed("login"));
    pub const LOGIN_FAILED: Action = Action(Cow::Borrowed("login.failed"));
    pub const LOGOUT: Action = Action(Cow::Borrowed("logout"));
    /// A read of a classified (restricted or above) item.
    pub const READ: Action = Action(Cow::Borrowed("read"));
    pub const BRIEF_CHANGE: Action = Action(Cow::Borrowed("brief.change"));
    pub const DECISION: Action = Action(Cow::Borrowed("decision"));
    pub const EXPORT: Action = Action(Cow::Borrowed("export"));
    pub const USER_CHANGE: Action = Action(Cow::Borrowed("user.change"));
    pub const KEY_CHANGE: Action = Action(Cow::Borrowed("key.change"));
    /// The log's external head was reset by an operator (see `AuditLog::reanchor`).
    pub const AUDIT_REANCHOR: Action = Action(Cow::Borrowed("audit.reanchor"));

    /// An action name: 1 to 64 characters of `a-z`, `0-9`, `.`, `_`, `-`, starting with a letter.
    pub fn new(name: &str) -> Result<Self, AuditError> {
        let ok = name.len() <= 64
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
        if !ok {
            return Err(AuditError::InvalidEvent {
                field: "action",
                reason: format!(
                    "{name:?} is not 1-64 characters of a-z, 0-9, '.', '_', '-' starting with a letter"
                ),
            });
        }
        Ok(Action(Cow::Owned(name.to_string())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One thing that happened, before it is appended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    /// Who: a user name, or `system`, or `cli:<os user>`.
    pub actor: String,
    pub action: Action,
    /// What it concerns, as `kind:id` (`brief:42`, `user:alice`); empty when nothing.
    pub object: String,
    /// The classification of the object at the time.
    pub classification: Classification,
    /// Context (IP address, outcome, key id...), never secrets or classified content.
    pub detail: BTreeMap<String, String>,
}

/// Longest actor or object, in bytes.
pub const MAX_NAME_BYTES: usize = 256;
/// Longest detail value, in bytes.
pub const MAX_DETAIL_VALUE_BYTES: usize = 4096;
/// Most detail entries.
pub const MAX_DETAIL_ENTRIES: usize = 32;

/// The actor of a dashboard user's own act: `user:<name>`, the name cut to 64 characters (a
/// longer one, which no account has, is recorded truncated rather than refused).
pub fn user_actor(name: &str) -> String {
    let name: String = name.chars().take(64).collect();
    format!("user:{name}")
}

impl AuditEvent {
    /// An event about no particular object.
    pub fn new(actor: &str, action: Action) -> Self {
        AuditEvent {
            actor: actor.to_string(),
            action,
            object: String::new(),
            classification: Classification::Public,
            detail: BTreeMap::new(),
        }
    }

    /// The same event concerning `object` at `classification`.
    pub fn on(mut self, object: &str, classification: Classification) -> Self {
        self.object = object.to_string();
        self.classification = classification;
        self
    }

    /// The same event with one more detail.
    pub fn detail(mut self, key: &str, value: impl Into<String>) -> Self {
        self.detail.insert(key.to_string(), value.into());
        self
    }

    /// Checks the limits: a non-empty actor, names without control characters, detail keys like
    /// action names, bounded sizes.
    pub fn validate(&self) -> Result<(), AuditError> {
        let bad =
            |field: &'static str, reason: String| Err(AuditError::InvalidEvent { field, reason });
        if self.actor.is_empty() {
            return bad("actor", "empty".into());
        }
        for (field, v) in [("actor", &self.actor), ("object", &self.object)] {
            if v.len() > MAX_NAME_BYTES {
                return bad(
                    field,
                    format!("{} bytes (at most {MAX_NAME_BYTES})", v.len()),
                );
            }
            if v.chars().any(char::is_control) {
                return bad(field, format!("{v:?} contains a control character"));
            }
        }
        if self.detail.len() > MAX_DETAIL_ENTRIES {
            return bad(
                "detail",
                format!(
                    "{} entries (at most {MAX_DETAIL_ENTRIES})",
                    self.detail.len()
                ),
            );
        }
        for (k, v) in &self.detail {
            if Action::new(k).is_err() {
                return bad(
                    "detail",
                    format!("key {k:?} is not 1-64 characters of a-z, 0-9, '.', '_', '-'"),
                );
            }
            if v.len() > MAX_DETAIL_VALUE_BYTES {
                return bad(
                    "detail",
                    format!(
                        "value of {k:?} is {} bytes (at most {MAX_DETAIL_VALUE_BYTES})",
                        v.len()
                    ),
                );
            }
        }
        Ok(())
    }

    /// The canonical JSON of the details (keys sorted, no whitespace), as stored.
    pub(crate) fn detail_json(&self) -> String {
        serde_json::to_string(&self.detail).expect("a map of strings serialises")
    }
}

/// An appended event: its place in the log and when it was appended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub index: u64,
    pub time: jiff::Timestamp,
    pub event: AuditEvent,
}

/// The stored text columns of one entry, in encoding order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredEntry<'a> {
    pub time: &'a [u8],
    pub actor: &'a [u8],
    pub action: &'a [u8],
    pub object: &'a [u8],
    pub classification: &'a [u8],
    pub detail: &'a [u8],
}

const ENTRY_DOMAIN: &[u8] = b"attache-audit-entry-v1\0";

/// The canonical bytes of entry `index` (see the module docs).
pub(crate) fn canonical_entry(index: u64, e: &StoredEntry<'_>) -> Vec<u8> {
    let fields = [
        e.time,
        e.actor,
        e.action,
        e.object,
        e.classification,
        e.detail,
    ];
    let mut out = Vec::with_capacity(
        ENTRY_DOMAIN.len() + 8 + fields.iter().map(|f| 4 + f.len()).sum::<usize>(),
    );
    out.extend_from_slice(ENTRY_DOMAIN);
    out.extend_from_slice(&index.to_be_bytes());
    for f in fields {
        out.extend_from_slice(&(f.len() as u32).to_be_bytes());
        out.extend_from_slice(f);
    }
    out
}

/// The stored form of a time: RFC 3339 UTC with exactly six fractional digits.
pub(crate) fn format_time(t: jiff::Timestamp) -> String {
    format!("{t:.6}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_action(name: &str, ok: bool) {
        assert_eq!(Action::new(name).is_ok(), ok, "{name:?}");
    }

    #[test]
    fn action_names() {
        check_action("login", true);
        check_action("brief.change", true);
        check_action("key_change-2", true);
        check_action("", false);
        check_action("Login", false);
        check_action("2fa", false);
        check_action("a b", false);
        check_action(&"a".repeat(65), false);
        assert_eq!(Action::new("login").unwrap(), Action::LOGIN);
    }

    fn check_event(e: AuditEvent, expect: Result<(), &str>) {
        match (e.validate(), expect) {
            (Ok(()), Ok(())) => {}
            (Err(err), Err(needle)) => assert!(err.to_string().contains(needle), "{err}"),
            (got, want) => panic!("{e:?}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn event_limits() {
        let e = || AuditEvent::new("alice", Action::READ);
        check_event(
            e().on("brief:42", Classification::Secret)
                .detail("ip", "10.0.0.1"),
            Ok(()),
        );
        check_event(AuditEvent::new("", Action::READ), Err("actor: empty"));
        check_event(
            e().on("brief:\n42", Classification::Public),
            Err("control character"),
        );
        check_event(e().detail("IP", "x"), Err("key \"IP\""));
        check_event(
            e().detail("k", "x".repeat(MAX_DETAIL_VALUE_BYTES + 1)),
            Err("4097 bytes"),
        );
        check_event(
            AuditEvent::new(&"a".repeat(MAX_NAME_BYTES + 1), Action::READ),
            Err("257 bytes"),
        );
    }

    #[test]
    fn canonical_encoding_is_pinned() {
        let e = StoredEntry {
            time: b"2025-03-01T09:30:00.000000Z",
            actor: b"alice",
            action: b"read",
            object: b"brief:42",
            classification: b"secret",
            detail: b"{}",
        };
        let bytes = canonical_entry(7, &e);
        let mut want = b"attache-audit-entry-v1\0".to_vec();
        want.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 7]);
        for f in [
            "2025-03-01T09:30:00.000000Z",
            "alice",
            "read",
            "brief:42",
            "secret",
            "{}",
        ] {
            want.extend_from_slice(&(f.len() as u32).to_be_bytes());
            want.extend_from_slice(f.as_bytes());
        }
        assert_eq!(bytes, want);
        // Moving a byte between fields changes the encoding (length prefixes).
        let shifted = StoredEntry {
            actor: b"alic",
            action: b"eread",
            ..e.clone()
        };
        assert_ne!(canonical_entry(7, &shifted), bytes);
        assert_ne!(canonical_entry(8, &e), bytes);
    }

    #[test]
    fn detail_json_is_sorted_and_compact() {
        let e = AuditEvent::new("a", Action::LOGIN)
            .detail("z", "1")
            .detail("a", "\"q\"");
        assert_eq!(e.detail_json(), r#"{"a":"\"q\"","z":"1"}"#);
    }

    #[test]
    fn time_has_six_fraction_digits() {
        let t: jiff::Timestamp = "2025-03-01T09:30:00Z".parse().unwrap();
        assert_eq!(format_time(t), "2025-03-01T09:30:00.000000Z");
        let t: jiff::Timestamp = "2025-03-01T09:30:00.123456789Z".parse().unwrap();
        assert_eq!(format_time(t), "2025-03-01T09:30:00.123456Z");
    }
}

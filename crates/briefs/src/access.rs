//! Who may do what with a brief: one function per question, called on every path.
//!
//! - Reading needs a clearance at or above the classification; the public role (the anonymous
//!   visitor) reads public material only, whatever clearance it claims. A brief a principal may
//!   not read is reported as *not found*.
//! - Writing (create, edit, submit, send back, evidence, documents, predictions, amend) needs the
//!   analyst or diplomat role, and the brief readable.
//! - Deciding needs the diplomat role. Archiving needs diplomat or admin. Rewrapping ciphertexts
//!   after a key rotation needs admin.

use attache_accounts::{Clearance, Principal, Role};

use crate::BriefsError;

pub const AUTHORS: &[Role] = &[Role::Analyst, Role::Diplomat];
pub const DECIDERS: &[Role] = &[Role::Diplomat];
pub const ARCHIVERS: &[Role] = &[Role::Diplomat, Role::Admin];
pub const KEY_ADMINS: &[Role] = &[Role::Admin];

/// Whether `p` may read material marked `level`.
pub fn can_read(p: &Principal, level: Clearance) -> bool {
    if p.role == Role::Public {
        return level == Clearance::Public;
    }
    p.can_read(level)
}

/// The levels `p` may read, lowest first (for SQL filters).
pub fn readable_levels(p: &Principal) -> Vec<Clearance> {
    Clearance::ALL
        .into_iter()
        .filter(|l| can_read(p, *l))
        .collect()
}

/// `Forbidden` unless `p` has one of `roles`.
pub fn require(
    p: &Principal,
    action: &'static str,
    roles: &'static [Role],
) -> Result<(), BriefsError> {
    if roles.contains(&p.role) {
        Ok(())
    } else {
        Err(BriefsError::Forbidden {
            action,
            needed: roles,
        })
    }
}

/// `AboveClearance` unless `p` may read what it is about to mark `level`.
pub fn may_mark(p: &Principal, level: Clearance) -> Result<(), BriefsError> {
    if can_read(p, level) {
        Ok(())
    } else {
        Err(BriefsError::AboveClearance {
            level,
            clearance: p.clearance,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(role: Role, clearance: Clearance) -> Principal {
        Principal {
            user_id: Some(1),
            name: "u".into(),
            role,
            clearance,
        }
    }

    #[test]
    fn public_role_reads_public_only() {
        let odd = who(Role::Public, Clearance::Secret);
        assert_eq!(readable_levels(&odd), vec![Clearance::Public]);
        assert_eq!(
            readable_levels(&Principal::anonymous()),
            vec![Clearance::Public]
        );
        assert_eq!(
            readable_levels(&who(Role::Analyst, Clearance::Confidential)),
            vec![
                Clearance::Public,
                Clearance::Restricted,
                Clearance::Confidential
            ]
        );
    }

    #[test]
    fn roles() {
        assert!(require(&who(Role::Diplomat, Clearance::Public), "decide", DECIDERS).is_ok());
        for r in [Role::Public, Role::Analyst, Role::Admin] {
            let e = require(&who(r, Clearance::Secret), "deciding", DECIDERS).unwrap_err();
            assert_eq!(e.to_string(), "deciding needs the role diplomat");
        }
        let e = require(
            &who(Role::Analyst, Clearance::Secret),
            "archiving",
            ARCHIVERS,
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "archiving needs the role diplomat or admin");
    }
}

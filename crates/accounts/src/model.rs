//! Who someone is to Attaché: a [`Role`] (what they may do), a [`Clearance`] (what they may
//! read), the [`Principal`] a request runs as, and [`UserInfo`] (a stored account, no secrets).

use std::fmt;
use std::str::FromStr;

use crate::AccountsError;

/// What a principal may do. `Public` is the anonymous visitor and is never stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Public,
    Analyst,
    Diplomat,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Public, Role::Analyst, Role::Diplomat, Role::Admin];

    /// The lowercase name (`FromStr` accepts exactly these).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Public => "public",
            Role::Analyst => "analyst",
            Role::Diplomat => "diplomat",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = AccountsError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| AccountsError::UnknownRole {
                value: s.to_string(),
            })
    }
}

/// What a principal may read. Ordered: `Public < Restricted < Confidential < Secret`; a
/// principal reads every level up to and including its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Clearance {
    Public,
    Restricted,
    Confidential,
    Secret,
}

impl Clearance {
    pub const ALL: [Clearance; 4] = [
        Clearance::Public,
        Clearance::Restricted,
        Clearance::Confidential,
        Clearance::Secret,
    ];

    /// The lowercase name (`FromStr` accepts exactly these).
    pub fn as_str(self) -> &'static str {
        match self {
            Clearance::Public => "public",
            Clearance::Restricted => "restricted",
            Clearance::Confidential => "confidential",
            Clearance::Secret => "secret",
        }
    }
}

impl fmt::Display for Clearance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Clearance {
    type Err = AccountsError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Clearance::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| AccountsError::UnknownClearance {
                value: s.to_string(),
            })
    }
}

/// The identity a request runs as: a logged-in user, a token holder, or the anonymous visitor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// `None` for the anonymous visitor.
    pub user_id: Option<i64>,
    pub name: String,
    pub role: Role,
    pub clearance: Clearance,
}

impl Principal {
    /// The anonymous visitor: role `public`, clearance `public`.
    pub fn anonymous() -> Self {
        Principal {
            user_id: None,
            name: "anonymous".to_string(),
            role: Role::Public,
            clearance: Clearance::Public,
        }
    }

    /// Whether this principal may read material marked `level`.
    pub fn can_read(&self, level: Clearance) -> bool {
        self.clearance >= level
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// A stored account as listed: no password hash, no tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserInfo {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub clearance: Clearance,
    /// RFC 3339, UTC (`2026-05-01T09:30:00Z`).
    pub created_at: String,
    pub disabled: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn clearance_order() {
        use Clearance::*;
        let sorted = [Public, Restricted, Confidential, Secret];
        for (i, a) in sorted.iter().enumerate() {
            for (j, b) in sorted.iter().enumerate() {
                assert_eq!(a.cmp(b), i.cmp(&j), "{a} vs {b}");
            }
        }
    }

    fn check_read(clearance: Clearance, level: Clearance, expect: bool) {
        let p = Principal {
            user_id: Some(1),
            name: "x".into(),
            role: Role::Analyst,
            clearance,
        };
        assert_eq!(p.can_read(level), expect, "{clearance} reading {level}");
    }

    #[test]
    fn can_read() {
        use Clearance::*;
        check_read(Public, Public, true);
        check_read(Public, Restricted, false);
        check_read(Restricted, Restricted, true);
        check_read(Confidential, Restricted, true);
        check_read(Confidential, Secret, false);
        check_read(Secret, Secret, true);
        check_read(Secret, Public, true);
        let anon = Principal::anonymous();
        assert!(anon.can_read(Public) && !anon.can_read(Restricted) && !anon.is_admin());
        assert_eq!(anon.user_id, None);
    }

    #[test]
    fn parse_rejects_near_misses() {
        for bad in [
            "Admin",
            "ADMIN",
            " admin",
            "admin ",
            "",
            "root",
            "top-secret",
        ] {
            assert!(bad.parse::<Role>().is_err(), "role {bad:?}");
            assert!(bad.parse::<Clearance>().is_err(), "clearance {bad:?}");
        }
    }

    proptest! {
        #[test]
        fn role_round_trip(i in 0usize..4, s in "(public|analyst|diplomat|admin|restricted|confidential|secret|Admin|[a-z ]{0,10}|\\PC{0,12})") {
            let r = Role::ALL[i];
            prop_assert_eq!(r.to_string().parse::<Role>().unwrap(), r);
            match s.parse::<Role>() {
                Ok(r) => prop_assert_eq!(r.to_string(), s),
                Err(_) => prop_assert!(!Role::ALL.iter().any(|r| r.as_str() == s)),
            }
        }

        #[test]
        fn clearance_round_trip(i in 0usize..4, s in "(public|analyst|diplomat|admin|restricted|confidential|secret|Admin|[a-z ]{0,10}|\\PC{0,12})") {
            let c = Clearance::ALL[i];
            prop_assert_eq!(c.to_string().parse::<Clearance>().unwrap(), c);
            match s.parse::<Clearance>() {
                Ok(c) => prop_assert_eq!(c.to_string(), s),
                Err(_) => prop_assert!(!Clearance::ALL.iter().any(|c| c.as_str() == s)),
            }
        }
    }
}

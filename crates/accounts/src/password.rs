//! Passwords: the policy (OWASP ASVS 4.0 level 2, V2.1: at least 12 characters, at most 128, no
//! composition rules, never truncated) and Argon2id hashing to PHC strings at OWASP's recommended
//! cost (m = 19 MiB, t = 2, p = 1; Password Storage Cheat Sheet).

use std::sync::OnceLock;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::AccountsError;

/// Shortest password accepted, in characters (ASVS 2.1.1).
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest password accepted, in characters (ASVS 2.1.2: at least 64 permitted, over 128 denied).
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Argon2id memory cost in KiB (19 MiB).
pub const ARGON2_M_KIB: u32 = 19 * 1024;
/// Argon2id passes.
pub const ARGON2_T: u32 = 2;
/// Argon2id lanes.
pub const ARGON2_P: u32 = 1;

/// Checks a new password against the policy. Characters are Unicode scalar values; nothing is
/// trimmed or normalised, so what is typed is what is hashed.
pub fn check_policy(password: &str) -> Result<(), AccountsError> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(AccountsError::WeakPassword {
            reason: format!("it has {n} characters; at least {MIN_PASSWORD_CHARS} are required"),
        });
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(AccountsError::WeakPassword {
            reason: format!("it has {n} characters; at most {MAX_PASSWORD_CHARS} are accepted"),
        });
    }
    if password
        .chars()
        .all(|c| c == password.chars().next().unwrap_or(c))
    {
        return Err(AccountsError::WeakPassword {
            reason: "it repeats a single character".to_string(),
        });
    }
    Ok(())
}

fn hasher() -> Result<Argon2<'static>, AccountsError> {
    let params = Params::new(ARGON2_M_KIB, ARGON2_T, ARGON2_P, None).map_err(hash_err)?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

fn hash_err(e: impl std::fmt::Display) -> AccountsError {
    AccountsError::Hash {
        detail: e.to_string(),
    }
}

/// The PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) of `password`, with a fresh
/// random salt.
pub(crate) fn hash(password: &str) -> Result<String, AccountsError> {
    #[cfg(test)]
    tests::count_argon2();
    Ok(hasher()?
        .hash_password(password.as_bytes())
        .map_err(hash_err)?
        .to_string())
}

/// Whether `password` matches the stored PHC string. The parameters come from the string, so
/// hashes made at an older cost still verify. Argon2 compares the outputs in constant time.
pub(crate) fn verify(password: &str, phc: &str) -> Result<bool, AccountsError> {
    #[cfg(test)]
    tests::count_argon2();
    let parsed = PasswordHash::new(phc).map_err(hash_err)?;
    match hasher()?.verify_password(password.as_bytes(), &parsed) {
        Ok(()) => Ok(true),
        Err(argon2::password_hash::Error::PasswordInvalid) => Ok(false),
        Err(e) => Err(hash_err(e)),
    }
}

/// A hash no password matches, at the current cost: made once per process (one Argon2 run),
/// by [`crate::Accounts::open`], so that even the first login for an unknown name costs no
/// more than a wrong password.
pub(crate) fn dummy_hash() -> Result<&'static str, AccountsError> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(p) = DUMMY.get() {
        return Ok(p);
    }
    let p = hash(&crate::secret::random_hex()?)?;
    Ok(DUMMY.get_or_init(|| p))
}

/// Spends the time of one verification against [`dummy_hash`]: a login for a name that does
/// not exist costs what a wrong password costs, so timing does not reveal which names exist.
pub(crate) fn spend_verify_time(password: &str) -> Result<(), AccountsError> {
    verify(password, dummy_hash()?).map(|_| ())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::cell::Cell;

    thread_local! {
        static ARGON2_RUNS: Cell<usize> = const { Cell::new(0) };
    }

    pub(crate) fn count_argon2() {
        ARGON2_RUNS.with(|c| c.set(c.get() + 1));
    }

    /// How many Argon2 runs (hash or verify) this thread has made.
    pub(crate) fn argon2_runs() -> usize {
        ARGON2_RUNS.with(|c| c.get())
    }

    fn check(password: &str, expect: Result<(), &str>) {
        match (check_policy(password), expect) {
            (Ok(()), Ok(())) => {}
            (Err(e), Err(want)) => assert!(
                e.to_string().contains(want),
                "{password:?}: {e} lacks {want:?}"
            ),
            (got, want) => panic!("{password:?}: got {got:?}, expected {want:?}"),
        }
    }

    #[test]
    fn policy() {
        check("", Err("0 characters; at least 12"));
        check("elevenchars", Err("11 characters; at least 12"));
        check("twelve chars", Ok(()));
        check("  spaces ok  ", Ok(()));
        check("ééééééééééé", Err("11 characters")); // 22 bytes, 11 characters
        check("éééééééééééè", Ok(()));
        check("aaaaaaaaaaaaaaaa", Err("single character"));
        check(&"ab".repeat(64), Ok(()));
        check(
            &format!("{}c", "ab".repeat(64)),
            Err("129 characters; at most 128"),
        );
    }

    #[test]
    fn hash_and_verify() {
        let phc = hash("correct horse battery").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(!phc.contains("correct horse"));
        assert!(verify("correct horse battery", &phc).unwrap());
        assert!(!verify("correct horse batterY", &phc).unwrap());
        assert_ne!(
            phc,
            hash("correct horse battery").unwrap(),
            "salts must differ"
        );
        assert!(matches!(
            verify("x", "not a phc string"),
            Err(AccountsError::Hash { .. })
        ));
    }
}

//! Tests of the store as a whole, against a real SQLite file and a clock the tests move.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use crate::password::tests::argon2_runs;
use crate::secret::digest;
use crate::*;

/// 2026-01-01T00:00:00Z.
const T0: i64 = 1_767_225_600;
const ALICE_PW: &str = "correct horse battery staple";
const BOB_PW: &str = "tr0ub4dor&3-but-longer";

struct Env {
    dir: tempfile::TempDir,
    acc: Accounts,
    clock: Arc<AtomicI64>,
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(AtomicI64::new(T0));
        let acc = open_at(&dir.path().join("attache.db"), &clock);
        Env { dir, acc, clock }
    }

    /// Alice (analyst, confidential) and Bob (admin, secret).
    fn with_users() -> Env {
        let env = Env::new();
        env.acc
            .add_user("alice", Role::Analyst, Clearance::Confidential, ALICE_PW)
            .unwrap();
        env.acc
            .add_user("bob", Role::Admin, Clearance::Secret, BOB_PW)
            .unwrap();
        env
    }

    fn db_path(&self) -> PathBuf {
        self.dir.path().join("attache.db")
    }

    /// Another handle on the same file (as after a restart), sharing the test clock.
    fn reopen(&self) -> Accounts {
        open_at(&self.db_path(), &self.clock)
    }

    fn advance(&self, secs: i64) {
        self.clock.fetch_add(secs, Ordering::SeqCst);
    }

    fn login(&self, name: &str, pw: &str, client: &str) -> LoginOutcome {
        self.acc.login(name, pw, client).unwrap()
    }

    fn session(&self, name: &str, pw: &str) -> Session {
        match self.login(name, pw, "127.0.0.1") {
            LoginOutcome::Ok(s) => s,
            other => panic!("login {name}: {other:?}"),
        }
    }
}

fn open_at(path: &Path, clock: &Arc<AtomicI64>) -> Accounts {
    let c = clock.clone();
    Accounts::open(path)
        .unwrap()
        .with_clock(move || Timestamp::from_second(c.load(Ordering::SeqCst)).unwrap())
}

/// What a login came to, without the session.
#[derive(Debug, PartialEq)]
enum Kind {
    Ok,
    Bad,
    Limited(u64),
}

fn kind(o: &LoginOutcome) -> Kind {
    match o {
        LoginOutcome::Ok(_) => Kind::Ok,
        LoginOutcome::BadCredentials => Kind::Bad,
        LoginOutcome::RateLimited { retry_after_secs } => Kind::Limited(*retry_after_secs),
    }
}

fn check(env: &Env, (name, pw, client): (&str, &str, &str), expect: Kind) {
    let got = env.login(name, pw, client);
    assert_eq!(kind(&got), expect, "login {name:?} from {client:?}");
}

#[test]
fn accounts_is_clone_send_sync() {
    fn assert_traits<T: Clone + Send + Sync + 'static>() {}
    assert_traits::<Accounts>();
}

#[test]
fn login_outcomes() {
    let env = Env::with_users();
    env.acc
        .add_user(
            "carol",
            Role::Diplomat,
            Clearance::Restricted,
            "carol's long password",
        )
        .unwrap();
    env.acc.disable_user("carol").unwrap();
    // Each case from its own client, so no rate limit is reached.
    check(&env, ("alice", ALICE_PW, "10.0.0.1"), Kind::Ok);
    check(
        &env,
        ("alice", "correct horse battery stapl", "10.0.0.2"),
        Kind::Bad,
    );
    check(&env, ("alice", "", "10.0.0.3"), Kind::Bad);
    check(&env, ("Alice", ALICE_PW, "10.0.0.4"), Kind::Bad);
    check(&env, ("alice ", ALICE_PW, "10.0.0.5"), Kind::Bad);
    check(&env, ("nobody", ALICE_PW, "10.0.0.6"), Kind::Bad);
    check(&env, ("", "", "10.0.0.7"), Kind::Bad);
    check(&env, ("bob", ALICE_PW, "10.0.0.8"), Kind::Bad);
    check(
        &env,
        ("carol", "carol's long password", "10.0.0.9"),
        Kind::Bad,
    );
    check(&env, ("bob", BOB_PW, "10.0.0.10"), Kind::Ok);

    let LoginOutcome::Ok(s) = env.login("alice", ALICE_PW, "10.0.0.11") else {
        panic!()
    };
    assert_eq!(s.principal.name, "alice");
    assert_eq!(
        (s.principal.role, s.principal.clearance),
        (Role::Analyst, Clearance::Confidential)
    );
    assert!(s.principal.user_id.is_some() && !s.principal.is_admin());
    assert_eq!(s.expires_at.as_second(), T0 + SESSION_IDLE_SECS);
}

#[test]
fn unknown_names_cost_one_argon2_run_like_wrong_passwords() {
    let env = Env::with_users();
    // The dummy hash was made by `open`: the first unknown name costs no extra run.
    let cases: [(&str, &str, Kind); 4] = [
        ("alice", "wrong password here", Kind::Bad),
        ("nobody", "wrong password here", Kind::Bad),
        ("", "", Kind::Bad),
        ("alice", ALICE_PW, Kind::Ok),
    ];
    for (i, (name, pw, expect)) in cases.into_iter().enumerate() {
        let before = argon2_runs();
        check(&env, (name, pw, &format!("c{}", i + 1)), expect);
        assert_eq!(argon2_runs() - before, 1, "Argon2 runs for {name:?}");
    }
    // A refused attempt runs no Argon2 (the refusal does not depend on the name existing).
    for _ in 0..MAX_FAILURES {
        check(&env, ("ghost", "x", "c9"), Kind::Bad);
    }
    let before = argon2_runs();
    assert!(matches!(
        kind(&env.login("alice", ALICE_PW, "c9")),
        Kind::Limited(_)
    ));
    assert_eq!(argon2_runs(), before);
}

#[test]
fn rate_limit_per_client() {
    let env = Env::with_users();
    // Five failures from one client, against five different names, 10 s apart.
    for (i, name) in ["alice", "bob", "nobody", "x", "y"].into_iter().enumerate() {
        check(&env, (name, "not the password", "198.51.100.7"), Kind::Bad);
        if i < 4 {
            env.advance(10);
        }
    }
    // Now 40 s after the first failure: locked for the remaining 860 s, even the right password.
    check(
        &env,
        ("alice", ALICE_PW, "198.51.100.7"),
        Kind::Limited(WINDOW_SECS as u64 - 40),
    );
    check(
        &env,
        ("bob", BOB_PW, "198.51.100.7"),
        Kind::Limited(WINDOW_SECS as u64 - 40),
    );
    // Other clients are not affected (each user has only one failure).
    check(&env, ("alice", ALICE_PW, "198.51.100.8"), Kind::Ok);
    // Refused attempts do not extend the lock; it lifts when the first failure leaves the window.
    env.advance(WINDOW_SECS - 41);
    check(&env, ("alice", ALICE_PW, "198.51.100.7"), Kind::Limited(1));
    env.advance(1);
    check(&env, ("alice", ALICE_PW, "198.51.100.7"), Kind::Ok);
}

#[test]
fn rate_limit_per_user() {
    let env = Env::with_users();
    // Five failures against alice from five clients.
    for i in 0..MAX_FAILURES {
        check(
            &env,
            ("alice", "not the password", &format!("203.0.113.{i}")),
            Kind::Bad,
        );
    }
    check(
        &env,
        ("alice", ALICE_PW, "192.0.2.1"),
        Kind::Limited(WINDOW_SECS as u64),
    );
    // Bob, from one of the same clients, is fine.
    check(&env, ("bob", BOB_PW, "203.0.113.0"), Kind::Ok);
    // Names that do not exist lock the same way (no enumeration through the limiter).
    for i in 0..MAX_FAILURES {
        check(
            &env,
            ("nobody", "x", &format!("203.0.113.{}", 10 + i)),
            Kind::Bad,
        );
    }
    check(
        &env,
        ("nobody", "x", "192.0.2.2"),
        Kind::Limited(WINDOW_SECS as u64),
    );
    // The lock survives a restart.
    let again = env.reopen();
    assert_eq!(
        kind(&again.login("alice", ALICE_PW, "192.0.2.3").unwrap()),
        Kind::Limited(WINDOW_SECS as u64)
    );
    env.advance(WINDOW_SECS);
    check(&env, ("alice", ALICE_PW, "192.0.2.1"), Kind::Ok);
}

#[test]
fn success_clears_the_users_failures_not_the_clients() {
    let env = Env::with_users();
    for i in 0..MAX_FAILURES - 1 {
        check(
            &env,
            ("alice", "typo typo typo", &format!("10.1.0.{i}")),
            Kind::Bad,
        );
    }
    check(&env, ("alice", ALICE_PW, "10.1.1.1"), Kind::Ok);
    for i in 0..MAX_FAILURES - 1 {
        check(
            &env,
            ("alice", "typo typo typo", &format!("10.1.2.{i}")),
            Kind::Bad,
        );
    }
    check(&env, ("alice", ALICE_PW, "10.1.3.1"), Kind::Ok);

    // A client with four failures logs into its own account: its count stays.
    for i in 0..MAX_FAILURES - 1 {
        check(
            &env,
            (&format!("guess{i}"), "guess guess guess", "10.9.9.9"),
            Kind::Bad,
        );
    }
    check(&env, ("bob", BOB_PW, "10.9.9.9"), Kind::Ok);
    check(&env, ("guess9", "guess guess guess", "10.9.9.9"), Kind::Bad);
    check(
        &env,
        ("bob", BOB_PW, "10.9.9.9"),
        Kind::Limited(WINDOW_SECS as u64),
    );
}

#[test]
fn parallel_attempts_cannot_slip_past_the_limit() {
    let env = Env::with_users();
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let acc = env.acc.clone();
            std::thread::spawn(move || {
                kind(&acc.login("alice", "parallel guessing", "10.7.7.7").unwrap())
            })
        })
        .collect();
    let kinds: Vec<Kind> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let bad = kinds.iter().filter(|k| **k == Kind::Bad).count() as i64;
    let limited = kinds
        .iter()
        .filter(|k| matches!(k, Kind::Limited(_)))
        .count() as i64;
    assert_eq!(
        (bad, limited),
        (MAX_FAILURES, 8 - MAX_FAILURES),
        "{kinds:?}"
    );
}

#[test]
fn tokens() {
    let env = Env::with_users();
    let t = env.acc.issue_token("alice").unwrap();
    assert!(
        t.starts_with(TOKEN_PREFIX) && t.len() == TOKEN_PREFIX.len() + 64,
        "{t}"
    );
    let p = env
        .acc
        .authenticate_token(&t)
        .unwrap()
        .expect("token authenticates");
    assert_eq!(
        (p.name.as_str(), p.role, p.clearance),
        ("alice", Role::Analyst, Clearance::Confidential)
    );
    let t2 = env.acc.issue_token("alice").unwrap();
    assert_ne!(t, t2);

    // Near misses do not authenticate.
    let flipped = {
        let mut b = t.clone().into_bytes();
        let last = b.len() - 1;
        b[last] = if b[last] == b'0' { b'1' } else { b'0' };
        String::from_utf8(b).unwrap()
    };
    for bad in [
        flipped.as_str(),
        &t[..t.len() - 1],
        &t[TOKEN_PREFIX.len()..],
        &t.to_uppercase(),
        "",
        "att_",
        &format!("{t} "),
    ] {
        assert_eq!(env.acc.authenticate_token(bad).unwrap(), None, "{bad:?}");
    }

    // The role is read live; disabling stops the token; enabling restores it.
    env.acc
        .set_role("alice", Role::Diplomat, Clearance::Secret)
        .unwrap();
    let p = env.acc.authenticate_token(&t).unwrap().unwrap();
    assert_eq!((p.role, p.clearance), (Role::Diplomat, Clearance::Secret));
    env.acc.disable_user("alice").unwrap();
    assert_eq!(env.acc.authenticate_token(&t).unwrap(), None);
    assert!(matches!(
        env.acc.issue_token("alice"),
        Err(AccountsError::Disabled { .. })
    ));
    env.acc.enable_user("alice").unwrap();
    assert!(env.acc.authenticate_token(&t).unwrap().is_some());

    // Revocation ends both tokens; a password change does not.
    env.acc
        .set_password("alice", "a brand new password")
        .unwrap();
    assert!(env.acc.authenticate_token(&t2).unwrap().is_some());
    assert_eq!(env.acc.revoke_tokens("alice").unwrap(), 2);
    assert_eq!(env.acc.authenticate_token(&t).unwrap(), None);
    assert_eq!(env.acc.authenticate_token(&t2).unwrap(), None);
    assert!(matches!(
        env.acc.issue_token("nobody"),
        Err(AccountsError::UnknownUser { .. })
    ));
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The database file and its write-ahead log, concatenated.
fn db_bytes(path: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(path).unwrap();
    let wal = path.with_file_name(format!(
        "{}-wal",
        path.file_name().unwrap().to_str().unwrap()
    ));
    if let Ok(w) = std::fs::read(&wal) {
        bytes.extend(w);
    }
    bytes
}

#[test]
fn no_secret_is_stored_in_clear() {
    let env = Env::with_users();
    let token = env.acc.issue_token("alice").unwrap();
    let session = env.session("alice", ALICE_PW);
    env.acc
        .set_password("bob", "bob's second password")
        .unwrap();
    let bob = env.session("bob", "bob's second password");

    let check_file = |bytes: &[u8], when: &str| {
        // The digests are there (so this reads the right bytes)...
        assert!(
            contains(bytes, &digest(&token)),
            "{when}: token digest not found; wrong file?"
        );
        assert!(
            contains(bytes, &digest(&session.id)),
            "{when}: session digest not found; wrong file?"
        );
        assert!(
            contains(bytes, b"$argon2id$v=19$m=19456,t=2,p=1$"),
            "{when}: no PHC string"
        );
        // ...the secrets are not, as text or as the bytes their hex encodes.
        let secrets: [(&str, &[u8]); 8] = [
            ("alice's password", ALICE_PW.as_bytes()),
            ("bob's first password", BOB_PW.as_bytes()),
            ("bob's second password", b"bob's second password"),
            ("token", token.as_bytes()),
            ("token body", &token.as_bytes()[TOKEN_PREFIX.len()..]),
            ("session id", session.id.as_bytes()),
            ("csrf token", session.csrf_token.as_bytes()),
            ("bob's session id", bob.id.as_bytes()),
        ];
        for (what, s) in secrets {
            assert!(!contains(bytes, s), "{when}: {what} found in the database");
        }
        for (what, h) in [
            ("token", &token[TOKEN_PREFIX.len()..]),
            ("session id", &session.id),
            ("csrf", &session.csrf_token),
        ] {
            assert!(
                !contains(bytes, &hex::decode(h).unwrap()),
                "{when}: raw bytes of the {what} found"
            );
        }
    };
    let path = env.db_path();
    assert!(
        path.with_file_name("attache.db-wal").exists(),
        "expected a WAL file while open"
    );
    check_file(&db_bytes(&path), "while open");
    let Env { acc, .. } = env;
    drop(acc); // the last connection checkpoints the WAL into the main file
    check_file(&db_bytes(&path), "after close");
}

#[test]
fn sessions_expire_when_idle_and_absolutely() {
    let env = Env::with_users();
    let s = env.session("alice", ALICE_PW);
    let live = |id: &str| env.acc.session(id).unwrap();

    // Idle: used after 29 minutes, then 29 more: still live (the idle timer restarts).
    env.advance(29 * 60);
    let again = live(&s.id).expect("live after 29 min");
    assert_eq!(
        again.expires_at.as_second(),
        T0 + 29 * 60 + SESSION_IDLE_SECS
    );
    assert_eq!(again.csrf_token, s.csrf_token);
    env.advance(29 * 60);
    assert!(live(&s.id).is_some());
    // 30 minutes without a request: gone, and stays gone.
    env.advance(SESSION_IDLE_SECS);
    assert!(live(&s.id).is_none());
    env.advance(-SESSION_IDLE_SECS);
    assert!(
        live(&s.id).is_none(),
        "an expired session is deleted, not just hidden"
    );

    // Absolute: used every 20 minutes, it still ends 12 hours after login.
    let start = env.clock.load(Ordering::SeqCst);
    let s = env.session("alice", ALICE_PW);
    let mut last_live = start;
    loop {
        env.advance(20 * 60);
        let now = env.clock.load(Ordering::SeqCst);
        match live(&s.id) {
            Some(x) => {
                assert!(x.expires_at.as_second() <= start + SESSION_ABSOLUTE_SECS);
                last_live = now;
            }
            None => break,
        }
    }
    assert!(
        last_live < start + SESSION_ABSOLUTE_SECS
            && last_live + 20 * 60 >= start + SESSION_ABSOLUTE_SECS
    );
}

#[test]
fn logout_password_change_and_disabling_end_sessions() {
    let env = Env::with_users();
    let a1 = env.session("alice", ALICE_PW);
    let a2 = env.session("alice", ALICE_PW);
    let b = env.session("bob", BOB_PW);
    assert_ne!(a1.id, a2.id);
    assert_ne!(a1.csrf_token, a2.csrf_token);

    env.acc.logout(&a1.id).unwrap();
    env.acc.logout(&a1.id).unwrap();
    assert!(env.acc.session(&a1.id).unwrap().is_none());
    assert!(env.acc.session(&a2.id).unwrap().is_some());

    env.acc
        .set_password("alice", "alice's new password")
        .unwrap();
    assert!(
        env.acc.session(&a2.id).unwrap().is_none(),
        "password change revokes sessions"
    );
    assert!(
        env.acc.session(&b.id).unwrap().is_some(),
        "other users keep theirs"
    );
    check(&env, ("alice", ALICE_PW, "10.2.0.1"), Kind::Bad);
    check(
        &env,
        ("alice", "alice's new password", "10.2.0.2"),
        Kind::Ok,
    );

    env.acc.disable_user("bob").unwrap();
    assert!(env.acc.session(&b.id).unwrap().is_none());
    env.acc.enable_user("bob").unwrap();
    assert!(
        env.acc.session(&b.id).unwrap().is_none(),
        "re-enabling does not revive sessions"
    );

    // Malformed ids are simply unknown.
    for bad in ["", "x", &a2.id.to_uppercase(), &format!("{}0", a2.id)] {
        assert!(env.acc.session(bad).unwrap().is_none(), "{bad:?}");
    }
}

#[test]
fn csrf_tokens() {
    let env = Env::with_users();
    let s = env.session("alice", ALICE_PW);
    let other = env.session("alice", ALICE_PW);
    assert!(s.check_csrf(&s.csrf_token));
    assert!(!s.check_csrf(&other.csrf_token));
    assert!(!s.check_csrf(""));
    assert!(!s.check_csrf(&s.csrf_token[..63]));
    assert!(!s.check_csrf(&s.id));
    let dbg = format!("{s:?}");
    assert!(
        !dbg.contains(&s.id) && !dbg.contains(&s.csrf_token),
        "{dbg}"
    );
}

#[test]
fn role_changes_reach_live_sessions() {
    let env = Env::with_users();
    let s = env.session("alice", ALICE_PW);
    env.acc
        .set_role("alice", Role::Admin, Clearance::Secret)
        .unwrap();
    let p = env.acc.session(&s.id).unwrap().unwrap().principal;
    assert!(p.is_admin() && p.can_read(Clearance::Secret));
}

#[test]
fn user_management_errors() {
    let env = Env::with_users();
    let a = &env.acc;
    assert!(matches!(
        a.add_user(
            "alice",
            Role::Analyst,
            Clearance::Public,
            "another long password"
        ),
        Err(AccountsError::DuplicateUser { .. })
    ));
    assert!(matches!(
        a.add_user(
            "dave",
            Role::Public,
            Clearance::Public,
            "another long password"
        ),
        Err(AccountsError::PublicRole { .. })
    ));
    assert!(matches!(
        a.set_role("alice", Role::Public, Clearance::Public),
        Err(AccountsError::PublicRole { .. })
    ));
    assert!(matches!(
        a.add_user("dave", Role::Analyst, Clearance::Public, "short"),
        Err(AccountsError::WeakPassword { .. })
    ));
    assert!(matches!(
        a.add_user(
            "Dave",
            Role::Analyst,
            Clearance::Public,
            "long enough password"
        ),
        Err(AccountsError::InvalidName { .. })
    ));
    assert!(matches!(
        a.set_password("alice", "short"),
        Err(AccountsError::WeakPassword { .. })
    ));
    assert!(matches!(
        a.set_password("nobody", "long enough password"),
        Err(AccountsError::UnknownUser { .. })
    ));
    assert!(matches!(
        a.set_role("nobody", Role::Admin, Clearance::Secret),
        Err(AccountsError::UnknownUser { .. })
    ));
    assert!(matches!(
        a.disable_user("nobody"),
        Err(AccountsError::UnknownUser { .. })
    ));
    // A weak password error never echoes the password.
    let e = a.set_password("alice", "hunter2").unwrap_err().to_string();
    assert!(!e.contains("hunter2"), "{e}");
}

#[test]
fn list_users_by_name() {
    let env = Env::with_users();
    env.advance(3600);
    env.acc
        .add_user(
            "aaron",
            Role::Diplomat,
            Clearance::Restricted,
            "aaron's long password",
        )
        .unwrap();
    env.acc.disable_user("bob").unwrap();
    let users = env.reopen().list_users().unwrap();
    let got: Vec<(&str, Role, Clearance, &str, bool)> = users
        .iter()
        .map(|u| {
            (
                u.name.as_str(),
                u.role,
                u.clearance,
                u.created_at.as_str(),
                u.disabled,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "aaron",
                Role::Diplomat,
                Clearance::Restricted,
                "2026-01-01T01:00:00Z",
                false
            ),
            (
                "alice",
                Role::Analyst,
                Clearance::Confidential,
                "2026-01-01T00:00:00Z",
                false
            ),
            (
                "bob",
                Role::Admin,
                Clearance::Secret,
                "2026-01-01T00:00:00Z",
                true
            ),
        ]
    );
    assert_eq!(env.acc.find_user("alice").unwrap().unwrap().id, users[1].id);
    assert_eq!(env.acc.find_user("zed").unwrap(), None);
}

#[test]
fn schema_versions() {
    let env = Env::with_users();
    // Reopening an up-to-date database changes nothing.
    let again = env.reopen();
    assert_eq!(again.list_users().unwrap().len(), 2);
    let conn = rusqlite::Connection::open(env.db_path()).unwrap();
    let v: i64 = conn
        .query_row("SELECT version FROM acct_schema_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, SCHEMA_VERSION);
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(tables.iter().all(|t| t.starts_with("acct_")), "{tables:?}");
    // A newer schema is refused, naming the file.
    conn.execute(
        "UPDATE acct_schema_version SET version = ?1",
        [SCHEMA_VERSION + 1],
    )
    .unwrap();
    let e = Accounts::open(&env.db_path()).unwrap_err();
    assert!(
        matches!(
            e,
            AccountsError::Open(attache_opsdb::OpenError::SchemaTooNew { .. })
        ),
        "{e}"
    );
    assert!(e.to_string().contains("attache.db"), "{e}");
}

#[cfg(unix)]
#[test]
fn database_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::with_users();
    let mode = std::fs::metadata(env.db_path())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
}

#[test]
fn missing_directory_is_an_error_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("no/such/dir/attache.db");
    let e = Accounts::open(&p).unwrap_err();
    assert!(e.to_string().contains("no/such/dir/attache.db"), "{e}");
}

/// A recorder for the tests: writes each change into a table of the accounts database inside
/// the change's transaction, and refuses changes to the user named `refused`.
struct TableRecord {
    committed: AtomicI64,
}

impl ChangeRecord for TableRecord {
    fn record_in(&self, tx: &Transaction<'_>, c: &AccountChange) -> Result<(), RecordFailure> {
        tx.execute(
            "CREATE TABLE IF NOT EXISTS test_record (user TEXT, change TEXT, detail TEXT)",
            [],
        )?;
        let detail: Vec<String> = c.detail.iter().map(|(k, v)| format!("{k}={v}")).collect();
        tx.execute(
            "INSERT INTO test_record VALUES (?1, ?2, ?3)",
            rusqlite::params![c.user, c.change, detail.join(" ")],
        )?;
        if c.user == "refused" {
            return Err("the record refuses this user".into());
        }
        Ok(())
    }

    fn committed(&self) -> Result<(), RecordFailure> {
        self.committed.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

fn recorded(path: &Path) -> Vec<String> {
    let db = rusqlite::Connection::open(path).unwrap();
    let mut st = db
        .prepare("SELECT user || ': ' || change || ' ' || detail FROM test_record ORDER BY rowid")
        .unwrap();
    st.query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|r| r.unwrap().trim_end().to_string())
        .collect()
}

#[test]
fn every_account_change_is_recorded_in_its_own_transaction() {
    let _runs = argon2_runs();
    let env = Env::new();
    let path = env.dir.path().join("attache.db");
    let rec = Arc::new(TableRecord {
        committed: AtomicI64::new(0),
    });
    let acc = env.acc.clone().with_record(rec.clone());
    acc.add_user("alice", Role::Analyst, Clearance::Restricted, ALICE_PW)
        .unwrap();
    acc.set_password("alice", BOB_PW).unwrap();
    acc.set_role("alice", Role::Diplomat, Clearance::Secret)
        .unwrap();
    let token = acc.issue_token("alice").unwrap();
    assert!(!token.contains(' '));
    acc.revoke_tokens("alice").unwrap();
    acc.disable_user("alice").unwrap();
    acc.enable_user("alice").unwrap();
    let rows = recorded(&path);
    assert_eq!(
        rows,
        [
            "alice: added role=analyst clearance=restricted",
            "alice: password changed",
            "alice: role changed role=diplomat clearance=secret",
            "alice: token issued",
            "alice: tokens revoked count=1",
            "alice: disabled",
            "alice: enabled",
        ]
    );
    assert_eq!(rec.committed.load(Ordering::SeqCst), 7);
    // No secret reaches the record.
    assert!(
        rows.iter()
            .all(|r| !r.contains(ALICE_PW) && !r.contains(BOB_PW))
    );
    // A failed change records nothing; a refused record undoes the change.
    assert!(
        acc.set_role("nobody", Role::Admin, Clearance::Secret)
            .is_err()
    );
    let err = acc
        .add_user("refused", Role::Analyst, Clearance::Public, ALICE_PW)
        .unwrap_err();
    assert!(
        matches!(
            err,
            AccountsError::Record {
                committed: false,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        acc.list_users()
            .unwrap()
            .iter()
            .all(|u| u.name != "refused")
    );
    assert_eq!(recorded(&path).len(), 7);
    assert_eq!(rec.committed.load(Ordering::SeqCst), 7);
}

/// A login's session and its entry commit together, and so do a logout's.
#[test]
fn sessions_are_recorded_in_their_own_transaction() {
    let _runs = argon2_runs();
    let env = Env::new();
    let path = env.dir.path().join("attache.db");
    let rec = Arc::new(TableRecord {
        committed: AtomicI64::new(0),
    });
    let acc = env.acc.clone().with_record(rec.clone());
    acc.add_user("alice", Role::Analyst, Clearance::Restricted, ALICE_PW)
        .unwrap();
    let LoginOutcome::Ok(s) = acc.login("alice", ALICE_PW, "192.0.2.1").unwrap() else {
        panic!("login failed")
    };
    assert!(acc.session(&s.id).unwrap().is_some());
    // A failed login opens no session and changes no account: nothing on this record.
    assert!(matches!(
        acc.login("alice", BOB_PW, "192.0.2.1").unwrap(),
        LoginOutcome::BadCredentials
    ));
    acc.logout(&s.id).unwrap();
    assert!(acc.session(&s.id).unwrap().is_none());
    // Logging out twice is fine and records nothing more.
    acc.logout(&s.id).unwrap();
    let rows = recorded(&path);
    assert_eq!(
        rows,
        [
            "alice: added role=analyst clearance=restricted",
            "alice: signed in client=192.0.2.1",
            "alice: signed out",
        ]
    );
    assert_eq!(rec.committed.load(Ordering::SeqCst), 3);
}

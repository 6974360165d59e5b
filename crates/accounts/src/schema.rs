//! The accounts tables (all prefixed `acct_`, so they can share a database file with others) and
//! their migrations, recorded in `acct_schema_version`. Each migration runs in one transaction;
//! a database from a newer build is refused rather than guessed at.

/// Migration `i` takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: users, API tokens, sessions, login failures.
    "CREATE TABLE acct_users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('analyst', 'diplomat', 'admin')),
        clearance TEXT NOT NULL CHECK (clearance IN ('public', 'restricted', 'confidential', 'secret')),
        password_phc TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
    );
    CREATE TABLE acct_tokens (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES acct_users(id) ON DELETE CASCADE,
        token_sha256 BLOB NOT NULL UNIQUE CHECK (length(token_sha256) = 32),
        created_at INTEGER NOT NULL
    );
    CREATE INDEX acct_tokens_user ON acct_tokens(user_id);
    CREATE TABLE acct_sessions (
        id_sha256 BLOB PRIMARY KEY CHECK (length(id_sha256) = 32),
        user_id INTEGER NOT NULL REFERENCES acct_users(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        last_seen INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX acct_sessions_user ON acct_sessions(user_id);
    CREATE TABLE acct_login_failures (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL,
        at INTEGER NOT NULL
    );
    CREATE INDEX acct_login_failures_key ON acct_login_failures(key, at);",
];

/// The accounts tables, as `attache_opsdb` opens them.
pub(crate) const SCHEMA: attache_opsdb::Schema = attache_opsdb::Schema {
    prefix: "acct",
    migrations: MIGRATIONS,
    pragmas: "PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;",
};

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = SCHEMA.version();

//! `attache user`: accounts managed from the command line, checked against the accounts library
//! opening the same database (no mirror or sync needed).

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use attache_accounts::{Accounts, Clearance, LoginOutcome, Role};
use common::{stderr, stdout};

/// Runs `attache user ARGS --data-dir DATA` with `input` on standard input.
fn user(data: &Path, args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_attache"))
        .arg("user")
        .args(args)
        .args(["--data-dir", data.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("running attache");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Runs a command and checks its outcome: `Ok(text)` = success with `text` in stdout,
/// `Err(text)` = non-zero exit with `text` in stderr (and no password echoed).
fn check(data: &Path, args: &[&str], input: &str, expect: Result<&str, &str>) -> Output {
    let o = user(data, args, input);
    let (out, err) = (stdout(&o), stderr(&o));
    match expect {
        Ok(want) => {
            assert!(o.status.success(), "{args:?} failed:\n{out}\n{err}");
            assert!(
                out.contains(want),
                "{args:?}: stdout lacks {want:?}:\n{out}"
            );
        }
        Err(want) => {
            assert!(
                !o.status.success(),
                "{args:?} succeeded but should fail:\n{out}"
            );
            assert!(
                err.contains(want),
                "{args:?}: stderr lacks {want:?}:\n{err}"
            );
        }
    }
    let password = input.lines().next().unwrap_or("");
    if password.len() >= 4 {
        assert!(
            !out.contains(password) && !err.contains(password),
            "{args:?} echoed the password"
        );
    }
    o
}

fn login(acc: &Accounts, name: &str, password: &str) -> bool {
    matches!(
        acc.login(name, password, "cli-test").unwrap(),
        LoginOutcome::Ok(_)
    )
}

#[test]
fn add_list_token_passwd() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("fresh"); // created by the command
    check(
        &data,
        &[
            "add",
            "alice",
            "--role",
            "analyst",
            "--clearance",
            "confidential",
        ],
        "alice's password 1\n",
        Ok("added user alice"),
    );
    // Windows line ending and no --clearance (defaults to public).
    check(
        &data,
        &["add", "bob", "--role", "admin"],
        "bob's password 22\r\n",
        Ok("clearance public"),
    );

    let o = check(&data, &["list"], "", Ok("name"));
    let lines: Vec<String> = stdout(&o)
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0], "name role clearance created status");
    assert!(
        lines[1].starts_with("alice analyst confidential 20") && lines[1].ends_with("Z active"),
        "{}",
        lines[1]
    );
    assert!(lines[2].starts_with("bob admin public 20"), "{}", lines[2]);

    let o = check(&data, &["token", "alice"], "", Ok("API token for alice"));
    let token = stdout(&o).lines().last().unwrap().to_string();
    assert!(token.starts_with("att_") && token.len() == 68, "{token}");

    // The library sees what the CLI wrote.
    let acc = Accounts::open(&data.join("attache.db")).unwrap();
    let p = acc
        .authenticate_token(&token)
        .unwrap()
        .expect("the printed token authenticates");
    assert_eq!(
        (p.name.as_str(), p.role, p.clearance),
        ("alice", Role::Analyst, Clearance::Confidential)
    );
    assert!(login(&acc, "alice", "alice's password 1"));
    assert!(
        login(&acc, "bob", "bob's password 22"),
        "the \\r\\n is not part of the password"
    );

    check(
        &data,
        &["passwd", "alice"],
        "alice's password 2\n",
        Ok("password of alice changed"),
    );
    assert!(!login(&acc, "alice", "alice's password 1"));
    assert!(login(&acc, "alice", "alice's password 2"));

    check(
        &data,
        &[
            "role",
            "alice",
            "--role",
            "diplomat",
            "--clearance",
            "secret",
        ],
        "",
        Ok("alice is now diplomat"),
    );
    assert_eq!(
        acc.authenticate_token(&token).unwrap().unwrap().clearance,
        Clearance::Secret
    );
    check(&data, &["disable", "alice"], "", Ok("disabled alice"));
    assert_eq!(acc.authenticate_token(&token).unwrap(), None);
    check(&data, &["list"], "", Ok("disabled"));
    check(&data, &["enable", "alice"], "", Ok("enabled alice"));
    check(
        &data,
        &["revoke-tokens", "alice"],
        "",
        Ok("revoked 1 token(s)"),
    );
    assert_eq!(acc.authenticate_token(&token).unwrap(), None);
}

#[test]
fn failures_exit_non_zero_and_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    check(
        data,
        &["add", "carol", "--role", "diplomat"],
        "carol's password\n",
        Ok("added user carol"),
    );
    check(
        data,
        &["add", "carol", "--role", "analyst"],
        "another password\n",
        Err("already exists"),
    );
    check(
        data,
        &["add", "dave", "--role", "analyst"],
        "hunter2hunt\n",
        Err("11 characters; at least 12"),
    );
    check(
        data,
        &["add", "dave", "--role", "analyst"],
        "",
        Err("no password on standard input"),
    );
    check(
        data,
        &["add", "dave", "--role", "analyst"],
        "\n",
        Err("no password on standard input"),
    );
    check(
        data,
        &["add", "dave", "--role", "public"],
        "dave's password\n",
        Err("anonymous"),
    );
    check(
        data,
        &["add", "dave", "--role", "root"],
        "dave's password\n",
        Err("unknown role"),
    );
    check(
        data,
        &["add", "dave", "--role", "analyst", "--clearance", "top"],
        "dave's password\n",
        Err("unknown clearance"),
    );
    check(
        data,
        &["add", "Dave", "--role", "analyst"],
        "dave's password\n",
        Err("invalid user name"),
    );
    check(
        data,
        &["passwd", "nobody"],
        "a long new password\n",
        Err("no user named \"nobody\""),
    );
    check(
        data,
        &["passwd", "carol"],
        "short\n",
        Err("password rejected"),
    );
    check(data, &["token", "nobody"], "", Err("no user named"));
    check(
        data,
        &["role", "nobody", "--role", "admin"],
        "",
        Err("no user named"),
    );
    // Nothing of the failed attempts was stored.
    let o = check(data, &["list"], "", Ok("carol"));
    assert_eq!(stdout(&o).lines().count(), 2, "{}", stdout(&o));
}

//! `attache statement` end to end: keygen, sign, verify; one word changed fails; the wrong key,
//! an edited manifest and an unsigned file each fail with their reason.

use std::path::Path;
use std::process::{Command, Output};

fn attache(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_attache"))
        .args(args)
        .env_remove("ATTACHE_STATEMENT_PUBKEY")
        .output()
        .expect("running attache")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

const STATEMENT: &str = "Statement by the Ministry of Foreign Affairs\n\nThe Ministry welcomes the ceasefire agreed on 1 March and calls on all parties to respect it.\n";

/// Verifies and expects `Ok(stdout needle)` for success or `Err(needle)` for exit 1.
fn check(file: &Path, manifest: &Path, extra: &[&str], expect: Result<&str, &str>) {
    let mut args = vec!["statement", "verify", s(file), s(manifest)];
    args.extend_from_slice(extra);
    let o = attache(&args);
    match expect {
        Ok(needle) => assert!(
            o.status.success() && text(&o).contains(needle),
            "{args:?}:\n{}",
            text(&o)
        ),
        Err(needle) => {
            assert_eq!(o.status.code(), Some(1), "{args:?}:\n{}", text(&o));
            assert!(text(&o).contains(needle), "{args:?}:\n{}", text(&o));
        }
    }
}

#[test]
fn sign_verify_and_one_changed_word() {
    let d = tempfile::tempdir().unwrap();
    let key = d.path().join("ministry.key");
    let o = attache(&["statement", "keygen", "--out", s(&key)]);
    assert!(o.status.success(), "{}", text(&o));
    let public = d.path().join("ministry.key.pub");
    assert!(
        std::fs::read_to_string(&public)
            .unwrap()
            .starts_with("-----BEGIN PUBLIC KEY-----")
    );

    let file = d.path().join("statement.txt");
    std::fs::write(&file, STATEMENT).unwrap();
    let manifest = d.path().join("statement.txt.manifest.json");
    let o = attache(&[
        "statement",
        "sign",
        s(&file),
        "--key",
        s(&key),
        "--out",
        s(&manifest),
        "--signer",
        "Ministry of Foreign Affairs",
        "--claim",
        "title=Ceasefire",
        "--claim",
        "language=en",
    ]);
    assert!(o.status.success(), "{}", text(&o));

    check(
        &file,
        &manifest,
        &[],
        Ok("signed by \"Ministry of Foreign Affairs\""),
    );
    check(
        &file,
        &manifest,
        &["--pubkey", s(&public)],
        Ok("claim title = Ceasefire"),
    );

    // One word changed.
    let changed = d.path().join("changed.txt");
    std::fs::write(&changed, STATEMENT.replace("welcomes", "condemns")).unwrap();
    check(
        &changed,
        &manifest,
        &[],
        Err("the file is not the one signed"),
    );
    check(
        &changed,
        &manifest,
        &["--pubkey", s(&public)],
        Err("the file is not the one signed"),
    );

    // Another ministry's key.
    let other = d.path().join("other.key");
    assert!(
        attache(&["statement", "keygen", "--out", s(&other)])
            .status
            .success()
    );
    check(
        &file,
        &manifest,
        &["--pubkey", s(&d.path().join("other.key.pub"))],
        Err("not a trusted key"),
    );
    // Several trusted keys in ATTACHE_STATEMENT_PUBKEY, comma-separated, as `serve` reads
    // them: the one that signed is among them (one definition of the flag for both).
    let both = format!("{},{}", s(&d.path().join("other.key.pub")), s(&public));
    let o = Command::new(env!("CARGO_BIN_EXE_attache"))
        .args(["statement", "verify", s(&file), s(&manifest)])
        .env("ATTACHE_STATEMENT_PUBKEY", &both)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));

    // The manifest edited to claim another signer.
    let text_m = std::fs::read_to_string(&manifest).unwrap();
    let edited = d.path().join("edited.json");
    std::fs::write(
        &edited,
        text_m.replace("Ministry of Foreign Affairs", "Ministry of Defence"),
    )
    .unwrap();
    check(&file, &edited, &[], Err("signature does not verify"));

    // Not a manifest at all.
    check(&file, &file, &[], Err("malformed manifest"));

    // keygen refuses to overwrite the key.
    let o = attache(&["statement", "keygen", "--out", s(&key)]);
    assert!(
        !o.status.success() && text(&o).contains("refusing to overwrite"),
        "{}",
        text(&o)
    );
}

#[test]
fn a_group_readable_key_is_refused() {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let key = d.path().join("k");
        assert!(
            attache(&["statement", "keygen", "--out", s(&key)])
                .status
                .success()
        );
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
        let file = d.path().join("f.txt");
        std::fs::write(&file, "x").unwrap();
        let o = attache(&[
            "statement",
            "sign",
            s(&file),
            "--key",
            s(&key),
            "--out",
            s(&d.path().join("m.json")),
        ]);
        assert_eq!(o.status.code(), Some(2));
        assert!(text(&o).contains("mode 644"), "{}", text(&o));
    }
}

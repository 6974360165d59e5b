//! Secret files on disk: directories only their owner can enter (0700), files only their owner
//! can read (0600), written whole (temporary file, fsync, rename) so a crash never leaves half a
//! key, and refused when read if others could read or write them (like ssh does).
//!
//! On platforms without Unix permissions the checks are skipped; the files are still written
//! atomically.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::VaultError;

/// Permissions of a secrets directory.
pub const DIR_MODE: u32 = 0o700;
/// Permissions of a secret file.
pub const FILE_MODE: u32 = 0o600;
/// Permissions of a public key file.
pub const PUBLIC_MODE: u32 = 0o644;

fn io<'a>(path: &'a Path, op: &'static str) -> impl FnOnce(std::io::Error) -> VaultError + use<'a> {
    move |source| VaultError::Io {
        path: path.to_path_buf(),
        op,
        source,
    }
}

/// Creates `dir` (and its parents) if missing, with mode 0700 on `dir` itself; an existing
/// directory must already be private to its owner.
pub fn ensure_private_dir(dir: &Path) -> Result<(), VaultError> {
    match fs::metadata(dir) {
        Ok(m) if m.is_dir() => check_private(dir, &m, DIR_MODE),
        Ok(_) => Err(VaultError::Io {
            path: dir.to_path_buf(),
            op: "using as the secrets directory",
            source: std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "exists and is not a directory",
            ),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
                fs::create_dir_all(parent).map_err(io(parent, "creating the directory"))?;
            }
            let mut b = fs::DirBuilder::new();
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut b, DIR_MODE);
            b.create(dir)
                .map_err(io(dir, "creating the secrets directory"))
        }
        Err(e) => Err(io(dir, "reading the metadata")(e)),
    }
}

/// Refuses a secret whose permissions let anyone but its owner in.
fn check_private(path: &Path, meta: &fs::Metadata, want: u32) -> Result<(), VaultError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(VaultError::InsecurePermissions {
                path: path.to_path_buf(),
                mode,
                want,
            });
        }
    }
    #[cfg(not(unix))]
    let _ = (path, meta, want);
    Ok(())
}

/// Reads a secret file (at most 1 MiB), refusing one that others may read or write. The bytes
/// are zeroed when dropped.
pub fn read_private(path: &Path) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    let meta = fs::metadata(path).map_err(io(path, "reading the metadata"))?;
    check_private(path, &meta, FILE_MODE)?;
    if meta.len() > 1 << 20 {
        return Err(VaultError::Io {
            path: path.to_path_buf(),
            op: "reading a key file",
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{} bytes is too large", meta.len()),
            ),
        });
    }
    fs::read(path)
        .map(Zeroizing::new)
        .map_err(io(path, "reading"))
}

/// Writes `bytes` to a fresh temporary file beside `path` with `mode`, fsynced.
fn write_temp(path: &Path, bytes: &[u8], mode: u32) -> Result<PathBuf, VaultError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let _ = fs::remove_file(&tmp);
    let mut opts = fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, mode);
    #[cfg(not(unix))]
    let _ = mode;
    let mut f = opts.open(&tmp).map_err(io(&tmp, "creating"))?;
    let written = f.write_all(bytes).and_then(|_| f.sync_all());
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(io(&tmp, "writing")(e));
    }
    Ok(tmp)
}

fn sync_parent(path: &Path) {
    // Durability of the rename; failures (e.g. on platforms that cannot open directories) are
    // not errors: the data itself was fsynced.
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && let Ok(d) = fs::File::open(parent)
    {
        let _ = d.sync_all();
    }
}

/// Creates `path` holding `bytes` with `mode`, atomically; refuses to replace an existing file.
pub fn create_new(path: &Path, bytes: &[u8], mode: u32) -> Result<(), VaultError> {
    let tmp = write_temp(path, bytes, mode)?;
    let linked = fs::hard_link(&tmp, path);
    let _ = fs::remove_file(&tmp);
    match linked {
        Ok(()) => {
            sync_parent(path);
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(VaultError::AlreadyExists {
            path: path.to_path_buf(),
        }),
        Err(e) => Err(io(path, "creating")(e)),
    }
}

/// Replaces (or creates) `path` with `bytes` and `mode`, atomically.
pub fn replace(path: &Path, bytes: &[u8], mode: u32) -> Result<(), VaultError> {
    let tmp = write_temp(path, bytes, mode)?;
    if let Err(e) = fs::rename(&tmp, path) {
        let _ = fs::remove_file(&tmp);
        return Err(io(path, "replacing")(e));
    }
    sync_parent(path);
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn private_dir_and_files() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("a/secrets");
        ensure_private_dir(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        ensure_private_dir(&dir).unwrap();
        let f = dir.join("k");
        create_new(&f, b"one", FILE_MODE).unwrap();
        assert_eq!(mode(&f), 0o600);
        assert!(matches!(
            create_new(&f, b"two", FILE_MODE),
            Err(VaultError::AlreadyExists { .. })
        ));
        assert_eq!(&read_private(&f).unwrap()[..], b"one");
        replace(&f, b"three", FILE_MODE).unwrap();
        assert_eq!(&read_private(&f).unwrap()[..], b"three");
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            1,
            "temporary files left behind"
        );

        fs::set_permissions(&f, fs::Permissions::from_mode(0o640)).unwrap();
        let e = read_private(&f).unwrap_err();
        assert!(
            e.to_string().contains("mode 640") && e.to_string().contains("chmod 600"),
            "{e}"
        );
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
        assert!(matches!(
            ensure_private_dir(&dir),
            Err(VaultError::InsecurePermissions { mode: 0o755, .. })
        ));
    }
}

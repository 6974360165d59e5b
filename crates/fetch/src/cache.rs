//! Cache layout: where a URL's file lives, and where the cache is by default.
//!
//! A URL is stored at `<cache_dir>/<key>/<name>`, where `<key>` is the first
//! 16 hexadecimal digits of the SHA-256 of the URL string and `<name>` is the
//! last segment of the URL path (percent-decoded, with path separators and
//! control characters replaced by `_`), or `download` when the path has no
//! usable last segment. Beside it live `<name>.part` (a download in
//! progress) and `<name>.lock` (held while a process downloads the URL).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The file name used when the URL path has no usable last segment.
const FALLBACK_NAME: &str = "download";

/// The longest file name (in bytes) taken from a URL; longer names are cut.
const MAX_NAME_BYTES: usize = 200;

/// The per-user cache directory.
///
/// `$ATTACHE_CACHE_DIR` if set and non-empty, else `$XDG_CACHE_HOME/attache`
/// if `XDG_CACHE_HOME` is set to an absolute path, else
/// `$HOME/.cache/attache`, and as a last resort `attache-cache` in the
/// system temporary directory.
pub fn default_cache_dir() -> PathBuf {
    cache_dir_from(|name| std::env::var_os(name))
}

/// [`default_cache_dir`] with the environment given as a lookup function.
pub(crate) fn cache_dir_from(env: impl Fn(&str) -> Option<OsString>) -> PathBuf {
    let non_empty = |name: &str| env(name).filter(|v| !v.is_empty());
    if let Some(dir) = non_empty("ATTACHE_CACHE_DIR") {
        return PathBuf::from(dir);
    }
    if let Some(xdg) = non_empty("XDG_CACHE_HOME").map(PathBuf::from)
        && xdg.is_absolute()
    {
        return xdg.join("attache");
    }
    if let Some(home) = non_empty("HOME") {
        return PathBuf::from(home).join(".cache").join("attache");
    }
    std::env::temp_dir().join("attache-cache")
}

/// Where `url` is (or will be) cached under `cache_dir`.
pub fn cache_path(cache_dir: &Path, url: &str) -> PathBuf {
    cache_dir.join(url_key(url)).join(file_name(url))
}

/// The first 16 hexadecimal digits of the SHA-256 of `url`.
pub(crate) fn url_key(url: &str) -> String {
    let digest = Sha256::digest(url.as_bytes());
    let mut key = hex::encode(digest);
    key.truncate(16);
    key
}

/// The file name for `url`: the last segment of its path, made safe.
pub(crate) fn file_name(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let end = after_scheme.find(['?', '#']).unwrap_or(after_scheme.len());
    let without_query = &after_scheme[..end];
    let path = without_query.find('/').map_or("", |i| &without_query[i..]);
    let segment = path.rsplit('/').next().unwrap_or("");
    sanitize(&percent_decode(segment))
}

/// Decodes `%XX` escapes; leaves the text unchanged when the result would
/// not be UTF-8.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hi) = bytes.get(i + 1).and_then(|b| (*b as char).to_digit(16))
            && let Some(lo) = bytes.get(i + 2).and_then(|b| (*b as char).to_digit(16))
        {
            // Two hex digits make at most 255, so this cannot truncate.
            out.push((hi * 16 + lo) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// Makes a URL segment usable as a file name on any platform.
fn sanitize(name: &str) -> String {
    let mut safe: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    if safe.len() > MAX_NAME_BYTES {
        let mut cut = MAX_NAME_BYTES;
        while !safe.is_char_boundary(cut) {
            cut -= 1;
        }
        safe.truncate(cut);
    }
    let trimmed = safe.trim();
    if trimmed.is_empty() || trimmed.chars().all(|c| c == '.') {
        FALLBACK_NAME.to_owned()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_name_is_last_path_segment() {
        assert_eq!(file_name("https://example.org/a/b/data.csv"), "data.csv");
        assert_eq!(
            file_name("https://example.org/a/data.zip?x=1#frag"),
            "data.zip"
        );
        assert_eq!(file_name("https://example.org/a/b%20c.txt"), "b c.txt");
        assert_eq!(file_name("https://example.org/a/x%2Fy"), "x_y");
    }

    #[test]
    fn file_name_falls_back_to_download() {
        assert_eq!(file_name("https://example.org"), "download");
        assert_eq!(file_name("https://example.org/"), "download");
        assert_eq!(file_name("https://example.org/dir/"), "download");
        assert_eq!(file_name("https://example.org/dir/.."), "download");
        assert_eq!(file_name("https://example.org/?q=/etc/passwd"), "download");
    }

    #[test]
    fn long_names_are_cut_on_a_char_boundary() {
        let url = format!("https://example.org/{}", "é".repeat(300));
        let name = file_name(&url);
        assert!(name.len() <= MAX_NAME_BYTES);
        assert!(name.chars().all(|c| c == 'é'));
    }

    #[test]
    fn cache_path_uses_url_key() {
        let url = "https://example.org/data.csv";
        let path = cache_path(Path::new("/cache"), url);
        let key = url_key(url);
        assert_eq!(key.len(), 16);
        assert!(
            key.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert_eq!(path, Path::new("/cache").join(key).join("data.csv"));
        assert_ne!(url_key(url), url_key("https://example.org/data.csv?v=2"));
    }

    #[test]
    fn cache_dir_precedence() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| OsString::from(*v))
            }
        };
        assert_eq!(
            cache_dir_from(env(&[
                ("ATTACHE_CACHE_DIR", "/explicit"),
                ("XDG_CACHE_HOME", "/xdg"),
                ("HOME", "/home/u"),
            ])),
            PathBuf::from("/explicit")
        );
        assert_eq!(
            cache_dir_from(env(&[
                ("ATTACHE_CACHE_DIR", ""),
                ("XDG_CACHE_HOME", "/xdg"),
                ("HOME", "/home/u")
            ])),
            PathBuf::from("/xdg/attache")
        );
        assert_eq!(
            cache_dir_from(env(&[("XDG_CACHE_HOME", "relative"), ("HOME", "/home/u")])),
            PathBuf::from("/home/u/.cache/attache")
        );
        assert_eq!(
            cache_dir_from(env(&[("HOME", "/home/u")])),
            PathBuf::from("/home/u/.cache/attache")
        );
        assert_eq!(
            cache_dir_from(env(&[])),
            std::env::temp_dir().join("attache-cache")
        );
    }
}

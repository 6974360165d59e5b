//! Small helpers shared by the byte parsers: lines as an editor counts them, values cut for
//! error messages.

/// A value as it appears in an error message: at most 120 characters.
pub(crate) fn cut(s: &str) -> String {
    let mut out: String = s.chars().take(120).collect();
    if s.chars().count() > 120 {
        out.push('…');
    }
    out
}

/// Lines of a text file with their 1-based numbers; a trailing `\r` is dropped (CRLF files
/// count lines as LF files do) and a final empty line (the file's last newline) is not a line.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let body = text.strip_suffix('\n').unwrap_or(text);
    let empty = text.is_empty();
    body.split('\n')
        .enumerate()
        .filter(move |_| !empty)
        .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
}

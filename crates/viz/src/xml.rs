//! Writing SVG text safely: XML escaping, coordinate formatting, compact path data and the
//! shared `<svg>` opening (title, description, ARIA).
//!
//! Everything that reaches the output as text or an attribute value goes through [`esc`], which
//! escapes the five XML metacharacters and replaces characters XML 1.0 forbids (C0 controls other
//! than tab/newline/CR, U+FFFE, U+FFFF) with U+FFFD, so any Rust string, a country name like
//! "Côte d'Ivoire" or a hostile `<script>`, yields well-formed, inert markup.
//!
//! Coordinates are written with one decimal ([`px`]); callers only pass finite numbers (inputs
//! are validated before layout). A non-finite number reaching the writer is a bug: it panics in
//! debug builds (so tests catch it) and is written as `0` in release builds, never as `NaN`.

use std::fmt::Write as _;

/// Escapes text for use in XML character data or in a double- or single-quoted attribute.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes a URL path segment (RFC 3986 unreserved characters pass through).
pub fn url_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Tenths of a unit, the resolution of every coordinate written.
fn tenths(v: f64) -> i64 {
    debug_assert!(
        v.is_finite(),
        "non-finite coordinate reached the SVG writer"
    );
    if v.is_finite() {
        (v * 10.0).round() as i64
    } else {
        0
    }
}

/// Writes a number of tenths compactly: `12`, `1.5`, `-.3`, `.3`.
fn push_tenths(out: &mut String, n: i64) {
    let (sign, a) = if n < 0 {
        ("-", n.unsigned_abs())
    } else {
        ("", n as u64)
    };
    out.push_str(sign);
    let (int, frac) = (a / 10, a % 10);
    if frac == 0 {
        let _ = write!(out, "{int}");
    } else if int == 0 {
        let _ = write!(out, ".{frac}");
    } else {
        let _ = write!(out, "{int}.{frac}");
    }
}

/// A coordinate or length rounded to one decimal, with no `-0`.
pub fn px(v: f64) -> String {
    let n = tenths(v);
    let (sign, a) = if n < 0 {
        ("-", n.unsigned_abs())
    } else {
        ("", n as u64)
    };
    if a % 10 == 0 {
        format!("{sign}{}", a / 10)
    } else {
        format!("{sign}{}.{}", a / 10, a % 10)
    }
}

/// A data value written into a `data-value` attribute: the shortest text that reads back as the
/// same `f64` (Rust's `Display`). Callers pass finite values only.
pub fn data_num(v: f64) -> String {
    debug_assert!(
        v.is_finite(),
        "non-finite data value reached the SVG writer"
    );
    if v.is_finite() {
        format!("{v}")
    } else {
        String::new()
    }
}

/// Compact SVG path data: each ring as an absolute `M` followed by relative `l` steps between
/// points rounded to tenths (rounding the absolute positions first, so there is no drift), with
/// repeated points dropped and an optional `z`.
#[derive(Default)]
pub struct PathData {
    d: String,
}

impl PathData {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends one polyline (`closed` adds `z`). Fewer than two distinct points add nothing.
    pub fn polyline(&mut self, pts: &[[f64; 2]], close: Close) {
        let mut q: Vec<(i64, i64)> = Vec::with_capacity(pts.len());
        for p in pts {
            let t = (tenths(p[0]), tenths(p[1]));
            if q.last() != Some(&t) {
                q.push(t);
            }
        }
        if close == Close::Yes && q.len() > 1 && q.first() == q.last() {
            q.pop();
        }
        let needed = if close == Close::Yes { 3 } else { 2 };
        if q.len() < needed {
            return;
        }
        self.d.push('M');
        push_tenths(&mut self.d, q[0].0);
        push_sep(&mut self.d, q[0].1);
        push_tenths(&mut self.d, q[0].1);
        self.d.push('l');
        let mut first = true;
        for w in q.windows(2) {
            let (dx, dy) = (w[1].0 - w[0].0, w[1].1 - w[0].1);
            if !first {
                push_sep(&mut self.d, dx);
            }
            first = false;
            push_tenths(&mut self.d, dx);
            push_sep(&mut self.d, dy);
            push_tenths(&mut self.d, dy);
        }
        if close == Close::Yes {
            self.d.push('z');
        }
    }

    pub fn is_empty(&self) -> bool {
        self.d.is_empty()
    }

    pub fn finish(self) -> String {
        self.d
    }
}

/// Whether a path piece is closed with `z`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Close {
    Yes,
    No,
}

/// A separator before a number: none before a minus sign, else a space.
fn push_sep(out: &mut String, next: i64) {
    if next >= 0 {
        out.push(' ');
    }
}

/// Opens the root `<svg>` with `viewBox`, size, a role and `aria-label`, and writes the
/// `<title>` and (if any) `<desc>`. Every chart and map starts here; close with `</svg>`.
///
/// The role is `img` for a picture, and `group` when `links` (the SVG holds `<a>` elements: an
/// image's children are presentational, so links inside `role="img"` are nested interactive
/// content that assistive technology cannot reach).
pub fn open_svg(
    out: &mut String,
    id: &str,
    class: &str,
    size: (f64, f64),
    (title, desc): (&str, &str),
    links: bool,
) {
    let (w, h) = size;
    let id = esc(id);
    let label = if desc.is_empty() {
        title.to_string()
    } else {
        format!("{title}. {desc}")
    };
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" id="{id}" class="viz {class}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="{role}" aria-label="{label}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" font-size="12">"#,
        role = if links { "group" } else { "img" },
        w = px(w),
        h = px(h),
        label = esc(&label),
    );
    let _ = write!(out, r#"<title id="{id}-title">{}</title>"#, esc(title));
    if !desc.is_empty() {
        let _ = write!(out, r#"<desc id="{id}-desc">{}</desc>"#, esc(desc));
    }
}

/// Writes a `<text>` element. `attrs` is raw attribute text (already escaped by the caller).
pub fn text(out: &mut String, x: f64, y: f64, attrs: &str, content: &str) {
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" {attrs}>{}</text>"#,
        px(x),
        px(y),
        esc(content)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: &str) {
        assert_eq!(esc(input), expect, "escaping {input:?}");
    }

    #[test]
    fn escaping() {
        check("Côte d'Ivoire", "Côte d&#39;Ivoire");
        check(
            "<script>alert(\"x\")</script>",
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;",
        );
        check("A & B", "A &amp; B");
        check("bell\u{7}tab\tnl\n", "bell\u{FFFD}tab\tnl\n");
        check("\u{FFFF}", "\u{FFFD}");
    }

    #[test]
    fn numbers() {
        for (v, s) in [
            (0.0, "0"),
            (-0.04, "0"),
            (-0.05, "-0.1"),
            (1.25, "1.3"),
            (-12.0, "-12"),
            (3.04, "3"),
        ] {
            assert_eq!(px(v), s, "{v}");
        }
        let mut p = PathData::new();
        p.polyline(
            &[[0.0, 0.0], [1.0, 0.5], [1.04, 0.52], [0.0, 1.0]],
            Close::Yes,
        );
        assert_eq!(p.finish(), "M0 0l1 .5-1 .5z");
    }

    #[test]
    fn url_segments() {
        assert_eq!(url_segment("CIV"), "CIV");
        assert_eq!(url_segment("a b/<c>"), "a%20b%2F%3Cc%3E");
        assert_eq!(url_segment("Ô"), "%C3%94");
    }
}

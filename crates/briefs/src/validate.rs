//! The rules input must meet before anything is stored. Error messages name the field and the
//! rule, never the offending text (which may be classified).

use crate::BriefsError;
use crate::model::{NewBrief, NewDocument, NewEvidence, NewOption};

pub const MAX_TITLE_CHARS: usize = 300;
pub const MAX_QUESTION_CHARS: usize = 10_000;
pub const MAX_SUMMARY_CHARS: usize = 20_000;
pub const MAX_RATIONALE_CHARS: usize = 20_000;
pub const MIN_OPTIONS: usize = 2;
pub const MAX_OPTIONS: usize = 12;
pub const MAX_DOCUMENT_BYTES: usize = 16 * 1024 * 1024;
pub const MAX_NAME_CHARS: usize = 255;

fn invalid(field: &'static str, reason: impl Into<String>) -> BriefsError {
    BriefsError::Invalid {
        field,
        reason: reason.into(),
    }
}

/// Non-blank, at most `max` characters, and on one line if `one_line`.
fn text(field: &'static str, s: &str, max: usize, one_line: bool) -> Result<(), BriefsError> {
    if s.trim().is_empty() {
        return Err(invalid(field, "empty"));
    }
    let n = s.chars().count();
    if n > max {
        return Err(invalid(field, format!("{n} characters (at most {max})")));
    }
    let bad_control = |c: char| c.is_control() && (one_line || !matches!(c, '\n' | '\r' | '\t'));
    if s.chars().any(bad_control) {
        return Err(invalid(
            field,
            if one_line {
                "contains a control character or line break"
            } else {
                "contains a control character"
            },
        ));
    }
    Ok(())
}

/// Like [`text`] but may be empty.
fn optional_text(field: &'static str, s: &str, max: usize) -> Result<(), BriefsError> {
    if s.is_empty() {
        Ok(())
    } else {
        text(field, s, max, false)
    }
}

pub fn title(s: &str) -> Result<(), BriefsError> {
    text("title", s, MAX_TITLE_CHARS, true)
}

pub fn question(s: &str) -> Result<(), BriefsError> {
    text("question", s, MAX_QUESTION_CHARS, false)
}

pub fn options(opts: &[NewOption]) -> Result<(), BriefsError> {
    if !(MIN_OPTIONS..=MAX_OPTIONS).contains(&opts.len()) {
        return Err(invalid(
            "options",
            format!(
                "{} given; a brief has {MIN_OPTIONS} to {MAX_OPTIONS}",
                opts.len()
            ),
        ));
    }
    for o in opts {
        text("option title", &o.title, MAX_TITLE_CHARS, true)?;
        optional_text("option summary", &o.summary, MAX_SUMMARY_CHARS)?;
    }
    Ok(())
}

pub fn new_brief(b: &NewBrief) -> Result<(), BriefsError> {
    title(&b.title)?;
    question(&b.question)?;
    options(&b.options)
}

/// A rationale: required (not blank) and bounded.
pub fn rationale(s: &str) -> Result<(), BriefsError> {
    if s.trim().is_empty() {
        return Err(BriefsError::EmptyRationale);
    }
    text("rationale", s, MAX_RATIONALE_CHARS, false)
}

pub fn evidence(e: &NewEvidence) -> Result<(), BriefsError> {
    text("evidence title", &e.title, MAX_TITLE_CHARS, true)?;
    text(
        "evidence summary",
        &e.summary.body,
        MAX_SUMMARY_CHARS,
        false,
    )?;
    text("evidence source", &e.source, MAX_TITLE_CHARS, true)?;
    text(
        "evidence data vintage",
        &e.data_vintage,
        MAX_TITLE_CHARS,
        true,
    )?;
    match &e.model {
        Some(m) => {
            text("evidence model name", &m.name, MAX_TITLE_CHARS, true)?;
            text("evidence model version", &m.version, MAX_TITLE_CHARS, true)?;
        }
        None if e.kind.needs_model() => {
            return Err(invalid(
                "evidence model",
                format!(
                    "{} evidence must name the model and version it came from",
                    e.kind
                ),
            ));
        }
        None => {}
    }
    if let Some(o) = &e.outcome {
        o.validate()?;
    }
    Ok(())
}

pub fn document(d: &NewDocument) -> Result<(), BriefsError> {
    text("document name", &d.name, MAX_NAME_CHARS, true)?;
    let mt = &d.media_type;
    let ok_type = mt.len() <= 127
        && mt.split_once('/').is_some_and(|(a, b)| {
            let tok = |s: &str| {
                !s.is_empty()
                    && s.bytes()
                        .all(|c| c.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&c))
            };
            tok(a) && tok(b)
        });
    if !ok_type {
        return Err(invalid(
            "document media type",
            "expected a MIME type such as application/pdf",
        ));
    }
    if d.content.len() > MAX_DOCUMENT_BYTES {
        return Err(invalid(
            "document",
            format!("{} bytes (at most {MAX_DOCUMENT_BYTES})", d.content.len()),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use attache_accounts::Clearance;

    fn opt(t: &str) -> NewOption {
        NewOption {
            title: t.into(),
            summary: String::new(),
        }
    }

    fn brief(title: &str, question: &str, options: Vec<NewOption>) -> NewBrief {
        NewBrief {
            title: title.into(),
            question: question.into(),
            classification: Clearance::Public,
            options,
        }
    }

    fn check(b: NewBrief, expect: Result<(), &str>) {
        match (new_brief(&b), expect) {
            (Ok(()), Ok(())) => {}
            (Err(e), Err(needle)) => {
                assert!(e.to_string().contains(needle), "{e} lacks {needle:?}")
            }
            (got, want) => panic!("{b:?}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn brief_rules() {
        let two = || vec![opt("a"), opt("b")];
        check(brief("T", "Q?\nmore", two()), Ok(()));
        check(brief(" ", "Q", two()), Err("invalid title: empty"));
        check(
            brief("T\nx", "Q", two()),
            Err("invalid title: contains a control character or line break"),
        );
        check(
            brief(&"x".repeat(301), "Q", two()),
            Err("301 characters (at most 300)"),
        );
        check(brief("T", "", two()), Err("invalid question: empty"));
        check(
            brief("T", "Q\u{7}", two()),
            Err("invalid question: contains a control character"),
        );
        check(
            brief("T", "Q", vec![opt("a")]),
            Err("1 given; a brief has 2 to 12"),
        );
        check(
            brief("T", "Q", (0..13).map(|_| opt("a")).collect()),
            Err("13 given"),
        );
        check(
            brief("T", "Q", vec![opt("a"), opt("")]),
            Err("invalid option title: empty"),
        );
        // Messages never repeat the text.
        let e = new_brief(&brief("secret plan\n", "Q", two())).unwrap_err();
        assert!(!e.to_string().contains("secret"), "{e}");
    }

    #[test]
    fn rationale_rules() {
        assert!(matches!(rationale(""), Err(BriefsError::EmptyRationale)));
        assert!(matches!(
            rationale(" \n\t"),
            Err(BriefsError::EmptyRationale)
        ));
        assert!(rationale("Because the risk is lower.\nSee annex.").is_ok());
    }

    #[test]
    fn document_rules() {
        let d = |name: &str, mt: &str, n: usize| NewDocument {
            name: name.into(),
            media_type: mt.into(),
            classification: Clearance::Secret,
            content: vec![0; n],
        };
        assert!(document(&d("cable.pdf", "application/pdf", 10)).is_ok());
        assert!(document(&d("a.txt", "text/plain", 0)).is_ok());
        assert!(document(&d("", "text/plain", 1)).is_err());
        assert!(document(&d("a", "pdf", 1)).is_err());
        assert!(document(&d("a", "text/plain; charset=utf-8", 1)).is_err());
        assert!(
            document(&d("a", "text/plain", MAX_DOCUMENT_BYTES + 1))
                .unwrap_err()
                .to_string()
                .contains("at most")
        );
    }
}

//! Imported pledge tables: newer NDCs or net-zero targets a user supplies when the published
//! NDC tables lag (they hold first-round NDCs). No IO: the bytes are the caller's.
//!
//! **The schema** (UTF-8 CSV, RFC 4180 quoting, one header line, exactly these columns):
//!
//! | column | meaning | rule |
//! | --- | --- | --- |
//! | `iso3` | the party | a code or name the crosswalk knows; each party once |
//! | `pledge` | the pledge, in the grammar of `attache climate pledges --edit` (`base:2005,cut:50,by:2030`, `peak:2025`, `netzero:2060`, ...) | it amends the coded NDC: a spec with only `netzero:2050` keeps the coded target and adds the net-zero year |
//! | `round` | which NDC or announcement (`NDC 3.0`, `net-zero law`) | 1 to 64 characters |
//! | `submitted` | date it was filed or announced, `YYYY-MM-DD` | from 2015-01-01 to today |
//! | `source` | where it can be checked (URL or citation) | 1 to 500 characters |
//!
//! Every error names the file, the line, the column and the value; an empty file, a file
//! without rows and a repeated party are errors. Nothing is dropped silently.

use attache_core::{Crosswalk, Date};

use crate::ndc::apply_edit;

/// The header, in order.
pub const HEADER: [&str; 5] = ["iso3", "pledge", "round", "submitted", "source"];

/// One imported row, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedPledge {
    /// ISO3 of the party.
    pub iso3: String,
    /// The pledge spec (edit grammar).
    pub pledge: String,
    /// Which NDC or announcement.
    pub round: String,
    /// Filing date.
    pub submitted: Date,
    /// Where to check it.
    pub source: String,
    /// Line in the file (1 = the header).
    pub line: usize,
}

impl ImportedPledge {
    /// What a pledge read from this row says about where it came from.
    pub fn provenance(&self) -> String {
        format!(
            "import: {}, submitted {} ({})",
            self.round, self.submitted, self.source
        )
    }
}

/// A rejected import: file, line, column and value, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {column} {value:?}: {reason}")]
pub struct ImportError {
    pub file: String,
    pub line: usize,
    pub column: String,
    pub value: String,
    pub reason: String,
}

/// Splits one CSV line into fields (RFC 4180 quoting; a quote inside a quoted field is
/// doubled). `Err` on an unterminated quote or text after a closing quote.
fn fields(line: &str) -> Result<Vec<String>, &'static str> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    cur.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                cur.push(c);
            }
        } else if c == ',' {
            out.push(std::mem::take(&mut cur));
            was_quoted = false;
        } else if c == '"' {
            if !cur.is_empty() || was_quoted {
                return Err("a quote inside an unquoted field");
            }
            quoted = true;
            was_quoted = true;
        } else if was_quoted {
            return Err("text after a closing quote");
        } else {
            cur.push(c);
        }
    }
    if quoted {
        return Err("an unterminated quote");
    }
    out.push(cur);
    Ok(out)
}

/// Parses and checks an imported pledge table (see the module documentation). `file` names
/// the input in errors; `today` bounds the filing dates.
pub fn parse_imports(
    bytes: &[u8],
    file: &str,
    today: Date,
) -> Result<Vec<ImportedPledge>, ImportError> {
    let err = |line: usize, column: &str, value: &str, reason: String| ImportError {
        file: file.to_string(),
        line,
        column: column.to_string(),
        value: value.chars().take(200).collect(),
        reason,
    };
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        err(line, "file", "", "not UTF-8 text".into())
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(err(1, "file", "", "the file is empty".into()));
    }
    let mut lines = text.lines().enumerate();
    let (_, head) = lines.next().unwrap_or((0, ""));
    let head_fields =
        fields(head.trim_end_matches('\r')).map_err(|r| err(1, "header", head, r.into()))?;
    let got: Vec<&str> = head_fields.iter().map(|h| h.trim()).collect();
    if got != HEADER {
        return Err(err(
            1,
            "header",
            head,
            format!("expected exactly {}", HEADER.join(",")),
        ));
    }
    let earliest = Date::new(2015, 1, 1).expect("a valid date");
    let cw = Crosswalk::global();
    let mut out: Vec<ImportedPledge> = Vec::new();
    for (i, raw) in lines {
        let line = i + 1;
        let raw = raw.trim_end_matches('\r');
        if raw.trim().is_empty() {
            continue;
        }
        let f = fields(raw).map_err(|r| err(line, "line", raw, r.into()))?;
        if f.len() != HEADER.len() {
            return Err(err(
                line,
                "line",
                raw,
                format!("{} fields, expected {}", f.len(), HEADER.len()),
            ));
        }
        let f: Vec<&str> = f.iter().map(|x| x.trim()).collect();
        let iso3 = cw
            .find(f[0])
            .map(|c| c.iso3.clone())
            .map_err(|e| err(line, "iso3", f[0], e.to_string()))?;
        if let Some(prev) = out.iter().find(|p| p.iso3 == iso3) {
            return Err(err(
                line,
                "iso3",
                f[0],
                format!("{iso3} is already on line {}", prev.line),
            ));
        }
        if f[1].is_empty() {
            return Err(err(line, "pledge", f[1], "empty".into()));
        }
        apply_edit(None, f[1]).map_err(|e| err(line, "pledge", f[1], e.to_string()))?;
        if f[2].is_empty() || f[2].chars().count() > 64 {
            return Err(err(line, "round", f[2], "1 to 64 characters".into()));
        }
        let submitted: Date = f[3]
            .parse()
            .map_err(|e: attache_core::DateError| err(line, "submitted", f[3], e.to_string()))?;
        if submitted < earliest || submitted > today {
            return Err(err(
                line,
                "submitted",
                f[3],
                format!("expected a date from {earliest} to today ({today})"),
            ));
        }
        if f[4].is_empty() || f[4].chars().count() > 500 {
            return Err(err(line, "source", f[4], "1 to 500 characters".into()));
        }
        out.push(ImportedPledge {
            iso3,
            pledge: f[1].to_string(),
            round: f[2].to_string(),
            submitted,
            source: f[4].to_string(),
            line,
        });
    }
    if out.is_empty() {
        return Err(err(1, "file", "", "a header but no rows".into()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 12, 6).unwrap()
    }

    /// `Ok(n)`: parses to n rows; `Err(text)`: the error's text.
    fn check(input: &str, expect: Result<usize, &str>) {
        match (parse_imports(input.as_bytes(), "ndc.csv", today()), expect) {
            (Ok(rows), Ok(n)) => assert_eq!(rows.len(), n, "{input}"),
            (Err(e), Err(text)) => assert_eq!(e.to_string(), text, "{input}"),
            (got, want) => panic!("{input}: got {got:?}, want {want:?}"),
        }
    }

    const H: &str = "iso3,pledge,round,submitted,source\n";

    #[test]
    fn imports_are_checked_line_by_line() {
        check(
            &format!(
                "{H}CHN,\"peak:2030,netzero:2060\",NDC 3.0,2025-11-03,https://unfccc.int/NDCREG\n"
            ),
            Ok(1),
        );
        check(
            &format!(
                "{H}Japan,netzero:2050,net-zero law,2021-05-26,\"Act on Promotion of Global Warming Countermeasures, amended\"\r\nIND,netzero:2070,COP26 statement,2021-11-01,https://pib.gov.in\r\n\r\n"
            ),
            Ok(2),
        );
        check("", Err("ndc.csv:1: file \"\": the file is empty"));
        check(H, Err("ndc.csv:1: file \"\": a header but no rows"));
        check(
            "iso,pledge,round,submitted,source\nCHN,peak:2030,x,2025-01-01,y\n",
            Err(
                "ndc.csv:1: header \"iso,pledge,round,submitted,source\": expected exactly iso3,pledge,round,submitted,source",
            ),
        );
        check(
            &format!("{H}QQQ,peak:2030,x,2025-01-01,y\n"),
            Err("ndc.csv:2: iso3 \"QQQ\": no country or code matches \"QQQ\""),
        );
        check(
            &format!("{H}CHN,speed:3,x,2025-01-01,y\n"),
            Err(
                "ndc.csv:2: pledge \"speed:3\": pledge edit `speed:3`: unknown key `speed` (base, cut, by, bau, intensity, level, peak, decline, netzero, none)",
            ),
        );
        check(
            &format!("{H}CHN,peak:2030,x,2031-01-01,y\n"),
            Err(
                "ndc.csv:2: submitted \"2031-01-01\": expected a date from 2015-01-01 to today (2026-12-06)",
            ),
        );
        check(
            &format!("{H}CHN,peak:2030,,2025-01-01,y\n"),
            Err("ndc.csv:2: round \"\": 1 to 64 characters"),
        );
        check(
            &format!("{H}CHN,peak:2030,x,2025-01-01,\n"),
            Err("ndc.csv:2: source \"\": 1 to 500 characters"),
        );
        check(
            &format!("{H}CHN,peak:2030,x,2025-01-01,y\nChina,netzero:2060,x,2025-01-01,y\n"),
            Err("ndc.csv:3: iso3 \"China\": CHN is already on line 2"),
        );
        check(
            &format!("{H}CHN,peak:2030,netzero:2060,x,2025-01-01,y\n"),
            Err(
                "ndc.csv:2: line \"CHN,peak:2030,netzero:2060,x,2025-01-01,y\": 6 fields, expected 5",
            ),
        );
        check(
            &format!("{H}CHN,\"peak:2030,x,2025-01-01,y\n"),
            Err("ndc.csv:2: line \"CHN,\\\"peak:2030,x,2025-01-01,y\": an unterminated quote"),
        );
        assert!(parse_imports(b"\xff\xfe", "ndc.csv", today()).is_err());
    }

    #[test]
    fn provenance_names_round_date_and_source() {
        let r = parse_imports(
            format!("{H}CHN,netzero:2060,NDC 3.0,2025-11-03,https://unfccc.int/NDCREG\n")
                .as_bytes(),
            "ndc.csv",
            today(),
        )
        .unwrap();
        assert_eq!(
            r[0].provenance(),
            "import: NDC 3.0, submitted 2025-11-03 (https://unfccc.int/NDCREG)"
        );
    }
}

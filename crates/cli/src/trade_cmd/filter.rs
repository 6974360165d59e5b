//! The `--where` filter of `attache trade estimate`: conditions `COL OP VALUE` (OP one of
//! `== != < <= > >=`; VALUE a number, a quoted string or another column) joined by `&&` and
//! `||` (`&&` binds tighter), with parentheses, e.g.
//! `exporter != importer && (year == 1986 || year == 1990)`. A comparison with a missing value
//! is false. Errors name the character offset.

use anyhow::{Result, bail};
use attache_trade::{Column, Frame};

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    fn holds(self, o: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            Op::Eq => o == Equal,
            Op::Ne => o != Equal,
            Op::Lt => o == Less,
            Op::Le => o != Greater,
            Op::Gt => o == Greater,
            Op::Ge => o != Less,
        }
    }
}

/// The right-hand side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A number.
    Num(f64),
    /// A quoted string.
    Text(String),
    /// Another column.
    Column(String),
}

/// A parsed `--where` expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `COL OP VALUE`; `at` is the offset of the column name, `value_at` of the value.
    Cond {
        column: String,
        op: Op,
        value: Value,
        at: usize,
        value_at: usize,
    },
    /// Both hold.
    And(Box<Expr>, Box<Expr>),
    /// Either holds.
    Or(Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Num(f64),
    Str(String),
    Op(Op),
    And,
    Or,
    Open,
    Close,
}

fn tokenize(text: &str) -> Result<Vec<(usize, Tok)>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |at: usize, m: String| -> anyhow::Error {
        anyhow::anyhow!("--where: {m} at character {at} in `{text}`")
    };
    while i < chars.len() {
        let (at, c) = chars[i];
        let next = chars.get(i + 1).map(|x| x.1);
        if c.is_whitespace() {
            i += 1;
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].1.is_alphanumeric() || "_.".contains(chars[i].1)) {
                i += 1;
            }
            out.push((
                at,
                Tok::Ident(chars[start..i].iter().map(|x| x.1).collect()),
            ));
        } else if c.is_ascii_digit()
            || ((c == '-' || c == '.') && next.is_some_and(|n| n.is_ascii_digit() || n == '.'))
        {
            let start = i;
            i += 1;
            while i < chars.len()
                && (chars[i].1.is_ascii_alphanumeric()
                    || chars[i].1 == '.'
                    || ((chars[i].1 == '-' || chars[i].1 == '+')
                        && matches!(chars[i - 1].1, 'e' | 'E')))
            {
                i += 1;
            }
            let s: String = chars[start..i].iter().map(|x| x.1).collect();
            match s.parse::<f64>() {
                Ok(v) if v.is_finite() => out.push((at, Tok::Num(v))),
                _ => return Err(err(at, format!("`{s}` is not a number"))),
            }
        } else if c == '\'' || c == '"' {
            let start = i + 1;
            i += 1;
            while i < chars.len() && chars[i].1 != c {
                i += 1;
            }
            if i == chars.len() {
                return Err(err(at, "unclosed quote".into()));
            }
            out.push((at, Tok::Str(chars[start..i].iter().map(|x| x.1).collect())));
            i += 1;
        } else {
            let two: String = [Some(c), next].iter().flatten().collect();
            let (tok, len) = match (c, next) {
                ('&', Some('&')) => (Tok::And, 2),
                ('|', Some('|')) => (Tok::Or, 2),
                ('=', Some('=')) => (Tok::Op(Op::Eq), 2),
                ('!', Some('=')) => (Tok::Op(Op::Ne), 2),
                ('<', Some('=')) => (Tok::Op(Op::Le), 2),
                ('>', Some('=')) => (Tok::Op(Op::Ge), 2),
                ('<', _) => (Tok::Op(Op::Lt), 1),
                ('>', _) => (Tok::Op(Op::Gt), 1),
                ('(', _) => (Tok::Open, 1),
                (')', _) => (Tok::Close, 1),
                _ => {
                    return Err(err(
                        at,
                        format!(
                            "unexpected `{}` (conditions are COL OP VALUE, OP one of == != < <= > >=, joined by && or ||)",
                            if "=&|!".contains(c) {
                                two
                            } else {
                                c.to_string()
                            }
                        ),
                    ));
                }
            };
            out.push((at, tok));
            i += len;
        }
    }
    Ok(out)
}

struct Parser<'a> {
    text: &'a str,
    toks: Vec<(usize, Tok)>,
    pos: usize,
}

impl Parser<'_> {
    fn here(&self) -> usize {
        self.toks.get(self.pos).map_or(self.text.len(), |t| t.0)
    }

    fn fail<T>(&self, m: &str) -> Result<T> {
        bail!(
            "--where: {m} at character {} in `{}`",
            self.here(),
            self.text
        )
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.1)
    }

    fn or(&mut self) -> Result<Expr> {
        let mut e = self.and()?;
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            e = Expr::Or(Box::new(e), Box::new(self.and()?));
        }
        Ok(e)
    }

    fn and(&mut self) -> Result<Expr> {
        let mut e = self.atom()?;
        while self.peek() == Some(&Tok::And) {
            self.pos += 1;
            e = Expr::And(Box::new(e), Box::new(self.atom()?));
        }
        Ok(e)
    }

    fn atom(&mut self) -> Result<Expr> {
        let at = self.here();
        match self.peek().cloned() {
            Some(Tok::Open) => {
                self.pos += 1;
                let e = self.or()?;
                if self.peek() != Some(&Tok::Close) {
                    return self.fail("expected `)`");
                }
                self.pos += 1;
                Ok(e)
            }
            Some(Tok::Ident(column)) => {
                self.pos += 1;
                let Some(Tok::Op(op)) = self.peek().cloned() else {
                    return self.fail("expected an operator (== != < <= > >=)");
                };
                self.pos += 1;
                let vat = self.here();
                let value = match self.peek().cloned() {
                    Some(Tok::Num(v)) => Value::Num(v),
                    Some(Tok::Str(s)) => Value::Text(s),
                    Some(Tok::Ident(c)) => Value::Column(c),
                    _ => return self.fail("expected a number, a quoted string or a column"),
                };
                self.pos += 1;
                Ok(Expr::Cond {
                    column,
                    op,
                    value,
                    at,
                    value_at: vat,
                })
            }
            _ => self.fail("expected a condition COL OP VALUE"),
        }
    }
}

/// Parses a `--where` expression.
pub fn parse(text: &str) -> Result<Expr> {
    let mut p = Parser {
        text,
        toks: tokenize(text)?,
        pos: 0,
    };
    let e = p.or()?;
    if p.pos < p.toks.len() {
        return p.fail("unexpected text after the condition (join conditions with && or ||)");
    }
    Ok(e)
}

impl Expr {
    /// Which rows of `frame` the expression keeps. Fails naming a column that is not in the
    /// frame or a comparison of numbers with text.
    pub fn eval(&self, frame: &Frame, text: &str) -> Result<Vec<bool>> {
        let n = frame.rows();
        match self {
            Expr::And(a, b) => {
                let (a, b) = (a.eval(frame, text)?, b.eval(frame, text)?);
                Ok(a.iter().zip(b).map(|(x, y)| *x && y).collect())
            }
            Expr::Or(a, b) => {
                let (a, b) = (a.eval(frame, text)?, b.eval(frame, text)?);
                Ok(a.iter().zip(b).map(|(x, y)| *x || y).collect())
            }
            Expr::Cond {
                column,
                op,
                value,
                at,
                value_at,
            } => {
                let op = *op;
                let left = frame.column(column).map_err(|_| {
                    crate::trade_cmd::no_column(frame, column, &format!("--where (character {at})"))
                })?;
                let mismatch = |what: &str| {
                    anyhow::anyhow!(
                        "--where: column `{column}` holds {}, compared with {what} at character {} in `{text}`",
                        kind(left),
                        *value_at
                    )
                };
                match (left, value) {
                    (Column::Num(l), Value::Num(r)) => Ok(l
                        .iter()
                        .map(|x| !x.is_nan() && x.partial_cmp(r).is_some_and(|o| op.holds(o)))
                        .collect()),
                    (Column::Text(l), Value::Text(r)) => Ok(l
                        .iter()
                        .map(|x| !x.is_empty() && op.holds(x.as_str().cmp(r.as_str())))
                        .collect()),
                    (_, Value::Column(c)) => {
                        let right = frame.column(c).map_err(|_| {
                            crate::trade_cmd::no_column(
                                frame,
                                c,
                                &format!("--where (character {})", *value_at),
                            )
                        })?;
                        match (left, right) {
                            (Column::Num(l), Column::Num(r)) => Ok((0..n)
                                .map(|i| l[i].partial_cmp(&r[i]).is_some_and(|o| op.holds(o)))
                                .collect()),
                            (Column::Text(l), Column::Text(r)) => Ok((0..n)
                                .map(|i| {
                                    !l[i].is_empty()
                                        && !r[i].is_empty()
                                        && op.holds(l[i].cmp(&r[i]))
                                })
                                .collect()),
                            _ => Err(mismatch(&format!(
                                "column `{c}`, which holds {}",
                                kind(right)
                            ))),
                        }
                    }
                    (_, Value::Num(_)) => Err(mismatch("a number")),
                    (_, Value::Text(_)) => Err(mismatch("a quoted string")),
                }
            }
        }
    }
}

fn kind(c: &Column) -> &'static str {
    match c {
        Column::Num(_) => "numbers",
        Column::Text(_) => "text",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame() -> Frame {
        Frame::new()
            .with(
                "exporter",
                Column::Text(["A", "A", "B", ""].map(String::from).to_vec()),
            )
            .unwrap()
            .with(
                "importer",
                Column::Text(["A", "B", "A", "B"].map(String::from).to_vec()),
            )
            .unwrap()
            .with("year", Column::Num(vec![1986.0, 1987.0, 1990.0, f64::NAN]))
            .unwrap()
    }

    fn keep(text: &str) -> Vec<bool> {
        parse(text).unwrap().eval(&frame(), text).unwrap()
    }

    #[test]
    fn conditions_and_or_and_parentheses() {
        assert_eq!(keep("exporter != importer"), [false, true, true, false]);
        assert_eq!(keep("year >= 1987"), [false, true, true, false]);
        assert_eq!(
            keep("exporter == 'A' && (year == 1986 || year == 1987)"),
            [true, true, false, false]
        );
        assert_eq!(
            keep("year < 1987 || importer == \"B\""),
            [true, true, false, true]
        );
        assert_eq!(keep("year<=1.987e3"), [true, true, false, false]);
    }

    #[test]
    fn errors_name_the_offset_and_the_column() {
        for (text, want) in [
            ("year >= ", "character 8"),
            ("year = 1986", "character 5"),
            ("year >= 1986 year", "character 13"),
            ("(year >= 1986", "character 13"),
            ("year == 'x", "character 8"),
        ] {
            let e = parse(text).err().unwrap().to_string();
            assert!(e.contains(want), "{text}: {e}");
        }
        let e = keep_err("yaer >= 1986");
        assert!(e.contains("yaer") && e.contains("year"), "{e}");
        let e = keep_err("year == 'x'");
        assert!(e.contains("numbers") && e.contains("character 8"), "{e}");
    }

    fn keep_err(text: &str) -> String {
        format!(
            "{:#}",
            parse(text).unwrap().eval(&frame(), text).err().unwrap()
        )
    }
}

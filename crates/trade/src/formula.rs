//! Model formulas in fixest's style: `trade ~ log(DIST) + CNTG + RTA | exporter^year +
//! importer^year + pair_id`. Left of `~` the dependent variable, then regressors (a column or
//! `log(column)`; `0` drops the intercept of a model without fixed effects), and after `|` the
//! fixed effects to absorb, each a column or an interaction `a^b^...` of columns.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::frame::Frame;

/// One variable: a column, or the natural log of one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Term {
    /// The column as it is.
    Column(String),
    /// `log(column)`: the natural logarithm; a value <= 0 is refused.
    Log(String),
}

impl Term {
    /// The column the term reads.
    pub fn column(&self) -> &str {
        match self {
            Term::Column(c) | Term::Log(c) => c,
        }
    }

    /// The term's values over the frame's rows.
    pub fn values(&self, frame: &Frame) -> Result<Vec<f64>> {
        let col = frame.num(self.column())?;
        match self {
            Term::Column(_) => Ok(col.to_vec()),
            Term::Log(name) => col
                .iter()
                .enumerate()
                .map(|(row, &v)| {
                    if v > 0.0 || v.is_nan() {
                        Ok(v.ln())
                    } else {
                        Err(Error::BadValue {
                            column: name.clone(),
                            row,
                            value: v,
                            message: "log of a value that is not positive".into(),
                        })
                    }
                })
                .collect(),
        }
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::Column(c) => write!(f, "{c}"),
            Term::Log(c) => write!(f, "log({c})"),
        }
    }
}

/// A fixed effect: one column, or the interaction of several (`exporter^year`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FixedEffect(pub Vec<String>);

impl fmt::Display for FixedEffect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.join("^"))
    }
}

/// A parsed formula.
#[derive(Debug, Clone, PartialEq)]
pub struct Formula {
    /// The dependent variable.
    pub lhs: Term,
    /// The regressors, in order.
    pub rhs: Vec<Term>,
    /// Whether a model without fixed effects gets an intercept (`_cons`); ignored when fixed
    /// effects are absorbed (they hold the intercept).
    pub intercept: bool,
    /// The fixed effects to absorb.
    pub fixed_effects: Vec<FixedEffect>,
}

impl fmt::Display for Formula {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ~ ", self.lhs)?;
        let mut terms: Vec<String> = self.rhs.iter().map(ToString::to_string).collect();
        if !self.intercept {
            terms.insert(0, "0".into());
        }
        if terms.is_empty() {
            terms.push("1".into());
        }
        write!(f, "{}", terms.join(" + "))?;
        if !self.fixed_effects.is_empty() {
            let fe: Vec<String> = self.fixed_effects.iter().map(ToString::to_string).collect();
            write!(f, " | {}", fe.join(" + "))?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Num(String),
    Sym(char),
}

struct Parser<'a> {
    text: &'a str,
    toks: Vec<(usize, Tok)>,
    pos: usize,
}

impl Parser<'_> {
    fn err(&self, at: usize, message: impl Into<String>) -> Error {
        Error::Formula {
            formula: self.text.to_string(),
            at,
            message: message.into(),
        }
    }

    fn here(&self) -> usize {
        self.toks.get(self.pos).map_or(self.text.len(), |t| t.0)
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.1)
    }

    fn expect(&mut self, c: char) -> Result<()> {
        if self.peek() == Some(&Tok::Sym(c)) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.err(self.here(), format!("expected `{c}`")))
        }
    }

    fn ident(&mut self) -> Result<String> {
        match self.peek() {
            Some(Tok::Ident(s)) => {
                let s = s.clone();
                self.pos += 1;
                Ok(s)
            }
            _ => Err(self.err(self.here(), "expected a column name")),
        }
    }

    fn term(&mut self) -> Result<Term> {
        let at = self.here();
        let name = self.ident()?;
        if self.peek() == Some(&Tok::Sym('(')) {
            if name != "log" {
                return Err(self.err(at, format!("unknown function `{name}` (only log)")));
            }
            self.pos += 1;
            let col = self.ident()?;
            self.expect(')')?;
            Ok(Term::Log(col))
        } else {
            Ok(Term::Column(name))
        }
    }
}

fn tokenize(text: &str) -> Result<Vec<(usize, Tok)>> {
    let mut toks = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_alphabetic() || c == '_' || c == '.' {
            let start = i;
            while i < chars.len()
                && (chars[i].1.is_ascii_alphanumeric() || chars[i].1 == '_' || chars[i].1 == '.')
            {
                i += 1;
            }
            let s: String = chars[start..i].iter().map(|x| x.1).collect();
            toks.push((at, Tok::Ident(s)));
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].1.is_ascii_digit() {
                i += 1;
            }
            let s: String = chars[start..i].iter().map(|x| x.1).collect();
            toks.push((at, Tok::Num(s)));
        } else if "~+|^()".contains(c) {
            toks.push((at, Tok::Sym(c)));
            i += 1;
        } else {
            return Err(Error::Formula {
                formula: text.to_string(),
                at,
                message: format!("unexpected character `{c}`"),
            });
        }
    }
    Ok(toks)
}

impl FromStr for Formula {
    type Err = Error;

    fn from_str(text: &str) -> Result<Formula> {
        let mut p = Parser {
            text,
            toks: tokenize(text)?,
            pos: 0,
        };
        let lhs = p.term()?;
        p.expect('~')?;
        let mut rhs = Vec::new();
        let mut intercept = true;
        loop {
            match p.peek() {
                Some(Tok::Num(n)) if n == "0" || n == "1" => {
                    intercept = n == "1";
                    p.pos += 1;
                }
                Some(Tok::Num(n)) => {
                    let n = n.clone();
                    return Err(p.err(p.here(), format!("a number `{n}` is not a term")));
                }
                _ => {
                    let at = p.here();
                    let t = p.term()?;
                    if rhs.contains(&t) {
                        return Err(p.err(at, format!("`{t}` appears twice")));
                    }
                    rhs.push(t);
                }
            }
            if p.peek() == Some(&Tok::Sym('+')) {
                p.pos += 1;
            } else {
                break;
            }
        }
        let mut fixed_effects = Vec::new();
        if p.peek() == Some(&Tok::Sym('|')) {
            p.pos += 1;
            loop {
                let at = p.here();
                let mut cols = vec![p.ident()?];
                while p.peek() == Some(&Tok::Sym('^')) {
                    p.pos += 1;
                    cols.push(p.ident()?);
                }
                let fe = FixedEffect(cols);
                if fixed_effects.contains(&fe) {
                    return Err(p.err(at, format!("fixed effect `{fe}` appears twice")));
                }
                fixed_effects.push(fe);
                if p.peek() == Some(&Tok::Sym('+')) {
                    p.pos += 1;
                } else {
                    break;
                }
            }
        }
        if p.pos < p.toks.len() {
            return Err(p.err(p.here(), "unexpected text after the formula"));
        }
        Ok(Formula {
            lhs,
            rhs,
            intercept,
            fixed_effects,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_way_gravity_formula() {
        let f: Formula = "trade ~ log(DIST) + CNTG + RTA | exporter^year + importer^year + pair_id"
            .parse()
            .unwrap();
        assert_eq!(f.lhs, Term::Column("trade".into()));
        assert_eq!(
            f.rhs,
            vec![
                Term::Log("DIST".into()),
                Term::Column("CNTG".into()),
                Term::Column("RTA".into())
            ]
        );
        assert_eq!(f.fixed_effects.len(), 3);
        assert_eq!(f.fixed_effects[0].0, vec!["exporter", "year"]);
        assert_eq!(
            f.to_string(),
            "trade ~ log(DIST) + CNTG + RTA | exporter^year + importer^year + pair_id"
        );
        let again: Formula = f.to_string().parse().unwrap();
        assert_eq!(again, f);
    }

    #[test]
    fn errors_name_the_place() {
        for (text, at) in [
            ("trade ~", 7),
            ("trade ~ sqrt(x)", 8),
            ("trade ~ x +", 11),
            ("trade ~ x | a^", 14),
            ("trade ~ x $", 10),
            ("trade x", 6),
            ("y ~ x + x", 8),
            ("y ~ x ) ", 6),
        ] {
            match text.parse::<Formula>() {
                Err(Error::Formula { at: got, .. }) => assert_eq!(got, at, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn zero_drops_the_intercept() {
        let f: Formula = "y ~ 0 + x".parse().unwrap();
        assert!(!f.intercept);
        assert_eq!(f.rhs, vec![Term::Column("x".into())]);
    }
}

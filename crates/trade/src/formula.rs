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
    /// `I(left OP right)`: 1 where the comparison holds, else 0 (R's and fixest's `I()`), e.g.
    /// `I(exporter != importer)`, the Guide's international-border dummy. `left` is a column;
    /// `right` a column, a number or a 'quoted' text. A missing value on either side is
    /// missing.
    Indicator {
        left: String,
        op: Cmp,
        right: Operand,
    },
}

/// A comparison of an indicator term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    fn as_str(self) -> &'static str {
        match self {
            Cmp::Eq => "==",
            Cmp::Ne => "!=",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
        }
    }

    fn holds(self, o: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            Cmp::Eq => o == Equal,
            Cmp::Ne => o != Equal,
            Cmp::Lt => o == Less,
            Cmp::Le => o != Greater,
            Cmp::Gt => o == Greater,
            Cmp::Ge => o != Less,
        }
    }
}

/// The right side of an indicator's comparison (a number as written; it parses as `f64`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Operand {
    Column(String),
    Number(String),
    Text(String),
}

impl Term {
    /// The column the term reads (an indicator: its left column).
    pub fn column(&self) -> &str {
        match self {
            Term::Column(c) | Term::Log(c) => c,
            Term::Indicator { left, .. } => left,
        }
    }

    /// Every column the term reads, and whether it must hold numbers.
    pub fn columns(&self) -> Vec<(&str, bool)> {
        match self {
            Term::Column(c) | Term::Log(c) => vec![(c, true)],
            Term::Indicator { left, right, .. } => {
                let mut v = vec![(left.as_str(), false)];
                if let Operand::Column(r) = right {
                    v.push((r, false));
                }
                v
            }
        }
    }

    /// The term's values over the frame's rows.
    pub fn values(&self, frame: &Frame) -> Result<Vec<f64>> {
        if let Term::Indicator { left, op, right } = self {
            return indicator(frame, left, *op, right);
        }
        let col = frame.num(self.column())?;
        match self {
            Term::Indicator { .. } => unreachable!("handled above"),
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

/// The values of `I(left op right)`: 1 or 0, NaN where a side is missing (NaN or empty).
fn indicator(frame: &Frame, left: &str, op: Cmp, right: &Operand) -> Result<Vec<f64>> {
    use crate::frame::Column;
    let l = frame.column(left)?;
    let bit = |o: Option<std::cmp::Ordering>| match o {
        Some(o) => f64::from(u8::from(op.holds(o))),
        None => f64::NAN,
    };
    let out = match (l, right) {
        (Column::Num(a), Operand::Number(b)) => {
            let b: f64 = b.parse().map_err(|_| Error::NotNumeric(b.clone()))?;
            a.iter().map(|x| bit(x.partial_cmp(&b))).collect()
        }
        (Column::Text(a), Operand::Text(b)) => a
            .iter()
            .map(|x| bit((!x.is_empty()).then(|| x.as_str().cmp(b.as_str()))))
            .collect(),
        (_, Operand::Column(r)) => match (l, frame.column(r)?) {
            (Column::Num(a), Column::Num(b)) => a
                .iter()
                .zip(b)
                .map(|(x, y)| bit(x.partial_cmp(y)))
                .collect(),
            (Column::Text(a), Column::Text(b)) => a
                .iter()
                .zip(b)
                .map(|(x, y)| bit((!x.is_empty() && !y.is_empty()).then(|| x.cmp(y))))
                .collect(),
            (Column::Num(_), Column::Text(_)) => return Err(Error::NotNumeric(r.clone())),
            (Column::Text(_), Column::Num(_)) => return Err(Error::NotText(r.clone())),
        },
        (Column::Num(_), Operand::Text(_)) => return Err(Error::NotText(left.to_string())),
        (Column::Text(_), Operand::Number(_)) => return Err(Error::NotNumeric(left.to_string())),
    };
    Ok(out)
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::Column(c) => write!(f, "{c}"),
            Term::Log(c) => write!(f, "log({c})"),
            Term::Indicator { left, op, right } => {
                let r = match right {
                    Operand::Column(c) => c.clone(),
                    Operand::Number(n) => n.clone(),
                    Operand::Text(t) => format!("'{t}'"),
                };
                write!(f, "I({left} {} {r})", op.as_str())
            }
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
    /// A 'quoted' or "quoted" text.
    Str(String),
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

    /// A comparison operator: `==`, `!=`, `<`, `<=`, `>`, `>=`.
    fn cmp(&mut self) -> Result<Cmp> {
        let at = self.here();
        let sym = |p: &Self, k: usize| match p.toks.get(p.pos + k) {
            Some((_, Tok::Sym(c))) => Some(*c),
            _ => None,
        };
        let (op, len) = match (sym(self, 0), sym(self, 1)) {
            (Some('='), Some('=')) => (Cmp::Eq, 2),
            (Some('!'), Some('=')) => (Cmp::Ne, 2),
            (Some('<'), Some('=')) => (Cmp::Le, 2),
            (Some('>'), Some('=')) => (Cmp::Ge, 2),
            (Some('<'), _) => (Cmp::Lt, 1),
            (Some('>'), _) => (Cmp::Gt, 1),
            _ => return Err(self.err(at, "expected a comparison (== != < <= > >=)")),
        };
        self.pos += len;
        Ok(op)
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
            if name == "I" {
                self.pos += 1;
                let left = self.ident()?;
                let op = self.cmp()?;
                let right = match self.peek().cloned() {
                    Some(Tok::Ident(c)) => Operand::Column(c),
                    Some(Tok::Num(n)) => {
                        if n.parse::<f64>().is_err() {
                            return Err(self.err(self.here(), format!("`{n}` is not a number")));
                        }
                        Operand::Number(n)
                    }
                    Some(Tok::Str(t)) => Operand::Text(t),
                    _ => {
                        return Err(self.err(
                            self.here(),
                            "expected a column, a number or a 'quoted' text",
                        ));
                    }
                };
                self.pos += 1;
                self.expect(')')?;
                return Ok(Term::Indicator { left, op, right });
            }
            if name != "log" {
                return Err(self.err(at, format!("unknown function `{name}` (log and I)")));
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
        } else if c.is_ascii_digit()
            || (c == '-' && chars.get(i + 1).is_some_and(|x| x.1.is_ascii_digit()))
        {
            let start = i;
            i += 1;
            while i < chars.len() && (chars[i].1.is_ascii_digit() || chars[i].1 == '.') {
                i += 1;
            }
            let s: String = chars[start..i].iter().map(|x| x.1).collect();
            toks.push((at, Tok::Num(s)));
        } else if c == '\'' || c == '"' {
            let start = i + 1;
            i += 1;
            while i < chars.len() && chars[i].1 != c {
                i += 1;
            }
            if i == chars.len() {
                return Err(Error::Formula {
                    formula: text.to_string(),
                    at,
                    message: "a quoted text that does not end".into(),
                });
            }
            let t: String = chars[start..i].iter().map(|x| x.1).collect();
            toks.push((at, Tok::Str(t)));
            i += 1;
        } else if "~+|^()!=<>".contains(c) {
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
    fn indicators_parse_and_print_back() {
        for (text, back) in [
            (
                "y ~ I(exporter != importer) | e",
                "y ~ I(exporter != importer) | e",
            ),
            ("y ~ I(year >= 1994) + x", "y ~ I(year >= 1994) + x"),
            ("y ~ I(iso == 'CHN')", "y ~ I(iso == 'CHN')"),
            ("y ~ I(x < -0.5)", "y ~ I(x < -0.5)"),
        ] {
            let f: Formula = text.parse().unwrap();
            assert_eq!(f.to_string(), back);
            assert_eq!(back.parse::<Formula>().unwrap(), f);
        }
        for (text, says) in [
            ("y ~ I(x)", "expected a comparison"),
            ("y ~ I(x = 1)", "expected a comparison"),
            ("y ~ I(x == 'a)", "does not end"),
            ("y ~ exp(x)", "unknown function `exp`"),
        ] {
            let e = text.parse::<Formula>().unwrap_err().to_string();
            assert!(e.contains(says), "{text}: {e}");
        }
        let frame = Frame::new()
            .with(
                "e",
                crate::Column::Text(vec!["A".into(), "B".into(), "".into()]),
            )
            .unwrap()
            .with(
                "i",
                crate::Column::Text(vec!["A".into(), "C".into(), "C".into()]),
            )
            .unwrap();
        let f: Formula = "y ~ I(e != i)".parse().unwrap();
        let v = f.rhs[0].values(&frame).unwrap();
        assert_eq!(&v[..2], &[0.0, 1.0]);
        assert!(v[2].is_nan(), "a missing side is missing");
    }

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

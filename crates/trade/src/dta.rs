//! A strict reader of Stata `.dta` files from bytes (no IO): formats 113, 114 and 115 (Stata
//! 8 to 12) and 117, 118 and 119 (Stata 13 and later, including `strL` text), either byte
//! order. Numbers become `f64` columns with Stata's missing values (`.`, `.a` ... `.z`) as NaN;
//! fixed-width and `strL` text become text columns. Value labels, characteristics and notes are
//! skipped. Every error names the byte offset where the file stopped making sense.

use crate::error::{Error, Result};
use crate::frame::{Column, Frame};

fn err(offset: usize, message: impl Into<String>) -> Error {
    Error::Dta {
        offset,
        message: message.into(),
    }
}

struct Cursor<'a> {
    b: &'a [u8],
    pos: usize,
    big: bool,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8]> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.b.len())
            .ok_or_else(|| {
                err(
                    self.pos,
                    format!(
                        "file ends inside {what} ({n} bytes needed, {} left)",
                        self.b.len() - self.pos.min(self.b.len())
                    ),
                )
            })?;
        let s = &self.b[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn uint(&mut self, n: usize, what: &str) -> Result<u64> {
        let s = self.take(n, what)?;
        let mut v = 0u64;
        if self.big {
            for &x in s {
                v = (v << 8) | u64::from(x);
            }
        } else {
            for &x in s.iter().rev() {
                v = (v << 8) | u64::from(x);
            }
        }
        Ok(v)
    }

    fn tag(&mut self, tag: &str) -> Result<()> {
        let at = self.pos;
        let s = self.take(tag.len(), tag)?;
        if s != tag.as_bytes() {
            return Err(err(at, format!("expected `{tag}`")));
        }
        Ok(())
    }
}

fn cstr(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

#[derive(Clone, Copy)]
enum VarType {
    Str(usize),
    StrL,
    Byte,
    Int,
    Long,
    Float,
    Double,
}

impl VarType {
    fn width(self) -> usize {
        match self {
            VarType::Str(n) => n,
            VarType::StrL => 8,
            VarType::Byte => 1,
            VarType::Int => 2,
            VarType::Long | VarType::Float => 4,
            VarType::Double => 8,
        }
    }
}

fn old_type(code: u8, at: usize) -> Result<VarType> {
    Ok(match code {
        1..=244 => VarType::Str(usize::from(code)),
        251 => VarType::Byte,
        252 => VarType::Int,
        253 => VarType::Long,
        254 => VarType::Float,
        255 => VarType::Double,
        _ => return Err(err(at, format!("unknown variable type {code}"))),
    })
}

fn new_type(code: u64, at: usize) -> Result<VarType> {
    Ok(match code {
        1..=2045 => VarType::Str(code as usize),
        32768 => VarType::StrL,
        65526 => VarType::Double,
        65527 => VarType::Float,
        65528 => VarType::Long,
        65529 => VarType::Int,
        65530 => VarType::Byte,
        _ => return Err(err(at, format!("unknown variable type {code}"))),
    })
}

/// Reads a `.dta` file's variables into a [`Frame`].
pub fn read(bytes: &[u8]) -> Result<Frame> {
    if bytes.starts_with(b"<stata_dta>") {
        read_new(bytes)
    } else {
        read_old(bytes)
    }
}

fn read_old(bytes: &[u8]) -> Result<Frame> {
    let mut c = Cursor {
        b: bytes,
        pos: 0,
        big: false,
    };
    let format = c.take(1, "the header")?[0];
    if !(113..=115).contains(&format) {
        return Err(err(
            0,
            format!("format {format} is not supported (113-115, 117-119 are)"),
        ));
    }
    c.big = match c.take(1, "the header")?[0] {
        1 => true,
        2 => false,
        b => {
            return Err(err(
                1,
                format!("byte order {b} is neither 1 (HILO) nor 2 (LOHI)"),
            ));
        }
    };
    c.take(2, "the header")?;
    let nvar = c.uint(2, "the header")? as usize;
    let nobs = c.uint(4, "the header")? as usize;
    c.take(81 + 18, "the header")?;
    let mut types = Vec::with_capacity(nvar);
    for _ in 0..nvar {
        let at = c.pos;
        types.push(old_type(c.take(1, "the type list")?[0], at)?);
    }
    let mut names = Vec::with_capacity(nvar);
    for _ in 0..nvar {
        names.push(cstr(c.take(33, "the variable names")?));
    }
    c.take(2 * (nvar + 1), "the sort list")?;
    let fmt_len = if format == 113 { 12 } else { 49 };
    c.take(nvar * fmt_len, "the formats")?;
    c.take(nvar * 33, "the value-label names")?;
    c.take(nvar * 81, "the variable labels")?;
    loop {
        let kind = c.uint(1, "the expansion fields")?;
        let len = c.uint(4, "the expansion fields")? as usize;
        if kind == 0 && len == 0 {
            break;
        }
        c.take(len, "an expansion field")?;
    }
    read_rows(&mut c, u16::from(format), &names, &types, nobs, None)
}

fn read_new(bytes: &[u8]) -> Result<Frame> {
    let mut c = Cursor {
        b: bytes,
        pos: 0,
        big: false,
    };
    c.tag("<stata_dta><header><release>")?;
    let at = c.pos;
    let release = c.take(3, "the release")?;
    let format: u16 = std::str::from_utf8(release)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| err(at, "release is not a number"))?;
    if !(117..=119).contains(&format) {
        return Err(err(
            at,
            format!("format {format} is not supported (113-115, 117-119 are)"),
        ));
    }
    c.tag("</release><byteorder>")?;
    let at = c.pos;
    c.big = match c.take(3, "the byte order")? {
        b"MSF" => true,
        b"LSF" => false,
        _ => return Err(err(at, "byte order is neither MSF nor LSF")),
    };
    c.tag("</byteorder><K>")?;
    let nvar = c.uint(if format == 119 { 4 } else { 2 }, "K")? as usize;
    c.tag("</K><N>")?;
    let nobs = c.uint(if format == 117 { 4 } else { 8 }, "N")? as usize;
    c.tag("</N><label>")?;
    let len = c.uint(if format == 117 { 1 } else { 2 }, "the label")? as usize;
    c.take(len, "the label")?;
    c.tag("</label><timestamp>")?;
    let len = c.uint(1, "the timestamp")? as usize;
    c.take(len, "the timestamp")?;
    c.tag("</timestamp></header><map>")?;
    let mut map = [0u64; 14];
    for m in &mut map {
        *m = c.uint(8, "the map")?;
    }
    c.tag("</map><variable_types>")?;
    // K is read from the file (4 bytes in format 119): reserve no more than the bytes left can
    // hold (2 per type), or a forged K of 2^32 - 1 asks for 64 GiB up front and aborts the
    // process (fuzz/regressions/trade_dta-2.bin).
    let nvar_cap = nvar.min(bytes.len().saturating_sub(c.pos) / 2);
    let mut types = Vec::with_capacity(nvar_cap);
    for _ in 0..nvar {
        let at = c.pos;
        types.push(new_type(c.uint(2, "the variable types")?, at)?);
    }
    c.tag("</variable_types><varnames>")?;
    let name_len = if format == 117 { 33 } else { 129 };
    let mut names = Vec::with_capacity(nvar_cap);
    for _ in 0..nvar {
        names.push(cstr(c.take(name_len, "the variable names")?));
    }
    c.tag("</varnames>")?;
    // strLs first (they come after the data), so text can be resolved while reading rows.
    let strls_at = usize::try_from(map[10]).map_err(|_| err(0, "map offset too large"))?;
    let strls = if types.iter().any(|t| matches!(t, VarType::StrL)) {
        Some(read_strls(bytes, strls_at, c.big, format)?)
    } else {
        None
    };
    let data_at = usize::try_from(map[9]).map_err(|_| err(0, "map offset too large"))?;
    if data_at > bytes.len() {
        return Err(err(
            c.pos,
            format!("the map puts the data at {data_at}, past the end"),
        ));
    }
    c.pos = data_at;
    c.tag("<data>")?;
    let frame = read_rows(&mut c, format, &names, &types, nobs, strls.as_ref())?;
    c.tag("</data>")?;
    Ok(frame)
}

type Strls = std::collections::HashMap<(u64, u64), String>;

fn read_strls(bytes: &[u8], at: usize, big: bool, format: u16) -> Result<Strls> {
    let mut c = Cursor {
        b: bytes,
        pos: at,
        big,
    };
    if at > bytes.len() {
        return Err(err(
            0,
            format!("the map puts the strLs at {at}, past the end"),
        ));
    }
    c.tag("<strls>")?;
    let mut out = Strls::new();
    loop {
        if bytes[c.pos..].starts_with(b"</strls>") {
            break;
        }
        c.tag("GSO")?;
        let v = c.uint(4, "a strL")?;
        let o = c.uint(if format == 117 { 4 } else { 8 }, "a strL")?;
        let t = c.uint(1, "a strL")?;
        let len = c.uint(4, "a strL")? as usize;
        let s = c.take(len, "a strL")?;
        // Type 130: ASCII with a terminating zero; 129: binary.
        let text = if t == 130 {
            cstr(s)
        } else {
            String::from_utf8_lossy(s).into_owned()
        };
        out.insert((v, o), text);
    }
    Ok(out)
}

fn read_rows(
    c: &mut Cursor<'_>,
    format: u16,
    names: &[String],
    types: &[VarType],
    nobs: usize,
    strls: Option<&Strls>,
) -> Result<Frame> {
    // A file without variables has nothing to read in its rows, whatever N says; N is not
    // bounded by the bytes left when rows are 0 bytes wide, and counting to a forged N of
    // 2^40 or 2^64 - 1 would stall the reader (fuzz/regressions/trade_dta-1.bin).
    let nobs = if types.is_empty() { 0 } else { nobs };
    let row_width: usize = types.iter().map(|t| t.width()).sum();
    let need = row_width
        .checked_mul(nobs)
        .ok_or_else(|| err(c.pos, "row count overflows"))?;
    if need > c.b.len().saturating_sub(c.pos) {
        return Err(err(
            c.pos,
            format!(
                "{nobs} rows of {row_width} bytes need {need} bytes, {} left",
                c.b.len().saturating_sub(c.pos)
            ),
        ));
    }
    let mut cols: Vec<Column> = types
        .iter()
        .map(|t| match t {
            VarType::Str(_) | VarType::StrL => Column::Text(Vec::with_capacity(nobs)),
            _ => Column::Num(Vec::with_capacity(nobs)),
        })
        .collect();
    for _ in 0..nobs {
        for (t, col) in types.iter().zip(cols.iter_mut()) {
            let at = c.pos;
            match (t, col) {
                (VarType::Str(n), Column::Text(v)) => v.push(cstr(c.take(*n, "a row")?)),
                (VarType::StrL, Column::Text(v)) => {
                    let (var, obs) = if format == 117 {
                        (c.uint(4, "a row")?, c.uint(4, "a row")?)
                    } else {
                        // 118: v in 2 bytes and o in 6; 119: v in 3 and o in 5.
                        let vbits = if format == 118 { 16 } else { 24 };
                        let raw = c.uint(8, "a row")?;
                        if c.big {
                            (raw >> (64 - vbits), raw & ((1u64 << (64 - vbits)) - 1))
                        } else {
                            (raw & ((1u64 << vbits) - 1), raw >> vbits)
                        }
                    };
                    if var == 0 && obs == 0 {
                        v.push(String::new());
                    } else {
                        let s = strls.and_then(|m| m.get(&(var, obs))).ok_or_else(|| {
                            err(at, format!("strL ({var}, {obs}) not in the file"))
                        })?;
                        v.push(s.clone());
                    }
                }
                (t, Column::Num(v)) => v.push(number(c, *t)?),
                _ => unreachable!("columns are made from the types"),
            }
        }
    }
    let mut frame = Frame::new();
    for (name, col) in names.iter().zip(cols) {
        frame.push(name, col)?;
    }
    Ok(frame)
}

fn number(c: &mut Cursor<'_>, t: VarType) -> Result<f64> {
    Ok(match t {
        VarType::Byte => {
            let v = c.uint(1, "a row")? as u8 as i8;
            if v > 100 { f64::NAN } else { f64::from(v) }
        }
        VarType::Int => {
            let v = c.uint(2, "a row")? as u16 as i16;
            if v > 32740 { f64::NAN } else { f64::from(v) }
        }
        VarType::Long => {
            let v = c.uint(4, "a row")? as u32 as i32;
            if v > 2_147_483_620 {
                f64::NAN
            } else {
                f64::from(v)
            }
        }
        VarType::Float => {
            let bits = c.uint(4, "a row")? as u32;
            let v = f32::from_bits(bits);
            // Missing: 2^127 and above (`.`, `.a` ... `.z`).
            if !v.is_finite() || v >= 1.701_411_8e38 {
                f64::NAN
            } else {
                f64::from(v)
            }
        }
        VarType::Double => {
            let v = f64::from_bits(c.uint(8, "a row")?);
            if !v.is_finite() || v >= 8.988_465_674_311_579e307 {
                f64::NAN
            } else {
                v
            }
        }
        VarType::Str(_) | VarType::StrL => unreachable!("text is read by the caller"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A two-variable, two-row format-118 file, little-endian: a double and a str3.
    fn tiny_118() -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(
            b"<stata_dta><header><release>118</release><byteorder>LSF</byteorder><K>",
        );
        b.extend_from_slice(&2u16.to_le_bytes());
        b.extend_from_slice(b"</K><N>");
        b.extend_from_slice(&2u64.to_le_bytes());
        b.extend_from_slice(b"</N><label>");
        b.extend_from_slice(&0u16.to_le_bytes());
        b.extend_from_slice(b"</label><timestamp>");
        b.push(0);
        b.extend_from_slice(b"</timestamp></header><map>");
        let map_at = b.len();
        b.extend_from_slice(&[0u8; 14 * 8]);
        b.extend_from_slice(b"</map><variable_types>");
        b.extend_from_slice(&65526u16.to_le_bytes());
        b.extend_from_slice(&3u16.to_le_bytes());
        b.extend_from_slice(b"</variable_types><varnames>");
        for name in ["x", "iso"] {
            let mut n = [0u8; 129];
            n[..name.len()].copy_from_slice(name.as_bytes());
            b.extend_from_slice(&n);
        }
        b.extend_from_slice(b"</varnames><sortlist>");
        b.extend_from_slice(&[0u8; 6]);
        b.extend_from_slice(b"</sortlist>");
        let data_at = b.len() as u64;
        b.extend_from_slice(b"<data>");
        b.extend_from_slice(&1.5f64.to_le_bytes());
        b.extend_from_slice(b"DEU");
        b.extend_from_slice(&f64::from_bits(0x7fe0_0000_0000_0000).to_le_bytes());
        b.extend_from_slice(b"FR\0");
        b.extend_from_slice(b"</data>");
        let strls_at = b.len() as u64;
        b.extend_from_slice(b"<strls></strls>");
        b[map_at + 9 * 8..map_at + 10 * 8].copy_from_slice(&data_at.to_le_bytes());
        b[map_at + 10 * 8..map_at + 11 * 8].copy_from_slice(&strls_at.to_le_bytes());
        b
    }

    #[test]
    fn reads_format_118() {
        let f = read(&tiny_118()).unwrap();
        assert_eq!(f.rows(), 2);
        let x = f.num("x").unwrap();
        assert_eq!(x[0], 1.5);
        assert!(x[1].is_nan(), "Stata's `.` is missing");
        assert_eq!(
            f.text("iso").unwrap(),
            &["DEU".to_string(), "FR".to_string()]
        );
    }

    #[test]
    fn truncation_names_the_offset() {
        let b = tiny_118();
        for cut in [5, 40, 120, b.len() - 30] {
            match read(&b[..cut]) {
                Err(Error::Dta { offset, .. }) => assert!(offset <= cut, "{cut}: {offset}"),
                other => panic!("cut at {cut}: {other:?}"),
            }
        }
        assert!(matches!(
            read(&[7u8, 2, 1, 0]),
            Err(Error::Dta { offset: 0, .. })
        ));
    }
}

//! A small, strict reader of R's serialization format: `.RData`/`.rda` files as written by
//! `save()` (magic `RDX2`/`RDX3`, then the XDR binary format, big-endian), gzip-compressed or
//! not. It reads enough for data frames of integer, double, logical, string and factor columns
//! with their attributes; anything else (closures, environments, bytecode) is refused.
//!
//! The format (R Internals, "Serialization formats"; `src/main/serialize.c`): a header
//! (`X\n`, format version 2 or 3, the writer's R version, the minimal reader version; version 3
//! adds the native encoding), then one item. Every item starts with a 32-bit flags word: type in
//! the low byte, bit 8 "is object", bit 9 "has attributes", bit 10 "has tag", and the general
//! purpose bits (string encoding) from bit 12. Vectors are a length (`-1` announces a 64-bit
//! length in two words) and their elements; their attributes, a pairlist, follow the data.
//! Pairlists carry attributes, tag, value, then the rest of the list. Symbols are remembered in
//! a reference table that later `REFSXP` items index.
//!
//! Hostile input cannot exhaust memory: the decompressed stream is capped
//! ([`MAX_DECOMPRESSED`]), every length is checked against the bytes left (each element needs
//! at least as many bytes as it is long on the wire) before anything is allocated, and nesting
//! is limited to [`MAX_DEPTH`]. Every error names the byte offset in the decompressed stream
//! and what was expected there.

use std::io::Read;

/// Largest decompressed stream accepted (the 2016 UN votes file is about 70 MB).
pub const MAX_DECOMPRESSED: u64 = 1 << 30;

/// Deepest nesting of items accepted.
pub const MAX_DEPTH: usize = 64;

/// Why an R file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RdataError {
    /// Something at a byte offset is not what the format allows there.
    #[error("byte {offset}: expected {expected}, found {found}")]
    At {
        /// Offset in the (decompressed) stream.
        offset: usize,
        /// What the format allows there.
        expected: String,
        /// What is there.
        found: String,
    },
    /// The gzip layer is broken or too large.
    #[error("gzip: {0}")]
    Gzip(String),
    /// The object read is not the shape asked for (a data frame, say).
    #[error("{0}")]
    Shape(String),
}

type Result<T> = std::result::Result<T, RdataError>;

/// An R value.
#[derive(Debug, Clone, PartialEq)]
pub enum RValue {
    /// `NULL`.
    Null,
    /// A symbol (attribute names, class tags).
    Symbol(String),
    /// A logical vector (`None` = `NA`).
    Logical(Vec<Option<bool>>),
    /// An integer vector (`None` = `NA_integer_`).
    Int(Vec<Option<i32>>),
    /// A double vector, as stored (`NA_real_` is a NaN; see [`is_na_real`]).
    Real(Vec<f64>),
    /// A character vector (`None` = `NA_character_`).
    Str(Vec<Option<String>>),
    /// A generic vector (a list; a data frame is one).
    List(Vec<RObject>),
    /// A pairlist: (tag, value) pairs.
    Pairlist(Vec<(Option<String>, RObject)>),
}

/// An R value with its attributes.
#[derive(Debug, Clone, PartialEq)]
pub struct RObject {
    /// The value.
    pub value: RValue,
    /// Attributes in order (`names`, `class`, `levels`, `row.names`, ...).
    pub attributes: Vec<(String, RObject)>,
}

impl RObject {
    /// A value without attributes.
    pub fn plain(value: RValue) -> RObject {
        RObject {
            value,
            attributes: Vec::new(),
        }
    }

    /// Attribute `name`, if present.
    pub fn attr(&self, name: &str) -> Option<&RObject> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    /// The strings of the `class` attribute (empty if none).
    pub fn classes(&self) -> Vec<&str> {
        match self.attr("class").map(|c| &c.value) {
            Some(RValue::Str(v)) => v.iter().filter_map(|s| s.as_deref()).collect(),
            _ => Vec::new(),
        }
    }
}

/// Whether a double is R's `NA_real_` (a NaN whose low word is 1954) or any other NaN.
pub fn is_na_real(x: f64) -> bool {
    x.is_nan()
}

/// R's `NA_real_` bit pattern.
pub const NA_REAL_BITS: u64 = 0x7FF0_0000_0000_07A2;

/// The gzip or bzip2 stream decompressed (capped at `limit` bytes), or the bytes themselves
/// when they start with neither magic. xz (`save(compress = "xz")`) is refused.
pub fn decompress(bytes: &[u8], limit: u64) -> Result<Vec<u8>> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(bytes)
            .take(limit + 1)
            .read_to_end(&mut out)
            .map_err(|e| RdataError::Gzip(e.to_string()))?;
        if out.len() as u64 > limit {
            return Err(RdataError::Gzip(format!(
                "decompresses to more than {limit} bytes"
            )));
        }
        Ok(out)
    } else if bytes.starts_with(b"BZh") {
        let mut out = Vec::new();
        bzip2::read::MultiBzDecoder::new(bytes)
            .take(limit + 1)
            .read_to_end(&mut out)
            .map_err(|e| RdataError::Gzip(format!("bzip2: {e}")))?;
        if out.len() as u64 > limit {
            return Err(RdataError::Gzip(format!(
                "decompresses to more than {limit} bytes"
            )));
        }
        Ok(out)
    } else if bytes.starts_with(&[0xfd, b'7', b'z', b'X', b'Z']) {
        Err(RdataError::Gzip(
            "xz-compressed: save again with compress = \"gzip\"".into(),
        ))
    } else {
        Ok(bytes.to_vec())
    }
}

/// Reads an `.RData`/`.rda` file (gzip- or bzip2-compressed, or not): the named objects it holds, in
/// order.
pub fn read_rdata(bytes: &[u8]) -> Result<Vec<(String, RObject)>> {
    let data = decompress(bytes, MAX_DECOMPRESSED)?;
    let mut r = Reader::new(&data);
    let magic = r.take(5, "the magic \"RDX2\\n\" or \"RDX3\\n\"")?;
    if magic != b"RDX2\n" && magic != b"RDX3\n" {
        return Err(RdataError::At {
            offset: 0,
            expected: "the magic \"RDX2\\n\" or \"RDX3\\n\" (an R save() file in XDR format)"
                .into(),
            found: format!("{:?}", String::from_utf8_lossy(magic)),
        });
    }
    r.header()?;
    let top = r.item(0)?;
    if r.pos != data.len() {
        return Err(r.err(
            "the end of the stream",
            format!("{} more bytes", data.len() - r.pos),
        ));
    }
    match top.value {
        RValue::Pairlist(items) => items
            .into_iter()
            .map(|(tag, v)| {
                tag.map(|t| (t, v))
                    .ok_or_else(|| RdataError::Shape("an object in the file has no name".into()))
            })
            .collect(),
        RValue::Null => Ok(Vec::new()),
        other => Err(RdataError::Shape(format!(
            "the file holds {}, not a list of named objects",
            kind(&other)
        ))),
    }
}

fn kind(v: &RValue) -> &'static str {
    match v {
        RValue::Null => "NULL",
        RValue::Symbol(_) => "a symbol",
        RValue::Logical(_) => "a logical vector",
        RValue::Int(_) => "an integer vector",
        RValue::Real(_) => "a double vector",
        RValue::Str(_) => "a character vector",
        RValue::List(_) => "a list",
        RValue::Pairlist(_) => "a pairlist",
    }
}

// SEXP types and special markers (serialize.c).
const NILSXP: u32 = 0;
const SYMSXP: u32 = 1;
const LISTSXP: u32 = 2;
const CHARSXP: u32 = 9;
const LGLSXP: u32 = 10;
const INTSXP: u32 = 13;
const REALSXP: u32 = 14;
const STRSXP: u32 = 16;
const VECSXP: u32 = 19;
const ALTREP_SXP: u32 = 238;
const ATTRLISTSXP: u32 = 239;
const REFSXP: u32 = 255;
const NILVALUE_SXP: u32 = 254;

const IS_OBJECT: u32 = 1 << 8;
const HAS_ATTR: u32 = 1 << 9;
const HAS_TAG: u32 = 1 << 10;
const LATIN1: u32 = 1 << 2;
const NA_INT: i32 = i32::MIN;
/// Most references (symbols) a stream may define.
const MAX_REFS: usize = 1 << 20;

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    refs: Vec<RObject>,
}

impl<'a> Reader<'a> {
    fn new(data: &'a [u8]) -> Reader<'a> {
        Reader {
            data,
            pos: 0,
            refs: Vec::new(),
        }
    }

    fn err(&self, expected: impl Into<String>, found: impl Into<String>) -> RdataError {
        RdataError::At {
            offset: self.pos,
            expected: expected.into(),
            found: found.into(),
        }
    }

    fn left(&self) -> usize {
        self.data.len() - self.pos
    }

    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8]> {
        if n > self.left() {
            return Err(self.err(
                format!("{n} bytes of {what}"),
                format!("the end of the stream after {} bytes", self.left()),
            ));
        }
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn int(&mut self, what: &str) -> Result<i32> {
        let b = self.take(4, what)?;
        Ok(i32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn header(&mut self) -> Result<()> {
        let at = self.pos;
        let fmt = self.take(2, "the format \"X\\n\"")?;
        if fmt != b"X\n" {
            return Err(RdataError::At {
                offset: at,
                expected: "the XDR format marker \"X\\n\" (ASCII and native formats are not read)"
                    .into(),
                found: format!("{:?}", String::from_utf8_lossy(fmt)),
            });
        }
        let at = self.pos;
        let version = self.int("the format version")?;
        if version != 2 && version != 3 {
            return Err(RdataError::At {
                offset: at,
                expected: "serialization format version 2 or 3".into(),
                found: version.to_string(),
            });
        }
        self.int("the writer's R version")?;
        self.int("the minimal reader version")?;
        if version == 3 {
            let n = self.int("the length of the native encoding name")?;
            if !(0..=64).contains(&n) {
                return Err(self.err("an encoding name of 0 to 64 bytes", n.to_string()));
            }
            self.take(n as usize, "the native encoding name")?;
        }
        Ok(())
    }

    /// A vector length, checked against the bytes left: each element needs at least
    /// `min_bytes` bytes on the wire.
    fn length(&mut self, min_bytes: usize, what: &str) -> Result<usize> {
        let at = self.pos;
        let n = self.int("a length")?;
        let n: u64 = if n == -1 {
            let hi = self.int("the upper word of a long length")? as u32 as u64;
            let lo = self.int("the lower word of a long length")? as u32 as u64;
            (hi << 32) | lo
        } else if n < 0 {
            return Err(RdataError::At {
                offset: at,
                expected: format!("a length of {what}"),
                found: n.to_string(),
            });
        } else {
            n as u64
        };
        let need = n.saturating_mul(min_bytes as u64);
        if need > self.left() as u64 {
            return Err(RdataError::At {
                offset: at,
                expected: format!(
                    "a length of {what} that fits the {} bytes left",
                    self.left()
                ),
                found: n.to_string(),
            });
        }
        Ok(n as usize)
    }

    fn item(&mut self, depth: usize) -> Result<RObject> {
        if depth > MAX_DEPTH {
            return Err(self.err(format!("nesting of at most {MAX_DEPTH} levels"), "deeper"));
        }
        let at = self.pos;
        let flags = self.int("an item's flags")? as u32;
        let ty = flags & 0xFF;
        let has_attr = flags & HAS_ATTR != 0;
        match ty {
            NILVALUE_SXP | NILSXP => Ok(RObject::plain(RValue::Null)),
            REFSXP => {
                let mut idx = (flags >> 8) as usize;
                if idx == 0 {
                    idx = self.int("a reference index")?.max(0) as usize;
                }
                match idx.checked_sub(1).and_then(|i| self.refs.get(i)) {
                    Some(o) => Ok(o.clone()),
                    None => Err(RdataError::At {
                        offset: at,
                        expected: format!("a reference to one of {} earlier items", self.refs.len()),
                        found: format!("reference {idx}"),
                    }),
                }
            }
            SYMSXP => {
                let name = match self.item(depth + 1)?.value {
                    RValue::Str(mut v) if v.len() == 1 => v.pop().flatten().unwrap_or_default(),
                    other => {
                        return Err(RdataError::At {
                            offset: at,
                            expected: "a symbol's name (a string)".into(),
                            found: kind(&other).into(),
                        });
                    }
                };
                if self.refs.len() >= MAX_REFS {
                    return Err(self.err(format!("at most {MAX_REFS} symbols"), "more"));
                }
                let o = RObject::plain(RValue::Symbol(name));
                self.refs.push(o.clone());
                Ok(o)
            }
            LISTSXP | ATTRLISTSXP => self.pairlist(flags, depth),
            CHARSXP => {
                let s = self.charsxp_body(flags)?;
                Ok(RObject::plain(RValue::Str(vec![s])))
            }
            LGLSXP => {
                let n = self.length(4, "a logical vector")?;
                let mut v = Vec::with_capacity(n);
                for _ in 0..n {
                    let p = self.pos;
                    v.push(match self.int("a logical")? {
                        0 => Some(false),
                        1 => Some(true),
                        NA_INT => None,
                        x => {
                            return Err(RdataError::At {
                                offset: p,
                                expected: "a logical (0, 1 or NA)".into(),
                                found: x.to_string(),
                            });
                        }
                    });
                }
                self.vector_attrs(RValue::Logical(v), has_attr, depth)
            }
            INTSXP => {
                let n = self.length(4, "an integer vector")?;
                let raw = self.take(4 * n, "integers")?;
                let v = raw
                    .chunks_exact(4)
                    .map(|b| {
                        let x = i32::from_be_bytes([b[0], b[1], b[2], b[3]]);
                        (x != NA_INT).then_some(x)
                    })
                    .collect();
                self.vector_attrs(RValue::Int(v), has_attr, depth)
            }
            REALSXP => {
                let n = self.length(8, "a double vector")?;
                let raw = self.take(8 * n, "doubles")?;
                let v = raw
                    .chunks_exact(8)
                    .map(|b| f64::from_be_bytes(b.try_into().expect("8 bytes")))
                    .collect();
                self.vector_attrs(RValue::Real(v), has_attr, depth)
            }
            STRSXP => {
                // Each element is a CHARSXP: flags and a length, 8 bytes at least.
                let n = self.length(8, "a character vector")?;
                let mut v = Vec::with_capacity(n);
                for _ in 0..n {
                    let p = self.pos;
                    let f = self.int("a string's flags")? as u32;
                    if f & 0xFF != CHARSXP {
                        return Err(RdataError::At {
                            offset: p,
                            expected: "a string (CHARSXP, type 9)".into(),
                            found: format!("type {}", f & 0xFF),
                        });
                    }
                    v.push(self.charsxp_body(f)?);
                }
                self.vector_attrs(RValue::Str(v), has_attr, depth)
            }
            VECSXP => {
                let n = self.length(4, "a list")?;
                let mut v = Vec::with_capacity(n);
                for _ in 0..n {
                    v.push(self.item(depth + 1)?);
                }
                self.vector_attrs(RValue::List(v), has_attr, depth)
            }
            ALTREP_SXP => self.altrep(at, depth),
            _ => Err(RdataError::At {
                offset: at,
                expected: "NULL, a symbol, a pairlist, or a logical, integer, double, character or list vector".into(),
                found: format!("R type {ty}{}", if flags & IS_OBJECT != 0 { " (an object)" } else { "" }),
            }),
        }
    }

    /// A pairlist, its rest read iteratively (long lists must not recurse).
    fn pairlist(&mut self, mut flags: u32, depth: usize) -> Result<RObject> {
        let mut items = Vec::new();
        let mut attributes = Vec::new();
        loop {
            if flags & HAS_ATTR != 0 {
                let a = self.item(depth + 1)?;
                if attributes.is_empty() {
                    attributes = attr_pairs(a, self.pos)?;
                }
            }
            let tag = if flags & HAS_TAG != 0 {
                let p = self.pos;
                match self.item(depth + 1)?.value {
                    RValue::Symbol(s) => Some(s),
                    RValue::Null => None,
                    other => {
                        return Err(RdataError::At {
                            offset: p,
                            expected: "a tag (a symbol)".into(),
                            found: kind(&other).into(),
                        });
                    }
                }
            } else {
                None
            };
            let car = self.item(depth + 1)?;
            items.push((tag, car));
            let p = self.pos;
            let next = self.int("the rest of a pairlist")? as u32;
            match next & 0xFF {
                LISTSXP | ATTRLISTSXP => flags = next,
                NILVALUE_SXP | NILSXP => break,
                t => {
                    return Err(RdataError::At {
                        offset: p,
                        expected: "the rest of a pairlist (a pairlist or NULL)".into(),
                        found: format!("R type {t}"),
                    });
                }
            }
            if items.len() > self.left() {
                return Err(self.err("a pairlist that fits the stream", "a longer one"));
            }
        }
        Ok(RObject {
            value: RValue::Pairlist(items),
            attributes,
        })
    }

    fn charsxp_body(&mut self, flags: u32) -> Result<Option<String>> {
        let at = self.pos;
        let n = self.int("a string's length")?;
        if n == -1 {
            return Ok(None);
        }
        if n < 0 || n as usize > self.left() {
            return Err(RdataError::At {
                offset: at,
                expected: format!(
                    "a string length that fits the {} bytes left",
                    self.left().saturating_sub(4)
                ),
                found: n.to_string(),
            });
        }
        let bytes = self.take(n as usize, "a string")?;
        if (flags >> 12) & LATIN1 != 0 {
            return Ok(Some(bytes.iter().map(|&b| b as char).collect()));
        }
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(Some(s.to_string())),
            Err(e) => Err(RdataError::At {
                offset: at + 4 + e.valid_up_to(),
                expected: "UTF-8 text (or a string flagged Latin-1)".into(),
                found: format!("byte 0x{:02x}", bytes[e.valid_up_to()]),
            }),
        }
    }

    fn vector_attrs(&mut self, value: RValue, has_attr: bool, depth: usize) -> Result<RObject> {
        let attributes = if has_attr {
            let a = self.item(depth + 1)?;
            attr_pairs(a, self.pos)?
        } else {
            Vec::new()
        };
        Ok(RObject { value, attributes })
    }

    /// The ALTREP classes R writes for data: compact sequences (`1:n` row names) and wrappers
    /// (`wrap_integer`, ...), whose state is the plain vector.
    fn altrep(&mut self, at: usize, depth: usize) -> Result<RObject> {
        let info = self.item(depth + 1)?;
        let class = match &info.value {
            RValue::Pairlist(items) => match items.first().map(|(_, v)| &v.value) {
                Some(RValue::Symbol(s)) => s.clone(),
                _ => String::new(),
            },
            _ => String::new(),
        };
        let state = self.item(depth + 1)?;
        let attr = self.item(depth + 1)?;
        let attributes = match attr.value {
            RValue::Null => Vec::new(),
            _ => attr_pairs(attr, self.pos)?,
        };
        let seq = |s: &RObject| -> Option<(f64, f64, f64)> {
            match &s.value {
                RValue::Real(v) if v.len() == 3 => Some((v[0], v[1], v[2])),
                _ => None,
            }
        };
        let too_long = |n: f64, left: usize| !(0.0..=(left as f64 * 64.0 + 1e6)).contains(&n);
        let value = match class.as_str() {
            "compact_intseq" => {
                let (n, start, step) = seq(&state).ok_or_else(|| RdataError::At {
                    offset: at,
                    expected: "a compact_intseq state (length, start, step)".into(),
                    found: kind(&state.value).into(),
                })?;
                if too_long(n, self.left()) || n.fract() != 0.0 {
                    return Err(RdataError::At {
                        offset: at,
                        expected: "a compact sequence of plausible length".into(),
                        found: n.to_string(),
                    });
                }
                let v: Option<Vec<Option<i32>>> = (0..n as i64)
                    .map(|i| {
                        let x = start + step * i as f64;
                        (x.fract() == 0.0 && x.abs() < i32::MAX as f64).then_some(Some(x as i32))
                    })
                    .collect();
                RValue::Int(v.ok_or_else(|| RdataError::At {
                    offset: at,
                    expected: "a compact integer sequence within 32 bits".into(),
                    found: format!("start {start}, step {step}, length {n}"),
                })?)
            }
            "compact_realseq" => {
                let (n, start, step) = seq(&state).ok_or_else(|| RdataError::At {
                    offset: at,
                    expected: "a compact_realseq state (length, start, step)".into(),
                    found: kind(&state.value).into(),
                })?;
                if too_long(n, self.left()) || n.fract() != 0.0 {
                    return Err(RdataError::At {
                        offset: at,
                        expected: "a compact sequence of plausible length".into(),
                        found: n.to_string(),
                    });
                }
                RValue::Real((0..n as i64).map(|i| start + step * i as f64).collect())
            }
            "wrap_integer" | "wrap_real" | "wrap_logical" | "wrap_string" | "wrap_list" => {
                match state.value {
                    RValue::List(mut v) if !v.is_empty() => {
                        let inner = v.swap_remove(0);
                        let mut o = inner;
                        o.attributes.extend(attributes);
                        return Ok(o);
                    }
                    other => {
                        return Err(RdataError::At {
                            offset: at,
                            expected: format!("a {class} state (the wrapped vector, metadata)"),
                            found: kind(&other).into(),
                        });
                    }
                }
            }
            _ => {
                return Err(RdataError::At {
                    offset: at,
                    expected: "an ALTREP class of data (compact_intseq, compact_realseq, wrap_*)"
                        .into(),
                    found: format!("ALTREP class {class:?}"),
                });
            }
        };
        Ok(RObject { value, attributes })
    }
}

fn attr_pairs(a: RObject, offset: usize) -> Result<Vec<(String, RObject)>> {
    match a.value {
        RValue::Pairlist(items) => items
            .into_iter()
            .map(|(t, v)| {
                t.map(|t| (t, v)).ok_or_else(|| RdataError::At {
                    offset,
                    expected: "attributes with names".into(),
                    found: "an attribute without a name".into(),
                })
            })
            .collect(),
        RValue::Null => Ok(Vec::new()),
        other => Err(RdataError::At {
            offset,
            expected: "attributes (a pairlist)".into(),
            found: kind(&other).into(),
        }),
    }
}

/// One column of a data frame.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    /// Integers (`None` = NA).
    Int(Vec<Option<i32>>),
    /// Doubles (`None` = NA or NaN); `class` is the column's class (`"Date"`), if any.
    Real {
        /// Values.
        values: Vec<Option<f64>>,
        /// The first class, e.g. `Date` (days since 1970-01-01).
        class: Option<String>,
    },
    /// Logicals.
    Logical(Vec<Option<bool>>),
    /// Strings.
    Str(Vec<Option<String>>),
    /// A factor: 1-based codes into `levels`.
    Factor {
        /// Codes (`None` = NA).
        codes: Vec<Option<i32>>,
        /// Level labels.
        levels: Vec<String>,
    },
}

impl Column {
    fn len(&self) -> usize {
        match self {
            Column::Int(v) | Column::Factor { codes: v, .. } => v.len(),
            Column::Real { values, .. } => values.len(),
            Column::Logical(v) => v.len(),
            Column::Str(v) => v.len(),
        }
    }

    /// Row `i` as a whole number (NA → `None`), read as [`DataFrame::whole_numbers`] reads a
    /// column; `name` is the column's, for the error. Reading cell by cell keeps no second copy
    /// of a large column.
    pub fn whole_number(&self, name: &str, i: usize) -> std::result::Result<Option<i64>, String> {
        match self {
            Column::Int(v) => Ok(v[i].map(i64::from)),
            Column::Logical(v) => Ok(v[i].map(i64::from)),
            Column::Real { values, .. } => match values[i] {
                None => Ok(None),
                Some(x) if x.fract() == 0.0 && x.abs() < 1e15 => Ok(Some(x as i64)),
                Some(x) => Err(format!(
                    "row {}, column {name:?}: {x} is not an integer",
                    i + 1
                )),
            },
            Column::Str(_) | Column::Factor { .. } => match self.text(i) {
                None => Ok(None),
                Some(t) => t.trim().parse::<i64>().map(Some).map_err(|_| {
                    format!("row {}, column {name:?}: {t:?} is not an integer", i + 1)
                }),
            },
        }
    }

    /// The value at row `i` as text (factors as their labels), `None` for NA.
    pub fn text(&self, i: usize) -> Option<String> {
        match self {
            Column::Int(v) => v[i].map(|x| x.to_string()),
            Column::Real { values, .. } => values[i].map(|x| x.to_string()),
            Column::Logical(v) => v[i].map(|x| (x as u8).to_string()),
            Column::Str(v) => v[i].clone(),
            Column::Factor { codes, levels } => codes[i]
                .and_then(|c| usize::try_from(c - 1).ok())
                .and_then(|c| levels.get(c).cloned()),
        }
    }
}

/// A data frame: named columns of equal length.
#[derive(Debug, Clone, PartialEq)]
pub struct DataFrame {
    /// Column names, in order.
    pub names: Vec<String>,
    /// Columns, in order.
    pub columns: Vec<Column>,
    /// Rows.
    pub rows: usize,
}

impl DataFrame {
    /// Column `name` as whole numbers (NA → `None`): integers and logicals as they are, doubles
    /// without a fraction, text that parses; otherwise an error naming the 1-based row and the
    /// value.
    pub fn whole_numbers(&self, name: &str) -> std::result::Result<Vec<Option<i64>>, String> {
        let c = self.column(name).map_err(|e| e.to_string())?;
        let mut out = Vec::with_capacity(self.rows);
        for i in 0..self.rows {
            out.push(c.whole_number(name, i)?);
        }
        Ok(out)
    }

    /// The data frame `obj` holds, or why it is not one.
    pub fn from_object(obj: RObject) -> Result<DataFrame> {
        let shape = |m: String| RdataError::Shape(m);
        if !obj.classes().contains(&"data.frame") {
            return Err(shape(format!(
                "not a data frame (class {:?})",
                obj.classes()
            )));
        }
        let names: Vec<String> = match obj.attr("names").map(|n| &n.value) {
            Some(RValue::Str(v)) => v.iter().map(|s| s.clone().unwrap_or_default()).collect(),
            _ => return Err(shape("a data frame without column names".into())),
        };
        let rows = match obj.attr("row.names").map(|r| &r.value) {
            // The compact form c(NA, -n) (or c(NA, n)).
            Some(RValue::Int(v)) if v.len() == 2 && v[0].is_none() => {
                v[1].map(|n| n.unsigned_abs() as usize).unwrap_or(0)
            }
            Some(RValue::Int(v)) => v.len(),
            Some(RValue::Str(v)) => v.len(),
            Some(RValue::Real(v)) => v.len(),
            _ => return Err(shape("a data frame without row names".into())),
        };
        let RValue::List(cols) = obj.value else {
            return Err(shape("a data frame that is not a list".into()));
        };
        if cols.len() != names.len() {
            return Err(shape(format!(
                "{} columns but {} names",
                cols.len(),
                names.len()
            )));
        }
        let mut columns = Vec::with_capacity(cols.len());
        for (name, c) in names.iter().zip(cols) {
            let classes: Vec<String> = c.classes().iter().map(|s| s.to_string()).collect();
            let levels = c.attr("levels").cloned();
            let col = match c.value {
                RValue::Int(v) if classes.iter().any(|k| k == "factor") => {
                    let levels = match levels.map(|l| l.value) {
                        Some(RValue::Str(l)) => {
                            l.into_iter().map(|s| s.unwrap_or_default()).collect()
                        }
                        _ => return Err(shape(format!("factor column {name:?} has no levels"))),
                    };
                    Column::Factor { codes: v, levels }
                }
                RValue::Int(v) => Column::Int(v),
                RValue::Real(v) => Column::Real {
                    values: v
                        .into_iter()
                        .map(|x| (!is_na_real(x)).then_some(x))
                        .collect(),
                    class: classes.first().cloned(),
                },
                RValue::Logical(v) => Column::Logical(v),
                RValue::Str(v) => Column::Str(v),
                other => {
                    return Err(shape(format!(
                        "column {name:?} is {}, not an integer, double, logical, string or factor column",
                        kind(&other)
                    )));
                }
            };
            if col.len() != rows {
                return Err(shape(format!(
                    "column {name:?} has {} values for {rows} rows",
                    col.len()
                )));
            }
            columns.push(col);
        }
        Ok(DataFrame {
            names,
            columns,
            rows,
        })
    }

    /// Column `name`, or an error naming the columns there are.
    pub fn column(&self, name: &str) -> Result<&Column> {
        self.names
            .iter()
            .position(|n| n == name)
            .map(|i| &self.columns[i])
            .ok_or_else(|| {
                RdataError::Shape(format!(
                    "no column {name:?} (columns: {})",
                    self.names.join(", ")
                ))
            })
    }
}

/// A writer of the same format, for tests: data frames of the column kinds [`DataFrame`]
/// reads, serialized as R's `save()` writes them (format version 2, uncompressed).
pub mod writer {
    use super::*;

    /// An attribute: its name and a function writing its value.
    type Attr<'a> = (&'a str, &'a dyn Fn(&mut Vec<u8>));

    fn int(out: &mut Vec<u8>, x: i32) {
        out.extend_from_slice(&x.to_be_bytes());
    }

    fn charsxp(out: &mut Vec<u8>, s: Option<&str>) {
        int(out, (CHARSXP | (1 << 15)) as i32); // UTF-8 flag (gp bit 3)
        match s {
            None => int(out, -1),
            Some(s) => {
                int(out, s.len() as i32);
                out.extend_from_slice(s.as_bytes());
            }
        }
    }

    fn symbol(out: &mut Vec<u8>, s: &str) {
        int(out, SYMSXP as i32);
        charsxp(out, Some(s));
    }

    fn strsxp(out: &mut Vec<u8>, v: &[Option<&str>], attrs: &[Attr<'_>]) {
        let has = if attrs.is_empty() { 0 } else { HAS_ATTR };
        int(out, (STRSXP | has) as i32);
        int(out, v.len() as i32);
        for s in v {
            charsxp(out, *s);
        }
        attributes(out, attrs);
    }

    fn attributes(out: &mut Vec<u8>, attrs: &[Attr<'_>]) {
        if attrs.is_empty() {
            return;
        }
        for (name, value) in attrs {
            int(out, (LISTSXP | HAS_TAG) as i32);
            symbol(out, name);
            value(out);
        }
        int(out, NILVALUE_SXP as i32);
    }

    /// Serializes a data frame named `name` as an uncompressed RDX2 file.
    pub fn write_rdata(name: &str, df: &DataFrame) -> Vec<u8> {
        let mut out = b"RDX2\nX\n".to_vec();
        int(&mut out, 2);
        int(&mut out, 0x030301);
        int(&mut out, 0x020300);
        int(&mut out, (LISTSXP | HAS_TAG) as i32);
        symbol(&mut out, name);
        int(&mut out, (VECSXP | IS_OBJECT | HAS_ATTR) as i32);
        int(&mut out, df.columns.len() as i32);
        for c in &df.columns {
            column(&mut out, c);
        }
        let names: Vec<Option<&str>> = df.names.iter().map(|s| Some(s.as_str())).collect();
        let rows = df.rows as i32;
        attributes(
            &mut out,
            &[
                ("names", &|o: &mut Vec<u8>| strsxp(o, &names, &[])),
                ("row.names", &|o: &mut Vec<u8>| {
                    int(o, INTSXP as i32);
                    int(o, 2);
                    int(o, NA_INT);
                    int(o, -rows);
                }),
                ("class", &|o: &mut Vec<u8>| {
                    strsxp(o, &[Some("data.frame")], &[])
                }),
            ],
        );
        int(&mut out, NILVALUE_SXP as i32);
        out
    }

    fn column(out: &mut Vec<u8>, c: &Column) {
        match c {
            Column::Int(v) => {
                int(out, INTSXP as i32);
                int(out, v.len() as i32);
                v.iter().for_each(|x| int(out, x.unwrap_or(NA_INT)));
            }
            Column::Factor { codes, levels } => {
                int(out, (INTSXP | IS_OBJECT | HAS_ATTR) as i32);
                int(out, codes.len() as i32);
                codes.iter().for_each(|x| int(out, x.unwrap_or(NA_INT)));
                let lv: Vec<Option<&str>> = levels.iter().map(|s| Some(s.as_str())).collect();
                attributes(
                    out,
                    &[
                        ("levels", &|o: &mut Vec<u8>| strsxp(o, &lv, &[])),
                        ("class", &|o: &mut Vec<u8>| {
                            strsxp(o, &[Some("factor")], &[])
                        }),
                    ],
                );
            }
            Column::Real { values, class } => {
                let has = if class.is_some() {
                    HAS_ATTR | IS_OBJECT
                } else {
                    0
                };
                int(out, (REALSXP | has) as i32);
                int(out, values.len() as i32);
                for x in values {
                    let bits = x.map_or(NA_REAL_BITS, f64::to_bits);
                    out.extend_from_slice(&bits.to_be_bytes());
                }
                if let Some(k) = class {
                    attributes(
                        out,
                        &[("class", &|o: &mut Vec<u8>| strsxp(o, &[Some(k)], &[]))],
                    );
                }
            }
            Column::Logical(v) => {
                int(out, LGLSXP as i32);
                int(out, v.len() as i32);
                v.iter()
                    .for_each(|x| int(out, x.map_or(NA_INT, |b| b as i32)));
            }
            Column::Str(v) => {
                let v: Vec<Option<&str>> = v.iter().map(|s| s.as_deref()).collect();
                strsxp(out, &v, &[]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::writer::write_rdata;
    use super::*;
    use proptest::prelude::*;

    fn frame() -> DataFrame {
        DataFrame {
            names: vec![
                "rcid".into(),
                "vote".into(),
                "date".into(),
                "unres".into(),
                "member".into(),
                "ok".into(),
            ],
            columns: vec![
                Column::Int(vec![Some(3), None]),
                Column::Factor {
                    codes: vec![Some(1), Some(2)],
                    levels: vec!["yes".into(), "no".into()],
                },
                Column::Real {
                    values: vec![Some(-8766.0), None],
                    class: Some("Date".into()),
                },
                Column::Str(vec![Some("R/1/66".into()), None]),
                Column::Logical(vec![Some(true), None]),
                Column::Real {
                    values: vec![Some(1.5), Some(-0.0)],
                    class: None,
                },
            ],
            rows: 2,
        }
    }

    /// Reads `bytes` and expects a data frame `x` equal to `want`, or an error containing the
    /// text `want_err`.
    fn check(bytes: &[u8], expect: std::result::Result<&DataFrame, &str>) {
        let got = read_rdata(bytes).and_then(|objs| {
            let (name, obj) = objs
                .into_iter()
                .next()
                .ok_or_else(|| RdataError::Shape("empty".into()))?;
            assert_eq!(name, "x");
            DataFrame::from_object(obj)
        });
        match (got, expect) {
            (Ok(g), Ok(w)) => assert_eq!(&g, w),
            (Err(e), Err(w)) => assert!(e.to_string().contains(w), "{e}"),
            (g, w) => panic!("got {g:?}, want {w:?}"),
        }
    }

    #[test]
    fn reads_what_the_writer_writes() {
        let df = frame();
        let bytes = write_rdata("x", &df);
        check(&bytes, Ok(&df));
        // Gzip-compressed, as save() writes by default.
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &bytes).unwrap();
        check(&gz.finish().unwrap(), Ok(&df));
    }

    #[test]
    fn errors_name_the_offset_and_what_was_expected() {
        let bytes = write_rdata("x", &frame());
        check(b"RDA2\nX\n", Err("byte 0: expected the magic"));
        check(
            &bytes[..bytes.len() - 3],
            Err("expected 4 bytes of the rest of a pairlist"),
        );
        let mut bad = bytes.clone();
        bad[5] = b'A';
        check(&bad, Err("byte 5: expected the XDR format marker"));
        // A length far beyond the stream: refused before anything is allocated.
        let mut huge = bytes.clone();
        let at = 7 + 12 + 4 + 4 + 4 + 1 + 4 + 4; // the list length of the data frame
        huge[at..at + 4].copy_from_slice(&0x7fff_ffffu32.to_be_bytes());
        check(
            &huge,
            Err(&format!("byte {at}: expected a length of a list that fits")),
        );
        let mut long = bytes.clone();
        long.extend_from_slice(&[0, 0]);
        check(
            &long,
            Err("expected the end of the stream, found 2 more bytes"),
        );
        check(b"BZh91AY", Err("bzip2"));
    }

    #[test]
    fn version_3_and_compact_row_names() {
        // R >= 3.5 writes format 3 (with the native encoding) and may write row names as
        // the ALTREP compact sequence 1:n: a list with one integer column and those row names.
        let mut out = b"RDX3\nX\n".to_vec();
        let int = |o: &mut Vec<u8>, x: i32| o.extend_from_slice(&x.to_be_bytes());
        let chars = |o: &mut Vec<u8>, s: &str| {
            int(o, (CHARSXP | (1 << 15)) as i32);
            int(o, s.len() as i32);
            o.extend_from_slice(s.as_bytes());
        };
        let sym = |o: &mut Vec<u8>, s: &str| {
            int(o, SYMSXP as i32);
            chars(o, s);
        };
        for x in [3, 0x040100, 0x030500, 5] {
            int(&mut out, x);
        }
        out.extend_from_slice(b"UTF-8");
        int(&mut out, (LISTSXP | HAS_TAG) as i32);
        sym(&mut out, "x");
        int(&mut out, (VECSXP | IS_OBJECT | HAS_ATTR) as i32);
        int(&mut out, 1);
        int(&mut out, INTSXP as i32);
        int(&mut out, 3);
        for v in [7, NA_INT, 9] {
            int(&mut out, v);
        }
        // names = "a"; row.names = compact_intseq(3, 1, 1); class = "data.frame".
        int(&mut out, (LISTSXP | HAS_TAG) as i32);
        sym(&mut out, "names");
        int(&mut out, STRSXP as i32);
        int(&mut out, 1);
        chars(&mut out, "a");
        int(&mut out, (LISTSXP | HAS_TAG) as i32);
        sym(&mut out, "row.names");
        int(&mut out, ALTREP_SXP as i32);
        int(&mut out, LISTSXP as i32);
        sym(&mut out, "compact_intseq");
        int(&mut out, LISTSXP as i32);
        sym(&mut out, "base");
        int(&mut out, LISTSXP as i32);
        int(&mut out, INTSXP as i32);
        int(&mut out, 1);
        int(&mut out, 13);
        int(&mut out, NILVALUE_SXP as i32);
        int(&mut out, REALSXP as i32);
        int(&mut out, 3);
        for x in [3.0f64, 1.0, 1.0] {
            out.extend_from_slice(&x.to_be_bytes());
        }
        int(&mut out, NILVALUE_SXP as i32);
        int(&mut out, (LISTSXP | HAS_TAG) as i32);
        sym(&mut out, "class");
        int(&mut out, STRSXP as i32);
        int(&mut out, 1);
        chars(&mut out, "data.frame");
        int(&mut out, NILVALUE_SXP as i32);
        int(&mut out, NILVALUE_SXP as i32);
        let want = DataFrame {
            names: vec!["a".into()],
            columns: vec![Column::Int(vec![Some(7), None, Some(9)])],
            rows: 3,
        };
        check(&out, Ok(&want));
        // An unknown ALTREP class is refused by name.
        let renamed: Vec<u8> = out
            .windows(14)
            .position(|w| w == b"compact_intseq")
            .map(|i| {
                let mut o = out.clone();
                o[i..i + 14].copy_from_slice(b"deferred_strin");
                o
            })
            .unwrap();
        check(&renamed, Err("ALTREP class \"deferred_strin\""));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let mut out = b"RDX2\nX\n".to_vec();
        for x in [2i32, 0x030301, 0x020300] {
            out.extend_from_slice(&x.to_be_bytes());
        }
        for _ in 0..10_000 {
            out.extend_from_slice(&(VECSXP as i32).to_be_bytes());
            out.extend_from_slice(&1i32.to_be_bytes());
        }
        let e = read_rdata(&out).unwrap_err().to_string();
        assert!(e.contains("nesting of at most 64 levels"), "{e}");
    }

    fn column_strategy(rows: usize) -> impl Strategy<Value = Column> {
        prop_oneof![
            proptest::collection::vec(
                proptest::option::of(any::<i32>().prop_filter("not NA", |x| *x != NA_INT)),
                rows
            )
            .prop_map(Column::Int),
            proptest::collection::vec(proptest::option::of(-1e300f64..1e300), rows).prop_map(
                |values| Column::Real {
                    values,
                    class: None
                }
            ),
            proptest::collection::vec(proptest::option::of(any::<bool>()), rows)
                .prop_map(Column::Logical),
            proptest::collection::vec(proptest::option::of(".{0,8}"), rows).prop_map(Column::Str),
            proptest::collection::vec(proptest::option::of(1i32..=3), rows).prop_map(|codes| {
                Column::Factor {
                    codes,
                    levels: vec!["a".into(), "b".into(), "ç".into()],
                }
            }),
        ]
    }

    fn frame_strategy() -> impl Strategy<Value = DataFrame> {
        (0usize..6, 0usize..5).prop_flat_map(|(rows, ncol)| {
            proptest::collection::vec(column_strategy(rows), ncol).prop_map(move |columns| {
                DataFrame {
                    names: (0..columns.len()).map(|i| format!("c{i}")).collect(),
                    columns,
                    rows,
                }
            })
        })
    }

    proptest! {
        #[test]
        fn data_frames_round_trip(df in frame_strategy()) {
            let bytes = write_rdata("x", &df);
            let objs = read_rdata(&bytes).unwrap();
            prop_assert_eq!(objs.len(), 1);
            let got = DataFrame::from_object(objs.into_iter().next().unwrap().1).unwrap();
            prop_assert_eq!(got, df);
        }

        #[test]
        fn damaged_files_fail_cleanly(df in frame_strategy(), at in any::<prop::sample::Index>(), byte in any::<u8>(), cut in any::<prop::sample::Index>()) {
            let mut bytes = write_rdata("x", &df);
            let i = at.index(bytes.len());
            bytes[i] = byte;
            let _ = read_rdata(&bytes).and_then(|o| match o.into_iter().next() {
                Some((_, obj)) => DataFrame::from_object(obj).map(|_| ()),
                None => Ok(()),
            });
            let whole = write_rdata("x", &df);
            let n = cut.index(whole.len());
            prop_assert!(read_rdata(&whole[..n]).is_err());
        }
    }
}

//! One event of a feed (GDELT 2.0 or ICEWS) as a row, the strict byte parsers of the files that
//! carry them, and the resolution of the publishers' country codes to ISO3.
//!
//! An event is keyed as its publisher keys it: GDELT by `GLOBALEVENTID`, ICEWS by
//! `(Event ID, Event Date)` (an ICEWS Event ID is unique only together with its date). The row
//! keeps what the indices, alerts and evidence need: the date, the CAMEO code and its root and
//! QuadClass, Goldstein (ICEWS: Intensity), tone (GDELT only), the actors' countries, where it
//! happened, the outlet and the article. The store keeps every publisher field in its own
//! table; these rows are what this crate computes on.
//!
//! The parsers take the bytes of one (unzipped) file: GDELT's export (61 tab-separated fields,
//! no header, no quoting) and mentions (16 fields) files, and ICEWS's `.tab` (20 fields with a
//! header, `NA` for missing). A row with the wrong number of fields, an empty key, a number
//! that does not parse, a date that does not exist or a CAMEO code outside 01-20 fails with the
//! line (as an editor counts it), the column and the value.

use crate::slots::UtcTime;
use crate::text::cut;
use attache_core::{Crosswalk, Date, Scheme};
use std::collections::BTreeMap;
use std::fmt;

/// Which feed an event comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    Gdelt,
    Icews,
}

impl Source {
    /// `gdelt` or `icews`, as the `events.source` column holds it.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Gdelt => "gdelt",
            Source::Icews => "icews",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The de-duplication key of an event, as its publisher defines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventKey {
    /// GDELT's `GLOBALEVENTID`.
    Gdelt(u64),
    /// ICEWS's `Event ID`, unique only with its `Event Date`.
    Icews { event_id: u64, date: Date },
}

impl EventKey {
    pub fn source(self) -> Source {
        match self {
            EventKey::Gdelt(_) => Source::Gdelt,
            EventKey::Icews { .. } => Source::Icews,
        }
    }
}

impl fmt::Display for EventKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventKey::Gdelt(id) => write!(f, "gdelt:{id}"),
            EventKey::Icews { event_id, date } => write!(f, "icews:{event_id}@{date}"),
        }
    }
}

/// CAMEO's four classes of events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum QuadClass {
    VerbalCooperation = 1,
    MaterialCooperation = 2,
    VerbalConflict = 3,
    MaterialConflict = 4,
}

impl QuadClass {
    pub const ALL: [QuadClass; 4] = [
        QuadClass::VerbalCooperation,
        QuadClass::MaterialCooperation,
        QuadClass::VerbalConflict,
        QuadClass::MaterialConflict,
    ];

    /// From GDELT's `QuadClass` column (1-4).
    pub fn from_number(n: u8) -> Option<QuadClass> {
        QuadClass::ALL.get(usize::from(n).wrapping_sub(1)).copied()
    }

    /// The class of a CAMEO root code as GDELT 2.0 assigns it (checked on every row of the
    /// mirror's export): 01-05 verbal cooperation, 06-09 material cooperation, 10-14 verbal
    /// conflict (GDELT counts protest, 14, here), 15-20 material conflict. ICEWS carries no
    /// QuadClass; its events get this one, so both feeds are classed alike.
    pub fn of_root(root: u8) -> Option<QuadClass> {
        match root {
            1..=5 => Some(QuadClass::VerbalCooperation),
            6..=9 => Some(QuadClass::MaterialCooperation),
            10..=14 => Some(QuadClass::VerbalConflict),
            15..=20 => Some(QuadClass::MaterialConflict),
            _ => None,
        }
    }

    /// 1-4.
    pub fn number(self) -> u8 {
        self as u8
    }

    /// Verbal or material conflict.
    pub fn is_conflict(self) -> bool {
        matches!(
            self,
            QuadClass::VerbalConflict | QuadClass::MaterialConflict
        )
    }
}

/// One event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub key: EventKey,
    /// When it happened (GDELT `SQLDATE`, ICEWS `Event Date`).
    pub date: Date,
    /// The CAMEO event code as written (`"040"`, `"1823"`).
    pub cameo: String,
    /// The CAMEO root code, 1-20.
    pub root: u8,
    pub quad_class: QuadClass,
    /// GDELT `GoldsteinScale`; ICEWS `Intensity` (the same -10..10 scale).
    pub goldstein: Option<f64>,
    /// GDELT `AvgTone`; ICEWS has none.
    pub tone: Option<f64>,
    /// The first actor's country as the publisher writes it (GDELT: a CAMEO country code such
    /// as `AUS`; ICEWS: a name such as `Bangladesh`); empty when unknown.
    pub actor1_country: String,
    /// The second actor's country, likewise.
    pub actor2_country: String,
    /// Where it happened (GDELT: `ActionGeo_CountryCode`, FIPS 10-4; ICEWS: `Country`, a name);
    /// empty when unknown.
    pub place: String,
    /// GDELT `NumMentions`, `NumSources`, `NumArticles`; ICEWS: 1, 1, 1 (one sentence of one story).
    pub num_mentions: u32,
    pub num_sources: u32,
    pub num_articles: u32,
    /// The outlet (GDELT: the host of `SOURCEURL`; ICEWS: `Publisher`).
    pub outlet: String,
    /// The article (GDELT: `SOURCEURL`; ICEWS: `Story ID`).
    pub article: String,
    /// GDELT `DATEADDED` (the 15-minute slot that published it); ICEWS: none.
    pub added: Option<UtcTime>,
    /// ISO3 of `place`, of `actor1_country`, of `actor2_country` once [`resolve`] has run.
    pub iso3: Option<String>,
    pub actor1_iso3: Option<String>,
    pub actor2_iso3: Option<String>,
}

impl Event {
    pub fn source(&self) -> Source {
        self.key.source()
    }
}

/// One article's mention of a GDELT event (the mentions file).
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// `GLOBALEVENTID` of the event mentioned.
    pub event_id: u64,
    /// `MentionTimeDate`.
    pub time: UtcTime,
    /// `MentionSourceName`: the outlet (a web domain for web articles).
    pub source_name: String,
    /// `MentionIdentifier`: the article's URL (or citation).
    pub identifier: String,
    /// `MentionDocTone`.
    pub doc_tone: f64,
}

/// A row that is not as the publisher writes it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("{file}: not UTF-8 text (line {line})")]
    NotText { file: &'static str, line: usize },
    #[error("{file} line {line}: expected {want} tab-separated fields, found {got}")]
    Fields {
        file: &'static str,
        line: usize,
        want: usize,
        got: usize,
    },
    #[error("{file} line {line}, {column}: {why}: {value:?}")]
    Value {
        file: &'static str,
        line: usize,
        column: &'static str,
        value: String,
        why: &'static str,
    },
    #[error("{file} line 1: the header is not ICEWS's: {value:?}")]
    Header { file: &'static str, value: String },
}

/// Splits bytes into numbered lines of exactly `want` tab-separated fields.
fn rows<'a>(
    file: &'static str,
    bytes: &'a [u8],
    want: usize,
) -> impl Iterator<Item = Result<(usize, Vec<&'a str>), ParseError>> + 'a {
    let mut line_no = 0usize;
    bytes
        .strip_suffix(b"\n")
        .unwrap_or(bytes)
        .split(|b| *b == b'\n')
        .filter(move |_| !bytes.is_empty())
        .map(move |raw| {
            line_no += 1;
            let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
            let l = std::str::from_utf8(raw).map_err(|_| ParseError::NotText {
                file,
                line: line_no,
            })?;
            // Split on tab bytes (tab is ASCII, so every piece is still UTF-8).
            let mut f: Vec<&str> = Vec::with_capacity(want);
            let mut start = 0;
            for (i, b) in raw.iter().enumerate() {
                if *b == b'\t' {
                    f.push(&l[start..i]);
                    start = i + 1;
                }
            }
            f.push(&l[start..]);
            if f.len() != want {
                return Err(ParseError::Fields {
                    file,
                    line: line_no,
                    want,
                    got: f.len(),
                });
            }
            Ok((line_no, f))
        })
}

struct Cell<'a> {
    file: &'static str,
    line: usize,
    column: &'static str,
    value: &'a str,
}

impl<'a> Cell<'a> {
    fn err(&self, why: &'static str) -> ParseError {
        ParseError::Value {
            file: self.file,
            line: self.line,
            column: self.column,
            value: cut(self.value),
            why,
        }
    }
    fn uint<T: std::str::FromStr>(&self) -> Result<T, ParseError> {
        if self.value.is_empty() || !self.value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.err("not a whole number"));
        }
        self.value.parse().map_err(|_| self.err("out of range"))
    }
    fn float(&self) -> Result<f64, ParseError> {
        let v: f64 = self.value.parse().map_err(|_| self.err("not a number"))?;
        if !v.is_finite() {
            return Err(self.err("not a finite number"));
        }
        Ok(v)
    }
    fn opt_float(&self, na: &str) -> Result<Option<f64>, ParseError> {
        if self.value.is_empty() || self.value == na {
            Ok(None)
        } else {
            self.float().map(Some)
        }
    }
    fn yyyymmdd(&self) -> Result<Date, ParseError> {
        let v = self.value;
        if v.len() != 8 || !v.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.err("not a date (expected YYYYMMDD)"));
        }
        let n = |a, b| v[a..b].parse::<u32>().unwrap_or(0);
        Date::new(n(0, 4) as i32, n(4, 6) as u8, n(6, 8) as u8)
            .ok_or_else(|| self.err("no such day"))
    }
    fn iso_date(&self) -> Result<Date, ParseError> {
        self.value
            .parse::<Date>()
            .map_err(|_| self.err("not a date (expected YYYY-MM-DD)"))
    }
    /// A CAMEO event code: 2 to 4 digits, root (the first two) 01-20.
    fn cameo(&self) -> Result<(String, u8), ParseError> {
        let v = self.value;
        if !(2..=4).contains(&v.len()) || !v.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.err("not a CAMEO event code (2-4 digits)"));
        }
        let root: u8 = v[..2].parse().unwrap_or(0);
        if !(1..=20).contains(&root) {
            return Err(self.err("CAMEO root code outside 01-20"));
        }
        Ok((v.to_string(), root))
    }
}

fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let h = rest.split(['/', '?', '#']).next().unwrap_or("");
    h.strip_prefix("www.").unwrap_or(h)
}

/// Columns of the GDELT 2.0 export this crate reads (0-based index, codebook name).
mod gdelt_col {
    pub const COUNT: usize = 61;
    pub const ID: (usize, &str) = (0, "GLOBALEVENTID");
    pub const SQLDATE: (usize, &str) = (1, "SQLDATE");
    pub const ACTOR1_COUNTRY: (usize, &str) = (7, "Actor1CountryCode");
    pub const ACTOR2_COUNTRY: (usize, &str) = (17, "Actor2CountryCode");
    pub const EVENT_CODE: (usize, &str) = (26, "EventCode");
    pub const ROOT_CODE: (usize, &str) = (28, "EventRootCode");
    pub const QUAD: (usize, &str) = (29, "QuadClass");
    pub const GOLDSTEIN: (usize, &str) = (30, "GoldsteinScale");
    pub const MENTIONS: (usize, &str) = (31, "NumMentions");
    pub const SOURCES: (usize, &str) = (32, "NumSources");
    pub const ARTICLES: (usize, &str) = (33, "NumArticles");
    pub const TONE: (usize, &str) = (34, "AvgTone");
    pub const ACTION_COUNTRY: (usize, &str) = (53, "ActionGeo_CountryCode");
    pub const DATEADDED: (usize, &str) = (59, "DATEADDED");
    pub const SOURCEURL: (usize, &str) = (60, "SOURCEURL");
}

/// Parses one GDELT 2.0 export file (`*.export.CSV`, unzipped).
pub fn parse_gdelt_export(bytes: &[u8]) -> Result<Vec<Event>, ParseError> {
    use gdelt_col::*;
    const F: &str = "GDELT export";
    let mut out = Vec::new();
    for r in rows(F, bytes, COUNT) {
        let (line, f) = r?;
        let c = |(i, column): (usize, &'static str)| Cell {
            file: F,
            line,
            column,
            value: f[i],
        };
        let id: u64 = c(ID).uint()?;
        let date = c(SQLDATE).yyyymmdd()?;
        let (cameo, root) = c(EVENT_CODE).cameo()?;
        let rc = c(ROOT_CODE);
        if rc.uint::<u8>()? != root {
            return Err(rc.err("does not match the EventCode's first two digits"));
        }
        let qc = c(QUAD);
        let quad = QuadClass::from_number(qc.uint()?).ok_or_else(|| qc.err("not 1-4"))?;
        if QuadClass::of_root(root) != Some(quad) {
            return Err(qc.err("does not match the CAMEO root code's class"));
        }
        let added_cell = c(DATEADDED);
        let added = UtcTime::parse_compact(added_cell.value)
            .map_err(|_| added_cell.err("not a time stamp (expected YYYYMMDDHHMMSS)"))?;
        let url = f[SOURCEURL.0];
        out.push(Event {
            key: EventKey::Gdelt(id),
            date,
            cameo,
            root,
            quad_class: quad,
            goldstein: c(GOLDSTEIN).opt_float("")?,
            tone: c(TONE).opt_float("")?,
            actor1_country: f[ACTOR1_COUNTRY.0].to_string(),
            actor2_country: f[ACTOR2_COUNTRY.0].to_string(),
            place: f[ACTION_COUNTRY.0].to_string(),
            num_mentions: c(MENTIONS).uint()?,
            num_sources: c(SOURCES).uint()?,
            num_articles: c(ARTICLES).uint()?,
            outlet: host(url).to_string(),
            article: url.to_string(),
            added: Some(added),
            iso3: None,
            actor1_iso3: None,
            actor2_iso3: None,
        });
    }
    Ok(out)
}

/// Parses one GDELT 2.0 mentions file (`*.mentions.CSV`, unzipped; 16 fields).
pub fn parse_gdelt_mentions(bytes: &[u8]) -> Result<Vec<Mention>, ParseError> {
    const F: &str = "GDELT mentions";
    let mut out = Vec::new();
    for r in rows(F, bytes, 16) {
        let (line, f) = r?;
        let c = |i: usize, column: &'static str| Cell {
            file: F,
            line,
            column,
            value: f[i],
        };
        let t = c(2, "MentionTimeDate");
        let time = UtcTime::parse_compact(t.value)
            .map_err(|_| t.err("not a time stamp (expected YYYYMMDDHHMMSS)"))?;
        let name = c(4, "MentionSourceName");
        if name.value.is_empty() {
            return Err(name.err("empty"));
        }
        out.push(Mention {
            event_id: c(0, "GLOBALEVENTID").uint()?,
            time,
            source_name: f[4].to_string(),
            identifier: f[5].to_string(),
            doc_tone: c(13, "MentionDocTone").float()?,
        });
    }
    Ok(out)
}

/// ICEWS's 20 columns, in file order.
pub const ICEWS_COLUMNS: [&str; 20] = [
    "Event ID",
    "Event Date",
    "Source Name",
    "Source Sectors",
    "Source Country",
    "Event Text",
    "CAMEO Code",
    "Intensity",
    "Target Name",
    "Target Sectors",
    "Target Country",
    "Story ID",
    "Sentence Number",
    "Publisher",
    "City",
    "District",
    "Province",
    "Country",
    "Latitude",
    "Longitude",
];

/// Parses an ICEWS events file (`events.YYYY.*.tab`: a header line, 20 tab-separated fields,
/// `NA` or empty for missing).
pub fn parse_icews(bytes: &[u8]) -> Result<Vec<Event>, ParseError> {
    const F: &str = "ICEWS events";
    let mut it = rows(F, bytes, ICEWS_COLUMNS.len());
    match it.next() {
        Some(Ok((_, h))) if h == ICEWS_COLUMNS => {}
        Some(Err(ParseError::Fields { .. } | ParseError::NotText { .. })) | Some(Ok(_)) => {
            let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
            return Err(ParseError::Header {
                file: F,
                value: cut(&String::from_utf8_lossy(first)),
            });
        }
        Some(Err(e)) => return Err(e),
        None => {
            return Err(ParseError::Header {
                file: F,
                value: String::new(),
            });
        }
    }
    let na = |s: &str| if s == "NA" { "" } else { s }.to_string();
    let mut out = Vec::new();
    for r in it {
        let (line, f) = r?;
        let c = |i: usize| Cell {
            file: F,
            line,
            column: ICEWS_COLUMNS[i],
            value: f[i],
        };
        let event_id: u64 = c(0).uint()?;
        let date = c(1).iso_date()?;
        let (cameo, root) = c(6).cameo()?;
        let intensity = c(7).opt_float("NA")?;
        if intensity.is_some_and(|v| !(-10.0..=10.0).contains(&v)) {
            return Err(c(7).err("outside -10..10"));
        }
        out.push(Event {
            key: EventKey::Icews { event_id, date },
            date,
            cameo,
            root,
            quad_class: QuadClass::of_root(root).expect("root checked 1-20"),
            goldstein: intensity,
            tone: None,
            actor1_country: na(f[4]),
            actor2_country: na(f[10]),
            place: na(f[17]),
            num_mentions: 1,
            num_sources: 1,
            num_articles: 1,
            outlet: na(f[13]),
            article: na(f[11]),
            added: None,
            iso3: None,
            actor1_iso3: None,
            actor2_iso3: None,
        });
    }
    Ok(out)
}

/// FIPS-style place codes GDELT uses for what is not a country (oceans, disputed areas); as in
/// `attache-sources`' GDELT adapter, these keep no ISO3.
pub const GDELT_NON_COUNTRY: &[&str] = &["OS", "OC", "PG", "PF", "GZ", "WE", "YI", "AY", "UV"];

/// What [`resolve`] could not turn into ISO3, with how many events carried each code or name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unresolved {
    /// `(field, code)` → events.
    pub codes: BTreeMap<(&'static str, String), usize>,
}

impl Unresolved {
    pub fn total(&self) -> usize {
        self.codes.values().sum()
    }
}

/// Fills `iso3`, `actor1_iso3` and `actor2_iso3`: GDELT places by FIPS 10-4 on the event's
/// date, GDELT actors by their CAMEO country code where it is an ISO3 code, ICEWS by name. A
/// code that does not resolve (a region such as `AFR`, an ocean, an unknown name) leaves `None`
/// and is counted, never guessed.
pub fn resolve(events: &mut [Event], cw: &Crosswalk) -> Unresolved {
    resolve_with(events, cw, &mut Resolutions::default())
}

/// What a code resolved to, kept across calls of [`resolve_with`] (an import of many files
/// meets the same codes in each).
#[derive(Debug, Default)]
pub struct Resolutions(std::collections::HashMap<(Scheme, String, Date), Option<String>>);

/// [`resolve`] with resolutions kept in `cache` across calls.
pub fn resolve_with(events: &mut [Event], cw: &Crosswalk, cache: &mut Resolutions) -> Unresolved {
    let mut un = Unresolved::default();
    let cache = &mut cache.0;
    for e in events.iter_mut() {
        let (place_scheme, actor_scheme) = match e.source() {
            Source::Gdelt => (Scheme::Fips, Scheme::Iso3),
            Source::Icews => (Scheme::Name, Scheme::Name),
        };
        let date = e.date;
        let mut one = |field: &'static str, scheme: Scheme, code: &str| -> Option<String> {
            if code.is_empty() {
                return None;
            }
            if scheme == Scheme::Fips && GDELT_NON_COUNTRY.contains(&code) {
                *un.codes.entry((field, code.to_string())).or_default() += 1;
                return None;
            }
            let r = cache
                .entry((scheme, code.to_string(), date))
                .or_insert_with(|| {
                    cw.lookup_on(scheme, code, date)
                        .or_else(|_| cw.lookup(scheme, code))
                        .ok()
                        .map(|c| c.iso3.clone())
                })
                .clone();
            if r.is_none() {
                *un.codes.entry((field, code.to_string())).or_default() += 1;
            }
            r
        };
        e.iso3 = one("place", place_scheme, &e.place);
        e.actor1_iso3 = one("actor1", actor_scheme, &e.actor1_country);
        e.actor2_iso3 = one("actor2", actor_scheme, &e.actor2_country);
    }
    un
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gdelt_line() -> Vec<String> {
        let mut f = vec![String::new(); 61];
        f[0] = "881990833".into();
        f[1] = "20181024".into();
        f[7] = "FRA".into();
        f[17] = "RUS".into();
        f[26] = "190".into();
        f[27] = "190".into();
        f[28] = "19".into();
        f[29] = "4".into();
        f[30] = "-10.0".into();
        f[31] = "10".into();
        f[32] = "1".into();
        f[33] = "10".into();
        f[34] = "-3.5".into();
        f[53] = "UP".into();
        f[59] = "20191024143000".into();
        f[60] = "https://www.example.org/a/b?c".into();
        f
    }

    fn join(f: &[String]) -> Vec<u8> {
        format!("{}\n", f.join("\t")).into_bytes()
    }

    #[test]
    fn gdelt_row() {
        let e = parse_gdelt_export(&join(&gdelt_line())).unwrap();
        assert_eq!(e.len(), 1);
        let e = &e[0];
        assert_eq!(e.key, EventKey::Gdelt(881990833));
        assert_eq!(e.root, 19);
        assert_eq!(e.quad_class, QuadClass::MaterialConflict);
        assert_eq!(e.goldstein, Some(-10.0));
        assert_eq!(e.outlet, "example.org");
        assert_eq!(e.added.unwrap().compact(), "20191024143000");
    }

    #[test]
    fn gdelt_errors_name_line_column_value() {
        let mut f = gdelt_line();
        f[30] = "ten".into();
        let mut b = join(&gdelt_line());
        b.extend(join(&f));
        let e = parse_gdelt_export(&b).unwrap_err().to_string();
        assert!(
            e.contains("line 2") && e.contains("GoldsteinScale") && e.contains("ten"),
            "{e}"
        );
        let mut f = gdelt_line();
        f[29] = "2".into();
        let e = parse_gdelt_export(&join(&f)).unwrap_err().to_string();
        assert!(e.contains("QuadClass"), "{e}");
        let mut f = gdelt_line();
        f[26] = "210".into();
        f[28] = "21".into();
        let e = parse_gdelt_export(&join(&f)).unwrap_err().to_string();
        assert!(e.contains("EventCode") && e.contains("210"), "{e}");
        let mut f = gdelt_line();
        f.pop();
        let e = parse_gdelt_export(&join(&f)).unwrap_err().to_string();
        assert!(e.contains("line 1") && e.contains("found 60"), "{e}");
        let mut f = gdelt_line();
        f[0] = String::new();
        assert!(parse_gdelt_export(&join(&f)).is_err());
        let mut f = gdelt_line();
        f[1] = "20180230".into();
        let e = parse_gdelt_export(&join(&f)).unwrap_err().to_string();
        assert!(e.contains("no such day"), "{e}");
    }

    #[test]
    fn resolves_fips_and_cameo_codes() {
        let mut e = parse_gdelt_export(&join(&gdelt_line())).unwrap();
        let mut f = gdelt_line();
        f[53] = "OS".into();
        f[7] = "AFR".into();
        e.extend(parse_gdelt_export(&join(&f)).unwrap());
        let un = resolve(&mut e, Crosswalk::global());
        assert_eq!(e[0].iso3.as_deref(), Some("UKR"));
        assert_eq!(e[0].actor1_iso3.as_deref(), Some("FRA"));
        assert_eq!(e[0].actor2_iso3.as_deref(), Some("RUS"));
        assert_eq!(e[1].iso3, None);
        assert_eq!(e[1].actor1_iso3, None);
        assert_eq!(un.total(), 2);
    }

    fn mention_line(id: &str, source: &str, url: &str, tone: &str) -> String {
        // GLOBALEVENTID, EventTimeDate, MentionTimeDate, MentionType, MentionSourceName,
        // MentionIdentifier, SentenceID, Actor1CharOffset, Actor2CharOffset, ActionCharOffset,
        // InRawText, Confidence, MentionDocLen, MentionDocTone, MentionDocTranslationInfo, Extras
        format!(
            "{id}\t20191024143000\t20191024143000\t1\t{source}\t{url}\t1\t-1\t10\t5\t1\t50\t2000\t{tone}\t\t\n"
        )
    }

    #[test]
    fn mentions() {
        let text = mention_line("881990833", "bbc.co.uk", "https://bbc.co.uk/x", "-2.5")
            + &mention_line("881990833", "lemonde.fr", "https://lemonde.fr/y", "1");
        let m = parse_gdelt_mentions(text.as_bytes()).unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].event_id, 881990833);
        assert_eq!(m[1].source_name, "lemonde.fr");
        assert_eq!(m[0].doc_tone, -2.5);
        let bad = mention_line("881990833", "", "u", "1");
        let e = parse_gdelt_mentions(bad.as_bytes())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 1") && e.contains("MentionSourceName"),
            "{e}"
        );
        let bad = text.clone() + &mention_line("x1", "a", "u", "1");
        let e = parse_gdelt_mentions(bad.as_bytes())
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 3") && e.contains("\"x1\""), "{e}");
        // The index counts outlets and articles from the mentions when it has them.
        let mut ev = parse_gdelt_export(&join(&gdelt_line())).unwrap();
        ev[0].iso3 = Some("UKR".into());
        let rows = crate::index::build(&ev, &m, crate::index::Granularity::Day);
        assert_eq!(rows[0].distinct_sources, 2);
        assert_eq!(rows[0].distinct_articles, 2);
        let rows = crate::index::build(&ev, &[], crate::index::Granularity::Day);
        assert_eq!(rows[0].distinct_sources, 1);
    }

    #[test]
    fn icews_header_is_checked() {
        let e = parse_icews(b"Event ID\tEvent Date\n").unwrap_err();
        assert!(matches!(e, ParseError::Header { .. }), "{e}");
        assert!(parse_icews(b"").is_err());
    }
}

//! Countries and the code crosswalk.
//!
//! The canonical key is ISO 3166-1 alpha-3. Every other scheme the sources use maps onto it:
//! Gleditsch-Ward (numeric and letters), Correlates of War (numeric and letters), FIPS 10-4 (GDELT),
//! ISO alpha-2 and numeric, UN M49, the ViEWS `country_id`, and names with their aliases.
//!
//! # Date rules
//!
//! States that split or merged keep one entity per period, with a half-open validity
//! `[valid_from, valid_to)`. A code that changed hands resolves to the entity valid at the date asked:
//!
//! | code (GW / COW) | before | from | rule |
//! |---|---|---|---|
//! | 365 | SUN Soviet Union | 1991-12-26 RUS | Russia continues the USSR's code |
//! | 345 | YUG Yugoslavia | 1992-04-27 SCG Serbia and Montenegro; 2006-06-05 SRB (COW 345; GW 340) | |
//! | 315 | CSK Czechoslovakia | 1993-01-01 CZE (316), SVK (317) | |
//! | 265 | DDR German Democratic Republic | 1990-10-03 gone (absorbed by DEU) | GW 260 / COW 255 are DEU throughout |
//! | 680 | YMD South Yemen | 1990-05-22 gone | GW 678 is YEM throughout (the YAR continues); COW 679 |
//! | 625 / 626 | SDN Sudan | 2011-07-09 SSD South Sudan (626) | 625 stays SDN |
//! | 347 | - | 2008-02-17 XKX Kosovo | |
//! | 341 | - | 2006-06-03 MNE Montenegro | |
//!
//! A lookup without a date returns the entity valid today (or, for a code that no longer exists,
//! the last entity that held it). A lookup for a period (a year, say) returns the entity valid at the
//! end of the period if there is one, else the one whose validity ends last inside it: so GW 265 in
//! 1990 is DDR, GW 626 in 2011 is SSD, GW 365 in 1991 is RUS and GW 345 in 1992 is SCG.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use crate::time::Date;

const COUNTRIES_TSV: &str = include_str!("../data/countries.tsv");
const NEIGHBOURS_TSV: &str = include_str!("../data/neighbours.tsv");

/// A coding scheme for countries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// ISO 3166-1 alpha-3 (the canonical key).
    Iso3,
    /// ISO 3166-1 alpha-2.
    Iso2,
    /// ISO 3166-1 numeric.
    IsoNumeric,
    /// UN M49 (numeric; equals ISO numeric for countries).
    M49,
    /// FIPS 10-4 (used by GDELT).
    Fips,
    /// Gleditsch-Ward, numeric (`365`) or letters (`RUS`).
    Gw,
    /// Correlates of War, numeric (`365`) or letters (`RUS`).
    Cow,
    /// ViEWS `country_id`.
    Views,
    /// V-Dem `country_id`.
    Vdem,
    /// An English name or alias ("Zaire", "Burma", "Ivory Coast").
    Name,
}

impl Scheme {
    pub const ALL: [Scheme; 10] = [
        Scheme::Iso3,
        Scheme::Iso2,
        Scheme::IsoNumeric,
        Scheme::M49,
        Scheme::Fips,
        Scheme::Gw,
        Scheme::Cow,
        Scheme::Views,
        Scheme::Vdem,
        Scheme::Name,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Iso3 => "iso3",
            Scheme::Iso2 => "iso2",
            Scheme::IsoNumeric => "isonum",
            Scheme::M49 => "m49",
            Scheme::Fips => "fips",
            Scheme::Gw => "gw",
            Scheme::Cow => "cow",
            Scheme::Views => "views",
            Scheme::Vdem => "vdem",
            Scheme::Name => "name",
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scheme {
    type Err = String;
    fn from_str(s: &str) -> Result<Scheme, String> {
        Scheme::ALL
            .into_iter()
            .find(|x| x.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                let names: Vec<_> = Scheme::ALL.iter().map(|s| s.as_str()).collect();
                format!(
                    "unknown country code scheme {s:?} (expected one of {})",
                    names.join(", ")
                )
            })
    }
}

/// One country (or historic state) with every code it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    pub iso3: String,
    pub iso2: Option<String>,
    pub iso_numeric: Option<u16>,
    pub m49: Option<u16>,
    pub fips: Option<String>,
    pub gw: Option<u16>,
    pub gw_letters: Option<String>,
    pub cow: Option<u16>,
    pub cow_letters: Option<String>,
    pub views_id: Option<u16>,
    pub vdem_id: Option<u16>,
    pub name: String,
    /// First day of validity (inclusive); `None` = always.
    pub valid_from: Option<Date>,
    /// First day no longer valid (exclusive); `None` = still valid.
    pub valid_to: Option<Date>,
    /// "Yes", or the dependency status ("Part of NL", "Territory of US").
    pub independent: String,
    pub region: String,
    pub subregion: String,
    pub aliases: Vec<String>,
    /// Further codes that name this entity (COW 260, the FRG, for Germany).
    pub alt_codes: Vec<(Scheme, String)>,
    name_regex: Option<String>,
}

impl Country {
    /// Whether the entity exists on `date`.
    pub fn valid_on(&self, date: Date) -> bool {
        self.valid_from.is_none_or(|f| f <= date) && self.valid_to.is_none_or(|t| date < t)
    }

    /// Whether the entity exists at some point of `[from, to]` (inclusive).
    pub fn valid_during(&self, from: Date, to: Date) -> bool {
        self.valid_from.is_none_or(|f| f <= to) && self.valid_to.is_none_or(|t| from < t)
    }

    /// Whether the entity still exists.
    pub fn is_current(&self) -> bool {
        self.valid_to.is_none()
    }

    /// The code of this country in `scheme`, if it has one.
    pub fn code(&self, scheme: Scheme) -> Option<String> {
        match scheme {
            Scheme::Iso3 => Some(self.iso3.clone()),
            Scheme::Iso2 => self.iso2.clone(),
            Scheme::IsoNumeric => self.iso_numeric.map(|n| n.to_string()),
            Scheme::M49 => self.m49.map(|n| n.to_string()),
            Scheme::Fips => self.fips.clone(),
            Scheme::Gw => self.gw.map(|n| n.to_string()),
            Scheme::Cow => self.cow.map(|n| n.to_string()),
            Scheme::Views => self.views_id.map(|n| n.to_string()),
            Scheme::Vdem => self.vdem_id.map(|n| n.to_string()),
            Scheme::Name => Some(self.name.clone()),
        }
    }

    /// Whether `code` is this country's code in `scheme`: the definition the index
    /// (`Crosswalk::by_code`) implements, kept as the tests' reference.
    #[cfg(test)]
    fn matches_code(&self, scheme: Scheme, code: &str) -> bool {
        let num = || code.parse::<u16>().ok();
        if self
            .alt_codes
            .iter()
            .any(|(s, c)| *s == scheme && c.eq_ignore_ascii_case(code))
        {
            return true;
        }
        match scheme {
            Scheme::Iso3 => self.iso3.eq_ignore_ascii_case(code),
            Scheme::Iso2 => self
                .iso2
                .as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case(code)),
            Scheme::IsoNumeric => self.iso_numeric.is_some() && self.iso_numeric == num(),
            Scheme::M49 => self.m49.is_some() && self.m49 == num(),
            Scheme::Fips => self
                .fips
                .as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case(code)),
            Scheme::Gw => match num() {
                Some(n) => self.gw == Some(n),
                None => self
                    .gw_letters
                    .as_deref()
                    .is_some_and(|c| c.eq_ignore_ascii_case(code)),
            },
            Scheme::Cow => match num() {
                Some(n) => self.cow == Some(n),
                None => self
                    .cow_letters
                    .as_deref()
                    .is_some_and(|c| c.eq_ignore_ascii_case(code)),
            },
            Scheme::Views => self.views_id.is_some() && self.views_id == num(),
            Scheme::Vdem => self.vdem_id.is_some() && self.vdem_id == num(),
            Scheme::Name => {
                let q = normalize_name(code);
                normalize_name(&self.name) == q
                    || self.aliases.iter().any(|a| normalize_name(a) == q)
            }
        }
    }
}

/// Why a code did not resolve.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    #[error("unknown {scheme} country code {code:?}")]
    Unknown { scheme: Scheme, code: String },
    #[error("{scheme} country code {code:?} ({names}) is not valid {when}")]
    NotValid {
        scheme: Scheme,
        code: String,
        names: String,
        when: String,
    },
    #[error("{scheme} code {code:?} is ambiguous: {names}")]
    Ambiguous {
        scheme: Scheme,
        code: String,
        names: String,
    },
    /// A user's query ([`Crosswalk::find`]) matched no code and no name; `suggestions` holds
    /// the closest names as (name, ISO3), best first.
    #[error("no country or code matches {query:?}{}", did_you_mean(.suggestions))]
    NoMatch {
        query: String,
        suggestions: Vec<(String, String)>,
    },
}

/// "; did you mean Sudan (SDN), South Sudan (SSD)?", or nothing without suggestions.
fn did_you_mean(suggestions: &[(String, String)]) -> String {
    if suggestions.is_empty() {
        return String::new();
    }
    let list: Vec<String> = suggestions
        .iter()
        .map(|(name, iso3)| format!("{name} ({iso3})"))
        .collect();
    format!("; did you mean {}?", list.join(", "))
}

/// Words too common in country names to suggest a country by ("Republic of ...").
const GENERIC_WORDS: [&str; 14] = [
    "republic",
    "democratic",
    "people",
    "peoples",
    "kingdom",
    "federation",
    "federal",
    "islands",
    "island",
    "state",
    "states",
    "united",
    "union",
    "saint",
];

/// The crosswalk: every country and historic state, and land borders between them.
pub struct Crosswalk {
    countries: Vec<Country>,
    by_iso3: HashMap<String, usize>,
    /// Normalised name or alias -> countries with it.
    by_name: HashMap<String, Vec<usize>>,
    /// (scheme, code key) -> countries with that code, ascending: [`code_keys`] builds the keys
    /// of each country, [`query_keys`] those of a query, so a lookup is a hash probe, not a scan
    /// of every country (issue 20: the scan was a third of a sync's time).
    by_code: HashMap<(Scheme, String), Vec<usize>>,
    neighbours: HashMap<String, Vec<String>>,
    /// The countries' name regexes, compiled at the first name a table lookup does not know
    /// (about 60 ms for all of them; a run that only resolves codes never pays it).
    regexes: std::sync::OnceLock<Vec<(usize, fancy_regex::Regex)>>,
    /// Memo of the regex fallback per normalised query (sources repeat names row after row).
    regex_memo: std::sync::Mutex<HashMap<String, Vec<usize>>>,
}

/// The index keys of a country's codes: text codes in ASCII upper case, numbers in their
/// canonical decimal form, alternative codes as written (upper case).
fn code_keys(c: &Country) -> Vec<(Scheme, String)> {
    let up = |s: &str| s.to_ascii_uppercase();
    let mut keys: Vec<(Scheme, String)> = c
        .alt_codes
        .iter()
        .map(|(s, a)| (*s, format!("={}", up(a))))
        .collect();
    keys.push((Scheme::Iso3, up(&c.iso3)));
    let text = [
        (Scheme::Iso2, &c.iso2),
        (Scheme::Fips, &c.fips),
        (Scheme::Gw, &c.gw_letters),
        (Scheme::Cow, &c.cow_letters),
    ];
    for (s, v) in text {
        if let Some(v) = v {
            keys.push((s, up(v)));
        }
    }
    let num = [
        (Scheme::IsoNumeric, c.iso_numeric),
        (Scheme::M49, c.m49),
        (Scheme::Gw, c.gw),
        (Scheme::Cow, c.cow),
        (Scheme::Views, c.views_id),
        (Scheme::Vdem, c.vdem_id),
    ];
    for (s, v) in num {
        if let Some(n) = v {
            keys.push((s, format!("#{n}")));
        }
    }
    keys
}

/// The keys a query code may match under `scheme` (see [`code_keys`]): numeric schemes match a
/// code that parses as a number by value (`076` = 76), and letters otherwise.
fn query_keys(scheme: Scheme, code: &str) -> Vec<String> {
    let up = code.to_ascii_uppercase();
    let mut keys = vec![format!("={up}")];
    let num = code.parse::<u16>().ok();
    match scheme {
        Scheme::Iso3 | Scheme::Iso2 | Scheme::Fips => keys.push(up),
        Scheme::IsoNumeric | Scheme::M49 | Scheme::Views | Scheme::Vdem => {
            keys.extend(num.map(|n| format!("#{n}")))
        }
        Scheme::Gw | Scheme::Cow => match num {
            Some(n) => keys.push(format!("#{n}")),
            None => keys.push(up),
        },
        Scheme::Name => {}
    }
    keys
}

/// Folds case, accents and punctuation so "Côte d'Ivoire" = "cote divoire" = "COTE D'IVOIRE".
pub fn normalize_name(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => {
                'a'
            }
            'ç' | 'Ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
            'ñ' | 'Ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => {
                'o'
            }
            'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
            'ý' | 'ÿ' | 'Ý' => 'y',
            c => c,
        };
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if c == '&' {
            out.push_str(" and ");
        } else if (c.is_whitespace() || c == '-' || c == ',' || c == '.' || c == '(' || c == ')')
            && !out.ends_with(' ')
        {
            out.push(' ');
        }
    }
    let t = out.trim();
    t.strip_prefix("the ").unwrap_or(t).to_string()
}

fn parse_table(tsv: &str) -> Vec<Country> {
    let mut lines = tsv.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<&str> = lines
        .next()
        .expect("countries.tsv has a header")
        .split('\t')
        .collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("countries.tsv lacks {name}"))
    };
    let idx: Vec<usize> = [
        "iso3",
        "iso2",
        "isonum",
        "m49",
        "fips",
        "gwn",
        "gwc",
        "cown",
        "cowc",
        "views",
        "vdem",
        "name",
        "valid_from",
        "valid_to",
        "independent",
        "region",
        "subregion",
        "regex",
        "aliases",
        "alt_codes",
    ]
    .iter()
    .map(|n| col(n))
    .collect();
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let num = |s: &str| {
        (!s.is_empty()).then(|| {
            s.parse::<u16>()
                .unwrap_or_else(|_| panic!("countries.tsv: bad number {s:?}"))
        })
    };
    let date = |s: &str| {
        (!s.is_empty()).then(|| {
            s.parse::<Date>()
                .unwrap_or_else(|e| panic!("countries.tsv: {e}"))
        })
    };
    lines
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            let g = |i: usize| f.get(idx[i]).copied().unwrap_or("");
            Country {
                iso3: g(0).to_string(),
                iso2: opt(g(1)),
                iso_numeric: num(g(2)),
                m49: num(g(3)),
                fips: opt(g(4)),
                gw: num(g(5)),
                gw_letters: opt(g(6)),
                cow: num(g(7)),
                cow_letters: opt(g(8)),
                views_id: num(g(9)),
                vdem_id: num(g(10)),
                name: g(11).to_string(),
                valid_from: date(g(12)),
                valid_to: date(g(13)),
                independent: g(14).to_string(),
                region: g(15).to_string(),
                subregion: g(16).to_string(),
                name_regex: opt(g(17)),
                aliases: g(18)
                    .split('|')
                    .filter(|a| !a.is_empty())
                    .map(str::to_string)
                    .collect(),
                alt_codes: g(19)
                    .split('|')
                    .filter_map(|a| a.split_once(':'))
                    .map(|(s, c)| {
                        (
                            s.parse::<Scheme>()
                                .unwrap_or_else(|e| panic!("countries.tsv: {e}")),
                            c.to_string(),
                        )
                    })
                    .collect(),
            }
        })
        .collect()
}

impl Crosswalk {
    /// The embedded crosswalk, parsed once.
    pub fn global() -> &'static Crosswalk {
        static CW: OnceLock<Crosswalk> = OnceLock::new();
        CW.get_or_init(|| Crosswalk::from_tables(COUNTRIES_TSV, NEIGHBOURS_TSV))
    }

    /// Builds a crosswalk from the two TSV tables (see `data/`).
    pub fn from_tables(countries_tsv: &str, neighbours_tsv: &str) -> Crosswalk {
        let countries = parse_table(countries_tsv);
        let by_iso3 = countries
            .iter()
            .enumerate()
            .map(|(i, c)| (c.iso3.clone(), i))
            .collect();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, c) in countries.iter().enumerate() {
            for n in std::iter::once(&c.name).chain(&c.aliases) {
                let v = by_name.entry(normalize_name(n)).or_default();
                if !v.contains(&i) {
                    v.push(i);
                }
            }
        }
        let mut by_code: HashMap<(Scheme, String), Vec<usize>> = HashMap::new();
        for (i, c) in countries.iter().enumerate() {
            for key in code_keys(c) {
                let v = by_code.entry(key).or_default();
                if v.last() != Some(&i) {
                    v.push(i);
                }
            }
        }
        let mut neighbours: HashMap<String, Vec<String>> = HashMap::new();
        for line in neighbours_tsv
            .lines()
            .filter(|l| !l.starts_with('#'))
            .skip(1)
        {
            if let Some((a, b)) = line.split_once('\t') {
                neighbours
                    .entry(a.to_string())
                    .or_default()
                    .push(b.to_string());
            }
        }
        let regexes = std::sync::OnceLock::new();
        Crosswalk {
            countries,
            by_iso3,
            by_name,
            by_code,
            neighbours,
            regexes,
            regex_memo: Default::default(),
        }
    }

    pub fn countries(&self) -> &[Country] {
        &self.countries
    }

    /// The country with this ISO alpha-3 key (historic keys such as SUN or YUG included).
    pub fn get(&self, iso3: &str) -> Option<&Country> {
        self.by_iso3
            .get(&iso3.to_ascii_uppercase())
            .map(|&i| &self.countries[i])
    }

    /// The country's name, or `iso3` itself when the crosswalk has no such key (for labels).
    pub fn name_or_code(&self, iso3: &str) -> String {
        self.get(iso3)
            .map_or_else(|| iso3.to_string(), |c| c.name.clone())
    }

    /// Land neighbours (ISO alpha-3), sorted.
    pub fn neighbours(&self, iso3: &str) -> &[String] {
        self.neighbours.get(iso3).map(Vec::as_slice).unwrap_or(&[])
    }

    fn candidates(&self, scheme: Scheme, code: &str) -> Vec<&Country> {
        let code = code.trim();
        if code.is_empty() {
            return vec![];
        }
        if scheme != Scheme::Name {
            return self.by_code_keys(scheme, code);
        }
        let q = normalize_name(code);
        let alt = self.by_code_keys(scheme, code);
        if let Some(ix) = self.by_name.get(&q) {
            let mut out: Vec<&Country> = ix.iter().map(|&i| &self.countries[i]).collect();
            for c in alt {
                if !out.iter().any(|o| o.iso3 == c.iso3) {
                    out.push(c);
                }
            }
            return out;
        }
        if !alt.is_empty() {
            return alt;
        }
        // Names: fall back to the publishers' regular expressions (countrycode's English regexes).
        let mut memo = self.regex_memo.lock().unwrap_or_else(|p| p.into_inner());
        let ix = memo.entry(q).or_insert_with_key(|q| {
            self.regexes()
                .iter()
                .filter(|(_, re)| re.is_match(q).unwrap_or(false))
                .map(|&(i, _)| i)
                .collect()
        });
        ix.iter().map(|&i| &self.countries[i]).collect()
    }

    /// The compiled name regexes, `(country index, regex)` (compiled once, on first use).
    fn regexes(&self) -> &[(usize, fancy_regex::Regex)] {
        self.regexes.get_or_init(|| {
            self.countries
                .iter()
                .enumerate()
                .filter_map(|(i, c)| {
                    let re = c.name_regex.as_deref()?;
                    fancy_regex::Regex::new(&format!("(?i){re}"))
                        .ok()
                        .map(|r| (i, r))
                })
                .collect()
        })
    }

    /// The countries whose code in `scheme` is `code` (as [`Country::matches_code`] decides),
    /// in table order, from the index.
    fn by_code_keys(&self, scheme: Scheme, code: &str) -> Vec<&Country> {
        let mut ix: Vec<usize> = query_keys(scheme, code)
            .into_iter()
            .filter_map(|k| self.by_code.get(&(scheme, k)))
            .flatten()
            .copied()
            .collect();
        ix.sort_unstable();
        ix.dedup();
        ix.into_iter().map(|i| &self.countries[i]).collect()
    }

    fn names(cands: &[&Country]) -> String {
        cands
            .iter()
            .map(|c| format!("{} {}", c.iso3, c.name))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Resolves a code as of today: the current entity, else the one that held the code last.
    pub fn lookup(&self, scheme: Scheme, code: &str) -> Result<&Country, LookupError> {
        let cands = self.candidates(scheme, code);
        let current: Vec<&Country> = cands.iter().copied().filter(|c| c.is_current()).collect();
        let pick = if current.is_empty() {
            cands.iter().copied().max_by_key(|c| c.valid_to)
        } else {
            self.prefer(&current)
        };
        match pick {
            Some(c)
                if current.len() <= 1
                    || scheme != Scheme::Name
                    || self.is_unique_enough(&current) =>
            {
                Ok(c)
            }
            Some(_) => Err(LookupError::Ambiguous {
                scheme,
                code: code.to_string(),
                names: Self::names(&current),
            }),
            None => Err(LookupError::Unknown {
                scheme,
                code: code.to_string(),
            }),
        }
    }

    fn is_unique_enough(&self, cands: &[&Country]) -> bool {
        cands.iter().filter(|c| c.independent == "Yes").count() <= 1
    }

    /// Among several current matches (a code shared by a state and its dependencies), the state.
    fn prefer<'a>(&self, cands: &[&'a Country]) -> Option<&'a Country> {
        cands
            .iter()
            .copied()
            .find(|c| c.independent == "Yes")
            .or_else(|| cands.first().copied())
    }

    /// Resolves a code on a given date.
    pub fn lookup_on(
        &self,
        scheme: Scheme,
        code: &str,
        date: Date,
    ) -> Result<&Country, LookupError> {
        let cands = self.candidates(scheme, code);
        if cands.is_empty() {
            return Err(LookupError::Unknown {
                scheme,
                code: code.to_string(),
            });
        }
        let valid: Vec<&Country> = cands.iter().copied().filter(|c| c.valid_on(date)).collect();
        self.prefer(&valid).ok_or_else(|| LookupError::NotValid {
            scheme,
            code: code.to_string(),
            names: Self::names(&cands),
            when: format!("on {date}"),
        })
    }

    /// Resolves a code for a period `[from, to]` (see the module docs for the rule).
    pub fn lookup_during(
        &self,
        scheme: Scheme,
        code: &str,
        from: Date,
        to: Date,
    ) -> Result<&Country, LookupError> {
        let cands = self.candidates(scheme, code);
        if cands.is_empty() {
            return Err(LookupError::Unknown {
                scheme,
                code: code.to_string(),
            });
        }
        let at_end: Vec<&Country> = cands.iter().copied().filter(|c| c.valid_on(to)).collect();
        if let Some(c) = self.prefer(&at_end) {
            return Ok(c);
        }
        cands
            .iter()
            .copied()
            .filter(|c| c.valid_during(from, to))
            .max_by_key(|c| c.valid_to)
            .ok_or_else(|| LookupError::NotValid {
                scheme,
                code: code.to_string(),
                names: Self::names(&cands),
                when: format!("between {from} and {to}"),
            })
    }

    /// Like [`Crosswalk::lookup_during`], but a code used outside its state's validity (UCDP codes
    /// colonial wars with the state that later became independent: GW 680 in 1964) resolves to the
    /// entity nearest in time. The flag says whether that fallback was needed.
    pub fn lookup_nearest(
        &self,
        scheme: Scheme,
        code: &str,
        from: Date,
        to: Date,
    ) -> Result<(&Country, bool), LookupError> {
        match self.lookup_during(scheme, code, from, to) {
            Ok(c) => Ok((c, false)),
            Err(LookupError::NotValid { .. }) => {
                let day = |d: Date| d.year as i64 * 372 + d.month as i64 * 31 + d.day as i64;
                let distance = |c: &Country| {
                    let before = c.valid_from.map_or(0, |f| (day(f) - day(to)).max(0));
                    let after = c.valid_to.map_or(0, |t| (day(from) - day(t)).max(0));
                    before + after
                };
                let best = self
                    .candidates(scheme, code)
                    .into_iter()
                    .min_by_key(|c| distance(c))
                    .expect("NotValid has candidates");
                Ok((best, true))
            }
            Err(e) => Err(e),
        }
    }

    /// Resolves a code for a calendar year.
    pub fn lookup_year(
        &self,
        scheme: Scheme,
        code: &str,
        year: i32,
    ) -> Result<&Country, LookupError> {
        self.lookup_during(
            scheme,
            code,
            Date::start_of_year(year),
            Date::end_of_year(year),
        )
    }

    /// The countries whose name, alias or (for a three-letter query) ISO3 code is closest to
    /// `query`, best first, at most `max`: within [`crate::suggest::tolerance`] edits of the
    /// whole name, of one of its words ("sudn" -> South Sudan), or starting with the query.
    /// Current states rank before historic ones at the same distance.
    pub fn suggest(&self, query: &str, max: usize) -> Vec<&Country> {
        use crate::suggest::{edit_distance, tolerance};
        let q = normalize_name(query);
        let n = q.chars().count();
        if n < 2 {
            return vec![];
        }
        let tol = tolerance(n);
        let code_like = n == 3 && q.chars().all(|c| c.is_ascii_alphabetic());
        // (distance, matched a word or prefix rather than the whole, historic, name) per country.
        let mut best: HashMap<&str, (usize, bool, bool, &Country)> = HashMap::new();
        for c in &self.countries {
            let mut score: Option<(usize, bool)> = None;
            let mut consider = |d: usize, partial: bool| {
                if d <= tol && score.is_none_or(|s| (d, partial) < s) {
                    score = Some((d, partial));
                }
            };
            for name in std::iter::once(&c.name).chain(&c.aliases) {
                let full = normalize_name(name);
                consider(edit_distance(&q, &full), false);
                if n >= 4 && full.starts_with(&q) {
                    consider(0, true);
                }
                for w in full.split(' ') {
                    if w.chars().count() >= 4 && !GENERIC_WORDS.contains(&w) {
                        consider(edit_distance(&q, w), true);
                    }
                }
            }
            if code_like {
                consider(edit_distance(&q, &c.iso3.to_ascii_lowercase()), false);
            }
            if let Some((d, partial)) = score {
                let key = (d, partial, !c.is_current(), c);
                best.entry(c.iso3.as_str())
                    .and_modify(|e| {
                        if (key.0, key.1, key.2) < (e.0, e.1, e.2) {
                            *e = key;
                        }
                    })
                    .or_insert(key);
            }
        }
        let mut out: Vec<(usize, bool, bool, &Country)> = best.into_values().collect();
        out.sort_by(|a, b| (a.0, a.1, a.2, &a.3.name).cmp(&(b.0, b.1, b.2, &b.3.name)));
        out.into_iter().take(max).map(|x| x.3).collect()
    }

    /// Finds a country from a user's query, trying ISO alpha-3, ISO alpha-2, then names. The
    /// one resolver of every command and route that takes a country: a query that matches
    /// nothing fails with [`LookupError::NoMatch`] and the closest names ([`Self::suggest`]).
    pub fn find(&self, query: &str) -> Result<&Country, LookupError> {
        let q = query.trim();
        let is_letters = q.chars().all(|c| c.is_ascii_alphabetic());
        if is_letters
            && q.len() == 3
            && let Ok(c) = self.lookup(Scheme::Iso3, q)
        {
            return Ok(c);
        }
        if is_letters
            && q.len() == 2
            && let Ok(c) = self.lookup(Scheme::Iso2, q)
        {
            return Ok(c);
        }
        if !q.is_empty() && q.chars().all(|c| c.is_ascii_digit()) {
            return self.lookup(Scheme::M49, q);
        }
        match self.lookup(Scheme::Name, q) {
            Err(LookupError::Unknown { .. }) => Err(LookupError::NoMatch {
                query: q.to_string(),
                suggestions: self
                    .suggest(q, 5)
                    .into_iter()
                    .map(|c| (c.name.clone(), c.iso3.clone()))
                    .collect(),
            }),
            r => r,
        }
    }
}

/// Splits a multi-valued code field such as UCDP's `gwno_loc = "365, 369"` into its codes.
pub fn split_codes(field: &str) -> impl Iterator<Item = &str> {
    field
        .split([',', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index gives exactly what a scan with `matches_code` gives, for every code of every
    /// country in every scheme, in upper and lower case and with leading zeros.
    #[test]
    fn the_code_index_equals_the_scan() {
        let cw = Crosswalk::global();
        let mut queries: Vec<String> = vec!["".into(), "0".into(), "XXX".into(), "999".into()];
        for c in cw.countries() {
            for s in Scheme::ALL {
                if let Some(code) = c.code(s) {
                    queries.push(code.to_ascii_lowercase());
                    queries.push(format!("00{code}"));
                    queries.push(code);
                }
            }
            for (_, a) in &c.alt_codes {
                queries.push(a.to_ascii_lowercase());
            }
        }
        let mut checked = 0;
        for s in Scheme::ALL.into_iter().filter(|s| *s != Scheme::Name) {
            for q in &queries {
                let scan: Vec<&str> = cw
                    .countries()
                    .iter()
                    .filter(|c| !q.is_empty() && c.matches_code(s, q))
                    .map(|c| c.iso3.as_str())
                    .collect();
                let index: Vec<&str> = cw
                    .candidates(s, q)
                    .into_iter()
                    .map(|c| c.iso3.as_str())
                    .collect();
                assert_eq!(index, scan, "{s:?} {q:?}");
                checked += 1;
            }
        }
        assert!(checked > 10_000, "{checked}");
    }

    fn cw() -> &'static Crosswalk {
        Crosswalk::global()
    }

    /// One helper for every lookup case: `input` is "scheme:code[@date]", `expect` the ISO3 or an
    /// error prefix.
    fn check(input: &str, expect: &str) {
        let (scheme, rest) = input.split_once(':').unwrap();
        let scheme: Scheme = scheme.parse().unwrap();
        let got = match rest.split_once('@') {
            Some((code, when)) if when.len() == 4 => {
                cw().lookup_year(scheme, code, when.parse().unwrap())
            }
            Some((code, when)) => cw().lookup_on(scheme, code, when.parse().unwrap()),
            None => cw().lookup(scheme, rest),
        };
        let got = match got {
            Ok(c) => c.iso3.clone(),
            Err(e) => format!("error: {e}"),
        };
        assert!(
            got.starts_with(expect),
            "{input}: expected {expect}, got {got}"
        );
    }

    #[test]
    fn codes_in_every_scheme() {
        check("fips:UP", "UKR");
        check("gw:365", "RUS");
        check("name:Zaire", "COD");
        check("name:Burma", "MMR");
        check("name:Ivory Coast", "CIV");
        check("name:Côte d'Ivoire", "CIV");
        check("name:United States", "USA");
        check("iso2:ua", "UKR");
        check("m49:804", "UKR");
        check("isonum:4", "AFG");
        check("cow:RUS", "RUS");
        check("cow:2", "USA");
        check("gw:DRC", "COD");
        check("views:65", "RUS");
        check("views:167", "COD");
        check("fips:GM", "DEU");
        check("fips:RS", "RUS");
        check("name:Atlantis", "error: unknown name country code");
        check("gw:99999", "error: unknown gw");
    }

    #[test]
    fn date_aware_codes() {
        check("gw:365@1985-06-01", "SUN");
        check("gw:365@1991", "RUS");
        check("gw:365@1990", "SUN");
        check("gw:345@1991", "YUG");
        check("gw:345@1992", "SCG");
        check("gw:345@2005", "SCG");
        check("gw:345", "SRB");
        check("gw:345@2015", "SRB");
        check("gw:340@2010", "SRB");
        check("cow:345@2010", "SRB");
        check("gw:626@2011", "SSD");
        check("gw:626@2005", "error: gw country code \"626\"");
        check("gw:625@2005", "SDN");
        check("gw:265@1990", "DDR");
        check("gw:265@1991", "error");
        check("gw:260@1985", "DEU");
        check("gw:680@1989", "YMD");
        check("gw:678@1989", "YEM");
        check("gw:678@1995", "YEM");
        check("gw:315@1992", "CSK");
        check("gw:316@1993", "CZE");
        check("gw:347@2010", "XKX");
        check("cow:260@1970", "DEU");
        check("cow:255@1995", "DEU");
        check("cow:678@1980", "YEM");
        check("gw:751@1948", "GW751");
        let (c, fallback) = cw()
            .lookup_nearest(
                Scheme::Gw,
                "680",
                Date::start_of_year(1964),
                Date::end_of_year(1964),
            )
            .unwrap();
        assert_eq!((c.iso3.as_str(), fallback), ("YMD", true));
        check("gw:711@1920", "GW711");
    }

    /// One helper for the user-facing resolver: `input` is the query, `expect` the ISO3 or the
    /// error text (whole).
    fn check_find(input: &str, expect: &str) {
        let got = match cw().find(input) {
            Ok(c) => c.iso3.clone(),
            Err(e) => e.to_string(),
        };
        assert_eq!(got, expect, "{input:?}");
    }

    #[test]
    fn find_resolves_or_suggests() {
        check_find("India", "IND");
        check_find("ind", "IND");
        check_find("in", "IND");
        check_find("356", "IND");
        check_find("Ivory Coast", "CIV");
        check_find("Burkina Faso", "BFA");
        check_find(
            "Sudn",
            "no country or code matches \"Sudn\"; did you mean Sudan (SDN), South Sudan (SSD)?",
        );
        check_find(
            "Inda",
            "no country or code matches \"Inda\"; did you mean India (IND)?",
        );
        check_find(
            "Sduan",
            "no country or code matches \"Sduan\"; did you mean Sudan (SDN), South Sudan (SSD)?",
        );
        check_find(
            "Burkin",
            "no country or code matches \"Burkin\"; did you mean Burkina Faso (BFA)?",
        );
        check_find(
            "Argentna",
            "no country or code matches \"Argentna\"; did you mean Argentina (ARG)?",
        );
        check_find("Qqqqqqq", "no country or code matches \"Qqqqqqq\"");
    }

    #[test]
    fn suggestions_of_a_code_are_codes_one_edit_away() {
        let s: Vec<&str> = cw()
            .suggest("UKX", 5)
            .iter()
            .map(|c| c.iso3.as_str())
            .collect();
        assert!(s.contains(&"UKR"), "{s:?}");
        assert!(s.len() <= 5);
    }

    #[test]
    fn views_ids_cover_the_challenge() {
        let n = cw()
            .countries()
            .iter()
            .filter(|c| c.views_id.is_some())
            .count();
        assert_eq!(n, 191);
    }

    #[test]
    fn neighbours_are_symmetric_land_borders() {
        let n = cw().neighbours("UKR");
        for x in ["RUS", "POL", "BLR", "MDA", "ROU", "HUN", "SVK"] {
            assert!(n.iter().any(|y| y == x), "UKR-{x}");
        }
        for c in cw().countries() {
            for n in cw().neighbours(&c.iso3) {
                assert!(cw().neighbours(n).contains(&c.iso3), "{} - {n}", c.iso3);
            }
        }
        assert!(cw().neighbours("ISL").is_empty());
    }

    #[test]
    fn multi_valued_fields() {
        let v: Vec<_> = split_codes("365, 369").collect();
        assert_eq!(v, ["365", "369"]);
        assert_eq!(split_codes("").count(), 0);
    }

    proptest::proptest! {
        #[test]
        fn lookups_never_panic(code in ".{0,8}") {
            for s in Scheme::ALL {
                let _ = cw().lookup(s, &code);
            }
            let _ = cw().find(&code);
        }

        #[test]
        fn every_code_round_trips(i in 0usize..256) {
            let cs = cw().countries();
            let c = &cs[i % cs.len()];
            if c.is_current() {
                for s in [Scheme::Iso3, Scheme::Iso2, Scheme::Views] {
                    if let Some(code) = c.code(s) {
                        proptest::prop_assert_eq!(&cw().lookup(s, &code).unwrap().iso3, &c.iso3);
                    }
                }
            }
        }
    }
}

//! The United Nations General Debate Corpus (UNGDC) 1946-2024, V13 (Jankin, Baturo & Dasandi,
//! Harvard Dataverse, doi:10.7910/DVN/0TJX8Y, CC0): every statement a state (and the European
//! Union) made in the General Assembly's General Debate, one text per country and session.
//!
//! - `ungdc/UNGDC_1946-2024_TXT.tar.xz`: the corpus's 10,952 text files in one xz-compressed tar
//!   archive, members `TXT/Session NN - YYYY/CODE_NN_YYYY.txt` (the mirror's repackaging of the
//!   corpus's `TXT` folders, each member byte-identical to the published file). Table
//!   `ungdc_speeches`: `code` (the corpus's code as in the file name), `iso3` (resolved),
//!   `session`, `year`, `words` (whitespace-separated words, as the mirror's
//!   `ungdc_index.csv` counts them) and `text` (the file's text exactly as published, carriage
//!   returns included where the file has them). Parsing is strict: a member whose name does not
//!   match the pattern ([`parse_member`]), whose session or year disagree with its folder or
//!   with each other (session `s` is held in year `1945 + s`), a second file of one country and
//!   session, text that is not UTF-8, a member over [`MAX_SPEECH_BYTES`] or an archive that
//!   unpacks to more than [`MAX_UNPACKED_BYTES`] fails, naming the member and the value.
//! - Table `ungdc_tone`, counted from each speech at sync by `attache_text` (no IO there; the
//!   method and its check are documented in that crate): `code`, `iso3`, `session`, `year` as
//!   above; `words` and `sentences` as `attache_text` counts them (letter runs; a sentence ends
//!   at `.`, `!` or `?` before white space and at a blank line); `positive` and `negative`, the
//!   words on the stated tone lists; `tone` = ln((positive + 0.5) / (negative + 0.5)) (Lowe et
//!   al. 2011); and one column per topic of `attache_text::TOPICS` (`topic_disarmament`,
//!   `topic_climate`, `topic_human_rights`, `topic_development`, `topic_palestine`,
//!   `topic_conflict`), the share of the speech's sentences holding one of its keywords (null
//!   for a speech without sentences). Public with the speeches (the lag below).
//! - `ungdc/Speakers_by_session.csv` (the mirror's CSV conversion of the corpus's
//!   `Speakers_by_session.xlsx`, sheet 1): table `ungdc_speakers`, every published column
//!   (`year`, `session`, `iso_code`, `country`, `name_of_person_speaking`, `post`, `note`) as
//!   published, plus `iso3`. A year that is not `1945 + session` fails, naming the line.
//!
//! Country codes: the corpus writes a state's present ISO alpha-3 code for its predecessor too
//! (`RUS` for the Soviet Union until 1991, `YEM` for North Yemen). A code is resolved for the
//! session's year through the crosswalk: when the state it names did not exist that year, the
//! state that held the code's Correlates of War number then is taken (`RUS` in 1960 is COW 365,
//! the Soviet Union, `SUN`), counted under `adjusted`. `EU` names the European Union, no state
//! ([`NON_STATES`]): null `iso3`, counted. The speakers sheet has codes with trailing spaces
//! (trimmed, counted) and a few misprints, each checked against the sheet's `Country` cell and
//! listed in [`SPEAKER_MISPRINTS`]; its one row without a code is the League of Arab States
//! (1987), an organisation ([`SPEAKER_ORGANISATIONS`]). Any other unknown code fails.
//!
//! Where from: the publisher serves the corpus from Harvard Dataverse as per-file downloads; no
//! single URL serves this tar.xz (it is the mirror's repackaging of the `TXT` folders of the
//! GitHub copy named in the [`FileSpec`]). A web sync fetches that folder's HTML page, which the
//! adapter refuses (`not an xz stream but an HTML page`): the corpus is read from a mirror.
//!
//! Publication lag: the General Debate opens each September; the corpus adds a session about
//! once a year (V13, with 2024, in 2025): a year's speeches are taken as public six months
//! after it ends.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;

use attache_core::{Date, Scheme};
use attache_text::{Profile, TOPICS};

use super::cw;
use crate::delimited::{Delimited, Layout, RowOutcome, to_table};
use crate::error::{Result, SourceError};
use crate::table::{ColType, DEFAULT_NULLS, FileStats, TableBuilder, Value};
use crate::{FileSpec, Input, Lag, Loaded, Source, SourceMeta, input};

/// The General Debate Corpus.
pub struct Ungdc(SourceMeta);

/// The archive of speeches (mirror path).
pub const ARCHIVE: &str = "ungdc/UNGDC_1946-2024_TXT.tar.xz";
/// The speakers sheet (mirror path).
pub const SPEAKERS: &str = "ungdc/Speakers_by_session.csv";

/// Largest speech file accepted: the longest published one is 127,396 bytes (Cuba, 1960).
pub const MAX_SPEECH_BYTES: u64 = 4 << 20;
/// Most bytes the archive may unpack to: the corpus is 199,008,904 bytes of tar.
pub const MAX_UNPACKED_BYTES: u64 = 1 << 30;

/// Codes of the corpus that name no state: (code, what it is).
pub const NON_STATES: &[(&str, &str)] = &[("EU", "the European Union, an organisation")];

/// Misprinted codes of the speakers sheet: (as printed, the code meant, the sheet's country
/// cell that shows it).
pub const SPEAKER_MISPRINTS: &[(&str, &str, &str)] = &[
    ("CZK", "CSK", "Czechoslovakia"),
    ("DKN", "DNK", "Denmark"),
    ("PAR", "PRY", "Paraguay"),
    ("PKR", "PRK", "Democratic People’s Republic of Korea"),
    ("POR", "PRT", "Portugal"),
    ("YDYE", "YMD", "Democratic Yemen"),
    ("ZFA", "ZAF", "South Africa"),
];

/// Speakers-sheet rows that name an organisation: (code as printed, the sheet's country cell
/// trimmed, what it is). Their `iso3` is null.
pub const SPEAKER_ORGANISATIONS: &[(&str, &str, &str)] = &[
    (
        "EC",
        "European Council",
        "the European Union's European Council",
    ),
    (
        "",
        "Leage of Arab States",
        "the League of Arab States (sic)",
    ),
];

impl Ungdc {
    pub fn new() -> Ungdc {
        Ungdc(SourceMeta {
            id: attache_core::SourceId::UNGDC,
            title: "United Nations General Debate Corpus 1946-2024 (V13): speeches and speakers",
            publisher: "Slava Jankin, Alexander Baturo & Niheer Dasandi, Harvard Dataverse",
            licence: "CC0 1.0 (Harvard Dataverse)",
            citation: "Jankin, Slava; Baturo, Alexander; Dasandi, Niheer (2017-2025) United Nations General Debate Corpus 1946-2024, V13. Harvard Dataverse, doi:10.7910/DVN/0TJX8Y. Baturo, A., Dasandi, N. & Mikhaylov, S. (2017) Understanding state preferences with text as data: Introducing the UN General Debate corpus. Research & Politics 4(2).",
            homepage: "https://doi.org/10.7910/DVN/0TJX8Y",
            lag: Lag::AfterYear { months: 6 },
            files: vec![
                FileSpec::new(
                    ARCHIVE,
                    "https://github.com/SarahFranzen/Emotions_in_the_United_Nations_General_Debates/tree/3b277c419f85/data/data_original/TXT",
                )
                .via("the corpus's TXT folders on GitHub (SarahFranzen/Emotions_in_the_United_Nations_General_Debates); the tar.xz is the mirror's repackaging, files byte-identical")
                .at_least(10_900)
                .release(),
                FileSpec::new(
                    SPEAKERS,
                    "https://github.com/SarahFranzen/Emotions_in_the_United_Nations_General_Debates/raw/3b277c419f85/data/data_original/Speakers_by_session.xlsx",
                )
                .via("a copy of the corpus's speakers workbook on GitHub (SarahFranzen/Emotions_in_the_United_Nations_General_Debates); the CSV conversion is the mirror's")
                .at_least(10_900)
                .release(),
            ],
            tables: &["ungdc_speeches", "ungdc_tone", "ungdc_speakers"],
        })
    }
}

/// What an archive member's name says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The corpus's country code (`ARG`, `EU`).
    pub code: String,
    pub session: i64,
    pub year: i32,
}

/// The year in which session `session` of the General Assembly held its General Debate.
pub fn session_year(session: i64) -> i64 {
    1945 + session
}

/// `Session NN - YYYY` as (session, year).
fn parse_folder(folder: &str) -> Option<(i64, i32)> {
    let rest = folder.strip_prefix("Session ")?;
    let (s, y) = rest.split_once(" - ")?;
    Some((digits(s, 2)?, i32::try_from(digits(y, 4)?).ok()?))
}

/// A number of `n` ASCII digits (a session may grow to three, from session 100 in 2045).
fn digits(s: &str, n: usize) -> Option<i64> {
    let len_ok = if n == 2 {
        (2..=3).contains(&s.len())
    } else {
        s.len() == n
    };
    if !len_ok || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parses an archive member's name, `TXT/Session NN - YYYY/CODE_NN_YYYY.txt` (`CODE` two or
/// three capital letters), checking that the file name's session and year are the folder's and
/// that the year is the session's (`1945 + session`). `Ok(None)` for the folders themselves
/// (`TXT/`, `TXT/Session NN - YYYY/`); `Err` says what is wrong with the name.
pub fn parse_member(name: &str) -> std::result::Result<Option<Member>, String> {
    let bad = |what: &str| {
        Err(format!(
            "member name {name:?} {what} (expected TXT/Session NN - YYYY/CODE_NN_YYYY.txt)"
        ))
    };
    let Some(rest) = name.strip_prefix("TXT/") else {
        return bad("is not under TXT/");
    };
    if rest.is_empty() {
        return Ok(None);
    }
    let (folder, file) = match rest.split_once('/') {
        Some((f, file)) => (f, file),
        None => return bad("is not in a session folder"),
    };
    let Some((f_session, f_year)) = parse_folder(folder) else {
        return bad("has a folder that is not `Session NN - YYYY`");
    };
    if session_year(f_session) != i64::from(f_year) {
        return Err(format!(
            "member {name:?}: folder says session {f_session} in {f_year}, but session {f_session} was held in {}",
            session_year(f_session)
        ));
    }
    if file.is_empty() {
        return Ok(None);
    }
    let Some(stem) = file.strip_suffix(".txt") else {
        return bad("is not a .txt file");
    };
    let mut parts = stem.split('_');
    let (Some(code), Some(s), Some(y), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return bad("is not CODE_NN_YYYY.txt");
    };
    if !(2..=3).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_uppercase()) {
        return bad("has a code that is not two or three capital letters");
    }
    let (Some(session), Some(year)) = (digits(s, 2), digits(y, 4)) else {
        return bad("has a session or year that is not a number");
    };
    if session != f_session {
        return Err(format!(
            "member {name:?}: session {s:?} in the file name, {f_session} in the folder"
        ));
    }
    if year != i64::from(f_year) {
        return Err(format!(
            "member {name:?}: year {y:?} in the file name, {f_year} in the folder"
        ));
    }
    Ok(Some(Member {
        code: code.to_string(),
        session,
        year: f_year,
    }))
}

/// Words as the mirror's index counts them: maximal runs of non-whitespace characters
/// (`char::is_whitespace`). ASCII bytes are judged byte by byte; a character that is not ASCII
/// is decoded only to ask whether it is white space (U+00A0, U+2028, ...).
pub fn word_count(text: &str) -> i64 {
    let bytes = text.as_bytes();
    let mut n = 0;
    let mut in_word = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let space = if b < 0x80 {
            i += 1;
            matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
        } else {
            // `text` is a str: a lead byte starts a whole character.
            let c = text[i..]
                .chars()
                .next()
                .expect("a character at a char boundary");
            i += c.len_utf8();
            c.is_whitespace()
        };
        if !space && !in_word {
            n += 1;
        }
        in_word = !space;
    }
    n
}

/// The ISO3 key of the corpus's `code` in `year` (`None` for an organisation), and a note when
/// the code was resolved through the state that held its COW number that year.
pub fn resolve_code(
    code: &str,
    year: i32,
) -> std::result::Result<(Option<String>, Option<String>), String> {
    if let Some((_, what)) = NON_STATES.iter().find(|(c, _)| *c == code) {
        return Ok((None, Some(format!("{code} is {what}: iso3 null"))));
    }
    let (from, to) = (Date::start_of_year(year), Date::end_of_year(year));
    let (c, fallback) = cw()
        .lookup_nearest(Scheme::Iso3, code, from, to)
        .map_err(|e| e.to_string())?;
    if !fallback {
        return Ok((Some(c.iso3.clone()), None));
    }
    if let Some(cow) = c.cow
        && let Ok((then, false)) = cw().lookup_nearest(Scheme::Cow, &cow.to_string(), from, to)
        && then.iso3 != c.iso3
    {
        return Ok((
            Some(then.iso3.clone()),
            Some(format!(
                "{code} used in a year outside its state's years: the state that held COW {cow} then, {}",
                then.iso3
            )),
        ));
    }
    Ok((
        Some(c.iso3.clone()),
        Some(format!(
            "{code} used in a year outside its state's years: kept as {}",
            c.iso3
        )),
    ))
}

fn format_err(file: &str, message: String) -> SourceError {
    SourceError::Format {
        file: file.to_string(),
        message,
    }
}

/// Columns of `ungdc_tone`.
fn tone_columns() -> Vec<(String, ColType)> {
    let mut cols: Vec<(String, ColType)> = [
        ("code", ColType::Text),
        ("iso3", ColType::Text),
        ("session", ColType::Int),
        ("year", ColType::Int),
        ("words", ColType::Int),
        ("sentences", ColType::Int),
        ("positive", ColType::Int),
        ("negative", ColType::Int),
        ("tone", ColType::Float),
    ]
    .iter()
    .map(|(n, t)| (n.to_string(), *t))
    .collect();
    cols.extend(TOPICS.iter().map(|t| (t.column(), ColType::Float)));
    cols
}

/// One speech's row of `ungdc_tone` ([`attache_text::Profile`]).
fn tone_row(member: &Member, iso3: &Option<String>, text: &str) -> Vec<Value> {
    let p = Profile::of(text);
    let int = |n: u64| Value::Int(i64::try_from(n).unwrap_or(i64::MAX));
    let mut row = vec![
        Value::Text(member.code.clone()),
        Value::opt_text(iso3.clone()),
        Value::Int(member.session),
        Value::Int(i64::from(member.year)),
        int(p.words),
        int(p.sentences),
        int(p.tone.positive),
        int(p.tone.negative),
        Value::Float(p.tone.score()),
    ];
    row.extend((0..TOPICS.len()).map(|i| p.share(i).map_or(Value::Null, Value::Float)));
    row
}

/// Reads the archive into `ungdc_speeches` and, counted from each speech, `ungdc_tone`.
fn load_speeches(inp: &Input, out: &mut Loaded) -> Result<()> {
    let file = inp.name.as_str();
    if !inp.bytes.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
        let what = crate::binary_kind(&inp.bytes).unwrap_or("something else");
        return Err(format_err(
            file,
            format!("not an xz stream but {what} (this adapter reads the corpus as one tar.xz)"),
        ));
    }
    let xz = liblzma::read::XzDecoder::new(&inp.bytes[..]);
    // One byte more than the cap, so an archive that passes it is seen to.
    let mut archive = tar::Archive::new(xz.take(MAX_UNPACKED_BYTES + 1));
    let entries = archive
        .entries()
        .map_err(|e| format_err(file, format!("not a tar archive: {e}")))?;
    let cols: Vec<(String, ColType)> = [
        ("code", ColType::Text),
        ("iso3", ColType::Text),
        ("session", ColType::Int),
        ("year", ColType::Int),
        ("words", ColType::Int),
        ("text", ColType::Text),
    ]
    .iter()
    .map(|(n, t)| (n.to_string(), *t))
    .collect();
    let mut tb = TableBuilder::new("ungdc_speeches", &cols);
    let mut stats = FileStats::default();
    let mut seen: HashMap<(String, i64), String> = HashMap::new();
    let mut notes: BTreeMap<String, u64> = BTreeMap::new();
    let mut unpacked: u64 = 0;
    let mut after = String::from("the start of the archive");
    // The speeches are counted for `ungdc_tone` on a second thread while the archive is
    // still being unpacked (xz is one stream; counting 30 million words is as long again).
    let (to_count, counted) = std::sync::mpsc::sync_channel::<(Member, Option<String>, String)>(64);
    let tone = std::thread::scope(|scope| -> Result<_> {
        let counter = scope.spawn(move || -> Result<_> {
            let mut tone = TableBuilder::new("ungdc_tone", &tone_columns());
            for (member, iso3, text) in counted {
                tone.push(tone_row(&member, &iso3, &text))?;
            }
            tone.finish()
        });
        let read = (|| -> Result<()> {
            for entry in entries {
                let mut entry = entry.map_err(|e| {
                    format_err(
                        file,
                        format!("tar entry after {after}: {e} (archive truncated or over {MAX_UNPACKED_BYTES} bytes unpacked?)"),
                    )
                })?;
                let raw_name = entry.path_bytes().into_owned();
                let name = String::from_utf8(raw_name).map_err(|e| {
                    format_err(
                        file,
                        format!(
                            "member name after {after} is not UTF-8: {:?}",
                            String::from_utf8_lossy(e.as_bytes())
                        ),
                    )
                })?;
                let kind = entry.header().entry_type();
                let member = parse_member(&name).map_err(|m| format_err(file, m))?;
                let member = match (member, kind) {
                    (None, tar::EntryType::Directory) => {
                        after = format!("member {name:?}");
                        continue;
                    }
                    (Some(m), tar::EntryType::Regular) => m,
                    (_, kind) => {
                        return Err(format_err(
                            file,
                            format!("member {name:?} is a {kind:?} entry, not a speech file"),
                        ));
                    }
                };
                stats.rows_read += 1;
                let size = entry.header().size().map_err(|e| {
                    format_err(
                        file,
                        format!("member {name:?}: bad size in its header: {e}"),
                    )
                })?;
                if size > MAX_SPEECH_BYTES {
                    return Err(format_err(
                        file,
                        format!(
                            "member {name:?}: {size} bytes, more than the {MAX_SPEECH_BYTES} a speech may have"
                        ),
                    ));
                }
                unpacked += size;
                if unpacked > MAX_UNPACKED_BYTES {
                    return Err(format_err(
                        file,
                        format!(
                            "member {name:?}: the archive unpacks to more than {MAX_UNPACKED_BYTES} bytes"
                        ),
                    ));
                }
                let mut bytes = Vec::with_capacity(size as usize);
                entry.read_to_end(&mut bytes).map_err(|e| {
                    format_err(
                        file,
                        format!("member {name:?}: reading its {size} bytes: {e}"),
                    )
                })?;
                if bytes.len() as u64 != size {
                    return Err(format_err(
                        file,
                        format!(
                            "member {name:?}: {} bytes read, {size} in its header",
                            bytes.len()
                        ),
                    ));
                }
                let text = String::from_utf8(bytes).map_err(|e| {
                    let at = e.utf8_error().valid_up_to();
                    let b = e.as_bytes();
                    format_err(
                        file,
                        format!(
                            "member {name:?}: not UTF-8 at byte {at} (bytes {:02x?})",
                            &b[at..b.len().min(at + 4)]
                        ),
                    )
                })?;
                if let Some(first) =
                    seen.insert((member.code.clone(), member.session), name.clone())
                {
                    return Err(format_err(
                        file,
                        format!(
                            "member {name:?}: a second speech of {} in session {} (first: {first:?})",
                            member.code, member.session
                        ),
                    ));
                }
                let (iso3, note) = resolve_code(&member.code, member.year).map_err(|m| {
                    format_err(
                        file,
                        format!("member {name:?}: code {:?}: {m}", member.code),
                    )
                })?;
                if let Some(n) = note {
                    *notes.entry(n).or_default() += 1;
                }
                let words = word_count(&text);
                if to_count
                    .send((member.clone(), iso3.clone(), text.clone()))
                    .is_err()
                {
                    // The counter stopped on an error: its join below reports it.
                    break;
                }
                tb.push(vec![
                    Value::Text(member.code),
                    Value::opt_text(iso3),
                    Value::Int(member.session),
                    Value::Int(i64::from(member.year)),
                    Value::Int(words),
                    Value::Text(text),
                ])?;
                stats.rows_loaded += 1;
                after = format!("member {name:?}");
            }
            Ok(())
        })();
        drop(to_count);
        let tone = counter
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        read?;
        tone
    })?;
    for (reason, n) in notes {
        *stats.adjusted.entry(reason).or_default() += n;
    }
    out.add("ungdc_speeches", tb.finish()?);
    out.add("ungdc_tone", tone);
    out.file(file, stats);
    Ok(())
}

/// Reads the speakers sheet into `ungdc_speakers`.
fn load_speakers(inp: &Input, out: &mut Loaded) -> Result<()> {
    if let Some(kind) = crate::binary_kind(&inp.bytes) {
        return Err(format_err(
            &inp.name,
            format!("{kind}, not a CSV (this adapter reads the CSV conversion of the workbook)"),
        ));
    }
    let d = Delimited::parse(&inp.name, &inp.bytes, &Layout::csv())?;
    super::no_clash(&inp.name, &d.header, &["iso3"])?;
    for c in ["ISO Code", "Country"] {
        d.column(c)?;
    }
    let mut stats = FileStats::default();
    let mut notes: BTreeMap<String, u64> = BTreeMap::new();
    let tb = to_table(
        "ungdc_speakers",
        &d,
        &[("Year", ColType::Int), ("Session", ColType::Int)],
        &[("iso3", ColType::Text)],
        DEFAULT_NULLS,
        &mut stats,
        |row| {
            let year = super::year_of(row, "Year")?;
            let session = row
                .int("Session")?
                .ok_or_else(|| row.at("Session").bad("", "a session number"))?;
            if session_year(session) != i64::from(year) {
                return Err(SourceError::Malformed {
                    file: row.d.file.clone(),
                    line: row.line(),
                    message: format!(
                        "session {session} in year {year}: session {session} was held in {}",
                        session_year(session)
                    ),
                });
            }
            let raw = row.get("ISO Code")?;
            let mut code = raw.trim();
            if code != raw {
                *notes
                    .entry("ISO Code with spaces around it: trimmed".into())
                    .or_default() += 1;
            }
            let country = row.get("Country")?.trim();
            if let Some((_, _, what)) = SPEAKER_ORGANISATIONS
                .iter()
                .find(|(c, name, _)| *c == code && *name == country)
            {
                *notes
                    .entry(format!("{code:?} ({country}) is {what}: iso3 null"))
                    .or_default() += 1;
                return Ok(RowOutcome::Keep(vec![Value::Null]));
            }
            if let Some((printed, meant, _)) = SPEAKER_MISPRINTS.iter().find(|(p, _, _)| *p == code)
            {
                *notes
                    .entry(format!(
                        "ISO Code {printed} misprinted for {meant} (Country says so)"
                    ))
                    .or_default() += 1;
                code = meant;
            }
            let (iso3, note) = resolve_code(code, year).map_err(|m| SourceError::Malformed {
                file: row.d.file.clone(),
                line: row.line(),
                message: format!("column \"ISO Code\": {code:?} ({country:?}): {m}"),
            })?;
            if let Some(n) = note {
                *notes.entry(n).or_default() += 1;
            }
            Ok(RowOutcome::Keep(vec![Value::opt_text(iso3)]))
        },
    )?;
    for (reason, n) in notes {
        *stats.adjusted.entry(reason).or_default() += n;
    }
    out.add("ungdc_speakers", tb.finish()?);
    out.file(&inp.name, stats);
    Ok(())
}

impl Source for Ungdc {
    fn meta(&self) -> &SourceMeta {
        &self.0
    }
    fn load(&self, inputs: &[Input]) -> Result<Loaded> {
        let mut out = Loaded::default();
        if let Some(inp) = input(inputs, ARCHIVE) {
            load_speeches(inp, &mut out)?;
        }
        if let Some(inp) = input(inputs, SPEAKERS) {
            load_speakers(inp, &mut out)?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_names() {
        assert_eq!(
            parse_member("TXT/Session 01 - 1946/ARG_01_1946.txt"),
            Ok(Some(Member {
                code: "ARG".into(),
                session: 1,
                year: 1946
            }))
        );
        assert_eq!(
            parse_member("TXT/Session 79 - 2024/EU_79_2024.txt")
                .unwrap()
                .unwrap()
                .code,
            "EU"
        );
        assert_eq!(parse_member("TXT/"), Ok(None));
        assert_eq!(parse_member("TXT/Session 05 - 1950/"), Ok(None));
        for bad in [
            "ARG_01_1946.txt",
            "TXT/ARG_01_1946.txt",
            "TXT/Session 1 - 1946/ARG_01_1946.txt",
            "TXT/Session 01 - 1946/arg_01_1946.txt",
            "TXT/Session 01 - 1946/ARGE_01_1946.txt",
            "TXT/Session 01 - 1946/ARG_1_1946.txt",
            "TXT/Session 01 - 1946/ARG_01_46.txt",
            "TXT/Session 01 - 1946/ARG_01_1946.txt.bak",
            "TXT/Session 01 - 1946/ARG_01_1946_x.txt",
            "TXT/Session 01 - 1946/._ARG_01_1946.txt",
            "TXT/Session 01 - 1946/sub/ARG_01_1946.txt",
        ] {
            let e = parse_member(bad).unwrap_err();
            assert!(e.contains(&format!("{bad:?}")), "{bad}: {e}");
        }
        // The file name and the folder disagree; the folder disagrees with itself.
        let e = parse_member("TXT/Session 01 - 1946/ARG_02_1946.txt").unwrap_err();
        assert!(
            e.contains("session \"02\" in the file name, 1 in the folder"),
            "{e}"
        );
        let e = parse_member("TXT/Session 01 - 1946/ARG_01_1947.txt").unwrap_err();
        assert!(
            e.contains("year \"1947\" in the file name, 1946 in the folder"),
            "{e}"
        );
        let e = parse_member("TXT/Session 02 - 1946/ARG_02_1946.txt").unwrap_err();
        assert!(e.contains("session 2 was held in 1947"), "{e}");
    }

    #[test]
    fn words_are_runs_of_non_space() {
        assert_eq!(word_count(""), 0);
        assert_eq!(word_count("  a b\r\n\tc  "), 3);
        assert_eq!(word_count("Mr.\u{a0}President,"), 2);
        assert_eq!(word_count("a\u{1c}b é\u{2028}ü"), 3);
        assert_eq!(word_count("\u{85}x\u{3000}"), 1);
    }

    #[test]
    fn codes_resolve_for_the_year() {
        assert_eq!(
            resolve_code("ARG", 1946).unwrap(),
            (Some("ARG".into()), None)
        );
        let (iso, note) = resolve_code("RUS", 1960).unwrap();
        assert_eq!(iso.as_deref(), Some("SUN"));
        assert!(note.unwrap().contains("COW 365"));
        assert_eq!(resolve_code("RUS", 1995).unwrap().0.as_deref(), Some("RUS"));
        assert_eq!(resolve_code("EU", 2011).unwrap().0, None);
        assert!(resolve_code("XXQ", 2000).is_err());
    }
}

//! Economic sanctions: the Global Sanctions Data Base, release 3 (GSDB; Felbermayr, Kirilakha,
//! Syropoulos, Yalcin & Yotov), and Threat and Imposition of Economic Sanctions 4.1 (TIES;
//! Morgan, Bapat & Kobayashi), case by case, and the years each case was in force.
//!
//! - `sanctions_gsdb` (from `GSDB_V3.csv`, one row per case, 1949-2022): every published column
//!   (`case_id`, `sanctioned_state`, `sanctioning_state`, `begin`, `end`, the 0/1 flags `trade`,
//!   `arms`, `military`, `financial`, `travel`, `other`, `descr_trade`, `target_mult`,
//!   `sender_mult`, `objective`, `success`), plus `target_iso3`/`target_kind` and
//!   `sender_iso3`/`sender_kind`. The GSDB names its parties in words, and a cell may list several
//!   ("United States, United Kingdom", "EU, Croatia, Macedonia"; the World Bank's inverted names
//!   such as "Korea, North" are one name, [`INVERTED_NAMES`]). Each name is either in the
//!   adapter's explicit list of parties that are not states ([`GSDB_NON_STATES`]: organisations
//!   such as "EU", "UN" or "League of Arab States", groups of states not named one by one such
//!   as "G7" or "Western countries", non-state actors such as "Terrorist Organizations
//!   (Taliban)", and the unrecognised "Cyprus (Northern)"), or it must resolve through the
//!   crosswalk's names ([`attache_core::Crosswalk::find`]); any other name fails, naming file,
//!   line and name. `*_iso3` lists the ISO3 of the states and territories a cell names, in its
//!   order (`"USA, GBR"`), null when it names none; `*_kind` says what the cell names:
//!   `state`, `territory` (a dependency such as Hong Kong or Gibraltar), `organisation`, `group`,
//!   `non-state`, `unrecognised state` for one name, and for a list `states` (all states or
//!   territories), `organisations` (none) or `mixed`. Cells that name something other than
//!   states are counted per kind in the file's `adjusted`. A state's name is read for the case's
//!   first year: a name of a state that no longer existed then (the GSDB writes "Yugoslavia" for
//!   the Federal Republic of Yugoslavia after 1992) resolves through its COW code to the state
//!   that held the code in that year, and is counted; "South Vietnam" in cases from 1976 on is
//!   the GSDB's name for Vietnam ([`GSDB_LATER_NAMES`]), counted.
//! - `sanctions_ties` (from the mirror's CSV conversion of `TIESv4.xls`, sheet `TIESv4.1.raw`;
//!   one row per case, threats and impositions starting 1945-2005): all 66 published columns
//!   under their published names, whole numbers as integers ([`TIES_INT_COLUMNS`]; a fraction or
//!   word there fails) and the others as text as published (`institutionid` and `sanctiontype`
//!   hold space-separated codes, `sancimpositionstartyear` has three notes such as "1949,
//!   sometime before this date."), plus `primarysender_iso3`/`primarysender_kind` and
//!   `target_iso3`/`target_kind`: the COW codes `primarysender` and `targetstate` resolved for
//!   the case's `startyear` (see `attache_core::country` for the date rules). TIES codes the
//!   European Union (EEC, EC) 1000, which is no state: its ISO3 stays null, kind
//!   `organisation`, counted. The publisher's file is the Excel workbook; the adapter reads the
//!   mirror's CSV conversion of its one sheet (pandas, whole-number columns written as integers,
//!   empty cells empty).
//! - `sanction_dyad_years`: one row per source (`gsdb` | `ties`), case, sender, target and year
//!   the case was in force, with `sender_name`/`sender_iso3`/`sender_kind` and the same for the
//!   target (the GSDB's names as published; TIES's the crosswalk's name of the COW state), the
//!   GSDB's six 0/1 flags (`trade`, `arms`, `military`, `financial`, `travel`, `other`; null for
//!   TIES), TIES's `sanctiontype` codes (null for the GSDB), and `multilateral` (GSDB:
//!   `sender_mult`; TIES: more than one sender, or `institution` = 1). A cell listing several
//!   parties gives one row per sender and target it lists; an organisation or group is one
//!   sender with a null `sender_iso3`, never expanded into members the file does not name. The
//!   years:
//!   - GSDB: `begin` to `end`, both included (ongoing cases end in 2022, the release's last year).
//!   - TIES: only cases with an imposed sanction (`imposition` = 1; threats alone have no years
//!     in force), from the year of `sancimpositionstartyear` (its leading year where TIES wrote
//!     a note after it, counted) to `endyear`, else `ongoingasofyear`, else 2005, TIES's last
//!     year of cases (counted). Five imposed cases give no imposition year; they have no rows,
//!     and are counted. TIES senders are `sender1` to `sender5` and `primarysender`, each state
//!     once (two cases of 1989 give West Germany as 260 and Germany as 255: one sender,
//!     counted); a case with none (the institution acted alone) has one sender per code in
//!     `institutionid`, named `institution <code>` (TIES's institution codes), with no ISO3.
//!
//! Publication lag: GSDB release 3 (cases through 2022) was public by August 2023 at the latest
//! (the mirror's copy was committed to GitHub on 2023-08-12); its releases have come one to two
//! years apart with no published calendar, so a year's cases are taken as public twelve months
//! after it ends. TIES is frozen: 4.1 (2014) is its last release, with cases to 2005.

use std::collections::BTreeMap;

use attache_core::{Country, Date, LookupError, Scheme};

use super::{cw, year_of};
use crate::delimited::{Delimited, Layout, Row, RowOutcome, to_table};
use crate::error::{Result, SourceError};
use crate::table::{ColType, DEFAULT_NULLS, FileStats, TableBuilder, Value};
use crate::{FileSpec, Input, Lag, Loaded, Source, SourceMeta, input};

pub struct Sanctions(SourceMeta);

const GSDB: &str = "sanctions/GSDB_V3.csv";
const TIES: &str = "sanctions/TIESv4.1.raw.csv";

/// TIES's last year of cases: an imposed sanction with neither an end nor an "ongoing as of"
/// date is counted in force through it.
pub const TIES_LAST_YEAR: i32 = 2005;

/// TIES's own code for the European Union (and the EEC and EC before it), used like a COW code
/// in `sender1`..`sender5`, `primarysender` and `targetstate`.
pub const TIES_EU_CODE: i64 = 1000;

/// What a party to a sanction case is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A state (current or historic) the crosswalk resolves.
    State,
    /// A dependency the crosswalk resolves (Hong Kong, Gibraltar).
    Territory,
    /// An international organisation (EU, UN, ECOWAS, CoCom).
    Organisation,
    /// States not named one by one: G7, a region, the parties to a treaty or scheme.
    Group,
    /// A non-state actor (the GSDB's "Terrorist Organizations (...)").
    NonState,
    /// A state recognised by (almost) no other state.
    Unrecognised,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::State => "state",
            Kind::Territory => "territory",
            Kind::Organisation => "organisation",
            Kind::Group => "group",
            Kind::NonState => "non-state",
            Kind::Unrecognised => "unrecognised state",
        }
    }
}

/// The GSDB's names of parties that are not states the crosswalk knows, and what they are.
pub const GSDB_NON_STATES: &[(&str, Kind)] = &[
    ("African Union", Kind::Organisation),
    ("CSCE", Kind::Organisation),
    ("ChinCom", Kind::Organisation),
    ("CoCom", Kind::Organisation),
    ("Comecon", Kind::Organisation),
    ("Commonwealth", Kind::Organisation),
    ("ECOWAS", Kind::Organisation),
    ("EEC", Kind::Organisation),
    ("EEU", Kind::Organisation),
    ("EU", Kind::Organisation),
    ("League of Arab States", Kind::Organisation),
    ("MERCOSUR", Kind::Organisation),
    ("NAFTA", Kind::Organisation),
    ("NATO", Kind::Organisation),
    ("OAPEC", Kind::Organisation),
    ("OIC", Kind::Organisation),
    ("OSCE", Kind::Organisation),
    ("Organisation of African Unity", Kind::Organisation),
    ("Organization of American States", Kind::Organisation),
    (
        "Organization of Eastern Carribean States",
        Kind::Organisation,
    ),
    ("Pacific Islands Forum", Kind::Organisation),
    ("SADC", Kind::Organisation),
    ("UN", Kind::Organisation),
    ("UNASUR", Kind::Organisation),
    ("G7", Kind::Group),
    ("G8", Kind::Group),
    ("Balkans", Kind::Group),
    ("Western Balkans", Kind::Group),
    ("Western countries", Kind::Group),
    ("ICC Rome Statute Signatories", Kind::Group),
    ("Kimberly Process Participants", Kind::Group),
    ("Paris Agreement Signatories", Kind::Group),
    ("Terrorist Organizations (Al-Qaeda)", Kind::NonState),
    ("Terrorist Organizations (ISIL and ANF)", Kind::NonState),
    (
        "Terrorist Organizations (Taliban and Al-Qaeda)",
        Kind::NonState,
    ),
    ("Terrorist Organizations (Taliban)", Kind::NonState),
    ("Cyprus (Northern)", Kind::Unrecognised),
];

/// GSDB names that mean another state from a year on than the crosswalk's name does: (name,
/// first year, ISO3). The GSDB writes "South Vietnam" for the unified Socialist Republic of
/// Vietnam in cases from 1976 on (the US embargo of 1975-1994, China and Cambodia from 1977,
/// "Thailand, South Vietnam" in 2004), after the Republic of Vietnam had ceased to exist.
pub const GSDB_LATER_NAMES: &[(&str, i32, &str)] = &[("South Vietnam", 1976, "VNM")];

/// The World Bank's inverted state names the GSDB uses, which hold a comma: in a list they are
/// one name, not two.
pub const INVERTED_NAMES: &[&str] = &[
    "Congo, Democratic Republic of the",
    "Egypt, Arab Rep.",
    "Gambia, The",
    "Korea, North",
    "Korea, South",
    "Yemen, North",
];

/// TIES columns that hold whole numbers only; the other published columns are text.
pub const TIES_INT_COLUMNS: &[&str] = &[
    "caseid",
    "startmonth",
    "startday",
    "startyear",
    "endmonth",
    "endday",
    "endyear",
    "ongoingasofmonth",
    "ongoingasofday",
    "ongoingasofyear",
    "sender1",
    "sender2",
    "sender3",
    "sender4",
    "sender5",
    "primarysender",
    "targetstate",
    "institution",
    "targetinstitution",
    "issue1",
    "issue2",
    "issue3",
    "threat",
    "threatid1",
    "threatid2",
    "threatid3",
    "bspecif",
    "scommit",
    "anticipatedtargetcosts",
    "tyearofestimate",
    "anticipatedsendercosts",
    "syearofestimate",
    "imposition",
    "sancimpositionstartmonth",
    "implementationofdiplomaticsancti",
    "targetcosts",
    "targeteconomiccostsyear",
    "sendercosts",
    "sendereconomiccostsfigure",
    "sendereconomiccostsyear",
    "finaloutcome",
    "settlementnaturesender",
    "settlementnaturetarget",
];

/// TIES columns published as text (codes separated by spaces, notes, amounts with words).
pub const TIES_TEXT_COLUMNS: &[&str] = &[
    "institutionid",
    "otherinstitution",
    "otherissue",
    "sanctiontypethreat",
    "othersanctiontypethreatened",
    "threatenedtargetinterest",
    "dsanctions",
    "carrots",
    "anticipatedtargetcostsfigureifav",
    "tcurrency",
    "scurrency",
    "sancimpositionstartday",
    "sancimpositionstartyear",
    "sanctionidentity",
    "sanctiontype",
    "othersanctiontype",
    "carrotsduringsanction",
    "carrotvalue",
    "carrotcurrency",
    "carrotyear",
    "targeteconomiccostsfigure",
    "targeteconomiccostscurrency",
    "sendereconomiccostscurrency",
];

/// The GSDB's 0/1 columns, also the flags of `sanction_dyad_years`.
const GSDB_FLAGS: [&str; 6] = ["trade", "arms", "military", "financial", "travel", "other"];

impl Sanctions {
    pub fn new() -> Sanctions {
        Sanctions(SourceMeta {
            id: attache_core::SourceId::SANCTIONS,
            title: "Economic sanctions: Global Sanctions Data Base release 3 (1949-2022) and TIES 4.1 (1945-2005)",
            publisher: "Global Sanctions Data Base (Drexel University, Kiel Institute for the World Economy); TIES (University of North Carolina at Chapel Hill)",
            licence: "GSDB: no open licence, free for research with citation (the team sends the data on request); TIES: free for research with citation",
            citation: "Felbermayr, G., Kirilakha, A., Syropoulos, C., Yalcin, E. & Yotov, Y. V. (2020) The Global Sanctions Data Base. European Economic Review 129: 103561; Syropoulos, C., Felbermayr, G., Kirilakha, A., Yalcin, E. & Yotov, Y. V. (2024) The Global Sanctions Data Base - Release 3: COVID-19, Russia, and multilateral sanctions. Review of International Economics 32(1). Morgan, T. C., Bapat, N. & Kobayashi, Y. (2014) Threat and imposition of economic sanctions 1945-2005: updating the TIES dataset. Conflict Management and Peace Science 31(5). TIES: https://sanctions.web.unc.edu/",
            homepage: "https://www.globalsanctionsdatabase.com/",
            // GSDB release 3 (cases through 2022) was public by August 2023; releases come one to
            // two years apart. TIES is frozen (4.1, cases to 2005). See the module doc.
            lag: Lag::AfterYear { months: 12 },
            files: vec![
                FileSpec::new(
                    GSDB,
                    "https://github.com/macuriels/umass_dacss_datastorytelling/raw/156e000abc8d/GSDB_V3.csv",
                )
                .via("a course repository on GitHub (macuriels/umass_dacss_datastorytelling) holding the GSDB team's release 3 case file, which the team sends on request")
                .at_least(1_300)
                .release(),
                FileSpec::new(
                    TIES,
                    "https://github.com/weshcooper/anti-americanism-econ-sanctions/raw/c39484d8f7b5/TIESv4.xls",
                )
                .via("a copy of the TIES 4.1 workbook on GitHub (weshcooper/anti-americanism-econ-sanctions); the CSV conversion of its sheet TIESv4.1.raw is the mirror's")
                .at_least(1_400)
                .release(),
            ],
            tables: &["sanctions_gsdb", "sanctions_ties", "sanction_dyad_years"],
        })
    }
}

/// One party named in a case: a state, territory, organisation, group or non-state actor.
#[derive(Debug, Clone, PartialEq)]
struct Party {
    name: String,
    iso3: Option<String>,
    kind: Kind,
}

/// A case's years in force and what `sanction_dyad_years` repeats on each of its rows.
struct InForce {
    source: &'static str,
    case_id: i64,
    first: i32,
    last: i32,
    senders: Vec<Party>,
    targets: Vec<Party>,
    /// The GSDB's six flags, in [`GSDB_FLAGS`] order.
    flags: Option<[i64; 6]>,
    sanctiontype: Option<String>,
    multilateral: i64,
}

/// Whether the crosswalk's `independent` field marks a dependency rather than a state.
fn is_dependency(c: &Country) -> bool {
    [
        "Part of",
        "Territory of",
        "Territories of",
        "Crown dependency of",
        "Commonwealth of",
        "Associated with",
    ]
    .iter()
    .any(|p| c.independent.starts_with(p))
}

fn state_party(name: String, c: &Country) -> Party {
    Party {
        name,
        iso3: Some(c.iso3.clone()),
        kind: if is_dependency(c) {
            Kind::Territory
        } else {
            Kind::State
        },
    }
}

/// Splits a GSDB cell into its names: at commas, except inside [`INVERTED_NAMES`].
pub fn split_gsdb_names(cell: &str) -> Vec<String> {
    let pieces: Vec<&str> = cell.split(',').map(str::trim).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        let joined = INVERTED_NAMES.iter().find_map(|n| {
            let parts: Vec<&str> = n.split(',').map(str::trim).collect();
            (pieces.len() >= i + parts.len() && pieces[i..i + parts.len()] == parts[..])
                .then(|| (n.to_string(), parts.len()))
        });
        match joined {
            Some((name, k)) => {
                out.push(name);
                i += k;
            }
            None => {
                out.push(pieces[i].to_string());
                i += 1;
            }
        }
    }
    out
}

/// The parties a GSDB cell names, for a case that began in `year`.
fn gsdb_parties(
    row: &Row<'_>,
    column: &str,
    year: i32,
    stats: &mut FileStats,
) -> Result<Vec<Party>> {
    let cell = row.get(column)?;
    let mut out = Vec::new();
    for name in split_gsdb_names(cell) {
        if name.is_empty() {
            return Err(row
                .at(column)
                .bad(cell, "a name or a comma-separated list of names"));
        }
        if let Some((_, kind)) = GSDB_NON_STATES.iter().find(|(n, _)| *n == name) {
            out.push(Party {
                name,
                iso3: None,
                kind: *kind,
            });
            continue;
        }
        let country_err = |error: LookupError| SourceError::Country {
            file: row.d.file.clone(),
            line: row.line(),
            column: column.to_string(),
            error,
        };
        if let Some((_, from, iso)) = GSDB_LATER_NAMES
            .iter()
            .find(|(n, from, _)| *n == name && year >= *from)
        {
            let c = cw().lookup(Scheme::Iso3, iso).map_err(country_err)?;
            stats.adjust(format!(
                "{column} {name:?} from {from} on: the GSDB's name for {iso}"
            ));
            out.push(state_party(name, c));
            continue;
        }
        let c = cw().find(&name).map_err(country_err)?;
        let (from, to) = (Date::start_of_year(year), Date::end_of_year(year));
        let c = if c.valid_during(from, to) {
            c
        } else if let Some(cow) = c.cow {
            let (then, _) = cw()
                .lookup_nearest(Scheme::Cow, &cow.to_string(), from, to)
                .map_err(country_err)?;
            stats.adjust(if then.iso3 == c.iso3 {
                format!(
                    "{column} {name:?} ({}) in a year outside its years, no other state held COW {cow}: kept",
                    c.iso3
                )
            } else {
                format!(
                    "{column} {name:?} ({}) in a year outside its years: resolved through COW {cow} to {}",
                    c.iso3, then.iso3
                )
            });
            then
        } else {
            stats.adjust(format!(
                "{column} {name:?} ({}) in a year outside its years: kept",
                c.iso3
            ));
            c
        };
        out.push(state_party(name, c));
    }
    Ok(out)
}

/// The ISO3 list and kind of a cell's parties, counting cells that are not all states.
fn iso3_and_kind(parties: &[Party], side: &str, stats: &mut FileStats) -> (Value, Value) {
    let isos: Vec<&str> = parties.iter().filter_map(|p| p.iso3.as_deref()).collect();
    let kind = match parties {
        [one] => one.kind.as_str(),
        _ if isos.len() == parties.len() => "states",
        _ if isos.is_empty() => "organisations",
        _ => "mixed",
    };
    if isos.len() < parties.len() {
        stats.adjust(format!(
            "{side}_kind {kind}: {side}_iso3 holds no ISO3 for what is not a state"
        ));
    }
    let iso = if isos.is_empty() {
        Value::Null
    } else {
        Value::text(isos.join(", "))
    };
    (iso, Value::text(kind))
}

fn int_of(row: &Row<'_>, column: &str) -> Result<i64> {
    row.int(column)?
        .ok_or_else(|| row.at(column).bad("", "an integer"))
}

fn load_gsdb(inp: &Input, out: &mut Loaded, spans: &mut Vec<InForce>) -> Result<()> {
    let layout = Layout {
        required: [
            "case_id",
            "sanctioned_state",
            "sanctioning_state",
            "begin",
            "end",
        ]
        .map(String::from)
        .to_vec(),
        ..Layout::csv()
    };
    let d = Delimited::parse(&inp.name, &inp.bytes, &layout)?;
    for c in ["descr_trade", "objective", "success"] {
        d.column(c)?;
    }
    let mut types: Vec<(&str, ColType)> = vec![
        ("case_id", ColType::Int),
        ("begin", ColType::Int),
        ("end", ColType::Int),
        ("target_mult", ColType::Int),
        ("sender_mult", ColType::Int),
    ];
    types.extend(GSDB_FLAGS.iter().map(|f| (*f, ColType::Int)));
    let extra = [
        ("target_iso3", ColType::Text),
        ("target_kind", ColType::Text),
        ("sender_iso3", ColType::Text),
        ("sender_kind", ColType::Text),
    ];
    let mut stats = FileStats::default();
    let mut notes = FileStats::default();
    let tb = to_table(
        "sanctions_gsdb",
        &d,
        &types,
        &extra,
        DEFAULT_NULLS,
        &mut stats,
        |row| {
            let case_id = int_of(row, "case_id")?;
            let begin = case_year(row, "begin")?;
            let end = case_year(row, "end")?;
            if end < begin {
                return Err(row
                    .at("end")
                    .bad(row.get("end")?, "a year at or after `begin`"));
            }
            let targets = gsdb_parties(row, "sanctioned_state", begin, &mut notes)?;
            let senders = gsdb_parties(row, "sanctioning_state", begin, &mut notes)?;
            let mut flags = [0i64; 6];
            for (f, name) in flags.iter_mut().zip(GSDB_FLAGS) {
                *f = int_of(row, name)?;
                if !(0..=1).contains(f) {
                    return Err(row.at(name).bad(row.get(name)?, "0 or 1"));
                }
            }
            let (t_iso, t_kind) = iso3_and_kind(&targets, "target", &mut notes);
            let (s_iso, s_kind) = iso3_and_kind(&senders, "sender", &mut notes);
            spans.push(InForce {
                source: "gsdb",
                case_id,
                first: begin,
                last: end,
                senders,
                targets,
                flags: Some(flags),
                sanctiontype: None,
                multilateral: int_of(row, "sender_mult")?,
            });
            Ok(RowOutcome::Keep(vec![t_iso, t_kind, s_iso, s_kind]))
        },
    )?;
    stats.adjusted.extend(notes.adjusted);
    out.add("sanctions_gsdb", tb.finish()?);
    out.file(&inp.name, stats);
    Ok(())
}

/// A TIES state code (`sender1`, `targetstate`, ...) for the case's start year: a COW state, or
/// TIES's code for the European Union. `None` for an empty cell.
fn ties_party(
    row: &Row<'_>,
    column: &str,
    year: i32,
    notes: &mut FileStats,
) -> Result<Option<Party>> {
    let Some(code) = row.int(column)? else {
        return Ok(None);
    };
    if code == TIES_EU_CODE {
        notes.adjust(format!(
            "{column} {TIES_EU_CODE} (TIES's code for the EEC, EC and EU) is no state: ISO3 left null"
        ));
        return Ok(Some(Party {
            name: format!("European Union (EEC, EC, EU; TIES code {TIES_EU_CODE})"),
            iso3: None,
            kind: Kind::Organisation,
        }));
    }
    let (c, fallback) = cw()
        .lookup_nearest(
            Scheme::Cow,
            &code.to_string(),
            Date::start_of_year(year),
            Date::end_of_year(year),
        )
        .map_err(|error| SourceError::Country {
            file: row.d.file.clone(),
            line: row.line(),
            column: column.to_string(),
            error,
        })?;
    if fallback {
        notes.adjust(format!(
            "COW {code} used in {year}, outside its state's years: resolved to {}",
            c.iso3
        ));
    }
    Ok(Some(state_party(c.name.clone(), c)))
}

fn party_values(p: Option<&Party>) -> [Value; 2] {
    match p {
        None => [Value::Null, Value::Null],
        Some(p) => [
            Value::opt_text(p.iso3.clone()),
            Value::text(p.kind.as_str()),
        ],
    }
}

/// The first year of an imposed TIES sanction: `sancimpositionstartyear`, or the year TIES
/// wrote before a note ("1949, sometime before this date."), counted. `None` when empty.
/// The years a sanction case can be in force: both data sets start after 1900 (GSDB 1949,
/// TIES 1945) and no release reaches past this century; a year outside is a misprint, and
/// expanding it into dyad-years would build millions of rows (found by fuzzing).
const SANCTION_YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// A case year in `column`, within [`SANCTION_YEARS`].
fn case_year(row: &Row<'_>, column: &str) -> Result<i32> {
    let y = year_of(row, column)?;
    if SANCTION_YEARS.contains(&y) {
        Ok(y)
    } else {
        Err(row
            .at(column)
            .bad(row.get(column)?, "a year between 1900 and 2100"))
    }
}

fn imposition_year(row: &Row<'_>, notes: &mut FileStats) -> Result<Option<i32>> {
    const COLUMN: &str = "sancimpositionstartyear";
    let raw = row.get(COLUMN)?.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let plausible = |y: i32| (SANCTION_YEARS).contains(&y);
    if let Ok(y) = raw.parse::<i32>() {
        if !plausible(y) {
            return Err(row.at(COLUMN).bad(raw, "a year between 1900 and 2100"));
        }
        return Ok(Some(y));
    }
    match raw.split_once(',') {
        Some((y, note)) if !note.trim().is_empty() => match y.trim().parse::<i32>() {
            Ok(y) if !plausible(y) => Err(row.at(COLUMN).bad(raw, "a year between 1900 and 2100")),
            Ok(y) => {
                notes.adjust(format!(
                    "{COLUMN} is a year and a note: its year read for sanction_dyad_years"
                ));
                Ok(Some(y))
            }
            Err(_) => Err(row.at(COLUMN).bad(raw, "a year, or a year and a note")),
        },
        _ => Err(row.at(COLUMN).bad(raw, "a year, or a year and a note")),
    }
}

fn load_ties(inp: &Input, out: &mut Loaded, spans: &mut Vec<InForce>) -> Result<()> {
    let layout = Layout {
        required: ["caseid", "startyear", "targetstate", "threat", "imposition"]
            .map(String::from)
            .to_vec(),
        ..Layout::csv()
    };
    let d = Delimited::parse(&inp.name, &inp.bytes, &layout)?;
    for c in TIES_TEXT_COLUMNS {
        d.column(c)?;
    }
    let types: Vec<(&str, ColType)> = TIES_INT_COLUMNS
        .iter()
        .map(|c| (*c, ColType::Int))
        .collect();
    let extra = [
        ("primarysender_iso3", ColType::Text),
        ("primarysender_kind", ColType::Text),
        ("target_iso3", ColType::Text),
        ("target_kind", ColType::Text),
    ];
    let mut stats = FileStats::default();
    let mut notes = FileStats::default();
    let tb = to_table(
        "sanctions_ties",
        &d,
        &types,
        &extra,
        DEFAULT_NULLS,
        &mut stats,
        |row| {
            let case_id = int_of(row, "caseid")?;
            let start = case_year(row, "startyear")?;
            let target = ties_party(row, "targetstate", start, &mut notes)?
                .ok_or_else(|| row.at("targetstate").bad("", "a COW code"))?;
            let primary = ties_party(row, "primarysender", start, &mut notes)?;
            // Every sender code resolves (or fails) on every row, threat or imposition. Each
            // state is one sender, however many of its codes the case uses (TIES writes 260,
            // the FRG, and 255, Germany, in two cases of 1989).
            let mut senders: Vec<Party> = Vec::new();
            let mut add = |p: Party, notes: &mut FileStats| {
                if senders.contains(&p) {
                    return;
                }
                if p.iso3.is_some() && senders.iter().any(|s| s.iso3 == p.iso3) {
                    notes
                        .adjust("two sender codes of one state: one sender in sanction_dyad_years");
                    return;
                }
                senders.push(p);
            };
            for col in ["sender1", "sender2", "sender3", "sender4", "sender5"] {
                if let Some(p) = ties_party(row, col, start, &mut notes)? {
                    add(p, &mut notes);
                }
            }
            if let Some(p) = &primary {
                add(p.clone(), &mut notes);
            }
            let mut values = Vec::with_capacity(4);
            values.extend(party_values(primary.as_ref()));
            values.extend(party_values(Some(&target)));
            if int_of(row, "imposition")? != 1 {
                return Ok(RowOutcome::Keep(values));
            }
            let Some(first) = imposition_year(row, &mut notes)? else {
                notes.adjust(
                    "imposition = 1 but no sancimpositionstartyear: no sanction_dyad_years rows",
                );
                return Ok(RowOutcome::Keep(values));
            };
            let last = match (row.int("endyear")?, row.int("ongoingasofyear")?) {
                (Some(_), _) => case_year(row, "endyear")?,
                (None, Some(_)) => case_year(row, "ongoingasofyear")?,
                (None, None) => {
                    notes.adjust(format!(
                        "imposed, with neither endyear nor ongoingasofyear: in force through {TIES_LAST_YEAR} in sanction_dyad_years"
                    ));
                    TIES_LAST_YEAR
                }
            };
            if last < first {
                return Err(row.at("endyear").bad(
                    &last.to_string(),
                    "a year at or after sancimpositionstartyear",
                ));
            }
            if senders.is_empty() {
                senders = row
                    .get("institutionid")?
                    .split_whitespace()
                    .map(|id| Party {
                        name: format!("institution {id}"),
                        iso3: None,
                        kind: Kind::Organisation,
                    })
                    .collect();
                if senders.is_empty() {
                    return Err(row
                        .at("institutionid")
                        .bad("", "an institution code (the case names no sender state)"));
                }
                notes.adjust("no sender state: the institutions in institutionid are the senders in sanction_dyad_years");
            }
            let multilateral = senders.len() > 1 || row.int("institution")? == Some(1);
            spans.push(InForce {
                source: "ties",
                case_id,
                first,
                last,
                senders,
                targets: vec![target],
                flags: None,
                sanctiontype: Some(row.get("sanctiontype")?.trim().to_string())
                    .filter(|s| !s.is_empty()),
                multilateral: i64::from(multilateral),
            });
            Ok(RowOutcome::Keep(values))
        },
    )?;
    stats.adjusted.extend(notes.adjusted);
    out.add("sanctions_ties", tb.finish()?);
    out.file(&inp.name, stats);
    Ok(())
}

/// The columns of `sanction_dyad_years`.
pub fn dyad_columns() -> Vec<(String, ColType)> {
    let mut cols: Vec<(String, ColType)> = [
        ("source", ColType::Text),
        ("case_id", ColType::Int),
        ("year", ColType::Int),
        ("sender_name", ColType::Text),
        ("sender_iso3", ColType::Text),
        ("sender_kind", ColType::Text),
        ("target_name", ColType::Text),
        ("target_iso3", ColType::Text),
        ("target_kind", ColType::Text),
    ]
    .map(|(n, t)| (n.to_string(), t))
    .to_vec();
    cols.extend(GSDB_FLAGS.iter().map(|f| (f.to_string(), ColType::Int)));
    cols.push(("sanctiontype".into(), ColType::Text));
    cols.push(("multilateral".into(), ColType::Int));
    cols
}

/// One row per case, sender, target and year in force.
fn dyad_years(spans: &[InForce]) -> Result<arrow::record_batch::RecordBatch> {
    let mut tb = TableBuilder::new("sanction_dyad_years", &dyad_columns());
    for s in spans {
        for year in s.first..=s.last {
            for sender in &s.senders {
                for target in &s.targets {
                    let mut row = vec![
                        Value::text(s.source),
                        Value::Int(s.case_id),
                        Value::Int(i64::from(year)),
                        Value::text(&sender.name),
                        Value::opt_text(sender.iso3.clone()),
                        Value::text(sender.kind.as_str()),
                        Value::text(&target.name),
                        Value::opt_text(target.iso3.clone()),
                        Value::text(target.kind.as_str()),
                    ];
                    match s.flags {
                        Some(f) => row.extend(f.map(Value::Int)),
                        None => row.extend([(); 6].map(|_| Value::Null)),
                    }
                    row.push(Value::opt_text(s.sanctiontype.clone()));
                    row.push(Value::Int(s.multilateral));
                    tb.push(row)?;
                }
            }
        }
    }
    tb.finish()
}

impl Source for Sanctions {
    fn meta(&self) -> &SourceMeta {
        &self.0
    }

    fn load(&self, inputs: &[Input]) -> Result<Loaded> {
        let mut out = Loaded::default();
        let mut parts: BTreeMap<&str, Vec<InForce>> = BTreeMap::new();
        if let Some(inp) = input(inputs, GSDB) {
            load_gsdb(inp, &mut out, parts.entry("gsdb").or_default())?;
        }
        if let Some(inp) = input(inputs, TIES) {
            load_ties(inp, &mut out, parts.entry("ties").or_default())?;
        }
        for spans in parts.values() {
            out.add("sanction_dyad_years", dyad_years(spans)?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gsdb_lists_split_at_commas_but_not_inside_inverted_names() {
        assert_eq!(
            split_gsdb_names("Mauritania, Djibouti, Comoros, Jordan, Libya, Yemen, North, Niger"),
            [
                "Mauritania",
                "Djibouti",
                "Comoros",
                "Jordan",
                "Libya",
                "Yemen, North",
                "Niger"
            ]
        );
        assert_eq!(
            split_gsdb_names("Congo, Democratic Republic of the, Eritrea"),
            ["Congo, Democratic Republic of the", "Eritrea"]
        );
        assert_eq!(split_gsdb_names("Poland,Hungary"), ["Poland", "Hungary"]);
        assert_eq!(
            split_gsdb_names("Denmark, Netherlands,  Sweden"),
            ["Denmark", "Netherlands", "Sweden"]
        );
        assert_eq!(split_gsdb_names("Korea, South"), ["Korea, South"]);
        assert_eq!(split_gsdb_names("EU"), ["EU"]);
    }
}

//! The adapters, one module per publisher, and the helpers they share for resolving country
//! codes into the canonical ISO alpha-3 key.

pub mod displacement;
pub mod emissions;
pub mod flaring;
pub mod gdelt;
pub mod groups;
pub mod inform;
pub mod naturalearth;
pub mod ndc;
pub mod nightlights;
pub mod openflights;
pub mod polity;
pub mod reference;
pub mod sanctions;
pub mod sdg;
pub mod sentiment;
pub mod trade;
pub mod ucdp;
pub mod ungdc;
pub mod unvotes;
pub mod views;
pub mod worldbank;

use attache_core::{Crosswalk, Scheme, country::split_codes};

use crate::Source;
use crate::delimited::Row;
use crate::error::{Result, SourceError};
use crate::table::Value;

pub fn all() -> Vec<Box<dyn Source>> {
    vec![
        Box::new(reference::Reference::new()),
        Box::new(ucdp::Acd::new()),
        Box::new(ucdp::Brd::new()),
        Box::new(ucdp::Ged::new()),
        Box::new(ucdp::OwidDeaths::new()),
        Box::new(views::ViewsCm::new()),
        Box::new(worldbank::WorldBank::new()),
        Box::new(polity::Polity5::new()),
        Box::new(emissions::Gcb::new()),
        Box::new(emissions::Edgar::new()),
        Box::new(emissions::Cdiac::new()),
        Box::new(openflights::OpenFlights::new()),
        Box::new(naturalearth::NaturalEarth::new()),
        Box::new(gdelt::Gdelt::new()),
        Box::new(groups::CountryGroups::new()),
        Box::new(ndc::Ndc::new()),
        Box::new(ndc::Unfccc::new()),
        Box::new(unvotes::UnVotes::new()),
        Box::new(unvotes::UnIdealPoints::new()),
        Box::new(displacement::Displacement::new()),
        Box::new(sanctions::Sanctions::new()),
        Box::new(trade::Trade::new()),
        Box::new(sdg::Sdg::new()),
        Box::new(inform::Inform::new()),
        Box::new(ungdc::Ungdc::new()),
        Box::new(nightlights::NightLights::new()),
        Box::new(flaring::GasFlaring::new()),
        Box::new(sentiment::GoodNewsEveryone::new()),
    ]
}

pub(crate) fn cw() -> &'static Crosswalk {
    Crosswalk::global()
}

/// Resolves a (possibly multi-valued, "365, 369") code field for a calendar year into
/// ISO alpha-3 keys joined the same way ("RUS, UKR"). Empty stays null; an unknown code fails.
/// A code used outside its state's years resolves to the nearest state and is counted.
pub(crate) fn resolve_year(
    row: &Row<'_>,
    column: &str,
    scheme: Scheme,
    year: i32,
    stats: &mut crate::table::FileStats,
) -> Result<Value> {
    let raw = row.get(column)?;
    let mut out = Vec::new();
    for code in split_codes(raw) {
        let (c, fallback) = cw()
            .lookup_nearest(
                scheme,
                code,
                attache_core::Date::start_of_year(year),
                attache_core::Date::end_of_year(year),
            )
            .map_err(|e| SourceError::Country {
                file: row.d.file.clone(),
                line: row.line(),
                column: column.to_string(),
                error: e,
            })?;
        if fallback {
            stats.adjust(format!(
                "{scheme} {code} used in {year}, outside its state's years: resolved to {}",
                c.iso3
            ));
        }
        out.push(c.iso3.as_str());
    }
    Ok(if out.is_empty() {
        Value::Null
    } else {
        Value::text(out.join(", "))
    })
}

/// The year column of a row, required.
pub(crate) fn year_of(row: &Row<'_>, column: &str) -> Result<i32> {
    // A year of four digits: a wider number is a misprint, never truncated into range.
    match row.int(column)? {
        Some(y) if (1000..=2999).contains(&y) => Ok(y as i32),
        Some(_) => Err(row.at(column).bad(row.get(column)?, "a year (1000-2999)")),
        None => Err(row.at(column).bad("", "a year")),
    }
}

/// The crosswalk's ISO3 key of the published ISO alpha-3 code in `column`. An unknown code fails
/// naming file, line, column and code; a code the crosswalk knows under another key (a legacy or
/// alternative code) resolves to that key, counted under `adjusted`.
pub(crate) fn resolve_iso3(
    row: &Row<'_>,
    column: &str,
    stats: &mut crate::table::FileStats,
) -> Result<String> {
    let code = row.get(column)?.trim();
    let c = cw()
        .lookup(Scheme::Iso3, code)
        .map_err(|error| SourceError::Country {
            file: row.d.file.clone(),
            line: row.line(),
            column: column.to_string(),
            error,
        })?;
    if c.iso3 != code {
        stats.adjust(format!(
            "{column} {code}: the crosswalk's ISO3 for it is {}",
            c.iso3
        ));
    }
    Ok(c.iso3.clone())
}

/// Fails when a published column would take the name of a column the adapter adds (`iso3`,
/// `kind`): the table would hold two columns of one name.
pub(crate) fn no_clash(file: &str, header: &[String], added: &[&str]) -> Result<()> {
    match header
        .iter()
        .find(|h| added.contains(&crate::table::snake_case(h).as_str()))
    {
        Some(h) => Err(SourceError::Format {
            file: file.to_string(),
            message: format!(
                "published column {h:?} has the name of a column the adapter adds ({})",
                added.join(", ")
            ),
        }),
        None => Ok(()),
    }
}

/// Fails on a second row with the key of an earlier one (a table of one row per country, or
/// per country and year), naming the file, both lines and the key.
pub(crate) fn check_unique(
    seen: &mut std::collections::HashMap<String, u64>,
    key: String,
    row: &Row<'_>,
    what: &str,
) -> Result<()> {
    if let Some(first) = seen.get(&key) {
        return Err(SourceError::Malformed {
            file: row.d.file.clone(),
            line: row.line(),
            message: format!("{key} again (first on line {first}): one row per {what}"),
        });
    }
    seen.insert(key, row.line());
    Ok(())
}

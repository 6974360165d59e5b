//! The adapters, one module per publisher, and the helpers they share for resolving country
//! codes into the canonical ISO alpha-3 key.

pub mod displacement;
pub mod emissions;
pub mod gdelt;
pub mod groups;
pub mod naturalearth;
pub mod ndc;
pub mod openflights;
pub mod polity;
pub mod reference;
pub mod sanctions;
pub mod trade;
pub mod ucdp;
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
    row.int(column)?
        .map(|y| y as i32)
        .ok_or_else(|| row.at(column).bad("", "a year"))
}

//! The store queries the policy side needs, and the assembly of their rows into
//! [`Country`] values. No IO here: a caller (the CLI, the server) runs each query against a
//! vintage and passes the rows in.
//!
//! Fossil CO2 is CDIAC's national total (fossil fuels, cement and flaring, thousand t C),
//! converted to Mt CO2 (× 44.01/12.01 / 1000); entities sharing an ISO code in a year (early
//! territories) are summed. International bunkers are the sum of CDIAC's per-country
//! "Bunker fuels (Not in Total)".

use std::collections::BTreeMap;

use crate::aggregate::BUNKERS;
use crate::ndc::{NdcTexts, Pledge, read_pledge};
use crate::pathway::Country;
use crate::series::Series;

/// `iso3, year, value` (thousand t C): national fossil CO2.
pub const SQL_CO2: &str = "select iso3, year, sum(value) as value from emissions \
     where source = 'cdiac' and sector = 'Total' and iso3 is not null and value is not null \
     group by iso3, year order by iso3, year";
/// `year, value` (thousand t C): international bunkers.
pub const SQL_BUNKERS: &str = "select year, sum(value) as value from emissions \
     where source = 'cdiac' and sector = 'Bunker fuels (Not in Total)' and value is not null \
     group by year order by year";
/// `iso3, indicator, year, value`: population, GDP per person PPP, real GDP growth, total GHG.
pub const SQL_INDICATORS: &str = "select iso3, indicator, year, value from indicators \
     where indicator in ('SP.POP.TOTL', 'NY.GDP.PCAP.PP.CD', 'NY.GDP.MKTP.KD.ZG', 'EN.ATM.GHGT.KT.CE') \
     and iso3 is not null and value is not null";
/// `iso3, name`: display names.
pub const SQL_NAMES: &str = "select iso3, name from country_codes";
/// `iso3, ghg_target, ghg_target_type, reference_base_year, time_target_year,
/// time_long_term_target` (CAIT; the EU's own row has a null iso3).
pub const SQL_CAIT: &str = "select iso, iso3, ghg_target, ghg_target_type, reference_base_year, \
     time_target_year, time_long_term_target from ndc_cait";
/// `country_code, iso3, type_of_target_details` (Klimalog; `EU` has a null iso3).
pub const SQL_KLIMALOG: &str =
    "select country_code, iso3, type_of_target_details from ndc_klimalog";
/// `group_id, iso3`: bloc membership.
pub const SQL_GROUPS: &str = "select group_id, iso3 from country_groups where iso3 is not null";

/// Thousand tonnes of carbon to Mt CO2.
pub const KT_C_TO_MT_CO2: f64 = 44.01 / 12.01 / 1000.0;

/// Rows of the queries above, as plain values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rows {
    /// [`SQL_CO2`].
    pub co2: Vec<(String, i32, f64)>,
    /// [`SQL_BUNKERS`].
    pub bunkers: Vec<(i32, f64)>,
    /// [`SQL_INDICATORS`].
    pub indicators: Vec<(String, String, i32, f64)>,
    /// [`SQL_NAMES`].
    pub names: Vec<(String, String)>,
    /// [`SQL_CAIT`]: party code, iso3, then the five texts.
    pub cait: Vec<(String, Option<String>, [String; 5])>,
    /// [`SQL_KLIMALOG`]: party code, iso3, text.
    pub klimalog: Vec<(String, Option<String>, String)>,
    /// [`SQL_GROUPS`].
    pub groups: Vec<(String, String)>,
    /// Imported pledges (`ndc_imports`, [`crate::import`]): each amends its party's coded NDC.
    pub imports: Vec<crate::import::ImportedPledge>,
}

/// Countries (and the `BUNKERS` pseudo-country) and blocs from the rows.
#[derive(Debug, Clone, PartialEq)]
pub struct World {
    /// Countries with any fossil-CO2 history, plus `BUNKERS` last.
    pub countries: Vec<Country>,
    /// Bloc id → member codes.
    pub groups: BTreeMap<String, Vec<String>>,
}

impl World {
    /// Assembles the world; every country gets its NDC pledge (`read_pledge`) when the NDC
    /// tables have a row for it. Klimalog's EU row is applied to EU members that CAIT codes
    /// with the EU's joint NDC.
    pub fn from_rows(rows: &Rows) -> World {
        let mut by: BTreeMap<String, Country> = BTreeMap::new();
        let names: BTreeMap<&str, &str> = rows
            .names
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        for (iso3, year, v) in &rows.co2 {
            let c = by.entry(iso3.clone()).or_insert_with(|| Country {
                iso3: iso3.clone(),
                name: names
                    .get(iso3.as_str())
                    .map_or_else(|| iso3.clone(), |n| n.to_string()),
                ..Country::default()
            });
            c.co2.0.insert(*year, v * KT_C_TO_MT_CO2);
        }
        for (iso3, ind, year, v) in &rows.indicators {
            let Some(c) = by.get_mut(iso3) else { continue };
            let s: &mut Series = match ind.as_str() {
                "SP.POP.TOTL" => &mut c.population,
                "NY.GDP.PCAP.PP.CD" => &mut c.gdp_ppp_pc,
                "NY.GDP.MKTP.KD.ZG" => &mut c.gdp_growth,
                "EN.ATM.GHGT.KT.CE" => &mut c.ghg,
                _ => continue,
            };
            s.0.insert(*year, *v);
        }
        let eu_klimalog = rows
            .klimalog
            .iter()
            .find(|(code, _, _)| code == "EU")
            .map(|(_, _, t)| t.clone());
        let mut texts: BTreeMap<String, NdcTexts> = BTreeMap::new();
        for (_, iso3, t) in &rows.cait {
            if let Some(iso3) = iso3 {
                let e = texts.entry(iso3.clone()).or_default();
                e.cait_target = t[0].clone();
                e.cait_type = t[1].clone();
                e.cait_base_year = t[2].clone();
                e.cait_target_year = t[3].clone();
                e.cait_long_term = t[4].clone();
                if let Some(eu) = eu_klimalog
                    .as_ref()
                    .filter(|_| t[0].contains("European Union"))
                {
                    e.klimalog = eu.clone();
                }
            }
        }
        for (_, iso3, t) in &rows.klimalog {
            if let Some(iso3) = iso3 {
                texts.entry(iso3.clone()).or_default().klimalog = t.clone();
            }
        }
        for (iso3, t) in &texts {
            if let Some(c) = by.get_mut(iso3) {
                let p: Pledge = read_pledge(t);
                c.pledge = Some(p);
            }
        }
        // Imported pledges amend the coded ones (checked at import, so a failure here means
        // the table was changed outside `attache climate import`: the coded NDC stays, and
        // the pledge's source says why).
        for imp in &rows.imports {
            if let Some(c) = by.get_mut(&imp.iso3) {
                match crate::ndc::apply_edit(c.pledge.as_ref(), &imp.pledge) {
                    Ok(mut p) => {
                        p.source = imp.provenance();
                        c.pledge = Some(p);
                    }
                    Err(e) => {
                        if let Some(p) = c.pledge.as_mut() {
                            p.source = format!(
                                "{}; the import of line {} was refused: {e}",
                                p.source, imp.line
                            );
                        }
                    }
                }
            }
        }
        let mut countries: Vec<Country> = by.into_values().collect();
        if !rows.bunkers.is_empty() {
            countries.push(Country {
                iso3: BUNKERS.into(),
                name: "International aviation and shipping".into(),
                co2: Series::from_pairs(rows.bunkers.iter().map(|(y, v)| (*y, v * KT_C_TO_MT_CO2))),
                ..Country::default()
            });
        }
        let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (g, iso3) in &rows.groups {
            let m = groups.entry(g.clone()).or_default();
            if !m.contains(iso3) {
                m.push(iso3.clone());
            }
        }
        World { countries, groups }
    }

    /// A country by code.
    pub fn country(&self, iso3: &str) -> Option<&Country> {
        self.countries.iter().find(|c| c.iso3 == iso3)
    }
}

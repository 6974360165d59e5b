//! The stable ids of the data sources (`attache sources` lists them; lockfiles, `--only`,
//! `--accept` and every "which source writes this table" name them).
//!
//! A typed id instead of a string: a reader that needs a table names its source by constant
//! ([`SourceId::CDIAC`]), so a typo does not compile, and the sources crate's test checks that
//! every constant here is a registered adapter and every adapter has a constant.

use std::fmt;

/// One data source's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceId(&'static str);

impl SourceId {
    /// The embedded country crosswalk (`country_codes`, `neighbours`).
    pub const CROSSWALK: SourceId = SourceId("crosswalk");
    pub const UCDP_ACD: SourceId = SourceId("ucdp-acd");
    pub const UCDP_BRD: SourceId = SourceId("ucdp-brd");
    pub const UCDP_GED: SourceId = SourceId("ucdp-ged");
    pub const OWID_CONFLICT_DEATHS: SourceId = SourceId("owid-conflict-deaths");
    pub const VIEWS_CM: SourceId = SourceId("views-cm");
    pub const WORLDBANK_WDI: SourceId = SourceId("worldbank-wdi");
    pub const POLITY5: SourceId = SourceId("polity5");
    pub const GCB2019: SourceId = SourceId("gcb2019");
    pub const EDGAR_CO2: SourceId = SourceId("edgar-co2");
    pub const CDIAC: SourceId = SourceId("cdiac");
    pub const GDELT: SourceId = SourceId("gdelt");
    pub const COUNTRYGROUPS: SourceId = SourceId("countrygroups");
    pub const NATURAL_EARTH: SourceId = SourceId("natural-earth");
    pub const NDC: SourceId = SourceId("ndc");
    pub const UNFCCC: SourceId = SourceId("unfccc");
    pub const OPENFLIGHTS: SourceId = SourceId("openflights");
    /// UN General Assembly roll calls and votes (Voeten, Strezhnev & Bailey).
    pub const UNVOTES: SourceId = SourceId("unvotes");
    /// Voeten's published UN General Assembly ideal points.
    pub const UN_IDEAL_POINTS: SourceId = SourceId("un-ideal-points");
    /// UNHCR refugee population statistics and IDMC conflict IDPs.
    pub const DISPLACEMENT: SourceId = SourceId("displacement");
    /// Economic sanctions: the Global Sanctions Data Base (release 3) and TIES 4.1.
    pub const SANCTIONS: SourceId = SourceId("sanctions");
    /// Trade: the WTO/UNCTAD Advanced Guide's gravity panel, WITS 2009 bilateral totals and
    /// CEPII GeoDist distances.
    pub const TRADE: SourceId = SourceId("trade");
    /// SDSN's Sustainable Development Report: the SDG Index 2000-2022 and the SDR 2023 table.
    pub const SDG: SourceId = SourceId("sdg");
    /// JRC's INFORM Risk Index 2025 (v0.7.0) and its country-region table.
    pub const INFORM: SourceId = SourceId("inform");
    /// The United Nations General Debate Corpus (speeches 1946-2024 and their speakers).
    pub const UNGDC: SourceId = SourceId("ungdc");
    /// Night lights: NASA Black Marble VNP46A4 annual composites summed per country and region.
    pub const NIGHT_LIGHTS: SourceId = SourceId("night-lights");
    /// Gas flaring: the World Bank GGFR's VIIRS flared-gas volumes per country and year.
    pub const GAS_FLARING: SourceId = SourceId("gas-flaring");
    /// GoodNewsEveryone: news headlines labelled with emotions (the check of speech tone).
    pub const GOOD_NEWS_EVERYONE: SourceId = SourceId("good-news-everyone");

    /// Every source, in the order `attache sources` lists them.
    pub const ALL: [SourceId; 28] = [
        Self::CROSSWALK,
        Self::UCDP_ACD,
        Self::UCDP_BRD,
        Self::UCDP_GED,
        Self::OWID_CONFLICT_DEATHS,
        Self::VIEWS_CM,
        Self::WORLDBANK_WDI,
        Self::POLITY5,
        Self::GCB2019,
        Self::EDGAR_CO2,
        Self::CDIAC,
        Self::GDELT,
        Self::COUNTRYGROUPS,
        Self::NATURAL_EARTH,
        Self::NDC,
        Self::UNFCCC,
        Self::OPENFLIGHTS,
        Self::UNVOTES,
        Self::UN_IDEAL_POINTS,
        Self::DISPLACEMENT,
        Self::SANCTIONS,
        Self::TRADE,
        Self::SDG,
        Self::INFORM,
        Self::UNGDC,
        Self::NIGHT_LIGHTS,
        Self::GAS_FLARING,
        Self::GOOD_NEWS_EVERYONE,
    ];

    /// The id as written in lockfiles and on the command line.
    pub const fn as_str(self) -> &'static str {
        self.0
    }

    /// The source a user named (`--only cdiac`), if there is one.
    pub fn parse(s: &str) -> Option<SourceId> {
        Self::ALL.into_iter().find(|id| id.0 == s)
    }
}

impl fmt::Display for SourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl PartialEq<str> for SourceId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for SourceId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for SourceId {
    fn eq(&self, other: &String) -> bool {
        self.0 == other.as_str()
    }
}

impl PartialEq<SourceId> for String {
    fn eq(&self, other: &SourceId) -> bool {
        self.as_str() == other.0
    }
}

impl PartialEq<SourceId> for &String {
    fn eq(&self, other: &SourceId) -> bool {
        self.as_str() == other.0
    }
}

impl From<SourceId> for String {
    fn from(id: SourceId) -> String {
        id.0.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_parse_back() {
        let mut seen = std::collections::BTreeSet::new();
        for id in SourceId::ALL {
            assert!(seen.insert(id.as_str()), "{id} twice");
            assert_eq!(SourceId::parse(id.as_str()), Some(id));
        }
        assert_eq!(SourceId::parse("reference"), None);
    }
}

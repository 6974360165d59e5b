//! The as-of data a forecast may use: one row per (country, month) up to `as_of`, optional
//! annual battle-death history per country and optional land neighbours.
//!
//! The panel is built by the caller (the CLI reads it from the store); this module does no IO.
//! Rows dated after `as_of` are refused with [`ForecastError::AfterAsOf`] and never stored, so
//! nothing downstream can see data that was not public at the forecast origin.

use std::collections::BTreeMap;

use attache_core::MonthId;

use crate::ForecastError;

/// One pushed country-month.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PanelRow {
    /// (ged_sb, ged_ns, ged_os) as public at `as_of`.
    pub ged: [Option<f64>; 3],
    /// Features in `feature_names` order, NaN = missing.
    pub features: Vec<f64>,
}

/// As-of data for a forecast (see the module documentation).
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    as_of: MonthId,
    feature_names: Vec<String>,
    /// Keyed by (ViEWS id, raw month id): the raw id is the index arithmetic's, inside the crate.
    rows: BTreeMap<(u16, i32), PanelRow>,
    iso3: BTreeMap<u16, String>,
    annual: BTreeMap<String, BTreeMap<i32, f64>>,
    conflict_years: BTreeMap<String, std::collections::BTreeSet<i32>>,
    neighbours: BTreeMap<u16, Vec<u16>>,
}

impl Panel {
    /// An empty panel whose last month with data is `as_of` and whose rows carry the features
    /// `feature_names` (ViEWS `cm_features` column names are recognised by name, see
    /// [`crate::features`]; unknown names are ignored by the model).
    pub fn new(as_of: MonthId, feature_names: Vec<String>) -> Panel {
        Panel {
            as_of,
            feature_names,
            rows: BTreeMap::new(),
            iso3: BTreeMap::new(),
            annual: BTreeMap::new(),
            conflict_years: BTreeMap::new(),
            neighbours: BTreeMap::new(),
        }
    }

    /// Add the row of one (country, month) with `month_id <= as_of`; `ged` = (ged_sb, ged_ns,
    /// ged_os) as public at `as_of`; `features` in `feature_names` order (NaN = missing).
    ///
    /// # Errors
    /// [`ForecastError::AfterAsOf`] for a month after `as_of` (the row is not stored),
    /// [`ForecastError::FeatureCount`] for a feature vector of the wrong length,
    /// [`ForecastError::Duplicate`] for a (country, month) already present.
    pub fn push(
        &mut self,
        views_id: u16,
        iso3: &str,
        month_id: MonthId,
        ged: [Option<f64>; 3],
        features: &[f64],
    ) -> Result<(), ForecastError> {
        if month_id > self.as_of {
            return Err(ForecastError::AfterAsOf {
                views_id,
                month_id,
                as_of: self.as_of,
            });
        }
        if features.len() != self.feature_names.len() {
            return Err(ForecastError::FeatureCount {
                views_id,
                month_id,
                got: features.len(),
                expected: self.feature_names.len(),
            });
        }
        if self.rows.contains_key(&(views_id, month_id.0)) {
            return Err(ForecastError::Duplicate { views_id, month_id });
        }
        let ged = ged.map(|g| g.filter(|v| v.is_finite()).map(|v| v.max(0.0).round()));
        self.rows.insert(
            (views_id, month_id.0),
            PanelRow {
                ged,
                features: features.to_vec(),
            },
        );
        self.iso3
            .entry(views_id)
            .or_insert_with(|| iso3.to_string());
        Ok(())
    }

    /// Add annual battle deaths of a country-year (already filtered by publication lag by the
    /// caller). Pushing the same (iso3, year) again adds to it (e.g. one push per dyad).
    pub fn push_annual(&mut self, iso3: &str, year: i32, deaths: f64) {
        if deaths.is_finite() && deaths >= 0.0 {
            *self
                .annual
                .entry(iso3.to_string())
                .or_default()
                .entry(year)
                .or_insert(0.0) += deaths;
        }
    }

    /// Record that a state-based conflict (UCDP/PRIO ACD: at least 25 battle deaths in the
    /// year) was located in the country in `year` (already filtered by publication lag by the
    /// caller). The ACD reaches back to 1946, long before the battle-death series.
    pub fn push_conflict_year(&mut self, iso3: &str, year: i32) {
        self.conflict_years
            .entry(iso3.to_string())
            .or_default()
            .insert(year);
    }

    /// Set the land neighbours (ViEWS ids) of a country.
    pub fn set_neighbours(&mut self, views_id: u16, mut neighbours: Vec<u16>) {
        neighbours.sort_unstable();
        neighbours.dedup();
        neighbours.retain(|&n| n != views_id);
        self.neighbours.insert(views_id, neighbours);
    }

    /// The panel as it stood at an earlier origin `as_of` (for rolling-origin validation): rows
    /// up to `as_of`, annual data of the years published by then (UCDP's June-of-the-next-year
    /// rule, as [`crate::features`] applies it), the same neighbours.
    pub fn truncated(&self, as_of: MonthId) -> Panel {
        let as_of = as_of.min(self.as_of);
        let published = |y: i32| MonthId::after_year(y, 6) <= as_of;
        let rows: BTreeMap<(u16, i32), PanelRow> = self
            .rows
            .iter()
            .filter(|((_, m), _)| *m <= as_of.0)
            .map(|(k, r)| (*k, r.clone()))
            .collect();
        let ids: std::collections::BTreeSet<u16> = rows.keys().map(|k| k.0).collect();
        Panel {
            as_of,
            feature_names: self.feature_names.clone(),
            rows,
            iso3: self
                .iso3
                .iter()
                .filter(|(id, _)| ids.contains(id))
                .map(|(id, s)| (*id, s.clone()))
                .collect(),
            annual: self
                .annual
                .iter()
                .map(|(k, m)| {
                    let m = m
                        .iter()
                        .filter(|(y, _)| published(**y))
                        .map(|(y, d)| (*y, *d))
                        .collect();
                    (k.clone(), m)
                })
                .collect(),
            conflict_years: self
                .conflict_years
                .iter()
                .map(|(k, s)| {
                    (
                        k.clone(),
                        s.iter().copied().filter(|y| published(*y)).collect(),
                    )
                })
                .collect(),
            neighbours: self.neighbours.clone(),
        }
    }

    /// Last month with data.
    pub fn as_of(&self) -> MonthId {
        self.as_of
    }

    /// Feature names, in row order.
    pub fn feature_names(&self) -> &[String] {
        &self.feature_names
    }

    /// Countries with at least one row, ascending ViEWS id.
    pub fn countries(&self) -> Vec<u16> {
        self.iso3.keys().copied().collect()
    }

    /// ISO3 code of a country ("" if unknown).
    pub fn iso3(&self, views_id: u16) -> &str {
        self.iso3.get(&views_id).map(String::as_str).unwrap_or("")
    }

    /// Number of stored rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether no row is stored.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Observed `ged_sb` of a country, oldest month first, as (month, value) for the months
    /// whose row has a value.
    pub fn ged_sb_history(&self, views_id: u16) -> Vec<(MonthId, f64)> {
        self.rows
            .range((views_id, i32::MIN)..=(views_id, self.as_of.0))
            .filter_map(|(&(_, m), r)| r.ged[0].map(|v| (MonthId(m), v)))
            .collect()
    }

    pub(crate) fn rows_of(&self, views_id: u16) -> impl Iterator<Item = (i32, &PanelRow)> + '_ {
        // `push` never stores a row after as_of; the range bound makes that explicit.
        self.rows
            .range((views_id, i32::MIN)..=(views_id, self.as_of.0))
            .map(|(&(_, m), r)| (m, r))
    }

    pub(crate) fn row(&self, views_id: u16, month_id: i32) -> Option<&PanelRow> {
        if month_id > self.as_of.0 {
            return None;
        }
        self.rows.get(&(views_id, month_id))
    }

    pub(crate) fn annual_of(&self, iso3: &str) -> Option<&BTreeMap<i32, f64>> {
        self.annual.get(iso3)
    }

    pub(crate) fn has_annual(&self) -> bool {
        !self.annual.is_empty() || !self.conflict_years.is_empty()
    }

    /// Whether `iso3` had a conflict year in `year`: an ACD conflict located there, or at
    /// least 25 battle deaths in the annual series.
    pub(crate) fn conflict_in(&self, iso3: &str, year: i32) -> bool {
        self.conflict_years
            .get(iso3)
            .is_some_and(|s| s.contains(&year))
            || self
                .annual
                .get(iso3)
                .and_then(|a| a.get(&year))
                .is_some_and(|d| *d >= 25.0)
    }

    /// First and last year of the annual data (ACD and battle deaths), if any.
    pub(crate) fn annual_span(&self) -> Option<(i32, i32)> {
        let years = self
            .annual
            .values()
            .flat_map(|m| m.keys().copied())
            .chain(self.conflict_years.values().flat_map(|s| s.iter().copied()));
        years.fold(None, |acc, y| match acc {
            None => Some((y, y)),
            Some((a, b)) => Some((a.min(y), b.max(y))),
        })
    }

    pub(crate) fn neighbours_of(&self, views_id: u16) -> Option<&[u16]> {
        self.neighbours.get(&views_id).map(Vec::as_slice)
    }

    pub(crate) fn feature_index(&self, name: &str) -> Option<usize> {
        self.feature_names.iter().position(|n| n == name)
    }
}

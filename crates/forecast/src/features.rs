//! Model inputs engineered from a [`Panel`]: conflict history (levels, rolling sums, recency,
//! other violence types), neighbours' conflict, structure (population, GDP, infant mortality,
//! V-Dem), long annual history and the forecast horizon.
//!
//! Every feature of country `c` at month `t` uses only data dated `<= t` (and annual years that
//! were published by `t`), so a training pair (features at `t`, outcome at `t + h`) mimics a
//! real forecast made at `t`. ViEWS `cm_features` columns are found by name; a panel without one
//! of them is refused ([`missing_columns`]); missing *values* are NaN, which the boosted trees
//! route as missing.
//!
//! The monthly `ged_sb` series of a country is rebuilt from the panel rows and, before the
//! first row, from the `ged_sb_tlag_1..6` columns (so a 12-month panel yields 18 months of
//! history).

use std::collections::BTreeMap;

use crate::panel::Panel;

/// How a feature's value is shown to a reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Display {
    /// Stored as `ln(1 + x)`: shown as the count `x`.
    Log1p,
    /// Stored as `ln(x)`: shown as `x`.
    Ln,
    /// Shown as stored.
    Raw,
    /// A share of 12 months: shown as a number of months.
    Months12,
    /// ViEWS's decay `2^(-months / 12)` of the months since an event: shown as those months
    /// (unknown when the event never happened in the data).
    Decay12,
}

/// One engineered feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeatureSpec {
    /// Stable machine name.
    pub name: &'static str,
    /// Words for a reader ("fatalities in the last 3 months").
    pub label: &'static str,
    /// How to show its value.
    pub display: Display,
}

impl FeatureSpec {
    /// The stored value turned back into the unit a reader knows.
    pub fn display_value(&self, v: f64) -> f64 {
        match self.display {
            Display::Log1p => libm::expm1(v),
            Display::Ln => libm::exp(v),
            Display::Raw => v,
            Display::Months12 => v * 12.0,
            Display::Decay12 => {
                if v > 0.0 {
                    -12.0 * libm::log2(v)
                } else {
                    f64::NAN
                }
            }
        }
    }
}

const fn spec(name: &'static str, label: &'static str, display: Display) -> FeatureSpec {
    FeatureSpec {
        name,
        label,
        display,
    }
}

/// Pass-through ViEWS columns: (column, transform is ln1p / ln / raw, spec).
const PASS: &[(&str, Tr, FeatureSpec)] = &[
    (
        "ged_sb_tsum_24",
        Tr::Log1p,
        spec(
            "sb_tsum24",
            "state-based fatalities in the last 24 months",
            Display::Log1p,
        ),
    ),
    (
        "decay_ged_sb_5",
        Tr::Raw,
        spec(
            "decay_sb_5",
            "months since the last month with 5+ state-based fatalities",
            Display::Decay12,
        ),
    ),
    (
        "decay_ged_sb_100",
        Tr::Raw,
        spec(
            "decay_sb_100",
            "months since the last month with 100+ state-based fatalities",
            Display::Decay12,
        ),
    ),
    (
        "decay_ged_sb_500",
        Tr::Raw,
        spec(
            "decay_sb_500",
            "months since the last month with 500+ state-based fatalities",
            Display::Decay12,
        ),
    ),
    (
        "decay_ged_ns_5",
        Tr::Raw,
        spec(
            "decay_ns_5",
            "months since the last month with 5+ non-state fatalities",
            Display::Decay12,
        ),
    ),
    (
        "decay_ged_os_5",
        Tr::Raw,
        spec(
            "decay_os_5",
            "months since the last month with 5+ one-sided-violence fatalities",
            Display::Decay12,
        ),
    ),
    (
        "decay_acled_sb_5",
        Tr::Raw,
        spec(
            "decay_acled_sb_5",
            "months since the last month with 5+ ACLED battle fatalities",
            Display::Decay12,
        ),
    ),
    (
        "acled_sb",
        Tr::Log1p,
        spec(
            "acled_sb",
            "ACLED battle fatalities last month",
            Display::Log1p,
        ),
    ),
    (
        "acled_sb_count",
        Tr::Log1p,
        spec(
            "acled_sb_count",
            "ACLED battle events last month",
            Display::Log1p,
        ),
    ),
    (
        "acled_os",
        Tr::Log1p,
        spec(
            "acled_os",
            "ACLED violence against civilians last month",
            Display::Log1p,
        ),
    ),
    (
        "splag_1_decay_ged_sb_5",
        Tr::Raw,
        spec(
            "nb_decay_sb_5",
            "recent state-based conflict in neighbouring countries",
            Display::Raw,
        ),
    ),
    (
        "splag_1_decay_ged_os_5",
        Tr::Raw,
        spec(
            "nb_decay_os_5",
            "recent one-sided violence in neighbouring countries",
            Display::Raw,
        ),
    ),
    (
        "splag_1_decay_ged_ns_5",
        Tr::Raw,
        spec(
            "nb_decay_ns_5",
            "recent non-state conflict in neighbouring countries",
            Display::Raw,
        ),
    ),
    (
        "wdi_sp_pop_totl",
        Tr::Ln,
        spec("population", "population", Display::Ln),
    ),
    (
        "wdi_ny_gdp_pcap_kd",
        Tr::Ln,
        spec("gdp_pc", "GDP per capita (constant USD)", Display::Ln),
    ),
    (
        "wdi_sp_dyn_imrt_in",
        Tr::Raw,
        spec(
            "infant_mortality",
            "infant mortality (per 1000 births)",
            Display::Raw,
        ),
    ),
    (
        "vdem_v2x_libdem",
        Tr::Raw,
        spec("vdem_libdem", "liberal democracy index", Display::Raw),
    ),
    (
        "polity2",
        Tr::Raw,
        spec(
            "polity2",
            "regime type (Polity5 polity2, -10 autocracy to +10 democracy)",
            Display::Raw,
        ),
    ),
    (
        "vdem_v2x_civlib",
        Tr::Raw,
        spec("vdem_civlib", "civil liberties index", Display::Raw),
    ),
    (
        "vdem_v2x_clphy",
        Tr::Raw,
        spec(
            "vdem_clphy",
            "physical integrity rights index",
            Display::Raw,
        ),
    ),
    (
        "vdem_v2x_rule",
        Tr::Raw,
        spec("vdem_rule", "rule of law index", Display::Raw),
    ),
    (
        "vdem_v2xpe_exlsocgr",
        Tr::Raw,
        spec(
            "vdem_exclusion",
            "political exclusion of social groups",
            Display::Raw,
        ),
    ),
];

#[derive(Debug, Clone, Copy)]
enum Tr {
    Log1p,
    Ln,
    Raw,
}

/// Features computed from the rebuilt monthly series (before the pass-through ones).
const HIST: &[FeatureSpec] = &[
    spec(
        "sb_last",
        "state-based fatalities last month",
        Display::Log1p,
    ),
    spec(
        "sb_sum3",
        "state-based fatalities in the last 3 months",
        Display::Log1p,
    ),
    spec(
        "sb_sum6",
        "state-based fatalities in the last 6 months",
        Display::Log1p,
    ),
    spec(
        "sb_sum12",
        "state-based fatalities in the last 12 months",
        Display::Log1p,
    ),
    spec(
        "sb_max12",
        "state-based fatalities in the worst month of the last 12",
        Display::Log1p,
    ),
    spec(
        "sb_share12",
        "months with state-based fatalities in the last 12",
        Display::Months12,
    ),
    spec(
        "sb_trend",
        "change in fatalities (last 3 months vs the 3 before)",
        Display::Raw,
    ),
    spec(
        "ns_sum3",
        "non-state conflict fatalities in the last 3 months",
        Display::Log1p,
    ),
    spec(
        "ns_sum12",
        "non-state conflict fatalities in the last 12 months",
        Display::Log1p,
    ),
    spec(
        "os_sum3",
        "one-sided violence fatalities in the last 3 months",
        Display::Log1p,
    ),
    spec(
        "os_sum12",
        "one-sided violence fatalities in the last 12 months",
        Display::Log1p,
    ),
    spec(
        "nb_sb_sum12",
        "state-based fatalities in neighbouring countries in the last 12 months",
        Display::Log1p,
    ),
];

/// Annual-history features (after the pass-through ones).
const ANNUAL: &[FeatureSpec] = &[
    spec(
        "ann_last",
        "battle deaths in the last published year",
        Display::Log1p,
    ),
    spec(
        "ann_max10",
        "battle deaths in the worst year of the last ten",
        Display::Log1p,
    ),
    spec(
        "ann_years_since_25",
        "years since the last year with 25+ battle deaths",
        Display::Raw,
    ),
    spec(
        "ann_onset_logit",
        "conflict risk from the country's and its neighbours' conflict history since 1946",
        Display::Raw,
    ),
];

/// The horizon feature (last).
const HORIZON: FeatureSpec = spec("horizon", "months ahead", Display::Raw);

/// All engineered features in model-column order.
pub fn feature_specs() -> Vec<FeatureSpec> {
    let mut v: Vec<FeatureSpec> = HIST.to_vec();
    v.extend(PASS.iter().map(|p| p.2));
    v.extend_from_slice(ANNUAL);
    v.push(HORIZON);
    v
}

/// Number of model columns.
pub fn n_features() -> usize {
    HIST.len() + PASS.len() + ANNUAL.len() + 1
}

/// Index of the horizon column.
pub fn horizon_index() -> usize {
    n_features() - 1
}

/// The ViEWS `cm_features` columns the model reads: a panel without one of them is refused
/// ([`missing_columns`]) rather than read as all-missing. (`polity2` comes from its own source,
/// Polity5, which a vintage may lack: the caller pushes it, NaN when absent.)
pub fn expected_columns() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = PASS
        .iter()
        .map(|p| p.0)
        .filter(|c| *c != "polity2")
        .collect();
    v.extend([
        "ged_sb_tlag_1",
        "ged_sb_tlag_2",
        "ged_sb_tlag_3",
        "ged_sb_tlag_4",
        "ged_sb_tlag_5",
        "ged_sb_tlag_6",
        "ged_os_tlag_1",
    ]);
    v
}

/// The expected columns ([`expected_columns`]) that the panel lacks.
pub fn missing_columns(panel: &Panel) -> Vec<String> {
    expected_columns()
        .into_iter()
        .filter(|c| panel.feature_index(c).is_none())
        .map(str::to_string)
        .collect()
}

/// Index of `sb_max12` (stored as `ln(1 + worst month of the last 12)`) in the base features.
pub(crate) const WORST12_INDEX: usize = 4;

/// Index of `sb_share12` (share of the last 12 months with state-based deaths).
pub(crate) const SHARE12_INDEX: usize = 5;

/// Cap of `ann_years_since_25`.
const YEARS_CAP: f64 = 40.0;

/// Monthly series of one country, rebuilt from the panel.
#[derive(Debug, Clone)]
pub(crate) struct CountryHist {
    /// Month of index 0.
    pub start: i32,
    /// ged_sb / ged_ns / ged_os by month (NaN = unknown), up to as_of.
    pub sb: Vec<f64>,
    pub ns: Vec<f64>,
    pub os: Vec<f64>,
    /// Months with a panel row.
    pub row_months: Vec<i32>,
}

impl CountryHist {
    /// Value of a series at month `m` (NaN if unknown).
    pub fn at(series: &[f64], start: i32, m: i32) -> f64 {
        if m < start {
            return f64::NAN;
        }
        series
            .get((m - start) as usize)
            .copied()
            .unwrap_or(f64::NAN)
    }

    pub fn sb_at(&self, m: i32) -> f64 {
        Self::at(&self.sb, self.start, m)
    }

    /// The last month (<= `t`) with a known ged_sb, if any.
    pub fn last_known(&self, t: i32) -> Option<i32> {
        (self.start..=t).rev().find(|&m| self.sb_at(m).is_finite())
    }
}

/// All countries' histories plus the pass-through column indices.
#[derive(Debug, Clone)]
pub(crate) struct Histories {
    pub hists: BTreeMap<u16, CountryHist>,
    pass_idx: Vec<Option<usize>>,
    /// The annual onset hazard fitted on the panel's annual history.
    pub onset: Option<crate::onset::AnnualOnset>,
}

/// Window statistics of the last `k` months up to `t` (inclusive): (sum scaled to `k` months,
/// max, share of positive months, months known). NaN when nothing is known.
fn window(series: &[f64], start: i32, t: i32, k: i32) -> (f64, f64, f64, usize) {
    let mut sum = 0.0;
    let mut max: f64 = 0.0;
    let mut pos = 0usize;
    let mut n = 0usize;
    for m in (t - k + 1)..=t {
        let v = CountryHist::at(series, start, m);
        if v.is_finite() {
            sum += v;
            max = max.max(v);
            n += 1;
            if v > 0.0 {
                pos += 1;
            }
        }
    }
    if n == 0 {
        return (f64::NAN, f64::NAN, f64::NAN, 0);
    }
    (sum * k as f64 / n as f64, max, pos as f64 / n as f64, n)
}

impl Histories {
    pub fn build(panel: &Panel) -> Histories {
        let lag_idx: Vec<(i32, usize)> = (1..=6)
            .filter_map(|k| {
                panel
                    .feature_index(&format!("ged_sb_tlag_{k}"))
                    .map(|i| (k, i))
            })
            .collect();
        let os_lag = panel.feature_index("ged_os_tlag_1");
        let mut hists = BTreeMap::new();
        for id in panel.countries() {
            let rows: Vec<(i32, &crate::panel::PanelRow)> = panel.rows_of(id).collect();
            let Some(first) = rows.first().map(|r| r.0) else {
                continue;
            };
            let start = first - 6;
            let len = (panel.as_of().0 - start + 1).max(0) as usize;
            let mut sb = vec![f64::NAN; len];
            let mut ns = vec![f64::NAN; len];
            let mut os = vec![f64::NAN; len];
            let mut row_months = Vec::with_capacity(rows.len());
            for &(m, r) in &rows {
                let i = (m - start) as usize;
                row_months.push(m);
                if let Some(v) = r.ged[0] {
                    sb[i] = v;
                }
                if let Some(v) = r.ged[1] {
                    ns[i] = v;
                }
                if let Some(v) = r.ged[2] {
                    os[i] = v;
                }
            }
            // Back-fill from lag columns where the month itself has no value.
            for &(m, r) in &rows {
                for &(k, j) in &lag_idx {
                    let v = r.features[j];
                    let mm = m - k;
                    if v.is_finite() && mm >= start {
                        let i = (mm - start) as usize;
                        if sb[i].is_nan() {
                            sb[i] = v.max(0.0).round();
                        }
                    }
                }
                if let Some(j) = os_lag {
                    let v = r.features[j];
                    let mm = m - 1;
                    if v.is_finite() && mm >= start {
                        let i = (mm - start) as usize;
                        if os[i].is_nan() {
                            os[i] = v.max(0.0).round();
                        }
                    }
                }
            }
            hists.insert(
                id,
                CountryHist {
                    start,
                    sb,
                    ns,
                    os,
                    row_months,
                },
            );
        }
        let pass_idx = PASS.iter().map(|p| panel.feature_index(p.0)).collect();
        let onset = crate::onset::AnnualOnset::fit(panel);
        Histories {
            hists,
            pass_idx,
            onset,
        }
    }

    /// Features of country `id` at month `t` without the horizon (length `n_features() - 1`),
    /// or `None` when the country has no row at `t`.
    pub fn base_features(&self, panel: &Panel, id: u16, t: i32) -> Option<Vec<f64>> {
        let h = self.hists.get(&id)?;
        let row = panel.row(id, t)?;
        let mut f = Vec::with_capacity(n_features());
        let (s3, _, _, _) = window(&h.sb, h.start, t, 3);
        let (s3b, _, _, _) = window(&h.sb, h.start, t - 3, 3);
        let (s6, _, _, _) = window(&h.sb, h.start, t, 6);
        let (s12, m12, p12, _) = window(&h.sb, h.start, t, 12);
        f.push(libm::log1p(h.sb_at(t)));
        f.push(libm::log1p(s3));
        f.push(libm::log1p(s6));
        f.push(libm::log1p(s12));
        f.push(libm::log1p(m12));
        f.push(p12);
        f.push(libm::log1p(s3) - libm::log1p(s3b));
        for series in [&h.ns, &h.os] {
            let (a3, _, _, _) = window(series, h.start, t, 3);
            let (a12, _, _, _) = window(series, h.start, t, 12);
            f.push(libm::log1p(a3));
            f.push(libm::log1p(a12));
        }
        // Neighbours.
        let nb = match panel.neighbours_of(id) {
            Some(list) => {
                let mut tot = 0.0;
                for n in list {
                    if let Some(nh) = self.hists.get(n) {
                        let (s, _, _, _) = window(&nh.sb, nh.start, t, 12);
                        if s.is_finite() {
                            tot += s;
                        }
                    }
                }
                libm::log1p(tot)
            }
            None => f64::NAN,
        };
        f.push(nb);
        // Pass-through.
        for (p, idx) in PASS.iter().zip(&self.pass_idx) {
            let v = idx.map(|i| row.features[i]).unwrap_or(f64::NAN);
            let v = match p.1 {
                Tr::Log1p => libm::log1p(v.max(0.0)),
                Tr::Ln => {
                    if v > 0.0 {
                        libm::log(v)
                    } else {
                        f64::NAN
                    }
                }
                Tr::Raw => v,
            };
            f.push(if v.is_finite() { v } else { f64::NAN });
        }
        // Annual history published by t (year Y is public in June of Y + 1).
        if panel.has_annual() {
            let year = (t - 1).div_euclid(12) + 1980;
            let moy = (t - 1).rem_euclid(12) + 1;
            let last_year = if moy >= 6 { year - 1 } else { year - 2 };
            let empty = BTreeMap::new();
            let ann = panel.annual_of(panel.iso3(id)).unwrap_or(&empty);
            let get = |y: i32| ann.get(&y).copied().unwrap_or(0.0);
            f.push(libm::log1p(get(last_year)));
            let max10 = (last_year - 9..=last_year).map(get).fold(0.0, f64::max);
            f.push(libm::log1p(max10));
            let since = ann
                .range(..=last_year)
                .rev()
                .find(|(_, d)| **d >= 25.0)
                .map(|(y, _)| f64::from(last_year - y).min(YEARS_CAP))
                .unwrap_or(YEARS_CAP);
            f.push(since);
            f.push(
                self.onset
                    .as_ref()
                    .map_or(f64::NAN, |o| o.logit(panel, id, last_year)),
            );
        } else {
            f.extend([f64::NAN; 4]);
        }
        debug_assert_eq!(f.len(), n_features() - 1);
        Some(f)
    }
}

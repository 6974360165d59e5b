//! RCMIP emissions tables (Nicholls et al. 2020, v5.1.0, IAMC wide format) and their
//! conversion to FaIR's 40-column layout, a port of FaIR 1.6.4's SSP helper
//! (`fair/SSPs/_shared.py`, `load_emissions_data`).
//!
//! The table has one row per (model, scenario, region, variable) with the columns `Model,
//! Scenario, Region, Variable, Unit, Mip_Era, Activity_Id` followed by one column per year
//! (1750..=2500); years without a value are empty cells (after 2015 the SSPs are given
//! every ten years). As FaIR does, each series is taken from `start_year` on, gaps are
//! filled by linear interpolation between the neighbouring values and trailing gaps hold
//! the last value; leading gaps are an error here (FaIR would leave NaN).
//!
//! Unit conversions are FaIR's, verbatim: CO2 Mt CO2 → GtC (`* C/CO2 / 1000`), SO2 → S,
//! NOx (as NO2) → N, N2O kt → Mt (FaIR 1.6.4 passes Mt N2O where its RCP layout expects
//! Mt N2O-N; we keep this so that results match `fair.SSPs`, see docs/CLIMATE_METHOD.md).
//! Every unit string is checked against the one FaIR assumes.

use crate::ClimateError;
use crate::constants::{MW_C, MW_N};
use crate::emissions::{Emissions, NCOLS};

const MW_CO2: f64 = 44.01;
const MW_S: f64 = 32.065;
const MW_SO2: f64 = 64.066;
const MW_NO2: f64 = 46.0055;

/// Number of identifier columns before the year columns.
const ID_COLS: usize = 7;
const ID_HEADER: [&str; ID_COLS] = [
    "Model",
    "Scenario",
    "Region",
    "Variable",
    "Unit",
    "Mip_Era",
    "Activity_Id",
];

/// The RCMIP variable, its unit and the factor to FaIR's unit, for columns 1..=39.
pub const VARIABLES: [(&str, &str, f64); NCOLS - 1] = [
    (
        "Emissions|CO2|MAGICC Fossil and Industrial",
        "Mt CO2/yr",
        MW_C / MW_CO2 / 1000.0,
    ),
    (
        "Emissions|CO2|MAGICC AFOLU",
        "Mt CO2/yr",
        MW_C / MW_CO2 / 1000.0,
    ),
    ("Emissions|CH4", "Mt CH4/yr", 1.0),
    ("Emissions|N2O", "kt N2O/yr", 1.0 / 1000.0),
    ("Emissions|Sulfur", "Mt SO2/yr", MW_S / MW_SO2),
    ("Emissions|CO", "Mt CO/yr", 1.0),
    ("Emissions|VOC", "Mt VOC/yr", 1.0),
    ("Emissions|NOx", "Mt NOx/yr", MW_N / MW_NO2),
    ("Emissions|BC", "Mt BC/yr", 1.0),
    ("Emissions|OC", "Mt OC/yr", 1.0),
    ("Emissions|NH3", "Mt NH3/yr", 1.0),
    ("Emissions|F-Gases|PFC|CF4", "kt CF4/yr", 1.0),
    ("Emissions|F-Gases|PFC|C2F6", "kt C2F6/yr", 1.0),
    ("Emissions|F-Gases|PFC|C6F14", "kt C6F14/yr", 1.0),
    ("Emissions|F-Gases|HFC|HFC23", "kt HFC23/yr", 1.0),
    ("Emissions|F-Gases|HFC|HFC32", "kt HFC32/yr", 1.0),
    ("Emissions|F-Gases|HFC|HFC4310mee", "kt HFC4310mee/yr", 1.0),
    ("Emissions|F-Gases|HFC|HFC125", "kt HFC125/yr", 1.0),
    ("Emissions|F-Gases|HFC|HFC134a", "kt HFC134a/yr", 1.0),
    ("Emissions|F-Gases|HFC|HFC143a", "kt HFC143a/yr", 1.0),
    ("Emissions|F-Gases|HFC|HFC227ea", "kt HFC227ea/yr", 1.0),
    ("Emissions|F-Gases|HFC|HFC245fa", "kt HFC245fa/yr", 1.0),
    ("Emissions|F-Gases|SF6", "kt SF6/yr", 1.0),
    ("Emissions|Montreal Gases|CFC|CFC11", "kt CFC11/yr", 1.0),
    ("Emissions|Montreal Gases|CFC|CFC12", "kt CFC12/yr", 1.0),
    ("Emissions|Montreal Gases|CFC|CFC113", "kt CFC113/yr", 1.0),
    ("Emissions|Montreal Gases|CFC|CFC114", "kt CFC114/yr", 1.0),
    ("Emissions|Montreal Gases|CFC|CFC115", "kt CFC115/yr", 1.0),
    ("Emissions|Montreal Gases|CCl4", "kt CCl4/yr", 1.0),
    ("Emissions|Montreal Gases|CH3CCl3", "kt CH3CCl3/yr", 1.0),
    ("Emissions|Montreal Gases|HCFC22", "kt HCFC22/yr", 1.0),
    ("Emissions|Montreal Gases|HCFC141b", "kt HCFC141b/yr", 1.0),
    ("Emissions|Montreal Gases|HCFC142b", "kt HCFC142b/yr", 1.0),
    ("Emissions|Montreal Gases|Halon1211", "kt Halon1211/yr", 1.0),
    ("Emissions|Montreal Gases|Halon1202", "kt Halon1202/yr", 1.0),
    ("Emissions|Montreal Gases|Halon1301", "kt Halon1301/yr", 1.0),
    ("Emissions|Montreal Gases|Halon2402", "kt Halon2402/yr", 1.0),
    ("Emissions|Montreal Gases|CH3Br", "kt CH3Br/yr", 1.0),
    ("Emissions|Montreal Gases|CH3Cl", "kt CH3Cl/yr", 1.0),
];

/// Fossil CH4 (for the oxidised-methane CO2 source) and aviation NOx (for contrails).
pub const FRACTION_VARIABLES: [(&str, &str); 2] = [
    ("Emissions|CH4|MAGICC Fossil and Industrial", "Mt CH4/yr"),
    (
        "Emissions|NOx|MAGICC Fossil and Industrial|Aircraft",
        "Mt NOx/yr",
    ),
];

/// One series of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct RcmipRow {
    /// Integrated assessment model.
    pub model: String,
    /// Scenario name (`ssp245`, ...).
    pub scenario: String,
    /// Region (`World`).
    pub region: String,
    /// IAMC variable (`Emissions|CH4`).
    pub variable: String,
    /// Unit string.
    pub unit: String,
    /// 1-based line of the row in the input, for error messages.
    pub line: usize,
    /// One value per year of the header; `None` for an empty cell.
    pub values: Vec<Option<f64>>,
}

/// A parsed RCMIP wide table.
#[derive(Debug, Clone, PartialEq)]
pub struct RcmipTable {
    years: Vec<i32>,
    rows: Vec<RcmipRow>,
}

/// Splits a CSV line without quotes (RCMIP cells never contain commas or quotes; a quote
/// is rejected so that a change of format fails loudly).
fn cells(line: &str, lineno: usize) -> Result<Vec<&str>, ClimateError> {
    if let Some(col) = line.find('"') {
        return Err(ClimateError::Rcmip {
            line: lineno,
            reason: format!("quoted cells are not expected (byte {col})"),
        });
    }
    Ok(line.split(',').collect())
}

/// Parses an RCMIP emissions table (text, no IO).
pub fn parse_rcmip_csv(text: &str) -> Result<RcmipTable, ClimateError> {
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
    let (_, header) = lines.next().ok_or(ClimateError::Empty)?;
    let head = cells(header.trim_end_matches('\r'), 1)?;
    if head.len() <= ID_COLS {
        return Err(ClimateError::Rcmip {
            line: 1,
            reason: format!(
                "header has {} cells, expected years after {ID_COLS} ids",
                head.len()
            ),
        });
    }
    for (k, want) in ID_HEADER.iter().enumerate() {
        if head[k] != *want {
            return Err(ClimateError::Rcmip {
                line: 1,
                reason: format!("column {} is `{}`, expected `{want}`", k + 1, head[k]),
            });
        }
    }
    let mut years = Vec::with_capacity(head.len() - ID_COLS);
    for (k, cell) in head[ID_COLS..].iter().enumerate() {
        let y: i32 = cell.trim().parse().map_err(|_| ClimateError::BadNumber {
            line: 1,
            column: ID_COLS + k + 1,
            text: (*cell).to_string(),
        })?;
        if let Some(prev) = years.last()
            && y != prev + 1
        {
            return Err(ClimateError::NonConsecutiveYear {
                line: 1,
                previous: f64::from(*prev),
                found: f64::from(y),
            });
        }
        years.push(y);
    }
    let mut rows = Vec::new();
    for (lineno, line) in lines {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let c = cells(line, lineno)?;
        if c.len() != head.len() {
            return Err(ClimateError::WrongCellCount {
                line: lineno,
                expected: head.len(),
                found: c.len(),
            });
        }
        let mut values = Vec::with_capacity(years.len());
        for (k, cell) in c[ID_COLS..].iter().enumerate() {
            let cell = cell.trim();
            values.push(if cell.is_empty() {
                None
            } else {
                match cell.parse::<f64>() {
                    Ok(v) if v.is_finite() => Some(v),
                    _ => {
                        return Err(ClimateError::BadNumber {
                            line: lineno,
                            column: ID_COLS + k + 1,
                            text: cell.to_string(),
                        });
                    }
                }
            });
        }
        rows.push(RcmipRow {
            model: c[0].to_string(),
            scenario: c[1].to_string(),
            region: c[2].to_string(),
            variable: c[3].to_string(),
            unit: c[4].to_string(),
            line: lineno,
            values,
        });
    }
    if rows.is_empty() {
        return Err(ClimateError::Empty);
    }
    Ok(RcmipTable { years, rows })
}

impl RcmipTable {
    /// Calendar years of the value columns.
    pub fn years(&self) -> &[i32] {
        &self.years
    }

    /// All rows.
    pub fn rows(&self) -> &[RcmipRow] {
        &self.rows
    }

    /// Scenario names, in order of first appearance.
    pub fn scenarios(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for r in &self.rows {
            if !out.contains(&r.scenario.as_str()) {
                out.push(&r.scenario);
            }
        }
        out
    }

    fn row(&self, scenario: &str, variable: &str, unit: &str) -> Result<&RcmipRow, ClimateError> {
        let mut found = self
            .rows
            .iter()
            .filter(|r| r.scenario == scenario && r.variable == variable && r.region == "World");
        let row = found.next().ok_or_else(|| ClimateError::RcmipMissing {
            scenario: scenario.to_string(),
            variable: variable.to_string(),
        })?;
        if let Some(dup) = found.next() {
            return Err(ClimateError::Rcmip {
                line: dup.line,
                reason: format!(
                    "second World row for {scenario} / {variable} (first on line {})",
                    row.line
                ),
            });
        }
        if row.unit != unit {
            return Err(ClimateError::Rcmip {
                line: row.line,
                reason: format!("unit of {variable} is `{}`, expected `{unit}`", row.unit),
            });
        }
        Ok(row)
    }

    /// One variable from `start_year` to the last year, gaps filled as FaIR does.
    fn series(
        &self,
        scenario: &str,
        variable: &str,
        unit: &str,
        start_year: i32,
    ) -> Result<Vec<f64>, ClimateError> {
        let row = self.row(scenario, variable, unit)?;
        let i0 = self.years.iter().position(|y| *y == start_year).ok_or(
            ClimateError::EmptyBaseline {
                start: start_year,
                end: start_year,
            },
        )?;
        let v = &row.values[i0..];
        let first = v.iter().position(Option::is_some);
        if first != Some(0) {
            return Err(ClimateError::Rcmip {
                line: row.line,
                reason: format!("{variable} has no value in {start_year}"),
            });
        }
        let mut out = vec![0.0; v.len()];
        let mut last_known = 0usize;
        for i in 0..v.len() {
            if let Some(x) = v[i] {
                // Linear interpolation over the gap (last_known, i).
                let x0 = v[last_known].unwrap_or(x);
                let span = (i - last_known) as f64;
                for (j, o) in out.iter_mut().enumerate().take(i).skip(last_known + 1) {
                    let w = (j - last_known) as f64 / span;
                    *o = x0 + (x - x0) * w;
                }
                out[i] = x;
                last_known = i;
            }
        }
        let hold = out[last_known];
        for o in out.iter_mut().skip(last_known + 1) {
            *o = hold;
        }
        Ok(out)
    }

    /// The scenario in FaIR's 40-column layout from `start_year` (FaIR uses 1765), with
    /// per-year fossil CH4 and aviation NOx fractions attached (`fair.SSPs.<ssp>`).
    pub fn emissions(&self, scenario: &str, start_year: i32) -> Result<Emissions, ClimateError> {
        let mut cols: Vec<Vec<f64>> = Vec::with_capacity(NCOLS - 1);
        for (variable, unit, factor) in VARIABLES {
            let s = self.series(scenario, variable, unit, start_year)?;
            cols.push(s.into_iter().map(|x| x * factor).collect());
        }
        let n = cols[0].len();
        let rows: Vec<[f64; NCOLS]> = (0..n)
            .map(|t| {
                let mut r = [0.0; NCOLS];
                r[0] = f64::from(start_year) + t as f64;
                for (k, c) in cols.iter().enumerate() {
                    r[k + 1] = c[t];
                }
                r
            })
            .collect();
        let ch4_fossil = self.series(
            scenario,
            FRACTION_VARIABLES[0].0,
            FRACTION_VARIABLES[0].1,
            start_year,
        )?;
        let nox_avi = self.series(
            scenario,
            FRACTION_VARIABLES[1].0,
            FRACTION_VARIABLES[1].1,
            start_year,
        )?;
        let frac = |part: &[f64], col: usize, factor: f64| -> Vec<f64> {
            part.iter()
                .zip(&rows)
                .map(|(p, r)| {
                    let total = r[col];
                    if total == 0.0 {
                        0.0
                    } else {
                        p * factor / total
                    }
                })
                .collect()
        };
        let fch4 = frac(&ch4_fossil, 3, 1.0);
        let favi = frac(&nox_avi, 8, MW_N / MW_NO2);
        Emissions::from_rows(rows)?.with_fractions(fch4, favi)
    }
}

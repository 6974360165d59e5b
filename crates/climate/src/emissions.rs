//! RCP multigas emissions tables in FaIR's 40-column layout.
//!
//! The RCP database `*_EMISSIONS.csv` files (Meinshausen et al. 2011, as shipped in
//! `fair/RCPs/data/`) have a free-text preamble, then a `COLUMN:` line, a `UNITS:` line,
//! a `v YEARS/GAS >` line naming the species, then one row per year. FaIR 1.6 loads them
//! with `np.loadtxt(..., skiprows=37, delimiter=',')` and uses the columns verbatim, so the
//! matrix returned here is exactly `fair.RCPs.<rcp>.Emissions.emissions`.
//!
//! Column mapping (index in the 40-column row, name in the table, unit):
//!
//! | idx | species | unit |
//! |----:|---------|------|
//! | 0 | year | yr |
//! | 1 | FossilCO2 (fossil, industrial, cement) | GtC/yr |
//! | 2 | OtherCO2 (land-use CO2) | GtC/yr |
//! | 3 | CH4 | Mt CH4/yr |
//! | 4 | N2O | Mt N2O-N/yr (nitrogen mass) |
//! | 5 | SOx | Mt S/yr |
//! | 6 | CO | Mt CO/yr |
//! | 7 | NMVOC | Mt/yr |
//! | 8 | NOx | Mt N/yr |
//! | 9 | BC | Mt/yr |
//! | 10 | OC | Mt/yr |
//! | 11 | NH3 | Mt N/yr |
//! | 12..=23 | CF4, C2F6, C6F14, HFC23, HFC32, HFC43_10, HFC125, HFC134a, HFC143a, HFC227ea, HFC245fa, SF6 | kt/yr |
//! | 24..=39 | CFC_11, CFC_12, CFC_113, CFC_114, CFC_115, CARB_TET, MCF, HCFC_22, HCFC_141B, HCFC_142B, HALON1211, HALON1202, HALON1301, HALON2402, CH3BR, CH3CL | kt/yr |
//!
//! Columns 12..=39 map one-to-one, in order, onto the minor greenhouse gases 3..=30 of the
//! concentration vector (see [`crate::constants::GAS_NAMES`]).

use crate::ClimateError;

/// Number of columns in a FaIR emissions row (year + 39 species).
pub const NCOLS: usize = 40;

/// Species names of columns 1..=39 as spelled in the RCP tables' `v YEARS/GAS >` header.
pub const SPECIES: [&str; NCOLS - 1] = [
    "FossilCO2",
    "OtherCO2",
    "CH4",
    "N2O",
    "SOx",
    "CO",
    "NMVOC",
    "NOx",
    "BC",
    "OC",
    "NH3",
    "CF4",
    "C2F6",
    "C6F14",
    "HFC23",
    "HFC32",
    "HFC43_10",
    "HFC125",
    "HFC134a",
    "HFC143a",
    "HFC227ea",
    "HFC245fa",
    "SF6",
    "CFC_11",
    "CFC_12",
    "CFC_113",
    "CFC_114",
    "CFC_115",
    "CARB_TET",
    "MCF",
    "HCFC_22",
    "HCFC_141B",
    "HCFC_142B",
    "HALON1211",
    "HALON1202",
    "HALON1301",
    "HALON2402",
    "CH3BR",
    "CH3CL",
];

/// Annual emissions, one 40-column row per year (FaIR order, see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct Emissions {
    years: Vec<f64>,
    rows: Vec<[f64; NCOLS]>,
    fossil_ch4_frac: Option<Vec<f64>>,
    avi_nox_frac: Option<Vec<f64>>,
}

impl Emissions {
    /// Builds from FaIR-layout rows (column 0 the year). Years must be finite and step by
    /// exactly one year; all cells finite.
    pub fn from_rows(rows: Vec<[f64; NCOLS]>) -> Result<Self, ClimateError> {
        if rows.is_empty() {
            return Err(ClimateError::Empty);
        }
        for (i, r) in rows.iter().enumerate() {
            if r.iter().any(|v| !v.is_finite()) {
                return Err(ClimateError::BadRow {
                    row: i,
                    reason: "non-finite cell",
                });
            }
            if i > 0 && r[0] - rows[i - 1][0] != 1.0 {
                return Err(ClimateError::BadRow {
                    row: i,
                    reason: "years must step by one",
                });
            }
        }
        let years = rows.iter().map(|r| r[0]).collect();
        Ok(Self {
            years,
            rows,
            fossil_ch4_frac: None,
            avi_nox_frac: None,
        })
    }

    /// Attaches per-year shares of fossil CH4 in total CH4 and of aviation NOx in total
    /// NOx (as FaIR's SSP helper provides them); they override the constant fractions of
    /// the parameter set. Each series must have one finite value per year.
    pub fn with_fractions(
        mut self,
        fossil_ch4_frac: Vec<f64>,
        avi_nox_frac: Vec<f64>,
    ) -> Result<Self, ClimateError> {
        for series in [&fossil_ch4_frac, &avi_nox_frac] {
            if series.len() != self.rows.len() {
                return Err(ClimateError::BadRow {
                    row: series.len().min(self.rows.len()),
                    reason: "fraction series length differs from the number of years",
                });
            }
            if let Some(i) = series.iter().position(|v| !v.is_finite()) {
                return Err(ClimateError::BadRow {
                    row: i,
                    reason: "non-finite fraction",
                });
            }
        }
        self.fossil_ch4_frac = Some(fossil_ch4_frac);
        self.avi_nox_frac = Some(avi_nox_frac);
        Ok(self)
    }

    /// Per-year fossil share of CH4 emissions, if attached.
    pub fn fossil_ch4_frac(&self) -> Option<&[f64]> {
        self.fossil_ch4_frac.as_deref()
    }

    /// Per-year aviation share of NOx emissions, if attached.
    pub fn avi_nox_frac(&self) -> Option<&[f64]> {
        self.avi_nox_frac.as_deref()
    }

    /// Replaces column `idx` (1..=39) for every year from `from_year` on with `f(year,
    /// old value)`. Used to splice a policy pathway into a scenario.
    pub fn map_column(
        &mut self,
        idx: usize,
        from_year: f64,
        mut f: impl FnMut(f64, f64) -> f64,
    ) -> Result<(), ClimateError> {
        if idx == 0 || idx >= NCOLS {
            return Err(ClimateError::BadRow {
                row: 0,
                reason: "column index must be 1..=39",
            });
        }
        for (i, r) in self.rows.iter_mut().enumerate() {
            if r[0] >= from_year {
                let v = f(r[0], r[idx]);
                if !v.is_finite() {
                    return Err(ClimateError::BadRow {
                        row: i,
                        reason: "non-finite value from map_column",
                    });
                }
                r[idx] = v;
            }
        }
        Ok(())
    }

    /// The rows from `first` to `last` (inclusive calendar years), keeping attached
    /// fractions; `None` if the range is not inside the table.
    pub fn slice_years(&self, first: i32, last: i32) -> Option<Self> {
        let i0 = self.years.iter().position(|y| *y == f64::from(first))?;
        let i1 = self.years.iter().position(|y| *y == f64::from(last))?;
        if i1 < i0 {
            return None;
        }
        let cut = |v: &Option<Vec<f64>>| v.as_ref().map(|v| v[i0..=i1].to_vec());
        Some(Self {
            years: self.years[i0..=i1].to_vec(),
            rows: self.rows[i0..=i1].to_vec(),
            fossil_ch4_frac: cut(&self.fossil_ch4_frac),
            avi_nox_frac: cut(&self.avi_nox_frac),
        })
    }

    /// Model years (column 0).
    pub fn years(&self) -> &[f64] {
        &self.years
    }

    /// All rows, 40 columns each.
    pub fn rows(&self) -> &[[f64; NCOLS]] {
        &self.rows
    }

    /// One column over time (0 = year, 1..=39 species).
    pub fn column(&self, idx: usize) -> Vec<f64> {
        self.rows.iter().map(|r| r[idx]).collect()
    }

    /// Number of years.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when there are no rows (never for a successfully built value).
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// Splits on `\r\n`, `\n` or a lone `\r` (RCP3PD and RCP85 use classic-Mac CR endings).
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n').flat_map(|l| {
        let l = l.strip_suffix('\r').unwrap_or(l);
        l.split('\r')
    })
}

/// Parses an RCP `*_EMISSIONS.csv` table (text, no IO) into FaIR's 40-column matrix.
///
/// The preamble is skipped up to the `v YEARS/GAS >` header, whose 39 species names must
/// match [`SPECIES`]; every following non-blank line must hold 40 numeric cells with
/// consecutive years. Errors name the 1-based line and column of the offending cell.
pub fn parse_rcp_csv(text: &str) -> Result<Emissions, ClimateError> {
    let mut rows: Vec<[f64; NCOLS]> = Vec::new();
    let mut in_data = false;
    for (i, line) in lines(text).enumerate() {
        let lineno = i + 1;
        if !in_data {
            if line.trim_start().starts_with("v YEARS/GAS") {
                let cells: Vec<&str> = line.split(',').map(str::trim).collect();
                if cells.len() < NCOLS {
                    return Err(ClimateError::WrongCellCount {
                        line: lineno,
                        expected: NCOLS,
                        found: cells.len(),
                    });
                }
                for (k, want) in SPECIES.iter().enumerate() {
                    if !cells[k + 1].eq_ignore_ascii_case(want) {
                        return Err(ClimateError::UnexpectedSpecies {
                            line: lineno,
                            column: k + 2,
                            expected: want,
                            found: cells[k + 1].to_string(),
                        });
                    }
                }
                in_data = true;
            }
            continue;
        }
        if line.chars().all(|c| c == ',' || c.is_whitespace()) {
            continue;
        }
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        // Tolerate trailing empty cells (spreadsheet exports).
        let used = cells
            .iter()
            .rposition(|c| !c.is_empty())
            .map_or(0, |p| p + 1);
        if used != NCOLS {
            return Err(ClimateError::WrongCellCount {
                line: lineno,
                expected: NCOLS,
                found: used,
            });
        }
        let mut row = [0.0; NCOLS];
        for (k, cell) in cells[..NCOLS].iter().enumerate() {
            row[k] = match cell.parse::<f64>() {
                Ok(v) if v.is_finite() => v,
                _ => {
                    return Err(ClimateError::BadNumber {
                        line: lineno,
                        column: k + 1,
                        text: (*cell).to_string(),
                    });
                }
            };
        }
        if let Some(prev) = rows.last()
            && row[0] - prev[0] != 1.0
        {
            return Err(ClimateError::NonConsecutiveYear {
                line: lineno,
                previous: prev[0],
                found: row[0],
            });
        }
        rows.push(row);
    }
    if !in_data {
        return Err(ClimateError::MissingHeader);
    }
    Emissions::from_rows(rows)
}

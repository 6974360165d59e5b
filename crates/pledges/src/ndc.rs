//! NDC targets: what a party pledged, read from the coded NDC texts (Klimalog NDC Explorer's
//! `type_of_target_details`, WRI CAIT's `ghg_target` with its `ghg_target_type`,
//! `reference_base_year`, `time_target_year` and `time_long_term_target`), or written by a
//! user as an edit.
//!
//! The texts are short, formulaic English ("Absolute target: Target to reduce emissions by
//! 50 to 52% by 2030 compared to 2005", "Limit GHG emissions to 70-75% of 1990 levels by
//! 2030", "33% to 35% reduction in the emissions intensity of its GDP by 2030 compared to
//! 2005 level"). [`read_target`] recognises the kind from keywords (business as usual /
//! baseline → BAU; intensity; peak; an absolute or base-year reduction), the first
//! percentage or percentage range (its less ambitious end is the unconditional pledge), the
//! target year (first year ≥ 2020 after the percentage; a period "2021-2030" counts as its
//! end), the base year (first year 1990–2019) and a net-zero / carbon-neutrality year. A text
//! it cannot read gives [`Target::Unquantified`] with the reason, never a guess. The more
//! recent Klimalog coding (NDCs as of 2022-02) is read first; CAIT (first NDCs) fills in
//! what it lacks.
//!
//! Edit grammar (`attache climate pledges --edit ISO3=...`), comma-separated `key:value`:
//! `base:YEAR,cut:PCT,by:YEAR` (base-year target), `bau:PCT,by:YEAR`,
//! `intensity:PCT,base:YEAR,by:YEAR`, `peak:YEAR`, `level:MTCO2,by:YEAR`, `none`, and the
//! modifiers `netzero:YEAR`, `decline:PCT` (annual decline after the peak or target year).
//! An edit naming a target replaces the NDC's target; modifiers alone amend it.

use crate::PledgeError;

/// A percentage range; `low` is the less ambitious end (e.g. 50 of "50 to 52%").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pct {
    /// Less ambitious end, percent.
    pub low: f64,
    /// More ambitious end, percent.
    pub high: f64,
}

impl Pct {
    /// One value.
    pub fn single(v: f64) -> Self {
        Pct { low: v, high: v }
    }
}

/// The kind of mitigation target.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// Cut emissions `cut` percent below `base_year` emissions.
    BaseYear {
        /// Reference year.
        base_year: i32,
        /// Reduction, percent.
        cut: Pct,
    },
    /// Cut emissions `cut` percent below business as usual.
    Bau {
        /// Reduction, percent.
        cut: Pct,
    },
    /// Cut emissions per unit of GDP `cut` percent below `base_year`.
    Intensity {
        /// Reference year.
        base_year: i32,
        /// Reduction, percent.
        cut: Pct,
    },
    /// Emissions peak in this year at the latest.
    Peak {
        /// Peak year.
        year: i32,
    },
    /// An absolute level of total greenhouse gases, Mt CO2e (`low` = higher level).
    GhgLevel {
        /// Levels, Mt CO2e: `low` the less ambitious (higher) one.
        mt_co2e: Pct,
    },
    /// An absolute level of fossil CO2 (user edits), Mt CO2.
    Level {
        /// Level, Mt CO2.
        mt_co2: f64,
    },
    /// No quantified economy-wide target (actions, policies, or a text we cannot read).
    Unquantified {
        /// Why.
        reason: String,
    },
}

/// A party's pledge.
#[derive(Debug, Clone, PartialEq)]
pub struct Pledge {
    /// The target.
    pub target: Target,
    /// Year the target applies to (`None` for peak-only and unquantified targets).
    pub target_year: Option<i32>,
    /// Peak year stated besides the main target (China: intensity target and peak by 2030).
    pub peak_year: Option<i32>,
    /// Annual decline after the peak or target year, fraction (user edit).
    pub decline: Option<f64>,
    /// Net-zero (carbon or climate neutrality) year.
    pub net_zero_year: Option<i32>,
    /// Where the pledge was read from (`klimalog`, `cait`, `edit`) and the text.
    pub source: String,
}

impl Pledge {
    /// No quantified target.
    pub fn unquantified(reason: impl Into<String>, source: impl Into<String>) -> Self {
        Pledge {
            target: Target::Unquantified {
                reason: reason.into(),
            },
            target_year: None,
            peak_year: None,
            decline: None,
            net_zero_year: None,
            source: source.into(),
        }
    }

    /// True when the target can be turned into a number.
    pub fn is_quantified(&self) -> bool {
        !matches!(self.target, Target::Unquantified { .. })
    }

    /// A one-line description.
    pub fn describe(&self) -> String {
        let range = |p: Pct| {
            if p.low == p.high {
                format!("{}%", p.low)
            } else {
                format!("{}-{}%", p.low, p.high)
            }
        };
        let by = self
            .target_year
            .map(|y| format!(" by {y}"))
            .unwrap_or_default();
        let mut s = match &self.target {
            Target::BaseYear { base_year, cut } => format!("{} below {base_year}{by}", range(*cut)),
            Target::Bau { cut } => format!("{} below business as usual{by}", range(*cut)),
            Target::Intensity { base_year, cut } => {
                format!("emissions intensity {} below {base_year}{by}", range(*cut))
            }
            Target::Peak { year } => format!("peak by {year}"),
            Target::GhgLevel { mt_co2e } => {
                if mt_co2e.low == mt_co2e.high {
                    format!("{} Mt CO2e{by}", mt_co2e.low)
                } else {
                    format!("{}-{} Mt CO2e{by}", mt_co2e.high, mt_co2e.low)
                }
            }
            Target::Level { mt_co2 } => format!("{mt_co2} Mt CO2{by}"),
            Target::Unquantified { reason } => format!("no quantified target ({reason})"),
        };
        if let Some(p) = self.peak_year
            && !matches!(self.target, Target::Peak { .. })
        {
            s.push_str(&format!(", peak by {p}"));
        }
        if let Some(d) = self.decline {
            s.push_str(&format!(", then -{:.1}%/yr", d * 100.0));
        }
        if let Some(n) = self.net_zero_year {
            s.push_str(&format!(", net zero {n}"));
        }
        s
    }
}

/// The NDC texts of one party (empty strings for absent cells).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NdcTexts {
    /// Klimalog `type_of_target_details`.
    pub klimalog: String,
    /// CAIT `ghg_target`.
    pub cait_target: String,
    /// CAIT `ghg_target_type`.
    pub cait_type: String,
    /// CAIT `reference_base_year`.
    pub cait_base_year: String,
    /// CAIT `time_target_year`.
    pub cait_target_year: String,
    /// CAIT `time_long_term_target`.
    pub cait_long_term: String,
}

#[derive(Debug, Clone, Copy)]
struct Num {
    value: f64,
    start: usize,
    end: usize,
    pct: bool,
}

/// Numbers in the text with byte positions; `pct` when followed by `%`, `percent` or
/// `per cent`. Commas between digit groups of three are thousands separators, otherwise a
/// decimal comma.
fn numbers(text: &str) -> Vec<Num> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphabetic()) {
            let start = i;
            let mut s = String::new();
            while i < b.len() {
                if b[i].is_ascii_digit() {
                    s.push(b[i] as char);
                    i += 1;
                } else if (b[i] == b'.' || b[i] == b',')
                    && i + 1 < b.len()
                    && b[i + 1].is_ascii_digit()
                {
                    let digits_after = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
                    if b[i] == b',' && digits_after == 3 {
                        i += 1; // thousands separator
                    } else if !s.contains('.') {
                        s.push('.');
                        i += 1;
                    } else {
                        break;
                    }
                } else {
                    break;
                }
            }
            let end = i;
            let rest = text[end..].trim_start().to_ascii_lowercase();
            let pct = rest.starts_with('%')
                || rest.starts_with("percent")
                || rest.starts_with("per cent");
            // A digit string too long for f64 parses as infinity: not a number a pledge can use
            // (fuzz/regressions/ndc_target_text-1.bin).
            if let Ok(value) = s.parse::<f64>()
                && value.is_finite()
            {
                out.push(Num {
                    value,
                    start,
                    end,
                    pct,
                });
            }
        } else {
            i += 1;
        }
    }
    out
}

fn is_year(n: &Num) -> bool {
    !n.pct && n.value.fract() == 0.0 && (1990.0..=2100.0).contains(&n.value)
}

/// The first percentage (or range), its index among `nums` and the byte where it starts.
fn first_pct(text: &str, nums: &[Num]) -> Option<(Pct, usize, usize)> {
    let i = nums
        .iter()
        .position(|n| n.pct && n.value > 0.0 && n.value <= 100.0)?;
    let hi = nums[i];
    // "33% to 35%": the next number is a percentage joined by a connector.
    if let Some(next) = nums.get(i + 1).filter(|n| n.pct) {
        let between = text[hi.end..next.start].replace('%', "");
        let between = between.trim().to_ascii_lowercase();
        if ["-", "–", "to", "and"].contains(&between.as_str()) {
            return Some((
                Pct {
                    low: hi.value.min(next.value),
                    high: hi.value.max(next.value),
                },
                i + 1,
                hi.start,
            ));
        }
    }
    if i > 0 {
        let lo = nums[i - 1];
        let between = text[lo.end..hi.start].replace('%', "");
        let between = between.trim().to_ascii_lowercase();
        if !is_year(&lo) && ["-", "–", "to", "and"].contains(&between.as_str()) {
            return Some((
                Pct {
                    low: lo.value.min(hi.value),
                    high: lo.value.max(hi.value),
                },
                i,
                lo.start,
            ));
        }
    }
    Some((Pct::single(hi.value), i, hi.start))
}

/// Years ≥ 2020 after position `from` (a period "2021-2030" yields its end).
fn target_year_after(text: &str, nums: &[Num], from: usize) -> Option<i32> {
    let years: Vec<&Num> = nums
        .iter()
        .filter(|n| n.start >= from && is_year(n) && n.value >= 2020.0)
        .collect();
    let first = years.first()?;
    if let Some(next) = years.get(1) {
        let between = text[first.end..next.start].trim();
        if between == "-" || between == "–" {
            return Some(next.value as i32);
        }
    }
    Some(first.value as i32)
}

fn first_year(nums: &[Num], range: std::ops::RangeInclusive<f64>) -> Option<i32> {
    nums.iter()
        .find(|n| is_year(n) && range.contains(&n.value))
        .map(|n| n.value as i32)
}

/// Net-zero / neutrality year mentioned in `text`.
fn net_zero_in(text: &str) -> Option<i32> {
    let lower = text.to_ascii_lowercase();
    let keys = [
        "net zero",
        "net-zero",
        "carbon neutral",
        "climate neutral",
        "neutrality",
    ];
    let at = keys.iter().filter_map(|k| lower.find(k)).min()?;
    numbers(text)
        .into_iter()
        .find(|n| n.start >= at && is_year(n) && n.value >= 2030.0)
        .map(|n| n.value as i32)
}

/// Reads one text (`base_year_hint`, `target_year_hint` from CAIT's separate columns).
pub fn read_target(
    text: &str,
    base_year_hint: Option<i32>,
    target_year_hint: Option<i32>,
) -> Pledge {
    let lower = text.to_ascii_lowercase();
    let nums = numbers(text);
    let net_zero_year = net_zero_in(text);
    let peak = if lower.contains("peak") {
        let at = lower.find("peak").unwrap_or(0);
        target_year_after(text, &nums, at)
    } else {
        None
    };
    let pledge = |target: Target, target_year: Option<i32>| Pledge {
        target,
        target_year,
        peak_year: peak,
        decline: None,
        net_zero_year,
        source: text.to_string(),
    };
    if text.trim().is_empty() {
        return Pledge::unquantified("no target text", "");
    }
    let pct = first_pct(text, &nums);
    let target_year = pct
        .and_then(|(_, i, _)| target_year_after(text, &nums, nums[i].end))
        .or_else(|| target_year_after(text, &nums, 0))
        .or(target_year_hint);
    let bau = ["business as us", "business-as-usual", "bau", "baseline"]
        .iter()
        .any(|k| lower.contains(k));
    if bau {
        return match pct {
            Some((cut, _, _)) => pledge(Target::Bau { cut }, target_year),
            None => Pledge::unquantified("BAU target without a percentage", text),
        };
    }
    let base_year = first_year(&nums, 1990.0..=2019.0).or(base_year_hint);
    if lower.contains("intensity") {
        return match (pct, base_year) {
            (Some((cut, _, _)), Some(base_year)) => {
                pledge(Target::Intensity { base_year, cut }, target_year)
            }
            (None, _) if peak.is_some() => pledge(
                Target::Peak {
                    year: peak.unwrap_or(2030),
                },
                None,
            ),
            _ => Pledge::unquantified("intensity target without a percentage or base year", text),
        };
    }
    if let Some((p, i, start)) = pct {
        // "to 70-75% of 1990 levels": a level relative to the base year, not a cut.
        let before = lower[..start].trim_end();
        let after = lower[nums[i].end..]
            .trim_start()
            .trim_start_matches('%')
            .trim_start();
        let cut = if before.ends_with(" to") && after.starts_with("of") {
            Pct {
                low: 100.0 - p.high,
                high: 100.0 - p.low,
            }
        } else {
            p
        };
        return match base_year {
            Some(base_year) => pledge(Target::BaseYear { base_year, cut }, target_year),
            None => Pledge::unquantified("reduction without a base year", text),
        };
    }
    if let Some(year) = peak {
        return pledge(Target::Peak { year }, None);
    }
    // Absolute levels in Mt CO2e ("not exceed net emissions of 349 MtCO2eq in 2030",
    // "in a range between 398 and 614 MtCO2eq").
    if lower.contains("mtco2") || lower.contains("mt co2") {
        // The levels stated for the last target year: numbers after the previous year
        // mention ("from 398-510 Mt CO2 by 2025 and from 350-420 MtCO2-eq by 2030").
        let years: Vec<&Num> = nums
            .iter()
            .filter(|n| is_year(n) && n.value >= 2020.0)
            .collect();
        let (from, to) = match years.as_slice() {
            [] => (0, text.len()),
            [only] => (0, only.start),
            [.., prev, last] => (prev.end, last.start),
        };
        let levels: Vec<f64> = nums
            .iter()
            .filter(|n| n.start >= from && n.end <= to && !is_year(n) && !n.pct && n.value >= 1.0)
            .map(|n| n.value)
            .collect();
        let year = years.last().map(|n| n.value as i32).or(target_year);
        if let (Some(lo), Some(hi)) = (
            levels.iter().copied().reduce(f64::min),
            levels.iter().copied().reduce(f64::max),
        ) {
            return pledge(
                Target::GhgLevel {
                    mt_co2e: Pct { low: hi, high: lo },
                },
                year,
            );
        }
    }
    let mut p = Pledge::unquantified("no quantified economy-wide target in the text", text);
    p.net_zero_year = net_zero_year;
    p.peak_year = peak;
    p
}

fn year_in(s: &str) -> Option<i32> {
    numbers(s).into_iter().find(is_year).map(|n| n.value as i32)
}

/// A party's pledge from its NDC texts: Klimalog first, CAIT for what it lacks.
pub fn read_pledge(t: &NdcTexts) -> Pledge {
    let base_hint = year_in(&t.cait_base_year).filter(|y| *y < 2020);
    let target_hint = numbers(&t.cait_target_year)
        .into_iter()
        .filter(|n| is_year(n) && n.value >= 2020.0)
        .map(|n| n.value as i32)
        .max();
    let long_term_nz = net_zero_in(&t.cait_long_term);
    let from = |text: &str, label: &str| {
        let mut p = read_target(text, base_hint, target_hint);
        p.source = format!("{label}: {}", text.trim());
        p
    };
    let klimalog = from(&t.klimalog, "Klimalog NDC Explorer (2022)");
    let cait_text = if t.cait_target.trim().is_empty() {
        t.cait_type.clone()
    } else {
        format!("{} ({})", t.cait_target, t.cait_type)
    };
    let cait = from(&cait_text, "WRI CAIT (first NDC)");
    let mut chosen =
        if klimalog.is_quantified() || !cait.is_quantified() && !t.klimalog.trim().is_empty() {
            klimalog
        } else {
            cait.clone()
        };
    if chosen.net_zero_year.is_none() {
        chosen.net_zero_year = cait.net_zero_year.or(long_term_nz);
    }
    if chosen.target_year.is_none()
        && chosen.is_quantified()
        && !matches!(chosen.target, Target::Peak { .. })
    {
        chosen.target_year = target_hint.or(Some(2030));
    }
    chosen
}

fn parse_pct(edit: &str, v: &str) -> Result<f64, PledgeError> {
    let x: f64 = v
        .trim()
        .trim_end_matches('%')
        .parse()
        .map_err(|_| PledgeError::BadEdit {
            edit: edit.to_string(),
            reason: format!("`{v}` is not a percentage"),
        })?;
    if !(0.0..=100.0).contains(&x.abs()) {
        return Err(PledgeError::BadEdit {
            edit: edit.to_string(),
            reason: format!("percentage {x} outside 0..100"),
        });
    }
    Ok(x.abs())
}

fn parse_year(edit: &str, v: &str) -> Result<i32, PledgeError> {
    let y: i32 = v.trim().parse().map_err(|_| PledgeError::BadEdit {
        edit: edit.to_string(),
        reason: format!("`{v}` is not a year"),
    })?;
    if !(1990..=2100).contains(&y) {
        return Err(PledgeError::BadEdit {
            edit: edit.to_string(),
            reason: format!("year {y} outside 1990..2100"),
        });
    }
    Ok(y)
}

/// Splits `ISO3=spec` into the code (upper-cased) and the spec.
pub fn split_edit(edit: &str) -> Result<(String, String), PledgeError> {
    let (code, spec) = edit.split_once('=').ok_or_else(|| PledgeError::BadEdit {
        edit: edit.to_string(),
        reason: "expected ISO3=spec, e.g. CHN=peak:2025,decline:3,netzero:2060".into(),
    })?;
    let code = code.trim().to_ascii_uppercase();
    if code.is_empty() {
        return Err(PledgeError::BadEdit {
            edit: edit.to_string(),
            reason: "empty country code".into(),
        });
    }
    Ok((code, spec.trim().to_string()))
}

/// Applies an edit spec (see the module docs) to `current` (the NDC pledge, if any).
pub fn apply_edit(current: Option<&Pledge>, spec: &str) -> Result<Pledge, PledgeError> {
    let bad = |reason: String| PledgeError::BadEdit {
        edit: spec.to_string(),
        reason,
    };
    let mut base = None;
    let mut by = None;
    let mut cut = None;
    let mut kind: Option<&str> = None;
    let mut pct_of_kind = None;
    let mut level = None;
    let mut peak = None;
    let mut decline = None;
    let mut net_zero = None;
    for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (k, v) = item.split_once(':').unwrap_or((item, ""));
        match k.trim().to_ascii_lowercase().as_str() {
            "base" => base = Some(parse_year(spec, v)?),
            "by" => by = Some(parse_year(spec, v)?),
            "cut" => cut = Some(parse_pct(spec, v)?),
            "bau" => {
                kind = Some("bau");
                pct_of_kind = Some(parse_pct(spec, v)?);
            }
            "intensity" => {
                kind = Some("intensity");
                pct_of_kind = Some(parse_pct(spec, v)?);
            }
            "level" => {
                kind = Some("level");
                let x: f64 = v
                    .trim()
                    .parse()
                    .map_err(|_| bad(format!("`{v}` is not Mt CO2")))?;
                if !(x.is_finite() && x >= 0.0) {
                    return Err(bad(format!("level {x} must be a non-negative number")));
                }
                level = Some(x);
            }
            "peak" => peak = Some(parse_year(spec, v)?),
            "decline" => decline = Some(parse_pct(spec, v)? / 100.0),
            "netzero" | "net-zero" | "nz" => net_zero = Some(parse_year(spec, v)?),
            "none" => kind = Some("none"),
            other => {
                return Err(bad(format!(
                    "unknown key `{other}` (base, cut, by, bau, intensity, level, peak, decline, netzero, none)"
                )));
            }
        }
    }
    if cut.is_some() && kind.is_none() {
        kind = Some("base");
    }
    let mut p = current
        .cloned()
        .unwrap_or_else(|| Pledge::unquantified("no NDC", "edit"));
    let defines = kind.is_some() || (peak.is_some() && current.is_none_or(|c| !c.is_quantified()));
    if defines {
        p.peak_year = None;
        p.target = match kind {
            Some("base") => Target::BaseYear {
                base_year: base.ok_or_else(|| bad("cut needs base:YEAR".into()))?,
                cut: Pct::single(cut.unwrap_or(0.0)),
            },
            Some("bau") => Target::Bau {
                cut: Pct::single(pct_of_kind.unwrap_or(0.0)),
            },
            Some("intensity") => Target::Intensity {
                base_year: base.ok_or_else(|| bad("intensity needs base:YEAR".into()))?,
                cut: Pct::single(pct_of_kind.unwrap_or(0.0)),
            },
            Some("level") => Target::Level {
                mt_co2: level.unwrap_or(0.0),
            },
            Some("none") => Target::Unquantified {
                reason: "set to none by edit".into(),
            },
            _ => Target::Peak {
                year: peak.unwrap_or(2030),
            },
        };
        p.target_year = match p.target {
            Target::Peak { .. } | Target::Unquantified { .. } => None,
            _ => Some(by.ok_or_else(|| bad("a target needs by:YEAR".into()))?),
        };
    } else if let Some(b) = by {
        p.target_year = Some(b);
    }
    if peak.is_some() && !matches!(p.target, Target::Peak { .. }) {
        p.peak_year = peak;
    }
    if decline.is_some() {
        p.decline = decline;
    }
    if net_zero.is_some() {
        p.net_zero_year = net_zero;
    }
    p.source = format!("edit: {spec}");
    Ok(p)
}

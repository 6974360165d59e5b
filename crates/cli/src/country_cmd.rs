//! `attache country`: every code of a country, its validity and its land neighbours.

use std::process::ExitCode;

use anyhow::Result;
use attache_core::{Country, Crosswalk, Date, Scheme};
use clap::Args;

#[derive(Args)]
pub struct CountryArgs {
    /// A code or a name ("UKR", "UP", "365", "Zaire", "Ivory Coast").
    query: String,
    /// The scheme the code is in: iso3, iso2, isonum, m49, fips, gw, cow, views, vdem, name.
    /// Without it: ISO alpha-3, then alpha-2, then M49 for numbers, then names.
    #[arg(long)]
    scheme: Option<Scheme>,
    /// Resolve the code as it was on this date (YYYY, YYYY-MM or YYYY-MM-DD): GW 365 in 1985 is the USSR.
    #[arg(long, value_parser = |s: &str| Date::parse_lenient(s))]
    on: Option<Date>,
}

fn opt(v: Option<String>) -> String {
    v.unwrap_or_else(|| "-".into())
}

fn print(c: &Country, cw: &Crosswalk) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    let _ = writeln!(o, "{}\t{}", c.iso3, c.name);
    let letters = |n: Option<u16>, l: &Option<String>| match (n, l) {
        (Some(n), Some(l)) => format!("{n} ({l})"),
        (Some(n), None) => n.to_string(),
        _ => "-".into(),
    };
    let _ = writeln!(o, "  iso3    {}", c.iso3);
    let _ = writeln!(o, "  iso2    {}", opt(c.iso2.clone()));
    let _ = writeln!(o, "  isonum  {}", opt(c.iso_numeric.map(|n| n.to_string())));
    let _ = writeln!(o, "  m49     {}", opt(c.m49.map(|n| n.to_string())));
    let _ = writeln!(o, "  fips    {}", opt(c.fips.clone()));
    let _ = writeln!(o, "  gw      {}", letters(c.gw, &c.gw_letters));
    let _ = writeln!(o, "  cow     {}", letters(c.cow, &c.cow_letters));
    let _ = writeln!(o, "  views   {}", opt(c.views_id.map(|n| n.to_string())));
    let _ = writeln!(o, "  vdem    {}", opt(c.vdem_id.map(|n| n.to_string())));
    if c.valid_from.is_some() || c.valid_to.is_some() {
        let _ = writeln!(
            o,
            "  valid   {} .. {}",
            opt(c.valid_from.map(|d| d.to_string())),
            opt(c.valid_to.map(|d| d.to_string()))
        );
    }
    if !c.region.is_empty() {
        let _ = writeln!(o, "  region  {} / {}", c.region, c.subregion);
    }
    if !c.aliases.is_empty() {
        let _ = writeln!(o, "  aliases {}", c.aliases.join("; "));
    }
    let n = cw.neighbours(&c.iso3);
    let _ = writeln!(o, "  neighbours ({}) {}", n.len(), n.join(" "));
    o
}

pub fn run(args: CountryArgs) -> Result<ExitCode> {
    let cw = Crosswalk::global();
    let found = match (args.scheme, args.on) {
        (Some(s), Some(d)) => cw.lookup_on(s, &args.query, d),
        (Some(s), None) => cw.lookup(s, &args.query),
        (None, Some(d)) => cw
            .find(&args.query)
            .and_then(|c| cw.lookup_on(Scheme::Iso3, &c.iso3, d)),
        (None, None) => cw.find(&args.query),
    };
    match found {
        Ok(c) => {
            crate::emit(&print(c, cw));
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("no match: {e}");
            Ok(ExitCode::from(1))
        }
    }
}

//! `attache climate`: the emulator (`warming`), the pledge aggregator (`pledges`), a country's
//! Paris progress, fair share and rating (`country`), and bloc progress (`bloc`).
//!
//! `warming` needs no store: the RCP and SSP tables are compiled into the binary
//! (`attache-climate`), or read from `--scenario FILE`. The others read the current vintage
//! (emissions, indicators, NDC tables, country groups) through [`load`].

mod import;
mod load;
mod pledges;
mod warming;

use std::process::ExitCode;

use anyhow::Result;
use clap::{Subcommand, ValueEnum};

pub use load::load_world;

/// Output format of the climate commands.
#[derive(Clone, Copy, Debug, ValueEnum, Default, PartialEq, Eq)]
pub enum Format {
    /// Aligned text for a terminal.
    #[default]
    Table,
    /// Comma-separated values with a header line.
    Csv,
    /// One JSON document.
    Json,
}

#[derive(Subcommand)]
pub enum ClimateCommand {
    /// Run the climate emulator on a scenario: warming vs 1850-1900 and CO2, with an optional
    /// parameter-uncertainty ensemble (5/17/50/83/95% quantiles). No store needed.
    Warming(warming::WarmingArgs),
    /// Compare "current policies", "NDCs" and a user scenario (--edit): global fossil CO2,
    /// warming, CO2 concentration, remaining carbon budget.
    Pledges(pledges::PledgesArgs),
    /// A country's Paris progress: history, NDC target, gap at the current trend, trend arrow,
    /// fair-share range and CAT-style rating band.
    Country(pledges::CountryArgs),
    /// A bloc's progress (members from `country_groups`: european-union, g20, aosis, ldc, ...).
    Bloc(pledges::BlocArgs),
    /// Import newer NDC or net-zero pledges from a CSV (iso3,pledge,round,submitted,source):
    /// checked line by line, published as a new vintage, on the audit record.
    Import(import::ImportArgs),
}

pub fn run(cmd: ClimateCommand) -> Result<ExitCode> {
    match cmd {
        ClimateCommand::Warming(a) => warming::run(a),
        ClimateCommand::Pledges(a) => pledges::run_pledges(a),
        ClimateCommand::Country(a) => pledges::run_country(a),
        ClimateCommand::Bloc(a) => pledges::run_bloc(a),
        ClimateCommand::Import(a) => import::run(a),
    }
}

//! `attache votes`: voting power of a weighted game (`power`). The computation lives in
//! `attache-negotiation`; this module parses the flags, builds the game and prints the table.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use arrow::array::{ArrayRef, Float64Array, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use attache_negotiation::{Game, PowerError, exact_power};
use clap::{Args, Subcommand, ValueEnum};

use crate::output::{self, OutputArgs};

#[derive(Subcommand)]
pub enum VotesCommand {
    /// Exact voting power (Shapley-Shubik, normalised Banzhaf) of a weighted game.
    ///
    /// A coalition wins when its weights add up to at least the quota. Weights and quota may be
    /// decimals (at most 6 places): they are then all multiplied by 10^d, d the most decimal
    /// places among them, to make integers; power is unchanged by a common scale, so the
    /// figures are exact. The weight column prints the weights as given.
    Power(PowerArgs),
}

/// A preset game.
#[derive(Clone, Copy, ValueEnum)]
pub enum Preset {
    /// The UN Security Council (Charter Art. 27(3)): [39; 7 x 5 permanent, 1 x 10 elected].
    Unsc,
    /// The EU Council's qualified majority (TEU Art. 16(4): 55% of members, at least 15, 65%
    /// of population, blocking minority of at least 4) over Eurostat's populations of
    /// 1 January 2024 in thousands.
    EuCouncil,
}

#[derive(Args)]
pub struct PowerArgs {
    /// The quota: the total weight a coalition needs to win.
    #[arg(long, required_unless_present = "game", conflicts_with = "game")]
    quota: Option<String>,
    /// The members' weights, comma-separated (integers, or decimals with at most 6 places).
    #[arg(
        long,
        required_unless_present = "game",
        conflicts_with = "game",
        requires = "quota"
    )]
    weights: Option<String>,
    /// Member names, comma-separated, one per weight (default: member 1, member 2, ...).
    #[arg(long, conflicts_with = "game")]
    names: Option<String>,
    /// A preset game instead of --quota and --weights.
    #[arg(long, value_enum)]
    game: Option<Preset>,
    #[command(flatten)]
    out: OutputArgs,
}

pub fn run(cmd: VotesCommand) -> Result<ExitCode> {
    match cmd {
        VotesCommand::Power(args) => power(args),
    }
}

/// Most decimal places accepted in a weight or quota.
const MAX_PLACES: usize = 6;

/// Parses non-negative decimals ("7", "2.5") and scales them all by the same power of ten into
/// integers. Returns the integers and the number of decimal places used.
fn scale_decimals(values: &[&str], what: &[&str]) -> Result<(Vec<u64>, u32)> {
    let mut places = 0usize;
    for (v, w) in values.iter().zip(what) {
        let v = v.trim();
        let ok = !v.is_empty()
            && v.chars().all(|c| c.is_ascii_digit() || c == '.')
            && v.matches('.').count() <= 1
            && !v.starts_with('.')
            && !v.ends_with('.');
        if !ok {
            bail!("{w} {v:?} is not a non-negative number (digits, optionally one decimal point)");
        }
        if let Some((_, frac)) = v.split_once('.') {
            if frac.len() > MAX_PLACES {
                bail!(
                    "{w} {v:?} has {} decimal places; at most {MAX_PLACES} are accepted",
                    frac.len()
                );
            }
            places = places.max(frac.len());
        }
    }
    let mut out = Vec::with_capacity(values.len());
    for (v, w) in values.iter().zip(what) {
        let v = v.trim();
        let (int, frac) = v.split_once('.').unwrap_or((v, ""));
        let digits = format!("{int}{frac:0<places$}");
        let n: u64 = digits
            .parse()
            .with_context(|| format!("{w} {v:?} is too large (scaled, it must fit 64 bits)"))?;
        out.push(n);
    }
    Ok((out, places as u32))
}

fn split_list(s: &str) -> Vec<&str> {
    s.split(',').map(str::trim).collect()
}

fn eu_council() -> Result<Game> {
    let text = include_str!("../../negotiation/tests/fixtures/eu27_population_2024.csv");
    let (mut names, mut pops) = (Vec::new(), Vec::new());
    for line in text.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let cols: Vec<&str> = line.split(',').collect();
        let (Some(name), Some(pop)) = (cols.get(1), cols.get(2)) else {
            bail!("the embedded EU population table has a short line: {line:?}");
        };
        names.push(name.to_string());
        pops.push(
            pop.parse::<u64>()
                .with_context(|| format!("embedded EU population {pop:?}"))?,
        );
    }
    Game::eu_council(names, pops).context("building the EU Council game")
}

fn power(args: PowerArgs) -> Result<ExitCode> {
    // The game, and the weight column as the user wrote it.
    let (game, shown): (Game, Option<Vec<f64>>) = match args.game {
        Some(Preset::Unsc) => (Game::un_security_council(), None),
        Some(Preset::EuCouncil) => (eu_council()?, None),
        None => {
            let (Some(quota), Some(weights)) = (&args.quota, &args.weights) else {
                bail!("give --quota and --weights, or --game");
            };
            let weights = split_list(weights);
            let mut all = weights.clone();
            all.push(quota.as_str());
            let mut what = vec!["weight"; weights.len()];
            what.push("quota");
            let (mut ints, places) = scale_decimals(&all, &what)?;
            let q = ints.pop().expect("the quota was pushed");
            let shown = (places > 0).then(|| {
                weights
                    .iter()
                    .map(|w| w.parse::<f64>().unwrap_or(f64::NAN))
                    .collect()
            });
            let mut game = Game::weighted(q, ints).context("building the weighted game")?;
            if let Some(names) = &args.names {
                let names = split_list(names).into_iter().map(String::from).collect();
                game = game.with_names(names).context("naming the members")?;
            }
            (game, shown)
        }
    };
    let power = match exact_power(&game) {
        Ok(p) => p,
        Err(e @ (PowerError::TableTooLarge { .. } | PowerError::TooManyForExact { .. })) => {
            return Err(anyhow::Error::new(e).context(
                "exact power is out of reach for this game; scale the weights down (e.g. thousands) or reduce the members",
            ));
        }
        Err(e) => return Err(e).context("computing voting power"),
    };
    let rows = power.rows();
    let member: ArrayRef = Arc::new(StringArray::from_iter_values(rows.iter().map(|r| r.member)));
    let (weight, weight_type): (ArrayRef, DataType) = match shown {
        Some(w) => (Arc::new(Float64Array::from(w)), DataType::Float64),
        None => (
            Arc::new(arrow::array::UInt64Array::from_iter_values(
                rows.iter().map(|r| r.weight),
            )),
            DataType::UInt64,
        ),
    };
    let ss: ArrayRef = Arc::new(Float64Array::from_iter_values(
        rows.iter().map(|r| r.shapley_shubik),
    ));
    let bz: ArrayRef = Arc::new(Float64Array::from_iter_values(
        rows.iter().map(|r| r.banzhaf),
    ));
    let schema = Arc::new(Schema::new(vec![
        Field::new("member", DataType::Utf8, false),
        Field::new("weight", weight_type, false),
        Field::new("shapley_shubik", DataType::Float64, false),
        Field::new("banzhaf", DataType::Float64, false),
    ]));
    let batch = RecordBatch::try_new(schema, vec![member, weight, ss, bz])
        .context("building the power table")?;
    output::write(&[batch], &args.out)?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(values: &[&str], expect: Result<(Vec<u64>, u32), &str>) {
        let what = vec!["weight"; values.len()];
        match (scale_decimals(values, &what), expect) {
            (Ok(got), Ok(want)) => assert_eq!(got, want, "{values:?}"),
            (Err(e), Err(want)) => {
                assert!(format!("{e:#}").contains(want), "{values:?}: {e:#}")
            }
            (got, want) => panic!("{values:?}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn decimal_weights_scale_to_integers() {
        check(&["7", "1", "39"], Ok((vec![7, 1, 39], 0)));
        check(&["2.5", "1", "3.25"], Ok((vec![250, 100, 325], 2)));
        check(&["0.000001", "1"], Ok((vec![1, 1_000_000], 6)));
        check(&["0.0000001"], Err("at most 6"));
        check(&["-1"], Err("not a non-negative number"));
        check(&["1e3"], Err("not a non-negative number"));
        check(&["1..2"], Err("not a non-negative number"));
        check(&[""], Err("not a non-negative number"));
        check(&["99999999999999999999"], Err("too large"));
    }
}

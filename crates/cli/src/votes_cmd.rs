//! `attache votes`: voting power of a weighted game (`power`), positions from the UN
//! General Assembly record (`ideal-points`, `agreement`, `blocs`) and from the General Debate
//! speeches (`speeches`, Wordfish). The computations live in `attache-negotiation`, the store's
//! `votes_inputs` and `speech_inputs` read the tables; this module parses the flags and prints
//! the tables.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use arrow::array::{ArrayRef, Float64Array, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use attache_negotiation::{
    Game, IdealPointModel, PowerError, agreement_with, correlation, exact_power, presets,
};
use clap::{Args, Subcommand, ValueEnum};

use crate::output::{self, OutputArgs, batch};

#[derive(Subcommand)]
pub enum VotesCommand {
    /// Exact voting power (Shapley-Shubik, normalised Banzhaf) of a weighted game.
    ///
    /// A coalition wins when its weights add up to at least the quota. Weights and quota may be
    /// decimals (at most 6 places): they are then all multiplied by 10^d, d the most decimal
    /// places among them, to make integers; power is unchanged by a common scale, so the
    /// figures are exact. The weight column prints the weights as given.
    Power(PowerArgs),
    /// Our one-dimensional ideal points per state and year from UN General Assembly votes.
    ///
    /// A two-parameter item-response model (yes 1, abstain 0.5, no 0; absences are not votes)
    /// fitted per year as the votes file dates them (a General Assembly session, year =
    /// session + 1945), scaled to mean 0 and sd 1 with the United States positive. With
    /// --compare, beside each estimate: Voeten's published ideal point (--published: by
    /// default the per-session `idealpointlegacy`, the same roll calls as ours) and the year's
    /// correlation across states.
    IdealPoints(IdealPointsArgs),
    /// Agreement of one state with every other in UN General Assembly votes, per year:
    /// 1 - mean |a - b| over the roll calls both voted on (yes 1, abstain 0.5, no 0).
    Agreement(AgreementArgs),
    /// Voting blocs of a year: average-linkage clustering of 1 - agreement into K blocs.
    Blocs(BlocsArgs),
    /// Positions of states from their General Debate speeches of a year (Wordfish).
    ///
    /// Slapin & Proksch's Poisson scaling model (2008) over the year's speeches of the UN
    /// General Debate Corpus: words lowercased, letters only, Snowball English stop words
    /// dropped, terms used by at least 5 speeches; θ has mean 0 and sd 1, the --positive
    /// speech above the --negative one. With --topic only the sentences that mention the
    /// topic's keywords are scaled (lists in `attache_text::TOPICS`). Speeches
    /// with too few words are set aside and named on stderr. `words` is the tokens θ rests on.
    Speeches(SpeechesArgs),
}

#[derive(Args)]
pub struct SpeechesArgs {
    /// The calendar year of the General Debate (session = year - 1945).
    #[arg(long)]
    year: i32,
    /// Scale only the sentences on this topic: disarmament, climate, human-rights,
    /// development, palestine or conflict.
    #[arg(long)]
    topic: Option<String>,
    /// The speech on the positive side: its state's ISO3 or the corpus code; of a
    /// comma-separated list, the first whose speech is scaled (a state may not have spoken, or
    /// said too little on the topic). The anchors taken are named on stderr.
    #[arg(long, default_value = "USA,GBR,FRA")]
    positive: String,
    /// The speech on the negative side, as --positive (the corpus's RUS is the Soviet Union
    /// before 1992; it has no speech of 1970, where Cuba is taken).
    #[arg(long, default_value = "RUS,CUB,CHN")]
    negative: String,
    /// Add Voeten's published ideal point (`idealpointall`) and the correlation across states.
    #[arg(long)]
    compare: bool,
    #[command(flatten)]
    out: OutputArgs,
    #[command(flatten)]
    data: crate::DataDir,
}

#[derive(Args)]
pub struct IdealPointsArgs {
    /// Only this calendar year (default: every year with votes).
    #[arg(long)]
    year: Option<i32>,
    /// Add the published ideal point and the year's correlation across states.
    #[arg(long)]
    compare: bool,
    /// Which published estimate --compare sets beside ours: `session` (`idealpointlegacy`,
    /// per session like ours), `all` (`idealpointall`, calendar years, all roll calls) or
    /// `fp` (`idealpointfp`, calendar years, final-passage votes).
    #[arg(long, value_enum, default_value = "session")]
    published: PublishedColumn,
    #[command(flatten)]
    out: OutputArgs,
    #[command(flatten)]
    data: crate::DataDir,
}

/// The `--published` choice.
#[derive(Clone, Copy, clap::ValueEnum)]
enum PublishedColumn {
    Session,
    All,
    Fp,
}

impl From<PublishedColumn> for attache_store::votes_inputs::Published {
    fn from(p: PublishedColumn) -> Self {
        use attache_store::votes_inputs::Published;
        match p {
            PublishedColumn::Session => Published::Session,
            PublishedColumn::All => Published::All,
            PublishedColumn::Fp => Published::FinalPassage,
        }
    }
}

#[derive(Args)]
pub struct AgreementArgs {
    /// The state (ISO alpha-3, another code or a name; the USSR is SUN before 1992).
    #[arg(long = "with")]
    with: String,
    /// Only this calendar year (default: every year).
    #[arg(long)]
    year: Option<i32>,
    #[command(flatten)]
    out: OutputArgs,
    #[command(flatten)]
    data: crate::DataDir,
}

#[derive(Args)]
pub struct BlocsArgs {
    /// The calendar year.
    #[arg(long)]
    year: i32,
    /// How many blocs.
    #[arg(long, default_value_t = 5)]
    k: usize,
    #[command(flatten)]
    out: OutputArgs,
    #[command(flatten)]
    data: crate::DataDir,
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
        VotesCommand::IdealPoints(args) => ideal_points(args),
        VotesCommand::Agreement(args) => agreement(args),
        VotesCommand::Blocs(args) => blocs(args),
        VotesCommand::Speeches(args) => speeches(args),
    }
}

fn power(args: PowerArgs) -> Result<ExitCode> {
    // The game, and the weight column as the user wrote it.
    let (game, shown): (Game, Option<Vec<f64>>) = match args.game {
        Some(Preset::Unsc) => (Game::un_security_council(), None),
        Some(Preset::EuCouncil) => (presets::eu_council_2024(), None),
        None => {
            let (Some(quota), Some(weights)) = (&args.quota, &args.weights) else {
                bail!("give --quota and --weights, or --game");
            };
            presets::weighted_from_text(quota, weights, args.names.as_deref())
                .context("building the weighted game")?
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

fn ideal_points(args: IdealPointsArgs) -> Result<ExitCode> {
    use attache_store::votes_inputs::{published_ideal_points, votes_by_year};
    let store = args.data.store()?;
    let v = store.require_current()?;
    let rt = crate::runtime()?;
    let votes = rt
        .block_on(votes_by_year(&v, args.year))
        .context("reading UN votes")?;
    if votes.is_empty() {
        bail!(
            "no UN votes{} in vintage {}",
            args.year.map_or(String::new(), |y| format!(" in {y}")),
            v.id
        );
    }
    let published = if args.compare {
        rt.block_on(published_ideal_points(&v, args.year, args.published.into()))
            .context("reading the published ideal points")?
    } else {
        Default::default()
    };
    let model = IdealPointModel::default();
    let (mut iso3, mut year, mut ours) = (Vec::new(), Vec::new(), Vec::new());
    let (mut theirs, mut corr) = (Vec::new(), Vec::new());
    for (y, vs) in &votes {
        let fit = match model.fit(vs) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("{y}: no ideal points ({e})");
                continue;
            }
        };
        if !fit.converged {
            eprintln!(
                "{y}: the fit stopped after {} sweeps without converging",
                fit.sweeps
            );
        }
        let pubs: std::collections::HashMap<&str, f64> = published
            .get(y)
            .map(|p| p.iter().map(|(s, x)| (s.as_str(), *x)).collect())
            .unwrap_or_default();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for (s, x) in fit.states.iter().zip(&fit.ideal_points) {
            if let Some(p) = pubs.get(s.as_str()) {
                a.push(*x);
                b.push(*p);
            }
        }
        let r = correlation(&a, &b);
        for (s, x) in fit.states.iter().zip(&fit.ideal_points) {
            iso3.push(s.clone());
            year.push(*y as i64);
            ours.push(*x);
            theirs.push(pubs.get(s.as_str()).copied());
            corr.push(r);
        }
    }
    let mut fields: Vec<(&str, ArrayRef)> = vec![
        ("iso3", Arc::new(StringArray::from(iso3))),
        ("year", Arc::new(arrow::array::Int64Array::from(year))),
        ("ideal_point", Arc::new(Float64Array::from(ours))),
    ];
    if args.compare {
        fields.push(("published", Arc::new(Float64Array::from(theirs))));
        fields.push(("correlation", Arc::new(Float64Array::from(corr))));
    }
    output::write(&[batch(fields)?], &args.out)?;
    Ok(ExitCode::SUCCESS)
}

/// The ISO alpha-3 key of a code or name.
fn state_key(query: &str) -> Result<String> {
    let cw = attache_core::Crosswalk::global();
    if cw.get(&query.to_ascii_uppercase()).is_some() {
        return Ok(query.to_ascii_uppercase());
    }
    Ok(cw
        .find(query)
        .with_context(|| format!("no state {query:?}"))?
        .iso3
        .clone())
}

fn agreement(args: AgreementArgs) -> Result<ExitCode> {
    use attache_store::votes_inputs::votes_by_year;
    let state = state_key(&args.with)?;
    let store = args.data.store()?;
    let v = store.require_current()?;
    let votes = crate::runtime()?
        .block_on(votes_by_year(&v, args.year))
        .context("reading UN votes")?;
    let (mut year, mut other, mut score, mut n) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (y, vs) in &votes {
        for g in agreement_with(vs, &state) {
            year.push(*y as i64);
            other.push(g.b);
            score.push(g.score);
            n.push(g.roll_calls as i64);
        }
    }
    if year.is_empty() {
        bail!(
            "{state} cast no vote{} in the record (the USSR is SUN before 1992, Yugoslavia YUG)",
            args.year.map_or(String::new(), |y| format!(" in {y}"))
        );
    }
    let len = year.len();
    let fields: Vec<(&str, ArrayRef)> = vec![
        (
            "iso3",
            Arc::new(StringArray::from(vec![state.as_str(); len])),
        ),
        ("year", Arc::new(arrow::array::Int64Array::from(year))),
        ("other", Arc::new(StringArray::from(other))),
        ("agreement", Arc::new(Float64Array::from(score))),
        ("roll_calls", Arc::new(arrow::array::Int64Array::from(n))),
    ];
    output::write(&[batch(fields)?], &args.out)?;
    Ok(ExitCode::SUCCESS)
}

fn blocs(args: BlocsArgs) -> Result<ExitCode> {
    use attache_store::votes_inputs::votes_by_year;
    let store = args.data.store()?;
    let v = store.require_current()?;
    let votes = crate::runtime()?
        .block_on(votes_by_year(&v, Some(args.year)))
        .context("reading UN votes")?;
    let Some(vs) = votes.get(&args.year) else {
        bail!("no UN votes in {}", args.year);
    };
    let b = attache_negotiation::blocs(&attache_negotiation::agreement(vs), args.k)
        .context("clustering the agreement matrix")?;
    let (mut bloc, mut iso3, mut cohesion) = (Vec::new(), Vec::new(), Vec::new());
    for (i, (members, c)) in b.blocs.iter().zip(&b.cohesion).enumerate() {
        for m in members {
            bloc.push(i as i64 + 1);
            iso3.push(m.clone());
            cohesion.push(*c);
        }
    }
    let fields: Vec<(&str, ArrayRef)> = vec![
        ("bloc", Arc::new(arrow::array::Int64Array::from(bloc))),
        ("iso3", Arc::new(StringArray::from(iso3))),
        ("cohesion", Arc::new(Float64Array::from(cohesion))),
    ];
    output::write(&[batch(fields)?], &args.out)?;
    Ok(ExitCode::SUCCESS)
}

/// Shortest speech scaled, in tokens of the kept vocabulary: whole speeches, topic excerpts.
const MIN_TOKENS: (usize, usize) = (50, 20);

fn speeches(args: SpeechesArgs) -> Result<ExitCode> {
    use attache_negotiation::{Anchors, Document, Dtm, DtmOptions, Explain, Topic, Wordfish};
    use attache_store::speech_inputs;
    use attache_store::votes_inputs::{Published, published_ideal_points};
    let topic = match &args.topic {
        Some(t) => Some(Topic::find(t)?),
        None => None,
    };
    let store = args.data.store()?;
    let v = store.require_current()?;
    let rt = crate::runtime()?;
    let all = rt
        .block_on(speech_inputs::speeches(&v, args.year, args.year, topic))
        .context("reading the General Debate speeches")?;
    if all.is_empty() {
        bail!(
            "no General Debate speeches in {} in vintage {}",
            args.year,
            v.id
        );
    }
    let docs: Vec<Document> = all.iter().map(|s| s.document(false)).collect();
    let opts = DtmOptions {
        min_tokens: if topic.is_some() {
            MIN_TOKENS.1
        } else {
            MIN_TOKENS.0
        },
        ..DtmOptions::default()
    };
    let dtm = Dtm::build(&docs, &opts).context("counting the words")?;
    for (id, why) in &dtm.excluded {
        eprintln!("{}: {id} set aside ({why})", args.year);
    }
    // An anchor names a speech by its state's ISO3 or by the corpus's code; of a list, the
    // first scaled, else the first that spoke (the fit then says why it was set aside).
    let anchor = |list: &str| -> Result<String> {
        let wanted: Vec<String> = list
            .split(',')
            .map(|a| a.trim().to_ascii_uppercase())
            .collect();
        let spoke: Vec<&str> = wanted
            .iter()
            .filter_map(|a| all.iter().find(|s| s.id() == a || s.code == *a))
            .map(|s| s.id())
            .collect();
        spoke
            .iter()
            .find(|id| dtm.docs.iter().any(|d| d == *id))
            .or(spoke.first())
            .map(|id| id.to_string())
            .with_context(|| format!("no speech of {} in {}", wanted.join(" or "), args.year))
    };
    let anchors = Anchors {
        positive: anchor(&args.positive)?,
        negative: anchor(&args.negative)?,
    };
    eprintln!(
        "{}: direction: {} above {}",
        args.year, anchors.positive, anchors.negative
    );
    let fit = Wordfish::default()
        .fit(&dtm, &anchors)
        .with_context(|| format!("scaling the speeches of {}", args.year))?;
    eprintln!("{}", fit.explain());
    let published = if args.compare {
        rt.block_on(published_ideal_points(&v, Some(args.year), Published::All))
            .context("reading the published ideal points")?
            .remove(&args.year)
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let pubs: std::collections::HashMap<&str, f64> =
        published.iter().map(|(s, x)| (s.as_str(), *x)).collect();
    let theirs: Vec<Option<f64>> = fit
        .docs
        .iter()
        .map(|d| pubs.get(d.as_str()).copied())
        .collect();
    let (a, b): (Vec<f64>, Vec<f64>) = fit
        .theta
        .iter()
        .zip(&theirs)
        .filter_map(|(t, p)| p.map(|p| (*t, p)))
        .unzip();
    let r = correlation(&a, &b);
    if args.compare {
        eprintln!(
            "{}: correlation with the published ideal points over {} states: {}",
            args.year,
            a.len(),
            r.map_or("none".into(), |r| format!("{r:.3}"))
        );
    }
    let n = fit.docs.len();
    let mut fields: Vec<(&str, ArrayRef)> = vec![
        ("iso3", Arc::new(StringArray::from(fit.docs.clone()))),
        (
            "year",
            Arc::new(arrow::array::Int64Array::from(vec![args.year as i64; n])),
        ),
        ("theta", Arc::new(Float64Array::from(fit.theta.clone()))),
        (
            "words",
            Arc::new(arrow::array::Int64Array::from_iter_values(
                fit.words.iter().map(|w| *w as i64),
            )),
        ),
    ];
    if args.compare {
        fields.push(("published", Arc::new(Float64Array::from(theirs))));
        fields.push(("correlation", Arc::new(Float64Array::from(vec![r; n]))));
    }
    output::write(&[batch(fields)?], &args.out)?;
    Ok(ExitCode::SUCCESS)
}

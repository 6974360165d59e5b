//! `attache brief`: decision briefs from the command line (`<data-dir>/attache.db`).
//!
//! `--as NAME` names the account the operator acts for (CLI operators are trusted to act for a
//! named account; without `--as` the command runs as the anonymous visitor). The account's role
//! and clearance apply exactly as in the dashboard: a brief above it is "not found". `decide`
//! also needs that account's password on the first line of standard input, so nobody decides for
//! a diplomat without their password. Every change, decision, classified read and export is
//! recorded in the audit log, so the vault keyring and the audit signing key must be configured
//! (`attache keys init`, or the `ATTACHE_VAULT_KEY` / `ATTACHE_AUDIT_SIGNING_KEY` variables).

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use attache_accounts::{Accounts, Clearance, LoginOutcome, Principal};
use attache_audit::Signer;
use attache_briefs::{
    Brief, Briefs, Decision, EvidenceKind, ListFilter, NewBrief, NewEvidence, NewOption,
    SignedAuditLog, State,
};
use attache_climate::calibration::ParamSet;
use attache_core::MonthId;
use attache_core::outcome::{Horizon, OutcomeQuery, PredictedOutcome, PredictorKind, Settings};
use attache_forecast::predictor::P_ANY_NEXT12;
use attache_pledges::predictor::{WARMING, WORLD};
use clap::{Args, Subcommand};

use crate::DataDir;
use crate::keys_cmd::SecretsDir;

#[derive(Args)]
pub struct BriefArgs {
    #[command(subcommand)]
    command: BriefCommand,
    #[command(flatten)]
    data: DataDir,
    #[command(flatten)]
    secrets: SecretsDir,
}

/// The account the command acts for.
#[derive(Args, Clone)]
struct Actor {
    /// The account to act as (its role and clearance apply). Without it: the anonymous visitor.
    #[arg(long = "as", value_name = "NAME")]
    name: Option<String>,
}

/// The content of a new brief.
#[derive(Args)]
struct Content {
    #[arg(long)]
    title: String,
    #[arg(long)]
    question: String,
    /// public, restricted, confidential or secret (at most your clearance).
    #[arg(long)]
    classification: Clearance,
    /// An option as "title: summary" (the summary may be left out). Two or more.
    #[arg(long = "option", value_name = "TITLE: SUMMARY", required = true)]
    options: Vec<String>,
}

impl Content {
    fn new_brief(&self) -> NewBrief {
        NewBrief {
            title: self.title.clone(),
            question: self.question.clone(),
            classification: self.classification,
            options: self.options.iter().map(|o| parse_option(o)).collect(),
        }
    }
}

/// "title: summary" -> option; no colon -> a title without summary.
fn parse_option(s: &str) -> NewOption {
    match s.split_once(':') {
        Some((t, rest)) => NewOption {
            title: t.trim().to_string(),
            summary: rest.trim().to_string(),
        },
        None => NewOption {
            title: s.trim().to_string(),
            summary: String::new(),
        },
    }
}

#[derive(Subcommand)]
enum BriefCommand {
    /// Create a draft brief; prints its id.
    Create {
        #[command(flatten)]
        actor: Actor,
        #[command(flatten)]
        content: Content,
    },
    /// List the briefs you may read, newest first.
    List {
        #[command(flatten)]
        actor: Actor,
        /// Only briefs in this state: draft, review, decided, archived.
        #[arg(long, value_parser = parse_state)]
        state: Option<State>,
        /// Only briefs whose title or question contains this text (case-insensitive).
        #[arg(long)]
        search: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u64,
        #[arg(long, default_value_t = 0)]
        offset: u64,
    },
    /// Show a brief: question, evidence, options with predictions, decision, history.
    Show {
        id: i64,
        #[command(flatten)]
        actor: Actor,
    },
    /// Draft -> review.
    Submit {
        id: i64,
        #[command(flatten)]
        actor: Actor,
    },
    /// Review -> draft, for more work.
    Return {
        id: i64,
        #[command(flatten)]
        actor: Actor,
    },
    /// Record a decision (diplomats only; your password on the first line of standard input).
    Decide {
        id: i64,
        #[command(flatten)]
        actor: Actor,
        /// The chosen option, numbered from 1 as `show` prints them.
        #[arg(
            long,
            conflicts_with = "reject_all",
            required_unless_present = "reject_all"
        )]
        option: Option<usize>,
        /// Take none of the options.
        #[arg(long)]
        reject_all: bool,
        /// Why (required).
        #[arg(long)]
        rationale: String,
    },
    /// Archive a draft or a decided brief (diplomats and admins).
    Archive {
        id: i64,
        #[command(flatten)]
        actor: Actor,
    },
    /// Amend a decided or archived brief: a new draft linked to it; prints its id.
    Amend {
        id: i64,
        #[command(flatten)]
        actor: Actor,
        #[command(flatten)]
        content: Content,
    },
    /// Add a model's prediction as evidence and as a predicted outcome of options of a draft:
    /// the conflict forecast (latest stored run) or the climate emulator under a scenario.
    Predict {
        id: i64,
        #[command(flatten)]
        actor: Actor,
        #[command(flatten)]
        predict: PredictArgs,
        /// Options to attach it to, numbered from 1 (default: all).
        #[arg(long = "option")]
        options: Vec<usize>,
    },
    /// Write a printable HTML page of a brief (outside the data dir).
    Export {
        id: i64,
        #[command(flatten)]
        actor: Actor,
        #[arg(long)]
        out: PathBuf,
    },
    /// The models `brief predict --model` can use (the registry): name, kind, what they
    /// predict, their quantities and settings.
    Models,
    /// After `attache keys rotate`: reseal all brief content under the active key (admins).
    /// Then `attache keys retire OLD_KEY`.
    Rewrap {
        #[command(flatten)]
        actor: Actor,
    },
}

/// What to predict, for `brief predict`.
#[derive(Args)]
struct PredictArgs {
    /// The model, by its name in the registry (`attache brief models` lists them): conflict
    /// (default; the latest stored forecast run) or climate (the emulator's ensemble).
    #[arg(long, default_value = "conflict")]
    model: String,
    /// Conflict only (required there): the country, by ISO 3166 alpha-3 code or any code or
    /// name `attache country` understands.
    #[arg(long)]
    country: Option<String>,
    /// Conflict: p_any_ge25_next12 (default), deaths_month or p_ge25_month. Climate: warming
    /// (default; K above 1850-1900), peak_warming or co2_ppm.
    #[arg(long)]
    quantity: Option<String>,
    /// Conflict: the month, for the monthly quantities (YYYY-MM; default: the first forecast
    /// month).
    #[arg(long, value_parser = parse_month)]
    month: Option<MonthId>,
    /// Climate only (required there): built-in emissions ssp119, ssp126, ssp245, ssp370,
    /// ssp585, rcp26, rcp45, rcp60, rcp85; or a policy scenario of the synced store:
    /// current-policies, ndcs, or "ndcs+ISO3=spec[;ISO3=spec...]" (the NDCs with edits, each
    /// spec as `attache climate pledges --edit` takes it, e.g. "ndcs+CHN=netzero:2050").
    #[arg(long)]
    scenario: Option<String>,
    /// Climate: one year (default 2100; peak_warming takes --years, default 2020-2100).
    #[arg(long, conflicts_with = "years")]
    year: Option<i32>,
    /// Climate: a period FIRST-LAST, e.g. 2081-2100: warming is its mean, peak_warming the
    /// maximum over it.
    #[arg(long, value_parser = parse_years, value_name = "FIRST-LAST")]
    years: Option<(i32, i32)>,
    /// Climate: ensemble members for the quantiles (default 200).
    #[arg(long)]
    members: Option<usize>,
    /// Climate: ensemble seed (default 20151212; the same seed gives the same numbers).
    #[arg(long)]
    seed: Option<u64>,
    /// Climate: emulator parameters: fair16, calibrated, calibrated-hist (default) or
    /// three-layer.
    #[arg(long, value_parser = |s: &str| s.parse::<ParamSet>())]
    params: Option<ParamSet>,
    /// Any model: a setting NAME=VALUE the model declares (repeatable; `attache brief models`
    /// lists them), e.g. for epidemic: --setting r0=2.5 --setting seed=CHN:10@2019-12-01.
    #[arg(long = "setting", value_name = "NAME=VALUE", value_parser = parse_setting)]
    settings: Vec<(String, String)>,
}

fn parse_setting(s: &str) -> Result<(String, String), String> {
    let (k, v) = s
        .split_once('=')
        .ok_or_else(|| format!("expected NAME=VALUE, got {s:?}"))?;
    if k.trim().is_empty() {
        return Err(format!("expected NAME=VALUE, got {s:?}"));
    }
    Ok((k.trim().to_string(), v.to_string()))
}

fn parse_years(s: &str) -> Result<(i32, i32), String> {
    let bad = || format!("expected FIRST-LAST years such as 2081-2100, got {s:?}");
    let (a, b) = s.split_once('-').ok_or_else(bad)?;
    let first = a.trim().parse().map_err(|_| bad())?;
    let last = b.trim().parse().map_err(|_| bad())?;
    Ok((first, last))
}

/// The outcome `brief predict` adds, the evidence kind and where it came from. The predictor
/// comes from the one registry (`crate::predictors`); the flags become its query and settings.
fn predict_outcome(
    a: &PredictArgs,
    data: &DataDir,
) -> Result<(PredictedOutcome, EvidenceKind, String)> {
    // The one resolver of every command: "Sudan", "SD" and "SDN" are one subject.
    let country = match a.country.as_deref() {
        Some(q) => Some(attache_core::Crosswalk::global().find(q)?.iso3.clone()),
        None => None,
    };
    let registry = crate::predictors::registry(data)?;
    let source = registry.get(&a.model)?;
    // The two models the flags were written for get their own advice first.
    match a.model.as_str() {
        "conflict" => {
            for (given, flag) in [
                (a.scenario.is_some(), "--scenario"),
                (a.year.is_some(), "--year"),
                (a.years.is_some(), "--years"),
                (a.members.is_some(), "--members"),
                (a.seed.is_some(), "--seed"),
                (a.params.is_some(), "--params"),
            ] {
                if given {
                    bail!(
                        "{flag} is for --model climate; the conflict forecast knows the status quo only"
                    );
                }
            }
            if a.country.is_none() {
                bail!("--model conflict needs --country ISO3 (the country the forecast is about)");
            }
        }
        "climate" => {
            if a.country.is_some() {
                bail!(
                    "--country is for --model conflict: the climate emulator is global (its subject is the world)"
                );
            }
            if a.month.is_some() {
                bail!(
                    "--month is for --model conflict: climate quantities are annual (--year or --years)"
                );
            }
            if a.scenario.is_none() {
                bail!(
                    "--model climate needs --scenario: ssp245 (or another built-in), current-policies, ndcs, or \"ndcs+ISO3=spec[;ISO3=spec...]\""
                );
            }
        }
        _ => {}
    }
    let mut settings = Settings::new();
    for (name, value) in [
        ("members", a.members.map(|v| v.to_string())),
        ("seed", a.seed.map(|v| v.to_string())),
        ("params", a.params.map(|v| v.id().to_string())),
    ] {
        if let Some(v) = value {
            settings = settings.set(name, v);
        }
    }
    for (name, value) in &a.settings {
        settings = settings.set(name, value);
    }
    if let Some(sc) = &a.scenario {
        settings = settings.with_scenario(source, sc);
    }
    let predictor = registry
        .open(&a.model, &settings)
        .with_context(|| format!("opening the {} predictor", a.model))?;
    let quantity = match (&a.quantity, a.model.as_str()) {
        (Some(q), _) => q.clone(),
        (None, "conflict") => P_ANY_NEXT12.to_string(),
        (None, "climate") => WARMING.to_string(),
        (None, _) => source
            .quantities()
            .first()
            .map(|q| q.id.clone())
            .context("the model names no quantity: give --quantity")?,
    };
    let subject = country.as_deref().unwrap_or(WORLD);
    let mut query = OutcomeQuery::new(&quantity, subject);
    if let Some(sc) = &a.scenario {
        query = query.scenario(sc);
    }
    match (a.month, a.year, a.years) {
        (Some(m), _, _) => query = query.horizon(Horizon::Month(m)),
        (None, Some(y), _) => query = query.horizon(Horizon::Year(y)),
        (None, None, Some((first, last))) => query = query.horizon(Horizon::Years { first, last }),
        (None, None, None) => {}
    }
    let outcome = predictor
        .predict(&query)
        .with_context(|| format!("predicting {quantity} for {subject} with model {}", a.model))?;
    let kind = match source.kind() {
        PredictorKind::Forecast => EvidenceKind::Forecast,
        PredictorKind::Simulation => EvidenceKind::Simulation,
    };
    Ok((outcome, kind, predictor.evidence_source(&query)))
}

fn parse_state(s: &str) -> Result<State, String> {
    State::parse(s).ok_or_else(|| format!("unknown state {s:?} (draft, review, decided, archived)"))
}

fn parse_month(s: &str) -> Result<MonthId, String> {
    MonthId::parse_ym(s).map_err(|e| e.to_string())
}

/// Option number (from 1) -> index.
fn option_index(n: usize) -> Result<usize> {
    if n == 0 {
        bail!("options are numbered from 1, as `attache brief show` prints them");
    }
    Ok(n - 1)
}

struct Ctx {
    data: PathBuf,
    accounts: Accounts,
    briefs: Briefs,
}

impl Ctx {
    fn open(args: &BriefArgs) -> Result<Ctx> {
        let data = args.data.path();
        std::fs::create_dir_all(&data)
            .with_context(|| format!("creating data dir {}", data.display()))?;
        let db = data.join("attache.db");
        let secrets = args.secrets.secrets(&data);
        let (ring, _) = secrets
            .keyring()
            .context("loading the vault keyring (brief content is sealed with it)")?;
        let (key, _) = secrets
            .audit_signing_key()
            .context("loading the audit signing key (every brief change is audited)")?;
        let log = crate::audit_cmd::open_log(&data)?;
        let sink = SignedAuditLog::new(log, Signer::new(key));
        let accounts = Accounts::open(&db)
            .with_context(|| format!("opening the accounts database {}", db.display()))?;
        let briefs = Briefs::open(&db, ring, Arc::new(sink))
            .with_context(|| format!("opening the briefs in {}", db.display()))?;
        Ok(Ctx {
            data,
            accounts,
            briefs,
        })
    }

    /// The principal `--as` names (trusted: no password), or the anonymous visitor.
    fn principal(&self, actor: &Actor) -> Result<Principal> {
        let Some(name) = &actor.name else {
            return Ok(Principal::anonymous());
        };
        let u = self
            .accounts
            .find_user(name)?
            .with_context(|| format!("no user named {name:?} (see `attache user list`)"))?;
        if u.disabled {
            bail!("user {name:?} is disabled");
        }
        Ok(Principal {
            user_id: Some(u.id),
            name: u.name,
            role: u.role,
            clearance: u.clearance,
        })
    }

    /// The principal `--as` names, after checking the password on standard input.
    fn authenticated(&self, actor: &Actor) -> Result<Principal> {
        let Some(name) = &actor.name else {
            bail!("deciding needs --as NAME and that account's password on standard input");
        };
        let password = read_password(name)?;
        match self
            .accounts
            .login(name, &password, "cli")
            .with_context(|| format!("checking the password of {name:?}"))?
        {
            LoginOutcome::Ok(session) => {
                self.accounts
                    .logout(&session.id)
                    .context("closing the password check's session")?;
                Ok(session.principal)
            }
            LoginOutcome::BadCredentials => {
                bail!("wrong password for {name:?}, or no such enabled account")
            }
            LoginOutcome::RateLimited { retry_after_secs } => {
                bail!("too many failed logins for {name:?}; try again in {retry_after_secs} s")
            }
        }
    }
}

fn read_password(name: &str) -> Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("password for {name}: ");
        std::io::stderr().flush().ok();
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let pw = line.strip_suffix('\n').unwrap_or(&line);
    let pw = pw.strip_suffix('\r').unwrap_or(pw);
    if pw.is_empty() {
        bail!("no password on standard input");
    }
    Ok(pw.to_string())
}

pub fn run(args: BriefArgs) -> Result<ExitCode> {
    if let BriefCommand::Models = args.command {
        // Reads no brief: no keys needed.
        let registry = crate::predictors::registry(&args.data)?;
        let mut out = String::new();
        for s in registry.iter() {
            let kind = s.kind().as_str();
            out.push_str(&format!("{}  ({kind}) {}\n", s.name(), s.description()));
            for q in s.quantities() {
                out.push_str(&format!(
                    "  quantity {}: {} [{}]\n",
                    q.id, q.description, q.unit
                ));
            }
            for st in s.settings() {
                out.push_str(&format!("  setting  {}: {}\n", st.name, st.description));
            }
        }
        crate::emit(&out);
        return Ok(ExitCode::SUCCESS);
    }
    let ctx = Ctx::open(&args)?;
    let b = &ctx.briefs;
    match args.command {
        BriefCommand::Create { actor, content } => {
            let p = ctx.principal(&actor)?;
            let id = b
                .create(&p, &content.new_brief())
                .context("creating the brief")?;
            println!("{id}");
        }
        BriefCommand::List {
            actor,
            state,
            search,
            limit,
            offset,
        } => {
            let p = ctx.principal(&actor)?;
            let page = b
                .list(
                    &p,
                    &ListFilter {
                        state,
                        classification: None,
                        text: search,
                        offset,
                        limit,
                    },
                )
                .context("listing briefs")?;
            println!(
                "{:>5}  {:<12}  {:<8}  {:<16}  title",
                "id", "class", "state", "created by"
            );
            for s in &page.items {
                println!(
                    "{:>5}  {:<12}  {:<8}  {:<16}  {}",
                    s.id,
                    s.classification.as_str(),
                    s.state.as_str(),
                    s.created_by,
                    s.title
                );
            }
            println!(
                "{} of {} brief(s) you may read, from {}",
                page.items.len(),
                page.total,
                page.offset
            );
        }
        BriefCommand::Show { id, actor } => {
            let p = ctx.principal(&actor)?;
            let brief = b
                .get(&p, id)
                .with_context(|| format!("reading brief {id}"))?;
            crate::emit(&render_text(&brief));
        }
        BriefCommand::Submit { id, actor } => {
            b.submit_for_review(&ctx.principal(&actor)?, id)
                .with_context(|| format!("submitting brief {id}"))?;
            println!("brief {id} is in review");
        }
        BriefCommand::Return { id, actor } => {
            b.return_to_draft(&ctx.principal(&actor)?, id)
                .with_context(|| format!("returning brief {id} to draft"))?;
            println!("brief {id} is a draft again");
        }
        BriefCommand::Decide {
            id,
            actor,
            option,
            reject_all,
            rationale,
        } => {
            let decision = match (option, reject_all) {
                (Some(n), false) => Decision::Choose {
                    option_index: option_index(n)?,
                },
                (None, true) => Decision::RejectAll,
                _ => bail!("give either --option N or --reject-all"),
            };
            let p = ctx.authenticated(&actor)?;
            b.decide(&p, id, decision, &rationale)
                .map_err(|e| match e {
                    // A draft is decided after its review: say how to get it there.
                    attache_briefs::BriefsError::InvalidTransition {
                        from: State::Draft, ..
                    } => anyhow::anyhow!(
                        "{e}: submit it first: attache brief submit {id} --as NAME (an analyst or a diplomat)"
                    ),
                    e => anyhow::Error::new(e),
                })
                .with_context(|| format!("deciding brief {id}"))?;
            match decision {
                Decision::Choose { option_index } => {
                    println!("brief {id} decided: option {}", option_index + 1)
                }
                Decision::RejectAll => println!("brief {id} decided: all options rejected"),
            }
        }
        BriefCommand::Archive { id, actor } => {
            b.archive(&ctx.principal(&actor)?, id)
                .with_context(|| format!("archiving brief {id}"))?;
            println!("brief {id} archived");
        }
        BriefCommand::Amend { id, actor, content } => {
            let new = b
                .amend(&ctx.principal(&actor)?, id, &content.new_brief())
                .with_context(|| format!("amending brief {id}"))?;
            println!("{new}");
        }
        BriefCommand::Predict {
            id,
            actor,
            predict,
            options,
        } => {
            let p = ctx.principal(&actor)?;
            let (outcome, kind, source) = predict_outcome(&predict, &args.data)?;
            let brief = b
                .get(&p, id)
                .with_context(|| format!("reading brief {id}"))?;
            let indices: Vec<usize> = if options.is_empty() {
                (0..brief.options.len()).collect()
            } else {
                options
                    .into_iter()
                    .map(option_index)
                    .collect::<Result<_>>()?
            };
            let evidence = NewEvidence::from_outcome(kind, &source, &outcome);
            b.add_evidence(&p, id, &evidence)
                .with_context(|| format!("adding evidence to brief {id}"))?;
            for i in &indices {
                b.add_prediction(&p, id, *i, outcome.clone())
                    .with_context(|| format!("adding the prediction to option {}", i + 1))?;
            }
            println!("{}", outcome.describe());
            println!(
                "added as evidence and to option(s) {} of brief {id} (machine-written; {})",
                indices
                    .iter()
                    .map(|i| (i + 1).to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                outcome.label
            );
        }
        BriefCommand::Export { id, actor, out } => {
            refuse_inside(&out, &ctx.data)?;
            let p = ctx.principal(&actor)?;
            let html = b
                .export_html(&p, id)
                .with_context(|| format!("exporting brief {id}"))?;
            write_private(&out, html.as_bytes())?;
            println!("wrote {} ({} bytes)", out.display(), html.len());
        }
        BriefCommand::Models => unreachable!("answered before the briefs are opened"),
        BriefCommand::Rewrap { actor } => {
            let r = b
                .rewrap_all(&ctx.principal(&actor)?)
                .context("rewrapping brief content")?;
            println!(
                "resealed {} ciphertext(s) under the active key; {} already were",
                r.resealed, r.unchanged
            );
            for (key, n) in b.key_usage()? {
                println!("  key {key}: {n} ciphertext(s)");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Exports are plaintext: refuse to write one under the data dir, where nothing classified may
/// be in clear.
fn refuse_inside(out: &Path, data: &Path) -> Result<()> {
    let abs = |p: &Path| -> Result<PathBuf> {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir()?.join(p)
        };
        // Resolve the deepest existing ancestor (the file itself may not exist yet).
        let mut base = p.clone();
        let mut rest = Vec::new();
        while !base.exists() {
            match (base.file_name().map(|s| s.to_os_string()), base.parent()) {
                (Some(name), Some(parent)) => {
                    rest.push(name);
                    base = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut r = base.canonicalize().unwrap_or(base);
        r.extend(rest.iter().rev());
        Ok(r)
    };
    let (o, d) = (abs(out)?, abs(data)?);
    if o.starts_with(&d) {
        bail!(
            "{} is inside the data dir {}: exports are plain text, write them elsewhere",
            out.display(),
            data.display()
        );
    }
    Ok(())
}

/// Writes `bytes` to `path` (owner-only), through a temporary file renamed into place.
fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .with_context(|| format!("{} names no file", path.display()))?;
    let tmp = dir.join(format!(".{}.tmp", name.to_string_lossy()));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts
        .open(&tmp)
        .with_context(|| format!("creating {}", tmp.display()))?;
    f.write_all(bytes)
        .and_then(|_| f.sync_all())
        .with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path)
        .with_context(|| format!("renaming {} to {}", tmp.display(), path.display()))
}

/// A brief as text, between classification lines.
fn render_text(b: &Brief) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let banner = format!("==== {} ====", b.classification.as_str().to_uppercase());
    let _ = writeln!(s, "{banner}");
    let _ = writeln!(
        s,
        "Brief {} · {} · {} · revision {}",
        b.id, b.classification, b.state, b.revision
    );
    let _ = writeln!(s, "Title: {}", b.title);
    let _ = writeln!(s, "Created by {} at {}", b.created_by, b.created_at);
    if let Some(a) = b.amends {
        let _ = writeln!(s, "Amends brief {a}");
    }
    if !b.amended_by.is_empty() {
        let _ = writeln!(
            s,
            "Amended by brief(s) {}",
            b.amended_by
                .iter()
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let _ = writeln!(s, "\nQuestion:\n  {}", b.question.replace('\n', "\n  "));
    let _ = writeln!(s, "\nEvidence:");
    if b.evidence.is_empty() {
        let _ = writeln!(s, "  (none)");
    }
    for e in &b.evidence {
        let model = e
            .item
            .model
            .as_ref()
            .map(|m| format!(", model {m}"))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "  [{}] {} (source {}, data {}{model})",
            e.item.kind, e.item.title, e.item.source, e.item.data_vintage
        );
        let _ = writeln!(
            s,
            "      {} [{}]",
            e.item.summary.body,
            e.item.summary.author.label()
        );
    }
    let _ = writeln!(s, "\nOptions:");
    let chosen = match b.decision.as_ref().map(|d| d.decision) {
        Some(Decision::Choose { option_index }) => Some(option_index),
        _ => None,
    };
    for (i, o) in b.options.iter().enumerate() {
        let mark = if chosen == Some(i) { "  <- chosen" } else { "" };
        let _ = writeln!(s, "  {}. {}{mark}", i + 1, o.title);
        if !o.summary.body.is_empty() {
            let _ = writeln!(s, "     {} [{}]", o.summary.body, o.summary.author.label());
        }
        for p in &o.predictions {
            let _ = writeln!(
                s,
                "     predicted: {} [machine-written; {}]",
                p.describe(),
                p.label
            );
            for a in &p.assumptions {
                let _ = writeln!(s, "       assumes: {a}");
            }
        }
    }
    let _ = writeln!(s, "\nDecision:");
    match &b.decision {
        None => {
            let _ = writeln!(s, "  none recorded");
        }
        Some(d) => {
            let what = match d.decision {
                Decision::Choose { option_index } => format!("option {} chosen", option_index + 1),
                Decision::RejectAll => "all options rejected".to_string(),
            };
            let _ = writeln!(s, "  {what} by {} at {}", d.decided_by, d.decided_at);
            let _ = writeln!(s, "  rationale: {}", d.rationale.replace('\n', "\n    "));
        }
    }
    if !b.documents.is_empty() {
        let _ = writeln!(s, "\nDocuments:");
        for d in &b.documents {
            let _ = writeln!(
                s,
                "  {}. {} ({}, {} bytes, {})",
                d.id, d.name, d.media_type, d.size, d.classification
            );
        }
    }
    let _ = writeln!(s, "\nHistory:");
    for t in &b.history {
        let from = t.from.map(|f| format!("{f} -> ")).unwrap_or_default();
        let _ = writeln!(s, "  {} {from}{} by {}", t.at, t.to, t.by);
    }
    let _ = writeln!(s, "{banner}");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_parse() {
        for (input, title, summary) in [
            ("Recall: for consultations", "Recall", "for consultations"),
            ("Recall", "Recall", ""),
            (
                "  Stay :  keep it open: fully ",
                "Stay",
                "keep it open: fully",
            ),
        ] {
            let o = parse_option(input);
            assert_eq!(
                (o.title.as_str(), o.summary.as_str()),
                (title, summary),
                "{input:?}"
            );
        }
    }

    #[test]
    fn exports_stay_out_of_the_data_dir() {
        let d = tempfile::tempdir().unwrap();
        let data = d.path().join("data");
        std::fs::create_dir_all(&data).unwrap();
        assert!(refuse_inside(&data.join("x.html"), &data).is_err());
        assert!(refuse_inside(&data.join("new/deeper/x.html"), &data).is_err());
        assert!(refuse_inside(&data.join("../data/x.html"), &data).is_err());
        assert!(refuse_inside(&d.path().join("x.html"), &data).is_ok());
        assert!(refuse_inside(&d.path().join("data2/x.html"), &data).is_ok());
    }
}

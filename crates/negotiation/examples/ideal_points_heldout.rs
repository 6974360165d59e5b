//! Chooses the ideal-point likelihood by held-out votes, and reports the correlation with
//! Voeten's published `idealpointall` beside it (the score, never the training signal).
//!
//! Input: a CSV dump of the votes, `year,rcid,iso3,vote,date` (e.g. `attache sql --format csv
//! "SELECT year, rcid, iso3, vote, coalesce(date,'') AS date FROM un_votes"`), and of the
//! published points, `year,iso3,idealpointall,nvotesall`.
//!
//! ```text
//! cargo run --example ideal_points_heldout -- VOTES.csv PUBLISHED.csv [session|calendar] [YEARS]
//! ```
//!
//! Per year and likelihood: one scored vote in ten (by a hash of roll call and state) is held
//! out, the model is fitted on the rest, and the held-out votes of fitted states and roll calls
//! are scored two ways: the mean log-probability of the category (no, abstain, yes; each
//! model's probabilities mixed with 1/1000 of the uniform so that a category a training roll
//! call never saw stays finite; the fractional logit puts no mass on abstain and is left out),
//! and the mean Bernoulli quasi-log-likelihood of the score (1, 0.5, 0) at the model's expected
//! score, which every model has. Then the model is fitted on all votes and correlated with the
//! published points of the same year.

use std::collections::{BTreeMap, HashMap};
use std::error::Error;

use attache_negotiation::{Choice, IdealPointModel, Response, Vote, correlation};

fn held_out(rcid: i64, iso3: &str) -> bool {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in rcid.to_le_bytes().iter().chain(iso3.as_bytes()) {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h.is_multiple_of(10)
}

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        return Err(
            "usage: ideal_points_heldout VOTES.csv PUBLISHED.csv [session|calendar] [YEARS]".into(),
        );
    }
    let calendar = args.get(3).is_some_and(|a| a == "calendar");
    let years: Vec<i32> = args.get(4).map_or_else(
        || vec![1951, 1958, 1965, 1972, 1979, 1986, 1993, 2000, 2007, 2014],
        |s| {
            if s == "all" {
                (1946..=2024).collect()
            } else {
                s.split(',').map(|y| y.parse().expect("a year")).collect()
            }
        },
    );
    let mut votes: BTreeMap<i32, Vec<Vote>> = BTreeMap::new();
    for line in std::fs::read_to_string(&args[1])?.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let mut year: i32 = f[0].parse()?;
        if calendar && f[4].len() >= 4 {
            year = f[4][..4].parse()?;
        }
        votes.entry(year).or_default().push(Vote {
            roll_call: f[1].parse()?,
            state: f[2].to_string(),
            choice: Choice::from_code(f[3].parse()?)?,
        });
    }
    let mut published: HashMap<(i32, String), f64> = HashMap::new();
    for line in std::fs::read_to_string(&args[2])?.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        published.insert((f[0].parse()?, f[1].to_string()), f[2].parse()?);
    }
    let models = [
        ("fractional", Response::Fractional),
        ("ordered-logit", Response::OrderedLogit),
        ("ordered-probit", Response::OrderedProbit),
    ];
    println!("year,model,heldout_votes,category_ll,score_ll,correlation,states,converged");
    let mut totals: BTreeMap<&str, (f64, f64, usize)> = BTreeMap::new();
    for y in &years {
        let Some(vs) = votes.get(y) else { continue };
        let (train, test): (Vec<Vote>, Vec<Vote>) = vs
            .iter()
            .cloned()
            .partition(|v| v.choice.score().is_none() || !held_out(v.roll_call, &v.state));
        let only = std::env::var("MODELS").unwrap_or_default();
        for (name, response) in models {
            if !only.is_empty() && !only.split(',').any(|m| m == name) {
                continue;
            }
            let model = IdealPointModel {
                response,
                roll_call_prior_sd: std::env::var("PRIOR_SD")
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(IdealPointModel::default().roll_call_prior_sd),
                cutpoint_prior_sd: std::env::var("CUT_SD")
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(IdealPointModel::default().cutpoint_prior_sd),
                ..IdealPointModel::default()
            };
            let (mut cat, mut score, mut n) = (0.0, 0.0, 0usize);
            if let Ok(fit) = model.fit(&train) {
                for v in &test {
                    let Some(p) = fit.probabilities(&v.state, v.roll_call) else {
                        continue;
                    };
                    let k = match v.choice {
                        Choice::No => 0,
                        Choice::Abstain => 1,
                        _ => 2,
                    };
                    let y = k as f64 / 2.0;
                    let e = (p[2] + 0.5 * p[1]).clamp(1e-12, 1.0 - 1e-12);
                    score += y * e.ln() + (1.0 - y) * (1.0 - e).ln();
                    cat += (0.999 * p[k] + 0.001 / 3.0).ln();
                    n += 1;
                }
            }
            let full = match model.fit(vs) {
                Ok(f) => f,
                Err(e) => {
                    println!("{y},{name},,,,,,{e}");
                    continue;
                }
            };
            let (mut a, mut b) = (Vec::new(), Vec::new());
            for (s, x) in full.states.iter().zip(&full.ideal_points) {
                if let Some(p) = published.get(&(*y, s.clone())) {
                    a.push(*x);
                    b.push(*p);
                }
            }
            let r = correlation(&a, &b).unwrap_or(f64::NAN);
            let nn = n.max(1) as f64;
            println!(
                "{y},{name},{n},{:.5},{:.5},{r:.4},{},{}",
                cat / nn,
                score / nn,
                a.len(),
                full.converged
            );
            let t = totals.entry(name).or_default();
            t.0 += cat;
            t.1 += score;
            t.2 += n;
        }
    }
    for (name, (cat, score, n)) in totals {
        let nn = n.max(1) as f64;
        println!("all,{name},{n},{:.5},{:.5},,,", cat / nn, score / nn);
    }
    Ok(())
}

//! Positions from speeches: Wordfish, the Poisson scaling model of Slapin & Proksch (2008, "A
//! Scaling Model for Estimating Time-Series Party Positions from Texts", *American Journal of
//! Political Science* 52(3): 705-722), fitted to one set of texts (the UN General Debate
//! speeches of a year, say). The caller hands over plain [`Document`]s; nothing here does IO.
//!
//! # Words ([`tokens`], [`Dtm`])
//!
//! A text is lowercased and cut into maximal runs of letters (`char::is_alphabetic`: digits,
//! punctuation and apostrophes split words, so "nation's" gives "nation" and "s"); tokens of
//! fewer than [`DtmOptions::min_letters`] letters (default 2) and the [`STOP_WORDS`] (the
//! Snowball English stop-word list, letters only) are dropped. The document-term matrix keeps
//! the terms used in at least [`DtmOptions::min_docs`] documents (default 5); documents with
//! fewer than [`DtmOptions::min_tokens`] kept tokens (default 50) are set aside and named in
//! [`Dtm::excluded`], never dropped silently.
//!
//! # The model ([`Wordfish`] → [`FittedWordfish`])
//!
//! Count `y_ij` of term `j` in document `i` is Poisson with
//!
//! ```text
//! log λ_ij = α_i + ψ_j + β_j θ_i
//! ```
//!
//! `α_i` document length, `ψ_j` term frequency, `β_j` how term `j` discriminates, `θ_i` the
//! document's position. Fitted by alternating conditional maximum likelihood, as Slapin &
//! Proksch do: starting values from the first singular vectors of the double-centred
//! `log(y + 1)` matrix, then until the objective changes by less than `tolerance` (relative):
//! (1) for each term, (ψ_j, β_j) by Newton's method given α, θ; (2) for each document,
//! (α_i, θ_i) by Newton's method given ψ, β. The objective is the Poisson log-likelihood with
//! quanteda's default priors (`textmodel_wordfish`, `priors = c(Inf, Inf, 3, 1)`): β normal with
//! standard deviation [`Wordfish::beta_sd`] (3), which keeps a term used by one document
//! finite, and θ normal with sd [`Wordfish::theta_sd`] (1), which fixes the scale during the
//! fit (without it, stretching θ and shrinking β would raise the penalised likelihood for
//! ever); α and ψ are unpenalised. After each sweep the objective is also maximised exactly
//! along the three directions that leave every λ unchanged and move only the priors (shifting
//! θ, shifting β, stretching θ against β),
//! which the alternation alone climbs only slowly. Each step raises the objective, so the fit
//! climbs to a (local) maximum that any optimiser of the same objective finds too.
//!
//! **Identification** (Slapin & Proksch's): `α_1 = 0` throughout (α and ψ trade a constant
//! freely), and at the end θ is standardised to mean 0 and standard deviation 1 (population
//! sd, divided by `n`), ψ and β absorbing the change so that every λ is unchanged. The
//! direction is fixed by two named anchor documents: θ of [`Anchors::positive`] is above θ of
//! [`Anchors::negative`] (else θ and β change sign).
//!
//! # Topics ([`Topic`], [`TOPICS`])
//!
//! A topic is a stated keyword list; [`Topic::excerpt`] keeps only the sentences of a text
//! (split after `.`, `!`, `?` followed by white space, and at blank lines) with a token that
//! matches a keyword (`disarm*` a prefix, `nuclear` a whole word, `arms control` two
//! consecutive tokens). Scaling the excerpts places documents on what they say about that
//! topic. The lists are in [`TOPICS`].

use std::collections::HashMap;

use crate::explain::{Explain, num};

/// Why a scaling was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WordfishError {
    /// Fewer than three documents, or fewer than two terms, left to scale.
    #[error("too little to scale: {docs} documents and {terms} terms left (need 3 and 2)")]
    TooFew { docs: usize, terms: usize },
    /// Two documents have one id.
    #[error("document id {0:?} twice")]
    DuplicateDocument(String),
    /// An anchor document is not among those scaled.
    #[error("anchor document {id:?} is not among the {docs} documents scaled{why}")]
    NoAnchor {
        id: String,
        docs: usize,
        /// Why, when it was set aside.
        why: String,
    },
    /// Both anchors name one document.
    #[error("the two anchors are the same document {0:?}")]
    SameAnchor(String),
    /// The counts handed over are not a documents x terms matrix of finite counts.
    #[error("bad count matrix: {0}")]
    BadCounts(String),
    /// The fit did not settle.
    #[error(
        "wordfish did not converge in {iterations} iterations (last relative change in log-likelihood {change:e})"
    )]
    NotConverged { iterations: usize, change: f64 },
}

/// The Snowball English stop-word list (snowballstem.org, `english.stop`), letters only: the
/// contractions' pieces ("don", "t") are dropped by the 2-letter rule or listed.
pub const STOP_WORDS: &[&str] = &[
    "i",
    "me",
    "my",
    "myself",
    "we",
    "our",
    "ours",
    "ourselves",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "he",
    "him",
    "his",
    "himself",
    "she",
    "her",
    "hers",
    "herself",
    "it",
    "its",
    "itself",
    "they",
    "them",
    "their",
    "theirs",
    "themselves",
    "what",
    "which",
    "who",
    "whom",
    "this",
    "that",
    "these",
    "those",
    "am",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "have",
    "has",
    "had",
    "having",
    "do",
    "does",
    "did",
    "doing",
    "would",
    "should",
    "could",
    "ought",
    "a",
    "an",
    "the",
    "and",
    "but",
    "if",
    "or",
    "because",
    "as",
    "until",
    "while",
    "of",
    "at",
    "by",
    "for",
    "with",
    "about",
    "against",
    "between",
    "into",
    "through",
    "during",
    "before",
    "after",
    "above",
    "below",
    "to",
    "from",
    "up",
    "down",
    "in",
    "out",
    "on",
    "off",
    "over",
    "under",
    "again",
    "further",
    "then",
    "once",
    "here",
    "there",
    "when",
    "where",
    "why",
    "how",
    "all",
    "any",
    "both",
    "each",
    "few",
    "more",
    "most",
    "other",
    "some",
    "such",
    "no",
    "nor",
    "not",
    "only",
    "own",
    "same",
    "so",
    "than",
    "too",
    "very",
    "will",
    "shall",
    "can",
    "must",
    "may",
    "also",
    "let",
    "ll",
    "ve",
    "re",
    "don",
    "isn",
    "aren",
    "wasn",
    "weren",
    "hasn",
    "haven",
    "hadn",
    "doesn",
    "didn",
    "won",
    "wouldn",
    "shan",
    "shouldn",
    "cannot",
    "couldn",
    "mustn",
];

/// Lowercased runs of letters of `text`, without stop words and short tokens.
pub fn tokens(text: &str, min_letters: usize) -> Vec<String> {
    let mut out = Vec::new();
    for word in text.split(|c: char| !c.is_alphabetic()) {
        if word.is_empty() || word.chars().count() < min_letters {
            continue;
        }
        let w = word.to_lowercase();
        if !STOP_WORDS.contains(&w.as_str()) {
            out.push(w);
        }
    }
    out
}

/// One text to scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Its id (an ISO3 code), unique among the documents.
    pub id: String,
    pub text: String,
}

/// How the document-term matrix is built.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DtmOptions {
    /// Shortest token kept, in letters.
    pub min_letters: usize,
    /// A term is kept when at least this many documents use it.
    pub min_docs: usize,
    /// A document with fewer kept tokens is set aside.
    pub min_tokens: usize,
}

impl Default for DtmOptions {
    fn default() -> Self {
        DtmOptions {
            min_letters: 2,
            min_docs: 5,
            min_tokens: 50,
        }
    }
}

/// A document-term matrix of counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Dtm {
    pub docs: Vec<String>,
    pub terms: Vec<String>,
    /// Row-major, `docs.len() x terms.len()`.
    pub counts: Vec<f64>,
    /// Documents set aside, with the reason.
    pub excluded: Vec<(String, String)>,
}

impl Dtm {
    /// Tokenises `docs` and counts the kept terms (see the module doc).
    pub fn build(docs: &[Document], opts: &DtmOptions) -> Result<Dtm, WordfishError> {
        let mut seen = std::collections::HashSet::new();
        for d in docs {
            if !seen.insert(d.id.as_str()) {
                return Err(WordfishError::DuplicateDocument(d.id.clone()));
            }
        }
        let toks: Vec<Vec<String>> = docs
            .iter()
            .map(|d| tokens(&d.text, opts.min_letters))
            .collect();
        // Document frequencies, then the kept vocabulary in alphabetical order.
        let mut df: HashMap<&str, usize> = HashMap::new();
        for t in &toks {
            let mut uniq: Vec<&str> = t.iter().map(|s| s.as_str()).collect();
            uniq.sort_unstable();
            uniq.dedup();
            for w in uniq {
                *df.entry(w).or_default() += 1;
            }
        }
        let mut terms: Vec<&str> = df
            .iter()
            .filter(|(_, n)| **n >= opts.min_docs)
            .map(|(w, _)| *w)
            .collect();
        terms.sort_unstable();
        let index: HashMap<&str, usize> = terms.iter().enumerate().map(|(j, w)| (*w, j)).collect();
        let v = terms.len();
        let mut out = Dtm {
            docs: Vec::new(),
            terms: terms.iter().map(|s| s.to_string()).collect(),
            counts: Vec::new(),
            excluded: Vec::new(),
        };
        for (d, t) in docs.iter().zip(&toks) {
            let mut row = vec![0.0; v];
            let mut kept = 0;
            for w in t {
                if let Some(&j) = index.get(w.as_str()) {
                    row[j] += 1.0;
                    kept += 1;
                }
            }
            if kept < opts.min_tokens {
                out.excluded.push((
                    d.id.clone(),
                    format!(
                        "{kept} tokens of the kept vocabulary, fewer than {}",
                        opts.min_tokens
                    ),
                ));
            } else {
                out.docs.push(d.id.clone());
                out.counts.extend(row);
            }
        }
        Ok(out)
    }

    /// A matrix from counts given directly (row-major, `docs x terms`).
    pub fn from_counts(
        docs: Vec<String>,
        terms: Vec<String>,
        counts: Vec<f64>,
    ) -> Result<Dtm, WordfishError> {
        if counts.len() != docs.len() * terms.len() {
            return Err(WordfishError::BadCounts(format!(
                "{} counts for {} documents x {} terms",
                counts.len(),
                docs.len(),
                terms.len()
            )));
        }
        if let Some(c) = counts.iter().find(|c| !c.is_finite() || **c < 0.0) {
            return Err(WordfishError::BadCounts(format!(
                "count {c} is not a finite count"
            )));
        }
        Ok(Dtm {
            docs,
            terms,
            counts,
            excluded: Vec::new(),
        })
    }

    fn row(&self, i: usize) -> &[f64] {
        let v = self.terms.len();
        &self.counts[i * v..(i + 1) * v]
    }
}

/// Which document lies on the positive side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchors {
    /// θ of this document is above θ of `negative`.
    pub positive: String,
    pub negative: String,
}

/// The unfitted model: its settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Wordfish {
    /// Standard deviation of the normal prior on β (`f64::INFINITY`: none).
    pub beta_sd: f64,
    /// Standard deviation of the normal prior on θ during the fit (`f64::INFINITY`: none).
    pub theta_sd: f64,
    /// Stop when the log-likelihood changes by less than this, relative.
    pub tolerance: f64,
    pub max_iterations: usize,
}

impl Default for Wordfish {
    fn default() -> Self {
        Wordfish {
            beta_sd: 3.0,
            theta_sd: 1.0,
            tolerance: 1e-12,
            max_iterations: 5_000,
        }
    }
}

/// A fitted Wordfish model.
#[derive(Debug, Clone, PartialEq)]
pub struct FittedWordfish {
    pub docs: Vec<String>,
    /// Positions, mean 0 and sd 1; the positive anchor above the negative one.
    pub theta: Vec<f64>,
    /// Document effects, `alpha[0] = 0`.
    pub alpha: Vec<f64>,
    /// Tokens of the kept vocabulary per document (the words the position rests on).
    pub words: Vec<f64>,
    pub terms: Vec<String>,
    pub psi: Vec<f64>,
    pub beta: Vec<f64>,
    /// The Poisson log-likelihood at the estimate, without the `log y!` terms (unchanged by
    /// the standardisation of θ).
    pub log_likelihood: f64,
    /// The objective maximised: the log-likelihood with the priors' log densities (up to
    /// constants), at the optimum before θ was standardised.
    pub objective: f64,
    pub iterations: usize,
    pub anchors: Anchors,
    /// Documents set aside by the matrix.
    pub excluded: Vec<(String, String)>,
}

/// Newton's method on a two-parameter concave function: `eval(a, b)` gives (value, gradient,
/// Hessian as `[∂aa, ∂ab, ∂bb]`); steps are halved until the value does not fall.
fn newton2<F>(mut a: f64, mut b: f64, eval: F) -> (f64, f64)
where
    F: Fn(f64, f64) -> (f64, [f64; 2], [f64; 3]),
{
    let (mut f, mut g, mut h) = eval(a, b);
    for _ in 0..50 {
        // h = [haa, hab, hbb] (negative definite); step = -H^-1 g.
        let [haa, hab, hbb] = h;
        let det = haa * hbb - hab * hab;
        // Not negative definite (or NaN): no Newton step.
        if det.is_nan() || det <= 0.0 || haa.is_nan() || haa >= 0.0 {
            break;
        }
        let da = -(hbb * g[0] - hab * g[1]) / det;
        let db = -(-hab * g[0] + haa * g[1]) / det;
        let mut t = 1.0;
        let mut moved = false;
        for _ in 0..30 {
            let (na, nb) = (a + t * da, b + t * db);
            let (nf, ng, nh) = eval(na, nb);
            if nf.is_finite() && nf >= f - 1e-12 * f.abs() {
                (a, b, f, g, h) = (na, nb, nf, ng, nh);
                moved = true;
                break;
            }
            t *= 0.5;
        }
        if !moved || (t * da).abs().max((t * db).abs()) < 1e-10 {
            break;
        }
    }
    (a, b)
}

impl Wordfish {
    /// Fits the model to `dtm`, its direction set by `anchors`.
    pub fn fit(&self, dtm: &Dtm, anchors: &Anchors) -> Result<FittedWordfish, WordfishError> {
        let (n, v) = (dtm.docs.len(), dtm.terms.len());
        if n < 3 || v < 2 {
            return Err(WordfishError::TooFew { docs: n, terms: v });
        }
        let find = |id: &str| {
            dtm.docs.iter().position(|d| d == id).ok_or_else(|| {
                let why = dtm
                    .excluded
                    .iter()
                    .find(|(d, _)| d == id)
                    .map_or(String::new(), |(_, w)| format!(" (set aside: {w})"));
                WordfishError::NoAnchor {
                    id: id.to_string(),
                    docs: n,
                    why,
                }
            })
        };
        let (pos, neg) = (find(&anchors.positive)?, find(&anchors.negative)?);
        if pos == neg {
            return Err(WordfishError::SameAnchor(anchors.positive.clone()));
        }
        let y = &dtm.counts;
        let words: Vec<f64> = (0..n).map(|i| dtm.row(i).iter().sum()).collect();
        let (mut alpha, mut psi, mut beta, mut theta) = start(dtm);
        let prior = 1.0 / (self.beta_sd * self.beta_sd);
        let tprior = 1.0 / (self.theta_sd * self.theta_sd);
        let penalised = |a: &[f64], p: &[f64], b: &[f64], t: &[f64]| {
            log_lik(y, n, v, a, p, b, t)
                - 0.5 * prior * b.iter().map(|x| x * x).sum::<f64>()
                - 0.5 * tprior * t.iter().map(|x| x * x).sum::<f64>()
        };
        let mut ll = penalised(&alpha, &psi, &beta, &theta);
        let mut change = f64::INFINITY;
        let mut iterations = 0;
        while iterations < self.max_iterations {
            iterations += 1;
            // (1) Terms: (ψ_j, β_j) given α, θ.
            for j in 0..v {
                let (p, b) = newton2(psi[j], beta[j], |p, b| {
                    let (mut f, mut g0, mut g1, mut h00, mut h01, mut h11) =
                        (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
                    for i in 0..n {
                        let eta = alpha[i] + p + b * theta[i];
                        let lam = eta.exp();
                        let yij = y[i * v + j];
                        f += yij * eta - lam;
                        let r = yij - lam;
                        g0 += r;
                        g1 += r * theta[i];
                        h00 -= lam;
                        h01 -= lam * theta[i];
                        h11 -= lam * theta[i] * theta[i];
                    }
                    f -= 0.5 * prior * b * b;
                    g1 -= prior * b;
                    h11 -= prior;
                    (f, [g0, g1], [h00, h01, h11])
                });
                psi[j] = p;
                beta[j] = b;
            }
            // (2) Documents: (α_i, θ_i) given ψ, β.
            for i in 0..n {
                let row = dtm.row(i);
                let (a, t) = newton2(alpha[i], theta[i], |a, t| {
                    let (mut f, mut g0, mut g1, mut h00, mut h01, mut h11) =
                        (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
                    for j in 0..v {
                        let eta = a + psi[j] + beta[j] * t;
                        let lam = eta.exp();
                        f += row[j] * eta - lam;
                        let r = row[j] - lam;
                        g0 += r;
                        g1 += r * beta[j];
                        h00 -= lam;
                        h01 -= lam * beta[j];
                        h11 -= lam * beta[j] * beta[j];
                    }
                    f -= 0.5 * tprior * t * t;
                    g1 -= tprior * t;
                    h11 -= tprior;
                    (f, [g0, g1], [h00, h01, h11])
                });
                alpha[i] = a;
                theta[i] = t;
            }
            // The directions along which λ does not change and only the priors move,
            // maximised exactly (the alternation alone climbs them slowly): shifting θ by -m
            // (ψ taking β m), best at m = mean θ; shifting β by -k (α taking k θ), best at
            // k = mean β; stretching θ by c while β shrinks by c, best at
            // c⁴ = (Σβ² / sd_β²) / (Σθ² / sd_θ²).
            if tprior > 0.0 {
                let m = theta.iter().sum::<f64>() / n as f64;
                theta.iter_mut().for_each(|t| *t -= m);
                psi.iter_mut().zip(&beta).for_each(|(p, b)| *p += b * m);
            }
            if prior > 0.0 {
                let k = beta.iter().sum::<f64>() / v as f64;
                beta.iter_mut().for_each(|b| *b -= k);
                alpha.iter_mut().zip(&theta).for_each(|(a, t)| *a += k * t);
            }
            let (sb, st) = (
                prior * beta.iter().map(|b| b * b).sum::<f64>(),
                tprior * theta.iter().map(|t| t * t).sum::<f64>(),
            );
            if sb > 0.0 && st > 0.0 {
                let c = (sb / st).powf(0.25);
                theta.iter_mut().for_each(|t| *t *= c);
                beta.iter_mut().for_each(|b| *b /= c);
            }
            // α_1 = 0: α and ψ trade a constant without changing λ or the priors.
            let a1 = alpha[0];
            alpha.iter_mut().for_each(|a| *a -= a1);
            psi.iter_mut().for_each(|p| *p += a1);
            let new = penalised(&alpha, &psi, &beta, &theta);
            if !new.is_finite() {
                return Err(WordfishError::NotConverged {
                    iterations,
                    change: f64::NAN,
                });
            }
            change = ((new - ll) / ll.abs().max(1.0)).abs();
            ll = new;
            if change < self.tolerance {
                break;
            }
        }
        if change >= self.tolerance {
            return Err(WordfishError::NotConverged { iterations, change });
        }
        let objective = ll;
        identify(&mut alpha, &mut psi, &mut beta, &mut theta);
        if theta[pos] < theta[neg] {
            theta.iter_mut().for_each(|t| *t = -*t);
            beta.iter_mut().for_each(|b| *b = -*b);
        }
        let log_likelihood = log_lik(y, n, v, &alpha, &psi, &beta, &theta);
        Ok(FittedWordfish {
            docs: dtm.docs.clone(),
            theta,
            alpha,
            words,
            terms: dtm.terms.clone(),
            psi,
            beta,
            log_likelihood,
            objective,
            iterations,
            anchors: anchors.clone(),
            excluded: dtm.excluded.clone(),
        })
    }
}

/// θ to mean 0 and sd 1, α_1 to 0; ψ and β absorb the change (every λ unchanged).
fn identify(alpha: &mut [f64], psi: &mut [f64], beta: &mut [f64], theta: &mut [f64]) {
    let n = theta.len() as f64;
    let m = theta.iter().sum::<f64>() / n;
    let sd = (theta.iter().map(|t| (t - m) * (t - m)).sum::<f64>() / n).sqrt();
    let sd = if sd > 0.0 { sd } else { 1.0 };
    for t in theta.iter_mut() {
        *t = (*t - m) / sd;
    }
    // β θ = β (sd θ' + m) = (β sd) θ' + β m.
    for (p, b) in psi.iter_mut().zip(beta.iter_mut()) {
        *p += *b * m;
        *b *= sd;
    }
    let a1 = alpha[0];
    for a in alpha.iter_mut() {
        *a -= a1;
    }
    for p in psi.iter_mut() {
        *p += a1;
    }
}

/// The Poisson log-likelihood without the `log y!` terms.
fn log_lik(
    y: &[f64],
    n: usize,
    v: usize,
    alpha: &[f64],
    psi: &[f64],
    beta: &[f64],
    theta: &[f64],
) -> f64 {
    let mut f = 0.0;
    for i in 0..n {
        for j in 0..v {
            let eta = alpha[i] + psi[j] + beta[j] * theta[i];
            f += y[i * v + j] * eta - eta.exp();
        }
    }
    f
}

/// Starting values (Slapin & Proksch): α from document length, ψ from term frequency, and θ, β
/// from the first singular vectors of the double-centred `log(y + 1)`.
fn start(dtm: &Dtm) -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>) {
    let (n, v) = (dtm.docs.len(), dtm.terms.len());
    let y = &dtm.counts;
    let row_mean: Vec<f64> = (0..n)
        .map(|i| dtm.row(i).iter().sum::<f64>() / v as f64)
        .collect();
    let col_mean: Vec<f64> = (0..v)
        .map(|j| (0..n).map(|i| y[i * v + j]).sum::<f64>() / n as f64)
        .collect();
    let psi: Vec<f64> = col_mean.iter().map(|m| (m + 1e-3).ln()).collect();
    let alpha: Vec<f64> = row_mean
        .iter()
        .map(|m| (m / row_mean[0].max(1e-12)).max(1e-12).ln())
        .collect();
    let mut l: Vec<f64> = y.iter().map(|c| (c + 1.0).ln()).collect();
    let lr: Vec<f64> = (0..n)
        .map(|i| l[i * v..(i + 1) * v].iter().sum::<f64>() / v as f64)
        .collect();
    let lc: Vec<f64> = (0..v)
        .map(|j| (0..n).map(|i| l[i * v + j]).sum::<f64>() / n as f64)
        .collect();
    let lg = lr.iter().sum::<f64>() / n as f64;
    for i in 0..n {
        for j in 0..v {
            l[i * v + j] -= lr[i] + lc[j] - lg;
        }
    }
    // Power iteration on L L^T for the first left singular vector, from a fixed start.
    let mut u: Vec<f64> = (0..n)
        .map(|i| 1.0 + (i as f64 * 0.618_033_988_7).fract())
        .collect();
    let mut w = vec![0.0; v];
    for _ in 0..200 {
        w.iter_mut().for_each(|x| *x = 0.0);
        for i in 0..n {
            for j in 0..v {
                w[j] += l[i * v + j] * u[i];
            }
        }
        let mut nu = vec![0.0; n];
        for (i, x) in nu.iter_mut().enumerate() {
            *x = (0..v).map(|j| l[i * v + j] * w[j]).sum();
        }
        let norm = nu.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm == 0.0 {
            break;
        }
        nu.iter_mut().for_each(|x| *x /= norm);
        u = nu;
    }
    let mut theta = u;
    let mut beta: Vec<f64> = vec![0.0; v];
    for (j, b) in beta.iter_mut().enumerate() {
        *b = (0..n).map(|i| l[i * v + j] * theta[i]).sum();
    }
    let mut alpha = alpha;
    let mut psi = psi;
    identify(&mut alpha, &mut psi, &mut beta, &mut theta);
    // The starting β from the SVD is on the log(y + 1) scale: shrink it to a safe start.
    beta.iter_mut().for_each(|b| *b = b.clamp(-1.0, 1.0));
    (alpha, psi, beta, theta)
}

impl FittedWordfish {
    /// (document, θ) from the highest position to the lowest.
    pub fn ranked(&self) -> Vec<(&str, f64)> {
        let mut out: Vec<(&str, f64)> = self
            .docs
            .iter()
            .map(|d| d.as_str())
            .zip(self.theta.iter().copied())
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
        out
    }

    /// The `k` terms with the largest β (pulling towards the positive side) and the `k` with
    /// the smallest.
    pub fn poles(&self, k: usize) -> (Vec<&str>, Vec<&str>) {
        let mut idx: Vec<usize> = (0..self.terms.len()).collect();
        idx.sort_by(|&a, &b| self.beta[b].total_cmp(&self.beta[a]));
        let top = idx
            .iter()
            .take(k)
            .map(|&j| self.terms[j].as_str())
            .collect();
        let bottom = idx
            .iter()
            .rev()
            .take(k)
            .map(|&j| self.terms[j].as_str())
            .collect();
        (top, bottom)
    }
}

impl Explain for FittedWordfish {
    fn explain(&self) -> String {
        let r = self.ranked();
        let (top, bottom) = self.poles(5);
        format!(
            "Wordfish placed {} texts on one scale from the words they use ({} terms); {} is \
             furthest on the side of {} (θ {}) and {} furthest on the side of {} (θ {}); words \
             pulling to the positive side: {}; to the other: {}.",
            r.len(),
            self.terms.len(),
            r[0].0,
            self.anchors.positive,
            num(r[0].1),
            r[r.len() - 1].0,
            self.anchors.negative,
            num(r[r.len() - 1].1),
            top.join(", "),
            bottom.join(", ")
        )
    }
}

/// Topics and sentences live in `attache-text` (the speech signals count topic shares with
/// the same keyword lists); re-exported so Wordfish users keep one import.
pub use attache_text::{TOPICS, Topic, sentences};

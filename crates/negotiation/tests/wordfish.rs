//! Wordfish (Slapin & Proksch 2008) checked two ways, since no peer implementation installs
//! here (no R; PyPI's `wordfish` is an unrelated package):
//!
//! 1. A case solved by hand: two terms and four documents whose counts mirror each other
//!    (A = [9, 1], B = [1, 9], C = [6, 4], D = [4, 6]), fitted without priors. With two terms
//!    the model is saturated: each document's θ can make its fitted ratio the observed one, so
//!    at the maximum every λ equals its count and `log(y_i1 / y_i2) = (ψ_1 - ψ_2) + (β_1 - β_2)
//!    θ_i`. Standardised to mean 0 and sd 1, θ_i is the standardised log ratio
//!    `r_i = ln(y_i1 / y_i2)`: r = (ln 9, -ln 9, ln 1.5, -ln 1.5), sd `s = sqrt((ln²9 + ln²1.5)
//!    / 2) = 1.579905`, θ_A = ln 9 / s = 1.390733, θ_C = ln 1.5 / s = 0.256639, and β_1 - β_2 =
//!    s. With the default priors the same corpus keeps the order A > C > D > B and the symmetry
//!    θ_A = -θ_B, θ_C = -θ_D.
//! 2. A peer fit: `fixtures/wordfish_peer.csv`, a 12 x 40 corpus drawn by numpy and fitted by
//!    `fixtures/wordfish_peer.py` with scipy (one joint L-BFGS-B and BFGS maximisation of the
//!    same penalised likelihood, a different method from ours): θ must agree to 1e-5 and the
//!    objective (6274.846976481) to 1e-6 relative.
//! 3. A corpus simulated from known θ, β, ψ, α (seeded): the fitted θ must correlate with the
//!    true θ above 0.95 (the brief's bar), and β with the true β.

use attache_negotiation::wordfish::tokens;
use attache_negotiation::{
    Anchors, Document, Dtm, DtmOptions, Explain, Wordfish, WordfishError, positions,
};
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

fn anchors(p: &str, n: &str) -> Anchors {
    Anchors {
        positive: p.into(),
        negative: n.into(),
    }
}

#[test]
fn the_hand_solved_two_term_case() {
    let dtm = Dtm::from_counts(
        vec!["A".into(), "B".into(), "C".into(), "D".into()],
        vec!["peace".into(), "war".into()],
        vec![9.0, 1.0, 1.0, 9.0, 6.0, 4.0, 4.0, 6.0],
    )
    .unwrap();
    let flat = Wordfish {
        beta_sd: f64::INFINITY,
        theta_sd: f64::INFINITY,
        ..Wordfish::default()
    };
    let f = flat.fit(&dtm, &anchors("A", "B")).unwrap();
    let s = ((9f64.ln().powi(2) + 1.5f64.ln().powi(2)) / 2.0).sqrt();
    assert!((s - 1.579905).abs() < 1e-6);
    let want_theta = [
        9f64.ln() / s,
        -9f64.ln() / s,
        1.5f64.ln() / s,
        -1.5f64.ln() / s,
    ];
    for (got, want) in f.theta.iter().zip(want_theta) {
        assert!(
            (got - want).abs() < 1e-6,
            "θ {:?} vs {want_theta:?}",
            f.theta
        );
    }
    assert!((f.theta[0] - 1.390733).abs() < 1e-6 && (f.theta[2] - 0.256639).abs() < 1e-6);
    assert!((f.beta[0] - f.beta[1] - s).abs() < 1e-6, "β {:?}", f.beta);
    assert_eq!(f.alpha[0], 0.0);
    // Saturated: every fitted count is the count.
    for i in 0..4 {
        for j in 0..2 {
            let lam = (f.alpha[i] + f.psi[j] + f.beta[j] * f.theta[i]).exp();
            assert!(
                (lam - dtm.counts[i * 2 + j]).abs() < 1e-6,
                "λ[{i}][{j}] = {lam}"
            );
        }
    }
    // The Poisson log-likelihood at λ = y: sum y ln y - y.
    let want_ll: f64 = dtm.counts.iter().map(|&y: &f64| y * y.ln() - y).sum();
    assert!(
        (f.log_likelihood - want_ll).abs() < 1e-6,
        "{} vs {want_ll}",
        f.log_likelihood
    );
    assert_eq!(f.words, vec![10.0; 4]);
    // The direction follows the anchors.
    let g = flat.fit(&dtm, &anchors("B", "A")).unwrap();
    assert!((g.theta[1] - 1.390733).abs() < 1e-6);
    assert!(
        f.explain().contains("A is furthest on the side of A"),
        "{}",
        f.explain()
    );
    // With the default priors: the order and the symmetry hold.
    let p = Wordfish::default().fit(&dtm, &anchors("A", "B")).unwrap();
    let t = &p.theta;
    assert!(t[0] > t[2] && t[2] > t[3] && t[3] > t[1], "{t:?}");
    assert!(
        (t[0] + t[1]).abs() < 1e-6 && (t[2] + t[3]).abs() < 1e-6,
        "{t:?}"
    );
}

#[test]
fn a_scipy_fit_of_the_same_objective_agrees() {
    let text = include_str!("fixtures/wordfish_peer.csv");
    let (mut docs, mut want, mut counts) = (Vec::new(), Vec::new(), Vec::new());
    for line in text.lines() {
        let c: Vec<&str> = line.split(',').collect();
        docs.push(c[0].to_string());
        want.push(c[1].parse::<f64>().unwrap());
        counts.extend(c[2..].iter().map(|x| x.parse::<f64>().unwrap()));
    }
    let v = counts.len() / docs.len();
    let terms = (0..v).map(|j| format!("w{j}")).collect();
    let dtm = Dtm::from_counts(docs, terms, counts).unwrap();
    let f = Wordfish::default().fit(&dtm, &anchors("d0", "d1")).unwrap();
    eprintln!("objective {}, {} iterations", f.objective, f.iterations);
    for (i, (got, want)) in f.theta.iter().zip(&want).enumerate() {
        assert!((got - want).abs() < 1e-5, "d{i}: θ {got} vs scipy {want}");
    }
    let peer_objective = 6274.846976481;
    assert!(
        ((f.objective - peer_objective) / peer_objective).abs() < 1e-6,
        "objective {} vs scipy {peer_objective}",
        f.objective
    );
}

/// A Poisson draw by inversion (λ below a few hundred).
fn poisson(rng: &mut ChaCha8Rng, lambda: f64) -> f64 {
    let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let (mut k, mut p) = (0.0, (-lambda).exp());
    let mut cdf = p;
    while u > cdf && k < 10_000.0 {
        k += 1.0;
        p *= lambda / k;
        cdf += p;
    }
    k
}

/// A standard normal by Box-Muller.
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u = |rng: &mut ChaCha8Rng| ((rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
    (-2.0 * u(rng).ln()).sqrt() * (std::f64::consts::TAU * u(rng)).cos()
}

#[test]
fn positions_of_a_simulated_corpus_are_recovered() {
    let mut rng = ChaCha8Rng::seed_from_u64(2008);
    let (n, v) = (80, 500);
    let theta: Vec<f64> = (0..n).map(|_| normal(&mut rng)).collect();
    let beta: Vec<f64> = (0..v).map(|_| 0.5 * normal(&mut rng)).collect();
    let psi: Vec<f64> = (0..v).map(|_| 0.8 * normal(&mut rng)).collect();
    let alpha: Vec<f64> = (0..n).map(|_| 0.3 * normal(&mut rng)).collect();
    let mut counts = Vec::with_capacity(n * v);
    for i in 0..n {
        for j in 0..v {
            counts.push(poisson(
                &mut rng,
                (alpha[i] + psi[j] + beta[j] * theta[i]).exp(),
            ));
        }
    }
    let docs: Vec<String> = (0..n).map(|i| format!("d{i}")).collect();
    let terms: Vec<String> = (0..v).map(|j| format!("w{j}")).collect();
    let dtm = Dtm::from_counts(docs, terms, counts).unwrap();
    let hi = (0..n)
        .max_by(|&a, &b| theta[a].total_cmp(&theta[b]))
        .unwrap();
    let lo = (0..n)
        .min_by(|&a, &b| theta[a].total_cmp(&theta[b]))
        .unwrap();
    let t = std::time::Instant::now();
    let f = Wordfish::default()
        .fit(&dtm, &anchors(&format!("d{hi}"), &format!("d{lo}")))
        .unwrap();
    let r_theta = positions::correlation(&f.theta, &theta).unwrap();
    let r_beta = positions::correlation(&f.beta, &beta).unwrap();
    eprintln!(
        "recovery: r(θ) = {r_theta:.4}, r(β) = {r_beta:.4}, {} iterations, {:?}",
        f.iterations,
        t.elapsed()
    );
    assert!(r_theta > 0.95, "r(θ) = {r_theta}");
    assert!(r_beta > 0.9, "r(β) = {r_beta}");
    let m = f.theta.iter().sum::<f64>() / n as f64;
    let sd = (f.theta.iter().map(|t| (t - m).powi(2)).sum::<f64>() / n as f64).sqrt();
    assert!(
        m.abs() < 1e-9 && (sd - 1.0).abs() < 1e-9,
        "mean {m}, sd {sd}"
    );
    assert_eq!(f.alpha[0], 0.0);
}

#[test]
fn tokens_matrix_and_refusals() {
    assert_eq!(
        tokens("The Nation's 2 arms-control talks, in Genève!", 2),
        ["nation", "arms", "control", "talks", "genève"]
    );
    let docs: Vec<Document> = ["peace peace war", "peace war war", "peace", "war war rare"]
        .iter()
        .enumerate()
        .map(|(i, t)| Document {
            id: format!("D{i}"),
            text: t.to_string(),
        })
        .collect();
    let opts = DtmOptions {
        min_letters: 2,
        min_docs: 2,
        min_tokens: 2,
    };
    let dtm = Dtm::build(&docs, &opts).unwrap();
    assert_eq!(dtm.terms, ["peace", "war"]);
    assert_eq!(dtm.docs, ["D0", "D1", "D3"]);
    assert_eq!(dtm.counts, [2.0, 1.0, 1.0, 2.0, 0.0, 2.0]);
    assert_eq!(dtm.excluded.len(), 1);
    assert!(dtm.excluded[0].1.contains("1 tokens"));
    let e = Wordfish::default()
        .fit(&dtm, &anchors("D0", "D2"))
        .unwrap_err();
    assert!(
        matches!(&e, WordfishError::NoAnchor { why, .. } if why.contains("set aside")),
        "{e}"
    );
    assert_eq!(
        Wordfish::default()
            .fit(&dtm, &anchors("D0", "D0"))
            .unwrap_err(),
        WordfishError::SameAnchor("D0".into())
    );
    let twice = vec![docs[0].clone(), docs[0].clone()];
    assert!(matches!(
        Dtm::build(&twice, &opts),
        Err(WordfishError::DuplicateDocument(_))
    ));
    assert!(Dtm::from_counts(vec!["a".into()], vec!["x".into()], vec![f64::NAN]).is_err());
}

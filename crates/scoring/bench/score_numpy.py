#!/usr/bin/env python3
"""Peer of examples/score_window.rs: the same metrics with vectorised numpy, on the same data.

Usage:
    cargo run --release -p attache-scoring --example score_window -- OUT_DIR
    python3 crates/scoring/bench/score_numpy.py OUT_DIR

Reads OUT_DIR/window.f64 (little-endian f64: n_forecasts, n_draws, observations, draws row by
row), times the scoring (best and median of 9 runs, file reading excluded) and compares the
per-forecast values with OUT_DIR/rust_scores.f64 (CRPS, IGN, MIS, P(>=25), PIT per row).

Needs numpy only. If properscoring / scikit-learn are importable, a subset is also checked
against properscoring.crps_ensemble and sklearn.metrics.average_precision_score.
This is a benchmark and verification aid, not a test dependency of the crate.
"""

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

EDGES = np.array([0, 0.5, 2.5, 5.5, 10.5, 25.5, 50.5, 100.5, 250.5, 500.5, 1000.5])
THRESHOLD = 25.0
ALPHA = 1 - 0.9  # the challenge's arithmetic
REPEATS = 9


def load(out_dir: Path):
    raw = np.fromfile(out_dir / "window.f64", dtype="<f8")
    n_forecasts, n_draws = int(raw[0]), int(raw[1])
    observed = raw[2 : 2 + n_forecasts]
    draws = raw[2 + n_forecasts :].reshape(n_forecasts, n_draws)
    return observed, draws


def average_precision(scores, labels):
    """sklearn's step-wise AP over distinct thresholds, vectorised."""
    order = np.argsort(-scores, kind="mergesort")
    s, l = scores[order], labels[order]
    tps, fps = np.cumsum(l), np.cumsum(~l)
    last = np.r_[np.nonzero(np.diff(s))[0], len(s) - 1]
    tp, fp = tps[last], fps[last]
    if tp[-1] == 0:
        return 0.0
    precision = tp / (tp + fp)
    recall = tp / tp[-1]
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def score(observed, draws, u):
    n_forecasts, n = draws.shape
    x = np.sort(draws, axis=1)
    # CRPS (properscoring's estimator) via the sorted identity
    # sum_{i,j} |x_i - x_j| = 2 sum_i (2i - n - 1) x_(i).
    weights = 2.0 * np.arange(1, n + 1) - n - 1
    crps = np.abs(x - observed[:, None]).mean(axis=1) - (x @ weights) / n**2
    # IGN: np.digitize bins, +1 per bin.
    binned = np.clip(np.digitize(x, EDGES) - 1, 0, None)
    rows = np.arange(n_forecasts)
    counts = np.bincount((binned + len(EDGES) * rows[:, None]).ravel(),
                         minlength=len(EDGES) * n_forecasts).reshape(n_forecasts, len(EDGES))
    obs_bin = np.clip(np.digitize(observed, EDGES) - 1, 0, None)
    ign = -np.log2((counts[rows, obs_bin] + 1) / (n + len(EDGES)))
    # MIS at 90 %.
    lower, upper = np.quantile(x, [ALPHA / 2, 1 - ALPHA / 2], axis=1)
    mis = (upper - lower) + (2 / ALPHA) * (lower - observed) * (observed < lower) \
        + (2 / ALPHA) * (observed - upper) * (observed > upper)
    # Threshold event, Brier, AP.
    prob = (x >= THRESHOLD).mean(axis=1)
    event = observed >= THRESHOLD
    brier = (prob - event) ** 2
    ap = average_precision(prob, event)
    # Randomised PIT, histogram, reliability table.
    f_below = (x <= (observed - 1)[:, None]).mean(axis=1)
    f_at = (x <= observed[:, None]).mean(axis=1)
    pit = f_below + u * (f_at - f_below)
    pit_hist = np.bincount(np.minimum((pit * 10).astype(int), 9), minlength=10)
    rel_bin = np.minimum((prob * 10).astype(int), 9)
    rel_count = np.bincount(rel_bin, minlength=10)
    rel_mean = np.bincount(rel_bin, weights=prob, minlength=10)
    rel_freq = np.bincount(rel_bin, weights=event, minlength=10)
    summary = dict(crps=crps.mean(), ign=ign.mean(), mis=mis.mean(), brier=brier.mean(), ap=ap,
                   events=int(event.sum()), pit_hist=pit_hist.tolist(),
                   reliability=(rel_count, rel_mean, rel_freq))
    return dict(crps=crps, ign=ign, mis=mis, prob=prob, f_below=f_below, f_at=f_at), summary


def main():
    default = Path(tempfile.gettempdir()) / "attache-scoring-window"
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    observed, draws = load(out_dir)
    u = np.random.default_rng(0).random(len(observed))

    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        per, summary = score(observed, draws, u)
        times.append(time.perf_counter() - start)
    times.sort()
    print(f"numpy {np.__version__}: {draws.shape[0]} x {draws.shape[1]} draws scored: "
          f"best {times[0] * 1e3:.2f} ms, median {times[REPEATS // 2] * 1e3:.2f} ms "
          f"over {REPEATS} runs")
    print(f"mean CRPS {summary['crps']:.6f}  IGN {summary['ign']:.6f}  MIS {summary['mis']:.6f}  "
          f"Brier {summary['brier']:.6f}  AP {summary['ap']:.6f}  events {summary['events']}")

    rust_path = out_dir / "rust_scores.f64"
    if rust_path.exists():
        rust = np.fromfile(rust_path, dtype="<f8").reshape(-1, 5)
        for col, name in enumerate(["crps", "ign", "mis", "prob"]):
            diff = np.abs(rust[:, col] - per[name])
            rel = diff / np.maximum(np.abs(per[name]), 1.0)
            print(f"rust vs numpy {name}: max abs diff {diff.max():.3e}, max rel diff {rel.max():.3e}")
        pit = rust[:, 4]
        inside = (pit >= per["f_below"] - 1e-12) & (pit <= per["f_at"] + 1e-12)
        print(f"rust PIT inside [F(y-1), F(y)]: {inside.sum()} of {len(pit)}")

    try:
        import properscoring
        k = 50
        ref = properscoring.crps_ensemble(observed[:k], draws[:k])
        print(f"properscoring.crps_ensemble on first {k}: max rel diff "
              f"{np.max(np.abs(ref - per['crps'][:k]) / np.maximum(np.abs(ref), 1.0)):.3e}")
    except ImportError:
        pass
    try:
        from sklearn.metrics import average_precision_score
        event = observed >= THRESHOLD
        print(f"sklearn average_precision_score {average_precision_score(event, per['prob'])!r} "
              f"vs numpy peer {summary['ap']!r}")
    except ImportError:
        pass


if __name__ == "__main__":
    main()

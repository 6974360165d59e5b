#!/usr/bin/env bash
# Benchmark: the SDG budget allocation LP at full size (190 countries x 17 goals x 3 segments of
# diminishing returns = 9,690 variables, with a budget, per-country caps, floors and the
# full-score limits; issue 19's "under 1 s") against SciPy's linprog with HiGHS on the very same
# problem, side by side. Both must reach the same objective (to 1e-6, relative); the script
# prints both times and the ratio.
#
# Usage: bench/allocate.sh [RUNS]     (default 5)
# Needs: python3; scipy goes into a venv under /tmp (override with ATTACHE_SCIPY_VENV).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
VENV=${ATTACHE_SCIPY_VENV:-/tmp/attache-bench-scipy}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release -p attache-indices --example allocate_scale >/dev/null
ours=$("${CARGO_TARGET_DIR:-target}/release/examples/allocate_scale" "$RUNS" --write "$work/problem.csv")
echo "$ours"

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import scipy' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q scipy numpy
fi
cat >"$work/peer.py" <<'PY'
# The same LP as attache_indices::allocate::build, written from its documentation: maximise
# sum (100 - score)/100 * gain_per_unit * x over segment variables 0 <= x <= width, subject to
# the budget, each capped country's total, each cell's floor and, where a cell could pass 100,
# its total gain <= 100 - score.
import csv, sys, time
import numpy as np
from scipy.optimize import linprog
from scipy.sparse import lil_matrix
path, runs = sys.argv[1], int(sys.argv[2])
rows = list(csv.DictReader(open(path)))
n = len(rows)
budget = float(rows[0]["budget"])
w = np.array([(100 - float(r["score"])) / 100 for r in rows])
g = np.array([float(r["gain_per_unit"]) for r in rows])
width = np.array([float(r["width"]) for r in rows])
cells, countries = {}, {}
for j, r in enumerate(rows):
    cells.setdefault(int(r["cell"]), []).append(j)
    if r["country_cap"]:
        countries.setdefault(int(r["country"]), (float(r["country_cap"]), []))[1].append(j)
ub, rhs = [[*range(n)]], [budget]
coef = [np.ones(n)]
for cap, js in countries.values():
    ub.append(js); rhs.append(cap); coef.append(np.ones(len(js)))
for i, js in cells.items():
    r = rows[js[0]]
    floor, head = float(r["floor"]), 100 - float(r["score"])
    if floor > 0:
        ub.append(js); rhs.append(-floor); coef.append(-np.ones(len(js)))
    if sum(width[j] * g[j] for j in js) > head:
        ub.append(js); rhs.append(head); coef.append(g[js])
A = lil_matrix((len(ub), n))
for k, (js, c) in enumerate(zip(ub, coef)):
    A[k, js] = c
A = A.tocsr()
best, res = float("inf"), None
for _ in range(runs):
    t = time.perf_counter()
    res = linprog(-(w * g), A_ub=A, b_ub=np.array(rhs), bounds=list(zip(np.zeros(n), width)), method="highs")
    best = min(best, time.perf_counter() - t)
assert res.status == 0, res.message
print(f"scipy {__import__('scipy').__version__} (HiGHS): {n} variables, best of {runs}: {best:.4f} s, objective {-res.fun:.9f}")
PY
peer=$("$VENV/bin/python" "$work/peer.py" "$work/problem.csv" "$RUNS")
echo "$peer"
t_ours=$(sed -E 's/.*best of [0-9]+: ([0-9.]+) s.*/\1/' <<<"$ours")
t_peer=$(sed -E 's/.*best of [0-9]+: ([0-9.]+) s.*/\1/' <<<"$peer")
o_ours=$(sed -E 's/.*objective ([0-9.]+).*/\1/' <<<"$ours")
o_peer=$(sed -E 's/.*objective ([0-9.]+).*/\1/' <<<"$peer")
python3 - "$t_ours" "$t_peer" "$o_ours" "$o_peer" <<'PY'
import sys
t_ours, t_peer, o_ours, o_peer = map(float, sys.argv[1:])
rel = abs(o_ours - o_peer) / max(abs(o_peer), 1e-12)
print(f"objective: ours {o_ours:.9f}, HiGHS {o_peer:.9f} (relative difference {rel:.1e})")
print(f"time: ours {t_ours:.4f} s, HiGHS {t_peer:.4f} s; ratio (HiGHS / ours) {t_peer / t_ours:.2f}x; target: ours under 1 s")
if rel > 1e-6:
    sys.exit("the two solvers disagree on the optimum")
if t_ours >= 1.0:
    sys.exit("over the 1 s target")
PY

#!/usr/bin/env bash
# Benchmark: `attache forecast evaluate` (read and score five ViEWS submissions of one window:
# ours and the four benchmarks, 191 countries x 12 months x 1000 draws each) against the same
# reads and the same scores in Python with pyarrow and numpy, side by side (issue 20: at least
# 10x faster). Whole processes, RUNS paired runs, medians. The peer's mean CRPS, IGN and MIS
# must equal ours (to 1e-9 relative), so both did the same work.
#
# The peer reads only the columns scoring needs, groups the draws by (month, country) with a
# stable numpy sort, and scores each country-month vectorised over its draws: sample CRPS
# (properscoring's formula), the challenge's binned ignorance (half-integer edges, +1
# smoothing, log2), and the 90% interval score (numpy's linear quantiles). Ours also computes
# Brier, AP, AUC, ECE and PIT, which the peer does not: the comparison favours the peer.
#
# Usage: bench/evaluate.sh [MIRROR_DIR] [RUNS] [WINDOW]    (defaults: ../shared/data, 5, Y2020)
# Needs: python3; pyarrow and numpy go into a venv under /tmp (override with ATTACHE_PYARROW_VENV).
set -euo pipefail
cd "$(dirname "$0")/.."
MIRROR=$(cd "${1:-../shared/data}" && pwd)
RUNS=${2:-5}
WINDOW=${3:-Y2020}
YEAR=${WINDOW#Y}
VENV=${ATTACHE_PYARROW_VENV:-/tmp/attache-bench-pyarrow}
cargo build --release -p attache >/dev/null
BIN=${CARGO_TARGET_DIR:-target}/release/attache
data=$(mktemp -d); out=$(mktemp -d); work=$(mktemp -d)
trap 'rm -rf "$data" "$out" "$work"' EXIT
"$BIN" sync --mirror "$MIRROR" --only views-cm,ucdp-brd,polity5 --data-dir "$data" >/dev/null
"$BIN" forecast backtest --window "$WINDOW" --out "$out" --data-dir "$data" >/dev/null
ACTUALS="$MIRROR/views/cm_actuals_$YEAR.parquet"

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import pyarrow, numpy' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q pyarrow numpy
fi
cat >"$work/peer.py" <<'PY'
import glob, json, math, sys
import numpy as np, pyarrow.parquet as pq
root, actuals_path, window = sys.argv[1], sys.argv[2], sys.argv[3]
EDGES = np.array([0.0, 0.5, 2.5, 5.5, 10.5, 25.5, 50.5, 100.5, 250.5, 500.5, 1000.5])
act = pq.read_table(actuals_path, columns=["month_id", "country_id", "ged_sb"])
am, ac = act["month_id"].to_numpy().astype(np.int64), act["country_id"].to_numpy().astype(np.int64)
ay = np.round(act["ged_sb"].to_numpy().astype(float))
def score(path):
    t = pq.read_table(path, columns=["month_id", "country_id", "outcome"])
    m, c, o = (t[k].to_numpy() for k in ("month_id", "country_id", "outcome"))
    key = m.astype(np.int64) * 100000 + c.astype(np.int64)
    order = np.argsort(key, kind="stable")
    key, o = key[order], o[order].astype(float)
    cells, starts = np.unique(key, return_index=True)
    ends = np.append(starts[1:], len(key))
    akey = am * 100000 + ac
    lo, hi = 0.05, 0.95
    crps, ign, mis = [], [], []
    for k, y in zip(akey, ay):
        i = np.searchsorted(cells, k)
        if i >= len(cells) or cells[i] != k:
            raise SystemExit(f"{path}: no forecast for {k}")
        x = np.sort(o[starts[i]:ends[i]])
        n = len(x)
        # properscoring: mean|x - y| - 0.5 mean|x - x'| with the sorted-draws identity.
        w = (2 * np.arange(1, n + 1) - n - 1) / (n * n)
        crps.append(np.mean(np.abs(x - y)) - np.dot(w, x))
        counts = np.bincount(np.clip(np.digitize(x, EDGES) - 1, 0, None), minlength=len(EDGES))
        b = max(np.digitize([y], EDGES)[0] - 1, 0)
        ign.append(-math.log2((counts[b] + 1) / (n + len(EDGES))))
        ql, qh = np.quantile(x, [lo, hi])
        mis.append((qh - ql) + (2 / 0.1) * max(ql - y, 0) + (2 / 0.1) * max(y - qh, 0))
    return float(np.mean(crps)), float(np.mean(ign)), float(np.mean(mis)), len(crps)
months = set(range(0, 10**6))
paths = sorted(glob.glob(f"{root}/cm/window={window}/*.parquet")) + sorted(glob.glob(f"{root}/benchmarks/*/cm/window={window}/*.parquet"))
res = {p: score(p) for p in paths}
print(json.dumps(res))
PY

# Keep only the window's actual rows for the peer, as `attache forecast evaluate` does.
"$VENV/bin/python" - "$ACTUALS" "$work/actuals.parquet" "$YEAR" <<'PY'
import sys, pyarrow.parquet as pq, pyarrow.compute as pc
t = pq.read_table(sys.argv[1])
# ViEWS month ids: January 1980 is 1; the window is the calendar year.
first = (int(sys.argv[3]) - 1980) * 12 + 1
t = t.filter(pc.and_(pc.greater_equal(t["month_id"], first), pc.less(t["month_id"], first + 12)))
pq.write_table(t, sys.argv[2])
PY

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
ours_t=(); peer_t=()
for _ in $(seq "$RUNS"); do
  s=$(date +%s.%N); "$BIN" forecast evaluate --window "$WINDOW" --actuals "$ACTUALS" --submission "$out" --data-dir "$data" --format json >"$work/ours.json"; e=$(date +%s.%N)
  ours_t+=("$(echo "$e - $s" | bc)")
  s=$(date +%s.%N); "$VENV/bin/python" "$work/peer.py" "$out" "$work/actuals.parquet" "$WINDOW" >"$work/peer.json"; e=$(date +%s.%N)
  peer_t+=("$(echo "$e - $s" | bc)")
done
ours=$(printf '%s\n' "${ours_t[@]}" | median); peer=$(printf '%s\n' "${peer_t[@]}" | median)
python3 - "$work/ours.json" "$work/peer.json" "$ours" "$peer" <<'PY'
import json, sys
ours = {r["model"]: r for r in json.load(open(sys.argv[1]))["scores"]}
peer = json.load(open(sys.argv[2]))
t_ours, t_peer = float(sys.argv[3]), float(sys.argv[4])
bad = 0
for path, (crps, ign, mis, n) in peer.items():
    name = "attache" if "/benchmarks/" not in path else path.split("/benchmarks/")[1].split("/")[0]
    o = ours[name]
    for what, a, b in (("CRPS", o["crps"], crps), ("IGN", o["ign"], ign), ("MIS", o["mis"], mis)):
        if abs(a - b) > 1e-9 * max(1.0, abs(b)):
            print(f"  {name} {what}: ours {a!r}, peer {b!r}"); bad += 1
    print(f"  {name:<24} n {n}  CRPS {crps:.3f}  IGN {ign:.3f}  MIS {mis:.2f}  (same as ours)")
print(f"forecast evaluate, {len(peer)} submissions: ours {t_ours:.3f} s, pyarrow+numpy {t_peer:.3f} s (medians of paired runs); ratio {t_peer / t_ours:.1f}x (target: >= 10x)")
if bad:
    sys.exit("the peer and ours disagree")
PY

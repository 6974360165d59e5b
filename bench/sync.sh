#!/usr/bin/env bash
# Benchmark: full-mirror sync, wall time and peak memory, side by side with a peer (pandas +
# pyarrow reading the same files and writing Parquet). Reports ratios, never absolute pass/fail.
#
# Usage: bench/sync.sh [MIRROR_DIR] [RUNS]     (defaults: ../shared/data, 3)
# Needs: a release build (built here), python3 (a venv with pandas+pyarrow is made in /tmp).
set -euo pipefail
cd "$(dirname "$0")/.."
MIRROR=$(cd "${1:-../shared/data}" && pwd)
RUNS=${2:-3}
VENV=${ATTACHE_BENCH_VENV:-/tmp/attache-bench-venv}

cargo build --release -p attache >/dev/null
BIN=target/release/attache
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q pandas pyarrow
fi

measure() { # label, command...: prints "label wall_s peak_kib"
  local label=$1; shift
  local log; log=$(mktemp)
  /usr/bin/time -f '%e %M' -o "$log" "$@" >/dev/null 2>&1
  echo "$label $(cat "$log")"
  rm -f "$log"
}

results=$(mktemp)
for i in $(seq "$RUNS"); do
  d=$(mktemp -d)
  measure attache "$BIN" sync --mirror "$MIRROR" --data-dir "$d" >>"$results"
  rm -rf "$d"
  d=$(mktemp -d)
  measure pandas "$VENV/bin/python" bench/sync_peer.py "$MIRROR" "$d" >>"$results"
  rm -rf "$d"
done

python3 - "$results" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1])]
by = {}
for label, wall, kib in rows:
    by.setdefault(label, []).append((float(wall), int(kib)))
med = {k: (statistics.median(w for w, _ in v), max(m for _, m in v)) for k, v in by.items()}
for k, (w, m) in med.items():
    print(f"{k:8} median wall {w:6.2f} s   peak RSS {m/1024:7.1f} MiB   ({len(by[k])} runs)")
a, p = med["attache"], med["pandas"]
print(f"ratio attache/pandas: wall {a[0]/p[0]:.2f}x, peak memory {a[1]/p[1]:.2f}x")
PY
rm -f "$results"

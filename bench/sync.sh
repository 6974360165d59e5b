#!/usr/bin/env bash
# Benchmark: full-mirror sync (`attache sync --mirror DIR`: every file of the mirror into Parquet
# tables), wall time and peak memory, side by side with two peers doing the same reads and writes
# in Python (bench/sync_peer.py, once with polars, once with pandas; its docstring lists which
# files it reads, how, and what it does less than attache, so the ratios are a floor for attache).
# Issue 20's bar: attache faster than polars, and no more peak memory than polars.
#
# Each of RUNS rounds runs the three as whole processes, in an order rotated every round, each
# into a fresh temporary directory, timed by `/usr/bin/time -f '%e %M'` (wall seconds, max RSS
# KiB). Prints per-tool medians of wall and of peak RSS (and the largest peak RSS seen), then the
# ratios attache/polars and attache/pandas of both medians; never a pass/fail. Prints `uptime`
# before and after: on a busy 2-core machine the figures are noisy.
#
# Usage: bench/sync.sh [MIRROR_DIR] [RUNS]     (defaults: ../shared/data, 3)
# Env:   ATTACHE_BIN=path  use this attache binary and skip `cargo build --release`
#        ATTACHE_BENCH_VENV=dir  the Python venv (default /tmp/attache-sync-bench-venv; made here,
#        with polars, pandas, pyarrow and pyreadr, if missing)
# Needs: cargo (unless ATTACHE_BIN), python3 with venv, /usr/bin/time (GNU time).
set -euo pipefail
cd "$(dirname "$0")/.."
MIRROR=$(cd "${1:-../shared/data}" && pwd)
RUNS=${2:-3}
VENV=${ATTACHE_BENCH_VENV:-/tmp/attache-sync-bench-venv}

if [ -n "${ATTACHE_BIN:-}" ]; then
  BIN=$ATTACHE_BIN
else
  cargo build --release -p attache >/dev/null
  BIN=target/release/attache
fi
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import polars, pandas, pyarrow, pyreadr' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q polars pandas pyarrow pyreadr
fi
PY=$VENV/bin/python

measure() { # label, command...: appends "label wall_s peak_kib" to $results
  local label=$1; shift
  local log err; log=$(mktemp); err=$(mktemp)
  if ! /usr/bin/time -f '%e %M' -o "$log" "$@" >/dev/null 2>"$err"; then
    echo "$label failed:" >&2; tail -20 "$err" >&2; exit 1
  fi
  echo "$label $(tail -1 "$log")" >>"$results"
  echo "  run $i $label: $(tail -1 "$log")" >&2
  rm -f "$log" "$err"
}
run_one() { # label
  local d; d=$(mktemp -d)
  case $1 in
    attache) measure attache "$BIN" sync --mirror "$MIRROR" --data-dir "$d" ;;
    polars)  measure polars "$PY" bench/sync_peer.py "$MIRROR" "$d" --engine polars ;;
    pandas)  measure pandas "$PY" bench/sync_peer.py "$MIRROR" "$d" --engine pandas ;;
  esac
  rm -rf "$d"
}

echo "mirror $MIRROR, $RUNS run(s); attache $BIN; $("$PY" -c 'import polars, pandas, pyreadr; print("polars", polars.__version__, "pandas", pandas.__version__, "pyreadr", pyreadr.__version__)')"
echo "load before: $(uptime)"
results=$(mktemp)
tools=(attache polars pandas)
for i in $(seq "$RUNS"); do
  for k in 0 1 2; do
    run_one "${tools[$(( (i - 1 + k) % 3 ))]}"
  done
done
echo "load after:  $(uptime)"

"$PY" - "$results" <<'PY'
import sys, statistics
by = {}
for line in open(sys.argv[1]):
    label, wall, kib = line.split()
    by.setdefault(label, []).append((float(wall), int(kib)))
med = {k: (statistics.median(w for w, _ in v), statistics.median(m for _, m in v)) for k, v in by.items()}
print(f"{'':8} {'median wall':>12} {'median peak RSS':>16} {'max peak RSS':>13}  runs")
for k in ("attache", "polars", "pandas"):
    w, m = med[k]
    print(f"{k:8} {w:10.2f} s {m / 1024:12.0f} MiB {max(x for _, x in by[k]) / 1024:9.0f} MiB  {len(by[k])}")
a = med["attache"]
for peer in ("polars", "pandas"):
    p = med[peer]
    print(f"ratio attache/{peer}: wall {a[0] / p[0]:.2f}x, peak RSS {a[1] / p[1]:.2f}x")
PY
rm -f "$results"

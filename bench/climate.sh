#!/usr/bin/env bash
# Benchmark: the climate emulator against the `fair` package it ports, side by side.
#   ours:  `attache climate warming --scenario rcp45 --ensemble N` as a whole release process
#          (1765-2500, N parameter sets, quantiles, output), and a single-scenario run;
#   FaIR:  N calls of fair 1.6.4's fair_scm on RCP4.5 (1765-2500) with N (TCR, ECS) pairs from
#          its own tcrecs_generate, as a whole Python process (import included), and one call.
# Reports wall times, time per ensemble member and the ratio (target: >= 100x).
#
# Usage: bench/climate.sh [N] [RUNS]     (defaults: 1000, 3; the best of RUNS is kept)
# Needs: a release build (built here, or ATTACHE_BIN=path/to/attache) and python3; fair==1.6.4 with numpy<2 goes into a venv
# under /tmp (override with ATTACHE_FAIR_VENV).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
RUNS=${2:-3}
VENV=${ATTACHE_FAIR_VENV:-/tmp/attache-bench-fair164}

if [ -n "${ATTACHE_BIN:-}" ]; then # a release binary built elsewhere: skip the build
  BIN=$ATTACHE_BIN
else
  cargo build --release -p attache >/dev/null
  BIN=target/release/attache
fi
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import fair; assert fair.__version__ == "1.6.4"' 2>/dev/null; then
  python3 -m venv "$VENV"
  # fair 1.6.4 predates numpy 2 (it assigns arrays to scalars); pin the versions it was tested with.
  "$VENV/bin/pip" install -q "fair==1.6.4" "numpy==1.24.4" "scipy==1.11.4" "pandas<2.2"
fi

script=$(mktemp --suffix .py)
trap 'rm -f "$script"' EXIT
cat >"$script" <<'PY'
import sys
import numpy as np
import fair
from fair.RCPs import rcp45
from fair.tools.ensemble import tcrecs_generate
n = int(sys.argv[1])
e = rcp45.Emissions.emissions
tcrecs = tcrecs_generate("cmip5", n=n, dist="lognorm", correlated=True, seed=1)
t = np.empty((n, e.shape[0]))
for i in range(n):
    _, _, t[i] = fair.forward.fair_scm(emissions=e, tcrecs=tcrecs[i])
y = e[:, 0]
t -= t[:, (y >= 1850) & (y <= 1900)].mean(axis=1, keepdims=True)
q = np.percentile(t, [5, 17, 50, 83, 95], axis=0)
i2100 = int(np.where(y == 2100)[0][0])
print("fair 2100 quantiles", np.round(q[:, i2100], 3), file=sys.stderr)
PY

best() { # command...: best wall seconds of RUNS
  local b=""
  for _ in $(seq "$RUNS"); do
    local s e
    s=$(date +%s.%N)
    "$@" >/dev/null
    e=$(date +%s.%N)
    b=$(python3 -c "import sys; a=float(sys.argv[1]); b=sys.argv[2]; print(a if b=='' or a<float(b) else b)" "$(python3 -c "print($e-$s)")" "$b")
  done
  echo "$b"
}

ours_ens=$(best "$BIN" climate warming --scenario rcp45 --ensemble "$N" --to 2500 --format csv)
ours_one=$(best "$BIN" climate warming --scenario rcp45 --to 2500 --format csv)
fair_ens=$(RUNS=1 best "$VENV/bin/python" "$script" "$N")
fair_one=$(best "$VENV/bin/python" "$script" 1)

"$BIN" climate warming --scenario rcp45 --ensemble "$N" --from 2100 --to 2100 --format csv | tail -1 |
  awk -F, '{printf "attache 2100 quantiles [%s %s %s %s %s]\n", $4, $5, $6, $7, $8}'
python3 - "$N" "$ours_ens" "$fair_ens" "$ours_one" "$fair_one" <<'PY'
import sys
n = int(sys.argv[1]); oe, fe, o1, f1 = map(float, sys.argv[2:])
print(f"ensemble of {n} (RCP4.5, 1765-2500, whole process): attache {oe:.3f} s, fair 1.6.4 {fe:.1f} s")
print(f"  per member: attache {oe / n * 1000:.2f} ms, fair {fe / n * 1000:.1f} ms; ratio {fe / oe:.0f}x (target >= 100x)")
print(f"single scenario (whole process): attache {o1 * 1000:.0f} ms, fair {f1 * 1000:.0f} ms; ratio {f1 / o1:.0f}x")
PY

#!/usr/bin/env bash
# Benchmark: PPML with high-dimensional fixed effects (attache-trade) against pyfixest's fepois,
# side by side on the same machine and data (issue 16):
#   - the gegravity sample (900 flows, exporter and importer effects, robust errors): the
#     coefficients must agree to 1e-6;
#   - the Advanced Guide's full panel (99,981 rows, exporter-year, importer-year and pair
#     effects, clustered by pair): agreement and the best wall time of RUNS fits (target: ours
#     at least 5x faster). pyfixest's first call compiles with numba: it is run once untimed.
#
# Usage: bench/trade_ppml.sh [MIRROR_DIR] [RUNS]     (defaults: ../shared/data, 3)
# Needs: python3; pyfixest goes into a venv under /tmp (override with ATTACHE_PYFIXEST_VENV).
set -euo pipefail
cd "$(dirname "$0")/.."
MIRROR=$(cd "${1:-../shared/data}" && pwd)
RUNS=${2:-3}
VENV=${ATTACHE_PYFIXEST_VENV:-/tmp/attache-bench-pyfixest}

cargo build --release -p attache-trade --example three_way >/dev/null
echo "== attache-trade"
"${CARGO_TARGET_DIR:-target}/release/examples/three_way" "$MIRROR" "$RUNS"

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import pyfixest' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "pyfixest==0.60.0" pandas
fi
script=$(mktemp --suffix .py)
trap 'rm -f "$script"' EXIT
cat >"$script" <<'PY'
import sys, time, warnings
warnings.filterwarnings("ignore")
import pandas as pd, pyfixest as pf
mirror, runs = sys.argv[1], int(sys.argv[2])
def show(m):
    for (term, b), se in zip(m.coef().items(), m.se().values):
        print(f"  {term:<16} {b:>15.10f} {se:>15.10f}")
    print(f"  N {m._N}")
g = pd.read_csv(f"{mirror}/trade/gegravity_sample_data_set.dlm")
t = time.time()
m = pf.fepois("trade ~ pta + contiguity + common_language + lndist + international | exporter + importer",
              data=g, vcov="hetero", fixef_tol=1e-10, iwls_tol=1e-10)
print(f"gegravity sample, hetero, {time.time() - t:.3f} s (numba compilation included):")
show(m)
d = pd.read_stata(f"{mirror}/trade/advanced-guide/Chapter2Application2.dta")
fml = "trade ~ RTA | exporter^year + importer^year + pair_id"
pf.fepois(fml, data=d, vcov={"CRV1": "pair_id"})
best = float("inf")
for _ in range(runs):
    t = time.time()
    m = pf.fepois(fml, data=d, vcov={"CRV1": "pair_id"})
    best = min(best, time.time() - t)
print(f"three-way PPML, CRV1 by pair, best of {runs}: {best:.3f} s")
show(m)
PY
echo "== pyfixest $("$VENV/bin/python" -c 'import pyfixest; print(pyfixest.__version__)')"
"$VENV/bin/python" "$script" "$MIRROR" "$RUNS"

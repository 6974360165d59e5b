#!/usr/bin/env bash
# Benchmark: the three ViEWS challenge backtests (Y2019, Y2020, Y2021; our model and the four
# benchmarks, 191 countries x 12 months x 1000 draws each) as one release process, wall time and
# peak memory. Target: under 60 s on a 2-core machine.
#
# Usage: bench/backtest.sh [MIRROR_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
MIRROR=$(cd "${1:-../shared/data}" && pwd)
cargo build --release -p attache >/dev/null
BIN=target/release/attache
data=$(mktemp -d); out=$(mktemp -d)
trap 'rm -rf "$data" "$out"' EXIT
"$BIN" sync --mirror "$MIRROR" --only views-cm,ucdp-brd,polity5 --data-dir "$data" >/dev/null
log=$(mktemp)
/usr/bin/time -f '%e %M' -o "$log" "$BIN" forecast backtest --window Y2019,Y2020,Y2021 --out "$out" --data-dir "$data"
read -r wall kib <"$log"
echo "three backtests: wall ${wall} s, peak RSS $((kib / 1024)) MiB (target: < 60 s)"
for y in 2019 2020; do
  "$BIN" forecast evaluate --window Y$y --actuals "$MIRROR/views/cm_actuals_$y.parquet" --submission "$out"
done

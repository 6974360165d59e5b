#!/usr/bin/env bash
# Benchmark (issue 15): parse and index one day of GDELT 2.0 exports (96 files of 15 minutes,
# synthesised from the mirror's real export: the same rows with GLOBALEVENTID shifted per file so
# that nothing is a duplicate, and DATEADDED set to each file's slot) side by side:
#   - ours: `attache events import DIR` (release build): strict parse of every file, ISO3
#     resolution, de-duplication on GLOBALEVENTID, Parquet per file and day, then the daily index
#     per country and dyad and the alert rules;
#   - pandas and polars (bench/events_peer.py, a whole process each, like ours) doing the same
#     reads and writes: the 96 tab-separated files, duplicate GLOBALEVENTIDs dropped, the
#     stored columns written as Parquet partitioned by day, and the daily index per place
#     (events by QuadClass, mean Goldstein and tone) written as Parquet. They do less: no strict
#     check of every field, no country resolution, no alert rules, no import record.
# Prints each one's best wall time of RUNS and the ratios (the goal: faster than polars).
#
# Usage: bench/events.sh [MIRROR_DIR] [RUNS]     (defaults: ../shared/data, 3)
# Needs: python3; pandas and polars go into a venv under /tmp (ATTACHE_EVENTS_VENV).
set -euo pipefail
cd "$(dirname "$0")/.."
MIRROR=$(cd "${1:-../shared/data}" && pwd)
RUNS=${2:-3}
VENV=${ATTACHE_EVENTS_VENV:-/tmp/attache-bench-events}
cargo build --release -p attache >/dev/null
BIN=${CARGO_TARGET_DIR:-target}/release/attache
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import pandas, polars, pyarrow' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q pandas polars pyarrow
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$MIRROR/gdelt/20191024143000.export.CSV" "$work/day" <<'PY'
import os, sys
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out)
rows = [l.rstrip("\n").split("\t") for l in open(src, encoding="utf-8") if l.strip()]
for i in range(96):
    h, m = divmod(i * 15, 60)
    stamp = f"20191024{h:02d}{m:02d}00"
    with open(os.path.join(out, f"{stamp}.export.CSV"), "w", encoding="utf-8") as f:
        for r in rows:
            r2 = list(r)
            r2[0] = str(int(r[0]) + (i + 1) * 1_000_000_000)
            r2[59] = stamp
            f.write("\t".join(r2) + "\n")
print(f"96 files x {len(rows)} rows")
PY
best() { sort -n | head -1; }
ours=$(for _ in $(seq "$RUNS"); do
  d=$(mktemp -d -p "$work")
  "$BIN" sync --mirror "$MIRROR" --only natural-earth --data-dir "$d" >/dev/null
  /usr/bin/time -f '%e' -o "$work/t" "$BIN" events import "$work/day" --data-dir "$d" >/dev/null
  cat "$work/t"
done | best)
peer() {
  for _ in $(seq "$RUNS"); do
    rm -rf "$work/peer"
    /usr/bin/time -f '%e' -o "$work/t" "$VENV/bin/python" bench/events_peer.py "$1" "$work/day" "$work/peer" >/dev/null
    cat "$work/t"
  done | best
}
polars=$(peer polars)
pandas=$(peer pandas)
versions=$("$VENV/bin/python" -c 'import pandas, polars; print(f"pandas {pandas.__version__}, polars {polars.__version__}")')
echo "one day of GDELT exports (96 files), whole processes, best of $RUNS ($versions)"
echo "ours   (attache events import: strict parse, resolve, de-duplicate, Parquet by day, index, alerts): $ours s"
echo "polars (bench/events_peer.py: parse, de-duplicate, Parquet by day, index): $polars s"
echo "pandas (the same): $pandas s"
awk -v o="$ours" -v p="$polars" -v q="$pandas" 'BEGIN { printf "polars/ours %.2f (goal: > 1), pandas/ours %.2f\n", p / o, q / o }'

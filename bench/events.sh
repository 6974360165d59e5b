#!/usr/bin/env bash
# Benchmark (issue 15): parse and index one day of GDELT 2.0 exports (96 files of 15 minutes,
# synthesised from the mirror's real export: the same rows with GLOBALEVENTID shifted per file so
# that nothing is a duplicate, and DATEADDED set to each file's slot) side by side:
#   - ours: `attache events import DIR` (release build): strict parse of every file, ISO3
#     resolution, de-duplication on GLOBALEVENTID, Parquet per file and day, then the daily index
#     per country and dyad and the alert rules;
#   - pandas and polars doing the core of the same: read the 96 tab-separated files, drop
#     duplicate GLOBALEVENTIDs, and count events per (ActionGeo_CountryCode, SQLDATE) by QuadClass
#     with the mean Goldstein and AvgTone.
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
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import pandas, polars' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q pandas polars
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
"$VENV/bin/python" - "$work/day" "$RUNS" "$ours" <<'PY'
import glob, sys, time
import pandas as pd, polars as pl
d, runs, ours = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
files = sorted(glob.glob(d + "/*.export.CSV"))
cols = {0: "id", 1: "day", 29: "quad", 30: "goldstein", 34: "tone", 53: "country"}
def with_pandas():
    df = pd.concat([pd.read_csv(f, sep="\t", header=None, usecols=list(cols), names=None, dtype={53: str}, quoting=3, keep_default_na=False, na_values=[""]) for f in files])
    df = df.rename(columns=cols).drop_duplicates("id")
    g = df.groupby(["country", "day"])
    out = g.agg(events=("id", "size"), goldstein=("goldstein", "mean"), tone=("tone", "mean"))
    q = df.pivot_table(index=["country", "day"], columns="quad", values="id", aggfunc="size", fill_value=0)
    return out.join(q)
def with_polars():
    lf = pl.concat([pl.scan_csv(f, separator="\t", has_header=False, quote_char=None, infer_schema=False) for f in files])
    first = "column_0" in pl.scan_csv(files[0], separator="\t", has_header=False, quote_char=None, infer_schema=False).collect_schema().names()
    lf = lf.select([pl.col(f"column_{k if first else k + 1}").alias(v) for k, v in cols.items()]).with_columns(
        pl.col("id").cast(pl.Int64), pl.col("quad").cast(pl.Int32), pl.col("goldstein").cast(pl.Float64, strict=False), pl.col("tone").cast(pl.Float64, strict=False))
    lf = lf.unique(subset="id")
    return lf.group_by(["country", "day"]).agg(
        pl.len().alias("events"), pl.col("goldstein").mean(), pl.col("tone").mean(),
        *[(pl.col("quad") == q).sum().alias(f"quad{q}") for q in (1, 2, 3, 4)]).collect()
def best(f):
    t = []
    for _ in range(runs):
        t0 = time.perf_counter(); r = f(); t.append(time.perf_counter() - t0)
    return min(t), r
tp, rp = best(with_pandas)
tl, rl = best(with_polars)
print(f"one day of GDELT exports (96 files, {len(rl)} country-days)")
print(f"ours (attache events import, release; parse, resolve, dedup, Parquet, index, alerts): {ours:.2f} s")
print(f"pandas {pd.__version__} (parse, dedup, country-day aggregates): {tp:.2f} s  -> ours is {tp/ours:.1f}x pandas")
print(f"polars {pl.__version__} (the same, lazy): {tl:.2f} s  -> ours is {tl/ours:.1f}x polars (goal: > 1)")
PY

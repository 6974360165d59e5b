"""The peer of bench/events.sh: one day of GDELT 2.0 exports imported the way
`attache events import` does it, with pandas or polars, as a whole process.

Reads every *.export.CSV of DIR (tab-separated, no header, 61 columns), keeps the 15 columns
attache stores (id, date, CAMEO code and root, QuadClass, Goldstein, tone, the two actors'
countries, the place, mentions, sources, articles, DATEADDED, SOURCEURL), drops repeated
GLOBALEVENTIDs (first kept, in file order), writes the events as Parquet partitioned by day
(OUT/events/day=YYYY-MM-DD/part.parquet), and writes the daily index per place: events, the
four QuadClass counts, mean Goldstein and tone (OUT/event_index.parquet).

It does less than attache: no strict check of every field, no country resolution (FIPS
place codes are kept as published), no outlet host, no alert rules, no import record.

Usage: events_peer.py polars|pandas DIR OUT
"""
import glob
import os
import sys

engine, d, out = sys.argv[1], sys.argv[2], sys.argv[3]
files = sorted(glob.glob(os.path.join(d, "*.export.CSV")))
cols = {0: "event_id", 1: "date", 7: "actor1_country", 17: "actor2_country", 26: "cameo",
        28: "root", 29: "quad_class", 30: "goldstein", 31: "num_mentions", 32: "num_sources",
        33: "num_articles", 34: "tone", 53: "place", 59: "added", 60: "article"}
os.makedirs(os.path.join(out, "events"), exist_ok=True)

if engine == "polars":
    import polars as pl
    frames = [pl.read_csv(f, separator="\t", has_header=False, quote_char=None,
                          infer_schema=False, columns=list(cols)) for f in files]
    df = pl.concat(frames)
    df.columns = list(cols.values())
    df = df.with_columns(
        pl.col("event_id").cast(pl.Int64), pl.col("root").cast(pl.Int32),
        pl.col("quad_class").cast(pl.Int32), pl.col("goldstein").cast(pl.Float64),
        pl.col("tone").cast(pl.Float64), pl.col("num_mentions").cast(pl.Int64),
        pl.col("num_sources").cast(pl.Int64), pl.col("num_articles").cast(pl.Int64),
        pl.col("date").str.to_date("%Y%m%d"))
    df = df.unique(subset="event_id", keep="first", maintain_order=True)
    for (day,), part in df.group_by("date", maintain_order=True):
        p = os.path.join(out, "events", f"day={day}")
        os.makedirs(p, exist_ok=True)
        part.write_parquet(os.path.join(p, "part.parquet"))
    idx = df.group_by(["place", "date"]).agg(
        pl.len().alias("events"), pl.col("goldstein").mean(), pl.col("tone").mean(),
        *[(pl.col("quad_class") == q).sum().alias(f"quad{q}") for q in (1, 2, 3, 4)])
    idx.write_parquet(os.path.join(out, "event_index.parquet"))
    n = (len(df), len(idx))
else:
    import pandas as pd
    frames = [pd.read_csv(f, sep="\t", header=None, usecols=list(cols), dtype=str, quoting=3,
                          keep_default_na=False, na_values=[""]) for f in files]
    df = pd.concat(frames, ignore_index=True).rename(columns=cols)
    for c in ("event_id", "root", "quad_class", "num_mentions", "num_sources", "num_articles"):
        df[c] = df[c].astype("int64")
    for c in ("goldstein", "tone"):
        df[c] = df[c].astype("float64")
    df["date"] = pd.to_datetime(df["date"], format="%Y%m%d").dt.date
    df = df.drop_duplicates("event_id", keep="first")
    for day, part in df.groupby("date", sort=False):
        p = os.path.join(out, "events", f"day={day}")
        os.makedirs(p, exist_ok=True)
        part.to_parquet(os.path.join(p, "part.parquet"), index=False)
    g = df.groupby(["place", "date"])
    idx = g.agg(events=("event_id", "size"), goldstein=("goldstein", "mean"),
                tone=("tone", "mean"))
    q = df.pivot_table(index=["place", "date"], columns="quad_class", values="event_id",
                       aggfunc="size", fill_value=0)
    idx = idx.join(q).reset_index()
    idx.columns = [str(c) for c in idx.columns]
    idx.to_parquet(os.path.join(out, "event_index.parquet"), index=False)
    n = (len(df), len(idx))
print(f"{engine}: {n[0]} events, {n[1]} index rows")

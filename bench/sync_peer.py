"""Peer for bench/sync.sh: what a polars (or pandas) user would write to import the data mirror into
Parquet, reading the same 105 files that `attache sync --mirror` reads and writing one Parquet file
per table that `attache sync` writes (same table names, same row shapes: long tables stay long,
location lists are unrolled, the ViEWS files merged, sanction cases expanded to dyad-years).

Usage: sync_peer.py MIRROR OUT [--engine polars|pandas]     (default polars)
       SYNC_PEER_TRACE=1 also prints each step's seconds and the peak RSS so far.

How each format is read (the same calls for both engines unless said):
- CSV/TSV/.dat/.txt: polars.read_csv / pandas.read_csv (UTF-8, BOM stripped; `#` comment lines of
  the Klimalog NDC file skipped; OpenFlights `\\N` as null; GDELT tab-separated, unquoted).
- Parquet (ViEWS): polars.read_parquet / pandas.read_parquet.
- GeoJSON (UCDP GED), TopoJSON (Natural Earth), nested JSON (country groups): json.load, then
  the properties or leaves into a data frame.
- R .RData/.rda (UN votes, UNHCR population, IDMC): pyreadr.read_r (librdata; handles the gzip and
  bzip2 compression), then polars.from_pandas for polars.
- Stata .dta (Advanced Guide gravity panel): pandas.read_stata (faster here than pyreadstat's
  polars output), then polars.from_pandas for polars.
- tar.xz of 10,952 UNGDC speeches: tarfile (lzma) streamed member by member, each text decoded
  as UTF-8 and kept whole; word counts by a vectorised regex count of `\\S+`.
Tables are written with Snappy compression, as attache writes them.

What it does less than `attache sync`, so attache/peer ratios are a floor for attache:
- no country resolution: no `iso3` column is derived from names, COW/GW/ViEWS ids or dated codes
  (where attache adds iso3 the peer adds nothing; OpenFlights airports get the ISO2 of
  countries.dat by a join, the nearest a user gets without a crosswalk);
- no validation (no type, range, date or duplicate checks, no error naming file and line), no
  float snapping of ViEWS counts, no lockfile, no vintage directory, no SQLite catalogue, no
  copy of the Natural Earth files as artifacts;
- the two tables attache builds from its embedded crosswalk, `country_codes` and `neighbours`,
  are not written (they come from no mirror file);
- column names are the files' own (snake-cased for tables read in one call, numbered where a
  file has no header), not attache's renamings; no types are forced beyond what the readers infer;
- it runs one source after another in one process (a plain script, no thread pool of its own;
  polars and pyarrow use their own threads inside a call).
Deliberate row-count differences from attache's lock.json (printed to stderr at the end):
- wits_trade: rows with the same reporter and partner are dropped as attache does, but rows
  with an aggregate (non-ISO) code are kept (attache sets them aside via its crosswalk):
  40,599 rows against 39,418;
- sanction_dyad_years: TIES senders are not merged by COW succession and GSDB names are not
  checked, so a few more rows (23,252 against attache's 23,221 on this mirror).
With the OpenFlights ISO2 join deduplicated, every other table has attache's row count.
It reads every file attache reads; it skips none.
"""
import glob
import json
import os
import re
import sys
import tarfile
import time
import warnings

import pandas as pd
import pyreadr  # R reader, for both engines

warnings.simplefilter("ignore", pd.errors.PerformanceWarning)

args = [a for a in sys.argv[1:] if not a.startswith("--engine")]
ENGINE = "polars"
for i, a in enumerate(sys.argv):
    if a == "--engine":
        ENGINE = sys.argv[i + 1]
        args.remove(ENGINE)
    elif a.startswith("--engine="):
        ENGINE = a.split("=", 1)[1]
if len(args) != 2 or ENGINE not in ("polars", "pandas"):
    sys.exit("usage: sync_peer.py MIRROR OUT [--engine polars|pandas]")
MIRROR, OUT = args
os.makedirs(OUT, exist_ok=True)
PL = ENGINE == "polars"
if PL:
    import polars as pl

COUNTS = {}


def p(*a):
    return os.path.join(MIRROR, *a)


def snake(name):
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")


# ---- the few operations the import needs, once per engine -------------------------------------

def csv(path, sep=",", header=True, names=None, nulls=None, quote=True, skip=0, text=False):
    if PL:
        return pl.read_csv(
            p(path), separator=sep, has_header=header, new_columns=names,
            null_values=nulls, quote_char='"' if quote else None, skip_rows=skip,
            infer_schema_length=0 if text else 10000, truncate_ragged_lines=False)
    return pd.read_csv(
        p(path), sep=sep, header=0 if header else None, names=names, na_values=nulls,
        quoting=3 if not quote else 0, skiprows=skip, encoding="utf-8-sig",
        dtype=str if text else None, low_memory=False)


def frame(cols):
    """A data frame from a dict of equal-length lists."""
    return pl.DataFrame(cols, strict=False) if PL else pd.DataFrame(cols)


def from_pandas(df):
    return pl.from_pandas(df) if PL else df


def concat(dfs):
    if PL:
        return pl.concat(dfs, how="diagonal_relaxed")
    return pd.concat(dfs, ignore_index=True)


def add(df, **consts):
    if PL:
        return df.with_columns(**{k: pl.lit(v) for k, v in consts.items()})
    return df.assign(**consts)


def rename(df, mapping):
    mapping = {k: v for k, v in mapping.items() if k in df.columns}
    return df.rename(mapping) if PL else df.rename(columns=mapping)


def snake_cols(df):
    return rename(df, {c: snake(c) for c in df.columns})


def select(df, cols):
    return df.select(cols) if PL else df[cols]


def melt(df, ids, values, var, val):
    if PL:
        return df.unpivot(index=ids, on=values, variable_name=var, value_name=val)
    return df.melt(id_vars=ids, value_vars=values, var_name=var, value_name=val)


def explode_split(df, col, sep, keep, new):
    """One row per item of the `sep`-separated list in `col`, keeping columns `keep`."""
    if PL:
        return (df.select(*keep, pl.col(col).cast(pl.String).str.split(sep).alias(new))
                .explode(new).filter(pl.col(new).is_not_null()))
    out = df[keep].assign(**{new: df[col].astype("string").str.split(sep)}).explode(new)
    return out[out[new].notna()]


def records(df):
    return df.to_dicts() if PL else df.to_dict("records")


def nrows(df):
    return df.height if PL else len(df)


def write(df, table):
    path = os.path.join(OUT, table + ".parquet")
    if PL:
        df.write_parquet(path, compression="snappy")
    else:
        df.to_parquet(path, compression="snappy", index=False)
    COUNTS[table] = nrows(df)


# ---- the sources, in attache's order ------------------------------------------------------------

def ucdp():
    for table, path in (("acd", "ucdp/UcdpPrioConflict_v25_1.csv"),
                        ("brd", "ucdp/BattleDeaths_v24_1.csv")):
        df = csv(path)
        write(df, table)
        key, loc = ("conflict_id", "gwno_loc") if table == "acd" else ("dyad_id", "gwno_battle")
        write(explode_split(df, loc, ", ", [key, "year"], "gwno"), table + "_locations")
    ged = json.load(open(p("ucdp/GEDEvent_v23_1_CAR482.geojson"), encoding="utf-8"))
    props = [f["properties"] for f in ged["features"]]
    cols = {k: [r.get(k) for r in props] for k in props[0]}
    write(frame(cols), "ged")


def indicators():
    parts = [add(rename(csv("ucdp/owid_deaths-in-armed-conflicts-based-on-where-they-occurred.csv"),
                        {"Entity": "entity", "Year": "year", "Deaths": "value"}),
                 indicator="deaths_in_armed_conflicts", source="owid-conflict-deaths")]
    for f in ["worldbank/gdp.csv", "worldbank/population.csv"] + sorted(
            os.path.relpath(x, MIRROR) for x in glob.glob(p("worldbank/wdi/*.csv"))):
        df = rename(csv(f), {"Country Name": "entity_name", "Country Code": "entity",
                             "Year": "year", "Value": "value"})
        parts.append(add(df, indicator=os.path.basename(f)[:-4], source="worldbank-wdi"))
    write(concat(parts), "indicators")


def views():
    keys = ["month_id", "country_id"]
    files = []
    for y, pub_f, pub_a in ((2018, 466, 474), (2019, 478, 486), (2020, 490, 498)):
        files.append((f"cm_features_to_oct{y}", pub_f))
        files.append((f"cm_actuals_{y}", pub_a))
    cm, releases = None, []
    for name, pub in files:
        if PL:
            df = pl.read_parquet(p("views", name + ".parquet"))
        else:  # the files carry a pandas index (month_id, country_id)
            df = pd.read_parquet(p("views", name + ".parquet")).reset_index()
        counts = [c for c in ("ged_sb", "ged_ns", "ged_os") if c in df.columns]
        releases.append(add(select(df, keys + counts), release=name, published_month=pub))
        # a later file overwrites the columns it has
        if cm is None:
            cm = df
        elif PL:
            cm = cm.update(df, on=keys, how="full")
        else:
            cm = df.set_index(keys).combine_first(cm.set_index(keys)).reset_index()
    write(cm, "cm")
    write(concat(releases), "cm_releases")


def emissions():
    gcb = add(rename(csv("gcb2019/territorial-emissions.csv"),
                     {"Code": "entity", "Year": "year", "Emissions": "value", "Source": "sector"}),
              source="gcb2019", unit="MtC")
    edgar = add(rename(csv("co2/edgar-co2-emissions.csv"),
                       {"Code": "entity", "Name": "entity_name", "Sector": "sector",
                        "Year": "year", "Emissions": "value"}),
                source="edgar", unit="MtCO2")
    cd = csv("co2/fossil-fuel-co2-emissions-by-nation.csv")
    fuels = ["Total", "Solid Fuel", "Liquid Fuel", "Gas Fuel", "Cement", "Gas Flaring",
             "Bunker fuels (Not in Total)"]
    cdiac = add(rename(melt(cd, ["Year", "Country"], fuels, "sector", "value"),
                       {"Year": "year", "Country": "entity_name"}),
                source="cdiac", unit="ktC")
    write(concat([gcb, edgar, cdiac]), "emissions")


def simple(table, path, **kw):
    write(snake_cols(csv(path, **kw)), table)


def openflights():
    countries = csv("openflights/countries.dat", header=False,
                    names=["country", "iso2", "fips"], nulls=["\\N"])
    # countries.dat repeats some names: keep the first, so the join adds no rows
    countries = (countries.unique(subset="country", keep="first", maintain_order=True) if PL
                 else countries.drop_duplicates(subset="country", keep="first"))
    cols = ["airport_id", "name", "city", "country", "iata", "icao", "latitude", "longitude",
            "altitude", "timezone", "dst", "tz_database_time_zone", "type", "source"]
    ap = csv("openflights/airports.dat", header=False, names=cols, nulls=["\\N"])
    iso = select(countries, ["country", "iso2"])
    ap = ap.join(iso, on="country", how="left") if PL else ap.merge(iso, on="country", how="left")
    write(ap, "airports")
    write(csv("openflights/routes.dat", header=False, nulls=["\\N"], text=True,
              names=["airline", "airline_id", "source_airport", "source_airport_id",
                     "destination_airport", "destination_airport_id", "codeshare", "stops",
                     "equipment"]), "routes")


def natural_earth():
    rows = {"scale": [], "id": [], "name": []}
    for scale in ("110m", "50m"):
        topo = json.load(open(p(f"natural-earth/countries-{scale}.json"), encoding="utf-8"))
        for g in topo["objects"]["countries"]["geometries"]:
            rows["scale"].append(scale)
            rows["id"].append(g.get("id"))
            rows["name"].append(g.get("properties", {}).get("name"))
    write(frame(rows), "ne_countries")


def gdelt():
    write(csv("gdelt/20191024143000.export.CSV", sep="\t", header=False, quote=False,
              text=True), "gdelt_events")
    simple("cameo_event_codes", "gdelt/lookups/CAMEO.eventcodes.txt", sep="\t", text=True)
    simple("cameo_goldstein", "gdelt/lookups/CAMEO.goldsteinscale.txt", sep="\t",
           text=True)
    simple("cameo_types", "gdelt/lookups/CAMEO.type.txt", sep="\t", text=True)


def country_groups():
    parts = []
    for f in sorted(glob.glob(p("countrygroups/*.csv"))):
        df = csv(os.path.relpath(f, MIRROR), text=True)
        df = rename(df, {"Code": "code", "Name": "name", "Region": "subgroup"})
        extra = [c for c in df.columns if c not in ("code", "name", "subgroup")]
        df = rename(df, {c: "detail" for c in extra[:1]})
        parts.append(add(df, group_id=os.path.basename(f)[:-4]))
    for f in sorted(glob.glob(p("countrygroups/*.json"))):
        rows = {"subgroup": [], "code": []}

        def walk(node, path):
            if isinstance(node, dict):
                for k, v in node.items():
                    walk(v, path + [k])
            else:
                for code in node:
                    if isinstance(code, dict):  # a nested subgroup inside a list
                        walk(code, path)
                        continue
                    rows["subgroup"].append("/".join(path))
                    rows["code"].append(code)
        walk(json.load(open(f, encoding="utf-8")), [])
        parts.append(add(frame(rows), group_id=os.path.basename(f)[:-5]))
    write(concat(parts), "country_groups")


def ndc():
    simple("ndc_cait", "ndc/ndc-content-cait.csv")
    path = "ndc/ndc-content-klimalog-die-gdi.csv"
    with open(p(path), encoding="utf-8") as fh:
        comments = 0
        for line in fh:
            if not line.startswith("#"):
                break
            comments += 1
    simple("ndc_klimalog", path, skip=comments)


def unvotes():
    x = pyreadr.read_r(p("unvotes/UNVotesPublished.RData"))["x"]
    if PL:
        df = pl.from_pandas(x).with_columns(
            pl.col("year").cast(pl.Int64),
            pl.col("date").str.strptime(pl.Date, "%m/%d/%Y", strict=False))
    else:
        df = x.reset_index(drop=True)
        for c in ("member", "importantvote", "me", "nu", "di", "hr", "co", "year"):
            df[c] = pd.to_numeric(df[c]).astype("Int64")
        df["date"] = pd.to_datetime(df["date"], format="%m/%d/%Y").dt.date
    write(df, "un_votes")
    simple("un_roll_calls", "unvotes/un_roll_calls.csv")
    simple("un_roll_call_issues", "unvotes/un_roll_call_issues.csv")
    simple("un_ideal_points", "unvotes/IdealpointsJuly2025.csv")


def displacement():
    for table, f in (("displacement", "population.rda"), ("idmc_idps", "idmc.rda")):
        for df in pyreadr.read_r(p("displacement", f)).values():
            write(from_pandas(df.reset_index(drop=True)), table)


def sanctions():
    gsdb = csv("sanctions/GSDB_V3.csv")
    ties = csv("sanctions/TIESv4.1.raw.csv", text=True)
    write(gsdb, "sanctions_gsdb")
    write(ties, "sanctions_ties")
    flags = ["trade", "arms", "military", "financial", "travel", "other"]
    # the World Bank's inverted names hold a ", " but are one party
    inverted = {"Congo, Democratic Republic of the", "Egypt, Arab Rep.", "Gambia, The",
                "Korea, North", "Korea, South", "Yemen, North"}

    def parties(cell):
        out = []
        for part in str(cell).split(", "):
            if out and f"{out[-1]}, {part}" in inverted:
                out[-1] = f"{out[-1]}, {part}"
            else:
                out.append(part)
        return out
    out = []
    for r in records(gsdb):
        senders = parties(r["sanctioning_state"])
        targets = parties(r["sanctioned_state"])
        for year in range(int(r["begin"]), int(r["end"]) + 1):
            for s in senders:
                for t in targets:
                    out.append({"source": "gsdb", "case_id": r["case_id"], "year": year,
                                "sender_name": s, "target_name": t,
                                **{f: r[f] for f in flags}, "sanctiontype": None,
                                "multilateral": r["sender_mult"]})

    def num(v):
        return int(v) if v not in (None, "") and str(v).strip().isdigit() else None
    for r in records(ties):
        if num(r["imposition"]) != 1:
            continue
        m = re.match(r"\s*(\d{4})", str(r["sancimpositionstartyear"] or ""))
        if not m:
            continue
        end = num(r["endyear"]) or num(r["ongoingasofyear"]) or 2005
        senders = []
        for c in ("sender1", "sender2", "sender3", "sender4", "sender5", "primarysender"):
            s = num(r[c])
            if s and s not in senders:
                senders.append(s)
        if not senders:
            senders = ["institution " + c for c in str(r["institutionid"] or "").split()]
        for year in range(int(m.group(1)), end + 1):
            for s in senders:
                out.append({"source": "ties", "case_id": num(r["caseid"]), "year": year,
                            "sender_name": str(s), "target_name": str(r["targetstate"]),
                            **{f: None for f in flags}, "sanctiontype": r["sanctiontype"],
                            "multilateral": int(len(senders) > 1 or num(r["institution"]) == 1)})
    cols = {k: [o[k] for o in out] for k in out[0]}
    write(frame(cols), "sanction_dyad_years")


def trade():
    write(from_pandas(pd.read_stata(p("trade/advanced-guide/Chapter2Application2.dta"))),
          "gravity_panel")
    w = csv("trade/WITS_trade2009.csv", sep=";")
    if PL:
        w = (w.with_row_index("line", offset=2)
             .filter(pl.col("ReporterISO3") != pl.col("PartnerISO3"))
             .select("line", reporter_iso3="ReporterISO3", partner_iso3="PartnerISO3",
                     year="Year", direction=pl.col("TradeFlowName").str.to_lowercase(),
                     value_kusd="TradeValue in 1000 USD"))
    else:
        w = w.assign(line=range(2, len(w) + 2))
        w = w[w["ReporterISO3"] != w["PartnerISO3"]]
        w = pd.DataFrame({"line": w["line"], "reporter_iso3": w["ReporterISO3"],
                          "partner_iso3": w["PartnerISO3"], "year": w["Year"],
                          "direction": w["TradeFlowName"].str.lower(),
                          "value_kusd": w["TradeValue in 1000 USD"]})
    write(w, "wits_trade")
    simple("cepii_dist", "trade/dist_cepii.csv", sep=";")


def ungdc():
    name_re = re.compile(r"([A-Z]+)_(\d+)_(\d{4})\.txt$")
    cols = {"code": [], "session": [], "year": [], "text": []}
    with tarfile.open(p("ungdc/UNGDC_1946-2024_TXT.tar.xz"), mode="r:xz") as tf:
        for m in tf:
            if not m.isfile():
                continue
            hit = name_re.search(m.name)
            if not hit:
                continue
            cols["code"].append(hit.group(1))
            cols["session"].append(int(hit.group(2)))
            cols["year"].append(int(hit.group(3)))
            cols["text"].append(tf.extractfile(m).read().decode("utf-8"))
    df = frame(cols)
    del cols
    if PL:
        df = df.with_columns(words=pl.col("text").str.count_matches(r"\S+"))
    else:
        df["words"] = df["text"].str.count(r"\S+")
    write(df, "ungdc_speeches")
    simple("ungdc_speakers", "ungdc/Speakers_by_session.csv")


def main():
    t0 = time.time()
    steps = [ucdp, indicators, views, lambda: simple("polity", "polity5/p5v2018.csv"),
             emissions, openflights, natural_earth, gdelt, country_groups, ndc,
             lambda: simple("ndc_documents", "unfccc/ndcs.csv"),
             lambda: simple("paris_agreement", "unfccc/paris-agreement-entry-into-force.csv"),
             unvotes, displacement, sanctions, trade,
             lambda: simple("sdg_index", "sdg/sdg_index_2000-2022.csv"),
             lambda: simple("sdr_2023", "sdg/sustainable_development_report_2023.csv"),
             lambda: simple("inform_risk", "inform/INFORM_Risk_2025_v070_main.csv"),
             lambda: simple("inform_regions", "inform/INFORM_Risk_2025_v070_regions.csv"),
             ungdc]
    for step in steps:
        t = time.time()
        step()
        if os.environ.get("SYNC_PEER_TRACE"):
            import resource
            print(f"  {getattr(step, '__name__', '?'):14} {time.time() - t:6.2f} s  peak "
                  f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB",
                  file=sys.stderr)
    for table in sorted(COUNTS):
        print(f"{table:22} {COUNTS[table]:>9}", file=sys.stderr)
    print(f"{ENGINE}: {len(COUNTS)} tables, {sum(COUNTS.values())} rows in "
          f"{time.time() - t0:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()

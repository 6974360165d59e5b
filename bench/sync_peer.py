"""Peer for bench/sync.sh: what a pandas user would write to import the same mirror files into
Parquet (read each CSV/TSV/Parquet/JSON the sync reads, write one Parquet per table). It does less
than `attache sync` (no country resolution, no row validation, no lockfile): the ratio is a floor.
"""
import glob, json, os, sys
import pandas as pd

mirror, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
def p(*a): return os.path.join(mirror, *a)
def w(df, name): df.to_parquet(os.path.join(out, name + ".parquet"))

w(pd.read_csv(p("ucdp/UcdpPrioConflict_v25_1.csv")), "acd")
w(pd.read_csv(p("ucdp/BattleDeaths_v24_1.csv")), "brd")
ged = json.load(open(p("ucdp/GEDEvent_v23_1_CAR482.geojson")))
w(pd.DataFrame([f["properties"] for f in ged["features"]]).astype(str), "ged")
w(pd.read_csv(p("ucdp/owid_deaths-in-armed-conflicts-based-on-where-they-occurred.csv")), "owid")
w(pd.concat([pd.read_parquet(f) for f in sorted(glob.glob(p("views/*.parquet")))]), "cm")
wb = [pd.read_csv(f).assign(indicator=os.path.basename(f)) for f in sorted(glob.glob(p("worldbank/*.csv")) + glob.glob(p("worldbank/wdi/*.csv")))]
w(pd.concat(wb), "indicators")
w(pd.read_csv(p("polity5/p5v2018.csv"), encoding="utf-8-sig"), "polity")
w(pd.read_csv(p("gcb2019/territorial-emissions.csv")), "gcb")
w(pd.read_csv(p("co2/edgar-co2-emissions.csv")), "edgar")
w(pd.read_csv(p("co2/fossil-fuel-co2-emissions-by-nation.csv")), "cdiac")
w(pd.read_csv(p("openflights/airports.dat"), header=None, na_values="\\N").astype(str), "airports")
w(pd.read_csv(p("openflights/routes.dat"), header=None, na_values="\\N").astype(str), "routes")
w(pd.read_csv(p("gdelt/20191024143000.export.CSV"), sep="\t", header=None, quoting=3).astype(str), "gdelt")
groups = [pd.read_csv(f).astype(str).assign(group=os.path.basename(f)) for f in sorted(glob.glob(p("countrygroups/*.csv")))]
w(pd.concat(groups), "country_groups")
for f in glob.glob(p("natural-earth/countries-*.json")):
    json.load(open(f))

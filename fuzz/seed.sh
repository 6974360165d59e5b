#!/usr/bin/env bash
# Seeds each fuzz target's corpus (fuzz/corpus/<target>/) with small slices of the real published
# files in the data mirror: the first ~50 lines (and the header plus the last ~50 lines) of the
# CSVs, small whole files (CAMEO lookups, country groups, ViEWS actuals Parquet), GeoJSON/TopoJSON
# cut down to a few dozen features, and zip archives built from a CSV slice.
#
# Usage: fuzz/seed.sh [DATA_DIR]
#   DATA_DIR defaults to $ATTACHE_DATA, else ../shared/data next to the repository
#   (/work/shared/data on the project machines).
#   SEED_FULL=1 also copies the three ~550 KB ViEWS feature Parquet files whole (slower fuzzing).
#
# The corpus is generated, not committed (fuzz/corpus/ is gitignored); it also takes in the
# committed replay corpus (fuzz/replay/, written by replay.sh). Needs bash, coreutils, python3
# (standard library only) and zip.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
data="${1:-${ATTACHE_DATA:-$here/../../shared/data}}"
if [ ! -d "$data/ucdp" ]; then
    echo "seed.sh: no data mirror at $data (pass DATA_DIR or set ATTACHE_DATA)" >&2
    exit 1
fi
data="$(cd "$data" && pwd)"
corpus="$here/corpus"
n=50

dir() { mkdir -p "$corpus/$1"; echo "$corpus/$1"; }
# head TARGET NAME FILE [LINES]: the first LINES lines (header included).
headn() { head -n "${4:-$n}" "$3" > "$(dir "$1")/$2"; }
# tailn TARGET NAME FILE [LINES]: the header line plus the last LINES lines.
tailn() { { head -n 1 "$3"; tail -n "${4:-$n}" "$3"; } > "$(dir "$1")/$2"; }
# whole TARGET NAME FILE
whole() { cp "$3" "$(dir "$1")/$2"; chmod u+w "$(dir "$1")/$2"; }

rm -rf "$corpus"

# delimited_csv: a mix of every delimited layout the adapters read, plus edge cases.
headn delimited_csv acd.csv "$data/ucdp/UcdpPrioConflict_v25_1.csv" 20
headn delimited_csv brd.csv "$data/ucdp/BattleDeaths_v24_1.csv" 20
headn delimited_csv polity.csv "$data/polity5/p5v2018.csv" 20
headn delimited_csv gcb.csv "$data/gcb2019/territorial-emissions.csv" 20
headn delimited_csv airports.dat "$data/openflights/airports.dat" 20
headn delimited_csv gdelt.tsv "$data/gdelt/20191024143000.export.CSV" 5
headn delimited_csv cameo.txt "$data/gdelt/lookups/CAMEO.goldsteinscale.txt" 20
d="$(dir delimited_csv)"
printf 'a,b\r\n1,2\r\n"x\r\ny",3\r\n' > "$d/crlf.csv"
printf '\xef\xbb\xbfa,b\n1,"2"""\n' > "$d/bom.csv"
printf 'a,b\n"1","2\n"3","4"\n' > "$d/unclosed.csv"
printf 'a\tb\n1\t"2\n3\t4\n' > "$d/bare-quote.tsv"

# UCDP
headn ucdp_acd head.csv "$data/ucdp/UcdpPrioConflict_v25_1.csv"
tailn ucdp_acd tail.csv "$data/ucdp/UcdpPrioConflict_v25_1.csv"
headn ucdp_brd head.csv "$data/ucdp/BattleDeaths_v24_1.csv"
tailn ucdp_brd tail.csv "$data/ucdp/BattleDeaths_v24_1.csv"
owid="$data/ucdp/owid_deaths-in-armed-conflicts-based-on-where-they-occurred.csv"
headn ucdp_owid head.csv "$owid"
tailn ucdp_owid tail.csv "$owid"

# GED: the mirror has the GeoJSON layout only; the CSV seeds are the same events written in the
# published CSV layout (GED column order, coordinates from the geometry).
python3 - "$data/ucdp/GEDEvent_v23_1_CAR482.geojson" "$(dir ged_geojson)" "$(dir ged_csv)" <<'PY'
import csv, io, json, sys
src, gj_dir, csv_dir = sys.argv[1:]
doc = json.load(open(src, encoding="utf-8"))
feats = doc["features"]
cols = ("id relid year active_year code_status type_of_violence conflict_dset_id conflict_new_id "
        "conflict_name dyad_dset_id dyad_new_id dyad_name side_a_dset_id side_a_new_id side_a "
        "side_b_dset_id side_b_new_id side_b number_of_sources source_article source_office "
        "source_date source_headline source_original where_prec where_coordinates "
        "where_description adm_1 adm_2 latitude longitude priogrid_gid country country_id region "
        "event_clarity date_prec date_start date_end deaths_a deaths_b deaths_civilians "
        "deaths_unknown best high low gwnoa gwnob").split()
for name, part in [("head", feats[:20]), ("tail", feats[-20:]), ("one", feats[:1])]:
    small = {k: v for k, v in doc.items() if k != "features"}
    small["features"] = part
    with open(f"{gj_dir}/{name}.geojson", "w", encoding="utf-8") as f:
        json.dump(small, f, ensure_ascii=False, indent=0)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(cols)
    for ft in part:
        p = dict(ft["properties"])
        lon, lat = ft["geometry"]["coordinates"][:2]
        p["latitude"], p["longitude"] = lat, lon
        w.writerow(["" if p.get(c) is None else p[c] for c in cols])
    with open(f"{csv_dir}/{name}.csv", "w", encoding="utf-8") as f:
        f.write(out.getvalue())
PY

# ViEWS: the actuals Parquet files are small; take them whole.
for y in 2018 2019 2020; do whole views_parquet "cm_actuals_$y.parquet" "$data/views/cm_actuals_$y.parquet"; done
if [ "${SEED_FULL:-0}" = 1 ]; then
    for y in 2018 2019 2020; do whole views_parquet "cm_features_to_oct$y.parquet" "$data/views/cm_features_to_oct$y.parquet"; done
fi

# World Bank WDI (long layout), a few indicators.
for f in gdp population wdi/sp.pop.grow wdi/si.pov.gini; do
    b="$(basename "$f")"
    headn worldbank_csv "$b-head.csv" "$data/worldbank/$f.csv"
    tailn worldbank_csv "$b-tail.csv" "$data/worldbank/$f.csv"
done

# Polity5 (UTF-8 BOM on the header line).
headn polity_csv head.csv "$data/polity5/p5v2018.csv"
tailn polity_csv tail.csv "$data/polity5/p5v2018.csv"

# Emissions: GCB, EDGAR, CDIAC (the target feeds every seed to all three adapters).
for f in gcb2019/territorial-emissions co2/edgar-co2-emissions co2/fossil-fuel-co2-emissions-by-nation; do
    b="$(basename "$f")"
    headn emissions "$b-head.csv" "$data/$f.csv"
    tailn emissions "$b-tail.csv" "$data/$f.csv"
done

# OpenFlights.
for f in countries airports routes; do headn openflights "$f.dat" "$data/openflights/$f.dat"; done

# TopoJSON: world-atlas topologies cut to a few dozen geometries (no arcs needed by the parser).
python3 - "$data/natural-earth" "$(dir topojson)" <<'PY'
import json, sys
src, out = sys.argv[1:]
for name, obj in [("countries-110m", "countries"), ("countries-50m", "countries"), ("land-110m", "land")]:
    doc = json.load(open(f"{src}/{name}.json", encoding="utf-8"))
    small = {k: v for k, v in doc.items() if k not in ("objects", "arcs")}
    small["arcs"] = doc["arcs"][:2]
    o = doc["objects"][obj]
    small["objects"] = {obj: dict(o, geometries=[dict(g, arcs=[]) for g in o["geometries"][:30]])}
    with open(f"{out}/{name}.json", "w", encoding="utf-8") as f:
        json.dump(small, f, ensure_ascii=False, separators=(",", ":"))
PY

# GDELT 2.0 export (no header) and a GDELT 1.0 sample (57 fields: must be an error).
headn gdelt_export head.CSV "$data/gdelt/20191024143000.export.CSV" 20
tail -n 20 "$data/gdelt/20191024143000.export.CSV" > "$(dir gdelt_export)/tail.CSV"
headn gdelt_export gdelt1.tsv "$data/gdelt/gdelt1_events_sample.tsv" 5

# CAMEO lookups, whole (small).
for f in CAMEO.eventcodes CAMEO.goldsteinscale CAMEO.type; do whole cameo_lookups "$f.txt" "$data/gdelt/lookups/$f.txt"; done

# Country groups: every group CSV and both JSON files, whole (all small).
for f in "$data"/countrygroups/*.csv "$data"/countrygroups/*.json; do whole country_groups "$(basename "$f")" "$f"; done

# Zip archives as UCDP serves them: deflated, stored, with a folder prefix, and without the member.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
m=UcdpPrioConflict_v25_1.csv
head -n 20 "$data/ucdp/$m" > "$tmp/$m"
mkdir -p "$tmp/ucdp-prio-acd-251-csv"
cp "$tmp/$m" "$tmp/ucdp-prio-acd-251-csv/$m"
z="$(dir zip_member)"
(cd "$tmp" && zip -q -X "$z/deflated.zip" "$m")
(cd "$tmp" && zip -q -X -0 "$z/stored.zip" "$m")
(cd "$tmp" && zip -q -X "$z/in-folder.zip" "ucdp-prio-acd-251-csv/$m")
(cd "$tmp" && cp "$m" other.csv && zip -q -X "$z/no-member.zip" other.csv)

# NDC content and the UNFCCC listings: line slices of the two UNFCCC files (the NDC files have
# wide rows; their seeds are the column cuts of the replay corpus below).
for f in ndcs paris-agreement-entry-into-force; do
    t=unfccc_ndcs; [ "$f" = ndcs ] || t=unfccc_paris
    headn "$t" head.csv "$data/unfccc/$f.csv"
    tailn "$t" tail.csv "$data/unfccc/$f.csv"
done

# RCP emissions tables: the preamble and the first rows (RCP4.5, LF), the header and the last
# rows (RCP6.0); RCP3PD and RCP8.5 use classic-Mac CR line ends, cut with python.
headn rcp_csv RCP45-head.csv "$data/rcp-fair/RCP45_EMISSIONS.csv" 60
{ grep -m1 'v YEARS/GAS' "$data/rcp-fair/RCP6_EMISSIONS.csv"; tail -n "$n" "$data/rcp-fair/RCP6_EMISSIONS.csv"; } > "$(dir rcp_csv)/RCP6-tail.csv"
python3 - "$data/rcp-fair" "$(dir rcp_csv)" <<'PY'
import sys
src, out = sys.argv[1:]
for name in ["RCP3PD", "RCP85"]:
    text = open(f"{src}/{name}_EMISSIONS.csv", encoding="utf-8", newline="").read()
    lines = text.split("\r")
    h = next(i for i, l in enumerate(lines) if l.lstrip().startswith("v YEARS/GAS"))
    with open(f"{out}/{name}-cr-head.csv", "w", encoding="utf-8", newline="") as f:
        f.write("\r".join(lines[: h + 51]) + "\r")
PY

# RCMIP: the header and the first rows, full width (about 4 KB a row).
headn rcmip_csv head.csv "$data/rcp-fair/rcmip-emissions-annual-means-5-1-0-ssp-only.csv" 12

# Economic sanctions: GSDB release 3 (CRLF, no newline after the last line) and TIES 4.1.
for f in GSDB_V3:sanctions_gsdb TIESv4.1.raw:sanctions_ties; do
    headn "${f#*:}" head.csv "$data/sanctions/${f%%:*}.csv"
    tailn "${f#*:}" tail.csv "$data/sanctions/${f%%:*}.csv"
done

# Trade: WITS totals and CEPII distances (semicolon-separated); the Guide's gravity panel
# (Chapter2Application2.dta, Stata format 113, 3.7 MB) cut to its header, characteristics and
# the first or last 200 observations (N patched), and the first 50 without the characteristics.
headn trade_wits_table head.csv "$data/trade/WITS_trade2009.csv"
tailn trade_wits_table tail.csv "$data/trade/WITS_trade2009.csv"
headn cepii_dist head.csv "$data/trade/dist_cepii.csv"
tailn cepii_dist tail.csv "$data/trade/dist_cepii.csv"
python3 - "$data/trade/advanced-guide/Chapter2Application2.dta" "$(dir trade_panel_dta)" <<'PY'
import struct, sys
src, out = sys.argv[1:]
b = open(src, "rb").read()
assert b[:2] == b"\x71\x02", "format 113, LSF expected"
nvar, nobs = struct.unpack("<HI", b[4:10])
p = 109
types = list(b[p : p + nvar])
p += nvar + 33 * nvar + 2 * (nvar + 1) + 12 * nvar + 33 * nvar + 81 * nvar
chars = p
while True:
    kind, n = b[p], struct.unpack("<I", b[p + 1 : p + 5])[0]
    p += 5 + n
    if kind == 0 and n == 0:
        break
rw = sum({251: 1, 252: 2, 253: 4, 254: 4, 255: 8}.get(t, t) for t in types)
for name, first, n, keep_chars in [("head", 0, 200, True), ("tail", nobs - 200, 200, True), ("head-no-chars", 0, 50, False)]:
    head = bytearray(b[:p] if keep_chars else b[:chars] + b"\0" * 5)
    head[6:10] = struct.pack("<I", n)
    with open(f"{out}/{name}.dta", "wb") as f:
        f.write(bytes(head) + b[p + first * rw : p + (first + n) * rw])
PY

# SDSN SDG Index series and SDR 2023 table (UTF-8 BOM), the series' aggregates (codes `_...`);
# INFORM Risk 2025's two sheets.
headn sdg_index head.csv "$data/sdg/sdg_index_2000-2022.csv"
tailn sdg_index tail.csv "$data/sdg/sdg_index_2000-2022.csv"
{ head -n 1 "$data/sdg/sdg_index_2000-2022.csv"; grep '^_' "$data/sdg/sdg_index_2000-2022.csv" | head -n "$n"; } > "$(dir sdg_index)/aggregates.csv"
headn sdr_2023 head.csv "$data/sdg/sustainable_development_report_2023.csv"
tailn sdr_2023 tail.csv "$data/sdg/sustainable_development_report_2023.csv"
for f in main:inform_risk regions:inform_regions; do
    headn "${f#*:}" head.csv "$data/inform/INFORM_Risk_2025_v070_${f%%:*}.csv"
    tailn "${f#*:}" tail.csv "$data/inform/INFORM_Risk_2025_v070_${f%%:*}.csv"
done

# (trade_scenario has no published file: its seeds are the replay corpus's scenarios below.)

# Every target also starts from its committed replay corpus (fuzz/replay/, see replay.sh):
# small real slices and the edge cases, the only seeds of the NDC text, edit and manifest targets.
for d in "$here"/replay/*/; do
    t="$(basename "$d")"
    for f in "$d"*; do cp "$f" "$(dir "$t")/replay-$(basename "$f")"; done
done

for t in "$corpus"/*/; do
    printf '%-20s %4d files %8d bytes\n' "$(basename "$t")" "$(ls "$t" | wc -l)" "$(cat "$t"/* | wc -c)"
done

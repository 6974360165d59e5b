#!/usr/bin/env bash
# Rebuilds the committed replay corpus fuzz/replay/<target>/: for every fuzz target a few small
# inputs cut from the real published files in the data mirror (a header and the first or last few
# rows, cut to a byte budget; column subsets for the wide NDC and RCMIP tables; a few features of
# the GeoJSON/TopoJSON; zip archives of an ACD slice; a statement manifest signed by a fixed
# test key), plus hand-made edge cases (empty, header only, a UTF-8 BOM, CRLF line ends, a bad
# value, an unknown country code, ...).
#
# crates/cli/tests/fuzz_replay.rs runs every target over its folder on stable Rust (and fails
# when a target in fuzz_common::targets::ALL has no folder), so a new target needs a section
# here. Unlike fuzz/corpus/ (seed.sh, gitignored), the output is committed: rerun this after
# changing it and commit the result. It is deterministic (no dates, fixed zip times).
#
# Usage: fuzz/replay.sh [DATA_DIR]
#   DATA_DIR defaults to $ATTACHE_DATA, else ../shared/data next to the repository
#   (/work/shared/data on the project machines).
# Needs bash and python3 (standard library only). Each file is at most 8 KiB, the whole corpus
# under 700 KB; the script fails otherwise.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
data="${1:-${ATTACHE_DATA:-$here/../../shared/data}}"
if [ ! -d "$data/ucdp" ]; then
    echo "replay.sh: no data mirror at $data (pass DATA_DIR or set ATTACHE_DATA)" >&2
    exit 1
fi
data="$(cd "$data" && pwd)"

exec python3 - "$data" "$here/replay" <<'PY'
import base64, csv, hashlib, io, json, os, shutil, sys, zipfile

DATA, OUT = sys.argv[1:]
MAX_FILE = 8 * 1024
MAX_TOTAL = 700 * 1000
BOM = b"\xef\xbb\xbf"

shutil.rmtree(OUT, ignore_errors=True)


def put(target, name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    assert len(data) <= MAX_FILE, f"{target}/{name}: {len(data)} bytes > {MAX_FILE}"
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def raw(path):
    with open(os.path.join(DATA, path), "rb") as f:
        return f.read()


def lines_of(b):
    """Lines with their line ends kept."""
    return b.splitlines(keepends=True)


def head(b, budget=2500, skip=0, min_rows=1):
    """The header (after `skip` lines) and as many following lines as fit in `budget` bytes."""
    ls = lines_of(b)
    out = b"".join(ls[: skip + 1])
    n = 0
    for l in ls[skip + 1 :]:
        if n >= min_rows and len(out) + len(l) > budget:
            break
        out += l
        n += 1
    return out


def tail(b, budget=2500):
    """The header and as many of the last lines as fit in `budget` bytes."""
    ls = lines_of(b)
    hdr, rest = ls[0], ls[1:]
    picked = []
    for l in reversed(rest):
        if picked and len(hdr) + sum(map(len, picked)) + len(l) > budget:
            break
        picked.append(l)
    out = hdr + b"".join(reversed(picked))
    return out if out.endswith(b"\n") else out + b"\n"


def first_lines(b, n):
    return b"".join(lines_of(b)[:n])


def crlf(b):
    return b.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def bad_value(b, delimiter=",", skip=0, value="n/a"):
    """The first data row's first numeric cell replaced by `value`."""
    text = b.decode("utf-8")
    pre = "".join(text.splitlines(keepends=True)[:skip])
    body = text[len(pre) :]
    rows = list(csv.reader(io.StringIO(body, newline=""), delimiter=delimiter))
    for i, cell in enumerate(rows[1]):
        try:
            float(cell)
        except ValueError:
            continue
        rows[1][i] = value
        break
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return (pre + out.getvalue()).encode("utf-8")


def replace_cell(b, column, value, row=1):
    """Cell `column` of data row `row` replaced by `value` (CSV with a header)."""
    rows = list(csv.reader(io.StringIO(b.decode("utf-8"), newline="")))
    rows[row][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def edges(target, sample, delimiter=",", header=True, skip=0):
    """The hand-made edge cases every delimited target gets, from a small real `sample`."""
    small = head(sample, 900, skip=skip)
    put(target, "edge-empty", b"")
    put(target, "edge-header-only" if header else "edge-one-line", first_lines(sample, skip + 1))
    put(target, "edge-header-no-newline" if header else "edge-no-newline", first_lines(sample, skip + 1).rstrip(b"\r\n"))
    put(target, "edge-bom", BOM + small)
    put(target, "edge-crlf", crlf(small))
    put(target, "edge-bad-value", bad_value(small, delimiter, skip))
    # A row cut short: the last data line loses its last field.
    ls = lines_of(small)
    cut = ls[-1].rstrip(b"\r\n").rsplit(delimiter.encode(), 1)[0] + b"\n"
    put(target, "edge-short-row", b"".join(ls[:-1]) + cut)


def csv_cut(b, columns, rows, max_cell=400, skip_comments=False):
    """Selected columns of selected rows (indices into the data rows, or predicates), cells cut
    to `max_cell` characters, written with minimal quoting."""
    text = b.decode("utf-8")
    pre = ""
    if skip_comments:
        ls = text.splitlines(keepends=True)
        n = 0
        while n < len(ls) and ls[n].startswith("#"):
            n += 1
        pre = "".join(ls[:n])
        text = text[len(pre) :]
    all_rows = list(csv.reader(io.StringIO(text, newline="")))
    hdr, data = all_rows[0], all_rows[1:]
    idx = [hdr.index(c) for c in columns]
    picked = []
    for r in rows:
        if callable(r):
            picked.extend(x for x in data if r(dict(zip(hdr, x))))
        else:
            picked.append(data[r])
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(columns)
    for x in picked:
        w.writerow([x[i][:max_cell] for i in idx])
    return pre.encode("utf-8"), out.getvalue().encode("utf-8")


# --- delimited_csv: every delimited layout the adapters read, plus quoting edge cases ---------
t = "delimited_csv"
put(t, "acd.csv", head(raw("ucdp/UcdpPrioConflict_v25_1.csv"), 1500))
put(t, "gdelt.tsv", first_lines(raw("gdelt/20191024143000.export.CSV"), 2))
put(t, "cameo.txt", head(raw("gdelt/lookups/CAMEO.goldsteinscale.txt"), 600))
put(t, "airports.dat", first_lines(raw("openflights/airports.dat"), 5))
put(t, "polity-bom.csv", head(raw("polity5/p5v2018.csv"), 1200))
put(t, "edge-empty", b"")
put(t, "edge-crlf-quoted-newline.csv", b'a,b\r\n1,2\r\n"x\r\ny",3\r\n')
put(t, "edge-bom-escaped-quote.csv", BOM + b'a,b\n1,"2"""\n')
put(t, "edge-unclosed-quote.csv", b'a,b\n"1","2\n"3","4"\n')
put(t, "edge-bare-quote.tsv", b'a\tb\n1\t"2\n3\t4\n')
put(t, "edge-ragged.csv", b"a,b,c\n1,2\n1,2,3,4\n")
put(t, "edge-lone-cr.csv", b"a,b\r1,2\r3,4\r")

# --- UCDP, OWID ------------------------------------------------------------------------------
for t, path in [
    ("ucdp_acd", "ucdp/UcdpPrioConflict_v25_1.csv"),
    ("ucdp_brd", "ucdp/BattleDeaths_v24_1.csv"),
    ("ucdp_owid", "ucdp/owid_deaths-in-armed-conflicts-based-on-where-they-occurred.csv"),
]:
    b = raw(path)
    put(t, "head.csv", head(b))
    put(t, "tail.csv", tail(b))
    edges(t, b)
put("ucdp_acd", "edge-unknown-gwno.csv", replace_cell(head(raw("ucdp/UcdpPrioConflict_v25_1.csv"), 900), "gwno_a", "999"))
put("ucdp_acd", "edge-two-gwno.csv", replace_cell(head(raw("ucdp/UcdpPrioConflict_v25_1.csv"), 900), "gwno_loc", "365, 369"))

# --- GED: GeoJSON features, and the same events in GED's published CSV layout -----------------
doc = json.loads(raw("ucdp/GEDEvent_v23_1_CAR482.geojson"))
feats = doc["features"]
cols = ("id relid year active_year code_status type_of_violence conflict_dset_id conflict_new_id "
        "conflict_name dyad_dset_id dyad_new_id dyad_name side_a_dset_id side_a_new_id side_a "
        "side_b_dset_id side_b_new_id side_b number_of_sources source_article source_office "
        "source_date source_headline source_original where_prec where_coordinates "
        "where_description adm_1 adm_2 latitude longitude priogrid_gid country country_id region "
        "event_clarity date_prec date_start date_end deaths_a deaths_b deaths_civilians "
        "deaths_unknown best high low gwnoa gwnob").split()


def trimmed(ft):
    ft = json.loads(json.dumps(ft))
    for k in ("source_article", "source_headline", "source_original", "where_description"):
        if isinstance(ft["properties"].get(k), str):
            ft["properties"][k] = ft["properties"][k][:80]
    return ft


def ged_csv(part):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(cols)
    for ft in part:
        p = dict(ft["properties"])
        lon, lat = ft["geometry"]["coordinates"][:2]
        p["latitude"], p["longitude"] = lat, lon
        w.writerow(["" if p.get(c) is None else p[c] for c in cols])
    return out.getvalue().encode("utf-8")


def geojson(part):
    small = {k: v for k, v in doc.items() if k != "features"}
    small["features"] = part
    return json.dumps(small, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


for name, part in [("head", feats[:3]), ("tail", feats[-3:]), ("one", feats[:1])]:
    part = [trimmed(f) for f in part]
    put("ged_geojson", f"{name}.geojson", geojson(part))
    put("ged_csv", f"{name}.csv", ged_csv(part))
edges("ged_csv", ged_csv([trimmed(f) for f in feats[:2]]))
one_ft = trimmed(feats[0])
put("ged_geojson", "edge-empty", b"")
put("ged_geojson", "edge-no-features.geojson", b'{"type":"FeatureCollection","features":[]}')
put("ged_geojson", "edge-bom.geojson", BOM + geojson([one_ft]))
bad = json.loads(json.dumps(one_ft))
bad["geometry"]["coordinates"] = ["x", 4.5]
put("ged_geojson", "edge-bad-coordinates.geojson", geojson([bad]))
bad = json.loads(json.dumps(one_ft))
bad["properties"]["best"] = "many"
put("ged_geojson", "edge-bad-value.geojson", geojson([bad]))
put("ged_geojson", "edge-truncated.geojson", geojson([one_ft])[:300])

# --- ViEWS Parquet: the small actuals files whole, and broken ones -----------------------------
pq = raw("views/cm_actuals_2018.parquet")
put("views_parquet", "cm_actuals_2018.parquet", pq)
put("views_parquet", "cm_actuals_2020.parquet", raw("views/cm_actuals_2020.parquet"))
put("views_parquet", "edge-empty", b"")
put("views_parquet", "edge-magic-only.parquet", b"PAR1PAR1")
put("views_parquet", "edge-truncated.parquet", pq[: len(pq) // 2])
put("views_parquet", "edge-footer-only.parquet", b"PAR1" + pq[-200:])
put("views_parquet", "edge-csv-not-parquet.parquet", head(raw("views/csv/cm_actuals_2018.csv"), 400))

# --- World Bank, Polity5, emissions -------------------------------------------------------------
t = "worldbank_csv"
put(t, "gdp-head.csv", head(raw("worldbank/gdp.csv")))
put(t, "gdp-tail.csv", tail(raw("worldbank/gdp.csv")))
put(t, "sp.pop.grow-head.csv", head(raw("worldbank/wdi/sp.pop.grow.csv"), 1500))
edges(t, raw("worldbank/gdp.csv"))
t = "polity_csv"
b = raw("polity5/p5v2018.csv")
put(t, "head.csv", head(b))
put(t, "tail.csv", BOM + tail(b[len(BOM):]) if b.startswith(BOM) else tail(b))
edges(t, b[len(BOM):] if b.startswith(BOM) else b)
t = "emissions"
for path in ["gcb2019/territorial-emissions.csv", "co2/edgar-co2-emissions.csv", "co2/fossil-fuel-co2-emissions-by-nation.csv"]:
    b = raw(path)
    name = os.path.basename(path)[:-4]
    put(t, f"{name}-head.csv", head(b, 1800))
    put(t, f"{name}-tail.csv", tail(b, 1800))
edges(t, raw("co2/fossil-fuel-co2-emissions-by-nation.csv"))

# --- OpenFlights (no header) ------------------------------------------------------------------
t = "openflights"
for f in ["countries", "airports", "routes"]:
    put(t, f"{f}.dat", head(raw(f"openflights/{f}.dat"), 1500))
edges(t, raw("openflights/airports.dat"), header=False)

# --- TopoJSON (world-atlas), cut to a few geometries (the arcs they use kept) -------------------
t = "topojson"
topo = json.loads(raw("natural-earth/countries-110m.json"))


def small_topology(names, obj="countries", n_arcs_max=None):
    geoms = [g for g in topo["objects"][obj]["geometries"] if g.get("properties", {}).get("name") in names]
    used = set()

    def walk(a):
        if isinstance(a, list):
            for x in a:
                walk(x)
        else:
            used.add(a if a >= 0 else ~a)

    for g in geoms:
        walk(g.get("arcs", []))
    order = sorted(used)
    remap = {old: new for new, old in enumerate(order)}

    def re(a):
        if isinstance(a, list):
            return [re(x) for x in a]
        return remap[a] if a >= 0 else ~remap[~a]

    out = {k: v for k, v in topo.items() if k not in ("objects", "arcs")}
    out["arcs"] = [topo["arcs"][i] for i in order]
    out["objects"] = {obj: dict(topo["objects"][obj], geometries=[dict(g, arcs=re(g.get("arcs", []))) for g in geoms])}
    return json.dumps(out, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


put(t, "three-countries.json", small_topology({"Luxembourg", "Belgium", "Fiji"}))
put(t, "island.json", small_topology({"Jamaica"}))
put(t, "edge-empty", b"")
put(t, "edge-no-objects.json", b'{"type":"Topology","objects":{},"arcs":[]}')
put(t, "edge-not-topology.json", b'{"type":"FeatureCollection","features":[]}')
put(t, "edge-bom.json", BOM + small_topology({"Jamaica"}))
put(t, "edge-truncated.json", small_topology({"Jamaica"})[:200])
no_id = json.loads(small_topology({"Jamaica"}))
for g in no_id["objects"]["countries"]["geometries"]:
    g.pop("id", None)
put(t, "edge-no-id.json", json.dumps(no_id, separators=(",", ":")))

# --- GDELT export (no header, 61 tab-separated fields) and the CAMEO lookups --------------------
t = "gdelt_export"
b = raw("gdelt/20191024143000.export.CSV")
put(t, "head.CSV", first_lines(b, 3))
put(t, "tail.CSV", b"".join(lines_of(b)[-3:]))
put(t, "gdelt1-57-fields.tsv", first_lines(raw("gdelt/gdelt1_events_sample.tsv"), 2))
put(t, "edge-empty", b"")
put(t, "edge-crlf.CSV", crlf(first_lines(b, 2)))
put(t, "edge-bom.CSV", BOM + first_lines(b, 2))
put(t, "edge-no-newline.CSV", first_lines(b, 1).rstrip(b"\r\n"))
f = first_lines(b, 1).rstrip(b"\n").split(b"\t")
f[1] = b"2019-10-24"
put(t, "edge-bad-date.CSV", b"\t".join(f) + b"\n")
put(t, "edge-short-row.CSV", b"\t".join(f[:30]) + b"\n")
t = "cameo_lookups"
put(t, "CAMEO.type.txt", raw("gdelt/lookups/CAMEO.type.txt"))
put(t, "CAMEO.goldsteinscale.txt", raw("gdelt/lookups/CAMEO.goldsteinscale.txt"))
put(t, "CAMEO.eventcodes-head.txt", head(raw("gdelt/lookups/CAMEO.eventcodes.txt"), 1500))
edges(t, raw("gdelt/lookups/CAMEO.goldsteinscale.txt"), delimiter="\t")

# --- Country groups: small CSVs and the JSON lists whole ----------------------------------------
t = "country_groups"
for f in ["g7.csv", "brics.csv", "european-union.csv", "un-regional-groups.csv", "unstats-geographical-regions.json", "montreal_protocol_countries.json"]:
    put(t, f, raw(f"countrygroups/{f}"))
edges(t, raw("countrygroups/european-union.csv"))
put(t, "edge-json-empty-list.json", b"[]")
put(t, "edge-json-object.json", b'{"a": 1}')
put(t, "edge-unknown-code.csv", replace_cell(raw("countrygroups/g7.csv"), "Code", "XXX"))

# --- Zip archives as UCDP serves them ---------------------------------------------------------
t = "zip_member"
member = "UcdpPrioConflict_v25_1.csv"
slice_ = head(raw(f"ucdp/{member}"), 2000)


def zipped(entries, method=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, body in entries:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = method
            info.external_attr = 0o644 << 16
            z.writestr(info, body)
    return buf.getvalue()


deflated = zipped([(member, slice_)])
put(t, "deflated.zip", deflated)
put(t, "stored.zip", zipped([(member, slice_)], zipfile.ZIP_STORED))
put(t, "in-folder.zip", zipped([(f"ucdp-prio-acd-251-csv/{member}", slice_)]))
put(t, "no-member.zip", zipped([("other.csv", slice_)]))
put(t, "two-members.zip", zipped([("readme.txt", b"UCDP\n"), (member, slice_)]))
put(t, "edge-empty", b"")
put(t, "edge-truncated.zip", deflated[: len(deflated) // 2])
put(t, "edge-local-header-only.zip", b"PK\x03\x04")
put(t, "edge-empty-member.zip", zipped([(member, b"")]))

# --- NDC content: CAIT (wide, long texts) and Klimalog (comment lines, coded features) ---------
t = "ndc_cait"
cait = raw("ndc/ndc-content-cait.csv")
cait_cols = ["Country", "ISO", "pa_status", "ghg_target", "ghg_target_type", "reference_base_year",
             "time_target_year", "time_long_term_target", "conditionality"]
_, b = csv_cut(cait, cait_cols, [0, 1, 2], max_cell=300)
put(t, "head.csv", b)
_, b = csv_cut(cait, cait_cols, [-3, -2, -1], max_cell=300)
put(t, "tail.csv", b)
_, b = csv_cut(cait, cait_cols, [lambda r: r["ISO"] in ("EU28", "CHN", "USA")], max_cell=300)
put(t, "eu-chn-usa.csv", b)
_, b = csv_cut(cait, ["Country", "ISO", "indc_summary_long"], [1], max_cell=3000)
put(t, "long-html-cell.csv", b)
put(t, "header-all-columns.csv", first_lines(cait, 1))
_, small = csv_cut(cait, cait_cols, [0, 1], max_cell=120)
edges(t, small)
put(t, "edge-unknown-code.csv", replace_cell(small, "ISO", "XXX"))
put(t, "edge-empty-code.csv", replace_cell(small, "ISO", ""))
put(t, "edge-no-iso-column.csv", small.replace(b"ISO", b"ISO3", 1))

t = "ndc_klimalog"
kl = raw("ndc/ndc-content-klimalog-die-gdi.csv")
kl_cols = ["country_name", "country_code", "region_id", "region_name", "type_of_target_class",
           "type_of_target_details", "temp_target_class", "temp_target_details", ""]
comments, b = csv_cut(kl, kl_cols, [0, 1, 2], max_cell=300, skip_comments=True)
put(t, "head.csv", comments + b)
_, b = csv_cut(kl, kl_cols, [-2, -1], max_cell=300, skip_comments=True)
put(t, "tail.csv", comments + b)
_, b = csv_cut(kl, kl_cols, [lambda r: r["country_code"] in ("EU", "CHN", "IND")], max_cell=300, skip_comments=True)
put(t, "eu-chn-ind.csv", comments + b)
put(t, "header-all-columns.csv", comments + first_lines(kl, comments.count(b"\n") + 1)[len(comments):])
_, small = csv_cut(kl, kl_cols, [1, 2], max_cell=120, skip_comments=True)
put(t, "no-comments.csv", small)
put(t, "edge-empty", b"")
put(t, "edge-comments-only.csv", comments)
put(t, "edge-comment-no-newline.csv", b"# Copyright")
put(t, "edge-bom-before-comments.csv", BOM + comments + small)
put(t, "edge-crlf.csv", crlf(comments + small))
put(t, "edge-header-only.csv", comments + first_lines(small, 1))
put(t, "edge-bad-class.csv", comments + replace_cell(small, "type_of_target_class", "four"))
put(t, "edge-unknown-code.csv", comments + replace_cell(small, "country_code", "XXX"))
put(t, "edge-comment-between.csv", comments + first_lines(small, 1) + b"# not a comment here\n" + b"".join(lines_of(small)[1:]))

# --- UNFCCC: NDC registry listing and Paris Agreement entry into force ------------------------
for t, path, code in [("unfccc_ndcs", "unfccc/ndcs.csv", "code"), ("unfccc_paris", "unfccc/paris-agreement-entry-into-force.csv", "Code")]:
    b = raw(path)
    put(t, "head.csv", head(b))
    put(t, "tail.csv", tail(b))
    ls = lines_of(b)
    put(t, "eu.csv", ls[0] + b"".join(l for l in ls[1:] if l.split(b",")[0] in (b"EUU", b"EU", b"EU28")))
    edges(t, b)
    put(t, "edge-unknown-code.csv", replace_cell(head(b, 600), code, "XXX"))
    put(t, "edge-empty-code.csv", replace_cell(head(b, 600), code, ""))
put("unfccc_paris", "edge-bad-emissions.csv", replace_cell(head(raw("unfccc/paris-agreement-entry-into-force.csv"), 600), "Emissions", "many"))
put("unfccc_paris", "edge-empty-emissions.csv", replace_cell(head(raw("unfccc/paris-agreement-entry-into-force.csv"), 600), "Emissions", ""))

# --- RCMIP (IAMC wide): one scenario's World rows, cut to a few year columns -------------------
t = "rcmip_csv"
rc = raw("rcp-fair/rcmip-emissions-annual-means-5-1-0-ssp-only.csv").decode("utf-8")
rc_rows = [l.split(",") for l in rc.splitlines()]
rc_head = rc_rows[0]
wanted_vars = {
    "Emissions|CO2|MAGICC Fossil and Industrial", "Emissions|CO2|MAGICC AFOLU", "Emissions|CH4",
    "Emissions|N2O", "Emissions|Sulfur", "Emissions|CO", "Emissions|VOC", "Emissions|NOx",
    "Emissions|BC", "Emissions|OC", "Emissions|NH3", "Emissions|CH4|MAGICC Fossil and Industrial",
    "Emissions|NOx|MAGICC Fossil and Industrial|Aircraft",
}
scenario = rc_rows[1][1]
world = [r for r in rc_rows[1:] if r[1] == scenario and r[2] == "World"]


def rc_slice(rows, first, last):
    i0, i1 = rc_head.index(str(first)), rc_head.index(str(last)) + 1
    keep = list(range(7)) + list(range(i0, i1))

    def short(c):
        # Fewer digits keep 41 rows under the budget; still the same numbers to 4 significant.
        try:
            return f"{float(c):.4g}" if c else c
        except ValueError:
            return c

    out = [",".join(rc_head[i] for i in keep)]
    for r in rows:
        out.append(",".join(r[i] if i < 7 else short(r[i]) for i in keep))
    return ("\n".join(out) + "\n").encode("utf-8")


full = rc_slice(world, 1765, 1768)
put(t, f"{scenario}-world-1765-1768.csv", full)
put(t, f"{scenario}-world-2014-2031.csv", rc_slice(world, 2014, 2031))
put(t, "some-variables-1750-1770.csv", rc_slice([r for r in world if r[3] in wanted_vars], 1750, 1770))
two = [r for r in rc_rows[1:] if r[2] == "World" and r[3] == "Emissions|CH4"][:2]
put(t, "two-scenarios-ch4-2010-2040.csv", rc_slice(two, 2010, 2040))
put(t, "header-only-all-years.csv", ",".join(rc_head).encode() + b"\n")
put(t, "edge-empty", b"")
put(t, "edge-header-only.csv", first_lines(full, 1))
put(t, "edge-bom.csv", BOM + full)
put(t, "edge-crlf.csv", crlf(full))
ls = full.decode().splitlines()
put(t, "edge-bad-value.csv", "\n".join(ls[:2] + [ls[2].rsplit(",", 1)[0] + ",n/a"] + ls[3:]) + "\n")
put(t, "edge-quoted-cell.csv", "\n".join(ls[:2] + ['"' + ls[2].replace(",", '","', 1) + '"'] + ls[3:]) + "\n")
put(t, "edge-short-row.csv", "\n".join(ls[:2] + [ls[2].rsplit(",", 1)[0]] + ls[3:]) + "\n")
put(t, "edge-year-gap.csv", "\n".join([ls[0].replace(",1767,", ",1777,")] + ls[1:]) + "\n")
put(t, "edge-unit-changed.csv", full.replace(b"Mt CH4/yr", b"kt CH4/yr", 1))
put(t, "edge-missing-variable.csv", "\n".join(l for l in ls if "|N2O," not in l) + "\n")
put(t, "edge-duplicate-row.csv", "\n".join(ls + [ls[3]]) + "\n")
put(t, "edge-leading-gap.csv", "\n".join(ls[:2] + [",".join(ls[2].split(",")[:7] + [""] + ls[2].split(",")[8:])] + ls[3:]) + "\n")

# --- RCP *_EMISSIONS.csv (MAGICC preamble; RCP3PD and RCP85 have classic-Mac CR line ends) -----
t = "rcp_csv"


def rcp_lines(path):
    b = raw(path).decode("utf-8")
    cr_only = "\n" not in b
    ls = b.split("\r") if cr_only else b.splitlines()
    hdr = next(i for i, l in enumerate(ls) if l.lstrip().startswith("v YEARS/GAS"))
    return ls, hdr, cr_only


def short_row(l):
    cells = l.split(",")
    out = []
    for c in cells:
        try:
            out.append(f"{float(c):.5g}" if c.strip() else c)
        except ValueError:
            out.append(c)
    return ",".join(out)


ls, hdr, _ = rcp_lines("rcp-fair/RCP45_EMISSIONS.csv")
pre = [l.rstrip(",") for l in ls[: hdr + 1]]
pre = [p[:100] for p in pre[:-1]] + [ls[hdr]]
rows45 = [short_row(l) for l in ls[hdr + 1 : hdr + 12]]
put(t, "RCP45-head.csv", "\n".join(pre + rows45) + "\n")
put(t, "RCP45-header-and-rows.csv", "\n".join([ls[hdr]] + rows45) + "\n")
ls6, hdr6, _ = rcp_lines("rcp-fair/RCP6_EMISSIONS.csv")
put(t, "RCP6-tail.csv", "\n".join([ls6[hdr6]] + [short_row(l) for l in ls6[-12:] if l.strip()]) + "\n")
ls3, hdr3, cr3 = rcp_lines("rcp-fair/RCP3PD_EMISSIONS.csv")
assert cr3, "RCP3PD is expected with CR line ends"
put(t, "RCP3PD-cr-head.csv", "\r".join([ls3[hdr3]] + [short_row(l) for l in ls3[hdr3 + 1 : hdr3 + 12]]) + "\r")
ls85, hdr85, _ = rcp_lines("rcp-fair/RCP85_EMISSIONS.csv")
put(t, "RCP85-cr-tail.csv", "\r".join([ls85[hdr85]] + [short_row(l) for l in ls85[-12:] if l.strip()]) + "\r")
small = "\n".join([ls[hdr]] + rows45[:3]) + "\n"
put(t, "edge-empty", b"")
put(t, "edge-preamble-only.csv", "\n".join(pre[:-1]) + "\n")
put(t, "edge-header-only.csv", ls[hdr] + "\n")
put(t, "edge-bom.csv", BOM + small.encode())
put(t, "edge-crlf.csv", small.replace("\n", "\r\n"))
put(t, "edge-bad-value.csv", small.replace(rows45[1].split(",")[3], "n/a", 1))
put(t, "edge-year-gap.csv", "\n".join([ls[hdr], rows45[0], rows45[2]]) + "\n")
put(t, "edge-short-row.csv", "\n".join([ls[hdr], rows45[0], rows45[1].rsplit(",", 1)[0]]) + "\n")
put(t, "edge-trailing-empty-cells.csv", "\n".join([ls[hdr]] + [r + ",,," for r in rows45[:3]]) + "\n")
put(t, "edge-wrong-species.csv", small.replace("FossilCO2", "FossilC02", 1))
put(t, "edge-lower-case-species.csv", small.replace("FossilCO2", "fossilco2", 1))
put(t, "edge-nan.csv", small.replace(rows45[1].split(",")[3], "NaN", 1))
put(t, "edge-huge-value.csv", small.replace(rows45[1].split(",")[3], "1e308", 1))

# --- NDC target texts: CAIT and Klimalog cells, one text per file; NdcTexts rows tab-separated -
t = "ndc_target_text"
cait_rows = list(csv.DictReader(io.StringIO(cait.decode("utf-8"), newline="")))
kl_text = kl.decode("utf-8")
kl_body = "".join(l for l in kl_text.splitlines(keepends=True) if not l.startswith("#"))
kl_rows = {r["country_code"]: r for r in csv.DictReader(io.StringIO(kl_body, newline=""))}
for iso in ["AFG", "ARG", "CHN", "IND", "USA", "BRA", "MEX", "ZAF", "IDN", "EU28"]:
    r = next(x for x in cait_rows if x["ISO"] == iso)
    if r["ghg_target"]:
        put(t, f"cait-{iso}.txt", r["ghg_target"][:2000])
for iso in ["ALB", "CHN", "IND", "KOR", "SAU", "EU", "JPN", "TUR"]:
    if iso in kl_rows and kl_rows[iso]["type_of_target_details"]:
        put(t, f"klimalog-{iso}.txt", kl_rows[iso]["type_of_target_details"][:2000])
for iso, kcode in [("CHN", "CHN"), ("IND", "IND"), ("USA", "USA"), ("MAR", "MAR")]:
    r = next(x for x in cait_rows if x["ISO"] == iso)
    k = kl_rows.get(kcode, {}).get("type_of_target_details", "")
    fields = [k, r["ghg_target"], r["ghg_target_type"], r["reference_base_year"], r["time_target_year"], r["time_long_term_target"]]
    put(t, f"ndctexts-{iso}.tsv", "\t".join(f.replace("\t", " ")[:1200] for f in fields))
for name, text in [
    ("edge-empty", ""),
    ("edge-blank", "  \n\t "),
    ("edge-range", "Absolute target: Target to reduce emissions by 50 to 52% by 2030 compared to 2005"),
    ("edge-level-of-base", "Limit GHG emissions to 70-75% of 1990 levels by 2030"),
    ("edge-intensity", "33% to 35% reduction in the emissions intensity of its GDP by 2030 compared to 2005 level"),
    ("edge-levels", "from 398-510 Mt CO2 by 2025 and from 350-420 MtCO2-eq by 2030"),
    ("edge-period", "reduce emissions by 20% in the period 2021-2030 compared to 2010"),
    ("edge-net-zero", "Peak emissions by 2025 and reach carbon neutrality before 2060"),
    ("edge-decimal-comma", "reduction of 12,5 % below BAU by 2030"),
    ("edge-thousands", "not exceed 1,234 MtCO2e in 2030"),
    ("edge-percent-only", "%%% percent per cent"),
    ("edge-over-100", "150% reduction by 2030 compared to 1990"),
    ("edge-unicode", "Réduction de 30 % d’ici 2030 par rapport à 1990 – “conditionnel”"),
    ("edge-tabs", "\t\t\t\t\t\t\t"),
]:
    put(t, name, text)
put(t, "edge-invalid-utf8", b"reduce by 30\xff% by 2030 compared to 1990")
# (A level written with 400 digits, read as an infinite Mt CO2e level, is the committed crash
# input fuzz/regressions/ndc_target_text-1.bin, not a replay input.)

# --- Pledge edits (`--edit ISO3=spec`, the explorer's query string): hand-made ------------------
t = "pledge_edit"
for i, text in enumerate([
    "CHN=peak:2025,decline:3,netzero:2060",
    "USA=base:2005,cut:50,by:2030",
    "IND=intensity:45,base:2005,by:2030",
    "BRA=bau:37,by:2025",
    "GBR=level:300,by:2030",
    "AUS=none",
    "DEU=netzero:2045",
    "JPN=by:2035",
    "chn = Peak : 2030 , NZ : 2060",
    "FRA=cut:40%,base:1990,by:2030,decline:2.5",
]):
    put(t, f"edit-{i + 1}", text)
for name, text in [
    ("edge-empty", ""),
    ("edge-no-equals", "peak:2030"),
    ("edge-empty-code", "=cut:5"),
    ("edge-empty-spec", "KOR="),
    ("edge-cut-without-base", "FRA=cut:40,by:2030"),
    ("edge-target-without-by", "USA=base:2005,cut:50"),
    ("edge-bad-percent", "x=decline:200"),
    ("edge-negative-level", "ZAF=level:-5,by:2030"),
    ("edge-nan-level", "ZAF=level:NaN,by:2030"),
    ("edge-inf-level", "ZAF=level:inf,by:2030"),
    ("edge-year-out-of-range", "NZL=base:1989,cut:10,by:2030"),
    ("edge-unknown-key", "foo=unknown:1"),
    ("edge-commas", ",,,=,,,"),
    ("edge-two-equals", "A=B=peak:2030"),
]:
    put(t, name, text)
put(t, "edge-invalid-utf8", b"CHN=peak:20\xff25")

# --- Statement manifests (uploaded to /verify): signed by a fixed test key -------------------
# Ed25519 (RFC 8032, the reference algorithm, affine coordinates; slow but enough for a few
# signatures). The key is derived from a public string: it signs nothing real.
t = "statement_manifest"
P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
I = pow(2, (P - 1) // 4, P)


def xrecover(y):
    xx = (y * y - 1) * pow(D * y * y + 1, P - 2, P)
    x = pow(xx, (P + 3) // 8, P)
    if (x * x - xx) % P:
        x = x * I % P
    return P - x if x % 2 else x


BY = 4 * pow(5, P - 2, P) % P
BASE = (xrecover(BY), BY)


def add(p, q):
    (x1, y1), (x2, y2) = p, q
    t_ = D * x1 * x2 * y1 * y2
    return ((x1 * y2 + x2 * y1) * pow(1 + t_, P - 2, P) % P, (y1 * y2 + x1 * x2) * pow(1 - t_, P - 2, P) % P)


def mul(p, e):
    q = (0, 1)
    while e:
        if e & 1:
            q = add(q, p)
        p, e = add(p, p), e >> 1
    return q


def enc(p):
    x, y = p
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


def sha512(b):
    return hashlib.sha512(b).digest()


SEED = hashlib.sha256(b"attache fuzz replay test key (public, signs nothing real)").digest()
h = sha512(SEED)
a = (int.from_bytes(h[:32], "little") & ((1 << 254) - 8)) | (1 << 254)
PK = enc(mul(BASE, a))


def ed_sign(msg):
    r = int.from_bytes(sha512(h[32:] + msg), "little") % L
    R = enc(mul(BASE, r))
    k = int.from_bytes(sha512(R + PK + msg), "little") % L
    return R + ((r + k * a) % L).to_bytes(32, "little")


def field(s):
    b = s.encode("utf-8")
    return len(b).to_bytes(4, "big") + b


KEY_ID = "ed25519:" + hashlib.sha256(PK).hexdigest()[:16]


def manifest(file_bytes, file_name="statement-2025-03-01.txt", signer="Ministry of Foreign Affairs, press office",
             signed_at="2025-03-01T09:30:00Z", claims=None):
    claims = {"language": "en", "title": "Statement on the ceasefire"} if claims is None else claims
    digest = hashlib.sha256(file_bytes).digest()
    msg = (b"attache-statement-v1\0" + field("attache-statement-manifest") + (1).to_bytes(4, "big")
           + field(file_name) + len(file_bytes).to_bytes(8, "big") + digest + field(signer) + field(signed_at)
           + len(claims).to_bytes(4, "big"))
    for k in sorted(claims, key=lambda s: s.encode("utf-8")):
        msg += field(k) + field(claims[k])
    msg += field(KEY_ID) + PK
    return {
        "format": "attache-statement-manifest", "version": 1, "file_name": file_name, "size": len(file_bytes),
        "sha256": digest.hex(), "signer": signer, "signed_at": signed_at, "claims": claims,
        "public_key": base64.b64encode(PK).decode(), "key_id": KEY_ID,
        "signature": base64.b64encode(ed_sign(msg)).decode(),
    }


def js(m, pretty=True):
    return (json.dumps(m, indent=2, ensure_ascii=False) + "\n") if pretty else json.dumps(m, separators=(",", ":"))


valid = manifest(b"")
put(t, "valid-empty-file.json", js(valid))
put(t, "valid-compact.json", js(valid, pretty=False))
put(t, "valid-unicode-claims.json", js(manifest(b"", claims={"title": "Déclaration – « cessez-le-feu »", "reference": "MFA/2025/031", "z": ""})))
put(t, "valid-no-claims.json", js(manifest(b"", claims={})))
put(t, "other-file.json", js(manifest(b"The ministry welcomes the ceasefire.\n")))
for name, change in [
    ("edge-claim-altered.json", lambda m: m["claims"].update(title="Statement on the war")),
    ("edge-size-altered.json", lambda m: m.update(size=1)),
    ("edge-key-id-wrong.json", lambda m: m.update(key_id="ed25519:0000000000000000")),
    ("edge-format-wrong.json", lambda m: m.update(format="attache-manifest")),
    ("edge-version-2.json", lambda m: m.update(version=2)),
    ("edge-unknown-field.json", lambda m: m.update(extra=True)),
    ("edge-sha256-short.json", lambda m: m.update(sha256=m["sha256"][:62])),
    ("edge-sha256-not-hex.json", lambda m: m.update(sha256="zz" + m["sha256"][2:])),
    ("edge-public-key-short.json", lambda m: m.update(public_key=base64.b64encode(PK[:31]).decode())),
    ("edge-public-key-not-a-point.json", lambda m: m.update(public_key=base64.b64encode(b"\xff" * 32).decode())),
    ("edge-signature-not-base64.json", lambda m: m.update(signature="!" * 88)),
    ("edge-signature-zero.json", lambda m: m.update(signature=base64.b64encode(bytes(64)).decode())),
    ("edge-signed-at-not-rfc3339.json", lambda m: m.update(signed_at="1 March 2025")),
    ("edge-missing-signer.json", lambda m: m.pop("signer")),
    ("edge-size-negative.json", lambda m: m.update(size=-1)),
    ("edge-claims-not-strings.json", lambda m: m["claims"].update(n=1)),
]:
    m = json.loads(json.dumps(valid))
    change(m)
    put(t, name, js(m))
put(t, "edge-empty", b"")
put(t, "edge-object.json", b"{}")
put(t, "edge-bom.json", BOM + js(valid).encode())
put(t, "edge-crlf.json", js(valid).replace("\n", "\r\n"))
put(t, "edge-truncated.json", js(valid)[:150])
put(t, "edge-duplicate-key.json", js(valid).replace('"version": 1,', '"version": 1,\n  "version": 1,', 1))
put(t, "edge-lone-surrogate.json", js(valid).replace('"en"', '"\\ud800"', 1))

# --- UN General Assembly: the votes data frame in R's XDR format, roll calls, ideal points ------
import gzip, struct


def rdata_frame(rows, gz=True, cut=None):
    """An R save() file (RDX2, XDR) holding data frame `x` with the columns of
    UNVotesPublished.RData (15 columns; date and unres as strings, ec a string, year a double)."""
    out = bytearray(b"RDX2\nX\n")
    i32 = lambda x: out.extend(struct.pack(">i", x))

    def chars(s):
        if s is None:
            i32(9); i32(-1)
        else:
            b = s.encode()
            i32(9 | (1 << 15)); i32(len(b)); out.extend(b)

    def sym(s):
        i32(1); chars(s)

    def strs(v):
        i32(16); i32(len(v))
        for s in v:
            chars(s)

    i32(2); i32(0x030301); i32(0x020300)
    i32(2 | (1 << 10)); sym("x")
    names = ["rcid", "session", "vote", "ccode", "member", "importantvote", "date", "unres",
             "me", "nu", "di", "hr", "co", "ec", "year"]
    i32(19 | (1 << 8) | (1 << 9)); i32(len(names))
    for j, n in enumerate(names):
        col = [r[j] for r in rows]
        if n in ("date", "unres", "ec"):
            strs(col)
        elif n == "year":
            i32(14); i32(len(col))
            for x in col:
                out.extend(struct.pack(">d", x))
        else:
            i32(13); i32(len(col))
            for x in col:
                i32(-2**31 if x is None else x)
    for tag, write in [("names", lambda: strs(names)),
                       ("row.names", lambda: (i32(13), i32(2), i32(-2**31), i32(-len(rows)))),
                       ("class", lambda: strs(["data.frame"]))]:
        i32(2 | (1 << 10)); sym(tag); write()
    i32(254)
    i32(254)
    b = bytes(out[:cut] if cut else out)
    return gzip.compress(b, mtime=0) if gz else b


# The first rows of the published file (roll call 3, 1 January 1946), a Soviet vote, and the
# last roll call's first row.
vrows = [
    (3, 1, 1, 2, 1, 0, "1/1/1946", "R/1/66", 0, 0, 0, 0, 0, "0", 1946.0),
    (3, 1, 3, 20, 1, 0, "1/1/1946", "R/1/66", 0, 0, 0, 0, 0, "0", 1946.0),
    (3, 1, 9, 626, 0, 0, "1/1/1946", "R/1/66", 0, 0, 0, 0, 0, "0", 1946.0),
    (4, 1, 2, 365, 1, 0, "1/2/1946", "R/1/79", 0, 0, 0, 0, 0, "0", 1946.0),
    (5466, 70, 8, 2, 1, 0, "12/23/2015", "R/70/235", 0, 0, 0, 0, 0, "0\\\"", 2015.0),
]
t = "unvotes_rdata"
put(t, "head.RData", rdata_frame(vrows))
put(t, "plain.RData", rdata_frame(vrows, gz=False))
put(t, "edge-truncated.RData", rdata_frame(vrows, cut=200))
put(t, "edge-bad-vote.RData", rdata_frame([vrows[0][:2] + (7,) + vrows[0][3:]]))
put(t, "edge-unknown-code.RData", rdata_frame([vrows[0][:3] + (1,) + vrows[0][4:]]))
put(t, "edge-no-date.RData", rdata_frame([vrows[0][:6] + ("",) + vrows[0][7:]]))
put(t, "edge-na-ccode.RData", rdata_frame([vrows[0][:3] + (None,) + vrows[0][4:]]))
put(t, "edge-empty-frame.RData", rdata_frame([]))
put(t, "edge-bzip2.RData", b"BZh91AY&SY")
put(t, "edge-empty", b"")

t = "unvotes_csv"
put(t, "roll-calls-head.csv", head(raw("unvotes/un_roll_calls.csv"), 2500))
put(t, "roll-calls-tail.csv", tail(raw("unvotes/un_roll_calls.csv"), 2500))
put(t, "issues-head.csv", head(raw("unvotes/un_roll_call_issues.csv"), 1500))
edges(t, head(raw("unvotes/un_roll_calls.csv"), 1200))

t = "un_ideal_points"
put(t, "head.csv", head(raw("unvotes/IdealpointsJuly2025.csv"), 2500))
put(t, "tail.csv", tail(raw("unvotes/IdealpointsJuly2025.csv"), 2500))
edges(t, head(raw("unvotes/IdealpointsJuly2025.csv"), 1200))

# --- attache-events: GDELT 2.0 export and mentions, ICEWS, GDELT's listings ------------------------
t = "events_gdelt_export"
b = raw("gdelt/20191024143000.export.CSV")
put(t, "head.CSV", first_lines(b, 3))
put(t, "tail.CSV", b"".join(lines_of(b)[-3:]))
put(t, "edge-empty", b"")
put(t, "edge-newline-only", b"\n")
put(t, "edge-crlf.CSV", crlf(first_lines(b, 2)))
put(t, "edge-bom.CSV", BOM + first_lines(b, 2))
put(t, "edge-no-newline.CSV", first_lines(b, 1).rstrip(b"\r\n"))
put(t, "edge-blank-line.CSV", first_lines(b, 1) + b"\n" + lines_of(b)[1])
put(t, "edge-gdelt1-57-fields.tsv", first_lines(raw("gdelt/gdelt1_events_sample.tsv"), 1))
put(t, "edge-invalid-utf8.CSV", first_lines(b, 1).replace(b"https://", b"https://\xff", 1))
g = first_lines(b, 1).rstrip(b"\n").split(b"\t")


def gdelt_row(**cells):
    f = list(g)
    for i, v in cells.items():
        f[int(i[1:])] = v
    return b"\t".join(f) + b"\n"


for name, cells in [
    ("bad-date", {"c1": b"2019-10-24"}),
    ("no-such-day", {"c1": b"20190230"}),
    ("root-mismatch", {"c28": b"14"}),
    ("quad-mismatch", {"c29": b"1"}),
    ("quad-zero", {"c29": b"0"}),
    ("cameo-21", {"c26": b"210", "c28": b"21"}),
    ("cameo-5-digits", {"c26": b"13999"}),
    ("goldstein-nan", {"c30": b"NaN"}),
    ("tone-inf", {"c34": b"inf"}),
    ("goldstein-empty", {"c30": b""}),
    ("id-empty", {"c0": b""}),
    ("id-huge", {"c0": b"99999999999999999999999"}),
    ("id-signed", {"c0": b"+881990832"}),
    ("mentions-negative", {"c31": b"-3"}),
    ("dateadded-unaligned", {"c59": b"20191024143007"}),
    ("dateadded-hour-25", {"c59": b"20191024253000"}),
    ("dateadded-short", {"c59": b"201910241430"}),
    ("url-no-scheme", {"c60": b"www.example.org/a"}),
    ("url-empty", {"c60": b""}),
    ("unicode-url", {"c60": "https://www.ouest-france.fr/économie/é".encode()}),
]:
    put(t, f"edge-{name}.CSV", gdelt_row(**cells))
put(t, "edge-short-row.CSV", b"\t".join(g[:30]) + b"\n")
put(t, "edge-long-row.CSV", b"\t".join(g + [b"x"]) + b"\n")
put(t, "edge-duplicate-id.CSV", first_lines(b, 1) * 2)

# GDELT 2.0 mentions (16 fields): the mirror has none, so rows are written in the published
# layout for the first events of the export, their article as the mention.
t = "events_gdelt_mentions"
ms = []
for l in lines_of(b)[:8]:
    f = l.rstrip(b"\n").split(b"\t")
    url = f[60].decode()
    host = url.split("://", 1)[-1].split("/", 1)[0].removeprefix("www.")
    ms.append(f"{f[0].decode()}\t{f[59].decode()}\t20191024143000\t1\t{host}\t{url}\t2\t-1\t120\t64\t1\t50\t3104\t{f[34].decode()}\t\t\n")
put(t, "head.CSV", "".join(ms))
put(t, "translated.CSV", ms[0].replace("\t\t\n", "\tsrclc:fra;eng:GT-FRA 1.0;\t\n"))
put(t, "edge-empty", b"")
put(t, "edge-newline-only", b"\n")
put(t, "edge-crlf.CSV", "".join(ms[:2]).replace("\n", "\r\n"))
put(t, "edge-bom.CSV", BOM + ms[0].encode())
put(t, "edge-no-newline.CSV", ms[0].rstrip("\n"))
m0 = ms[0].rstrip("\n").split("\t")


def mention(**cells):
    f = list(m0)
    for i, v in cells.items():
        f[int(i[1:])] = v
    return "\t".join(f) + "\n"


for name, cells in [
    ("no-source", {"c4": ""}),
    ("bad-time", {"c2": "2019-10-24 14:30"}),
    ("time-feb-30", {"c2": "20190230143000"}),
    ("tone-empty", {"c13": ""}),
    ("tone-nan", {"c13": "NaN"}),
    ("tone-huge", {"c13": "1e400"}),
    ("id-letters", {"c0": "x1"}),
    ("unicode-source", {"c4": "lemonde.fr/économie"}),
]:
    put(t, f"edge-{name}.CSV", mention(**cells))
put(t, "edge-15-fields.CSV", "\t".join(m0[:15]) + "\n")
put(t, "edge-export-row.CSV", first_lines(b, 1))

t = "events_icews"
b = raw("icews/events.2018.sample.tab")
put(t, "head.tab", head(b))
put(t, "tail.tab", tail(b))
edges(t, b, delimiter="\t")
ih = lines_of(b)[0]
ir = lines_of(b)[1].rstrip(b"\r\n").split(b"\t")


def icews_row(**cells):
    f = list(ir)
    for i, v in cells.items():
        f[int(i[1:])] = v
    return ih + b"\t".join(f) + b"\n"


for name, cells in [
    ("no-such-day", {"c1": b"2018-02-30"}),
    ("date-compact", {"c1": b"20180601"}),
    ("date-lenient", {"c1": b"2018-006-1"}),
    ("date-space", {"c1": b" 2018-06-01"}),
    ("intensity-na", {"c7": b"NA"}),
    ("intensity-11", {"c7": b"11"}),
    ("intensity-nan", {"c7": b"NaN"}),
    ("cameo-21", {"c6": b"210"}),
    ("cameo-na", {"c6": b"NA"}),
    ("event-id-na", {"c0": b"NA"}),
    ("country-na", {"c4": b"NA", "c10": b"NA", "c17": b"NA"}),
    ("unknown-country", {"c17": b"Atlantis"}),
    ("unicode-names", {"c2": "Président (Côte d’Ivoire)".encode(), "c17": "Côte d’Ivoire".encode()}),
]:
    put(t, f"edge-{name}.tab", icews_row(**cells))
put(t, "edge-header-lower-case.tab", ih.lower() + lines_of(b)[1])
put(t, "edge-header-19-columns.tab", ih.rsplit(b"\t", 1)[0] + b"\n")
put(t, "edge-duplicate-event.tab", ih + lines_of(b)[1] * 2)

# lastupdate.txt / masterfilelist.txt: the mirror has none; lines as GDELT writes them (LU as in
# GDELT's own example and the crate's tests; the sizes and MD5s of LU2 are made up).
LU = [
    b"150383 297a16b493de7cf6ca809a7cc31d0b93 http://data.gdeltproject.org/gdeltv2/20150218230000.export.CSV.zip\n",
    b"318084 bb27f78ba45f69a17ea6ed7755e9f8ff http://data.gdeltproject.org/gdeltv2/20150218230000.mentions.CSV.zip\n",
    b"10768507 ea8dde0beb0ba98810a92db068c0ce99 http://data.gdeltproject.org/gdeltv2/20150218230000.gkg.csv.zip\n",
]
LU2 = [
    b"86587 e5f0f3b7a3a4f3bd3fcc3b1f0b8d4e3a http://data.gdeltproject.org/gdeltv2/20191024143000.export.CSV.zip\n",
    b"204318 0b0e3d5ac8b8a5b6d1b6a3c9f2b5e0d1 http://data.gdeltproject.org/gdeltv2/20191024143000.mentions.CSV.zip\n",
    b"6123841 6f4e2c0b9d8e7a1f3c5b2d4e6f8a0b1c http://data.gdeltproject.org/gdeltv2/20191024143000.gkg.csv.zip\n",
]
LUT = [l.replace(b"143000.", b"143000.translation.") for l in LU2]
t = "events_lastupdate"
put(t, "lastupdate.txt", b"".join(LU))
put(t, "lastupdate-2019.txt", b"".join(LU2))
put(t, "lastupdate-translation.txt", b"".join(LUT))
put(t, "reordered.txt", LU[2] + LU[0] + LU[1])
put(t, "https.txt", b"".join(l.replace(b"http://", b"https://") for l in LU))
for name, data_ in [
    ("empty", b""),
    ("newline-only", b"\n"),
    ("crlf", crlf(b"".join(LU))),
    ("bom", BOM + b"".join(LU)),
    ("no-newline", b"".join(LU).rstrip(b"\n")),
    ("two-lines", b"".join(LU[:2])),
    ("blank-line", LU[0] + b"\n" + LU[1] + LU[2]),
    ("slot-mismatch", LU[0] + LU[1] + LU2[2]),
    ("second-export", LU[0] + LU2[0] + LU[1] + LU[2]),
    ("double-space", b"".join(LU).replace(b" http", b"  http")),
    ("tabs", b"".join(LU).replace(b" ", b"\t")),
    ("md5-upper-case", b"".join(LU).upper().replace(b"HTTP://DATA.GDELTPROJECT.ORG/GDELTV2/", b"http://data.gdeltproject.org/gdeltv2/").replace(b".EXPORT.CSV.ZIP", b".export.CSV.zip").replace(b".MENTIONS.CSV.ZIP", b".mentions.CSV.zip").replace(b".GKG.CSV.ZIP", b".gkg.csv.zip")),
    ("md5-short", b"".join(LU).replace(b"ea8dde0beb0ba98810a92db068c0ce99", b"ea8dde0b")),
    ("md5-not-hex", b"".join(LU).replace(b"297a16b4", b"297a16bz")),
    ("md5-unicode", b"".join(LU).replace(b"297a16b4", "297a16é".encode())),
    ("size-letter", b"".join(LU).replace(b"318084", b"318O84")),
    ("size-huge", b"".join(LU).replace(b"318084", b"99999999999999999999")),
    ("size-negative", b"".join(LU).replace(b"318084", b"-318084")),
    ("unaligned-slot", b"".join(LU).replace(b"20150218230000", b"20150218230700")),
    ("no-such-day", b"".join(LU).replace(b"20150218230000", b"20150230230000")),
    ("not-a-zip", b"".join(LU).replace(b"export.CSV.zip", b"export.CSV")),
    ("ftp", b"".join(LU).replace(b"http://", b"ftp://")),
    ("invalid-utf8", b"".join(LU).replace(b"gdeltv2/2015", b"gdeltv2/\xff2015", 1)),
    ("short-name", LU[0].replace(b"20150218230000.export.CSV.zip", b"2015.zip") + LU[1] + LU[2]),
]:
    put(t, f"edge-{name}", data_)

t = "events_masterfilelist"
ML = LU + LU2 + LUT + [
    b"3 d41d8cd98f00b204e9800998ecf8427e http://data.gdeltproject.org/gdeltv2/20150218231500.translation.export.CSV.zip\n",
]
put(t, "masterfilelist.txt", b"".join(ML))
put(t, "masterfilelist-crlf.txt", crlf(b"".join(ML)))
for name, data_ in [
    ("empty", b""),
    ("newline-only", b"\n"),
    ("blank-lines", b"\n\n" + LU[0] + b"\n\n" + LU[1] + b"\n"),
    ("bom", BOM + b"".join(LU)),
    ("no-newline", b"".join(LU).rstrip(b"\n")),
    ("duplicate", b"".join(LU) + LU[0]),
    ("duplicate-other-host", b"".join(LU) + LU[0].replace(b"data.gdeltproject.org", b"mirror.example.org")),
    ("mixed-good-bad", LU[0] + b"  http://data.gdeltproject.org/gdeltv2/20150218231500.export.CSV.zip\n" + LU[1] + b"garbage\n" + LU[2] + b"1 2 3 4\n"),
    ("bad-then-duplicate", b"x\n" + LU[0] + LU[0] + b"\r\n"),
    ("invalid-utf8", LU[0] + b"12 \xff\xfe http://x/y\n" + LU[1]),
    ("invalid-utf8-in-url", LU[0].replace(b"gdeltv2/", b"gdeltv2/\xc3")),
    ("lone-cr", b"".join(LU).replace(b"\n", b"\r")),
    ("cr-cr-lf", b"".join(LU).replace(b"\n", b"\r\r\n")),
    ("unaligned-slot", LU[0].replace(b"230000", b"230001")),
    ("year-0000", LU[0].replace(b"20150218", b"00000218")),
    ("year-9999", LU[0].replace(b"20150218", b"99991231").replace(b"230000", b"234500")),
    ("leap-day", LU[0].replace(b"20150218", b"20160229")),
    ("no-leap-day", LU[0].replace(b"20150218", b"21000229")),
    ("url-slash-end", LU[0].replace(b".zip", b".zip/")),
    ("url-query", LU[0].replace(b".zip", b".zip?x=1")),
]:
    put(t, f"edge-{name}", data_)

# --- attache-trade: Stata .dta files and model formulas -------------------------------------------
t = "trade_dta"
# The reader's own test files (pandas 3 `to_stata`, the first 60 rows of the gegravity sample)
# where they fit the budget (formats 114 and 117); formats 113, 115, 118 and 119 (with strL
# text) written here, in either byte order, from the first rows of the same sample.
tdir = os.path.join(os.path.dirname(OUT), "..", "crates", "trade", "tests", "data")
d114 = open(os.path.join(tdir, "gegravity_head_114.dta"), "rb").read()
d117 = open(os.path.join(tdir, "gegravity_head_117.dta"), "rb").read()
put(t, "gegravity_head_114.dta", d114)
put(t, "gegravity_head_117.dta", d117)
put(t, "edge-114-truncated.dta", d114[: len(d114) // 2])
put(t, "edge-117-truncated.dta", d117[: len(d117) - 40])
put(t, "edge-117-header-only.dta", d117[: d117.find(b"<map>")])
grows = list(csv.DictReader(io.StringIO(raw("trade/gegravity_sample_data_set.dlm").decode("utf-8"))))[:6]
# (name, old type code, new type code, struct format, value of a row)
VARS = [
    ("exporter", 3, 3, None, lambda r: r["exporter"]),
    ("importer", 3, 3, None, lambda r: r["importer"]),
    ("year", 252, 65529, "h", lambda r: int(float(r["year"]))),
    ("trade", 255, 65526, "d", lambda r: float(r["trade"])),
    ("lndist", 254, 65527, "f", lambda r: float(r["lndist"])),
    ("pta", 251, 65530, "b", lambda r: int(float(r["pta"]))),
    ("id", 253, 65528, "i", lambda r: 1000 + grows.index(r)),
]


def enc_value(fmt_, v, big, width=None):
    e = ">" if big else "<"
    if fmt_ is None:
        return v.encode()[:width].ljust(width, b"\0")
    return struct.pack(e + fmt_, v)


def dta_old(fmt, big, rows, vars_=VARS, nobs=None, missing=True):
    e = ">" if big else "<"
    out = bytearray([fmt, 1 if big else 2, 1, 0])
    out += struct.pack(e + "H", len(vars_)) + struct.pack(e + "I", len(rows) if nobs is None else nobs)
    out += b"gegravity sample, first rows".ljust(81, b"\0") + b" 6 Dec 2026 20:00".ljust(18, b"\0")
    out += bytes(v[1] for v in vars_)
    for v in vars_:
        out += v[0].encode().ljust(33, b"\0")
    out += b"\0" * (2 * (len(vars_) + 1))
    out += b"".join(b"%9.0g".ljust(12 if fmt == 113 else 49, b"\0") for _ in vars_)
    out += b"\0" * (33 * len(vars_))
    out += b"".join(v[0].encode().ljust(81, b"\0") for v in vars_)
    out += b"\x01" + struct.pack(e + "I", 4) + b"note"
    out += b"\0" * 5
    for i, r in enumerate(rows):
        for v in vars_:
            val = v[4](r)
            if missing and i == 1 and v[0] == "trade":
                out += struct.pack(e + "d", 2.0**1023)
            else:
                out += enc_value(v[3], val, big, v[1] if v[1] <= 244 else None)
    return bytes(out)


def dta_new(fmt, big, rows, strl=False, vars_=VARS, k=None, n=None, map_fix=None, strl_missing=False):
    e = ">" if big else "<"
    kfmt = "I" if fmt == 119 else "H"
    nfmt = "I" if fmt == 117 else "Q"
    name_len = 33 if fmt == 117 else 129
    out = bytearray(b"<stata_dta><header><release>%d</release><byteorder>%s</byteorder><K>" % (fmt, b"MSF" if big else b"LSF"))
    out += struct.pack(e + kfmt, len(vars_) if k is None else k) + b"</K><N>"
    out += struct.pack(e + nfmt, len(rows) if n is None else n) + b"</N><label>"
    label = b"gegravity sample"
    out += (struct.pack(e + "B", len(label)) if fmt == 117 else struct.pack(e + "H", len(label))) + label
    ts = b" 6 Dec 2026 20:00"
    out += b"</label><timestamp>" + bytes([len(ts)]) + ts + b"</timestamp></header><map>"
    map_at = len(out)
    out += b"\0" * 112 + b"</map><variable_types>"
    types = []
    for v in vars_:
        code = 32768 if (strl and v[3] is None) else v[2]
        types.append(code)
        out += struct.pack(e + "H", code)
    out += b"</variable_types><varnames>"
    for v in vars_:
        out += v[0].encode().ljust(name_len, b"\0")
    out += b"</varnames><sortlist>" + b"\0" * (2 * (len(vars_) + 1)) + b"</sortlist>"
    data_at = len(out)
    out += b"<data>"
    gso = bytearray()
    for i, r in enumerate(rows):
        for j, v in enumerate(vars_):
            val = v[4](r)
            if types[j] == 32768:
                var, obs = j + 1, i + 1
                if fmt == 117:
                    out += struct.pack(e + "II", var, obs)
                else:
                    vbits = 16 if fmt == 118 else 24
                    raw_ = (var << (64 - vbits)) | obs if big else var | (obs << vbits)
                    out += struct.pack(e + "Q", raw_)
                if not (strl_missing and i == 0 and j == 0):
                    s_ = val.encode() + b"\0"
                    gso += b"GSO" + struct.pack(e + "I", var) + (struct.pack(e + "I", obs) if fmt == 117 else struct.pack(e + "Q", obs))
                    gso += bytes([130]) + struct.pack(e + "I", len(s_)) + s_
            elif v[3] is None:
                out += enc_value(None, val, big, types[j])
            elif i == 1 and v[0] == "trade":
                out += struct.pack(e + "d", 2.0**1023)
            else:
                out += enc_value(v[3], val, big)
    out += b"</data>"
    strls_at = len(out)
    out += b"<strls>" + gso + b"</strls><value_labels></value_labels></stata_dta>"
    m = [0, map_at - 5 - 12, 0, 0, 0, 0, 0, 0, 0, data_at, strls_at, strls_at, len(out) - 12, len(out)]
    if map_fix:
        m = map_fix(m)
    out[map_at : map_at + 112] = struct.pack(e + "14Q", *m)
    return bytes(out)


import struct
for fmt in (113, 114, 115):
    for big in (False, True):
        put(t, f"format-{fmt}-{'msf' if big else 'lsf'}.dta", dta_old(fmt, big, grows))
for fmt in (117, 118, 119):
    for big in (False, True):
        put(t, f"format-{fmt}-{'msf' if big else 'lsf'}.dta", dta_new(fmt, big, grows))
        put(t, f"format-{fmt}-{'msf' if big else 'lsf'}-strl.dta", dta_new(fmt, big, grows, strl=True))
put(t, "format-118-no-rows.dta", dta_new(118, False, []))
put(t, "format-118-no-vars.dta", dta_new(118, False, grows, vars_=[]))
put(t, "format-114-no-vars.dta", dta_old(114, False, grows, vars_=[]))
put(t, "edge-empty", b"")
put(t, "edge-format-116.dta", bytes([116, 2, 1, 0]) + dta_old(114, False, grows)[4:])
put(t, "edge-format-112.dta", bytes([112]) + dta_old(114, False, grows)[1:])
put(t, "edge-byte-order-3.dta", dta_old(114, False, grows)[:1] + b"\x03" + dta_old(114, False, grows)[2:])
put(t, "edge-release-120.dta", dta_new(118, False, grows).replace(b"<release>118", b"<release>120", 1))
put(t, "edge-release-not-a-number.dta", dta_new(118, False, grows).replace(b"<release>118", b"<release>1x8", 1))
put(t, "edge-byte-order-xyz.dta", dta_new(118, False, grows).replace(b"LSF", b"XYZ", 1))
put(t, "edge-old-type-0.dta", dta_old(114, False, grows, vars_=[("x", 0, 0, "b", lambda r: 1)]))
put(t, "edge-old-type-250.dta", dta_old(114, False, grows, vars_=[("x", 250, 0, "b", lambda r: 1)]))
put(t, "edge-new-type-unknown.dta", dta_new(118, False, grows, vars_=[("x", 0, 65000, "b", lambda r: 1)]))
put(t, "edge-duplicate-names.dta", dta_new(118, False, grows, vars_=[VARS[2], VARS[2]]))
put(t, "edge-old-rows-short.dta", dta_old(114, False, grows, nobs=60))
put(t, "edge-old-nobs-max.dta", dta_old(114, False, grows, nobs=2**32 - 1))
put(t, "edge-new-n-max.dta", dta_new(118, False, grows, n=2**64 - 1))
# (N = 2^40 rows of no variables, which stalled the reader counting rows of 0 bytes, is the
# committed input fuzz/regressions/trade_dta-1.bin, not a replay input.)
put(t, "edge-map-data-past-end.dta", dta_new(118, False, grows, map_fix=lambda m: m[:9] + [10**6] + m[10:]))
put(t, "edge-map-data-huge.dta", dta_new(118, False, grows, map_fix=lambda m: m[:9] + [2**64 - 1] + m[10:]))
put(t, "edge-map-data-wrong.dta", dta_new(118, False, grows, map_fix=lambda m: m[:9] + [m[9] + 3] + m[10:]))
put(t, "edge-map-strls-past-end.dta", dta_new(118, False, grows, strl=True, map_fix=lambda m: m[:10] + [10**6] + m[11:]))
put(t, "edge-map-strls-wrong.dta", dta_new(118, False, grows, strl=True, map_fix=lambda m: m[:10] + [m[9]] + m[11:]))
put(t, "edge-strl-missing.dta", dta_new(118, False, grows, strl=True, strl_missing=True))
s118 = dta_new(118, False, grows, strl=True)
put(t, "edge-strls-unterminated.dta", s118[: s118.rfind(b"</strls>")])
put(t, "edge-strls-gso-cut.dta", s118[: s118.find(b"GSO") + 10])
put(t, "edge-text-not-dta.dta", b"exporter,importer,year\nDEU,FRA,2006\n")

t = "trade_formula"
for i, text in enumerate([
    "trade ~ log(DIST) + CNTG + LANG + CLNY | exporter^year + importer^year",
    "trade ~ RTA | exporter^year + importer^year + pair_id",
    "trade ~ log(DIST) + CNTG + RTA | exporter^year + importer^year + pair_id",
    "log(trade) ~ log(DIST) + CNTG + LANG + CLNY + exporter_year + importer_year",
    "trade ~ 0 + log(DIST)",
    "trade ~ 1",
    "y ~ x",
    "y~x|a",
    "  trade\t~\nlog( DIST )  +  RTA\t|\texporter ^ year  ",
    "trade ~ INTL_BRDR_1990 + INTL_BRDR_1994 + INTL_BRDR_1998 + INTL_BRDR_2002 + INTL_BRDR_2006 | exporter^year + importer^year + pair_id",
    "trade ~ log(gdp.o) + log(gdp.d) + _x1",
]):
    put(t, f"formula-{i + 1}", text)
for name, text in [
    ("empty", ""),
    ("blank", "  \t\n "),
    ("tilde-only", "~"),
    ("no-rhs", "trade ~"),
    ("no-lhs", "~ x"),
    ("no-tilde", "trade x"),
    ("two-tildes", "y ~ x ~ z"),
    ("unbalanced-open", "trade ~ log(DIST + RTA"),
    ("unbalanced-close", "trade ~ log(DIST)) + RTA"),
    ("close-only", "y ~ x )"),
    ("nested-log", "y ~ log(log(x))"),
    ("empty-log", "y ~ log()"),
    ("unknown-function", "y ~ sqrt(x)"),
    ("bar-without-fe", "trade ~ RTA |"),
    ("bar-only", "trade ~ RTA | | a"),
    ("bar-first", "| a"),
    ("two-bars", "y ~ x | a | b"),
    ("caret-dangling", "y ~ x | a^"),
    ("caret-in-rhs", "y ~ a^b"),
    ("plus-dangling", "y ~ x +"),
    ("plus-plus", "y ~ x ++ z"),
    ("duplicate-term", "y ~ x + x"),
    ("duplicate-log", "y ~ log(x) + log(x)"),
    ("duplicate-fe", "y ~ x | a^b + a^b"),
    ("fe-reordered", "y ~ x | a^b + b^a"),
    ("zero-and-one", "y ~ 0 + 1 + x"),
    ("zero-only", "y ~ 0"),
    ("number-term", "y ~ 2 + x"),
    ("leading-zeros", "y ~ 00 + x"),
    ("number-lhs", "1 ~ x"),
    ("digit-ident", "y ~ 1x"),
    ("dot-ident", "y ~ . + .. + ._"),
    ("log-as-column", "log ~ log + log(log)"),
    ("unicode-column", "exportations ~ log(distance_km) + pays_été"),
    ("unicode-operator", "y ∼ x"),
    ("fullwidth-plus", "y ~ x ＋ z"),
    ("emoji", "y ~ x | 🌍"),
    ("nul", "y ~ x\0"),
    ("dollar", "trade ~ x $"),
    ("minus", "y ~ x - z"),
    ("star", "y ~ x*z"),
    ("colon", "y ~ x:z"),
    ("long", "y ~ " + " + ".join(f"x{i}" for i in range(400))),
]:
    put(t, f"edge-{name}", text)
put(t, "edge-invalid-utf8", b"trade ~ log(DIST) + \xff")

t = "trade_wits"
wits = lines_of(raw("trade/WITS_trade2009.csv"))
put(t, "head", b"".join(wits[:40]))
put(t, "tail", wits[0] + b"".join(wits[-40:]))
put(t, "aggregates-and-aliases", wits[0] + b"".join(
    [l for l in wits[1:] if b";WLD;" in l][:5] + [l for l in wits[1:] if l.split(b";")[1] in (b"ROM", b"ZAR")][:5]))
for name, body in [
    ("empty", b""),
    ("header-only", wits[0]),
    ("crlf", b"".join(l.rstrip(b"\r\n") + b"\r\n" for l in wits[:10])),
    ("bom", b"\xef\xbb\xbf" + b"".join(wits[:5])),
    ("unknown-code", wits[0] + b"NC;QQQ; Total;Nowhere;DEU;Germany;2009;Export;6;1\n"),
    ("negative", wits[0] + b"NC;FRA; Total;France;DEU;Germany;2009;Export;6;-1\n"),
    ("nan", wits[0] + b"NC;FRA; Total;France;DEU;Germany;2009;Export;6;NaN\n"),
    ("transit", wits[0] + b"NC;FRA; Total;France;DEU;Germany;2009;Transit;7;1\n"),
    ("short-row", wits[0] + b"NC;FRA; Total;France\n"),
    ("self", wits[0] + b"NC;FRA; Total;France;FRA;France;2009;Export;6;1\n"),
    ("no-value-column", b"ReporterISO3;PartnerISO3;TradeFlowName\nFRA;DEU;Export\n"),
]:
    put(t, f"edge-{name}", body)

# --- Economic sanctions: GSDB release 3 and TIES 4.1 (one adapter, `sanctions`) ----------------


def add_column(b, name, value, delimiter=b","):
    """A column `name` appended to every line (the header) of a small table, `value` in each row."""
    ls = [l.rstrip(b"\r\n") for l in lines_of(b)]
    return b"".join(l + delimiter + (name if i == 0 else value) + b"\n" for i, l in enumerate(ls))


t = "sanctions_gsdb"
g = raw("sanctions/GSDB_V3.csv")  # CRLF line ends, no newline after the last line
gl = lines_of(g)


def cells(line):
    return next(csv.reader([line.decode("utf-8").rstrip("\r\n")]))


def gsdb_lines(pred, n):
    hdr = cells(gl[0])
    return [l for l in gl[1:] if pred(dict(zip(hdr, cells(l))))][:n]


put(t, "head.csv", head(g, 1500))
put(t, "tail.csv", tail(g, 1500))
put(t, "last-line-no-newline.csv", gl[0] + b"".join(gl[-3:]))
# Cells that list several parties, organisations and groups, the inverted names ("Korea, North"),
# and names read for the case's first year (Yugoslavia after 1992, South Vietnam from 1976).
put(t, "lists-and-names.csv", gl[0] + b"".join(
    gsdb_lines(lambda r: "," in r["sanctioning_state"] and "EU" in r["sanctioning_state"], 2)
    + gsdb_lines(lambda r: r["sanctioning_state"] in ("UN", "G7", "League of Arab States"), 3)
    + gsdb_lines(lambda r: r["sanctioned_state"].startswith("Terrorist") or "Northern" in r["sanctioned_state"], 2)
    + gsdb_lines(lambda r: r["sanctioned_state"] == "Korea, North", 1)
    + gsdb_lines(lambda r: r["sanctioned_state"] == "Yugoslavia" and int(r["begin"]) > 1992, 1)
    + gsdb_lines(lambda r: "South Vietnam" in r["sanctioned_state"] and int(r["begin"]) >= 1976, 2)))
small = head(g, 500).replace(b"\r\n", b"\n")
edges(t, small)
put(t, "edge-lf.csv", head(g, 1500).replace(b"\r\n", b"\n"))
put(t, "edge-end-before-begin.csv", replace_cell(small, "end", "1900"))
put(t, "edge-unknown-name.csv", replace_cell(small, "sanctioning_state", "Atlantis"))
put(t, "edge-empty-name-in-list.csv", replace_cell(small, "sanctioning_state", "United States,,France"))
put(t, "edge-inverted-name-cut.csv", replace_cell(small, "sanctioned_state", "Korea"))
put(t, "edge-flag-2.csv", replace_cell(small, "trade", "2"))
put(t, "edge-flag-empty.csv", replace_cell(small, "arms", ""))
put(t, "edge-year-fraction.csv", replace_cell(small, "begin", "1949.5"))
put(t, "edge-no-end-column.csv", small.replace(b",end,", b",finish,", 1))

t = "sanctions_ties"
ties = raw("sanctions/TIESv4.1.raw.csv")
tl = lines_of(ties)
thdr = cells(tl[0])


def ties_lines(pred, n):
    return [l for l in tl[1:] if pred(dict(zip(thdr, cells(l))))][:n]


SENDERS = ["sender1", "sender2", "sender3", "sender4", "sender5", "primarysender"]
put(t, "head.csv", head(ties, 2000))
put(t, "tail.csv", tail(ties, 2000))
# A year with a note after it, the EU's code 1000, a case the institution alone imposed, two
# codes of Germany in one case, an imposed case without end year, one without imposition year.
put(t, "notes-eu-institutions.csv", tl[0] + b"".join(
    ties_lines(lambda r: r["sancimpositionstartyear"].startswith("1949,"), 1)
    + ties_lines(lambda r: "1000" in (r["sender1"], r["targetstate"]) and r["imposition"] == "1", 2)
    + ties_lines(lambda r: r["imposition"] == "1" and not any(r[c] for c in SENDERS), 1)
    + ties_lines(lambda r: {"255", "260"} <= {r[c] for c in SENDERS}, 1)
    + ties_lines(lambda r: r["imposition"] == "1" and r["sancimpositionstartyear"].strip().isdigit()
                 and not r["endyear"] and not r["ongoingasofyear"], 1)
    + ties_lines(lambda r: r["imposition"] == "1" and not r["sancimpositionstartyear"].strip(), 1)))
imposed = tl[0] + b"".join(ties_lines(lambda r: r["imposition"] == "1" and r["sancimpositionstartyear"].strip().isdigit(), 1))
edges(t, imposed)
put(t, "edge-unknown-cow.csv", replace_cell(imposed, "targetstate", "999"))
put(t, "edge-year-fraction.csv", replace_cell(imposed, "startyear", "1971.5"))
put(t, "edge-imposition-year-word.csv", replace_cell(imposed, "sancimpositionstartyear", "sometime"))
put(t, "edge-end-before-imposition.csv", replace_cell(imposed, "endyear", "1900"))
put(t, "edge-imposition-2.csv", replace_cell(imposed, "imposition", "2"))
put(t, "edge-no-sender-no-institution.csv", replace_cell(replace_cell(replace_cell(imposed, "sender1", ""), "primarysender", ""), "institutionid", ""))

# --- Trade: the Guide's gravity panel (.dta 113), WITS totals, CEPII distances (`trade`) ---------
t = "trade_panel_dta"
pdta = raw("trade/advanced-guide/Chapter2Application2.dta")
assert pdta[:2] == b"\x71\x02", "Chapter2Application2.dta is expected in format 113, LSF"
nvar, nobs = struct.unpack("<HI", pdta[4:10])
p = 109
ptypes = list(pdta[p : p + nvar])
p += nvar + 33 * nvar + 2 * (nvar + 1) + 12 * nvar + 33 * nvar + 81 * nvar
pchars = p  # the expansion fields (characteristics, ~8.5 KB here) start here
while True:
    kind_, len_ = pdta[p], struct.unpack("<I", pdta[p + 1 : p + 5])[0]
    p += 5 + len_
    if kind_ == 0 and len_ == 0:
        break
pdata = p
prw = sum({251: 1, 252: 2, 253: 4, 254: 4, 255: 8}.get(x, x) for x in ptypes)
assert pdata + prw * nobs == len(pdta), "the panel has value labels after its data"
PROW = struct.Struct("<3s3sffdd3bf")  # exporter importer pair_id year trade DIST CNTG LANG CLNY RTA
assert PROW.size == prw


def prow(i):
    return pdta[pdata + i * prw : pdata + (i + 1) * prw]


def panel(rows, nobs_=None):
    """The file's own header and variable labels, without its characteristics, and `rows`."""
    out = bytearray(pdta[:pchars] + b"\0" * 5 + b"".join(rows))
    out[6:10] = struct.pack("<I", len(rows) if nobs_ is None else nobs_)
    return bytes(out)


def edit(row, **kw):
    names = ["exporter", "importer", "pair_id", "year", "trade", "DIST", "CNTG", "LANG", "CLNY", "RTA"]
    v = list(PROW.unpack(row))
    for k, x in kw.items():
        v[names.index(k)] = x
    return PROW.pack(*v)


first = [prow(i) for i in range(30)]
put(t, "head.dta", panel(first))
put(t, "tail.dta", panel([prow(i) for i in range(nobs - 20, nobs)]))
put(t, "rom-legacy-code.dta", panel([prow(i) for i in range(nobs) if prow(i)[:6].count(b"ROM")][:12]))
put(t, "edge-empty", b"")
put(t, "edge-no-rows.dta", panel([]))
put(t, "edge-truncated.dta", panel(first[:10])[:-15])
put(t, "edge-nobs-more-than-rows.dta", panel(first[:10], nobs_=1000))
put(t, "edge-year-fraction.dta", panel([edit(first[0], year=1986.5)] + first[1:3]))
put(t, "edge-year-huge.dta", panel([edit(first[0], year=1e16)] + first[1:3]))
put(t, "edge-rta-missing-value.dta", panel([edit(first[0], RTA=2.0**127)] + first[1:3]))
put(t, "edge-unknown-code.dta", panel([edit(first[0], exporter=b"XXX")] + first[1:3]))
put(t, "edge-no-rta-variable.dta", panel(first[:3]).replace(b"RTA\0", b"RTB\0", 1))
put(t, "edge-exporter-twice.dta", panel(first[:3]).replace(b"importer\0", b"exporter\0", 1))
put(t, "edge-text-not-dta.dta", b"exporter,importer,year\nARG,AUS,1986\n")

t = "trade_wits_table"
put(t, "head", b"".join(wits[:30]))
put(t, "tail", wits[0] + b"".join(wits[-30:]))
put(t, "aggregates-and-aliases", wits[0] + b"".join(
    [l for l in wits[1:] if b";WLD;" in l][:3] + [l for l in wits[1:] if l.split(b";")[1] in (b"ROM", b"ZAR")][:3]))
for name, body in [
    ("empty", b""),
    ("header-only", wits[0]),
    ("crlf", b"".join(l.rstrip(b"\r\n") + b"\r\n" for l in wits[:8])),
    ("bom", BOM + b"".join(wits[:5])),
    ("no-newline", b"".join(wits[:4]).rstrip(b"\r\n")),
    ("lone-cr", b"".join(l.rstrip(b"\r\n") + b"\r" for l in wits[:5])),
    ("unknown-code", wits[0] + b"NC;QQQ; Total;Nowhere;DEU;Germany;2009;Export;6;1\n"),
    ("self", wits[0] + b"NC;FRA; Total;France;FRA;France;2009;Export;6;1\n"),
    ("bad-year", wits[0] + b"NC;FRA; Total;France;DEU;Germany;20O9;Export;6;1\n"),
    ("empty-year", wits[0] + b"NC;FRA; Total;France;DEU;Germany;;Export;6;1\n"),
    ("no-year-column", wits[0].replace(b";Year;", b";Yr;") + b"".join(wits[1:4])),
    ("year-column-twice", wits[0].replace(b"Nomenclature", b"Year") + b"".join(wits[1:4])),
    ("short-row", wits[0] + b"NC;FRA; Total;France\n"),
    ("blank-line-between", wits[0] + wits[1] + b"\n" + wits[2]),
]:
    put(t, f"edge-{name}", body)

t = "cepii_dist"
cep = raw("trade/dist_cepii.csv")
cl = lines_of(cep)
put(t, "head.csv", head(cep, 1500))
put(t, "tail.csv", tail(cep, 1500))
# CEPII's legacy codes (ROM, ZAR, TMP, PAL) and `.` for a missing distance.
put(t, "legacy-codes-and-dots.csv", cl[0] + b"".join(
    [l for l in cl[1:] if l[:4] in (b"ROM;", b"ZAR;", b"TMP;", b"PAL;")][::60][:8] + [l for l in cl[1:] if b";.;" in l][:4]))
edges(t, cep, delimiter=";")
small = head(cep, 600)
sl = lines_of(small)
put(t, "edge-unknown-code.csv", sl[0] + b"XXX" + sl[1][3:] + b"".join(sl[2:]))
put(t, "edge-empty-code.csv", sl[0] + sl[1][3:] + b"".join(sl[2:]))
put(t, "edge-no-dist-column.csv", small.replace(b";dist;", b";distance;", 1))
put(t, "edge-comma-separated.csv", small.replace(b";", b","))
put(t, "edge-fraction-in-int.csv", sl[0] + sl[1].replace(b";0;", b";0.5;", 1) + b"".join(sl[2:]))
put(t, "edge-iso3-column.csv", add_column(small, b"iso3_o", b"ABW", b";"))

# --- SDSN Sustainable Development Report (`sdg`) and INFORM Risk 2025 (`inform`) -----------------
for t, path in [("sdg_index", "sdg/sdg_index_2000-2022.csv"), ("sdr_2023", "sdg/sustainable_development_report_2023.csv")]:
    b = raw(path)
    assert b.startswith(BOM)
    put(t, "head.csv", head(b, 1500))
    put(t, "tail.csv", tail(b, 1500))
    nb = b[len(BOM):]
    ls = lines_of(nb)
    edges(t, nb)
    small = head(nb, 450)
    put(t, "edge-unknown-code.csv", replace_cell(small, "country_code", "XXX"))
    put(t, "edge-unknown-aggregate.csv", replace_cell(small, "country_code", "_Mars"))
    put(t, "edge-lower-case-code.csv", replace_cell(small, "country_code", ls[1][:3].decode().lower()))
    put(t, "edge-duplicate-row.csv", small + lines_of(small)[1])
    put(t, "edge-kind-column.csv", add_column(small, b"Kind", b"country"))
    put(t, "edge-score-infinite.csv", replace_cell(small, "goal_1_score", "inf"))
put("sdg_index", "aggregates.csv", lines_of(raw("sdg/sdg_index_2000-2022.csv"))[0] + b"".join(
    [l for l in lines_of(raw("sdg/sdg_index_2000-2022.csv"))[1:] if l.startswith(b"_") and b",2022," in l]))
put("sdg_index", "edge-year-fraction.csv", replace_cell(head(raw("sdg/sdg_index_2000-2022.csv")[len(BOM):], 700), "year", "2000.5"))
put("sdg_index", "edge-same-code-other-year.csv", replace_cell(head(raw("sdg/sdg_index_2000-2022.csv")[len(BOM):], 700), "year", "2099", row=2))
sdr = lines_of(raw("sdg/sustainable_development_report_2023.csv"))
put("sdr_2023", "empty-goals.csv", sdr[0] + b"".join([l for l in sdr[1:] if b",," in l][:6]))

t = "inform_risk"
inf = raw("inform/INFORM_Risk_2025_v070_main.csv")
il = lines_of(inf)
put(t, "head.csv", head(inf, 1800))
put(t, "tail.csv", tail(inf, 1800))
put(t, "x-not-computed.csv", il[0] + b"".join([l for l in il[1:] if b",x," in l][:4]))
put(t, "countries-in-hvc.csv", il[0] + b"".join([l for l in il[1:] if b",YES," in l][:3]))
edges(t, inf)
small = head(inf, 900)
put(t, "edge-bad-class.csv", replace_cell(small, "RISK CLASS", "Extreme"))
put(t, "edge-x-upper-case.csv", replace_cell(small, "Tsunami", "X"))
put(t, "edge-x-in-rank.csv", replace_cell(small, "Rank", "x"))
put(t, "edge-unknown-iso3.csv", replace_cell(small, "ISO3", "XXX"))
put(t, "edge-duplicate-country.csv", small + lines_of(small)[1])
put(t, "edge-iso3-column-twice.csv", add_column(small, b"Iso3", b"AFG"))
put(t, "edge-no-class-column.csv", small.replace(b"RISK CLASS", b"RISK_CLASS", 1))

t = "inform_regions"
reg = raw("inform/INFORM_Risk_2025_v070_regions.csv")
rl = lines_of(reg)
put(t, "head.csv", head(reg, 1500))
put(t, "tail.csv", tail(reg, 1500))
put(t, "empty-cells.csv", rl[0] + b"".join([l for l in rl[1:] if b",," in l][:4]))
edges(t, reg)
small = head(reg, 700)
put(t, "edge-faost-fraction.csv", replace_cell(small, "FAOST_CODE", "2.5"))
put(t, "edge-m49-empty.csv", replace_cell(small, "M49", ""))
put(t, "edge-x-in-m49.csv", replace_cell(small, "M49", "x"))
put(t, "edge-unknown-iso3.csv", replace_cell(small, "ISO3", "XXX"))
put(t, "edge-empty-iso3.csv", replace_cell(small, "ISO3", ""))
put(t, "edge-duplicate-country.csv", small + lines_of(small)[1])
put(t, "edge-no-m49-column.csv", small.replace(b",M49,", b",M_49,", 1))

# --- UN General Debate Corpus (`ungdc`): member names and small tar.xz archives, the speakers sheet -
import lzma, tarfile


def tar_xz(members):
    """A tar.xz of (name, bytes), fixed owner and time, so the bytes are the same every run."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tf:
        for name, data in members:
            ti = tarfile.TarInfo(name)
            ti.size, ti.mtime, ti.mode, ti.uid, ti.gid = len(data), 0, 0o644, 0, 0
            tf.addfile(ti, io.BytesIO(data))
    return lzma.compress(buf.getvalue(), format=lzma.FORMAT_XZ, preset=6)


t = "ungdc_member"
arg = raw("ungdc/UNGDC_1946-2024_TXT.tar.xz")
with tarfile.open(fileobj=io.BytesIO(arg), mode="r:xz") as tf:
    first = []
    for m in tf:
        first.append((m.name, tf.extractfile(m).read()[:1500]))
        if len(first) == 2:
            break
for i, (name, _) in enumerate(first):
    put(t, f"name-{i + 1}", name)
for i, name in enumerate([
    "TXT/", "TXT/Session 79 - 2024/", "TXT/Session 79 - 2024/EU_79_2024.txt",
    "TXT/Session 01 - 1946/ARG_01_1947.txt", "TXT/Session 02 - 1946/ARG_02_1946.txt",
    "TXT/Session 01 - 1946/ARG_02_1946.txt", "TXT/Session 01 - 1946/arg_01_1946.txt",
    "TXT/Session 01 - 1946/._ARG_01_1946.txt", "TXT/Session 100 - 2045/USA_100_2045.txt",
    "TXT/Session 01 - 1946/ARG_01_1946.txt\0", "TXT/Session 01 - 1946/ARG_01_1946",
]):
    put(t, f"edge-name-{i + 1}", name)
put(t, "archive-real-slice.tar.xz", tar_xz(first))
put(t, "edge-archive-bad-year.tar.xz", tar_xz([("TXT/Session 01 - 1946/ARG_01_1947.txt", b"x")]))
put(t, "edge-archive-bad-utf8.tar.xz", tar_xz([("TXT/Session 01 - 1946/ARG_01_1946.txt", b"ok \xff bad")]))
put(t, "edge-archive-twice.tar.xz", tar_xz([first[0], first[0]]))
put(t, "edge-archive-unknown-code.tar.xz", tar_xz([("TXT/Session 01 - 1946/XXQ_01_1946.txt", b"x")]))
put(t, "edge-archive-cut.tar.xz", tar_xz(first)[:700])

t = "ungdc_speakers"
sp = raw("ungdc/Speakers_by_session.csv")
put(t, "head.csv", head(sp, 1500))
put(t, "tail.csv", tail(sp, 1500))
sl = lines_of(sp)
put(t, "misprints-and-organisations.csv", sl[0] + b"".join(
    [l for l in sl[1:] if any(c in l for c in (b",POR,", b",YDYE,", b",EC,", b",,Leage", b",BEN ,", b",DKN,"))][:8]))
edges(t, sp)
small = head(sp, 700)
put(t, "edge-year-off-session.csv", replace_cell(small, "Year", "2023"))
put(t, "edge-unknown-code.csv", replace_cell(small, "ISO Code", "XXQ"))
put(t, "edge-empty-code.csv", replace_cell(small, "ISO Code", ""))
put(t, "edge-iso3-column.csv", add_column(small, b"iso3", b"BRA"))

# --- Trade policy scenarios (`attache trade simulate`, /trade, the API): hand-made ------------------
t = "trade_scenario"
for i, text in enumerate([
    "tariff USA on CHN 25%",
    "rta-add CHN,JPN",
    "tariff USA on CHN 25%; rta-add CHN,JPN",
    "rta-add can,mex,usa",
    "rta-remove CAN,MEX,USA; tariff USA on MEX 25%",
    "sanction USA,GBR on IRN",
    "sanction-lift usa on irn",
    "tariff USA,CAN on CHN -2.5%",
    "sanction USA on IRN; tariff IRN,CHN on USA 5%",
    "tariff DEU on FRA 1000%",
    "tariff DEU on FRA -99.999%",
    "tariff DEU on FRA 1e2%",
    "tariff DEU on FRA +5%",
    "tariff DEU on FRA -0%",
    "tariff DEU on FRA 0.30000000000000004%",
    "tariff DEU on FRA 1e-300%",
    " ; rta-add chn,JPN ;; ",
    "tariff\tUSA\non\tCHN\t25%",
    "rta-add " + ",".join(["ARG", "AUS", "AUT", "BEL", "BGR", "BOL", "BRA", "CAN", "CHE", "CHL", "CHN", "CMR"]),
    "; ".join(["rta-add CHN,JPN", "rta-remove CHN,JPN", "sanction RUS on UKR", "sanction-lift RUS on UKR"] * 5),
]):
    put(t, f"scenario-{i + 1}", text)
for name, text in [
    ("empty", ""),
    ("blank", "  \t\n "),
    ("semicolons-only", ";;;"),
    ("unknown-kind", "embargo USA on IRN"),
    ("keyword-upper-case", "RTA-ADD CHN,JPN"),
    ("keyword-only", "rta-add"),
    ("two-letter-code", "sanction US on IRN"),
    ("four-letter-code", "sanction USAA on IRN"),
    ("digit-in-code", "sanction US1 on IRN"),
    ("non-ascii-code", "sanction ÜSA on IRN"),
    ("fullwidth-code", "sanction ＵＳＡ on IRN"),
    ("one-member", "rta-add USA"),
    ("same-member-twice", "rta-add USA,usa"),
    ("empty-member", "rta-add USA,,CHN"),
    ("trailing-comma", "rta-add USA,CHN,"),
    ("space-after-comma", "rta-add USA, CHN"),
    ("no-percent", "tariff USA on CHN 25"),
    ("percent-twice", "tariff USA on CHN 25%%"),
    ("percent-only", "tariff USA on CHN %"),
    ("rate-minus-100", "tariff USA on CHN -100%"),
    ("rate-over-1000", "tariff USA on CHN 1000.0001%"),
    ("rate-nan", "tariff USA on CHN NaN%"),
    ("rate-inf", "tariff USA on CHN inf%"),
    ("rate-hex", "tariff USA on CHN 0x10%"),
    ("rate-underscore", "tariff USA on CHN 1_000%"),
    ("rate-comma", "tariff USA on CHN 2,5%"),
    ("both-sides", "tariff USA on CAN,USA 5%"),
    ("sanction-both-sides", "sanction IRN on IRN"),
    ("on-upper-case", "sanction USA ON IRN"),
    ("to-instead-of-on", "tariff USA to CHN 5%"),
    ("missing-targets", "sanction USA on"),
    ("extra-word", "sanction USA on IRN now"),
    ("one-bad-shock", "rta-add CHN,JPN; embargo"),
    ("long-list", "rta-add " + ",".join(a + b + c for a in "ABC" for b in "ABCDEFGHIJ" for c in "ABCDEFGHIJ")),
    ("nul", "rta-add CHN,JPN\0"),
]:
    put(t, f"edge-{name}", text)
put(t, "edge-invalid-utf8", b"rta-add CHN,JPN; \xff")
put(t, "edge-invalid-utf8-in-code", b"sanction US\xff on IRN")

# --- Satellite signals: night lights (`night-lights`) and gas flaring (`gas-flaring`) -------------
t = "night_lights"
nl = raw("satellite/blackmarble/kenya_blackmarble_ntl_adm0_2012-2023.csv")
put(t, "head.csv", head(nl, 700))
put(t, "tail.csv", tail(nl, 700))
small = head(nl, 400)
put(t, "edge-empty", b"")
put(t, "edge-header-only", first_lines(nl, 1))
put(t, "edge-crlf", crlf(small))
put(t, "edge-na-sum.csv", replace_cell(small, "ntl_sum", "NA"))
put(t, "edge-share-above-one.csv", replace_cell(small, "prop_non_na_pixels", "1.5"))
put(t, "edge-more-valid-than-pixels.csv", replace_cell(small, "n_non_na_pixels", "9999999"))
put(t, "edge-unknown-code.csv", replace_cell(small, "GID_0", "XXX"))
put(t, "edge-monthly-product.csv", replace_cell(small, "product", "VNP46A3"))
put(t, "edge-duplicate-year.csv", small + lines_of(small)[1])


def xlsx(sheets):
    """A minimal .xlsx (inline strings, numbers as written), fixed zip times: as the adapter's
    tests build them (attache_sources::xlsx::write_minimal)."""
    def esc(s):
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    def col(c):
        s = ""
        c += 1
        while c:
            c, r = divmod(c - 1, 26)
            s = chr(65 + r) + s
        return s
    def num(v):
        try:
            float(v)
            return True
        except ValueError:
            return False
    wb = '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    rels = '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    parts = []
    for i, (name, rows) in enumerate(sheets, 1):
        wb += f'<sheet name="{esc(name)}" sheetId="{i}" r:id="rId{i}"/>'
        rels += f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
        x = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        for r, row in enumerate(rows, 1):
            x += f'<row r="{r}">'
            for c, v in enumerate(row):
                if v == "":
                    continue
                at = f"{col(c)}{r}"
                x += f'<c r="{at}"><v>{v}</v></c>' if num(v) else f'<c r="{at}" t="inlineStr"><is><t>{esc(v)}</t></is></c>'
            x += "</row>"
        x += "</sheetData></worksheet>"
        parts.append((f"xl/worksheets/sheet{i}.xml", x))
    parts.append(("xl/workbook.xml", wb + "</sheets></workbook>"))
    parts.append(("xl/_rels/workbook.xml.rels", rels + "</Relationships>"))
    return zipped([(n, x.encode()) for n, x in parts])


t = "gas_flaring"
H18 = ["Country", "ISO Code", "BCM 2018", "Flare count 2018"]
def book18(up, oil=None, gas=None):
    return xlsx([("countries upstream", [H18] + up), ("countries oil downstream", [H18] + (oil or [])),
                 ("countries gas downstream", [H18] + (gas or []))])
# Rows 2-4 of viirs_global_flaring_2018.xlsx's country sheets, as the workbook holds them.
UP18 = [["Russian Federation", "RUS", "20.392391133649799", "1246"], ["Iraq", "IRQ", "17.821249069434401", "191"],
        ["Iran", "IRN", "17.2778205216202", "310"]]
put(t, "release-2018.xlsx", book18(UP18, [["Venezuela", "VEN", "1.2771143867088099", "19"]],
                                   [["Russian Federation", "RUS", "0.88763455855850004", "35"]]))
H21 = ["Country", "ISO Code", "ID 2021", "Latitude", "Longitude", "BCM 2021", "Type"]
# Lines 2-4 and 489 of viirs_global_flaring_2021.csv (the workbook's one data sheet).
S21 = [["Venezuela", "VEN", "4335", "9.652413", "-63.623903", "1.331804316", "upstream oil"],
       ["Iraq", "IRQ", "7480", "31.026091", "47.283637", "1.2542977195", "upstream oil"],
       ["Russian Federation", "RUS", "10542", "61.345909", "112.807013", "0.9892225177", "upstream oil"],
       ["Saudi-Kuwaiti Neutral Zone", "SAUKWTNZ", "7630", "28.579269", "47.918443", "0.07102105115", "upstream oil"],
       ["Iraq", "IRQ", "7709", "31.0", "47.5", "0.0", "refinery"]]
put(t, "release-2021.xlsx", xlsx([("2021 Global Gas Flaring Volumes", [H21] + S21)]))
put(t, "edge-empty", b"")
put(t, "edge-csv-not-xlsx", b"Country,ISO Code,BCM 2018\nIraq,IRQ,1\n")
put(t, "edge-bad-number.xlsx", book18([UP18[0], ["Iraq", "IRQ", "n/a", "191"]]))
put(t, "edge-negative.xlsx", book18([["Iraq", "IRQ", "-1", "191"]]))
put(t, "edge-count-fraction.xlsx", book18([["Iraq", "IRQ", "1", "2.5"]]))
put(t, "edge-unknown-code.xlsx", book18([["Atlantis", "XXX", "1", "2"]]))
put(t, "edge-no-code.xlsx", book18([["Iraq", "", "1", "2"]]))
put(t, "edge-formula-row.xlsx", book18([["", "", "0.16", "0"]]))
put(t, "edge-duplicate.xlsx", book18([UP18[1], UP18[1]]))
put(t, "edge-cell-right-of-header.xlsx", book18([UP18[1] + ["", "x"]]))
put(t, "edge-missing-sheet.xlsx", xlsx([("countries upstream", [H18] + UP18)]))
put(t, "edge-unknown-type.xlsx", xlsx([("2021 Global Gas Flaring Volumes", [H21, S21[0][:6] + ["volcano"]])]))
put(t, "edge-header-only.xlsx", xlsx([("2021 Global Gas Flaring Volumes", [H21])]))

t = "gne_headlines"
gne = raw("sentiment/gne-release-v1.0.tsv")
put(t, "head.tsv", head(gne, 1200))
put(t, "tail.tsv", tail(gne, 1200))
edges(t, gne, delimiter="\t")
small = head(gne, 900)
put(t, "edge-unknown-emotion.tsv", small.replace(b"\tanger\t", b"\tAnger\t", 1))
put(t, "edge-open-quote.tsv", small.replace(b'"[[""', b'"[[', 1))

t = "events_dataverse"
# The shape of Dataverse's native API answer for a dataset (GET /api/datasets/:persistentId/),
# with ICEWS's labels: an ingested yearly file, a zipped week, two files sharing a label, a PDF.
def dv_file(label, id_, md5="0123456789abcdef0123456789abcdef", extra=""):
    return ('{"label": "%s", "dataFile": {"id": %d, "filesize": 10%s, '
            '"checksum": {"type": "MD5", "value": "%s"}}}' % (label, id_, extra, md5))
def dv(files):
    return ('{"status": "OK", "data": {"latestVersion": {"versionNumber": 30, "files": [%s]}}}'
            % ", ".join(files)).encode()
YEARLY = dv_file("events.1995.20150313082510.tab", 2711066,
                 extra=', "originalFileFormat": "text/tab-separated-values", "originalFileSize": 12')
put(t, "historic.json", dv([YEARLY, dv_file("ICEWS Coded Event Data Read Me.pdf", 2711100)]))
put(t, "weekly.json", dv([dv_file("20190309-icews-events.zip", 3213171),
                          dv_file("20190309-icews-events.tab", 3213172),
                          dv_file("20190316-icews-events.tab", 3213180)]))
put(t, "edge-empty", b"")
put(t, "edge-error.json", b'{"status": "ERROR", "message": "Dataset with Persistent ID doi:x not found"}')
put(t, "edge-no-files.json", b'{"status": "OK", "data": {"latestVersion": {}}}')
put(t, "edge-sha1.json", dv([dv_file("events.1996.20150313082510.tab", 1).replace('"MD5"', '"SHA-1"')]))
put(t, "edge-short-md5.json", dv([dv_file("events.1996.20150313082510.tab", 1, md5="abc")]))
put(t, "edge-bad-date.json", dv([dv_file("20191399-icews-events.tab", 1)]))
put(t, "edge-html.json", b"<!DOCTYPE html><html><body>Maintenance</body></html>")

# --- Summary -------------------------------------------------------------------------------------
total = 0
for target in sorted(os.listdir(OUT)):
    files = os.listdir(os.path.join(OUT, target))
    size = sum(os.path.getsize(os.path.join(OUT, target, f)) for f in files)
    total += size
    print(f"{target:20s} {len(files):3d} files {size:7d} bytes")
print(f"{'total':20s} {sum(len(os.listdir(os.path.join(OUT, d))) for d in os.listdir(OUT)):3d} files {total:7d} bytes")
assert total < MAX_TOTAL, f"replay corpus is {total} bytes, over {MAX_TOTAL}"
PY

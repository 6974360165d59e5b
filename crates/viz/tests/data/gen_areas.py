"""Reference areas of the Natural Earth 110m countries on the unit sphere, for
crates/viz/tests/world.rs.

Independent of the Rust code: decodes the TopoJSON here, densifies every edge linearly in
longitude/latitude (the short way round, 32 steps, matching how the map treats edges), and
measures each ring with PROJ's geodesic area on a sphere of radius 1 (pyproj.Geod(a=1, b=1)).
A country's area is the sum over its polygons of |exterior| - sum |holes|.

Run:  python3 -m venv /tmp/v && /tmp/v/bin/pip install pyproj==3.7.2
      /tmp/v/bin/python gen_areas.py $MIRROR/natural-earth/countries-110m.json > areas-110m.csv
"""
import json
import math
import sys

import pyproj

STEPS = 32
geod = pyproj.Geod(a=1.0, b=1.0)


def decode(topo):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for a in topo["arcs"]:
        x = y = 0
        pts = []
        for p in a:
            x += p[0]
            y += p[1]
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def ring(arcs, idx):
    out = []
    for i in idx:
        a = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(a if not out else a[1:])
    return out


def densify(pts):
    lons, lats = [], []
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        d = x1 - x0
        d -= 360.0 * round(d / 360.0)
        for k in range(STEPS):
            t = k / STEPS
            lon = x0 + d * t
            lons.append((lon + 180.0) % 360.0 - 180.0 if abs(lon) > 180 else lon)
            lats.append(y0 + (y1 - y0) * t)
    return lons, lats


def area(pts):
    lons, lats = densify(pts)
    a, _ = geod.polygon_area_perimeter(lons, lats)
    a = abs(a)
    # A ring around a pole: PROJ may report the other side of the sphere.
    return min(a, 4 * math.pi - a)


def main(path):
    topo = json.load(open(path))
    arcs = decode(topo)
    print("index,id,name,area")
    for i, g in enumerate(topo["objects"]["countries"]["geometries"]):
        polys = [g["arcs"]] if g["type"] == "Polygon" else g["arcs"]
        total = 0.0
        for p in polys:
            rings = [area(ring(arcs, r)) for r in p]
            total += rings[0] - sum(rings[1:])
        print(f'{i},{g.get("id", "")},"{g["properties"]["name"]}",{total!r}')


main(sys.argv[1])

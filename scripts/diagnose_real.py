#!/usr/bin/env python3
"""Sorts the misses of `badiya extract` on a labelled folder of real articles
by cause, using the shared scorer's matching.

usage: scripts/diagnose_real.py DIR [CAUSE] (DATES=1 in the environment lists
matched incidents whose date is wrong; BADIYA= picks the binary)
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.environ.get("SCORER_DIR", os.path.join(here, "..", "..", "shared", "eval")))
import score as S  # noqa: E402
folder = sys.argv[1]
bin = os.environ.get("BADIYA", os.path.join(here, "..", "target", "release", "badiya"))
items = []
for p in sorted(glob.glob(os.path.join(folder, "labels*.json"))):
    items += json.load(open(p))
lab = tempfile.mktemp(suffix=".json"); json.dump(items, open(lab, "w"))
pred = tempfile.mktemp(suffix=".geojson")
docs = sorted(glob.glob(os.path.join(folder, "*.txt")))
subprocess.run([bin, "extract", *docs, "--format", "geojson", "-o", pred], check=True, stdout=subprocess.DEVNULL)
D = S.Docs(folder)
labels = S.load_labels(lab, D); preds = S.load_preds(pred, D)
r = S.score(labels, preds)
cats = {}
only = sys.argv[2] if len(sys.argv) > 2 else None
for li in r["misses"]:
    g = labels[li]
    touch = [p for p in preds if any(S.overlaps(ps, gs) for ps in p["spans"] for gs in g["spans"])]
    if not touch: cat = "nothing"
    else:
        tok = [p for p in touch if p["type"] in g["types"]]
        nok = [p for p in touch if S.near(p["point"], g)]
        cat = "type+place ok(dup/taken)" if any(p in nok for p in tok) else ("place wrong" if tok else ("type wrong" if nok else "both wrong"))
    cats[cat] = cats.get(cat, 0) + 1
    if only and only not in cat: continue
    lon, lat, pr = g["places"][0]
    print(f"[{cat}] {g['id']} {sorted(g['types'])} p{pr} ({lon},{lat}) {g['quote']!r}")
    for p in touch:
        d = S.km(p["point"][0], p["point"][1], lon, lat) if p["point"] and lon is not None else None
        print(f"      got {p['type']} @ {p['place']} {('%.0fkm' % d) if d is not None else ''}")
print(cats)
if os.environ.get("DATES"):
    matched = {}
    for pi, p in enumerate(preds):
        touched = [li for li, g in enumerate(labels) if any(S.overlaps(ps, gs) for ps in p["spans"] for gs in g["spans"])]
        good = [li for li in touched if not labels[li]["borderline"] and p["type"] in labels[li]["types"] and S.near(p["point"], labels[li])]
        free = [li for li in good if li not in matched]
        if free: matched[free[0]] = pi
    for li, pi in matched.items():
        g = labels[li]
        if g["date"] and not S.date_ok(preds[pi]["date"], g["date"]):
            print(f"DATE {g['id']} label={g['date']} got={preds[pi]['date']} {g['quote'][:100]!r}")

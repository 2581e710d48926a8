#!/usr/bin/env bash
# Scores `badiya extract` on a folder of labelled real articles with the shared
# scorer. The articles and their labels stay local (realdata/ is gitignored):
#   realdata/<set>/*.txt + realdata/<set>/labels*.json (docs/real-articles.md
#   says how a set is built; hold one back and score it once)
# usage: scripts/score_real.sh SET|DIR [--show]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
set_dir="${1:-dev}"
[[ -d "$set_dir" ]] || set_dir="$here/realdata/$set_dir"
shift || true
scorer="${SCORER:-$here/../shared/eval/score.py}"
bin="${BADIYA:-$here/target/release/badiya}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
python3 - "$set_dir" "$out/labels.json" <<'PY'
import glob, json, os, sys
folder, dest = sys.argv[1], sys.argv[2]
items = []
for path in sorted(glob.glob(os.path.join(folder, "labels*.json"))):
    items += json.load(open(path, encoding="utf-8"))
json.dump(items, open(dest, "w", encoding="utf-8"), ensure_ascii=False)
PY
shopt -s nullglob
docs=("$set_dir"/*.txt "$set_dir"/*.md "$set_dir"/*.html)
"$bin" extract "${docs[@]}" --format geojson -o "$out/pred.geojson" >/dev/null
python3 "$scorer" "$out/labels.json" "$out/pred.geojson" "$set_dir" "$@"

#!/usr/bin/env bash
# Times `badiya export` (A4 landscape, 300 DPI, the default region) and QGIS
# rendering the same GeoJSON layers through a print layout
# (scripts/qgis_export.py), as whole processes, alternating, in one run.
# usage: scripts/compare_export.sh [RUNS]   (BADIYA= picks the binary)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="${BADIYA:-$here/target/release/badiya}"
runs="${1:-5}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
export QT_QPA_PLATFORM=offscreen
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
b=(); q=()
for _ in $(seq "$runs"); do
  b+=("$(seconds "$bin" export --size a4 --landscape --dpi 300 -o "$out/badiya.png")")
  q+=("$(seconds "${QGIS_PYTHON:-/usr/bin/python3}" "$here/scripts/qgis_export.py" "$out/qgis.png")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mb=$(median "${b[@]}"); mq=$(median "${q[@]}")
echo "badiya export: ${b[*]} s (median $mb)"
echo "QGIS print layout: ${q[*]} s (median $mq)"
echo "QGIS / badiya: $(echo "scale=2; $mq / $mb" | bc)"
python3 -c "
from PIL import Image
for n in ('badiya', 'qgis'):
    print(n, Image.open('$out/' + n + '.png').size)
" 2>/dev/null || true

#!/usr/bin/python3
"""Renders badiya's default layers with QGIS, as `badiya export` does: the
region (lon 34–49, lat 29–38.5) on an A4 landscape page at 300 DPI, written
as a PNG through a print layout. The comparison figure for BENCHMARKS.md;
`scripts/compare_export.sh` times both tools in one run.

usage: QT_QPA_PLATFORM=offscreen /usr/bin/python3 scripts/qgis_export.py OUT.png
(needs Debian's python3-qgis, for the system Python)
"""

import os
import sys

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsLayoutExporter,
    QgsLayoutItemMap,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsPrintLayout,
    QgsProject,
    QgsRectangle,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsCoordinateTransform,
    QgsPalLayerSettings,
    QgsVectorLayerSimpleLabeling,
)

HERE = os.path.dirname(os.path.abspath(__file__))
GEODATA = os.path.join(HERE, "..", "geodata")
# Drawn bottom to top, as badiya draws them (the border is derived from the
# countries in badiya; the countries' outlines stand for it here).
LAYERS = ["countries", "governorates", "lakes", "rivers", "pipelines", "places", "gazetteer"]


def main(out: str) -> int:
    app = QgsApplication([], False)
    app.initQgis()
    project = QgsProject.instance()
    mercator = QgsCoordinateReferenceSystem("EPSG:3857")
    project.setCrs(mercator)
    layers = []
    for name in LAYERS:
        layer = QgsVectorLayer(os.path.join(GEODATA, f"{name}.geojson"), name, "ogr")
        if not layer.isValid():
            print(f"cannot read {name}.geojson", file=sys.stderr)
            return 1
        if name in ("countries", "places"):
            # Names on the map, as badiya draws them (QGIS places them and
            # drops those that collide).
            labels = QgsPalLayerSettings()
            labels.fieldName = "name"
            layer.setLabeling(QgsVectorLayerSimpleLabeling(labels))
            layer.setLabelsEnabled(True)
        project.addMapLayer(layer)
        layers.append(layer)
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    page = layout.pageCollection().page(0)
    page.setPageSize(QgsLayoutSize(297, 210, QgsUnitTypes.LayoutMillimeters))
    item = QgsLayoutItemMap(layout)
    item.attemptMove(QgsLayoutPoint(0, 0, QgsUnitTypes.LayoutMillimeters))
    item.attemptResize(QgsLayoutSize(297, 210, QgsUnitTypes.LayoutMillimeters))
    item.setCrs(mercator)
    to_merc = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"), mercator, project)
    item.setExtent(to_merc.transformBoundingBox(QgsRectangle(34.0, 29.0, 49.0, 38.5)))
    item.setLayers(list(reversed(layers)))
    layout.addLayoutItem(item)
    settings = QgsLayoutExporter.ImageExportSettings()
    settings.dpi = 300
    result = QgsLayoutExporter(layout).exportToImage(out, settings)
    app.exitQgis()
    if result != QgsLayoutExporter.Success:
        print(f"QGIS could not write {out} (code {result})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))

//! Spatial index: an R-tree over every feature's Web Mercator envelope (cached)
//! for viewport culling, and picking that ranks what lies under the pointer.

use geo::{Contains, Distance, Euclidean, Geometry, MapCoords, Point};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use crate::camera::merc_from_lon_lat;
use crate::geodata::{GeoData, LayerKind};

/// A feature's address: layer index (in draw order) and feature index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FeatureRef {
    pub layer: usize,
    pub feature: usize,
}

type Entry = GeomWithData<Rectangle<[f64; 2]>, FeatureRef>;

/// Features projected to Web Mercator and indexed by envelope.
pub struct SpatialIndex {
    tree: RTree<Entry>,
    /// Projected geometry per layer and feature.
    merc: Vec<Vec<Geometry<f64>>>,
    kinds: Vec<LayerKind>,
}

/// One candidate under the pointer, with how well it matches.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pick {
    pub feature: FeatureRef,
    /// Distance from the pointer in metres (0 inside a polygon).
    pub distance_m: f64,
    /// Size for tie-breaking: area in m² for polygons, 0 otherwise.
    pub area_m2: f64,
    pub kind: LayerKind,
}

/// Web Mercator copy of a lon/lat geometry.
pub fn merc_geometry(geometry: &Geometry<f64>) -> Geometry<f64> {
    geometry.map_coords(|c| {
        let m = merc_from_lon_lat(c.x, c.y);
        geo::Coord { x: m.x, y: m.y }
    })
}

impl SpatialIndex {
    /// Projects and indexes every feature of `data` (bulk-loaded).
    pub fn new(data: &GeoData) -> Self {
        use geo::BoundingRect;
        let mut entries = Vec::new();
        let mut merc = Vec::with_capacity(data.layers.len());
        for (li, layer) in data.layers.iter().enumerate() {
            let mut projected = Vec::with_capacity(layer.features.len());
            for (fi, feature) in layer.features.iter().enumerate() {
                let g = merc_geometry(&feature.geometry);
                if let Some(rect) = g.bounding_rect() {
                    entries.push(Entry::new(
                        Rectangle::from_corners(
                            [rect.min().x, rect.min().y],
                            [rect.max().x, rect.max().y],
                        ),
                        FeatureRef {
                            layer: li,
                            feature: fi,
                        },
                    ));
                }
                projected.push(g);
            }
            merc.push(projected);
        }
        Self {
            tree: RTree::bulk_load(entries),
            merc,
            kinds: data.layers.iter().map(|l| l.spec.kind).collect(),
        }
    }

    /// The projected geometry of a feature.
    pub fn merc(&self, f: FeatureRef) -> &Geometry<f64> {
        &self.merc[f.layer][f.feature]
    }

    /// Features whose envelope meets the box (Web Mercator metres).
    pub fn in_box(&self, min: [f64; 2], max: [f64; 2]) -> Vec<FeatureRef> {
        let mut out: Vec<FeatureRef> = self
            .tree
            .locate_in_envelope_intersecting(AABB::from_corners(min, max))
            .map(|e| e.data)
            .collect();
        out.sort_unstable();
        out
    }

    /// Everything under a Web Mercator point within `tolerance_m`, best first:
    /// points, then lines, then polygons; nearer before farther; smaller
    /// polygons before the larger ones that contain them.
    pub fn pick(
        &self,
        at: [f64; 2],
        tolerance_m: f64,
        layer_visible: &dyn Fn(usize) -> bool,
    ) -> Vec<Pick> {
        use geo::Area;
        let probe = Point::new(at[0], at[1]);
        let envelope = AABB::from_corners(
            [at[0] - tolerance_m, at[1] - tolerance_m],
            [at[0] + tolerance_m, at[1] + tolerance_m],
        );
        let mut picks: Vec<Pick> = self
            .tree
            .locate_in_envelope_intersecting(envelope)
            .filter(|e| layer_visible(e.data.layer))
            .filter_map(|e| {
                let g = self.merc(e.data);
                let kind = self.kinds[e.data.layer];
                let (distance_m, area_m2) = match g {
                    Geometry::Polygon(_) | Geometry::MultiPolygon(_) => {
                        if g.contains(&probe) {
                            (0.0, g.unsigned_area())
                        } else {
                            return None;
                        }
                    }
                    _ => (Euclidean.distance(g, &probe), 0.0),
                };
                (distance_m <= tolerance_m).then_some(Pick {
                    feature: e.data,
                    distance_m,
                    area_m2,
                    kind,
                })
            })
            .collect();
        let rank = |k: LayerKind| match k {
            LayerKind::Point => 0,
            LayerKind::Line => 1,
            LayerKind::Polygon => 2,
        };
        picks.sort_by(|a, b| {
            rank(a.kind)
                .cmp(&rank(b.kind))
                .then(a.distance_m.total_cmp(&b.distance_m))
                .then(a.area_m2.total_cmp(&b.area_m2))
                .then(a.feature.cmp(&b.feature))
        });
        picks
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn fixture() -> &'static (GeoData, SpatialIndex) {
        static DATA: OnceLock<(GeoData, SpatialIndex)> = OnceLock::new();
        DATA.get_or_init(|| {
            let data = GeoData::embedded();
            let index = SpatialIndex::new(&data);
            (data, index)
        })
    }

    #[test]
    fn point_in_anbar_picks_anbar_before_iraq() {
        let (data, index) = fixture();
        let m = merc_from_lon_lat(41.5, 33.5); // western Anbar desert
        let picks = index.pick([m.x, m.y], 100.0, &|_| true);
        let names: Vec<_> = picks
            .iter()
            .filter_map(|p| {
                data.layers[p.feature.layer].features[p.feature.feature]
                    .name
                    .clone()
            })
            .collect();
        let anbar = names
            .iter()
            .position(|n| n.contains("Anbar"))
            .expect("Anbar picked");
        let iraq = names.iter().position(|n| n == "Iraq").expect("Iraq picked");
        assert!(anbar < iraq, "{names:?}");
    }

    #[test]
    fn hidden_layers_are_not_picked() {
        let (data, index) = fixture();
        let m = merc_from_lon_lat(41.5, 33.5);
        let gov = data
            .layers
            .iter()
            .position(|l| l.spec.id == "governorates")
            .expect("layer");
        let picks = index.pick([m.x, m.y], 100.0, &|l| l != gov);
        assert!(picks.iter().all(|p| p.feature.layer != gov));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// The R-tree returns exactly what a scan of every envelope returns.
        #[test]
        fn box_query_matches_brute_force(lon in 33.0f64..49.0, lat in 28.0f64..38.0,
                                         w in 0.01f64..6.0, h in 0.01f64..6.0) {
            use geo::BoundingRect;
            let (data, index) = fixture();
            let a = merc_from_lon_lat(lon, lat);
            let b = merc_from_lon_lat(lon + w, lat + h);
            let got = index.in_box([a.x, a.y], [b.x, b.y]);
            let mut want = Vec::new();
            for (li, layer) in data.layers.iter().enumerate() {
                for fi in 0..layer.features.len() {
                    let f = FeatureRef { layer: li, feature: fi };
                    if let Some(r) = index.merc(f).bounding_rect()
                        && r.min().x <= b.x && r.max().x >= a.x && r.min().y <= b.y && r.max().y >= a.y {
                            want.push(f);
                        }
                }
            }
            prop_assert_eq!(got, want);
        }
    }
}

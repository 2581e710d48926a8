//! The scene: a backend-neutral draw list (areas, lines, circles, text) built
//! for one camera and one size. The screen (`render_egui`) and the exports
//! (`export`) draw the same scene, so what the analyst sees is what the file shows.
//! Symbols, arrows and map furniture are turned into plain shapes here, so a
//! backend only needs to know four primitives and groups.

use std::sync::Arc;

use geo::{Geometry, LineString, Polygon};

use crate::camera::{Camera, Merc};
use crate::geodata::{GeoData, LayerKind, Rgba, Style};
use crate::spatial::{FeatureRef, SpatialIndex};

pub mod font;
pub mod furniture;
pub mod labels;

/// A point in scene pixels (origin top-left, y down).
pub type Pt = [f32; 2];

/// An outline style.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stroke {
    pub width: f32,
    pub color: Rgba,
    /// Dash pattern (on, off) in pixels; `None` for a solid line.
    pub dash: Option<[f32; 2]>,
}

impl Stroke {
    pub const fn solid(width: f32, color: Rgba) -> Self {
        Self {
            width,
            color,
            dash: None,
        }
    }
}

/// Where a text's anchor point sits relative to the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// Anchor at the left end of the baseline-centre line (text extends right).
    Left,
    Center,
    Right,
}

/// Triangles in Web Mercator metres for filling a concave polygon, computed once.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Triangles {
    pub vertices: Vec<Merc>,
    pub indices: Vec<u32>,
}

/// One thing to draw.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// A filled and/or outlined area; rings in pixels (even-odd fill). For
    /// concave map polygons `triangles` carries a ready tessellation in
    /// Web Mercator, to be mapped through the scene's camera.
    Area {
        rings: Vec<Vec<Pt>>,
        triangles: Option<Arc<Triangles>>,
        fill: Option<Rgba>,
        stroke: Option<Stroke>,
    },
    /// An open polyline.
    Line { points: Vec<Pt>, stroke: Stroke },
    Circle {
        center: Pt,
        radius: f32,
        fill: Option<Rgba>,
        stroke: Option<Stroke>,
    },
    /// One line of text; `pos` is the anchor on the vertical middle of the text.
    Text {
        pos: Pt,
        text: String,
        size: f32,
        color: Rgba,
        anchor: Anchor,
        halo: Option<Rgba>,
        bold: bool,
    },
    /// Shapes drawn clipped to a rectangle and shifted by an offset.
    Group {
        offset: Pt,
        clip: Option<[Pt; 2]>,
        scene: Box<Scene>,
    },
}

/// Something on the map the pointer can hit that is not a geodata feature:
/// an incident marker or cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub center: Pt,
    pub radius: f32,
    /// Marker ids (the caller's) under this hit target.
    pub ids: Vec<usize>,
}

/// The centres of a scene's hit targets in an R-tree, so that what lies
/// under the pointer is found without a scan of every marker.
#[derive(Debug)]
pub struct HitIndex {
    tree: rstar::RTree<rstar::primitives::GeomWithData<Pt, usize>>,
    max_radius: f32,
}

impl HitIndex {
    pub fn new(hits: &[Hit]) -> Self {
        let entries = hits
            .iter()
            .enumerate()
            .map(|(k, h)| rstar::primitives::GeomWithData::new(h.center, k))
            .collect();
        let max_radius = hits.iter().map(|h| h.radius).fold(0.0, f32::max);
        Self {
            tree: rstar::RTree::bulk_load(entries),
            max_radius,
        }
    }

    /// The positions in `hits` (the slice this index was built from) of
    /// the targets whose disc holds `p`, in draw order.
    pub fn at(&self, hits: &[Hit], p: Pt) -> Vec<usize> {
        let r = self.max_radius;
        let mut out: Vec<usize> = self
            .tree
            .locate_within_distance(p, r * r)
            .map(|e| e.data)
            .filter(|&k| hits.get(k).is_some_and(|h| h.holds(p)))
            .collect();
        out.sort_unstable();
        out
    }
}

/// What [`HitIndex::at`] finds, by a scan of every target (the reference
/// the index is checked and timed against).
pub fn hits_at_linear(hits: &[Hit], p: Pt) -> Vec<usize> {
    (0..hits.len()).filter(|&k| hits[k].holds(p)).collect()
}

impl Hit {
    /// Whether the point lies on this target's disc.
    pub fn holds(&self, p: Pt) -> bool {
        let (dx, dy) = (self.center[0] - p[0], self.center[1] - p[1]);
        dx * dx + dy * dy <= self.radius * self.radius
    }
}

/// The draw list for a camera and a size.
#[derive(Clone, Debug, PartialEq)]
pub struct Scene {
    pub camera: Camera,
    pub background: Rgba,
    pub shapes: Vec<Shape>,
    pub hits: Vec<Hit>,
    /// The map features drawn, in draw order (for legends and checks).
    pub drawn: Vec<FeatureRef>,
}

impl Scene {
    /// An empty scene of the camera's size.
    pub fn new(camera: Camera, background: Rgba) -> Self {
        Self {
            camera,
            background,
            shapes: Vec::new(),
            hits: Vec::new(),
            drawn: Vec::new(),
        }
    }

    pub fn size(&self) -> Pt {
        #[allow(clippy::cast_possible_truncation)]
        [self.camera.width_px as f32, self.camera.height_px as f32]
    }

    /// Pixel of a lon/lat position.
    pub fn px(&self, lon: f64, lat: f64) -> Pt {
        let [x, y] = self.camera.screen_from_geo(lon, lat);
        #[allow(clippy::cast_possible_truncation)]
        [x as f32, y as f32]
    }

    /// Pixel of a Web Mercator position.
    pub fn px_merc(&self, m: Merc) -> Pt {
        let [x, y] = self.camera.screen_from_merc(m);
        #[allow(clippy::cast_possible_truncation)]
        [x as f32, y as f32]
    }

    /// Every text in the scene, groups included (for tests and checks).
    pub fn texts(&self) -> Vec<&str> {
        let mut out = Vec::new();
        for shape in &self.shapes {
            match shape {
                Shape::Text { text, .. } => out.push(text.as_str()),
                Shape::Group { scene, .. } => out.extend(scene.texts()),
                _ => {}
            }
        }
        out
    }
}

/// Colours that depend on the light or dark theme.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Theme {
    pub background: Rgba,
    pub label: Rgba,
    pub halo: Rgba,
    pub selection: Rgba,
    pub hover: Rgba,
    pub furniture: Rgba,
    pub furniture_bg: Rgba,
    /// Whether the map itself is drawn dark: land, water and ink turned
    /// round from the layer styles, which are written for paper.
    pub dark: bool,
}

/// Hue (degrees), saturation and lightness of a colour, each 0..1 but hue.
fn hsl(c: Rgba) -> (f32, f32, f32) {
    let [r, g, b, _] = c.0.map(|v| f32::from(v) / 255.0);
    let (max, min) = (r.max(g).max(b), r.min(g).min(b));
    let l = (max + min) / 2.0;
    if (max - min).abs() < f32::EPSILON {
        return (0.0, 0.0, l);
    }
    let d = max - min;
    let s = if l > 0.5 {
        d / (2.0 - max - min)
    } else {
        d / (max + min)
    };
    let h = if (max - r).abs() < f32::EPSILON {
        (g - b) / d + if g < b { 6.0 } else { 0.0 }
    } else if (max - g).abs() < f32::EPSILON {
        (b - r) / d + 2.0
    } else {
        (r - g) / d + 4.0
    };
    (h * 60.0, s, l)
}

fn from_hsl(h: f32, s: f32, l: f32, alpha: u8) -> Rgba {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let x = c * (1.0 - ((h / 60.0) % 2.0 - 1.0).abs());
    let m = l - c / 2.0;
    let (r, g, b) = match h {
        h if h < 60.0 => (c, x, 0.0),
        h if h < 120.0 => (x, c, 0.0),
        h if h < 180.0 => (0.0, c, x),
        h if h < 240.0 => (0.0, x, c),
        h if h < 300.0 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let byte = |v: f32| ((v + m).clamp(0.0, 1.0) * 255.0).round() as u8;
    Rgba([byte(r), byte(g), byte(b), alpha])
}

impl Theme {
    /// The colour an area (land, a lake, a governorate's tint) is filled with
    /// in this theme: in the dark one, paper tones become night tones of the
    /// same hue, water darker than land.
    pub fn area(self, c: Rgba) -> Rgba {
        if !self.dark {
            return c;
        }
        let (h, s, l) = hsl(c);
        let water = (180.0..=250.0).contains(&h) && s > 0.3;
        let l = if water {
            0.11 + 0.06 * l
        } else {
            0.15 + 0.10 * l
        };
        from_hsl(h, s * 0.55, l, c.0[3])
    }

    /// The colour a line, an outline, a symbol or a label is drawn in: in the
    /// dark theme dark ink turns light, so that it shows on dark land.
    pub fn ink(self, c: Rgba) -> Rgba {
        if !self.dark {
            return c;
        }
        let (h, s, l) = hsl(c);
        if l >= 0.5 {
            return c;
        }
        from_hsl(h, s, 1.0 - l * 0.8, c.0[3])
    }

    pub const LIGHT: Self = Self {
        background: Rgba::rgb(0xc9, 0xdc, 0xe8),
        label: Rgba::rgb(0x22, 0x22, 0x22),
        halo: Rgba([255, 255, 255, 210]),
        selection: Rgba::rgb(0x00, 0x7a, 0xff),
        hover: Rgba([0x00, 0x7a, 0xff, 0x90]),
        furniture: Rgba::rgb(0x20, 0x20, 0x20),
        furniture_bg: Rgba([255, 255, 255, 200]),
        dark: false,
    };
    pub const DARK: Self = Self {
        background: Rgba::rgb(0x0c, 0x13, 0x1b),
        label: Rgba::rgb(0xee, 0xee, 0xee),
        halo: Rgba([0, 0, 0, 190]),
        selection: Rgba::rgb(0x4d, 0xb2, 0xff),
        hover: Rgba([0x4d, 0xb2, 0xff, 0xa0]),
        furniture: Rgba::rgb(0xee, 0xee, 0xee),
        furniture_bg: Rgba([20, 20, 20, 190]),
        dark: true,
    };
}

/// Work done once per data set: tessellations and label anchors in Web Mercator.
pub struct Prepared {
    /// Per layer, per feature: triangles for polygons.
    pub triangles: Vec<Vec<Option<Arc<Triangles>>>>,
    /// Per layer, per feature: where its label goes.
    pub label_at: Vec<Vec<Option<Merc>>>,
}

impl Prepared {
    /// Tessellates every polygon (earcut) and finds label anchors.
    pub fn new(data: &GeoData, index: &SpatialIndex) -> Self {
        let mut triangles = Vec::new();
        let mut label_at = Vec::new();
        for (li, layer) in data.layers.iter().enumerate() {
            let mut tris = Vec::new();
            let mut labels = Vec::new();
            for fi in 0..layer.features.len() {
                let g = index.merc(FeatureRef {
                    layer: li,
                    feature: fi,
                });
                tris.push(tessellate(g).map(Arc::new));
                labels.push(label_anchor(g));
            }
            triangles.push(tris);
            label_at.push(labels);
        }
        Self {
            triangles,
            label_at,
        }
    }
}

/// Earcut triangles for a (multi)polygon in Web Mercator.
pub fn tessellate(g: &Geometry<f64>) -> Option<Triangles> {
    use geo::TriangulateEarcut;
    let polygons: Vec<&Polygon<f64>> = match g {
        Geometry::Polygon(p) => vec![p],
        Geometry::MultiPolygon(mp) => mp.0.iter().collect(),
        _ => return None,
    };
    let mut out = Triangles::default();
    for p in polygons {
        let raw = p.earcut_triangles_raw();
        #[allow(clippy::cast_possible_truncation)]
        let base = out.vertices.len() as u32;
        out.vertices
            .extend(raw.vertices.iter().map(|c| Merc { x: c[0], y: c[1] }));
        #[allow(clippy::cast_possible_truncation)]
        out.indices
            .extend(raw.triangle_indices.iter().map(|&i| base + i as u32));
    }
    Some(out)
}

/// A good label position: inside the largest polygon, at the middle of the longest line, or the point.
fn label_anchor(g: &Geometry<f64>) -> Option<Merc> {
    use geo::{Area, InteriorPoint, Length};
    let at = |p: geo::Point<f64>| Merc { x: p.x(), y: p.y() };
    match g {
        Geometry::Point(p) => Some(at(*p)),
        Geometry::Polygon(p) => p.interior_point().map(at),
        Geometry::MultiPolygon(mp) => {
            mp.0.iter()
                .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))
                .and_then(InteriorPoint::interior_point)
                .map(at)
        }
        Geometry::LineString(l) => middle_of(l).map(at),
        Geometry::MultiLineString(ml) => {
            ml.0.iter()
                .max_by(|a, b| {
                    geo::Euclidean
                        .length(*a)
                        .total_cmp(&geo::Euclidean.length(*b))
                })
                .and_then(middle_of)
                .map(at)
        }
        _ => None,
    }
}

fn middle_of(l: &LineString<f64>) -> Option<geo::Point<f64>> {
    use geo::InterpolateLine;
    geo::Euclidean.point_at_ratio_from_start(l, 0.5)
}

/// How the map layers are shown: per layer (in draw order) on/off and opacity.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerState {
    pub visible: bool,
    pub opacity: f32,
}

/// An incident (or other point) marker to draw, in the caller's terms.
#[derive(Clone, Debug, PartialEq)]
pub struct MarkerInput {
    /// The caller's id, returned in `Hit::ids`.
    pub id: usize,
    pub lon: f64,
    pub lat: f64,
    pub symbol: Symbol,
    pub color: Rgba,
    pub selected: bool,
    /// Placed no more precisely than a country, governorate, region or a
    /// whole line: the area's name. Such markers are drawn as one counted
    /// badge per area, never as a point symbol in the terrain.
    pub area: Option<String>,
}

/// Marker symbols, distinct by shape as well as colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Symbol {
    Circle,
    Square,
    Triangle,
    Diamond,
    Star,
    Cross,
    Pentagon,
    InvertedTriangle,
    Hexagon,
}

/// What a map scene shows besides the data layers.
#[derive(Clone, Debug, PartialEq)]
pub struct MapOptions {
    pub layers: Vec<LayerState>,
    pub selected: Option<FeatureRef>,
    pub hovered: Option<FeatureRef>,
    pub theme: Theme,
    /// Scale bar and north arrow inside the map frame.
    pub furniture: bool,
    /// Radius within which markers merge into a cluster, in pixels (0: never).
    pub cluster_px: f32,
    pub labels: bool,
    /// Whether incidents located only to an area show as area badges.
    pub area_markers: bool,
}

impl MapOptions {
    /// Everything visible as the catalog says, light theme, furniture on.
    pub fn for_data(data: &GeoData) -> Self {
        Self {
            layers: data
                .layers
                .iter()
                .map(|l| LayerState {
                    visible: l.spec.visible,
                    opacity: 1.0,
                })
                .collect(),
            selected: None,
            hovered: None,
            theme: Theme::LIGHT,
            furniture: true,
            cluster_px: 18.0,
            labels: true,
            area_markers: true,
        }
    }
}

/// A layer style as this theme draws it (the map, and the legend beside it).
pub fn themed(theme: Theme, kind: LayerKind, style: &Style) -> Style {
    let mut out = style.clone();
    out.fill = style.fill.map(|c| match kind {
        LayerKind::Polygon => theme.area(c),
        LayerKind::Line | LayerKind::Point => theme.ink(c),
    });
    out.stroke = style.stroke.map(|c| theme.ink(c));
    out
}

/// Vertices closer than this to the last one kept are dropped: at a coarse
/// zoom a detailed outline has many vertices to a pixel, which no one sees.
const SIMPLIFY_PX: f32 = 0.7;

/// How far, in pixels, a drawn line may pass from its data: what is left
/// after [`SIMPLIFY_PX`] is simplified by Ramer–Douglas–Peucker to this
/// tolerance (QGIS's on-the-fly simplification and Leaflet's default use a
/// whole pixel). A gentle river or border bend at the region's zoom keeps a
/// vertex every few pixels instead of every pixel: the window's map is drawn
/// with about a third of the triangles, which a software renderer pays for
/// triangle by triangle.
const SIMPLIFY_DP_PX: f32 = 0.5;

/// Projects a lon/lat line to pixels, leaving out vertices within
/// [`SIMPLIFY_PX`] of the last one kept (the last vertex always stays, so a
/// ring stays closed), then simplifies what is left to [`SIMPLIFY_DP_PX`].
fn px_line(scene: &Scene, line: &LineString<f64>) -> Vec<Pt> {
    use geo::Simplify;
    let kept = px_line_near(scene, line);
    if kept.len() <= 4 {
        return kept;
    }
    let ls: LineString<f32> = kept
        .iter()
        .map(|p| geo::coord! { x: p[0], y: p[1] })
        .collect();
    ls.simplify(SIMPLIFY_DP_PX)
        .0
        .into_iter()
        .map(|c| [c.x, c.y])
        .collect()
}

/// The first pass of [`px_line`]: one pass, the cost is the line's length.
fn px_line_near(scene: &Scene, line: &LineString<f64>) -> Vec<Pt> {
    let n = line.0.len();
    let mut out: Vec<Pt> = Vec::with_capacity(n.min(1024));
    for (k, c) in line.0.iter().enumerate() {
        let p = scene.px(c.x, c.y);
        if let Some(last) = out.last()
            && k + 1 < n
            && (p[0] - last[0]).abs() < SIMPLIFY_PX
            && (p[1] - last[1]).abs() < SIMPLIFY_PX
        {
            continue;
        }
        out.push(p);
    }
    out
}

fn px_rings(scene: &Scene, p: &Polygon<f64>) -> Vec<Vec<Pt>> {
    std::iter::once(p.exterior())
        .chain(p.interiors())
        .map(|r| px_line(scene, r))
        .collect()
}

/// Builds the map scene: layers (culled to the view), selection, markers, labels, furniture.
pub fn build_map(
    data: &GeoData,
    index: &SpatialIndex,
    prepared: &Prepared,
    camera: Camera,
    options: &MapOptions,
    markers: &[MarkerInput],
) -> Scene {
    let mut scene = Scene::new(camera, options.theme.background);
    let (a, b) = camera.visible_merc();
    let pad = 40.0 * camera.m_per_px();
    let visible = index.in_box([a.x - pad, a.y - pad], [b.x + pad, b.y + pad]);
    let mut label_candidates = Vec::new();
    // Point symbols are obstacles: no label may cover another place's symbol.
    let mut obstacles: Vec<[f32; 4]> = Vec::new();
    for (li, layer) in data.layers.iter().enumerate() {
        let state = options.layers.get(li).cloned().unwrap_or(LayerState {
            visible: true,
            opacity: 1.0,
        });
        if !state.visible || state.opacity <= 0.0 || camera.zoom < layer.spec.draw_min_zoom {
            continue;
        }
        for f in visible.iter().filter(|f| f.layer == li) {
            let feature = &layer.features[f.feature];
            let style = themed(
                options.theme,
                layer.spec.kind,
                layer.spec.style_for(feature),
            );
            scene.drawn.push(*f);
            if let Geometry::Point(p) = &feature.geometry {
                let [x, y] = scene.px(p.x(), p.y());
                let r = style.radius_px.unwrap_or(3.0) + 1.0;
                obstacles.push([x - r, y - r, x + r, y + r]);
            }
            add_feature(
                &mut scene,
                &feature.geometry,
                layer.spec.kind,
                &style,
                state.opacity,
                prepared.triangles[li][f.feature].clone(),
                feature.prop_str("kind"),
            );
            if options.labels
                && camera.zoom >= layer.spec.min_zoom
                && let (Some(field), Some(at)) =
                    (&layer.spec.label_field, prepared.label_at[li][f.feature])
                && let Some(text) = feature.prop_str(field)
            {
                label_candidates.extend(labels::Candidate::for_feature(
                    &layer.spec,
                    feature,
                    text,
                    scene.px_merc(at),
                    camera.zoom,
                ));
            }
        }
    }
    for (f, color, width) in [
        (options.hovered, options.theme.hover, 2.5),
        (options.selected, options.theme.selection, 3.0),
    ] {
        if let Some(f) = f
            && let Some(feature) = data
                .layers
                .get(f.layer)
                .and_then(|l| l.features.get(f.feature))
        {
            outline(&mut scene, &feature.geometry, Stroke::solid(width, color));
        }
    }
    let (areas, points): (Vec<MarkerInput>, Vec<MarkerInput>) =
        markers.iter().cloned().partition(|m| m.area.is_some());
    if options.area_markers {
        add_area_badges(&mut scene, &areas);
    }
    add_markers(&mut scene, &points, options.cluster_px);
    if options.labels {
        let reserved = if options.furniture {
            furniture::reserved_boxes(scene.size())
        } else {
            Vec::new()
        };
        labels::place(
            &mut scene,
            label_candidates,
            &obstacles,
            &reserved,
            options.theme,
        );
    }
    if options.furniture {
        let (bar, arrow) = furniture::positions(scene.size());
        furniture::scale_bar(&mut scene, bar, options.theme);
        furniture::north_arrow(&mut scene, arrow, 22.0, options.theme);
    }
    scene
}

fn add_feature(
    scene: &mut Scene,
    geometry: &Geometry<f64>,
    kind: LayerKind,
    style: &Style,
    opacity: f32,
    triangles: Option<Arc<Triangles>>,
    feature_kind: Option<&str>,
) {
    let stroke = style.stroke.map(|c| Stroke {
        width: style.stroke_width.max(0.5),
        color: c.faded(opacity),
        dash: style.dash,
    });
    match geometry {
        Geometry::Polygon(_) | Geometry::MultiPolygon(_) => {
            let polygons: Vec<&Polygon<f64>> = match geometry {
                Geometry::Polygon(p) => vec![p],
                Geometry::MultiPolygon(mp) => mp.0.iter().collect(),
                _ => Vec::new(),
            };
            let rings = polygons.iter().flat_map(|p| px_rings(scene, p)).collect();
            scene.shapes.push(Shape::Area {
                rings,
                triangles,
                fill: style.fill.map(|c| c.faded(opacity)),
                stroke,
            });
        }
        Geometry::LineString(l) => {
            if let Some(stroke) = stroke {
                let points = px_line(scene, l);
                scene.shapes.push(Shape::Line { points, stroke });
            }
        }
        Geometry::MultiLineString(ml) => {
            if let Some(stroke) = stroke {
                for l in &ml.0 {
                    let points = px_line(scene, l);
                    scene.shapes.push(Shape::Line { points, stroke });
                }
            }
        }
        Geometry::Point(p) if kind == LayerKind::Point => {
            let center = scene.px(p.x(), p.y());
            let fill = style.fill.unwrap_or(Rgba::BLACK).faded(opacity);
            let outline = Stroke::solid(
                style.stroke_width.max(0.5),
                style.stroke.unwrap_or(Rgba::WHITE).faded(opacity),
            );
            let (symbol, size) = point_symbol(feature_kind, style);
            push_symbol(scene, center, symbol, size, fill, outline);
        }
        _ => {}
    }
}

fn outline(scene: &mut Scene, geometry: &Geometry<f64>, stroke: Stroke) {
    match geometry {
        Geometry::Polygon(p) => {
            let rings = px_rings(scene, p);
            scene.shapes.push(Shape::Area {
                rings,
                triangles: None,
                fill: None,
                stroke: Some(stroke),
            });
        }
        Geometry::MultiPolygon(mp) => {
            let rings = mp.0.iter().flat_map(|p| px_rings(scene, p)).collect();
            scene.shapes.push(Shape::Area {
                rings,
                triangles: None,
                fill: None,
                stroke: Some(stroke),
            });
        }
        Geometry::LineString(l) => {
            let points = px_line(scene, l);
            scene.shapes.push(Shape::Line { points, stroke });
        }
        Geometry::MultiLineString(ml) => {
            for l in &ml.0 {
                let points = px_line(scene, l);
                scene.shapes.push(Shape::Line { points, stroke });
            }
        }
        Geometry::Point(p) => {
            let center = scene.px(p.x(), p.y());
            scene.shapes.push(Shape::Circle {
                center,
                radius: 9.0,
                fill: None,
                stroke: Some(stroke),
            });
        }
        _ => {}
    }
}

/// The symbol a point feature of this `kind` (capital, airbase, camp …) is
/// drawn with, and its size in pixels for the layer style. Sites are drawn
/// hollow in neutral colours by their layer styles (`layers.json`), so these
/// shapes never read as an incident's filled, coloured symbol.
pub fn point_symbol(kind: Option<&str>, style: &Style) -> (Symbol, f32) {
    let symbol = match kind {
        Some("airbase" | "airfield" | "base") => Symbol::Triangle,
        Some("camp") => Symbol::Diamond,
        Some("prison") => Symbol::Hexagon,
        Some("crossing") => Symbol::Cross,
        Some("terminal" | "refinery" | "oil_field" | "gas_field") => Symbol::Pentagon,
        Some("dam") => Symbol::InvertedTriangle,
        Some("bridge") => Symbol::Star,
        _ => Symbol::Circle,
    };
    let grow = if symbol == Symbol::Circle { 1.0 } else { 1.3 };
    (symbol, 2.0 * style.radius_px.unwrap_or(3.0) * grow)
}

/// The outline of a symbol of `size` pixels centred at `center`.
pub fn symbol_ring(symbol: Symbol, center: Pt, size: f32) -> Vec<Pt> {
    let r = size / 2.0;
    let polygon = |n: usize, radius: f32, start_deg: f32| -> Vec<Pt> {
        (0..n)
            .map(|i| {
                #[allow(clippy::cast_precision_loss)]
                let a = (start_deg + 360.0 * i as f32 / n as f32).to_radians();
                [center[0] + radius * a.cos(), center[1] + radius * a.sin()]
            })
            .collect()
    };
    match symbol {
        Symbol::Circle => polygon(20, r, 0.0),
        Symbol::Square => polygon(4, r * 1.25, 45.0),
        Symbol::Triangle => polygon(3, r * 1.3, -90.0),
        Symbol::InvertedTriangle => polygon(3, r * 1.3, 90.0),
        Symbol::Diamond => polygon(4, r * 1.3, 0.0),
        Symbol::Pentagon => polygon(5, r * 1.15, -90.0),
        Symbol::Hexagon => polygon(6, r * 1.1, 0.0),
        Symbol::Star => (0..10)
            .map(|i| {
                #[allow(clippy::cast_precision_loss)]
                let a = (-90.0 + 36.0 * i as f32).to_radians();
                let rr = if i % 2 == 0 { r * 1.4 } else { r * 0.6 };
                [center[0] + rr * a.cos(), center[1] + rr * a.sin()]
            })
            .collect(),
        Symbol::Cross => {
            let (a, b) = (r * 1.2, r * 0.4);
            let [x, y] = center;
            vec![
                [x - b, y - a],
                [x + b, y - a],
                [x + b, y - b],
                [x + a, y - b],
                [x + a, y + b],
                [x + b, y + b],
                [x + b, y + a],
                [x - b, y + a],
                [x - b, y + b],
                [x - a, y + b],
                [x - a, y - b],
                [x - b, y - b],
            ]
        }
    }
}

/// Adds a filled symbol with an outline.
pub fn push_symbol(
    scene: &mut Scene,
    center: Pt,
    symbol: Symbol,
    size: f32,
    fill: Rgba,
    outline: Stroke,
) {
    if symbol == Symbol::Circle {
        scene.shapes.push(Shape::Circle {
            center,
            radius: size / 2.0,
            fill: Some(fill),
            stroke: Some(outline),
        });
    } else {
        scene.shapes.push(Shape::Area {
            rings: vec![symbol_ring(symbol, center, size)],
            triangles: None,
            fill: Some(fill),
            stroke: Some(outline),
        });
    }
}

/// Draws markers, merging those closer than `cluster_px` into a counted cluster.
fn add_markers(scene: &mut Scene, markers: &[MarkerInput], cluster_px: f32) {
    let size = scene.size();
    let mut placed: Vec<(Pt, Vec<usize>)> = Vec::new();
    // A marker joins the first cluster placed within reach. Clusters are
    // kept in a grid of `cluster_px` cells over the screen (and its 20 px
    // margin), so only the nine cells around a marker are looked at.
    let cell = cluster_px.max(4.0);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let (cols, rows) = (
        ((size[0] + 40.0) / cell).ceil().max(1.0) as usize + 1,
        ((size[1] + 40.0) / cell).ceil().max(1.0) as usize + 1,
    );
    let mut grid: Vec<Vec<usize>> = vec![Vec::new(); cols * rows];
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let cell_of = |p: Pt| {
        (
            ((p[0] + 20.0) / cell) as usize,
            ((p[1] + 20.0) / cell) as usize,
        )
    };
    for (i, m) in markers.iter().enumerate() {
        let p = scene.px(m.lon, m.lat);
        if !(p[0] >= -20.0 && p[1] >= -20.0 && p[0] <= size[0] + 20.0 && p[1] <= size[1] + 20.0) {
            continue;
        }
        let (cx, cy) = cell_of(p);
        let mut near: Option<usize> = None;
        for y in cy.saturating_sub(1)..=(cy + 1).min(rows - 1) {
            for x in cx.saturating_sub(1)..=(cx + 1).min(cols - 1) {
                for &k in &grid[y * cols + x] {
                    let c = placed[k].0;
                    let (dx, dy) = (c[0] - p[0], c[1] - p[1]);
                    if dx * dx + dy * dy < cluster_px * cluster_px && near.is_none_or(|n| k < n) {
                        near = Some(k);
                    }
                }
            }
        }
        match near {
            Some(k) => placed[k].1.push(i),
            None => {
                grid[cy.min(rows - 1) * cols + cx.min(cols - 1)].push(placed.len());
                placed.push((p, vec![i]));
            }
        }
    }
    let marker_size = 13.0;
    for (center, members) in placed {
        if let [only] = members[..] {
            let m = &markers[only];
            let outline = if m.selected {
                Stroke::solid(3.0, Rgba::rgb(0x00, 0x7a, 0xff))
            } else {
                Stroke::solid(1.2, Rgba::WHITE)
            };
            push_symbol(scene, center, m.symbol, marker_size, m.color, outline);
            scene.hits.push(Hit {
                center,
                radius: marker_size * 0.7,
                ids: vec![m.id],
            });
        } else {
            #[allow(clippy::cast_precision_loss)]
            let radius = 9.0 + (members.len() as f32).sqrt() * 2.5;
            let any_selected = members.iter().any(|&i| markers[i].selected);
            scene.shapes.push(Shape::Circle {
                center,
                radius,
                fill: Some(Rgba([0x33, 0x33, 0x33, 0xdd])),
                stroke: Some(Stroke::solid(
                    if any_selected { 3.0 } else { 1.5 },
                    if any_selected {
                        Rgba::rgb(0x00, 0x7a, 0xff)
                    } else {
                        Rgba::WHITE
                    },
                )),
            });
            // The ring says what the cluster holds: one arc per incident
            // type (by its colour), as long as its share of the members.
            let mut shares: Vec<(Rgba, usize)> = Vec::new();
            for &i in &members {
                match shares.iter_mut().find(|(c, _)| *c == markers[i].color) {
                    Some((_, n)) => *n += 1,
                    None => shares.push((markers[i].color, 1)),
                }
            }
            shares.sort_by_key(|s| std::cmp::Reverse(s.1));
            #[allow(clippy::cast_precision_loss)]
            let total = members.len() as f32;
            let mut from = -std::f32::consts::FRAC_PI_2;
            for (color, n) in shares {
                #[allow(clippy::cast_precision_loss)]
                let sweep = std::f32::consts::TAU * n as f32 / total;
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let steps = ((sweep / 0.15).ceil() as usize).max(2);
                let points: Vec<Pt> = (0..=steps)
                    .map(|k| {
                        #[allow(clippy::cast_precision_loss)]
                        let a = from + sweep * k as f32 / steps as f32;
                        [
                            center[0] + (radius + 2.5) * a.cos(),
                            center[1] + (radius + 2.5) * a.sin(),
                        ]
                    })
                    .collect();
                scene.shapes.push(Shape::Line {
                    points,
                    stroke: Stroke::solid(4.0, color),
                });
                from += sweep;
            }
            scene.shapes.push(Shape::Text {
                pos: center,
                text: members.len().to_string(),
                size: 11.0,
                color: Rgba::WHITE,
                anchor: Anchor::Center,
                halo: None,
                bold: true,
            });
            scene.hits.push(Hit {
                center,
                radius,
                ids: members.iter().map(|&i| markers[i].id).collect(),
            });
        }
    }
}

/// Incidents located only to an area: one badge per area, a dashed pill
/// with the count and the area's name ("7 · Iraq"), unlike any point symbol.
fn add_area_badges(scene: &mut Scene, markers: &[MarkerInput]) {
    let size = scene.size();
    let mut groups: Vec<(String, Pt, Vec<usize>)> = Vec::new();
    for (i, m) in markers.iter().enumerate() {
        let Some(name) = &m.area else { continue };
        let p = scene.px(m.lon, m.lat);
        match groups.iter_mut().find(|(n, _, _)| n == name) {
            Some((_, _, members)) => members.push(i),
            None => groups.push((name.clone(), p, vec![i])),
        }
    }
    for (name, center, members) in groups {
        if center[0] < -60.0
            || center[1] < -20.0
            || center[0] > size[0] + 60.0
            || center[1] > size[1] + 20.0
        {
            continue;
        }
        let text = format!("{} · {name}", members.len());
        let text_size = 10.5;
        let half_w = font::text_width(&text, text_size) * 1.05 / 2.0 + 7.0;
        let half_h = 8.5;
        let selected = members.iter().any(|&i| markers[i].selected);
        let ring = pill(center, half_w, half_h);
        scene.shapes.push(Shape::Area {
            rings: vec![ring],
            triangles: None,
            fill: Some(Rgba([0xff, 0xff, 0xff, 0xe6])),
            stroke: Some(Stroke {
                width: if selected { 2.5 } else { 1.3 },
                color: if selected {
                    Rgba::rgb(0x00, 0x7a, 0xff)
                } else {
                    Rgba::rgb(0x55, 0x55, 0x55)
                },
                dash: Some([4.0, 2.5]),
            }),
        });
        scene.shapes.push(Shape::Text {
            pos: center,
            text,
            size: text_size,
            color: Rgba::rgb(0x33, 0x33, 0x33),
            anchor: Anchor::Center,
            halo: None,
            bold: true,
        });
        scene.hits.push(Hit {
            center,
            radius: half_h.max(half_w * 0.6),
            ids: members.iter().map(|&i| markers[i].id).collect(),
        });
    }
}

/// A rounded rectangle (semicircular ends) around `c`.
fn pill(c: Pt, half_w: f32, half_h: f32) -> Vec<Pt> {
    let r = half_h;
    let straight = (half_w - r).max(0.0);
    let mut out = Vec::new();
    for k in 0..=8 {
        #[allow(clippy::cast_precision_loss)]
        let a = -std::f32::consts::FRAC_PI_2 + std::f32::consts::PI * k as f32 / 8.0;
        out.push([c[0] + straight + r * a.cos(), c[1] + r * a.sin()]);
    }
    for k in 0..=8 {
        #[allow(clippy::cast_precision_loss)]
        let a = std::f32::consts::FRAC_PI_2 + std::f32::consts::PI * k as f32 / 8.0;
        out.push([c[0] - straight + r * a.cos(), c[1] + r * a.sin()]);
    }
    out
}

/// The lon/lat of a scene pixel.
pub fn geo_from_px(scene: &Scene, p: Pt) -> Option<(f64, f64)> {
    scene
        .camera
        .geo_from_screen([f64::from(p[0]), f64::from(p[1])])
}

/// How an incident type is drawn: a symbol and a colour, distinct by both so
/// the legend reads in grey print too.
pub fn event_style(event: crate::incidents::EventType) -> (Symbol, Rgba) {
    use crate::incidents::EventType as E;
    match event {
        E::Seizure => (Symbol::Star, Rgba::rgb(0xc6, 0x28, 0x28)),
        E::Clash => (Symbol::Cross, Rgba::rgb(0xe6, 0x51, 0x00)),
        E::Attack => (Symbol::Triangle, Rgba::rgb(0xb7, 0x1c, 0x1c)),
        E::Withdrawal => (Symbol::InvertedTriangle, Rgba::rgb(0x6d, 0x4c, 0x41)),
        E::Handover => (Symbol::Diamond, Rgba::rgb(0x5e, 0x35, 0xb1)),
        E::Deployment => (Symbol::Square, Rgba::rgb(0x28, 0x35, 0x93)),
        E::Agreement => (Symbol::Circle, Rgba::rgb(0x2e, 0x7d, 0x32)),
        E::Meeting => (Symbol::Hexagon, Rgba::rgb(0x00, 0x83, 0x8f)),
        E::Statement => (Symbol::Pentagon, Rgba::rgb(0x54, 0x6e, 0x7a)),
        E::Infrastructure => (Symbol::Square, Rgba::rgb(0x37, 0x47, 0x4f)),
        E::DetentionFacility => (Symbol::Diamond, Rgba::rgb(0xad, 0x14, 0x57)),
        E::Other => (Symbol::Circle, Rgba::rgb(0xf9, 0xa8, 0x25)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The pointer finds the same markers and clusters through the
        /// index as by looking at every one, overlapping discs of unlike
        /// sizes included.
        #[test]
        fn the_hit_index_finds_what_a_scan_finds(
            targets in proptest::collection::vec((0.0f32..400.0, 0.0f32..300.0, 1.0f32..30.0), 0..200),
            probes in proptest::collection::vec((-20.0f32..420.0, -20.0f32..320.0), 1..20),
        ) {
            let hits: Vec<Hit> = targets
                .iter()
                .enumerate()
                .map(|(k, &(x, y, r))| Hit { center: [x, y], radius: r, ids: vec![k] })
                .collect();
            let index = HitIndex::new(&hits);
            for (x, y) in probes {
                proptest::prop_assert_eq!(index.at(&hits, [x, y]), hits_at_linear(&hits, [x, y]));
            }
        }
    }

    fn setup() -> (GeoData, SpatialIndex, Prepared) {
        let data = GeoData::embedded();
        let index = SpatialIndex::new(&data);
        let prepared = Prepared::new(&data, &index);
        (data, index, prepared)
    }

    /// HSV saturation of a colour, 0 for greys and white.
    fn saturation(c: Rgba) -> f32 {
        let [r, g, b, _] = c.0.map(f32::from);
        let (max, min) = (r.max(g).max(b), r.min(g).min(b));
        if max == 0.0 { 0.0 } else { (max - min) / max }
    }

    /// WCAG contrast ratio of two opaque colours.
    fn contrast(a: Rgba, b: Rgba) -> f32 {
        let lum = |c: Rgba| {
            let [r, g, b] = [c.0[0], c.0[1], c.0[2]].map(|v| {
                let v = f32::from(v) / 255.0;
                if v <= 0.039_28 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            });
            0.2126 * r + 0.7152 * g + 0.0722 * b
        };
        let (x, y) = (lum(a), lum(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn labels_stay_legible_on_the_land_of_both_themes() {
        let data = GeoData::embedded();
        let countries = data.layer("countries").expect("countries");
        let lands = [
            countries.spec.style.fill.expect("land fill"),
            countries
                .spec
                .focus_style
                .as_ref()
                .and_then(|s| s.fill)
                .expect("focus fill"),
        ];
        for theme in [Theme::LIGHT, Theme::DARK] {
            for land in lands.map(|c| theme.area(c)) {
                let main = contrast(theme.label, land);
                assert!(
                    main >= 7.0,
                    "place labels {main:.1}:1 on {land:?} (dark: {})",
                    theme.dark
                );
                // Country, governorate, river and line labels (scene/labels.rs).
                for ink in [
                    Rgba::rgb(0x55, 0x55, 0x55),
                    Rgba::rgb(0x8a, 0x3b, 0x00),
                    Rgba::rgb(0x6a, 0x6a, 0x6a),
                    Rgba::rgb(0x1f, 0x5f, 0x9f),
                    Rgba::rgb(0x30, 0x30, 0x30),
                ] {
                    let c = contrast(theme.ink(ink), land);
                    assert!(
                        c >= 3.0,
                        "{ink:?} labels {c:.1}:1 on {land:?} (dark: {})",
                        theme.dark
                    );
                }
            }
            // Water stays apart from land: the sea and the lakes are darker in
            // the dark theme, as they are bluer in the light one.
            let lake = data
                .layer("lakes")
                .and_then(|l| l.spec.style.fill)
                .expect("lake fill");
            assert_ne!(theme.area(lake), theme.area(lands[0]));
        }
    }

    #[test]
    fn site_symbols_never_look_like_incident_symbols() {
        let data = GeoData::embedded();
        let incidents: Vec<(crate::incidents::EventType, Symbol, Rgba)> =
            crate::incidents::EventType::ALL
                .into_iter()
                .map(|t| {
                    let (symbol, color) = event_style(t);
                    (t, symbol, color)
                })
                .collect();
        for (t, _, color) in &incidents {
            assert!(
                saturation(*color) > 0.25,
                "{t:?} is drawn in a grey: {color:?}"
            );
        }
        let mut sites = 0;
        for layer in data
            .layers
            .iter()
            .filter(|l| l.spec.kind == LayerKind::Point)
        {
            let styles = layer.spec.kind_style.iter().flatten();
            for (kind, style) in styles.chain([(&String::new(), &layer.spec.style)]) {
                if style.radius_px.unwrap_or(3.0) <= 0.0 {
                    continue;
                }
                sites += 1;
                let (symbol, _) = point_symbol(Some(kind), style);
                let fill = style.fill.unwrap_or(Rgba::BLACK);
                for colour in [Some(fill), style.stroke].into_iter().flatten() {
                    assert!(
                        colour.0[3] == 0 || saturation(colour) < 0.15,
                        "{} {kind}: {colour:?} is not a neutral colour",
                        layer.spec.id
                    );
                }
                for (t, s, c) in &incidents {
                    assert!(
                        !(*s == symbol && *c == fill),
                        "{} {kind} is drawn as {t:?} is",
                        layer.spec.id
                    );
                }
                if symbol != Symbol::Circle {
                    // A site with a shape of its own is hollow: white inside.
                    assert_eq!(fill, Rgba::WHITE, "{} {kind} is not hollow", layer.spec.id);
                }
            }
        }
        assert!(sites >= 10, "only {sites} site styles looked at");
    }

    #[test]
    fn tessellation_covers_polygon_area() {
        use geo::Area;
        let (data, index, prepared) = setup();
        let li = data
            .layers
            .iter()
            .position(|l| l.spec.id == "governorates")
            .expect("layer");
        for (fi, _) in data.layers[li].features.iter().enumerate() {
            let g = index.merc(FeatureRef {
                layer: li,
                feature: fi,
            });
            let tris = prepared.triangles[li][fi].as_ref().expect("tessellated");
            let area: f64 = tris
                .indices
                .chunks_exact(3)
                .map(|t| {
                    let [a, b, c] = [0, 1, 2].map(|k| tris.vertices[t[k] as usize]);
                    ((b.x - a.x) * (c.y - a.y) - (c.x - a.x) * (b.y - a.y)).abs() / 2.0
                })
                .sum();
            let want = g.unsigned_area();
            assert!(
                (area - want).abs() / want < 1e-6,
                "feature {fi}: {area} vs {want}"
            );
        }
    }

    #[test]
    fn default_view_has_country_and_site_labels_without_overlap() {
        let (data, index, prepared) = setup();
        let camera = Camera::default().with_size(1400.0, 900.0);
        let scene = build_map(
            &data,
            &index,
            &prepared,
            camera,
            &MapOptions::for_data(&data),
            &[],
        );
        let texts = scene.texts();
        assert!(
            texts.contains(&"IRAQ") || texts.contains(&"Iraq"),
            "{texts:?}"
        );
        assert!(texts.iter().any(|t| t.contains("Baghdad")), "{texts:?}");
        let boxes: Vec<[f32; 4]> = scene
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Text {
                    pos,
                    text,
                    size,
                    anchor,
                    halo: Some(_),
                    ..
                } => Some(labels::text_box(*pos, text, *size, *anchor)),
                _ => None,
            })
            .collect();
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                assert!(
                    !labels::overlaps(*a, *b, 0.0),
                    "labels overlap: {a:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn more_labels_when_zoomed_in() {
        let (data, index, prepared) = setup();
        let wide = Camera::default().with_size(1200.0, 800.0);
        let close = wide.zoomed_at(2.0, [600.0, 400.0]);
        let count = |c: Camera| {
            let s = build_map(
                &data,
                &index,
                &prepared,
                c,
                &MapOptions::for_data(&data),
                &[],
            );
            s.texts().len()
        };
        let close_scene = build_map(
            &data,
            &index,
            &prepared,
            close,
            &MapOptions::for_data(&data),
            &[],
        );
        let _ = close_scene;
        // Zoomed in on the middle, the view shows a quarter of the region but
        // town labels appear that the wide view drops.
        assert!(count(close) > 0 && count(wide) > 0);
        let wide_scene = build_map(
            &data,
            &index,
            &prepared,
            wide,
            &MapOptions::for_data(&data),
            &[],
        );
        let close_texts = build_map(
            &data,
            &index,
            &prepared,
            close,
            &MapOptions::for_data(&data),
            &[],
        );
        let new_in_close = close_texts
            .texts()
            .into_iter()
            .filter(|t| !wide_scene.texts().contains(t))
            .count();
        assert!(new_in_close > 0, "zooming in revealed no new labels");
    }

    #[test]
    fn hidden_layer_draws_nothing() {
        let (data, index, prepared) = setup();
        let camera = Camera::default();
        let mut options = MapOptions::for_data(&data);
        options.labels = false;
        options.furniture = false;
        let all = build_map(&data, &index, &prepared, camera, &options, &[])
            .shapes
            .len();
        let li = data
            .layers
            .iter()
            .position(|l| l.spec.id == "rivers")
            .expect("layer");
        options.layers[li].visible = false;
        let fewer = build_map(&data, &index, &prepared, camera, &options, &[])
            .shapes
            .len();
        assert!(fewer < all);
    }

    #[test]
    fn close_markers_cluster_with_a_count() {
        let (data, index, prepared) = setup();
        let camera = Camera::default();
        let mut options = MapOptions::for_data(&data);
        options.labels = false;
        options.furniture = false;
        let marker = |id, lon, lat| MarkerInput {
            id,
            lon,
            lat,
            symbol: Symbol::Star,
            color: Rgba::rgb(200, 0, 0),
            selected: false,
            area: None,
        };
        let markers = [
            marker(1, 40.90, 34.45),
            marker(2, 40.91, 34.46),
            marker(3, 44.4, 33.3),
        ];
        let scene = build_map(&data, &index, &prepared, camera, &options, &markers);
        assert_eq!(scene.hits.len(), 2);
        assert!(scene.hits.iter().any(|h| h.ids == vec![1, 2]));
        assert!(scene.texts().contains(&"2"));
    }

    #[test]
    fn clusters_found_by_grid_are_those_every_cluster_tried_would_give() {
        let (data, index, prepared) = setup();
        let camera = Camera::default();
        let mut options = MapOptions::for_data(&data);
        options.labels = false;
        options.furniture = false;
        let mut rng = crate::stress::Rng::new(11);
        let markers: Vec<MarkerInput> = (0..3_000)
            .map(|id| MarkerInput {
                id,
                lon: 30.0 + rng.below(2_200) as f64 / 100.0,
                lat: 27.0 + rng.below(1_400) as f64 / 100.0,
                symbol: Symbol::Circle,
                color: Rgba::rgb(0, 0, 0),
                selected: false,
                area: None,
            })
            .collect();
        let scene = build_map(&data, &index, &prepared, camera, &options, &markers);
        // Every marker in turn joins the first cluster within reach.
        let size = scene.size();
        let reach = options.cluster_px;
        let mut tried: Vec<(Pt, Vec<usize>)> = Vec::new();
        for m in &markers {
            let p = scene.px(m.lon, m.lat);
            if p[0] < -20.0 || p[1] < -20.0 || p[0] > size[0] + 20.0 || p[1] > size[1] + 20.0 {
                continue;
            }
            match tried.iter_mut().find(|(c, _)| {
                let (dx, dy) = (c[0] - p[0], c[1] - p[1]);
                dx * dx + dy * dy < reach * reach
            }) {
                Some((_, ids)) => ids.push(m.id),
                None => tried.push((p, vec![m.id])),
            }
        }
        let got: Vec<Vec<usize>> = scene.hits.iter().map(|h| h.ids.clone()).collect();
        let want: Vec<Vec<usize>> = tried.into_iter().map(|(_, ids)| ids).collect();
        assert!(want.len() > 50 && want.iter().any(|c| c.len() > 1));
        assert_eq!(got, want);
    }
}

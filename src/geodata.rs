//! Geodata: the layer catalog and its GeoJSON layers turned into `geo` types,
//! with validation that reports each bad feature (file, index, reason) and skips it.
//! Also derives the Iraq–Syria border as the shared edge of the two country polygons.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use geo::{Coord, Geometry, LineString, MultiLineString, Polygon};
use serde::Deserialize;

/// The layer files shipped in `geodata/`, embedded as the default data set.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("layers.json", include_str!("../geodata/layers.json")),
    (
        "countries.geojson",
        include_str!("../geodata/countries.geojson"),
    ),
    (
        "governorates.geojson",
        include_str!("../geodata/governorates.geojson"),
    ),
    ("rivers.geojson", include_str!("../geodata/rivers.geojson")),
    (
        "pipelines.geojson",
        include_str!("../geodata/pipelines.geojson"),
    ),
    ("places.geojson", include_str!("../geodata/places.geojson")),
    ("lakes.geojson", include_str!("../geodata/lakes.geojson")),
    (
        "gazetteer.geojson",
        include_str!("../geodata/gazetteer.geojson"),
    ),
];

/// The text of one embedded data file, by name (e.g. `places.geojson`).
pub fn embedded_file(name: &str) -> Option<&'static str> {
    EMBEDDED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// The attribution text shipped with the data.
pub const ATTRIBUTION_MD: &str = include_str!("../geodata/ATTRIBUTION.md");

/// Where a data set came from: the embedded default or a folder on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataSource {
    Embedded,
    Dir(PathBuf),
}

impl DataSource {
    /// The folder given on the command line, or the embedded default.
    pub fn of(dir: Option<&Path>) -> Self {
        dir.map_or(Self::Embedded, |d| Self::Dir(d.to_owned()))
    }
}

impl std::fmt::Display for DataSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Embedded => write!(f, "embedded default data"),
            Self::Dir(dir) => write!(f, "{}", dir.display()),
        }
    }
}

/// A problem found while loading: which file, which feature (if any), and what is wrong.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{file}{}: {reason}", feature.map(|i| format!(", feature {i}")).unwrap_or_default())]
pub struct DataError {
    pub file: String,
    pub feature: Option<usize>,
    pub reason: String,
}

impl DataError {
    fn file(file: &str, reason: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            feature: None,
            reason: reason.into(),
        }
    }
}

/// An RGBA colour, parsed from `#rrggbb` or `#rrggbbaa`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rgba(pub [u8; 4]);

impl Rgba {
    pub const BLACK: Self = Self([0, 0, 0, 255]);
    pub const WHITE: Self = Self([255, 255, 255, 255]);
    pub const TRANSPARENT: Self = Self([0, 0, 0, 0]);

    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Self([r, g, b, 255])
    }

    /// Parses `#rrggbb` or `#rrggbbaa`.
    pub fn parse(text: &str) -> Option<Self> {
        let hex = text.strip_prefix('#')?;
        if !(hex.len() == 6 || hex.len() == 8) || !hex.is_ascii() {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        let alpha = if hex.len() == 8 { byte(6)? } else { 255 };
        Some(Self([byte(0)?, byte(2)?, byte(4)?, alpha]))
    }

    /// The same colour with its alpha multiplied by `factor` (0..=1).
    #[must_use]
    pub fn faded(self, factor: f32) -> Self {
        let [r, g, b, a] = self.0;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let a = (f32::from(a) * factor.clamp(0.0, 1.0)).round() as u8;
        Self([r, g, b, a])
    }

    /// `#rrggbb` (alpha dropped), for SVG.
    pub fn hex_rgb(self) -> String {
        let [r, g, b, _] = self.0;
        format!("#{r:02x}{g:02x}{b:02x}")
    }

    pub fn alpha_f32(self) -> f32 {
        f32::from(self.0[3]) / 255.0
    }
}

impl<'de> Deserialize<'de> for Rgba {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not a colour: {text:?}")))
    }
}

/// How a layer is drawn.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct Style {
    pub fill: Option<Rgba>,
    pub stroke: Option<Rgba>,
    pub stroke_width: f32,
    pub dash: Option<[f32; 2]>,
    /// Marker radius for point layers.
    pub radius_px: Option<f32>,
}

/// The geometry kind a layer holds.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LayerKind {
    Polygon,
    Line,
    Point,
}

/// A layer computed from other layers rather than read from a file.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Derived {
    /// The shared edge of two countries, by ISO 3166-1 alpha-3 code.
    pub shared_edge: [String; 2],
}

/// One entry of the layer catalog (`layers.json`).
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct LayerSpec {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub file: Option<String>,
    pub kind: LayerKind,
    #[serde(default)]
    pub draw_order: i32,
    #[serde(default)]
    pub label_field: Option<String>,
    #[serde(default)]
    pub min_zoom: f64,
    /// The zoom from which the layer's features are drawn at all (labels
    /// follow `min_zoom`): dense layers such as villages stay off the
    /// regional view.
    #[serde(default)]
    pub draw_min_zoom: f64,
    #[serde(default)]
    pub style: Style,
    #[serde(default)]
    pub focus_style: Option<Style>,
    /// Style per value of the feature's `status` property (pipelines: shut / operating).
    #[serde(default)]
    pub status_style: Option<std::collections::BTreeMap<String, Style>>,
    /// Style per value of the feature's `kind` property (places: city, airbase, camp …).
    #[serde(default)]
    pub kind_style: Option<std::collections::BTreeMap<String, Style>>,
    /// For point layers: the zoom from which labels of each `rank` show.
    #[serde(default)]
    pub label_min_zoom_by_rank: std::collections::BTreeMap<String, f64>,
    #[serde(default)]
    pub attribution: String,
    #[serde(default = "yes")]
    pub visible: bool,
    #[serde(default)]
    pub derived: Option<Derived>,
}

fn yes() -> bool {
    true
}

impl LayerSpec {
    /// The style a feature is drawn with: by status, by kind, then focus, then the layer's.
    pub fn style_for(&self, feature: &Feature) -> &Style {
        for (styles, key) in [(&self.status_style, "status"), (&self.kind_style, "kind")] {
            if let (Some(styles), Some(value)) = (styles, feature.prop_str(key))
                && let Some(style) = styles.get(value)
            {
                return style;
            }
        }
        match &self.focus_style {
            Some(style) if feature.is_focus() => style,
            _ => &self.style,
        }
    }
}

/// One feature of a layer, with its geometry in lon/lat (WGS84).
#[derive(Clone, Debug)]
pub struct Feature {
    /// Stable id: the `id` property, or `layer:index`.
    pub id: String,
    pub name: Option<String>,
    pub geometry: Geometry<f64>,
    pub properties: serde_json::Map<String, serde_json::Value>,
}

impl Feature {
    /// A string property, if present.
    pub fn prop_str(&self, key: &str) -> Option<&str> {
        self.properties.get(key).and_then(serde_json::Value::as_str)
    }

    /// True when the feature is marked as a focus area (Al-Anbar, Deir ez-Zor).
    pub fn is_focus(&self) -> bool {
        self.properties
            .get("focus")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false)
    }
}

/// A loaded layer: its catalog entry and its valid features.
#[derive(Clone, Debug)]
pub struct Layer {
    pub spec: LayerSpec,
    pub features: Vec<Feature>,
}

/// The whole data set: layers in draw order, plus the problems met while loading.
#[derive(Clone, Debug)]
pub struct GeoData {
    pub source: DataSource,
    pub layers: Vec<Layer>,
    pub errors: Vec<DataError>,
}

/// Reads files from the embedded set or a folder.
trait FileReader {
    fn read(&self, name: &str) -> Result<String, String>;
}

struct EmbeddedReader;

impl FileReader for EmbeddedReader {
    fn read(&self, name: &str) -> Result<String, String> {
        EMBEDDED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, text)| (*text).to_owned())
            .ok_or_else(|| "no such file in the embedded data".to_owned())
    }
}

struct DirReader<'a>(&'a Path);

impl FileReader for DirReader<'_> {
    fn read(&self, name: &str) -> Result<String, String> {
        // A catalog names files inside its folder only: no "/etc/passwd", no "../x".
        let relative = Path::new(name);
        if relative.is_absolute()
            || relative
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            return Err(format!(
                "{name:?} is outside the data folder; a catalog names files inside it"
            ));
        }
        let path = self.0.join(relative);
        let limit = if name == "layers.json" {
            crate::input::MAX_SIDE_FILE_BYTES
        } else {
            crate::input::MAX_LAYER_BYTES
        };
        crate::input::read_text_limited(&path, limit).map_err(|e| e.reason())
    }
}

impl GeoData {
    /// The data embedded in the binary.
    pub fn embedded() -> Self {
        Self::load_with(&EmbeddedReader, DataSource::Embedded)
    }

    /// The data `source` names.
    pub fn load(source: &DataSource) -> Self {
        match source {
            DataSource::Embedded => Self::embedded(),
            DataSource::Dir(dir) => Self::from_dir(dir),
        }
    }

    /// The data in `dir` (a `layers.json` and the files it names).
    pub fn from_dir(dir: &Path) -> Self {
        Self::load_with(&DirReader(dir), DataSource::Dir(dir.to_owned()))
    }

    fn load_with(reader: &dyn FileReader, source: DataSource) -> Self {
        let mut errors = Vec::new();
        let specs: Vec<LayerSpec> = match reader.read("layers.json") {
            Ok(text) => match serde_json::from_str(&text) {
                Ok(specs) => specs,
                Err(e) => {
                    errors.push(DataError::file(
                        "layers.json",
                        format!("invalid catalog: {e}"),
                    ));
                    Vec::new()
                }
            },
            Err(e) => {
                errors.push(DataError::file("layers.json", e));
                Vec::new()
            }
        };
        let mut layers: Vec<Layer> = Vec::new();
        for spec in specs {
            if layers.iter().any(|l| l.spec.id == spec.id) {
                errors.push(DataError::file(
                    "layers.json",
                    format!(
                        "layer id {:?} is used twice; the second is skipped",
                        spec.id
                    ),
                ));
                continue;
            }
            let features = match (&spec.file, &spec.derived) {
                (Some(file), _) => match reader.read(file) {
                    Ok(text) => parse_features(file, &spec.id, &text, &mut errors),
                    Err(e) => {
                        errors.push(DataError::file(file, e));
                        Vec::new()
                    }
                },
                (None, Some(_)) => Vec::new(), // filled in below, once all files are read
                (None, None) => {
                    errors.push(DataError::file(
                        "layers.json",
                        format!("layer {:?} has neither a file nor a derivation", spec.id),
                    ));
                    Vec::new()
                }
            };
            layers.push(Layer { spec, features });
        }
        let derived: Vec<(usize, Derived)> = layers
            .iter()
            .enumerate()
            .filter_map(|(i, l)| l.spec.derived.clone().map(|d| (i, d)))
            .collect();
        for (index, derivation) in derived {
            let [a, b] = &derivation.shared_edge;
            let country = |code: &str| {
                layers
                    .iter()
                    .flat_map(|l| &l.features)
                    .find(|f| f.prop_str("iso_a3") == Some(code))
                    .cloned()
            };
            match (country(a), country(b)) {
                (Some(fa), Some(fb)) => {
                    let edge = shared_edge(&fa.geometry, &fb.geometry);
                    if edge.0.is_empty() {
                        errors.push(DataError::file(
                            "layers.json",
                            format!("{a} and {b} share no edge"),
                        ));
                    } else {
                        let name = format!(
                            "{}–{} border",
                            fa.name.as_deref().unwrap_or(a),
                            fb.name.as_deref().unwrap_or(b)
                        );
                        let mut properties = serde_json::Map::new();
                        properties.insert("name".into(), name.clone().into());
                        properties.insert("kind".into(), "border".into());
                        properties.insert(
                            "source".into(),
                            "derived: shared edge of the two country polygons".into(),
                        );
                        layers[index].features.push(Feature {
                            id: format!("border:{}-{}", a.to_lowercase(), b.to_lowercase()),
                            name: Some(name),
                            geometry: Geometry::MultiLineString(edge),
                            properties,
                        });
                    }
                }
                _ => errors.push(DataError::file(
                    "layers.json",
                    format!("cannot derive the {a}–{b} border: country missing"),
                )),
            }
        }
        layers.sort_by_key(|l| l.spec.draw_order);
        Self {
            source,
            layers,
            errors,
        }
    }

    /// The layer with this id.
    pub fn layer(&self, id: &str) -> Option<&Layer> {
        self.layers.iter().find(|l| l.spec.id == id)
    }

    /// The first feature named `name` (case-insensitive) in any layer.
    pub fn feature_named(&self, name: &str) -> Option<(&Layer, &Feature)> {
        let wanted = name.to_lowercase();
        let alias_match = |f: &Feature| {
            f.properties
                .get("aliases")
                .and_then(serde_json::Value::as_array)
                .is_some_and(|a| {
                    a.iter()
                        .filter_map(serde_json::Value::as_str)
                        .any(|s| s.to_lowercase() == wanted)
                })
        };
        for pass in 0..2 {
            for layer in &self.layers {
                for feature in &layer.features {
                    let by_name =
                        feature.name.as_deref().map(str::to_lowercase) == Some(wanted.clone());
                    if (pass == 0 && by_name) || (pass == 1 && alias_match(feature)) {
                        return Some((layer, feature));
                    }
                }
            }
        }
        None
    }

    /// The derived Iraq–Syria border, if the data has it.
    pub fn border(&self) -> Option<&Feature> {
        self.layers
            .iter()
            .filter(|l| l.spec.derived.is_some())
            .flat_map(|l| &l.features)
            .next()
    }

    /// Number of features per layer id, in draw order.
    pub fn counts(&self) -> Vec<(String, usize)> {
        self.layers
            .iter()
            .map(|l| (l.spec.id.clone(), l.features.len()))
            .collect()
    }
}

/// Parses one GeoJSON file into features, validating each one; bad ones go to `errors`.
pub fn parse_features(
    file: &str,
    layer_id: &str,
    text: &str,
    errors: &mut Vec<DataError>,
) -> Vec<Feature> {
    let geojson: geojson::GeoJson = match text.parse() {
        Ok(g) => g,
        Err(e) => {
            errors.push(DataError::file(file, format!("not valid GeoJSON: {e}")));
            return Vec::new();
        }
    };
    let geojson::GeoJson::FeatureCollection(collection) = geojson else {
        errors.push(DataError::file(file, "expected a FeatureCollection"));
        return Vec::new();
    };
    let mut features = Vec::new();
    for (index, feature) in collection.features.into_iter().enumerate() {
        let bad = |reason: String| DataError {
            file: file.to_owned(),
            feature: Some(index),
            reason,
        };
        let Some(geometry) = feature.geometry.as_ref() else {
            errors.push(bad("no geometry".into()));
            continue;
        };
        if let Some(why) = empty_multi(&geometry.value) {
            errors.push(bad(format!("{why}: skipped")));
            continue;
        }
        // geo closes rings itself; say so, since the file is not what it meant.
        if let Some(ring) = unclosed_ring(&geometry.value) {
            errors.push(bad(format!(
                "polygon ring {ring} is not closed; repaired by repeating its first position"
            )));
        }
        let geometry: Geometry<f64> = match Geometry::try_from(geometry.value.clone()) {
            Ok(g) => g,
            Err(e) => {
                errors.push(bad(format!("unusable geometry: {e}")));
                continue;
            }
        };
        if let Err(reason) = validate_geometry(&geometry) {
            errors.push(bad(reason));
            continue;
        }
        if let Some(reason) = self_intersection(&geometry) {
            errors.push(bad(format!("{reason}: skipped")));
            continue;
        }
        let properties = feature.properties.clone().unwrap_or_default();
        let name = properties
            .get("name")
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned);
        let id = properties
            .get("id")
            .and_then(serde_json::Value::as_str)
            .map_or_else(|| format!("{layer_id}:{index}"), str::to_owned);
        features.push(Feature {
            id,
            name,
            geometry,
            properties,
        });
    }
    if let Some(reason) = swapped_order(&features) {
        errors.push(DataError::file(file, format!("{reason}: layer skipped")));
        return Vec::new();
    }
    features
}

/// "empty MultiPolygon" and the like: a feature with nothing to draw.
fn empty_multi(value: &geojson::GeometryValue) -> Option<&'static str> {
    match value {
        geojson::GeometryValue::MultiPolygon { coordinates: p } if p.is_empty() => {
            Some("empty MultiPolygon")
        }
        geojson::GeometryValue::MultiLineString { coordinates: l } if l.is_empty() => {
            Some("empty MultiLineString")
        }
        geojson::GeometryValue::MultiPoint { coordinates: p } if p.is_empty() => {
            Some("empty MultiPoint")
        }
        geojson::GeometryValue::LineString { coordinates: l } if l.is_empty() => {
            Some("empty LineString")
        }
        geojson::GeometryValue::Polygon { coordinates: r } if r.is_empty() => Some("empty Polygon"),
        _ => None,
    }
}

/// The index of the first ring whose last position is not its first.
fn unclosed_ring(value: &geojson::GeometryValue) -> Option<usize> {
    let rings: Vec<&Vec<geojson::Position>> = match value {
        geojson::GeometryValue::Polygon { coordinates: rings } => rings.iter().collect(),
        geojson::GeometryValue::MultiPolygon { coordinates: polys } => {
            polys.iter().flatten().collect()
        }
        _ => return None,
    };
    rings
        .iter()
        .position(|r| r.len() >= 3 && r.first() != r.last())
}

/// A polygon whose boundary crosses itself (fills and areas would be wrong).
fn self_intersection(geometry: &Geometry<f64>) -> Option<String> {
    use geo::algorithm::Validation;
    let polygons: Vec<&Polygon<f64>> = match geometry {
        Geometry::Polygon(p) => vec![p],
        Geometry::MultiPolygon(mp) => mp.0.iter().collect(),
        _ => return None,
    };
    polygons.iter().find_map(|p| {
        p.validation_errors()
            .into_iter()
            .find(|e| {
                matches!(
                    e,
                    geo::algorithm::validation::InvalidPolygon::SelfIntersection(_)
                )
            })
            .map(|e| format!("invalid polygon: {e}"))
    })
}

/// A layer all of whose positions lie outside the region, but inside it with
/// longitude and latitude swapped, was written [lat, lon].
fn swapped_order(features: &[Feature]) -> Option<String> {
    use geo::CoordsIter;
    let ([x0, y0], [x1, y1]) = crate::camera::REGION;
    let inside =
        |x: f64, y: f64| (x0 - 1.0..=x1 + 1.0).contains(&x) && (y0 - 1.0..=y1 + 1.0).contains(&y);
    let (mut total, mut direct, mut swapped) = (0usize, 0usize, 0usize);
    for c in features.iter().flat_map(|f| f.geometry.coords_iter()) {
        total += 1;
        direct += usize::from(inside(c.x, c.y));
        swapped += usize::from(inside(c.y, c.x));
    }
    (total > 0 && direct == 0 && swapped * 10 >= total * 9).then(|| {
        "every position lies outside the region but inside it with longitude and latitude \
         swapped: the file looks like [lat, lon]; GeoJSON is [lon, lat] (RFC 7946)"
            .to_owned()
    })
}

/// Checks coordinates are finite and in range (lon −180..180, lat −90..90) and rings are usable.
pub fn validate_geometry(geometry: &Geometry<f64>) -> Result<(), String> {
    use geo::CoordsIter;
    for c in geometry.coords_iter() {
        if !c.x.is_finite() || !c.y.is_finite() {
            return Err("coordinate is not a finite number".into());
        }
        if !(-180.0..=180.0).contains(&c.x) || !(-90.0..=90.0).contains(&c.y) {
            return Err(format!(
                "coordinate out of range: [{}, {}] (GeoJSON order is [lon, lat])",
                c.x, c.y
            ));
        }
    }
    let check_polygon = |p: &Polygon<f64>| -> Result<(), String> {
        for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
            if ring.0.len() < 4 {
                return Err(format!(
                    "polygon ring has {} positions; at least 4 are needed",
                    ring.0.len()
                ));
            }
        }
        Ok(())
    };
    match geometry {
        Geometry::Polygon(p) => check_polygon(p),
        Geometry::MultiPolygon(mp) => mp.0.iter().try_for_each(check_polygon),
        Geometry::LineString(l) if l.0.len() < 2 => Err("line has fewer than 2 positions".into()),
        Geometry::MultiLineString(ml) if ml.0.iter().any(|l| l.0.len() < 2) => {
            Err("line has fewer than 2 positions".into())
        }
        Geometry::GeometryCollection(_) => Err("geometry collections are not supported".into()),
        _ => Ok(()),
    }
}

/// The exterior rings of a polygonal geometry.
fn exterior_rings(geometry: &Geometry<f64>) -> Vec<&LineString<f64>> {
    match geometry {
        Geometry::Polygon(p) => vec![p.exterior()],
        Geometry::MultiPolygon(mp) => mp.0.iter().map(Polygon::exterior).collect(),
        _ => Vec::new(),
    }
}

fn key(c: Coord<f64>) -> (i64, i64) {
    #[allow(clippy::cast_possible_truncation)]
    let k = |v: f64| (v * 1e6).round() as i64;
    (k(c.x), k(c.y))
}

/// The edge two polygonal geometries share: every segment whose two ends are
/// consecutive vertices of both, joined into maximal lines.
pub fn shared_edge(a: &Geometry<f64>, b: &Geometry<f64>) -> MultiLineString<f64> {
    let mut b_segments: HashSet<((i64, i64), (i64, i64))> = HashSet::new();
    for ring in exterior_rings(b) {
        for w in ring.0.windows(2) {
            let (p, q) = (key(w[0]), key(w[1]));
            b_segments.insert((p, q));
            b_segments.insert((q, p));
        }
    }
    let mut lines: Vec<LineString<f64>> = Vec::new();
    for ring in exterior_rings(a) {
        let n = ring.0.len();
        if n < 2 {
            continue;
        }
        let shared: Vec<bool> = ring
            .0
            .windows(2)
            .map(|w| b_segments.contains(&(key(w[0]), key(w[1]))))
            .collect();
        // Start the walk at a segment that is not shared, so a run crossing the
        // ring's closing point is not split in two.
        let start = shared.iter().position(|s| !s).unwrap_or(0);
        let segments = shared.len();
        let mut current: Vec<Coord<f64>> = Vec::new();
        for step in 0..segments {
            let i = (start + step) % segments;
            if shared[i] {
                if current.is_empty() {
                    current.push(ring.0[i]);
                }
                current.push(ring.0[i + 1]);
            } else if current.len() >= 2 {
                lines.push(LineString::new(std::mem::take(&mut current)));
            } else {
                current.clear();
            }
        }
        if current.len() >= 2 {
            lines.push(LineString::new(current));
        }
    }
    MultiLineString::new(lines)
}

/// What the inspector says about a feature: (label, value) pairs, in reading order.
pub fn facts(layer: &LayerSpec, feature: &Feature) -> Vec<(String, String)> {
    use geo::{GeodesicArea, Length};
    let mut out: Vec<(String, String)> = Vec::new();
    let mut push = |k: &str, v: String| out.push((k.to_owned(), v));
    let kind = feature
        .prop_str("kind")
        .map_or_else(|| layer.name.clone(), str::to_owned);
    push("Kind", kind.replace('_', " "));
    for (key, label) in [
        ("country", "Country"),
        ("admin1", "Governorate"),
        ("iso_3166_2", "ISO 3166-2"),
        ("iso_a3", "ISO code"),
    ] {
        if let Some(v) = feature.prop_str(key) {
            push(label, v.to_owned());
        }
    }
    if let Some(p) = feature
        .properties
        .get("population")
        .and_then(serde_json::Value::as_u64)
    {
        push("Population", group_thousands(p));
    }
    match &feature.geometry {
        Geometry::Polygon(_) | Geometry::MultiPolygon(_) => {
            let km2 = feature.geometry.geodesic_area_unsigned() / 1e6;
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            push(
                "Area",
                format!("{} km²", group_thousands(km2.round() as u64)),
            );
        }
        Geometry::LineString(l) => push(
            "Length",
            format!("{:.1} km", geo::Geodesic.length(l) / 1000.0),
        ),
        Geometry::MultiLineString(ml) => push(
            "Length",
            format!("{:.1} km", geo::Geodesic.length(ml) / 1000.0),
        ),
        Geometry::Point(p) => push("Position", crate::coords::decimal(p.x(), p.y())),
        _ => {}
    }
    for (key, label) in [
        ("status", "Status"),
        ("status_note", "Status note"),
        ("accuracy", "Accuracy"),
        ("geo_note", "Location note"),
    ] {
        if let Some(v) = feature.prop_str(key) {
            push(label, v.to_owned());
        }
    }
    if let Some(aliases) = feature
        .properties
        .get("aliases")
        .and_then(serde_json::Value::as_array)
    {
        let names: Vec<&str> = aliases
            .iter()
            .filter_map(serde_json::Value::as_str)
            .collect();
        if !names.is_empty() {
            push("Also written", names.join(", "));
        }
    }
    if let Some(waypoints) = feature
        .properties
        .get("waypoints")
        .and_then(serde_json::Value::as_array)
    {
        for w in waypoints {
            let name = w
                .get("name")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("?");
            let source = w
                .get("source")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("?");
            push("Waypoint", format!("{name} — {source}"));
        }
    }
    for (key, label) in [("source", "Source"), ("licence", "Licence")] {
        if let Some(v) = feature.prop_str(key) {
            push(label, v.to_owned());
        }
    }
    if !layer.attribution.is_empty() && feature.prop_str("source").is_none() {
        push("Source", layer.attribution.clone());
    }
    out
}

/// 138195 → "138,195".
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{GeodesicArea, Length};

    fn data() -> GeoData {
        GeoData::embedded()
    }

    #[test]
    fn embedded_data_loads_without_errors() {
        let data = data();
        assert!(data.errors.is_empty(), "{:?}", data.errors);
        for id in [
            "countries",
            "governorates",
            "rivers",
            "pipelines",
            "places",
            "border",
        ] {
            let layer = data
                .layer(id)
                .unwrap_or_else(|| panic!("layer {id} missing"));
            assert!(!layer.features.is_empty(), "layer {id} is empty");
        }
    }

    #[test]
    fn iraq_syria_border_is_about_600_km() {
        let data = data();
        let border = data.border().expect("border derived");
        let Geometry::MultiLineString(lines) = &border.geometry else {
            panic!("border is not lines")
        };
        let km = geo::Geodesic.length(lines) / 1000.0;
        assert!((km - 599.0).abs() <= 5.0, "border length {km:.1} km");
    }

    #[test]
    fn border_ends_at_the_two_tri_points() {
        let data = data();
        let border = data.border().expect("border derived");
        let Geometry::MultiLineString(lines) = &border.geometry else {
            panic!("border is not lines")
        };
        assert_eq!(lines.0.len(), 1, "the border is one continuous line");
        let line = &lines.0[0];
        let ends = [line.0[0], line.0[line.0.len() - 1]];
        for (lon, lat, what) in [
            (38.77451, 33.37169, "Iraq–Syria–Jordan"),
            (42.35724, 37.10998, "Iraq–Syria–Turkey"),
        ] {
            let nearest_km = ends
                .iter()
                .map(|c| {
                    use geo::Distance;
                    geo::Geodesic.distance(geo::Point::new(c.x, c.y), geo::Point::new(lon, lat))
                        / 1000.0
                })
                .fold(f64::INFINITY, f64::min);
            assert!(
                nearest_km < 1.0,
                "{what} tri-point is {nearest_km:.2} km off"
            );
        }
    }

    #[test]
    fn anbar_area_matches_reference() {
        let data = data();
        let (_, anbar) = data.feature_named("Al-Anbar").expect("Al-Anbar present");
        let km2 = anbar.geometry.geodesic_area_unsigned() / 1e6;
        assert!((km2 - 138_200.0).abs() <= 2_000.0, "Al-Anbar {km2:.0} km²");
    }

    #[test]
    fn the_great_reservoirs_are_water_where_their_cited_points_are() {
        use geo::Contains;
        let data = data();
        let lakes = data.layer("lakes").expect("lakes layer");
        // (name, cited point inside it, least area in km²)
        for (name, lon, lat, least) in [
            ("Lake Assad", 38.16667, 36.0, 400.0),
            ("Lake Tharthar", 43.26417, 33.9525, 1_000.0),
            ("Lake Qadisiyah", 42.23889, 34.30889, 150.0),
            ("Lake Habbaniyah", 43.45, 33.3, 100.0),
        ] {
            let lake = lakes
                .features
                .iter()
                .find(|f| f.name.as_deref() == Some(name))
                .unwrap_or_else(|| panic!("{name} in the lakes layer"));
            assert!(
                lake.geometry.contains(&geo::Point::new(lon, lat)),
                "{name} holds its cited point"
            );
            let km2 = lake.geometry.geodesic_area_unsigned() / 1e6;
            assert!(km2 >= least, "{name}: {km2:.0} km²");
        }
        assert!(
            lakes
                .features
                .iter()
                .any(|f| f.name.as_deref() == Some("Mosul Dam reservoir")),
            "the lake behind Mosul Dam is named after it"
        );
    }

    #[test]
    fn broken_geometry_is_named_and_repaired_or_skipped() {
        let text = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"name":"open ring"},"geometry":{"type":"Polygon","coordinates":[[[40,33],[41,33],[41,34],[40,34]]]}},
          {"type":"Feature","properties":{"name":"bow tie"},"geometry":{"type":"Polygon","coordinates":[[[40,33],[41,34],[41,33],[40,34],[40,33]]]}},
          {"type":"Feature","properties":{"name":"nothing"},"geometry":{"type":"MultiPolygon","coordinates":[]}},
          {"type":"Feature","properties":{"name":"fine"},"geometry":{"type":"Point","coordinates":[41.1,34.4]}}
        ]}"#;
        let mut errors = Vec::new();
        let features = parse_features("shapes.geojson", "shapes", text, &mut errors);
        let names: Vec<_> = features.iter().filter_map(|f| f.name.as_deref()).collect();
        assert_eq!(names, ["open ring", "fine"]);
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 3, "{text:?}");
        assert!(
            text[0].contains("shapes.geojson")
                && text[0].contains("not closed")
                && text[0].contains("repaired"),
            "{text:?}"
        );
        assert!(
            text[1].contains("self-intersection") && text[1].contains("skipped"),
            "{text:?}"
        );
        assert!(
            text[2].contains("empty MultiPolygon") && text[2].contains("skipped"),
            "{text:?}"
        );
    }

    #[test]
    fn a_layer_in_lat_lon_order_is_caught() {
        // Baghdad and Ramadi written [lat, lon]: read as GeoJSON they land in the Black Sea region.
        let text = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"name":"Baghdad"},"geometry":{"type":"Point","coordinates":[33.315,44.366]}},
          {"type":"Feature","properties":{"name":"Ramadi"},"geometry":{"type":"Point","coordinates":[33.42,43.3]}}
        ]}"#;
        let mut errors = Vec::new();
        let features = parse_features("towns.geojson", "towns", text, &mut errors);
        assert!(features.is_empty());
        let text = errors[0].to_string();
        assert!(
            text.contains("towns.geojson") && text.contains("[lat, lon]"),
            "{text}"
        );
    }

    #[test]
    fn bad_features_are_reported_and_skipped() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"name":"ok"},"geometry":{"type":"Point","coordinates":[40.1,35.3]}},
            {"type":"Feature","properties":{"name":"swapped"},"geometry":{"type":"Point","coordinates":[35.3,140.1]}},
            {"type":"Feature","properties":{"name":"none"},"geometry":null},
            {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[40,35],[41,35],[40,35]]]}}
        ]}"#;
        let mut errors = Vec::new();
        let features = parse_features("test.geojson", "t", text, &mut errors);
        assert_eq!(features.len(), 1);
        assert_eq!(features[0].name.as_deref(), Some("ok"));
        let indexes: Vec<_> = errors.iter().map(|e| e.feature).collect();
        assert_eq!(indexes, vec![Some(1), Some(2), Some(3)]);
        assert!(errors[0].to_string().contains("test.geojson, feature 1"));
        assert!(errors[0].to_string().contains("out of range"));
    }

    #[test]
    fn malformed_file_is_one_error_not_a_panic() {
        let mut errors = Vec::new();
        let features = parse_features("broken.geojson", "t", "{ not json", &mut errors);
        assert!(features.is_empty());
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0]
                .to_string()
                .starts_with("broken.geojson: not valid GeoJSON")
        );
    }

    #[test]
    fn missing_folder_reports_catalog() {
        let data = GeoData::from_dir(Path::new("/nonexistent/badiya-data"));
        assert!(data.layers.is_empty());
        assert_eq!(data.errors[0].file, "layers.json");
    }

    #[test]
    fn shared_edge_of_two_squares() {
        let a: Geometry<f64> = Polygon::new(
            LineString::from(vec![(0., 0.), (1., 0.), (1., 1.), (0., 1.), (0., 0.)]),
            vec![],
        )
        .into();
        let b: Geometry<f64> = Polygon::new(
            LineString::from(vec![(1., 0.), (2., 0.), (2., 1.), (1., 1.), (1., 0.)]),
            vec![],
        )
        .into();
        let edge = shared_edge(&a, &b);
        assert_eq!(edge.0.len(), 1);
        assert_eq!(edge.0[0].0.len(), 2);
        assert!((geo::Euclidean.length(&edge.0[0]) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn colours_parse() {
        assert_eq!(Rgba::parse("#ff000080"), Some(Rgba([255, 0, 0, 128])));
        assert_eq!(Rgba::parse("#00ff00"), Some(Rgba([0, 255, 0, 255])));
        assert_eq!(Rgba::parse("red"), None);
    }
}

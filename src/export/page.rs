//! Page layout for exports: the page size in physical and logical pixels, and
//! the page scene around the map — banners, title and subtitle, the map frame
//! (the same map scene the screen draws, clipped), scale bar and north arrow,
//! a legend of only what the frame shows, a free text block, the numbered list
//! of sources cited by the incidents in the frame, the data attribution and a
//! date stamp. Logical pixels are 1/96 inch, so a page looks like the screen
//! and text and lines grow with the DPI.

use serde::{Deserialize, Serialize};

use crate::annotate::{Annotation, shapes_for, wrap_text};
use crate::camera::{Camera, MAX_ZOOM, MIN_ZOOM};
use crate::geodata::{GeoData, LayerKind, Rgba, Style};
use crate::scene::font::text_width;
use crate::scene::{
    Anchor, MapOptions, MarkerInput, Prepared, Pt, Scene, Shape, Stroke, Symbol, build_map,
    furniture, push_symbol,
};
use crate::spatial::SpatialIndex;

use super::ExportError;

/// Millimetres per inch.
const MM_PER_INCH: f64 = 25.4;
/// Logical pixels per inch (CSS pixels).
pub const LOGICAL_DPI: f64 = 96.0;
/// The largest image side the export will make, in pixels.
pub const MAX_SIDE_PX: u32 = 30_000;
/// The largest image the export will make, in pixels (about 1 GB of RGBA).
pub const MAX_PIXELS: u64 = 250_000_000;

const INK: Rgba = Rgba::rgb(0x1e, 0x1e, 0x1e);
const MUTED: Rgba = Rgba::rgb(0x55, 0x55, 0x55);
const BANNER: Rgba = Rgba::rgb(0xa0, 0x10, 0x10);

/// The paper or pixel size of an export.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageSize {
    /// The size of the map view on screen, in logical pixels (scaled by DPI / 96).
    CurrentView { w: f64, h: f64 },
    /// ISO A4, 210 × 297 mm.
    A4,
    /// ISO A3, 297 × 420 mm.
    A3,
    /// Exactly this many image pixels.
    Custom { w: u32, h: u32 },
}

/// Which way paper sizes are turned (ignored for pixel sizes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Orientation {
    #[default]
    Landscape,
    Portrait,
}

/// The smallest page, in logical pixels (1/96 inch), that fits a legend and a
/// source list beside and below the map.
pub const MIN_LAYOUT_PX: [f64; 2] = [400.0, 280.0];

/// Everything the export dialog (or the command line) chooses about the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PageSpec {
    pub size: PageSize,
    pub orientation: Orientation,
    /// Dots per inch of the image (written into the PNG).
    pub dpi: f32,
    pub title: String,
    pub subtitle: String,
    /// A free text block (paragraphs separated by line breaks).
    pub text_block: String,
    /// Handling caveat shown centred at the top of the page.
    pub banner_top: String,
    /// Handling caveat shown centred at the bottom of the page.
    pub banner_bottom: String,
    pub legend: bool,
    pub scale_bar: bool,
    pub north_arrow: bool,
    pub sources: bool,
    pub attribution: bool,
    pub date_stamp: bool,
}

impl Default for PageSpec {
    fn default() -> Self {
        Self {
            size: PageSize::A4,
            orientation: Orientation::Landscape,
            dpi: 300.0,
            title: String::new(),
            subtitle: String::new(),
            text_block: String::new(),
            banner_top: String::new(),
            banner_bottom: String::new(),
            legend: true,
            scale_bar: true,
            north_arrow: true,
            sources: true,
            attribution: true,
            date_stamp: true,
        }
    }
}

impl PageSpec {
    /// A bare map of the current view at screen resolution: no decorations.
    pub fn bare_view(w: f64, h: f64) -> Self {
        Self {
            size: PageSize::CurrentView { w, h },
            dpi: 96.0,
            legend: false,
            scale_bar: false,
            north_arrow: false,
            sources: false,
            attribution: false,
            date_stamp: false,
            ..Self::default()
        }
    }

    /// Checks the DPI and the resulting image size.
    pub fn validate(&self) -> Result<(), ExportError> {
        if !(self.dpi.is_finite() && (10.0..=2400.0).contains(&self.dpi)) {
            return Err(ExportError::Invalid(format!(
                "DPI {} is outside 10..2400",
                self.dpi
            )));
        }
        if let PageSize::CurrentView { w, h } = self.size
            && !(w.is_finite() && h.is_finite() && w >= 1.0 && h >= 1.0)
        {
            return Err(ExportError::Invalid(format!("view size {w}×{h} is empty")));
        }
        let (w, h) = self.pixel_size();
        if w < 16 || h < 16 {
            return Err(ExportError::Invalid(format!(
                "the image would be {w}×{h} px; at least 16×16 is needed"
            )));
        }
        // The legend and source list need room beside and below the map; on a
        // page smaller than this (at its DPI) they would cover the map.
        let (lw, lh) = self.logical_size();
        if (self.legend || self.sources) && (lw < MIN_LAYOUT_PX[0] || lh < MIN_LAYOUT_PX[1]) {
            return Err(ExportError::Invalid(format!(
                "a {w}×{h} px page at {} DPI is only {:.1}×{:.1} inches, too small for the legend and source list; \
                 lower the DPI, enlarge the page, or turn the legend and sources off",
                self.dpi,
                lw / 96.0,
                lh / 96.0
            )));
        }
        if w > MAX_SIDE_PX || h > MAX_SIDE_PX || u64::from(w) * u64::from(h) > MAX_PIXELS {
            return Err(ExportError::Invalid(format!(
                "the image would be {w}×{h} px; the limit is {MAX_SIDE_PX} px a side and {} megapixels",
                MAX_PIXELS / 1_000_000
            )));
        }
        Ok(())
    }

    /// The image size in physical pixels.
    pub fn pixel_size(&self) -> (u32, u32) {
        let dpi = f64::from(self.dpi);
        let paper = |short_mm: f64, long_mm: f64| {
            let (w, h) = match self.orientation {
                Orientation::Landscape => (long_mm, short_mm),
                Orientation::Portrait => (short_mm, long_mm),
            };
            (w / MM_PER_INCH * dpi, h / MM_PER_INCH * dpi)
        };
        let (w, h) = match self.size {
            PageSize::CurrentView { w, h } => (w * dpi / LOGICAL_DPI, h * dpi / LOGICAL_DPI),
            PageSize::A4 => paper(210.0, 297.0),
            PageSize::A3 => paper(297.0, 420.0),
            PageSize::Custom { w, h } => (f64::from(w), f64::from(h)),
        };
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let px = |v: f64| v.round().clamp(0.0, f64::from(u32::MAX)) as u32;
        (px(w), px(h))
    }

    /// Image pixels per logical pixel.
    pub fn scale(&self) -> f64 {
        f64::from(self.dpi) / LOGICAL_DPI
    }

    /// The page size in logical pixels (1/96 inch).
    pub fn logical_size(&self) -> (f64, f64) {
        let (w, h) = self.pixel_size();
        (f64::from(w) / self.scale(), f64::from(h) / self.scale())
    }

    /// The paper size for the SVG `width`/`height` attributes (`"297mm"`), or
    /// pixels for pixel sizes.
    pub fn svg_size_attrs(&self) -> (String, String) {
        match self.size {
            PageSize::A4 | PageSize::A3 => {
                let (w, h) = self.pixel_size();
                let mm = |px: u32| f64::from(px) / f64::from(self.dpi) * MM_PER_INCH;
                (format!("{:.1}mm", mm(w)), format!("{:.1}mm", mm(h)))
            }
            PageSize::CurrentView { .. } | PageSize::Custom { .. } => {
                let (w, h) = self.logical_size();
                (format!("{w:.2}"), format!("{h:.2}"))
            }
        }
    }
}

/// Parses a page size as the command line writes it: `a4`, `a3` or `WxH` (pixels).
pub fn parse_page_size(text: &str) -> Result<PageSize, String> {
    let t = text.trim().to_ascii_lowercase();
    match t.as_str() {
        "a4" => return Ok(PageSize::A4),
        "a3" => return Ok(PageSize::A3),
        _ => {}
    }
    let (w, h) = t
        .split_once(['x', '×'])
        .ok_or_else(|| format!("{text:?} is not a4, a3 or WIDTHxHEIGHT in pixels"))?;
    let parse = |v: &str| {
        v.trim()
            .parse::<u32>()
            .ok()
            .filter(|&n| n >= 16)
            .ok_or_else(|| format!("{v:?} in {text:?} is not a pixel count of at least 16"))
    };
    Ok(PageSize::Custom {
        w: parse(w)?,
        h: parse(h)?,
    })
}

/// An incident type for the legend: shown only when a marker with the same
/// symbol and colour is inside the map frame.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendEntry {
    pub label: String,
    pub symbol: Symbol,
    pub color: Rgba,
}

/// A document for the source list: listed when one of the incidents citing it
/// (`cited_by`, the `MarkerInput::id`s) is inside the map frame, or always when
/// `cited_by` is empty.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SourceRef {
    pub title: String,
    pub publisher: String,
    /// Publication date as it should be printed (e.g. `2025-03-02`).
    pub date: String,
    /// The document id (shown when the title is missing).
    pub doc: String,
    pub cited_by: Vec<usize>,
}

impl SourceRef {
    /// "Title — Publisher, date", leaving out what is missing.
    pub fn citation(&self) -> String {
        let title = if self.title.trim().is_empty() {
            self.doc.trim()
        } else {
            self.title.trim()
        };
        let mut out = title.to_owned();
        let tail: Vec<&str> = [self.publisher.trim(), self.date.trim()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        if !tail.is_empty() {
            out.push_str(" — ");
            out.push_str(&tail.join(", "));
        }
        out
    }
}

/// The area the map shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum MapArea {
    /// What this camera sees, fitted into the frame (same centre; the same zoom
    /// when the frame is the view's size).
    View(Camera),
    /// A lon/lat box `[min lon, min lat, max lon, max lat]`, fitted into the frame.
    BBox([f64; 4]),
}

/// What goes on the map and around it, all provided by the app (or the CLI).
#[derive(Clone, Copy)]
pub struct MapContent<'a> {
    pub data: &'a GeoData,
    pub index: &'a SpatialIndex,
    pub prepared: &'a Prepared,
    /// Layer visibility and opacity, theme, labels (furniture is placed by the page).
    pub options: &'a MapOptions,
    pub markers: &'a [MarkerInput],
    pub annotations: &'a [Annotation],
    pub incident_legend: &'a [LegendEntry],
    pub sources: &'a [SourceRef],
}

/// A composed page: its scene in logical pixels and where the map sits in it.
#[derive(Clone, Debug)]
pub struct Page {
    pub scene: Scene,
    /// The map frame `[x, y, w, h]` in logical page pixels.
    pub frame: [f64; 4],
    /// The camera the map was drawn with (its size is the frame's).
    pub map_camera: Camera,
    pub width_px: u32,
    pub height_px: u32,
    /// Image pixels per logical pixel.
    pub scale: f64,
    pub dpi: f32,
    /// The legend labels shown, in order.
    pub legend: Vec<String>,
    /// The citations listed, in order.
    pub sources: Vec<String>,
    /// The attribution line, if shown.
    pub attribution: Option<String>,
}

/// A legend swatch.
#[derive(Clone, Debug, PartialEq)]
enum Swatch {
    Area {
        fill: Option<Rgba>,
        stroke: Option<Stroke>,
    },
    Line(Stroke),
    Symbol {
        symbol: Symbol,
        size: f32,
        fill: Rgba,
        outline: Stroke,
    },
}

#[derive(Clone, Debug, PartialEq)]
struct Item {
    label: String,
    swatch: Swatch,
}

/// What the frame shows, which decides the legend and the sources.
#[derive(Clone, Debug, PartialEq, Default)]
struct Visible {
    legend: Vec<Item>,
    sources: Vec<String>,
}

/// The legend name of a place kind.
pub fn kind_label(kind: &str) -> String {
    match kind {
        "capital" => "Capital".into(),
        "airbase" => "Air base".into(),
        "camp" => "Camp".into(),
        "prison" => "Prison".into(),
        "crossing" => "Border crossing".into(),
        "terminal" => "Oil terminal".into(),
        "city" => "City".into(),
        "town" => "Town".into(),
        "base" => "Military base".into(),
        other => {
            let other = other.replace('_', " ");
            let mut c = other.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        }
    }
}

fn stroke_of(style: &Style, opacity: f32) -> Option<Stroke> {
    style.stroke.map(|c| Stroke {
        width: style.stroke_width.max(0.5),
        color: c.faded(opacity),
        dash: style.dash,
    })
}

/// The camera that shows `area` in a frame of `w` × `h` logical pixels.
pub fn camera_for(area: &MapArea, w: f64, h: f64) -> Camera {
    match *area {
        MapArea::BBox([x0, y0, x1, y1]) => Camera::fit_lon_lat([x0, y0], [x1, y1], w, h),
        MapArea::View(view) => {
            let k = (w / view.width_px.max(1.0)).min(h / view.height_px.max(1.0));
            Camera {
                zoom: (view.zoom + k.log2()).clamp(MIN_ZOOM, MAX_ZOOM),
                width_px: w,
                height_px: h,
                ..view
            }
        }
    }
}

fn visible_in(content: &MapContent, camera: &Camera) -> Visible {
    let data = content.data;
    let (lo, hi) = camera.visible_merc();
    let in_view = content.index.in_box([lo.x, lo.y], [hi.x, hi.y]);
    let mut legend = Vec::new();
    for (li, layer) in data.layers.iter().enumerate() {
        let (shown, opacity) = content
            .options
            .layers
            .get(li)
            .map_or((true, 1.0), |s| (s.visible, s.opacity));
        if !shown || opacity <= 0.0 || camera.zoom < layer.spec.draw_min_zoom {
            continue;
        }
        let features: Vec<_> = in_view
            .iter()
            .filter(|f| f.layer == li)
            .map(|f| &layer.features[f.feature])
            .collect();
        if features.is_empty() {
            continue;
        }
        let spec = &layer.spec;
        let mut focus_names: Vec<&str> = Vec::new();
        let mut focus_style: Option<&Style> = None;
        let first = legend.len();
        for f in &features {
            let style = spec.style_for(f);
            let status = f.prop_str("status").filter(|v| {
                spec.status_style
                    .as_ref()
                    .is_some_and(|m| m.contains_key(*v))
            });
            let kind = f
                .prop_str("kind")
                .filter(|v| spec.kind_style.as_ref().is_some_and(|m| m.contains_key(*v)));
            if status.is_none() && kind.is_none() && f.is_focus() && spec.focus_style.is_some() {
                focus_names.extend(f.name.as_deref());
                focus_style = Some(style);
                continue;
            }
            let label = match (status, kind) {
                (Some(status), _) => format!("{}: {status}", spec.name),
                (None, Some(kind)) if spec.kind == LayerKind::Point => kind_label(kind),
                (None, Some(kind)) => {
                    format!("{} ({})", spec.name, kind_label(kind).to_lowercase())
                }
                (None, None) if spec.kind == LayerKind::Point => f
                    .prop_str("kind")
                    .map_or_else(|| spec.name.clone(), kind_label),
                (None, None) => spec.name.clone(),
            };
            if legend[first..].iter().any(|i: &Item| i.label == label) {
                continue;
            }
            let swatch = match spec.kind {
                LayerKind::Polygon => Swatch::Area {
                    fill: style.fill.map(|c| c.faded(opacity)),
                    stroke: stroke_of(style, opacity),
                },
                LayerKind::Line => match stroke_of(style, opacity) {
                    Some(stroke) => Swatch::Line(stroke),
                    None => continue,
                },
                // Kinds drawn as a label only (districts, deserts, wadis) have no symbol.
                LayerKind::Point if style.radius_px.is_some_and(|r| r <= 0.0) => continue,
                LayerKind::Point => {
                    let (symbol, size) = crate::scene::point_symbol(f.prop_str("kind"), style);
                    Swatch::Symbol {
                        symbol,
                        size,
                        fill: style.fill.unwrap_or(Rgba::BLACK).faded(opacity),
                        outline: Stroke::solid(
                            style.stroke_width.max(0.5),
                            style.stroke.unwrap_or(Rgba::WHITE).faded(opacity),
                        ),
                    }
                }
            };
            legend.push(Item { label, swatch });
        }
        if let Some(style) = focus_style {
            focus_names.dedup();
            legend.push(Item {
                label: format!("Focus: {}", focus_names.join(", ")),
                swatch: Swatch::Area {
                    fill: style.fill.map(|c| c.faded(opacity)),
                    stroke: stroke_of(style, opacity),
                },
            });
        }
    }
    let (w, h) = (camera.width_px, camera.height_px);
    let inside: Vec<&MarkerInput> = content
        .markers
        .iter()
        .filter(|m| {
            let [x, y] = camera.screen_from_geo(m.lon, m.lat);
            (0.0..=w).contains(&x) && (0.0..=h).contains(&y)
        })
        .collect();
    for entry in content.incident_legend {
        if inside
            .iter()
            .any(|m| m.symbol == entry.symbol && m.color == entry.color)
        {
            legend.push(Item {
                label: entry.label.clone(),
                swatch: Swatch::Symbol {
                    symbol: entry.symbol,
                    size: 13.0,
                    fill: entry.color,
                    outline: Stroke::solid(1.2, Rgba::WHITE),
                },
            });
        }
    }
    let mut sources = Vec::new();
    let mut docs_seen: Vec<&str> = Vec::new();
    for s in content.sources {
        let cited = s.cited_by.is_empty() || inside.iter().any(|m| s.cited_by.contains(&m.id));
        let dup = !s.doc.is_empty() && docs_seen.contains(&s.doc.as_str());
        if cited && !dup {
            docs_seen.push(&s.doc);
            sources.push(s.citation());
        }
    }
    Visible { legend, sources }
}

/// Text sizes and spacing of the page, in logical pixels.
struct Metrics {
    margin: f32,
    title: f32,
    subtitle: f32,
    body: f32,
    small: f32,
    banner: f32,
}

const METRICS: Metrics = Metrics {
    margin: 22.0,
    title: 22.0,
    subtitle: 13.0,
    body: 10.5,
    small: 9.0,
    banner: 11.0,
};

/// Where everything goes on the page.
#[derive(Debug)]
struct Layout {
    frame: [f32; 4],
    /// The legend/text panel `[x, y, w, h]`, if any.
    panel: Option<[f32; 4]>,
    /// Legend columns in the panel.
    columns: usize,
    /// The sources block `[x, y, w, h]`, if any.
    sources: Option<[f32; 4]>,
    source_lines: Vec<String>,
    /// How many sources the block lists in full.
    sources_listed: usize,
    top_texts: Vec<(Pt, String, f32, Rgba, Anchor, bool)>,
    footer: Vec<(Pt, String, f32, Rgba, Anchor, bool)>,
}

const ROW_H: f32 = 17.0;
const SWATCH_W: f32 = 24.0;
const LINE_H: f32 = 14.0;

fn legend_height(items: usize, columns: usize) -> f32 {
    if items == 0 {
        return 0.0;
    }
    #[allow(clippy::cast_precision_loss)]
    let rows = items.div_ceil(columns.max(1)) as f32;
    20.0 + rows * ROW_H
}

#[allow(clippy::too_many_lines)]
fn layout(spec: &PageSpec, visible: &Visible, attribution: &str, stamp: &str) -> Layout {
    let m = &METRICS;
    let (pw, ph) = spec.logical_size();
    #[allow(clippy::cast_possible_truncation)]
    let (pw, ph) = (pw as f32, ph as f32);
    let legend_items = if spec.legend { visible.legend.len() } else { 0 };
    let text = spec.text_block.trim();
    let sources = if spec.sources {
        visible.sources.as_slice()
    } else {
        &[]
    };
    let decorated = !spec.title.trim().is_empty()
        || !spec.subtitle.trim().is_empty()
        || !text.is_empty()
        || !spec.banner_top.trim().is_empty()
        || !spec.banner_bottom.trim().is_empty()
        || legend_items > 0
        || !sources.is_empty()
        || (spec.attribution && !attribution.is_empty())
        || spec.date_stamp;
    let mut out = Layout {
        frame: [0.0, 0.0, pw, ph],
        panel: None,
        columns: 1,
        sources: None,
        source_lines: Vec::new(),
        sources_listed: 0,
        top_texts: Vec::new(),
        footer: Vec::new(),
    };
    if !decorated {
        return out;
    }
    let margin = m.margin.min(pw * 0.04).min(ph * 0.04).max(6.0);
    let content_w = pw - 2.0 * margin;
    let mut top = margin;
    let mut bottom = ph - margin;
    if !spec.banner_top.trim().is_empty() {
        out.top_texts.push((
            [pw / 2.0, top + 7.0],
            spec.banner_top.trim().to_owned(),
            m.banner,
            BANNER,
            Anchor::Center,
            true,
        ));
        top += 20.0;
    }
    if !spec.title.trim().is_empty() {
        out.top_texts.push((
            [margin, top + 12.0],
            spec.title.trim().to_owned(),
            m.title,
            INK,
            Anchor::Left,
            true,
        ));
        top += 30.0;
    }
    if !spec.subtitle.trim().is_empty() {
        out.top_texts.push((
            [margin, top + 8.0],
            spec.subtitle.trim().to_owned(),
            m.subtitle,
            MUTED,
            Anchor::Left,
            false,
        ));
        top += 20.0;
    }
    if top > margin {
        top += 6.0;
    }
    if !spec.banner_bottom.trim().is_empty() {
        out.footer.push((
            [pw / 2.0, bottom - 7.0],
            spec.banner_bottom.trim().to_owned(),
            m.banner,
            BANNER,
            Anchor::Center,
            true,
        ));
        bottom -= 20.0;
    }
    let show_attr = spec.attribution && !attribution.is_empty();
    if show_attr || spec.date_stamp {
        let stamp_w = if spec.date_stamp {
            text_width(stamp, m.small) + 16.0
        } else {
            0.0
        };
        let lines = if show_attr {
            wrap_text(attribution, m.small, (content_w - stamp_w).max(80.0))
        } else {
            Vec::new()
        };
        #[allow(clippy::cast_precision_loss)]
        let n = lines.len().max(1) as f32;
        let first_y = bottom - 6.0 - (n - 1.0) * 12.0;
        for (i, line) in lines.into_iter().enumerate() {
            #[allow(clippy::cast_precision_loss)]
            let y = first_y + i as f32 * 12.0;
            out.footer
                .push(([margin, y], line, m.small, MUTED, Anchor::Left, false));
        }
        if spec.date_stamp {
            out.footer.push((
                [pw - margin, bottom - 6.0],
                stamp.to_owned(),
                m.small,
                MUTED,
                Anchor::Right,
                false,
            ));
        }
        bottom -= 6.0 + n * 12.0 + 4.0;
    }
    if !sources.is_empty() {
        let size = m.small + 0.5;
        let max_h = (ph * 0.3).max(40.0);
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let fit = (((max_h - 18.0) / 12.5).floor().max(1.0)) as usize;
        let mut lines: Vec<String> = Vec::new();
        for (i, s) in sources.iter().enumerate() {
            let numbered = format!("{}. {s}", i + 1);
            let mut group = Vec::new();
            for (j, l) in wrap_text(&numbered, size, content_w - 12.0)
                .into_iter()
                .enumerate()
            {
                group.push(if j == 0 { l } else { format!("    {l}") });
            }
            let last = i + 1 == sources.len();
            let room = if last { fit } else { fit.saturating_sub(1) };
            if lines.len() + group.len() > room {
                let hidden = sources.len() - i;
                lines.push(format!(
                    "… and {hidden} more source{} not shown",
                    if hidden == 1 { "" } else { "s" }
                ));
                break;
            }
            lines.extend(group);
            out.sources_listed = i + 1;
        }
        #[allow(clippy::cast_precision_loss)]
        let h = 18.0 + lines.len() as f32 * 12.5;
        out.sources = Some([margin, bottom - h, content_w, h]);
        out.source_lines = lines;
        bottom -= h + 8.0;
    }
    let band_h = (bottom - top).max(40.0);
    let wants_panel = legend_items > 0 || !text.is_empty();
    let landscape = pw >= ph;
    let gap = 14.0;
    if wants_panel && landscape {
        let panel_w = (pw * 0.22).clamp(150.0, 260.0).min(content_w * 0.4);
        out.frame = [margin, top, content_w - panel_w - gap, band_h];
        out.panel = Some([margin + content_w - panel_w, top, panel_w, band_h]);
    } else if wants_panel {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let columns = ((content_w / 190.0).floor() as usize).clamp(1, 4);
        let text_lines = if text.is_empty() {
            0
        } else {
            wrap_text(text, m.body, content_w).len()
        };
        #[allow(clippy::cast_precision_loss)]
        let text_h = if text_lines > 0 {
            8.0 + text_lines as f32 * LINE_H
        } else {
            0.0
        };
        let panel_h = (legend_height(legend_items, columns) + text_h).min(band_h * 0.4);
        out.columns = columns;
        out.frame = [margin, top, content_w, band_h - panel_h - gap];
        out.panel = Some([margin, top + band_h - panel_h, content_w, panel_h]);
    } else {
        out.frame = [margin, top, content_w, band_h];
    }
    out
}

fn push_text(
    scene: &mut Scene,
    pos: Pt,
    text: String,
    size: f32,
    color: Rgba,
    anchor: Anchor,
    bold: bool,
) {
    scene.shapes.push(Shape::Text {
        pos,
        text,
        size,
        color,
        anchor,
        halo: None,
        bold,
    });
}

fn draw_swatch(scene: &mut Scene, swatch: &Swatch, x: f32, y: f32) {
    let (x0, y0, x1, y1) = (x, y - 6.0, x + SWATCH_W, y + 6.0);
    match swatch {
        Swatch::Area { fill, stroke } => scene.shapes.push(Shape::Area {
            rings: vec![vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1]]],
            triangles: None,
            fill: *fill,
            stroke: *stroke,
        }),
        Swatch::Line(stroke) => scene.shapes.push(Shape::Line {
            points: vec![[x0, y], [x1, y]],
            stroke: *stroke,
        }),
        Swatch::Symbol {
            symbol,
            size,
            fill,
            outline,
        } => {
            push_symbol(
                scene,
                [x + SWATCH_W / 2.0, y],
                *symbol,
                *size,
                *fill,
                *outline,
            );
        }
    }
}

/// Draws the legend in `[x, y, w, h]` in `columns`; returns the height used
/// and the labels drawn.
fn draw_legend(
    scene: &mut Scene,
    items: &[Item],
    rect: [f32; 4],
    columns: usize,
) -> (f32, Vec<String>) {
    let [x, y, w, h] = rect;
    let mut shown = Vec::new();
    if items.is_empty() {
        return (0.0, shown);
    }
    push_text(
        scene,
        [x, y + 7.0],
        "Legend".into(),
        12.0,
        INK,
        Anchor::Left,
        true,
    );
    let columns = columns.max(1);
    #[allow(clippy::cast_precision_loss)]
    let col_w = w / columns as f32;
    let rows = items.len().div_ceil(columns);
    let mut used: f32 = 20.0;
    for (i, item) in items.iter().enumerate() {
        let (col, row) = (i / rows, i % rows);
        #[allow(clippy::cast_precision_loss)]
        let (cx, cy) = (
            x + col as f32 * col_w,
            y + 20.0 + row as f32 * ROW_H + ROW_H / 2.0,
        );
        if cy + ROW_H / 2.0 > y + h {
            continue;
        }
        draw_swatch(scene, &item.swatch, cx, cy);
        let max_w = col_w - SWATCH_W - 12.0;
        let label = ellipsize(&item.label, METRICS.body, max_w);
        push_text(
            scene,
            [cx + SWATCH_W + 6.0, cy],
            label,
            METRICS.body,
            INK,
            Anchor::Left,
            false,
        );
        shown.push(item.label.clone());
        used = used.max(cy + ROW_H / 2.0 - y);
    }
    (used, shown)
}

/// Shortens `text` with an ellipsis so it fits in `max_w` pixels.
fn ellipsize(text: &str, size: f32, max_w: f32) -> String {
    if text_width(text, size) <= max_w {
        return text.to_owned();
    }
    let mut out: String = text.to_owned();
    while !out.is_empty() && text_width(&format!("{out}…"), size) > max_w {
        out.pop();
    }
    format!("{}…", out.trim_end())
}

/// The attribution line from the catalog's `attribution` fields of the shown layers.
pub fn attribution_line(data: &GeoData, options: &MapOptions) -> String {
    let mut parts: Vec<String> = Vec::new();
    for (li, layer) in data.layers.iter().enumerate() {
        let shown = options.layers.get(li).is_none_or(|s| s.visible);
        for part in layer.spec.attribution.split(';') {
            let part = part.trim();
            if shown && !part.is_empty() && !parts.iter().any(|p| p == part) {
                parts.push(part.to_owned());
            }
        }
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("Data: {}", parts.join("; "))
    }
}

/// Composes the page for `spec`: the map of `area` with the content's layers,
/// markers and annotations, framed by the decorations the spec turns on.
pub fn compose(
    content: &MapContent,
    area: &MapArea,
    spec: &PageSpec,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Page, ExportError> {
    spec.validate()?;
    if let MapArea::BBox([x0, y0, x1, y1]) = *area {
        let ok = [x0, y0, x1, y1].iter().all(|v| v.is_finite()) && x0 < x1 && y0 < y1;
        if !ok {
            return Err(ExportError::Invalid(format!(
                "the box {x0},{y0},{x1},{y1} is empty (order is min lon, min lat, max lon, max lat)"
            )));
        }
    }
    let attribution = attribution_line(content.data, content.options);
    let stamp = format!("Exported {}", now.format("%Y-%m-%d %H:%M UTC"));
    // The legend and the sources depend on what the frame shows, and the frame on
    // how much room they take: settle it in a few rounds.
    let mut visible = Visible::default();
    let mut plan = layout(spec, &visible, &attribution, &stamp);
    let mut camera = camera_for(area, f64::from(plan.frame[2]), f64::from(plan.frame[3]));
    for _ in 0..3 {
        let seen = visible_in(content, &camera);
        if seen == visible {
            break;
        }
        visible = seen;
        plan = layout(spec, &visible, &attribution, &stamp);
        camera = camera_for(area, f64::from(plan.frame[2]), f64::from(plan.frame[3]));
    }
    let final_visible = visible_in(content, &camera);

    let mut options = content.options.clone();
    options.furniture = false;
    let mut map = build_map(
        content.data,
        content.index,
        content.prepared,
        camera,
        &options,
        content.markers,
    );
    let annotation_shapes = shapes_for(content.annotations, &map, None);
    map.shapes.extend(annotation_shapes);
    let [fw, fh] = map.size();
    if spec.scale_bar {
        furniture::scale_bar(&mut map, [14.0, fh - 18.0], options.theme);
    }
    if spec.north_arrow {
        furniture::north_arrow(&mut map, [fw - 30.0, 34.0], 22.0, options.theme);
    }

    let (pw, ph) = spec.logical_size();
    let page_camera = Camera {
        width_px: pw,
        height_px: ph,
        ..camera
    };
    let mut page = Scene::new(page_camera, Rgba::WHITE);
    for (pos, text, size, color, anchor, bold) in plan.top_texts.iter().chain(&plan.footer) {
        push_text(&mut page, *pos, text.clone(), *size, *color, *anchor, *bold);
    }
    let [fx, fy, fw, fh] = plan.frame;
    page.shapes.push(Shape::Group {
        offset: [fx, fy],
        clip: Some([[fx, fy], [fx + fw, fy + fh]]),
        scene: Box::new(map),
    });
    page.shapes.push(Shape::Area {
        rings: vec![vec![
            [fx, fy],
            [fx + fw, fy],
            [fx + fw, fy + fh],
            [fx, fy + fh],
        ]],
        triangles: None,
        fill: None,
        stroke: Some(Stroke::solid(0.8, Rgba::rgb(0x44, 0x44, 0x44))),
    });
    let mut legend_shown = Vec::new();
    if let Some([x, y, w, h]) = plan.panel {
        let items: &[Item] = if spec.legend {
            &final_visible.legend
        } else {
            &[]
        };
        let (used, shown) = draw_legend(&mut page, items, [x, y, w, h], plan.columns);
        legend_shown = shown;
        let text = spec.text_block.trim();
        if !text.is_empty() {
            let mut ty = y + used + if used > 0.0 { 12.0 } else { 0.0 } + LINE_H / 2.0;
            let lines = wrap_text(text, METRICS.body, w);
            let n = lines.len();
            for (i, line) in lines.into_iter().enumerate() {
                if ty + LINE_H > y + h && i + 1 < n {
                    push_text(
                        &mut page,
                        [x, ty],
                        "…".into(),
                        METRICS.body,
                        INK,
                        Anchor::Left,
                        false,
                    );
                    break;
                }
                push_text(
                    &mut page,
                    [x, ty],
                    line,
                    METRICS.body,
                    INK,
                    Anchor::Left,
                    false,
                );
                ty += LINE_H;
            }
        }
    }
    let mut sources_shown = Vec::new();
    if let Some([x, y, _, _]) = plan.sources {
        push_text(
            &mut page,
            [x, y + 7.0],
            "Sources".into(),
            10.5,
            INK,
            Anchor::Left,
            true,
        );
        for (i, line) in plan.source_lines.iter().enumerate() {
            #[allow(clippy::cast_precision_loss)]
            let ly = y + 18.0 + 12.5 * i as f32 + 6.0;
            push_text(
                &mut page,
                [x, ly],
                line.clone(),
                METRICS.small + 0.5,
                INK,
                Anchor::Left,
                false,
            );
        }
        sources_shown = visible.sources[..plan.sources_listed].to_vec();
    }
    let (width_px, height_px) = spec.pixel_size();
    Ok(Page {
        scene: page,
        frame: [f64::from(fx), f64::from(fy), f64::from(fw), f64::from(fh)],
        map_camera: camera,
        width_px,
        height_px,
        scale: spec.scale(),
        dpi: spec.dpi,
        legend: legend_shown,
        sources: sources_shown,
        attribution: (spec.attribution && !attribution.is_empty()).then_some(attribution),
    })
}

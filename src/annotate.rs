//! Annotations: the analyst's text labels, arrows, lines, rectangles, ellipses,
//! freehand strokes and pins with notes. This module owns their model (points in
//! lon/lat, so they stay on the ground when the view pans or zooms and land in the
//! right place in an export of any size), the edit history (every change can be
//! undone and redone), hit testing in screen pixels, their drawing as scene shapes,
//! and GeoJSON import/export with the style in `properties` so QGIS can open them.

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::camera::{Camera, Merc, lon_lat_from_merc, merc_from_lon_lat};
use crate::geodata::Rgba;
use crate::scene::{Anchor, Pt, Scene, Shape, Stroke, Symbol, font, push_symbol};

/// A geographic position: `[lon, lat]` in degrees (WGS84), longitude first as in GeoJSON.
pub type LonLat = [f64; 2];

/// Builds a position from longitude and latitude, in that order.
pub const fn lon_lat(lon: f64, lat: f64) -> LonLat {
    [lon, lat]
}

/// How many steps the history keeps.
pub const MAX_HISTORY: usize = 500;

/// Width in pixels at which pin notes wrap.
const NOTE_WRAP_PX: f32 = 220.0;

/// Colour, stroke width, font size and fill of one annotation.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnnoStyle {
    #[serde(with = "rgba_hex")]
    pub color: Rgba,
    /// Line width in logical pixels (scaled with DPI in exports).
    pub stroke_width: f32,
    /// Text size in logical pixels.
    pub font_size: f32,
    /// Rectangles and ellipses: fill with a translucent tint of `color`;
    /// text: draw a box behind the text.
    pub fill: bool,
}

impl Default for AnnoStyle {
    fn default() -> Self {
        Self {
            color: Rgba::rgb(0xd6, 0x27, 0x28),
            stroke_width: 2.5,
            font_size: 14.0,
            fill: false,
        }
    }
}

/// The shape of an annotation, with every point in lon/lat.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AnnotationKind {
    /// A text label whose left end sits at `at`.
    Text { at: LonLat },
    /// An arrow pointing from `from` to `to`.
    Arrow { from: LonLat, to: LonLat },
    /// A straight-segment line through `points`.
    Polyline { points: Vec<LonLat> },
    /// An axis-aligned rectangle between two opposite corners.
    Rect { a: LonLat, b: LonLat },
    /// An ellipse inscribed in the rectangle between two opposite corners.
    Ellipse { a: LonLat, b: LonLat },
    /// A hand-drawn stroke.
    Freehand { points: Vec<LonLat> },
    /// A pin at `at` with a note shown in a box beside it.
    Pin { at: LonLat, note: String },
}

impl AnnotationKind {
    /// The kind's name as written in GeoJSON `properties.kind`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Text { .. } => "text",
            Self::Arrow { .. } => "arrow",
            Self::Polyline { .. } => "polyline",
            Self::Rect { .. } => "rect",
            Self::Ellipse { .. } => "ellipse",
            Self::Freehand { .. } => "freehand",
            Self::Pin { .. } => "pin",
        }
    }

    /// Every position of the shape, in order.
    pub fn points(&self) -> Vec<LonLat> {
        match self {
            Self::Text { at } | Self::Pin { at, .. } => vec![*at],
            Self::Arrow { from: a, to: b } | Self::Rect { a, b } | Self::Ellipse { a, b } => {
                vec![*a, *b]
            }
            Self::Polyline { points } | Self::Freehand { points } => points.clone(),
        }
    }

    fn points_mut(&mut self) -> Vec<&mut LonLat> {
        match self {
            Self::Text { at } | Self::Pin { at, .. } => vec![at],
            Self::Arrow { from: a, to: b } | Self::Rect { a, b } | Self::Ellipse { a, b } => {
                vec![a, b]
            }
            Self::Polyline { points } | Self::Freehand { points } => points.iter_mut().collect(),
        }
    }
}

/// One annotation: an id that stays the same through edits, a shape, a style and
/// its text (the label of a text annotation, the title of a pin, a caption otherwise).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Annotation {
    pub id: u64,
    pub kind: AnnotationKind,
    #[serde(default)]
    pub style: AnnoStyle,
    #[serde(default)]
    pub text: String,
}

impl Annotation {
    /// An annotation with the default style and no text; `id` 0 means "give it one when added".
    pub fn new(kind: AnnotationKind) -> Self {
        Self {
            id: 0,
            kind,
            style: AnnoStyle::default(),
            text: String::new(),
        }
    }

    /// The same annotation with this text.
    #[must_use]
    pub fn with_text(mut self, text: impl Into<String>) -> Self {
        self.text = text.into();
        self
    }

    /// The same annotation with this style.
    #[must_use]
    pub fn with_style(mut self, style: AnnoStyle) -> Self {
        self.style = style;
        self
    }

    /// A copy moved by a Web Mercator delta in metres (east, north), so a drag of
    /// so many screen pixels moves every point by the same number of pixels.
    #[must_use]
    pub fn moved_merc(&self, dx_m: f64, dy_m: f64) -> Self {
        let mut out = self.clone();
        for p in out.kind.points_mut() {
            let m = merc_from_lon_lat(p[0], p[1]);
            let (lon, lat) = lon_lat_from_merc(Merc {
                x: m.x + dx_m,
                y: m.y + dy_m,
            });
            *p = [lon, lat];
        }
        out
    }

    /// A copy moved by a lon/lat delta in degrees.
    #[must_use]
    pub fn moved_lon_lat(&self, dlon: f64, dlat: f64) -> Self {
        let mut out = self.clone();
        for p in out.kind.points_mut() {
            *p = [p[0] + dlon, p[1] + dlat];
        }
        out
    }

    /// A short description for lists: the text, or the note, or the kind.
    pub fn title(&self) -> String {
        let first = |s: &str| s.lines().next().unwrap_or_default().trim().to_owned();
        if !self.text.trim().is_empty() {
            return first(&self.text);
        }
        if let AnnotationKind::Pin { note, .. } = &self.kind
            && !note.trim().is_empty()
        {
            return first(note);
        }
        self.kind.name().to_owned()
    }

    /// The shapes this annotation draws as in `scene` (its camera gives the pixels).
    pub fn shapes(&self, scene: &Scene) -> Vec<Shape> {
        let mut out = Scene::new(scene.camera, scene.background);
        let px = |p: &LonLat| scene.px(p[0], p[1]);
        let style = &self.style;
        let stroke = Stroke::solid(clamp_width(style.stroke_width), style.color);
        let tint = style.color.faded(0.28);
        match &self.kind {
            AnnotationKind::Text { at } => {
                let layout = text_layout(px(at), &self.text, style.font_size);
                if style.fill {
                    out.shapes.push(Shape::Area {
                        rings: vec![box_ring(inflate(layout.bounds, 5.0))],
                        triangles: None,
                        fill: Some(Rgba([255, 255, 255, 235])),
                        stroke: Some(Stroke::solid(1.2, style.color)),
                    });
                }
                for (pos, line) in layout.lines {
                    out.shapes.push(Shape::Text {
                        pos,
                        text: line,
                        size: clamp_size(style.font_size),
                        color: style.color,
                        anchor: Anchor::Left,
                        halo: (!style.fill).then_some(Rgba([255, 255, 255, 225])),
                        bold: false,
                    });
                }
            }
            AnnotationKind::Arrow { from, to } => {
                let (a, b) = (px(from), px(to));
                let (line_end, head) = arrow_head(a, b, stroke.width);
                out.shapes.push(Shape::Line {
                    points: vec![a, line_end],
                    stroke,
                });
                if let Some(head) = head {
                    out.shapes.push(Shape::Area {
                        rings: vec![head],
                        triangles: None,
                        fill: Some(style.color),
                        stroke: Some(Stroke::solid(1.0, style.color)),
                    });
                }
            }
            AnnotationKind::Polyline { points } | AnnotationKind::Freehand { points } => {
                out.shapes.push(Shape::Line {
                    points: points.iter().map(px).collect(),
                    stroke,
                });
            }
            AnnotationKind::Rect { a, b } => {
                let r = corners(px(a), px(b));
                out.shapes.push(Shape::Area {
                    rings: vec![box_ring(r)],
                    triangles: None,
                    fill: style.fill.then_some(tint),
                    stroke: Some(stroke),
                });
            }
            AnnotationKind::Ellipse { a, b } => {
                out.shapes.push(Shape::Area {
                    rings: vec![ellipse_ring(corners(px(a), px(b)), 72)],
                    triangles: None,
                    fill: style.fill.then_some(tint),
                    stroke: Some(stroke),
                });
            }
            AnnotationKind::Pin { at, note } => {
                let p = px(at);
                let pin = pin_geometry(p);
                out.shapes.push(Shape::Area {
                    rings: vec![pin.outline.clone()],
                    triangles: None,
                    fill: Some(style.color),
                    stroke: Some(Stroke::solid(1.2, Rgba::WHITE)),
                });
                push_symbol(
                    &mut out,
                    pin.head,
                    Symbol::Circle,
                    pin.head_radius,
                    Rgba::WHITE,
                    Stroke::solid(0.0, Rgba::TRANSPARENT),
                );
                if let Some(b) = note_box(p, &self.text, note, style.font_size) {
                    out.shapes.push(Shape::Area {
                        rings: vec![box_ring(b.bounds)],
                        triangles: None,
                        fill: Some(Rgba([255, 255, 255, 240])),
                        stroke: Some(Stroke::solid(1.2, style.color)),
                    });
                    for (pos, line, bold) in b.lines {
                        out.shapes.push(Shape::Text {
                            pos,
                            text: line,
                            size: b.size,
                            color: Rgba::rgb(0x22, 0x22, 0x22),
                            anchor: Anchor::Left,
                            halo: None,
                            bold,
                        });
                    }
                }
            }
        }
        let captioned = !matches!(
            self.kind,
            AnnotationKind::Text { .. } | AnnotationKind::Pin { .. }
        );
        if captioned
            && !self.text.trim().is_empty()
            && let Some(at) = caption_anchor(&self.kind, scene)
        {
            for (pos, line) in text_layout(at, &self.text, style.font_size).lines {
                out.shapes.push(Shape::Text {
                    pos,
                    text: line,
                    size: clamp_size(style.font_size),
                    color: style.color,
                    anchor: Anchor::Left,
                    halo: Some(Rgba([255, 255, 255, 225])),
                    bold: false,
                });
            }
        }
        out.shapes
    }

    /// The box `[x0, y0, x1, y1]` in pixels that the drawn annotation covers.
    pub fn bounds_px(&self, camera: &Camera) -> [f32; 4] {
        let scene = Scene::new(*camera, Rgba::TRANSPARENT);
        let mut b = [
            f32::INFINITY,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NEG_INFINITY,
        ];
        let mut grow = |p: Pt| {
            b = [
                b[0].min(p[0]),
                b[1].min(p[1]),
                b[2].max(p[0]),
                b[3].max(p[1]),
            ];
        };
        for shape in self.shapes(&scene) {
            match shape {
                Shape::Area { rings, .. } => rings.iter().flatten().for_each(|p| grow(*p)),
                Shape::Line { points, .. } => points.iter().for_each(|p| grow(*p)),
                Shape::Circle { center, radius, .. } => {
                    grow([center[0] - radius, center[1] - radius]);
                    grow([center[0] + radius, center[1] + radius]);
                }
                Shape::Text {
                    pos,
                    text,
                    size,
                    anchor,
                    ..
                } => {
                    let t = crate::scene::labels::text_box(pos, &text, size, anchor);
                    grow([t[0], t[1]]);
                    grow([t[2], t[3]]);
                }
                Shape::Group { .. } => {}
            }
        }
        b
    }

    /// Distance in pixels from `p` to the drawn annotation (0 inside a filled
    /// area, a text or a note box).
    pub fn distance_px(&self, camera: &Camera, p: Pt) -> f32 {
        let scene = Scene::new(*camera, Rgba::TRANSPARENT);
        let px = |q: &LonLat| scene.px(q[0], q[1]);
        let line_distance = |pts: &[Pt]| polyline_distance(pts, p);
        let caption = || {
            if self.text.trim().is_empty() {
                return f32::INFINITY;
            }
            caption_anchor(&self.kind, &scene).map_or(f32::INFINITY, |at| {
                box_distance(text_layout(at, &self.text, self.style.font_size).bounds, p)
            })
        };
        let body = match &self.kind {
            AnnotationKind::Text { at } => box_distance(
                text_layout(px(at), &self.text, self.style.font_size).bounds,
                p,
            ),
            AnnotationKind::Arrow { from, to } => line_distance(&[px(from), px(to)]),
            AnnotationKind::Polyline { points } | AnnotationKind::Freehand { points } => {
                let pts: Vec<Pt> = points.iter().map(px).collect();
                line_distance(&pts)
            }
            AnnotationKind::Rect { a, b } => {
                let r = corners(px(a), px(b));
                let ring = box_ring(r);
                area_distance(&ring, p, self.style.fill)
            }
            AnnotationKind::Ellipse { a, b } => {
                let ring = ellipse_ring(corners(px(a), px(b)), 72);
                area_distance(&ring, p, self.style.fill)
            }
            AnnotationKind::Pin { at, note } => {
                let q = px(at);
                let pin = pin_geometry(q);
                let mut d = area_distance(&pin.outline, p, true);
                if let Some(b) = note_box(q, &self.text, note, self.style.font_size) {
                    d = d.min(box_distance(b.bounds, p));
                }
                d
            }
        };
        body.min(caption())
    }
}

/// Serialises a colour as `#rrggbbaa` text.
mod rgba_hex {
    use crate::geodata::Rgba;

    pub fn serialize<S: serde::Serializer>(c: &Rgba, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::hex_rgba(*c))
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Rgba, D::Error> {
        <Rgba as serde::Deserialize>::deserialize(d)
    }
}

fn hex_rgba(c: Rgba) -> String {
    let [r, g, b, a] = c.0;
    format!("#{r:02x}{g:02x}{b:02x}{a:02x}")
}

/// One change to the annotations. Every change is one step of undo history
/// (a `Batch` too), unless applied with [`Annotations::apply_merged`].
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// Adds an annotation on top; id 0 (or an id already in use) gets a fresh id.
    Add(Annotation),
    /// Removes an annotation.
    Delete(u64),
    /// Moves an annotation by a Web Mercator delta in metres (east, north).
    MoveMerc { id: u64, dx_m: f64, dy_m: f64 },
    /// Moves an annotation by a lon/lat delta in degrees.
    MoveLonLat { id: u64, dlon: f64, dlat: f64 },
    /// Replaces the text (label, pin title or caption).
    SetText { id: u64, text: String },
    /// Replaces a pin's note (ignored for other kinds).
    SetNote { id: u64, note: String },
    /// Replaces the style.
    SetStyle { id: u64, style: AnnoStyle },
    /// Replaces the shape (for example after dragging a vertex).
    SetKind { id: u64, kind: AnnotationKind },
    /// Several changes as one step (an import, a multi-delete).
    Batch(Vec<Change>),
    /// Removes every annotation.
    Clear,
}

impl Change {
    /// A move by a drag of `dx_px`, `dy_px` screen pixels (y down) seen through `camera`.
    pub fn move_by_px(id: u64, camera: &Camera, dx_px: f64, dy_px: f64) -> Self {
        let s = camera.m_per_px();
        Self::MoveMerc {
            id,
            dx_m: dx_px * s,
            dy_m: -dy_px * s,
        }
    }

    fn target(&self) -> Option<u64> {
        match self {
            Self::MoveMerc { id, .. }
            | Self::MoveLonLat { id, .. }
            | Self::SetText { id, .. }
            | Self::SetNote { id, .. }
            | Self::SetStyle { id, .. }
            | Self::SetKind { id, .. } => Some(*id),
            Self::Add(_) | Self::Delete(_) | Self::Batch(_) | Self::Clear => None,
        }
    }
}

/// What one step did to one annotation: its state (and position in the
/// drawing order) before and after. `None` means it did not exist.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Edit {
    before: Option<(usize, Annotation)>,
    after: Option<(usize, Annotation)>,
}

/// The undo and redo steps of the annotations, as the workspace keeps them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnnotationHistory {
    pub undo: Vec<Vec<Edit>>,
    pub redo: Vec<Vec<Edit>>,
}

/// The annotations of a workspace with their undo/redo history. Saved with the
/// workspace (the history is not saved).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Annotations {
    items: Vec<Annotation>,
    next_id: u64,
    #[serde(skip)]
    undo: Vec<Vec<Edit>>,
    #[serde(skip)]
    redo: Vec<Vec<Edit>>,
    /// True while the last step may absorb further `apply_merged` changes.
    #[serde(skip)]
    merge_open: bool,
}

impl Annotations {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// A store holding `items` (no history), ids made unique.
    pub fn from_vec(items: Vec<Annotation>) -> Self {
        let mut out = Self::new();
        let mut taken = std::collections::HashSet::new();
        let mut next = 1;
        for mut a in items {
            if a.id == 0 || !taken.insert(a.id) {
                while taken.contains(&next) {
                    next += 1;
                }
                a.id = next;
                taken.insert(next);
            }
            out.items.push(a);
        }
        out.next_id = taken.iter().max().map_or(1, |m| m + 1);
        out
    }

    /// All annotations, bottom first (drawing order).
    pub fn items(&self) -> &[Annotation] {
        &self.items
    }

    /// The annotation with this id.
    pub fn get(&self, id: u64) -> Option<&Annotation> {
        self.items.iter().find(|a| a.id == id)
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Adds an annotation as one undoable step and returns its id.
    pub fn add(&mut self, annotation: Annotation) -> u64 {
        let id = self.fresh_id(annotation.id);
        let annotation = Annotation { id, ..annotation };
        // Cannot fail: adding needs no existing annotation.
        let _ = self.apply(Change::Add(annotation));
        id
    }

    /// Applies a change as one undo step. An unknown id changes nothing and is an error.
    pub fn apply(&mut self, change: Change) -> Result<(), AnnotateError> {
        self.merge_open = false;
        let mut edits = Vec::new();
        self.perform(change, &mut edits)?;
        self.push_step(edits);
        Ok(())
    }

    /// Applies a change that continues the previous one when both touch the
    /// same annotation (a drag in progress, typing): the pair undoes as one
    /// step. Call [`Annotations::end_merge`] when the gesture ends.
    pub fn apply_merged(&mut self, change: Change) -> Result<(), AnnotateError> {
        let target = change.target();
        let can_merge = self.merge_open
            && target.is_some()
            && self.undo.last().is_some_and(|step| {
                step.len() == 1
                    && step[0].after.as_ref().map(|(_, a)| a.id) == target
                    && step[0].before.is_some()
            });
        if !can_merge {
            self.apply(change)?;
            self.merge_open = target.is_some();
            return Ok(());
        }
        let mut edits = Vec::new();
        self.perform(change, &mut edits)?;
        if let (Some(step), Some(edit)) = (self.undo.last_mut(), edits.pop()) {
            step[0].after = edit.after;
        }
        Ok(())
    }

    /// Ends a run of merged changes.
    pub fn end_merge(&mut self) {
        self.merge_open = false;
    }

    /// How many steps can be undone.
    pub fn undo_depth(&self) -> usize {
        self.undo.len()
    }

    /// Undoes the last step; false when there is nothing to undo.
    pub fn undo(&mut self) -> bool {
        self.merge_open = false;
        let Some(step) = self.undo.pop() else {
            return false;
        };
        for edit in step.iter().rev() {
            self.set_state(edit.after.as_ref(), edit.before.as_ref());
        }
        self.redo.push(step);
        true
    }

    /// Redoes the last undone step; false when there is nothing to redo.
    pub fn redo(&mut self) -> bool {
        self.merge_open = false;
        let Some(step) = self.redo.pop() else {
            return false;
        };
        for edit in &step {
            self.set_state(edit.before.as_ref(), edit.after.as_ref());
        }
        self.undo.push(step);
        true
    }

    /// The topmost annotation within `tolerance_px` of the screen pixel `p`
    /// (the nearest when several are; the top one on a tie).
    pub fn pick(&self, camera: &Camera, p: [f64; 2], tolerance_px: f64) -> Option<u64> {
        #[allow(clippy::cast_possible_truncation)]
        let (p, tolerance) = ([p[0] as f32, p[1] as f32], tolerance_px as f32);
        let mut best: Option<(f32, u64)> = None;
        for a in self.items.iter().rev() {
            let d = a.distance_px(camera, p);
            if d <= tolerance && best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, a.id));
            }
        }
        best.map(|(_, id)| id)
    }

    /// Scene shapes for every annotation, bottom first, with a selection frame
    /// and vertex handles around `selected`.
    pub fn to_shapes(&self, scene: &Scene, selected: Option<u64>) -> Vec<Shape> {
        shapes_for(&self.items, scene, selected)
    }

    /// The annotations as a GeoJSON FeatureCollection.
    pub fn to_geojson(&self) -> Value {
        to_geojson(&self.items)
    }

    /// Adds the annotations of a GeoJSON file as one undoable step; returns how many.
    pub fn import_geojson(&mut self, text: &str) -> Result<usize, AnnotateError> {
        let items = from_geojson(text)?;
        let n = items.len();
        let adds = items
            .into_iter()
            .map(|a| Change::Add(Annotation { id: 0, ..a }))
            .collect();
        self.apply(Change::Batch(adds))?;
        Ok(n)
    }

    /// Gives new annotations ids from `base` on (a team copy's own range of
    /// 2³² ids, so copies drawing at once never pick the same id).
    pub fn reserve_ids_from(&mut self, base: u64) {
        let top = base.saturating_add(1 << 32);
        let own_max = self
            .items
            .iter()
            .map(|a| a.id)
            .filter(|id| (base..top).contains(id))
            .max();
        self.next_id = own_max.map_or(base, |m| m + 1);
    }

    /// The undo and redo steps, to be kept with the workspace.
    pub fn history(&self) -> AnnotationHistory {
        AnnotationHistory {
            undo: self.undo.clone(),
            redo: self.redo.clone(),
        }
    }

    /// Restores steps kept with the workspace. Steps that no longer fit the
    /// annotations (the file was changed elsewhere) are dropped, newest
    /// first kept, so an undo never puts back something out of place.
    pub fn restore_history(&mut self, history: AnnotationHistory) {
        let fits = |step: &Vec<Edit>, items: &[Annotation], forward: bool| {
            step.iter().all(|e| {
                let now = if forward { &e.before } else { &e.after };
                match now {
                    Some((_, a)) => items.iter().any(|x| x == a),
                    None => {
                        let id = e.before.as_ref().or(e.after.as_ref()).map(|(_, a)| a.id);
                        id.is_none_or(|id| items.iter().all(|x| x.id != id))
                    }
                }
            })
        };
        // Only the newest step of each list can be checked against what is
        // there now; a list whose newest step does not fit is not restored.
        self.undo = match history.undo.last() {
            Some(step) if fits(step, &self.items, false) => history.undo,
            _ => Vec::new(),
        };
        self.redo = match history.redo.last() {
            Some(step) if fits(step, &self.items, true) => history.redo,
            _ => Vec::new(),
        };
        self.undo.truncate(MAX_HISTORY);
        self.merge_open = false;
    }

    /// Puts an annotation as another analyst left it: replaced where it
    /// stands, or added on top; not a step of this analyst's history.
    pub fn put_shared(&mut self, annotation: Annotation) {
        self.merge_open = false;
        match self.items.iter().position(|a| a.id == annotation.id) {
            Some(i) => self.items[i] = annotation,
            None => self.items.push(annotation),
        }
    }

    /// Removes an annotation another analyst removed (not a step here).
    pub fn remove_shared(&mut self, id: u64) {
        self.merge_open = false;
        self.items.retain(|a| a.id != id);
    }

    fn fresh_id(&mut self, wanted: u64) -> u64 {
        let taken = |id: u64, items: &[Annotation]| items.iter().any(|a| a.id == id);
        let id = if wanted != 0 && !taken(wanted, &self.items) {
            wanted
        } else {
            let mut id = self.next_id.max(1);
            while taken(id, &self.items) {
                id += 1;
            }
            id
        };
        self.next_id = self.next_id.max(id + 1);
        id
    }

    fn index_of(&self, id: u64) -> Result<usize, AnnotateError> {
        self.items
            .iter()
            .position(|a| a.id == id)
            .ok_or(AnnotateError::NoSuchId(id))
    }

    /// Carries out a change, recording what it did; on error nothing is changed.
    fn perform(&mut self, change: Change, edits: &mut Vec<Edit>) -> Result<(), AnnotateError> {
        let mut update = |this: &mut Self, id: u64, f: &dyn Fn(&Annotation) -> Annotation| {
            let i = this.index_of(id)?;
            let before = this.items[i].clone();
            let after = f(&before);
            this.items[i] = after.clone();
            edits.push(Edit {
                before: Some((i, before)),
                after: Some((i, after)),
            });
            Ok(())
        };
        match change {
            Change::Add(a) => {
                let id = self.fresh_id(a.id);
                let a = Annotation { id, ..a };
                self.items.push(a.clone());
                edits.push(Edit {
                    before: None,
                    after: Some((self.items.len() - 1, a)),
                });
                Ok(())
            }
            Change::Delete(id) => {
                let i = self.index_of(id)?;
                let a = self.items.remove(i);
                edits.push(Edit {
                    before: Some((i, a)),
                    after: None,
                });
                Ok(())
            }
            Change::MoveMerc { id, dx_m, dy_m } => update(self, id, &|a| a.moved_merc(dx_m, dy_m)),
            Change::MoveLonLat { id, dlon, dlat } => {
                update(self, id, &|a| a.moved_lon_lat(dlon, dlat))
            }
            Change::SetText { id, text } => update(self, id, &|a| Annotation {
                text: text.clone(),
                ..a.clone()
            }),
            Change::SetNote { id, note } => update(self, id, &|a| {
                let mut out = a.clone();
                if let AnnotationKind::Pin { note: n, .. } = &mut out.kind {
                    n.clone_from(&note);
                }
                out
            }),
            Change::SetStyle { id, style } => {
                update(self, id, &|a| Annotation { style, ..a.clone() })
            }
            Change::SetKind { id, kind } => update(self, id, &|a| Annotation {
                kind: kind.clone(),
                ..a.clone()
            }),
            Change::Batch(changes) => {
                let mark = edits.len();
                for c in changes {
                    if let Err(e) = self.perform(c, edits) {
                        // Roll back what this batch already did.
                        for edit in edits.drain(mark..).rev() {
                            self.set_state(edit.after.as_ref(), edit.before.as_ref());
                        }
                        return Err(e);
                    }
                }
                Ok(())
            }
            Change::Clear => {
                while let Some(a) = self.items.pop() {
                    edits.push(Edit {
                        before: Some((self.items.len(), a)),
                        after: None,
                    });
                }
                Ok(())
            }
        }
    }

    /// Moves one annotation from state `from` to state `to`.
    fn set_state(&mut self, from: Option<&(usize, Annotation)>, to: Option<&(usize, Annotation)>) {
        let id = from.or(to).map(|(_, a)| a.id);
        let current = id.and_then(|id| self.items.iter().position(|a| a.id == id));
        match (current, to) {
            (Some(i), Some((_, a))) => self.items[i] = a.clone(),
            (Some(i), None) => {
                self.items.remove(i);
            }
            (None, Some((at, a))) => {
                let at = (*at).min(self.items.len());
                self.items.insert(at, a.clone());
            }
            (None, None) => {}
        }
    }

    fn push_step(&mut self, edits: Vec<Edit>) {
        if edits.is_empty() {
            return;
        }
        self.undo.push(edits);
        if self.undo.len() > MAX_HISTORY {
            self.undo.remove(0);
        }
        self.redo.clear();
    }
}

/// Scene shapes for `items`, bottom first, with a selection frame and vertex
/// handles around `selected`.
/// At most this many characters of labels and notes are drawn in one view.
pub const MAX_DRAWN_TEXT_TOTAL: usize = 60_000;

/// Characters of an annotation's label and note that would be drawn.
fn drawn_chars(a: &Annotation) -> usize {
    let note = match &a.kind {
        AnnotationKind::Pin { note, .. } => note.as_str(),
        _ => "",
    };
    a.text.chars().take(MAX_DRAWN_CHARS).count() + note.chars().take(MAX_DRAWN_CHARS).count()
}

/// At most this many annotations are drawn in one view (the topmost ones);
/// the rest stay in the workspace, listed and exported as data.
pub const MAX_DRAWN_ANNOTATIONS: usize = 5_000;

pub fn shapes_for(items: &[Annotation], scene: &Scene, selected: Option<u64>) -> Vec<Shape> {
    let mut out: Vec<Vec<Shape>> = Vec::new();
    let start = items.len().saturating_sub(MAX_DRAWN_ANNOTATIONS);
    // Text is the costly part of drawing: past a budget, further annotations
    // are drawn without their labels and notes (topmost keep theirs).
    let mut budget = MAX_DRAWN_TEXT_TOTAL;
    for a in items[start..].iter().rev() {
        let chars = drawn_chars(a);
        if chars <= budget {
            budget -= chars;
            out.push(a.shapes(scene));
        } else {
            let mut bare = a.clone();
            bare.text.clear();
            if let AnnotationKind::Pin { note, .. } = &mut bare.kind {
                note.clear();
            }
            out.push(bare.shapes(scene));
        }
    }
    let mut out: Vec<Shape> = out.into_iter().rev().flatten().collect();
    if let Some(a) = selected.and_then(|id| items.iter().find(|a| a.id == id)) {
        let blue = Rgba::rgb(0x00, 0x7a, 0xff);
        let b = inflate(a.bounds_px(&scene.camera), 4.0);
        if b.iter().all(|v| v.is_finite()) {
            out.push(Shape::Area {
                rings: vec![box_ring(b)],
                triangles: None,
                fill: None,
                stroke: Some(Stroke {
                    width: 1.2,
                    color: blue,
                    dash: Some([5.0, 3.0]),
                }),
            });
        }
        let handles = match &a.kind {
            AnnotationKind::Freehand { points } => points
                .first()
                .into_iter()
                .chain(points.last())
                .copied()
                .collect(),
            k => k.points(),
        };
        for p in handles {
            let c = scene.px(p[0], p[1]);
            out.push(Shape::Area {
                rings: vec![box_ring([c[0] - 3.5, c[1] - 3.5, c[0] + 3.5, c[1] + 3.5])],
                triangles: None,
                fill: Some(Rgba::WHITE),
                stroke: Some(Stroke::solid(1.2, blue)),
            });
        }
    }
    out
}

/// Where the lines of a text go and the box they cover.
struct TextLayout {
    lines: Vec<(Pt, String)>,
    bounds: [f32; 4],
}

/// At most this much of a label or note is drawn (the whole text stays in the
/// workspace and the inspector): a 1M-character label must not stall a frame
/// or overflow a GPU buffer.
pub const MAX_DRAWN_CHARS: usize = 600;
/// At most this many lines of a label or note are drawn.
pub const MAX_DRAWN_LINES: usize = 12;

/// The part of `text` that is drawn, with "…" when some is left out.
pub fn drawn_text(text: &str) -> std::borrow::Cow<'_, str> {
    let mut end = text.len();
    if let Some((i, _)) = text.char_indices().nth(MAX_DRAWN_CHARS) {
        end = i;
    }
    if let Some((i, _)) = text.match_indices('\n').nth(MAX_DRAWN_LINES - 1) {
        end = end.min(i);
    }
    if end == text.len() {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(format!("{}…", &text[..end]))
    }
}

fn text_layout(at: Pt, text: &str, size: f32) -> TextLayout {
    let size = clamp_size(size);
    let text = drawn_text(text);
    let line_h = size * 1.25;
    let mut lines = Vec::new();
    let mut width: f32 = 0.0;
    let mut y = at[1];
    for line in text.lines() {
        width = width.max(font::text_width(line, size));
        lines.push(([at[0], y], line.to_owned()));
        y += line_h;
    }
    #[allow(clippy::cast_precision_loss)]
    let n = lines.len().max(1) as f32;
    let bounds = [
        at[0],
        at[1] - size * 0.6,
        at[0] + width.max(size * 0.5),
        at[1] + (n - 1.0) * line_h + size * 0.6,
    ];
    TextLayout { lines, bounds }
}

/// Breaks `text` into lines no wider than `max_px` at `size` (explicit line
/// breaks kept; a single word wider than the limit stays whole).
pub fn wrap_text(text: &str, size: f32, max_px: f32) -> Vec<String> {
    let mut out = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        let words = paragraph
            .split_whitespace()
            .flat_map(|w| break_long_word(w, size, max_px));
        for word in words {
            let word = word.as_str();
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if !line.is_empty() && font::text_width(&candidate, size) > max_px {
                out.push(std::mem::take(&mut line));
                line = word.to_owned();
            } else {
                line = candidate;
            }
        }
        out.push(line);
    }
    out
}

/// A word wider than a line (a URL, a run of one letter) in pieces that fit.
fn break_long_word(word: &str, size: f32, max_px: f32) -> Vec<String> {
    if font::text_width(word, size) <= max_px {
        return vec![word.to_owned()];
    }
    let mut out = Vec::new();
    let mut piece = String::new();
    let mut width = 0.0;
    for ch in word.chars() {
        let w = font::text_width(ch.encode_utf8(&mut [0; 4]), size);
        if !piece.is_empty() && width + w > max_px {
            out.push(std::mem::take(&mut piece));
            width = 0.0;
        }
        piece.push(ch);
        width += w;
    }
    out.push(piece);
    out
}

/// The note box of a pin at `p`: to the upper right of the pin head.
struct NoteBox {
    bounds: [f32; 4],
    lines: Vec<(Pt, String, bool)>,
    size: f32,
}

/// Text sizes drawn, whatever a file says (a font size of 1e30 draws at the top).
fn clamp_size(size: f32) -> f32 {
    if size.is_finite() {
        size.clamp(4.0, 200.0)
    } else {
        14.0
    }
}

/// Line widths drawn, whatever a file says.
fn clamp_width(width: f32) -> f32 {
    if width.is_finite() {
        width.clamp(0.5, 50.0)
    } else {
        2.5
    }
}

fn note_box(p: Pt, title: &str, note: &str, font_size: f32) -> Option<NoteBox> {
    let size = (clamp_size(font_size) * 0.86).max(7.0);
    let mut rows: Vec<(String, bool)> = Vec::new();
    for line in wrap_text(drawn_text(title.trim()).trim(), size, NOTE_WRAP_PX) {
        if !line.is_empty() {
            rows.push((line, true));
        }
    }
    for line in wrap_text(drawn_text(note.trim()).trim(), size, NOTE_WRAP_PX) {
        rows.push((line, false));
    }
    if rows.len() > MAX_DRAWN_LINES {
        rows.truncate(MAX_DRAWN_LINES);
        if let Some((last, _)) = rows.last_mut() {
            last.push('…');
        }
    }
    while rows.last().is_some_and(|(l, _)| l.is_empty()) {
        rows.pop();
    }
    if rows.is_empty() {
        return None;
    }
    let pad = 5.0;
    let line_h = size * 1.3;
    let width = rows
        .iter()
        .map(|(l, _)| font::text_width(l, size))
        .fold(0.0f32, f32::max);
    let x0 = p[0] + 14.0;
    #[allow(clippy::cast_precision_loss)]
    let height = rows.len() as f32 * line_h + 2.0 * pad;
    let y0 = p[1] - 22.0 - height / 2.0;
    let lines = rows
        .into_iter()
        .enumerate()
        .map(|(i, (l, bold))| {
            #[allow(clippy::cast_precision_loss)]
            let y = y0 + pad + line_h * (i as f32 + 0.5);
            ([x0 + pad, y], l, bold)
        })
        .collect();
    Some(NoteBox {
        bounds: [x0, y0, x0 + width + 2.0 * pad, y0 + height],
        lines,
        size,
    })
}

/// A map pin standing on `p`: a round head above a point.
struct PinGeometry {
    outline: Vec<Pt>,
    head: Pt,
    head_radius: f32,
}

fn pin_geometry(p: Pt) -> PinGeometry {
    let r = 7.0;
    let head = [p[0], p[1] - 18.0];
    // The two tangent points from the tip to the head circle.
    let d = p[1] - head[1];
    let half = (r / d).acos();
    let start = std::f32::consts::FRAC_PI_2 + half;
    let end = std::f32::consts::FRAC_PI_2 - half + std::f32::consts::TAU;
    let steps = 28;
    let mut outline = vec![p];
    for i in 0..=steps {
        #[allow(clippy::cast_precision_loss)]
        let a = start + (end - start) * i as f32 / steps as f32;
        outline.push([head[0] + r * a.cos(), head[1] + r * a.sin()]);
    }
    PinGeometry {
        outline,
        head,
        head_radius: r * 0.85,
    }
}

/// Where a shape's caption goes: beside its last point (arrow tail for arrows).
fn caption_anchor(kind: &AnnotationKind, scene: &Scene) -> Option<Pt> {
    let at = match kind {
        AnnotationKind::Arrow { from, .. } => *from,
        AnnotationKind::Rect { a, b } | AnnotationKind::Ellipse { a, b } => {
            [a[0].min(b[0]), a[1].max(b[1])]
        }
        k => *k.points().last()?,
    };
    let p = scene.px(at[0], at[1]);
    let dy = match kind {
        AnnotationKind::Rect { .. } | AnnotationKind::Ellipse { .. } => -12.0,
        _ => 0.0,
    };
    let dx = match kind {
        AnnotationKind::Rect { .. } | AnnotationKind::Ellipse { .. } => 0.0,
        _ => 8.0,
    };
    Some([p[0] + dx, p[1] + dy])
}

/// The line end and the arrowhead triangle for an arrow from `a` to `b`.
fn arrow_head(a: Pt, b: Pt, width: f32) -> (Pt, Option<Vec<Pt>>) {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len = dx.hypot(dy);
    if len < 1e-3 {
        return (b, None);
    }
    let (ux, uy) = (dx / len, dy / len);
    let head_len = (width * 4.0).max(11.0).min(len * 0.6);
    let half_w = head_len * 0.45;
    let base = [b[0] - ux * head_len, b[1] - uy * head_len];
    let head = vec![
        b,
        [base[0] - uy * half_w, base[1] + ux * half_w],
        [base[0] + uy * half_w, base[1] - ux * half_w],
    ];
    let line_end = [b[0] - ux * head_len * 0.8, b[1] - uy * head_len * 0.8];
    (line_end, Some(head))
}

fn corners(a: Pt, b: Pt) -> [f32; 4] {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[0].max(b[0]),
        a[1].max(b[1]),
    ]
}

fn inflate(b: [f32; 4], by: f32) -> [f32; 4] {
    [b[0] - by, b[1] - by, b[2] + by, b[3] + by]
}

fn box_ring(b: [f32; 4]) -> Vec<Pt> {
    vec![[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]]]
}

fn ellipse_ring(b: [f32; 4], n: usize) -> Vec<Pt> {
    let (cx, cy) = ((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0);
    let (rx, ry) = ((b[2] - b[0]) / 2.0, (b[3] - b[1]) / 2.0);
    (0..n)
        .map(|i| {
            #[allow(clippy::cast_precision_loss)]
            let t = std::f32::consts::TAU * i as f32 / n as f32;
            [cx + rx * t.cos(), cy + ry * t.sin()]
        })
        .collect()
}

fn segment_distance(a: Pt, b: Pt, p: Pt) -> f32 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (p[0] - (a[0] + t * dx)).hypot(p[1] - (a[1] + t * dy))
}

fn polyline_distance(points: &[Pt], p: Pt) -> f32 {
    match points {
        [] => f32::INFINITY,
        [only] => (only[0] - p[0]).hypot(only[1] - p[1]),
        _ => points
            .windows(2)
            .map(|w| segment_distance(w[0], w[1], p))
            .fold(f32::INFINITY, f32::min),
    }
}

fn inside_ring(ring: &[Pt], p: Pt) -> bool {
    let mut inside = false;
    let n = ring.len();
    for i in 0..n {
        let (a, b) = (ring[i], ring[(i + 1) % n]);
        if (a[1] > p[1]) != (b[1] > p[1]) {
            let x = a[0] + (p[1] - a[1]) / (b[1] - a[1]) * (b[0] - a[0]);
            if p[0] < x {
                inside = !inside;
            }
        }
    }
    inside
}

fn area_distance(ring: &[Pt], p: Pt, filled: bool) -> f32 {
    if filled && inside_ring(ring, p) {
        return 0.0;
    }
    let mut closed = ring.to_vec();
    if let Some(first) = ring.first() {
        closed.push(*first);
    }
    polyline_distance(&closed, p)
}

fn box_distance(b: [f32; 4], p: Pt) -> f32 {
    let dx = (b[0] - p[0]).max(p[0] - b[2]).max(0.0);
    let dy = (b[1] - p[1]).max(p[1] - b[3]).max(0.0);
    dx.hypot(dy)
}

/// What can go wrong with annotations: an unknown id, or a GeoJSON file that
/// cannot be read (naming the feature and the problem).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum AnnotateError {
    #[error("no annotation with id {0}")]
    NoSuchId(u64),
    #[error("not valid JSON: {0}")]
    Json(String),
    #[error("expected a GeoJSON FeatureCollection, found {0}")]
    NotACollection(String),
    #[error("feature {index}: {problem}")]
    Feature { index: usize, problem: String },
    #[error("cannot read {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("cannot write {path}: {reason}")]
    Write { path: String, reason: String },
}

/// The annotations as a GeoJSON FeatureCollection (RFC 7946: lon/lat order,
/// polygons closed and counter-clockwise). Style goes into `properties`:
/// `kind`, `text`, `note` (pins), `color` (`#rrggbb`), `opacity`, `stroke_width`,
/// `font_size`, `fill`.
pub fn to_geojson(items: &[Annotation]) -> Value {
    let features: Vec<Value> = items.iter().map(feature_of).collect();
    json!({
        "type": "FeatureCollection",
        "name": "badiya annotations",
        "features": features,
    })
}

fn position(p: LonLat) -> Value {
    json!([p[0], p[1]])
}

fn feature_of(a: &Annotation) -> Value {
    let line = |points: &[LonLat]| json!({"type": "LineString", "coordinates": points.iter().map(|p| position(*p)).collect::<Vec<_>>()});
    let polygon = |mut ring: Vec<LonLat>| {
        if signed_area(&ring) < 0.0 {
            ring.reverse();
        }
        if let Some(first) = ring.first().copied() {
            ring.push(first);
        }
        json!({"type": "Polygon", "coordinates": [ring.into_iter().map(position).collect::<Vec<_>>()]})
    };
    let geometry = match &a.kind {
        AnnotationKind::Text { at } | AnnotationKind::Pin { at, .. } => {
            json!({"type": "Point", "coordinates": position(*at)})
        }
        AnnotationKind::Arrow { from, to } => line(&[*from, *to]),
        AnnotationKind::Polyline { points } | AnnotationKind::Freehand { points } => line(points),
        AnnotationKind::Rect { a, b } => {
            let (x0, x1) = (a[0].min(b[0]), a[0].max(b[0]));
            let (y0, y1) = (a[1].min(b[1]), a[1].max(b[1]));
            polygon(vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
        }
        AnnotationKind::Ellipse { a, b } => polygon(ellipse_lon_lat(*a, *b, 64)),
    };
    let mut props = Map::new();
    props.insert("id".into(), json!(a.id));
    props.insert("kind".into(), json!(a.kind.name()));
    props.insert("text".into(), json!(a.text));
    if let AnnotationKind::Pin { note, .. } = &a.kind {
        props.insert("note".into(), json!(note));
    }
    props.insert("color".into(), json!(a.style.color.hex_rgb()));
    props.insert(
        "opacity".into(),
        json!((f64::from(a.style.color.alpha_f32()) * 1000.0).round() / 1000.0),
    );
    props.insert("stroke_width".into(), json!(a.style.stroke_width));
    props.insert("font_size".into(), json!(a.style.font_size));
    props.insert("fill".into(), json!(a.style.fill));
    json!({"type": "Feature", "geometry": geometry, "properties": props})
}

/// Points of an ellipse inscribed in the lon/lat box `a`–`b`, computed in Web
/// Mercator so it matches what the map draws; the four extreme points are
/// included, so the box can be recovered from the polygon.
pub(crate) fn ellipse_lon_lat(a: LonLat, b: LonLat, n: usize) -> Vec<LonLat> {
    let ma = merc_from_lon_lat(a[0], a[1]);
    let mb = merc_from_lon_lat(b[0], b[1]);
    let (cx, cy) = (f64::midpoint(ma.x, mb.x), f64::midpoint(ma.y, mb.y));
    let (rx, ry) = ((mb.x - ma.x).abs() / 2.0, (mb.y - ma.y).abs() / 2.0);
    let (x0, x1) = (a[0].min(b[0]), a[0].max(b[0]));
    let (y0, y1) = (a[1].min(b[1]), a[1].max(b[1]));
    (0..n)
        .map(|i| {
            #[allow(clippy::cast_precision_loss)]
            let t = std::f64::consts::TAU * i as f64 / n as f64;
            let (lon, lat) = lon_lat_from_merc(Merc {
                x: cx + rx * t.cos(),
                y: cy + ry * t.sin(),
            });
            let mut p = [lon, lat];
            // The extreme points take the exact corner values, so the box round-trips.
            if (i * 4) % n == 0 {
                match i * 4 / n {
                    0 => p[0] = x1,
                    1 => p[1] = y1,
                    2 => p[0] = x0,
                    _ => p[1] = y0,
                }
            }
            p
        })
        .collect()
}

/// Twice the signed area of a lon/lat ring (positive: counter-clockwise).
fn signed_area(ring: &[LonLat]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            a[0] * b[1] - b[0] * a[1]
        })
        .sum()
}

/// Reads annotations from GeoJSON text: a FeatureCollection whose features have
/// Point, LineString or Polygon geometry, with `properties.kind` saying what each
/// is (features without one — drawn in QGIS, say — become pins or text, lines
/// and closed lines). Errors name the feature index and the problem.
pub fn from_geojson(text: &str) -> Result<Vec<Annotation>, AnnotateError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| AnnotateError::Json(e.to_string()))?;
    let kind_of = |v: &Value| {
        v.get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    if kind_of(&value) != "FeatureCollection" {
        let found = match kind_of(&value).as_str() {
            "" => "no \"type\"".to_owned(),
            t => format!("a {t}"),
        };
        return Err(AnnotateError::NotACollection(found));
    }
    let features = value
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| AnnotateError::NotACollection("no \"features\" array".into()))?;
    features
        .iter()
        .enumerate()
        .map(|(index, f)| {
            annotation_of(f).map_err(|problem| AnnotateError::Feature { index, problem })
        })
        .collect()
}

fn annotation_of(feature: &Value) -> Result<Annotation, String> {
    let empty = Map::new();
    let props = feature
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let geometry = feature
        .get("geometry")
        .filter(|g| !g.is_null())
        .ok_or("no geometry")?;
    let gtype = geometry
        .get("type")
        .and_then(Value::as_str)
        .ok_or("geometry has no type")?;
    let coords = geometry
        .get("coordinates")
        .ok_or_else(|| format!("{gtype} has no coordinates"))?;
    let text = props
        .get("text")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let note = props
        .get("note")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let kind = props.get("kind").and_then(Value::as_str);
    let kind = match (gtype, kind) {
        ("Point", k) => {
            let at = parse_position(coords)?;
            match k {
                Some("text") => AnnotationKind::Text { at },
                Some("pin") => AnnotationKind::Pin { at, note },
                None if !text.is_empty() && note.is_empty() => AnnotationKind::Text { at },
                None => AnnotationKind::Pin { at, note },
                Some(other) => return Err(format!("kind {other:?} cannot be a Point")),
            }
        }
        ("LineString", k) => {
            let points = parse_line(coords)?;
            match k {
                Some("arrow") => {
                    let (Some(from), Some(to)) = (points.first(), points.last()) else {
                        return Err("arrow needs two positions".into());
                    };
                    AnnotationKind::Arrow {
                        from: *from,
                        to: *to,
                    }
                }
                Some("freehand") => AnnotationKind::Freehand { points },
                Some("polyline" | "line") | None => AnnotationKind::Polyline { points },
                Some(other) => return Err(format!("kind {other:?} cannot be a LineString")),
            }
        }
        ("Polygon", k) => {
            let rings = coords
                .as_array()
                .ok_or("Polygon coordinates are not an array of rings")?;
            let ring = parse_line(rings.first().ok_or("Polygon has no ring")?)?;
            if ring.len() < 4 {
                return Err(format!(
                    "polygon ring has {} positions; at least 4 are needed",
                    ring.len()
                ));
            }
            let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
            for p in &ring {
                lo = [lo[0].min(p[0]), lo[1].min(p[1])];
                hi = [hi[0].max(p[0]), hi[1].max(p[1])];
            }
            match k {
                Some("rect") => AnnotationKind::Rect { a: lo, b: hi },
                Some("ellipse") => AnnotationKind::Ellipse { a: lo, b: hi },
                Some("polyline" | "line") | None => AnnotationKind::Polyline { points: ring },
                Some(other) => return Err(format!("kind {other:?} cannot be a Polygon")),
            }
        }
        (other, _) => {
            return Err(format!(
                "{other} geometry is not supported (use Point, LineString or Polygon)"
            ));
        }
    };
    let mut style = AnnoStyle::default();
    if let Some(c) = props.get("color").and_then(Value::as_str) {
        style.color = Rgba::parse(c).ok_or_else(|| format!("color {c:?} is not #rrggbb"))?;
    }
    if let Some(o) = props.get("opacity").and_then(Value::as_f64) {
        if !(0.0..=1.0).contains(&o) {
            return Err(format!("opacity {o} is not between 0 and 1"));
        }
        #[allow(clippy::cast_possible_truncation)]
        let o = o as f32;
        style.color = Rgba([style.color.0[0], style.color.0[1], style.color.0[2], 255]).faded(o);
    }
    let positive = |key: &str, default: f32| -> Result<f32, String> {
        match props.get(key) {
            None | Some(Value::Null) => Ok(default),
            Some(v) => {
                let n = v.as_f64().ok_or_else(|| format!("{key} is not a number"))?;
                #[allow(clippy::cast_possible_truncation)]
                let n = n as f32;
                if n.is_finite() && n > 0.0 && n <= 500.0 {
                    Ok(n)
                } else {
                    Err(format!("{key} {n} is out of range"))
                }
            }
        }
    };
    style.stroke_width = positive("stroke_width", style.stroke_width)?;
    style.font_size = positive("font_size", style.font_size)?;
    if let Some(f) = props.get("fill").and_then(Value::as_bool) {
        style.fill = f;
    }
    let id = props.get("id").and_then(Value::as_u64).unwrap_or(0);
    Ok(Annotation {
        id,
        kind,
        style,
        text,
    })
}

fn parse_position(v: &Value) -> Result<LonLat, String> {
    let a = v
        .as_array()
        .filter(|a| a.len() >= 2)
        .ok_or("a position must be [lon, lat]")?;
    let (Some(lon), Some(lat)) = (a[0].as_f64(), a[1].as_f64()) else {
        return Err("a position must hold numbers".into());
    };
    if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
        return Err(format!(
            "position out of range: [{lon}, {lat}] (GeoJSON order is [lon, lat])"
        ));
    }
    Ok([lon, lat])
}

fn parse_line(v: &Value) -> Result<Vec<LonLat>, String> {
    let a = v.as_array().ok_or("coordinates are not an array")?;
    if a.len() < 2 {
        return Err(format!(
            "a line needs at least 2 positions, found {}",
            a.len()
        ));
    }
    a.iter().map(parse_position).collect()
}

/// Writes the annotations to a GeoJSON file (through a temporary file, so a
/// failed write leaves any existing file as it was).
pub fn save_geojson(items: &[Annotation], path: &Path) -> Result<(), AnnotateError> {
    let write_err = |e: std::io::Error| AnnotateError::Write {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    let text =
        serde_json::to_string_pretty(&to_geojson(items)).map_err(|e| AnnotateError::Write {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
    let tmp = path.with_extension("geojson.tmp");
    std::fs::write(&tmp, text).map_err(write_err)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        write_err(e)
    })
}

/// Reads annotations from a GeoJSON file.
pub fn load_geojson(path: &Path) -> Result<Vec<Annotation>, AnnotateError> {
    let text = crate::input::read_text_limited(path, crate::input::MAX_ANNOTATIONS_BYTES).map_err(
        |e| AnnotateError::Read {
            path: path.display().to_string(),
            reason: e.reason(),
        },
    )?;
    from_geojson(&text).map_err(|e| AnnotateError::Read {
        path: path.display().to_string(),
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_drawn_cut_and_wrapped_within_the_note() {
        let huge = "L".repeat(1_000_000);
        let drawn = drawn_text(&huge);
        assert_eq!(drawn.chars().count(), MAX_DRAWN_CHARS + 1);
        assert!(drawn.ends_with('…'));
        let lines = "a\n".repeat(100);
        assert_eq!(drawn_text(&lines).lines().count(), MAX_DRAWN_LINES);
        let b = note_box([0.0, 0.0], "", &"n".repeat(2_000), 14.0).expect("box");
        assert!(
            b.bounds[2] - b.bounds[0] <= NOTE_WRAP_PX + 40.0,
            "{:?}",
            b.bounds
        );
        assert!(b.lines.len() <= MAX_DRAWN_LINES);
        // A font size of 1e30 draws at the largest size.
        assert!(note_box([0.0, 0.0], "t", "n", 1e30).expect("box").size <= 200.0);
    }

    fn arrow() -> Annotation {
        Annotation::new(AnnotationKind::Arrow {
            from: lon_lat(40.9, 34.45),
            to: lon_lat(42.44, 33.79),
        })
        .with_text("advance")
    }

    fn rect() -> Annotation {
        Annotation::new(AnnotationKind::Rect {
            a: lon_lat(42.5, 34.2),
            b: lon_lat(41.0, 33.4),
        })
    }

    fn sample() -> Vec<Annotation> {
        let style = AnnoStyle {
            fill: true,
            color: Rgba([10, 120, 200, 128]),
            ..AnnoStyle::default()
        };
        vec![
            Annotation::new(AnnotationKind::Text {
                at: lon_lat(41.0, 34.0),
            })
            .with_text("Al-Qaim\ncrossing"),
            arrow(),
            Annotation::new(AnnotationKind::Polyline {
                points: vec![
                    lon_lat(40.0, 35.0),
                    lon_lat(40.5, 35.2),
                    lon_lat(41.0, 35.1),
                ],
            }),
            rect().with_style(style),
            Annotation::new(AnnotationKind::Ellipse {
                a: lon_lat(40.0, 35.0),
                b: lon_lat(41.2, 35.6),
            }),
            Annotation::new(AnnotationKind::Freehand {
                points: vec![
                    lon_lat(39.0, 34.0),
                    lon_lat(39.1, 34.05),
                    lon_lat(39.3, 34.0),
                ],
            }),
            Annotation::new(AnnotationKind::Pin {
                at: lon_lat(42.4412, 33.7856),
                note: "Rocket attack reported".into(),
            })
            .with_text("Ain al-Asad"),
        ]
    }

    #[test]
    fn undo_redo_round_trips_every_kind_of_change() {
        let mut store = Annotations::new();
        let mut states = vec![store.items().to_vec()];
        let a = store.add(arrow());
        states.push(store.items().to_vec());
        let r = store.add(rect());
        states.push(store.items().to_vec());
        let changes = vec![
            Change::MoveMerc {
                id: a,
                dx_m: 5_000.0,
                dy_m: -2_000.0,
            },
            Change::MoveLonLat {
                id: r,
                dlon: 0.1,
                dlat: 0.1,
            },
            Change::SetText {
                id: r,
                text: "staging area".into(),
            },
            Change::SetStyle {
                id: a,
                style: AnnoStyle {
                    stroke_width: 5.0,
                    ..AnnoStyle::default()
                },
            },
            Change::SetKind {
                id: a,
                kind: AnnotationKind::Arrow {
                    from: lon_lat(40.0, 34.0),
                    to: lon_lat(41.0, 34.0),
                },
            },
            Change::Delete(a),
            Change::Batch(vec![Change::Add(arrow()), Change::Delete(r)]),
            Change::Clear,
        ];
        for c in changes {
            store.apply(c).expect("applies");
            states.push(store.items().to_vec());
        }
        assert!(store.is_empty());
        // Walk all the way back, then all the way forward.
        for want in states.iter().rev().skip(1) {
            assert!(store.undo());
            assert_eq!(store.items(), &want[..]);
        }
        assert!(!store.can_undo() && !store.undo());
        for want in states.iter().skip(1) {
            assert!(store.redo());
            assert_eq!(store.items(), &want[..]);
        }
        assert!(!store.redo());
    }

    #[test]
    fn delete_then_undo_restores_drawing_order() {
        let mut store = Annotations::new();
        let ids: Vec<u64> = sample().into_iter().map(|a| store.add(a)).collect();
        store.apply(Change::Delete(ids[2])).expect("delete");
        assert!(store.undo());
        let order: Vec<u64> = store.items().iter().map(|a| a.id).collect();
        assert_eq!(order, ids);
    }

    #[test]
    fn a_new_change_clears_redo_and_a_failed_one_changes_nothing() {
        let mut store = Annotations::new();
        let a = store.add(arrow());
        store
            .apply(Change::SetText {
                id: a,
                text: "x".into(),
            })
            .expect("edit");
        assert!(store.undo());
        assert!(store.can_redo());
        store
            .apply(Change::SetText {
                id: a,
                text: "y".into(),
            })
            .expect("edit");
        assert!(!store.can_redo());
        let before = store.clone();
        let err = store
            .apply(Change::Batch(vec![Change::Delete(a), Change::Delete(999)]))
            .expect_err("unknown id");
        assert_eq!(err, AnnotateError::NoSuchId(999));
        assert_eq!(store.items(), before.items());
    }

    #[test]
    fn a_drag_undoes_in_one_step() {
        let mut store = Annotations::new();
        let a = store.add(arrow());
        let start = store.items().to_vec();
        let camera = Camera::default();
        for _ in 0..10 {
            store
                .apply_merged(Change::move_by_px(a, &camera, 3.0, 1.0))
                .expect("move");
        }
        store.end_merge();
        let before_drag = store.get(a).cloned().expect("present");
        // The arrow moved 30 px right and 10 down on screen.
        let p0 = camera.screen_from_geo(start[0].kind.points()[0][0], start[0].kind.points()[0][1]);
        let p = before_drag.kind.points()[0];
        let p1 = camera.screen_from_geo(p[0], p[1]);
        assert!((p1[0] - p0[0] - 30.0).abs() < 1e-6 && (p1[1] - p0[1] - 10.0).abs() < 1e-6);
        store
            .apply_merged(Change::move_by_px(a, &camera, 5.0, 0.0))
            .expect("second drag");
        assert!(store.undo());
        assert_eq!(store.get(a), Some(&before_drag));
        assert!(store.undo());
        assert_eq!(store.items(), &start[..]);
    }

    #[test]
    fn geojson_round_trip_keeps_everything() {
        let store = Annotations::from_vec(sample());
        let text = serde_json::to_string(&store.to_geojson()).expect("json");
        let back = from_geojson(&text).expect("parses");
        assert_eq!(back.len(), store.len());
        for (a, b) in store.items().iter().zip(&back) {
            assert_eq!(a.id, b.id);
            assert_eq!(a.text, b.text);
            assert_eq!(a.style, b.style);
            match (&a.kind, &b.kind) {
                (AnnotationKind::Rect { a: a0, b: a1 }, AnnotationKind::Rect { a: b0, b: b1 })
                | (
                    AnnotationKind::Ellipse { a: a0, b: a1 },
                    AnnotationKind::Ellipse { a: b0, b: b1 },
                ) => {
                    // Corners come back normalised (min, max).
                    let lo = [a0[0].min(a1[0]), a0[1].min(a1[1])];
                    let hi = [a0[0].max(a1[0]), a0[1].max(a1[1])];
                    assert_eq!((*b0, *b1), (lo, hi));
                }
                (x, y) => assert_eq!(x, y),
            }
        }
    }

    #[test]
    fn rectangle_is_a_closed_counter_clockwise_polygon_in_lon_lat() {
        let v = to_geojson(&[rect()]);
        let g = &v["features"][0]["geometry"];
        assert_eq!(g["type"], "Polygon");
        let ring: Vec<[f64; 2]> = g["coordinates"][0]
            .as_array()
            .expect("ring")
            .iter()
            .map(|p| [p[0].as_f64().expect("lon"), p[1].as_f64().expect("lat")])
            .collect();
        assert_eq!(ring.len(), 5);
        assert_eq!(ring.first(), ring.last());
        assert!(signed_area(&ring[..4]) > 0.0, "counter-clockwise");
        for p in &ring {
            assert!((41.0..=42.5).contains(&p[0]), "lon first: {p:?}");
            assert!((33.4..=34.2).contains(&p[1]), "lat second: {p:?}");
        }
        assert_eq!(v["features"][0]["properties"]["kind"], "rect");
        // And geojson (the crate QGIS-style readers use) accepts it.
        let parsed: geojson::GeoJson = v.to_string().parse().expect("valid GeoJSON");
        assert!(matches!(parsed, geojson::GeoJson::FeatureCollection(_)));
    }

    #[test]
    fn bad_features_are_named_by_index() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"kind":"pin"},"geometry":{"type":"Point","coordinates":[42.4,33.7]}},
            {"type":"Feature","properties":{"kind":"arrow"},"geometry":{"type":"Point","coordinates":[42.4,33.7]}}
        ]}"#;
        let err = from_geojson(text).expect_err("bad");
        assert_eq!(
            err.to_string(),
            "feature 1: kind \"arrow\" cannot be a Point"
        );
        let swapped = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[33.7,142.4]}}]}"#;
        let err = from_geojson(swapped).expect_err("bad");
        assert!(
            err.to_string()
                .starts_with("feature 0: position out of range"),
            "{err}"
        );
        assert!(matches!(
            from_geojson("{\"type\":\"Feature\"}"),
            Err(AnnotateError::NotACollection(_))
        ));
        assert!(matches!(from_geojson("{"), Err(AnnotateError::Json(_))));
    }

    #[test]
    fn features_drawn_elsewhere_import_without_kind() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"text":"HQ"},"geometry":{"type":"Point","coordinates":[42.4,33.7]}},
            {"type":"Feature","properties":null,"geometry":{"type":"LineString","coordinates":[[40,34],[41,34]]}},
            {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[40,34],[41,34],[41,35],[40,34]]]}}
        ]}"#;
        let items = from_geojson(text).expect("parses");
        assert!(matches!(items[0].kind, AnnotationKind::Text { .. }));
        assert!(matches!(items[1].kind, AnnotationKind::Polyline { .. }));
        assert!(matches!(&items[2].kind, AnnotationKind::Polyline { points } if points.len() == 4));
    }

    #[test]
    fn import_is_one_undo_step_with_fresh_ids() {
        let mut store = Annotations::from_vec(sample());
        let text = store.to_geojson().to_string();
        let n = store.import_geojson(&text).expect("imports");
        assert_eq!(n, 7);
        assert_eq!(store.len(), 14);
        let mut ids: Vec<u64> = store.items().iter().map(|a| a.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 14, "ids stay unique");
        assert!(store.undo());
        assert_eq!(store.len(), 7);
    }

    #[test]
    fn workspace_serde_round_trip() {
        let store = Annotations::from_vec(sample());
        let text = serde_json::to_string(&store).expect("serialises");
        let mut back: Annotations = serde_json::from_str(&text).expect("deserialises");
        assert_eq!(back.items(), store.items());
        let id = back.add(arrow());
        assert!(
            store.get(id).is_none(),
            "new ids do not collide with saved ones"
        );
    }

    #[test]
    fn pick_finds_what_is_under_the_pointer() {
        let camera = Camera::default();
        let mut store = Annotations::new();
        let a = store.add(arrow());
        let r = store.add(rect());
        let scene = Scene::new(camera, Rgba::WHITE);
        // Middle of the arrow shaft.
        let from = scene.px(40.9, 34.45);
        let to = scene.px(42.44, 33.79);
        let mid = [
            f64::from(from[0] + to[0]) / 2.0,
            f64::from(from[1] + to[1]) / 2.0,
        ];
        assert_eq!(store.pick(&camera, mid, 5.0), Some(a));
        // The rectangle's edge, and its empty inside (unfilled: no hit).
        let corner = scene.px(41.0, 33.4);
        assert_eq!(
            store.pick(
                &camera,
                [f64::from(corner[0]) + 1.0, f64::from(corner[1]) - 20.0],
                4.0
            ),
            Some(r)
        );
        let inside = scene.px(41.3, 33.5);
        assert_eq!(
            store.pick(&camera, [f64::from(inside[0]), f64::from(inside[1])], 4.0),
            None
        );
        // Far away: nothing.
        assert_eq!(store.pick(&camera, [5.0, 5.0], 5.0), None);
    }

    #[test]
    fn annotations_stay_on_the_ground_when_the_view_moves() {
        let store = Annotations::from_vec(vec![arrow()]);
        let camera = Camera::default();
        let moved = camera.panned(120.0, -40.0).zoomed_at(1.0, [300.0, 300.0]);
        for cam in [camera, moved] {
            let scene = Scene::new(cam, Rgba::WHITE);
            let shapes = store.to_shapes(&scene, None);
            let Some(Shape::Line { points, .. }) = shapes.first() else {
                panic!("arrow shaft first")
            };
            let start = scene.px(40.9, 34.45);
            assert!(
                (points[0][0] - start[0]).abs() < 1e-3 && (points[0][1] - start[1]).abs() < 1e-3
            );
        }
    }

    #[test]
    fn every_kind_draws_and_selection_adds_handles() {
        let store = Annotations::from_vec(sample());
        let scene = Scene::new(Camera::default(), Rgba::WHITE);
        let plain = store.to_shapes(&scene, None);
        let selected = store.to_shapes(&scene, Some(store.items()[1].id));
        assert!(selected.len() >= plain.len() + 3, "frame and two handles");
        let mut s = Scene::new(Camera::default(), Rgba::WHITE);
        s.shapes = plain;
        let texts = s.texts();
        for t in [
            "Al-Qaim",
            "crossing",
            "advance",
            "Ain al-Asad",
            "Rocket attack reported",
        ] {
            assert!(texts.contains(&t), "{t} missing from {texts:?}");
        }
    }

    #[test]
    fn wrapping_keeps_lines_within_width() {
        let lines = wrap_text(
            "one two three four five six seven eight nine ten",
            12.0,
            60.0,
        );
        assert!(lines.len() > 2);
        for l in &lines {
            assert!(font::text_width(l, 12.0) <= 60.0 || !l.contains(' '), "{l}");
        }
    }
}

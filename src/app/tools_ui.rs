//! The analyst's tools around the map: search (Ctrl+K and the box in the
//! menu bar), go to a typed position (Ctrl+G), copy the pointer position
//! (Ctrl+Shift+C), the measure tool (M), spatial questions, the time-lapse,
//! and export of incidents and annotations as GeoJSON, CSV or KML.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use egui::{Color32, RichText};

use super::{BadiyaApp, Command, Selection, Tool};
use crate::analysis::{Question, Reference};
use crate::annotate::{Annotation, AnnotationKind, LonLat, lon_lat};
use crate::geodata::Rgba;
use crate::scene::{Anchor, Scene, Shape, Stroke};
use crate::search::{Goto, Hit, SearchIndex};
use crate::timelapse::Lapse;

/// The one form positions are shown and copied in, the analyst's choice
/// (kept in the workspace).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoordFormat {
    #[default]
    Decimal,
    Dms,
    Mgrs,
}

impl CoordFormat {
    pub const ALL: [CoordFormat; 3] = [CoordFormat::Decimal, CoordFormat::Dms, CoordFormat::Mgrs];

    pub fn label(self) -> &'static str {
        match self {
            CoordFormat::Decimal => "decimal",
            CoordFormat::Dms => "DMS",
            CoordFormat::Mgrs => "MGRS",
        }
    }

    /// The position as the inspector shows it in this form: decimal degrees
    /// with hemispheres ("36.32090° N, 41.87656° E"), DMS or MGRS.
    pub fn show(self, lon: f64, lat: f64) -> String {
        match self {
            CoordFormat::Decimal => crate::coords::decimal(lon, lat),
            _ => self.write(lon, lat),
        }
    }

    /// The position written in this form.
    pub fn write(self, lon: f64, lat: f64) -> String {
        match self {
            CoordFormat::Decimal => format!("{lat:.5}, {lon:.5}"),
            CoordFormat::Dms => crate::coords::dms(lon, lat),
            CoordFormat::Mgrs => {
                crate::coords::mgrs(lon, lat).unwrap_or_else(|| crate::coords::decimal(lon, lat))
            }
        }
    }
}

/// What the data export writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DataWhat {
    #[default]
    FilteredIncidents,
    AllIncidents,
    Annotations,
}

/// The data export's format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DataFormat {
    #[default]
    Geojson,
    Csv,
    Kml,
}

impl DataFormat {
    fn extension(self) -> &'static str {
        match self {
            DataFormat::Geojson => "geojson",
            DataFormat::Csv => "csv",
            DataFormat::Kml => "kml",
        }
    }
}

/// A measurement in progress or finished.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Measure {
    pub points: Vec<LonLat>,
    /// The last point joined the first: an area.
    pub closed: bool,
    /// Double-click or Enter ended it; the pointer no longer extends it.
    pub done: bool,
}

/// The time-lapse player.
pub struct LapseState {
    pub lapse: Lapse,
    pub frame: usize,
    pub playing: bool,
    /// Frames per second.
    pub fps: f32,
    /// When the last frame was shown (egui time).
    pub shown_at: f64,
    pub path: String,
    pub export: Option<LapseExport>,
    pub last_export: Option<String>,
}

/// A time-lapse export running on a worker thread.
pub struct LapseExport {
    pub done: Arc<AtomicUsize>,
    pub total: usize,
    pub cancel: Arc<AtomicBool>,
    pub rx: std::sync::mpsc::Receiver<Result<Vec<PathBuf>, String>>,
}

/// The tools' own state (what they show; the analyst's work lives in the app).
#[derive(Default)]
pub struct ToolsState {
    /// Who answered the last spatial question when it was not this window
    /// (PostGIS, in a team store).
    pub answered_by: Option<String>,
    pub query: String,
    pub search_focus: bool,
    pub search_selected: usize,
    index: Option<(u64, Arc<SearchIndex>)>,
    hits: Vec<Hit>,
    hits_for: (String, u64),
    pub goto_open: bool,
    pub goto_text: String,
    /// A temporary pin where the last "Go to" or place search landed.
    pub temp_pin: Option<(f64, f64, String)>,
    pub copy_format: CoordFormat,
    pub question_open: bool,
    pub question_ref: usize,
    pub question_km: f64,
    /// The question last asked and its answer (incident ids, metres).
    pub answer: Option<(Question, Vec<(String, f64)>)>,
    pub data_open: bool,
    pub data_what: DataWhat,
    pub data_format: DataFormat,
    pub data_path: String,
    pub measure: Measure,
    pub lapse: Option<LapseState>,
    pub lapse_window_days: i64,
    pub lapse_step_days: i64,
}

/// A file in the user's home folder (where the map export also goes by default).
fn home_file(name: &str) -> String {
    std::env::var_os("HOME")
        .map_or_else(|| PathBuf::from("."), PathBuf::from)
        .join(name)
        .display()
        .to_string()
}

impl ToolsState {
    pub fn new() -> Self {
        Self {
            question_km: 25.0,
            data_path: home_file("incidents.geojson"),
            lapse_window_days: 30,
            lapse_step_days: 7,
            ..Self::default()
        }
    }

    /// The current search results.
    pub fn hits(&self) -> &[Hit] {
        &self.hits
    }
}

// ---------------------------------------------------------------- search

/// The search box in the menu bar, with its results below it.
pub(super) fn search_box_ui(app: &mut BadiyaApp, ui: &mut egui::Ui) {
    let id = egui::Id::unique("search_box");
    let response = ui.add(
        egui::TextEdit::singleline(&mut app.tools.query)
            .id(id)
            .hint_text("Search places, incidents, documents  (Ctrl+K)")
            .desired_width(320.0),
    );
    if app.tools.search_focus {
        response.request_focus();
        app.tools.search_focus = false;
    }
    if response.changed() {
        app.tools.search_selected = 0;
    }
    let focused = response.has_focus();
    if app.tools.query.trim().is_empty() || !(focused || response.lost_focus()) {
        return;
    }
    refresh_hits(app);
    let (down, up, enter, esc) = ui.input(|i| {
        (
            i.key_pressed(egui::Key::ArrowDown),
            i.key_pressed(egui::Key::ArrowUp),
            i.key_pressed(egui::Key::Enter),
            i.key_pressed(egui::Key::Escape),
        )
    });
    let n = app.tools.hits.len();
    if n > 0 {
        if down {
            app.tools.search_selected = (app.tools.search_selected + 1) % n;
        }
        if up {
            app.tools.search_selected = (app.tools.search_selected + n - 1) % n;
        }
    }
    if esc {
        app.tools.query.clear();
        return;
    }
    // Enter makes the text box lose focus: choose the highlighted result.
    if enter && response.lost_focus() {
        if let Some(hit) = app.tools.hits.get(app.tools.search_selected).cloned() {
            choose(app, &hit);
        }
        return;
    }
    if !focused {
        return;
    }
    let mut chosen = None;
    let below = response.rect.left_bottom() + egui::vec2(0.0, 4.0);
    egui::Area::new(egui::Id::unique("search_results"))
        .order(egui::Order::Foreground)
        .fixed_pos(below)
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_width(460.0);
                if app.tools.hits.is_empty() {
                    ui.weak("Nothing found");
                }
                let mut heading = None;
                for (k, hit) in app.tools.hits.iter().enumerate() {
                    if heading != Some(hit.kind) {
                        heading = Some(hit.kind);
                        ui.label(RichText::new(hit.kind.heading()).small().strong());
                    }
                    let selected = k == app.tools.search_selected;
                    let text = format!("{}  —  {}", hit.title, hit.detail);
                    let r = ui.add(
                        egui::Button::selectable(selected, truncate(&text, 90))
                            .wrap_mode(egui::TextWrapMode::Truncate),
                    );
                    if selected {
                        r.scroll_to_me(None);
                    }
                    if r.clicked() {
                        chosen = Some(hit.clone());
                    }
                }
                ui.weak("Up/Down choose · Enter go · Esc clear");
            });
        });
    if let Some(hit) = chosen {
        choose(app, &hit);
        app.tools.query.clear();
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut s: String = text.chars().take(max).collect();
        s.push('…');
        s
    }
}

fn refresh_hits(app: &mut BadiyaApp) {
    let generation = app.corpus.generation();
    let stale_index = app
        .tools
        .index
        .as_ref()
        .is_none_or(|(g, _)| *g != generation);
    if stale_index {
        app.tools.index = Some((
            generation,
            Arc::new(SearchIndex::new(&app.corpus, &app.data)),
        ));
    }
    let key = (app.tools.query.clone(), generation);
    if app.tools.hits_for != key {
        if let Some((_, index)) = &app.tools.index {
            app.tools.hits = index.search(&app.tools.query, &app.corpus);
        }
        app.tools.hits_for = key;
        app.tools.search_selected = app
            .tools
            .search_selected
            .min(app.tools.hits.len().saturating_sub(1));
    }
}

/// Runs the search for `query` now (for tests and scripted use).
pub fn search_now(app: &mut BadiyaApp, query: &str) -> Vec<Hit> {
    app.tools.query = query.to_owned();
    refresh_hits(app);
    app.tools.hits.clone()
}

/// Flies to a result and selects it.
pub fn choose(app: &mut BadiyaApp, hit: &Hit) {
    match &hit.goto {
        Goto::Place {
            lon,
            lat,
            zoom,
            feature,
        } => {
            let camera = crate::camera::Camera {
                zoom: *zoom,
                ..app.camera
            };
            app.send(Command::SetCamera(camera.with_center_lon_lat(*lon, *lat)));
            match feature {
                Some(f) => {
                    if let Some(state) = app.layers.get(f.layer)
                        && !state.visible
                    {
                        app.send(Command::SetLayerVisible(f.layer, true));
                    }
                    app.send(Command::Select(Some(Selection::Feature(*f))));
                    app.tools.temp_pin = None;
                }
                None => {
                    app.send(Command::Select(None));
                    app.tools.temp_pin = Some((*lon, *lat, hit.title.clone()));
                }
            }
        }
        Goto::Incident(id) => {
            if let Some(i) = app.corpus.incident(id) {
                let (lon, lat) = (i.lon, i.lat);
                app.send(Command::FlyTo {
                    lon,
                    lat,
                    zoom: 9.0,
                });
            }
            app.send(Command::Select(Some(Selection::Incident(id.clone()))));
        }
        Goto::Document { doc, at } => app.send(Command::OpenDocument {
            doc: doc.clone(),
            at: *at,
        }),
    }
}

// ---------------------------------------------------------------- go to

/// Ctrl+G: a position typed in any form, read back as it was understood.
pub(super) fn goto_window(app: &mut BadiyaApp, ctx: &egui::Context) {
    if !app.tools.goto_open {
        return;
    }
    let mut open = true;
    let mut go = None;
    egui::Window::new("Go to")
        .open(&mut open)
        .collapsible(false)
        .default_width(420.0)
        .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 60.0))
        .show(ctx, |ui| {
            ui.label("Latitude and longitude (either order, N/S/E/W or signs), DMS, or MGRS:");
            let r = ui.add(
                egui::TextEdit::singleline(&mut app.tools.goto_text)
                    .id(egui::Id::unique("goto_text"))
                    .hint_text("34.3975, 40.977  ·  34 23 51 N 40 58 37 E  ·  37S FU 86848 06969")
                    .desired_width(f32::INFINITY),
            );
            if !r.has_focus() && app.tools.goto_text.is_empty() {
                r.request_focus();
            }
            let parsed = crate::coords::parse_position(&app.tools.goto_text);
            match &parsed {
                Ok(p) => {
                    ui.label(format!(
                        "{}  ·  MGRS {}",
                        crate::coords::decimal(p.lon, p.lat),
                        crate::coords::mgrs(p.lon, p.lat).unwrap_or_default()
                    ));
                    ui.weak(&p.reading);
                }
                Err(e) if !app.tools.goto_text.trim().is_empty() => {
                    ui.colored_label(ui.visuals().warn_fg_color, e);
                }
                Err(_) => {}
            }
            let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui
                .add_enabled(parsed.is_ok(), egui::Button::new("Go"))
                .clicked()
                || enter)
                && let Ok(p) = parsed
            {
                go = Some(p);
            }
        });
    if let Some(p) = go {
        go_to(app, p.lon, p.lat, &crate::coords::decimal(p.lon, p.lat));
        app.tools.goto_open = false;
    } else if !open {
        app.tools.goto_open = false;
    }
}

/// Flies to a position and drops a temporary pin there.
pub fn go_to(app: &mut BadiyaApp, lon: f64, lat: f64, label: &str) {
    let camera = crate::camera::Camera {
        zoom: app.camera.zoom.max(11.0),
        ..app.camera
    };
    app.send(Command::SetCamera(camera.with_center_lon_lat(lon, lat)));
    app.tools.temp_pin = Some((lon, lat, label.to_owned()));
}

/// Ctrl+Shift+C: the pointer position, in the chosen form, to the clipboard.
pub(super) fn copy_pointer(app: &mut BadiyaApp, ctx: &egui::Context) {
    match app.cursor {
        Some((lon, lat)) => {
            let text = app.tools.copy_format.write(lon, lat);
            ctx.copy_text(text.clone());
            app.messages.push(format!("copied {text}"));
        }
        None => app
            .messages
            .push("put the pointer on the map to copy its position".to_owned()),
    }
}

/// The status bar's choice of the form Ctrl+Shift+C copies in.
pub(super) fn copy_format_ui(app: &mut BadiyaApp, ui: &mut egui::Ui) {
    let before = app.tools.copy_format;
    egui::ComboBox::from_id_salt("copy_format")
        .selected_text(format!("positions in {}", app.tools.copy_format.label()))
        .show_ui(ui, |ui| {
            for f in CoordFormat::ALL {
                ui.selectable_value(&mut app.tools.copy_format, f, f.label());
            }
        })
        .response
        .on_hover_text("How the status bar, the inspector and the menus show positions, and the form Ctrl+Shift+C copies the pointer position in");
    if app.tools.copy_format != before {
        // The choice is kept with the workspace.
        app.dirty = true;
    }
}

// ---------------------------------------------------------------- measure

/// The measure tool's handling of the pointer. Returns true when it used the click.
pub(super) fn measure_input(
    app: &mut BadiyaApp,
    response: &egui::Response,
    rect: egui::Rect,
    scene: &Scene,
) -> bool {
    let local = |p: egui::Pos2| [f64::from(p.x - rect.min.x), f64::from(p.y - rect.min.y)];
    let shift = response.ctx.input(|i| i.modifiers.shift);
    if response.double_clicked() {
        // The double-click's first click added the last point already.
        app.tools.measure.done = app.tools.measure.points.len() >= 2;
        return true;
    }
    if !response.clicked() {
        return false;
    }
    let Some(p) = response.interact_pointer_pos() else {
        return false;
    };
    if app.tools.measure.done {
        app.tools.measure = Measure::default();
    }
    let at = local(p);
    // A click on the first point closes the shape.
    if let Some(first) = app.tools.measure.points.first()
        && app.tools.measure.points.len() >= 3
    {
        let f = app.camera.screen_from_geo(first[0], first[1]);
        if (f[0] - at[0]).hypot(f[1] - at[1]) <= 8.0 {
            app.tools.measure.closed = true;
            app.tools.measure.done = true;
            return true;
        }
    }
    let point = if shift { snap(app, scene, at) } else { None }.or_else(|| {
        app.camera
            .geo_from_screen(at)
            .map(|(lon, lat)| lon_lat(lon, lat))
    });
    if let Some(point) = point {
        app.tools.measure.points.push(point);
    }
    true
}

/// The nearest incident marker or point feature within 12 px of `at`.
pub(super) fn snap(app: &BadiyaApp, scene: &Scene, at: [f64; 2]) -> Option<LonLat> {
    #[allow(clippy::cast_possible_truncation)]
    let p = [at[0] as f32, at[1] as f32];
    let marker = scene
        .hits
        .iter()
        .filter(|h| h.ids.len() == 1)
        .map(|h| (h, (h.center[0] - p[0]).hypot(h.center[1] - p[1])))
        .filter(|(_, d)| *d <= 12.0)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .and_then(|(h, _)| app.corpus.incidents().get(h.ids[0]))
        .map(|i| lon_lat(i.lon, i.lat));
    if marker.is_some() {
        return marker;
    }
    let m = app.camera.merc_from_screen(at);
    let tolerance = 12.0 * app.camera.m_per_px();
    app.index
        .pick([m.x, m.y], tolerance, &|l| {
            app.layers.get(l).is_none_or(|s| s.visible)
        })
        .into_iter()
        .find_map(|pick| {
            let (_, f) = app.feature(pick.feature)?;
            match &f.geometry {
                geo::Geometry::Point(pt) => Some(lon_lat(pt.x(), pt.y())),
                g => {
                    // The nearest vertex of a line or outline.
                    use geo::CoordsIter;
                    let (lon, lat) = app.camera.geo_from_screen(at)?;
                    g.coords_iter()
                        .min_by(|a, b| {
                            let da = (a.x - lon).hypot(a.y - lat);
                            let db = (b.x - lon).hypot(b.y - lat);
                            da.total_cmp(&db)
                        })
                        .filter(|c| {
                            let s = app.camera.screen_from_geo(c.x, c.y);
                            (s[0] - at[0]).hypot(s[1] - at[1]) <= 12.0
                        })
                        .map(|c| lon_lat(c.x, c.y))
                }
            }
        })
}

/// Enter ends the measurement, Esc clears it.
pub(super) fn measure_keys(app: &mut BadiyaApp, ctx: &egui::Context) {
    if app.tool != Tool::Measure || ctx.egui_wants_keyboard_input() {
        return;
    }
    let (enter, esc) = ctx.input(|i| {
        (
            i.key_pressed(egui::Key::Enter),
            i.key_pressed(egui::Key::Escape),
        )
    });
    if enter && app.tools.measure.points.len() >= 2 {
        app.tools.measure.done = true;
    }
    if esc {
        app.tools.measure = Measure::default();
        app.send(Command::SetTool(Tool::Select));
    }
}

/// The points measured, with the pointer as the next one while measuring.
fn measured_points(app: &BadiyaApp) -> Vec<LonLat> {
    let m = &app.tools.measure;
    let mut points = m.points.clone();
    if !m.done
        && app.tool == Tool::Measure
        && let Some((lon, lat)) = app.cursor
    {
        points.push(lon_lat(lon, lat));
    }
    points
}

/// The measure panel: each leg's length and bearing, the total, the area.
pub(super) fn measure_window(app: &mut BadiyaApp, ctx: &egui::Context) {
    if app.tool != Tool::Measure && app.tools.measure.points.is_empty() {
        return;
    }
    let points = measured_points(app);
    let m = app.tools.measure.clone();
    let mut keep = false;
    let mut clear = false;
    egui::Window::new("Measure")
        .collapsible(true)
        .resizable(false)
        .default_width(300.0)
        .anchor(egui::Align2::RIGHT_TOP, egui::vec2(-360.0, 90.0))
        .show(ctx, |ui| {
            if points.len() < 2 {
                ui.label("Click points on the map. Shift snaps to incidents and sites; click the first point to close an area; double-click or Enter ends; Esc clears.");
                return;
            }
            let mut ring = points.clone();
            if m.closed && let Some(first) = points.first() {
                ring.push(*first);
            }
            let legs = crate::analysis::legs(&ring);
            egui::Grid::new("legs").num_columns(3).striped(true).show(ui, |ui| {
                ui.strong("leg");
                ui.strong("distance");
                ui.strong("bearing");
                ui.end_row();
                for (k, leg) in legs.iter().enumerate() {
                    ui.label(format!("{}", k + 1));
                    ui.label(crate::analysis::format_distance(leg.metres));
                    ui.label(format!("{:05.1}°", leg.bearing));
                    ui.end_row();
                }
            });
            let total: f64 = legs.iter().map(|l| l.metres).sum();
            ui.label(RichText::new(format!("Total {}", crate::analysis::format_distance(total))).strong());
            if m.closed {
                ui.label(RichText::new(format!("Area {}", crate::analysis::format_area(crate::analysis::area_m2(&points)))).strong());
            }
            ui.weak("Geodesic, on the WGS84 ellipsoid.");
            ui.horizontal(|ui| {
                if ui.add_enabled(m.points.len() >= 2, egui::Button::new("Keep as annotation")).clicked() {
                    keep = true;
                }
                if ui.button("Clear").clicked() {
                    clear = true;
                }
            });
        });
    if keep {
        let mut pts = m.points.clone();
        if m.closed
            && let Some(first) = pts.first().copied()
        {
            pts.push(first);
        }
        let label = crate::analysis::measure_label(&m.points, m.closed);
        let annotation = Annotation::new(AnnotationKind::Polyline { points: pts })
            .with_style(app.anno_style)
            .with_text(label);
        app.send(Command::Annotate {
            change: crate::annotate::Change::Add(annotation),
            merge: false,
        });
        app.send(Command::SelectNewestAnnotation);
        app.tools.measure = Measure::default();
        app.send(Command::SetTool(Tool::Select));
    }
    if clear {
        app.tools.measure = Measure::default();
    }
}

// ---------------------------------------------------------------- spatial questions

/// The references a question can measure from, in the order offered.
fn references(app: &BadiyaApp) -> Vec<Reference> {
    let mut out = vec![Reference::Border];
    for layer_id in ["pipelines", "governorates"] {
        if let Some(layer) = app.data.layer(layer_id) {
            for f in &layer.features {
                if let Some(name) = &f.name {
                    out.push(Reference::Feature {
                        id: f.id.clone(),
                        name: name.clone(),
                    });
                }
            }
        }
    }
    match &app.selection {
        Some(Selection::Feature(f)) => {
            if let Some((_, feature)) = app.feature(*f) {
                out.insert(
                    0,
                    Reference::Feature {
                        id: feature.id.clone(),
                        name: format!(
                            "the selected {}",
                            feature.name.clone().unwrap_or_else(|| "feature".into())
                        ),
                    },
                );
            }
        }
        Some(Selection::Annotation(id)) => {
            if let Some(a) = app.annotations.get(*id) {
                let closed = matches!(
                    a.kind,
                    AnnotationKind::Rect { .. } | AnnotationKind::Ellipse { .. }
                ) || matches!(&a.kind, AnnotationKind::Polyline { points } if points.len() >= 4 && points.first() == points.last());
                let points = match &a.kind {
                    AnnotationKind::Rect { a: p, b: q } => {
                        vec![[p[0], p[1]], [q[0], p[1]], [q[0], q[1]], [p[0], q[1]]]
                    }
                    AnnotationKind::Ellipse { a: p, b: q } => {
                        crate::annotate::ellipse_lon_lat(*p, *q, 64)
                    }
                    k => k.points(),
                };
                out.insert(
                    0,
                    Reference::Shape {
                        name: format!("the selected {}", a.title()),
                        points,
                        closed,
                    },
                );
            }
        }
        _ => {}
    }
    out
}

/// Asks a question and keeps the answer (highlighted on the map).
pub fn ask(app: &mut BadiyaApp, question: Question) -> usize {
    let answer = question.answer(&app.data, app.corpus.incidents());
    let n = answer.len();
    app.tools.answered_by = None;
    // In a team store PostGIS answers too, on the team's incidents table;
    // its answer replaces this one when it comes.
    super::team_ui::ask_postgis(app, &question);
    app.tools.answer = Some((question, answer));
    n
}

/// The answer of the last question as the incident filter.
pub fn use_answer_as_filter(app: &mut BadiyaApp) {
    if let Some((q, answer)) = &app.tools.answer {
        let filter = crate::incidents::Filter {
            subset: Some(crate::incidents::Subset {
                label: q.describe(),
                ids: answer.iter().map(|(id, _)| id.clone()).collect(),
            }),
            ..app.filter.clone()
        };
        app.send(Command::SetFilter(filter));
    }
}

pub(super) fn question_window(app: &mut BadiyaApp, ctx: &egui::Context) {
    if !app.tools.question_open {
        return;
    }
    let refs = references(app);
    let mut open = true;
    let mut run = false;
    let mut as_filter = false;
    let mut clear = false;
    let mut pick: Option<String> = None;
    egui::Window::new("Spatial question")
        .open(&mut open)
        .default_width(380.0)
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                ui.label("Incidents within");
                ui.add(
                    egui::DragValue::new(&mut app.tools.question_km)
                        .range(0.0..=2000.0)
                        .speed(1.0)
                        .suffix(" km"),
                );
                ui.label("of");
            });
            app.tools.question_ref = app.tools.question_ref.min(refs.len().saturating_sub(1));
            egui::ComboBox::from_id_salt("question_ref")
                .width(340.0)
                .selected_text(
                    refs.get(app.tools.question_ref)
                        .map(Reference::name)
                        .unwrap_or_default(),
                )
                .show_ui(ui, |ui| {
                    for (k, r) in refs.iter().enumerate() {
                        ui.selectable_value(&mut app.tools.question_ref, k, r.name());
                    }
                });
            ui.weak("0 km asks for what lies inside an area (a governorate, a drawn rectangle).");
            ui.horizontal(|ui| {
                run = ui.button("Ask").clicked();
                if app.tools.answer.is_some() {
                    as_filter = ui
                        .button("Show only these")
                        .on_hover_text("Use the answer as the incident filter")
                        .clicked();
                    clear = ui.button("Clear").clicked();
                }
            });
            if let Some((q, answer)) = &app.tools.answer {
                ui.separator();
                ui.strong(format!("{} incidents {}", answer.len(), q.describe()));
                if let Some(by) = &app.tools.answered_by {
                    ui.weak(format!("answered by {by}"));
                }
                egui::ScrollArea::vertical()
                    .max_height(220.0)
                    .show(ui, |ui| {
                        for (id, m) in answer.iter().take(200) {
                            let Some(i) = app.corpus.incident(id) else {
                                continue;
                            };
                            let text = format!(
                                "{} — {} · {}",
                                i.event_type.label(),
                                i.place.canonical,
                                crate::analysis::format_distance(*m)
                            );
                            if ui
                                .selectable_label(
                                    app.selection == Some(Selection::Incident(id.clone())),
                                    text,
                                )
                                .clicked()
                            {
                                pick = Some(id.clone());
                            }
                        }
                    });
            }
        });
    if run && let Some(reference) = refs.get(app.tools.question_ref).cloned() {
        let km = app.tools.question_km;
        let n = ask(app, Question { reference, km });
        app.messages
            .push(format!("{n} incidents answer the question"));
    }
    if as_filter {
        use_answer_as_filter(app);
    }
    if clear {
        app.tools.answer = None;
        if app.filter.subset.is_some() {
            let filter = crate::incidents::Filter {
                subset: None,
                ..app.filter.clone()
            };
            app.send(Command::SetFilter(filter));
        }
    }
    if let Some(id) = pick {
        app.send(Command::Select(Some(Selection::Incident(id))));
    }
    if !open {
        app.tools.question_open = false;
    }
}

// ---------------------------------------------------------------- data out

/// Writes incidents or annotations in the chosen form; the message names the file.
pub fn export_data(
    app: &BadiyaApp,
    what: DataWhat,
    format: DataFormat,
    path: &std::path::Path,
) -> Result<String, String> {
    let incidents: Vec<crate::incidents::Incident> = match what {
        DataWhat::FilteredIncidents => app.visible_incidents().into_iter().cloned().collect(),
        DataWhat::AllIncidents => app.corpus.incidents().to_vec(),
        DataWhat::Annotations => Vec::new(),
    };
    let (text, count, noun) = match (what, format) {
        (DataWhat::Annotations, DataFormat::Csv) => {
            return Err("annotations are written as GeoJSON or KML, not CSV".into());
        }
        (DataWhat::Annotations, DataFormat::Geojson) => (
            serde_json::to_string_pretty(&crate::annotate::to_geojson(app.annotations.items()))
                .map_err(|e| e.to_string())?,
            app.annotations.len(),
            "annotations",
        ),
        (DataWhat::Annotations, DataFormat::Kml) => (
            crate::to_kml::annotations_kml(app.annotations.items()),
            app.annotations.len(),
            "annotations",
        ),
        (_, DataFormat::Geojson) => (
            serde_json::to_string_pretty(&crate::incidents::to_geojson(&incidents))
                .map_err(|e| e.to_string())?,
            incidents.len(),
            "incidents",
        ),
        (_, DataFormat::Csv) => (
            crate::incidents::to_csv(&incidents),
            incidents.len(),
            "incidents",
        ),
        (_, DataFormat::Kml) => (
            crate::to_kml::incidents_kml(&incidents),
            incidents.len(),
            "incidents",
        ),
    };
    crate::workspace::write_atomic(path, text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(format!("wrote {count} {noun} to {}", path.display()))
}

pub(super) fn data_window(app: &mut BadiyaApp, ctx: &egui::Context) {
    if !app.tools.data_open {
        return;
    }
    let mut open = true;
    let mut write = None;
    let mut browse = false;
    let filtered = app.visible_incidents().len();
    let all = app.corpus.incidents().len();
    let annotations = app.annotations.len();
    egui::Window::new("Export data")
        .open(&mut open)
        .default_width(420.0)
        .show(ctx, |ui| {
            let before = (app.tools.data_what, app.tools.data_format);
            ui.radio_value(
                &mut app.tools.data_what,
                DataWhat::FilteredIncidents,
                format!("Incidents the filter shows ({filtered})"),
            );
            ui.radio_value(
                &mut app.tools.data_what,
                DataWhat::AllIncidents,
                format!("All incidents ({all})"),
            );
            ui.radio_value(
                &mut app.tools.data_what,
                DataWhat::Annotations,
                format!("Annotations ({annotations})"),
            );
            ui.separator();
            ui.horizontal(|ui| {
                ui.radio_value(&mut app.tools.data_format, DataFormat::Geojson, "GeoJSON");
                ui.add_enabled_ui(app.tools.data_what != DataWhat::Annotations, |ui| {
                    ui.radio_value(
                        &mut app.tools.data_format,
                        DataFormat::Csv,
                        "CSV (ACLED columns)",
                    );
                });
                ui.radio_value(
                    &mut app.tools.data_format,
                    DataFormat::Kml,
                    "KML (Google Earth)",
                );
            });
            if app.tools.data_what == DataWhat::Annotations
                && app.tools.data_format == DataFormat::Csv
            {
                app.tools.data_format = DataFormat::Geojson;
            }
            if before != (app.tools.data_what, app.tools.data_format) {
                // Keep the file name in step with the choice.
                let stem = if app.tools.data_what == DataWhat::Annotations {
                    "annotations"
                } else {
                    "incidents"
                };
                let path = PathBuf::from(app.tools.data_path.trim());
                let folder = path.parent().map(PathBuf::from).unwrap_or_default();
                app.tools.data_path = folder
                    .join(format!("{stem}.{}", app.tools.data_format.extension()))
                    .display()
                    .to_string();
            }
            ui.horizontal(|ui| {
                ui.label("File");
                ui.add(egui::TextEdit::singleline(&mut app.tools.data_path).desired_width(260.0));
                if ui.button("Browse…").clicked() {
                    browse = true;
                }
            });
            if ui.button("Export").clicked() {
                write = Some(PathBuf::from(app.tools.data_path.trim()));
            }
        });
    if browse {
        let at = PathBuf::from(app.tools.data_path.trim());
        use super::files::{Purpose, Request, ask};
        ask(app, Request::new(Purpose::DataExportFile).at(&at));
    }
    if let Some(path) = write {
        match export_data(app, app.tools.data_what, app.tools.data_format, &path) {
            Ok(m) => app.messages.push(m),
            Err(e) => app.errors.push(e),
        }
    }
    if !open {
        app.tools.data_open = false;
    }
}

// ---------------------------------------------------------------- time-lapse

/// Starts (or stops) the time-lapse over the incidents the filter shows.
pub fn toggle_lapse(app: &mut BadiyaApp) {
    if app.tools.lapse.take().is_some() {
        app.scene_cache = None;
        return;
    }
    match Lapse::over(
        &app.corpus,
        &app.filter,
        app.tools.lapse_window_days,
        app.tools.lapse_step_days,
    ) {
        Some(lapse) => {
            app.tools.lapse = Some(LapseState {
                lapse,
                frame: 0,
                playing: true,
                fps: 2.0,
                shown_at: 0.0,
                path: home_file("badiya-timelapse.gif"),
                export: None,
                last_export: None,
            });
        }
        None => app
            .messages
            .push("no incident dated to a day or month: nothing to play".into()),
    }
}

/// The last day of the frame the time-lapse shows, if it runs.
pub fn lapse_frame_end(app: &BadiyaApp) -> Option<chrono::NaiveDate> {
    let l = app.tools.lapse.as_ref()?;
    let ends = l.lapse.frame_ends();
    ends.get(l.frame.min(ends.len().saturating_sub(1))).copied()
}

/// Advances the playing time-lapse and polls its export.
pub(super) fn tick_lapse(app: &mut BadiyaApp, ctx: &egui::Context) {
    let now = ctx.input(|i| i.time);
    let Some(l) = app.tools.lapse.as_mut() else {
        return;
    };
    let n = l.lapse.frame_ends().len();
    if l.playing && n > 0 {
        if now - l.shown_at >= 1.0 / f64::from(l.fps.max(0.1)) {
            l.frame = (l.frame + 1) % n;
            l.shown_at = now;
        }
        ctx.request_repaint_after(std::time::Duration::from_millis(50));
    }
    if let Some(job) = &l.export {
        match job.rx.try_recv() {
            Ok(Ok(files)) => {
                let text = match files.as_slice() {
                    [one] => format!("wrote the time-lapse to {}", one.display()),
                    [first, .., last] => format!(
                        "wrote {} frames, {} … {}",
                        files.len(),
                        first.display(),
                        last.display()
                    ),
                    [] => "wrote nothing".to_owned(),
                };
                app.messages.push(text.clone());
                l.last_export = Some(text);
                l.export = None;
            }
            Ok(Err(e)) => {
                app.errors.push(e.clone());
                l.last_export = Some(format!("failed: {e}"));
                l.export = None;
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(100))
            }
            Err(std::sync::mpsc::TryRecvError::Disconnected) => l.export = None,
        }
    }
}

/// Starts writing the time-lapse with the page settings of the export dialog.
fn start_lapse_export(app: &mut BadiyaApp) {
    let Some(l) = app.tools.lapse.as_ref() else {
        return;
    };
    let path = PathBuf::from(l.path.trim());
    if let Err(e) = crate::timelapse::LapseFormat::from_path(&path) {
        app.errors.push(e.to_string());
        return;
    }
    let spec = super::export_ui::page_spec(app);
    let lapse = l.lapse;
    let frame_ms = (1000.0 / l.fps.max(0.1)).round() as u32;
    let data = app.data.clone();
    let index = app.index.clone();
    let prepared = app.prepared.clone();
    let options = super::export_ui::export_options(app);
    let corpus = app.corpus.clone();
    let filter = app.filter.clone();
    let annotations = app.annotations.items().to_vec();
    let area = crate::export::MapArea::View(app.camera);
    let total = lapse.frame_ends().len();
    let done = Arc::new(AtomicUsize::new(0));
    let cancel = Arc::new(AtomicBool::new(false));
    let (tx, rx) = std::sync::mpsc::channel();
    let (d, c) = (done.clone(), cancel.clone());
    let ctx = app.ctx.clone();
    std::thread::spawn(move || {
        let overlay = crate::overlay::incident_overlay(&corpus, &filter, None);
        let job = crate::timelapse::LapseJob {
            content: crate::export::MapContent {
                data: &data,
                index: &index,
                prepared: &prepared,
                options: &options,
                markers: &[],
                annotations: &annotations,
                incident_legend: &overlay.legend,
                sources: &overlay.sources,
            },
            corpus: &corpus,
            filter: &filter,
            area,
            spec,
            lapse,
            frame_ms,
        };
        let result = crate::timelapse::export_lapse(&job, &path, &mut |k, _| {
            d.store(k, Ordering::Relaxed);
            if let Some(ctx) = &ctx {
                ctx.request_repaint();
            }
            !c.load(Ordering::Relaxed)
        })
        .map_err(|e| e.to_string());
        let _ = tx.send(result);
    });
    if let Some(l) = app.tools.lapse.as_mut() {
        l.export = Some(LapseExport {
            done,
            total,
            cancel,
            rx,
        });
        l.last_export = None;
    }
}

/// The time-lapse controls, above the timeline.
pub(super) fn lapse_controls_ui(app: &mut BadiyaApp, ui: &mut egui::Ui) {
    ui.horizontal_wrapped(|ui| {
        let running = app.tools.lapse.is_some();
        if ui
            .selectable_label(running, "Time-lapse")
            .on_hover_text("Play the timeline as an animation")
            .clicked()
        {
            toggle_lapse(app);
        }
        if !running {
            ui.add(
                egui::DragValue::new(&mut app.tools.lapse_window_days)
                    .range(1..=3650)
                    .prefix("window ")
                    .suffix(" d"),
            );
            ui.add(
                egui::DragValue::new(&mut app.tools.lapse_step_days)
                    .range(1..=365)
                    .prefix("step ")
                    .suffix(" d"),
            );
            return;
        }
        let mut export = false;
        let mut cancel = false;
        if let Some(l) = app.tools.lapse.as_mut() {
            let n = l.lapse.frame_ends().len();
            if ui
                .button(if l.playing { "Pause" } else { "Play" })
                .clicked()
            {
                l.playing = !l.playing;
            }
            let mut frame = l.frame;
            if ui
                .add(egui::Slider::new(&mut frame, 0..=n.saturating_sub(1)).show_value(false))
                .changed()
            {
                l.frame = frame;
                l.playing = false;
            }
            ui.add(
                egui::DragValue::new(&mut l.fps)
                    .range(0.2..=30.0)
                    .speed(0.1)
                    .suffix(" fps"),
            );
            if let Some(end) = l.lapse.frame_ends().get(l.frame) {
                ui.strong(l.lapse.label(*end));
            }
            ui.weak(format!(
                "frame {}/{n} · {} d window, {} d step",
                l.frame + 1,
                l.lapse.window_days,
                l.lapse.step_days
            ));
            ui.end_row();
            ui.add(egui::TextEdit::singleline(&mut l.path).desired_width(180.0))
                .on_hover_text(
                    ".gif, .apng, or .png for a numbered series; the page is the export dialog's",
                );
            match &l.export {
                Some(job) => {
                    ui.add(
                        egui::ProgressBar::new(
                            job.done.load(Ordering::Relaxed) as f32 / job.total.max(1) as f32,
                        )
                        .desired_width(120.0),
                    );
                    cancel = ui.button("Cancel").clicked();
                }
                None => export = ui.button("Export animation").clicked(),
            }
            if let Some(t) = &l.last_export {
                ui.weak(t);
            }
        }
        if export {
            start_lapse_export(app);
        }
        if cancel && let Some(job) = app.tools.lapse.as_ref().and_then(|l| l.export.as_ref()) {
            job.cancel.store(true, Ordering::Relaxed);
        }
    });
}

// ---------------------------------------------------------------- drawing

const TOOL_BLUE: Rgba = Rgba::rgb(0x00, 0x5a, 0xc0);

/// What the tools draw over the map: the question's buffer and answers, the
/// measurement, the temporary pin.
pub(super) fn overlay_shapes(app: &BadiyaApp, scene: &Scene) -> Vec<Shape> {
    let mut out = Vec::new();
    let cam = &scene.camera;
    let px = |p: LonLat| -> [f32; 2] {
        let s = cam.screen_from_geo(p[0], p[1]);
        #[allow(clippy::cast_possible_truncation)]
        [s[0] as f32, s[1] as f32]
    };
    if let Some((q, answer)) = &app.tools.answer {
        if let Some(g) = q.reference.geometry(&app.data) {
            buffer_shapes(&g, q.km, cam, &mut out);
        }
        for (id, _) in answer {
            if let Some(i) = app.corpus.incident(id) {
                out.push(Shape::Circle {
                    center: px([i.lon, i.lat]),
                    radius: 11.0,
                    fill: None,
                    stroke: Some(Stroke::solid(2.5, Rgba::rgb(0xff, 0xb3, 0x00))),
                });
            }
        }
    }
    let points = measured_points(app);
    if points.len() >= 2 || (points.len() == 1 && app.tool == Tool::Measure) {
        let mut line: Vec<[f32; 2]> = points.iter().map(|p| px(*p)).collect();
        if app.tools.measure.closed
            && let Some(first) = line.first().copied()
        {
            line.push(first);
            out.push(Shape::Area {
                rings: vec![line.clone()],
                triangles: None,
                fill: Some(Rgba([0x00, 0x5a, 0xc0, 0x30])),
                stroke: None,
            });
        }
        out.push(Shape::Line {
            points: line.clone(),
            stroke: Stroke {
                width: 2.5,
                color: TOOL_BLUE,
                dash: Some([8.0, 4.0]),
            },
        });
        for p in &line {
            out.push(Shape::Circle {
                center: *p,
                radius: 3.5,
                fill: Some(Rgba::rgb(0xff, 0xff, 0xff)),
                stroke: Some(Stroke::solid(1.5, TOOL_BLUE)),
            });
        }
        if let Some(last) = line.last() {
            out.push(Shape::Text {
                pos: [last[0] + 10.0, last[1] - 12.0],
                text: crate::analysis::measure_label(&points, app.tools.measure.closed),
                size: 13.0,
                color: TOOL_BLUE,
                anchor: Anchor::Left,
                halo: Some(Rgba::rgb(0xff, 0xff, 0xff)),
                bold: true,
            });
        }
    }
    if let Some((lon, lat, label)) = &app.tools.temp_pin {
        let p = px([*lon, *lat]);
        out.push(Shape::Line {
            points: vec![[p[0], p[1]], [p[0], p[1] - 18.0]],
            stroke: Stroke::solid(2.0, TOOL_BLUE),
        });
        out.push(Shape::Circle {
            center: [p[0], p[1] - 22.0],
            radius: 5.0,
            fill: Some(TOOL_BLUE),
            stroke: Some(Stroke::solid(1.5, Rgba::rgb(0xff, 0xff, 0xff))),
        });
        out.push(Shape::Text {
            pos: [p[0] + 10.0, p[1] - 22.0],
            text: label.clone(),
            size: 13.0,
            color: TOOL_BLUE,
            anchor: Anchor::Left,
            halo: Some(Rgba::rgb(0xff, 0xff, 0xff)),
            bold: true,
        });
    }
    out
}

/// The buffer of `km` around a geometry, drawn translucent: a band along
/// lines (its width true at the line's latitude), a geodesic circle around a
/// point, an outline band around an area.
fn buffer_shapes(
    g: &geo::Geometry<f64>,
    km: f64,
    cam: &crate::camera::Camera,
    out: &mut Vec<Shape>,
) {
    use geo::BoundingRect;
    let fill = Rgba([0xff, 0xb3, 0x00, 0x40]);
    let px = |x: f64, y: f64| -> [f32; 2] {
        let s = cam.screen_from_geo(x, y);
        #[allow(clippy::cast_possible_truncation)]
        [s[0] as f32, s[1] as f32]
    };
    let mid_lat = g.bounding_rect().map_or(34.0, |r| r.center().y);
    // Ground metres per screen pixel at this latitude.
    let ground_m_per_px = cam.m_per_px() * mid_lat.to_radians().cos();
    #[allow(clippy::cast_possible_truncation)]
    let band_px = (2.0 * km * 1000.0 / ground_m_per_px) as f32;
    let lines: Vec<Vec<[f32; 2]>> = match g {
        geo::Geometry::LineString(l) => vec![l.coords().map(|c| px(c.x, c.y)).collect()],
        geo::Geometry::MultiLineString(ml) => {
            ml.0.iter()
                .map(|l| l.coords().map(|c| px(c.x, c.y)).collect())
                .collect()
        }
        geo::Geometry::Polygon(p) => vec![p.exterior().coords().map(|c| px(c.x, c.y)).collect()],
        geo::Geometry::MultiPolygon(mp) => {
            mp.0.iter()
                .map(|p| p.exterior().coords().map(|c| px(c.x, c.y)).collect())
                .collect()
        }
        geo::Geometry::Point(p) => {
            let ring: Vec<[f32; 2]> =
                crate::analysis::geodesic_circle([p.x(), p.y()], km * 1000.0, 96)
                    .into_iter()
                    .map(|q| px(q[0], q[1]))
                    .collect();
            out.push(Shape::Area {
                rings: vec![ring],
                triangles: None,
                fill: Some(fill),
                stroke: Some(Stroke::solid(1.5, Rgba::rgb(0xe6, 0x80, 0x00))),
            });
            return;
        }
        _ => Vec::new(),
    };
    let area = matches!(
        g,
        geo::Geometry::Polygon(_) | geo::Geometry::MultiPolygon(_)
    );
    for line in lines {
        if area {
            out.push(Shape::Area {
                rings: vec![line.clone()],
                triangles: None,
                fill: Some(Rgba([0xff, 0xb3, 0x00, 0x28])),
                stroke: None,
            });
        }
        if band_px >= 1.0 {
            out.push(Shape::Line {
                points: line.clone(),
                stroke: Stroke::solid(band_px, fill),
            });
        }
        out.push(Shape::Line {
            points: line,
            stroke: Stroke::solid(1.5, Rgba::rgb(0xe6, 0x80, 0x00)),
        });
    }
}

/// The "border" line of the incident inspector: distance and side.
pub(super) fn border_line(app: &BadiyaApp, lon: f64, lat: f64) -> Option<String> {
    let (m, side) = crate::analysis::border_position(&app.data, [lon, lat])?;
    let d = crate::analysis::format_distance(m);
    Some(match side {
        Some(c) if c == "Iraq" || c == "Syria" => format!("{d} away, on the {c} side"),
        Some(c) => format!("{d} away, in {c}"),
        None => format!("{d} away"),
    })
}

/// A subtle colour for the tools' hints in the UI.
pub(super) fn hint_color(ui: &egui::Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(0x8a, 0xb4, 0xf8)
    } else {
        Color32::from_rgb(0x00, 0x5a, 0xc0)
    }
}

//! The eframe application: panels that draw state and send commands, and the
//! one place (`apply`) where commands change state, once per frame.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use egui::{Pos2, Rect};

use crate::annotate::{AnnoStyle, Annotations, Change};
use crate::camera::{Camera, REGION};
use crate::corpus::{Corpus, gazetteer_for};
use crate::docs::DocMeta;
use crate::geodata::GeoData;
use crate::incidents::{Edit, Filter, Incident};
use crate::scene::{LayerState, MapOptions, MarkerInput, Prepared, Scene, Theme};
use crate::spatial::{FeatureRef, Pick, SpatialIndex};

mod annotate_ui;
mod documents_ui;
mod export_ui;
mod incidents_ui;
mod map_view;
mod panels;
mod saved;

pub use annotate_ui::Tool;
pub use export_ui::{CaptureTarget, ExportDialog, SizeChoice};
pub use saved::SavedWorkspace;

/// What the window opens on.
#[derive(Clone, Debug, PartialEq)]
pub enum InitialView {
    Region,
    Place(String),
    /// min lon, min lat, max lon, max lat
    BBox([f64; 4]),
}

/// Start-up options from the command line.
#[derive(Clone, Debug)]
pub struct Options {
    pub data_dir: Option<PathBuf>,
    pub view: InitialView,
    /// Save the window's pixels to this PNG once a complete frame is drawn, then exit.
    pub screenshot: Option<PathBuf>,
    /// Where the analyst's work is saved; `None` keeps it in memory only.
    pub workspace: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            data_dir: None,
            view: InitialView::Region,
            screenshot: None,
            workspace: None,
        }
    }
}

/// What is selected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    Feature(FeatureRef),
    /// An incident, by its stable id.
    Incident(String),
    /// An annotation, by id.
    Annotation(u64),
}

/// Which tab the left panel shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum LeftTab {
    #[default]
    Layers,
    Incidents,
    Documents,
}

/// Everything the UI can ask for. Panels push these; `apply` carries them out.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    SetLayerVisible(usize, bool),
    SetLayerOpacity(usize, f32),
    Select(Option<Selection>),
    SetCamera(Camera),
    FitRegion,
    FitLonLat([f64; 2], [f64; 2]),
    /// Centre on a position, zooming in to at least this level.
    FlyTo {
        lon: f64,
        lat: f64,
        zoom: f64,
    },
    ZoomBy(f64),
    ShowAbout(bool),
    ShowHelp(bool),
    SetDark(bool),
    /// Show incidents located only to an area as badges on the map.
    SetAreaMarkers(bool),
    SetLeftTab(LeftTab),
    SetFilter(Filter),
    /// Open a document in the viewer, scrolled to an original byte offset.
    OpenDocument {
        doc: String,
        at: Option<usize>,
    },
    CloseDocument,
    SetDocMeta {
        doc: String,
        meta: DocMeta,
    },
    /// Add documents from files (dialog or drag-and-drop).
    AddFiles(Vec<PathBuf>),
    /// Add a document from bytes (drag-and-drop without a path).
    AddBytes {
        name: String,
        bytes: Vec<u8>,
    },
    /// Correct an incident.
    Edit(Edit),
    /// The next click on the map moves this incident's pin.
    StartMovePin(Option<String>),
    /// The next click on the map places this name (a place the gazetteer lacks).
    StartPlaceName(Option<String>),
    /// Put a name the gazetteer lacks on the map: every document uses it from
    /// now on, and the workspace keeps it.
    AddAnalystPlace {
        name: String,
        lon: f64,
        lat: f64,
    },
    Error(String),
    DismissErrors,
    SetTool(Tool),
    /// Change the annotations; `merge` continues the previous step (a drag, typing).
    Annotate {
        change: Change,
        merge: bool,
    },
    EndAnnotationGesture,
    SelectNewestAnnotation,
    Undo,
    Redo,
    ImportAnnotations(PathBuf),
    ExportAnnotations(PathBuf),
    ShowExport(bool),
    StartExport,
    Capture(CaptureTarget),
}

/// The pick list under the last click, so clicking again at the same spot cycles.
#[derive(Clone, Debug)]
struct ClickCycle {
    at: Pos2,
    picks: Vec<Target>,
    index: usize,
}

/// Something a click can select on the map.
#[derive(Clone, Debug, PartialEq)]
enum Target {
    Incident(String),
    Feature(Pick),
}

/// The document viewer's state.
#[derive(Clone, Debug, PartialEq)]
pub struct Viewer {
    pub doc: String,
    /// Scroll to this original byte offset on the next frame.
    pub scroll_to: Option<usize>,
}

/// The last scene built and what it was built from: camera, map options,
/// markers, and (annotation revision, selected annotation).
struct SceneCache {
    camera: Camera,
    options: MapOptions,
    markers: Vec<MarkerInput>,
    annotations: (u64, Option<u64>),
    scene: Scene,
}

/// The application state.
pub struct BadiyaApp {
    pub(crate) data: Arc<GeoData>,
    pub(crate) index: Arc<SpatialIndex>,
    pub(crate) prepared: Arc<Prepared>,
    pub(crate) corpus: Corpus,
    pub(crate) filter: Filter,
    pub(crate) camera: Camera,
    pub(crate) layers: Vec<LayerState>,
    pub(crate) dark: bool,
    /// Incidents located only to an area are drawn as area badges.
    pub(crate) area_markers: bool,
    pub(crate) left_tab: LeftTab,
    pub(crate) selection: Option<Selection>,
    pub(crate) hovered: Option<FeatureRef>,
    pub(crate) cursor: Option<(f64, f64)>,
    pub(crate) show_about: bool,
    pub(crate) show_help: bool,
    pub(crate) viewer: Option<Viewer>,
    /// The open document's highlights, keyed by document and corpus generation.
    viewer_marks: Option<((String, u64), documents_ui::Marks)>,
    pub(crate) moving_pin: Option<String>,
    /// A place name waiting for the analyst's click on the map.
    pub(crate) placing_name: Option<String>,
    /// Places the analyst put on the map (name, lon, lat), kept in the workspace.
    pub(crate) analyst_places: Vec<(String, f64, f64)>,
    pub(crate) messages: Vec<String>,
    /// Errors the analyst has not dismissed yet (shown in a window).
    pub(crate) errors: Vec<String>,
    pub(crate) map_rect: Option<Rect>,
    pub(crate) annotations: Annotations,
    /// Bumped on every annotation change, so the scene knows to rebuild.
    anno_rev: u64,
    pub(crate) tool: Tool,
    pub(crate) anno_style: AnnoStyle,
    pub(crate) draft: Option<annotate_ui::Draft>,
    pub(crate) anno_drag: Option<u64>,
    pub(crate) export: export_ui::ExportDialog,
    capture: export_ui::Capture,
    /// The egui context, for background work to wake the UI.
    ctx: Option<egui::Context>,
    click_cycle: Option<ClickCycle>,
    pending_view: Option<InitialView>,
    /// The box last fitted, kept while the analyst has not moved the map, so a
    /// resized window stays fitted.
    fitted: Option<([f64; 2], [f64; 2])>,
    commands: Vec<Command>,
    scene_cache: Option<SceneCache>,
    screenshot: Option<Screenshot>,
    workspace_path: Option<PathBuf>,
    /// Something worth saving changed since the last save.
    dirty: bool,
    last_save: f64,
    frames: u64,
}

struct Screenshot {
    path: PathBuf,
    requested: bool,
    image: Arc<Mutex<Option<Arc<egui::ColorImage>>>>,
}

impl BadiyaApp {
    /// Loads the data (embedded or `--data DIR`), the documents and the saved
    /// workspace, and prepares the index and tessellations.
    pub fn new(options: Options) -> Self {
        let data = match &options.data_dir {
            Some(dir) => GeoData::from_dir(dir),
            None => GeoData::embedded(),
        };
        let index = SpatialIndex::new(&data);
        let prepared = Prepared::new(&data, &index);
        let mut messages: Vec<String> = data.errors.iter().map(ToString::to_string).collect();
        let (gazetteer, warning) = gazetteer_for(&data.source);
        messages.extend(warning);
        let saved = match &options.workspace {
            Some(path) => {
                let loaded = crate::workspace::load::<SavedWorkspace>(path);
                messages.extend(loaded.warning.map(|w| w.to_string()));
                loaded.value
            }
            None => SavedWorkspace::default(),
        };
        let (docs, doc_errors) = saved.documents();
        messages.extend(doc_errors);
        let analyst_places: Vec<(String, f64, f64)> = saved
            .analyst_places
            .iter()
            .filter(|p| crate::coords::valid_lon_lat(p.lon, p.lat) && !p.name.trim().is_empty())
            .map(|p| (p.name.clone(), p.lon, p.lat))
            .collect();
        let gazetteer = if analyst_places.is_empty() {
            gazetteer
        } else {
            gazetteer.with_analyst_places(&analyst_places)
        };
        let corpus = Corpus::new(docs, gazetteer, saved.edits.clone());
        let mut layers = MapOptions::for_data(&data).layers;
        saved.apply_layers(&data, &mut layers);
        let restored_camera = saved.camera;
        let annotations = saved.annotations.clone();
        let mut app = Self {
            data: Arc::new(data),
            index: Arc::new(index),
            prepared: Arc::new(prepared),
            corpus,
            filter: saved.filter.clone(),
            camera: Camera::default(),
            layers,
            dark: saved.dark,
            area_markers: !saved.hide_area_markers,
            left_tab: saved.left_tab,
            selection: None,
            hovered: None,
            cursor: None,
            show_about: false,
            show_help: false,
            viewer: None,
            viewer_marks: None,
            moving_pin: None,
            placing_name: None,
            analyst_places,
            messages,
            errors: Vec::new(),
            map_rect: None,
            annotations,
            anno_rev: 0,
            tool: Tool::Select,
            anno_style: AnnoStyle::default(),
            draft: None,
            anno_drag: None,
            export: export_ui::ExportDialog::default(),
            capture: export_ui::Capture::default(),
            ctx: None,
            click_cycle: None,
            pending_view: Some(options.view.clone()),
            fitted: None,
            commands: Vec::new(),
            scene_cache: None,
            screenshot: options.screenshot.map(|path| Screenshot {
                path,
                requested: false,
                image: Arc::default(),
            }),
            workspace_path: options.workspace,
            dirty: false,
            last_save: f64::NEG_INFINITY,
            frames: 0,
        };
        // A restored view wins over the default region, not over an explicit one.
        if let (Some(camera), InitialView::Region) = (restored_camera, &options.view) {
            app.camera = camera;
            app.pending_view = None;
        }
        app
    }

    /// Queues a command for the end of this frame.
    pub fn send(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// The current camera (for tests and scripted views).
    pub fn camera(&self) -> Camera {
        self.camera
    }

    /// The loaded data.
    pub fn data(&self) -> &GeoData {
        &self.data
    }

    /// The documents and incidents.
    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    /// The incident filter in force.
    pub fn filter(&self) -> &Filter {
        &self.filter
    }

    /// The incidents the filter lets through, in corpus order.
    pub fn visible_incidents(&self) -> Vec<&Incident> {
        self.corpus
            .incidents()
            .iter()
            .filter(|i| self.filter.accepts(i))
            .collect()
    }

    /// Where a lon/lat position is on screen, once the map has been laid out.
    pub fn screen_pos_of(&self, lon: f64, lat: f64) -> Option<Pos2> {
        let rect = self.map_rect?;
        let [x, y] = self.camera.screen_from_geo(lon, lat);
        #[allow(clippy::cast_possible_truncation)]
        Some(rect.min + egui::vec2(x as f32, y as f32))
    }

    /// How many features of a layer the current map view draws.
    pub fn drawn_feature_count(&mut self, layer: usize) -> usize {
        self.scene()
            .drawn
            .iter()
            .filter(|f| f.layer == layer)
            .count()
    }

    /// How many incident markers (single or clustered) the current map view draws.
    pub fn drawn_incident_count(&mut self) -> usize {
        self.scene().hits.iter().map(|h| h.ids.len()).sum()
    }

    /// The annotations drawn on the map.
    pub fn annotations(&self) -> &Annotations {
        &self.annotations
    }

    /// The export dialog's settings (for scripted exports and tests).
    pub fn export_dialog_mut(&mut self) -> &mut ExportDialog {
        &mut self.export
    }

    /// True while an export runs in the background.
    pub fn export_running(&self) -> bool {
        self.export.running()
    }

    /// The active drawing tool.
    pub fn tool(&self) -> Tool {
        self.tool
    }

    /// The current selection.
    pub fn selection(&self) -> Option<&Selection> {
        self.selection.as_ref()
    }

    /// The open document, if the viewer is open.
    pub fn viewer(&self) -> Option<&Viewer> {
        self.viewer.as_ref()
    }

    /// Errors shown to the analyst and not yet dismissed.
    pub fn errors(&self) -> &[String] {
        &self.errors
    }

    /// The name of what is selected, if anything.
    pub fn selected_name(&self) -> Option<String> {
        match self.selection.as_ref()? {
            Selection::Feature(f) => self.feature(*f).and_then(|(_, feat)| feat.name.clone()),
            Selection::Incident(id) => self.corpus.incident(id).map(|i| i.place.canonical.clone()),
            Selection::Annotation(id) => self
                .annotations
                .get(*id)
                .map(crate::annotate::Annotation::title),
        }
    }

    pub(crate) fn feature(
        &self,
        f: FeatureRef,
    ) -> Option<(&crate::geodata::Layer, &crate::geodata::Feature)> {
        let layer = self.data.layers.get(f.layer)?;
        Some((layer, layer.features.get(f.feature)?))
    }

    pub(crate) fn theme(&self) -> Theme {
        if self.dark { Theme::DARK } else { Theme::LIGHT }
    }

    /// The line feature (the border, a pipeline) a selected incident placed on
    /// a whole line lies on: it is highlighted instead of a point.
    fn selected_line(&self) -> Option<FeatureRef> {
        let Some(Selection::Incident(id)) = &self.selection else {
            return None;
        };
        let place = self
            .corpus
            .incidents()
            .iter()
            .find(|i| &i.id == id)?
            .place
            .gazetteer_id
            .clone()?;
        if !(place.starts_with("border:") || place.starts_with("pipeline:")) {
            return None;
        }
        self.data.layers.iter().enumerate().find_map(|(li, l)| {
            l.features
                .iter()
                .position(|f| f.id == place)
                .map(|fi| FeatureRef {
                    layer: li,
                    feature: fi,
                })
        })
    }

    pub(crate) fn map_options(&self) -> MapOptions {
        MapOptions {
            layers: self.layers.clone(),
            selected: match self.selection {
                Some(Selection::Feature(f)) => Some(f),
                _ => self.selected_line(),
            },
            hovered: self.hovered,
            theme: self.theme(),
            furniture: true,
            cluster_px: 18.0,
            labels: true,
            area_markers: self.area_markers,
        }
    }

    /// Markers for the incidents the filter lets through; ids index the corpus.
    pub(crate) fn markers(&self) -> Vec<MarkerInput> {
        let selected = match &self.selection {
            Some(Selection::Incident(id)) => Some(id.as_str()),
            _ => None,
        };
        crate::overlay::incident_overlay(&self.corpus, &self.filter, selected).markers
    }

    /// The scene for the current view, rebuilt only when something it shows changed.
    pub(crate) fn scene(&mut self) -> &Scene {
        let options = self.map_options();
        let markers = self.markers();
        let selected_anno = match self.selection {
            Some(Selection::Annotation(id)) => Some(id),
            _ => None,
        };
        let anno_key = (self.anno_rev, selected_anno);
        let fresh = self.scene_cache.as_ref().is_some_and(|c| {
            c.camera == self.camera
                && c.options == options
                && c.markers == markers
                && c.annotations == anno_key
        });
        if !fresh {
            let mut scene = crate::scene::build_map(
                &self.data,
                &self.index,
                &self.prepared,
                self.camera,
                &options,
                &markers,
            );
            let shapes = self.annotations.to_shapes(&scene, selected_anno);
            scene.shapes.extend(shapes);
            self.scene_cache = Some(SceneCache {
                camera: self.camera,
                options,
                markers,
                annotations: anno_key,
                scene,
            });
        }
        match &self.scene_cache {
            Some(cache) => &cache.scene,
            None => unreachable!("scene cache was just filled"),
        }
    }

    fn fit(&mut self, min: [f64; 2], max: [f64; 2]) {
        let c = Camera::fit_lon_lat(min, max, self.camera.width_px, self.camera.height_px);
        self.camera = c.clamped();
        self.fitted = Some((min, max));
    }

    /// The map area changed size: keep the fitted box fitted, or keep centre and zoom.
    pub(crate) fn resize_map(&mut self, width_px: f64, height_px: f64) {
        self.camera = self.camera.with_size(width_px, height_px);
        if let Some((min, max)) = self.fitted {
            self.fit(min, max);
        }
    }

    /// The analyst moved the map by hand.
    pub(crate) fn move_camera(&mut self, camera: Camera) {
        self.camera = camera;
        self.fitted = None;
        self.dirty = true;
    }

    fn add_document_result(&mut self, result: Result<String, String>) {
        match result {
            Ok(id) => {
                let count = self
                    .corpus
                    .incidents()
                    .iter()
                    .filter(|i| i.sources.iter().any(|s| s.doc == id))
                    .count();
                self.messages.push(format!("added {id}: {count} incidents"));
                self.dirty = true;
            }
            Err(e) => self.errors.push(e),
        }
    }

    /// Applies the queued commands: the one place state changes.
    fn apply(&mut self, ctx: &egui::Context) {
        for command in std::mem::take(&mut self.commands) {
            match command {
                Command::SetLayerVisible(i, on) => {
                    if let Some(l) = self.layers.get_mut(i) {
                        l.visible = on;
                    }
                    if matches!(self.selection, Some(Selection::Feature(f)) if f.layer == i && !on)
                    {
                        self.selection = None;
                    }
                    self.dirty = true;
                }
                Command::SetLayerOpacity(i, o) => {
                    if let Some(l) = self.layers.get_mut(i) {
                        l.opacity = o.clamp(0.0, 1.0);
                    }
                    self.dirty = true;
                }
                Command::Select(s) => {
                    self.selection = s;
                    self.moving_pin = None;
                }
                Command::SetCamera(c) => self.move_camera(c.clamped()),
                Command::FitRegion => {
                    self.fit(REGION.0, REGION.1);
                    self.dirty = true;
                }
                Command::FitLonLat(a, b) => {
                    self.fit(a, b);
                    self.dirty = true;
                }
                Command::FlyTo { lon, lat, zoom } => {
                    let c = Camera {
                        zoom: self.camera.zoom.max(zoom),
                        ..self.camera
                    };
                    self.move_camera(c.with_center_lon_lat(lon, lat));
                }
                Command::ZoomBy(d) => {
                    let centre = [self.camera.width_px / 2.0, self.camera.height_px / 2.0];
                    self.move_camera(self.camera.zoomed_at(d, centre));
                }
                Command::SetAreaMarkers(b) => {
                    self.area_markers = b;
                    self.dirty = true;
                }
                Command::ShowAbout(b) => self.show_about = b,
                Command::ShowHelp(b) => self.show_help = b,
                Command::SetDark(d) => {
                    self.dark = d;
                    ctx.set_theme(if d {
                        egui::Theme::Dark
                    } else {
                        egui::Theme::Light
                    });
                    self.dirty = true;
                }
                Command::SetLeftTab(t) => {
                    self.left_tab = t;
                    self.dirty = true;
                }
                Command::SetFilter(f) => {
                    self.filter = f;
                    self.dirty = true;
                }
                Command::OpenDocument { doc, at } => {
                    if self.corpus.doc(&doc).is_some() {
                        self.viewer = Some(Viewer { doc, scroll_to: at });
                    } else {
                        self.errors.push(format!("document {doc} is not loaded"));
                    }
                }
                Command::CloseDocument => self.viewer = None,
                Command::SetDocMeta { doc, meta } => {
                    self.corpus.set_meta(&doc, meta);
                    self.dirty = true;
                }
                Command::AddFiles(paths) => {
                    for path in paths {
                        let result = self.corpus.add_file(&path);
                        self.add_document_result(result);
                    }
                }
                Command::AddBytes { name, bytes } => {
                    let result = crate::docs::document_from_bytes(&name, &bytes)
                        .map_err(|e| e.to_string())
                        .and_then(|doc| {
                            let id = doc.id.clone();
                            self.corpus.add_document(doc).map(|()| id)
                        });
                    self.add_document_result(result);
                }
                Command::Edit(edit) => {
                    let deleted = matches!(&edit, Edit::Delete { .. });
                    let id = edit.id().to_owned();
                    self.corpus.edit(edit);
                    if deleted && self.selection == Some(Selection::Incident(id)) {
                        self.selection = None;
                    }
                    self.dirty = true;
                }
                Command::StartMovePin(id) => {
                    self.moving_pin = id;
                    self.placing_name = None;
                }
                Command::StartPlaceName(name) => {
                    self.placing_name = name;
                    self.moving_pin = None;
                }
                Command::AddAnalystPlace { name, lon, lat } => {
                    self.analyst_places.retain(|(n, _, _)| n != &name);
                    self.analyst_places.push((name.clone(), lon, lat));
                    let gazetteer = self
                        .corpus
                        .gazetteer
                        .with_analyst_places(&self.analyst_places);
                    self.corpus.gazetteer = gazetteer;
                    self.corpus.reextract();
                    self.scene_cache = None;
                    self.placing_name = None;
                    self.dirty = true;
                    self.messages.push(format!(
                        "placed “{name}” at {}; every document now uses it",
                        crate::coords::decimal(lon, lat)
                    ));
                }
                Command::Error(e) => self.errors.push(e),
                Command::DismissErrors => self.errors.clear(),
                Command::SetTool(t) => {
                    self.tool = t;
                    self.draft = None;
                }
                Command::Annotate { change, merge } => {
                    let deleted = match &change {
                        Change::Delete(id) => Some(*id),
                        _ => None,
                    };
                    let result = if merge {
                        self.annotations.apply_merged(change)
                    } else {
                        self.annotations.apply(change)
                    };
                    match result {
                        Ok(()) => {
                            self.anno_rev += 1;
                            self.dirty = true;
                            if deleted.is_some()
                                && self.selection == deleted.map(Selection::Annotation)
                            {
                                self.selection = None;
                            }
                        }
                        Err(e) => self.errors.push(e.to_string()),
                    }
                }
                Command::EndAnnotationGesture => self.annotations.end_merge(),
                Command::SelectNewestAnnotation => {
                    if let Some(a) = self.annotations.items().last() {
                        self.selection = Some(Selection::Annotation(a.id));
                    }
                }
                Command::Undo => {
                    if self.annotations.undo() {
                        self.anno_rev += 1;
                        self.dirty = true;
                        self.drop_stale_annotation_selection();
                    }
                }
                Command::Redo => {
                    if self.annotations.redo() {
                        self.anno_rev += 1;
                        self.dirty = true;
                        self.drop_stale_annotation_selection();
                    }
                }
                Command::ImportAnnotations(path) => {
                    match std::fs::read_to_string(&path)
                        .map_err(|e| format!("cannot read {}: {e}", path.display()))
                        .and_then(|text| {
                            self.annotations
                                .import_geojson(&text)
                                .map_err(|e| format!("cannot import {}: {e}", path.display()))
                        }) {
                        Ok(n) => {
                            self.anno_rev += 1;
                            self.dirty = true;
                            self.messages
                                .push(format!("imported {n} annotations from {}", path.display()));
                        }
                        Err(e) => self.errors.push(e),
                    }
                }
                Command::ExportAnnotations(path) => {
                    match crate::annotate::save_geojson(self.annotations.items(), &path) {
                        Ok(()) => self.messages.push(format!(
                            "wrote {} annotations to {}",
                            self.annotations.len(),
                            path.display()
                        )),
                        Err(e) => self.errors.push(e.to_string()),
                    }
                }
                Command::ShowExport(open) => self.export.open = open,
                Command::StartExport => {
                    let now = ctx.input(|i| i.time);
                    export_ui::start_export(self, now);
                }
                Command::Capture(target) => export_ui::request_capture(self, ctx, target),
            }
        }
    }

    fn drop_stale_annotation_selection(&mut self) {
        if let Some(Selection::Annotation(id)) = self.selection
            && self.annotations.get(id).is_none()
        {
            self.selection = None;
        }
    }

    /// Resolves the start-up view once the map's size is known.
    fn apply_pending_view(&mut self) {
        let Some(view) = self.pending_view.take() else {
            return;
        };
        match view {
            InitialView::Region => self.fit(REGION.0, REGION.1),
            InitialView::BBox([a, b, c, d]) => self.fit([a, b], [c, d]),
            InitialView::Place(name) => match self.data.feature_named(&name) {
                Some((_, feature)) => {
                    use geo::BoundingRect;
                    if let Some(r) = feature.geometry.bounding_rect() {
                        let pad = 0.25;
                        self.fit(
                            [r.min().x - pad, r.min().y - pad],
                            [r.max().x + pad, r.max().y + pad],
                        );
                    }
                }
                None => {
                    self.fit(REGION.0, REGION.1);
                    self.messages
                        .push(format!("no place named {name:?}; showing the whole region"));
                }
            },
        }
    }

    fn handle_screenshot(&mut self, ctx: &egui::Context) {
        let Some(shot) = &mut self.screenshot else {
            return;
        };
        // A few frames so fonts, layout and the scene have all settled.
        if !shot.requested && self.frames >= 4 {
            shot.requested = true;
            let slot = shot.image.clone();
            ctx.request_screenshot(move |image| {
                if let Ok(mut s) = slot.lock() {
                    *s = Some(image);
                }
            });
        }
        let taken = shot.image.lock().ok().and_then(|mut s| s.take());
        if let Some(image) = taken {
            match save_color_image(&image, &shot.path) {
                Ok(()) => println!("saved {}", shot.path.display()),
                Err(e) => {
                    eprintln!("error: {e}");
                    std::process::exit(1);
                }
            }
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        ctx.request_repaint();
    }

    /// Saves the workspace when something changed, at most twice a second.
    fn autosave(&mut self, now: f64, force: bool) {
        // A scripted screenshot reads the workspace but never writes it.
        if self.screenshot.is_some() {
            return;
        }
        let Some(path) = self.workspace_path.clone() else {
            return;
        };
        if !self.dirty || (!force && now - self.last_save < 0.5) {
            return;
        }
        let saved = SavedWorkspace::capture(self);
        match crate::workspace::save(&path, &saved) {
            Ok(()) => {
                self.dirty = false;
                self.last_save = now;
            }
            Err(e) => {
                // Keep everything in memory and say so; try again later.
                self.last_save = now + 5.0;
                let text = e.to_string();
                if !self.errors.contains(&text) {
                    self.errors.push(text);
                }
            }
        }
    }

    /// Files dropped on the window become documents.
    fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped = ctx.input(|i| i.raw.dropped_files.clone());
        for file in dropped {
            let path = file.path().to_path_buf();
            if !path.as_os_str().is_empty() {
                self.send(Command::AddFiles(vec![path]));
                continue;
            }
            match file.bytes() {
                Ok(bytes) => self.send(Command::AddBytes {
                    name: "dropped document.txt".to_owned(),
                    bytes,
                }),
                Err(e) => self.send(Command::Error(format!("cannot add the dropped item: {e}"))),
            }
        }
    }

    /// The whole UI for one frame (also what the UI tests drive).
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        if self.frames == 0 {
            ui.ctx().set_theme(if self.dark {
                egui::Theme::Dark
            } else {
                egui::Theme::Light
            });
        }
        self.frames += 1;
        if self.ctx.is_none() {
            self.ctx = Some(ui.ctx().clone());
        }
        panels::menu_bar_ui(self, ui);
        annotate_ui::toolbar_ui(self, ui);
        panels::status_bar_ui(self, ui);
        incidents_ui::timeline_panel_ui(self, ui);
        panels::left_panel_ui(self, ui);
        panels::inspector_panel_ui(self, ui);
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| map_view::map_ui(self, ui));
        documents_ui::viewer_window(self, ui.ctx());
        panels::about_window(self, ui.ctx());
        panels::help_window(self, ui.ctx());
        export_ui::export_window(self, ui.ctx());
        panels::errors_window(self, ui.ctx());
        annotate_ui::line_keys(self, ui.ctx());
        panels::shortcuts(self, ui.ctx());
        let ctx = ui.ctx().clone();
        export_ui::poll_export(self);
        export_ui::finish_capture(self, &ctx);
        self.handle_dropped_files(&ctx);
        self.apply(&ctx);
        let now = ctx.input(|i| i.time);
        let closing = ctx.input(|i| i.viewport().close_requested());
        self.autosave(now, closing);
        self.handle_screenshot(&ctx);
    }
}

/// Writes an egui screenshot to a PNG file.
fn save_color_image(image: &egui::ColorImage, path: &std::path::Path) -> anyhow::Result<()> {
    let [w, h] = image.size;
    let mut bytes = Vec::with_capacity(w * h * 4);
    for p in &image.pixels {
        bytes.extend_from_slice(&p.to_srgba_unmultiplied());
    }
    let w = u32::try_from(w)?;
    let h = u32::try_from(h)?;
    let buffer = image::RgbaImage::from_raw(w, h, bytes)
        .ok_or_else(|| anyhow::anyhow!("screenshot buffer has the wrong size"))?;
    buffer
        .save(path)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
}

impl eframe::App for BadiyaApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        BadiyaApp::ui(self, ui);
    }

    fn on_exit(&mut self) {
        self.autosave(f64::MAX, true);
    }
}

/// The window icon, drawn from `assets/badiya-icon.svg` (64 px).
fn window_icon() -> Option<egui::IconData> {
    const SVG: &str = include_str!("../../assets/badiya-icon.svg");
    let size = 64;
    let tree = resvg::usvg::Tree::from_str(SVG, &resvg::usvg::Options::default()).ok()?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size, size)?;
    let scale = 64.0 / tree.size().width();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    // tiny-skia stores premultiplied alpha; the window system wants straight alpha.
    let rgba = pixmap
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        })
        .collect();
    Some(egui::IconData {
        rgba,
        width: size,
        height: size,
    })
}

/// Opens the window and runs until it is closed.
pub fn run(options: Options) -> anyhow::Result<()> {
    let mut viewport = egui::ViewportBuilder::default();
    if let Some(icon) = window_icon() {
        viewport = viewport.with_icon(icon);
    }
    let native = eframe::NativeOptions {
        viewport: viewport
            .with_title("badiya")
            .with_inner_size([1500.0, 940.0])
            .with_min_inner_size([800.0, 500.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "badiya",
        native,
        Box::new(move |_cc| Ok(Box::new(BadiyaApp::new(options)))),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_window_icon_draws_the_border_in_red() {
        let icon = super::window_icon().expect("icon renders");
        assert_eq!((icon.width, icon.height), (64, 64));
        let red = icon
            .rgba
            .chunks_exact(4)
            .filter(|p| p[0] > 180 && p[1] < 60 && p[2] < 60 && p[3] > 200)
            .count();
        assert!(red > 60, "{red} red pixels");
    }
}

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
pub mod files;
mod incidents_ui;
mod map_view;
mod panels;
mod qgis_style;
pub mod saved;
pub mod tools_ui;

pub use annotate_ui::Tool;
pub use export_ui::{CaptureTarget, ExportDialog, SizeChoice};
pub use saved::{AnalystPlace, SavedDoc, SavedLayer, SavedWorkspace};
pub mod store;
mod team_ui;

/// What the window opens on.
#[derive(Clone, Debug, PartialEq)]
pub enum InitialView {
    Region,
    Place(String),
    /// min lon, min lat, max lon, max lat
    BBox([f64; 4]),
}

/// Added documents larger than this in total are extracted off the UI thread at start.
const BACKGROUND_EXTRACTION_BYTES: usize = 256 * 1024;

/// While the map is dragged its scene is drawn this many pixels beyond each
/// edge of the view and moved with the pointer; it is drawn anew when the
/// view would leave it, when the zoom changes and when the drag ends.
const PAN_MARGIN_PX: f64 = 256.0;

/// What a worker thread's extraction sends back: the new corpus, and per
/// added document its id or why it was refused.
pub(crate) type Extracted = (Corpus, Vec<Result<String, String>>);

/// How far a batch of documents added on a worker thread has been read,
/// and whether the analyst cancelled it.
#[derive(Debug, Default)]
pub struct AddProgress {
    /// Documents read so far.
    pub done: std::sync::atomic::AtomicUsize,
    /// Set to stop before the next document.
    pub cancel: std::sync::atomic::AtomicBool,
}

/// Start-up options from the command line.
#[derive(Clone, Debug)]
pub struct Options {
    pub data_dir: Option<PathBuf>,
    pub view: InitialView,
    /// Save the window's pixels to this PNG once a complete frame is drawn, then exit.
    pub screenshot: Option<PathBuf>,
    /// When the process started, to print how long the window took to show
    /// its first complete frame, then exit (`--startup-report`).
    pub startup_report: Option<std::time::Instant>,
    /// Draw the map's meshes from GPU buffers kept between frames (the
    /// window, when its renderer has the map's pipeline) instead of handing
    /// them to egui each frame.
    pub map_on_gpu: bool,
    /// Where the analyst's work is saved; `None` keeps it in memory only.
    /// With a team store, the private workspace stays as it is and the
    /// store's local copy sits beside it.
    pub workspace: Option<PathBuf>,
    /// The team store's URL (no password), when working on one.
    pub store: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            data_dir: None,
            view: InitialView::Region,
            screenshot: None,
            startup_report: None,
            map_on_gpu: false,
            workspace: None,
            store: None,
        }
    }
}

impl Command {
    /// Whether the command changes what a team shares (refused in a store
    /// the analyst may only read).
    fn changes_shared(&self) -> bool {
        matches!(
            self,
            Command::Edit(_)
                | Command::Annotate { .. }
                | Command::AddAnalystPlace { .. }
                | Command::AddFiles(_)
                | Command::AddBytes { .. }
                | Command::SetDocMeta { .. }
                | Command::Undo
                | Command::Redo
        )
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
    /// Stops the documents being added on a worker thread: none of them is
    /// added, and the corpus stays as it was.
    CancelAdding,
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
    /// Start a new workspace file (which must not exist yet) and switch to it.
    NewWorkspace(PathBuf),
    /// Switch to another workspace file.
    OpenWorkspace(PathBuf),
    /// Copy the workspace, with everything in memory, to a new file and work there.
    SaveWorkspaceAs(PathBuf),
    /// Restart normally after safe mode.
    LeaveSafeMode,
    /// Reopens the window on a team store (its URL), or back on the private workspace.
    ConnectTeam(Option<String>),
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

/// A step undone, for Redo.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) enum RedoStep {
    Incident(Edit),
    Annotation,
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
    /// The camera the scene was drawn with: the view's, or during a pan the
    /// view's grown by `margin` pixels on every side.
    camera: Camera,
    /// The view's camera when the scene was built.
    view: Camera,
    /// Pixels drawn beyond each edge of the view (0 but while panning).
    margin: f64,
    options: MapOptions,
    markers: Arc<Vec<MarkerInput>>,
    annotations: (u64, Option<u64>),
    scene: Arc<Scene>,
    /// The scene's hit targets indexed, built at the first pick.
    hit_index: std::sync::OnceLock<crate::scene::HitIndex>,
    /// Counts the scenes built, so what was drawn of one can be kept.
    generation: u64,
}

/// How far, in pixels, what the `from` camera showed has moved on the
/// screen of the `to` camera (the same zoom): right and down positive.
fn pan_shift(from: &Camera, to: &Camera) -> [f64; 2] {
    let s = to.m_per_px();
    [
        (from.center_x - to.center_x) / s,
        (to.center_y - from.center_y) / s,
    ]
}

/// What the incident markers were made from.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct MarkersKey {
    generation: u64,
    at: usize,
    len: usize,
    filter: Filter,
    selected: Option<String>,
}

/// The map's egui shapes of one scene, kept while the scene, the map's
/// corner on screen and the pixel density stay the same.
pub(crate) struct PaintCache {
    pub(crate) key: (u64, egui::Pos2, f32),
    /// Where the scene's corner was when its shapes were tessellated.
    pub(crate) origin: egui::Pos2,
    pub(crate) items: Arc<Vec<Painted>>,
    /// The scene's meshes on the GPU, which the items' runs draw (none
    /// when the map is painted by egui).
    pub(crate) meshes: Arc<crate::map_gpu::MapMeshes>,
}

/// A piece of a drawn scene kept for the next frames: an egui shape (a
/// label, or any shape when the map is painted by egui), or a run of the
/// meshes kept on the GPU.
pub(crate) enum Painted {
    Shape(egui::Shape),
    Run(usize),
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
    /// One undo history for incident corrections and annotations: for each
    /// correction that can be undone, how deep the annotations' own history
    /// was when it was made. Corrections are saved in order, so after a
    /// restart each is a step again.
    incident_steps: Vec<usize>,
    /// What Redo brings back, newest last.
    redo_steps: Vec<RedoStep>,
    /// Incidents of a cluster that share one spot, listed to pick from.
    pub(crate) pick_list: Option<(Pos2, Vec<String>)>,
    pending_view: Option<InitialView>,
    /// The box last fitted, kept while the analyst has not moved the map, so a
    /// resized window stays fitted.
    fitted: Option<([f64; 2], [f64; 2])>,
    commands: Vec<Command>,
    scene_cache: Option<SceneCache>,
    /// The incident markers last made, and from what.
    markers_cache: std::cell::RefCell<Option<(MarkersKey, Arc<Vec<MarkerInput>>)>>,
    /// What the map painted of the current scene.
    pub(crate) paint_cache: Option<PaintCache>,
    /// How many scenes have been built.
    scenes_built: u64,
    screenshot: Option<Screenshot>,
    startup_report: Option<StartupReport>,
    /// The workspace file's writer; `None` keeps the work in memory only.
    pub(crate) store: Option<store::Writer>,
    /// Where the workspace lives (for the start-up marker and File → Open).
    workspace_path: Option<PathBuf>,
    /// Something worth saving changed since the last save.
    dirty: bool,
    /// The view moved: saved with the next change or on exit, never for itself.
    camera_moved: bool,
    /// The map is being dragged: its scene is drawn with a margin and moved.
    pub(crate) panning: bool,
    /// How many added documents the store was last given.
    docs_sent: Option<usize>,
    /// The corpus generation whose incidents the store was last given.
    incidents_sent: Option<u64>,
    /// Two start-ups in a row failed: annotations are not drawn, documents not
    /// extracted, nothing saved.
    pub(crate) safe_mode: bool,
    /// Why the workspace is not being written, shown as a banner.
    pub(crate) read_only: Option<String>,
    options: Options,
    /// Extraction running on a worker thread (at start-up, or of documents
    /// being added): the corpus it will send with what became of each added
    /// file, and how many documents it reads; corpus commands wait in
    /// `deferred`.
    pub(crate) loading: Option<(std::sync::mpsc::Receiver<Extracted>, usize)>,
    /// The documents being added on a worker thread, when that is what
    /// `loading` waits for.
    pub(crate) adding: Option<Arc<AddProgress>>,
    deferred: Vec<Command>,
    frames: u64,
    /// Search, go to, measure, spatial questions, time-lapse, data export.
    pub tools: tools_ui::ToolsState,
    /// The file choosers (system or in-window).
    pub files: files::FilesState,
    /// Where the map's context menu was opened (lon, lat).
    context_at: Option<(f64, f64)>,
    /// The team store this window works on, when it does.
    pub(crate) team: Option<team_ui::TeamSession>,
    /// The address typed in File › Connect to team store…, while it is open.
    pub(crate) team_dialog: Option<String>,
    /// The incident table's rows, kept between frames.
    pub(crate) table_rows: Option<incidents_ui::TableRows>,
    /// The workspace writer wakes the window when a save is done.
    writer_waker_set: bool,
}

/// The map data with its index and tessellations, and the gazetteer (with
/// the warning of a fallback to the built-in one).
type Loaded = (
    GeoData,
    SpatialIndex,
    Prepared,
    (crate::extract::Gazetteer, Option<String>),
);

/// What [`run`] started loading before the window was made, and from where.
type Preload = (crate::geodata::DataSource, std::thread::JoinHandle<Loaded>);

static PRELOAD: Mutex<Option<Preload>> = Mutex::new(None);

/// Loads the map data and the gazetteer and compiles the extractor's
/// patterns: three independent pieces of work, each on a core of its own.
fn load_data(source: &crate::geodata::DataSource) -> Loaded {
    let ((data, index, prepared), gazetteer) = rayon::join(
        || {
            let data = GeoData::load(source);
            let index = SpatialIndex::new(&data);
            let prepared = Prepared::new(&data, &index);
            (data, index, prepared)
        },
        || rayon::join(|| gazetteer_for(source), crate::extract::warm_up).0,
    );
    (data, index, prepared, gazetteer)
}

/// Starts [`load_data`] on a thread, for [`BadiyaApp::new`] to take.
fn preload(source: crate::geodata::DataSource) {
    let from = source.clone();
    let spawned = std::thread::Builder::new()
        .name("start-up load".into())
        .spawn(move || load_data(&from));
    if let (Ok(handle), Ok(mut slot)) = (spawned, PRELOAD.lock()) {
        *slot = Some((source, handle));
    }
}

/// What [`preload`] loaded from `source`, once it is done; `None` when
/// nothing was preloaded from there (or the load failed: it is done again).
fn take_preloaded(source: &crate::geodata::DataSource) -> Option<Loaded> {
    let (from, handle) = PRELOAD.lock().ok()?.take()?;
    let loaded = handle.join().ok()?;
    (from == *source).then_some(loaded)
}

struct Screenshot {
    path: PathBuf,
    requested: bool,
    image: Arc<Mutex<Option<Arc<egui::ColorImage>>>>,
}

/// `--startup-report`: when the process started, when the app began and
/// finished loading (the window and its GPU device were made before), and
/// whether a complete frame (nothing left loading) has been handed to the
/// window. The report is printed at the start of the frame after that one,
/// when the complete frame has been presented.
struct StartupReport {
    launched: std::time::Instant,
    loading_began: std::time::Instant,
    ready: std::time::Instant,
    complete_drawn: bool,
}

impl StartupReport {
    fn text(&self, shown: std::time::Instant) -> String {
        let ms = |t: std::time::Instant| t.duration_since(self.launched).as_secs_f64() * 1e3;
        format!(
            "window and GPU device made: {:.0} ms\ndata, gazetteer and documents loaded: {:.0} ms\nfirst complete frame shown: {:.0} ms",
            ms(self.loading_began),
            ms(self.ready),
            ms(shown)
        )
    }
}

impl BadiyaApp {
    /// Loads the data (embedded or `--data DIR`), the documents and the saved
    /// workspace, and prepares the index and tessellations.
    pub fn new(options: Options) -> Self {
        let loading_began = std::time::Instant::now();
        let source = crate::geodata::DataSource::of(options.data_dir.as_deref());
        let (data, index, prepared, (gazetteer, warning)) =
            take_preloaded(&source).unwrap_or_else(|| load_data(&source));
        let mut messages: Vec<String> = data.errors.iter().map(ToString::to_string).collect();
        messages.extend(warning);
        // With a team store the window saves to the store's local copy,
        // beside the private workspace (which stays as it was).
        let mut team_url = None;
        if let Some(u) = &options.store {
            match crate::team::StoreUrl::parse(u) {
                Ok(url) => team_url = Some(url),
                Err(e) => messages.push(e.to_string()),
            }
        }
        let workspace: Option<PathBuf> = match &team_url {
            Some(url) => Some(team_ui::cache_path(options.workspace.as_deref(), url)),
            None => options.workspace.clone(),
        };
        // A scripted run (a screenshot, a start-up report) only reads.
        let scripted = options.screenshot.is_some() || options.startup_report.is_some();
        let attempts = match &workspace {
            Some(path) if !scripted => store::begin_start(path),
            _ => 0,
        };
        let safe_mode = attempts >= 3;
        let mut startup_errors = Vec::new();
        let (saved, writer) = match &workspace {
            Some(path) => {
                let opened = if scripted || safe_mode {
                    store::open_read_only(path)
                } else {
                    store::open(path)
                };
                // Set-aside and unreadable files go to the errors window, in full.
                for m in opened.messages {
                    if m.starts_with("cannot") {
                        startup_errors.push(m);
                    } else {
                        messages.push(m);
                    }
                }
                let writer = opened
                    .store
                    .map(|s| store::Writer::spawn(s, opened.value.added_docs.clone()));
                (opened.value, writer)
            }
            None => (SavedWorkspace::default(), None),
        };
        let read_only = if scripted {
            // A scripted run only reads, by design: no banner for it.
            None
        } else if safe_mode {
            Some(format!(
                "Safe mode: badiya did not start {} times in a row with this workspace. \
                 Annotations are not drawn, documents are not extracted and nothing is saved.",
                attempts - 1
            ))
        } else {
            writer
                .as_ref()
                .and_then(|w| w.read_only().map(|r| format!("{}: read-only, {r}. Changes here are not saved; File › Save workspace as… keeps them.", w.path().display())))
                .or_else(|| {
                    (workspace.is_some() && writer.is_none() && !scripted)
                        .then(|| "The workspace could not be opened: nothing of this session is saved.".to_owned())
                })
        };
        let mut saved = if safe_mode {
            SavedWorkspace {
                added_docs: Vec::new(),
                annotations: crate::annotate::Annotations::new(),
                ..saved
            }
        } else {
            saved
        };
        let mut team = None;
        if let (Some(url), Some(path)) = (team_url, writer.as_ref().map(|w| w.path().to_owned())) {
            match team_ui::TeamSession::start(url, &path, &mut saved) {
                Ok(t) => team = Some(t),
                Err(e) => startup_errors.push(e),
            }
        }
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
        // Large added documents are extracted on a worker thread: the window
        // opens at once and the incidents arrive when ready.
        let added_bytes: usize = docs
            .iter()
            .filter(|d| !crate::docs::is_seed(&d.id))
            .map(|d| d.raw.len())
            .sum();
        let mut loading = None;
        let corpus = if safe_mode {
            Corpus::new(Vec::new(), gazetteer, Vec::new())
        } else if added_bytes > BACKGROUND_EXTRACTION_BYTES {
            let (tx, rx) = std::sync::mpsc::channel();
            let (g, edits, n) = (gazetteer.clone(), saved.edits.clone(), docs.len());
            let spawned = std::thread::Builder::new()
                .name("start-up extraction".into())
                .spawn(move || {
                    let _ = tx.send((Corpus::new(docs, g, edits), Vec::new()));
                });
            if spawned.is_ok() {
                loading = Some((rx, n));
            }
            Corpus::new(Vec::new(), gazetteer, Vec::new())
        } else {
            Corpus::new(docs, gazetteer, saved.edits.clone())
        };
        let mut layers = MapOptions::for_data(&data).layers;
        saved.apply_layers(&data, &mut layers);
        let restored_camera = saved.camera;
        let mut annotations = saved.annotations.clone();
        // The history of the last session, so Undo goes on where it left off.
        if !safe_mode {
            annotations.restore_history(saved.history.annotations.clone());
        }
        if let Some(t) = &team {
            annotations.reserve_ids_from(t.replica.annotation_id_base());
        }
        if annotations.len() > crate::annotate::MAX_DRAWN_ANNOTATIONS {
            messages.push(format!(
                "the workspace holds {} annotations; the topmost {} are drawn",
                annotations.len(),
                crate::annotate::MAX_DRAWN_ANNOTATIONS
            ));
        }
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
            errors: startup_errors,
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
            incident_steps: if safe_mode {
                Vec::new()
            } else {
                saved.history.incident_steps.clone()
            },
            redo_steps: if safe_mode {
                Vec::new()
            } else {
                saved.history.redo.clone()
            },
            pick_list: None,
            pending_view: Some(options.view.clone()),
            fitted: None,
            commands: Vec::new(),
            scene_cache: None,
            paint_cache: None,
            markers_cache: std::cell::RefCell::new(None),
            scenes_built: 0,
            screenshot: options.screenshot.clone().map(|path| Screenshot {
                path,
                requested: false,
                image: Arc::default(),
            }),
            startup_report: options.startup_report.map(|launched| StartupReport {
                launched,
                loading_began,
                ready: std::time::Instant::now(),
                complete_drawn: false,
            }),
            store: writer,
            workspace_path: workspace.clone(),
            dirty: false,
            camera_moved: false,
            panning: false,
            docs_sent: None,
            incidents_sent: None,
            safe_mode,
            read_only,
            options: options.clone(),
            loading,
            adding: None,
            deferred: Vec::new(),
            frames: 0,
            tools: {
                let mut tools = tools_ui::ToolsState::new();
                tools.copy_format = saved.coord_format;
                tools
            },
            files: files::FilesState::new(),
            context_at: None,
            team,
            team_dialog: None,
            table_rows: None,
            writer_waker_set: false,
        };
        // A restored view wins over the default region, not over an explicit one.
        // A saved view is kept within the region and the zoom limits (a zoom
        // of 1e9 or a centre off the planet would draw a blank map).
        if let (Some(camera), InitialView::Region) = (restored_camera, &options.view) {
            let usable = camera.center_x.is_finite()
                && camera.center_y.is_finite()
                && camera.zoom.is_finite()
                && camera.clamped().zoom == camera.zoom
                && (camera.clamped().center_x - camera.center_x).abs() < 1.0
                && (camera.clamped().center_y - camera.center_y).abs() < 1.0;
            if usable {
                app.camera = camera;
                app.pending_view = None;
            } else {
                app.messages
                    .push("the saved view was out of bounds; showing the region".to_owned());
            }
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

    /// The map position under the pointer, if it is over the map.
    pub fn cursor(&self) -> Option<(f64, f64)> {
        self.cursor
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

    /// The clusters the current map view draws: where each is on screen,
    /// and the ids of the incidents it holds.
    pub fn clusters(&mut self) -> Vec<(Pos2, Vec<String>)> {
        let Some(rect) = self.map_rect else {
            return Vec::new();
        };
        let hits: Vec<([f32; 2], Vec<usize>)> = self
            .scene()
            .hits
            .iter()
            .filter(|h| h.ids.len() > 1)
            .map(|h| (h.center, h.ids.clone()))
            .collect();
        let incidents = self.corpus.incidents();
        let [ox, oy] = self.scene_offset();
        hits.into_iter()
            .map(|(c, ids)| {
                (
                    rect.min + egui::vec2(c[0] + ox, c[1] + oy),
                    ids.iter()
                        .filter_map(|&k| incidents.get(k).map(|i| i.id.clone()))
                        .collect(),
                )
            })
            .collect()
    }

    /// How many map scenes have been drawn since the window opened (a frame
    /// in which nothing on the map changed draws none).
    pub fn scenes_built(&self) -> u64 {
        self.scenes_built
    }

    /// The incidents of the pick list open on the map, if one is.
    pub fn pick_list(&self) -> Option<&[String]> {
        self.pick_list.as_ref().map(|(_, ids)| ids.as_slice())
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
    pub fn team_summary(&self) -> Option<String> {
        self.team.as_ref().map(team_ui::TeamSession::summary)
    }

    /// The messages of this session, oldest first (the status bar shows the last).
    pub fn messages(&self) -> &[String] {
        &self.messages
    }

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
    pub(crate) fn markers(&self) -> Arc<Vec<MarkerInput>> {
        let selected = match &self.selection {
            Some(Selection::Incident(id)) => Some(id.as_str()),
            _ => None,
        };
        if let (Some(l), Some(end)) = (&self.tools.lapse, tools_ui::lapse_frame_end(self)) {
            return Arc::new(l.lapse.markers(&self.corpus, &self.filter, end, selected));
        }
        // The same corpus (by generation, allocation and size), filter and
        // selection give the same markers: kept, not rebuilt each frame.
        let key = MarkersKey {
            generation: self.corpus.generation(),
            at: self.corpus.incidents().as_ptr() as usize,
            len: self.corpus.incidents().len(),
            filter: self.filter.clone(),
            selected: selected.map(str::to_owned),
        };
        if let Some((k, markers)) = &*self.markers_cache.borrow()
            && *k == key
        {
            return Arc::clone(markers);
        }
        let markers = Arc::new(crate::overlay::incident_markers(
            &self.corpus,
            &self.filter,
            selected,
        ));
        *self.markers_cache.borrow_mut() = Some((key, markers.clone()));
        markers
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
        let panning = self.panning;
        let camera = self.camera;
        let fresh = self.scene_cache.as_ref().is_some_and(|c| {
            let view = if c.margin > 0.0 {
                // A pan moves the scene drawn with a margin while the view
                // stays inside it at the same zoom.
                let [dx, dy] = pan_shift(&c.view, &camera);
                panning
                    && c.view.zoom == camera.zoom
                    && c.view.width_px == camera.width_px
                    && c.view.height_px == camera.height_px
                    && dx.abs() < c.margin
                    && dy.abs() < c.margin
            } else {
                c.camera == camera
            };
            view && c.options == options
                && (Arc::ptr_eq(&c.markers, &markers) || c.markers == markers)
                && c.annotations == anno_key
        });
        if !fresh {
            let margin = if panning { PAN_MARGIN_PX } else { 0.0 };
            let drawn_with = Camera {
                width_px: camera.width_px + 2.0 * margin,
                height_px: camera.height_px + 2.0 * margin,
                ..camera
            };
            let mut scene = crate::scene::build_map(
                &self.data,
                &self.index,
                &self.prepared,
                drawn_with,
                &options,
                &markers,
            );
            let shapes = self.annotations.to_shapes(&scene, selected_anno);
            scene.shapes.extend(shapes);
            self.scenes_built += 1;
            self.scene_cache = Some(SceneCache {
                camera: drawn_with,
                view: camera,
                margin,
                options,
                markers,
                annotations: anno_key,
                scene: Arc::new(scene),
                hit_index: std::sync::OnceLock::new(),
                generation: self.scenes_built,
            });
        }
        match &self.scene_cache {
            Some(cache) => &cache.scene,
            None => unreachable!("scene cache was just filled"),
        }
    }

    /// The scene for the current view, shared (no copy of its shapes).
    pub(crate) fn shared_scene(&mut self) -> Arc<Scene> {
        self.scene();
        match &self.scene_cache {
            Some(cache) => Arc::clone(&cache.scene),
            None => unreachable!("scene cache was just filled"),
        }
    }

    /// Where the scene's pixel (0, 0) lies in the view: nowhere but at the
    /// view's corner except while a pan moves a scene drawn with a margin.
    pub(crate) fn scene_offset(&self) -> [f32; 2] {
        match &self.scene_cache {
            Some(c) if c.margin > 0.0 => {
                let [dx, dy] = pan_shift(&c.view, &self.camera);
                #[allow(clippy::cast_possible_truncation)]
                [(dx - c.margin) as f32, (dy - c.margin) as f32]
            }
            _ => [0.0, 0.0],
        }
    }

    /// The scene's hit targets (incident markers and clusters) under a
    /// screen point, as positions in its `hits`, in draw order.
    pub(crate) fn hits_under(&self, p: [f32; 2]) -> Vec<usize> {
        match &self.scene_cache {
            Some(cache) => cache
                .hit_index
                .get_or_init(|| crate::scene::HitIndex::new(&cache.scene.hits))
                .at(&cache.scene.hits, p),
            None => Vec::new(),
        }
    }

    /// The number of the scene [`Self::scene`] gives (it changes whenever
    /// the scene is built anew).
    pub(crate) fn scene_generation(&self) -> u64 {
        self.scene_cache.as_ref().map_or(0, |c| c.generation)
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

    /// Every correction in force is a step of the history: those loaded
    /// with the workspace (made before this session) come first.
    fn sync_incident_steps(&mut self) {
        let n = team_ui::own_edit_count(self);
        if self.incident_steps.len() > n {
            let extra = self.incident_steps.len() - n;
            self.incident_steps.drain(..extra);
        } else if self.incident_steps.len() < n {
            let missing = n - self.incident_steps.len();
            self.incident_steps
                .splice(0..0, std::iter::repeat_n(0, missing));
        }
    }

    /// Whether Undo has something to take back.
    pub fn can_undo(&self) -> bool {
        let own = match &self.team {
            Some(_) => !self.incident_steps.is_empty(),
            None => !self.corpus.edits.is_empty(),
        };
        own || self.annotations.can_undo()
    }

    /// Whether Redo has something to bring back.
    pub fn can_redo(&self) -> bool {
        self.redo_steps
            .iter()
            .any(|r| matches!(r, RedoStep::Incident(_)))
            || self.annotations.can_redo()
    }

    /// The analyst moved the map by hand.
    pub(crate) fn move_camera(&mut self, camera: Camera) {
        self.camera = camera;
        self.fitted = None;
        self.camera_moved = true;
    }

    /// Adds the documents read (and says why the others were not): at once
    /// when they are small, else extracted on a worker thread while the
    /// window goes on, their incidents arriving when ready.
    fn add_documents(&mut self, loaded: Vec<Result<crate::docs::Document, String>>) {
        let bytes: usize = loaded
            .iter()
            .filter_map(|d| d.as_ref().ok())
            .map(|d| d.raw.len())
            .sum();
        let add = |corpus: &mut Corpus, loaded: Vec<Result<crate::docs::Document, String>>| {
            loaded
                .into_iter()
                .map(|doc| {
                    let doc = doc?;
                    let id = doc.id.clone();
                    corpus.add_document(doc).map(|()| id)
                })
                .collect::<Vec<_>>()
        };
        if bytes > BACKGROUND_EXTRACTION_BYTES {
            let n = loaded.iter().filter(|d| d.is_ok()).count();
            let progress = Arc::new(AddProgress::default());
            let seen = Arc::clone(&progress);
            self.in_background(n, move |corpus| {
                use std::sync::atomic::Ordering;
                let mut out = Vec::new();
                for doc in loaded {
                    if seen.cancel.load(Ordering::Relaxed) {
                        break;
                    }
                    let read = doc.is_ok();
                    out.extend(add(corpus, vec![doc]));
                    if read {
                        seen.done.fetch_add(1, Ordering::Relaxed);
                    }
                }
                out
            });
            if self.loading.is_some() {
                self.adding = Some(progress);
            }
        } else {
            for result in add(&mut self.corpus, loaded) {
                self.add_document_result(result);
            }
        }
    }

    /// Changes a copy of the corpus on a worker thread (reading `n`
    /// documents); the window goes on with the corpus as it was, and the
    /// copy replaces it when done. `change` says what became of each
    /// document it added.
    fn in_background(
        &mut self,
        n: usize,
        change: impl FnOnce(&mut Corpus) -> Vec<Result<String, String>> + Send + 'static,
    ) {
        // Only the adding of documents can be cancelled; its progress is
        // set again by the caller.
        self.adding = None;
        let (tx, rx) = std::sync::mpsc::channel();
        let mut next = self.corpus.clone();
        let spawned = std::thread::Builder::new()
            .name("extraction".into())
            .spawn(move || {
                let results = change(&mut next);
                let _ = tx.send((next, results));
            });
        match spawned {
            Ok(_) => self.loading = Some((rx, n)),
            Err(e) => self
                .errors
                .push(format!("cannot start extracting the documents: {e}")),
        }
    }

    /// Ends the watch on documents being added; whether the analyst
    /// cancelled them.
    fn take_cancelled(&mut self) -> bool {
        self.adding
            .take()
            .is_some_and(|p| p.cancel.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// Whether documents are being extracted on a worker thread.
    pub fn is_extracting(&self) -> bool {
        self.loading.is_some()
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
                let noun = if count == 1 { "incident" } else { "incidents" };
                self.messages.push(format!("added {id}: {count} {noun}"));
                self.dirty = true;
            }
            Err(e) => self.errors.push(e),
        }
    }

    /// Applies the queued commands: the one place state changes.
    fn apply(&mut self, ctx: &egui::Context) {
        if let Some((rx, n)) = &self.loading
            && let Ok((corpus, added)) = rx.try_recv()
        {
            let n = *n;
            self.loading = None;
            if self.take_cancelled() {
                self.messages.push(format!(
                    "adding cancelled: none of the {n} documents was added"
                ));
            } else {
                self.corpus = corpus;
                self.scene_cache = None;
                if added.is_empty() {
                    self.messages.push(format!(
                        "extracted {} documents: {} incidents",
                        self.corpus.docs.len(),
                        self.corpus.incidents().len()
                    ));
                }
                for result in added {
                    self.add_document_result(result);
                }
            }
            let mut waiting = std::mem::take(&mut self.deferred);
            waiting.append(&mut self.commands);
            self.commands = waiting;
        }
        if self.loading.is_some() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        for command in std::mem::take(&mut self.commands) {
            if command.changes_shared() && team_ui::refuse_change(self) {
                continue;
            }
            // What changes the corpus waits until the start-up extraction is in.
            if self.loading.is_some()
                && matches!(
                    command,
                    Command::AddFiles(_)
                        | Command::AddBytes { .. }
                        | Command::Edit(_)
                        | Command::SetDocMeta { .. }
                        | Command::AddAnalystPlace { .. }
                )
            {
                self.deferred.push(command);
                continue;
            }
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
                    if let Some(t) = self.team.as_mut() {
                        t.meta_touched.insert(doc.clone());
                    }
                    self.corpus.set_meta(&doc, meta);
                    self.dirty = true;
                }
                Command::AddFiles(paths) => {
                    // Two files of one name from two folders are both kept,
                    // named by their folders.
                    let mut batch: Vec<crate::docs::Document> = Vec::new();
                    let mut loaded = Vec::new();
                    for path in &paths {
                        match crate::docs::load_document(path) {
                            Ok(doc) => {
                                let doc =
                                    crate::corpus::distinct_name(&self.corpus.docs, doc, path);
                                let doc = crate::corpus::distinct_name(&batch, doc, path);
                                batch.push(doc.clone());
                                loaded.push(Ok(doc));
                            }
                            Err(e) => loaded.push(Err(e.to_string())),
                        }
                    }
                    drop(batch);
                    self.add_documents(loaded);
                }
                Command::AddBytes { name, bytes } => {
                    let loaded =
                        crate::docs::document_from_bytes(&name, &bytes).map_err(|e| e.to_string());
                    self.add_documents(vec![loaded]);
                }
                Command::Edit(edit) => {
                    let deleted = matches!(&edit, Edit::Delete { .. });
                    let id = edit.id().to_owned();
                    self.corpus.edit(edit);
                    self.incident_steps.push(self.annotations.undo_depth());
                    self.redo_steps.clear();
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
                    let bytes: usize = self.corpus.docs.iter().map(|d| d.raw.len()).sum();
                    let n = self.corpus.docs.len();
                    if bytes > BACKGROUND_EXTRACTION_BYTES {
                        // Every document is read again with the new name: on
                        // a worker thread, the map as it was until then.
                        self.in_background(n, move |corpus| {
                            corpus.gazetteer = gazetteer;
                            corpus.reextract();
                            Vec::new()
                        });
                    } else {
                        self.corpus.gazetteer = gazetteer;
                        self.corpus.reextract();
                    }
                    self.scene_cache = None;
                    self.placing_name = None;
                    self.dirty = true;
                    self.messages.push(format!(
                        "placed “{name}” at {}; every document now uses it",
                        self.tools.copy_format.show(lon, lat)
                    ));
                }
                Command::Error(e) => self.errors.push(e),
                Command::CancelAdding => {
                    if let Some(p) = &self.adding {
                        p.cancel.store(true, std::sync::atomic::Ordering::Relaxed);
                    }
                }
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
                    self.sync_incident_steps();
                    // The newer of the last correction and the last
                    // annotation step goes first.
                    let depth = self.annotations.undo_depth();
                    let incident_last = self.incident_steps.last().is_some_and(|&d| d >= depth);
                    if incident_last {
                        self.incident_steps.pop();
                        let taken = if self.team.is_some() {
                            // This analyst's last correction, not another's made since.
                            self.autosave(false);
                            team_ui::last_own_edit(self).and_then(|k| self.corpus.remove_edit(k))
                        } else {
                            self.corpus.undo_edit()
                        };
                        if let Some(edit) = taken {
                            self.redo_steps.push(RedoStep::Incident(edit));
                            self.dirty = true;
                        }
                    } else if self.annotations.undo() {
                        self.redo_steps.push(RedoStep::Annotation);
                        self.anno_rev += 1;
                        self.dirty = true;
                        self.drop_stale_annotation_selection();
                    }
                }
                Command::Redo => match self.redo_steps.pop() {
                    Some(RedoStep::Incident(edit)) => {
                        self.corpus.edit(edit);
                        self.incident_steps.push(self.annotations.undo_depth());
                        self.dirty = true;
                    }
                    Some(RedoStep::Annotation) | None => {
                        if self.annotations.redo() {
                            self.anno_rev += 1;
                            self.dirty = true;
                            self.drop_stale_annotation_selection();
                        }
                    }
                },
                Command::NewWorkspace(path) => {
                    let path = store::gpkg_path(&path);
                    if path.exists() {
                        self.errors.push(format!(
                            "{} exists already; a new workspace needs a new name",
                            path.display()
                        ));
                    } else {
                        self.switch_workspace(path);
                    }
                }
                Command::OpenWorkspace(path) => self.switch_workspace(store::gpkg_path(&path)),
                Command::SaveWorkspaceAs(path) => self.save_workspace_as(store::gpkg_path(&path)),
                Command::ConnectTeam(url) => {
                    let options = Options {
                        store: url,
                        view: InitialView::Region,
                        ..self.options.clone()
                    };
                    self.reopen(options);
                }
                Command::LeaveSafeMode => {
                    if let Some(path) = &self.workspace_path {
                        store::start_succeeded(path);
                    }
                    let options = self.options.clone();
                    *self = BadiyaApp::new(options);
                }
                Command::ImportAnnotations(path) => {
                    match crate::input::read_text_limited(
                        &path,
                        crate::input::MAX_ANNOTATIONS_BYTES,
                    )
                    .map_err(|e| e.to_string())
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

    /// `--startup-report`: prints the report once a complete frame has been
    /// shown, and closes the window.
    fn report_startup(&mut self, ctx: &egui::Context) {
        let Some(report) = &mut self.startup_report else {
            return;
        };
        let now = std::time::Instant::now();
        if report.complete_drawn {
            println!("{}", report.text(now));
            self.startup_report = None;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            return;
        }
        // This frame is complete when nothing is left loading; it is shown
        // when the next one begins.
        report.complete_drawn = self.loading.is_none();
        ctx.request_repaint();
    }

    fn handle_screenshot(&mut self, ctx: &egui::Context) {
        let Some(shot) = &mut self.screenshot else {
            return;
        };
        // A few frames so fonts, layout and the scene have all settled.
        if !shot.requested && self.frames >= 4 && self.loading.is_none() {
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

    /// Hands the workspace to the writer thread when something changed (a
    /// moved view alone waits for the next change or the exit).
    fn autosave(&mut self, force: bool) {
        // A scripted screenshot reads the workspace but never writes it.
        // While the start-up extraction runs the corpus is not complete: it
        // must not be saved (that would drop documents and corrections).
        if self.screenshot.is_some()
            || self.startup_report.is_some()
            || self.safe_mode
            || self.loading.is_some()
        {
            return;
        }
        let Some(writer) = self.store.as_mut() else {
            return;
        };
        for e in writer.poll() {
            if !self.errors.contains(&e) {
                self.errors.push(e);
            }
        }
        let generation = self.corpus.generation();
        let incidents_changed = self.incidents_sent != Some(generation);
        if writer.read_only().is_some()
            || !(self.dirty || incidents_changed || (force && self.camera_moved))
        {
            return;
        }
        let added = self
            .corpus
            .docs
            .iter()
            .filter(|d| !crate::docs::is_seed(&d.id))
            .count();
        let docs = (self.docs_sent != Some(added)).then(|| SavedWorkspace::capture_docs(self));
        let incidents =
            incidents_changed.then(|| (generation, Arc::new(self.corpus.incidents().to_vec())));
        let saved = SavedWorkspace::capture(self);
        if self.team.is_some() && (self.dirty || incidents_changed) {
            team_ui::send_changes(self, &saved, docs.as_deref());
        }
        if let Some(writer) = self.store.as_mut() {
            writer.save(saved, docs, incidents);
        }
        self.docs_sent = Some(added);
        self.incidents_sent = Some(generation);
        self.dirty = false;
        self.camera_moved = false;
    }

    /// Saves what is pending, then reopens the app on another workspace file.
    fn switch_workspace(&mut self, path: PathBuf) {
        store::remember_recent(&path);
        let options = Options {
            workspace: Some(path),
            view: InitialView::Region,
            // A workspace file is a private workspace: the team store is left.
            store: None,
            ..self.options.clone()
        };
        self.reopen(options);
    }

    /// Saves what is pending, then starts the app again with `options`
    /// (another workspace, a team store or none).
    fn reopen(&mut self, options: Options) {
        self.autosave(true);
        if let Some(writer) = self.store.take() {
            drop(writer.close());
        }
        let ctx = self.ctx.clone();
        *self = BadiyaApp::new(options);
        self.ctx = ctx;
    }

    /// Writes everything to a new file and carries on there; the old file
    /// stays as it was last saved.
    fn save_workspace_as(&mut self, target: PathBuf) {
        if target.exists() {
            self.errors.push(format!(
                "{} exists already; choose another name",
                target.display()
            ));
            return;
        }
        self.autosave(true);
        let result = match self.store.take().and_then(store::Writer::close) {
            Some(store) => store.save_as(&target),
            None => {
                let opened = store::open(&target);
                opened.store.ok_or_else(|| opened.messages.join("; "))
            }
        };
        match result {
            Ok(new_store) => {
                let docs = SavedWorkspace::capture_docs(self);
                self.store = Some(store::Writer::spawn(new_store, docs.clone()));
                self.writer_waker_set = false;
                // Everything in memory (edits made while read-only included) goes to the copy.
                let saved = SavedWorkspace::capture(self);
                let incidents = Some((
                    self.corpus.generation(),
                    Arc::new(self.corpus.incidents().to_vec()),
                ));
                if let Some(w) = self.store.as_mut() {
                    w.save(saved, Some(docs), incidents);
                }
                self.read_only = None;
                self.safe_mode = false;
                self.workspace_path = Some(target.clone());
                self.options.workspace = Some(target.clone());
                store::remember_recent(&target);
                self.messages
                    .push(format!("workspace saved as {}", target.display()));
            }
            Err(e) => {
                self.errors.push(e);
                // Keep working where we were.
                if let Some(path) = self.workspace_path.clone() {
                    let opened = store::open(&path);
                    self.store = opened
                        .store
                        .map(|s| store::Writer::spawn(s, opened.value.added_docs));
                    self.writer_waker_set = false;
                }
            }
        }
    }

    /// The workspace file, if the work is saved to one.
    pub fn workspace_file(&self) -> Option<&std::path::Path> {
        self.store.as_ref().map(store::Writer::path)
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
        self.report_startup(ui.ctx());
        if self.ctx.is_none() {
            self.ctx = Some(ui.ctx().clone());
        }
        panels::menu_bar_ui(self, ui);
        panels::banner_ui(self, ui);
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
        tools_ui::goto_window(self, ui.ctx());
        tools_ui::question_window(self, ui.ctx());
        tools_ui::data_window(self, ui.ctx());
        files::show(self, ui.ctx());
        tools_ui::measure_window(self, ui.ctx());
        tools_ui::measure_keys(self, ui.ctx());
        tools_ui::tick_lapse(self, ui.ctx());
        annotate_ui::line_keys(self, ui.ctx());
        panels::shortcuts(self, ui.ctx());
        let ctx = ui.ctx().clone();
        export_ui::poll_export(self);
        export_ui::finish_capture(self, &ctx);
        self.handle_dropped_files(&ctx);
        team_ui::poll(self, &ctx);
        if !self.writer_waker_set
            && let Some(w) = &self.store
        {
            // The status bar's "saving…" turns to "saved" without waiting for input.
            let c = ctx.clone();
            w.set_waker(move || c.request_repaint());
            self.writer_waker_set = true;
        }
        team_ui::connect_window(self, &ctx);
        self.apply(&ctx);
        let closing = ctx.input(|i| i.viewport().close_requested());
        self.autosave(closing);
        if self.frames == 3
            && let Some(path) = &self.workspace_path
            && self.screenshot.is_none()
            && self.startup_report.is_none()
        {
            store::start_succeeded(path);
        }
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
        // Let the start-up extraction finish, so what was done meanwhile is saved.
        let cancelled = self.take_cancelled();
        if let Some((rx, _)) = self.loading.take()
            && let Ok((corpus, added)) = rx.recv()
        {
            // A cancelled batch adds nothing; what the analyst did while it
            // ran is applied all the same.
            if !cancelled {
                self.corpus = corpus;
                for result in added {
                    self.add_document_result(result);
                }
            }
            for command in std::mem::take(&mut self.deferred) {
                self.commands.push(command);
            }
            if let Some(ctx) = self.ctx.clone() {
                self.apply(&ctx);
            }
        }
        self.autosave(true);
        // Wait for the writer: what the analyst saw applied is on disk.
        if let Some(writer) = self.store.take() {
            drop(writer.close());
        }
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
    // The map data and gazetteer load, and the extractor's patterns compile,
    // while the window and its GPU device are made; the app's start waits
    // only for what is still left of it.
    preload(crate::geodata::DataSource::of(options.data_dir.as_deref()));
    let (msaa, dithering) = (u32::from(native.multisampling), native.dithering);
    eframe::run_native(
        "badiya",
        native,
        Box::new(move |cc| {
            let mut options = options;
            match &cc.wgpu_render_state {
                Some(render_state) if options.map_on_gpu => {
                    crate::map_gpu::install(render_state, msaa, dithering);
                }
                _ => options.map_on_gpu = false,
            }
            Ok(Box::new(BadiyaApp::new(options)))
        }),
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

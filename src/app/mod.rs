//! The eframe application: panels that draw state and send commands, and the
//! one place (`apply`) where commands change state, once per frame.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use egui::{Pos2, Rect};

use crate::camera::{Camera, REGION};
use crate::geodata::GeoData;
use crate::scene::{LayerState, MapOptions, Prepared, Scene, Theme};
use crate::spatial::{FeatureRef, Pick, SpatialIndex};

mod map_view;
mod panels;

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
}

impl Default for Options {
    fn default() -> Self {
        Self {
            data_dir: None,
            view: InitialView::Region,
            screenshot: None,
        }
    }
}

/// What is selected on the map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    Feature(FeatureRef),
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
    ZoomBy(f64),
    ShowAbout(bool),
    ShowHelp(bool),
    SetDark(bool),
    Notify(String),
}

/// The pick list under the last click, so clicking again at the same spot cycles.
#[derive(Clone, Debug)]
struct ClickCycle {
    at: Pos2,
    picks: Vec<Pick>,
    index: usize,
}

/// The application state.
pub struct BadiyaApp {
    pub(crate) data: GeoData,
    pub(crate) index: SpatialIndex,
    pub(crate) prepared: Prepared,
    pub(crate) camera: Camera,
    pub(crate) layers: Vec<LayerState>,
    pub(crate) dark: bool,
    pub(crate) selection: Option<Selection>,
    pub(crate) hovered: Option<FeatureRef>,
    pub(crate) cursor: Option<(f64, f64)>,
    pub(crate) show_about: bool,
    pub(crate) show_help: bool,
    pub(crate) messages: Vec<String>,
    pub(crate) map_rect: Option<Rect>,
    click_cycle: Option<ClickCycle>,
    pending_view: Option<InitialView>,
    /// The box last fitted, kept while the analyst has not moved the map, so a
    /// resized window stays fitted.
    fitted: Option<([f64; 2], [f64; 2])>,
    commands: Vec<Command>,
    scene_cache: Option<(Camera, MapOptions, Scene)>,
    screenshot: Option<Screenshot>,
    frames: u64,
}

struct Screenshot {
    path: PathBuf,
    requested: bool,
    image: Arc<Mutex<Option<Arc<egui::ColorImage>>>>,
}

impl BadiyaApp {
    /// Loads the data (embedded or `--data DIR`) and prepares the index and tessellations.
    pub fn new(options: Options) -> Self {
        let data = match &options.data_dir {
            Some(dir) => GeoData::from_dir(dir),
            None => GeoData::embedded(),
        };
        let index = SpatialIndex::new(&data);
        let prepared = Prepared::new(&data, &index);
        let layers = MapOptions::for_data(&data).layers;
        let messages = data.errors.iter().map(ToString::to_string).collect();
        Self {
            data,
            index,
            prepared,
            camera: Camera::default(),
            layers,
            dark: false,
            selection: None,
            hovered: None,
            cursor: None,
            show_about: false,
            show_help: false,
            messages,
            map_rect: None,
            click_cycle: None,
            pending_view: Some(options.view),
            fitted: None,
            commands: Vec::new(),
            scene_cache: None,
            screenshot: options.screenshot.map(|path| Screenshot {
                path,
                requested: false,
                image: Arc::default(),
            }),
            frames: 0,
        }
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

    /// The name of what is selected, if anything.
    pub fn selected_name(&self) -> Option<String> {
        match self.selection? {
            Selection::Feature(f) => self.feature(f).and_then(|(_, feat)| feat.name.clone()),
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

    pub(crate) fn map_options(&self) -> MapOptions {
        MapOptions {
            layers: self.layers.clone(),
            selected: self.selection.map(|Selection::Feature(f)| f),
            hovered: self.hovered,
            theme: self.theme(),
            furniture: true,
            cluster_px: 18.0,
            labels: true,
        }
    }

    /// The scene for the current view, rebuilt only when something it shows changed.
    pub(crate) fn scene(&mut self) -> &Scene {
        let options = self.map_options();
        let fresh =
            matches!(&self.scene_cache, Some((c, o, _)) if *c == self.camera && *o == options);
        if !fresh {
            let scene = crate::scene::build_map(
                &self.data,
                &self.index,
                &self.prepared,
                self.camera,
                &options,
                &[],
            );
            self.scene_cache = Some((self.camera, options, scene));
        }
        match &self.scene_cache {
            Some((_, _, scene)) => scene,
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
                }
                Command::SetLayerOpacity(i, o) => {
                    if let Some(l) = self.layers.get_mut(i) {
                        l.opacity = o.clamp(0.0, 1.0);
                    }
                }
                Command::Select(s) => self.selection = s,
                Command::SetCamera(c) => self.move_camera(c.clamped()),
                Command::FitRegion => self.fit(REGION.0, REGION.1),
                Command::FitLonLat(a, b) => self.fit(a, b),
                Command::ZoomBy(d) => {
                    let centre = [self.camera.width_px / 2.0, self.camera.height_px / 2.0];
                    self.move_camera(self.camera.zoomed_at(d, centre));
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
                }
                Command::Notify(m) => self.messages.push(m),
            }
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
            let result = save_color_image(&image, &shot.path);
            match result {
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
        panels::menu_bar_ui(self, ui);
        panels::status_bar_ui(self, ui);
        panels::layers_panel_ui(self, ui);
        panels::inspector_panel_ui(self, ui);
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| map_view::map_ui(self, ui));
        panels::about_window(self, ui.ctx());
        panels::help_window(self, ui.ctx());
        panels::shortcuts(self, ui.ctx());
        let ctx = ui.ctx().clone();
        self.apply(&ctx);
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
}

/// Opens the window and runs until it is closed.
pub fn run(options: Options) -> anyhow::Result<()> {
    let native = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("badiya")
            .with_inner_size([1500.0, 940.0])
            .with_min_inner_size([800.0, 500.0]),
        ..Default::default()
    };
    eframe::run_native(
        "badiya",
        native,
        Box::new(move |_cc| Ok(Box::new(BadiyaApp::new(options)))),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}

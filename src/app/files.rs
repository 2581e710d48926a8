//! Choosing files: the desktop's own dialog where the desktop offers one (an
//! XDG desktop portal, or zenity), else badiya's chooser drawn in the window,
//! so that every item of the File menu works on a bare desktop too. What the
//! analyst picks goes where the request said, whichever dialog was used.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{BadiyaApp, Command};

/// What the chosen file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    NewWorkspace,
    OpenWorkspace,
    SaveWorkspaceAs,
    AddDocuments,
    ImportAnnotations,
    ExportAnnotations,
    /// The file field of the map export window.
    MapExportFile,
    /// The file field of the data export window.
    DataExportFile,
}

impl Purpose {
    fn title(self) -> &'static str {
        match self {
            Purpose::NewWorkspace => "New workspace",
            Purpose::OpenWorkspace => "Open workspace",
            Purpose::SaveWorkspaceAs => "Save workspace as",
            Purpose::AddDocuments => "Add documents",
            Purpose::ImportAnnotations => "Import annotations",
            Purpose::ExportAnnotations => "Export annotations",
            Purpose::MapExportFile => "Export the map to",
            Purpose::DataExportFile => "Export data to",
        }
    }

    /// Whether a new file is named (rather than an existing one picked).
    fn saves(self) -> bool {
        matches!(
            self,
            Purpose::NewWorkspace
                | Purpose::SaveWorkspaceAs
                | Purpose::ExportAnnotations
                | Purpose::MapExportFile
                | Purpose::DataExportFile
        )
    }

    /// The kinds of file offered: a name and its extensions.
    fn filters(self) -> &'static [(&'static str, &'static [&'static str])] {
        match self {
            Purpose::NewWorkspace | Purpose::OpenWorkspace | Purpose::SaveWorkspaceAs => {
                &[("badiya workspace (GeoPackage)", &["gpkg"])]
            }
            Purpose::AddDocuments => &[("Documents", &["txt", "md", "html", "htm"])],
            Purpose::ImportAnnotations => &[("GeoJSON", &["geojson", "json"])],
            Purpose::ExportAnnotations => &[("GeoJSON", &["geojson"])],
            Purpose::MapExportFile => &[
                ("PNG image (with world file)", &["png"]),
                ("SVG drawing", &["svg"]),
            ],
            Purpose::DataExportFile => &[],
        }
    }
}

/// One request for a file.
#[derive(Debug, Clone)]
pub struct Request {
    pub purpose: Purpose,
    /// The name proposed for a new file.
    pub file_name: Option<String>,
    /// The folder to start in.
    pub folder: Option<PathBuf>,
}

impl Request {
    pub fn new(purpose: Purpose) -> Self {
        Self {
            purpose,
            file_name: None,
            folder: None,
        }
    }

    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Starts in the folder of `path` and proposes its name.
    pub fn at(mut self, path: &Path) -> Self {
        if let Some(name) = path.file_name() {
            self.file_name = Some(name.to_string_lossy().into_owned());
        }
        self.folder = path.parent().filter(|p| p.is_dir()).map(Path::to_path_buf);
        self
    }
}

/// Which dialog answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chooser {
    /// The desktop's own (portal or zenity).
    System,
    /// badiya's, in the window.
    InWindow,
}

/// A native dialog that answers "nothing chosen" sooner than this did not
/// reach the analyst (no one cancels a dialog that fast): the in-window
/// chooser opens instead, and is used from then on.
const NO_DIALOG_SHOWN: Duration = Duration::from_millis(250);

/// The file choosers' state.
pub struct FilesState {
    /// Which dialog to use; decided on first use from what the desktop has.
    pub chooser: Option<Chooser>,
    /// The folder of the last file chosen: where the next chooser starts.
    pub last_folder: Option<PathBuf>,
    /// Why the in-window chooser is used, told at its top.
    pub reason: Option<String>,
    open: Option<InWindow>,
}

impl Default for FilesState {
    fn default() -> Self {
        Self::new()
    }
}

impl FilesState {
    pub fn new() -> Self {
        // The environment can name a chooser: "system" or "window".
        let chooser = match std::env::var("BADIYA_FILE_DIALOG").as_deref() {
            Ok("system") => Some(Chooser::System),
            Ok("window") => Some(Chooser::InWindow),
            _ => None,
        };
        let reason = (chooser == Some(Chooser::InWindow))
            .then(|| "badiya's own file chooser, as BADIYA_FILE_DIALOG=window asks.".to_string());
        Self {
            chooser,
            last_folder: None,
            reason,
            open: None,
        }
    }

    /// Whether the in-window chooser is showing.
    pub fn showing(&self) -> bool {
        self.open.is_some()
    }
}

/// Whether this desktop can show a system file dialog: zenity on the PATH,
/// or a session bus with the desktop portal's service installed.
pub fn system_dialog_available() -> bool {
    let on_path = |name: &str| {
        std::env::var_os("PATH")
            .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(name).is_file()))
    };
    if cfg!(not(target_os = "linux")) {
        return true;
    }
    let portal = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
        && [
            "/usr/share/dbus-1/services",
            "/usr/local/share/dbus-1/services",
        ]
        .iter()
        .any(|d| {
            Path::new(d)
                .join("org.freedesktop.portal.Desktop.service")
                .is_file()
        });
    portal || on_path("zenity")
}

/// Asks for a file; the answer arrives through [`deliver`], now (system
/// dialog) or when the analyst confirms the in-window chooser.
pub fn ask(app: &mut BadiyaApp, request: Request) {
    if app.files.chooser.is_none() {
        if system_dialog_available() {
            app.files.chooser = Some(Chooser::System);
        } else {
            app.files.chooser = Some(Chooser::InWindow);
            app.files.reason = Some(
                "This desktop has no file-picker service (no xdg-desktop-portal, no zenity), \
                 so badiya's own chooser is used."
                    .to_string(),
            );
        }
    }
    if app.files.chooser == Some(Chooser::System) {
        let started = Instant::now();
        match system_dialog(&request) {
            Some(paths) => return deliver(app, request.purpose, paths),
            None if started.elapsed() >= NO_DIALOG_SHOWN => return,
            None => {
                app.files.chooser = Some(Chooser::InWindow);
                app.files.reason = Some(
                    "The desktop's file picker did not open, so badiya's own chooser is used."
                        .to_string(),
                );
            }
        }
    }
    open_in_window(app, request);
}

fn system_dialog(request: &Request) -> Option<Vec<PathBuf>> {
    let mut d = rfd::FileDialog::new().set_title(request.purpose.title());
    for (name, exts) in request.purpose.filters() {
        d = d.add_filter(*name, exts);
    }
    if let Some(folder) = &request.folder {
        d = d.set_directory(folder);
    }
    if let Some(name) = &request.file_name {
        d = d.set_file_name(name);
    }
    match request.purpose {
        Purpose::AddDocuments => d.pick_files(),
        p if p.saves() => d.save_file().map(|p| vec![p]),
        _ => d.pick_file().map(|p| vec![p]),
    }
}

/// A folder's listing is cut at this many entries (a folder of 100,000
/// files must not stall the window).
const MAX_LISTED: usize = 5_000;

/// badiya's own chooser: a folder's sub-folders and the files of the kinds
/// asked for, a name field for a new file, and the buttons.
pub struct InWindow {
    purpose: Purpose,
    folder: PathBuf,
    /// The folder field as typed.
    folder_text: String,
    /// The file name field (the picked file's name, or a new one's).
    name: String,
    /// Files chosen (several for documents).
    chosen: Vec<PathBuf>,
    listing: Vec<(String, bool)>,
    problem: Option<String>,
}

impl InWindow {
    fn new(purpose: Purpose, folder: PathBuf, name: String) -> Self {
        let mut c = Self {
            purpose,
            folder_text: folder.display().to_string(),
            folder,
            name,
            chosen: Vec::new(),
            listing: Vec::new(),
            problem: None,
        };
        c.read_folder();
        c
    }

    fn wanted(&self, file: &Path) -> bool {
        let filters = self.purpose.filters();
        filters.is_empty()
            || file.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                filters
                    .iter()
                    .any(|(_, exts)| exts.iter().any(|x| x.eq_ignore_ascii_case(e)))
            })
    }

    /// Lists the folder: sub-folders first, then the wanted files, by name.
    fn read_folder(&mut self) {
        self.listing.clear();
        self.chosen.clear();
        self.problem = None;
        match std::fs::read_dir(&self.folder) {
            Ok(entries) => {
                for entry in entries.flatten().take(MAX_LISTED) {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    if name.starts_with('.') {
                        continue;
                    }
                    let path = entry.path();
                    let is_dir = path.is_dir();
                    if is_dir || self.wanted(&path) {
                        self.listing.push((name, is_dir));
                    }
                }
                self.listing.sort_by(|a, b| {
                    b.1.cmp(&a.1)
                        .then_with(|| a.0.to_lowercase().cmp(&b.0.to_lowercase()))
                });
            }
            Err(e) => {
                self.problem = Some(format!("cannot read {}: {e}", self.folder.display()));
            }
        }
        self.folder_text = self.folder.display().to_string();
    }

    fn enter(&mut self, folder: PathBuf) {
        self.folder = folder;
        self.read_folder();
    }

    /// The files the confirm button gives, if any.
    fn answer(&self) -> Vec<PathBuf> {
        if !self.chosen.is_empty() {
            return self.chosen.clone();
        }
        let name = self.name.trim();
        if name.is_empty() {
            return Vec::new();
        }
        let path = self.folder.join(name);
        if self.purpose.saves() || path.is_file() {
            vec![path]
        } else {
            Vec::new()
        }
    }
}

fn open_in_window(app: &mut BadiyaApp, request: Request) {
    let folder = request
        .folder
        .clone()
        .or_else(|| app.files.last_folder.clone())
        .filter(|f| f.is_dir())
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."));
    let name = if request.purpose.saves() {
        request.file_name.clone().unwrap_or_default()
    } else {
        String::new()
    };
    app.files.open = Some(InWindow::new(request.purpose, folder, name));
}

/// What the analyst did in the chooser this frame.
enum Step {
    Stay,
    Cancel,
    Confirm(Vec<PathBuf>),
}

/// Draws the in-window chooser while it is open, and delivers its answer.
pub fn show(app: &mut BadiyaApp, ctx: &egui::Context) {
    let reason = app.files.reason.clone();
    let Some(c) = app.files.open.as_mut() else {
        return;
    };
    let mut step = Step::Stay;
    let mut open = true;
    let confirm = if c.purpose.saves() { "Save" } else { "Open" };
    egui::Window::new(c.purpose.title())
        .id(egui::Id::unique("badiya_file_chooser"))
        .open(&mut open)
        .collapsible(false)
        .default_size([560.0, 420.0])
        .show(ctx, |ui| {
            if let Some(reason) = &reason {
                ui.weak(reason);
            }
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(c.folder.parent().is_some(), egui::Button::new("Up"))
                    .on_hover_text("The folder above")
                    .clicked()
                    && let Some(up) = c.folder.parent().map(Path::to_path_buf)
                {
                    c.enter(up);
                }
                if ui.button("Home").clicked()
                    && let Some(home) = std::env::var_os("HOME").map(PathBuf::from)
                {
                    c.enter(home);
                }
                let field = ui.add(
                    egui::TextEdit::singleline(&mut c.folder_text)
                        .desired_width(f32::INFINITY)
                        .hint_text("folder"),
                );
                if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    let typed = PathBuf::from(c.folder_text.trim());
                    if typed.is_dir() {
                        c.enter(typed);
                    } else {
                        c.problem = Some(format!("{} is not a folder", typed.display()));
                    }
                }
            });
            ui.separator();
            let kinds: Vec<String> = c
                .purpose
                .filters()
                .iter()
                .map(|(name, exts)| format!("{name} (.{})", exts.join(", .")))
                .collect();
            if !kinds.is_empty() {
                ui.weak(format!("Showing folders and {}", kinds.join("; ")));
            }
            let list_height = (ui.available_height() - 70.0).max(120.0);
            let mut go_into = None;
            let mut double_clicked = None;
            egui::ScrollArea::vertical()
                .max_height(list_height)
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    if c.listing.is_empty() && c.problem.is_none() {
                        ui.weak("Nothing here of the kinds asked for.");
                    }
                    let multiple = c.purpose == Purpose::AddDocuments;
                    for (name, is_dir) in &c.listing {
                        let path = c.folder.join(name);
                        let label = if *is_dir {
                            format!("{name}/")
                        } else {
                            name.clone()
                        };
                        let selected = c.chosen.contains(&path);
                        let r = ui.selectable_label(selected, label);
                        if r.double_clicked() {
                            if *is_dir {
                                go_into = Some(path);
                            } else {
                                double_clicked = Some(path);
                            }
                        } else if r.clicked() {
                            if *is_dir {
                                go_into = Some(path);
                            } else if multiple
                                && ui.input(|i| i.modifiers.command || i.modifiers.shift)
                            {
                                if selected {
                                    c.chosen.retain(|p| p != &path);
                                } else {
                                    c.chosen.push(path);
                                }
                            } else {
                                c.chosen = vec![path];
                                c.name = name.clone();
                            }
                        }
                    }
                });
            if let Some(folder) = go_into {
                c.enter(folder);
            }
            if let Some(file) = double_clicked {
                step = Step::Confirm(vec![file]);
            }
            if let Some(problem) = &c.problem {
                ui.colored_label(ui.visuals().error_fg_color, problem);
            }
            ui.separator();
            ui.horizontal(|ui| {
                let l = ui.label("File name");
                let field = ui
                    .add(egui::TextEdit::singleline(&mut c.name).desired_width(300.0))
                    .labelled_by(l.id);
                if field.changed() {
                    c.chosen.clear();
                }
                if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    let answer = c.answer();
                    if !answer.is_empty() {
                        step = Step::Confirm(answer);
                    }
                }
                if c.chosen.len() > 1 {
                    ui.weak(format!("{} files chosen", c.chosen.len()));
                }
                if c.purpose.saves()
                    && !c.name.trim().is_empty()
                    && c.folder.join(c.name.trim()).exists()
                {
                    ui.colored_label(ui.visuals().warn_fg_color, "exists already");
                }
            });
            ui.horizontal(|ui| {
                let answer = c.answer();
                if ui
                    .add_enabled(!answer.is_empty(), egui::Button::new(confirm))
                    .clicked()
                {
                    step = Step::Confirm(answer);
                }
                if ui.button("Cancel").clicked() {
                    step = Step::Cancel;
                }
            });
        });
    if !open || ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
        step = Step::Cancel;
    }
    match step {
        Step::Stay => {}
        Step::Cancel => app.files.open = None,
        Step::Confirm(paths) => {
            let purpose = c.purpose;
            app.files.open = None;
            deliver(app, purpose, paths);
        }
    }
}

/// Hands the chosen files to what asked for them.
pub fn deliver(app: &mut BadiyaApp, purpose: Purpose, mut paths: Vec<PathBuf>) {
    let Some(first) = paths.first().cloned() else {
        return;
    };
    app.files.last_folder = first.parent().map(Path::to_path_buf);
    match purpose {
        Purpose::NewWorkspace => app.send(Command::NewWorkspace(first)),
        Purpose::SaveWorkspaceAs => app.send(Command::SaveWorkspaceAs(first)),
        Purpose::OpenWorkspace => app.send(Command::OpenWorkspace(first)),
        Purpose::AddDocuments => {
            paths.retain(|p| p.is_file());
            if !paths.is_empty() {
                app.send(Command::AddFiles(paths));
            }
        }
        Purpose::ImportAnnotations => app.send(Command::ImportAnnotations(first)),
        Purpose::ExportAnnotations => app.send(Command::ExportAnnotations(first)),
        Purpose::MapExportFile => app.export.path = first.display().to_string(),
        Purpose::DataExportFile => app.tools.data_path = first.display().to_string(),
    }
}

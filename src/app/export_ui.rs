//! Exporting from the window: the export dialog (page, text, furniture,
//! file), the export itself on a background thread with progress, and the
//! quick captures of the map area (save as PNG, copy to the clipboard).

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::sync::{Arc, Mutex};

use super::{BadiyaApp, Command};
use crate::export::{
    ExportError, ExportReport, MapArea, MapContent, Orientation, PageSize, PageSpec,
};

/// Where a quick capture of the map area goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaptureTarget {
    File,
    Clipboard,
}

/// The size choices of the dialog.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SizeChoice {
    CurrentView,
    #[default]
    A4,
    A3,
    Custom,
}

/// The dialog's state.
pub struct ExportDialog {
    pub open: bool,
    pub spec: PageSpec,
    pub size: SizeChoice,
    pub custom: [u32; 2],
    pub path: String,
    job: Option<Job>,
    /// What the last export did, shown in the dialog.
    pub last: Option<String>,
}

struct Job {
    rx: Receiver<Result<ExportReport, ExportError>>,
    started: f64,
}

impl Default for ExportDialog {
    fn default() -> Self {
        let dir = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
        Self {
            open: false,
            spec: PageSpec {
                title: "Iraq–Syria border".to_owned(),
                ..PageSpec::default()
            },
            size: SizeChoice::A4,
            custom: [1920, 1080],
            path: dir.join("badiya-map.png").display().to_string(),
            job: None,
            last: None,
        }
    }
}

impl ExportDialog {
    /// True while an export runs.
    pub fn running(&self) -> bool {
        self.job.is_some()
    }
}

/// Starts the export on a background thread; the window stays responsive.
/// The map as an export draws it: the window's layers and theme, without
/// the pointer's hover or the selection.
pub(super) fn export_options(app: &BadiyaApp) -> crate::scene::MapOptions {
    let mut options = app.map_options();
    options.hovered = None;
    options.selected = None;
    options
}

/// The page of the export dialog: its settings, at the size chosen.
pub(super) fn page_spec(app: &BadiyaApp) -> crate::export::PageSpec {
    let mut spec = app.export.spec.clone();
    spec.size = match app.export.size {
        SizeChoice::CurrentView => PageSize::CurrentView {
            w: app.camera.width_px,
            h: app.camera.height_px,
        },
        SizeChoice::A4 => PageSize::A4,
        SizeChoice::A3 => PageSize::A3,
        SizeChoice::Custom => PageSize::Custom {
            w: app.export.custom[0],
            h: app.export.custom[1],
        },
    };
    spec
}

pub(super) fn start_export(app: &mut BadiyaApp, now: f64) {
    if app.export.running() {
        return;
    }
    let path = PathBuf::from(app.export.path.trim());
    let spec = page_spec(app);
    let data = app.data.clone();
    let index = app.index.clone();
    let prepared = app.prepared.clone();
    let options = export_options(app);
    let overlay = crate::overlay::incident_overlay(&app.corpus, &app.filter, None);
    let annotations = app.annotations.items().to_vec();
    let area = MapArea::View(app.camera);
    let (tx, rx) = std::sync::mpsc::channel();
    let ctx = app.ctx.clone();
    std::thread::spawn(move || {
        let content = MapContent {
            data: &data,
            index: &index,
            prepared: &prepared,
            options: &options,
            markers: &overlay.markers,
            annotations: &annotations,
            incident_legend: &overlay.legend,
            sources: &overlay.sources,
        };
        let result = crate::export::export_to_file(&content, &area, &spec, &path);
        let _ = tx.send(result);
        if let Some(ctx) = ctx {
            ctx.request_repaint();
        }
    });
    app.export.job = Some(Job { rx, started: now });
    app.export.last = None;
}

/// Collects a finished export, if any.
pub(super) fn poll_export(app: &mut BadiyaApp) {
    let Some(job) = &app.export.job else {
        return;
    };
    match job.rx.try_recv() {
        Ok(Ok(report)) => {
            let text = report.to_string();
            app.messages.push(text.clone());
            app.export.last = Some(text);
            app.export.job = None;
        }
        Ok(Err(e)) => {
            app.errors.push(e.to_string());
            app.export.last = Some(format!("failed: {e}"));
            app.export.job = None;
        }
        Err(TryRecvError::Empty) => {}
        Err(TryRecvError::Disconnected) => {
            app.errors
                .push("the export stopped unexpectedly; nothing was written".to_owned());
            app.export.job = None;
        }
    }
}

pub(super) fn export_window(app: &mut BadiyaApp, ctx: &egui::Context) {
    if !app.export.open {
        return;
    }
    let mut open = true;
    let mut choose = false;
    let now = ctx.input(|i| i.time);
    egui::Window::new("Export map")
        .open(&mut open)
        .default_width(460.0)
        .show(ctx, |ui| {
            let d = &mut app.export;
            egui::Grid::new("export_grid")
                .num_columns(2)
                .show(ui, |ui| {
                    ui.label("Format");
                    ui.horizontal(|ui| {
                        let is_svg = d.path.trim().to_ascii_lowercase().ends_with(".svg");
                        for (svg, label) in [(false, "PNG + world file"), (true, "SVG")] {
                            if ui.selectable_label(is_svg == svg, label).clicked() && is_svg != svg
                            {
                                let path = PathBuf::from(d.path.trim());
                                d.path = path
                                    .with_extension(if svg { "svg" } else { "png" })
                                    .display()
                                    .to_string();
                            }
                        }
                    });
                    ui.end_row();
                    ui.label("Size");
                    ui.horizontal(|ui| {
                        for (choice, label) in [
                            (SizeChoice::CurrentView, "Current view"),
                            (SizeChoice::A4, "A4"),
                            (SizeChoice::A3, "A3"),
                            (SizeChoice::Custom, "Pixels"),
                        ] {
                            ui.selectable_value(&mut d.size, choice, label);
                        }
                    });
                    ui.end_row();
                    if d.size == SizeChoice::Custom {
                        ui.label("Pixels");
                        ui.horizontal(|ui| {
                            ui.add(
                                egui::DragValue::new(&mut d.custom[0])
                                    .range(64..=20_000)
                                    .prefix("width "),
                            );
                            ui.label("×");
                            ui.add(
                                egui::DragValue::new(&mut d.custom[1])
                                    .range(64..=20_000)
                                    .prefix("height "),
                            );
                        });
                        ui.end_row();
                    }
                    if matches!(d.size, SizeChoice::A4 | SizeChoice::A3) {
                        ui.label("Orientation");
                        ui.horizontal(|ui| {
                            ui.selectable_value(
                                &mut d.spec.orientation,
                                Orientation::Landscape,
                                "Landscape",
                            );
                            ui.selectable_value(
                                &mut d.spec.orientation,
                                Orientation::Portrait,
                                "Portrait",
                            );
                        });
                        ui.end_row();
                    }
                    let l = ui.label("DPI");
                    ui.add(
                        egui::DragValue::new(&mut d.spec.dpi)
                            .range(48.0..=1200.0)
                            .speed(1.0),
                    )
                    .labelled_by(l.id);
                    ui.end_row();
                    for (label, value) in [
                        ("Title", &mut d.spec.title),
                        ("Subtitle", &mut d.spec.subtitle),
                        ("Banner (top)", &mut d.spec.banner_top),
                        ("Banner (bottom)", &mut d.spec.banner_bottom),
                    ] {
                        let l = ui.label(label);
                        ui.add(egui::TextEdit::singleline(value).desired_width(300.0))
                            .labelled_by(l.id);
                        ui.end_row();
                    }
                    let l = ui.label("Text block");
                    ui.add(
                        egui::TextEdit::multiline(&mut d.spec.text_block)
                            .desired_rows(2)
                            .desired_width(300.0),
                    )
                    .labelled_by(l.id);
                    ui.end_row();
                });
            ui.horizontal_wrapped(|ui| {
                ui.checkbox(&mut d.spec.legend, "Legend");
                ui.checkbox(&mut d.spec.scale_bar, "Scale bar");
                ui.checkbox(&mut d.spec.north_arrow, "North arrow");
                ui.checkbox(&mut d.spec.sources, "Sources");
                ui.checkbox(&mut d.spec.attribution, "Data attribution");
                ui.checkbox(&mut d.spec.date_stamp, "Date stamp");
            });
            ui.separator();
            ui.horizontal(|ui| {
                let l = ui.label("File");
                ui.add(egui::TextEdit::singleline(&mut d.path).desired_width(300.0))
                    .labelled_by(l.id);
                if ui.button("Choose…").clicked() {
                    choose = true;
                }
            });
            ui.weak(
                "A PNG gets a .pgw world file and a .prj beside it, so QGIS places it (EPSG:3857).",
            );
            ui.horizontal(|ui| match &d.job {
                Some(job) => {
                    ui.add(egui::Spinner::new());
                    ui.label(format!("exporting… {:.1} s", now - job.started));
                    ctx.request_repaint_after(std::time::Duration::from_millis(100));
                }
                None => {
                    if ui.button("Export").clicked() {
                        app.commands.push(Command::StartExport);
                    }
                }
            });
            if let Some(last) = &app.export.last {
                ui.label(last);
            }
        });
    if choose {
        use super::files::{Purpose, Request, ask};
        let at = std::path::PathBuf::from(app.export.path.trim());
        let request = if at.file_name().is_some() {
            Request::new(Purpose::MapExportFile).at(&at)
        } else {
            Request::new(Purpose::MapExportFile).named("badiya-map.png")
        };
        ask(app, request);
    }
    if !open {
        app.export.open = false;
    }
}

/// Where the window's pixels arrive for a capture.
pub(super) type CaptureSlot = Arc<Mutex<Option<(CaptureTarget, Arc<egui::ColorImage>)>>>;

/// A pending capture of the window, waiting for its pixels.
#[derive(Default)]
pub(super) struct Capture {
    pub(super) slot: CaptureSlot,
}

pub(super) fn request_capture(app: &BadiyaApp, ctx: &egui::Context, target: CaptureTarget) {
    let slot = app.capture.slot.clone();
    ctx.request_screenshot(move |image| {
        if let Ok(mut s) = slot.lock() {
            *s = Some((target, image));
        }
    });
}

/// Crops a window capture to the map area and saves or copies it.
pub(super) fn finish_capture(app: &mut BadiyaApp, ctx: &egui::Context) {
    let taken = app.capture.slot.lock().ok().and_then(|mut s| s.take());
    let (Some((target, image)), Some(rect)) = (taken, app.map_rect) else {
        return;
    };
    let ppp = ctx.pixels_per_point();
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let px = |v: f32| (v * ppp).round().max(0.0) as usize;
    let [w, h] = image.size;
    let (x0, y0) = (px(rect.min.x).min(w), px(rect.min.y).min(h));
    let (x1, y1) = (px(rect.max.x).min(w), px(rect.max.y).min(h));
    let mut rgba = Vec::with_capacity((x1 - x0) * (y1 - y0) * 4);
    for y in y0..y1 {
        for x in x0..x1 {
            rgba.extend_from_slice(&image.pixels[y * w + x].to_srgba_unmultiplied());
        }
    }
    let (cw, ch) = (x1 - x0, y1 - y0);
    match target {
        CaptureTarget::Clipboard => {
            let result = arboard::Clipboard::new().and_then(|mut c| {
                c.set_image(arboard::ImageData {
                    width: cw,
                    height: ch,
                    bytes: rgba.into(),
                })
            });
            match result {
                Ok(()) => app.messages.push(format!(
                    "copied the map view ({cw}×{ch} px) to the clipboard"
                )),
                Err(e) => app
                    .errors
                    .push(format!("cannot copy to the clipboard: {e}")),
            }
        }
        CaptureTarget::File => {
            let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
            let dir = PathBuf::from(app.export.path.trim())
                .parent()
                .map(std::path::Path::to_path_buf)
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or_else(|| PathBuf::from("."));
            let path = dir.join(format!("badiya-view-{stamp}.png"));
            let result = u32::try_from(cw)
                .ok()
                .zip(u32::try_from(ch).ok())
                .and_then(|(w, h)| image::RgbaImage::from_raw(w, h, rgba))
                .ok_or_else(|| "the capture has the wrong size".to_owned())
                .and_then(|img| {
                    let mut bytes = Vec::new();
                    img.write_to(
                        &mut std::io::Cursor::new(&mut bytes),
                        image::ImageFormat::Png,
                    )
                    .map_err(|e| e.to_string())?;
                    crate::workspace::write_atomic(&path, &bytes).map_err(|e| e.to_string())
                });
            match result {
                Ok(()) => app.messages.push(format!("saved {}", path.display())),
                Err(e) => app.errors.push(format!(
                    "cannot save the screenshot: {e}: {}",
                    path.display()
                )),
            }
        }
    }
}

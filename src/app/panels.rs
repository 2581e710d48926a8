//! Panels and windows around the map: menu bar, layers with legend and
//! opacity, inspector, status bar, About / data sources, keyboard help.
//! They read state and send commands; they never change state themselves.

use egui::{Color32, RichText, Sense, Stroke as EStroke};

use super::{BadiyaApp, Command, LeftTab, Selection};
use crate::geodata::{LayerKind, Style};
use crate::render_egui::color32;

/// File → New / Open / Save As / Recent workspace.
fn workspace_menu(app: &mut BadiyaApp, ui: &mut egui::Ui) {
    use super::files::{Purpose, Request, ask};
    if ui.button("New workspace…").clicked() {
        ask(
            app,
            Request::new(Purpose::NewWorkspace).named("workspace.gpkg"),
        );
    }
    if ui.button("Open workspace…").clicked() {
        ask(app, Request::new(Purpose::OpenWorkspace));
    }
    if ui.button("Save workspace as…").clicked() {
        ask(
            app,
            Request::new(Purpose::SaveWorkspaceAs).named("workspace copy.gpkg"),
        );
    }
    ui.separator();
    let label = if app.team.is_some() {
        "Team store…"
    } else {
        "Connect to team store…"
    };
    if ui.button(label).clicked() {
        app.team_dialog = Some(
            app.team
                .as_ref()
                .map_or_else(String::new, |t| t.url.written().to_owned()),
        );
    }
    ui.menu_button("Recent workspaces", |ui| {
        let recent = super::store::recent();
        if recent.is_empty() {
            ui.weak("none yet");
        }
        for path in recent {
            if ui.button(path.display().to_string()).clicked() {
                app.send(Command::OpenWorkspace(path));
            }
        }
    });
}

/// A strip under the menu when the work is not being saved: read-only or safe mode.
pub(super) fn banner_ui(app: &mut BadiyaApp, ui: &mut egui::Ui) {
    let Some(text) = app.read_only.clone() else {
        return;
    };
    egui::Panel::top("read_only_banner")
        .frame(
            egui::Frame::NONE
                .fill(Color32::from_rgb(0xF6, 0xD3, 0x6B))
                .inner_margin(6.0),
        )
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(text).color(Color32::BLACK).strong());
                if app.safe_mode && ui.button("Leave safe mode").clicked() {
                    app.send(Command::LeaveSafeMode);
                }
            });
        });
}

pub(super) fn menu_bar_ui(app: &mut BadiyaApp, ui: &mut egui::Ui) {
    egui::Panel::top("menu_bar").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                workspace_menu(app, ui);
                ui.separator();
                if ui.button("Add documents…").clicked() {
                    add_documents_dialog(app);
                }
                if ui.button("Export map…  (Ctrl+E)").clicked() {
                    app.send(Command::ShowExport(true));
                }
                if ui
                    .button("Save screenshot of the map  (Ctrl+Shift+S)")
                    .clicked()
                {
                    app.send(Command::Capture(super::CaptureTarget::File));
                }
                if ui.button("Copy map view to clipboard").clicked() {
                    app.send(Command::Capture(super::CaptureTarget::Clipboard));
                }
                ui.separator();
                if ui.button("Import annotations (GeoJSON)…").clicked() {
                    use super::files::{Purpose, Request, ask};
                    ask(app, Request::new(Purpose::ImportAnnotations));
                }
                if ui.button("Export data (GeoJSON, CSV, KML)…").clicked() {
                    app.tools.data_open = true;
                }
                if ui.button("Export annotations (GeoJSON)…").clicked() {
                    use super::files::{Purpose, Request, ask};
                    ask(
                        app,
                        Request::new(Purpose::ExportAnnotations).named("annotations.geojson"),
                    );
                }
                ui.separator();
                if ui.button("Quit").clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button("Edit", |ui| {
                if ui
                    .add_enabled(app.can_undo(), egui::Button::new("Undo  (Ctrl+Z)"))
                    .clicked()
                {
                    app.send(Command::Undo);
                }
                if ui
                    .add_enabled(app.can_redo(), egui::Button::new("Redo  (Ctrl+Shift+Z)"))
                    .clicked()
                {
                    app.send(Command::Redo);
                }
            });
            ui.menu_button("View", |ui| {
                if ui.button("Fit region (Home)").clicked() {
                    app.send(Command::FitRegion);
                }
                if ui.button("Zoom in (+)").clicked() {
                    app.send(Command::ZoomBy(1.0));
                }
                if ui.button("Zoom out (−)").clicked() {
                    app.send(Command::ZoomBy(-1.0));
                }
                ui.separator();
                let mut dark = app.dark;
                if ui.checkbox(&mut dark, "Dark theme").changed() {
                    app.send(Command::SetDark(dark));
                }
            });
            ui.menu_button("Analysis", |ui| {
                if ui.button("Search  (Ctrl+K)").clicked() {
                    app.tools.search_focus = true;
                }
                if ui.button("Go to a position…  (Ctrl+G)").clicked() {
                    app.tools.goto_open = true;
                }
                if ui.button("Measure  (M)").clicked() {
                    app.send(Command::SetTool(super::Tool::Measure));
                }
                if ui.button("Spatial question…").clicked() {
                    app.tools.question_open = true;
                }
                if ui
                    .button(if app.tools.lapse.is_some() {
                        "Stop the time-lapse"
                    } else {
                        "Play the time-lapse"
                    })
                    .clicked()
                {
                    super::tools_ui::toggle_lapse(app);
                }
                ui.separator();
                if ui.button("Export data (GeoJSON, CSV, KML)…").clicked() {
                    app.tools.data_open = true;
                }
            });
            ui.menu_button("Help", |ui| {
                if ui.button("Keyboard shortcuts (F1)").clicked() {
                    app.send(Command::ShowHelp(true));
                }
                if ui.button("About / data sources").clicked() {
                    app.send(Command::ShowAbout(true));
                }
            });
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                super::tools_ui::search_box_ui(app, ui);
            });
        });
    });
}

pub(super) fn status_bar_ui(app: &mut BadiyaApp, ui: &mut egui::Ui) {
    egui::Panel::bottom("status_bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            match app.cursor {
                Some((lon, lat)) => {
                    let format = app.tools.copy_format;
                    let shown = format.show(lon, lat);
                    ui.monospace(match format {
                        super::tools_ui::CoordFormat::Mgrs if shown.contains(' ') => {
                            format!("MGRS {shown}")
                        }
                        _ => shown,
                    });
                }
                None => {
                    ui.weak("pointer off the map");
                }
            }
            super::tools_ui::copy_format_ui(app, ui);
            ui.separator();
            ui.label(format!("zoom {:.1}", app.camera.zoom));
            ui.separator();
            if let Some((_, n)) = &app.loading {
                let n = *n;
                match app.adding.clone() {
                    // Documents the analyst added: how far, and a way out.
                    Some(p) => {
                        use std::sync::atomic::Ordering;
                        let done = p.done.load(Ordering::Relaxed).min(n);
                        #[allow(clippy::cast_precision_loss)]
                        let share = if n == 0 { 0.0 } else { done as f32 / n as f32 };
                        if p.cancel.load(Ordering::Relaxed) {
                            ui.spinner();
                            ui.label("cancelling…");
                        } else {
                            ui.add(
                                egui::ProgressBar::new(share)
                                    .desired_width(180.0)
                                    .text(format!("extracting {done} of {n} documents")),
                            );
                            if ui
                                .button("Cancel")
                                .on_hover_text("Stop; none of these documents is added")
                                .clicked()
                            {
                                app.send(super::Command::CancelAdding);
                            }
                        }
                    }
                    None => {
                        ui.spinner();
                        ui.label(format!("extracting {n} documents…"));
                    }
                }
                ui.separator();
            }
            match &app.store {
                Some(w) => {
                    let name = w
                        .path()
                        .file_name()
                        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                    let state = if w.read_only().is_some() {
                        "read-only"
                    } else if w.pending() {
                        "saving…"
                    } else {
                        "saved"
                    };
                    ui.label(format!("{name}: {state}"))
                        .on_hover_text(w.path().display().to_string());
                }
                None => {
                    ui.weak("not saved");
                }
            }
            super::team_ui::status_ui(app, ui);
            if let Some(last) = app.messages.last() {
                ui.separator();
                ui.add(
                    egui::Label::new(RichText::new(last).color(ui.visuals().warn_fg_color))
                        .truncate(),
                )
                .on_hover_text(last);
            }
        });
    });
}

/// A small legend swatch drawn the way the layer is drawn.
fn swatch(ui: &mut egui::Ui, kind: LayerKind, style: &Style) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(22.0, 14.0), Sense::hover());
    let painter = ui.painter_at(rect);
    let stroke = style.stroke.map_or(EStroke::NONE, |c| {
        EStroke::new(style.stroke_width.clamp(1.0, 4.0), color32(c))
    });
    match kind {
        LayerKind::Polygon => {
            painter.rect_filled(
                rect.shrink(1.0),
                2.0,
                style.fill.map_or(Color32::TRANSPARENT, color32),
            );
            painter.rect_stroke(rect.shrink(1.0), 2.0, stroke, egui::StrokeKind::Inside);
        }
        LayerKind::Line => {
            let (a, b) = (rect.left_center(), rect.right_center());
            match style.dash {
                Some([on, off]) => {
                    painter.extend(egui::Shape::dashed_line(
                        &[a, b],
                        stroke,
                        on.min(6.0),
                        off.min(4.0),
                    ));
                }
                None => {
                    painter.line_segment([a, b], stroke);
                }
            }
        }
        LayerKind::Point => {
            painter.circle(
                rect.center(),
                4.0,
                style.fill.map_or(Color32::DARK_GRAY, color32),
                EStroke::new(1.0, style.stroke.map_or(Color32::WHITE, color32)),
            );
        }
    }
}

/// The legend of site symbols: one row per kind of site (prison, camp,
/// crossing …) that a shown point layer draws with a style of its own, with
/// the symbol the map draws for it. Sites are hollow and neutral, unlike
/// any incident symbol.
fn site_legend(app: &BadiyaApp, ui: &mut egui::Ui) {
    let mut seen: Vec<String> = Vec::new();
    for (layer, state) in app.data.layers.iter().zip(&app.layers) {
        let (Some(styles), true) = (&layer.spec.kind_style, state.visible) else {
            continue;
        };
        // The kinds the layer holds, in one pass over its features.
        let present: std::collections::BTreeSet<&str> = layer
            .features
            .iter()
            .filter_map(|f| f.prop_str("kind"))
            .collect();
        for (kind, style) in styles {
            if style.radius_px.unwrap_or(3.0) <= 0.0
                || seen.contains(kind)
                || !present.contains(kind.as_str())
            {
                continue;
            }
            if seen.is_empty() {
                ui.separator();
                ui.strong("Site symbols");
            }
            seen.push(kind.clone());
            let (symbol, size) = crate::scene::point_symbol(Some(kind), style);
            let style = &crate::scene::themed(app.theme(), LayerKind::Point, style);
            ui.horizontal(|ui| {
                super::incidents_ui::paint_symbol(
                    ui,
                    symbol,
                    size.min(12.0),
                    style.fill.map_or(Color32::DARK_GRAY, color32),
                    EStroke::new(
                        style.stroke_width.clamp(0.5, 2.0),
                        style.stroke.map_or(Color32::WHITE, color32),
                    ),
                );
                ui.label(crate::export::page::kind_label(kind));
            });
        }
    }
}

/// Asks for documents to add; the chosen files are queued.
pub(super) fn add_documents_dialog(app: &mut BadiyaApp) {
    use super::files::{Purpose, Request, ask};
    ask(app, Request::new(Purpose::AddDocuments));
}

pub(super) fn left_panel_ui(app: &mut BadiyaApp, ui: &mut egui::Ui) {
    egui::Panel::left("left_panel")
        .resizable(true)
        .default_size(270.0)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                for (tab, label) in [
                    (LeftTab::Layers, "Layers"),
                    (LeftTab::Incidents, "Incidents"),
                    (LeftTab::Documents, "Documents"),
                ] {
                    if ui.selectable_label(app.left_tab == tab, label).clicked() {
                        app.send(Command::SetLeftTab(tab));
                    }
                }
            });
            ui.separator();
            egui::ScrollArea::vertical().show(ui, |ui| match app.left_tab {
                LeftTab::Layers => layers_ui(app, ui),
                LeftTab::Incidents => super::incidents_ui::filters_ui(app, ui),
                LeftTab::Documents => super::documents_ui::documents_list_ui(app, ui),
            });
        });
}

fn layers_ui(app: &mut BadiyaApp, ui: &mut egui::Ui) {
    {
        {
            // Top of the list is drawn last (on top), as in GIS tools.
            for i in (0..app.data.layers.len()).rev() {
                let spec = app.data.layers[i].spec.clone();
                let count = app.data.layers[i].features.len();
                let state = app.layers[i].clone();
                let (name, kind, style, focus) = (
                    spec.name.clone(),
                    spec.kind,
                    spec.style.clone(),
                    spec.focus_style.clone(),
                );
                let theme = app.theme();
                ui.horizontal(|ui| {
                    swatch(ui, kind, &crate::scene::themed(theme, kind, &style));
                    let mut on = state.visible;
                    if ui
                        .checkbox(&mut on, &name)
                        .on_hover_text(format!("{count} features; click to show or hide"))
                        .changed()
                    {
                        app.send(Command::SetLayerVisible(i, on));
                    }
                });
                if let Some(focus) = focus {
                    let names: Vec<String> = app.data.layers[i]
                        .features
                        .iter()
                        .filter(|f| f.is_focus())
                        .filter_map(|f| f.name.clone())
                        .collect();
                    if !names.is_empty() {
                        ui.horizontal(|ui| {
                            ui.add_space(12.0);
                            swatch(ui, kind, &crate::scene::themed(theme, kind, &focus));
                            ui.weak(format!("focus: {}", names.join(", ")));
                        });
                    }
                }
                if spec.id == "pipelines" {
                    for (label, dash) in [("operating", None), ("shut", Some([6.0, 4.0]))] {
                        ui.horizontal(|ui| {
                            ui.add_space(12.0);
                            swatch(
                                ui,
                                LayerKind::Line,
                                &Style {
                                    dash,
                                    ..style.clone()
                                },
                            );
                            ui.weak(label);
                        });
                    }
                }
                ui.horizontal(|ui| {
                    ui.add_space(28.0);
                    let mut opacity = state.opacity;
                    if ui
                        .add(
                            egui::Slider::new(&mut opacity, 0.0..=1.0)
                                .show_value(false)
                                .text("opacity"),
                        )
                        .changed()
                    {
                        app.send(Command::SetLayerOpacity(i, opacity));
                    }
                });
                ui.add_space(2.0);
            }
            site_legend(app, ui);
            super::incidents_ui::incident_legend_ui(app, ui);
            ui.separator();
            if !app.data.errors.is_empty() {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!("{} data problems:", app.data.errors.len()),
                );
                for e in &app.data.errors {
                    ui.small(e.to_string());
                }
            }
        }
    }
}

pub(super) fn inspector_panel_ui(app: &mut BadiyaApp, ui: &mut egui::Ui) {
    egui::Panel::right("inspector_panel")
        .resizable(true)
        .default_size(340.0)
        .show(ui, |ui| {
            ui.heading("Inspector");
            ui.add_space(4.0);
            // The panel keeps the width it has whatever it shows, so the map
            // beside it does not jump with each selection.
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| match app.selection.clone() {
                None => {
                    ui.weak("Click a governorate, line, site or incident marker on the map to see what it is.");
                }
                Some(Selection::Feature(f)) => feature_ui(app, ui, f),
                Some(Selection::Incident(id)) => super::incidents_ui::incident_inspector_ui(app, ui, &id),
                Some(Selection::Annotation(id)) => super::annotate_ui::annotation_inspector_ui(app, ui, id),
            });
        });
}

fn feature_ui(app: &mut BadiyaApp, ui: &mut egui::Ui, f: crate::spatial::FeatureRef) {
    let Some((layer, feature)) = app.feature(f) else {
        ui.weak("The selection is gone.");
        return;
    };
    ui.label(
        RichText::new(feature.name.clone().unwrap_or_else(|| "(unnamed)".into()))
            .size(18.0)
            .strong(),
    );
    ui.weak(&layer.spec.name);
    ui.add_space(6.0);
    egui::Grid::new("facts")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for (k, v) in crate::geodata::facts(&layer.spec, feature) {
                // A point's position in the form chosen in the status bar,
                // as incidents show theirs.
                let v = match (&feature.geometry, k.as_str()) {
                    (geo::Geometry::Point(p), "Position") => {
                        app.tools.copy_format.show(p.x(), p.y())
                    }
                    _ => v,
                };
                ui.strong(k);
                ui.add(egui::Label::new(v).wrap());
                ui.end_row();
            }
        });
    ui.add_space(6.0);
    use geo::BoundingRect;
    let bounds = feature.geometry.bounding_rect();
    if ui.button("Zoom to").clicked()
        && let Some(r) = bounds
    {
        let pad = 0.2;
        app.send(Command::FitLonLat(
            [r.min().x - pad, r.min().y - pad],
            [r.max().x + pad, r.max().y + pad],
        ));
    }
}

pub(super) fn errors_window(app: &mut BadiyaApp, ctx: &egui::Context) {
    if app.errors.is_empty() {
        return;
    }
    let mut dismiss = false;
    egui::Window::new("Problems")
        .collapsible(false)
        .resizable(true)
        .default_width(480.0)
        .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 40.0))
        .show(ctx, |ui| {
            for e in &app.errors {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            ui.add_space(4.0);
            ui.weak("Nothing you made was changed.");
            if ui.button("OK").clicked() {
                dismiss = true;
            }
        });
    if dismiss {
        app.send(Command::DismissErrors);
    }
}

pub(super) fn about_window(app: &mut BadiyaApp, ctx: &egui::Context) {
    let mut open = app.show_about;
    egui::Window::new("About / data sources")
        .open(&mut open)
        .default_width(560.0)
        .show(ctx, |ui| {
            ui.label(format!("badiya {}", env!("CARGO_PKG_VERSION")));
            ui.label(format!("Data: {}", app.data.source));
            ui.separator();
            egui::ScrollArea::vertical()
                .max_height(480.0)
                .show(ui, |ui| {
                    for layer in &app.data.layers {
                        ui.horizontal_wrapped(|ui| {
                            ui.strong(&layer.spec.name);
                            ui.label(&layer.spec.attribution);
                        });
                    }
                    ui.separator();
                    markdown_ui(ui, crate::geodata::ATTRIBUTION_MD);
                });
        });
    if open != app.show_about {
        app.send(Command::ShowAbout(open));
    }
}

/// The few kinds of Markdown the attribution file uses, drawn as such:
/// headings, paragraphs, bullets and tables (a grid, without the pipes and
/// the separator row); code and emphasis marks are dropped.
fn markdown_ui(ui: &mut egui::Ui, text: &str) {
    fn plain(s: &str) -> String {
        s.replace("**", "").replace('`', "")
    }
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let mut k = 0;
    let mut tables = 0;
    while k < lines.len() {
        let line = lines[k];
        if line.starts_with('|') {
            let start = k;
            while k < lines.len() && lines[k].starts_with('|') {
                k += 1;
            }
            let rows: Vec<Vec<String>> = lines[start..k]
                .iter()
                .filter(|l| !l.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')))
                .map(|l| {
                    l.trim_matches('|')
                        .split('|')
                        .map(|c| plain(c.trim()))
                        .collect()
                })
                .collect();
            tables += 1;
            egui::Grid::new(egui::Id::unique("attribution_table").with(tables))
                .striped(true)
                .spacing(egui::vec2(10.0, 4.0))
                .show(ui, |ui| {
                    for (r, row) in rows.iter().enumerate() {
                        for cell in row {
                            if r == 0 {
                                ui.strong(cell);
                            } else {
                                ui.add(egui::Label::new(cell).wrap());
                            }
                        }
                        ui.end_row();
                    }
                });
            continue;
        }
        if let Some(h) = line.strip_prefix("# ").or_else(|| line.strip_prefix("## ")) {
            ui.add_space(4.0);
            ui.strong(plain(h));
        } else if let Some(item) = line.strip_prefix("- ") {
            ui.label(format!("• {}", plain(item)));
        } else if !line.is_empty() {
            ui.label(plain(line));
        }
        k += 1;
    }
}

/// Keyboard shortcuts, listed in the help window and handled here.
pub(super) const SHORTCUTS: &[(&str, &str)] = &[
    ("Drag", "pan"),
    ("Wheel / pinch", "zoom around the pointer"),
    ("Double-click", "zoom in"),
    ("+ / −", "zoom in / out"),
    ("Home", "fit the whole region"),
    ("Click", "select; click again at the same spot to cycle"),
    (
        "Esc",
        "clear the selection; cancel moving a pin or drawing a line",
    ),
    ("Ctrl+Z / Ctrl+Shift+Z", "undo / redo a drawing change"),
    ("Delete", "delete the selected annotation"),
    ("Enter", "finish the line being drawn"),
    ("Ctrl+E", "export the map"),
    ("Ctrl+K", "search places, incidents and documents"),
    ("Ctrl+G", "go to a position (decimal, DMS or MGRS)"),
    ("Ctrl+Shift+C", "copy the pointer position"),
    ("M", "measure distances, bearings and areas"),
    (
        "Right-click",
        "copy the position, measure from it, ask what is near",
    ),
    ("Ctrl+Shift+S", "save a screenshot of the map area"),
    ("F1", "this help"),
];

pub(super) fn help_window(app: &mut BadiyaApp, ctx: &egui::Context) {
    let mut open = app.show_help;
    egui::Window::new("Keyboard shortcuts")
        .open(&mut open)
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts").num_columns(2).show(ui, |ui| {
                for (k, v) in SHORTCUTS {
                    ui.monospace(*k);
                    ui.label(*v);
                    ui.end_row();
                }
            });
        });
    if open != app.show_help {
        app.send(Command::ShowHelp(open));
    }
}

pub(super) fn shortcuts(app: &mut BadiyaApp, ctx: &egui::Context) {
    if ctx.egui_wants_keyboard_input() {
        return;
    }
    let (search, goto, copy, measure) = ctx.input_mut(|i| {
        let shift_cmd = egui::Modifiers::COMMAND | egui::Modifiers::SHIFT;
        let copy = i.consume_key(shift_cmd, egui::Key::C);
        (
            i.consume_key(egui::Modifiers::COMMAND, egui::Key::K),
            i.consume_key(egui::Modifiers::COMMAND, egui::Key::G),
            copy,
            i.consume_key(egui::Modifiers::NONE, egui::Key::M),
        )
    });
    if search {
        app.tools.search_focus = true;
    }
    if goto {
        app.tools.goto_open = true;
        app.tools.goto_text.clear();
    }
    if copy {
        super::tools_ui::copy_pointer(app, ctx);
    }
    if measure {
        let tool = if app.tool == super::Tool::Measure {
            super::Tool::Select
        } else {
            super::Tool::Measure
        };
        app.send(Command::SetTool(tool));
    }
    let (undo, redo, export, capture) = ctx.input_mut(|i| {
        let shift_cmd = egui::Modifiers::COMMAND | egui::Modifiers::SHIFT;
        // Shifted shortcuts first: a plain Ctrl+Z would also match Ctrl+Shift+Z.
        let redo = i.consume_key(shift_cmd, egui::Key::Z)
            || i.consume_key(egui::Modifiers::COMMAND, egui::Key::Y);
        let undo = i.consume_key(egui::Modifiers::COMMAND, egui::Key::Z);
        let capture = i.consume_key(shift_cmd, egui::Key::S);
        let export = i.consume_key(egui::Modifiers::COMMAND, egui::Key::E);
        (undo, redo, export, capture)
    });
    if undo {
        app.send(Command::Undo);
    }
    if redo {
        app.send(Command::Redo);
    }
    if export {
        app.send(Command::ShowExport(true));
    }
    if capture {
        app.send(Command::Capture(super::CaptureTarget::File));
    }
    let (plus, minus, home, esc, f1, delete) = ctx.input(|i| {
        (
            i.key_pressed(egui::Key::Plus) || i.key_pressed(egui::Key::Equals),
            i.key_pressed(egui::Key::Minus),
            i.key_pressed(egui::Key::Home),
            i.key_pressed(egui::Key::Escape),
            i.key_pressed(egui::Key::F1),
            i.key_pressed(egui::Key::Delete),
        )
    });
    if delete && let Some(Selection::Annotation(id)) = app.selection {
        app.send(Command::Annotate {
            change: crate::annotate::Change::Delete(id),
            merge: false,
        });
    }
    if plus {
        app.send(Command::ZoomBy(1.0));
    }
    if minus {
        app.send(Command::ZoomBy(-1.0));
    }
    if home {
        app.send(Command::FitRegion);
    }
    if esc {
        if app.placing_name.is_some() {
            app.send(Command::StartPlaceName(None));
        } else if app.moving_pin.is_some() {
            app.send(Command::StartMovePin(None));
        } else if app.tool == super::Tool::Measure {
            // The measure tool's own Esc handling ends it.
        } else if app.tools.temp_pin.is_some() {
            app.tools.temp_pin = None;
        } else {
            app.send(Command::Select(None));
        }
    }
    if f1 {
        app.send(Command::ShowHelp(!app.show_help));
    }
}

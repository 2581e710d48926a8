//! Drawing on the map: the tool bar (tools, colour, width, text size, fill,
//! undo/redo), what each tool does with the pointer, the in-progress draft,
//! and the inspector for a selected annotation. Every change goes through
//! `Command::Annotate`, so each is one undo step.

use egui::{Color32, Response, Sense};

use super::{BadiyaApp, Command, Selection};
use crate::annotate::{AnnoStyle, Annotation, AnnotationKind, Change, LonLat, lon_lat};
use crate::geodata::Rgba;
use crate::scene::{Scene, Shape};

/// The drawing tools.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Tool {
    /// Pan the map; click to select; drag a selected annotation to move it.
    #[default]
    Select,
    Text,
    Arrow,
    Line,
    Rect,
    Ellipse,
    Freehand,
    Pin,
    /// Geodesic distances, bearings and areas (not an annotation until kept).
    Measure,
}

impl Tool {
    pub const ALL: [Tool; 9] = [
        Tool::Select,
        Tool::Text,
        Tool::Arrow,
        Tool::Line,
        Tool::Rect,
        Tool::Ellipse,
        Tool::Freehand,
        Tool::Pin,
        Tool::Measure,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Tool::Select => "Select",
            Tool::Text => "Text",
            Tool::Arrow => "Arrow",
            Tool::Line => "Line",
            Tool::Rect => "Rectangle",
            Tool::Ellipse => "Ellipse",
            Tool::Freehand => "Freehand",
            Tool::Pin => "Pin",
            Tool::Measure => "Measure",
        }
    }

    fn hint(self) -> &'static str {
        match self {
            Tool::Select => "Drag to pan; click an annotation to select it, drag it to move it",
            Tool::Text => "Click where the text goes, then type it in the inspector",
            Tool::Arrow => "Drag from the tail to the head",
            Tool::Line => "Click each vertex; double-click or Enter to finish, Esc to cancel",
            Tool::Rect | Tool::Ellipse => "Drag from one corner to the opposite corner",
            Tool::Freehand => "Drag to draw",
            Tool::Pin => "Click to place a pin, then write its note in the inspector",
            Tool::Measure => {
                "M: click points for geodesic distances and bearings; click the first point to close an area; Shift snaps; Esc ends"
            }
        }
    }
}

/// Colours offered in the tool bar (the picker offers any other).
const PALETTE: [Rgba; 6] = [
    Rgba::rgb(0xd3, 0x2f, 0x2f),
    Rgba::rgb(0x00, 0x57, 0xb8),
    Rgba::rgb(0x1b, 0x7f, 0x3a),
    Rgba::rgb(0xe6, 0x80, 0x00),
    Rgba::rgb(0x6a, 0x1b, 0x9a),
    Rgba::rgb(0x21, 0x21, 0x21),
];

fn to_color32(c: Rgba) -> Color32 {
    crate::render_egui::color32(c)
}

fn from_color32(c: Color32) -> Rgba {
    let [r, g, b, a] = c.to_srgba_unmultiplied();
    Rgba([r, g, b, a])
}

/// Style controls; returns the edited style.
fn style_ui(ui: &mut egui::Ui, style: &AnnoStyle) -> AnnoStyle {
    let mut s = *style;
    for c in PALETTE {
        let (rect, response) = ui.allocate_exact_size(egui::vec2(16.0, 16.0), Sense::click());
        let selected = s.color == c;
        ui.painter().rect_filled(rect, 3.0, to_color32(c));
        if selected {
            ui.painter().rect_stroke(
                rect.expand(1.5),
                3.0,
                egui::Stroke::new(2.0, ui.visuals().strong_text_color()),
                egui::StrokeKind::Outside,
            );
        }
        if response.on_hover_text("colour").clicked() {
            s.color = c;
        }
    }
    let mut color = to_color32(s.color);
    if ui.color_edit_button_srgba(&mut color).changed() {
        s.color = from_color32(color);
    }
    ui.add(
        egui::DragValue::new(&mut s.stroke_width)
            .range(0.5..=12.0)
            .speed(0.1)
            .prefix("width "),
    );
    ui.add(
        egui::DragValue::new(&mut s.font_size)
            .range(8.0..=48.0)
            .speed(0.2)
            .prefix("text "),
    );
    ui.checkbox(&mut s.fill, "fill");
    s
}

/// The drawing tool bar above the map.
pub(super) fn toolbar_ui(app: &mut BadiyaApp, ui: &mut egui::Ui) {
    egui::Panel::top("draw_toolbar").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.weak("Draw:");
            for tool in Tool::ALL {
                if ui
                    .selectable_label(app.tool == tool, tool.label())
                    .on_hover_text(tool.hint())
                    .clicked()
                {
                    app.send(Command::SetTool(tool));
                }
            }
            ui.separator();
            let edited = style_ui(ui, &app.anno_style);
            if edited != app.anno_style {
                app.anno_style = edited;
            }
            ui.separator();
            if ui
                .add_enabled(app.can_undo(), egui::Button::new("Undo"))
                .on_hover_text("Ctrl+Z")
                .clicked()
            {
                app.send(Command::Undo);
            }
            if ui
                .add_enabled(app.can_redo(), egui::Button::new("Redo"))
                .on_hover_text("Ctrl+Shift+Z")
                .clicked()
            {
                app.send(Command::Redo);
            }
            ui.separator();
            if ui.button("Export…").on_hover_text("Ctrl+E").clicked() {
                app.send(Command::ShowExport(true));
            }
            if ui
                .button("Copy view")
                .on_hover_text("Copy the map area to the clipboard")
                .clicked()
            {
                app.send(Command::Capture(super::export_ui::CaptureTarget::Clipboard));
            }
            if ui
                .button("Save screenshot")
                .on_hover_text("Ctrl+Shift+S")
                .clicked()
            {
                app.send(Command::Capture(super::export_ui::CaptureTarget::File));
            }
        });
    });
}

/// An annotation being drawn, in lon/lat.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draft {
    pub points: Vec<LonLat>,
}

fn kind_for(tool: Tool, points: &[LonLat]) -> Option<AnnotationKind> {
    let first = *points.first()?;
    let last = *points.last()?;
    match tool {
        Tool::Arrow => Some(AnnotationKind::Arrow {
            from: first,
            to: last,
        }),
        Tool::Rect => Some(AnnotationKind::Rect { a: first, b: last }),
        Tool::Ellipse => Some(AnnotationKind::Ellipse { a: first, b: last }),
        Tool::Line if points.len() >= 2 => Some(AnnotationKind::Polyline {
            points: points.to_vec(),
        }),
        Tool::Freehand if points.len() >= 2 => Some(AnnotationKind::Freehand {
            points: points.to_vec(),
        }),
        Tool::Text => Some(AnnotationKind::Text { at: first }),
        Tool::Pin => Some(AnnotationKind::Pin {
            at: first,
            note: String::new(),
        }),
        _ => None,
    }
}

/// Shapes for the draft, drawn over the map while the analyst draws.
pub(super) fn draft_shapes(app: &BadiyaApp, scene: &Scene) -> Vec<Shape> {
    let Some(draft) = &app.draft else {
        return Vec::new();
    };
    let mut points = draft.points.clone();
    if app.tool == Tool::Line
        && let Some(c) = app.cursor
    {
        points.push(lon_lat(c.0, c.1));
    }
    match kind_for(app.tool, &points) {
        Some(kind) => Annotation::new(kind)
            .with_style(app.anno_style)
            .shapes(scene),
        None => Vec::new(),
    }
}

/// Gives the pointer to the active tool. Returns true when the tool used the
/// input, so the map does not also pan or select.
pub(super) fn tool_input(app: &mut BadiyaApp, response: &Response, rect: egui::Rect) -> bool {
    let local = |p: egui::Pos2| [f64::from(p.x - rect.min.x), f64::from(p.y - rect.min.y)];
    let pointer_geo = |app: &BadiyaApp| {
        response
            .interact_pointer_pos()
            .or_else(|| response.hover_pos())
            .and_then(|p| app.camera.geo_from_screen(local(p)))
            .map(|(lon, lat)| lon_lat(lon, lat))
    };
    match app.tool {
        Tool::Select => {
            if response.drag_started_by(egui::PointerButton::Primary) {
                let origin = response.ctx.input(|i| i.pointer.press_origin());
                if let Some(p) = origin.or_else(|| response.interact_pointer_pos()) {
                    let id = app.annotations.pick(&app.camera, local(p), 6.0);
                    if let Some(id) = id {
                        app.send(Command::Select(Some(Selection::Annotation(id))));
                        app.anno_drag = Some(id);
                    }
                }
            }
            let Some(id) = app.anno_drag else {
                return false;
            };
            if response.dragged() {
                let d = response.drag_delta();
                if d != egui::Vec2::ZERO {
                    let change =
                        Change::move_by_px(id, &app.camera, f64::from(d.x), f64::from(d.y));
                    app.send(Command::Annotate {
                        change,
                        merge: true,
                    });
                }
            }
            if response.drag_stopped() {
                app.send(Command::EndAnnotationGesture);
                app.anno_drag = None;
            }
            true
        }
        Tool::Arrow | Tool::Rect | Tool::Ellipse | Tool::Freehand => {
            if response.drag_started_by(egui::PointerButton::Primary) {
                // A drag is recognised only after the pointer has moved a little:
                // start the shape where the button went down.
                let origin = response.ctx.input(|i| i.pointer.press_origin());
                let start = origin
                    .and_then(|p| app.camera.geo_from_screen(local(p)))
                    .map(|(lon, lat)| lon_lat(lon, lat));
                let now = pointer_geo(app);
                app.draft = start.or(now).map(|s| Draft {
                    points: vec![s, now.unwrap_or(s)],
                });
            } else if response.dragged()
                && let (Some(draft), Some(p)) = (
                    app.draft.as_mut(),
                    pointer_geo_static(response, rect, &app.camera),
                )
            {
                if app.tool == Tool::Freehand {
                    draft.points.push(p);
                } else if let Some(last) = draft.points.last_mut() {
                    *last = p;
                }
            }
            if response.drag_stopped()
                && let Some(draft) = app.draft.take()
            {
                commit(app, &draft.points);
            }
            true
        }
        Tool::Line => {
            if response.double_clicked() {
                if let Some(draft) = app.draft.take() {
                    // The double-click's first click added the last vertex already.
                    commit(app, &draft.points);
                }
            } else if response.clicked()
                && let Some(p) = pointer_geo(app)
            {
                app.draft.get_or_insert_with(Draft::default).points.push(p);
            }
            // Dragging still pans while drawing a line.
            false
        }
        // Measuring is handled by the map once the scene is built (snapping needs it).
        Tool::Measure => false,
        Tool::Text | Tool::Pin => {
            if response.clicked()
                && let Some(p) = pointer_geo(app)
            {
                commit(app, &[p]);
                app.send(Command::SetTool(Tool::Select));
            }
            response.clicked()
        }
    }
}

fn pointer_geo_static(
    response: &Response,
    rect: egui::Rect,
    camera: &crate::camera::Camera,
) -> Option<LonLat> {
    let p = response.interact_pointer_pos()?;
    let (lon, lat) =
        camera.geo_from_screen([f64::from(p.x - rect.min.x), f64::from(p.y - rect.min.y)])?;
    Some(lon_lat(lon, lat))
}

/// Adds the drawn annotation (as one undo step) and selects it.
fn commit(app: &mut BadiyaApp, points: &[LonLat]) {
    // Ignore a click that drew nothing (two corners on the same pixel).
    let degenerate = match (points.first(), points.last()) {
        (Some(a), Some(b)) => {
            let pa = app.camera.screen_from_geo(a[0], a[1]);
            let pb = app.camera.screen_from_geo(b[0], b[1]);
            (pa[0] - pb[0]).hypot(pa[1] - pb[1]) < 3.0
                && !matches!(app.tool, Tool::Text | Tool::Pin)
        }
        _ => true,
    };
    if degenerate {
        return;
    }
    let Some(kind) = kind_for(app.tool, points) else {
        return;
    };
    let text = match app.tool {
        Tool::Text => "Label",
        Tool::Pin => "Note",
        _ => "",
    };
    let annotation = Annotation::new(kind)
        .with_style(app.anno_style)
        .with_text(text);
    app.send(Command::Annotate {
        change: Change::Add(annotation),
        merge: false,
    });
    app.send(Command::SelectNewestAnnotation);
}

/// Finishes or cancels a polyline from the keyboard.
pub(super) fn line_keys(app: &mut BadiyaApp, ctx: &egui::Context) {
    if app.tool != Tool::Line || app.draft.is_none() {
        return;
    }
    let (enter, esc) = ctx.input(|i| {
        (
            i.key_pressed(egui::Key::Enter),
            i.key_pressed(egui::Key::Escape),
        )
    });
    if enter {
        if let Some(draft) = app.draft.take() {
            commit(app, &draft.points);
        }
    } else if esc {
        app.draft = None;
    }
}

/// The inspector for a selected annotation: text, note, style, delete.
pub(super) fn annotation_inspector_ui(app: &mut BadiyaApp, ui: &mut egui::Ui, id: u64) {
    let Some(annotation) = app.annotations.get(id).cloned() else {
        ui.weak("This annotation is gone.");
        return;
    };
    ui.label(
        egui::RichText::new(format!("Annotation: {}", annotation.kind.name()))
            .size(18.0)
            .strong(),
    );
    ui.weak("Drawn on the map in geographic coordinates; saved with the workspace.");
    ui.add_space(6.0);
    let label = match annotation.kind {
        AnnotationKind::Text { .. } => "Text",
        AnnotationKind::Pin { .. } => "Title",
        _ => "Caption",
    };
    let l = ui.label(label);
    let mut text = annotation.text.clone();
    let response = ui
        .add(
            egui::TextEdit::multiline(&mut text)
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id);
    if response.changed() {
        app.send(Command::Annotate {
            change: Change::SetText { id, text },
            merge: true,
        });
    }
    if response.lost_focus() {
        app.send(Command::EndAnnotationGesture);
    }
    if let AnnotationKind::Pin { note, .. } = &annotation.kind {
        let l = ui.label("Note");
        let mut note = note.clone();
        let response = ui
            .add(
                egui::TextEdit::multiline(&mut note)
                    .desired_rows(3)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(l.id);
        if response.changed() {
            app.send(Command::Annotate {
                change: Change::SetNote { id, note },
                merge: true,
            });
        }
        if response.lost_focus() {
            app.send(Command::EndAnnotationGesture);
        }
    }
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        let style = style_ui(ui, &annotation.style);
        if style != annotation.style {
            app.send(Command::Annotate {
                change: Change::SetStyle { id, style },
                merge: false,
            });
        }
    });
    ui.add_space(6.0);
    if ui
        .button("Delete annotation")
        .on_hover_text("Delete key")
        .clicked()
    {
        app.send(Command::Annotate {
            change: Change::Delete(id),
            merge: false,
        });
    }
}

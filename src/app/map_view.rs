//! The map widget: paints the scene, turns pointer and keyboard input into
//! camera moves, hover tooltips and selection (incident markers first, then
//! the nearest/smallest feature; click again at the same spot to cycle).

use egui::{Pos2, Sense};

use super::{BadiyaApp, ClickCycle, Command, Selection, Target};
use crate::incidents::Edit;
use crate::scene::Scene;

/// A drawn scene's shapes with their meshes moved into GPU buffers: each
/// mesh becomes a run drawn by a paint callback; labels (and any mesh the
/// GPU painter cannot draw) stay egui shapes, in their order.
fn onto_gpu(
    shapes: Vec<egui::Shape>,
) -> (
    Vec<super::Painted>,
    std::sync::Arc<crate::map_gpu::MapMeshes>,
) {
    let mut meshes = crate::map_gpu::MapMeshes::new();
    let items = shapes
        .into_iter()
        .map(|shape| match &shape {
            egui::Shape::Mesh(mesh) => match meshes.push(mesh) {
                Some(run) => super::Painted::Run(run),
                None => super::Painted::Shape(shape),
            },
            _ => super::Painted::Shape(shape),
        })
        .collect();
    (items, std::sync::Arc::new(meshes))
}

/// Pointer tolerance for picking features, in screen points.
const PICK_TOLERANCE_PX: f64 = 6.0;

pub(super) fn map_ui(app: &mut BadiyaApp, ui: &mut egui::Ui) {
    let rect = ui.available_rect_before_wrap();
    let response = ui.allocate_rect(rect, Sense::click_and_drag());
    app.map_rect = Some(rect);
    let (w, h) = (f64::from(rect.width()), f64::from(rect.height()));
    if (app.camera.width_px - w).abs() > 0.5 || (app.camera.height_px - h).abs() > 0.5 {
        app.resize_map(w, h);
    }
    app.apply_pending_view();

    let local = |p: Pos2| [f64::from(p.x - rect.min.x), f64::from(p.y - rect.min.y)];

    // The drawing tool gets the pointer first.
    let tool_used = super::annotate_ui::tool_input(app, &response, rect);

    // Pan by dragging (the middle button always pans).
    app.panning = (!tool_used && response.dragged_by(egui::PointerButton::Primary))
        || response.dragged_by(egui::PointerButton::Middle);
    if app.panning {
        let d = response.drag_delta();
        if d != egui::Vec2::ZERO {
            app.move_camera(app.camera.panned(f64::from(d.x), f64::from(d.y)));
        }
    }
    // Zoom with the wheel (or pinch) around the pointer.
    if let Some(pointer) = response.hover_pos() {
        let (scroll, pinch) = ui.input(|i| (i.smooth_scroll_delta().y, i.zoom_delta()));
        let mut delta = f64::from(scroll) / 120.0;
        if (pinch - 1.0).abs() > f32::EPSILON {
            delta += f64::from(pinch).log2();
        }
        if delta.abs() > 1e-6 {
            app.move_camera(app.camera.zoomed_at(delta, local(pointer)));
        }
        if response.double_clicked() && app.tool == super::Tool::Select {
            app.move_camera(app.camera.zoomed_at(1.0, local(pointer)));
        }
    }

    let scene = app.shared_scene();
    let measured = app.tool == super::Tool::Measure
        && super::tools_ui::measure_input(app, &response, rect, &scene);

    // Hover: what is under the pointer (not in a scripted screenshot).
    app.cursor = response
        .hover_pos()
        .and_then(|p| app.camera.geo_from_screen(local(p)));
    // Nothing is hovered while the map is dragged: its tooltip is not
    // shown then, and a cluster under the pointer of a stress corpus holds
    // thousands of incidents.
    let hover_targets = response
        .hover_pos()
        .filter(|_| app.screenshot.is_none() && !app.panning)
        .map(|p| targets_at(app, &scene, local(p)));
    app.hovered = hover_targets.as_ref().and_then(|t| {
        t.iter().find_map(|t| match t {
            Target::Feature(p) => Some(p.feature),
            Target::Incident(_) => None,
        })
    });

    if response.clicked()
        && !tool_used
        && !measured
        && app.tool == super::Tool::Select
        && let Some(p) = response.interact_pointer_pos()
    {
        click(app, &scene, p, local(p));
    }

    let painter = ui.painter_at(rect);
    // Where the scene's corner is: the view's, or during a pan wherever the
    // drag has moved the scene drawn with a margin.
    let [ox, oy] = app.scene_offset();
    let origin = rect.min + egui::vec2(ox, oy);
    // A scene drawn again (nothing moved) reuses its tessellated shapes; a
    // pan moves them.
    let key = (
        app.scene_generation(),
        rect.min,
        ui.ctx().pixels_per_point(),
    );
    if app.paint_cache.as_ref().is_none_or(|c| c.key != key) {
        app.paint_cache =
            crate::render_egui::prepared_shapes(&painter, origin, &scene).map(|shapes| {
                let (items, meshes) = if app.options.map_on_gpu {
                    onto_gpu(shapes)
                } else {
                    (
                        shapes.into_iter().map(super::Painted::Shape).collect(),
                        std::sync::Arc::default(),
                    )
                };
                super::PaintCache {
                    key,
                    origin,
                    items: std::sync::Arc::new(items),
                    meshes,
                }
            });
    }
    match &app.paint_cache {
        Some(cache) => {
            let by = origin - cache.origin;
            let clip = painter.clip_rect();
            painter.extend(cache.items.iter().map(|item| match item {
                super::Painted::Shape(s) if by == egui::Vec2::ZERO => s.clone(),
                super::Painted::Shape(s) => {
                    let mut s = s.clone();
                    s.translate(by);
                    s
                }
                super::Painted::Run(run) => cache.meshes.callback(*run, by, clip),
            }));
        }
        None => crate::render_egui::paint_scene(&painter, origin, &scene),
    }
    let draft = Scene {
        shapes: super::annotate_ui::draft_shapes(app, &scene),
        ..Scene::new(scene.camera, crate::geodata::Rgba::TRANSPARENT)
    };
    crate::render_egui::paint_shapes(&painter, origin, &draft);
    let tools = Scene {
        shapes: super::tools_ui::overlay_shapes(app, &scene),
        ..Scene::new(scene.camera, crate::geodata::Rgba::TRANSPARENT)
    };
    crate::render_egui::paint_shapes(&painter, origin, &tools);
    if let Some(name) = &app.placing_name {
        painter.text(
            rect.center_top() + egui::vec2(0.0, 16.0),
            egui::Align2::CENTER_CENTER,
            format!("Click the map where “{name}” is (Esc cancels)"),
            egui::FontId::proportional(15.0),
            egui::Color32::from_rgb(0x00, 0x5a, 0xc0),
        );
    } else if app.moving_pin.is_some() {
        painter.text(
            rect.center_top() + egui::vec2(0.0, 16.0),
            egui::Align2::CENTER_CENTER,
            "Click the map where the incident happened (Esc cancels)",
            egui::FontId::proportional(15.0),
            egui::Color32::from_rgb(0x00, 0x5a, 0xc0),
        );
    }

    if response.secondary_clicked() {
        app.context_at = app.cursor;
    }
    let context_at = app.context_at;
    response.context_menu(|ui| {
        let Some((lon, lat)) = context_at else {
            ui.weak("off the map");
            return;
        };
        ui.weak(app.tools.copy_format.show(lon, lat));
        for f in super::tools_ui::CoordFormat::ALL {
            if ui
                .button(format!("Copy position as {}", f.label()))
                .clicked()
            {
                let text = f.write(lon, lat);
                ui.ctx().copy_text(text.clone());
                app.messages.push(format!("copied {text}"));
                ui.close();
            }
        }
        ui.separator();
        if ui.button("Measure from here").clicked() {
            app.tools.measure = super::tools_ui::Measure {
                points: vec![[lon, lat]],
                ..Default::default()
            };
            app.send(Command::SetTool(super::Tool::Measure));
            ui.close();
        }
        if ui.button("Incidents within 25 km of here…").clicked() {
            super::tools_ui::ask(
                app,
                crate::analysis::Question {
                    reference: crate::analysis::Reference::Shape {
                        name: app.tools.copy_format.show(lon, lat),
                        points: vec![[lon, lat]],
                        closed: false,
                    },
                    km: 25.0,
                },
            );
            app.tools.question_open = true;
            ui.close();
        }
    });
    pick_list_ui(app, ui, response.clicked());
    if let Some(targets) = hover_targets.filter(|t| !t.is_empty())
        && !response.dragged()
    {
        let lines: Vec<String> = targets.iter().take(5).map(|t| describe(app, t)).collect();
        let more = targets.len().saturating_sub(5);
        // Over a cluster: how many, of which types, and what a click does.
        let incidents: Vec<&crate::incidents::Incident> = targets
            .iter()
            .filter_map(|t| match t {
                Target::Incident(id) => app.corpus.incident(id),
                Target::Feature(_) => None,
            })
            .collect();
        let summary = (incidents.len() > 1).then(|| {
            let mut by_type: Vec<(crate::incidents::EventType, usize)> = Vec::new();
            for i in &incidents {
                match by_type.iter_mut().find(|(t, _)| *t == i.event_type) {
                    Some((_, n)) => *n += 1,
                    None => by_type.push((i.event_type, 1)),
                }
            }
            by_type.sort_by_key(|t| std::cmp::Reverse(t.1));
            by_type
        });
        let total = incidents.len();
        response.on_hover_ui_at_pointer(|ui| {
            if let Some(by_type) = &summary {
                ui.strong(format!("{total} incidents"));
                for (t, n) in by_type {
                    ui.horizontal(|ui| {
                        super::incidents_ui::symbol_swatch(ui, *t);
                        ui.label(format!("{n} {}", t.label()));
                    });
                }
                ui.separator();
            }
            for (i, n) in lines.iter().enumerate() {
                if i == 0 {
                    ui.strong(n);
                } else {
                    ui.label(n);
                }
            }
            if summary.is_some() {
                if more > 0 {
                    ui.weak(format!("and {more} more"));
                }
                ui.weak("click to zoom to them, or to list them when they share one spot");
            } else if more > 0 {
                ui.weak(format!("and {more} more — click again to cycle"));
            } else if lines.len() > 1 {
                ui.weak("click again to cycle");
            }
        });
    }
}

/// The incidents of a cluster that share one spot, listed beside it: a click
/// on one selects it; a click elsewhere or Escape closes the list.
fn pick_list_ui(app: &mut BadiyaApp, ui: &mut egui::Ui, map_clicked: bool) {
    let Some((at, ids)) = app.pick_list.clone() else {
        return;
    };
    let mut chosen: Option<String> = None;
    let area = egui::Area::new(egui::Id::unique("cluster_pick_list"))
        .fixed_pos(at + egui::vec2(12.0, -8.0))
        .order(egui::Order::Foreground)
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.strong(format!("{} incidents at this spot", ids.len()));
                egui::ScrollArea::vertical()
                    .max_height(260.0)
                    .show(ui, |ui| {
                        for id in &ids {
                            let Some(i) = app.corpus.incident(id) else {
                                continue;
                            };
                            let date = super::incidents_ui::short_date(i);
                            ui.horizontal(|ui| {
                                super::incidents_ui::symbol_swatch(ui, i.event_type);
                                if ui
                                    .selectable_label(
                                        false,
                                        format!(
                                            "{} — {} ({date})",
                                            i.event_type.label(),
                                            i.place.canonical
                                        ),
                                    )
                                    .clicked()
                                {
                                    chosen = Some(id.clone());
                                }
                            });
                        }
                    });
            });
        });
    if let Some(id) = chosen {
        app.send(Command::Select(Some(Selection::Incident(id))));
        app.pick_list = None;
    } else if (area.response.clicked_elsewhere() && !map_clicked)
        || ui.input(|i| i.key_pressed(egui::Key::Escape))
    {
        // A click on the map itself opened this list or closed it already.
        app.pick_list = None;
    }
}

/// How near a gazetteer place a dropped pin must fall to stand for it.
pub(super) const PIN_SNAP_KM: f64 = 3.0;

/// The place a pin dropped at (lon, lat) stands for: the gazetteer's town,
/// village or site within [`PIN_SNAP_KM`], else a custom point; precision 1
/// either way, since the analyst put it there.
pub(super) fn pin_place(app: &BadiyaApp, lon: f64, lat: f64) -> (crate::incidents::Place, u8) {
    match app.corpus.gazetteer.nearest_place(lon, lat, PIN_SNAP_KM) {
        Some(e) => (
            crate::incidents::Place {
                gazetteer_id: Some(e.id.clone()),
                name: e.name.clone(),
                canonical: e.name.clone(),
                not_found: None,
            },
            1,
        ),
        None => (
            crate::incidents::Place {
                gazetteer_id: None,
                name: "custom point".into(),
                canonical: format!("custom point, {}", crate::coords::decimal(lon, lat)),
                not_found: None,
            },
            1,
        ),
    }
}

fn describe(app: &BadiyaApp, target: &Target) -> String {
    match target {
        Target::Incident(id) => app.corpus.incident(id).map_or_else(String::new, |i| {
            let date = super::incidents_ui::short_date(i);
            format!("{} — {} ({date})", i.event_type.label(), i.place.canonical)
        }),
        Target::Feature(pick) => app
            .feature(pick.feature)
            .map(|(layer, f)| {
                format!(
                    "{} — {}",
                    f.name.clone().unwrap_or_else(|| "(unnamed)".into()),
                    layer.spec.name
                )
            })
            .unwrap_or_default(),
    }
}

/// Incidents under the pointer (from the scene's markers), then features.
/// The scene's markers and clusters under a view point (the scene may be
/// one moved by a pan), in draw order.
fn hits_at<'s>(app: &BadiyaApp, scene: &'s Scene, at: [f64; 2]) -> Vec<&'s crate::scene::Hit> {
    let [ox, oy] = app.scene_offset();
    #[allow(clippy::cast_possible_truncation)]
    let p = [at[0] as f32 - ox, at[1] as f32 - oy];
    app.hits_under(p)
        .into_iter()
        .filter_map(|h| scene.hits.get(h))
        .filter(|h| h.holds(p))
        .collect()
}

fn targets_at(app: &BadiyaApp, scene: &Scene, at: [f64; 2]) -> Vec<Target> {
    let mut out = Vec::new();
    for hit in hits_at(app, scene, at) {
        for &k in &hit.ids {
            if let Some(i) = app.corpus.incidents().get(k) {
                out.push(Target::Incident(i.id.clone()));
            }
        }
    }
    let m = app.camera.merc_from_screen(at);
    let tolerance = PICK_TOLERANCE_PX * app.camera.m_per_px();
    let layers = &app.layers;
    let data = &app.data;
    let zoom = app.camera.zoom;
    out.extend(
        app.index
            .pick([m.x, m.y], tolerance, &|l| {
                layers.get(l).is_none_or(|s| s.visible)
                    && data
                        .layers
                        .get(l)
                        .is_none_or(|layer| zoom >= layer.spec.draw_min_zoom)
            })
            .into_iter()
            .map(Target::Feature),
    );
    out
}

fn click(app: &mut BadiyaApp, scene: &Scene, p: Pos2, at: [f64; 2]) {
    app.pick_list = None;
    if let Some(name) = app.placing_name.clone() {
        if let Some((lon, lat)) = app.camera.geo_from_screen(at) {
            app.send(Command::AddAnalystPlace { name, lon, lat });
        }
        return;
    }
    if let Some(id) = app.moving_pin.clone() {
        if let Some((lon, lat)) = app.camera.geo_from_screen(at) {
            let (place, geo_precision) = pin_place(app, lon, lat);
            app.send(Command::Edit(Edit::Move {
                id,
                lon,
                lat,
                place: Some(place),
                geo_precision: Some(geo_precision),
            }));
        }
        app.send(Command::StartMovePin(None));
        return;
    }
    // Annotations lie on top of everything else.
    if let Some(id) = app.annotations.pick(&app.camera, at, 6.0) {
        app.send(Command::Select(Some(Selection::Annotation(id))));
        app.click_cycle = None;
        return;
    }
    // A cluster: zoom to the extent of what it holds; when its incidents
    // share one spot, list them to pick from.
    let cluster = hits_at(app, scene, at)
        .into_iter()
        .find(|h| h.ids.len() > 1);
    if let Some(hit) = cluster {
        let incidents = app.corpus.incidents();
        let members: Vec<&crate::incidents::Incident> =
            hit.ids.iter().filter_map(|&k| incidents.get(k)).collect();
        let (mut min, mut max) = ([f64::MAX; 2], [f64::MIN; 2]);
        for i in &members {
            min = [min[0].min(i.lon), min[1].min(i.lat)];
            max = [max[0].max(i.lon), max[1].max(i.lat)];
        }
        let spread = max[0] - min[0] > 1e-6 || max[1] - min[1] > 1e-6;
        let fitted = spread.then(|| {
            // A margin of a fifth of the extent on each side, so that no
            // member lands on the edge.
            let (mx, my) = ((max[0] - min[0]) * 0.2, (max[1] - min[1]) * 0.2);
            crate::camera::Camera::fit_lon_lat(
                [min[0] - mx, min[1] - my],
                [max[0] + mx, max[1] + my],
                app.camera.width_px,
                app.camera.height_px,
            )
        });
        match fitted {
            Some(c) if c.zoom > app.camera.zoom + 0.25 => {
                app.move_camera(c.clamped());
            }
            // Already as close as the map goes, or one spot: pick from a list.
            _ => {
                app.pick_list = Some((p, members.iter().map(|i| i.id.clone()).collect()));
            }
        }
        app.click_cycle = None;
        return;
    }
    let targets = targets_at(app, scene, at);
    // Cycling keeps its place when the pointer moved a little between
    // clicks, even if an edge of another feature came under it.
    let same_spot = app.click_cycle.as_ref().is_some_and(|c| {
        c.at.distance(p) < 10.0
            && !c.picks.is_empty()
            && c.picks.iter().all(|t| targets.contains(t))
    });
    let targets = match (&app.click_cycle, same_spot) {
        (Some(c), true) => c.picks.clone(),
        _ => targets,
    };
    let index = if same_spot {
        app.click_cycle
            .as_ref()
            .map_or(0, |c| (c.index + 1) % targets.len().max(1))
    } else {
        0
    };
    let selection = targets.get(index).map(|t| match t {
        Target::Incident(id) => Selection::Incident(id.clone()),
        Target::Feature(pick) => Selection::Feature(pick.feature),
    });
    app.send(Command::Select(selection));
    app.click_cycle = Some(ClickCycle {
        at: p,
        picks: targets,
        index,
    });
}

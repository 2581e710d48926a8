//! The map widget: paints the scene, turns pointer and keyboard input into
//! camera moves, hover tooltips and selection (nearest/smallest first, click
//! again to cycle through what lies under the pointer).

use egui::{Pos2, Sense};

use super::{BadiyaApp, ClickCycle, Command, Selection};
use crate::spatial::Pick;

/// Pointer tolerance for picking, in screen points.
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

    // Pan by dragging.
    if response.dragged_by(egui::PointerButton::Primary)
        || response.dragged_by(egui::PointerButton::Middle)
    {
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
        if response.double_clicked() {
            app.move_camera(app.camera.zoomed_at(1.0, local(pointer)));
        }
    }

    // Hover: what is under the pointer.
    app.cursor = response
        .hover_pos()
        .and_then(|p| app.camera.geo_from_screen(local(p)));
    // A scripted screenshot shows the map as it is, not what a stray pointer hovers.
    let hover_picks = response
        .hover_pos()
        .filter(|_| app.screenshot.is_none())
        .map(|p| picks_at(app, local(p)));
    app.hovered = hover_picks
        .as_ref()
        .and_then(|p| p.first())
        .map(|p| p.feature);

    // Click: select, or cycle when clicking the same spot again.
    if response.clicked()
        && let Some(p) = response.interact_pointer_pos()
    {
        let picks = picks_at(app, local(p));
        let same_spot = app
            .click_cycle
            .as_ref()
            .is_some_and(|c| c.at.distance(p) < 4.0 && c.picks == picks);
        let index = if same_spot {
            app.click_cycle
                .as_ref()
                .map_or(0, |c| (c.index + 1) % picks.len().max(1))
        } else {
            0
        };
        let selection = picks
            .get(index)
            .map(|pick| Selection::Feature(pick.feature));
        app.send(Command::Select(selection));
        app.click_cycle = Some(ClickCycle {
            at: p,
            picks,
            index,
        });
    }

    let scene = app.scene().clone();
    let painter = ui.painter_at(rect);
    crate::render_egui::paint_scene(&painter, rect.min, &scene);

    if let Some(picks) = hover_picks.filter(|p| !p.is_empty())
        && !response.dragged()
    {
        let names: Vec<String> = picks
            .iter()
            .take(4)
            .filter_map(|pick| {
                let (layer, f) = app.feature(pick.feature)?;
                Some(format!(
                    "{} — {}",
                    f.name.clone().unwrap_or_else(|| "(unnamed)".into()),
                    layer.spec.name
                ))
            })
            .collect();
        let more = picks.len().saturating_sub(4);
        response.on_hover_ui_at_pointer(|ui| {
            for (i, n) in names.iter().enumerate() {
                if i == 0 {
                    ui.strong(n);
                } else {
                    ui.label(n);
                }
            }
            if more > 0 {
                ui.weak(format!("and {more} more — click again to cycle"));
            } else if names.len() > 1 {
                ui.weak("click again to cycle");
            }
        });
    }
}

fn picks_at(app: &BadiyaApp, at: [f64; 2]) -> Vec<Pick> {
    let m = app.camera.merc_from_screen(at);
    let tolerance = PICK_TOLERANCE_PX * app.camera.m_per_px();
    let layers = &app.layers;
    app.index.pick([m.x, m.y], tolerance, &|l| {
        layers.get(l).is_none_or(|s| s.visible)
    })
}

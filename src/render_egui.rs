//! Draws a `scene::Scene` with an `egui::Painter`. Map polygons come with
//! their earcut tessellation (computed once, in Web Mercator) and are mapped
//! through the scene's camera into an `egui::Mesh`; small shapes such as
//! symbols are tessellated on the fly.

use egui::{Color32, Mesh, Painter, Pos2, Rect, Shape as EShape, Stroke as EStroke, epaint};

use crate::geodata::Rgba;
use crate::scene::{Anchor, Pt, Scene, Shape, Stroke, Triangles};

/// egui colour of a scene colour.
pub fn color32(c: Rgba) -> Color32 {
    let [r, g, b, a] = c.0;
    Color32::from_rgba_unmultiplied(r, g, b, a)
}

fn pos(origin: Pos2, p: Pt) -> Pos2 {
    Pos2::new(origin.x + p[0], origin.y + p[1])
}

fn estroke(s: &Stroke) -> EStroke {
    EStroke::new(s.width, color32(s.color))
}

/// Where painted shapes go: straight to the painter, or into a list kept
/// for the frames that draw the same scene again.
struct Sink<'a> {
    painter: &'a Painter,
    kept: Option<&'a mut Vec<EShape>>,
}

impl Sink<'_> {
    fn add(&mut self, shape: EShape) {
        match &mut self.kept {
            Some(kept) => kept.push(shape),
            None => {
                self.painter.add(shape);
            }
        }
    }

    fn text(
        &mut self,
        at: Pos2,
        align: egui::Align2,
        text: &str,
        font: egui::FontId,
        color: Color32,
    ) {
        let galley = self.painter.layout_no_wrap(text.to_owned(), font, color);
        if !galley.is_empty() {
            let rect = align.anchor_size(at, galley.size());
            self.add(EShape::galley(rect.min, galley, color));
        }
    }
}

/// Paints `scene` with its top-left corner at `origin`, clipped to the painter's clip rect.
pub fn paint_scene(painter: &Painter, origin: Pos2, scene: &Scene) {
    paint_scene_into(
        &mut Sink {
            painter,
            kept: None,
        },
        origin,
        scene,
    );
}

fn paint_scene_into(sink: &mut Sink<'_>, origin: Pos2, scene: &Scene) {
    let [w, h] = scene.size();
    sink.add(EShape::rect_filled(
        Rect::from_min_size(origin, egui::vec2(w, h)),
        0.0,
        color32(scene.background),
    ));
    shapes_into(sink, origin, scene);
}

/// Paints a scene's shapes without its background.
pub fn paint_shapes(painter: &Painter, origin: Pos2, scene: &Scene) {
    shapes_into(
        &mut Sink {
            painter,
            kept: None,
        },
        origin,
        scene,
    );
}

/// `scene` as egui shapes, for a frame that draws it again: every outline,
/// fill and symbol tessellated once into meshes (a mesh for each run of
/// them between two labels, so the order of drawing stays), the labels laid
/// out once. `None` for a scene with clipped groups (insets), which is
/// painted afresh.
pub fn prepared_shapes(painter: &Painter, origin: Pos2, scene: &Scene) -> Option<Vec<EShape>> {
    if scene
        .shapes
        .iter()
        .any(|s| matches!(s, Shape::Group { .. }))
    {
        return None;
    }
    let mut kept = Vec::new();
    paint_scene_into(
        &mut Sink {
            painter,
            kept: Some(&mut kept),
        },
        origin,
        scene,
    );
    let ctx = painter.ctx();
    let mut tessellator = epaint::Tessellator::new(
        ctx.pixels_per_point(),
        ctx.tessellation_options(|o| *o),
        ctx.fonts(|f| f.font_image_size()),
        Vec::new(),
    );
    let mut out = Vec::new();
    let mut mesh = Mesh::default();
    for shape in kept {
        if matches!(shape, EShape::Text(_)) {
            if !mesh.is_empty() {
                out.push(EShape::mesh(std::mem::take(&mut mesh)));
            }
            out.push(shape);
        } else {
            tessellator.tessellate_shape(shape, &mut mesh);
        }
    }
    if !mesh.is_empty() {
        out.push(EShape::mesh(mesh));
    }
    Some(out)
}

fn shapes_into(sink: &mut Sink<'_>, origin: Pos2, scene: &Scene) {
    let painter = sink.painter;
    for shape in &scene.shapes {
        match shape {
            Shape::Area {
                rings,
                triangles,
                fill,
                stroke,
            } => {
                if let Some(fill) = fill {
                    // An outline simplified to far fewer vertices than its
                    // full tessellation is tessellated again as drawn.
                    let drawn: usize = rings.iter().map(Vec::len).sum();
                    let mesh = match triangles {
                        Some(t) if t.vertices.len() <= 2 * drawn + 16 => {
                            mesh_from_triangles(scene, origin, t, color32(*fill))
                        }
                        _ => mesh_from_rings(origin, rings, color32(*fill)),
                    };
                    sink.add(EShape::mesh(mesh));
                }
                if let Some(stroke) = stroke {
                    for ring in rings {
                        polyline(sink, origin, ring, stroke, true);
                    }
                }
            }
            Shape::Line { points, stroke } => polyline(sink, origin, points, stroke, false),
            Shape::Circle {
                center,
                radius,
                fill,
                stroke,
            } => {
                sink.add(EShape::Circle(epaint::CircleShape {
                    center: pos(origin, *center),
                    radius: *radius,
                    fill: fill.map_or(Color32::TRANSPARENT, color32),
                    stroke: stroke.as_ref().map_or(EStroke::NONE, estroke),
                }));
            }
            Shape::Text {
                pos: at,
                text,
                size,
                color,
                anchor,
                halo,
                bold,
            } => {
                let align = match anchor {
                    Anchor::Left => egui::Align2::LEFT_CENTER,
                    Anchor::Center => egui::Align2::CENTER_CENTER,
                    Anchor::Right => egui::Align2::RIGHT_CENTER,
                };
                let font = egui::FontId::proportional(*size);
                let p = pos(origin, *at);
                if let Some(halo) = halo {
                    let c = color32(*halo);
                    for (dx, dy) in [
                        (-1.0, 0.0),
                        (1.0, 0.0),
                        (0.0, -1.0),
                        (0.0, 1.0),
                        (-0.8, -0.8),
                        (0.8, 0.8),
                        (-0.8, 0.8),
                        (0.8, -0.8),
                    ] {
                        sink.text(p + egui::vec2(dx, dy), align, text, font.clone(), c);
                    }
                }
                sink.text(p, align, text, font.clone(), color32(*color));
                if *bold {
                    sink.text(
                        p + egui::vec2(0.45, 0.0),
                        align,
                        text,
                        font,
                        color32(*color),
                    );
                }
            }
            Shape::Group {
                offset,
                clip,
                scene: inner,
            } => {
                let o = pos(origin, *offset);
                let painter = match clip {
                    Some([a, b]) => {
                        painter.with_clip_rect(Rect::from_two_pos(pos(origin, *a), pos(origin, *b)))
                    }
                    None => painter.clone(),
                };
                paint_scene(&painter, o, inner);
            }
        }
    }
}

fn polyline(sink: &mut Sink<'_>, origin: Pos2, points: &[Pt], stroke: &Stroke, closed: bool) {
    let mut pts: Vec<Pos2> = points.iter().map(|p| pos(origin, *p)).collect();
    if pts.len() < 2 {
        return;
    }
    match stroke.dash {
        Some([on, off]) => {
            if closed {
                pts.push(pts[0]);
            }
            for dash in EShape::dashed_line(&pts, estroke(stroke), on, off) {
                sink.add(dash);
            }
        }
        None if closed => {
            sink.add(EShape::closed_line(pts, estroke(stroke)));
        }
        None => {
            sink.add(EShape::line(pts, estroke(stroke)));
        }
    }
}

/// Maps a Web Mercator tessellation through the scene camera into screen points.
fn mesh_from_triangles(scene: &Scene, origin: Pos2, t: &Triangles, color: Color32) -> Mesh {
    let mut mesh = Mesh::default();
    mesh.vertices.reserve(t.vertices.len());
    for m in &t.vertices {
        mesh.vertices.push(epaint::Vertex {
            pos: pos(origin, scene.px_merc(*m)),
            uv: epaint::WHITE_UV,
            color,
        });
    }
    mesh.indices.clone_from(&t.indices);
    mesh
}

/// Tessellates pixel rings (outer ring first, then holes) with earcut.
fn mesh_from_rings(origin: Pos2, rings: &[Vec<Pt>], color: Color32) -> Mesh {
    use geo::TriangulateEarcut;
    let mut mesh = Mesh::default();
    let Some((outer, holes)) = rings.split_first() else {
        return mesh;
    };
    // A ring simplified to fewer than three corners (written closed or
    // not) has no area to fill: earcut takes no such ring. A triangle, a
    // marker's or the north arrow's, is filled.
    let corners = |r: &Vec<Pt>| {
        if r.len() > 1 && r.first() == r.last() {
            r.len() - 1
        } else {
            r.len()
        }
    };
    if corners(outer) < 3 {
        return mesh;
    }
    let holes: Vec<&Vec<Pt>> = holes.iter().filter(|h| corners(h) >= 3).collect();
    let ring = |r: &Vec<Pt>| {
        geo::LineString::from(
            r.iter()
                .map(|p| (f64::from(p[0]), f64::from(p[1])))
                .collect::<Vec<_>>(),
        )
    };
    let polygon = geo::Polygon::new(ring(outer), holes.iter().map(|h| ring(h)).collect());
    let raw = polygon.earcut_triangles_raw();
    for c in &raw.vertices {
        #[allow(clippy::cast_possible_truncation)]
        mesh.vertices.push(epaint::Vertex {
            pos: Pos2::new(origin.x + c[0] as f32, origin.y + c[1] as f32),
            uv: epaint::WHITE_UV,
            color,
        });
    }
    #[allow(clippy::cast_possible_truncation)]
    mesh.indices
        .extend(raw.triangle_indices.iter().map(|&i| i as u32));
    mesh
}

/// A filled mesh for one closed outline in screen points (any shape, concave too).
pub fn fill_mesh(points: &[Pos2], color: Color32) -> Mesh {
    let ring: Vec<Pt> = points.iter().map(|p| [p.x, p.y]).collect();
    mesh_from_rings(Pos2::ZERO, &[ring], color)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_triangle_is_filled_whether_written_closed_or_not_and_a_segment_is_not() {
        let c = Color32::RED;
        let open = [
            Pos2::new(0.0, 0.0),
            Pos2::new(10.0, 0.0),
            Pos2::new(5.0, 8.0),
        ];
        assert_eq!(fill_mesh(&open, c).indices.len(), 3);
        let closed = [open[0], open[1], open[2], open[0]];
        assert_eq!(fill_mesh(&closed, c).indices.len(), 3);
        let segment = [open[0], open[1], open[0]];
        assert!(fill_mesh(&segment, c).indices.is_empty());
    }
}

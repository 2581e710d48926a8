//! The SVG writer: turns a [`Scene`] (areas, lines, circles, texts and clipped
//! groups) into SVG text. The PNG export rasterises this same text, so both
//! formats show the same thing.

use std::fmt::Write as _;

use crate::geodata::Rgba;
use crate::scene::font::FONT_FAMILY;
use crate::scene::{Anchor, Pt, Scene, Shape, Stroke};

/// Where the middle of a line of text sits above its baseline, as a fraction of
/// the font size (half the cap height of the font, so capitals look centred).
pub const BASELINE_FROM_MIDDLE: f32 = 0.35;

/// The whole scene as an SVG document whose `width`/`height` are the scene
/// size times `scale` (pixels) and whose `viewBox` is the scene size.
pub fn scene_to_svg(scene: &Scene, scale: f32) -> String {
    let [w, h] = scene.size();
    scene_to_svg_sized(scene, &num(w * scale), &num(h * scale))
}

/// The whole scene as an SVG document with the given `width` and `height`
/// attributes (for example `"297mm"`); the `viewBox` is the scene size.
pub fn scene_to_svg_sized(scene: &Scene, width: &str, height: &str) -> String {
    let [w, h] = scene.size();
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{}\" height=\"{}\" \
         viewBox=\"0 0 {} {}\" font-family=\"{}\" stroke-linejoin=\"round\">\n",
        escape_attr(width),
        escape_attr(height),
        num(w),
        num(h),
        escape_attr(FONT_FAMILY),
    );
    let mut writer = Writer { out, next_clip: 0 };
    writer.background(scene);
    writer.shapes(&scene.shapes);
    writer.out.push_str("</svg>\n");
    writer.out
}

struct Writer {
    out: String,
    next_clip: usize,
}

impl Writer {
    fn background(&mut self, scene: &Scene) {
        if scene.background.0[3] == 0 {
            return;
        }
        let [w, h] = scene.size();
        let _ = write!(
            self.out,
            "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\"",
            num(w),
            num(h)
        );
        paint(&mut self.out, "fill", scene.background);
        self.out.push_str("/>\n");
    }

    fn shapes(&mut self, shapes: &[Shape]) {
        for shape in shapes {
            self.shape(shape);
        }
    }

    fn shape(&mut self, shape: &Shape) {
        match shape {
            Shape::Area {
                rings,
                fill,
                stroke,
                ..
            } => {
                if fill.is_none() && stroke.is_none() {
                    return;
                }
                let mut d = String::new();
                for ring in rings {
                    if ring.len() < 2 || !finite(ring) {
                        continue;
                    }
                    path_data(&mut d, ring);
                    d.push('Z');
                }
                if d.is_empty() {
                    return;
                }
                let _ = write!(self.out, "<path d=\"{d}\" fill-rule=\"evenodd\"");
                fill_and_stroke(&mut self.out, *fill, stroke.as_ref());
                self.out.push_str("/>\n");
            }
            Shape::Line { points, stroke } => {
                if points.len() < 2 || !finite(points) || stroke.width <= 0.0 {
                    return;
                }
                let mut d = String::new();
                path_data(&mut d, points);
                let _ = write!(self.out, "<path d=\"{d}\" fill=\"none\"");
                stroke_attrs(&mut self.out, stroke, true);
                self.out.push_str("/>\n");
            }
            Shape::Circle {
                center,
                radius,
                fill,
                stroke,
            } => {
                if !finite(&[*center]) || !radius.is_finite() || *radius <= 0.0 {
                    return;
                }
                let _ = write!(
                    self.out,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"{}\"",
                    num(center[0]),
                    num(center[1]),
                    num(*radius)
                );
                fill_and_stroke(&mut self.out, *fill, stroke.as_ref());
                self.out.push_str("/>\n");
            }
            Shape::Text {
                pos,
                text,
                size,
                color,
                anchor,
                halo,
                bold,
            } => self.text(*pos, text, *size, *color, *anchor, *halo, *bold),
            Shape::Group {
                offset,
                clip,
                scene,
            } => {
                let clip_id = clip.map(|[a, b]| {
                    self.next_clip += 1;
                    let id = format!("clip{}", self.next_clip);
                    let (x0, y0) = (a[0].min(b[0]), a[1].min(b[1]));
                    let (x1, y1) = (a[0].max(b[0]), a[1].max(b[1]));
                    let _ = writeln!(
                        self.out,
                        "<defs><clipPath id=\"{id}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath></defs>",
                        num(x0),
                        num(y0),
                        num(x1 - x0),
                        num(y1 - y0)
                    );
                    id
                });
                // The clip is in the parent's coordinates, so it goes on an outer
                // group and the offset on an inner one.
                match &clip_id {
                    Some(id) => {
                        let _ = writeln!(self.out, "<g clip-path=\"url(#{id})\">");
                    }
                    None => self.out.push_str("<g>\n"),
                }
                let _ = writeln!(
                    self.out,
                    "<g transform=\"translate({} {})\">",
                    num(offset[0]),
                    num(offset[1])
                );
                self.background(scene);
                self.shapes(&scene.shapes);
                self.out.push_str("</g>\n</g>\n");
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn text(
        &mut self,
        pos: Pt,
        text: &str,
        size: f32,
        color: Rgba,
        anchor: Anchor,
        halo: Option<Rgba>,
        bold: bool,
    ) {
        let content = escape_text(text);
        if content.trim().is_empty() || !finite(&[pos]) || size.is_nan() || size <= 0.0 {
            return;
        }
        let anchor = match anchor {
            Anchor::Left => "start",
            Anchor::Center => "middle",
            Anchor::Right => "end",
        };
        let open = |out: &mut String| {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{anchor}\"",
                num(pos[0]),
                num(pos[1] + size * BASELINE_FROM_MIDDLE),
                num(size)
            );
        };
        // The font has one weight; bold is drawn as a thin outline of the text's own colour.
        let bold_width = size * 0.045;
        if let Some(h) = halo {
            open(&mut self.out);
            paint(&mut self.out, "fill", color);
            paint(&mut self.out, "stroke", h);
            let _ = writeln!(
                self.out,
                " stroke-width=\"{}\" paint-order=\"stroke\">{content}</text>",
                num((size * 0.22).max(2.0) + if bold { bold_width } else { 0.0 })
            );
            if !bold {
                return;
            }
        }
        open(&mut self.out);
        paint(&mut self.out, "fill", color);
        if bold {
            paint(&mut self.out, "stroke", color);
            let _ = write!(self.out, " stroke-width=\"{}\"", num(bold_width));
        }
        let _ = writeln!(self.out, ">{content}</text>");
    }
}

fn finite(points: &[Pt]) -> bool {
    points.iter().all(|p| p[0].is_finite() && p[1].is_finite())
}

fn path_data(d: &mut String, points: &[Pt]) {
    for (i, p) in points.iter().enumerate() {
        d.push(match i {
            0 => 'M',
            1 => 'L',
            _ => ' ',
        });
        d.push_str(&num(p[0]));
        d.push(' ');
        d.push_str(&num(p[1]));
    }
}

fn paint(out: &mut String, what: &str, c: Rgba) {
    let _ = write!(out, " {what}=\"{}\"", c.hex_rgb());
    if c.0[3] != 255 {
        let _ = write!(out, " {what}-opacity=\"{}\"", num(c.alpha_f32()));
    }
}

/// `fill` (or none) and the outline of a closed shape, as attributes.
fn fill_and_stroke(out: &mut String, fill: Option<Rgba>, stroke: Option<&Stroke>) {
    match fill {
        Some(c) => paint(out, "fill", c),
        None => out.push_str(" fill=\"none\""),
    }
    if let Some(s) = stroke {
        stroke_attrs(out, s, false);
    }
}

fn stroke_attrs(out: &mut String, s: &Stroke, round_caps: bool) {
    if s.width <= 0.0 || s.color.0[3] == 0 {
        return;
    }
    paint(out, "stroke", s.color);
    let _ = write!(out, " stroke-width=\"{}\"", num(s.width));
    match s.dash {
        Some([on, off]) if on > 0.0 && off > 0.0 => {
            let _ = write!(out, " stroke-dasharray=\"{} {}\"", num(on), num(off));
        }
        _ if round_caps => out.push_str(" stroke-linecap=\"round\""),
        _ => {}
    }
}

/// A number with at most two decimals and no trailing zeros.
pub fn num(v: f32) -> String {
    if !v.is_finite() {
        return "0".to_owned();
    }
    let mut s = format!("{v:.2}");
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" {
        s = "0".to_owned();
    }
    s
}

/// Text made safe for XML character data: markup characters escaped,
/// characters XML forbids dropped, line breaks and tabs turned into spaces.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

fn escape_attr(text: &str) -> String {
    escape_text(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::camera::Camera;

    fn scene() -> Scene {
        let camera = Camera::default().with_size(200.0, 100.0);
        let mut s = Scene::new(camera, Rgba::WHITE);
        s.shapes.push(Shape::Text {
            pos: [10.0, 10.0],
            text: "Tom & Jerry <b> \"q\" 'a'\u{7}".into(),
            size: 12.0,
            color: Rgba::BLACK,
            anchor: Anchor::Left,
            halo: Some(Rgba::WHITE),
            bold: true,
        });
        s.shapes.push(Shape::Line {
            points: vec![[0.0, 0.0], [f32::NAN, 3.0]],
            stroke: Stroke::solid(1.0, Rgba::BLACK),
        });
        s
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.5), "1.5");
        assert_eq!(num(1.234_567), "1.23");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(f32::NAN), "0");
    }

    #[test]
    fn text_is_escaped_and_bad_shapes_dropped() {
        let svg = scene_to_svg(&scene(), 2.0);
        assert!(
            svg.contains("Tom &amp; Jerry &lt;b&gt; &quot;q&quot; &apos;a&apos;</text>"),
            "{svg}"
        );
        assert!(!svg.contains('\u{7}'));
        assert!(!svg.contains("NaN"));
        assert!(svg.contains("width=\"400\" height=\"200\" viewBox=\"0 0 200 100\""));
        assert!(svg.contains("paint-order=\"stroke\""));
        let opt = resvg::usvg::Options::default();
        resvg::usvg::Tree::from_str(&svg, &opt).expect("parses");
    }
}

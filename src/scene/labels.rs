//! Label placement: candidates ranked by priority, placed greedily so that no
//! two labels overlap; which candidates exist depends on the zoom.

use crate::geodata::{Feature, LayerKind, LayerSpec, Rgba};

use super::font::text_width;
use super::{Anchor, Pt, Scene, Shape, Theme};

/// A label that may be placed.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub text: String,
    /// The feature's anchor in pixels.
    pub at: Pt,
    pub size: f32,
    pub priority: i32,
    /// Point labels sit beside their symbol; area and line labels are centred.
    pub beside_point: bool,
    pub color: Option<Rgba>,
    pub bold: bool,
}

impl Candidate {
    /// The label a feature gets at this zoom, if any.
    pub fn for_feature(
        spec: &LayerSpec,
        feature: &Feature,
        text: &str,
        at: Pt,
        zoom: f64,
    ) -> Option<Self> {
        let rank = feature
            .properties
            .get("rank")
            .and_then(serde_json::Value::as_i64)
            .unwrap_or(2);
        let kind = feature.prop_str("kind").unwrap_or_default();
        let (priority, size, color, bold, text) = match (spec.kind, kind) {
            (LayerKind::Polygon, "country") => (
                80,
                15.0,
                Some(Rgba::rgb(0x55, 0x55, 0x55)),
                true,
                text.to_uppercase(),
            ),
            (LayerKind::Polygon, _) if feature.is_focus() => (
                95,
                12.5,
                Some(Rgba::rgb(0x8a, 0x3b, 0x00)),
                true,
                text.to_owned(),
            ),
            (LayerKind::Polygon, _) => {
                if zoom < 6.3 {
                    return None;
                }
                (
                    55,
                    11.0,
                    Some(Rgba::rgb(0x6a, 0x6a, 0x6a)),
                    false,
                    text.to_owned(),
                )
            }
            (LayerKind::Line, "river") => (
                30,
                10.5,
                Some(Rgba::rgb(0x1f, 0x5f, 0x9f)),
                false,
                text.to_owned(),
            ),
            (LayerKind::Line, "border") => return None,
            (LayerKind::Line, _) => (
                35,
                10.5,
                Some(Rgba::rgb(0x30, 0x30, 0x30)),
                false,
                text.to_owned(),
            ),
            (LayerKind::Point, _) => {
                let needed = spec
                    .label_min_zoom_by_rank
                    .get(&rank.to_string())
                    .copied()
                    .unwrap_or(match rank {
                        ..=1 => 0.0,
                        2 => 6.5,
                        _ => 7.6,
                    });
                if zoom < needed {
                    return None;
                }
                let priority = match rank {
                    ..=1 => 100,
                    2 => 60,
                    _ => 40,
                };
                let size = if rank <= 1 { 12.0 } else { 11.0 };
                (priority, size, None, rank <= 1, text.to_owned())
            }
        };
        Some(Self {
            text,
            at,
            size,
            priority,
            beside_point: spec.kind == LayerKind::Point,
            color,
            bold,
        })
    }
}

/// The box `[x0, y0, x1, y1]` a text covers when drawn at `pos` with `anchor`.
pub fn text_box(pos: Pt, text: &str, size: f32, anchor: Anchor) -> [f32; 4] {
    let w = text_width(text, size);
    let h = size * 1.15;
    let x0 = match anchor {
        Anchor::Left => pos[0],
        Anchor::Center => pos[0] - w / 2.0,
        Anchor::Right => pos[0] - w,
    };
    [x0, pos[1] - h / 2.0, x0 + w, pos[1] + h / 2.0]
}

/// True when two boxes overlap, with `margin` pixels of air required between them.
pub fn overlaps(a: [f32; 4], b: [f32; 4], margin: f32) -> bool {
    a[0] < b[2] + margin && b[0] < a[2] + margin && a[1] < b[3] + margin && b[1] < a[3] + margin
}

/// Places candidates best-first; a label that would overlap a placed one, or
/// leave the view, is dropped (point labels try the other side first).
/// `symbols` are boxes only the most important labels may cover (place
/// symbols); `reserved` are boxes no label may cover (map furniture). Incident
/// markers already in the scene are never covered either.
pub fn place(
    scene: &mut Scene,
    mut candidates: Vec<Candidate>,
    symbols: &[[f32; 4]],
    reserved: &[[f32; 4]],
    theme: Theme,
) {
    candidates.sort_by(|a, b| b.priority.cmp(&a.priority).then(a.text.cmp(&b.text)));
    let [w, h] = scene.size();
    let mut hard: Vec<[f32; 4]> = reserved.to_vec();
    hard.extend(scene.hits.iter().map(|hit| {
        let [x, y] = hit.center;
        [
            x - hit.radius,
            y - hit.radius,
            x + hit.radius,
            y + hit.radius,
        ]
    }));
    let mut taken: Vec<[f32; 4]> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for c in candidates {
        if seen.contains(&c.text) && !c.beside_point {
            continue; // one label per named area or line is enough
        }
        let options: Vec<(Pt, Anchor)> = if c.beside_point {
            // Beside the symbol, then further out (clear of an incident
            // marker sitting on the place), then above or below.
            vec![
                ([c.at[0] + 8.0, c.at[1]], Anchor::Left),
                ([c.at[0] - 8.0, c.at[1]], Anchor::Right),
                ([c.at[0] + 15.0, c.at[1]], Anchor::Left),
                ([c.at[0] - 15.0, c.at[1]], Anchor::Right),
                ([c.at[0], c.at[1] - c.size], Anchor::Center),
                ([c.at[0], c.at[1] + c.size], Anchor::Center),
                ([c.at[0], c.at[1] - c.size - 8.0], Anchor::Center),
                ([c.at[0], c.at[1] + c.size + 8.0], Anchor::Center),
            ]
        } else {
            // Areas and lines: centred on the anchor, else just above or below it.
            let step = c.size * 1.6;
            vec![
                (c.at, Anchor::Center),
                ([c.at[0], c.at[1] - step], Anchor::Center),
                ([c.at[0], c.at[1] + step], Anchor::Center),
            ]
        };
        for (pos, anchor) in options {
            let b = text_box(pos, &c.text, c.size, anchor);
            let inside = b[0] >= 2.0 && b[1] >= 2.0 && b[2] <= w - 2.0 && b[3] <= h - 2.0;
            // The most important labels (sites, capitals, countries) may cover
            // minor symbols; everything else keeps clear of them.
            let clear = !taken.iter().any(|t| overlaps(*t, b, 2.0))
                && !hard.iter().any(|o| overlaps(*o, b, 1.0))
                && (c.priority >= 80 || !symbols.iter().any(|o| overlaps(*o, b, 0.0)));
            if inside && clear {
                taken.push(b);
                seen.push(c.text.clone());
                scene.shapes.push(Shape::Text {
                    pos,
                    text: c.text.clone(),
                    size: c.size,
                    color: c.color.map_or(theme.label, |col| theme.ink(col)),
                    anchor,
                    halo: Some(theme.halo),
                    bold: c.bold,
                });
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_is_symmetric_and_respects_margin() {
        let a = [0.0, 0.0, 10.0, 10.0];
        let b = [11.0, 0.0, 20.0, 10.0];
        assert!(!overlaps(a, b, 0.0));
        assert!(overlaps(a, b, 2.0) && overlaps(b, a, 2.0));
    }
}

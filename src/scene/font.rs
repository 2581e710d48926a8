//! The one font every backend uses (egui's default proportional face), and
//! text measurement so labels can be placed without a GUI.

use std::sync::OnceLock;

use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};

/// The font file drawn on screen and embedded into exports.
pub const FONT_TTF: &[u8] = epaint_default_fonts::UBUNTU_LIGHT;
/// Its family name, as an SVG renderer looks it up.
pub const FONT_FAMILY: &str = "Ubuntu";

struct Metrics {
    /// Advance width per character (as a fraction of the font size), for the ASCII range.
    ascii: [f32; 128],
    /// Advance for anything else that is not in the table.
    fallback: f32,
}

fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(|| {
        let mut ascii = [0.55f32; 128];
        let mut fallback = 0.55;
        if let Ok(font) = skrifa::FontRef::new(FONT_TTF) {
            let charmap = font.charmap();
            let glyphs = font.glyph_metrics(Size::new(1.0), LocationRef::default());
            let advance = |c: char| charmap.map(c).and_then(|g| glyphs.advance_width(g));
            for (i, slot) in ascii.iter_mut().enumerate() {
                #[allow(clippy::cast_possible_truncation)]
                if let Some(w) = advance(char::from(i as u8)) {
                    *slot = w;
                }
            }
            fallback = advance('n').unwrap_or(0.55);
        }
        Metrics { ascii, fallback }
    })
}

/// Width in pixels of `text` set at `size_px`.
pub fn text_width(text: &str, size_px: f32) -> f32 {
    let m = metrics();
    text.chars()
        .map(|c| {
            let i = c as usize;
            if i < 128 { m.ascii[i] } else { m.fallback }
        })
        .sum::<f32>()
        * size_px
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wider_text_measures_wider() {
        let narrow = text_width("ill", 12.0);
        let wide = text_width("WWW", 12.0);
        assert!(narrow > 0.0 && wide > narrow * 2.0, "{narrow} {wide}");
        assert!((text_width("Raqqa", 24.0) - 2.0 * text_width("Raqqa", 12.0)).abs() < 1e-3);
    }
}

//! The PNG writer: rasterises SVG text with resvg (using only the embedded
//! font, never the system's) and encodes the pixels as PNG with the DPI in a
//! `pHYs` chunk and the title and attribution in text chunks.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia::{Pixmap, PixmapMut, Transform};
use resvg::usvg;

use crate::scene::font::{FONT_FAMILY, FONT_TTF};

/// Metres per inch, for the `pHYs` chunk (which counts pixels per metre).
const INCH_M: f64 = 0.0254;

/// The font database holding the one embedded font, built once.
fn fontdb() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(FONT_TTF.to_vec());
        db.set_sans_serif_family(FONT_FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// SVG parsing options that resolve every font to the embedded one.
pub fn svg_options() -> usvg::Options<'static> {
    usvg::Options {
        font_family: FONT_FAMILY.to_owned(),
        fontdb: fontdb(),
        ..usvg::Options::default()
    }
}

/// Parses SVG text into a tree.
pub fn parse_svg(svg: &str) -> Result<usvg::Tree, String> {
    usvg::Tree::from_str(svg, &svg_options()).map_err(|e| e.to_string())
}

/// Rasterises SVG text to `width_px` × `height_px` pixels (the drawing is
/// stretched from its own size to that size). Large images are drawn as
/// horizontal bands in parallel, one per core.
pub fn rasterize(svg: &str, width_px: u32, height_px: u32) -> Result<Pixmap, String> {
    let bands = u32::try_from(rayon::current_num_threads()).unwrap_or(1);
    rasterize_in_bands(svg, width_px, height_px, bands)
}

/// Rows below which an image is drawn in one piece: a band must be tall
/// enough that drawing it outweighs walking the whole tree once more.
const MIN_BAND_ROWS: u32 = 256;

/// [`rasterize`] with the number of bands given. Each band is the same
/// drawing shifted up by a whole number of rows and clipped to its rows, so
/// the pixels are those of one drawing of the whole.
pub fn rasterize_in_bands(
    svg: &str,
    width_px: u32,
    height_px: u32,
    bands: u32,
) -> Result<Pixmap, String> {
    use rayon::prelude::*;

    let tree = parse_svg(svg)?;
    let mut pixmap = Pixmap::new(width_px, height_px)
        .ok_or_else(|| format!("cannot allocate a {width_px}×{height_px} image"))?;
    let size = tree.size();
    #[allow(clippy::cast_precision_loss)]
    let (sx, sy) = (
        width_px as f32 / size.width(),
        height_px as f32 / size.height(),
    );
    let bands = bands.clamp(1, (height_px / MIN_BAND_ROWS).max(1));
    if bands == 1 {
        resvg::render(&tree, Transform::from_scale(sx, sy), &mut pixmap.as_mut());
        return Ok(pixmap);
    }
    let band_rows = height_px.div_ceil(bands);
    let row_bytes = width_px as usize * 4;
    pixmap
        .data_mut()
        .par_chunks_mut(band_rows as usize * row_bytes)
        .enumerate()
        .for_each(|(i, bytes)| {
            let rows = u32::try_from(bytes.len() / row_bytes).unwrap_or(0);
            #[allow(clippy::cast_precision_loss)]
            let top = (i as u32 * band_rows) as f32;
            if let Some(mut band) = PixmapMut::from_bytes(bytes, width_px, rows) {
                let shifted = Transform::from_row(sx, 0.0, 0.0, sy, 0.0, -top);
                resvg::render(&tree, shifted, &mut band);
            }
        });
    Ok(pixmap)
}

/// Metadata written into the PNG.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PngMeta {
    pub dpi: f32,
    pub title: String,
    pub description: String,
}

/// Encodes a pixmap as PNG: RGB when every pixel is opaque (smaller), RGBA
/// otherwise; the DPI goes into `pHYs`.
pub fn encode(pixmap: &Pixmap, meta: &PngMeta) -> Result<Vec<u8>, String> {
    use rayon::prelude::*;

    let pixels = pixmap.pixels();
    let opaque = pixels.par_iter().all(|p| p.alpha() == 255);
    let data: Vec<u8> = if opaque {
        let mut data = vec![0u8; pixels.len() * 3];
        data.par_chunks_exact_mut(3)
            .zip(pixels.par_iter())
            .for_each(|(out, p)| out.copy_from_slice(&[p.red(), p.green(), p.blue()]));
        data
    } else {
        let mut data = vec![0u8; pixels.len() * 4];
        data.par_chunks_exact_mut(4)
            .zip(pixels.par_iter())
            .for_each(|(out, p)| {
                let c = p.demultiply();
                out.copy_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
            });
        data
    };
    let mut bytes = Vec::with_capacity(data.len() / 8);
    {
        let mut encoder = png::Encoder::new(&mut bytes, pixmap.width(), pixmap.height());
        encoder.set_color(if opaque {
            png::ColorType::Rgb
        } else {
            png::ColorType::Rgba
        });
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Fast);
        if meta.dpi > 0.0 {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let ppm = (f64::from(meta.dpi) / INCH_M).round() as u32;
            encoder.set_pixel_dims(Some(png::PixelDimensions {
                xppu: ppm,
                yppu: ppm,
                unit: png::Unit::Meter,
            }));
        }
        let text = |e: png::EncodingError| e.to_string();
        encoder
            .add_text_chunk("Software".into(), "badiya".into())
            .map_err(text)?;
        if !meta.title.trim().is_empty() {
            encoder
                .add_itxt_chunk("Title".into(), meta.title.clone())
                .map_err(text)?;
        }
        if !meta.description.trim().is_empty() {
            encoder
                .add_itxt_chunk("Description".into(), meta.description.clone())
                .map_err(text)?;
        }
        let mut writer = encoder.write_header().map_err(text)?;
        writer.write_image_data(&data).map_err(text)?;
        writer.finish().map_err(text)?;
    }
    Ok(bytes)
}

/// Reads the DPI from a PNG's `pHYs` chunk, if it has one in metres.
pub fn read_dpi(png_bytes: &[u8]) -> Option<f32> {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let reader = decoder.read_info().ok()?;
    let dims = reader.info().pixel_dims?;
    #[allow(clippy::cast_possible_truncation)]
    (dims.unit == png::Unit::Meter).then(|| (f64::from(dims.xppu) * INCH_M) as f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dpi_round_trips_through_phys() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="#ff0000"/></svg>"##;
        let pixmap = rasterize(svg, 20, 20).expect("renders");
        let meta = PngMeta {
            dpi: 300.0,
            title: "Test — Anbar".into(),
            description: String::new(),
        };
        let bytes = encode(&pixmap, &meta).expect("encodes");
        let dpi = read_dpi(&bytes).expect("pHYs present");
        assert!((dpi - 300.0).abs() < 0.05, "{dpi}");
        let img = image::load_from_memory(&bytes).expect("decodes").to_rgba8();
        assert_eq!(img.dimensions(), (20, 20));
        assert_eq!(img.get_pixel(10, 10).0, [255, 0, 0, 255]);
    }

    #[test]
    fn text_uses_the_embedded_font() {
        let svg = format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#ffffff"/><text x="5" y="28" font-family="{FONT_FAMILY}" font-size="24">Anbar</text></svg>"##
        );
        let pixmap = rasterize(&svg, 120, 40).expect("renders");
        let dark = pixmap.pixels().iter().filter(|p| p.red() < 128).count();
        assert!(dark > 50, "text drew {dark} dark pixels");
    }
}

//! Georeferencing for exported images: the world file (`.pgw`) that maps image
//! pixels to Web Mercator metres, and the `.prj` that names the projection
//! (EPSG:3857), so QGIS places the PNG exactly.

use crate::camera::{Camera, Merc};

/// ESRI-style WKT of WGS 84 / Pseudo-Mercator (EPSG:3857), as `.prj` files hold it.
pub const WEB_MERCATOR_PRJ: &str = "PROJCS[\"WGS_1984_Web_Mercator_Auxiliary_Sphere\",\
GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],\
PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],\
PROJECTION[\"Mercator_Auxiliary_Sphere\"],PARAMETER[\"False_Easting\",0.0],\
PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",0.0],\
PARAMETER[\"Standard_Parallel_1\",0.0],PARAMETER[\"Auxiliary_Sphere_Type\",0.0],\
UNIT[\"Meter\",1.0]]";

/// The six parameters of a world file: x = a·col + b·row + c, y = d·col + e·row + f,
/// where (col, row) is a pixel index and (x, y) the centre of that pixel.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WorldFile {
    /// Pixel width in metres.
    pub a: f64,
    /// Rotation terms (0 here: north is up).
    pub d: f64,
    pub b: f64,
    /// Pixel height in metres, negative (rows go south).
    pub e: f64,
    /// Web Mercator x and y of the centre of the top-left pixel.
    pub c: f64,
    pub f: f64,
}

impl WorldFile {
    /// The world file of an image in which the map drawn by `map_camera` (in
    /// logical pixels) sits with its top-left corner at `frame_origin` (logical
    /// pixels of the page) and every logical pixel is `scale` image pixels.
    pub fn for_page(map_camera: &Camera, frame_origin: [f64; 2], scale: f64) -> Self {
        // Image pixel (0, 0) has its centre at image (0.5, 0.5), which is page
        // (0.5 / scale, 0.5 / scale) and map (page − frame origin).
        let centre = map_camera
            .merc_from_screen([0.5 / scale - frame_origin[0], 0.5 / scale - frame_origin[1]]);
        let size = map_camera.m_per_px() / scale;
        Self {
            a: size,
            d: 0.0,
            b: 0.0,
            e: -size,
            c: centre.x,
            f: centre.y,
        }
    }

    /// The six lines of the `.pgw` file, in the order the format wants (a, d, b, e, c, f).
    pub fn to_text(&self) -> String {
        format!(
            "{:.10}\n{:.10}\n{:.10}\n{:.10}\n{:.10}\n{:.10}\n",
            self.a, self.d, self.b, self.e, self.c, self.f
        )
    }

    /// Reads a world file's six numbers.
    pub fn parse(text: &str) -> Option<Self> {
        let v: Vec<f64> = text
            .split_whitespace()
            .map(str::parse)
            .collect::<Result<_, _>>()
            .ok()?;
        let [a, d, b, e, c, f] = v[..] else {
            return None;
        };
        Some(Self { a, d, b, e, c, f })
    }

    /// The continuous image position (pixel (0, 0) covers 0..1 × 0..1) of a
    /// Web Mercator position; north-up world files only.
    pub fn image_from_merc(&self, m: Merc) -> [f64; 2] {
        [(m.x - self.c) / self.a + 0.5, (m.y - self.f) / self.e + 0.5]
    }

    /// The Web Mercator position of a continuous image position.
    pub fn merc_from_image(&self, p: [f64; 2]) -> Merc {
        Merc {
            x: self.c + self.a * (p[0] - 0.5) + self.b * (p[1] - 0.5),
            y: self.f + self.d * (p[0] - 0.5) + self.e * (p[1] - 0.5),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::camera::merc_from_lon_lat;

    #[test]
    fn page_pixels_map_to_the_map_camera() {
        let camera = Camera::default().with_size(600.0, 400.0);
        let scale = 300.0 / 96.0;
        let origin = [24.0, 80.0];
        let w = WorldFile::for_page(&camera, origin, scale);
        let back = WorldFile::parse(&w.to_text()).expect("parses");
        let m = merc_from_lon_lat(42.4412, 33.7856);
        let [x, y] = camera.screen_from_merc(m);
        let want = [(x + origin[0]) * scale, (y + origin[1]) * scale];
        let got = back.image_from_merc(m);
        assert!(
            (got[0] - want[0]).abs() < 1e-3 && (got[1] - want[1]).abs() < 1e-3,
            "{got:?} {want:?}"
        );
        let m2 = back.merc_from_image(got);
        assert!((m2.x - m.x).abs() < 1e-3 && (m2.y - m.y).abs() < 1e-3);
    }

    #[test]
    fn prj_names_web_mercator() {
        assert!(WEB_MERCATOR_PRJ.starts_with("PROJCS[\"WGS_1984_Web_Mercator_Auxiliary_Sphere\""));
        assert_eq!(
            WEB_MERCATOR_PRJ.matches('[').count(),
            WEB_MERCATOR_PRJ.matches(']').count()
        );
    }
}

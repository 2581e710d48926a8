//! The camera: Web Mercator (EPSG:3857) projection, pan and zoom, and the
//! transforms between lon/lat, projected metres and screen pixels, all in f64.

/// WGS84 semi-major axis, the sphere radius of Web Mercator.
pub const EARTH_RADIUS_M: f64 = 6_378_137.0;
/// Latitude limit of Web Mercator.
pub const MAX_LAT: f64 = 85.051_128_78;
/// Width of the projected world in metres.
pub const WORLD_WIDTH_M: f64 = 2.0 * std::f64::consts::PI * EARTH_RADIUS_M;

/// The region badiya is about: lon 34..49, lat 29..38.5.
pub const REGION: ([f64; 2], [f64; 2]) = ([34.0, 29.0], [49.0, 38.5]);

/// Zoom limits, in web-tile zoom levels (zoom 0 shows the world in 256 px).
pub const MIN_ZOOM: f64 = 4.0;
pub const MAX_ZOOM: f64 = 15.0;

/// A position in Web Mercator metres.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Merc {
    pub x: f64,
    pub y: f64,
}

/// Projects lon/lat (degrees) to Web Mercator metres.
pub fn merc_from_lon_lat(lon: f64, lat: f64) -> Merc {
    let lat = lat.clamp(-MAX_LAT, MAX_LAT).to_radians();
    Merc {
        x: EARTH_RADIUS_M * lon.to_radians(),
        y: EARTH_RADIUS_M * (std::f64::consts::FRAC_PI_4 + lat / 2.0).tan().ln(),
    }
}

/// Unprojects Web Mercator metres to lon/lat (degrees).
pub fn lon_lat_from_merc(m: Merc) -> (f64, f64) {
    let lon = (m.x / EARTH_RADIUS_M).to_degrees();
    let lat =
        (2.0 * (m.y / EARTH_RADIUS_M).exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees();
    (lon, lat)
}

/// What the map shows: a centre, a zoom and the size of the view in pixels
/// (logical pixels: egui points on screen, 1/96 inch in exports).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Camera {
    /// Centre in Web Mercator metres.
    pub center_x: f64,
    pub center_y: f64,
    /// Web-tile zoom level (continuous).
    pub zoom: f64,
    /// View size in pixels.
    pub width_px: f64,
    pub height_px: f64,
}

impl Default for Camera {
    fn default() -> Self {
        Self::fit_lon_lat(REGION.0, REGION.1, 1200.0, 800.0)
    }
}

impl Camera {
    /// Metres per pixel at this zoom.
    pub fn m_per_px(&self) -> f64 {
        WORLD_WIDTH_M / (256.0 * 2f64.powf(self.zoom))
    }

    /// A camera of the given size that fits the lon/lat box, with a small margin.
    pub fn fit_lon_lat(min: [f64; 2], max: [f64; 2], width_px: f64, height_px: f64) -> Self {
        let a = merc_from_lon_lat(min[0], min[1]);
        let b = merc_from_lon_lat(max[0], max[1]);
        let span_x = (b.x - a.x).abs().max(1.0);
        let span_y = (b.y - a.y).abs().max(1.0);
        let m_per_px = (span_x / (width_px * 0.95)).max(span_y / (height_px * 0.95));
        let zoom = (WORLD_WIDTH_M / (256.0 * m_per_px)).log2();
        Self {
            center_x: (a.x + b.x) / 2.0,
            center_y: (a.y + b.y) / 2.0,
            zoom: zoom.clamp(MIN_ZOOM, MAX_ZOOM),
            width_px,
            height_px,
        }
    }

    /// The same view with another size in pixels (centre and zoom kept).
    #[must_use]
    pub fn with_size(self, width_px: f64, height_px: f64) -> Self {
        Self {
            width_px,
            height_px,
            ..self
        }
    }

    /// The same view centred on lon/lat.
    #[must_use]
    pub fn with_center_lon_lat(self, lon: f64, lat: f64) -> Self {
        let m = merc_from_lon_lat(lon, lat);
        Self {
            center_x: m.x,
            center_y: m.y,
            ..self
        }
        .clamped()
    }

    /// Screen pixel of a Web Mercator position (origin top-left, y down).
    pub fn screen_from_merc(&self, m: Merc) -> [f64; 2] {
        let s = self.m_per_px();
        [
            (m.x - self.center_x) / s + self.width_px / 2.0,
            (self.center_y - m.y) / s + self.height_px / 2.0,
        ]
    }

    /// Web Mercator position of a screen pixel.
    pub fn merc_from_screen(&self, p: [f64; 2]) -> Merc {
        let s = self.m_per_px();
        Merc {
            x: (p[0] - self.width_px / 2.0) * s + self.center_x,
            y: self.center_y - (p[1] - self.height_px / 2.0) * s,
        }
    }

    /// Screen pixel of a lon/lat position.
    pub fn screen_from_geo(&self, lon: f64, lat: f64) -> [f64; 2] {
        self.screen_from_merc(merc_from_lon_lat(lon, lat))
    }

    /// Lon/lat of a screen pixel; `None` outside the projection's latitude range.
    pub fn geo_from_screen(&self, p: [f64; 2]) -> Option<(f64, f64)> {
        let m = self.merc_from_screen(p);
        let limit = merc_from_lon_lat(0.0, MAX_LAT).y;
        (m.y.abs() <= limit).then(|| lon_lat_from_merc(m))
    }

    /// The visible area in Web Mercator metres (min, max).
    pub fn visible_merc(&self) -> (Merc, Merc) {
        let a = self.merc_from_screen([0.0, self.height_px]);
        let b = self.merc_from_screen([self.width_px, 0.0]);
        (a, b)
    }

    /// Moves the view by a screen-pixel delta (the content follows the pointer).
    #[must_use]
    pub fn panned(self, dx_px: f64, dy_px: f64) -> Self {
        let s = self.m_per_px();
        Self {
            center_x: self.center_x - dx_px * s,
            center_y: self.center_y + dy_px * s,
            ..self
        }
        .clamped()
    }

    /// Zooms by `delta` levels keeping the point under `anchor_px` fixed on screen.
    #[must_use]
    pub fn zoomed_at(self, delta: f64, anchor_px: [f64; 2]) -> Self {
        let before = self.merc_from_screen(anchor_px);
        let mut next = Self {
            zoom: (self.zoom + delta).clamp(self.min_zoom(), MAX_ZOOM),
            ..self
        };
        let after = next.merc_from_screen(anchor_px);
        next.center_x += before.x - after.x;
        next.center_y += before.y - after.y;
        next.clamped()
    }

    /// The smallest zoom allowed for this view size: the region never shrinks
    /// to less than about half the view.
    pub fn min_zoom(&self) -> f64 {
        let fit = Self::fit_lon_lat(REGION.0, REGION.1, self.width_px, self.height_px);
        (fit.zoom - 1.0).max(MIN_ZOOM)
    }

    /// Keeps the centre over the region (plus a margin) and the zoom in bounds.
    #[must_use]
    pub fn clamped(self) -> Self {
        let a = merc_from_lon_lat(REGION.0[0] - 3.0, REGION.0[1] - 3.0);
        let b = merc_from_lon_lat(REGION.1[0] + 3.0, REGION.1[1] + 3.0);
        Self {
            center_x: self.center_x.clamp(a.x, b.x),
            center_y: self.center_y.clamp(a.y, b.y),
            zoom: self.zoom.clamp(self.min_zoom().min(MAX_ZOOM), MAX_ZOOM),
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_projection_values() {
        let m = merc_from_lon_lat(180.0, 0.0);
        assert!((m.x - 20_037_508.342_789_244).abs() < 1e-6);
        let m = merc_from_lon_lat(0.0, MAX_LAT);
        assert!((m.y - 20_037_508.342_789_244).abs() < 1.0);
    }

    #[test]
    fn region_fits_in_view() {
        let cam = Camera::fit_lon_lat(REGION.0, REGION.1, 1200.0, 800.0);
        for (lon, lat) in [(34.0, 29.0), (49.0, 38.5)] {
            let [x, y] = cam.screen_from_geo(lon, lat);
            assert!(
                (0.0..=1200.0).contains(&x) && (0.0..=800.0).contains(&y),
                "{x},{y}"
            );
        }
    }

    #[test]
    fn zoom_keeps_the_point_under_the_cursor() {
        let cam = Camera::default();
        let anchor = [300.0, 200.0];
        let before = cam.geo_from_screen(anchor).expect("on map");
        let zoomed = cam.zoomed_at(1.5, anchor);
        let after = zoomed.geo_from_screen(anchor).expect("on map");
        assert!((before.0 - after.0).abs() < 1e-9 && (before.1 - after.1).abs() < 1e-9);
        assert!((zoomed.zoom - cam.zoom - 1.5).abs() < 1e-12);
    }

    #[test]
    fn zoom_is_bounded() {
        let mut cam = Camera::default();
        for _ in 0..100 {
            cam = cam.zoomed_at(-1.0, [600.0, 400.0]);
        }
        assert!(cam.zoom >= cam.min_zoom() - 1e-9);
        let [x0, _] = cam.screen_from_geo(34.0, 33.0);
        let [x1, _] = cam.screen_from_geo(49.0, 33.0);
        assert!(x1 - x0 > 400.0, "region shrank to {} px", x1 - x0);
        for _ in 0..100 {
            cam = cam.zoomed_at(1.0, [600.0, 400.0]);
        }
        assert!((cam.zoom - MAX_ZOOM).abs() < 1e-9);
    }

    #[test]
    fn pan_cannot_leave_the_region() {
        let mut cam = Camera::default();
        for _ in 0..1000 {
            cam = cam.panned(5000.0, -5000.0);
        }
        let (lon, lat) = cam.geo_from_screen([600.0, 400.0]).expect("on map");
        assert!(
            (30.0..=53.0).contains(&lon) && (25.0..=42.0).contains(&lat),
            "{lon},{lat}"
        );
    }

    proptest! {
        #[test]
        fn screen_geo_round_trip(lon in 34.0f64..49.0, lat in 29.0f64..38.5, zoom in 4.0f64..15.0,
                                 cx in 36.0f64..46.0, cy in 30.0f64..37.0) {
            let cam = Camera { zoom, ..Camera::default() }.with_center_lon_lat(cx, cy);
            let p = cam.screen_from_geo(lon, lat);
            let (lon2, lat2) = cam.geo_from_screen(p).expect("inside projection");
            prop_assert!((lon - lon2).abs() < 1e-9 && (lat - lat2).abs() < 1e-9);
        }
    }
}

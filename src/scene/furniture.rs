//! Map furniture drawn into the scene: the scale bar (geodesic km at the bar's
//! latitude) and the north arrow.

use geo::{Distance, Geodesic, Point};

use super::{Anchor, Pt, Scene, Shape, Stroke, Theme};

/// Where `build_map` puts the scale bar (left end of the bar) and the north
/// arrow (centre) in a map of `size` pixels.
pub fn positions(size: Pt) -> (Pt, Pt) {
    ([14.0, size[1] - 18.0], [size[0] - 30.0, 34.0])
}

/// The boxes the scale bar and north arrow occupy, kept free of labels.
pub fn reserved_boxes(size: Pt) -> Vec<[f32; 4]> {
    let (bar, arrow) = positions(size);
    vec![
        [bar[0] - 6.0, bar[1] - 30.0, bar[0] + 220.0, bar[1] + 8.0],
        [
            arrow[0] - 24.0,
            arrow[1] - 22.0,
            arrow[0] + 24.0,
            arrow[1] + 34.0,
        ],
    ]
}

/// Kilometres per pixel along the horizontal at a pixel of the scene (geodesic, WGS84).
pub fn km_per_px_at(scene: &Scene, at: Pt) -> Option<f64> {
    let a = super::geo_from_px(scene, [at[0] - 50.0, at[1]])?;
    let b = super::geo_from_px(scene, [at[0] + 50.0, at[1]])?;
    Some(Geodesic.distance(Point::new(a.0, a.1), Point::new(b.0, b.1)) / 1000.0 / 100.0)
}

/// The longest "round" length (1, 2 or 5 × 10ⁿ km) not over `max_km`.
pub fn nice_km(max_km: f64) -> f64 {
    let exp = max_km.log10().floor();
    let base = 10f64.powf(exp);
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * base)
        .find(|&v| v <= max_km)
        .unwrap_or(base)
}

/// Formats a scale length: "50 km", "2.5 km", "500 m".
pub fn format_km(km: f64) -> String {
    if km >= 1.0 {
        format!("{km} km")
    } else {
        format!("{} m", (km * 1000.0).round())
    }
}

/// A scale bar whose left end is at `at`, at most ~140 px long; returns its length in km.
pub fn scale_bar(scene: &mut Scene, at: Pt, theme: Theme) -> Option<f64> {
    let km_per_px = km_per_px_at(scene, [at[0] + 70.0, at[1]])?;
    let km = nice_km(140.0 * km_per_px);
    #[allow(clippy::cast_possible_truncation)]
    let len = (km / km_per_px) as f32;
    let [x, y] = at;
    let h = 6.0;
    let label = format_km(km);
    let label_w = super::font::text_width(&label, 11.0);
    scene.shapes.push(Shape::Area {
        rings: vec![vec![
            [x - 6.0, y - h - 16.0],
            [x + len + label_w.max(0.0) / 2.0 + 8.0, y - h - 16.0],
            [x + len + label_w / 2.0 + 8.0, y + 6.0],
            [x - 6.0, y + 6.0],
        ]],
        triangles: None,
        fill: Some(theme.furniture_bg),
        stroke: None,
    });
    let half = len / 2.0;
    for (i, x0) in [x, x + half].into_iter().enumerate() {
        scene.shapes.push(Shape::Area {
            rings: vec![vec![
                [x0, y - h],
                [x0 + half, y - h],
                [x0 + half, y],
                [x0, y],
            ]],
            triangles: None,
            fill: Some(if i == 0 {
                theme.furniture
            } else {
                theme.furniture_bg
            }),
            stroke: Some(Stroke::solid(1.0, theme.furniture)),
        });
    }
    for (pos, text, anchor) in [
        ([x, y - h - 8.0], "0".to_owned(), Anchor::Center),
        ([x + len, y - h - 8.0], label, Anchor::Center),
    ] {
        scene.shapes.push(Shape::Text {
            pos,
            text,
            size: 11.0,
            color: theme.furniture,
            anchor,
            halo: None,
            bold: false,
        });
    }
    Some(km)
}

/// A north arrow centred at `at`, `size` px tall (Web Mercator: north is up everywhere).
pub fn north_arrow(scene: &mut Scene, at: Pt, size: f32, theme: Theme) {
    let [x, y] = at;
    let s = size / 2.0;
    scene.shapes.push(Shape::Circle {
        center: [x, y + 3.0],
        radius: s + 9.0,
        fill: Some(theme.furniture_bg),
        stroke: None,
    });
    scene.shapes.push(Shape::Area {
        rings: vec![vec![[x, y - s], [x + s * 0.55, y + s], [x, y + s * 0.55]]],
        triangles: None,
        fill: Some(theme.furniture_bg),
        stroke: Some(Stroke::solid(1.0, theme.furniture)),
    });
    scene.shapes.push(Shape::Area {
        rings: vec![vec![[x, y - s], [x, y + s * 0.55], [x - s * 0.55, y + s]]],
        triangles: None,
        fill: Some(theme.furniture),
        stroke: Some(Stroke::solid(1.0, theme.furniture)),
    });
    scene.shapes.push(Shape::Text {
        pos: [x, y + s + 7.0],
        text: "N".to_owned(),
        size: 10.0,
        color: theme.furniture,
        anchor: Anchor::Center,
        halo: None,
        bold: true,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::camera::Camera;

    #[test]
    fn nice_lengths() {
        assert!((nice_km(137.0) - 100.0).abs() < 1e-9);
        assert!((nice_km(260.0) - 200.0).abs() < 1e-9);
        assert!((nice_km(7.3) - 5.0).abs() < 1e-9);
        assert_eq!(format_km(50.0), "50 km");
        assert_eq!(format_km(0.5), "500 m");
    }

    #[test]
    fn scale_bar_length_is_geodesically_right() {
        // Measure a bar on the default view and check it against a geodesic
        // measurement of the same pixels.
        let mut scene = Scene::new(Camera::default(), Theme::LIGHT.background);
        let at = [20.0, 700.0];
        let km = scale_bar(&mut scene, at, Theme::LIGHT).expect("bar");
        let bar_px = km / km_per_px_at(&scene, [at[0] + 70.0, at[1]]).expect("scale");
        let a = scene.camera.geo_from_screen([20.0, 700.0]).expect("on map");
        #[allow(clippy::cast_possible_truncation)]
        let b = scene
            .camera
            .geo_from_screen([20.0 + bar_px, 700.0])
            .expect("on map");
        let measured = Geodesic.distance(Point::new(a.0, a.1), Point::new(b.0, b.1)) / 1000.0;
        assert!(
            (measured - km).abs() / km < 0.02,
            "bar says {km} km, measures {measured:.1}"
        );
        assert!(scene.texts().contains(&format_km(km).as_str()));
    }
}

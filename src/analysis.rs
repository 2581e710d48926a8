//! Measures and spatial questions, geodesic on WGS84 throughout: the
//! distance, bearing and area of a measured shape, the distance from an
//! incident to the border, a pipeline, a site or a drawn shape, which side of
//! the border it is on, and which incidents lie within N km of something or
//! inside a governorate.

use geo::{
    Bearing, BoundingRect, Contains, Destination, Distance, Geodesic, GeodesicArea, Geometry,
    HaversineClosestPoint, LineString, Point, Polygon,
};

use crate::annotate::LonLat;
use crate::geodata::GeoData;
use crate::incidents::Incident;

/// Metres in a nautical mile.
pub const METRES_PER_NMI: f64 = 1852.0;

/// One leg of a measured path.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Leg {
    pub metres: f64,
    /// Initial bearing from the leg's start, degrees clockwise from true north (0–360).
    pub bearing: f64,
}

/// The geodesic legs between consecutive points.
pub fn legs(points: &[LonLat]) -> Vec<Leg> {
    points
        .windows(2)
        .map(|w| {
            let (a, b) = (Point::new(w[0][0], w[0][1]), Point::new(w[1][0], w[1][1]));
            Leg {
                metres: Geodesic.distance(a, b),
                bearing: Geodesic.bearing(a, b).rem_euclid(360.0),
            }
        })
        .collect()
}

/// The geodesic area of the ring through `points` (closed implicitly), m².
pub fn area_m2(points: &[LonLat]) -> f64 {
    if points.len() < 3 {
        return 0.0;
    }
    use geo::orient::{Direction, Orient};
    let ring: LineString<f64> = points.iter().map(|p| (p[0], p[1])).collect();
    // Counter-clockwise, or the ellipsoid's area outside the ring is measured.
    Polygon::new(ring, Vec::new())
        .orient(Direction::Default)
        .geodesic_area_unsigned()
}

/// `12.3 km (6.6 nmi)`; metres below a kilometre.
pub fn format_distance(metres: f64) -> String {
    let nmi = metres / METRES_PER_NMI;
    if metres < 1000.0 {
        format!("{metres:.0} m ({nmi:.2} nmi)")
    } else if metres < 100_000.0 {
        format!("{:.2} km ({nmi:.1} nmi)", metres / 1000.0)
    } else {
        format!("{:.1} km ({nmi:.0} nmi)", metres / 1000.0)
    }
}

/// `1,234.5 km²`.
pub fn format_area(m2: f64) -> String {
    let km2 = m2 / 1e6;
    if km2 < 10.0 {
        format!("{km2:.3} km²")
    } else {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let whole = km2.trunc() as u64;
        format!(
            "{}.{} km²",
            crate::geodata::group_thousands(whole),
            ((km2.fract() * 10.0).round() as u64).min(9)
        )
    }
}

/// The one-line label of a measured shape: total length, and area when closed.
pub fn measure_label(points: &[LonLat], closed: bool) -> String {
    let mut ring = points.to_vec();
    if closed && let Some(first) = points.first() {
        ring.push(*first);
    }
    let total: f64 = legs(&ring).iter().map(|l| l.metres).sum();
    if closed && points.len() >= 3 {
        format!(
            "{} · perimeter {}",
            format_area(area_m2(points)),
            format_distance(total)
        )
    } else {
        format_distance(total)
    }
}

/// A geodesic circle of `radius_m` around a point, as `n` lon/lat points.
pub fn geodesic_circle(center: LonLat, radius_m: f64, n: usize) -> Vec<LonLat> {
    let c = Point::new(center[0], center[1]);
    (0..n)
        .map(|i| {
            #[allow(clippy::cast_precision_loss)]
            let bearing = 360.0 * i as f64 / n as f64;
            let p = Geodesic.destination(c, bearing, radius_m);
            [p.x(), p.y()]
        })
        .collect()
}

/// Geodesic distance in metres from a point to a geometry: 0 inside a
/// polygon; otherwise to the nearest point of its lines (found on the
/// sphere, measured on the ellipsoid).
pub fn distance_m(point: LonLat, geometry: &Geometry<f64>) -> f64 {
    let p = Point::new(point[0], point[1]);
    let inside = match geometry {
        Geometry::Polygon(poly) => poly.contains(&p),
        Geometry::MultiPolygon(mp) => mp.contains(&p),
        Geometry::Rect(r) => r.contains(&p),
        _ => false,
    };
    if inside {
        return 0.0;
    }
    match geometry.haversine_closest_point(&p) {
        geo::Closest::Intersection(_) => 0.0,
        geo::Closest::SinglePoint(q) => Geodesic.distance(p, q),
        geo::Closest::Indeterminate => f64::INFINITY,
    }
}

/// What a spatial question measures from.
#[derive(Clone, Debug, PartialEq)]
pub enum Reference {
    /// The Iraq–Syria border.
    Border,
    /// A feature of the data (a pipeline, a site, a governorate), by id.
    Feature { id: String, name: String },
    /// A shape drawn by the analyst (lon/lat points; closed for areas).
    Shape {
        name: String,
        points: Vec<LonLat>,
        closed: bool,
    },
}

impl Reference {
    /// How the question reads in a label.
    pub fn name(&self) -> String {
        match self {
            Reference::Border => "the Iraq–Syria border".to_owned(),
            Reference::Feature { name, .. } | Reference::Shape { name, .. } => name.clone(),
        }
    }

    /// The reference's geometry in lon/lat.
    pub fn geometry(&self, data: &GeoData) -> Option<Geometry<f64>> {
        match self {
            Reference::Border => data.border().map(|f| f.geometry.clone()),
            Reference::Feature { id, .. } => data
                .layers
                .iter()
                .flat_map(|l| &l.features)
                .find(|f| &f.id == id)
                .map(|f| f.geometry.clone()),
            Reference::Shape { points, closed, .. } => {
                let line: LineString<f64> = points.iter().map(|p| (p[0], p[1])).collect();
                Some(match (closed, points.len()) {
                    (_, 1) => Geometry::Point(Point::new(points[0][0], points[0][1])),
                    (true, n) if n >= 3 => Geometry::Polygon(Polygon::new(line, Vec::new())),
                    _ => Geometry::LineString(line),
                })
            }
        }
    }
}

/// A spatial question: incidents within `km` of a reference (0 = inside or on it).
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    pub reference: Reference,
    pub km: f64,
}

impl Question {
    /// "within 25 km of the Iraq–Syria border", "inside Al-Anbar".
    pub fn describe(&self) -> String {
        if self.km <= 0.0 {
            format!("inside {}", self.reference.name())
        } else {
            format!(
                "within {} km of {}",
                trim_km(self.km),
                self.reference.name()
            )
        }
    }

    /// The ids of the incidents that answer the question, with each one's
    /// distance in metres, nearest first. Incidents located only to an area
    /// or a whole line are left out.
    pub fn answer(&self, data: &GeoData, incidents: &[Incident]) -> Vec<(String, f64)> {
        let Some(geometry) = self.reference.geometry(data) else {
            return Vec::new();
        };
        let limit_m = self.km.max(0.0) * 1000.0;
        // A box test first: a degree of latitude is at least 110.5 km, and a
        // degree of longitude is at least 110.5·cos(lat) km at the box's
        // farthest latitude, so nothing within the limit falls outside it.
        let bounds = geometry.bounding_rect();
        let pad_lat = limit_m / 110_500.0 + 1e-9;
        let mut out: Vec<(String, f64)> = incidents
            .iter()
            // An incident known only to a country, a governorate or a whole
            // line has no point to measure from.
            .filter(|i| !crate::overlay::is_area_level(i))
            .filter(|i| {
                bounds.is_none_or(|r| {
                    let max_lat = (r.max().y.abs().max(r.min().y.abs()) + pad_lat).min(89.0);
                    let pad_lon = limit_m / (110_500.0 * max_lat.to_radians().cos()) + 1e-9;
                    i.lon >= r.min().x - pad_lon
                        && i.lon <= r.max().x + pad_lon
                        && i.lat >= r.min().y - pad_lat
                        && i.lat <= r.max().y + pad_lat
                })
            })
            .filter_map(|i| {
                let d = distance_m([i.lon, i.lat], &geometry);
                (d <= limit_m).then(|| (i.id.clone(), d))
            })
            .collect();
        out.sort_by(|a, b| a.1.total_cmp(&b.1));
        out
    }
}

fn trim_km(km: f64) -> String {
    if km.fract() == 0.0 {
        format!("{km:.0}")
    } else {
        format!("{km}")
    }
}

/// The distance to the Iraq–Syria border and the country a point lies in
/// ("Iraq", "Syria", or another country of the data), for the inspector.
pub fn border_position(data: &GeoData, point: LonLat) -> Option<(f64, Option<String>)> {
    let border = data.border()?;
    let d = distance_m(point, &border.geometry);
    let p = Point::new(point[0], point[1]);
    let country = data.layer("countries").and_then(|l| {
        l.features
            .iter()
            .find(|f| match &f.geometry {
                Geometry::Polygon(poly) => poly.contains(&p),
                Geometry::MultiPolygon(mp) => mp.contains(&p),
                _ => false,
            })
            .and_then(|f| f.name.clone())
    });
    Some((d, country))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incidents::{EventType, PartialDate};

    #[test]
    fn leg_lengths_and_bearings_match_reference_figures() {
        // Baghdad to Damascus: about 760 km, heading west.
        let l = legs(&[[44.40088, 33.34058], [36.29128, 33.5102]]);
        assert!((l[0].metres / 1000.0 - 754.0).abs() < 10.0, "{l:?}");
        assert!((l[0].bearing - 272.0).abs() < 3.0, "{l:?}");
        // Due north along a meridian is 0°, and one degree there is ~110.9 km at 34°N.
        let l = legs(&[[40.0, 33.5], [40.0, 34.5]]);
        assert!(l[0].bearing.abs() < 1e-6 || (l[0].bearing - 360.0).abs() < 1e-6);
        assert!((l[0].metres - 110_900.0).abs() < 300.0, "{}", l[0].metres);
        assert_eq!(format_distance(1852.0), "1.85 km (1.0 nmi)");
        assert_eq!(format_distance(500.0), "500 m (0.27 nmi)");
    }

    #[test]
    fn area_of_anbar_matches_the_reference_figure() {
        let data = GeoData::embedded();
        let anbar = data
            .layer("governorates")
            .and_then(|l| {
                l.features
                    .iter()
                    .find(|f| f.name.as_deref() == Some("Al-Anbar"))
            })
            .expect("Al-Anbar");
        let ring: Vec<LonLat> = match &anbar.geometry {
            Geometry::Polygon(p) => p.exterior().coords().map(|c| [c.x, c.y]).collect(),
            Geometry::MultiPolygon(mp) => {
                mp.0.iter()
                    .max_by_key(|p| p.exterior().0.len())
                    .map(|p| p.exterior().coords().map(|c| [c.x, c.y]).collect())
                    .unwrap_or_default()
            }
            _ => Vec::new(),
        };
        // GEODATA.md: Al-Anbar 138,195 km² (Natural Earth, geodesic).
        let km2 = area_m2(&ring[..ring.len() - 1]) / 1e6;
        assert!((km2 - 138_195.0).abs() < 700.0, "{km2}");
        // One degree square at the equator is about 12,309 km².
        let sq = area_m2(&[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]) / 1e6;
        assert!((sq - 12_308.0).abs() < 5.0, "{sq}");
        // Clicked clockwise, the same square.
        let cw = area_m2(&[[0.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, 0.0]]) / 1e6;
        assert!((cw - sq).abs() < 1e-6, "{cw}");
        assert!(
            format_area(sq * 1e6).starts_with("12,30"),
            "{}",
            format_area(sq * 1e6)
        );
    }

    #[test]
    fn a_geodesic_circle_is_the_radius_from_its_centre() {
        let c = [40.977, 34.3975];
        for p in geodesic_circle(c, 25_000.0, 36) {
            let d = Geodesic.distance(Point::new(c[0], c[1]), Point::new(p[0], p[1]));
            assert!((d - 25_000.0).abs() < 0.01, "{d}");
        }
    }

    #[test]
    fn questions_find_incidents_near_the_border_and_inside_a_governorate() {
        let data = GeoData::embedded();
        let sample = crate::incidents::tests::sample;
        let at = |id: &str, lon: f64, lat: f64| {
            let mut i = sample(id, EventType::Clash, PartialDate::parse("2024-01-01"), "d");
            i.lon = lon;
            i.lat = lat;
            i
        };
        let incidents = vec![
            // Al-Qaim crossing: on the border.
            at("crossing", 40.977, 34.3975),
            // Al-Qaim town: about 1 km in.
            at("qaim", 40.98862, 34.39133),
            // Haditha: about 150 km from the border.
            at("haditha", 42.37727, 34.13661),
            // Damascus.
            at("damascus", 36.29128, 33.5102),
            // Known only as "Syria": never an answer, wherever its point is.
            {
                let mut i = at("syria", 40.9, 34.4);
                i.geo_precision = 3;
                i
            },
        ];
        let q = Question {
            reference: Reference::Border,
            km: 25.0,
        };
        let found: Vec<String> = q
            .answer(&data, &incidents)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(found, ["crossing", "qaim"]);
        assert_eq!(q.describe(), "within 25 km of the Iraq–Syria border");
        let anbar = data
            .layer("governorates")
            .and_then(|l| {
                l.features
                    .iter()
                    .find(|f| f.name.as_deref() == Some("Al-Anbar"))
            })
            .expect("Al-Anbar");
        let inside = Question {
            reference: Reference::Feature {
                id: anbar.id.clone(),
                name: "Al-Anbar".into(),
            },
            km: 0.0,
        };
        let found: Vec<String> = inside
            .answer(&data, &incidents)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert!(found.contains(&"haditha".to_owned()) && found.contains(&"qaim".to_owned()));
        assert!(!found.contains(&"damascus".to_owned()));
        // Within 200 km of a drawn point at Haditha: Haditha and the Al-Qaim pair.
        let shape = Question {
            reference: Reference::Shape {
                name: "pin".into(),
                points: vec![[42.37727, 34.13661]],
                closed: false,
            },
            km: 200.0,
        };
        assert_eq!(shape.answer(&data, &incidents).len(), 3);
    }

    #[test]
    fn border_position_names_the_side() {
        let data = GeoData::embedded();
        let (d, side) = border_position(&data, [40.91854, 34.45226]).expect("border");
        assert_eq!(side.as_deref(), Some("Syria"), "Abu Kamal");
        assert!(d < 10_000.0, "{d}");
        let (d, side) = border_position(&data, [42.37727, 34.13661]).expect("border");
        assert_eq!(side.as_deref(), Some("Iraq"), "Haditha");
        assert!((100_000.0..250_000.0).contains(&d), "{d}");
    }
}

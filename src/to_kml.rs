//! KML output (OGC KML 2.2, as Google Earth Pro reads it) for incidents and
//! annotations, written with the `kml` crate.
//!
//! Incidents become placemarks grouped in one folder per event type, each
//! with a `TimeStamp` (day, month or year, as precisely as the date is known)
//! so Google Earth's time slider plays them, the source passages in the
//! description and the fields of the CSV export in `ExtendedData`.
//! Annotations keep their shape and colour: text and pins are points, arrows,
//! lines and strokes are line strings, rectangles and ellipses polygons.

use std::collections::HashMap;

use kml::types::{
    AltitudeMode, Coord, Element, Folder, Geometry, IconStyle, LineString, LineStyle, LinearRing,
    Placemark, Point, PolyStyle, Polygon, Style,
};
use kml::{Kml, KmlWriter};

use crate::annotate::{Annotation, AnnotationKind, LonLat};
use crate::geodata::Rgba;
use crate::incidents::{EventType, Incident, Origin};

/// KML colour: `aabbggrr` in hex.
fn kml_color(c: Rgba) -> String {
    let [r, g, b, a] = c.0;
    format!("{a:02x}{b:02x}{g:02x}{r:02x}")
}

fn coord(lon: f64, lat: f64) -> Coord {
    Coord::new(lon, lat, None)
}

fn text_element(name: &str, content: impl Into<String>) -> Element {
    Element {
        name: name.to_owned(),
        content: Some(content.into()),
        ..Element::default()
    }
}

/// `<ExtendedData>` with one `<Data name=…><value>…</value></Data>` per pair.
fn extended_data(pairs: &[(&str, String)]) -> Element {
    Element {
        name: "ExtendedData".to_owned(),
        children: pairs
            .iter()
            .map(|(k, v)| Element {
                name: "Data".to_owned(),
                attrs: HashMap::from([("name".to_owned(), (*k).to_owned())]),
                children: vec![text_element("value", v.clone())],
                ..Element::default()
            })
            .collect(),
        ..Element::default()
    }
}

fn document(name: &str, elements: Vec<Kml>) -> Kml {
    let mut all = vec![Kml::Element(text_element("name", name))];
    all.extend(elements);
    Kml::KmlDocument(kml::types::KmlDocument {
        attrs: HashMap::from([(
            "xmlns".to_owned(),
            "http://www.opengis.net/kml/2.2".to_owned(),
        )]),
        elements: vec![Kml::Document {
            attrs: HashMap::new(),
            elements: all,
        }],
        ..kml::types::KmlDocument::default()
    })
}

fn write(kml: &Kml) -> String {
    let mut buf = Vec::new();
    buf.extend_from_slice(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let mut writer = KmlWriter::<_, f64>::from_writer(&mut buf);
    // Writing to memory cannot fail for I/O; an error here is a defect.
    if let Err(e) = writer.write(kml) {
        log::error!("KML writer: {e}");
    }
    String::from_utf8_lossy(&buf).into_owned()
}

fn style_id(t: EventType) -> String {
    format!("type-{}", t.as_str())
}

/// The description shown in Google Earth's balloon: summary, date, place and
/// precision, then every source passage quoted with its document.
fn incident_description(i: &Incident) -> String {
    let mut out = String::new();
    out.push_str(&i.summary);
    out.push_str("\n\n");
    out.push_str(&format!(
        "Date: {}{}\n",
        i.date
            .map_or_else(|| "undated".to_owned(), |d| d.to_string()),
        i.date_text
            .as_ref()
            .map_or_else(String::new, |t| format!(" (“{t}”)"))
    ));
    out.push_str(&format!(
        "Place: {} (precision {}){}\n",
        i.place.canonical,
        i.geo_precision,
        i.place
            .not_found
            .as_ref()
            .map_or_else(String::new, |n| format!("; place not found: {n}"))
    ));
    if !i.actors.is_empty() {
        out.push_str(&format!("Actors: {}\n", i.actors.join(", ")));
    }
    for s in &i.sources {
        out.push_str(&format!(
            "\nSource: {} (bytes {}–{})\n“{}”\n",
            s.doc, s.start, s.end, s.quote
        ));
    }
    out
}

fn incident_placemark(i: &Incident) -> Placemark {
    let (acled_type, acled_sub) = i.event_type.acled();
    let origin = match i.origin {
        Origin::Extracted => "extracted",
        Origin::Edited => "edited",
        Origin::Analyst => "analyst",
    };
    let mut children = Vec::new();
    if let Some(date) = i.date {
        children.push(Element {
            name: "TimeStamp".to_owned(),
            children: vec![text_element("when", date.to_string())],
            ..Element::default()
        });
    }
    children.push(extended_data(&[
        ("id", i.id.clone()),
        ("event_type", i.event_type.as_str().to_owned()),
        ("acled_event_type", acled_type.to_owned()),
        ("acled_sub_event_type", acled_sub.to_owned()),
        (
            "event_date",
            i.date.map(|d| d.to_string()).unwrap_or_default(),
        ),
        ("time_precision", i.time_precision.as_str().to_owned()),
        ("location", i.place.canonical.clone()),
        ("geo_precision", i.geo_precision.to_string()),
        ("actors", i.actors.join("; ")),
        ("origin", origin.to_owned()),
        ("review", i.review.as_str().to_owned()),
        ("analyst_note", i.note.clone()),
        (
            "sources",
            i.sources
                .iter()
                .map(|s| s.doc.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        ),
    ]));
    Placemark {
        name: Some(format!("{} — {}", i.event_type.label(), i.place.canonical)),
        description: Some(incident_description(i)),
        geometry: Some(Geometry::Point(Point {
            coord: coord(i.lon, i.lat),
            altitude_mode: AltitudeMode::ClampToGround,
            ..Point::default()
        })),
        style_url: Some(format!("#{}", style_id(i.event_type))),
        children,
        ..Placemark::default()
    }
}

/// Incidents as a KML document: a style and a folder per event type present.
pub fn incidents_kml(incidents: &[Incident]) -> String {
    let mut elements = Vec::new();
    let mut folders = Vec::new();
    for t in EventType::ALL {
        let of_type: Vec<&Incident> = incidents.iter().filter(|i| i.event_type == t).collect();
        if of_type.is_empty() {
            continue;
        }
        let (_, color) = crate::scene::event_style(t);
        elements.push(Kml::Style(Style {
            id: Some(style_id(t)),
            icon: Some(IconStyle {
                color: kml_color(color),
                ..IconStyle::default()
            }),
            ..Style::default()
        }));
        folders.push(Kml::Folder(Folder {
            name: Some(format!("{} ({})", t.label(), of_type.len())),
            elements: of_type
                .into_iter()
                .map(|i| Kml::Placemark(incident_placemark(i)))
                .collect(),
            ..Folder::default()
        }));
    }
    elements.extend(folders);
    write(&document("badiya incidents", elements))
}

fn line_string(points: &[LonLat]) -> Geometry {
    Geometry::LineString(LineString {
        coords: points.iter().map(|p| coord(p[0], p[1])).collect(),
        tessellate: true,
        ..LineString::default()
    })
}

fn polygon(mut ring: Vec<LonLat>) -> Geometry {
    if let Some(first) = ring.first().copied() {
        ring.push(first);
    }
    Geometry::Polygon(Polygon {
        outer: LinearRing {
            coords: ring.iter().map(|p| coord(p[0], p[1])).collect(),
            tessellate: true,
            ..LinearRing::default()
        },
        tessellate: true,
        ..Polygon::default()
    })
}

/// Annotations as a KML document, each with its own colour and width.
pub fn annotations_kml(items: &[Annotation]) -> String {
    let mut elements = Vec::new();
    for a in items {
        let id = format!("annotation-{}", a.id);
        let color = kml_color(a.style.color);
        let fill = Rgba([
            a.style.color.0[0],
            a.style.color.0[1],
            a.style.color.0[2],
            if a.style.fill { 0x40 } else { 0 },
        ]);
        elements.push(Kml::Style(Style {
            id: Some(id.clone()),
            icon: Some(IconStyle {
                color: color.clone(),
                ..IconStyle::default()
            }),
            line: Some(LineStyle {
                color,
                width: f64::from(a.style.stroke_width),
                ..LineStyle::default()
            }),
            poly: Some(PolyStyle {
                color: kml_color(fill),
                ..PolyStyle::default()
            }),
            ..Style::default()
        }));
        let (geometry, note) = match &a.kind {
            AnnotationKind::Text { at } => (
                Geometry::Point(Point {
                    coord: coord(at[0], at[1]),
                    ..Point::default()
                }),
                None,
            ),
            AnnotationKind::Pin { at, note } => (
                Geometry::Point(Point {
                    coord: coord(at[0], at[1]),
                    ..Point::default()
                }),
                Some(note.clone()),
            ),
            AnnotationKind::Arrow { from, to } => (line_string(&[*from, *to]), None),
            AnnotationKind::Polyline { points } | AnnotationKind::Freehand { points } => {
                (line_string(points), None)
            }
            AnnotationKind::Rect { a: p, b: q } => {
                let (x0, x1) = (p[0].min(q[0]), p[0].max(q[0]));
                let (y0, y1) = (p[1].min(q[1]), p[1].max(q[1]));
                (polygon(vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1]]), None)
            }
            AnnotationKind::Ellipse { a: p, b: q } => {
                (polygon(crate::annotate::ellipse_lon_lat(*p, *q, 64)), None)
            }
        };
        let title = if a.text.trim().is_empty() {
            a.title()
        } else {
            a.text.clone()
        };
        elements.push(Kml::Placemark(Placemark {
            name: Some(title),
            description: note.filter(|n| !n.trim().is_empty()),
            geometry: Some(geometry),
            style_url: Some(format!("#{id}")),
            children: vec![extended_data(&[
                ("kind", a.kind.name().to_owned()),
                ("color", a.style.color.hex_rgb()),
            ])],
            ..Placemark::default()
        }));
    }
    write(&document("badiya annotations", elements))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::{AnnoStyle, lon_lat};

    fn parse(text: &str) -> Kml {
        text.parse::<Kml>().expect("KML parses")
    }

    /// Every placemark in a parsed document, depth first.
    fn placemarks(k: &Kml) -> Vec<Placemark> {
        match k {
            Kml::Placemark(p) => vec![p.clone()],
            Kml::KmlDocument(d) => d.elements.iter().flat_map(placemarks).collect(),
            Kml::Document { elements, .. } => elements.iter().flat_map(placemarks).collect(),
            Kml::Folder(f) => f.elements.iter().flat_map(placemarks).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn incidents_carry_a_timestamp_the_quote_and_lon_lat_order() {
        use crate::incidents::PartialDate;
        let sample = crate::incidents::tests::sample;
        let mut a = sample(
            "a",
            EventType::Clash,
            PartialDate::parse("2024-03-05"),
            "doc.txt",
        );
        a.lon = 41.1;
        a.lat = 34.4;
        a.sources[0].quote = "Fighting broke out in Al-Qaim & Husaybah <on Monday>.".into();
        let b = sample(
            "b",
            EventType::Seizure,
            PartialDate::parse("2024-03"),
            "doc.txt",
        );
        let c = sample("c", EventType::Seizure, None, "doc.txt");
        let text = incidents_kml(&[a, b, c]);
        assert!(text.starts_with("<?xml"), "{text}");
        assert!(text.contains("<when>2024-03-05</when>"), "{text}");
        assert!(text.contains("<when>2024-03</when>"), "{text}");
        // XML special characters are escaped, and the quote is in the description.
        assert!(
            text.contains("Al-Qaim &amp; Husaybah &lt;on Monday&gt;"),
            "{text}"
        );
        let marks = placemarks(&parse(&text));
        assert_eq!(marks.len(), 3);
        let clash = marks
            .iter()
            .find(|p| p.name.as_deref().is_some_and(|n| n.starts_with("Clash")))
            .expect("the clash");
        match &clash.geometry {
            Some(Geometry::Point(p)) => {
                assert!((p.coord.x - 41.1).abs() < 1e-9 && (p.coord.y - 34.4).abs() < 1e-9);
            }
            other => panic!("{other:?}"),
        }
        assert!(
            clash
                .description
                .as_deref()
                .is_some_and(|d| d.contains("Husaybah")),
        );
        // The undated incident has no TimeStamp (it shows at every time).
        let undated = marks
            .iter()
            .filter(|p| !p.children.iter().any(|c| c.name == "TimeStamp"))
            .count();
        assert_eq!(undated, 1);
        // ACLED's columns travel along.
        assert!(text.contains("acled_event_type"), "{text}");
        assert!(text.contains("Battles"), "{text}");
    }

    #[test]
    fn annotations_keep_shape_and_colour() {
        let style = AnnoStyle {
            color: Rgba::rgb(0x00, 0x57, 0xb8),
            ..AnnoStyle::default()
        };
        let items = vec![
            Annotation::new(AnnotationKind::Pin {
                at: lon_lat(40.9, 34.45),
                note: "checkpoint".into(),
            })
            .with_style(style),
            Annotation::new(AnnotationKind::Rect {
                a: lon_lat(40.0, 34.0),
                b: lon_lat(41.0, 35.0),
            }),
            Annotation::new(AnnotationKind::Polyline {
                points: vec![
                    lon_lat(40.0, 34.0),
                    lon_lat(40.5, 34.2),
                    lon_lat(41.0, 34.1),
                ],
            })
            .with_text("route"),
        ];
        let text = annotations_kml(&items);
        // aabbggrr: the blue pin.
        assert!(text.contains("ffb85700"), "{text}");
        let marks = placemarks(&parse(&text));
        assert_eq!(marks.len(), 3);
        assert!(matches!(marks[0].geometry, Some(Geometry::Point(_))));
        assert_eq!(marks[0].description.as_deref(), Some("checkpoint"));
        match &marks[1].geometry {
            Some(Geometry::Polygon(p)) => {
                assert_eq!(p.outer.coords.len(), 5, "closed ring");
                assert_eq!(p.outer.coords.first(), p.outer.coords.last());
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(&marks[2].geometry, Some(Geometry::LineString(l)) if l.coords.len() == 3));
        assert_eq!(marks[2].name.as_deref(), Some("route"));
    }
}

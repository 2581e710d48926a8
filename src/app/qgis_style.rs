//! The workspace's layers styled for QGIS: the `layer_styles` table of QGIS's
//! GeoPackage styling convention, one default style (QML) per feature table,
//! so that QGIS draws the incidents as badiya does (a symbol and a colour per
//! event type) and labels the annotations and the analyst's places.

use crate::incidents::EventType;
use crate::scene::{Symbol, event_style};

/// The `layer_styles` table as QGIS creates it, registered as attributes.
pub const LAYER_STYLES_TABLE: &str = r#"
CREATE TABLE IF NOT EXISTS layer_styles (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, f_table_catalog TEXT(256), f_table_schema TEXT(256),
  f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT,
  useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30),
  update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
INSERT OR IGNORE INTO gpkg_contents(table_name, data_type, identifier, description) VALUES
  ('layer_styles', 'attributes', 'layer_styles', 'QGIS styles of the layers, as badiya draws them');
"#;

/// The owner written with badiya's styles: they are replaced as a whole when
/// badiya's symbols change, and an analyst's own styles are left alone.
pub const OWNER: &str = "badiya";

/// (table, style name, description, QML) for every feature table.
pub fn styles() -> Vec<(&'static str, &'static str, &'static str, String)> {
    vec![
        (
            "incidents",
            "badiya: by event type",
            "Incidents by event type, in badiya's symbols and colours",
            incidents_qml(),
        ),
        (
            "annotations",
            "badiya: annotations",
            "The analyst's annotations with their labels",
            annotations_qml(),
        ),
        (
            "analyst_places",
            "badiya: analyst places",
            "Places the analyst placed, with their names",
            places_qml(),
        ),
    ]
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// QGIS's simple-marker shape and rotation for a badiya symbol.
fn marker_shape(symbol: Symbol) -> (&'static str, u32) {
    match symbol {
        Symbol::Circle => ("circle", 0),
        Symbol::Square => ("square", 0),
        Symbol::Triangle => ("triangle", 0),
        Symbol::InvertedTriangle => ("triangle", 180),
        Symbol::Diamond => ("diamond", 0),
        Symbol::Star => ("star", 0),
        Symbol::Cross => ("cross_fill", 0),
        Symbol::Pentagon => ("pentagon", 0),
        Symbol::Hexagon => ("hexagon", 0),
    }
}

fn props(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("<prop k=\"{k}\" v=\"{}\"/>", xml_escape(v)))
        .collect::<Vec<_>>()
        .join("")
}

fn marker_symbol(name: &str, shape: &str, angle: u32, rgb: [u8; 3], size_mm: f32) -> String {
    let [r, g, b] = rgb;
    format!(
        "<symbol type=\"marker\" name=\"{name}\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\
         <layer class=\"SimpleMarker\" enabled=\"1\" locked=\"0\" pass=\"0\">{}</layer></symbol>",
        props(&[
            ("name", shape.to_string()),
            ("angle", angle.to_string()),
            ("color", format!("{r},{g},{b},255")),
            ("outline_color", "255,255,255,255".into()),
            ("outline_style", "solid".into()),
            ("outline_width", "0.3".into()),
            ("outline_width_unit", "MM".into()),
            ("size", format!("{size_mm}")),
            ("size_unit", "MM".into()),
        ])
    )
}

fn line_symbol(name: &str, rgb: [u8; 3], width_mm: f32) -> String {
    let [r, g, b] = rgb;
    format!(
        "<symbol type=\"line\" name=\"{name}\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\
         <layer class=\"SimpleLine\" enabled=\"1\" locked=\"0\" pass=\"0\">{}</layer></symbol>",
        props(&[
            ("line_color", format!("{r},{g},{b},255")),
            ("line_style", "solid".into()),
            ("line_width", format!("{width_mm}")),
            ("line_width_unit", "MM".into()),
            ("capstyle", "round".into()),
            ("joinstyle", "round".into()),
        ])
    )
}

fn fill_symbol(name: &str, rgb: [u8; 3]) -> String {
    let [r, g, b] = rgb;
    format!(
        "<symbol type=\"fill\" name=\"{name}\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\
         <layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\">{}</layer></symbol>",
        props(&[
            ("color", format!("{r},{g},{b},40")),
            ("style", "solid".into()),
            ("outline_color", format!("{r},{g},{b},255")),
            ("outline_style", "solid".into()),
            ("outline_width", "0.6".into()),
            ("outline_width_unit", "MM".into()),
        ])
    )
}

/// Labels from one field, dark text with a light halo.
fn labeling(field: &str) -> String {
    format!(
        "<labeling type=\"simple\"><settings calloutType=\"simple\">\
         <text-style fieldName=\"{field}\" isExpression=\"0\" fontSize=\"8\" fontSizeUnit=\"Point\" \
         textColor=\"30,30,30,255\" fontFamily=\"Sans Serif\" fontWeight=\"50\" textOpacity=\"1\">\
         <text-buffer bufferDraw=\"1\" bufferSize=\"0.8\" bufferSizeUnits=\"MM\" bufferColor=\"255,255,255,255\" bufferOpacity=\"0.9\"/>\
         </text-style><placement placement=\"1\" dist=\"1.5\" distUnits=\"MM\"/>\
         <rendering obstacle=\"1\" scaleVisibility=\"0\"/></settings></labeling>"
    )
}

fn document(renderer: &str, labels: Option<&str>) -> String {
    let (categories, labeling) = match labels {
        Some(field) => ("Symbology|Labeling", labeling(field)),
        None => ("Symbology", String::new()),
    };
    format!(
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n\
         <qgis version=\"3.22.0\" styleCategories=\"{categories}\">{renderer}{labeling}\
         {}</qgis>\n",
        if labels.is_some() {
            "<customproperties><property key=\"labeling/enabled\" value=\"true\"/></customproperties>"
        } else {
            ""
        }
    )
}

/// Incidents: one category per event type, with badiya's symbol and colour.
pub fn incidents_qml() -> String {
    let mut categories = String::new();
    let mut symbols = String::new();
    for (k, t) in EventType::ALL.iter().enumerate() {
        let (symbol, colour) = event_style(*t);
        let (shape, angle) = marker_shape(symbol);
        categories.push_str(&format!(
            "<category render=\"true\" value=\"{}\" symbol=\"{k}\" label=\"{}\"/>",
            t.as_str(),
            xml_escape(t.label())
        ));
        symbols.push_str(&marker_symbol(
            &k.to_string(),
            shape,
            angle,
            [colour.0[0], colour.0[1], colour.0[2]],
            3.6,
        ));
    }
    let renderer = format!(
        "<renderer-v2 type=\"categorizedSymbol\" attr=\"event_type\" forceraster=\"0\" \
         symbollevels=\"0\" enableorderby=\"0\"><categories>{categories}</categories>\
         <symbols>{symbols}</symbols></renderer-v2>"
    );
    document(&renderer, None)
}

/// Annotations: a rule per kind of geometry, labelled with their text.
pub fn annotations_qml() -> String {
    let red = [0xd3, 0x2f, 0x2f];
    let rules = [
        ("Pins and labels", "Point"),
        ("Lines and arrows", "Line"),
        ("Areas", "Polygon"),
    ]
    .iter()
    .enumerate()
    .map(|(k, (label, kind))| {
        format!(
            "<rule key=\"{{badiya-{k}}}\" symbol=\"{k}\" label=\"{label}\" \
             filter=\"geometry_type($geometry) = '{kind}'\"/>"
        )
    })
    .collect::<String>();
    let symbols = format!(
        "{}{}{}",
        marker_symbol("0", "circle", 0, red, 3.0),
        line_symbol("1", red, 0.8),
        fill_symbol("2", red)
    );
    let renderer = format!(
        "<renderer-v2 type=\"RuleRenderer\" forceraster=\"0\" symbollevels=\"0\" enableorderby=\"0\">\
         <rules key=\"{{badiya-root}}\">{rules}</rules><symbols>{symbols}</symbols></renderer-v2>"
    );
    document(&renderer, Some("label"))
}

/// The analyst's places: a dark ring, labelled with the name.
pub fn places_qml() -> String {
    let renderer = format!(
        "<renderer-v2 type=\"singleSymbol\" forceraster=\"0\" symbollevels=\"0\" enableorderby=\"0\">\
         <symbols>{}</symbols></renderer-v2>",
        marker_symbol("0", "circle", 0, [0x42, 0x42, 0x42], 2.4)
    );
    document(&renderer, Some("name"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_type_has_its_category_in_its_colour() {
        let qml = incidents_qml();
        for t in EventType::ALL {
            let (_, c) = event_style(t);
            assert!(qml.contains(&format!("value=\"{}\"", t.as_str())), "{t:?}");
            assert!(
                qml.contains(&format!("{},{},{},255", c.0[0], c.0[1], c.0[2])),
                "{t:?}"
            );
        }
        assert!(qml.contains("attr=\"event_type\""));
    }

    #[test]
    fn names_with_markup_characters_are_escaped() {
        assert_eq!(xml_escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}

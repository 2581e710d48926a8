//! Reproducible awkward documents for the linear-time checks and benchmarks:
//! the same few kinds of text a reader meets in the wild (one endless line,
//! thousands of short lines, no punctuation at all, nothing but place names,
//! deeply nested HTML), grown to any size.

use crate::docs::DocKind;

/// One paragraph of ordinary reporting, the unit the shapes repeat.
const PARAGRAPH: &str = "BAGHDAD, March 3 (Wire) - Gunmen attacked an army checkpoint near \
Al-Qaim on Tuesday, killing two soldiers, officials said. Separately, security forces \
seized a weapons cache in the desert west of Rutba. In Deir ez-Zor, the SDF said it had \
arrested three suspects in a raid on the village of Thiban. ";

/// A named document shape.
pub struct Shape {
    pub name: &'static str,
    pub kind: DocKind,
    pub text: String,
}

fn grow(unit: &str, bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + unit.len());
    while out.len() < bytes {
        out.push_str(unit);
    }
    out
}

/// Every shape, each about `bytes` long.
pub fn document_shapes(bytes: usize) -> Vec<Shape> {
    let no_punctuation: String = PARAGRAPH
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ')
        .collect();
    let places = "Al-Qaim Abu Kamal Rutba Haditha Hit Ramadi Fallujah Mayadin Hasakah Raqqa \
Mosul Tal Afar Sinjar Baiji Tikrit Samarra Kirkuk Deir ez-Zor Albu Kamal Husaybah ";
    let mut nested = String::with_capacity(bytes + 64);
    nested.push_str("<html><body>");
    let depth = 2_000;
    for _ in 0..depth {
        nested.push_str("<div>");
    }
    let body = grow(
        &format!("<p>{PARAGRAPH}</p>"),
        bytes.saturating_sub(12 * depth),
    );
    nested.push_str(&body);
    for _ in 0..depth {
        nested.push_str("</div>");
    }
    nested.push_str("</body></html>");
    vec![
        Shape {
            name: "article",
            kind: DocKind::Text,
            text: grow(&format!("{PARAGRAPH}\n\n"), bytes),
        },
        Shape {
            name: "one_line",
            kind: DocKind::Text,
            text: grow(PARAGRAPH, bytes),
        },
        Shape {
            name: "short_lines",
            kind: DocKind::Text,
            text: grow(&PARAGRAPH.split(' ').collect::<Vec<_>>().join("\n"), bytes),
        },
        Shape {
            name: "no_punctuation",
            kind: DocKind::Text,
            text: grow(&no_punctuation, bytes),
        },
        Shape {
            name: "place_names",
            kind: DocKind::Text,
            text: grow(places, bytes),
        },
        Shape {
            name: "nested_html",
            kind: DocKind::Html,
            text: nested,
        },
    ]
}

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

/// Places the stress corpus reports from (all in the embedded gazetteer).
const STRESS_PLACES: [&str; 16] = [
    "Al-Qaim",
    "Rutba",
    "Haditha",
    "Hit",
    "Ramadi",
    "Fallujah",
    "Mayadin",
    "Hajin",
    "Abu Kamal",
    "Deir ez-Zor",
    "Hasakah",
    "Raqqa",
    "Sinjar",
    "Tal Afar",
    "Baiji",
    "Tikrit",
];

/// What the stress corpus reports: a sentence per event, with a place and a day.
const STRESS_EVENTS: [&str; 8] = [
    "Gunmen attacked an army checkpoint near {place} on {day}, killing two soldiers, officials said.",
    "Security forces arrested {n} suspects in a raid on a village outside {place} on {day}.",
    "Fighters clashed with government forces in {place} on {day}, a monitor said.",
    "A roadside bomb struck a patrol west of {place} on {day}.",
    "Coalition forces withdrew from a base near {place} on {day}.",
    "Tribal leaders met officials in {place} on {day} to discuss the return of displaced families.",
    "A drone strike hit a vehicle on the road to {place} on {day}.",
    "Troops deployed to {place} on {day} after the attacks.",
];

/// Words around the reports that carry no event (weather, markets, sport).
const STRESS_FILLER: &str = "Prices of bread and fuel rose again in the markets this week, \
traders said, and the weather stayed hot and dry. The local football club won its match. \
Schools reopened after the holiday, and the municipality repaired a water main. ";

/// A small deterministic generator (xorshift): the same seed gives the same
/// numbers, so every run writes the same corpus (and drives the same events).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// `n` documents of reporting (about 5 KB each, a few events apiece, dated
/// through 2025), the same for the same `seed`: (file name, text).
pub fn stress_corpus(n: usize, seed: u64) -> Vec<(String, String)> {
    let mut rng = Rng::new(seed);
    let days = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    let months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    (0..n)
        .map(|k| {
            let month = rng.pick(&months);
            let date = 1 + rng.below(28);
            let dateline_place = rng.pick(&STRESS_PLACES).to_uppercase();
            let mut text = format!("{dateline_place}, {month} {date}, 2025 (Wire) - ");
            let events = 2 + rng.below(4) as usize;
            for e in 0..events {
                let sentence = rng
                    .pick(&STRESS_EVENTS)
                    .replace("{place}", rng.pick(&STRESS_PLACES))
                    .replace("{day}", rng.pick(&days))
                    .replace("{n}", &(2 + rng.below(9)).to_string());
                text.push_str(&sentence);
                text.push_str(if e % 2 == 0 { " " } else { "\n\n" });
                while text.len() < (e + 1) * 5_000 / events {
                    text.push_str(STRESS_FILLER);
                }
                text.push_str("\n\n");
            }
            (format!("stress-{k:05}.txt"), text)
        })
        .collect()
}

/// Writes [`stress_corpus`] into `dir` (created if missing), one file a
/// document; returns the bytes written.
pub fn write_stress_corpus(dir: &std::path::Path, n: usize, seed: u64) -> anyhow::Result<usize> {
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    let mut bytes = 0;
    for (name, text) in stress_corpus(n, seed) {
        let path = dir.join(&name);
        std::fs::write(&path, &text)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
        bytes += text.len();
    }
    Ok(bytes)
}

/// How many stress polygon layers, polygons in each, and vertices in each
/// polygon's ring: 4 × 1,000 × 250 = 1,000,000 vertices.
pub const STRESS_LAYERS: usize = 4;
pub const STRESS_POLYGONS_PER_LAYER: usize = 1_000;
pub const STRESS_RING_VERTICES: usize = 250;

/// One stress layer as GeoJSON: irregular rings (a wobbling radius, like
/// district outlines) scattered over the region, each with a name to label.
pub fn stress_layer_geojson(layer: usize, seed: u64) -> String {
    use std::fmt::Write as _;
    let mut rng = Rng::new(seed.wrapping_mul(31).wrapping_add(layer as u64 + 1));
    let mut out = String::with_capacity(STRESS_POLYGONS_PER_LAYER * STRESS_RING_VERTICES * 24);
    out.push_str("{\"type\":\"FeatureCollection\",\"features\":[");
    for k in 0..STRESS_POLYGONS_PER_LAYER {
        let unit = |r: &mut Rng| r.below(1_000_000) as f64 / 1e6;
        let cx = 34.5 + unit(&mut rng) * 14.0;
        let cy = 29.5 + unit(&mut rng) * 8.5;
        let radius = 0.04 + unit(&mut rng) * 0.12;
        let (a, b) = (
            1.0 + rng.below(5) as f64,
            unit(&mut rng) * std::f64::consts::TAU,
        );
        if k > 0 {
            out.push(',');
        }
        let _ = write!(
            out,
            "{{\"type\":\"Feature\",\"properties\":{{\"name\":\"Stress {layer}-{k}\"}},\
             \"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[["
        );
        for v in 0..=STRESS_RING_VERTICES {
            // The ring closes on its first vertex (RFC 7946 §3.1.6).
            let t = (v % STRESS_RING_VERTICES) as f64 / STRESS_RING_VERTICES as f64
                * std::f64::consts::TAU;
            let r = radius * (1.0 + 0.25 * (a * t + b).sin());
            if v > 0 {
                out.push(',');
            }
            let _ = write!(out, "[{:.5},{:.5}]", cx + r * t.cos(), cy + r * t.sin());
        }
        out.push_str("]]}}");
    }
    out.push_str("]}");
    out
}

/// Writes the embedded data plus [`STRESS_LAYERS`] stress polygon layers
/// into `dir`, a data folder for `badiya --data DIR`; returns the stress
/// vertices written.
pub fn write_stress_layers(dir: &std::path::Path, seed: u64) -> anyhow::Result<usize> {
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
    };
    let mut catalog: Vec<serde_json::Value> = Vec::new();
    for (name, text) in crate::geodata::EMBEDDED {
        if *name == "layers.json" {
            catalog = serde_json::from_str(text)?;
        } else {
            write(name, text)?;
        }
    }
    let colours = ["#7a9e7e", "#9e7a7a", "#7a7e9e", "#9e9a7a"];
    for layer in 0..STRESS_LAYERS {
        let file = format!("stress-{layer}.geojson");
        write(&file, &stress_layer_geojson(layer, seed))?;
        catalog.push(serde_json::json!({
            "id": format!("stress-{layer}"),
            "name": format!("Stress districts {}", layer + 1),
            "file": file,
            "kind": "polygon",
            "draw_order": 15 + layer,
            "label_field": "name",
            "min_zoom": 0,
            "attribution": "generated by badiya gen-stress",
            "style": {
                "fill": format!("{}30", colours[layer % colours.len()]),
                "stroke": format!("{}ff", colours[layer % colours.len()]),
                "stroke_width": 0.6,
                "dash": null
            },
            "visible": true
        }));
    }
    write("layers.json", &serde_json::to_string_pretty(&catalog)?)?;
    Ok(STRESS_LAYERS * STRESS_POLYGONS_PER_LAYER * STRESS_RING_VERTICES)
}

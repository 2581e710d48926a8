//! Evaluation of extraction against the hand-made labels in
//! `tests/fixtures/labels.json`: precision and recall of incidents on the seed
//! documents, and place accuracy. Runs headless with `cargo test eval -- --nocapture`.
//!
//! A label is found when an extracted incident of the same event type has a
//! source sentence containing one of the label's fragments. An extracted
//! incident is correct when one of its source sentences matches a label of its
//! type. Place accuracy counts found labels whose place (when the label names
//! one) is the incident's gazetteer place.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::{Gazetteer, builtin_gazetteer, extract_all, gazetteer_from_geojson, name_key};
use crate::docs::{Document, seed_documents};
use crate::incidents::{EventType, Incident};

const LABELS: &str = include_str!("../../tests/fixtures/labels.json");

#[derive(Debug, Deserialize)]
struct LabelFile {
    documents: BTreeMap<String, Vec<Label>>,
}

#[derive(Debug, Deserialize)]
struct Label {
    event_type: EventType,
    #[serde(default)]
    place: serde_json::Value,
    fragments: Vec<String>,
    #[serde(default)]
    note: String,
}

impl Label {
    fn places(&self) -> Vec<String> {
        match &self.place {
            serde_json::Value::String(s) => vec![s.clone()],
            serde_json::Value::Array(items) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// The app's gazetteer from `geodata/` when present, else the built-in one.
fn gazetteer() -> (Gazetteer, &'static str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata");
    let read = |f: &str| std::fs::read_to_string(dir.join(f));
    match (
        read("places.geojson"),
        read("governorates.geojson"),
        read("countries.geojson"),
    ) {
        (Ok(p), Ok(g), Ok(c)) => match gazetteer_from_geojson(&p, &g, &c) {
            Ok(gaz) => (gaz, "geodata/"),
            Err(e) => panic!("geodata/ is present but unreadable: {e}"),
        },
        _ => (builtin_gazetteer(), "built-in"),
    }
}

fn normalise(text: &str) -> String {
    text.replace(['’', '‘'], "'")
        .replace(['“', '”'], "\"")
        .replace("**", "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The texts a source sentence is known by: the quote and its display form.
fn source_texts(docs: &[Document], incident: &Incident) -> Vec<(String, String)> {
    incident
        .sources
        .iter()
        .map(|s| {
            let display = docs
                .iter()
                .find(|d| d.id == s.doc)
                .map(|d| d.display_excerpt(s.start, s.end).to_owned())
                .unwrap_or_default();
            (
                s.doc.clone(),
                normalise(&format!("{} \u{1f} {}", s.quote, display)),
            )
        })
        .collect()
}

fn matches(label_doc: &str, label: &Label, texts: &[(String, String)]) -> bool {
    texts.iter().any(|(doc, text)| {
        doc == label_doc && label.fragments.iter().any(|f| text.contains(&normalise(f)))
    })
}

/// Figures of one evaluation run.
struct Scores {
    precision: f64,
    recall: f64,
    place_accuracy: f64,
    extracted: usize,
    labels: usize,
}

fn evaluate(verbose: bool) -> Scores {
    let labels: LabelFile = serde_json::from_str(LABELS).expect("labels.json parses");
    let (gaz, source) = gazetteer();
    let docs = seed_documents();
    let incidents = extract_all(&docs, &gaz);
    let texts: Vec<Vec<(String, String)>> =
        incidents.iter().map(|i| source_texts(&docs, i)).collect();

    let mut correct = 0;
    for (i, inc) in incidents.iter().enumerate() {
        let ok = labels.documents.iter().any(|(doc, ls)| {
            ls.iter()
                .any(|l| l.event_type == inc.event_type && matches(doc, l, &texts[i]))
        });
        if ok {
            correct += 1;
        } else if verbose {
            println!(
                "  extra  {:<18} {:<28} {}",
                inc.event_type.as_str(),
                inc.place.canonical,
                inc.summary.chars().take(110).collect::<String>()
            );
        }
    }
    let mut found = 0;
    let mut total = 0;
    let mut placed = 0;
    let mut place_total = 0;
    for (doc, ls) in &labels.documents {
        for l in ls {
            total += 1;
            let hits: Vec<&Incident> = incidents
                .iter()
                .enumerate()
                .filter(|(i, inc)| inc.event_type == l.event_type && matches(doc, l, &texts[*i]))
                .map(|(_, inc)| inc)
                .collect();
            if hits.is_empty() {
                if verbose {
                    println!(
                        "  missed {:<18} {} ({})",
                        l.event_type.as_str(),
                        doc,
                        l.note
                    );
                }
                continue;
            }
            found += 1;
            let wanted: Vec<String> = l.places().iter().map(|p| name_key(p)).collect();
            if wanted.is_empty() {
                continue;
            }
            place_total += 1;
            let right = hits.iter().any(|inc| {
                inc.place
                    .gazetteer_id
                    .as_deref()
                    .and_then(|id| gaz.by_id(id))
                    .is_some_and(|e| e.names().any(|n| wanted.contains(&name_key(n))))
            });
            if right {
                placed += 1;
            } else if verbose {
                println!(
                    "  place  {:<18} wanted {:?}, got {}",
                    l.event_type.as_str(),
                    l.places(),
                    hits[0].place.canonical
                );
            }
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let scores = Scores {
        precision: ratio(correct, incidents.len()),
        recall: ratio(found, total),
        place_accuracy: ratio(placed, place_total),
        extracted: incidents.len(),
        labels: total,
    };
    println!(
        "extraction on the seeds ({source} gazetteer): {} incidents, {} labels; precision {:.3} ({correct}/{}), recall {:.3} ({found}/{total}), place accuracy {:.3} ({placed}/{place_total})",
        scores.extracted,
        scores.labels,
        scores.precision,
        incidents.len(),
        scores.recall,
        scores.place_accuracy
    );
    scores
}

#[test]
fn extraction_meets_its_floors_on_the_labelled_seeds() {
    let s = evaluate(true);
    assert!(s.labels >= 30, "the labelled set covers the seeds");
    assert!(s.extracted > 0);
    assert!(
        s.recall >= RECALL_FLOOR,
        "recall {:.3} fell below {RECALL_FLOOR}",
        s.recall
    );
    assert!(
        s.precision >= PRECISION_FLOOR,
        "precision {:.3} fell below {PRECISION_FLOOR}",
        s.precision
    );
    assert!(
        s.place_accuracy >= PLACE_FLOOR,
        "place accuracy {:.3} fell below {PLACE_FLOOR}",
        s.place_accuracy
    );
}

/// Floors: the figures measured when they were set, minus a small margin.
const RECALL_FLOOR: f64 = 0.95;
const PRECISION_FLOOR: f64 = 0.83;
const PLACE_FLOOR: f64 = 0.9;

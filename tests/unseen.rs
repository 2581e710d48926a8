//! Extraction on articles the rules were not developed on: the files in
//! `tests/fixtures/unseen/articles/` (HTML pages saved from news sites, wire
//! stories, a markdown analysis, a bulletin, a press release) against the
//! incidents listed by hand in `tests/fixtures/unseen/expected.json`.
//!
//! Run with `cargo test --test unseen -- --nocapture` to see the figures and
//! every miss. An expected incident is found when an extracted incident of an
//! acceptable type has a source sentence containing one of its fragments; an
//! extracted incident is correct when it matches an expected incident that is
//! not historical background. Place, date and actors are scored on the found
//! incidents that state them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use badiya::corpus::gazetteer_for;
use badiya::docs::{Document, load_document};
use badiya::extract::extract_all;
use badiya::geodata::DataSource;
use badiya::incidents::Incident;
use serde::Deserialize;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/unseen");

/// A string or a list of strings (several acceptable values).
#[derive(Debug, Deserialize, Default)]
#[serde(untagged)]
enum OneOrMany {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn values(&self) -> Vec<String> {
        match self {
            OneOrMany::None => Vec::new(),
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

#[derive(Debug, Deserialize)]
struct Expected {
    event_type: OneOrMany,
    #[serde(default)]
    place: Option<OneOrMany>,
    #[serde(default)]
    date: Option<OneOrMany>,
    #[serde(default)]
    actors: Vec<String>,
    fragments: Vec<String>,
    #[serde(default)]
    background: bool,
    #[serde(default)]
    optional: bool,
    #[serde(default)]
    note: String,
}

#[derive(Debug, Deserialize)]
struct ExpectedDoc {
    /// 1: the articles the rules were first revised on; 2 and 3: written
    /// after the revisions on the batch before.
    #[serde(default = "first_batch")]
    batch: u8,
    publication_date: Option<String>,
    incidents: Vec<Expected>,
}

#[derive(Debug, Deserialize)]
struct ExpectedFile {
    documents: BTreeMap<String, ExpectedDoc>,
}

fn first_batch() -> u8 {
    1
}

fn normalise(text: &str) -> String {
    text.replace(['’', '‘'], "'")
        .replace(['“', '”'], "\"")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The display text of every source sentence of an incident, by document.
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

fn matches(doc: &str, e: &Expected, inc: &Incident, texts: &[(String, String)]) -> bool {
    e.event_type
        .values()
        .iter()
        .any(|t| t == inc.event_type.as_str())
        && texts
            .iter()
            .any(|(d, text)| d == doc && e.fragments.iter().any(|f| text.contains(&normalise(f))))
}

struct Figures {
    extracted: usize,
    correct: usize,
    required: usize,
    found: usize,
    placed: (usize, usize),
    dated: (usize, usize),
    actors: (usize, usize),
    publication: (usize, usize),
    /// Expected incidents reported by more than one extracted incident.
    duplicated: usize,
}

fn ratio((a, b): (usize, usize)) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Extracts the articles of one batch (all with None) together and scores
/// them against their expected lists, printing every miss.
fn evaluate(batch: Option<u8>) -> Figures {
    let mut expected: ExpectedFile = serde_json::from_str(
        &std::fs::read_to_string(Path::new(DIR).join("expected.json"))
            .expect("expected.json is readable"),
    )
    .expect("expected.json parses");
    let mut files: Vec<PathBuf> = std::fs::read_dir(Path::new(DIR).join("articles"))
        .expect("the articles folder is readable")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    files.sort();
    let all_docs: Vec<Document> = files
        .iter()
        .map(|p| load_document(p).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    assert_eq!(
        all_docs.len(),
        expected.documents.len(),
        "every article has an expected list"
    );
    expected
        .documents
        .retain(|_, d| batch.is_none_or(|b| d.batch == b));
    let docs: Vec<Document> = all_docs
        .into_iter()
        .filter(|d| expected.documents.contains_key(&d.id))
        .collect();
    let label = match batch {
        Some(b) => format!("batch {b}"),
        None => "all".to_string(),
    };
    println!("--- unseen articles, {label}");
    let (gaz, warning) = gazetteer_for(&DataSource::Embedded);
    assert!(warning.is_none(), "{warning:?}");
    let incidents = extract_all(&docs, &gaz);
    let texts: Vec<Vec<(String, String)>> =
        incidents.iter().map(|i| source_texts(&docs, i)).collect();

    let mut f = Figures {
        extracted: incidents.len(),
        correct: 0,
        required: 0,
        found: 0,
        placed: (0, 0),
        dated: (0, 0),
        actors: (0, 0),
        publication: (0, 0),
        duplicated: 0,
    };
    for doc in &docs {
        let Some(exp) = expected.documents.get(&doc.id) else {
            panic!("no expected list for {}", doc.id);
        };
        if let Some(want) = &exp.publication_date {
            f.publication.1 += 1;
            let got = doc.meta.date.map(|d| d.to_string());
            if got.as_deref() == Some(want.as_str()) {
                f.publication.0 += 1;
            } else {
                println!("  pubdate {}: wanted {want}, got {got:?}", doc.id);
            }
        }
    }
    for (i, inc) in incidents.iter().enumerate() {
        let hit = expected.documents.iter().find_map(|(doc, exp)| {
            exp.incidents
                .iter()
                .find(|e| matches(doc, e, inc, &texts[i]))
        });
        match hit {
            Some(e) if !e.background => f.correct += 1,
            Some(e) => println!(
                "  backgr {:<18} {:<26} {:?} ({})",
                inc.event_type.as_str(),
                inc.place.canonical,
                inc.date.map(|d| d.to_string()),
                e.note
            ),
            None => println!(
                "  extra  {:<18} {:<26} {:<12} {}",
                inc.event_type.as_str(),
                inc.place.canonical,
                inc.date.map(|d| d.to_string()).unwrap_or_default(),
                inc.summary.chars().take(100).collect::<String>()
            ),
        }
    }
    for (doc, exp) in &expected.documents {
        for e in exp
            .incidents
            .iter()
            .filter(|e| !e.background && !e.optional)
        {
            f.required += 1;
            let hits: Vec<(usize, &Incident)> = incidents
                .iter()
                .enumerate()
                .filter(|(i, inc)| matches(doc, e, inc, &texts[*i]))
                .collect();
            if hits.is_empty() {
                println!(
                    "  missed {:<18} {:<34} {}",
                    e.event_type.values().join("|"),
                    doc,
                    e.note
                );
                continue;
            }
            f.found += 1;
            if hits.len() > 1 {
                f.duplicated += 1;
                println!(
                    "  twice  {:<18} {:<34} {} incidents",
                    e.event_type.values().join("|"),
                    e.note,
                    hits.len()
                );
            }
            if let Some(place) = &e.place {
                let wanted = place.values();
                f.placed.1 += 1;
                if hits.iter().any(|(_, inc)| {
                    inc.place
                        .gazetteer_id
                        .as_ref()
                        .is_some_and(|id| wanted.contains(id))
                }) {
                    f.placed.0 += 1;
                } else {
                    println!(
                        "  place  {:<18} {:<34} wanted {wanted:?}, got {}",
                        e.event_type.values().join("|"),
                        e.note,
                        hits[0].1.place.gazetteer_id.as_deref().unwrap_or("-")
                    );
                }
            }
            if let Some(date) = &e.date {
                let wanted = date.values();
                f.dated.1 += 1;
                if hits.iter().any(|(_, inc)| {
                    inc.date
                        .map(|d| d.to_string())
                        .is_some_and(|d| wanted.contains(&d))
                }) {
                    f.dated.0 += 1;
                } else {
                    println!(
                        "  date   {:<18} {:<34} wanted {wanted:?}, got {:?} ({:?})",
                        e.event_type.values().join("|"),
                        e.note,
                        hits[0].1.date.map(|d| d.to_string()),
                        hits[0].1.date_text
                    );
                }
            }
            if !e.actors.is_empty() {
                f.actors.1 += 1;
                if hits
                    .iter()
                    .any(|(_, inc)| e.actors.iter().all(|a| inc.actors.contains(a)))
                {
                    f.actors.0 += 1;
                } else {
                    println!(
                        "  actors {:<18} {:<34} wanted {:?}, got {:?}",
                        e.event_type.values().join("|"),
                        e.note,
                        e.actors,
                        hits[0].1.actors
                    );
                }
            }
        }
    }
    println!(
        "extraction on the unseen articles ({label}, {} documents): {} incidents, {} required; precision {:.3} ({}/{}), recall {:.3} ({}/{}), place {:.3} ({}/{}), date {:.3} ({}/{}), actors {:.3} ({}/{}), publication dates {}/{}, reported twice {}",
        docs.len(),
        f.extracted,
        f.required,
        ratio((f.correct, f.extracted)),
        f.correct,
        f.extracted,
        ratio((f.found, f.required)),
        f.found,
        f.required,
        ratio(f.placed),
        f.placed.0,
        f.placed.1,
        ratio(f.dated),
        f.dated.0,
        f.dated.1,
        ratio(f.actors),
        f.actors.0,
        f.actors.1,
        f.publication.0,
        f.publication.1,
        f.duplicated,
    );
    f
}

#[test]
fn extraction_holds_up_on_unseen_articles() {
    evaluate(Some(1));
    evaluate(Some(2));
    evaluate(Some(3));
    let f = evaluate(None);
    let precision = ratio((f.correct, f.extracted));
    let recall = ratio((f.found, f.required));
    assert!(f.required >= 80, "the expected lists cover the articles");
    assert!(
        precision >= PRECISION_FLOOR,
        "precision {precision:.3} fell below {PRECISION_FLOOR}"
    );
    assert!(
        recall >= RECALL_FLOOR,
        "recall {recall:.3} fell below {RECALL_FLOOR}"
    );
    assert!(
        ratio(f.placed) >= PLACE_FLOOR,
        "place accuracy {:.3} fell below {PLACE_FLOOR}",
        ratio(f.placed)
    );
    assert!(
        ratio(f.dated) >= DATE_FLOOR,
        "date accuracy {:.3} fell below {DATE_FLOOR}",
        ratio(f.dated)
    );
    assert!(
        ratio(f.actors) >= ACTOR_FLOOR,
        "actor accuracy {:.3} fell below {ACTOR_FLOOR}",
        ratio(f.actors)
    );
    assert_eq!(
        f.publication.0, f.publication.1,
        "every stated publication date is read"
    );
    assert!(f.duplicated <= 2, "{} events reported twice", f.duplicated);
}

/// Floors: the figures on all the articles when they were set (precision
/// 1.000, recall 0.989, place 1.000, date 0.987, actors 1.000), minus a small
/// margin. The rules were revised on these articles, so they are optimistic;
/// each batch's figures before the rules were revised on it are in the commit
/// history and the project notes.
const PRECISION_FLOOR: f64 = 0.95;
const RECALL_FLOOR: f64 = 0.95;
const PLACE_FLOOR: f64 = 0.95;
const DATE_FLOOR: f64 = 0.93;
const ACTOR_FLOOR: f64 = 0.95;

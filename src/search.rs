//! One search over places (the gazetteer and the map's layers), incidents
//! (their quotes, types, actors and places) and documents (title and text).
//!
//! Place names are compared by their matching key (the gazetteer's
//! romanisation folding: articles dropped, Deir/Dayr, ou/u, doubled letters),
//! first exactly, then as a prefix, then by Jaro–Winkler similarity from the
//! `strsim` crate, so "dier ezzor", "albukamal", "al hawl" and "qaim" find
//! their places; Arabic script is matched like any other name.

use crate::corpus::Corpus;
use crate::extract::gazetteer::{PlaceKind, name_key};
use crate::geodata::GeoData;
use crate::spatial::FeatureRef;

/// What a result is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum HitKind {
    Place,
    Incident,
    Document,
}

impl HitKind {
    pub fn heading(self) -> &'static str {
        match self {
            HitKind::Place => "Places",
            HitKind::Incident => "Incidents",
            HitKind::Document => "Documents",
        }
    }
}

/// Where choosing a result takes the analyst.
#[derive(Clone, Debug, PartialEq)]
pub enum Goto {
    /// A place: fly there at this zoom and select the map's feature when it has one.
    Place {
        lon: f64,
        lat: f64,
        zoom: f64,
        feature: Option<FeatureRef>,
    },
    Incident(String),
    /// A document, scrolled to the match (an original byte offset).
    Document {
        doc: String,
        at: Option<usize>,
    },
}

/// One result.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub kind: HitKind,
    pub title: String,
    pub detail: String,
    /// 0–1, higher is better.
    pub score: f64,
    pub goto: Goto,
}

struct PlaceItem {
    title: String,
    detail: String,
    /// Matching keys of every name, and the names lower-cased.
    keys: Vec<String>,
    lower: Vec<String>,
    lon: f64,
    lat: f64,
    zoom: f64,
    feature: Option<FeatureRef>,
    /// Lower is more important (tie-break).
    rank: u8,
}

/// The place part of the search, built once per gazetteer and data set.
pub struct SearchIndex {
    places: Vec<PlaceItem>,
}

/// The zoom a kind of place is shown at.
fn zoom_for(kind: PlaceKind) -> f64 {
    match kind {
        PlaceKind::Country => 5.5,
        PlaceKind::Governorate => 7.0,
        PlaceKind::Border => 6.0,
        PlaceKind::Area | PlaceKind::District => 9.0,
        PlaceKind::City => 10.0,
        PlaceKind::Town => 11.0,
        PlaceKind::Site => 12.0,
    }
}

/// Best results shown per kind.
pub const MAX_PER_KIND: usize = 8;

impl SearchIndex {
    pub fn new(corpus: &Corpus, data: &GeoData) -> Self {
        use geo::BoundingRect;
        let mut places: Vec<PlaceItem> = Vec::new();
        // Named features of the map's layers first: selecting a result selects them.
        let mut by_name: std::collections::HashMap<String, Vec<usize>> = Default::default();
        for (li, layer) in data.layers.iter().enumerate() {
            for (fi, f) in layer.features.iter().enumerate() {
                let Some(name) = &f.name else { continue };
                let Some(r) = f.geometry.bounding_rect() else {
                    continue;
                };
                let c = r.center();
                let span = (r.width().max(r.height())).max(0.01);
                let point = layer.spec.kind == crate::geodata::LayerKind::Point;
                by_name
                    .entry(name.to_lowercase())
                    .or_default()
                    .push(places.len());
                places.push(PlaceItem {
                    title: name.clone(),
                    detail: layer.spec.name.clone(),
                    keys: vec![name_key(name)],
                    lower: vec![name.to_lowercase()],
                    lon: c.x,
                    lat: c.y,
                    zoom: if point {
                        11.0
                    } else {
                        (8.5 - span.log2()).clamp(4.0, 13.0)
                    },
                    feature: Some(FeatureRef {
                        layer: li,
                        feature: fi,
                    }),
                    rank: if point { 0 } else { 1 },
                });
            }
        }
        // Gazetteer entries: their names join the feature of the same name
        // (a governorate, a pipeline, a town in the places layer); the rest
        // are places of their own.
        for e in corpus.gazetteer.entries() {
            let names: Vec<&str> = e.names().collect();
            let same = by_name.get(&e.name.to_lowercase()).and_then(|ids| {
                ids.iter().copied().find(|&k| {
                    let p = &places[k];
                    let point_like =
                        matches!(e.kind, PlaceKind::City | PlaceKind::Town | PlaceKind::Site)
                            && !e.category.contains("pipeline");
                    !point_like || ((p.lon - e.lon).abs() < 0.1 && (p.lat - e.lat).abs() < 0.1)
                })
            });
            let detail = [
                Some(e.category.clone()).filter(|c| !c.is_empty()),
                e.admin1.clone(),
                e.country.clone(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
            if let Some(k) = same {
                let p = &mut places[k];
                for n in &names {
                    p.keys.push(name_key(n));
                    p.lower.push(n.to_lowercase());
                }
                if p.rank == 0 {
                    p.detail = detail;
                }
                continue;
            }
            places.push(PlaceItem {
                title: e.name.clone(),
                detail,
                keys: names.iter().map(|n| name_key(n)).collect(),
                lower: names.iter().map(|n| n.to_lowercase()).collect(),
                lon: e.lon,
                lat: e.lat,
                zoom: zoom_for(e.kind),
                feature: None,
                rank: 2,
            });
        }
        Self { places }
    }

    /// Results for `query`, grouped by kind (places, incidents, documents),
    /// best first within each group, at most [`MAX_PER_KIND`] per group.
    pub fn search(&self, query: &str, corpus: &Corpus) -> Vec<Hit> {
        let query = query.trim();
        if query.is_empty() {
            return Vec::new();
        }
        let mut hits = self.places(query);
        hits.extend(incidents(query, corpus));
        hits.extend(documents(query, corpus));
        hits
    }

    fn places(&self, query: &str) -> Vec<Hit> {
        let q_key = name_key(query);
        let q_lower = query.to_lowercase();
        if q_key.is_empty() && q_lower.is_empty() {
            return Vec::new();
        }
        // (band, rank, similarity, item): exact names, then prefixes, then
        // names containing the query, then similar spellings; within a band
        // points (towns, sites) before areas, then the closer spelling.
        let mut scored: Vec<(f64, u8, f64, usize)> = Vec::new();
        for (i, p) in self.places.iter().enumerate() {
            let mut best = (0.0f64, 0.0f64);
            for (key, lower) in p.keys.iter().zip(&p.lower) {
                let s = if !q_key.is_empty() && key == &q_key || lower == &q_lower {
                    (1.0, 1.0)
                } else if (!q_key.is_empty() && key.starts_with(&q_key))
                    || lower.starts_with(&q_lower)
                {
                    (0.9, 1.0)
                } else if q_lower.chars().count() >= 3 && lower.contains(&q_lower) {
                    (0.8, 1.0)
                } else if q_key.chars().count() >= 3 && !key.is_empty() {
                    // Typos and other spellings: similarity of the keys.
                    let sim = strsim::jaro_winkler(&q_key, key);
                    if sim >= 0.88 { (0.7, sim) } else { (0.0, 0.0) }
                } else {
                    (0.0, 0.0)
                };
                if s.0 > best.0 || (s.0 == best.0 && s.1 > best.1) {
                    best = s;
                }
            }
            if best.0 > 0.0 {
                scored.push((best.0, p.rank, best.1, i));
            }
        }
        scored.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(a.1.cmp(&b.1))
                .then(b.2.total_cmp(&a.2))
                .then(a.3.cmp(&b.3))
        });
        // One result per title and spot (a town listed in two layers).
        let mut out: Vec<Hit> = Vec::new();
        for (band, _, sim, i) in scored {
            let score = band * sim;
            let p = &self.places[i];
            if out.iter().any(|h| {
                h.title == p.title
                    && matches!(h.goto, Goto::Place { lon, lat, .. } if (lon - p.lon).abs() < 0.05 && (lat - p.lat).abs() < 0.05)
            }) {
                continue;
            }
            out.push(Hit {
                kind: HitKind::Place,
                title: p.title.clone(),
                detail: p.detail.clone(),
                score,
                goto: Goto::Place {
                    lon: p.lon,
                    lat: p.lat,
                    zoom: p.zoom,
                    feature: p.feature,
                },
            });
            if out.len() == MAX_PER_KIND {
                break;
            }
        }
        out
    }
}

/// The query's words, lower-cased.
fn words(query: &str) -> Vec<String> {
    query
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Incidents whose quote, type, actors, place or summary hold every word of
/// the query; more of them in the place and type ranks higher.
fn incidents(query: &str, corpus: &Corpus) -> Vec<Hit> {
    let ws = words(query);
    if ws.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<Hit> = corpus
        .incidents()
        .iter()
        .filter_map(|i| {
            let head = format!(
                "{} {} {} {}",
                i.event_type.label(),
                i.event_type.as_str(),
                i.place.canonical,
                i.actors.join(" ")
            )
            .to_lowercase();
            let body = format!(
                "{} {}",
                i.summary,
                i.sources
                    .iter()
                    .map(|s| s.quote.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            )
            .to_lowercase();
            let mut score = 0.0;
            for w in &ws {
                if head.contains(w.as_str()) {
                    score += 1.0;
                } else if body.contains(w.as_str()) {
                    score += 0.6;
                } else {
                    return None;
                }
            }
            #[allow(clippy::cast_precision_loss)]
            let score = 0.7 * score / ws.len() as f64;
            Some(Hit {
                kind: HitKind::Incident,
                title: format!("{} — {}", i.event_type.label(), i.place.canonical),
                detail: format!(
                    "{} · {}",
                    i.date
                        .map_or_else(|| "undated".to_owned(), |d| d.to_string()),
                    i.summary
                ),
                score,
                goto: Goto::Incident(i.id.clone()),
            })
        })
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score));
    out.truncate(MAX_PER_KIND);
    out
}

/// Documents whose title or text holds the query (as a phrase), title first.
fn documents(query: &str, corpus: &Corpus) -> Vec<Hit> {
    let q = query.to_lowercase();
    if q.chars().count() < 2 {
        return Vec::new();
    }
    let mut out: Vec<Hit> = corpus
        .docs
        .iter()
        .filter_map(|d| {
            let title = d.meta.title.clone().unwrap_or_else(|| d.id.clone());
            let in_title = title.to_lowercase().contains(&q) || d.id.to_lowercase().contains(&q);
            let text = d.display().text.as_str();
            let at = find_ignoring_case(text, &q);
            if !in_title && at.is_none() {
                return None;
            }
            let detail = at.map_or_else(|| d.id.clone(), |k| snippet(text, k, q.len()));
            Some(Hit {
                kind: HitKind::Document,
                title,
                detail,
                score: if in_title { 0.7 } else { 0.5 },
                goto: Goto::Document {
                    doc: d.id.clone(),
                    at: at.map(|k| d.display().original_from_display(k)),
                },
            })
        })
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score));
    out.truncate(MAX_PER_KIND);
    out
}

/// Byte offset of the first case-insensitive match of lower-case `needle`.
fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    if haystack.is_ascii() && needle.is_ascii() {
        let (h, n) = (haystack.as_bytes(), needle.as_bytes());
        if n.is_empty() || n.len() > h.len() {
            return None;
        }
        return (0..=h.len() - n.len()).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n));
    }
    haystack
        .to_lowercase()
        .find(needle)
        .filter(|&k| haystack.is_char_boundary(k))
}

/// A few words around a match, for the result's second line.
fn snippet(text: &str, at: usize, len: usize) -> String {
    let mut start = at.saturating_sub(40);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + len + 60).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let body = text[start..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    format!(
        "{}{body}{}",
        if start > 0 { "…" } else { "" },
        if end < text.len() { "…" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (Corpus, GeoData, SearchIndex) {
        let data = GeoData::embedded();
        let (gazetteer, _) = crate::corpus::gazetteer_for(&data.source);
        let corpus = Corpus::new(crate::docs::seed_documents(), gazetteer, Vec::new());
        let index = SearchIndex::new(&corpus, &data);
        (corpus, data, index)
    }

    fn first_place(index: &SearchIndex, corpus: &Corpus, q: &str) -> Hit {
        index
            .search(q, corpus)
            .into_iter()
            .find(|h| h.kind == HitKind::Place)
            .unwrap_or_else(|| panic!("no place for {q:?}"))
    }

    #[test]
    fn spellings_and_typos_find_the_place() {
        let (corpus, _, index) = setup();
        for (q, want, lon, lat) in [
            ("dier ezzor", "Deir ez-Zor", 40.14, 35.33),
            ("albukamal", "Abu Kamal", 40.92, 34.45),
            ("al hawl", "Al-Hol", 41.15, 36.38),
            ("qaim", "Al-Qaim", 40.98, 34.39),
            ("Hasakeh", "Al-Hasakah", 40.75, 36.5),
            ("دير الزور", "Deir ez-Zor", 40.14, 35.33),
        ] {
            let h = first_place(&index, &corpus, q);
            let Goto::Place { lon: x, lat: y, .. } = h.goto else {
                panic!("{h:?}")
            };
            assert!(
                (x - lon).abs() < 0.6 && (y - lat).abs() < 0.6,
                "{q:?} found {} at {x},{y}; wanted {want}",
                h.title
            );
        }
    }

    #[test]
    fn incidents_and_documents_are_found_by_their_words() {
        let (corpus, _, index) = setup();
        let hits = index.search("prison", &corpus);
        assert!(hits.iter().any(|h| h.kind == HitKind::Incident), "{hits:?}");
        assert!(hits.iter().any(|h| h.kind == HitKind::Document), "{hits:?}");
        // Groups come in order: places, incidents, documents.
        let kinds: Vec<HitKind> = hits.iter().map(|h| h.kind).collect();
        let mut sorted = kinds.clone();
        sorted.sort();
        assert_eq!(kinds, sorted);
        assert!(index.search("   ", &corpus).is_empty());
        assert!(index.search("zzqxw", &corpus).is_empty());
    }

    #[test]
    fn a_pipeline_is_found_and_selectable_on_the_map() {
        let (corpus, _, index) = setup();
        let h = first_place(&index, &corpus, "Kirkuk–Ceyhan");
        assert!(h.title.contains("Ceyhan"), "{h:?}");
        assert!(matches!(
            h.goto,
            Goto::Place {
                feature: Some(_),
                ..
            }
        ));
    }
}

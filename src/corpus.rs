//! The corpus: the documents, the gazetteer built from the geodata, the
//! incidents extracted from the documents and the analyst's corrections on
//! top. Adding a document or changing its metadata re-extracts everything;
//! corrections are keyed by stable incident ids, so they survive.

use std::path::Path;

use crate::docs::{DocMeta, Document};
use crate::extract::{self, Gazetteer};
use crate::geodata::{DataSource, embedded_file};
use crate::incidents::{Edit, Incident, apply_edits};

/// Documents, extraction and corrections in one place.
#[derive(Clone)]
pub struct Corpus {
    pub docs: Vec<Document>,
    pub gazetteer: Gazetteer,
    /// Corrections in the order the analyst made them.
    pub edits: Vec<Edit>,
    /// The incidents as the analyst sees them: extracted, then corrected.
    incidents: Vec<Incident>,
    /// Bumped on every re-extraction, so views can tell their caches are stale.
    generation: u64,
}

/// A document whose file name is taken by another text (same name, another
/// folder) is named with its folder ("field/report.txt"); the same text again
/// keeps its name, so adding it twice is refused as a duplicate.
pub fn distinct_name(loaded: &[Document], doc: Document, path: &Path) -> Document {
    let Some(other) = loaded.iter().find(|d| d.id == doc.id) else {
        return doc;
    };
    if other.raw == doc.raw {
        return doc;
    }
    let folder = path
        .parent()
        .and_then(Path::file_name)
        .map_or_else(|| "other".to_owned(), |f| f.to_string_lossy().into_owned());
    let mut id = format!("{folder}/{}", doc.id);
    let mut n = 2;
    while loaded.iter().any(|d| d.id == id) {
        id = format!("{folder}/{} ({n})", doc.id);
        n += 1;
    }
    Document::new(&id, doc.raw, doc.kind, doc.meta)
}

/// Builds the gazetteer from the data set's places, governorates and countries.
/// A data folder without those files falls back to the built-in gazetteer,
/// and the returned warning says so.
pub fn gazetteer_for(source: &DataSource) -> (Gazetteer, Option<String>) {
    let read = |name: &str| -> Result<String, String> {
        match source {
            DataSource::Embedded => embedded_file(name)
                .map(str::to_owned)
                .ok_or_else(|| format!("{name} is not embedded")),
            DataSource::Dir(dir) => {
                crate::input::read_text_limited(&dir.join(name), crate::input::MAX_LAYER_BYTES)
                    .map_err(|e| format!("{}: {}", e.reason(), dir.join(name).display()))
            }
        }
    };
    let built = (|| -> Result<Gazetteer, String> {
        let places = read("places.geojson")?;
        let governorates = read("governorates.geojson")?;
        let countries = read("countries.geojson")?;
        // The gazetteer layer is optional: a data folder may have only places.
        let villages = read("gazetteer.geojson").ok();
        let mut files = vec![("places.geojson", places.as_str())];
        if let Some(v) = villages.as_deref() {
            files.push(("gazetteer.geojson", v));
        }
        extract::gazetteer_from_layers(&files, &governorates, &countries).map_err(|e| e.to_string())
    })();
    match built {
        Ok(g) => (g, None),
        Err(e) => (
            extract::builtin_gazetteer(),
            Some(format!("gazetteer: using the built-in place list ({e})")),
        ),
    }
}

impl Corpus {
    /// Extracts incidents from `docs` and applies `edits`.
    pub fn new(docs: Vec<Document>, gazetteer: Gazetteer, edits: Vec<Edit>) -> Self {
        let mut corpus = Self {
            docs,
            gazetteer,
            edits,
            incidents: Vec::new(),
            generation: 0,
        };
        corpus.reextract();
        corpus
    }

    /// The five seed documents with the embedded geodata's gazetteer.
    pub fn seeds() -> Self {
        Self::new(
            crate::docs::seed_documents(),
            gazetteer_for(&DataSource::Embedded).0,
            Vec::new(),
        )
    }

    /// Runs extraction over every document again and re-applies the corrections.
    pub fn reextract(&mut self) {
        let extracted = extract::extract_all(&self.docs, &self.gazetteer);
        self.incidents = apply_edits(extracted, &self.edits);
        self.incidents
            .sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
        self.generation += 1;
    }

    /// Changes whenever the documents, incidents or corrections change.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The incidents, corrected, sorted by date.
    /// Replaces the incidents outright (tests of what is built on them).
    #[cfg(test)]
    pub(crate) fn set_incidents_for_tests(&mut self, incidents: Vec<Incident>) {
        self.incidents = incidents;
        self.generation += 1;
    }

    pub fn incidents(&self) -> &[Incident] {
        &self.incidents
    }

    pub fn incident(&self, id: &str) -> Option<&Incident> {
        self.incidents.iter().find(|i| i.id == id)
    }

    pub fn doc(&self, id: &str) -> Option<&Document> {
        self.docs.iter().find(|d| d.id == id)
    }

    /// Adds a document and extracts its incidents. A document with the same
    /// name is refused, so nothing already loaded changes.
    pub fn add_document(&mut self, doc: Document) -> Result<(), String> {
        if self.doc(&doc.id).is_some() {
            return Err(format!(
                "cannot add {}: a document with that name is already loaded",
                doc.id
            ));
        }
        self.docs.push(doc);
        self.reextract();
        Ok(())
    }

    /// Reads and adds a file (.txt, .md, .html).
    pub fn add_file(&mut self, path: &Path) -> Result<String, String> {
        let doc = crate::docs::load_document(path).map_err(|e| e.to_string())?;
        let doc = distinct_name(&self.docs, doc, path);
        let id = doc.id.clone();
        self.add_document(doc)?;
        Ok(id)
    }

    /// Changes a document's metadata; its publication date anchors relative dates.
    pub fn set_meta(&mut self, doc_id: &str, meta: DocMeta) {
        if let Some(d) = self.docs.iter_mut().find(|d| d.id == doc_id) {
            d.meta = meta;
            self.reextract();
        }
    }

    /// Records a correction and applies it.
    pub fn edit(&mut self, edit: Edit) {
        self.edits.push(edit);
        self.reextract();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incidents::{EventType, Origin};

    #[test]
    fn seeds_give_incidents_with_sources() {
        let corpus = Corpus::seeds();
        assert_eq!(corpus.docs.len(), 5);
        assert!(
            corpus.incidents().len() >= 20,
            "{}",
            corpus.incidents().len()
        );
        for i in corpus.incidents() {
            for s in &i.sources {
                let doc = corpus.doc(&s.doc).expect("source document loaded");
                assert!(s.end <= doc.raw.len() && s.start < s.end);
            }
        }
    }

    #[test]
    fn corrections_survive_reextraction() {
        let mut corpus = Corpus::seeds();
        let id = corpus.incidents()[0].id.clone();
        corpus.edit(Edit::SetType {
            id: id.clone(),
            event_type: EventType::Other,
        });
        corpus.edit(Edit::Move {
            id: id.clone(),
            lon: 41.0,
            lat: 34.4,
        });
        corpus.reextract();
        let i = corpus.incident(&id).expect("still there");
        assert_eq!(i.event_type, EventType::Other);
        assert_eq!(i.origin, Origin::Edited);
        assert!((i.lon - 41.0).abs() < 1e-12);
    }

    #[test]
    fn a_document_with_a_taken_name_is_refused_and_nothing_changes() {
        let mut corpus = Corpus::seeds();
        let before = corpus.incidents().to_vec();
        let copy = corpus.docs[0].clone();
        let err = corpus.add_document(copy).expect_err("duplicate");
        assert!(err.contains("already loaded"));
        assert_eq!(corpus.incidents(), &before[..]);
    }

    #[test]
    fn a_new_article_adds_its_incidents() {
        let mut corpus = Corpus::seeds();
        let before = corpus.incidents().len();
        let text = "Border clash\n\nMarch 3, 2026\n\nIraqi forces clashed with Islamic State fighters near Al-Qaim on Monday, security sources said.\n";
        let doc = crate::docs::document_from_bytes("new_article.txt", text.as_bytes())
            .expect("valid text");
        corpus.add_document(doc).expect("added");
        let new: Vec<_> = corpus
            .incidents()
            .iter()
            .filter(|i| i.sources.iter().any(|s| s.doc == "new_article.txt"))
            .collect();
        assert!(!new.is_empty(), "no incident from the new article");
        assert!(corpus.incidents().len() > before);
        assert!(
            new.iter().any(|i| i.place.canonical.contains("Qaim")),
            "{new:?}"
        );
    }
}

//! The corpus: the documents, the gazetteer built from the geodata, the
//! incidents extracted from the documents and the analyst's corrections on
//! top. Each document's extraction is kept, keyed by its text and metadata:
//! adding a document extracts only it (several at once side by side),
//! changing one's metadata re-extracts only that one, and a correction is
//! applied on top of what was extracted without extracting anything.
//! Corrections are keyed by stable incident ids, so they survive.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use crate::docs::{DocMeta, Document};
use crate::extract::{self, Gazetteer};
use crate::geodata::{DataSource, embedded_file};
use crate::incidents::{Edit, Incident, Merger, apply_edits};

/// Documents, extraction and corrections in one place.
#[derive(Clone)]
pub struct Corpus {
    pub docs: Vec<Document>,
    pub gazetteer: Gazetteer,
    /// Corrections in the order the analyst made them.
    pub edits: Vec<Edit>,
    /// The incidents as the analyst sees them: extracted, then corrected.
    incidents: Vec<Incident>,
    /// The incidents as extracted and merged, before the corrections, with
    /// the state of the merge (a further document joins it).
    merger: Merger,
    /// Per document id: what its extraction was made from, and its reports.
    cache: HashMap<String, (u64, Arc<Vec<Incident>>)>,
    /// Bumped on every re-extraction, so views can tell their caches are stale.
    generation: u64,
}

/// What a document's extraction depends on besides the gazetteer: its text,
/// its kind and its metadata (the publication date anchors relative dates).
fn extraction_key(doc: &Document) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    doc.raw.hash(&mut h);
    format!("{:?}|{:?}", doc.kind, doc.meta).hash(&mut h);
    h.finish()
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
            merger: Merger::default(),
            cache: HashMap::new(),
            generation: 0,
        };
        corpus.refresh();
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

    /// Runs extraction over every document again and re-applies the
    /// corrections: for a changed gazetteer.
    pub fn reextract(&mut self) {
        self.cache.clear();
        self.refresh();
    }

    /// Extracts the documents whose extraction is not kept (side by side),
    /// merges every document's reports and applies the corrections.
    fn refresh(&mut self) {
        self.refresh_some(None);
    }

    /// `changed` names the one document that may have changed; `None`
    /// checks them all (by their text and metadata).
    fn refresh_some(&mut self, changed: Option<&str>) {
        use rayon::prelude::*;
        let gazetteer = &self.gazetteer;
        let cache = &self.cache;
        let fresh: Vec<(String, u64, Arc<Vec<Incident>>)> = self
            .docs
            .par_iter()
            .filter(|d| changed.is_none_or(|c| c == d.id) || !cache.contains_key(&d.id))
            .filter_map(|d| {
                let key = extraction_key(d);
                cache.get(&d.id).is_none_or(|(k, _)| *k != key).then(|| {
                    (
                        d.id.clone(),
                        key,
                        Arc::new(extract::extract_reports(d, gazetteer)),
                    )
                })
            })
            .collect();
        for (id, key, reports) in fresh {
            self.cache.insert(id, (key, reports));
        }
        let ids: std::collections::HashSet<&str> =
            self.docs.iter().map(|d| d.id.as_str()).collect();
        self.cache.retain(|id, _| ids.contains(id.as_str()));
        let mut merger = Merger::default();
        for (_, reports) in self.docs.iter().filter_map(|d| self.cache.get(&d.id)) {
            for r in reports.iter() {
                merger.push(r.clone());
            }
        }
        self.merger = merger;
        self.correct();
    }

    /// The incidents: what was extracted, with the corrections on top.
    fn correct(&mut self) {
        self.incidents = apply_edits(self.merger.merged().to_vec(), &self.edits);
        self.sort_and_bump();
    }

    /// Brings one merged incident's corrected form up to date (its reports
    /// changed): its own corrections applied again, in order. One the
    /// analyst deleted or replaced stays as the corrections left it.
    fn correct_one(&mut self, m: usize) {
        let Some(base) = self.merger.merged().get(m) else {
            return;
        };
        let own: Vec<&Edit> = self.edits.iter().filter(|e| e.id() == base.id).collect();
        if own
            .iter()
            .any(|e| matches!(e, Edit::Add { .. } | Edit::Delete { .. }))
        {
            return;
        }
        let mut one = vec![base.clone()];
        for e in own {
            crate::incidents::apply_edit(&mut one, e);
        }
        let Some(corrected) = one.pop() else { return };
        match self.incidents.iter().position(|i| i.id == corrected.id) {
            Some(k) => self.incidents[k] = corrected,
            None => self.incidents.push(corrected),
        }
    }

    fn sort_and_bump(&mut self) {
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
        // The new document comes last, so its reports join the merge where
        // it stands: what merging everything again would give.
        let key = extraction_key(&doc);
        let reports = Arc::new(extract::extract_reports(&doc, &self.gazetteer));
        self.cache
            .insert(doc.id.clone(), (key, Arc::clone(&reports)));
        self.docs.push(doc);
        let mut touched: Vec<usize> = reports
            .iter()
            .map(|r| self.merger.push(r.clone()))
            .collect();
        touched.sort_unstable();
        touched.dedup();
        for m in touched {
            self.correct_one(m);
        }
        self.sort_and_bump();
        Ok(())
    }

    /// Adds many documents at once: those not yet extracted are extracted
    /// side by side, then every document's reports are merged again. For
    /// a few documents, [`Corpus::add_document`] one by one is quicker.
    pub fn add_documents(&mut self, docs: Vec<Document>) {
        self.docs.extend(docs);
        self.refresh();
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
            self.refresh_some(Some(doc_id));
        }
    }

    /// Takes back the last correction: the incidents are as if it had never
    /// been made. Returns it, for a redo.
    pub fn undo_edit(&mut self) -> Option<Edit> {
        let edit = self.edits.pop()?;
        self.correct();
        Some(edit)
    }

    /// Replaces the corrections in force (a team's history replayed) and
    /// applies them to what was extracted.
    pub fn set_edits(&mut self, edits: Vec<Edit>) {
        if self.edits != edits {
            self.edits = edits;
            self.correct();
        }
    }

    /// Takes back the correction at `index` (this analyst's last, with
    /// others' after it in a team). Returns it, for a redo.
    pub fn remove_edit(&mut self, index: usize) -> Option<Edit> {
        if index >= self.edits.len() {
            return None;
        }
        let edit = self.edits.remove(index);
        self.correct();
        Some(edit)
    }

    /// Records a correction and applies it.
    pub fn edit(&mut self, edit: Edit) {
        // One correction is applied to the incidents as they stand: the same
        // as applying every correction to what was extracted, for a fraction
        // of the work.
        crate::incidents::apply_edit(&mut self.incidents, &edit);
        self.edits.push(edit);
        self.sort_and_bump();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incidents::{EventType, Origin};

    /// The kept extraction of each document, by id.
    fn kept(c: &Corpus) -> HashMap<String, Arc<Vec<Incident>>> {
        c.cache
            .iter()
            .map(|(id, (_, r))| (id.clone(), Arc::clone(r)))
            .collect()
    }

    #[test]
    fn adding_a_document_extracts_only_it_and_a_correction_extracts_nothing() {
        let mut corpus = Corpus::seeds();
        let before = kept(&corpus);
        let doc = Document::new(
            "late.txt",
            "Gunmen attacked a checkpoint near Rutba on Tuesday.".into(),
            crate::docs::DocKind::Text,
            DocMeta::default(),
        );
        corpus.add_document(doc).expect("added");
        let after = kept(&corpus);
        assert_eq!(after.len(), before.len() + 1);
        for (id, reports) in &before {
            assert!(Arc::ptr_eq(reports, &after[id]), "{id} was extracted again");
        }
        assert!(
            corpus
                .incidents()
                .iter()
                .any(|i| i.sources.iter().any(|s| s.doc == "late.txt"))
        );
        let target = corpus.incidents()[0].id.clone();
        corpus.edit(Edit::Delete { id: target.clone() });
        for (id, reports) in &after {
            assert!(
                Arc::ptr_eq(reports, &kept(&corpus)[id]),
                "{id} was extracted again"
            );
        }
        assert!(corpus.incident(&target).is_none(), "the correction applies");
        // New metadata re-extracts that document alone.
        let first = corpus.docs[0].id.clone();
        corpus.set_meta(
            &first,
            DocMeta {
                date: chrono::NaiveDate::from_ymd_opt(2025, 3, 4),
                ..DocMeta::default()
            },
        );
        let now = kept(&corpus);
        assert!(!Arc::ptr_eq(&after[&first], &now[&first]));
        assert!(Arc::ptr_eq(&after["late.txt"], &now["late.txt"]));
    }

    #[test]
    fn kept_extractions_give_what_extracting_everything_gives() {
        let mut corpus = Corpus::seeds();
        corpus.edit(Edit::Delete {
            id: corpus.incidents()[1].id.clone(),
        });
        let kept = corpus.incidents().to_vec();
        corpus.reextract();
        assert_eq!(kept, corpus.incidents());
        // A document added after a correction, reporting again the event of
        // an earlier one (it joins that incident) and a new one.
        let doc = |name: &str, body: &str| {
            Document::new(
                name,
                body.to_string(),
                crate::docs::DocKind::Text,
                DocMeta::default(),
            )
        };
        let mut corpus = Corpus::new(
            vec![doc(
                "first.txt",
                "On 3 March 2025, gunmen attacked an army checkpoint near Rutba, officials said.\n",
            )],
            corpus.gazetteer.clone(),
            corpus.edits.clone(),
        );
        let again = corpus.incidents()[0].clone();
        corpus.edit(Edit::SetType {
            id: again.id.clone(),
            event_type: crate::incidents::EventType::Other,
        });
        corpus
            .add_document(doc(
                "again.txt",
                "Gunmen attacked a checkpoint near Rutba on 3 March 2025, police said.\n\n\
                 Separately, fighters clashed with the army in Hit on 5 March 2025.\n",
            ))
            .expect("added");
        let kept = corpus.incidents().to_vec();
        let joined = kept.iter().find(|i| i.id == again.id).expect("still there");
        assert!(
            joined.sources.iter().any(|s| s.doc == "again.txt"),
            "the second report joined the first"
        );
        assert_eq!(
            joined.event_type,
            crate::incidents::EventType::Other,
            "corrected"
        );
        corpus.reextract();
        assert_eq!(kept, corpus.incidents());
    }

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
            place: None,
            geo_precision: None,
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

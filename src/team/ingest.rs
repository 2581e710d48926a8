//! `badiya ingest DIR… --store URL`: documents into the team store in bulk.
//! Files are read and hashed side by side; a text the store has already
//! (by SHA-256) is skipped, so a run can be repeated, and each batch is
//! one transaction, so an interrupted run resumes where it stopped. At the
//! end the team's incidents are extracted from every document (side by
//! side), corrected by the team's history, and the incidents table is
//! brought up to date.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use super::remote::Remote;
use super::{Change, Outgoing, Replica, StoreUrl, TeamError, content_hash};
use crate::app::saved::SavedWorkspace;
use crate::corpus::Corpus;
use crate::docs::Document;
use crate::extract::Gazetteer;

/// A file read and hashed, or why it could not be.
type Loaded = Result<(Document, String), String>;

/// Documents sent per transaction.
const BATCH: usize = 250;
/// At most this many files are taken from the folders of one run.
pub const MAX_FILES: usize = 1_000_000;

/// What a run did.
#[derive(Debug, Default)]
pub struct IngestReport {
    pub files: usize,
    pub added: usize,
    /// Texts the store already had.
    pub skipped: usize,
    /// Files that could not be read, each with why.
    pub failed: Vec<String>,
    /// Incidents in the team's view after the run, and rows written.
    pub incidents: usize,
    pub rows_written: usize,
    pub seconds_documents: f64,
    pub seconds_incidents: f64,
}

/// The documents under `paths` (.txt, .md, .html, .htm), sorted.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = paths.to_vec();
    while let Some(p) = stack.pop() {
        if out.len() > MAX_FILES {
            return Err(format!("more than {MAX_FILES} files under {}", p.display()));
        }
        let meta = std::fs::metadata(&p).map_err(|e| format!("{}: {e}", p.display()))?;
        if meta.is_dir() {
            let entries = std::fs::read_dir(&p).map_err(|e| format!("{}: {e}", p.display()))?;
            for e in entries.flatten() {
                stack.push(e.path());
            }
        } else if is_document(&p) {
            out.push(p);
        }
    }
    out.sort();
    Ok(out)
}

fn is_document(p: &Path) -> bool {
    matches!(
        p.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("txt" | "md" | "html" | "htm")
    )
}

/// Sends the documents of `files` to the store and brings its incidents up
/// to date. `progress` is called with (done, total) after each batch.
pub fn ingest(
    url: &StoreUrl,
    files: &[PathBuf],
    gazetteer: &Gazetteer,
    mut progress: impl FnMut(usize, usize),
) -> Result<IngestReport, TeamError> {
    let started = Instant::now();
    let mut remote = Remote::connect(url)?;
    if !remote.editor {
        return Err(TeamError::Refused {
            store: url.display(),
            message: format!("{} has read access only", remote.author),
        });
    }
    let mut report = IngestReport {
        files: files.len(),
        ..IngestReport::default()
    };
    let mut known = remote.hashes()?;
    // Names already taken in the store, so two files called report.txt in
    // two folders stay two documents.
    let mut taken: HashSet<String> = remote
        .client()
        .query(
            "SELECT DISTINCT key FROM changes WHERE kind = 'document'",
            &[],
        )
        .map_err(|e| TeamError::Server {
            store: url.display(),
            message: e.to_string(),
        })?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let client = format!("ingest-{}", super::new_client_id());
    let mut client_seq = 0i64;
    let mut done = 0;
    for batch in files.chunks(BATCH) {
        let loaded: Vec<(PathBuf, Loaded)> = batch
            .par_iter()
            .map(|p| {
                let r = crate::docs::load_document(p)
                    .map(|d| {
                        let h = content_hash(&d.raw);
                        (d, h)
                    })
                    .map_err(|e| e.to_string());
                (p.clone(), r)
            })
            .collect();
        let mut out = Vec::new();
        for (path, r) in loaded {
            match r {
                Err(e) => report.failed.push(e),
                Ok((doc, hash)) => {
                    if !known.insert(hash.clone()) {
                        report.skipped += 1;
                        continue;
                    }
                    let id = distinct_id(&doc.id, &path, &taken);
                    taken.insert(id.clone());
                    client_seq += 1;
                    out.push(Outgoing {
                        client_seq,
                        base: 0,
                        change: Change::Document {
                            id,
                            kind: doc.kind,
                            hash: Some(hash),
                        },
                        raw: Some(doc.raw),
                    });
                }
            }
        }
        report.added += out.len();
        remote.push(&client, &out)?;
        done += batch.len();
        progress(done, files.len());
    }
    report.seconds_documents = started.elapsed().as_secs_f64();
    let t = Instant::now();
    let corpus = team_corpus(&mut remote, gazetteer)?;
    report.incidents = corpus.incidents().len();
    report.rows_written = remote.write_incidents(corpus.incidents())?.0;
    report.seconds_incidents = t.elapsed().as_secs_f64();
    Ok(report)
}

/// `name`, or `folder/name` when the store has that name for another text.
fn distinct_id(name: &str, path: &Path, taken: &HashSet<String>) -> String {
    if !taken.contains(name) {
        return name.to_owned();
    }
    let folder = path
        .parent()
        .and_then(Path::file_name)
        .map_or_else(|| "other".to_owned(), |f| f.to_string_lossy().into_owned());
    let mut id = format!("{folder}/{name}");
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{folder}/{name} ({n})");
        n += 1;
    }
    id
}

/// The corpus the team's history gives: the embedded seed documents and
/// every shared document, their metadata, the placed names, and the
/// corrections, as a window connected to the store shows it.
pub fn team_corpus(remote: &mut Remote, gazetteer: &Gazetteer) -> Result<Corpus, TeamError> {
    let mut entries = Vec::new();
    loop {
        let after = entries.last().map_or(0, |e: &super::Entry| e.seq);
        let more = remote.fetch(after, 10_000)?;
        if more.is_empty() {
            break;
        }
        entries.extend(more);
    }
    let replica = Replica::new(String::new(), entries, Vec::new());
    let derived = replica.derive();
    let hashes: Vec<String> = derived
        .documents
        .iter()
        .map(|(_, _, h)| h.clone())
        .collect();
    let texts = remote.texts(&hashes)?;
    Ok(corpus_of(&derived, &texts, gazetteer))
}

/// The corpus of a derived history, given the documents' texts by hash.
pub fn corpus_of(
    derived: &super::Derived,
    texts: &HashMap<String, String>,
    gazetteer: &Gazetteer,
) -> Corpus {
    let mut ws = SavedWorkspace::default();
    super::apply_derived(&mut ws, derived, texts);
    let (docs, _) = ws.documents();
    let places: Vec<(String, f64, f64)> = ws
        .analyst_places
        .iter()
        .map(|p| (p.name.clone(), p.lon, p.lat))
        .collect();
    let g = if places.is_empty() {
        gazetteer.clone()
    } else {
        gazetteer.with_analyst_places(&places)
    };
    Corpus::new(docs, g, ws.edits)
}

//! A team's shared store on PostgreSQL/PostGIS.
//!
//! The server keeps the team's history: every change an analyst makes (a
//! correction, an undo, an annotation, a placed name, a document and its
//! metadata) is one row of `changes`, in the order the server took it. Each
//! copy of badiya replays that history onto its own extraction, so every
//! window that has seen the same rows shows the same map.
//!
//! Offline, changes queue in the local GeoPackage (`team_outbox`) and go up
//! on reconnect. Two analysts who change the same field of the same thing
//! without having seen each other's change both stay in the history; the
//! rule is the replay's: **the change the server took last wins**. Both
//! analysts are told which change that was.

pub mod ingest;
pub mod link;
pub mod local;
pub mod remote;
pub mod testing;
pub mod url;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::annotate::Annotation;
use crate::app::saved::{AnalystPlace, SavedDoc, SavedWorkspace};
use crate::docs::{DocKind, DocMeta};
use crate::incidents::Edit;

pub use url::StoreUrl;

/// Why the team store could not be reached or used.
#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    #[error("team store address: {0}")]
    Url(String),
    #[error("team store {store}: {message}")]
    Server { store: String, message: String },
    #[error("the team store {store} refused the change: {message}")]
    Refused { store: String, message: String },
    #[error("local copy of the team store {path}: {message}")]
    Local { path: String, message: String },
}

/// One change to the shared corpus, as it travels and as `changes.body` keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// A correction of an incident; `uid` names it for a later undo.
    Edit { uid: String, edit: Edit },
    /// Takes back the correction `uid` (of the incident `incident`).
    Undo { uid: String, incident: String },
    /// An annotation as it now is, or its removal.
    Annotation {
        id: u64,
        annotation: Option<Box<Annotation>>,
    },
    /// A name placed on the map (lon, lat), or its removal.
    Place { name: String, at: Option<[f64; 2]> },
    /// A document's metadata.
    Meta { doc: String, meta: DocMeta },
    /// A document added (its text, by SHA-256, in `documents`) or removed.
    Document {
        id: String,
        kind: DocKind,
        hash: Option<String>,
    },
}

impl Change {
    /// The `changes.kind` column.
    pub fn kind(&self) -> &'static str {
        match self {
            Change::Edit { .. } => "edit",
            Change::Undo { .. } => "undo",
            Change::Annotation { .. } => "annotation",
            Change::Place { .. } => "place",
            Change::Meta { .. } => "meta",
            Change::Document { .. } => "document",
        }
    }

    /// The `changes.key` column: what the change is about.
    pub fn key(&self) -> String {
        match self {
            Change::Edit { edit, .. } => edit.id().to_owned(),
            Change::Undo { incident, .. } => incident.clone(),
            Change::Annotation { id, .. } => id.to_string(),
            Change::Place { name, .. } => name.clone(),
            Change::Meta { doc, .. } => doc.clone(),
            Change::Document { id, .. } => id.clone(),
        }
    }

    /// The part of the thing it changes: two changes of one key and field
    /// replace each other. `*` (a deletion or addition) meets every field.
    fn field(&self) -> &'static str {
        match self {
            Change::Edit { edit, .. } => match edit {
                Edit::SetType { .. } => "the type",
                Edit::SetDate { .. } => "the date",
                Edit::Move { .. } => "the place",
                Edit::SetActors { .. } => "the actors",
                Edit::SetSummary { .. } => "the summary",
                Edit::SetNote { .. } => "the note",
                Edit::SetReview { .. } => "the review",
                Edit::Delete { .. } | Edit::Add { .. } => "*",
            },
            Change::Undo { .. } => "",
            Change::Annotation { .. } => "the annotation",
            Change::Place { .. } => "the placed name",
            Change::Meta { .. } => "the metadata",
            Change::Document { .. } => "the document",
        }
    }

    /// "set the type to clash", for the history.
    pub fn describe(&self) -> String {
        match self {
            Change::Edit { edit, .. } => match edit {
                Edit::SetType { event_type, .. } => {
                    format!("set the type to {}", event_type.label())
                }
                Edit::SetDate { date, .. } => match date {
                    Some(d) => format!("set the date to {d}"),
                    None => "cleared the date".to_owned(),
                },
                Edit::Move {
                    lon, lat, place, ..
                } => format!(
                    "moved the pin to {}{}",
                    place
                        .as_ref()
                        .map_or_else(String::new, |p| format!("{} ", p.name)),
                    crate::coords::decimal(*lon, *lat)
                ),
                Edit::SetActors { actors, .. } => {
                    format!("set the actors to {}", actors.join(", "))
                }
                Edit::SetSummary { .. } => "rewrote the summary".to_owned(),
                Edit::SetNote { .. } => "wrote a note".to_owned(),
                Edit::SetReview { review, .. } => format!("marked it {}", review.as_str()),
                Edit::Delete { .. } => "deleted it".to_owned(),
                Edit::Add { .. } => "added it by hand".to_owned(),
            },
            Change::Undo { .. } => "took back a change".to_owned(),
            Change::Annotation { annotation, .. } => match annotation {
                Some(a) => format!("drew or changed “{}”", a.title()),
                None => "removed an annotation".to_owned(),
            },
            Change::Place { name, at } => match at {
                Some(p) => format!("placed “{name}” at {}", crate::coords::decimal(p[0], p[1])),
                None => format!("removed the place “{name}”"),
            },
            Change::Meta { doc, .. } => format!("changed the metadata of {doc}"),
            Change::Document { id, hash, .. } => match hash {
                Some(_) => format!("added {id}"),
                None => format!("removed {id}"),
            },
        }
    }
}

/// A change as the server took it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub seq: i64,
    pub client: String,
    pub client_seq: i64,
    /// The PostgreSQL role that made it.
    pub author: String,
    /// When the server took it (RFC 3339).
    pub at: String,
    /// The last change its client had seen when making it.
    pub base: i64,
    pub change: Change,
}

/// A change made here, not yet taken by the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outgoing {
    pub client_seq: i64,
    pub base: i64,
    pub change: Change,
    /// A document's text, which goes to `documents` beside the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
}

/// What an analyst is told when two changes met.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    pub winner: Entry,
    pub loser: Entry,
}

impl Conflict {
    /// The message for the analyst of `client` (empty when neither change was theirs).
    pub fn message_for(&self, client: &str) -> Option<String> {
        let what = format!(
            "{} of {}",
            self.winner.change.field(),
            self.winner.change.key()
        );
        let what = what.trim_start_matches("* of ").to_owned();
        if self.loser.client == client {
            Some(format!(
                "{} changed {what} at the same time as you; theirs reached the team store last and is in force (“{}”). Yours is kept in the history (“{}”).",
                self.winner.author,
                self.winner.change.describe(),
                self.loser.change.describe()
            ))
        } else if self.winner.client == client {
            Some(format!(
                "You and {} changed {what} at the same time; yours reached the team store last and is in force (“{}”). Theirs is kept in the history (“{}”).",
                self.loser.author,
                self.winner.change.describe(),
                self.loser.change.describe()
            ))
        } else {
            None
        }
    }
}

/// This copy's view of the team's history: what the server took, then what
/// is queued here. Everything the map shows of the shared corpus is derived
/// from it, in that order.
#[derive(Clone, Debug, Default)]
pub struct Replica {
    /// This copy's id (random, kept in the local GeoPackage).
    pub client: String,
    log: Vec<Entry>,
    pending: Vec<Outgoing>,
    next_client_seq: i64,
}

/// Everything the history says of the shared corpus.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Derived {
    /// Corrections in force, in order: (uid, edit, made here).
    pub edits: Vec<(String, Edit, bool)>,
    pub annotations: Vec<Annotation>,
    pub places: Vec<AnalystPlace>,
    pub meta: BTreeMap<String, DocMeta>,
    /// Documents in force: (id, kind, hash).
    pub documents: Vec<(String, DocKind, String)>,
}

impl Replica {
    /// A replica holding `log` (confirmed, in server order) and `pending`.
    pub fn new(client: String, log: Vec<Entry>, pending: Vec<Outgoing>) -> Self {
        let mine = log
            .iter()
            .filter(|e| e.client == client)
            .map(|e| e.client_seq)
            .chain(pending.iter().map(|p| p.client_seq))
            .max()
            .unwrap_or(0);
        Self {
            client,
            log,
            pending,
            next_client_seq: mine + 1,
        }
    }

    /// The newest change the server took that this copy has.
    pub fn last_seq(&self) -> i64 {
        self.log.last().map_or(0, |e| e.seq)
    }

    pub fn log(&self) -> &[Entry] {
        &self.log
    }

    pub fn pending(&self) -> &[Outgoing] {
        &self.pending
    }

    /// The shared corpus as the history gives it.
    pub fn derive(&self) -> Derived {
        let mut out = Derived::default();
        let mut annotations: BTreeMap<u64, Annotation> = BTreeMap::new();
        let mut places: Vec<AnalystPlace> = Vec::new();
        let mut docs: Vec<(String, DocKind, String)> = Vec::new();
        let mut undone: HashSet<&str> = HashSet::new();
        let changes = self
            .log
            .iter()
            .map(|e| (&e.change, e.client == self.client))
            .chain(self.pending.iter().map(|p| (&p.change, true)));
        for (change, _) in changes.clone() {
            if let Change::Undo { uid, .. } = change {
                undone.insert(uid);
            }
        }
        for (change, own) in changes {
            match change {
                Change::Edit { uid, edit } => {
                    if !undone.contains(uid.as_str()) {
                        out.edits.push((uid.clone(), edit.clone(), own));
                    }
                }
                Change::Undo { .. } => {}
                Change::Annotation { id, annotation } => match annotation {
                    Some(a) => {
                        annotations.insert(*id, (**a).clone());
                    }
                    None => {
                        annotations.remove(id);
                    }
                },
                Change::Place { name, at } => {
                    places.retain(|p| &p.name != name);
                    if let Some([lon, lat]) = at {
                        places.push(AnalystPlace {
                            name: name.clone(),
                            lon: *lon,
                            lat: *lat,
                        });
                    }
                }
                Change::Meta { doc, meta } => {
                    out.meta.insert(doc.clone(), meta.clone());
                }
                Change::Document { id, kind, hash } => {
                    docs.retain(|(d, _, _)| d != id);
                    if let Some(h) = hash {
                        docs.push((id.clone(), *kind, h.clone()));
                    }
                }
            }
        }
        out.annotations = annotations.into_values().collect();
        out.places = places;
        out.documents = docs;
        out
    }

    /// Queues a change made here.
    fn record(&mut self, change: Change, raw: Option<String>) -> Outgoing {
        let out = Outgoing {
            client_seq: self.next_client_seq,
            base: self.last_seq(),
            change,
            raw,
        };
        self.next_client_seq += 1;
        self.pending.push(out.clone());
        out
    }

    /// A fresh id for a correction made here.
    fn uid(&self) -> String {
        format!("{}:{}", self.client, self.next_client_seq)
    }

    /// Compares what the analyst now has with what the history gives and
    /// queues the difference as changes: corrections made or taken back,
    /// annotations drawn, changed or removed, names placed, documents added
    /// or removed, metadata changed. `docs` are the added documents when
    /// they may have changed (`None`: they did not); `meta` names the
    /// documents whose metadata the analyst changed (the rest keep what the
    /// documents or the history say). Returns the queued changes.
    pub fn diff(
        &mut self,
        ws: &SavedWorkspace,
        docs: Option<&[SavedDoc]>,
        meta: &std::collections::BTreeSet<String>,
    ) -> Vec<Outgoing> {
        let before = self.derive();
        let mut out = Vec::new();
        // Corrections: the analyst's list is the history's with some of this
        // copy's taken back and new ones at the end.
        let mut j = 0;
        for (uid, edit, _) in &before.edits {
            if ws.edits.get(j) == Some(edit) {
                j += 1;
            } else {
                let change = Change::Undo {
                    uid: uid.clone(),
                    incident: edit.id().to_owned(),
                };
                out.push(self.record(change, None));
            }
        }
        for edit in &ws.edits[j.min(ws.edits.len())..] {
            let change = Change::Edit {
                uid: self.uid(),
                edit: edit.clone(),
            };
            out.push(self.record(change, None));
        }
        let had: HashMap<u64, &Annotation> = before.annotations.iter().map(|a| (a.id, a)).collect();
        for a in ws.annotations.items() {
            if had.get(&a.id) != Some(&a) {
                let change = Change::Annotation {
                    id: a.id,
                    annotation: Some(Box::new(a.clone())),
                };
                out.push(self.record(change, None));
            }
        }
        let now: HashSet<u64> = ws.annotations.items().iter().map(|a| a.id).collect();
        for a in &before.annotations {
            if !now.contains(&a.id) {
                let change = Change::Annotation {
                    id: a.id,
                    annotation: None,
                };
                out.push(self.record(change, None));
            }
        }
        for p in &ws.analyst_places {
            if !before.places.contains(p) {
                let change = Change::Place {
                    name: p.name.clone(),
                    at: Some([p.lon, p.lat]),
                };
                out.push(self.record(change, None));
            }
        }
        for doc in meta {
            let Some(meta) = ws.doc_meta.get(doc) else {
                continue;
            };
            if before.meta.get(doc) != Some(meta) {
                let change = Change::Meta {
                    doc: doc.clone(),
                    meta: meta.clone(),
                };
                out.push(self.record(change, None));
            }
        }
        let had_docs: HashMap<&str, &str> = before
            .documents
            .iter()
            .map(|(id, _, h)| (id.as_str(), h.as_str()))
            .collect();
        // A document keeps its text; only new ones are hashed. (Nothing in
        // the window removes a document or a placed name, so a document or
        // name the window has not yet taken in is never sent as removed.)
        for d in docs.unwrap_or_default() {
            if had_docs.contains_key(d.id.as_str()) {
                continue;
            }
            let hash = content_hash(&d.raw);
            {
                let change = Change::Document {
                    id: d.id.clone(),
                    kind: d.kind,
                    hash: Some(hash),
                };
                out.push(self.record(change, Some(d.raw.clone())));
            }
        }
        out
    }

    /// Takes in changes the server took (others', and this copy's own, which
    /// leave the queue), and returns the conflicts among them to tell of.
    pub fn receive(&mut self, entries: &[Entry]) -> Vec<Conflict> {
        let mut conflicts = Vec::new();
        for e in entries {
            if e.seq <= self.last_seq() {
                continue;
            }
            if e.client == self.client {
                self.pending.retain(|p| p.client_seq != e.client_seq);
                self.next_client_seq = self.next_client_seq.max(e.client_seq + 1);
            }
            let field = e.change.field();
            if !field.is_empty() {
                let key = e.change.key();
                // An earlier change of the same field its author had not seen.
                let met = self
                    .log
                    .iter()
                    .rev()
                    .take_while(|l| l.seq > e.base)
                    .find(|l| {
                        l.client != e.client
                            && l.change.kind() == e.change.kind()
                            && l.change.key() == key
                            && (l.change.field() == field
                                || l.change.field() == "*"
                                || field == "*")
                    });
                if let Some(l) = met {
                    conflicts.push(Conflict {
                        winner: e.clone(),
                        loser: l.clone(),
                    });
                }
            }
            self.log.push(e.clone());
        }
        conflicts
    }

    /// Who last changed the incident `id`, and when.
    pub fn last_change(&self, id: &str) -> Option<&Entry> {
        self.log.iter().rev().find(|e| {
            matches!(e.change, Change::Edit { .. } | Change::Undo { .. }) && e.change.key() == id
        })
    }

    /// The history of one incident: every correction and undo the server took, oldest first.
    pub fn history(&self, id: &str) -> Vec<&Entry> {
        self.log
            .iter()
            .filter(|e| {
                matches!(e.change, Change::Edit { .. } | Change::Undo { .. })
                    && e.change.key() == id
            })
            .collect()
    }

    /// Where the corrections made here stand in the list in force (for an
    /// undo that takes back this analyst's last correction, not another's).
    pub fn own_edit_positions(&self) -> Vec<usize> {
        self.derive()
            .edits
            .iter()
            .enumerate()
            .filter_map(|(k, (_, _, own))| own.then_some(k))
            .collect()
    }

    /// The first annotation id this copy gives: its own range, so two copies
    /// drawing at once never pick the same id.
    pub fn annotation_id_base(&self) -> u64 {
        let h = content_hash(&self.client);
        let n = u64::from_str_radix(&h[..5], 16).unwrap_or(0);
        (n + 1) << 32
    }
}

/// A document's text hash: SHA-256, hex.
pub fn content_hash(raw: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(raw.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new random client id.
pub fn new_client_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.write_u32(std::process::id());
    let a = h.finish();
    h.write_u64(a);
    format!("{a:016x}{:08x}", h.finish() as u32)
}

/// The analyst's saved workspace with the shared parts taken from the history.
pub fn apply_derived(ws: &mut SavedWorkspace, d: &Derived, docs: &HashMap<String, String>) {
    ws.edits = d.edits.iter().map(|(_, e, _)| e.clone()).collect();
    ws.annotations = crate::annotate::Annotations::from_vec(d.annotations.clone());
    ws.analyst_places = d.places.clone();
    ws.doc_meta = d.meta.clone();
    ws.added_docs = d
        .documents
        .iter()
        .filter_map(|(id, kind, hash)| {
            docs.get(hash).map(|raw| SavedDoc {
                id: id.clone(),
                raw: raw.clone(),
                kind: *kind,
            })
        })
        .collect();
}

#[cfg(test)]
mod tests;

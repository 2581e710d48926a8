//! The window's side of a team store: the history replayed onto the map,
//! this analyst's changes queued and sent, others' changes taken in and
//! told, the connection in the status bar, File › Connect to team store…,
//! and each incident's history in the inspector.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::RichText;

use super::saved::SavedWorkspace;
use super::{BadiyaApp, Command};
use crate::team::link::{FromLink, Link, LinkStatus, ToLink};
use crate::team::local::Local;
use crate::team::{Change, Replica, StoreUrl};

/// More new documents than this are extracted on a worker thread.
const MANY_DOCUMENTS: usize = 20;

/// A window's connection to a team store.
pub struct TeamSession {
    pub url: StoreUrl,
    local: Local,
    pub replica: Replica,
    link: Link,
    pub status: LinkStatus,
    /// Documents' texts this copy has, by hash.
    texts: HashMap<String, String>,
    /// Hashes asked of the server and not yet come.
    asked: HashSet<String>,
    /// The history has moved since the map last took it in.
    pub stale: bool,
    /// The incidents last handed to the shared table (by generation).
    sent_generation: Option<u64>,
    /// Questions sent to PostGIS, by number.
    next_question: u64,
    pub question: Option<(u64, crate::analysis::Question)>,
    /// The change the server refused, when it did.
    pub refused: Option<String>,
    /// Documents whose metadata the analyst changed since the last look
    /// (the rest keep what the documents or the history say).
    pub meta_touched: std::collections::BTreeSet<String>,
    waker_set: bool,
}

/// Where the local copy of `url` is kept: beside the private workspace.
pub fn cache_path(workspace: Option<&Path>, url: &StoreUrl) -> PathBuf {
    let private = workspace.map_or_else(crate::workspace::default_path, Path::to_path_buf);
    private.with_file_name(url.cache_name())
}

impl TeamSession {
    /// Opens the local copy in `gpkg` (the GeoPackage the window saves to)
    /// and starts the connection. The shared parts of `saved` are replaced
    /// by what the history gives.
    pub fn start(url: StoreUrl, gpkg: &Path, saved: &mut SavedWorkspace) -> Result<Self, String> {
        let mut local = Local::open(gpkg).map_err(|e| e.to_string())?;
        let replica = local.load(url.written()).map_err(|e| e.to_string())?;
        let derived = replica.derive();
        // The local copy's documents are the history's, by name (a name
        // keeps its text), so nothing needs hashing at start-up.
        let by_id: HashMap<&str, &str> = saved
            .added_docs
            .iter()
            .map(|d| (d.id.as_str(), d.raw.as_str()))
            .collect();
        let texts: HashMap<String, String> = derived
            .documents
            .iter()
            .filter_map(|(id, _, h)| {
                by_id
                    .get(id.as_str())
                    .map(|raw| (h.clone(), (*raw).to_owned()))
            })
            .collect();
        crate::team::apply_derived(saved, &derived, &texts);
        let link = Link::spawn(
            url.clone(),
            replica.client.clone(),
            replica.pending().to_vec(),
            replica.last_seq(),
        );
        let missing: Vec<String> = derived
            .documents
            .iter()
            .map(|(_, _, h)| h.clone())
            .filter(|h| !texts.contains_key(h))
            .collect();
        let asked: HashSet<String> = missing.iter().cloned().collect();
        if !missing.is_empty() {
            link.send(ToLink::Texts(missing));
        }
        Ok(Self {
            url,
            local,
            replica,
            link,
            status: LinkStatus::default(),
            texts,
            asked,
            stale: false,
            sent_generation: None,
            next_question: 0,
            question: None,
            refused: None,
            meta_touched: std::collections::BTreeSet::new(),
            waker_set: false,
        })
    }

    /// True when this analyst may not change the store.
    pub fn reader(&self) -> bool {
        (self.status.connected && !self.status.editor) || self.refused.is_some()
    }

    /// What the status bar says.
    pub fn summary(&self) -> String {
        let who = if self.status.author.is_empty() {
            self.url.user().to_owned()
        } else {
            self.status.author.clone()
        };
        let state = if self.status.connected {
            if self.status.editor {
                "connected".to_owned()
            } else {
                "connected, read only".to_owned()
            }
        } else if self.status.error.is_some() {
            "offline".to_owned()
        } else {
            "connecting…".to_owned()
        };
        let queued = self.replica.pending().len();
        let queued = if queued == 0 {
            String::new()
        } else {
            format!(" · {queued} change(s) queued")
        };
        format!("team {} as {who}: {state}{queued}", self.url.display())
    }
}

/// Refuses a change in a store this analyst may only read; true when refused.
pub(super) fn refuse_change(app: &mut BadiyaApp) -> bool {
    let Some(team) = &app.team else { return false };
    if !team.reader() {
        return false;
    }
    let why = team.refused.clone().unwrap_or_else(|| {
        format!(
            "the team store {} gives {} read access only: nothing can be changed here (ask for editor access)",
            team.url.display(),
            team.status.author
        )
    });
    if !app.errors.contains(&why) {
        app.errors.push(why);
    }
    true
}

/// Takes in what the connection reports; called once a frame. The
/// connection wakes the window when it has something, so others' changes
/// show without waiting for input (and an idle window draws nothing).
pub(super) fn poll(app: &mut BadiyaApp, ctx: &egui::Context) {
    let Some(team) = app.team.as_mut() else {
        return;
    };
    if !team.waker_set {
        let ctx = ctx.clone();
        team.link.set_waker(move || ctx.request_repaint());
        team.waker_set = true;
    }
    let mut notes = Vec::new();
    let mut errors = Vec::new();
    // Changes that met another's: told last in the status line and kept in
    // the Problems window until dismissed.
    let mut met = Vec::new();
    let mut answer = None;
    for m in team.link.poll() {
        match m {
            FromLink::Status(s) => {
                if s.connected && !team.status.connected {
                    notes.push(format!(
                        "connected to the team store {}",
                        team.url.display()
                    ));
                } else if !s.connected && team.status.connected {
                    notes.push(format!(
                        "the team store {} is out of reach; changes queue here and go up on reconnect",
                        team.url.display()
                    ));
                }
                // Why it cannot connect, once per new reason (a missing
                // schema, a refused login, a server out of reach).
                if let Some(e) = &s.error
                    && team.status.error.as_ref() != Some(e)
                {
                    notes.push(e.clone());
                }
                team.status = s;
            }
            FromLink::Received { entries, texts } => {
                if let Err(e) = team.local.received(&team.replica.client, &entries) {
                    errors.push(e.to_string());
                }
                for c in team.replica.receive(&entries) {
                    if let Some(m) = c.message_for(&team.replica.client) {
                        met.push(m);
                    }
                }
                let others: Vec<_> = entries
                    .iter()
                    .filter(|e| e.client != team.replica.client)
                    .collect();
                match others.len() {
                    0 => {}
                    1 => notes.push(format!(
                        "{}: {} ({})",
                        others[0].author,
                        others[0].change.describe(),
                        others[0].change.key()
                    )),
                    n => {
                        let mut who: Vec<&str> = others.iter().map(|e| e.author.as_str()).collect();
                        who.sort_unstable();
                        who.dedup();
                        notes.push(format!("{n} changes from {}", who.join(", ")));
                    }
                }
                for (h, t) in texts {
                    team.asked.remove(&h);
                    team.texts.insert(h, t);
                }
                team.stale = true;
            }
            FromLink::Texts(texts) => {
                for (h, t) in texts {
                    team.asked.remove(&h);
                    team.texts.insert(h, t);
                }
                team.stale = true;
            }
            FromLink::Refused(e) => {
                team.refused = Some(e.clone());
                errors.push(e);
            }
            FromLink::Error(e) => notes.push(e),
            FromLink::Answer { id, result } => answer = Some((id, result)),
        }
    }
    if let Some((id, result)) = answer
        && let Some((asked, q)) = team.question.clone()
        && asked == id
    {
        match result {
            Ok(found) => {
                app.tools.answer = Some((q, found));
                app.tools.answered_by = Some(format!("PostGIS on {}", team.url.display()));
            }
            Err(e) => errors.push(format!("PostGIS could not answer: {e}")),
        }
    }
    app.messages.extend(notes);
    app.messages.extend(met.iter().cloned());
    errors.extend(met);
    for e in errors {
        if !app.errors.contains(&e) {
            app.errors.push(e);
        }
    }
    if app.loading.is_none() && app.team.as_ref().is_some_and(|t| t.stale) {
        take_in(app);
    }
}

/// Brings the map to what the history gives: others' documents, metadata,
/// placed names, corrections and annotations.
fn take_in(app: &mut BadiyaApp) {
    let Some(team) = app.team.as_mut() else {
        return;
    };
    team.stale = false;
    let d = team.replica.derive();
    let mut want = Vec::new();
    let mut new_docs = Vec::new();
    for (id, kind, hash) in &d.documents {
        if app.corpus.doc(id).is_some() {
            continue;
        }
        match team.texts.get(hash) {
            Some(raw) => match super::saved::kept_document(id, raw, *kind) {
                Ok(mut doc) => {
                    if let Some(m) = d.meta.get(id) {
                        doc.meta = m.clone();
                    }
                    new_docs.push(doc);
                }
                Err(e) => app.messages.push(format!("team store: {e}")),
            },
            None if !team.asked.contains(hash) => want.push(hash.clone()),
            None => {}
        }
    }
    if !want.is_empty() {
        team.asked.extend(want.iter().cloned());
        team.link.send(ToLink::Texts(want));
    }
    // Many documents at once (joining a store, a colleague's ingest): the
    // corpus is built again on a worker thread, every document extracted
    // side by side, and the window goes on meanwhile. The rest of the
    // history is taken in when they are.
    let new_bytes: usize = new_docs.iter().map(|x| x.raw.len()).sum();
    if new_docs.len() > MANY_DOCUMENTS || new_bytes > super::BACKGROUND_EXTRACTION_BYTES {
        team.stale = true;
        let edits: Vec<crate::incidents::Edit> =
            d.edits.iter().map(|(_, e, _)| e.clone()).collect();
        let n = app.corpus.docs.len() + new_docs.len();
        app.in_background(n, move |corpus| {
            corpus.edits = edits;
            corpus.add_documents(new_docs);
            Vec::new()
        });
        return;
    }
    let places: Vec<(String, f64, f64)> = d
        .places
        .iter()
        .filter(|p| crate::coords::valid_lon_lat(p.lon, p.lat))
        .map(|p| (p.name.clone(), p.lon, p.lat))
        .collect();
    if places != app.analyst_places {
        app.analyst_places = places;
        app.corpus.gazetteer = app
            .corpus
            .gazetteer
            .with_analyst_places(&app.analyst_places);
        app.corpus.reextract();
        app.scene_cache = None;
    }
    for doc in new_docs {
        if let Err(e) = app.corpus.add_document(doc) {
            app.messages.push(e);
        }
    }
    for (doc, meta) in &d.meta {
        if app.corpus.doc(doc).is_some_and(|x| &x.meta != meta) {
            app.corpus.set_meta(doc, meta.clone());
        }
    }
    let edits: Vec<crate::incidents::Edit> = d.edits.into_iter().map(|(_, e, _)| e).collect();
    if edits != app.corpus.edits {
        if edits.starts_with(&app.corpus.edits) {
            let extra = edits[app.corpus.edits.len()..].to_vec();
            for e in extra {
                app.corpus.edit(e);
            }
        } else {
            app.corpus.set_edits(edits);
        }
        if let Some(super::Selection::Incident(id)) = &app.selection
            && app.corpus.incident(id).is_none()
        {
            app.selection = None;
        }
    }
    let shared: HashMap<u64, &crate::annotate::Annotation> =
        d.annotations.iter().map(|a| (a.id, a)).collect();
    let mut moved = false;
    let here: Vec<u64> = app.annotations.items().iter().map(|a| a.id).collect();
    for id in here {
        if !shared.contains_key(&id) {
            app.annotations.remove_shared(id);
            moved = true;
        }
    }
    for a in &d.annotations {
        if app.annotations.get(a.id) != Some(a) {
            app.annotations.put_shared(a.clone());
            moved = true;
        }
    }
    if moved {
        app.anno_rev += 1;
        app.drop_stale_annotation_selection();
    }
    app.dirty = true;
}

/// Queues what the analyst changed since the last look (into the local
/// GeoPackage first, then to the server), and hands the incidents to the
/// shared table when they changed. Called where the workspace is saved.
pub(super) fn send_changes(
    app: &mut BadiyaApp,
    ws: &SavedWorkspace,
    docs: Option<&[super::saved::SavedDoc]>,
) {
    let generation = app.corpus.generation();
    let Some(team) = app.team.as_mut() else {
        return;
    };
    if team.stale || team.reader() {
        return;
    }
    // Only metadata the analyst changed goes up.
    let touched = std::mem::take(&mut team.meta_touched);
    let out = team.replica.diff(ws, docs, &touched);
    for o in &out {
        if let (Change::Document { hash: Some(h), .. }, Some(raw)) = (&o.change, &o.raw) {
            team.texts.insert(h.clone(), raw.clone());
        }
    }
    if !out.is_empty() {
        if let Err(e) = team.local.queue(&out) {
            app.errors.push(e.to_string());
        }
        team.link.send(ToLink::Push(out));
    }
    if team.sent_generation != Some(generation) {
        team.sent_generation = Some(generation);
        team.link
            .send(ToLink::Incidents(Arc::new(app.corpus.incidents().to_vec())));
    }
}

/// Where this analyst's last correction stands in the list in force.
pub(super) fn last_own_edit(app: &BadiyaApp) -> Option<usize> {
    app.team
        .as_ref()
        .map(|t| t.replica.own_edit_positions().last().copied())?
}

/// How many corrections in force are this analyst's (all of them, alone).
pub(super) fn own_edit_count(app: &BadiyaApp) -> usize {
    match &app.team {
        Some(t) => t.replica.own_edit_positions().len(),
        None => app.corpus.edits.len(),
    }
}

/// Sends a spatial question to PostGIS; the answer replaces the local one when it comes.
pub(super) fn ask_postgis(app: &mut BadiyaApp, question: &crate::analysis::Question) {
    let Some(geometry) = question.reference.geometry(&app.data) else {
        return;
    };
    let Some(team) = app.team.as_mut() else {
        return;
    };
    team.next_question += 1;
    let id = team.next_question;
    team.question = Some((id, question.clone()));
    team.link.send(ToLink::Ask {
        id,
        geometry,
        km: question.km,
    });
}

/// The team part of the status bar.
pub(super) fn status_ui(app: &BadiyaApp, ui: &mut egui::Ui) {
    let Some(team) = &app.team else { return };
    ui.separator();
    let text = team.summary();
    let label = if team.status.connected {
        ui.label(text)
    } else {
        ui.label(RichText::new(text).color(ui.visuals().warn_fg_color))
    };
    let hover = team
        .status
        .error
        .clone()
        .unwrap_or_else(|| "changes by others arrive as they are made".to_owned());
    label.on_hover_text(hover);
}

/// The incident's history in the team store, for the inspector.
pub(super) fn history_ui(app: &BadiyaApp, ui: &mut egui::Ui, id: &str) {
    let Some(team) = &app.team else { return };
    let history = team.replica.history(id);
    let queued = team
        .replica
        .pending()
        .iter()
        .filter(|p| p.change.key() == id)
        .count();
    if history.is_empty() && queued == 0 {
        return;
    }
    ui.separator();
    ui.strong("Team history");
    for e in history.iter().rev().take(12) {
        let who = if e.client == team.replica.client {
            format!("{} (you)", e.author)
        } else {
            e.author.clone()
        };
        ui.label(format!("{} · {who}: {}", e.at, e.change.describe()));
    }
    if history.len() > 12 {
        ui.weak(format!("and {} earlier", history.len() - 12));
    }
    if queued > 0 {
        ui.weak(format!(
            "{queued} change(s) of yours queued, not yet in the team store"
        ));
    }
}

/// File › Connect to team store…: the address, then the window reopens on it.
pub(super) fn connect_window(app: &mut BadiyaApp, ctx: &egui::Context) {
    let Some(mut url) = app.team_dialog.take() else {
        return;
    };
    let mut open = true;
    let mut go = None;
    let mut leave = false;
    egui::Window::new("Connect to team store")
        .open(&mut open)
        .collapsible(false)
        .default_width(420.0)
        .show(ctx, |ui| {
            ui.label("PostgreSQL/PostGIS address (libpq style):");
            ui.add(
                egui::TextEdit::singleline(&mut url)
                    .hint_text("postgresql://analyst@db.example/team")
                    .desired_width(400.0),
            );
            ui.weak("The password comes from PGPASSWORD or ~/.pgpass; it is never saved. Your private workspace stays as it is.");
            ui.horizontal(|ui| {
                if ui.button("Connect").clicked() {
                    go = Some(url.clone());
                }
                if app.team.is_some() && ui.button("Back to the private workspace").clicked() {
                    leave = true;
                }
            });
            if let Some(team) = &app.team {
                ui.weak(format!("now: {}", team.summary()));
            }
        });
    if let Some(u) = go.filter(|u| !u.trim().is_empty()) {
        match StoreUrl::parse(&u) {
            Ok(_) => app.send(Command::ConnectTeam(Some(u))),
            Err(e) => {
                app.errors.push(e.to_string());
                app.team_dialog = Some(url);
            }
        }
    } else if leave {
        app.send(Command::ConnectTeam(None));
    } else if open {
        app.team_dialog = Some(url);
    }
}

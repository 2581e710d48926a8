//! The workspace as a GeoPackage: one SQLite file (WAL) that QGIS opens as
//! layers. Incidents, annotations and analyst-placed names are feature
//! tables; documents, edits (with an append-only history), document metadata
//! and view state are plain tables. Every save is one transaction holding only
//! what changed since the last one, so what the analyst saw applied is on
//! disk and a killed process leaves the file whole.
//!
//! A file that cannot be read is never written over: it is set aside under a
//! name no earlier one has, and a fresh workspace is opened. A file held by
//! another window, or written by a newer badiya, opens read-only.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use super::saved::{AnalystPlace, SavedDoc, SavedWorkspace};
use crate::annotate::{Annotation, AnnotationKind, Annotations};
use crate::incidents::{Edit, Incident};

/// The badiya schema version this build writes (kept in `badiya_meta`; the
/// SQLite `user_version` belongs to the GeoPackage standard).
pub const SCHEMA_VERSION: u32 = 2;
/// GeoPackage's application id, "GPKG".
const GPKG_APPLICATION_ID: i32 = 0x4750_4B47;
/// GeoPackage 1.3.
const GPKG_USER_VERSION: i32 = 10300;
/// A workspace larger than this is not opened (it holds documents' text, so it
/// may be large, but not without bound).
pub const MAX_WORKSPACE_BYTES: u64 = 2 << 30;

/// Why the workspace could not be opened or saved; paths last.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot save the workspace: {source}: {}", path.display())]
    Sql {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("the workspace is read-only ({0}); use File › Save workspace as… to keep changes")]
    ReadOnly(String),
    #[error("cannot encode the workspace: {0}")]
    Encode(#[from] serde_json::Error),
}

/// Why a workspace opened read-only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadOnly {
    /// Another badiya window holds it.
    OtherWindow,
    /// Written by a newer badiya (its schema version).
    Newer(u32),
    /// It could be neither read nor set aside; nothing here is saved.
    Unsaved(String),
}

impl std::fmt::Display for ReadOnly {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::OtherWindow => write!(f, "another badiya window has it open"),
            Self::Newer(v) => write!(
                f,
                "written by a newer badiya (schema {v}; this one knows {SCHEMA_VERSION})"
            ),
            Self::Unsaved(why) => write!(f, "{why}"),
        }
    }
}

/// What the store last wrote, section by section, so a save writes only changes.
#[derive(Default)]
struct Written {
    state: BTreeMap<String, String>,
    edits: Vec<String>,
    docs: BTreeSet<String>,
    doc_meta: BTreeMap<String, String>,
    annotations: BTreeMap<u64, String>,
    places: Vec<AnalystPlace>,
    incidents_generation: Option<u64>,
}

/// An open workspace file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    read_only: Option<ReadOnly>,
    written: Written,
    /// Held for as long as this window writes the file (an exclusive `flock`).
    _lock: Option<File>,
}

/// What opening found: the store (absent only when nothing could be opened),
/// the saved workspace, and messages for the analyst naming the files.
pub struct Opened {
    pub store: Option<Store>,
    pub value: SavedWorkspace,
    pub messages: Vec<String>,
}

fn sql_err(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |source| StoreError::Sql {
        path: path.to_owned(),
        source,
    }
}

/// `name.damaged-<time>`, with `-2`, `-3`… when that too is taken: never an earlier file.
pub fn set_aside_name(path: &Path, why: &str) -> PathBuf {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let base = path.file_name().unwrap_or_default().to_string_lossy();
    let mut candidate = path.with_file_name(format!("{base}.{why}-{stamp}"));
    let mut n = 2;
    while candidate.exists() {
        candidate = path.with_file_name(format!("{base}.{why}-{stamp}-{n}"));
        n += 1;
    }
    candidate
}

/// Moves a file aside (with its `-wal`/`-shm` companions) and says where it went.
fn set_aside(path: &Path, why: &str) -> Result<PathBuf, std::io::Error> {
    let target = set_aside_name(path, why);
    std::fs::rename(path, &target)?;
    for suffix in ["-wal", "-shm"] {
        let mut from = path.as_os_str().to_owned();
        from.push(suffix);
        let mut to = target.as_os_str().to_owned();
        to.push(suffix);
        if Path::new(&from).exists() {
            let _ = std::fs::rename(&from, &to);
        }
    }
    Ok(target)
}

/// A workspace path as given: a legacy `.json` path means the `.gpkg` beside it.
pub fn gpkg_path(path: &Path) -> PathBuf {
    if path.extension().is_some_and(|e| e == "json") {
        path.with_extension("gpkg")
    } else {
        path.to_owned()
    }
}

/// Reads the workspace at `path` without writing, creating or setting aside
/// anything (a scripted screenshot, safe mode): the store is read-only.
pub fn open_read_only(path: &Path) -> Opened {
    let path = gpkg_path(path);
    let mut messages = Vec::new();
    if !path.exists() {
        // Not imported yet: read the JSON workspace as it is.
        let legacy = path.with_extension("json");
        let loaded = crate::workspace::read_only::<SavedWorkspace>(&legacy);
        messages.extend(loaded.warning.map(|w| w.to_string()));
        return Opened {
            store: None,
            value: loaded.value,
            messages,
        };
    }
    match Store::open_existing(&path, true) {
        Ok((store, value)) => Opened {
            store: Some(store),
            value,
            messages,
        },
        Err(reason) => {
            messages.push(format!(
                "cannot open the workspace {} ({reason}); it is left untouched",
                path.display()
            ));
            Opened {
                store: None,
                value: SavedWorkspace::default(),
                messages,
            }
        }
    }
}

/// Opens (or creates) the workspace at `path`; never fails, never overwrites.
pub fn open(path: &Path) -> Opened {
    let given = path;
    let path = gpkg_path(given);
    let mut messages = Vec::new();
    if !path.exists() {
        // First start with this build: import the JSON workspace once, keep it as it was.
        let legacy = path.with_extension("json");
        let mut value = SavedWorkspace::default();
        if legacy.exists() {
            let loaded = crate::workspace::load::<SavedWorkspace>(&legacy);
            match loaded.warning {
                None => {
                    value = loaded.value;
                    messages.push(format!(
                        "imported the workspace {} into {}; the old file is kept as it was",
                        legacy.display(),
                        path.display()
                    ));
                }
                Some(w) => messages.push(format!("{w}; not imported")),
            }
        }
        return match Store::create(&path) {
            Ok(mut store) => {
                if let Err(e) = store.save(&value, None) {
                    messages.push(e.to_string());
                }
                Opened {
                    store: Some(store),
                    value,
                    messages,
                }
            }
            Err(e) => {
                messages.push(format!("{e}; this session is not saved"));
                Opened {
                    store: None,
                    value,
                    messages,
                }
            }
        };
    }
    match Store::open_existing(&path, false) {
        Ok((store, value)) => {
            if let Some(ro) = &store.read_only {
                messages.push(format!("{} opened read-only: {ro}", path.display()));
            }
            Opened {
                store: Some(store),
                value,
                messages,
            }
        }
        Err(reason) => {
            // Unreadable, damaged or not a workspace: set it aside, open a fresh one.
            match set_aside(&path, "damaged") {
                Ok(aside) => {
                    messages.push(format!(
                        "cannot open the workspace {} ({reason}); it was kept as {} and a new workspace was started",
                        path.display(),
                        aside.display()
                    ));
                    let mut reopened = open(&path);
                    messages.append(&mut reopened.messages);
                    reopened.messages = messages;
                    reopened
                }
                Err(e) => {
                    messages.push(format!(
                        "cannot open the workspace {} ({reason}) nor set it aside ({e}); it is left untouched and nothing of this session is saved",
                        path.display()
                    ));
                    Opened {
                        store: None,
                        value: SavedWorkspace::default(),
                        messages,
                    }
                }
            }
        }
    }
}

/// Refuses what is not a plain file of a sane size before SQLite touches it.
fn check_file(path: &Path) -> Result<(), String> {
    crate::input::check(path, MAX_WORKSPACE_BYTES).map_err(|e| e.reason())?;
    // Opening for reading first gives a clear "permission denied".
    File::open(path).map_err(|e| e.to_string())?;
    Ok(())
}

fn try_lock(path: &Path) -> Option<File> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .ok()?;
    file.try_lock().ok().map(|()| file)
}

impl Store {
    /// Creates a new, empty workspace file.
    pub fn create(path: &Path) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = std::fs::create_dir_all(dir);
        }
        let conn = Connection::open(path).map_err(sql_err(path))?;
        let lock = try_lock(path);
        let mut store = Self {
            conn,
            path: path.to_owned(),
            read_only: None,
            written: Written::default(),
            _lock: lock,
        };
        store.prepare().map_err(sql_err(path))?;
        store.migrate(0).map_err(sql_err(path))?;
        // The GeoPackage header (application id) into the main file at once,
        // so readers that look at the file itself (GDAL) recognise it.
        let _ = store
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        Ok(store)
    }

    fn prepare(&self) -> rusqlite::Result<()> {
        self.conn.busy_timeout(std::time::Duration::from_secs(2))?;
        if self.read_only.is_none() {
            self.conn.pragma_update(None, "journal_mode", "WAL")?;
            self.conn.pragma_update(None, "synchronous", "FULL")?;
        }
        Ok(())
    }

    /// Opens an existing file, or says why it cannot be read.
    fn open_existing(path: &Path, reading: bool) -> Result<(Self, SavedWorkspace), String> {
        check_file(path)?;
        let lock = if reading { None } else { try_lock(path) };
        let held_elsewhere = !reading && lock.is_none();
        let flags = if reading || held_elsewhere {
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX
        };
        let conn = Connection::open_with_flags(path, flags).map_err(|e| e.to_string())?;
        let app_id: i32 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(|e| e.to_string())?;
        if app_id != GPKG_APPLICATION_ID {
            return Err("not a GeoPackage".into());
        }
        let check: String = conn
            .pragma_query_value(None, "quick_check", |r| r.get(0))
            .map_err(|e| e.to_string())?;
        if check != "ok" {
            return Err(format!("damaged: {check}"));
        }
        let schema: Option<String> = conn
            .query_row(
                "SELECT value FROM badiya_meta WHERE key = 'schema'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(|_| "a GeoPackage, but not a badiya workspace".to_owned())?;
        let schema: u32 = schema
            .and_then(|s| s.parse().ok())
            .ok_or("a GeoPackage, but not a badiya workspace")?;
        let read_only = if reading {
            Some(ReadOnly::Unsaved("opened for reading only".into()))
        } else if schema > SCHEMA_VERSION {
            Some(ReadOnly::Newer(schema))
        } else if held_elsewhere {
            Some(ReadOnly::OtherWindow)
        } else {
            None
        };
        let mut store = Self {
            conn,
            path: path.to_owned(),
            read_only,
            written: Written::default(),
            _lock: lock,
        };
        store.prepare().map_err(|e| e.to_string())?;
        if store.read_only.is_none() {
            store.migrate(schema).map_err(|e| e.to_string())?;
        }
        let value = store
            .read()
            .map_err(|e| format!("cannot read its tables: {e}"))?;
        Ok((store, value))
    }

    /// The file this store writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Why the store does not write, if it does not.
    pub fn read_only(&self) -> Option<&ReadOnly> {
        self.read_only.as_ref()
    }

    /// Brings the schema from `from` to [`SCHEMA_VERSION`], one transaction.
    fn migrate(&mut self, from: u32) -> rusqlite::Result<()> {
        if from >= SCHEMA_VERSION {
            return Ok(());
        }
        let tx = self.conn.transaction()?;
        if from < 1 {
            tx.pragma_update(None, "application_id", GPKG_APPLICATION_ID)?;
            tx.pragma_update(None, "user_version", GPKG_USER_VERSION)?;
            tx.execute_batch(SCHEMA_1)?;
        }
        if from < 2 {
            tx.execute_batch(super::qgis_style::LAYER_STYLES_TABLE)?;
            write_styles(&tx)?;
        }
        tx.execute(
            "INSERT OR REPLACE INTO badiya_meta(key, value) VALUES ('schema', ?1)",
            params![SCHEMA_VERSION.to_string()],
        )?;
        tx.commit()
    }

    /// Everything the file holds, as the app's saved workspace.
    fn read(&mut self) -> rusqlite::Result<SavedWorkspace> {
        let mut value = SavedWorkspace::default();
        let mut state = serde_json::Map::new();
        {
            let mut q = self.conn.prepare("SELECT key, value FROM state")?;
            let rows = q.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            for row in rows {
                let (k, v) = row?;
                if let Ok(json) = serde_json::from_str(&v) {
                    state.insert(k.clone(), json);
                }
                self.written.state.insert(k, v);
            }
        }
        // Each piece of state on its own: one unreadable key does not lose the rest.
        let get = |k: &str| state.get(k).cloned().unwrap_or(serde_json::Value::Null);
        value.camera = serde_json::from_value(get("camera")).ok().flatten();
        value.layers = serde_json::from_value(get("layers")).unwrap_or_default();
        value.dark = serde_json::from_value(get("dark")).unwrap_or_default();
        value.coord_format = serde_json::from_value(get("coord_format")).unwrap_or_default();
        value.hide_area_markers =
            serde_json::from_value(get("hide_area_markers")).unwrap_or_default();
        value.left_tab = serde_json::from_value(get("left_tab")).unwrap_or_default();
        value.filter = serde_json::from_value(get("filter")).unwrap_or_default();
        value.history = serde_json::from_value(get("history")).unwrap_or_default();
        {
            let mut q = self.conn.prepare("SELECT body FROM edits ORDER BY seq")?;
            let rows = q.query_map([], |r| r.get::<_, String>(0))?;
            for row in rows {
                let body = row?;
                if let Ok(edit) = serde_json::from_str::<Edit>(&body) {
                    value.edits.push(edit);
                }
                self.written.edits.push(body);
            }
        }
        {
            let mut q = self
                .conn
                .prepare("SELECT id, kind, raw FROM documents ORDER BY rowid")?;
            let rows = q.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?;
            for row in rows {
                let (id, kind, raw) = row?;
                let kind =
                    serde_json::from_value(serde_json::Value::String(kind)).unwrap_or_default();
                self.written.docs.insert(id.clone());
                value.added_docs.push(SavedDoc { id, raw, kind });
            }
        }
        {
            let mut q = self.conn.prepare("SELECT id, meta FROM doc_meta")?;
            let rows = q.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            for row in rows {
                let (id, meta) = row?;
                if let Ok(m) = serde_json::from_str(&meta) {
                    value.doc_meta.insert(id.clone(), m);
                }
                self.written.doc_meta.insert(id, meta);
            }
        }
        {
            let mut q = self
                .conn
                .prepare("SELECT fid, body FROM annotations ORDER BY fid")?;
            let rows = q.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
            let mut items = Vec::new();
            for row in rows {
                let (fid, body) = row?;
                if let Ok(a) = serde_json::from_str::<Annotation>(&body) {
                    items.push(a);
                }
                self.written
                    .annotations
                    .insert(u64::try_from(fid).unwrap_or_default(), body);
            }
            value.annotations = Annotations::from_vec(items);
        }
        {
            let mut q = self
                .conn
                .prepare("SELECT name, lon, lat FROM analyst_places ORDER BY fid")?;
            let rows = q.query_map([], |r| {
                Ok(AnalystPlace {
                    name: r.get(0)?,
                    lon: r.get(1)?,
                    lat: r.get(2)?,
                })
            })?;
            for row in rows {
                value.analyst_places.push(row?);
            }
            self.written.places = value.analyst_places.clone();
        }
        Ok(value)
    }

    /// Writes what changed since the last save, in one transaction. With
    /// `incidents`, the incidents layer is rewritten when its generation moved.
    pub fn save(
        &mut self,
        ws: &SavedWorkspace,
        incidents: Option<(u64, &[Incident])>,
    ) -> Result<(), StoreError> {
        if let Some(ro) = &self.read_only {
            return Err(StoreError::ReadOnly(ro.to_string()));
        }
        let path = self.path.clone();
        let mut next = Written::default();
        let mut state = BTreeMap::new();
        state.insert("camera", serde_json::to_string(&ws.camera)?);
        state.insert("layers", serde_json::to_string(&ws.layers)?);
        state.insert("dark", serde_json::to_string(&ws.dark)?);
        state.insert("coord_format", serde_json::to_string(&ws.coord_format)?);
        state.insert(
            "hide_area_markers",
            serde_json::to_string(&ws.hide_area_markers)?,
        );
        state.insert("left_tab", serde_json::to_string(&ws.left_tab)?);
        state.insert("filter", serde_json::to_string(&ws.filter)?);
        state.insert("history", serde_json::to_string(&ws.history)?);
        let edits: Vec<String> = ws
            .edits
            .iter()
            .map(serde_json::to_string)
            .collect::<Result<_, _>>()?;
        let meta: BTreeMap<String, String> = ws
            .doc_meta
            .iter()
            .map(|(k, v)| Ok((k.clone(), serde_json::to_string(v)?)))
            .collect::<Result<_, serde_json::Error>>()?;
        let annos: BTreeMap<u64, String> = ws
            .annotations
            .items()
            .iter()
            .map(|a| Ok((a.id, serde_json::to_string(a)?)))
            .collect::<Result<_, serde_json::Error>>()?;
        let tx = self.conn.transaction().map_err(sql_err(&path))?;
        let run = || -> rusqlite::Result<()> {
            for (k, v) in &state {
                if self.written.state.get(*k) != Some(v) {
                    tx.execute(
                        "INSERT OR REPLACE INTO state(key, value) VALUES (?1, ?2)",
                        params![k, v],
                    )?;
                }
            }
            // Edits: append when the saved list is a prefix, else rewrite; the
            // history keeps every change either way.
            let old = &self.written.edits;
            let common = old.iter().zip(&edits).take_while(|(a, b)| a == b).count();
            if common < old.len() {
                tx.execute(
                    "DELETE FROM edits WHERE seq > ?1",
                    params![i64::try_from(common).unwrap_or(i64::MAX)],
                )?;
                for body in &old[common..] {
                    tx.execute(
                        "INSERT INTO edit_history(at, action, body) VALUES (strftime('%Y-%m-%dT%H:%M:%fZ','now'), 'undo', ?1)",
                        params![body],
                    )?;
                }
            }
            for (k, body) in edits.iter().enumerate().skip(common) {
                tx.execute(
                    "INSERT INTO edits(seq, body) VALUES (?1, ?2)",
                    params![i64::try_from(k + 1).unwrap_or(i64::MAX), body],
                )?;
                tx.execute(
                    "INSERT INTO edit_history(at, action, body) VALUES (strftime('%Y-%m-%dT%H:%M:%fZ','now'), 'apply', ?1)",
                    params![body],
                )?;
            }
            for doc in &ws.added_docs {
                if !self.written.docs.contains(&doc.id) {
                    let kind = serde_json::to_value(doc.kind)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default();
                    tx.execute(
                        "INSERT OR REPLACE INTO documents(id, kind, raw, added) VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%fZ','now'))",
                        params![doc.id, kind, doc.raw],
                    )?;
                }
            }
            let kept: BTreeSet<&String> = ws.added_docs.iter().map(|d| &d.id).collect();
            for id in &self.written.docs {
                if !kept.contains(id) {
                    tx.execute("DELETE FROM documents WHERE id = ?1", params![id])?;
                }
            }
            for (id, m) in &meta {
                if self.written.doc_meta.get(id) != Some(m) {
                    tx.execute(
                        "INSERT OR REPLACE INTO doc_meta(id, meta) VALUES (?1, ?2)",
                        params![id, m],
                    )?;
                }
            }
            for id in self.written.doc_meta.keys() {
                if !meta.contains_key(id) {
                    tx.execute("DELETE FROM doc_meta WHERE id = ?1", params![id])?;
                }
            }
            for a in ws.annotations.items() {
                let body = &annos[&a.id];
                if self.written.annotations.get(&a.id) != Some(body) {
                    tx.execute(
                        "INSERT OR REPLACE INTO annotations(fid, geom, kind, label, body) VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![
                            i64::try_from(a.id).unwrap_or(i64::MAX),
                            gpkg_blob(&annotation_geometry(&a.kind)),
                            a.kind.name(),
                            annotation_label(a),
                            body
                        ],
                    )?;
                }
            }
            for id in self.written.annotations.keys() {
                if !annos.contains_key(id) {
                    tx.execute(
                        "DELETE FROM annotations WHERE fid = ?1",
                        params![i64::try_from(*id).unwrap_or(i64::MAX)],
                    )?;
                }
            }
            if self.written.places != ws.analyst_places {
                tx.execute("DELETE FROM analyst_places", [])?;
                for p in &ws.analyst_places {
                    tx.execute(
                        "INSERT INTO analyst_places(geom, name, lon, lat) VALUES (?1, ?2, ?3, ?4)",
                        params![
                            gpkg_blob(&geo::Geometry::Point(geo::Point::new(p.lon, p.lat))),
                            p.name,
                            p.lon,
                            p.lat
                        ],
                    )?;
                }
            }
            if let Some((generation, list)) = incidents
                && self.written.incidents_generation != Some(generation)
            {
                write_incidents(&tx, list)?;
            }
            Ok(())
        };
        run().map_err(sql_err(&path))?;
        tx.commit().map_err(sql_err(&path))?;
        next.state = state.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        next.edits = edits;
        next.docs = ws.added_docs.iter().map(|d| d.id.clone()).collect();
        next.doc_meta = meta;
        next.annotations = annos;
        next.places = ws.analyst_places.clone();
        next.incidents_generation = incidents
            .map(|(g, _)| g)
            .or(self.written.incidents_generation);
        self.written = next;
        Ok(())
    }

    /// Writes a copy of the workspace to `target` (which must not exist yet)
    /// and returns the store for the copy; this one is closed.
    pub fn save_as(self, target: &Path) -> Result<Store, String> {
        if target.exists() {
            return Err(format!(
                "{} exists already; choose another name",
                target.display()
            ));
        }
        self.conn
            .execute("VACUUM INTO ?1", params![target.to_string_lossy()])
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        drop(self);
        match Store::open_existing(target, false) {
            Ok((store, _)) => Ok(store),
            Err(e) => Err(format!("cannot open {}: {e}", target.display())),
        }
    }
}

/// badiya's QGIS styles, one default per feature table (its earlier ones
/// replaced, any other owner's kept).
fn write_styles(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    use super::qgis_style::{OWNER, styles};
    tx.execute("DELETE FROM layer_styles WHERE owner = ?1", params![OWNER])?;
    for (table, name, description, qml) in styles() {
        tx.execute(
            "INSERT INTO layer_styles(f_table_catalog, f_table_schema, f_table_name, f_geometry_column, \
             styleName, styleQML, styleSLD, useAsDefault, description, owner) \
             VALUES ('', '', ?1, 'geom', ?2, ?3, '', 1, ?4, ?5)",
            params![table, name, qml, description, OWNER],
        )?;
    }
    Ok(())
}

/// The incidents layer, rewritten whole (it is derived: documents plus edits).
fn write_incidents(tx: &rusqlite::Transaction<'_>, list: &[Incident]) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM incidents", [])?;
    let mut q = tx.prepare(
        "INSERT INTO incidents(geom, incident_id, event_type, acled_event_type, acled_sub_event_type, \
         event_date, time_precision, place, geo_precision, actors, summary, quote, document, origin, confidence) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?;
    let (mut min, mut max) = ([f64::MAX; 2], [f64::MIN; 2]);
    for i in list {
        let (acled, sub) = i.event_type.acled();
        let first = i.sources.first();
        q.execute(params![
            gpkg_blob(&geo::Geometry::Point(geo::Point::new(i.lon, i.lat))),
            i.id,
            i.event_type.as_str(),
            acled,
            sub,
            i.date.map(|d| d.to_string()),
            i.time_precision.as_str(),
            i.place.canonical,
            i.geo_precision,
            i.actors.join("; "),
            i.summary,
            first.map(|s| s.quote.as_str()),
            first.map(|s| s.doc.as_str()),
            format!("{:?}", i.origin).to_lowercase(),
            f64::from(i.confidence),
        ])?;
        min = [min[0].min(i.lon), min[1].min(i.lat)];
        max = [max[0].max(i.lon), max[1].max(i.lat)];
    }
    if !list.is_empty() {
        tx.execute(
            "UPDATE gpkg_contents SET min_x = ?1, min_y = ?2, max_x = ?3, max_y = ?4, \
             last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = 'incidents'",
            params![min[0], min[1], max[0], max[1]],
        )?;
    }
    Ok(())
}

fn annotation_label(a: &Annotation) -> String {
    match &a.kind {
        AnnotationKind::Pin { note, .. } if a.text.is_empty() => note.clone(),
        _ => a.text.clone(),
    }
}

/// The annotation as a simple-features geometry (an ellipse as a 48-gon).
fn annotation_geometry(kind: &AnnotationKind) -> geo::Geometry {
    use geo::{Coord, LineString, Point, Polygon};
    let c = |p: &[f64; 2]| Coord { x: p[0], y: p[1] };
    match kind {
        AnnotationKind::Text { at } | AnnotationKind::Pin { at, .. } => {
            geo::Geometry::Point(Point::new(at[0], at[1]))
        }
        AnnotationKind::Arrow { from, to } => {
            geo::Geometry::LineString(LineString::new(vec![c(from), c(to)]))
        }
        AnnotationKind::Polyline { points } | AnnotationKind::Freehand { points } => {
            geo::Geometry::LineString(points.iter().map(c).collect())
        }
        AnnotationKind::Rect { a, b } => {
            let ring = vec![
                Coord { x: a[0], y: a[1] },
                Coord { x: b[0], y: a[1] },
                Coord { x: b[0], y: b[1] },
                Coord { x: a[0], y: b[1] },
                Coord { x: a[0], y: a[1] },
            ];
            geo::Geometry::Polygon(Polygon::new(LineString::new(ring), vec![]))
        }
        AnnotationKind::Ellipse { a, b } => {
            let (cx, cy) = ((a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0);
            let (rx, ry) = ((a[0] - b[0]).abs() / 2.0, (a[1] - b[1]).abs() / 2.0);
            let ring: Vec<Coord> = (0..=48)
                .map(|k| {
                    let t = f64::from(k) / 48.0 * std::f64::consts::TAU;
                    Coord {
                        x: cx + rx * t.cos(),
                        y: cy + ry * t.sin(),
                    }
                })
                .collect();
            geo::Geometry::Polygon(Polygon::new(LineString::new(ring), vec![]))
        }
    }
}

/// A GeoPackage geometry blob: the "GP" header (version 0, little-endian,
/// an [minx, maxx, miny, maxy] envelope for all but points, SRS 4326), then WKB.
pub fn gpkg_blob(geometry: &geo::Geometry) -> Vec<u8> {
    use geo::BoundingRect;
    let mut out = vec![b'G', b'P', 0];
    let envelope = match geometry {
        geo::Geometry::Point(_) => None,
        g => g.bounding_rect(),
    };
    out.push(if envelope.is_some() {
        0b0000_0011
    } else {
        0b0000_0001
    });
    out.extend_from_slice(&4326_i32.to_le_bytes());
    if let Some(r) = envelope {
        for v in [r.min().x, r.max().x, r.min().y, r.max().y] {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    let options = wkb::writer::WriteOptions {
        endianness: wkb::Endianness::LittleEndian,
    };
    // Writing into a Vec cannot fail for a well-formed geo geometry.
    let _ = wkb::writer::write_geometry(&mut out, geometry, &options);
    out
}

/// The GeoPackage core tables, badiya's feature and plain tables, and their
/// registration in `gpkg_contents` / `gpkg_geometry_columns`.
const SCHEMA_1: &str = r#"
CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
  ('WGS 84 geodetic', 4326, 'EPSG', 4326,
   'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]',
   'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
CREATE TABLE IF NOT EXISTS gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));

CREATE TABLE incidents (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT, incident_id TEXT NOT NULL,
  event_type TEXT, acled_event_type TEXT, acled_sub_event_type TEXT, event_date TEXT, time_precision TEXT,
  place TEXT, geo_precision INTEGER, actors TEXT, summary TEXT, quote TEXT, document TEXT,
  origin TEXT, confidence REAL);
CREATE TABLE annotations (
  fid INTEGER PRIMARY KEY, geom GEOMETRY, kind TEXT NOT NULL, label TEXT, body TEXT NOT NULL);
CREATE TABLE analyst_places (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT, name TEXT NOT NULL, lon REAL, lat REAL);
INSERT INTO gpkg_contents(table_name, data_type, identifier, description, srs_id) VALUES
  ('incidents', 'features', 'incidents', 'Incidents as extracted and corrected (derived; rewritten on change)', 4326),
  ('annotations', 'features', 'annotations', 'The analyst''s annotations', 4326),
  ('analyst_places', 'features', 'analyst_places', 'Names the gazetteer lacked, placed by the analyst', 4326);
INSERT INTO gpkg_geometry_columns VALUES
  ('incidents', 'geom', 'POINT', 4326, 0, 0),
  ('annotations', 'geom', 'GEOMETRY', 4326, 0, 0),
  ('analyst_places', 'geom', 'POINT', 4326, 0, 0);

CREATE TABLE documents (id TEXT PRIMARY KEY, kind TEXT NOT NULL, raw TEXT NOT NULL, added TEXT);
CREATE TABLE doc_meta (id TEXT PRIMARY KEY, meta TEXT NOT NULL);
CREATE TABLE edits (seq INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE edit_history (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, action TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE badiya_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO gpkg_contents(table_name, data_type, identifier, description) VALUES
  ('documents', 'attributes', 'documents', 'Documents the analyst added, whole'),
  ('edit_history', 'attributes', 'edit_history', 'Every correction applied or undone, in order');
"#;

/// One save for the writer thread. `docs` is `None` when the added documents
/// did not change since the last job (their text is not copied again).
struct Job {
    seq: u64,
    workspace: Box<SavedWorkspace>,
    docs: Option<Vec<SavedDoc>>,
    incidents: Option<(u64, std::sync::Arc<Vec<Incident>>)>,
}

/// The store on a thread of its own: the UI hands it snapshots and never
/// waits for the disk. Jobs that queue up while a save runs are coalesced
/// (each is the whole state, so the newest is enough).
pub struct Writer {
    /// Called when a save is done, so a window that sleeps redraws its status.
    wake: crate::team::link::Waker,
    jobs: Option<std::sync::mpsc::Sender<Job>>,
    done: std::sync::mpsc::Receiver<(u64, Result<(), String>)>,
    thread: Option<std::thread::JoinHandle<Store>>,
    path: PathBuf,
    read_only: Option<ReadOnly>,
    sent: u64,
    saved: u64,
}

impl Writer {
    /// Starts the thread; `docs` is what the file holds of added documents now.
    pub fn spawn(mut store: Store, docs: Vec<SavedDoc>) -> Self {
        let (jobs, inbox) = std::sync::mpsc::channel::<Job>();
        let (report, done) = std::sync::mpsc::channel();
        let path = store.path.clone();
        let read_only = store.read_only.clone();
        let wake: crate::team::link::Waker = std::sync::Arc::default();
        let waker = std::sync::Arc::clone(&wake);
        let thread = std::thread::Builder::new()
            .name("workspace-writer".into())
            .spawn(move || {
                let mut docs = docs;
                while let Ok(mut job) = inbox.recv() {
                    while let Ok(newer) = inbox.try_recv() {
                        if job.docs.is_some() && newer.docs.is_none() {
                            let kept = job.docs.take();
                            job = Job {
                                docs: kept,
                                ..newer
                            };
                        } else {
                            job = newer;
                        }
                    }
                    if let Some(d) = job.docs.take() {
                        docs = d;
                    }
                    let mut ws = *job.workspace;
                    ws.added_docs = std::mem::take(&mut docs);
                    let incidents = job.incidents.as_ref().map(|(g, l)| (*g, l.as_slice()));
                    let result = store.save(&ws, incidents).map_err(|e| e.to_string());
                    docs = ws.added_docs;
                    if report.send((job.seq, result)).is_err() {
                        break;
                    }
                    if let Ok(w) = waker.lock()
                        && let Some(f) = w.as_ref()
                    {
                        f();
                    }
                }
                store
            })
            .ok();
        Self {
            wake,
            jobs: Some(jobs),
            done,
            thread,
            path,
            read_only,
            sent: 0,
            saved: 0,
        }
    }

    /// The workspace file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What to call when a save is done (a window's repaint request).
    pub fn set_waker(&self, wake: impl Fn() + Send + 'static) {
        if let Ok(mut w) = self.wake.lock() {
            *w = Some(Box::new(wake));
        }
    }

    /// Why nothing is written, if nothing is.
    pub fn read_only(&self) -> Option<&ReadOnly> {
        self.read_only.as_ref()
    }

    /// Queues a save of `workspace` (its `added_docs` are taken from `docs`
    /// when given, else the last ones sent).
    pub fn save(
        &mut self,
        workspace: SavedWorkspace,
        docs: Option<Vec<SavedDoc>>,
        incidents: Option<(u64, std::sync::Arc<Vec<Incident>>)>,
    ) {
        self.sent += 1;
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send(Job {
                seq: self.sent,
                workspace: Box::new(workspace),
                docs,
                incidents,
            });
        }
    }

    /// Errors of the saves finished since the last call.
    pub fn poll(&mut self) -> Vec<String> {
        let mut errors = Vec::new();
        while let Ok((seq, result)) = self.done.try_recv() {
            self.saved = self.saved.max(seq);
            if let Err(e) = result {
                errors.push(e);
            }
        }
        errors
    }

    /// True while saves are queued or running.
    pub fn pending(&self) -> bool {
        self.saved < self.sent
    }

    /// Waits for the queued saves and returns the store.
    pub fn close(mut self) -> Option<Store> {
        self.jobs = None;
        self.thread.take().and_then(|t| t.join().ok())
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.jobs = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// How many start-ups in a row began with this workspace without reaching
/// a drawn frame, counting this one (kept in `<file>.starting`).
pub fn begin_start(path: &Path) -> u32 {
    let marker = starting_marker(path);
    let before: u32 = std::fs::read_to_string(&marker)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0);
    let now = before.saturating_add(1);
    let _ = std::fs::write(&marker, now.to_string());
    now
}

/// The start-up reached a drawn frame: forget the failed attempts.
pub fn start_succeeded(path: &Path) {
    let _ = std::fs::remove_file(starting_marker(path));
}

fn starting_marker(path: &Path) -> PathBuf {
    let path = gpkg_path(path);
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".starting");
    path.with_file_name(name)
}

fn recent_file() -> PathBuf {
    crate::workspace::default_path().with_file_name("recent.json")
}

/// Workspaces opened lately, newest first (at most eight that still exist).
pub fn recent() -> Vec<PathBuf> {
    let text = crate::input::read_limited(&recent_file(), 64 << 10).unwrap_or_default();
    serde_json::from_slice::<Vec<PathBuf>>(&text)
        .unwrap_or_default()
        .into_iter()
        .filter(|p| p.exists())
        .take(8)
        .collect()
}

/// Puts `path` first in the recent list.
pub fn remember_recent(path: &Path) {
    let mut list = recent();
    list.retain(|p| p != path);
    list.insert(0, path.to_owned());
    list.truncate(8);
    if let Ok(bytes) = serde_json::to_vec_pretty(&list) {
        let _ = crate::workspace::write_atomic(&recent_file(), &bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::AnnotationKind;

    fn pin(lon: f64, lat: f64, note: &str) -> Annotation {
        Annotation::new(AnnotationKind::Pin {
            at: [lon, lat],
            note: note.into(),
        })
    }

    fn with_pins(n: usize) -> SavedWorkspace {
        let mut ws = SavedWorkspace::default();
        for k in 0..n {
            ws.annotations
                .add(pin(41.0 + k as f64 * 0.01, 34.4, &format!("pin {k}")));
        }
        ws
    }

    #[test]
    fn a_saved_workspace_reopens_with_everything() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("ws.gpkg");
        let mut opened = open(&path);
        assert!(opened.messages.is_empty(), "{:?}", opened.messages);
        let mut ws = with_pins(3);
        ws.dark = true;
        ws.analyst_places.push(AnalystPlace {
            name: "Al-Shawla".into(),
            lon: 40.2,
            lat: 35.1,
        });
        ws.added_docs.push(SavedDoc {
            id: "report.txt".into(),
            raw: "Gunmen attacked a checkpoint near Al-Qaim.".into(),
            kind: crate::docs::DocKind::Text,
        });
        ws.edits.push(Edit::Delete { id: "x".into() });
        let store = opened.store.as_mut().expect("store");
        store.save(&ws, None).expect("saved");
        drop(opened);
        let again = open(&path);
        assert!(again.messages.is_empty(), "{:?}", again.messages);
        assert_eq!(again.value.annotations.items(), ws.annotations.items());
        assert_eq!(again.value.analyst_places, ws.analyst_places);
        assert_eq!(again.value.added_docs, ws.added_docs);
        assert_eq!(again.value.edits, ws.edits);
        assert!(again.value.dark);
    }

    #[test]
    fn a_second_opener_is_read_only_and_cannot_overwrite() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("ws.gpkg");
        let mut first = open(&path);
        first
            .store
            .as_mut()
            .expect("store")
            .save(&with_pins(1), None)
            .expect("saved");
        let mut second = open(&path);
        let store = second.store.as_mut().expect("store");
        assert_eq!(store.read_only(), Some(&ReadOnly::OtherWindow));
        assert!(
            second.messages.iter().any(|m| m.contains("read-only")),
            "{:?}",
            second.messages
        );
        let err = store.save(&with_pins(5), None).expect_err("refused");
        assert!(err.to_string().contains("read-only"), "{err}");
        drop(second);
        drop(first);
        assert_eq!(open(&path).value.annotations.len(), 1);
    }

    #[test]
    fn a_damaged_file_is_set_aside_under_a_new_name_each_time() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("ws.gpkg");
        for round in 0..3 {
            std::fs::write(&path, format!("not a database, round {round}")).expect("write");
            let opened = open(&path);
            assert!(opened.store.is_some());
            let m = opened.messages.join(" ");
            assert!(m.contains("ws.gpkg") && m.contains("kept as"), "{m}");
        }
        let aside: Vec<String> = std::fs::read_dir(dir.path())
            .expect("list")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".damaged-"))
            .collect();
        assert_eq!(aside.len(), 3, "{aside:?}");
        for (round, name) in aside.iter().enumerate() {
            let text = std::fs::read_to_string(dir.path().join(name)).expect("kept");
            assert!(text.starts_with("not a database"), "{round}: {text}");
        }
    }

    fn default_styles(path: &Path) -> Vec<(String, String)> {
        let conn = Connection::open(path).expect("open");
        let mut q = conn
            .prepare(
                "SELECT f_table_name, styleQML FROM layer_styles WHERE useAsDefault = 1 \
                 ORDER BY f_table_name",
            )
            .expect("query");
        q.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("styles")
    }

    #[test]
    fn qgis_finds_a_default_style_for_every_layer() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("ws.gpkg");
        drop(open(&path));
        let styles = default_styles(&path);
        let tables: Vec<&str> = styles.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(tables, ["analyst_places", "annotations", "incidents"]);
        let incidents = &styles[2].1;
        assert!(incidents.contains("categorizedSymbol") && incidents.contains("\"seizure\""));
        // Registered, so GIS tools list the table.
        let conn = Connection::open(&path).expect("open");
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM gpkg_contents WHERE table_name = 'layer_styles'",
                [],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(n, 1);
    }

    #[test]
    fn a_workspace_of_the_first_schema_gains_the_styles_and_keeps_its_work() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("ws.gpkg");
        let mut opened = open(&path);
        let store = opened.store.as_mut().expect("store");
        store.save(&with_pins(2), None).expect("saved");
        drop(opened);
        // Back to how schema 1 left a file: no style table.
        let conn = Connection::open(&path).expect("open");
        conn.execute_batch(
            "DROP TABLE layer_styles; DELETE FROM gpkg_contents WHERE table_name = 'layer_styles'; \
             UPDATE badiya_meta SET value = '1' WHERE key = 'schema';",
        )
        .expect("downgrade");
        drop(conn);
        let opened = open(&path);
        assert!(opened.messages.is_empty(), "{:?}", opened.messages);
        assert_eq!(opened.value.annotations.len(), 2);
        drop(opened);
        assert_eq!(default_styles(&path).len(), 3);
    }

    #[test]
    fn a_newer_workspace_opens_read_only_and_is_not_touched() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("ws.gpkg");
        drop(open(&path));
        let conn = Connection::open(&path).expect("open");
        conn.execute(
            "UPDATE badiya_meta SET value = '99' WHERE key = 'schema'",
            [],
        )
        .expect("bump");
        drop(conn);
        let before = std::fs::read(&path).expect("bytes");
        let opened = open(&path);
        let store = opened.store.as_ref().expect("store");
        assert_eq!(store.read_only(), Some(&ReadOnly::Newer(99)));
        drop(opened);
        assert_eq!(std::fs::read(&path).expect("bytes"), before);
    }

    #[test]
    fn the_json_workspace_is_imported_once_and_kept() {
        let dir = tempfile::tempdir().expect("dir");
        let json = dir.path().join("workspace.json");
        crate::workspace::save(&json, &with_pins(2)).expect("legacy");
        let before = std::fs::read(&json).expect("bytes");
        let opened = open(&json);
        assert_eq!(opened.value.annotations.len(), 2);
        assert!(
            opened.messages.iter().any(|m| m.contains("imported")),
            "{:?}",
            opened.messages
        );
        assert_eq!(
            opened.store.as_ref().expect("store").path(),
            dir.path().join("workspace.gpkg")
        );
        drop(opened);
        assert_eq!(std::fs::read(&json).expect("kept"), before);
        let again = open(&json);
        assert!(again.messages.is_empty(), "{:?}", again.messages);
        assert_eq!(again.value.annotations.len(), 2);
    }

    #[test]
    fn everything_of_a_json_workspace_survives_the_import() {
        let dir = tempfile::tempdir().expect("dir");
        let json = dir.path().join("workspace.json");
        let mut ws = with_pins(4);
        ws.camera = Some(crate::camera::Camera::default());
        ws.layers.push(super::super::SavedLayer {
            id: "rivers".into(),
            visible: false,
            opacity: 0.4,
        });
        ws.dark = true;
        ws.hide_area_markers = true;
        ws.filter.types.insert(crate::incidents::EventType::Clash);
        ws.edits.push(Edit::SetType {
            id: "a".into(),
            event_type: crate::incidents::EventType::Handover,
        });
        ws.edits.push(Edit::Move {
            id: "b".into(),
            lon: 40.9,
            lat: 34.4,
            place: None,
            geo_precision: None,
        });
        ws.added_docs.push(SavedDoc {
            id: "field/report.md".into(),
            raw: "# Report\n\nGunmen attacked Hit.".into(),
            kind: crate::docs::DocKind::Markdown,
        });
        let meta = crate::docs::DocMeta {
            title: Some("Field report".into()),
            ..Default::default()
        };
        ws.doc_meta.insert("field/report.md".into(), meta);
        ws.analyst_places.push(AnalystPlace {
            name: "Marrat".into(),
            lon: 40.1,
            lat: 35.3,
        });
        crate::workspace::save(&json, &ws).expect("legacy");
        let imported = open(&json).value;
        assert_eq!(imported.camera, ws.camera);
        assert_eq!(imported.layers, ws.layers);
        assert_eq!(imported.dark, ws.dark);
        assert_eq!(imported.hide_area_markers, ws.hide_area_markers);
        assert_eq!(imported.left_tab, ws.left_tab);
        assert_eq!(imported.filter, ws.filter);
        assert_eq!(imported.edits, ws.edits);
        assert_eq!(imported.added_docs, ws.added_docs);
        assert_eq!(imported.doc_meta, ws.doc_meta);
        assert_eq!(imported.annotations.items(), ws.annotations.items());
        assert_eq!(imported.analyst_places, ws.analyst_places);
        // And again from the GeoPackage alone.
        std::fs::remove_file(&json).expect("remove");
        let reopened = open(&dir.path().join("workspace.gpkg")).value;
        assert_eq!(reopened.edits, ws.edits);
        assert_eq!(reopened.added_docs, ws.added_docs);
        assert_eq!(reopened.filter, ws.filter);
    }

    #[test]
    fn reading_only_never_sets_a_damaged_file_aside() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("ws.gpkg");
        std::fs::write(&path, "garbage").expect("write");
        let opened = open_read_only(&path);
        assert!(opened.messages.join(" ").contains("left untouched"));
        assert_eq!(std::fs::read_to_string(&path).expect("there"), "garbage");
    }

    #[test]
    fn edits_are_appended_and_undone_in_the_history() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("ws.gpkg");
        let mut opened = open(&path);
        let store = opened.store.as_mut().expect("store");
        let mut ws = SavedWorkspace::default();
        for k in 0..3 {
            ws.edits.push(Edit::Delete {
                id: format!("i{k}"),
            });
            store.save(&ws, None).expect("saved");
        }
        ws.edits.pop();
        store.save(&ws, None).expect("saved");
        let actions: Vec<String> = store
            .conn
            .prepare("SELECT action FROM edit_history ORDER BY seq")
            .expect("query")
            .query_map([], |r| r.get(0))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("read");
        assert_eq!(actions, ["apply", "apply", "apply", "undo"]);
        drop(opened);
        assert_eq!(open(&path).value.edits.len(), 2);
    }

    #[test]
    fn geometry_blobs_carry_the_geopackage_header() {
        let blob = gpkg_blob(&geo::Geometry::Point(geo::Point::new(40.92, 34.45)));
        assert_eq!(&blob[..3], b"GP\0");
        assert_eq!(
            i32::from_le_bytes([blob[4], blob[5], blob[6], blob[7]]),
            4326
        );
        // WKB point, little-endian, x then y (lon, lat).
        assert_eq!(blob[8], 1);
        assert_eq!(
            u32::from_le_bytes([blob[9], blob[10], blob[11], blob[12]]),
            1
        );
        let x = f64::from_le_bytes(blob[13..21].try_into().expect("8 bytes"));
        assert!((x - 40.92).abs() < 1e-12);
    }
}

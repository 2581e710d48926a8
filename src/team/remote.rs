//! The connection to the team store: schema, history, texts, the incidents
//! table and spatial questions in PostGIS.

use std::collections::HashMap;
use std::time::Duration;

use postgres::{Client, NoTls};

use super::{Change, Entry, Outgoing, StoreUrl, TeamError};
use crate::incidents::Incident;

mod embedded {
    refinery::embed_migrations!("src/team/migrations");
}

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: i32 = 1;

/// Every push takes this lock for its transaction, so the server numbers
/// changes in the order they commit and a reader never skips one.
const PUSH_LOCK: i64 = 0x6261_6469_7961;

/// An open connection to the team store.
pub struct Remote {
    client: Client,
    store: String,
    /// The role this connection acts as.
    pub author: String,
    /// Whether that role may change the corpus.
    pub editor: bool,
    /// What the incidents table holds, by id: the digest of each row.
    written: Option<HashMap<String, String>>,
}

/// Creates or updates the schema at `url` (its role must be allowed to
/// create extensions and roles). Returns what was done.
pub fn init(url: &StoreUrl) -> Result<Vec<String>, TeamError> {
    let store = url.display();
    let mut client = url
        .config
        .connect(NoTls)
        .map_err(|e| server_error(&store, &e))?;
    let report = embedded::migrations::runner()
        .run(&mut client)
        .map_err(|e| TeamError::Server {
            store: store.clone(),
            message: format!("cannot create the schema: {}", error_chain(&e)),
        })?;
    let applied: Vec<String> = report
        .applied_migrations()
        .iter()
        .map(|m| format!("applied migration V{} {}", m.version(), m.name()))
        .collect();
    Ok(applied)
}

/// An error and every cause beneath it, so the server's own words (a missing
/// extension, a refused privilege) reach the analyst rather than "db error".
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut cause = e.source();
    while let Some(c) = cause {
        let text = c.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        cause = c.source();
    }
    parts.join(": ")
}

fn server_error(store: &str, e: &postgres::Error) -> TeamError {
    let message = match e.as_db_error() {
        Some(db) => db.message().to_owned(),
        None => {
            let s = e.to_string();
            match std::error::Error::source(e) {
                Some(src) if !s.contains(&src.to_string()) => format!("{s}: {src}"),
                _ => s,
            }
        }
    };
    if e.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) {
        TeamError::Refused {
            store: store.to_owned(),
            message: format!("{message} (this role may read but not change)"),
        }
    } else {
        TeamError::Server {
            store: store.to_owned(),
            message,
        }
    }
}

impl Remote {
    /// Connects and checks the schema.
    pub fn connect(url: &StoreUrl) -> Result<Self, TeamError> {
        let store = url.display();
        let mut client = url
            .config
            .connect(NoTls)
            .map_err(|e| server_error(&store, &e))?;
        let version: Option<i32> =
            match client.query_one("SELECT max(version) FROM refinery_schema_history", &[]) {
                Ok(row) => row.get(0),
                Err(e) if e.code() == Some(&postgres::error::SqlState::UNDEFINED_TABLE) => None,
                Err(e) => return Err(server_error(&store, &e)),
            };
        match version {
            None => {
                return Err(TeamError::Server {
                    store,
                    message: "no badiya schema here; create it with `badiya store init URL`"
                        .to_owned(),
                });
            }
            Some(v) if v > SCHEMA_VERSION => {
                return Err(TeamError::Server {
                    store,
                    message: format!(
                        "written by a newer badiya (schema {v}; this one knows {SCHEMA_VERSION})"
                    ),
                });
            }
            Some(_) => {}
        }
        let row = client
            .query_one(
                "SELECT current_user::text, \
                 pg_has_role(current_user, 'badiya_editor', 'MEMBER') \
                 OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)",
                &[],
            )
            .map_err(|e| server_error(&store, &e))?;
        Ok(Self {
            client,
            store,
            author: row.get(0),
            editor: row.get::<_, Option<bool>>(1).unwrap_or(false),
            written: None,
        })
    }

    fn err(&self, e: &postgres::Error) -> TeamError {
        server_error(&self.store, e)
    }

    /// True when the connection is gone (the server stopped, the network dropped).
    pub fn is_closed(&self) -> bool {
        self.client.is_closed()
    }

    /// Asks the server to tell this connection of every new change.
    pub fn listen(&mut self) -> Result<(), TeamError> {
        self.client
            .batch_execute("LISTEN badiya_changes")
            .map_err(|e| server_error(&self.store, &e))
    }

    /// Waits up to `timeout` for word of a new change; true when one came.
    pub fn wait(&mut self, timeout: Duration) -> Result<bool, TeamError> {
        use postgres::fallible_iterator::FallibleIterator;
        let store = self.store.clone();
        let mut notes = self.client.notifications();
        let mut got = notes
            .timeout_iter(timeout)
            .next()
            .map_err(|e| server_error(&store, &e))?
            .is_some();
        // Drain the rest without waiting.
        while notes
            .iter()
            .next()
            .map_err(|e| server_error(&store, &e))?
            .is_some()
        {
            got = true;
        }
        Ok(got)
    }

    /// Sends changes made here, in one transaction. A change the server
    /// already has (sent before a crash, say) is not taken twice.
    pub fn push(&mut self, client: &str, out: &[Outgoing]) -> Result<(), TeamError> {
        let store = self.store.clone();
        let e = |e: postgres::Error| server_error(&store, &e);
        let mut tx = self.client.transaction().map_err(e)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&PUSH_LOCK])
            .map_err(e)?;
        let doc = tx
            .prepare(
                "INSERT INTO documents(hash, id, kind, raw) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (hash) DO NOTHING",
            )
            .map_err(e)?;
        let change = tx
            .prepare(
                "INSERT INTO changes(client, client_seq, kind, key, base, body) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (client, client_seq) DO NOTHING",
            )
            .map_err(e)?;
        for o in out {
            if let (
                Change::Document {
                    id,
                    kind,
                    hash: Some(hash),
                },
                Some(raw),
            ) = (&o.change, &o.raw)
            {
                let kind = serde_json::to_value(kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                tx.execute(&doc, &[hash, id, &kind, raw]).map_err(e)?;
            }
            let body = serde_json::to_value(&o.change).map_err(|x| TeamError::Server {
                store: store.clone(),
                message: format!("cannot encode a change: {x}"),
            })?;
            tx.execute(
                &change,
                &[
                    &client,
                    &o.client_seq,
                    &o.change.kind(),
                    &o.change.key(),
                    &o.base,
                    &body,
                ],
            )
            .map_err(e)?;
        }
        tx.commit().map_err(e)
    }

    /// The changes after `after`, oldest first (at most `limit`).
    pub fn fetch(&mut self, after: i64, limit: i64) -> Result<Vec<Entry>, TeamError> {
        let rows = self
            .client
            .query(
                "SELECT seq, client, client_seq, author, \
                 to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), base, body \
                 FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2",
                &[&after, &limit],
            )
            .map_err(|e| self.err(&e))?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let body: serde_json::Value = row.get(6);
            let seq: i64 = row.get(0);
            match serde_json::from_value::<Change>(body) {
                Ok(change) => out.push(Entry {
                    seq,
                    client: row.get(1),
                    client_seq: row.get(2),
                    author: row.get(3),
                    at: row.get(4),
                    base: row.get(5),
                    change,
                }),
                // A kind of change a newer badiya makes: kept on the server, not applied here.
                Err(e) => log::warn!("team store: change {seq} not understood: {e}"),
            }
        }
        Ok(out)
    }

    /// The texts of documents, by hash.
    pub fn texts(&mut self, hashes: &[String]) -> Result<HashMap<String, String>, TeamError> {
        let mut out = HashMap::new();
        for chunk in hashes.chunks(500) {
            let rows = self
                .client
                .query(
                    "SELECT hash, raw FROM documents WHERE hash = ANY($1)",
                    &[&chunk],
                )
                .map_err(|e| self.err(&e))?;
            for row in rows {
                out.insert(row.get(0), row.get(1));
            }
        }
        Ok(out)
    }

    /// The hashes of every document the store holds.
    pub fn hashes(&mut self) -> Result<std::collections::HashSet<String>, TeamError> {
        let rows = self
            .client
            .query("SELECT hash FROM documents", &[])
            .map_err(|e| self.err(&e))?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    /// Makes the incidents table hold `incidents`: rows that changed are
    /// written, rows no longer there removed. Returns (written, removed).
    pub fn write_incidents(&mut self, incidents: &[Incident]) -> Result<(usize, usize), TeamError> {
        let store = self.store.clone();
        let e = |e: postgres::Error| server_error(&store, &e);
        if self.written.is_none() {
            let rows = self
                .client
                .query("SELECT id, digest FROM incidents", &[])
                .map_err(e)?;
            self.written = Some(rows.iter().map(|r| (r.get(0), r.get(1))).collect());
        }
        let mut next: HashMap<String, String> = HashMap::with_capacity(incidents.len());
        let mut changed = Vec::new();
        for i in incidents {
            // One row an id (the first, should two incidents share one).
            if next.contains_key(&i.id) {
                continue;
            }
            let body = serde_json::to_value(i).unwrap_or_default();
            let digest = super::content_hash(&body.to_string());
            let same = self
                .written
                .as_ref()
                .and_then(|w| w.get(&i.id))
                .is_some_and(|d| d == &digest);
            if !same {
                changed.push((i, body, digest.clone()));
            }
            next.insert(i.id.clone(), digest);
        }
        let removed: Vec<String> = self
            .written
            .as_ref()
            .map(|w| {
                w.keys()
                    .filter(|k| !next.contains_key(*k))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        if changed.is_empty() && removed.is_empty() {
            return Ok((0, 0));
        }
        let mut tx = self.client.transaction().map_err(e)?;
        // The changed rows go in by COPY into a scratch table, then one
        // statement puts them in place: one round trip, not one a row.
        tx.batch_execute(
            "CREATE TEMP TABLE incoming (id text, document text, event_type text, \
             event_date text, place text, geo_precision integer, area_level boolean, \
             lon double precision, lat double precision, body jsonb, digest text) \
             ON COMMIT DROP",
        )
        .map_err(e)?;
        {
            use postgres::types::Type;
            let sink = tx
                .copy_in("COPY incoming FROM STDIN (FORMAT binary)")
                .map_err(e)?;
            let mut w = postgres::binary_copy::BinaryCopyInWriter::new(
                sink,
                &[
                    Type::TEXT,
                    Type::TEXT,
                    Type::TEXT,
                    Type::TEXT,
                    Type::TEXT,
                    Type::INT4,
                    Type::BOOL,
                    Type::FLOAT8,
                    Type::FLOAT8,
                    Type::JSONB,
                    Type::TEXT,
                ],
            );
            for (i, body, digest) in &changed {
                let document = i.sources.first().map(|s| s.doc.clone());
                let date = i.date.map(|d| d.to_string());
                let precision = i32::from(i.geo_precision);
                w.write(&[
                    &i.id,
                    &document,
                    &i.event_type.as_str(),
                    &date,
                    &i.place.name,
                    &precision,
                    &crate::overlay::is_area_level(i),
                    &i.lon,
                    &i.lat,
                    body,
                    digest,
                ])
                .map_err(e)?;
            }
            w.finish().map_err(e)?;
        }
        tx.batch_execute(
            "INSERT INTO incidents(id, document, event_type, event_date, place, geo_precision, \
             area_level, geog, body, digest) \
             SELECT id, document, event_type, event_date, place, geo_precision, area_level, \
             ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography, body, digest FROM incoming \
             ON CONFLICT (id) DO UPDATE SET document = EXCLUDED.document, \
             event_type = EXCLUDED.event_type, event_date = EXCLUDED.event_date, \
             place = EXCLUDED.place, geo_precision = EXCLUDED.geo_precision, \
             area_level = EXCLUDED.area_level, geog = EXCLUDED.geog, body = EXCLUDED.body, \
             digest = EXCLUDED.digest, written_by = current_user, written_at = now()",
        )
        .map_err(e)?;
        if !removed.is_empty() {
            tx.execute("DELETE FROM incidents WHERE id = ANY($1)", &[&removed])
                .map_err(e)?;
        }
        tx.commit().map_err(e)?;
        self.written = Some(next);
        Ok((changed.len(), removed.len()))
    }

    /// A spatial question asked of PostGIS: the incidents within `km` of
    /// `geometry` (lon/lat; 0 km = inside or on it), measured on the WGS84
    /// spheroid, with each one's distance in metres, nearest first.
    /// Incidents located only to an area or a whole line are left out, as
    /// the local question leaves them out.
    pub fn within(
        &mut self,
        geometry: &geo::Geometry<f64>,
        km: f64,
    ) -> Result<Vec<(String, f64)>, TeamError> {
        let json = geojson::Geometry::from(geometry).to_string();
        let metres = km.max(0.0) * 1000.0;
        let rows = self
            .client
            .query(
                "WITH r AS (SELECT ST_GeomFromGeoJSON($1)::geography AS g) \
                 SELECT i.id, ST_Distance(i.geog, r.g) FROM incidents i, r \
                 WHERE NOT i.area_level AND ST_DWithin(i.geog, r.g, $2) \
                 ORDER BY 2, 1",
                &[&json, &metres],
            )
            .map_err(|e| self.err(&e))?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// Runs SQL as this connection (tests and tools).
    pub fn client(&mut self) -> &mut Client {
        &mut self.client
    }
}

//! The local copy of a team store, in the analyst's GeoPackage: the history
//! as far as this copy has it (`team_log`), the changes made here that the
//! server has not yet taken (`team_outbox`), and this copy's id
//! (`team_meta`). A change is in the outbox before it is sent, so a copy
//! killed or cut off loses nothing: the next start sends it.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, params};

use super::{Entry, Outgoing, Replica, TeamError};

const TABLES: &str = "
CREATE TABLE IF NOT EXISTS team_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS team_log (seq INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS team_outbox (client_seq INTEGER PRIMARY KEY, body TEXT NOT NULL);
";

/// The team tables of one GeoPackage.
pub struct Local {
    conn: Connection,
    path: PathBuf,
}

impl Local {
    /// Opens (and if need be creates) the team tables in `path`.
    pub fn open(path: &Path) -> Result<Self, TeamError> {
        let err = |e: rusqlite::Error| TeamError::Local {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        let conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(err)?;
        conn.execute_batch(TABLES).map_err(err)?;
        Ok(Self {
            conn,
            path: path.to_owned(),
        })
    }

    fn err(&self, e: impl std::fmt::Display) -> TeamError {
        TeamError::Local {
            path: self.path.display().to_string(),
            message: e.to_string(),
        }
    }

    /// The history and queue kept here, as a replica; a first open gives
    /// this copy an id of its own. `store` is the URL (no password), kept
    /// so a copy of one store is never taken for another's.
    pub fn load(&mut self, store: &str) -> Result<Replica, TeamError> {
        let get = |conn: &Connection, k: &str| -> rusqlite::Result<Option<String>> {
            conn.query_row("SELECT value FROM team_meta WHERE key = ?1", [k], |r| {
                r.get(0)
            })
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })
        };
        let client = match get(&self.conn, "client").map_err(|e| self.err(e))? {
            Some(c) => c,
            None => {
                let c = super::new_client_id();
                self.conn
                    .execute(
                        "INSERT INTO team_meta(key, value) VALUES ('client', ?1)",
                        [&c],
                    )
                    .map_err(|e| self.err(e))?;
                c
            }
        };
        match get(&self.conn, "store").map_err(|e| self.err(e))? {
            Some(s) if s != store => {
                return Err(self.err(format!(
                    "it is the copy of another team store ({s}), not of {store}"
                )));
            }
            Some(_) => {}
            None => {
                self.conn
                    .execute(
                        "INSERT INTO team_meta(key, value) VALUES ('store', ?1)",
                        [store],
                    )
                    .map_err(|e| self.err(e))?;
            }
        }
        // A row a newer badiya wrote and this one cannot read is left be.
        let log: Vec<Entry> = self
            .bodies("SELECT body FROM team_log ORDER BY seq")?
            .iter()
            .filter_map(|b| serde_json::from_str(b).ok())
            .collect();
        let pending: Vec<Outgoing> = self
            .bodies("SELECT body FROM team_outbox ORDER BY client_seq")?
            .iter()
            .filter_map(|b| serde_json::from_str(b).ok())
            .collect();
        Ok(Replica::new(client, log, pending))
    }

    /// The text column of every row `sql` selects.
    fn bodies(&self, sql: &str) -> Result<Vec<String>, TeamError> {
        let mut q = self.conn.prepare(sql).map_err(|e| self.err(e))?;
        let rows = q
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(|e| self.err(e))?;
        rows.map(|r| r.map_err(|e| self.err(e))).collect()
    }

    /// Puts changes made here in the queue, in one transaction.
    pub fn queue(&mut self, out: &[Outgoing]) -> Result<(), TeamError> {
        if out.is_empty() {
            return Ok(());
        }
        let tx = self.conn.transaction().map_err(|e| TeamError::Local {
            path: self.path.display().to_string(),
            message: e.to_string(),
        })?;
        for o in out {
            let body = serde_json::to_string(o).unwrap_or_default();
            tx.execute(
                "INSERT OR REPLACE INTO team_outbox(client_seq, body) VALUES (?1, ?2)",
                params![o.client_seq, body],
            )
            .map_err(|e| TeamError::Local {
                path: self.path.display().to_string(),
                message: e.to_string(),
            })?;
        }
        tx.commit().map_err(|e| self.err(e))
    }

    /// Keeps changes the server took; this copy's own leave the queue.
    pub fn received(&mut self, client: &str, entries: &[Entry]) -> Result<(), TeamError> {
        if entries.is_empty() {
            return Ok(());
        }
        let path = self.path.display().to_string();
        let err = |e: rusqlite::Error| TeamError::Local {
            path: path.clone(),
            message: e.to_string(),
        };
        let tx = self.conn.transaction().map_err(err)?;
        for e in entries {
            let body = serde_json::to_string(e).unwrap_or_default();
            tx.execute(
                "INSERT OR IGNORE INTO team_log(seq, body) VALUES (?1, ?2)",
                params![e.seq, body],
            )
            .map_err(err)?;
            if e.client == client {
                tx.execute(
                    "DELETE FROM team_outbox WHERE client_seq = ?1",
                    params![e.client_seq],
                )
                .map_err(err)?;
            }
        }
        tx.commit().map_err(err)
    }
}

//! Workspace persistence: one versioned JSON file, written atomically (temp
//! file + rename) with the previous version kept as a backup, so an
//! analyst's work survives crashes and a damaged file can be recovered.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The file format version written by this build.
pub const FORMAT_VERSION: u32 = 1;

/// Why a workspace could not be read or written; paths last.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("cannot write the workspace: {source}: {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read the workspace: {source}: {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the workspace is damaged ({reason}); the backup was used if there was one: {}", path.display())]
    Damaged { path: PathBuf, reason: String },
    #[error("cannot encode the workspace: {0}")]
    Encode(#[from] serde_json::Error),
}

/// Where the workspace lives: `$BADIYA_WORKSPACE`, else the user's data folder.
pub fn default_path() -> PathBuf {
    if let Some(p) = std::env::var_os("BADIYA_WORKSPACE") {
        return PathBuf::from(p);
    }
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(std::env::temp_dir);
    base.join("badiya").join("workspace.gpkg")
}

fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    path.with_file_name(name)
}

/// Writes `bytes` to `path` atomically: a temp file in the same folder, synced, then renamed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp-{}", std::process::id()));
    let tmp = dir.join(name);
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Saves `value` with a version envelope; the previous file becomes the backup.
pub fn save<T: Serialize>(path: &Path, value: &T) -> Result<(), WorkspaceError> {
    let envelope = serde_json::json!({ "badiya_workspace": FORMAT_VERSION, "data": value });
    let bytes = serde_json::to_vec_pretty(&envelope)?;
    if path.exists() {
        let _ = std::fs::copy(path, backup_path(path));
    }
    write_atomic(path, &bytes).map_err(|source| WorkspaceError::Write {
        path: path.to_owned(),
        source,
    })
}

fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    let version = value
        .get("badiya_workspace")
        .and_then(serde_json::Value::as_u64)
        .ok_or("not a badiya workspace file")?;
    if version > u64::from(FORMAT_VERSION) {
        return Err(format!("written by a newer badiya (format {version})"));
    }
    let data = value
        .get("data")
        .cloned()
        .unwrap_or(serde_json::Value::Null);
    serde_json::from_value(data).map_err(|e| e.to_string())
}

/// What loading found.
#[derive(Debug)]
pub struct Loaded<T> {
    pub value: T,
    /// Set when the main file was damaged and the backup (or a fresh workspace) was used.
    pub warning: Option<WorkspaceError>,
}

/// Reads a JSON workspace without changing anything on disk.
pub fn read_only<T: DeserializeOwned + Default>(path: &Path) -> Loaded<T> {
    match crate::input::read_limited(path, crate::input::MAX_JSON_WORKSPACE_BYTES) {
        Ok(bytes) => match decode(&bytes) {
            Ok(value) => Loaded {
                value,
                warning: None,
            },
            Err(reason) => Loaded {
                value: T::default(),
                warning: Some(WorkspaceError::Damaged {
                    path: path.to_owned(),
                    reason,
                }),
            },
        },
        Err(crate::input::InputError::Io { source, .. })
            if source.kind() == std::io::ErrorKind::NotFound =>
        {
            Loaded {
                value: T::default(),
                warning: None,
            }
        }
        Err(e) => Loaded {
            value: T::default(),
            warning: Some(WorkspaceError::Read {
                path: path.to_owned(),
                source: std::io::Error::other(e.reason()),
            }),
        },
    }
}

/// Loads the workspace. A missing file gives the default; a damaged one is
/// set aside (renamed `.damaged`), and the backup is tried.
pub fn load<T: DeserializeOwned + Default>(path: &Path) -> Loaded<T> {
    let bytes = match crate::input::read_limited(path, crate::input::MAX_JSON_WORKSPACE_BYTES) {
        Ok(b) => b,
        Err(crate::input::InputError::Io { source: e, .. })
            if e.kind() == std::io::ErrorKind::NotFound =>
        {
            return Loaded {
                value: T::default(),
                warning: None,
            };
        }
        Err(e) => {
            return Loaded {
                value: T::default(),
                warning: Some(WorkspaceError::Read {
                    path: path.to_owned(),
                    source: std::io::Error::other(e.to_string()),
                }),
            };
        }
    };
    match decode(&bytes) {
        Ok(value) => Loaded {
            value,
            warning: None,
        },
        Err(reason) => {
            let mut damaged = path.as_os_str().to_owned();
            damaged.push(".damaged");
            let _ = std::fs::rename(path, &damaged);
            let value = crate::input::read_limited(
                &backup_path(path),
                crate::input::MAX_JSON_WORKSPACE_BYTES,
            )
            .ok()
            .and_then(|b| decode(&b).ok())
            .unwrap_or_default();
            Loaded {
                value,
                warning: Some(WorkspaceError::Damaged {
                    path: path.to_owned(),
                    reason,
                }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
    #[serde(default)]
    struct Work {
        notes: Vec<String>,
    }

    #[test]
    fn save_then_load_round_trips() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("ws.json");
        let work = Work {
            notes: vec!["arrow at Al-Qaim".into()],
        };
        save(&path, &work).expect("saved");
        let loaded: Loaded<Work> = load(&path);
        assert_eq!(loaded.value, work);
        assert!(loaded.warning.is_none());
    }

    #[test]
    fn damaged_file_falls_back_to_backup_and_is_kept_aside() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("ws.json");
        save(
            &path,
            &Work {
                notes: vec!["first".into()],
            },
        )
        .expect("saved");
        save(
            &path,
            &Work {
                notes: vec!["second".into()],
            },
        )
        .expect("saved");
        std::fs::write(&path, b"{ truncated").expect("damage");
        let loaded: Loaded<Work> = load(&path);
        assert_eq!(loaded.value.notes, vec!["first".to_owned()]);
        let warning = loaded.warning.expect("warned").to_string();
        assert!(
            warning.contains("damaged") && warning.contains("ws.json"),
            "{warning}"
        );
        assert!(dir.path().join("ws.json.damaged").exists());
    }

    #[test]
    fn unwritable_folder_is_a_clear_error() {
        let err = save(
            Path::new("/proc/badiya-cannot-write/ws.json"),
            &Work::default(),
        )
        .expect_err("cannot write under /proc");
        assert!(
            err.to_string()
                .contains("/proc/badiya-cannot-write/ws.json"),
            "{err}"
        );
    }
}

//! Reading outside input with a limit: every file badiya reads (layers,
//! documents, annotations, workspaces, catalogs) goes through here, so a FIFO,
//! a device, a folder or a file larger than the limit is refused by type and
//! size before a byte is read, and a file that grows while it is read is cut
//! off at the limit rather than read until memory runs out.

use std::io::Read;
use std::path::{Path, PathBuf};

/// One GeoJSON layer file.
pub const MAX_LAYER_BYTES: u64 = 64 << 20;
/// An annotations GeoJSON file.
pub const MAX_ANNOTATIONS_BYTES: u64 = 64 << 20;
/// A legacy JSON workspace.
pub const MAX_JSON_WORKSPACE_BYTES: u64 = 512 << 20;
/// Small side files: catalogs, metadata, recent lists.
pub const MAX_SIDE_FILE_BYTES: u64 = 4 << 20;

/// Why a file was not read; the path is always named.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read {}: {what}, not a regular file", path.display())]
    NotAFile { path: PathBuf, what: &'static str },
    #[error("cannot read {}: {size} bytes is over the limit of {limit} bytes ({} MB)", path.display(), limit >> 20)]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
}

impl InputError {
    /// The problem without the "cannot read FILE" prefix, for messages that name the file already.
    pub fn reason(&self) -> String {
        match self {
            Self::Io { source, .. } => source.to_string(),
            Self::NotAFile { what, .. } => format!("{what}, not a regular file"),
            Self::TooLarge { size, limit, .. } => {
                format!(
                    "{size} bytes is over the limit of {limit} bytes ({} MB)",
                    limit >> 20
                )
            }
        }
    }
}

fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        "a folder"
    } else if t.is_fifo() {
        "a named pipe"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a file"
    }
}

/// Checks that `path` is a regular file no larger than `limit` (following links).
pub fn check(path: &Path, limit: u64) -> Result<u64, InputError> {
    let meta = std::fs::metadata(path).map_err(|source| InputError::Io {
        path: path.to_owned(),
        source,
    })?;
    if !meta.is_file() {
        return Err(InputError::NotAFile {
            path: path.to_owned(),
            what: kind_of(&meta),
        });
    }
    if meta.len() > limit {
        return Err(InputError::TooLarge {
            path: path.to_owned(),
            size: meta.len(),
            limit,
        });
    }
    Ok(meta.len())
}

/// Reads a whole regular file of at most `limit` bytes.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    let size = check(path, limit)?;
    let file = std::fs::File::open(path).map_err(|source| InputError::Io {
        path: path.to_owned(),
        source,
    })?;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| InputError::Io {
            path: path.to_owned(),
            source,
        })?;
    if bytes.len() as u64 > limit {
        return Err(InputError::TooLarge {
            path: path.to_owned(),
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// Reads a UTF-8 text file of at most `limit` bytes; a leading byte-order mark is dropped.
pub fn read_text_limited(path: &Path, limit: u64) -> Result<String, InputError> {
    let bytes = read_limited(path, limit)?;
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .map_or(bytes.as_slice(), |b| b);
    String::from_utf8(bytes.to_vec()).map_err(|e| InputError::Io {
        path: path.to_owned(),
        source: std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "not UTF-8 text (invalid byte at {})",
                e.utf8_error().valid_up_to()
            ),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_folders_and_pipes_are_refused_by_type() {
        let err = read_limited(Path::new("/dev/zero"), 1 << 20).expect_err("a device");
        assert!(
            err.to_string().contains("/dev/zero") && err.to_string().contains("device"),
            "{err}"
        );
        let dir = tempfile::tempdir().expect("dir");
        let err = read_limited(dir.path(), 1 << 20).expect_err("a folder");
        assert!(err.to_string().contains("folder"), "{err}");
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            // Would block for ever if it were opened.
            let err = read_limited(&fifo, 1 << 20).expect_err("a FIFO");
            assert!(err.to_string().contains("named pipe"), "{err}");
        }
    }

    #[test]
    fn a_file_over_the_limit_is_refused_naming_it_and_the_limit() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("big.geojson");
        std::fs::write(&path, vec![b' '; 3 << 20]).expect("write");
        let err = read_limited(&path, 2 << 20).expect_err("too large");
        let text = err.to_string();
        assert!(
            text.contains("big.geojson") && text.contains("2 MB"),
            "{text}"
        );
        assert_eq!(read_limited(&path, 4 << 20).expect("fits").len(), 3 << 20);
    }

    #[test]
    fn a_byte_order_mark_is_dropped_from_text() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("bom.json");
        std::fs::write(&path, b"\xEF\xBB\xBF{\"a\": 1}").expect("write");
        assert_eq!(read_text_limited(&path, 1024).expect("read"), "{\"a\": 1}");
    }
}

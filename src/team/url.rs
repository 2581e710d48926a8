//! Where the team store is: a libpq-style URL or key=value string, filled in
//! from the environment the way libpq does (`PGUSER`, `PGHOST`, `PGPORT`,
//! `PGDATABASE`, `PGPASSWORD`, then `~/.pgpass`). The password is never part
//! of what badiya shows or saves.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use postgres::config::Host;

use super::TeamError;

/// A team store's address, ready to connect.
#[derive(Clone)]
pub struct StoreUrl {
    pub(crate) config: postgres::Config,
    /// As written by the analyst, with any password taken out.
    written: String,
}

impl std::fmt::Debug for StoreUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StoreUrl({})", self.display())
    }
}

impl StoreUrl {
    /// Reads `url` (`postgresql://user@host:port/db`, `host=/run/pg dbname=team`, …).
    pub fn parse(url: &str) -> Result<Self, TeamError> {
        Self::parse_with_env(url, |k| std::env::var(k).ok())
    }

    /// [`StoreUrl::parse`] with the environment given (`PGUSER`, `PGHOST`,
    /// `PGPORT`, `PGDATABASE`, `PGPASSWORD`, `PGPASSFILE`, `HOME`, `USER`).
    pub fn parse_with_env(
        url: &str,
        env_var: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, TeamError> {
        let mut config = postgres::Config::from_str(url.trim())
            .map_err(|e| TeamError::Url(format!("{}: {e}", without_password(url))))?;
        let env = |k: &str| env_var(k).filter(|v| !v.is_empty());
        if config.get_user().is_none() {
            let user = env("PGUSER")
                .or_else(|| env("USER"))
                .unwrap_or_else(|| "postgres".to_owned());
            config.user(&user);
        }
        if config.get_hosts().is_empty() {
            match env("PGHOST") {
                Some(h) if h.starts_with('/') => config.host_path(h),
                Some(h) => config.host(&h),
                None if Path::new("/var/run/postgresql").is_dir() => {
                    config.host_path("/var/run/postgresql")
                }
                None => config.host("localhost"),
            };
        }
        if config.get_ports().is_empty()
            && let Some(port) = env("PGPORT").and_then(|p| p.parse().ok())
        {
            config.port(port);
        }
        if config.get_dbname().is_none() {
            let db =
                env("PGDATABASE").unwrap_or_else(|| config.get_user().unwrap_or("").to_owned());
            config.dbname(&db);
        }
        if config.get_password().is_none() {
            if let Some(p) = env("PGPASSWORD") {
                config.password(p);
            } else if let Some(p) = pgpass_password(&config, &env) {
                config.password(p);
            }
        }
        config.application_name("badiya");
        config.connect_timeout(std::time::Duration::from_secs(5));
        Ok(Self {
            config,
            written: without_password(url),
        })
    }

    /// `user@host:port/db`, for the status bar and messages; never a password.
    pub fn display(&self) -> String {
        let user = self.config.get_user().unwrap_or("");
        let host = match self.config.get_hosts().first() {
            Some(Host::Tcp(h)) => h.clone(),
            Some(Host::Unix(p)) => p.display().to_string(),
            None => String::new(),
        };
        let port = self.config.get_ports().first().copied().unwrap_or(5432);
        let db = self.config.get_dbname().unwrap_or("");
        format!("{user}@{host}:{port}/{db}")
    }

    /// The URL as the analyst wrote it, password removed (kept in the
    /// workspace so the next start finds the store).
    pub fn written(&self) -> &str {
        &self.written
    }

    /// The role badiya logs in as.
    pub fn user(&self) -> &str {
        self.config.get_user().unwrap_or("")
    }

    /// A file name for the local copy of this store: one per user, server and database.
    pub fn cache_name(&self) -> String {
        let safe: String = self
            .display()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        format!("team-{safe}.gpkg")
    }
}

/// `url` with the password of a `user:password@` part or a `password=` pair blanked.
fn without_password(url: &str) -> String {
    let url = url.trim();
    if let Some(rest) = url
        .strip_prefix("postgresql://")
        .or_else(|| url.strip_prefix("postgres://"))
    {
        let scheme = &url[..url.len() - rest.len()];
        let (auth_end, _) = rest
            .char_indices()
            .find(|&(_, c)| c == '/' || c == '?')
            .unwrap_or((rest.len(), ' '));
        if let Some(at) = rest[..auth_end].rfind('@') {
            let userinfo = &rest[..at];
            let user = userinfo.split(':').next().unwrap_or("");
            return format!("{scheme}{user}@{}", &rest[at + 1..]);
        }
        return url.to_owned();
    }
    url.split_whitespace()
        .filter(|kv| !kv.starts_with("password="))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The password `~/.pgpass` (or `$PGPASSFILE`) gives for this host, port,
/// database and user, as libpq reads it: the first matching line wins, `*`
/// matches anything, `\:` and `\\` are escapes, and a file others can read
/// is ignored.
fn pgpass_password(
    config: &postgres::Config,
    env: &dyn Fn(&str) -> Option<String>,
) -> Option<String> {
    let path = env("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| PathBuf::from(h).join(".pgpass")))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).ok()?.permissions().mode();
        if mode & 0o077 != 0 {
            log::warn!(
                "{}: ignored, since others can read it (chmod 0600 it)",
                path.display()
            );
            return None;
        }
    }
    let text = crate::input::read_text_limited(&path, 1 << 20).ok()?;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        // libpq matches a socket connection against "localhost".
        Some(Host::Unix(_)) | None => "localhost".to_owned(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let want = [
        host.as_str(),
        port.as_str(),
        config.get_dbname().unwrap_or(""),
        config.get_user().unwrap_or(""),
    ];
    pgpass_lookup(&text, want)
}

/// The password of the first line of a `.pgpass` text matching `want`
/// (host, port, database, user).
pub(crate) fn pgpass_lookup(text: &str, want: [&str; 4]) -> Option<String> {
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = split_pgpass(line);
        if fields.len() != 5 {
            continue;
        }
        if fields[..4]
            .iter()
            .zip(want)
            .all(|(f, w)| f == "*" || f == w)
        {
            return Some(fields[4].clone());
        }
    }
    None
}

fn split_pgpass(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next()
                    && let Some(last) = out.last_mut()
                {
                    last.push(n);
                }
            }
            ':' if out.len() < 5 => out.push(String::new()),
            _ => {
                if let Some(last) = out.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_in_the_url_is_never_shown() {
        let url = StoreUrl::parse("postgresql://alice:s3cret@db.example:5433/team").expect("url");
        assert_eq!(url.display(), "alice@db.example:5433/team");
        assert_eq!(url.written(), "postgresql://alice@db.example:5433/team");
        assert!(!format!("{url:?}").contains("s3cret"));
        let kv = StoreUrl::parse("host=/tmp user=bob password=hunter2 dbname=t").expect("kv");
        assert!(!kv.written().contains("hunter2"));
        assert_eq!(kv.display(), "bob@/tmp:5432/t");
    }

    #[test]
    fn pgpass_lines_match_as_libpq_reads_them() {
        let text = "# team\nother:5432:*:alice:wrong\nlocalhost:5432:team:alice:a\\:b\\\\c\n*:*:*:*:fallback\n";
        assert_eq!(
            pgpass_lookup(text, ["localhost", "5432", "team", "alice"]).as_deref(),
            Some("a:b\\c")
        );
        assert_eq!(
            pgpass_lookup(text, ["db", "5433", "x", "bob"]).as_deref(),
            Some("fallback")
        );
        assert_eq!(pgpass_lookup("h:1:d:u:p", ["h", "2", "d", "u"]), None);
    }

    #[test]
    fn a_malformed_url_names_itself_without_its_password() {
        let err = StoreUrl::parse("postgresql://eve:pw@host:notaport/db").expect_err("bad port");
        let msg = err.to_string();
        assert!(msg.contains("eve@host:notaport/db"), "{msg}");
        assert!(!msg.contains("pw@"), "{msg}");
    }
}

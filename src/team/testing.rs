//! A throwaway PostgreSQL cluster for tests: initdb in a fresh folder, the
//! server on a Unix socket there (no TCP), stopped and removed on drop.
//! As root it runs as the `postgres` user, since the server refuses root.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

static NEXT: AtomicU32 = AtomicU32::new(0);

/// A running cluster.
pub struct TestCluster {
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
    as_postgres: bool,
}

/// The newest PostgreSQL server binaries on this machine, if any.
pub fn server_bin() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("BADIYA_PG_BIN") {
        return Some(PathBuf::from(dir));
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let v: u32 = e.file_name().to_string_lossy().parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, b)| b)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .ok()
        .is_some_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

impl TestCluster {
    /// Starts a cluster. `Ok(None)` when this machine has no PostgreSQL
    /// server binaries (the caller skips, saying so); an error when they
    /// exist but the cluster would not start.
    pub fn start() -> Result<Option<Self>, String> {
        let Some(bin) = server_bin() else {
            return Ok(None);
        };
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("badiya-pg-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let as_postgres = is_root();
        if as_postgres {
            run(Command::new("chown").arg("postgres:postgres").arg(&dir))?;
        }
        let port = free_port()?;
        let cluster = Self {
            dir,
            bin,
            port,
            as_postgres,
        };
        let data = cluster.dir.join("data");
        cluster.pg(
            "initdb",
            &[
                "-D",
                &data.to_string_lossy(),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        )?;
        cluster.restart()?;
        Ok(Some(cluster))
    }

    fn pg(&self, tool: &str, args: &[&str]) -> Result<(), String> {
        let exe = self.bin.join(tool);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.arg("-u").arg("postgres").arg("--").arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        cmd.args(args).current_dir(&self.dir);
        run(&mut cmd)
    }

    /// The socket folder.
    pub fn socket_dir(&self) -> &Path {
        &self.dir
    }

    /// A key=value address for `user` on database `db`.
    pub fn url(&self, user: &str, db: &str) -> String {
        format!(
            "host={} port={} user={user} dbname={db}",
            self.dir.display(),
            self.port
        )
    }

    /// The same address as a URL.
    pub fn postgres_url(&self, user: &str, db: &str) -> String {
        let host: String = self
            .dir
            .to_string_lossy()
            .chars()
            .map(|c| {
                if c == '/' {
                    "%2F".to_owned()
                } else {
                    c.to_string()
                }
            })
            .collect();
        format!("postgresql://{user}@{host}:{}/{db}", self.port)
    }

    /// Runs SQL as the superuser on `db`.
    pub fn sql(&self, db: &str, sql: &str) -> Result<(), String> {
        let mut c = postgres::Config::new();
        c.host_path(&self.dir)
            .port(self.port)
            .user("postgres")
            .dbname(db);
        let mut client = c.connect(postgres::NoTls).map_err(|e| e.to_string())?;
        client.batch_execute(sql).map_err(|e| e.to_string())
    }

    /// Makes `role` log in with a password over the socket (SCRAM), as a
    /// server for a team would, and reloads the server.
    pub fn require_password(&self, role: &str, password: &str) -> Result<(), String> {
        self.sql(
            "postgres",
            &format!("ALTER ROLE {role} LOGIN PASSWORD '{password}'"),
        )?;
        let hba = self.dir.join("data").join("pg_hba.conf");
        let old = std::fs::read_to_string(&hba).map_err(|e| e.to_string())?;
        let line = format!("local all {role} scram-sha-256\n");
        let hba_text = format!("{line}{old}");
        std::fs::write(&hba, hba_text).map_err(|e| e.to_string())?;
        self.pg(
            "pg_ctl",
            &["-D", &self.dir.join("data").to_string_lossy(), "reload"],
        )?;
        std::thread::sleep(std::time::Duration::from_millis(300));
        Ok(())
    }

    /// Stops the server at once (as a crash or a pulled cable would).
    pub fn stop(&self) -> Result<(), String> {
        self.pg(
            "pg_ctl",
            &[
                "-D",
                &self.dir.join("data").to_string_lossy(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
        )
    }

    /// Starts the server (again, after [`TestCluster::stop`]).
    pub fn restart(&self) -> Result<(), String> {
        let opts = format!(
            "-c listen_addresses='' -k {} -p {} -c fsync=off",
            self.dir.display(),
            self.port
        );
        self.pg(
            "pg_ctl",
            &[
                "-D",
                &self.dir.join("data").to_string_lossy(),
                "-o",
                &opts,
                "-w",
                "-t",
                "60",
                "-l",
                &self.dir.join("log").to_string_lossy(),
                "start",
            ],
        )
    }
}

impl Drop for TestCluster {
    fn drop(&mut self) {
        let _ = self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let out = cmd
        .output()
        .map_err(|e| format!("{:?}: {e}", cmd.get_program()))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{:?} failed: {}{}",
            cmd.get_program(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn free_port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

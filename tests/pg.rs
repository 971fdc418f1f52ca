//! A real, throwaway PostgreSQL server for the tests of PostgreSQL
//! collections (issue #18 point 5), and a loader that puts a JSONL file into
//! a table so that it reads back as the same records.
//!
//! **The server** ([`Server`]) is initialised (`initdb`) into a fresh
//! temporary directory and listens only on a Unix socket inside it — no TCP,
//! so nothing outside the test can reach it and parallel servers never
//! collide. PostgreSQL refuses to run as root: when the tests run as root,
//! the server runs as the system user `postgres` (through `runuser`) in a
//! directory handed to that user. One server is shared by the whole test
//! binary ([`Server::shared`], about a second to start) and every test
//! takes a fresh database of its own ([`Server::database`], a `CREATE
//! DATABASE`, tens of milliseconds), so tests run in parallel without
//! seeing each other's tables; a test that stops or breaks its server starts
//! a private one ([`Server::start`]).
//!
//! A small guardian process (`sh`) holds the cleanup: it waits for the end
//! of a pipe that only this process holds, then stops the server and
//! removes the directory. Dropping a [`Server`] closes the pipe and waits
//! for the guardian; the shared server is never dropped (statics are not),
//! so its pipe closes when the test process exits — also after a panic, a
//! failed test or a kill — and no server outlives the tests.
//!
//! **Without PostgreSQL's server binaries the tests fail** with a message
//! saying how to install them (`apt-get install -y postgresql`); they never
//! return early as if they had passed.
//!
//! **The loader** (`pg/load.rs`, [`load_jsonl`], [`load_steekproef`]) puts
//! a JSONL file into a table, typed, that `to_jsonb` reads back as the same
//! records.

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::io::Write as _;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

pub mod load;

// The loader's entry points, here for the tests of PostgreSQL collections;
// none of them is used by this module itself.
#[allow(unused_imports)]
pub use load::{STEEKPROEF, load_jsonl, load_steekproef, read_back};

/// What to tell a machine without the server binaries.
const INSTALL: &str = "PostgreSQL's server binaries (initdb, pg_ctl, postgres) were not \
     found on PATH nor in /usr/lib/postgresql/*/bin: the PostgreSQL tests start a \
     server of their own and cannot run without them. Install them \
     (Debian/Ubuntu: `apt-get install -y postgresql`); .ci/run does so when they \
     are missing";

/// The server's superuser, who connects over the socket without a password.
pub const SUPERUSER: &str = "postgres";

/// A throwaway PostgreSQL server listening on a Unix socket in its own
/// temporary directory; dropping it stops the server and removes the
/// directory.
pub struct Server {
    /// The temporary directory: the socket, `data/` and `server.log`.
    dir: PathBuf,
    /// The port, which only names the socket (`.s.PGSQL.<port>`).
    port: u16,
    /// The guardian's stdin: closing it stops the server.
    guard: Option<ChildStdin>,
    guardian: Child,
}

impl Server {
    /// The server shared by every test of this binary, started by the first
    /// test that asks. Take a [`Server::database`] of it, not its `postgres`
    /// database. When it cannot start, every test that asks fails.
    pub fn shared() -> &'static Server {
        static SHARED: OnceLock<Server> = OnceLock::new();
        SHARED.get_or_init(Server::start)
    }

    /// Initialises and starts a server of one's own (for a test that stops
    /// it or breaks its connections); panics, saying why, when it cannot.
    pub fn start() -> Server {
        Server::start_with(None)
    }

    /// A server of one's own that also listens on 127.0.0.1, over TLS only
    /// (with this certificate and key, PEM), for the TLS tests: there every
    /// connection must encrypt, a plain one is refused.
    pub fn start_tls(certificate: &str, key: &str) -> Server {
        Server::start_with(Some((certificate, key)))
    }

    fn start_with(tls: Option<(&str, &str)>) -> Server {
        let bin = bin_dir();
        let dir = tempfile::Builder::new()
            .prefix("naleving-pg-")
            .tempdir()
            .expect("a temporary directory")
            .keep();
        // The new directory is ours, so its owner is who the tests run as.
        let as_postgres = std::fs::metadata(&dir).unwrap().uid() == 0;
        if as_postgres {
            let (uid, gid) = postgres_user();
            std::os::unix::fs::chown(&dir, Some(uid), Some(gid)).unwrap();
        }
        let port = free_port();

        // The guardian first, so that from here on a panic (which drops
        // `guard`) stops whatever was started and removes the directory. It
        // ignores Ctrl-C, which reaches the whole process group, so that it
        // still cleans up after the test process died of it.
        let mut guardian = Command::new("sh")
            .arg("-c")
            .arg(
                // $1 the directory, $2 pg_ctl, $3 whether to run it as postgres.
                r#"trap '' INT HUP
cat >/dev/null
if [ -f "$1/data/postmaster.pid" ]; then
  if [ "$3" = 1 ]; then runuser -u postgres -- "$2" stop -D "$1/data" -m immediate -s
  else "$2" stop -D "$1/data" -m immediate -s; fi
fi
rm -rf "$1""#,
            )
            .arg("naleving-pg-guardian")
            .arg(&dir)
            .arg(bin.join("pg_ctl"))
            .arg(if as_postgres { "1" } else { "0" })
            .current_dir(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("sh runs (the server's guardian)");
        let guard = guardian.stdin.take();
        let server = Server {
            dir,
            port,
            guard,
            guardian,
        };

        let data = server.dir.join("data");
        let mut initdb = vec![OsStr::new("-D"), data.as_os_str()];
        initdb
            .extend(["-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--locale=C"].map(OsStr::new));
        initdb.extend(["--no-sync", "--no-instructions"].map(OsStr::new));
        server.run_tool(as_postgres, &bin.join("initdb"), &initdb);
        // Appended settings win over initdb's. No TCP at all; the socket in
        // the test's directory; nothing waits for the disk.
        let settings = format!(
            "\n# naleving's test server (tests/pg.rs)\nlisten_addresses = ''\n\
             unix_socket_directories = '{}'\nport = {}\nfsync = off\n\
             synchronous_commit = off\nfull_page_writes = off\n",
            server.dir.display().to_string().replace('\'', "''"),
            port
        );
        append(&data.join("postgresql.conf"), &settings);
        // The superuser without a password (over the socket, which only this
        // machine's processes reach); any other role with its password, so a
        // test can create a role and try a wrong one.
        let mut hba = format!("local all {SUPERUSER} trust\nlocal all all scram-sha-256\n");
        if let Some((certificate, key)) = tls {
            // TCP on the loopback address only, and only encrypted.
            for (name, text) in [("server.crt", certificate), ("server.key", key)] {
                let path = data.join(name);
                std::fs::write(&path, text).unwrap();
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
                if as_postgres {
                    let (uid, gid) = postgres_user();
                    std::os::unix::fs::chown(&path, Some(uid), Some(gid)).unwrap();
                }
            }
            append(
                &data.join("postgresql.conf"),
                "listen_addresses = '127.0.0.1'\nssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n",
            );
            hba.push_str(&format!("hostssl all {SUPERUSER} 127.0.0.1/32 trust\n"));
        }
        std::fs::write(data.join("pg_hba.conf"), hba).unwrap();
        let log = server.dir.join("server.log");
        let mut pg_ctl = ["start", "-w", "-t", "60", "-D"].map(OsStr::new).to_vec();
        pg_ctl.extend([data.as_os_str(), OsStr::new("-l"), log.as_os_str()]);
        server.run_tool(as_postgres, &bin.join("pg_ctl"), &pg_ctl);
        // pg_ctl -w returns once the server accepts connections; check it.
        server.connect("postgres");
        server
    }

    /// Runs initdb or pg_ctl (as `postgres` when we are root) and panics
    /// with its output and the server log when it fails.
    fn run_tool(&self, as_postgres: bool, program: &Path, args: &[&OsStr]) {
        let mut cmd = if as_postgres {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(program);
            cmd
        } else {
            Command::new(program)
        };
        cmd.args(args);
        // A directory the server's user may enter; no PG* settings from the
        // environment.
        cmd.current_dir(&self.dir)
            .env_remove("PGDATA")
            .env_remove("PGPORT")
            .env_remove("PGHOST");
        let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?} runs: {e}"));
        if !out.status.success() {
            let log = std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default();
            panic!(
                "{cmd:?} failed ({}):\n{}{}\nserver log:\n{log}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }

    /// The directory of the server's socket (libpq's `host`).
    pub fn socket_dir(&self) -> &Path {
        &self.dir
    }

    /// The port, which names the socket file (libpq's `port`).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The connection string over TCP to 127.0.0.1 (a [`Server::start_tls`]
    /// server), without TLS settings: the test adds them.
    pub fn tcp_url(&self, dbname: &str) -> String {
        format!(
            "host=127.0.0.1 port={} user={SUPERUSER} dbname={}",
            self.port,
            quote_value(dbname)
        )
    }

    /// A connection string for the superuser to database `dbname`, in
    /// libpq's key/value form (`host=<socket dir> port=… user=postgres
    /// dbname=…`), which `postgres::Config` parses and naleving reads from
    /// `NALEVING_DATABASE_URL`.
    pub fn url(&self, dbname: &str) -> String {
        format!(
            "host={} port={} user={SUPERUSER} dbname={}",
            quote_value(&self.dir.display().to_string()),
            self.port,
            quote_value(dbname)
        )
    }

    /// A connection as the superuser to database `dbname`.
    pub fn connect(&self, dbname: &str) -> postgres::Client {
        let url = self.url(dbname);
        postgres::Client::connect(&url, postgres::NoTls)
            .unwrap_or_else(|e| panic!("connecting to the test server ({url}): {}", why(&e)))
    }

    /// A fresh, empty database of this server, for one test; dropped (with
    /// its connections) when the [`Database`] is.
    pub fn database(&self) -> Database<'_> {
        static NEXT: AtomicUsize = AtomicUsize::new(1);
        let name = format!("test_{}", NEXT.fetch_add(1, Ordering::Relaxed));
        self.connect("postgres")
            .batch_execute(&format!("CREATE DATABASE {}", ident(&name)))
            .unwrap_or_else(|e| panic!("CREATE DATABASE {name}: {}", why(&e)));
        Database { server: self, name }
    }
}

impl Drop for Server {
    /// Closes the guardian's pipe and waits until it has stopped the server
    /// and removed the directory.
    fn drop(&mut self) {
        drop(self.guard.take());
        let _ = self.guardian.wait();
    }
}

/// One test's database on a [`Server`].
pub struct Database<'s> {
    server: &'s Server,
    name: String,
}

impl Database<'_> {
    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The superuser's connection string to this database (see
    /// [`Server::url`]), for `NALEVING_DATABASE_URL`.
    pub fn url(&self) -> String {
        self.server.url(&self.name)
    }

    /// The connection string for another role with a password (roles other
    /// than the superuser must give one).
    pub fn url_as(&self, user: &str, password: &str) -> String {
        format!(
            "host={} port={} user={} password={} dbname={}",
            quote_value(&self.server.dir.display().to_string()),
            self.server.port,
            quote_value(user),
            quote_value(password),
            quote_value(&self.name)
        )
    }

    /// A connection as the superuser, for setting up the test's data.
    pub fn client(&self) -> postgres::Client {
        self.server.connect(&self.name)
    }
}

impl Drop for Database<'_> {
    /// Drops the database, so a run of many tests does not fill the disk;
    /// a failure here is not the test's (the server's directory goes anyway).
    fn drop(&mut self) {
        let url = self.server.url("postgres");
        if let Ok(mut client) = postgres::Client::connect(&url, postgres::NoTls) {
            let _ = client.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                ident(&self.name)
            ));
        }
    }
}

/// The directory with `initdb` and `pg_ctl`: on PATH, else Debian's
/// `/usr/lib/postgresql/<version>/bin` (the newest). Panics with how to
/// install them when there is none.
fn bin_dir() -> PathBuf {
    let has_tools = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    let path = std::env::var_os("PATH").unwrap_or_default();
    if let Some(dir) = std::env::split_paths(&path).find(|dir| has_tools(dir)) {
        return dir;
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, bin)| has_tools(bin))
        .collect();
    versions.sort();
    match versions.pop() {
        Some((_, bin)) => bin,
        None => panic!("{INSTALL}"),
    }
}

/// The uid and gid of the system user `postgres`, who runs the server when
/// the tests run as root.
fn postgres_user() -> (u32, u32) {
    let id = |flag: &str| -> u32 {
        let out = Command::new("id")
            .args([flag, "postgres"])
            .output()
            .expect("id runs");
        assert!(
            out.status.success(),
            "the tests run as root and PostgreSQL refuses to, so its server runs as \
             the system user `postgres`, which does not exist here. Debian's \
             postgresql package creates it (`apt-get install -y postgresql`; .ci/run \
             does so), or: `useradd --system --user-group postgres`"
        );
        String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
    };
    (id("-u"), id("-g"))
}

/// A port number no TCP listener uses now. The server opens no TCP port —
/// the number only names its socket, in a directory of its own — but a free
/// number keeps it from being mistaken for another server's.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().unwrap().port()
}

/// Appends text to a file.
fn append(path: &Path, text: &str) {
    std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .unwrap_or_else(|e| panic!("appending to {}: {e}", path.display()));
}

/// A client error with its causes (the server's message, detail and hint):
/// `postgres::Error`'s own text is only its kind, such as "db error".
pub fn why(error: &postgres::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        write!(text, ": {cause}").unwrap();
        source = cause.source();
    }
    text
}

/// A value of a libpq key/value connection string, quoted when it has to
/// be (a temporary directory's path seldom does).
fn quote_value(value: &str) -> String {
    let plain = !value.is_empty()
        && !value
            .chars()
            .any(|c| c.is_whitespace() || c == '\'' || c == '\\');
    if plain {
        return value.to_string();
    }
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// An SQL identifier, quoted.
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The server's own rules: the superuser connects without a password, a
/// role of a test's making only with its password; tests' databases are
/// separate; a private server stops and leaves nothing when dropped.
#[test]
fn roles_need_their_password_and_a_dropped_server_is_gone() {
    let server = Server::start();
    let db = server.database();
    let mut client = db.client();
    client
        .batch_execute(r"CREATE ROLE lezer LOGIN PASSWORD 'it''s juist \'; CREATE TABLE t (a int)")
        .unwrap();
    // A password that must be quoted in the connection string.
    let right = db.url_as("lezer", r"it's juist \");
    assert_eq!(
        right.matches(r"password='it\'s juist \\'").count(),
        1,
        "{right}"
    );
    if let Err(e) = postgres::Client::connect(&right, postgres::NoTls) {
        panic!("{right}: {}", why(&e));
    }
    let wrong = postgres::Client::connect(&db.url_as("lezer", "fout"), postgres::NoTls)
        .err()
        .expect("a wrong password is refused");
    assert_eq!(
        wrong.code(),
        Some(&postgres::error::SqlState::INVALID_PASSWORD),
        "{}",
        why(&wrong)
    );
    let other = server.database();
    assert!(other.client().query("SELECT * FROM t", &[]).is_err());
    assert_ne!(db.name(), other.name());
    // The socket is the only way in: no TCP port.
    let listen: String = client
        .query_one("SHOW listen_addresses", &[])
        .unwrap()
        .get(0);
    assert_eq!(listen, "");

    let (dir, url) = (server.socket_dir().to_path_buf(), db.url());
    assert!(dir.join(format!(".s.PGSQL.{}", server.port())).exists());
    drop((client, other, db));
    drop(server);
    assert!(!dir.exists(), "{} is left", dir.display());
    assert!(postgres::Client::connect(&url, postgres::NoTls).is_err());
}

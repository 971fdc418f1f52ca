//! Collections read from PostgreSQL: `source: { postgres: { table: vt.meldingen } }`
//! in the project file.
//!
//! **The connection** comes from the environment only — `NALEVING_DATABASE_URL`
//! (a `postgresql://…` URL or `key=value` pairs), else libpq's variables
//! (`PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`,
//! `PGAPPNAME`, `PGCONNECT_TIMEOUT`) — never from a file in the repository
//! being checked, and it is never shown: findings and problems name the
//! server as `postgres://HOST/DB` (a Unix socket is `localhost`), without
//! user or password.
//!
//! **One snapshot per run**: the first collection read opens one
//! `REPEATABLE READ, READ ONLY` transaction that every PostgreSQL collection
//! of the run reads in, so they are judged as of one moment. Rows come
//! through a cursor, [`FETCH`] rows at a time, each as the JSON PostgreSQL
//! makes of it (`to_jsonb`): `date` → `"2020-06-01"`, `timestamptz` → ISO in
//! UTC, `numeric` → a number, `jsonb` → itself, arrays → arrays; a NULL
//! column is an absent field. Only the columns the run reads are selected,
//! and rows come in the order of the collection's key, so a report does not
//! depend on how the server stores them. `statement_timeout` is the
//! collection's `timeout_ms`.
//!
//! **A table** name is checked when the project loads (plain identifiers,
//! `schema.table`) and quoted here. **A query** is text from the project
//! file, which naleving treats as untrusted (it could call a server function
//! that reaches the network): it is run only when the environment allows
//! it with `NALEVING_ALLOW_QUERY=1`, inside the read-only transaction.

mod tls;

use std::collections::BTreeSet;
use std::sync::Mutex;

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{DataCode, DbRead, RecordPos, Sink};
use crate::problem::{LineCol, Problem};
use crate::project::{PgFrom, PgSource};
use crate::text::Text;
use crate::tr;

/// Rows fetched from the cursor at a time.
pub const FETCH: usize = 1000;

/// The environment variable holding the connection.
pub const URL_VAR: &str = "NALEVING_DATABASE_URL";

/// The environment variable that allows `query:` sources.
pub const ALLOW_QUERY_VAR: &str = "NALEVING_ALLOW_QUERY";

/// The run's connection, in its one read-only transaction, opened by the
/// first PostgreSQL collection read (or why it could not be).
static SESSION: Mutex<Option<Result<Session, Text>>> = Mutex::new(None);

/// A connection with its transaction open.
struct Session {
    client: postgres::Client,
    /// `postgres://HOST/DB`, for locations.
    server: String,
    /// The transaction's snapshot, `pg_current_snapshot()`.
    snapshot: String,
    /// Cursors declared so far (each gets its own name).
    cursors: u32,
}

/// `postgres://HOST/DB#schema.table` (or `#query`): how the collection is
/// named in findings and problems, without credentials. The server part is
/// read from the environment; `postgres://?/?` when it is not set.
pub fn location(source: &PgSource) -> String {
    let server =
        settings().map_or_else(|_| "postgres://?/?".to_string(), |s| server_name(&s.config));
    format!("{server}#{}", source.from.shown())
}

/// The connection settings from the environment, with the TLS mode and
/// root certificate file that the client library does not read itself.
struct Settings {
    config: postgres::Config,
    mode: tls::Mode,
    root: Option<std::path::PathBuf>,
}

/// Takes `name=value` out of a connection string (URL query or key/value
/// pairs), returning the value.
fn take_setting(text: &mut String, name: &str) -> Option<String> {
    let pattern = format!("{name}=");
    let start = text
        .match_indices(&pattern)
        .map(|(i, _)| i)
        .find(|&i| i == 0 || matches!(text.as_bytes()[i - 1], b'?' | b'&' | b' ' | b'\t'))?;
    let value_start = start + pattern.len();
    let end = text[value_start..]
        .find(['&', ' ', '\t'])
        .map_or(text.len(), |i| value_start + i);
    let value = text[value_start..end].to_string();
    // Remove the pair and one separator.
    let (from, to) = if end < text.len() {
        (start, end + 1)
    } else if start > 0 && matches!(text.as_bytes()[start - 1], b'&' | b' ' | b'\t') {
        (start - 1, end)
    } else {
        (start, end)
    };
    text.replace_range(from..to, "");
    if text.ends_with('?') {
        text.pop();
    }
    Some(value)
}

/// The connection settings from the environment.
fn settings() -> Result<Settings, Text> {
    let bad_mode = |value: &str| {
        tr!(
            "sslmode {mode} is not one of disable, allow, prefer, require, verify-ca, verify-full",
            mode = value
        )
    };
    if let Ok(url) = std::env::var(URL_VAR) {
        let mut text = url;
        let mode = take_setting(&mut text, "sslmode");
        let root = take_setting(&mut text, "sslrootcert");
        let mode = match mode {
            Some(value) => tls::Mode::parse(&value).ok_or_else(|| bad_mode(&value))?,
            None => tls::Mode::Prefer,
        };
        // The text is never echoed: it may hold a password.
        let mut config = text.parse::<postgres::Config>().map_err(|_| {
            tr!(
                "{var} is not a connection string naleving can read (a postgresql:// URL or key=value pairs)",
                var = URL_VAR
            )
        })?;
        config.ssl_mode(client_mode(mode));
        return Ok(Settings {
            config,
            mode,
            root: tls::root_file(root.as_deref()),
        });
    }
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let mode = match var("PGSSLMODE") {
        Some(value) => tls::Mode::parse(&value).ok_or_else(|| bad_mode(&value))?,
        None => tls::Mode::Prefer,
    };
    let mut config = postgres::Config::new();
    config.ssl_mode(client_mode(mode));
    match var("PGHOST") {
        Some(host) => {
            for host in host.split(',') {
                config.host(host);
            }
        }
        None => {
            return Err(tr!(
                "no database is named: set {var} (or libpq's PGHOST, PGDATABASE, PGUSER …)",
                var = URL_VAR
            ));
        }
    }
    if let Some(port) = var("PGPORT") {
        let port = port
            .parse::<u16>()
            .map_err(|_| tr!("PGPORT is not a port number"))?;
        config.port(port);
    }
    if let Some(user) = var("PGUSER") {
        config.user(&user);
    }
    if let Some(password) = var("PGPASSWORD") {
        config.password(password);
    }
    if let Some(dbname) = var("PGDATABASE") {
        config.dbname(&dbname);
    }
    if let Some(name) = var("PGAPPNAME") {
        config.application_name(&name);
    }
    if let Some(seconds) = var("PGCONNECT_TIMEOUT").and_then(|s| s.parse::<u64>().ok()) {
        config.connect_timeout(std::time::Duration::from_secs(seconds));
    }
    Ok(Settings {
        config,
        mode,
        root: tls::root_file(var("PGSSLROOTCERT").as_deref()),
    })
}

/// The client library's mode for a libpq mode.
fn client_mode(mode: tls::Mode) -> postgres::config::SslMode {
    match mode.for_client() {
        "disable" => postgres::config::SslMode::Disable,
        "prefer" => postgres::config::SslMode::Prefer,
        _ => postgres::config::SslMode::Require,
    }
}

/// `postgres://HOST[:PORT]/DB` of a configuration (a Unix socket is
/// `localhost`; the default port is left out).
fn server_name(config: &postgres::Config) -> String {
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(host)) => host.clone(),
        _ => "localhost".to_string(),
    };
    let tcp = matches!(
        config.get_hosts().first(),
        Some(postgres::config::Host::Tcp(_))
    );
    let port = match config.get_ports().first() {
        Some(&port) if tcp && port != 5432 => format!(":{port}"),
        _ => String::new(),
    };
    let db = config
        .get_dbname()
        .or(config.get_user())
        .unwrap_or("postgres");
    format!("postgres://{host}{port}/{db}")
}

/// Connects and opens the run's transaction.
fn open() -> Result<Session, Text> {
    let Settings {
        mut config,
        mode,
        root,
    } = settings()?;
    if config.get_application_name().is_none() {
        config.application_name("naleving");
    }
    let server = server_name(&config);
    // As in libpq, a Unix socket is never encrypted: it does not leave the
    // machine, and it has no host name to check a certificate against.
    let socket_only = config
        .get_hosts()
        .iter()
        .all(|h| !matches!(h, postgres::config::Host::Tcp(_)));
    let connected = match mode {
        _ if socket_only && mode != tls::Mode::Disable => {
            config.ssl_mode(postgres::config::SslMode::Disable);
            config.connect(postgres::NoTls)
        }
        tls::Mode::Disable => config.connect(postgres::NoTls),
        _ => {
            let tls = tls::config(mode, root.as_ref())?;
            config.connect(tokio_postgres_rustls::MakeRustlsConnect::new(tls))
        }
    };
    let mut client = connected.map_err(|err| {
        tr!(
            "cannot connect to {server}: {cause}",
            server = &server,
            cause = cause(&err)
        )
    })?;
    client
        .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL TIME ZONE 'UTC'")
        .and_then(|()| client.query_one("SELECT pg_current_snapshot()::text", &[]))
        .map(|row| row.get::<_, String>(0))
        .map_err(|err| {
            tr!(
                "cannot start a read-only transaction on {server}: {cause}",
                server = &server,
                cause = cause(&err)
            )
        })
        .map(|snapshot| Session {
            client,
            server,
            snapshot,
            cursors: 0,
        })
}

/// The server's words for an error (without the connection string).
fn cause(err: &postgres::Error) -> Text {
    if let Some(db) = err.as_db_error() {
        return Text::verbatim(db.message());
    }
    // The reason under a general one ("error performing TLS handshake:
    // invalid peer certificate: UnknownIssuer").
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        let said = inner.to_string();
        if !text.contains(&said) {
            text.push_str(": ");
            text.push_str(&said);
        }
        source = inner.source();
    }
    Text::verbatim(text)
}

/// A name quoted as a PostgreSQL identifier.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Reads the records of a PostgreSQL collection into the sink; returns a
/// digest of the rows read (their JSON text) and the snapshot and row
/// count, or `None` when nothing could be read (the problem is reported).
pub(crate) fn load(source: &PgSource, sink: &mut Sink<'_, '_>) -> Option<([u8; 32], DbRead)> {
    let mut guard = SESSION.lock().unwrap_or_else(|p| p.into_inner());
    let session = match guard.get_or_insert_with(open) {
        Ok(session) => session,
        Err(why) => {
            sink.problem(Problem::unusable(DataCode::Read, why.clone()).help(tr!(
                "naleving reads the connection from {var} or libpq's PG* variables, never from the project",
                var = URL_VAR
            )));
            return None;
        }
    };
    match read(session, source, sink) {
        Ok((digest, rows)) => Some((
            digest,
            DbRead {
                snapshot: session.snapshot.clone(),
                rows,
            },
        )),
        Err(why) => {
            sink.problem(Problem::unusable(DataCode::Read, why));
            None
        }
    }
}

/// The statement a collection's rows are read with: each row as JSON,
/// in key order, of the columns named (all when `None`). A table's name
/// and the columns are quoted; a query is used as written.
pub fn pull_sql(source: &PgSource, key: &str, columns: Option<&BTreeSet<String>>) -> String {
    let select = match &source.from {
        PgFrom::Table { schema, table } => {
            let name = match schema {
                Some(schema) => format!("{}.{}", quoted(schema), quoted(table)),
                None => quoted(table),
            };
            let list = match columns {
                Some(columns) => {
                    let mut names: Vec<String> = columns
                        .iter()
                        .filter(|c| *c != key)
                        .map(|c| quoted(c))
                        .collect();
                    names.insert(0, quoted(key));
                    names.join(", ")
                }
                None => "*".to_string(),
            };
            format!("SELECT {list} FROM {name}")
        }
        PgFrom::Query(query) => query.clone(),
    };
    format!(
        "SELECT to_jsonb(r)::text FROM ({select}) AS r ORDER BY r.{}",
        quoted(key)
    )
}

/// Declares a cursor over the collection's rows and fetches them all.
fn read(
    session: &mut Session,
    source: &PgSource,
    sink: &mut Sink<'_, '_>,
) -> Result<([u8; 32], u64), Text> {
    let key = sink.key_field().to_string();
    let pull = match &source.from {
        PgFrom::Table { schema, table } => {
            let name = match schema {
                Some(schema) => format!("{}.{}", quoted(schema), quoted(table)),
                None => quoted(table),
            };
            let columns = columns(session, &name, &source.from)?;
            if !columns.contains(&key) {
                let hint = crate::problem::hint(&key, columns.iter().map(String::as_str));
                return Err(tr!(
                    "table `{table}` has no column `{key}`, the collection's key{hint}",
                    table = source.from.shown(),
                    key = &key,
                    hint = hint
                ));
            }
            let mut chosen = BTreeSet::new();
            for column in &columns {
                if *column == key || sink.column_wanted(column) {
                    chosen.insert(column.clone());
                }
                // Every column is a field the records have, NULL in all of
                // them or not: a rule that names it is not misspelt.
                sink.unread_column(column);
            }
            pull_sql(source, &key, Some(&chosen))
        }
        PgFrom::Query(_) => {
            if std::env::var(ALLOW_QUERY_VAR).as_deref() != Ok("1") {
                return Err(tr!(
                    "the collection is a query, and queries from a project file run only when the environment sets {var}=1",
                    var = ALLOW_QUERY_VAR
                ));
            }
            pull_sql(source, &key, None)
        }
    };
    session.cursors += 1;
    let cursor = format!("naleving_{}", session.cursors);
    let server = session.server.clone();
    let declare = format!(
        "SET LOCAL statement_timeout = {timeout}; DECLARE {cursor} NO SCROLL CURSOR FOR {pull}",
        timeout = source.timeout_ms,
    );
    let fail = |err: postgres::Error| {
        tr!(
            "cannot read `{from}` from {server}: {cause}",
            from = source.from.shown(),
            server = &server,
            cause = cause(&err)
        )
    };
    session.client.batch_execute(&declare).map_err(fail)?;
    let fetch = format!("FETCH {FETCH} FROM {cursor}");
    let mut hasher = Sha256::new();
    let mut number = 0u32;
    loop {
        let rows = session.client.query(fetch.as_str(), &[]).map_err(fail)?;
        if rows.is_empty() {
            break;
        }
        for row in &rows {
            number += 1;
            let text: &str = row.get(0);
            hasher.update(text.as_bytes());
            hasher.update(b"\n");
            match serde_json::from_str::<Value>(text) {
                Ok(Value::Object(mut fields)) => {
                    fields.retain(|_, v| !v.is_null());
                    sink.record(Value::Object(fields), RecordPos::row(number), None);
                }
                _ => sink.parse_error(
                    tr!("row {row} is not a record", row = number),
                    Some(LineCol {
                        line: number,
                        column: 1,
                    }),
                ),
            }
        }
    }
    let _ = session.client.batch_execute(&format!("CLOSE {cursor}"));
    Ok((hasher.finalize().into(), u64::from(number)))
}

/// The columns of a table or view, in their order; a table that does not
/// exist is named with the closest that does.
fn columns(session: &mut Session, name: &str, from: &PgFrom) -> Result<Vec<String>, Text> {
    let server = session.server.clone();
    let fail = |err: postgres::Error| {
        tr!(
            "cannot read `{from}` from {server}: {cause}",
            from = from.shown(),
            server = &server,
            cause = cause(&err)
        )
    };
    let rows = session
        .client
        .query(
            "SELECT a.attname::text FROM pg_attribute a \
             WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped \
             ORDER BY a.attnum",
            &[&name],
        )
        .map_err(fail)?;
    if !rows.is_empty() {
        return Ok(rows.iter().map(|r| r.get::<_, String>(0)).collect());
    }
    let known = session
        .client
        .query(
            "SELECT CASE WHEN table_schema = 'public' THEN table_name::text \
                    ELSE table_schema || '.' || table_name END \
             FROM information_schema.tables \
             WHERE table_schema NOT IN ('pg_catalog', 'information_schema') \
             ORDER BY 1",
            &[],
        )
        .map_err(fail)?;
    let known: Vec<String> = known.iter().map(|r| r.get::<_, String>(0)).collect();
    let shown = from.shown();
    let hint = crate::problem::hint(&shown, known.iter().map(String::as_str));
    Err(tr!(
        "{server} has no table `{table}` that this user can read{hint}",
        server = &server,
        table = &shown,
        hint = hint
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(quoted("meldingen"), "\"meldingen\"");
        assert_eq!(quoted("a\"b"), "\"a\"\"b\"");
    }

    #[test]
    fn tls_settings_are_taken_out_of_the_connection_string() {
        let mut url = "postgresql://u:p@h/db?sslmode=verify-full&sslrootcert=/ca.pem".to_string();
        assert_eq!(
            take_setting(&mut url, "sslmode").as_deref(),
            Some("verify-full")
        );
        assert_eq!(
            take_setting(&mut url, "sslrootcert").as_deref(),
            Some("/ca.pem")
        );
        assert_eq!(url, "postgresql://u:p@h/db");
        let mut pairs = "host=h sslmode=require dbname=x".to_string();
        assert_eq!(
            take_setting(&mut pairs, "sslmode").as_deref(),
            Some("require")
        );
        assert_eq!(pairs, "host=h dbname=x");
        let mut none = "host=h xsslmode=require".to_string();
        assert_eq!(take_setting(&mut none, "sslmode"), None);
        assert_eq!(tls::Mode::parse("verify-ca"), Some(tls::Mode::VerifyCa));
        assert_eq!(tls::Mode::parse("bogus"), None);
    }

    #[test]
    fn the_server_is_named_without_credentials() {
        let config: postgres::Config = "postgresql://jan:geheim@db.example:5433/vt?sslmode=disable"
            .parse()
            .unwrap();
        assert_eq!(server_name(&config), "postgres://db.example:5433/vt");
        let config: postgres::Config = "host=/tmp/sock port=5999 user=postgres dbname=steekproef"
            .parse()
            .unwrap();
        assert_eq!(server_name(&config), "postgres://localhost/steekproef");
    }
}

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
//! through a cursor, [`FETCH`] rows at a time (the few rows of a push-down:
//! one streamed statement, see below), each as the JSON PostgreSQL
//! makes of it (`to_jsonb`): `date` → `"2020-06-01"`, `timestamptz` → ISO in
//! UTC, `numeric` → a number, `jsonb` → itself, arrays → arrays; a NULL
//! column is an absent field. Only the columns the run reads are selected,
//! and rows come in the order of the collection's key, so a report does not
//! depend on how the server stores them. `statement_timeout` is the
//! collection's `timeout_ms`.
//!
//! **Checks pushed down**: for a table, the engine may hand [`load`] a
//! [`Push`]: given the table's columns and their types it makes an SQL
//! condition that holds for every row the run's rules might not pass (and
//! every row whose key or schema naleving must see), and the conditions to
//! count the rows left in the database per rule. Only those rows are read;
//! the counts come from one `count(*) FILTER (…)` over the others, in the
//! same snapshot. Values are bind parameters. A row is named by its key,
//! never by a number: a row's place in key order over the whole table would
//! cost a pass over every key to know.
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

use super::{DataCode, DbRead, PushedRead, RecordPos, Settled, Sink};
use crate::problem::Problem;
use crate::project::{PgFrom, PgSource};
use crate::sql::{Column, ColumnKind, Dialect, Postgres};
use crate::text::Text;
use crate::tr;

/// Rows fetched from the cursor at a time.
pub const FETCH: usize = 1000;

/// The environment variable holding the connection.
pub const URL_VAR: &str = "NALEVING_DATABASE_URL";

/// The environment variable that allows `query:` sources.
pub const ALLOW_QUERY_VAR: &str = "NALEVING_ALLOW_QUERY";

/// A table as the engine's push-down sees it: its columns, their types,
/// the columns read and how the table is named in SQL.
pub struct Table<'a> {
    /// Every column of the table, with its type as PostgreSQL names it
    /// (`date`, `text`, `integer`, …).
    pub columns: &'a [(String, String)],
    /// The columns the run reads (the key among them).
    pub chosen: &'a BTreeSet<String>,
    /// The collection's key column.
    pub key: &'a str,
    /// The table's quoted name (`"vt"."meldingen"`).
    pub from: &'a str,
    /// A unique index on the key column alone: no two rows share a key.
    pub key_unique: bool,
}

impl Table<'_> {
    /// The type of a column, if the table has it.
    pub fn type_of(&self, column: &str) -> Option<&str> {
        self.columns
            .iter()
            .find(|(name, _)| name == column)
            .map(|(_, ty)| ty.as_str())
    }

    /// A column of the row `r` (its JSON as naleving reads it, and what
    /// its SQL type says of that), when the run reads that column.
    pub fn field(&self, column: &str) -> Option<Column> {
        self.of_row("r", column)
            .filter(|_| self.chosen.contains(column))
    }

    /// A column of the table as a column of the row `row`, read or not.
    pub fn of_row(&self, row: &str, column: &str) -> Option<Column> {
        let kind = self.type_of(column).map(ColumnKind::of)?;
        Some(Column {
            json: Postgres.json(row, column),
            plain: format!("{row}.{}", quoted(column)),
            kind,
        })
    }
}

/// What the engine pushes down into one table's read (see the module
/// documentation).
pub struct Pushed {
    /// What the statements begin with: a `WITH` clause of what their
    /// conditions share (or nothing).
    pub with: String,
    /// Each row's conditions must be computed once: they read the whole
    /// table (a subquery over it), which written twice would be computed
    /// twice. Otherwise the filter is written out where the server can
    /// scan in parallel, and the few rows read compute theirs again.
    pub once: bool,
    /// A condition on the row `r`, never NULL: naleving would read the
    /// row as it stands (its key and values are certain), so the rules'
    /// settled conditions can speak for it.
    pub sound: String,
    /// Conditions on a row left in the database, each counted.
    pub counts: Vec<String>,
    /// Per rule, a condition on a sound row, never NULL: the rule
    /// certainly passes it as it stands (or leaves it out), so naleving
    /// need not judge it. For a rule over groups, the rows of a group that
    /// certainly passes must not be judged: the group is not read whole.
    /// A row is read unless it is sound and settled for every rule.
    pub settled: Vec<String>,
    /// The bind parameters, as text: `$n` is `params[n - 1]`.
    pub params: Vec<String>,
}

/// What the engine hands a table's read: it makes a [`Pushed`] for the
/// table, or `None` to read every row.
pub type Push<'p> = dyn Fn(&Table<'_>) -> Option<Pushed> + 'p;

/// The run's connection, in its one read-only transaction, opened by the
/// first PostgreSQL collection read (or why it could not be).
static SESSION: Mutex<Option<Result<Session, Text>>> = Mutex::new(None);

/// Ends the run's transaction (it wrote nothing: `ROLLBACK`) and closes
/// the connection, so the server sees a client that says goodbye rather
/// than one that drops the line with a transaction open. Called once the
/// run has read every collection; a later read would open a new session.
pub fn close() {
    let mut guard = SESSION.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(Ok(mut session)) = guard.take() {
        let _ = session.client.batch_execute("ROLLBACK");
        let _ = session.client.close();
    }
}

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
    format!("{}{host}{port}/{db}", crate::problem::TABLE_SCHEME)
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

/// The problem of a statement that failed while reading `from`: its
/// name, the server's and the server's words.
fn read_error<'a>(from: &'a PgFrom, server: &str) -> impl Fn(postgres::Error) -> Text + 'a {
    let server = server.to_string();
    move |err| {
        tr!(
            "cannot read `{from}` from {server}: {cause}",
            from = from.shown(),
            server = &server,
            cause = cause(&err)
        )
    }
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
pub fn quoted(name: &str) -> String {
    Postgres.ident(name)
}

/// Reads the records of a PostgreSQL collection into the sink; returns a
/// digest of the rows read (their JSON text) and the snapshot and row
/// count, or `None` when nothing could be read (the problem is reported).
pub(crate) fn load(
    source: &PgSource,
    push: Option<&Push<'_>>,
    digest_all: bool,
    sink: &mut Sink<'_, '_>,
) -> Option<([u8; 32], DbRead)> {
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
    let key = sink.key_field().to_string();
    let read = read(session, source, push, sink).and_then(|(digest, rows, pushed)| {
        let every_row = digest_all.then(|| digest_every_row(session, source, &key));
        let digest = match every_row {
            Some(every_row) => every_row?,
            None => digest,
        };
        Ok((digest, rows, pushed))
    });
    match read {
        Ok((digest, rows, pushed)) => Some((
            digest,
            DbRead {
                snapshot: session.snapshot.clone(),
                rows,
                pushed,
                every_row: digest_all,
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
pub fn pull_sql(
    source: &PgSource,
    key: &str,
    columns: Option<&BTreeSet<String>>,
    key_unique: bool,
) -> String {
    let select = match (&source.from, columns) {
        (PgFrom::Table { .. }, Some(columns)) => {
            select_sql(&table_name(&source.from), key, columns)
        }
        (PgFrom::Table { .. }, None) => format!("SELECT * FROM {}", table_name(&source.from)),
        (PgFrom::Query(query), _) => query.clone(),
    };
    // Rows with the same key come in the order of their content, so which
    // one is reported as the duplicate does not depend on where the
    // server keeps them (with a unique key, the key's index gives the
    // order).
    let ties = if key_unique { "" } else { ", 1" };
    format!(
        "SELECT {} FROM ({select}) AS r ORDER BY r.{}{ties}",
        Postgres.row_json("r"),
        quoted(key)
    )
}

/// A table's name as SQL, quoted (`"vt"."meldingen"`); a query's text.
pub fn table_name(from: &PgFrom) -> String {
    match from {
        PgFrom::Table {
            schema: Some(schema),
            table,
        } => format!("{}.{}", quoted(schema), quoted(table)),
        PgFrom::Table {
            schema: None,
            table,
        } => quoted(table),
        PgFrom::Query(query) => query.clone(),
    }
}

/// The statement that reads the rows a push-down asks for: each as JSON,
/// in key order (rows with the same key in the order of their JSON, as
/// [`pull_sql`] reads them), with the push-down's count conditions then its
/// rules' settled conditions (`c1`, …) for the rows read. A row is not
/// numbered: its key says which it is (numbering every row of the table
/// cost more than finding the few read, BENCHMARKS.md). Each row's
/// conditions are computed once when [`Pushed::once`] asks (a subquery the
/// planner keeps whole, `OFFSET 0`: in the filter and again in the
/// columns, an aggregate's passing groups would be computed twice per
/// statement); otherwise the planner writes them into the filter, which the
/// server may run in parallel, and the few rows read compute theirs again.
fn pushed_sql(select: &str, key: &str, key_unique: bool, pushed: &Pushed) -> String {
    let key = quoted(key);
    let Pushed {
        with,
        once,
        sound,
        counts,
        settled,
        ..
    } = pushed;
    // Per row: sound (`s`), each count (`c1`, …), each rule settled (`r1`, …).
    let conditions: String = std::iter::once(format!(", ({sound}) AS s"))
        .chain(
            counts
                .iter()
                .enumerate()
                .map(|(i, c)| format!(", ({c}) AS c{}", i + 1)),
        )
        .chain(
            settled
                .iter()
                .enumerate()
                .map(|(i, c)| format!(", ({c}) AS r{}", i + 1)),
        )
        .collect();
    let outer: String = (1..=counts.len())
        .map(|i| format!(", q.c{i}"))
        .chain((1..=settled.len()).map(|i| format!(", (q.s AND q.r{i})")))
        .collect();
    let all: Vec<String> = std::iter::once("q.s".to_string())
        .chain((1..=settled.len()).map(|i| format!("q.r{i}")))
        .collect();
    format!(
        "{with}SELECT {row}{outer} FROM (\
         SELECT r.{key} AS k, r AS o{conditions} FROM ({select}) AS r{fence}) AS q \
         WHERE NOT ({read}) ORDER BY q.k{ties}",
        row = Postgres.row_json("q.o"),
        fence = if *once { " OFFSET 0" } else { "" },
        read = all.join(" AND "),
        ties = if key_unique { "" } else { ", 1" },
    )
}

/// The statement that counts, over every row, the rows and those of each
/// of the push-down's count conditions (the rows read are taken off).
fn counts_sql(select: &str, pushed: &Pushed) -> String {
    let mut list = vec!["count(*)".to_string()];
    list.extend(pushed.counts.iter().map(|c| Postgres.count_if(c)));
    format!(
        "{}SELECT {} FROM ({select}) AS r",
        pushed.with,
        list.join(", ")
    )
}

/// A table's `SELECT` of the columns chosen, the key first.
fn select_sql(name: &str, key: &str, chosen: &BTreeSet<String>) -> String {
    let mut names: Vec<String> = chosen
        .iter()
        .filter(|c| *c != key)
        .map(|c| quoted(c))
        .collect();
    names.insert(0, quoted(key));
    format!("SELECT {} FROM {name}", names.join(", "))
}

/// The statements a collection is read with.
pub struct Statements {
    /// The rows read: all of them, or those a push-down asks for.
    pub read: String,
    /// With a push-down: what it asks, and the statement that counts the
    /// rows left in the database.
    pub pushed: Option<(Pushed, String)>,
}

/// The columns of a collection's table (none for a query) and the
/// statements it is read with: the columns `wanted` and the key, through
/// the push-down when it gives one.
fn statements(
    session: &mut Session,
    source: &PgSource,
    key: &str,
    wanted: &dyn Fn(&str) -> bool,
    push: Option<&Push<'_>>,
) -> Result<(Vec<(String, String)>, Statements), Text> {
    if let PgFrom::Query(_) = &source.from {
        if std::env::var(ALLOW_QUERY_VAR).as_deref() != Ok("1") {
            return Err(tr!(
                "the collection is a query, and queries from a project file run only when the environment sets {var}=1",
                var = ALLOW_QUERY_VAR
            ));
        }
        let read = pull_sql(source, key, None, false);
        return Ok((Vec::new(), Statements { read, pushed: None }));
    }
    let name = table_name(&source.from);
    let columns = columns(session, &name, &source.from)?;
    if !columns.iter().any(|(c, _)| c == key) {
        let hint = crate::problem::hint(key, columns.iter().map(|(c, _)| c.as_str()));
        return Err(tr!(
            "table `{table}` has no column `{key}`, the collection's key{hint}",
            table = source.from.shown(),
            key = key,
            hint = hint
        ));
    }
    let chosen: BTreeSet<String> = columns
        .iter()
        .map(|(c, _)| c)
        .filter(|c| *c == key || wanted(c))
        .cloned()
        .collect();
    let select = select_sql(&name, key, &chosen);
    let key_unique = key_unique(session, &name, key, &source.from)?;
    let table = Table {
        columns: &columns,
        chosen: &chosen,
        key,
        from: &name,
        key_unique,
    };
    let statements = match push.and_then(|push| push(&table)) {
        Some(push) => Statements {
            read: pushed_sql(&select, key, key_unique, &push),
            pushed: Some({
                let counts = counts_sql(&select, &push);
                (push, counts)
            }),
        },
        None => Statements {
            read: pull_sql(source, key, Some(&chosen), key_unique),
            pushed: None,
        },
    };
    Ok((columns, statements))
}

/// The statements `check --plan` shows for a collection: read from the
/// server's catalogue (the table's columns and their types), in the run's
/// transaction, without reading a row.
pub fn plan(
    source: &PgSource,
    key: &str,
    wanted: &dyn Fn(&str) -> bool,
    push: Option<&Push<'_>>,
) -> Result<Statements, Text> {
    let mut guard = SESSION.lock().unwrap_or_else(|p| p.into_inner());
    let session = guard
        .get_or_insert_with(open)
        .as_mut()
        .map_err(|why| why.clone())?;
    statements(session, source, key, wanted, push).map(|(_, statements)| statements)
}

/// Reads the collection's rows — all of them through a cursor, or the few
/// a push-down asks for as one streamed statement; returns the digest of
/// the rows read, their number and what the push-down counted.
fn read(
    session: &mut Session,
    source: &PgSource,
    push: Option<&Push<'_>>,
    sink: &mut Sink<'_, '_>,
) -> Result<([u8; 32], u64, Option<PushedRead>), Text> {
    let key = sink.key_field().to_string();
    let fail = read_error(&source.from, &session.server);
    let (columns, statements) = statements(
        session,
        source,
        &key,
        &|column| sink.column_wanted(column),
        push,
    )?;
    for (column, _) in &columns {
        // Every column is a field the records have, NULL in all of them or
        // not: a rule that names it is not misspelt.
        sink.unread_column(column);
    }
    let Statements { read: pull, pushed } = statements;
    session
        .client
        .batch_execute(&format!(
            "SET LOCAL statement_timeout = {timeout}{jit}",
            timeout = source.timeout_ms,
            // A push-down's conditions are wide expressions: compiling
            // them (JIT) took longer than it saved (BENCHMARKS.md).
            jit = if pushed.is_some() {
                "; SET LOCAL jit = off"
            } else {
                ""
            }
        ))
        .map_err(&fail)?;
    let params: Vec<&str> = pushed
        .as_ref()
        .map(|(p, _)| p.params.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let bound: Vec<&(dyn postgres::types::ToSql + Sync)> = params
        .iter()
        .map(|p| p as &(dyn postgres::types::ToSql + Sync))
        .collect();
    let text_params = vec![postgres::types::Type::TEXT; params.len()];
    let mut hasher = Sha256::new();
    let mut number = 0u32;
    let mut read = 0u64;
    // Of the rows read, how many meet each count condition.
    let mut read_counts = vec![0u64; pushed.as_ref().map_or(0, |(p, _)| p.counts.len())];
    let rules = pushed.as_ref().map_or(0, |(p, _)| p.settled.len());
    let mut take = |row: &postgres::Row, sink: &mut Sink<'_, '_>| {
        read += 1;
        let mut settled = Vec::new();
        // The row's place among those read, in key order: it orders the
        // findings and is never shown (a row is named by its key).
        number += 1;
        if pushed.is_some() {
            for (i, count) in read_counts.iter_mut().enumerate() {
                *count += u64::from(row.get::<_, bool>(i + 1));
            }
            // What each rule need not judge, and why.
            let counted = read_counts.len() + 1;
            settled = (0..rules)
                .map(|rule| {
                    if !row.get::<_, bool>(counted + rule) {
                        Settled::Judge
                    } else if row.get::<_, bool>(1 + 2 * rule) {
                        Settled::Outside
                    } else if row.get::<_, bool>(2 + 2 * rule) {
                        Settled::NotApplicable
                    } else {
                        Settled::Passed
                    }
                })
                .collect();
        }
        let text: &str = row.get(0);
        hasher.update(text.as_bytes());
        hasher.update(b"\n");
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(mut fields)) => {
                fields.retain(|_, v| !v.is_null());
                if !settled.is_empty() {
                    sink.settle_next(settled);
                }
                sink.record(Value::Object(fields), RecordPos::row(number), None);
            }
            _ => sink.parse_error(tr!("a row read is not a record"), None),
        }
    };
    if pushed.is_some() {
        // The rows a push-down reads are few: one statement, streamed as
        // they come (the server may scan in parallel, which it does not
        // for a cursor).
        use postgres::fallible_iterator::FallibleIterator;
        let statement = session
            .client
            .prepare_typed(&pull, &text_params)
            .map_err(&fail)?;
        let mut rows = session
            .client
            .query_raw(&statement, bound.iter().copied())
            .map_err(&fail)?;
        while let Some(row) = rows.next().map_err(&fail)? {
            take(&row, sink);
        }
    } else {
        // Every row: through a cursor, FETCH rows at a time.
        session.cursors += 1;
        let cursor = format!("naleving_{}", session.cursors);
        session
            .client
            .batch_execute(&format!("DECLARE {cursor} NO SCROLL CURSOR FOR {pull}"))
            .map_err(&fail)?;
        let fetch = format!("FETCH {FETCH} FROM {cursor}");
        loop {
            let rows = session.client.query(fetch.as_str(), &[]).map_err(&fail)?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                take(row, sink);
            }
        }
        let _ = session.client.batch_execute(&format!("CLOSE {cursor}"));
    }
    let counted = match &pushed {
        Some((push, sql)) => {
            let statement = session
                .client
                .prepare_typed(sql, &text_params)
                .map_err(&fail)?;
            let row = session
                .client
                .query_one(&statement, &bound)
                .map_err(&fail)?;
            // Every row's counts, less the rows read.
            let count = |i: usize| u64::try_from(row.get::<_, i64>(i)).unwrap_or(0);
            let left = count(0).saturating_sub(read);
            // What was pushed down is part of what the digest identifies:
            // the rows read are those the condition selected.
            hasher.update(push.sound.as_bytes());
            for rule in &push.settled {
                hasher.update(b"\0");
                hasher.update(rule.as_bytes());
            }
            for param in &push.params {
                hasher.update(b"\0");
                hasher.update(param.as_bytes());
            }
            Some(PushedRead {
                left,
                counts: read_counts
                    .iter()
                    .enumerate()
                    .map(|(i, read)| count(i + 1).saturating_sub(*read))
                    .collect(),
            })
        }
        None => None,
    };
    Ok((hasher.finalize().into(), read, counted))
}

/// `--digest-data`: the sha256 over every row of the collection, every
/// column, each as its JSON text in key order — what identifies the data
/// however little of it the run read. A second pass through a cursor, in
/// the same snapshot; the rows are hashed, not parsed.
fn digest_every_row(session: &mut Session, source: &PgSource, key: &str) -> Result<[u8; 32], Text> {
    let fail = read_error(&source.from, &session.server);
    session.cursors += 1;
    let cursor = format!("naleving_{}", session.cursors);
    let every = pull_sql(source, key, None, false);
    session
        .client
        .batch_execute(&format!("DECLARE {cursor} NO SCROLL CURSOR FOR {every}"))
        .map_err(&fail)?;
    let fetch = format!("FETCH {FETCH} FROM {cursor}");
    let mut hasher = Sha256::new();
    loop {
        let rows = session.client.query(fetch.as_str(), &[]).map_err(&fail)?;
        if rows.is_empty() {
            break;
        }
        for row in &rows {
            hasher.update(row.get::<_, &str>(0).as_bytes());
            hasher.update(b"\n");
        }
    }
    let _ = session.client.batch_execute(&format!("CLOSE {cursor}"));
    Ok(hasher.finalize().into())
}

/// Whether a unique index covers the key column alone (a primary key, or
/// `UNIQUE (key)` without a condition): then no two rows share a key.
fn key_unique(session: &mut Session, name: &str, key: &str, from: &PgFrom) -> Result<bool, Text> {
    let fail = read_error(from, &session.server);
    session
        .client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_index i \
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] \
             WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indnkeyatts = 1 \
             AND i.indpred IS NULL AND i.indexprs IS NULL AND a.attname = $2)",
            &[&name, &key],
        )
        .map(|row| row.get(0))
        .map_err(&fail)
}

/// The columns of a table or view, in their order; a table that does not
/// exist is named with the closest that does.
fn columns(
    session: &mut Session,
    name: &str,
    from: &PgFrom,
) -> Result<Vec<(String, String)>, Text> {
    let fail = read_error(from, &session.server);
    let rows = session
        .client
        .query(
            "SELECT a.attname::text, format_type(a.atttypid, NULL) FROM pg_attribute a \
             WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped \
             ORDER BY a.attnum",
            &[&name],
        )
        .map_err(&fail)?;
    if !rows.is_empty() {
        return Ok(rows
            .iter()
            .map(|r| (r.get::<_, String>(0), r.get::<_, String>(1)))
            .collect());
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
        .map_err(&fail)?;
    let known: Vec<String> = known.iter().map(|r| r.get::<_, String>(0)).collect();
    let shown = from.shown();
    let hint = crate::problem::hint(&shown, known.iter().map(String::as_str));
    Err(tr!(
        "{server} has no table `{table}` that this user can read{hint}",
        server = &session.server,
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

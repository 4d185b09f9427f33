//! The project file: one SQLite database. This is the only module that sees SQL. This
//! file opens it and migrates it; each submodule holds one verb's queries.
//!
//! Invariants:
//! - Every user-level action is one transaction ([`Store::edit`] → [`Edit::commit`]), and
//!   an [`Edit`] logs the rows it changed so that [`Store::undo`] and [`Store::redo`] can
//!   walk back and forth, across restarts. Schema changes are edits too.
//! - Offsets are code points, half-open.
//! - WAL journal, foreign keys on, schema version in `PRAGMA user_version`.
//! - A parameter compared with an indexed column in a query run once a document is written
//!   `+?1`: the bundled SQLite is built with STAT4, and would otherwise re-prepare such a
//!   statement (with ORDER BY, or on several index columns) every time the value changes,
//!   which was half of pre-tagging's time. The index is used all the same.

mod check;
mod copy;
pub(crate) mod db;
mod documents;
mod edit;
mod import;
mod list;
mod live;
mod merge;
mod migrations;
mod migrations_pg;
mod models;
mod rows;
mod schema;
mod schema_edit;
mod stats;
mod suggestions;
mod team;

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use db::{Db, OptionalExtension as _, params};
use rusqlite::Connection;
use sha2::{Digest as _, Sha256};

pub use edit::{Edit, LoggedAction};
pub use import::{ImportSummary, OnConflict, SkippedDocument};
pub use list::DocumentSummary;
pub use live::{Change, Listener};
pub use merge::MergeSummary;
pub use migrations::CURRENT_VERSION;
/// The schema version this build writes on a server.
pub use migrations_pg::CURRENT_VERSION as SERVER_VERSION;
pub use models::{TrainingLayers, TrainingSet};
pub use schema::ANNOTATOR_META_KEY;
pub use stats::ProjectStats;
pub use suggestions::{DocumentSuggestions, SuggestionChange, TextLabel};
pub use team::DEFAULT_CLAIM_TIMEOUT;

use crate::{Error, Result};

/// An open project: a file, or a database on a team server.
pub struct Store {
    db: Db,
    /// The file, or the server's address without its password.
    path: PathBuf,
    /// The server address to connect again with after a dropped connection.
    server_url: Option<String>,
    /// Whose layer the document list counts on a server ([`Store::set_viewer`]).
    viewer: Option<String>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// SHA-256 of a document text, lowercase hex: the key that makes re-imports no-ops.
pub fn content_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// How long a write waits for another writer by default: a whole import of a large file is
/// one transaction, and a second import or a pre-tag queues behind it.
pub const DEFAULT_BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// The server address in a `--db` like `postgres://user@host:port/dbname`, or `None` for a
/// file path. Another scheme is refused: making a file of that name would hide the mistake.
pub fn server_url(path: &Path) -> Result<Option<&str>> {
    let Some(text) = path.to_str() else { return Ok(None) };
    if let Some((scheme, _)) = text.split_once("://")
        && !scheme.is_empty()
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    {
        if scheme == "postgres" || scheme == "postgresql" {
            return Ok(Some(text));
        }
        return Err(Error::Invalid(format!(
            "{text} looks like a {scheme}:// address; a project is a file path or a postgres:// server address"
        )));
    }
    Ok(None)
}

/// `url` with its password, if any, left out, for titles and messages.
fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((user, host)) => {
            let user = user.split_once(':').map_or(user, |(name, _)| name);
            format!("{scheme}://{user}@{host}{tail}")
        }
        None => url.to_owned(),
    }
}

/// The filesystem type of `path`'s folder when it is a network one (NFS, SMB/CIFS, sshfs,
/// AFS, Ceph, GlusterFS, Lustre, 9p), read from `/proc/self/mounts`. Linux only; elsewhere
/// `None`.
fn network_filesystem(path: &Path) -> Option<String> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let folder = match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(parent) => parent.canonicalize().ok()?,
        None => std::env::current_dir().ok()?,
    };
    let mounts = std::fs::read_to_string("/proc/self/mounts").ok()?;
    network_mount(&mounts, &folder)
}

/// The type of the mount that holds `folder` in a `/proc/mounts` listing, if it is a
/// network filesystem.
fn network_mount(mounts: &str, folder: &Path) -> Option<String> {
    let (_, kind) = mounts
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let (_, point, kind) = (fields.next()?, fields.next()?, fields.next()?);
            // Spaces in mount points are written as \040.
            let point = PathBuf::from(point.replace("\\040", " "));
            folder
                .starts_with(&point)
                .then(|| (point.as_os_str().len(), kind.to_owned()))
        })
        .max_by_key(|(len, _)| *len)?;
    const NETWORK: [&str; 12] = [
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "fuse.sshfs",
        "sshfs",
        "afs",
        "ceph",
        "glusterfs",
        "lustre",
        "9p",
    ];
    NETWORK.contains(&kind.as_str()).then_some(kind)
}

/// Unix time in milliseconds.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

impl Store {
    /// Opens the project at `path`, creating it (and its folder) when missing, and
    /// upgrading an older schema.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref();
        if let Some(url) = server_url(path)? {
            return Store::open_server(url);
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        if let Some(kind) = network_filesystem(path) {
            return Err(Error::Invalid(format!(
                "{} is on a network filesystem ({kind}), where SQLite's write-ahead log can corrupt a project \
                 that two machines open; keep projects on a local disk (`biaozhu backup` copies one safely) \
                 and share work through merge or the team server",
                path.display()
            )));
        }
        let conn = Connection::open(path)?;
        Store::init(conn, path.to_path_buf(), true)
    }

    /// Opens an existing project; a missing file is an error rather than a new project.
    pub fn open_existing(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref();
        if server_url(path)?.is_none() && !path.is_file() {
            return Err(Error::Invalid(format!(
                "no project at {} (create one with `biaozhu import --db {} FILES`)",
                path.display(),
                path.display()
            )));
        }
        Store::open(path)
    }

    /// A project that lives in memory only, for tests.
    pub fn open_in_memory() -> Result<Store> {
        Store::init(Connection::open_in_memory()?, PathBuf::from(":memory:"), false)
    }

    /// Opens the project in the PostgreSQL database at `url`, creating its tables in an
    /// empty database and upgrading older ones.
    pub fn open_server(url: &str) -> Result<Store> {
        let db = Db::Pg(Box::new(db::Pg::connect(url)?));
        migrations_pg::migrate(&db, url)?;
        let store = Store {
            db,
            path: PathBuf::from(without_password(url)),
            server_url: Some(url.to_owned()),
            viewer: None,
        };
        store.set_busy_timeout(DEFAULT_BUSY_TIMEOUT)?;
        Ok(store)
    }

    /// The server process of this connection, which names it in notifications
    /// ([`Listener::wait`]); `None` for a file.
    pub fn backend_pid(&self) -> Option<u32> {
        match &self.db {
            Db::Pg(pg) => Some(pg.backend_pid()),
            Db::Sqlite(_) => None,
        }
    }

    /// Where another connection opens this project: the file, or the server address with
    /// its password; `None` for a project in memory.
    pub fn location(&self) -> Option<PathBuf> {
        match &self.server_url {
            Some(url) => Some(PathBuf::from(url)),
            None => (self.path.as_os_str() != ":memory:").then(|| self.path.clone()),
        }
    }

    /// On a server, makes the document list's counts those of `annotator`'s layer (as the
    /// app shows it: their own, imports, and the suggestions they have not taken a copy of)
    /// instead of all layers together. A file's list counts its layers together, as before.
    pub fn set_viewer(&mut self, annotator: Option<&str>) {
        self.viewer = annotator.map(str::to_owned);
    }

    /// Whether the project lives on a server.
    pub fn is_server(&self) -> bool {
        self.db.is_pg()
    }

    /// The server address the project was opened with, password included, for a second
    /// connection (the app's watcher); `None` for a file.
    pub fn server_address(&self) -> Option<&str> {
        self.server_url.as_deref()
    }

    fn init(conn: Connection, path: PathBuf, on_disk: bool) -> Result<Store> {
        conn.busy_timeout(DEFAULT_BUSY_TIMEOUT)?;
        let not_a_project = |e: rusqlite::Error| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => Error::Invalid(format!(
                "{} is not a biaozhu project (not an SQLite file)",
                path.display()
            )),
            _ => Error::Sql(e),
        };
        if on_disk {
            // A file from a newer build is refused before anything about it changes.
            let found: i64 = conn
                .pragma_query_value(None, "user_version", |row| row.get(0))
                .map_err(not_a_project)?;
            if found > CURRENT_VERSION {
                return Err(Error::NewerSchema {
                    path,
                    found,
                    known: CURRENT_VERSION,
                });
            }
            let mode: String = conn
                .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
                .map_err(not_a_project)?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(Error::Invalid(format!(
                    "cannot use write-ahead logging for {} (journal mode {mode})",
                    path.display()
                )));
            }
            conn.pragma_update(None, "synchronous", "FULL")?;
        }
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let db = Db::Sqlite(conn);
        migrate(&db, &path)?;
        Ok(Store {
            db,
            path,
            server_url: None,
            viewer: None,
        })
    }

    /// How long a write waits for another connection's transaction before it fails with a
    /// busy error ([`Error::is_busy`]). The app waits briefly and retries, so that it never
    /// freezes behind a long import.
    pub fn set_busy_timeout(&self, timeout: std::time::Duration) -> Result<()> {
        match &self.db {
            Db::Sqlite(conn) => Ok(conn.busy_timeout(timeout)?),
            Db::Pg(_) => self
                .db
                .execute_batch(&format!("SET lock_timeout = {}", timeout.as_millis().max(1))),
        }
    }

    /// A number that changes when another connection (another program, or a background
    /// task of the app) commits to the project: SQLite's `PRAGMA data_version`. On a
    /// server it is the project's change counter, which every commit moves, this
    /// connection's too.
    pub fn data_version(&self) -> Result<i64> {
        match &self.db {
            Db::Sqlite(conn) => Ok(conn.pragma_query_value(None, "data_version", |row| row.get(0))?),
            Db::Pg(_) => migrations_pg::change_counter(&self.db),
        }
    }

    /// Where the project lives (`:memory:` for an in-memory one).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64> {
        match &self.db {
            Db::Sqlite(conn) => Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?),
            Db::Pg(_) => migrations_pg::version(&self.db),
        }
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        self.db
            .query_row("SELECT value FROM meta WHERE key = ?1", params![key], |row| row.get(0))
            .optional()
    }

    /// A setting of the person at this app rather than of the project: on a file the
    /// project's meta, as one person uses a file; on a server the meta of this login, so
    /// that one annotator's name, language or theme is not everyone's.
    pub fn personal_meta(&self, key: &str) -> Result<Option<String>> {
        self.meta(&self.personal_key(key)?)
    }

    /// Sets a [`Store::personal_meta`] setting.
    pub fn set_personal_meta(&mut self, key: &str, value: &str) -> Result<()> {
        let key = self.personal_key(key)?;
        self.set_meta(&key, value)
    }

    fn personal_key(&self, key: &str) -> Result<String> {
        if !self.db.is_pg() {
            return Ok(key.to_owned());
        }
        let login: String = self.db.query_row("SELECT session_user", params![], |row| row.get(0))?;
        Ok(format!("{key}@{login}"))
    }

    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        self.db.execute(
            "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    #[cfg(test)]
    pub(crate) fn network_mount_for_tests(mounts: &str, folder: &Path) -> Option<String> {
        network_mount(mounts, folder)
    }

    #[cfg(test)]
    pub(crate) fn db_for_tests(&self) -> &Db {
        &self.db
    }

    #[cfg(test)]
    pub(crate) fn connection(&mut self) -> &mut Connection {
        match &mut self.db {
            Db::Sqlite(conn) => conn,
            Db::Pg(_) => panic!("a test asked for the SQLite connection of a server project"),
        }
    }
}

fn migrate(db: &Db, path: &Path) -> Result<()> {
    let Some(conn) = db.sqlite() else { return Ok(()) };
    let found: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if found > CURRENT_VERSION {
        return Err(Error::NewerSchema {
            path: path.to_path_buf(),
            found,
            known: CURRENT_VERSION,
        });
    }
    if found == 0 {
        let n_tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0))?;
        if n_tables > 0 {
            return Err(Error::Invalid(format!(
                "{} is an SQLite file but not a biaozhu project",
                path.display()
            )));
        }
    }
    if found == CURRENT_VERSION {
        return Ok(());
    }
    // Each step reads the version again inside its write transaction: another process
    // opening the same file may have migrated it while this one waited for the lock.
    loop {
        let tx = db.write_transaction()?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
        let Some(sql) = migrations::MIGRATIONS.get(version.max(0) as usize) else {
            return Ok(());
        };
        conn.execute_batch(sql)?;
        let schema_version: i64 = conn.pragma_query_value(None, "schema_version", |row| row.get(0))?;
        conn.pragma_update(None, "schema_version", schema_version + 1)?;
        conn.pragma_update(None, "user_version", version + 1)?;
        if version == 0 {
            seed_default_schema(&tx)?;
        }
        tx.commit()?;
    }
}

fn seed_default_schema(conn: &Db) -> Result<()> {
    for (position, label) in crate::schema::default_labels().iter().enumerate() {
        rows::insert_label(conn, label, Some(position as i64))?;
    }
    for (position, kind) in crate::schema::default_relation_types().iter().enumerate() {
        rows::insert_relation_type(conn, kind, Some(position as i64))?;
    }
    conn.execute(
        "INSERT INTO meta(key, value) VALUES ('created_at_ms', ?1)",
        params![now_ms().to_string()],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests;

/// Fresh, empty projects on a test server, each in a schema of its own.
#[doc(hidden)]
pub mod test_server {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use crate::Result;

    /// The address of a new, empty schema in the database at `url`, which the project's
    /// tables go into (`search_path`). The cluster is a throwaway one: nothing drops them.
    pub fn fresh_schema(url: &str) -> Result<String> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let schema = format!(
            "t{}_{}_{}",
            std::process::id(),
            super::now_ms(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut client = super::migrations_pg::connect(url)?;
        // The extension is the database's, made once, in `public`, which every schema sees.
        // Each its own transaction: the lock is let go only after the extension committed
        // (statements sent together would run as one, unlocking before the commit).
        client.batch_execute("SELECT pg_advisory_lock(hashtext('biaozhu:migrate'))")?;
        client.batch_execute("CREATE EXTENSION IF NOT EXISTS btree_gist SCHEMA public")?;
        client.batch_execute("SELECT pg_advisory_unlock(hashtext('biaozhu:migrate'))")?;
        client.batch_execute(&format!("CREATE SCHEMA {schema}"))?;
        let separator = if url.contains('?') { '&' } else { '?' };
        Ok(format!("{url}{separator}options=-csearch_path%3D{schema},public"))
    }
}

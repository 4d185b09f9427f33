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
mod documents;
mod edit;
mod import;
mod list;
mod merge;
mod migrations;
mod models;
mod rows;
mod schema;
mod schema_edit;
mod stats;
mod suggestions;

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OptionalExtension as _, params};
use sha2::{Digest as _, Sha256};

pub use edit::{Edit, LoggedAction};
pub use import::{ImportSummary, OnConflict, SkippedDocument};
pub use list::DocumentSummary;
pub use merge::MergeSummary;
pub use migrations::CURRENT_VERSION;
pub use models::{TrainingLayers, TrainingSet};
pub use schema::ANNOTATOR_META_KEY;
pub use stats::ProjectStats;
pub use suggestions::{DocumentSuggestions, SuggestionChange, TextLabel};

use crate::{Error, Result};

/// An open project file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
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

/// A write transaction, begun IMMEDIATE: it takes the write lock at once, so a second
/// writer waits its turn (the busy timeout) instead of failing when it first writes.
fn write_transaction(conn: &mut Connection) -> rusqlite::Result<rusqlite::Transaction<'_>> {
    conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
}

/// A `--db` like `postgres://host/db` names a server, not a file: no scheme is supported
/// yet, and making a file of that name would hide the mistake.
fn refuse_urls(path: &Path) -> Result<()> {
    let text = path.to_string_lossy();
    if let Some((scheme, _)) = text.split_once("://")
        && !scheme.is_empty()
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    {
        return Err(Error::Invalid(format!(
            "{text} looks like a {scheme}:// address; this build opens project files only (no server scheme is supported)"
        )));
    }
    Ok(())
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
        refuse_urls(path)?;
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
        if !path.is_file() {
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

    fn init(mut conn: Connection, path: PathBuf, on_disk: bool) -> Result<Store> {
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
        migrate(&mut conn, &path)?;
        Ok(Store { conn, path })
    }

    /// How long a write waits for another connection's transaction before it fails with a
    /// busy error ([`Error::is_busy`]). The app waits briefly and retries, so that it never
    /// freezes behind a long import.
    pub fn set_busy_timeout(&self, timeout: std::time::Duration) -> Result<()> {
        Ok(self.conn.busy_timeout(timeout)?)
    }

    /// A number that changes when another connection (another program, or a background
    /// task of the app) commits to the project: SQLite's `PRAGMA data_version`.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "data_version", |row| row.get(0))?)
    }

    /// Where the project lives (`:memory:` for an in-memory one).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| row.get(0))
            .optional()?)
    }

    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
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
    pub(crate) fn connection(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
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
        let tx = write_transaction(conn)?;
        let version: i64 = tx.pragma_query_value(None, "user_version", |row| row.get(0))?;
        let Some(sql) = migrations::MIGRATIONS.get(version.max(0) as usize) else {
            return Ok(());
        };
        tx.execute_batch(sql)?;
        let schema_version: i64 = tx.pragma_query_value(None, "schema_version", |row| row.get(0))?;
        tx.pragma_update(None, "schema_version", schema_version + 1)?;
        tx.pragma_update(None, "user_version", version + 1)?;
        if version == 0 {
            seed_default_schema(&tx)?;
        }
        tx.commit()?;
    }
}

fn seed_default_schema(conn: &Connection) -> Result<()> {
    for (position, label) in crate::schema::default_labels().iter().enumerate() {
        rows::insert_label(conn, label, Some(position as i64))?;
    }
    for (position, kind) in crate::schema::default_relation_types().iter().enumerate() {
        rows::insert_relation_type(conn, kind, Some(position as i64))?;
    }
    conn.execute(
        "INSERT INTO meta(key, value) VALUES ('created_at_ms', ?1)",
        [now_ms().to_string()],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests;

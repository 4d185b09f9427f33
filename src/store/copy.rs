//! Copying a project file, with what its write-ahead log holds, without changing it.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::Store;
use super::db::{AnyValue, Db, params};
use crate::{Error, Result};

impl Store {
    /// Writes a consistent copy of the project at `from` to `to` (which must not exist),
    /// committed transactions in the write-ahead log included, with `VACUUM INTO`. `from`
    /// is opened read-only and not migrated, so it stays as it was, byte for byte.
    pub fn copy_file(from: &Path, to: &Path) -> Result<()> {
        if !from.is_file() {
            return Err(Error::Invalid(format!("no project at {}", from.display())));
        }
        if to.exists() {
            return Err(Error::Invalid(format!("{} exists already", to.display())));
        }
        let conn = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let to = to
            .to_str()
            .ok_or_else(|| Error::Invalid(format!("{} is not a UTF-8 path", to.display())))?;
        conn.execute("VACUUM INTO ?1", [to])?;
        Ok(())
    }
}

impl Store {
    /// A backup of the project at `from` as one self-contained file at `to`, safe while other
    /// processes (the app) write to it: a consistent snapshot, write-ahead log included
    /// ([`Store::copy_file`]), written beside `to`, checked with SQLite's `quick_check`,
    /// synced and renamed into place, so `to` is the old file or the whole new copy.
    /// Returns the number of documents and entities in the copy.
    pub fn backup(from: &Path, to: &Path) -> Result<(usize, usize)> {
        if super::server_url(from)?.is_some() {
            let server = Store::open_existing(from)?;
            return server.backup_to_file(to);
        }
        let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        };
        if same(from, to) {
            return Err(Error::Invalid(format!(
                "refusing to back {} up onto itself",
                from.display()
            )));
        }
        let partial = partial_beside(to)?;
        Store::write_checked_copy(from, to, &partial, |partial| Store::copy_file(from, partial))
    }

    /// A server project as one project file at `to`, every table with its ids, read in one
    /// snapshot of the server (a `REPEATABLE READ` transaction), so that what others
    /// commit meanwhile is in it whole or not at all. Checked and renamed into place as
    /// [`Store::backup`] does.
    pub fn backup_to_file(&self, to: &Path) -> Result<(usize, usize)> {
        let partial = partial_beside(to)?;
        Store::write_checked_copy(&self.path, to, &partial, |partial| {
            let file = Store::open(partial)?;
            self.db
                .execute_batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
            let copied = copy_tables(&self.db, &file.db);
            self.db.execute_batch("COMMIT")?;
            copied
        })
    }

    fn write_checked_copy(
        from: &Path,
        to: &Path,
        partial: &Path,
        write: impl FnOnce(&Path) -> Result<()>,
    ) -> Result<(usize, usize)> {
        let partial = partial.to_path_buf();
        let copied = (|| -> Result<(usize, usize)> {
            write(&partial)?;
            let conn = Connection::open_with_flags(&partial, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            let verdict: String = conn.query_row("PRAGMA quick_check", [], |row| row.get(0))?;
            if verdict != "ok" {
                return Err(Error::Invalid(format!(
                    "the copy of {} fails SQLite's check: {verdict}",
                    from.display()
                )));
            }
            let count = |table: &str| -> Result<usize> {
                Ok(conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |row| row.get::<_, i64>(0))? as usize)
            };
            let counts = (count("documents")?, count("entities")?);
            drop(conn);
            std::fs::File::open(&partial)
                .and_then(|f| f.sync_all())
                .map_err(|e| Error::io(&partial, e))?;
            Ok(counts)
        })();
        match copied {
            Ok(counts) => {
                std::fs::rename(&partial, to).map_err(|e| Error::io(to, e))?;
                Ok(counts)
            }
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                Err(e)
            }
        }
    }
}

/// Where a copy to `to` is written before it is renamed into place: beside it (its folder
/// made when missing), under a name of this process, nothing left there from before.
fn partial_beside(to: &Path) -> Result<std::path::PathBuf> {
    if let Some(parent) = to.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let name = to
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let partial = to.with_file_name(format!(".{name}.partial-{}", std::process::id()));
    let _ = std::fs::remove_file(&partial);
    Ok(partial)
}

/// Every table a project file holds, with its columns; `document_counts` follows from the
/// rows by the file's triggers.
const TABLES: &[(&str, &str)] = &[
    ("meta", "key, value"),
    ("labels", "name, display_name, color, hotkey, description, position"),
    (
        "relation_types",
        "name, description, head_labels, tail_labels, hotkey, position",
    ),
    ("user_dict", "word, freq, pos"),
    (
        "documents",
        "id, name, source_path, content_hash, text, status, metadata, encoding, created_at_ms, updated_at_ms",
    ),
    (
        "entities",
        "id, document_id, char_start, char_end, label, status, source, annotator, created_at_ms, updated_at_ms, confidence",
    ),
    (
        "relations",
        "id, document_id, head_id, tail_id, kind, status, source, annotator, created_at_ms, updated_at_ms",
    ),
    (
        "edit_log",
        "id, action, annotator, document_id, ops, undone, created_at_ms",
    ),
    (
        "models",
        "id, created_at_ms, feature_version, n_documents, n_sentences, labels, dev_f1_model, dev_f1_rules, report, bytes",
    ),
    ("labelled_layers", "document_id, annotator"),
];

/// Copies every row of `from` into the new project `to` in one transaction, replacing the
/// schema a new project starts with.
fn copy_tables(from: &Db, to: &Db) -> Result<()> {
    let tx = to.write_transaction()?;
    tx.execute_batch("DELETE FROM meta; DELETE FROM labels; DELETE FROM relation_types;")?;
    for (table, columns) in TABLES {
        let n_columns = columns.split(',').count();
        let placeholders: Vec<String> = (1..=n_columns).map(|i| format!("?{i}")).collect();
        let mut insert = tx.prepare(&format!(
            "INSERT INTO {table}({columns}) VALUES ({})",
            placeholders.join(", ")
        ))?;
        let mut select = from.prepare(&format!("SELECT {columns} FROM {table} ORDER BY 1"))?;
        select.for_each(params![], |row| {
            let values = (0..n_columns)
                .map(|i| row.get::<AnyValue>(i))
                .collect::<Result<Vec<_>>>()?;
            let refs: Vec<&dyn super::db::ToValue> = values.iter().map(|v| v as &dyn super::db::ToValue).collect();
            insert.execute(&refs)?;
            Ok(())
        })?;
    }
    tx.commit()
}

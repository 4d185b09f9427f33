//! Copying a project file, with what its write-ahead log holds, without changing it.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::Store;
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
        if let Some(parent) = to.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let name = to
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let partial = to.with_file_name(format!(".{name}.partial-{}", std::process::id()));
        let _ = std::fs::remove_file(&partial);
        let copied = (|| -> Result<(usize, usize)> {
            Store::copy_file(from, &partial)?;
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

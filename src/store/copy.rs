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

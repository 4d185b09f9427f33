//! Project-wide counts for the statistics view. Read-only.

use super::db::params;
use std::collections::BTreeMap;

use super::Store;
use crate::Result;
use crate::model::Status;

/// Counts over the whole project.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectStats {
    pub n_documents: usize,
    pub n_chars: usize,
    /// Documents per status.
    pub documents_by_status: BTreeMap<String, usize>,
    /// Entities per label, then per status.
    pub entities: BTreeMap<String, BTreeMap<String, usize>>,
    /// Relations per type, then per status.
    pub relations: BTreeMap<String, BTreeMap<String, usize>>,
}

impl Store {
    /// Project-wide counts.
    pub fn stats(&self) -> Result<ProjectStats> {
        let mut stats = ProjectStats::default();
        let (n_documents, n_chars): (i64, i64) = self.db.query_row(
            "SELECT count(*), coalesce(sum(length(text)), 0) FROM documents",
            params![],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        stats.n_documents = n_documents as usize;
        stats.n_chars = n_chars as usize;
        let grouped = |sql: &str| -> Result<Vec<(String, String, usize)>> {
            let mut stmt = self.db.prepare(sql)?;
            let rows = stmt.query_map(params![], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get::<i64>(2)? as usize))
            })?;
            rows.collect::<Result<_>>()
        };
        for (status, _, n) in grouped("SELECT status, '', count(*) FROM documents GROUP BY status")? {
            stats.documents_by_status.insert(status, n);
        }
        for (label, status, n) in grouped("SELECT label, status, count(*) FROM entities GROUP BY label, status")? {
            stats.entities.entry(label).or_default().insert(status, n);
        }
        for (kind, status, n) in grouped("SELECT kind, status, count(*) FROM relations GROUP BY kind, status")? {
            stats.relations.entry(kind).or_default().insert(status, n);
        }
        Ok(stats)
    }

    /// When each accepted entity was last changed, Unix ms, oldest first: the curve of work done.
    pub fn accepted_times(&self) -> Result<Vec<i64>> {
        let mut stmt = self
            .db
            .prepare("SELECT updated_at_ms FROM entities WHERE status = ?1 ORDER BY updated_at_ms")?;
        let rows = stmt.query_map(params![Status::Accepted.as_str()], |row| row.get(0))?;
        rows.collect::<Result<_>>()
    }

    /// How many edit log rows each annotator has, undone ones included.
    pub fn edit_log_counts(&self) -> Result<std::collections::HashMap<String, usize>> {
        let mut stmt = self
            .db
            .prepare("SELECT annotator, count(*) FROM edit_log GROUP BY annotator")?;
        let rows = stmt.query_map(params![], |row| Ok((row.get(0)?, row.get::<usize>(1)?)))?;
        rows.collect()
    }
}

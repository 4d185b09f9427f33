//! The document list, read a page at a time: summaries with their entity counts (kept per
//! document by the triggers of schema version 4, so no query here scans the entities) and
//! relation suggestions (counted per line through the relations' document index),
//! filtered by name and ordered by id in SQL, and the next document to do. Nothing here
//! writes.

use super::db::{OptionalExtension as _, Row, params};

use super::Store;
use super::rows::parse_doc_status;
use crate::Result;
use crate::model::{DocStatus, DocumentId};

/// A line of the document list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentSummary {
    pub id: DocumentId,
    pub name: String,
    pub status: DocStatus,
    pub n_chars: usize,
    pub n_suggested: usize,
    pub n_accepted: usize,
    pub n_rejected: usize,
    /// Relation suggestions, counted through the relations' document index.
    pub n_suggested_relations: usize,
}

/// The columns of a summary, over `documents d` joined to its counts `c`.
const SUMMARY_COLUMNS: &str = "d.id, d.name, d.status, length(d.text),
    coalesce(c.n_suggested, 0), coalesce(c.n_accepted, 0), coalesce(c.n_rejected, 0),
    (SELECT count(*) FROM relations r WHERE r.document_id = d.id AND r.status = 'suggested')";

/// The four counts of a summary (suggested, accepted and rejected entities, suggested
/// relations) as one annotator sees them on a server: their own layer, imports, and the
/// pre-tagger's suggestions until they take their own copy.
fn layer_counts(annotator: &str) -> String {
    let me = format!("'{}'", annotator.replace('\'', "''"));
    let layer = |x: &str| {
        format!(
            "({x}.annotator IN ({me}, 'import') OR ({x}.annotator = 'pretag' AND NOT EXISTS
                (SELECT 1 FROM own_suggestions o WHERE o.document_id = d.id AND o.annotator = {me})))"
        )
    };
    let entities = |status: &str| {
        format!(
            "(SELECT count(*) FROM entities e WHERE e.document_id = d.id AND e.status = '{status}' AND {})",
            layer("e")
        )
    };
    format!(
        "{}, {}, {}, (SELECT count(*) FROM relations r WHERE r.document_id = d.id AND r.status = 'suggested' AND {})",
        entities("suggested"),
        entities("accepted"),
        entities("rejected"),
        layer("r")
    )
}

/// Documents whose name contains `?1` (every document for an empty filter), in id order,
/// through the narrow index of ids and names rather than the table with the texts.
const FILTERED_IDS: &str = "SELECT id FROM documents INDEXED BY documents_listed
    WHERE ?1 = '' OR instr(name, ?1) > 0";
/// [`FILTERED_IDS`] on a server, which takes no index hints and spells `instr` `strpos`.
const FILTERED_IDS_PG: &str = "SELECT id FROM documents WHERE ?1 = '' OR strpos(name, ?1) > 0";

fn summary_from_row(row: &Row) -> Result<DocumentSummary> {
    let count = |i: usize| -> Result<usize> { Ok(row.get::<i64>(i)?.max(0) as usize) };
    Ok(DocumentSummary {
        id: DocumentId(row.get(0)?),
        name: row.get(1)?,
        status: parse_doc_status(row, 2)?,
        n_chars: count(3)?,
        n_suggested: count(4)?,
        n_accepted: count(5)?,
        n_rejected: count(6)?,
        n_suggested_relations: count(7)?,
    })
}

impl Store {
    /// The summary columns: on a server with a viewer, counted in the viewer's layer.
    fn summary_columns(&self) -> String {
        match (&self.viewer, self.db.is_pg()) {
            (Some(viewer), true) => format!("d.id, d.name, d.status, length(d.text), {}", layer_counts(viewer)),
            _ => SUMMARY_COLUMNS.to_owned(),
        }
    }

    fn progress_columns(&self) -> String {
        match (&self.viewer, self.db.is_pg()) {
            (Some(viewer), true) => layer_counts(viewer),
            _ => "coalesce(c.n_suggested, 0), coalesce(c.n_accepted, 0), coalesce(c.n_rejected, 0),
                 (SELECT count(*) FROM relations r WHERE r.document_id = d.id AND r.status = 'suggested')"
                .to_owned(),
        }
    }

    fn filtered_ids(&self) -> &'static str {
        if self.db.is_pg() { FILTERED_IDS_PG } else { FILTERED_IDS }
    }

    /// Every document, in id order, with its annotation counts. The list in the app reads
    /// [`Store::document_page`] instead; this is for work on the whole project.
    pub fn documents(&self) -> Result<Vec<DocumentSummary>> {
        let summary_columns = self.summary_columns();
        let mut stmt = self.db.prepare(&format!(
            "SELECT {summary_columns} FROM documents d
             LEFT JOIN document_counts c ON c.document_id = d.id ORDER BY d.id"
        ))?;
        let rows = stmt.query_map(params![], summary_from_row)?;
        rows.collect::<Result<_>>()
    }

    /// One document's line of the list.
    pub fn document_summary(&self, id: DocumentId) -> Result<DocumentSummary> {
        let summary_columns = self.summary_columns();
        let mut stmt = self.db.prepare_cached(&format!(
            "SELECT {summary_columns} FROM documents d
             LEFT JOIN document_counts c ON c.document_id = d.id WHERE d.id = ?1"
        ))?;
        stmt.query_row(params![id.0], summary_from_row)
            .optional()?
            .ok_or_else(|| crate::Error::Invalid(format!("no document {}", id.0)))
    }

    /// How many documents have a name containing `filter` (all of them for `""`).
    pub fn document_count(&self, filter: &str) -> Result<usize> {
        let mut stmt = self
            .db
            .prepare_cached(&format!("SELECT count(*) FROM ({}) AS f", self.filtered_ids()))?;
        Ok(stmt.query_row(params![filter], |row| row.get::<i64>(0))? as usize)
    }

    /// Up to `limit` lines of the list from position `offset`, among the documents whose
    /// name contains `filter`, in id order.
    pub fn document_page(&self, filter: &str, offset: usize, limit: usize) -> Result<Vec<DocumentSummary>> {
        let summary_columns = self.summary_columns();
        let mut stmt = self.db.prepare_cached(&format!(
            "SELECT {summary_columns}
             FROM ({} ORDER BY id LIMIT ?2 OFFSET ?3) AS page
             JOIN documents d ON d.id = page.id
             LEFT JOIN document_counts c ON c.document_id = d.id
             ORDER BY d.id",
            self.filtered_ids()
        ))?;
        let rows = stmt.query_map(params![filter, limit as i64, offset as i64], summary_from_row)?;
        rows.collect::<Result<_>>()
    }

    /// The status and counts of the documents from `first` to `last` (ids, both included)
    /// whose name contains `filter`, in id order: what an edit can change of a page of lines,
    /// read again in one query, without the texts.
    pub fn document_progress(
        &self,
        filter: &str,
        first: DocumentId,
        last: DocumentId,
    ) -> Result<Vec<(DocumentId, DocStatus, [usize; 4])>> {
        let name_filter = if self.db.is_pg() {
            "strpos(d.name, ?1) > 0"
        } else {
            "instr(d.name, ?1) > 0"
        };
        let mut stmt = self.db.prepare_cached(&format!(
            "SELECT d.id, d.status, {}
             FROM documents d
             LEFT JOIN document_counts c ON c.document_id = d.id
             WHERE d.id BETWEEN ?2 AND ?3 AND (?1 = '' OR {name_filter})
             ORDER BY d.id",
            self.progress_columns()
        ))?;
        let rows = stmt.query_map(params![filter, first.0, last.0], |row| {
            let count = |i: usize| -> Result<usize> { Ok(row.get::<i64>(i)?.max(0) as usize) };
            Ok((
                DocumentId(row.get(0)?),
                parse_doc_status(row, 1)?,
                [count(2)?, count(3)?, count(4)?, count(5)?],
            ))
        })?;
        rows.collect::<Result<_>>()
    }

    /// The first document after `after` (from the start for `None`) that is not done, in id
    /// order: one index seek per status.
    pub fn next_document_to_do(&self, after: Option<DocumentId>) -> Result<Option<DocumentId>> {
        let mut stmt = self.db.prepare_cached(
            "SELECT min(id) FROM (
                 SELECT (SELECT id FROM documents WHERE status = ?1 AND id > ?3 ORDER BY id LIMIT 1) AS id
                 UNION ALL
                 SELECT (SELECT id FROM documents WHERE status = ?2 AND id > ?3 ORDER BY id LIMIT 1)
             ) AS next",
        )?;
        let id: Option<i64> = stmt.query_row(
            params![
                DocStatus::New.as_str(),
                DocStatus::InProgress.as_str(),
                after.map_or(i64::MIN, |id| id.0)
            ],
            |row| row.get(0),
        )?;
        Ok(id.map(DocumentId))
    }

    /// The document with the smallest id, if there is one.
    pub fn first_document(&self) -> Result<Option<DocumentId>> {
        let id: Option<i64> = self
            .db
            .query_row("SELECT min(id) FROM documents", params![], |row| row.get(0))?;
        Ok(id.map(DocumentId))
    }
}

impl Store {
    /// The documents whose name contains `filter`, most uncertain first: those with
    /// suggestions by the lowest confidence among them (the pre-tagger's least sure span),
    /// then the rest in id order. One pass over the suggestions: the app takes it as a
    /// snapshot when the annotator picks this order, so the list does not move under them.
    pub fn documents_by_uncertainty(&self, filter: &str) -> Result<Vec<(DocumentId, Option<f64>)>> {
        let mut stmt = self.db.prepare(&format!(
            "SELECT f.id, u.min_confidence FROM ({}) AS f
             LEFT JOIN (SELECT document_id, min(confidence) AS min_confidence FROM entities
                        WHERE status = ?2 AND confidence IS NOT NULL GROUP BY document_id) AS u
             ON u.document_id = f.id
             ORDER BY u.min_confidence IS NULL, u.min_confidence, f.id",
            self.filtered_ids()
        ))?;
        let rows = stmt.query_map(params![filter, crate::model::Status::Suggested.as_str()], |row| {
            Ok((DocumentId(row.get(0)?), row.get(1)?))
        })?;
        rows.collect::<Result<_>>()
    }

    /// The list lines of `ids`, in that order; ids that name no document are left out.
    pub fn document_summaries(&self, ids: &[DocumentId]) -> Result<Vec<DocumentSummary>> {
        let summary_columns = self.summary_columns();
        let mut stmt = self.db.prepare_cached(&format!(
            "SELECT {summary_columns} FROM documents d
             LEFT JOIN document_counts c ON c.document_id = d.id WHERE d.id = ?1"
        ))?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(summary) = stmt.query_row(params![id.0], summary_from_row).optional()? {
                out.push(summary);
            }
        }
        Ok(out)
    }
}

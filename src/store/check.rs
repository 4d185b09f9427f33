//! The dataset invariants of [`crate::integrity`], enforced: every write path calls
//! [`require_valid`] on the documents it touched, inside its transaction, and
//! [`Store::check`] runs every check over the whole file, reading rows directly.

use std::collections::{BTreeSet, HashSet};

use super::db::{Db, params};

use super::rows::{ENTITY_COLUMNS, RELATION_COLUMNS, entity_from_row, relation_from_row};
use super::{Store, content_hash};
use crate::integrity::{Violation, ViolationKind, check_document, check_labels, check_schema, summarize};
use crate::model::{DocumentId, Entity, Relation, RelationType};
use crate::{Error, Result};

/// A document's entities and relations, every status.
pub(super) fn annotations(conn: &Db, document_id: DocumentId) -> Result<(Vec<Entity>, Vec<Relation>)> {
    let entities = conn
        .prepare_cached(&format!(
            "SELECT {ENTITY_COLUMNS} FROM entities WHERE document_id = +?1 ORDER BY char_start, char_end, id"
        ))?
        .query_map(params![document_id.0], entity_from_row)?
        .collect::<Result<_>>()?;
    let relations = conn
        .prepare_cached(&format!(
            "SELECT {RELATION_COLUMNS} FROM relations WHERE document_id = +?1 ORDER BY id"
        ))?
        .query_map(params![document_id.0], relation_from_row)?
        .collect::<Result<_>>()?;
    Ok((entities, relations))
}

fn relation_types(conn: &Db) -> Result<Vec<RelationType>> {
    Ok(super::schema::relation_types_placed(conn)?
        .into_iter()
        .map(|(t, _)| t)
        .collect())
}

/// The invariant violations of the given documents, as stored in `conn` now: one query
/// for the relation types, two per document.
pub(super) fn violations(conn: &Db, documents: &BTreeSet<DocumentId>) -> Result<Vec<Violation>> {
    if documents.is_empty() {
        return Ok(Vec::new());
    }
    let types = relation_types(conn)?;
    let mut found = Vec::new();
    for &document_id in documents {
        let (entities, relations) = annotations(conn, document_id)?;
        found.extend(check_document(document_id, &entities, &relations, &types));
    }
    Ok(found)
}

/// Refuses, with an [`Error::Invalid`] naming what breaks, a write that leaves any of
/// `documents` in violation of the invariants. The caller's transaction then rolls back.
pub(super) fn require_valid(conn: &Db, what: &str, documents: &BTreeSet<DocumentId>) -> Result<()> {
    let found = violations(conn, documents)?;
    if found.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(format!(
            "{what} would break the dataset: {}",
            summarize(&found)
        )))
    }
}

impl Store {
    /// Checks the whole project, reading every row as it is in the file: SQLite's
    /// integrity and foreign key checks, each document's content hash, every invariant of
    /// [`crate::integrity`] in every document, and the schema's consistency. Relies on
    /// nothing the write paths enforce.
    pub fn check(&self) -> Result<Vec<Violation>> {
        let conn = &self.db;
        let mut found = Vec::new();
        let database = |detail: String| Violation::new(ViolationKind::Database, None, detail);
        // A server keeps its foreign keys and pages itself; only a file is asked.
        if !conn.is_pg() {
            let integrity: Vec<String> = conn
                .prepare("PRAGMA integrity_check")?
                .query_map(params![], |row| row.get(0))?
                .collect::<Result<_>>()?;
            found.extend(
                integrity
                    .into_iter()
                    .filter(|line| line != "ok")
                    .map(|line| database(format!("integrity check: {line}"))),
            );
            let foreign: Vec<(String, Option<i64>, String)> = conn
                .prepare("PRAGMA foreign_key_check")?
                .query_map(params![], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
                .collect::<Result<_>>()?;
            found.extend(foreign.into_iter().map(|(table, rowid, parent)| {
                let row = rowid.map_or_else(|| "a row".to_owned(), |id| format!("row {id}"));
                database(format!(
                    "foreign key check: {row} of {table} points at a missing {parent} row"
                ))
            }));
        }

        let labels = super::schema::labels_placed(conn)?
            .into_iter()
            .map(|(l, _)| l)
            .collect::<Vec<_>>();
        let types = relation_types(conn)?;
        found.extend(check_schema(&labels, &types));
        let label_names: HashSet<&str> = labels.iter().map(|l| l.name.as_str()).collect();

        let documents: Vec<(i64, String, String)> = conn
            .prepare("SELECT id, content_hash, text FROM documents ORDER BY id")?
            .query_map(params![], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
            .collect::<Result<_>>()?;
        for (id, stored_hash, text) in documents {
            let document_id = DocumentId(id);
            let actual = content_hash(&text);
            if actual != stored_hash {
                found.push(Violation::new(
                    ViolationKind::ContentHash,
                    Some(document_id),
                    format!("stored hash {stored_hash} is not the text's SHA-256 {actual}"),
                ));
            }
            let (entities, relations) = annotations(conn, document_id)?;
            found.extend(check_labels(document_id, &entities, &label_names));
            found.extend(check_document(document_id, &entities, &relations, &types));
        }
        // Annotations whose document is gone, which the per-document queries cannot see.
        let orphans: Vec<(String, i64, i64)> = conn
            .prepare(
                "SELECT 'entity', id, document_id FROM entities WHERE document_id NOT IN (SELECT id FROM documents)
                 UNION ALL
                 SELECT 'relation', id, document_id FROM relations WHERE document_id NOT IN (SELECT id FROM documents)",
            )?
            .query_map(params![], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
            .collect::<Result<_>>()?;
        found.extend(orphans.into_iter().map(|(what, id, document)| {
            database(format!(
                "{what} {id} belongs to document {document}, which does not exist"
            ))
        }));
        // The document list's counts, which triggers keep, against a recount.
        let drifted: Vec<(i64, i64, i64, i64, i64, i64, i64)> = conn
            .prepare(
                "SELECT d.id, coalesce(c.n_suggested, -1), coalesce(c.n_accepted, -1), coalesce(c.n_rejected, -1),
                        coalesce(x.n_suggested, 0), coalesce(x.n_accepted, 0), coalesce(x.n_rejected, 0)
                 FROM documents d
                 LEFT JOIN document_counts c ON c.document_id = d.id
                 LEFT JOIN (
                     SELECT document_id, count(*) FILTER (WHERE status = ?1) AS n_suggested,
                            count(*) FILTER (WHERE status = ?2) AS n_accepted,
                            count(*) FILTER (WHERE status = ?3) AS n_rejected
                     FROM entities GROUP BY document_id
                 ) x ON x.document_id = d.id",
            )?
            .query_map(
                params![
                    crate::model::Status::Suggested.as_str(),
                    crate::model::Status::Accepted.as_str(),
                    crate::model::Status::Rejected.as_str()
                ],
                |row| {
                    Ok((
                        row.get(0)?,
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                        row.get(5)?,
                        row.get(6)?,
                    ))
                },
            )?
            .filter(|row| {
                row.as_ref()
                    .map_or(true, |(_, s, a, r, s2, a2, r2)| (s, a, r) != (s2, a2, r2))
            })
            .collect::<Result<_>>()?;
        found.extend(drifted.into_iter().map(|(id, s, a, r, s2, a2, r2)| {
            Violation::new(
                ViolationKind::Database,
                Some(DocumentId(id)),
                format!(
                    "the document list counts {s} suggested, {a} accepted, {r} rejected, \
                     but there are {s2}, {a2} and {r2}"
                ),
            )
        }));
        Ok(found)
    }
}

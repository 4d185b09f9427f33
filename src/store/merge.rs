//! Merging another project into this one. Idempotent: an annotation already here is
//! never added twice. Not logged: a merge is undone by keeping a copy of the file.

use std::collections::{BTreeSet, HashMap};

use super::db::{OptionalExtension as _, params};

use super::Store;
use super::rows::{self, DocumentRow, EntityRow, RelationRow, fallback_label, fallback_relation_type};
use crate::Result;
use crate::model::{DocumentId, EntityId, StatusFilter};

/// What [`Store::merge`] added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeSummary {
    pub n_documents_added: usize,
    pub n_entities_added: usize,
    pub n_relations_added: usize,
    pub labels_added: Vec<String>,
}

impl Store {
    /// Brings every document, entity and relation of `source` into this project in one
    /// transaction. Documents are matched by content hash; annotations keep their
    /// annotator, status, source and times, and one already here (same span, label,
    /// annotator and status; same ends, type, annotator and status) is not added twice,
    /// so merging again changes nothing. A merge that would break the dataset invariants in
    /// any document (an overlap in one annotator's layer, say) is refused whole.
    pub fn merge(&mut self, source: &Store) -> Result<MergeSummary> {
        let mut summary = MergeSummary::default();
        let source_documents = source.documents()?;
        let tx = self.bulk_transaction("merging")?;
        for summary_row in &source_documents {
            let document = source.document(summary_row.id)?;
            let existing: Option<i64> = tx
                .prepare_cached("SELECT id FROM documents WHERE content_hash = ?1")?
                .query_row(params![&document.content_hash], |row| row.get(0))
                .optional()?;
            let target_id = match existing {
                Some(id) => {
                    tx.lock_document(id)?;
                    DocumentId(id)
                }
                None => {
                    summary.n_documents_added += 1;
                    rows::insert_document(
                        &tx,
                        &DocumentRow {
                            name: &document.name,
                            source_path: document.source_path.as_deref(),
                            content_hash: &document.content_hash,
                            text: &document.text,
                            status: document.status,
                            metadata: &document.metadata,
                            encoding: &document.encoding,
                            created_at_ms: document.created_at_ms,
                            updated_at_ms: document.updated_at_ms,
                        },
                    )?
                }
            };
            let mut id_map: HashMap<EntityId, EntityId> = HashMap::new();
            for entity in source.entities(document.id, StatusFilter::All)? {
                let known: bool = tx
                    .prepare_cached("SELECT EXISTS(SELECT 1 FROM labels WHERE name = ?1)")?
                    .query_row(params![&entity.label], |row| row.get(0))?;
                if !known {
                    rows::insert_label(&tx, &fallback_label(&entity.label), None)?;
                    summary.labels_added.push(entity.label.clone());
                }
                let found: Option<i64> = tx
                    .prepare_cached(
                        "SELECT id FROM entities WHERE document_id = +?1 AND char_start = +?2 AND char_end = ?3
                         AND label = ?4 AND annotator = ?5 AND status = ?6",
                    )?
                    .query_row(
                        params![
                            target_id.0,
                            entity.char_start as i64,
                            entity.char_end as i64,
                            entity.label,
                            entity.annotator,
                            entity.status.as_str()
                        ],
                        |row| row.get(0),
                    )
                    .optional()?;
                let id = match found {
                    Some(id) => EntityId(id),
                    None => {
                        summary.n_entities_added += 1;
                        let row = EntityRow {
                            document_id: target_id,
                            ..EntityRow::of(&entity)
                        };
                        rows::insert_entity(&tx, &row)?
                    }
                };
                id_map.insert(entity.id, id);
            }
            for relation in source.relations(document.id, StatusFilter::All)? {
                let (Some(head), Some(tail)) = (id_map.get(&relation.head), id_map.get(&relation.tail)) else {
                    continue;
                };
                let known: bool = tx
                    .prepare_cached("SELECT EXISTS(SELECT 1 FROM relation_types WHERE name = ?1)")?
                    .query_row(params![&relation.kind], |row| row.get(0))?;
                if !known {
                    rows::insert_relation_type(&tx, &fallback_relation_type(&relation.kind), None)?;
                }
                let exists: bool = tx
                    .prepare_cached(
                        "SELECT EXISTS(SELECT 1 FROM relations WHERE head_id = +?1 AND tail_id = +?2 AND kind = ?3
                         AND annotator = ?4 AND status = ?5)",
                    )?
                    .query_row(
                        params![
                            head.0,
                            tail.0,
                            relation.kind,
                            relation.annotator,
                            relation.status.as_str()
                        ],
                        |row| row.get(0),
                    )?;
                if !exists {
                    let row = RelationRow {
                        document_id: target_id,
                        head: *head,
                        tail: *tail,
                        ..RelationRow::of(&relation)
                    };
                    rows::insert_relation(&tx, &row)?;
                    summary.n_relations_added += 1;
                }
            }
            for annotator in source.labelled_layers_of(document.id)? {
                rows::insert_labelled_layer(&tx, target_id, &annotator)?;
            }
            let what = format!("merging {}", document.name);
            super::check::require_valid(&tx, &what, &BTreeSet::from([target_id]))?;
        }
        tx.commit()?;
        Ok(summary)
    }
}

//! Importing documents with their annotations: one transaction, all or nothing. A text
//! already in the project (same content hash) is skipped.

use std::collections::HashSet;

use super::rows::{self, DocumentRow, EntityRow, RelationRow, fallback_label, fallback_relation_type};
use super::{Store, content_hash, now_ms};
use crate::model::{DocStatus, IndexedRelation, NewDocument, Status};
use crate::{Error, Result};

/// What one import transaction did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub n_documents_added: usize,
    /// Documents skipped because a document with the same text is already in the project.
    pub n_documents_unchanged: usize,
    pub n_entities_added: usize,
    pub n_relations_added: usize,
    /// Labels that were not in the schema and were added to it.
    pub labels_added: Vec<String>,
    /// Relation types that were not in the schema and were added to it, unconstrained.
    pub relation_types_added: Vec<String>,
}

impl Store {
    /// Imports documents with their annotations in one transaction: all of them or none.
    /// A document whose text is already in the project is skipped. Labels and relation
    /// types the schema lacks are added to it and reported.
    pub fn import_documents(
        &mut self,
        documents: &[NewDocument],
        on_progress: &mut dyn FnMut(usize),
    ) -> Result<ImportSummary> {
        let tx = super::write_transaction(&mut self.conn)?;
        let mut summary = ImportSummary::default();
        let mut known_labels: HashSet<String> = tx
            .prepare("SELECT name FROM labels")?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut known_types: HashSet<String> = tx
            .prepare("SELECT name FROM relation_types")?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut types = super::schema::relation_types_placed(&tx)?
            .into_iter()
            .map(|(t, _)| t)
            .collect::<Vec<_>>();
        let now = now_ms();
        {
            let mut exists = tx.prepare("SELECT 1 FROM documents WHERE content_hash = ?1")?;
            for (i, document) in documents.iter().enumerate() {
                let hash = content_hash(&document.text);
                if exists.exists([&hash])? {
                    summary.n_documents_unchanged += 1;
                    on_progress(i + 1);
                    continue;
                }
                let violations = crate::integrity::check_new_document(document, &types);
                if !violations.is_empty() {
                    return Err(Error::Invalid(format!(
                        "{} would break the dataset: {}",
                        document.name,
                        crate::integrity::summarize(&violations)
                    )));
                }
                let document_id = rows::insert_document(
                    &tx,
                    &DocumentRow {
                        name: &document.name,
                        source_path: document.source_path.as_deref(),
                        content_hash: &hash,
                        text: &document.text,
                        status: DocStatus::New,
                        metadata: &document.metadata,
                        encoding: &document.encoding,
                        created_at_ms: now,
                        updated_at_ms: now,
                    },
                )?;
                let mut entity_ids = Vec::with_capacity(document.entities.len());
                for entity in &document.entities {
                    if known_labels.insert(entity.label.clone()) {
                        rows::insert_label(&tx, &fallback_label(&entity.label), None)?;
                        summary.labels_added.push(entity.label.clone());
                    }
                    entity_ids.push(rows::insert_entity(&tx, &EntityRow::new(document_id, entity, now))?);
                }
                for IndexedRelation {
                    head,
                    tail,
                    kind,
                    source,
                    ..
                } in &document.relations
                {
                    let (Some(head_id), Some(tail_id)) = (entity_ids.get(*head), entity_ids.get(*tail)) else {
                        return Err(Error::Invalid(format!(
                            "relation {kind} in {} points at a missing entity",
                            document.name
                        )));
                    };
                    if known_types.insert(kind.clone()) {
                        let added = fallback_relation_type(kind);
                        rows::insert_relation_type(&tx, &added, None)?;
                        types.push(added);
                        summary.relation_types_added.push(kind.clone());
                    }
                    rows::insert_relation(
                        &tx,
                        &RelationRow {
                            document_id,
                            head: *head_id,
                            tail: *tail_id,
                            kind,
                            status: Status::Accepted,
                            source,
                            annotator: &document.relation_annotator,
                            created_at_ms: now,
                            updated_at_ms: now,
                        },
                    )?;
                }
                if document.labelled {
                    rows::insert_labelled_layer(&tx, document_id, &document.relation_annotator)?;
                }
                summary.n_documents_added += 1;
                summary.n_entities_added += document.entities.len();
                summary.n_relations_added += document.relations.len();
                on_progress(i + 1);
            }
        }
        tx.commit()?;
        Ok(summary)
    }
}

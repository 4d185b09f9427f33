//! Importing documents with their annotations: one transaction, all or nothing. A text
//! already in the project (same content hash) keeps its document, and the annotations it
//! lacks join it.

use super::db::params;
use std::collections::{HashMap, HashSet};

use super::rows::{self, DocumentRow, EntityRow, RelationRow, fallback_label, fallback_relation_type};
use super::{Store, content_hash, now_ms};
use crate::model::{
    DocStatus, DocumentId, Entity, EntityId, IndexedRelation, NewDocument, Relation, RelationId, RelationType, Status,
};
use crate::{Error, Result};

/// What import does with a document whose annotations break an invariant together with
/// those the project (or an earlier record of the same file) holds for its text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OnConflict {
    /// Refuse the whole import with an [`Error::Conflict`] naming the document.
    #[default]
    Refuse,
    /// Keep what is there, leave the document's annotations out and report it in
    /// [`ImportSummary::skipped`].
    Skip,
}

/// A document whose annotations were left out under [`OnConflict::Skip`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedDocument {
    /// The document's name, `FILE:LINE` for line formats.
    pub name: String,
    pub reason: String,
}

/// What one import transaction did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub n_documents_added: usize,
    /// Documents whose text the project had, which gained annotations (or a labelled layer).
    pub n_documents_extended: usize,
    /// Documents whose text and annotations the project already had.
    pub n_documents_unchanged: usize,
    pub n_entities_added: usize,
    pub n_relations_added: usize,
    /// Labels that were not in the schema and were added to it.
    pub labels_added: Vec<String>,
    /// Relation types that were not in the schema and were added to it, unconstrained.
    pub relation_types_added: Vec<String>,
    /// Documents left out under [`OnConflict::Skip`], in import order.
    pub skipped: Vec<SkippedDocument>,
}

/// The annotations of one imported document that the stored document lacks.
struct Addition<'a> {
    /// For each of the document's entities, the stored twin it is, or `None` to insert it.
    twins: Vec<Option<EntityId>>,
    /// The document's relations that are not stored yet, with their index in it.
    relations: Vec<(usize, &'a IndexedRelation)>,
}

impl Store {
    /// Imports documents with their annotations in one transaction: all of them or none.
    /// See [`Store::import_documents_with`]; a conflict refuses the import.
    pub fn import_documents(
        &mut self,
        documents: &[NewDocument],
        on_progress: &mut dyn FnMut(usize),
    ) -> Result<ImportSummary> {
        self.import_documents_with(documents, OnConflict::Refuse, on_progress)
    }

    /// Imports documents with their annotations in one transaction. A document whose text
    /// the project has adds to that document what it lacks: entities identical (span, label,
    /// annotator) to a live one there, and relations identical (ends and type) to a live
    /// one, are there already. Annotations that would break an invariant, alone or with those
    /// stored, are a conflict, handled as `on_conflict` says. Labels and relation types the
    /// schema lacks are added to it and reported.
    pub fn import_documents_with(
        &mut self,
        documents: &[NewDocument],
        on_conflict: OnConflict,
        on_progress: &mut dyn FnMut(usize),
    ) -> Result<ImportSummary> {
        let tx = self.bulk_transaction("importing")?;
        let mut summary = ImportSummary::default();
        let mut known_labels: HashSet<String> = tx
            .prepare("SELECT name FROM labels")?
            .query_map(params![], |row| row.get(0))?
            .collect::<Result<_>>()?;
        let mut types = super::schema::relation_types_placed(&tx)?
            .into_iter()
            .map(|(t, _)| t)
            .collect::<Vec<_>>();
        let now = now_ms();
        for (i, document) in documents.iter().enumerate() {
            let hash = content_hash(&document.text);
            let stored_id: Option<DocumentId> = tx
                .prepare_cached("SELECT id FROM documents WHERE content_hash = ?1 ORDER BY id LIMIT 1")?
                .query_map(params![&hash], |row| row.get(0).map(DocumentId))?
                .next()
                .transpose()?;
            let (stored_entities, stored_relations) = match stored_id {
                Some(id) => {
                    tx.lock_document(id.0)?;
                    super::check::annotations(&tx, id)?
                }
                None => (Vec::new(), Vec::new()),
            };
            let addition = addition(document, &stored_entities, &stored_relations);
            if let Err(message) = check_merged(
                stored_id.unwrap_or(DocumentId(0)),
                document,
                &addition,
                stored_entities,
                stored_relations,
                &types,
            ) {
                let message = match stored_id {
                    Some(id) => format!("together with the annotations of document {id}, {message}"),
                    None => message,
                };
                match on_conflict {
                    OnConflict::Refuse => {
                        return Err(Error::Conflict {
                            document: document.name.clone(),
                            message,
                        });
                    }
                    OnConflict::Skip => {
                        summary.skipped.push(SkippedDocument {
                            name: document.name.clone(),
                            reason: message,
                        });
                        on_progress(i + 1);
                        continue;
                    }
                }
            }
            let document_id = match stored_id {
                Some(id) => id,
                None => rows::insert_document(
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
                )?,
            };
            let mut entity_ids: Vec<Option<EntityId>> = Vec::with_capacity(document.entities.len());
            let mut new_rows: Vec<(usize, EntityRow)> = Vec::new();
            for (i, (entity, twin)) in document.entities.iter().zip(&addition.twins).enumerate() {
                if let Some(twin) = twin {
                    entity_ids.push(Some(*twin));
                    continue;
                }
                if known_labels.insert(entity.label.clone()) {
                    rows::insert_label(&tx, &fallback_label(&entity.label), None)?;
                    summary.labels_added.push(entity.label.clone());
                }
                entity_ids.push(None);
                new_rows.push((i, EntityRow::new(document_id, entity, now)));
            }
            let n_entities_added = new_rows.len();
            let rows_in: Vec<EntityRow> = new_rows.iter().map(|(_, row)| *row).collect();
            for ((i, _), id) in new_rows.iter().zip(rows::insert_entities(&tx, &rows_in)?) {
                entity_ids[*i] = Some(id);
            }
            let entity_ids: Vec<EntityId> = entity_ids
                .into_iter()
                .map(|id| id.ok_or_else(|| Error::Invalid(format!("an entity of {} was not stored", document.name))))
                .collect::<Result<_>>()?;
            for (_, relation) in &addition.relations {
                let (Some(head_id), Some(tail_id)) = (entity_ids.get(relation.head), entity_ids.get(relation.tail))
                else {
                    return Err(Error::Invalid(format!(
                        "relation {} in {} points at a missing entity",
                        relation.kind, document.name
                    )));
                };
                if !types.iter().any(|t| t.name == relation.kind) {
                    let added = fallback_relation_type(&relation.kind);
                    rows::insert_relation_type(&tx, &added, None)?;
                    types.push(added);
                    summary.relation_types_added.push(relation.kind.clone());
                }
                rows::insert_relation(
                    &tx,
                    &RelationRow {
                        document_id,
                        head: *head_id,
                        tail: *tail_id,
                        kind: &relation.kind,
                        status: relation.status,
                        source: &relation.source,
                        annotator: &document.relation_annotator,
                        created_at_ms: now,
                        updated_at_ms: now,
                    },
                )?;
            }
            let layer_added =
                document.labelled && rows::insert_labelled_layer(&tx, document_id, &document.relation_annotator)?;
            summary.n_entities_added += n_entities_added;
            summary.n_relations_added += addition.relations.len();
            if stored_id.is_none() {
                summary.n_documents_added += 1;
            } else if n_entities_added > 0 || !addition.relations.is_empty() || layer_added {
                summary.n_documents_extended += 1;
            } else {
                summary.n_documents_unchanged += 1;
            }
            on_progress(i + 1);
        }
        tx.commit()?;
        Ok(summary)
    }
}

/// What `document` brings that the stored entities and relations lack.
fn addition<'a>(document: &'a NewDocument, entities: &[Entity], relations: &[Relation]) -> Addition<'a> {
    // A twin has the status too: an accepted record over a stored suggestion is not "there
    // already", it overlaps it and is reported.
    let live_entities: HashMap<(usize, usize, &str, &str, Status), EntityId> = entities
        .iter()
        .filter(|e| e.status.is_live())
        .map(|e| {
            (
                (
                    e.char_start,
                    e.char_end,
                    e.label.as_str(),
                    e.annotator.as_str(),
                    e.status,
                ),
                e.id,
            )
        })
        .collect();
    let twins: Vec<Option<EntityId>> = document
        .entities
        .iter()
        .map(|new| {
            let key = (
                new.char_start,
                new.char_end,
                new.label.as_str(),
                new.annotator.as_str(),
                new.status,
            );
            live_entities.get(&key).copied()
        })
        .collect();
    let live_relations: HashSet<(EntityId, EntityId, &str)> = relations
        .iter()
        .filter(|r| r.status.is_live())
        .map(|r| (r.head, r.tail, r.kind.as_str()))
        .collect();
    let stored_relation = |r: &IndexedRelation| match (twins.get(r.head), twins.get(r.tail)) {
        (Some(Some(head)), Some(Some(tail))) => live_relations.contains(&(*head, *tail, r.kind.as_str())),
        _ => false,
    };
    let new_relations = document
        .relations
        .iter()
        .enumerate()
        .filter(|(_, r)| !stored_relation(r))
        .collect();
    Addition {
        twins,
        relations: new_relations,
    }
}

/// Checks the stored annotations with the addition as they would be stored. The added
/// entities and relations carry negative ids here, named "the record's entity N" (1-based,
/// in the record's order) in the message.
fn check_merged(
    document_id: DocumentId,
    document: &NewDocument,
    addition: &Addition<'_>,
    mut entities: Vec<Entity>,
    mut relations: Vec<Relation>,
    types: &[RelationType],
) -> Result<(), String> {
    let record_id = |index: usize| EntityId(-(index as i64) - 1);
    for (index, (new, twin)) in document.entities.iter().zip(&addition.twins).enumerate() {
        if twin.is_none() {
            entities.push(Entity {
                id: record_id(index),
                document_id,
                char_start: new.char_start,
                char_end: new.char_end,
                label: new.label.clone(),
                status: new.status,
                source: new.source.clone(),
                confidence: new.confidence,
                annotator: new.annotator.clone(),
                created_at_ms: 0,
                updated_at_ms: 0,
            });
        }
    }
    let end_id = |index: usize| match addition.twins.get(index) {
        Some(Some(twin)) => *twin,
        _ => record_id(index),
    };
    for (index, r) in &addition.relations {
        relations.push(Relation {
            id: RelationId(-(*index as i64) - 1),
            document_id,
            head: end_id(r.head),
            tail: end_id(r.tail),
            kind: r.kind.clone(),
            status: r.status,
            source: r.source.clone(),
            annotator: document.relation_annotator.clone(),
            created_at_ms: 0,
            updated_at_ms: 0,
        });
    }
    let mut all_types = types.to_vec();
    for (_, r) in &addition.relations {
        if !all_types.iter().any(|t| t.name == r.kind) {
            all_types.push(fallback_relation_type(&r.kind));
        }
    }
    let violations = crate::integrity::check_document(document_id, &entities, &relations, &all_types);
    if violations.is_empty() {
        return Ok(());
    }
    let message = violations
        .iter()
        .take(3)
        .map(|v| format!("{}: {}", v.kind.as_str(), v.detail))
        .collect::<Vec<_>>()
        .join("; ");
    let more = match violations.len() {
        n if n > 3 => format!("; and {} more", n - 3),
        _ => String::new(),
    };
    Err(format!("it would break the dataset: {message}{more}")
        .replace("entity -", "the record's entity ")
        .replace("relation -", "the record's relation "))
}

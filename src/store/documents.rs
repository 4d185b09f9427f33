//! Reading documents, entities, relations, export layers and annotators. Nothing here
//! writes. The document list is in `list.rs`.

use std::collections::HashMap;

use super::db::{OptionalExtension as _, params};

use super::Store;
use super::rows::{ENTITY_COLUMNS, RELATION_COLUMNS, entity_from_row, relation_from_row};
use crate::Result;
use crate::model::{
    ANNOTATOR_PRETAG, AnnotatedDocument, Document, DocumentId, Entity, EntityId, Relation, RelationId, Status,
    StatusFilter,
};

impl Store {
    pub fn document(&self, id: DocumentId) -> Result<Document> {
        super::rows::document(&self.db, id)
    }

    /// The entities of a document in text order.
    pub fn entities(&self, document_id: DocumentId, filter: StatusFilter) -> Result<Vec<Entity>> {
        let mut stmt = self.db.prepare_cached(&format!(
            "SELECT {ENTITY_COLUMNS} FROM entities WHERE document_id = +?1 ORDER BY char_start, char_end, id"
        ))?;
        let rows = stmt.query_map(params![document_id.0], entity_from_row)?;
        let mut entities = Vec::new();
        for entity in rows {
            let entity = entity?;
            if filter.admits(entity.status) {
                entities.push(entity);
            }
        }
        Ok(entities)
    }

    /// The relations of a document, in id order.
    pub fn relations(&self, document_id: DocumentId, filter: StatusFilter) -> Result<Vec<Relation>> {
        let mut stmt = self.db.prepare_cached(&format!(
            "SELECT {RELATION_COLUMNS} FROM relations WHERE document_id = +?1 ORDER BY id"
        ))?;
        let rows = stmt.query_map(params![document_id.0], relation_from_row)?;
        let mut relations = Vec::new();
        for relation in rows {
            let relation = relation?;
            if filter.admits(relation.status) {
                relations.push(relation);
            }
        }
        Ok(relations)
    }

    pub fn entity(&self, id: EntityId) -> Result<Entity> {
        super::rows::entity(&self.db, id)
    }

    pub fn relation(&self, id: RelationId) -> Result<Relation> {
        super::rows::relation(&self.db, id)
    }

    /// Every document with its entities and relations, for export: three queries in
    /// document order, however many documents. `filter` and `annotator` choose the layer;
    /// rejected annotations come only with [`StatusFilter::All`].
    /// A document's text alone, for work that reads many (pre-tagging).
    pub fn document_text(&self, id: DocumentId) -> Result<String> {
        self.db
            .prepare_cached("SELECT text FROM documents WHERE id = ?1")?
            .query_row(params![id.0], |row| row.get(0))
            .optional()?
            .ok_or_else(|| crate::Error::Invalid(format!("no document {}", id.0)))
    }

    /// The documents where both `a` and `b` have accepted entities, in id order: what an
    /// agreement compares. One pass over the accepted entities, by their index.
    pub fn documents_annotated_by_both(&self, a: &str, b: &str) -> Result<Vec<DocumentId>> {
        let mut stmt = self.db.prepare(
            "SELECT document_id FROM entities WHERE status = ?1 AND annotator = ?2
             INTERSECT
             SELECT document_id FROM entities WHERE status = ?1 AND annotator = ?3
             ORDER BY 1",
        )?;
        let rows = stmt.query_map(params![Status::Accepted.as_str(), a, b], |row| {
            Ok(DocumentId(row.get(0)?))
        })?;
        rows.collect::<Result<_>>()
    }

    /// One document's layer: its entities of `annotator` that `filter` admits, and the
    /// relations between them.
    pub fn layer(&self, id: DocumentId, filter: StatusFilter, annotator: &str) -> Result<AnnotatedDocument> {
        let document = self.document(id)?;
        let entities: Vec<Entity> = self
            .entities(id, filter)?
            .into_iter()
            .filter(|e| e.annotator == annotator)
            .collect();
        let relations = self
            .relations(id, filter)?
            .into_iter()
            .filter(|r| r.annotator == annotator)
            .collect();
        let mut layer = AnnotatedDocument {
            id,
            name: document.name,
            text: document.text,
            entities,
            relations,
        };
        layer.retain_linked_relations();
        Ok(layer)
    }

    pub fn layers(&self, filter: StatusFilter, annotator: Option<&str>) -> Result<Vec<AnnotatedDocument>> {
        let mut layers: Vec<AnnotatedDocument> = {
            let mut stmt = self.db.prepare("SELECT id, name, text FROM documents ORDER BY id")?;
            let rows = stmt.query_map(params![], |row| {
                Ok(AnnotatedDocument {
                    id: DocumentId(row.get(0)?),
                    name: row.get(1)?,
                    text: row.get(2)?,
                    entities: Vec::new(),
                    relations: Vec::new(),
                })
            })?;
            rows.collect::<Result<_>>()?
        };
        let index_of: HashMap<DocumentId, usize> = layers.iter().enumerate().map(|(i, l)| (l.id, i)).collect();
        let keep = |status: Status, who: &str| filter.admits(status) && annotator.is_none_or(|a| a == who);
        {
            let mut stmt = self.db.prepare(&format!(
                "SELECT {ENTITY_COLUMNS} FROM entities ORDER BY document_id, char_start, char_end, id"
            ))?;
            stmt.for_each(params![], |row| {
                let entity = entity_from_row(row)?;
                if keep(entity.status, &entity.annotator)
                    && let Some(i) = index_of.get(&entity.document_id)
                {
                    layers[*i].entities.push(entity);
                }
                Ok(())
            })?;
        }
        {
            let mut stmt = self.db.prepare(&format!(
                "SELECT {RELATION_COLUMNS} FROM relations ORDER BY document_id, id"
            ))?;
            stmt.for_each(params![], |row| {
                let relation = relation_from_row(row)?;
                if keep(relation.status, &relation.annotator)
                    && let Some(i) = index_of.get(&relation.document_id)
                {
                    layers[*i].relations.push(relation);
                }
                Ok(())
            })?;
        }
        for layer in &mut layers {
            layer.retain_linked_relations();
        }
        Ok(layers)
    }

    /// The annotators with accepted annotations, sorted; the pre-tagger is not one. One
    /// seek in `entities_by_annotator` per annotator (a skip scan), not a pass over the
    /// entities, so the app can ask after every edit.
    pub fn annotators(&self) -> Result<Vec<String>> {
        let mut stmt = self.db.prepare_cached(
            "WITH RECURSIVE found(name) AS (
                 SELECT (SELECT min(annotator) FROM entities WHERE status = ?1)
                 UNION ALL
                 SELECT (SELECT min(annotator) FROM entities WHERE status = ?1 AND annotator > found.name)
                 FROM found WHERE found.name IS NOT NULL
             )
             SELECT name FROM found WHERE name IS NOT NULL AND name != ?2 ORDER BY name",
        )?;
        let rows = stmt.query_map(params![Status::Accepted.as_str(), ANNOTATOR_PRETAG], |row| row.get(0))?;
        rows.collect::<Result<_>>()
    }
}

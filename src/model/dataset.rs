//! Documents with their annotations, as they cross layers: into the store from readers and
//! the pre-tagger, out of it to writers and review.

use super::{DocumentId, Entity, EntityId, NewEntity, Relation, Status};

/// A relation between two entities of one list, by their index in it: how readers and the
/// pre-tagger link annotations that have no ids yet.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexedRelation {
    pub head: usize,
    pub tail: usize,
    /// The relation type, e.g. `任职`.
    pub kind: String,
    /// A pre-tagger rule name or [`super::SOURCE_IMPORT`].
    pub source: String,
    /// The pre-tagger's confidence in `[0, 1]`; `None` for imported relations.
    pub confidence: Option<f64>,
    /// Accepted for annotations a file brings, suggested for predictions.
    pub status: Status,
}

impl IndexedRelation {
    /// A relation that came in with an imported file.
    pub fn imported(head: usize, tail: usize, kind: impl Into<String>) -> Self {
        IndexedRelation {
            head,
            tail,
            kind: kind.into(),
            source: super::SOURCE_IMPORT.to_owned(),
            confidence: None,
            status: Status::Accepted,
        }
    }

    /// A relation the pre-tagger proposes.
    pub fn suggested(head: usize, tail: usize, kind: &str, source: &str, confidence: f64) -> Self {
        IndexedRelation {
            head,
            tail,
            kind: kind.to_owned(),
            source: source.to_owned(),
            confidence: Some(confidence),
            status: Status::Suggested,
        }
    }
}

/// A document to import, with the annotations it brings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewDocument {
    pub name: String,
    pub source_path: Option<String>,
    pub text: String,
    pub metadata: serde_json::Map<String, serde_json::Value>,
    pub encoding: String,
    pub entities: Vec<NewEntity>,
    /// Relations between `entities`.
    pub relations: Vec<IndexedRelation>,
    /// Annotator of the relations.
    pub relation_annotator: String,
    /// The record carried annotations, perhaps none: its layer is complete, so a sentence
    /// without entities still tells a learner what is not one.
    pub labelled: bool,
}

/// One document's text with the annotations of one layer: what export, review and the
/// app read.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnotatedDocument {
    pub id: DocumentId,
    pub name: String,
    pub text: String,
    /// In text order.
    pub entities: Vec<Entity>,
    /// Only those whose two ends are in `entities`.
    pub relations: Vec<Relation>,
}

impl AnnotatedDocument {
    /// Drops the relations whose head or tail is not among the entities.
    pub fn retain_linked_relations(&mut self) {
        let ids: std::collections::HashSet<EntityId> = self.entities.iter().map(|e| e.id).collect();
        self.relations
            .retain(|r| ids.contains(&r.head) && ids.contains(&r.tail));
    }
}

/// Which annotations a query returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    /// Accepted only: the dataset.
    Accepted,
    /// Accepted and suggested, never rejected.
    AcceptedAndSuggested,
    /// Everything, rejected and superseded too.
    All,
}

impl StatusFilter {
    pub fn admits(self, status: Status) -> bool {
        match self {
            StatusFilter::Accepted => status == Status::Accepted,
            StatusFilter::AcceptedAndSuggested => status.is_live(),
            StatusFilter::All => true,
        }
    }
}

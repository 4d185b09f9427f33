//! The dataset invariants as pure functions: given one document's entities and relations
//! (every status) and the project's relation types, the violations. The store runs them
//! on every write, for the documents the write touched; `biaozhu check` runs them over the
//! whole project.
//!
//! The rules:
//! - Within one annotator's layer no two live (suggested or accepted) entities overlap.
//!   Spans are half-open: `[0, 3)` and `[3, 5)` do not overlap. Rejected entities never count.
//! - A live relation's head and tail are distinct live entities of its document, its type
//!   exists and allows their labels.
//! - An accepted relation's ends are accepted.
//! - No two live relations have the same head, tail and type.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::model::{DocumentId, Entity, EntityId, Label, NewDocument, Relation, RelationId, RelationType, Status};

/// What rule a violation breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ViolationKind {
    /// Two live entities of one annotator's layer share a character.
    Overlap,
    /// A live relation's end is missing, rejected or in another document, or both ends are one entity.
    RelationEnd,
    /// A live relation's type is unknown or does not allow its ends' labels.
    RelationType,
    /// An accepted relation has an end that is not accepted.
    UnacceptedEnd,
    /// Two live relations with the same head, tail and type.
    DuplicateRelation,
    /// A label or relation type that the schema lacks, or a relation type naming a missing label.
    Schema,
    /// The stored content hash is not the SHA-256 of the text.
    ContentHash,
    /// SQLite's own integrity or foreign key check failed.
    Database,
}

impl ViolationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ViolationKind::Overlap => "overlap",
            ViolationKind::RelationEnd => "bad relation end",
            ViolationKind::RelationType => "bad relation type",
            ViolationKind::UnacceptedEnd => "unaccepted end",
            ViolationKind::DuplicateRelation => "duplicate relation",
            ViolationKind::Schema => "schema",
            ViolationKind::ContentHash => "content hash",
            ViolationKind::Database => "database",
        }
    }
}

/// One broken rule, with the document and the annotations it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub kind: ViolationKind,
    /// `None` for the project's schema and the database as a whole.
    pub document_id: Option<DocumentId>,
    /// The entities (with spans) and relations concerned, by id.
    pub detail: String,
}

impl Violation {
    pub fn new(kind: ViolationKind, document_id: Option<DocumentId>, detail: impl Into<String>) -> Self {
        Violation {
            kind,
            document_id,
            detail: detail.into(),
        }
    }
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.document_id {
            Some(id) => write!(f, "document {id}: {}: {}", self.kind.as_str(), self.detail),
            None => write!(f, "{}: {}", self.kind.as_str(), self.detail),
        }
    }
}

fn is_live(status: Status) -> bool {
    status.is_live()
}

fn describe(e: &Entity) -> String {
    format!(
        "entity {} [{}, {}) {} ({})",
        e.id,
        e.char_start,
        e.char_end,
        e.label,
        e.status.as_str()
    )
}

/// The violations of one document's annotations. `entities` and `relations` are the
/// document's, every status; `types` the project's relation types. Sorts a copy of the live
/// entities: O(n log n) in the document's annotations.
pub fn check_document(
    document_id: DocumentId,
    entities: &[Entity],
    relations: &[Relation],
    types: &[RelationType],
) -> Vec<Violation> {
    let mut found = Vec::new();
    let violation = |kind, detail: String| Violation::new(kind, Some(document_id), detail);

    let mut layers: BTreeMap<&str, Vec<&Entity>> = BTreeMap::new();
    for e in entities.iter().filter(|e| is_live(e.status)) {
        layers.entry(e.annotator.as_str()).or_default().push(e);
    }
    for (annotator, mut layer) in layers {
        layer.sort_by_key(|e| (e.char_start, e.char_end, e.id));
        // The entity reaching furthest right among those seen so far.
        let mut reach: Option<&Entity> = None;
        for e in layer {
            if let Some(previous) = reach
                && e.char_start < previous.char_end
            {
                found.push(violation(
                    ViolationKind::Overlap,
                    format!("{} and {} of annotator {annotator}", describe(previous), describe(e)),
                ));
            }
            if reach.is_none_or(|r| e.char_end > r.char_end) {
                reach = Some(e);
            }
        }
    }

    let by_id: HashMap<EntityId, &Entity> = entities.iter().map(|e| (e.id, e)).collect();
    let types: HashMap<&str, &RelationType> = types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut seen: HashMap<(EntityId, EntityId, &str), RelationId> = HashMap::new();
    for r in relations.iter().filter(|r| is_live(r.status)) {
        let name = format!("relation {} {} ({})", r.id, r.kind, r.status.as_str());
        if let Some(first) = seen.insert((r.head, r.tail, r.kind.as_str()), r.id) {
            found.push(violation(
                ViolationKind::DuplicateRelation,
                format!(
                    "{name} repeats relation {first}, from entity {} to entity {}",
                    r.head, r.tail
                ),
            ));
        }
        if r.head == r.tail {
            found.push(violation(
                ViolationKind::RelationEnd,
                format!("{name} links entity {} to itself", r.head),
            ));
            continue;
        }
        let mut ends = Vec::with_capacity(2);
        for (end, id) in [("head", r.head), ("tail", r.tail)] {
            match by_id.get(&id) {
                None => found.push(violation(
                    ViolationKind::RelationEnd,
                    format!("{name}: its {end} entity {id} is not in the document"),
                )),
                Some(e) if !is_live(e.status) => found.push(violation(
                    ViolationKind::RelationEnd,
                    format!("{name}: its {end} is {}", describe(e)),
                )),
                Some(e) => {
                    if r.status == Status::Accepted && e.status != Status::Accepted {
                        found.push(violation(
                            ViolationKind::UnacceptedEnd,
                            format!("{name}: its {end} is {}", describe(e)),
                        ));
                    }
                    ends.push(*e);
                }
            }
        }
        match (types.get(r.kind.as_str()), ends.as_slice()) {
            (None, _) => found.push(violation(
                ViolationKind::RelationType,
                format!("{name}: no relation type {}", r.kind),
            )),
            (Some(kind), [head, tail]) if !kind.allows(&head.label, &tail.label) => found.push(violation(
                ViolationKind::RelationType,
                format!(
                    "{name} goes from {} to {}, not from {} to {}",
                    or_any(&kind.head_labels),
                    or_any(&kind.tail_labels),
                    describe(head),
                    describe(tail)
                ),
            )),
            _ => {}
        }
    }
    found
}

/// The entities whose label is not among `labels`.
pub fn check_labels(document_id: DocumentId, entities: &[Entity], labels: &HashSet<&str>) -> Vec<Violation> {
    entities
        .iter()
        .filter(|e| !labels.contains(e.label.as_str()))
        .map(|e| {
            Violation::new(
                ViolationKind::Schema,
                Some(document_id),
                format!("{} has no label {} in the schema", describe(e), e.label),
            )
        })
        .collect()
}

/// The relation types whose head or tail labels name a label the schema lacks.
pub fn check_schema(labels: &[Label], types: &[RelationType]) -> Vec<Violation> {
    let names: HashSet<&str> = labels.iter().map(|l| l.name.as_str()).collect();
    let mut found = Vec::new();
    for kind in types {
        for (end, allowed) in [("head", &kind.head_labels), ("tail", &kind.tail_labels)] {
            for label in allowed.iter().filter(|l| !names.contains(l.as_str())) {
                found.push(Violation::new(
                    ViolationKind::Schema,
                    None,
                    format!(
                        "relation type {} allows {end} label {label}, which is not in the schema",
                        kind.name
                    ),
                ));
            }
        }
    }
    found
}

/// The violations a document to import would bring. Its entities are numbered from 1 in the
/// order they come; a relation type not among `types` is one import will add, unconstrained.
pub fn check_new_document(document: &NewDocument, types: &[RelationType]) -> Vec<Violation> {
    let document_id = DocumentId(0);
    let entities: Vec<Entity> = document
        .entities
        .iter()
        .enumerate()
        .map(|(i, e)| Entity {
            id: EntityId(i as i64 + 1),
            document_id,
            char_start: e.char_start,
            char_end: e.char_end,
            label: e.label.clone(),
            status: e.status,
            source: e.source.clone(),
            confidence: e.confidence,
            annotator: e.annotator.clone(),
            created_at_ms: 0,
            updated_at_ms: 0,
        })
        .collect();
    let relations: Vec<Relation> = document
        .relations
        .iter()
        .enumerate()
        .map(|(i, r)| Relation {
            id: RelationId(i as i64 + 1),
            document_id,
            head: EntityId(r.head as i64 + 1),
            tail: EntityId(r.tail as i64 + 1),
            kind: r.kind.clone(),
            status: r.status,
            source: r.source.clone(),
            annotator: document.relation_annotator.clone(),
            created_at_ms: 0,
            updated_at_ms: 0,
        })
        .collect();
    let mut all_types = types.to_vec();
    for r in &document.relations {
        if !all_types.iter().any(|t| t.name == r.kind) {
            all_types.push(RelationType {
                name: r.kind.clone(),
                description: String::new(),
                head_labels: Vec::new(),
                tail_labels: Vec::new(),
                hotkey: None,
            });
        }
    }
    check_document(document_id, &entities, &relations, &all_types)
}

/// The violations as one message: the first few, and how many more.
pub fn summarize(violations: &[Violation]) -> String {
    const SHOWN: usize = 3;
    let mut message = violations
        .iter()
        .take(SHOWN)
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join("; ");
    if violations.len() > SHOWN {
        message.push_str(&format!("; and {} more", violations.len() - SHOWN));
    }
    message
}

fn or_any(labels: &[String]) -> String {
    if labels.is_empty() {
        "any label".to_owned()
    } else {
        labels.join("/")
    }
}

#[cfg(test)]
mod tests;

use super::*;
use crate::model::{IndexedRelation, NewEntity};

fn entity(id: i64, span: (usize, usize), label: &str, status: Status, annotator: &str) -> Entity {
    Entity {
        id: EntityId(id),
        document_id: DocumentId(1),
        char_start: span.0,
        char_end: span.1,
        label: label.into(),
        status,
        source: "manual".into(),
        confidence: None,
        annotator: annotator.into(),
        created_at_ms: 0,
        updated_at_ms: 0,
    }
}

fn relation(id: i64, head: i64, tail: i64, kind: &str, status: Status) -> Relation {
    Relation {
        id: RelationId(id),
        document_id: DocumentId(1),
        head: EntityId(head),
        tail: EntityId(tail),
        kind: kind.into(),
        status,
        source: "manual".into(),
        annotator: "ann".into(),
        created_at_ms: 0,
        updated_at_ms: 0,
    }
}

fn kinds(violations: &[Violation]) -> Vec<ViolationKind> {
    violations.iter().map(|v| v.kind).collect()
}

#[test]
fn overlaps_count_within_one_layer_and_only_live_entities() {
    let types = crate::schema::default_relation_types();
    let entities = [
        entity(1, (0, 3), "PER", Status::Accepted, "ann"),
        entity(2, (3, 5), "LOC", Status::Accepted, "ann"),
        entity(3, (1, 4), "ORG", Status::Accepted, "other"),
        entity(4, (2, 4), "ORG", Status::Rejected, "ann"),
    ];
    assert!(check_document(DocumentId(1), &entities, &[], &types).is_empty());
    let overlapping = [
        entity(1, (0, 5), "PER", Status::Accepted, "ann"),
        entity(2, (1, 2), "LOC", Status::Suggested, "ann"),
        entity(3, (3, 4), "LOC", Status::Suggested, "ann"),
    ];
    let found = check_document(DocumentId(1), &overlapping, &[], &types);
    assert_eq!(kinds(&found), [ViolationKind::Overlap, ViolationKind::Overlap]);
    let line = found[0].to_string();
    assert!(line.starts_with("document 1: overlap: entity 1 [0, 5) PER"), "{line}");
}

#[test]
fn relations_need_live_distinct_fitting_ends() {
    let types = crate::schema::default_relation_types();
    let entities = [
        entity(1, (0, 4), "ORG", Status::Accepted, "ann"),
        entity(2, (6, 8), "PER", Status::Accepted, "ann"),
        entity(3, (9, 10), "PER", Status::Rejected, "ann"),
        entity(4, (11, 12), "PER", Status::Suggested, "ann"),
    ];
    let fine = [
        relation(1, 2, 1, "任职", Status::Accepted),
        relation(2, 4, 1, "任职", Status::Suggested),
        relation(3, 3, 1, "任职", Status::Rejected),
    ];
    assert!(check_document(DocumentId(1), &entities, &fine, &types).is_empty());
    let bad = [
        relation(1, 3, 1, "任职", Status::Accepted),
        relation(2, 2, 2, "任职", Status::Suggested),
        relation(3, 1, 2, "任职", Status::Suggested),
        relation(4, 4, 1, "任职", Status::Accepted),
        relation(5, 2, 1, "任职", Status::Accepted),
        relation(6, 2, 1, "任职", Status::Suggested),
        relation(7, 2, 9, "任职", Status::Suggested),
        relation(8, 2, 1, "没有", Status::Suggested),
    ];
    let found = check_document(DocumentId(1), &entities, &bad, &types);
    assert_eq!(
        kinds(&found),
        [
            ViolationKind::RelationEnd,
            ViolationKind::RelationEnd,
            ViolationKind::RelationType,
            ViolationKind::UnacceptedEnd,
            ViolationKind::DuplicateRelation,
            ViolationKind::RelationEnd,
            ViolationKind::RelationType,
        ],
        "{found:#?}"
    );
}

#[test]
fn new_documents_are_checked_with_unknown_types_unconstrained() {
    let types = crate::schema::default_relation_types();
    let mut document = NewDocument {
        text: "省长王建国在长沙考察".into(),
        entities: vec![
            NewEntity::imported(2, 5, "PER", "import"),
            NewEntity::imported(3, 5, "PER", "import"),
        ],
        ..NewDocument::default()
    };
    assert_eq!(kinds(&check_new_document(&document, &types)), [ViolationKind::Overlap]);
    document.entities = vec![
        NewEntity::imported(2, 5, "PER", "import"),
        NewEntity::imported(6, 8, "LOC", "import"),
    ];
    document.relations = vec![IndexedRelation::imported(0, 1, "自创")];
    assert!(check_new_document(&document, &types).is_empty());
    document.relations = vec![IndexedRelation::imported(1, 0, "任职")];
    assert_eq!(
        kinds(&check_new_document(&document, &types)),
        [ViolationKind::RelationType]
    );
    document.relations = vec![IndexedRelation::imported(0, 0, "自创")];
    assert_eq!(
        kinds(&check_new_document(&document, &types)),
        [ViolationKind::RelationEnd]
    );
}

#[test]
fn schema_labels_must_exist() {
    let labels = crate::schema::default_labels();
    assert!(check_schema(&labels, &crate::schema::default_relation_types()).is_empty());
    let found = check_schema(&labels[..1], &crate::schema::default_relation_types());
    assert!(!found.is_empty());
    assert!(
        found
            .iter()
            .all(|v| v.kind == ViolationKind::Schema && v.document_id.is_none())
    );
}

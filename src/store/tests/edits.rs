//! Entity, relation and status edits, and undo/redo over them.

use super::*;
use crate::model::{DocStatus, StatusFilter};
use crate::store::Store;

#[test]
fn edits_are_logged_and_undo_redo_walks_them() {
    let (mut store, doc) = store_with_document("省发展改革委副主任王建国表示。");
    let mut edit = store.edit("add PER", "ann").expect("edit");
    let person = edit
        .add_entity(doc, &new_entity(9, 12, "PER", Status::Accepted))
        .expect("add");
    edit.commit().expect("commit");
    let mut edit = store.edit("relabel", "reviewer").expect("edit");
    edit.update_entity(person.id, |e| e.label = "ORG".into())
        .expect("update");
    edit.commit().expect("commit");
    assert_eq!(store.entity(person.id).expect("entity").annotator, "reviewer");

    let undone = store.undo("reviewer").expect("undo").expect("something to undo");
    assert_eq!(undone.action, "relabel");
    assert_eq!(undone.document_id, Some(doc));
    assert_eq!(store.entity(person.id).expect("entity").label, "PER");
    assert_eq!(
        store.undo("reviewer").expect("undo"),
        None,
        "the reviewer made one edit"
    );
    assert_eq!(store.undo("ann").expect("undo").expect("add").action, "add PER");
    assert!(store.entities(doc, StatusFilter::All).expect("entities").is_empty());
    assert_eq!(store.undo("ann").expect("undo"), None);
    assert_eq!(store.history_state("ann").expect("state"), (false, true));
    assert_eq!(store.history_state("reviewer").expect("state"), (false, true));

    assert_eq!(store.redo("ann").expect("redo").expect("add").action, "add PER");
    assert_eq!(store.entity(person.id).expect("entity").label, "PER");
    assert_eq!(store.redo("ann").expect("redo"), None);
    assert_eq!(
        store.redo("reviewer").expect("redo").expect("relabel").action,
        "relabel"
    );
    assert_eq!(store.entity(person.id).expect("entity").label, "ORG");
    assert_eq!(store.redo("reviewer").expect("redo"), None);
}

#[test]
fn each_annotator_undoes_only_their_own_edits_and_never_overwrites_another_s() {
    let (mut store, doc) = store_with_document("李明和张华在长沙");
    let add = |store: &mut Store, annotator: &str, start, end| {
        let mut edit = store.edit("add", annotator).expect("edit");
        let entity = edit
            .add_entity(doc, &new_entity(start, end, "PER", Status::Accepted))
            .expect("add");
        edit.commit().expect("commit");
        entity
    };
    let li = add(&mut store, "ann", 0, 2);
    let zhang = add(&mut store, "bob", 3, 5);
    assert_eq!(store.undo("ann").expect("undo").expect("ann's add").action, "add");
    let left: Vec<_> = store.entities(doc, StatusFilter::All).expect("entities");
    assert_eq!(
        left.iter().map(|e| e.id).collect::<Vec<_>>(),
        [zhang.id],
        "bob's span stays"
    );
    assert_eq!(store.history_state("bob").expect("state"), (true, false));
    assert_eq!(store.redo("ann").expect("redo").expect("ann's add").action, "add");
    assert_eq!(store.entity(li.id).expect("back").span(), li.span());

    // Bob relabels ann's span: ann's undo of her add would delete bob's work, so it is refused.
    let mut edit = store.edit("relabel", "bob").expect("edit");
    edit.update_entity(li.id, |e| e.label = "LOC".into()).expect("relabel");
    edit.commit().expect("commit");
    let err = store.undo("ann").expect_err("changed by bob");
    assert!(err.to_string().contains("changed since"), "{err}");
    let kept = store.entity(li.id).expect("still there");
    assert_eq!((kept.label.as_str(), kept.annotator.as_str()), ("LOC", "bob"));
    assert_eq!(store.undo("bob").expect("undo").expect("relabel").action, "relabel");
    assert_eq!(store.entity(li.id).expect("entity").label, "PER");
}

#[test]
fn consecutive_boundary_moves_of_one_span_are_one_undo_step() {
    let (mut store, doc) = store_with_document("省发展改革委副主任王建国表示");
    let mut edit = store.edit("add", "ann").expect("edit");
    let person = edit
        .add_entity(doc, &new_entity(9, 12, "PER", Status::Accepted))
        .expect("add");
    edit.commit().expect("commit");
    let step = |store: &mut Store, action: &str, start: usize, end: usize| {
        let mut edit = store.edit(action, "ann").expect("edit");
        edit.coalesce();
        edit.update_entity(person.id, |e| (e.char_start, e.char_end) = (start, end))
            .expect("move");
        edit.commit().expect("commit");
    };
    step(&mut store, "move boundary", 8, 12);
    step(&mut store, "move boundary", 7, 12);
    step(&mut store, "move boundary", 7, 13);
    assert_eq!(store.undo("ann").expect("undo").expect("moves").action, "move boundary");
    assert_eq!(
        store.entity(person.id).expect("entity").span(),
        person.span(),
        "all three at once"
    );
    assert_eq!(store.undo("ann").expect("undo").expect("add").action, "add");
    assert_eq!(store.redo("ann").expect("redo").expect("add").action, "add");
    assert_eq!(store.redo("ann").expect("redo").expect("moves").action, "move boundary");
    assert_eq!(store.entity(person.id).expect("entity").span().char_end, 13);

    // A move right after the redone moves joins them; another action between two moves
    // keeps them apart.
    step(&mut store, "move boundary", 8, 13);
    let mut edit = store.edit("relabel", "ann").expect("edit");
    edit.update_entity(person.id, |e| e.label = "ORG".into())
        .expect("relabel");
    edit.commit().expect("commit");
    step(&mut store, "move boundary", 9, 13);
    for expected in ["move boundary", "relabel", "move boundary", "add"] {
        assert_eq!(store.undo("ann").expect("undo").expect("step").action, expected);
    }
}

#[test]
fn a_new_edit_after_undo_discards_the_redo_branch() {
    let (mut store, doc) = store_with_document("李明和张华");
    for (start, end) in [(0, 2), (3, 5)] {
        let mut edit = store.edit("add", "ann").expect("edit");
        edit.add_entity(doc, &new_entity(start, end, "PER", Status::Accepted))
            .expect("add");
        edit.commit().expect("commit");
    }
    store.undo("ann").expect("undo");
    let mut edit = store.edit("status", "ann").expect("edit");
    edit.set_document_status(doc, DocStatus::Done).expect("status");
    edit.commit().expect("commit");
    assert_eq!(store.redo("ann").expect("redo"), None);
    assert_eq!(store.undo("ann").expect("undo").expect("status").action, "status");
    assert_eq!(store.document(doc).expect("doc").status, DocStatus::New);
}

#[test]
fn deleting_an_entity_deletes_its_relations_and_undo_restores_both() {
    let (mut store, doc) = store_with_document("人民日报记者李明");
    let mut edit = store.edit("annotate", "ann").expect("edit");
    let org = edit
        .add_entity(doc, &new_entity(0, 4, "ORG", Status::Accepted))
        .expect("org");
    let title = edit
        .add_entity(doc, &new_entity(4, 6, "TITLE", Status::Accepted))
        .expect("title");
    let person = edit
        .add_entity(doc, &new_entity(6, 8, "PER", Status::Accepted))
        .expect("per");
    for (tail, kind) in [(org.id, "任职"), (title.id, "职务")] {
        edit.add_relation(&NewRelation {
            head: person.id,
            tail,
            kind: kind.into(),
            status: Status::Accepted,
            source: SOURCE_MANUAL.into(),
            annotator: "ann".into(),
        })
        .expect("relation");
    }
    edit.commit().expect("commit");
    let before = store.relations(doc, StatusFilter::All).expect("relations");
    assert_eq!(before.len(), 2);

    let mut edit = store.edit("delete", "ann").expect("edit");
    edit.delete_entity(person.id).expect("delete");
    edit.commit().expect("commit");
    assert!(store.relations(doc, StatusFilter::All).expect("relations").is_empty());
    assert_eq!(store.entities(doc, StatusFilter::All).expect("entities").len(), 2);

    store.undo("ann").expect("undo");
    assert_eq!(store.relations(doc, StatusFilter::All).expect("relations"), before);
    assert_eq!(store.entity(person.id).expect("back"), person);
}

#[test]
fn edits_check_spans_labels_and_relation_types() {
    let (mut store, doc) = store_with_document("四个字呀");
    let mut edit = store.edit("bad", "ann").expect("edit");
    assert!(
        edit.add_entity(doc, &new_entity(2, 9, "PER", Status::Accepted))
            .is_err()
    );
    assert!(
        edit.add_entity(doc, &new_entity(2, 2, "PER", Status::Accepted))
            .is_err()
    );
    let err = edit
        .add_entity(doc, &new_entity(0, 2, "NOPE", Status::Accepted))
        .expect_err("label");
    assert_eq!(err.to_string(), "unknown label \"NOPE\"");
    let a = edit
        .add_entity(doc, &new_entity(0, 2, "PER", Status::Accepted))
        .expect("ok");
    let b = edit
        .add_entity(doc, &new_entity(2, 4, "ORG", Status::Accepted))
        .expect("ok");
    let relation = NewRelation {
        head: a.id,
        tail: b.id,
        kind: "认识".into(),
        status: Status::Accepted,
        source: SOURCE_MANUAL.into(),
        annotator: "ann".into(),
    };
    assert!(edit.add_relation(&relation).is_err());
    drop(edit);
    assert!(
        store.entities(doc, StatusFilter::All).expect("entities").is_empty(),
        "dropped edit rolls back"
    );
    assert_eq!(store.history_state("ann").expect("state"), (false, false));
}

#[test]
fn relation_types_enforce_their_head_and_tail_labels() {
    let (mut store, doc) = store_with_document("湖南日报记者李明在长沙");
    let mut edit = store.edit("annotate", "ann").expect("edit");
    let org = edit
        .add_entity(doc, &new_entity(0, 4, "ORG", Status::Accepted))
        .expect("org");
    let person = edit
        .add_entity(doc, &new_entity(6, 8, "PER", Status::Accepted))
        .expect("per");
    let place = edit
        .add_entity(doc, &new_entity(9, 11, "LOC", Status::Accepted))
        .expect("loc");
    edit.add_relation(&relation(person.id, org.id, "任职"))
        .expect("PER→ORG fits 任职");
    let err = edit
        .add_relation(&relation(org.id, person.id, "任职"))
        .expect_err("ORG→PER does not");
    assert_eq!(err.to_string(), "任职 goes from PER to ORG, not from ORG to PER");
    edit.add_relation(&relation(org.id, place.id, "位于"))
        .expect("ORG→LOC fits 位于");
    let located = edit.add_relation(&relation(place.id, place.id, "位于"));
    assert!(located.is_err(), "a relation needs two entities");
    let invest = edit.add_relation(&relation(person.id, place.id, "投资"));
    assert!(invest.is_err(), "投资 is ORG→MONEY");
    let employ = edit.add_relation(&relation(person.id, place.id, "位于"));
    assert!(employ.is_err(), "位于 needs an ORG or LOC head");
    edit.commit().expect("commit");
    let relations = store.relations(doc, StatusFilter::All).expect("relations");
    assert_eq!(relations.len(), 2);
    let mut edit = store.edit("retype", "ann").expect("edit");
    let err = edit
        .update_relation(relations[0].id, |r| r.kind = "职务".into())
        .expect_err("PER→ORG is no 职务");
    assert!(err.to_string().starts_with("职务 goes from PER to TITLE"), "{err}");
}

#[test]
fn undo_leaves_a_document_status_someone_moved_on_since() {
    let (mut store, doc) = store_with_document("李明和张华");
    let mut edit = store.edit("add", "ann").expect("edit");
    edit.add_entity(doc, &new_entity(0, 2, "PER", Status::Accepted))
        .expect("add");
    edit.set_document_status(doc, DocStatus::InProgress).expect("status");
    edit.commit().expect("commit");
    let mut edit = store.edit("done", "bob").expect("edit");
    edit.set_document_status(doc, DocStatus::Done).expect("status");
    edit.commit().expect("commit");
    assert_eq!(store.undo("ann").expect("undo").expect("ann's add").action, "add");
    assert!(store.entities(doc, StatusFilter::All).expect("entities").is_empty());
    assert_eq!(
        store.document(doc).expect("doc").status,
        DocStatus::Done,
        "bob's status stays"
    );
}

#[test]
fn a_change_that_changes_nothing_logs_nothing() {
    let (mut store, doc, _, person, employ) = annotated();
    let mut edit = store.edit("relabel", "ann").expect("edit");
    edit.update_entity(person.id, |e| e.label = "PER".into())
        .expect("same label");
    edit.update_relation(employ.id, |r| r.status = Status::Accepted)
        .expect("same status");
    edit.commit().expect("commit");
    assert_eq!(
        store.entity(person.id).expect("entity"),
        person,
        "not even its time changed"
    );
    assert_eq!(
        store.undo("ann").expect("undo").expect("the annotation").action,
        "annotate"
    );
    assert!(store.entities(doc, StatusFilter::All).expect("entities").is_empty());
}

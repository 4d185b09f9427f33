//! Schema changes are logged edits: undo and redo walk through them and past them.

use super::*;
use crate::model::{ANNOTATOR_SCHEMA, Label, RelationType, StatusFilter};

fn label(store: &Store, name: &str) -> Label {
    store
        .labels()
        .expect("labels")
        .into_iter()
        .find(|l| l.name == name)
        .expect("label")
}

fn relation_type(store: &Store, name: &str) -> RelationType {
    store
        .relation_types()
        .expect("types")
        .into_iter()
        .find(|t| t.name == name)
        .expect("type")
}

fn label_names(store: &Store) -> Vec<String> {
    store.labels().expect("labels").into_iter().map(|l| l.name).collect()
}

fn type_names(store: &Store) -> Vec<String> {
    store
        .relation_types()
        .expect("types")
        .into_iter()
        .map(|t| t.name)
        .collect()
}

#[test]
fn undo_walks_back_past_a_label_rename() {
    let (mut store, doc) = store_with_document("省发展改革委副主任王建国表示。");
    let mut edit = store.edit("add PER", "ann").expect("edit");
    let person = edit
        .add_entity(doc, &new_entity(9, 12, "PER", Status::Accepted))
        .expect("add");
    edit.commit().expect("commit");
    let mut renamed = label(&store, "PER");
    renamed.name = "PERSON".into();
    renamed.color = "#000000".into();
    store.update_label("PER", &renamed).expect("rename");
    assert_eq!(store.entity(person.id).expect("entity").label, "PERSON");
    assert_eq!(relation_type(&store, "任职").head_labels, ["PERSON"]);
    let labels_before = label_names(&store);

    assert_eq!(
        store.undo("ann").expect("undo").expect("rename").action,
        "change label PER"
    );
    assert_eq!(store.entity(person.id).expect("entity").label, "PER");
    assert_eq!(label(&store, "PER").color, "#f4a7a7");
    assert!(!label_names(&store).contains(&"PERSON".to_owned()));
    assert_eq!(relation_type(&store, "任职").head_labels, ["PER"]);
    assert_eq!(store.undo("ann").expect("undo").expect("add").action, "add PER");
    assert!(store.entities(doc, StatusFilter::All).expect("entities").is_empty());
    assert_eq!(store.history_state("ann").expect("state"), (false, true));

    store.redo("ann").expect("redo").expect("add");
    assert_eq!(store.entity(person.id).expect("entity").label, "PER");
    store.redo("ann").expect("redo").expect("rename");
    assert_eq!(store.entity(person.id).expect("entity").label, "PERSON");
    assert_eq!(label(&store, "PERSON"), renamed);
    assert_eq!(label_names(&store), labels_before, "the palette order is kept");
    assert_eq!(relation_type(&store, "任职").head_labels, ["PERSON"]);
    assert_eq!(store.redo("ann").expect("redo"), None);
}

#[test]
fn undo_of_a_label_removal_restores_its_entities_and_relations() {
    let (mut store, doc, org, person, employ) = annotated();
    let labels_before = label_names(&store);
    assert_eq!(store.remove_label("PER", true).expect("remove"), 1);
    assert!(!label_names(&store).contains(&"PER".to_owned()));
    assert_eq!(
        store.entities(doc, StatusFilter::All).expect("entities"),
        std::slice::from_ref(&org)
    );
    assert!(store.relations(doc, StatusFilter::All).expect("relations").is_empty());

    assert_eq!(
        store.undo("ann").expect("undo").expect("removal").action,
        "remove label PER"
    );
    assert_eq!(label_names(&store), labels_before, "PER is back in its place");
    assert_eq!(store.entity(person.id).expect("entity"), person);
    assert_eq!(
        store.relations(doc, StatusFilter::All).expect("relations"),
        std::slice::from_ref(&employ)
    );
    store.undo("ann").expect("undo").expect("annotate");
    assert!(store.entities(doc, StatusFilter::All).expect("entities").is_empty());

    store.redo("ann").expect("redo").expect("annotate");
    assert_eq!(store.relations(doc, StatusFilter::All).expect("relations"), [employ]);
    store.redo("ann").expect("redo").expect("removal");
    assert!(!label_names(&store).contains(&"PER".to_owned()));
    assert_eq!(store.entities(doc, StatusFilter::All).expect("entities"), [org]);
    assert!(store.relations(doc, StatusFilter::All).expect("relations").is_empty());
}

#[test]
fn undo_walks_back_past_relation_type_renames_and_removals() {
    let (mut store, doc, _org, _person, employ) = annotated();
    let types_before = type_names(&store);
    let mut renamed = relation_type(&store, "任职");
    renamed.name = "就职".into();
    store.update_relation_type("任职", &renamed).expect("rename");
    assert_eq!(store.relation(employ.id).expect("relation").kind, "就职");
    assert_eq!(store.remove_relation_type("就职", true).expect("remove"), 1);
    assert!(store.relations(doc, StatusFilter::All).expect("relations").is_empty());
    assert!(!type_names(&store).contains(&"就职".to_owned()));

    store.undo("ann").expect("undo").expect("removal");
    assert_eq!(store.relation(employ.id).expect("relation").kind, "就职");
    store.undo("ann").expect("undo").expect("rename");
    assert_eq!(store.relation(employ.id).expect("relation"), employ);
    assert_eq!(type_names(&store), types_before);
    store.undo("ann").expect("undo").expect("annotate");
    assert!(store.entities(doc, StatusFilter::All).expect("entities").is_empty());
    assert_eq!(store.history_state("ann").expect("state"), (false, true));

    for _ in 0..3 {
        store.redo("ann").expect("redo").expect("something to redo");
    }
    assert!(store.relations(doc, StatusFilter::All).expect("relations").is_empty());
    assert!(!type_names(&store).contains(&"就职".to_owned()));
    assert!(!type_names(&store).contains(&"任职".to_owned()));
    assert_eq!(store.entities(doc, StatusFilter::All).expect("entities").len(), 2);
}

#[test]
fn adding_labels_and_types_and_importing_a_schema_are_undone() {
    // No annotator is named in this project: the wrappers log under `schema`.
    let mut store = new_store();
    let before = store.schema().expect("schema");
    store
        .add_label(&Label {
            name: "EVENT".into(),
            display_name: "事件".into(),
            color: "#123456".into(),
            hotkey: None,
            description: String::new(),
        })
        .expect("add label");
    store
        .add_relation_type(&RelationType {
            name: "参与".into(),
            description: String::new(),
            head_labels: vec!["PER".into()],
            tail_labels: vec!["EVENT".into()],
            hotkey: None,
        })
        .expect("add type");
    let mut schema = store.schema().expect("schema");
    schema.labels[0].color = "#ffffff".into();
    schema.labels.push(Label {
        name: "LAW".into(),
        display_name: "法规".into(),
        color: "#654321".into(),
        hotkey: None,
        description: String::new(),
    });
    let after = schema.clone();
    store.import_schema(&schema).expect("import");
    assert_eq!(store.schema().expect("schema"), after);

    assert_eq!(
        store.undo(ANNOTATOR_SCHEMA).expect("undo").expect("import").action,
        "import schema"
    );
    assert_eq!(label(&store, "PER").color, "#f4a7a7");
    assert!(!label_names(&store).contains(&"LAW".to_owned()));
    store.undo(ANNOTATOR_SCHEMA).expect("undo").expect("type");
    store.undo(ANNOTATOR_SCHEMA).expect("undo").expect("label");
    assert_eq!(store.schema().expect("schema"), before);
    for _ in 0..3 {
        store.redo(ANNOTATOR_SCHEMA).expect("redo").expect("something to redo");
    }
    assert_eq!(store.schema().expect("schema"), after);
}

#[test]
fn a_step_that_cannot_be_applied_is_rolled_back_and_leaves_the_log_usable() {
    if on_server() {
        return; // writes behind the store's back, which the server's constraints refuse (suite::server)
    }
    let (mut store, doc) = store_with_document("李明和张华");
    let mut added = Vec::new();
    for (start, end) in [(0, 2), (3, 5)] {
        let mut edit = store.edit("add", "ann").expect("edit");
        added.push(
            edit.add_entity(doc, &new_entity(start, end, "PER", Status::Accepted))
                .expect("add"),
        );
        edit.commit().expect("commit");
    }
    let mut edit = store.edit("relabel", "ann").expect("edit");
    let moved = edit
        .update_entity(added[1].id, |e| e.label = "ORG".into())
        .expect("relabel");
    edit.commit().expect("commit");
    // What an older build did: a label changed outside the log.
    store
        .connection()
        .execute("UPDATE labels SET name = 'PERSON' WHERE name = 'PER'", [])
        .expect("rename behind the log's back");
    let entities_before = store.entities(doc, StatusFilter::All).expect("entities");

    let err = store.undo("ann").expect_err("PER is gone");
    assert!(err.to_string().contains("cannot undo \"relabel\""), "{err}");
    assert_eq!(
        store.entities(doc, StatusFilter::All).expect("entities"),
        entities_before,
        "nothing of the failed step is kept"
    );
    assert_eq!(store.entity(moved.id).expect("entity").label, "ORG");
    assert_eq!(store.history_state("ann").expect("state"), (false, false));
    assert_eq!(store.undo("ann").expect("undo"), None, "undo is not stuck");

    let mut edit = store.edit("status", "ann").expect("edit");
    edit.set_document_status(doc, crate::model::DocStatus::Done)
        .expect("status");
    edit.commit().expect("commit");
    assert_eq!(store.undo("ann").expect("undo").expect("status").action, "status");
}

#[test]
fn bad_label_and_type_names_are_refused_on_every_schema_path() {
    let mut store = new_store();
    let before = store.schema().expect("schema");
    for bad in ["", " EVENT", "事\t件", "a\u{0}b", &"长".repeat(65)] {
        let label = Label {
            name: bad.to_owned(),
            ..label(&store, "PER")
        };
        let err = store.add_label(&label).expect_err("bad label");
        assert!(err.to_string().starts_with("bad label name: "), "{err}");
        assert!(store.update_label("PER", &label).is_err(), "rename to {bad:?}");
        let kind = RelationType {
            name: bad.to_owned(),
            ..relation_type(&store, "任职")
        };
        let err = store.add_relation_type(&kind).expect_err("bad type");
        assert!(err.to_string().starts_with("bad relation type name: "), "{err}");
    }
    assert_eq!(store.schema().expect("schema"), before);
}

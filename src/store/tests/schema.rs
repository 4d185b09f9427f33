//! Schema edits through the `Store` wrappers, and schema import/export.

use super::*;
use crate::model::{RelationType, StatusFilter};

#[test]
fn schema_edits_count_and_carry_what_is_in_use() {
    let (mut store, doc, _, person, _) = annotated();

    // Renaming a label renames it on entities and in relation-type constraints.
    let mut renamed = store
        .labels()
        .expect("labels")
        .into_iter()
        .find(|l| l.name == "PER")
        .expect("PER");
    renamed.name = "PERSON".into();
    store.update_label("PER", &renamed).expect("rename");
    assert_eq!(store.entity(person.id).expect("entity").label, "PERSON");
    let employ = store
        .relation_types()
        .expect("types")
        .into_iter()
        .find(|t| t.name == "任职")
        .expect("任职");
    assert_eq!(employ.head_labels, ["PERSON"]);

    // Removing a type or label in use is refused with a count, then done on request.
    let err = store.remove_relation_type("任职", false).expect_err("in use");
    assert_eq!(
        err.to_string(),
        "relation type 任职 is used by 1 relations; removing it deletes them"
    );
    assert_eq!(store.relation_type_usage("任职").expect("usage"), 1);
    let err = store.remove_label("ORG", false).expect_err("in use");
    assert_eq!(
        err.to_string(),
        "label ORG is used by 1 entities; removing it deletes them and their relations"
    );
    assert_eq!(store.remove_label("ORG", true).expect("forced"), 1);
    assert!(
        store.relations(doc, StatusFilter::All).expect("relations").is_empty(),
        "its relation went too"
    );
    assert_eq!(store.remove_relation_type("任职", false).expect("now unused"), 0);

    // A renamed relation type; a new one; the schema round-trips through JSON.
    let mut located = store
        .relation_types()
        .expect("types")
        .into_iter()
        .find(|t| t.name == "位于")
        .expect("位于");
    located.name = "所在地".into();
    store.update_relation_type("位于", &located).expect("rename type");
    store
        .add_relation_type(&RelationType {
            name: "合作".into(),
            description: "two organizations work together".into(),
            head_labels: vec!["PERSON".into()],
            tail_labels: vec![],
            hotkey: None,
        })
        .expect("add type");
    assert!(
        store.add_label(&store.labels().expect("labels")[0].clone()).is_err(),
        "duplicate label"
    );
    let schema = store.schema().expect("schema");
    let json = serde_json::to_string(&schema).expect("json");
    let mut other = new_store();
    other
        .import_schema(&serde_json::from_str(&json).expect("parse"))
        .expect("import");
    let imported = other.schema().expect("schema");
    assert!(imported.labels.iter().any(|l| l.name == "PERSON"));
    assert!(imported.relation_types.iter().any(|t| t.name == "所在地"));
    assert!(imported.relation_types.iter().any(|t| t.name == "合作"));
}

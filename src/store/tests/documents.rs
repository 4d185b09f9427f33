//! Import, reading and stats.

use super::*;
use crate::model::{DocStatus, IndexedRelation, SOURCE_IMPORT, StatusFilter};
use crate::store::{CURRENT_VERSION, content_hash};
use crate::text::UserDictEntry;

#[test]
fn new_project_has_the_default_schema_and_current_version() {
    let store = new_store();
    let current = if on_server() {
        crate::store::SERVER_VERSION
    } else {
        CURRENT_VERSION
    };
    assert_eq!(store.schema_version().expect("version"), current);
    let labels: Vec<String> = store.labels().expect("labels").into_iter().map(|l| l.name).collect();
    assert_eq!(
        labels,
        ["PER", "ORG", "LOC", "TITLE", "MONEY", "PERCENT", "DATE", "QUANTITY"]
    );
    let types = store.relation_types().expect("types");
    assert_eq!(types.len(), 4);
    assert_eq!(types[0].name, "任职");
    assert_eq!(types[0].head_labels, ["PER"]);
    assert_eq!(types[2].head_labels, ["ORG", "LOC"]);
}

#[test]
fn documents_entities_and_relations_round_trip() {
    let text = "𠮷华为技术有限公司投资3.5亿元。";
    let mut store = new_store();
    let mut document = sample_document(text);
    document.metadata.insert("source".into(), serde_json::json!("news"));
    // An imported relation is accepted, so its ends are accepted too: the suggestion is apart.
    document.entities = vec![
        NewEntity {
            confidence: Some(0.75),
            ..new_entity(0, 1, "PER", Status::Suggested)
        },
        NewEntity {
            source: SOURCE_IMPORT.into(),
            ..new_entity(1, 9, "ORG", Status::Accepted)
        },
        new_entity(11, 16, "MONEY", Status::Accepted),
    ];
    document.relations = vec![IndexedRelation::imported(1, 2, "投资")];
    document.relation_annotator = "ann".into();
    let summary = store.import_documents(&[document], &mut |_| {}).expect("import");
    assert_eq!(
        (
            summary.n_documents_added,
            summary.n_entities_added,
            summary.n_relations_added
        ),
        (1, 3, 1)
    );

    let listed = store.documents().expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].n_chars, listed[0].n_suggested, listed[0].n_accepted),
        (17, 1, 2)
    );
    let stored = store.document(listed[0].id).expect("document");
    assert_eq!(stored.text, text);
    assert_eq!(stored.content_hash, content_hash(text));
    assert_eq!(stored.metadata["source"], "news");
    assert_eq!(stored.status, DocStatus::New);

    let entities = store.entities(stored.id, StatusFilter::All).expect("entities");
    let spans: Vec<(usize, usize, &str, Status)> = entities
        .iter()
        .map(|e| (e.char_start, e.char_end, e.label.as_str(), e.status))
        .collect();
    assert_eq!(
        spans,
        [
            (0, 1, "PER", Status::Suggested),
            (1, 9, "ORG", Status::Accepted),
            (11, 16, "MONEY", Status::Accepted)
        ]
    );
    assert_eq!(entities[0].confidence, Some(0.75));
    assert_eq!(entities[1].source, "import");
    assert_eq!(
        store
            .entities(stored.id, StatusFilter::Accepted)
            .expect("accepted")
            .len(),
        2
    );

    let relations = store.relations(stored.id, StatusFilter::All).expect("relations");
    assert_eq!(relations.len(), 1);
    assert_eq!((relations[0].head, relations[0].tail), (entities[1].id, entities[2].id));
    assert_eq!(relations[0].kind, "投资");
}

#[test]
fn reimporting_the_same_text_is_a_no_op() {
    let (mut store, _) = store_with_document("同一段文字。");
    let again = store
        .import_documents(&[sample_document("同一段文字。")], &mut |_| {})
        .expect("import");
    assert_eq!((again.n_documents_added, again.n_documents_unchanged), (0, 1));
    assert_eq!(store.documents().expect("list").len(), 1);
}

#[test]
fn unknown_labels_and_relation_types_join_the_schema() {
    let mut store = new_store();
    let mut document = sample_document("甲乙");
    document.entities = vec![
        new_entity(0, 1, "GAME", Status::Accepted),
        new_entity(1, 2, "GAME", Status::Accepted),
    ];
    document.relations = vec![IndexedRelation::imported(0, 1, "续作")];
    let summary = store.import_documents(&[document], &mut |_| {}).expect("import");
    assert_eq!(summary.labels_added, ["GAME"]);
    assert_eq!(summary.relation_types_added, ["续作"]);
    assert!(store.labels().expect("labels").iter().any(|l| l.name == "GAME"));
}

#[test]
fn a_failing_import_leaves_the_project_as_it_was() {
    let mut store = new_store();
    let good = sample_document("好的文档。");
    let mut bad = sample_document("坏的文档。");
    bad.entities = vec![new_entity(3, 1, "PER", Status::Accepted)];
    let err = store.import_documents(&[good, bad], &mut |_| {});
    assert!(err.is_err(), "a reversed span violates the CHECK constraint");
    assert!(
        store.documents().expect("list").is_empty(),
        "nothing of the batch is kept"
    );
}

#[test]
fn stats_count_per_label_and_status() {
    let (mut store, doc) = store_with_document("李明在长沙");
    let mut edit = store.edit("annotate", "ann").expect("edit");
    edit.add_entity(doc, &new_entity(0, 2, "PER", Status::Accepted))
        .expect("per");
    edit.add_entity(doc, &new_entity(3, 5, "LOC", Status::Suggested))
        .expect("loc");
    edit.commit().expect("commit");
    let stats = store.stats().expect("stats");
    assert_eq!((stats.n_documents, stats.n_chars), (1, 5));
    assert_eq!(stats.entities["PER"]["accepted"], 1);
    assert_eq!(stats.entities["LOC"]["suggested"], 1);
    assert_eq!(stats.documents_by_status["new"], 1);
}

#[test]
fn user_dictionary_is_stored() {
    let mut store = new_store();
    let entry = UserDictEntry {
        word: "长沙经开区".into(),
        freq: Some(100),
        pos: Some("ns".into()),
    };
    store.add_user_dict(std::slice::from_ref(&entry)).expect("add");
    assert_eq!(store.user_dict().expect("dict"), [entry]);
}

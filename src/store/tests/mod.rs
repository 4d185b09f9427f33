//! The store's tests, one file per verb, sharing the fixtures below.

mod counts;
mod documents;
mod edits;
mod integrity;
mod migrations;
mod models;
mod schema;
mod schema_edits;
mod suggestions;

use super::Store;
use crate::model::{
    DocumentId, Entity, EntityId, NewDocument, NewEntity, NewRelation, Relation, SOURCE_MANUAL, Status,
};

pub(super) fn sample_document(text: &str) -> NewDocument {
    NewDocument {
        name: "a.txt".into(),
        source_path: Some("corpus/a.txt".into()),
        text: text.into(),
        encoding: "utf-8".into(),
        ..NewDocument::default()
    }
}

pub(super) fn new_entity(char_start: usize, char_end: usize, label: &str, status: Status) -> NewEntity {
    NewEntity {
        char_start,
        char_end,
        label: label.into(),
        status,
        source: SOURCE_MANUAL.into(),
        confidence: None,
        annotator: "ann".into(),
    }
}

/// Whether this run of the store's tests is on a server: `BIAOZHU_TEST_BACKEND=postgres`
/// with `BIAOZHU_TEST_PG_URL` (as `.ci/run` sets them for a second pass).
pub(super) fn on_server() -> bool {
    std::env::var("BIAOZHU_TEST_BACKEND").is_ok_and(|b| b == "postgres")
}

/// A new, empty project: in memory, or in a schema of its own on the test server.
pub(super) fn new_store() -> Store {
    if on_server() {
        let url =
            std::env::var("BIAOZHU_TEST_PG_URL").expect("BIAOZHU_TEST_BACKEND=postgres needs BIAOZHU_TEST_PG_URL");
        Store::open(crate::store::test_server::fresh_schema(&url).expect("a fresh schema")).expect("server store")
    } else {
        Store::open_in_memory().expect("in-memory store")
    }
}

pub(super) fn store_with_document(text: &str) -> (Store, DocumentId) {
    let mut store = new_store();
    // Schema edits through the `Store` wrappers are logged under this annotator too.
    store.set_meta(super::ANNOTATOR_META_KEY, "ann").expect("annotator");
    store
        .import_documents(&[sample_document(text)], &mut |_| {})
        .expect("import");
    let id = store.documents().expect("list")[0].id;
    (store, id)
}

pub(super) fn suggestion(char_start: usize, char_end: usize, label: &str) -> NewEntity {
    NewEntity {
        source: "rule".into(),
        confidence: Some(0.6),
        annotator: "pretag".into(),
        ..new_entity(char_start, char_end, label, Status::Suggested)
    }
}

pub(super) fn relation(head: EntityId, tail: EntityId, kind: &str) -> NewRelation {
    NewRelation {
        head,
        tail,
        kind: kind.into(),
        status: Status::Accepted,
        source: SOURCE_MANUAL.into(),
        annotator: "ann".into(),
    }
}

/// A reporter, his newspaper and the 任职 relation between them, added in one edit.
pub(super) fn annotated() -> (Store, DocumentId, Entity, Entity, Relation) {
    let (mut store, doc) = store_with_document("湖南日报记者李明");
    let mut edit = store.edit("annotate", "ann").expect("edit");
    let org = edit
        .add_entity(doc, &new_entity(0, 4, "ORG", Status::Accepted))
        .expect("org");
    let person = edit
        .add_entity(doc, &new_entity(6, 8, "PER", Status::Accepted))
        .expect("per");
    let employ = edit
        .add_relation(&relation(person.id, org.id, "任职"))
        .expect("relation");
    edit.commit().expect("commit");
    (store, doc, org, person, employ)
}

use super::*;
use crate::model::{RelationType, SOURCE_IMPORT, SOURCE_MANUAL};

fn sample_document(text: &str) -> NewDocument {
    NewDocument {
        name: "a.txt".into(),
        source_path: Some("corpus/a.txt".into()),
        text: text.into(),
        encoding: "utf-8".into(),
        ..NewDocument::default()
    }
}

fn new_entity(char_start: usize, char_end: usize, label: &str, status: Status) -> NewEntity {
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

fn store_with_document(text: &str) -> (Store, DocumentId) {
    let mut store = Store::open_in_memory().expect("in-memory store");
    store
        .import_documents(&[sample_document(text)], &mut |_| {})
        .expect("import");
    let id = store.documents().expect("list")[0].id;
    (store, id)
}

#[test]
fn new_project_has_the_default_schema_and_current_version() {
    let store = Store::open_in_memory().expect("store");
    assert_eq!(store.schema_version().expect("version"), CURRENT_VERSION);
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
    let mut store = Store::open_in_memory().expect("store");
    let mut document = sample_document(text);
    document.metadata.insert("source".into(), serde_json::json!("news"));
    document.entities = vec![
        NewEntity {
            source: SOURCE_IMPORT.into(),
            ..new_entity(1, 9, "ORG", Status::Accepted)
        },
        NewEntity {
            confidence: Some(0.75),
            ..new_entity(11, 16, "MONEY", Status::Suggested)
        },
    ];
    document.relations = vec![IndexedRelation::imported(0, 1, "投资")];
    document.relation_annotator = "ann".into();
    let summary = store.import_documents(&[document], &mut |_| {}).expect("import");
    assert_eq!(
        (
            summary.n_documents_added,
            summary.n_entities_added,
            summary.n_relations_added
        ),
        (1, 2, 1)
    );

    let listed = store.documents().expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].n_chars, listed[0].n_suggested, listed[0].n_accepted),
        (17, 1, 1)
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
        [(1, 9, "ORG", Status::Accepted), (11, 16, "MONEY", Status::Suggested)]
    );
    assert_eq!(entities[1].confidence, Some(0.75));
    assert_eq!(entities[0].source, "import");
    assert_eq!(
        store
            .entities(stored.id, StatusFilter::Accepted)
            .expect("accepted")
            .len(),
        1
    );

    let relations = store.relations(stored.id, StatusFilter::All).expect("relations");
    assert_eq!(relations.len(), 1);
    assert_eq!((relations[0].head, relations[0].tail), (entities[0].id, entities[1].id));
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
    let mut store = Store::open_in_memory().expect("store");
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
    let mut store = Store::open_in_memory().expect("store");
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

    let undone = store.undo().expect("undo").expect("something to undo");
    assert_eq!(undone.action, "relabel");
    assert_eq!(undone.document_id, Some(doc));
    assert_eq!(store.entity(person.id).expect("entity").label, "PER");
    assert_eq!(store.undo().expect("undo").expect("add").action, "add PER");
    assert!(store.entities(doc, StatusFilter::All).expect("entities").is_empty());
    assert_eq!(store.undo().expect("undo"), None);
    assert_eq!(store.history_state().expect("state"), (false, true));

    assert_eq!(store.redo().expect("redo").expect("add").action, "add PER");
    assert_eq!(store.entity(person.id).expect("entity").label, "PER");
    assert_eq!(store.redo().expect("redo").expect("relabel").action, "relabel");
    assert_eq!(store.entity(person.id).expect("entity").label, "ORG");
    assert_eq!(store.redo().expect("redo"), None);
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
    store.undo().expect("undo");
    let mut edit = store.edit("status", "ann").expect("edit");
    edit.set_document_status(doc, DocStatus::Done).expect("status");
    edit.commit().expect("commit");
    assert_eq!(store.redo().expect("redo"), None);
    assert_eq!(store.undo().expect("undo").expect("status").action, "status");
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

    store.undo().expect("undo");
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
    assert_eq!(store.history_state().expect("state"), (false, false));
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
    let mut store = Store::open_in_memory().expect("store");
    let entry = UserDictEntry {
        word: "长沙经开区".into(),
        freq: Some(100),
        pos: Some("ns".into()),
    };
    store.add_user_dict(std::slice::from_ref(&entry)).expect("add");
    assert_eq!(store.user_dict().expect("dict"), [entry]);
}

#[test]
fn files_use_wal_and_foreign_keys() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nested/p.sqlite");
    let mut store = Store::open(&path).expect("open creates folders");
    let conn = store.connection();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .expect("mode");
    assert_eq!(mode, "wal");
    let fk: i64 = conn.query_row("PRAGMA foreign_keys", [], |row| row.get(0)).expect("fk");
    assert_eq!(fk, 1);
}

#[test]
fn a_version_1_file_is_migrated_with_its_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("v1.sqlite");
    {
        let conn = Connection::open(&path).expect("open");
        conn.execute_batch(migrations::MIGRATIONS[0]).expect("v1 schema");
        conn.execute_batch(
            "INSERT INTO labels(name, color, position) VALUES ('PER', '#f4a7a7', 0);
             INSERT INTO documents(id, name, content_hash, text, created_at_ms, updated_at_ms)
                 VALUES (1, 'old.txt', 'h', '王建国表示', 0, 0);
             INSERT INTO entities(document_id, char_start, char_end, label, status, source, annotator, created_at_ms, updated_at_ms)
                 VALUES (1, 0, 3, 'PER', 'accepted', 'manual', 'ann', 0, 0);
             PRAGMA user_version = 1;",
        )
        .expect("v1 data");
    }
    let mut store = Store::open(&path).expect("migrates");
    assert_eq!(store.schema_version().expect("version"), CURRENT_VERSION);
    let entities = store.entities(DocumentId(1), StatusFilter::All).expect("entities");
    assert_eq!(entities.len(), 1);
    assert_eq!(
        (entities[0].char_start, entities[0].char_end, entities[0].confidence),
        (0, 3, None)
    );
    store
        .add_user_dict(&[UserDictEntry {
            word: "王建国".into(),
            freq: None,
            pos: Some("nr".into()),
        }])
        .expect("v2 table exists");
}

#[test]
fn files_from_a_newer_build_or_other_programs_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let newer = dir.path().join("newer.sqlite");
    Connection::open(&newer)
        .expect("open")
        .execute_batch("PRAGMA user_version = 99;")
        .expect("version");
    let err = Store::open(&newer).expect_err("newer");
    assert!(err.is_user_error());
    assert!(err.to_string().contains("schema version 99"), "{err}");

    let other = dir.path().join("other.sqlite");
    Connection::open(&other)
        .expect("open")
        .execute_batch("CREATE TABLE t(x);")
        .expect("table");
    assert!(
        Store::open(&other)
            .expect_err("other")
            .to_string()
            .contains("not a biaozhu project")
    );

    let text = dir.path().join("notes.txt");
    std::fs::write(
        &text,
        "this is not a database, just some text that is long enough to have a header",
    )
    .expect("write");
    let err = Store::open(&text).expect_err("text");
    assert!(err.is_user_error(), "{err}");
}

fn suggestion(char_start: usize, char_end: usize, label: &str) -> NewEntity {
    NewEntity {
        source: "rule".into(),
        confidence: Some(0.6),
        annotator: "pretag".into(),
        ..new_entity(char_start, char_end, label, Status::Suggested)
    }
}

#[test]
fn replacing_suggestions_spares_human_work_and_is_idempotent() {
    let (mut store, doc) = store_with_document("李明在长沙工作，张华在湘潭。");
    let mut edit = store.edit("annotate", "ann").expect("edit");
    edit.add_entity(doc, &new_entity(0, 2, "PER", Status::Accepted))
        .expect("accepted");
    edit.add_entity(doc, &new_entity(8, 10, "ORG", Status::Rejected))
        .expect("rejected");
    edit.commit().expect("commit");

    let offered = [
        suggestion(0, 2, "PER"),   // overlaps the accepted entity
        suggestion(3, 5, "LOC"),   // new
        suggestion(8, 10, "ORG"),  // rejected before
        suggestion(8, 10, "PER"),  // same span, other label: allowed
        suggestion(11, 13, "LOC"), // new
    ];
    let first = store.replace_suggestions(doc, &offered, &[]).expect("first");
    assert_eq!((first.n_added, first.n_removed, first.n_kept), (3, 0, 0));
    let ids_before: Vec<EntityId> = store
        .entities(doc, StatusFilter::All)
        .expect("all")
        .iter()
        .map(|e| e.id)
        .collect();
    let second = store.replace_suggestions(doc, &offered, &[]).expect("second");
    assert_eq!((second.n_added, second.n_removed, second.n_kept), (0, 0, 3));
    let ids_after: Vec<EntityId> = store
        .entities(doc, StatusFilter::All)
        .expect("all")
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(ids_before, ids_after, "ids are stable across reruns");

    let third = store.replace_suggestions(doc, &offered[..2], &[]).expect("fewer");
    assert_eq!((third.n_added, third.n_removed, third.n_kept), (0, 2, 1));
    let statuses: Vec<(usize, Status)> = store
        .entities(doc, StatusFilter::All)
        .expect("all")
        .iter()
        .map(|e| (e.char_start, e.status))
        .collect();
    assert_eq!(
        statuses,
        [(0, Status::Accepted), (3, Status::Suggested), (8, Status::Rejected)]
    );
}

fn relation(head: EntityId, tail: EntityId, kind: &str) -> NewRelation {
    NewRelation {
        head,
        tail,
        kind: kind.into(),
        status: Status::Accepted,
        source: SOURCE_MANUAL.into(),
        annotator: "ann".into(),
    }
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
fn schema_edits_count_and_carry_what_is_in_use() {
    let (mut store, doc) = store_with_document("湖南日报记者李明");
    let mut edit = store.edit("annotate", "ann").expect("edit");
    let org = edit
        .add_entity(doc, &new_entity(0, 4, "ORG", Status::Accepted))
        .expect("org");
    let person = edit
        .add_entity(doc, &new_entity(6, 8, "PER", Status::Accepted))
        .expect("per");
    edit.add_relation(&relation(person.id, org.id, "任职"))
        .expect("relation");
    edit.commit().expect("commit");

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
    let mut other = Store::open_in_memory().expect("store");
    other
        .import_schema(&serde_json::from_str(&json).expect("parse"))
        .expect("import");
    let imported = other.schema().expect("schema");
    assert!(imported.labels.iter().any(|l| l.name == "PERSON"));
    assert!(imported.relation_types.iter().any(|t| t.name == "所在地"));
    assert!(imported.relation_types.iter().any(|t| t.name == "合作"));
}

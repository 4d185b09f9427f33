//! The per-document counts of schema version 4 and the document list read from them:
//! they must always equal a full recount, whichever write path changed the entities.

use rusqlite::Connection;

use super::*;
use crate::model::{DocStatus, StatusFilter};
use crate::store::CURRENT_VERSION;

/// Every document's counts as kept, and as recounted from the entities.
fn kept_and_recounted(store: &mut Store) -> (Vec<[i64; 4]>, Vec<[i64; 4]>) {
    let conn = store.db_for_tests();
    let read = |sql: &str| -> Vec<[i64; 4]> {
        conn.prepare(sql)
            .expect("prepare")
            .query_map(crate::store::db::params![], |row| {
                Ok([row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?])
            })
            .expect("query")
            .collect::<crate::Result<_>>()
            .expect("rows")
    };
    let kept = read(
        "SELECT d.id, c.n_suggested, c.n_accepted, c.n_rejected
         FROM documents d LEFT JOIN document_counts c ON c.document_id = d.id ORDER BY d.id",
    );
    let recounted = read(
        "SELECT d.id,
             (SELECT count(*) FROM entities e WHERE e.document_id = d.id AND e.status = 'suggested'),
             (SELECT count(*) FROM entities e WHERE e.document_id = d.id AND e.status = 'accepted'),
             (SELECT count(*) FROM entities e WHERE e.document_id = d.id AND e.status = 'rejected')
         FROM documents d ORDER BY d.id",
    );
    (kept, recounted)
}

fn assert_counts_match(store: &mut Store, after: &str) {
    let (kept, recounted) = kept_and_recounted(store);
    assert_eq!(kept, recounted, "after {after}");
    let orphans: i64 = store
        .db_for_tests()
        .query_row(
            "SELECT count(*) FROM document_counts WHERE document_id NOT IN (SELECT id FROM documents)",
            crate::store::db::params![],
            |row| row.get(0),
        )
        .expect("orphans");
    assert_eq!(orphans, 0, "after {after}");
}

/// Whether a write went through; a write the store refuses (it would break an invariant of
/// the dataset, or an undo step no longer applies) rolls back, which must keep the counts too.
fn went_through(result: crate::Result<impl Sized>) -> bool {
    match result {
        Ok(_) => true,
        Err(crate::Error::Invalid(_)) => false,
        Err(e) => panic!("{e}"),
    }
}

/// A small deterministic generator (xorshift), so that a failure repeats.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn project(n_documents: usize) -> (Store, Vec<DocumentId>) {
    project_of("", n_documents)
}

/// `n_documents` documents whose texts end with `variant`.
fn project_of(variant: &str, n_documents: usize) -> (Store, Vec<DocumentId>) {
    let mut store = new_store();
    let documents: Vec<NewDocument> = (0..n_documents)
        .map(|i| NewDocument {
            name: format!("folder/doc-{i:02}.txt"),
            entities: vec![
                new_entity(0, 2, "PER", Status::Accepted),
                suggestion(3, 5, "ORG"),
                suggestion(6, 8, "LOC"),
            ],
            ..sample_document(&format!("王建国说长沙经开区第{i}篇很忙。{variant}"))
        })
        .collect();
    store.import_documents(&documents, &mut |_| {}).expect("import");
    let ids = store.documents().expect("list").into_iter().map(|d| d.id).collect();
    (store, ids)
}

#[test]
fn counts_equal_a_full_recount_after_a_random_mix_of_writes() {
    let (mut store, ids) = project(6);
    assert_counts_match(&mut store, "import");
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    let statuses = [Status::Suggested, Status::Accepted, Status::Rejected];
    let mut n_written = 0;
    for step in 0..400 {
        let what = random.below(8);
        let document = ids[random.below(ids.len())];
        let entities = store.entities(document, StatusFilter::All).expect("entities");
        match what {
            0 | 1 => {
                let start = random.below(12);
                let mut edit = store.edit("add", "ann").expect("edit");
                let status = statuses[random.below(3)];
                edit.add_entity(document, &new_entity(start, start + 1 + random.below(3), "PER", status))
                    .expect("add");
                n_written += usize::from(went_through(edit.commit()));
            }
            2 | 3 if !entities.is_empty() => {
                let mut edit = store.edit("update", "ann").expect("edit");
                // Several changes in one action: status, label, span, or nothing at all.
                for _ in 0..1 + random.below(3) {
                    let id = entities[random.below(entities.len())].id;
                    let status = statuses[random.below(3)];
                    let relabel = random.below(2) == 0;
                    edit.update_entity(id, |e| {
                        e.status = status;
                        if relabel {
                            e.label = "LOC".into();
                        }
                    })
                    .expect("update");
                }
                n_written += usize::from(went_through(edit.commit()));
            }
            4 if !entities.is_empty() => {
                let mut edit = store.edit("delete", "ann").expect("edit");
                edit.delete_entity(entities[random.below(entities.len())].id)
                    .expect("delete");
                n_written += usize::from(went_through(edit.commit()));
            }
            5 => {
                n_written += usize::from(went_through(store.undo("ann")));
            }
            6 => {
                n_written += usize::from(went_through(store.redo("ann")));
            }
            _ => {
                let start = random.below(10);
                let result = store.replace_suggestions(document, &[suggestion(start, start + 2, "ORG")], &[]);
                n_written += usize::from(went_through(result));
            }
        }
        if step % 7 == 0 {
            // A rolled-back edit leaves the counts as they were.
            let mut edit = store.edit("dropped", "ann").expect("edit");
            edit.add_entity(document, &new_entity(0, 1, "PER", Status::Accepted))
                .expect("add");
            drop(edit);
        }
        assert_counts_match(&mut store, &format!("step {step} ({what})"));
    }
    assert!(n_written > 200, "most writes went through: {n_written}");
    // A schema edit that deletes a label's entities everywhere, and its undo.
    let mut edit = store.edit("remove LOC", "ann").expect("edit");
    edit.remove_label("LOC", true).expect("remove");
    edit.commit().expect("commit");
    assert_counts_match(&mut store, "removing a label");
    went_through(store.undo("ann"));
    assert_counts_match(&mut store, "undoing the removal");
    // Merging another project in adds its documents with their counts.
    let (other, _) = project_of("又", 4);
    store.merge(&other).expect("merge");
    assert_counts_match(&mut store, "merge");
    // A document deleted takes its entities and its counts.
    store
        .db_for_tests()
        .execute(
            "DELETE FROM documents WHERE id = ?1",
            crate::store::db::params![ids[0].0],
        )
        .expect("delete document");
    assert_counts_match(&mut store, "deleting a document");
}

#[test]
fn a_version_3_file_is_migrated_with_its_counts_backfilled() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("v3.sqlite");
    {
        let conn = Connection::open(&path).expect("open");
        for sql in &crate::store::migrations::MIGRATIONS[..3] {
            conn.execute_batch(sql).expect("v1 to v3 schema");
        }
        conn.execute_batch(
            "INSERT INTO labels(name, color, position) VALUES ('PER', '#f4a7a7', 0);
             INSERT INTO documents(id, name, content_hash, text, created_at_ms, updated_at_ms)
                 VALUES (1, 'a.txt', 'h1', '王建国和李明', 0, 0), (2, 'b.txt', 'h2', '无', 0, 0),
                        (3, 'c.txt', 'h3', '王建国', 0, 0);
             INSERT INTO entities(document_id, char_start, char_end, label, status, source, annotator, created_at_ms, updated_at_ms)
                 VALUES (1, 0, 3, 'PER', 'accepted', 'manual', 'ann', 0, 0),
                        (1, 4, 6, 'PER', 'suggested', 'rule', 'pretag', 0, 0),
                        (1, 4, 5, 'PER', 'rejected', 'rule', 'pretag', 0, 0),
                        (3, 0, 3, 'PER', 'suggested', 'rule', 'pretag', 0, 0),
                        (3, 0, 2, 'PER', 'suggested', 'rule', 'pretag', 0, 0);
             PRAGMA user_version = 3;",
        )
        .expect("v3 data");
    }
    let mut store = Store::open(&path).expect("migrates");
    assert_eq!(store.schema_version().expect("version"), CURRENT_VERSION);
    assert_counts_match(&mut store, "the migration");
    let counts: Vec<(usize, usize, usize)> = store
        .documents()
        .expect("list")
        .iter()
        .map(|d| (d.n_suggested, d.n_accepted, d.n_rejected))
        .collect();
    assert_eq!(counts, [(1, 1, 1), (0, 0, 0), (2, 0, 0)]);
    // The triggers keep them from here on.
    let mut edit = store.edit("accept", "ann").expect("edit");
    edit.update_entity(EntityId(4), |e| e.status = Status::Accepted)
        .expect("accept");
    edit.commit().expect("commit");
    assert_eq!(store.document_summary(DocumentId(3)).expect("line").n_suggested, 1);
    assert_eq!(store.annotators().expect("annotators"), ["ann"]);
}

#[test]
fn the_list_is_read_a_page_at_a_time_filtered_and_in_id_order() {
    let (mut store, ids) = project(12);
    assert_eq!(store.document_count("").expect("count"), 12);
    let page = store.document_page("", 3, 4).expect("page");
    assert_eq!(page.iter().map(|d| d.id).collect::<Vec<_>>(), ids[3..7]);
    assert_eq!(page[0].name, "folder/doc-03.txt");
    assert_eq!((page[0].n_suggested, page[0].n_accepted, page[0].n_rejected), (2, 1, 0));
    assert_eq!(page[0].n_chars, "王建国说长沙经开区第3篇很忙。".chars().count());
    assert_eq!(page[0], store.document_summary(ids[3]).expect("line"));
    assert_eq!(page, store.documents().expect("all")[3..7]);
    let progress = store.document_progress("", ids[3], ids[6]).expect("by ids");
    assert_eq!(progress.len(), 4);
    assert_eq!(progress[0], (ids[3], DocStatus::New, [2, 1, 0, 0]));
    // Past the end: what is left, then nothing.
    assert_eq!(store.document_page("", 10, 5).expect("end").len(), 2);
    assert!(store.document_page("", 12, 5).expect("past").is_empty());

    // A filter is a substring of the whole name, case and all, and pages among its matches.
    assert_eq!(store.document_count("doc-1").expect("count"), 2);
    let matches = store.document_page("doc-1", 0, 10).expect("matches");
    assert_eq!(matches.iter().map(|d| d.id).collect::<Vec<_>>(), ids[10..12]);
    assert_eq!(store.document_page("doc-1", 1, 10).expect("second")[0].id, ids[11]);
    let progress = store.document_progress("doc-1", ids[0], ids[10]).expect("by ids");
    assert_eq!(progress.iter().map(|p| p.0).collect::<Vec<_>>(), [ids[10]]);
    assert_eq!(store.document_count("folder/").expect("folder"), 12);
    assert_eq!(store.document_count("DOC").expect("case"), 0);
    assert_eq!(store.document_count("%").expect("no wildcards"), 0);

    // The next document to do skips the done ones and starts over at the end.
    let mut edit = store.edit("done", "ann").expect("edit");
    for id in &ids[1..11] {
        edit.set_document_status(*id, DocStatus::Done).expect("done");
    }
    edit.set_document_status(ids[11], DocStatus::InProgress)
        .expect("started");
    edit.commit().expect("commit");
    assert_eq!(store.next_document_to_do(Some(ids[0])).expect("next"), Some(ids[11]));
    assert_eq!(store.next_document_to_do(Some(ids[11])).expect("next"), None);
    assert_eq!(store.next_document_to_do(None).expect("first"), Some(ids[0]));
    assert_eq!(store.first_document().expect("first"), Some(ids[0]));
    assert_eq!(store.document_page("", 1, 1).expect("page")[0].status, DocStatus::Done);
}

#[test]
fn the_annotators_are_read_without_a_pass_over_the_entities() {
    if on_server() {
        return; // SQLite's query plan
    }
    let (mut store, ids) = project(3);
    for annotator in ["zoe", "ann", "gold"] {
        let mut edit = store.edit("add", annotator).expect("edit");
        edit.add_entity(ids[1], &new_entity(10, 11, "PER", Status::Accepted))
            .expect("add");
        edit.commit().expect("commit");
    }
    // Suggestions (the pre-tagger's) and rejections make no layer.
    assert_eq!(store.annotators().expect("annotators"), ["ann", "gold", "zoe"]);
    let plan: Vec<String> = store
        .connection()
        .prepare(
            "EXPLAIN QUERY PLAN SELECT min(annotator) FROM entities WHERE status = 'accepted' AND annotator > 'ann'",
        )
        .expect("plan")
        .query_map([], |row| row.get::<_, String>(3))
        .expect("rows")
        .collect::<rusqlite::Result<_>>()
        .expect("plan rows");
    assert!(
        plan.iter().any(|step| step.contains("entities_by_annotator")),
        "{plan:?}"
    );
}

//! The dataset invariants on every write path: edits, import, merge, pre-tagging, undo
//! and redo.

use super::*;
use crate::Error;
use crate::integrity::{Violation, check_document};
use crate::model::{IndexedRelation, StatusFilter};

/// Every violation of every document, by the pure check over what is stored.
fn violations(store: &Store) -> Vec<Violation> {
    let types = store.relation_types().expect("types");
    let mut found = Vec::new();
    for summary in store.documents().expect("documents") {
        let entities = store.entities(summary.id, StatusFilter::All).expect("entities");
        let relations = store.relations(summary.id, StatusFilter::All).expect("relations");
        found.extend(check_document(summary.id, &entities, &relations, &types));
    }
    found
}

fn refused(result: crate::Result<()>) -> String {
    match result {
        Err(Error::Invalid(message)) => message,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn by(annotator: &str, entity: NewEntity) -> NewEntity {
    NewEntity {
        annotator: annotator.into(),
        ..entity
    }
}

#[test]
fn an_edit_that_overlaps_in_one_layer_is_refused_and_rolled_back() {
    let (mut store, doc) = store_with_document("省长王建国在长沙考察");
    let mut edit = store.edit("add two", "ann").expect("edit");
    edit.add_entity(doc, &new_entity(2, 5, "PER", Status::Accepted))
        .expect("first");
    edit.add_entity(doc, &new_entity(3, 5, "PER", Status::Accepted))
        .expect("second");
    let message = refused(edit.commit());
    assert!(message.contains("overlap"), "{message}");
    assert!(message.contains("[2, 5)") && message.contains("[3, 5)"), "{message}");
    assert!(store.entities(doc, StatusFilter::All).expect("entities").is_empty());
    assert_eq!(store.history_state("ann").expect("state"), (false, false));

    let mut edit = store.edit("add", "ann").expect("edit");
    let person = edit
        .add_entity(doc, &new_entity(2, 5, "PER", Status::Accepted))
        .expect("person");
    let place = edit
        .add_entity(doc, &new_entity(6, 8, "LOC", Status::Accepted))
        .expect("place");
    edit.commit().expect("adjacent spans do not overlap");
    let mut edit = store.edit("move", "ann").expect("edit");
    edit.update_entity(place.id, |e| e.char_start = 4).expect("update");
    assert!(refused(edit.commit()).contains("overlap"));
    assert_eq!(store.entity(place.id).expect("place").char_start, 6);
    assert_eq!(store.entity(person.id).expect("person"), person);
}

#[test]
fn two_annotators_may_overlap_each_other() {
    let (mut store, doc) = store_with_document("省长王建国在长沙考察");
    for (annotator, start) in [("ann", 2), ("bob", 3)] {
        let mut edit = store.edit("add", annotator).expect("edit");
        edit.add_entity(doc, &new_entity(start, 5, "PER", Status::Accepted))
            .expect("add");
        edit.commit().expect("layers are separate");
    }
    // A rejected entity never counts.
    let mut edit = store.edit("add rejected", "ann").expect("edit");
    edit.add_entity(doc, &new_entity(1, 4, "PER", Status::Rejected))
        .expect("add");
    edit.commit().expect("rejected entities do not overlap anything");
    assert_eq!(store.entities(doc, StatusFilter::All).expect("entities").len(), 3);
    assert!(store.check().expect("check").is_empty());
}

#[test]
fn import_refuses_an_overlapping_layer_and_imports_nothing() {
    let mut store = new_store();
    let good = sample_document("李明在长沙");
    let bad = NewDocument {
        name: "b.jsonl:1".into(),
        entities: vec![
            NewEntity::imported(2, 5, "PER", "import"),
            NewEntity::imported(3, 5, "PER", "import"),
        ],
        ..sample_document("省长王建国在长沙考察")
    };
    let err = store.import_documents(&[good, bad], &mut |_| {}).expect_err("overlap");
    assert!(
        err.to_string().contains("b.jsonl:1") && err.to_string().contains("overlap"),
        "{err}"
    );
    assert!(store.documents().expect("documents").is_empty(), "all or nothing");

    let self_relation = NewDocument {
        entities: vec![NewEntity::imported(0, 2, "PER", "import")],
        relations: vec![IndexedRelation::imported(0, 0, "任职")],
        ..sample_document("李明在长沙")
    };
    assert!(store.import_documents(&[self_relation], &mut |_| {}).is_err());
    let wrong_way = NewDocument {
        entities: vec![
            NewEntity::imported(0, 2, "PER", "import"),
            NewEntity::imported(3, 5, "LOC", "import"),
        ],
        relations: vec![IndexedRelation::imported(1, 0, "任职")],
        ..sample_document("李明在长沙")
    };
    let err = store.import_documents(&[wrong_way], &mut |_| {}).expect_err("LOC→PER");
    assert!(err.to_string().contains("任职"), "{err}");
    assert!(store.documents().expect("documents").is_empty());
}

#[test]
fn merge_refuses_an_overlap_in_one_layer_and_merges_nothing() {
    let (mut target, doc) = store_with_document("省长王建国在长沙考察");
    let mut edit = target.edit("add", "ann").expect("edit");
    edit.add_entity(doc, &new_entity(2, 5, "PER", Status::Accepted))
        .expect("add");
    edit.commit().expect("commit");
    let (mut source, source_doc) = store_with_document("省长王建国在长沙考察");
    let mut edit = source.edit("add", "ann").expect("edit");
    edit.add_entity(source_doc, &new_entity(3, 5, "PER", Status::Accepted))
        .expect("add");
    edit.add_entity(source_doc, &new_entity(6, 8, "LOC", Status::Accepted))
        .expect("add");
    edit.commit().expect("commit");
    let err = target.merge(&source).expect_err("ann's layers overlap");
    assert!(err.to_string().contains("overlap"), "{err}");
    assert_eq!(target.entities(doc, StatusFilter::All).expect("entities").len(), 1);

    // Another annotator's layer merges in beside it.
    let (mut other, other_doc) = store_with_document("省长王建国在长沙考察");
    let mut edit = other.edit("add", "bob").expect("edit");
    edit.add_entity(other_doc, &new_entity(3, 5, "PER", Status::Accepted))
        .expect("add");
    edit.commit().expect("commit");
    target.merge(&other).expect("bob's layer is his own");
    assert_eq!(target.entities(doc, StatusFilter::All).expect("entities").len(), 2);
}

/// Two pre-tagged entities and the suggested 任职 between them.
fn suggested_pair() -> (Store, DocumentId, Entity, Entity) {
    let (mut store, doc) = store_with_document("湖南日报记者李明");
    store
        .replace_suggestions(
            doc,
            &[suggestion(0, 4, "ORG"), suggestion(6, 8, "PER")],
            &[IndexedRelation::suggested(1, 0, "任职", "rule", 0.5)],
        )
        .expect("pretag");
    let entities = store.entities(doc, StatusFilter::All).expect("entities");
    assert_eq!(store.relations(doc, StatusFilter::All).expect("relations").len(), 1);
    (store, doc, entities[0].clone(), entities[1].clone())
}

#[test]
fn rejecting_an_entity_drops_its_relation_suggestions_and_undo_restores_them() {
    let (mut store, doc, _org, person) = suggested_pair();
    let before = store.relations(doc, StatusFilter::All).expect("relations");
    let mut edit = store.edit("reject", "ann").expect("edit");
    edit.update_entity(person.id, |e| e.status = Status::Rejected)
        .expect("reject");
    edit.commit().expect("commit");
    assert!(store.relations(doc, StatusFilter::All).expect("relations").is_empty());
    assert!(violations(&store).is_empty());

    store.undo("ann").expect("undo").expect("the reject");
    assert_eq!(store.relations(doc, StatusFilter::All).expect("relations"), before);
    assert_eq!(store.entity(person.id).expect("person").status, Status::Suggested);
    store.redo("ann").expect("redo").expect("the reject");
    assert!(store.relations(doc, StatusFilter::All).expect("relations").is_empty());
}

#[test]
fn rejecting_the_head_of_an_accepted_relation_removes_it() {
    let (mut store, doc, _org, person, employ) = annotated();
    let mut edit = store.edit("reject", "ann").expect("edit");
    edit.update_entity(person.id, |e| e.status = Status::Rejected)
        .expect("reject");
    edit.commit().expect("commit");
    assert!(store.relations(doc, StatusFilter::All).expect("relations").is_empty());
    assert!(store.check().expect("check").is_empty());
    store.undo("ann").expect("undo");
    assert_eq!(store.relation(employ.id).expect("back"), employ);
}

#[test]
fn pretagging_never_leaves_a_relation_on_a_rejected_or_unfitting_end() {
    let (mut store, doc, org, person) = suggested_pair();
    let mut edit = store.edit("reject", "ann").expect("edit");
    edit.update_entity(org.id, |e| e.status = Status::Rejected)
        .expect("reject");
    edit.commit().expect("commit");
    let offered = [
        suggestion(0, 4, "ORG"),
        suggestion(6, 8, "PER"),
        suggestion(4, 6, "TITLE"),
    ];
    let relations = [
        IndexedRelation::suggested(1, 0, "任职", "rule", 0.5),
        IndexedRelation::suggested(0, 1, "任职", "rule", 0.5),
        IndexedRelation::suggested(1, 2, "职务", "rule", 0.5),
        IndexedRelation::suggested(1, 2, "职务", "rule", 0.5),
        IndexedRelation::suggested(2, 1, "职务", "rule", 0.5),
    ];
    store.replace_suggestions(doc, &offered, &relations).expect("pretag");
    assert!(violations(&store).is_empty(), "{:#?}", violations(&store));
    let kept = store.relations(doc, StatusFilter::All).expect("relations");
    assert_eq!(kept.len(), 1, "one 职务 from the person, once: {kept:#?}");
    assert_eq!(kept[0].head, person.id);

    // Overlapping suggestions of one layer: the first wins.
    let crowded = [
        suggestion(0, 4, "LOC"),
        suggestion(2, 6, "ORG"),
        suggestion(6, 8, "PER"),
    ];
    store.replace_suggestions(doc, &crowded, &[]).expect("pretag");
    assert!(violations(&store).is_empty(), "{:#?}", violations(&store));
}

#[test]
fn undo_and_redo_that_would_overlap_are_refused() {
    let text = "省长王建国在长沙考察";
    let (mut store, doc) = store_with_document(text);
    let mut edit = store.edit("add", "ann").expect("edit");
    let person = edit
        .add_entity(doc, &new_entity(2, 5, "PER", Status::Accepted))
        .expect("add");
    edit.commit().expect("commit");
    let mut edit = store.edit("delete", "ann").expect("edit");
    edit.delete_entity(person.id).expect("delete");
    edit.commit().expect("commit");
    // A merge is not logged: it brings ann's other span where the deleted one was. (Bob's
    // entity comes first and takes the freed row id, which undo's upsert then overwrites.)
    let (mut source, source_doc) = store_with_document(text);
    for (annotator, start, end) in [("bob", 0, 1), ("ann", 3, 5)] {
        let mut edit = source.edit("add", annotator).expect("edit");
        edit.add_entity(source_doc, &new_entity(start, end, "PER", Status::Accepted))
            .expect("add");
        edit.commit().expect("commit");
    }
    store.merge(&source).expect("merge");

    let err = store.undo("ann").expect_err("the row is another's now");
    if on_server() {
        // A server never reuses an id: the undo meets ann's merged span instead.
        assert!(err.to_string().contains("overlap"), "{err}");
    } else {
        // Bob's entity took the freed row id: undo never overwrites it.
        assert!(err.to_string().contains("changed since"), "{err}");
        assert_eq!(store.entity(person.id).expect("bob's").annotator, "bob");
    }
    assert!(violations(&store).is_empty());
    assert_eq!(
        store.history_state("ann").expect("state"),
        (false, false),
        "the step is cut from the log"
    );

    let (mut store, doc) = store_with_document(text);
    let mut edit = store.edit("add", "ann").expect("edit");
    edit.add_entity(doc, &new_entity(2, 5, "PER", Status::Accepted))
        .expect("add");
    edit.commit().expect("commit");
    store.undo("ann").expect("undo");
    store.merge(&source).expect("merge");
    let err = store.redo("ann").expect_err("redoing the add would overlap");
    let expected = if on_server() { "overlap" } else { "changed since" };
    assert!(err.to_string().contains(expected), "the merged row took the id: {err}");
    assert!(violations(&store).is_empty());
}

/// SplitMix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut x = self.0;
        x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        x ^ (x >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.below(items.len())])
    }
}

#[test]
fn random_edits_by_two_annotators_with_undo_and_redo_keep_the_invariants() {
    const TEXT: &str = "湖南日报记者李明在长沙采访省长王建国和张华。";
    let labels = ["PER", "ORG", "LOC", "TITLE"];
    let kinds = ["任职", "职务", "位于", "投资"];
    let statuses = [Status::Suggested, Status::Accepted, Status::Rejected];
    let n_chars = TEXT.chars().count();
    for seed in 0..8u64 {
        let mut rng = Rng(seed);
        let (mut store, doc) = store_with_document(TEXT);
        let (mut n_ok, mut n_refused) = (0, 0);
        for step in 0..200 {
            let annotator = ["ann", "bob"][rng.below(2)];
            let entities = store.entities(doc, StatusFilter::All).expect("entities");
            let relations = store.relations(doc, StatusFilter::All).expect("relations");
            let span = |rng: &mut Rng| {
                let start = rng.below(n_chars - 1);
                (start, (start + 1 + rng.below(4)).min(n_chars))
            };
            let result: crate::Result<()> = match rng.below(9) {
                0 | 1 => {
                    let (start, end) = span(&mut rng);
                    let label = labels[rng.below(labels.len())];
                    let status = statuses[rng.below(2)];
                    store.edit("add", annotator).and_then(|mut edit| {
                        edit.add_entity(doc, &by(annotator, new_entity(start, end, label, status)))?;
                        edit.commit()
                    })
                }
                2 => {
                    let Some(target) = rng.pick(&entities).cloned() else {
                        continue;
                    };
                    let status = statuses[rng.below(3)];
                    let (start, end) = span(&mut rng);
                    let moves = rng.below(2) == 0;
                    store.edit("update", annotator).and_then(|mut edit| {
                        edit.update_entity(target.id, |e| {
                            e.status = status;
                            if moves {
                                (e.char_start, e.char_end) = (start, end);
                            }
                        })?;
                        edit.commit()
                    })
                }
                3 => {
                    let Some(target) = rng.pick(&entities).cloned() else {
                        continue;
                    };
                    store.edit("delete", annotator).and_then(|mut edit| {
                        edit.delete_entity(target.id)?;
                        edit.commit()
                    })
                }
                4 => {
                    let (Some(head), Some(tail)) = (rng.pick(&entities).cloned(), rng.pick(&entities).cloned()) else {
                        continue;
                    };
                    let kind = kinds[rng.below(kinds.len())];
                    let status = statuses[rng.below(2)];
                    store.edit("relate", annotator).and_then(|mut edit| {
                        edit.add_relation(&NewRelation {
                            status,
                            ..relation(head.id, tail.id, kind)
                        })?;
                        edit.commit()
                    })
                }
                5 => {
                    let Some(target) = rng.pick(&relations).cloned() else {
                        continue;
                    };
                    let reject = rng.below(2) == 0;
                    store.edit("unrelate", annotator).and_then(|mut edit| {
                        if reject {
                            edit.update_relation(target.id, |r| r.status = Status::Rejected)?;
                        } else {
                            edit.delete_relation(target.id)?;
                        }
                        edit.commit()
                    })
                }
                6 => {
                    let offered: Vec<NewEntity> = (0..4)
                        .map(|_| {
                            let (start, end) = span(&mut rng);
                            suggestion(start, end, labels[rng.below(labels.len())])
                        })
                        .collect();
                    let linked: Vec<IndexedRelation> = (0..3)
                        .map(|_| {
                            let kind = kinds[rng.below(kinds.len())];
                            IndexedRelation::suggested(rng.below(4), rng.below(4), kind, "rule", 0.5)
                        })
                        .collect();
                    let change = store.replace_suggestions(doc, &offered, &linked);
                    change.unwrap_or_else(|e| panic!("seed {seed} step {step}: pre-tagging failed: {e}"));
                    Ok(())
                }
                7 => store.undo(annotator).map(|_| ()),
                _ => store.redo(annotator).map(|_| ()),
            };
            match result {
                Ok(()) => n_ok += 1,
                Err(Error::Invalid(_)) => n_refused += 1,
                Err(e) => panic!("seed {seed} step {step}: {e}"),
            }
            let found = violations(&store);
            assert!(found.is_empty(), "seed {seed} step {step}: {found:#?}");
        }
        assert!(
            n_ok > 50 && n_refused > 0,
            "seed {seed}: {n_ok} applied, {n_refused} refused"
        );
        assert!(store.check().expect("check").is_empty());
    }
}

#[test]
fn relabelling_drops_the_suggestions_the_new_label_breaks_and_refuses_for_accepted_ones() {
    let (mut store, doc, _org, person) = suggested_pair();
    let mut edit = store.edit("relabel", "ann").expect("edit");
    edit.update_entity(person.id, |e| {
        e.label = "TITLE".into();
        e.status = Status::Accepted;
    })
    .expect("relabel");
    edit.commit().expect("the 任职 suggestion goes with the PER label");
    assert!(store.relations(doc, StatusFilter::All).expect("relations").is_empty());
    store.undo("ann").expect("undo");
    assert_eq!(store.relations(doc, StatusFilter::All).expect("relations").len(), 1);

    let (mut store, _doc, org, _person, employ) = annotated();
    let mut edit = store.edit("relabel", "ann").expect("edit");
    edit.update_entity(org.id, |e| e.label = "LOC".into()).expect("relabel");
    let message = refused(edit.commit());
    assert!(
        message.contains("bad relation type") && message.contains("任职"),
        "{message}"
    );
    assert_eq!(store.relation(employ.id).expect("kept"), employ);
}

#[test]
fn check_reads_the_rows_and_reports_hashes_labels_and_the_schema() {
    if on_server() {
        return; // writes behind the store's back, which the server's constraints refuse (suite::server)
    }
    let (mut store, doc, _org, person, _employ) = annotated();
    assert!(store.check().expect("check").is_empty());
    let conn = store.connection();
    conn.execute("UPDATE documents SET content_hash = 'abc' WHERE id = ?1", [doc.0])
        .expect("hash");
    conn.execute("UPDATE entities SET status = 'suggested' WHERE id = ?1", [person.id.0])
        .expect("status");
    conn.execute(
        "UPDATE relation_types SET tail_labels = '[\"ORG\",\"NOPE\"]' WHERE name = '任职'",
        [],
    )
    .expect("schema");
    let kinds: Vec<&str> = store.check().expect("check").iter().map(|v| v.kind.as_str()).collect();
    assert_eq!(kinds, ["schema", "content hash", "unaccepted end"]);
}

#[test]
fn undoing_every_step_restores_the_start_exactly_and_redoing_them_the_end() {
    const TEXT: &str = "湖南日报记者李明在长沙采访省长王建国和张华。";
    let labels = ["PER", "ORG", "LOC", "TITLE"];
    let kinds = ["任职", "职务", "位于"];
    let n_chars = TEXT.chars().count();
    for seed in 100..106u64 {
        let mut rng = Rng(seed);
        let (mut store, doc) = store_with_document(TEXT);
        let snapshot = |store: &Store| {
            (
                store.entities(doc, StatusFilter::All).expect("entities"),
                store.relations(doc, StatusFilter::All).expect("relations"),
                store.document(doc).expect("document").status,
            )
        };
        let start = snapshot(&store);
        let mut n_logged = 0;
        for _ in 0..120 {
            let entities = store.entities(doc, StatusFilter::All).expect("entities");
            let result = match rng.below(4) {
                0 | 1 => {
                    let char_start = rng.below(n_chars - 1);
                    let char_end = (char_start + 1 + rng.below(4)).min(n_chars);
                    let label = labels[rng.below(labels.len())];
                    store.edit("add", "ann").and_then(|mut edit| {
                        edit.add_entity(doc, &new_entity(char_start, char_end, label, Status::Accepted))?;
                        edit.commit()
                    })
                }
                2 => {
                    let Some(target) = rng.pick(&entities).cloned() else {
                        continue;
                    };
                    let delete = rng.below(2) == 0;
                    store.edit("change", "ann").and_then(|mut edit| {
                        if delete {
                            edit.delete_entity(target.id)?;
                        } else {
                            edit.update_entity(target.id, |e| e.status = Status::Rejected)?;
                        }
                        edit.commit()
                    })
                }
                _ => {
                    let (Some(head), Some(tail)) = (rng.pick(&entities).cloned(), rng.pick(&entities).cloned()) else {
                        continue;
                    };
                    let kind = kinds[rng.below(kinds.len())];
                    store.edit("relate", "ann").and_then(|mut edit| {
                        edit.add_relation(&relation(head.id, tail.id, kind))?;
                        edit.commit()
                    })
                }
            };
            if result.is_ok() {
                n_logged += 1;
            }
        }
        let end = snapshot(&store);
        let mut n_undone = 0;
        while store.undo("ann").expect("every step undoes").is_some() {
            n_undone += 1;
        }
        assert_eq!(snapshot(&store), start, "seed {seed}: undone back to the start");
        while store.redo("ann").expect("every step redoes").is_some() {}
        assert_eq!(snapshot(&store), end, "seed {seed}: redone to the end");
        assert!(
            n_undone > 20 && n_undone <= n_logged,
            "seed {seed}: {n_undone} of {n_logged}"
        );
    }
}

#[test]
fn check_recounts_the_document_list_counts() {
    if on_server() {
        return; // writes behind the store's back, which the server's constraints refuse (suite::server)
    }
    let (mut store, doc, _, _, _) = annotated();
    assert!(store.check().expect("check").is_empty());
    store
        .connection()
        .execute(
            "UPDATE document_counts SET n_accepted = 7 WHERE document_id = ?1",
            [doc.0],
        )
        .expect("written behind the store's back");
    let found = store.check().expect("check");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].to_string().contains("the document list counts"),
        "{}",
        found[0]
    );
}

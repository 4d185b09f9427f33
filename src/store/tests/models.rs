//! Models and what they learn from: which layers are complete, storing and reading back.

use super::*;
use crate::model::{DocStatus, TrainReport};
use crate::store::TrainingLayers;

fn imported(text: &str, entities: Vec<NewEntity>, labelled: bool) -> NewDocument {
    NewDocument {
        entities,
        labelled,
        relation_annotator: "import".into(),
        name: text.into(),
        ..sample_document(text)
    }
}

fn accepted_by(char_start: usize, char_end: usize, label: &str, annotator: &str) -> NewEntity {
    NewEntity {
        annotator: annotator.into(),
        ..new_entity(char_start, char_end, label, Status::Accepted)
    }
}

#[test]
fn complete_layers_train_and_unreviewed_ones_wait() {
    let mut store = new_store();
    store
        .import_documents(
            &[
                // A labelled record with no entities: a complete layer all the same.
                imported("没有实体的一句话", Vec::new(), true),
                imported("王建国在长沙", vec![accepted_by(0, 3, "PER", "import")], true),
                // Plain text: nobody has annotated it.
                imported("一段未标注的文字", Vec::new(), false),
            ],
            &mut |_| {},
        )
        .expect("import");
    let ids: Vec<DocumentId> = store.documents().expect("list").iter().map(|d| d.id).collect();
    let texts = |store: &Store, layers: &TrainingLayers| -> Vec<String> {
        let set = store.training_set(layers).expect("set");
        set.documents.into_iter().map(|d| d.text).collect()
    };
    assert_eq!(
        texts(&store, &TrainingLayers::All),
        ["没有实体的一句话", "王建国在长沙"]
    );

    // An annotator accepts a span in the plain document while a suggestion there waits.
    store
        .replace_suggestions(ids[2], &[suggestion(0, 2, "ORG")], &[])
        .expect("suggest");
    let mut edit = store.edit("add", "ann").expect("edit");
    edit.add_entity(ids[2], &accepted_by(5, 7, "LOC", "ann")).expect("add");
    edit.commit().expect("commit");
    let set = store.training_set(&TrainingLayers::All).expect("set");
    assert_eq!(set.documents.len(), 2, "the suggestion waits for review");
    assert_eq!(set.n_unreviewed, 1);
    // Marked done, it counts, suggestion or not.
    let mut edit = store.edit("done", "ann").expect("edit");
    edit.set_document_status(ids[2], DocStatus::Done).expect("status");
    edit.commit().expect("commit");
    let set = store.training_set(&TrainingLayers::All).expect("set");
    assert_eq!(set.documents.len(), 3);
    assert_eq!(set.annotators, ["ann", "import"]);
    let layer = set
        .documents
        .iter()
        .find(|d| d.key == ids[2].0 as u64)
        .expect("ann's layer");
    assert_eq!(layer.entities, vec![(5, 7, "LOC".to_owned())]);
    // One annotator's layers only.
    assert_eq!(
        texts(&store, &TrainingLayers::Annotator("ann".into())),
        ["一段未标注的文字"]
    );
}

#[test]
fn a_gold_layer_stands_for_its_document() {
    let mut store = new_store();
    store
        .import_documents(&[imported("王建国在长沙", Vec::new(), false)], &mut |_| {})
        .expect("import");
    let id = store.documents().expect("list")[0].id;
    for (annotator, end) in [("ann", 2), ("gold", 3)] {
        let mut edit = store.edit("add", annotator).expect("edit");
        edit.add_entity(id, &accepted_by(0, end, "PER", annotator))
            .expect("add");
        edit.commit().expect("commit");
    }
    let set = store.training_set(&TrainingLayers::All).expect("set");
    assert_eq!(set.documents.len(), 1);
    assert_eq!(set.documents[0].entities, vec![(0, 3, "PER".to_owned())]);
}

#[test]
fn models_are_stored_newest_with_bytes_and_every_run_in_the_history() {
    let mut store = new_store();
    assert!(store.latest_model().expect("none yet").is_none());
    let report = |n: usize| TrainReport {
        n_documents: n,
        n_sentences: 2 * n,
        labels: vec!["ORG".into()],
        dev_f1_model: Some(0.5),
        dev_f1_rules: Some(0.25),
        ..TrainReport::default()
    };
    store.save_model(&report(10), 1, b"first").expect("save");
    let second = store.save_model(&report(20), 1, b"second").expect("save");
    let (record, bytes) = store.latest_model().expect("read").expect("a model");
    assert_eq!((record.id, bytes.as_slice()), (second, b"second".as_slice()));
    assert_eq!(record.report, report(20));
    let history = store.model_history().expect("history");
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].report.n_sentences, 20);
    assert!(!history[0].has_bytes, "only the newest keeps its bytes");
    assert!(history[1].has_bytes);
}

#[test]
fn the_uncertainty_order_puts_the_least_sure_first() {
    let mut store = new_store();
    let docs: Vec<NewDocument> = ["甲文", "乙文", "丙文"]
        .iter()
        .map(|t| imported(t, Vec::new(), false))
        .collect();
    store.import_documents(&docs, &mut |_| {}).expect("import");
    let ids: Vec<DocumentId> = store.documents().expect("list").iter().map(|d| d.id).collect();
    let sure = |confidence: f64| NewEntity {
        confidence: Some(confidence),
        ..suggestion(0, 1, "ORG")
    };
    store.replace_suggestions(ids[0], &[sure(0.9)], &[]).expect("suggest");
    store.replace_suggestions(ids[1], &[sure(0.2)], &[]).expect("suggest");
    let order = store.documents_by_uncertainty("").expect("order");
    assert_eq!(order, vec![(ids[1], Some(0.2)), (ids[0], Some(0.9)), (ids[2], None)]);
    let lines = store.document_summaries(&[ids[2], ids[0]]).expect("lines");
    assert_eq!(lines.iter().map(|l| l.id).collect::<Vec<_>>(), [ids[2], ids[0]]);
    assert_eq!(
        store.documents_by_uncertainty("乙").expect("filtered"),
        vec![(ids[1], Some(0.2))]
    );
}

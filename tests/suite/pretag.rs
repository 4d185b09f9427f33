//! The pre-tagger against the project: the figures fixture, stored suggestions, the gazetteer.

use biaozhu::eval::Scores;
use biaozhu::model::{CharSpan, NewEntity, Status};
use biaozhu::model::{NewDocument, StatusFilter};
use biaozhu::pretag::Pretagger;
use biaozhu::project::import::read_file;
use biaozhu::project::pretag::pretag_documents;
use biaozhu::store::Store;

use super::util::repo_root;

#[test]
fn figures_fixture_scores_high() {
    // 136 hand-written news sentences; see tests/fixtures/figures.jsonl.
    let (documents, _, _) = read_file(&repo_root().join("tests/fixtures/figures.jsonl"), "gold").expect("fixture");
    assert!(documents.len() >= 80);
    let tagger = Pretagger::default();
    let mut scores = Scores::default();
    for document in &documents {
        let gold: Vec<_> = document
            .entities
            .iter()
            .map(|e| (e.char_start, e.char_end, e.label.clone()))
            .collect();
        let pred: Vec<_> = tagger
            .tag(&document.text)
            .into_iter()
            .filter(|s| matches!(s.label, "MONEY" | "PERCENT" | "DATE" | "QUANTITY"))
            .map(|s| (s.char_start, s.char_end, s.label.to_owned()))
            .collect();
        scores.add(&gold, &pred);
    }
    let micro = scores.micro().exact();
    assert!(
        micro.f1 >= 0.95,
        "figures F1 {:.3} (P {:.3}, R {:.3})",
        micro.f1,
        micro.precision,
        micro.recall
    );
}

fn project(texts: &[&str]) -> Store {
    let mut store = Store::open_in_memory().expect("store");
    let documents: Vec<NewDocument> = texts
        .iter()
        .enumerate()
        .map(|(i, text)| NewDocument {
            name: format!("d{i}"),
            text: (*text).to_owned(),
            encoding: "utf-8".into(),
            ..NewDocument::default()
        })
        .collect();
    store.import_documents(&documents, &mut |_| {}).expect("import");
    store
}

#[test]
fn accepted_strings_are_suggested_across_the_corpus_and_rejected_ones_never_again() {
    let mut store = project(&[
        "云洲智算落户长沙。",
        "记者走访了云洲智算。",
        "云洲智算与湘江实验室合作。",
    ]);
    let ids: Vec<_> = store.documents().expect("list").into_iter().map(|d| d.id).collect();
    let mut edit = store.edit("accept", "ann").expect("edit");
    edit.add_entity(
        ids[0],
        &NewEntity::accepted(CharSpan::new(0, 4), "ORG", "manual", "ann"),
    )
    .expect("accept");
    edit.commit().expect("commit");

    let tagger = biaozhu::project::pretag::tagger_for(&store).expect("tagger");
    pretag_documents(&mut store, &tagger, None, &mut |_, _| {}).expect("pretag");
    let second = store.entities(ids[1], StatusFilter::All).expect("entities");
    let hit = second
        .iter()
        .find(|e| e.char_start == 5)
        .expect("the accepted string is suggested in doc 2");
    assert_eq!(
        (hit.char_end, hit.label.as_str(), hit.source.as_str(), hit.status),
        (9, "ORG", "gazetteer", Status::Suggested)
    );

    let third = store.entities(ids[2], StatusFilter::All).expect("entities");
    assert!(
        third
            .iter()
            .any(|e| (e.char_start, e.char_end, e.label.as_str()) == (0, 4, "ORG")),
        "{third:?}"
    );

    // The annotator rejects it in doc 2; a rerun withdraws it from doc 3 too.
    let mut edit = store.edit("reject", "ann").expect("edit");
    edit.update_entity(hit.id, |e| e.status = Status::Rejected)
        .expect("reject");
    edit.commit().expect("commit");
    let tagger = biaozhu::project::pretag::tagger_for(&store).expect("tagger");
    pretag_documents(&mut store, &tagger, None, &mut |_, _| {}).expect("pretag again");
    let third = store.entities(ids[2], StatusFilter::All).expect("entities");
    assert!(
        !third
            .iter()
            .any(|e| (e.char_start, e.char_end, e.label.as_str()) == (0, 4, "ORG")),
        "a rejected (string, label) is not suggested again: {third:?}"
    );
    let second = store.entities(ids[1], StatusFilter::All).expect("entities");
    assert_eq!(
        second.iter().filter(|e| e.status == Status::Rejected).count(),
        1,
        "the rejection is kept"
    );
}

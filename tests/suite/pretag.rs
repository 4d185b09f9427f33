//! The pre-tagger against the project: the figures fixture, stored suggestions, the gazetteer.

use biaozhu::eval::Scores;
use biaozhu::model::{CharSpan, NewEntity, Status};
use biaozhu::model::{NewDocument, StatusFilter};
use biaozhu::pretag::Pretagger;
use biaozhu::project::import::{ReadOptions, read_file};
use biaozhu::project::pretag::pretag_documents;
use biaozhu::store::Store;

use super::util::repo_root;

#[test]
fn figures_fixture_scores_high() {
    // 136 hand-written news sentences; see tests/fixtures/figures.jsonl.
    let (documents, _, _) = read_file(
        &repo_root().join("tests/fixtures/figures.jsonl"),
        &ReadOptions::new("gold"),
    )
    .expect("fixture");
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

#[test]
fn a_fresh_project_tags_as_the_rules_do() {
    // No accepted entity, no model: the project's tagger is the built-in rules, exactly.
    let (documents, _, _) = read_file(
        &repo_root().join("corpus/hunan-daily-2025-03-29.txt"),
        &ReadOptions::new("import"),
    )
    .expect("sample");
    let mut store = Store::open_in_memory().expect("store");
    store.import_documents(&documents, &mut |_| {}).expect("import");
    let (tagger, verdict) = biaozhu::project::train::project_tagger(&store).expect("tagger");
    assert!(tagger.learned().is_none());
    assert_eq!(verdict, "rules: the project has no trained model");
    let text = &documents[0].text;
    assert_eq!(tagger.tag_all(text), Pretagger::default().tag_all(text));
}

#[test]
fn training_in_a_project_re_suggests_untouched_documents_only() {
    let (mut documents, _, _) = read_file(
        &repo_root().join("tests/fixtures/learn.jsonl"),
        &ReadOptions::new("import"),
    )
    .expect("fixture");
    let untouched = NewDocument {
        name: "new.txt".into(),
        text: "紫檀数智发布了新一代芯片。".into(),
        ..NewDocument::default()
    };
    documents.push(untouched);
    let mut store = Store::open_in_memory().expect("store");
    store.import_documents(&documents, &mut |_| {}).expect("import");
    let new_id = store.documents().expect("list").last().expect("new").id;
    let request = biaozhu::project::train::TrainRequest::default();
    let (outcome, n_resuggested) =
        biaozhu::project::train::train_and_resuggest(&mut store, &request, &mut |_, _| {}).expect("train");
    assert!(outcome.report.model_wins(), "{}", outcome.report.verdict());
    assert_eq!(
        outcome.report.n_documents, 400,
        "the plain document is not training data"
    );
    assert_eq!(n_resuggested, 1, "only the untouched document is pre-tagged again");
    let suggestions = store.entities(new_id, StatusFilter::All).expect("entities");
    assert_eq!(suggestions.len(), 1);
    let s = &suggestions[0];
    assert_eq!(
        (s.char_start, s.char_end, s.label.as_str(), s.status),
        (0, 4, "ORG", Status::Suggested)
    );
    assert_eq!(s.source, biaozhu::pretag::SOURCE_MODEL);
    assert!(s.confidence.is_some_and(|c| (0.0..=1.0).contains(&c)));
    // The imported annotations are untouched: still one accepted entity a document.
    let first = store.documents().expect("list")[0].clone();
    assert_eq!((first.n_accepted, first.n_suggested), (1, 0));
}

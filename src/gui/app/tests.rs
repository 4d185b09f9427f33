//! The commands that replaced work done while drawing: Find, statistics, the export window.

use super::App;
use crate::gui::command::{AnnotateCommand, ViewCommand};
use crate::model::{CharSpan, NewDocument, NewEntity};
use crate::store::Store;

const TEXT: &str = "王建国说，王建国来了。";

fn app() -> App {
    let mut store = Store::open_in_memory().expect("store");
    store
        .import_documents(
            &[NewDocument {
                name: "a.txt".into(),
                text: TEXT.into(),
                encoding: "utf-8".into(),
                ..NewDocument::default()
            }],
            &mut |_| {},
        )
        .expect("import");
    let id = store.documents().expect("list")[0].id;
    let mut edit = store.edit("add", "tester").expect("edit");
    for start in [0, 5] {
        edit.add_entity(
            id,
            &NewEntity::accepted(CharSpan::new(start, start + 3), "PER", "manual", "tester"),
        )
        .expect("entity");
    }
    edit.commit().expect("commit");
    App::new(store, Some("tester".to_owned())).expect("app")
}

#[test]
fn find_outlines_its_matches_and_selects_without_changing_the_label() {
    let mut app = app();
    app.apply(AnnotateCommand::SetCurrentLabel("ORG".into()).into());
    app.apply(ViewCommand::OpenFind.into());
    app.windows.find.as_mut().expect("find open").query = "王建国".into();
    app.apply(ViewCommand::FindChanged.into());
    let matches = vec![CharSpan::new(0, 3), CharSpan::new(5, 8)];
    assert_eq!(app.view_mut().expect("open").highlights, matches);
    app.apply(ViewCommand::FindNext.into());
    let selected = app.selected().and_then(|id| app.entity(id)).expect("selected");
    assert_eq!(
        selected.span(),
        CharSpan::new(0, 3),
        "the first Enter shows the first match"
    );
    app.apply(ViewCommand::FindNext.into());
    let selected = app.selected().and_then(|id| app.entity(id)).expect("selected");
    assert_eq!(selected.span(), CharSpan::new(5, 8));
    assert_eq!(app.current_label(), "ORG", "finding keeps the label for new spans");
    app.apply(ViewCommand::CloseFind.into());
    assert!(app.view_mut().expect("open").highlights.is_empty());
}

#[test]
fn the_export_window_reports_a_bad_split_and_stays_open() {
    let mut app = app();
    app.apply(ViewCommand::OpenExport.into());
    app.windows.export.as_mut().expect("export open").split = "train=lots".into();
    app.apply(ViewCommand::ExportFromWindow.into());
    assert!(app.error().is_some());
    assert!(app.windows.export.is_some());
}

#[test]
fn statistics_are_read_when_opened() {
    let mut app = app();
    assert!(app.windows.stats.is_none());
    app.apply(ViewCommand::OpenStatistics.into());
    assert!(app.error().is_none(), "{:?}", app.error());
    assert!(app.windows.stats.is_some());
}

/// A project of `n` documents with one suggestion each, in an app.
fn app_with_documents(n: usize) -> App {
    let mut store = Store::open_in_memory().expect("store");
    let documents: Vec<NewDocument> = (0..n)
        .map(|i| NewDocument {
            name: format!("d{i:03}.txt"),
            text: format!("{TEXT}{i}"),
            encoding: "utf-8".into(),
            entities: vec![NewEntity {
                status: crate::model::Status::Suggested,
                annotator: crate::model::ANNOTATOR_PRETAG.into(),
                ..NewEntity::accepted(CharSpan::new(0, 3), "PER", "rule", "pretag")
            }],
            ..NewDocument::default()
        })
        .collect();
    store.import_documents(&documents, &mut |_| {}).expect("import");
    App::new(store, Some("tester".to_owned())).expect("app")
}

#[test]
fn the_list_reads_the_lines_asked_for_and_an_edit_rereads_its_own() {
    let mut app = app_with_documents(300);
    assert_eq!(app.list.count, 300);
    assert!(app.list.line(0).is_some(), "the first lines are read on opening");
    assert!(app.list.line(250).is_none(), "not the whole list");
    app.apply(ViewCommand::ShowDocuments { first: 240, end: 260 }.into());
    assert!(app.error().is_none(), "{:?}", app.error());
    assert!(app.list.covers("", &(240..260)));
    let line = app.list.line(250).expect("read").clone();
    assert_eq!((line.name.as_str(), line.n_suggested), ("d250.txt", 1));

    app.apply(AnnotateCommand::OpenDocument(line.id).into());
    let suggestion = app.open.as_ref().expect("open").entities[0].id;
    app.apply(AnnotateCommand::Accept(suggestion).into());
    assert!(app.error().is_none(), "{:?}", app.error());
    let after = app.list.line(250).expect("still read");
    assert_eq!((after.n_suggested, after.n_accepted), (0, 1));
    assert_eq!(after.status, crate::model::DocStatus::InProgress);

    // Mark done and next asks the store for the next document to do.
    app.apply(AnnotateCommand::MarkDoneAndNext.into());
    let next = app.current_document().expect("next");
    assert_eq!(app.store.document_summary(next).expect("line").name, "d251.txt");
    assert_eq!(app.list.line(250).expect("read").status, crate::model::DocStatus::Done);

    // A filter is applied in SQL, and the lines read before it are dropped.
    app.drafts.document_filter = " d25 ".into();
    app.apply(ViewCommand::ShowDocuments { first: 0, end: 20 }.into());
    assert_eq!(app.list.count, 10);
    assert_eq!(app.list.line(1).expect("match").name, "d251.txt");
    assert!(app.list.line(11).is_none());
}

#[test]
fn undoing_mark_done_clears_the_done_mark_in_the_list() {
    for n in [1, 3] {
        let mut app = app_with_documents(n);
        let first = app.current_document().expect("open");
        // A suggestion is left: the first Ctrl+Enter asks, the second marks done.
        app.apply(AnnotateCommand::MarkDoneAndNext.into());
        assert_eq!(app.current_document(), Some(first), "asked first");
        app.apply(AnnotateCommand::MarkDoneAndNext.into());
        let line = |app: &App| {
            app.list
                .ids()
                .iter()
                .position(|id| *id == first)
                .and_then(|i| app.list.line(i).cloned())
        };
        assert_eq!(line(&app).expect("line").status, crate::model::DocStatus::Done);
        app.apply(AnnotateCommand::Undo.into());
        assert!(app.error().is_none(), "{:?}", app.error());
        assert_ne!(
            line(&app).expect("line").status,
            crate::model::DocStatus::Done,
            "with {n} documents"
        );
        assert_ne!(
            app.open.as_ref().expect("open").document.status,
            crate::model::DocStatus::Done
        );
    }
}

#[test]
fn labelling_hits_that_have_the_label_already_says_so() {
    let mut app = app();
    app.apply(ViewCommand::OpenSearch.into());
    app.windows.search.as_mut().expect("search open").query = "王建国".into();
    app.apply(crate::gui::command::SearchCommand::Search.into());
    assert_eq!(app.message(), "2 hits");
    app.apply(crate::gui::command::SearchCommand::SearchLabelAll("PER".into()).into());
    assert!(app.error().is_none(), "{:?}", app.error());
    assert_eq!(app.message(), "all 2 hits are PER already");
}

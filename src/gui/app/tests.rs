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

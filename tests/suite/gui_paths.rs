//! The path window and typing into fields: keys typed into a text field never reach the
//! annotation commands, and Enter in the path window imports the named file.

use biaozhu::gui::{AnnotateCommand, App, Dialog, PathCommand, install_fonts};
use biaozhu::model::{CharSpan, NewDocument, NewEntity, StatusFilter};
use biaozhu::store::Store;
use egui::{Event, Key};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

/// An app in memory (imports run at once) on one document with one selected accepted PER.
fn harness(annotator: Option<&str>) -> Harness<'static, App> {
    let mut store = Store::open_in_memory().expect("store");
    let document = NewDocument {
        name: "a.txt".into(),
        text: "王建国说，他来了。".into(),
        encoding: "utf-8".into(),
        ..NewDocument::default()
    };
    store.import_documents(&[document], &mut |_| {}).expect("import");
    let id = store.documents().expect("list")[0].id;
    let mut edit = store.edit("add", "tester").expect("edit");
    edit.add_entity(id, &NewEntity::accepted(CharSpan::new(0, 3), "PER", "manual", "tester"))
        .expect("entity");
    edit.commit().expect("commit");
    let annotator = annotator.map(str::to_owned);
    let mut harness = Harness::builder().with_size([1200.0, 800.0]).build_eframe(move |cc| {
        install_fonts(&cc.egui_ctx, false);
        App::new(store, annotator).expect("app")
    });
    harness.run();
    let entity = harness
        .state()
        .store()
        .entities(id, StatusFilter::All)
        .expect("entities")[0]
        .id;
    harness.state_mut().apply(AnnotateCommand::Select(Some(entity)).into());
    harness.run();
    harness
}

/// Types as a keyboard does: each character's key press and its text.
fn type_keys(harness: &mut Harness<'_, App>, text: &str) {
    for c in text.chars() {
        if let Some(key) = Key::from_name(&c.to_uppercase().to_string()) {
            harness.key_press(key);
        }
        harness.event(Event::Text(c.to_string()));
        harness.run();
    }
}

/// Whether the keys typed reached the annotation: `r` starts a relation, `2` relabels
/// the selected PER, `a` accepts every suggestion.
fn untouched(harness: &Harness<'_, App>) {
    let app = harness.state();
    assert!(
        app.tail_candidate().is_none() && app.offered_relation_types().is_none(),
        "no relation mode"
    );
    let id = app.current_document().expect("open");
    let entities = app.store().entities(id, StatusFilter::All).expect("entities");
    assert_eq!(entities.len(), 1);
    assert_eq!(entities[0].label, "PER", "not relabelled");
}

#[test]
fn typing_into_the_path_window_fires_no_command_and_enter_imports_the_named_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("b.txt"), "湖南日报记者李明报道。\n").expect("write");
    std::fs::create_dir(dir.path().join("sub")).expect("dir");
    let mut harness = harness(Some("tester"));
    harness.state_mut().apply(PathCommand::Open(Dialog::ImportFiles).into());
    harness
        .state_mut()
        .apply(PathCommand::Browse(dir.path().to_path_buf()).into());
    harness.run();
    assert!(
        harness.query_by_label("b.txt").is_some(),
        "the listing shows the importable file"
    );
    assert!(harness.query_by_label("sub/").is_some(), "and the folder");
    // The window's own first frame: its field takes the focus while drawing, after the
    // keys were read, so the window itself keeps them from the annotation.
    type_keys(&mut harness, "r2a");
    untouched(&harness);
    assert_eq!(harness.state().typed_path(), Some("r2a"));
    for _ in 0..3 {
        harness.key_press(Key::Backspace);
        harness.run();
    }
    assert_eq!(harness.state().typed_path(), Some(""));
    type_keys(&mut harness, "b.txt");
    harness.key_press(Key::Enter);
    harness.run();
    untouched(&harness);
    assert_eq!(harness.state().typed_path(), None, "the window closed");
    assert_eq!(harness.state().error(), None);
    let names: Vec<String> = harness
        .state()
        .store()
        .documents()
        .expect("documents")
        .into_iter()
        .map(|d| d.name)
        .collect();
    assert_eq!(names.len(), 2, "b.txt imported: {names:?}");
}

#[test]
fn backspace_on_an_empty_path_goes_up_and_escape_cancels() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("sub")).expect("dir");
    let mut harness = harness(Some("tester"));
    harness
        .state_mut()
        .apply(PathCommand::Open(Dialog::ImportFolder).into());
    harness
        .state_mut()
        .apply(PathCommand::Browse(dir.path().join("sub")).into());
    harness.run();
    harness.key_press(Key::Backspace);
    harness.run();
    assert!(
        harness.query_by_label("sub/").is_some(),
        "up in the parent, which lists sub/"
    );
    harness.key_press(Key::Escape);
    harness.run();
    assert_eq!(harness.state().typed_path(), None, "Escape closed the window");
    untouched(&harness);
}

#[test]
fn typing_into_the_annotator_field_fires_no_command() {
    let mut harness = harness(None);
    harness.get_by_label("Annotator name:").click();
    harness.run();
    type_keys(&mut harness, "r2a");
    untouched(&harness);
    assert_eq!(harness.state().current_label(), "PER", "2 did not pick a label either");
}

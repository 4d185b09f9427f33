//! The bundled font alone (no system fonts) draws rare name characters and traditional
//! characters: kittest panics on a character no installed font has.

use biaozhu::gui::{AnnotateCommand, App, install_fonts};
use biaozhu::model::NewDocument;
use biaozhu::store::Store;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

const RARE_NAMES: &str = "朱镕基 王喆 李堃 张玥 周赟";
const TRADITIONAL: &str = "臺灣經濟";

fn label_harness(text: &'static str) -> Harness<'static> {
    Harness::builder()
        .with_context_setup(|ctx| install_fonts(ctx, false))
        .build_ui(move |ui| {
            ui.label(text);
            ui.monospace(text);
        })
}

#[test]
fn rare_names_and_traditional_characters_render_with_the_bundled_font() {
    for text in [RARE_NAMES, TRADITIONAL] {
        let mut harness = label_harness(text);
        harness.run();
        harness.get_all_by_label(text).next().expect("label");
    }
}

#[test]
#[should_panic(expected = "No glyph")]
fn a_character_outside_the_bundled_font_fails_the_harness() {
    // U+30EDE, the "biang" of biangbiang noodles, is in no list the subset covers.
    label_harness("\u{30EDE}").run();
}

#[test]
fn the_workspace_draws_a_document_of_rare_names() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("p.sqlite");
    let mut store = Store::open(&path).expect("store");
    let text = format!("{RARE_NAMES}。{TRADITIONAL}。");
    let document = NewDocument {
        name: "names.txt".to_owned(),
        text,
        encoding: "utf-8".into(),
        ..NewDocument::default()
    };
    store.import_documents(&[document], &mut |_| {}).expect("import");
    let id = store.documents().expect("list")[0].id;
    drop(store);
    let mut harness = Harness::builder().with_size([1200.0, 800.0]).build_eframe(move |cc| {
        install_fonts(&cc.egui_ctx, false);
        App::new(Store::open(&path).expect("store"), Some("tester".to_owned())).expect("app")
    });
    harness.state_mut().apply(AnnotateCommand::OpenDocument(id).into());
    harness.run();
}

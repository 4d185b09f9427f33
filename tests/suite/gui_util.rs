//! What the app's kittests share: a pre-tagged project, the real app on it, and the rows
//! the store holds.

use std::path::{Path, PathBuf};

use biaozhu::gui::{AnnotateCommand, App, install_fonts};
use biaozhu::model::{DocumentId, Entity, NewDocument, Relation, StatusFilter};
use biaozhu::project::pretag::{pretag_documents, tagger_for};
use biaozhu::store::Store;
use egui_kittest::Harness;

/// A project in `dir` with `documents` (name, text) imported and pre-tagged by the rules,
/// and the documents' ids in order.
pub fn pretagged(dir: &Path, documents: &[(&str, &str)]) -> (PathBuf, Vec<DocumentId>) {
    let path = dir.join("p.sqlite");
    let ids = pretagged_at(&path, documents);
    (path, ids)
}

/// [`pretagged`] at `location`: a file, or a server address.
pub fn pretagged_at(location: &Path, documents: &[(&str, &str)]) -> Vec<DocumentId> {
    let mut store = Store::open(location).expect("store");
    let documents: Vec<NewDocument> = documents
        .iter()
        .map(|(name, text)| NewDocument {
            name: (*name).to_owned(),
            text: (*text).to_owned(),
            encoding: "utf-8".into(),
            ..NewDocument::default()
        })
        .collect();
    store.import_documents(&documents, &mut |_| {}).expect("import");
    let tagger = tagger_for(&store).expect("tagger");
    pretag_documents(&mut store, &tagger, None, &mut |_, _| {}).expect("pretag");
    store.documents().expect("list").iter().map(|d| d.id).collect()
}

/// The real app on the project at `path`, annotator "tester", in a window of `size`.
pub fn app(path: &Path, size: [f32; 2]) -> Harness<'static, App> {
    app_as(path, "tester", size)
}

/// [`app`] for `annotator`.
pub fn app_as(path: &Path, annotator: &str, size: [f32; 2]) -> Harness<'static, App> {
    let (path, annotator) = (path.to_path_buf(), annotator.to_owned());
    Harness::builder().with_size(size).build_eframe(move |cc| {
        install_fonts(&cc.egui_ctx, false);
        App::new(Store::open(&path).expect("store"), Some(annotator)).expect("app")
    })
}

/// [`app`] with `document` open.
pub fn app_on(path: &Path, document: DocumentId, size: [f32; 2]) -> Harness<'static, App> {
    let mut harness = app(path, size);
    open(&mut harness, document);
    harness
}

/// Opens `document` in the app and draws it.
pub fn open(harness: &mut Harness<'static, App>, document: DocumentId) {
    harness
        .state_mut()
        .apply(AnnotateCommand::OpenDocument(document).into());
    harness.run();
}

/// Every entity of `document` in the store, rejected and superseded ones too.
pub fn entities(harness: &Harness<'_, App>, document: DocumentId) -> Vec<Entity> {
    harness
        .state()
        .store()
        .entities(document, StatusFilter::All)
        .expect("entities")
}

/// Every relation of `document` in the store, rejected ones too.
pub fn relations(harness: &Harness<'_, App>, document: DocumentId) -> Vec<Relation> {
    harness
        .state()
        .store()
        .relations(document, StatusFilter::All)
        .expect("relations")
}

//! The real app driven through egui_kittest: keys and commands in, SQLite rows out.

use std::path::Path;

use biaozhu::gui::{AnnotateCommand, App, ProjectCommand, RelationCommand, ReviewCommand};
use biaozhu::model::{CharSpan, DocumentId, Entity, Status};
use biaozhu::model::{NewDocument, StatusFilter};
use biaozhu::project::pretag::pretag_documents;
use biaozhu::store::Store;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

use super::gui_util::{app, app_on, entities, pretagged, relations};

const TEXT: &str = "省发展改革委副主任王建国表示，长沙经开区新签约项目12个。\n第二段：湖南日报全媒体记者 李明 摄";

fn project(dir: &Path) -> (std::path::PathBuf, DocumentId) {
    let (path, ids) = pretagged(dir, &[("a.txt", TEXT), ("b.txt", "第二篇文档。")]);
    (path, ids[0])
}

fn harness(path: &Path) -> Harness<'static, App> {
    app(path, [1200.0, 800.0])
}

/// The app on `path` with `doc` open.
fn opened(path: &Path, doc: DocumentId) -> Harness<'static, App> {
    app_on(path, doc, [1200.0, 800.0])
}

fn press(harness: &mut Harness<'_, App>, key: Key) {
    harness.key_press(key);
    harness.run();
}

fn text_of(entity: &Entity) -> String {
    TEXT.chars()
        .skip(entity.char_start)
        .take(entity.char_end - entity.char_start)
        .collect()
}

#[test]
fn keyboard_annotation_round_trip_survives_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, doc) = project(dir.path());
    let mut harness = opened(&path, doc);
    let before = entities(&harness, doc);
    assert!(before.iter().all(|e| e.status == Status::Suggested), "{before:?}");
    assert_eq!(text_of(&before[0]), "省发展改革委");

    // Tab selects the first suggestion; Enter accepts it and moves to the next.
    press(&mut harness, Key::Tab);
    assert_eq!(harness.state().selected(), Some(before[0].id));
    press(&mut harness, Key::Enter);
    let after = entities(&harness, doc);
    assert_eq!(after[0].status, Status::Accepted);
    assert_eq!(after[0].annotator, "tester");
    assert_eq!(
        harness.state().selected(),
        Some(before[1].id),
        "Enter moves on to the next suggestion"
    );

    // Delete rejects the selected suggestion (副主任 as TITLE).
    assert_eq!(text_of(&before[1]), "副主任");
    press(&mut harness, Key::Delete);
    let rejected = harness.state().store().entity(before[1].id).expect("kept");
    assert_eq!(rejected.status, Status::Rejected);

    // 4 relabels the selection (王建国) as TITLE, which accepts it.
    let third = harness.state().selected().expect("moved on after the rejection");
    assert_eq!(third, before[2].id);
    press(&mut harness, Key::Num4);
    let relabelled = harness.state().store().entity(third).expect("entity");
    assert_eq!(
        (relabelled.label.as_str(), relabelled.status),
        ("TITLE", Status::Accepted)
    );

    // A drag creates a span through the same command: 项目 as QUANTITY would overlap
    // nothing, so it is stored as a manual accepted entity.
    let start = TEXT.chars().position(|c| c == '项').expect("项");
    harness.state_mut().apply(
        AnnotateCommand::AddSpan {
            char_start: start,
            char_end: start + 2,
            label: "ORG".into(),
        }
        .into(),
    );
    harness.run();
    let added = entities(&harness, doc)
        .into_iter()
        .find(|e| e.char_start == start)
        .expect("added");
    assert_eq!(
        (added.source.as_str(), added.status, added.label.as_str()),
        ("manual", Status::Accepted, "ORG")
    );

    // Ctrl+Z takes it back, Ctrl+Shift+Z brings it again.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(harness.state().store().entity(added.id).is_err(), "undone");
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run();
    assert!(harness.state().store().entity(added.id).is_ok(), "redone");
    assert!(harness.state().error().is_none(), "{:?}", harness.state().error());

    // Restart: a new app on the same file still undoes the last action.
    drop(harness);
    let mut harness = opened(&path, doc);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(
        harness.state().store().entity(added.id).is_err(),
        "undo survives the restart"
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    let back = harness.state().store().entity(third).expect("entity");
    assert_eq!(
        (back.label.as_str(), back.status),
        ("PER", Status::Suggested),
        "the relabel is undone too"
    );
}

#[test]
fn boundaries_move_by_one_character_and_all_suggestions_can_be_accepted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, doc) = project(dir.path());
    let mut harness = opened(&path, doc);
    press(&mut harness, Key::Tab);
    let id = harness.state().selected().expect("selected");
    harness.key_press_modifiers(Modifiers::ALT, Key::ArrowLeft);
    harness.run();
    let moved = harness.state().store().entity(id).expect("entity");
    assert_eq!((moved.char_start, moved.char_end), (0, 5), "Alt+← moves the end left");
    harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
    harness.run();
    let moved = harness.state().store().entity(id).expect("entity");
    assert_eq!(
        (moved.char_start, moved.char_end),
        (1, 5),
        "Shift+→ moves the start right"
    );

    press(&mut harness, Key::A);
    assert!(entities(&harness, doc).iter().all(|e| e.status == Status::Accepted));
    // Shift+A then accepts the relation suggestions, whose ends are all accepted now.
    harness.key_press_modifiers(Modifiers::SHIFT, Key::A);
    harness.run();
    assert!(relations(&harness, doc).iter().all(|r| r.status == Status::Accepted));

    // With nothing left to check, Ctrl+Enter marks the document done and opens the next one.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    harness.run();
    let status = harness.state().store().document(doc).expect("doc").status;
    assert_eq!(status, biaozhu::model::DocStatus::Done);
    assert_ne!(harness.state().current_document(), Some(doc));
}

#[test]
fn the_document_list_opens_documents_and_label_every_occurrence_propagates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, doc) = project(dir.path());
    {
        let mut store = Store::open(&path).expect("store");
        store
            .import_documents(
                &[NewDocument {
                    name: "c.txt".into(),
                    text: "长沙经开区再次签约，长沙经开区很忙。".into(),
                    encoding: "utf-8".into(),
                    ..NewDocument::default()
                }],
                &mut |_| {},
            )
            .expect("import");
    }
    let mut harness = harness(&path);
    harness.get_by_label_contains("c.txt").click();
    harness.run();
    let third = harness.state().current_document().expect("opened by a click");
    assert_ne!(third, doc);

    harness.state_mut().apply(AnnotateCommand::OpenDocument(doc).into());
    harness.run();
    let zone = entities(&harness, doc)
        .into_iter()
        .find(|e| text_of(e) == "长沙经开区")
        .expect("zone suggested");
    harness
        .state_mut()
        .apply(AnnotateCommand::LabelEveryOccurrence(zone.id).into());
    harness.run();
    let elsewhere = harness
        .state()
        .store()
        .entities(third, StatusFilter::Accepted)
        .expect("entities");
    assert_eq!(elsewhere.len(), 2, "both occurrences in c.txt: {elsewhere:?}");
    assert!(elsewhere.iter().all(|e| e.label == "LOC"));
}

#[test]
fn errors_are_shown_not_raised() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, doc) = project(dir.path());
    let mut harness = opened(&path, doc);
    harness.state_mut().apply(
        AnnotateCommand::AddSpan {
            char_start: 5,
            char_end: 999,
            label: "PER".into(),
        }
        .into(),
    );
    harness.run();
    assert!(
        harness.state().error().is_some_and(|e| e.contains("past the end")),
        "{:?}",
        harness.state().error()
    );
    press(&mut harness, Key::Tab);
    assert!(harness.state().error().is_none(), "an error is shown once");
}

#[test]
fn import_and_pretag_run_in_the_background() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _) = project(dir.path());
    let more = dir.path().join("more");
    std::fs::create_dir(&more).expect("mkdir");
    std::fs::write(more.join("c.txt"), "华为技术有限公司投资3.5亿元建设研发基地。").expect("write");
    let mut harness = harness(&path);
    harness.state_mut().apply(ProjectCommand::Import(vec![more]).into());
    assert!(harness.state().busy(), "the import runs on its own thread");
    for _ in 0..200 {
        harness.step();
        if !harness.state().busy() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(!harness.state().busy(), "the import finished");
    assert!(harness.state().error().is_none(), "{:?}", harness.state().error());
    assert!(
        harness.state().message().starts_with("imported 1 document "),
        "{}",
        harness.state().message()
    );
    let documents = harness.state().store().documents().expect("list");
    let new = documents.iter().find(|d| d.name.ends_with("c.txt")).expect("imported");
    assert!(new.n_suggested >= 2, "and pre-tagged: {new:?}");
}

#[test]
fn a_relation_is_created_retyped_and_deleted_from_the_keyboard() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, doc) = project(dir.path());
    let mut harness = opened(&path, doc);
    // Select 王建国 (Tab thrice: 省发展改革委, 副主任, 王建国) and remove the suggested
    // relations so that the keyboard makes them.
    let suggested: Vec<_> = harness
        .state()
        .store()
        .relations(doc, StatusFilter::All)
        .expect("relations");
    for relation in &suggested {
        harness
            .state_mut()
            .apply(RelationCommand::RejectOrDeleteRelation(relation.id).into());
    }
    harness.run();
    for _ in 0..3 {
        press(&mut harness, Key::Tab);
    }
    let person = harness.state().selected().expect("selected");
    assert_eq!(
        text_of(&harness.state().store().entity(person).expect("entity")),
        "王建国"
    );

    // R, then Tab until the candidate is 省发展改革委, Enter, then the type's number.
    press(&mut harness, Key::R);
    assert!(harness.state().error().is_none(), "{:?}", harness.state().error());
    let mut guard = 0;
    while harness
        .state()
        .tail_candidate()
        .and_then(|id| harness.state().store().entity(id).ok())
        .is_none_or(|e| text_of(&e) != "省发展改革委")
    {
        press(&mut harness, Key::Tab);
        guard += 1;
        assert!(guard < 20, "省发展改革委 is among the candidates");
    }
    press(&mut harness, Key::Enter);
    // PER → ORG fits only 任职, so it is made at once.
    let relations = harness
        .state()
        .store()
        .relations(doc, StatusFilter::Accepted)
        .expect("relations");
    let made = relations
        .iter()
        .find(|r| r.head == person && r.kind == "任职")
        .expect("任职 made");
    assert_eq!(made.annotator, "tester");
    assert_eq!(harness.state().selected_relation(), Some(made.id));

    // With a second PER → ORG type in the schema, T offers both and 2 retypes.
    harness.state_mut().apply(
        biaozhu::gui::SchemaEdit::AddRelationType {
            name: "兼职".into(),
            head_labels: vec!["PER".into()],
            tail_labels: vec!["ORG".into()],
        }
        .into(),
    );
    harness.run();
    press(&mut harness, Key::T);
    assert_eq!(
        harness.state().offered_relation_types(),
        Some(&["任职".to_owned(), "兼职".to_owned()][..])
    );
    press(&mut harness, Key::Num2);
    let retyped = harness
        .state()
        .store()
        .relations(doc, StatusFilter::Accepted)
        .expect("relations");
    assert_eq!(retyped.len(), 1);
    assert_eq!((retyped[0].id, retyped[0].kind.as_str()), (made.id, "兼职"));
    press(&mut harness, Key::T);
    press(&mut harness, Key::Num1);
    assert_eq!(
        harness.state().store().relation(made.id).expect("relation").kind,
        "任职",
        "and back"
    );

    // A title tail offers 职务: pick 副主任 with Tab and press 1.
    press(&mut harness, Key::Escape);
    harness.state_mut().apply(AnnotateCommand::Select(Some(person)).into());
    press(&mut harness, Key::R);
    let mut guard = 0;
    while harness
        .state()
        .tail_candidate()
        .and_then(|id| harness.state().store().entity(id).ok())
        .is_none_or(|e| text_of(&e) != "副主任")
    {
        press(&mut harness, Key::Tab);
        guard += 1;
        assert!(guard < 20, "副主任 is among the candidates");
    }
    press(&mut harness, Key::Enter);
    let title_relation = harness
        .state()
        .store()
        .relations(doc, StatusFilter::Accepted)
        .expect("relations")
        .into_iter()
        .find(|r| r.kind == "职务")
        .expect("职务 made");
    assert_eq!(harness.state().selected_relation(), Some(title_relation.id));
    press(&mut harness, Key::Delete);
    let left = harness
        .state()
        .store()
        .relations(doc, StatusFilter::Accepted)
        .expect("relations");
    assert_eq!(left.len(), 1, "the 职务 relation is deleted: {left:?}");
    assert_eq!(left[0].kind, "任职");

    // Deleting the person deletes its relation too, and undo brings both back.
    let linked = harness.state().store().entity(person).expect("entity");
    assert_eq!(linked.status, Status::Accepted, "making a relation accepts its ends");
    harness.state_mut().apply(AnnotateCommand::Select(Some(person)).into());
    harness
        .state_mut()
        .apply(AnnotateCommand::RejectOrDelete(person).into());
    harness.run();
    assert!(harness.state().store().entity(person).is_err());
    assert!(
        harness
            .state()
            .store()
            .relations(doc, StatusFilter::All)
            .expect("relations")
            .iter()
            .all(|r| r.head != person)
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(
        harness.state().store().entity(person).is_ok(),
        "undo restores the entity"
    );
    let restored = harness
        .state()
        .store()
        .relations(doc, StatusFilter::Accepted)
        .expect("relations");
    assert!(
        restored.iter().any(|r| r.head == person && r.kind == "任职"),
        "and its relation: {restored:?}"
    );
}

#[test]
fn export_runs_in_the_background_with_the_chosen_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, doc) = project(dir.path());
    let mut harness = opened(&path, doc);
    press(&mut harness, Key::A);
    let out = dir.path().join("exports/data.conll");
    let options = biaozhu::formats::ExportOptions {
        split: biaozhu::formats::parse_split("train=0.5,test=0.5").expect("split"),
        ..Default::default()
    };
    harness.state_mut().apply(
        ProjectCommand::Export {
            format: biaozhu::formats::Format::Conll,
            options,
            path: out.clone(),
        }
        .into(),
    );
    for _ in 0..200 {
        harness.step();
        if !harness.state().busy() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(harness.state().error().is_none(), "{:?}", harness.state().error());
    assert!(
        harness.state().message().starts_with("exported 2 documents"),
        "{}",
        harness.state().message()
    );
    let train = std::fs::read_to_string(dir.path().join("exports/data.train.conll")).expect("train part");
    let test = std::fs::read_to_string(dir.path().join("exports/data.test.conll")).expect("test part");
    assert_eq!(
        train.matches("-DOCSTART-").count() + test.matches("-DOCSTART-").count(),
        2
    );
    assert!(
        format!("{train}{test}").contains("王 B-PER"),
        "accepted spans are tagged"
    );
}

/// A project where alice and bob annotated the same sentence differently.
fn two_annotators(dir: &Path) -> (std::path::PathBuf, DocumentId) {
    let path = dir.join("team.sqlite");
    let mut store = Store::open(&path).expect("store");
    store
        .import_documents(
            &[NewDocument {
                name: "shared.txt".into(),
                text: "省发展改革委副主任王建国表示，长沙经开区新签约项目12个。".into(),
                encoding: "utf-8".into(),
                ..NewDocument::default()
            }],
            &mut |_| {},
        )
        .expect("import");
    let doc = store.documents().expect("list")[0].id;
    for (annotator, spans) in [
        ("alice", vec![(0, 6, "ORG"), (9, 12, "PER")]),
        ("bob", vec![(0, 6, "LOC"), (9, 12, "PER"), (15, 20, "LOC")]),
    ] {
        let mut edit = store.edit("annotate", annotator).expect("edit");
        for (s, e, label) in spans {
            edit.add_entity(
                doc,
                &biaozhu::model::NewEntity::accepted(CharSpan::new(s, e), label, "manual", annotator),
            )
            .expect("entity");
        }
        edit.commit().expect("commit");
    }
    (path, doc)
}

#[test]
fn a_disagreement_is_adjudicated_into_gold_from_the_keyboard() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, doc) = two_annotators(dir.path());
    let mut harness = harness(&path);
    harness.state_mut().apply(AnnotateCommand::OpenDocument(doc).into());
    harness.state_mut().apply(
        ReviewCommand::StartReview {
            a: "alice".into(),
            b: "bob".into(),
        }
        .into(),
    );
    harness.run();
    // Three places: 省发展改革委 (ORG vs LOC), 王建国 (agreed), 长沙经开区 (only bob).
    press(&mut harness, Key::A);
    press(&mut harness, Key::B);
    press(&mut harness, Key::R);
    assert!(harness.state().error().is_none(), "{:?}", harness.state().error());
    let all = harness
        .state()
        .store()
        .entities(doc, StatusFilter::All)
        .expect("entities");
    let gold: Vec<(usize, usize, &str, Status)> = all
        .iter()
        .filter(|e| e.annotator == "gold")
        .map(|e| (e.char_start, e.char_end, e.label.as_str(), e.status))
        .collect();
    assert_eq!(
        gold,
        [
            (0, 6, "ORG", Status::Accepted),
            (9, 12, "PER", Status::Accepted),
            (15, 20, "LOC", Status::Rejected)
        ]
    );
    assert_eq!(
        all.iter().filter(|e| e.annotator == "alice").count(),
        2,
        "alice's layer is untouched"
    );
    assert_eq!(
        all.iter().filter(|e| e.annotator == "bob").count(),
        3,
        "bob's layer is untouched"
    );

    // Up, then E takes the span with the palette's label (3 = LOC): a changed decision replaces the old.
    press(&mut harness, Key::ArrowUp);
    press(&mut harness, Key::ArrowUp);
    press(&mut harness, Key::Num3);
    press(&mut harness, Key::E);
    let gold_org = harness
        .state()
        .store()
        .entities(doc, StatusFilter::All)
        .expect("entities")
        .into_iter()
        .filter(|e| e.annotator == "gold" && e.char_start == 0)
        .map(|e| e.label)
        .collect::<Vec<_>>();
    assert_eq!(gold_org, ["LOC"]);
    press(&mut harness, Key::Escape);
    assert!(harness.state().error().is_none());

    // The gold layer exports like any annotator's.
    let out = dir.path().join("gold.jsonl");
    let options = biaozhu::formats::ExportOptions {
        annotator: Some("gold".into()),
        ..Default::default()
    };
    biaozhu::project::export::export_to_path(
        harness.state().store(),
        biaozhu::formats::Format::Doccano,
        &options,
        &out,
        &mut |_, _| {},
    )
    .expect("export");
    let exported = std::fs::read_to_string(&out).expect("gold export");
    assert_eq!(
        exported.matches("\"label\"").count(),
        2,
        "two accepted gold entities: {exported}"
    );
}

#[test]
fn search_results_can_be_labelled_in_bulk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("p.sqlite");
    let mut store = Store::open(&path).expect("store");
    let documents = ["云洲智算落户长沙。", "记者走访云洲智算，云洲智算很忙。"].map(|text| NewDocument {
        name: text.chars().take(2).collect(),
        text: text.into(),
        encoding: "utf-8".into(),
        ..NewDocument::default()
    });
    store.import_documents(&documents, &mut |_| {}).expect("import");
    drop(store);
    let mut harness = harness(&path);
    press(&mut harness, Key::Num2);
    assert_eq!(harness.state().current_label(), "ORG");
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::F);
    harness.run();
    harness.get_by_label("search:").click();
    harness.run();
    harness.get_by_label("search:").type_text("云洲智算");
    harness.run();
    harness.get_by_label("Search").click();
    harness.run();
    assert_eq!(harness.state().message(), "3 hits");
    harness.get_by_label("Label all hits as ORG").click();
    harness.run();
    assert!(harness.state().error().is_none(), "{:?}", harness.state().error());
    let store = harness.state().store();
    let labelled: usize = store
        .documents()
        .expect("list")
        .iter()
        .map(|d| {
            store
                .entities(d.id, StatusFilter::Accepted)
                .expect("entities")
                .iter()
                .filter(|e| e.label == "ORG")
                .count()
        })
        .sum();
    assert_eq!(labelled, 3);
}

#[test]
fn undo_walks_back_past_a_rename_and_a_removal_of_a_label_in_use() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, doc) = project(dir.path());
    let mut harness = opened(&path, doc);
    press(&mut harness, Key::Tab);
    press(&mut harness, Key::Enter);
    let accepted = entities(&harness, doc)[0].clone();
    assert_eq!((accepted.label.as_str(), accepted.status), ("ORG", Status::Accepted));
    let label_of = |harness: &Harness<'_, App>| {
        let entity = entities(harness, doc).into_iter().find(|e| e.id == accepted.id);
        entity.map(|e| (e.label, e.status))
    };
    let has_label = |harness: &Harness<'_, App>, name: &str| {
        let labels = harness.state().store().labels().expect("labels");
        labels.iter().any(|l| l.name == name)
    };
    let undo = |harness: &mut Harness<'_, App>| {
        harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        harness.run();
        assert_eq!(harness.state().error(), None, "{}", harness.state().message());
    };
    let redo = |harness: &mut Harness<'_, App>| {
        harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
        harness.run();
        assert_eq!(harness.state().error(), None, "{}", harness.state().message());
    };

    harness.state_mut().apply(
        biaozhu::gui::SchemaEdit::RenameLabel {
            old: "ORG".into(),
            new: "机构".into(),
        }
        .into(),
    );
    harness.run();
    assert_eq!(harness.state().error(), None);
    assert_eq!(label_of(&harness), Some(("机构".into(), Status::Accepted)));

    undo(&mut harness);
    assert!(
        harness.state().message().contains("rename label ORG"),
        "{}",
        harness.state().message()
    );
    assert_eq!(label_of(&harness), Some(("ORG".into(), Status::Accepted)));
    assert!(has_label(&harness, "ORG") && !has_label(&harness, "机构"));
    undo(&mut harness);
    assert_eq!(
        label_of(&harness),
        Some(("ORG".into(), Status::Suggested)),
        "past the rename"
    );
    redo(&mut harness);
    redo(&mut harness);
    assert_eq!(label_of(&harness), Some(("机构".into(), Status::Accepted)));

    // Removing a label in use asks first, then takes its entities; undo brings all back.
    let remove = |confirmed| {
        biaozhu::gui::SchemaEdit::RemoveLabel {
            name: "机构".into(),
            confirmed,
        }
        .into()
    };
    harness.state_mut().apply(remove(false));
    harness.run();
    assert!(has_label(&harness, "机构"), "not removed before the second click");
    harness.state_mut().apply(remove(true));
    harness.run();
    assert_eq!(label_of(&harness), None);
    assert!(!has_label(&harness, "机构"));
    undo(&mut harness);
    assert_eq!(label_of(&harness), Some(("机构".into(), Status::Accepted)));
    undo(&mut harness);
    undo(&mut harness);
    assert_eq!(label_of(&harness), Some(("ORG".into(), Status::Suggested)));

    // The log survives a restart: redo from a new app.
    drop(harness);
    let mut harness = opened(&path, doc);
    redo(&mut harness);
    assert_eq!(label_of(&harness), Some(("ORG".into(), Status::Accepted)));
}

/// The line of the document list for `id`, as the store has it.
fn list_line(harness: &Harness<'_, App>, id: DocumentId) -> String {
    let summary = harness.state().store().document_summary(id).expect("summary");
    format!(
        "{} chars · {} to check",
        summary.n_chars,
        summary.n_suggested + summary.n_suggested_relations
    )
}

#[test]
fn an_edit_updates_its_document_line_in_the_list() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, doc) = project(dir.path());
    let mut harness = harness(&path);
    harness.state_mut().apply(AnnotateCommand::OpenDocument(doc).into());
    harness.run();
    let before = list_line(&harness, doc);
    let suggestions: Vec<Entity> = entities(&harness, doc)
        .into_iter()
        .filter(|e| e.status == Status::Suggested)
        .collect();
    assert!(suggestions.len() >= 2, "{suggestions:?}");
    assert!(harness.query_by_label_contains(&before).is_some(), "{before}");

    harness
        .state_mut()
        .apply(AnnotateCommand::Accept(suggestions[0].id).into());
    harness.run();
    let after = list_line(&harness, doc);
    // Entity and relation suggestions both count; the relations of the accepted span stay suggested.
    let relations_left = harness
        .state()
        .store()
        .document_summary(doc)
        .expect("summary")
        .n_suggested_relations;
    assert!(
        after.ends_with(&format!(" {} to check", suggestions.len() - 1 + relations_left)),
        "{after}"
    );
    assert!(
        harness.query_by_label_contains(&after).is_some(),
        "the list shows {after}"
    );
    assert!(harness.query_by_label_contains(&before).is_none(), "{before} is gone");

    // Undo goes back through the store's log, and the line follows.
    harness.state_mut().apply(AnnotateCommand::Undo.into());
    harness.run();
    assert!(harness.query_by_label_contains(&before).is_some(), "{before} again");

    // The filter is read in SQL: only the matching line is left.
    harness.get_by_label("filter:").click();
    harness.run();
    harness.get_by_label("filter:").type_text("b.t");
    harness.run();
    assert!(harness.query_by_label_contains("b.txt").is_some());
    assert!(
        harness.query_by_label_contains(&before).is_none(),
        "a.txt is filtered out"
    );
}

#[test]
fn bench_edit_measures_a_copy_and_leaves_the_project_as_it_was() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("small.sqlite");
    let created = super::util::biaozhu(
        dir.path(),
        &[
            "bench-edit",
            "--db",
            "small.sqlite",
            "--synthetic",
            "30,600",
            "--edits",
            "0",
        ],
        "",
    );
    assert!(created.status.success(), "{}", super::util::stderr(&created));
    let bytes = |path: &Path| std::fs::read(path).unwrap_or_default();
    let wal = dir.path().join("small.sqlite-wal");
    let (before, wal_before) = (bytes(&db), bytes(&wal));
    assert!(!before.is_empty());

    let output = super::util::biaozhu(dir.path(), &["bench-edit", "--db", "small.sqlite", "--edits", "20"], "");
    assert!(output.status.success(), "{}", super::util::stderr(&output));
    let out = super::util::stdout(&output);
    let last = out.lines().last().expect("a line");
    let pattern = regex::Regex::new(r"^edit p50 \d+\.\d+ ms p95 \d+\.\d+ ms$").expect("regex");
    assert!(pattern.is_match(last), "{out}");
    assert!(out.starts_with("20 edits on 4 of 30 documents"), "{out}");
    assert_eq!(bytes(&db), before, "the project file is unchanged");
    assert_eq!(bytes(&wal), wal_before, "and so is its log");
    let store = Store::open(&db).expect("store");
    assert_eq!(
        store.history_state("bench").expect("history"),
        (false, false),
        "no edit was logged"
    );
}

#[test]
fn a_relation_made_by_hand_that_is_suggested_accepts_the_suggestion() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, doc) = project(dir.path());
    let mut harness = opened(&path, doc);
    let before = relations(&harness, doc);
    let suggested = before
        .iter()
        .find(|r| r.status == Status::Suggested)
        .expect("the pre-tagger suggests a relation here")
        .clone();
    let app = harness.state_mut();
    app.apply(AnnotateCommand::Select(Some(suggested.head)).into());
    app.apply(RelationCommand::StartRelation.into());
    app.apply(RelationCommand::ConfirmTail(Some(suggested.tail)).into());
    if app.offered_relation_types().is_some() {
        app.apply(RelationCommand::ChooseRelationType(suggested.kind.clone()).into());
    }
    harness.run();
    assert_eq!(harness.state().error(), None);
    let after = relations(&harness, doc);
    assert_eq!(after.len(), before.len(), "no second, identical relation: {after:?}");
    let accepted = after.iter().find(|r| r.id == suggested.id).expect("the suggestion");
    assert_eq!(accepted.status, Status::Accepted);
    let ends = entities(&harness, doc);
    for end in [suggested.head, suggested.tail] {
        let entity = ends.iter().find(|e| e.id == end).expect("end");
        assert_eq!(entity.status, Status::Accepted, "{entity:?}");
    }

    // Drawing it again says so and changes nothing.
    let app = harness.state_mut();
    app.apply(AnnotateCommand::Select(Some(suggested.head)).into());
    app.apply(RelationCommand::StartRelation.into());
    app.apply(RelationCommand::ConfirmTail(Some(suggested.tail)).into());
    if app.offered_relation_types().is_some() {
        app.apply(RelationCommand::ChooseRelationType(suggested.kind.clone()).into());
    }
    harness.run();
    assert_eq!(harness.state().error(), None);
    assert!(
        harness.state().message().contains("already there"),
        "{}",
        harness.state().message()
    );
    assert_eq!(relations(&harness, doc), after);
}

#[test]
fn ctrl_z_undoes_only_the_active_annotator_s_edits_and_boundary_moves_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, doc) = project(dir.path());
    let mut harness = opened(&path, doc);
    press(&mut harness, Key::Tab);
    let id = harness.state().selected().expect("selected");
    let original = entities(&harness, doc)
        .into_iter()
        .find(|e| e.id == id)
        .expect("entity");
    press(&mut harness, Key::Enter);
    let status_of = |harness: &Harness<'_, App>| {
        entities(harness, doc)
            .into_iter()
            .find(|e| e.id == id)
            .map(|e| e.status)
    };
    assert_eq!(status_of(&harness), Some(Status::Accepted));

    // Another annotator takes over: their Ctrl+Z has nothing of theirs to undo.
    harness
        .state_mut()
        .apply(ProjectCommand::SetAnnotator("second".into()).into());
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(harness.state().error(), None);
    assert!(
        harness.state().message().contains("nothing to undo"),
        "{}",
        harness.state().message()
    );
    assert_eq!(status_of(&harness), Some(Status::Accepted), "tester's accept stands");

    harness
        .state_mut()
        .apply(ProjectCommand::SetAnnotator("tester".into()).into());
    harness.run();
    // Three boundary moves of the accepted span, then one Ctrl+Z takes all three back.
    harness.state_mut().apply(AnnotateCommand::Select(Some(id)).into());
    harness.run();
    for _ in 0..3 {
        harness.key_press_modifiers(Modifiers::ALT, Key::ArrowLeft);
        harness.run();
    }
    let moved = entities(&harness, doc)
        .into_iter()
        .find(|e| e.id == id)
        .expect("entity");
    assert_eq!(moved.char_end, original.char_end - 3, "{:?}", harness.state().error());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    let back = entities(&harness, doc)
        .into_iter()
        .find(|e| e.id == id)
        .expect("entity");
    assert_eq!(back.span(), original.span(), "one step undoes the three moves");
    assert_eq!(back.status, Status::Accepted);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(status_of(&harness), Some(Status::Suggested), "then the accept");
}

#[test]
fn enter_acts_on_what_was_selected_last_and_no_click_changes_the_label_for_new_spans() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, doc) = project(dir.path());
    let mut harness = opened(&path, doc);
    assert_eq!(harness.state().current_label(), "PER");
    let relation = relations(&harness, doc).first().expect("a suggested relation").clone();
    let org = entities(&harness, doc)
        .into_iter()
        .find(|e| e.label == "ORG")
        .expect("an ORG suggestion");

    // Clicking a span selects it and leaves the label for new spans alone.
    harness.state_mut().apply(AnnotateCommand::Select(Some(org.id)).into());
    harness.run();
    assert_eq!(harness.state().current_label(), "PER");

    // A relation clicked, then Tab to a span: Enter accepts the span, not the relation.
    harness
        .state_mut()
        .apply(RelationCommand::SelectRelation(Some(relation.id)).into());
    harness.run();
    press(&mut harness, Key::Tab);
    let span = harness.state().selected().expect("a span");
    assert_eq!(harness.state().selected_relation(), None);
    press(&mut harness, Key::Enter);
    let after = relations(&harness, doc);
    assert_eq!(
        after.iter().find(|r| r.id == relation.id).map(|r| r.status),
        Some(Status::Suggested),
        "the relation was not accepted"
    );
    let accepted = entities(&harness, doc)
        .into_iter()
        .find(|e| e.id == span)
        .expect("span");
    assert_eq!(accepted.status, Status::Accepted);

    // A palette click with a selection relabels it and says so; new spans keep PER.
    harness
        .state_mut()
        .apply(AnnotateCommand::Relabel(org.id, "LOC".into()).into());
    harness.run();
    assert!(
        harness.state().message().contains("is now LOC"),
        "{}",
        harness.state().message()
    );
    assert_eq!(harness.state().current_label(), "PER");
}

#[test]
fn fixing_a_span_by_drag_never_brings_the_old_one_back_through_its_relation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("p.sqlite");
    let text = "浪潮云洲工业互联网有限公司总经理王明表示";
    let mut store = Store::open(&path).expect("store");
    let imported = NewDocument {
        name: "a.txt".into(),
        text: text.into(),
        encoding: "utf-8".into(),
        ..NewDocument::default()
    };
    store.import_documents(&[imported], &mut |_| {}).expect("import");
    let doc = store.documents().expect("list")[0].id;
    let suggestion = |start, end, label: &str| biaozhu::model::NewEntity {
        status: Status::Suggested,
        confidence: Some(0.7),
        annotator: biaozhu::model::ANNOTATOR_PRETAG.into(),
        ..biaozhu::model::NewEntity::accepted(CharSpan::new(start, end), label, "rule", "pretag")
    };
    let employ = biaozhu::model::IndexedRelation::suggested(1, 0, "任职", "rule", 0.7);
    store
        .replace_suggestions(doc, &[suggestion(2, 13, "ORG"), suggestion(16, 18, "PER")], &[employ])
        .expect("suggestions");
    drop(store);

    let mut harness = opened(&path, doc);
    // The annotator drags the whole name, 浪潮云洲工业互联网有限公司.
    harness.state_mut().apply(
        AnnotateCommand::AddSpan {
            char_start: 0,
            char_end: 13,
            label: "ORG".into(),
        }
        .into(),
    );
    harness.run();
    assert_eq!(harness.state().error(), None);
    // Every relation left in the list is accepted from it, as an annotator would.
    let relations = relations(&harness, doc);
    for relation in &relations {
        harness
            .state_mut()
            .apply(RelationCommand::AcceptRelation(relation.id).into());
        harness.run();
    }
    let all = entities(&harness, doc);
    let live: Vec<&Entity> = all.iter().filter(|e| e.status.is_live() && e.label == "ORG").collect();
    assert_eq!(live.len(), 1, "one ORG, the corrected one: {live:?}");
    assert_eq!(
        (live[0].char_start, live[0].char_end, live[0].source.as_str()),
        (0, 13, "corrected")
    );
    // The suggestion it replaced stays, set aside in this document only: where the span came from.
    let replaced = all
        .iter()
        .find(|e| e.char_start == 2 && e.label == "ORG")
        .expect("kept");
    assert_eq!(replaced.status, Status::Superseded);
    assert!(harness.state().store().check().expect("check").is_empty());
}

#[test]
fn a_drag_sets_suggestions_aside_in_its_document_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("p.sqlite");
    let mut store = Store::open(&path).expect("store");
    let documents =
        ["清华大学深圳国际研究生院举行典礼", "深圳市民在深圳湾散步，深圳天气晴。"].map(|text| NewDocument {
            name: text.chars().take(4).collect(),
            text: text.into(),
            encoding: "utf-8".into(),
            ..NewDocument::default()
        });
    store.import_documents(&documents, &mut |_| {}).expect("import");
    let tagger = biaozhu::project::pretag::tagger_for(&store).expect("tagger");
    pretag_documents(&mut store, &tagger, None, &mut |_, _| {}).expect("pretag");
    let ids: Vec<DocumentId> = store.documents().expect("list").iter().map(|d| d.id).collect();
    let shenzhen_in = |store: &Store, doc: DocumentId| {
        store
            .entities(doc, StatusFilter::All)
            .expect("entities")
            .into_iter()
            .filter(|e| e.label == "LOC" && e.status == Status::Suggested)
            .count()
    };
    assert_eq!(shenzhen_in(&store, ids[1]), 3);
    drop(store);

    // The annotator fixes 清华大学深圳国际研究生院 by one drag over it.
    let mut harness = opened(&path, ids[0]);
    harness.state_mut().apply(
        AnnotateCommand::AddSpan {
            char_start: 0,
            char_end: 12,
            label: "ORG".into(),
        }
        .into(),
    );
    harness.run();
    assert!(
        harness.state().message().contains("replacing"),
        "{}",
        harness.state().message()
    );
    drop(harness);

    // Pre-tagging again, with the gazetteer of the project as it is now: 深圳 is still
    // suggested everywhere else.
    let mut store = Store::open(&path).expect("store");
    let tagger = biaozhu::project::pretag::tagger_for(&store).expect("tagger");
    pretag_documents(&mut store, &tagger, None, &mut |_, _| {}).expect("pretag");
    assert_eq!(
        shenzhen_in(&store, ids[1]),
        3,
        "a drag says nothing about other documents"
    );
    let first = store.entities(ids[0], StatusFilter::All).expect("entities");
    assert!(
        first
            .iter()
            .all(|e| !(e.status == Status::Suggested && e.label == "LOC")),
        "nor is it offered again under the corrected span: {first:?}"
    );
}

/// A pointer drag from `from` to `to` with `modifiers` held, over a few frames.
fn drag(harness: &mut Harness<'_, App>, from: egui::Pos2, to: egui::Pos2, modifiers: Modifiers) {
    let button = |pos, pressed| egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers,
    };
    harness
        .input_mut()
        .events
        .push(egui::Event::ModifiersChanged(modifiers));
    harness.input_mut().events.push(egui::Event::PointerMoved(from));
    harness.run();
    harness.input_mut().events.push(button(from, true));
    harness.run();
    // Past egui's drag threshold first, near where the press was, then on to the end.
    let start = [from + egui::vec2(1.0, 0.0), from + egui::vec2(7.0, 0.0)];
    let rest = (1..=4).map(|step| from + (to - from) * (step as f32 / 4.0));
    for at in start.into_iter().chain(rest) {
        harness.input_mut().events.push(egui::Event::PointerMoved(at));
        harness.run();
    }
    harness.input_mut().events.push(button(to, false));
    harness.run();
    harness
        .input_mut()
        .events
        .push(egui::Event::ModifiersChanged(Modifiers::NONE));
    harness.run();
}

#[test]
fn a_plain_drag_across_two_spans_merges_them_and_shift_drag_relates_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, doc) = project(dir.path());
    let mut harness = opened(&path, doc);
    let find = |harness: &Harness<'_, App>, text: &str| {
        entities(harness, doc)
            .into_iter()
            .find(|e| e.status.is_live() && text_of(e) == text)
            .unwrap_or_else(|| panic!("{text} is suggested"))
    };
    let (title, person) = (find(&harness, "副主任"), find(&harness, "王建国"));
    let rect_of = |harness: &mut Harness<'_, App>, id| {
        harness
            .state_mut()
            .view_mut()
            .and_then(|view| view.painted_rect(id))
            .expect("painted")
    };
    let (from, to) = (rect_of(&mut harness, title.id), rect_of(&mut harness, person.id));

    // A drag (Alt: exact characters, as jieba cuts 委副 here) from the first character of
    // 副主任 to the last of 王建国, without Shift: one span over both, replacing the two.
    let first_char = egui::pos2(from.min.x + from.width() / 6.0, from.center().y);
    let last_char = egui::pos2(to.max.x - to.width() / 6.0, to.center().y);
    drag(&mut harness, first_char, last_char, Modifiers::ALT);
    assert_eq!(harness.state().error(), None);
    assert!(
        harness.state().message().contains("replacing"),
        "{}",
        harness.state().message()
    );
    let merged = find(&harness, "副主任王建国");
    assert_eq!((merged.status, merged.label.as_str()), (Status::Accepted, "PER"));
    assert!(
        harness
            .state()
            .store()
            .relations(doc, StatusFilter::Accepted)
            .expect("relations")
            .is_empty(),
        "no relation from a plain drag"
    );

    // Shift+drag from the merged span to the organization: a relation, no new span.
    let org = find(&harness, "省发展改革委");
    let (from, to) = (rect_of(&mut harness, merged.id), rect_of(&mut harness, org.id));
    let n_before = entities(&harness, doc).len();
    drag(&mut harness, from.center(), to.center(), Modifiers::SHIFT);
    assert_eq!(harness.state().error(), None);
    if harness.state().offered_relation_types().is_some() {
        harness
            .state_mut()
            .apply(RelationCommand::ChooseRelationType("任职".into()).into());
        harness.run();
    }
    assert_eq!(entities(&harness, doc).len(), n_before, "no span from a Shift+drag");
    let made = harness
        .state()
        .store()
        .relations(doc, StatusFilter::Accepted)
        .expect("relations");
    assert_eq!(made.len(), 1, "{made:?}");
    assert_eq!((made[0].head, made[0].tail), (merged.id, org.id));
}

#[test]
fn fixing_boundaries_by_drag_and_accepting_every_relation_on_the_sample_keeps_the_dataset_valid() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("p.sqlite");
    let mut store = Store::open(&path).expect("store");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let report = biaozhu::project::import::import_paths(
        &mut store,
        &[corpus],
        &biaozhu::project::import::ReadOptions::new("import"),
        &mut |_| {},
    );
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let tagger = biaozhu::project::pretag::tagger_for(&store).expect("tagger");
    pretag_documents(&mut store, &tagger, None, &mut |_, _| {}).expect("pretag");
    let doc = store.documents().expect("list")[0].id;
    drop(store);

    let mut harness = opened(&path, doc);
    // Every suggested end of a relation gets its boundary fixed by a drag one character wider
    // on the left, as an annotator correcting 云洲… to 浪潮云洲… would.
    let ends: Vec<biaozhu::model::EntityId> = relations(&harness, doc).iter().map(|r| r.tail).collect();
    let mut n_fixed = 0;
    for id in ends {
        let Some(end) = entities(&harness, doc)
            .into_iter()
            .find(|e| e.id == id && e.status == Status::Suggested)
        else {
            continue;
        };
        let Some(char_start) = end.char_start.checked_sub(1) else {
            continue;
        };
        harness
            .state_mut()
            .apply(AnnotateCommand::SetCurrentLabel(end.label.clone()).into());
        harness.state_mut().apply(
            AnnotateCommand::AddSpan {
                char_start,
                char_end: end.char_end,
                label: end.label.clone(),
            }
            .into(),
        );
        harness.run();
        if harness.state().error().is_none() {
            n_fixed += 1;
        }
    }
    assert!(n_fixed >= 5, "{n_fixed} boundaries fixed");
    // Then every relation left is accepted from the list.
    for relation in relations(&harness, doc).iter().filter(|r| r.status.is_live()) {
        harness
            .state_mut()
            .apply(RelationCommand::AcceptRelation(relation.id).into());
        harness.run();
    }
    let violations = harness.state().store().check().expect("check");
    assert!(violations.is_empty(), "{violations:#?}");
}

/// Made-up product names the rules know nothing of, each in 「」 after a few set phrases: a
/// pattern a small model learns from forty documents and the rules never propose.
fn product(i: usize) -> String {
    const FIRST: [char; 14] = [
        '青', '山', '云', '墨', '星', '白', '松', '晨', '碧', '流', '远', '寒', '秋', '银',
    ];
    const SECOND: [char; 14] = [
        '木', '岚', '杉', '竹', '河', '鹭', '涛', '曦', '溪', '萤', '岫', '梅', '水', '杏',
    ];
    [FIRST[i % 14], SECOND[(i / 14 * 5 + i) % 14]].iter().collect()
}

/// Documents labelled and marked done; the two after them are left untouched.
const N_DONE: usize = 40;

/// Products a document names, one a sentence: enough that a tenth of the documents holds
/// the held-out entities the gate wants.
const PER_DOCUMENT: usize = 8;

fn product_sentence(j: usize) -> String {
    let name = product(j);
    match j % 3 {
        0 => format!("3月5日，本季度推出的新品叫「{name}」，销量很好。"),
        1 => format!("3月5日，公司发布了新品「{name}」，反响热烈。"),
        _ => format!("新品「{name}」于3月5日正式上市。"),
    }
}

fn product_text(i: usize) -> String {
    (0..PER_DOCUMENT)
        .map(|k| product_sentence(i * PER_DOCUMENT + k))
        .collect()
}

/// Where the products of document `i` are, in chars.
fn product_spans(i: usize) -> Vec<(usize, usize)> {
    let mut offset = 0;
    (0..PER_DOCUMENT)
        .map(|k| {
            let j = i * PER_DOCUMENT + k;
            let sentence = product_sentence(j);
            let start = offset + sentence.chars().position(|c| c == '「').expect("「") + 1;
            offset += sentence.chars().count();
            (start, start + product(j).chars().count())
        })
        .collect()
}

/// Product documents, pre-tagged by the rules.
fn product_project(dir: &Path) -> (std::path::PathBuf, Vec<DocumentId>) {
    let path = dir.join("products.sqlite");
    let mut store = Store::open(&path).expect("store");
    let documents: Vec<NewDocument> = (0..N_DONE + 2)
        .map(|i| NewDocument {
            name: format!("p{i:02}.txt"),
            text: product_text(i),
            encoding: "utf-8".into(),
            ..NewDocument::default()
        })
        .collect();
    store.import_documents(&documents, &mut |_| {}).expect("import");
    let tagger = biaozhu::project::pretag::tagger_for(&store).expect("tagger");
    pretag_documents(&mut store, &tagger, None, &mut |_, _| {}).expect("pretag");
    let ids = store.documents().expect("list").iter().map(|d| d.id).collect();
    (path, ids)
}

/// Runs frames until no background task is left (a queued run included).
fn wait_idle(harness: &mut Harness<'_, App>) {
    for _ in 0..3000 {
        harness.step();
        if !harness.state().busy() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("the background task did not finish");
}

#[test]
fn the_tagger_learns_from_documents_marked_done_and_resuggests_the_untouched_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, docs) = product_project(dir.path());
    let untouched = &docs[N_DONE..];
    let before: Vec<Vec<Entity>> = untouched
        .iter()
        .map(|d| {
            Store::open(&path)
                .expect("store")
                .entities(*d, StatusFilter::All)
                .expect("entities")
        })
        .collect();
    assert!(
        before.iter().all(|entities| !entities.is_empty()),
        "the rules suggest something in every document (the dates), so none is complete: {before:?}"
    );
    assert!(before.iter().flatten().all(|e| e.label != "PRODUCT"));

    let mut harness = opened(&path, docs[0]);
    assert!(
        harness.state().tagger_verdict().starts_with("rules: "),
        "{}",
        harness.state().tagger_verdict()
    );
    assert_eq!(harness.state().retrain_every(), 5, "the default");
    harness.state_mut().apply(
        biaozhu::gui::SchemaEdit::AddLabel {
            name: "PRODUCT".into(),
            display_name: "产品".into(),
            color: "#b0e0a0".into(),
        }
        .into(),
    );
    harness
        .state_mut()
        .apply(ProjectCommand::SetRetrainEvery(N_DONE / 2).into());
    // Label the product of forty documents, marking each done: the twentieth starts a run
    // in the background, which may re-suggest documents labelled meanwhile, and the fortieth
    // another (at once, or queued behind the first).
    for (i, doc) in docs.iter().enumerate().take(N_DONE) {
        assert_eq!(harness.state().current_document(), Some(*doc));
        for (char_start, char_end) in product_spans(i) {
            harness.state_mut().apply(
                AnnotateCommand::AddSpan {
                    char_start,
                    char_end,
                    label: "PRODUCT".into(),
                }
                .into(),
            );
        }
        harness.state_mut().apply(AnnotateCommand::MarkDoneAndNext.into());
        if harness.state().asking_to_mark_done() {
            // The rules' date suggestions are left: the second Ctrl+Enter confirms.
            harness.state_mut().apply(AnnotateCommand::MarkDoneAndNext.into());
        }
        assert!(harness.state().error().is_none(), "{:?}", harness.state().error());
        if i == N_DONE / 2 - 1 {
            assert!(harness.state().busy(), "the twentieth document done starts training");
        }
        harness.step();
    }
    wait_idle(&mut harness);
    assert!(harness.state().error().is_none(), "{:?}", harness.state().error());
    let history = harness.state().store().model_history().expect("history");
    assert_eq!(history.len(), 2, "one run at twenty documents done, one at forty");
    let last = &history[1].report;
    assert_eq!(last.n_documents, N_DONE, "{last:?}");
    assert!(last.model_wins(), "{last:?}");
    let verdict = harness.state().tagger_verdict().to_owned();
    assert!(verdict.starts_with("rules + model"), "{verdict}");
    assert!(
        harness.state().message().contains("re-suggested"),
        "{}",
        harness.state().message()
    );

    // The untouched documents now carry the model's suggestions of their products.
    for (doc, i) in untouched.iter().zip(N_DONE..) {
        let learned: Vec<Entity> = entities(&harness, *doc)
            .into_iter()
            .filter(|e| e.label == "PRODUCT")
            .collect();
        let spans: Vec<(usize, usize)> = learned.iter().map(|e| (e.char_start, e.char_end)).collect();
        let expected = product_spans(i);
        assert!(
            spans.iter().all(|s| expected.contains(s)),
            "document {i}: {spans:?} vs {expected:?}"
        );
        assert!(
            spans.len() + 2 >= expected.len(),
            "document {i}: {spans:?} vs {expected:?}"
        );
        for e in &learned {
            assert_eq!(e.source, biaozhu::pretag::SOURCE_MODEL);
            assert_eq!(e.status, Status::Suggested);
            assert!(e.confidence.is_some_and(|c| (0.0..=1.0).contains(&c)), "{e:?}");
        }
    }

    // The next document to do is the first untouched one: its model suggestion shows its
    // source and confidence in the side panel.
    assert_eq!(harness.state().current_document(), Some(untouched[0]));
    let learned = entities(&harness, untouched[0])
        .into_iter()
        .find(|e| e.label == "PRODUCT")
        .expect("product");
    harness
        .state_mut()
        .apply(AnnotateCommand::Select(Some(learned.id)).into());
    harness.run();
    assert!(harness.query_by_label_contains("model (learned").is_some());
    let line = format!("PRODUCT {} · model", product(N_DONE * PER_DOCUMENT));
    assert!(
        harness.query_by_label_contains(&line).is_some(),
        "the entity list shows {line}"
    );
    assert!(harness.query_by_label_contains("tagger: rules + model").is_some());

    // Ctrl+T trains by hand; the statistics show the verdict and a curve of three runs.
    harness.state_mut().apply(AnnotateCommand::Select(None).into());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::T);
    harness.step();
    assert!(harness.state().busy(), "Ctrl+T trains in the background");
    wait_idle(&mut harness);
    assert_eq!(harness.state().store().model_history().expect("history").len(), 3);
    harness
        .state_mut()
        .apply(biaozhu::gui::ViewCommand::OpenStatistics.into());
    harness.run();
    assert!(harness.query_by_label_contains("(3 runs)").is_some());
    assert!(harness.query_all_by_label_contains(&verdict).count() >= 1, "{verdict}");

    // The setting is the project's.
    drop(harness);
    let reopened = harness_on(&path);
    assert_eq!(reopened.state().retrain_every(), N_DONE / 2);
}

fn harness_on(path: &Path) -> Harness<'static, App> {
    let mut harness = harness(path);
    harness.run();
    harness
}

#[test]
fn training_with_nothing_done_says_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, docs) = product_project(dir.path());
    let mut harness = opened(&path, docs[0]);
    harness.state_mut().apply(ProjectCommand::Train.into());
    wait_idle(&mut harness);
    let error = harness.state().error().expect("an error").to_owned();
    assert!(error.contains("nothing to train on"), "{error}");
    assert!(harness.state().store().model_history().expect("history").is_empty());
}

#[test]
fn the_document_list_can_put_the_most_uncertain_documents_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("u.sqlite");
    let mut store = Store::open(&path).expect("store");
    let names = ["calm.txt", "shaky.txt", "bare.txt", "middling.txt"];
    let documents = names.map(|name| NewDocument {
        name: name.to_owned(),
        text: format!("{name}：王建国来了。"),
        encoding: "utf-8".into(),
        ..NewDocument::default()
    });
    store.import_documents(&documents, &mut |_| {}).expect("import");
    let ids: Vec<DocumentId> = store.documents().expect("list").iter().map(|d| d.id).collect();
    for (id, confidence) in ids.iter().zip([Some(0.9), Some(0.3), None, Some(0.6)]) {
        let start = names[ids.iter().position(|i| i == id).expect("id")].chars().count() + 1;
        let suggestions: Vec<biaozhu::model::NewEntity> = confidence
            .map(|c| biaozhu::model::NewEntity {
                char_start: start,
                char_end: start + 3,
                label: "PER".into(),
                status: Status::Suggested,
                source: biaozhu::pretag::SOURCE_MODEL.into(),
                confidence: Some(c),
                annotator: biaozhu::model::ANNOTATOR_PRETAG.into(),
            })
            .into_iter()
            .collect();
        store.replace_suggestions(*id, &suggestions, &[]).expect("suggest");
    }
    drop(store);
    let [sure, unsure, bare, middling] = [ids[0], ids[1], ids[2], ids[3]];
    let mut harness = opened(&path, sure);
    assert_eq!(harness.state().listed_documents(), ids, "id order first");

    harness.get_by_label_contains("most uncertain first").click();
    harness.run();
    assert_eq!(harness.state().listed_documents(), vec![unsure, middling, sure, bare]);
    // The lines are drawn in that order, with the least sure suggestion's confidence.
    let top = |name: &str| harness.get_by_label_contains(&format!("{name}\n")).rect().min.y;
    assert!(top("shaky.txt") < top("middling.txt") && top("middling.txt") < top("calm.txt"));
    assert!(top("calm.txt") < top("bare.txt"));
    assert!(harness.query_by_label_contains("least sure 0.30").is_some());

    // An edit does not move lines: accepting the least sure suggestion leaves its line on
    // top, read again.
    harness.state_mut().apply(AnnotateCommand::OpenDocument(unsure).into());
    harness.state_mut().apply(AnnotateCommand::AcceptAll.into());
    harness.run();
    assert_eq!(harness.state().listed_documents(), vec![unsure, middling, sure, bare]);
    let shaky = format!(
        "shaky.txt\n   {} chars · 0 to check",
        "shaky.txt：王建国来了。".chars().count()
    );
    assert!(
        harness.query_by_label_contains(&shaky).is_some(),
        "the line reads {shaky}"
    );

    // Marking it done opens the next one in the list's order, not in id order.
    harness.state_mut().apply(AnnotateCommand::MarkDoneAndNext.into());
    harness.run();
    assert_eq!(harness.state().current_document(), Some(middling));

    // Choosing the order again sorts again: the accepted one has no suggestion left.
    harness.get_by_label_contains("most uncertain first").click();
    harness.run();
    assert_eq!(harness.state().listed_documents(), vec![middling, sure, unsure, bare]);
    harness.get_by_label("id order").click();
    harness.run();
    assert_eq!(harness.state().listed_documents(), ids);
}

#[test]
fn another_programs_writes_show_up_and_every_accept_lands_meanwhile() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, doc) = project(dir.path());
    let mut harness = opened(&path, doc);
    let n_before = harness.state().store().documents().expect("list").len();
    let suggestions: Vec<Entity> = entities(&harness, doc)
        .into_iter()
        .filter(|e| e.status == Status::Suggested)
        .collect();
    assert!(suggestions.len() >= 5, "{suggestions:?}");
    // Another program imports and pre-tags while the annotator accepts.
    let lines: String = (0..3000)
        .map(|i| format!("{{\"text\": \"第{i}条：国务院总理李强在北京表示，湖南日报记者报道。\"}}\n"))
        .collect();
    std::fs::write(dir.path().join("more.jsonl"), lines).expect("more");
    let db = path.to_str().expect("utf-8 path").to_owned();
    let other = std::thread::spawn({
        let dir = dir.path().to_path_buf();
        move || {
            for args in [vec!["import", "--db", &db, "more.jsonl"], vec!["pretag", "--db", &db]] {
                let output = std::process::Command::new(env!("CARGO_BIN_EXE_biaozhu"))
                    .args(&args)
                    .current_dir(&dir)
                    .output()
                    .expect("runs");
                assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
            }
        }
    });
    for suggestion in &suggestions {
        harness.state_mut().apply(AnnotateCommand::Accept(suggestion.id).into());
        assert!(harness.state().error().is_none(), "{:?}", harness.state().error());
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(30));
    }
    other.join().expect("the other program");
    let accepted = entities(&harness, doc)
        .into_iter()
        .filter(|e| e.status == Status::Accepted)
        .count();
    assert_eq!(accepted, suggestions.len(), "every accept landed");
    // Within about a second the list shows the imported documents, without a restart.
    let mut seen = false;
    for _ in 0..40 {
        harness.step();
        if harness
            .query_by_label_contains(&format!("{} documents", n_before + 3000))
            .is_some()
            || harness.state().listed_documents().len() > n_before
        {
            seen = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(seen, "the new documents appear");
}

#[test]
fn save_a_copy_writes_every_saved_edit_to_one_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, doc) = project(dir.path());
    let mut harness = opened(&path, doc);
    let suggestion = entities(&harness, doc)
        .into_iter()
        .find(|e| e.status == Status::Suggested)
        .expect("a suggestion");
    harness.state_mut().apply(AnnotateCommand::Accept(suggestion.id).into());
    let copy = dir.path().join("copy.sqlite");
    harness.state_mut().apply(ProjectCommand::SaveCopy(copy.clone()).into());
    assert!(harness.state().error().is_none(), "{:?}", harness.state().error());
    assert!(
        harness.state().message().contains("saved a copy"),
        "{}",
        harness.state().message()
    );
    let copied = Store::open_existing(&copy).expect("the copy opens");
    let accepted = copied.entities(doc, StatusFilter::All).expect("entities");
    assert!(
        accepted
            .iter()
            .any(|e| e.id == suggestion.id && e.status == Status::Accepted)
    );
}

/// The entity list is virtual: a far line is built once it is scrolled to, and a click on it
/// selects its entity.
#[test]
fn far_entity_in_a_long_list_is_selected_by_scrolling_and_clicking() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("p.sqlite");
    let n_entities = 2_000;
    let mut text = String::new();
    let mut spans = Vec::new();
    for i in 0..n_entities {
        let start = text.chars().count();
        text.push_str(&format!("实体{i:04}。"));
        spans.push(biaozhu::model::NewEntity {
            char_start: start,
            char_end: start + 6,
            label: "PER".into(),
            status: Status::Accepted,
            source: "test".into(),
            confidence: None,
            annotator: "tester".into(),
        });
        if i % 20 == 19 {
            text.push('\n');
        }
    }
    let mut store = Store::open(&path).expect("store");
    let document = NewDocument {
        name: "many.txt".into(),
        text,
        encoding: "utf-8".into(),
        entities: spans,
        ..NewDocument::default()
    };
    store.import_documents(&[document], &mut |_| {}).expect("import");
    let doc = store.documents().expect("list")[0].id;
    drop(store);
    let mut harness = opened(&path, doc);
    let last = format!("√ PER 实体{:04}", n_entities - 1);
    assert!(
        harness.query_by_label(&last).is_none(),
        "the far line is not built before scrolling"
    );
    let list = harness.get_by_label("√ PER 实体0000").rect();
    let over_list = list.center();
    for _ in 0..400 {
        if harness.query_by_label(&last).is_some() {
            break;
        }
        harness.input_mut().events.push(egui::Event::PointerMoved(over_list));
        harness.input_mut().events.push(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, -2000.0),
            modifiers: Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
        // The wheel scrolls smoothly: a few frames, not until it settles.
        harness.run_steps(3);
    }
    harness.get_by_label(&last).click();
    harness.run_steps(8);
    let far = entities(&harness, doc)
        .into_iter()
        .max_by_key(|e| e.char_start)
        .expect("entities");
    assert_eq!(harness.state().selected(), Some(far.id));
}

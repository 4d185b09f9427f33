//! Relation review in the real app: the side list follows the selected span, its rows and
//! keys settle relations, Shift+A accepts the ready ones at once, Ctrl+Enter asks before
//! leaving suggestions behind, undo of "mark done" shows in the list, and the statistics
//! bars carry their values.

use std::path::{Path, PathBuf};

use biaozhu::gui::{AnnotateCommand, App, DocumentOrder, RelationCommand, ViewCommand};
use biaozhu::model::{DocStatus, DocumentId, Entity, EntityId, Relation, Status};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

use super::gui_util::{app_on, entities, pretagged, relations};

/// Two people with a title and an employer each, so that each has relations of its own.
const TEXT: &str = "省发展改革委副主任王建国表示，长沙经开区新签约项目12个。\n湖南日报全媒体记者李明摄。";

/// A project of `a.txt` (pre-tagged: entity and relation suggestions) and `b.txt`.
fn project(dir: &Path) -> (PathBuf, DocumentId) {
    let (path, ids) = pretagged(dir, &[("a.txt", TEXT), ("b.txt", "第二篇文档。")]);
    (path, ids[0])
}

fn opened(path: &Path, doc: DocumentId) -> Harness<'static, App> {
    app_on(path, doc, [1300.0, 850.0])
}

fn live(harness: &Harness<'_, App>, doc: DocumentId) -> Vec<Relation> {
    relations(harness, doc)
        .into_iter()
        .filter(|r| r.status.is_live())
        .collect()
}

fn entity_named(harness: &Harness<'_, App>, doc: DocumentId, text: &str) -> Entity {
    entities(harness, doc)
        .into_iter()
        .find(|e| text_of(e) == text && e.status.is_live())
        .unwrap_or_else(|| panic!("{text} is suggested"))
}

fn text_of(entity: &Entity) -> String {
    TEXT.chars()
        .skip(entity.char_start)
        .take(entity.char_end - entity.char_start)
        .collect()
}

fn press(harness: &mut Harness<'_, App>, key: Key) {
    harness.key_press(key);
    harness.run();
}

fn press_with(harness: &mut Harness<'_, App>, modifiers: Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    harness.run();
}

fn select(harness: &mut Harness<'_, App>, id: EntityId) {
    harness.state_mut().apply(AnnotateCommand::Select(Some(id)).into());
    harness.run();
}

fn listed(harness: &Harness<'_, App>) -> Vec<biaozhu::model::RelationId> {
    harness
        .state()
        .listed_relations()
        .into_iter()
        .map(|(id, _)| id)
        .collect()
}

/// The relation rows drawn in the side panel (each reads `? head —type→ tail`).
fn drawn_rows(harness: &Harness<'_, App>) -> usize {
    harness.query_all_by_label_contains(" —").count()
}

#[test]
fn the_relation_list_shows_the_selected_span_s_relations_and_the_toggle_shows_all() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, doc) = project(dir.path());
    let mut harness = opened(&path, doc);
    let all = live(&harness, doc);
    let person = entity_named(&harness, doc, "王建国");
    let own: Vec<&Relation> = all
        .iter()
        .filter(|r| r.head == person.id || r.tail == person.id)
        .collect();
    assert!(!own.is_empty() && own.len() < all.len(), "王建国 has some of {all:?}");

    // Nothing selected: the whole document's.
    assert_eq!(listed(&harness).len(), all.len());
    assert_eq!(drawn_rows(&harness), all.len());
    assert!(harness.query_by_label(&format!("Relations: {}", all.len())).is_some());

    select(&mut harness, person.id);
    let shown = listed(&harness);
    assert_eq!(shown.len(), own.len());
    assert!(own.iter().all(|r| shown.contains(&r.id)));
    assert_eq!(drawn_rows(&harness), own.len(), "only 王建国's rows are drawn");
    let heading = format!("Relations of 王建国: {} of {}", own.len(), all.len());
    assert!(harness.query_by_label(&heading).is_some(), "{heading}");

    // The toggle lists every relation, the span still selected; and back.
    harness.get_by_label("all relations").click();
    harness.run();
    assert_eq!(harness.state().selected(), Some(person.id));
    assert_eq!(listed(&harness).len(), all.len());
    assert_eq!(drawn_rows(&harness), all.len());
    harness.get_by_label("all relations").click();
    harness.run();
    assert_eq!(listed(&harness).len(), own.len());

    // A relation selected from the list keeps the list on the span it was reached from,
    // even when that span is its tail.
    let as_tail = all
        .iter()
        .find(|r| r.tail != person.id && r.head != person.id)
        .expect("another span's relation");
    select(&mut harness, as_tail.tail);
    let tail_list = listed(&harness);
    harness
        .state_mut()
        .apply(RelationCommand::SelectRelation(Some(as_tail.id)).into());
    harness.run();
    assert_eq!(listed(&harness), tail_list, "still the tail's relations");
}

#[test]
fn the_row_buttons_accept_reject_and_retype() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, doc) = project(dir.path());
    let mut harness = opened(&path, doc);
    let person = entity_named(&harness, doc, "王建国");
    select(&mut harness, person.id);
    let shown = listed(&harness);
    assert!(shown.len() >= 2, "{shown:?}");

    // Each row: √ accepts (suggestions only), × rejects or deletes, T retypes.
    assert_eq!(harness.query_all_by_label("√").count(), shown.len());
    assert_eq!(harness.query_all_by_label("×").count(), shown.len());
    harness.get_all_by_label("√").next().expect("an accept button").click();
    harness.run();
    let first = harness.state().store().relation(shown[0]).expect("relation");
    assert_eq!(first.status, Status::Accepted);
    let head = harness.state().store().entity(first.head).expect("head");
    assert_eq!(head.status, Status::Accepted, "accepting a relation accepts its ends");

    // The first row is accepted now: it has no √ left; the second row's × rejects.
    assert_eq!(harness.query_all_by_label("√").count(), shown.len() - 1);
    harness
        .get_all_by_label("×")
        .nth(1)
        .expect("the second row's ×")
        .click();
    harness.run();
    let second = harness.state().store().relation(shown[1]).expect("relation");
    assert_eq!(second.status, Status::Rejected);
    assert_eq!(listed(&harness), vec![shown[0]], "a rejected relation leaves the list");

    harness.get_by_label("T").click();
    harness.run();
    assert_eq!(harness.state().selected_relation(), Some(shown[0]));
    assert!(
        harness.state().offered_relation_types().is_some(),
        "retyping offers the types"
    );
    press(&mut harness, Key::Escape);

    harness.get_by_label("×").click();
    harness.run();
    assert!(harness.state().store().relation(shown[0]).is_err(), "deleted");
    assert!(harness.state().error().is_none(), "{:?}", harness.state().error());
}

#[test]
fn keys_walk_a_span_s_relations_accepting_and_rejecting_as_they_go() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, doc) = project(dir.path());
    let mut harness = opened(&path, doc);
    let person = entity_named(&harness, doc, "王建国");
    select(&mut harness, person.id);
    let shown = listed(&harness);
    assert!(shown.len() >= 2, "{shown:?}");

    // ↓ enters the list, ↓ and ↑ walk it (wrapping), the span stays the list's.
    press(&mut harness, Key::ArrowDown);
    assert_eq!(harness.state().selected_relation(), Some(shown[0]));
    press(&mut harness, Key::ArrowDown);
    assert_eq!(harness.state().selected_relation(), Some(shown[1]));
    press(&mut harness, Key::ArrowUp);
    assert_eq!(harness.state().selected_relation(), Some(shown[0]));
    press(&mut harness, Key::ArrowUp);
    assert_eq!(harness.state().selected_relation(), shown.last().copied(), "wraps");
    press(&mut harness, Key::ArrowDown);
    assert_eq!(harness.state().selected_relation(), Some(shown[0]), "↓ wraps too");
    assert_eq!(listed(&harness), shown);

    // Enter accepts and moves to the next suggested relation of the span.
    press(&mut harness, Key::Enter);
    assert_eq!(
        harness.state().store().relation(shown[0]).expect("relation").status,
        Status::Accepted
    );
    assert_eq!(harness.state().selected_relation(), Some(shown[1]));
    assert!(
        harness.state().message().contains("left"),
        "{}",
        harness.state().message()
    );

    // Delete rejects it; with no suggestion left the selection goes back to the span.
    press(&mut harness, Key::Delete);
    assert_eq!(
        harness.state().store().relation(shown[1]).expect("relation").status,
        Status::Rejected
    );
    let suggested_left = harness.state().listed_relations().iter().any(|(_, s)| *s);
    if suggested_left {
        assert!(harness.state().selected_relation().is_some());
    } else {
        assert_eq!(harness.state().selected_relation(), None);
        assert_eq!(harness.state().selected(), Some(person.id));
    }

    // Esc on a relation goes back to the span.
    press(&mut harness, Key::ArrowDown);
    assert!(harness.state().selected_relation().is_some());
    press(&mut harness, Key::Escape);
    assert_eq!(harness.state().selected_relation(), None);
    assert_eq!(harness.state().selected(), Some(person.id));
    assert!(harness.state().error().is_none(), "{:?}", harness.state().error());
}

#[test]
fn shift_a_accepts_exactly_the_relations_with_accepted_ends_in_one_undo_step() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, doc) = project(dir.path());
    let mut harness = opened(&path, doc);
    // Accept 王建国's ends only; 李明's relation keeps a suggested end.
    let person = entity_named(&harness, doc, "王建国");
    let theirs: Vec<Relation> = live(&harness, doc)
        .into_iter()
        .filter(|r| r.head == person.id)
        .collect();
    assert!(!theirs.is_empty());
    let mut ends: Vec<EntityId> = theirs.iter().flat_map(|r| [r.head, r.tail]).collect();
    ends.sort();
    ends.dedup();
    for end in &ends {
        harness.state_mut().apply(AnnotateCommand::Accept(*end).into());
    }
    harness.run();
    let before = relations(&harness, doc);
    let accepted: Vec<EntityId> = entities(&harness, doc)
        .into_iter()
        .filter(|e| e.status == Status::Accepted)
        .map(|e| e.id)
        .collect();
    let (ready, waiting): (Vec<&Relation>, Vec<&Relation>) = before
        .iter()
        .filter(|r| r.status == Status::Suggested)
        .partition(|r| accepted.contains(&r.head) && accepted.contains(&r.tail));
    assert!(!ready.is_empty() && !waiting.is_empty(), "{before:?}");

    let line = |harness: &Harness<'_, App>| harness.state().store().document_summary(doc).expect("line");
    let n_suggested = before.iter().filter(|r| r.status == Status::Suggested).count();
    assert_eq!(
        line(&harness).n_suggested_relations,
        n_suggested,
        "the list counts relation suggestions"
    );
    press_with(&mut harness, Modifiers::SHIFT, Key::A);
    assert_eq!(
        line(&harness).n_suggested_relations,
        waiting.len(),
        "and after Shift+A, those left"
    );
    let after = relations(&harness, doc);
    for relation in &after {
        let expected = if ready.iter().any(|r| r.id == relation.id) {
            Status::Accepted
        } else {
            before.iter().find(|r| r.id == relation.id).expect("same rows").status
        };
        assert_eq!(relation.status, expected, "{relation:?}");
    }
    assert_eq!(
        harness.state().message(),
        format!(
            "accepted {} relation suggestion{} ({} left: an end is still a suggestion)",
            ready.len(),
            if ready.len() == 1 { "" } else { "s" },
            waiting.len()
        )
    );
    // Plain A still accepts the entity suggestions only.
    assert!(
        entities(&harness, doc).iter().any(|e| e.status == Status::Suggested),
        "Shift+A leaves entity suggestions alone"
    );

    // One Ctrl+Z takes every one back.
    press_with(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(relations(&harness, doc), before);
    assert!(
        harness
            .state()
            .message()
            .starts_with("undid accept relation suggestions")
    );
}

#[test]
fn ctrl_enter_with_suggestions_left_asks_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, doc) = project(dir.path());
    let mut harness = opened(&path, doc);
    let (n_entities, n_relations) = harness.state().to_check();
    assert!(n_entities > 0 && n_relations > 0);
    let status = |harness: &Harness<'_, App>| harness.state().store().document(doc).expect("doc").status;

    // The status bar says what is left, entities and relations.
    let to_check = format!("to check: {n_entities} entity and {n_relations} relation suggestions");
    assert!(harness.query_by_label(&to_check).is_some(), "{to_check}");

    press_with(&mut harness, Modifiers::COMMAND, Key::Enter);
    assert_ne!(status(&harness), DocStatus::Done);
    assert!(harness.state().asking_to_mark_done());
    let question = format!(
        "{n_entities} entity and {n_relations} relation suggestions are unreviewed — Ctrl+Enter again to mark done anyway, Esc to go back"
    );
    assert_eq!(harness.state().message(), question);
    assert!(harness.query_by_label(&question).is_some(), "shown in the status bar");

    // Esc takes the question back.
    press(&mut harness, Key::Escape);
    assert!(!harness.state().asking_to_mark_done());
    assert_ne!(status(&harness), DocStatus::Done);

    // Any other action in between does too.
    press_with(&mut harness, Modifiers::COMMAND, Key::Enter);
    assert!(harness.state().asking_to_mark_done());
    press(&mut harness, Key::Tab);
    assert!(!harness.state().asking_to_mark_done());
    press_with(&mut harness, Modifiers::COMMAND, Key::Enter);
    assert_ne!(status(&harness), DocStatus::Done, "Tab came between: this asks again");

    // The second Ctrl+Enter in a row marks it done and opens the next.
    press_with(&mut harness, Modifiers::COMMAND, Key::Enter);
    assert_eq!(status(&harness), DocStatus::Done);
    assert_ne!(harness.state().current_document(), Some(doc));

    // Enter confirms too; and without suggestions left nothing is asked.
    press_with(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_ne!(status(&harness), DocStatus::Done);
    assert_eq!(harness.state().current_document(), Some(doc));
    press_with(&mut harness, Modifiers::COMMAND, Key::Enter);
    press(&mut harness, Key::Enter);
    assert_eq!(status(&harness), DocStatus::Done);
    let other = harness.state().current_document().expect("b.txt");
    assert_eq!(harness.state().to_check(), (0, 0));
    press_with(&mut harness, Modifiers::COMMAND, Key::Enter);
    assert_eq!(
        harness.state().store().document(other).expect("doc").status,
        DocStatus::Done,
        "marked done at once"
    );
}

#[test]
fn undoing_mark_done_restores_the_document_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, doc) = project(dir.path());
    let mut harness = opened(&path, doc);
    press(&mut harness, Key::A);
    press_with(&mut harness, Modifiers::SHIFT, Key::A);
    assert_eq!(harness.state().to_check(), (0, 0), "{}", harness.state().message());
    assert!(harness.query_by_label_contains("◎ a.txt").is_some(), "in progress");

    press_with(&mut harness, Modifiers::COMMAND, Key::Enter);
    assert!(harness.query_by_label_contains("● a.txt").is_some(), "done");
    press_with(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(
        harness.state().store().document(doc).expect("doc").status,
        DocStatus::InProgress
    );
    assert!(harness.query_by_label_contains("● a.txt").is_none(), "no ● left");
    assert!(
        harness.query_by_label_contains("◎ a.txt").is_some(),
        "in progress again"
    );
    press_with(&mut harness, Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    assert!(
        harness.query_by_label_contains("● a.txt").is_some(),
        "redo marks it again"
    );

    // Most uncertain first, the list pages through a snapshot: the line follows there too.
    press_with(&mut harness, Modifiers::COMMAND, Key::Z);
    harness
        .state_mut()
        .apply(ViewCommand::OrderDocuments(DocumentOrder::Uncertainty).into());
    harness.run();
    press_with(&mut harness, Modifiers::COMMAND, Key::Enter);
    assert!(harness.query_by_label_contains("● a.txt").is_some(), "done");
    press_with(&mut harness, Modifiers::COMMAND, Key::Z);
    assert!(harness.query_by_label_contains("● a.txt").is_none(), "no ● left");
    assert!(harness.query_by_label_contains("◎ a.txt").is_some());
}

#[test]
fn statistics_bars_show_their_values() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, doc) = project(dir.path());
    let mut harness = opened(&path, doc);
    let person = entity_named(&harness, doc, "王建国");
    let place = entity_named(&harness, doc, "省发展改革委");
    harness.state_mut().apply(AnnotateCommand::Accept(person.id).into());
    harness.state_mut().apply(AnnotateCommand::Accept(place.id).into());
    harness.state_mut().apply(ViewCommand::OpenStatistics.into());
    harness.run();
    let n_suggested = entities(&harness, doc)
        .iter()
        .filter(|e| e.status == Status::Suggested)
        .count();
    // Per label: PER 1 and ORG 1 of 2 accepted entities.
    assert!(harness.query_all_by_label("1 (50%)").count() >= 2);
    // Per document: accepted, left, and the share accepted.
    let share = (200.0 / (2 + n_suggested) as f64).round();
    let progress = format!("2 + {n_suggested} to check ({share}% accepted)");
    let value = harness.get_by_label(&progress);
    // The value sits just past its bar's end, on its own line.
    let value_rect = value.rect();
    // The bar's name (the document's heading says a.txt too).
    let name = harness
        .query_all_by_label("a.txt")
        .map(|n| n.rect())
        .min_by(|a, b| {
            let off = |r: &egui::Rect| (r.center().y - value_rect.center().y).abs();
            off(a).total_cmp(&off(b))
        })
        .expect("the bar's name");
    assert!(value_rect.left() > name.right(), "{value_rect:?} right of {name:?}");
    assert!((value_rect.center().y - name.center().y).abs() < 4.0, "same line");
    let other = harness.get_by_label("0 + 0 to check (0% accepted)").rect();
    assert!(!other.intersects(value_rect), "values never overlap");
}

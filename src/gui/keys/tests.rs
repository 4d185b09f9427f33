//! The table reads keys as the three hand-written keyboard functions did, and the sheet
//! shows what the hand-kept sheet showed.

use egui::{Event, Key, Modifiers, RawInput};

use super::{Mode, State, read, sheet};
use crate::gui::command::{
    AnnotateCommand, Command, Decision, ProjectCommand, RelationCommand, ReviewCommand, ViewCommand,
};
use crate::model::{EntityId, Label, RelationId, RelationType};

fn label(name: &str, hotkey: Option<&str>) -> Label {
    Label {
        name: name.to_owned(),
        display_name: String::new(),
        color: "#ffffff".to_owned(),
        hotkey: hotkey.map(str::to_owned),
        description: String::new(),
    }
}

fn labels() -> Vec<Label> {
    vec![label("PER", Some("1")), label("ORG", Some("2")), label("LOC", None)]
}

fn read_keys(modes: &[Mode], state: &State<'_>, types: &[RelationType], keys: &[(Modifiers, Key)]) -> Vec<Command> {
    let ctx = egui::Context::default();
    let events = keys
        .iter()
        .map(|(modifiers, key)| Event::Key {
            key: *key,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers: *modifiers,
        })
        .collect();
    let mut out = Vec::new();
    let mut output = ctx.run_pass(
        RawInput {
            events,
            ..RawInput::default()
        },
        |ctx| out = ctx.input_mut(|i| read(i, modes, state, types)),
    );
    output.textures_delta.clear();
    out
}

fn state<'a>(labels: &'a [Label], types: &'a [String]) -> State<'a> {
    State {
        selected: None,
        selected_relation: None,
        show_help: false,
        labels,
        offered_types: types,
    }
}

const NONE: Modifiers = Modifiers::NONE;
const SHIFT: Modifiers = Modifiers::SHIFT;

#[test]
fn ctrl_t_trains_and_t_alone_still_retypes_a_selected_relation() {
    let labels = labels();
    let mut state = state(&labels, &[]);
    state.selected_relation = Some(RelationId(1));
    let modes = [Mode::Annotating, Mode::RelationSelected];
    assert_eq!(
        read_keys(&modes, &state, &[], &[(Modifiers::COMMAND, Key::T)]),
        vec![ProjectCommand::Train.into()]
    );
    assert_eq!(
        read_keys(&modes, &state, &[], &[(NONE, Key::T)]),
        vec![RelationCommand::RetypeSelectedRelation.into()]
    );
}

#[test]
fn longer_modifier_sets_win() {
    let labels = labels();
    let state = state(&labels, &[]);
    let annotating = [Mode::Annotating];
    let redo = read_keys(&annotating, &state, &[], &[(Modifiers::COMMAND | SHIFT, Key::Z)]);
    assert_eq!(redo, vec![AnnotateCommand::Redo.into()]);
    assert_eq!(
        read_keys(&annotating, &state, &[], &[(SHIFT, Key::Tab)]),
        vec![AnnotateCommand::SelectPrevious.into()]
    );
    assert_eq!(
        read_keys(&annotating, &state, &[], &[(Modifiers::ALT, Key::ArrowRight)]),
        vec![
            AnnotateCommand::MoveBoundary {
                start_delta: 0,
                end_delta: 1
            }
            .into()
        ]
    );
    assert_eq!(
        read_keys(&annotating, &state, &[], &[(Modifiers::COMMAND, Key::Enter)]),
        vec![AnnotateCommand::MarkDoneAndNext.into()]
    );
}

#[test]
fn a_selected_relation_takes_its_keys_first() {
    let labels = labels();
    let mut state = state(&labels, &[]);
    let relation = RelationId(7);
    state.selected_relation = Some(relation);
    let modes = [Mode::Annotating, Mode::RelationSelected];
    assert_eq!(
        read_keys(&modes, &state, &[], &[(NONE, Key::Enter)]),
        vec![RelationCommand::AcceptRelation(relation).into()]
    );
    assert_eq!(
        read_keys(&modes, &state, &[], &[(NONE, Key::Escape)]),
        vec![RelationCommand::BackToSpan.into()]
    );
    assert_eq!(
        read_keys(&modes, &state, &[], &[(NONE, Key::ArrowUp)]),
        vec![RelationCommand::StepListedRelation { forward: false }.into()],
        "↑ / ↓ walk the span's relations"
    );
    assert_eq!(
        read_keys(&modes, &state, &[], &[(NONE, Key::Tab)]),
        vec![AnnotateCommand::SelectNext.into()],
        "Tab stays on the spans"
    );
    assert_eq!(
        read_keys(&[Mode::Annotating], &state, &[], &[(NONE, Key::ArrowDown)]),
        vec![RelationCommand::StepListedRelation { forward: true }.into()]
    );
    assert_eq!(
        read_keys(&[Mode::Annotating], &state, &[], &[(NONE, Key::Escape)]),
        vec![
            ViewCommand::ShowHelp(false).into(),
            AnnotateCommand::Select(None).into()
        ]
    );
}

#[test]
fn shift_a_accepts_relations_and_a_entities() {
    let labels = labels();
    let state = state(&labels, &[]);
    assert_eq!(
        read_keys(&[Mode::Annotating], &state, &[], &[(SHIFT, Key::A), (NONE, Key::A)]),
        vec![
            RelationCommand::AcceptReadyRelations.into(),
            AnnotateCommand::AcceptAll.into()
        ]
    );
}

#[test]
fn the_question_before_marking_done_takes_enter_and_escape_first() {
    let labels = labels();
    let mut state = state(&labels, &[]);
    state.selected = Some(EntityId(3));
    let modes = [Mode::ConfirmingDone, Mode::Annotating];
    assert_eq!(
        read_keys(&modes, &state, &[], &[(Modifiers::COMMAND, Key::Enter)]),
        vec![AnnotateCommand::MarkDoneAndNext.into()]
    );
    assert_eq!(
        read_keys(&modes, &state, &[], &[(NONE, Key::Enter)]),
        vec![AnnotateCommand::MarkDoneAndNext.into()]
    );
    assert_eq!(
        read_keys(&modes, &state, &[], &[(NONE, Key::Escape)]),
        vec![AnnotateCommand::CancelMarkDone.into()]
    );
    assert_eq!(
        read_keys(&[Mode::Annotating], &state, &[], &[(NONE, Key::Enter)]),
        vec![AnnotateCommand::AcceptSelected.into()]
    );
}

#[test]
fn digits_follow_hotkeys_while_annotating_and_places_while_reviewing() {
    let labels = labels();
    let mut state = state(&labels, &[]);
    assert_eq!(
        read_keys(&[Mode::Annotating], &state, &[], &[(NONE, Key::Num2)]),
        vec![AnnotateCommand::SetCurrentLabel("ORG".into()).into()]
    );
    assert_eq!(
        read_keys(&[Mode::Annotating], &state, &[], &[(NONE, Key::Num3)]),
        vec![]
    );
    assert_eq!(
        read_keys(&[Mode::Review], &state, &[], &[(NONE, Key::Num3)]),
        vec![AnnotateCommand::SetCurrentLabel("LOC".into()).into()]
    );
    state.selected = Some(EntityId(3));
    assert_eq!(
        read_keys(&[Mode::Annotating], &state, &[], &[(NONE, Key::Num1)]),
        vec![AnnotateCommand::Relabel(EntityId(3), "PER".into()).into()]
    );
    assert_eq!(
        read_keys(&[Mode::Review], &state, &[], &[(NONE, Key::R), (NONE, Key::Delete)]),
        vec![
            ReviewCommand::Adjudicate(Decision::Reject).into(),
            ReviewCommand::Adjudicate(Decision::Reject).into()
        ]
    );
}

#[test]
fn relation_types_are_chosen_by_place_or_hotkey() {
    let labels = labels();
    let offered = vec!["任职".to_owned(), "位于".to_owned()];
    let types = vec![RelationType {
        name: "位于".to_owned(),
        description: String::new(),
        head_labels: Vec::new(),
        tail_labels: Vec::new(),
        hotkey: Some("w".to_owned()),
    }];
    let state = state(&labels, &offered);
    let modes = [Mode::ChoosingType, Mode::MakingRelation];
    assert_eq!(
        read_keys(&modes, &state, &types, &[(NONE, Key::Num1)]),
        vec![RelationCommand::ChooseRelationType("任职".into()).into()]
    );
    assert_eq!(
        read_keys(&modes, &state, &types, &[(NONE, Key::W)]),
        vec![RelationCommand::ChooseRelationType("位于".into()).into()]
    );
    assert_eq!(
        read_keys(&modes, &state, &types, &[(NONE, Key::Escape)]),
        vec![RelationCommand::CancelRelation.into()]
    );
    assert_eq!(read_keys(&modes, &state, &types, &[(NONE, Key::A)]), vec![]);
}

#[test]
fn the_sheet_is_the_one_the_app_always_showed() {
    let shown: Vec<(&str, &str)> = sheet().iter().map(|r| (r.keys, r.what)).collect();
    assert_eq!(
        shown,
        [
            ("Tab / →", "next span (suggestions first)"),
            ("Shift+Tab / ←", "previous span"),
            ("Enter", "accept the suggestion"),
            ("Delete / Backspace", "reject a suggestion, delete a span"),
            ("1 – 8", "relabel the selection, or pick the label for new spans"),
            ("Shift+← / Shift+→", "move the start one character"),
            ("Alt+← / Alt+→", "move the end one character"),
            (
                "Shift+A",
                "accept every relation suggestion whose two ends are accepted (one undo step)",
            ),
            ("A", "accept every entity suggestion in the document"),
            ("Ctrl+Z / Ctrl+Shift+Z", "undo / redo (survives a restart)"),
            ("Ctrl+F", "find in the document"),
            ("Ctrl+G", "go to a character offset, or p12 for paragraph 12"),
            (
                "Ctrl+Home / Ctrl+End, Home / End",
                "scroll to the top / bottom of the document"
            ),
            ("PageUp / PageDown", "scroll the document a page up / down"),
            (
                "Ctrl+Enter",
                "mark the document done, open the next (asks first while suggestions are left)",
            ),
            (
                "Ctrl+Enter again / Enter",
                "when asked (suggestions left): mark done anyway; Esc goes back",
            ),
            (
                "R",
                "start a relation from the selected span: Tab picks the tail, Enter, then 1-9 the type",
            ),
            (
                "↓ / ↑",
                "next / previous relation of the selected span, as the side list shows them",
            ),
            (
                "Enter / Delete / T / Esc (relation)",
                "accept / reject (then the span's next suggested relation) / retype the selected relation; Esc: back to the span",
            ),
            (
                "drag",
                "new span, snapped to words, across spans too; Alt+drag: exact characters; Shift+drag span to span: a relation",
            ),
            (
                "click / right-click",
                "select / relabel, accept, reject here or for good, delete, label everywhere"
            ),
            (
                "Ctrl+Shift+F",
                "search the whole corpus: label all hits, accept their suggestions",
            ),
            (
                "Ctrl+T",
                "train the tagger on the documents done; re-suggest the untouched ones if it beats the rules",
            ),
            (
                "review: ↑/↓ A B E R",
                "move; take A's, B's, the palette label, or reject, into gold",
            ),
            ("?", "this sheet"),
        ]
    );
}

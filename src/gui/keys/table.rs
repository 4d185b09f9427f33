//! The shortcut table itself, in reading order, and the sheet's lines for the mouse.

use egui::{Key, KeyboardShortcut, Modifiers};

use super::{Keys, Mode, Row, Shortcut, State};
use crate::gui::command::{
    AnnotateCommand, Command, Decision, ProjectCommand, RelationCommand, ReviewCommand, ViewCommand,
};
use crate::gui::doc_view::ScrollTarget;
use crate::model::Label;

pub(super) const fn plain(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::NONE, key)
}

const fn shift(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::SHIFT, key)
}

const fn alt(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::ALT, key)
}

const fn command(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, key)
}

const fn command_shift(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), key)
}

const fn row(at: u8, keys: &'static str, what: &'static str) -> Option<Row> {
    Some(Row { at, keys, what })
}

/// The focused span's new label, or (with no span focused) the label for new spans.
fn label_command(state: &State<'_>, label: &Label) -> Command {
    match state.selected.filter(|_| state.selected_relation.is_none()) {
        Some(id) => AnnotateCommand::Relabel(id, label.name.clone()).into(),
        None => AnnotateCommand::SetCurrentLabel(label.name.clone()).into(),
    }
}

pub(super) static SHORTCUTS: &[Shortcut] = &[
    Shortcut {
        mode: Mode::ConfirmingDone,
        keys: Keys::Any(&[command(Key::Enter), plain(Key::Enter)]),
        sheet: row(
            12,
            "Ctrl+Enter again / Enter",
            "when asked (suggestions left): mark done anyway; Esc goes back",
        ),
        action: |_, _| vec![AnnotateCommand::MarkDoneAndNext.into()],
    },
    Shortcut {
        mode: Mode::ConfirmingDone,
        keys: Keys::Any(&[plain(Key::Escape)]),
        sheet: None,
        action: |_, _| vec![AnnotateCommand::CancelMarkDone.into()],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[command_shift(Key::Z)]),
        sheet: None,
        action: |_, _| vec![AnnotateCommand::Redo.into()],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[command_shift(Key::F)]),
        sheet: row(
            16,
            "Ctrl+Shift+F",
            "search the whole corpus: label all hits, accept their suggestions",
        ),
        action: |_, _| vec![ViewCommand::OpenSearch.into()],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[command(Key::T)]),
        sheet: row(
            17,
            "Ctrl+T",
            "train the tagger on the documents done; re-suggest the untouched ones if it beats the rules",
        ),
        action: |_, _| vec![ProjectCommand::Train.into()],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[command(Key::Z)]),
        sheet: row(9, "Ctrl+Z / Ctrl+Shift+Z", "undo / redo (survives a restart)"),
        action: |_, _| vec![AnnotateCommand::Undo.into()],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[command(Key::Enter)]),
        sheet: row(
            11,
            "Ctrl+Enter",
            "mark the document done, open the next (asks first while suggestions are left)",
        ),
        action: |_, _| vec![AnnotateCommand::MarkDoneAndNext.into()],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[command(Key::F)]),
        sheet: row(10, "Ctrl+F", "find in the document"),
        action: |s, _| vec![AnnotateCommand::Select(s.selected).into(), ViewCommand::OpenFind.into()],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[command(Key::G)]),
        sheet: row(10, "Ctrl+G", "go to a character offset, or p12 for paragraph 12"),
        action: |_, _| vec![ViewCommand::OpenGoTo.into()],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[command(Key::Home)]),
        sheet: row(
            10,
            "Ctrl+Home / Ctrl+End, Home / End",
            "scroll to the top / bottom of the document",
        ),
        action: |_, _| vec![ViewCommand::ScrollDocument(ScrollTarget::Top).into()],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[command(Key::End)]),
        sheet: None,
        action: |_, _| vec![ViewCommand::ScrollDocument(ScrollTarget::Bottom).into()],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[plain(Key::Home)]),
        sheet: None,
        action: |_, _| vec![ViewCommand::ScrollDocument(ScrollTarget::Top).into()],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[plain(Key::End)]),
        sheet: None,
        action: |_, _| vec![ViewCommand::ScrollDocument(ScrollTarget::Bottom).into()],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[plain(Key::PageDown)]),
        sheet: row(10, "PageUp / PageDown", "scroll the document a page up / down"),
        action: |_, _| vec![ViewCommand::ScrollDocument(ScrollTarget::Page(1)).into()],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[plain(Key::PageUp)]),
        sheet: None,
        action: |_, _| vec![ViewCommand::ScrollDocument(ScrollTarget::Page(-1)).into()],
    },
    Shortcut {
        mode: Mode::Review,
        keys: Keys::Any(&[command(Key::G)]),
        sheet: None,
        action: |_, _| vec![ViewCommand::OpenGoTo.into()],
    },
    Shortcut {
        mode: Mode::Review,
        keys: Keys::Any(&[command(Key::Home)]),
        sheet: None,
        action: |_, _| vec![ViewCommand::ScrollDocument(ScrollTarget::Top).into()],
    },
    Shortcut {
        mode: Mode::Review,
        keys: Keys::Any(&[command(Key::End)]),
        sheet: None,
        action: |_, _| vec![ViewCommand::ScrollDocument(ScrollTarget::Bottom).into()],
    },
    Shortcut {
        mode: Mode::Review,
        keys: Keys::Any(&[plain(Key::Home)]),
        sheet: None,
        action: |_, _| vec![ViewCommand::ScrollDocument(ScrollTarget::Top).into()],
    },
    Shortcut {
        mode: Mode::Review,
        keys: Keys::Any(&[plain(Key::End)]),
        sheet: None,
        action: |_, _| vec![ViewCommand::ScrollDocument(ScrollTarget::Bottom).into()],
    },
    Shortcut {
        mode: Mode::Review,
        keys: Keys::Any(&[plain(Key::PageDown)]),
        sheet: None,
        action: |_, _| vec![ViewCommand::ScrollDocument(ScrollTarget::Page(1)).into()],
    },
    Shortcut {
        mode: Mode::Review,
        keys: Keys::Any(&[plain(Key::PageUp)]),
        sheet: None,
        action: |_, _| vec![ViewCommand::ScrollDocument(ScrollTarget::Page(-1)).into()],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[shift(Key::ArrowLeft)]),
        sheet: row(6, "Shift+← / Shift+→", "move the start one character"),
        action: |_, _| {
            vec![
                AnnotateCommand::MoveBoundary {
                    start_delta: -1,
                    end_delta: 0,
                }
                .into(),
            ]
        },
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[shift(Key::ArrowRight)]),
        sheet: None,
        action: |_, _| {
            vec![
                AnnotateCommand::MoveBoundary {
                    start_delta: 1,
                    end_delta: 0,
                }
                .into(),
            ]
        },
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[alt(Key::ArrowLeft)]),
        sheet: row(7, "Alt+← / Alt+→", "move the end one character"),
        action: |_, _| {
            vec![
                AnnotateCommand::MoveBoundary {
                    start_delta: 0,
                    end_delta: -1,
                }
                .into(),
            ]
        },
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[alt(Key::ArrowRight)]),
        sheet: None,
        action: |_, _| {
            vec![
                AnnotateCommand::MoveBoundary {
                    start_delta: 0,
                    end_delta: 1,
                }
                .into(),
            ]
        },
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[plain(Key::ArrowDown)]),
        sheet: row(
            13,
            "↓ / ↑",
            "next / previous relation of the selected span, as the side list shows them",
        ),
        action: |_, _| vec![RelationCommand::StepListedRelation { forward: true }.into()],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[plain(Key::ArrowUp)]),
        sheet: None,
        action: |_, _| vec![RelationCommand::StepListedRelation { forward: false }.into()],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[shift(Key::Tab), plain(Key::ArrowLeft)]),
        sheet: row(2, "Shift+Tab / ←", "previous span"),
        action: |_, _| vec![AnnotateCommand::SelectPrevious.into()],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[plain(Key::Tab), plain(Key::ArrowRight)]),
        sheet: row(1, "Tab / →", "next span (suggestions first)"),
        action: |_, _| vec![AnnotateCommand::SelectNext.into()],
    },
    Shortcut {
        mode: Mode::RelationSelected,
        keys: Keys::Any(&[plain(Key::Enter)]),
        sheet: None,
        action: |s, _| {
            s.selected_relation
                .map(RelationCommand::AcceptRelation)
                .map(Command::from)
                .into_iter()
                .collect()
        },
    },
    Shortcut {
        mode: Mode::RelationSelected,
        keys: Keys::Any(&[plain(Key::Delete), plain(Key::Backspace)]),
        sheet: None,
        action: |s, _| {
            s.selected_relation
                .map(RelationCommand::RejectOrDeleteRelation)
                .map(Command::from)
                .into_iter()
                .collect()
        },
    },
    Shortcut {
        mode: Mode::RelationSelected,
        keys: Keys::Any(&[plain(Key::T)]),
        sheet: row(
            13,
            "Enter / Delete / T / Esc (relation)",
            "accept / reject (then the span's next suggested relation) / retype the selected relation; Esc: back to the span",
        ),
        action: |_, _| vec![RelationCommand::RetypeSelectedRelation.into()],
    },
    Shortcut {
        mode: Mode::RelationSelected,
        keys: Keys::Any(&[plain(Key::Escape)]),
        sheet: None,
        action: |_, _| vec![RelationCommand::BackToSpan.into()],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[plain(Key::R)]),
        sheet: row(
            12,
            "R",
            "start a relation from the selected span: Tab picks the tail, Enter, then 1-9 the type",
        ),
        action: |_, _| vec![RelationCommand::StartRelation.into()],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[plain(Key::Enter)]),
        sheet: row(3, "Enter", "accept the suggestion"),
        action: |_, _| vec![AnnotateCommand::AcceptSelected.into()],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[plain(Key::Delete), plain(Key::Backspace)]),
        sheet: row(4, "Delete / Backspace", "reject a suggestion, delete a span"),
        action: |_, _| vec![AnnotateCommand::RejectOrDeleteSelected.into()],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[shift(Key::A)]),
        sheet: row(
            8,
            "Shift+A",
            "accept every relation suggestion whose two ends are accepted (one undo step)",
        ),
        action: |_, _| vec![RelationCommand::AcceptReadyRelations.into()],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[plain(Key::A)]),
        sheet: row(8, "A", "accept every entity suggestion in the document"),
        action: |_, _| vec![AnnotateCommand::AcceptAll.into()],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[shift(Key::Slash), plain(Key::Questionmark)]),
        sheet: row(19, "?", "this sheet"),
        action: |s, _| vec![ViewCommand::ShowHelp(!s.show_help).into()],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[plain(Key::Escape)]),
        sheet: None,
        action: |_, _| {
            vec![
                ViewCommand::ShowHelp(false).into(),
                AnnotateCommand::Select(None).into(),
            ]
        },
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::LabelHotkeys,
        sheet: row(5, "1 – 8", "relabel the selection, or pick the label for new spans"),
        action: |s, n| {
            s.labels
                .get(n)
                .map(|label| label_command(s, label))
                .into_iter()
                .collect()
        },
    },
    Shortcut {
        mode: Mode::PickingTail,
        keys: Keys::Any(&[shift(Key::Tab), plain(Key::ArrowLeft)]),
        sheet: None,
        action: |_, _| vec![RelationCommand::CycleTail { forward: false }.into()],
    },
    Shortcut {
        mode: Mode::PickingTail,
        keys: Keys::Any(&[plain(Key::Tab), plain(Key::ArrowRight)]),
        sheet: None,
        action: |_, _| vec![RelationCommand::CycleTail { forward: true }.into()],
    },
    Shortcut {
        mode: Mode::PickingTail,
        keys: Keys::Any(&[plain(Key::Enter)]),
        sheet: None,
        action: |_, _| vec![RelationCommand::ConfirmTail(None).into()],
    },
    Shortcut {
        mode: Mode::ChoosingType,
        keys: Keys::OfferedTypes,
        sheet: None,
        action: |s, n| {
            s.offered_types
                .get(n)
                .map(|kind| RelationCommand::ChooseRelationType(kind.clone()))
                .map(Command::from)
                .into_iter()
                .collect()
        },
    },
    Shortcut {
        mode: Mode::MakingRelation,
        keys: Keys::Any(&[plain(Key::Escape)]),
        sheet: None,
        action: |_, _| vec![RelationCommand::CancelRelation.into()],
    },
    Shortcut {
        mode: Mode::Review,
        keys: Keys::Any(&[shift(Key::Tab), plain(Key::ArrowUp)]),
        sheet: None,
        action: |_, _| vec![ReviewCommand::ReviewMove { forward: false }.into()],
    },
    Shortcut {
        mode: Mode::Review,
        keys: Keys::Any(&[plain(Key::Tab), plain(Key::ArrowDown)]),
        sheet: None,
        action: |_, _| vec![ReviewCommand::ReviewMove { forward: true }.into()],
    },
    Shortcut {
        mode: Mode::Review,
        keys: Keys::Any(&[plain(Key::A)]),
        sheet: row(
            18,
            "review: ↑/↓ A B E R",
            "move; take A's, B's, the palette label, or reject, into gold",
        ),
        action: |_, _| vec![ReviewCommand::Adjudicate(Decision::AcceptA).into()],
    },
    Shortcut {
        mode: Mode::Review,
        keys: Keys::Any(&[plain(Key::B)]),
        sheet: None,
        action: |_, _| vec![ReviewCommand::Adjudicate(Decision::AcceptB).into()],
    },
    Shortcut {
        mode: Mode::Review,
        keys: Keys::Any(&[plain(Key::E)]),
        sheet: None,
        action: |_, _| vec![ReviewCommand::Adjudicate(Decision::Edit).into()],
    },
    Shortcut {
        mode: Mode::Review,
        keys: Keys::Any(&[plain(Key::R)]),
        sheet: None,
        action: |_, _| vec![ReviewCommand::Adjudicate(Decision::Reject).into()],
    },
    Shortcut {
        mode: Mode::Review,
        keys: Keys::Any(&[plain(Key::Delete)]),
        sheet: None,
        action: |_, _| vec![ReviewCommand::Adjudicate(Decision::Reject).into()],
    },
    Shortcut {
        mode: Mode::Review,
        keys: Keys::LabelPlaces,
        sheet: None,
        action: |s, n| {
            s.labels
                .get(n)
                .map(|label| AnnotateCommand::SetCurrentLabel(label.name.clone()))
                .map(Command::from)
                .into_iter()
                .collect()
        },
    },
    Shortcut {
        mode: Mode::Review,
        keys: Keys::Any(&[plain(Key::Escape)]),
        sheet: None,
        action: |_, _| vec![ReviewCommand::CloseReview.into()],
    },
];

/// The sheet's lines for the mouse, which no key entry describes.
pub(super) static POINTER_ROWS: &[Row] = &[
    Row {
        at: 14,
        keys: "drag",
        what: "new span, snapped to words, across spans too; Alt+drag: exact characters; Shift+drag span to span: a relation",
    },
    Row {
        at: 15,
        keys: "click / right-click",
        what: "select / relabel, accept, reject here or for good, delete, label everywhere",
    },
];

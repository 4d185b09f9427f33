//! The shortcut table itself, in reading order, and the sheet's lines for the mouse.

use egui::{Key, KeyboardShortcut, Modifiers};

use super::{Keys, Mode, Row, Shortcut, State};
use crate::gui::command::{Command, Decision, ViewCommand};
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

/// The label for new spans, or the selection's new label.
fn label_command(state: &State<'_>, label: &Label) -> Command {
    match state.selected {
        Some(id) => Command::Relabel(id, label.name.clone()),
        None => Command::SetCurrentLabel(label.name.clone()),
    }
}

pub(super) static SHORTCUTS: &[Shortcut] = &[
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[command_shift(Key::Z)]),
        sheet: None,
        action: |_, _| vec![Command::Redo],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[command_shift(Key::F)]),
        sheet: row(
            16,
            "Ctrl+Shift+F",
            "search the whole corpus: label all hits, accept their suggestions",
        ),
        action: |_, _| vec![Command::View(ViewCommand::OpenSearch)],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[command(Key::Z)]),
        sheet: row(9, "Ctrl+Z / Ctrl+Shift+Z", "undo / redo (survives a restart)"),
        action: |_, _| vec![Command::Undo],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[command(Key::Enter)]),
        sheet: row(11, "Ctrl+Enter", "mark the document done, open the next"),
        action: |_, _| vec![Command::MarkDoneAndNext],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[command(Key::F)]),
        sheet: row(10, "Ctrl+F", "find in the document"),
        action: |s, _| vec![Command::Select(s.selected), Command::View(ViewCommand::OpenFind)],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[shift(Key::ArrowLeft)]),
        sheet: row(6, "Shift+← / Shift+→", "move the start one character"),
        action: |_, _| {
            vec![Command::MoveBoundary {
                start_delta: -1,
                end_delta: 0,
            }]
        },
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[shift(Key::ArrowRight)]),
        sheet: None,
        action: |_, _| {
            vec![Command::MoveBoundary {
                start_delta: 1,
                end_delta: 0,
            }]
        },
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[alt(Key::ArrowLeft)]),
        sheet: row(7, "Alt+← / Alt+→", "move the end one character"),
        action: |_, _| {
            vec![Command::MoveBoundary {
                start_delta: 0,
                end_delta: -1,
            }]
        },
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[alt(Key::ArrowRight)]),
        sheet: None,
        action: |_, _| {
            vec![Command::MoveBoundary {
                start_delta: 0,
                end_delta: 1,
            }]
        },
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[shift(Key::Tab), plain(Key::ArrowLeft)]),
        sheet: row(2, "Shift+Tab / ←", "previous span"),
        action: |_, _| vec![Command::SelectPrevious],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[plain(Key::Tab), plain(Key::ArrowRight)]),
        sheet: row(1, "Tab / →", "next span (suggestions first)"),
        action: |_, _| vec![Command::SelectNext],
    },
    Shortcut {
        mode: Mode::RelationSelected,
        keys: Keys::Any(&[plain(Key::Enter)]),
        sheet: None,
        action: |s, _| s.selected_relation.map(Command::AcceptRelation).into_iter().collect(),
    },
    Shortcut {
        mode: Mode::RelationSelected,
        keys: Keys::Any(&[plain(Key::Delete), plain(Key::Backspace)]),
        sheet: None,
        action: |s, _| {
            s.selected_relation
                .map(Command::RejectOrDeleteRelation)
                .into_iter()
                .collect()
        },
    },
    Shortcut {
        mode: Mode::RelationSelected,
        keys: Keys::Any(&[plain(Key::T)]),
        sheet: row(
            13,
            "T / Delete (relation)",
            "retype / remove the selected relation; Enter accepts a suggested one",
        ),
        action: |_, _| vec![Command::RetypeSelectedRelation],
    },
    Shortcut {
        mode: Mode::RelationSelected,
        keys: Keys::Any(&[plain(Key::Escape)]),
        sheet: None,
        action: |_, _| vec![Command::SelectRelation(None)],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[plain(Key::R)]),
        sheet: row(
            12,
            "R",
            "start a relation from the selected span: Tab picks the tail, Enter, then 1-9 the type",
        ),
        action: |_, _| vec![Command::StartRelation],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[plain(Key::Enter)]),
        sheet: row(3, "Enter", "accept the suggestion"),
        action: |_, _| vec![Command::AcceptSelected],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[plain(Key::Delete), plain(Key::Backspace)]),
        sheet: row(4, "Delete / Backspace", "reject a suggestion, delete a span"),
        action: |_, _| vec![Command::RejectOrDeleteSelected],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[plain(Key::A)]),
        sheet: row(8, "A", "accept every suggestion in the document"),
        action: |_, _| vec![Command::AcceptAll],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[shift(Key::Slash), plain(Key::Questionmark)]),
        sheet: row(18, "?", "this sheet"),
        action: |s, _| vec![Command::View(ViewCommand::ShowHelp(!s.show_help))],
    },
    Shortcut {
        mode: Mode::Annotating,
        keys: Keys::Any(&[plain(Key::Escape)]),
        sheet: None,
        action: |_, _| vec![Command::View(ViewCommand::ShowHelp(false)), Command::Select(None)],
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
        action: |_, _| vec![Command::CycleTail { forward: false }],
    },
    Shortcut {
        mode: Mode::PickingTail,
        keys: Keys::Any(&[plain(Key::Tab), plain(Key::ArrowRight)]),
        sheet: None,
        action: |_, _| vec![Command::CycleTail { forward: true }],
    },
    Shortcut {
        mode: Mode::PickingTail,
        keys: Keys::Any(&[plain(Key::Enter)]),
        sheet: None,
        action: |_, _| vec![Command::ConfirmTail(None)],
    },
    Shortcut {
        mode: Mode::ChoosingType,
        keys: Keys::OfferedTypes,
        sheet: None,
        action: |s, n| {
            s.offered_types
                .get(n)
                .map(|kind| Command::ChooseRelationType(kind.clone()))
                .into_iter()
                .collect()
        },
    },
    Shortcut {
        mode: Mode::MakingRelation,
        keys: Keys::Any(&[plain(Key::Escape)]),
        sheet: None,
        action: |_, _| vec![Command::CancelRelation],
    },
    Shortcut {
        mode: Mode::Review,
        keys: Keys::Any(&[shift(Key::Tab), plain(Key::ArrowUp)]),
        sheet: None,
        action: |_, _| vec![Command::ReviewMove { forward: false }],
    },
    Shortcut {
        mode: Mode::Review,
        keys: Keys::Any(&[plain(Key::Tab), plain(Key::ArrowDown)]),
        sheet: None,
        action: |_, _| vec![Command::ReviewMove { forward: true }],
    },
    Shortcut {
        mode: Mode::Review,
        keys: Keys::Any(&[plain(Key::A)]),
        sheet: row(
            17,
            "review: ↑/↓ A B E R",
            "move; take A's, B's, the palette label, or reject, into gold",
        ),
        action: |_, _| vec![Command::Adjudicate(Decision::AcceptA)],
    },
    Shortcut {
        mode: Mode::Review,
        keys: Keys::Any(&[plain(Key::B)]),
        sheet: None,
        action: |_, _| vec![Command::Adjudicate(Decision::AcceptB)],
    },
    Shortcut {
        mode: Mode::Review,
        keys: Keys::Any(&[plain(Key::E)]),
        sheet: None,
        action: |_, _| vec![Command::Adjudicate(Decision::Edit)],
    },
    Shortcut {
        mode: Mode::Review,
        keys: Keys::Any(&[plain(Key::R)]),
        sheet: None,
        action: |_, _| vec![Command::Adjudicate(Decision::Reject)],
    },
    Shortcut {
        mode: Mode::Review,
        keys: Keys::Any(&[plain(Key::Delete)]),
        sheet: None,
        action: |_, _| vec![Command::Adjudicate(Decision::Reject)],
    },
    Shortcut {
        mode: Mode::Review,
        keys: Keys::LabelPlaces,
        sheet: None,
        action: |s, n| {
            s.labels
                .get(n)
                .map(|label| Command::SetCurrentLabel(label.name.clone()))
                .into_iter()
                .collect()
        },
    },
    Shortcut {
        mode: Mode::Review,
        keys: Keys::Any(&[plain(Key::Escape)]),
        sheet: None,
        action: |_, _| vec![Command::CloseReview],
    },
];

/// The sheet's lines for the mouse, which no key entry describes.
pub(super) static POINTER_ROWS: &[Row] = &[
    Row {
        at: 14,
        keys: "drag",
        what: "new span, snapped to words; Alt+drag: exact characters; span to span: a relation",
    },
    Row {
        at: 15,
        keys: "click / right-click",
        what: "select / relabel, accept, delete, label everywhere",
    },
];

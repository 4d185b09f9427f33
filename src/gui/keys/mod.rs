//! The one shortcut table: every key the app reads, in the order it reads them, and the
//! line the shortcut sheet shows for it. Order is precedence: a key is consumed by the
//! first live entry it matches, so longer modifier sets come before shorter ones.

use egui::{Key, KeyboardShortcut, Modifiers};

use super::App;
use super::app::RelationMode;
use super::command::{Command, Decision, ViewCommand};
use crate::model::{EntityId, Label, RelationId, RelationType};

/// When an entry is live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Annotating spans: no relation is being made and no review runs.
    Annotating,
    /// Annotating with a relation selected; these keys come before the spans' own.
    RelationSelected,
    /// Making a relation: picking its tail.
    PickingTail,
    /// Making a relation: choosing its type.
    ChoosingType,
    /// Making a relation, either step.
    MakingRelation,
    Review,
}

/// The keys of an entry.
pub enum Keys {
    /// Any of these: the first one pressed counts, and the others stay unread.
    Any(&'static [KeyboardShortcut]),
    /// 1–9 as each label's hotkey; the action gets the label's index.
    LabelHotkeys,
    /// 1–9 by the label's place in the palette; the action gets the place.
    LabelPlaces,
    /// 1–9 by the place among the offered types, and each type's own hotkey letter;
    /// the action gets the place.
    OfferedTypes,
}

/// A line of the shortcut sheet; `at` is its place there.
pub struct Row {
    pub at: u8,
    pub keys: &'static str,
    pub what: &'static str,
}

/// What an action may read to make its commands.
pub struct State<'a> {
    pub selected: Option<EntityId>,
    pub selected_relation: Option<RelationId>,
    pub show_help: bool,
    pub labels: &'a [Label],
    pub offered_types: &'a [String],
}

pub struct Shortcut {
    pub mode: Mode,
    pub keys: Keys,
    /// The sheet's line, on the first entry of the keys it describes.
    pub sheet: Option<Row>,
    /// The commands the keys give; the number is the index the keys found (see [`Keys`]).
    pub action: fn(&State<'_>, usize) -> Vec<Command>,
}

const fn plain(key: Key) -> KeyboardShortcut {
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

const NUMBER_KEYS: [Key; 9] = [
    Key::Num1,
    Key::Num2,
    Key::Num3,
    Key::Num4,
    Key::Num5,
    Key::Num6,
    Key::Num7,
    Key::Num8,
    Key::Num9,
];

/// The label for new spans, or the selection's new label.
fn label_command(state: &State<'_>, label: &Label) -> Command {
    match state.selected {
        Some(id) => Command::Relabel(id, label.name.clone()),
        None => Command::SetCurrentLabel(label.name.clone()),
    }
}

pub static SHORTCUTS: &[Shortcut] = &[
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
static POINTER_ROWS: &[Row] = &[
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

/// The shortcut sheet, in its order.
pub fn sheet() -> Vec<&'static Row> {
    let mut rows: Vec<&Row> = SHORTCUTS
        .iter()
        .filter_map(|s| s.sheet.as_ref())
        .chain(POINTER_ROWS)
        .collect();
    rows.sort_by_key(|r| r.at);
    rows
}

/// Reads the entries live in `modes` from this frame's input, in table order.
fn read(
    input: &mut egui::InputState,
    modes: &[Mode],
    state: &State<'_>,
    relation_types: &[RelationType],
) -> Vec<Command> {
    let mut out = Vec::new();
    for shortcut in SHORTCUTS.iter().filter(|s| modes.contains(&s.mode)) {
        let act = |n: usize| (shortcut.action)(state, n);
        match shortcut.keys {
            Keys::Any(keys) => {
                if keys.iter().any(|key| input.consume_shortcut(key)) {
                    out.extend(act(0));
                }
            }
            Keys::LabelHotkeys => {
                for (n, label) in state.labels.iter().enumerate() {
                    let Some(key) = label
                        .hotkey
                        .as_deref()
                        .and_then(|h| h.parse::<usize>().ok())
                        .and_then(|digit| NUMBER_KEYS.get(digit.wrapping_sub(1)))
                    else {
                        continue;
                    };
                    if input.consume_shortcut(&plain(*key)) {
                        out.extend(act(n));
                    }
                }
            }
            Keys::LabelPlaces => {
                for (n, key) in NUMBER_KEYS.iter().enumerate().take(state.labels.len()) {
                    if input.consume_shortcut(&plain(*key)) {
                        out.extend(act(n));
                    }
                }
            }
            Keys::OfferedTypes => {
                for (n, kind) in state.offered_types.iter().enumerate() {
                    let hotkey = relation_types
                        .iter()
                        .find(|t| &t.name == kind)
                        .and_then(|t| t.hotkey.as_deref())
                        .and_then(|h| Key::from_name(&h.to_uppercase()));
                    let by_number = NUMBER_KEYS
                        .get(n)
                        .is_some_and(|key| input.consume_shortcut(&plain(*key)));
                    let by_hotkey = hotkey.is_some_and(|key| input.consume_shortcut(&plain(key)));
                    if by_number || by_hotkey {
                        out.extend(act(n));
                    }
                }
            }
        }
    }
    out
}

impl App {
    /// Keyboard shortcuts, unless a text field has the keyboard. Buttons never keep the
    /// focus: Tab and Enter belong to the annotation, not to egui's focus ring.
    pub(in crate::gui) fn keyboard(&mut self, ctx: &egui::Context) {
        if ctx.egui_wants_keyboard_input() {
            return;
        }
        ctx.memory_mut(|m| {
            m.move_focus(egui::FocusDirection::None);
            if let Some(id) = m.focused() {
                m.surrender_focus(id);
            }
        });
        let (modes, offered_types): (&[Mode], &[String]) = match &self.relation_mode {
            Some(RelationMode::PickTail { .. }) => (&[Mode::PickingTail, Mode::MakingRelation], &[]),
            Some(RelationMode::PickType { types, .. }) => (&[Mode::ChoosingType, Mode::MakingRelation], types),
            None if self.review.is_some() => (&[Mode::Review], &[]),
            None if self.selected_relation.is_some() => (&[Mode::Annotating, Mode::RelationSelected], &[]),
            None => (&[Mode::Annotating], &[]),
        };
        let state = State {
            selected: self.selected,
            selected_relation: self.selected_relation,
            show_help: self.windows.show_help,
            labels: &self.labels,
            offered_types,
        };
        let out = ctx.input_mut(|i| read(i, modes, &state, &self.relation_types));
        self.commands.extend(out);
    }
}

#[cfg(test)]
mod tests;

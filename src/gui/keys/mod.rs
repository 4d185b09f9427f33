//! Keyboard shortcuts from one table ([`SHORTCUTS`], in `table.rs`): every key the app
//! reads, in the order it reads them, with the line the shortcut sheet shows for it. Order
//! is precedence: a key is consumed by the first live entry it matches, so longer
//! modifier sets come before shorter ones.

use egui::{Key, KeyboardShortcut};

mod table;

use table::{POINTER_ROWS, SHORTCUTS, plain};

use super::App;
use super::app::RelationMode;
use super::command::Command;
use crate::model::{EntityId, Label, RelationId, RelationType};

/// When an entry is live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Ctrl+Enter asked whether to mark the document done with suggestions left; these keys
    /// come before every other.
    ConfirmingDone,
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
    /// Keyboard shortcuts, unless a text field has the keyboard or the path window is
    /// open (its field takes the focus only when first drawn, after this frame's keys).
    /// Buttons never keep the focus: Tab and Enter belong to the annotation, not to
    /// egui's focus ring.
    pub(in crate::gui) fn keyboard(&mut self, ctx: &egui::Context) {
        if ctx.egui_wants_keyboard_input() || self.windows.path.is_some() || self.windows.server.is_some() {
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
            None if self.asking_to_mark_done() && self.selected_relation.is_some() => {
                (&[Mode::ConfirmingDone, Mode::Annotating, Mode::RelationSelected], &[])
            }
            None if self.asking_to_mark_done() => (&[Mode::ConfirmingDone, Mode::Annotating], &[]),
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

//! Find in the document (Ctrl+F): the query, its matches, and the one being shown. The
//! matches are found again, and selected, by commands.

use egui::Key;

use crate::gui::App;
use crate::gui::command::ViewCommand;
use crate::gui::i18n::{self, tr};
use crate::model::CharSpan;
use crate::text::CharIndex;

#[derive(Debug, Clone, Default)]
pub struct Find {
    pub query: String,
    pub matches: Vec<CharSpan>,
    /// The match shown, once Enter went to one.
    pub current: Option<usize>,
    /// Said when the last step went round the end ("wrapped to the first match").
    pub note: Option<&'static str>,
}

impl Find {
    /// "2/3" while a match is shown, else how many there are.
    pub fn position(&self) -> String {
        match self.current {
            Some(k) if k < self.matches.len() => format!("{}/{}", k + 1, self.matches.len()),
            _ => i18n::count(self.matches.len(), "match", "matches", tr("{n} matches")),
        }
    }

    /// Moves to the next match (or the previous one), wrapping around the ends.
    pub fn step(&mut self, forward: bool) -> Option<CharSpan> {
        let n = self.matches.len();
        if n == 0 {
            return None;
        }
        let (next, note) = match (self.current, forward) {
            (None, true) => (0, None),
            (None, false) => (n - 1, None),
            (Some(k), true) if k + 1 >= n => (0, Some("wrapped to the first match")),
            (Some(k), true) => (k + 1, None),
            (Some(0), false) => (n - 1, Some("wrapped to the last match")),
            (Some(k), false) => (k.min(n) - 1, None),
        };
        self.current = Some(next);
        self.note = note;
        Some(self.matches[next])
    }
}

/// Every occurrence of `query` in `text`, as char spans.
pub fn find_all(text: &str, query: &str) -> Vec<CharSpan> {
    if query.is_empty() {
        return Vec::new();
    }
    let index = CharIndex::new(text);
    let n = query.chars().count();
    text.match_indices(query)
        .filter_map(|(byte, _)| index.byte_to_char(byte))
        .map(|start| CharSpan::new(start, start + n))
        .collect()
}

impl App {
    pub(in crate::gui) fn find_ui(&mut self, ctx: &egui::Context) {
        let Some(find) = &mut self.windows.find else { return };
        let has_document = self.open.is_some();
        let mut keep = true;
        let mut out = Vec::new();
        egui::Window::new(tr("Find"))
            .id(egui::Id::unique("find window"))
            .open(&mut keep)
            .resizable(false)
            .show(ctx, |ui| {
                let label = ui.label(tr("find:"));
                let response = ui.text_edit_singleline(&mut find.query).labelled_by(label.id);
                response.request_focus();
                if has_document {
                    if response.changed() {
                        out.push(ViewCommand::FindChanged.into());
                    }
                    ui.label(find.position());
                    if let Some(note) = find.note {
                        ui.label(tr(note));
                    }
                    ui.weak(tr("Enter: next, Shift+Enter: previous"));
                    let (enter, shift) = ui.input(|i| (i.key_pressed(Key::Enter), i.modifiers.shift));
                    if enter && !find.matches.is_empty() {
                        out.push(if shift {
                            ViewCommand::FindPrevious.into()
                        } else {
                            ViewCommand::FindNext.into()
                        });
                    }
                }
            });
        if !keep {
            out.push(ViewCommand::CloseFind.into());
            ctx.memory_mut(|m| m.surrender_focus(egui::Id::NULL));
        }
        self.commands.extend(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_wrap_both_ways_and_say_so() {
        let mut find = Find {
            matches: vec![CharSpan::new(0, 1), CharSpan::new(5, 6), CharSpan::new(9, 10)],
            ..Find::default()
        };
        assert_eq!(find.position(), "3 matches");
        assert_eq!(find.step(true), Some(CharSpan::new(0, 1)));
        assert_eq!(find.position(), "1/3");
        find.step(true);
        find.step(true);
        assert_eq!((find.position().as_str(), find.note), ("3/3", None));
        assert_eq!(find.step(true), Some(CharSpan::new(0, 1)));
        assert_eq!(find.note, Some("wrapped to the first match"));
        assert_eq!(find.step(false), Some(CharSpan::new(9, 10)));
        assert_eq!(find.note, Some("wrapped to the last match"));
        assert_eq!(find.position(), "3/3");
    }
}

//! Find in the document (Ctrl+F): the query, its matches, and the one being shown. The
//! matches are found again, and selected, by commands.

use egui::Key;

use crate::gui::App;
use crate::gui::command::ViewCommand;
use crate::model::CharSpan;
use crate::text::CharIndex;

#[derive(Debug, Clone, Default)]
pub struct Find {
    pub query: String,
    pub matches: Vec<CharSpan>,
    pub current: usize,
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
        egui::Window::new("Find")
            .open(&mut keep)
            .resizable(false)
            .show(ctx, |ui| {
                let label = ui.label("find:");
                let response = ui.text_edit_singleline(&mut find.query).labelled_by(label.id);
                response.request_focus();
                if has_document {
                    if response.changed() {
                        out.push(ViewCommand::FindChanged.into());
                    }
                    ui.label(crate::count(find.matches.len(), "match", "matches"));
                    if ui.input(|i| i.key_pressed(Key::Enter)) && !find.matches.is_empty() {
                        out.push(ViewCommand::FindNext.into());
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

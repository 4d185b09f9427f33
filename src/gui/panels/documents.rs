//! The document list on the left, filtered by name, with each document's progress.

use egui::{RichText, Ui};

use crate::gui::App;
use crate::gui::command::AnnotateCommand;
use crate::gui::theme;

impl App {
    pub(in crate::gui) fn documents_ui(&mut self, ui: &mut Ui) {
        ui.heading("文档 Documents");
        let label = ui.label("filter:");
        ui.add(egui::TextEdit::singleline(&mut self.drafts.document_filter))
            .labelled_by(label.id);
        ui.separator();
        let current = self.current_document();
        let filter = self.drafts.document_filter.trim().to_owned();
        egui::ScrollArea::vertical().id_salt("documents").show(ui, |ui| {
            for summary in self
                .documents
                .iter()
                .filter(|d| filter.is_empty() || d.name.contains(&filter))
            {
                let (mark, color) = theme::document_status(summary.status);
                let name = summary.name.rsplit('/').next().unwrap_or(&summary.name);
                let text = format!(
                    "{mark} {name}\n   {} chars · {} to check",
                    summary.n_chars, summary.n_suggested
                );
                let is_current = Some(summary.id) == current;
                let text = if is_current {
                    RichText::new(text).strong()
                } else {
                    RichText::new(text).color(color)
                };
                let response = ui.selectable_label(is_current, text);
                if response.clicked() {
                    self.commands.push(AnnotateCommand::OpenDocument(summary.id).into());
                }
            }
        });
    }
}

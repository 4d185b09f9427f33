//! The document list on the left, filtered by name, with each document's progress. It is
//! virtual: only the visible lines are drawn, and lines not read yet are asked for with
//! [`ViewCommand::ShowDocuments`], which `apply` reads from the store as one page.

use egui::{RichText, TextStyle, TextWrapMode, Ui, WidgetText};

use crate::gui::App;
use crate::gui::command::{AnnotateCommand, DocumentOrder, DocumentScope, ViewCommand};
use crate::gui::i18n::{tr, trf};
use crate::gui::theme;
use crate::store::DocumentSummary;

/// A line's text: the status mark and name, then its size and what is left to check
/// (entity and relation suggestions; and,
/// most uncertain first, how sure the least sure suggestion was when the list was sorted).
fn line_text(summary: &DocumentSummary, least_confidence: Option<f64>) -> String {
    let (mark, _) = theme::document_status(summary.status);
    let name = summary.name.rsplit('/').next().unwrap_or(&summary.name);
    let least = match least_confidence {
        Some(c) if summary.n_suggested > 0 => trf(" · least sure {confidence}", &[("confidence", &format!("{c:.2}"))]),
        _ => String::new(),
    };
    let size = trf(
        "{chars} chars · {n} to check",
        &[
            ("chars", &summary.n_chars.to_string()),
            ("n", &(summary.n_suggested + summary.n_suggested_relations).to_string()),
        ],
    );
    format!("{mark} {name}\n   {size}{least}")
}

impl App {
    pub(in crate::gui) fn documents_ui(&mut self, ui: &mut Ui) {
        ui.heading(tr("Documents"));
        let label = ui.label(tr("filter:"));
        ui.add(egui::TextEdit::singleline(&mut self.drafts.document_filter))
            .labelled_by(label.id);
        ui.horizontal_wrapped(|ui| {
            for (order, text, hover) in [
                (DocumentOrder::Id, tr("id order"), tr("as imported")),
                (
                    DocumentOrder::Uncertainty,
                    tr("most uncertain first"),
                    tr(
                        "by the least sure suggestion, as the tagger rates them now; edits do not move lines, click again (or train) to sort again",
                    ),
                ),
            ] {
                if ui
                    .selectable_label(self.list.order == order, text)
                    .on_hover_text(hover)
                    .clicked()
                {
                    self.commands.push(ViewCommand::OrderDocuments(order).into());
                }
            }
        });
        // On a team server: every document, the annotator's assigned ones, or those ready
        // for adjudication.
        if self.store.is_server() {
            ui.horizontal_wrapped(|ui| {
                for (scope, text, hover) in [
                    (DocumentScope::All, tr("all"), tr("every document of the project")),
                    (DocumentScope::Mine, tr("mine"), tr("the documents assigned to you")),
                    (
                        DocumentScope::ToReview,
                        tr("to review"),
                        tr("the documents every assigned annotator has finished"),
                    ),
                ] {
                    if ui
                        .selectable_label(self.list.scope == scope, text)
                        .on_hover_text(hover)
                        .clicked()
                    {
                        self.commands.push(ViewCommand::ScopeDocuments(scope).into());
                    }
                }
            });
        }
        ui.separator();
        let current = self.current_document();
        let filter = self.drafts.document_filter.trim().to_owned();
        // Every line has the height of two lines of button text (CJK included) and padding.
        let sample = WidgetText::from("● 文档\n   0 chars").into_galley(
            ui,
            Some(TextWrapMode::Extend),
            f32::INFINITY,
            TextStyle::Button,
        );
        let row_height = (sample.size().y + 2.0 * ui.spacing().button_padding.y).max(ui.spacing().interact_size.y);
        let list = &self.list;
        let mut wanted = None;
        let mut clicked = None;
        egui::ScrollArea::vertical()
            .id_salt(("documents", list.order, list.scope))
            .show_rows(ui, row_height, list.count, |ui, rows| {
                if !list.covers(&filter, &rows) {
                    wanted = Some(rows.clone());
                }
                for position in rows {
                    let Some(summary) = list.line(position).filter(|_| filter == list.filter) else {
                        // Not read yet: a blank line of the same height until the next frame.
                        ui.allocate_exact_size(egui::vec2(ui.available_width(), row_height), egui::Sense::hover());
                        continue;
                    };
                    let (_, color) = theme::document_status(summary.status);
                    let is_current = Some(summary.id) == current;
                    let line = line_text(summary, list.least_confidence(position));
                    let text = if is_current {
                        RichText::new(line).strong()
                    } else {
                        RichText::new(line).color(color)
                    };
                    let button = egui::Button::selectable(is_current, text)
                        .wrap_mode(TextWrapMode::Extend)
                        .min_size(egui::vec2(0.0, row_height));
                    if ui.add(button).clicked() {
                        clicked = Some(summary.id);
                    }
                }
            });
        if let Some(rows) = wanted {
            self.commands.push(
                ViewCommand::ShowDocuments {
                    first: rows.start,
                    end: rows.end,
                }
                .into(),
            );
        }
        if let Some(id) = clicked {
            self.commands.push(AnnotateCommand::OpenDocument(id).into());
        }
    }
}

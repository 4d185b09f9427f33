//! The review window: two annotators' differences on the open document, the current one
//! marked. The state is the review mode itself; clicks move the cursor by commands.

use egui::{RichText, Ui};

use crate::gui::App;
use crate::gui::command::ReviewCommand;
use crate::gui::i18n::{tr, trf};
use crate::gui::theme;
use crate::model::{Entity, Status};

/// Comparing two annotators on the open document and settling each difference in gold.
#[derive(Debug, Clone)]
pub struct Review {
    pub a: String,
    pub b: String,
    pub items: Vec<crate::review::DiffItem>,
    pub cursor: usize,
}

impl App {
    pub(in crate::gui) fn review_ui(&mut self, ctx: &egui::Context) {
        let Some(review) = &self.review else { return };
        let Some(open) = &self.open else { return };
        let gold: Vec<&Entity> = open.entities.iter().collect();
        let mut out = Vec::new();
        egui::Window::new(tr("Review"))
            .id(egui::Id::unique("review window"))
            .default_pos([760.0, 120.0])
            .default_width(380.0)
            .show(ctx, |ui| {
                ui.label(
                    RichText::new(trf("A = {a}   B = {b}   → gold", &[("a", &review.a), ("b", &review.b)])).strong(),
                );
                ui.label(tr(
                    "↑/↓ move · A take A · B take B · E take with the palette label · R reject · Esc close",
                ));
                ui.separator();
                let agreed = review
                    .items
                    .iter()
                    .filter(|i| i.kind == crate::review::DiffKind::Agreed)
                    .count();
                ui.label(trf(
                    "{places} places, {agreed} agreed",
                    &[
                        ("places", &review.items.len().to_string()),
                        ("agreed", &agreed.to_string()),
                    ],
                ));
                egui::ScrollArea::vertical().max_height(420.0).show(ui, |ui| {
                    for (n, item) in review.items.iter().enumerate() {
                        let (mark, color) = theme::diff_kind(item.kind);
                        let decided = gold.iter().find(|g| g.span() == item.span).map(|g| {
                            if g.status == Status::Rejected {
                                tr("rejected").to_owned()
                            } else {
                                trf("gold {label}", &[("label", &g.label)])
                            }
                        });
                        let row = format!(
                            "{mark} {}  A:{}  B:{}  {}",
                            open.view.slice(item.span),
                            item.label_a.as_deref().unwrap_or("-"),
                            item.label_b.as_deref().unwrap_or("-"),
                            decided.unwrap_or_default()
                        );
                        let response = ui.selectable_label(n == review.cursor, RichText::new(row).color(color));
                        if n == review.cursor {
                            response.scroll_to_me(None);
                        }
                        if response.clicked() {
                            let steps = (n + review.items.len() - review.cursor) % review.items.len();
                            out.extend(std::iter::repeat_n(
                                ReviewCommand::ReviewMove { forward: true }.into(),
                                steps,
                            ));
                        }
                    }
                });
                if ui.button(tr("Close review (Esc)")).clicked() {
                    out.push(ReviewCommand::CloseReview.into());
                }
            });
        self.commands.extend(out);
    }

    /// The View menu's review entries: one per pair of annotators with a layer.
    pub(in crate::gui) fn start_review_ui(&mut self, ui: &mut Ui) {
        let people = self.people();
        if people.len() < 2 {
            ui.label(tr(
                "Review needs two annotators' layers: merge their project files first.",
            ));
            return;
        }
        for (i, a) in people.iter().enumerate() {
            for b in &people[i + 1..] {
                if ui.button(trf("Review {a} vs {b}", &[("a", a), ("b", b)])).clicked() {
                    self.commands.push(
                        ReviewCommand::StartReview {
                            a: a.clone(),
                            b: b.clone(),
                        }
                        .into(),
                    );
                    ui.close();
                }
            }
        }
    }
}

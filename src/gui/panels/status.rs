//! The status bar: the annotator's name (asked for once), the label for new spans, the
//! tagger in use, what is left to check, the background task's progress, and the last
//! message or error (or the question Ctrl+Enter asks, or, with a document open and nothing
//! to say, how to annotate).

use egui::{Key, RichText, Ui};

use crate::gui::App;
use crate::gui::command::{AnnotateCommand, ProjectCommand};
use crate::gui::i18n::{tr, trf};

impl App {
    pub(in crate::gui) fn status_ui(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            match &self.annotator {
                Some(name) if !self.drafts.annotator_switch => {
                    ui.label(trf("annotator: {name}", &[("name", name)]));
                    if ui.small_button(tr("switch")).clicked() {
                        self.drafts.annotator_switch = true;
                        self.drafts.annotator = name.clone();
                    }
                }
                _ => {
                    let label = ui.label(RichText::new(tr("Annotator name:")).strong());
                    let response = ui
                        .add(egui::TextEdit::singleline(&mut self.drafts.annotator).desired_width(120.0))
                        .labelled_by(label.id);
                    if ui.button(tr("Save")).clicked()
                        || response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter))
                    {
                        self.commands
                            .push(ProjectCommand::SetAnnotator(self.drafts.annotator.clone()).into());
                    }
                }
            }
            ui.separator();
            ui.label(tr("saved: every edit"));
            ui.separator();
            ui.label(trf("new spans: {label}", &[("label", &self.current_label)]));
            if self.open.is_some() {
                ui.separator();
                ui.label(trf("to check: {count}", &[("count", &self.to_check_text())]));
            }
            ui.separator();
            let tagger = self.tagger_verdict.split(':').next().unwrap_or_default();
            ui.label(trf("tagger: {tagger}", &[("tagger", tagger)]))
                .on_hover_text(&self.tagger_verdict);
            if let Some(task) = &self.task {
                ui.separator();
                let (done, total) = task.progress();
                let fraction = if total == 0 { 0.0 } else { done as f32 / total as f32 };
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .desired_width(180.0)
                        .text(format!("{} {done}/{total}", task.name)),
                );
            }
            ui.separator();
            match &self.error {
                Some(error) => {
                    ui.label(
                        RichText::new(trf("error: {error}", &[("error", error)])).color(ui.visuals().error_fg_color),
                    );
                }
                None if self.asking_to_mark_done() => {
                    ui.label(RichText::new(&self.message).strong().color(ui.visuals().warn_fg_color));
                    if ui.small_button(tr("Mark done anyway")).clicked() {
                        self.commands.push(AnnotateCommand::MarkDoneAndNext.into());
                    }
                    if ui.small_button(tr("Go back")).clicked() {
                        self.commands.push(AnnotateCommand::CancelMarkDone.into());
                    }
                }
                None if self.message.is_empty() && self.open.is_some() => {
                    ui.label(
                        RichText::new(tr("click a suggestion · Enter accepts · Delete rejects · ? all keys")).weak(),
                    );
                }
                None => {
                    ui.label(&self.message);
                }
            }
        });
    }
}

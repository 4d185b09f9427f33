//! The status bar: the annotator's name (asked for once), the label for new spans, the
//! tagger in use, what is left to check, the background task's progress, and the last
//! message or error (or the question Ctrl+Enter asks).

use egui::{Key, RichText, Ui};

use crate::gui::App;
use crate::gui::command::{AnnotateCommand, ProjectCommand};

impl App {
    pub(in crate::gui) fn status_ui(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            match &self.annotator {
                Some(name) if !self.drafts.annotator_switch => {
                    ui.label(format!("标注员 annotator: {name}"));
                    if ui.small_button("switch").clicked() {
                        self.drafts.annotator_switch = true;
                        self.drafts.annotator = name.clone();
                    }
                }
                _ => {
                    let label = ui.label(RichText::new("Annotator name:").strong());
                    let response = ui
                        .add(egui::TextEdit::singleline(&mut self.drafts.annotator).desired_width(120.0))
                        .labelled_by(label.id);
                    if ui.button("Save").clicked() || response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                        self.commands
                            .push(ProjectCommand::SetAnnotator(self.drafts.annotator.clone()).into());
                    }
                }
            }
            ui.separator();
            ui.label("saved: every edit");
            ui.separator();
            ui.label(format!("new spans: {}", self.current_label));
            if self.open.is_some() {
                ui.separator();
                ui.label(format!("to check: {}", self.to_check_text()));
            }
            ui.separator();
            let tagger = self.tagger_verdict.split(':').next().unwrap_or_default();
            ui.label(format!("模型 tagger: {tagger}"))
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
                    ui.label(RichText::new(format!("error: {error}")).color(ui.visuals().error_fg_color));
                }
                None if self.asking_to_mark_done() => {
                    ui.label(RichText::new(&self.message).strong().color(ui.visuals().warn_fg_color));
                    if ui.small_button("Mark done anyway").clicked() {
                        self.commands.push(AnnotateCommand::MarkDoneAndNext.into());
                    }
                    if ui.small_button("Go back").clicked() {
                        self.commands.push(AnnotateCommand::CancelMarkDone.into());
                    }
                }
                None => {
                    ui.label(&self.message);
                }
            }
        });
    }
}

//! The menu bar: File (projects, import, export, pre-tag, training) and View (windows,
//! review).

use egui::{RichText, Ui};

use crate::gui::App;
use crate::gui::command::{Dialog, PathCommand, ProjectCommand, ViewCommand};

impl App {
    pub(in crate::gui) fn menu_ui(&mut self, ui: &mut Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui.button("New or open project…").clicked() {
                    self.commands.push(Dialog::Project.into());
                    ui.close();
                }
                if ui.button("Import files…").clicked() {
                    self.commands.push(Dialog::ImportFiles.into());
                    ui.close();
                }
                if ui.button("Import folder…").clicked() {
                    self.commands.push(Dialog::ImportFolder.into());
                    ui.close();
                }
                if ui.button("Export…").clicked() {
                    self.commands.push(ViewCommand::OpenExport.into());
                    ui.close();
                }
                if ui
                    .button("另存副本 Save a copy…")
                    .on_hover_text("one self-contained file with every saved edit, safe while you keep working")
                    .clicked()
                {
                    self.commands.push(Dialog::SaveCopy.into());
                    ui.close();
                }
                ui.separator();
                if ui.button("Re-run pre-tag").clicked() {
                    self.commands.push(ProjectCommand::RerunPretag.into());
                    ui.close();
                }
                if ui
                    .button("训练模型 Train now (Ctrl+T)")
                    .on_hover_text(
                        "learn from the documents done, and re-suggest the untouched ones if the model beats the rules",
                    )
                    .clicked()
                {
                    self.commands.push(ProjectCommand::Train.into());
                    ui.close();
                }
                ui.horizontal(|ui| {
                    let label = ui.label("retrain after every");
                    let mut every = self.retrain.every;
                    let response = ui
                        .add(egui::DragValue::new(&mut every).range(0..=10_000))
                        .labelled_by(label.id);
                    if response.changed() {
                        self.commands.push(ProjectCommand::SetRetrainEvery(every).into());
                    }
                    ui.label("documents done (0: off)");
                });
                ui.separator();
                if ui
                    .button("Type a path to import…")
                    .on_hover_text("the in-app path window, for desktops without a file dialog portal")
                    .clicked()
                {
                    self.commands.push(PathCommand::Open(Dialog::ImportFiles).into());
                    ui.close();
                }
            });
            ui.menu_button("View", |ui| {
                if let Some(open) = &mut self.open {
                    ui.checkbox(&mut open.view.show_tokens, "Word boundaries");
                }
                ui.checkbox(&mut self.windows.show_help, "Shortcuts (?)");
                ui.checkbox(&mut self.windows.show_schema, "Schema: labels and relation types");
                let mut dark = ui.visuals().dark_mode;
                if ui.checkbox(&mut dark, "Dark theme").changed() {
                    self.commands.push(ViewCommand::SetDarkTheme(dark).into());
                }
                if ui.button("Statistics").clicked() {
                    self.commands.push(ViewCommand::OpenStatistics.into());
                    ui.close();
                }
                if ui.button("Search the corpus (Ctrl+Shift+F)").clicked() {
                    self.commands.push(ViewCommand::OpenSearch.into());
                    ui.close();
                }
                ui.separator();
                self.start_review_ui(ui);
            });
            ui.separator();
            ui.label(RichText::new(&self.project_path).weak());
        });
    }
}

//! The menu bar: File (projects, import, export, pre-tag, training) and View (windows,
//! review, the UI's language).

use egui::{RichText, Ui};

use crate::gui::App;
use crate::gui::command::{Dialog, PathCommand, ProjectCommand, ViewCommand};
use crate::gui::i18n::{Lang, tr};

impl App {
    pub(in crate::gui) fn menu_ui(&mut self, ui: &mut Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(tr("File"), |ui| {
                if ui.button(tr("New or open project…")).clicked() {
                    self.commands.push(Dialog::Project.into());
                    ui.close();
                }
                if ui
                    .button(tr("Open server project…"))
                    .on_hover_text(tr("a project on a team server: postgres://user@host:port/db"))
                    .clicked()
                {
                    self.commands.push(ViewCommand::OpenServerWindow.into());
                    ui.close();
                }
                if ui.button(tr("Import files…")).clicked() {
                    self.commands.push(Dialog::ImportFiles.into());
                    ui.close();
                }
                if ui.button(tr("Import folder…")).clicked() {
                    self.commands.push(Dialog::ImportFolder.into());
                    ui.close();
                }
                if ui.button(tr("Export…")).clicked() {
                    self.commands.push(ViewCommand::OpenExport.into());
                    ui.close();
                }
                if ui
                    .button(tr("Save a copy…"))
                    .on_hover_text(tr(
                        "one self-contained file with every saved edit, safe while you keep working",
                    ))
                    .clicked()
                {
                    self.commands.push(Dialog::SaveCopy.into());
                    ui.close();
                }
                ui.separator();
                if ui.button(tr("Re-run pre-tag")).clicked() {
                    self.commands.push(ProjectCommand::RerunPretag.into());
                    ui.close();
                }
                if ui
                    .button(tr("Train now (Ctrl+T)"))
                    .on_hover_text(tr(
                        "learn from the documents done, and re-suggest the untouched ones if the model beats the rules",
                    ))
                    .clicked()
                {
                    self.commands.push(ProjectCommand::Train.into());
                    ui.close();
                }
                ui.horizontal(|ui| {
                    let label = ui.label(tr("retrain after every"));
                    let mut every = self.retrain.every;
                    let response = ui
                        .add(egui::DragValue::new(&mut every).range(0..=10_000))
                        .labelled_by(label.id);
                    if response.changed() {
                        self.commands.push(ProjectCommand::SetRetrainEvery(every).into());
                    }
                    ui.label(tr("documents done (0: off)"));
                });
                ui.separator();
                if ui
                    .button(tr("Type a path to import…"))
                    .on_hover_text(tr("the in-app path window, for desktops without a file dialog portal"))
                    .clicked()
                {
                    self.commands.push(PathCommand::Open(Dialog::ImportFiles).into());
                    ui.close();
                }
            });
            ui.menu_button(tr("View"), |ui| {
                if let Some(open) = &mut self.open {
                    ui.checkbox(&mut open.view.show_tokens, tr("Word boundaries"));
                }
                ui.checkbox(&mut self.windows.show_help, tr("Shortcuts (?)"));
                ui.checkbox(&mut self.windows.show_schema, tr("Schema: labels and relation types"));
                let mut dark = ui.visuals().dark_mode;
                if ui.checkbox(&mut dark, tr("Dark theme")).changed() {
                    self.commands.push(ViewCommand::SetDarkTheme(dark).into());
                }
                if ui.button(tr("Statistics")).clicked() {
                    self.commands.push(ViewCommand::OpenStatistics.into());
                    ui.close();
                }
                if ui.button(tr("Search the corpus (Ctrl+Shift+F)")).clicked() {
                    self.commands.push(ViewCommand::OpenSearch.into());
                    ui.close();
                }
                ui.separator();
                self.start_review_ui(ui);
                ui.separator();
                self.language_ui(ui);
            });
            ui.separator();
            ui.label(RichText::new(&self.project_path).weak());
        });
    }

    /// The language switch: each language named in itself, so that either can be found.
    fn language_ui(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            ui.label(tr("Language"));
            for lang in [Lang::Zh, Lang::En] {
                if ui.radio(self.lang == lang, lang.name()).clicked() {
                    self.commands.push(ViewCommand::SetLanguage(lang).into());
                    ui.close();
                }
            }
        });
    }
}

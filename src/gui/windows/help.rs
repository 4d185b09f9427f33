//! The shortcut sheet (`?`), drawn from the one shortcut table in [`crate::gui::keys`].

use egui::RichText;

use crate::gui::App;
use crate::gui::i18n::tr;
use crate::gui::keys;

impl App {
    pub(in crate::gui) fn help_ui(&mut self, ctx: &egui::Context) {
        let mut open = self.windows.show_help;
        egui::Window::new(tr("Shortcuts"))
            .id(egui::Id::unique("shortcuts window"))
            .open(&mut open)
            .resizable(false)
            .show(ctx, |ui| {
                egui::Grid::new("shortcuts")
                    .num_columns(2)
                    .striped(true)
                    .show(ui, |ui| {
                        ui.label(RichText::new(tr("Keys")).strong());
                        ui.label(RichText::new(tr("Action")).strong());
                        ui.end_row();
                        for row in keys::sheet() {
                            ui.label(RichText::new(tr(row.keys)).monospace().strong());
                            ui.label(tr(row.what));
                            ui.end_row();
                        }
                    });
            });
        self.windows.show_help = open;
    }
}

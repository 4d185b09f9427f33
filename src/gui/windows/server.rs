//! File → Open server project…: a field for a team server's address
//! (`postgres://user@host:port/db`), opened as File → Open opens a file. Enter or Open
//! opens it, Escape or Cancel closes the window.

use egui::Key;

use crate::gui::App;
use crate::gui::command::ViewCommand;
use crate::gui::i18n::tr;

/// What is typed in the window.
#[derive(Debug, Clone, Default)]
pub struct ServerWindow {
    pub address: String,
}

impl App {
    pub(in crate::gui) fn server_window_ui(&mut self, ctx: &egui::Context) {
        let Some(window) = &mut self.windows.server else { return };
        let mut out: Vec<ViewCommand> = Vec::new();
        let modal = egui::Modal::new(egui::Id::unique("server window")).show(ctx, |ui| {
            ui.set_width(520.0);
            ui.heading(tr("Open server project"));
            let label = ui.label(tr("server address:"));
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut window.address)
                        .desired_width(f32::INFINITY)
                        .hint_text("postgres://user@host:port/db"),
                )
                .labelled_by(label.id);
            field.request_focus();
            if ui.input(|i| i.key_pressed(Key::Enter)) {
                out.push(ViewCommand::OpenServer);
            }
            ui.separator();
            ui.horizontal(|ui| {
                if ui.button(tr("Open")).clicked() {
                    out.push(ViewCommand::OpenServer);
                }
                if ui.button(tr("Cancel")).clicked() {
                    out.push(ViewCommand::CloseServerWindow);
                }
            });
        });
        if modal.should_close() {
            out.push(ViewCommand::CloseServerWindow);
        }
        self.commands.extend(out.into_iter().map(Into::into));
    }
}

//! The type chooser of a relation being made: one button per fitting type, numbered as
//! the keys 1–9 choose them.

use egui::RichText;

use crate::gui::App;
use crate::gui::app::RelationMode;
use crate::gui::command::RelationCommand;
use crate::gui::i18n::tr;

impl App {
    pub(in crate::gui) fn relation_type_ui(&mut self, ctx: &egui::Context) {
        let Some(RelationMode::PickType { types, head, tail, .. }) = &self.relation_mode else {
            return;
        };
        let Some(open) = &self.open else { return };
        let title = format!("{} → {}", open.text_of(*head), open.text_of(*tail));
        let mut out = Vec::new();
        egui::Window::new(tr("Relation type"))
            .id(egui::Id::unique("relation type window"))
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                ui.label(RichText::new(title).strong());
                for (n, kind) in types.iter().enumerate() {
                    let description = self
                        .relation_types
                        .iter()
                        .find(|t| &t.name == kind)
                        .map(|t| t.description.clone())
                        .unwrap_or_default();
                    if ui
                        .button(format!("{}  {kind}", n + 1))
                        .on_hover_text(description)
                        .clicked()
                    {
                        out.push(RelationCommand::ChooseRelationType(kind.clone()).into());
                    }
                }
                if ui.button(tr("Cancel (Esc)")).clicked() {
                    out.push(RelationCommand::CancelRelation.into());
                }
            });
        self.commands.extend(out);
    }
}

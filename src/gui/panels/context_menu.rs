//! The right-click menu of an entity, shown where the pointer was. Which entity it is for
//! lives in egui's memory from the click until the menu closes.

use egui::{Key, RichText};

use crate::gui::App;
use crate::gui::command::AnnotateCommand;
use crate::gui::i18n::{self, tr, trf};
use crate::model::{EntityId, Status};

fn key() -> egui::Id {
    egui::Id::unique("context-entity")
}

/// Opens the menu on `id` (the document view reports the right-click).
pub fn remember(ctx: &egui::Context, id: EntityId) {
    ctx.memory_mut(|m| m.data.insert_temp(key(), id));
}

impl App {
    pub(in crate::gui) fn context_menu_ui(&mut self, ctx: &egui::Context) {
        let key = key();
        let Some(id) = ctx.memory(|m| m.data.get_temp::<EntityId>(key)) else {
            return;
        };
        let Some(entity) = self.entity(id).cloned() else {
            ctx.memory_mut(|m| m.data.remove::<EntityId>(key));
            return;
        };
        let mut close = false;
        let position = ctx
            .memory(|m| m.data.get_temp::<egui::Pos2>(key.with("pos")))
            .or_else(|| ctx.pointer_latest_pos())
            .unwrap_or_default();
        ctx.memory_mut(|m| m.data.insert_temp(key.with("pos"), position));
        let area = egui::Area::new(key.with("menu"))
            .fixed_pos(position)
            .order(egui::Order::Foreground)
            .show(ctx, |ui| {
                egui::Frame::menu(ui.style()).show(ui, |ui| {
                    ui.label(RichText::new(format!("{} · {}", entity.label, i18n::status_name(entity.status))).weak());
                    ui.menu_button(tr("Relabel"), |ui| {
                        for label in &self.labels {
                            if ui.button(format!("{} {}", label.name, label.display_name)).clicked() {
                                self.commands
                                    .push(AnnotateCommand::Relabel(entity.id, label.name.clone()).into());
                                close = true;
                            }
                        }
                    });
                    if entity.status == Status::Suggested && ui.button(tr("Accept")).clicked() {
                        self.commands.push(AnnotateCommand::Accept(entity.id).into());
                        close = true;
                    }
                    if entity.status == Status::Suggested {
                        if ui.button(tr("Reject here")).clicked() {
                            self.commands.push(AnnotateCommand::RejectHere(entity.id).into());
                            close = true;
                        }
                        let text = self.open.as_ref().map(|o| o.view.slice(entity.span()).to_owned());
                        let never = trf(
                            "Never suggest “{text}” as {label}",
                            &[("text", &text.unwrap_or_default()), ("label", &entity.label)],
                        );
                        if ui.button(never).clicked() {
                            self.commands.push(AnnotateCommand::RejectOrDelete(entity.id).into());
                            close = true;
                        }
                    } else if ui.button(tr("Delete")).clicked() {
                        self.commands.push(AnnotateCommand::RejectOrDelete(entity.id).into());
                        close = true;
                    }
                    if ui.button(tr("Label every occurrence in the corpus")).clicked() {
                        self.commands
                            .push(AnnotateCommand::LabelEveryOccurrence(entity.id).into());
                        close = true;
                    }
                });
            });
        let clicked_elsewhere = ctx.input(|i| i.pointer.any_pressed())
            && !ctx.pointer_latest_pos().is_some_and(|p| area.response.rect.contains(p));
        if close || clicked_elsewhere || ctx.input(|i| i.key_pressed(Key::Escape)) {
            ctx.memory_mut(|m| {
                m.data.remove::<EntityId>(key);
                m.data.remove::<egui::Pos2>(key.with("pos"));
            });
        }
    }
}

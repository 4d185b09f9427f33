//! The side panel: the label palette, the selected entity, and the document's relations
//! and entities.

use egui::{RichText, TextStyle, TextWrapMode, Ui, WidgetText};

use crate::gui::App;
use crate::gui::command::{AnnotateCommand, RelationCommand};
use crate::gui::theme::{self, label_color};
use crate::model::{Entity, Relation, Status};
use crate::pretag::SOURCE_MODEL;

impl App {
    pub(in crate::gui) fn side_ui(&mut self, ui: &mut Ui) {
        ui.heading("标签 Labels");
        for label in &self.labels {
            let color = label_color(&self.labels, &label.name);
            let active = label.name == self.current_label;
            let text = format!(
                "{}  {} {}",
                label.hotkey.as_deref().unwrap_or(" "),
                label.name,
                label.display_name
            );
            let button = egui::Button::new(RichText::new(text).color(theme::ON_LABEL))
                .fill(if active { color } else { color.gamma_multiply(0.45) })
                .stroke(if active {
                    egui::Stroke::new(2.0, theme::ON_LABEL)
                } else {
                    egui::Stroke::NONE
                })
                .min_size(egui::vec2(ui.available_width(), 0.0));
            if ui.add(button).on_hover_text(&label.description).clicked() {
                self.commands.push(match self.selected {
                    Some(id) => AnnotateCommand::Relabel(id, label.name.clone()).into(),
                    None => AnnotateCommand::SetCurrentLabel(label.name.clone()).into(),
                });
            }
        }
        ui.separator();
        let Some(open) = &self.open else { return };
        if let Some(entity) = self.selected.and_then(|id| open.entities.iter().find(|e| e.id == id)) {
            ui.heading("选中 Selected");
            ui.label(RichText::new(open.view.slice(entity.span())).size(20.0).strong());
            egui::Grid::new("selected").num_columns(2).show(ui, |ui| {
                ui.label("label");
                ui.label(&entity.label);
                ui.end_row();
                ui.label("status");
                ui.label(entity.status.as_str());
                ui.end_row();
                ui.label("chars");
                ui.label(format!("[{}, {})", entity.char_start, entity.char_end));
                ui.end_row();
                ui.label("source");
                if entity.source == SOURCE_MODEL {
                    ui.label("model (learned from accepted annotations)");
                } else {
                    ui.label(&entity.source);
                }
                ui.end_row();
                if let Some(confidence) = entity.confidence {
                    ui.label("confidence");
                    ui.label(format!("{confidence:.2}"));
                    ui.end_row();
                }
                ui.label("annotator");
                ui.label(&entity.annotator);
                ui.end_row();
            });
            ui.horizontal(|ui| {
                if entity.status == Status::Suggested && ui.button("Accept (Enter)").clicked() {
                    self.commands.push(AnnotateCommand::Accept(entity.id).into());
                }
                let remove = if entity.status == Status::Suggested {
                    "Reject (Del)"
                } else {
                    "Delete (Del)"
                };
                if entity.status.is_live() && ui.button(remove).clicked() {
                    self.commands.push(AnnotateCommand::RejectOrDelete(entity.id).into());
                }
            });
            ui.separator();
        }
        let relations: Vec<&Relation> = open.relations.iter().filter(|r| r.status.is_live()).collect();
        ui.heading(format!("关系 Relations ({})", relations.len()));
        let row_height = list_row_height(ui);
        egui::ScrollArea::vertical()
            .id_salt("relations")
            .max_height(180.0)
            .show_rows(ui, row_height, relations.len(), |ui, rows| {
                for relation in &relations[rows] {
                    let mark = if relation.status == Status::Suggested {
                        "?"
                    } else {
                        "√"
                    };
                    let row = format!(
                        "{mark} {} —{}→ {}",
                        open.text_of(relation.head),
                        relation.kind,
                        open.text_of(relation.tail)
                    );
                    let button = egui::Button::selectable(Some(relation.id) == self.selected_relation, row)
                        .wrap_mode(TextWrapMode::Truncate)
                        .min_size(egui::vec2(0.0, row_height));
                    if ui.add(button).clicked() {
                        self.commands
                            .push(RelationCommand::SelectRelation(Some(relation.id)).into());
                    }
                }
            });
        ui.separator();
        let visible: Vec<&Entity> = open.entities.iter().filter(|e| e.status.is_live()).collect();
        let n_suggested = visible.iter().filter(|e| e.status == Status::Suggested).count();
        ui.heading(format!("实体 Entities ({}, {n_suggested} to check)", visible.len()));
        egui::ScrollArea::vertical()
            .id_salt("entities")
            .show_rows(ui, row_height, visible.len(), |ui, rows| {
                for entity in &visible[rows] {
                    let color = label_color(&self.labels, &entity.label);
                    let mark = if entity.status == Status::Suggested { "?" } else { "√" };
                    // The model's suggestions say so, with how sure it is.
                    let learned = match entity.confidence {
                        Some(c) if entity.source == SOURCE_MODEL && entity.status == Status::Suggested => {
                            format!(" · model {c:.2}")
                        }
                        _ => String::new(),
                    };
                    let text = RichText::new(format!(
                        "{mark} {} {}{learned}",
                        entity.label,
                        open.view.slice(entity.span())
                    ))
                    .background_color(color.gamma_multiply(if entity.status == Status::Suggested { 0.3 } else { 0.8 }))
                    .color(theme::ON_LABEL);
                    let button = egui::Button::selectable(Some(entity.id) == self.selected, text)
                        .wrap_mode(TextWrapMode::Truncate)
                        .min_size(egui::vec2(0.0, row_height));
                    if ui.add(button).clicked() {
                        self.commands.push(AnnotateCommand::Select(Some(entity.id)).into());
                    }
                }
            });
    }
}

/// The height of one line of the relation and entity lists, CJK included: every line has it,
/// so the lists are virtual and a frame builds only the visible lines.
fn list_row_height(ui: &Ui) -> f32 {
    let sample =
        WidgetText::from("● 文档 PER").into_galley(ui, Some(TextWrapMode::Extend), f32::INFINITY, TextStyle::Button);
    (sample.size().y + 2.0 * ui.spacing().button_padding.y).max(ui.spacing().interact_size.y)
}

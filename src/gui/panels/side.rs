//! The side panel: the label palette, the selected entity, and the document's relations
//! and entities.

use egui::{RichText, TextStyle, TextWrapMode, Ui, WidgetText};

use crate::gui::App;
use crate::gui::command::{AnnotateCommand, Command, RelationCommand};
use crate::gui::i18n::{status_name, tr, trf};
use crate::gui::theme::{self, label_color};
use crate::model::{Entity, Status};
use crate::pretag::SOURCE_MODEL;

impl App {
    pub(in crate::gui) fn side_ui(&mut self, ui: &mut Ui) {
        ui.heading(tr("Labels"));
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
            ui.heading(tr("Selected"));
            ui.label(RichText::new(open.view.slice(entity.span())).size(20.0).strong());
            egui::Grid::new("selected").num_columns(2).show(ui, |ui| {
                ui.label(tr("label"));
                ui.label(&entity.label);
                ui.end_row();
                ui.label(tr("status"));
                ui.label(status_name(entity.status));
                ui.end_row();
                ui.label(tr("chars"));
                ui.label(format!("[{}, {})", entity.char_start, entity.char_end));
                ui.end_row();
                ui.label(tr("source"));
                if entity.source == SOURCE_MODEL {
                    ui.label(tr("model (learned from accepted annotations)"));
                } else {
                    ui.label(&entity.source);
                }
                ui.end_row();
                if let Some(confidence) = entity.confidence {
                    ui.label(tr("confidence"));
                    ui.label(format!("{confidence:.2}"));
                    ui.end_row();
                }
                ui.label(tr("annotator"));
                ui.label(&entity.annotator);
                ui.end_row();
            });
            ui.horizontal(|ui| {
                if entity.status == Status::Suggested && ui.button(tr("Accept (Enter)")).clicked() {
                    self.commands.push(AnnotateCommand::Accept(entity.id).into());
                }
                let remove = if entity.status == Status::Suggested {
                    tr("Reject (Del)")
                } else {
                    tr("Delete (Del)")
                };
                if entity.status.is_live() && ui.button(remove).clicked() {
                    self.commands.push(AnnotateCommand::RejectOrDelete(entity.id).into());
                }
            });
            ui.separator();
        }
        ui.label(RichText::new(trf("Left to check: {count}", &[("count", &self.to_check_text())])).strong());
        let mut out: Vec<Command> = Vec::new();
        self.relation_list_ui(ui, &mut out);
        self.commands.extend(out);
        let Some(open) = &self.open else { return };
        let row_height = list_row_height(ui);
        ui.separator();
        let visible: Vec<&Entity> = open.entities.iter().filter(|e| e.status.is_live()).collect();
        let n_suggested = visible.iter().filter(|e| e.status == Status::Suggested).count();
        ui.heading(trf(
            "Entities ({n}, {to_check} to check)",
            &[
                ("n", &visible.len().to_string()),
                ("to_check", &n_suggested.to_string()),
            ],
        ));
        let dark = ui.visuals().dark_mode;
        egui::ScrollArea::vertical()
            .id_salt("entities")
            .show_rows(ui, row_height, visible.len(), |ui, rows| {
                for entity in &visible[rows] {
                    let color = label_color(&self.labels, &entity.label);
                    let mark = if entity.status == Status::Suggested { "?" } else { "√" };
                    // The model's suggestions say so, with how sure it is.
                    let learned = match entity.confidence {
                        Some(c) if entity.source == SOURCE_MODEL && entity.status == Status::Suggested => {
                            trf(" · model {confidence}", &[("confidence", &format!("{c:.2}"))])
                        }
                        _ => String::new(),
                    };
                    let text = RichText::new(format!(
                        "{mark} {} {}{learned}",
                        entity.label,
                        open.view.slice(entity.span())
                    ))
                    .background_color(color.gamma_multiply(match (entity.status == Status::Suggested, dark) {
                        // A faint pastel on the dark page would be dark ink on dark.
                        (true, true) => 0.65,
                        (true, false) => 0.3,
                        (false, _) => 0.8,
                    }))
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

impl App {
    /// The relation list: the selected span's relations (or, toggled, the document's), each
    /// row selectable, with buttons for what Enter, Delete and T do. Virtual: only the
    /// visible rows are built.
    fn relation_list_ui(&self, ui: &mut Ui, out: &mut Vec<Command>) {
        let Some(open) = &self.open else { return };
        let list = self.relation_list();
        let n_suggested = list.rows.iter().filter(|r| r.status == Status::Suggested).count();
        let heading = match list.anchor.and_then(|id| self.entity(id)) {
            Some(span) => trf(
                "Relations of {span}: {shown} of {total}",
                &[
                    ("span", open.view.slice(span.span())),
                    ("shown", &list.rows.len().to_string()),
                    ("total", &list.n_live.to_string()),
                ],
            ),
            None => trf("Relations: {total}", &[("total", &list.n_live.to_string())]),
        };
        ui.heading(heading);
        ui.horizontal(|ui| {
            let mut all = self.all_relations;
            if ui
                .checkbox(&mut all, tr("all relations"))
                .on_hover_text(tr("every relation of the document, not only the selected span's"))
                .changed()
            {
                out.push(RelationCommand::ShowAllRelations(all).into());
            }
            ui.label(trf("{n} to check", &[("n", &n_suggested.to_string())]));
        });
        let row_height = list_row_height(ui);
        egui::ScrollArea::vertical()
            .id_salt("relations")
            .max_height(180.0)
            .show_rows(ui, row_height, list.rows.len(), |ui, rows| {
                for relation in &list.rows[rows] {
                    let suggested = relation.status == Status::Suggested;
                    let mark = if suggested { "?" } else { "√" };
                    let text = format!(
                        "{mark} {} —{}→ {}",
                        open.text_of(relation.head),
                        relation.kind,
                        open.text_of(relation.tail)
                    );
                    ui.allocate_ui_with_layout(
                        egui::vec2(ui.available_width(), row_height),
                        egui::Layout::right_to_left(egui::Align::Center),
                        |ui| {
                            if ui
                                .small_button("T")
                                .on_hover_text(tr("Retype (T): another type"))
                                .clicked()
                            {
                                out.push(RelationCommand::SelectRelation(Some(relation.id)).into());
                                out.push(RelationCommand::RetypeSelectedRelation.into());
                            }
                            let hover = if suggested {
                                tr("Reject (Del): turn the suggestion down")
                            } else {
                                tr("Delete (Del): delete the relation")
                            };
                            if ui.small_button(REMOVE).on_hover_text(hover).clicked() {
                                out.push(RelationCommand::RejectOrDeleteRelation(relation.id).into());
                            }
                            if suggested && ui.small_button(ACCEPT).on_hover_text(tr("Accept (Enter)")).clicked() {
                                out.push(RelationCommand::AcceptRelation(relation.id).into());
                            }
                            // The text from the left, in the width the buttons leave.
                            ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                                let button = egui::Button::selectable(
                                    Some(relation.id) == self.selected_relation,
                                    text.as_str(),
                                )
                                .wrap_mode(TextWrapMode::Truncate);
                                if ui.add(button).on_hover_text(&text).clicked() {
                                    out.push(RelationCommand::SelectRelation(Some(relation.id)).into());
                                }
                            });
                        },
                    );
                }
            });
    }
}

/// The relation rows' buttons: accept, and reject or delete (T retypes).
const ACCEPT: &str = "√";
const REMOVE: &str = "×";

/// The height of one line of the relation and entity lists, CJK included: every line has it,
/// so the lists are virtual and a frame builds only the visible lines.
fn list_row_height(ui: &Ui) -> f32 {
    let sample =
        WidgetText::from("● 文档 PER").into_galley(ui, Some(TextWrapMode::Extend), f32::INFINITY, TextStyle::Button);
    (sample.size().y + 2.0 * ui.spacing().button_padding.y).max(ui.spacing().interact_size.y)
}

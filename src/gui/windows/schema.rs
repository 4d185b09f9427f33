//! The schema window: labels and relation types, added, renamed or removed. It types
//! drafts; every change to the schema is a [`SchemaEdit`] command.

use egui::RichText;

use crate::gui::App;
use crate::gui::command::{Command, SchemaEdit};

/// What the schema window is typing.
#[derive(Debug, Clone, Default)]
pub struct SchemaDraft {
    pub label_name: String,
    pub label_display: String,
    pub type_name: String,
    pub type_head: String,
    pub type_tail: String,
    pub rename_from: String,
    pub rename_to: String,
    /// A removal that needs a second click: (is a label, name, how many uses).
    pub confirm: Option<(bool, String, usize)>,
}

impl App {
    pub(in crate::gui) fn schema_ui(&mut self, ctx: &egui::Context) {
        let mut open = self.windows.show_schema;
        let mut out = Vec::new();
        egui::Window::new("Schema")
            .open(&mut open)
            .default_width(420.0)
            .show(ctx, |ui| {
                let draft = &mut self.windows.schema;
                ui.heading("Labels");
                for label in &self.labels {
                    ui.horizontal(|ui| {
                        ui.label(format!(
                            "{} {} ({})",
                            label.name,
                            label.display_name,
                            label.hotkey.as_deref().unwrap_or("-")
                        ));
                        if ui.small_button("remove").clicked() {
                            out.push(
                                SchemaEdit::RemoveLabel {
                                    name: label.name.clone(),
                                    confirmed: false,
                                }
                                .into(),
                            );
                        }
                    });
                }
                ui.horizontal(|ui| {
                    let name = ui.label("new label:");
                    ui.add(egui::TextEdit::singleline(&mut draft.label_name).desired_width(90.0))
                        .labelled_by(name.id);
                    let display = ui.label("中文:");
                    ui.add(egui::TextEdit::singleline(&mut draft.label_display).desired_width(70.0))
                        .labelled_by(display.id);
                    if ui.button("add").clicked() {
                        out.push(
                            SchemaEdit::AddLabel {
                                name: draft.label_name.clone(),
                                display_name: draft.label_display.clone(),
                                color: crate::schema::fallback_color(&draft.label_name),
                            }
                            .into(),
                        );
                    }
                });
                ui.separator();
                ui.heading("Relation types");
                for kind in &self.relation_types {
                    ui.horizontal(|ui| {
                        ui.label(format!(
                            "{}: {} → {}",
                            kind.name,
                            kind.head_labels.join("/"),
                            kind.tail_labels.join("/")
                        ));
                        if ui.small_button("remove").clicked() {
                            out.push(
                                SchemaEdit::RemoveRelationType {
                                    name: kind.name.clone(),
                                    confirmed: false,
                                }
                                .into(),
                            );
                        }
                    });
                }
                ui.horizontal(|ui| {
                    let name = ui.label("new type:");
                    ui.add(egui::TextEdit::singleline(&mut draft.type_name).desired_width(70.0))
                        .labelled_by(name.id);
                    let head = ui.label("head labels:");
                    ui.add(egui::TextEdit::singleline(&mut draft.type_head).desired_width(60.0))
                        .labelled_by(head.id);
                    let tail = ui.label("tail labels:");
                    ui.add(egui::TextEdit::singleline(&mut draft.type_tail).desired_width(60.0))
                        .labelled_by(tail.id);
                    if ui.button("add").clicked() {
                        let split = |s: &str| {
                            s.split([',', '/', ' '])
                                .filter(|p| !p.is_empty())
                                .map(str::to_owned)
                                .collect()
                        };
                        out.push(
                            SchemaEdit::AddRelationType {
                                name: draft.type_name.clone(),
                                head_labels: split(&draft.type_head),
                                tail_labels: split(&draft.type_tail),
                            }
                            .into(),
                        );
                    }
                });
                ui.separator();
                ui.horizontal(|ui| {
                    let from = ui.label("rename:");
                    ui.add(egui::TextEdit::singleline(&mut draft.rename_from).desired_width(80.0))
                        .labelled_by(from.id);
                    let to = ui.label("to:");
                    ui.add(egui::TextEdit::singleline(&mut draft.rename_to).desired_width(80.0))
                        .labelled_by(to.id);
                    if ui.button("rename").clicked() {
                        let (old, new) = (draft.rename_from.trim().to_owned(), draft.rename_to.clone());
                        out.push(Command::from(if self.labels.iter().any(|l| l.name == old) {
                            SchemaEdit::RenameLabel { old, new }
                        } else {
                            SchemaEdit::RenameRelationType { old, new }
                        }));
                    }
                });
                if let Some((is_label, name, n)) = draft.confirm.clone() {
                    ui.separator();
                    let what = if is_label {
                        format!("label {name} is used by {n} entities")
                    } else {
                        format!("relation type {name} is used by {n} relations")
                    };
                    ui.label(RichText::new(format!("{what}. Remove it and them?")).color(ui.visuals().warn_fg_color));
                    ui.horizontal(|ui| {
                        if ui.button("Remove").clicked() {
                            out.push(Command::from(if is_label {
                                SchemaEdit::RemoveLabel {
                                    name: name.clone(),
                                    confirmed: true,
                                }
                            } else {
                                SchemaEdit::RemoveRelationType {
                                    name: name.clone(),
                                    confirmed: true,
                                }
                            }));
                        }
                        if ui.button("Keep").clicked() {
                            draft.confirm = None;
                        }
                    });
                }
            });
        self.windows.show_schema = open;
        self.commands.extend(out);
    }
}

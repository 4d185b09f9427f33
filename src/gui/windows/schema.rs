//! The schema window: labels and relation types, added, renamed or removed, and each
//! label's colour and hotkey. It types drafts; every change to the schema is a
//! [`SchemaEdit`] command.

use std::collections::BTreeMap;

use egui::RichText;

use crate::gui::App;
use crate::gui::command::{Command, SchemaEdit};
use crate::gui::i18n::{tr, trf};
use crate::gui::theme;
use crate::model::Label;

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
    /// Colours and hotkeys being edited, by label, until saved.
    pub colors: BTreeMap<String, [u8; 3]>,
    pub hotkeys: BTreeMap<String, String>,
}

/// The hotkey `hotkey` (none when empty) for label `name`, or why it cannot be: a label's
/// hotkey is one digit 1–9, and no two labels share one.
pub fn check_label_hotkey(labels: &[Label], name: &str, hotkey: Option<&str>) -> Result<(), String> {
    let Some(key) = hotkey.map(str::trim).filter(|k| !k.is_empty()) else {
        return Ok(());
    };
    if !matches!(key.as_bytes(), [b'1'..=b'9']) {
        return Err(trf(
            "hotkey {key} refused: a label's hotkey is one digit, 1 to 9",
            &[("key", &format!("{key:?}"))],
        ));
    }
    match labels
        .iter()
        .find(|l| l.name != name && l.hotkey.as_deref().map(str::trim) == Some(key))
    {
        Some(other) => Err(trf(
            "hotkey {key} is taken by label {label}; free it there first",
            &[("key", key), ("label", &other.name)],
        )),
        None => Ok(()),
    }
}

/// The colour a new label gets: the candidate farthest from every label's colour.
pub fn new_label_color(labels: &[Label]) -> String {
    let used: Vec<&str> = labels.iter().map(|l| l.color.as_str()).collect();
    crate::schema::distinct_color(&used)
}

impl App {
    pub(in crate::gui) fn schema_ui(&mut self, ctx: &egui::Context) {
        let mut open = self.windows.show_schema;
        let mut out = Vec::new();
        egui::Window::new(tr("Schema"))
            .id(egui::Id::unique("schema window"))
            .open(&mut open)
            .default_width(420.0)
            .show(ctx, |ui| {
                let draft = &mut self.windows.schema;
                ui.heading(tr("Labels"));
                for label in &self.labels {
                    ui.horizontal(|ui| {
                        let stored = crate::schema::parse_hex(&label.color).unwrap_or([190, 190, 190]);
                        let color = draft.colors.entry(label.name.clone()).or_insert(stored);
                        ui.color_edit_button_srgb(color)
                            .on_hover_text(trf("the colour of {label}", &[("label", &label.name)]));
                        let color = *color;
                        ui.label(format!("{} {}", label.name, label.display_name));
                        let key_label = ui.label(tr("key:"));
                        let hotkey = draft
                            .hotkeys
                            .entry(label.name.clone())
                            .or_insert_with(|| label.hotkey.clone().unwrap_or_default());
                        ui.add(egui::TextEdit::singleline(hotkey).desired_width(18.0).char_limit(1))
                            .labelled_by(key_label.id);
                        let hotkey = hotkey.trim().to_owned();
                        let changed = color != stored || hotkey != label.hotkey.as_deref().unwrap_or_default().trim();
                        if ui.add_enabled(changed, egui::Button::new(tr("save")).small()).clicked() {
                            out.push(
                                SchemaEdit::UpdateLabel {
                                    name: label.name.clone(),
                                    color: theme::to_hex(color),
                                    hotkey: (!hotkey.is_empty()).then_some(hotkey),
                                }
                                .into(),
                            );
                            draft.colors.remove(&label.name);
                            draft.hotkeys.remove(&label.name);
                        }
                        if ui.small_button(tr("remove")).clicked() {
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
                    let name = ui.label(tr("new label:"));
                    ui.add(egui::TextEdit::singleline(&mut draft.label_name).desired_width(90.0))
                        .labelled_by(name.id);
                    let display = ui.label(tr("中文:"));
                    ui.add(egui::TextEdit::singleline(&mut draft.label_display).desired_width(70.0))
                        .labelled_by(display.id);
                    if ui.button(tr("add")).clicked() {
                        out.push(
                            SchemaEdit::AddLabel {
                                name: draft.label_name.clone(),
                                display_name: draft.label_display.clone(),
                                color: new_label_color(&self.labels),
                            }
                            .into(),
                        );
                    }
                });
                ui.separator();
                ui.heading(tr("Relation types"));
                for kind in &self.relation_types {
                    ui.horizontal(|ui| {
                        ui.label(format!(
                            "{}: {} → {}",
                            kind.name,
                            kind.head_labels.join("/"),
                            kind.tail_labels.join("/")
                        ));
                        if ui.small_button(tr("remove")).clicked() {
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
                    let name = ui.label(tr("new type:"));
                    ui.add(egui::TextEdit::singleline(&mut draft.type_name).desired_width(70.0))
                        .labelled_by(name.id);
                    let head = ui.label(tr("head labels:"));
                    ui.add(egui::TextEdit::singleline(&mut draft.type_head).desired_width(60.0))
                        .labelled_by(head.id);
                    let tail = ui.label(tr("tail labels:"));
                    ui.add(egui::TextEdit::singleline(&mut draft.type_tail).desired_width(60.0))
                        .labelled_by(tail.id);
                    if ui.button(tr("add")).clicked() {
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
                    let from = ui.label(tr("rename:"));
                    ui.add(egui::TextEdit::singleline(&mut draft.rename_from).desired_width(80.0))
                        .labelled_by(from.id);
                    let to = ui.label(tr("to:"));
                    ui.add(egui::TextEdit::singleline(&mut draft.rename_to).desired_width(80.0))
                        .labelled_by(to.id);
                    if ui.button(tr("rename")).clicked() {
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
                    let values = [("name", name.as_str()), ("n", &n.to_string())];
                    let question = if is_label {
                        trf("label {name} is used by {n} entities. Remove it and them?", &values)
                    } else {
                        trf(
                            "relation type {name} is used by {n} relations. Remove it and them?",
                            &values,
                        )
                    };
                    ui.label(RichText::new(question).color(ui.visuals().warn_fg_color));
                    ui.horizontal(|ui| {
                        if ui.button(tr("Remove")).clicked() {
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
                        if ui.button(tr("Keep")).clicked() {
                            draft.confirm = None;
                        }
                    });
                }
            });
        self.windows.show_schema = open;
        self.commands.extend(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::default_labels;

    #[test]
    fn a_hotkey_is_one_free_digit() {
        let labels = default_labels();
        assert_eq!(check_label_hotkey(&labels, "PER", Some("1")), Ok(()));
        assert_eq!(check_label_hotkey(&labels, "PER", None), Ok(()));
        assert_eq!(check_label_hotkey(&labels, "PER", Some(" ")), Ok(()));
        let taken = check_label_hotkey(&labels, "PER", Some("2")).expect_err("ORG has 2");
        assert!(taken.contains("ORG"), "{taken}");
        assert!(check_label_hotkey(&labels, "PER", Some("x")).is_err());
        assert!(check_label_hotkey(&labels, "PER", Some("0")).is_err());
    }
}

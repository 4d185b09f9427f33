//! The export window (File → Export…): every format and option as a draft. Its buttons
//! push commands; the draft becomes export options only when Export is applied.

use std::path::PathBuf;

use crate::formats::{ExportOptions, Format, TagScheme};
use crate::gui::App;
use crate::gui::command::{Dialog, ViewCommand};
use crate::gui::i18n::tr;
use crate::model::{Label, StatusFilter};

/// Label checkboxes a line in the export window.
const LABELS_PER_ROW: usize = 4;

/// The export window's choices.
#[derive(Debug, Clone)]
pub struct ExportDraft {
    pub format: Format,
    pub include_suggestions: bool,
    pub annotator: String,
    pub labels: Vec<(String, bool)>,
    pub scheme: TagScheme,
    pub split: String,
    pub seed: u64,
    pub path: String,
}

impl ExportDraft {
    /// Doccano JSONL of every label, accepted annotations only.
    pub fn new(labels: &[Label]) -> ExportDraft {
        ExportDraft {
            format: Format::Doccano,
            include_suggestions: false,
            annotator: String::new(),
            labels: labels.iter().map(|l| (l.name.clone(), true)).collect(),
            scheme: TagScheme::Bio,
            split: String::new(),
            seed: 0,
            path: Format::Doccano.default_output().to_owned(),
        }
    }

    /// The options the draft asks for, or why its split does not parse.
    pub fn options(&self) -> crate::Result<ExportOptions> {
        let split = if self.split.trim().is_empty() {
            Vec::new()
        } else {
            crate::formats::parse_split(&self.split)?
        };
        Ok(ExportOptions {
            statuses: if self.include_suggestions {
                StatusFilter::AcceptedAndSuggested
            } else {
                StatusFilter::Accepted
            },
            annotator: Some(self.annotator.trim().to_owned()).filter(|a| !a.is_empty()),
            labels: Some(
                self.labels
                    .iter()
                    .filter(|(_, on)| *on)
                    .map(|(n, _)| n.clone())
                    .collect(),
            ),
            rename: Vec::new(),
            scheme: self.scheme,
            split,
            seed: self.seed,
            ..ExportOptions::default()
        })
    }

    pub fn path(&self) -> PathBuf {
        PathBuf::from(self.path.trim())
    }
}

impl App {
    pub(in crate::gui) fn export_ui(&mut self, ctx: &egui::Context) {
        let Some(draft) = &mut self.windows.export else { return };
        let mut keep = true;
        let mut out = Vec::new();
        egui::Window::new(tr("Export"))
            .id(egui::Id::unique("export window"))
            .open(&mut keep)
            .resizable(false)
            .show(ctx, |ui| {
                egui::Grid::new("export").num_columns(2).show(ui, |ui| {
                    ui.label(tr("format"));
                    let before = draft.format;
                    egui::ComboBox::new("format", "")
                        .selected_text(draft.format.name())
                        .show_ui(ui, |ui| {
                            for format in Format::ALL {
                                ui.selectable_value(&mut draft.format, format, format.name());
                            }
                        });
                    // A path the user has not typed follows the format: `hf` is a folder, not `doccano.jsonl`.
                    if draft.format != before && draft.path.trim() == before.default_output() {
                        draft.path = draft.format.default_output().to_owned();
                    }
                    ui.end_row();
                    ui.label(tr("annotations"));
                    ui.checkbox(
                        &mut draft.include_suggestions,
                        tr("suggestions too (never rejected ones)"),
                    );
                    ui.end_row();
                    let annotator = ui.label(tr("annotator"));
                    ui.add(egui::TextEdit::singleline(&mut draft.annotator).hint_text(tr("everyone")))
                        .labelled_by(annotator.id);
                    ui.end_row();
                    ui.label(tr("labels"));
                    // Rows of a few labels: a wrapped row inside a grid cell overlaps the next row.
                    ui.vertical(|ui| {
                        for row in draft.labels.chunks_mut(LABELS_PER_ROW) {
                            ui.horizontal(|ui| {
                                for (name, on) in row {
                                    ui.checkbox(on, name.as_str());
                                }
                            });
                        }
                    });
                    ui.end_row();
                    ui.label(tr("tags (conll, hf)"));
                    egui::ComboBox::new("scheme", "")
                        .selected_text(draft.scheme.name())
                        .show_ui(ui, |ui| {
                            for scheme in TagScheme::ALL {
                                ui.selectable_value(&mut draft.scheme, scheme, scheme.name());
                            }
                        });
                    ui.end_row();
                    let split = ui.label(tr("split"));
                    ui.add(egui::TextEdit::singleline(&mut draft.split).hint_text("train=0.8,dev=0.1,test=0.1"))
                        .labelled_by(split.id);
                    ui.end_row();
                    let seed = ui.label(tr("seed"));
                    ui.add(egui::DragValue::new(&mut draft.seed)).labelled_by(seed.id);
                    ui.end_row();
                    let path = ui.label(if draft.format.writes_folder() {
                        tr("folder")
                    } else {
                        tr("file")
                    });
                    ui.horizontal(|ui| {
                        ui.add(egui::TextEdit::singleline(&mut draft.path)).labelled_by(path.id);
                        if ui.button(tr("Browse…")).clicked() {
                            out.push(Dialog::ExportPath.into());
                        }
                    });
                    ui.end_row();
                });
                if ui.button(tr("Export")).clicked() {
                    out.push(ViewCommand::ExportFromWindow.into());
                }
            });
        if !keep {
            self.windows.export = None;
        }
        self.commands.extend(out);
    }
}

//! The path window: a modal with a focused field and the folder's listing, the file
//! dialog that works without a desktop portal. The listing is read by `app/dialogs.rs`
//! when the folder changes, never while drawing.

use std::path::{Path, PathBuf};

use egui::{Key, RichText};

use crate::gui::App;
use crate::gui::command::{Dialog, PathCommand};
use crate::gui::i18n::{tr, trf};

/// One line of the listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub is_folder: bool,
}

/// The open path window: what it asks for, where it is, what is typed.
#[derive(Debug, Clone)]
pub struct PathWindow {
    pub purpose: Dialog,
    pub folder: PathBuf,
    pub typed: String,
    /// Folders first, then the files the purpose takes, each by name.
    pub entries: Vec<Entry>,
    /// Why the folder could not be listed.
    pub error: Option<String>,
}

impl PathWindow {
    /// The window for `purpose` in `folder`, its listing read.
    pub fn new(purpose: Dialog, folder: PathBuf) -> PathWindow {
        let mut window = PathWindow {
            purpose,
            folder: PathBuf::new(),
            typed: String::new(),
            entries: Vec::new(),
            error: None,
        };
        window.browse(folder);
        window
    }

    /// Moves to `folder` and reads its listing; the typed text is cleared.
    pub fn browse(&mut self, folder: PathBuf) {
        self.typed.clear();
        self.error = None;
        self.entries = match std::fs::read_dir(&folder) {
            Ok(read) => {
                let mut entries: Vec<Entry> = read
                    .filter_map(Result::ok)
                    .filter_map(|entry| {
                        let name = entry.file_name().to_string_lossy().into_owned();
                        let is_folder = entry.path().is_dir();
                        (!name.starts_with('.') && (is_folder || takes(self.purpose, &name)))
                            .then_some(Entry { name, is_folder })
                    })
                    .collect();
                entries.sort_by(|a, b| b.is_folder.cmp(&a.is_folder).then_with(|| a.name.cmp(&b.name)));
                entries
            }
            Err(e) => {
                self.error = Some(trf(
                    "cannot list {folder}: {error}",
                    &[("folder", &folder.display().to_string()), ("error", &e.to_string())],
                ));
                Vec::new()
            }
        };
        self.folder = folder;
    }

    /// The folder above, or the folder itself at the root.
    pub fn parent(&self) -> PathBuf {
        self.folder
            .parent()
            .map_or_else(|| self.folder.clone(), Path::to_path_buf)
    }

    /// The typed path: absolute as typed, `~/` from home, else inside the folder.
    pub fn target(&self) -> PathBuf {
        let typed = self.typed.trim();
        match typed.strip_prefix("~/").zip(std::env::var_os("HOME")) {
            Some((rest, home)) => PathBuf::from(home).join(rest),
            None => self.folder.join(typed),
        }
    }

    pub fn title(&self) -> &'static str {
        match self.purpose {
            Dialog::Project => tr("New or open project"),
            Dialog::ImportFiles => tr("Import files"),
            Dialog::ImportFolder => tr("Import a folder"),
            Dialog::ExportPath => tr("Export to"),
            Dialog::SaveCopy => tr("Save a copy as"),
        }
    }

    /// The button that takes the typed path, or the folder when nothing is typed.
    fn action(&self) -> &'static str {
        match self.purpose {
            Dialog::Project => tr("Open"),
            Dialog::ImportFiles | Dialog::ImportFolder => tr("Import"),
            Dialog::ExportPath => tr("Choose"),
            Dialog::SaveCopy => tr("Save"),
        }
    }

    /// Whether a click on a file takes it at once (to read) or only types its name (to write).
    fn click_chooses(&self) -> bool {
        matches!(
            self.purpose,
            Dialog::Project | Dialog::ImportFiles | Dialog::ImportFolder
        )
    }
}

/// Whether the listing shows a file of this name for `purpose`.
fn takes(purpose: Dialog, name: &str) -> bool {
    let extension = Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match purpose {
        Dialog::Project | Dialog::SaveCopy => extension == "sqlite",
        Dialog::ImportFiles | Dialog::ImportFolder => crate::project::import::EXTENSIONS.contains(&extension.as_str()),
        Dialog::ExportPath => true,
    }
}

impl App {
    pub(in crate::gui) fn path_window_ui(&mut self, ctx: &egui::Context) {
        let Some(window) = &mut self.windows.path else { return };
        let mut out: Vec<PathCommand> = Vec::new();
        let modal = egui::Modal::new(egui::Id::unique("path window")).show(ctx, |ui| {
            ui.set_width(560.0);
            ui.heading(window.title());
            ui.label(RichText::new(window.folder.display().to_string()).weak());
            // Backspace in an empty field goes up, as in a file manager's location bar.
            let go_up = window.typed.is_empty() && ui.input(|i| i.key_pressed(Key::Backspace));
            let field = ui.add(
                egui::TextEdit::singleline(&mut window.typed)
                    .desired_width(f32::INFINITY)
                    .hint_text(tr("a name here, a path, or .. — Enter opens, Escape cancels")),
            );
            field.request_focus();
            if field.changed() && window.typed.ends_with('/') {
                // A typed folder opens as soon as its name is complete.
                out.push(PathCommand::Submit);
            } else if go_up {
                out.push(PathCommand::Browse(window.parent()));
            } else if ui.input(|i| i.key_pressed(Key::Enter)) {
                out.push(PathCommand::Submit);
            }
            if let Some(error) = &window.error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            let typed = window.typed.trim().to_lowercase();
            egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
                if ui.selectable_label(false, "../").clicked() {
                    out.push(PathCommand::Browse(window.parent()));
                }
                for entry in window.entries.iter().filter(|e| e.name.to_lowercase().contains(&typed)) {
                    let path = window.folder.join(&entry.name);
                    let shown = if entry.is_folder {
                        format!("{}/", entry.name)
                    } else {
                        entry.name.clone()
                    };
                    if ui.selectable_label(false, shown).clicked() {
                        if entry.is_folder {
                            out.push(PathCommand::Browse(path));
                        } else if window.click_chooses() {
                            out.push(PathCommand::Choose(path));
                        } else {
                            window.typed.clone_from(&entry.name);
                        }
                    }
                }
            });
            ui.separator();
            ui.horizontal(|ui| {
                let target = if window.typed.trim().is_empty() {
                    window.folder.clone()
                } else {
                    window.target()
                };
                if ui
                    .button(window.action())
                    .on_hover_text(target.display().to_string())
                    .clicked()
                {
                    out.push(PathCommand::Choose(target));
                }
                if ui.button(tr("Cancel")).clicked() {
                    out.push(PathCommand::Cancel);
                }
            });
        });
        if modal.should_close() {
            out.push(PathCommand::Cancel);
        }
        self.commands.extend(out.into_iter().map(Into::into));
    }
}

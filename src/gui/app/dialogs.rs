//! File dialogs: the desktop's own (rfd, through the XDG portal on Linux) when it can
//! answer, else the in-app path window. Either answer becomes the command its dialog asks for.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::App;
use crate::gui::command::{Command, Dialog, PathCommand, ProjectCommand};
use crate::gui::i18n::tr;
use crate::gui::windows::path::PathWindow;

/// A native dialog that gives no answer sooner than this failed rather than was
/// cancelled: nobody closes a file dialog that fast, and rfd says nothing when the
/// portal is missing or refuses.
const NATIVE_FAILED_WITHIN: Duration = Duration::from_millis(400);

/// Whether a native dialog can be shown at all. On Linux rfd talks to the XDG desktop
/// portal over the D-Bus session bus, so without a session bus (its address in the
/// environment, or the socket in the runtime folder) there is nobody to ask.
fn native_dialogs_reachable() -> bool {
    if std::env::var_os("BIAOZHU_PATH_WINDOW").is_some() {
        return false;
    }
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        return true;
    }
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
        || std::env::var_os("XDG_RUNTIME_DIR").is_some_and(|dir| PathBuf::from(dir).join("bus").exists())
}

impl App {
    /// Opens one file dialog: the native one if it can answer, else the path window.
    pub(super) fn apply_dialog(&mut self, dialog: Dialog) -> anyhow::Result<()> {
        if !native_dialogs_reachable() {
            return self.apply_path(PathCommand::Open(dialog));
        }
        let asked = Instant::now();
        match self.native_dialog(dialog) {
            Some(paths) => self.choose_paths(dialog, paths),
            None if asked.elapsed() < NATIVE_FAILED_WITHIN => self.apply_path(PathCommand::Open(dialog)),
            None => Ok(()),
        }
    }

    fn native_dialog(&self, dialog: Dialog) -> Option<Vec<PathBuf>> {
        let native = rfd::FileDialog::new();
        if dialog == Dialog::ImportFiles {
            return native
                .add_filter(tr("text and datasets"), &crate::project::import::EXTENSIONS)
                .pick_files();
        }
        let picked = match dialog {
            Dialog::Project => native
                .add_filter(tr("biaozhu project"), &["sqlite"])
                .set_file_name("project.sqlite")
                .save_file(),
            Dialog::SaveCopy => native
                .add_filter(tr("biaozhu project"), &["sqlite"])
                .set_file_name("copy.sqlite")
                .save_file(),
            Dialog::ImportFiles | Dialog::ImportFolder => native.pick_folder(),
            Dialog::ExportPath if self.windows.export.as_ref().is_some_and(|d| d.format.writes_folder()) => {
                native.pick_folder()
            }
            Dialog::ExportPath => native.save_file(),
        };
        picked.map(|path| vec![path])
    }

    /// Runs one of the path window's actions.
    pub(super) fn apply_path(&mut self, command: PathCommand) -> anyhow::Result<()> {
        match command {
            PathCommand::Open(dialog) => {
                let folder = self
                    .on_disk()
                    .and_then(|db| db.parent().map(PathBuf::from))
                    .filter(|folder| folder.is_dir())
                    .or_else(|| std::env::current_dir().ok())
                    .unwrap_or_else(|| PathBuf::from("/"));
                self.windows.path = Some(PathWindow::new(dialog, folder));
            }
            PathCommand::Browse(folder) => {
                if let Some(window) = &mut self.windows.path {
                    window.browse(folder);
                }
            }
            PathCommand::Submit => {
                let Some(window) = &self.windows.path else {
                    return Ok(());
                };
                let typed = window.typed.trim();
                let next = if typed == ".." {
                    Some(PathCommand::Browse(window.parent()))
                } else if typed.is_empty() {
                    (window.purpose == Dialog::ImportFolder).then(|| PathCommand::Choose(window.folder.clone()))
                } else if window.target().is_dir() {
                    Some(PathCommand::Browse(window.target()))
                } else if typed.ends_with('/') {
                    None
                } else {
                    Some(PathCommand::Choose(window.target()))
                };
                if let Some(next) = next {
                    return self.apply_path(next);
                }
            }
            PathCommand::Choose(path) => {
                if let Some(window) = self.windows.path.take() {
                    return self.choose_paths(window.purpose, vec![path]);
                }
            }
            PathCommand::Cancel => self.windows.path = None,
        }
        Ok(())
    }

    /// A dialog's answer, as the command it asks for; only imports take several paths.
    fn choose_paths(&mut self, dialog: Dialog, mut paths: Vec<PathBuf>) -> anyhow::Result<()> {
        if dialog == Dialog::ImportFiles || dialog == Dialog::ImportFolder {
            return self.try_apply(ProjectCommand::Import(paths).into());
        }
        let Some(path) = paths.pop() else { return Ok(()) };
        let command: Command = match dialog {
            Dialog::Project => ProjectCommand::OpenProject(path).into(),
            Dialog::SaveCopy => ProjectCommand::SaveCopy(path).into(),
            Dialog::ImportFiles | Dialog::ImportFolder => unreachable!("imports are chosen above"),
            Dialog::ExportPath => {
                if let Some(draft) = &mut self.windows.export {
                    draft.path = path.display().to_string();
                }
                return Ok(());
            }
        };
        self.try_apply(command)
    }
}

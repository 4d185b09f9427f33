//! The one dispatch: every command goes through [`App::apply`], which hands it to the
//! handler of its concern. Each command that changes the project is one store transaction.

use super::App;
use crate::gui::command::Command;
use crate::model::CharSpan;

impl App {
    /// Runs one command. Errors are shown once in the status bar, never raised.
    pub fn apply(&mut self, command: Command) {
        crate::gui::i18n::set_current(self.lang);
        match self.try_apply(command) {
            Ok(()) => {}
            Err(e) => self.error = Some(format!("{e:#}")),
        }
    }

    pub(super) fn try_apply(&mut self, command: Command) -> anyhow::Result<()> {
        // Windows and dialogs leave the last error standing; what they lead to clears it.
        if !matches!(command, Command::View(_) | Command::Dialog(_) | Command::Path(_)) {
            self.error = None;
        }
        // An edit that met another writer's lock rolled back: it runs again, and if the lock
        // still holds, the app says so and shows what is really stored.
        let result = crate::gui::tasks::retry_busy(|| self.dispatch(command.clone()));
        let result = match result {
            Err(e) if crate::gui::tasks::is_busy(&e) => {
                self.reload()?;
                self.refresh_documents()?;
                Err(e.context("another program is writing to the project; this action was not saved, try it again"))
            }
            result => result,
        };
        self.show_highlights();
        result
    }

    /// Hands the command to its concern's handler.
    pub(super) fn dispatch(&mut self, command: Command) -> anyhow::Result<()> {
        match command {
            Command::Annotate(command) => self.apply_annotate(command),
            Command::Relation(command) => self.apply_relation(command),
            Command::Schema(edit) => self.edit_schema(edit),
            Command::Review(command) => self.apply_review(command),
            Command::Project(command) => self.apply_project(command),
            Command::Search(command) => self.apply_search(command),
            Command::View(command) => self.apply_view(command),
            Command::Dialog(dialog) => self.apply_dialog(dialog),
            Command::Path(command) => self.apply_path(command),
        }
    }

    /// Outlines the find matches while Find is open, else the current review difference
    /// (scrolling to it when it changed).
    fn show_highlights(&mut self) {
        let Some(open) = &mut self.open else { return };
        if let Some(find) = &self.windows.find {
            open.view.highlights.clone_from(&find.matches);
        } else if let Some(review) = &self.review {
            let highlights: Vec<CharSpan> = review
                .items
                .get(review.cursor)
                .map(|i| vec![i.span])
                .unwrap_or_default();
            if highlights != open.view.highlights {
                open.view.scroll_to_highlight = true;
                open.view.highlights = highlights;
            }
        }
    }
}

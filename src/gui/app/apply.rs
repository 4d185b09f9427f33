//! The one dispatch: every command goes through [`App::apply`], which hands it to the
//! handler of its concern. Each command that changes the project is one store transaction.

use super::App;
use crate::gui::command::Command;
use crate::gui::doc_view::ScrollTarget;
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
        let selection_before = (self.selected, self.selected_relation);
        let result = crate::gui::tasks::retry_busy(|| self.dispatch(command.clone()));
        if (self.selected, self.selected_relation) != selection_before {
            self.scroll_to_selection();
        }
        let result = match result {
            Err(e) if crate::gui::tasks::is_busy(&e) => {
                self.reload()?;
                self.refresh_documents()?;
                Err(e.context(crate::gui::i18n::tr(
                    "another program is writing to the project; this action was not saved, try it again",
                )))
            }
            // Another annotator changed a row this edit was based on: nothing was written,
            // and the app shows what is stored now, their work included.
            Err(e) if is_stale(&e) => {
                self.reload()?;
                self.refresh_documents()?;
                if self.selected.is_some_and(|id| self.entity(id).is_none()) {
                    self.selected = None;
                }
                Err(anyhow::anyhow!(
                    "{}",
                    crate::gui::i18n::tr("changed by someone else — reloaded")
                ))
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

    /// A new selection comes into view, unless the command asked for a place itself: the
    /// selected relation's head, else the selected span.
    fn scroll_to_selection(&mut self) {
        let Some(open) = &mut self.open else { return };
        if open.view.pending_scroll().is_some() {
            return;
        }
        let head = self
            .selected_relation
            .and_then(|id| open.relations.iter().find(|r| r.id == id))
            .map(|r| r.head);
        open.view.scroll_to_entity(&open.entities, head.or(self.selected));
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
                if let Some(first) = highlights.first() {
                    open.view.scroll_to(ScrollTarget::Span(*first));
                }
                open.view.highlights = highlights;
            }
        }
    }
}

/// Whether `error` is the store's refusal of an edit based on a row someone else has
/// changed since the app read it.
fn is_stale(error: &anyhow::Error) -> bool {
    matches!(error.downcast_ref::<crate::Error>(), Some(crate::Error::Stale { .. }))
}

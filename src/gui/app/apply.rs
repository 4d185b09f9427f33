//! The one dispatch: every command goes through [`App::apply`], which hands it to the
//! handler of its concern. Each command that changes the project is one store transaction.

use super::App;
use crate::gui::command::{Command, Dialog, ViewCommand};
use crate::model::CharSpan;

impl App {
    /// Runs one command. Errors are shown once in the status bar, never raised.
    pub fn apply(&mut self, command: Command) {
        match self.try_apply(command) {
            Ok(()) => {}
            Err(e) => self.error = Some(format!("{e:#}")),
        }
    }

    pub(super) fn try_apply(&mut self, command: Command) -> anyhow::Result<()> {
        // Windows and dialogs leave the last error standing; what they lead to clears it.
        if !matches!(
            command,
            Command::View(_) | Command::Dialog(_) | Command::ExportFromWindow
        ) {
            self.error = None;
        }
        let result = self.dispatch(command);
        self.show_highlights();
        result
    }

    pub(super) fn dispatch(&mut self, command: Command) -> anyhow::Result<()> {
        match command {
            // Entities: annotate.rs.
            Command::OpenDocument(id) => self.open_document(id),
            Command::Select(id) => {
                self.select(id);
                Ok(())
            }
            Command::SelectNext => self.select_step(true),
            Command::SelectPrevious => self.select_step(false),
            Command::AcceptSelected => self.selected.map_or(Ok(()), |id| self.accept(id)),
            Command::Accept(id) => self.accept(id),
            Command::RejectOrDeleteSelected => self.selected.map_or(Ok(()), |id| self.reject_or_delete(id)),
            Command::RejectOrDelete(id) => self.reject_or_delete(id),
            Command::Relabel(id, label) => self.relabel(id, label),
            Command::SetCurrentLabel(label) => {
                self.current_label = label;
                Ok(())
            }
            Command::AddSpan {
                char_start,
                char_end,
                label,
            } => self.add_span(CharSpan::new(char_start, char_end), &label),
            Command::MoveBoundary { start_delta, end_delta } => self.move_boundary(start_delta, end_delta),
            Command::AcceptAll => self.accept_all(),
            Command::LabelEveryOccurrence(id) => self.label_every_occurrence(id),
            Command::MarkDoneAndNext => self.mark_done_and_next(),
            Command::Undo => self.undo_or_redo(true),
            Command::Redo => self.undo_or_redo(false),
            // Relations: relations.rs.
            Command::StartRelation => self.start_relation(),
            Command::CycleTail { forward } => {
                self.cycle_tail(forward);
                Ok(())
            }
            Command::ConfirmTail(clicked) => self.confirm_tail(clicked),
            Command::ProposeRelation { head, tail } => self.choose_type(head, tail, None),
            Command::ChooseRelationType(kind) => self.choose_relation_type(kind),
            Command::CancelRelation => {
                self.relation_mode = None;
                self.message.clear();
                Ok(())
            }
            Command::SelectRelation(id) => {
                self.select_relation(id);
                Ok(())
            }
            Command::RetypeSelectedRelation => self.retype_selected_relation(),
            Command::AcceptRelation(id) => self.accept_relation(id),
            Command::RejectOrDeleteRelation(id) => self.reject_or_delete_relation(id),
            // Review: review.rs.
            Command::StartReview { a, b } => self.start_review(a, b),
            Command::CloseReview => {
                self.review = None;
                self.reload()
            }
            Command::ReviewMove { forward } => {
                self.review_move(forward);
                Ok(())
            }
            Command::Adjudicate(decision) => self.adjudicate(decision),
            // The project: project.rs.
            Command::RerunPretag => self.start_pretag(),
            Command::Import(paths) => self.start_import(paths),
            Command::ExportDoccano(path) => self.export_doccano(path),
            Command::Export { format, options, path } => self.export(format, options, path),
            Command::OpenProject(path) => self.open_project(path),
            Command::SetAnnotator(name) => self.set_annotator(name),
            Command::Dialog(dialog) => self.dialog(dialog),
            // The windows: windows.rs.
            Command::EditSchema(edit) => self.edit_schema(edit),
            Command::Search => self.run_search(),
            Command::SearchLabelAll(label) => self.label_search_hits(&label),
            Command::SearchAcceptSuggestions => self.accept_search_suggestions(),
            Command::OpenHit(index) => self.open_hit(index),
            Command::ExportFromWindow => self.export_from_window(),
            Command::View(view) => self.view(view),
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

    fn dialog(&mut self, dialog: Dialog) -> anyhow::Result<()> {
        match dialog {
            Dialog::Project => self.pick_project(),
            Dialog::ImportFiles => self.pick_import_files(),
            Dialog::ImportFolder => self.pick_import_folder(),
            Dialog::ExportPath => {
                self.pick_export_path();
                Ok(())
            }
        }
    }

    fn view(&mut self, view: ViewCommand) -> anyhow::Result<()> {
        match view {
            ViewCommand::OpenStatistics => self.open_stats()?,
            ViewCommand::OpenSearch => self.open_search(),
            ViewCommand::OpenFind => self.open_find(),
            ViewCommand::FindChanged => self.find_changed(),
            ViewCommand::FindNext => self.find_next()?,
            ViewCommand::CloseFind => self.close_find(),
            ViewCommand::OpenExport => self.open_export(),
            ViewCommand::ShowHelp(show) => self.windows.show_help = show,
        }
        Ok(())
    }
}

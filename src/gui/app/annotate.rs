//! Annotating entities: selecting, accepting, rejecting, labelling and moving spans, marking
//! documents done, undo and redo. Every edit is one transaction, then the view reloads.

use super::{App, Open};
use crate::gui::command::AnnotateCommand;
use crate::gui::i18n::count as counted;
use crate::gui::i18n::{tr, trf};
use crate::model::{
    CharSpan, DocStatus, DocumentId, Entity, EntityId, NewEntity, RelationId, SOURCE_CORRECTED, SOURCE_MANUAL,
    SOURCE_PROPAGATED, Status, StatusFilter,
};
use crate::spans::{moved, next_entity, overlapping};
use crate::store::{Edit, Store};
use crate::text::CharIndex;

/// Starts an action on the open document; the first one also marks the document in
/// progress, in the same transaction, so that one undo takes back both.
pub(super) fn edit_in_document<'s>(
    store: &'s mut Store,
    open: &Option<Open>,
    action: &str,
    annotator: &str,
) -> crate::Result<Edit<'s>> {
    let mut edit = store.edit(action, annotator)?;
    if let Some(open) = open
        && open.document.status == DocStatus::New
    {
        edit.set_document_status(open.document.id, DocStatus::InProgress)?;
    }
    Ok(edit)
}

/// Refuses the edit with [`crate::Error::Stale`] when entity `id` is no longer as the open
/// document holds it: another annotator changed or removed it since the app read it. Call
/// it before the edit changes the row. An entity the open document does not hold was read
/// in this command, and passes.
pub(super) fn expect_held_entity(edit: &mut Edit<'_>, open: &Option<Open>, id: EntityId) -> crate::Result<()> {
    match open.as_ref().and_then(|o| o.entities.iter().find(|e| e.id == id)) {
        Some(held) => edit.expect_entity(held),
        None => Ok(()),
    }
}

/// [`expect_held_entity`] for a relation.
pub(super) fn expect_held_relation(edit: &mut Edit<'_>, open: &Option<Open>, id: RelationId) -> crate::Result<()> {
    match open.as_ref().and_then(|o| o.relations.iter().find(|r| r.id == id)) {
        Some(held) => edit.expect_relation(held),
        None => Ok(()),
    }
}

/// The edit log's name of marking a document done.
const MARK_DONE: &str = "mark done";

impl App {
    /// Runs one annotating command.
    pub(super) fn apply_annotate(&mut self, command: AnnotateCommand) -> anyhow::Result<()> {
        // The question Ctrl+Enter asked stands only until the next action.
        if !matches!(command, AnnotateCommand::MarkDoneAndNext) {
            self.confirm_done = None;
        }
        match command {
            AnnotateCommand::OpenDocument(id) => {
                // What was said was about the document left.
                self.message.clear();
                self.open_document(id)
            }
            AnnotateCommand::Select(id) => {
                self.select(id);
                Ok(())
            }
            AnnotateCommand::SelectNext => self.select_step(true),
            AnnotateCommand::SelectPrevious => self.select_step(false),
            AnnotateCommand::AcceptSelected => self.selected.map_or(Ok(()), |id| self.accept(id)),
            AnnotateCommand::Accept(id) => self.accept(id),
            AnnotateCommand::RejectOrDeleteSelected => self
                .selected
                .map_or(Ok(()), |id| self.reject_or_delete(id, Status::Rejected)),
            AnnotateCommand::RejectOrDelete(id) => self.reject_or_delete(id, Status::Rejected),
            AnnotateCommand::RejectHere(id) => self.reject_or_delete(id, Status::Superseded),
            AnnotateCommand::Relabel(id, label) => self.relabel(id, label),
            AnnotateCommand::SetCurrentLabel(label) => {
                self.current_label = label;
                Ok(())
            }
            AnnotateCommand::AddSpan {
                char_start,
                char_end,
                label,
            } => self.add_span(CharSpan::new(char_start, char_end), &label),
            AnnotateCommand::MoveBoundary { start_delta, end_delta } => self.move_boundary(start_delta, end_delta),
            AnnotateCommand::AcceptAll => self.accept_all(),
            AnnotateCommand::LabelEveryOccurrence(id) => self.label_every_occurrence(id),
            AnnotateCommand::MarkDoneAndNext => self.mark_done_and_next(),
            AnnotateCommand::CancelMarkDone => {
                let (n_entities, n_relations) = self.to_check();
                self.message = trf(
                    "not marked done: {what} to check",
                    &[("what", &describe_suggestions(n_entities, n_relations))],
                );
                Ok(())
            }
            AnnotateCommand::Undo => self.undo_or_redo(true),
            AnnotateCommand::Redo => self.undo_or_redo(false),
        }
    }

    /// Selects an entity: it is then what Enter, Delete and T act on, not a relation
    /// selected before. The label for new spans stays as it is.
    pub(super) fn select(&mut self, id: Option<EntityId>) {
        self.selected = id;
        self.selected_relation = None;
    }

    pub(super) fn select_step(&mut self, forward: bool) -> anyhow::Result<()> {
        if let Some(open) = &mut self.open {
            let current = self.selected.and_then(|id| open.entities.iter().find(|e| e.id == id));
            self.selected = next_entity(&open.entities, current, forward);
            self.selected_relation = None;
            open.view.scroll_to_entity(&open.entities, self.selected);
        }
        Ok(())
    }

    pub(super) fn relabel(&mut self, id: EntityId, label: String) -> anyhow::Result<()> {
        let annotator = self.annotator()?;
        if self
            .entity(id)
            .is_some_and(|e| e.label == label && e.status == Status::Accepted)
        {
            self.message = trf("already {label}", &[("label", &label)]);
            return Ok(());
        }
        let mut edit = edit_in_document(&mut self.store, &self.open, &format!("relabel as {label}"), &annotator)?;
        expect_held_entity(&mut edit, &self.open, id)?;
        let entity = edit.update_entity(id, |e| {
            e.label = label.clone();
            e.status = Status::Accepted;
        })?;
        edit.commit()?;
        if let Some(open) = &mut self.open {
            self.message = trf(
                "{text} is now {label}",
                &[("text", open.view.slice(entity.span())), ("label", &label)],
            );
            if self.selected == Some(id) {
                open.view.scroll_to_entity(&open.entities, Some(id));
            }
        }
        self.reload()
    }

    pub(super) fn accept_all(&mut self) -> anyhow::Result<()> {
        let annotator = self.annotator()?;
        let Some(open) = &self.open else { return Ok(()) };
        let suggestions: Vec<EntityId> = open
            .entities
            .iter()
            .filter(|e| e.status == Status::Suggested)
            .map(|e| e.id)
            .collect();
        let mut edit = edit_in_document(&mut self.store, &self.open, "accept all suggestions", &annotator)?;
        for id in &suggestions {
            expect_held_entity(&mut edit, &self.open, *id)?;
        }
        for id in &suggestions {
            edit.update_entity(*id, |e| e.status = Status::Accepted)?;
        }
        edit.commit()?;
        self.reload()?;
        let (_, n_relations) = self.to_check();
        let accepted = counted(
            suggestions.len(),
            "entity suggestion",
            "entity suggestions",
            tr("{n} entity suggestions"),
        );
        self.message = if n_relations > 0 {
            let left = counted(
                n_relations,
                "relation suggestion",
                "relation suggestions",
                tr("{n} relation suggestions"),
            );
            trf(
                "accepted {accepted}; {left} left (Shift+A accepts those with accepted ends)",
                &[("accepted", &accepted), ("left", &left)],
            )
        } else {
            trf("accepted {accepted}", &[("accepted", &accepted)])
        };
        Ok(())
    }

    /// What is left to review in the open document: its entity and relation suggestions.
    pub fn to_check(&self) -> (usize, usize) {
        let Some(open) = &self.open else { return (0, 0) };
        let suggested = |status: Status| status == Status::Suggested;
        (
            open.entities.iter().filter(|e| suggested(e.status)).count(),
            open.relations.iter().filter(|r| suggested(r.status)).count(),
        )
    }

    /// What is left to review, in words: `3 entity and 6 relation suggestions`.
    pub(in crate::gui) fn to_check_text(&self) -> String {
        let (n_entities, n_relations) = self.to_check();
        describe_suggestions(n_entities, n_relations)
    }

    /// Whether Ctrl+Enter asked whether to mark the open document done with suggestions left.
    pub fn asking_to_mark_done(&self) -> bool {
        self.confirm_done.is_some() && self.confirm_done == self.current_document()
    }

    /// Marks the open document done and opens the next one; with suggestions left, the first
    /// Ctrl+Enter only asks, and the next one (nothing else in between) confirms.
    pub(super) fn mark_done_and_next(&mut self) -> anyhow::Result<()> {
        let annotator = self.annotator()?;
        let Some(current) = self.current_document() else {
            return Ok(());
        };
        let (n_entities, n_relations) = self.to_check();
        let confirmed = self.confirm_done.take() == Some(current);
        if n_entities + n_relations > 0 && !confirmed {
            self.confirm_done = Some(current);
            let what = describe_suggestions(n_entities, n_relations);
            self.message = if n_entities + n_relations == 1 {
                trf(
                    "{what} is unreviewed — Ctrl+Enter again to mark done anyway, Esc to go back",
                    &[("what", &what)],
                )
            } else {
                trf(
                    "{what} are unreviewed — Ctrl+Enter again to mark done anyway, Esc to go back",
                    &[("what", &what)],
                )
            };
            return Ok(());
        }
        let newly_done = self.open.as_ref().is_some_and(|o| o.document.status != DocStatus::Done);
        let mut edit = self.store.edit(MARK_DONE, &annotator)?;
        edit.set_document_status(current, DocStatus::Done)?;
        edit.commit()?;
        // On a team server the annotator's slot of it is finished too (a file has none).
        self.store.finish_claim(current, &annotator, true)?;
        self.refresh_document_line(current)?;
        match self.next_to_do(current)? {
            Some(next) => self.open_document(next)?,
            None => self.message = tr("every document is done").to_owned(),
        }
        if newly_done {
            // Last: a run that cannot start is reported, with the next document open.
            self.count_marked_done()?;
        }
        Ok(())
    }

    pub(super) fn undo_or_redo(&mut self, undo: bool) -> anyhow::Result<()> {
        let Some(annotator) = self.annotator.clone() else {
            self.message = nothing_to(undo).to_owned();
            return Ok(());
        };
        let step = if undo {
            self.store.undo(&annotator)?
        } else {
            self.store.redo(&annotator)?
        };
        match step {
            Some(action) => {
                // Undoing "done" opens the annotator's slot again; redoing it finishes it.
                if action.action == MARK_DONE
                    && let Some(doc) = action.document_id
                {
                    self.store.finish_claim(doc, &annotator, !undo)?;
                }
                self.reload_schema()?;
                let values = [("action", action.action.as_str())];
                self.message = if undo {
                    trf("undid {action}", &values)
                } else {
                    trf("redid {action}", &values)
                };
                match action.document_id {
                    Some(doc) if Some(doc) != self.current_document() => self.open_document(doc)?,
                    _ => self.reload()?,
                }
                // The step may have reached other documents (a bulk labelling, a label removed).
                self.refresh_lines()?;
                if let Some(selected) = self.selected
                    && self.entity(selected).is_none()
                {
                    self.selected = None;
                }
            }
            None => self.message = nothing_to(undo).to_owned(),
        }
        Ok(())
    }

    fn select_next_suggestion(&mut self, after: &Entity) {
        if let Some(open) = &mut self.open {
            let has_suggestions = open.entities.iter().any(|e| e.status == Status::Suggested);
            self.selected = if has_suggestions {
                next_entity(&open.entities, Some(after), true)
            } else {
                Some(after.id)
            };
            open.view.scroll_to_entity(&open.entities, self.selected);
        }
    }

    pub(super) fn accept(&mut self, id: EntityId) -> anyhow::Result<()> {
        let annotator = self.annotator()?;
        let mut edit = edit_in_document(&mut self.store, &self.open, "accept", &annotator)?;
        expect_held_entity(&mut edit, &self.open, id)?;
        let entity = edit.update_entity(id, |e| e.status = Status::Accepted)?;
        edit.commit()?;
        self.reload()?;
        self.select_next_suggestion(&entity);
        Ok(())
    }

    /// Turns a suggestion down (`Rejected`: everywhere; `Superseded`: here only), or
    /// deletes a span.
    pub(super) fn reject_or_delete(&mut self, id: EntityId, turned_down: Status) -> anyhow::Result<()> {
        let annotator = self.annotator()?;
        let Some(entity) = self.entity(id).cloned() else {
            return Ok(());
        };
        let action = match (entity.status, turned_down) {
            (Status::Suggested, Status::Superseded) => "reject here",
            (Status::Suggested, _) => "reject",
            _ => "delete",
        };
        let mut edit = edit_in_document(&mut self.store, &self.open, action, &annotator)?;
        edit.expect_entity(&entity)?;
        if entity.status == Status::Suggested {
            edit.update_entity(id, |e| e.status = turned_down)?;
        } else {
            edit.delete_entity(id)?;
        }
        edit.commit()?;
        self.reload()?;
        if let Some(open) = &mut self.open {
            self.selected = next_entity(&open.entities, Some(&entity), true).filter(|next| *next != id);
            open.view.scroll_to_entity(&open.entities, self.selected);
        }
        Ok(())
    }

    pub(super) fn add_span(&mut self, span: CharSpan, label: &str) -> anyhow::Result<()> {
        let annotator = self.annotator()?;
        let Some(open) = &self.open else { return Ok(()) };
        let document_id = open.document.id;
        let clashes: Vec<Entity> = overlapping(&open.entities, span, None).into_iter().cloned().collect();
        let mut edit = edit_in_document(&mut self.store, &self.open, &format!("add {label}"), &annotator)?;
        for clash in &clashes {
            edit.expect_entity(clash)?;
        }
        // Suggestions under the new span are set aside here, not rejected: the same string
        // is still suggested elsewhere. The superseded rows stay, so the span's origin does.
        for clash in &clashes {
            if clash.status == Status::Suggested {
                edit.update_entity(clash.id, |e| e.status = Status::Superseded)?;
            } else {
                edit.delete_entity(clash.id)?;
            }
        }
        let corrects = clashes.iter().any(|c| c.status == Status::Suggested);
        let source = if corrects { SOURCE_CORRECTED } else { SOURCE_MANUAL };
        let entity = edit.add_entity(document_id, &NewEntity::accepted(span, label, source, &annotator))?;
        edit.commit()?;
        let text = open_slice(&self.open, span);
        self.message = if clashes.is_empty() {
            trf("added {label} {text}", &[("label", label), ("text", &text)])
        } else {
            let replaced: Vec<String> = clashes
                .iter()
                .map(|c| format!("{} {}", c.label, open_slice(&self.open, c.span())))
                .collect();
            trf(
                "added {label} {text}, replacing {replaced}",
                &[("label", label), ("text", &text), ("replaced", &replaced.join(", "))],
            )
        };
        self.reload()?;
        self.selected = Some(entity.id);
        Ok(())
    }

    pub(super) fn move_boundary(&mut self, start_delta: isize, end_delta: isize) -> anyhow::Result<()> {
        let annotator = self.annotator()?;
        let (Some(open), Some(id)) = (&self.open, self.selected) else {
            return Ok(());
        };
        let Some(entity) = open.entities.iter().find(|e| e.id == id) else {
            return Ok(());
        };
        let Some(span) = moved(entity.span(), start_delta, end_delta, open.view.n_chars()) else {
            anyhow::bail!(tr("the span cannot shrink to nothing or leave the text"));
        };
        if let Some(clash) = overlapping(&open.entities, span, Some(id)).first() {
            anyhow::bail!(trf(
                "the span would overlap {label} {text}",
                &[("label", &clash.label), ("text", open.view.slice(clash.span()))],
            ));
        }
        let mut edit = edit_in_document(&mut self.store, &self.open, "move boundary", &annotator)?;
        expect_held_entity(&mut edit, &self.open, id)?;
        edit.coalesce();
        edit.update_entity(id, |e| {
            e.char_start = span.char_start;
            e.char_end = span.char_end;
        })?;
        edit.commit()?;
        self.reload()
    }

    /// Labels every occurrence of the entity's text in every document, where no other
    /// annotation is in the way, in one transaction. The accepted strings then feed the
    /// gazetteer of later pre-tagging.
    pub(super) fn label_every_occurrence(&mut self, id: EntityId) -> anyhow::Result<()> {
        let annotator = self.annotator()?;
        let Some(open) = &self.open else { return Ok(()) };
        let Some(entity) = open.entities.iter().find(|e| e.id == id).cloned() else {
            return Ok(());
        };
        let needle = open.view.slice(entity.span()).to_owned();
        let mut additions: Vec<(DocumentId, CharSpan, Option<EntityId>)> = Vec::new();
        for summary in &self.store.documents()? {
            let document = self.store.document(summary.id)?;
            let entities = self.store.entities(summary.id, StatusFilter::All)?;
            let index = CharIndex::new(&document.text);
            for (byte, _) in document.text.match_indices(&needle) {
                let Some(char_start) = index.byte_to_char(byte) else {
                    continue;
                };
                let span = CharSpan::new(char_start, char_start + needle.chars().count());
                let clashes = overlapping(&entities, span, None);
                match clashes.as_slice() {
                    [] => additions.push((summary.id, span, None)),
                    [only] if only.span() == span && only.status == Status::Suggested => {
                        additions.push((summary.id, span, Some(only.id)));
                    }
                    _ => {}
                }
            }
        }
        let mut edit = self.store.edit(&format!("label every {needle}"), &annotator)?;
        edit.expect_entity(&entity)?;
        let mut n = 0;
        for (document_id, span, suggestion) in &additions {
            match suggestion {
                Some(id) => {
                    edit.update_entity(*id, |e| {
                        e.label = entity.label.clone();
                        e.status = Status::Accepted;
                    })?;
                }
                None => {
                    edit.add_entity(
                        *document_id,
                        &NewEntity::accepted(*span, entity.label.clone(), SOURCE_PROPAGATED, &annotator),
                    )?;
                }
            }
            n += 1;
        }
        edit.commit()?;
        self.message = trf(
            "labelled {n} more occurrences of {text} as {label}",
            &[("n", &n.to_string()), ("text", &needle), ("label", &entity.label)],
        );
        self.reload_everywhere()
    }
}

/// "nothing to undo" or "nothing to redo".
fn nothing_to(undo: bool) -> &'static str {
    if undo {
        tr("nothing to undo")
    } else {
        tr("nothing to redo")
    }
}

/// `3 entity and 6 relation suggestions`, `1 entity suggestion`, `6 relation suggestions`.
fn describe_suggestions(n_entities: usize, n_relations: usize) -> String {
    use crate::gui::i18n::{tr, trf};
    let one = n_entities + n_relations == 1;
    let (e, r) = (n_entities.to_string(), n_relations.to_string());
    match (n_entities, n_relations) {
        (0, 0) => tr("no suggestions").to_owned(),
        (_, 0) if one => trf("{e} entity suggestion", &[("e", &e)]),
        (_, 0) => trf("{e} entity suggestions", &[("e", &e)]),
        (0, _) if one => trf("{r} relation suggestion", &[("r", &r)]),
        (0, _) => trf("{r} relation suggestions", &[("r", &r)]),
        _ => trf("{e} entity and {r} relation suggestions", &[("e", &e), ("r", &r)]),
    }
}

/// The open document's text in `span`, for messages.
fn open_slice(open: &Option<Open>, span: CharSpan) -> String {
    open.as_ref().map(|o| o.view.slice(span).to_owned()).unwrap_or_default()
}

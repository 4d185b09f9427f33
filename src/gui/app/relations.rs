//! Making, typing, accepting and removing relations, and the side panel's list of them. A
//! relation saved between suggestions accepts them too, in the same transaction: a relation
//! in the dataset needs both ends.

use super::annotate::{edit_in_document, expect_held_entity, expect_held_relation};
use super::{App, RelationMode};
use crate::gui::command::RelationCommand;
use crate::gui::i18n::{self, tr, trf};
use crate::model::{Entity, EntityId, NewRelation, Relation, RelationId, SOURCE_MANUAL, Status};

/// What the side panel's relation list shows: the live relations of one span (as head or
/// tail, by the other end's place in the text), or of the whole document (in the store's
/// order) when the toggle says so or no span is selected.
pub(in crate::gui) struct RelationList<'a> {
    /// The span listed for; `None`: every relation.
    pub anchor: Option<EntityId>,
    pub rows: Vec<&'a Relation>,
    /// The document's live relations.
    pub n_live: usize,
}

impl RelationList<'_> {
    fn position(&self, id: RelationId) -> Option<usize> {
        self.rows.iter().position(|r| r.id == id)
    }
}

impl App {
    /// Runs one relation command.
    pub(super) fn apply_relation(&mut self, command: RelationCommand) -> anyhow::Result<()> {
        self.confirm_done = None;
        match command {
            RelationCommand::StartRelation => self.start_relation(),
            RelationCommand::CycleTail { forward } => {
                self.cycle_tail(forward);
                Ok(())
            }
            RelationCommand::ConfirmTail(clicked) => self.confirm_tail(clicked),
            RelationCommand::ProposeRelation { head, tail } => self.choose_type(head, tail, None),
            RelationCommand::ChooseRelationType(kind) => self.choose_relation_type(kind),
            RelationCommand::CancelRelation => {
                self.relation_mode = None;
                self.message.clear();
                Ok(())
            }
            RelationCommand::SelectRelation(id) => {
                self.select_relation(id);
                Ok(())
            }
            RelationCommand::RetypeSelectedRelation => self.retype_selected_relation(),
            RelationCommand::AcceptRelation(id) => self.accept_relation(id),
            RelationCommand::RejectOrDeleteRelation(id) => self.reject_or_delete_relation(id),
            RelationCommand::StepListedRelation { forward } => {
                self.step_listed_relation(forward);
                Ok(())
            }
            RelationCommand::BackToSpan => {
                let anchor = self.relation_anchor();
                self.select_span_of_list(anchor);
                Ok(())
            }
            RelationCommand::ShowAllRelations(all) => {
                self.all_relations = all;
                Ok(())
            }
            RelationCommand::AcceptReadyRelations => self.accept_ready_relations(),
        }
    }

    /// The span whose relations the list shows: with a relation selected, the end it was
    /// reached from (its head when it was clicked from elsewhere); else the selected span.
    pub(in crate::gui) fn relation_anchor(&self) -> Option<EntityId> {
        match self.selected_relation.and_then(|id| self.relation(id)) {
            Some(r) => Some(
                self.relation_anchor
                    .filter(|a| *a == r.head || *a == r.tail)
                    .unwrap_or(r.head),
            ),
            None => self.selected,
        }
    }

    /// The side panel's relation list, as it is drawn.
    pub(in crate::gui) fn relation_list(&self) -> RelationList<'_> {
        let anchor = self.relation_anchor().filter(|_| !self.all_relations);
        self.relations_listed_for(anchor)
    }

    fn relations_listed_for(&self, anchor: Option<EntityId>) -> RelationList<'_> {
        let Some(open) = &self.open else {
            return RelationList {
                anchor,
                rows: Vec::new(),
                n_live: 0,
            };
        };
        let live = || open.relations.iter().filter(|r| r.status.is_live());
        let n_live = live().count();
        let rows = match anchor {
            None => live().collect(),
            Some(anchor) => {
                let mut rows: Vec<&Relation> = live().filter(|r| r.head == anchor || r.tail == anchor).collect();
                let place = |r: &Relation| {
                    let other = if r.head == anchor { r.tail } else { r.head };
                    open.entities.iter().find(|e| e.id == other).map(|e| e.char_start)
                };
                rows.sort_by_cached_key(|r| (place(r), r.id));
                rows
            }
        };
        RelationList { anchor, rows, n_live }
    }

    /// The relations of the list, for tests and the status bar: (relation, suggested).
    pub fn listed_relations(&self) -> Vec<(RelationId, bool)> {
        self.relation_list()
            .rows
            .iter()
            .map(|r| (r.id, r.status == Status::Suggested))
            .collect()
    }

    /// Selects a relation of the list, keeping the span the list is for.
    fn select_listed(&mut self, anchor: Option<EntityId>, id: RelationId) {
        self.selected_relation = Some(id);
        self.relation_anchor = anchor;
        self.selected = anchor.or_else(|| self.relation(id).map(|r| r.head));
    }

    /// Back from the list to its span (or to nothing, listing every relation).
    fn select_span_of_list(&mut self, anchor: Option<EntityId>) {
        self.selected_relation = None;
        self.relation_anchor = None;
        self.selected = anchor.or(self.selected);
    }

    pub(super) fn step_listed_relation(&mut self, forward: bool) {
        let list = self.relation_list();
        let n = list.rows.len();
        if n == 0 {
            self.message = match list.anchor.and_then(|a| self.entity(a)) {
                Some(span) => trf("{span} has no relation", &[("span", &self.open_text(span))]),
                None => tr("the document has no relation").to_owned(),
            };
            return;
        }
        let next = match self.selected_relation.and_then(|id| list.position(id)) {
            Some(i) if forward => (i + 1) % n,
            Some(i) => (i + n - 1) % n,
            None if forward => 0,
            None => n - 1,
        };
        let (anchor, id) = (list.anchor, list.rows[next].id);
        self.select_listed(anchor, id);
        self.message = trf(
            "relation {i} of {n}",
            &[("i", &(next + 1).to_string()), ("n", &n.to_string())],
        );
    }

    /// After Enter or Delete on the selected relation: the next suggestion of its list after
    /// where it was (from the top again), else `None`.
    fn next_listed_suggestion(&self, anchor: Option<EntityId>, before: &[RelationId], at: usize) -> Option<RelationId> {
        let list = self.relations_listed_for(anchor);
        let suggested = |id: &RelationId| list.rows.iter().any(|r| r.id == *id && r.status == Status::Suggested);
        let n = before.len();
        (1..=n).map(|k| before[(at + k) % n]).find(suggested).or_else(|| {
            // Suggestions the list gained meanwhile (a retype elsewhere) count too.
            list.rows.iter().find(|r| r.status == Status::Suggested).map(|r| r.id)
        })
    }

    /// Where Enter and Delete on the selected relation move on from: its list and place.
    fn listed_place(&self, id: RelationId) -> Option<(Option<EntityId>, Vec<RelationId>, usize)> {
        if self.selected_relation != Some(id) {
            return None;
        }
        let list = self.relation_list();
        let at = list.position(id)?;
        Some((list.anchor, list.rows.iter().map(|r| r.id).collect(), at))
    }

    /// Moves on after Enter or Delete on the selected relation, saying what is left.
    fn move_on_in_list(&mut self, place: Option<(Option<EntityId>, Vec<RelationId>, usize)>, removed: bool) {
        let Some((anchor, before, at)) = place else { return };
        let left = self
            .relations_listed_for(anchor)
            .rows
            .iter()
            .filter(|r| r.status == Status::Suggested)
            .count();
        let span = anchor.and_then(|a| self.entity(a)).map(|span| self.open_text(span));
        let what_is_left = match self.next_listed_suggestion(anchor, &before, at) {
            Some(next) => {
                self.select_listed(anchor, next);
                let left = i18n::count(left, "relation suggestion", "relation suggestions", "{n} 条关系建议");
                match &span {
                    Some(span) => trf("{left} of {span} left", &[("left", &left), ("span", span)]),
                    None => trf("{left} left", &[("left", &left)]),
                }
            }
            None => {
                if removed {
                    self.select_span_of_list(anchor);
                }
                match &span {
                    Some(span) => trf("no relation suggestion of {span} left", &[("span", span)]),
                    None => tr("no relation suggestion left").to_owned(),
                }
            }
        };
        self.message = format!("{}; {what_is_left}", self.message);
    }

    fn open_text(&self, entity: &Entity) -> String {
        self.open
            .as_ref()
            .map(|o| o.view.slice(entity.span()).to_owned())
            .unwrap_or_default()
    }

    /// A relation as the messages name it: `任职 王建国 → 省发展改革委`.
    fn describe_relation(&self, relation: &Relation) -> String {
        let Some(open) = &self.open else {
            return relation.kind.clone();
        };
        format!(
            "{} {} → {}",
            relation.kind,
            open.text_of(relation.head),
            open.text_of(relation.tail)
        )
    }

    /// Shift+A: every relation suggestion of the open document whose two ends are accepted
    /// entities, accepted in one transaction (one undo step).
    pub(super) fn accept_ready_relations(&mut self) -> anyhow::Result<()> {
        let annotator = self.annotator()?;
        let Some(open) = &self.open else { return Ok(()) };
        let filter = self.layer_filter();
        let accepted = |id: EntityId| open.entities.iter().any(|e| e.id == id && e.status == Status::Accepted);
        let (ready, waiting): (Vec<&Relation>, Vec<&Relation>) = open
            .relations
            .iter()
            .filter(|r| r.status == Status::Suggested && filter.shows(&r.annotator))
            .partition(|r| accepted(r.head) && accepted(r.tail));
        let ready: Vec<RelationId> = ready.iter().map(|r| r.id).collect();
        let n_waiting = waiting.len();
        if !ready.is_empty() {
            let mut edit = edit_in_document(&mut self.store, &self.open, "accept relation suggestions", &annotator)?;
            for id in &ready {
                expect_held_relation(&mut edit, &self.open, *id)?;
            }
            for id in &ready {
                edit.update_relation(*id, |r| r.status = Status::Accepted)?;
            }
            edit.commit()?;
            self.reload()?;
        }
        self.message = trf(
            "accepted {what} ({waiting} left: an end is still a suggestion)",
            &[
                (
                    "what",
                    &i18n::count(
                        ready.len(),
                        "relation suggestion",
                        "relation suggestions",
                        "{n} 条关系建议",
                    ),
                ),
                ("waiting", &n_waiting.to_string()),
            ],
        );
        Ok(())
    }

    /// The relation types that may go from `head` to `tail`, by their labels.
    fn fitting_types(&self, head: &Entity, tail: &Entity) -> Vec<String> {
        self.relation_types
            .iter()
            .filter(|t| t.allows(&head.label, &tail.label))
            .map(|t| t.name.clone())
            .collect()
    }

    /// The spans a relation from `head` can go to, nearest first.
    fn tail_candidates(&self, head: &Entity) -> Vec<EntityId> {
        let Some(open) = &self.open else { return Vec::new() };
        let mut candidates: Vec<&Entity> = open
            .entities
            .iter()
            .filter(|e| e.id != head.id && e.status.is_live() && !self.fitting_types(head, e).is_empty())
            .collect();
        candidates.sort_by_key(|e| (e.char_start.abs_diff(head.char_start), e.char_start));
        candidates.into_iter().map(|e| e.id).collect()
    }

    pub(super) fn start_relation(&mut self) -> anyhow::Result<()> {
        let Some(head) = self.selected.and_then(|id| self.entity(id)).cloned() else {
            anyhow::bail!(tr("select the span the relation starts from, then press R"));
        };
        let candidates = self.tail_candidates(&head);
        anyhow::ensure!(
            !candidates.is_empty(),
            trf(
                "no relation type starts from a {label} span here",
                &[("label", &head.label)]
            )
        );
        self.relation_mode = Some(RelationMode::PickTail {
            head: head.id,
            candidates,
            index: 0,
        });
        self.message = tr("relation: Tab picks the tail, Enter confirms, Esc cancels").to_owned();
        Ok(())
    }

    pub(super) fn cycle_tail(&mut self, forward: bool) {
        if let Some(RelationMode::PickTail { candidates, index, .. }) = &mut self.relation_mode {
            let n = candidates.len();
            *index = if forward {
                (*index + 1) % n
            } else {
                (*index + n - 1) % n
            };
        }
    }

    pub(super) fn confirm_tail(&mut self, clicked: Option<EntityId>) -> anyhow::Result<()> {
        let Some(RelationMode::PickTail {
            head,
            candidates,
            index,
        }) = self.relation_mode.clone()
        else {
            return Ok(());
        };
        let tail = clicked.or_else(|| candidates.get(index).copied());
        match tail.filter(|t| candidates.contains(t)) {
            Some(tail) => self.choose_type(head, tail, None),
            None => anyhow::bail!(tr("no relation type fits that span")),
        }
    }

    /// Offers the types that fit; with only one, uses it at once.
    pub(super) fn choose_type(
        &mut self,
        head: EntityId,
        tail: EntityId,
        retype: Option<RelationId>,
    ) -> anyhow::Result<()> {
        let (Some(h), Some(t)) = (self.entity(head).cloned(), self.entity(tail).cloned()) else {
            return Ok(());
        };
        let types = self.fitting_types(&h, &t);
        anyhow::ensure!(
            !types.is_empty(),
            trf(
                "no relation type goes from {head} to {tail}",
                &[("head", &h.label), ("tail", &t.label)]
            )
        );
        let only = (types.len() == 1 && retype.is_none()).then(|| types[0].clone());
        self.relation_mode = Some(RelationMode::PickType {
            head,
            tail,
            types,
            retype,
        });
        if let Some(kind) = only {
            self.try_apply(RelationCommand::ChooseRelationType(kind).into())?;
        }
        Ok(())
    }

    pub(super) fn choose_relation_type(&mut self, kind: String) -> anyhow::Result<()> {
        let Some(RelationMode::PickType {
            head,
            tail,
            types,
            retype,
        }) = self.relation_mode.take()
        else {
            return Ok(());
        };
        anyhow::ensure!(
            types.contains(&kind),
            trf("{kind} does not fit these spans", &[("kind", &kind)])
        );
        let annotator = self.annotator()?;
        let unconfirmed: Vec<EntityId> = [head, tail]
            .into_iter()
            .filter(|end| self.entity(*end).is_some_and(|e| e.status == Status::Suggested))
            .collect();
        // A relation drawn by hand that the pre-tagger already suggests accepts the suggestion.
        let same = self.open.as_ref().and_then(|open| {
            open.relations
                .iter()
                .find(|r| (r.head, r.tail, r.kind.as_str()) == (head, tail, kind.as_str()) && r.status.is_live())
        });
        let retype = retype.or(same.filter(|r| r.status == Status::Suggested).map(|r| r.id));
        if let Some(existing) = same.filter(|r| r.status == Status::Accepted && retype.is_none()) {
            self.selected_relation = Some(existing.id);
            self.message = trf("this {kind} relation is already there", &[("kind", &kind)]);
            return Ok(());
        }
        let mut edit = edit_in_document(&mut self.store, &self.open, &format!("relation {kind}"), &annotator)?;
        for end in [head, tail] {
            expect_held_entity(&mut edit, &self.open, end)?;
        }
        if let Some(id) = retype {
            expect_held_relation(&mut edit, &self.open, id)?;
        }
        let relation = match retype {
            Some(id) => edit.update_relation(id, |r| {
                r.kind = kind.clone();
                r.status = Status::Accepted;
            })?,
            None => edit.add_relation(&NewRelation {
                head,
                tail,
                kind: kind.clone(),
                status: Status::Accepted,
                source: SOURCE_MANUAL.to_owned(),
                annotator: annotator.clone(),
            })?,
        };
        for end in unconfirmed {
            edit.update_entity(end, |e| e.status = Status::Accepted)?;
        }
        edit.commit()?;
        self.selected_relation = Some(relation.id);
        self.message = trf("{kind} relation saved", &[("kind", &kind)]);
        self.reload()
    }

    /// Selects a relation (a click on its row or its arc). The list stays on the span it
    /// shows when that span is an end of the relation; else it moves to the relation's head.
    pub(super) fn select_relation(&mut self, id: Option<RelationId>) {
        let anchor = self.relation_anchor();
        self.selected_relation = id;
        if let Some(relation) = id.and_then(|id| self.relation(id)) {
            let kept = anchor.filter(|a| *a == relation.head || *a == relation.tail);
            self.relation_anchor = Some(kept.unwrap_or(relation.head));
            self.selected = self.relation_anchor;
        }
    }

    pub(super) fn retype_selected_relation(&mut self) -> anyhow::Result<()> {
        let Some(relation) = self.selected_relation.and_then(|id| self.relation(id)).cloned() else {
            return Ok(());
        };
        self.choose_type(relation.head, relation.tail, Some(relation.id))
    }

    pub(super) fn accept_relation(&mut self, id: RelationId) -> anyhow::Result<()> {
        let annotator = self.annotator()?;
        let unconfirmed: Vec<EntityId> = self
            .relation(id)
            .map(|r| vec![r.head, r.tail])
            .unwrap_or_default()
            .into_iter()
            .filter(|end| self.entity(*end).is_some_and(|e| e.status != Status::Accepted))
            .collect();
        let place = self.listed_place(id);
        if unconfirmed.is_empty() && self.relation(id).is_none_or(|r| r.status == Status::Accepted) {
            self.message = tr("the relation is accepted already").to_owned();
            self.move_on_in_list(place, false);
            return Ok(());
        }
        let mut edit = edit_in_document(&mut self.store, &self.open, "accept relation", &annotator)?;
        expect_held_relation(&mut edit, &self.open, id)?;
        for end in &unconfirmed {
            expect_held_entity(&mut edit, &self.open, *end)?;
        }
        let relation = edit.update_relation(id, |r| r.status = Status::Accepted)?;
        for end in unconfirmed {
            edit.update_entity(end, |e| e.status = Status::Accepted)?;
        }
        edit.commit()?;
        self.reload()?;
        self.message = trf(
            "accepted {relation}",
            &[("relation", &self.describe_relation(&relation))],
        );
        self.move_on_in_list(place, false);
        Ok(())
    }

    pub(super) fn reject_or_delete_relation(&mut self, id: RelationId) -> anyhow::Result<()> {
        let annotator = self.annotator()?;
        let Some(relation) = self.relation(id).cloned() else {
            return Ok(());
        };
        let place = self.listed_place(id);
        let described = self.describe_relation(&relation);
        let mut edit = edit_in_document(&mut self.store, &self.open, "remove relation", &annotator)?;
        edit.expect_relation(&relation)?;
        let done = if relation.status == Status::Suggested {
            edit.update_relation(id, |r| r.status = Status::Rejected)?;
            trf("rejected {relation}", &[("relation", &described)])
        } else {
            edit.delete_relation(id)?;
            trf("deleted {relation}", &[("relation", &described)])
        };
        edit.commit()?;
        if self.selected_relation == Some(id) {
            self.selected_relation = None;
        }
        self.reload()?;
        self.message = done;
        self.move_on_in_list(place, true);
        Ok(())
    }
}

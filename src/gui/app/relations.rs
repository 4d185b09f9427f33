//! Making, typing, accepting and removing relations. A relation saved between suggestions
//! accepts them too, in the same transaction: a relation in the dataset needs both ends.

use super::annotate::edit_in_document;
use super::{App, RelationMode};
use crate::gui::command::RelationCommand;
use crate::model::{Entity, EntityId, NewRelation, RelationId, SOURCE_MANUAL, Status};

impl App {
    /// Runs one relation command.
    pub(super) fn apply_relation(&mut self, command: RelationCommand) -> anyhow::Result<()> {
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
        }
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
            .filter(|e| e.id != head.id && e.status != Status::Rejected && !self.fitting_types(head, e).is_empty())
            .collect();
        candidates.sort_by_key(|e| (e.char_start.abs_diff(head.char_start), e.char_start));
        candidates.into_iter().map(|e| e.id).collect()
    }

    pub(super) fn start_relation(&mut self) -> anyhow::Result<()> {
        let Some(head) = self.selected.and_then(|id| self.entity(id)).cloned() else {
            anyhow::bail!("select the span the relation starts from, then press R");
        };
        let candidates = self.tail_candidates(&head);
        anyhow::ensure!(
            !candidates.is_empty(),
            "no relation type starts from a {} span here",
            head.label
        );
        self.relation_mode = Some(RelationMode::PickTail {
            head: head.id,
            candidates,
            index: 0,
        });
        self.message = "relation: Tab picks the tail, Enter confirms, Esc cancels".to_owned();
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
            None => anyhow::bail!("no relation type fits that span"),
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
            "no relation type goes from {} to {}",
            h.label,
            t.label
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
        anyhow::ensure!(types.contains(&kind), "{kind} does not fit these spans");
        let annotator = self.annotator()?;
        let unconfirmed: Vec<EntityId> = [head, tail]
            .into_iter()
            .filter(|end| self.entity(*end).is_some_and(|e| e.status == Status::Suggested))
            .collect();
        // A relation drawn by hand that the pre-tagger already suggests accepts the suggestion.
        let same = self.open.as_ref().and_then(|open| {
            open.relations.iter().find(|r| {
                (r.head, r.tail, r.kind.as_str()) == (head, tail, kind.as_str()) && r.status != Status::Rejected
            })
        });
        let retype = retype.or(same.filter(|r| r.status == Status::Suggested).map(|r| r.id));
        if let Some(existing) = same.filter(|r| r.status == Status::Accepted && retype.is_none()) {
            self.selected_relation = Some(existing.id);
            self.message = format!("this {kind} relation is already there");
            return Ok(());
        }
        let mut edit = edit_in_document(&mut self.store, &self.open, &format!("relation {kind}"), &annotator)?;
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
        self.message = format!("{kind} relation saved");
        self.reload()
    }

    pub(super) fn select_relation(&mut self, id: Option<RelationId>) {
        self.selected_relation = id;
        if let Some(relation) = id.and_then(|id| self.relation(id)) {
            self.selected = Some(relation.head);
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
        let mut edit = edit_in_document(&mut self.store, &self.open, "accept relation", &annotator)?;
        edit.update_relation(id, |r| r.status = Status::Accepted)?;
        for end in unconfirmed {
            edit.update_entity(end, |e| e.status = Status::Accepted)?;
        }
        edit.commit()?;
        self.reload()
    }

    pub(super) fn reject_or_delete_relation(&mut self, id: RelationId) -> anyhow::Result<()> {
        let annotator = self.annotator()?;
        let Some(relation) = self.relation(id).cloned() else {
            return Ok(());
        };
        let mut edit = edit_in_document(&mut self.store, &self.open, "remove relation", &annotator)?;
        if relation.status == Status::Suggested {
            edit.update_relation(id, |r| r.status = Status::Rejected)?;
        } else {
            edit.delete_relation(id)?;
        }
        edit.commit()?;
        self.selected_relation = None;
        self.reload()
    }
}

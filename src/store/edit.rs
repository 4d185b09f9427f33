//! The edit log: an [`Edit`] is one user-level transaction that records every row it
//! changes as an [`Op`]; undo writes the `before` states back in reverse, redo the `after`
//! states forward. A step that cannot be applied is rolled back and cut from the log.

use std::collections::BTreeSet;

use super::db::{Db, OptionalExtension as _, params};
use serde::{Deserialize, Serialize};

use super::rows::{self, EntityRow, RelationRow, document, entity, relation, set_doc_status};
use super::schema_edit::{Placed, put_label, put_relation_type};
use super::{Store, now_ms};
use crate::model::{
    DocStatus, DocumentId, Entity, EntityId, Label, NewEntity, NewRelation, Relation, RelationId, RelationType, Status,
};
use crate::{Error, Result};

/// An action in the edit log, as undo or redo reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedAction {
    pub action: String,
    pub document_id: Option<DocumentId>,
}

/// One row's state before and after an edit. Undo writes `before` back; redo writes `after`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "table", rename_all = "snake_case")]
pub(super) enum Op {
    Entity {
        id: EntityId,
        before: Option<Entity>,
        after: Option<Entity>,
    },
    Relation {
        id: RelationId,
        before: Option<Relation>,
        after: Option<Relation>,
    },
    DocumentStatus {
        id: DocumentId,
        before: DocStatus,
        after: DocStatus,
    },
    /// Since schema version 3.
    Label {
        before: Option<Placed<Label>>,
        after: Option<Placed<Label>>,
    },
    /// Since schema version 3.
    RelationType {
        before: Option<Placed<RelationType>>,
        after: Option<Placed<RelationType>>,
    },
}

impl Op {
    /// Writes the op's `before` state (undo) or `after` state (redo). An entity or relation
    /// must still be as the op left it: a row changed since, by another annotator or by
    /// pre-tagging, or an id taken by a new row, is never overwritten.
    fn restore(&self, conn: &Db, to_before: bool) -> Result<()> {
        match self {
            Op::Entity { id, before, after } => {
                let (expected, target) = pick(to_before, before, after);
                require_unchanged(&rows::entity_if_any(conn, *id)?, expected, || format!("entity {id}"))?;
                rows::put_entity(conn, *id, target)
            }
            Op::Relation { id, before, after } => {
                let (expected, target) = pick(to_before, before, after);
                require_unchanged(&rows::relation_if_any(conn, *id)?, expected, || {
                    format!("relation {id}")
                })?;
                rows::put_relation(conn, *id, target)
            }
            // A document's status is shared: when someone has moved it on since, it stays,
            // and the rest of the step still applies.
            Op::DocumentStatus { id, before, after } => {
                let (expected, target) = pick(to_before, before, after);
                if document(conn, *id)?.status == *expected {
                    set_doc_status(conn, *id, *target)?;
                }
                Ok(())
            }
            Op::Label { before, after } => {
                let (from, to) = pick(to_before, before, after);
                put_label(conn, from.as_ref(), to.as_ref())
            }
            Op::RelationType { before, after } => {
                let (from, to) = pick(to_before, before, after);
                put_relation_type(conn, from.as_ref(), to.as_ref())
            }
        }
    }
}

fn require_unchanged<T: PartialEq>(current: &T, expected: &T, what: impl Fn() -> String) -> Result<()> {
    if current == expected {
        Ok(())
    } else {
        Err(Error::Invalid(format!("{} has changed since", what())))
    }
}

/// The documents whose annotations `ops` change: those of the entities and relations they
/// write, and, for a relation type they change, those with relations of that type.
fn touched_documents(conn: &Db, ops: &[Op]) -> Result<BTreeSet<DocumentId>> {
    let mut documents = BTreeSet::new();
    for op in ops {
        match op {
            Op::Entity { before, after, .. } => {
                documents.extend(before.iter().chain(after).map(|e| e.document_id));
            }
            Op::Relation { before, after, .. } => {
                documents.extend(before.iter().chain(after).map(|r| r.document_id));
            }
            Op::RelationType { before, after } => {
                let mut stmt = conn.prepare_cached("SELECT DISTINCT document_id FROM relations WHERE kind = ?1")?;
                for kind in before.iter().chain(after) {
                    let ids = stmt.query_map(params![&kind.value.name], |row| row.get(0))?;
                    for id in ids {
                        documents.insert(DocumentId(id?));
                    }
                }
            }
            Op::DocumentStatus { .. } | Op::Label { .. } => {}
        }
    }
    Ok(documents)
}

/// The current state and the state to write: `(after, before)` for undo, `(before, after)` for redo.
fn pick<T>(to_before: bool, before: T, after: T) -> (T, T) {
    if to_before { (after, before) } else { (before, after) }
}

impl Store {
    /// Starts one user-level action. Nothing is written until [`Edit::commit`]; dropping
    /// the edit rolls it back.
    pub fn edit(&mut self, action: &str, annotator: &str) -> Result<Edit<'_>> {
        self.require_may_write(annotator)?;
        Ok(Edit {
            tx: self.db.write_transaction()?,
            action: action.to_owned(),
            annotator: annotator.to_owned(),
            document_id: None,
            locked: BTreeSet::new(),
            ops: Vec::new(),
            now_ms: now_ms(),
            coalesce: false,
        })
    }

    /// Reverts `annotator`'s latest action that is not undone yet. Returns what it reverted.
    /// Each annotator walks only their own history.
    pub fn undo(&mut self, annotator: &str) -> Result<Option<LoggedAction>> {
        self.step_history(true, annotator)
    }

    /// Re-applies `annotator`'s earliest undone action. Their new edit discards what they
    /// could redo.
    pub fn redo(&mut self, annotator: &str) -> Result<Option<LoggedAction>> {
        self.step_history(false, annotator)
    }

    /// Applies one log entry in its own transaction. When it cannot be applied (a row has
    /// changed since, or the step would break an invariant), nothing of it is kept, and
    /// the entry goes from the annotator's log with those that lie beyond it (the earlier
    /// ones for undo, the later undone ones for redo), so the next step works.
    fn step_history(&mut self, undo: bool, annotator: &str) -> Result<Option<LoggedAction>> {
        self.require_may_write(annotator)?;
        let sql = if undo {
            "SELECT id, action, document_id, ops FROM edit_log WHERE undone = FALSE AND annotator = ?1
             ORDER BY id DESC LIMIT 1"
        } else {
            "SELECT id, action, document_id, ops FROM edit_log WHERE undone = TRUE AND annotator = ?1
             ORDER BY id ASC LIMIT 1"
        };
        let tx = self.db.write_transaction()?;
        let found = tx
            .query_row(sql, params![annotator], |row| {
                Ok((
                    row.get::<i64>(0)?,
                    row.get::<String>(1)?,
                    row.get::<Option<i64>>(2)?,
                    row.get::<String>(3)?,
                ))
            })
            .optional()?;
        let Some((log_id, action, document_id, ops)) = found else {
            return Ok(None);
        };
        if tx.is_pg() {
            let parsed: Vec<Op> = serde_json::from_str(&ops)?;
            for document in touched_documents(&tx, &parsed)? {
                tx.lock_document(document.0)?;
            }
        }
        // A step that would break the dataset invariants cannot be applied, as one that fails.
        match apply_ops(&tx, &ops, undo).and_then(|ops| {
            let documents = touched_documents(&tx, &ops)?;
            super::check::require_valid(&tx, "the step", &documents)
        }) {
            Ok(()) => {
                tx.execute("UPDATE edit_log SET undone = ?1 WHERE id = ?2", params![undo, log_id])?;
                tx.commit()?;
                Ok(Some(LoggedAction {
                    action,
                    document_id: document_id.map(DocumentId),
                }))
            }
            Err(e) if is_contention(&e) => Err(e),
            Err(e) => {
                tx.rollback()?;
                let beyond = if undo {
                    "DELETE FROM edit_log WHERE undone = FALSE AND annotator = ?2 AND id <= ?1"
                } else {
                    "DELETE FROM edit_log WHERE undone = TRUE AND annotator = ?2 AND id >= ?1"
                };
                self.db.execute(beyond, params![log_id, annotator])?;
                let verb = if undo { "undo" } else { "redo" };
                Err(Error::Invalid(format!(
                    "cannot {verb} {action:?} ({e}); it and the history beyond it were dropped"
                )))
            }
        }
    }

    /// Whether `annotator` has an action to undo, and one to redo.
    pub fn history_state(&self, annotator: &str) -> Result<(bool, bool)> {
        let count = |undone: bool| -> Result<bool> {
            self.db.query_row(
                "SELECT EXISTS(SELECT 1 FROM edit_log WHERE undone = ?1 AND annotator = ?2)",
                params![undone, annotator],
                |row| row.get(0),
            )
        };
        Ok((count(false)?, count(true)?))
    }
}

/// One user-level action in progress: a transaction that records what it changes.
pub struct Edit<'s> {
    pub(super) tx: super::db::Tx<'s>,
    action: String,
    annotator: String,
    document_id: Option<DocumentId>,
    /// The documents this edit has locked (on a server).
    locked: BTreeSet<DocumentId>,
    pub(super) ops: Vec<Op>,
    now_ms: i64,
    /// Fold this action into the annotator's previous one when both change one entity
    /// and nothing came between (consecutive boundary moves are one undo step).
    coalesce: bool,
}

impl Edit<'_> {
    /// Adds an entity; its annotator is the edit's.
    pub fn add_entity(&mut self, document_id: DocumentId, new: &NewEntity) -> Result<Entity> {
        self.lock(document_id)?;
        self.require_span(document_id, new.char_start, new.char_end)?;
        self.require_label(&new.label)?;
        let row = EntityRow {
            annotator: &self.annotator,
            ..EntityRow::new(document_id, new, self.now_ms)
        };
        let id = rows::insert_entity(&self.tx, &row)?;
        let entity = entity(&self.tx, id)?;
        self.touch(document_id);
        self.ops.push(Op::Entity {
            id: entity.id,
            before: None,
            after: Some(entity.clone()),
        });
        Ok(entity)
    }

    /// Changes an entity through `change`; the id and document cannot change. A change
    /// that changes nothing writes and logs nothing. Rejecting
    /// an entity deletes, in the same action, the live relations that use it: suggested ones
    /// and accepted ones alike, as deleting it would. Relabelling it deletes the suggested
    /// relations whose type the new label breaks.
    pub fn update_entity(&mut self, id: EntityId, change: impl FnOnce(&mut Entity)) -> Result<Entity> {
        let before = self.entity_locked(id)?;
        let mut after = before.clone();
        change(&mut after);
        after.id = before.id;
        after.document_id = before.document_id;
        after.annotator = self.annotator.clone();
        if after == before {
            return Ok(before);
        }
        after.updated_at_ms = self.now_ms;
        self.require_span(after.document_id, after.char_start, after.char_end)?;
        self.require_label(&after.label)?;
        if !after.status.is_live() && before.status.is_live() {
            for relation in self.live_relations_of(id)? {
                self.delete_relation(relation.id)?;
            }
        } else if after.label != before.label {
            // A suggestion the new label no longer fits goes; an accepted relation stays, and
            // the commit refuses the relabel.
            for relation in self.live_relations_of(id)? {
                if relation.status != Status::Suggested {
                    continue;
                }
                let label_of = |end: EntityId| -> Result<String> {
                    Ok(if end == id {
                        after.label.clone()
                    } else {
                        entity(&self.tx, end)?.label
                    })
                };
                let (head, tail) = (label_of(relation.head)?, label_of(relation.tail)?);
                let fits = super::schema::relation_type_placed(&self.tx, &relation.kind)?
                    .is_some_and(|(kind, _)| kind.allows(&head, &tail));
                if !fits {
                    self.delete_relation(relation.id)?;
                }
            }
        }
        rows::put_entity(&self.tx, id, &Some(after.clone()))?;
        self.touch(after.document_id);
        self.ops.push(Op::Entity {
            id,
            before: Some(before),
            after: Some(after.clone()),
        });
        Ok(after)
    }

    /// The suggested and accepted relations with `id` as head or tail.
    fn live_relations_of(&self, id: EntityId) -> Result<Vec<Relation>> {
        self.tx
            .prepare_cached(&format!(
                "SELECT {} FROM relations WHERE (head_id = ?1 OR tail_id = ?1) AND status IN (?2, ?3) ORDER BY id",
                rows::RELATION_COLUMNS
            ))?
            .query_map(
                params![id.0, Status::Suggested.as_str(), Status::Accepted.as_str()],
                rows::relation_from_row,
            )?
            .collect::<Result<_>>()
    }

    /// Deletes an entity and, in the same action, every relation that uses it.
    pub fn delete_entity(&mut self, id: EntityId) -> Result<()> {
        let before = self.entity_locked(id)?;
        let linked: Vec<i64> = self
            .tx
            .prepare("SELECT id FROM relations WHERE head_id = ?1 OR tail_id = ?1 ORDER BY id")?
            .query_map(params![id.0], |row| row.get(0))?
            .collect::<Result<_>>()?;
        for relation_id in linked {
            self.delete_relation(RelationId(relation_id))?;
        }
        rows::put_entity(&self.tx, id, &None)?;
        self.touch(before.document_id);
        self.ops.push(Op::Entity {
            id,
            before: Some(before),
            after: None,
        });
        Ok(())
    }

    /// Adds a relation between two entities of the same document.
    pub fn add_relation(&mut self, new: &NewRelation) -> Result<Relation> {
        self.entity_locked(new.head)?;
        let head = entity(&self.tx, new.head)?;
        let tail = entity(&self.tx, new.tail)?;
        if head.document_id != tail.document_id {
            return Err(Error::Invalid("a relation links two entities of one document".into()));
        }
        if head.id == tail.id {
            return Err(Error::Invalid("a relation links two different entities".into()));
        }
        self.require_relation_fits(&new.kind, &head, &tail)?;
        let id = rows::insert_relation(
            &self.tx,
            &RelationRow {
                document_id: head.document_id,
                head: head.id,
                tail: tail.id,
                kind: &new.kind,
                status: new.status,
                source: &new.source,
                annotator: &self.annotator,
                created_at_ms: self.now_ms,
                updated_at_ms: self.now_ms,
            },
        )?;
        let relation = relation(&self.tx, id)?;
        self.touch(relation.document_id);
        self.ops.push(Op::Relation {
            id: relation.id,
            before: None,
            after: Some(relation.clone()),
        });
        Ok(relation)
    }

    /// Changes a relation through `change`; its ends and document cannot change. A change
    /// that changes nothing writes and logs nothing.
    pub fn update_relation(&mut self, id: RelationId, change: impl FnOnce(&mut Relation)) -> Result<Relation> {
        let before = self.relation_locked(id)?;
        let mut after = before.clone();
        change(&mut after);
        after.id = before.id;
        after.document_id = before.document_id;
        after.head = before.head;
        after.tail = before.tail;
        after.annotator = self.annotator.clone();
        if after == before {
            return Ok(before);
        }
        after.updated_at_ms = self.now_ms;
        if after.kind != before.kind {
            let (head, tail) = (entity(&self.tx, after.head)?, entity(&self.tx, after.tail)?);
            self.require_relation_fits(&after.kind, &head, &tail)?;
        }
        rows::put_relation(&self.tx, id, &Some(after.clone()))?;
        self.touch(after.document_id);
        self.ops.push(Op::Relation {
            id,
            before: Some(before),
            after: Some(after.clone()),
        });
        Ok(after)
    }

    pub fn delete_relation(&mut self, id: RelationId) -> Result<()> {
        let before = self.relation_locked(id)?;
        rows::put_relation(&self.tx, id, &None)?;
        self.touch(before.document_id);
        self.ops.push(Op::Relation {
            id,
            before: Some(before),
            after: None,
        });
        Ok(())
    }

    pub fn set_document_status(&mut self, id: DocumentId, status: DocStatus) -> Result<()> {
        self.lock(id)?;
        let before = document(&self.tx, id)?.status;
        if before == status {
            return Ok(());
        }
        set_doc_status(&self.tx, id, status)?;
        self.touch(id);
        self.ops.push(Op::DocumentStatus {
            id,
            before,
            after: status,
        });
        Ok(())
    }

    /// Checks the documents the action touched against the dataset invariants, then writes
    /// the action and its log entry. An action that would break an invariant is refused
    /// with an [`Error::Invalid`] and rolled back. An edit that changed nothing logs nothing.
    pub fn commit(self) -> Result<()> {
        if !self.ops.is_empty() {
            let documents = touched_documents(&self.tx, &self.ops)?;
            super::check::require_valid(&self.tx, &format!("{:?}", self.action), &documents)?;
            self.tx.execute(
                "DELETE FROM edit_log WHERE undone = TRUE AND annotator = ?1",
                params![&self.annotator],
            )?;
            if self.coalesce && self.fold_into_previous()? {
                self.tx.commit()?;
                return Ok(());
            }
            self.tx.execute(
                "INSERT INTO edit_log(action, annotator, document_id, ops, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    self.action,
                    self.annotator,
                    self.document_id.map(|d| d.0),
                    serde_json::to_string(&self.ops)?,
                    self.now_ms
                ],
            )?;
        }
        self.tx.commit()?;
        Ok(())
    }

    /// Makes this action fold into the annotator's previous one when both are the same
    /// action on the same single entity, with no other edit of the project between.
    pub fn coalesce(&mut self) {
        self.coalesce = true;
    }

    /// Replaces the previous log entry's `after` with this edit's, when it may: the
    /// latest entry of the project is this annotator's, not undone, the same action, and
    /// one op on the same entity whose `after` is this edit's `before`.
    fn fold_into_previous(&self) -> Result<bool> {
        let [Op::Entity { id, before, after }] = self.ops.as_slice() else {
            return Ok(false);
        };
        let previous: Option<(i64, String, String, bool, String)> = self
            .tx
            .query_row(
                "SELECT id, action, annotator, undone, ops FROM edit_log ORDER BY id DESC LIMIT 1",
                params![],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?)),
            )
            .optional()?;
        let Some((log_id, action, annotator, undone, ops)) = previous else {
            return Ok(false);
        };
        if undone || action != self.action || annotator != self.annotator {
            return Ok(false);
        }
        let previous_ops: Vec<Op> = serde_json::from_str(&ops)?;
        let [
            Op::Entity {
                id: previous_id,
                before: first_before,
                after: previous_after,
            },
        ] = previous_ops.as_slice()
        else {
            return Ok(false);
        };
        if previous_id != id || previous_after != before {
            return Ok(false);
        }
        let folded = [Op::Entity {
            id: *id,
            before: first_before.clone(),
            after: after.clone(),
        }];
        self.tx.execute(
            "UPDATE edit_log SET ops = ?1 WHERE id = ?2",
            params![serde_json::to_string(&folded)?, log_id],
        )?;
        Ok(true)
    }

    /// Refuses the edit, [`Error::Stale`], when entity `seen.id` is no longer as `seen`
    /// shows it (or is gone): someone else changed it since the caller read it. The row
    /// itself is its version: any change to it, its update time included, moves it on.
    /// Call it before changing a row that was read in an earlier transaction.
    pub fn expect_entity(&mut self, seen: &Entity) -> Result<()> {
        self.lock(seen.document_id)?;
        match rows::entity_if_any(&self.tx, seen.id)? {
            Some(now) if now == *seen => Ok(()),
            _ => Err(Error::Stale {
                what: format!("{} [{}, {}) {}", seen.label, seen.char_start, seen.char_end, seen.id),
            }),
        }
    }

    /// [`Edit::expect_entity`] for a relation.
    pub fn expect_relation(&mut self, seen: &Relation) -> Result<()> {
        self.lock(seen.document_id)?;
        match rows::relation_if_any(&self.tx, seen.id)? {
            Some(now) if now == *seen => Ok(()),
            _ => Err(Error::Stale {
                what: format!("relation {} {}", seen.kind, seen.id),
            }),
        }
    }

    /// Locks the document on a server, once an edit, so that two annotators' edits of one
    /// document queue and each checks the invariants on what the other committed.
    fn lock(&mut self, document_id: DocumentId) -> Result<()> {
        if self.locked.insert(document_id) {
            self.tx.lock_document(document_id.0)?;
        }
        Ok(())
    }

    /// Entity `id`, read again once its document is locked.
    fn entity_locked(&mut self, id: EntityId) -> Result<Entity> {
        let found = entity(&self.tx, id)?;
        if !self.tx.is_pg() || self.locked.contains(&found.document_id) {
            return Ok(found);
        }
        self.lock(found.document_id)?;
        entity(&self.tx, id)
    }

    fn relation_locked(&mut self, id: RelationId) -> Result<Relation> {
        let found = relation(&self.tx, id)?;
        if !self.tx.is_pg() || self.locked.contains(&found.document_id) {
            return Ok(found);
        }
        self.lock(found.document_id)?;
        relation(&self.tx, id)
    }

    fn touch(&mut self, document_id: DocumentId) {
        self.document_id.get_or_insert(document_id);
    }

    /// The relation type must exist and allow the head's and tail's labels.
    fn require_relation_fits(&self, kind: &str, head: &Entity, tail: &Entity) -> Result<()> {
        let Some((relation_type, _)) = super::schema::relation_type_placed(&self.tx, kind)? else {
            return Err(Error::Invalid(format!("unknown relation type {kind:?}")));
        };
        if !relation_type.allows(&head.label, &tail.label) {
            return Err(Error::Invalid(format!(
                "{kind} goes from {} to {}, not from {} to {}",
                or_any(&relation_type.head_labels),
                or_any(&relation_type.tail_labels),
                head.label,
                tail.label
            )));
        }
        Ok(())
    }

    /// The span must be non-empty and inside the document's text.
    fn require_span(&self, document_id: DocumentId, char_start: usize, char_end: usize) -> Result<()> {
        let text_chars: i64 = self
            .tx
            .query_row(
                "SELECT length(text) FROM documents WHERE id = ?1",
                params![document_id.0],
                |row| row.get(0),
            )
            .optional()?
            .ok_or_else(|| Error::Invalid(format!("no document {document_id}")))?;
        if char_start >= char_end || char_end as i64 > text_chars {
            return Err(Error::Invalid(format!(
                "span [{char_start}, {char_end}) is empty or past the end of document {document_id} ({text_chars} chars)"
            )));
        }
        Ok(())
    }

    fn require_label(&self, label: &str) -> Result<()> {
        if super::schema::label_placed(&self.tx, label)?.is_some() {
            Ok(())
        } else {
            Err(Error::Invalid(format!("unknown label {label:?}")))
        }
    }
}

/// Another connection holds the file: the step may work later, so the log stays as it is.
fn is_contention(e: &Error) -> bool {
    e.is_busy()
}

/// Writes the `before` states in reverse for undo, the `after` states in order for redo.
/// Returns the ops it applied.
fn apply_ops(conn: &Db, ops: &str, undo: bool) -> Result<Vec<Op>> {
    let ops: Vec<Op> = serde_json::from_str(ops)?;
    if undo {
        for op in ops.iter().rev() {
            op.restore(conn, true)?;
        }
    } else {
        for op in &ops {
            op.restore(conn, false)?;
        }
    }
    Ok(ops)
}

fn or_any(labels: &[String]) -> String {
    if labels.is_empty() {
        "any label".to_owned()
    } else {
        labels.join("/")
    }
}

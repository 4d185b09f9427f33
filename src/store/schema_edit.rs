//! Label and relation-type changes as logged edits. A removal logs the relations it
//! deletes, then the entities, then the schema row, so undo restores them in reverse.

use super::db::{Db, params};
use serde::{Deserialize, Serialize};

use super::edit::{Edit, Op};
use super::rows::{self, ENTITY_COLUMNS, RELATION_COLUMNS, entity_from_row, relation_from_row};
use super::schema::{label_placed, label_usage, relation_type_placed, relation_type_usage, validate_name};
use crate::model::{Entity, Label, Relation, RelationType};
use crate::{Error, Result};

/// A label or relation type with its position in the palette, as the log keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Placed<T> {
    pub value: T,
    pub position: i64,
}

impl<T> Placed<T> {
    fn new((value, position): (T, i64)) -> Self {
        Placed { value, position }
    }
}

impl Edit<'_> {
    /// Adds a label at the end of the palette.
    pub fn add_label(&mut self, label: &Label) -> Result<()> {
        self.require_curator("editing the schema")?;
        validate_name("label", &label.name)?;
        if label_placed(&self.tx, &label.name)?.is_some() {
            return Err(Error::Invalid(format!("label {} exists already", label.name)));
        }
        rows::insert_label(&self.tx, label, None)?;
        let after = label_placed(&self.tx, &label.name)?.map(Placed::new);
        self.ops.push(Op::Label { before: None, after });
        Ok(())
    }

    /// Changes a label. A new name reaches its entities through `ON UPDATE CASCADE` and
    /// relation-type constraints through the logged type changes made here.
    pub fn update_label(&mut self, old_name: &str, label: &Label) -> Result<()> {
        self.require_curator("editing the schema")?;
        validate_name("label", &label.name)?;
        let before = label_placed(&self.tx, old_name)?
            .map(Placed::new)
            .ok_or_else(|| Error::Invalid(format!("no label {old_name}")))?;
        let renamed = old_name != label.name;
        if renamed && label_placed(&self.tx, &label.name)?.is_some() {
            return Err(Error::Invalid(format!("label {} exists already", label.name)));
        }
        let after = Placed {
            value: label.clone(),
            position: before.position,
        };
        if before == after {
            return Ok(());
        }
        put_label(&self.tx, Some(&before), Some(&after))?;
        self.ops.push(Op::Label {
            before: Some(before),
            after: Some(after),
        });
        if renamed {
            for (kind, position) in super::schema::relation_types_placed(&self.tx)? {
                let rename = |labels: &[String]| -> Vec<String> {
                    labels
                        .iter()
                        .map(|l| if l == old_name { label.name.clone() } else { l.clone() })
                        .collect()
                };
                let changed = RelationType {
                    head_labels: rename(&kind.head_labels),
                    tail_labels: rename(&kind.tail_labels),
                    ..kind.clone()
                };
                if changed != kind {
                    self.change_relation_type(Placed { value: kind, position }, changed)?;
                }
            }
        }
        Ok(())
    }

    /// Removes a label. One in use is refused unless `delete_entities`: then its entities
    /// and their relations are deleted and logged too. Returns how many entities went.
    pub fn remove_label(&mut self, name: &str, delete_entities: bool) -> Result<usize> {
        self.require_curator("editing the schema")?;
        let n_used = label_usage(&self.tx, name)?;
        if n_used > 0 && !delete_entities {
            return Err(Error::Invalid(format!(
                "label {name} is used by {n_used} entities; removing it deletes them and their relations"
            )));
        }
        let before = label_placed(&self.tx, name)?
            .map(Placed::new)
            .ok_or_else(|| Error::Invalid(format!("no label {name}")))?;
        let entities: Vec<Entity> = self
            .tx
            .prepare(&format!(
                "SELECT {ENTITY_COLUMNS} FROM entities WHERE label = ?1 ORDER BY id"
            ))?
            .query_map(params![name], entity_from_row)?
            .collect::<Result<_>>()?;
        let relations: Vec<Relation> = self
            .tx
            .prepare(&format!(
                "SELECT {RELATION_COLUMNS} FROM relations
                 WHERE head_id IN (SELECT id FROM entities WHERE label = ?1)
                    OR tail_id IN (SELECT id FROM entities WHERE label = ?1)
                 ORDER BY id"
            ))?
            .query_map(params![name], relation_from_row)?
            .collect::<Result<_>>()?;
        self.delete_logged(relations, entities.clone())?;
        put_label(&self.tx, Some(&before), None)?;
        self.ops.push(Op::Label {
            before: Some(before),
            after: None,
        });
        Ok(entities.len())
    }

    /// Adds a relation type at the end of the list.
    pub fn add_relation_type(&mut self, kind: &RelationType) -> Result<()> {
        self.require_curator("editing the schema")?;
        validate_name("relation type", &kind.name)?;
        if relation_type_placed(&self.tx, &kind.name)?.is_some() {
            return Err(Error::Invalid(format!("relation type {} exists already", kind.name)));
        }
        rows::insert_relation_type(&self.tx, kind, None)?;
        let after = relation_type_placed(&self.tx, &kind.name)?.map(Placed::new);
        self.ops.push(Op::RelationType { before: None, after });
        Ok(())
    }

    /// Changes a relation type; a new name reaches its relations through `ON UPDATE CASCADE`.
    pub fn update_relation_type(&mut self, old_name: &str, kind: &RelationType) -> Result<()> {
        self.require_curator("editing the schema")?;
        validate_name("relation type", &kind.name)?;
        let before = relation_type_placed(&self.tx, old_name)?
            .map(Placed::new)
            .ok_or_else(|| Error::Invalid(format!("no relation type {old_name}")))?;
        if old_name != kind.name && relation_type_placed(&self.tx, &kind.name)?.is_some() {
            return Err(Error::Invalid(format!("relation type {} exists already", kind.name)));
        }
        if before.value != *kind {
            self.change_relation_type(before, kind.clone())?;
        }
        Ok(())
    }

    /// Removes a relation type. One in use is refused unless `delete_relations`; the
    /// relations deleted are logged. Returns how many relations went.
    pub fn remove_relation_type(&mut self, name: &str, delete_relations: bool) -> Result<usize> {
        self.require_curator("editing the schema")?;
        let n_used = relation_type_usage(&self.tx, name)?;
        if n_used > 0 && !delete_relations {
            return Err(Error::Invalid(format!(
                "relation type {name} is used by {n_used} relations; removing it deletes them"
            )));
        }
        let before = relation_type_placed(&self.tx, name)?
            .map(Placed::new)
            .ok_or_else(|| Error::Invalid(format!("no relation type {name}")))?;
        let relations: Vec<Relation> = self
            .tx
            .prepare(&format!(
                "SELECT {RELATION_COLUMNS} FROM relations WHERE kind = ?1 ORDER BY id"
            ))?
            .query_map(params![name], relation_from_row)?
            .collect::<Result<_>>()?;
        let n_deleted = relations.len();
        self.delete_logged(relations, Vec::new())?;
        put_relation_type(&self.tx, Some(&before), None)?;
        self.ops.push(Op::RelationType {
            before: Some(before),
            after: None,
        });
        Ok(n_deleted)
    }

    fn change_relation_type(&mut self, before: Placed<RelationType>, kind: RelationType) -> Result<()> {
        let after = Placed {
            value: kind,
            position: before.position,
        };
        put_relation_type(&self.tx, Some(&before), Some(&after))?;
        self.ops.push(Op::RelationType {
            before: Some(before),
            after: Some(after),
        });
        Ok(())
    }

    /// Deletes the relations, then the entities, logging each.
    fn delete_logged(&mut self, relations: Vec<Relation>, entities: Vec<Entity>) -> Result<()> {
        for relation in relations {
            rows::put_relation(&self.tx, relation.id, &None)?;
            self.ops.push(Op::Relation {
                id: relation.id,
                before: Some(relation),
                after: None,
            });
        }
        for entity in entities {
            rows::put_entity(&self.tx, entity.id, &None)?;
            self.ops.push(Op::Entity {
                id: entity.id,
                before: Some(entity),
                after: None,
            });
        }
        Ok(())
    }
}

/// Moves a label from state `from` to state `to`: insert, update (renames cascade) or delete.
pub(super) fn put_label(conn: &Db, from: Option<&Placed<Label>>, to: Option<&Placed<Label>>) -> Result<()> {
    match (from, to) {
        (None, None) => {}
        (None, Some(to)) => rows::insert_label(conn, &to.value, Some(to.position))?,
        (Some(from), None) => {
            let n = conn.execute("DELETE FROM labels WHERE name = ?1", params![&from.value.name])?;
            require_one(n, "label", &from.value.name)?;
        }
        (Some(from), Some(to)) => {
            let l = &to.value;
            let n = conn.execute(
                "UPDATE labels SET name = ?1, display_name = ?2, color = ?3, hotkey = ?4, description = ?5,
                 position = ?6 WHERE name = ?7",
                params![
                    l.name,
                    l.display_name,
                    l.color,
                    l.hotkey,
                    l.description,
                    to.position,
                    from.value.name
                ],
            )?;
            require_one(n, "label", &from.value.name)?;
        }
    }
    Ok(())
}

/// Moves a relation type from state `from` to state `to`.
pub(super) fn put_relation_type(
    conn: &Db,
    from: Option<&Placed<RelationType>>,
    to: Option<&Placed<RelationType>>,
) -> Result<()> {
    match (from, to) {
        (None, None) => {}
        (None, Some(to)) => rows::insert_relation_type(conn, &to.value, Some(to.position))?,
        (Some(from), None) => {
            let n = conn.execute("DELETE FROM relation_types WHERE name = ?1", params![&from.value.name])?;
            require_one(n, "relation type", &from.value.name)?;
        }
        (Some(from), Some(to)) => {
            let k = &to.value;
            let n = conn.execute(
                "UPDATE relation_types SET name = ?1, description = ?2, head_labels = ?3, tail_labels = ?4,
                 hotkey = ?5, position = ?6 WHERE name = ?7",
                params![
                    k.name,
                    k.description,
                    serde_json::to_string(&k.head_labels)?,
                    serde_json::to_string(&k.tail_labels)?,
                    k.hotkey,
                    to.position,
                    from.value.name
                ],
            )?;
            require_one(n, "relation type", &from.value.name)?;
        }
    }
    Ok(())
}

fn require_one(n_changed: usize, what: &str, name: &str) -> Result<()> {
    if n_changed == 1 {
        Ok(())
    } else {
        Err(Error::Invalid(format!("no {what} {name}")))
    }
}

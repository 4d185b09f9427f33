//! Labels, relation types, schema import/export and the jieba user dictionary. Every
//! change to labels or relation types is an [`Edit`] and so lands in the edit log.

use super::db::{Db, OptionalExtension as _, Row, params};

use super::{Edit, Store};
use crate::model::{ANNOTATOR_SCHEMA, Label, RelationType};
use crate::text::UserDictEntry;
use crate::{Error, Result};

/// The meta key under which the app keeps the annotator's name; schema edits log it.
pub const ANNOTATOR_META_KEY: &str = "annotator";

impl Store {
    /// The labels in palette order.
    pub fn labels(&self) -> Result<Vec<Label>> {
        Ok(labels_placed(&self.db)?.into_iter().map(|(l, _)| l).collect())
    }

    /// The relation types in palette order.
    pub fn relation_types(&self) -> Result<Vec<RelationType>> {
        Ok(relation_types_placed(&self.db)?.into_iter().map(|(t, _)| t).collect())
    }

    /// Adds a label at the end of the palette.
    pub fn add_label(&mut self, label: &Label) -> Result<()> {
        let mut edit = self.schema_edit(&format!("add label {}", label.name))?;
        edit.add_label(label)?;
        edit.commit()
    }

    /// Changes a label, renaming it on every entity and relation-type constraint when its
    /// name changes, in one logged action.
    pub fn update_label(&mut self, old_name: &str, label: &Label) -> Result<()> {
        let mut edit = self.schema_edit(&format!("change label {old_name}"))?;
        edit.update_label(old_name, label)?;
        edit.commit()
    }

    /// How many entities carry a label.
    pub fn label_usage(&self, name: &str) -> Result<usize> {
        label_usage(&self.db, name)
    }

    /// Removes a label. One in use is refused, saying how many entities it has, unless
    /// `delete_entities`: then its entities and their relations go too, in the same
    /// logged action. Returns how many entities were deleted.
    pub fn remove_label(&mut self, name: &str, delete_entities: bool) -> Result<usize> {
        let mut edit = self.schema_edit(&format!("remove label {name}"))?;
        let deleted = edit.remove_label(name, delete_entities)?;
        edit.commit()?;
        Ok(deleted)
    }

    /// Adds a relation type at the end of the list.
    pub fn add_relation_type(&mut self, kind: &RelationType) -> Result<()> {
        let mut edit = self.schema_edit(&format!("add relation type {}", kind.name))?;
        edit.add_relation_type(kind)?;
        edit.commit()
    }

    /// Changes a relation type; a new name is carried to its relations.
    pub fn update_relation_type(&mut self, old_name: &str, kind: &RelationType) -> Result<()> {
        let mut edit = self.schema_edit(&format!("change relation type {old_name}"))?;
        edit.update_relation_type(old_name, kind)?;
        edit.commit()
    }

    /// How many relations have a type.
    pub fn relation_type_usage(&self, name: &str) -> Result<usize> {
        relation_type_usage(&self.db, name)
    }

    /// Removes a relation type. One in use is refused, saying how many relations it has,
    /// unless `delete_relations`. Returns how many relations were deleted.
    pub fn remove_relation_type(&mut self, name: &str, delete_relations: bool) -> Result<usize> {
        let mut edit = self.schema_edit(&format!("remove relation type {name}"))?;
        let deleted = edit.remove_relation_type(name, delete_relations)?;
        edit.commit()?;
        Ok(deleted)
    }

    /// The project's schema.
    pub fn schema(&self) -> Result<crate::schema::Schema> {
        Ok(crate::schema::Schema {
            labels: self.labels()?,
            relation_types: self.relation_types()?,
        })
    }

    /// Adds the labels and relation types of `schema` that the project lacks and updates
    /// those it has, in one logged action. Nothing is removed or renamed.
    pub fn import_schema(&mut self, schema: &crate::schema::Schema) -> Result<()> {
        for label in &schema.labels {
            validate_name("label", &label.name)?;
        }
        let known = self.labels()?;
        for kind in &schema.relation_types {
            validate_name("relation type", &kind.name)?;
            for label in kind.head_labels.iter().chain(&kind.tail_labels) {
                let defined = schema.labels.iter().chain(&known).any(|l| &l.name == label);
                if !defined {
                    return Err(Error::Invalid(format!(
                        "relation type {} names unknown label {label}",
                        kind.name
                    )));
                }
            }
        }
        let mut edit = self.schema_edit("import schema")?;
        for label in &schema.labels {
            if label_placed(&edit.tx, &label.name)?.is_some() {
                edit.update_label(&label.name, label)?;
            } else {
                edit.add_label(label)?;
            }
        }
        for kind in &schema.relation_types {
            if relation_type_placed(&edit.tx, &kind.name)?.is_some() {
                edit.update_relation_type(&kind.name, kind)?;
            } else {
                edit.add_relation_type(kind)?;
            }
        }
        edit.commit()
    }

    fn schema_edit(&mut self, action: &str) -> Result<Edit<'_>> {
        let annotator = self
            .meta(ANNOTATOR_META_KEY)?
            .unwrap_or_else(|| ANNOTATOR_SCHEMA.to_owned());
        self.edit(action, &annotator)
    }

    pub fn user_dict(&self) -> Result<Vec<UserDictEntry>> {
        let mut stmt = self.db.prepare("SELECT word, freq, pos FROM user_dict ORDER BY word")?;
        let rows = stmt.query_map(params![], |row| {
            Ok(UserDictEntry {
                word: row.get(0)?,
                freq: row.get::<Option<i64>>(1)?.map(|n| n as usize),
                pos: row.get(2)?,
            })
        })?;
        rows.collect::<Result<_>>()
    }

    /// Adds or replaces user dictionary words, in one transaction.
    pub fn add_user_dict(&mut self, entries: &[UserDictEntry]) -> Result<()> {
        self.require_role(crate::model::Role::Curator, "the user dictionary")?;
        let tx = self.db.write_transaction()?;
        {
            let mut stmt = tx.prepare(
                "INSERT INTO user_dict(word, freq, pos) VALUES (?1, ?2, ?3)
                 ON CONFLICT(word) DO UPDATE SET freq = excluded.freq, pos = excluded.pos",
            )?;
            for entry in entries {
                stmt.execute(params![entry.word, entry.freq.map(|n| n as i64), entry.pos])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}

/// Refuses a name [`crate::model::check_label_name`] refuses, saying what it names.
pub(super) fn validate_name(what: &str, name: &str) -> Result<()> {
    crate::model::check_label_name(name).map_err(|reason| Error::Invalid(format!("bad {what} name: {reason}")))
}

pub(super) fn label_usage(conn: &Db, name: &str) -> Result<usize> {
    Ok(
        conn.query_row("SELECT count(*) FROM entities WHERE label = ?1", params![name], |row| {
            row.get::<i64>(0)
        })? as usize,
    )
}

pub(super) fn relation_type_usage(conn: &Db, name: &str) -> Result<usize> {
    Ok(
        conn.query_row("SELECT count(*) FROM relations WHERE kind = ?1", params![name], |row| {
            row.get::<i64>(0)
        })? as usize,
    )
}

const LABEL_COLUMNS: &str = "name, display_name, color, hotkey, description, position";
const RELATION_TYPE_COLUMNS: &str = "name, description, head_labels, tail_labels, hotkey, position";

fn label_from_row(row: &Row) -> Result<(Label, i64)> {
    Ok((
        Label {
            name: row.get(0)?,
            display_name: row.get(1)?,
            color: row.get(2)?,
            hotkey: row.get(3)?,
            description: row.get(4)?,
        },
        row.get(5)?,
    ))
}

type RawRelationType = (String, String, String, String, Option<String>, i64);

fn raw_relation_type(row: &Row) -> Result<RawRelationType> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
    ))
}

fn parse_relation_type(
    (name, description, head, tail, hotkey, position): RawRelationType,
) -> Result<(RelationType, i64)> {
    Ok((
        RelationType {
            name,
            description,
            head_labels: serde_json::from_str(&head)?,
            tail_labels: serde_json::from_str(&tail)?,
            hotkey,
        },
        position,
    ))
}

/// Every label with its palette position, in palette order.
pub(super) fn labels_placed(conn: &Db) -> Result<Vec<(Label, i64)>> {
    let mut stmt = conn.prepare(&format!("SELECT {LABEL_COLUMNS} FROM labels ORDER BY position, name"))?;
    let rows = stmt.query_map(params![], label_from_row)?;
    rows.collect::<Result<_>>()
}

pub(super) fn label_placed(conn: &Db, name: &str) -> Result<Option<(Label, i64)>> {
    conn.query_row(
        &format!("SELECT {LABEL_COLUMNS} FROM labels WHERE name = ?1"),
        params![name],
        label_from_row,
    )
    .optional()
}

/// Every relation type with its list position, in list order.
pub(super) fn relation_types_placed(conn: &Db) -> Result<Vec<(RelationType, i64)>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {RELATION_TYPE_COLUMNS} FROM relation_types ORDER BY position, name"
    ))?;
    let rows = stmt.query_map(params![], raw_relation_type)?;
    rows.map(|row| parse_relation_type(row?)).collect()
}

pub(super) fn relation_type_placed(conn: &Db, name: &str) -> Result<Option<(RelationType, i64)>> {
    conn.query_row(
        &format!("SELECT {RELATION_TYPE_COLUMNS} FROM relation_types WHERE name = ?1"),
        params![name],
        raw_relation_type,
    )
    .optional()?
    .map(parse_relation_type)
    .transpose()
}

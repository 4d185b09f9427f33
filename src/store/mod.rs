//! The project file: one SQLite database. This is the only module that sees SQL.
//!
//! Invariants:
//! - Every user-level action is one transaction ([`Store::edit`] → [`Edit::commit`]), and
//!   an [`Edit`] logs the rows it changed so that [`Store::undo`] and [`Store::redo`] can
//!   walk back and forth, across restarts.
//! - Offsets are code points, half-open.
//! - WAL journal, foreign keys on, schema version in `PRAGMA user_version`.

mod migrations;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OptionalExtension as _, Row, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

pub use migrations::CURRENT_VERSION;

use crate::model::{
    AnnotatedDocument, DocStatus, Document, DocumentId, Entity, EntityId, IndexedRelation, Label, NewDocument,
    NewEntity, NewRelation, Relation, RelationId, RelationType, Status, StatusFilter,
};
use crate::schema;
use crate::text::UserDictEntry;
use crate::{Error, Result};

/// An open project file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// SHA-256 of a document text, lowercase hex: the key that makes re-imports no-ops.
pub fn content_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Unix time in milliseconds.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// What one import transaction did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub n_documents_added: usize,
    /// Documents skipped because a document with the same text is already in the project.
    pub n_documents_unchanged: usize,
    pub n_entities_added: usize,
    pub n_relations_added: usize,
    /// Labels that were not in the schema and were added to it.
    pub labels_added: Vec<String>,
    /// Relation types that were not in the schema and were added to it, unconstrained.
    pub relation_types_added: Vec<String>,
}

/// What [`Store::merge`] added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeSummary {
    pub n_documents_added: usize,
    pub n_entities_added: usize,
    pub n_relations_added: usize,
    pub labels_added: Vec<String>,
}

/// A line of the document list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentSummary {
    pub id: DocumentId,
    pub name: String,
    pub status: DocStatus,
    pub n_chars: usize,
    pub n_suggested: usize,
    pub n_accepted: usize,
}

/// Counts over the whole project.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectStats {
    pub n_documents: usize,
    pub n_chars: usize,
    /// Documents per status.
    pub documents_by_status: BTreeMap<String, usize>,
    /// Entities per label, then per status.
    pub entities: BTreeMap<String, BTreeMap<String, usize>>,
    /// Relations per type, then per status.
    pub relations: BTreeMap<String, BTreeMap<String, usize>>,
}

impl Store {
    /// Opens the project at `path`, creating it (and its folder) when missing, and
    /// upgrading an older schema.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let conn = Connection::open(path)?;
        Store::init(conn, path.to_path_buf(), true)
    }

    /// Opens an existing project; a missing file is an error rather than a new project.
    pub fn open_existing(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref();
        if !path.is_file() {
            return Err(Error::Invalid(format!(
                "no project at {} (create one with `biaozhu import --db {} FILES`)",
                path.display(),
                path.display()
            )));
        }
        Store::open(path)
    }

    /// A project that lives in memory only, for tests.
    pub fn open_in_memory() -> Result<Store> {
        Store::init(Connection::open_in_memory()?, PathBuf::from(":memory:"), false)
    }

    fn init(mut conn: Connection, path: PathBuf, on_disk: bool) -> Result<Store> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let not_a_project = |e: rusqlite::Error| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => Error::Invalid(format!(
                "{} is not a biaozhu project (not an SQLite file)",
                path.display()
            )),
            _ => Error::Sql(e),
        };
        if on_disk {
            let mode: String = conn
                .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
                .map_err(not_a_project)?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(Error::Invalid(format!(
                    "cannot use write-ahead logging for {} (journal mode {mode})",
                    path.display()
                )));
            }
            conn.pragma_update(None, "synchronous", "FULL")?;
        }
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrate(&mut conn, &path)?;
        Ok(Store { conn, path })
    }

    /// Where the project lives (`:memory:` for an in-memory one).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| row.get(0))
            .optional()?)
    }

    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    // ---- schema -------------------------------------------------------------------------

    /// The labels in palette order.
    pub fn labels(&self) -> Result<Vec<Label>> {
        let mut stmt = self
            .conn
            .prepare("SELECT name, display_name, color, hotkey, description FROM labels ORDER BY position, name")?;
        let rows = stmt.query_map([], |row| {
            Ok(Label {
                name: row.get(0)?,
                display_name: row.get(1)?,
                color: row.get(2)?,
                hotkey: row.get(3)?,
                description: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The relation types in palette order.
    pub fn relation_types(&self) -> Result<Vec<RelationType>> {
        let mut stmt = self.conn.prepare(
            "SELECT name, description, head_labels, tail_labels, hotkey FROM relation_types ORDER BY position, name",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, Option<String>>(4)?,
            ))
        })?;
        let mut types = Vec::new();
        for row in rows {
            let (name, description, head, tail, hotkey) = row?;
            types.push(RelationType {
                name,
                description,
                head_labels: serde_json::from_str(&head)?,
                tail_labels: serde_json::from_str(&tail)?,
                hotkey,
            });
        }
        Ok(types)
    }

    /// Adds a label at the end of the palette.
    pub fn add_label(&mut self, label: &Label) -> Result<()> {
        validate_name("label", &label.name)?;
        let exists: bool = self.conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM labels WHERE name = ?1)",
            [&label.name],
            |row| row.get(0),
        )?;
        if exists {
            return Err(Error::Invalid(format!("label {} exists already", label.name)));
        }
        self.conn.execute(
            "INSERT INTO labels(name, display_name, color, hotkey, description, position)
             VALUES (?1, ?2, ?3, ?4, ?5, (SELECT coalesce(max(position), -1) + 1 FROM labels))",
            params![
                label.name,
                label.display_name,
                label.color,
                label.hotkey,
                label.description
            ],
        )?;
        Ok(())
    }

    /// Changes a label, renaming it on every entity and relation-type constraint when its
    /// name changes, in one transaction.
    pub fn update_label(&mut self, old_name: &str, label: &Label) -> Result<()> {
        validate_name("label", &label.name)?;
        let tx = self.conn.transaction()?;
        let changed = tx.execute(
            "UPDATE labels SET name = ?1, display_name = ?2, color = ?3, hotkey = ?4, description = ?5 WHERE name = ?6",
            params![
                label.name,
                label.display_name,
                label.color,
                label.hotkey,
                label.description,
                old_name
            ],
        )?;
        if changed == 0 {
            return Err(Error::Invalid(format!("no label {old_name}")));
        }
        if old_name != label.name {
            let types: Vec<(String, String, String)> = tx
                .prepare("SELECT name, head_labels, tail_labels FROM relation_types")?
                .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (name, head, tail) in types {
                let rename = |json: &str| -> Result<String> {
                    let labels: Vec<String> = serde_json::from_str(json)?;
                    let renamed: Vec<String> = labels
                        .into_iter()
                        .map(|l| if l == old_name { label.name.clone() } else { l })
                        .collect();
                    Ok(serde_json::to_string(&renamed)?)
                };
                tx.execute(
                    "UPDATE relation_types SET head_labels = ?1, tail_labels = ?2 WHERE name = ?3",
                    params![rename(&head)?, rename(&tail)?, name],
                )?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// How many entities carry a label.
    pub fn label_usage(&self, name: &str) -> Result<usize> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM entities WHERE label = ?1", [name], |row| {
                row.get::<_, i64>(0)
            })? as usize)
    }

    /// Removes a label. One in use is refused, saying how many entities it has, unless
    /// `delete_entities`: then its entities and their relations go too, in the same
    /// transaction. Returns how many entities were deleted.
    pub fn remove_label(&mut self, name: &str, delete_entities: bool) -> Result<usize> {
        let n_used = self.label_usage(name)?;
        if n_used > 0 && !delete_entities {
            return Err(Error::Invalid(format!(
                "label {name} is used by {n_used} entities; removing it deletes them and their relations"
            )));
        }
        let tx = self.conn.transaction()?;
        let deleted = tx.execute("DELETE FROM entities WHERE label = ?1", [name])?;
        if tx.execute("DELETE FROM labels WHERE name = ?1", [name])? == 0 {
            return Err(Error::Invalid(format!("no label {name}")));
        }
        tx.commit()?;
        Ok(deleted)
    }

    /// Adds a relation type at the end of the list.
    pub fn add_relation_type(&mut self, kind: &RelationType) -> Result<()> {
        validate_name("relation type", &kind.name)?;
        let exists: bool = self.conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM relation_types WHERE name = ?1)",
            [&kind.name],
            |row| row.get(0),
        )?;
        if exists {
            return Err(Error::Invalid(format!("relation type {} exists already", kind.name)));
        }
        self.conn.execute(
            "INSERT INTO relation_types(name, description, head_labels, tail_labels, hotkey, position)
             VALUES (?1, ?2, ?3, ?4, ?5, (SELECT coalesce(max(position), -1) + 1 FROM relation_types))",
            params![
                kind.name,
                kind.description,
                serde_json::to_string(&kind.head_labels)?,
                serde_json::to_string(&kind.tail_labels)?,
                kind.hotkey
            ],
        )?;
        Ok(())
    }

    /// Changes a relation type; a new name is carried to its relations.
    pub fn update_relation_type(&mut self, old_name: &str, kind: &RelationType) -> Result<()> {
        validate_name("relation type", &kind.name)?;
        let changed = self.conn.execute(
            "UPDATE relation_types SET name = ?1, description = ?2, head_labels = ?3, tail_labels = ?4, hotkey = ?5
             WHERE name = ?6",
            params![
                kind.name,
                kind.description,
                serde_json::to_string(&kind.head_labels)?,
                serde_json::to_string(&kind.tail_labels)?,
                kind.hotkey,
                old_name
            ],
        )?;
        if changed == 0 {
            return Err(Error::Invalid(format!("no relation type {old_name}")));
        }
        Ok(())
    }

    /// How many relations have a type.
    pub fn relation_type_usage(&self, name: &str) -> Result<usize> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM relations WHERE kind = ?1", [name], |row| {
                row.get::<_, i64>(0)
            })? as usize)
    }

    /// Removes a relation type. One in use is refused, saying how many relations it has,
    /// unless `delete_relations`. Returns how many relations were deleted.
    pub fn remove_relation_type(&mut self, name: &str, delete_relations: bool) -> Result<usize> {
        let n_used = self.relation_type_usage(name)?;
        if n_used > 0 && !delete_relations {
            return Err(Error::Invalid(format!(
                "relation type {name} is used by {n_used} relations; removing it deletes them"
            )));
        }
        let tx = self.conn.transaction()?;
        let deleted = tx.execute("DELETE FROM relations WHERE kind = ?1", [name])?;
        if tx.execute("DELETE FROM relation_types WHERE name = ?1", [name])? == 0 {
            return Err(Error::Invalid(format!("no relation type {name}")));
        }
        tx.commit()?;
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
    /// those it has, in one transaction. Nothing is removed.
    pub fn import_schema(&mut self, schema: &crate::schema::Schema) -> Result<()> {
        for label in &schema.labels {
            validate_name("label", &label.name)?;
        }
        for kind in &schema.relation_types {
            validate_name("relation type", &kind.name)?;
            for label in kind.head_labels.iter().chain(&kind.tail_labels) {
                let defined =
                    schema.labels.iter().any(|l| &l.name == label) || self.labels()?.iter().any(|l| &l.name == label);
                if !defined {
                    return Err(Error::Invalid(format!(
                        "relation type {} names unknown label {label}",
                        kind.name
                    )));
                }
            }
        }
        let tx = self.conn.transaction()?;
        for label in &schema.labels {
            tx.execute(
                "INSERT INTO labels(name, display_name, color, hotkey, description, position)
                 VALUES (?1, ?2, ?3, ?4, ?5, (SELECT coalesce(max(position), -1) + 1 FROM labels))
                 ON CONFLICT(name) DO UPDATE SET display_name = excluded.display_name, color = excluded.color,
                 hotkey = excluded.hotkey, description = excluded.description",
                params![
                    label.name,
                    label.display_name,
                    label.color,
                    label.hotkey,
                    label.description
                ],
            )?;
        }
        for kind in &schema.relation_types {
            tx.execute(
                "INSERT INTO relation_types(name, description, head_labels, tail_labels, hotkey, position)
                 VALUES (?1, ?2, ?3, ?4, ?5, (SELECT coalesce(max(position), -1) + 1 FROM relation_types))
                 ON CONFLICT(name) DO UPDATE SET description = excluded.description, head_labels = excluded.head_labels,
                 tail_labels = excluded.tail_labels, hotkey = excluded.hotkey",
                params![
                    kind.name,
                    kind.description,
                    serde_json::to_string(&kind.head_labels)?,
                    serde_json::to_string(&kind.tail_labels)?,
                    kind.hotkey
                ],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    // ---- documents ----------------------------------------------------------------------

    /// Every document, in id order, with its annotation counts.
    pub fn documents(&self) -> Result<Vec<DocumentSummary>> {
        let mut stmt = self.conn.prepare(
            "SELECT d.id, d.name, d.status, length(d.text),
                    (SELECT count(*) FROM entities e WHERE e.document_id = d.id AND e.status = 'suggested'),
                    (SELECT count(*) FROM entities e WHERE e.document_id = d.id AND e.status = 'accepted')
             FROM documents d ORDER BY d.id",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok(DocumentSummary {
                id: DocumentId(row.get(0)?),
                name: row.get(1)?,
                status: parse_doc_status(row, 2)?,
                n_chars: row.get::<_, i64>(3)? as usize,
                n_suggested: row.get::<_, i64>(4)? as usize,
                n_accepted: row.get::<_, i64>(5)? as usize,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn document(&self, id: DocumentId) -> Result<Document> {
        document(&self.conn, id)
    }

    /// The entities of a document in text order.
    pub fn entities(&self, document_id: DocumentId, filter: StatusFilter) -> Result<Vec<Entity>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ENTITY_COLUMNS} FROM entities WHERE document_id = ?1 ORDER BY char_start, char_end, id"
        ))?;
        let rows = stmt.query_map([document_id.0], entity_from_row)?;
        let mut entities = Vec::new();
        for entity in rows {
            let entity = entity?;
            if filter.admits(entity.status) {
                entities.push(entity);
            }
        }
        Ok(entities)
    }

    /// The relations of a document, in id order.
    pub fn relations(&self, document_id: DocumentId, filter: StatusFilter) -> Result<Vec<Relation>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {RELATION_COLUMNS} FROM relations WHERE document_id = ?1 ORDER BY id"
        ))?;
        let rows = stmt.query_map([document_id.0], relation_from_row)?;
        let mut relations = Vec::new();
        for relation in rows {
            let relation = relation?;
            if filter.admits(relation.status) {
                relations.push(relation);
            }
        }
        Ok(relations)
    }

    pub fn entity(&self, id: EntityId) -> Result<Entity> {
        entity(&self.conn, id)
    }

    pub fn relation(&self, id: RelationId) -> Result<Relation> {
        relation(&self.conn, id)
    }

    /// Project-wide counts.
    pub fn stats(&self) -> Result<ProjectStats> {
        let mut stats = ProjectStats::default();
        let (n_documents, n_chars): (i64, i64) = self.conn.query_row(
            "SELECT count(*), coalesce(sum(length(text)), 0) FROM documents",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        stats.n_documents = n_documents as usize;
        stats.n_chars = n_chars as usize;
        let grouped = |sql: &str| -> Result<Vec<(String, String, usize)>> {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get::<_, i64>(2)? as usize)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        for (status, _, n) in grouped("SELECT status, '', count(*) FROM documents GROUP BY status")? {
            stats.documents_by_status.insert(status, n);
        }
        for (label, status, n) in grouped("SELECT label, status, count(*) FROM entities GROUP BY label, status")? {
            stats.entities.entry(label).or_default().insert(status, n);
        }
        for (kind, status, n) in grouped("SELECT kind, status, count(*) FROM relations GROUP BY kind, status")? {
            stats.relations.entry(kind).or_default().insert(status, n);
        }
        Ok(stats)
    }

    /// Every document with its entities and relations, for export: three queries in
    /// document order, however many documents. `filter` and `annotator` choose the layer;
    /// rejected annotations come only with [`StatusFilter::All`].
    pub fn layers(&self, filter: StatusFilter, annotator: Option<&str>) -> Result<Vec<AnnotatedDocument>> {
        let mut layers: Vec<AnnotatedDocument> = {
            let mut stmt = self.conn.prepare("SELECT id, name, text FROM documents ORDER BY id")?;
            let rows = stmt.query_map([], |row| {
                Ok(AnnotatedDocument {
                    id: DocumentId(row.get(0)?),
                    name: row.get(1)?,
                    text: row.get(2)?,
                    entities: Vec::new(),
                    relations: Vec::new(),
                })
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let index_of: HashMap<DocumentId, usize> = layers.iter().enumerate().map(|(i, l)| (l.id, i)).collect();
        let keep = |status: Status, who: &str| filter.admits(status) && annotator.is_none_or(|a| a == who);
        {
            let mut stmt = self.conn.prepare(&format!(
                "SELECT {ENTITY_COLUMNS} FROM entities ORDER BY document_id, char_start, char_end, id"
            ))?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let entity = entity_from_row(row)?;
                if keep(entity.status, &entity.annotator)
                    && let Some(i) = index_of.get(&entity.document_id)
                {
                    layers[*i].entities.push(entity);
                }
            }
        }
        {
            let mut stmt = self.conn.prepare(&format!(
                "SELECT {RELATION_COLUMNS} FROM relations ORDER BY document_id, id"
            ))?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let relation = relation_from_row(row)?;
                if keep(relation.status, &relation.annotator)
                    && let Some(i) = index_of.get(&relation.document_id)
                {
                    layers[*i].relations.push(relation);
                }
            }
        }
        for layer in &mut layers {
            layer.retain_linked_relations();
        }
        Ok(layers)
    }

    /// The annotators with accepted annotations, sorted; the pre-tagger is not one.
    pub fn annotators(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT annotator FROM entities WHERE status = 'accepted' AND annotator != 'pretag' ORDER BY annotator",
        )?;
        let rows = stmt.query_map([], |row| row.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Brings every document, entity and relation of `source` into this project in one
    /// transaction. Documents are matched by content hash; annotations keep their
    /// annotator, status, source and times, and one already here (same span, label,
    /// annotator and status; same ends, type, annotator and status) is not added twice,
    /// so merging again changes nothing.
    pub fn merge(&mut self, source: &Store) -> Result<MergeSummary> {
        let mut summary = MergeSummary::default();
        let source_documents = source.documents()?;
        let tx = self.conn.transaction()?;
        for summary_row in &source_documents {
            let document = source.document(summary_row.id)?;
            let existing: Option<i64> = tx
                .query_row(
                    "SELECT id FROM documents WHERE content_hash = ?1",
                    [&document.content_hash],
                    |row| row.get(0),
                )
                .optional()?;
            let target_id = match existing {
                Some(id) => id,
                None => {
                    tx.execute(
                        "INSERT INTO documents(name, source_path, content_hash, text, status, metadata, encoding, created_at_ms, updated_at_ms)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                        params![
                            document.name,
                            document.source_path,
                            document.content_hash,
                            document.text,
                            document.status.as_str(),
                            serde_json::to_string(&document.metadata)?,
                            document.encoding,
                            document.created_at_ms,
                            document.updated_at_ms
                        ],
                    )?;
                    summary.n_documents_added += 1;
                    tx.last_insert_rowid()
                }
            };
            let mut id_map: HashMap<EntityId, i64> = HashMap::new();
            for entity in source.entities(document.id, StatusFilter::All)? {
                if !self_has_label(&tx, &entity.label)? {
                    insert_label(&tx, &entity.label)?;
                    summary.labels_added.push(entity.label.clone());
                }
                let found: Option<i64> = tx
                    .query_row(
                        "SELECT id FROM entities WHERE document_id = ?1 AND char_start = ?2 AND char_end = ?3
                         AND label = ?4 AND annotator = ?5 AND status = ?6",
                        params![
                            target_id,
                            entity.char_start as i64,
                            entity.char_end as i64,
                            entity.label,
                            entity.annotator,
                            entity.status.as_str()
                        ],
                        |row| row.get(0),
                    )
                    .optional()?;
                let id = match found {
                    Some(id) => id,
                    None => {
                        tx.execute(
                            "INSERT INTO entities(document_id, char_start, char_end, label, status, source, confidence, annotator, created_at_ms, updated_at_ms)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                            params![
                                target_id,
                                entity.char_start as i64,
                                entity.char_end as i64,
                                entity.label,
                                entity.status.as_str(),
                                entity.source,
                                entity.confidence,
                                entity.annotator,
                                entity.created_at_ms,
                                entity.updated_at_ms
                            ],
                        )?;
                        summary.n_entities_added += 1;
                        tx.last_insert_rowid()
                    }
                };
                id_map.insert(entity.id, id);
            }
            for relation in source.relations(document.id, StatusFilter::All)? {
                let (Some(head), Some(tail)) = (id_map.get(&relation.head), id_map.get(&relation.tail)) else {
                    continue;
                };
                let known: bool = tx.query_row(
                    "SELECT EXISTS(SELECT 1 FROM relation_types WHERE name = ?1)",
                    [&relation.kind],
                    |row| row.get(0),
                )?;
                if !known {
                    insert_relation_type(&tx, &relation.kind)?;
                }
                let exists: bool = tx.query_row(
                    "SELECT EXISTS(SELECT 1 FROM relations WHERE head_id = ?1 AND tail_id = ?2 AND kind = ?3
                     AND annotator = ?4 AND status = ?5)",
                    params![head, tail, relation.kind, relation.annotator, relation.status.as_str()],
                    |row| row.get(0),
                )?;
                if !exists {
                    tx.execute(
                        "INSERT INTO relations(document_id, head_id, tail_id, kind, status, source, annotator, created_at_ms, updated_at_ms)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                        params![
                            target_id,
                            head,
                            tail,
                            relation.kind,
                            relation.status.as_str(),
                            relation.source,
                            relation.annotator,
                            relation.created_at_ms,
                            relation.updated_at_ms
                        ],
                    )?;
                    summary.n_relations_added += 1;
                }
            }
        }
        tx.commit()?;
        Ok(summary)
    }

    /// When each accepted entity was last changed, Unix ms, oldest first: the curve of work done.
    pub fn accepted_times(&self) -> Result<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare("SELECT updated_at_ms FROM entities WHERE status = 'accepted' ORDER BY updated_at_ms")?;
        let rows = stmt.query_map([], |row| row.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    // ---- user dictionary ----------------------------------------------------------------

    pub fn user_dict(&self) -> Result<Vec<UserDictEntry>> {
        let mut stmt = self
            .conn
            .prepare("SELECT word, freq, pos FROM user_dict ORDER BY word")?;
        let rows = stmt.query_map([], |row| {
            Ok(UserDictEntry {
                word: row.get(0)?,
                freq: row.get::<_, Option<i64>>(1)?.map(|n| n as usize),
                pos: row.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds or replaces user dictionary words, in one transaction.
    pub fn add_user_dict(&mut self, entries: &[UserDictEntry]) -> Result<()> {
        let tx = self.conn.transaction()?;
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

    // ---- import -------------------------------------------------------------------------

    /// Imports documents with their annotations in one transaction: all of them or none.
    /// A document whose text is already in the project is skipped. Labels and relation
    /// types the schema lacks are added to it and reported.
    pub fn import_documents(
        &mut self,
        documents: &[NewDocument],
        on_progress: &mut dyn FnMut(usize),
    ) -> Result<ImportSummary> {
        let tx = self.conn.transaction()?;
        let mut summary = ImportSummary::default();
        let mut known_labels: HashSet<String> = tx
            .prepare("SELECT name FROM labels")?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut known_types: HashSet<String> = tx
            .prepare("SELECT name FROM relation_types")?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let now = now_ms();
        {
            let mut exists = tx.prepare("SELECT 1 FROM documents WHERE content_hash = ?1")?;
            let mut insert_document = tx.prepare(
                "INSERT INTO documents(name, source_path, content_hash, text, metadata, encoding, created_at_ms, updated_at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            )?;
            let mut insert_entity = tx.prepare(
                "INSERT INTO entities(document_id, char_start, char_end, label, status, source, confidence, annotator, created_at_ms, updated_at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
            )?;
            let mut insert_relation = tx.prepare(
                "INSERT INTO relations(document_id, head_id, tail_id, kind, status, source, annotator, created_at_ms, updated_at_ms)
                 VALUES (?1, ?2, ?3, ?4, 'accepted', ?5, ?6, ?7, ?7)",
            )?;
            for (i, document) in documents.iter().enumerate() {
                let hash = content_hash(&document.text);
                if exists.exists([&hash])? {
                    summary.n_documents_unchanged += 1;
                    on_progress(i + 1);
                    continue;
                }
                insert_document.execute(params![
                    document.name,
                    document.source_path,
                    hash,
                    document.text,
                    serde_json::to_string(&document.metadata)?,
                    document.encoding,
                    now
                ])?;
                let document_id = tx.last_insert_rowid();
                let mut entity_ids = Vec::with_capacity(document.entities.len());
                for entity in &document.entities {
                    if known_labels.insert(entity.label.clone()) {
                        insert_label(&tx, &entity.label)?;
                        summary.labels_added.push(entity.label.clone());
                    }
                    insert_entity.execute(params![
                        document_id,
                        entity.char_start as i64,
                        entity.char_end as i64,
                        entity.label,
                        entity.status.as_str(),
                        entity.source,
                        entity.confidence,
                        entity.annotator,
                        now
                    ])?;
                    entity_ids.push(tx.last_insert_rowid());
                }
                for IndexedRelation {
                    head,
                    tail,
                    kind,
                    source,
                    ..
                } in &document.relations
                {
                    let (Some(head_id), Some(tail_id)) = (entity_ids.get(*head), entity_ids.get(*tail)) else {
                        return Err(Error::Invalid(format!(
                            "relation {kind} in {} points at a missing entity",
                            document.name
                        )));
                    };
                    if known_types.insert(kind.clone()) {
                        insert_relation_type(&tx, kind)?;
                        summary.relation_types_added.push(kind.clone());
                    }
                    insert_relation.execute(params![
                        document_id,
                        head_id,
                        tail_id,
                        kind,
                        source,
                        document.relation_annotator,
                        now
                    ])?;
                }
                summary.n_documents_added += 1;
                summary.n_entities_added += document.entities.len();
                summary.n_relations_added += document.relations.len();
                on_progress(i + 1);
            }
        }
        tx.commit()?;
        Ok(summary)
    }

    // ---- suggestions --------------------------------------------------------------------

    /// Makes `suggestions` the document's pre-tagged layer, in one transaction. Accepted
    /// and rejected entities are never touched: a suggestion that overlaps an accepted
    /// entity, or repeats a rejected one (same span and label), is dropped. Existing
    /// suggestions that are offered again keep their id, so running twice changes nothing.
    ///
    /// `relations` link suggestions by index. A relation whose end was dropped links the
    /// accepted entity with the same span and label instead, or is dropped too; one that
    /// repeats a rejected relation is not offered again.
    pub fn replace_suggestions(
        &mut self,
        document_id: DocumentId,
        suggestions: &[NewEntity],
        relations: &[IndexedRelation],
    ) -> Result<SuggestionChange> {
        let tx = self.conn.transaction()?;
        let existing: Vec<Entity> = {
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT {ENTITY_COLUMNS} FROM entities WHERE document_id = ?1 ORDER BY char_start, char_end, id"
            ))?;
            stmt.query_map([document_id.0], entity_from_row)?
                .collect::<rusqlite::Result<_>>()?
        };
        let pinned: HashSet<i64> = tx
            .prepare_cached(
                "SELECT head_id FROM relations WHERE document_id = ?1 AND status != 'suggested'
                 UNION SELECT tail_id FROM relations WHERE document_id = ?1 AND status != 'suggested'",
            )?
            .query_map([document_id.0], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let same =
            |e: &Entity, s: &NewEntity| e.char_start == s.char_start && e.char_end == s.char_end && e.label == s.label;
        let blocked = |s: &NewEntity| {
            existing.iter().any(|e| match e.status {
                Status::Accepted => e.span().overlaps(crate::model::CharSpan::new(s.char_start, s.char_end)),
                Status::Rejected => same(e, s),
                Status::Suggested => false,
            })
        };
        let wanted: Vec<bool> = suggestions.iter().map(|s| !blocked(s)).collect();
        let mut change = SuggestionChange::default();
        for e in existing.iter().filter(|e| e.status == Status::Suggested) {
            let offered = suggestions.iter().zip(&wanted).any(|(s, w)| *w && same(e, s));
            if !pinned.contains(&e.id.0) && !offered {
                tx.execute("DELETE FROM entities WHERE id = ?1", [e.id.0])?;
                change.n_removed += 1;
            }
        }
        let now = now_ms();
        let known_labels: HashSet<String> = tx
            .prepare_cached("SELECT name FROM labels")?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        // The stored entity each suggestion stands for: an accepted twin, a kept suggestion
        // or the row inserted now.
        let mut id_of: Vec<Option<i64>> = Vec::with_capacity(suggestions.len());
        for (s, wanted) in suggestions.iter().zip(&wanted) {
            let accepted_twin = existing.iter().find(|e| e.status == Status::Accepted && same(e, s));
            let kept = existing.iter().find(|e| e.status == Status::Suggested && same(e, s));
            let id = if let Some(twin) = accepted_twin {
                Some(twin.id.0)
            } else if !*wanted {
                None
            } else if let Some(kept) = kept {
                change.n_kept += 1;
                Some(kept.id.0)
            } else if known_labels.contains(&s.label) {
                tx.execute(
                    "INSERT INTO entities(document_id, char_start, char_end, label, status, source, confidence, annotator, created_at_ms, updated_at_ms)
                     VALUES (?1, ?2, ?3, ?4, 'suggested', ?5, ?6, ?7, ?8, ?8)",
                    params![
                        document_id.0,
                        s.char_start as i64,
                        s.char_end as i64,
                        s.label,
                        s.source,
                        s.confidence,
                        s.annotator,
                        now
                    ],
                )?;
                change.n_added += 1;
                Some(tx.last_insert_rowid())
            } else {
                None
            };
            id_of.push(id);
        }

        let known_types: HashSet<String> = tx
            .prepare_cached("SELECT name FROM relation_types")?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut wanted_relations: Vec<(i64, i64, &str, &str)> = Vec::new();
        for r in relations {
            let (Some(Some(head)), Some(Some(tail))) = (id_of.get(r.head), id_of.get(r.tail)) else {
                continue;
            };
            if head != tail && known_types.contains(&r.kind) {
                wanted_relations.push((*head, *tail, &r.kind, &r.source));
            }
        }
        type StoredRelation = (i64, i64, i64, String, String);
        let stored: Vec<StoredRelation> = tx
            .prepare_cached("SELECT id, head_id, tail_id, kind, status FROM relations WHERE document_id = ?1")?
            .query_map([document_id.0], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (id, head, tail, kind, status) in &stored {
            let still_wanted = wanted_relations
                .iter()
                .any(|w| (w.0, w.1, w.2) == (*head, *tail, kind.as_str()));
            if status == "suggested" && !still_wanted {
                // Deleting a suggested entity above may have taken its relations already.
                change.n_relations_removed += tx.execute("DELETE FROM relations WHERE id = ?1", [id])?;
            }
        }
        for (head, tail, kind, source) in wanted_relations {
            if stored.iter().any(|s| (s.1, s.2, s.3.as_str()) == (head, tail, kind)) {
                continue;
            }
            tx.execute(
                "INSERT INTO relations(document_id, head_id, tail_id, kind, status, source, annotator, created_at_ms, updated_at_ms)
                 VALUES (?1, ?2, ?3, ?4, 'suggested', ?5, 'pretag', ?6, ?6)",
                params![document_id.0, head, tail, kind, source, now],
            )?;
            change.n_relations_added += 1;
        }
        tx.commit()?;
        Ok(change)
    }

    /// The distinct `(text, label)` pairs of accepted entities, and of rejected ones, for
    /// the project gazetteer. Sorted.
    pub fn gazetteer_strings(&self) -> Result<(Vec<TextLabel>, Vec<TextLabel>)> {
        let pairs = |status: &str| -> Result<Vec<TextLabel>> {
            let mut stmt = self.conn.prepare(
                "SELECT DISTINCT substr(d.text, e.char_start + 1, e.char_end - e.char_start) AS piece, e.label
                 FROM entities e JOIN documents d ON d.id = e.document_id
                 WHERE e.status = ?1 ORDER BY piece, e.label",
            )?;
            let rows = stmt.query_map([status], |row| Ok((row.get(0)?, row.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        Ok((pairs("accepted")?, pairs("rejected")?))
    }

    // ---- edits, undo and redo -----------------------------------------------------------

    /// Starts one user-level action. Nothing is written until [`Edit::commit`]; dropping
    /// the edit rolls it back.
    pub fn edit(&mut self, action: &str, annotator: &str) -> Result<Edit<'_>> {
        Ok(Edit {
            tx: self.conn.transaction()?,
            action: action.to_owned(),
            annotator: annotator.to_owned(),
            document_id: None,
            ops: Vec::new(),
            now_ms: now_ms(),
        })
    }

    /// Reverts the latest action that is not undone yet. Returns what it reverted.
    pub fn undo(&mut self) -> Result<Option<LoggedAction>> {
        self.step_history(true)
    }

    /// Re-applies the earliest undone action. A new edit discards what could be redone.
    pub fn redo(&mut self) -> Result<Option<LoggedAction>> {
        self.step_history(false)
    }

    fn step_history(&mut self, undo: bool) -> Result<Option<LoggedAction>> {
        let tx = self.conn.transaction()?;
        let sql = if undo {
            "SELECT id, action, document_id, ops FROM edit_log WHERE undone = 0 ORDER BY id DESC LIMIT 1"
        } else {
            "SELECT id, action, document_id, ops FROM edit_log WHERE undone = 1 ORDER BY id ASC LIMIT 1"
        };
        let found = tx
            .query_row(sql, [], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, Option<i64>>(2)?,
                    row.get::<_, String>(3)?,
                ))
            })
            .optional()?;
        let Some((log_id, action, document_id, ops)) = found else {
            return Ok(None);
        };
        let ops: Vec<Op> = serde_json::from_str(&ops)?;
        if undo {
            for op in ops.iter().rev() {
                op.restore(&tx, true)?;
            }
        } else {
            for op in &ops {
                op.restore(&tx, false)?;
            }
        }
        tx.execute("UPDATE edit_log SET undone = ?1 WHERE id = ?2", params![undo, log_id])?;
        tx.commit()?;
        Ok(Some(LoggedAction {
            action,
            document_id: document_id.map(DocumentId),
        }))
    }

    /// Whether there is an action to undo, and one to redo.
    pub fn history_state(&self) -> Result<(bool, bool)> {
        let count = |undone: bool| -> Result<bool> {
            Ok(self.conn.query_row(
                "SELECT EXISTS(SELECT 1 FROM edit_log WHERE undone = ?1)",
                [undone],
                |row| row.get(0),
            )?)
        };
        Ok((count(false)?, count(true)?))
    }

    #[cfg(test)]
    pub(crate) fn connection(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

/// An entity's text and its label.
pub type TextLabel = (String, String);

/// What [`Store::replace_suggestions`] changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SuggestionChange {
    pub n_added: usize,
    pub n_removed: usize,
    pub n_kept: usize,
    pub n_relations_added: usize,
    pub n_relations_removed: usize,
}

impl SuggestionChange {
    /// Adds another document's change to this total.
    pub fn add(&mut self, other: SuggestionChange) {
        self.n_added += other.n_added;
        self.n_removed += other.n_removed;
        self.n_kept += other.n_kept;
        self.n_relations_added += other.n_relations_added;
        self.n_relations_removed += other.n_relations_removed;
    }
}

/// An action in the edit log, as undo or redo reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedAction {
    pub action: String,
    pub document_id: Option<DocumentId>,
}

/// One row's state before and after an edit. Undo writes `before` back; redo writes `after`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "table", rename_all = "snake_case")]
enum Op {
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
}

impl Op {
    fn restore(&self, conn: &Connection, to_before: bool) -> Result<()> {
        match self {
            Op::Entity { id, before, after } => put_entity(conn, *id, if to_before { before } else { after }),
            Op::Relation { id, before, after } => put_relation(conn, *id, if to_before { before } else { after }),
            Op::DocumentStatus { id, before, after } => {
                set_doc_status(conn, *id, if to_before { *before } else { *after })
            }
        }
    }
}

/// One user-level action in progress: a transaction that records what it changes.
pub struct Edit<'s> {
    tx: rusqlite::Transaction<'s>,
    action: String,
    annotator: String,
    document_id: Option<DocumentId>,
    ops: Vec<Op>,
    now_ms: i64,
}

impl Edit<'_> {
    /// Adds an entity; its annotator is the edit's.
    pub fn add_entity(&mut self, document_id: DocumentId, new: &NewEntity) -> Result<Entity> {
        self.require_span(document_id, new.char_start, new.char_end)?;
        self.require_label(&new.label)?;
        self.tx.execute(
            "INSERT INTO entities(document_id, char_start, char_end, label, status, source, confidence, annotator, created_at_ms, updated_at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
            params![
                document_id.0,
                new.char_start as i64,
                new.char_end as i64,
                new.label,
                new.status.as_str(),
                new.source,
                new.confidence,
                self.annotator,
                self.now_ms
            ],
        )?;
        let entity = entity(&self.tx, EntityId(self.tx.last_insert_rowid()))?;
        self.touch(document_id);
        self.ops.push(Op::Entity {
            id: entity.id,
            before: None,
            after: Some(entity.clone()),
        });
        Ok(entity)
    }

    /// Changes an entity through `change`; the id and document cannot change.
    pub fn update_entity(&mut self, id: EntityId, change: impl FnOnce(&mut Entity)) -> Result<Entity> {
        let before = entity(&self.tx, id)?;
        let mut after = before.clone();
        change(&mut after);
        after.id = before.id;
        after.document_id = before.document_id;
        after.updated_at_ms = self.now_ms;
        after.annotator = self.annotator.clone();
        self.require_span(after.document_id, after.char_start, after.char_end)?;
        self.require_label(&after.label)?;
        put_entity(&self.tx, id, &Some(after.clone()))?;
        self.touch(after.document_id);
        self.ops.push(Op::Entity {
            id,
            before: Some(before),
            after: Some(after.clone()),
        });
        Ok(after)
    }

    /// Deletes an entity and, in the same action, every relation that uses it.
    pub fn delete_entity(&mut self, id: EntityId) -> Result<()> {
        let before = entity(&self.tx, id)?;
        let linked: Vec<i64> = self
            .tx
            .prepare("SELECT id FROM relations WHERE head_id = ?1 OR tail_id = ?1 ORDER BY id")?
            .query_map([id.0], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for relation_id in linked {
            self.delete_relation(RelationId(relation_id))?;
        }
        put_entity(&self.tx, id, &None)?;
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
        let head = entity(&self.tx, new.head)?;
        let tail = entity(&self.tx, new.tail)?;
        if head.document_id != tail.document_id {
            return Err(Error::Invalid("a relation links two entities of one document".into()));
        }
        if head.id == tail.id {
            return Err(Error::Invalid("a relation links two different entities".into()));
        }
        self.require_relation_fits(&new.kind, &head, &tail)?;
        self.tx.execute(
            "INSERT INTO relations(document_id, head_id, tail_id, kind, status, source, annotator, created_at_ms, updated_at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            params![
                head.document_id.0,
                head.id.0,
                tail.id.0,
                new.kind,
                new.status.as_str(),
                new.source,
                self.annotator,
                self.now_ms
            ],
        )?;
        let relation = relation(&self.tx, RelationId(self.tx.last_insert_rowid()))?;
        self.touch(relation.document_id);
        self.ops.push(Op::Relation {
            id: relation.id,
            before: None,
            after: Some(relation.clone()),
        });
        Ok(relation)
    }

    /// Changes a relation through `change`; its ends and document cannot change.
    pub fn update_relation(&mut self, id: RelationId, change: impl FnOnce(&mut Relation)) -> Result<Relation> {
        let before = relation(&self.tx, id)?;
        let mut after = before.clone();
        change(&mut after);
        after.id = before.id;
        after.document_id = before.document_id;
        after.head = before.head;
        after.tail = before.tail;
        after.updated_at_ms = self.now_ms;
        after.annotator = self.annotator.clone();
        if after.kind != before.kind {
            let (head, tail) = (entity(&self.tx, after.head)?, entity(&self.tx, after.tail)?);
            self.require_relation_fits(&after.kind, &head, &tail)?;
        }
        put_relation(&self.tx, id, &Some(after.clone()))?;
        self.touch(after.document_id);
        self.ops.push(Op::Relation {
            id,
            before: Some(before),
            after: Some(after.clone()),
        });
        Ok(after)
    }

    pub fn delete_relation(&mut self, id: RelationId) -> Result<()> {
        let before = relation(&self.tx, id)?;
        put_relation(&self.tx, id, &None)?;
        self.touch(before.document_id);
        self.ops.push(Op::Relation {
            id,
            before: Some(before),
            after: None,
        });
        Ok(())
    }

    pub fn set_document_status(&mut self, id: DocumentId, status: DocStatus) -> Result<()> {
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

    /// Writes the action and its log entry. An edit that changed nothing logs nothing.
    pub fn commit(self) -> Result<()> {
        if !self.ops.is_empty() {
            self.tx.execute("DELETE FROM edit_log WHERE undone = 1", [])?;
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

    fn touch(&mut self, document_id: DocumentId) {
        self.document_id.get_or_insert(document_id);
    }

    /// The relation type must exist and allow the head's and tail's labels.
    fn require_relation_fits(&self, kind: &str, head: &Entity, tail: &Entity) -> Result<()> {
        let row: Option<(String, String)> = self
            .tx
            .query_row(
                "SELECT head_labels, tail_labels FROM relation_types WHERE name = ?1",
                [kind],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        let Some((head_labels, tail_labels)) = row else {
            return Err(Error::Invalid(format!("unknown relation type {kind:?}")));
        };
        let relation_type = RelationType {
            name: kind.to_owned(),
            description: String::new(),
            head_labels: serde_json::from_str(&head_labels)?,
            tail_labels: serde_json::from_str(&tail_labels)?,
            hotkey: None,
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
                [document_id.0],
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
        let known: bool = self
            .tx
            .query_row("SELECT EXISTS(SELECT 1 FROM labels WHERE name = ?1)", [label], |row| {
                row.get(0)
            })?;
        if known {
            Ok(())
        } else {
            Err(Error::Invalid(format!("unknown label {label:?}")))
        }
    }
}

// ---- row helpers, shared by the store and its transactions ----------------------------

const ENTITY_COLUMNS: &str =
    "id, document_id, char_start, char_end, label, status, source, confidence, annotator, created_at_ms, updated_at_ms";
const RELATION_COLUMNS: &str =
    "id, document_id, head_id, tail_id, kind, status, source, annotator, created_at_ms, updated_at_ms";

fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if found > CURRENT_VERSION {
        return Err(Error::NewerSchema {
            path: path.to_path_buf(),
            found,
            known: CURRENT_VERSION,
        });
    }
    if found == 0 {
        let n_tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0))?;
        if n_tables > 0 {
            return Err(Error::Invalid(format!(
                "{} is an SQLite file but not a biaozhu project",
                path.display()
            )));
        }
    }
    for (version, sql) in migrations::MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version as i64 + 1)?;
        if version == 0 {
            seed_default_schema(&tx)?;
        }
        tx.commit()?;
    }
    Ok(())
}

fn seed_default_schema(conn: &Connection) -> Result<()> {
    for (position, label) in schema::default_labels().iter().enumerate() {
        conn.execute(
            "INSERT INTO labels(name, display_name, color, hotkey, description, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![label.name, label.display_name, label.color, label.hotkey, label.description, position as i64],
        )?;
    }
    for (position, kind) in schema::default_relation_types().iter().enumerate() {
        conn.execute(
            "INSERT INTO relation_types(name, description, head_labels, tail_labels, hotkey, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                kind.name,
                kind.description,
                serde_json::to_string(&kind.head_labels)?,
                serde_json::to_string(&kind.tail_labels)?,
                kind.hotkey,
                position as i64
            ],
        )?;
    }
    conn.execute(
        "INSERT INTO meta(key, value) VALUES ('created_at_ms', ?1)",
        [now_ms().to_string()],
    )?;
    Ok(())
}

fn or_any(labels: &[String]) -> String {
    if labels.is_empty() {
        "any label".to_owned()
    } else {
        labels.join("/")
    }
}

fn validate_name(what: &str, name: &str) -> Result<()> {
    if name.trim().is_empty() || name.trim() != name {
        return Err(Error::Invalid(format!(
            "a {what} name cannot be empty or start or end with spaces: {name:?}"
        )));
    }
    Ok(())
}

fn self_has_label(conn: &Connection, name: &str) -> Result<bool> {
    Ok(
        conn.query_row("SELECT EXISTS(SELECT 1 FROM labels WHERE name = ?1)", [name], |row| {
            row.get(0)
        })?,
    )
}

fn insert_label(conn: &Connection, name: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO labels(name, display_name, color, position)
         VALUES (?1, ?1, ?2, (SELECT coalesce(max(position), -1) + 1 FROM labels))",
        params![name, schema::fallback_color(name)],
    )?;
    Ok(())
}

fn insert_relation_type(conn: &Connection, name: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO relation_types(name, position)
         VALUES (?1, (SELECT coalesce(max(position), -1) + 1 FROM relation_types))",
        [name],
    )?;
    Ok(())
}

fn parse_status(row: &Row, index: usize) -> rusqlite::Result<Status> {
    let text: String = row.get(index)?;
    Status::parse(&text).ok_or_else(|| bad_value(index, &text))
}

fn parse_doc_status(row: &Row, index: usize) -> rusqlite::Result<DocStatus> {
    let text: String = row.get(index)?;
    DocStatus::parse(&text).ok_or_else(|| bad_value(index, &text))
}

fn bad_value(index: usize, text: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        index,
        rusqlite::types::Type::Text,
        format!("unknown status {text:?}").into(),
    )
}

fn document(conn: &Connection, id: DocumentId) -> Result<Document> {
    let row = conn
        .query_row(
            "SELECT id, name, source_path, content_hash, text, status, metadata, encoding, created_at_ms, updated_at_ms
             FROM documents WHERE id = ?1",
            [id.0],
            |row| {
                Ok((
                    Document {
                        id: DocumentId(row.get(0)?),
                        name: row.get(1)?,
                        source_path: row.get(2)?,
                        content_hash: row.get(3)?,
                        text: row.get(4)?,
                        status: parse_doc_status(row, 5)?,
                        metadata: serde_json::Map::new(),
                        encoding: row.get(7)?,
                        created_at_ms: row.get(8)?,
                        updated_at_ms: row.get(9)?,
                    },
                    row.get::<_, String>(6)?,
                ))
            },
        )
        .optional()?;
    let (mut document, metadata) = row.ok_or_else(|| Error::Invalid(format!("no document {id}")))?;
    document.metadata = serde_json::from_str(&metadata)?;
    Ok(document)
}

fn entity_from_row(row: &Row) -> rusqlite::Result<Entity> {
    Ok(Entity {
        id: EntityId(row.get(0)?),
        document_id: DocumentId(row.get(1)?),
        char_start: row.get::<_, i64>(2)? as usize,
        char_end: row.get::<_, i64>(3)? as usize,
        label: row.get(4)?,
        status: parse_status(row, 5)?,
        source: row.get(6)?,
        confidence: row.get(7)?,
        annotator: row.get(8)?,
        created_at_ms: row.get(9)?,
        updated_at_ms: row.get(10)?,
    })
}

fn relation_from_row(row: &Row) -> rusqlite::Result<Relation> {
    Ok(Relation {
        id: RelationId(row.get(0)?),
        document_id: DocumentId(row.get(1)?),
        head: EntityId(row.get(2)?),
        tail: EntityId(row.get(3)?),
        kind: row.get(4)?,
        status: parse_status(row, 5)?,
        source: row.get(6)?,
        annotator: row.get(7)?,
        created_at_ms: row.get(8)?,
        updated_at_ms: row.get(9)?,
    })
}

fn entity(conn: &Connection, id: EntityId) -> Result<Entity> {
    conn.query_row(
        &format!("SELECT {ENTITY_COLUMNS} FROM entities WHERE id = ?1"),
        [id.0],
        entity_from_row,
    )
    .optional()?
    .ok_or_else(|| Error::Invalid(format!("no entity {id}")))
}

fn relation(conn: &Connection, id: RelationId) -> Result<Relation> {
    conn.query_row(
        &format!("SELECT {RELATION_COLUMNS} FROM relations WHERE id = ?1"),
        [id.0],
        relation_from_row,
    )
    .optional()?
    .ok_or_else(|| Error::Invalid(format!("no relation {id}")))
}

/// Sets the row `id` to `state`: deletes it for `None`, inserts or updates it otherwise.
/// An upsert, never `INSERT OR REPLACE`, which would cascade-delete relations.
fn put_entity(conn: &Connection, id: EntityId, state: &Option<Entity>) -> Result<()> {
    match state {
        None => {
            conn.execute("DELETE FROM entities WHERE id = ?1", [id.0])?;
        }
        Some(e) => {
            conn.execute(
                &format!(
                    "INSERT INTO entities({ENTITY_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                     ON CONFLICT(id) DO UPDATE SET document_id = excluded.document_id, char_start = excluded.char_start,
                     char_end = excluded.char_end, label = excluded.label, status = excluded.status,
                     source = excluded.source, confidence = excluded.confidence, annotator = excluded.annotator,
                     created_at_ms = excluded.created_at_ms, updated_at_ms = excluded.updated_at_ms"
                ),
                params![
                    id.0,
                    e.document_id.0,
                    e.char_start as i64,
                    e.char_end as i64,
                    e.label,
                    e.status.as_str(),
                    e.source,
                    e.confidence,
                    e.annotator,
                    e.created_at_ms,
                    e.updated_at_ms
                ],
            )?;
        }
    }
    Ok(())
}

fn put_relation(conn: &Connection, id: RelationId, state: &Option<Relation>) -> Result<()> {
    match state {
        None => {
            conn.execute("DELETE FROM relations WHERE id = ?1", [id.0])?;
        }
        Some(r) => {
            conn.execute(
                &format!(
                    "INSERT INTO relations({RELATION_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                     ON CONFLICT(id) DO UPDATE SET document_id = excluded.document_id, head_id = excluded.head_id,
                     tail_id = excluded.tail_id, kind = excluded.kind, status = excluded.status, source = excluded.source,
                     annotator = excluded.annotator, created_at_ms = excluded.created_at_ms,
                     updated_at_ms = excluded.updated_at_ms"
                ),
                params![
                    id.0,
                    r.document_id.0,
                    r.head.0,
                    r.tail.0,
                    r.kind,
                    r.status.as_str(),
                    r.source,
                    r.annotator,
                    r.created_at_ms,
                    r.updated_at_ms
                ],
            )?;
        }
    }
    Ok(())
}

fn set_doc_status(conn: &Connection, id: DocumentId, status: DocStatus) -> Result<()> {
    conn.execute(
        "UPDATE documents SET status = ?1, updated_at_ms = ?2 WHERE id = ?3",
        params![status.as_str(), now_ms(), id.0],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests;

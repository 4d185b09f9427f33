//! Row mapping and the one INSERT per table. Every write of a document, entity,
//! relation, label or relation-type row goes through a function here.

use super::db::{Db, OptionalExtension as _, Row, ToValue, params};

use crate::model::{
    DocStatus, Document, DocumentId, Entity, EntityId, Label, NewEntity, Relation, RelationId, RelationType, Status,
};
use crate::{Error, Result};

macro_rules! entity_fields {
    () => {
        "document_id, char_start, char_end, label, status, source, confidence, annotator, created_at_ms, updated_at_ms"
    };
}
macro_rules! relation_fields {
    () => {
        "document_id, head_id, tail_id, kind, status, source, annotator, created_at_ms, updated_at_ms"
    };
}

pub(super) const ENTITY_COLUMNS: &str = concat!("id, ", entity_fields!());
pub(super) const RELATION_COLUMNS: &str = concat!("id, ", relation_fields!());

/// An entity row without its id, borrowing its strings.
#[derive(Debug, Clone, Copy)]
pub(super) struct EntityRow<'a> {
    pub document_id: DocumentId,
    pub char_start: usize,
    pub char_end: usize,
    pub label: &'a str,
    pub status: Status,
    pub source: &'a str,
    pub confidence: Option<f64>,
    pub annotator: &'a str,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

impl<'a> EntityRow<'a> {
    /// A new entity created and updated at `now`.
    pub fn new(document_id: DocumentId, e: &'a NewEntity, now: i64) -> Self {
        EntityRow {
            document_id,
            char_start: e.char_start,
            char_end: e.char_end,
            label: &e.label,
            status: e.status,
            source: &e.source,
            confidence: e.confidence,
            annotator: &e.annotator,
            created_at_ms: now,
            updated_at_ms: now,
        }
    }

    pub fn of(e: &'a Entity) -> Self {
        EntityRow {
            document_id: e.document_id,
            char_start: e.char_start,
            char_end: e.char_end,
            label: &e.label,
            status: e.status,
            source: &e.source,
            confidence: e.confidence,
            annotator: &e.annotator,
            created_at_ms: e.created_at_ms,
            updated_at_ms: e.updated_at_ms,
        }
    }
}

/// A relation row without its id.
#[derive(Debug, Clone, Copy)]
pub(super) struct RelationRow<'a> {
    pub document_id: DocumentId,
    pub head: EntityId,
    pub tail: EntityId,
    pub kind: &'a str,
    pub status: Status,
    pub source: &'a str,
    pub annotator: &'a str,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

impl<'a> RelationRow<'a> {
    pub fn of(r: &'a Relation) -> Self {
        RelationRow {
            document_id: r.document_id,
            head: r.head,
            tail: r.tail,
            kind: &r.kind,
            status: r.status,
            source: &r.source,
            annotator: &r.annotator,
            created_at_ms: r.created_at_ms,
            updated_at_ms: r.updated_at_ms,
        }
    }
}

/// A document row without its id.
#[derive(Debug, Clone, Copy)]
pub(super) struct DocumentRow<'a> {
    pub name: &'a str,
    pub source_path: Option<&'a str>,
    pub content_hash: &'a str,
    pub text: &'a str,
    pub status: DocStatus,
    pub metadata: &'a serde_json::Map<String, serde_json::Value>,
    pub encoding: &'a str,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

/// Writes entity `id`, or a new one for `None`, and returns its id. An upsert, never
/// `INSERT OR REPLACE`, which would cascade-delete relations. A new row takes its id from
/// the database (`RETURNING`), which a server's identity column requires.
fn write_entity(conn: &Db, id: Option<EntityId>, e: &EntityRow) -> Result<EntityId> {
    const NEW: &str = concat!(
        "INSERT INTO entities(",
        entity_fields!(),
        ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id"
    );
    const PUT: &str = concat!(
        "INSERT INTO entities(",
        entity_fields!(),
        ", id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT(id) DO UPDATE SET document_id = excluded.document_id, char_start = excluded.char_start,
         char_end = excluded.char_end, label = excluded.label, status = excluded.status,
         source = excluded.source, confidence = excluded.confidence, annotator = excluded.annotator,
         created_at_ms = excluded.created_at_ms, updated_at_ms = excluded.updated_at_ms"
    );
    let fields = params![
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
    ];
    match id {
        None => Ok(EntityId(conn.prepare_cached(NEW)?.query_row(fields, |row| row.get(0))?)),
        Some(id) => {
            let mut all = fields.to_vec();
            all.push(&id.0);
            conn.prepare_cached(PUT)?.execute(&all)?;
            Ok(id)
        }
    }
}

fn write_relation(conn: &Db, id: Option<RelationId>, r: &RelationRow) -> Result<RelationId> {
    const NEW: &str = concat!(
        "INSERT INTO relations(",
        relation_fields!(),
        ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id"
    );
    const PUT: &str = concat!(
        "INSERT INTO relations(",
        relation_fields!(),
        ", id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT(id) DO UPDATE SET document_id = excluded.document_id, head_id = excluded.head_id,
         tail_id = excluded.tail_id, kind = excluded.kind, status = excluded.status, source = excluded.source,
         annotator = excluded.annotator, created_at_ms = excluded.created_at_ms,
         updated_at_ms = excluded.updated_at_ms"
    );
    let fields = params![
        r.document_id.0,
        r.head.0,
        r.tail.0,
        r.kind,
        r.status.as_str(),
        r.source,
        r.annotator,
        r.created_at_ms,
        r.updated_at_ms
    ];
    match id {
        None => Ok(RelationId(
            conn.prepare_cached(NEW)?.query_row(fields, |row| row.get(0))?,
        )),
        Some(id) => {
            let mut all = fields.to_vec();
            all.push(&id.0);
            conn.prepare_cached(PUT)?.execute(&all)?;
            Ok(id)
        }
    }
}

pub(super) fn insert_entity(conn: &Db, e: &EntityRow) -> Result<EntityId> {
    write_entity(conn, None, e)
}

/// Inserts new entities, returning their ids in order. On a server, many rows go in one
/// statement (a round trip a row was most of an import's time); each returned row is
/// checked against the one it stands for, so an id can never be paired with another row.
pub(super) fn insert_entities(conn: &Db, entities: &[EntityRow]) -> Result<Vec<EntityId>> {
    if !conn.is_pg() || entities.len() < 2 {
        return entities.iter().map(|e| insert_entity(conn, e)).collect();
    }
    const N_FIELDS: usize = 10;
    const ROWS_A_STATEMENT: usize = 500;
    let mut ids = Vec::with_capacity(entities.len());
    for chunk in entities.chunks(ROWS_A_STATEMENT) {
        let values: Vec<String> = (0..chunk.len())
            .map(|row| {
                let placeholders: Vec<String> = (1..=N_FIELDS).map(|i| format!("?{}", row * N_FIELDS + i)).collect();
                format!("({})", placeholders.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO entities({}) VALUES {} RETURNING id, document_id, char_start, char_end, label",
            entity_fields!(),
            values.join(", ")
        );
        let starts: Vec<i64> = chunk.iter().map(|e| e.char_start as i64).collect();
        let ends: Vec<i64> = chunk.iter().map(|e| e.char_end as i64).collect();
        let statuses: Vec<&str> = chunk.iter().map(|e| e.status.as_str()).collect();
        let mut params: Vec<&dyn ToValue> = Vec::with_capacity(chunk.len() * N_FIELDS);
        for (i, e) in chunk.iter().enumerate() {
            params.extend_from_slice(&[
                &e.document_id.0 as &dyn ToValue,
                &starts[i],
                &ends[i],
                &e.label,
                &statuses[i],
                &e.source,
                &e.confidence,
                &e.annotator,
                &e.created_at_ms,
                &e.updated_at_ms,
            ]);
        }
        let returned: Vec<(i64, i64, usize, usize, String)> = conn
            .prepare(&sql)?
            .query_map(&params, |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?))
            })?
            .collect::<Result<_>>()?;
        if returned.len() != chunk.len()
            || returned.iter().zip(chunk).any(|((_, doc, start, end, label), e)| {
                (*doc, *start, *end, label.as_str()) != (e.document_id.0, e.char_start, e.char_end, e.label)
            })
        {
            return Err(Error::Invalid(
                "the server returned the inserted entities out of order; nothing was written".to_owned(),
            ));
        }
        ids.extend(returned.into_iter().map(|(id, ..)| EntityId(id)));
    }
    Ok(ids)
}

pub(super) fn insert_relation(conn: &Db, r: &RelationRow) -> Result<RelationId> {
    write_relation(conn, None, r)
}

/// Sets the row `id` to `state`: deletes it for `None`, inserts or updates it otherwise.
pub(super) fn put_entity(conn: &Db, id: EntityId, state: &Option<Entity>) -> Result<()> {
    match state {
        None => {
            conn.prepare_cached("DELETE FROM entities WHERE id = ?1")?
                .execute(params![id.0])?;
        }
        Some(e) => {
            write_entity(conn, Some(id), &EntityRow::of(e))?;
        }
    }
    Ok(())
}

pub(super) fn put_relation(conn: &Db, id: RelationId, state: &Option<Relation>) -> Result<()> {
    match state {
        None => {
            conn.prepare_cached("DELETE FROM relations WHERE id = ?1")?
                .execute(params![id.0])?;
        }
        Some(r) => {
            write_relation(conn, Some(id), &RelationRow::of(r))?;
        }
    }
    Ok(())
}

pub(super) fn insert_document(conn: &Db, d: &DocumentRow) -> Result<DocumentId> {
    conn.prepare_cached(
        "INSERT INTO documents(name, source_path, content_hash, text, status, metadata, encoding, created_at_ms, updated_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
    )?
    .query_row(params![
        d.name,
        d.source_path,
        d.content_hash,
        d.text,
        d.status.as_str(),
        serde_json::to_string(d.metadata)?,
        d.encoding,
        d.created_at_ms,
        d.updated_at_ms
    ], |row| row.get(0))
    .map(DocumentId)
}

/// Marks a document's layer as complete: it came from a labelled record. Whether it was
/// not marked before.
pub(super) fn insert_labelled_layer(conn: &Db, document: DocumentId, annotator: &str) -> Result<bool> {
    let n_inserted = conn
        .prepare_cached("INSERT INTO labelled_layers(document_id, annotator) VALUES (?1, ?2) ON CONFLICT DO NOTHING")?
        .execute(params![document.0, annotator])?;
    Ok(n_inserted > 0)
}

/// Adds a label at `position`, or at the end of the palette for `None`.
pub(super) fn insert_label(conn: &Db, label: &Label, position: Option<i64>) -> Result<()> {
    super::schema::validate_name("label", &label.name)?;
    conn.prepare_cached(
        "INSERT INTO labels(name, display_name, color, hotkey, description, position)
         VALUES (?1, ?2, ?3, ?4, ?5, coalesce(?6, (SELECT coalesce(max(position), -1) + 1 FROM labels)))",
    )?
    .execute(params![
        label.name,
        label.display_name,
        label.color,
        label.hotkey,
        label.description,
        position
    ])?;
    Ok(())
}

/// Adds a relation type at `position`, or at the end of the list for `None`.
pub(super) fn insert_relation_type(conn: &Db, kind: &RelationType, position: Option<i64>) -> Result<()> {
    super::schema::validate_name("relation type", &kind.name)?;
    conn.prepare_cached(
        "INSERT INTO relation_types(name, description, head_labels, tail_labels, hotkey, position)
         VALUES (?1, ?2, ?3, ?4, ?5, coalesce(?6, (SELECT coalesce(max(position), -1) + 1 FROM relation_types)))",
    )?
    .execute(params![
        kind.name,
        kind.description,
        serde_json::to_string(&kind.head_labels)?,
        serde_json::to_string(&kind.tail_labels)?,
        kind.hotkey,
        position
    ])?;
    Ok(())
}

/// A label that import or merge met on an entity but the schema lacked.
pub(super) fn fallback_label(name: &str) -> Label {
    Label {
        name: name.to_owned(),
        display_name: name.to_owned(),
        color: crate::schema::fallback_color(name),
        hotkey: None,
        description: String::new(),
    }
}

/// A relation type that import or merge met but the schema lacked: unconstrained.
pub(super) fn fallback_relation_type(name: &str) -> RelationType {
    RelationType {
        name: name.to_owned(),
        description: String::new(),
        head_labels: Vec::new(),
        tail_labels: Vec::new(),
        hotkey: None,
    }
}

pub(super) fn set_doc_status(conn: &Db, id: DocumentId, status: DocStatus) -> Result<()> {
    conn.execute(
        "UPDATE documents SET status = ?1, updated_at_ms = ?2 WHERE id = ?3",
        params![status.as_str(), super::now_ms(), id.0],
    )?;
    Ok(())
}

pub(super) fn parse_status(row: &Row, index: usize) -> Result<Status> {
    let text: String = row.get(index)?;
    Status::parse(&text).ok_or_else(|| bad_value(index, &text))
}

pub(super) fn parse_doc_status(row: &Row, index: usize) -> Result<DocStatus> {
    let text: String = row.get(index)?;
    DocStatus::parse(&text).ok_or_else(|| bad_value(index, &text))
}

fn bad_value(index: usize, text: &str) -> Error {
    Error::Invalid(format!("column {index} holds an unknown status {text:?}"))
}

pub(super) fn document(conn: &Db, id: DocumentId) -> Result<Document> {
    let row = conn
        .prepare_cached(
            "SELECT id, name, source_path, content_hash, text, status, metadata, encoding, created_at_ms, updated_at_ms
             FROM documents WHERE id = ?1",
        )?
        .query_row(params![id.0], |row| {
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
                row.get::<String>(6)?,
            ))
        })
        .optional()?;
    let (mut document, metadata) = row.ok_or_else(|| Error::Invalid(format!("no document {id}")))?;
    document.metadata = serde_json::from_str(&metadata)?;
    Ok(document)
}

pub(super) fn entity_from_row(row: &Row) -> Result<Entity> {
    Ok(Entity {
        id: EntityId(row.get(0)?),
        document_id: DocumentId(row.get(1)?),
        char_start: row.get::<i64>(2)? as usize,
        char_end: row.get::<i64>(3)? as usize,
        label: row.get(4)?,
        status: parse_status(row, 5)?,
        source: row.get(6)?,
        confidence: row.get(7)?,
        annotator: row.get(8)?,
        created_at_ms: row.get(9)?,
        updated_at_ms: row.get(10)?,
    })
}

pub(super) fn relation_from_row(row: &Row) -> Result<Relation> {
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

pub(super) fn entity(conn: &Db, id: EntityId) -> Result<Entity> {
    entity_if_any(conn, id)?.ok_or_else(|| Error::Invalid(format!("no entity {id}")))
}

pub(super) fn entity_if_any(conn: &Db, id: EntityId) -> Result<Option<Entity>> {
    conn.prepare_cached(&format!("SELECT {ENTITY_COLUMNS} FROM entities WHERE id = ?1"))?
        .query_row(params![id.0], entity_from_row)
        .optional()
}

pub(super) fn relation(conn: &Db, id: RelationId) -> Result<Relation> {
    relation_if_any(conn, id)?.ok_or_else(|| Error::Invalid(format!("no relation {id}")))
}

pub(super) fn relation_if_any(conn: &Db, id: RelationId) -> Result<Option<Relation>> {
    conn.prepare_cached(&format!("SELECT {RELATION_COLUMNS} FROM relations WHERE id = ?1"))?
        .query_row(params![id.0], relation_from_row)
        .optional()
}
